//! `storage.sync` for the background: reads the synced copy at start, when it changes
//! (`storage.onChanged`, area `sync`) and after local changes, hands it to the router (which
//! merges it into the record and the rules, through the same queue as every request, so the
//! background stays the only writer of `storage.local`), and writes back the items that changed.
//! Passes are paced ([`MIN_WRITE_INTERVAL_MS`]) to stay within the browser's write limits.
//! Nothing happens while the switch is off.

use std::cell::Cell;
use std::collections::BTreeSet;

use ask_first_core::protocol::{Envelope, PageRequest, PageResponse, Reply, Request};
use ask_first_core::router::Sender;
use ask_first_core::sync::MIN_WRITE_INTERVAL_MS;
use js_sys::{Function, Promise, Reflect};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::HOST;
use crate::browser;
use crate::storage::{Batch, StorageArea};

thread_local! {
    static SCHEDULED: Cell<bool> = const { Cell::new(false) };
    static RUNNING: Cell<bool> = const { Cell::new(false) };
    static AGAIN: Cell<bool> = const { Cell::new(false) };
    static LAST_WRITE: Cell<f64> = const { Cell::new(0.0) };
}

fn area() -> Option<StorageArea> {
    StorageArea::sync()
}

/// Whether the loaded settings say sync is off (`false` when nothing is loaded yet: the router
/// decides then).
fn known_off() -> bool {
    HOST.with(|host| {
        host.inner
            .state
            .borrow()
            .as_ref()
            .is_some_and(|state| !state.settings().sync)
    })
}

/// A pass soon: at once after a quiet while, otherwise when the interval since the last write
/// has passed. Several calls meanwhile make one pass.
pub fn schedule() {
    if known_off() || SCHEDULED.with(|s| s.replace(true)) {
        return;
    }
    let since = browser::now_ms() - LAST_WRITE.with(Cell::get);
    let delay = (MIN_WRITE_INTERVAL_MS - since).max(300.0);
    let run = Closure::once_into_js(|| {
        SCHEDULED.with(|s| s.set(false));
        wasm_bindgen_futures::spawn_local(run());
    });
    let global = js_sys::global();
    let set_timeout = Reflect::get(&global, &JsValue::from_str("setTimeout"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok());
    match set_timeout {
        Some(set_timeout) => {
            let _ = set_timeout.call2(&global, &run, &JsValue::from_f64(delay));
        }
        None => {
            SCHEDULED.with(|s| s.set(false));
            wasm_bindgen_futures::spawn_local(self::run());
        }
    }
}

async fn run() {
    if RUNNING.with(|r| r.replace(true)) {
        AGAIN.with(|a| a.set(true));
        return;
    }
    loop {
        if let Err(error) = pass().await {
            browser::warn(&format!("sync: {error}"));
        }
        if !AGAIN.with(|a| a.replace(false)) {
            break;
        }
    }
    RUNNING.with(|r| r.set(false));
}

/// One pass: the synced copy through the router, then the changed items back.
async fn pass() -> Result<(), String> {
    if known_off() {
        return Ok(());
    }
    let Some(area) = area() else {
        return Ok(());
    };
    let synced = Value::Object(area.get_all().await?);
    let body = ask(PageRequest::SyncPass { synced }).await?;
    write(&area, &body).await
}

/// Sends a page request through the background's own queue and waits for its reply.
async fn ask(request: PageRequest) -> Result<PageResponse, String> {
    let message =
        serde_json::to_value(Envelope::new(Request::Page(request))).map_err(|e| e.to_string())?;
    let promise = HOST.with(|host| host.handle(Sender::ExtensionPage, Ok(message)));
    let reply = JsFuture::from(promise).await.map_err(browser::describe)?;
    match browser::from_js_as::<Reply>(reply)? {
        Reply::Page { body } => Ok(body),
        other => Err(format!("refused: {other:?}")),
    }
}

/// Writes what a `Sync` answer says to `storage.sync`.
async fn write(area: &StorageArea, body: &PageResponse) -> Result<(), String> {
    let PageResponse::Sync { set, remove, .. } = body else {
        return Ok(());
    };
    let batch = Batch {
        writes: set.clone().into_iter().collect(),
        removals: remove.iter().cloned().collect::<BTreeSet<String>>(),
    };
    if batch.is_empty() {
        return Ok(());
    }
    LAST_WRITE.with(|l| l.set(browser::now_ms()));
    area.commit(&batch).await.map_err(|e| e.to_string())
}

/// A sync request from an extension page (the options page's "remove the synced copy"):
/// answered here, because only the background reads and writes the synced copy. `None` for
/// every other message.
pub fn page_request(message: &Value, sender: &Sender) -> Option<Promise> {
    if *sender != Sender::ExtensionPage {
        return None;
    }
    let kind = message.get("body")?.get("type")?.as_str()?;
    if !matches!(kind, "sync_pass" | "remove_synced_copy") {
        return None;
    }
    let message = message.clone();
    Some(wasm_bindgen_futures::future_to_promise(async move {
        let answer = async {
            let area = area().ok_or_else(|| "this browser has no sync storage".to_owned())?;
            let synced = Value::Object(area.get_all().await?);
            let mut message = message;
            message["body"]["synced"] = synced;
            let envelope: Envelope = serde_json::from_value(message).map_err(|e| e.to_string())?;
            let Request::Page(request) = envelope.request else {
                return Err("not a page request".to_owned());
            };
            let body = ask(request).await?;
            write(&area, &body).await?;
            Ok::<_, String>(Reply::Page { body })
        }
        .await;
        let reply = answer.unwrap_or_else(|error| Reply::Refused {
            error: ask_first_core::protocol::Refusal::Storage(error),
        });
        browser::to_js(&reply)
    }))
}

/// Called by `background.js` once the module is ready: a first pass.
#[wasm_bindgen]
pub fn sync_start() {
    schedule();
}

/// Called by `background.js` on `storage.onChanged` for the `sync` area.
#[wasm_bindgen]
pub fn sync_changed() {
    schedule();
}
