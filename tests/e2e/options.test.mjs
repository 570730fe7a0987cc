// The popup and the options page, end to end, the same test bodies in Chromium and Firefox: a
// threshold changed in options is used by the next dialog, invalid fields are reset and reported,
// the chosen language wins, the template preview follows edits, a trusted group gets no warning,
// the popup's pause buttons (an hour, until tomorrow, always) silence a site until resumed or
// until the pause ends (an open page too), "I left this group" records the group, group and
// adder names full of HTML stay text, export then import into a fresh profile gives the same
// record, and a malformed import says so and changes nothing.
//
// The pages are driven through `h.openExtensionPage` (tests/support/harness.mjs): Playwright in
// Chromium, WebDriver in Firefox (a file input gets its path typed in; the export is a real
// download into the profile's download folder).
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DRIVERS } from '../support/drivers.mjs';
import { chromiumHarness, firefoxHarness } from '../support/harness.mjs';
import { browserSelected } from '../support/engines.mjs';
import { eventually } from '../support/probes.mjs';
import { privateLoopback, startServer } from '../support/server.mjs';

const HOSTILE = [
  '<img src=x onerror="window.__pwned=1">',
  '<script>window.__pwned=2</script>',
  '"><b>bold</b>',
  '\u202Egnp.exe',
];
// Bidirectional overrides and isolates are dropped from stored names (core `clean_text`), and an
// import skips a name carrying one; the rest of each name is kept as typed.
const BIDI = /[\u202A-\u202E\u2066-\u2069]/g;
const stored = (name) => name.replace(BIDI, '');
const MARKUP = HOSTILE.filter((name) => stored(name) === name);
const HOUR_MS = 3_600_000;
// Nothing the page shows may have become markup.
const NO_MARKUP = "document.querySelectorAll('main img, main script, main b').length === 0 && window.__pwned === undefined";

const BROWSERS = [
  { id: 'chromium', name: 'Chromium', launch: chromiumHarness },
  { id: 'firefox', name: 'Firefox', launch: firefoxHarness },
];
// ASK_FIRST_ENGINES narrows the run: a browser (chromium, firefox) or any of its engines.

let server;
before(async () => {
  // Firefox needs port 443; an address of this run's own keeps parallel runs apart.
  server = await startServer({ port: 443, host: privateLoopback() });
});
after(async () => {
  await server?.close();
});

/** Tomorrow at 06:00 local time, as the popup computes "until tomorrow". */
function nextMorning() {
  const date = new Date();
  date.setDate(date.getDate() + 1);
  date.setHours(6, 0, 0, 0);
  return date.getTime();
}

for (const browser of BROWSERS.filter((b) => browserSelected(b.id))) {
  describe(`popup and options (${browser.name})`, { timeout: 300_000 }, () => {
    let h;
    before(async () => {
      h = await browser.launch(server);
    });
    after(async () => {
      await h?.close();
    });
    beforeEach(async () => {
      assert.equal((await h.send({ type: 'delete_everything' })).outcome, 'page');
    });

    const settings = async () => (await h.send({ type: 'get_settings' })).body.settings;
    const record = async () => (await h.send({ type: 'get_record' })).body.record;
    const warnings = async () => (await h.inserted()).filter((x) => x.kind === 'warn');

    async function openOptions(target = h) {
      const page = await target.openExtensionPage('options.html');
      await page.waitFor('#direct-threshold');
      return page;
    }

    /** The popup for the tab the harness has open. */
    async function openPopup() {
      const popup = await h.openExtensionPage(`popup.html?tab=${await h.tabId()}`);
      await popup.waitFor('[data-field="protection"]');
      return popup;
    }

    /** Opens the site's add dialog afresh and selects `count` people; resolves to the warnings. */
    async function selectOnFreshPage(d, count) {
      await h.goto(`https://${d.host}${d.url('en')}`);
      await h.coreStatus();
      await h.run(d.open);
      await h.run(d.select, count);
      await h.nextFrame();
      await h.nextFrame();
      return warnings();
    }

    it('a threshold changed in options is used by the next dialog', async () => {
      const page = await openOptions();
      await page.fill('#direct-threshold', '3');
      await page.click('[data-action="save-rules"]');
      await eventually(async () => (await settings()).direct_threshold === 3, { what: 'the saved threshold' });
      await eventually(async () => /Saved/.test((await page.text('#announce')) ?? ''), { what: 'the saved notice' });
      await page.close();
      const d = DRIVERS.whatsapp;
      await h.goto(`https://${d.host}${d.url('en')}`);
      await h.coreStatus();
      await h.run(d.open);
      await h.run(d.select, 2);
      await h.nextFrame();
      assert.deepEqual(await warnings(), [], 'no warning below the new threshold');
      await h.run(d.select, 1);
      await eventually(async () => (await warnings()).length === 1, { what: 'a warning at three people' });
    });

    it('the language chosen in options wins over the browser language, and the preview follows edits', async () => {
      const page = await openOptions();
      assert.equal(await page.text('h1'), 'Ask First settings');
      await page.select('#language', 'de');
      await page.click('[data-action="save-rules"]');
      await eventually(async () => (await page.text('h1')) === 'Ask First – Einstellungen', { what: 'the German options page' });
      assert.equal(await page.evaluate('document.documentElement.lang'), 'de');
      await page.fill('#template-en', 'Hello {names}, ok to add you to {group}?');
      assert.equal(await page.text('#template-en-preview'), 'Hello Anna Schmidt and Ben Weber, ok to add you to Book Club?');
      await page.close();
    });

    it('an invalid threshold is reset and reported', async () => {
      const page = await openOptions();
      await page.fill('#invite-threshold', '0');
      await page.click('[data-action="save-rules"]');
      await eventually(async () => /invite_threshold/.test((await page.text('#announce').catch(() => '')) ?? ''), {
        what: 'the reset report',
      });
      assert.equal((await settings()).invite_threshold, 20);
      assert.equal(await page.evaluate("document.getElementById('invite-threshold').value"), '20', 'the form shows the reset value');
      await page.close();
    });

    it('a trusted group gets no warning and no gate', async () => {
      const d = DRIVERS.whatsapp;
      // Untrusted first: the same selection warns, so the silence below is the trust's doing.
      assert.equal((await selectOnFreshPage(d, 6)).length, 1, 'warned before the group is trusted');
      const page = await openOptions();
      await page.select('#trusted-group-site', 'whatsapp');
      await page.fill('#trusted-group-text', 'Book Club');
      await page.click('[data-action="add-trusted-group"]');
      await page.waitFor('ul[data-field="trusted-groups"] li');
      await page.close();
      assert.equal((await settings()).trusted_groups.length, 1);
      assert.deepEqual(await selectOnFreshPage(d, 6), []);
      await h.run(d.clickConfirm);
      assert.deepEqual((await h.inserted()).filter((x) => x.kind === 'gate'), [], 'not gated');
      if (d.followUp) await h.run(d.followUp);
      assert.equal(await h.evaluate(`window.__fixture.count(${JSON.stringify(d.sentAction)})`), 1, 'the add went through');
    });

    it('the popup pauses a site for an hour, until tomorrow or always, and resumes it', async () => {
      const d = DRIVERS.slack;
      const cases = [
        ['pause-hour', (pause, from, to) => pause >= from + HOUR_MS && pause <= to + HOUR_MS],
        ['pause-tomorrow', (pause) => pause === nextMorning()],
        ['pause-always', (pause) => pause === 'always'],
      ];
      for (const [action, expected] of cases) {
        await h.goto(`https://${d.host}${d.url('en')}`);
        assert.equal((await h.coreStatus()).site, 'slack');
        let popup = await openPopup();
        assert.equal(await popup.evaluate('document.querySelector(\'[data-field="protection"]\').dataset.value'), 'on');
        const from = Date.now();
        await popup.click(`[data-action="${action}"]`);
        await popup.waitFor('[data-field="protection"][data-value="paused"]');
        const to = Date.now();
        const pause = (await settings()).pauses?.slack;
        assert.ok(expected(pause, from, to), `${action}: stored pause ${JSON.stringify(pause)}`);
        await popup.close();
        assert.deepEqual(await selectOnFreshPage(d, 6), [], `${action}: no warning while paused`);
        popup = await openPopup();
        await popup.click('[data-action="resume"]');
        await popup.waitFor('[data-field="protection"][data-value="on"]');
        await popup.close();
        assert.equal((await settings()).pauses?.slack, undefined, `${action}: resumed`);
        await selectOnFreshPage(d, 6);
        await eventually(async () => (await warnings()).length === 1, { what: `the warning after resuming from ${action}` });
      }
    });

    it('a pause set in the popup stays when an options page opened before saves its form', async () => {
      const options = await openOptions();
      const d = DRIVERS.slack;
      await h.goto(`https://${d.host}${d.url('en')}`);
      assert.equal((await h.coreStatus()).site, 'slack');
      const popup = await openPopup();
      await popup.click('[data-action="pause-always"]');
      await popup.waitFor('[data-field="protection"][data-value="paused"]');
      await popup.close();
      await options.fill('#direct-threshold', '7');
      await options.click('[data-action="save-rules"]');
      await eventually(async () => (await settings()).direct_threshold === 7, { what: 'the saved threshold' });
      assert.equal((await settings()).pauses?.slack, 'always', 'the popup\'s pause stays');
      await options.close();
    });

    it('two options pages keep each other\'s changes, and an idle one shows the other\'s', async () => {
      const first = await openOptions();
      const second = await openOptions();
      await first.fill('#invite-threshold', '30');
      await first.click('[data-action="save-rules"]');
      await eventually(async () => (await settings()).invite_threshold === 30, { what: 'the first save' });
      // The second page was not being edited: it draws the change.
      await eventually(async () => (await second.evaluate("document.querySelector('#invite-threshold').value")) === '30', {
        what: 'the second page to show the first one\'s change',
      });
      await second.fill('#direct-threshold', '8');
      await second.click('[data-action="save-rules"]');
      await eventually(async () => (await settings()).direct_threshold === 8, { what: 'the second save' });
      assert.equal((await settings()).invite_threshold, 30, 'the first page\'s change stays');
      await first.close();
      await second.close();
    });

    it('a pause from the popup silences a page that was already open, from its next dialog on', async () => {
      const d = DRIVERS.slack;
      await h.goto(`https://${d.host}${d.url('en')}`);
      await h.coreStatus();
      const popup = await openPopup();
      await popup.click('[data-action="pause-hour"]');
      await popup.waitFor('[data-field="protection"][data-value="paused"]');
      await popup.close();
      // The same page, not reloaded: its next add dialog is quiet. The dialog asks for the
      // settings when it appears; a person looks at it for a moment before ticking anyone.
      await h.run(d.open);
      await new Promise((ok) => setTimeout(ok, 500));
      await h.run(d.select, 6);
      await h.nextFrame();
      await h.nextFrame();
      assert.deepEqual(await warnings(), [], 'paused: no warning on the open page');
      assert.deepEqual((await record()).incidents.filter((i) => i.kind === 'bulk_add_warned'), [], 'not even for a moment');
    });

    it('a pause ends by itself at its end time, on an open page too', async () => {
      const d = DRIVERS.slack;
      const end = Date.now() + 5000;
      const current = await settings();
      assert.equal((await h.send({ type: 'set_settings', settings: { ...current, pauses: { slack: end } } })).outcome, 'page');
      assert.deepEqual(await selectOnFreshPage(d, 6), [], 'no warning before the pause ends');
      const popup = await openPopup();
      assert.equal(await popup.evaluate('document.querySelector(\'[data-field="protection"]\').dataset.value'), 'paused');
      await popup.close();
      assert.ok(Date.now() < end, 'the checks above ran while paused (slow machine: raise the pause)');
      await new Promise((ok) => setTimeout(ok, Math.max(0, end - Date.now()) + 200));
      // Nobody resumed: the stored pause is still there, and it is over.
      assert.equal((await settings()).pauses?.slack, end);
      // The page that stayed open warns at its next selection change.
      await h.run(d.unselect, 1);
      await h.run(d.select, 1);
      await eventually(async () => (await warnings()).length === 1, { what: 'the warning on the open page once the pause is over' });
      await selectOnFreshPage(d, 6);
      await eventually(async () => (await warnings()).length === 1, { what: 'the warning on a new page' });
      const after = await openPopup();
      assert.equal(await after.evaluate('document.querySelector(\'[data-field="protection"]\').dataset.value'), 'on');
      await after.close();
    });

    it('"I left this group" in the popup records the group of the tab', async () => {
      const d = DRIVERS.facebook;
      await h.goto(`https://${d.host}${d.url('en')}`);
      await eventually(async () => (await h.coreStatus()).group, { what: 'the tab group' });
      const popup = await openPopup();
      await popup.click('[data-action="left-group"]');
      await popup.waitFor('[data-field="left"][data-value="yes"]');
      assert.deepEqual((await record()).left.map((entry) => entry.key), ['4711']);
      await popup.close();
    });

    it('group and adder names full of HTML stay text in options and popup', async () => {
      for (const [i, name] of HOSTILE.entries()) {
        const reply = await h.send({ type: 'record_leave', group: { site: 'telegram', key: `-100${1000 + i}` }, name });
        assert.equal(reply.outcome, 'page', JSON.stringify(reply));
      }
      // Adders come in through an import (the same path a shared record takes).
      const now = Date.now();
      const adders = MARKUP.map((name) => ({ site: 'telegram', name, readditions: 1, reinvitations: 0, groups: { '-1001000': 1 }, last_at: now }));
      const file = join(mkdtempSync(join(tmpdir(), 'ask-first-hostile-')), 'hostile.json');
      writeFileSync(file, JSON.stringify({ format: 'ask-first-export', version: 1, record: { adders } }));
      const page = await openOptions();
      await page.setFile('#import-file', file);
      await page.click('[data-action="import"]');
      await eventually(async () => (await record()).adders.length === MARKUP.length, { what: 'the imported adders' });
      const shown = await eventually(
        async () => {
          const found = await page.evaluate(`({
            groups: Array.from(document.querySelectorAll('table[data-field="groups-left"] input[data-rename]')).map((x) => x.value),
            renameIds: Array.from(document.querySelectorAll('table[data-field="groups-left"] input[data-rename]')).map((x) => x.dataset.rename),
            adders: Array.from(document.querySelectorAll('table[data-field="adders"] tbody th')).map((x) => x.textContent),
          })`);
          return found.groups.length === HOSTILE.length && found.adders.length === MARKUP.length && found;
        },
        { what: 'both tables' },
      );
      for (const name of HOSTILE) assert.ok(shown.groups.includes(stored(name)), `group ${name} shown as typed`);
      // The keys -1001000 … are of equal length: each rename field still names its own group.
      assert.deepEqual(
        [...shown.renameIds].sort(),
        HOSTILE.map((_, i) => `telegram:-100${1000 + i}`).sort(),
        'one rename field per group',
      );
      for (const name of MARKUP) assert.ok(shown.adders.includes(name), `adder ${name} shown as typed`);
      assert.equal(await page.evaluate(NO_MARKUP), true);
      await page.close();

      // The popup names the tab's group as it was recorded.
      await h.send({ type: 'record_leave', group: { site: 'facebook', key: '4711' }, name: HOSTILE[0] });
      const d = DRIVERS.facebook;
      await h.goto(`https://${d.host}${d.url('en')}`);
      await eventually(async () => (await h.coreStatus()).group, { what: 'the tab group' });
      const popup = await openPopup();
      assert.equal(await popup.text('[data-field="group"]'), HOSTILE[0]);
      assert.equal(await popup.evaluate(NO_MARKUP), true);
      await popup.close();
    });

    it('a record file over the import limit is not read and changes nothing', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ask-first-large-'));
      const file = join(dir, 'huge.json');
      writeFileSync(file, `{"format":"ask-first-export","pad":"${'x'.repeat(6 * 1024 * 1024)}"}`);
      const page = await openOptions();
      await page.setFile('#import-file', file);
      await page.click('[data-action="import"]');
      await eventually(async () => /Nothing was read: the file is 6\.0 MB/.test((await page.text('[data-field="import-report"]')) ?? ''), {
        what: 'the size refusal',
      });
      assert.deepEqual((await record()).left, []);
      await page.close();
    });

    it('export, then import into a fresh profile, gives the same record; a malformed import changes nothing', async () => {
      for (const key of ['4711', '4712']) {
        await h.send({ type: 'record_leave', group: { site: 'facebook', key }, name: `Group ${key}` });
      }
      const page = await openOptions();
      const file = await page.download('[data-action="export"]', mkdtempSync(join(tmpdir(), 'ask-first-export-')));
      const text = readFileSync(file, 'utf8');
      const exported = JSON.parse(text);
      assert.equal(exported.format, 'ask-first-export');
      const before = await record();
      assert.equal(before.left.length, 2);
      assert.deepEqual(exported.record.left, before.left, 'the file holds the record');
      await page.close();

      // A second browser with its own, empty profile.
      const fresh = await browser.launch(server);
      try {
        assert.deepEqual((await fresh.send({ type: 'get_record' })).body.record.left, []);
        const target = await openOptions(fresh);
        await target.setFile('#import-file', file);
        await target.check('#import-mode-replace');
        await target.click('[data-action="import"]');
        await target.waitFor('ul[data-field="import-report"] li');
        const imported = (await fresh.send({ type: 'get_record' })).body.record;
        assert.deepEqual(imported.left, before.left);
        assert.deepEqual(imported.adders, before.adders);

        // A malformed file (the same export, cut short): a clear error, and nothing changed.
        const bad = join(mkdtempSync(join(tmpdir(), 'ask-first-bad-')), 'bad.json');
        writeFileSync(bad, text.slice(0, Math.floor(text.length / 2)));
        await target.setFile('#import-file', bad);
        await target.click('[data-action="import"]');
        const report = await eventually(
          async () => {
            const shown = await target.text('ul[data-field="import-report"]');
            return /Nothing was changed/.test(shown) && shown;
          },
          { what: 'the import error' },
        );
        assert.match(report, /Nothing was changed: \S/, 'the error says what is wrong');
        assert.deepEqual((await fresh.send({ type: 'get_record' })).body.record, imported);
        await target.close();
      } finally {
        await fresh.close();
      }
    });
  });
}
