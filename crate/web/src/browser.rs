//! Thin, typed access to the `chrome.*` extension APIs: the glue calls the named functions here
//! ([`runtime`], [`tabs`], [`storage_area`], [`action`], [`i18n`], [`send`], [`page`], …), never
//! an API by its path. Layer: glue (browser I/O; decides nothing).
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
fn api(path: &[&str]) -> Option<JsValue> {
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
fn call(path: &[&str], args: &[JsValue]) -> Result<JsValue, JsValue> {
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
async fn call_async(path: &[&str], args: &[JsValue]) -> Result<JsValue, JsValue> {
    let promise: Promise = call(path, args)?
        .dyn_into()
        .map_err(|_| JsValue::from_str("the API did not return a promise"))?;
    JsFuture::from(promise).await
}

fn missing(path: &[&str]) -> JsValue {
    // Pushed piece by piece: `format!` and `join` each bring generic code of their own.
    let mut text = String::from("chrome");
    for part in path {
        text.push('.');
        text.push_str(part);
    }
    text.push_str(" is not available");
    JsValue::from_str(&text)
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
    let answer = runtime::send_message(&message).await.map_err(describe)?;
    from_js_as(answer).map_err(|err| format!("unexpected reply: {err}"))
}

/// Sends an extension page's request to the background; a refusal becomes its message.
#[cfg(feature = "app")]
pub async fn page(
    request: ask_first_core::protocol::PageRequest,
) -> Result<ask_first_core::protocol::PageResponse, String> {
    use ask_first_core::protocol::PageReply;
    match send::<PageReply>(Request::Page(request)).await? {
        PageReply::Page { body } => Ok(body),
        PageReply::Refused { error } => Err(error.to_string()),
    }
}

/// What a content request's reply is handed to.
pub type ContentThen = Box<dyn FnOnce(Result<ContentReply, String>)>;

/// Sends a content script's request to the background and hands the reply to `then`, always
/// later (never from inside this call). Written and read by the core's small content codec
/// ([`ask_first_core::wire`]), so the content build carries no serde; and awaited through the
/// promise's own callbacks ([`settled`]), so it carries no async executor either.
pub fn send_content(request: &ContentRequest, then: ContentThen) {
    let promise = content_message(request)
        .and_then(|message| call(&["runtime", "sendMessage"], std::slice::from_ref(&message)))
        .and_then(|answer| {
            answer
                .dyn_into::<Promise>()
                .map_err(|_| JsValue::from_str("the API did not return a promise"))
        })
        .unwrap_or_else(|error| Promise::reject(&error));
    settled(
        &promise,
        Box::new(move |answer| {
            then(answer.map_err(describe).and_then(|answer| {
                let text = js_sys::JSON::stringify(&answer).map_err(describe)?;
                wire::decode_content_reply(&text.as_string().unwrap_or_default())
                    .map_err(|err| format!("unexpected reply: {err}"))
            }))
        }),
    );
}

/// Hands `promise`'s value, or its rejection, to `then` once it settles.
pub fn settled(promise: &Promise, then: Box<dyn FnOnce(Result<JsValue, JsValue>)>) {
    // One of the two callbacks runs; the engine collects both.
    let then = std::rc::Rc::new(std::cell::Cell::new(Some(then)));
    let on_error = std::rc::Rc::clone(&then);
    let resolved: Closure<dyn FnMut(JsValue)> = Closure::once(move |value: JsValue| {
        if let Some(then) = then.take() {
            then(Ok(value));
        }
    });
    let rejected: Closure<dyn FnMut(JsValue)> = Closure::once(move |error: JsValue| {
        if let Some(then) = on_error.take() {
            then(Err(error));
        }
    });
    let _ = promise.then2(&resolved, &rejected);
    // The engine owns them from here, and frees them with the promise (see `dom::listen`).
    drop(resolved.into_js_value());
    drop(rejected.into_js_value());
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
    match (runtime::id(), runtime::get_url("")) {
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

/// Whether the browser's `MessageSender` is one of the extension's own pages: what
/// [`classify_sender`] would call [`Sender::ExtensionPage`], all the content script's tab
/// channel asks (without the tab id and the site table).
pub fn from_extension_page(sender: &JsValue) -> bool {
    let text = |key: &str| {
        Reflect::get(sender, &JsValue::from_str(key))
            .ok()
            .and_then(|value| value.as_string())
    };
    match (runtime::id(), runtime::get_url("")) {
        (Some(own_id), Some(own_origin)) => Sender::is_extension_page(
            text("id").as_deref(),
            text("origin").as_deref(),
            text("url").as_deref(),
            &own_id,
            &own_origin,
        ),
        _ => false,
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
        warn("cannot listen for changes");
    }
    // Once per page life: the page listens until it closes.
    listener.forget();
}

/// Adds `listener` to `runtime.onMessage`; `false` when there is no such event here.
pub fn add_message_listener(listener: &Function) -> bool {
    runtime::add_message_listener(listener)
}

/// Logs a warning for developers (`Ask First: <text>` in the console); the user sees nothing.
pub fn warn(text: &str) {
    warn_with(text, "");
}

/// Logs `Ask First: <what><detail>` as a warning. Not inlined and without `format!`: the content
/// core logs from a dozen places, each with a copy of the formatting before.
#[inline(never)]
pub fn warn_with(what: &str, detail: &str) {
    let mut text = String::from("Ask First: ");
    text.push_str(what);
    text.push_str(detail);
    web_sys::console::warn_1(&JsValue::from_str(&text));
}

/// Logs a thrown JS value as a warning ([`describe`]).
#[inline(never)]
pub fn warn_error(error: JsValue) {
    warn_with("", &describe(error));
}

/// `runtime`: messages, the extension's own id and files, the options page.
pub mod runtime {
    use super::{api, call, call_async, Function, JsValue, Reflect};
    use wasm_bindgen::JsCast;

    /// `runtime.sendMessage(message)`, awaited: the answer of whoever answered.
    pub async fn send_message(message: &JsValue) -> Result<JsValue, JsValue> {
        call_async(&["runtime", "sendMessage"], std::slice::from_ref(message)).await
    }

    /// `runtime.sendMessage(message)` without waiting for an answer. It rejects when nobody
    /// listens (no extension page open); that rejection is dropped.
    pub fn notify(message: &JsValue) {
        if let Ok(promise) = call(&["runtime", "sendMessage"], std::slice::from_ref(message)) {
            super::ignore_rejection(promise);
        }
    }

    /// `runtime.id`: this extension's id.
    pub fn id() -> Option<String> {
        api(&["runtime", "id"]).and_then(|id| id.as_string())
    }

    /// `runtime.getURL(path)`: the address of one of the extension's files (`""`: its origin
    /// with a trailing slash).
    pub fn get_url(path: &str) -> Option<String> {
        call(&["runtime", "getURL"], &[JsValue::from_str(path)])
            .ok()
            .and_then(|url| url.as_string())
    }

    /// `runtime.openOptionsPage()`; whether the browser took the call.
    pub fn open_options_page() -> bool {
        call(&["runtime", "openOptionsPage"], &[]).is_ok()
    }

    /// The `version` of the extension's manifest (`runtime.getManifest()`).
    pub fn manifest_version() -> Option<String> {
        call(&["runtime", "getManifest"], &[])
            .ok()
            .and_then(|manifest| Reflect::get(&manifest, &"version".into()).ok())
            .and_then(|version| version.as_string())
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
}

/// `tabs`: messages to a tab's content script, a tab's address, the active tab.
pub mod tabs {
    use super::{call, call_async, to_js, JsValue, Reflect};

    /// `tabs.sendMessage(tab_id, message)`, awaited.
    pub async fn send_message(tab_id: i32, message: &JsValue) -> Result<JsValue, JsValue> {
        call_async(&["tabs", "sendMessage"], &[tab_id.into(), message.clone()]).await
    }

    /// `tabs.sendMessage(tab_id, message)` without waiting for an answer. It rejects when the
    /// tab closed or has no content script; that rejection is dropped.
    pub fn notify(tab_id: i32, message: &JsValue) {
        if let Ok(promise) = call(&["tabs", "sendMessage"], &[tab_id.into(), message.clone()]) {
            super::ignore_rejection(promise);
        }
    }

    /// The tab's address (`tabs.get`): empty when the browser hides it (the tab is on none of
    /// the sites the extension may read), `None` when the tab cannot be looked up at all.
    pub async fn url(tab_id: i32) -> Option<String> {
        let tab = call_async(&["tabs", "get"], &[tab_id.into()]).await.ok()?;
        Some(
            Reflect::get(&tab, &"url".into())
                .ok()
                .and_then(|url| url.as_string())
                .unwrap_or_default(),
        )
    }

    /// The id of the active tab of the current window (`tabs.query`).
    pub async fn active_tab_id() -> Option<i32> {
        let query = to_js(&serde_json::json!({"active": true, "currentWindow": true})).ok()?;
        let tabs = call_async(&["tabs", "query"], &[query]).await.ok()?;
        let first = Reflect::get(&tabs, &0.into()).ok()?;
        let id = Reflect::get(&first, &"id".into()).ok()?.as_f64()?;
        i32::try_from(id as i64).ok()
    }
}

/// The `storage` areas, as the objects [`crate::storage::StorageArea`] wraps.
pub mod storage_area {
    use super::{api, JsValue};

    /// `storage.local`.
    pub fn local() -> Option<JsValue> {
        api(&["storage", "local"])
    }

    /// `storage.session`.
    pub fn session() -> Option<JsValue> {
        api(&["storage", "session"])
    }

    /// `storage.sync`.
    pub fn sync() -> Option<JsValue> {
        api(&["storage", "sync"])
    }
}

/// `action`: the toolbar button's badge.
pub mod action {
    use super::{call, to_js};

    /// `action.setBadgeText({text})`.
    pub fn set_badge_text(text: &str) {
        if let Ok(details) = to_js(&serde_json::json!({ "text": text })) {
            let _ = call(&["action", "setBadgeText"], &[details]);
        }
    }

    /// `action.setBadgeBackgroundColor({color})`.
    pub fn set_badge_background_color(color: &str) {
        if let Ok(details) = to_js(&serde_json::json!({ "color": color })) {
            let _ = call(&["action", "setBadgeBackgroundColor"], &[details]);
        }
    }
}

/// `i18n`: the browser's own localisation.
pub mod i18n {
    use super::{call, JsValue};

    /// `i18n.getMessage(key, substitutions)`; `None` when the API is missing or the key unknown
    /// (the browser answers `""`).
    pub fn message(key: &str, substitutions: &[&str]) -> Option<String> {
        let list = js_sys::Array::new();
        for substitution in substitutions {
            list.push(&JsValue::from_str(substitution));
        }
        call(
            &["i18n", "getMessage"],
            &[JsValue::from_str(key), list.into()],
        )
        .ok()
        .and_then(|value| value.as_string())
        .filter(|text| !text.is_empty())
    }

    /// `i18n.getUILanguage()`: the browser's UI language tag; empty when unknown.
    pub fn ui_language() -> String {
        call(&["i18n", "getUILanguage"], &[])
            .ok()
            .and_then(|value| value.as_string())
            .unwrap_or_default()
    }
}

thread_local! {
    /// The one handler that drops a rejection nobody waits for: made once, kept for the life of
    /// the context (one per push would be one allocation per push, freed only by the JS GC).
    static IGNORE: Closure<dyn FnMut(JsValue)> = Closure::new(|_: JsValue| {});
}

/// Drops `promise`'s rejection (when it is a promise), so that it is not reported as unhandled.
fn ignore_rejection(promise: JsValue) {
    if let Ok(promise) = promise.dyn_into::<Promise>() {
        IGNORE.with(|ignore| {
            let _ = promise.catch(ignore);
        });
    }
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
