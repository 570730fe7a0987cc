//! When the content script reads the page: the scan scheduler's states and transitions, as a
//! pure state machine. The glue feeds it events (a page change, a frame, a timer, the user
//! acting) with the time, and carries out the [`Steps`] it answers (scan now, ask for a frame,
//! set the quiet timer, switch the page observer on or off).
//!
//! - While the user acts (a click or input in the last [`HOT_MS`]), or a dialog of the pack or
//!   the gate is open, every change is urgent: scanned at once in the observer's callback (at
//!   most once per frame, so a warning shows in the frame of the tick that caused it), and
//!   again in the next frame if it changed after that scan.
//! - Otherwise a change is the page living its own life (a feed loading, a chat receiving
//!   messages): one scan after [`QUIET_SCAN_MS`] covers every change in between.
//! - A page that keeps changing on its own (each quiet scan follows the one before at once,
//!   [`BUSY_AFTER`] times in a row) costs the browser a record per change for as long as it is
//!   observed, thousands a second on a recycling feed: such a page is polled instead. The
//!   observer goes off and the page is scanned every [`POLL_MS`]; each poll switches the
//!   observer on again as a probe: a change before the next poll is due switches it off again,
//!   a page calm for a whole poll period is observed as before. Any click or input, or an open
//!   dialog, ends polling at once.
//!
//! Layer: domain (imports only the leaves and other domain modules; the map is in `lib.rs`).

/// How long after a click or input every page change is scanned in the next frame.
pub const HOT_MS: f64 = 2_000.0;
/// Delay of the scan after page changes nobody caused.
pub const QUIET_SCAN_MS: i32 = 250;
/// After this many quiet scans in a row, each following the last one at once, the page is busy
/// on its own.
pub const BUSY_AFTER: u32 = 3;
/// While the page is busy on its own the observer is off and the page is scanned this often.
pub const POLL_MS: i32 = 1_000;

/// What the glue does after an event, in this order: scan now, ask for an animation frame,
/// switch the observer on or off, set the quiet timer (ms).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Steps {
    pub scan_now: bool,
    pub request_frame: bool,
    pub connect: bool,
    pub disconnect: bool,
    pub timer: Option<i32>,
}

impl Steps {
    fn and(mut self, other: Steps) -> Steps {
        self.scan_now |= other.scan_now;
        self.request_frame |= other.request_frame;
        self.connect |= other.connect;
        self.disconnect |= other.disconnect;
        self.timer = self.timer.or(other.timer);
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scheduler {
    /// An animation frame is requested.
    scheduled: bool,
    /// The quiet timer is set.
    quiet_pending: bool,
    /// The page is busy on its own: the observer is off between polls.
    polling: bool,
    /// When the observer was switched on again after a poll, to see whether the page calmed.
    probe_since: f64,
    /// Quiet scans in a row that followed the one before at once, and when the last one ran.
    quiet_streak: u32,
    last_quiet_at: f64,
    /// The observer scanned since the last frame.
    scanned_in_frame: bool,
    /// The page changed after that scan.
    dirty: bool,
    /// Until then every page change is urgent: the user just acted.
    hot_until: f64,
}

impl Default for Scheduler {
    fn default() -> Self {
        Scheduler {
            scheduled: false,
            quiet_pending: false,
            polling: false,
            probe_since: 0.0,
            quiet_streak: 0,
            last_quiet_at: f64::NEG_INFINITY,
            scanned_in_frame: false,
            dirty: false,
            hot_until: 0.0,
        }
    }
}

impl Scheduler {
    /// Whether the user acted (click, input, navigation) within the last [`HOT_MS`].
    pub fn acting(&self, now: f64) -> bool {
        now < self.hot_until
    }

    /// Whether the page is polled (busy on its own) rather than observed.
    pub fn polling(&self) -> bool {
        self.polling
    }

    /// The user acted (click, input, navigation): every change is urgent for a while, and
    /// polling ends before the site's own handler changes the page.
    pub fn heat(&mut self, now: f64) -> Steps {
        self.hot_until = now + HOT_MS;
        self.stop_polling()
    }

    /// Back to observing every change (the user acts, or a dialog of the pack is open).
    pub fn stop_polling(&mut self) -> Steps {
        self.quiet_streak = 0;
        let was_polling = std::mem::replace(&mut self.polling, false);
        Steps {
            connect: was_polling,
            ..Steps::default()
        }
    }

    /// One scan in the next animation frame (coalescing every trigger until then), even if the
    /// observer scanned in this frame: an event may change what a scan reads without a
    /// mutation (a checkbox's `checked`).
    pub fn schedule(&mut self) -> Steps {
        self.dirty = true;
        self.request_frame()
    }

    fn request_frame(&mut self) -> Steps {
        let request = !self.scheduled;
        self.scheduled = true;
        Steps {
            request_frame: request,
            ..Steps::default()
        }
    }

    fn quiet_timer(&mut self, delay: i32) -> Steps {
        if self.quiet_pending {
            return Steps::default();
        }
        self.quiet_pending = true;
        Steps {
            timer: Some(delay),
            ..Steps::default()
        }
    }

    /// The animation frame: whether to scan (not when the observer already scanned in this
    /// frame and nothing changed since).
    pub fn on_frame(&mut self) -> bool {
        self.scheduled = false;
        let run = !self.scanned_in_frame || self.dirty;
        self.scanned_in_frame = false;
        self.dirty = false;
        run
    }

    /// A page change seen by the observer. `urgent_anyway`: a dialog of the pack or the gate is
    /// open.
    pub fn on_mutation(&mut self, now: f64, urgent_anyway: bool) -> Steps {
        let urgent = urgent_anyway || now < self.hot_until;
        if urgent {
            let scan_now = !self.scanned_in_frame;
            if scan_now {
                self.scanned_in_frame = true;
                self.dirty = false;
            } else {
                self.dirty = true;
            }
            // The frame clears `scanned_in_frame` and scans what changed since.
            return Steps {
                scan_now,
                ..Steps::default()
            }
            .and(self.request_frame());
        }
        // Polling, and the probe saw a change: still busy, off until the next poll.
        let since_probe = now - self.probe_since;
        if self.polling && since_probe >= f64::from(POLL_MS) {
            // Calm for a whole poll period: observe as before.
            self.polling = false;
            self.quiet_streak = 0;
        }
        if self.polling {
            let wait = (f64::from(POLL_MS) - since_probe).max(0.0) as i32;
            return Steps {
                disconnect: true,
                ..Steps::default()
            }
            .and(self.quiet_timer(wait));
        }
        // A frame's scan already waiting reads this change too.
        if self.scheduled {
            return Steps::default();
        }
        self.quiet_timer(QUIET_SCAN_MS)
    }

    /// The quiet timer fired: a scan in the next frame; a poll switches the observer on as a
    /// probe; a page whose quiet scans keep following each other starts being polled.
    pub fn on_quiet(&mut self, now: f64) -> Steps {
        self.quiet_pending = false;
        let steps = if self.polling {
            self.probe_since = now;
            Steps {
                connect: true,
                ..Steps::default()
            }
        } else {
            let follows = now - self.last_quiet_at < f64::from(2 * QUIET_SCAN_MS);
            self.quiet_streak = if follows { self.quiet_streak + 1 } else { 1 };
            self.last_quiet_at = now;
            self.polling = self.quiet_streak >= BUSY_AFTER;
            if self.polling {
                Steps {
                    disconnect: true,
                    ..Steps::default()
                }
                .and(self.quiet_timer(POLL_MS))
            } else {
                Steps::default()
            }
        };
        steps.and(self.schedule())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page that changes on its own every `every` ms from `start`, the quiet timer firing
    /// when due and every frame run: returns the time at which polling started, if it did.
    fn run_busy_page(scheduler: &mut Scheduler, start: f64, until: f64, every: f64) -> Option<f64> {
        let mut now = start;
        let mut timer_at: Option<f64> = None;
        let mut observing = true;
        while now < until {
            if let Some(at) = timer_at.filter(|at| *at <= now) {
                timer_at = None;
                let steps = scheduler.on_quiet(at);
                if steps.request_frame {
                    scheduler.on_frame();
                }
                observing = (observing || steps.connect) && !steps.disconnect;
                if let Some(delay) = steps.timer {
                    timer_at = Some(at + f64::from(delay));
                }
                if scheduler.polling() {
                    return Some(at);
                }
            }
            if observing {
                let steps = scheduler.on_mutation(now, false);
                observing = !steps.disconnect;
                if let Some(delay) = steps.timer {
                    timer_at = Some(now + f64::from(delay));
                }
            }
            now += every;
        }
        None
    }

    #[test]
    fn a_quiet_change_is_scanned_after_a_delay_and_changes_in_between_share_it() {
        let mut s = Scheduler::default();
        let first = s.on_mutation(1_000.0, false);
        assert_eq!(first.timer, Some(QUIET_SCAN_MS));
        assert!(!first.scan_now && !first.request_frame);
        assert_eq!(
            s.on_mutation(1_010.0, false),
            Steps::default(),
            "the timer is set"
        );
        let quiet = s.on_quiet(1_250.0);
        assert!(quiet.request_frame);
        assert!(s.on_frame(), "the frame scans");
        assert!(!s.polling());
    }

    #[test]
    fn while_the_user_acts_a_change_is_scanned_at_once_then_once_more_in_the_frame() {
        let mut s = Scheduler::default();
        s.heat(1_000.0);
        let first = s.on_mutation(1_100.0, false);
        assert!(first.scan_now && first.request_frame);
        let second = s.on_mutation(1_101.0, false);
        assert!(
            !second.scan_now,
            "at most one scan in the observer per frame"
        );
        assert!(!second.request_frame, "the frame is requested already");
        assert!(
            s.on_frame(),
            "the frame reads what changed after the first scan"
        );
        let third = s.on_mutation(1_120.0, false);
        assert!(third.scan_now, "a new frame, a new scan in the observer");
        // The observer scanned and nothing changed since: the frame skips.
        let mut t = Scheduler::default();
        t.on_mutation(5_000.0, true);
        assert!(!t.on_frame());
        // After HOT_MS the user no longer counts as acting.
        let mut u = Scheduler::default();
        u.heat(0.0);
        assert_eq!(
            u.on_mutation(HOT_MS + 1.0, false).timer,
            Some(QUIET_SCAN_MS)
        );
    }

    #[test]
    fn a_page_busy_on_its_own_is_polled_and_a_click_ends_it() {
        let mut s = Scheduler::default();
        let started = run_busy_page(&mut s, 0.0, 5_000.0, 0.5).expect("polling starts");
        assert!(
            started <= f64::from(QUIET_SCAN_MS * (BUSY_AFTER as i32 + 1)),
            "after {BUSY_AFTER} quiet scans in a row: {started}"
        );
        assert!(s.polling());
        let steps = s.heat(started + 10.0);
        assert!(
            steps.connect,
            "a click switches the observer on again at once"
        );
        assert!(!s.polling());
    }

    #[test]
    fn a_poll_probes_and_a_calm_page_is_observed_again() {
        let mut s = Scheduler::default();
        let started = run_busy_page(&mut s, 0.0, 5_000.0, 0.5).unwrap();
        // The poll fires: the observer goes on as a probe.
        let poll = s.on_quiet(started + f64::from(POLL_MS));
        assert!(poll.connect && poll.request_frame);
        s.on_frame();
        // A change soon after: still busy, off until the next poll is due.
        let change = s.on_mutation(started + f64::from(POLL_MS) + 100.0, false);
        assert!(change.disconnect);
        assert_eq!(change.timer, Some(POLL_MS - 100));
        assert!(s.polling());
        // The next poll; then no change for a whole period: observed as before.
        s.on_quiet(started + 2.0 * f64::from(POLL_MS));
        s.on_frame();
        let late = s.on_mutation(started + 3.5 * f64::from(POLL_MS), false);
        assert!(!late.disconnect);
        assert!(!s.polling(), "calm for a whole poll period");
        assert_eq!(late.timer, Some(QUIET_SCAN_MS));
    }

    #[test]
    fn an_open_dialog_is_urgent_and_quiet_scans_far_apart_never_poll() {
        let mut s = Scheduler::default();
        let steps = s.on_mutation(10.0, true);
        assert!(steps.scan_now);
        let mut t = Scheduler::default();
        for i in 0..10 {
            let at = f64::from(i) * 5_000.0;
            t.on_mutation(at, false);
            t.on_quiet(at + f64::from(QUIET_SCAN_MS));
            t.on_frame();
        }
        assert!(
            !t.polling(),
            "a chat receiving a message now and then is observed"
        );
    }
}
