// The demo: serves the bundled group pages under the sites' real host names and opens Chromium
// with the built extension on them. With a display, a normal window stays open until you close
// it; without one, Chromium runs headless and saves screenshots of what a user would see.
//
// Run through `cargo xtask demo` (which builds first). Options: --headless forces headless mode;
// --screenshots DIR (headless) also writes the README's pictures into DIR: the popup, the options
// page, a warning, the gate and a re-addition banner, each cropped to what it shows.
// --store DIR (headless) writes the store listings' screenshots, 1280×800, in English and German:
// DIR/<lang>/1-warning.png, 2-gate.png, 3-readd.png, 4-options.png (see store/README.md).
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { launchChromium, ROOT } from './support/browsers.mjs';
import { call, DRIVERS } from './support/drivers.mjs';
import { eventually, fixtureUrl, groupPages, pageRequest } from './support/probes.mjs';
import { fixtureSites, privateLoopback, startServer } from './support/server.mjs';

const forceHeadless = process.argv.includes('--headless');
const headless = forceHeadless || !process.env.DISPLAY;
const asRoot = process.getuid?.() === 0;
const screenshotsAt = process.argv.indexOf('--screenshots');
const readmeDir = screenshotsAt > 0 ? resolve(process.argv[screenshotsAt + 1] ?? '') : null;
const storeAt = process.argv.indexOf('--store');
const storeDir = storeAt > 0 ? resolve(process.argv[storeAt + 1] ?? '') : null;

// As root: port 443 on a loopback address of this run's own (another run may hold 127.0.0.1:443).
const address = asRoot ? privateLoopback() : '127.0.0.1';
const server = await startServer({ port: asRoot ? 443 : 0, host: address });
const browser = await launchChromium({ port: server.port, hosts: server.hosts, address, headless });
const pages = groupPages(fixtureSites());

console.log(`Fixture server on 127.0.0.1:${server.port}; the extension is ${browser.extensionId}.`);

if (!headless) {
  for (const { site, page, label } of pages) {
    const tab = await browser.context.newPage();
    await tab.goto(fixtureUrl(site, page));
    console.log(`  opened ${label}: ${tab.url()}`);
  }
  console.log('Close the browser window to end the demo.');
  await new Promise((done) => browser.context.on('close', done));
  await server.close();
  process.exit(0);
}

const out = join(ROOT, 'tests/.out/demo');
mkdirSync(out, { recursive: true });
const probe = await browser.context.newPage();
await probe.goto(`${browser.origin}/options.html`);
const saved = [];
for (const { site, page, label } of pages) {
  // Further shapes of a site get their own file names (telegram-a.png).
  const stem = label.replace(/ \((\w+)\)$/, '-$1');
  for (const csp of [undefined, 'strict']) {
    const tab = await browser.context.newPage();
    await tab.goto(fixtureUrl(site, page, { csp }));
    const tabId = await eventually(
      () => browser.worker.evaluate(async (url) => (await chrome.tabs.query({})).find((t) => t.url === url)?.id, tab.url()),
      { what: 'the tab id' },
    );
    await eventually(
      async () => (await probe.evaluate((m) => chrome.runtime.sendMessage(m), pageRequest({ type: 'tab_status', tab_id: tabId })))?.body?.status,
      { what: `the content core on ${site.site}` },
    );
    const suffix = csp ? '-strict-csp' : '';
    const pagePath = join(out, `${stem}${suffix}.png`);
    await tab.screenshot({ path: pagePath });
    saved.push(pagePath);
    // The popup as it looks for this tab.
    const popup = await browser.context.newPage();
    await popup.setViewportSize({ width: 360, height: 320 });
    await popup.goto(`${browser.origin}/popup.html?tab=${tabId}`);
    await popup.locator('[data-field="engine"]').waitFor();
    const popupPath = join(out, `${stem}${suffix}-popup.png`);
    await popup.screenshot({ path: popupPath });
    saved.push(popupPath);
    await popup.close();
    await tab.close();
  }
}
const options = await browser.context.newPage();
await options.goto(`${browser.origin}/options.html`);
await options.locator('h1').waitFor();
const optionsPath = join(out, 'options.png');
await options.screenshot({ path: optionsPath, fullPage: true });
saved.push(optionsPath);
await options.close();

// What a user meets on a group page: a warning, the gate, a re-addition banner; then the popup
// and the options page with that history.
const send = (body) => probe.evaluate((m) => chrome.runtime.sendMessage(m), pageRequest(body));
const pictures = {};
/** Saves `locator`'s box (or the box `crop` makes of it) with a margin, clipped to the viewport. */
async function shoot(tab, locator, name, margin = 12, crop = (box) => box) {
  const box = crop(await locator.boundingBox());
  const view = tab.viewportSize();
  const x = Math.max(0, box.x - margin);
  const y = Math.max(0, box.y - margin);
  const clip = {
    x,
    y,
    width: Math.min(view.width - x, box.width + 2 * margin),
    height: Math.min(view.height - y, box.height + 2 * margin),
  };
  const path = join(out, `${name}.png`);
  await tab.screenshot({ path, clip });
  saved.push(path);
  pictures[name] = path;
}
const fb = DRIVERS.facebook;
await send({ type: 'delete_everything' });
const group = await browser.context.newPage();
await group.setViewportSize({ width: 1100, height: 1080 });
await group.goto(`https://${fb.host}${fb.url('en')}`);
await group.waitForFunction(() => window.__fixture && window.__fixture.ready);
await group.evaluate(call(fb.open));
await group.evaluate(call(fb.select, 21));
const warning = group.locator('[data-ask-first="warn"] .box');
await warning.waitFor();
// The foot of the invite dialog: its buttons and, below them, the warning.
const warned = await warning.boundingBox();
await shoot(group, group.locator('[role=dialog]:has([data-ask-first="warn"])'), 'warning', 0, (dialog) => {
  const top = Math.max(dialog.y, warned.y - 150);
  return { x: dialog.x, y: top, width: dialog.width, height: dialog.y + dialog.height - top };
});
await group.evaluate(call(fb.clickConfirm));
const gate = group.locator('[data-ask-first="gate"] .gate');
await gate.waitFor();
await shoot(group, gate, 'gate', 24);
// "They said yes": three of the people answered an ask-first message; the user ticks them in the
// gate's panel. The same invitation again, to 24 people: the gate counts the three and asks only
// the other 21.
const inGate = (css) => group.locator(`[data-ask-first="gate"] ${css}`);
await inGate('button[data-action="yes-open"]').click();
for (const key of ['0', '1', '2']) await inGate(`input[data-yes="${key}"]`).click();
await inGate('button[data-action="yes"]').click();
await eventually(async () => ((await send({ type: 'get_record' })).body.record.agreed ?? []).length === 3, {
  what: 'three people who said yes',
});
await inGate('button[data-action="cancel"]').click();
await group.goto(`https://${fb.host}${fb.url('en')}`);
await group.waitForFunction(() => window.__fixture && window.__fixture.ready);
await group.evaluate(call(fb.open));
await group.evaluate(call(fb.select, 24));
await group.locator('[data-ask-first="warn"] .box').waitFor();
await group.evaluate(call(fb.clickConfirm));
await gate.waitFor();
await shoot(group, gate, 'gate-yes', 24);
await inGate('button[data-action="cancel"]').click();
await send({ type: 'record_leave', group: { site: 'facebook', key: '4711' }, name: fb.groupName('en') });
await group.goto(`https://${fb.host}${fb.url('en', { sys: 'added:Anna Schmidt' })}`);
const banner = group.locator('[data-ask-first="readd"] .flag');
await banner.waitFor();
await shoot(group, banner, 'readd', 16);
const tabId = await eventually(
  () => browser.worker.evaluate(async (url) => (await chrome.tabs.query({})).find((t) => t.url === url)?.id, group.url()),
  { what: 'the group tab' },
);
// Earlier months for the twelve-month chart, merged in as an import of a sample record would.
const sample = JSON.parse((await send({ type: 'export' })).body.data);
const monthBack = (back) => {
  const date = new Date();
  date.setDate(15);
  date.setMonth(date.getMonth() - back);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
};
sample.record.monthly = {
  [monthBack(9)]: { readded: 2, adders: [{ site: 'facebook', name: 'Jonas Weber', count: 2 }] },
  [monthBack(7)]: { readded: 1, held_back: 1, held_back_people: 25, adders: [{ site: 'facebook', name: 'Jonas Weber', count: 1 }] },
  [monthBack(5)]: { held_back: 2, held_back_people: 48, asked: 2 },
  [monthBack(3)]: { readded: 1, asked: 1, adders: [{ site: 'whatsapp', name: 'Mara K.', count: 1 }] },
  [monthBack(1)]: { held_back: 1, held_back_people: 30, asked: 3 },
};
sample.record.left = [];
sample.record.agreed = [];
await send({ type: 'import', data: JSON.stringify(sample), mode: 'merge' });
const popup = await browser.context.newPage();
await popup.setViewportSize({ width: 340, height: 1000 });
await popup.goto(`${browser.origin}/popup.html?tab=${tabId}`);
await popup.locator('[data-field="left"][data-value="yes"]').waitFor();
await shoot(popup, popup.locator('main'), 'popup', 0);
const record = await browser.context.newPage();
await record.setViewportSize({ width: 820, height: 1000 });
await record.goto(`${browser.origin}/options.html`);
await record.locator('table[data-field="groups-left"]').waitFor();
await shoot(record, record.locator('body'), 'options-top', 0);
await record.evaluate(() => window.scrollTo(0, document.getElementById('record-heading').getBoundingClientRect().top + window.scrollY - 24));
await shoot(record, record.locator('section[aria-labelledby="record-heading"]'), 'options-record', 16);
await record.evaluate(() => window.scrollTo(0, document.getElementById('monthly-heading').getBoundingClientRect().top + window.scrollY - 24));
await shoot(record, record.locator('section[data-field="monthly"]'), 'options-chart', 16);
// Sync, switched on by the user's click: how much of the record the browser's sync holds.
await record.locator('#sync-enabled').click();
await record.locator('#sync-section [data-field="sync-groups"]').waitFor();
await record.evaluate(() => window.scrollTo(0, document.getElementById('sync-section').getBoundingClientRect().top + window.scrollY - 24));
await shoot(record, record.locator('#sync-section'), 'options-sync', 16);

if (readmeDir) {
  mkdirSync(readmeDir, { recursive: true });
  const names = {
    popup: 'popup', 'options-top': 'options', 'options-record': 'options-record', warning: 'warning', gate: 'gate', readd: 'readd',
    'gate-yes': 'gate-yes', 'options-chart': 'chart', 'options-sync': 'sync',
  };
  for (const [name, file] of Object.entries(names)) copyFileSync(pictures[name], join(readmeDir, `${file}.png`));
  console.log(`README screenshots written to ${readmeDir}`);
}

if (storeDir) {
  saved.push(...(await storeShots(browser, 'en', join(storeDir, 'en'))));
  // The texts on the site's page follow the browser's UI language (chrome.i18n), so the German
  // pictures come from a Chromium started in German.
  // Debian's chromium ships only its English UI; the German one is in chromium-l10n.
  const germanUi = '/usr/lib/chromium/locales/de.pak';
  if (!existsSync(germanUi)) throw new Error(`no ${germanUi}: apt-get install chromium-l10n for the German store screenshots`);
  process.env.LANGUAGE = 'de';
  const german = await launchChromium({ port: server.port, hosts: server.hosts, address, headless: true });
  delete process.env.LANGUAGE;
  saved.push(...(await storeShots(german, 'de', join(storeDir, 'de'))));
  await german.context.close();
  console.log(`Store screenshots (1280×800, en and de) written to ${storeDir}`);
}

await browser.context.close();
await server.close();
console.log(`No display: ran headless and saved ${saved.length} screenshots of what a user sees:`);
for (const path of saved) console.log(`  ${path}`);

/** Width and height from a PNG's header. */
function pngSize(path) {
  const bytes = readFileSync(path);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/**
 * The store screenshots in one language, each 1280×800: the warning in an invite dialog and the
 * gate (the dialog is taller than 800 pixels, so these two show a 1600×1000 page at 0.8), a
 * re-addition banner, the options page's record. The extension's language is set in its
 * settings; the fixture page speaks the same language.
 */
async function storeShots(chromium, lang, dir) {
  mkdirSync(dir, { recursive: true });
  const size = { width: 1280, height: 800 };
  const probe = await chromium.context.newPage();
  await probe.goto(`${chromium.origin}/options.html`);
  const send = (body) => probe.evaluate((m) => chrome.runtime.sendMessage(m), pageRequest(body));
  await send({ type: 'delete_everything' });
  const { settings } = (await send({ type: 'get_settings' })).body;
  const set = await send({ type: 'set_settings', settings: { ...settings, language: lang } });
  if (set?.outcome !== 'page') throw new Error(`setting the language to ${lang} failed: ${JSON.stringify(set)}`);
  const paths = [];
  // `cdp`: capture through the DevTools protocol, which keeps its device metrics override
  // (Playwright's own screenshot would apply its viewport again).
  const save = async (tab, name, cdp = null) => {
    const path = join(dir, name);
    if (cdp) writeFileSync(path, Buffer.from((await cdp.send('Page.captureScreenshot', { format: 'png' })).data, 'base64'));
    else await tab.screenshot({ path });
    const got = pngSize(path);
    if (got.width !== size.width || got.height !== size.height) {
      throw new Error(`${path} is ${got.width}×${got.height}, the stores want ${size.width}×${size.height}`);
    }
    paths.push(path);
  };
  const tab = await chromium.context.newPage();
  const cdp = await chromium.context.newCDPSession(tab);
  await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1600, height: 1000, deviceScaleFactor: 0.8, mobile: false });
  await tab.goto(`https://${fb.host}${fb.url(lang)}`);
  await tab.waitForFunction(() => window.__fixture && window.__fixture.ready);
  await tab.evaluate(call(fb.open));
  await tab.evaluate(call(fb.select, 21));
  await tab.locator('[data-ask-first="warn"] .box').waitFor();
  await save(tab, '1-warning.png', cdp);
  await tab.evaluate(call(fb.clickConfirm));
  await tab.locator('[data-ask-first="gate"] .gate').waitFor();
  await save(tab, '2-gate.png', cdp);
  await tab.locator('[data-ask-first="gate"] button[data-action="cancel"]').click();
  await cdp.send('Emulation.clearDeviceMetricsOverride');
  await tab.setViewportSize(size);
  await send({ type: 'record_leave', group: { site: 'facebook', key: '4711' }, name: fb.groupName(lang) });
  await tab.goto(`https://${fb.host}${fb.url(lang, { sys: 'added:Anna Schmidt' })}`);
  await tab.locator('[data-ask-first="readd"] .flag').waitFor();
  await save(tab, '3-readd.png');
  await tab.close();
  const options = await chromium.context.newPage();
  await options.setViewportSize(size);
  await options.goto(`${chromium.origin}/options.html`);
  await options.locator('table[data-field="groups-left"]').waitFor();
  await options.evaluate(() => window.scrollTo(0, document.getElementById('record-heading').getBoundingClientRect().top + window.scrollY - 24));
  await save(options, '4-options.png');
  await options.close();
  await send({ type: 'set_settings', settings });
  await probe.close();
  return paths;
}
