//! Requests from the extension's own pages to this tab's content script (`tabs.sendMessage`):
//! the site check the popup shows. Answered only for the extension's own pages (the same
//! sender classification as the background's router); a web page or another extension is
//! refused.

use ask_first_core::page::check::{self, LastRead, ReadKind};
use ask_first_core::protocol::TabRequest;
use ask_first_core::wire;
use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::page::DomPage;
use super::{Runtime, RUNTIME};
use crate::browser;
use crate::dom::document;

/// Listens for the extension pages' requests for as long as the page lives. The reply is the
/// JSON text itself ([`ask_first_core::protocol::TabReply`]); the asking page parses it.
pub fn listen() {
    let listener = Closure::<dyn FnMut(JsValue, JsValue, JsValue) -> bool>::new(
        |message: JsValue, sender: JsValue, respond: JsValue| {
            let reply = answer(&message, &sender);
            if let Ok(respond) = respond.dyn_into::<Function>() {
                let _ = respond.call1(&JsValue::NULL, &JsValue::from_str(&reply));
            }
            false
        },
    );
    if !browser::add_message_listener(listener.as_ref().unchecked_ref()) {
        browser::warn("cannot listen for the popup's requests");
    }
    listener.forget();
}

/// The reply text for one message: the site check, or a refusal (one exit for all of them).
fn answer(message: &JsValue, sender: &JsValue) -> String {
    let error;
    let why = if browser::from_extension_page(sender) {
        let text = js_sys::JSON::stringify(message)
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_default();
        match wire::decode_tab_request(&text) {
            Ok(request) => match RUNTIME.with(|slot| slot.borrow().clone()) {
                Some(runtime) => match request {
                    TabRequest::SiteCheck => return site_check(&runtime),
                    TabRequest::UsePack { site, pack } if runtime.site == site => {
                        runtime.switch_pack(pack);
                        return site_check(&runtime);
                    }
                    TabRequest::UsePack { .. } => "another site's pack",
                },
                None => "the content core is not running on this page",
            },
            Err(wrong) => {
                error = wrong;
                &error.0
            }
        }
    } else {
        "only the extension's own pages may ask"
    };
    wire::encode_tab_refusal(why)
}

fn site_check(runtime: &Runtime) -> String {
    let Ok(document) = document() else {
        return wire::encode_tab_refusal("no document");
    };
    let last = runtime.state().last_read.as_ref().map(|last| LastRead {
        by: last.by,
        dialog: last.dialog.clone(),
        selected: last.selected,
        seconds_ago: ((browser::now_ms() - last.at).max(0.0) / 1_000.0) as u32,
    });
    let check = check::site_check(
        &DomPage::new(document),
        &runtime.pack(),
        runtime.pack_source.get(),
        runtime.engine,
        last,
        &mut runtime.state_mut().reader,
    );
    wire::encode_site_check_reply(&check)
}

/// The add dialog the content core read last on this page.
pub struct LastReadState {
    pub by: ReadKind,
    pub dialog: String,
    pub selected: u32,
    pub at: f64,
}
