//! Reading an add dialog with the site pack: which dialog is open, how many people are
//! selected, their names, direct add or invitation, and the confirm control.

use ask_first_core::pack::{
    counter_text_value, ControlSpec, CountSource, DialogKindSpec, DialogSpec, SitePack,
};
use ask_first_core::rules::DialogKind;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlInputElement};

/// At most this many names are read from a dialog (the ask message names people, not crowds).
const MAX_NAMES: usize = 50;
/// Longest name or label text read from the page.
const MAX_TEXT: usize = 200;

/// What an open add dialog shows.
pub struct DialogFacts {
    pub spec: usize,
    pub root: Element,
    pub kind: DialogKind,
    /// `None` when no count source of the pack could be read.
    pub selected: Option<u32>,
    pub names: Vec<String>,
    pub confirm: Option<Element>,
    pub group_name: Option<String>,
}

/// All elements matching `selector` below `scope`; an invalid selector yields none.
pub fn select_all(scope: &Element, selector: &str) -> Vec<Element> {
    let Ok(list) = scope.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .collect()
}

pub fn select_all_in_document(document: &Document, selector: &str) -> Vec<Element> {
    match document.document_element() {
        Some(root) => {
            let mut found = select_all(&root, selector);
            if root.matches(selector).unwrap_or(false) {
                found.insert(0, root);
            }
            found
        }
        None => Vec::new(),
    }
}

/// Laid out and not hidden: a closed dialog kept in the DOM has no box.
pub fn is_shown(element: &Element) -> bool {
    let rect = element.get_bounding_client_rect();
    rect.width() > 0.0 && rect.height() > 0.0
}

/// An element's visible text, whitespace collapsed and capped.
pub fn text_of(element: &Element) -> String {
    let raw = element.text_content().unwrap_or_default();
    let mut out = String::new();
    let mut chars = 0;
    for word in raw.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        out.push_str(word);
        chars += word.chars().count();
        if chars > MAX_TEXT {
            return out.chars().take(MAX_TEXT).collect();
        }
    }
    out
}

/// A control's visible text without the text of icon elements inside it
/// ([`ask_first_core::pack::ICON_SELECTOR`]): "group_add Add Members" reads "Add Members".
pub fn control_text(element: &Element) -> String {
    if select_all(element, ask_first_core::pack::ICON_SELECTOR).is_empty() {
        return text_of(element);
    }
    let mut raw = String::new();
    collect_text(element, &mut raw);
    let words: Vec<&str> = raw.split_whitespace().collect();
    words.join(" ").chars().take(MAX_TEXT).collect()
}

fn collect_text(node: &web_sys::Node, out: &mut String) {
    let children = node.child_nodes();
    for i in 0..children.length() {
        let Some(child) = children.item(i) else {
            continue;
        };
        if let Some(element) = child.dyn_ref::<Element>() {
            let icon = element.child_element_count() == 0
                && element
                    .matches(ask_first_core::pack::ICON_SELECTOR)
                    .unwrap_or(false)
                && ask_first_core::pack::is_icon_token(&element.text_content().unwrap_or_default());
            if !icon {
                collect_text(element, out);
            }
        } else if child.node_type() == web_sys::Node::TEXT_NODE {
            out.push(' ');
            out.push_str(&child.text_content().unwrap_or_default());
        }
        if out.len() > MAX_TEXT * 8 {
            return;
        }
    }
}

/// The first shown element below `scope` that fits the control spec.
pub fn find_control(scope: &Element, spec: &ControlSpec) -> Option<Element> {
    // Text first: asking for a box forces a layout, and on a busy page most candidates (every
    // button of every post) fail the text check anyway.
    select_all(scope, &spec.selector)
        .into_iter()
        .find(|element| control_fits(element, spec) && is_shown(element))
}

/// The text of the first element matching `selector` in the document that has text and is
/// shown (text first: see [`find_control`]).
pub fn first_shown_text(document: &Document, selector: &str) -> Option<String> {
    select_all_in_document(document, selector)
        .iter()
        .find_map(|element| {
            let text = text_of(element);
            (!text.is_empty() && is_shown(element)).then_some(text)
        })
}

/// Whether `element` fits the control spec's text (its visible text or `aria-label`).
pub fn control_fits(element: &Element, spec: &ControlSpec) -> bool {
    spec.text_matches(
        &control_text(element),
        element.get_attribute("aria-label").as_deref(),
    )
}

fn label_fits(root: &Element, spec: &DialogSpec) -> bool {
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
    if let Some(selector) = &spec.label_selector {
        candidates.extend(select_all(root, selector).iter().map(text_of));
    }
    candidates.iter().any(|text| spec.label_matches(text))
}

/// The selection count from the first source that answers. A counter text answers when it
/// parses; an element source answers when it matches something, so a stale selector falls
/// through to the next source instead of reading a silent zero. With nothing matched anywhere
/// the selection is empty (a dialog with nobody ticked shows neither counter nor chips), as long
/// as the pack has an element source to say so.
fn count(root: &Element, sources: &[CountSource]) -> Option<u32> {
    let mut has_element_source = false;
    for source in sources {
        match source {
            CountSource::Counter {
                selector,
                templates,
                one,
            } => {
                if let Some(found) = counter_value(root, selector, templates, one.as_ref()) {
                    return Some(found);
                }
            }
            CountSource::Elements { selector } => {
                has_element_source = true;
                let matched = select_all(root, selector).len();
                if matched > 0 {
                    return u32::try_from(matched).ok();
                }
            }
        }
    }
    has_element_source.then_some(0)
}

thread_local! {
    /// The element the last counter was read from, with its selector: a dialog keeps its
    /// counter while people are ticked, so the next read tries it first instead of reading the
    /// text of every candidate (thousands in a long list).
    static LAST_COUNTER: std::cell::RefCell<Option<(String, Element)>> =
        const { std::cell::RefCell::new(None) };
}

/// The number a counter element below `root` shows, if one does.
fn counter_value(
    root: &Element,
    selector: &str,
    templates: &ask_first_core::pack::Texts,
    one: Option<&ask_first_core::pack::Texts>,
) -> Option<u32> {
    let cached = LAST_COUNTER.with(|last| {
        last.borrow()
            .as_ref()
            .filter(|(of, element)| {
                of == selector
                    && element.is_connected()
                    && root.contains(Some(element))
                    && element.matches(selector).unwrap_or(false)
            })
            .map(|(_, element)| element.clone())
    });
    let read = |element: &Element| counter_text_value(templates, one, &text_of(element));
    if let Some(value) = cached.and_then(|element| read(&element)) {
        return Some(value);
    }
    let (element, value) = select_all(root, selector).into_iter().find_map(|element| {
        let value = read(&element)?;
        Some((element, value))
    })?;
    LAST_COUNTER.with(|last| *last.borrow_mut() = Some((selector.to_owned(), element)));
    Some(value)
}

fn switch_is_on(root: &Element, selector: &str) -> bool {
    select_all(root, selector).iter().any(|element| {
        element.get_attribute("aria-checked").as_deref() == Some("true")
            || element
                .dyn_ref::<HtmlInputElement>()
                .is_some_and(HtmlInputElement::checked)
    })
}

/// The first open dialog of the pack, read.
pub fn read_dialog(document: &Document, pack: &SitePack) -> Option<DialogFacts> {
    for (index, spec) in pack.dialogs.iter().enumerate() {
        for root in select_all_in_document(document, &spec.root) {
            if !is_shown(&root) || !label_fits(&root, spec) {
                continue;
            }
            let confirm = find_control(&root, &spec.confirm);
            if spec.label.is_none() && confirm.is_none() {
                continue;
            }
            let kind = match &spec.kind {
                DialogKindSpec::Direct => DialogKind::Direct,
                DialogKindSpec::Invite => DialogKind::Invite,
                DialogKindSpec::Toggle { switch } => {
                    if switch_is_on(&root, switch) {
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
                    select_all(&root, selector)
                        .iter()
                        .map(text_of)
                        .filter(|name| !name.is_empty())
                        .take(MAX_NAMES)
                        .collect()
                })
                .unwrap_or_default();
            let group_name = spec
                .group_name
                .as_deref()
                .and_then(|selector| select_all(&root, selector).first().map(text_of))
                .filter(|name| !name.is_empty());
            return Some(DialogFacts {
                spec: index,
                selected: count(&root, &spec.count),
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

/// Whether a click on `target` can be on the confirm control of a dialog of the pack: the target
/// is inside an element matching a dialog root and inside a shown element that fits that
/// dialog's confirm spec (or the button around one). Cheap: no counting, no names.
pub fn may_be_confirm(target: &Element, pack: &SitePack) -> bool {
    pack.dialogs.iter().any(|spec| {
        let Some(root) = target.closest(&spec.root).ok().flatten() else {
            return false;
        };
        select_all(&root, &spec.confirm.selector)
            .into_iter()
            .filter(|control| control_fits(control, &spec.confirm))
            .any(|control| {
                let clickable = control
                    .closest("button, [role=button], a[href]")
                    .ok()
                    .flatten()
                    .filter(|outer| root.contains(Some(outer)))
                    .unwrap_or(control);
                clickable.contains(Some(target))
            })
    })
}

/// The group's name as the page header shows it.
pub fn page_group_name(document: &Document, pack: &SitePack) -> Option<String> {
    pack.group_name
        .iter()
        .find_map(|selector| first_shown_text(document, selector))
}

/// Whether an entry point of an add dialog is on the page (for the health report).
pub fn entry_present(document: &Document, pack: &SitePack) -> bool {
    pack.dialogs.iter().any(|spec| {
        spec.entry.as_ref().is_some_and(|entry| {
            select_all_in_document(document, &entry.selector)
                .iter()
                .any(|element| control_fits(element, entry) && is_shown(element))
        })
    })
}

/// A shown dialog that holds selectable people but that no spec of the pack reads: the sign
/// that the site changed.
pub fn unreadable_people_dialog(document: &Document) -> bool {
    select_all_in_document(document, "[role=dialog], [role=alertdialog], dialog[open]")
        .iter()
        .filter(|dialog| is_shown(dialog) && dialog.get_attribute("data-ask-first").is_none())
        .any(|dialog| {
            select_all(
                dialog,
                "[role=checkbox], input[type=checkbox], [role=option]",
            )
            .len()
                >= 3
        })
}
