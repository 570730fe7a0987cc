//! The storage adapter: `storage.local` (or any object with the same promise-based `get`, `set`
//! and `remove`) as the background's store of record.

use std::collections::{BTreeMap, BTreeSet};

use ask_first_core::storage::{stored_size, StorageError, StorageWrite};
use js_sys::{Array, Reflect};
use serde_json::{Map, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::browser;

/// One storage area.
#[derive(Clone)]
pub struct StorageArea {
    area: JsValue,
}

impl StorageArea {
    /// The extension's `storage.local`.
    pub fn local() -> Option<StorageArea> {
        browser::storage_area::local().map(|area| StorageArea { area })
    }

    /// The extension's `storage.session` (memory only, cleared when the browser quits; extension
    /// contexts only: content scripts cannot read it unless the extension allows them to).
    pub fn session() -> Option<StorageArea> {
        browser::storage_area::session().map(|area| StorageArea { area })
    }

    /// The extension's `storage.sync` (see [`crate::background::sync`]).
    pub fn sync() -> Option<StorageArea> {
        browser::storage_area::sync().map(|area| StorageArea { area })
    }

    /// Any object with promise-returning `get(null)`, `set(object)` and `remove(keys)`.
    pub fn from_js(area: JsValue) -> StorageArea {
        StorageArea { area }
    }

    async fn call(&self, method: &str, argument: JsValue) -> Result<JsValue, String> {
        let function: js_sys::Function = Reflect::get(&self.area, &JsValue::from_str(method))
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or_else(|| format!("storage has no {method}()"))?;
        let promise: js_sys::Promise = function
            .call1(&self.area, &argument)
            .map_err(browser::describe)?
            .dyn_into()
            .map_err(|_| format!("storage {method}() did not return a promise"))?;
        JsFuture::from(promise).await.map_err(browser::describe)
    }

    /// One stored value as it is (`undefined` when absent).
    pub async fn get(&self, key: &str) -> Result<JsValue, String> {
        let items = self.call("get", JsValue::from_str(key)).await?;
        Reflect::get(&items, &JsValue::from_str(key)).map_err(browser::describe)
    }

    /// Everything stored.
    pub async fn get_all(&self) -> Result<Map<String, Value>, String> {
        let value = self.call("get", JsValue::NULL).await?;
        if value.is_null() || value.is_undefined() {
            return Ok(Map::new());
        }
        let Some(object) = value.dyn_ref::<js_sys::Object>() else {
            return Err("storage returned something other than an object".into());
        };
        // Key by key: a string (the record is stored as its JSON text) is copied as it is,
        // without being escaped into and out of one big JSON document.
        let mut map = Map::new();
        for entry in js_sys::Object::entries(object).iter() {
            let pair = js_sys::Array::from(&entry);
            let Some(key) = pair.get(0).as_string() else {
                continue;
            };
            let item = pair.get(1);
            let item = match item.as_string() {
                Some(text) => Value::String(text),
                None => browser::from_js(item).map_err(|err| format!("{key}: {err}"))?,
            };
            map.insert(key, item);
        }
        Ok(map)
    }

    /// Writes every key of `batch` in one `set`, then removes its removals. Resolves only when
    /// the browser says both are done.
    pub async fn commit(&self, batch: &Batch) -> Result<(), StorageError> {
        if !batch.writes.is_empty() {
            let object = browser::to_js(&batch.writes).map_err(|error| StorageError::Failed {
                key: batch.first_key(),
                message: browser::describe(error),
            })?;
            self.call("set", object).await.map_err(|message| {
                let key = batch.first_key();
                let bytes = batch
                    .writes
                    .iter()
                    .map(|(key, value)| stored_size(key, value))
                    .sum();
                StorageError::from_browser(&key, bytes, &message)
            })?;
        }
        if !batch.removals.is_empty() {
            let keys: Array = batch
                .removals
                .iter()
                .map(|k| JsValue::from_str(k))
                .collect();
            self.call("remove", keys.into())
                .await
                .map_err(|message| StorageError::Failed {
                    key: batch.removals.iter().next().cloned().unwrap_or_default(),
                    message,
                })?;
        }
        Ok(())
    }
}

/// Writes and removals of several requests, merged so that each key is written once with its
/// latest value (the requests were applied in order to the one in-memory state).
#[derive(Debug, Default)]
pub struct Batch {
    pub writes: BTreeMap<String, Value>,
    pub removals: BTreeSet<String>,
}

impl Batch {
    pub fn add(&mut self, writes: Vec<StorageWrite>, removals: Vec<String>) {
        for write in writes {
            self.removals.remove(&write.key);
            self.writes.insert(write.key, write.value);
        }
        for key in removals {
            self.writes.remove(&key);
            self.removals.insert(key);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.writes.is_empty() && self.removals.is_empty()
    }

    fn first_key(&self) -> String {
        self.writes.keys().next().cloned().unwrap_or_default()
    }
}
