// Ask before you add, end to end: for every site and both languages, in Chromium on the wasm
// path and on the fallback path (strict page CSP) and in Firefox (`languagesFor`). Below the threshold no warning;
// at the threshold a warning within one animation frame, updated live; the confirm click of a
// bulk add is gated: cancel sends nothing, "I asked them" lets the site's own handler run exactly
// once (and the platform's own follow-up is not gated again), "ask" copies a message naming the
// group. The site logs no error and loses no node.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { DRIVERS } from '../support/drivers.mjs';
import { ENGINES as BROWSER_ENGINES, harnessFor, languagesFor, selectedEngines } from '../support/engines.mjs';
import { privateLoopback, startServer } from '../support/server.mjs';

const DIRECT_THRESHOLD = 5;
const INVITE_THRESHOLD = 20;
const LANGS = ['en', 'de'];
// Firefox under the strict page CSP too: its content scripts compile wasm anyway.
const ENGINES = BROWSER_ENGINES.map((e) => (e.id === 'firefox' ? { ...e, csp: 'strict' } : e));

let server;
before(async () => {
  // Firefox needs port 443; an address of this run's own keeps parallel runs apart.
  server = await startServer({ port: 443, host: privateLoopback() });
});
after(async () => {
  await server?.close();
});

const byKind = (inserted, kind) => inserted.filter((host) => host.kind === kind);

for (const engine of selectedEngines(ENGINES)) {
  describe(`ask before you add: ${engine.name}`, { timeout: 600_000 }, () => {
    let h;
    before(async () => {
      h = await harnessFor(engine, server);
    });
    after(async () => {
      await h?.close();
    });

    for (const [index, [site, d]] of Object.entries(DRIVERS).entries()) {
      for (const lang of languagesFor(engine, index, LANGS)) {
        it(`${site} (${lang})`, async () => {
          // Each case starts from an empty record: earlier adds must not trip the sequential rule.
          const cleared = await h.send({ type: 'delete_everything' });
          assert.equal(cleared.outcome, 'page');
          const extra = engine.csp ? { csp: engine.csp } : {};
          await h.goto(`https://${d.host}${d.url(lang, extra)}`);
          const status = await h.coreStatus();
          assert.equal(status.engine, engine.engine);

          const invites = d.sentAction === 'invite';
          const threshold = invites ? INVITE_THRESHOLD : DIRECT_THRESHOLD;
          const fixture = (expression) => h.evaluate(`window.__fixture.${expression}`);

          await h.run(d.open);
          await h.run(d.select, threshold - 1);
          await h.nextFrame();
          let inserted = await h.inserted();
          assert.deepEqual(byKind(inserted, 'warn'), [], 'no warning below the threshold');
          if (!invites) {
            const notes = byKind(inserted, 'note');
            assert.equal(notes.length, 1, 'a quiet note on a direct add');
            assert.equal(notes[0].role, 'status');
          }

          await h.run(d.select, 1);
          await h.nextFrame();
          inserted = await h.inserted();
          const warnings = byKind(inserted, 'warn');
          assert.equal(warnings.length, 1, 'a warning one frame after the selection reached the threshold');
          assert.equal(warnings[0].role, 'alert');
          assert.ok(warnings[0].shadow, 'in an open shadow root');
          assert.match(warnings[0].text, new RegExp(String(threshold)));

          // Live: one person fewer, the warning goes; back to the threshold, it returns.
          await h.run(d.unselect, 1);
          await h.nextFrame();
          assert.deepEqual(byKind(await h.inserted(), 'warn'), []);
          await h.run(d.select, 1);
          await h.nextFrame();
          assert.equal(byKind(await h.inserted(), 'warn').length, 1);

          // Confirm → gate; cancel → nothing sent, back in the dialog.
          await h.run(d.clickConfirm);
          let gates = byKind(await h.inserted(), 'gate');
          assert.equal(gates.length, 1, 'the confirm click is gated');
          assert.equal(gates[0].role, 'alertdialog');
          assert.ok(gates[0].label, 'the gate has an accessible name');
          assert.equal(await fixture(`count(${JSON.stringify(d.sentAction)})`), 0);
          await h.gateClick('cancel');
          assert.deepEqual(byKind(await h.inserted(), 'gate'), []);
          assert.equal(await fixture(`count(${JSON.stringify(d.sentAction)})`), 0, 'cancel sent nothing');

          // Escape cancels too.
          await h.run(d.clickConfirm);
          assert.equal(byKind(await h.inserted(), 'gate').length, 1);
          await h.pressKey('Escape');
          assert.deepEqual(byKind(await h.inserted(), 'gate'), []);
          assert.equal(await fixture(`count(${JSON.stringify(d.sentAction)})`), 0);

          // Ask → the message names the group.
          await h.run(d.clickConfirm);
          await h.gateClick('ask');
          const group = d.groupName(lang);
          const gateText = await h.evaluate(
            `(async () => { await new Promise((r) => setTimeout(r, 100));
               const host = document.querySelector('[data-ask-first="gate"]');
               return host.shadowRoot.querySelector('[data-field="ask-message"]').value; })()`,
          );
          assert.ok(gateText.includes(group), `the ask message names "${group}": ${gateText}`);
          if (h.readClipboard) {
            const clipboard = await h.readClipboard();
            assert.equal(clipboard, gateText, 'the clipboard holds the ask message');
          }
          await h.gateClick('cancel');

          // Proceed → the site's own handler runs exactly once.
          await h.run(d.clickConfirm);
          assert.equal(byKind(await h.inserted(), 'gate').length, 1);
          await h.gateClick('proceed');
          if (d.followUp) {
            await h.run(d.followUp);
            assert.deepEqual(byKind(await h.inserted(), 'gate'), [], 'the platform follow-up is not gated');
          }
          assert.equal(await fixture(`count(${JSON.stringify(d.sentAction)})`), 1, 'sent exactly once');

          assert.deepEqual(await fixture('errors'), [], 'the site logged no error');
          assert.deepEqual(await fixture('removedForeign'), [], 'no node of the site was removed');
        });
      }
    }
  });
}
