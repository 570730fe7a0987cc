// The foundation, end to end: the built extension loads in Chromium and Firefox, the content core
// starts on every supported site with and without a strict page CSP (through the wasm2js fallback
// where Chromium refuses wasm), reports which build ran, and the popup and options render.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { launchChromium, launchFirefox } from '../support/browsers.mjs';
import { eventually, fixtureUrl, groupPages, pageRequest } from '../support/probes.mjs';
import { fixtureSites, privateLoopback, startServer } from '../support/server.mjs';

const sites = fixtureSites();
const pages = groupPages(sites);
const POLICIES = [undefined, 'strict'];

let server;
before(async () => {
  // Firefox resolves every host to one loopback address on the default port, so listen on 443
  // there; an address of this run's own keeps parallel runs apart.
  server = await startServer({ port: 443, host: privateLoopback() });
});
after(async () => {
  await server?.close();
});

describe('Chromium', { timeout: 240_000 }, () => {
  let browser;
  let probe;

  before(async () => {
    browser = await launchChromium({ port: server.port, hosts: server.hosts, address: server.address });
    probe = await browser.context.newPage();
    await probe.goto(`${browser.origin}/options.html`);
  });
  after(async () => {
    await browser?.context.close();
  });

  const send = (body) => probe.evaluate((message) => chrome.runtime.sendMessage(message), pageRequest(body));

  async function tabIdFor(url) {
    return eventually(
      () => browser.worker.evaluate(async (wanted) => {
        const tabs = await chrome.tabs.query({});
        return tabs.find((tab) => tab.url === wanted)?.id ?? null;
      }, url),
      { what: `a tab at ${url}` },
    );
  }

  it('the background router answers extension pages', async () => {
    const reply = await send({ type: 'tab_status', tab_id: 999999 });
    assert.deepEqual(reply, { outcome: 'page', body: { type: 'tab_status', status: null } });
  });

  for (const { site, page, label } of pages) {
    for (const csp of POLICIES) {
      const expected = csp === 'strict' ? 'fallback' : 'wasm';
      it(`${label}: the content core runs (${csp ?? 'no'} CSP → ${expected})`, async () => {
        const tab = await browser.context.newPage();
        const url = fixtureUrl(site, page, { csp });
        const response = await tab.goto(url);
        assert.equal(response.status(), 200);
        if (csp === 'strict') {
          assert.match(response.headers()['content-security-policy'], /script-src 'self'/);
        }
        const tabId = await tabIdFor(tab.url());
        const status = await eventually(async () => {
          const reply = await send({ type: 'tab_status', tab_id: tabId });
          return reply?.body?.status;
        }, { what: `the content core's hello from ${site.site}` });
        assert.equal(status.site, site.site);
        assert.equal(status.engine, expected);
        assert.equal(status.failure, null);

        // The popup shows the same, for this tab.
        const popup = await browser.context.newPage();
        await popup.goto(`${browser.origin}/popup.html?tab=${tabId}`);
        const engine = popup.locator('[data-field="engine"]');
        await engine.waitFor();
        assert.equal(await engine.getAttribute('data-value'), expected);
        assert.equal(await popup.locator('[data-field="site"]').getAttribute('data-value'), site.site);
        await popup.close();

        const errors = await tab.evaluate(() => globalThis.__fixture?.errors ?? []);
        assert.deepEqual(errors, [], 'the site logged no error');
        await tab.close();
      });
    }
  }

  it('the options page renders from Rust with every supported site', async () => {
    const options = await browser.context.newPage();
    await options.goto(`${browser.origin}/options.html`);
    await options.locator('h1').waitFor();
    assert.equal(await options.locator('h1').textContent(), 'Ask First settings');
    assert.equal(await options.locator('section[aria-labelledby="rules-heading"] tr[data-site]').count(), 7);
    assert.equal(await options.locator('html').getAttribute('lang'), 'en');
    await options.close();
  });

  it('the popup says when the current tab is not a supported site', async () => {
    const popup = await browser.context.newPage();
    await popup.goto(`${browser.origin}/popup.html?tab=424242`);
    await popup.locator('[data-field="inactive"]').waitFor();
    assert.match(await popup.locator('[data-field="inactive"]').textContent(), /not active/);
    await popup.close();
  });
});

describe('Firefox', { timeout: 300_000 }, () => {
  let browser;
  let driver;
  let probeHandle;

  before(async () => {
    browser = await launchFirefox({ address: server.address });
    driver = browser.driver;
    await driver.get(`${browser.origin}/options.html`);
    probeHandle = await driver.getWindowHandle();
  });
  after(async () => {
    await driver?.quit();
  });

  async function inProbe(script, ...args) {
    await driver.switchTo().window(probeHandle);
    return driver.executeAsyncScript(script, ...args);
  }

  const send = (body) =>
    inProbe(
      'const done = arguments[arguments.length - 1]; browser.runtime.sendMessage(arguments[0]).then(done, (e) => done({ error: String(e) }));',
      pageRequest(body),
    );

  it('the background router answers extension pages', async () => {
    const reply = await send({ type: 'tab_status', tab_id: 999999 });
    assert.deepEqual(reply, { outcome: 'page', body: { type: 'tab_status', status: null } });
  });

  for (const { site, page, label } of pages) {
    for (const csp of POLICIES) {
      it(`${label}: the content core runs as wasm (${csp ?? 'no'} CSP)`, async () => {
        const url = fixtureUrl(site, page, { csp });
        await driver.switchTo().window(probeHandle);
        await driver.switchTo().newWindow('tab');
        const pageHandle = await driver.getWindowHandle();
        await driver.get(url);
        const loaded = await driver.getCurrentUrl();
        const tabId = await eventually(
          () =>
            inProbe(
              'const done = arguments[arguments.length - 1]; browser.tabs.query({}).then((tabs) => done(tabs.find((t) => t.url === arguments[0])?.id ?? null));',
              loaded,
            ),
          { what: `a tab at ${loaded}` },
        );
        const status = await eventually(async () => (await send({ type: 'tab_status', tab_id: tabId }))?.body?.status, {
          what: `the content core's hello from ${site.site}`,
        });
        assert.equal(status.site, site.site);
        // Firefox compiles wasm in content scripts whatever the page's CSP says.
        assert.equal(status.engine, 'wasm');

        await driver.switchTo().window(probeHandle);
        await driver.get(`${browser.origin}/popup.html?tab=${tabId}`);
        const engine = await eventually(async () => {
          const found = await driver.findElements({ css: '[data-field="engine"]' });
          return found[0] ? found[0].getAttribute('data-value') : null;
        }, { what: 'the popup' });
        assert.equal(engine, 'wasm');
        await driver.get(`${browser.origin}/options.html`);

        await driver.switchTo().window(pageHandle);
        const errors = await driver.executeScript('return (window.__fixture && window.__fixture.errors) || [];');
        assert.deepEqual(errors, [], 'the site logged no error');
        await driver.close();
        await driver.switchTo().window(probeHandle);
      });
    }
  }

  it('the options page renders from Rust with every supported site', async () => {
    await driver.switchTo().window(probeHandle);
    await driver.get(`${browser.origin}/options.html`);
    const rows = await eventually(async () => {
      const found = await driver.findElements({ css: 'section[aria-labelledby="rules-heading"] tr[data-site]' });
      return found.length || null;
    }, { what: 'the options table' });
    assert.equal(rows, 7);
    const heading = await driver.findElement({ css: 'h1' }).getText();
    assert.equal(heading, 'Ask First settings');
  });
});
