//! The options page: the user's rules, the record of groups left, export and import, deleting
//! everything, and the site packs (bundled, imported, reset to bundled). Rendered from Rust;
//! every page-supplied name and every text from an imported file goes in as text.

use std::cell::RefCell;
use std::rc::Rc;

use ask_first_core::ask::ask_message;
use ask_first_core::guard::{Burst, Class};
use ask_first_core::model::{GroupRef, PersonRef, Record};
use ask_first_core::pack::{
    PackImportError, PackProblem, PackSource, SelectorFault, MAX_LEAVE_STEPS, MAX_PACK_BYTES,
    MAX_SELECTOR_ALTERNATIVES, MAX_SELECTOR_CHARS, MAX_SELECTOR_HAS, MAX_STEP_ALTERNATIVES,
    MAX_TEXT_CHARS, MAX_VARIANTS, MAX_VERSIONS_AHEAD,
};
use ask_first_core::protocol::{PackStatus, PageRequest, PageResponse};
use ask_first_core::settings::{Lang, Language, Mode, Settings};
use ask_first_core::site::Site;
use ask_first_core::storage::{self, LoadProblem};
use ask_first_core::transfer::{ImportMode, MAX_IMPORT_BYTES};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

use crate::browser;
use crate::dom::{announce, document, focus_selector, mount, on_click, Node};
use crate::i18n::{format_date, localise_document, t, t_with, Key};
use crate::popup::page;
use crate::storage::StorageArea;

/// What the page edits and shows.
#[derive(Default)]
struct State {
    settings: Settings,
    record: Record,
    search: String,
    sort: String,
    /// "Delete everything" asks once more before it acts.
    confirming_delete: bool,
    import_report: Vec<String>,
    /// Every site's packs, from the background.
    packs: Vec<PackStatus>,
    /// The result of the last pack import: success, and the text shown.
    pack_report: Option<(bool, String)>,
    /// Pages that reported more than their budget, one report per site.
    bursts: Vec<Burst>,
    /// What storage holds and how full it is, from the background.
    storage: Option<StorageView>,
    /// The user typed or chose something since the page was last drawn: a change made in
    /// another page then waits for the next draw instead of replacing the form under them.
    editing: bool,
    /// The Sync section's status.
    sync: sync_section::SyncView,
}

/// The storage part of the page: use against the quota, backups, what failed.
struct StorageView {
    bytes_in_use: u64,
    quota_bytes: u64,
    bytes_by_key: std::collections::BTreeMap<String, u64>,
    backups: Vec<String>,
    problems: Vec<LoadProblem>,
    unsaved: Option<String>,
}

type Shared = Rc<RefCell<State>>;

#[path = "options_sync.rs"]
mod sync_section;

/// Renders the options page into `#app`.
#[wasm_bindgen]
pub async fn start_options() -> Result<(), JsValue> {
    localise_document(key!("optionsTitle"))?;
    let state: Shared = Rc::new(RefCell::new(State {
        sort: "last_left".into(),
        ..State::default()
    }));
    reload(&state).await;
    render(&state)?;
    follow_changes(&state);
    sync_section::follow(&state);
    Ok(())
}

/// Draws the page again when another page (the popup, another options tab) changed the
/// settings, unless the user is editing the form.
fn follow_changes(state: &Shared) {
    let editing = Rc::clone(state);
    let mark = Closure::<dyn FnMut()>::new(move || {
        if let Ok(mut state) = editing.try_borrow_mut() {
            state.editing = true;
        }
    });
    if let Ok(document) = document() {
        for event in ["input", "change"] {
            let _ = document.add_event_listener_with_callback(event, mark.as_ref().unchecked_ref());
        }
    }
    mark.forget();
    let shared = Rc::clone(state);
    browser::on_push(move |push| {
        // Only the settings: a record change comes with every warning on an open site tab, and
        // drawing the page anew replaces the control under the user (a file being chosen).
        let ask_first_core::protocol::Push::StateChanged { settings, .. } = push;
        if !settings || shared.borrow().editing {
            return;
        }
        let state = Rc::clone(&shared);
        wasm_bindgen_futures::spawn_local(async move {
            let focused = focused_selector();
            reload(&state).await;
            if state.borrow().editing {
                return;
            }
            let _ = render(&state);
            if let Some(selector) = focused {
                focus_selector(&selector);
            }
        });
    });
}

/// A selector for the focused control, to focus it again after drawing the page anew.
fn focused_selector() -> Option<String> {
    let element = document().ok()?.active_element()?;
    if let Some(action) = element.get_attribute("data-action") {
        return Some(format!("[data-action=\"{action}\"]"));
    }
    let id = element.id();
    (!id.is_empty()).then(|| format!("#{id}"))
}

async fn reload(state: &Shared) {
    if let Ok(PageResponse::Settings { settings, .. }) = page(PageRequest::GetSettings).await {
        crate::i18n::use_language(crate::i18n::chosen_language(&settings)).await;
        let _ = localise_document(key!("optionsTitle"));
        state.borrow_mut().settings = settings;
    }
    if let Ok(PageResponse::Record { record, .. }) = page(PageRequest::GetRecord).await {
        state.borrow_mut().record = record;
    }
    if let Ok(PageResponse::Packs { packs }) = page(PageRequest::GetPacks).await {
        state.borrow_mut().packs = packs;
    }
    if let Ok(PageResponse::StorageStatus {
        problems,
        backups,
        bytes_by_key,
        bytes_in_use,
        quota_bytes,
        unsaved,
        ..
    }) = page(PageRequest::GetStorageStatus).await
    {
        state.borrow_mut().storage = Some(StorageView {
            bytes_in_use,
            quota_bytes,
            bytes_by_key,
            backups,
            problems,
            unsaved,
        });
    }
    if let Ok(PageResponse::Bursts { bursts }) = page(PageRequest::GetBursts).await {
        state.borrow_mut().bursts = bursts;
    }
    sync_section::reload(state).await;
}

/// Sends `request`, reloads, renders again, keeps focus on `focus` and announces the outcome.
fn act(state: &Shared, request: PageRequest, focus: String, done: String) {
    let state = Rc::clone(state);
    wasm_bindgen_futures::spawn_local(async move {
        let result = page(request).await;
        reload(&state).await;
        let _ = render(&state);
        focus_selector(&focus);
        match result {
            Ok(PageResponse::Settings { issues, .. }) if !issues.is_empty() => {
                let fields: Vec<String> = issues.iter().map(|i| i.field.clone()).collect();
                announce(&t_with(key!("optionsReset"), &[&fields.join(", ")]));
            }
            Ok(_) => announce(&done),
            Err(error) => announce(&t_with(key!("popupActionFailed"), &[&error])),
        }
    });
}

fn render(state: &Shared) -> Result<(), JsValue> {
    state.borrow_mut().editing = false;
    let root = Node::new("div")?
        .child(Node::new("header")?.child(Node::new("h1")?.text(&t(key!("optionsTitle"))))?)?
        .child(rules_section(state)?)?
        .child(record_section(state)?)?
        .child(crate::chart::section(
            &state.borrow().record,
            crate::chart::Size::Full,
        )?)?
        .child(yes_section(state)?)?
        .child(data_section(state)?)?
        .child(sync_section::sync_section(state)?)?
        .child(storage_section(state)?)?
        .child(bursts_section(state)?)?
        .child(packs_section(state)?)?
        .child(
            Node::new("section")?
                .attr("aria-labelledby", "privacy-heading")?
                .child(
                    Node::new("h2")?
                        .attr("id", "privacy-heading")?
                        .text(&t(key!("optionsPrivacyHeading"))),
                )?
                .child(Node::new("p")?.text(&t(key!("optionsPrivacyText"))))?,
        )?
        .child(
            Node::new("footer")?
                .attr("data-field", "version")?
                .text(&t_with(
                    key!("optionsVersion"),
                    &[env!("CARGO_PKG_VERSION")],
                )),
        )?;
    mount(root)
}

/// "They said yes" ([`crate::agreed`]).
fn yes_section(state: &Shared) -> Result<Node, JsValue> {
    let shared = Rc::clone(state);
    let act_for_yes: crate::agreed::Act =
        Rc::new(move |request, focus, done| act(&shared, request, focus, done));
    crate::agreed::section(&state.borrow().record.agreed, act_for_yes)
}

fn section(id: &str, heading: &str) -> Result<Node, JsValue> {
    Node::new("section")?
        .attr("aria-labelledby", &format!("{id}-heading"))?
        .child(
            Node::new("h2")?
                .attr("id", &format!("{id}-heading"))?
                .text(heading),
        )
}

fn labelled(id: &str, label: &str, control: Node) -> Result<Node, JsValue> {
    Node::new("div")?
        .class("field")?
        .child(Node::new("label")?.attr("for", id)?.text(label))?
        .child(control)
}

fn number_input(id: &str, value: u32, min: u32, max: u32) -> Result<Node, JsValue> {
    Node::new("input")?
        .attr("type", "number")?
        .attr("id", id)?
        .attr("name", id)?
        .attr("min", &min.to_string())?
        .attr("max", &max.to_string())?
        .attr("value", &value.to_string())
}

fn select(id: &str, options: &[(&str, String)], selected: &str) -> Result<Node, JsValue> {
    let mut node = Node::new("select")?.attr("id", id)?.attr("name", id)?;
    for (value, label) in options {
        let mut option = Node::new("option")?.attr("value", value)?.text(label);
        if *value == selected {
            option = option.attr("selected", "")?;
        }
        node = node.child(option)?;
    }
    Ok(node)
}

/// A table head: one column header per locale key.
fn head_row(keys: &[Key<0>]) -> Result<Node, JsValue> {
    let mut row = Node::new("tr")?;
    for key in keys {
        row = row.child(Node::new("th")?.attr("scope", "col")?.text(&t(*key)))?;
    }
    Node::new("thead")?.child(row)
}

fn button(action: &str, label: &str) -> Result<Node, JsValue> {
    Ok(Node::new("button")?
        .attr("type", "button")?
        .attr("data-action", action)?
        .text(label))
}

fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Off => "off",
        Mode::Note => "note",
        Mode::Warn => "warn",
        Mode::Confirm => "confirm",
    }
}

fn rules_section(state: &Shared) -> Result<Node, JsValue> {
    let settings = state.borrow().settings.clone();
    let modes = [
        ("off", t(key!("modeOff"))),
        ("note", t(key!("modeNote"))),
        ("warn", t(key!("modeWarn"))),
        ("confirm", t(key!("modeConfirm"))),
    ];
    let mut sites = Node::new("tbody")?;
    for site in Site::ALL {
        let current = settings.site(site);
        let mut enabled = Node::new("input")?
            .attr("type", "checkbox")?
            .attr("id", &format!("enabled-{}", site.id()))?
            .attr(
                "aria-label",
                &t_with(key!("optionsSiteEnabled"), &[site.display_name()]),
            )?;
        if current.enabled {
            enabled = enabled.attr("checked", "")?;
        }
        let mode = select(
            &format!("mode-{}", site.id()),
            &modes,
            mode_name(current.mode),
        )?
        .attr(
            "aria-label",
            &t_with(key!("optionsSiteMode"), &[site.display_name()]),
        )?;
        sites = sites.child(
            Node::new("tr")?
                .attr("data-site", site.id())?
                .child(
                    Node::new("th")?
                        .attr("scope", "row")?
                        .text(site.display_name()),
                )?
                .child(Node::new("td")?.child(enabled)?)?
                .child(Node::new("td")?.child(mode)?)?
                .child(Node::new("td")?.text(&site.hosts().join(", ")))?,
        )?;
    }
    let table = Node::new("table")?
        .child(head_row(&[
            key!("optionsSiteColumn"),
            key!("optionsEnabledColumn"),
            key!("optionsModeColumn"),
            key!("optionsHostsColumn"),
        ])?)?
        .child(sites)?;
    let mut quiet = Node::new("input")?
        .attr("type", "checkbox")?
        .attr("id", "quiet-note")?;
    if settings.quiet_note {
        quiet = quiet.attr("checked", "")?;
    }
    let language = match settings.language {
        Language::Browser => "browser",
        Language::En => "en",
        Language::De => "de",
    };
    let numbers = Node::new("div")?
        .class("grid")?
        .child(labelled(
            "direct-threshold",
            &t(key!("optionsDirectThreshold")),
            number_input("direct-threshold", settings.direct_threshold, 1, 1000)?,
        )?)?
        .child(labelled(
            "invite-threshold",
            &t(key!("optionsInviteThreshold")),
            number_input("invite-threshold", settings.invite_threshold, 1, 1000)?,
        )?)?
        .child(labelled(
            "sequential-count",
            &t(key!("optionsSequentialCount")),
            number_input("sequential-count", settings.sequential_count, 1, 1000)?,
        )?)?
        .child(labelled(
            "sequential-minutes",
            &t(key!("optionsSequentialMinutes")),
            number_input("sequential-minutes", settings.sequential_minutes, 1, 1440)?,
        )?)?
        .child(
            Node::new("div")?.class("field")?.child(quiet)?.child(
                Node::new("label")?
                    .attr("for", "quiet-note")?
                    .text(&t(key!("optionsQuietNote"))),
            )?,
        )?
        .child(labelled(
            "language",
            &t(key!("optionsLanguage")),
            select(
                "language",
                &[
                    ("browser", t(key!("languageBrowser"))),
                    ("en", "English".into()),
                    ("de", "Deutsch".into()),
                ],
                language,
            )?,
        )?)?;
    let templates = Node::new("div")?
        .class("grid")?
        .child(template_field(
            "template-en",
            &t_with(key!("optionsTemplateEn"), &["{group}", "{names}"]),
            &settings.templates.en,
            Lang::En,
        )?)?
        .child(template_field(
            "template-de",
            &t_with(key!("optionsTemplateDe"), &["{group}", "{names}"]),
            &settings.templates.de,
            Lang::De,
        )?)?;
    let save = button("save-rules", &t(key!("optionsSave")))?;
    let shared = Rc::clone(state);
    on_click(save.element(), move || {
        let loaded = shared.borrow().settings.clone();
        let mut settings = loaded.clone();
        read_rules_form(&mut settings);
        act(
            &shared,
            save_request(&loaded, &settings),
            "[data-action=\"save-rules\"]".into(),
            t(key!("optionsSaved")),
        );
    })?;
    section("rules", &t(key!("optionsRulesHeading")))?
        .child(table)?
        .child(numbers)?
        .child(templates)?
        .child(trusted_groups(state)?)?
        .child(trusted_adders(state)?)?
        .child(Node::new("div")?.class("actions")?.child(save)?)
}

/// A template editor with a live preview of the message it makes.
fn template_field(id: &str, label: &str, value: &str, lang: Lang) -> Result<Node, JsValue> {
    let area = Node::new("textarea")?
        .attr("id", id)?
        .attr("rows", "4")?
        .text(value);
    let preview = Node::new("p")?
        .class("preview")?
        .attr("id", &format!("{id}-preview"))?
        .attr("aria-live", "polite")?
        .text(&preview_text(value, lang));
    let preview_element = preview.element().clone();
    let on_input = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        if let Some(area) = event
            .target()
            .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
        {
            preview_element.set_text_content(Some(&preview_text(&area.value(), lang)));
        }
    });
    area.element()
        .add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref())?;
    on_input.forget();
    Node::new("div")?
        .class("field")?
        .child(Node::new("label")?.attr("for", id)?.text(label))?
        .child(area)?
        .child(
            Node::new("span")?
                .class("muted")?
                .text(&t(key!("optionsPreview"))),
        )?
        .child(preview)
}

fn preview_text(template: &str, lang: Lang) -> String {
    let mut templates = Settings::default().templates;
    match lang {
        Lang::En => templates.en = template.to_owned(),
        Lang::De => templates.de = template.to_owned(),
    }
    let names = vec!["Anna Schmidt".to_owned(), "Ben Weber".to_owned()];
    ask_message(&templates, lang, "Book Club", &names)
}

/// The `<input>` with this id, if the page has one.
fn input_by_id(id: &str) -> Option<HtmlInputElement> {
    document()
        .ok()?
        .get_element_by_id(id)?
        .dyn_into::<HtmlInputElement>()
        .ok()
}

fn input_value(id: &str) -> Option<String> {
    let element = document().ok()?.get_element_by_id(id)?;
    if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
        return Some(if input.type_() == "checkbox" {
            input.checked().to_string()
        } else {
            input.value()
        });
    }
    if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
        return Some(select.value());
    }
    element
        .dyn_ref::<HtmlTextAreaElement>()
        .map(HtmlTextAreaElement::value)
}

/// Copies the form into `settings`; bad numbers are left for the background's `validate`,
/// which resets them and says so.
fn read_rules_form(settings: &mut Settings) {
    for site in Site::ALL {
        let mut current = settings.site(site);
        if let Some(enabled) = input_value(&format!("enabled-{}", site.id())) {
            current.enabled = enabled == "true";
        }
        if let Some(mode) = input_value(&format!("mode-{}", site.id())) {
            current.mode = match mode.as_str() {
                "off" => Mode::Off,
                "note" => Mode::Note,
                "warn" => Mode::Warn,
                _ => Mode::Confirm,
            };
        }
        settings.sites.insert(site, current);
    }
    let number = |id: &str, current: u32| {
        input_value(id)
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(current)
    };
    settings.direct_threshold = number("direct-threshold", settings.direct_threshold);
    settings.invite_threshold = number("invite-threshold", settings.invite_threshold);
    settings.sequential_count = number("sequential-count", settings.sequential_count);
    settings.sequential_minutes = number("sequential-minutes", settings.sequential_minutes);
    if let Some(quiet) = input_value("quiet-note") {
        settings.quiet_note = quiet == "true";
    }
    settings.language = match input_value("language").as_deref() {
        Some("en") => Language::En,
        Some("de") => Language::De,
        _ => Language::Browser,
    };
    if let Some(en) = input_value("template-en") {
        settings.templates.en = en;
    }
    if let Some(de) = input_value("template-de") {
        settings.templates.de = de;
    }
}

fn site_select(id: &str) -> Result<Node, JsValue> {
    let options: Vec<(&str, String)> = Site::ALL
        .iter()
        .map(|s| (s.id(), s.display_name().to_owned()))
        .collect();
    select(id, &options, Site::Facebook.id())
}

fn site_from_id(id: &str) -> Site {
    Site::ALL
        .into_iter()
        .find(|s| s.id() == id)
        .unwrap_or(Site::Facebook)
}

/// A group from what the user typed: a group page's address, or a site's key.
fn group_from_input(site: Site, text: &str) -> Option<GroupRef> {
    let text = text.trim();
    GroupRef::from_url(text)
        .filter(|group| group.site == site)
        .or_else(|| match site {
            Site::Whatsapp => GroupRef::from_title(site, text),
            _ => GroupRef::new(site, text),
        })
}

/// Saves what the page changed in the settings it loaded (`loaded`), so that a change another
/// page made since (a pause in the popup) stays.
fn save_request(loaded: &Settings, edited: &Settings) -> PageRequest {
    PageRequest::SetSettings {
        settings: serde_json::to_value(edited).unwrap_or_default(),
        base: serde_json::to_value(loaded).ok(),
    }
}

/// Saves the settings after `change`, keeping focus on `focus`.
fn save_settings(state: &Shared, change: impl FnOnce(&mut Settings), focus: &str) {
    let loaded = state.borrow().settings.clone();
    let mut settings = loaded.clone();
    change(&mut settings);
    act(
        state,
        save_request(&loaded, &settings),
        focus.to_owned(),
        t(key!("optionsSaved")),
    );
}

/// One trusted list (groups or people): its entries with a remove button each, and a form of a
/// site and a text to add one.
struct TrustedList<T> {
    /// `trusted-group` or `trusted-adder`: ids, actions and the list's `data-field` derive from it.
    id: &'static str,
    legend: Key<0>,
    help: Key<0>,
    text_label: Key<0>,
    invalid: Key<0>,
    /// The list in the settings.
    list: fn(&mut Settings) -> &mut Vec<T>,
    /// How an entry reads: its site and its key or name.
    describe: fn(&T) -> (Site, String),
    /// An entry from the form's site and text, if valid.
    parse: fn(Site, &str) -> Option<T>,
}

fn trusted_list<T: Clone + PartialEq + 'static>(
    state: &Shared,
    spec: TrustedList<T>,
) -> Result<Node, JsValue> {
    let entries = (spec.list)(&mut state.borrow().settings.clone()).clone();
    let text_id = format!("{}-text", spec.id);
    let site_id = format!("{}-site", spec.id);
    let focus = format!("#{text_id}");
    let mut list = Node::new("ul")?.attr("data-field", &format!("{}s", spec.id))?;
    for (index, entry) in entries.iter().enumerate() {
        let (site, text) = (spec.describe)(entry);
        let remove = button(&format!("remove-{}", spec.id), &t(key!("optionsRemove")))?
            .attr("aria-label", &t_with(key!("optionsRemoveNamed"), &[&text]))?;
        let shared = Rc::clone(state);
        let (list_of, focus) = (spec.list, focus.clone());
        on_click(remove.element(), move || {
            save_settings(
                &shared,
                |settings| {
                    let list = list_of(settings);
                    if index < list.len() {
                        list.remove(index);
                    }
                },
                &focus,
            );
        })?;
        list = list.child(
            Node::new("li")?
                .child(Node::new("span")?.text(&format!("{} · {text} ", site.display_name())))?
                .child(remove)?,
        )?;
    }
    let add = button(&format!("add-{}", spec.id), &t(key!("optionsAdd")))?;
    let shared = Rc::clone(state);
    let (list_of, parse, invalid) = (spec.list, spec.parse, spec.invalid);
    let (form_site, form_text, add_focus) = (site_id.clone(), text_id.clone(), focus.clone());
    on_click(add.element(), move || {
        let site = site_from_id(&input_value(&form_site).unwrap_or_default());
        let Some(entry) = parse(site, &input_value(&form_text).unwrap_or_default()) else {
            announce(&t(invalid));
            return;
        };
        save_settings(
            &shared,
            |settings| {
                let list = list_of(settings);
                if !list.contains(&entry) {
                    list.push(entry);
                }
            },
            &add_focus,
        );
    })?;
    Node::new("fieldset")?
        .child(Node::new("legend")?.text(&t(spec.legend)))?
        .child(Node::new("p")?.class("muted")?.text(&t(spec.help)))?
        .child(list)?
        .child(
            Node::new("div")?
                .class("inline")?
                .child(labelled(
                    &site_id,
                    &t(key!("optionsSiteColumn")),
                    site_select(&site_id)?,
                )?)?
                .child(labelled(
                    &text_id,
                    &t(spec.text_label),
                    Node::new("input")?
                        .attr("id", &text_id)?
                        .attr("type", "text")?,
                )?)?
                .child(add)?,
        )
}

fn trusted_groups(state: &Shared) -> Result<Node, JsValue> {
    trusted_list(
        state,
        TrustedList {
            id: "trusted-group",
            legend: key!("optionsTrustedGroups"),
            help: key!("optionsTrustedGroupsHelp"),
            text_label: key!("optionsGroupAddress"),
            invalid: key!("optionsBadGroup"),
            list: |settings| &mut settings.trusted_groups,
            describe: |group: &GroupRef| (group.site, group.key.clone()),
            parse: group_from_input,
        },
    )
}

fn trusted_adders(state: &Shared) -> Result<Node, JsValue> {
    trusted_list(
        state,
        TrustedList {
            id: "trusted-adder",
            legend: key!("optionsTrustedAdders"),
            help: key!("optionsTrustedAddersHelp"),
            text_label: key!("optionsPersonName"),
            invalid: key!("optionsBadName"),
            list: |settings| &mut settings.trusted_adders,
            describe: |person: &PersonRef| (person.site, person.name.clone()),
            parse: PersonRef::new,
        },
    )
}

fn record_section(state: &Shared) -> Result<Node, JsValue> {
    let (record, search, sort) = {
        let state = state.borrow();
        (
            state.record.clone(),
            state.search.clone(),
            state.sort.clone(),
        )
    };
    let needle = search.to_lowercase();
    let mut entries: Vec<_> = record
        .left
        .iter()
        .filter(|entry| {
            needle.is_empty()
                || entry.name.to_lowercase().contains(&needle)
                || entry.key.to_lowercase().contains(&needle)
                || entry
                    .adders
                    .keys()
                    .any(|a| a.to_lowercase().contains(&needle))
        })
        .collect();
    match sort.as_str() {
        "name" => entries.sort_by_key(|e| e.name.to_lowercase()),
        "readditions" => entries.sort_by_key(|e| std::cmp::Reverse(e.readditions)),
        _ => entries.sort_by(|a, b| b.last_left.total_cmp(&a.last_left)),
    }
    let search_input = Node::new("input")?
        .attr("type", "search")?
        .attr("id", "record-search")?
        .attr("value", &search)?;
    let shared = Rc::clone(state);
    let on_search = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        shared.borrow_mut().search = input_value("record-search").unwrap_or_default();
        let _ = render(&shared);
        focus_selector("#record-search");
        if let Some(input) = input_by_id("record-search") {
            let end = input.value().len() as u32;
            let _ = input.set_selection_range(end, end);
        }
    });
    search_input
        .element()
        .add_event_listener_with_callback("input", on_search.as_ref().unchecked_ref())?;
    on_search.forget();
    let sort_select = select(
        "record-sort",
        &[
            ("last_left", t(key!("optionsSortDate"))),
            ("name", t(key!("optionsSortName"))),
            ("readditions", t(key!("optionsSortReadditions"))),
        ],
        &sort,
    )?;
    let shared = Rc::clone(state);
    let on_sort = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        shared.borrow_mut().sort = input_value("record-sort").unwrap_or_default();
        let _ = render(&shared);
        focus_selector("#record-sort");
    });
    sort_select
        .element()
        .add_event_listener_with_callback("change", on_sort.as_ref().unchecked_ref())?;
    on_sort.forget();

    let mut body = Node::new("tbody")?;
    for entry in &entries {
        let group = entry.group();
        let adders: Vec<String> = entry
            .adders
            .iter()
            .map(|(name, n)| format!("{name} ({n})"))
            .collect();
        let forget = button("forget", &t(key!("optionsForget")))?.attr(
            "aria-label",
            &t_with(key!("optionsForgetNamed"), &[&entry.name]),
        )?;
        let shared = Rc::clone(state);
        let target = group.clone();
        on_click(forget.element(), move || {
            act(
                &shared,
                PageRequest::ForgetGroup {
                    group: target.clone(),
                },
                "#record-search".into(),
                t(key!("optionsForgotten")),
            );
        })?;
        // One per group: the site and the whole key (keys of equal length used to share one).
        let rename_id = format!("{}:{}", group.site.id(), entry.key);
        let rename_input = Node::new("input")?
            .attr("type", "text")?
            .attr(
                "aria-label",
                &t_with(key!("optionsRenameNamed"), &[&entry.name]),
            )?
            .attr("data-rename", &rename_id)?
            .attr("value", &entry.name)?;
        let rename_element = rename_input.element().clone();
        let rename = button("rename", &t(key!("optionsRename")))?;
        let shared = Rc::clone(state);
        let target = group.clone();
        on_click(rename.element(), move || {
            let name = rename_element
                .dyn_ref::<HtmlInputElement>()
                .map(HtmlInputElement::value)
                .unwrap_or_default();
            act(
                &shared,
                PageRequest::RenameGroup {
                    group: target.clone(),
                    name,
                },
                "#record-search".into(),
                t(key!("optionsSaved")),
            );
        })?;
        body = body.child(
            Node::new("tr")?
                .attr("data-group", &entry.key)?
                .child(
                    Node::new("th")?
                        .attr("scope", "row")?
                        .child(rename_input)?
                        .child(rename)?,
                )?
                .child(Node::new("td")?.text(entry.site.display_name()))?
                .child(Node::new("td")?.text(&format_date(entry.last_left)))?
                .child(
                    Node::new("td")?
                        .attr("data-field", "times-left")?
                        .text(&entry.times_left.to_string()),
                )?
                .child(
                    Node::new("td")?
                        .attr("data-field", "readditions")?
                        .text(&entry.readditions.to_string()),
                )?
                .child(Node::new("td")?.text(&adders.join(", ")))?
                .child(Node::new("td")?.child(forget)?)?,
        )?;
    }
    let head = head_row(&[
        key!("optionsGroupColumn"),
        key!("optionsSiteColumn"),
        key!("optionsLastLeftColumn"),
        key!("optionsTimesLeftColumn"),
        key!("optionsReaddedColumn"),
        key!("optionsAddersColumn"),
        key!("optionsActionsColumn"),
    ])?;
    let table = if entries.is_empty() {
        Node::new("p")?
            .attr("data-field", "no-groups")?
            .text(&t(key!("optionsNoGroups")))
    } else {
        Node::new("div")?.class("scroll")?.child(
            Node::new("table")?
                .attr("data-field", "groups-left")?
                .child(head)?
                .child(body)?,
        )?
    };
    let add = button("add-left", &t(key!("optionsAdd")))?;
    let shared = Rc::clone(state);
    on_click(add.element(), move || {
        let site = site_from_id(&input_value("left-site").unwrap_or_default());
        let Some(group) = group_from_input(site, &input_value("left-key").unwrap_or_default())
        else {
            announce(&t(key!("optionsBadGroup")));
            return;
        };
        let name = input_value("left-name")
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| group.key.clone());
        act(
            &shared,
            PageRequest::RecordLeave {
                group,
                name,
                url: None,
            },
            "#left-key".into(),
            t(key!("optionsSaved")),
        );
    })?;
    let by_hand = Node::new("fieldset")?
        .child(Node::new("legend")?.text(&t(key!("optionsAddLeft"))))?
        .child(
            Node::new("div")?
                .class("inline")?
                .child(labelled(
                    "left-site",
                    &t(key!("optionsSiteColumn")),
                    site_select("left-site")?,
                )?)?
                .child(labelled(
                    "left-key",
                    &t(key!("optionsGroupAddress")),
                    Node::new("input")?
                        .attr("id", "left-key")?
                        .attr("type", "text")?,
                )?)?
                .child(labelled(
                    "left-name",
                    &t(key!("optionsGroupName")),
                    Node::new("input")?
                        .attr("id", "left-name")?
                        .attr("type", "text")?,
                )?)?
                .child(add)?,
        )?;
    let mut adders = Node::new("tbody")?;
    for adder in &record.adders {
        adders = adders.child(
            Node::new("tr")?
                .child(Node::new("th")?.attr("scope", "row")?.text(&adder.name))?
                .child(Node::new("td")?.text(adder.site.display_name()))?
                .child(Node::new("td")?.text(&adder.readditions.to_string()))?
                .child(Node::new("td")?.text(&adder.reinvitations.to_string()))?
                .child(Node::new("td")?.text(&adder.groups.len().to_string()))?,
        )?;
    }
    let adders_table = Node::new("table")?
        .attr("data-field", "adders")?
        .child(head_row(&[
            key!("optionsPersonName"),
            key!("optionsSiteColumn"),
            key!("optionsReaddedColumn"),
            key!("optionsReinvitedColumn"),
            key!("optionsGroupsColumn"),
        ])?)?
        .child(adders)?;
    section("record", &t(key!("optionsRecordHeading")))?
        .child(
            Node::new("div")?
                .class("inline")?
                .child(labelled(
                    "record-search",
                    &t(key!("optionsSearch")),
                    search_input,
                )?)?
                .child(labelled(
                    "record-sort",
                    &t(key!("optionsSort")),
                    sort_select,
                )?)?,
        )?
        .child(table)?
        .child(by_hand)?
        .child(Node::new("h3")?.text(&t(key!("optionsAddersHeading"))))?
        .child(if record.adders.is_empty() {
            Node::new("p")?.text(&t(key!("optionsNoAdders")))
        } else {
            adders_table
        })
}

fn data_section(state: &Shared) -> Result<Node, JsValue> {
    let export = button("export", &t(key!("optionsExport")))?;
    on_click(export.element(), || {
        wasm_bindgen_futures::spawn_local(async {
            match page(PageRequest::Export).await {
                Ok(PageResponse::Export { file_name, data }) => {
                    if download(&file_name, &data).is_err() {
                        announce(&t(key!("optionsExportFailed")));
                    } else {
                        announce(&t_with(key!("optionsExported"), &[&file_name]));
                    }
                }
                Ok(_) | Err(_) => announce(&t(key!("optionsExportFailed"))),
            }
        });
    })?;
    let file = Node::new("input")?
        .attr("type", "file")?
        .attr("id", "import-file")?
        .attr("accept", "application/json,.json")?;
    let mode = Node::new("fieldset")?
        .child(Node::new("legend")?.text(&t(key!("optionsImportMode"))))?
        .child(radio(
            "import-mode",
            "merge",
            &t(key!("optionsImportMerge")),
            true,
        )?)?
        .child(radio(
            "import-mode",
            "replace",
            &t(key!("optionsImportReplace")),
            false,
        )?)?;
    let import = button("import", &t(key!("optionsImport")))?;
    let shared = Rc::clone(state);
    on_click(import.element(), move || import_file(&shared))?;
    let report = {
        let lines = state.borrow().import_report.clone();
        let mut list = Node::new("ul")?
            .attr("data-field", "import-report")?
            .attr("aria-live", "polite")?;
        for line in lines {
            list = list.child(Node::new("li")?.text(&line))?;
        }
        list
    };
    let confirming = state.borrow().confirming_delete;
    let mut delete = Node::new("div")?.class("actions")?;
    if confirming {
        let yes = button("delete-confirm", &t(key!("optionsDeleteConfirm")))?.class("danger")?;
        let no = button("delete-cancel", &t(key!("gateCancel")))?;
        let shared = Rc::clone(state);
        on_click(yes.element(), move || {
            shared.borrow_mut().confirming_delete = false;
            act(
                &shared,
                PageRequest::DeleteEverything,
                "[data-action=\"delete\"]".into(),
                t(key!("optionsDeleted")),
            );
        })?;
        let shared = Rc::clone(state);
        on_click(no.element(), move || {
            shared.borrow_mut().confirming_delete = false;
            let _ = render(&shared);
            focus_selector("[data-action=\"delete\"]");
        })?;
        delete = delete
            .child(
                Node::new("p")?
                    .attr("role", "alert")?
                    .text(&t(key!("optionsDeleteQuestion"))),
            )?
            .child(yes)?
            .child(no)?;
    } else {
        let ask = button("delete", &t(key!("optionsDelete")))?.class("danger")?;
        let shared = Rc::clone(state);
        on_click(ask.element(), move || {
            shared.borrow_mut().confirming_delete = true;
            let _ = render(&shared);
            focus_selector("[data-action=\"delete-cancel\"]");
        })?;
        delete = delete.child(ask)?;
    }
    section("data", &t(key!("optionsDataHeading")))?
        .child(Node::new("div")?.class("actions")?.child(export)?)?
        .child(labelled(
            "import-file",
            &t(key!("optionsImportFile")),
            file,
        )?)?
        .child(mode)?
        .child(Node::new("div")?.class("actions")?.child(import)?)?
        .child(report)?
        .child(delete)
}

/// Reports a page made up far more than a person causes: one line per site, what was refused
/// and when, and a button to clear them. Nothing (no section) while there are none.
fn bursts_section(state: &Shared) -> Result<Node, JsValue> {
    let bursts = state.borrow().bursts.clone();
    if bursts.is_empty() {
        return Node::new("div")?
            .attr("hidden", "")?
            .attr("data-field", "bursts");
    }
    let mut list = Node::new("ul")?.attr("data-field", "bursts")?;
    for burst in &bursts {
        let classes: Vec<String> = burst
            .classes
            .iter()
            .map(|class| {
                t(match class {
                    Class::Leave => key!("optionsBurstLeaves"),
                    Class::Received => key!("optionsBurstReceived"),
                    Class::Own => key!("optionsBurstOwn"),
                })
            })
            .collect();
        let mut line = t_with(
            key!("optionsBurstLine"),
            &[
                burst.site.display_name(),
                &burst.refused.to_string(),
                &format_date(burst.first_at),
                &format_date(burst.last_at),
                &classes.join(", "),
            ],
        );
        if burst.record_full {
            line = format!("{line} {}", t(key!("optionsBurstFull")));
        }
        list = list.child(
            Node::new("li")?
                .attr("data-site", burst.site.id())?
                .attr("data-refused", &burst.refused.to_string())?
                .text(&line),
        )?;
    }
    let clear = button("clear-bursts", &t(key!("optionsBurstsClear")))?;
    let shared = Rc::clone(state);
    on_click(clear.element(), move || {
        act(
            &shared,
            PageRequest::ClearBursts,
            "#data-heading".into(),
            t(key!("optionsBurstsCleared")),
        );
    })?;
    section("bursts", &t(key!("optionsBurstsHeading")))?
        .child(Node::new("p")?.text(&t(key!("optionsBurstsHelp"))))?
        .child(list)?
        .child(Node::new("div")?.class("actions")?.child(clear)?)
}

fn size_text(bytes: u64) -> String {
    storage::human_size(bytes, crate::i18n::ui_language() == "de")
}

/// How full storage is (a warning above [`storage::QUOTA_WARN_PERCENT`]), what could not be
/// stored, what the load found, and the backups it kept, each to download or delete.
fn storage_section(state: &Shared) -> Result<Node, JsValue> {
    let mut section = section("storage", &t(key!("optionsStorageHeading")))?;
    let borrowed = state.borrow();
    let Some(view) = borrowed.storage.as_ref() else {
        return section.child(Node::new("p")?.text(&t(key!("optionsStorageUnknown"))));
    };
    let percent = (view.bytes_in_use * 100)
        .checked_div(view.quota_bytes)
        .unwrap_or(0);
    section = section.child(
        Node::new("p")?
            .attr("data-field", "storage-use")?
            .attr("data-percent", &percent.to_string())?
            .text(&t_with(
                key!("optionsStorageUse"),
                &[
                    &size_text(view.bytes_in_use),
                    &size_text(view.quota_bytes),
                    &percent.to_string(),
                ],
            )),
    )?;
    if storage::near_quota(view.bytes_in_use, view.quota_bytes) {
        section = section.child(
            Node::new("p")?
                .attr("role", "alert")?
                .attr("data-field", "storage-warning")?
                .class("warning")?
                .text(&t(key!("optionsStorageNearlyFull"))),
        )?;
    }
    if let Some(reason) = &view.unsaved {
        section = section.child(
            Node::new("p")?
                .attr("role", "alert")?
                .attr("data-field", "storage-unsaved")?
                .class("warning")?
                .text(&t_with(key!("optionsStorageUnsaved"), &[reason])),
        )?;
    }
    if !view.problems.is_empty() {
        let mut list = Node::new("ul")?.attr("data-field", "storage-problems")?;
        for problem in &view.problems {
            list = list.child(Node::new("li")?.text(&t_with(
                key!("optionsStorageProblem"),
                &[&problem.key, &problem.problem],
            )))?;
        }
        section = section.child(list)?;
    }
    section = section.child(Node::new("h3")?.text(&t(key!("optionsBackupsHeading"))))?;
    if view.backups.is_empty() {
        return section.child(
            Node::new("p")?
                .attr("data-field", "backups")?
                .text(&t(key!("optionsBackupsNone"))),
        );
    }
    section = section.child(Node::new("p")?.text(&t(key!("optionsBackupsHelp"))))?;
    let mut list = Node::new("ul")?.attr("data-field", "backups")?;
    for key in &view.backups {
        let size = view.bytes_by_key.get(key).copied().unwrap_or(0);
        let save = button("backup-download", &t(key!("optionsBackupDownload")))?
            .attr("data-key", key)?
            .attr(
                "aria-label",
                &t_with(key!("optionsBackupDownloadLabel"), &[key]),
            )?;
        let owned = key.clone();
        on_click(save.element(), move || download_backup(owned.clone()))?;
        let remove = button("backup-delete", &t(key!("optionsBackupDelete")))?
            .attr("data-key", key)?
            .attr(
                "aria-label",
                &t_with(key!("optionsBackupDeleteLabel"), &[key]),
            )?;
        let shared = Rc::clone(state);
        let owned = key.clone();
        on_click(remove.element(), move || {
            act(
                &shared,
                PageRequest::DeleteBackup { key: owned.clone() },
                "[data-field=\"backups\"]".into(),
                t(key!("optionsBackupDeleted")),
            );
        })?;
        list = list.child(
            Node::new("li")?
                .child(Node::new("span")?.text(&t_with(
                    key!("optionsBackupEntry"),
                    &[key, &size_text(size)],
                )))?
                .child(save)?
                .child(remove)?,
        )?;
    }
    section.child(list)
}

/// Saves one backup as a file: read from `storage.local` directly (reading needs no writer),
/// as the text it was stored with.
fn download_backup(key: String) {
    wasm_bindgen_futures::spawn_local(async move {
        let value = async {
            let area = StorageArea::local().ok_or_else(|| "no storage".to_owned())?;
            let value = area.get(&key).await?;
            match value.as_string() {
                Some(text) => Ok(text),
                None => js_sys::JSON::stringify(&value)
                    .ok()
                    .and_then(|text| text.as_string())
                    .ok_or_else(|| "unreadable".to_owned()),
            }
        }
        .await;
        let safe: String = key
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let file_name = format!("ask-first-{safe}.json");
        match value {
            Ok(data) if download(&file_name, &data).is_ok() => {
                announce(&t_with(key!("optionsExported"), &[&file_name]))
            }
            _ => announce(&t(key!("optionsExportFailed"))),
        }
    });
}

fn radio(name: &str, value: &str, label: &str, checked: bool) -> Result<Node, JsValue> {
    let id = format!("{name}-{value}");
    let mut input = Node::new("input")?
        .attr("type", "radio")?
        .attr("name", name)?
        .attr("id", &id)?
        .attr("value", value)?;
    if checked {
        input = input.attr("checked", "")?;
    }
    Node::new("div")?
        .child(input)?
        .child(Node::new("label")?.attr("for", &id)?.text(label))
}

fn download(file_name: &str, data: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(data));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link = document()?.create_element("a")?;
    link.set_attribute("href", &url)?;
    link.set_attribute("download", file_name)?;
    if let Some(link) = link.dyn_ref::<web_sys::HtmlElement>() {
        link.click();
    }
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}

fn import_file(state: &Shared) {
    let Some(input) = input_by_id("import-file") else {
        return;
    };
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        announce(&t(key!("optionsImportNoFile")));
        return;
    };
    let replace = input_by_id("import-mode-replace").is_some_and(|r| r.checked());
    let mode = if replace {
        ImportMode::Replace
    } else {
        ImportMode::Merge
    };
    // A file over the limit is not read, nor sent to the background (whose memory would keep
    // its peak): the limit is known here.
    if file.size() > MAX_IMPORT_BYTES as f64 {
        let line = t_with(
            key!("optionsImportTooLarge"),
            &[
                &size_text(file.size() as u64),
                &size_text(MAX_IMPORT_BYTES as u64),
            ],
        );
        state.borrow_mut().import_report = vec![line.clone()];
        let _ = render(state);
        focus_selector("[data-action=\"import\"]");
        announce(&line);
        return;
    }
    let state = Rc::clone(state);
    wasm_bindgen_futures::spawn_local(async move {
        let text = match wasm_bindgen_futures::JsFuture::from(file.text()).await {
            Ok(text) => text.as_string().unwrap_or_default(),
            Err(_) => {
                announce(&t(key!("optionsImportUnreadable")));
                return;
            }
        };
        let lines = match page(PageRequest::Import { data: text, mode }).await {
            Ok(PageResponse::Imported { report }) => {
                let mut lines = vec![t(key!("optionsImportDone"))];
                for (part, count) in &report.taken {
                    lines.push(t_with(
                        key!("optionsImportTaken"),
                        &[&count.to_string(), part],
                    ));
                }
                for issue in &report.skipped {
                    lines.push(t_with(
                        key!("optionsImportSkipped"),
                        &[&issue.path, &issue.problem],
                    ));
                }
                lines
            }
            Ok(PageResponse::ImportFailed { message, .. }) => {
                vec![t_with(key!("optionsImportFailed"), &[&message])]
            }
            Ok(_) => vec![t_with(key!("optionsImportFailed"), &["?"])],
            Err(error) => vec![t_with(key!("optionsImportFailed"), &[&error])],
        };
        reload(&state).await;
        state.borrow_mut().import_report = lines.clone();
        let _ = render(&state);
        focus_selector("[data-action=\"import\"]");
        announce(&lines.join(" "));
    });
}

fn packs_section(state: &Shared) -> Result<Node, JsValue> {
    let (packs, report) = {
        let state = state.borrow();
        (state.packs.clone(), state.pack_report.clone())
    };
    let mut body = Node::new("tbody")?;
    for status in &packs {
        let site = status.site;
        let imported = status
            .imported
            .map_or_else(|| "–".to_owned(), |version| version.to_string());
        let (active, active_text) = match status.active {
            PackSource::Bundled => ("bundled", t(key!("optionsPackActiveBundled"))),
            PackSource::Imported => ("imported", t(key!("optionsPackActiveImported"))),
        };
        let mut actions = Node::new("td")?;
        if status.imported.is_some() {
            let reset = button("reset-pack", &t(key!("optionsPackReset")))?.attr(
                "aria-label",
                &t_with(key!("optionsPackResetNamed"), &[site.display_name()]),
            )?;
            let shared = Rc::clone(state);
            on_click(reset.element(), move || {
                shared.borrow_mut().pack_report = None;
                act(
                    &shared,
                    PageRequest::ResetPack { site },
                    "#pack-file".into(),
                    t_with(key!("optionsPackResetDone"), &[site.display_name()]),
                );
            })?;
            actions = actions.child(reset)?;
        }
        body = body.child(
            Node::new("tr")?
                .attr("data-site", site.id())?
                .child(
                    Node::new("th")?
                        .attr("scope", "row")?
                        .text(site.display_name()),
                )?
                .child(
                    Node::new("td")?
                        .attr("data-field", "pack-version")?
                        .text(&status.bundled.to_string()),
                )?
                .child(
                    Node::new("td")?
                        .attr("data-field", "pack-imported")?
                        .text(&imported),
                )?
                .child(
                    Node::new("td")?
                        .attr("data-field", "pack-active")?
                        .attr("data-value", active)?
                        .text(&active_text),
                )?
                .child(actions)?,
        )?;
    }
    let file = Node::new("input")?
        .attr("type", "file")?
        .attr("id", "pack-file")?
        .attr("accept", "application/json,.json")?
        .attr("aria-describedby", "pack-file-help")?;
    let shared = Rc::clone(state);
    let on_change = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        // The input that changed, not the one found by id: the page may have been drawn anew
        // since, with an empty input in its place.
        if let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<HtmlInputElement>().ok())
        {
            import_pack_file(&shared, &input);
        }
    });
    file.element()
        .add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref())?;
    on_change.forget();
    // A success is a status, a refusal an alert; both stay until the next import or reset.
    let report = match report {
        Some((ok, text)) => Node::new("p")?
            .attr("data-field", "pack-report")?
            .attr("data-value", if ok { "ok" } else { "error" })?
            .attr("role", if ok { "status" } else { "alert" })?
            .text(&text),
        None => Node::new("p")?
            .attr("data-field", "pack-report")?
            .attr("role", "status")?,
    };
    section("packs", &t(key!("optionsPacksHeading")))?
        .child(
            Node::new("p")?
                .class("muted")?
                .text(&t(key!("optionsPacksHelp"))),
        )?
        .child(
            Node::new("table")?
                .attr("data-field", "packs")?
                .child(head_row(&[
                    key!("optionsSiteColumn"),
                    key!("optionsPackVersion"),
                    key!("optionsPackImportedColumn"),
                    key!("optionsPackActiveColumn"),
                    key!("optionsActionsColumn"),
                ])?)?
                .child(body)?,
        )?
        .child(labelled("pack-file", &t(key!("optionsPackImport")), file)?)?
        .child(
            Node::new("p")?
                .class("muted")?
                .attr("id", "pack-file-help")?
                .text(&t(key!("optionsPackImportHelp"))),
        )?
        .child(report)
}

/// Reads the chosen pack file and asks the background to import it; the result stays on the
/// page (and is announced).
fn import_pack_file(state: &Shared, input: &HtmlInputElement) {
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return;
    };
    let state = Rc::clone(state);
    wasm_bindgen_futures::spawn_local(async move {
        // A file far beyond the cap is not even read (the background checks the exact size).
        let too_large = file.size() > (MAX_PACK_BYTES * 2) as f64;
        let text = if too_large {
            None
        } else {
            wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|text| text.as_string())
        };
        let report = match text {
            None if too_large => (
                false,
                t_with(
                    key!("optionsPackImportFailed"),
                    &[&problem_text(&PackProblem::TooLarge {
                        bytes: file.size() as usize,
                    })],
                ),
            ),
            None => (false, t(key!("optionsImportUnreadable"))),
            Some(data) => match page(PageRequest::ImportPack { data }).await {
                Ok(PageResponse::PackImported {
                    site,
                    version,
                    replaced,
                }) => {
                    let version = version.to_string();
                    let text = match replaced {
                        Some(old) => t_with(
                            key!("optionsPackImportedReplacing"),
                            &[site.display_name(), &version, &old.to_string()],
                        ),
                        None => t_with(
                            key!("optionsPackImported"),
                            &[site.display_name(), &version],
                        ),
                    };
                    (true, text)
                }
                Ok(PageResponse::PackImportFailed { error, .. }) => (
                    false,
                    t_with(
                        key!("optionsPackImportFailed"),
                        &[&import_error_text(&error)],
                    ),
                ),
                Ok(_) => (false, t_with(key!("optionsPackImportFailed"), &["?"])),
                Err(error) => (false, t_with(key!("optionsPackImportFailed"), &[&error])),
            },
        };
        reload(&state).await;
        state.borrow_mut().pack_report = Some(report.clone());
        let _ = render(&state);
        focus_selector("#pack-file");
        if report.0 {
            announce(&report.1);
        }
    });
}

/// Why an import was refused, in the page's language.
fn import_error_text(error: &PackImportError) -> String {
    match error {
        PackImportError::NotNewer {
            site,
            version,
            bundled,
        } => t_with(
            key!("optionsPackNotNewer"),
            &[
                site.display_name(),
                &version.to_string(),
                &bundled.to_string(),
            ],
        ),
        PackImportError::TooNew {
            site,
            version,
            bundled,
        } => t_with(
            key!("optionsPackTooNew"),
            &[
                site.display_name(),
                &version.to_string(),
                &MAX_VERSIONS_AHEAD.to_string(),
                &bundled.to_string(),
            ],
        ),
        PackImportError::Invalid { error } if error.path.is_empty() => problem_text(&error.problem),
        PackImportError::Invalid { error } => t_with(
            key!("optionsPackAt"),
            &[&error.path, &problem_text(&error.problem)],
        ),
    }
}

fn problem_text(problem: &PackProblem) -> String {
    let kib = |bytes: usize| bytes.div_ceil(1024).to_string();
    match problem {
        PackProblem::TooLarge { bytes } => t_with(
            key!("packProblemTooLarge"),
            &[&kib(*bytes), &kib(MAX_PACK_BYTES)],
        ),
        PackProblem::Syntax { line, column } => t_with(
            key!("packProblemSyntax"),
            &[&line.to_string(), &column.to_string()],
        ),
        PackProblem::UnknownField(field) => t_with(key!("packProblemUnknownField"), &[field]),
        PackProblem::UnknownSite(site) => t_with(key!("packProblemUnknownSite"), &[site]),
        PackProblem::Json(detail) => t_with(key!("packProblemShape"), &[detail]),
        PackProblem::Empty => t(key!("packProblemEmpty")),
        PackProblem::ForeignHost => t(key!("packProblemForeignHost")),
        PackProblem::Duplicate => t(key!("packProblemDuplicate")),
        PackProblem::SelectorTooLong => t_with(
            key!("packProblemSelectorTooLong"),
            &[&MAX_SELECTOR_CHARS.to_string()],
        ),
        PackProblem::SelectorSyntax(fault) => {
            let why = match fault {
                SelectorFault::Comment => t(key!("packFaultComment")),
                SelectorFault::ControlCharacter => t(key!("packFaultControl")),
                SelectorFault::Character(ch) => {
                    t_with(key!("packFaultCharacter"), &[&ch.to_string()])
                }
                SelectorFault::UnbalancedBrackets => t(key!("packFaultBrackets")),
                SelectorFault::UnclosedQuote => t(key!("packFaultQuote")),
            };
            t_with(key!("packProblemSelector"), &[&why])
        }
        PackProblem::MissingLanguage(lang) => t_with(key!("packProblemMissingLanguage"), &[lang]),
        PackProblem::BadLanguage => t(key!("packProblemBadLanguage")),
        PackProblem::TooManyVariants => t_with(
            key!("packProblemTooManyVariants"),
            &[&MAX_VARIANTS.to_string()],
        ),
        PackProblem::TextTooLong => t_with(
            key!("packProblemTextTooLong"),
            &[&MAX_TEXT_CHARS.to_string()],
        ),
        PackProblem::TextControl => t(key!("packProblemTextControl")),
        PackProblem::CounterPlaceholder => t_with(key!("packProblemCounter"), &["{n}"]),
        PackProblem::MessagePlaceholder(detail) => t_with(key!("packProblemMessage"), &[detail]),
        PackProblem::SelectorTooBroad => t(key!("packProblemSelectorTooBroad")),
        PackProblem::SelectorTooComplex => t_with(
            key!("packProblemSelectorTooComplex"),
            &[
                &MAX_SELECTOR_ALTERNATIVES.to_string(),
                &MAX_SELECTOR_HAS.to_string(),
            ],
        ),
        PackProblem::BadId => t(key!("packProblemBadId")),
        PackProblem::NoCountSource => t(key!("packProblemNoCount")),
        PackProblem::TooManySteps => t_with(
            key!("leavePackProblemTooManySteps"),
            &[
                &MAX_LEAVE_STEPS.to_string(),
                &MAX_STEP_ALTERNATIVES.to_string(),
            ],
        ),
    }
}
