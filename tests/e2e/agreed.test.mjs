// "They said yes", end to end on the Telegram Web K fixture (direct adds, threshold 5), in
// Chromium (wasm, and the fallback under a strict page CSP) and Firefox: after copying the
// ask-first message the user ticks who said yes in the gate (a page script's ticks and clicks
// mark nobody), for the site or for this group only; the dialog read again counts "N of M said
// yes", the message asks only the others, and fewer unasked people than the threshold means no
// gate. The options page lists them with search and remove, and the export carries them.
//
// ASK_FIRST_ENGINES=chromium-wasm,firefox narrows the run.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DRIVERS } from '../support/drivers.mjs';
import { harnessFor, selectedEngines } from '../support/engines.mjs';
import { eventually } from '../support/probes.mjs';
import { privateLoopback, startServer } from '../support/server.mjs';

const d = DRIVERS.telegram;
const GROUP_KEY = '-48151623';

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** The gate's texts, its message and whether the "they said yes" panel shows. */
const GATE = `(() => { const host = document.querySelector('[data-ask-first="gate"]');
  if (!host) return null;
  const root = host.shadowRoot;
  const panel = root.querySelector('[data-field="yes"]');
  return {
    lines: Array.from(root.querySelectorAll('.gate > p')).map((p) => p.textContent),
    message: root.querySelector('[data-field="ask-message"]').value,
    status: root.querySelector('.status').textContent,
    panel: !!panel && !panel.hidden,
    boxes: panel ? Array.from(panel.querySelectorAll('li')).map((li) => li.textContent) : [],
  }; })()`;
/** A box of the gate's panel (`data-yes` value), for the user's click. */
const YES_BOX = `(key) => document.querySelector('[data-ask-first="gate"]').shadowRoot.querySelector('input[data-yes="' + key + '"]')`;
/** A page script's click on a box of the panel. */
const scriptTick = (key) => `(() => { document.querySelector('[data-ask-first="gate"]').shadowRoot
  .querySelector('input[data-yes="${key}"]').click(); return true; })()`;

let server;
before(async () => {
  server = await startServer({ port: 443, host: privateLoopback() });
});
after(async () => {
  await server?.close();
});

for (const engine of selectedEngines()) {
  describe(`they said yes: ${engine.name}`, { timeout: 300_000 }, () => {
    let h;
    before(async () => {
      h = await harnessFor(engine, server);
    });
    after(async () => {
      await h?.close();
    });

    const extra = engine.csp ? { csp: engine.csp } : {};
    const url = () => `https://${d.host}${d.url('en', extra)}`;
    const record = async () => (await h.send({ type: 'get_record' })).body.record;
    const agreed = async () => (await record()).agreed ?? [];
    const fixture = (expression) => h.evaluate(`window.__fixture.${expression}`);
    const gate = () => h.evaluate(GATE);
    const kinds = async () => (await h.inserted()).map((x) => x.kind);
    const notice = async (kind) => (await h.inserted()).find((x) => x.kind === kind)?.text ?? '';

    /** A fresh page with the add dialog open and the first `n` people selected: their names. */
    async function selectOnFreshPage(n) {
      await h.goto(url());
      assert.equal((await h.coreStatus()).engine, engine.engine);
      await h.run(d.open);
      return h.run(d.select, n);
    }

    it('marked in the gate, not counted, not asked again; no gate below the threshold', async () => {
      assert.equal((await h.send({ type: 'delete_everything' })).outcome, 'page');
      const names = await selectOnFreshPage(6);
      assert.equal(names.length, 6);
      await eventually(async () => (await kinds()).includes('warn'), { what: 'the warning for 6' });
      await h.run(d.clickConfirm);
      let shown = await eventually(gate, { what: 'the gate' });
      assert.ok(!shown.lines.some((line) => /of \d+ said yes/.test(line)), 'nobody said yes yet');
      assert.equal(shown.panel, false, 'the panel waits for the copy');
      assert.deepEqual(shown.boxes, names, 'a box for each person the message asks');

      // The copy shows the panel.
      await h.uiClick('gate', 'ask');
      shown = await eventually(async () => {
        const g = await gate();
        return g?.status && g.panel && g;
      }, { what: 'the copy status and the panel' });

      // A page script ticks a box and clicks "Mark as said yes": nobody is marked.
      await h.evaluate(scriptTick('0'));
      await h.evaluate(`(() => { document.querySelector('[data-ask-first="gate"]').shadowRoot
        .querySelector('button[data-action="yes"]').click(); return true; })()`);
      await sleep(400);
      assert.deepEqual(await agreed(), [], "a script's ticks mark nobody");
      assert.equal(await h.evaluate(`document.querySelector('[data-ask-first="gate"]').shadowRoot
        .querySelector('input[data-yes="0"]').checked`), false, "the script's tick was undone");

      // The user: the first person for the site, then the second for this group only.
      await h.clickFound(YES_BOX, '0');
      await h.uiClick('gate', 'yes');
      await eventually(async () => (await agreed()).length === 1, { what: 'the first yes in the record' });
      // On the name (the box's label) and on the box of "Only for …".
      await h.clickFound(`(key) => (${YES_BOX})(key).nextElementSibling`, '1');
      await h.clickFound(YES_BOX, 'group');
      await h.uiClick('gate', 'yes');
      const list = await eventually(async () => {
        const a = await agreed();
        return a.length === 2 && a;
      }, { what: 'the second yes in the record' });
      const first = list.find((a) => a.name === names[0]);
      const second = list.find((a) => a.name === names[1]);
      assert.equal(first.site, 'telegram');
      assert.equal(first.group ?? null, null, 'for every group of the site');
      assert.deepEqual(second.group, { site: 'telegram', key: GROUP_KEY }, 'for this group only');
      assert.match((await gate()).status, /Saved/);

      // Cancel: the open dialog now counts 4 unasked people, a quiet note, no warning.
      await h.pressKey('Escape');
      await eventually(async () => (await gate()) === null, { what: 'the gate to close' });
      await eventually(async () => {
        const k = await kinds();
        return k.includes('note') && !k.includes('warn');
      }, { what: 'the note instead of the warning' });
      assert.match(await notice('note'), /You are adding 4 people/);
      assert.match(await notice('note'), /2 of 6 said yes and are not counted/);

      // The dialog opened again on a reloaded page: the same, and the add goes through ungated.
      const again = await selectOnFreshPage(6);
      assert.deepEqual(again, names);
      await eventually(async () => /2 of 6 said yes/.test(await notice('note')), { what: 'the note with 2 of 6' });
      assert.ok(!(await kinds()).includes('warn'));
      await h.run(d.clickConfirm);
      await sleep(300);
      assert.equal(await gate(), null, 'no gate: 4 unasked is below the threshold of 5');
      if (d.followUp) await h.run(d.followUp);
      assert.equal(await fixture(`count(${JSON.stringify(d.sentAction)})`), 1, 'the add went through');
      assert.deepEqual(await fixture('errors'), [], 'the site logged no error');
    });

    it('the gate counts "N of M said yes" and its message asks only the others', async () => {
      // Seven selected, two said yes (from the test before): 5 unasked, at the threshold.
      assert.equal((await agreed()).length, 2, 'the list from the test before');
      const names = await selectOnFreshPage(7);
      await eventually(async () => /2 of 7 said yes/.test(await notice('warn')), { what: 'the warning with 2 of 7' });
      assert.match(await notice('warn'), /\b5 people selected/);
      await h.run(d.clickConfirm);
      const shown = await eventually(gate, { what: 'the gate' });
      assert.ok(shown.lines.includes('2 of 7 said yes and are not counted.'), shown.lines.join(' | '));
      assert.ok(!shown.message.includes(names[0]) && !shown.message.includes(names[1]), shown.message);
      for (const name of names.slice(2)) assert.ok(shown.message.includes(name), `${name}: ${shown.message}`);
      assert.deepEqual(shown.boxes, names.slice(2), 'only the others can be marked');
      // Without a copy, "Some said yes…" shows the panel, focus on its first box.
      assert.equal(shown.panel, false);
      await h.uiClick('gate', 'yes-open');
      await eventually(async () => (await gate())?.panel, { what: 'the panel on its button' });
      assert.equal(await h.evaluate(`document.querySelector('[data-ask-first="gate"]').shadowRoot
        .activeElement?.getAttribute('data-yes')`), '0', 'focus on the first box');
      await h.uiClick('gate', 'cancel');
      await eventually(async () => (await gate()) === null, { what: 'the gate to close' });
    });

    it('the options page lists them with search and remove, and the export carries them', async () => {
      const list = await agreed();
      assert.equal(list.length, 2);
      const [forSite, forGroup] = [list.find((a) => !a.group), list.find((a) => a.group)];
      const options = await h.openExtensionPage('options.html');
      const rows = () => options.evaluate(`Array.from(document.querySelectorAll('[data-field="yes-list"] tr'))
        .map((tr) => [tr.querySelector('[data-field="yes-name"]').textContent, tr.querySelector('[data-field="yes-group"]').textContent])`);
      await options.waitFor('[data-field="yes-list"] tr');
      let shown = await rows();
      assert.equal(shown.length, 2);
      assert.deepEqual(shown.find(([name]) => name === forSite.name), [forSite.name, 'Every group']);
      assert.equal(shown.find(([name]) => name === forGroup.name)[1], forGroup.group_name ?? GROUP_KEY);

      // Search: by a person's name, and a search that finds nobody says so.
      await options.fill('#yes-search', forGroup.name.toUpperCase());
      await eventually(async () => (await rows()).length === 1, { what: 'the search to narrow the list' });
      assert.equal((await rows())[0][0], forGroup.name);
      await options.fill('#yes-search', 'nobody of that name');
      await eventually(async () => (await rows()).length === 0, { what: 'an empty result' });
      assert.equal(await options.text('[data-field="yes-status"]'), 'Nobody matches the search.');
      await options.fill('#yes-search', 'telegram');
      await eventually(async () => (await rows()).length === 2, { what: 'both, found by their site' });

      // The export holds the list.
      const file = await options.download('[data-action="export"]', mkdtempSync(join(tmpdir(), 'ask-first-yes-')));
      const exported = JSON.parse(readFileSync(file, 'utf8'));
      assert.deepEqual(exported.record.agreed, list, 'the file holds the list');

      // Remove the yes for the group: gone from the page and the record.
      await options.fill('#yes-search', forGroup.name);
      await eventually(async () => (await rows()).length === 1, { what: 'the one row' });
      await options.click('[data-field="yes-list"] button[data-action="remove-yes"]');
      await eventually(async () => (await agreed()).length === 1, { what: 'the removal in the record' });
      assert.equal((await agreed())[0].name, forSite.name);
      // The page draws itself anew after the removal; the user sees the row go before typing on.
      await eventually(async () => (await rows()).length === 0, { what: 'the row gone from the page' });
      assert.equal(await options.text('[data-field="yes-status"]'), 'Nobody matches the search.');
      assert.equal(await options.evaluate(`document.getElementById('yes-search').value`), forGroup.name,
        'the search survives the redraw');
      await options.fill('#yes-search', 'telegram');
      await eventually(async () => (await rows()).length === 1, { what: 'the list without it' });
      await options.close();
    });
  });
}
