//! What the user did on a page, as opposed to what the page's own scripts did.
//!
//! The browser marks an event it made from real input as trusted (`isTrusted`); a script's
//! `element.click()` or `dispatchEvent(...)` is not. Only trusted input drives Ask First's own
//! controls (the gate, the re-add flag), records a leave or a rejoin from a click, or keeps the
//! scan scheduler hot. Two decisions outlive the event itself and are made here:
//!
//! - [`Pending`]: a click whose result the page shows a moment later (Slack's "Leave channel",
//!   which leaves at once; a "Join" button) counts only if the page shows that result within
//!   [`PENDING_MS`].
//! - [`Pass`]: the control the user let through in the gate ("I asked them – add now"). The
//!   content core clicks it once itself; a site that ignores such a script click (one that checks
//!   `isTrusted`) gets the user's next real click on it, within [`PASS_MS`], without the gate
//!   opening again.
//!
//! Layer: domain (imports only the leaves and other domain modules; the map is in `lib.rs`).

/// How long a pending click waits for the page to show its result.
pub const PENDING_MS: f64 = 15_000.0;

/// How long a real click on the control let through in the gate passes.
pub const PASS_MS: f64 = 10_000.0;

/// A user's click whose result the page has not shown yet.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending<T> {
    pub what: T,
    /// When the click happened (ms since the epoch).
    pub at: f64,
}

impl<T> Pending<T> {
    pub fn new(what: T, at: f64) -> Pending<T> {
        Pending { what, at }
    }

    /// Whether the click is too old for the page's result to be its result.
    pub fn expired(&self, now: f64) -> bool {
        let age = now - self.at;
        age.is_nan() || age > PENDING_MS
    }
}

/// Settles the pending click in `slot` against what the page shows now: an expired click is
/// dropped; one for which `shown` is true is taken out and returned (it happened); otherwise it
/// keeps waiting.
pub fn settle<T>(
    slot: &mut Option<Pending<T>>,
    now: f64,
    shown: impl FnOnce(&T) -> bool,
) -> Option<Pending<T>> {
    if slot.as_ref().is_some_and(|pending| pending.expired(now)) {
        *slot = None;
    }
    if slot.as_ref().is_some_and(|pending| shown(&pending.what)) {
        return slot.take();
    }
    None
}

/// The control the user let through in the gate.
#[derive(Debug, Clone, PartialEq)]
pub struct Pass {
    until: f64,
    /// The content core's own click on the control is still to come.
    own_click: bool,
}

/// What a click on the control let through does with its [`Pass`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassUse {
    /// It goes through; the pass stays for a real click (the core's own click passed).
    Through,
    /// It goes through; the pass is used up (the user's real click passed).
    ThroughAndDone,
    /// Not covered: the click is judged like any other.
    No,
}

impl Pass {
    /// The pass the user gave at `now`; the core's own click comes next.
    pub fn new(now: f64) -> Pass {
        Pass {
            until: now + PASS_MS,
            own_click: true,
        }
    }

    /// The core's own click was dispatched (whether or not the site acted on it): from now on
    /// only a real click passes.
    pub fn own_click_done(&mut self) {
        self.own_click = false;
    }

    /// Whether the pass has run out.
    pub fn expired(&self, now: f64) -> bool {
        self.until.is_nan() || now.is_nan() || now > self.until
    }

    /// A click on the control: `trusted` when the browser made it from real input. The core's
    /// own (untrusted) click passes once, while it is dispatched; a page script's click never;
    /// the user's real click once, before the pass runs out.
    pub fn admit(&mut self, trusted: bool, now: f64) -> PassUse {
        if !trusted {
            if std::mem::replace(&mut self.own_click, false) {
                return PassUse::Through;
            }
            return PassUse::No;
        }
        if self.expired(now) {
            return PassUse::No;
        }
        PassUse::ThroughAndDone
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_click_settles_when_the_page_shows_its_result_in_time() {
        let mut slot = Some(Pending::new("group", 1_000.0));
        assert_eq!(settle(&mut slot, 2_000.0, |_| false), None);
        assert!(slot.is_some(), "still waiting");
        assert_eq!(
            settle(&mut slot, 3_000.0, |g| *g == "group"),
            Some(Pending::new("group", 1_000.0)),
            "with the time of the click"
        );
        assert!(slot.is_none(), "taken out: it counts once");
        assert_eq!(settle(&mut slot, 3_100.0, |_| true), None);
    }

    #[test]
    fn a_pending_click_expires() {
        let mut slot = Some(Pending::new((), 1_000.0));
        assert_eq!(settle(&mut slot, 1_000.0 + PENDING_MS, |_| false), None);
        assert!(slot.is_some(), "at the limit it still waits");
        assert_eq!(settle(&mut slot, 1_001.0 + PENDING_MS, |_| true), None);
        assert!(slot.is_none(), "dropped once too old");
        // A clock that went backwards or a NaN time never makes an old click count.
        let mut slot = Some(Pending::new((), f64::NAN));
        assert_eq!(settle(&mut slot, 5_000.0, |_| true), None);
    }

    #[test]
    fn a_pending_click_for_something_else_keeps_waiting() {
        let mut slot = Some(Pending::new("a", 0.0));
        assert_eq!(settle(&mut slot, 10.0, |g| *g == "b"), None);
        assert_eq!(slot.as_ref().map(|p| p.what), Some("a"));
    }

    #[test]
    fn the_cores_own_click_passes_once_then_only_a_real_click() {
        let mut pass = Pass::new(0.0);
        assert_eq!(
            pass.admit(false, 1.0),
            PassUse::Through,
            "the core's own click"
        );
        assert_eq!(pass.admit(false, 2.0), PassUse::No, "a page script's click");
        assert_eq!(
            pass.admit(true, 3.0),
            PassUse::ThroughAndDone,
            "the user's click"
        );
    }

    #[test]
    fn a_script_click_after_the_cores_click_was_dispatched_never_passes() {
        let mut pass = Pass::new(0.0);
        pass.own_click_done();
        assert_eq!(pass.admit(false, 1.0), PassUse::No);
        assert_eq!(pass.admit(true, 2.0), PassUse::ThroughAndDone);
    }

    #[test]
    fn a_real_click_passes_only_while_the_pass_lasts() {
        let mut pass = Pass::new(1_000.0);
        pass.own_click_done();
        assert!(!pass.expired(1_000.0 + PASS_MS));
        assert_eq!(pass.admit(true, 1_001.0 + PASS_MS), PassUse::No);
        assert!(pass.expired(1_001.0 + PASS_MS));
        let mut pass = Pass::new(f64::NAN);
        assert_eq!(
            pass.admit(true, 0.0),
            PassUse::No,
            "a NaN time never passes"
        );
    }
}
