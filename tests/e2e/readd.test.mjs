// Remember the groups you left, end to end: per site and language, in Chromium (wasm, and the
// fallback under a strict page CSP) and Firefox (`languagesFor`). Cancelling the site's leave dialog records
// nothing; confirming it records the leave; being added back shows the flag (role=alert, in an
// open shadow root) with the count and who did it; a reload does not count again; a second
// re-addition after leaving again is #2; "I rejoined on purpose" stops the flag; the toolbar
// badge counts unseen re-additions; the record survives a browser restart on the same profile.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT } from '../support/browsers.mjs';
import { engineSelected, harnessFor, languagesFor, selectedEngines } from '../support/engines.mjs';
import { chromiumHarness } from '../support/harness.mjs';
import { DIALOG_BUTTON, eventually } from '../support/probes.mjs';
import { fixtureSites, privateLoopback, startServer } from '../support/server.mjs';

const ACTOR = 'Anna Schmidt';
const LANGS = ['en', 'de'];
// Sites whose leave flow the flag's "Leave again" reaches: every one, through the steps its pack
// names (tests/e2e/leave.test.mjs covers each in both languages).
const LEAVE_AGAIN = ['facebook', 'whatsapp', 'whatsapp-classic', 'telegram', 'telegram-a', 'google-groups', 'slack', 'discord'];
// Sites whose page shows a "you left" message the user can be identified in.
const PHONE = ['facebook', 'whatsapp', 'whatsapp-classic', 'telegram', 'telegram-a', 'discord'];
const CANCEL = ['cancel', 'abbrechen'];

/**
 * Per site: the group page, its key and how the fixture re-adds (or re-invites) the user; `actor`
 * is how the page names the adder where it differs (Telegram Web A writes first names only).
 */
const SITES = {
  facebook: { path: '/groups/4711/', key: '4711', name: 'Berlin Networking Circle', readd: 'added' },
  whatsapp: { path: '/', key: null, name: 'Book Club', readd: 'added' },
  // The client before the icon rename: messages in div[role=row], data-testid hooks.
  'whatsapp-classic': { site: 'whatsapp', path: '/', query: { shape: 'classic' }, key: null, name: 'Book Club', readd: 'added' },
  telegram: { path: '/k/', hash: '#-1001303328644', key: '-1001303328644', name: 'Rust Berlin Meetup', readd: 'added' },
  // Telegram Web A: another client on the same host.
  'telegram-a': { site: 'telegram', path: '/a/', hash: '#-1001303328644', key: '-1001303328644', name: 'Rust Berlin Meetup', readd: 'added', actor: 'Anna' },
  linkedin: { path: '/groups/9876543/', key: '9876543', name: 'Product Managers Berlin', readd: 'invited' },
  'google-groups': { path: '/g/hiking-club', key: 'hiking-club', name: 'Hiking Club', readd: 'added' },
  // A private channel: its leave asks first (public channels leave at once, tested below).
  slack: { path: '/client/T0123ABCD/G0ABCLEADS', key: null, name: null, readd: 'added' },
  // Leaving a group DM returns to the friends list: the re-addition is seen on the next visit.
  discord: { path: '/channels/@me/1100000000000000001', key: null, name: 'Weekend Trip', readd: 'added', live: false },
};

// ASK_FIRST_ENGINES=chromium-wasm,firefox and ASK_FIRST_SITES=facebook,whatsapp narrow the run.
const ONLY_SITES = process.env.ASK_FIRST_SITES?.split(',');

/** The site pack id of a row (a site with several page shapes has a row per shape). */
const packOf = (site) => SITES[site].site ?? site;
/** The host a row's fixture is served under, from the fixture catalogue (tests/sites/index.json). */
const hostOf = (site) => fixtureSites().find((entry) => entry.site === packOf(site)).host;
/** ASK_FIRST_SITES names rows or packs (a pack id selects every shape: telegram → K and A). */
const selected = (site) => !ONLY_SITES || ONLY_SITES.includes(site) || ONLY_SITES.includes(packOf(site));
/** How the page names the adder. */
const actorOf = (site) => SITES[site].actor ?? ACTOR;
const pack = (site) => JSON.parse(readFileSync(join(ROOT, 'extension/sitepacks', `${packOf(site)}.json`), 'utf8'));
const lower = (list) => list.map((s) => s.toLowerCase());

function url(site, lang, extra = {}) {
  const s = SITES[site];
  const query = new URLSearchParams({ lang, delay: '0', ...s.query, ...extra });
  return `https://${hostOf(site)}${s.path}?${query}${s.hash ?? ''}`;
}


const FLAG = `(() => { const host = document.querySelector('[data-ask-first="readd"]');
  return host && { role: host.getAttribute('role'), open: !!host.shadowRoot && host.shadowRoot.mode === 'open',
    text: Array.from(host.shadowRoot.querySelectorAll('strong, p')).map((n) => n.textContent).join(' '),
    actions: Array.from(host.shadowRoot.querySelectorAll('button[data-action]')).map((b) => b.getAttribute('data-action')) }; })()`;
const HINT = `(() => { const host = document.querySelector('[data-ask-first="leave-hint"]');
  return host && { role: host.getAttribute('role'), open: !!host.shadowRoot && host.shadowRoot.mode === 'open' }; })()`;

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

let server;
before(async () => {
  // Firefox needs port 443; an address of this run's own keeps parallel runs apart.
  server = await startServer({ port: 443, host: privateLoopback() });
});
after(async () => {
  await server?.close();
});

for (const engine of selectedEngines()) {
  describe(`remember the groups you left: ${engine.name}`, { timeout: 900_000 }, () => {
    let h;
    before(async () => {
      h = await harnessFor(engine, server);
    });
    after(async () => {
      await h?.close();
    });

    const record = async () => (await h.send({ type: 'get_record' })).body;
    const entryOf = async (site) => (await record()).record.left.find((e) => e.site === packOf(site)) ?? null;
    const fixture = (expression) => h.evaluate(`window.__fixture.${expression}`);
    const flag = () => h.evaluate(FLAG);

    for (const [index, site] of Object.keys(SITES).filter(selected).entries()) {
      for (const lang of languagesFor(engine, index, LANGS)) {
        it(`${site} (${lang})`, async () => {
          const s = SITES[site];
          const p = pack(site);
          const confirm = lower(p.leave.confirm.text[lang]);
          const extra = engine.csp ? { csp: engine.csp } : {};
          assert.equal((await h.send({ type: 'delete_everything' })).outcome, 'page');
          await h.goto(url(site, lang, extra));
          assert.equal((await h.coreStatus()).engine, engine.engine);

          // Cancel: nothing recorded.
          await fixture('api.openLeave()');
          if (site === 'facebook') {
            const hint = await eventually(() => h.evaluate(HINT), { what: 'the leave hint' });
            assert.equal(hint.role, 'status');
            assert.ok(hint.open);
            await h.evaluate(`document.querySelector('[role=dialog] [role=switch]').click()`);
            await eventually(async () => (await h.evaluate(HINT)) === null, { what: 'the hint to go when switched on' });
            await h.evaluate(`document.querySelector('[role=dialog] [role=switch]').click()`);
            await eventually(() => h.evaluate(HINT), { what: 'the hint back when switched off' });
          }
          await h.clickFound(DIALOG_BUTTON, CANCEL);
          assert.equal(await fixture(`count('leave')`), 0);
          if (site === 'facebook') {
            await eventually(async () => (await h.evaluate(HINT)) === null, { what: 'the hint to go with the dialog' });
          }
          await sleep(300);
          assert.equal(await entryOf(site), null, 'cancel records nothing');

          // Confirm: recorded.
          await fixture('api.openLeave()');
          await h.clickFound(DIALOG_BUTTON, confirm);
          assert.equal(await fixture(`count('leave')`), 1);
          let entry = await eventually(() => entryOf(site), { what: 'the leave in the record' });
          assert.equal(entry.times_left, 1);
          assert.equal(entry.is_out, true);
          if (s.name) assert.equal(entry.name, s.name);
          if (s.key) assert.equal(entry.key, s.key);
          const firstLeft = entry.last_left;

          // Re-added (or re-invited) while the page is open: the flag with #1 and who did it.
          const invitation = s.readd === 'invited';
          const readd = async () => {
            if (s.live === false) await h.goto(url(site, lang, { ...extra, sys: `${s.readd}:${ACTOR}` }));
            else await fixture(`api.system(${JSON.stringify(`${s.readd}:${ACTOR}`)})`);
          };
          await readd();
          let shown = await eventually(async () => {
            const f = await flag();
            return f && /#1\b/.test(f.text) && f;
          }, { what: 'the re-add flag #1' });
          assert.equal(shown.role, 'alert');
          assert.ok(shown.open, 'in an open shadow root');
          assert.ok(shown.text.includes(actorOf(site)), `names ${actorOf(site)}: ${shown.text}`);
          if (s.name) assert.ok(shown.text.includes(s.name), `names the group: ${shown.text}`);
          assert.deepEqual(shown.actions, ['leave-again', 'rejoined', 'dismiss']);
          entry = await entryOf(site);
          assert.equal(invitation ? entry.reinvitations : entry.readditions, 1);
          if (invitation) {
            const adder = (await record()).record.adders.find((a) => a.site === packOf(site) && a.name === actorOf(site));
            assert.equal(adder?.reinvitations, 1, 'counted per adder');
          } else {
            assert.equal(entry.adders[actorOf(site)], 1, 'counted per adder in this group');
          }
          assert.equal(await h.badge(), '1', 'the badge counts the unseen re-addition');

          // Reload (the page shows the same re-addition again): still #1.
          await h.goto(url(site, lang, { ...extra, sys: `${s.readd}:${ACTOR}` }));
          shown = await eventually(flag, { what: 'the flag after a reload' });
          await sleep(400);
          shown = await flag();
          assert.match(shown.text, /#1\b/);
          assert.ok(shown.text.includes(actorOf(site)));
          entry = await entryOf(site);
          assert.equal(invitation ? entry.reinvitations : entry.readditions, 1, 'a reload does not count again');
          assert.equal(await h.badge(), '1');

          if (!invitation) {
            // "Leave again" opens the site's own leave flow where the pack reaches it; then a
            // new re-addition: #2.
            const leaveDialogs = `log.filter((e) => e.action === 'dialog-open' && e.detail.dialog === 'leave').length`;
            const before = await fixture(leaveDialogs);
            await h.uiClick('readd', 'leave-again');
            await sleep(500);
            const opened = (await fixture(leaveDialogs)) > before;
            if (LEAVE_AGAIN.includes(site)) assert.ok(opened, '"Leave again" opened the site\'s leave dialog');
            if (!opened) await fixture('api.openLeave()');
            await h.clickFound(DIALOG_BUTTON, confirm);
            entry = await eventually(async () => {
              const e = await entryOf(site);
              return e && e.times_left === 2 && e;
            }, { what: 'the second leave' });
            assert.ok(entry.last_left > firstLeft);
            await eventually(async () => (await flag()) === null, { what: 'the flag to go after leaving' });
            await readd();
            shown = await eventually(async () => {
              const f = await flag();
              return f && /#2\b/.test(f.text) && f;
            }, { what: 'the re-add flag #2' });
            assert.ok(shown.text.includes(actorOf(site)));
            entry = await entryOf(site);
            assert.equal(entry.readditions, 2);
            assert.equal(entry.adders[actorOf(site)], 2);
            assert.equal(await h.badge(), '2');
          }

          // (Dismissing it, and its staying dismissed after a reload: leave.test.mjs.)

          // "I rejoined on purpose": the flag goes and stays away after a reload.
          await h.uiClick('readd', 'rejoined');
          assert.equal(await flag(), null);
          entry = await eventually(async () => {
            const e = await entryOf(site);
            return e && e.flagging === false && e;
          }, { what: 'flagging off' });
          await h.goto(url(site, lang, { ...extra, sys: `${s.readd}:${ACTOR}` }));
          await sleep(600);
          assert.equal(await flag(), null, 'no flag after "I rejoined on purpose"');

          // Looking at the record clears the badge.
          const seen = await h.send({ type: 'mark_readditions_seen' });
          assert.equal(seen.outcome, 'page');
          await eventually(async () => (await h.badge()) === '', { what: 'the badge to clear' });

          assert.deepEqual(await fixture('errors'), [], 'the site logged no error');
          assert.deepEqual(await fixture('removedForeign'), [], 'no node of the site was removed');
        });
      }
    }

    it('a site switched off in the settings records and flags nothing', async () => {
      await h.send({ type: 'delete_everything' });
      const { settings } = (await h.send({ type: 'get_settings' })).body;
      settings.sites = { ...settings.sites, facebook: { ...(settings.sites?.facebook ?? {}), enabled: false } };
      assert.equal((await h.send({ type: 'set_settings', settings })).outcome, 'page');
      const extra = engine.csp ? { csp: engine.csp } : {};
      await h.goto(url('facebook', 'en', extra));
      await h.coreStatus();
      await fixture('api.openLeave()');
      await sleep(300);
      assert.equal(await h.evaluate(HINT), null, 'no hint');
      await h.clickFound(DIALOG_BUTTON, ['leave group']);
      assert.equal(await fixture(`count('leave')`), 1);
      await fixture(`api.system('added:${ACTOR}')`);
      await sleep(600);
      assert.equal(await entryOf('facebook'), null, 'nothing recorded');
      assert.equal(await flag(), null, 'nothing flagged');
      await h.send({ type: 'delete_everything' });
    });

    // The platform's own "you left" message records a leave made elsewhere (the phone), once;
    // a chat that shows "you left" and then "X added you" is a leave and a re-addition.
    for (const [index, site] of PHONE.filter(selected).entries()) {
      for (const lang of languagesFor(engine, index, LANGS)) {
        it(`${site} (${lang}): a leave made on the phone`, async () => {
          const extra = engine.csp ? { csp: engine.csp } : {};
          await h.send({ type: 'delete_everything' });
          await h.goto(url(site, lang, { ...extra, sys: 'left' }));
          let entry = await eventually(() => entryOf(site), { what: 'the leave from the message' });
          assert.equal(entry.times_left, 1);
          assert.equal(entry.is_out, true);
          assert.equal(await fixture(`count('leave')`), 0, 'no leave click');
          await h.goto(url(site, lang, { ...extra, sys: 'left' }));
          await sleep(500);
          assert.equal((await entryOf(site)).times_left, 1, 'a reload does not leave again');

          await h.send({ type: 'delete_everything' });
          await h.goto(url(site, lang, { ...extra, sys: `left|added:${ACTOR}` }));
          let shown = await eventually(async () => {
            const f = await flag();
            return f && /#1\b/.test(f.text) && f;
          }, { what: 'the flag for a leave and re-addition seen in the history' });
          assert.ok(shown.text.includes(actorOf(site)));
          entry = await entryOf(site);
          assert.equal(entry.times_left, 1);
          assert.equal(entry.readditions, 1);
          await h.goto(url(site, lang, { ...extra, sys: `left|added:${ACTOR}` }));
          shown = await eventually(flag, { what: 'the flag after a reload' });
          await sleep(500);
          assert.match((await flag()).text, /#1\b/);
          entry = await entryOf(site);
          assert.equal(entry.times_left, 1, 'the history is not a second leave');
          assert.equal(entry.readditions, 1);
          assert.deepEqual(await fixture('errors'), []);
          assert.deepEqual(await fixture('removedForeign'), []);
        });
      }
    }

    // Other people cannot forge the history: a member of the group DM who posts the system
    // messages' words ("Robin Meyer left the group.", "Anna Schmidt added Robin Meyer to the
    // group.") records no leave and flags nothing; the platform's own message still counts.
    if (selected('discord')) {
      it('discord: messages people write in the words of system messages are ignored', async () => {
        const extra = engine.csp ? { csp: engine.csp } : {};
        await h.send({ type: 'delete_everything' });
        const texts = ['Robin Meyer left the group.', `${ACTOR} added Robin Meyer to the group.`];
        const forged = texts.map((text) => `say:Mallory Jones:${text}`).join('|');
        await h.goto(url('discord', 'en', { ...extra, sys: forged }));
        await h.coreStatus();
        await sleep(1500);
        const shown = await h.evaluate(`Array.from(document.querySelectorAll('[id^="message-content-"]'), (n) => n.textContent)`);
        assert.deepEqual(shown.filter((text) => texts.includes(text)), texts, 'the messages are shown');
        assert.equal(await entryOf('discord'), null, 'no leave from a person\'s message');
        assert.equal(await flag(), null, 'no re-addition flagged');
        // The same page with the platform's own message after them: that leave counts.
        await h.goto(url('discord', 'en', { ...extra, sys: `${forged}|left` }));
        const entry = await eventually(() => entryOf('discord'), { what: 'the leave from the system message' });
        assert.equal(entry.times_left, 1);
        assert.equal(entry.readditions, 0, 'the earlier forged "added" is no re-addition');
        await sleep(500);
        assert.equal(await flag(), null);
        assert.deepEqual(await fixture('errors'), []);
      });
    }
  });
}

// Slack's public channels leave at once from the menu (no confirmation): the click on "Leave
// channel" followed by the page showing the user out records it.
if (engineSelected('chromium-wasm')) {
  describe('Slack: a public channel leaves at once', { timeout: 120_000 }, () => {
    it('records the leave from the menu item', async () => {
      const h = await chromiumHarness(server);
      try {
        await h.send({ type: 'delete_everything' });
        await h.goto(`https://app.slack.com/client/T0123ABCD/C0789APOLO?lang=en&delay=0`);
        await h.coreStatus();
        await h.evaluate(`document.querySelector('[data-qa=channel_header_kebab]').click()`);
        // The user's own click on the item (a page script's records nothing).
        await h.clickFound(`async () => { for (let i = 0; i < 60; i += 1) {
            const item = Array.from(document.querySelectorAll('[role=menu] [role=menuitem]')).find((b) => b.textContent.trim() === 'Leave channel');
            if (item) return item;
            await new Promise((ok) => setTimeout(ok, 50)); }
          throw new Error('no leave item'); }`);
        assert.equal(await h.evaluate(`window.__fixture.count('leave')`), 1);
        const entry = await eventually(
          async () => (await h.send({ type: 'get_record' })).body.record.left.find((e) => e.site === 'slack'),
          { what: 'the leave in the record' },
        );
        assert.equal(entry.times_left, 1);
        assert.equal(entry.is_out, true);
      } finally {
        await h.close();
      }
    });
  });
}

// The record lives in the extension's storage: a restart on the same profile keeps it.
if (engineSelected('chromium-wasm')) {
  describe('Chromium: the record survives a browser restart', { timeout: 120_000 }, () => {
    it('keeps the left group and its re-addition', async () => {
      let h = await chromiumHarness(server);
      const profile = h.profile;
      try {
        await h.send({ type: 'delete_everything' });
        await h.goto(url('facebook', 'en'));
        await h.coreStatus();
        await h.evaluate('window.__fixture.api.openLeave()');
        await h.clickFound(DIALOG_BUTTON, ['leave group']);
        await h.evaluate(`window.__fixture.api.system('added:${ACTOR}')`);
        await eventually(async () => {
          const f = await h.evaluate(FLAG);
          return f && /#1\b/.test(f.text);
        }, { what: 'the flag' });
      } finally {
        await h.close();
      }
      h = await chromiumHarness(server, { profile });
      try {
        const { record, unseen_readditions: unseen } = (await h.send({ type: 'get_record' })).body;
        const entry = record.left.find((e) => e.site === 'facebook');
        assert.ok(entry, 'the left group is still recorded');
        assert.equal(entry.key, '4711');
        assert.equal(entry.readditions, 1);
        assert.equal(entry.adders[ACTOR], 1);
        assert.equal(unseen, 1);
        // A sample of what is stored, for the record of this run.
        console.log(`# sample record after a restart: ${JSON.stringify({
          left: entry,
          adders: record.adders,
          incidents: record.incidents.filter((i) => i.kind === 're_added'),
        })}`);
        assert.equal(await eventually(() => h.badge(), { what: 'the badge after the restart' }), '1');
        // And the page still flags it.
        await h.goto(url('facebook', 'en', { sys: `added:${ACTOR}` }));
        const f = await eventually(() => h.evaluate(FLAG), { what: 'the flag after the restart' });
        assert.match(f.text, /#1\b/);
      } finally {
        await h.close();
      }
    });
  });
}
