// The content core's fault guard, put in front of the module's exports by `cargo xtask dist`
// (`crate/xtask/src/guard.rs`). The core is built with `-Cpanic=immediate-abort`: a panic (or any
// other trap) ends the call at once, with the module's memory left as it was mid-call. From then
// on the core is off on this page: every later call into it (event, frame, timer, observer and
// message callbacks, closure destructors) returns 0 without running Rust, so the site's own
// buttons work as if the extension were not there. The trap is reported once to the background
// (the popup shows it; the router takes the site from the sender) and logged once, and never
// reaches the page. Anything else thrown through the module (a JS exception) passes as before.
function guardCore(exports, isTrap) {
  let stopped = false;
  const guarded = {};
  for (const [name, value] of Object.entries(exports)) {
    // Memory, tables and globals pass as they are.
    guarded[name] = typeof value !== 'function' ? value : function () {
      // 0, not undefined: the glue reads results as numbers (a closure's `ret !== 0`).
      if (stopped) return 0;
      try {
        // `arguments` handed on as it is: engines optimise this form without allocating.
        return value.apply(undefined, arguments);
      } catch (error) {
        if (!isTrap(error)) throw error;
        if (!stopped) {
          stopped = true;
          const reason = `Ask First stopped on this page after an internal error: ${error}`;
          console.error(reason);
          try {
            chrome.runtime
              .sendMessage({ v: 1, channel: 'content', body: { type: 'engine_failed', reason } })
              .catch(() => {});
          } catch {
            // The extension was reloaded or removed: nobody is left to tell.
          }
        }
        return 0;
      }
    };
  }
  return guarded;
}
