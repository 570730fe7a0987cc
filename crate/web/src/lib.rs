//! Browser glue for Ask First. No business logic lives here: every decision is made by
//! `ask-first-core`; this crate reads the browser, calls core and renders or sends the result.
//!
//! One exported entry point per context:
//! - content script: [`content::start_content`] (feature `content`)
//! - background: [`background::handle_message`], [`background::forget_tab`] (feature `app`)
//! - popup and options: [`popup::start_popup`], [`options::start_options`] (feature `app`)

// First, so that `key!` is in scope in every module below.
#[macro_use]
mod message_keys {
    include!(concat!(env!("OUT_DIR"), "/message_keys.rs"));
}

/// The content core's allocator: talc instead of Rust's default dlmalloc, about 1.3 KB of the
/// content module where dlmalloc took 4.6 KB (7 KB with the prebuilt std). Its binned free lists
/// reuse freed memory in constant time, which matters on a page the content watches for hours,
/// scanning on every mutation batch. The module runs on one thread (no `atomics`), as talc's
/// single-threaded cell requires.
#[cfg(all(
    feature = "content",
    target_family = "wasm",
    not(target_feature = "atomics")
))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

pub mod browser;

#[cfg(feature = "content")]
pub mod content;

#[cfg(feature = "app")]
pub mod background;
#[cfg(feature = "app")]
pub mod chart;
pub mod dom;
pub mod i18n;
#[cfg(feature = "app")]
pub mod options;
#[cfg(feature = "app")]
pub mod packpush;
#[cfg(feature = "app")]
pub mod popup;
#[cfg(feature = "app")]
pub mod storage;
