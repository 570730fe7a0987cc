//! Open tabs switch to a newly imported (or reset) site pack without a reload: after a write of
//! the imported packs, the background sends each known tab of a supported site the pack it
//! should read its site with now ([`Background::pack_deliveries`], `tabs.sendMessage`); the
//! content script re-reads its pack and scans the page again (`content::tab`).

use ask_first_core::protocol::{TabEnvelope, TabRequest};
use ask_first_core::router::Background;

use crate::browser;

/// Sends every tab its pack. A tab that closed or has no content script rejects: ignored.
pub fn deliver(state: &Background) {
    for (tab_id, request) in state.pack_deliveries() {
        send(tab_id, request);
    }
}

fn send(tab_id: i32, request: TabRequest) {
    let Ok(message) = browser::to_js(&TabEnvelope::new(request)) else {
        return;
    };
    browser::tabs::notify(tab_id, &message);
}
