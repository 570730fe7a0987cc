// The background as the single writer of storage, end to end in Chromium: many tabs report at
// once through real content-script messaging, every report is answered, each acknowledged one
// only once stored and none of those lost; beyond the site's report budget the rest are refused,
// never stored (H1); and the router refuses privileged requests from content scripts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { launchChromium } from '../support/browsers.mjs';
import { inContentWorld } from '../support/isolated.mjs';
import { eventually, pageRequest, stopServiceWorkers } from '../support/probes.mjs';
import { startServer } from '../support/server.mjs';

const TABS = 20;
const EVENTS_PER_TAB = 50;
// `guard::limits::SITE_LEAVES.per_hour`: what one site's pages may report as left in an hour.
const SITE_LEAVES_PER_HOUR = 120;
let stored;

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

  it(`${TABS} tabs × ${EVENTS_PER_TAB} reports at the same time: the site's budget of ${SITE_LEAVES_PER_HOUR} is stored, the rest refused`, async () => {
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
           )).then((replies) => replies.map((reply, i) => ({ key: 'tab${t}-group' + i,
             answer: reply && (reply.outcome === 'refused' ? reply.error.code : reply.outcome) })))`,
        ),
      ),
    );
    const elapsed = Date.now() - started;
    const answers = outcomes.flat();
    assert.equal(answers.length, TABS * EVENTS_PER_TAB, 'every report was answered');
    const acked = answers.filter((a) => a.answer === 'content').map((a) => a.key);
    const refused = answers.filter((a) => a.answer === 'over_budget');
    assert.equal(acked.length + refused.length, answers.length, JSON.stringify([...new Set(answers.map((a) => a.answer))]));
    assert.equal(acked.length, SITE_LEAVES_PER_HOUR, "the site's hourly budget, no more");
    console.log(`# ${answers.length} reports from ${TABS} tabs answered in ${elapsed} ms: ${acked.length} stored, ${refused.length} refused`);

    // What the background answers is exactly what was acknowledged ...
    const reply = await send({ type: 'get_record' });
    const keys = new Set(reply.body.record.left.map((entry) => entry.key));
    assert.deepEqual([...keys].sort(), [...acked].sort());
    // ... and what storage holds (acknowledged means written; refused, never written).
    stored = SITE_LEAVES_PER_HOUR;
    const inStorage = await probe.evaluate(() => chrome.storage.local.get('record'));
    assert.equal(typeof inStorage.record, 'string', 'the record is stored as its JSON text (schema 2)');
    assert.deepEqual(JSON.parse(inStorage.record).left.map((e) => e.key).sort(), [...acked].sort());
    // The refused burst is reported once, for the site.
    const { bursts } = (await send({ type: 'get_bursts' })).body;
    assert.equal(bursts.length, 1);
    assert.equal(bursts[0].site, 'facebook');
    assert.equal(bursts[0].refused, refused.length);
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
    assert.equal(reply.body.record.left.length, stored);
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
    assert.equal(reply.body.record.left.length, stored);
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
