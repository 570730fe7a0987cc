//! Running other programs with their output passed through and a clear error when they fail.

use std::ffi::OsStr;
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};

use crate::root;

pub struct Cmd(Command);

impl Cmd {
    pub fn new(program: impl AsRef<OsStr>) -> Cmd {
        let mut command = Command::new(program);
        command.current_dir(root());
        Cmd(command)
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Cmd {
        self.0.arg(arg);
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(mut self, args: I) -> Cmd {
        self.0.args(args);
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Cmd {
        self.0.env(key, value);
        self
    }

    /// Runs the command in `dir` instead of the repository root.
    pub fn dir(mut self, dir: impl AsRef<std::path::Path>) -> Cmd {
        self.0.current_dir(dir);
        self
    }

    pub fn env_remove(mut self, key: &str) -> Cmd {
        self.0.env_remove(key);
        self
    }

    /// Runs the command, inheriting stdio; fails when it exits non-zero.
    pub fn run(mut self) -> Result<()> {
        let shown = format!("{:?}", self.0);
        let status = self
            .0
            .status()
            .with_context(|| format!("could not start {shown}"))?;
        if !status.success() {
            bail!("{shown} failed: {status}");
        }
        Ok(())
    }

    /// Runs the command and returns its stdout whatever its exit status (for tools that exit
    /// non-zero to report findings); `None` only when it cannot start.
    pub fn output_any(mut self) -> Option<String> {
        let output = self.0.output().ok()?;
        Some(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// Runs the command and returns whether it succeeded, with its stderr; `None` only when it
    /// cannot start.
    pub fn status_and_stderr(mut self) -> Option<(bool, String)> {
        let output = self.0.output().ok()?;
        Some((
            output.status.success(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ))
    }

    /// Runs the command and returns its stdout; `None` when it cannot start or fails.
    pub fn output(mut self) -> Option<String> {
        let output = self.0.output().ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
    }
}

pub fn cargo(args: &[&str]) -> Cmd {
    Cmd::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())).args(args)
}

pub fn node(args: &[&str]) -> Cmd {
    Cmd::new("node").args(args)
}

/// Runs one named step and prints how long it took.
pub fn step(name: &str, body: impl FnOnce() -> Result<()>) -> Result<()> {
    println!("\n==> {name}");
    let started = Instant::now();
    let result = body();
    let seconds = started.elapsed().as_secs_f64();
    match &result {
        Ok(()) => println!("==> {name}: ok ({seconds:.1} s)"),
        Err(err) => println!("==> {name}: FAILED after {seconds:.1} s: {err:#}"),
    }
    result.with_context(|| format!("step failed: {name}"))
}
