//! The site check: how well Ask First reads the page a user is looking at, in a form the popup
//! can say in plain words and a user can copy into a report. Privacy: the check carries the
//! pack's own paths, counts and yes/no signals only — no names, no page text.

use serde::{Deserialize, Serialize};

use super::structure::{self, ContainerKind, StructureMemory};
use super::{
    control_fits, entry_present, read_add_dialog, reading_now, select_in_document, text_of, Page,
    Reader,
};
use crate::pack::{
    counter_text_value, ControlSpec, CountSource, DialogKindSpec, PackSource, SitePack,
};
use crate::site::Site;
use crate::wire::json::write_integer;

/// Counts are capped here: the check says "many", it does not count a whole feed.
const MAX_COUNT: usize = 9_999;

/// Which build of the content core is running in a tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    /// The WebAssembly module.
    Wasm,
    /// The same Rust compiled to JavaScript (wasm2js), for pages whose CSP forbids wasm.
    Fallback,
}

/// How well the content core reads this page now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteCheck {
    pub site: Site,
    pub pack_version: u32,
    pub pack_source: PackSource,
    pub engine: Engine,
    /// What reads the page now.
    pub reading: Reading,
    /// The add dialog read last on this page (it may be closed now).
    #[serde(default)]
    pub last: Option<LastRead>,
    /// The pack's add entry point (the button that opens the add dialog) is on the page.
    pub entry: bool,
    /// Every part of the pack, with how many elements it matched on the page now.
    pub parts: Vec<PartCount>,
    pub structure: StructureSignals,
}

/// What reads the page now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reading {
    /// An add dialog is open and the site pack reads it.
    Pack,
    /// An add dialog is open; the site pack does not recognise it, the page's structure does.
    Structure,
    /// The add entry point or a dialog of people is there, but nothing reads the dialog.
    Unread,
    /// No add dialog is open (nothing to read yet).
    Idle,
}

/// The last add dialog the content core read on this page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastRead {
    pub by: ReadKind,
    /// The pack's dialog id, or `structure`.
    pub dialog: String,
    pub selected: u32,
    pub seconds_ago: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadKind {
    Pack,
    Structure,
}

/// One part of the pack: its path in the pack (`dialogs[0].confirm`), how many elements its
/// selector matched, and for parts with texts, templates or labels how many of those fit them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartCount {
    pub part: String,
    pub matched: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fitting: Option<u32>,
}

/// What the structural reading sees: containers that may be pickers, people in the best one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StructureSignals {
    /// Shown dialogs, and panels around selectable rows with a search field.
    pub dialogs: u32,
    pub panels: u32,
    /// In the picker with the most people selected: people shown (rows or chips), with a
    /// picture, as chips, and selected.
    pub people: u32,
    pub with_picture: u32,
    pub chips: u32,
    pub selected: u32,
    /// Its add control could be told with confidence.
    pub add_control: bool,
}

/// Checks the page now with `pack`, with what the content core's `reader` remembers (which of
/// a picker's buttons were off while nothing was selected).
pub fn site_check<P: Page>(
    page: &P,
    pack: &SitePack,
    pack_source: PackSource,
    engine: Engine,
    last: Option<LastRead>,
    reader: &mut Reader<P::Node>,
) -> SiteCheck {
    let dialog = read_add_dialog(page, pack, reader, true);
    let entry = entry_present(page, pack);
    let reading = reading_now(page, pack, dialog.as_ref());
    SiteCheck {
        site: pack.site,
        pack_version: pack.version,
        pack_source,
        engine,
        reading,
        last,
        entry,
        parts: count_parts(page, pack),
        structure: signals(page, &mut reader.structure),
    }
}

fn signals<P: Page>(page: &P, memory: &mut StructureMemory<P::Node>) -> StructureSignals {
    let containers = structure::gather(page, memory);
    let mut signals = StructureSignals::default();
    // The picker with the most people selected; the last of equals.
    let mut best: Option<(&structure::Container<P::Node>, structure::Picker)> = None;
    for container in &containers {
        let kind = match container.facts.kind {
            ContainerKind::Dialog => &mut signals.dialogs,
            ContainerKind::Panel => &mut signals.panels,
        };
        *kind = bump(*kind);
        if let Some(picker) = structure::judge(&container.facts) {
            if best
                .as_ref()
                .is_none_or(|(_, known)| picker.selected >= known.selected)
            {
                best = Some((container, picker));
            }
        }
    }
    if let Some((container, picker)) = best {
        for item in &container.facts.items {
            if structure::is_person(item) {
                if item.avatar {
                    signals.with_picture = bump(signals.with_picture);
                }
                if item.chip {
                    signals.chips = bump(signals.chips);
                }
            }
        }
        signals.people = picker.people;
        signals.selected = picker.selected;
        signals.add_control = picker.add_control.is_some();
    }
    signals
}

/// One more, up to [`MAX_COUNT`].
fn bump(n: u32) -> u32 {
    if (n as usize) < MAX_COUNT {
        n + 1
    } else {
        n
    }
}

/// The parts counted so far, and the page they are counted on. The helpers are shared by
/// every part (one copy of each kind of count, instead of one per part).
struct Parts<'a, P: Page> {
    page: &'a P,
    list: Vec<PartCount>,
}

impl<P: Page> Parts<'_, P> {
    #[inline(never)]
    fn add(&mut self, part: String, matched: usize, fitting: Option<usize>) {
        let cap = |n: usize| n.min(MAX_COUNT) as u32;
        self.list.push(PartCount {
            part,
            matched: cap(matched),
            fitting: fitting.map(cap),
        });
    }

    /// The first [`MAX_COUNT`] elements matching `selector` in the document that are shown.
    #[inline(never)]
    fn shown(&self, selector: &str) -> Vec<P::Node> {
        let mut found = select_in_document(self.page, selector);
        found.truncate(MAX_COUNT);
        found.retain(|node| self.page.is_shown(node));
        found
    }

    /// The first [`MAX_COUNT`] elements matching `selector` inside `root` (none without one).
    #[inline(never)]
    fn inside(&self, root: Option<&P::Node>, selector: &str) -> Vec<P::Node> {
        let mut found = match root {
            Some(root) => self.page.select(root, selector),
            None => Vec::new(),
        };
        found.truncate(MAX_COUNT);
        found
    }

    /// A part of controls: `found`, and how many of them fit `spec` (and are shown, with
    /// `shown`).
    #[inline(never)]
    fn controls(&mut self, part: String, found: &[P::Node], spec: &ControlSpec, shown: bool) {
        let fit = found
            .iter()
            .filter(|node| {
                control_fits(self.page, node, spec) && (!shown || self.page.is_shown(node))
            })
            .count();
        self.add(part, found.len(), Some(fit));
    }

    /// The shown roots matching `selector` that are not Ask First's own (`<at>root`), and with
    /// a label, how many of them it fits (`<at>label`); returns the first that fits, else the
    /// first root.
    #[inline(never)]
    fn roots(
        &mut self,
        at: &str,
        selector: &str,
        label: bool,
        fits: &dyn Fn(&P::Node) -> bool,
    ) -> (Option<P::Node>, Option<P::Node>) {
        let mut roots = self.shown(selector);
        roots.retain(|root| self.page.attr(root, "data-ask-first").is_none());
        self.add(path(at, None, "root", None), roots.len(), None);
        let mut fitting = roots.iter().filter(|root| fits(root));
        let first_fit = fitting.next().cloned();
        let fit = usize::from(first_fit.is_some()) + fitting.count();
        if label {
            self.add(path(at, None, "label", None), roots.len(), Some(fit));
        }
        (first_fit, roots.into_iter().next())
    }
}

/// A part's path in the pack: `name`, `[i]`, `then`, `[j]` (each index only when given).
#[inline(never)]
fn path(name: &str, i: Option<usize>, then: &str, j: Option<usize>) -> String {
    let mut out = String::from(name);
    for (index, after) in [(i, then), (j, "")] {
        if let Some(index) = index {
            out.push('[');
            write_integer(&mut out, index as i64);
            out.push(']');
        }
        out.push_str(after);
    }
    out
}

/// Every selector of the pack, applied to the page now. Parts inside a dialog are counted in
/// the first root that fits the dialog's label (or the first shown root).
pub fn count_parts<P: Page>(page: &P, pack: &SitePack) -> Vec<PartCount> {
    let mut parts = Parts {
        page,
        list: Vec::new(),
    };
    for (i, selector) in pack.group_name.iter().enumerate() {
        let found = parts.shown(selector).len();
        parts.add(path("group_name", Some(i), "", None), found, None);
    }
    if let Some(selector) = &pack.self_name {
        let found = parts.shown(selector).len();
        parts.add(path("self_name", None, "", None), found, None);
    }
    for (i, spec) in pack.dialogs.iter().enumerate() {
        let at = path("dialogs", Some(i), ".", None);
        let part = |name: &str, j: Option<usize>| path(&at, None, name, j);
        let (fit, first) = parts.roots(&at, &spec.root, spec.label.is_some(), &|root| {
            super::dialog::label_fits(page, root, spec)
        });
        let root = fit.as_ref().or(first.as_ref());
        if let DialogKindSpec::Toggle { switch } = &spec.kind {
            let found = parts.inside(root, switch).len();
            parts.add(part("kind.switch", None), found, None);
        }
        for (j, source) in spec.count.iter().enumerate() {
            let (selector, counter) = match source {
                CountSource::Counter {
                    selector,
                    templates,
                    one,
                } => (selector, Some((templates, one))),
                CountSource::Elements { selector } => (selector, None),
            };
            let found = parts.inside(root, selector);
            let parsed = counter.map(|(templates, one)| {
                found
                    .iter()
                    .filter(|node| {
                        counter_text_value(templates, one.as_ref(), &text_of(page, node)).is_some()
                    })
                    .count()
            });
            parts.add(part("count", Some(j)), found.len(), parsed);
        }
        if let Some(selector) = &spec.names {
            let found = parts.inside(root, selector).len();
            parts.add(part("names", None), found, None);
        }
        let confirms = parts.inside(root, &spec.confirm.selector);
        parts.controls(part("confirm", None), &confirms, &spec.confirm, true);
        if let Some(selector) = &spec.group_name {
            let found = parts.inside(root, selector).len();
            parts.add(part("group_name", None), found, None);
        }
        if let Some(entry) = &spec.entry {
            let found = parts.shown(&entry.selector);
            parts.controls(part("entry", None), &found, entry, false);
        }
    }
    if let Some(leave) = &pack.leave {
        let found = parts.shown(&leave.start.selector);
        parts.controls(
            path("leave.start", None, "", None),
            &found,
            &leave.start,
            false,
        );
        // The controls "Leave again" opens on the way to the leave item.
        for (i, step) in leave.steps.iter().enumerate() {
            for (j, control) in step.any.iter().enumerate() {
                let found = parts.shown(&control.selector);
                let part = path("leave.steps", Some(i), ".any", Some(j));
                parts.controls(part, &found, control, false);
            }
        }
        let (fit, _) = parts.roots("leave.", &leave.root, leave.label.is_some(), &|root| {
            super::leave::label_fits(page, root, leave)
        });
        let confirms = match &fit {
            Some(root) => page.select(root, &leave.confirm.selector),
            None => Vec::new(),
        };
        let part = path("leave.confirm", None, "", None);
        parts.controls(part, &confirms, &leave.confirm, false);
    }
    if let Some(membership) = &pack.membership {
        let specs = [
            ("membership.member", Some(&membership.member)),
            ("membership.not_member", membership.not_member.as_ref()),
        ];
        for (part, spec) in specs {
            let Some(spec) = spec else { continue };
            let found = parts.shown(&spec.selector);
            parts.controls(path(part, None, "", None), &found, spec, false);
        }
    }
    for (i, spec) in pack.messages.iter().enumerate() {
        let found = select_in_document(page, &spec.selector);
        let fit = found
            .iter()
            .rev()
            .take(super::messages::MAX_MESSAGES)
            .filter(|node| spec.matches(&text_of(page, node)).is_some())
            .count();
        parts.add(path("messages", Some(i), "", None), found.len(), Some(fit));
    }
    parts.list
}

/// The report a user can copy and send: the check plus the browser and the extension's
/// version, as indented JSON. Nothing from the page beyond the pack's own paths and counts.
pub fn site_report(check: &SiteCheck, browser: &str, extension_version: &str) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        report: &'static str,
        extension: &'a str,
        browser: &'a str,
        #[serde(flatten)]
        check: &'a SiteCheck,
    }
    let browser: String = browser
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || " ./-()".contains(*c))
        .take(60)
        .collect();
    let extension: String = extension_version
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || ".-".contains(*c))
        .take(20)
        .collect();
    serde_json::to_string_pretty(&Report {
        report: "Ask First site report",
        extension: &extension,
        browser: &browser,
        check,
    })
    .unwrap_or_default()
}

/// The browser's name and major version from its user agent ("Chromium 156", "Firefox 153"),
/// for the report; `unknown` when it cannot tell.
pub fn browser_name(user_agent: &str) -> String {
    let version = |marker: &str| {
        user_agent.split(marker).nth(1).map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_digit())
                .collect::<String>()
        })
    };
    if let Some(v) = version("Firefox/") {
        return format!("Firefox {v}");
    }
    if let Some(v) = version("Edg/") {
        return format!("Edge {v}");
    }
    if let Some(v) = version("Chrome/") {
        return format!("Chromium {v}");
    }
    "unknown".into()
}
