//! Ask First core: everything that decides, with no browser dependency.
//!
//! The glue crate (`crate/web`) extracts facts from the browser and hands them here; this crate
//! decides and returns plain data. Everything in it runs under plain `cargo test`.
//!
//! # Entry points for the glue
//!
//! - Background start: [`router::Background::load`] with everything in `storage.local`
//!   (`get(null)`) and the time; perform the [`storage::LoadReport`]'s `writes`, then its
//!   `removals`, before answering messages.
//! - Each message: [`router::Sender::classify`], then [`router::Background::dispatch_value`]
//!   (or `dispatch_json`). Perform the [`router::Outcome`]'s `writes` and `removals`, await
//!   them, then send `reply`; then send each `pushes` entry (as [`protocol::PushMessage`]) to
//!   open extension pages and tabs, and set the badge from `unseen_readditions`.
//!   A failed write becomes [`storage::StorageError::from_browser`], whose `Display` is the
//!   message for the user.
//! - Content scripts: [`model::GroupRef::from_url`] / [`model::GroupRef::from_title`] for the
//!   group, [`rules::Observation`] for an open add dialog, sent as
//!   [`protocol::ContentRequest::Evaluate`]; [`rules::evaluate`] and [`ask::ask_message`] also
//!   run locally with the [`protocol::ContentContext`] if a round trip is too slow.
//! - Localisation: verdict reasons carry ids from [`rules::REASON_IDS`] with named parameters.
//!
//! # Storage keys
//!
//! `schema_version`, `settings`, `record`, `packs`, `guard`, `sync` and `backup.<what>.<ms>`;
//! see [`storage`]. `storage.sync` (opt-in) holds the synced form of [`sync`].

pub mod agreed;
pub mod ask;
pub mod dismiss;
pub mod guard;
pub mod intent;
pub mod ledger;
pub mod model;
pub mod monthly;
pub mod pack;
pub mod page;
pub mod protocol;
pub mod record_view;
pub mod router;
pub mod rules;
pub mod schedule;
pub mod settings;
pub mod site;
pub mod storage;
pub mod sync;
pub mod transfer;
pub mod wire;
