// The rules behind the warnings, end to end in Chromium: adds one after another trip the
// sequential window, Google Groups' direct add gets its own warning, single-page navigation
// switches the group, outcomes land in the record, and a dialog the pack cannot read shows up
// as the site's health.
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { DRIVERS } from '../support/drivers.mjs';
import { eventually } from '../support/probes.mjs';
import { chromiumSuite } from '../support/suite.mjs';

const warnings = async (h) => (await h.inserted()).filter((host) => host.kind === 'warn');

describe('the rules in the page (Chromium)', { timeout: 240_000 }, () => {
  let h;
  chromiumSuite((harness) => {
    h = harness;
  });
  beforeEach(async () => {
    const cleared = await h.send({ type: 'delete_everything' });
    assert.equal(cleared.outcome, 'page');
  });

  it('adds one after another: after 10 people in 10 minutes, the next dialog warns for one person', async () => {
    const d = DRIVERS.slack;
    for (let round = 0; round < 3; round += 1) {
      await h.goto(`https://${d.host}${d.url('en')}`);
      await h.coreStatus();
      await h.run(d.open);
      await h.run(d.select, 4);
      await h.nextFrame();
      assert.deepEqual(await warnings(h), [], `round ${round}: four people are below the threshold`);
      await h.run(d.clickConfirm);
      assert.equal(await h.evaluate(`window.__fixture.count('add')`), 1, 'not gated, sent');
    }
    // 12 people were added: the record knows, and the next dialog warns for a single person.
    const record = await eventually(async () => {
      const reply = await h.send({ type: 'get_record' });
      const added = reply.body.record.recent_adds.reduce((sum, add) => sum + add.count, 0);
      return added >= 12 ? reply.body.record : null;
    }, { what: 'the three adds in the record' });
    assert.ok(record.recent_adds.length >= 3);
    await h.goto(`https://${d.host}${d.url('en')}`);
    await h.coreStatus();
    await h.run(d.open);
    await h.run(d.select, 1);
    await eventually(async () => (await warnings(h)).length === 1, { what: 'the sequential warning' });
    const [warning] = await warnings(h);
    assert.equal(warning.role, 'alert');
    assert.match(warning.text, /12 people in the last 10 minutes/);
  });

  it('Google Groups with "Directly add members" on warns for one person and suggests invitations', async () => {
    const d = DRIVERS['google-groups'];
    await h.goto(`https://${d.host}${d.url('en')}`);
    await h.coreStatus();
    await h.run(d.open);
    await h.run(d.select, 1);
    await h.nextFrame();
    assert.deepEqual(await warnings(h), [], 'invitations of one person: no warning');
    await h.run(d.setDirect, true);
    await eventually(async () => (await warnings(h)).length === 1, { what: 'the direct-add warning' });
    const [warning] = await warnings(h);
    assert.match(warning.text, /Directly add members/);
    assert.match(warning.text, /send invitations/);
    // Direct adds use the direct threshold: five people are gated.
    await h.run(d.select, 4);
    await h.run(d.clickConfirm);
    assert.equal((await h.inserted()).filter((x) => x.kind === 'gate').length, 1);
    await h.gateClick('cancel');
    assert.equal(await h.evaluate(`window.__fixture.count('add')`), 0);
  });

  it('single-page navigation: the gate names the group the page shows now', async () => {
    const d = DRIVERS.facebook;
    await h.goto(`https://${d.host}${d.url('en')}`);
    await h.coreStatus();
    // The site's own link to another group (history.pushState, no reload).
    await h.evaluate(`(() => { Array.from(document.querySelectorAll('a')).find((a) => a.getAttribute('href').startsWith('/groups/4712/')).click(); return true; })()`);
    await eventually(() => h.evaluate('location.pathname === "/groups/4712/"'), { what: 'the navigation' });
    await h.run(d.open);
    await h.run(d.select, 20);
    await h.run(d.clickConfirm);
    await h.gateClick('ask');
    const message = await h.evaluate(
      `document.querySelector('[data-ask-first="gate"]').shadowRoot.querySelector('[data-field="ask-message"]').value`,
    );
    assert.match(message, /Hiking Friends Brandenburg/);
    assert.doesNotMatch(message, /Berlin Networking Circle/);
    await h.gateClick('cancel');
  });

  it('outcomes are recorded: warned, message copied, cancelled, proceeded', async () => {
    const d = DRIVERS.whatsapp;
    await h.goto(`https://${d.host}${d.url('en')}`);
    await h.coreStatus();
    await h.run(d.open);
    await h.run(d.select, 6);
    await h.run(d.clickConfirm);
    await h.gateClick('ask');
    await h.gateClick('cancel');
    await h.run(d.clickConfirm);
    await h.gateClick('proceed');
    await h.run(d.followUp);
    const kinds = await eventually(async () => {
      const reply = await h.send({ type: 'get_record' });
      const seen = new Set(reply.body.record.incidents.map((incident) => incident.kind));
      const wanted = ['bulk_add_warned', 'ask_message_copied', 'bulk_add_cancelled', 'bulk_add_proceeded'];
      return wanted.every((kind) => seen.has(kind)) ? [...seen] : null;
    }, { what: 'the four outcomes in the record' });
    assert.ok(kinds.length >= 4, JSON.stringify(kinds));
    // Counting honestly: one dialog, warned once, however often its confirm was gated.
    const { totals } = (await h.send({ type: 'get_record' })).body.record;
    assert.equal(totals.bulk_add_warned, 1, JSON.stringify(totals));
    assert.equal(totals.bulk_add_cancelled, 1);
    assert.equal(totals.bulk_add_proceeded, 1);
  });

  // Telegram Web K asks once more itself ("Add 4 members?") after its picker's next button.
  const gates = async (h) => (await h.inserted()).filter((host) => host.kind === 'gate').length;
  const recentAdds = async (h) => (await h.send({ type: 'get_record' })).body.record.recent_adds.reduce((sum, add) => sum + add.count, 0);
  // The dialog the content core read last (the popup's site check, asked from an extension page).
  const lastRead = async (h) => {
    const tab = await h.tabId();
    const ext = await h.openExtensionPage('options.html');
    try {
      const reply = await ext.evaluate(`chrome.tabs.sendMessage(${tab}, { v: 1, channel: 'tab', body: { type: 'site_check' } })`);
      // The content script answers with the reply's JSON text.
      return JSON.parse(reply)?.body?.check?.last ?? null;
    } finally {
      await ext.page.close();
      await h.currentPage().bringToFront();
    }
  };

  it('Telegram Web K: an add below the threshold goes through the platform\'s own popup unasked and counts once', async () => {
    const d = DRIVERS.telegram;
    await h.goto(`https://${d.host}${d.url('en')}`);
    await h.coreStatus();
    await h.run(d.open);
    await h.run(d.select, 4);
    await h.run(d.clickConfirm);
    assert.equal(await gates(h), 0, 'four people: the next button is not gated');
    await h.evaluate(`(async () => { for (let i = 0; i < 100 && !document.querySelector('.popup-add-members'); i += 1) await new Promise((ok) => setTimeout(ok, 20)); return true; })()`);
    await h.nextFrame();
    assert.deepEqual(await warnings(h), [], 'no warning in the "Add 4 members" popup');
    const read = await eventually(async () => {
      const last = await lastRead(h);
      return last?.dialog === 'add-confirm' && last;
    }, { what: 'the popup read by the pack' });
    assert.equal(read.by, 'pack');
    assert.equal(read.selected, 4, 'counted from the title "Add 4 members"');
    await h.run(d.followUp);
    assert.equal(await gates(h), 0, 'the popup\'s "Add" is not gated');
    assert.equal(await h.evaluate(`window.__fixture.count('add')`), 1);
    await eventually(async () => (await recentAdds(h)) >= 4, { what: 'the add in the record' });
    await new Promise((ok) => setTimeout(ok, 300));
    assert.equal(await recentAdds(h), 4, 'counted once, not again for the popup');
  });

  it('Telegram Web K: a picker the pack no longer recognises is read by its structure, and its platform popup is not asked about twice', async () => {
    const d = DRIVERS.telegram;
    await h.goto(`https://${d.host}${d.url('en')}`);
    await h.coreStatus();
    await h.run(d.open);
    // A redesign moves the picker's title: the pack no longer recognises the picker.
    await h.evaluate(`(() => { document.querySelector('.add-members-container .sidebar-header__title').classList.remove('sidebar-header__title'); return true; })()`);
    // The user acts (real input): the structure is read, before anyone is selected.
    await h.userActs();
    await h.run(d.select, 6);
    const [warning] = await eventually(async () => {
      const found = await warnings(h);
      return found.length === 1 && found;
    }, { what: 'the structural warning in the picker' });
    assert.match(warning.text, /\b6\b/);
    const picker = await lastRead(h);
    assert.equal(picker.by, 'structure');
    assert.equal(picker.selected, 6);
    // The structure tells the round next button apart and gates it.
    await h.run(d.clickConfirm);
    assert.equal(await gates(h), 1, 'the next button is gated');
    await h.gateClick('proceed');
    await eventually(async () => (await lastRead(h))?.dialog === 'add-confirm', { what: 'the "Add 6 members" popup read by the pack' });
    assert.equal((await lastRead(h)).selected, 6);
    await h.run(d.followUp);
    assert.equal(await gates(h), 0, 'the popup is not asked about again');
    assert.equal(await h.evaluate(`window.__fixture.count('add')`), 1, 'added once');
    assert.equal((await h.evaluate(`window.__fixture.last('add').detail.names`)).length, 6);
  });

  it('a dialog the site pack cannot read turns the site health to degraded', async () => {
    const d = DRIVERS.facebook;
    await h.goto(`https://${d.host}${d.url('en')}`);
    const before = await h.coreStatus();
    assert.equal(before.health.state, 'unknown');
    await h.run(d.open);
    await eventually(async () => (await h.coreStatus()).health.state === 'ok', { what: 'health ok' });
    // The user acts (real input: the structure is read), and the site renames its dialog (as a
    // redesign would): the pack no longer recognises it.
    await h.userActs();
    await h.evaluate(`(() => { const dialog = document.querySelector('[role=dialog]');
      dialog.setAttribute('aria-label', 'Share this group with people you know'); return true; })()`);
    const status = await eventually(async () => {
      const current = await h.coreStatus();
      return current.health.state === 'degraded' ? current : null;
    }, { what: 'degraded health' });
    // The fixture's rows carry names and pictures, so the page's structure still reads it.
    assert.match(status.health.detail, /did not recognise the add dialog; it was read by its structure/);
    assert.deepEqual(await h.evaluate('window.__fixture.errors'), []);
  });
});

describe('the fallback build under memory growth (Chromium, strict CSP)', { timeout: 120_000 }, () => {
  let h;
  chromiumSuite((harness) => {
    h = harness;
  });

  it('a 1,000-row dialog: the JavaScript build keeps working after its memory grows', async () => {
    // wasm2js grows memory by swapping buffers without detaching the old one; the glue must
    // notice (see dist.rs, refresh_views_on_growth), or the core traps once the selection grows.
    await h.goto('https://www.facebook.com/bench-dialog.html?csp=strict', { fixture: false });
    assert.equal((await h.coreStatus()).engine, 'fallback');
    for (let i = 0; i < 25; i += 1) {
      await h.evaluate(`(() => { document.querySelectorAll('[role=dialog] [role=checkbox]')[${i}].click(); return true; })()`);
      await h.nextFrame();
    }
    await eventually(async () => (await warnings(h)).length === 1, { what: 'the warning past 20 of 1,000 rows' });
    assert.match((await warnings(h))[0].text, /\d+ people selected/);
    assert.equal((await h.coreStatus()).failure, null, 'the core did not stop');
  });
});
