//! Thin access to the `chrome.*` extension APIs.
//!
//! Everything goes through `Reflect` on the global object instead of static `extern` bindings, so
//! that a missing API (an old browser, a test page without extension APIs) is an `Err`, never a
//! `ReferenceError` thrown through the core.

use std::cell::RefCell;

use ask_first_core::protocol::{ContentReply, ContentRequest, Envelope, Request};
use ask_first_core::router::Sender;
use ask_first_core::wire;
use js_sys::{Function, Promise, Reflect};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// The extension API object handed over by a loader, when the module's own global cannot
    /// see it: in Firefox a module imported from a content script evaluates against the page's
    /// global, where `chrome` does not exist.
    static API_ROOT: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

/// Uses `root` (the loader's `chrome` or `browser` object) for every later API call.
pub fn set_api_root(root: JsValue) {
    if root.is_object() {
        API_ROOT.with(|slot| *slot.borrow_mut() = Some(root));
    }
}

fn api_root() -> Option<JsValue> {
    if let Some(root) = API_ROOT.with(|slot| slot.borrow().clone()) {
        return Some(root);
    }
    let root = Reflect::get(&js_sys::global(), &JsValue::from_str("chrome")).ok()?;
    (!root.is_undefined() && !root.is_null()).then_some(root)
}

/// Looks up `chrome.<path…>`; `None` when any part is missing.
pub fn api(path: &[&str]) -> Option<JsValue> {
    let mut value = api_root()?;
    for part in path {
        value = Reflect::get(&value, &JsValue::from_str(part)).ok()?;
        if value.is_undefined() || value.is_null() {
            return None;
        }
    }
    Some(value)
}

/// Calls `chrome.<path…>(args…)` with the right `this`.
pub fn call(path: &[&str], args: &[JsValue]) -> Result<JsValue, JsValue> {
    let (method, owner) = path
        .split_last()
        .ok_or_else(|| JsValue::from_str("empty API path"))?;
    let this = api(owner).ok_or_else(|| missing(path))?;
    let function: Function = Reflect::get(&this, &JsValue::from_str(method))?
        .dyn_into()
        .map_err(|_| missing(path))?;
    let list = js_sys::Array::new();
    for arg in args {
        list.push(arg);
    }
    function.apply(&this, &list)
}

/// Calls a promise-returning API and awaits it.
pub async fn call_async(path: &[&str], args: &[JsValue]) -> Result<JsValue, JsValue> {
    let promise: Promise = call(path, args)?
        .dyn_into()
        .map_err(|_| JsValue::from_str("the API did not return a promise"))?;
    JsFuture::from(promise).await
}

fn missing(path: &[&str]) -> JsValue {
    JsValue::from_str(&format!("chrome.{} is not available", path.join(".")))
}

/// Converts a value to a plain JS object (maps become objects), as extension messaging expects.
///
/// Crosses the boundary as one JSON string that the engine's native `JSON.parse` turns into
/// objects: for a record of thousands of entries that is several times faster than building the
/// objects property by property from Rust, and it keeps a second serialiser out of the build.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|err| JsValue::from_str(&err.to_string()))?;
    js_sys::JSON::parse(&text)
}

/// Reads a JS value as JSON data (through the engine's `JSON.stringify`). `undefined`, and
/// anything JSON has no form for, reads as `null`; a value JSON cannot hold (a cycle, a BigInt)
/// is an error.
pub fn from_js(value: JsValue) -> Result<serde_json::Value, String> {
    from_js_as(value)
}

/// Reads a JS value as `T`, without an intermediate [`serde_json::Value`].
pub fn from_js_as<T: DeserializeOwned>(value: JsValue) -> Result<T, String> {
    let text = js_sys::JSON::stringify(&value).map_err(describe)?;
    match text.as_string() {
        Some(text) => serde_json::from_str(&text).map_err(|err| err.to_string()),
        None => serde_json::from_str("null").map_err(|err| err.to_string()),
    }
}

/// Sends a request to the background and decodes its reply as `R` (the sender's reply view:
/// [`ask_first_core::protocol::ContentReply`] or [`ask_first_core::protocol::PageReply`]).
pub async fn send<R: DeserializeOwned>(request: Request) -> Result<R, String> {
    let message = to_js(&Envelope::new(request)).map_err(describe)?;
    let answer = call_async(&["runtime", "sendMessage"], &[message])
        .await
        .map_err(describe)?;
    from_js_as(answer).map_err(|err| format!("unexpected reply: {err}"))
}

/// A content script's request to the background, and the reply. Written and read by the core's
/// small content codec ([`ask_first_core::wire`]), so the content build carries no serde.
pub async fn send_content(request: &ContentRequest) -> Result<ContentReply, String> {
    let message = content_message(request).map_err(describe)?;
    let answer = call_async(&["runtime", "sendMessage"], &[message])
        .await
        .map_err(describe)?;
    let text = js_sys::JSON::stringify(&answer).map_err(describe)?;
    wire::decode_content_reply(&text.as_string().unwrap_or_default())
        .map_err(|err| format!("unexpected reply: {err}"))
}

/// A content request as the message object `runtime.sendMessage` takes.
pub fn content_message(request: &ContentRequest) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(&wire::encode_content_request(request))
}

/// Turns the browser's `MessageSender` into a [`Sender`]: the background's router and the
/// content script's tab channel both decide with it. Its `origin` goes first (see
/// [`Sender::classify`]); Firefox leaves it out in some versions, then its `url` decides.
pub fn classify_sender(sender: &JsValue) -> Sender {
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
    let own_id = api(&["runtime", "id"]).and_then(|id| id.as_string());
    let own_origin = call(&["runtime", "getURL"], &[JsValue::from_str("")])
        .ok()
        .and_then(|url| url.as_string());
    match (own_id, own_origin) {
        (Some(own_id), Some(own_origin)) => Sender::classify(
            text(sender, "id").as_deref(),
            text(sender, "origin").as_deref(),
            text(sender, "url").as_deref(),
            tab_id,
            &own_id,
            &own_origin,
        ),
        _ => Sender::Unknown,
    }
}

/// Calls `handler` with each push the background sends to the extension's pages
/// ([`ask_first_core::protocol::Push`]). Messages from anyone but the extension itself (content
/// scripts' requests reach extension pages too) and anything that is not a push are ignored.
pub fn on_push(handler: impl FnMut(ask_first_core::protocol::Push) + 'static) {
    let handler = std::cell::RefCell::new(handler);
    let listener = Closure::<dyn FnMut(JsValue, JsValue) -> bool>::new(
        move |message: JsValue, sender: JsValue| {
            if classify_sender(&sender) != Sender::ExtensionPage {
                return false;
            }
            if let Ok(push) = from_js_as::<ask_first_core::protocol::PushMessage>(message) {
                if push.v == ask_first_core::protocol::PROTOCOL_VERSION {
                    if let Ok(mut handler) = handler.try_borrow_mut() {
                        handler(push.push);
                    }
                }
            }
            false
        },
    );
    if !add_message_listener(listener.as_ref().unchecked_ref()) {
        web_sys::console::warn_1(&"Ask First: cannot listen for changes".into());
    }
    listener.forget();
}

/// Adds `listener` to `runtime.onMessage`; `false` when there is no such event here.
pub fn add_message_listener(listener: &Function) -> bool {
    api(&["runtime", "onMessage"])
        .and_then(|event| {
            let add: Function = Reflect::get(&event, &"addListener".into())
                .ok()?
                .dyn_into()
                .ok()?;
            add.call1(&event, listener).ok()
        })
        .is_some()
}

/// A readable text for a thrown JS value.
pub fn describe(error: JsValue) -> String {
    if let Some(error) = error.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    error.as_string().unwrap_or_else(|| format!("{error:?}"))
}

/// The current time in milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}
