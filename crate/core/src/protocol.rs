//! The messages between contexts: one request and one response enum per direction.
//!
//! Every message travels in an [`Envelope`] that carries the protocol version and the channel the
//! sender claims. The claim is never trusted on its own: the router compares it with what the
//! browser says about the sender (see [`crate::router::Sender`]).
//!
//! Layer: format (imports the leaves, the domain and other formats; the map is in `lib.rs`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::guard::Burst;
use crate::ledger::ReAddResult;
use crate::model::{GroupRef, IncidentKind, LeftGroup, Record};
#[cfg(doc)]
use crate::pack::SitePack;
use crate::pack::{PackImportError, PackSource};
/// Which build of the content core runs in a tab: defined with the site check that reports it.
pub use crate::page::check::Engine;
use crate::page::check::SiteCheck;
use crate::settings::{Lang, Mode, Pause, SettingIssue, Settings, Templates};
use crate::site::Site;
use crate::transfer::{ImportError, ImportMode, ImportReport};

/// Bumped whenever a message changes shape incompatibly. Contexts of one installed build always
/// agree; a mismatch means a stale tab from before an update, which gets a clear error.
pub const PROTOCOL_VERSION: u32 = 1;

/// A request on the wire: version plus the request of one channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub v: u32,
    #[serde(flatten)]
    pub request: Request,
}

impl Envelope {
    pub fn new(request: Request) -> Self {
        Envelope {
            v: PROTOCOL_VERSION,
            request,
        }
    }
}

/// The request together with the channel the sender claims to speak on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "channel", content = "body", rename_all = "snake_case")]
pub enum Request {
    Content(ContentRequest),
    Page(PageRequest),
}

/// Content script → background. Content scripts run next to untrusted pages, so this channel only
/// reports what the page shows and reads what the page needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ContentRequest {
    /// The content core started in this tab. Answered with [`ContentResponse::Started`].
    Hello { site: Site, engine: Engine },
    /// The content core could not start or stopped itself; the reason is shown in the popup.
    /// `site` is absent when the loader reports it: no build of the core could start, so
    /// nothing knew the site's id (the router takes the sender's).
    EngineFailed {
        #[serde(default)]
        site: Option<Site>,
        reason: String,
    },
    /// How well the site pack reads this page (shown in the popup).
    Health { site: Site, health: Health },
    /// What the page needs to decide on its own: the site's settings and whether the current
    /// group is one the user left. Answered with [`ContentResponse::Context`].
    PageContext {
        site: Site,
        #[serde(default)]
        group: Option<GroupRef>,
        /// The browser's UI language (e.g. `de-DE`), to pick the ask-first message language.
        #[serde(default)]
        ui_language: String,
    },
    /// The user left a group (the site's leave confirmation was clicked).
    LeftGroup {
        group: GroupRef,
        name: String,
        #[serde(default)]
        url: Option<String>,
    },
    /// The user is back in a group they left. `event_id` fingerprints the sighting (the system
    /// message, or the visit): the same one again never counts twice.
    SeenReadded {
        group: GroupRef,
        event_id: String,
        #[serde(default)]
        actor: Option<String>,
    },
    /// The user was invited again into a group they left.
    Reinvited {
        group: GroupRef,
        event_id: String,
        #[serde(default)]
        actor: Option<String>,
    },
    /// "I rejoined on purpose", from the re-add flag on the page: stop flagging this group until
    /// the user leaves it again. Only for the group the tab itself last asked the context of.
    RejoinedOnPurpose { group: GroupRef },
    /// How a warned or gated add dialog ended.
    AddOutcome {
        site: Site,
        #[serde(default)]
        group: Option<GroupRef>,
        #[serde(default)]
        group_name: Option<String>,
        outcome: AddOutcomeKind,
        count: u32,
    },
    /// An add went through (any size), for the sequential window.
    AddConfirmed {
        site: Site,
        #[serde(default)]
        group: Option<GroupRef>,
        count: u32,
    },
    /// "They said yes", from the gate after the ask-first message was copied: these people of
    /// the selection agreed to be added, on this site or (with `group`) to this group only.
    /// Only for the group the tab itself last asked the context of.
    MarkAgreed {
        site: Site,
        #[serde(default)]
        group: Option<GroupRef>,
        #[serde(default)]
        group_name: Option<String>,
        names: Vec<String>,
    },
    /// The user dismissed the re-add flag of the group the tab shows: re-addition (or
    /// re-invitation) `number` stays dismissed on later visits ([`crate::dismiss`]).
    DismissedFlag {
        group: GroupRef,
        #[serde(default)]
        invitation: bool,
        number: u32,
    },
}

/// How an add dialog with a warning or gate ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AddOutcomeKind {
    /// A bulk warning or gate was shown.
    BulkWarned,
    /// The user chose "I asked them" and went ahead.
    Proceeded,
    /// The user cancelled.
    Cancelled,
    /// The user copied the ask-first message.
    AskCopied,
    /// A warning about many adds in a short time was shown.
    SequentialWarned,
}

impl From<AddOutcomeKind> for IncidentKind {
    /// The record's incident for how an add dialog ended.
    fn from(outcome: AddOutcomeKind) -> IncidentKind {
        match outcome {
            AddOutcomeKind::BulkWarned => IncidentKind::BulkAddWarned,
            AddOutcomeKind::Proceeded => IncidentKind::BulkAddProceeded,
            AddOutcomeKind::Cancelled => IncidentKind::BulkAddCancelled,
            AddOutcomeKind::AskCopied => IncidentKind::AskMessageCopied,
            AddOutcomeKind::SequentialWarned => IncidentKind::SequentialAddsWarned,
        }
    }
}

/// What a content script needs to know about its page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContentContext {
    pub enabled: bool,
    pub mode: Mode,
    pub paused: bool,
    /// When a pause until a time ends (ms since the epoch), so an open page stops counting itself
    /// paused then; `None` when not paused or paused until resumed.
    #[serde(default)]
    pub pause_ends: Option<f64>,
    /// The current group is trusted: no warnings there.
    pub trusted_group: bool,
    pub direct_threshold: u32,
    pub invite_threshold: u32,
    pub quiet_note: bool,
    /// The sequential rule: this many people added within `sequential_minutes` make the next
    /// add dialog warn; `added_in_window` people were added on this site in the window so far.
    pub sequential_count: u32,
    pub sequential_minutes: u32,
    pub added_in_window: u32,
    /// The language of the extension's texts and the ask-first message.
    pub lang: Lang,
    pub templates: Templates,
    /// Set when the current group is one the user left (and has not rejoined on purpose).
    pub left: Option<LeftSummary>,
    /// The names that said yes to adds to the current group ([`crate::agreed`]).
    #[serde(default)]
    pub agreed: Vec<String>,
}

impl ContentContext {
    /// The context of a page on `site` showing `group` (already checked and normalised), at
    /// `now`, with the texts in `lang`.
    pub fn new(
        settings: &Settings,
        record: &Record,
        site: Site,
        group: Option<&GroupRef>,
        now: f64,
        lang: Lang,
    ) -> ContentContext {
        let site_settings = settings.site(site);
        ContentContext {
            enabled: site_settings.enabled,
            mode: site_settings.mode,
            paused: settings.is_paused(site, now),
            pause_ends: match settings.pauses.get(&site) {
                Some(Pause::Until(until)) => Some(*until),
                _ => None,
            },
            trusted_group: group.is_some_and(|group| settings.trusts_group(group)),
            direct_threshold: settings.direct_threshold,
            invite_threshold: settings.invite_threshold,
            quiet_note: settings.quiet_note,
            sequential_count: settings.sequential_count,
            sequential_minutes: settings.sequential_minutes,
            added_in_window: record.added_in_window(site, now, settings.window_ms()),
            lang,
            templates: settings.templates.clone(),
            left: group
                .and_then(|group| record.find_left(group))
                .map(LeftSummary::from),
            agreed: record.agreed_names(site, group),
        }
    }

    /// The rules' inputs at `now`, so the page decides exactly as the background would.
    pub fn rule_inputs(&self, now: f64) -> crate::rules::RuleInputs {
        crate::rules::RuleInputs {
            enabled: self.enabled,
            mode: self.mode,
            paused: self.paused && self.pause_ends.is_none_or(|end| now < end),
            trusted_group: self.trusted_group,
            direct_threshold: self.direct_threshold,
            invite_threshold: self.invite_threshold,
            quiet_note: self.quiet_note,
            sequential_count: self.sequential_count,
            sequential_minutes: self.sequential_minutes,
            added_in_window: self.added_in_window,
            agreed: self.agreed.clone(),
        }
    }
}

/// A left group, as the page needs it (for the "you left this group" hint and flag).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeftSummary {
    pub name: String,
    pub first_left: f64,
    pub last_left: f64,
    pub times_left: u32,
    pub readditions: u32,
    pub is_out: bool,
    pub flagging: bool,
}

impl From<&LeftGroup> for LeftSummary {
    fn from(entry: &LeftGroup) -> LeftSummary {
        LeftSummary {
            name: entry.shown_on_page().to_owned(),
            first_left: entry.first_left,
            last_left: entry.last_left,
            times_left: entry.times_left,
            readditions: entry.readditions,
            is_out: entry.is_out,
            flagging: entry.flagging,
        }
    }
}

/// Background → content script.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ContentResponse {
    Ack,
    /// The answer to `Hello`: the pack to read the site with, when the user imported one that
    /// is active ([`crate::pack::active_import`]); `None`: the bundled pack. Sent as the pack's
    /// JSON text: the content script reads it with [`crate::pack::decode_checked_pack`], as it
    /// reads its bundled pack, so its build carries no second decoder.
    Started {
        #[serde(default)]
        pack: Option<String>,
    },
    Context {
        context: ContentContext,
    },
    /// The result of reporting a re-addition or re-invitation; the page shows the notice when
    /// it says so.
    Readd {
        result: ReAddResult,
    },
}

/// Extension page (popup, options) → background. Privileged: only the extension's own pages may
/// use this channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PageRequest {
    /// What the content core reported for one tab.
    TabStatus {
        tab_id: i32,
        /// The tab's address as the browser shows it to the popup (empty when the browser hides
        /// it, i.e. the tab is on no supported site). A status for a tab that has since left its
        /// site is not answered.
        #[serde(default)]
        url: Option<String>,
    },
    GetSettings,
    /// Saves the settings; invalid fields are reset and reported. With `base` (the settings the
    /// page loaded and edited), only the fields the page changed are applied to the settings as
    /// they are now ([`crate::settings::rebase`]); without it they are replaced.
    SetSettings {
        settings: serde_json::Value,
        #[serde(default)]
        base: Option<serde_json::Value>,
    },
    /// Pauses a site (`None`: resume it).
    PauseSite {
        site: Site,
        #[serde(default)]
        pause: Option<Pause>,
    },
    GetRecord,
    /// The export file's text.
    Export,
    /// Imports an export file's text.
    Import {
        data: String,
        mode: ImportMode,
    },
    ForgetGroup {
        group: GroupRef,
    },
    /// "I rejoined on purpose": stop flagging this group until the user leaves it again.
    RejoinedOnPurpose {
        group: GroupRef,
    },
    RenameGroup {
        group: GroupRef,
        name: String,
    },
    /// "I left this group", from the popup (current tab's group) or added by hand on the
    /// options page.
    RecordLeave {
        group: GroupRef,
        name: String,
        #[serde(default)]
        url: Option<String>,
    },
    /// Deletes the record, the settings and every backup.
    DeleteEverything,
    /// The user looked at the re-additions (clears the badge).
    MarkReadditionsSeen,
    /// What loading found (migrations, backups, problems) and how full storage is.
    GetStorageStatus,
    /// Deletes one backup kept at a load (frees its room in storage).
    DeleteBackup {
        key: String,
    },
    /// Every site's packs: bundled and imported versions, and which one is active.
    GetPacks,
    /// Imports a site pack (the file's text); answered with `PackImported` or
    /// `PackImportFailed`.
    ImportPack {
        data: String,
    },
    /// Drops the site's imported pack: the bundled one applies again.
    ResetPack {
        site: Site,
    },
    /// The reports of refused bursts (pages that reported more than their budget).
    GetBursts,
    /// The user read them: forget them.
    ClearBursts,
    /// Removes a "they said yes" entry (`group`: the one for that group only).
    RemoveAgreed {
        site: Site,
        name: String,
        #[serde(default)]
        group: Option<GroupRef>,
    },
    /// One sync pass (the background's own glue sends it with `storage.sync.get(null)`):
    /// answered with `Sync`, whose `set` and `remove` the glue applies to `storage.sync`.
    SyncPass {
        synced: serde_json::Value,
    },
    /// How much of the record the synced copy holds (`Sync`, nothing to write).
    GetSyncStatus,
    /// Removes the synced copy: `Sync` with every key of ours in `synced` to remove.
    RemoveSyncedCopy {
        synced: serde_json::Value,
    },
}

/// One site's packs, for the options page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackStatus {
    pub site: Site,
    /// The bundled pack's version.
    pub bundled: u32,
    /// The imported pack's version, if the user imported one (active or not).
    pub imported: Option<u32>,
    pub active: PackSource,
}

/// Background → extension page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PageResponse {
    TabStatus {
        status: Option<TabStatus>,
    },
    Settings {
        settings: Settings,
        /// Fields that were reset while saving (empty when reading).
        issues: Vec<SettingIssue>,
    },
    Record {
        record: Record,
        unseen_readditions: u32,
    },
    Export {
        /// A suggested file name.
        file_name: String,
        data: String,
    },
    Imported {
        report: ImportReport,
    },
    ImportFailed {
        error: ImportError,
        message: String,
    },
    /// A change request was carried out; `changed` is false when there was nothing to change
    /// (for example, forgetting a group that is not in the record).
    Done {
        changed: bool,
    },
    Packs {
        packs: Vec<PackStatus>,
    },
    PackImported {
        site: Site,
        version: u32,
        /// The version of the imported pack this one replaced, if any.
        replaced: Option<u32>,
    },
    /// Nothing was changed.
    PackImportFailed {
        error: PackImportError,
        /// The error in English (the options page says it in the user's language).
        message: String,
    },
    Bursts {
        bursts: Vec<Burst>,
    },
    /// A sync pass's result, or the sync status: what to write to `storage.sync`.
    Sync {
        status: crate::sync::SyncStatus,
        #[serde(default)]
        set: serde_json::Map<String, serde_json::Value>,
        #[serde(default)]
        remove: Vec<String>,
    },
    StorageStatus {
        /// The schema version found at start (`None`: fresh install).
        found_version: Option<u32>,
        migrations: Vec<String>,
        problems: Vec<LoadProblem>,
        backups: Vec<String>,
        /// Bytes each stored key takes (as the browser counts them, near enough), backups too.
        #[serde(default)]
        bytes_by_key: BTreeMap<String, u64>,
        /// Their sum, and the storage quota it counts against.
        #[serde(default)]
        bytes_in_use: u64,
        #[serde(default)]
        quota_bytes: u64,
        /// Storing what the load at start repaired failed: the reason. The state is served from
        /// memory and the write is tried again with each change until it succeeds.
        #[serde(default)]
        unsaved: Option<String>,
    },
}

/// Something found while loading, for the options page (a payload of
/// [`PageResponse::StorageStatus`]; [`crate::storage`] fills it in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadProblem {
    pub key: String,
    pub problem: String,
    /// Where the raw value was kept, when it was.
    pub backup_key: Option<String>,
}

/// Background → open extension pages and content scripts, when the state changed. Sent in a
/// [`PushMessage`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "push", rename_all = "snake_case")]
pub enum Push {
    StateChanged {
        settings: bool,
        record: bool,
        /// For the toolbar badge.
        unseen_readditions: u32,
    },
}

/// A push on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushMessage {
    pub v: u32,
    #[serde(flatten)]
    pub push: Push,
}

impl PushMessage {
    pub fn new(push: Push) -> Self {
        PushMessage {
            v: PROTOCOL_VERSION,
            push,
        }
    }
}

/// What the background knows about the content core in one tab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TabStatus {
    pub site: Site,
    pub engine: Option<Engine>,
    /// Set when the core failed to start or switched itself off; shown to the user.
    pub failure: Option<String>,
    /// Whether the site pack can read this site's add dialogs.
    #[serde(default)]
    pub health: Health,
    /// The group the page shows, as the content core last reported it.
    #[serde(default)]
    pub group: Option<GroupRef>,
    /// Milliseconds since the epoch of the latest report.
    pub reported_at: f64,
}

impl TabStatus {
    /// A tab on `site` that has reported nothing yet but being there, at `now`.
    pub fn fresh(site: Site, now: f64) -> TabStatus {
        TabStatus {
            site,
            engine: None,
            failure: None,
            health: Health::Unknown,
            group: None,
            reported_at: now,
        }
    }
}

/// Whether the site pack still fits the site's pages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", content = "detail", rename_all = "snake_case")]
pub enum Health {
    /// No add dialog seen yet.
    #[default]
    Unknown,
    /// An add dialog was read with the pack.
    Ok,
    /// The page shows the add entry point or a people-picking dialog the pack cannot read; the
    /// detail says what was missing. Warnings may be missing on this site.
    Degraded(String),
}

/// Why a request was not carried out. Serialised as `{code, message}` for the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", content = "detail", rename_all = "snake_case")]
pub enum Refusal {
    /// The message was not a well-formed envelope.
    Malformed(String),
    /// The sender speaks another protocol version (a tab left over from before an update).
    VersionMismatch { expected: u32, got: u32 },
    /// The sender may not use this channel (a content script asking for a privileged request).
    NotAllowed,
    /// A content-channel request without a tab to attribute it to.
    NoTab,
    /// The request was well-formed but a value in it is not acceptable (a group key that is not
    /// one of the site's keys, a group of another site than the tab's).
    Invalid(String),
    /// The change could not be saved; nothing was changed. Carries the message for the user.
    Storage(String),
    /// A page reported more than its tab's or site's budget allows, or the site's part of the
    /// record has no room a page may take ([`crate::guard`]); nothing was stored. The content
    /// script drops such a report silently.
    OverBudget(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Malformed(why) => write!(f, "malformed request: {why}"),
            Refusal::VersionMismatch { expected, got } => {
                write!(
                    f,
                    "protocol version {got} is not {expected}; reload the tab"
                )
            }
            Refusal::NotAllowed => write!(f, "this sender may not make that request"),
            Refusal::NoTab => write!(f, "a content request must come from a tab"),
            Refusal::Invalid(why) => write!(f, "invalid request: {why}"),
            Refusal::Storage(why) => write!(f, "{why}"),
            Refusal::OverBudget(why) => write!(f, "not stored: {why}"),
        }
    }
}

/// Extension page → the content script of one tab, through `tabs.sendMessage`: what only the
/// page itself can answer now. The content script answers the extension's own pages only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TabRequest {
    /// How well the content core reads the page now ([`SiteCheck`]).
    SiteCheck,
    /// The background, after the imported packs changed: read `site` with `pack` (the active
    /// imported pack's JSON; `None`: the bundled one) from now on, without a reload. Answered
    /// with the site check, which names the pack now in use.
    UsePack {
        site: Site,
        #[serde(default)]
        pack: Option<String>,
    },
}

/// A [`TabRequest`] on the wire: `{"v": 1, "channel": "tab", "body": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TabEnvelope {
    pub v: u32,
    #[serde(flatten)]
    pub request: TabChannel,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "channel", content = "body", rename_all = "snake_case")]
pub enum TabChannel {
    Tab(TabRequest),
}

impl TabEnvelope {
    pub fn new(request: TabRequest) -> Self {
        TabEnvelope {
            v: PROTOCOL_VERSION,
            request: TabChannel::Tab(request),
        }
    }
}

/// The content script's answer to a [`TabRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum TabReply {
    Tab { body: TabResponse },
    Refused { error: Refusal },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TabResponse {
    SiteCheck { check: SiteCheck },
}

/// A reply as a content script reads it. Same wire shape as [`Reply`], but a content script
/// never receives a page response, so it need not carry the code to decode one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ContentReply {
    Content { body: ContentResponse },
    Refused { error: Refusal },
}

/// A reply as an extension page reads it (same wire shape as [`Reply`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PageReply {
    Page { body: PageResponse },
    Refused { error: Refusal },
}

/// What goes back on the wire: either the response of the request's channel or a refusal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Reply {
    Content { body: ContentResponse },
    Page { body: PageResponse },
    Refused { error: Refusal },
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn envelope_wire_shape_is_stable() {
        let envelope = Envelope::new(Request::Content(ContentRequest::Hello {
            site: Site::GoogleGroups,
            engine: Engine::Fallback,
        }));
        let wire = serde_json::to_value(&envelope).unwrap();
        assert_eq!(
            wire,
            json!({"v": 1, "channel": "content",
                   "body": {"type": "hello", "site": "google-groups", "engine": "fallback"}})
        );
        let back: Envelope = serde_json::from_value(wire).unwrap();
        assert_eq!(back, envelope);
    }

    #[test]
    fn refusals_serialise_with_a_code() {
        let wire = serde_json::to_value(Reply::Refused {
            error: Refusal::NotAllowed,
        })
        .unwrap();
        assert_eq!(
            wire,
            json!({"outcome": "refused", "error": {"code": "not_allowed"}})
        );
    }

    #[test]
    fn new_requests_have_the_documented_wire_shape() {
        let seen: Envelope = serde_json::from_value(json!({
            "v": 1, "channel": "content",
            "body": {"type": "seen_readded", "group": {"site": "telegram", "key": "-1001303328644"},
                     "event_id": "msg:77", "actor": "Max"}
        }))
        .unwrap();
        assert!(matches!(
            seen.request,
            Request::Content(ContentRequest::SeenReadded { .. })
        ));
        let import: Envelope = serde_json::from_value(json!({
            "v": 1, "channel": "page",
            "body": {"type": "import", "data": "{}", "mode": "merge"}
        }))
        .unwrap();
        assert_eq!(
            import.request,
            Request::Page(PageRequest::Import {
                data: "{}".into(),
                mode: ImportMode::Merge
            })
        );
        let pause: Envelope = serde_json::from_value(json!({
            "v": 1, "channel": "page",
            "body": {"type": "pause_site", "site": "slack", "pause": 1700000000000.0}
        }))
        .unwrap();
        assert_eq!(
            pause.request,
            Request::Page(PageRequest::PauseSite {
                site: Site::Slack,
                pause: Some(Pause::Until(1_700_000_000_000.0))
            })
        );
        let push = PushMessage::new(Push::StateChanged {
            settings: false,
            record: true,
            unseen_readditions: 2,
        });
        assert_eq!(
            serde_json::to_value(push).unwrap(),
            json!({"v": 1, "push": "state_changed", "settings": false, "record": true,
                   "unseen_readditions": 2})
        );
        let done = Reply::Page {
            body: PageResponse::Done { changed: true },
        };
        assert_eq!(
            serde_json::to_value(done).unwrap(),
            json!({"outcome": "page", "body": {"type": "done", "changed": true}})
        );
    }
}

#[cfg(test)]
mod reply_view_tests {
    use super::*;

    #[test]
    fn each_side_reads_its_own_replies_and_refusals() {
        let content = serde_json::to_value(Reply::Content {
            body: ContentResponse::Ack,
        })
        .unwrap();
        assert_eq!(
            serde_json::from_value::<ContentReply>(content.clone()).unwrap(),
            ContentReply::Content {
                body: ContentResponse::Ack
            }
        );
        assert!(serde_json::from_value::<PageReply>(content).is_err());

        let refused = serde_json::to_value(Reply::Refused {
            error: Refusal::Storage("full".into()),
        })
        .unwrap();
        assert_eq!(
            serde_json::from_value::<PageReply>(refused.clone()).unwrap(),
            PageReply::Refused {
                error: Refusal::Storage("full".into())
            }
        );
        assert!(matches!(
            serde_json::from_value::<ContentReply>(refused).unwrap(),
            ContentReply::Refused { .. }
        ));
    }
}
