// What the tests ask the extension, the same way in both browsers: through its own pages.

/** A page-channel request as the popup and options pages send it. */
export function pageRequest(body) {
  return { v: 1, channel: 'page', body };
}

/** Polls `probe` until it returns a truthy value or the time is up. */
export async function eventually(probe, { timeout = 10000, interval = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await new Promise((ok) => setTimeout(ok, interval));
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/** The page URL of a fixture page, optionally served with the strict CSP. */
export function fixtureUrl(site, page, { csp, lang } = {}) {
  const url = new URL(`https://${site.host}${page.path}`);
  if (csp === 'strict') url.searchParams.set('csp', 'strict');
  if (lang) url.searchParams.set('lang', lang);
  return url.href;
}

/**
 * The first group page of each fixture site, and the first of each further shape of the site
 * (pages marked with a `shape`, e.g. Telegram's Web A next to Web K): `{site, page, label}`, the
 * label naming the shape where it is not the site's first page ("telegram (a)").
 */
export function groupPages(sites) {
  return sites.flatMap((site) => {
    const groups = site.pages.filter((p) => p.kind === 'group');
    const first = groups[0] ?? site.pages[0];
    const shapes = [...new Set(groups.map((p) => p.shape).filter(Boolean))];
    const pages = [first, ...shapes.map((shape) => groups.find((p) => p.shape === shape))];
    return [...new Set(pages)].map((page) => ({ site, page, label: page === first ? site.site : `${site.site} (${page.shape})` }));
  });
}

// The button of the open (leave) dialog whose text (or aria-label) is one of `texts`, waiting for
// it up to 3 s. For the user's click on it: `h.clickFound(DIALOG_BUTTON, texts)` (real input);
// a page script's click is CLICK_IN_DIALOG.
export const DIALOG_BUTTON = String.raw`async (texts) => {
  const shown = (el) => el.isConnected && el.getClientRects().length > 0;
  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim().toLowerCase();
  const end = Date.now() + 3000;
  for (;;) {
    const roots = Array.from(document.querySelectorAll('[role=dialog], [role=alertdialog], [data-animate-modal-popup], .popup-container'))
      .filter((el) => shown(el) && !el.closest('[data-ask-first]'));
    for (const root of roots.reverse()) {
      const button = Array.from(root.querySelectorAll('button, [role=button]'))
        .filter(shown)
        .find((b) => texts.includes(norm(b.textContent)) || texts.includes(norm(b.getAttribute('aria-label'))));
      if (button) return button;
    }
    if (Date.now() > end) throw new Error('no dialog button ' + texts.join('/'));
    await new Promise((ok) => setTimeout(ok, 50));
  }
}`;

// A page script's click (element.click(), untrusted) on that button: the site acts on it, Ask
// First must not (see tests/e2e/trusted.test.mjs).
export const CLICK_IN_DIALOG = `async (texts) => {
  const button = await (${DIALOG_BUTTON})(texts);
  button.click();
  return button.textContent;
}`;

/** A page expression that calls the function source `src` with JSON arguments. */
export const call = (src, ...args) => `(${src})(${args.map((a) => JSON.stringify(a)).join(', ')})`;

/**
 * Stops every service worker of the browser of `page` (a Playwright page) through the DevTools
 * protocol and waits until one reports it stopped: the next message wakes a fresh worker that
 * loads from storage.
 */
export async function stopServiceWorkers(context, page, { interval = 100 } = {}) {
  const cdp = await context.newCDPSession(page);
  const statuses = [];
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const version of versions) statuses.push(version.runningStatus);
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await eventually(() => statuses.includes('stopped'), { what: 'the worker to stop', interval });
  await cdp.detach();
}

/**
 * What the popup says about how Ask First reads the harness's current tab ("How Ask First reads
 * this page"): `{reading, text, last, report}`, `reading` one of pack, structure, unread, idle
 * (or unavailable). Opens the popup for that tab in a page of its own, then closes it.
 */
export async function siteCheck(h) {
  const popup = await h.openExtensionPage(`popup.html?tab=${await h.tabId()}`);
  try {
    await popup.waitFor('[data-field="site-check"]');
    return await popup.evaluate(`(() => {
      const check = document.querySelector('[data-field="site-check"]');
      const last = document.querySelector('[data-field="site-check-last"]');
      const report = document.querySelector('[data-field="site-report"]');
      return { reading: check.getAttribute('data-reading'), text: check.textContent,
        last: last ? last.getAttribute('data-reading') : null, report: report ? report.textContent : null };
    })()`);
  } finally {
    await popup.close();
  }
}
