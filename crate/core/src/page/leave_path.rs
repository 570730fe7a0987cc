//! "Leave again": the way from a group's page to the site's own leave confirmation.
//!
//! The banner's "Leave again" clicks, for the user, what the pack says leads to the leave item
//! ([`crate::pack::LeaveSpec::steps`]: a "⋮" menu, a settings panel), then the leave item
//! (`start`). The site's confirmation that follows stays with the user: nothing here clicks it.
//!
//! [`LeaveRun`] decides one move at a time from what the page shows now, so the glue only
//! clicks and waits. The deepest thing shown wins: the leave item if it is there, else the
//! last step whose control is shown (a menu that is already open is not opened again), else an
//! earlier one. A step's alternatives are tried in order, each element at most once, and a
//! click gets [`STEP_WAIT_MS`] to show something deeper before the next candidate is tried; the
//! whole run ends after [`MAX_CLICKS`] clicks or [`RUN_MS`], so a page that never shows the
//! leave item gets a few harmless clicks on menu controls, not a loop.

use super::{leave_start_control, member_control, Page};
use crate::pack::{ControlSpec, SitePack};

/// How long a click on a step may take to show something deeper.
pub const STEP_WAIT_MS: f64 = 700.0;
/// How long a whole run may take.
pub const RUN_MS: f64 = 5_000.0;
/// Most clicks on steps in one run (the leave item's click not counted).
pub const MAX_CLICKS: usize = 6;

/// What to do next.
#[derive(Debug, Clone, PartialEq)]
pub enum LeaveMove<N> {
    /// Click this control on the way (a menu or settings control).
    Open(N),
    /// Click the leave item: the run is done, the site's confirmation is the user's.
    Start(N),
    /// Look again shortly.
    Wait,
    /// The leave item was not reached.
    GiveUp,
}

/// One "Leave again" run.
#[derive(Debug, Clone)]
pub struct LeaveRun<N> {
    started: f64,
    /// The elements clicked, with the step each was found for.
    clicked: Vec<(N, usize)>,
    /// The last click: its step and when.
    last: Option<(usize, f64)>,
    done: bool,
}

impl<N: Clone + PartialEq> LeaveRun<N> {
    pub fn new(now: f64) -> Self {
        LeaveRun {
            started: now,
            clicked: Vec::new(),
            last: None,
            done: false,
        }
    }

    /// The next move, from what `page` shows at `now`.
    pub fn next<P: Page<Node = N>>(&mut self, page: &P, pack: &SitePack, now: f64) -> LeaveMove<N> {
        if self.done {
            return LeaveMove::GiveUp;
        }
        if let Some(start) = leave_start_control(page, pack) {
            self.done = true;
            return LeaveMove::Start(start);
        }
        if now - self.started > RUN_MS || self.clicked.len() >= MAX_CLICKS {
            self.done = true;
            return LeaveMove::GiveUp;
        }
        let steps = steps_of(page, pack);
        // Right after a click, only something deeper counts: the clicked menu is opening.
        let recent = self
            .last
            .filter(|(_, at)| now - at < STEP_WAIT_MS)
            .map(|(step, _)| step);
        let lowest = recent.map_or(0, |step| step + 1);
        for (step, spec) in steps.iter().enumerate().skip(lowest).rev() {
            if let Some(node) = self.candidate(page, spec) {
                self.clicked.push((node.clone(), step));
                self.last = Some((step, now));
                return LeaveMove::Open(node);
            }
        }
        if steps.is_empty() && recent.is_none() {
            self.done = true;
            return LeaveMove::GiveUp;
        }
        // A menu still opening, or a page still rendering its header: until the run's time is up.
        LeaveMove::Wait
    }

    /// The first shown element of the step's alternatives, in order, not clicked yet.
    fn candidate<P: Page<Node = N>>(&self, page: &P, step: &[ControlSpec]) -> Option<N> {
        let root = page.root()?;
        step.iter().find_map(|spec| {
            page.select(&root, &spec.selector)
                .into_iter()
                .filter(|node| !self.clicked.iter().any(|(done, _)| done == node))
                .find(|node| super::control_fits(page, node, spec) && page.is_shown(node))
        })
    }
}

/// The steps the run walks: the pack's, or, for a pack without any, the member control when it
/// says it opens a menu (Facebook's "Joined"). A plain member control may be something else
/// entirely (Discord's "Add Friends to DM") and is never clicked.
fn steps_of<P: Page>(page: &P, pack: &SitePack) -> Vec<Vec<ControlSpec>> {
    let Some(leave) = pack.leave.as_ref() else {
        return Vec::new();
    };
    if !leave.steps.is_empty() {
        return leave.steps.iter().map(|step| step.any.clone()).collect();
    }
    let opens_menu =
        member_control(page, pack).is_some_and(|member| page.matches(&member, MENU_BUTTON));
    match (opens_menu, pack.membership.as_ref()) {
        (true, Some(membership)) => vec![vec![ControlSpec {
            selector: membership.member.selector.clone(),
            text: membership.member.text.clone(),
        }]],
        _ => Vec::new(),
    }
}

/// A control that says it opens a menu.
pub const MENU_BUTTON: &str = "[aria-haspopup]:not([aria-haspopup=false])";
