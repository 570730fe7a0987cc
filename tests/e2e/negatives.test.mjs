// Ordinary pages never get a warning or a gate: a settings dialog full of checked toggles, a
// poll with voters' pictures, a photo picker, an emoji picker and a notifications panel beside
// a feed (tests/sites/_kit/negatives.js), with more items ticked than any threshold, on a site
// whose threshold is low (Telegram, direct adds: 5) and one where it is high (Facebook,
// invitations: 20). In Chromium (wasm, and the fallback under the strict page CSP) and Firefox.
// The site check in the popup does not call any of them an add dialog.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { harnessFor, selectedEngines } from '../support/engines.mjs';
import { siteCheck } from '../support/probes.mjs';
import { privateLoopback, startServer } from '../support/server.mjs';

const KINDS = ['settings', 'poll', 'photos', 'emoji', 'feed'];
/** Telegram (direct adds, threshold 5) everywhere; Facebook (invitations, 20) on the wasm path. */
const HOSTS = { 'chromium-wasm': ['web.telegram.org', 'www.facebook.com'] };
const hostsOf = (engine) => HOSTS[engine.id] ?? ['web.telegram.org'];

let server;
before(async () => {
  server = await startServer({ port: 443, host: privateLoopback() });
});
after(async () => {
  await server?.close();
});

/** Clicks each item like a user, one after the other, a frame apart. */
const TICK_ALL = `(async () => {
  const frame = () => new Promise((done) => requestAnimationFrame(() => done(true)));
  const sel = (s) => (window.FixtureKit ? FixtureKit.sel(s) : s);
  const items = Array.from(document.querySelectorAll(sel('[data-negative="item"]')));
  for (const item of items) { item.scrollIntoView({ block: 'nearest' }); item.click(); await frame(); }
  return items.length;
})()`;
const CLICK = (what) => `(() => { const el = document.querySelector((window.FixtureKit ? FixtureKit.sel : (s) => s)('[data-negative="${what}"]')); el.click(); return true; })()`;

for (const engine of selectedEngines()) {
  describe(`ordinary pages stay silent: ${engine.id}`, { timeout: 600_000 }, () => {
    let h;
    before(async () => {
      h = await harnessFor(engine, server);
    });
    after(async () => {
      await h?.close();
    });

    for (const host of hostsOf(engine)) {
      for (const kind of KINDS) {
        it(`${host}: ${kind}`, async () => {
          const query = new URLSearchParams({ kind, lang: 'en' });
          if (engine.csp) query.set('csp', engine.csp);
          await h.goto(`https://${host}/__kit/negatives.html?${query}`);
          assert.equal((await h.coreStatus()).engine, engine.engine);
          // The user acts (real input): the page's structure is read, as it would be for a picker.
          await h.userActs();
          await h.evaluate(CLICK('open'));
          await h.nextFrame();
          const ticked = await h.evaluate(TICK_ALL);
          assert.equal(ticked, 24);
          await h.nextFrame();
          await h.nextFrame();
          const shown = (await h.inserted()).map((host) => host.kind);
          assert.deepEqual(shown, [], `nothing inserted after ticking ${ticked} items`);
          await h.evaluate(CLICK('done'));
          await h.nextFrame();
          assert.deepEqual((await h.inserted()).map((host) => host.kind), [], 'no gate on its final button');
          assert.equal(await h.evaluate(`window.__fixture.count('done')`), 1, 'the final button did its work');
          assert.deepEqual(await h.evaluate('window.__fixture.errors'), []);
          if (kind !== 'poll' && kind !== 'feed') {
            // Reopened and ticked again: the site check does not call it an add dialog.
            await h.userActs();
            await h.evaluate(CLICK('open'));
            await h.evaluate(TICK_ALL);
            const check = await siteCheck(h);
            assert.equal(check.reading, 'idle', JSON.stringify(check));
          }
        });
      }
    }
  });
}
