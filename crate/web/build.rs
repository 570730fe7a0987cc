//! Link settings per build.

use std::env;

/// Stack of the content core's wasm build. Rust's default for wasm is 1 MiB, reserved in the
/// linear memory of every tab the content script runs in; the content core's deepest recursion
/// is the JSON reader's (at most 64 levels), far below this. With the stack placed first in
/// memory (wasm-ld's `--stack-first`, Rust's default), an overflow traps instead of overwriting
/// data.
const CONTENT_STACK_BYTES: u32 = 256 * 1024;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let wasm = env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|arch| arch == "wasm32");
    let content_only = env::var_os("CARGO_FEATURE_CONTENT").is_some()
        && env::var_os("CARGO_FEATURE_APP").is_none();
    if wasm && content_only {
        println!("cargo:rustc-link-arg-cdylib=-zstack-size={CONTENT_STACK_BYTES}");
    }
}
