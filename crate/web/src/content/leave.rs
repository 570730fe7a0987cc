//! Reading the leave side of a page with the site pack: the leave confirmation and its confirm
//! control, the platform's own "prevent re-invites" switch, the control that starts leaving, and
//! whether the page shows the user as a member.

use ask_first_core::pack::{LeaveSpec, SitePack};
use web_sys::{Document, Element};

use super::extract::{
    control_fits, find_control, is_shown, select_all, select_all_in_document, text_of,
};

/// An open leave confirmation.
pub struct LeaveDialog {
    pub root: Element,
    pub confirm: Element,
    /// The platform's protection switch, when the pack knows one and the dialog shows it.
    pub protect: Option<Element>,
}

impl LeaveDialog {
    /// The switch is shown and off.
    pub fn protection_off(&self) -> bool {
        self.protect
            .as_ref()
            .is_some_and(|switch| switch.get_attribute("aria-checked").as_deref() != Some("true"))
    }

    /// Whether a click on `target` is a click on the confirm control (or the button around it).
    pub fn is_confirm(&self, target: &Element) -> bool {
        let clickable = self
            .confirm
            .closest("button, [role=button], a[href]")
            .ok()
            .flatten()
            .filter(|outer| self.root.contains(Some(outer)))
            .unwrap_or_else(|| self.confirm.clone());
        clickable.contains(Some(target))
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

fn label_fits(root: &Element, spec: &LeaveSpec) -> bool {
    if spec.label.is_none() {
        return true;
    }
    let mut candidates = Vec::new();
    if let Some(value) = root.get_attribute("aria-label") {
        candidates.push(value);
    }
    if let Some(ids) = root.get_attribute("aria-labelledby") {
        if let Some(document) = root.owner_document() {
            for id in ids.split_whitespace() {
                if let Some(element) = document.get_element_by_id(id) {
                    candidates.push(text_of(&element));
                }
            }
        }
    }
    candidates.extend(
        select_all(root, "h1, h2, h3, [role=heading]")
            .iter()
            .take(4)
            .map(text_of),
    );
    if let Some(selector) = &spec.label_selector {
        candidates.extend(select_all(root, selector).iter().take(4).map(text_of));
    }
    candidates.iter().any(|text| spec.label_matches(text))
}

/// The open leave confirmation, if the page shows one.
pub fn read_leave_dialog(document: &Document, pack: &SitePack) -> Option<LeaveDialog> {
    let spec = pack.leave.as_ref()?;
    select_all_in_document(document, &spec.root)
        .into_iter()
        .filter(|root| is_shown(root) && root.get_attribute("data-ask-first").is_none())
        .filter(|root| label_fits(root, spec))
        .find_map(|root| {
            let confirm = find_control(&root, &spec.confirm)?;
            let protect = spec
                .protect_switch
                .as_ref()
                .and_then(|switch| find_control(&root, switch));
            Some(LeaveDialog {
                root,
                confirm,
                protect,
            })
        })
}

/// The control that starts leaving (menu item or button), when the page shows it.
pub fn start_control(document: &Document, pack: &SitePack) -> Option<Element> {
    let spec = pack.leave.as_ref()?;
    document
        .document_element()
        .and_then(|root| find_control(&root, &spec.start))
}

/// Whether `target` is (inside) the control that starts leaving.
pub fn is_start(target: &Element, pack: &SitePack) -> bool {
    let Some(spec) = pack.leave.as_ref() else {
        return false;
    };
    let mut node = Some(target.clone());
    // The click may land on a child of the item: walk up a few levels.
    for _ in 0..4 {
        let Some(element) = node else { return false };
        if element.matches(&spec.start.selector).unwrap_or(false)
            && control_fits(&element, &spec.start)
        {
            return true;
        }
        node = element.parent_element();
    }
    false
}

/// The member control, when shown (the "Joined" button that opens the group's menu on some
/// sites).
pub fn member_control(document: &Document, pack: &SitePack) -> Option<Element> {
    let spec = pack.membership.as_ref()?;
    document
        .document_element()
        .and_then(|root| find_control(&root, &spec.member))
}

pub fn membership(document: &Document, pack: &SitePack) -> Membership {
    let Some(spec) = pack.membership.as_ref() else {
        return Membership::Unknown;
    };
    let Some(root) = document.document_element() else {
        return Membership::Unknown;
    };
    if find_control(&root, &spec.member).is_some() {
        return Membership::Member;
    }
    if spec
        .not_member
        .as_ref()
        .is_some_and(|not_member| find_control(&root, not_member).is_some())
    {
        return Membership::NotMember;
    }
    Membership::Unknown
}
