// The site drivers against the fixture sites, without the extension, in headless Chromium: each
// driver opens the add/invite dialog, selects and unselects people, clicks the final confirm (and
// the platform's own confirmation) and the fixture logs exactly one send with the right names.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { launchChromium } from '../support/browsers.mjs';
import { DRIVERS, runInPage } from '../support/drivers.mjs';
import { startServer } from '../support/server.mjs';

const LANGS = ['en', 'de'];

let server;
let browser;
before(async () => {
  server = await startServer({ port: 0 });
  browser = await launchChromium({ port: server.port, hosts: server.hosts, extension: false });
});
after(async () => {
  await browser?.context.close();
  await server?.close();
});

async function openPage(driver, lang, extra) {
  const page = await browser.context.newPage();
  const response = await page.goto(`https://${driver.host}${driver.url(lang, extra)}`);
  if (extra?.csp === 'strict') assert.match(response.headers()['content-security-policy'] ?? '', /script-src 'self'/);
  await page.waitForFunction(() => window.__fixture && window.__fixture.ready === true, null, { timeout: 5000 });
  return page;
}

const fixture = (page, expression) => page.evaluate(expression);

for (const [id, driver] of Object.entries(DRIVERS)) {
  for (const lang of LANGS) {
    describe(`${id} (${lang})`, { timeout: 20_000 }, () => {
      it('open → select(6) → unselect(1) → confirm: one send with 5 names', async () => {
        const page = await openPage(driver, lang);
        try {
          assert.equal(await fixture(page, 'document.documentElement.lang'), lang);
          const group = driver.groupName(lang);
          assert.ok(await fixture(page, `document.body.innerText.includes(${JSON.stringify(group)})`), `page shows "${group}"`);

          await runInPage(page, driver.open);
          const opened = await fixture(page, `__fixture.last('dialog-open')`);
          assert.ok(opened, 'the site logged its dialog');
          assert.equal(opened.detail.group.replace(/^#/, ''), group);

          const picked = await runInPage(page, driver.select, 6);
          assert.equal(picked.length, 6);
          assert.equal(new Set(picked).size, 6);
          const shown = await runInPage(page, driver.selection);
          assert.equal(shown.count, 6, `the page shows 6 selected (${JSON.stringify(shown)})`);
          assert.deepEqual([...shown.names].sort(), [...picked].sort());

          const dropped = await runInPage(page, driver.unselect, 1);
          assert.deepEqual(dropped, [picked[5]]);
          const after1 = await runInPage(page, driver.selection);
          assert.equal(after1.count, 5);

          assert.equal(await fixture(page, `document.querySelectorAll(${JSON.stringify(driver.confirmSelector)}).length`), 1, 'confirmSelector matches one control');
          await runInPage(page, driver.clickConfirm);
          if (driver.followUp) {
            assert.equal(await fixture(page, `__fixture.count(${JSON.stringify(driver.sentAction)})`), 0, 'nothing sent before the platform popup');
            await runInPage(page, driver.followUp);
          }
          assert.equal(await fixture(page, `__fixture.count(${JSON.stringify(driver.sentAction)})`), 1);
          const sent = await fixture(page, `__fixture.last(${JSON.stringify(driver.sentAction)}).detail`);
          assert.deepEqual([...sent.names].sort(), picked.slice(0, 5).sort());
          assert.equal(sent.count, 5);
          assert.deepEqual(await fixture(page, '__fixture.errors'), []);
          assert.deepEqual(await fixture(page, '__fixture.removedForeign'), []);
        } finally {
          await page.close();
        }
      });

      // Under the strict page CSP too: the scripts are plain expressions, no eval in the page.
      const many = driver.maxSelectable ?? 25;
      it(driver.maxSelectable ? `select(25) stops at the cap (${many}), csp=strict` : 'select(25) reaches rows further down the list, then unselect(3), csp=strict', async () => {
        const page = await openPage(driver, lang, { csp: 'strict' });
        try {
          await runInPage(page, driver.open);
          const picked = await runInPage(page, driver.select, 25);
          assert.equal(picked.length, many);
          assert.equal(new Set(picked).size, many);
          const shown = await runInPage(page, driver.selection);
          assert.equal(shown.count, many);
          assert.deepEqual([...shown.names].sort(), [...picked].sort());
          if (driver.maxSelectable) {
            // Discord: the remaining rows are disabled and the limit notice shows.
            assert.equal(shown.open, 0);
            assert.match(shown.notice, /10/);
          } else {
            // The last picks are far down a virtualised list: unselecting scrolls back to them.
            const dropped = await runInPage(page, driver.unselect, 3);
            assert.deepEqual(dropped, picked.slice(-3).reverse());
            const left = await runInPage(page, driver.selection);
            assert.equal(left.count, many - 3);
            assert.deepEqual([...left.names].sort(), picked.slice(0, -3).sort());
          }
          assert.deepEqual(await fixture(page, '__fixture.errors'), []);
        } finally {
          await page.close();
        }
      });
    });
  }
}

describe('google-groups: "Directly add members"', { timeout: 20_000 }, () => {
  it('setDirect(true) turns the send into an add', async () => {
    const driver = DRIVERS['google-groups'];
    const page = await openPage(driver, 'en');
    try {
      await runInPage(page, driver.open);
      await runInPage(page, driver.setDirect, true);
      const picked = await runInPage(page, driver.select, 3);
      await runInPage(page, driver.clickConfirm);
      assert.equal(await fixture(page, `__fixture.count('add')`), 1);
      assert.equal(await fixture(page, `__fixture.count('invite')`), 0);
      assert.deepEqual(await fixture(page, `__fixture.last('add').detail.names`), picked);
    } finally {
      await page.close();
    }
  });
});

describe('driver errors', { timeout: 20_000 }, () => {
  it('a missing dialog fails with the site and step named', async () => {
    const driver = DRIVERS.linkedin;
    const page = await openPage(driver, 'en');
    try {
      await assert.rejects(runInPage(page, driver.select, 2), /driver linkedin\.select: invite modal not found within 3000 ms/);
    } finally {
      await page.close();
    }
  });
});
