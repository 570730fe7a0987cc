//! The options page: the user's rules, the record of groups left, export and import, deleting
//! everything, and the site packs (bundled, imported, reset to bundled). Rendered from Rust;
//! every page-supplied name and every text from an imported file goes in as text. Layer: glue
//! (draws what core decides; each section's view-model, where there is one, is core's).
//!
//! This module holds the page's state, loading, acting and drawing, and the helpers the
//! sections share; each section is a child module: `rules` (with `trusted`), `record`, `agreed`
//! ("they said yes"), `data`, `sync`, `storage`, `bursts`, `packs`; the monthly chart is
//! [`crate::chart`].

use std::cell::RefCell;
use std::rc::Rc;

use ask_first_core::guard::Burst;
use ask_first_core::model::Record;
use ask_first_core::protocol::{PackStatus, PageRequest, PageResponse};
use ask_first_core::record_view::RecordSort;
use ask_first_core::settings::Settings;
use ask_first_core::site::Site;
use ask_first_core::storage::LoadProblem;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

use crate::browser;
use crate::browser::page;
use crate::dom::{announce, document, focus_selector, mount, Node};
use crate::i18n::{localise_document, t, t_with};

/// What the page edits and shows.
#[derive(Default)]
struct State {
    settings: Settings,
    record: Record,
    search: String,
    sort: RecordSort,
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
    sync: sync::SyncView,
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

mod agreed;
mod bursts;
mod data;
mod packs;
mod record;
mod rules;
mod storage;
mod sync;
mod trusted;

/// Renders the options page into `#app`.
#[wasm_bindgen]
pub async fn start_options() -> Result<(), JsValue> {
    localise_document(key!("optionsTitle"))?;
    let state: Shared = Rc::new(RefCell::new(State::default()));
    reload(&state).await;
    render(&state)?;
    follow_changes(&state);
    sync::follow(&state);
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
    // Once per page life: the page marks edits until it closes.
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
    sync::reload(state).await;
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
        .child(rules::rules_section(state)?)?
        .child(record::record_section(state)?)?
        .child(crate::chart::section(
            &state.borrow().record,
            crate::chart::Size::Full,
        )?)?
        .child(yes_section(state)?)?
        .child(data::data_section(state)?)?
        .child(sync::sync_section(state)?)?
        .child(storage::storage_section(state)?)?
        .child(bursts::bursts_section(state)?)?
        .child(packs::packs_section(state)?)?
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

/// "They said yes" (`agreed`).
fn yes_section(state: &Shared) -> Result<Node, JsValue> {
    let shared = Rc::clone(state);
    let act_for_yes: agreed::Act =
        Rc::new(move |request, focus, done| act(&shared, request, focus, done));
    agreed::section(&state.borrow().record.agreed, act_for_yes)
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
fn head_row(keys: &[crate::i18n::Key<0>]) -> Result<Node, JsValue> {
    let mut row = Node::new("tr")?;
    for key in keys {
        row = row.child(Node::new("th")?.attr("scope", "col")?.text(&t(*key)))?;
    }
    Node::new("thead")?.child(row)
}

/// A table row for one site, its name as the row header; the section adds the cells.
fn site_row(site: Site) -> Result<Node, JsValue> {
    Node::new("tr")?.attr("data-site", site.id())?.child(
        Node::new("th")?
            .attr("scope", "row")?
            .text(site.display_name()),
    )
}

fn button(action: &str, label: &str) -> Result<Node, JsValue> {
    Ok(Node::new("button")?
        .attr("type", "button")?
        .attr("data-action", action)?
        .text(label))
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

fn site_select(id: &str) -> Result<Node, JsValue> {
    let options: Vec<(&str, String)> = Site::ALL
        .iter()
        .map(|s| (s.id(), s.display_name().to_owned()))
        .collect();
    select(id, &options, Site::Facebook.id())
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

fn size_text(bytes: u64) -> String {
    ask_first_core::storage::human_size(bytes, crate::i18n::ui_language() == "de")
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
