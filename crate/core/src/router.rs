//! The background's router: checks who sent a request, then acts on it.
//!
//! The glue turns the browser's `MessageSender` into a [`Sender`]; only that, never a field of
//! the message itself, decides what the sender may do. Every entry returns an [`Outcome`]: the
//! reply plus the storage writes the glue must perform (and await) before sending the reply,
//! and the pushes to send to open pages and tabs afterwards.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::ask::ask_message;
use crate::dismiss::{Dismissed, KEY_DISMISSED};
use crate::guard::{Cause, Class, Guard};
use crate::ledger::{Full, ReAddResult};
use crate::model::{clean_name, clean_text, GroupRef, IncidentKind, Record, MAX_NAME_CHARS};
use crate::pack::{self, PackSource, SitePack};
use crate::protocol::{
    AddOutcomeKind, ContentContext, ContentRequest, ContentResponse, Envelope, Health, LeftSummary,
    PackStatus, PageRequest, PageResponse, Push, Refusal, Reply, Request, TabRequest, TabStatus,
    PROTOCOL_VERSION,
};
use crate::rules::{evaluate, Observation, MAX_OBSERVED_NAMES};
use crate::settings::{self, Lang, Pause, Settings};
use crate::site::Site;
use crate::storage::{
    self, LoadProblem, LoadReport, StorageWrite, KEY_GUARD, KEY_PACKS, KEY_RECORD, KEY_SETTINGS,
};
use crate::transfer;

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
    /// `chrome-extension://abc/`). A sender from another extension is `Unknown`; a sender whose
    /// URL lies inside the extension origin but that runs in a web page's tab is still a content
    /// script's frame and is treated as such only when its URL is not the extension's.
    pub fn classify(
        sender_id: Option<&str>,
        sender_url: Option<&str>,
        tab_id: Option<i32>,
        own_id: &str,
        own_origin: &str,
    ) -> Sender {
        if sender_id != Some(own_id) {
            return Sender::Unknown;
        }
        match sender_url {
            Some(url) if url.starts_with(own_origin) => Sender::ExtensionPage,
            Some(url) if url.starts_with("https://") => match Site::from_url(url) {
                Some(site) => Sender::ContentScript { tab_id, site },
                // The manifest injects only on supported sites; anything else is not ours.
                None => Sender::Unknown,
            },
            _ => Sender::Unknown,
        }
    }
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

    /// Parses and answers one message. Never panics on any input.
    pub fn dispatch_json(&mut self, sender: &Sender, message: &str, now_ms: f64) -> Outcome {
        match serde_json::from_str::<Value>(message) {
            Ok(value) => self.dispatch_value(sender, value, now_ms),
            Err(err) => refused(Refusal::Malformed(err.to_string())),
        }
    }

    /// Answers one message already parsed as JSON: the main entry for the glue.
    pub fn dispatch_value(&mut self, sender: &Sender, message: Value, now_ms: f64) -> Outcome {
        if let Err(error) = admit(sender, &message) {
            return refused(error);
        }
        match serde_json::from_value::<Envelope>(message) {
            Ok(envelope) => self.dispatch(sender, envelope, now_ms),
            Err(err) => refused(Refusal::Malformed(err.to_string())),
        }
    }

    /// Answers one request after checking that its sender may use its channel.
    pub fn dispatch(&mut self, sender: &Sender, envelope: Envelope, now_ms: f64) -> Outcome {
        if envelope.v != PROTOCOL_VERSION {
            return refused(Refusal::VersionMismatch {
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

    /// A re-addition or re-invitation seen by a page: applied with `reduce` (the ledger reducer
    /// of its kind), trusting the adder when the settings say so.
    fn sighting(
        &mut self,
        origin: Site,
        sighting: Sighting<'_>,
        now: f64,
        changes: &mut Changes,
        reduce: Reducer,
    ) -> Result<ContentResponse, Refusal> {
        let group = self.group_for(origin, sighting.group)?;
        let trusted = sighting
            .actor
            .is_some_and(|actor| self.settings.trusts_adder(group.site, actor));
        let before = self.record.clone();
        let result = self
            .record
            .bounded(group.site, Some(&group), |record| {
                reduce(
                    record,
                    &group,
                    sighting.event_id,
                    sighting.actor,
                    trusted,
                    now,
                )
            })
            .map_err(over_budget)?;
        changes.record = self.record != before;
        Ok(ContentResponse::Readd { result })
    }

    /// A content request within its tab's and site's budget ([`crate::guard`]): refused
    /// without being looked at when over it; counted against it when it changed the record.
    /// Every refusal is noted in the site's burst report.
    fn content(
        &mut self,
        tab_id: i32,
        origin: Site,
        request: ContentRequest,
        now: f64,
        changes: &mut Changes,
    ) -> Result<ContentResponse, Refusal> {
        // A report about another site is refused as invalid (it changes nothing), not counted.
        let Some(class) =
            budget_class(&request).filter(|_| claimed_site(&request, origin) == origin)
        else {
            return self.content_unbudgeted(tab_id, origin, request, now, changes);
        };
        if !self.guard.allows(tab_id, origin, class, now) {
            changes.guard |= self.guard.refused(origin, class, Cause::Rate, now);
            return Err(Refusal::OverBudget(
                "this page reported more of these than its budget allows".into(),
            ));
        }
        let result = self.content_unbudgeted(tab_id, origin, request, now, changes);
        match &result {
            Ok(_) if changes.record => {
                self.guard.spend(tab_id, origin, class, now);
                changes.guard = true;
            }
            Err(Refusal::OverBudget(_)) => {
                changes.guard |= self.guard.refused(origin, class, Cause::RecordFull, now);
            }
            _ => {}
        }
        result
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

    fn content_unbudgeted(
        &mut self,
        tab_id: i32,
        origin: Site,
        request: ContentRequest,
        now: f64,
        changes: &mut Changes,
    ) -> Result<ContentResponse, Refusal> {
        match request {
            ContentRequest::Hello { site, engine } => {
                self.check_site(origin, site)?;
                self.tabs.insert(
                    tab_id,
                    TabStatus {
                        engine: Some(engine),
                        ..TabStatus::fresh(site, now)
                    },
                );
                return Ok(ContentResponse::Started {
                    pack: self
                        .active_import(site)
                        .and_then(|pack| serde_json::to_string(pack).ok()),
                });
            }
            ContentRequest::EngineFailed { site, reason } => {
                let site = site.unwrap_or(origin);
                self.check_site(origin, site)?;
                let status = self.tab(tab_id, site, now);
                status.failure = Some(truncate(&reason, 500));
                status.reported_at = now;
            }
            ContentRequest::Health { site, health } => {
                self.check_site(origin, site)?;
                let health = match health {
                    Health::Degraded(detail) => Health::Degraded(truncate(&detail, 300)),
                    other => other,
                };
                let status = self.tab(tab_id, site, now);
                status.health = health;
                status.reported_at = now;
            }
            ContentRequest::PageContext {
                site,
                group,
                ui_language,
            } => {
                self.check_site(origin, site)?;
                let group = match group {
                    Some(group) => Some(self.group_for(origin, &group)?),
                    None => None,
                };
                self.tab(tab_id, site, now).group = group.clone();
                let site_settings = self.settings.site(site);
                let left = group
                    .as_ref()
                    .and_then(|group| self.record.find_left(group))
                    .map(|entry| LeftSummary {
                        name: entry.shown_on_page().to_owned(),
                        first_left: entry.first_left,
                        last_left: entry.last_left,
                        times_left: entry.times_left,
                        readditions: entry.readditions,
                        is_out: entry.is_out,
                        flagging: entry.flagging,
                    });
                return Ok(ContentResponse::Context {
                    context: ContentContext {
                        enabled: site_settings.enabled,
                        mode: site_settings.mode,
                        paused: self.settings.is_paused(site, now),
                        pause_ends: match self.settings.pauses.get(&site) {
                            Some(Pause::Until(until)) => Some(*until),
                            _ => None,
                        },
                        trusted_group: group
                            .as_ref()
                            .is_some_and(|group| self.settings.trusts_group(group)),
                        direct_threshold: self.settings.direct_threshold,
                        invite_threshold: self.settings.invite_threshold,
                        quiet_note: self.settings.quiet_note,
                        sequential_count: self.settings.sequential_count,
                        sequential_minutes: self.settings.sequential_minutes,
                        added_in_window: self.record.added_in_window(
                            site,
                            now,
                            self.settings.window_ms(),
                        ),
                        lang: self.lang(&ui_language),
                        templates: self.settings.templates.clone(),
                        left,
                        agreed: self.record.agreed_names(site, group.as_ref()),
                    },
                });
            }
            ContentRequest::Evaluate {
                observation,
                ui_language,
            } => {
                self.check_site(origin, observation.site)?;
                let group = match &observation.group {
                    Some(group) => Some(self.group_for(origin, group)?),
                    None => None,
                };
                let names: Vec<String> = observation
                    .names
                    .iter()
                    .take(MAX_OBSERVED_NAMES)
                    .filter_map(|name| clean_name(name))
                    .collect();
                let observation = Observation {
                    group,
                    group_name: observation.group_name.as_deref().and_then(clean_name),
                    names,
                    // The background's clock decides the windows, not the page's.
                    now,
                    ..observation
                };
                let verdict = evaluate(&observation, &self.settings, &self.record);
                let lang = self.lang(&ui_language);
                let group_name = observation.group_name.clone().unwrap_or_default();
                // The message is for the people who have not said yes.
                let agreed = self
                    .record
                    .agreed_names(observation.site, observation.group.as_ref());
                let (_, to_ask) = crate::agreed::agreed_among(&agreed, &observation.names);
                let to_ask: Vec<String> = to_ask.into_iter().cloned().collect();
                let ask = ask_message(&self.settings.templates, lang, &group_name, &to_ask);
                return Ok(ContentResponse::Verdict {
                    verdict,
                    ask_message: ask,
                    lang,
                });
            }
            ContentRequest::LeftGroup { group, name, url } => {
                let group = self.group_for(origin, &group)?;
                self.record
                    .bounded(group.site, Some(&group), |record| {
                        record.report_left(&group, &name, url.as_deref(), now)
                    })
                    .map_err(over_budget)?;
                changes.record = true;
            }
            ContentRequest::SeenReadded {
                group,
                event_id,
                actor,
            } => {
                let sighting = Sighting {
                    group: &group,
                    event_id: &event_id,
                    actor: actor.as_deref(),
                };
                let response =
                    self.sighting(origin, sighting, now, changes, Record::report_readded)?;
                return Ok(self.unless_dismissed(response, false));
            }
            ContentRequest::Reinvited {
                group,
                event_id,
                actor,
            } => {
                let sighting = Sighting {
                    group: &group,
                    event_id: &event_id,
                    actor: actor.as_deref(),
                };
                let response =
                    self.sighting(origin, sighting, now, changes, Record::report_reinvited)?;
                return Ok(self.unless_dismissed(response, true));
            }
            ContentRequest::RejoinedOnPurpose { group } => {
                let group = self.shown_group(origin, tab_id, &group)?;
                changes.record = self.record.rejoined_on_purpose(&group);
            }
            ContentRequest::DismissedFlag {
                group,
                invitation,
                number,
            } => {
                let group = self.shown_group(origin, tab_id, &group)?;
                // Only a re-addition the record holds: the key is built from it.
                let entry = self
                    .record
                    .find_left(&group)
                    .ok_or_else(|| Refusal::Invalid("not a group the user left".into()))?;
                let counted = if invitation {
                    entry.reinvitations
                } else {
                    entry.readditions
                };
                if number == 0 || number > counted {
                    return Err(Refusal::Invalid("no such re-addition".into()));
                }
                let key = Dismissed::key(&group, invitation, entry.last_left, number);
                changes.dismissed = self.dismissed.insert(key);
            }
            ContentRequest::AddOutcome {
                site,
                group,
                group_name,
                outcome,
                count,
            } => {
                self.check_site(origin, site)?;
                let group = match group {
                    Some(group) => Some(self.group_for(origin, &group)?),
                    None => None,
                };
                if group.as_ref().is_some_and(|g| g.site != site) {
                    return Err(Refusal::Invalid("the group is on another site".into()));
                }
                let kind = match outcome {
                    AddOutcomeKind::BulkWarned => IncidentKind::BulkAddWarned,
                    AddOutcomeKind::Proceeded => IncidentKind::BulkAddProceeded,
                    AddOutcomeKind::Cancelled => IncidentKind::BulkAddCancelled,
                    AddOutcomeKind::AskCopied => IncidentKind::AskMessageCopied,
                    AddOutcomeKind::SequentialWarned => IncidentKind::SequentialAddsWarned,
                };
                self.record
                    .bounded(site, None, |record| {
                        record.add_incident(
                            kind,
                            site,
                            group.as_ref(),
                            group_name.as_deref(),
                            count,
                            now,
                        );
                        Ok(())
                    })
                    .map_err(over_budget)?;
                changes.record = true;
            }
            ContentRequest::AddConfirmed { site, group, count } => {
                self.check_site(origin, site)?;
                if let Some(group) = &group {
                    self.group_for(origin, group)?;
                }
                let window = self.settings.window_ms();
                self.record
                    .bounded(site, None, |record| {
                        record.add_confirmed(site, count, now, window);
                        Ok(())
                    })
                    .map_err(over_budget)?;
                changes.record = true;
            }
            ContentRequest::MarkAgreed {
                site,
                group,
                group_name,
                names,
            } => {
                self.check_site(origin, site)?;
                let group = match group {
                    Some(group) => Some(self.shown_group(origin, tab_id, &group)?),
                    None => None,
                };
                if names.len() > crate::agreed::MAX_AGREED_PER_MARK {
                    return Err(Refusal::Invalid("too many names".into()));
                }
                let before = self.record.agreed.clone();
                self.record
                    .bounded(site, group.as_ref(), |record| {
                        record.mark_agreed(
                            site,
                            group.as_ref(),
                            group_name.as_deref(),
                            &names,
                            now,
                        );
                        Ok(())
                    })
                    .map_err(over_budget)?;
                changes.record = self.record.agreed != before;
            }
        }
        Ok(ContentResponse::Ack)
    }

    fn page(
        &mut self,
        request: PageRequest,
        now: f64,
        changes: &mut Changes,
    ) -> Result<PageResponse, Refusal> {
        let done = |changed: bool| PageResponse::Done { changed };
        Ok(match request {
            PageRequest::TabStatus { tab_id, url } => PageResponse::TabStatus {
                status: self
                    .tabs
                    .get(&tab_id)
                    .filter(|status| {
                        url.as_deref()
                            .is_none_or(|url| Site::from_url(url) == Some(status.site))
                    })
                    .cloned(),
            },
            PageRequest::GetSettings => PageResponse::Settings {
                settings: self.settings.clone(),
                issues: Vec::new(),
            },
            PageRequest::SetSettings { settings, base } => {
                // Only what the page changed since it loaded `base`: a change another page made
                // meanwhile (a pause in the popup) is not undone by an older form.
                let settings = match base {
                    Some(base) => settings::rebase(
                        &serde_json::to_value(&self.settings).unwrap_or(Value::Null),
                        &base,
                        &settings,
                    ),
                    None => settings,
                };
                let (settings, issues) = Settings::from_value(&settings);
                changes.settings = settings != self.settings;
                self.settings = settings;
                PageResponse::Settings {
                    settings: self.settings.clone(),
                    issues,
                }
            }
            PageRequest::PauseSite { site, pause } => {
                let mut settings = self.settings.clone();
                match pause {
                    Some(pause) => {
                        settings.pauses.insert(site, pause);
                    }
                    None => {
                        settings.pauses.remove(&site);
                    }
                }
                let issues = settings.validate();
                changes.settings = settings != self.settings;
                self.settings = settings;
                PageResponse::Settings {
                    settings: self.settings.clone(),
                    issues,
                }
            }
            PageRequest::GetRecord => PageResponse::Record {
                record: self.record.clone(),
                unseen_readditions: self.unseen_readditions(),
            },
            PageRequest::Export => PageResponse::Export {
                file_name: format!("ask-first-export-{}.json", now.trunc() as u64),
                data: transfer::export_with_packs(&self.settings, &self.record, &self.packs, now),
            },
            PageRequest::Import { data, mode } => {
                match transfer::import(data.as_bytes(), mode, &self.settings, &self.record) {
                    Ok(imported) => {
                        changes.settings = imported.settings != self.settings;
                        changes.record = imported.record != self.record;
                        self.settings = imported.settings;
                        self.record = imported.record;
                        let packs = transfer::packs::apply(&self.packs, imported.packs, mode);
                        changes.packs = packs != self.packs;
                        self.packs = packs;
                        PageResponse::Imported {
                            report: imported.report,
                        }
                    }
                    Err(error) => PageResponse::ImportFailed {
                        message: error.to_string(),
                        error,
                    },
                }
            }
            PageRequest::ForgetGroup { group } => {
                let group = normal_group(&group)?;
                changes.record = self.record.forget_group(&group);
                changes.dismissed = self.dismissed.forget_group(&group);
                if changes.record {
                    // A tombstone, so the forget wins over the synced copy.
                    self.sync.forget(&group, now);
                    changes.sync = true;
                }
                done(changes.record)
            }
            PageRequest::RejoinedOnPurpose { group } => {
                let group = normal_group(&group)?;
                changes.record = self.record.rejoined_on_purpose(&group);
                // The user's word on this entry: a page's reported leave never evicts it.
                self.record.confirm_left(&group);
                done(changes.record)
            }
            PageRequest::RenameGroup { group, name } => {
                let group = normal_group(&group)?;
                let name = clean_text(&name, MAX_NAME_CHARS);
                changes.record = self.record.rename_group(&group, &name);
                if changes.record {
                    self.record.confirm_left(&group);
                }
                done(changes.record)
            }
            PageRequest::RecordLeave { group, name, url } => {
                let group = normal_group(&group)?;
                self.record.left_group(&group, &name, url.as_deref(), now);
                self.record.confirm_left(&group);
                changes.record = true;
                done(true)
            }
            PageRequest::DeleteEverything => {
                self.record.clear_all();
                self.settings = Settings::default();
                changes.packs = !self.packs.is_empty();
                self.packs.clear();
                changes.record = true;
                changes.settings = true;
                changes.removals = std::mem::take(&mut self.backups);
                self.problems.clear();
                self.guard.clear();
                changes.guard = true;
                changes.dismissed = self.dismissed.clear();
                self.sync.wipe(now);
                changes.sync = true;
                done(true)
            }
            PageRequest::GetBursts => PageResponse::Bursts {
                bursts: self.guard.bursts().to_vec(),
            },
            PageRequest::ClearBursts => {
                changes.guard = self.guard.clear_bursts();
                done(changes.guard)
            }
            PageRequest::RemoveAgreed { site, name, group } => {
                let group = match group {
                    Some(group) => Some(normal_group(&group)?),
                    None => None,
                };
                changes.record = self.record.remove_agreed(site, &name, group.as_ref());
                done(changes.record)
            }
            request @ (PageRequest::SyncPass { .. }
            | PageRequest::GetSyncStatus
            | PageRequest::RemoveSyncedCopy { .. }) => self.sync_request(request, now, changes)?,
            PageRequest::MarkReadditionsSeen => {
                changes.record = self.record.mark_seen() > 0;
                done(changes.record)
            }
            PageRequest::GetStorageStatus => PageResponse::StorageStatus {
                found_version: self.found_version,
                migrations: self.migrations.clone(),
                problems: self.problems.clone(),
                backups: self.backups.clone(),
                bytes_by_key: self
                    .stored_bytes
                    .iter()
                    .map(|(key, bytes)| (key.clone(), *bytes as u64))
                    .collect(),
                bytes_in_use: self.stored_bytes.values().map(|b| *b as u64).sum(),
                quota_bytes: storage::QUOTA_BYTES as u64,
                unsaved: self.unsaved.clone(),
            },
            PageRequest::DeleteBackup { key } => {
                let known = self.backups.iter().position(|backup| *backup == key);
                if let Some(index) = known {
                    self.backups.remove(index);
                    changes.removals.push(key);
                }
                done(known.is_some())
            }
            PageRequest::GetPacks => PageResponse::Packs {
                packs: self.pack_statuses(),
            },
            PageRequest::ImportPack { data } => match pack::check_import(&data) {
                Ok(imported) => {
                    let (site, version) = (imported.site, imported.version);
                    let previous = self.packs.insert(site, imported);
                    changes.packs = previous.as_ref() != self.packs.get(&site);
                    PageResponse::PackImported {
                        site,
                        version,
                        replaced: previous.map(|previous| previous.version),
                    }
                }
                Err(error) => PageResponse::PackImportFailed {
                    message: error.to_string(),
                    error,
                },
            },
            PageRequest::ResetPack { site } => {
                changes.packs = self.packs.remove(&site).is_some();
                done(changes.packs)
            }
        })
    }
}

/// A ledger reducer for a reported re-addition or re-invitation.
type Reducer =
    fn(&mut Record, &GroupRef, &str, Option<&str>, bool, f64) -> Result<ReAddResult, Full>;

/// The budget a content request counts against, if any: the reports that change the record.
fn budget_class(request: &ContentRequest) -> Option<Class> {
    match request {
        ContentRequest::LeftGroup { .. } => Some(Class::Leave),
        ContentRequest::SeenReadded { .. } | ContentRequest::Reinvited { .. } => {
            Some(Class::Received)
        }
        ContentRequest::AddOutcome { .. }
        | ContentRequest::AddConfirmed { .. }
        | ContentRequest::MarkAgreed { .. } => Some(Class::Own),
        // Reads, the tab's own status, and "I rejoined on purpose" (bound to the group the tab
        // shows, and it only ever stops flags) change nothing a flood could grow.
        ContentRequest::Hello { .. }
        | ContentRequest::EngineFailed { .. }
        | ContentRequest::Health { .. }
        | ContentRequest::PageContext { .. }
        | ContentRequest::Evaluate { .. }
        | ContentRequest::RejoinedOnPurpose { .. } => None,
        // Bound to the group the tab shows and a re-addition the record holds; it only hides
        // a flag, and what it stores is capped.
        ContentRequest::DismissedFlag { .. } => None,
    }
}

/// The site a budgeted report speaks about (`origin`, the sender's, when it names none).
fn claimed_site(request: &ContentRequest, origin: Site) -> Site {
    match request {
        ContentRequest::LeftGroup { group, .. }
        | ContentRequest::SeenReadded { group, .. }
        | ContentRequest::Reinvited { group, .. }
        | ContentRequest::RejoinedOnPurpose { group }
        | ContentRequest::DismissedFlag { group, .. } => group.site,
        ContentRequest::AddOutcome { site, .. }
        | ContentRequest::AddConfirmed { site, .. }
        | ContentRequest::MarkAgreed { site, .. }
        | ContentRequest::Hello { site, .. }
        | ContentRequest::Health { site, .. }
        | ContentRequest::PageContext { site, .. } => *site,
        ContentRequest::EngineFailed { site, .. } => site.unwrap_or(origin),
        ContentRequest::Evaluate { observation, .. } => observation.site,
    }
}

fn over_budget(full: Full) -> Refusal {
    Refusal::OverBudget(full.to_string())
}

impl Background {
    /// A sighting's answer with the flag off when the user dismissed this re-addition.
    fn unless_dismissed(&self, mut response: ContentResponse, invitation: bool) -> ContentResponse {
        if let ContentResponse::Readd {
            result: ReAddResult::AlreadyCounted { notice } | ReAddResult::Counted { notice },
        } = &mut response
        {
            if Dismissed::key_of(notice, invitation)
                .is_some_and(|key| self.dismissed.contains(&key))
            {
                notice.flag = false;
            }
        }
        response
    }
}

/// What a page saw of a re-addition or re-invitation.
struct Sighting<'a> {
    group: &'a GroupRef,
    event_id: &'a str,
    actor: Option<&'a str>,
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

fn refused(error: Refusal) -> Outcome {
    Outcome::reply(Reply::Refused { error })
}

/// Cuts a page-supplied string to at most `max` characters, on a character boundary.
fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

mod sync;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Engine;
    use serde_json::json;

    const OWN_ID: &str = "abcdef";
    const OWN_ORIGIN: &str = "chrome-extension://abcdef/";

    fn reply_of(
        background: &mut Background,
        sender: &Sender,
        message: serde_json::Value,
        now: f64,
    ) -> Reply {
        background.dispatch_value(sender, message, now).reply
    }

    fn json_reply_of(
        background: &mut Background,
        sender: &Sender,
        message: &str,
        now: f64,
    ) -> Reply {
        background.dispatch_json(sender, message, now).reply
    }

    fn hello(site: &str, engine: &str) -> serde_json::Value {
        json!({"v": 1, "channel": "content", "body": {"type": "hello", "site": site, "engine": engine}})
    }

    fn status_request(tab_id: i32) -> serde_json::Value {
        json!({"v": 1, "channel": "page", "body": {"type": "tab_status", "tab_id": tab_id}})
    }

    #[test]
    fn senders_are_classified_from_browser_facts() {
        let page = Sender::classify(
            Some(OWN_ID),
            Some("chrome-extension://abcdef/popup.html"),
            None,
            OWN_ID,
            OWN_ORIGIN,
        );
        assert_eq!(page, Sender::ExtensionPage);
        let content = Sender::classify(
            Some(OWN_ID),
            Some("https://web.whatsapp.com/"),
            Some(4),
            OWN_ID,
            OWN_ORIGIN,
        );
        assert_eq!(
            content,
            Sender::ContentScript {
                tab_id: Some(4),
                site: Site::Whatsapp
            }
        );
        // A content script on an https page that is not a supported site is not ours.
        let elsewhere = Sender::classify(
            Some(OWN_ID),
            Some("https://evil.example/"),
            Some(4),
            OWN_ID,
            OWN_ORIGIN,
        );
        assert_eq!(elsewhere, Sender::Unknown);
        let other_extension = Sender::classify(
            Some("zzz"),
            Some("chrome-extension://zzz/popup.html"),
            None,
            OWN_ID,
            OWN_ORIGIN,
        );
        assert_eq!(other_extension, Sender::Unknown);
        let lookalike = Sender::classify(
            Some(OWN_ID),
            Some("chrome-extension://abcdefg/popup.html"),
            None,
            OWN_ID,
            "chrome-extension://abcdef/",
        );
        assert_eq!(lookalike, Sender::Unknown);
        let no_url = Sender::classify(Some(OWN_ID), None, Some(1), OWN_ID, OWN_ORIGIN);
        assert_eq!(no_url, Sender::Unknown);
    }

    #[test]
    fn admission_needs_no_state_and_agrees_with_dispatch() {
        let content = Sender::ContentScript {
            tab_id: Some(1),
            site: Site::Slack,
        };
        let cases = [
            (&content, status_request(1), Err(Refusal::NotAllowed)),
            (
                &Sender::ExtensionPage,
                hello("slack", "wasm"),
                Err(Refusal::NotAllowed),
            ),
            (
                &Sender::Unknown,
                status_request(1),
                Err(Refusal::NotAllowed),
            ),
            (&content, hello("slack", "wasm"), Ok(())),
            (&Sender::ExtensionPage, status_request(1), Ok(())),
        ];
        for (sender, message, expected) in cases {
            assert_eq!(admit(sender, &message), expected, "{message}");
            let mut background = Background::new();
            let outcome = background.dispatch_value(sender, message.clone(), 0.0);
            if let Err(error) = expected {
                assert_eq!(outcome.reply, Reply::Refused { error }, "{message}");
            }
        }
        assert!(matches!(
            admit(&content, &json!({"channel": "content"})),
            Err(Refusal::Malformed(_))
        ));
    }

    #[test]
    fn hello_is_recorded_and_readable_by_pages() {
        let mut background = Background::new();
        let content = Sender::ContentScript {
            tab_id: Some(7),
            site: Site::Slack,
        };
        let reply = reply_of(
            &mut background,
            &content,
            hello("slack", "fallback"),
            1000.0,
        );
        assert_eq!(
            reply,
            Reply::Content {
                body: ContentResponse::Started { pack: None }
            }
        );

        let reply = reply_of(
            &mut background,
            &Sender::ExtensionPage,
            status_request(7),
            2000.0,
        );
        let Reply::Page {
            body: PageResponse::TabStatus {
                status: Some(status),
            },
        } = reply
        else {
            panic!("unexpected {reply:?}");
        };
        assert_eq!(status.site, Site::Slack);
        assert_eq!(status.engine, Some(Engine::Fallback));
        assert_eq!(status.reported_at, 1000.0);
    }

    #[test]
    fn content_scripts_are_refused_privileged_requests() {
        let mut background = Background::new();
        let content = Sender::ContentScript {
            tab_id: Some(1),
            site: Site::Facebook,
        };
        let reply = reply_of(&mut background, &content, status_request(1), 0.0);
        assert_eq!(
            reply,
            Reply::Refused {
                error: Refusal::NotAllowed
            }
        );
    }

    #[test]
    fn pages_and_unknown_senders_cannot_speak_for_a_tab() {
        let mut background = Background::new();
        for sender in [Sender::ExtensionPage, Sender::Unknown] {
            let reply = reply_of(&mut background, &sender, hello("discord", "wasm"), 0.0);
            assert_eq!(
                reply,
                Reply::Refused {
                    error: Refusal::NotAllowed
                }
            );
        }
        let reply = reply_of(&mut background, &Sender::Unknown, status_request(1), 0.0);
        assert_eq!(
            reply,
            Reply::Refused {
                error: Refusal::NotAllowed
            }
        );
    }

    #[test]
    fn content_without_a_tab_is_refused() {
        let mut background = Background::new();
        let reply = reply_of(
            &mut background,
            &Sender::ContentScript {
                tab_id: None,
                site: Site::Facebook,
            },
            hello("slack", "wasm"),
            0.0,
        );
        assert_eq!(
            reply,
            Reply::Refused {
                error: Refusal::NoTab
            }
        );
    }

    #[test]
    fn versions_and_shapes_are_checked() {
        let mut background = Background::new();
        let page = Sender::ExtensionPage;
        let mut old = status_request(1);
        old["v"] = json!(0);
        assert_eq!(
            reply_of(&mut background, &page, old, 0.0),
            Reply::Refused {
                error: Refusal::VersionMismatch {
                    expected: 1,
                    got: 0
                }
            }
        );
        for bad in [
            "",
            "null",
            "[]",
            "{\"v\":1}",
            "{\"v\":1,\"channel\":\"page\",\"body\":{\"type\":\"drop_tables\"}}",
            "{\"v\":\"1\"}",
        ] {
            assert!(
                matches!(
                    json_reply_of(&mut background, &page, bad, 0.0),
                    Reply::Refused {
                        error: Refusal::Malformed(_)
                    }
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn failures_are_kept_short_and_shown() {
        let mut background = Background::new();
        let content = Sender::ContentScript {
            tab_id: Some(3),
            site: Site::Telegram,
        };
        let reason = "x".repeat(10_000);
        let message = json!({"v": 1, "channel": "content", "body": {"type": "engine_failed", "site": "telegram", "reason": reason}});
        reply_of(&mut background, &content, message, 5.0);
        let Reply::Page {
            body: PageResponse::TabStatus {
                status: Some(status),
            },
        } = reply_of(
            &mut background,
            &Sender::ExtensionPage,
            status_request(3),
            6.0,
        )
        else {
            panic!("no status");
        };
        assert_eq!(status.failure.as_deref().map(str::len), Some(500));
        assert_eq!(status.engine, None);
        background.forget_tab(3);
        assert_eq!(
            reply_of(
                &mut background,
                &Sender::ExtensionPage,
                status_request(3),
                7.0
            ),
            Reply::Page {
                body: PageResponse::TabStatus { status: None }
            }
        );
    }

    fn page(body: serde_json::Value) -> serde_json::Value {
        json!({"v": 1, "channel": "page", "body": body})
    }

    fn content(body: serde_json::Value) -> serde_json::Value {
        json!({"v": 1, "channel": "content", "body": body})
    }

    /// The bundled pack of `site` with its version raised by one: an acceptable import.
    fn newer_pack_json(site: Site) -> String {
        let mut pack = crate::pack::bundled_for(site).unwrap();
        pack.version += 1;
        serde_json::to_string(&pack).unwrap()
    }

    /// One of each page request. The match below fails to compile when a variant is added
    /// without a sample here.
    fn every_page_request() -> Vec<PageRequest> {
        let group = GroupRef::new(Site::Facebook, "1").unwrap();
        let all = vec![
            PageRequest::TabStatus {
                tab_id: 1,
                url: None,
            },
            PageRequest::GetSettings,
            PageRequest::SetSettings {
                settings: json!({}),
                base: None,
            },
            PageRequest::PauseSite {
                site: Site::Slack,
                pause: None,
            },
            PageRequest::GetRecord,
            PageRequest::Export,
            PageRequest::Import {
                data: "{}".into(),
                mode: crate::transfer::ImportMode::Replace,
            },
            PageRequest::ForgetGroup {
                group: group.clone(),
            },
            PageRequest::RejoinedOnPurpose {
                group: group.clone(),
            },
            PageRequest::RenameGroup {
                group,
                name: "x".into(),
            },
            PageRequest::RecordLeave {
                group: GroupRef::new(Site::Slack, "T1/C1").unwrap(),
                name: "x".into(),
                url: None,
            },
            PageRequest::DeleteEverything,
            PageRequest::MarkReadditionsSeen,
            PageRequest::GetStorageStatus,
            PageRequest::DeleteBackup {
                key: "backup.record.1".into(),
            },
            PageRequest::GetPacks,
            PageRequest::ImportPack {
                data: newer_pack_json(Site::Facebook),
            },
            PageRequest::ResetPack {
                site: Site::Facebook,
            },
            PageRequest::GetBursts,
            PageRequest::ClearBursts,
            PageRequest::RemoveAgreed {
                site: Site::Slack,
                name: "Ann".into(),
                group: None,
            },
            PageRequest::SyncPass { synced: json!({}) },
            PageRequest::GetSyncStatus,
            PageRequest::RemoveSyncedCopy { synced: json!({}) },
        ];
        let mut covered = std::collections::BTreeSet::new();
        for request in &all {
            covered.insert(match request {
                PageRequest::TabStatus { .. } => 0,
                PageRequest::GetSettings => 1,
                PageRequest::SetSettings { .. } => 2,
                PageRequest::PauseSite { .. } => 3,
                PageRequest::GetRecord => 4,
                PageRequest::Export => 5,
                PageRequest::Import { .. } => 6,
                PageRequest::ForgetGroup { .. } => 7,
                PageRequest::RejoinedOnPurpose { .. } => 8,
                PageRequest::RenameGroup { .. } => 9,
                PageRequest::DeleteEverything => 10,
                PageRequest::MarkReadditionsSeen => 11,
                PageRequest::GetStorageStatus => 12,
                PageRequest::RecordLeave { .. } => 13,
                PageRequest::GetPacks => 14,
                PageRequest::ImportPack { .. } => 15,
                PageRequest::ResetPack { .. } => 16,
                PageRequest::DeleteBackup { .. } => 17,
                PageRequest::GetBursts => 18,
                PageRequest::ClearBursts => 19,
                PageRequest::RemoveAgreed { .. } => 20,
                PageRequest::SyncPass { .. } => 21,
                PageRequest::GetSyncStatus => 22,
                PageRequest::RemoveSyncedCopy { .. } => 23,
            });
        }
        assert_eq!(covered.len(), 24);
        all
    }

    #[test]
    fn every_page_request_is_refused_to_content_scripts_and_strangers() {
        for request in every_page_request() {
            let wire = serde_json::to_value(Envelope::new(Request::Page(request.clone()))).unwrap();
            for sender in [
                Sender::ContentScript {
                    tab_id: Some(1),
                    site: Site::Facebook,
                },
                Sender::ContentScript {
                    tab_id: None,
                    site: Site::Facebook,
                },
                Sender::Unknown,
            ] {
                let mut background = Background::new();
                background.record.left_group(
                    &GroupRef::new(Site::Facebook, "1").unwrap(),
                    "G",
                    None,
                    0.0,
                );
                background.packs.insert(
                    Site::Facebook,
                    crate::pack::bundled_for(Site::Facebook).unwrap(),
                );
                let before = background.record.clone();
                let packs_before = background.packs.clone();
                let outcome = background.dispatch_value(&sender, wire.clone(), 1.0);
                assert_eq!(
                    outcome.reply,
                    Reply::Refused {
                        error: Refusal::NotAllowed
                    },
                    "{request:?} from {sender:?}"
                );
                assert!(outcome.writes.is_empty() && outcome.removals.is_empty());
                assert!(outcome.pushes.is_empty());
                assert_eq!(background.record, before);
                assert_eq!(background.packs, packs_before);
            }
            // The same request from an extension page is carried out (not refused for
            // permission).
            let mut background = Background::new();
            let outcome = background.dispatch_value(&Sender::ExtensionPage, wire, 1.0);
            assert!(
                !matches!(
                    outcome.reply,
                    Reply::Refused {
                        error: Refusal::NotAllowed
                    }
                ),
                "{request:?}"
            );
        }
    }

    #[test]
    fn readdition_flow_writes_pushes_and_badges() {
        let mut background = Background::new();
        let tab = Sender::ContentScript {
            tab_id: Some(2),
            site: Site::Facebook,
        };
        reply_of(&mut background, &tab, hello("facebook", "wasm"), 0.0);
        let group = json!({"site": "facebook", "key": "Netzwerk.Gruppe"});
        let left = background.dispatch_value(
            &tab,
            content(
                json!({"type": "left_group", "group": group, "name": "Netzwerk",
                           "url": "https://www.facebook.com/groups/netzwerk.gruppe/"}),
            ),
            100.0,
        );
        assert_eq!(
            left.reply,
            Reply::Content {
                body: ContentResponse::Ack
            }
        );
        // The record, and the site's report budget it counted against.
        let keys: Vec<&str> = left.writes.iter().map(|w| w.key.as_str()).collect();
        assert_eq!(keys, ["record", "guard"]);

        let seen = content(
            json!({"type": "seen_readded", "group": group, "event_id": "m1", "actor": "Max"}),
        );
        let outcome = background.dispatch_value(&tab, seen.clone(), 200.0);
        let Reply::Content {
            body:
                ContentResponse::Readd {
                    result: crate::ledger::ReAddResult::Counted { notice },
                },
        } = &outcome.reply
        else {
            panic!("{:?}", outcome.reply);
        };
        assert_eq!(notice.number, 1);
        assert_eq!(notice.group, "netzwerk.gruppe");
        assert_eq!(
            outcome.pushes,
            vec![Push::StateChanged {
                settings: false,
                record: true,
                unseen_readditions: 1
            }]
        );
        // The same message seen again: nothing to write.
        let again = background.dispatch_value(&tab, seen, 300.0);
        assert!(again.writes.is_empty());
        assert!(again.pushes.is_empty());

        let context = background.dispatch_value(
            &tab,
            content(json!({"type": "page_context", "site": "facebook", "group": group, "ui_language": "de-DE"})),
            400.0,
        );
        let Reply::Content {
            body: ContentResponse::Context { context },
        } = context.reply
        else {
            panic!();
        };
        assert_eq!(context.lang, Lang::De);
        assert_eq!(context.left.unwrap().readditions, 1);

        let seen = background.dispatch_value(
            &Sender::ExtensionPage,
            page(json!({"type": "mark_readditions_seen"})),
            500.0,
        );
        assert_eq!(
            seen.reply,
            Reply::Page {
                body: PageResponse::Done { changed: true }
            }
        );
        assert_eq!(background.unseen_readditions(), 0);
    }

    #[test]
    fn content_rejoins_only_the_group_its_tab_shows() {
        let mut background = Background::new();
        let tab = Sender::ContentScript {
            tab_id: Some(4),
            site: Site::Facebook,
        };
        let group = json!({"site": "facebook", "key": "4711"});
        let other = json!({"site": "facebook", "key": "4712"});
        for key in [&group, &other] {
            background.dispatch_value(
                &tab,
                content(json!({"type": "left_group", "group": key, "name": "G"})),
                1.0,
            );
        }
        background.dispatch_value(
            &tab,
            content(json!({"type": "hello", "site": "facebook", "engine": "wasm"})),
            2.0,
        );
        background.dispatch_value(
            &tab,
            content(json!({"type": "page_context", "site": "facebook", "group": group})),
            3.0,
        );
        // Another group of the same site, or another site: refused, nothing written.
        for body in [
            json!({"type": "rejoined_on_purpose", "group": other}),
            json!({"type": "rejoined_on_purpose", "group": {"site": "slack", "key": "T1/C1"}}),
        ] {
            let outcome = background.dispatch_value(&tab, content(body.clone()), 4.0);
            assert!(
                matches!(
                    outcome.reply,
                    Reply::Refused {
                        error: Refusal::Invalid(_)
                    }
                ),
                "{body}"
            );
            assert!(outcome.writes.is_empty());
        }
        // A tab that never asked for a context cannot either.
        let stranger = Sender::ContentScript {
            tab_id: Some(5),
            site: Site::Facebook,
        };
        let outcome = background.dispatch_value(
            &stranger,
            content(json!({"type": "rejoined_on_purpose", "group": group})),
            4.0,
        );
        assert!(matches!(outcome.reply, Reply::Refused { .. }));
        // Its own group: flagging stops, the record is written.
        let outcome = background.dispatch_value(
            &tab,
            content(json!({"type": "rejoined_on_purpose", "group": group})),
            5.0,
        );
        assert!(matches!(outcome.reply, Reply::Content { .. }));
        assert_eq!(outcome.writes.len(), 1);
        let key = GroupRef::new(Site::Facebook, "4711").unwrap();
        let entry = background.record().find_left(&key).unwrap();
        assert!(!entry.flagging);
        assert!(!entry.is_out);
        let untouched = GroupRef::new(Site::Facebook, "4712").unwrap();
        assert!(background.record().find_left(&untouched).unwrap().flagging);
    }

    /// A status as the popup asks for it, with the tab's address when the browser shows it.
    fn status_at(background: &mut Background, tab_id: i32, url: Option<&str>) -> Option<TabStatus> {
        let request = page(json!({"type": "tab_status", "tab_id": tab_id, "url": url}));
        match background
            .dispatch_value(&Sender::ExtensionPage, request, 10.0)
            .reply
        {
            Reply::Page {
                body: PageResponse::TabStatus { status },
            } => status,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn tab_reports_survive_a_stopped_background() {
        let tab = Sender::ContentScript {
            tab_id: Some(4),
            site: Site::Facebook,
        };
        let group = json!({"site": "facebook", "key": "4711"});
        let mut before_stop = Background::new();
        let left = before_stop.dispatch_value(
            &tab,
            content(json!({"type": "left_group", "group": group, "name": "G"})),
            1.0,
        );
        assert_eq!(left.tabs, None, "a leave changes no tab report");
        let hello = before_stop.dispatch_value(
            &tab,
            content(json!({"type": "hello", "site": "facebook", "engine": "fallback"})),
            2.0,
        );
        assert!(hello.tabs.is_some(), "hello is kept for the next start");
        let context = before_stop.dispatch_value(
            &tab,
            content(json!({"type": "page_context", "site": "facebook", "group": group})),
            3.0,
        );
        let kept = context.tabs.expect("the group the tab shows is kept");
        let again = before_stop.dispatch_value(
            &tab,
            content(json!({"type": "page_context", "site": "facebook", "group": group})),
            3.5,
        );
        assert_eq!(again.tabs, None, "nothing new, nothing to keep");

        // The browser stopped the background; it starts again from storage and the session.
        let mut stored = Map::new();
        stored.insert(
            storage::KEY_SCHEMA_VERSION.into(),
            json!(storage::SCHEMA_VERSION),
        );
        for write in left.writes {
            stored.insert(write.key, write.value);
        }
        let (mut after_stop, _) = Background::load(&stored, 4.0);
        assert_eq!(
            status_at(&mut after_stop, 4, None),
            None,
            "nothing restored yet"
        );
        assert_eq!(after_stop.restore_tabs(&kept), 0);
        let status = status_at(
            &mut after_stop,
            4,
            Some("https://www.facebook.com/groups/4711/"),
        )
        .expect("the popup still knows the tab");
        assert_eq!(status.engine, Some(Engine::Fallback));
        assert_eq!(
            status.group,
            Some(GroupRef::new(Site::Facebook, "4711").unwrap())
        );
        // The banner's "I rejoined on purpose" is still taken.
        let outcome = after_stop.dispatch_value(
            &tab,
            content(json!({"type": "rejoined_on_purpose", "group": group})),
            5.0,
        );
        assert!(
            matches!(outcome.reply, Reply::Content { .. }),
            "{:?}",
            outcome.reply
        );
        let key = GroupRef::new(Site::Facebook, "4711").unwrap();
        assert!(!after_stop.record().find_left(&key).unwrap().flagging);

        // Nothing kept at all (no session storage): the tab's next context request is enough.
        let (mut bare, _) = Background::load(&stored, 6.0);
        bare.dispatch_value(
            &tab,
            content(json!({"type": "page_context", "site": "facebook", "group": group})),
            6.0,
        );
        let status = status_at(&mut bare, 4, None).expect("a context request makes the tab known");
        assert_eq!(
            status.engine, None,
            "its engine is unknown until it says hello again"
        );
        let outcome = bare.dispatch_value(
            &tab,
            content(json!({"type": "rejoined_on_purpose", "group": group})),
            7.0,
        );
        assert!(
            matches!(outcome.reply, Reply::Content { .. }),
            "{:?}",
            outcome.reply
        );

        // A closed tab is forgotten in the session too.
        let forgotten = after_stop.forget_tab(4).expect("the session changes");
        assert_eq!(forgotten, json!({}));
        assert_eq!(after_stop.forget_tab(4), None);
    }

    #[test]
    fn kept_tab_reports_are_checked_like_fresh_ones() {
        let mut background = Background::new();
        let kept = json!({
            "1": {"site": "facebook", "engine": "wasm", "failure": null, "health": {"state": "ok"},
                  "group": {"site": "facebook", "key": "4711"}, "reported_at": 1.0},
            // A group of another site than the tab's.
            "2": {"site": "facebook", "engine": "wasm", "failure": null,
                  "group": {"site": "slack", "key": "T1/C1"}, "reported_at": 1.0},
            // A key that is not one of the site's keys.
            "3": {"site": "facebook", "engine": "wasm", "failure": null,
                  "group": {"site": "facebook", "key": "<img src=x>"}, "reported_at": 1.0},
            "not a tab": {"site": "facebook", "engine": "wasm", "failure": null, "reported_at": 1.0},
            "5": "garbage",
            "6": {"site": "facebook", "engine": null, "failure": "x".repeat(5000),
                  "health": {"state": "degraded", "detail": "y".repeat(5000)}, "reported_at": -1.0},
        });
        assert_eq!(background.restore_tabs(&kept), 4);
        assert!(status_at(&mut background, 1, None).is_some());
        for tab_id in [2, 3, 5] {
            assert_eq!(
                status_at(&mut background, tab_id, None),
                None,
                "tab {tab_id}"
            );
        }
        let long = status_at(&mut background, 6, None).unwrap();
        assert_eq!(long.failure.unwrap().chars().count(), 500);
        assert_eq!(long.health, Health::Degraded("y".repeat(300)));
        assert_eq!(long.reported_at, 0.0);
        // Not an object at all: nothing restored, nothing breaks.
        let mut other = Background::new();
        assert_eq!(other.restore_tabs(&json!([1, 2])), 1);
        assert_eq!(other.restore_tabs(&Value::Null), 0);
        // Bounded.
        let many: Map<String, Value> = (0..(MAX_TABS as i32 + 20))
            .map(|id| {
                (
                    id.to_string(),
                    json!({"site": "slack", "engine": "wasm", "failure": null, "reported_at": 1.0}),
                )
            })
            .collect();
        assert_eq!(other.restore_tabs(&Value::Object(many)), 20);
    }

    #[test]
    fn the_loader_reports_a_core_that_could_not_start_without_a_site() {
        let mut background = Background::new();
        let tab = Sender::ContentScript {
            tab_id: Some(3),
            site: Site::Telegram,
        };
        let outcome = background.dispatch_value(
            &tab,
            content(json!({"type": "engine_failed", "reason": "WebAssembly is disabled"})),
            1.0,
        );
        assert!(
            matches!(outcome.reply, Reply::Content { .. }),
            "{:?}",
            outcome.reply
        );
        let status = status_at(&mut background, 3, None).unwrap();
        assert_eq!(status.site, Site::Telegram, "the sender's site");
        assert_eq!(status.engine, None);
        assert_eq!(status.failure.as_deref(), Some("WebAssembly is disabled"));
        // Naming another site than the sender's is still refused.
        let outcome = background.dispatch_value(
            &tab,
            content(json!({"type": "engine_failed", "site": "slack", "reason": "x"})),
            2.0,
        );
        assert!(matches!(outcome.reply, Reply::Refused { .. }));
    }

    #[test]
    fn a_tab_that_left_its_site_has_no_status() {
        let mut background = Background::new();
        let tab = Sender::ContentScript {
            tab_id: Some(9),
            site: Site::Slack,
        };
        background.dispatch_value(
            &tab,
            content(json!({"type": "hello", "site": "slack", "engine": "wasm"})),
            1.0,
        );
        assert!(status_at(
            &mut background,
            9,
            Some("https://app.slack.com/client/T1/C1")
        )
        .is_some());
        // The browser hides the address of a tab on a site the extension has no access to.
        assert_eq!(status_at(&mut background, 9, Some("")), None);
        assert_eq!(
            status_at(&mut background, 9, Some("https://discord.com/channels/1/2")),
            None
        );
        assert!(
            status_at(&mut background, 9, None).is_some(),
            "unknown address: as reported"
        );
    }

    #[test]
    fn pages_never_see_the_user_s_rename_of_a_group() {
        let mut background = Background::new();
        let tab = Sender::ContentScript {
            tab_id: Some(4),
            site: Site::Facebook,
        };
        let group = json!({"site": "facebook", "key": "4711"});
        background.dispatch_value(
            &tab,
            content(
                json!({"type": "left_group", "group": group, "name": "Berlin Networking Circle"}),
            ),
            1.0,
        );
        background.dispatch_value(
            &Sender::ExtensionPage,
            page(json!({"type": "rename_group", "group": group, "name": "Those pushy recruiters"})),
            2.0,
        );
        let key = GroupRef::new(Site::Facebook, "4711").unwrap();
        assert_eq!(
            background.record().find_left(&key).unwrap().name,
            "Those pushy recruiters"
        );
        let context = background.dispatch_value(
            &tab,
            content(json!({"type": "page_context", "site": "facebook", "group": group})),
            3.0,
        );
        let text = serde_json::to_string(&context.reply).unwrap();
        assert!(text.contains("Berlin Networking Circle"), "{text}");
        assert!(!text.contains("pushy"), "{text}");
        let seen = background.dispatch_value(
            &tab,
            content(json!({"type": "seen_readded", "group": group, "event_id": "m1", "actor": "Mallory"})),
            4.0,
        );
        let text = serde_json::to_string(&seen.reply).unwrap();
        assert!(
            text.contains("Berlin Networking Circle") && !text.contains("pushy"),
            "{text}"
        );
        // Leaving again under a new site name keeps the rename for the user.
        background.dispatch_value(
            &tab,
            content(json!({"type": "left_group", "group": group, "name": "Berlin Networking"})),
            5.0,
        );
        let entry = background.record().find_left(&key).unwrap();
        assert_eq!(entry.name, "Those pushy recruiters");
        assert_eq!(entry.shown_on_page(), "Berlin Networking");
    }

    #[test]
    fn content_scripts_speak_only_for_their_site_and_valid_keys() {
        let mut background = Background::new();
        // The browser says the tab is on Slack; the message cannot claim otherwise.
        let tab = Sender::ContentScript {
            tab_id: Some(2),
            site: Site::Slack,
        };
        for body in [
            json!({"type": "hello", "site": "facebook", "engine": "wasm"}),
            json!({"type": "left_group", "group": {"site": "facebook", "key": "1"}, "name": "x"}),
            json!({"type": "left_group", "group": {"site": "slack", "key": "no-slash"}, "name": "x"}),
            json!({"type": "add_confirmed", "site": "discord", "count": 3}),
        ] {
            let outcome = background.dispatch_value(&tab, content(body.clone()), 1.0);
            assert!(
                matches!(
                    outcome.reply,
                    Reply::Refused {
                        error: Refusal::Invalid(_)
                    }
                ),
                "{body}"
            );
            assert!(outcome.writes.is_empty());
        }
    }

    #[test]
    fn the_page_decides_like_the_background() {
        let mut background = Background::new();
        let tab = Sender::ContentScript {
            tab_id: Some(2),
            site: Site::Facebook,
        };
        for selected in [0, 1, 4, 5, 19, 20, 300] {
            for dialog in ["direct", "invite"] {
                let observation = json!({
                    "site": "facebook", "page": "group", "dialog": dialog,
                    "group": {"site": "facebook", "key": "4711"},
                    "selected": selected, "names": [], "now": 10.0
                });
                let Reply::Content {
                    body: ContentResponse::Verdict { verdict, .. },
                } = reply_of(
                    &mut background,
                    &tab,
                    content(json!({"type": "evaluate", "observation": observation.clone()})),
                    10.0,
                )
                else {
                    panic!("no verdict");
                };
                let Reply::Content {
                    body: ContentResponse::Context { context },
                } = reply_of(
                    &mut background,
                    &tab,
                    content(json!({"type": "page_context", "site": "facebook",
                                   "group": {"site": "facebook", "key": "4711"}})),
                    10.0,
                )
                else {
                    panic!("no context");
                };
                let observation: crate::rules::Observation =
                    serde_json::from_value(observation).unwrap();
                let local = crate::rules::evaluate_with(&observation, &context.rule_inputs(10.0));
                assert_eq!(local, verdict, "{selected} {dialog}");
            }
        }
    }

    #[test]
    fn evaluate_gates_bulk_adds_and_drafts_the_ask_message() {
        let mut background = Background::new();
        let tab = Sender::ContentScript {
            tab_id: Some(2),
            site: Site::Whatsapp,
        };
        let observation = json!({
            "site": "whatsapp", "page": "group", "dialog": "direct",
            "group": {"site": "whatsapp", "key": "  Lauftreff   SÜD "},
            "group_name": "Lauftreff Süd",
            "selected": 3, "names": ["Ann", "Bo", "Cy"], "now": 0.0
        });
        let outcome = background.dispatch_value(
            &tab,
            content(json!({"type": "evaluate", "observation": observation, "ui_language": "de"})),
            1.0,
        );
        let Reply::Content {
            body:
                ContentResponse::Verdict {
                    verdict,
                    ask_message,
                    lang,
                },
        } = outcome.reply
        else {
            panic!();
        };
        assert_eq!(verdict.level, crate::rules::Level::Note);
        assert_eq!(lang, Lang::De);
        assert!(
            ask_message.starts_with("Hallo Ann, Bo und Cy"),
            "{ask_message}"
        );
        assert!(ask_message.contains("„Lauftreff Süd“"));

        // Ten confirmed adds in the window make the next one-person dialog warn.
        for _ in 0..10 {
            background.dispatch_value(
                &tab,
                content(json!({"type": "add_confirmed", "site": "whatsapp", "count": 1})),
                2.0,
            );
        }
        let mut one = observation.clone();
        one["selected"] = json!(1);
        let outcome = background.dispatch_value(
            &tab,
            content(json!({"type": "evaluate", "observation": one})),
            3.0,
        );
        let Reply::Content {
            body: ContentResponse::Verdict { verdict, .. },
        } = outcome.reply
        else {
            panic!();
        };
        assert_eq!(verdict.level, crate::rules::Level::Warn);
        assert_eq!(verdict.reasons[0].id, "warnSequential");
    }

    #[test]
    fn settings_are_validated_on_save_and_written() {
        let mut background = Background::new();
        let outcome = background.dispatch_value(
            &Sender::ExtensionPage,
            page(json!({"type": "set_settings", "settings": {"direct_threshold": 3, "invite_threshold": 0}})),
            1.0,
        );
        let Reply::Page {
            body: PageResponse::Settings { settings, issues },
        } = &outcome.reply
        else {
            panic!();
        };
        assert_eq!(settings.direct_threshold, 3);
        assert_eq!(settings.invite_threshold, 20);
        assert_eq!(issues[0].field, "invite_threshold");
        assert_eq!(outcome.writes[0].key, "settings");
        assert_eq!(outcome.writes[0].value["direct_threshold"], 3);

        let outcome = background.dispatch_value(
            &Sender::ExtensionPage,
            page(json!({"type": "pause_site", "site": "telegram", "pause": "always"})),
            1.0,
        );
        assert_eq!(outcome.writes.len(), 1);
        assert!(background.settings().is_paused(Site::Telegram, 5.0));
    }

    #[test]
    fn a_save_from_an_older_options_page_keeps_the_popup_s_pause() {
        let mut background = Background::new();
        // The options page loads the settings…
        let loaded = serde_json::to_value(background.settings()).unwrap();
        // … the popup pauses Slack meanwhile …
        background.dispatch_value(
            &Sender::ExtensionPage,
            page(json!({"type": "pause_site", "site": "slack", "pause": "always"})),
            1.0,
        );
        // … and the options page saves a threshold from its form, which has no pause.
        let mut form = loaded.clone();
        form["direct_threshold"] = json!(9);
        let outcome = background.dispatch_value(
            &Sender::ExtensionPage,
            page(json!({"type": "set_settings", "settings": form, "base": loaded})),
            2.0,
        );
        assert!(
            matches!(outcome.reply, Reply::Page { .. }),
            "{:?}",
            outcome.reply
        );
        assert_eq!(background.settings().direct_threshold, 9);
        assert!(
            background.settings().is_paused(Site::Slack, 3.0),
            "the pause stays"
        );
        // Without a base the form replaces everything (what an old page did): the pause goes.
        let form = serde_json::to_value(Settings::default()).unwrap();
        background.dispatch_value(
            &Sender::ExtensionPage,
            page(json!({"type": "set_settings", "settings": form})),
            3.0,
        );
        assert!(!background.settings().is_paused(Site::Slack, 4.0));
    }

    fn storage_status(background: &mut Background) -> PageResponse {
        match background
            .dispatch_value(
                &Sender::ExtensionPage,
                page(json!({"type": "get_storage_status"})),
                1.0,
            )
            .reply
        {
            Reply::Page { body } => body,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn storage_use_and_backups_are_shown_and_backups_can_be_deleted() {
        let mut stored = Map::new();
        stored.insert(
            storage::KEY_SCHEMA_VERSION.into(),
            json!(storage::SCHEMA_VERSION),
        );
        stored.insert(storage::KEY_RECORD.into(), json!("{{{ not a record"));
        stored.insert("backup.record.7".into(), json!("x".repeat(9 * 1024 * 1024)));
        let (mut background, _) = Background::load(&stored, 1.0);
        let PageResponse::StorageStatus {
            backups,
            bytes_by_key,
            bytes_in_use,
            quota_bytes,
            unsaved,
            ..
        } = storage_status(&mut background)
        else {
            panic!()
        };
        assert_eq!(
            backups.len(),
            2,
            "the old backup and the unreadable record's: {backups:?}"
        );
        assert!(bytes_by_key["backup.record.7"] > 9 * 1024 * 1024);
        assert_eq!(bytes_in_use, bytes_by_key.values().sum::<u64>());
        assert!(storage::near_quota(bytes_in_use, quota_bytes));
        assert_eq!(unsaved, None);
        background.set_unsaved(Some("quota".into()));

        // Deleting the large backup frees its room.
        let outcome = background.dispatch_value(
            &Sender::ExtensionPage,
            page(json!({"type": "delete_backup", "key": "backup.record.7"})),
            2.0,
        );
        assert_eq!(outcome.removals, vec!["backup.record.7".to_string()]);
        let PageResponse::StorageStatus {
            backups,
            bytes_in_use,
            quota_bytes,
            unsaved,
            ..
        } = storage_status(&mut background)
        else {
            panic!()
        };
        assert_eq!(backups.len(), 1);
        assert!(!storage::near_quota(bytes_in_use, quota_bytes));
        assert_eq!(unsaved.as_deref(), Some("quota"));
        // Only backups: nothing else can be deleted this way.
        for key in ["record", "settings", "backup.record.7"] {
            let outcome = background.dispatch_value(
                &Sender::ExtensionPage,
                page(json!({"type": "delete_backup", "key": key})),
                3.0,
            );
            assert!(outcome.removals.is_empty(), "{key}");
        }
    }

    #[test]
    fn a_page_stops_counting_itself_paused_when_the_pause_ends() {
        let mut background = Background::new();
        let tab = Sender::ContentScript {
            tab_id: Some(4),
            site: Site::Slack,
        };
        let context_at = |background: &mut Background, now: f64| {
            let Reply::Content {
                body: ContentResponse::Context { context },
            } = reply_of(
                background,
                &tab,
                content(json!({"type": "page_context", "site": "slack", "group": null})),
                now,
            )
            else {
                panic!("no context");
            };
            context
        };
        background.dispatch_value(
            &Sender::ExtensionPage,
            page(json!({"type": "pause_site", "site": "slack", "pause": 100.0})),
            1.0,
        );
        let context = context_at(&mut background, 10.0);
        assert!(context.paused);
        assert_eq!(context.pause_ends, Some(100.0));
        assert!(context.rule_inputs(99.0).paused);
        assert!(
            !context.rule_inputs(100.0).paused,
            "over at its end, without asking again"
        );
        background.dispatch_value(
            &Sender::ExtensionPage,
            page(json!({"type": "pause_site", "site": "slack", "pause": "always"})),
            20.0,
        );
        let context = context_at(&mut background, 30.0);
        assert_eq!(context.pause_ends, None);
        assert!(context.rule_inputs(1e15).paused);
    }

    #[test]
    fn export_import_and_delete_through_the_router() {
        let stored = json!({
            "schema_version": 1,
            "record": "broken",
        });
        let (mut background, report) = Background::load(stored.as_object().unwrap(), 42.0);
        assert_eq!(report.problems.len(), 1);
        let tab = Sender::ContentScript {
            tab_id: Some(9),
            site: Site::Telegram,
        };
        let left = background.dispatch_value(
            &tab,
            content(json!({"type": "left_group", "group": {"site": "telegram", "key": "-1303328644"}, "name": "Chat"})),
            5.0,
        );
        assert_eq!(left.writes.len(), 2, "{:?}", left.reply);
        assert_eq!(left.writes[0].key, "record");
        let Reply::Page {
            body: PageResponse::Export { data, file_name },
        } = reply_of(
            &mut background,
            &Sender::ExtensionPage,
            page(json!({"type": "export"})),
            6.0,
        )
        else {
            panic!();
        };
        assert_eq!(file_name, "ask-first-export-6.json");
        let exported_record = background.record().clone();

        let outcome = background.dispatch_value(
            &Sender::ExtensionPage,
            page(json!({"type": "delete_everything"})),
            7.0,
        );
        assert_eq!(outcome.removals, vec!["backup.record.42".to_string()]);
        assert_eq!(background.record(), &Record::default());

        let outcome = background.dispatch_value(
            &Sender::ExtensionPage,
            page(json!({"type": "import", "data": data, "mode": "replace"})),
            8.0,
        );
        assert!(matches!(
            outcome.reply,
            Reply::Page {
                body: PageResponse::Imported { .. }
            }
        ));
        assert_eq!(background.record(), &exported_record);
        assert_eq!(outcome.writes.len(), 1);

        let failed = background.dispatch_value(
            &Sender::ExtensionPage,
            page(json!({"type": "import", "data": "nonsense", "mode": "merge"})),
            9.0,
        );
        assert!(matches!(
            failed.reply,
            Reply::Page {
                body: PageResponse::ImportFailed { .. }
            }
        ));
        assert!(failed.writes.is_empty());
        assert_eq!(background.record(), &exported_record);
    }

    #[test]
    fn packs_are_imported_listed_delivered_to_content_and_reset() {
        let mut background = Background::new();
        let page_sender = Sender::ExtensionPage;
        let tab = Sender::ContentScript {
            tab_id: Some(3),
            site: Site::Facebook,
        };
        let bundled = crate::pack::bundled_for(Site::Facebook).unwrap();
        let list = |background: &mut Background| {
            let Reply::Page {
                body: PageResponse::Packs { packs },
            } = reply_of(
                background,
                &page_sender,
                page(json!({"type": "get_packs"})),
                1.0,
            )
            else {
                panic!("no pack list");
            };
            packs
        };
        let packs = list(&mut background);
        assert_eq!(packs.len(), Site::ALL.len());
        assert_eq!(
            packs[0],
            PackStatus {
                site: Site::Facebook,
                bundled: bundled.version,
                imported: None,
                active: PackSource::Bundled
            }
        );

        // A refused import: a clear error, nothing written or changed.
        let mut older = bundled.clone();
        older.version = bundled.version;
        for data in [
            "{".to_string(),
            serde_json::to_string(&older).unwrap(),
            newer_pack_json(Site::Facebook).replace("\"hosts\"", "\"script\": 1, \"hosts\""),
        ] {
            let outcome = background.dispatch_value(
                &page_sender,
                page(json!({"type": "import_pack", "data": data})),
                2.0,
            );
            let Reply::Page {
                body: PageResponse::PackImportFailed { error, message },
            } = &outcome.reply
            else {
                panic!("{data} was not refused: {:?}", outcome.reply);
            };
            assert_eq!(message, &error.to_string());
            assert!(outcome.writes.is_empty(), "{data}");
        }
        assert!(background.packs.is_empty());

        // A newer pack: stored, listed as active and delivered to the site's content scripts.
        let data = newer_pack_json(Site::Facebook);
        let outcome = background.dispatch_value(
            &page_sender,
            page(json!({"type": "import_pack", "data": data})),
            3.0,
        );
        assert_eq!(
            outcome.reply,
            Reply::Page {
                body: PageResponse::PackImported {
                    site: Site::Facebook,
                    version: bundled.version + 1,
                    replaced: None
                }
            }
        );
        assert_eq!(outcome.writes.len(), 1);
        assert_eq!(outcome.writes[0].key, "packs");
        assert_eq!(
            outcome.writes[0].value["facebook"]["version"],
            json!(bundled.version + 1)
        );
        let packs = list(&mut background);
        assert_eq!(packs[0].imported, Some(bundled.version + 1));
        assert_eq!(packs[0].active, PackSource::Imported);
        assert_eq!(packs[1].active, PackSource::Bundled);
        let Reply::Content {
            body: ContentResponse::Started { pack: Some(text) },
        } = reply_of(&mut background, &tab, hello("facebook", "wasm"), 4.0)
        else {
            panic!("the imported pack was not delivered");
        };
        // The content script reads it as it reads a bundled pack.
        let pack = SitePack::parse(&text).unwrap();
        assert_eq!(pack.version, bundled.version + 1);
        // Another site's tab gets its bundled pack.
        let slack = Sender::ContentScript {
            tab_id: Some(4),
            site: Site::Slack,
        };
        assert_eq!(
            reply_of(&mut background, &slack, hello("slack", "wasm"), 4.0),
            Reply::Content {
                body: ContentResponse::Started { pack: None }
            }
        );
        // The same pack again changes nothing; the load of the written value gives it back.
        let again = background.dispatch_value(
            &page_sender,
            page(json!({"type": "import_pack", "data": data})),
            5.0,
        );
        assert!(again.writes.is_empty());
        let stored = json!({"schema_version": 1, "packs": outcome.writes[0].value.clone()});
        let (reloaded, report) = Background::load(stored.as_object().unwrap(), 6.0);
        assert!(report.problems.is_empty());
        assert_eq!(reloaded.active_import(Site::Facebook), Some(&pack));

        // Reset: the bundled pack again, written; a second reset changes nothing.
        let outcome = background.dispatch_value(
            &page_sender,
            page(json!({"type": "reset_pack", "site": "facebook"})),
            7.0,
        );
        assert_eq!(
            outcome.reply,
            Reply::Page {
                body: PageResponse::Done { changed: true }
            }
        );
        assert_eq!(outcome.writes[0].value, json!({}));
        assert_eq!(list(&mut background)[0].active, PackSource::Bundled);
        assert_eq!(
            reply_of(&mut background, &tab, hello("facebook", "wasm"), 8.0),
            Reply::Content {
                body: ContentResponse::Started { pack: None }
            }
        );
        let again = background.dispatch_value(
            &page_sender,
            page(json!({"type": "reset_pack", "site": "facebook"})),
            9.0,
        );
        assert!(again.writes.is_empty());
    }

    #[test]
    fn a_stored_import_the_bundled_pack_caught_up_with_is_listed_but_inactive() {
        let stale = crate::pack::bundled_for(Site::Telegram).unwrap();
        let stored = json!({"schema_version": 1, "packs": {"telegram": stale}});
        let (mut background, report) = Background::load(stored.as_object().unwrap(), 1.0);
        assert!(report.problems.is_empty());
        let telegram = background
            .pack_statuses()
            .into_iter()
            .find(|status| status.site == Site::Telegram)
            .unwrap();
        assert_eq!(telegram.imported, Some(telegram.bundled));
        assert_eq!(telegram.active, PackSource::Bundled);
        let tab = Sender::ContentScript {
            tab_id: Some(1),
            site: Site::Telegram,
        };
        assert_eq!(
            reply_of(&mut background, &tab, hello("telegram", "wasm"), 2.0),
            Reply::Content {
                body: ContentResponse::Started { pack: None }
            }
        );
        // "Delete everything" drops imported packs too.
        let outcome = background.dispatch_value(
            &Sender::ExtensionPage,
            page(json!({"type": "delete_everything"})),
            3.0,
        );
        assert!(outcome
            .writes
            .iter()
            .any(|w| w.key == "packs" && w.value == json!({})));
        assert!(background
            .pack_statuses()
            .iter()
            .all(|s| s.imported.is_none()));
    }
}
