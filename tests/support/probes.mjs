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

/** The first group page of each fixture site. */
export function groupPages(sites) {
  return sites.map((site) => {
    const page = site.pages.find((p) => p.kind === 'group') ?? site.pages[0];
    return { site, page };
  });
}
