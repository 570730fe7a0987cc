//! The record and the rules in the browser's own sync storage (`storage.sync`), opt-in.
//!
//! # The synced form
//!
//! Every synced item's key starts with [`PREFIX`]:
//!
//! | key | value |
//! |---|---|
//! | `af.h` | header: `{"v": FORMAT, "n": shards}` |
//! | `af.r` | the rules: `{"a": change time, "s": settings without pauses and the sync switch}` |
//! | `af.t` | tombstones: `{"w": "delete everything" time, "f": [[site, key, forget time], …]}` |
//! | `af.g.<i>` | shard `i` (0 ≤ i < n): an array of [`SyncGroup`]s |
//!
//! Groups go into shards newest and still-flagging first, each item within
//! [`QUOTA_BYTES_PER_ITEM`] (key included), all within [`BUDGET_BYTES`] and [`MAX_ITEMS`]; what
//! does not fit stays local, and [`Encoded::report`] says how much fitted.
//!
//! # Merging
//!
//! A group's synced state is a set of events with ids that do not depend on the device: a leave
//! is its time, a re-addition the time of the leave it followed (the `since` of the sighting's
//! event id, `page::messages::sighting_id`, which is the same on every browser once the leave
//! has synced), a re-invitation its sighting id. Merging two states is the union of the sets
//! (an element that carries a value joins it: the earliest known sighting of a re-addition, a
//! named adder over none, the larger count) and the maximum of the tombstones, so
//! it is idempotent, commutative and associative; counts are derived from the merged sets
//! ([`derive()`]), so the same re-addition seen in two browsers counts once.
//!
//! Two browsers that both recorded the same leave (one from the leave click, the other from a
//! later "you left" message) hold two leave times: a leave only starts a new period out of the
//! group when the user is known to have been back in between (a re-addition seen then, a rejoin,
//! or `b`: a browser that counted two leaves knows there was a return between them); otherwise
//! it is the same leave, and the period keeps the earlier time, so both browsers' later sighting
//! ids agree. A re-addition belongs to the period it was seen in.
//!
//! Counts a browser had before it kept event ids (or whose ids fell out of its bounded list)
//! travel as *hints*: `(count, time of the browser's latest event)`. The derived count is the
//! larger of the best hint and the count of merged events, so a hint never adds to events
//! (never counts twice); a set of hints merges as its Pareto frontier (a hint with a larger
//! count and a later time makes one with less of both redundant), which is again a lattice.
//!
//! A forget (per group) or "delete everything" at time T wins over every event and hint up to T;
//! what happened after T (the user left the group again) stays. The rules are last-writer-wins
//! by change time.
//!
//! Layer: format (imports the leaves, the domain and other formats; the map is in `lib.rs`).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::model::{
    brief_message, clean_name, clean_url, GroupRef, Incident, IncidentKind, LeftGroup, Record,
    MAX_EVENT_IDS, MAX_EVENT_ID_CHARS, MAX_LEFT_GROUPS, MAX_LEFT_PER_SITE, MAX_NAME_CHARS,
};
use crate::settings::Settings;
use crate::site::Site;

/// Every synced key starts with this.
pub const PREFIX: &str = "af.";
pub const KEY_HEADER: &str = "af.h";
pub const KEY_RULES: &str = "af.r";
pub const KEY_TOMBSTONES: &str = "af.t";
/// Shard keys: `af.g.0`, `af.g.1`, …
pub const SHARD_PREFIX: &str = "af.g.";
/// The synced form's version. A header with another version is not read (a newer build wrote
/// it); nothing is written over it until the user removes the synced copy.
pub const FORMAT: u32 = 1;

/// Chromium's `storage.sync` limits (Firefox's are the same or larger).
pub const QUOTA_BYTES: usize = 102_400;
pub const QUOTA_BYTES_PER_ITEM: usize = 8_192;
pub const MAX_ITEMS: usize = 512;
/// What this extension uses of [`QUOTA_BYTES`], leaving room for rounding in the browser's count.
pub const BUDGET_BYTES: usize = QUOTA_BYTES - 2_048;
/// Chromium limits sync writes (120 a minute, 1,800 an hour): the glue waits at least this long
/// between two passes that write (at most 1,200 an hour).
pub const MIN_WRITE_INTERVAL_MS: f64 = 3_000.0;

/// Bounds of what one synced group may hold (a longer one is hostile and dropped).
pub const MAX_SYNC_LEAVES: usize = 128;
pub const MAX_SYNC_READDS: usize = 128;
pub const MAX_SYNC_INVITES: usize = 128;
pub const MAX_SYNC_HINTS: usize = 24;
pub const MAX_SYNC_ADDERS: usize = 200;
/// Most forget tombstones kept (newest first); older ones have long been applied everywhere.
pub const MAX_TOMBSTONES: usize = 300;
/// Largest time accepted (2^53 ms: far beyond any real date, exact in a JavaScript number).
pub const MAX_TIME: u64 = (1 << 53) - 1;

/// Which count a hint is about.
pub const HINT_LEAVES: u8 = 0;
pub const HINT_READDS: u8 = 1;
pub const HINT_INVITES: u8 = 2;

/// A re-addition: when it was first seen (0: not known) and who did it, if known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Readd {
    #[serde(rename = "a")]
    pub at: u64,
    #[serde(rename = "w", default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
}

/// An adder's count in one group, with the time it was taken (for tombstones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AdderHint(pub u32, pub u64);

/// One group's synced state (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncGroup {
    #[serde(rename = "s")]
    pub site: Site,
    #[serde(rename = "k")]
    pub key: String,
    #[serde(rename = "n")]
    pub name: String,
    /// The name's stamp (last-writer-wins with the name as tie-break).
    #[serde(rename = "t")]
    pub name_at: u64,
    #[serde(rename = "u", default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Leave times.
    #[serde(rename = "l", default)]
    pub leaves: BTreeSet<u64>,
    /// Times the user is known to have been back in the group (besides re-additions): a browser
    /// that counted two leaves knows the user was back in between, even without the event.
    #[serde(rename = "b", default, skip_serializing_if = "BTreeSet::is_empty")]
    pub back: BTreeSet<u64>,
    /// The leave time a re-addition followed → the re-addition.
    #[serde(rename = "r", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub readds: BTreeMap<u64, Readd>,
    /// Re-invitation sighting id → the leave time it followed.
    #[serde(rename = "i", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub invites: BTreeMap<String, u64>,
    /// Latest "I rejoined on purpose".
    #[serde(rename = "j", default, skip_serializing_if = "Option::is_none")]
    pub rejoined: Option<u64>,
    /// `(kind, count, at)`: [`HINT_LEAVES`], [`HINT_READDS`], [`HINT_INVITES`].
    #[serde(rename = "h", default, skip_serializing_if = "BTreeSet::is_empty")]
    pub hints: BTreeSet<(u8, u32, u64)>,
    #[serde(rename = "a", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub adders: BTreeMap<String, AdderHint>,
    #[serde(rename = "c", default, skip_serializing_if = "std::ops::Not::not")]
    pub confirmed: bool,
}

/// The rules, last-writer-wins.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    pub at: u64,
    pub settings: Value,
}

/// Everything synced, decoded.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncState {
    pub groups: BTreeMap<(Site, String), SyncGroup>,
    /// Group → the time it was forgotten.
    pub forgotten: BTreeMap<(Site, String), u64>,
    /// "Delete everything": nothing up to this time counts.
    pub wiped: u64,
    pub rules: Option<Rules>,
}

/// A whole millisecond time from the record's float; 0 for anything that is not a time.
pub fn ms(time: f64) -> u64 {
    if time.is_finite() && time > 0.0 {
        (time as u64).min(MAX_TIME)
    } else {
        0
    }
}

// ---------------------------------------------------------------------------------------------
// Merge
// ---------------------------------------------------------------------------------------------

/// Keeps only hints no other hint of the same kind dominates.
fn frontier(hints: BTreeSet<(u8, u32, u64)>) -> BTreeSet<(u8, u32, u64)> {
    hints
        .iter()
        .filter(|&&(kind, count, at)| {
            !hints
                .iter()
                .any(|&(k, c, a)| k == kind && c >= count && a >= at && (c, a) != (count, at))
        })
        .copied()
        .collect()
}

impl SyncGroup {
    /// The join of two states of the same group.
    pub fn merge(&mut self, other: &SyncGroup) {
        if (other.name_at, &other.name) > (self.name_at, &self.name) {
            self.name_at = other.name_at;
            self.name = other.name.clone();
        }
        self.url = self.url.clone().max(other.url.clone());
        self.leaves.extend(other.leaves.iter().copied());
        self.back.extend(other.back.iter().copied());
        for (&epoch, readd) in &other.readds {
            match self.readds.get_mut(&epoch) {
                Some(mine) => {
                    // The earliest known sighting (0: not known).
                    mine.at = match (mine.at, readd.at) {
                        (0, theirs) => theirs,
                        (ours, 0) => ours,
                        (ours, theirs) => ours.min(theirs),
                    };
                    mine.actor = mine.actor.clone().max(readd.actor.clone());
                }
                None => {
                    self.readds.insert(epoch, readd.clone());
                }
            }
        }
        for (id, &epoch) in &other.invites {
            let entry = self.invites.entry(id.clone()).or_insert(epoch);
            *entry = (*entry).max(epoch);
        }
        self.rejoined = self.rejoined.max(other.rejoined);
        let hints: BTreeSet<_> = self.hints.union(&other.hints).copied().collect();
        self.hints = frontier(hints);
        for (name, &hint) in &other.adders {
            let entry = self.adders.entry(name.clone()).or_insert(hint);
            *entry = (*entry).max(hint);
        }
        self.confirmed |= other.confirmed;
    }

    /// The latest time anything in this state happened.
    pub fn latest(&self) -> u64 {
        let leaves = self.leaves.iter().next_back().copied().unwrap_or(0);
        let readds = self.readds.values().map(|r| r.at).max().unwrap_or(0);
        let hints = self.hints.iter().map(|h| h.2).max().unwrap_or(0);
        leaves
            .max(readds)
            .max(hints)
            .max(self.rejoined.unwrap_or(0))
    }
}

impl SyncState {
    /// The join of two states: idempotent, commutative, associative.
    pub fn merge(&mut self, other: &SyncState) {
        for (id, group) in &other.groups {
            match self.groups.get_mut(id) {
                Some(mine) => mine.merge(group),
                None => {
                    self.groups.insert(id.clone(), group.clone());
                }
            }
        }
        for (id, &at) in &other.forgotten {
            let entry = self.forgotten.entry(id.clone()).or_insert(at);
            *entry = (*entry).max(at);
        }
        self.wiped = self.wiped.max(other.wiped);
        self.rules = match (self.rules.take(), &other.rules) {
            (None, theirs) => theirs.clone(),
            (mine, None) => mine,
            (Some(mine), Some(theirs)) => {
                let key = |r: &Rules| (r.at, r.settings.to_string());
                Some(if key(theirs) > key(&mine) {
                    theirs.clone()
                } else {
                    mine
                })
            }
        };
    }

    /// `a ⊔ b` without changing either.
    pub fn merged(a: &SyncState, b: &SyncState) -> SyncState {
        let mut out = a.clone();
        out.merge(b);
        out
    }

    /// The time up to which `group` is forgotten.
    pub fn tombstone(&self, site: Site, key: &str) -> u64 {
        self.forgotten
            .get(&(site, key.to_string()))
            .copied()
            .unwrap_or(0)
            .max(self.wiped)
    }
}

// ---------------------------------------------------------------------------------------------
// Derive: the counts a merged state means
// ---------------------------------------------------------------------------------------------

/// One group as the merged state says it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    pub site: Site,
    pub key: String,
    pub name: String,
    pub name_at: u64,
    pub url: Option<String>,
    pub first_left: u64,
    pub last_left: u64,
    pub times_left: u32,
    pub readditions: u32,
    pub last_readded: Option<u64>,
    pub reinvitations: u32,
    pub is_out: bool,
    pub flagging: bool,
    pub adders: BTreeMap<String, u32>,
    pub confirmed: bool,
    /// Leave times of re-additions and the re-invitation ids, for the local event list.
    pub readd_epochs: Vec<u64>,
    pub invite_ids: Vec<String>,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// What one group's merged state means after its tombstone; `None` when nothing of it is left.
pub fn derive_group(group: &SyncGroup, tombstone: u64) -> Option<Derived> {
    let after = |t: u64| t > tombstone;
    let leaves: Vec<u64> = group.leaves.iter().copied().filter(|t| after(*t)).collect();
    if leaves.is_empty() {
        return None;
    }
    let readds: Vec<(u64, &Readd)> = group
        .readds
        .iter()
        .filter(|(epoch, _)| after(**epoch))
        .map(|(e, r)| (*e, r))
        .collect();
    let rejoined = group.rejoined.filter(|t| after(*t));
    // Periods out of the group: each starts at a leave.
    let mut runs: Vec<u64> = Vec::new();
    for &time in &leaves {
        let Some(&start) = runs.last() else {
            runs.push(time);
            continue;
        };
        let between = |t: u64| t >= start && t < time;
        let back_in_between = readds.iter().any(|(_, r)| between(r.at))
            || rejoined.is_some_and(between)
            || group.back.iter().any(|b| between(*b));
        if back_in_between {
            runs.push(time);
        }
    }
    let run_of = |epoch: u64| runs.iter().rposition(|&start| start <= epoch).unwrap_or(0);
    // A re-addition belongs to the period it was seen in (a browser that had not yet synced a
    // later leave names an older one), or to its leave's when the time is not known.
    let runs_readded: BTreeSet<usize> = readds
        .iter()
        .map(|(e, r)| run_of(if r.at > 0 { r.at } else { *e }))
        .collect();
    let last_run = runs.len() - 1;
    let last_left = runs[last_run];
    let invites: Vec<&String> = group
        .invites
        .iter()
        .filter(|(_, epoch)| after(**epoch))
        .map(|(id, _)| id)
        .collect();
    let hint = |kind: u8| {
        group
            .hints
            .iter()
            .filter(|h| h.0 == kind && after(h.2))
            .map(|h| h.1)
            .max()
            .unwrap_or(0)
    };
    let mut adders: BTreeMap<String, u32> = BTreeMap::new();
    for (_, readd) in &readds {
        if let Some(actor) = &readd.actor {
            *adders.entry(actor.clone()).or_insert(0) += 1;
        }
    }
    for (name, hint) in &group.adders {
        if after(hint.1) {
            let entry = adders.entry(name.clone()).or_insert(0);
            *entry = (*entry).max(hint.0);
        }
    }
    let rejoined_now = rejoined.is_some_and(|j| j >= last_left);
    Some(Derived {
        site: group.site,
        key: group.key.clone(),
        name: group.name.clone(),
        name_at: group.name_at,
        url: group.url.clone(),
        first_left: runs[0],
        last_left,
        times_left: hint(HINT_LEAVES).max(count(runs.len())),
        readditions: hint(HINT_READDS).max(count(runs_readded.len())),
        last_readded: readds.iter().map(|(_, r)| r.at).max(),
        reinvitations: hint(HINT_INVITES).max(count(invites.len())),
        is_out: !runs_readded.contains(&last_run) && !rejoined_now,
        flagging: !rejoined_now,
        adders,
        confirmed: group.confirmed,
        readd_epochs: readds.iter().map(|(e, _)| *e).collect(),
        invite_ids: invites.into_iter().cloned().collect(),
    })
}

/// Every group the merged state holds, after tombstones.
pub fn derive(state: &SyncState) -> BTreeMap<(Site, String), Derived> {
    state
        .groups
        .iter()
        .filter_map(|(id, group)| {
            derive_group(group, state.tombstone(id.0, &id.1)).map(|d| (id.clone(), d))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// From and into the local record
// ---------------------------------------------------------------------------------------------

/// The leave time in a sighting id (`message:<since>:<fp>`, `visit:<since>`,
/// `invite:<since>:<fp>`), with its kind.
fn parse_event(id: &str) -> Option<(&str, u64)> {
    let mut parts = id.splitn(3, ':');
    let kind = parts.next()?;
    let since: u64 = parts.next()?.parse().ok()?;
    matches!(kind, "message" | "visit" | "invite").then_some((kind, since))
}

/// The latest time of a local entry.
fn local_latest(entry: &LeftGroup) -> u64 {
    ms(entry.last_left).max(entry.last_readded.map_or(0, ms))
}

/// One local entry as synced state. `incidents` (the record's history) gives the times of
/// re-additions, which the entry itself keeps only for the latest.
pub fn group_from_local(entry: &LeftGroup, incidents: &[Incident]) -> SyncGroup {
    let first = ms(entry.first_left);
    let last = ms(entry.last_left).max(first);
    let latest = local_latest(entry);
    let mut leaves: BTreeSet<u64> = [first, last].into_iter().collect();
    let mut readds: BTreeMap<u64, Readd> = BTreeMap::new();
    let mut invites = BTreeMap::new();
    for id in &entry.events {
        match parse_event(id) {
            Some(("invite", since)) => {
                invites.insert(id.clone(), since);
            }
            Some((_, since)) => {
                // When is filled in below; 0 = not known (a sighting id is also kept for a
                // repeated sighting, so its leave time alone is no evidence of being back in).
                readds.entry(since).or_insert(Readd { at: 0, actor: None });
            }
            None => {}
        }
    }
    // The leave time in every sighting id is one of this browser's leaves.
    leaves.extend(readds.keys().copied().filter(|t| *t >= first && *t <= last));
    leaves.extend(
        invites
            .values()
            .copied()
            .filter(|t| *t >= first && *t <= last),
    );
    let readded_now = entry.readditions > 0
        && entry.flagging
        && !entry.is_out
        && entry.last_readded.is_some_and(|t| ms(t) >= last);
    if readded_now && !readds.keys().any(|epoch| *epoch >= last) {
        // Re-added since the latest leave, with no event id left to say so.
        readds.insert(
            last,
            Readd {
                at: entry.last_readded.map_or(last, ms),
                actor: None,
            },
        );
    }
    // When each happened: the first re-addition incident of the group after its leave (the
    // history is bounded; without one, the time stays unknown). The latest re-addition's time
    // is known exactly.
    let seen: Vec<(u64, Option<&String>)> = incidents
        .iter()
        .filter(|i| {
            i.kind == IncidentKind::ReAdded
                && i.site == entry.site
                && i.group.as_deref() == Some(entry.key.as_str())
        })
        .map(|i| (ms(i.at), i.actor.as_ref()))
        .collect();
    let epochs: Vec<u64> = readds.keys().copied().collect();
    for (index, epoch) in epochs.iter().enumerate() {
        let next = epochs.get(index + 1).copied().unwrap_or(u64::MAX);
        let first = seen
            .iter()
            .filter(|(t, _)| *t >= *epoch && *t < next)
            .min_by_key(|(t, _)| *t);
        if let (Some((at, actor)), Some(readd)) = (first, readds.get_mut(epoch)) {
            readd.at = *at;
            // Who did it, when the history says (the group's adder counts stay the hint).
            readd.actor = actor
                .filter(|a| clean_name(a).as_deref() == Some(a.as_str()))
                .cloned();
        }
    }
    if let (Some(at), Some((epoch, readd))) = (entry.last_readded, readds.iter_mut().next_back()) {
        if ms(at) >= *epoch && readd.at == 0 {
            readd.at = ms(at);
        }
    }
    // "I rejoined on purpose" has no time in the record: at the latest leave (any later leave
    // is then a new one, and the group does not flag).
    let rejoined = (!entry.flagging).then_some(last);
    // Two leaves counted here: the user was back in between, even when no re-addition of that
    // time is known (a rejoin, or event ids that fell out of the bounded list).
    let mut back = BTreeSet::new();
    let known_back = readds.values().any(|r| r.at >= first && r.at < last);
    if entry.times_left >= 2 && last > first && !known_back {
        back.insert(last - 1);
    }
    let mut hints = BTreeSet::new();
    for (kind, value) in [
        (HINT_LEAVES, entry.times_left),
        (HINT_READDS, entry.readditions),
        (HINT_INVITES, entry.reinvitations),
    ] {
        if value > 0 {
            hints.insert((kind, value, latest));
        }
    }
    SyncGroup {
        site: entry.site,
        key: entry.key.clone(),
        name: entry.shown_on_page().to_string(),
        name_at: last,
        url: entry.url.clone(),
        leaves,
        back,
        readds,
        invites,
        rejoined,
        hints,
        adders: entry
            .adders
            .iter()
            .map(|(name, &n)| (name.clone(), AdderHint(n, latest)))
            .collect(),
        confirmed: entry.confirmed,
    }
}

/// The local record as synced state (no tombstones or rules: the caller adds those).
pub fn state_from_record(record: &Record) -> SyncState {
    SyncState {
        groups: record
            .left
            .iter()
            .map(|entry| {
                let group = group_from_local(entry, &record.incidents);
                ((entry.site, entry.key.clone()), group)
            })
            .collect(),
        ..SyncState::default()
    }
}

/// What merging into the local record did.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Applied {
    pub added: u32,
    pub updated: u32,
    pub removed: u32,
    /// Groups the local record had no room for (its per-site caps); they stay in the synced copy.
    pub no_room: u32,
}

impl Applied {
    pub fn changed(&self) -> bool {
        self.added + self.updated + self.removed > 0
    }
}

fn time(ms: u64) -> f64 {
    ms as f64
}

/// Brings the local record to what the merged state says: counts, times and flags of every
/// group, groups from other browsers added, forgotten groups removed. Never lowers a count below
/// what the merged state derives (the local record is part of it).
pub fn apply(record: &mut Record, state: &SyncState) -> Applied {
    let derived = derive(state);
    let mut applied = Applied::default();
    let before = record.left.len();
    record
        .left
        .retain(|entry| derived.contains_key(&(entry.site, entry.key.clone())));
    applied.removed = count(before - record.left.len());
    for ((site, key), d) in &derived {
        let index = record
            .left
            .iter()
            .position(|e| e.site == *site && &e.key == key);
        let index = match index {
            Some(index) => index,
            None => {
                let of_site = record.left.iter().filter(|e| e.site == *site).count();
                if of_site >= MAX_LEFT_PER_SITE || record.left.len() >= MAX_LEFT_GROUPS {
                    applied.no_room += 1;
                    continue;
                }
                record.left.push(LeftGroup {
                    site: *site,
                    key: key.clone(),
                    name: d.name.clone(),
                    page_name: None,
                    url: None,
                    first_left: time(d.first_left),
                    last_left: time(d.last_left),
                    times_left: 0,
                    readditions: 0,
                    last_readded: None,
                    reinvitations: 0,
                    adders: BTreeMap::new(),
                    is_out: true,
                    flagging: true,
                    events: Vec::new(),
                    confirmed: false,
                });
                applied.added += 1;
                record.left.len() - 1
            }
        };
        let entry = &mut record.left[index];
        let old = entry.clone();
        let fresh = entry.times_left == 0;
        if fresh || (d.name_at, &d.name) > (ms(entry.last_left), &entry.shown_on_page().to_string())
        {
            match &mut entry.page_name {
                Some(page_name) => *page_name = d.name.clone(),
                None => entry.name = d.name.clone(),
            }
        }
        if d.url.is_some() {
            entry.url = d.url.clone();
        }
        entry.first_left = time(d.first_left);
        entry.last_left = time(d.last_left);
        entry.times_left = d.times_left.max(1);
        entry.readditions = d.readditions;
        entry.reinvitations = d.reinvitations;
        entry.last_readded = d.last_readded.map(time);
        entry.is_out = d.is_out;
        entry.flagging = d.flagging;
        entry.adders = d.adders.clone();
        entry.confirmed |= d.confirmed;
        // The re-invitation ids, so one already counted elsewhere is known here. (Re-additions
        // need none: the entry is no longer out, so a sighting of one is not counted again; and
        // another browser's leave times among the ids would misdate this one's re-additions.)
        let extra: Vec<String> = d
            .invite_ids
            .iter()
            .filter(|id| !entry.events.contains(id))
            .cloned()
            .collect();
        entry.events.extend(extra);
        if entry.events.len() > MAX_EVENT_IDS {
            let drop = entry.events.len() - MAX_EVENT_IDS;
            entry.events.drain(..drop);
        }
        if !fresh && *entry != old {
            applied.updated += 1;
        }
    }
    applied
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

/// The settings that sync: all but the pauses (a pause belongs to one browser) and the switch.
pub fn rules_of(settings: &Settings) -> Value {
    let mut value = serde_json::to_value(settings).unwrap_or(Value::Null);
    if let Some(object) = value.as_object_mut() {
        object.remove("pauses");
        object.remove("sync");
    }
    value
}

/// The local settings with synced rules: the pauses and the switch stay this browser's.
pub fn settings_with_rules(local: &Settings, rules: &Value) -> Settings {
    let mut value = rules.clone();
    if let Some(object) = value.as_object_mut() {
        object.remove("pauses");
        object.remove("sync");
    }
    let (mut settings, _issues) = Settings::from_value(&value);
    settings.pauses = local.pauses.clone();
    settings.sync = local.sync;
    settings
}

// ---------------------------------------------------------------------------------------------
// Encode and decode
// ---------------------------------------------------------------------------------------------

/// Bytes an item takes as the browser counts them (key and JSON text).
pub fn item_bytes(key: &str, value: &Value) -> usize {
    key.len() + value.to_string().len()
}

/// How much of the record the synced copy holds.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SyncReport {
    pub bytes: u64,
    pub quota_bytes: u64,
    pub items: u32,
    pub groups_synced: u32,
    /// Groups that did not fit and stay local only.
    pub groups_local: u32,
    pub tombstones: u32,
}

/// The items to store.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Encoded {
    pub items: Map<String, Value>,
    pub report: SyncReport,
}

/// Whether the group still flags a re-addition (it goes first).
fn priority(d: Option<&Derived>, group: &SyncGroup) -> (bool, u64) {
    let flagging = d.is_some_and(|d| d.flagging && d.is_out);
    (flagging, group.latest())
}

/// The merged state as `storage.sync` items within the quotas. Groups are dropped only from the
/// synced copy (never from the record); forgotten groups are not written at all.
pub fn encode(state: &SyncState) -> Encoded {
    let derived = derive(state);
    let mut items = Map::new();
    let mut used = 0usize;
    fn put(items: &mut Map<String, Value>, used: &mut usize, key: String, value: Value) {
        *used += item_bytes(&key, &value);
        items.insert(key, value);
    }
    if let Some(rules) = &state.rules {
        let value = json!({"a": rules.at, "s": rules.settings});
        if item_bytes(KEY_RULES, &value) <= QUOTA_BYTES_PER_ITEM {
            put(&mut items, &mut used, KEY_RULES.into(), value);
        }
    }
    // Tombstones, newest first, within one item.
    let mut tombs: Vec<(&(Site, String), &u64)> = state.forgotten.iter().collect();
    tombs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let mut forgotten: Vec<Value> = Vec::new();
    let mut tomb_bytes =
        KEY_TOMBSTONES.len() + json!({"w": state.wiped, "f": []}).to_string().len();
    for ((site, key), at) in tombs.into_iter().take(MAX_TOMBSTONES) {
        let entry = json!([site, key, at]);
        let size = entry.to_string().len() + 1;
        if tomb_bytes + size > QUOTA_BYTES_PER_ITEM {
            break;
        }
        tomb_bytes += size;
        forgotten.push(entry);
    }
    let tombstones = count(forgotten.len());
    if state.wiped > 0 || !forgotten.is_empty() {
        put(
            &mut items,
            &mut used,
            KEY_TOMBSTONES.into(),
            json!({"w": state.wiped, "f": forgotten}),
        );
    }
    // Room for the header (its count has at most three digits).
    let header_bytes = item_bytes(KEY_HEADER, &json!({"v": FORMAT, "n": MAX_ITEMS}));
    used += header_bytes;

    let mut order: Vec<(&(Site, String), &SyncGroup)> = state
        .groups
        .iter()
        .filter(|(id, _)| derived.contains_key(*id))
        .collect();
    order.sort_by(|a, b| {
        let pa = priority(derived.get(a.0), a.1);
        let pb = priority(derived.get(b.0), b.1);
        pb.cmp(&pa).then(a.0.cmp(b.0))
    });
    let mut shards: Vec<Vec<Value>> = Vec::new();
    let mut shard_bytes = 0usize;
    let (mut synced, mut local) = (0u32, 0u32);
    let mut full = false;
    for (_, group) in order {
        let Ok(value) = serde_json::to_value(trimmed(group, state)) else {
            local += 1;
            continue;
        };
        let size = value.to_string().len();
        let key_len = SHARD_PREFIX.len() + 3;
        if full || key_len + 2 + size > QUOTA_BYTES_PER_ITEM {
            local += 1;
            continue;
        }
        let fits_current =
            !shards.is_empty() && key_len + shard_bytes + 1 + size <= QUOTA_BYTES_PER_ITEM;
        let extra = if fits_current {
            size + 1
        } else {
            key_len + 2 + size
        };
        let item_count = items.len() + shards.len() + 1 + usize::from(!fits_current);
        if used + extra > BUDGET_BYTES || item_count > MAX_ITEMS {
            // Newest and flagging first: once one does not fit, the rest stays local.
            full = true;
            local += 1;
            continue;
        }
        if fits_current {
            shard_bytes += size + 1;
            if let Some(last) = shards.last_mut() {
                last.push(value);
            }
        } else {
            shards.push(vec![value]);
            shard_bytes = 2 + size;
        }
        used += extra;
        synced += 1;
    }
    let shard_count = shards.len();
    for (index, shard) in shards.into_iter().enumerate() {
        put(
            &mut items,
            &mut used,
            format!("{SHARD_PREFIX}{index}"),
            Value::Array(shard),
        );
    }
    put(
        &mut items,
        &mut used,
        KEY_HEADER.into(),
        json!({"v": FORMAT, "n": shard_count}),
    );
    let bytes: usize = items.iter().map(|(k, v)| item_bytes(k, v)).sum();
    Encoded {
        report: SyncReport {
            bytes: bytes as u64,
            quota_bytes: QUOTA_BYTES as u64,
            items: count(items.len()),
            groups_synced: synced,
            groups_local: local,
            tombstones,
        },
        items,
    }
}

/// A group as written: what its tombstone already covers is left out.
fn trimmed(group: &SyncGroup, state: &SyncState) -> SyncGroup {
    let t = state.tombstone(group.site, &group.key);
    if t == 0 {
        return group.clone();
    }
    let mut out = group.clone();
    out.leaves.retain(|time| *time > t);
    out.back.retain(|time| *time > t);
    out.readds.retain(|epoch, _| *epoch > t);
    out.invites.retain(|_, epoch| *epoch > t);
    out.rejoined = out.rejoined.filter(|j| *j > t);
    out.hints.retain(|h| h.2 > t);
    out.adders.retain(|_, h| h.1 > t);
    out
}

/// A synced value this build could not use (ignored, never applied).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncIssue {
    pub key: String,
    pub problem: String,
}

fn issue(key: &str, problem: impl Into<String>) -> SyncIssue {
    SyncIssue {
        key: key.to_string(),
        problem: brief_message(&problem.into()),
    }
}

fn valid(t: u64) -> bool {
    t <= MAX_TIME
}

/// Why a synced group cannot be used, if it cannot.
pub fn check_group(group: &SyncGroup) -> Result<(), String> {
    if GroupRef::new(group.site, &group.key).is_none_or(|g| g.key != group.key) {
        return Err("not a group key in normal form".into());
    }
    if clean_name(&group.name).as_deref() != Some(group.name.as_str()) {
        return Err("group name empty, too long or with control characters".into());
    }
    if let Some(url) = &group.url {
        if clean_url(url).as_deref() != Some(url.as_str()) {
            return Err("URL is not a supported site's https URL".into());
        }
    }
    if group.leaves.is_empty()
        || group.leaves.len() > MAX_SYNC_LEAVES
        || group.back.len() > MAX_SYNC_LEAVES
        || group.readds.len() > MAX_SYNC_READDS
        || group.invites.len() > MAX_SYNC_INVITES
        || group.hints.len() > MAX_SYNC_HINTS
        || group.adders.len() > MAX_SYNC_ADDERS
    {
        return Err("no leave, or too many entries".into());
    }
    let times = group
        .leaves
        .iter()
        .chain(group.back.iter())
        .chain(group.readds.keys())
        .chain(group.readds.values().map(|r| &r.at))
        .chain(group.invites.values())
        .chain(group.rejoined.iter())
        .chain(group.hints.iter().map(|h| &h.2))
        .chain(group.adders.values().map(|h| &h.1))
        .chain(std::iter::once(&group.name_at));
    if !times.into_iter().all(|t| valid(*t)) {
        return Err("a time out of range".into());
    }
    if group.hints.iter().any(|h| h.0 > HINT_INVITES) {
        return Err("an unknown hint".into());
    }
    let names = group
        .adders
        .keys()
        .chain(group.readds.values().filter_map(|r| r.actor.as_ref()));
    if !names
        .into_iter()
        .all(|n| n.chars().count() <= MAX_NAME_CHARS && clean_name(n).as_deref() == Some(n))
    {
        return Err("an adder name is empty, too long or has control characters".into());
    }
    if group.invites.keys().any(|id| {
        id.chars().count() > MAX_EVENT_ID_CHARS
            || id.chars().any(char::is_control)
            || parse_event(id).is_none_or(|(kind, _)| kind != "invite")
    }) {
        return Err("a malformed re-invitation id".into());
    }
    Ok(())
}

/// Reads `storage.sync.get(null)`. Anything that cannot be used is left out and reported: an
/// unknown format version, an unreadable item, a group that fails [`check_group`]. Never panics;
/// keys without [`PREFIX`] are someone else's and ignored silently.
pub fn decode(items: &Value) -> (SyncState, Vec<SyncIssue>) {
    let mut state = SyncState::default();
    let mut issues = Vec::new();
    let Some(items) = items.as_object() else {
        issues.push(issue("", "the synced storage is not an object"));
        return (state, issues);
    };
    let Some(header) = items.get(KEY_HEADER) else {
        if items.keys().any(|k| k.starts_with(PREFIX)) {
            issues.push(issue(KEY_HEADER, "missing: the synced copy is ignored"));
        }
        return (state, issues);
    };
    let version = header.get("v").and_then(Value::as_u64);
    if version != Some(u64::from(FORMAT)) {
        issues.push(issue(
            KEY_HEADER,
            format!("format {version:?} is not {FORMAT}: the synced copy is ignored"),
        ));
        return (state, issues);
    }
    let shards = header.get("n").and_then(Value::as_u64).unwrap_or(0);
    if shards > MAX_ITEMS as u64 {
        issues.push(issue(KEY_HEADER, "more shards than items allowed"));
    }
    for (key, value) in items {
        if key.starts_with(PREFIX) && item_bytes(key, value) > QUOTA_BYTES_PER_ITEM * 2 {
            issues.push(issue(key, "larger than an item may be"));
        }
    }
    let oversized = |key: &str, value: &Value| item_bytes(key, value) > QUOTA_BYTES_PER_ITEM * 2;
    if let Some(rules) = items.get(KEY_RULES).filter(|v| !oversized(KEY_RULES, v)) {
        match (rules.get("a").and_then(Value::as_u64), rules.get("s")) {
            (Some(at), Some(settings)) if valid(at) && settings.is_object() => {
                state.rules = Some(Rules {
                    at,
                    settings: rules_of(&Settings::from_value(settings).0),
                });
            }
            _ => issues.push(issue(KEY_RULES, "unreadable rules")),
        }
    }
    if let Some(tombs) = items
        .get(KEY_TOMBSTONES)
        .filter(|v| !oversized(KEY_TOMBSTONES, v))
    {
        match tombs.get("w").map(Value::as_u64) {
            None => {}
            Some(Some(w)) if valid(w) => state.wiped = w,
            Some(_) => issues.push(issue(KEY_TOMBSTONES, "unreadable delete time")),
        }
        let list = tombs.get("f").and_then(Value::as_array);
        for entry in list.into_iter().flatten().take(MAX_TOMBSTONES) {
            match serde_json::from_value::<(Site, String, u64)>(entry.clone()) {
                Ok((site, key, at))
                    if valid(at) && GroupRef::new(site, &key).is_some_and(|g| g.key == key) =>
                {
                    let slot = state.forgotten.entry((site, key)).or_insert(at);
                    *slot = (*slot).max(at);
                }
                _ => issues.push(issue(KEY_TOMBSTONES, "an unreadable tombstone was ignored")),
            }
        }
    }
    for index in 0..shards.min(MAX_ITEMS as u64) {
        let key = format!("{SHARD_PREFIX}{index}");
        let Some(shard) = items.get(&key) else {
            issues.push(issue(&key, "missing"));
            continue;
        };
        if oversized(&key, shard) {
            continue;
        }
        let Some(groups) = shard.as_array() else {
            issues.push(issue(&key, "not a list"));
            continue;
        };
        for (at, value) in groups.iter().enumerate() {
            let group = serde_json::from_value::<SyncGroup>(value.clone())
                .map_err(|e| e.to_string())
                .and_then(|g| check_group(&g).map(|()| g));
            match group {
                Ok(group) => {
                    let id = (group.site, group.key.clone());
                    match state.groups.get_mut(&id) {
                        Some(mine) => mine.merge(&group),
                        None => {
                            state.groups.insert(id, group);
                        }
                    }
                }
                Err(problem) => issues.push(issue(&format!("{key}[{at}]"), problem)),
            }
        }
    }
    (state, issues)
}

/// What to set and remove in `storage.sync` to go from `current` to `wanted`: changed items only.
pub fn diff(current: &Value, wanted: &Map<String, Value>) -> (Map<String, Value>, Vec<String>) {
    let empty = Map::new();
    let current = current.as_object().unwrap_or(&empty);
    let set: Map<String, Value> = wanted
        .iter()
        .filter(|(k, v)| current.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let remove = current
        .keys()
        .filter(|k| k.starts_with(PREFIX) && !wanted.contains_key(*k))
        .cloned()
        .collect();
    (set, remove)
}

/// Every synced key of ours in `current` (to remove the synced copy).
pub fn own_keys(current: &Value) -> Vec<String> {
    current
        .as_object()
        .map(|o| {
            o.keys()
                .filter(|k| k.starts_with(PREFIX))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// This browser's side: tombstones and the rules' change time, kept in `storage.local`
// ---------------------------------------------------------------------------------------------

/// The `storage.local` key of [`Local`] (optional; absent = nothing synced yet).
pub const KEY_SYNC: &str = "sync";

/// What this browser keeps about syncing: its forgets and deletes (so they win when synced),
/// when its rules last changed, and the last sync's report.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Local {
    /// `[site, key, time]`, newest kept.
    pub forgotten: Vec<(Site, String, u64)>,
    pub wiped: u64,
    /// When the rules last changed here (or were taken from the synced copy).
    pub rules_at: u64,
    /// The rules as last seen, to notice a change.
    pub rules_seen: Option<Value>,
    /// The last sync's report and problems.
    pub report: Option<SyncReport>,
    pub issues: Vec<SyncIssue>,
    pub applied: Option<Applied>,
    pub last_sync: u64,
}

impl Local {
    /// Read leniently: an unreadable value starts fresh (it holds no record data).
    pub fn from_stored(value: Option<&Value>) -> Local {
        value
            .and_then(|v| serde_json::from_value::<Local>(v.clone()).ok())
            .unwrap_or_default()
    }

    /// The user forgot a group here.
    pub fn forget(&mut self, group: &GroupRef, now: f64) {
        let at = ms(now);
        self.forgotten
            .retain(|(site, key, _)| !(*site == group.site && *key == group.key));
        self.forgotten.push((group.site, group.key.clone(), at));
        if self.forgotten.len() > MAX_TOMBSTONES {
            self.forgotten.sort_by_key(|t| std::cmp::Reverse(t.2));
            self.forgotten.truncate(MAX_TOMBSTONES);
        }
    }

    /// "Delete everything" here.
    pub fn wipe(&mut self, now: f64) {
        self.wiped = self.wiped.max(ms(now));
        self.forgotten.clear();
    }

    /// This browser's side as synced state.
    pub fn state(&self, record: &Record, settings: &Settings, now: f64) -> SyncState {
        let mut state = state_from_record(record);
        for (site, key, at) in &self.forgotten {
            let slot = state.forgotten.entry((*site, key.clone())).or_insert(*at);
            *slot = (*slot).max(*at);
        }
        state.wiped = self.wiped;
        let rules = rules_of(settings);
        let at = if self.rules_seen.as_ref() == Some(&rules) {
            self.rules_at
        } else if self.rules_seen.is_none() {
            // Never synced: a synced copy's rules win; without one, the pass stamps these.
            0
        } else {
            ms(now)
        };
        state.rules = Some(Rules {
            at,
            settings: rules,
        });
        state
    }
}

/// What the options page shows about syncing.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SyncStatus {
    pub enabled: bool,
    /// The last pass's report (`None`: no pass yet, or the synced copy was removed).
    pub report: Option<SyncReport>,
    pub issues: Vec<SyncIssue>,
    pub applied: Option<Applied>,
    /// Milliseconds since the epoch (0: never).
    pub last_sync: u64,
}

impl SyncStatus {
    pub fn of(local: &Local, enabled: bool) -> SyncStatus {
        SyncStatus {
            enabled,
            report: local.report.clone(),
            issues: local.issues.clone(),
            applied: local.applied.clone(),
            last_sync: local.last_sync,
        }
    }
}

/// The outcome of one sync pass.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pass {
    pub set: Map<String, Value>,
    pub remove: Vec<String>,
    pub record_changed: bool,
    pub settings_changed: bool,
    pub report: SyncReport,
    pub issues: Vec<SyncIssue>,
}

/// How far ahead of this browser's clock a synced time may be (clocks differ a little).
pub const CLOCK_SLACK_MS: u64 = 24 * 60 * 60 * 1000;

/// Leaves out synced data stamped in the future: a forged or broken clock must not make a
/// tombstone that would delete what this browser records next, nor a group that never ages.
fn drop_future(state: &mut SyncState, issues: &mut Vec<SyncIssue>, now: f64) {
    let limit = ms(now).saturating_add(CLOCK_SLACK_MS);
    if state.wiped > limit {
        issues.push(issue(
            KEY_TOMBSTONES,
            "a delete time in the future was ignored",
        ));
        state.wiped = 0;
    }
    let before = state.forgotten.len();
    state.forgotten.retain(|_, at| *at <= limit);
    if state.forgotten.len() != before {
        issues.push(issue(
            KEY_TOMBSTONES,
            "forget times in the future were ignored",
        ));
    }
    state.groups.retain(|(site, key), group| {
        let ok = group.latest() <= limit && group.name_at <= limit;
        if !ok {
            issues.push(issue(
                SHARD_PREFIX,
                format!("{}/{key}: times in the future; ignored", site.id()),
            ));
        }
        ok
    });
    if state.rules.as_ref().is_some_and(|r| r.at > limit) {
        issues.push(issue(KEY_RULES, "a change time in the future was ignored"));
        state.rules = None;
    }
}

/// One sync pass: merges the synced copy (`storage.sync.get(null)`) into the record and the
/// settings and says which synced items to write. Pure; the router keeps `local` in storage.
pub fn pass(
    local: &mut Local,
    record: &mut Record,
    settings: &mut Settings,
    synced: &Value,
    now: f64,
) -> Pass {
    let (mut remote, mut issues) = decode(synced);
    drop_future(&mut remote, &mut issues, now);
    let mine = local.state(record, settings, now);
    let mut merged = SyncState::merged(&mine, &remote);
    if let Some(rules) = merged.rules.as_mut().filter(|r| r.at == 0) {
        rules.at = ms(now);
    }
    let applied = apply(record, &merged);
    let mut settings_changed = false;
    if let Some(rules) = &merged.rules {
        if rules.settings != rules_of(settings) && rules.at > 0 {
            let next = settings_with_rules(settings, &rules.settings);
            settings_changed = next != *settings;
            *settings = next;
        }
        local.rules_at = rules.at;
    }
    local.rules_seen = Some(rules_of(settings));
    local.wiped = merged.wiped;
    let mut forgotten: Vec<(Site, String, u64)> = merged
        .forgotten
        .iter()
        .map(|((site, key), at)| (*site, key.clone(), *at))
        .collect();
    forgotten.sort_by_key(|t| std::cmp::Reverse(t.2));
    forgotten.truncate(MAX_TOMBSTONES);
    local.forgotten = forgotten;
    let header_ok = !issues.iter().any(|i| i.key == KEY_HEADER);
    let encoded = encode(&merged);
    let (set, remove) = if header_ok || own_keys(synced).is_empty() {
        diff(synced, &encoded.items)
    } else {
        // A newer build's copy: never written over.
        (Map::new(), Vec::new())
    };
    local.report = Some(encoded.report.clone());
    local.issues = issues.clone();
    local.applied = Some(applied.clone());
    local.last_sync = ms(now);
    Pass {
        set,
        remove,
        record_changed: applied.changed(),
        settings_changed,
        report: encoded.report,
        issues,
    }
}

#[cfg(test)]
mod tests;
