//! Link settings per build, and the checked message keys (`build/message_keys.rs`).

use std::env;
use std::path::PathBuf;

#[path = "build/message_keys.rs"]
mod message_keys;

/// Stack of the content core's wasm build. Rust's default for wasm is 1 MiB, reserved in the
/// linear memory of every tab the content script runs in; the content core's deepest recursion
/// is the JSON reader's (at most 64 levels), far below this. With the stack placed first in
/// memory (wasm-ld's `--stack-first`, Rust's default), an overflow traps instead of overwriting
/// data.
const CONTENT_STACK_BYTES: u32 = 256 * 1024;

/// Where the locale files are read from; a test points it at a damaged copy to show that a
/// missing key fails the build.
const LOCALES_OVERRIDE: &str = "ASK_FIRST_LOCALES";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=build/message_keys.rs");
    let wasm = env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|arch| arch == "wasm32");
    let content_only = env::var_os("CARGO_FEATURE_CONTENT").is_some()
        && env::var_os("CARGO_FEATURE_APP").is_none();
    if wasm && content_only {
        println!("cargo:rustc-link-arg-cdylib=-zstack-size={CONTENT_STACK_BYTES}");
    }
    write_message_keys();
}

fn write_message_keys() {
    println!("cargo:rerun-if-env-changed={LOCALES_OVERRIDE}");
    let locales = env::var_os(LOCALES_OVERRIDE)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            // Read at run time, not compiled in (`env!`): a compiled build script may serve
            // another copy of the repository (see core's build.rs).
            let manifest_dir = env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it");
            PathBuf::from(manifest_dir).join("../../extension/_locales")
        });
    for locale in message_keys::LOCALES {
        let file = locales.join(locale).join("messages.json");
        println!("cargo:rerun-if-changed={}", file.display());
    }
    let source = message_keys::generate(&locales).unwrap_or_else(|e| panic!("{e}"));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("message_keys.rs"), source).expect("write OUT_DIR/message_keys.rs");
}
