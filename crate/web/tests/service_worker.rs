//! The background glue in a real service worker (no window, no DOM), as Chromium runs it.

mod common;

use serde_json::json;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_service_worker);

#[wasm_bindgen_test]
fn the_worker_has_no_window() {
    assert!(web_sys::window().is_none());
}

#[wasm_bindgen_test]
fn the_router_answers_inside_a_service_worker() {
    ask_first_web::browser::set_api_root(common::fake_extension_api());
    let content = common::sender(
        common::TEST_ID,
        "https://web.telegram.org/k/#-100123",
        Some(3),
    );
    let page = common::sender(
        common::TEST_ID,
        &format!("chrome-extension://{}/options.html", common::TEST_ID),
        None,
    );
    let hello = json!({"v": 1, "channel": "content",
                       "body": {"type": "hello", "site": "telegram", "engine": "fallback"}});
    let reply = ask_first_web::background::handle_message(common::message(hello), content);
    assert_eq!(common::reply(reply)["outcome"], "content");

    let status = json!({"v": 1, "channel": "page", "body": {"type": "tab_status", "tab_id": 3}});
    let reply = common::reply(ask_first_web::background::handle_message(
        common::message(status),
        page.clone(),
    ));
    assert_eq!(reply["body"]["status"]["engine"], "fallback");

    ask_first_web::background::forget_tab(3);
    let status = json!({"v": 1, "channel": "page", "body": {"type": "tab_status", "tab_id": 3}});
    let reply = common::reply(ask_first_web::background::handle_message(
        common::message(status),
        page,
    ));
    assert!(reply["body"]["status"].is_null());
}

#[wasm_bindgen_test]
fn malformed_messages_are_refused_not_thrown() {
    ask_first_web::browser::set_api_root(common::fake_extension_api());
    let page = common::sender(
        common::TEST_ID,
        &format!("chrome-extension://{}/popup.html", common::TEST_ID),
        None,
    );
    for bad in [
        json!(null),
        json!("hello"),
        json!({"v": 1}),
        json!({"v": 99, "channel": "page"}),
    ] {
        let reply = common::reply(ask_first_web::background::handle_message(
            common::message(bad.clone()),
            page.clone(),
        ));
        assert_eq!(reply["outcome"], "refused", "{bad}");
    }
}
