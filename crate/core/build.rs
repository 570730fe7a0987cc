//! Bundles the site packs (`extension/sitepacks/*.json`) without their layout whitespace into
//! the background's build (the content script gets its own site's pack as a script of its own,
//! written by `cargo xtask dist`). Also writes the
//! list of pack files (`sitepacks/files.rs`), which `src/site.rs` checks against the site table
//! at compile time: a pack file without a site, or a site without a pack file, fails the build
//! with a message naming it.

use std::path::Path;
use std::{env, fs};

fn main() {
    // Read at run time, not compiled in (`env!`): cargo reuses a compiled build script for a
    // copy of the repository elsewhere (the eighth-site check) or a copied target directory,
    // which would then read the other copy's packs.
    let manifest_dir = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let source_dir = Path::new(&manifest_dir).join("../../extension/sitepacks");
    let out_dir = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("sitepacks");
    // Anew each time: a pack removed from the source must not linger here.
    if out_dir.exists() {
        fs::remove_dir_all(&out_dir).expect("clear OUT_DIR/sitepacks");
    }
    fs::create_dir_all(&out_dir).expect("create OUT_DIR/sitepacks");
    // A directory: cargo reruns this when any file in it changes, is added or removed.
    println!("cargo:rerun-if-changed={}", source_dir.display());
    let entries = fs::read_dir(&source_dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", source_dir.display()));
    let mut ids = Vec::new();
    for entry in entries {
        let path = entry.expect("list extension/sitepacks").path();
        let Some(id) = path
            .file_name()
            .and_then(|name| name.to_str())
            .and_then(|name| name.strip_suffix(".json"))
        else {
            continue;
        };
        let valid = !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        assert!(
            valid,
            "{}: a pack's file name is its site's id (lowercase letters, digits, `-`)",
            path.display()
        );
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        fs::write(out_dir.join(format!("{id}.json")), without_layout(&text))
            .expect("write the bundled pack");
        ids.push(id.to_owned());
    }
    ids.sort();
    fs::write(out_dir.join("files.rs"), files_rs(&ids)).expect("write sitepacks/files.rs");
}

/// The pack files as Rust, each checked against the site table (`src/site.rs`).
fn files_rs(ids: &[String]) -> String {
    let mut out = format!(
        "/// The pack files in `extension/sitepacks/`, by id.\nconst PACK_FILES: [&str; {}] = [{}];\n",
        ids.len(),
        ids.iter()
            .map(|id| format!("{id:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for id in ids {
        out.push_str(&format!(
            "const _: () = assert!(is_site_id({id:?}), \"extension/sitepacks/{id}.json has no \
             site: add an entry with id `{id}` to the table in crate/core/src/site.rs\");\n"
        ));
    }
    out
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
