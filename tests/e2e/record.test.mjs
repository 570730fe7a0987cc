// The background as the single writer of storage, end to end in Chromium: many tabs report at
// once through real content-script messaging, every report is acknowledged only once stored,
// none is lost, and the router refuses privileged requests from content scripts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { launchChromium } from '../support/browsers.mjs';
import { inContentWorld } from '../support/isolated.mjs';
import { eventually, pageRequest, stopServiceWorkers } from '../support/probes.mjs';
import { startServer } from '../support/server.mjs';

const TABS = 20;
const EVENTS_PER_TAB = 50;

describe('Chromium: the record under concurrent reports', { timeout: 240_000 }, () => {
  let server;
  let browser;
  let probe;
  const tabs = [];

  before(async () => {
    server = await startServer({ port: 0 });
    browser = await launchChromium({ port: server.port, hosts: server.hosts });
    probe = await browser.context.newPage();
    await probe.goto(`${browser.origin}/options.html`);
    for (let t = 0; t < TABS; t += 1) {
      const tab = await browser.context.newPage();
      await tab.goto(`https://www.facebook.com/groups/${4700 + t}/`);
      tabs.push(tab);
    }
  });
  after(async () => {
    await browser?.context.close();
    await server?.close();
  });

  const send = (body) => probe.evaluate((message) => chrome.runtime.sendMessage(message), pageRequest(body));

  it(`${TABS} tabs × ${EVENTS_PER_TAB} reports at the same time: all ${TABS * EVENTS_PER_TAB} are recorded and stored`, async () => {
    const started = Date.now();
    const outcomes = await Promise.all(
      tabs.map((tab, t) =>
        inContentWorld(
          browser.context,
          tab,
          `Promise.all(Array.from({ length: ${EVENTS_PER_TAB} }, (_, i) =>
             chrome.runtime.sendMessage({ v: 1, channel: 'content', body: {
               type: 'left_group',
               group: { site: 'facebook', key: 'tab${t}-group' + i },
               name: 'Tab ${t} group ' + i,
               url: location.href } })
           )).then((replies) => replies.map((reply) => reply && reply.outcome))`,
        ),
      ),
    );
    const elapsed = Date.now() - started;
    const acks = outcomes.flat();
    assert.equal(acks.length, TABS * EVENTS_PER_TAB);
    assert.deepEqual([...new Set(acks)], ['content'], 'every report was acknowledged');
    console.log(`# ${acks.length} reports from ${TABS} tabs acknowledged in ${elapsed} ms`);

    // What the background answers ...
    const reply = await send({ type: 'get_record' });
    const keys = new Set(reply.body.record.left.map((entry) => entry.key));
    assert.equal(keys.size, TABS * EVENTS_PER_TAB);
    for (let t = 0; t < TABS; t += 1) {
      for (let i = 0; i < EVENTS_PER_TAB; i += 1) assert.ok(keys.has(`tab${t}-group${i}`));
    }
    // ... is what storage holds (acknowledged means written).
    const stored = await probe.evaluate(() => chrome.storage.local.get('record'));
    assert.equal(typeof stored.record, 'string', 'the record is stored as its JSON text (schema 2)');
    assert.equal(JSON.parse(stored.record).left.length, TABS * EVENTS_PER_TAB);
  });

  it('every acknowledged report survives a restart of the service worker', async () => {
    // The old worker, with its in-memory state, is gone before the next message wakes a new one
    // that loads from storage.
    await stopServiceWorkers(browser.context, probe);
    const reply = await eventually(async () => {
      try {
        return await send({ type: 'get_record' });
      } catch {
        return null;
      }
    }, { what: 'the restarted background' });
    assert.equal(reply.body.record.left.length, TABS * EVENTS_PER_TAB);
  });

  it('a content script is refused every privileged request', async () => {
    const privileged = [
      { type: 'get_settings' },
      { type: 'set_settings', settings: { direct_threshold: 1000 } },
      { type: 'get_record' },
      { type: 'export' },
      { type: 'import', data: '{}', mode: 'replace' },
      { type: 'delete_everything' },
      { type: 'mark_readditions_seen' },
      { type: 'tab_status', tab_id: 1 },
    ];
    const replies = await inContentWorld(
      browser.context,
      tabs[0],
      `Promise.all(${JSON.stringify(privileged)}.map((body) =>
         chrome.runtime.sendMessage({ v: 1, channel: 'page', body })))`,
    );
    assert.equal(replies.length, privileged.length);
    for (const reply of replies) {
      assert.deepEqual(reply, { outcome: 'refused', error: { code: 'not_allowed' } });
    }
    // And nothing was deleted.
    const reply = await send({ type: 'get_record' });
    assert.equal(reply.body.record.left.length, TABS * EVENTS_PER_TAB);
  });

  it('a content script cannot speak for another site than its page', async () => {
    const reply = await inContentWorld(
      browser.context,
      tabs[1],
      `chrome.runtime.sendMessage({ v: 1, channel: 'content', body: {
         type: 'left_group', group: { site: 'slack', key: 'T1/C1' }, name: 'forged' } })`,
    );
    assert.equal(reply.outcome, 'refused');
    assert.equal(reply.error.code, 'invalid');
  });
});
