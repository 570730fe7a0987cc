// The benchmark report: one Markdown table (figure, n, result, target, pass/miss), the details
// behind each figure, and findings drawn from the measured data for every missed target.

const kib = (bytes) => (bytes == null ? '–' : `${(bytes / 1024).toFixed(1)} KiB`);
const msf = (value, digits = 1) => (value == null ? '–' : `${Number(value).toFixed(digits)} ms`);
const pct = (ratio) => (ratio == null ? '–' : `${ratio >= 0 ? '+' : ''}${(ratio * 100).toFixed(1)} %`);
const verdict = (ok) => (ok == null ? '–' : ok ? '**pass**' : '**MISS**');

function rows(r) {
  const t = r.targets;
  const out = [];
  const add = (figure, n, result, target, ok) => out.push({ figure, n, result, target, ok });

  for (const path of ['wasm', 'fallback']) {
    const ready = r.ready[path];
    const target = path === 'wasm' ? t.readyWasmMs : t.readyFallbackMs;
    add(
      `content core ready after injection, ${path} path (warm median; first load in a fresh profile)`,
      ready.n,
      `${msf(ready.warm.median)} (cold ${msf(ready.coldMs)})`,
      `≤ ${target} ms`,
      ready.warm.median <= target,
    );
  }
  for (const path of ['wasm', 'fallback']) {
    const churn = r.churn[path];
    add(
      `main-thread time added on the churn page (${churn.mutationsPerSecond} mutations/s for ${churn.seconds} s), ${path} path: CPU time of the renderer's main thread`,
      churn.n,
      `${pct(churn.addedRatio)} (runs ${pct(churn.addedRatioRange[0])} … ${pct(churn.addedRatioRange[1])}; ${msf(churn.baseline.threadMs, 0)} → ${msf(churn.extension.threadMs, 0)}, ${msf(churn.addedMsPerSecond)} per second; wall-clock task time ${pct(churn.addedTaskRatio)})${churn.coreErrors.length ? `; the core threw ${churn.coreErrors.length} exception(s): figure not valid` : ''}`,
      `≤ ${(t.churnAdded * 100).toFixed(0)} %`,
      churn.addedRatio <= t.churnAdded,
    );
  }
  const profile = r.churn.wasm.profile;
  if (profile) {
    // Less exposed to the machine's noise than the ratio of two whole runs, but blind to work
    // the browser does for the extension outside its stacks (the observer's records).
    const baselinePerSecond = r.churn.wasm.baseline.threadMs / r.churn.wasm.seconds;
    add(
      `… cross-check, wasm path: time in the extension's own stacks (CPU profile of ${profile.seconds} s of churn) per second, against the baseline's main-thread CPU time per second`,
      1,
      `${msf(profile.extensionMsPerSecond)} of ${msf(baselinePerSecond)} per second = ${pct(profile.extensionMsPerSecond / baselinePerSecond)}`,
      '–',
      null,
    );
  }
  for (const path of ['wasm', 'fallback']) {
    const run = r.latency[path];
    const figure = `selection change → warning, dialog of ${r.latency.rows.toLocaleString('en')} rows, ${path} path: p50 / p95`;
    if (run.failure) {
      const where = run.failure.errors[0]?.at ?? 'no exception seen';
      add(figure, 0, `no warning at all: the content core stopped (${where}) when the 20th row was ticked`, `p95 ≤ ${t.latencyP95Ms} ms`, false);
      continue;
    }
    add(figure, run.warning.n, `${msf(run.warning.p50)} / ${msf(run.warning.p95)}`, `p95 ≤ ${t.latencyP95Ms} ms`, run.warning.p95 <= t.latencyP95Ms);
  }
  add(
    'baseline for the above (no extension): click → start of the next frame, p50 / p95',
    r.latency.baseline.clickToNextFrame.n,
    `${msf(r.latency.baseline.clickToNextFrame.p50)} / ${msf(r.latency.baseline.clickToNextFrame.p95)}`,
    '–',
    null,
  );
  for (const path of ['wasm', 'fallback']) {
    const m = r.memory[path];
    add(
      `memory per tab (Facebook fixture group page), ${path} path: JS heap added + ${path === 'wasm' ? 'wasm' : 'wasm2js'} linear memory`,
      m.n,
      `${kib(m.addedJsHeap)} + ${kib(m.extension.linearMemory)} = ${kib(m.addedTotal)} (baseline heap ${kib(m.baseline.jsHeapUsed)})`,
      '–',
      null,
    );
  }
  const s = r.sizes;
  add('size: content wasm (raw / gzip)', '–', `${kib(s.contentWasm.raw)} / ${kib(s.contentWasm.gzip)}`, `≤ ${kib(t.contentWasmBytes)} raw`, s.contentWasm.raw <= t.contentWasmBytes);
  add('size: content core script, glue + module as base64 (raw / gzip)', '–', `${kib(s.contentGlue.raw)} / ${kib(s.contentGlue.gzip)}`, '–', null);
  // Every page also gets the loader and the overlays' renderer (plain JavaScript).
  if (s.renderer) add('size: content loader + overlays renderer, JavaScript (raw / gzip)', '–', `${kib(s.loader.raw + s.renderer.raw)} / ${kib(s.loader.gzip + s.renderer.gzip)}`, '–', null);
  const fallbackRaw = s.fallbackCode.raw + s.fallbackGlue.raw + s.fallbackEntry.raw;
  const fallbackGzip = s.fallbackCode.gzip + s.fallbackGlue.gzip + s.fallbackEntry.gzip;
  add('size: content fallback, code + glue + entry (raw / gzip)', '–', `${kib(fallbackRaw)} / ${kib(fallbackGzip)}`, '–', null);
  if (s.sitePackLargest) add(`size: site pack script injected with it, the largest (${s.sitePackLargest.file.replace('dist/chromium/', '')}; raw / gzip)`, '–', `${kib(s.sitePackLargest.raw)} / ${kib(s.sitePackLargest.gzip)}`, '–', null);
  add('size: background/popup/options wasm (raw / gzip)', '–', `${kib(s.appWasm.raw)} / ${kib(s.appWasm.gzip)}`, '–', null);
  for (const key of ['zipChromium', 'zipFirefox', 'zipSource']) {
    if (s[key]) add(`size: ${s[key].file.replace('dist/', '')} (raw / gzip)`, '–', `${kib(s[key].raw)} / ${kib(s[key].gzip)}`, '–', null);
  }
  const rec = r.record;
  const loadRow = (label, entry) => {
    const shape = `${entry.written.groups.toLocaleString('en')} groups + ${entry.written.incidents.toLocaleString('en')} incidents, ${kib(entry.written.bytes)} of JSON, stored by schema ${entry.written.schema}`;
    if (!entry.written.ok) {
      add(`background load, record of ${shape} (${label})`, 0, `cannot be stored: ${entry.written.error}`, `≤ ${t.recordLoadMs} ms`, false);
      return;
    }
    const kept = entry.kept?.outcome === 'page'
      ? `kept ${entry.kept.groups?.toLocaleString('en')} groups, ${entry.kept.incidents?.toLocaleString('en')} incidents`
      : `answer: ${entry.kept?.outcome} (${entry.kept?.error?.code ?? '?'})`;
    add(
      `background load, record of ${shape} (${label}): first request after a worker stop (wake-up + load, trimmed to the caps); ${kept}; then get_record ${msf(entry.first.answers.at(-1)?.replyMs, 0)}`,
      entry.first.n,
      msf(entry.first.median, 0),
      `≤ ${t.recordLoadMs} ms`,
      entry.kept?.outcome === 'page' && entry.first.median <= t.recordLoadMs,
    );
    const again = entry.steady.answers[0];
    add(
      `… the same storage again after another stop${again ? ` (answer: ${again.outcome})` : ''}`,
      entry.steady.n,
      msf(entry.steady.median, 0),
      `≤ ${t.recordLoadMs} ms`,
      again?.outcome === 'page' && entry.steady.median <= t.recordLoadMs,
    );
  };
  loadRow('realistic entries', rec.large);
  loadRow('smallest valid entries', rec.largeCompact);
  add(
    `background load, record at the caps (${rec.atCaps.kept.groups?.toLocaleString('en')} groups, ${rec.atCaps.kept.incidents?.toLocaleString('en')} incidents, ${kib(rec.atCaps.written.bytes)}): first request after a worker stop (wake-up + load); then get_record (the whole record to the page) ${msf(rec.atCaps.first.replyMs, 0)}`,
    rec.atCaps.n,
    msf(rec.atCaps.median, 0),
    `≤ ${t.recordLoadMs} ms`,
    rec.atCaps.median <= t.recordLoadMs,
  );
  add('background wake-up with an empty record (for comparison)', rec.empty.n, msf(rec.empty.median, 0), '–', null);
  add(
    'storage.local bytes in use (getBytesInUse): record at the caps / 10,000 + 50,000 smallest entries',
    '–',
    `${kib(rec.atCaps.storage.total)} / ${kib(rec.largeCompact.storage?.total)}`,
    '10 MiB quota',
    null,
  );
  return out;
}

function table(r) {
  const lines = ['| figure | n | result | target | verdict |', '|---|---|---|---|---|'];
  for (const row of rows(r)) lines.push(`| ${row.figure} | ${row.n} | ${row.result} | ${row.target} | ${verdict(row.ok)} |`);
  return lines.join('\n');
}

function topFunctions(cpu) {
  if (!cpu) return [];
  return cpu.functions.slice(0, 8).map((f) => `  - ${f.name}: ${msf(f.ms)} (${(f.share * 100).toFixed(0)} %)`);
}

/** For each missed target: what the measurements say dominates. */
function findings(r) {
  const out = [];
  const t = r.targets;
  for (const path of ['wasm', 'fallback']) {
    const ready = r.ready[path];
    const target = path === 'wasm' ? t.readyWasmMs : t.readyFallbackMs;
    if (ready.warm.median <= target) continue;
    const m = ready.medianMilestones;
    const parts =
      path === 'wasm'
        ? `core script (glue + inlined module) evaluated at ${msf(m.coreScriptEvaluatedMs)}, loader started at ${msf(m.loaderStartedMs)}, module compiled and instantiated at ${msf(m.wasmCompiledMs)}, ready at ${msf(ready.warm.median)} (lazy compilation of wasm functions on the way: ${msf(m.lazyCompileMs)})`
        : `the wasm attempt is refused by the page's CSP first; the ${kib(r.sizes.fallbackCode.raw)} wasm2js module is imported and parsed by ${msf(m.fallbackParsedMs)}, ready at ${msf(ready.warm.median)}`;
    out.push(`- **Ready, ${path} path: missed** (${msf(ready.warm.median)} vs ≤ ${target} ms). Median milestones after the injection: ${parts}. The cold first load (no code cache) took ${msf(ready.coldMs)}.`);
  }
  for (const path of ['wasm', 'fallback']) {
    const churn = r.churn[path];
    if (churn.addedRatio <= t.churnAdded) continue;
    let line = `- **Churn, ${path} path: missed** (${pct(churn.addedRatio)} of main-thread CPU time vs ≤ ${(t.churnAdded * 100).toFixed(0)} %). Medians, baseline → extension: script time ${msf(churn.baseline.scriptMs, 0)} → ${msf(churn.extension.scriptMs, 0)}, layout ${msf(churn.baseline.layoutMs, 0)} → ${msf(churn.extension.layoutMs, 0)}, style ${msf(churn.baseline.styleMs, 0)} → ${msf(churn.extension.styleMs, 0)}.`;
    if (path === 'wasm' && churn.profile) {
      const p = churn.profile;
      line += ` A CPU profile of ${p.seconds} s of churn (wasm) puts ${msf(p.extensionMs, 0)} (${msf(p.extensionMsPerSecond)} per second) in stacks of the extension; self time there by function:\n${topFunctions(p).join('\n')}`;
      if (p.functions[0]?.name.startsWith('getBoundingClientRect')) {
        line += '\n  `getBoundingClientRect` comes from the scan\'s visibility checks (`is_shown`): run in every animation frame right after the page mutated, each scan forces a synchronous style and layout pass.';
      }
    }
    out.push(line);
  }
  for (const path of ['wasm', 'fallback']) {
    const lat = r.latency[path];
    if (lat.failure) {
      const errors = lat.failure.errors.map((e) => `\`${e.at}\`: ${e.text.split('\n')[0]}`).join('; ');
      let line = `- **Warning latency, ${path} path: no warning at all.** With ${lat.failure.selected} rows ticked the content core threw and stopped: ${errors || 'no exception was reported'}.`;
      if (/wasm2js_trap/.test(errors)) {
        line += ' A wasm2js trap is the JavaScript build aborting (a Rust panic or an out-of-bounds access under panic=abort). Likely cause, from the shipped files: wasm2js grows memory by allocating a new `ArrayBuffer` without detaching the old one, while the wasm-bindgen glue refreshes its cached `Uint8Array`/`DataView` only when the old buffer is detached (`byteLength === 0` / `buffer.detached`), so after the first growth strings are written into the stale buffer. A 1,000-row dialog makes the scan allocate enough to grow memory; with 200 rows the warning appears.';
      }
      out.push(line);
      continue;
    }
    if (lat.warning.p95 <= t.latencyP95Ms) continue;
    const p = lat.parts;
    let line = `- **Warning latency, ${path} path: missed** (p95 ${msf(lat.warning.p95)} vs ≤ ${t.latencyP95Ms} ms). Parts, p50 / p95: input → page's capture listener (after the extension's own capture click handler) ${msf(p.inputToListener.p50)} / ${msf(p.inputToListener.p95)}; listener → start of the next frame ${msf(p.listenerToFrame.p50)} / ${msf(p.listenerToFrame.p95)}; frame start → warning in the page ${msf(p.frameToWarning.p50)} / ${msf(p.frameToWarning.p95)}. Without the extension the next frame starts ${msf(r.latency.baseline.clickToNextFrame.p50)} / ${msf(r.latency.baseline.clickToNextFrame.p95)} after the click.`;
    if (path === 'wasm' && r.latency.profile) {
      const prof = r.latency.profile;
      line += ` A CPU profile over the ${r.latency.wasm.warning.n + 5} tick/untick pairs puts ${msf(prof.extensionMs, 0)} in stacks of the extension; self time there by function:\n${topFunctions(prof).join('\n')}`;
    }
    out.push(line);
  }
  const s = r.sizes.contentWasm;
  if (s.raw > t.contentWasmBytes) {
    out.push(`- **Content wasm size: missed** (${kib(s.raw)} vs ≤ ${kib(t.contentWasmBytes)}; \`cargo xtask bench\` and \`node tests/bench/sizes.mjs\` fail on it). Sections: code ${kib(s.sections.code)}, data ${kib(s.sections.data)}, imports ${kib(s.sections.import)}, the rest ${kib(s.raw - s.sections.code - s.sections.data - s.sections.import)}. The site packs are no longer in it (each page gets its own site's pack as a content script, \`wasm/sitepacks/<site>.js\`, 2.0–3.9 KiB), and it carries no serde. A \`twiggy\` breakdown of a build with names (\`ASK_FIRST_WASM_NAMES=1 cargo xtask dist\`, then \`twiggy top\`/\`dominators\` on \`target/askfirst/content_bg.wasm\`) finds no large item the content does not use: every function hangs off the content runtime's own entry points (scan, start-up, the tab's site check, re-addition, the gate). By area, about: the content runtime (\`web::content\`) 72 KB, the page reading (\`core::page\`) 24 KB, the JSON codec and typed readers (\`core::wire\`) 24 KB, \`browser\` (messaging) 11 KB, \`core\`/\`alloc\`/\`std\` (strings, iterators, B-trees, formatting, panics) about 45 KB, dlmalloc 7 KB, wasm-bindgen's imports and shims 15 KB (of which 6.6 KB are import names), data 37 KB (CSS, locale keys, selectors of the structural reading, JSON field names, panic locations). wasm-opt's \`--converge\`, \`--gufa\` or a second \`-Oz\` save under 20 bytes; unstable flags (\`-Zlocation-detail=none\`, \`-Zfmt-debug=none\`, \`panic_immediate_abort\`) are not available on the stable toolchain the reproducible build pins. Reaching 150 KiB would take moving features out of the content core, not a build setting.`);
  }
  const rec = r.record;
  const parts = (p) => (p ? `a get_record answered by a running worker (the reply alone) ${msf(p.replyOnlyMs, 0)}, \`storage.local.get(null)\` in the worker ${msf(p.storageReadMs, 0)}` : '');
  if (rec.atCaps.median > t.recordLoadMs) {
    out.push(`- **Record load at the caps: missed** (${msf(rec.atCaps.median, 0)} vs ≤ ${t.recordLoadMs} ms; empty record, the wake-up alone, ${msf(rec.empty.median, 0)}). Parts: ${parts(rec.atCaps.parts)}. The rest is the core's own load in the worker: parsing the record's JSON text into Rust values and \`Record::repair\` (linear).`);
  }
  if (!rec.large.written.ok) {
    out.push(`- **The issue's record (10,000 groups, 50,000 incidents) with realistic entries cannot exist in storage.local**: ${kib(rec.large.written.bytes)} of JSON, and the write fails with \`${rec.large.written.error}\` (the extension has no \`unlimitedStorage\`; the quota is 10 MiB).`);
  }
  const compact = rec.largeCompact;
  if (compact.written.ok && compact.kept?.outcome === 'page') {
    out.push(`- **The issue's record with the smallest valid entries** (${kib(compact.written.bytes)}, stored as schema 1 stored records — an object; as schema 2's JSON text the escaped quotes no longer fit the quota): the first wake-up migrates it, trims it to the caps (the groups left longest ago and the oldest incidents go; totals keep counting them; no backup of what was over the caps) and writes it back in ${msf(compact.first.median, 0)} — once; every later wake-up loads the trimmed record in ${msf(compact.steady.median, 0)}, storage ${kib(compact.storage?.total)}.`);
  }
  if (compact.written.ok && compact.kept?.outcome !== 'page') {
    out.push(`- **With the smallest valid entries (${kib(compact.written.bytes)}) it can be stored, but the background cannot load it**: every request is answered \`${compact.kept?.outcome}\` (\`${compact.kept?.error?.code}\`) after ${msf(compact.first.median, 0)}: "${compact.kept?.error?.detail}". Loading trims the record to the caps and first keeps the raw value as a backup, which does not fit next to it; since nothing is loaded, every later message repeats the whole load (${msf(compact.steady.median, 0)} each) and fails again, so the popup and options page cannot reach their data either.`);
  } else if (compact.written.ok && (compact.first.median > t.recordLoadMs || compact.steady.median > t.recordLoadMs)) {
    out.push(`- **Record of 10,000 groups and 50,000 incidents: missed** (first ${msf(compact.first.median, 0)}, again ${msf(compact.steady.median, 0)}).`);
  }
  return out.length ? out : ['- Every target was met in this run.'];
}

function details(r) {
  const lines = [];
  lines.push('### Ready time', '');
  for (const path of ['wasm', 'fallback']) {
    const ready = r.ready[path];
    lines.push(`- ${path}: ${ready.url}; warm loads ${ready.samplesMs.slice(1).join(', ')} ms; cold ${ready.coldMs} ms; median milestones ${JSON.stringify(ready.medianMilestones)}`);
  }
  lines.push('', '### Churn page', '');
  for (const path of ['wasm', 'fallback']) {
    const c = r.churn[path];
    lines.push(`- ${path}: ${c.url}; baseline ${JSON.stringify(c.baseline)}; extension ${JSON.stringify(c.extension)}; per run, main-thread CPU ms: baseline ${c.runs.baseline.map((x) => x.threadMs.toFixed(0)).join(', ')}, extension ${c.runs.extension.map((x) => x.threadMs.toFixed(0)).join(', ')}; task ms: baseline ${c.runs.baseline.map((x) => x.taskMs.toFixed(0)).join(', ')}, extension ${c.runs.extension.map((x) => x.taskMs.toFixed(0)).join(', ')}`);
  }
  lines.push('', '### Selection change → warning', '');
  for (const path of ['wasm', 'fallback']) {
    const l = r.latency[path];
    if (l.failure) lines.push(`- ${path}: failed ${JSON.stringify(l.failure)}`);
    else lines.push(`- ${path}: warning ${JSON.stringify(l.warning)}; warning gone after untick ${JSON.stringify(l.warningGone)}; parts ${JSON.stringify(l.parts)}`);
  }
  lines.push(`- baseline: ${JSON.stringify(r.latency.baseline.parts)}`);
  lines.push('', '### Memory', '');
  for (const path of ['wasm', 'fallback']) {
    const m = r.memory[path];
    lines.push(`- ${path}: baseline ${JSON.stringify(m.baseline)}; extension ${JSON.stringify(m.extension)}`);
  }
  lines.push('', '### Record', '');
  lines.push(`- empty: ${JSON.stringify(r.record.empty)}`);
  lines.push(`- at the caps: ${JSON.stringify({ written: r.record.atCaps.written, first: r.record.atCaps.first, parts: r.record.atCaps.parts, storage: r.record.atCaps.storage })}`);
  for (const key of ['large', 'largeCompact']) {
    const e = r.record[key];
    lines.push(`- ${key}: written ${JSON.stringify(e.written)}; first ${JSON.stringify(e.first)}; again ${JSON.stringify(e.steady)}; storage ${JSON.stringify(e.storage)}`);
  }
  return lines;
}

export function renderReport(r) {
  const t = table(r);
  const markdown = [
    '# Ask First: benchmark report',
    '',
    `Run ${r.date}${r.quick ? ' (quick mode: fewer, shorter repetitions)' : ''}, ${r.durationSeconds} s. Headless Chromium (/usr/bin/chromium) with and without the extension in the same run, on the fixture server; figures are medians over n repetitions (p50/p95 for latency, nearest rank). The machine is shared (2 cores, other work running): expect noise of several percent.`,
    '',
    'How each figure is taken:',
    '',
    '- **ready**: a DevTools trace of the page load; from the start of `content/loader.js` (the injection) to the `console.timeStamp(\'ask-first:ready\')` the loader makes right after `start_content` returned. Fixture page `/groups/4711/`, plain and `?csp=strict` (fallback). The first load in the fresh profile is reported as "cold".',
    '- **churn**: `bench-churn.html`, a group page whose virtualised feed recycles posts (4 observed mutations per recycle). `Performance.getMetrics` over the churn, with vs. without the extension, alternating: `ThreadTime` (CPU time of the renderer main thread, the figure: robust against other load on the machine) and `TaskDuration` (wall-clock time of its tasks, noisier). The figure is the median over repetitions of each extension run against the baseline run of the same repetition.',
    '- **warning latency**: `bench-dialog.html`, an invite dialog of 1,000 `[role=checkbox]` rows with the counter, 19 pre-selected; a real mouse click (DevTools input) ticks the 20th. From the click event\'s time stamp to a page MutationObserver seeing `[data-ask-first="warn"]` inserted; then an untick removes it. 5 warm-up pairs are dropped.',
    '- **memory**: after two forced GCs, `JSHeapUsedSize` of the tab (page and content-script worlds share the heap), with minus without; plus the content core\'s linear memory read in the content world.',
    '- **record**: written into `storage.local` from the options page with the worker stopped (`ServiceWorker.stopAllWorkers`), then the time from `runtime.sendMessage(get_record)` to its answer (worker start, load from storage, reply).',
    '',
    t,
    '',
    '## Findings',
    '',
    ...findings(r),
    '',
    '## Details',
    '',
    ...details(r),
    '',
  ].join('\n');
  return { markdown, table: t };
}
