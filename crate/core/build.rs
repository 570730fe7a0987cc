//! Bundles the site packs (`extension/sitepacks/*.json`) without their layout whitespace: the
//! content core carries all seven, and indentation was a third of their bytes.

use std::path::Path;
use std::{env, fs};

const PACKS: [&str; 7] = [
    "facebook",
    "whatsapp",
    "telegram",
    "linkedin",
    "google-groups",
    "slack",
    "discord",
];

fn main() {
    // Read at run time, not compiled in (`env!`): cargo reuses a compiled build script in a
    // copied target directory, which then read another clone's packs.
    let manifest_dir = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let source_dir = Path::new(&manifest_dir).join("../../extension/sitepacks");
    let out_dir = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("sitepacks");
    fs::create_dir_all(&out_dir).expect("create OUT_DIR/sitepacks");
    for name in PACKS {
        let source = source_dir.join(format!("{name}.json"));
        println!("cargo:rerun-if-changed={}", source.display());
        let text = fs::read_to_string(&source)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", source.display()));
        fs::write(out_dir.join(format!("{name}.json")), without_layout(&text))
            .expect("write the bundled pack");
    }
}

/// Drops whitespace outside JSON strings; the tests compare every bundled pack with its source.
fn without_layout(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}
