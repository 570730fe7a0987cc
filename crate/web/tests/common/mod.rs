//! Helpers shared by the wasm test files.

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::JsValue;

pub const TEST_ID: &str = "test-extension-id";

/// A stand-in for the `chrome` object with just what the router's sender check reads:
/// `runtime.id` and `runtime.getURL`.
pub fn fake_extension_api() -> JsValue {
    let runtime = Object::new();
    Reflect::set(&runtime, &"id".into(), &TEST_ID.into()).unwrap();
    let get_url = Function::new_with_args(
        "path",
        &format!("return 'chrome-extension://{TEST_ID}/' + path;"),
    );
    Reflect::set(&runtime, &"getURL".into(), &get_url).unwrap();
    let chrome = Object::new();
    Reflect::set(&chrome, &"runtime".into(), &runtime).unwrap();
    chrome.into()
}

/// A `MessageSender` as the browser builds it.
pub fn sender(id: &str, url: &str, tab_id: Option<i32>) -> JsValue {
    let sender = Object::new();
    Reflect::set(&sender, &"id".into(), &id.into()).unwrap();
    Reflect::set(&sender, &"url".into(), &url.into()).unwrap();
    if let Some(tab_id) = tab_id {
        let tab = Object::new();
        Reflect::set(&tab, &"id".into(), &tab_id.into()).unwrap();
        Reflect::set(&sender, &"tab".into(), &tab).unwrap();
    }
    sender.into()
}

pub fn message(json: serde_json::Value) -> JsValue {
    ask_first_web::browser::to_js(&json).unwrap()
}

pub fn reply(value: JsValue) -> serde_json::Value {
    ask_first_web::browser::from_js(value).unwrap()
}
