//! The options page's Sync section: the switch, how much of the record the synced copy holds
//! and what stays in this browser only, problems with the synced copy, and "remove the synced
//! copy". A child of the options page module; the merging is the core's (`ask_first_core::sync`).

use std::rc::Rc;

use ask_first_core::protocol::{PageRequest, PageResponse};
use ask_first_core::sync::{item_bytes, own_keys, SyncStatus};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{act, button, save_settings, section, size_text, Shared};
use crate::browser::page;
use crate::dom::{document, listen, Node};
use crate::i18n::{format_date, t, t_with};
use crate::storage::StorageArea;

/// What the section shows.
#[derive(Default, Clone, PartialEq)]
pub(super) struct SyncView {
    status: Option<SyncStatus>,
    /// The synced copy as this browser's sync storage holds it: our items and their bytes.
    copy_items: usize,
    copy_bytes: u64,
}

async fn fetch() -> SyncView {
    let mut view = SyncView::default();
    if let Ok(PageResponse::Sync { status, .. }) = page(PageRequest::GetSyncStatus).await {
        view.status = Some(status);
    }
    // Reading needs no writer: the page looks at the synced copy itself.
    if let Some(area) = StorageArea::sync() {
        if let Ok(items) = area.get_all().await {
            let value = serde_json::Value::Object(items);
            let keys = own_keys(&value);
            view.copy_bytes = keys
                .iter()
                .filter_map(|k| value.get(k).map(|v| item_bytes(k, v) as u64))
                .sum();
            view.copy_items = keys.len();
        }
    }
    view
}

pub(super) async fn reload(state: &Shared) {
    let view = fetch().await;
    state.borrow_mut().sync = view;
}

/// Keeps the section current while the page is open: a pass runs in the background shortly
/// after a change, and the synced copy changes when another browser syncs.
pub(super) fn follow(state: &Shared) {
    let shared = Rc::clone(state);
    let tick = Closure::<dyn FnMut()>::new(move || {
        let state = Rc::clone(&shared);
        wasm_bindgen_futures::spawn_local(async move {
            let view = fetch().await;
            if state.borrow().sync == view {
                return;
            }
            state.borrow_mut().sync = view;
            let Ok(fresh) = sync_section(&state) else {
                return;
            };
            let old = document()
                .ok()
                .and_then(|d| d.get_element_by_id("sync-section"));
            // The control the user is on keeps the focus.
            let focused = document()
                .ok()
                .and_then(|d| d.active_element())
                .zip(old.clone())
                .filter(|(active, old)| old.contains(Some(active)))
                .and_then(|_| super::focused_selector());
            if let Some(old) = old {
                let _ = old.replace_with_with_node_1(fresh.element());
            }
            if let Some(selector) = focused {
                crate::dom::focus_selector(&selector);
            }
        });
    });
    if let Some(window) = web_sys::window() {
        let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
            tick.as_ref().unchecked_ref(),
            1_500,
        );
    }
    // Once per page life: the section refreshes until the page closes.
    tick.forget();
}

pub(super) fn sync_section(state: &Shared) -> Result<Node, JsValue> {
    let (enabled, view) = {
        let borrowed = state.borrow();
        (borrowed.settings.sync, borrowed.sync.clone())
    };
    let mut node = section("sync", &t(key!("syncHeading")))?
        .attr("id", "sync-section")?
        .child(Node::new("p")?.text(&t(key!("syncHelp"))))?;
    let mut switch = Node::new("input")?
        .attr("type", "checkbox")?
        .attr("id", "sync-enabled")?
        .attr("data-action", "sync-switch")?;
    if enabled {
        switch = switch.attr("checked", "")?;
    }
    let shared = Rc::clone(state);
    listen(switch.element(), "change", move |_| {
        let on = document()
            .ok()
            .and_then(|d| d.get_element_by_id("sync-enabled"))
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            .is_some_and(|input| input.checked());
        save_settings(&shared, |settings| settings.sync = on, "#sync-enabled");
    })?;
    node = node.child(
        Node::new("div")?
            .class("field")?
            .class("check")?
            .child(switch)?
            .child(
                Node::new("label")?
                    .attr("for", "sync-enabled")?
                    .text(&t(key!("syncSwitch"))),
            )?,
    )?;
    if enabled {
        match view
            .status
            .as_ref()
            .and_then(|s| s.report.clone().map(|r| (s, r)))
        {
            Some((status, report)) => {
                let percent = (report.bytes * 100)
                    .checked_div(report.quota_bytes)
                    .unwrap_or(0);
                node = node
                    .child(
                        Node::new("p")?
                            .attr("data-field", "sync-use")?
                            .attr("data-bytes", &report.bytes.to_string())?
                            .attr("data-quota", &report.quota_bytes.to_string())?
                            .attr("data-items", &report.items.to_string())?
                            .text(&t_with(
                                key!("syncUse"),
                                &[
                                    &size_text(report.bytes),
                                    &size_text(report.quota_bytes),
                                    &percent.to_string(),
                                    &report.items.to_string(),
                                ],
                            )),
                    )?
                    .child(
                        Node::new("p")?
                            .attr("data-field", "sync-groups")?
                            .attr("data-synced", &report.groups_synced.to_string())?
                            .attr("data-local", &report.groups_local.to_string())?
                            .text(&if report.groups_local == 0 {
                                t_with(key!("syncGroupsAll"), &[&report.groups_synced.to_string()])
                            } else {
                                t_with(
                                    key!("syncGroupsSome"),
                                    &[
                                        &report.groups_synced.to_string(),
                                        &report.groups_local.to_string(),
                                    ],
                                )
                            }),
                    )?;
                if status.last_sync > 0 {
                    node = node.child(Node::new("p")?.attr("data-field", "sync-last")?.text(
                        &t_with(key!("syncLast"), &[&format_date(status.last_sync as f64)]),
                    ))?;
                }
                if !status.issues.is_empty() {
                    let mut list = Node::new("ul")?.attr("data-field", "sync-issues")?;
                    for issue in &status.issues {
                        list = list.child(
                            Node::new("li")?
                                .text(&t_with(key!("syncIssue"), &[&issue.key, &issue.problem])),
                        )?;
                    }
                    node = node.child(
                        Node::new("p")?
                            .attr("role", "status")?
                            .text(&t(key!("syncIssues"))),
                    )?;
                    node = node.child(list)?;
                }
            }
            None => {
                node = node.child(
                    Node::new("p")?
                        .attr("data-field", "sync-use")?
                        .text(&t(key!("syncPending"))),
                )?;
            }
        }
    } else if view.copy_items > 0 {
        let remove = button("sync-remove", &t(key!("syncRemove")))?;
        let shared = Rc::clone(state);
        crate::dom::on_click(remove.element(), move || {
            act(
                &shared,
                PageRequest::RemoveSyncedCopy {
                    synced: serde_json::Value::Null,
                },
                "#sync-enabled".into(),
                t(key!("syncRemoved")),
            );
        })?;
        node = node
            .child(
                Node::new("p")?
                    .attr("data-field", "sync-copy")?
                    .attr("data-items", &view.copy_items.to_string())?
                    .text(&t_with(
                        key!("syncCopyLeft"),
                        &[&size_text(view.copy_bytes), &view.copy_items.to_string()],
                    )),
            )?
            .child(remove)?;
    }
    Ok(node)
}
