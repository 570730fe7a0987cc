// Site packs on the options page, end to end in Chromium and Firefox: an updated pack imported
// from a file is used by the site's next page load (the content core gets it from the
// background), "Reset to bundled" brings the bundled pack back, and a malformed or hostile pack
// is refused with a clear error in the user's language while nothing changes in storage.
//
// The updated pack is the bundled Facebook pack with its version raised and its invite dialog
// declared a direct add: six selected people then deserve a warning (direct threshold 5), which
// the bundled pack (an invitation, threshold 20) does not give.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DRIVERS } from '../support/drivers.mjs';
import { firefoxHarness } from '../support/harness.mjs';
import { eventually } from '../support/probes.mjs';
import { privateLoopback, startServer } from '../support/server.mjs';
import { chromiumSuite } from '../support/suite.mjs';

const BUNDLED = JSON.parse(readFileSync(new URL('../../extension/sitepacks/facebook.json', import.meta.url), 'utf8'));
const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold</b>';

/** The bundled Facebook pack, newer, reading its invite dialog as a direct add. */
function updatedPack(bump = 1) {
  const pack = structuredClone(BUNDLED);
  pack.version = BUNDLED.version + bump;
  pack.dialogs[0].kind = { type: 'direct' };
  return pack;
}

/** Files the import must refuse, each with what the error says (English, then German). */
function malformed() {
  const unknownField = updatedPack(2);
  unknownField.script = 'alert(1)';
  const older = updatedPack(0);
  const wrongSite = updatedPack(2);
  wrongSite.site = 'whatsapp';
  const unknownSite = updatedPack(2);
  unknownSite.site = 'myspace';
  const hostileSelector = updatedPack(2);
  hostileSelector.dialogs[0].root = HOSTILE;
  const hostileField = updatedPack(2);
  hostileField[HOSTILE] = 1;
  // Packs that would outlive the extension's updates or make every scan of the page expensive.
  const tooNew = updatedPack(4);
  const tooNewMax = updatedPack(0);
  tooNewMax.version = 4294967295;
  const universalRoot = updatedPack(1);
  universalRoot.dialogs[0].root = '*';
  const bodyControl = updatedPack(1);
  bodyControl.dialogs[0].confirm.selector = 'body';
  const rootLeave = updatedPack(1);
  rootLeave.leave.root = ':is(*)';
  const nestedHas = updatedPack(1);
  nestedHas.dialogs[0].root = '[role=dialog]:has(div:has(input))';
  const longList = updatedPack(1);
  longList.dialogs[0].root = Array.from({ length: 9 }, (_, i) => `[data-x="${i}"]`).join(', ');
  // Steps to the leave item: as many clicks as the pack names, each selector under the same rules.
  const manySteps = updatedPack(1);
  manySteps.leave.steps = Array.from({ length: 5 }, () => ({ any: [{ selector: '[aria-haspopup=menu]' }] }));
  const broadStep = updatedPack(1);
  broadStep.leave.steps = [{ any: [{ selector: '[aria-haspopup=menu]' }, { selector: 'body' }] }];
  const threeHoles = updatedPack(1);
  threeHoles.messages[0].templates.en[0] = '{actor} added {user} to {group}.';
  return [
    { name: 'bad.json', text: '{"site": "facebook", "version": ', en: /not valid JSON \(line 1, column \d+\)/ },
    { name: 'unknown-field.json', text: JSON.stringify(unknownField), en: /unknown field “script”/ },
    { name: 'older.json', text: JSON.stringify(older), en: new RegExp(`version ${BUNDLED.version}, which is not newer than the bundled version ${BUNDLED.version}`) },
    { name: 'wrong-site.json', text: JSON.stringify(wrongSite), en: /hosts\[0\]: this host does not belong to the pack's site/ },
    { name: 'unknown-site.json', text: JSON.stringify(unknownSite), en: /unknown site “myspace”/ },
    { name: 'hostile-selector.json', text: JSON.stringify(hostileSelector), en: /dialogs\[0\]\.root: invalid selector: the character “<” is not allowed/ },
    { name: 'hostile-field.json', text: JSON.stringify(hostileField), en: new RegExp(`unknown field “${HOSTILE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}”`) },
    { name: 'too-new.json', text: JSON.stringify(tooNew), en: new RegExp(`version ${BUNDLED.version + 4}, more than 3 versions ahead of the bundled version ${BUNDLED.version}`) },
    { name: 'too-new-max.json', text: JSON.stringify(tooNewMax), en: new RegExp(`version 4294967295, more than 3 versions ahead of the bundled version ${BUNDLED.version}`) },
    { name: 'universal-root.json', text: JSON.stringify(universalRoot), en: /dialogs\[0\]\.root: selector refused: it matches any element or the whole page/ },
    { name: 'body-control.json', text: JSON.stringify(bodyControl), en: /dialogs\[0\]\.confirm\.selector: selector refused: it matches any element or the whole page/ },
    { name: 'root-leave.json', text: JSON.stringify(rootLeave), en: /leave\.root: selector refused: it matches any element or the whole page/ },
    { name: 'nested-has.json', text: JSON.stringify(nestedHas), en: /dialogs\[0\]\.root: selector refused: too costly to apply on every change of the page/ },
    { name: 'long-list.json', text: JSON.stringify(longList), en: /dialogs\[0\]\.root: selector refused: too costly .*more than 8 alternatives/ },
    { name: 'many-steps.json', text: JSON.stringify(manySteps), en: /leave\.steps: more than 4 steps to the leave item or more than 4 alternatives in one step/ },
    { name: 'broad-step.json', text: JSON.stringify(broadStep), en: /leave\.steps\[0\]\.any\[1\]\.selector: selector refused: it matches any element or the whole page/ },
    { name: 'three-placeholders.json', text: JSON.stringify(threeHoles), en: /messages\[0\]\.templates\.en\[0\]: invalid message template \(more than 2 placeholders\)/ },
  ];
}

/** Writes each file into a fresh directory (Selenium uploads from paths). */
function writeFiles(files) {
  const dir = mkdtempSync(join(tmpdir(), 'ask-first-packs-'));
  return files.map((file) => {
    const path = join(dir, file.name);
    writeFileSync(path, file.text);
    return { ...file, path };
  });
}

const facebook = DRIVERS.facebook;
const PAGE = `https://${facebook.host}${facebook.url('en')}`;

/** What the options page shows for Facebook, read in the page. */
const FACEBOOK_ROW = `(() => {
  const row = document.querySelector('table[data-field="packs"] tr[data-site="facebook"]');
  if (!row) return null;
  const cell = (field) => row.querySelector('[data-field="' + field + '"]');
  return {
    bundled: cell('pack-version').textContent,
    imported: cell('pack-imported').textContent,
    active: cell('pack-active').getAttribute('data-value'),
    reset: !!row.querySelector('button[data-action="reset-pack"]'),
  };
})()`;

const REPORT = `(() => {
  const report = document.querySelector('[data-field="pack-report"]');
  return report ? { role: report.getAttribute('role'), value: report.getAttribute('data-value'), text: report.textContent } : null;
})()`;

const MARKUP = "document.querySelectorAll('#app img, #app script, #app b').length";

/** Opens the Facebook fixture, selects six people, and says how many warnings the page shows
 *  once the core has read the dialog. */
async function warningsAtSix(h, url = PAGE) {
  await h.goto(url);
  await h.coreStatus();
  await h.run(facebook.open);
  await h.run(facebook.select, 6);
  await eventually(async () => (await h.coreStatus()).health.state === 'ok', { what: 'the dialog read by the pack' });
  await h.nextFrame();
  await h.nextFrame();
  return (await h.inserted()).filter((x) => x.kind === 'warn').length;
}

describe('site packs in options (Chromium)', { timeout: 300_000 }, () => {
  let h;
  chromiumSuite((harness) => {
    h = harness;
  });
  beforeEach(async () => {
    assert.equal((await h.send({ type: 'delete_everything' })).outcome, 'page');
  });

  async function openOptions() {
    const page = await h.context.newPage();
    await page.goto(`${h.origin}/options.html`);
    await page.locator('table[data-field="packs"] tr[data-site="facebook"]').waitFor();
    return page;
  }
  const storedPacks = (page) => page.evaluate(() => chrome.storage.local.get('packs').then((all) => all.packs ?? null));

  it('an imported pack is used after a reload, on wasm and on the fallback; reset brings the bundled one back', async () => {
    const options = await openOptions();
    assert.deepEqual(await options.evaluate(FACEBOOK_ROW), { bundled: String(BUNDLED.version), imported: '–', active: 'bundled', reset: false });
    const text = JSON.stringify(updatedPack(), null, 2);
    await options.locator('#pack-file').setInputFiles({ name: 'facebook.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    const report = await eventually(async () => {
      const r = await options.evaluate(REPORT);
      return r?.value ? r : null;
    }, { what: 'the import report' });
    assert.equal(report.role, 'status', report.text);
    assert.equal(report.value, 'ok');
    assert.match(report.text, new RegExp(`Facebook pack version ${BUNDLED.version + 1} was imported`));
    assert.deepEqual(await options.evaluate(FACEBOOK_ROW), {
      bundled: String(BUNDLED.version),
      imported: String(BUNDLED.version + 1),
      active: 'imported',
      reset: true,
    });
    assert.equal((await storedPacks(options)).facebook.version, BUNDLED.version + 1);
    assert.equal(await options.evaluate(() => document.activeElement?.id), 'pack-file');

    assert.equal(await warningsAtSix(h), 1, 'the imported pack reads the dialog as a direct add');
    assert.equal(await warningsAtSix(h, `https://${facebook.host}${facebook.url('en', { csp: 'strict' })}`), 1, 'the fallback too');
    assert.equal((await h.coreStatus()).engine, 'fallback');

    await options.locator('tr[data-site="facebook"] button[data-action="reset-pack"]').click();
    await eventually(async () => (await options.evaluate(FACEBOOK_ROW))?.active === 'bundled', { what: 'the bundled pack in use' });
    assert.deepEqual(await options.evaluate(FACEBOOK_ROW), { bundled: String(BUNDLED.version), imported: '–', active: 'bundled', reset: false });
    assert.deepEqual(await storedPacks(options), {});
    assert.equal(await options.evaluate(() => document.activeElement?.id), 'pack-file');
    await options.close();

    assert.equal(await warningsAtSix(h), 0, 'the bundled pack: an invitation of six is below 20');
  });

  it('malformed and hostile packs are refused with a clear error, in German too, and nothing changes', async () => {
    const imported = await h.send({ type: 'import_pack', data: JSON.stringify(updatedPack()) });
    assert.equal(imported.body.type, 'pack_imported', JSON.stringify(imported));
    const options = await openOptions();
    const stored = await storedPacks(options);
    const row = await options.evaluate(FACEBOOK_ROW);
    assert.equal(row.active, 'imported');
    for (const file of malformed()) {
      await options.locator('#pack-file').setInputFiles({ name: file.name, mimeType: 'application/json', buffer: Buffer.from(file.text) });
      const report = await eventually(async () => {
        const r = await options.evaluate(REPORT);
        return r && file.en.test(r.text) ? r : null;
      }, { what: `the error for ${file.name}` });
      assert.equal(report.role, 'alert', file.name);
      assert.equal(report.value, 'error', file.name);
      assert.match(report.text, /^Pack not imported, nothing was changed: /, file.name);
      assert.deepEqual(await storedPacks(options), stored, `${file.name}: storage unchanged`);
      assert.deepEqual(await options.evaluate(FACEBOOK_ROW), row, `${file.name}: table unchanged`);
      assert.equal(await options.evaluate(MARKUP), 0, `${file.name}: no markup from the file`);
      assert.equal(await options.evaluate(() => window.__pwned), undefined);
    }
    await options.close();

    assert.equal((await h.send({ type: 'set_settings', settings: { language: 'de' } })).outcome, 'page');
    const german = await openOptions();
    await german.locator('#pack-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"site": ') });
    const report = await eventually(async () => {
      const r = await german.evaluate(REPORT);
      return r?.value ? r : null;
    }, { what: 'the German error' });
    assert.equal(report.role, 'alert');
    assert.match(report.text, /^Paket nicht importiert, nichts wurde geändert: das ist kein gültiges JSON \(Zeile 1, Spalte \d+\)$/);
    const manySteps = malformed().find((file) => file.name === 'many-steps.json');
    await german.locator('#pack-file').setInputFiles({ name: manySteps.name, mimeType: 'application/json', buffer: Buffer.from(manySteps.text) });
    await eventually(async () => {
      const r = await german.evaluate(REPORT);
      return r && /leave\.steps: mehr als 4 Schritte bis zum Verlassen-Eintrag oder mehr als 4 Alternativen in einem Schritt$/.test(r.text) ? r : null;
    }, { what: 'the German error for too many steps' });
    assert.deepEqual(await storedPacks(german), stored);
    await german.close();
  });
});

describe('site packs in options (Firefox)', { timeout: 300_000 }, () => {
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

  const storedPacks = (driver) =>
    driver.executeAsyncScript(
      'const done = arguments[arguments.length - 1]; browser.storage.local.get("packs").then((all) => done(all.packs ?? null), (e) => done({ error: String(e) }));',
    );
  const row = (driver) => driver.executeScript(`return ${FACEBOOK_ROW};`);
  const report = (driver) => driver.executeScript(`return ${REPORT};`);
  const choose = async (driver, path) => {
    const input = await eventually(async () => (await driver.findElements({ css: '#pack-file' }))[0], { what: 'the pack file picker' });
    await input.sendKeys(path);
  };

  it('an imported pack is used after a reload; reset brings the bundled one back', async () => {
    const [file] = writeFiles([{ name: 'facebook.json', text: JSON.stringify(updatedPack(), null, 2) }]);
    await h.inExtensionPage('options.html', async (driver) => {
      assert.deepEqual(await eventually(() => row(driver), { what: 'the packs table' }), {
        bundled: String(BUNDLED.version),
        imported: '–',
        active: 'bundled',
        reset: false,
      });
      await choose(driver, file.path);
      const shown = await eventually(async () => {
        const r = await report(driver);
        return r?.value ? r : null;
      }, { what: 'the import report' });
      assert.equal(shown.role, 'status', shown.text);
      assert.match(shown.text, new RegExp(`Facebook pack version ${BUNDLED.version + 1} was imported`));
      assert.equal((await row(driver)).active, 'imported');
      assert.equal((await storedPacks(driver)).facebook.version, BUNDLED.version + 1);
    });

    assert.equal(await warningsAtSix(h), 1, 'the imported pack reads the dialog as a direct add');

    await h.inExtensionPage('options.html', async (driver) => {
      const reset = await eventually(
        async () => (await driver.findElements({ css: 'tr[data-site="facebook"] button[data-action="reset-pack"]' }))[0],
        { what: 'the reset button' },
      );
      await reset.click();
      await eventually(async () => (await row(driver))?.active === 'bundled', { what: 'the bundled pack in use' });
      assert.equal((await row(driver)).imported, '–');
      assert.deepEqual(await storedPacks(driver), {});
    });

    assert.equal(await warningsAtSix(h), 0, 'the bundled pack: an invitation of six is below 20');
  });

  it('malformed and hostile packs are refused with a clear error and nothing changes', async () => {
    const imported = await h.send({ type: 'import_pack', data: JSON.stringify(updatedPack()) });
    assert.equal(imported.body.type, 'pack_imported', JSON.stringify(imported));
    const files = writeFiles(malformed());
    await h.inExtensionPage('options.html', async (driver) => {
      const before = await eventually(() => row(driver), { what: 'the packs table' });
      assert.equal(before.active, 'imported');
      const stored = await storedPacks(driver);
      for (const file of files) {
        await choose(driver, file.path);
        const shown = await eventually(async () => {
          const r = await report(driver);
          return r && file.en.test(r.text) ? r : null;
        }, { what: `the error for ${file.name}` });
        assert.equal(shown.role, 'alert', file.name);
        assert.match(shown.text, /^Pack not imported, nothing was changed: /, file.name);
        assert.deepEqual(await storedPacks(driver), stored, `${file.name}: storage unchanged`);
        assert.deepEqual(await row(driver), before, `${file.name}: table unchanged`);
        assert.equal(await driver.executeScript(`return ${MARKUP};`), 0, `${file.name}: no markup from the file`);
        assert.equal(await driver.executeScript('return window.__pwned === undefined;'), true);
      }
    });
  });
});
