//! Site packs: what Ask First knows about a site's pages, as data.
//!
//! One JSON file per site (`extension/sitepacks/<site>.json`), bundled with the extension and
//! validated here, at build (tests) and when a user imports an updated pack. A pack names CSS
//! selectors (the page applies them) and visible texts per language (matched here, without a
//! regex engine). Selectors anchor on roles, ARIA, test hooks and visible text, never on hashed
//! class names. Structure comes first and text tells kinds apart, so a renamed label degrades to a
//! generic warning instead of silence.
//!
//! Layer: domain. `spec` holds the types, `decode` reads a checked pack with the JSON reader
//! (`wire::json`, a leaf) alone, `validate` checks a pack's rules, `bundled` holds the shipped
//! packs and the import rule. Nothing here imports the rest of `wire`.

mod bundled;
mod decode;
mod spec;
mod text;
mod validate;

pub use bundled::{
    active_import, active_over, bundled, bundled_for, check_import, PackImportError, PackSource,
    BUNDLED_SOURCES, MAX_VERSIONS_AHEAD,
};
pub use decode::decode_checked_pack;
pub use spec::*;
pub use text::{
    find, is_private_use, match_message, names_self, normalise_text, parse_counter, same_name,
    texts_contain, texts_match, MessageMatch, COUNT_PLACEHOLDER, MAX_CANDIDATE_CHARS,
    MAX_CAPTURE_CHARS, MAX_NAME_CHARS, MAX_PLACEHOLDERS, MESSAGE_PLACEHOLDERS,
};
pub use validate::{
    PackError, PackProblem, SelectorFault, MAX_LEAVE_STEPS, MAX_SELECTOR_ALTERNATIVES,
    MAX_SELECTOR_HAS, MAX_STEP_ALTERNATIVES,
};
