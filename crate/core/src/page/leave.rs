//! The leave side of a page: the leave confirmation and its confirm control, the platform's own
//! "prevent re-invites" switch, the control that starts leaving, and whether the page shows the
//! user as a member.

use super::{clickable, control_fits, find_control, names_of, select_in_document, Page, HEADINGS};
use crate::pack::{LeaveSpec, SitePack};

/// An open leave confirmation.
#[derive(Debug, Clone, PartialEq)]
pub struct LeaveDialog<N> {
    pub root: N,
    pub confirm: N,
    /// The platform's protection switch, when the pack knows one and the dialog shows it.
    pub protect: Option<N>,
}

impl<N: Clone + PartialEq> LeaveDialog<N> {
    /// The switch is shown and off.
    pub fn protection_off<P: Page<Node = N>>(&self, page: &P) -> bool {
        self.protect.as_ref().is_some_and(|switch| {
            page.attr(switch, "aria-checked").as_deref() != Some("true") && !page.is_checked(switch)
        })
    }

    /// Whether a click on `target` is a click on the confirm control (or the button around it).
    pub fn is_confirm<P: Page<Node = N>>(&self, page: &P, target: &N) -> bool {
        page.contains(&clickable(page, &self.root, &self.confirm), target)
    }
}

/// What the page says about the user's membership of the group it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Membership {
    Member,
    NotMember,
    Unknown,
}

impl Membership {
    /// The page says the user is out: the "not a member" control shows, or, for packs that know
    /// no such control, the member control is missing.
    pub fn is_out(self, pack: &SitePack) -> bool {
        let knows_not_member = pack
            .membership
            .as_ref()
            .is_some_and(|m| m.not_member.is_some());
        match self {
            Membership::NotMember => true,
            Membership::Unknown => !knows_not_member && pack.membership.is_some(),
            Membership::Member => false,
        }
    }
}

/// The open leave confirmation, if the page shows one. Its title is read from the accessible
/// name, a heading, or the pack's `label_selector` (a plain title element); the pack's label
/// must be contained in one of them.
pub fn read_leave_dialog<P: Page>(page: &P, pack: &SitePack) -> Option<LeaveDialog<P::Node>> {
    let spec = pack.leave.as_ref()?;
    select_in_document(page, &spec.root)
        .into_iter()
        .filter(|root| page.is_shown(root) && page.attr(root, "data-ask-first").is_none())
        .filter(|root| label_fits(page, root, spec))
        .find_map(|root| {
            let confirm = find_control(page, &root, &spec.confirm)?;
            let protect = spec
                .protect_switch
                .as_ref()
                .and_then(|switch| find_control(page, &root, switch));
            Some(LeaveDialog {
                root,
                confirm,
                protect,
            })
        })
}

/// Whether a confirmation root's title contains the spec's label: its accessible name, a
/// heading, or the text of `label_selector`. Always, for a spec without a label.
pub(super) fn label_fits<P: Page>(page: &P, root: &P::Node, spec: &LeaveSpec) -> bool {
    let mut extra = vec![HEADINGS];
    extra.extend(spec.label_selector.as_deref());
    spec.label.is_none()
        || names_of(page, root, &extra)
            .iter()
            .any(|name| spec.label_matches(name))
}

/// The control that starts leaving (menu item or button), when the page shows it.
pub fn leave_start_control<P: Page>(page: &P, pack: &SitePack) -> Option<P::Node> {
    let spec = pack.leave.as_ref()?;
    page.root()
        .and_then(|root| find_control(page, &root, &spec.start))
}

/// Whether `target` is (inside) the control that starts leaving.
pub fn is_leave_start<P: Page>(page: &P, target: &P::Node, pack: &SitePack) -> bool {
    let Some(spec) = pack.leave.as_ref() else {
        return false;
    };
    let mut node = Some(target.clone());
    // The click may land on a child of the item: walk up a few levels.
    for _ in 0..4 {
        let Some(element) = node else { return false };
        if page.matches(&element, &spec.start.selector) && control_fits(page, &element, &spec.start)
        {
            return true;
        }
        node = page.parent(&element);
    }
    false
}

/// The member control, when shown (the "Joined" button that opens the group's menu on some
/// sites).
pub fn member_control<P: Page>(page: &P, pack: &SitePack) -> Option<P::Node> {
    let spec = pack.membership.as_ref()?;
    page.root()
        .and_then(|root| find_control(page, &root, &spec.member))
}

pub fn membership<P: Page>(page: &P, pack: &SitePack) -> Membership {
    let Some(spec) = pack.membership.as_ref() else {
        return Membership::Unknown;
    };
    let Some(root) = page.root() else {
        return Membership::Unknown;
    };
    if find_control(page, &root, &spec.member).is_some() {
        return Membership::Member;
    }
    if spec
        .not_member
        .as_ref()
        .is_some_and(|not_member| find_control(page, &root, not_member).is_some())
    {
        return Membership::NotMember;
    }
    Membership::Unknown
}

/// Whether `target` is (inside) the control that joins the group the page shows: the pack's
/// `membership.not_member` control, when it is something to click (a button or a link, or
/// inside one). A not-member line of text (WhatsApp's "you're no longer a participant") joins
/// nothing.
pub fn is_join_control<P: Page>(page: &P, target: &P::Node, pack: &SitePack) -> bool {
    let Some(spec) = pack.membership.as_ref().and_then(|m| m.not_member.as_ref()) else {
        return false;
    };
    let Some(root) = page.root() else {
        return false;
    };
    let Some(control) = find_control(page, &root, spec) else {
        return false;
    };
    let control = clickable(page, &root, &control);
    page.matches(&control, "button, [role=button], a[href]") && page.contains(&control, target)
}
