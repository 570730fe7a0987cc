// The demo: serves the bundled group pages under the sites' real host names and opens Chromium
// with the built extension on them. With a display, a normal window stays open until you close
// it; without one, Chromium runs headless and saves screenshots of what a user would see.
//
// Run through `cargo xtask demo` (which builds first). Options: --headless forces headless mode.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { launchChromium, ROOT } from './support/browsers.mjs';
import { eventually, fixtureUrl, groupPages, pageRequest } from './support/probes.mjs';
import { fixtureSites, startServer } from './support/server.mjs';

const forceHeadless = process.argv.includes('--headless');
const headless = forceHeadless || !process.env.DISPLAY;
const asRoot = process.getuid?.() === 0;

const server = await startServer({ port: asRoot ? 443 : 0 });
const browser = await launchChromium({ port: server.port, hosts: server.hosts, headless });
const pages = groupPages(fixtureSites());

console.log(`Fixture server on 127.0.0.1:${server.port}; the extension is ${browser.extensionId}.`);

if (!headless) {
  for (const { site, page } of pages) {
    const tab = await browser.context.newPage();
    await tab.goto(fixtureUrl(site, page));
    console.log(`  opened ${site.site}: ${tab.url()}`);
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
for (const { site, page } of pages) {
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
    const pagePath = join(out, `${site.site}${suffix}.png`);
    await tab.screenshot({ path: pagePath });
    saved.push(pagePath);
    // The popup as it looks for this tab.
    const popup = await browser.context.newPage();
    await popup.setViewportSize({ width: 360, height: 320 });
    await popup.goto(`${browser.origin}/popup.html?tab=${tabId}`);
    await popup.locator('[data-field="engine"]').waitFor();
    const popupPath = join(out, `${site.site}${suffix}-popup.png`);
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

await browser.context.close();
await server.close();
console.log(`No display: ran headless and saved ${saved.length} screenshots of what a user sees:`);
for (const path of saved) console.log(`  ${path}`);
