//! The background context: the router's home. `background.js` registers the browser listeners
//! synchronously (a service worker requirement) and forwards every message here.

use std::cell::RefCell;

use ask_first_core::protocol::{Refusal, Reply};
use ask_first_core::router::{Background, Sender};
use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use crate::browser;

thread_local! {
    static STATE: RefCell<Background> = RefCell::new(Background::new());
}

/// Answers one `runtime.onMessage` message. `sender` is the browser's `MessageSender`: only its
/// fields, never the message, decide what the sender may do.
#[wasm_bindgen]
pub fn handle_message(message: JsValue, sender: JsValue) -> JsValue {
    let sender = classify(&sender);
    let reply = match browser::from_js(message) {
        Ok(value) => STATE.with(|state| {
            state
                .borrow_mut()
                .handle_value(&sender, value, browser::now_ms())
        }),
        Err(err) => Reply::Refused {
            error: Refusal::Malformed(err),
        },
    };
    browser::to_js(&reply).unwrap_or(JsValue::UNDEFINED)
}

/// Forgets what a closed tab reported.
#[wasm_bindgen]
pub fn forget_tab(tab_id: i32) {
    STATE.with(|state| state.borrow_mut().forget_tab(tab_id));
}

fn classify(sender: &JsValue) -> Sender {
    let text = |object: &JsValue, key: &str| {
        Reflect::get(object, &JsValue::from_str(key))
            .ok()
            .and_then(|value| value.as_string())
    };
    let tab_id = Reflect::get(sender, &JsValue::from_str("tab"))
        .ok()
        .filter(|tab| tab.is_object())
        .and_then(|tab| Reflect::get(&tab, &JsValue::from_str("id")).ok())
        .and_then(|id| id.as_f64())
        .and_then(|id| i32::try_from(id as i64).ok());
    let own_id = browser::api(&["runtime", "id"]).and_then(|id| id.as_string());
    let own_origin = browser::call(&["runtime", "getURL"], &[JsValue::from_str("")])
        .ok()
        .and_then(|url| url.as_string());
    match (own_id, own_origin) {
        (Some(own_id), Some(own_origin)) => Sender::classify(
            text(sender, "id").as_deref(),
            text(sender, "url").as_deref(),
            tab_id,
            &own_id,
            &own_origin,
        ),
        _ => Sender::Unknown,
    }
}
