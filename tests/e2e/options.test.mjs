// The popup and the options page, end to end in Chromium: a threshold changed in options is used
// by the next dialog, a trusted group gets no warning, pausing a site from the popup silences it
// until resumed, export then import into a fresh profile gives the same record, a malformed
// import changes nothing, names full of HTML stay text, "I left this group" records the group.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { launchChromium } from '../support/browsers.mjs';
import { DRIVERS } from '../support/drivers.mjs';
import { chromiumHarness, firefoxHarness } from '../support/harness.mjs';
import { eventually, pageRequest } from '../support/probes.mjs';
import { privateLoopback, startServer } from '../support/server.mjs';

const HOSTILE = [
  '<img src=x onerror="window.__pwned=1">',
  '<script>window.__pwned=2</script>',
  '"><b>bold</b>',
  '\u202Egnp.exe',
];

describe('popup and options (Chromium)', { timeout: 300_000 }, () => {
  let server;
  let h;
  let options;
  before(async () => {
    server = await startServer({ port: 0 });
    h = await chromiumHarness(server);
  });
  after(async () => {
    await h?.close();
    await server?.close();
  });
  beforeEach(async () => {
    assert.equal((await h.send({ type: 'delete_everything' })).outcome, 'page');
  });

  async function openOptions() {
    options = await h.context.newPage();
    await options.goto(`${h.origin}/options.html`);
    await options.locator('#direct-threshold').waitFor();
    return options;
  }

  const warnings = async () => (await h.inserted()).filter((x) => x.kind === 'warn');

  it('a threshold changed in options is used by the next dialog', async () => {
    const page = await openOptions();
    await page.locator('#direct-threshold').fill('3');
    await page.locator('[data-action="save-rules"]').click();
    await eventually(async () => (await h.send({ type: 'get_settings' })).body.settings.direct_threshold === 3, {
      what: 'the saved threshold',
    });
    await page.close();
    const d = DRIVERS.whatsapp;
    await h.goto(`https://${d.host}${d.url('en')}`);
    await h.coreStatus();
    await h.run(d.open);
    await h.run(d.select, 3);
    await eventually(async () => (await warnings()).length === 1, { what: 'a warning at three people' });
  });

  it('the language chosen in options wins over the browser language, and the preview follows edits', async () => {
    const page = await openOptions();
    assert.equal(await page.locator('h1').textContent(), 'Ask First settings');
    await page.locator('#language').selectOption('de');
    await page.locator('[data-action="save-rules"]').click();
    await eventually(async () => (await page.locator('h1').textContent()) === 'Ask First – Einstellungen', {
      what: 'the German options page',
    });
    assert.equal(await page.locator('html').getAttribute('lang'), 'de');
    await page.locator('#template-en').fill('Hello {names}, ok to add you to {group}?');
    assert.equal(await page.locator('#template-en-preview').textContent(), 'Hello Anna Schmidt and Ben Weber, ok to add you to Book Club?');
    await page.close();
  });

  it('an invalid threshold is reset and reported', async () => {
    const page = await openOptions();
    await page.locator('#invite-threshold').fill('0');
    await page.locator('[data-action="save-rules"]').click();
    await eventually(async () => /invite_threshold/.test(await page.locator('#announce').textContent().catch(() => '')), {
      what: 'the reset report',
    });
    assert.equal((await h.send({ type: 'get_settings' })).body.settings.invite_threshold, 20);
    await page.close();
  });

  it('a trusted group gets no warning', async () => {
    const page = await openOptions();
    await page.locator('#trusted-group-site').selectOption('whatsapp');
    await page.locator('#trusted-group-text').fill('Book Club');
    await page.locator('[data-action="add-trusted-group"]').click();
    await page.locator('ul[data-field="trusted-groups"] li').waitFor();
    await page.close();
    const d = DRIVERS.whatsapp;
    await h.goto(`https://${d.host}${d.url('en')}`);
    await h.coreStatus();
    await h.run(d.open);
    await h.run(d.select, 6);
    await h.nextFrame();
    await h.nextFrame();
    assert.deepEqual(await warnings(), []);
    await h.run(d.clickConfirm);
    assert.deepEqual((await h.inserted()).filter((x) => x.kind === 'gate'), [], 'not gated');
  });

  it('pausing a site from the popup silences it until resumed', async () => {
    const d = DRIVERS.slack;
    await h.goto(`https://${d.host}${d.url('en')}`);
    const status = await h.coreStatus();
    assert.equal(status.site, 'slack');
    const tabId = await h.tabId();
    const popup = await h.context.newPage();
    await popup.goto(`${h.origin}/popup.html?tab=${tabId}`);
    await popup.locator('[data-action="pause-hour"]').click();
    await popup.locator('[data-field="protection"][data-value="paused"]').waitFor();
    await h.goto(`https://${d.host}${d.url('en')}`);
    await h.coreStatus();
    await h.run(d.open);
    await h.run(d.select, 6);
    await h.nextFrame();
    await h.nextFrame();
    assert.deepEqual(await warnings(), [], 'paused: no warning');
    await popup.goto(`${h.origin}/popup.html?tab=${await h.tabId()}`);
    await popup.locator('[data-action="resume"]').click();
    await popup.locator('[data-field="protection"][data-value="on"]').waitFor();
    await popup.close();
    await h.goto(`https://${d.host}${d.url('en')}`);
    await h.coreStatus();
    await h.run(d.open);
    await h.run(d.select, 6);
    await eventually(async () => (await warnings()).length === 1, { what: 'the warning after resuming' });
  });

  it('"I left this group" in the popup records the group of the tab', async () => {
    const d = DRIVERS.facebook;
    await h.goto(`https://${d.host}${d.url('en')}`);
    await eventually(async () => (await h.coreStatus()).group, { what: 'the tab group' });
    const popup = await h.context.newPage();
    await popup.goto(`${h.origin}/popup.html?tab=${await h.tabId()}`);
    await popup.locator('[data-action="left-group"]').click();
    await popup.locator('[data-field="left"][data-value="yes"]').waitFor();
    const record = (await h.send({ type: 'get_record' })).body.record;
    assert.deepEqual(record.left.map((entry) => entry.key), ['4711']);
    await popup.close();
  });

  it('names full of HTML stay text in options and popup', async () => {
    for (const [i, name] of HOSTILE.entries()) {
      const reply = await h.send({ type: 'record_leave', group: { site: 'telegram', key: `-100${1000 + i}` }, name });
      assert.equal(reply.outcome, 'page', JSON.stringify(reply));
    }
    const page = await openOptions();
    const shown = await page.locator('table[data-field="groups-left"] input[data-rename]').evaluateAll((inputs) => inputs.map((x) => x.value));
    for (const name of HOSTILE) assert.ok(shown.includes(name), `${name} shown as typed`);
    assert.equal(await page.evaluate(() => document.querySelectorAll('main img, main script, main b').length), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    await page.close();
  });

  it('export, then import into a fresh profile, gives the same record; a malformed import changes nothing', async () => {
    for (const key of ['4711', '4712']) {
      await h.send({ type: 'record_leave', group: { site: 'facebook', key }, name: `Group ${key}` });
    }
    const page = await openOptions();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action="export"]').click()]);
    const file = join(mkdtempSync(join(tmpdir(), 'ask-first-export-')), download.suggestedFilename());
    await download.saveAs(file);
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    const before = (await h.send({ type: 'get_record' })).body.record;
    await page.close();

    // A second browser with its own, empty profile.
    const fresh = await chromiumHarness(server);
    try {
      const target = await fresh.context.newPage();
      await target.goto(`${fresh.origin}/options.html`);
      await target.locator('#import-file').setInputFiles(file);
      await target.locator('#import-mode-replace').check();
      await target.locator('[data-action="import"]').click();
      await target.locator('ul[data-field="import-report"] li').first().waitFor();
      const after = (await fresh.send({ type: 'get_record' })).body.record;
      assert.deepEqual(after.left, before.left);
      assert.ok(exported.record || exported.data || exported, 'the export is JSON');

      // A malformed file: a clear error, and nothing changed.
      const bad = join(mkdtempSync(join(tmpdir(), 'ask-first-bad-')), 'bad.json');
      writeFileSync(bad, '{"format": "ask-first", "version": 1, "record": {"left": "nope"');
      await target.locator('#import-file').setInputFiles(bad);
      await target.locator('[data-action="import"]').click();
      await eventually(async () => /Nothing was changed/.test(await target.locator('ul[data-field="import-report"]').textContent()), {
        what: 'the import error',
      });
      assert.deepEqual((await fresh.send({ type: 'get_record' })).body.record.left, before.left);
    } finally {
      await fresh.close();
    }
  });
});

describe('popup and options (Firefox)', { timeout: 300_000 }, () => {
  let server;
  let h;
  before(async () => {
    server = await startServer({ port: 443, host: privateLoopback() });
    h = await firefoxHarness(server);
  });
  after(async () => {
    await h?.close();
    await server?.close();
  });
  beforeEach(async () => {
    assert.equal((await h.send({ type: 'delete_everything' })).outcome, 'page');
  });

  const warnings = async () => (await h.inserted()).filter((x) => x.kind === 'warn');

  it('a threshold changed in options is used by the next dialog', async () => {
    await h.inExtensionPage('options.html', async (driver) => {
      const input = await eventually(async () => (await driver.findElements({ css: '#direct-threshold' }))[0], {
        what: 'the options form',
      });
      await input.clear();
      await input.sendKeys('3');
      await driver.findElement({ css: '[data-action="save-rules"]' }).click();
      await eventually(async () => /Saved/.test(await driver.executeScript("return document.getElementById('announce')?.textContent || ''")), {
        what: 'the saved notice',
      });
    });
    assert.equal((await h.send({ type: 'get_settings' })).body.settings.direct_threshold, 3);
    const d = DRIVERS.whatsapp;
    await h.goto(`https://${d.host}${d.url('en')}`);
    await h.coreStatus();
    await h.run(d.open);
    await h.run(d.select, 3);
    await eventually(async () => (await warnings()).length === 1, { what: 'a warning at three people' });
  });

  it('names full of HTML stay text on the options page', async () => {
    for (const [i, name] of HOSTILE.entries()) {
      await h.send({ type: 'record_leave', group: { site: 'telegram', key: `-100${2000 + i}` }, name });
    }
    await h.inExtensionPage('options.html', async (driver) => {
      const values = await eventually(
        async () => {
          const found = await driver.executeScript(
            "return Array.from(document.querySelectorAll('table[data-field=\"groups-left\"] input[data-rename]')).map((x) => x.value);",
          );
          return found.length === HOSTILE.length ? found : null;
        },
        { what: 'the groups table' },
      );
      for (const name of HOSTILE) assert.ok(values.includes(name), name);
      assert.equal(await driver.executeScript("return document.querySelectorAll('main img, main script, main b').length;"), 0);
      assert.equal(await driver.executeScript('return window.__pwned === undefined;'), true);
    });
  });

  it('pausing a site silences it until resumed', async () => {
    const d = DRIVERS.discord;
    await h.goto(`https://${d.host}${d.url('en')}`);
    await h.coreStatus();
    assert.equal((await h.send({ type: 'pause_site', site: 'discord', pause: 'always' })).outcome, 'page');
    await h.goto(`https://${d.host}${d.url('en')}`);
    await h.coreStatus();
    await h.run(d.open);
    await h.run(d.select, 6);
    await h.nextFrame();
    await h.nextFrame();
    assert.deepEqual(await warnings(), [], 'paused: no warning');
    assert.equal((await h.send({ type: 'pause_site', site: 'discord', pause: null })).outcome, 'page');
    await h.goto(`https://${d.host}${d.url('en')}`);
    await h.coreStatus();
    await h.run(d.open);
    await h.run(d.select, 6);
    await eventually(async () => (await warnings()).length === 1, { what: 'the warning after resuming' });
  });
});
