//! The eighth-site check (`cargo xtask test`, tier 1; alone: `--only eighth-site`): copies the
//! repository's sources (`git ls-files`, so no `target/` or `node_modules`) into a temporary
//! directory, adds a throwaway site in the three documented places only
//! (`extension/sitepacks/README.md`: its entry in the site table, its pack, its fixture in
//! `tests/sites/index.json` with the fixture's files) and shows, in that copy:
//! - the workspace builds and core's tests pass with the eighth site: its unit tests (router,
//!   storage, settings, model…), the site-pack and the fixture-catalogue tests; the build tool;
//!   the glue for the browser (`cargo check` for wasm);
//! - the site is in `Site::ALL` with its hosts, and its pack is bundled and valid
//!   (`cargo xtask sites` of the copy);
//! - both generated manifests list its hosts in all three host lists (`cargo xtask manifest`);
//! - its fixture is watched: the catalogue tests (`crate/core/tests/fixture_catalogue.rs`) read
//!   its group page, and the fixture server (`tests/support/server.mjs`) serves its host;
//! - without its pack file the build fails naming the file, and so does a pack file without a
//!   site.
//!
//! The copy shares this clone's `target/` (`CARGO_TARGET_DIR`), so only the workspace's own
//! crates compile again. Cargo names a workspace's units by their paths inside the workspace,
//! so the copy's crates would take the same names as this clone's and replace them: the copy's
//! workspace version gets a suffix (a different package id, hence other names), and its build
//! tool a binary name of its own (the uplifted `target/debug/xtask` is named by the binary).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, ensure, Context, Result};
use serde_json::{json, Value};

use crate::{root, run};

/// The throwaway site: its table entry and facts.
const ID: &str = "throwaway";
const HOST: &str = "groups.throwaway.example";
const TABLE_ENTRY: &str = r#"    /// A throwaway site added by the eighth-site check (`crate/xtask/src/eighth_site.rs`).
    Throwaway {
        id: "throwaway",
        name: "Throwaway Groups",
        hosts: ["groups.throwaway.example"],
        groups: GroupKeys::Path("/groups/{}"),
    },
"#;
/// The name the copy's build tool is built under (see the module doc).
const COPY_TOOL: &str = "xtask-eighth-site";
/// Put after the copy's workspace version (`0.1.0-eighth-site`): a version of its own (see the
/// module doc).
const COPY_VERSION_SUFFIX: &str = "-eighth-site";

pub fn check() -> Result<()> {
    let started = Instant::now();
    let root = root();
    let copy = std::env::temp_dir().join("ask-first-eighth-site");
    if copy.exists() {
        fs::remove_dir_all(&copy).with_context(|| format!("cannot clear {}", copy.display()))?;
    }
    let copied = copy_sources(&root, &copy)?;
    println!("copied {copied} files into {}", copy.display());
    add_site(&copy)?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let cargo = |args: &[&str]| {
        run::cargo(args)
            .dir(&copy)
            .env("CARGO_TARGET_DIR", &target)
            .env_remove(crate::release::ROOT_VARIABLE)
    };

    cargo(&[
        "test",
        "-p",
        "ask-first-core",
        "--lib",
        "--test",
        "sitepacks",
        "--test",
        "fixture_catalogue",
    ])
    .run()
    .context("core's unit, site-pack and fixture tests in the copy")?;

    let sites = cargo(&[
        "run", "--quiet", "-p", "xtask", "--bin", COPY_TOOL, "--", "sites",
    ])
    .output()
    .context("`cargo xtask sites` failed in the copy")?;
    let line = sites
        .lines()
        .find(|line| line.starts_with(&format!("{ID}\t")))
        .with_context(|| format!("the copy's site table has no `{ID}`:\n{sites}"))?;
    ensure!(
        line.contains(HOST) && line.contains(&format!("pack {ID}.json version 1 valid")),
        "the copy's `{ID}` lacks its host or a valid bundled pack: {line}"
    );
    println!("the copy's table: {line}");

    for browser in ["chromium", "firefox"] {
        let text = cargo(&[
            "run", "--quiet", "-p", "xtask", "--bin", COPY_TOOL, "--", "manifest", browser,
        ])
        .output()
        .with_context(|| format!("`cargo xtask manifest {browser}` failed in the copy"))?;
        let manifest: Value = serde_json::from_str(&text)?;
        let pattern = json!(format!("https://{HOST}/*"));
        let mut lists = vec![
            &manifest["host_permissions"],
            &manifest["content_scripts"][0]["matches"],
        ];
        if browser == "chromium" {
            lists.push(&manifest["web_accessible_resources"][0]["matches"]);
        }
        for list in lists {
            ensure!(
                list.as_array()
                    .is_some_and(|hosts| hosts.contains(&pattern)),
                "the copy's {browser} manifest lacks {pattern} in {list}"
            );
        }
        println!("the copy's {browser} manifest lists {pattern} in every host list");
    }

    let hosts = run::node(&[
        "--input-type=module",
        "-e",
        "const { fixtureHosts } = await import('./tests/support/server.mjs'); \
         console.log(JSON.stringify(fixtureHosts()));",
    ])
    .dir(&copy)
    .output()
    .context("the copy's fixture server would not load")?;
    ensure!(
        hosts.contains(&format!("\"{HOST}\"")),
        "the copy's fixture server does not serve {HOST}: {hosts}"
    );
    println!("the copy's fixture server serves {HOST}");

    cargo(&[
        "check",
        "-p",
        "ask-first-web",
        "--target",
        "wasm32-unknown-unknown",
        "--features",
        "content,app",
    ])
    .run()
    .context("the glue in the copy")?;

    // A site without its pack, and a pack without its site, each fail the build by name.
    let pack = copy.join(format!("extension/sitepacks/{ID}.json"));
    let kept = fs::read(&pack)?;
    fs::remove_file(&pack)?;
    refused(
        cargo(&["check", "-p", "ask-first-core"]),
        &format!("has no pack: add extension/sitepacks/{ID}.json"),
    )?;
    fs::write(&pack, kept)?;
    let orphan = copy.join("extension/sitepacks/orphan.json");
    fs::copy(&pack, &orphan)?;
    refused(
        cargo(&["check", "-p", "ask-first-core"]),
        "extension/sitepacks/orphan.json has no site",
    )?;

    fs::remove_dir_all(&copy)?;
    println!(
        "eighth site: builds, bundled, in both manifests, fixture watched ({:.0} s)",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Runs a build that must fail with `message` among its errors.
fn refused(build: run::Cmd, message: &str) -> Result<()> {
    let (passed, errors) = build.status_and_stderr().context("cargo did not start")?;
    ensure!(
        !passed && errors.contains(message),
        "the build should have failed saying \"{message}\": {errors}"
    );
    println!("the build refuses it: {message}");
    Ok(())
}

/// Copies the files git knows (tracked, or new and not ignored) that exist; returns how many.
fn copy_sources(root: &Path, copy: &Path) -> Result<usize> {
    let listed = run::Cmd::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .dir(root)
        .output()
        .context("git ls-files failed: the eighth-site check copies a git checkout")?;
    let mut copied = 0;
    for name in listed.split('\0').filter(|name| !name.is_empty()) {
        let from = root.join(name);
        if !from.is_file() {
            continue; // deleted in the working tree
        }
        let to = copy.join(name);
        fs::create_dir_all(to.parent().context("a file has a folder")?)?;
        fs::copy(&from, &to).with_context(|| format!("copy {name}"))?;
        copied += 1;
    }
    ensure!(copied > 0, "git listed no files in {}", root.display());
    Ok(copied)
}

/// The three documented edits, plus the copy's build tool under a name of its own.
fn add_site(copy: &Path) -> Result<()> {
    // 1. The site table.
    let table = copy.join("crate/core/src/site.rs");
    let source = fs::read_to_string(&table)?;
    let start = source
        .find("\nsites! {\n")
        .context("site.rs has no `sites! {` table")?;
    let end = start
        + source[start..]
            .find("\n}\n")
            .context("the site table does not end")?;
    fs::write(
        &table,
        format!("{}\n{TABLE_ENTRY}{}", &source[..end], &source[end..]),
    )?;

    // 2. The pack: LinkedIn's, for the throwaway host.
    let sitepacks = copy.join("extension/sitepacks");
    let mut pack: Value =
        serde_json::from_str(&fs::read_to_string(sitepacks.join("linkedin.json"))?)?;
    pack["site"] = json!(ID);
    pack["version"] = json!(1);
    pack["hosts"] = json!([HOST]);
    fs::write(
        sitepacks.join(format!("{ID}.json")),
        serde_json::to_string_pretty(&pack)? + "\n",
    )?;

    // 3. The fixture: its catalogue entry and its files.
    let sites = copy.join("tests/sites");
    let index_path = sites.join("index.json");
    let mut index: Value = serde_json::from_str(&fs::read_to_string(&index_path)?)?;
    let Some(entries) = index["sites"].as_array_mut() else {
        bail!("tests/sites/index.json has no list of sites");
    };
    entries.push(json!({
        "site": ID,
        "host": HOST,
        "pages": [{ "path": "/groups/42/", "title": "Throwaway Circle", "kind": "group", "view": "group" }],
        "hooks": {},
        "flows": {}
    }));
    fs::write(&index_path, serde_json::to_string_pretty(&index)? + "\n")?;
    let fixture = sites.join(HOST);
    fs::create_dir_all(&fixture)?;
    fs::write(
        fixture.join("index.html"),
        "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Throwaway \
         Groups</title><link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" \
         href=\"/style.css\"><script src=\"/app.js\" defer></script></head>\n<body><div \
         id=\"app\"><h1>Throwaway Circle</h1></div></body>\n</html>\n",
    )?;
    fs::write(
        fixture.join("app.js"),
        "// The throwaway site's fixture: a group page.\n",
    )?;
    fs::write(
        fixture.join("style.css"),
        "body { font-family: sans-serif; }\n",
    )?;

    // Not site edits: the copy's crates get names of their own in the shared `target/`.
    let workspace = copy.join("Cargo.toml");
    let manifest = fs::read_to_string(&workspace)?;
    let versioned: Vec<String> = manifest
        .lines()
        .map(|line| match line.strip_prefix("version = \"") {
            Some(rest) => format!(
                "version = \"{}{COPY_VERSION_SUFFIX}\"",
                rest.trim_end_matches('"')
            ),
            None => line.to_owned(),
        })
        .collect();
    ensure!(
        manifest
            .lines()
            .any(|line| line.starts_with("version = \"")),
        "Cargo.toml has no workspace version"
    );
    fs::write(&workspace, versioned.join("\n") + "\n")?;
    let tool = copy.join("crate/xtask/Cargo.toml");
    let manifest = fs::read_to_string(&tool)?;
    fs::write(
        &tool,
        format!("{manifest}\n[[bin]]\nname = \"{COPY_TOOL}\"\npath = \"src/main.rs\"\n"),
    )?;
    Ok(())
}
