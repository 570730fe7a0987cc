//! The background glue in a real service worker (no window, no DOM), as Chromium runs it:
//! the router behind `handle_message`, and the storage adapter with serialised, acknowledged
//! writes over an in-memory stand-in for `storage.local`.

mod common;

use ask_first_core::router::Sender;
use ask_first_web::background::BackgroundHost;
use ask_first_web::storage::StorageArea;
use common::*;
use serde_json::json;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_service_worker);

const FACEBOOK: &str = "https://www.facebook.com/groups/4711/";

fn left_group(key: &str) -> serde_json::Value {
    json!({"v": 1, "channel": "content", "body": {
        "type": "left_group", "group": {"site": "facebook", "key": key}, "name": format!("Group {key}")}})
}

fn get_record() -> serde_json::Value {
    json!({"v": 1, "channel": "page", "body": {"type": "get_record"}})
}

fn host_over(area: &JsValue) -> BackgroundHost {
    ask_first_web::browser::set_api_root(fake_extension_api());
    BackgroundHost::new(Some(StorageArea::from_js(area.clone())), None)
}

/// A host over `area` and a session area, as after each start of the worker.
fn host_with_session(area: &JsValue, session: &JsValue) -> BackgroundHost {
    ask_first_web::browser::set_api_root(fake_extension_api());
    BackgroundHost::new(
        Some(StorageArea::from_js(area.clone())),
        Some(StorageArea::from_js(session.clone())),
    )
}

#[wasm_bindgen_test]
async fn a_restarted_worker_still_knows_its_tabs() {
    let area = fake_storage_area();
    let session = fake_storage_area();
    let before = host_with_session(&area, &session);
    let tab = content_sender(FACEBOOK, 7);
    let hello = json!({"v": 1, "channel": "content",
                       "body": {"type": "hello", "site": "facebook", "engine": "wasm"}});
    assert_eq!(
        settle(before.handle(tab.clone(), Ok(hello))).await["outcome"],
        "content"
    );
    let context = json!({"v": 1, "channel": "content", "body": {"type": "page_context",
        "site": "facebook", "group": {"site": "facebook", "key": "4711"}}});
    assert_eq!(
        settle(before.handle(tab.clone(), Ok(context))).await["outcome"],
        "content"
    );
    drop(before);

    // The browser stopped the worker: a new host, nothing in memory.
    let after = host_with_session(&area, &session);
    let status = json!({"v": 1, "channel": "page", "body": {"type": "tab_status", "tab_id": 7}});
    let answer = settle(after.handle(Sender::ExtensionPage, Ok(status))).await;
    assert_eq!(answer["body"]["status"]["engine"], "wasm", "{answer}");
    assert_eq!(answer["body"]["status"]["group"]["key"], "4711", "{answer}");

    // A fresh session (the browser quit): unknown again.
    let fresh = host_with_session(&area, &fake_storage_area());
    let status = json!({"v": 1, "channel": "page", "body": {"type": "tab_status", "tab_id": 7}});
    let answer = settle(fresh.handle(Sender::ExtensionPage, Ok(status))).await;
    assert_eq!(
        answer["body"]["status"],
        serde_json::Value::Null,
        "{answer}"
    );
}

#[wasm_bindgen_test]
fn the_worker_has_no_window() {
    assert!(web_sys::window().is_none());
}

#[wasm_bindgen_test]
async fn handle_message_classifies_the_browser_sender() {
    ask_first_web::browser::set_api_root(fake_extension_api());
    // No storage API in this worker: the request is still classified and answered clearly.
    let content = sender(TEST_ID, "https://web.telegram.org/k/#-100123", Some(3));
    let page = page_sender();
    let status = json!({"v": 1, "channel": "page", "body": {"type": "tab_status", "tab_id": 3}});
    let refused = settle(ask_first_web::background::handle_message(
        message(status),
        content,
    ))
    .await;
    assert_eq!(refused["error"]["code"], "not_allowed");
    let hello = json!({"v": 1, "channel": "content",
                       "body": {"type": "hello", "site": "telegram", "engine": "fallback"}});
    let stranger = sender(
        "someone-else",
        "chrome-extension://someone-else/x.html",
        None,
    );
    let refused = settle(ask_first_web::background::handle_message(
        message(hello),
        stranger,
    ))
    .await;
    assert_eq!(refused["error"]["code"], "not_allowed");
    let answer = settle(ask_first_web::background::handle_message(
        message(get_record()),
        page,
    ))
    .await;
    assert_eq!(
        answer["error"]["code"], "storage",
        "no storage.local here: {answer}"
    );
}

#[wasm_bindgen_test]
async fn a_change_is_acknowledged_only_after_the_write_resolved() {
    let area = fake_storage_area();
    let host = host_over(&area);
    // Let the first load (which stores the schema version) finish before holding writes.
    assert_eq!(
        settle(host.handle(Sender::ExtensionPage, Ok(get_record()))).await["outcome"],
        "page"
    );
    set(&area, "hold", &true.into());
    let reply = host.handle(content_sender(FACEBOOK, 1), Ok(left_group("4711")));
    let done = std::rc::Rc::new(std::cell::Cell::new(false));
    let flag = done.clone();
    let watched = async move {
        let value = settle(reply).await;
        flag.set(true);
        value
    };
    let watched = wasm_bindgen_futures::future_to_promise(async move {
        Ok(ask_first_web::browser::to_js(&watched.await).unwrap())
    });
    sleep(50).await;
    assert!(!done.get(), "replied before storage confirmed the write");
    assert!(
        !stored(&area, "record").to_string().contains("4711"),
        "not stored yet"
    );

    // Release the write: now the reply comes, and the record is in storage.
    let release: js_sys::Function = wasm_bindgen::JsCast::dyn_into(get(&area, "release")).unwrap();
    release.call0(&area).unwrap();
    let value = reply_from(watched).await;
    assert_eq!(value["outcome"], "content");
    assert!(done.get());
    let record = stored(&area, "record");
    assert!(record.to_string().contains("4711"), "{record}");
}

async fn reply_from(promise: js_sys::Promise) -> serde_json::Value {
    reply(wasm_bindgen_futures::JsFuture::from(promise).await.unwrap())
}

#[wasm_bindgen_test]
async fn concurrent_reports_are_all_stored_in_few_writes() {
    let area = fake_storage_area();
    let host = host_over(&area);
    // 120: what one site's pages may report as left in an hour (`guard::limits::SITE_LEAVES`);
    // beyond it the reports would be refused, not stored.
    let replies: Vec<_> = (0..120)
        .map(|i| {
            host.handle(
                content_sender(FACEBOOK, i % 20),
                Ok(left_group(&format!("g{i}"))),
            )
        })
        .collect();
    for reply in replies {
        assert_eq!(settle(reply).await["outcome"], "content");
    }
    let listed = settle(host.handle(Sender::ExtensionPage, Ok(get_record()))).await;
    let left = listed["body"]["record"]["left"].as_array().map(Vec::len);
    assert_eq!(
        left,
        Some(120),
        "every acknowledged report is in the record"
    );
    let text = stored(&area, "record");
    let text = text
        .as_str()
        .expect("the record is stored as its JSON text");
    let record: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(
        record["left"].as_array().map(Vec::len),
        Some(120),
        "and in storage"
    );
    let sets = get(&area, "sets").as_f64().unwrap();
    assert!(
        sets < 120.0,
        "writes were batched ({sets} sets for 120 reports)"
    );
}

#[wasm_bindgen_test]
async fn a_failed_write_is_reported_and_nothing_half_done_survives() {
    let area = fake_storage_area();
    let host = host_over(&area);
    assert_eq!(
        settle(host.handle(content_sender(FACEBOOK, 1), Ok(left_group("kept")))).await["outcome"],
        "content"
    );

    set(&area, "failNext", &"QUOTA_BYTES quota exceeded".into());
    let refused = settle(host.handle(content_sender(FACEBOOK, 1), Ok(left_group("lost")))).await;
    assert_eq!(refused["outcome"], "refused");
    assert_eq!(refused["error"]["code"], "storage");
    assert!(
        refused["error"]["detail"]
            .as_str()
            .unwrap()
            .contains("full"),
        "{refused}"
    );

    // The next request sees what storage holds: the first group, not the refused one.
    let listed = settle(host.handle(Sender::ExtensionPage, Ok(get_record()))).await;
    let text = listed["body"]["record"].to_string();
    assert!(text.contains("kept") && !text.contains("lost"), "{text}");
}

#[wasm_bindgen_test]
async fn corrupt_storage_is_backed_up_and_the_rest_kept() {
    let area = fake_storage_area();
    let data: js_sys::Map = wasm_bindgen::JsCast::dyn_into(get(&area, "data")).unwrap();
    data.set(&"schema_version".into(), &1.into());
    data.set(&"record".into(), &"{{{ not a record".into());
    data.set(&"settings".into(), &message(json!({"direct_threshold": 7})));
    let host = host_over(&area);
    let listed = settle(host.handle(Sender::ExtensionPage, Ok(get_record()))).await;
    assert_eq!(listed["outcome"], "page", "{listed}");
    let keys = stored_keys(&area);
    assert!(
        keys.iter().any(|k| k.starts_with("backup.record.")),
        "{keys:?}"
    );
    let backup = keys
        .iter()
        .find(|k| k.starts_with("backup.record."))
        .unwrap();
    assert_eq!(
        stored(&area, backup),
        json!("{{{ not a record"),
        "the raw value is kept"
    );
    let settings = settle(host.handle(
        Sender::ExtensionPage,
        Ok(json!({"v": 1, "channel": "page", "body": {"type": "get_settings"}})),
    ))
    .await;
    assert_eq!(
        settings["body"]["settings"]["direct_threshold"], 7,
        "{settings}"
    );
}

fn page_request(body: serde_json::Value) -> serde_json::Value {
    json!({"v": 1, "channel": "page", "body": body})
}

#[wasm_bindgen_test]
async fn a_failed_write_at_start_still_reads_exports_and_deletes() {
    let area = fake_storage_area();
    let data: js_sys::Map = wasm_bindgen::JsCast::dyn_into(get(&area, "data")).unwrap();
    data.set(&"schema_version".into(), &2.into());
    // An unreadable record: the load keeps it as a backup, and that write does not fit.
    data.set(&"record".into(), &"{{{ not a record".into());
    data.set(&"settings".into(), &message(json!({"direct_threshold": 7})));
    set(&area, "failKeyPrefix", &"backup.".into());
    let host = host_over(&area);

    let settings = settle(host.handle(
        Sender::ExtensionPage,
        Ok(page_request(json!({"type": "get_settings"}))),
    ))
    .await;
    assert_eq!(
        settings["body"]["settings"]["direct_threshold"], 7,
        "{settings}"
    );
    let status = settle(host.handle(
        Sender::ExtensionPage,
        Ok(page_request(json!({"type": "get_storage_status"}))),
    ))
    .await;
    assert!(
        status["body"]["unsaved"]
            .as_str()
            .unwrap_or("")
            .contains("full"),
        "the options page is told: {status}"
    );
    let export = settle(host.handle(
        Sender::ExtensionPage,
        Ok(page_request(json!({"type": "export"}))),
    ))
    .await;
    assert_eq!(export["outcome"], "page", "export still works: {export}");
    // A change cannot be stored while the backup does not fit: refused, never lost silently.
    let refused = settle(host.handle(content_sender(FACEBOOK, 1), Ok(left_group("4711")))).await;
    assert_eq!(refused["error"]["code"], "storage", "{refused}");
    // "Delete everything" works, and with it the repaired state is stored at last.
    let deleted = settle(host.handle(
        Sender::ExtensionPage,
        Ok(page_request(json!({"type": "delete_everything"}))),
    ))
    .await;
    assert_eq!(deleted["outcome"], "page", "{deleted}");
    assert!(
        !stored_keys(&area).iter().any(|k| k.starts_with("backup.")),
        "{:?}",
        stored_keys(&area)
    );
    let status = settle(host.handle(
        Sender::ExtensionPage,
        Ok(page_request(json!({"type": "get_storage_status"}))),
    ))
    .await;
    assert_eq!(
        status["body"]["unsaved"],
        serde_json::Value::Null,
        "{status}"
    );
    let kept = settle(host.handle(content_sender(FACEBOOK, 1), Ok(left_group("4711")))).await;
    assert_eq!(kept["outcome"], "content", "{kept}");
}

#[wasm_bindgen_test]
async fn a_read_in_a_failed_batch_is_still_answered() {
    let area = fake_storage_area();
    let host = host_over(&area);
    assert_eq!(
        settle(host.handle(Sender::ExtensionPage, Ok(get_record()))).await["outcome"],
        "page"
    );
    set(&area, "hold", &true.into());
    // The first write is held; the next batch gathers a write and a read behind it.
    let first = host.handle(content_sender(FACEBOOK, 1), Ok(left_group("first")));
    until_held(&area).await;
    let second = host.handle(content_sender(FACEBOOK, 1), Ok(left_group("second")));
    let context = json!({"v": 1, "channel": "content", "body": {"type": "page_context",
        "site": "facebook", "group": {"site": "facebook", "key": "first"}}});
    let read = host.handle(content_sender(FACEBOOK, 1), Ok(context));
    let release = get(&area, "release");
    let release: js_sys::Function = wasm_bindgen::JsCast::dyn_into(release).unwrap();
    release.call0(&area).unwrap();
    assert_eq!(settle(first).await["outcome"], "content");
    until_held(&area).await;
    // The second batch's write is now held: make it fail.
    set(&area, "failNext", &"QUOTA_BYTES quota exceeded".into());
    release.call0(&area).unwrap();
    let second = settle(second).await;
    assert_eq!(second["error"]["code"], "storage", "{second}");
    let read = settle(read).await;
    assert_eq!(read["outcome"], "content", "the read is answered: {read}");
    assert_eq!(
        read["body"]["context"]["left"]["name"], "Group first",
        "{read}"
    );
}

/// Lets the host run until the fake storage holds a write back.
async fn until_held(area: &JsValue) {
    for _ in 0..100 {
        let pending: js_sys::Array = wasm_bindgen::JsCast::dyn_into(get(area, "pending")).unwrap();
        if pending.length() > 0 {
            return;
        }
        wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&JsValue::NULL))
            .await
            .unwrap();
    }
    panic!("no write was held");
}
