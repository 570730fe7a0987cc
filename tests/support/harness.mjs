// One interface over both browsers for the end-to-end flows: open a fixture page with the
// extension, run driver scripts in the page, look at what the extension inserted, click the
// gate's buttons like a user, and ask the extension's background what a tab reported.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { launchChromium, launchFirefox } from './browsers.mjs';
import { call } from './drivers.mjs';
import { eventually, pageRequest, stopServiceWorkers } from './probes.mjs';

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

/**
 * A spot of the test's own that does nothing when clicked: a small square in the bottom right
 * corner, above everything, outside the site's nodes (a modal's backdrop does not see the click).
 */
const USER_SPOT = `(() => {
  if (!document.getElementById('__user-acts')) {
    const spot = document.createElement('div');
    spot.id = '__user-acts';
    spot.style.cssText = 'position: fixed; right: 0; bottom: 0; width: 10px; height: 10px; z-index: 2147483647';
    document.documentElement.appendChild(spot);
  }
  return '#__user-acts';
})()`;

export async function chromiumHarness(server, { profile } = {}) {
  const browser = await launchChromium({ port: server.port, hosts: server.hosts, address: server.address, profile });
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const probe = await browser.context.newPage();
  await probe.goto(`${browser.origin}/options.html`);
  let page = null;
  let colorScheme = null;
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
      if (colorScheme) await page.emulateMedia({ colorScheme });
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
    /** The user's click (real input) on a button of the extension's `kind` host (gate, readd). */
    async uiClick(kind, action) {
      await page.locator(`[data-ask-first="${kind}"] button[data-action="${action}"]`).click();
    },
    gateClick(action) {
      return this.uiClick('gate', action);
    },
    /** The user's click (real input) on the first element matching `css`. */
    async realClick(css) {
      await page.locator(css).first().click();
    },
    /**
     * The user acts (a real click on a spot that does nothing): for two seconds the content core
     * treats page changes as the user's doing and reads the page's structure. A page script's
     * clicks (the site drivers') do not count as the user acting.
     */
    async userActs() {
      await page.locator(await page.evaluate(USER_SPOT)).click();
    },
    /** The user's click (real input) on the element the function source `src` returns. */
    async clickFound(src, ...args) {
      const handle = await page.evaluateHandle(call(src, ...args));
      try {
        const element = handle.asElement();
        if (!element) throw new Error('no element to click');
        await element.click();
      } finally {
        await handle.dispose();
      }
    },
    /** A real click on a button of one of the extension's hosts in the page (`readd`, `gate`…). */
    async hostClick(kind, action) {
      await page.locator(`[data-ask-first="${kind}"] button[data-action="${action}"]`).click();
    },
    /** Stops the extension's service worker (DevTools protocol); the next message starts it again. */
    stopBackground: () => stopServiceWorkers(browser.context, probe),
    async pressKey(key) {
      await page.keyboard.press(key);
    },
    /** `light` or `dark` for the pages opened from now on (and the open site page). */
    async setColorScheme(scheme) {
      colorScheme = scheme;
      if (page) await page.emulateMedia({ colorScheme });
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
    /** An extension page (`popup.html?tab=…`, `options.html`) in a tab of its own: see `ExtensionPage`. */
    async openExtensionPage(path) {
      const tab = await browser.context.newPage();
      if (colorScheme) await tab.emulateMedia({ colorScheme });
      await tab.goto(`${browser.origin}/${path}`);
      return playwrightUi(tab);
    },
    /** The toolbar badge text (all tabs). */
    badge: () => probe.evaluate(() => chrome.action.getBadgeText({})),
    /** The profile directory, to launch again on the same profile (a browser restart). */
    profile: browser.profile,
    close: () => browser.context.close(),
  };
}

/**
 * An extension page driven like a user would, the same calls in both browsers (CSS selectors):
 * waitFor, fill, click, select (an option's value), check, text (textContent), evaluate (a JS
 * expression), setFile (an `<input type=file>`), download (clicks, resolves to the saved file's
 * path) and close. `page` is the Playwright page (Chromium only).
 */
function playwrightUi(page) {
  const at = (css) => page.locator(css).first();
  return {
    page,
    waitFor: (css) => at(css).waitFor(),
    fill: (css, text) => at(css).fill(text),
    click: (css) => at(css).click(),
    select: (css, value) => at(css).selectOption(value),
    check: (css) => at(css).check(),
    text: (css) => at(css).textContent(),
    evaluate: (expression) => page.evaluate(expression),
    press: (key) => page.keyboard.press(key),
    setFile: (css, path) => at(css).setInputFiles(path),
    async download(css, dir) {
      const [download] = await Promise.all([page.waitForEvent('download'), at(css).click()]);
      const file = join(dir, download.suggestedFilename());
      await download.saveAs(file);
      return file;
    },
    close: () => page.close(),
  };
}

/** Presses a key the way Playwright names it: `Escape`, `Tab`, `Shift+Tab` or a character. */
async function pressKeys(driver, key) {
  const { Key } = await import('selenium-webdriver');
  const named = { Escape: Key.ESCAPE, Tab: Key.TAB, Enter: Key.ENTER, Shift: Key.SHIFT };
  const parts = key.split('+').map((part) => named[part] ?? part);
  let actions = driver.actions();
  for (const part of parts.slice(0, -1)) actions = actions.keyDown(part);
  actions = actions.sendKeys(parts[parts.length - 1]);
  for (const part of parts.slice(0, -1).reverse()) actions = actions.keyUp(part);
  await actions.perform();
}

function seleniumUi(driver, onWindow, handle, downloads) {
  // Each call first makes this page's window WebDriver's current one (no switch when it is).
  const at = async (body) => {
    await onWindow(handle);
    return body();
  };
  const find = (css) => eventually(async () => (await driver.findElements({ css }))[0], { what: css });
  // The extension's pages draw themselves anew after a change (a saved form, another language),
  // so an element found a moment ago may be gone: such a step is done again on the new element
  // (a step on a stale element has not happened).
  const onFresh = async (css, step) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await step(await find(css));
      } catch (error) {
        if (error?.name !== 'StaleElementReferenceError' || attempt >= 5) throw error;
      }
    }
  };
  return {
    driver,
    waitFor: (css) => at(async () => !!(await find(css))),
    fill: (css, text) =>
      at(() =>
        onFresh(css, async (element) => {
          await element.clear();
          await element.sendKeys(text);
        }),
      ),
    click: (css) => at(() => onFresh(css, (element) => element.click())),
    select: (css, value) => at(() => onFresh(`${css} option[value="${value}"]`, (element) => element.click())),
    check: (css) =>
      at(() =>
        onFresh(css, async (element) => {
          if (!(await element.isSelected())) await element.click();
        }),
      ),
    // Found and read in one script, so a redraw cannot come between the two.
    text: (css) =>
      at(async () => {
        const [text] = await eventually(
          () => driver.executeScript('const e = document.querySelector(arguments[0]); return e ? [e.textContent] : null;', css),
          { what: css },
        );
        return text;
      }),
    evaluate: (expression) => at(() => driver.executeScript(`return ${expression};`)),
    press: (key) => at(() => pressKeys(driver, key)),
    // Local geckodriver: typing a path into a file input selects that file.
    setFile: (css, path) => at(async () => (await find(css)).sendKeys(path)),
    /** Firefox saves downloads into the profile's download folder without asking (browsers.mjs). */
    async download(css) {
      const before = new Set(readdirSync(downloads));
      await at(async () => (await find(css)).click());
      // Firefox writes `NAME.part` (and an empty NAME) until the download is complete.
      const done = (n) => !before.has(n) && !n.endsWith('.part') && !existsSync(join(downloads, `${n}.part`)) && statSync(join(downloads, n)).size > 0;
      const name = await eventually(() => readdirSync(downloads).find(done), { what: `a new file in ${downloads}` });
      return join(downloads, name);
    },
    close: () =>
      at(async () => {
        await driver.close();
        await onWindow(null);
      }),
  };
}

/**
 * `backgroundIdleMs` shortens how long Firefox lets the extension's event page sit idle before
 * it suspends it (30 s by default), for the suites that test what survives that.
 */
export async function firefoxHarness(server, { backgroundIdleMs } = {}) {
  const prefs = backgroundIdleMs ? { 'extensions.background.idle.timeout': backgroundIdleMs } : {};
  const { driver, origin, downloads } = await launchFirefox({ address: server.address, prefs });
  await driver.get(`${origin}/options.html`);
  const probeHandle = await driver.getWindowHandle();
  let pageHandle = null;
  // WebDriver acts on one window at a time. Switching only when another one is needed keeps the
  // page that has focus undisturbed (a switch re-activates a tab, which may move its focus).
  // `onWindow(null)` after closing the current window: the next call switches.
  let current = probeHandle;
  const onWindow = async (handle) => {
    if (handle === null) {
      current = null;
    } else if (handle !== current) {
      await driver.switchTo().window(handle);
      current = handle;
    }
  };
  const onPage = () => onWindow(pageHandle ?? probeHandle);
  // Back on the site page afterwards, so it stays the selected tab (a background tab gets no
  // animation frames, and the content core scans in them).
  const inProbe = async (script, ...args) => {
    await onWindow(probeHandle);
    try {
      return await driver.executeAsyncScript(script, ...args);
    } finally {
      if (pageHandle) await onWindow(pageHandle);
    }
  };
  const send = (body) =>
    inProbe(
      'const done = arguments[arguments.length - 1]; browser.runtime.sendMessage(arguments[0]).then(done, (e) => done({ error: String(e) }));',
      pageRequest(body),
    );
  const tabIdOf = async () => {
    await onPage();
    const url = await driver.getCurrentUrl();
    return eventually(
      () => inProbe('const done = arguments[arguments.length - 1]; browser.tabs.query({}).then((tabs) => done(tabs.find((t) => t.url === arguments[0])?.id ?? null));', url),
      { what: `a tab at ${url}` },
    );
  };
  return {
    name: 'firefox',
    downloads,
    driver,
    origin,
    /** Opens an extension page in the probe window, runs `body(driver)`, then goes back. */
    async inExtensionPage(path, body) {
      await onWindow(probeHandle);
      await driver.get(`${origin}/${path}`);
      try {
        return await body(driver);
      } finally {
        await onWindow(probeHandle);
        await driver.get(`${origin}/options.html`);
      }
    },
    /** An extension page in a tab of its own (see `playwrightUi` for its calls). */
    async openExtensionPage(path) {
      await onWindow(probeHandle);
      await driver.switchTo().newWindow('tab');
      const handle = await driver.getWindowHandle();
      current = handle;
      await driver.get(`${origin}/${path}`);
      return seleniumUi(driver, onWindow, handle, downloads);
    },
    tabId: () => tabIdOf(),
    async goto(url) {
      if (pageHandle) {
        await onWindow(pageHandle);
        await driver.close();
        await onWindow(null);
      }
      await onWindow(probeHandle);
      await driver.switchTo().newWindow('tab');
      pageHandle = await driver.getWindowHandle();
      current = pageHandle;
      await driver.get(url);
      // Firefox may return from get() before a URL with a #hash replaced about:blank.
      await eventually(
        () => driver.executeScript('return !!(window.__fixture && window.__fixture.ready);'),
        { what: `the fixture at ${url}` },
      );
    },
    run: async (src, ...args) => {
      await onPage();
      return driver.executeScript(`return ${call(src, ...args)};`);
    },
    evaluate: async (expression) => {
      await onPage();
      return driver.executeScript(`return ${expression};`);
    },
    inserted: async () => {
      await onPage();
      return driver.executeScript(`return ${INSERTED};`);
    },
    nextFrame: async () => {
      await onPage();
      return driver.executeScript(`return ${NEXT_FRAME};`);
    },
    async uiClick(kind, action) {
      await onPage();
      const button = await driver.executeScript(
        `const host = document.querySelector('[data-ask-first="${kind}"]');
         return host && host.shadowRoot.querySelector('button[data-action="${action}"]');`,
      );
      if (!button) throw new Error(`no ${kind} button ${action}`);
      await button.click();
    },
    gateClick(action) {
      return this.uiClick('gate', action);
    },
    async realClick(css) {
      await onPage();
      const element = await eventually(async () => (await driver.findElements({ css }))[0], { what: css });
      await element.click();
    },
    async userActs() {
      await onPage();
      const css = await driver.executeScript(`return ${USER_SPOT};`);
      await (await driver.findElement({ css })).click();
    },
    async clickFound(src, ...args) {
      await onPage();
      const element = await driver.executeScript(`return ${call(src, ...args)};`);
      if (!element) throw new Error('no element to click');
      await element.click();
    },
    pressKey: async (key) => {
      await onPage();
      await pressKeys(driver, key);
    },
    /** A real click on a button of one of the extension's hosts in the page (`readd`, `gate`…). */
    async hostClick(kind, action) {
      await onPage();
      const button = await driver.executeScript(
        `const host = document.querySelector('[data-ask-first="${kind}"]');
         return host && host.shadowRoot.querySelector('button[data-action="${action}"]');`,
      );
      if (!button) throw new Error(`no ${kind} button ${action}`);
      await button.click();
    },
    /**
     * Waits until Firefox suspended the event page and a message started it again (needs
     * `backgroundIdleMs`): the background's start time moves on.
     */
    async stopBackground() {
      if (!backgroundIdleMs) throw new Error('stopBackground needs firefoxHarness(server, { backgroundIdleMs })');
      const startedAt = () =>
        inProbe('const done = arguments[arguments.length - 1]; browser.runtime.getBackgroundPage().then((w) => done(w ? w.performance.timeOrigin : null), (e) => done({ error: String(e) }));');
      const before = await startedAt();
      await eventually(
        async () => {
          await new Promise((ok) => setTimeout(ok, backgroundIdleMs + 500));
          const now = await startedAt();
          return typeof now === 'number' && typeof before === 'number' && now > before;
        },
        { what: 'Firefox to suspend the idle event page', timeout: 60_000 },
      );
    },
    /** `light` or `dark` for every page (Firefox's content colour-scheme override). */
    async setColorScheme(scheme) {
      await onWindow(probeHandle);
      await driver.setContext('chrome');
      try {
        await driver.executeScript(`Services.prefs.setIntPref('layout.css.prefers-color-scheme.content-override', ${scheme === 'dark' ? 0 : 1});`);
      } finally {
        await driver.setContext('content');
      }
    },
    readClipboard: null,
    async coreStatus() {
      const tabId = await tabIdOf();
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
