// Content-script loader. Starts the Rust content core: the wasm build where the page's CSP lets
// the browser compile wasm, otherwise the same Rust compiled to JavaScript. All logic is in Rust;
// `content/ui.js` (injected before this file) draws what the core decides to show.
//
// Injected after `wasm/sitepacks/<site>.js`, which defines `ASK_FIRST_SITE_PACK` (the bundled pack
// of the page's site, JSON text; the manifest has one content-script entry per site), and
// `wasm/content_core.js`, which defines `wasm_bindgen` (the glue) and `ASK_FIRST_CORE_WASM` (the
// module as base64) in the content scripts' world: the browser hands them over from memory, so
// the wasm path starts without a fetch or a module import.
(() => {
  // A second injection into the same page (extension reload) must not start a second core.
  if (globalThis.__askFirstLoaded) return;
  globalThis.__askFirstLoaded = true;

  function moduleBytes() {
    if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(ASK_FIRST_CORE_WASM);
    const text = atob(ASK_FIRST_CORE_WASM);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }

  // Synchronous: compiling validates the module and leaves the functions to be compiled on first
  // call. Where the page's CSP forbids wasm (Chromium), this throws.
  function startWasm() {
    wasm_bindgen.initSync({ module: moduleBytes() });
    return wasm_bindgen;
  }

  async function loadFallback() {
    // The import argument is this extension's own packaged file, never page data (web-ext lint
    // warns about any non-literal import(); see the README).
    return import(chrome.runtime.getURL('content/fallback.js'));
  }

  function ready(core, engine) {
    // Handed over because Firefox evaluates imported modules against the page's global.
    // Without a pack (a stale manifest) the core says so to the background and stays off.
    const sitePack = typeof ASK_FIRST_SITE_PACK === 'string' ? ASK_FIRST_SITE_PACK : undefined;
    core.start_content(engine === 'fallback', globalThis.chrome, sitePack, globalThis.askFirstUi);
    // Benchmark mark (tests/bench/): seen only in a DevTools trace. Not performance.mark(): the
    // page shares the performance timeline with content scripts and could read that one.
    console.timeStamp?.('ask-first:ready');
  }

  // Neither build could start: say so once, quietly, and leave the page alone.
  const fail = (error) => console.warn('Ask First could not start on this page:', error);

  // Firefox runs a module imported from a content script against the page's global, so the
  // JavaScript build would hand the extension API to the page's own objects. There (wasm is off,
  // e.g. javascript.options.wasm=false) Ask First stays off and the popup says why.
  const fallbackIsSafe = !chrome.runtime.getURL('').startsWith('moz-extension:');
  function reportUnavailable(reason) {
    const body = { type: 'engine_failed', reason: `WebAssembly is unavailable on this page (${reason}); Ask First does not run its JavaScript build in Firefox.` };
    chrome.runtime.sendMessage({ v: 1, channel: 'content', body }).catch(fail);
  }

  let core;
  let wasmError;
  try {
    core = startWasm();
  } catch (error) {
    // Chromium refuses wasm here when the page's CSP lacks 'wasm-unsafe-eval'.
    wasmError = String(error && error.message ? error.message : error);
  }
  if (core) {
    try {
      ready(core, 'wasm');
    } catch (error) {
      fail(error);
    }
  } else if (!fallbackIsSafe) {
    fail(wasmError);
    reportUnavailable(wasmError);
  } else {
    loadFallback()
      .then((fallback) => {
        console.info(`Ask First runs its JavaScript build here: ${wasmError}`);
        ready(fallback, 'fallback');
      })
      .catch(fail);
  }
})();
