//! The background's router: checks who sent a request, then acts on it.
//!
//! The glue turns the browser's `MessageSender` into a [`Sender`]; only that, never a field of
//! the message itself, decides what the sender may do. Every entry returns an [`Outcome`]: the
//! reply plus the storage writes the glue must perform (and await) before sending the reply,
//! and the pushes to send to open pages and tabs afterwards.
//!
//! This file holds the state, the checks every request passes and the dispatch; the requests
//! are answered by who is asking: `content.rs` for content scripts, `page.rs` for the
//! extension's pages (with `sync.rs` for a sync pass); the tests are in `tests.rs`.
//!
//! Layer: state (may import every other layer; the map is in `lib.rs`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::dismiss::{Dismissed, KEY_DISMISSED};
use crate::guard::Guard;
use crate::model::{GroupRef, Record};
use crate::pack::{self, PackSource, SitePack};
use crate::protocol::{
    Envelope, Health, LoadProblem, PackStatus, Push, Refusal, Reply, Request, TabRequest,
    TabStatus, PROTOCOL_VERSION,
};
use crate::settings::{Lang, Settings};
use crate::site::Site;
use crate::storage::{
    self, LoadReport, StorageWrite, KEY_GUARD, KEY_PACKS, KEY_RECORD, KEY_SETTINGS,
};

/// Who sent a message, as established by the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sender {
    /// A content script in a web page's tab, on the supported site its URL belongs to (taken
    /// from the browser's sender URL, never from the message).
    ContentScript { tab_id: Option<i32>, site: Site },
    /// One of the extension's own pages (popup, options).
    ExtensionPage,
    /// Anything else (another extension, a page without a tab, an unknown origin).
    Unknown,
}

impl Sender {
    /// Classifies a sender from the fields of the browser's `MessageSender`.
    ///
    /// `own_id` is this extension's id and `own_origin` its page origin (for example
    /// `chrome-extension://abc/`, a trailing slash or not). A sender from another extension is
    /// `Unknown`.
    ///
    /// The sender's `origin` decides when the browser gives one: a compromised renderer can make
    /// up its frame's `url`, but not the `origin` the browser process records. When both are
    /// given and name different origins, the sender is refused. Only without an `origin` (older
    /// Firefox versions leave it out for content scripts) does the origin of `url` decide.
    pub fn classify(
        sender_id: Option<&str>,
        sender_origin: Option<&str>,
        sender_url: Option<&str>,
        tab_id: Option<i32>,
        own_id: &str,
        own_origin: &str,
    ) -> Sender {
        let Some(origin) = speaks_for(sender_id, sender_origin, sender_url, own_id) else {
            return Sender::Unknown;
        };
        if same_origin(origin, own_origin) {
            return Sender::ExtensionPage;
        }
        match Site::from_url(&origin.to_ascii_lowercase()) {
            Some(site) => Sender::ContentScript { tab_id, site },
            // The manifest injects only on supported sites; anything else is not ours.
            _ => Sender::Unknown,
        }
    }

    /// Whether [`Sender::classify`] would say [`Sender::ExtensionPage`]: all a content script
    /// asks of a sender (without the site table, whose code would be its only use there).
    pub fn is_extension_page(
        sender_id: Option<&str>,
        sender_origin: Option<&str>,
        sender_url: Option<&str>,
        own_id: &str,
        own_origin: &str,
    ) -> bool {
        speaks_for(sender_id, sender_origin, sender_url, own_id)
            .is_some_and(|origin| same_origin(origin, own_origin))
    }
}

/// The origin a sender of this extension speaks for (see [`Sender::classify`]); `None` for
/// another extension's sender, or when its `origin` and `url` disagree or neither names one.
fn speaks_for<'a>(
    sender_id: Option<&str>,
    sender_origin: Option<&'a str>,
    sender_url: Option<&'a str>,
    own_id: &str,
) -> Option<&'a str> {
    if sender_id != Some(own_id) {
        return None;
    }
    match (sender_origin, sender_url.map(origin_of)) {
        (Some(origin), Some(Some(from_url))) if same_origin(origin, from_url) => Some(origin),
        // Both given but naming different origins (or a url without one): refused.
        (Some(_), Some(_)) => None,
        (Some(origin), None) => Some(origin),
        (None, Some(Some(from_url))) => Some(from_url),
        (None, _) => None,
    }
}

/// The origin (`scheme://authority`) a URL belongs to; `None` when it has no authority (e.g.
/// `about:blank`, `data:`).
fn origin_of(url: &str) -> Option<&str> {
    // A byte search for the first `://` (what `split_once` would find): the content core then
    // needs no substring searcher.
    let at = url.as_bytes().windows(3).position(|w| w == b"://")?;
    let (scheme, rest) = (url.get(..at)?, url.get(at + 3..)?);
    if scheme.is_empty() {
        return None;
    }
    // The authority ends at the first `/`, `?` or `#` (ASCII, so a byte search is exact).
    let authority = rest
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    if authority == 0 {
        return None;
    }
    url.get(..scheme.len() + 3 + authority)
}

/// Whether two origins are the same, ignoring case and a trailing slash. An opaque origin
/// (`null`) is the same as nothing.
fn same_origin(a: &str, b: &str) -> bool {
    let (a, b) = (
        a.strip_suffix('/').unwrap_or(a),
        b.strip_suffix('/').unwrap_or(b),
    );
    a != "null" && !a.is_empty() && a.eq_ignore_ascii_case(b)
}

/// The result of one request: what to answer, what to store first, whom to tell afterwards.
///
/// The glue performs `writes` (in order) and then `removals`, awaits them, and only then sends
/// `reply`; if a write fails it answers with the storage error instead (see
/// [`crate::storage::StorageError`]). Then it sends each push to open pages and tabs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub reply: Reply,
    pub writes: Vec<StorageWrite>,
    pub removals: Vec<String>,
    pub pushes: Vec<Push>,
    /// What the tabs reported, to keep in `storage.session` under [`KEY_TABS`] when it changed:
    /// the browser stops an idle background (about 30 s), and the popup and the banner must
    /// still know each tab afterwards.
    pub tabs: Option<Value>,
}

impl Outcome {
    /// A refusal: nothing to store, nobody to tell.
    pub fn refused(error: Refusal) -> Self {
        Outcome::reply(Reply::Refused { error })
    }

    fn reply(reply: Reply) -> Self {
        Outcome {
            reply,
            writes: Vec::new(),
            removals: Vec::new(),
            pushes: Vec::new(),
            tabs: None,
        }
    }
}

/// The `storage.session` key of the tabs' reports.
pub const KEY_TABS: &str = "tabs";

/// At most this many tabs are remembered (a browser with more tabs on the seven sites than this
/// is not a real case; the cap keeps a restored value bounded).
pub const MAX_TABS: usize = 500;

/// What changed while handling a request.
#[derive(Default)]
struct Changes {
    settings: bool,
    record: bool,
    packs: bool,
    tabs: bool,
    guard: bool,
    removals: Vec<String>,
    dismissed: bool,
    sync: bool,
}

/// State the background keeps while it runs.
#[derive(Debug, Default)]
pub struct Background {
    tabs: BTreeMap<i32, TabStatus>,
    settings: Settings,
    record: Record,
    /// Site packs the user imported (validated), at most one per site.
    packs: BTreeMap<Site, SitePack>,
    /// Backup keys in storage (removed by "delete everything").
    backups: Vec<String>,
    /// The budgets for what pages report, and the bursts refused.
    guard: Guard,
    /// What the load at start found, for the options page.
    found_version: Option<u32>,
    migrations: Vec<String>,
    problems: Vec<LoadProblem>,
    /// Bytes per stored key, from the load and every change since.
    stored_bytes: BTreeMap<String, usize>,
    /// Why storing what the load repaired failed (see [`Background::set_unsaved`]).
    unsaved: Option<String>,
    /// Re-add flags the user dismissed ([`crate::dismiss`]).
    dismissed: Dismissed,
    /// This browser's side of syncing (`storage.local` key `sync`, see [`crate::sync`]).
    sync: crate::sync::Local,
}

impl Background {
    /// A background with default settings and an empty record (nothing stored yet).
    pub fn new() -> Self {
        Self::default()
    }

    /// Loads the state from everything in `storage.local` (`get(null)`), migrating older
    /// shapes and keeping unreadable values as backups. The glue performs the report's writes
    /// and removals before handling the first request.
    pub fn load(stored: &Map<String, Value>, now_ms: f64) -> (Background, LoadReport) {
        let (loaded, report) = storage::load(stored, now_ms);
        let mut stored_bytes: BTreeMap<String, usize> = stored
            .iter()
            .map(|(key, value)| (key.clone(), storage::stored_size(key, value)))
            .collect();
        count_bytes(&mut stored_bytes, &report.writes, &report.removals);
        let background = Background {
            stored_bytes,
            unsaved: None,
            tabs: BTreeMap::new(),
            settings: loaded.settings,
            record: loaded.record,
            packs: loaded.packs,
            backups: loaded.backups,
            guard: Guard::from_stored(stored.get(KEY_GUARD)),
            found_version: report.found_version,
            migrations: report.migrations.clone(),
            problems: report.problems.clone(),
            dismissed: Dismissed::from_stored(stored.get(KEY_DISMISSED)),
            sync: crate::sync::Local::from_stored(stored.get(crate::sync::KEY_SYNC)),
        };
        (background, report)
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The glue could not store what the load repaired (`Some(reason)`), or stored it later
    /// (`None`). The options page says so; reads, export and "delete everything" keep working.
    pub fn set_unsaved(&mut self, failure: Option<String>) {
        self.unsaved = failure;
    }

    pub fn record(&self) -> &Record {
        &self.record
    }

    /// The user's local offset from UTC in minutes (east positive), for the monthly totals;
    /// the glue sets it before each request, so a change of time zone or daylight saving time
    /// applies from the next incident on.
    pub fn set_utc_offset_minutes(&mut self, minutes: i32) {
        // Real offsets lie within ±14 hours; anything else is ignored.
        if (-14 * 60..=14 * 60).contains(&minutes) {
            self.record.utc_offset_minutes = minutes;
        }
    }

    /// The pack a content script on `site` should read the site with when it is not the
    /// bundled one.
    pub fn active_import(&self, site: Site) -> Option<&SitePack> {
        pack::active_import(site, self.packs.get(&site))
    }

    /// What each open tab should read its site with after the imported packs changed
    /// ([`TabRequest::UsePack`], sent with `tabs.sendMessage`): the active imported pack, as
    /// the hello's answer gives it, or `None` for the bundled one.
    pub fn pack_deliveries(&self) -> Vec<(i32, TabRequest)> {
        self.tabs
            .iter()
            .map(|(&tab_id, status)| {
                let pack = self
                    .active_import(status.site)
                    .and_then(|pack| serde_json::to_string(pack).ok());
                (
                    tab_id,
                    TabRequest::UsePack {
                        site: status.site,
                        pack,
                    },
                )
            })
            .collect()
    }

    /// Every site's packs, in [`Site::ALL`] order.
    pub fn pack_statuses(&self) -> Vec<PackStatus> {
        Site::ALL
            .into_iter()
            .map(|site| PackStatus {
                site,
                bundled: pack::bundled_for(site).map_or(0, |bundled| bundled.version),
                imported: self.packs.get(&site).map(|imported| imported.version),
                active: match self.active_import(site) {
                    Some(_) => PackSource::Imported,
                    None => PackSource::Bundled,
                },
            })
            .collect()
    }

    /// The toolbar badge count: re-additions and re-invitations not yet looked at.
    pub fn unseen_readditions(&self) -> u32 {
        self.record.unseen_received()
    }

    /// Answers one message already parsed as JSON: the main entry for the glue.
    pub fn dispatch_value(&mut self, sender: &Sender, message: Value, now_ms: f64) -> Outcome {
        if let Err(error) = admit(sender, &message) {
            return Outcome::refused(error);
        }
        match serde_json::from_value::<Envelope>(message) {
            Ok(envelope) => self.dispatch(sender, envelope, now_ms),
            Err(err) => Outcome::refused(Refusal::Malformed(err.to_string())),
        }
    }

    /// Answers one request after checking that its sender may use its channel.
    pub fn dispatch(&mut self, sender: &Sender, envelope: Envelope, now_ms: f64) -> Outcome {
        if envelope.v != PROTOCOL_VERSION {
            return Outcome::refused(Refusal::VersionMismatch {
                expected: PROTOCOL_VERSION,
                got: envelope.v,
            });
        }
        let now = clock(now_ms);
        let mut changes = Changes::default();
        let reply = match (sender, envelope.request) {
            (Sender::ContentScript { tab_id, site }, Request::Content(request)) => match tab_id {
                Some(tab_id) => {
                    let before = self.tabs.get(tab_id).cloned();
                    let reply = match self.content(*tab_id, *site, request, now, &mut changes) {
                        Ok(body) => Reply::Content { body },
                        Err(error) => Reply::Refused { error },
                    };
                    changes.tabs = self.tabs.get(tab_id) != before.as_ref();
                    reply
                }
                None => Reply::Refused {
                    error: Refusal::NoTab,
                },
            },
            (Sender::ExtensionPage, Request::Page(request)) => {
                match self.page(request, now, &mut changes) {
                    Ok(body) => Reply::Page { body },
                    Err(error) => Reply::Refused { error },
                }
            }
            // Extension pages have no business on the content channel either: a request there
            // would be attributed to a tab that did not send it. Content scripts never get the
            // privileged page channel.
            _ => Reply::Refused {
                error: Refusal::NotAllowed,
            },
        };
        self.outcome(reply, changes)
    }

    /// Forgets a tab (it was closed). Returns the tabs' reports to keep in `storage.session`
    /// when the tab was known.
    pub fn forget_tab(&mut self, tab_id: i32) -> Option<Value> {
        self.guard.forget_tab(tab_id);
        self.tabs.remove(&tab_id).map(|_| self.tabs_value())
    }

    /// The budgets and the refused bursts.
    pub fn guard(&self) -> &Guard {
        &self.guard
    }

    /// The tabs' reports as kept in `storage.session` (see [`Outcome::tabs`]).
    pub fn tabs_value(&self) -> Value {
        let tabs: Map<String, Value> = self
            .tabs
            .iter()
            .filter_map(|(id, status)| Some((id.to_string(), serde_json::to_value(status).ok()?)))
            .collect();
        Value::Object(tabs)
    }

    /// Takes back the tabs' reports kept in `storage.session` after the browser stopped the
    /// background. Each entry is checked as if its tab had just sent it: an entry that does not
    /// decode, speaks for another site than its group's, or carries a key that is not one of the
    /// site's is dropped, never trusted. Returns how many were dropped.
    pub fn restore_tabs(&mut self, stored: &Value) -> usize {
        let Some(entries) = stored.as_object() else {
            return usize::from(!stored.is_null());
        };
        let mut dropped = 0;
        for (id, entry) in entries {
            let restored = id.parse::<i32>().ok().and_then(|tab_id| {
                let mut status: TabStatus = serde_json::from_value(entry.clone()).ok()?;
                if let Some(group) = status.group.take() {
                    let group = normal_group(&group).ok()?;
                    if group.site != status.site {
                        return None;
                    }
                    status.group = Some(group);
                }
                status.failure = status.failure.map(|failure| truncate(&failure, 500));
                if let Health::Degraded(detail) = status.health {
                    status.health = Health::Degraded(truncate(&detail, 300));
                }
                status.reported_at = clock(status.reported_at);
                Some((tab_id, status))
            });
            match restored {
                Some((tab_id, status)) if self.tabs.len() < MAX_TABS => {
                    // What a tab reported since the start wins over what was kept.
                    self.tabs.entry(tab_id).or_insert(status);
                }
                _ => dropped += 1,
            }
        }
        dropped
    }

    /// This tab's report, started when the tab has not said hello since the background started
    /// (its hello went to a background the browser has stopped since, and nothing was kept).
    fn tab(&mut self, tab_id: i32, site: Site, now: f64) -> &mut TabStatus {
        let status = self
            .tabs
            .entry(tab_id)
            .or_insert_with(|| TabStatus::fresh(site, now));
        if status.site != site {
            // The tab moved to another supported site: nothing it said before holds.
            *status = TabStatus::fresh(site, now);
        }
        status
    }

    fn outcome(&mut self, reply: Reply, changes: Changes) -> Outcome {
        let mut writes = Vec::new();
        if changes.settings {
            writes.push(StorageWrite {
                key: KEY_SETTINGS.into(),
                value: serde_json::to_value(&self.settings).unwrap_or(Value::Null),
            });
        }
        if changes.record {
            writes.push(StorageWrite {
                key: KEY_RECORD.into(),
                value: storage::record_value(&self.record),
            });
        }
        if changes.packs {
            writes.push(StorageWrite {
                key: KEY_PACKS.into(),
                value: serde_json::to_value(&self.packs).unwrap_or(Value::Null),
            });
        }
        if changes.guard {
            writes.push(StorageWrite {
                key: KEY_GUARD.into(),
                value: self.guard.to_stored(),
            });
        }
        if changes.dismissed {
            writes.push(StorageWrite {
                key: KEY_DISMISSED.into(),
                value: self.dismissed.to_stored(),
            });
        }
        if changes.sync {
            writes.push(StorageWrite {
                key: crate::sync::KEY_SYNC.into(),
                value: serde_json::to_value(&self.sync).unwrap_or(Value::Null),
            });
        }
        count_bytes(&mut self.stored_bytes, &writes, &changes.removals);
        let mut pushes = Vec::new();
        if changes.settings || changes.record {
            pushes.push(Push::StateChanged {
                settings: changes.settings,
                record: changes.record,
                unseen_readditions: self.unseen_readditions(),
            });
        }
        Outcome {
            reply,
            writes,
            removals: changes.removals,
            pushes,
            tabs: changes.tabs.then(|| self.tabs_value()),
        }
    }

    /// Normalises a group from a message; a content script may only speak about its own site.
    fn group_for(&self, origin: Site, group: &GroupRef) -> Result<GroupRef, Refusal> {
        let normal = normal_group(group)?;
        self.check_site(origin, normal.site)?;
        Ok(normal)
    }

    /// [`Background::group_for`], and only the group the tab's page shows: the banner's and the
    /// gate's buttons act on that group, nothing else.
    fn shown_group(
        &self,
        origin: Site,
        tab_id: i32,
        group: &GroupRef,
    ) -> Result<GroupRef, Refusal> {
        let group = self.group_for(origin, group)?;
        let shown = self
            .tabs
            .get(&tab_id)
            .and_then(|status| status.group.as_ref());
        if shown != Some(&group) {
            return Err(Refusal::Invalid("not the group this tab shows".into()));
        }
        Ok(group)
    }

    /// A content script speaks only for the site its page is on.
    fn check_site(&self, origin: Site, site: Site) -> Result<(), Refusal> {
        if origin == site {
            Ok(())
        } else {
            Err(Refusal::Invalid("the tab is on another site".into()))
        }
    }

    fn lang(&self, ui_language: &str) -> Lang {
        self.settings.language.resolve(ui_language)
    }
}

/// The checks that need no state: the protocol version and whether this sender may use the
/// channel the message names. The glue runs it before queueing a request, so a refused sender
/// never causes a storage read; [`Background::dispatch_value`] runs it again.
pub fn admit(sender: &Sender, message: &Value) -> Result<(), Refusal> {
    // Check the version before the shape, so an old tab gets the helpful error.
    match message.get("v").and_then(Value::as_u64) {
        Some(v) if v == u64::from(PROTOCOL_VERSION) => {}
        Some(v) => {
            return Err(Refusal::VersionMismatch {
                expected: PROTOCOL_VERSION,
                got: u32::try_from(v).unwrap_or(u32::MAX),
            })
        }
        None => return Err(Refusal::Malformed("missing protocol version".into())),
    }
    let allowed = match (sender, message.get("channel").and_then(Value::as_str)) {
        (Sender::ContentScript { .. }, Some("content")) => true,
        (Sender::ExtensionPage, Some("page")) => true,
        // An unknown channel is a shape error, reported as such by the full parse.
        (Sender::ContentScript { .. } | Sender::ExtensionPage, Some(other)) => {
            other != "content" && other != "page"
        }
        (Sender::ContentScript { .. } | Sender::ExtensionPage, None) => true,
        (Sender::Unknown, _) => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(Refusal::NotAllowed)
    }
}

/// The group in normal form, or a refusal when its key cannot be one of its site's keys.
fn normal_group(group: &GroupRef) -> Result<GroupRef, Refusal> {
    GroupRef::new(group.site, &group.key)
        .ok_or_else(|| Refusal::Invalid("not a group key of that site".into()))
}

/// Keeps the bytes per stored key up to date with writes and removals.
fn count_bytes(bytes: &mut BTreeMap<String, usize>, writes: &[StorageWrite], removals: &[String]) {
    for write in writes {
        bytes.insert(
            write.key.clone(),
            storage::stored_size(&write.key, &write.value),
        );
    }
    for key in removals {
        bytes.remove(key);
    }
}

/// A clock that is not a time would poison stored times (JSON has no NaN).
fn clock(now_ms: f64) -> f64 {
    if now_ms.is_finite() && now_ms >= 0.0 {
        now_ms
    } else {
        0.0
    }
}

/// Cuts a page-supplied string to at most `max` characters, on a character boundary.
fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

mod content;
mod page;
mod sync;
#[cfg(test)]
mod tests;
