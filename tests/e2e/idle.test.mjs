// After the browser stopped an idle background (Chromium stops an extension's service worker
// after about 30 s without events, Firefox suspends its event page likewise), the popup still
// knows the tab (site, group, protection, engine, health), its pause buttons and "I left this
// group" still work, and the re-addition banner's "I rejoined on purpose" is still taken.
// Chromium: the worker is stopped through the DevTools protocol. Firefox: the event page's idle
// timeout is cut to a second and the test waits until the background restarted.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { harnessFor, selectedEngines } from '../support/engines.mjs';
import { eventually } from '../support/probes.mjs';
import { privateLoopback, startServer } from '../support/server.mjs';

const GROUP = { site: 'facebook', key: '4711' };
const ACTOR = 'Anna Schmidt';
const IDLE_MS = 1000;

const FLAG = `(() => { const host = document.querySelector('[data-ask-first="readd"]');
  return host && Array.from(host.shadowRoot.querySelectorAll('button[data-action]')).map((b) => b.getAttribute('data-action')); })()`;

let server;
before(async () => {
  server = await startServer({ port: 443, host: privateLoopback() });
});
after(async () => {
  await server?.close();
});

for (const engine of selectedEngines()) {
  describe(`after the background slept: ${engine.name}`, { timeout: 300_000 }, () => {
    let h;
    before(async () => {
      h = await harnessFor(engine, server, { firefox: { backgroundIdleMs: IDLE_MS } });
    });
    after(async () => {
      await h?.close();
    });

    const entry = async () => (await h.send({ type: 'get_record' })).body.record.left.find((e) => e.key === GROUP.key) ?? null;

    /** Opens the popup for `tabId` and reads its rows; `act` runs while it is open. */
    async function popup(tabId, act) {
      const ui = await h.openExtensionPage(`popup.html?tab=${tabId}`);
      try {
        await ui.waitFor('[data-field="engine"]');
        const read = () =>
          ui.evaluate(`Object.fromEntries(Array.from(document.querySelectorAll('dd[data-field]')).map((d) => [d.getAttribute('data-field'), d.getAttribute('data-value')]))`);
        const actions = () => ui.evaluate(`Array.from(document.querySelectorAll('button[data-action]')).map((b) => b.getAttribute('data-action'))`);
        return await act({ ui, read, actions });
      } finally {
        await ui.close();
      }
    }

    it('the popup and the banner still work', async () => {
      assert.equal((await h.send({ type: 'delete_everything' })).outcome, 'page');
      const seeded = await h.send({ type: 'record_leave', group: GROUP, name: 'Berlin Networking Circle' });
      assert.equal(seeded.outcome, 'page', JSON.stringify(seeded));
      const csp = engine.csp ? `&csp=${engine.csp}` : '';
      await h.goto(`https://www.facebook.com/groups/4711/?lang=en&delay=0&sys=added:${encodeURIComponent(ACTOR)}${csp}`);
      assert.equal((await h.coreStatus()).engine, engine.engine);
      await eventually(() => h.evaluate(FLAG), { what: 'the re-addition flag' });
      const tabId = await h.tabId();

      // The popup after a stop: everything the tab reported, and its buttons.
      await h.stopBackground();
      await popup(tabId, async ({ ui, read, actions }) => {
        const rows = await read();
        assert.equal(rows.site, 'facebook', JSON.stringify(rows));
        assert.equal(rows.group, GROUP.key, JSON.stringify(rows));
        assert.equal(rows.engine, engine.engine, JSON.stringify(rows));
        assert.equal(rows.protection, 'on', JSON.stringify(rows));
        assert.ok(['ok', 'unknown', 'degraded'].includes(rows.health), JSON.stringify(rows));
        const offered = await actions();
        for (const action of ['pause-hour', 'pause-tomorrow', 'pause-always', 'left-group']) {
          assert.ok(offered.includes(action), `${action} in ${offered}`);
        }
        await ui.click('button[data-action="pause-hour"]');
        await eventually(async () => (await read()).protection === 'paused', { what: 'the pause' });
        await ui.click('button[data-action="resume"]');
        await eventually(async () => (await read()).protection === 'on', { what: 'the resume' });
      });

      // The banner's "I rejoined on purpose" after a stop, with a real click.
      await h.stopBackground();
      await h.hostClick('readd', 'rejoined');
      await eventually(async () => (await entry())?.flagging === false, { what: 'flagging off' });
      assert.equal(await h.evaluate(FLAG), null, 'the flag went');

      // "I left this group" in the popup after another stop.
      await h.stopBackground();
      const timesLeft = (await entry()).times_left;
      await popup(tabId, async ({ ui }) => {
        await ui.click('button[data-action="left-group"]');
        await eventually(async () => (await entry())?.times_left === timesLeft + 1, { what: 'the leave' });
      });
      assert.equal((await entry()).is_out, true);
    });

    it('the options page shows storage use, warns when nearly full, and deletes a backup', async () => {
      assert.equal((await h.send({ type: 'delete_everything' })).outcome, 'page');
      // A backup as a load keeps it (an unreadable value), large enough to pass 80 % of the quota.
      const page = await h.openExtensionPage('options.html');
      await page.waitFor('[data-field="storage-use"]');
      assert.equal(await page.evaluate(`document.querySelector('[data-field="storage-warning"]')`), null);
      await page.evaluate(`(async () => { await chrome.storage.local.set({ 'backup.record.1': 'x'.repeat(9 * 1024 * 1024) }); return true; })()`);
      await page.close();
      await h.stopBackground();
      const options = await h.openExtensionPage('options.html');
      await options.waitFor('[data-field="storage-warning"]');
      const percent = Number(await options.evaluate(`document.querySelector('[data-field="storage-use"]').dataset.percent`));
      assert.ok(percent > 80 && percent <= 100, `percent ${percent}`);
      assert.match(await options.text('[data-field="backups"]'), /backup\.record\.1 \(9\.0 MB\)/);
      // Downloaded as the text it was stored with.
      const saved = await options.download('button[data-action="backup-download"][data-key="backup.record.1"]', mkdtempSync(join(tmpdir(), 'ask-first-backup-')));
      assert.equal(readFileSync(saved, 'utf8'), 'x'.repeat(9 * 1024 * 1024));
      await options.click('button[data-action="backup-delete"][data-key="backup.record.1"]');
      await eventually(async () => (await options.evaluate(`!document.querySelector('[data-field="storage-warning"]')`)), { what: 'the warning to go' });
      assert.equal(await options.evaluate(`(async () => Object.keys(await chrome.storage.local.get(null)).filter((k) => k.startsWith('backup.')).length)()`), 0);
      await options.close();
    });
  });
}
