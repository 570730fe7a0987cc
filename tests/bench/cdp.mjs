// DevTools-protocol helpers for the benchmark: tracing, main-thread metrics, garbage collection
// and CPU profiles of one page (its renderer's main thread, content-script worlds included).
import { eventually } from '../support/probes.mjs';

/** Runs `body` while tracing `categories`; returns [body's result, trace events]. */
export async function traced(cdp, categories, body) {
  const events = [];
  const collect = ({ value }) => events.push(...value);
  cdp.on('Tracing.dataCollected', collect);
  const complete = new Promise((done) => cdp.once('Tracing.tracingComplete', done));
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: categories, recordMode: 'recordAsMuchAsPossible' },
    transferMode: 'ReportEvents',
  });
  let result;
  try {
    result = await body();
  } finally {
    await cdp.send('Tracing.end');
    await complete;
    cdp.off('Tracing.dataCollected', collect);
  }
  return [result, events];
}

/** `Performance.getMetrics` as a name → value map (durations in seconds, sizes in bytes). */
export async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map(({ name, value }) => [name, value]));
}

/** Collects garbage twice (weak references and finalisers need a second pass). */
export async function collectGarbage(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
}

/** A sampling CPU profile of the page while `body` runs. */
export async function profiled(cdp, body, { interval = 200 } = {}) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval });
  await cdp.send('Profiler.start');
  let result;
  let profile;
  try {
    result = await body();
  } finally {
    ({ profile } = await cdp.send('Profiler.stop'));
    await cdp.send('Profiler.disable');
  }
  return [result, profile];
}

const isExtension = (url) => url.startsWith('chrome-extension://') || url.startsWith('wasm://');

/** A short name for a profile frame: function and file. */
function frameName(frame) {
  const file = frame.url ? frame.url.replace(/^.*\//, '') : '';
  const fn = frame.functionName || '(anonymous)';
  return file ? `${fn} (${file})` : fn;
}

/**
 * Where the main thread's time went: the time of samples whose stack holds a frame of the
 * extension (its own time, including DOM calls and forced layouts made from it), the total
 * sampled busy time, and the extension samples' self time by function (top `top`).
 */
export function attribute(profile, { top = 12 } = {}) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inExtension = new Map();
  const extensionStack = (id) => {
    if (inExtension.has(id)) return inExtension.get(id);
    const node = byId.get(id);
    const up = parent.get(id);
    const answer = isExtension(node.callFrame.url) || (up !== undefined && extensionStack(up));
    inExtension.set(id, answer);
    return answer;
  };
  let total = 0;
  let busy = 0;
  let extension = 0;
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const frame = byId.get(id).callFrame;
    if (frame.functionName === '(idle)') return;
    busy += dt;
    if (extensionStack(id)) {
      extension += dt;
      const name = frameName(frame);
      self.set(name, (self.get(name) ?? 0) + dt);
    }
  });
  const functions = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => ({ name, ms, share: extension ? ms / extension : 0 }));
  return { sampledMs: total, busyMs: busy, extensionMs: extension, functions };
}

/**
 * Collects uncaught exceptions thrown by the extension's code in this page (the content-script
 * world included): a core that stopped makes its figures meaningless.
 */
export async function watchExtensionErrors(cdp) {
  const errors = [];
  cdp.on('Runtime.exceptionThrown', ({ exceptionDetails: d }) => {
    const frames = d.stackTrace?.callFrames ?? [];
    const url = d.url || frames[0]?.url || '';
    if (!url.startsWith('chrome-extension://') && !frames.some((f) => f.url.startsWith('chrome-extension://'))) return;
    errors.push({
      text: `${d.text} ${d.exception?.description ?? ''}`.trim().slice(0, 300),
      at: `${frames[0]?.functionName || '(anonymous)'} (${(frames[0]?.url || url).replace(/^.*\//, '')}:${d.lineNumber + 1})`,
    });
  });
  await cdp.send('Runtime.enable');
  return errors;
}

/**
 * With the extension: waits until the content core in `page` said hello, and returns its engine
 * (`wasm` or `fallback`). `ext` is the extension's browser (its `worker`), `send` posts a page
 * request to the background.
 */
export async function coreEngine(ext, send, page) {
  const url = page.url();
  const tabId = await eventually(
    () => ext.worker.evaluate(async (wanted) => (await chrome.tabs.query({})).find((t) => t.url === wanted)?.id ?? null, url),
    { what: `a tab at ${url}` },
  );
  const status = await eventually(
    async () => {
      const reply = await send({ type: 'tab_status', tab_id: tabId });
      return reply?.body?.status?.engine ? reply.body.status : null;
    },
    { what: 'the content core', interval: 50 },
  );
  return status.engine;
}
