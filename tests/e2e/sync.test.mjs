// The record follows the user across browsers (opt-in): two profiles of the same browser (two
// separate launches), whose `storage.sync` the test exchanges the way the browser's sync service
// would: it reads `storage.sync.get(null)` in one profile's extension page and writes it into
// the other's with `storage.sync.set`. Both browsers keep `storage.sync` locally without an
// account, so no network is involved. A group left in A shows in B; the same re-addition seen on
// the page in both counts once; a forget in A wins in B; the options page says how much of the
// quota the synced copy takes (the bytes the browser holds) and, switched off, removes the copy.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { ENGINES, harnessFor, selectedEngines } from '../support/engines.mjs';
import { eventually } from '../support/probes.mjs';
import { privateLoopback, startServer } from '../support/server.mjs';

const GROUP = { site: 'facebook', key: '4711' };
const OTHER = { site: 'facebook', key: '4712' };
const ACTOR = 'Anna Schmidt';

let server;
before(async () => {
  server = await startServer({ port: 443, host: privateLoopback() });
});
after(async () => {
  await server?.close();
});

// Syncing does not depend on how the content core runs: one engine per browser.
const engines = selectedEngines(ENGINES.filter((engine) => engine.id !== 'chromium-fallback'));

for (const engine of engines) {
  describe(`sync between two profiles: ${engine.name}`, { timeout: 300_000 }, () => {
    let a;
    let b;
    before(async () => {
      a = await harnessFor(engine, server);
      b = await harnessFor(engine, server);
    });
    after(async () => {
      await a?.close();
      await b?.close();
    });

    /** Runs `expression` (may return a promise) in an options page of `h`. */
    async function inOptions(h, expression) {
      const ui = await h.openExtensionPage('options.html');
      try {
        await ui.waitFor('#sync-enabled');
        return await ui.evaluate(expression);
      } finally {
        await ui.close();
      }
    }
    const api = engine.browser === 'firefox' ? 'browser' : 'chrome';
    const synced = (h) => inOptions(h, `${api}.storage.sync.get(null)`);
    /** What the browser's sync service would do: A's items arrive in B. */
    async function deliver(from, to) {
      const items = await synced(from);
      assert.ok(items['af.h'], `a synced copy to deliver: ${JSON.stringify(items)}`);
      await inOptions(to, `${api}.storage.sync.set(${JSON.stringify(items)}).then(() => true)`);
      return items;
    }
    const entry = async (h, group) =>
      (await h.send({ type: 'get_record' })).body.record.left.find((e) => e.site === group.site && e.key === group.key) ?? null;
    const bytesOf = (items) =>
      Object.entries(items)
        .filter(([key]) => key.startsWith('af.'))
        .reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(JSON.stringify(value)), 0);

    async function switchOn(h) {
      const settings = (await h.send({ type: 'get_settings' })).body.settings;
      const saved = await h.send({ type: 'set_settings', settings: { ...settings, sync: true } });
      assert.equal(saved.body.settings.sync, true, JSON.stringify(saved));
    }

    it('is off by default and switched on in the options page', async () => {
      for (const h of [a, b]) {
        assert.equal((await h.send({ type: 'delete_everything' })).outcome, 'page');
        assert.equal((await h.send({ type: 'get_settings' })).body.settings.sync, false);
      }
      await a.send({ type: 'record_leave', group: GROUP, name: 'Berlin Networking Circle' });
      // Off: nothing reaches the synced storage.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.deepEqual(Object.keys(await synced(a)).filter((k) => k.startsWith('af.')), []);

      const ui = await a.openExtensionPage('options.html');
      try {
        await ui.waitFor('#sync-enabled');
        assert.equal(await ui.evaluate(`document.querySelector('#sync-enabled').checked`), false);
        await ui.click('#sync-enabled');
        // The first pass writes the copy; the page shows what it takes of the quota.
        await eventually(() => ui.evaluate(`document.querySelector('[data-field="sync-use"]')?.getAttribute('data-bytes') ?? null`), {
          what: 'the synced copy on the options page',
          timeout: 15000,
        });
      } finally {
        await ui.close();
      }
      assert.equal((await a.send({ type: 'get_settings' })).body.settings.sync, true);
      const items = await eventually(async () => {
        const now = await synced(a);
        return now['af.g.0'] ? now : null;
      }, { what: 'the group in A\'s synced storage', timeout: 15000 });
      assert.equal(items['af.h'].v, 1);
      assert.equal(items['af.g.0'][0].k, GROUP.key);
    });

    it('a group left in A shows in B, with its name, in the record and the options page', async () => {
      await switchOn(b);
      await deliver(a, b);
      const got = await eventually(() => entry(b, GROUP), { what: 'the group in B', timeout: 15000 });
      assert.equal(got.name, 'Berlin Networking Circle');
      assert.equal(got.times_left, 1);
      assert.equal(got.is_out, true);
      const ui = await b.openExtensionPage('options.html');
      try {
        await ui.waitFor(`tr[data-group="${GROUP.key}"]`);
        const row = await ui.evaluate(`(() => { const r = document.querySelector('tr[data-group="${GROUP.key}"]');
          return { name: r.querySelector('input[data-rename]').value, times: r.querySelector('[data-field="times-left"]').textContent }; })()`);
        assert.deepEqual(row, { name: 'Berlin Networking Circle', times: '1' });
      } finally {
        await ui.close();
      }
    });

    it('the same re-addition seen in both browsers counts once', async () => {
      const url = `https://www.facebook.com/groups/${GROUP.key}/?lang=en&delay=0&sys=added:${encodeURIComponent(ACTOR)}`;
      for (const h of [a, b]) {
        await h.goto(url);
        await eventually(async () => (await entry(h, GROUP))?.readditions === 1 || null, {
          what: `the re-addition counted in ${h === a ? 'A' : 'B'}`,
        });
      }
      // Both deliver to each other; the merge counts it once on both sides.
      await deliver(a, b);
      // B's next pass merges them and writes its copy (passes are at least 3 s apart).
      await new Promise((resolve) => setTimeout(resolve, 3500));
      await deliver(b, a);
      await new Promise((resolve) => setTimeout(resolve, 3500));
      for (const h of [a, b]) {
        const got = await entry(h, GROUP);
        assert.equal(got.readditions, 1, JSON.stringify(got));
        assert.equal(got.times_left, 1, JSON.stringify(got));
        assert.equal(got.adders[ACTOR], 1, JSON.stringify(got));
      }
    });

    it('a forget in A wins in B; B\'s own later leave stays', async () => {
      await b.send({ type: 'record_leave', group: OTHER, name: 'Lauftreff' });
      await eventually(async () => ((await synced(b))['af.g.0'] ?? []).some((g) => g.k === OTHER.key) || null, {
        what: 'B\'s new group in its synced copy',
        timeout: 15000,
      });
      await deliver(b, a);
      await eventually(() => entry(a, OTHER), { what: 'B\'s group in A', timeout: 15000 });
      assert.equal((await a.send({ type: 'forget_group', group: GROUP })).body.changed, true);
      await eventually(async () => ((await synced(a))['af.t']?.f ?? []).some((f) => f[1] === GROUP.key) || null, {
        what: 'the forget in A\'s synced copy',
        timeout: 15000,
      });
      await deliver(a, b);
      await eventually(async () => ((await entry(b, GROUP)) === null ? true : null), { what: 'the group forgotten in B', timeout: 15000 });
      assert.ok(await entry(b, OTHER), 'the other group stays');
    });

    it('the options page shows the synced bytes of the quota, and switched off removes the copy', async () => {
      const items = await eventually(async () => {
        const now = await synced(b);
        return now['af.h'] ? now : null;
      }, { what: 'B\'s synced copy' });
      const ui = await b.openExtensionPage('options.html');
      try {
        await ui.waitFor('[data-field="sync-use"][data-bytes]');
        const shown = await ui.evaluate(`(() => { const p = document.querySelector('[data-field="sync-use"]');
          const g = document.querySelector('[data-field="sync-groups"]');
          return { bytes: +p.getAttribute('data-bytes'), quota: +p.getAttribute('data-quota'), items: +p.getAttribute('data-items'),
                   synced: +g.getAttribute('data-synced'), local: +g.getAttribute('data-local'), text: p.textContent }; })()`);
        assert.equal(shown.quota, 102400);
        assert.equal(shown.bytes, bytesOf(await synced(b)), JSON.stringify(shown));
        assert.equal(shown.items, Object.keys(items).filter((k) => k.startsWith('af.')).length);
        assert.equal(shown.synced, 1);
        assert.equal(shown.local, 0);
        assert.match(shown.text, /of the 100 KB/);

        // Off: the page offers to remove the copy; the record stays.
        await ui.click('#sync-enabled');
        await ui.waitFor('[data-action="sync-remove"]');
        await ui.click('[data-action="sync-remove"]');
        await eventually(async () => (Object.keys(await synced(b)).some((k) => k.startsWith('af.')) ? null : true), {
          what: 'the synced copy removed',
        });
      } finally {
        await ui.close();
      }
      assert.equal((await b.send({ type: 'get_settings' })).body.settings.sync, false);
      assert.ok(await entry(b, OTHER), 'the record in B is unchanged');
      // Off means off: a change in B no longer reaches its synced storage.
      await b.send({ type: 'record_leave', group: GROUP, name: 'Again' });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.deepEqual(Object.keys(await synced(b)).filter((k) => k.startsWith('af.')), []);
    });
  });
}
