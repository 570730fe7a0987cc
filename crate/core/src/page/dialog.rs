//! The add dialogs of a pack: which one is open, how many people are selected, their names,
//! direct add or invitation, and the confirm control.

use super::{
    clickable, control_fits, find_control, first_shown_text, names_of, select_in_document, text_of,
    Page,
};
use crate::pack::{counter_text_value, CountSource, DialogKindSpec, DialogSpec, SitePack, Texts};
use crate::rules::DialogKind;

/// At most this many names are read from a dialog (the ask message names people, not crowds).
const MAX_NAMES: usize = 50;

/// What an open add dialog shows.
#[derive(Debug, Clone, PartialEq)]
pub struct DialogFacts<N> {
    /// The index of the pack's dialog spec that read it.
    pub spec: usize,
    pub root: N,
    pub kind: DialogKind,
    /// `None` when no count source of the pack could be read.
    pub selected: Option<u32>,
    pub names: Vec<String>,
    pub confirm: Option<N>,
    pub group_name: Option<String>,
}

/// What the dialog reading remembers between scans: the element the last counter was read
/// from. A dialog keeps its counter while people are ticked, so the next read tries it first
/// instead of reading the text of every candidate (thousands in a long list).
#[derive(Debug, Clone)]
pub struct DialogReader<N> {
    last_counter: Option<(String, N)>,
}

impl<N> Default for DialogReader<N> {
    fn default() -> Self {
        DialogReader { last_counter: None }
    }
}

/// The first open dialog of the pack, read. A root counts when it is shown, its name fits the
/// spec's label (when the spec has one), and, for a spec without a label, it holds the confirm
/// control.
pub fn read_dialog<P: Page>(
    page: &P,
    pack: &SitePack,
    reader: &mut DialogReader<P::Node>,
) -> Option<DialogFacts<P::Node>> {
    for (index, spec) in pack.dialogs.iter().enumerate() {
        for root in select_in_document(page, &spec.root) {
            if !page.is_shown(&root) || page.attr(&root, "data-ask-first").is_some() {
                continue;
            }
            if !label_fits(page, &root, spec) {
                continue;
            }
            let confirm = find_control(page, &root, &spec.confirm);
            if spec.label.is_none() && confirm.is_none() {
                continue;
            }
            let kind = match &spec.kind {
                DialogKindSpec::Direct => DialogKind::Direct,
                DialogKindSpec::Invite => DialogKind::Invite,
                DialogKindSpec::Toggle { switch } => {
                    if switch_is_on(page, &root, switch) {
                        DialogKind::Direct
                    } else {
                        DialogKind::Invite
                    }
                }
            };
            let names = spec
                .names
                .as_deref()
                .map(|selector| {
                    page.select(&root, selector)
                        .iter()
                        .map(|node| text_of(page, node))
                        .filter(|name| !name.is_empty())
                        .take(MAX_NAMES)
                        .collect()
                })
                .unwrap_or_default();
            let group_name = spec
                .group_name
                .as_deref()
                .and_then(|selector| {
                    page.select(&root, selector)
                        .first()
                        .map(|node| text_of(page, node))
                })
                .filter(|name| !name.is_empty());
            return Some(DialogFacts {
                spec: index,
                selected: count(page, &root, &spec.count, reader),
                root,
                kind,
                names,
                confirm,
                group_name,
            });
        }
    }
    None
}

/// Whether `root`'s name fits the spec's label (its accessible name, or the text of
/// `label_selector`, equals a variant): always, for a spec without a label.
pub(super) fn label_fits<P: Page>(page: &P, root: &P::Node, spec: &DialogSpec) -> bool {
    let extra: Vec<&str> = spec.label_selector.as_deref().into_iter().collect();
    spec.label.is_none()
        || names_of(page, root, &extra)
            .iter()
            .any(|name| spec.label_matches(name))
}

/// The selection count from the first source that answers. A counter text answers when it
/// parses; an element source answers when it matches something, so a stale selector falls
/// through to the next source instead of reading a silent zero. With nothing matched anywhere
/// the selection is empty (a dialog with nobody ticked shows neither counter nor chips), as long
/// as the pack has an element source to say so.
fn count<P: Page>(
    page: &P,
    root: &P::Node,
    sources: &[CountSource],
    reader: &mut DialogReader<P::Node>,
) -> Option<u32> {
    let mut has_element_source = false;
    for source in sources {
        match source {
            CountSource::Counter {
                selector,
                templates,
                one,
            } => {
                if let Some(found) =
                    counter_value(page, root, selector, templates, one.as_ref(), reader)
                {
                    return Some(found);
                }
            }
            CountSource::Elements { selector } => {
                has_element_source = true;
                let matched = page.select(root, selector).len();
                if matched > 0 {
                    return u32::try_from(matched).ok();
                }
            }
        }
    }
    has_element_source.then_some(0)
}

/// The number a counter element below `root` shows, if one does.
fn counter_value<P: Page>(
    page: &P,
    root: &P::Node,
    selector: &str,
    templates: &Texts,
    one: Option<&Texts>,
    reader: &mut DialogReader<P::Node>,
) -> Option<u32> {
    let read = |node: &P::Node| counter_text_value(templates, one, &text_of(page, node));
    let cached = reader
        .last_counter
        .as_ref()
        .filter(|(of, node)| {
            of == selector
                && page.is_connected(node)
                && page.contains(root, node)
                && page.matches(node, selector)
        })
        .map(|(_, node)| node.clone());
    if let Some(value) = cached.as_ref().and_then(read) {
        return Some(value);
    }
    let (node, value) = page
        .select(root, selector)
        .into_iter()
        .find_map(|node| read(&node).map(|value| (node, value)))?;
    reader.last_counter = Some((selector.to_owned(), node));
    Some(value)
}

/// A switch is on: `aria-checked="true"`, or a checked input (Google Groups' "Directly add
/// members" is a plain checkbox input).
fn switch_is_on<P: Page>(page: &P, root: &P::Node, selector: &str) -> bool {
    page.select(root, selector).iter().any(|node| {
        page.attr(node, "aria-checked").as_deref() == Some("true") || page.is_checked(node)
    })
}

/// Whether a click on `target` can be on the confirm control of a dialog of the pack: the target
/// is inside an element matching a dialog root and inside a shown element that fits that
/// dialog's confirm spec (or the button around one). Cheap: no counting, no names.
pub fn may_be_confirm<P: Page>(page: &P, target: &P::Node, pack: &SitePack) -> bool {
    pack.dialogs.iter().any(|spec| {
        let Some(root) = page.closest(target, &spec.root) else {
            return false;
        };
        page.select(&root, &spec.confirm.selector)
            .into_iter()
            .filter(|control| control_fits(page, control, &spec.confirm))
            .any(|control| page.contains(&clickable(page, &root, &control), target))
    })
}

/// The group's name as the page header shows it.
pub fn page_group_name<P: Page>(page: &P, pack: &SitePack) -> Option<String> {
    pack.group_name
        .iter()
        .find_map(|selector| first_shown_text(page, selector))
}

/// Whether an entry point of an add dialog is on the page (for the health report).
pub fn entry_present<P: Page>(page: &P, pack: &SitePack) -> bool {
    pack.dialogs.iter().any(|spec| {
        spec.entry.as_ref().is_some_and(|entry| {
            select_in_document(page, &entry.selector)
                .iter()
                .any(|node| control_fits(page, node, entry) && page.is_shown(node))
        })
    })
}
