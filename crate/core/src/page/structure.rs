//! Detection that survives a changed page: when no dialog of the site pack is recognised, the
//! page's structure can still show a people picker — a dialog, or a panel with a search field,
//! holding rows or chips that each carry a person's name and usually an avatar — and how many
//! of those people are selected (`aria-checked`, `aria-selected`, checked inputs, chips). No
//! class name, test hook or label text is needed, so a redesign or an unknown language still
//! gets a warning.
//!
//! Two steps: [`gather`] reads facts from the page (generic over [`Page`]), [`judge`] decides
//! over those facts alone (pure, tested with hand-made facts and with the real sites' snippets).
//!
//! What keeps ordinary pages quiet: a switch, radio button or tab is never a person; an item
//! counts as a person only with a name-like text (letters, a few words, no percentages, file
//! names or times) and an avatar, or as a chip beside a search field; most selected items must
//! be people. So settings full of checked toggles, polls, photo and emoji pickers and feeds
//! stay silent.

use super::{collapse, select_in_document, text_of, Child, Page};
use crate::model::collapse_to;
use crate::pack::{is_icon_token, is_private_use};

/// Roots that can hold a picker: dialogs of any kind.
pub const DIALOGS: &str = "[role=dialog], [role=alertdialog], dialog[open], [aria-modal=true]";
/// Elements that can be selected, one per person.
const SELECTABLE: &str = "[role=checkbox], [role=option], [role=row][aria-selected], \
     [role=listitem][aria-selected], [role=gridcell][aria-selected], [role=menuitemcheckbox], \
     input[type=checkbox]";
/// Selectable elements that never stand for a person.
const NOT_PEOPLE: &str = "[role=switch], input[role=switch], [role=radio], [role=menuitemradio], \
     [role=tab], [role=treeitem], input[type=radio]";
/// Where a person's row or chip begins, seen from its checkbox.
const ITEM: &str = "label, li, [role=row], [role=option], [role=listitem], [role=gridcell], \
     [role=checkbox], [role=menuitemcheckbox], a";
/// Fields where people are searched for or typed in.
const SEARCH: &str = "input:not([type]), input[type=text], input[type=search], input[type=email], \
     [role=combobox], [role=searchbox], [contenteditable=true], [contenteditable='']";
const BUTTONS: &str = "button, [role=button], input[type=submit], input[type=button]";
const AVATARS: &str = "img, svg image, canvas, [style*=background-image]";

/// At most this many selectable elements are read per page, and items per container.
const MAX_SELECTABLE: usize = 600;
const MAX_ITEMS: usize = 300;
/// At most this many panels (pickers outside dialogs) and search fields per container.
const MAX_PANELS: usize = 3;
const MAX_FIELDS: usize = 3;
/// How far above a checkbox its panel's search field may be.
const PANEL_LEVELS: usize = 12;
/// Text runs kept per item, and the longest one.
const MAX_RUNS: usize = 8;
const MAX_RUN_CHARS: usize = 64;

/// One row or chip of a container.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemFacts {
    pub selected: bool,
    /// A token beside a search field rather than a row of a list.
    pub chip: bool,
    /// Its texts, in order (an avatar's initials included).
    pub runs: Vec<String>,
    /// An image, or initials, that can be a person's picture.
    pub avatar: bool,
}

/// Where a button sits relative to the container's items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    Before,
    Among,
    After,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ButtonFacts {
    pub shown: bool,
    pub enabled: bool,
    pub region: Region,
    /// It says something in words (visible text, icons aside): not a bare close or back icon.
    pub worded: bool,
    /// It was disabled or hidden while nothing was selected: it acts on the selection.
    pub off_when_empty: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerKind {
    /// A dialog (role, `<dialog>`, `aria-modal`).
    Dialog,
    /// Not a dialog: the nearest box around selectable rows that also holds a search field (a
    /// sidebar picker such as Telegram's).
    Panel,
}

/// What a container shows, as plain data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerFacts {
    pub kind: ContainerKind,
    /// It holds a field to search for or type in people.
    pub search: bool,
    pub items: Vec<ItemFacts>,
    pub buttons: Vec<ButtonFacts>,
}

/// A container found on the page: its facts and the elements they were read from.
#[derive(Debug, Clone)]
pub struct Container<N> {
    pub root: N,
    pub facts: ContainerFacts,
    /// `facts.buttons[i]` was read from `buttons[i]`.
    pub buttons: Vec<N>,
}

/// What [`judge`] makes of a container that holds people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    /// People shown (rows or chips with a name and a picture, or chips).
    pub people: u32,
    /// People selected.
    pub selected: u32,
    /// The selected people's names (for the ask-first message), at most 50.
    pub names: Vec<String>,
    /// The control that adds them, when one can be told with confidence: index into
    /// [`ContainerFacts::buttons`].
    pub add_control: Option<usize>,
}

/// What the structure reading remembers between scans: the buttons of the current container
/// that were off while nothing was selected.
#[derive(Debug, Clone)]
pub struct StructureMemory<N> {
    container: Option<N>,
    off_when_empty: Vec<N>,
}

impl<N> Default for StructureMemory<N> {
    fn default() -> Self {
        StructureMemory {
            container: None,
            off_when_empty: Vec::new(),
        }
    }
}

impl<N> StructureMemory<N> {
    pub fn forget(&mut self) {
        self.container = None;
        self.off_when_empty.clear();
    }
}

/// Reads the page's containers that may be people pickers: shown dialogs, and panels around
/// selectable rows outside dialogs. Updates `memory` (which buttons were off while nothing was
/// selected).
pub fn gather<P: Page>(page: &P, memory: &mut StructureMemory<P::Node>) -> Vec<Container<P::Node>> {
    let mut roots: Vec<(P::Node, ContainerKind)> = Vec::new();
    for node in select_in_document(page, DIALOGS) {
        if page.is_shown(&node) && !ours(page, &node) {
            roots.push((node, ContainerKind::Dialog));
        }
    }
    let dialogs = roots.len();
    // Selectable rows outside every dialog and every panel found so far: find the panel around
    // them.
    for node in select_in_document(page, SELECTABLE)
        .into_iter()
        .take(MAX_SELECTABLE)
    {
        if roots.len() - dialogs >= MAX_PANELS {
            break;
        }
        if roots.iter().any(|(root, _)| page.contains(root, &node))
            || page.matches(&node, NOT_PEOPLE)
            || !page.is_shown(&node)
        {
            continue;
        }
        if let Some(panel) = panel_of(page, &node) {
            // A panel is an ancestor of a node outside every dialog: never a dialog itself.
            if !roots.iter().any(|(known, _)| *known == panel) {
                roots.push((panel, ContainerKind::Panel));
            }
        }
    }
    // Innermost first is not needed: nested dialogs are read each on their own.
    let mut containers: Vec<Container<P::Node>> = Vec::new();
    for (root, kind) in roots {
        containers.push(read_container(page, root, kind));
    }
    remember(memory, containers)
}

fn ours<P: Page>(page: &P, node: &P::Node) -> bool {
    page.closest(node, "[data-ask-first]").is_some()
}

/// The nearest ancestor of `node` that holds a search field too (not the page itself), widened
/// by up to [`WIDEN_LEVELS`] ancestors that add no other selectable element or field: the
/// panel's header and its floating add button sit around the list and field (Telegram Web A).
fn panel_of<P: Page>(page: &P, node: &P::Node) -> Option<P::Node> {
    let mut at = page.parent(node)?;
    for _ in 0..PANEL_LEVELS {
        if is_page_level(page, &at) {
            return None;
        }
        if page
            .select(&at, SEARCH)
            .iter()
            .any(|field| page.is_shown(field))
        {
            return Some(widen(page, at));
        }
        at = page.parent(&at)?;
    }
    None
}

/// How many ancestors a panel may grow by ([`panel_of`]).
const WIDEN_LEVELS: usize = 3;

fn widen<P: Page>(page: &P, panel: P::Node) -> P::Node {
    let selectable = count_in(page, &panel, SELECTABLE);
    let fields = count_in(page, &panel, SEARCH);
    let mut panel = panel;
    for _ in 0..WIDEN_LEVELS {
        let Some(parent) = page.parent(&panel) else {
            break;
        };
        if is_page_level(page, &parent)
            || count_in(page, &parent, SELECTABLE) != selectable
            || count_in(page, &parent, SEARCH) != fields
        {
            break;
        }
        panel = parent;
    }
    panel
}

fn is_page_level<P: Page>(page: &P, node: &P::Node) -> bool {
    matches!(page.tag(node).as_str(), "body" | "html" | "main")
        || page.matches(node, "[role=main], [role=feed]")
}

fn read_container<P: Page>(page: &P, root: P::Node, kind: ContainerKind) -> Container<P::Node> {
    let mut fields: Vec<P::Node> = Vec::new();
    for field in page.select(&root, SEARCH) {
        if fields.len() >= MAX_FIELDS {
            break;
        }
        if page.is_shown(&field) && !ours(page, &field) {
            fields.push(field);
        }
    }
    let mut item_nodes: Vec<P::Node> = Vec::new();
    let mut items: Vec<ItemFacts> = Vec::new();
    for marker in page
        .select(&root, SELECTABLE)
        .into_iter()
        .take(MAX_SELECTABLE)
    {
        if items.len() >= MAX_ITEMS {
            break;
        }
        if page.matches(&marker, NOT_PEOPLE) || ours(page, &marker) {
            continue;
        }
        // Someone already in the group shows ticked and disabled: not being added.
        let selected = !is_off(page, &marker)
            && (attr_true(page, &marker, "aria-checked")
                || attr_true(page, &marker, "aria-selected")
                || page.is_checked(&marker));
        let item = item_of(page, &root, &marker);
        // `items` and `item_nodes` go in step.
        if let Some(at) = item_nodes.iter().position(|node| *node == item) {
            if let Some(known) = items.get_mut(at) {
                known.selected |= selected;
            }
            continue;
        }
        let mut facts = item_facts(page, &item);
        facts.selected = selected;
        item_nodes.push(item);
        items.push(facts);
    }
    for (chip, mut facts) in chips(page, &fields) {
        if items.len() >= MAX_ITEMS {
            break;
        }
        if item_nodes.iter().any(|known| nested(page, known, &chip)) {
            continue;
        }
        facts.selected = true;
        facts.chip = true;
        item_nodes.push(chip);
        items.push(facts);
    }
    // The items first and last in document order.
    let mut first: Option<&P::Node> = None;
    let mut last: Option<&P::Node> = None;
    for node in &item_nodes {
        if first.is_none_or(|known| page.follows(known, node)) {
            first = Some(node);
        }
        if last.is_none_or(|known| page.follows(node, known)) {
            last = Some(node);
        }
    }
    let mut buttons = Vec::new();
    let mut button_facts = Vec::new();
    for button in page.select(&root, BUTTONS) {
        // A row's own remove button, or a row that is itself a button, is no control of the
        // dialog's.
        if ours(page, &button)
            || item_nodes.iter().any(|item| nested(page, item, &button))
            || fields.iter().any(|field| page.contains(field, &button))
        {
            continue;
        }
        let region = if first
            .is_some_and(|first| page.follows(first, &button) && !page.contains(&button, first))
        {
            Region::Before
        } else if last.is_some_and(|last| page.follows(&button, last)) {
            Region::After
        } else {
            Region::Among
        };
        button_facts.push(ButtonFacts {
            shown: page.is_shown(&button),
            enabled: !is_off(page, &button),
            region,
            // Letters or digits: an icon font's glyph (a private-use character) is no word,
            // whatever its element's class is called.
            worded: super::control_text(page, &button)
                .chars()
                .any(char::is_alphanumeric),
            off_when_empty: false,
        });
        buttons.push(button);
        if buttons.len() >= 40 {
            break;
        }
    }
    Container {
        root,
        facts: ContainerFacts {
            kind,
            search: !fields.is_empty(),
            items,
            buttons: button_facts,
        },
        buttons,
    }
}

/// Whether the attribute `name` is `"true"`. Not inlined: read at many places.
#[inline(never)]
fn attr_true<P: Page>(page: &P, node: &P::Node, name: &str) -> bool {
    page.attr(node, name).as_deref() == Some("true")
}

/// A control that is disabled, by its property or `aria-disabled`.
#[inline(never)]
fn is_off<P: Page>(page: &P, node: &P::Node) -> bool {
    page.is_disabled(node) || attr_true(page, node, "aria-disabled")
}

/// One of `a` and `b` holds the other.
#[inline(never)]
fn nested<P: Page>(page: &P, a: &P::Node, b: &P::Node) -> bool {
    page.contains(a, b) || page.contains(b, a)
}

/// How many elements inside `node` match `selector`.
#[inline(never)]
fn count_in<P: Page>(page: &P, node: &P::Node, selector: &str) -> usize {
    page.select(node, selector).len()
}

/// Whether `node` holds an element matching `selector`.
#[inline(never)]
fn has<P: Page>(page: &P, node: &P::Node, selector: &str) -> bool {
    !page.select(node, selector).is_empty()
}

/// The row a selectable element belongs to: the element itself when it holds text, else the
/// nearest row-like ancestor with text (a checkbox input inside `label` inside `a.row`).
fn item_of<P: Page>(page: &P, root: &P::Node, marker: &P::Node) -> P::Node {
    if !text_of(page, marker).is_empty() && page.tag(marker) != "input" {
        return marker.clone();
    }
    let mut at = marker.clone();
    for _ in 0..4 {
        let Some(parent) = page.parent(&at) else {
            break;
        };
        if parent == *root || !page.contains(root, &parent) {
            break;
        }
        let next = page
            .closest(&parent, ITEM)
            .filter(|item| item != root && page.contains(root, item))
            .unwrap_or(parent);
        if !text_of(page, &next).is_empty() {
            return next;
        }
        at = next;
    }
    at
}

/// Chips beside search fields: the children of a field's wrapper (the nearest of up to three
/// levels up that has any) that look like chips ([`chip_facts`]), with their facts.
fn chips<P: Page>(page: &P, fields: &[P::Node]) -> Vec<(P::Node, ItemFacts)> {
    let mut found: Vec<(P::Node, ItemFacts)> = Vec::new();
    for field in fields {
        let mut at = field.clone();
        for _ in 0..3 {
            let Some(parent) = page.parent(&at) else {
                break;
            };
            let mut here: Vec<(P::Node, ItemFacts)> = Vec::new();
            for child in elements(page, &parent) {
                if page.contains(&child, field) {
                    continue;
                }
                if let Some(facts) = chip_facts(page, &child) {
                    here.push((child, facts));
                } else if !has(page, &child, SELECTABLE) {
                    // A list of chips beside the field (WhatsApp, Google Groups): its children.
                    for chip in elements(page, &child) {
                        if let Some(facts) = chip_facts(page, &chip) {
                            here.push((chip, facts));
                        }
                    }
                }
            }
            if !here.is_empty() {
                for (node, facts) in here {
                    if !found.iter().any(|(known, _)| *known == node) {
                        found.push((node, facts));
                    }
                }
                break;
            }
            at = parent;
        }
    }
    found
}

/// The element children of `node`.
fn elements<P: Page>(page: &P, node: &P::Node) -> Vec<P::Node> {
    let mut out = Vec::new();
    for child in page.child_nodes(node) {
        if let Child::Element(node) = child {
            out.push(node);
        }
    }
    out
}

/// A chip's facts, when `node` is one: shown, a short text, and a remove button or a picture;
/// not a heading, a label, a list or a bar of buttons (a dialog's header and footer sit beside
/// fields too).
fn chip_facts<P: Page>(page: &P, node: &P::Node) -> Option<ItemFacts> {
    const HEADINGS: &str = "h1, h2, h3, h4, h5, h6, [role=heading]";
    if !page.is_shown(node)
        || page.matches(
            node,
            "h1, h2, h3, h4, h5, h6, [role=heading], label, ul, ol",
        )
        || has(page, node, "label")
        || has(page, node, SELECTABLE)
        || has(page, node, SEARCH)
    {
        return None;
    }
    let text = text_of(page, node);
    let chars = text.chars().count();
    if text.is_empty() || chars > MAX_RUN_CHARS * 2 {
        return None;
    }
    let facts = item_facts(page, node);
    // A chip names someone: more than an avatar's initials. Runs are never empty.
    let mut name = String::new();
    for run in facts.runs.iter().filter(|run| !is_initials(run)) {
        if !name.is_empty() {
            name.push(' ');
        }
        name.push_str(run);
    }
    if name.is_empty() {
        return None;
    }
    // A dialog's header (a title and a close button) sits beside fields too. A chip's name may
    // be a heading of its own (Telegram Web A's `h3.fullName`): then it carries a picture and
    // the heading is all of its name.
    let headings = page.select(node, HEADINGS);
    if let Some(heading) = headings.first() {
        if headings.len() > 1 || !facts.avatar || text_of(page, heading) != collapse(&name) {
            return None;
        }
    }
    let buttons = page.select(node, BUTTONS);
    let chip = match buttons.as_slice() {
        // Without a remove button, a picture makes it a person's chip (an "Add" button beside
        // the field does not).
        [] => facts.avatar,
        // The name must be outside the remove button: a bar holding one "Add" button is no chip.
        [button] => text_of(page, button).chars().count() < chars,
        _ => false,
    };
    chip.then_some(facts)
}

fn item_facts<P: Page>(page: &P, item: &P::Node) -> ItemFacts {
    let mut runs = Vec::new();
    collect_runs(page, item, &mut runs, 0);
    let avatar = has(page, item, AVATARS) || runs.iter().any(|run| is_initials(run));
    ItemFacts {
        selected: false,
        chip: false,
        runs,
        avatar,
    }
}

fn collect_runs<P: Page>(page: &P, node: &P::Node, runs: &mut Vec<String>, depth: usize) {
    if depth > 24 || runs.len() >= MAX_RUNS {
        return;
    }
    for child in page.child_nodes(node) {
        if runs.len() >= MAX_RUNS {
            return;
        }
        match child {
            Child::Text(text) => {
                let text: String = text.chars().filter(|c| !is_private_use(*c)).collect();
                let run = collapse_to(&text, MAX_RUN_CHARS * 2);
                if !run.is_empty() {
                    runs.push(run);
                }
            }
            Child::Element(element) => {
                let tag = page.tag(&element);
                if tag == "style" || tag == "script" {
                    continue;
                }
                collect_runs(page, &element, runs, depth + 1);
            }
        }
    }
}

/// Buttons off while nothing was selected, remembered per container; then each container's
/// buttons are marked with it.
fn remember<N: Clone + PartialEq>(
    memory: &mut StructureMemory<N>,
    mut containers: Vec<Container<N>>,
) -> Vec<Container<N>> {
    let Some(current) = containers
        .iter_mut()
        .find(|container| judge_people(&container.facts) >= MIN_PEOPLE)
    else {
        memory.forget();
        return containers;
    };
    if memory.container.as_ref() != Some(&current.root) {
        memory.container = Some(current.root.clone());
        memory.off_when_empty.clear();
    }
    if !current.facts.items.iter().any(|item| item.selected) {
        memory.off_when_empty.clear();
        for (node, facts) in current.buttons.iter().zip(&current.facts.buttons) {
            if !facts.enabled || !facts.shown {
                memory.off_when_empty.push(node.clone());
            }
        }
    }
    for (node, facts) in current.buttons.iter().zip(current.facts.buttons.iter_mut()) {
        facts.off_when_empty = memory.off_when_empty.contains(node);
    }
    containers
}

/// A container needs at least this many people (rows or chips) to be a people picker.
pub const MIN_PEOPLE: u32 = 2;

/// Most of the selected items must be people, not just some.
const PEOPLE_SHARE_PERCENT: u32 = 70;

fn judge_people(facts: &ContainerFacts) -> u32 {
    let mut people: u32 = 0;
    for item in &facts.items {
        people = people.saturating_add(u32::from(is_person(item)));
    }
    people
}

/// Whether the container is a people picker, and what it shows. `None`: not a picker (too few
/// people, or a panel without a search field).
pub fn judge(facts: &ContainerFacts) -> Option<Picker> {
    if facts.kind == ContainerKind::Panel && !facts.search {
        return None;
    }
    // One pass: people shown, items selected, and selected people as rows and as chips.
    let (mut people, mut selected_items, mut rows, mut chips) = (0u32, 0u32, 0u32, 0u32);
    for item in &facts.items {
        let person = is_person(item);
        people = people.saturating_add(u32::from(person));
        if item.selected {
            selected_items = selected_items.saturating_add(1);
            let kind = if item.chip { &mut chips } else { &mut rows };
            *kind = kind.saturating_add(u32::from(person));
        }
    }
    if people < MIN_PEOPLE {
        return None;
    }
    // A picker shows its selection twice (ticked rows and chips): the larger is the selection.
    let people_selected = rows.saturating_add(chips);
    let mostly_people =
        people_selected.saturating_mul(100) >= selected_items.saturating_mul(PEOPLE_SHARE_PERCENT);
    let selected = if mostly_people { rows.max(chips) } else { 0 };
    let prefer_chips = chips >= rows;
    let mut names = Vec::new();
    for item in &facts.items {
        if names.len() >= 50 {
            break;
        }
        if item.selected && item.chip == prefer_chips && is_person(item) {
            if let Some(name) = person_name(item) {
                names.push(name.clone());
            }
        }
    }
    Some(Picker {
        people,
        selected,
        names,
        add_control: add_control(&facts.buttons),
    })
}

/// The control that adds, told with confidence: the one shown, enabled button that was off
/// while nothing was selected; else the one shown, enabled button after the list when every
/// other shown, enabled button is a bare icon (a close or back button): a worded button
/// elsewhere may be the one that adds (Discord's "Add" beside the search field).
fn add_control(buttons: &[ButtonFacts]) -> Option<usize> {
    let (mut woke, mut woke_count) = (None, 0);
    let (mut after, mut after_count) = (None, 0);
    let mut worded_elsewhere = false;
    for (i, b) in buttons.iter().enumerate() {
        if !(b.shown && b.enabled) {
            continue;
        }
        if b.off_when_empty {
            woke = Some(i);
            woke_count += 1;
        }
        if b.region == Region::After {
            after = Some(i);
            after_count += 1;
        } else if b.worded {
            worded_elsewhere = true;
        }
    }
    if woke_count == 1 {
        return woke;
    }
    if after_count == 1 && !worded_elsewhere {
        after
    } else {
        None
    }
}

/// A row or chip that stands for a person: a name (or e-mail address) and a picture, or a chip
/// with a name. A row that states a share ("45%") is a poll's option, whoever voted for it.
pub fn is_person(item: &ItemFacts) -> bool {
    person_name(item).is_some()
        && (item.avatar || item.chip)
        && !item.runs.iter().any(|run| is_share(run))
}

/// A percentage: digits, then `%`.
fn is_share(run: &str) -> bool {
    run.split_whitespace().any(|word| {
        word.strip_suffix('%').is_some_and(|n| {
            !n.is_empty()
                && n.bytes()
                    .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
        })
    })
}

/// The item's first text that names a person.
/// A chip beside the people field names whoever was picked, however odd the name (a chip's
/// first text with a letter); a row's name must look like one ([`is_name_like`]).
fn person_name(item: &ItemFacts) -> Option<&String> {
    item.runs.iter().find(|run| {
        !is_initials(run)
            && !is_icon_token_only(run)
            && (is_name_like(run)
                || is_email(run)
                || (item.chip
                    && run.chars().count() <= MAX_RUN_CHARS
                    && run.chars().any(char::is_alphabetic)))
    })
}

fn is_icon_token_only(run: &str) -> bool {
    is_icon_token(run) && run.as_bytes().contains(&b'_')
}

/// One to three capital letters: an avatar's initials ("AS").
pub fn is_initials(run: &str) -> bool {
    let count = run.chars().count();
    (1..=3).contains(&count) && run.chars().all(|c| c.is_alphabetic() && c.is_uppercase())
}

/// A text that can be a person's display name: mostly letters, two to six words at most,
/// without the marks of other things (percentages, times, paths, file names, handles).
pub fn is_name_like(run: &str) -> bool {
    if run.split_whitespace().count() > 6 {
        return false;
    }
    // One pass over the characters. Marks of shares, times, channels, handles and questions
    // refuse; a name may hold brackets, a slash or markup-like characters ("Anna (Work)",
    // "<b>HTML</b> Tester").
    let (mut chars, mut non_space, mut letters, mut digits) = (0usize, 0usize, 0usize, 0usize);
    for c in run.chars() {
        if matches!(
            c,
            '%' | ':' | '\\' | '|' | '#' | '@' | '=' | '+' | '?' | '!'
        ) {
            return false;
        }
        chars += 1;
        non_space += usize::from(!c.is_whitespace());
        letters += usize::from(c.is_alphabetic());
        digits += usize::from(c.is_ascii_digit());
    }
    if !(2..=MAX_RUN_CHARS).contains(&chars) {
        return false;
    }
    // Digits only at the end ("Anna Schmidt 2"), never first ("12 members").
    let first_digit = run.trim_start().starts_with(|c: char| c.is_ascii_digit());
    if letters < 2 || letters * 10 < non_space * 7 || digits > 2 || first_digit {
        return false;
    }
    // "IMG_2034.jpg", "report.pdf" (byte-wise: `.` and ` ` are ASCII).
    let bytes = run.as_bytes();
    if let Some(dot) = bytes.iter().rposition(|&b| b == b'.') {
        let extension = &bytes[dot + 1..];
        if (2..=4).contains(&extension.len()) && !extension.contains(&b' ') {
            return false;
        }
    }
    true
}

/// One `@` with someone before it and a dotted domain after it, no whitespace (byte-wise: `@`
/// and `.` are ASCII).
fn is_email(run: &str) -> bool {
    let bytes = run.as_bytes();
    let Some(at) = bytes.iter().position(|&b| b == b'@') else {
        return false;
    };
    let domain = &bytes[at + 1..];
    at > 0
        && domain.contains(&b'.')
        && domain.first() != Some(&b'.')
        && domain.last() != Some(&b'.')
        && !domain.contains(&b'@')
        && !run.contains(char::is_whitespace)
}

#[cfg(test)]
mod tests;
