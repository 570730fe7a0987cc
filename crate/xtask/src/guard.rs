//! The content core's fault guard (`core_guard.js`): put by `dist` in front of the module's
//! exports in both content builds' glue, at the one line where wasm-bindgen's glue takes the
//! exports. Every call from JS into the module goes through that object, so a trap (the core is
//! built with `-Cpanic=immediate-abort`, see `dist::Std`) is caught there, reported once, and the
//! core is off on that page.

use std::fs;
use std::path::Path;

use anyhow::{bail, Context, Result};

const GUARD: &str = include_str!("core_guard.js");

/// Which content build a glue belongs to: where its glue takes the exports, and what its trap is.
#[derive(Clone, Copy, Debug)]
pub enum Build {
    /// The `no-modules` glue of the wasm build; a trap is a `WebAssembly.RuntimeError`.
    Wasm,
    /// The `bundler` glue of the wasm2js fallback, handed the translation by
    /// `extension/content/fallback.js`; wasm2js turns `unreachable` into `wasm2js_trap()`, which
    /// throws `new Error('abort')` (the translation has no other trap).
    Fallback,
}

impl Build {
    /// The glue's statement that takes the exports, and the value it takes.
    fn takes_exports(self) -> (&'static str, &'static str) {
        match self {
            Build::Wasm => ("wasm = instance.exports;", "instance.exports"),
            Build::Fallback => ("wasm = val;", "val"),
        }
    }

    /// How this build's trap is told from a JS exception thrown through the module.
    fn is_trap(self) -> &'static str {
        match self {
            Build::Wasm => "(error) => error instanceof WebAssembly.RuntimeError",
            Build::Fallback => "(error) => error instanceof Error && error.message === 'abort'",
        }
    }
}

/// Rewrites the glue file at `path` (see [`guarded`]).
pub fn install(path: &Path, build: Build) -> Result<()> {
    let glue =
        fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let out = guarded(&glue, build).with_context(|| path.display().to_string())?;
    fs::write(path, out)?;
    Ok(())
}

/// The glue with the guard in front of its exports. Fails unless the statement that takes the
/// exports is there exactly once: a wasm-bindgen that writes it otherwise would leave the core
/// unguarded, and a trap would go to the page.
pub fn guarded(glue: &str, build: Build) -> Result<String> {
    let (from, exports) = build.takes_exports();
    let found = glue.matches(from).count();
    if found != 1 {
        bail!(
            "the {build:?} glue takes the module's exports {found} times with `{from}` (expected \
             once); wasm-bindgen's glue changed, re-check where the fault guard goes"
        );
    }
    // The function is hoisted: defined first, it is in scope wherever the glue takes the exports
    // (a global of the content scripts' world for the wasm build, module scope for the fallback).
    let to = format!("wasm = guardCore({exports}, {});", build.is_trap());
    Ok(format!("{GUARD}\n{}", glue.replacen(from, &to, 1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wasm_glue_hands_out_the_guarded_exports() {
        let glue = "let wasm;\nfunction __wbg_finalize_init(instance, module) {\n    wasm = instance.exports;\n    wasmModule = module;\n}\n";
        let out = guarded(glue, Build::Wasm).unwrap();
        assert!(out.starts_with(GUARD));
        assert!(out.contains(
            "    wasm = guardCore(instance.exports, (error) => error instanceof WebAssembly.RuntimeError);\n    wasmModule = module;"
        ));
        assert!(!out.contains("wasm = instance.exports;"));
        assert!(out.contains("function guardCore(exports, isTrap)"));
    }

    #[test]
    fn the_fallback_glue_guards_what_it_is_handed() {
        let glue = "let wasm;\nexport function __wbg_set_wasm(val) {\n    wasm = val;\n}\n";
        let out = guarded(glue, Build::Fallback).unwrap();
        assert!(out.contains(
            "wasm = guardCore(val, (error) => error instanceof Error && error.message === 'abort');"
        ));
        assert!(!out.contains("wasm = val;"));
    }

    #[test]
    fn a_glue_that_takes_the_exports_otherwise_fails_the_build() {
        for (glue, build) in [
            ("wasm = instance.exports.default;", Build::Fallback),
            ("wasm = module.exports;", Build::Wasm),
            ("", Build::Wasm),
            // Twice: which one the calls go through is unclear.
            (
                "wasm = instance.exports;\nwasm = instance.exports;",
                Build::Wasm,
            ),
        ] {
            let error = guarded(glue, build).unwrap_err().to_string();
            assert!(error.contains("fault guard"), "{error}");
        }
    }

    /// A module with a function that traps (`unreachable`), one that adds, one that calls its
    /// import, and a memory: the smallest stand-in for the core that shows what the guard does.
    const MODULE: &str = "0,97,115,109,1,0,0,0, 1,10,2,96,0,0,96,2,127,127,1,127, \
        2,10,1,3,101,110,118,2,106,115,0,0, 3,4,3,0,1,0, 5,3,1,0,1, \
        7,32,4,4,116,114,97,112,0,1,3,97,100,100,0,2,6,99,97,108,108,74,115,0,3,\
        6,109,101,109,111,114,121,2,0, \
        10,18,3,3,0,0,11,7,0,32,0,32,1,106,11,4,0,16,0,11";

    /// Runs the guard in Node against a real wasm trap, the fallback's trap and a JS exception.
    #[test]
    fn a_trap_stops_the_core_and_is_reported_once_and_a_js_exception_passes() {
        let script = format!(
            r#"{GUARD}
const assert = require('node:assert/strict');
const reports = [];
const logged = [];
globalThis.chrome = {{ runtime: {{ sendMessage: (message) => (reports.push(message), Promise.resolve()) }} }};
console.error = (line) => logged.push(line);
let ran = 0;
const bytes = new Uint8Array([{MODULE}]);
const {{ exports }} = new WebAssembly.Instance(new WebAssembly.Module(bytes), {{
  env: {{ js: () => {{ ran++; throw new TypeError('from js'); }} }},
}});
const core = guardCore(exports, {wasm});
assert.equal(core.memory, exports.memory, 'the memory passes as it is');
assert.equal(core.add(2, 3), 5);
assert.throws(() => core.callJs(), TypeError, 'a JS exception passes');
assert.deepEqual(reports, []);
assert.equal(core.trap(), 0, 'the trap is swallowed');
assert.equal(reports.length, 1);
assert.equal(reports[0].v, 1);
assert.equal(reports[0].channel, 'content');
assert.equal(reports[0].body.type, 'engine_failed');
assert.equal(reports[0].body.site, undefined, "the router takes the sender's site");
assert.match(reports[0].body.reason, /^Ask First stopped on this page after an internal error: RuntimeError: unreachable/);
assert.deepEqual(logged, [reports[0].body.reason]);
assert.equal(core.add(2, 3), 0, 'off: no call runs');
assert.equal(core.callJs(), 0);
assert.equal(ran, 1, 'the import was not called again');
assert.equal(core.trap(), 0);
assert.equal(reports.length, 1, 'reported once');
assert.equal(logged.length, 1, 'logged once');

// The fallback's trap; the extension gone (sendMessage throws) is no error either.
globalThis.chrome = {{ runtime: {{ sendMessage: () => {{ throw new Error('Extension context invalidated.'); }} }} }};
let inner;
const translated = guardCore({{
  memory: exports.memory,
  trap: () => {{ throw new Error('abort'); }},
  js: () => {{ throw new Error('aborted by the page'); }},
  // A trap in a call the core made into JS that called it back: swallowed there, once.
  outer: () => (inner(), 7),
}}, {fallback});
inner = translated.trap;
assert.throws(() => translated.js(), /aborted by the page/);
assert.equal(translated.outer(), 7);
assert.equal(logged.length, 2);
assert.match(logged[1], /internal error: Error: abort$/);
assert.equal(translated.trap(), 0);
assert.equal(translated.js(), 0);
assert.equal(logged.length, 2);
console.log('guard ok');
"#,
            wasm = Build::Wasm.is_trap(),
            fallback = Build::Fallback.is_trap(),
        );
        let out = std::process::Command::new("node")
            .args(["--input-type=commonjs", "-e", &script])
            .output()
            .expect("node runs");
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout), "guard ok\n");
    }
}
