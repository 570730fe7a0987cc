//! Release packages that a store reviewer can check: the wasm build flags that keep local paths
//! out of the output, the source bundle (`dist/ask-first-source-<version>.zip`) with its build
//! instructions, and `cargo xtask test --only release`, which rebuilds the two zips from that
//! bundle in a clean temporary directory and compares them byte for byte.
//!
//! What the rebuild shares with the build it checks, and why that stays honest:
//! - cargo's download cache (`CARGO_HOME`): the crates' sources, pinned by `Cargo.lock` checksums;
//! - npm's download cache: `npm ci` in the bundle installs binaryen from the bundle's own lock
//!   file and checks its integrity hash;
//! - the build tool: this very xtask binary runs `dist` on the unpacked bundle (`ASK_FIRST_ROOT`),
//!   after checking that the bundle's `crate/xtask`, `crate/core` (the site table) with
//!   `extension/sitepacks`, and `Cargo.lock` are byte for byte the ones it was compiled from,
//!   so it is the program a reviewer compiles. `ASK_FIRST_REBUILD_TOOL=1` compiles the bundle's
//!   own build tool instead, exactly as its `README.md` says (in `target/rebuild-tool/`, a
//!   directory only this check uses; about two minutes more).
//!
//! Everything that ends up in the zips (the three wasm builds of `crate/web` and `crate/core`
//! with all their dependencies, bindgen's glue, wasm-opt and wasm2js output, the copied static
//! files and manifests) is built from scratch inside the unpacked bundle, in its own `target/`,
//! at a different path than the clone, so a leaked path or an input missing from the bundle
//! shows.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

use crate::dist::{files_below, reset_dir, zip_dir};
use crate::root;
use crate::run::{self, Cmd};
use crate::sha256;

/// Set to an unpacked source bundle, this binary builds that instead of its own repository.
pub const ROOT_VARIABLE: &str = "ASK_FIRST_ROOT";

/// Where local paths are mapped to inside the wasm (panic locations name source files).
const ROOT_IN_OUTPUT: &str = "/ask-first";
const CARGO_HOME_IN_OUTPUT: &str = "/cargo";
const STD_SOURCE_IN_OUTPUT: &str = "/rust-src";

/// The files and folders of the repository that the build reads, as they go into the source
/// bundle. `package.json` and `package-lock.json` are written trimmed to the build's npm
/// packages (see `NPM_BUILD_PACKAGES`).
const BUNDLE_FILES: &[&str] = &[
    "Cargo.toml",
    "Cargo.lock",
    ".cargo/config.toml",
    "manifest.json",
];
const BUNDLE_TREES: &[&str] = &["crate", "extension", "store"];

/// The npm packages the build runs (binaryen: wasm-opt, wasm2js); the test tools stay out.
const NPM_BUILD_PACKAGES: &[&str] = &["binaryen"];

/// The bundle's build instructions.
const BUILD_README: &str = "README.md";

/// `CARGO_ENCODED_RUSTFLAGS` for the wasm builds: the extra flags, then path remapping so that
/// neither the clone's path nor the cargo home (panic locations of registry crates) is embedded.
/// The remapped prefixes are listed root first, cargo home last: rustc applies the last match,
/// so a cargo home inside the clone still maps to `/cargo`.
pub fn rustflags(extra: &[&str]) -> String {
    let mut flags: Vec<String> = extra.iter().map(|flag| flag.to_string()).collect();
    for (from, to) in local_prefixes() {
        flags.push(format!("--remap-path-prefix={}={to}", from.display()));
    }
    flags.join("\u{1f}")
}

/// Local directories whose paths must not reach the output, each with what it is mapped to.
fn local_prefixes() -> Vec<(PathBuf, &'static str)> {
    let mut prefixes = Vec::new();
    let mut add = |path: PathBuf, to: &'static str| {
        if let Ok(real) = path.canonicalize() {
            if real != path {
                prefixes.push((real, to));
            }
        }
        prefixes.push((path, to));
    };
    add(root(), ROOT_IN_OUTPUT);
    if let Some(home) = cargo_home() {
        add(home, CARGO_HOME_IN_OUTPUT);
    }
    // With the `rust-src` component installed (setup adds it for the content core's own std),
    // rustc points even the prebuilt std's panic locations at that local copy.
    if let Some(source) = std_source() {
        add(source, STD_SOURCE_IN_OUTPUT);
    }
    prefixes
}

/// The toolchain's copy of the standard library's source (`rust-src`), where rustc finds it.
fn std_source() -> Option<PathBuf> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = std::process::Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()?;
    let sysroot = String::from_utf8(output.stdout).ok()?;
    Some(PathBuf::from(sysroot.trim()).join("lib/rustlib/src/rust"))
}

fn cargo_home() -> Option<PathBuf> {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
}

/// Fails when a generated file (or the content core's module, inlined as base64) names the
/// clone's path, the cargo home or the user's home.
pub fn check_no_build_paths(generated: &Path) -> Result<()> {
    let mut files: Vec<PathBuf> = files_below(generated)?
        .into_iter()
        .map(|file| generated.join(file))
        .collect();
    files.push(
        generated
            .parent()
            .context("generated dir has a parent")?
            .join("content_bg.wasm"),
    );
    let mut needles: Vec<String> = local_prefixes()
        .into_iter()
        .map(|(path, _)| path.display().to_string())
        .collect();
    if let Some(home) = std::env::var_os("HOME") {
        needles.push(PathBuf::from(home).display().to_string());
    }
    // A short prefix ("/", "/w") would match any path-like text; those cannot be checked.
    needles.retain(|needle| needle.len() >= 5);
    for file in files {
        let bytes = fs::read(&file)?;
        for needle in &needles {
            if let Some(at) = find(&bytes, needle.as_bytes()) {
                let end = (at + needle.len() + 60).min(bytes.len());
                bail!(
                    "{} embeds the local path {needle} (\"{}\"); the build is not reproducible \
                     elsewhere (see release::rustflags)",
                    file.display(),
                    String::from_utf8_lossy(&bytes[at..end])
                );
            }
        }
    }
    Ok(())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Writes `dist/ask-first-source-<version>.zip`: the sources the build reads, trimmed npm
/// manifests and `README.md` with the build instructions (toolchain versions, commands, the
/// zips' SHA-256). Returns its path.
pub fn write_source_bundle(root: &Path, dist: &Path, version: &str) -> Result<PathBuf> {
    let stage = root.join("target/askfirst/source");
    reset_dir(&stage)?;
    for file in BUNDLE_FILES {
        let to = stage.join(file);
        fs::create_dir_all(to.parent().context("a bundle file has a parent")?)?;
        fs::copy(root.join(file), &to).with_context(|| format!("cannot copy {file}"))?;
    }
    for tree in BUNDLE_TREES {
        copy_sources(&root.join(tree), &stage.join(tree))?;
    }
    let (package, lock) = npm_build_manifests(root)?;
    fs::write(stage.join("package.json"), package)?;
    fs::write(stage.join("package-lock.json"), lock)?;
    fs::write(stage.join(BUILD_README), build_readme(root, dist, version)?)?;
    let bundle = dist.join(format!("ask-first-source-{version}.zip"));
    zip_dir(&stage, &bundle)?;
    Ok(bundle)
}

/// Copies a source tree, leaving out build output and logs (what `.gitignore` leaves out).
fn copy_sources(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if entry.file_type()?.is_dir() {
            if ["target", "node_modules", ".out"].contains(&name.as_ref()) {
                continue;
            }
            copy_sources(&entry.path(), &to.join(entry.file_name()))?;
        } else if !name.ends_with(".log") {
            fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

/// `package.json` and `package-lock.json` with only the packages the build runs, so that a
/// reviewer's `npm ci` installs binaryen (at the locked version and integrity) and nothing else.
fn npm_build_manifests(root: &Path) -> Result<(String, String)> {
    let read = |name: &str| -> Result<Value> {
        serde_json::from_str(&fs::read_to_string(root.join(name))?)
            .with_context(|| format!("{name} is not JSON"))
    };
    let package = read("package.json")?;
    let lock = read("package-lock.json")?;
    let mut wanted = serde_json::Map::new();
    for name in NPM_BUILD_PACKAGES {
        let version = package["devDependencies"][name]
            .as_str()
            .with_context(|| format!("package.json has no devDependency {name}"))?;
        wanted.insert(name.to_string(), json!(version));
    }
    let trimmed_package = json!({
        "name": "ask-first-build",
        "private": true,
        "description": "The npm packages the Ask First build runs (binaryen: wasm-opt, wasm2js).",
        "license": package["license"],
        "devDependencies": wanted,
    });
    let mut packages = serde_json::Map::new();
    packages.insert(
        String::new(),
        json!({
            "name": "ask-first-build",
            "license": package["license"],
            "devDependencies": wanted,
        }),
    );
    for name in NPM_BUILD_PACKAGES {
        let key = format!("node_modules/{name}");
        let entry = &lock["packages"][&key];
        if !entry.is_object() {
            bail!("package-lock.json has no entry {key}");
        }
        if entry.get("dependencies").is_some() {
            bail!("{name} now has dependencies; list them in NPM_BUILD_PACKAGES");
        }
        packages.insert(key, entry.clone());
    }
    let trimmed_lock = json!({
        "name": "ask-first-build",
        "lockfileVersion": lock["lockfileVersion"],
        "requires": true,
        "packages": packages,
    });
    Ok((
        serde_json::to_string_pretty(&trimmed_package)? + "\n",
        serde_json::to_string_pretty(&trimmed_lock)? + "\n",
    ))
}

/// The first line of a tool's version output, or a note that it is missing.
fn tool_version(program: &str, args: &[&str]) -> String {
    Cmd::new(program)
        .args(args)
        .output()
        .map(|out| out.trim().to_string())
        .unwrap_or_else(|| format!("({program} not found)"))
}

fn locked_crate_version(root: &Path, name: &str) -> Result<String> {
    let lock = fs::read_to_string(root.join("Cargo.lock"))?;
    let marker = format!("name = \"{name}\"\nversion = \"");
    let at = lock
        .find(&marker)
        .with_context(|| format!("{name} is not in Cargo.lock"))?;
    let rest = &lock[at + marker.len()..];
    Ok(rest[..rest.find('"').unwrap_or(0)].to_string())
}

fn build_readme(root: &Path, dist: &Path, version: &str) -> Result<String> {
    let rustc = tool_version("rustc", &["-vV"]);
    let field = |name: &str| {
        rustc
            .lines()
            .find_map(|line| line.strip_prefix(&format!("{name}: ")))
            .unwrap_or("?")
            .to_string()
    };
    let release = field("release");
    let commit = field("commit-hash");
    let cargo = tool_version("cargo", &["-V"]);
    let node = tool_version("node", &["--version"]);
    let npm = tool_version("npm", &["--version"]);
    let package: Value = serde_json::from_str(&fs::read_to_string(root.join("package.json"))?)?;
    let binaryen = package["devDependencies"]["binaryen"]
        .as_str()
        .unwrap_or("?");
    let lock: Value = serde_json::from_str(&fs::read_to_string(root.join("package-lock.json"))?)?;
    let binaryen_integrity = lock["packages"]["node_modules/binaryen"]["integrity"]
        .as_str()
        .unwrap_or("?");
    let bindgen = locked_crate_version(root, "wasm-bindgen")?;
    let mut sums = String::new();
    for browser in ["chromium", "firefox"] {
        let name = format!("ask-first-{browser}-{version}.zip");
        let bytes = fs::read(dist.join(&name)).with_context(|| format!("no {name} yet"))?;
        sums.push_str(&format!("{}  {name}\n", sha256::hex(&bytes)));
    }
    Ok(format!(
        "# Ask First {version}: building the store packages from source

This archive holds everything the build reads. The two store packages it makes,
`dist/ask-first-chromium-{version}.zip` (Chrome Web Store) and
`dist/ask-first-firefox-{version}.zip` (addons.mozilla.org), come out byte for byte as
published when the same toolchain versions are used. The extension's code is Rust, compiled to
WebAssembly, plus hand-written JavaScript, HTML and CSS in `extension/`; no npm package ships in
the extension, none is minified.

## Toolchain (the versions the published packages were built with)

| tool | version | notes |
|---|---|---|
| Rust (rustup) | {release} (commit {commit}) | with the `wasm32-unknown-unknown` target |
| cargo | {cargo} | |
| wasm-bindgen | {bindgen} | used as a library by the build tool, locked in `Cargo.lock` |
| binaryen (npm) | {binaryen} | `wasm-opt` and `wasm2js`, locked in `package-lock.json` (integrity `{binaryen_integrity}`) |
| Node.js | {node} | runs binaryen (compiled to JavaScript) |
| npm | {npm} | |

The published packages were built on Linux (x86_64). The build makes no network request except
the two downloads below (crates from crates.io as locked in `Cargo.lock`, binaryen from npm).
The build directory's path does not matter: local paths are remapped out of the wasm.

## Commands

```sh
rustup toolchain install {release} --profile minimal --target wasm32-unknown-unknown
npm ci --no-audit --no-fund   # installs binaryen {binaryen} only
cargo +{release} xtask dist   # builds everything into dist/
sha256sum dist/ask-first-*-{version}.zip
```

`cargo xtask` is an alias (`.cargo/config.toml`) for the build tool in `crate/xtask`. `dist`
builds `crate/web` three times for `wasm32-unknown-unknown` (release profile from `Cargo.toml`:
`opt-level = \"z\"`, LTO, one codegen unit, `panic = \"abort\"`): with feature `content` (the content
script), feature `app` (background, popup, options) and `content` again with
`-C target-cpu=mvp` (the JavaScript fallback). Each build gets `--remap-path-prefix` for the
source directory and the cargo home, so no local path is embedded. Then it runs wasm-bindgen on
each, `wasm-opt -Oz`, `wasm2js` for the fallback, copies `extension/`, writes each browser's
manifest from `manifest.json`, and zips each tree with sorted entries and a fixed timestamp.
It also writes the store texts (`store/`, checked) and this archive again.

## Expected SHA-256

```
{sums}```
"
    ))
}

/// `cargo xtask test --only release`: unpacks the source bundle in a clean temporary directory,
/// builds there as the bundle's `README.md` says, and compares the zips byte for byte.
pub fn verify_rebuild() -> Result<()> {
    let root = root();
    let version = env!("CARGO_PKG_VERSION");
    let dist = root.join("dist");
    let bundle = dist.join(format!("ask-first-source-{version}.zip"));
    let clean = std::env::temp_dir().join(format!("ask-first-rebuild-{}", std::process::id()));
    reset_dir(&clean)?;
    unzip(&bundle, &clean)?;
    println!(
        "rebuild: unpacked {} into {}",
        bundle.display(),
        clean.display()
    );
    Cmd::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--prefer-offline"])
        .dir(&clean)
        .run()
        .context("npm ci in the unpacked bundle")?;
    let own_tool = std::env::var_os("ASK_FIRST_REBUILD_TOOL").is_none_or(|v| v != "1");
    if own_tool {
        same_build_tool(&root, &clean)?;
        Cmd::new(std::env::current_exe()?)
            .arg("dist")
            .dir(&clean)
            .env(ROOT_VARIABLE, &clean)
            .env_remove("CARGO_TARGET_DIR")
            .run()
            .context("xtask dist on the unpacked bundle")?;
    } else {
        run::cargo(&["xtask", "dist"])
            .dir(&clean)
            // The bundle's build tool is compiled in a directory of its own; the wasm builds set
            // their target directory inside the bundle themselves.
            .env("CARGO_TARGET_DIR", root.join("target/rebuild-tool"))
            .env_remove(ROOT_VARIABLE)
            .run()
            .context("cargo xtask dist in the unpacked bundle")?;
    }
    let mut differing = Vec::new();
    for name in [
        format!("ask-first-chromium-{version}.zip"),
        format!("ask-first-firefox-{version}.zip"),
        format!("ask-first-source-{version}.zip"),
    ] {
        let ours = fs::read(dist.join(&name))?;
        let theirs = fs::read(clean.join("dist").join(&name))
            .with_context(|| format!("no rebuilt {name}"))?;
        if ours == theirs {
            println!(
                "  identical  {name}  {} bytes  sha256 {}",
                ours.len(),
                sha256::hex(&ours)
            );
        } else {
            println!(
                "  DIFFERENT  {name}  {} bytes here, {} rebuilt",
                ours.len(),
                theirs.len()
            );
            for line in diff_zips(&ours, &theirs)? {
                println!("    {line}");
            }
            differing.push(name);
        }
    }
    if !differing.is_empty() {
        bail!(
            "the rebuild from the source bundle differs: {} (rebuild kept in {})",
            differing.join(", "),
            clean.display()
        );
    }
    fs::remove_dir_all(&clean)?;
    println!("rebuild: both store packages and the source bundle are reproduced byte for byte");
    Ok(())
}

/// The trees the build tool is compiled from: itself, and core with the site table and the
/// packs its build script reads (the manifests' host lists come from that table).
const BUILD_TOOL_TREES: [&str; 3] = ["crate/xtask", "crate/core", "extension/sitepacks"];

/// Fails unless the bundle's build tool sources and lock file are the ones this binary was built
/// from (the clone's), file for file.
fn same_build_tool(root: &Path, bundle: &Path) -> Result<()> {
    let mut files = vec![PathBuf::from("Cargo.lock"), PathBuf::from("Cargo.toml")];
    for tree in BUILD_TOOL_TREES {
        let ours = files_below(&root.join(tree))?;
        let theirs = files_below(&bundle.join(tree))?;
        let ours: Vec<PathBuf> = ours
            .into_iter()
            .filter(|f| !f.starts_with("target"))
            .collect();
        if ours != theirs {
            bail!("the bundle's {tree} has other files than the clone's: {theirs:?} vs {ours:?}");
        }
        files.extend(ours.into_iter().map(|file| Path::new(tree).join(file)));
    }
    for file in files {
        if fs::read(root.join(&file))? != fs::read(bundle.join(&file))? {
            bail!(
                "{} differs between the clone and the bundle; rebuild with \
                 ASK_FIRST_REBUILD_TOOL=1 or run `cargo xtask dist` first",
                file.display()
            );
        }
    }
    Ok(())
}

fn unzip(archive: &Path, into: &Path) -> Result<()> {
    let file =
        fs::File::open(archive).with_context(|| format!("no {}: run dist", archive.display()))?;
    let mut zip = zip::ZipArchive::new(file)?;
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index)?;
        let relative = entry
            .enclosed_name()
            .with_context(|| format!("unsafe path in the bundle: {}", entry.name()))?;
        let to = into.join(relative);
        fs::create_dir_all(to.parent().context("an entry has a parent")?)?;
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes)?;
        fs::File::create(&to)?.write_all(&bytes)?;
    }
    Ok(())
}

/// The entries of a zip: name → (bytes, the entry's header fields that matter for equality),
/// and the names in archive order.
type Entries = (BTreeMap<String, (Vec<u8>, String)>, Vec<String>);

fn zip_entries(bytes: &[u8]) -> Result<Entries> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    let mut entries = BTreeMap::new();
    let mut order = Vec::new();
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index)?;
        order.push(entry.name().to_string());
        let header = format!(
            "{:?} {:?} mode {:?}",
            entry.compression(),
            entry.last_modified(),
            entry.unix_mode()
        );
        let mut content = Vec::new();
        entry.read_to_end(&mut content)?;
        entries.insert(entry.name().to_string(), (content, header));
    }
    Ok((entries, order))
}

/// A short account of how two zips differ: entries only in one, entries whose content differs
/// (sizes, SHA-256, the first differing offset), entries whose header or position differs.
fn diff_zips(ours: &[u8], theirs: &[u8]) -> Result<Vec<String>> {
    let (ours, our_order) = zip_entries(ours)?;
    let (theirs, their_order) = zip_entries(theirs)?;
    let mut lines = Vec::new();
    for (name, (content, header)) in &ours {
        match theirs.get(name) {
            None => lines.push(format!("only here:    {name}")),
            Some((other, other_header)) if other != content => {
                let first = content
                    .iter()
                    .zip(other)
                    .position(|(a, b)| a != b)
                    .unwrap_or(content.len().min(other.len()));
                lines.push(format!(
                    "content:      {name}: {} vs {} bytes, sha256 {} vs {}, first difference at \
                     byte {first}",
                    content.len(),
                    other.len(),
                    &sha256::hex(content)[..16],
                    &sha256::hex(other)[..16],
                ));
                if header != other_header {
                    lines.push(format!("header:       {name}: {header} vs {other_header}"));
                }
            }
            Some((_, other_header)) if other_header != header => {
                lines.push(format!("header:       {name}: {header} vs {other_header}"))
            }
            Some(_) => {}
        }
    }
    for name in theirs.keys().filter(|name| !ours.contains_key(*name)) {
        lines.push(format!("only rebuilt: {name}"));
    }
    let common = |order: &[String], other: &BTreeMap<String, (Vec<u8>, String)>| -> Vec<String> {
        order
            .iter()
            .filter(|name| other.contains_key(*name))
            .cloned()
            .collect()
    };
    if common(&our_order, &theirs) != common(&their_order, &ours) {
        lines.push("order:        the entries they share are in another order".into());
    }
    if lines.is_empty() {
        lines.push("same entries with the same content: the archive framing differs".into());
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let options =
            zip::write::SimpleFileOptions::default().last_modified_time(zip::DateTime::default());
        for (name, bytes) in entries {
            zip.start_file(*name, options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn the_diff_names_missing_extra_and_changed_entries() {
        let ours = zip_of(&[("a.js", b"same"), ("b.wasm", b"\0asm1"), ("c.txt", b"x")]);
        let theirs = zip_of(&[("a.js", b"same"), ("b.wasm", b"\0asm2"), ("d.txt", b"y")]);
        let lines = diff_zips(&ours, &theirs).unwrap().join("\n");
        assert!(
            lines.contains("content:      b.wasm: 5 vs 5 bytes"),
            "{lines}"
        );
        assert!(lines.contains("first difference at byte 4"), "{lines}");
        assert!(lines.contains("only here:    c.txt"), "{lines}");
        assert!(lines.contains("only rebuilt: d.txt"), "{lines}");
        assert!(!lines.contains("a.js"), "{lines}");
        // An extra entry before the others is one line, not a header change for each one after.
        let ours = zip_of(&[("0.log", b"x"), ("a.js", b"same"), ("b.js", b"same")]);
        let theirs = zip_of(&[("a.js", b"same"), ("b.js", b"same")]);
        assert_eq!(diff_zips(&ours, &theirs).unwrap(), ["only here:    0.log"]);
        let swapped = zip_of(&[("b.js", b"same"), ("a.js", b"same")]);
        let lines = diff_zips(&theirs, &swapped).unwrap().join("\n");
        assert!(lines.contains("another order"), "{lines}");
    }

    #[test]
    fn rustflags_remap_the_clone_the_cargo_home_and_the_std_source() {
        let flags = rustflags(&["-C", "target-cpu=mvp"]);
        let flags: Vec<&str> = flags.split('\u{1f}').collect();
        assert_eq!(&flags[..2], ["-C", "target-cpu=mvp"]);
        let root_flag = format!("--remap-path-prefix={}={ROOT_IN_OUTPUT}", root().display());
        assert!(flags.contains(&root_flag.as_str()), "{flags:?}");
        let home = cargo_home().unwrap();
        let home_flag = format!(
            "--remap-path-prefix={}={CARGO_HOME_IN_OUTPUT}",
            home.display()
        );
        let at_home = flags.iter().position(|f| *f == home_flag).unwrap();
        let source_flag = format!(
            "--remap-path-prefix={}={STD_SOURCE_IN_OUTPUT}",
            std_source().unwrap().display()
        );
        assert!(flags.contains(&source_flag.as_str()), "{flags:?}");
        let at_root = flags.iter().position(|f| *f == root_flag).unwrap();
        assert!(at_root < at_home, "the cargo home must win over the root");
    }

    #[test]
    fn the_npm_manifests_keep_only_the_build_packages() {
        let (package, lock) = npm_build_manifests(&root()).unwrap();
        let package: Value = serde_json::from_str(&package).unwrap();
        let lock: Value = serde_json::from_str(&lock).unwrap();
        let deps: Vec<&String> = package["devDependencies"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(deps, ["binaryen"]);
        let locked: Vec<&String> = lock["packages"].as_object().unwrap().keys().collect();
        assert_eq!(locked, ["", "node_modules/binaryen"]);
        assert!(lock["packages"]["node_modules/binaryen"]["integrity"]
            .as_str()
            .unwrap()
            .starts_with("sha512-"));
    }
}
