// Sizes of what dist/ ships, raw and gzipped (node:zlib, level 9), in bytes.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { DIST } from '../support/browsers.mjs';

/** The content core's budget: 150 KiB (153,600 bytes) of raw wasm, the "150 KB". */
export const CONTENT_WASM_BUDGET = 150 * 1024;

// The module as built; the package carries it inlined in `wasm/content_core.js`.
const CONTENT_WASM = join(DIST, '..', 'target', 'askfirst', 'content_bg.wasm');

const measure = (path) => {
  const bytes = readFileSync(path);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};

/** Byte size of each section of a wasm module (code, data, …): what the size consists of. */
export function wasmSections(path) {
  const bytes = readFileSync(path);
  const NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'];
  const out = {};
  let at = 8;
  const leb = () => {
    let value = 0;
    let shift = 0;
    let byte;
    do {
      byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  while (at < bytes.length) {
    const id = bytes[at++];
    const length = leb();
    const name = NAMES[id] ?? `section${id}`;
    out[name] = (out[name] ?? 0) + length;
    at += length;
  }
  return out;
}

export function sizes() {
  const chromium = join(DIST, 'chromium');
  const file = (relative) => ({ file: `dist/chromium/${relative}`, ...measure(join(chromium, relative)) });
  const entries = {
    contentWasm: {
      what: 'content core, wasm module',
      file: 'target/askfirst/content_bg.wasm',
      ...measure(CONTENT_WASM),
      sections: wasmSections(CONTENT_WASM),
    },
    contentGlue: { what: 'content core script: wasm-bindgen glue + the module as base64', ...file('wasm/content_core.js') },
    fallbackCode: { what: 'content fallback, wasm2js code', ...file('wasm/content_fallback_bg.wasm.js') },
    fallbackGlue: { what: 'content fallback, glue', ...file('wasm/content_fallback_bg.js') },
    fallbackEntry: { what: 'content fallback, entry module', ...file('content/fallback.js') },
    loader: { what: 'content loader', ...file('content/loader.js') },
    renderer: { what: 'content overlays renderer (drawing moved out of the core)', ...file('content/ui.js') },
    appWasm: { what: 'background/popup/options, wasm', ...file('wasm/app_bg.wasm') },
    appGlue: { what: 'background/popup/options, glue', ...file('wasm/app.js') },
  };
  // Each page gets its own site's pack only (a content-script entry per site); the largest.
  const packs = readdirSync(join(chromium, 'wasm/sitepacks')).sort().map((name) => file(`wasm/sitepacks/${name}`));
  entries.sitePackLargest = { what: 'site pack script, the largest (one per page)', ...packs.reduce((a, b) => (b.raw > a.raw ? b : a)) };
  for (const name of readdirSync(DIST).filter((n) => n.endsWith('.zip')).sort()) {
    const key = name.includes('firefox') ? 'zipFirefox' : name.includes('source') ? 'zipSource' : 'zipChromium';
    entries[key] = { what: `package ${name}`, file: `dist/${name}`, ...measure(join(DIST, name)) };
  }
  return entries;
}

/**
 * Whether the content core's wasm module is over its budget (`targets.contentWasmBytes`, raw
 * bytes); says so on stderr. `cargo xtask bench` then fails, and so does
 * `node tests/bench/sizes.mjs` (the size check alone, after `cargo xtask dist`).
 */
export function overBudget(entries, targets) {
  const { raw } = entries.contentWasm;
  if (raw <= targets.contentWasmBytes) return false;
  console.error(
    `[bench] size budget exceeded: the content wasm (${entries.contentWasm.file}) is ${raw} bytes, over ` +
      `${targets.contentWasmBytes} bytes (${targets.contentWasmBytes / 1024} KiB)`,
  );
  return true;
}

// `node tests/bench/sizes.mjs`: the size check alone (after `cargo xtask dist`): prints every
// size and fails when the content core is over its budget.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const entries = sizes();
  for (const entry of Object.values(entries)) {
    console.log(`${String(entry.raw).padStart(9)} raw ${String(entry.gzip).padStart(9)} gzip  ${entry.file}`);
  }
  console.log(`content wasm budget: ${CONTENT_WASM_BUDGET} bytes`);
  if (overBudget(entries, { contentWasmBytes: CONTENT_WASM_BUDGET })) process.exitCode = 1;
}
