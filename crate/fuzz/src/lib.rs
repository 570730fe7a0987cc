//! Ask First's in-house fuzzer for the core's parsers of untrusted files, on stable Rust.
//!
//! Targets ([`targets::TARGETS`]): `import` (`transfer::import`, an export file the user picks)
//! and `pack` (`SitePack::parse`, a site pack the user imports). Inputs start from valid seeds
//! (a real export of a populated record, every bundled pack) and are mutated structurally and
//! byte by byte, or generated from the seeds' vocabulary, or are random bytes
//! ([`mutate::Corpus`]); each is a pure function of the run's seed, the target and its index.
//!
//! Each input must: not panic (a panic hook saves the input before the run fails), end in `Ok`
//! or a short clear error, pass the target's checks on what it accepted, stay within
//! [`memory_bound`] of peak live heap (a counting global allocator, [`alloc`]) and within
//! [`TIME_BOUND`]. A failing input is written to the output folder and the run fails.

pub mod alloc;
pub mod mutate;
pub mod rng;
pub mod targets;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use mutate::Corpus;
use rng::Rng;
use targets::{Target, Verdict};

/// Peak live heap allowed for one input of `len` bytes: 64 bytes per input byte plus 4 MiB.
///
/// Why: a `serde_json::Value` node takes 32 bytes (80 with its map entry) and can come from two
/// bytes of input (`0,`), so one parsed tree may cost 16 to 40 times the input; import holds the
/// tree, a clone of each entry while decoding it, and the typed record, and vectors grow by
/// doubling. The fixed 4 MiB covers what does not scale with the input: the current record a
/// merge clones, the export of the result and its re-import, the storage round trip. Measured
/// peaks stay well below (the summary prints the highest share of the bound reached); an input
/// whose cost grows faster than its size, quadratically, or by a constant far above the state
/// the extension keeps, fails.
pub fn memory_bound(len: usize) -> usize {
    len.saturating_mul(64).saturating_add(4 << 20)
}

/// Longest time one input may take. Generous, because the machine may be shared; the summary
/// prints the slowest input, which is far below.
pub const TIME_BOUND: Duration = Duration::from_secs(2);

/// What one target's run found.
#[derive(Debug, Clone)]
pub struct Summary {
    pub target: &'static str,
    pub seed: u64,
    pub inputs: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub bytes: u64,
    pub elapsed: Duration,
    /// Highest peak live heap of one input, that input's index and length.
    pub peak: (usize, u64, usize),
    /// Highest share of [`memory_bound`] one input used, in percent, with its index.
    pub worst_share: (f64, u64),
    /// Slowest input: its time, index and length.
    pub slowest: (Duration, u64, usize),
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secs = self.elapsed.as_secs_f64();
        write!(
            f,
            "fuzz {}: {} inputs (seed {}) in {:.1} s, {:.0}/s, {:.1} MiB; accepted {}, rejected {}; \
             peak memory {} (input #{}, {}), highest share of the bound (64 x input + 4 MiB) {:.1} % \
             (input #{}); slowest input {:.2} ms (input #{}, {})",
            self.target,
            self.inputs,
            self.seed,
            secs,
            self.inputs as f64 / secs.max(1e-9),
            self.bytes as f64 / 1048576.0,
            self.accepted,
            self.rejected,
            size(self.peak.0),
            self.peak.1,
            size(self.peak.2),
            self.worst_share.0,
            self.worst_share.1,
            self.slowest.0.as_secs_f64() * 1000.0,
            self.slowest.1,
            size(self.slowest.2),
        )
    }
}

fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MiB", bytes as f64 / 1048576.0)
    } else if bytes >= 1 << 10 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{bytes} B")
    }
}

/// A failed input, saved for replay.
#[derive(Debug)]
pub struct Failure {
    pub target: &'static str,
    pub index: u64,
    pub problem: String,
    pub saved: Option<PathBuf>,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "fuzz {}: input #{} failed: {}",
            self.target, self.index, self.problem
        )?;
        if let Some(path) = &self.saved {
            write!(
                f,
                "\n  saved to {}; replay: cargo xtask fuzz --target {} --replay {}",
                path.display(),
                self.target,
                path.display()
            )?;
        }
        Ok(())
    }
}

thread_local! {
    /// The input being run on this thread, for the panic hook.
    static CURRENT: RefCell<Option<(&'static str, u64, Vec<u8>)>> = const { RefCell::new(None) };
}

static OUT_DIR: OnceLock<PathBuf> = OnceLock::new();

/// Where failing inputs are written.
pub fn set_out_dir(dir: PathBuf) {
    let _ = OUT_DIR.set(dir);
}

fn save(target: &str, index: u64, input: &[u8]) -> Option<PathBuf> {
    let dir = OUT_DIR.get()?;
    std::fs::create_dir_all(dir).ok()?;
    let path = dir.join(format!("{target}-input-{index}.bin"));
    std::fs::write(&path, input).ok()?;
    Some(path)
}

fn preview(input: &[u8]) -> String {
    let text = String::from_utf8_lossy(&input[..input.len().min(600)]);
    format!("{text:?}{}", if input.len() > 600 { " …" } else { "" })
}

/// Installs a panic hook that saves the input being run (if any) and says how to replay it,
/// then lets the default hook print the panic. The run then fails: nothing catches the panic.
pub fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        STOP.store(true, Ordering::Relaxed);
        let _ = CURRENT.try_with(|current| {
            if let Ok(current) = current.try_borrow() {
                if let Some((target, index, input)) = current.as_ref() {
                    let saved = save(target, *index, input);
                    eprintln!(
                        "fuzz {target}: input #{index} ({} bytes) PANICKED: {}",
                        input.len(),
                        preview(input)
                    );
                    if let Some(path) = saved {
                        eprintln!(
                            "  saved to {}; replay: cargo xtask fuzz --target {target} --replay {}",
                            path.display(),
                            path.display()
                        );
                    }
                }
            }
        });
        default(info);
    }));
}

/// Runs one input through a target with every check, measuring heap and time.
pub fn check_one(
    target: &Target,
    index: u64,
    input: Vec<u8>,
) -> Result<(Verdict, usize, Duration, Vec<u8>), Failure> {
    let len = input.len();
    CURRENT.with(|current| *current.borrow_mut() = Some((target.name, index, input)));
    let outcome = CURRENT.with(|current| {
        let current = current.borrow();
        let input = &current.as_ref().expect("set above").2;
        let started = Instant::now();
        let (result, peak) = alloc::measure(|| (target.run)(input));
        (result, peak, started.elapsed())
    });
    let input = CURRENT
        .with(|current| current.borrow_mut().take())
        .map(|(_, _, input)| input)
        .unwrap_or_default();
    let (result, peak, took) = outcome;
    let verdict = match result {
        Err(problem) => Err(problem),
        Ok(_) if peak > memory_bound(len) => Err(format!(
            "peak heap {} for a {}-byte input, above the bound of {}",
            size(peak),
            len,
            size(memory_bound(len))
        )),
        Ok(_) if took > TIME_BOUND => Err(format!(
            "took {:.0} ms, above the bound of {} ms",
            took.as_secs_f64() * 1000.0,
            TIME_BOUND.as_millis()
        )),
        Ok(verdict) => Ok(verdict),
    };
    match verdict {
        Ok(verdict) => Ok((verdict, peak, took, input)),
        Err(problem) => Err(Failure {
            target: target.name,
            index,
            problem: format!("{problem}\n  input: {}", preview(&input)),
            saved: save(target.name, index, &input),
        }),
    }
}

/// Input `index` of a run of `target` with `seed` (what `--dump` writes).
pub fn input(target: &Target, seed: u64, index: u64) -> Vec<u8> {
    let corpus = Corpus::new(&(target.seeds)(), target.max_len);
    match corpus.seeds().get(index as usize) {
        Some(seed) => seed.clone(),
        None => corpus.generate(&mut Rng::for_input(seed, target.name, index)),
    }
}

/// Set when an input failed on any thread: the others stop at their next input.
pub static STOP: AtomicBool = AtomicBool::new(false);

/// Runs this worker's share of `inputs` inputs of one target: the indices `worker`,
/// `worker + workers`, …; index 0 up are the target's seeds as they are, then generated ones.
/// `progress` is called now and then with the number of inputs this worker has done.
pub fn fuzz(
    target: &Target,
    seed: u64,
    inputs: u64,
    (worker, workers): (u64, u64),
    progress: &dyn Fn(u64),
) -> Result<Summary, Failure> {
    let corpus = Corpus::new(&(target.seeds)(), target.max_len);
    let seeds = corpus.seeds().len() as u64;
    let started = Instant::now();
    let mut summary = Summary::empty(target.name, seed);
    for index in (worker..inputs).step_by(workers.max(1) as usize) {
        if STOP.load(Ordering::Relaxed) {
            break;
        }
        let input = if index < seeds {
            corpus.seeds()[index as usize].clone()
        } else {
            corpus.generate(&mut Rng::for_input(seed, target.name, index))
        };
        let len = input.len();
        let (verdict, peak, took, _) = check_one(target, index, input).inspect_err(|_| {
            STOP.store(true, Ordering::Relaxed);
        })?;
        if index < seeds && verdict != Verdict::Accepted {
            STOP.store(true, Ordering::Relaxed);
            return Err(Failure {
                target: target.name,
                index,
                problem: "a seed (a valid document) was rejected".into(),
                saved: None,
            });
        }
        match verdict {
            Verdict::Accepted => summary.accepted += 1,
            Verdict::Rejected => summary.rejected += 1,
        }
        summary.inputs += 1;
        summary.bytes += len as u64;
        if peak > summary.peak.0 {
            summary.peak = (peak, index, len);
        }
        let share = peak as f64 * 100.0 / memory_bound(len) as f64;
        if share > summary.worst_share.0 {
            summary.worst_share = (share, index);
        }
        if took > summary.slowest.0 {
            summary.slowest = (took, index, len);
        }
        if summary.inputs.is_multiple_of(100_000) {
            progress(summary.inputs);
        }
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

impl Summary {
    fn empty(target: &'static str, seed: u64) -> Summary {
        Summary {
            target,
            seed,
            inputs: 0,
            accepted: 0,
            rejected: 0,
            bytes: 0,
            elapsed: Duration::ZERO,
            peak: (0, 0, 0),
            worst_share: (0.0, 0),
            slowest: (Duration::ZERO, 0, 0),
        }
    }

    /// Two workers' shares of one target as one summary (the time is the longer one's).
    pub fn join(mut self, other: &Summary) -> Summary {
        self.inputs += other.inputs;
        self.accepted += other.accepted;
        self.rejected += other.rejected;
        self.bytes += other.bytes;
        self.elapsed = self.elapsed.max(other.elapsed);
        if other.peak.0 > self.peak.0 {
            self.peak = other.peak;
        }
        if other.worst_share.0 > self.worst_share.0 {
            self.worst_share = other.worst_share;
        }
        if other.slowest.0 > self.slowest.0 {
            self.slowest = other.slowest;
        }
        self
    }
}

/// Runs one saved input through a target with every check.
pub fn replay(target: &Target, path: &Path) -> Result<String, String> {
    let input = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let len = input.len();
    match check_one(target, 0, input) {
        Ok((verdict, peak, took, _)) => Ok(format!(
            "fuzz {}: {} ({len} bytes): {verdict:?}, peak heap {}, {:.2} ms",
            target.name,
            path.display(),
            size(peak),
            took.as_secs_f64() * 1000.0
        )),
        Err(failure) => Err(failure.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_progress(_: u64) {}

    #[test]
    fn a_short_run_accepts_and_rejects_on_both_targets() {
        for target in &targets::TARGETS {
            let first =
                fuzz(target, 1, 1_500, (0, 2), &no_progress).unwrap_or_else(|f| panic!("{f}"));
            let second =
                fuzz(target, 1, 1_500, (1, 2), &no_progress).unwrap_or_else(|f| panic!("{f}"));
            assert_eq!((first.inputs, second.inputs), (750, 750));
            let summary = first.join(&second);
            assert_eq!(summary.inputs, 1_500);
            assert_eq!(summary.accepted + summary.rejected, 1_500);
            assert!(summary.accepted >= 4, "{summary}");
            assert!(summary.rejected >= 100, "{summary}");
            assert!(summary
                .to_string()
                .starts_with(&format!("fuzz {}: 1500 inputs", target.name)));
        }
    }

    fn hog(input: &[u8]) -> Result<Verdict, String> {
        // Quadratic memory: what the bound is there to catch.
        let waste = vec![0u8; input.len() * input.len() + (5 << 20)];
        Ok(if waste.is_empty() {
            Verdict::Rejected
        } else {
            Verdict::Accepted
        })
    }

    fn failing(input: &[u8]) -> Result<Verdict, String> {
        if input.len() > 10 {
            Err("too long for this test".into())
        } else {
            Ok(Verdict::Rejected)
        }
    }

    #[test]
    fn the_memory_bound_and_failed_checks_fail_the_run_and_save_the_input() {
        let dir = std::env::temp_dir().join(format!("ask-first-fuzz-test-{}", std::process::id()));
        set_out_dir(dir.clone());
        let target = Target {
            name: "hog",
            seeds: targets::pack_seeds,
            max_len: 100,
            run: hog,
        };
        let failure = check_one(&target, 7, b"0123456789".to_vec()).unwrap_err();
        assert!(
            failure.problem.contains("above the bound"),
            "{}",
            failure.problem
        );
        let saved = failure.saved.expect("saved");
        assert_eq!(std::fs::read(&saved).unwrap(), b"0123456789");

        let target = Target {
            name: "failing",
            seeds: targets::pack_seeds,
            max_len: 100,
            run: failing,
        };
        assert!(check_one(&target, 1, b"short".to_vec()).is_ok());
        let failure = check_one(&target, 2, b"far too long input".to_vec()).unwrap_err();
        assert!(failure.to_string().contains("too long for this test"));
        assert!(replay(&target, &failure.saved.unwrap()).is_err());
        let _ = std::fs::remove_dir_all(dir);
    }

    /// Fuzz `import` input #19949 (seed 1): an incident whose id was 1.1 MB of nested
    /// one-member objects. Parsed into a `Value` tree first, it took 90.8 MiB (86 times the
    /// input); read as raw members and typed entries, it stays far below the bound.
    #[test]
    fn one_member_objects_do_not_multiply_the_memory_of_an_import() {
        let target = &targets::TARGETS[0];
        let nested = "{\"a\":[".repeat(60) + "0" + &"]}".repeat(60);
        let mut entries = Vec::new();
        while entries.len() * nested.len() < 1 << 20 {
            entries.push(nested.as_str());
        }
        let flat = vec!["{\"x\":1}"; 50_000].join(",");
        for (name, body) in [
            ("nested", format!("[{{\"id\":[{}]}}]", entries.join(","))),
            ("flat", format!("[{flat}]")),
        ] {
            let file = format!(
                "{{\"format\":\"ask-first-export\",\"version\":1,\"record\":{{\"incidents\":{body}}},\
                 \"settings\":{{\"trusted_groups\":[{flat}]}}}}"
            );
            let len = file.len();
            // Measured here rather than through `check_one`: a debug build is too slow for the
            // time bound.
            let (result, peak) = alloc::measure(|| (target.run)(file.as_bytes()));
            assert_eq!(result, Ok(Verdict::Accepted), "{name}");
            assert!(
                peak < memory_bound(len) / 2,
                "{name}: {peak} bytes for {len}"
            );
        }
    }

    #[test]
    fn the_bound_grows_with_the_input() {
        assert_eq!(memory_bound(0), 4 << 20);
        assert_eq!(memory_bound(1 << 20), (64 << 20) + (4 << 20));
    }
}
