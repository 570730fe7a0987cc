// The churn page's cost in detail, for working on it (not part of `cargo xtask bench`): for the
// wasm and the fallback path, CPU profiles of the churn with the extension (time in the
// extension's own stacks per second, its top functions), layouts and style recalculations per
// second against a baseline browser without the extension, and main-thread CPU time of both.
//
//   node tests/bench/churn-profile.mjs            # 3 runs of 5 s per path
//   CHURN_RUNS=5 CHURN_SECONDS=10 node tests/bench/churn-profile.mjs
import { startPair } from './pair.mjs';
import { attribute, coreEngine, metrics, profiled, watchExtensionErrors } from './cdp.mjs';
import { median, round } from './stats.mjs';

const RUNS = Number(process.env.CHURN_RUNS ?? 3);
const SECONDS = Number(process.env.CHURN_SECONDS ?? 5);
const RATE = 2000;
const FB = 'https://www.facebook.com';
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

const { base, ext, send, close } = await startPair();

/** With the extension: the engine of the content core in `page`, once it said hello. */
const engineOf = (page) => coreEngine(ext, send, page);

async function run(browser, url, profile) {
  const page = await browser.context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.getAttribute('data-bench-ready') === '1', null, { polling: 50 });
  const cdp = await browser.context.newCDPSession(page);
  const errors = await watchExtensionErrors(cdp);
  const engine = browser === ext ? await engineOf(page) : null;
  await sleep(500);
  await cdp.send('Performance.enable');
  const before = await metrics(cdp);
  const churn = () => page.evaluate((opts) => window.__bench.churn(opts), { rate: RATE, seconds: SECONDS });
  let result;
  let cpu = null;
  if (profile) {
    const [value, prof] = await profiled(cdp, churn);
    result = value;
    cpu = attribute(prof, { top: Number(process.env.CHURN_TOP ?? 8) });
  } else {
    result = await churn();
  }
  const after = await metrics(cdp);
  await cdp.detach();
  await page.close();
  const s = result.ms / 1000;
  const d = (name) => after[name] - before[name];
  return {
    engine,
    errors,
    threadMsPerS: (d('ThreadTime') * 1000) / s,
    layoutsPerS: d('LayoutCount') / s,
    stylesPerS: d('RecalcStyleCount') / s,
    layoutMsPerS: (d('LayoutDuration') * 1000) / s,
    recalcMsPerS: (d('RecalcStyleDuration') * 1000) / s,
    extensionMsPerS: cpu ? cpu.extensionMs / s : null,
    functions: cpu?.functions.map((f) => `${round(f.ms / s, 2)} ms/s ${f.name}`),
  };
}

const out = {};
try {
  const paths = [['wasm', `${FB}/bench-churn.html`], ['fallback', `${FB}/bench-churn.html?csp=strict`]];
  for (const [key, url] of paths.filter(([k]) => !process.env.CHURN_PATHS || process.env.CHURN_PATHS.split(',').includes(k))) {
    const b = [];
    const e = [];
    for (let i = 0; i < RUNS; i += 1) {
      b.push(await run(base, url, false));
      e.push(await run(ext, url, true));
      if (e.at(-1).engine !== key) throw new Error(`expected ${key}, got ${e.at(-1).engine}`);
      console.error(`[churn-profile] ${key} #${i + 1}: extension ${round(e.at(-1).extensionMsPerS, 2)} ms/s`);
    }
    const pick = (list, field) => round(median(list.map((r) => r[field])), 2);
    out[key] = {
      runs: RUNS,
      seconds: SECONDS,
      extensionMsPerS: pick(e, 'extensionMsPerS'),
      extensionMsPerSRuns: e.map((r) => round(r.extensionMsPerS, 2)),
      addedLayoutsPerS: round(pick(e, 'layoutsPerS') - pick(b, 'layoutsPerS'), 2),
      addedStylesPerS: round(pick(e, 'stylesPerS') - pick(b, 'stylesPerS'), 2),
      layoutMsPerS: { baseline: pick(b, 'layoutMsPerS'), extension: pick(e, 'layoutMsPerS') },
      threadMsPerS: { baseline: pick(b, 'threadMsPerS'), extension: pick(e, 'threadMsPerS') },
      errors: e.flatMap((r) => r.errors),
      topFunctions: e.at(-1).functions,
    };
  }
} finally {
  await close();
}
console.log(JSON.stringify(out, null, 2));
