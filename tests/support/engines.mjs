// The three ways the content core runs, for the suites that cover each: Chromium with the wasm
// build, Chromium with its wasm2js fallback (a page CSP that refuses wasm), and Firefox.
// ASK_FIRST_ENGINES=chromium-wasm,firefox narrows a run to some of them.
import { chromiumHarness, firefoxHarness } from './harness.mjs';

export const ENGINES = Object.freeze([
  { id: 'chromium-wasm', name: 'Chromium, wasm', browser: 'chromium', csp: undefined, engine: 'wasm' },
  { id: 'chromium-fallback', name: 'Chromium, fallback (strict CSP)', browser: 'chromium', csp: 'strict', engine: 'fallback' },
  { id: 'firefox', name: 'Firefox', browser: 'firefox', csp: undefined, engine: 'wasm' },
]);

/** Whether ASK_FIRST_ENGINES lets the engine `id` run (all run when it is unset). */
export function engineSelected(id) {
  const only = process.env.ASK_FIRST_ENGINES?.split(',');
  return !only || only.includes(id);
}

/** The engines of `list` that ASK_FIRST_ENGINES lets run. */
export function selectedEngines(list = ENGINES) {
  return list.filter((engine) => engineSelected(engine.id));
}

/** A harness in the engine's browser; `firefox` options go to `firefoxHarness`. */
export function harnessFor(engine, server, { firefox } = {}) {
  return engine.browser === 'chromium' ? chromiumHarness(server) : firefoxHarness(server, firefox);
}

/**
 * The languages a per-site row runs in on `engine`, the row being the `index`th of its table.
 *
 * Every engine runs every row in every language: the issues ask for each site in English and
 * German on all three engines. For a quicker local run, ASK_FIRST_QUICK_MATRIX=1 keeps that on
 * Chromium with wasm and runs the other two engines once per row, the languages taking turns
 * down the table (every site and both languages still run on every engine). The languages
 * differ only in the site pack's texts, which the same Rust reads on every engine.
 */
export function languagesFor(engine, index, langs = ['en', 'de']) {
  if (engine.id === ENGINES[0].id || process.env.ASK_FIRST_QUICK_MATRIX !== '1') {
    return langs;
  }
  return [langs[index % langs.length]];
}

/**
 * Whether a suite that runs once per browser (`chromium`, `firefox`: the extension pages) runs in
 * `browser`: ASK_FIRST_ENGINES may name the browser itself or any of its engines.
 */
export function browserSelected(browser) {
  return engineSelected(browser) || ENGINES.some((e) => e.browser === browser && engineSelected(e.id));
}
