//! `cargo xtask dist`: release wasm builds, bindgen, wasm-opt, the wasm2js fallback of the content
//! core, per-browser manifests, and a zip for each browser.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::guard;
use crate::import_names;
use crate::manifest::{self, Browser};
use crate::root;
use crate::run::{self, Cmd};
use crate::sitepacks;

const TARGET: &str = "wasm32-unknown-unknown";

/// Wasm features the fallback's JavaScript translation must accept. Passed one by one: with
/// `-all`, wasm-opt (binaryen 132) writes a compact-imports encoding that wasm-bindgen cannot read.
const FALLBACK_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-multivalue",
];

pub fn dist() -> Result<()> {
    run::step("dist: build both extensions", build)
}

fn build() -> Result<()> {
    let root = root();
    let work = root.join("target/askfirst");
    let generated = work.join("generated");
    reset_dir(&generated)?;

    // The fallback has its own target directory (other target features), so it is built at the
    // same time as the other two: the release profile's LTO with one codegen unit and binaryen
    // (JavaScript) each keep only one core busy, and the steps write different files.
    let (main, fallback) = std::thread::scope(|scope| {
        let fallback = scope.spawn(|| build_fallback(&root, &work, &generated));
        let main = build_main(&work, &generated);
        (main, fallback.join())
    });
    main?;
    fallback.map_err(|_| anyhow::anyhow!("the fallback build panicked"))??;

    // Each site's bundled pack, injected for that site only (see `sitepacks`).
    let packs = sitepacks::read(&root.join("extension/sitepacks"))?;
    sitepacks::write_scripts(&packs, &generated.join("sitepacks"))?;

    let version = env!("CARGO_PKG_VERSION");
    let dist = root.join("dist");
    fs::create_dir_all(&dist)?;
    let mut zips = Vec::new();
    for browser in [Browser::Chromium, Browser::Firefox] {
        let dir = dist.join(browser.name());
        reset_dir(&dir)?;
        copy_tree(&root.join("extension"), &dir)?;
        copy_tree(&generated, &dir.join("wasm"))?;
        let manifest = manifest::for_browser(&root.join("manifest.json"), browser, version)?;
        let mut manifest: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&manifest)?;
        sitepacks::content_script_per_site(&mut manifest, &packs)?;
        fs::write(
            dir.join("manifest.json"),
            serde_json::to_string_pretty(&manifest)? + "\n",
        )?;
        let zip = dist.join(format!("ask-first-{}-{version}.zip", browser.name()));
        zip_dir(&dir, &zip)?;
        zips.push(zip);
    }
    crate::release::check_no_build_paths(&generated)?;
    crate::store::write(&root, &dist.join("store"))?;
    let source = crate::release::write_source_bundle(&root, &dist, version)?;
    zips.push(source);
    report_sizes(&generated, &zips)
}

/// The content core (wasm, inlined into one classic content script, see `write_content_core`)
/// and the module that background, popup and options share.
fn build_main(work: &Path, generated: &Path) -> Result<()> {
    let content = cargo_wasm(
        "content",
        &[],
        Std::RebuiltForSize,
        Some(&root().join("target/content")),
    )?;
    let content_glue = work.join("content-glue");
    reset_dir(&content_glue)?;
    bindgen(&content, &content_glue, "content", "no-modules")?;
    // A second -Oz round still finds a little in the content core (every byte counts there).
    // `--low-memory-unused` lets wasm-opt fold small added constants into load and store
    // offsets (about 1.6 KB): those differ only when the 32-bit address addition wraps, which no
    // valid Rust pointer does (the wrapped address would trap instead of reaching the low 1 KB).
    // `--flatten --rereloop` rebuilds each function's control flow from scratch, and the -Oz
    // rounds after it find about 1.7 KB more that LLVM's shape hid (the churn benchmark's
    // main-thread time is measured with it: docs/benchmarks.md).
    optimise(
        &content_glue.join("content_bg.wasm"),
        &[
            "--low-memory-unused",
            "--flatten",
            "--rereloop",
            "-Oz",
            "-Oz",
        ],
    )?;
    import_names::shorten(
        &content_glue.join("content_bg.wasm"),
        &content_glue.join("content.js"),
    )?;
    guard::install(&content_glue.join("content.js"), guard::Build::Wasm)?;
    write_content_core(&content_glue, &generated.join("content_core.js"))?;

    // Background, popup and options share one module.
    let app = cargo_wasm("app", &[], Std::Prebuilt, None)?;
    bindgen(&app, generated, "app", "web")?;
    optimise(&generated.join("app_bg.wasm"), &[])?;
    Ok(())
}

/// The content core again, for pages whose CSP refuses wasm in content scripts: an MVP build (no
/// target features, so bindgen emits no externref tables), then wasm2js.
fn build_fallback(root: &Path, work: &Path, generated: &Path) -> Result<()> {
    let mvp = cargo_wasm(
        "content",
        &["-C", "target-cpu=mvp"],
        Std::RebuiltForSize,
        Some(&root.join("target/mvp")),
    )?;
    let stripped = work.join("content_fallback.wasm");
    Cmd::new(tool("wasm-opt"))
        .arg(&mvp)
        .args(FALLBACK_FEATURES)
        .args(["--strip-target-features", "-o"])
        .arg(&stripped)
        .run()?;
    bindgen(&stripped, generated, "content_fallback", "bundler")?;
    refresh_views_on_growth(&generated.join("content_fallback_bg.js"))?;
    guard::install(
        &generated.join("content_fallback_bg.js"),
        guard::Build::Fallback,
    )?;
    let fallback_wasm = generated.join("content_fallback_bg.wasm");
    Cmd::new(tool("wasm2js"))
        .arg(&fallback_wasm)
        .args(FALLBACK_FEATURES)
        .args(["-Oz", "-o"])
        .arg(generated.join("content_fallback_bg.wasm.js"))
        .run()?;
    // Only the JavaScript translation and the JS glue ship; the bundler entry would import wasm.
    fs::remove_file(&fallback_wasm)?;
    fs::remove_file(generated.join("content_fallback.js"))?;
    Ok(())
}

/// Writes the content core as one classic script: wasm-bindgen's `no-modules` glue (it defines
/// `wasm_bindgen` in the content scripts' world) and the module's bytes as base64.
///
/// The browser injects content scripts from memory. Fetching the module and importing an ES
/// module glue from the extension's files instead cost two round trips to the browser process
/// before the core could start (about 20 and 30 ms on the benchmark page), and needed both files
/// to be web-accessible, so any page could probe for them. `loader.js` decodes and compiles the
/// bytes synchronously (Chromium allows it on the main thread up to 8 MB).
fn write_content_core(glue_dir: &Path, out: &Path) -> Result<()> {
    let glue = fs::read_to_string(glue_dir.join("content.js"))?;
    let module = fs::read(glue_dir.join("content_bg.wasm"))?;
    let mut script = String::with_capacity(glue.len() + module.len() * 4 / 3 + 256);
    script.push_str(&glue);
    script.push_str(
        "\n// The content core's wasm module (generated by `cargo xtask dist`).\n\
         const ASK_FIRST_CORE_WASM = \"",
    );
    base64_into(&module, &mut script);
    script.push_str("\";\n");
    fs::write(out, script)?;
    // The module itself, for the size report and the benchmark (not shipped on its own).
    fs::copy(
        glue_dir.join("content_bg.wasm"),
        out.parent()
            .and_then(Path::parent)
            .context("generated dir has a parent")?
            .join("content_bg.wasm"),
    )?;
    Ok(())
}

/// Standard base64 with padding.
fn base64_into(bytes: &[u8], out: &mut String) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
}

/// wasm2js grows memory by swapping in a new `ArrayBuffer` without detaching the old one, but
/// wasm-bindgen's glue renews a cached `Uint8Array` view only when its buffer was detached
/// (`byteLength === 0`). After a growth the glue would keep writing strings into the stale buffer
/// and the core would trap. Make every cached view compare buffers instead, as the glue already
/// does for its `DataView`.
fn refresh_views_on_growth(glue: &Path) -> Result<()> {
    const STALE_CHECK: &str = ".byteLength === 0";
    let text = fs::read_to_string(glue)?;
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    let mut patched = 0;
    while let Some(at) = rest.find(STALE_CHECK) {
        let before = &rest[..at];
        let start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
            .map_or(0, |i| i + 1);
        let name = &before[start..];
        out.push_str(before);
        if name.starts_with("cached") && name.ends_with("Memory0") {
            out.push_str(".buffer !== wasm.memory.buffer");
            patched += 1;
        } else {
            out.push_str(STALE_CHECK);
        }
        rest = &rest[at + STALE_CHECK.len()..];
    }
    out.push_str(rest);
    // The DataView check trusts `buffer.detached` where the browser has it, so it too misses a
    // swapped buffer; compare buffers there as well.
    const DATA_VIEW_CHECK: &str = "cachedDataViewMemory0.buffer.detached === true || \
        (cachedDataViewMemory0.buffer.detached === undefined && \
        cachedDataViewMemory0.buffer !== wasm.memory.buffer)";
    if out.contains(DATA_VIEW_CHECK) {
        out = out.replace(
            DATA_VIEW_CHECK,
            "cachedDataViewMemory0.buffer !== wasm.memory.buffer",
        );
        patched += 1;
    }
    if patched == 0 {
        bail!(
            "{}: found no cached memory view to patch; wasm-bindgen's glue changed, re-check the \
             wasm2js memory-growth workaround",
            glue.display()
        );
    }
    fs::write(glue, out)?;
    Ok(())
}

/// Which standard library a wasm build links.
#[derive(Clone, Copy)]
enum Std {
    /// The target's prebuilt std (the app module: its size matters less than build time).
    Prebuilt,
    /// std compiled from the toolchain's `rust-src` with the content core's build, for size: its
    /// `optimize_for_size` algorithms, no file/line/column in panic locations
    /// (`-Zlocation-detail=none`) and `Debug` formatting compiled to nothing (`-Zfmt-debug=none`;
    /// the content shows no `Debug` output), about 12 KB of the content core; and the
    /// `immediate-abort` panic strategy (cargo's `-Zpanic-immediate-abort`, set for the release
    /// profile of this build only), about 7.8 KB more: a panic traps at once (`unreachable`), so
    /// std's panic machinery, the payload's formatting and the panic hook are gone. The glue's
    /// fault guard (`guard`, `core_guard.js`) catches the trap, switches the core off on the page
    /// and reports it (`faults` E2E test); the report names the trap, no longer the panic's
    /// message. These are unstable options, enabled on the stable toolchain by
    /// `RUSTC_BOOTSTRAP=1` for this build only; a toolchain that drops one fails this build
    /// loudly, never silently.
    RebuiltForSize,
}

impl Std {
    fn cargo_args(self) -> &'static [&'static str] {
        match self {
            Std::Prebuilt => &[],
            // No `panic_abort`: with `immediate-abort` no panic runtime is linked (the build with
            // it was the same size).
            Std::RebuiltForSize => &[
                "-Zbuild-std=std",
                "-Zbuild-std-features=optimize_for_size",
                "-Zpanic-immediate-abort",
                "--config",
                "profile.release.panic=\"immediate-abort\"",
            ],
        }
    }

    fn rustflags(self) -> &'static [&'static str] {
        match self {
            Std::Prebuilt => &[],
            Std::RebuiltForSize => &["-Zlocation-detail=none", "-Zfmt-debug=none"],
        }
    }
}

/// `cargo build` of the glue crate for wasm with one context's feature and extra rustc flags;
/// returns the .wasm path. The flags are set in full here (see `release::rustflags`): nothing
/// from the caller's environment reaches the build, and no local path reaches the output.
/// A build with its own flags or std needs its own target directory, or each switch would
/// rebuild everything.
fn cargo_wasm(
    feature: &str,
    flags: &[&str],
    std: Std,
    target_dir: Option<&Path>,
) -> Result<PathBuf> {
    let mut command = run::cargo(&[
        "build",
        "--package",
        "ask-first-web",
        "--lib",
        "--release",
        "--target",
        TARGET,
        "--no-default-features",
        "--features",
        feature,
        "--locked",
    ])
    .args(std.cargo_args());
    let flags: Vec<&str> = flags.iter().chain(std.rustflags()).copied().collect();
    command = command
        .env("CARGO_ENCODED_RUSTFLAGS", crate::release::rustflags(&flags))
        .env_remove("RUSTFLAGS");
    command = match std {
        Std::Prebuilt => command.env_remove("RUSTC_BOOTSTRAP"),
        Std::RebuiltForSize => command.env("RUSTC_BOOTSTRAP", "1"),
    };
    let target_dir = target_dir
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root().join("target"));
    command = command.env("CARGO_TARGET_DIR", &target_dir);
    command.run()?;
    // Both features write the same file name; keep a copy per feature before the next build.
    let built = target_dir.join(TARGET).join("release/ask_first_web.wasm");
    let kept = target_dir
        .join(TARGET)
        .join(format!("release/ask_first_web.{feature}.wasm"));
    fs::copy(&built, &kept).with_context(|| format!("no build output at {}", built.display()))?;
    Ok(kept)
}

fn bindgen(input: &Path, out_dir: &Path, name: &str, target: &str) -> Result<()> {
    wasm_bindgen_cli::wasm_bindgen::run_cli_with_args([
        "wasm-bindgen".as_ref(),
        input.as_os_str(),
        "--out-dir".as_ref(),
        out_dir.as_os_str(),
        "--out-name".as_ref(),
        name.as_ref(),
        "--target".as_ref(),
        target.as_ref(),
        "--no-typescript".as_ref(),
    ])
    .with_context(|| format!("wasm-bindgen failed on {}", input.display()))
}

fn optimise(wasm: &Path, extra: &[&str]) -> Result<()> {
    // ASK_FIRST_WASM_NAMES=1 keeps function names, for a size breakdown with twiggy.
    let keep_names = std::env::var_os("ASK_FIRST_WASM_NAMES").is_some_and(|v| v == "1");
    let strip: &[&str] = if keep_names {
        &["-g"]
    } else {
        &["--strip-debug", "--strip-producers"]
    };
    Cmd::new(tool("wasm-opt"))
        .arg(wasm)
        .arg("-Oz")
        .args(strip)
        .args(extra)
        .arg("-o")
        .arg(wasm)
        .run()
}

/// A binary from the npm packages (binaryen's wasm-opt and wasm2js).
fn tool(name: &str) -> PathBuf {
    root().join("node_modules/.bin").join(name)
}

pub fn reset_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("cannot clear {}", dir.display()))?;
    }
    fs::create_dir_all(dir)?;
    Ok(())
}

pub fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Files of `dir` relative to it, sorted, so the zip is the same for the same input.
pub fn files_below(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in fs::read_dir(&next)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path.strip_prefix(dir)?.to_path_buf());
            }
        }
    }
    files.sort();
    Ok(files)
}

pub fn zip_dir(dir: &Path, zip_path: &Path) -> Result<()> {
    let file = fs::File::create(zip_path)?;
    let mut zip = zip::ZipWriter::new(file);
    // A fixed timestamp keeps the archive reproducible.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for relative in files_below(dir)? {
        let name = relative
            .to_str()
            .with_context(|| format!("non-UTF-8 path {}", relative.display()))?
            .replace('\\', "/");
        zip.start_file(name, options)?;
        zip.write_all(&fs::read(dir.join(&relative))?)?;
    }
    zip.finish()?;
    Ok(())
}

fn report_sizes(generated: &Path, zips: &[PathBuf]) -> Result<()> {
    println!("\nsizes (bytes):");
    let mut entries: Vec<PathBuf> = files_below(generated)?
        .into_iter()
        .map(|file| generated.join(file))
        .collect();
    entries.extend(zips.iter().cloned());
    for path in entries {
        let size = fs::metadata(&path)?.len();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        println!("  {name:<40} {size:>9}");
    }
    if !generated.join("content_core.js").exists() {
        bail!("the content core is missing from the build output");
    }
    let module = generated
        .parent()
        .context("generated dir has a parent")?
        .join("content_bg.wasm");
    println!(
        "  {:<40} {:>9}  (inlined in content_core.js)",
        "content_bg.wasm",
        fs::metadata(module)?.len()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::base64_into;

    #[test]
    fn base64_matches_the_standard_alphabet_and_padding() {
        for (bytes, expected) in [
            (&b""[..], ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"\x00\xff\xfe\x01", "AP/+AQ=="),
            (b"\0asm\x01\0\0\0", "AGFzbQEAAAA="),
        ] {
            let mut out = String::new();
            base64_into(bytes, &mut out);
            assert_eq!(out, expected);
        }
    }
}
