// Content-script loader. Starts the Rust content core: the wasm build where the page's CSP lets
// the browser compile wasm, otherwise the same Rust compiled to JavaScript. All logic is in Rust.
(() => {
  // A second injection into the same page (extension reload) must not start a second core.
  if (globalThis.__askFirstLoaded) return;
  globalThis.__askFirstLoaded = true;

  const url = (path) => chrome.runtime.getURL(path);

  async function loadWasm() {
    // The argument is this extension's own packaged file, never page data (web-ext lint warns
    // about any non-literal import(); see the README).
    const core = await import(url('wasm/content.js'));
    await core.default({ module_or_path: url('wasm/content_bg.wasm') });
    return core;
  }

  async function loadFallback() {
    return import(url('content/fallback.js'));
  }

  async function start() {
    let core;
    let engine = 'wasm';
    let wasmError;
    try {
      core = await loadWasm();
    } catch (error) {
      // Chromium refuses wasm here when the page's CSP lacks 'wasm-unsafe-eval'.
      wasmError = String(error && error.message ? error.message : error);
      engine = 'fallback';
      core = await loadFallback();
    }
    // Handed over because Firefox evaluates imported modules against the page's global.
    core.start_content(engine, wasmError, globalThis.chrome);
    // Benchmark mark (tests/bench/): seen only in a DevTools trace. Not performance.mark(): the
    // page shares the performance timeline with content scripts and could read that one.
    console.timeStamp?.('ask-first:ready');
  }

  start().catch((error) => {
    // Neither build could start: say so once, quietly, and leave the page alone.
    console.warn('Ask First could not start on this page:', error);
  });
})();
