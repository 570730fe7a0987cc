// The twelve-month picture, the same test bodies in Chromium and Firefox: an imported record's
// monthly totals appear as bars (one group per month, this month last, one scale) and as a
// table (newest month first) on the options page and in the popup (there for screen readers
// only); who re-added most in the window is named and a month outside it does not count; a name
// full of markup stays text; the German UI names the months in German; the bars keep 3:1
// against the page in light and dark.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { DRIVERS } from '../support/drivers.mjs';
import { chromiumHarness, firefoxHarness } from '../support/harness.mjs';
import { browserSelected } from '../support/engines.mjs';
import { privateLoopback, startServer } from '../support/server.mjs';

const BROWSERS = [
  { id: 'chromium', name: 'Chromium', launch: chromiumHarness },
  { id: 'firefox', name: 'Firefox', launch: firefoxHarness },
];
// ASK_FIRST_ENGINES narrows the run: a browser (chromium, firefox) or any of its engines.

const HOSTILE = '<img src=x onerror="window.__pwned=1">';

/** The month `back` months before this one, in the local calendar, as core keys it. */
function monthKey(back) {
  const date = new Date();
  date.setDate(15);
  date.setMonth(date.getMonth() - back);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
}

/** A month's long name as the page should write it. */
function longMonth(key, lang) {
  const [year, month] = key.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, 15, 12)).toLocaleDateString(lang, { timeZone: 'UTC', month: 'long', year: 'numeric' });
}

const SEEDED = {
  [monthKey(0)]: {
    readded: 2, reinvited: 1, held_back: 1, held_back_people: 21, asked: 3,
    adders: [{ site: 'telegram', name: 'Max Muster', count: 2 }, { site: 'slack', name: 'Anna', count: 1 }],
  },
  [monthKey(1)]: { asked: 1 },
  [monthKey(5)]: { readded: 1, adders: [{ site: 'slack', name: HOSTILE, count: 1 }] },
  // Twelve months back: outside the chart, so Old Timer's nine do not make them the top adder.
  [monthKey(12)]: { readded: 9, adders: [{ site: 'facebook', name: 'Old Timer', count: 9 }] },
};

// What the page draws: per month group its key and its three bars' values and heights.
const BARS = `[...document.querySelectorAll('svg.chart g[data-month]')].map((g) => ({
  month: g.dataset.month,
  values: [...g.querySelectorAll('rect')].map((r) => Number(r.dataset.value)),
  heights: [...g.querySelectorAll('rect')].map((r) => Number(r.getAttribute('height'))),
}))`;
const TABLE = `[...document.querySelectorAll('table[data-field="monthly-table"] tbody tr')].map((tr) => ({
  month: tr.dataset.month,
  cells: [...tr.children].map((c) => c.textContent),
}))`;
// WCAG contrast of each series' bar colour against the page background.
const BAR_CONTRAST = `(() => {
  const rgb = (css) => css.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (css) => {
    const [r, g, b] = rgb(css).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const background = getComputedStyle(document.body).backgroundColor;
  return {
    dark: matchMedia('(prefers-color-scheme: dark)').matches,
    ratios: ['bar-received', 'bar-held', 'bar-asked'].map((c) => ratio(getComputedStyle(document.querySelector('rect.' + c)).fill, background)),
  };
})()`;

let server;
before(async () => {
  server = await startServer({ port: 443, host: privateLoopback() });
});
after(async () => {
  await server?.close();
});

for (const browser of BROWSERS.filter((b) => browserSelected(b.id))) {
  describe(`monthly chart (${browser.name})`, { timeout: 300_000 }, () => {
    let h;
    before(async () => {
      h = await browser.launch(server);
      assert.equal((await h.send({ type: 'delete_everything' })).outcome, 'page');
      // The record arrives as a user's own export file would bring it.
      const exported = JSON.parse((await h.send({ type: 'export' })).body.data);
      exported.record.monthly = SEEDED;
      const reply = await h.send({ type: 'import', data: JSON.stringify(exported), mode: 'replace' });
      assert.equal(reply.body.type, 'imported', JSON.stringify(reply));
    });
    after(async () => {
      await h?.setColorScheme('light').catch(() => {});
      await h?.close();
    });

    function assertBars(bars) {
      assert.equal(bars.length, 12, 'twelve months');
      assert.equal(bars[11].month, monthKey(0), 'this month last');
      assert.equal(bars[0].month, monthKey(11), 'eleven months back first');
      const expected = bars.map((_, i) => {
        const back = 11 - i;
        return { 0: [3, 1, 3], 1: [0, 0, 1], 5: [1, 0, 0] }[back] ?? [0, 0, 0];
      });
      assert.deepEqual(bars.map((b) => b.values), expected);
      // One scale: the largest bar (3) is the full height, a one is a third of it, a zero is flat.
      const full = bars[11].heights[0];
      assert.ok(full > 0);
      assert.equal(bars[11].heights[2], full);
      assert.ok(Math.abs(bars[10].heights[2] - full / 3) < 0.01, `a third: ${bars[10].heights[2]} of ${full}`);
      assert.equal(bars[10].heights[0], 0);
    }

    it('the options page draws the seeded months and gives them as a table', async () => {
      const page = await h.openExtensionPage('options.html');
      try {
        await page.waitFor('svg.chart');
        assertBars(await page.evaluate(BARS));
        const rows = await page.evaluate(TABLE);
        assert.equal(rows.length, 12);
        assert.deepEqual(rows[0], {
          month: monthKey(0),
          cells: [longMonth(monthKey(0), 'en'), '3', '1 (21 people)', '3', 'Max Muster (Telegram Web), 2×'],
        });
        assert.deepEqual(rows[5].cells.slice(1), ['1', '0', '0', `${HOSTILE} (Slack), 1×`]);
        assert.deepEqual(rows[3].cells.slice(1), ['0', '0', '0', '–']);
        assert.equal(
          await page.text('[data-field="top-adder"]'),
          'Re-added you most in these months: Max Muster (Telegram Web), 2 times',
        );
        // The drawing is hidden from screen readers; the table says the same, visibly here.
        assert.equal(await page.evaluate("document.querySelector('svg.chart').getAttribute('aria-hidden')"), 'true');
        assert.ok(await page.evaluate("document.querySelector('table[data-field=\"monthly-table\"]').getBoundingClientRect().height > 50"));
        assert.equal(await page.evaluate("document.querySelectorAll('main img, #app img').length"), 0, 'a name stays text');
        assert.equal(await page.evaluate('typeof window.__pwned'), 'undefined');
      } finally {
        await page.close();
      }
    });

    it('the popup draws them too, with the table for screen readers', async () => {
      await h.goto(`https://${DRIVERS.slack.host}${DRIVERS.slack.url('en')}`);
      await h.coreStatus();
      const popup = await h.openExtensionPage(`popup.html?tab=${await h.tabId()}`);
      try {
        await popup.waitFor('svg.chart');
        assertBars(await popup.evaluate(BARS));
        const rows = await popup.evaluate(TABLE);
        assert.equal(rows.length, 12);
        assert.equal(rows[0].cells[4], 'Max Muster (Telegram Web), 2×');
        // Visually hidden (clipped away), but in the document for assistive technology.
        const style = await popup.evaluate("(() => { const s = getComputedStyle(document.querySelector('table[data-field=\"monthly-table\"]')); return [s.position, s.clip, s.display]; })()");
        assert.deepEqual(style, ['absolute', 'rect(0px, 0px, 0px, 0px)', 'table']);
      } finally {
        await popup.close();
      }
    });

    it('in German the months and labels are German', async () => {
      const { settings } = (await h.send({ type: 'get_settings' })).body;
      await h.send({ type: 'set_settings', settings: { ...settings, language: 'de' } });
      const page = await h.openExtensionPage('options.html');
      try {
        await page.waitFor('svg.chart');
        assert.equal(await page.text('#monthly-heading'), 'Die letzten zwölf Monate');
        const rows = await page.evaluate(TABLE);
        assert.deepEqual(rows[0].cells, [longMonth(monthKey(0), 'de'), '3', '1 (21 Personen)', '3', 'Max Muster (Telegram Web), 2×']);
        assert.equal(
          await page.text('[data-field="top-adder"]'),
          'Hat dich in diesen Monaten am häufigsten wieder hinzugefügt: Max Muster (Telegram Web), 2-mal',
        );
      } finally {
        await page.close();
        await h.send({ type: 'set_settings', settings });
      }
    });

    for (const scheme of ['light', 'dark']) {
      it(`the bars keep 3:1 against the page (${scheme})`, async () => {
        await h.setColorScheme(scheme);
        const page = await h.openExtensionPage('options.html');
        try {
          await page.waitFor('svg.chart');
          const { dark, ratios } = await page.evaluate(BAR_CONTRAST);
          assert.equal(dark, scheme === 'dark');
          for (const ratio of ratios) assert.ok(ratio >= 3, `${scheme}: bar contrast ${ratio.toFixed(2)}:1`);
        } finally {
          await page.close();
        }
      });
    }
  });
}
