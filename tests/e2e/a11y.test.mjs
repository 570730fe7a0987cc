// Accessibility of everything Ask First shows, in Chromium and Firefox, light and dark:
// - the popup and the options page (with a record, trusted lists and a site tab, so every kind of
//   control is there): every control has an accessible name (Chromium: also in the browser's own
//   accessibility tree); Tab alone reaches every control, in order, each with a visible focus
//   indicator (an outline or shadow it does not have unfocused, at least 3:1 against what is
//   behind it); every visible text meets WCAG AA contrast (4.5:1; 3:1 for large text);
// - what the content script inserts into a site page: the quiet note, the warning, the gate and
//   the re-addition banner meet the same contrast; the gate takes focus, keeps Tab inside its
//   buttons with a visible focus, and Esc cancels it and gives focus back to the site's button;
//   the banner's buttons are the first Tab stops of the page.
// The probes are in tests/support/a11y.mjs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { AUDIT, FOCUS_END, FOCUS_START, FOCUS_STEP } from '../support/a11y.mjs';
import { call, DRIVERS } from '../support/drivers.mjs';
import { chromiumHarness, firefoxHarness } from '../support/harness.mjs';
import { browserSelected } from '../support/engines.mjs';
import { eventually } from '../support/probes.mjs';
import { privateLoopback, startServer } from '../support/server.mjs';

const BROWSERS = [
  { id: 'chromium', name: 'Chromium', launch: chromiumHarness },
  { id: 'firefox', name: 'Firefox', launch: firefoxHarness },
];
const SCHEMES = ['light', 'dark'];
// ASK_FIRST_ENGINES narrows the run: a browser (chromium, firefox) or any of its engines.
// Roles of the browser's accessibility tree that a user operates.
const OPERABLE = new Set(['button', 'link', 'textbox', 'searchbox', 'spinbutton', 'combobox', 'listbox', 'checkbox', 'radio', 'switch', 'slider', 'menuitem', 'tab']);

let server;
before(async () => {
  server = await startServer({ port: 443, host: privateLoopback() });
});
after(async () => {
  await server?.close();
});

/** Asserts the audit found named controls only and no text below its contrast. */
function assertAudit(audit, where, scheme, { minControls = 1, t } = {}) {
  const l = audit.lowest;
  t?.diagnostic(`${where} (${scheme}): ${audit.controls.length} controls, ${audit.checked} texts; lowest contrast ${l?.ratio}:1 (needs ${l?.need}) ${l?.color} on ${l?.background}, ${l?.what} "${l?.text}"`);
  assert.equal(audit.dark, scheme === 'dark', `${where}: the page sees the ${scheme} scheme`);
  assert.ok(audit.controls.length >= minControls, `${where}: ${audit.controls.length} controls`);
  assert.ok(audit.checked > 0, `${where}: some text was checked`);
  assert.deepEqual(audit.controls.filter((c) => !c.name).map((c) => c.what), [], `${where}: controls without a name`);
  assert.deepEqual(audit.low, [], `${where} (${scheme}): text below WCAG AA contrast`);
  assert.deepEqual(audit.boundaries, [], `${where} (${scheme}): fields whose outline is below 3:1`);
}

/**
 * Presses Tab once per expected stop; asserts each lands on the next control in order and shows
 * a focus indicator. `press` and `evaluate` act on the page; `scope` as in a11y.mjs.
 */
async function tabWalk({ press, evaluate }, scope, where) {
  const stops = await evaluate(call(FOCUS_START, scope));
  assert.ok(stops.length > 0, `${where}: controls to reach`);
  const steps = [];
  for (let i = 0; i < stops.length; i += 1) {
    await press('Tab');
    steps.push(await evaluate(call(FOCUS_STEP, scope)));
  }
  const unfocused = await evaluate(call(FOCUS_END, scope));
  assert.deepEqual(
    steps.map((s) => s.what),
    stops,
    `${where}: Tab visits every control in order`,
  );
  for (const [i, step] of steps.entries()) {
    assert.ok(step.focusVisible, `${where}: ${step.what} matches :focus-visible`);
    const outlined = step.outlineWidth >= 1 && step.outline !== unfocused[i].outline;
    const shadowed = step.shadow !== 'none' && step.shadow !== unfocused[i].shadow;
    assert.ok(outlined || shadowed, `${where}: ${step.what} shows focus (focused ${step.outline} / ${step.shadow}; unfocused ${unfocused[i].outline})`);
    if (outlined) assert.ok(step.outlineContrast >= 3, `${where}: ${step.what} focus outline contrast ${step.outlineContrast} < 3`);
  }
  return steps.length;
}

for (const browser of BROWSERS.filter((b) => browserSelected(b.id))) {
  describe(`accessibility (${browser.name})`, { timeout: 300_000 }, () => {
    let h;
    before(async () => {
      h = await browser.launch(server);
    });
    after(async () => {
      await h?.setColorScheme('light').catch(() => {});
      await h?.close();
    });

    async function seed() {
      assert.equal((await h.send({ type: 'delete_everything' })).outcome, 'page');
      // Something in every list: groups left (rename and forget), trusted groups and people.
      for (const key of ['4711', '4712']) {
        await h.send({ type: 'record_leave', group: { site: 'facebook', key }, name: `Group ${key}` });
      }
      // The monthly chart with figures, so its legend, table and axis are audited too.
      const exported = JSON.parse((await h.send({ type: 'export' })).body.data);
      const now = new Date();
      const month = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
      exported.record.monthly = { [month]: { readded: 2, held_back: 1, held_back_people: 8, asked: 1, adders: [{ site: 'facebook', name: 'Anna Schmidt', count: 2 }] } };
      assert.equal((await h.send({ type: 'import', data: JSON.stringify(exported), mode: 'merge' })).body.type, 'imported');
      const { settings } = (await h.send({ type: 'get_settings' })).body;
      const reply = await h.send({
        type: 'set_settings',
        settings: {
          ...settings,
          trusted_groups: [{ site: 'telegram', key: '-1001303328644' }],
          trusted_adders: [{ site: 'facebook', name: 'Anna Schmidt' }],
        },
      });
      assert.equal(reply.outcome, 'page', JSON.stringify(reply));
    }

    const pages = (tabPath) => [
      { where: 'popup', path: tabPath, ready: '[data-action="pause-hour"]', minControls: 5 },
      { where: 'options', path: 'options.html', ready: 'table[data-field="groups-left"]', minControls: 45 },
    ];

    for (const scheme of SCHEMES) {
      it(`popup and options (${scheme}): named controls, keyboard only with visible focus, contrast`, async (t) => {
        await h.setColorScheme(scheme);
        await seed();
        // A site tab for the popup: its status and actions.
        await h.goto(`https://${DRIVERS.slack.host}${DRIVERS.slack.url('en')}`);
        await h.coreStatus();
        for (const { where, path, ready, minControls } of pages(`popup.html?tab=${await h.tabId()}`)) {
          const ui = await h.openExtensionPage(path);
          try {
            await ui.waitFor(ready);
            assertAudit(await ui.evaluate(call(AUDIT, 'document')), where, scheme, { minControls, t });
            if (ui.page) {
              const cdp = await ui.page.context().newCDPSession(ui.page);
              const { nodes } = await cdp.send('Accessibility.getFullAXTree');
              await cdp.detach();
              const operable = nodes.filter((n) => !n.ignored && OPERABLE.has(n.role?.value));
              assert.ok(operable.length >= minControls, `${where}: ${operable.length} operable nodes in the accessibility tree`);
              const unnamed = operable.filter((n) => !String(n.name?.value ?? '').trim()).map((n) => n.role.value);
              assert.deepEqual(unnamed, [], `${where}: unnamed in the accessibility tree`);
            }
            await tabWalk(ui, 'document', `${where} (${scheme})`);
          } finally {
            await ui.close();
          }
        }
      });

      it(`the note, the warning, the gate and the re-addition banner (${scheme}): contrast, focus and Esc`, async (t) => {
        await h.setColorScheme(scheme);
        assert.equal((await h.send({ type: 'delete_everything' })).outcome, 'page');
        const d = DRIVERS.whatsapp;
        await h.goto(`https://${d.host}${d.url('en')}`);
        await h.coreStatus();
        const audit = () => h.evaluate(call(AUDIT, 'inserted'));
        const kinds = async () => (await h.inserted()).map((x) => x.kind).sort();

        await h.run(d.open);
        await h.run(d.select, 4);
        await eventually(async () => (await kinds()).includes('note'), { what: 'the quiet note' });
        assertAudit(await audit(), 'note', scheme, { minControls: 0, t });
        await h.run(d.select, 1);
        await eventually(async () => (await kinds()).includes('warn'), { what: 'the warning' });
        assertAudit(await audit(), 'warning', scheme, { minControls: 0, t });

        // The gate: focus goes in, Tab and Shift+Tab stay on its buttons, Esc cancels.
        await h.run(d.clickConfirm);
        await eventually(async () => (await kinds()).includes('gate'), { what: 'the gate' });
        assertAudit(await audit(), 'gate', scheme, { minControls: 4, t });
        const focused = () => h.evaluate(call(FOCUS_STEP, 'inserted'));
        const first = await focused();
        assert.deepEqual([first.host, first.action], ['gate', 'ask'], 'focus lands on the gate\'s first button');
        const order = [];
        for (const key of ['Tab', 'Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab']) {
          await h.pressKey(key);
          const at = await focused();
          assert.equal(at.host, 'gate', `${key}: focus stays in the gate`);
          assert.ok(at.focusVisible && at.outlineWidth >= 1, `${key}: ${at.what} shows focus: ${at.outline}`);
          assert.ok(at.outlineContrast >= 3, `${key}: ${at.what} focus outline contrast ${at.outlineContrast}`);
          order.push(at.action);
        }
        // "Some said yes…" opens the gate's "they said yes" panel (hidden until then).
        assert.deepEqual(order, ['proceed', 'cancel', 'yes-open', 'ask', 'yes-open', 'cancel']);
        // The "they said yes" panel open: named boxes, the same contrast, focus on its first box.
        await h.uiClick('gate', 'yes-open');
        const box = await focused();
        assert.equal(box.host, 'gate', 'focus on the panel');
        assert.ok(box.focusVisible === false || box.outlineContrast >= 3, `${box.what} focus outline contrast ${box.outlineContrast}`);
        assertAudit(await audit(), 'gate with the "they said yes" panel', scheme, { minControls: 10, t });
        await h.pressKey('Escape');
        await eventually(async () => !(await kinds()).includes('gate'), { what: 'Esc to close the gate' });
        const back = `document.activeElement === document.querySelector(${JSON.stringify(d.confirmSelector)}).closest('button, [tabindex]')`;
        assert.equal(await h.evaluate(back), true, 'focus back on the site\'s button');
        assert.equal(await h.evaluate(`window.__fixture.count(${JSON.stringify(d.sentAction)})`), 0, 'Esc sent nothing');

        // The re-addition banner: contrast, and its buttons are the page's first Tab stops.
        await h.send({ type: 'record_leave', group: { site: 'facebook', key: '4711' }, name: 'Berlin Networking Circle' });
        const f = DRIVERS.facebook;
        await h.goto(`https://${f.host}${f.url('en', { sys: 'added:Anna Schmidt' })}`);
        await eventually(async () => (await kinds()).includes('readd'), { what: 'the re-addition banner' });
        assertAudit(await audit(), 'banner', scheme, { minControls: 3, t });
        await tabWalk({ press: (key) => h.pressKey(key), evaluate: (e) => h.evaluate(e) }, 'inserted', `banner (${scheme})`);
      });
    }
  });
}
