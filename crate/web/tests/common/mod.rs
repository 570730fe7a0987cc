//! Helpers shared by the wasm test files.
#![allow(dead_code)] // each test file uses a different subset

use ask_first_core::router::Sender;
use ask_first_core::site::Site;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

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

/// An in-memory area with the promise API of `storage.local`. Test switches:
/// `hold` (writes wait for `release()`), `failNext` (the next `set` rejects with that message),
/// and counters `sets`, `removes`.
pub fn fake_storage_area() -> JsValue {
    Function::new_no_args(
        r#"
        const data = new Map();
        const area = {
          data, hold: false, pending: [], failNext: null, failKeyPrefix: null, sets: 0, removes: 0,
          get(keys) {
            if (keys !== null) throw new Error('the background reads everything at once');
            return Promise.resolve(Object.fromEntries([...data].map(([k, v]) => [k, structuredClone(v)])));
          },
          set(items) {
            area.sets += 1;
            const apply = () => {
              if (area.failNext) { const m = area.failNext; area.failNext = null; throw new Error(m); }
              // Like a quota: any write holding a key of this prefix fails, every time.
              if (area.failKeyPrefix && Object.keys(items).some((k) => k.startsWith(area.failKeyPrefix))) {
                throw new Error('QUOTA_BYTES quota exceeded');
              }
              for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
            };
            if (area.hold) {
              return new Promise((ok, fail) => area.pending.push(() => { try { apply(); ok(); } catch (e) { fail(e); } }));
            }
            try { apply(); return Promise.resolve(); } catch (e) { return Promise.reject(e); }
          },
          remove(keys) {
            area.removes += 1;
            for (const k of [].concat(keys)) data.delete(k);
            return Promise.resolve();
          },
          release() { for (const next of area.pending.splice(0)) next(); },
        };
        return area;
        "#,
    )
    .call0(&JsValue::NULL)
    .unwrap()
}

pub fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &key.into()).unwrap()
}

pub fn set(object: &JsValue, key: &str, value: &JsValue) {
    Reflect::set(object, &key.into(), value).unwrap();
}

/// What the fake area holds under `key`, as JSON.
pub fn stored(area: &JsValue, key: &str) -> serde_json::Value {
    let data: js_sys::Map = get(area, "data").dyn_into().unwrap();
    ask_first_web::browser::from_js(data.get(&key.into())).unwrap_or(serde_json::Value::Null)
}

pub fn stored_keys(area: &JsValue) -> Vec<String> {
    let data: js_sys::Map = get(area, "data").dyn_into().unwrap();
    js_sys::Array::from(&data.keys())
        .iter()
        .filter_map(|k| k.as_string())
        .collect()
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

pub fn page_sender() -> JsValue {
    sender(
        TEST_ID,
        &format!("chrome-extension://{TEST_ID}/options.html"),
        None,
    )
}

pub fn content_sender(url: &str, tab_id: i32) -> Sender {
    Sender::ContentScript {
        tab_id: Some(tab_id),
        site: Site::from_url(url).unwrap(),
    }
}

pub fn message(json: serde_json::Value) -> JsValue {
    ask_first_web::browser::to_js(&json).unwrap()
}

pub fn reply(value: JsValue) -> serde_json::Value {
    ask_first_web::browser::from_js(value).unwrap()
}

/// Awaits a reply promise.
pub async fn settle(promise: Promise) -> serde_json::Value {
    reply(JsFuture::from(promise).await.unwrap())
}

/// Yields to the event loop for `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        let global = js_sys::global();
        let set_timeout: Function = get(&global, "setTimeout").dyn_into().unwrap();
        set_timeout.call2(&global, &resolve, &ms.into()).unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}
