// Only the user drives Ask First (review finding M1), in Chromium (wasm, and the fallback under a
// strict page CSP) and Firefox, on the Google Groups fixture (its leave flow is one "Leave again"
// reaches): a page script's `.click()` or synthetic key event on every button of the re-add flag
// and of the gate, and on the site's leave confirmation, changes nothing in the record or on the
// page; the user's real input (Playwright's input / WebDriver actions) does. Also: a user who
// rejoins by themselves is not re-added (L2), and after "I asked them – add now" on a site that
// ignores script clicks, the user's next real click on the add button goes through without the
// gate (L4).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { DRIVERS } from '../support/drivers.mjs';
import { harnessFor, selectedEngines } from '../support/engines.mjs';
import { CLICK_IN_DIALOG, DIALOG_BUTTON, call, eventually } from '../support/probes.mjs';
import { privateLoopback, startServer } from '../support/server.mjs';

const ACTOR = 'Anna Schmidt';
const d = DRIVERS['google-groups'];
const INVITE_THRESHOLD = 20;
const LEAVE = ['leave group'];
const CANCEL = ['cancel'];

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

const FLAG = `(() => { const host = document.querySelector('[data-ask-first="readd"]');
  return host && Array.from(host.shadowRoot.querySelectorAll('strong, p')).map((n) => n.textContent).join(' '); })()`;
const GATE = `(() => { const host = document.querySelector('[data-ask-first="gate"]');
  return host && { status: host.shadowRoot.querySelector('.status').textContent }; })()`;
/** A page script's click on a button of the extension's `kind` host. */
const scriptClick = (kind, action) => `(() => { document.querySelector('[data-ask-first="${kind}"]').shadowRoot
  .querySelector('button[data-action="${action}"]').click(); return true; })()`;
/** A page script's key events on the extension's `kind` host and the button focused in it. */
const scriptKeys = (kind) => `(() => { const host = document.querySelector('[data-ask-first="${kind}"]');
  const targets = [host, host.shadowRoot.activeElement || host.shadowRoot.querySelector('button')];
  for (const target of targets) for (const key of ['Escape', 'Enter', 'Tab', ' ']) {
    target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true }));
    target.dispatchEvent(new KeyboardEvent('keyup', { key, bubbles: true, composed: true, cancelable: true }));
  }
  return true; })()`;
/**
 * The site acts only on trusted clicks on `selector` from now on (as sites that check
 * `isTrusted` do): a capture listener on the document, which runs after Ask First's own (on the
 * window), stops a script's click before the site's handlers.
 */
const SITE_IGNORES_SCRIPT_CLICKS = (selector) => `(() => {
  document.addEventListener('click', (event) => {
    if (!event.isTrusted && event.target instanceof Element && event.target.closest(${JSON.stringify(selector)})) {
      event.stopImmediatePropagation();
      window.__fixture.log.push({ action: 'script-click-ignored', detail: {} });
    }
  }, true);
  return true; })()`;

/**
 * A page whose own code dispatches events while Ask First changes the page (review finding L3):
 * listeners for focus and copy, and a custom element of the name Ask First's hosts once had,
 * dispatch a click and an input event at once, inside Ask First's own DOM calls.
 */
const REENTRANT_PAGE = `(() => {
  const poke = () => { window.dispatchEvent(new Event('input')); document.body.click(); };
  document.addEventListener('focusin', poke, true);
  document.addEventListener('copy', poke, true);
  customElements.define('ask-first-ui', class extends HTMLElement {
    constructor() { super(); this.attachShadow({ mode: 'closed' }); poke(); }
    connectedCallback() { poke(); }
    disconnectedCallback() { poke(); }
  });
  return true; })()`;

function groupUrl(extra = {}) {
  const query = new URLSearchParams({ lang: 'en', delay: '0', ...extra });
  return `https://groups.google.com/g/hiking-club?${query}`;
}

let server;
before(async () => {
  server = await startServer({ port: 443, host: privateLoopback() });
});
after(async () => {
  await server?.close();
});

for (const engine of selectedEngines()) {
  describe(`only the user drives Ask First: ${engine.name}`, { timeout: 300_000 }, () => {
    let h;
    before(async () => {
      h = await harnessFor(engine, server);
    });
    after(async () => {
      await h?.close();
    });

    const extra = engine.csp ? { csp: engine.csp } : {};
    const record = async () => (await h.send({ type: 'get_record' })).body.record;
    const entry = async () => (await record()).left.find((e) => e.site === 'google-groups') ?? null;
    const incidents = async (kind) => (await record()).incidents.filter((i) => i.kind === kind).length;
    const fixture = (expression) => h.evaluate(`window.__fixture.${expression}`);
    const leaveDialogs = () => fixture(`log.filter((e) => e.action === 'dialog-open' && e.detail.dialog === 'leave').length`);

    it('the leave confirmation and the re-add flag', async () => {
      assert.equal((await h.send({ type: 'delete_everything' })).outcome, 'page');
      await h.goto(groupUrl(extra));
      assert.equal((await h.coreStatus()).engine, engine.engine);

      // A script's click on the leave confirmation: the site ignores it, and so does Ask First.
      await h.evaluate(SITE_IGNORES_SCRIPT_CLICKS('[role=dialog] [role=button]'));
      await fixture('api.openLeave()');
      await h.evaluate(call(CLICK_IN_DIALOG, LEAVE));
      assert.equal(await fixture(`count('script-click-ignored')`), 1, 'the site saw no script click');
      await sleep(600);
      assert.equal(await entry(), null, "a script's click on the leave confirmation records no leave");

      // The user's click on it: recorded.
      await h.clickFound(DIALOG_BUTTON, LEAVE);
      assert.equal(await fixture(`count('leave')`), 1);
      let left = await eventually(entry, { what: 'the leave in the record' });
      assert.equal(left.times_left, 1);
      assert.equal(left.is_out, true);

      // Added back: the flag.
      await fixture(`api.system(${JSON.stringify(`added:${ACTOR}`)})`);
      await eventually(async () => /#1\b/.test((await h.evaluate(FLAG)) ?? ''), { what: 'the re-add flag' });
      const dialogsBefore = await leaveDialogs();

      // A script's clicks and keys on every button of the flag: nothing happens.
      for (const action of ['leave-again', 'rejoined', 'dismiss']) await h.evaluate(scriptClick('readd', action));
      await h.evaluate(scriptKeys('readd'));
      await sleep(600);
      assert.ok(await h.evaluate(FLAG), 'the flag is still shown');
      assert.equal(await leaveDialogs(), dialogsBefore, '"Leave again" did not open the leave dialog');
      left = await entry();
      assert.equal(left.flagging, true, '"I rejoined on purpose" did not turn the flag off');
      assert.equal(left.readditions, 1);

      // The user's clicks: "Leave again" opens the site's leave dialog (cancelled here), and after
      // a reload "I rejoined on purpose" turns the flag off. (The user's "Dismiss", which keeps
      // it away after a reload too: leave.test.mjs.)
      await h.uiClick('readd', 'leave-again');
      await eventually(async () => (await leaveDialogs()) > dialogsBefore, { what: '"Leave again" to open the leave dialog' });
      await h.clickFound(DIALOG_BUTTON, CANCEL);
      await h.goto(groupUrl({ ...extra, sys: `added:${ACTOR}` }));
      await eventually(() => h.evaluate(FLAG), { what: 'the flag after a reload' });
      await h.evaluate(scriptClick('readd', 'rejoined'));
      await sleep(300);
      assert.equal((await entry()).flagging, true);
      await h.uiClick('readd', 'rejoined');
      assert.equal(await h.evaluate(FLAG), null);
      await eventually(async () => (await entry()).flagging === false, { what: 'flagging off' });
      assert.deepEqual(await fixture('errors'), [], 'the site logged no error');
    });

    it('a user who rejoins by themselves is not re-added', async () => {
      assert.equal((await h.send({ type: 'delete_everything' })).outcome, 'page');
      await h.goto(groupUrl(extra));
      await h.coreStatus();
      await fixture('api.openLeave()');
      await h.clickFound(DIALOG_BUTTON, LEAVE);
      await eventually(async () => (await entry())?.is_out === true, { what: 'the leave in the record' });
      // The page shows the user out, with "Join group": the user clicks it.
      await h.clickFound(`async () => { for (let i = 0; i < 60; i += 1) {
          const join = Array.from(document.querySelectorAll('[role=main] [role=button]')).find((b) => b.textContent.trim() === 'Join group');
          if (join) return join;
          await new Promise((ok) => setTimeout(ok, 50)); }
        throw new Error('no "Join group" button'); }`);
      assert.equal(await fixture(`count('join')`), 1);
      const rejoined = await eventually(async () => {
        const e = await entry();
        return e && e.is_out === false && e;
      }, { what: 'the rejoin in the record' });
      assert.equal(rejoined.flagging, false, 'a rejoin on purpose');
      await sleep(800);
      assert.equal(await h.evaluate(FLAG), null, 'no flag');
      const e = await entry();
      assert.equal(e.readditions, 0, 'not counted as a re-addition');
      assert.equal(await incidents('re_added'), 0, 'no re-addition incident');
      assert.equal((await h.send({ type: 'get_record' })).body.unseen_readditions, 0);
      // A reload shows the user a member: still nothing.
      await h.goto(groupUrl(extra));
      await sleep(800);
      assert.equal(await h.evaluate(FLAG), null);
      assert.equal((await entry()).readditions, 0);
    });

    it('the gate', async () => {
      assert.equal((await h.send({ type: 'delete_everything' })).outcome, 'page');
      await h.goto(`https://${d.host}${d.url('en', extra)}`);
      await h.coreStatus();
      await h.run(d.open);
      await h.run(d.select, INVITE_THRESHOLD);
      // A script's click on the add button still opens the gate (it only asks the user).
      await h.run(d.clickConfirm);
      await eventually(() => h.evaluate(GATE), { what: 'the gate' });

      // A script's clicks and keys on every button of the gate: nothing happens.
      for (const action of ['ask', 'proceed', 'cancel']) await h.evaluate(scriptClick('gate', action));
      await h.evaluate(scriptKeys('gate'));
      await sleep(400);
      const gate = await h.evaluate(GATE);
      assert.ok(gate, 'the gate is still open');
      assert.equal(gate.status, '', 'nothing was copied');
      assert.equal(await fixture(`count(${JSON.stringify(d.sentAction)})`), 0, 'nothing sent');
      for (const kind of ['bulk_add_cancelled', 'bulk_add_proceeded', 'ask_message_copied']) {
        assert.equal(await incidents(kind), 0, `no ${kind}`);
      }

      // The user's input: "Copy" copies (or says it could not), Escape cancels.
      await h.uiClick('gate', 'ask');
      await eventually(async () => (await h.evaluate(GATE))?.status, { what: 'the copy status' });
      await h.pressKey('Escape');
      await eventually(async () => (await h.evaluate(GATE)) === null, { what: 'the gate to close on Escape' });
      await eventually(async () => (await incidents('bulk_add_cancelled')) === 1, { what: 'the cancel in the record' });

      // A site that ignores script clicks on its add button: "add now" clicks it for the user,
      // the site ignores that, and the user's next real click on it goes through, ungated.
      await h.evaluate(SITE_IGNORES_SCRIPT_CLICKS(d.confirmSelector));
      await h.realClick(d.confirmSelector);
      await eventually(() => h.evaluate(GATE), { what: 'the gate on a real click' });
      await h.uiClick('gate', 'proceed');
      await eventually(async () => (await h.evaluate(GATE)) === null, { what: 'the gate to close' });
      assert.equal(await fixture(`count('script-click-ignored')`), 1, "the site ignored the core's click");
      assert.equal(await fixture(`count(${JSON.stringify(d.sentAction)})`), 0);
      await h.realClick(d.confirmSelector);
      assert.equal(await h.evaluate(GATE), null, 'no second gate');
      assert.equal(await fixture(`count(${JSON.stringify(d.sentAction)})`), 1, 'sent once, by the real click');
      assert.equal(await incidents('bulk_add_proceeded'), 1);
      assert.deepEqual(await fixture('errors'), [], 'the site logged no error');
    });

    it("a page whose listeners dispatch events inside Ask First's own DOM calls does not stop it", async () => {
      assert.equal((await h.send({ type: 'delete_everything' })).outcome, 'page');
      await h.goto(`https://${d.host}${d.url('en', extra)}`);
      await h.coreStatus();
      await h.evaluate(REENTRANT_PAGE);
      await h.run(d.open);
      await h.run(d.select, INVITE_THRESHOLD);
      await eventually(async () => (await h.inserted()).some((x) => x.kind === 'warn'), { what: 'the warning' });
      await h.run(d.clickConfirm);
      await eventually(() => h.evaluate(GATE), { what: 'the gate' });
      // Focus moves inside the gate (Tab, Shift+Tab), the message is copied, Escape cancels.
      await h.pressKey('Tab');
      await h.pressKey('Shift+Tab');
      await h.uiClick('gate', 'ask');
      await eventually(async () => (await h.evaluate(GATE))?.status, { what: 'the copy status' });
      await h.pressKey('Escape');
      await eventually(async () => (await h.evaluate(GATE)) === null, { what: 'the gate to close on Escape' });
      // Still running: the warning follows the selection, and no failure was reported.
      await h.run(d.unselect, 1);
      await eventually(async () => !(await h.inserted()).some((x) => x.kind === 'warn'), { what: 'the warning to go' });
      const status = await h.coreStatus();
      assert.equal(status.failure ?? null, null, `no failure: ${status.failure}`);
    });
  });
}
