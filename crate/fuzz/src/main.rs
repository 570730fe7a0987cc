//! `ask-first-fuzz [--inputs N] [--seed S] [--target import|pack] [--jobs N] [--out DIR]
//! [--replay FILE] [--dump INDEX]`
//!
//! Run through `cargo xtask fuzz`, which builds it with the `fuzz` profile (optimised, with
//! overflow checks and debug assertions, panics unwinding so the hook can save the input).

use std::path::PathBuf;
use std::process::ExitCode;

use ask_first_fuzz::targets::TARGETS;
use ask_first_fuzz::{fuzz, install_panic_hook, replay, set_out_dir};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| {
        args.iter()
            .position(|arg| arg == name)
            .and_then(|at| args.get(at + 1))
            .cloned()
    };
    let inputs: u64 = match value("--inputs").map(|n| n.replace('_', "").parse()) {
        None => 1_000_000,
        Some(Ok(n)) => n,
        Some(Err(_)) => return usage("--inputs needs a number"),
    };
    let seed: u64 = match value("--seed").map(|n| n.parse()) {
        None => 1,
        Some(Ok(n)) => n,
        Some(Err(_)) => return usage("--seed needs a number"),
    };
    let only = value("--target");
    let targets: Vec<_> = TARGETS
        .iter()
        .filter(|t| only.as_deref().is_none_or(|only| only == t.name))
        .collect();
    if targets.is_empty() {
        return usage("unknown --target");
    }
    let out = value("--out").map_or_else(|| PathBuf::from("tests/.out/fuzz"), PathBuf::from);
    set_out_dir(out);
    install_panic_hook();

    if let Some(index) = value("--dump").and_then(|n| n.parse::<u64>().ok()) {
        for target in &targets {
            let input = ask_first_fuzz::input(target, seed, index);
            let path = std::env::temp_dir().join(format!("{}-{seed}-{index}.bin", target.name));
            if let Err(err) = std::fs::write(&path, input) {
                eprintln!("{}: {err}", path.display());
                return ExitCode::FAILURE;
            }
            println!("{}", path.display());
        }
        return ExitCode::SUCCESS;
    }

    if let Some(file) = value("--replay") {
        let [target] = targets.as_slice() else {
            return usage("--replay needs --target");
        };
        return match replay(target, &PathBuf::from(file)) {
            Ok(line) => {
                println!("{line}");
                ExitCode::SUCCESS
            }
            Err(failure) => {
                eprintln!("{failure}");
                ExitCode::FAILURE
            }
        };
    }

    // Workers share every target's inputs (input i goes to worker i mod workers), so the
    // machine's cores are used whatever the targets cost; the allocator counts per thread.
    let workers: u64 = match value("--jobs").map(|n| n.parse()) {
        None => std::thread::available_parallelism().map_or(1, |n| n.get() as u64),
        Some(Ok(n)) if n >= 1 => n,
        Some(_) => return usage("--jobs needs a number of at least 1"),
    };
    let results: Vec<Vec<_>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|worker| {
                let targets = &targets;
                std::thread::Builder::new()
                    .name(format!("fuzz-{worker}"))
                    .spawn_scoped(scope, move || {
                        targets
                            .iter()
                            .map(|target| {
                                let name = target.name;
                                let share = inputs / workers;
                                fuzz(target, seed, inputs, (worker, workers), &|done| {
                                    println!("fuzz {name}: worker {worker}: {done} of {share}")
                                })
                            })
                            .collect::<Vec<_>>()
                    })
                    .expect("a thread per worker")
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle.join().unwrap_or_else(|_| {
                    eprintln!("fuzz: FAILED: an input panicked (see above)");
                    Vec::new()
                })
            })
            .collect()
    });
    let mut failed = results.iter().any(|shares| shares.len() != targets.len());
    for (at, target) in targets.iter().enumerate() {
        let mut joined: Option<ask_first_fuzz::Summary> = None;
        for shares in &results {
            match shares.get(at) {
                Some(Ok(summary)) => {
                    joined = Some(match joined {
                        None => summary.clone(),
                        Some(so_far) => so_far.join(summary),
                    })
                }
                Some(Err(failure)) => {
                    eprintln!("{failure}");
                    failed = true;
                }
                None => {}
            }
        }
        match joined {
            Some(summary) if !failed => println!("{summary}"),
            _ => eprintln!("fuzz {}: FAILED", target.name),
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("{problem}");
    eprintln!(
        "usage: ask-first-fuzz [--inputs N] [--seed S] [--target import|pack] [--out DIR] \
         [--replay FILE] [--dump INDEX] [--jobs N]"
    );
    ExitCode::from(2)
}
