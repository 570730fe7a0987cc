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
//! - Each message: [`router::Sender::classify`], then [`router::Background::dispatch_value`].
//!   Perform the [`router::Outcome`]'s `writes` and `removals`, await
//!   them, then send `reply`; then send each `pushes` entry (as [`protocol::PushMessage`]) to
//!   open extension pages and tabs, and set the badge from `unseen_readditions`.
//!   A failed write becomes [`storage::StorageError::from_browser`], whose `Display` is the
//!   message for the user.
//! - Content scripts: [`page`] reads the page with the site's pack (over the [`page::Page`]
//!   trait), [`model::GroupRef::from_url`] / [`model::GroupRef::from_title`] name the group.
//!   The page asks once for its [`protocol::ContentContext`]
//!   ([`protocol::ContentRequest::PageContext`]) and then decides on its own, as the
//!   background would: [`rules::evaluate_with`] with [`protocol::ContentContext::rule_inputs`]
//!   for an open add dialog, [`ask::ask_message`] for the people to ask. It reports what
//!   happened (leaves, re-additions, how an add ended) with the other
//!   [`protocol::ContentRequest`]s, written by [`wire`].
//! - Localisation: verdict reasons carry ids from [`rules::REASONS`] with named parameters, whose
//!   values [`rules::Reason::values`] gives in the order of the message's `$1`, `$2`…
//!
//! # Storage keys
//!
//! `storage.local`: `schema_version`, `settings`, `record`, `packs`, `guard`, `dismissed`,
//! `sync` and `backup.<what>.<ms>`; see [`storage`]. `storage.session`: `tabs`
//! ([`router::KEY_TABS`]). `storage.sync` (opt-in): the synced form of [`sync`], keys `af.*`.
//!
//! # Layers
//!
//! Each module belongs to one layer and imports (`crate::…`) only its own layer and lower
//! ones, and no module reaches itself again through its imports (no circles, within a layer
//! either); `tests/layers.rs` enforces both. Within the domain the record is built bottom-up:
//! `model` holds every type of the stored record and imports no other domain module;
//! `monthly` and `agreed` give its parts their rules; `ledger` changes the whole.
//!
//! 1. Leaves, import nothing of the crate:
//!    - [`site`]: the one site table: ids, names, hosts, how groups are keyed, bundled packs.
//!    - [`wire::json`]: the small JSON reader and writer, and [`wire::WireName`].
//!    - [`case`]: lowercasing as std does it, from a smaller table.
//! 2. Domain, may import leaves and the domain:
//!    - [`model`]: groups, people, the record and every type it stores.
//!    - [`agreed`]: the people who said yes.
//!    - [`monthly`]: the totals per calendar month.
//!    - [`ledger`]: the reducers that change the record.
//!    - [`settings`]: the user's rules, defaults and validation.
//!    - [`dismiss`]: re-add flags the user dismissed.
//!    - [`guard`]: the budgets for what pages report.
//!    - [`intent`]: what the user did, as opposed to the page's scripts.
//!    - [`schedule`]: when the content script reads the page.
//!    - [`pack`]: the site packs, their validation and decoding (from `wire` only `wire::json`).
//!    - [`page`]: reading a page with a pack.
//!    - [`rules`]: what an add dialog deserves.
//!    - [`ask`]: the ask-first message.
//!    - [`record_view`]: the options page's list of groups left, searched and sorted.
//! 3. Formats, may import leaves, the domain and formats:
//!    - [`transfer`]: the export file.
//!    - [`sync`]: the synced form in `storage.sync`.
//!    - [`protocol`]: the messages between contexts (with [`protocol::LoadProblem`]).
//!    - [`wire`]: the content script's codec for its messages.
//!    - [`view`]: what the content script's overlays show, for the renderer that draws them.
//! 4. State, may import everything:
//!    - [`storage`]: the `storage.local` schema, load and migrations.
//!    - [`router`]: the background's state and its answers (uses `storage`).

#![forbid(unsafe_code)]

pub mod agreed;
pub mod ask;
pub mod case;
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
pub mod view;
pub mod wire;
