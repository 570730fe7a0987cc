// Hostile names, end to end in Chromium and Firefox: each of the names in tests/support/hostile.mjs is the
// name of a group page and of the person who adds the user back. It flows from the page (the
// group header, the site's "added you" notice) through the content core and the background into
// storage, and back out into the re-add banner on the page, the popup and the options page. Each
// surface shows it as text: no element, no script, no style of the name's making, and no
// bidirectional override that could reorder the text around it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { chromiumHarness, firefoxHarness } from '../support/harness.mjs';
import { HOSTILE_NAMES } from '../support/hostile.mjs';
import { DIALOG_BUTTON, eventually } from '../support/probes.mjs';
import { privateLoopback, startServer } from '../support/server.mjs';

// Elements and attributes a name could smuggle in. Ask First's own pages use none of these;
// its banner is compared with the banner of a plain name, element by element.
const FOREIGN = 'img, script, svg, iframe, object, embed, form, details, video, source, marquee, template, noscript, math, link, meta, base, a[href^="javascript"], b, i, u, [onerror], [onload], [onfocus], [ontoggle], [onstart], [onclick]';
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** In the page: what the re-add banner's shadow root holds. */
const BANNER = `(() => {
  const host = document.querySelector('[data-ask-first="readd"]');
  if (!host || !host.shadowRoot) return null;
  const root = host.shadowRoot;
  return {
    text: root.textContent,
    // The banner's shape: every element's tag and attribute names, in document order.
    shape: Array.from(root.querySelectorAll('*')).map((e) => [e.tagName, ...e.getAttributeNames().sort()].join(' ')),
    foreign: Array.from(root.querySelectorAll(${JSON.stringify(FOREIGN)})).map((e) => e.outerHTML.slice(0, 80)),
    pwned: window.__pwned ?? null,
  };
})()`;

/** In an extension page: the field's text and inputs, and anything of a name's making. */
const EXTENSION_PAGE = (root) => `(() => ({
  renames: Array.from(document.querySelectorAll('table[data-field="groups-left"] input[data-rename]')).map((x) => x.value),
  items: Array.from(document.querySelectorAll('[data-field="incidents"] li')).map((li) => li.textContent),
  text: document.body.textContent,
  // The popup's own disclosure of the site report is the one <details> it makes itself, and the
  // monthly chart the one <svg> (drawn element by element; names only ever as its text).
  foreign: Array.from(document.querySelectorAll(${JSON.stringify(`${root} :is(${FOREIGN}):not(.site-check > details):not(svg.chart[aria-hidden="true"])`)})).map((e) => e.outerHTML.slice(0, 80)),
  pwned: window.__pwned ?? null,
}))()`;

let server;
before(async () => {
  // Firefox needs port 443; an address of this run's own keeps parallel runs apart.
  server = await startServer({ port: 443, host: privateLoopback() });
});
after(async () => {
  await server?.close();
});

for (const browser of ['Chromium', 'Firefox']) describe(`${HOSTILE_NAMES.length} hostile names from a page to storage, banners, popup and options (${browser})`, { timeout: 600_000 }, () => {
  let h;
  const stored = [];
  before(async () => {
    h = browser === 'Chromium' ? await chromiumHarness(server) : await firefoxHarness(server);
    assert.equal((await h.send({ type: 'delete_everything' })).outcome, 'page');
  });
  after(async () => {
    await h?.close();
  });

  it('each name reaches storage cleaned, and the re-add banner shows it as text', async () => {
    assert.ok(HOSTILE_NAMES.length >= 40);
    const failures = [];
    let plainShape = null;
    for (const [i, name] of ['Plain Group Name', ...HOSTILE_NAMES].entries()) {
      const key = `hostile-${i}`; // #0 is the plain name
      const query = new URLSearchParams({ lang: 'en', delay: '0', gname: name });
      await h.goto(`https://www.facebook.com/groups/${key}/?${query}`);
      await h.coreStatus();
      // Leave through the site's own dialog: the core reads the group name from the page.
      await h.evaluate(`window.__fixture.api.openLeave()`);
      await h.clickFound(DIALOG_BUTTON, ['leave group']);
      const entry = await eventually(async () => {
        const record = (await h.send({ type: 'get_record' })).body.record;
        return record.left.find((e) => e.key === key) ?? null;
      }, { what: `the leave of group #${i}` });
      // Added back by a person of the same name.
      await h.evaluate(`window.__fixture.api.systemBy('added', ${JSON.stringify(name)})`);
      let banner;
      try {
        banner = await eventually(async () => {
          const b = await h.evaluate(BANNER);
          return b && /#1\b/.test(b.text) ? b : null;
        }, { what: `the banner for name #${i}`, timeout: 5000 });
      } catch (error) {
        failures.push(`#${i} ${JSON.stringify(name.slice(0, 60))}: ${error.message}`);
        continue;
      }
      const after = (await h.send({ type: 'get_record' })).body.record.left.find((e) => e.key === key);
      const actor = Object.keys(after.adders)[0] ?? '';
      if (i === 0) {
        plainShape = banner.shape;
        continue;
      }
      stored.push({ i, name, group: entry.name, actor });
      // Nothing added: every element is one the plain banner has (a banner may have a line
      // fewer, when the name is too long to be read as the person who did it).
      const extra = [...banner.shape];
      for (const element of plainShape) {
        const at = extra.indexOf(element);
        if (at >= 0) extra.splice(at, 1);
      }
      assert.deepEqual(extra, [], `#${i}: no element beyond those of the banner for a plain name`);
      if (banner.shape.length !== plainShape.length) {
        console.log(`# name #${i}: banner of ${banner.shape.length} elements (plain: ${plainShape.length}); actor read: ${JSON.stringify(actor.slice(0, 40))}`);
      }
      for (const [what, text] of [['group', entry.name], ['actor', actor]]) {
        assert.doesNotMatch(text, BIDI, `#${i} ${what}: no bidirectional control is stored`);
        assert.doesNotMatch(text, CONTROL, `#${i} ${what}: no control character is stored`);
        assert.ok(Array.from(text).length <= 200, `#${i} ${what}: capped`);
      }
      assert.deepEqual(banner.foreign, [], `#${i}: nothing of the name's making in the banner`);
      assert.equal(banner.pwned, null, `#${i}: nothing ran`);
      assert.ok(banner.text.includes(entry.name), `#${i}: the banner names the group as text: ${banner.text.slice(0, 300)}`);
      if (actor) assert.ok(banner.text.includes(actor), `#${i}: the banner names who did it: ${banner.text.slice(0, 300)}`);
      assert.deepEqual(await h.evaluate('window.__fixture.errors'), [], `#${i}: the site logged no error`);
      assert.deepEqual(await h.evaluate('window.__fixture.removedForeign'), [], `#${i}: no node of the site was removed`);
    }
    assert.deepEqual(failures, [], 'every name was flagged');
    assert.equal(stored.length, HOSTILE_NAMES.length);
    assert.ok(plainShape && plainShape.length > 3, 'the plain banner was seen');
    // Cleaning keeps names apart: no two hostile names collapsed into one empty or equal name.
    assert.ok(stored.every((s) => s.group.length > 0));
  });

  it('the options page lists every group and adder as text', async () => {
    const page = await h.openExtensionPage('options.html');
    await page.waitFor('table[data-field="groups-left"]');
    const shown = await page.evaluate(EXTENSION_PAGE('main'));
    assert.deepEqual(shown.foreign, []);
    assert.equal(shown.pwned, null);
    for (const s of stored) {
      assert.ok(shown.renames.includes(s.group), `group #${s.i} in the record table`);
      if (s.actor) assert.ok(shown.text.includes(s.actor), `adder #${s.i} in the adders list`);
    }
    await page.close();
  });

  it('the popup shows the latest incidents as text', async () => {
    const popup = await h.openExtensionPage(`popup.html?tab=${await h.tabId()}`);
    await popup.waitFor('[data-field="incidents"]');
    const shown = await popup.evaluate(EXTENSION_PAGE('body'));
    assert.deepEqual(shown.foreign, []);
    assert.equal(shown.pwned, null);
    assert.ok(shown.items.length > 0, 'incidents are listed');
    // The newest incidents are the last names' re-additions: each names its group as text.
    const newest = stored.slice(-shown.items.length);
    for (const s of newest) {
      assert.ok(shown.items.some((text) => text.includes(s.group)), `incident of group #${s.i} shown as text`);
    }
    await popup.close();
  });
});
