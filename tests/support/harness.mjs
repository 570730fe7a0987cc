// One interface over both browsers for the end-to-end flows: open a fixture page with the
// extension, run driver scripts in the page, look at what the extension inserted, click the
// gate's buttons like a user, and ask the extension's background what a tab reported.
import { launchChromium, launchFirefox } from './browsers.mjs';
import { call } from './drivers.mjs';
import { eventually, pageRequest } from './probes.mjs';

/** What the extension shows in the page: its hosts by kind, with their roles and names. */
const INSERTED = `(() => Array.from(document.querySelectorAll('[data-ask-first]')).map((host) => ({
  kind: host.getAttribute('data-ask-first'),
  role: host.getAttribute('role'),
  label: host.getAttribute('aria-label'),
  text: host.shadowRoot
    ? Array.from(host.shadowRoot.children).filter((n) => n.tagName !== 'STYLE').map((n) => n.textContent).join(' ')
    : '',
  shadow: !!host.shadowRoot && host.shadowRoot.mode === 'open',
})))()`;

const NEXT_FRAME = 'new Promise((done) => requestAnimationFrame(() => done(true)))';

export async function chromiumHarness(server, { profile } = {}) {
  const browser = await launchChromium({ port: server.port, hosts: server.hosts, address: server.address, profile });
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const probe = await browser.context.newPage();
  await probe.goto(`${browser.origin}/options.html`);
  let page = null;
  const send = (body) => probe.evaluate((m) => chrome.runtime.sendMessage(m), pageRequest(body));
  const tabId = () => {
    const url = page.url();
    return eventually(
      () => browser.worker.evaluate(async (wanted) => (await chrome.tabs.query({})).find((t) => t.url === wanted)?.id ?? null, url),
      { what: `a tab at ${url}` },
    );
  };
  return {
    name: 'chromium',
    context: browser.context,
    origin: browser.origin,
    tabId,
    /** Opens `url` in a fresh tab; waits for the fixture kit unless the page has none. */
    async goto(url, { fixture = true } = {}) {
      if (page) await page.close();
      page = await browser.context.newPage();
      await page.goto(url);
      await page.bringToFront();
      if (fixture) await page.waitForFunction(() => window.__fixture && window.__fixture.ready);
    },
    /** The current tab (for the DevTools protocol). */
    currentPage: () => page,
    run: (src, ...args) => page.evaluate(call(src, ...args)),
    evaluate: (expression) => page.evaluate(expression),
    inserted: () => page.evaluate(INSERTED),
    nextFrame: () => page.evaluate(NEXT_FRAME),
    async gateClick(action) {
      await page.locator(`[data-ask-first="gate"] button[data-action="${action}"]`).click();
    },
    async pressKey(key) {
      await page.keyboard.press(key);
    },
    readClipboard: () => page.evaluate(() => navigator.clipboard.readText()),
    async coreStatus() {
      const url = page.url();
      const tabId = await eventually(
        () => browser.worker.evaluate(async (wanted) => (await chrome.tabs.query({})).find((t) => t.url === wanted)?.id ?? null, url),
        { what: `a tab at ${url}` },
      );
      return eventually(async () => (await send({ type: 'tab_status', tab_id: tabId }))?.body?.status, {
        what: 'the content core',
      });
    },
    send,
    /** The toolbar badge text (all tabs). */
    badge: () => probe.evaluate(() => chrome.action.getBadgeText({})),
    /** The profile directory, to launch again on the same profile (a browser restart). */
    profile: browser.profile,
    close: () => browser.context.close(),
  };
}

export async function firefoxHarness(server) {
  const { driver, origin } = await launchFirefox({ address: server.address });
  await driver.get(`${origin}/options.html`);
  const probeHandle = await driver.getWindowHandle();
  let pageHandle = null;
  const inProbe = async (script, ...args) => {
    await driver.switchTo().window(probeHandle);
    const result = await driver.executeAsyncScript(script, ...args);
    if (pageHandle) await driver.switchTo().window(pageHandle);
    return result;
  };
  const send = (body) =>
    inProbe(
      'const done = arguments[arguments.length - 1]; browser.runtime.sendMessage(arguments[0]).then(done, (e) => done({ error: String(e) }));',
      pageRequest(body),
    );
  return {
    name: 'firefox',
    driver,
    origin,
    /** Opens an extension page in the probe window (returns to the page tab afterwards). */
    async inExtensionPage(path, body) {
      await driver.switchTo().window(probeHandle);
      await driver.get(`${origin}/${path}`);
      try {
        return await body(driver);
      } finally {
        await driver.get(`${origin}/options.html`);
        if (pageHandle) await driver.switchTo().window(pageHandle);
      }
    },
    async goto(url) {
      if (pageHandle) {
        await driver.switchTo().window(pageHandle);
        await driver.close();
      }
      await driver.switchTo().window(probeHandle);
      await driver.switchTo().newWindow('tab');
      pageHandle = await driver.getWindowHandle();
      await driver.get(url);
      // Firefox may return from get() before a URL with a #hash replaced about:blank.
      await eventually(
        () => driver.executeScript('return !!(window.__fixture && window.__fixture.ready);'),
        { what: `the fixture at ${url}` },
      );
    },
    run: (src, ...args) => driver.executeScript(`return ${call(src, ...args)};`),
    evaluate: (expression) => driver.executeScript(`return ${expression};`),
    inserted: () => driver.executeScript(`return ${INSERTED};`),
    nextFrame: () => driver.executeScript(`return ${NEXT_FRAME};`),
    async gateClick(action) {
      const button = await driver.executeScript(
        `const host = document.querySelector('[data-ask-first="gate"]');
         return host && host.shadowRoot.querySelector('button[data-action="${action}"]');`,
      );
      if (!button) throw new Error(`no gate button ${action}`);
      await button.click();
    },
    async pressKey(key) {
      const { Key } = await import('selenium-webdriver');
      await driver.actions().sendKeys(key === 'Escape' ? Key.ESCAPE : key).perform();
    },
    readClipboard: null,
    async coreStatus() {
      const url = await driver.getCurrentUrl();
      const tabId = await eventually(
        () => inProbe('const done = arguments[arguments.length - 1]; browser.tabs.query({}).then((tabs) => done(tabs.find((t) => t.url === arguments[0])?.id ?? null));', url),
        { what: `a tab at ${url}` },
      );
      return eventually(async () => (await send({ type: 'tab_status', tab_id: tabId }))?.body?.status, {
        what: 'the content core',
      });
    },
    send,
    /** The toolbar badge text (all tabs). */
    badge: () =>
      inProbe('const done = arguments[arguments.length - 1]; browser.action.getBadgeText({}).then(done, (e) => done({ error: String(e) }));'),
    close: () => driver.quit(),
  };
}
