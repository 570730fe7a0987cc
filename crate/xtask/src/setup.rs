//! Installs what the build and the tests need, only where it is missing, so it is cheap to run
//! again. Everything comes from the registries this project may use: rustup's target and std
//! source, Debian's packages, crates.io (geckodriver) and npm (`npm ci` from the committed lock
//! file).

use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::root;
use crate::run::{self, Cmd};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const STD_SOURCE: &str = "rust-src";
const GECKODRIVER_VERSION: &str = "0.37.1";

/// (program that must exist, Debian package that provides it)
const DEBIAN: &[(&str, &str)] = &[
    ("/usr/bin/chromium", "chromium"),
    ("/usr/bin/chromedriver", "chromium-driver"),
    ("/usr/bin/firefox-esr", "firefox-esr"),
    ("/usr/bin/openssl", "openssl"),
    ("/usr/bin/node", "nodejs"),
    ("/usr/bin/npm", "npm"),
];

pub fn setup() -> Result<()> {
    run::step("setup", || {
        rustup_add("target", WASM_TARGET)?;
        rustup_add("component", STD_SOURCE)?;
        debian_packages()?;
        geckodriver()?;
        npm_packages()
    })
}

/// Adds a rustup `target` or `component` unless it is installed. The wasm target builds the
/// extension; the `rust-src` component is the std the content core's build compiles for size
/// (see `dist::Std::RebuiltForSize`).
fn rustup_add(kind: &str, name: &str) -> Result<()> {
    let installed = Cmd::new("rustup")
        .args([kind, "list", "--installed"])
        .output()
        .unwrap_or_default();
    if installed.lines().any(|line| line.trim() == name) {
        return Ok(());
    }
    println!("setup: adding the {name} {kind}");
    Cmd::new("rustup").args([kind, "add", name]).run()
}

fn debian_packages() -> Result<()> {
    let missing: Vec<&str> = DEBIAN
        .iter()
        .filter(|(program, _)| !Path::new(program).exists())
        .map(|(_, package)| *package)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    println!("setup: installing Debian packages {}", missing.join(" "));
    let as_root = Cmd::new("id").arg("-u").output().map(|id| id.trim() == "0");
    let (program, prefix): (&str, &[&str]) = if as_root == Some(true) {
        ("apt-get", &[])
    } else if Path::new("/usr/bin/sudo").exists() {
        ("sudo", &["apt-get"])
    } else {
        bail!(
            "missing Debian packages ({}) and no root or sudo to install them",
            missing.join(" ")
        );
    };
    let apt = |args: &[&str]| {
        Cmd::new(program)
            .args(prefix)
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
    };
    apt(&["update", "-qq"]).run()?;
    apt(&["install", "-y", "-qq", "--no-install-recommends"])
        .args(&missing)
        .run()
        .context("apt-get install failed")
}

fn geckodriver() -> Result<()> {
    let version = Cmd::new("geckodriver").arg("--version").output();
    if version.is_some_and(|text| text.contains(GECKODRIVER_VERSION)) {
        return Ok(());
    }
    println!("setup: building geckodriver {GECKODRIVER_VERSION} from crates.io (about 3 minutes)");
    run::cargo(&["install", "geckodriver", "--version", GECKODRIVER_VERSION])
        // A workspace target dir from the environment would be shared with the project build.
        .env_remove("CARGO_TARGET_DIR")
        .run()
}

fn npm_packages() -> Result<()> {
    let root = root();
    let lock = root.join("package-lock.json");
    let installed = root.join("node_modules/.package-lock.json");
    let fresh = match (lock.metadata(), installed.metadata()) {
        (Ok(lock), Ok(installed)) => installed.modified()? >= lock.modified()?,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    println!("setup: installing npm packages from package-lock.json");
    Cmd::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .run()
}
