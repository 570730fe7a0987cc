// A page that keeps changing on its own (a ticking feed, 2,000 changes a second) is polled
// instead of observed (the churn benchmark's fix): the content core must still flag a
// re-addition there, and warn in an add dialog as soon as the user opens it and ticks people.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { DRIVERS } from '../support/drivers.mjs';
import { harnessFor, selectedEngines } from '../support/engines.mjs';
import { inContentWorld } from '../support/isolated.mjs';
import { DIALOG_BUTTON, eventually } from '../support/probes.mjs';
import { privateLoopback, startServer } from '../support/server.mjs';

const ACTOR = 'Anna Schmidt';
const d = DRIVERS.facebook;

// 2,000 text changes a second outside anything the Facebook pack reads, until stopped.
const START_TICKING = `(() => {
  const box = document.createElement('div');
  box.id = 'ticker';
  // A fixed size: a real click on it waits for a stable box.
  box.style.cssText = 'width: 240px; height: 24px; overflow: hidden';
  document.body.appendChild(box);
  const cells = Array.from({ length: 8 }, () => box.appendChild(document.createElement('span')));
  let n = 0;
  window.__ticker = setInterval(() => { for (let i = 0; i < 40; i++) cells[n++ % 8].textContent = String(n); }, 20);
  return true;
})()`;
const STOP_TICKING = '(clearInterval(window.__ticker), true)';
// What a page script can dispatch to look busy with the user: input, change and click events
// every 100 ms (none of them trusted).
const SYNTHETIC_EVENTS = `(() => {
  const field = document.body.appendChild(document.createElement('input'));
  window.__synthetic = setInterval(() => {
    window.dispatchEvent(new Event('input'));
    field.dispatchEvent(new InputEvent('input', { bubbles: true, data: 'x' }));
    field.dispatchEvent(new Event('change', { bubbles: true }));
    document.getElementById('ticker').click();
  }, 100);
  return true;
})()`;

const FLAG = `(() => { const host = document.querySelector('[data-ask-first="readd"]');
  return host && Array.from(host.shadowRoot.querySelectorAll('strong, p')).map((n) => n.textContent).join(' '); })()`;

let server;
before(async () => {
  server = await startServer({ port: 443, host: privateLoopback() });
});
after(async () => {
  await server?.close();
});

for (const engine of selectedEngines()) {
  describe(`a page busy on its own: ${engine.name}`, { timeout: 240_000 }, () => {
    let h;
    before(async () => {
      h = await harnessFor(engine, server);
    });
    after(async () => {
      await h?.close();
    });

    // Chromium only: the content scripts' world is reachable through the DevTools protocol.
    const polling = () =>
      inContentWorld(
        h.context,
        h.currentPage(),
        engine.engine === 'wasm'
          ? 'wasm_bindgen.polling_for_tests()'
          : `import(chrome.runtime.getURL('content/fallback.js')).then((core) => core.polling_for_tests())`,
      );

    it('flags a re-addition and warns in the add dialog while the page ticks', async () => {
      const extra = engine.csp ? { csp: engine.csp } : {};
      assert.equal((await h.send({ type: 'delete_everything' })).outcome, 'page');
      await h.goto(`https://${d.host}${d.url('en', extra)}`);
      assert.equal((await h.coreStatus()).engine, engine.engine);

      // Leave the group, so that being added back is flagged.
      await h.evaluate('window.__fixture.api.openLeave()');
      await h.clickFound(DIALOG_BUTTON, ['leave group']);
      await eventually(async () => (await h.send({ type: 'get_record' })).body.record.left.length === 1, {
        what: 'the leave in the record',
      });

      await h.evaluate(START_TICKING);
      try {
        if (engine.browser === 'chromium') {
          assert.equal(await polling(), false, 'observed while calm');
          await eventually(() => polling(), { what: 'the core to poll the busy page' });
        } else {
          // Three quiet scans 250 ms apart make the page count as busy.
          await new Promise((ok) => setTimeout(ok, 1500));
        }

        // Nobody acts: the re-addition appears in the feed and is flagged at the next poll.
        await h.evaluate(`window.__fixture.api.system(${JSON.stringify(`added:${ACTOR}`)})`);
        const flag = await eventually(async () => {
          const text = await h.evaluate(FLAG);
          return text && /#1\b/.test(text) && text;
        }, { what: 'the re-add flag on the busy page', timeout: 5000 });
        assert.ok(flag.includes(ACTOR), flag);

        // The user acts (a real click; a script's would not count): observed again at once, the
        // warning comes with the ticks.
        await h.realClick('#ticker');
        if (engine.browser === 'chromium') assert.equal(await polling(), false, 'observed while the user acts');
        await h.run(d.open);
        await h.run(d.select, 25);
        const inserted = await eventually(async () => {
          const now = await h.inserted();
          return now.some((x) => x.kind === 'warn') && now;
        }, { what: 'the warning in the add dialog on the busy page' });
        assert.ok(inserted.some((x) => x.kind === 'warn'));
        assert.deepEqual(await h.evaluate('window.__fixture.errors'), [], 'the site logged no error');
      } finally {
        await h.evaluate(STOP_TICKING);
      }
    });

    // Chromium only: whether the core polls is read in the content scripts' world (DevTools).
    if (engine.browser === 'chromium') {
      it('a page that dispatches input, change and click events every 100 ms is still polled', async () => {
        const extra = engine.csp ? { csp: engine.csp } : {};
        await h.goto(`https://${d.host}${d.url('en', extra)}`);
        assert.equal((await h.coreStatus()).engine, engine.engine);
        await h.evaluate(START_TICKING);
        await h.evaluate(SYNTHETIC_EVENTS);
        try {
          await eventually(() => polling(), { what: 'the core to poll the busy page despite the script events' });
          await new Promise((ok) => setTimeout(ok, 1500));
          assert.equal(await polling(), true, 'still polled after more script events');
          // The user's own input ends polling at once.
          await h.realClick('#ticker');
          assert.equal(await polling(), false, 'observed again after a real click');
        } finally {
          await h.evaluate(`(clearInterval(window.__synthetic), ${STOP_TICKING})`);
        }
      });
    }
  });
}
