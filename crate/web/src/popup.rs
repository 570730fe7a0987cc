//! The toolbar popup: what Ask First is doing in the current tab.

use ask_first_core::protocol::{
    Engine, Health, PageReply, PageRequest, PageResponse, Request, TabStatus,
};
use ask_first_core::site::Site;
use wasm_bindgen::prelude::*;

use crate::browser;
use crate::dom::{mount, Node};
use crate::i18n::{localise_document, t, t_with};

/// Renders the popup into `#app`. The tab is the active tab of the current window, or the one
/// named by `?tab=ID` (the popup opened in a tab of its own, as tests and keyboard users do).
#[wasm_bindgen]
pub async fn start_popup() -> Result<(), JsValue> {
    localise_document("popupTitle")?;
    let tab_id = match requested_tab()? {
        Some(tab_id) => Some(tab_id),
        None => active_tab().await,
    };
    let status = match tab_id {
        Some(tab_id) => fetch_status(tab_id).await,
        None => Ok(None),
    };
    mount(render(status)?)
}

fn requested_tab() -> Result<Option<i32>, JsValue> {
    let search = crate::dom::document()?
        .location()
        .ok_or_else(|| JsValue::from_str("no location"))?
        .search()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search)?;
    Ok(params.get("tab").and_then(|id| id.parse().ok()))
}

async fn active_tab() -> Option<i32> {
    let query = browser::to_js(&serde_json::json!({"active": true, "currentWindow": true})).ok()?;
    let tabs = browser::call_async(&["tabs", "query"], &[query])
        .await
        .ok()?;
    let first = js_sys::Reflect::get(&tabs, &0.into()).ok()?;
    let id = js_sys::Reflect::get(&first, &"id".into()).ok()?.as_f64()?;
    i32::try_from(id as i64).ok()
}

async fn fetch_status(tab_id: i32) -> Result<Option<TabStatus>, String> {
    match browser::send(Request::Page(PageRequest::TabStatus { tab_id })).await? {
        PageReply::Page {
            body: PageResponse::TabStatus { status },
        } => Ok(status),
        PageReply::Refused { error } => Err(error.to_string()),
        other => Err(format!("unexpected reply {other:?}")),
    }
}

fn render(status: Result<Option<TabStatus>, String>) -> Result<Node, JsValue> {
    let header = Node::new("header")?.child(Node::new("h1")?.text(&t("extName")))?;
    let section = Node::new("section")?
        .attr("aria-labelledby", "this-tab")?
        .child(
            Node::new("h2")?
                .attr("id", "this-tab")?
                .text(&t("popupThisTab")),
        )?;
    let section = match status {
        Ok(Some(status)) => section.child(render_status(&status)?)?,
        Ok(None) => section.child(render_inactive()?)?,
        Err(error) => section.child(
            Node::new("p")?
                .attr("role", "alert")?
                .attr("data-field", "error")?
                .text(&t_with("popupBackgroundError", &[&error])),
        )?,
    };
    let settings = Node::new("button")?
        .attr("type", "button")?
        .attr("id", "open-options")?
        .text(&t("popupOpenOptions"));
    let on_click = Closure::<dyn FnMut()>::new(|| {
        let _ = browser::call(&["runtime", "openOptionsPage"], &[]);
    });
    settings
        .element()
        .add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;
    on_click.forget();
    Node::new("div")?
        .child(header)?
        .child(section)?
        .child(Node::new("footer")?.child(settings)?)
}

fn render_status(status: &TabStatus) -> Result<Node, JsValue> {
    let engine = match status.engine {
        Some(Engine::Wasm) => ("wasm", t("engineWasm")),
        Some(Engine::Fallback) => ("fallback", t("engineFallback")),
        None => ("none", t("engineNone")),
    };
    let mut list = Node::new("dl")?
        .child(Node::new("dt")?.text(&t("popupSite")))?
        .child(
            Node::new("dd")?
                .attr("data-field", "site")?
                .attr("data-value", status.site.id())?
                .text(status.site.display_name()),
        )?
        .child(Node::new("dt")?.text(&t("popupEngine")))?
        .child(
            Node::new("dd")?
                .attr("data-field", "engine")?
                .attr("data-value", engine.0)?
                .text(&engine.1),
        )?;
    let health = match &status.health {
        Health::Unknown => ("unknown", t("healthUnknown")),
        Health::Ok => ("ok", t("healthOk")),
        Health::Degraded(detail) => ("degraded", t_with("healthDegraded", &[detail])),
    };
    list = list
        .child(Node::new("dt")?.text(&t("popupHealth")))?
        .child(
            Node::new("dd")?
                .attr("data-field", "health")?
                .attr("data-value", health.0)?
                .text(&health.1),
        )?;
    if let Some(failure) = &status.failure {
        list = list
            .child(Node::new("dt")?.text(&t("popupFailure")))?
            .child(
                Node::new("dd")?
                    .attr("data-field", "failure")?
                    .text(failure),
            )?;
    }
    Ok(list)
}

fn render_inactive() -> Result<Node, JsValue> {
    let names: Vec<&str> = Site::ALL.iter().map(|site| site.display_name()).collect();
    Node::new("div")?.attr("data-field", "inactive")?.children([
        Node::new("p")?.text(&t("popupNotActive")),
        Node::new("p")?.text(&t_with("popupSupportedSites", &[&names.join(", ")])),
    ])
}
