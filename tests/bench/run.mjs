// `cargo xtask bench`: what the extension costs, measured in headless Chromium against a
// baseline without the extension in the same run. Writes tests/.out/bench/report.md and
// report.json and prints the Markdown table.
//
// Two browsers run side by side on one fixture server: one without the extension (baseline) and
// one with dist/chromium. Measurements that compare the two alternate between them, repetition
// by repetition, so that drift in machine load hits both. Figures are medians over n runs (n is
// in the table); on a shared machine they are noisy.
//
// ASK_FIRST_BENCH_QUICK=1 runs fewer and shorter repetitions (for working on this file).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT } from '../support/browsers.mjs';
import { inContentWorld } from '../support/isolated.mjs';
import { pageRequest, stopServiceWorkers } from '../support/probes.mjs';
import { startPair } from './pair.mjs';
import { attribute, collectGarbage, coreEngine, metrics, profiled, traced, watchExtensionErrors } from './cdp.mjs';
import { buildRecord } from './record-data.mjs';
import { renderReport } from './report.mjs';
import { CONTENT_WASM_BUDGET, overBudget, sizes } from './sizes.mjs';
import { median, quantile, round, summary } from './stats.mjs';

const QUICK = process.env.ASK_FIRST_BENCH_QUICK === '1';
const N = {
  ready: QUICK ? 3 : 10, // warm loads per path (plus one cold load first)
  // Seven pairs: single ratios on a shared machine still range over several percent.
  churnReps: QUICK ? 1 : 7,
  churnSeconds: QUICK ? 3 : 10,
  churnRate: 2000, // DOM mutations per second
  latency: QUICK ? 12 : 60, // measured clicks per engine (after the warm-up)
  latencyWarmup: 5,
  memory: QUICK ? 1 : 3,
  record: QUICK ? 2 : 5,
  bigRecord: QUICK ? 1 : 3,
};
const TARGETS = {
  readyWasmMs: 20,
  readyFallbackMs: 60,
  churnAdded: 0.02,
  latencyP95Ms: 16,
  contentWasmBytes: CONTENT_WASM_BUDGET,
  recordLoadMs: 100,
};
const FB = 'https://www.facebook.com';
const OUT = join(ROOT, 'tests/.out/bench');

const log = (...parts) => console.log('[bench]', ...parts);
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const ms = (seconds) => seconds * 1000;

// ---- browsers -----------------------------------------------------------------------------

const { base, ext, probe, send, close } = await startPair();
const started = Date.now();
const report = {
  date: new Date().toISOString(),
  machine: { note: 'shared machine; figures are medians and noisy' },
  quick: QUICK,
  targets: TARGETS,
};

/** Opens `url` in a fresh tab of `browser` and waits for the page's own first render. */
async function open(browser, url) {
  const page = await browser.context.newPage();
  await page.goto(url);
  await page.bringToFront();
  await page.waitForFunction(
    () => document.documentElement.getAttribute('data-bench-ready') === '1' || window.__fixture?.ready,
    null,
    { polling: 50 },
  );
  return page;
}

/** With the extension: the engine of the content core in `page`, once it said hello. */
const engineOf = (page) => coreEngine(ext, send, page);

// ---- 1. ready time --------------------------------------------------------------------------

/**
 * From the trace of one page load: the time from the injection (the start of the evaluation of
 * the first content script, the site's pack `wasm/sitepacks/<site>.js`, then
 * `wasm/content_core.js`) to `console.timeStamp('ask-first:ready')`, which the loader calls right
 * after `start_content` returned; plus milestones on the way.
 */
function readyFromTrace(events) {
  const ours = /\/(wasm\/sitepacks\/[a-z-]+|wasm\/content_core|content\/loader)\.js$/;
  const injected = events
    .filter((e) => e.name === 'EvaluateScript' && ours.test(e.args?.data?.url ?? ''))
    .sort((a, b) => a.ts - b.ts);
  if (!injected.length) return null;
  const first = injected[0];
  const frame = first.args.data.frame;
  const ready = events.find(
    (e) => e.name === 'TimeStamp' && e.args?.data?.message === 'ask-first:ready' && e.args.data.frame === frame,
  );
  if (!ready) return null;
  const at = (e) => (e.ts + (e.dur ?? 0) - first.ts) / 1000;
  const within = (e) => e.ts >= first.ts && e.ts <= ready.ts;
  const last = (pred) => {
    const found = events.filter((e) => within(e) && pred(e)).map(at);
    return found.length ? Math.max(...found) : null;
  };
  const url = (e) => e.args?.data?.url ?? '';
  const lazy = events.filter((e) => within(e) && e.name === 'wasm.CompileLazy').reduce((sum, e) => sum + (e.dur ?? 0) / 1000, 0);
  return {
    readyMs: (ready.ts - first.ts) / 1000,
    milestones: {
      coreScriptEvaluatedMs: last((e) => e.name === 'EvaluateScript' && /\/wasm\/content_core\.js$/.test(url(e))),
      loaderStartedMs: (() => {
        const loader = injected.find((e) => /\/content\/loader\.js$/.test(url(e)));
        return loader ? (loader.ts - first.ts) / 1000 : null;
      })(),
      wasmCompiledMs: last((e) => e.name === 'wasm.SyncCompile' || e.name === 'wasm.SyncInstantiate'),
      fallbackParsedMs: last((e) => e.name === 'v8.parseOnBackground' && /content_fallback_bg\.wasm\.js$/.test(url(e))),
      lazyCompileMs: lazy,
    },
  };
}

async function measureReady(path) {
  const url = `${FB}/groups/4711/${path === 'fallback' ? '?csp=strict' : ''}`;
  const samples = [];
  for (let i = 0; i <= N.ready; i += 1) {
    const page = await ext.context.newPage();
    const cdp = await ext.context.newCDPSession(page);
    const [engine, events] = await traced(cdp, ['devtools.timeline', 'v8.wasm'], async () => {
      await page.goto(url);
      const engine = await engineOf(page);
      await sleep(100);
      return engine;
    });
    const sample = readyFromTrace(events);
    if (!sample) throw new Error(`ready: no loader/ready events in the trace of ${url}`);
    if (engine !== path) throw new Error(`ready: expected the ${path} engine on ${url}, got ${engine}`);
    samples.push(sample);
    await cdp.detach();
    await page.close();
  }
  const [cold, ...warm] = samples;
  const milestones = Object.fromEntries(
    Object.keys(cold.milestones).map((key) => [key, round(median(warm.map((s) => s.milestones[key]).filter((v) => v != null)))]),
  );
  return {
    path,
    url,
    n: warm.length,
    coldMs: round(cold.readyMs),
    warm: summary(warm.map((s) => s.readyMs)),
    medianMilestones: milestones,
    samplesMs: samples.map((s) => round(s.readyMs)),
  };
}

// ---- 2. churn ----------------------------------------------------------------------------------

async function churnRun(browser, url, { profile = false, seconds = N.churnSeconds } = {}) {
  const page = await open(browser, url);
  const cdp = await browser.context.newCDPSession(page);
  const errors = await watchExtensionErrors(cdp);
  let engine = null;
  if (browser === ext) engine = await engineOf(page);
  await sleep(500);
  await cdp.send('Performance.enable');
  const churn = () => page.evaluate((opts) => window.__bench.churn(opts), { rate: N.churnRate, seconds });
  const before = await metrics(cdp);
  let result;
  let cpu = null;
  if (profile) {
    const [value, prof] = await profiled(cdp, churn);
    result = value;
    cpu = attribute(prof);
  } else {
    result = await churn();
  }
  const after = await metrics(cdp);
  await cdp.detach();
  await page.close();
  const delta = (name) => ms(after[name] - before[name]);
  return {
    engine,
    mutations: result.mutations,
    elapsedMs: result.ms,
    rate: result.mutations / (result.ms / 1000),
    // CPU time of the renderer's main thread: unlike task (wall) time, not inflated when other
    // work on the machine takes the CPU away.
    threadMs: delta('ThreadTime'),
    taskMs: delta('TaskDuration'),
    scriptMs: delta('ScriptDuration'),
    layoutMs: delta('LayoutDuration'),
    styleMs: delta('RecalcStyleDuration'),
    errors,
    cpu,
  };
}

async function measureChurn() {
  const variants = [
    { key: 'wasm', url: `${FB}/bench-churn.html` },
    { key: 'fallback', url: `${FB}/bench-churn.html?csp=strict` },
  ];
  const runs = { baseline: { wasm: [], fallback: [] }, extension: { wasm: [], fallback: [] } };
  for (let rep = 0; rep < N.churnReps; rep += 1) {
    for (const variant of variants) {
      // Alternate which browser goes first, so drift over the run does not favour one.
      const order = rep % 2 ? [ext, base] : [base, ext];
      // Both browsers churn at the same time by default: whatever else the shared machine does
      // then weighs on both runs of a pair alike (one after the other, the baseline's own runs
      // ranged over ±12 % and single ratios from −9 % to +26 %; side by side, −3 % to +12 %).
      // ASK_FIRST_BENCH_CHURN=sequential runs them one after the other.
      const done = process.env.ASK_FIRST_BENCH_CHURN === 'sequential'
        ? [await churnRun(order[0], variant.url), await churnRun(order[1], variant.url)]
        : await Promise.all(order.map((browser) => churnRun(browser, variant.url)));
      for (const [i, browser] of order.entries()) {
        const run = done[i];
        if (browser === ext && run.engine !== variant.key) {
          throw new Error(`churn: expected the ${variant.key} engine, got ${run.engine}`);
        }
        runs[browser.name][variant.key].push(run);
        log(`churn ${variant.key} ${browser.name} #${rep + 1}: main-thread CPU ${run.threadMs.toFixed(0)} ms, task ${run.taskMs.toFixed(0)} ms, ${run.rate.toFixed(0)} mutations/s`);
      }
    }
  }
  const out = {};
  for (const variant of variants) {
    const b = runs.baseline[variant.key];
    const e = runs.extension[variant.key];
    const pick = (list, field) => median(list.map((r) => r[field]));
    const seconds = median(e.map((r) => r.elapsedMs)) / 1000;
    // Each extension run against the baseline run of the same repetition.
    const pairs = e.map((run, i) => run.threadMs / b[i].threadMs - 1);
    const taskPairs = e.map((run, i) => run.taskMs / b[i].taskMs - 1);
    out[variant.key] = {
      url: variant.url,
      n: e.length,
      mutationsPerSecond: round(pick(e, 'rate'), 0),
      seconds: round(seconds, 1),
      baseline: { threadMs: round(pick(b, 'threadMs')), taskMs: round(pick(b, 'taskMs')), scriptMs: round(pick(b, 'scriptMs')), layoutMs: round(pick(b, 'layoutMs')), styleMs: round(pick(b, 'styleMs')) },
      extension: { threadMs: round(pick(e, 'threadMs')), taskMs: round(pick(e, 'taskMs')), scriptMs: round(pick(e, 'scriptMs')), layoutMs: round(pick(e, 'layoutMs')), styleMs: round(pick(e, 'styleMs')) },
      // The figure: median over repetitions of (extension / baseline − 1), main-thread CPU time.
      addedRatio: round(median(pairs), 4),
      addedRatioRange: [round(Math.min(...pairs), 4), round(Math.max(...pairs), 4)],
      addedTaskRatio: round(median(taskPairs), 4),
      // Exceptions from the extension's code during the extension runs (a stopped core).
      coreErrors: e.flatMap((r) => r.errors),
      addedMsPerSecond: round((pick(e, 'threadMs') - pick(b, 'threadMs')) / seconds),
      runs: { baseline: b.map(({ cpu, ...r }) => r), extension: e.map(({ cpu, ...r }) => r) },
    };
  }
  // One more run with a CPU profile (not part of the figures: profiling costs time itself).
  const prof = await churnRun(ext, variants[0].url, { profile: true, seconds: Math.min(5, N.churnSeconds) });
  out.wasm.profile = {
    seconds: round(prof.elapsedMs / 1000, 1),
    ...prof.cpu,
    extensionMsPerSecond: round(prof.cpu.extensionMs / (prof.elapsedMs / 1000)),
  };
  return out;
}

// ---- 3. selection change to warning ------------------------------------------------------------

/** Installed in the page: times each click, the next frame and the warning host's arrival. */
function installRecorder() {
  const lat = { samples: [], current: null };
  window.__lat = lat;
  addEventListener(
    'click',
    (event) => {
      const sample = { click: event.timeStamp, listener: performance.now(), frame: null, frameCb: null, warn: null, gone: null };
      lat.current = sample;
      lat.samples.push(sample);
      requestAnimationFrame((frame) => {
        sample.frame = frame;
        sample.frameCb = performance.now();
      });
    },
    true,
  );
  new MutationObserver((records) => {
    const now = performance.now();
    const sample = lat.current;
    if (!sample) return;
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType === 1 && node.getAttribute('data-ask-first') === 'warn' && sample.warn == null) sample.warn = now;
      }
      for (const node of record.removedNodes) {
        if (node.nodeType === 1 && node.getAttribute('data-ask-first') === 'warn' && sample.gone == null) sample.gone = now;
      }
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
}

async function latencyRun(browser, url, { profile = false } = {}) {
  const withExtension = browser === ext;
  const page = await open(browser, url);
  const watch = await browser.context.newCDPSession(page);
  const errors = await watchExtensionErrors(watch);
  const engine = withExtension ? await engineOf(page) : null;
  await sleep(300);
  await page.evaluate(() => window.__bench.select(19, 100));
  await page.evaluate(installRecorder);
  // Rows near the top of the list (row 3 is "Invited" and cannot be ticked). Their place is
  // read before each click: the dialog is centred and grows when the warning appears.
  const ROWS = [0, 1, 2, 4, 5, 6];
  const center = (index) =>
    page.evaluate((i) => {
      const r = document.querySelectorAll('[role=checkbox]')[i].getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }, index);
  const total = N.latencyWarmup + N.latency;
  let failure = null;
  const clicks = async () => {
    for (let i = 0; i < total && !failure; i += 1) {
      const row = ROWS[i % ROWS.length];
      // Tick the 20th person: the warning must come. Untick: it must go.
      let { x, y } = await center(row);
      await page.mouse.click(x, y);
      try {
        await page.waitForFunction(
          ([ext, n]) => { const s = window.__lat.samples[n - 1]; return s && s.frameCb != null && (!ext || s.warn != null); },
          [withExtension, 2 * i + 1],
          { polling: 10, timeout: 5000 },
        );
      } catch {
        failure = { click: i + 1, selected: await page.evaluate(() => window.__bench.selected()), errors };
        break;
      }
      ({ x, y } = await center(row));
      await page.mouse.click(x, y);
      await page.waitForFunction(
        ([ext, n]) => { const s = window.__lat.samples[n - 1]; return s && s.frameCb != null && (!ext || s.gone != null); },
        [withExtension, 2 * i + 2],
        { polling: 10, timeout: 10000 },
      );
      await sleep(20);
    }
    return page.evaluate(() => window.__lat.samples);
  };
  let samples;
  let cpu = null;
  if (profile) {
    const cdp = await browser.context.newCDPSession(page);
    const [value, prof] = await profiled(cdp, clicks);
    samples = value;
    cpu = attribute(prof);
    await cdp.detach();
  } else {
    samples = await clicks();
  }
  await watch.detach();
  await page.close();
  if (failure) return { engine, failure };
  const ticks = samples.filter((_, i) => i % 2 === 0).slice(N.latencyWarmup);
  const unticks = samples.filter((_, i) => i % 2 === 1).slice(N.latencyWarmup);
  const stat = (list, field) => {
    const values = list.map(field).filter((v) => Number.isFinite(v));
    return { n: values.length, p50: round(quantile(values, 0.5)), p95: round(quantile(values, 0.95)), max: round(Math.max(...values)) };
  };
  return {
    engine,
    // Click (input event time) until the warning host is in the page.
    warning: withExtension ? stat(ticks, (s) => s.warn - s.click) : null,
    warningGone: withExtension ? stat(unticks, (s) => s.gone - s.click) : null,
    // The parts: input to the page's capture listener (after the extension's own capture
    // listener), listener to the start of the next frame, frame start to the warning.
    parts: {
      inputToListener: stat(ticks, (s) => s.listener - s.click),
      listenerToFrame: stat(ticks, (s) => s.frame - s.listener),
      frameToWarning: withExtension ? stat(ticks, (s) => s.warn - s.frame) : null,
    },
    // The earliest a page can show the site's own change: the next frame's start.
    clickToNextFrame: stat(ticks, (s) => s.frame - s.click),
    cpu,
  };
}

async function measureLatency() {
  const url = `${FB}/bench-dialog.html?rows=1000`;
  const baseline = await latencyRun(base, url);
  log(`latency baseline: click → next frame p50 ${baseline.clickToNextFrame.p50} ms`);
  const wasm = await latencyRun(ext, url);
  log(`latency wasm: ${wasm.failure ? `no warning (${JSON.stringify(wasm.failure)})` : `p50 ${wasm.warning.p50} ms, p95 ${wasm.warning.p95} ms`}`);
  const fallback = await latencyRun(ext, `${url}&csp=strict`);
  log(`latency fallback: ${fallback.failure ? `no warning (${JSON.stringify(fallback.failure)})` : `p50 ${fallback.warning.p50} ms, p95 ${fallback.warning.p95} ms`}`);
  if (wasm.engine !== 'wasm' || fallback.engine !== 'fallback') throw new Error('latency: wrong engines');
  const prof = await latencyRun(ext, url, { profile: true });
  return { url, rows: 1000, baseline, wasm, fallback, profile: prof.cpu };
}

// ---- 4. memory ---------------------------------------------------------------------------------

const WASM_MEMORY = `(() => {
  // initSync returns the running instance's exports when the module is already initialised;
  // otherwise it throws on the empty bytes and starts nothing.
  try { return wasm_bindgen.initSync({ module: new Uint8Array(0) }).memory.buffer.byteLength; } catch (e) { return null; }
})()`;
const FALLBACK_MEMORY = `import(chrome.runtime.getURL('wasm/content_fallback_bg.wasm.js')).then((m) => m.memory.buffer.byteLength)`;

async function memoryRun(browser, url, path) {
  const page = await open(browser, url);
  if (browser === ext) {
    const engine = await engineOf(page);
    if (engine !== path) throw new Error(`memory: expected ${path}, got ${engine}`);
  }
  await sleep(1000);
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await collectGarbage(cdp);
  const m = await metrics(cdp);
  const usage = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  let linear = null;
  if (browser === ext) {
    linear = await inContentWorld(browser.context, page, path === 'wasm' ? WASM_MEMORY : FALLBACK_MEMORY);
  }
  await page.close();
  return {
    jsHeapUsed: m.JSHeapUsedSize,
    jsHeapTotal: m.JSHeapTotalSize,
    backingStorage: usage.backingStorageSize ?? null,
    linearMemory: linear,
  };
}

async function measureMemory() {
  const out = {};
  for (const path of ['wasm', 'fallback']) {
    const url = `${FB}/groups/4711/${path === 'fallback' ? '?csp=strict' : ''}`;
    const b = [];
    const e = [];
    for (let rep = 0; rep < N.memory; rep += 1) {
      b.push(await memoryRun(base, url, path));
      e.push(await memoryRun(ext, url, path));
    }
    const pick = (list, field) => median(list.map((r) => r[field]).filter((v) => v != null));
    const linear = pick(e, 'linearMemory');
    const addedHeap = pick(e, 'jsHeapUsed') - pick(b, 'jsHeapUsed');
    out[path] = {
      url,
      n: e.length,
      baseline: { jsHeapUsed: pick(b, 'jsHeapUsed'), backingStorage: pick(b, 'backingStorage') },
      extension: { jsHeapUsed: pick(e, 'jsHeapUsed'), backingStorage: pick(e, 'backingStorage'), linearMemory: linear },
      addedJsHeap: addedHeap,
      addedTotal: addedHeap + (linear ?? 0),
    };
    log(`memory ${path}: +${(addedHeap / 1024).toFixed(0)} KiB heap, ${((linear ?? 0) / 1024).toFixed(0)} KiB linear memory`);
  }
  return out;
}

// ---- 6. the large record -----------------------------------------------------------------------

const stopWorker = () => stopServiceWorkers(ext.context, probe, { interval: 20 });

/**
 * After a stop: the first request (`get_storage_status`, a small answer) times the wake-up and the
 * load from storage; a `get_record` right after it times sending the whole record to the page.
 */
async function timedGetRecord() {
  const started = Date.now();
  for (;;) {
    const answer = await probe.evaluate(async ({ status, record }) => {
      try {
        const t0 = performance.now();
        const first = await chrome.runtime.sendMessage(status);
        const t1 = performance.now();
        const reply = await chrome.runtime.sendMessage(record);
        const t2 = performance.now();
        return {
          ms: t1 - t0,
          replyMs: t2 - t1,
          outcome: first?.outcome === 'page' ? reply?.outcome : first?.outcome,
          error: first?.error ?? reply?.error ?? null,
          left: reply?.body?.record?.left?.length ?? null,
          incidents: reply?.body?.record?.incidents?.length ?? null,
        };
      } catch (error) {
        return { failed: String(error) };
      }
    }, { status: pageRequest({ type: 'get_storage_status' }), record: pageRequest({ type: 'get_record' }) });
    if (!answer.failed) return answer;
    if (Date.now() - started > 20000) throw new Error(`get_record: ${answer.failed}`);
    await sleep(20);
  }
}

const bytesInUse = () =>
  probe.evaluate(async () => {
    const all = await chrome.storage.local.get(null);
    const keys = {};
    for (const key of Object.keys(all)) keys[key] = await chrome.storage.local.getBytesInUse(key);
    return { total: await chrome.storage.local.getBytesInUse(null), keys };
  });

/**
 * Replaces storage with `shape` (built in the extension page), the worker stopped. Stored as
 * schema 2 writes it (the record as JSON text) or, with `schema: 1`, as the previous version
 * did (an object): the form in which the issue's large record still fits the 10 MiB quota, as an
 * old profile would bring it to an update.
 */
async function writeRecord(shape, { schema = 2 } = {}) {
  await stopWorker();
  const written = await probe.evaluate(
    async ({ source, shape, schema }) => {
      const build = new Function(`return (${source})`)();
      const record = build(shape);
      await chrome.storage.local.clear();
      const bytes = JSON.stringify(record).length;
      try {
        const value = schema === 1 ? record : JSON.stringify(record);
        await chrome.storage.local.set({ schema_version: schema, record: value });
        return { ok: true, schema, bytes, stored: await chrome.storage.local.getBytesInUse(null) };
      } catch (error) {
        return { ok: false, schema, error: String(error), bytes };
      }
    },
    { source: buildRecord.toString(), shape, schema },
  );
  // The background listens to storage.onChanged (for sync), so the browser wakes it for the
  // writes above; woken between `clear()` and `set()`, it would load the empty storage and keep
  // that record in memory (it is the only writer and does not reload). Stopped again here, the
  // next request loads what was written.
  await stopWorker();
  return written;
}

async function loads(n) {
  const out = [];
  for (let i = 0; i < n; i += 1) {
    await stopWorker();
    out.push(await timedGetRecord());
  }
  return out;
}

/**
 * The parts of a load: a second get_record right after one (the reply alone, nothing to load)
 * and, in the woken worker, the time `storage.local.get(null)` takes (the read alone).
 */
async function loadParts() {
  const reply = await timedGetRecord();
  const worker = ext.context.serviceWorkers().at(-1);
  const readMs = await worker.evaluate(async () => {
    const t = performance.now();
    await chrome.storage.local.get(null);
    return performance.now() - t;
  });
  return { replyOnlyMs: reply.ms, storageReadMs: readMs };
}

async function measureRecord() {
  const out = {};
  // An empty record: what the wake-up alone costs.
  await send({ type: 'delete_everything' });
  const empty = await loads(N.record);
  out.empty = { n: empty.length, ...summary(empty.map((a) => a.ms)), parts: await loadParts() };
  log(`record empty: ${out.empty.median} ms`);

  // At the caps (what normal use can reach): 5,000 groups, 2,000 incidents.
  const capsWrite = await writeRecord({ groups: 5000, incidents: 2000 });
  const capsFirst = await timedGetRecord();
  const caps = await loads(N.record);
  const capsParts = await loadParts();
  out.atCaps = {
    written: { groups: 5000, incidents: 2000, ...capsWrite },
    first: capsFirst,
    parts: capsParts,
    n: caps.length,
    ...summary(caps.map((a) => a.ms)),
    kept: { groups: caps.at(-1).left, incidents: caps.at(-1).incidents },
    storage: await bytesInUse(),
  };
  log(`record at caps: first ${capsFirst.ms.toFixed(0)} ms, then ${out.atCaps.median} ms`);

  // The issue's record: 10,000 groups and 50,000 incidents, written directly; as realistic
  // entries, and as the smallest valid entries (in case the realistic ones exceed the quota).
  for (const [key, compact] of [['large', false], ['largeCompact', true]]) {
    out[key] = await largeRecord(compact);
    log(`record ${key}: ${out[key].written.ok ? `first ${out[key].first.median} ms, then ${out[key].steady.median} ms` : `not written (${out[key].written.error})`}`);
  }
  await stopWorker();
  await probe.evaluate(() => chrome.storage.local.clear());
  return out;
}

async function largeRecord(compact) {
  const shape = { groups: 10000, incidents: 50000, compact };
  const firsts = [];
  let write;
  for (let i = 0; i < N.bigRecord; i += 1) {
    write = await writeRecord(shape, { schema: 1 });
    if (!write.ok) break;
    firsts.push(await timedGetRecord());
  }
  const storage = write.ok ? await bytesInUse() : null;
  const steady = write.ok ? await loads(N.bigRecord) : [];
  const last = firsts.at(-1) ?? null;
  return {
    written: { ...shape, ...write },
    first: { n: firsts.length, ...summary(firsts.map((a) => a.ms)), answers: firsts },
    kept: last ? { groups: last.left, incidents: last.incidents, outcome: last.outcome, error: last.error } : null,
    steady: { n: steady.length, ...summary(steady.map((a) => a.ms)), answers: steady.slice(0, 2) },
    storage,
  };
}

// ---- run -----------------------------------------------------------------------------------

// ASK_FIRST_BENCH_ONLY=ready,churn,latency,memory,record runs only those parts and prints
// their raw results instead of the report (for working on this file).
const ONLY = process.env.ASK_FIRST_BENCH_ONLY?.split(',');
const wanted = (part) => !ONLY || ONLY.includes(part);
try {
  log(`quick=${QUICK}; baseline and extension browsers up`);
  report.sizes = sizes();
  if (wanted('ready')) {
    log('1/5 ready time');
    report.ready = { wasm: await measureReady('wasm'), fallback: await measureReady('fallback') };
    log(`ready: wasm ${report.ready.wasm.warm.median} ms, fallback ${report.ready.fallback.warm.median} ms`);
  }
  if (wanted('churn')) {
    log('2/5 churn');
    report.churn = await measureChurn();
  }
  if (wanted('latency')) {
    log('3/5 selection → warning');
    report.latency = await measureLatency();
  }
  if (wanted('memory')) {
    log('4/5 memory');
    report.memory = await measureMemory();
  }
  if (wanted('record')) {
    log('5/5 large record');
    report.record = await measureRecord();
  }
} finally {
  await close();
}
if (ONLY) {
  console.log(JSON.stringify(report, null, 2));
  process.exit(overBudget(report.sizes, TARGETS) ? 1 : 0);
}
report.durationSeconds = Math.round((Date.now() - started) / 1000);
const { markdown, table } = renderReport(report);
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(OUT, 'report.md'), markdown);
console.log(`\nwrote ${join(OUT, 'report.md')} and report.json (${report.durationSeconds} s)\n`);
console.log(table);
// The content core's size is a budget, not only a figure: over it, the run fails (after the
// report is written).
if (overBudget(report.sizes, TARGETS)) process.exitCode = 1;
