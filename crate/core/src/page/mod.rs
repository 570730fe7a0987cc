//! Reading a page with a site pack: which add dialog is open and what it shows, the leave
//! confirmation, membership, system messages, and, when the pack reads nothing, the page's
//! structure ([`structure`]).
//!
//! The reading is written once, over the [`Page`] trait: the content script's glue implements
//! it over the live DOM, the tests over parsed HTML snippets of the real sites. So every
//! decision about a page is made here and tested natively; the glue only answers DOM questions.
//!
//! Layer: domain (imports only the leaves and other domain modules; the map is in `lib.rs`).

pub mod check;
mod dialog;
mod leave;
pub mod leave_path;
mod messages;
pub mod structure;

pub use dialog::{
    entry_present, may_be_confirm, page_group_name, read_dialog, DialogFacts, DialogReader,
};
pub use leave::{
    is_join_control, is_leave_start, leave_start_control, member_control, membership,
    read_leave_dialog, LeaveDialog, Membership,
};
pub use messages::{
    fingerprint, left_then_added, literal_pieces, newest_addition, newest_invitation,
    read_messages, self_name, sighting_id, time_key, Message, SightingKind,
};

use crate::model::collapse_to;
use crate::pack::{
    is_icon_token, texts_contain, texts_match, ControlSpec, DialogKindSpec, SitePack, ICON_SELECTOR,
};
use crate::rules::DialogKind;

/// An open add dialog as the content core reads it: by a dialog of the site pack, or, when the
/// pack recognises none, by the page's structure.
#[derive(Debug, Clone, PartialEq)]
pub struct AddDialog<N> {
    pub root: N,
    pub read_by: ReadBy,
    pub kind: DialogKind,
    /// `None` when the pack's count sources could not be read.
    pub selected: Option<u32>,
    pub names: Vec<String>,
    /// The control that sends the add: the pack's confirm control, or the one control the
    /// structure tells with confidence.
    pub confirm: Option<N>,
    pub group_name: Option<String>,
}

/// What read an add dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadBy {
    /// The pack's dialog spec (its index and id).
    Pack { spec: usize, id: String },
    /// The page's structure ([`structure`]): the pack recognised no dialog.
    Structure { people: u32 },
}

impl ReadBy {
    /// A name for the dialog, to tell a platform's confirmation from the dialog before it
    /// ([`crate::rules::Approval`]).
    pub fn dialog_id(&self) -> &str {
        match self {
            ReadBy::Pack { id, .. } => id,
            ReadBy::Structure { .. } => "structure",
        }
    }
}

/// What the page reading remembers between scans.
#[derive(Debug, Clone)]
pub struct Reader<N> {
    pub dialogs: DialogReader<N>,
    pub structure: structure::StructureMemory<N>,
}

impl<N> Default for Reader<N> {
    fn default() -> Self {
        Reader {
            dialogs: DialogReader::default(),
            structure: structure::StructureMemory::default(),
        }
    }
}

/// The open add dialog: the pack's first, else (when `by_structure`) the people picker the
/// page's structure shows with the most people selected.
pub fn read_add_dialog<P: Page>(
    page: &P,
    pack: &SitePack,
    reader: &mut Reader<P::Node>,
    by_structure: bool,
) -> Option<AddDialog<P::Node>> {
    if let Some(facts) = read_dialog(page, pack, &mut reader.dialogs) {
        reader.structure.forget();
        return Some(AddDialog {
            read_by: ReadBy::Pack {
                spec: facts.spec,
                id: pack.dialogs[facts.spec].id.clone(),
            },
            root: facts.root,
            kind: facts.kind,
            selected: facts.selected,
            names: facts.names,
            confirm: facts.confirm,
            group_name: facts.group_name,
        });
    }
    if !by_structure {
        return None;
    }
    let containers = structure::gather(page, &mut reader.structure);
    let (container, picker) = containers
        .into_iter()
        .filter_map(|container| structure::judge(&container.facts).map(|p| (container, p)))
        .fold(
            None,
            |best: Option<(structure::Container<P::Node>, structure::Picker)>, next| match best {
                Some(best) if best.1.selected >= next.1.selected => Some(best),
                _ => Some(next),
            },
        )?;
    Some(AddDialog {
        read_by: ReadBy::Structure {
            people: picker.people,
        },
        kind: default_kind(pack),
        selected: Some(picker.selected),
        names: picker.names,
        confirm: picker
            .add_control
            .and_then(|at| container.buttons.get(at).cloned()),
        group_name: None,
        root: container.root,
    })
}

/// What reads the page now, given the add dialog the scan read (if any): when none was read,
/// the page is `Unread` if the pack's add entry point is there and a dialog is open that nothing
/// recognises, else `Idle`.
pub fn reading_now<P: Page>(
    page: &P,
    pack: &SitePack,
    read: Option<&AddDialog<P::Node>>,
) -> check::Reading {
    use check::Reading;
    match read.map(|dialog| &dialog.read_by) {
        Some(ReadBy::Pack { .. }) => Reading::Pack,
        Some(ReadBy::Structure { .. }) => Reading::Structure,
        None => {
            let open_dialog = select_in_document(page, structure::DIALOGS)
                .iter()
                .any(|node| page.is_shown(node) && page.attr(node, "data-ask-first").is_none());
            if open_dialog && entry_present(page, pack) {
                Reading::Unread
            } else {
                Reading::Idle
            }
        }
    }
}

/// How the site adds, when the page cannot say: its pack's first dialog (a switch the page does
/// not show counts as the invitation it stands for when off).
pub fn default_kind(pack: &SitePack) -> DialogKind {
    match pack.dialogs.first().map(|spec| &spec.kind) {
        Some(DialogKindSpec::Direct) => DialogKind::Direct,
        _ => DialogKind::Invite,
    }
}

/// Where a leave confirmation's title may be when it is not the accessible name.
const HEADINGS: &str = "h1, h2, h3, [role=heading]";

/// Longest name or label text read from the page.
pub const MAX_TEXT: usize = 200;

/// Most characters of an element's text content read from the page for one text: enough for
/// [`MAX_TEXT`] characters after collapsing generous whitespace, and a bound on what one
/// element of a huge page costs (its `textContent` can be megabytes).
pub const MAX_READ: usize = MAX_TEXT * 8;

/// What the content core asks of a page. Elements only; text nodes are reached through
/// [`Page::child_nodes`]. An invalid selector matches nothing (a pack is data, and an imported
/// one may hold a selector this browser does not know).
pub trait Page {
    type Node: Clone + PartialEq;

    /// The document element.
    fn root(&self) -> Option<Self::Node>;
    /// The descendants of `scope` matching `selector`, in document order.
    fn select(&self, scope: &Self::Node, selector: &str) -> Vec<Self::Node>;
    fn matches(&self, node: &Self::Node, selector: &str) -> bool;
    /// `node` itself or its nearest ancestor matching `selector`.
    fn closest(&self, node: &Self::Node, selector: &str) -> Option<Self::Node>;
    /// Whether `inner` is `outer` or inside it.
    fn contains(&self, outer: &Self::Node, inner: &Self::Node) -> bool;
    fn parent(&self, node: &Self::Node) -> Option<Self::Node>;
    /// The element's children, text nodes included, in order.
    fn child_nodes(&self, node: &Self::Node) -> Vec<Child<Self::Node>>;
    /// The element's text content, as the DOM gives it.
    fn text(&self, node: &Self::Node) -> String;
    /// The start of the element's text content: its first `max` characters (a browser may count
    /// UTF-16 units, and a cut inside a pair reads as U+FFFD). A page implements this without
    /// copying the whole text first.
    fn text_head(&self, node: &Self::Node, max: usize) -> String {
        let text = self.text(node);
        match text.char_indices().nth(max) {
            Some((at, _)) => text[..at].to_owned(),
            None => text,
        }
    }
    /// The last `max` descendants of `scope` matching `selector`, in document order. A page
    /// implements this without materialising the matches before them.
    fn select_last(&self, scope: &Self::Node, selector: &str, max: usize) -> Vec<Self::Node> {
        let mut all = self.select(scope, selector);
        let skip = all.len().saturating_sub(max);
        all.drain(..skip);
        all
    }
    fn attr(&self, node: &Self::Node, name: &str) -> Option<String>;
    /// The element's local name, lowercase.
    fn tag(&self, node: &Self::Node) -> String;
    fn by_id(&self, id: &str) -> Option<Self::Node>;
    /// Laid out with a box (a closed dialog kept in the DOM has none).
    fn is_shown(&self, node: &Self::Node) -> bool;
    /// A checkbox's or radio button's current state (false for anything else).
    fn is_checked(&self, node: &Self::Node) -> bool;
    /// A form control that is disabled (its property, not only the attribute).
    fn is_disabled(&self, node: &Self::Node) -> bool;
    fn is_connected(&self, node: &Self::Node) -> bool;
    /// Whether `a` comes after `b` in document order.
    fn follows(&self, a: &Self::Node, b: &Self::Node) -> bool;
}

/// A child of an element: another element, or a text node's text.
#[derive(Debug, Clone, PartialEq)]
pub enum Child<N> {
    Element(N),
    Text(String),
}

/// All elements matching `selector` in the document, the document element included.
pub fn select_in_document<P: Page>(page: &P, selector: &str) -> Vec<P::Node> {
    let Some(root) = page.root() else {
        return Vec::new();
    };
    let mut found = page.select(&root, selector);
    if page.matches(&root, selector) {
        found.insert(0, root);
    }
    found
}

/// The last `max` elements matching `selector` in the document (the document element
/// included), in document order.
pub fn select_last_in_document<P: Page>(page: &P, selector: &str, max: usize) -> Vec<P::Node> {
    let Some(root) = page.root() else {
        return Vec::new();
    };
    let mut found = page.select_last(&root, selector, max);
    if found.len() < max && page.matches(&root, selector) {
        found.insert(0, root);
    }
    found
}

/// An element's visible text, whitespace collapsed, cut to [`MAX_TEXT`] characters. Reads at
/// most [`MAX_READ`] characters of it.
pub fn text_of<P: Page>(page: &P, node: &P::Node) -> String {
    collapse(&page.text_head(node, MAX_READ))
}

/// An element's whole visible text, whitespace collapsed, when it has at most `max` characters
/// (`None` when it is longer: a cut text is not the element's text). Reads at most `max * 8`
/// characters of it.
pub fn whole_text_of<P: Page>(page: &P, node: &P::Node, max: usize) -> Option<String> {
    let limit = max.saturating_mul(8);
    let raw = page.text_head(node, limit.saturating_add(1));
    if raw.chars().nth(limit).is_some() {
        return None;
    }
    let text = collapse_to(&raw, max.saturating_add(1));
    (text.chars().nth(max).is_none()).then_some(text)
}

/// Whitespace collapsed to single spaces, trimmed, cut to [`MAX_TEXT`] characters.
pub fn collapse(raw: &str) -> String {
    collapse_to(raw, MAX_TEXT)
}

/// A control's visible text without the text of icon elements inside it ([`ICON_SELECTOR`],
/// [`is_icon_token`]): "group_add Add Members" reads "Add Members".
pub fn control_text<P: Page>(page: &P, node: &P::Node) -> String {
    if page.select(node, ICON_SELECTOR).is_empty() {
        return text_of(page, node);
    }
    let mut raw = String::new();
    collect_text(page, node, &mut raw, 0);
    collapse(&raw)
}

fn collect_text<P: Page>(page: &P, node: &P::Node, out: &mut String, depth: usize) {
    if depth > 32 || out.len() > MAX_TEXT * 8 {
        return;
    }
    for child in page.child_nodes(node) {
        match child {
            Child::Text(text) => {
                out.push(' ');
                out.push_str(&text);
            }
            Child::Element(element) => {
                if !is_icon(page, &element) {
                    collect_text(page, &element, out, depth + 1);
                }
            }
        }
    }
}

/// An icon element: matches [`ICON_SELECTOR`], holds no element and one token of text.
fn is_icon<P: Page>(page: &P, node: &P::Node) -> bool {
    page.matches(node, ICON_SELECTOR)
        && !page
            .child_nodes(node)
            .iter()
            .any(|child| matches!(child, Child::Element(_)))
        && is_icon_token(&page.text_head(node, MAX_READ))
}

/// Whether `node` fits the control spec's text (its visible text or `aria-label`). The text
/// without icons ([`control_text`]) is read only when the visible text holds a variant at all:
/// on a busy page most candidates (every button of every post) fail the cheap test.
pub fn control_fits<P: Page>(page: &P, node: &P::Node, spec: &ControlSpec) -> bool {
    let Some(texts) = &spec.text else {
        return true;
    };
    let raw = text_of(page, node);
    spec.text_matches(&raw, page.attr(node, "aria-label").as_deref())
        || (texts_contain(texts, &raw) && texts_match(texts, &control_text(page, node)))
}

/// The first shown element below `scope` that fits the control spec.
pub fn find_control<P: Page>(page: &P, scope: &P::Node, spec: &ControlSpec) -> Option<P::Node> {
    // Text first: asking for a box forces a layout, and on a busy page most candidates (every
    // button of every post) fail the text check anyway.
    page.select(scope, &spec.selector)
        .into_iter()
        .find(|node| control_fits(page, node, spec) && page.is_shown(node))
}

/// The text of the first element matching `selector` in the document that has text and is
/// shown (text first: see [`find_control`]).
pub fn first_shown_text<P: Page>(page: &P, selector: &str) -> Option<String> {
    select_in_document(page, selector).iter().find_map(|node| {
        let text = text_of(page, node);
        (!text.is_empty() && page.is_shown(node)).then_some(text)
    })
}

/// The texts that name `root`: its `aria-label`, the texts its `aria-labelledby` points at,
/// and the texts of `extra` selectors inside it (a title element).
fn names_of<P: Page>(page: &P, root: &P::Node, extra: &[&str]) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(label) = page.attr(root, "aria-label") {
        names.push(label);
    }
    if let Some(ids) = page.attr(root, "aria-labelledby") {
        for id in ids.split_whitespace().take(4) {
            if let Some(node) = page.by_id(id) {
                names.push(text_of(page, &node));
            }
        }
    }
    for selector in extra {
        for node in page.select(root, selector).iter().take(4) {
            names.push(control_text(page, node));
        }
    }
    names
}

/// The element a click on `control` really lands on: the button around an icon, when that
/// button is inside `root`.
pub fn clickable<P: Page>(page: &P, root: &P::Node, control: &P::Node) -> P::Node {
    page.closest(control, "button, [role=button], a[href]")
        .filter(|outer| page.contains(root, outer))
        .unwrap_or_else(|| control.clone())
}
