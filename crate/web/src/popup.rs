//! The toolbar popup: what Ask First is doing in the current tab, the record at a glance, the
//! latest incidents, pausing this site, and "I left this group".

use std::rc::Rc;

use ask_first_core::model::{Incident, IncidentKind, Record};
use ask_first_core::pack::PackSource;
use ask_first_core::page::check::{browser_name, site_report, ReadKind, Reading, SiteCheck};
use ask_first_core::protocol::{
    Engine, Health, PageRequest, PageResponse, TabEnvelope, TabReply, TabRequest, TabResponse,
    TabStatus,
};
use ask_first_core::settings::{Pause, Protection, Settings};
use ask_first_core::site::Site;
use wasm_bindgen::prelude::*;

use crate::browser::{self, page};
use crate::dom::{mount, on_click, Node};
use crate::i18n::{format_date, localise_document, t, t_with};

/// How many incidents the popup lists.
const LATEST: usize = 5;
const HOUR_MS: f64 = 3_600_000.0;

/// Renders the popup into `#app`. The tab is the active tab of the current window, or the one
/// named by `?tab=ID` (the popup opened in a tab of its own, as tests and keyboard users do).
/// Opening it marks the re-additions it shows as seen, which clears the toolbar badge.
#[wasm_bindgen]
pub async fn start_popup() -> Result<(), JsValue> {
    localise_document(key!("popupTitle"))?;
    let tab_id = match requested_tab()? {
        Some(tab_id) => Some(tab_id),
        None => browser::tabs::active_tab_id().await,
    };
    let view = Rc::new(load(tab_id).await);
    if let Some(settings) = &view.settings {
        crate::i18n::use_language(crate::i18n::chosen_language(settings)).await;
        localise_document(key!("popupTitle"))?;
    }
    render(&view)?;
    if view
        .record
        .as_ref()
        .is_some_and(|r| r.unseen_received() > 0)
    {
        let _ = page(PageRequest::MarkReadditionsSeen).await;
    }
    Ok(())
}

/// Everything the popup shows, fetched once.
struct View {
    tab_id: Option<i32>,
    status: Result<Option<TabStatus>, String>,
    /// The tab's content script's site check (`None`: no content core in the tab).
    check: Option<Result<SiteCheck, String>>,
    settings: Option<Settings>,
    record: Option<Record>,
}

async fn load(tab_id: Option<i32>) -> View {
    let status = match tab_id {
        Some(tab_id) => match page(PageRequest::TabStatus {
            tab_id,
            url: browser::tabs::url(tab_id).await,
        })
        .await
        {
            Ok(PageResponse::TabStatus { status }) => Ok(status),
            Ok(other) => Err(format!("unexpected reply {other:?}")),
            Err(error) => Err(error),
        },
        None => Ok(None),
    };
    let check = match (tab_id, &status) {
        (Some(tab_id), Ok(Some(_))) => Some(site_check(tab_id).await),
        _ => None,
    };
    let settings = match page(PageRequest::GetSettings).await {
        Ok(PageResponse::Settings { settings, .. }) => Some(settings),
        _ => None,
    };
    let record = match page(PageRequest::GetRecord).await {
        Ok(PageResponse::Record { record, .. }) => Some(record),
        _ => None,
    };
    View {
        tab_id,
        status,
        check,
        settings,
        record,
    }
}

/// Asks the tab's content script how it reads the page now.
async fn site_check(tab_id: i32) -> Result<SiteCheck, String> {
    let message =
        browser::to_js(&TabEnvelope::new(TabRequest::SiteCheck)).map_err(browser::describe)?;
    let answer = browser::tabs::send_message(tab_id, &message)
        .await
        .map_err(browser::describe)?;
    // The content script answers with the reply's JSON text (it carries no JSON builder).
    let text = answer
        .as_string()
        .ok_or_else(|| "the tab did not answer with text".to_owned())?;
    match serde_json::from_str::<TabReply>(&text).map_err(|err| err.to_string())? {
        TabReply::Tab {
            body: TabResponse::SiteCheck { check },
        } => Ok(check),
        TabReply::Refused { error } => Err(error.to_string()),
    }
}

fn requested_tab() -> Result<Option<i32>, JsValue> {
    let search = crate::dom::document()?
        .location()
        .ok_or_else(|| JsValue::from_str("no location"))?
        .search()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search)?;
    Ok(params.get("tab").and_then(|id| id.parse().ok()))
}

fn render(view: &Rc<View>) -> Result<(), JsValue> {
    let header = Node::new("header")?.child(Node::new("h1")?.text(&t(key!("extName"))))?;
    let tab = Node::new("section")?
        .attr("aria-labelledby", "this-tab")?
        .child(
            Node::new("h2")?
                .attr("id", "this-tab")?
                .text(&t(key!("popupThisTab"))),
        )?;
    let tab = match &view.status {
        Ok(Some(status)) => {
            let tab = tab
                .child(render_status(view, status)?)?
                .child(render_actions(view, status)?)?;
            match &view.check {
                Some(check) => tab.child(render_check(check)?)?,
                None => tab,
            }
        }
        Ok(None) => tab.child(render_inactive()?)?,
        Err(error) => tab.child(
            Node::new("p")?
                .attr("role", "alert")?
                .attr("data-field", "error")?
                .text(&t_with(key!("popupBackgroundError"), &[error])),
        )?,
    };
    let mut root = Node::new("div")?.child(header)?.child(tab)?;
    if let Some(record) = &view.record {
        root = root
            .child(render_counts(record)?)?
            .child(crate::chart::section(record, crate::chart::Size::Compact)?)?
            .child(render_latest(record)?)?;
    }
    let settings = Node::new("button")?
        .attr("type", "button")?
        .attr("id", "open-options")?
        .text(&t(key!("popupOpenOptions")));
    on_click(settings.element(), || {
        browser::runtime::open_options_page();
    })?;
    root = root.child(Node::new("footer")?.child(settings)?)?;
    mount(root)
}

/// "How Ask First reads this page": the site check in plain words, and the report to copy.
fn render_check(check: &Result<SiteCheck, String>) -> Result<Node, JsValue> {
    let section = Node::new("section")?
        .attr("aria-labelledby", "site-check-title")?
        .class("site-check")?
        .child(
            Node::new("h3")?
                .attr("id", "site-check-title")?
                .text(&t(key!("popupSiteCheck"))),
        )?;
    let check = match check {
        Ok(check) => check,
        Err(error) => {
            return section.child(
                Node::new("p")?
                    .attr("data-field", "site-check")?
                    .attr("data-reading", "unavailable")?
                    .text(&t_with(key!("siteCheckUnavailable"), &[error])),
            );
        }
    };
    let version = check.pack_version.to_string();
    let pack = t_with(
        match check.pack_source {
            PackSource::Bundled => key!("sitePackBundled"),
            PackSource::Imported => key!("sitePackImported"),
        },
        &[check.site.display_name(), &version],
    );
    let (reading, key) = match check.reading {
        Reading::Pack => ("pack", key!("siteCheckPack")),
        Reading::Structure => ("structure", key!("siteCheckStructure")),
        Reading::Unread => ("unread", key!("siteCheckUnread")),
        Reading::Idle => ("idle", key!("siteCheckIdle")),
    };
    let mut section = section.child(
        Node::new("p")?
            .attr("data-field", "site-check")?
            .attr("data-reading", reading)?
            .text(&t_with(key, &[&pack])),
    )?;
    if let Some(last) = &check.last {
        let (by, key) = match last.by {
            ReadKind::Pack => ("pack", key!("siteCheckLastPack")),
            ReadKind::Structure => ("structure", key!("siteCheckLastStructure")),
        };
        section = section.child(
            Node::new("p")?
                .attr("data-field", "site-check-last")?
                .attr("data-reading", by)?
                .text(&t_with(
                    key,
                    &[&last.selected.to_string(), &last.seconds_ago.to_string()],
                )),
        )?;
    }
    let report = site_report(check, &browser_name(&user_agent()), &extension_version());
    let copy = Node::new("button")?
        .attr("type", "button")?
        .attr("id", "copy-site-report")?
        .text(&t(key!("siteReportCopy")));
    let status = Node::new("span")?
        .attr("role", "status")?
        .attr("data-field", "site-report-status")?;
    let text = report.clone();
    // The status is found when the copy is done, not held by the listener (see `dom::listen`).
    on_click(copy.element(), move || {
        let text = text.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let copied = crate::dom::copy_text(&text).await;
            let status = crate::dom::document().ok().and_then(|document| {
                document
                    .query_selector("[data-field=\"site-report-status\"]")
                    .ok()
                    .flatten()
            });
            if let Some(status) = status {
                status.set_text_content(Some(&t(if copied {
                    key!("siteReportCopied")
                } else {
                    key!("siteReportCopyFailed")
                })));
            }
        });
    })?;
    section
        .child(Node::new("p")?.child(copy)?.child(status)?)?
        .child(
            Node::new("details")?
                .child(Node::new("summary")?.text(&t(key!("siteReportShow"))))?
                .child(
                    Node::new("pre")?
                        .attr("data-field", "site-report")?
                        .text(&report),
                )?,
        )
}

fn user_agent() -> String {
    web_sys::window()
        .and_then(|window| window.navigator().user_agent().ok())
        .unwrap_or_default()
}

fn extension_version() -> String {
    browser::runtime::manifest_version().unwrap_or_default()
}

fn row(list: Node, label: &str, field: &str, value: &str, text: &str) -> Result<Node, JsValue> {
    list.child(Node::new("dt")?.text(label))?.child(
        Node::new("dd")?
            .attr("data-field", field)?
            .attr("data-value", value)?
            .text(text),
    )
}

fn render_status(view: &View, status: &TabStatus) -> Result<Node, JsValue> {
    let mut list = Node::new("dl")?;
    list = row(
        list,
        &t(key!("popupSite")),
        "site",
        status.site.id(),
        status.site.display_name(),
    )?;
    if let Some(group) = &status.group {
        let left = view.record.as_ref().and_then(|r| r.find_left(group));
        let name = left
            .map(|entry| entry.name.clone())
            .unwrap_or_else(|| group.key.clone());
        list = row(list, &t(key!("popupGroup")), "group", &group.key, &name)?;
        let history = match left {
            Some(entry) => t_with(
                key!("popupLeftBefore"),
                &[
                    &entry.times_left.to_string(),
                    &format_date(entry.last_left),
                    &entry.readditions.to_string(),
                ],
            ),
            None => t(key!("popupNotLeft")),
        };
        list = row(
            list,
            &t(key!("popupHistory")),
            "left",
            if left.is_some() { "yes" } else { "no" },
            &history,
        )?;
    }
    let (protection, text) = protection(view.settings.as_ref(), status.site);
    list = row(
        list,
        &t(key!("popupProtection")),
        "protection",
        protection,
        &text,
    )?;
    let engine = match status.engine {
        Some(Engine::Wasm) => ("wasm", t(key!("engineWasm"))),
        Some(Engine::Fallback) => ("fallback", t(key!("engineFallback"))),
        None => ("none", t(key!("engineNone"))),
    };
    list = row(list, &t(key!("popupEngine")), "engine", engine.0, &engine.1)?;
    let health = match &status.health {
        Health::Unknown => ("unknown", t(key!("healthUnknown"))),
        Health::Ok => ("ok", t(key!("healthOk"))),
        Health::Degraded(detail) => ("degraded", t_with(key!("healthDegraded"), &[detail])),
    };
    list = row(list, &t(key!("popupHealth")), "health", health.0, &health.1)?;
    if let Some(failure) = &status.failure {
        list = row(list, &t(key!("popupFailure")), "failure", "yes", failure)?;
    }
    Ok(list)
}

/// The protection state of a site, as [`Settings::protection`] decides it: its value for the
/// page's `data-value` and its text.
fn protection(settings: Option<&Settings>, site: Site) -> (&'static str, String) {
    let Some(settings) = settings else {
        return ("unknown", t(key!("protectionUnknown")));
    };
    match settings.protection(site, browser::now_ms()) {
        Protection::Off => ("off", t(key!("protectionOff"))),
        Protection::Paused(Pause::Always) => ("paused", t(key!("protectionPausedAlways"))),
        Protection::Paused(Pause::Until(until)) => (
            "paused",
            t_with(key!("protectionPausedUntil"), &[&format_date(until)]),
        ),
        Protection::On => ("on", t(key!("protectionOn"))),
    }
}

fn render_actions(view: &Rc<View>, status: &TabStatus) -> Result<Node, JsValue> {
    let mut actions = Node::new("div")?.class("actions")?;
    let site = status.site;
    let paused = protection(view.settings.as_ref(), site).0 == "paused";
    if paused {
        actions = actions.child(action_button(
            "resume",
            &t(key!("popupResume")),
            view,
            move || PageRequest::PauseSite { site, pause: None },
        )?)?;
    } else {
        let group = Node::new("div")?
            .attr("role", "group")?
            .attr("aria-label", &t(key!("popupPauseLabel")))?
            .child(Node::new("span")?.text(&t(key!("popupPauseLabel"))))?
            .child(action_button(
                "pause-hour",
                &t(key!("popupPauseHour")),
                view,
                move || PageRequest::PauseSite {
                    site,
                    pause: Some(Pause::Until(browser::now_ms() + HOUR_MS)),
                },
            )?)?
            .child(action_button(
                "pause-tomorrow",
                &t(key!("popupPauseTomorrow")),
                view,
                move || PageRequest::PauseSite {
                    site,
                    pause: Some(Pause::Until(next_morning())),
                },
            )?)?
            .child(action_button(
                "pause-always",
                &t(key!("popupPauseAlways")),
                view,
                move || PageRequest::PauseSite {
                    site,
                    pause: Some(Pause::Always),
                },
            )?)?;
        actions = actions.child(group)?;
    }
    if let Some(group) = status.group.clone() {
        let out = view
            .record
            .as_ref()
            .and_then(|r| r.find_left(&group))
            .is_some_and(|entry| entry.is_out);
        if !out {
            actions = actions.child(action_button(
                "left-group",
                &t(key!("popupILeft")),
                view,
                move || PageRequest::RecordLeave {
                    group: group.clone(),
                    name: group.key.clone(),
                    url: None,
                },
            )?)?;
        }
    }
    Ok(actions)
}

/// Tomorrow at 06:00 local time.
fn next_morning() -> f64 {
    let date = js_sys::Date::new_0();
    date.set_date(date.get_date() + 1);
    date.set_hours(6);
    date.set_minutes(0);
    date.set_seconds(0);
    date.set_milliseconds(0);
    date.get_time()
}

/// A button that sends one request, then renders the popup again from fresh state.
fn action_button(
    action: &str,
    label: &str,
    view: &Rc<View>,
    request: impl Fn() -> PageRequest + 'static,
) -> Result<Node, JsValue> {
    let button = Node::new("button")?
        .attr("type", "button")?
        .attr("data-action", action)?
        .text(label);
    let tab_id = view.tab_id;
    let action = action.to_owned();
    on_click(button.element(), move || {
        let request = request();
        let action = action.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let result = page(request).await;
            let view = Rc::new(load(tab_id).await);
            let _ = render(&view);
            if let Err(error) = result {
                crate::dom::announce(&t_with(key!("popupActionFailed"), &[&error]));
            }
            crate::dom::focus_selector(&format!("[data-action=\"{action}\"]"));
        });
    })?;
    Ok(button)
}

fn render_inactive() -> Result<Node, JsValue> {
    let names: Vec<&str> = Site::ALL.iter().map(|site| site.display_name()).collect();
    Node::new("div")?.attr("data-field", "inactive")?.children([
        Node::new("p")?.text(&t(key!("popupNotActive"))),
        Node::new("p")?.text(&t_with(key!("popupSupportedSites"), &[&names.join(", ")])),
    ])
}

fn render_counts(record: &Record) -> Result<Node, JsValue> {
    let total = |kind: IncidentKind| record.totals.get(&kind).copied().unwrap_or(0);
    let groups_left = record.left.len().to_string();
    let readditions = (total(IncidentKind::ReAdded) + total(IncidentKind::ReInvited)).to_string();
    let avoided = total(IncidentKind::BulkAddCancelled).to_string();
    let mut list = Node::new("dl")?.class("counts")?;
    list = row(
        list,
        &t(key!("popupGroupsLeft")),
        "groups-left",
        &groups_left,
        &groups_left,
    )?;
    list = row(
        list,
        &t(key!("popupReadditions")),
        "readditions",
        &readditions,
        &readditions,
    )?;
    list = row(
        list,
        &t(key!("popupAvoided")),
        "avoided",
        &avoided,
        &avoided,
    )?;
    Node::new("section")?
        .attr("aria-labelledby", "counts")?
        .child(
            Node::new("h2")?
                .attr("id", "counts")?
                .text(&t(key!("popupRecord"))),
        )?
        .child(list)
}

/// The text of one incident, localised; names from pages stay text.
pub(crate) fn describe_incident(incident: &Incident) -> String {
    let group = incident
        .group_name
        .clone()
        .or_else(|| incident.group.clone())
        .unwrap_or_else(|| t(key!("popupUnknownGroup")));
    let actor = incident
        .actor
        .clone()
        .unwrap_or_else(|| t(key!("popupSomeone")));
    let count = incident.count.to_string();
    let key = match incident.kind {
        IncidentKind::ReAdded => key!("incidentReAdded"),
        IncidentKind::ReInvited => key!("incidentReInvited"),
        IncidentKind::BulkAddWarned => key!("incidentBulkWarned"),
        IncidentKind::BulkAddProceeded => key!("incidentBulkProceeded"),
        IncidentKind::BulkAddCancelled => key!("incidentBulkCancelled"),
        IncidentKind::AskMessageCopied => key!("incidentAskCopied"),
        IncidentKind::SequentialAddsWarned => key!("incidentSequentialWarned"),
    };
    t_with(key, &[&group, &actor, &count, incident.site.display_name()])
}

fn render_latest(record: &Record) -> Result<Node, JsValue> {
    let section = Node::new("section")?
        .attr("aria-labelledby", "latest")?
        .child(
            Node::new("h2")?
                .attr("id", "latest")?
                .text(&t(key!("popupLatest"))),
        )?;
    if record.incidents.is_empty() {
        return section.child(
            Node::new("p")?
                .attr("data-field", "no-incidents")?
                .text(&t(key!("popupNoIncidents"))),
        );
    }
    let mut list = Node::new("ul")?.attr("data-field", "incidents")?;
    for incident in record.incidents.iter().rev().take(LATEST) {
        let kind = serde_json::to_value(incident.kind)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        list = list.child(
            Node::new("li")?
                .attr("data-kind", &kind)?
                .child(Node::new("time")?.text(&format_date(incident.at)))?
                .child(Node::new("span")?.text(&format!(" {}", describe_incident(incident))))?,
        )?;
    }
    section.child(list)
}
