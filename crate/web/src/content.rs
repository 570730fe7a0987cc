//! The content script's core: started by the loader on every supported site, on the wasm build or
//! on its JavaScript fallback, whichever the page's CSP allows.

use ask_first_core::protocol::{ContentReply, ContentRequest, Engine, Request};
use ask_first_core::site::Site;
use wasm_bindgen::prelude::*;

use crate::browser;

/// Starts the content core in this page. `engine` is `"wasm"` or `"fallback"` and tells the
/// background which build is running; `wasm_error` is why the wasm build was refused, if it was.
///
/// `extension_api` is the loader's `chrome` object (see [`browser::set_api_root`]).
///
/// Never throws into the page: every failure is reported to the background and logged.
#[wasm_bindgen]
pub fn start_content(engine: &str, wasm_error: Option<String>, extension_api: JsValue) {
    browser::set_api_root(extension_api);
    let engine = match engine {
        "fallback" => Engine::Fallback,
        _ => Engine::Wasm,
    };
    let Some(href) = web_sys::window().and_then(|window| window.location().href().ok()) else {
        return;
    };
    // The manifest only injects on supported hosts; anything else means a stale match list.
    let Some(site) = Site::from_url(&href) else {
        return;
    };
    if let Some(reason) = wasm_error {
        web_sys::console::info_1(
            &format!("Ask First runs its JavaScript build here: {reason}").into(),
        );
    }
    wasm_bindgen_futures::spawn_local(async move {
        let hello = Request::Content(ContentRequest::Hello { site, engine });
        match browser::send::<ContentReply>(hello).await {
            Ok(ContentReply::Content { .. }) => {}
            Ok(ContentReply::Refused { error }) => {
                web_sys::console::warn_1(&format!("Ask First: {error}").into());
            }
            Err(err) => {
                web_sys::console::warn_1(
                    &format!("Ask First: background unreachable: {err}").into(),
                );
            }
        }
    });
}
