// Content-script loader. Starts the Rust content core: the wasm build where the page's CSP lets
// the browser compile wasm, otherwise the same Rust compiled to JavaScript. All logic is in Rust.
(() => {
  // A second injection into the same page (extension reload) must not start a second core.
  if (globalThis.__askFirstLoaded) return;
  globalThis.__askFirstLoaded = true;

  const url = (path) => chrome.runtime.getURL(path);

  // Fetches and compiles the core. Where the page's CSP forbids wasm (Chromium), this rejects.
  async function compileCore() {
    const file = url('wasm/content_bg.wasm');
    try {
      return await WebAssembly.compileStreaming(fetch(file));
    } catch (streamingError) {
      // Streaming needs the wasm MIME type; compile the bytes when that is what failed.
      return WebAssembly.compile(await (await fetch(file)).arrayBuffer());
    }
  }

  async function loadWasm() {
    // The core compiles while its glue module loads: neither waits for the other, and a refusal
    // to compile wasm ends the wait at once (the fallback then starts).
    // The import argument is this extension's own packaged file, never page data (web-ext lint
    // warns about any non-literal import(); see the README).
    const [module, core] = await Promise.all([compileCore(), import(url('wasm/content.js'))]);
    await core.default({ module_or_path: module });
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
