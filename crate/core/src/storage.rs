//! The storage schema: which keys `storage.local` holds, how older shapes are migrated, and what
//! happens to data that cannot be read.
//!
//! # Keys (schema version 2)
//!
//! | key | value |
//! |---|---|
//! | `schema_version` | the number [`SCHEMA_VERSION`] |
//! | `settings` | [`Settings`] as JSON |
//! | `record` | [`Record`] as one JSON **text** (a string holding the JSON), see [`record_value`] |
//! | `record.agreed` | "they said yes" ([`crate::agreed`]): optional inside `record` (absent: empty, not written when empty), no schema change; at most 200 per site, validated on load and import |
//! | `packs` | site packs the user imported: an object from site id to [`SitePack`] (optional) |
//! | `record.monthly` | (inside the record) totals per calendar month for the chart, optional: a record without it gets them built from its history at load |
//! | `guard` | report budgets per site and refused bursts, [`crate::guard::Stored`] (optional; read leniently, an unreadable value starts fresh: it holds counts, nothing the user made) |
//! | `dismissed` | re-add flags the user dismissed, [`crate::dismiss::Dismissed`]: a list of re-addition keys, newest last, at most 500 (optional; read leniently: an unreadable entry only shows its flag again) |
//! | `backup.<what>.<ms>` | a raw value that could not be used, kept for the user (see below) |
//! | `sync` | this browser's side of syncing, [`crate::sync::Local`] (optional; read leniently, an unreadable value starts fresh: tombstones, the rules' change time, the last report) |
//!
//! Version 0 (the earliest builds, no `schema_version` key) kept a flat list under `left_groups`
//! and a single number under `threshold`; [`migrate_v0_to_v1`] turns them into `record` and
//! `settings`. Version 1 stored the record as a JSON object; [`migrate_v1_to_v2`] stores the same
//! record as text, because the browser reads and writes one long string many times faster than
//! an object of thousands of entries (measured in Chromium for a record at the caps, 1.9 MB:
//! `storage.local.get` 366 → 47 ms, `set` 449 → 149 ms), and it is the one value the background
//! reads on every wake-up.
//!
//! `packs` was added without a schema change: it is optional (absent means no imported pack),
//! builds that do not know it never read or write it, no migration step touches it, and each pack
//! carries its own `version`. Every pack in it is validated again on load ([`SitePack::parse`]); one that fails
//! (or the whole value, when it is not an object) is kept as a `backup.packs.<ms>` and dropped.
//! A stored pack that an update's bundled pack has caught up with stays stored but inactive
//! ([`crate::pack::active_import`]).
//!
//! Nothing is silently dropped: a value that cannot be read (or was written by a newer build) is
//! copied under a `backup.` key and only that one key starts fresh; every other key is kept.
//! The background is the only writer; it performs the [`StorageWrite`]s and removals a load or a
//! request returns, and acknowledges only after they resolved.
//!
//! Layer: state (may import every other layer; the map is in `lib.rs`).

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{brief_message, GroupRef, LeftGroup, Record};
use crate::pack::SitePack;
/// Defined with the message that shows it ([`crate::protocol::PageResponse::StorageStatus`]).
pub use crate::protocol::LoadProblem;
use crate::settings::Settings;
use crate::site::Site;

/// The shape of the stored data this build writes.
pub const SCHEMA_VERSION: u32 = 2;
pub const KEY_SCHEMA_VERSION: &str = "schema_version";
pub const KEY_SETTINGS: &str = "settings";
pub const KEY_RECORD: &str = "record";
pub const KEY_PACKS: &str = "packs";
/// The report budgets' site counts and the refused bursts ([`crate::guard`]); optional.
pub const KEY_GUARD: &str = "guard";
/// Prefix of every backup key: `backup.<what>.<ms since epoch>`.
pub const BACKUP_PREFIX: &str = "backup.";
/// Version 0's keys.
pub const V0_KEY_LEFT_GROUPS: &str = "left_groups";
pub const V0_KEY_THRESHOLD: &str = "threshold";
/// `storage.local`'s default quota in Chromium (bytes of JSON, keys included).
pub const QUOTA_BYTES: usize = 10 * 1024 * 1024;

/// Above this share of [`QUOTA_BYTES`] in use, the options page warns (percent).
pub const QUOTA_WARN_PERCENT: u64 = 80;

/// A size for people: bytes, KB (rounded up) or MB (1024-based, to the nearest tenth), with a
/// decimal comma
/// where the language writes one.
pub fn human_size(bytes: u64, decimal_comma: bool) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    if bytes < KB {
        format!("{bytes} B")
    } else if bytes < MB {
        format!("{} KB", bytes.div_ceil(KB))
    } else {
        let tenths = (bytes.saturating_mul(10) + MB / 2) / MB;
        let separator = if decimal_comma { ',' } else { '.' };
        format!("{}{separator}{} MB", tenths / 10, tenths % 10)
    }
}

/// Whether `bytes_in_use` of `quota_bytes` is past [`QUOTA_WARN_PERCENT`].
pub fn near_quota(bytes_in_use: u64, quota_bytes: u64) -> bool {
    quota_bytes > 0
        && bytes_in_use.saturating_mul(100) > quota_bytes.saturating_mul(QUOTA_WARN_PERCENT)
}

/// One key to set in `storage.local`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StorageWrite {
    pub key: String,
    pub value: Value,
}

/// What loading found and what the glue must write back.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LoadReport {
    /// The schema version found (`None`: nothing stored yet, a fresh install).
    pub found_version: Option<u32>,
    /// Names of the migration steps applied, in order.
    pub migrations: Vec<String>,
    pub problems: Vec<LoadProblem>,
    /// Keys to set, in order, before answering any request.
    pub writes: Vec<StorageWrite>,
    /// Keys to remove after the writes.
    pub removals: Vec<String>,
}

/// The decoded state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Loaded {
    pub settings: Settings,
    pub record: Record,
    /// Site packs the user imported, at most one per site.
    pub packs: BTreeMap<Site, SitePack>,
    /// The backup keys present after the load (the options page lists them).
    pub backups: Vec<String>,
}

/// One migration step: rewrites the stored map from version `n` to `n + 1` in place, returning
/// notes about entries it could not carry over (their raw values stay in the step's backup).
type Step = fn(&mut Map<String, Value>) -> Vec<String>;

/// A migration step, and whether the values it rewrites are kept as a backup first. A step that
/// only re-encodes the same data (nothing can be lost) takes no backup: a copy of a large record
/// would double what is stored and could by itself exceed the quota.
struct Migration {
    name: &'static str,
    step: Step,
    keeps_backup: bool,
}

/// `STEPS[n]` migrates version `n` to `n + 1`.
const STEPS: [Migration; SCHEMA_VERSION as usize] = [
    Migration {
        name: "v0_to_v1",
        step: migrate_v0_to_v1,
        keeps_backup: true,
    },
    Migration {
        name: "v1_to_v2",
        step: migrate_v1_to_v2,
        keeps_backup: false,
    },
];

/// Builds the monthly totals of a record kept before they existed from the history it still
/// holds (in UTC months: the local offset of past incidents is not known). Returns whether it
/// added any. Not a schema step: `monthly` is optional and older builds ignore it.
fn backfill_months(record: &mut Record) -> bool {
    if !record.monthly.is_empty() {
        return false;
    }
    record.monthly = crate::monthly::from_history(&record.incidents, 0);
    !record.monthly.is_empty()
}

/// The stored form of the record (schema 2): its JSON as one string.
pub fn record_value(record: &Record) -> Value {
    Value::String(serde_json::to_string(record).unwrap_or_else(|_| "{}".into()))
}

/// Reads a stored record: the JSON text of schema 2, or (from a migration, or a hand-edited
/// store) the object itself.
fn read_record(raw: &Value) -> Result<Record, String> {
    match raw {
        Value::String(text) => serde_json::from_str(text).map_err(|err| err.to_string()),
        other => Record::deserialize(other).map_err(|err| err.to_string()),
    }
}

/// Version 1 → 2: the record object becomes its JSON text. Whatever is there is carried over as
/// it is (an unreadable value is judged, and kept as a backup, by the load that follows).
pub fn migrate_v1_to_v2(map: &mut Map<String, Value>) -> Vec<String> {
    if let Some(record) = map.get_mut(KEY_RECORD) {
        if record.is_object() {
            let text = serde_json::to_string(record).unwrap_or_default();
            *record = Value::String(text);
        }
    }
    Vec::new()
}

/// Version 0 → 1: the flat `left_groups` list becomes the record, `threshold` the direct-add
/// threshold. Entries whose group key cannot be read are left out and reported.
pub fn migrate_v0_to_v1(map: &mut Map<String, Value>) -> Vec<String> {
    let mut notes = Vec::new();
    let mut record = Record::default();
    if let Some(list) = map.remove(V0_KEY_LEFT_GROUPS) {
        let entries = match list {
            Value::Array(entries) => entries,
            other => {
                notes.push(format!("{V0_KEY_LEFT_GROUPS} was not a list: {other}"));
                Vec::new()
            }
        };
        for (index, entry) in entries.iter().enumerate() {
            match v0_entry(entry) {
                Ok(left) => {
                    if record.find_left(&left.group()).is_some() {
                        notes.push(format!(
                            "{V0_KEY_LEFT_GROUPS}[{index}]: duplicate, left out"
                        ));
                    } else {
                        record.left.push(left);
                    }
                }
                Err(why) => notes.push(format!("{V0_KEY_LEFT_GROUPS}[{index}]: {why}, left out")),
            }
        }
    }
    let mut settings = Settings::default();
    if let Some(threshold) = map.remove(V0_KEY_THRESHOLD) {
        match threshold.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) => settings.direct_threshold = n,
            None => notes.push(format!("{V0_KEY_THRESHOLD} was not a number: {threshold}")),
        }
        for issue in settings.validate() {
            notes.push(format!("{V0_KEY_THRESHOLD}: {}", issue.problem));
        }
    }
    map.insert(KEY_RECORD.into(), to_value(&record));
    map.insert(KEY_SETTINGS.into(), to_value(&settings));
    notes
}

/// One v0 entry: `{"site": "facebook", "group": "123", "title": "…", "left_at": ms,
/// "readded": n}`; v0 knew no adders and left each group once.
fn v0_entry(entry: &Value) -> Result<LeftGroup, String> {
    let site: Site = entry
        .get("site")
        .cloned()
        .and_then(|site| serde_json::from_value(site).ok())
        .ok_or("unknown site")?;
    let raw_key = entry
        .get("group")
        .and_then(Value::as_str)
        .ok_or("no group")?;
    let group = GroupRef::new(site, raw_key).ok_or("not a group key")?;
    let left_at = entry
        .get("left_at")
        .and_then(Value::as_f64)
        .filter(|t| t.is_finite() && *t >= 0.0)
        .ok_or("no time")?;
    let name = entry
        .get("title")
        .and_then(Value::as_str)
        .and_then(crate::model::clean_name)
        .unwrap_or_else(|| group.key.clone());
    let readditions = entry
        .get("readded")
        .and_then(Value::as_u64)
        .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
        .unwrap_or(0);
    Ok(LeftGroup {
        site,
        key: group.key,
        name,
        page_name: None,
        url: None,
        first_left: left_at,
        last_left: left_at,
        times_left: 1,
        readditions,
        last_readded: None,
        reinvitations: 0,
        adders: Default::default(),
        // v0 did not know whether the user was back in; assume out so the next re-add counts.
        is_out: true,
        flagging: true,
        events: Vec::new(),
        confirmed: false,
    })
}

fn to_value<T: Serialize>(value: &T) -> Value {
    // Our own types always serialise; `Null` would only mean a bug, and is then reported on load.
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A backup key for `what` that does not collide with any key in `taken`.
pub fn backup_key(what: &str, now: f64, taken: &BTreeSet<String>) -> String {
    let stamp = if now.is_finite() && now >= 0.0 {
        format!("{}", now.trunc() as u64)
    } else {
        "0".into()
    };
    let base = format!("{BACKUP_PREFIX}{what}.{stamp}");
    let mut key = base.clone();
    let mut n = 2;
    while taken.contains(&key) {
        key = format!("{base}-{n}");
        n += 1;
    }
    key
}

/// Most issues named in one problem; a record with thousands of bad entries is summarised.
pub const MAX_LISTED_ISSUES: usize = 10;

/// Issues as one line: the first [`MAX_LISTED_ISSUES`], then how many more.
fn summary(issues: &[String]) -> String {
    let mut text = issues
        .iter()
        .take(MAX_LISTED_ISSUES)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    if issues.len() > MAX_LISTED_ISSUES {
        text.push_str(&format!("; and {} more", issues.len() - MAX_LISTED_ISSUES));
    }
    text
}

/// Decodes everything stored, applying migrations and keeping unreadable values as backups.
///
/// Runs on every wake-up of the background, so it never copies the stored values unless a
/// migration has to rewrite them, and writes back only what changed: a record that loads as it
/// is stored (the common case) costs one pass over it. The steps are `Loader`'s methods, in
/// the order they run here.
pub fn load(stored: &Map<String, Value>, now: f64) -> (Loaded, LoadReport) {
    let mut loader = Loader::new(stored, now);
    let version = loader.version();
    let from_newer = version.is_some_and(|v| v > SCHEMA_VERSION);
    let migrated = match version {
        Some(v) if v > SCHEMA_VERSION => {
            loader.keep_newer(v);
            None
        }
        Some(v) if v < SCHEMA_VERSION => Some(loader.migrate(v)),
        _ => None,
    };
    // The values to read: none of a newer build's, the migrated copy of the keys the steps
    // touch, or the stored ones.
    let source = |key: &str| -> Option<&Value> {
        if from_newer {
            None
        } else {
            migrated.as_ref().unwrap_or(stored).get(key)
        }
    };
    let settings = loader.settings(source(KEY_SETTINGS));
    let (record, record_changed) = loader.record(source(KEY_RECORD), migrated.is_some());
    // No migration step touches the packs: they are read as stored.
    let packs = loader.packs(stored.get(KEY_PACKS).filter(|_| !from_newer));
    loader.write_back(&settings, &record, record_changed || from_newer);
    loader.finish(settings, record, packs)
}

/// One load under way: what is stored, the time, the keys as they will be after the writes
/// (backups must not collide with each other), and the report so far.
struct Loader<'a> {
    stored: &'a Map<String, Value>,
    now: f64,
    taken: BTreeSet<String>,
    report: LoadReport,
}

impl<'a> Loader<'a> {
    fn new(stored: &'a Map<String, Value>, now: f64) -> Self {
        Loader {
            stored,
            now,
            taken: stored.keys().cloned().collect(),
            report: LoadReport::default(),
        }
    }

    /// Keeps `raw`, the value of `what` that could not be used as it is, under a new backup
    /// key, and reports the `problem` with that key.
    fn backup(&mut self, what: &str, raw: Value, problem: String) {
        let key = backup_key(what, self.now, &self.taken);
        self.taken.insert(key.clone());
        self.report.writes.push(StorageWrite {
            key: key.clone(),
            value: raw,
        });
        self.report.problems.push(LoadProblem {
            key: what.to_string(),
            problem,
            backup_key: Some(key),
        });
    }

    fn problem(&mut self, key: &str, problem: String) {
        self.report.problems.push(LoadProblem {
            key: key.into(),
            problem,
            backup_key: None,
        });
    }

    /// The schema version found: version 0's keys without a version are version 0, current
    /// keys without one (or a version that is not a number) are read as the current version,
    /// nothing stored is a fresh install (`None`).
    fn version(&mut self) -> Option<u32> {
        let stored = self.stored;
        let has_v0 =
            stored.contains_key(V0_KEY_LEFT_GROUPS) || stored.contains_key(V0_KEY_THRESHOLD);
        let version = match stored.get(KEY_SCHEMA_VERSION) {
            None if has_v0 => Some(0),
            None if stored.contains_key(KEY_SETTINGS) || stored.contains_key(KEY_RECORD) => {
                self.problem(
                    KEY_SCHEMA_VERSION,
                    "missing; the data is read as the current version".into(),
                );
                Some(SCHEMA_VERSION)
            }
            None => None,
            // A count beyond `u32` can only be newer than this build.
            Some(value) => match value.as_u64().map(|v| u32::try_from(v).unwrap_or(u32::MAX)) {
                Some(v) => Some(v),
                None => {
                    let shown = brief_message(&value.to_string());
                    let problem =
                        format!("not a version number ({shown}); read as the current version");
                    self.backup(KEY_SCHEMA_VERSION, value.clone(), problem);
                    Some(SCHEMA_VERSION)
                }
            },
        };
        self.report.found_version = version;
        version
    }

    /// A newer build wrote the store (the extension was downgraded): every key this build
    /// reads is kept as a backup, and the load starts fresh.
    fn keep_newer(&mut self, version: u32) {
        let found = self
            .stored
            .get(KEY_SCHEMA_VERSION)
            .map_or_else(|| version.to_string(), Value::to_string);
        for key in [KEY_SETTINGS, KEY_RECORD, KEY_PACKS] {
            if let Some(raw) = self.stored.get(key) {
                let problem = format!(
                    "written by a newer version of Ask First (schema {found}, this one reads \
                     {SCHEMA_VERSION}); kept as a backup, starting fresh"
                );
                self.backup(key, raw.clone(), problem);
            }
        }
    }

    /// Runs the [`STEPS`] from `version` on a copy of the keys they touch and returns it; a
    /// step that rewrites the data keeps the values before it as a backup, and version 0's
    /// keys are removed after the writes.
    fn migrate(&mut self, version: u32) -> Map<String, Value> {
        let mut map = Map::new();
        for key in [
            V0_KEY_LEFT_GROUPS,
            V0_KEY_THRESHOLD,
            KEY_SETTINGS,
            KEY_RECORD,
        ] {
            if let Some(value) = self.stored.get(key) {
                map.insert(key.to_string(), value.clone());
            }
        }
        let steps = STEPS.iter().skip(version as usize);
        if steps.clone().any(|migration| migration.keeps_backup) {
            self.keep_before_migration(version, &map);
        }
        for migration in steps {
            for note in (migration.step)(&mut map) {
                self.problem(migration.name, note);
            }
            self.report.migrations.push(migration.name.to_string());
        }
        for key in [V0_KEY_LEFT_GROUPS, V0_KEY_THRESHOLD] {
            if self.stored.contains_key(key) && !map.contains_key(key) {
                self.report.removals.push(key.to_string());
            }
        }
        map
    }

    /// The values `before` a migration from `version`, kept as one backup (`backup.v<N>.<ms>`).
    fn keep_before_migration(&mut self, version: u32, before: &Map<String, Value>) {
        let key = backup_key(&format!("v{version}"), self.now, &self.taken);
        self.taken.insert(key.clone());
        self.report.writes.push(StorageWrite {
            key: key.clone(),
            value: Value::Object(before.clone()),
        });
        if version != 0 {
            return;
        }
        // Current keys next to version-0 data (no schema version): the migration replaces
        // them. Say so; their values are in this backup.
        for current in [KEY_SETTINGS, KEY_RECORD] {
            if self.stored.contains_key(current) {
                self.report.problems.push(LoadProblem {
                    key: current.into(),
                    problem: "found next to version-0 data without a schema version; replaced \
                              by the migrated data, the value found is kept in the backup"
                        .into(),
                    backup_key: Some(key.clone()),
                });
            }
        }
    }

    /// The settings, field by field; when a field had to be reset, or the value holds fields
    /// this build does not know (they would be lost when the settings are written), the raw
    /// value is kept as a backup.
    fn settings(&mut self, raw: Option<&Value>) -> Settings {
        let Some(raw) = raw else {
            return Settings::default();
        };
        let (settings, issues) = Settings::from_value(raw);
        let mut list: Vec<String> = issues
            .iter()
            .map(|issue| format!("{}: {}", issue.field, issue.problem))
            .collect();
        if let (Some(found), Value::Object(known)) = (raw.as_object(), to_value(&settings)) {
            let unknown: Vec<String> = found
                .keys()
                .filter(|key| !known.contains_key(*key))
                .map(|key| brief_message(key).chars().take(40).collect())
                .collect();
            if !unknown.is_empty() {
                list.push(format!("unknown fields, not kept: {}", summary(&unknown)));
            }
        }
        if !list.is_empty() {
            self.backup(KEY_SETTINGS, raw.clone(), summary(&list));
        }
        settings
    }

    /// The record, and whether to write it back: when it was missing, `migrated`, stored as
    /// an object, repaired or unreadable.
    fn record(&mut self, raw: Option<&Value>, migrated: bool) -> (Record, bool) {
        let Some(raw) = raw else {
            return (Record::default(), true);
        };
        match read_record(raw) {
            Ok(record) => self.repaired_record(raw, record, migrated),
            Err(err) => (self.salvaged_record(raw, &err), true),
        }
    }

    /// A readable record, repaired: invalid entries are dropped (the stored value kept as a
    /// backup); entries over a cap go as in normal use, reported without a backup (a backup of
    /// a record over the caps is what would not fit the quota).
    fn repaired_record(
        &mut self,
        raw: &Value,
        mut record: Record,
        migrated: bool,
    ) -> (Record, bool) {
        let issues = record.repair();
        let invalid: Vec<String> = issues
            .iter()
            .filter(|issue| !issue.over_cap)
            .map(|issue| format!("{}: {}", issue.path, issue.problem))
            .collect();
        if !invalid.is_empty() {
            self.backup(KEY_RECORD, raw.clone(), summary(&invalid));
        }
        for issue in issues.iter().filter(|issue| issue.over_cap) {
            self.problem(KEY_RECORD, format!("{}: {}", issue.path, issue.problem));
        }
        // A record stored as an object (not as text) is rewritten in the stored form.
        let changed = !issues.is_empty() || migrated || !raw.is_string();
        let backfilled = backfill_months(&mut record);
        (record, changed || backfilled)
    }

    /// An unreadable record: one entry of the wrong type fails the whole value, so every entry
    /// that can be read is kept ([`crate::transfer::salvage_record`]), and the stored value as
    /// a backup.
    fn salvaged_record(&mut self, raw: &Value, err: &str) -> Record {
        let err = brief_message(err);
        let (record, problem) = match crate::transfer::salvage_record(raw) {
            Some((record, issues)) => {
                let left_out: Vec<String> = issues
                    .iter()
                    .map(|issue| format!("{}: {}", issue.path, issue.problem))
                    .collect();
                let problem = format!(
                    "unreadable as a whole ({err}); kept what could be read ({} groups, {} \
                     incidents, {} adders), left out: {}; the stored value is kept as a backup",
                    record.left.len(),
                    record.incidents.len(),
                    record.adders.len(),
                    if left_out.is_empty() {
                        "nothing".to_string()
                    } else {
                        summary(&left_out)
                    }
                );
                (record, problem)
            }
            None => (
                Record::default(),
                format!("unreadable ({err}); kept as a backup, starting a fresh record"),
            ),
        };
        self.backup(KEY_RECORD, raw.clone(), problem);
        record
    }

    /// The imported packs (`raw`: none when a newer build wrote them, they were backed up);
    /// what fails validation is left out and the value kept as a backup. Only a stored value is
    /// written back (a store without imported packs keeps no key).
    fn packs(&mut self, raw: Option<&Value>) -> BTreeMap<Site, SitePack> {
        let packs = match raw {
            None => BTreeMap::new(),
            Some(raw) => {
                let (packs, issues) = decode_packs(raw);
                if !issues.is_empty() {
                    self.backup(KEY_PACKS, raw.clone(), summary(&issues));
                }
                packs
            }
        };
        if let Some(stored_packs) = self.stored.get(KEY_PACKS) {
            let value = to_value(&packs);
            if *stored_packs != value {
                self.report.writes.push(StorageWrite {
                    key: KEY_PACKS.into(),
                    value,
                });
            }
        }
        packs
    }

    /// Writes back the schema version, the settings and (when `record_changed`) the record
    /// where they differ from what is stored, so the next load finds the current shape.
    fn write_back(&mut self, settings: &Settings, record: &Record, record_changed: bool) {
        let mut back = vec![
            (KEY_SCHEMA_VERSION, json!(SCHEMA_VERSION)),
            (KEY_SETTINGS, to_value(settings)),
        ];
        if record_changed {
            back.push((KEY_RECORD, record_value(record)));
        }
        for (key, value) in back {
            if self.stored.get(key) != Some(&value) {
                self.report.writes.push(StorageWrite {
                    key: key.to_string(),
                    value,
                });
            }
        }
    }

    /// The decoded state with the backup keys there will be after the writes, and the report.
    fn finish(
        self,
        settings: Settings,
        record: Record,
        packs: BTreeMap<Site, SitePack>,
    ) -> (Loaded, LoadReport) {
        let backups = self
            .taken
            .iter()
            .filter(|key| key.starts_with(BACKUP_PREFIX))
            .cloned()
            .collect();
        let loaded = Loaded {
            settings,
            record,
            packs,
            backups,
        };
        (loaded, self.report)
    }
}

/// The imported packs in a stored `packs` value, each validated as on import; what could not
/// be used is described (`packs.<site id>: …`).
pub fn decode_packs(raw: &Value) -> (BTreeMap<Site, SitePack>, Vec<String>) {
    let mut packs = BTreeMap::new();
    let mut issues = Vec::new();
    let Value::Object(entries) = raw else {
        issues.push(format!(
            "{KEY_PACKS} is not an object; kept as a backup, using the bundled packs"
        ));
        return (packs, issues);
    };
    for (id, value) in entries {
        let Some(site) = Site::ALL.into_iter().find(|site| site.id() == id) else {
            // The key is the stored one, of any length.
            let id: String = brief_message(id).chars().take(40).collect();
            issues.push(format!("{KEY_PACKS}.{id}: unknown site, left out"));
            continue;
        };
        match SitePack::parse(&value.to_string()) {
            Ok(pack) if pack.site == site => {
                packs.insert(site, pack);
            }
            Ok(pack) => issues.push(format!(
                "{KEY_PACKS}.{id}: a pack for {}, left out",
                pack.site.id()
            )),
            Err(error) => issues.push(format!("{KEY_PACKS}.{id}: {error}, left out")),
        }
    }
    (packs, issues)
}

/// A failed storage write, with a message for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StorageError {
    /// The browser's storage for the extension is full.
    QuotaExceeded { key: String, bytes: usize },
    /// Any other failure, with the browser's message.
    Failed { key: String, message: String },
}

impl StorageError {
    /// Classifies the browser's error message for a write of `key` of about `bytes` bytes.
    /// Chromium says "QUOTA_BYTES quota exceeded", Firefox "QuotaExceededError".
    pub fn from_browser(key: &str, bytes: usize, message: &str) -> StorageError {
        if message.to_ascii_lowercase().contains("quota") {
            StorageError::QuotaExceeded {
                key: key.to_string(),
                bytes,
            }
        } else {
            StorageError::Failed {
                key: key.to_string(),
                message: message.chars().take(500).collect(),
            }
        }
    }
}

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StorageError::QuotaExceeded { key, bytes } => write!(
                f,
                "Ask First could not save \"{key}\" ({} KB): the browser's storage for this \
                 extension is full. Nothing was changed. Export your record, then delete old \
                 backups or forget groups on the options page.",
                bytes.div_ceil(1024)
            ),
            StorageError::Failed { key, message } => {
                write!(f, "Ask First could not save \"{key}\": {message}")
            }
        }
    }
}

impl std::error::Error for StorageError {}

/// Bytes a key and value take against the quota (Chromium counts the key plus the JSON text).
pub fn stored_size(key: &str, value: &Value) -> usize {
    key.len() + value.to_string().len()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(human_size(0, false), "0 B");
        assert_eq!(human_size(1023, false), "1023 B");
        assert_eq!(human_size(1024, false), "1 KB");
        assert_eq!(human_size(1025, false), "2 KB");
        assert_eq!(human_size(QUOTA_BYTES as u64, false), "10.0 MB");
        assert_eq!(human_size(1024 * 1024 * 3 / 2, true), "1,5 MB");
        assert_eq!(human_size(9 * 1024 * 1024 + 40, false), "9.0 MB");
    }

    #[test]
    fn the_quota_warning_starts_above_eighty_percent() {
        assert!(!near_quota(80, 100));
        assert!(near_quota(81, 100));
        assert!(!near_quota(0, 0), "no quota known: no warning");
        assert!(near_quota(u64::MAX, QUOTA_BYTES as u64));
    }

    use super::*;

    fn map(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => panic!("not an object"),
        }
    }

    fn write<'a>(report: &'a LoadReport, key: &str) -> Option<&'a Value> {
        report
            .writes
            .iter()
            .find(|w| w.key == key)
            .map(|w| &w.value)
    }

    #[test]
    fn fresh_install_writes_the_current_shape() {
        let (loaded, report) = load(&Map::new(), 1000.0);
        assert_eq!(report.found_version, None);
        assert!(report.problems.is_empty());
        assert_eq!(loaded.settings, Settings::default());
        assert_eq!(
            write(&report, KEY_SCHEMA_VERSION),
            Some(&json!(SCHEMA_VERSION))
        );
        assert!(write(&report, KEY_SETTINGS).is_some());
        assert_eq!(
            write(&report, KEY_RECORD),
            Some(&record_value(&Record::default()))
        );
    }

    #[test]
    fn a_current_store_loads_without_writes() {
        let (_, first) = load(&Map::new(), 1000.0);
        let mut stored = Map::new();
        for w in first.writes {
            stored.insert(w.key, w.value);
        }
        let (_, second) = load(&stored, 2000.0);
        assert_eq!(second.found_version, Some(SCHEMA_VERSION));
        assert!(second.writes.is_empty(), "{:?}", second.writes);
        assert!(second.problems.is_empty());
    }

    #[test]
    fn a_corrupt_record_is_backed_up_and_other_keys_kept() {
        let stored = map(json!({
            "schema_version": SCHEMA_VERSION,
            "settings": {"direct_threshold": 7},
            "record": "garbage",
            "someone_elses_key": 1
        }));
        let (loaded, report) = load(&stored, 1234.0);
        assert_eq!(loaded.settings.direct_threshold, 7);
        assert_eq!(loaded.record, Record::default());
        assert_eq!(report.problems.len(), 1);
        let problem = &report.problems[0];
        assert_eq!(problem.key, "record");
        assert_eq!(problem.backup_key.as_deref(), Some("backup.record.1234"));
        assert_eq!(
            write(&report, "backup.record.1234"),
            Some(&json!("garbage"))
        );
        assert!(report.removals.is_empty());
        assert!(report.writes.iter().all(|w| w.key != "someone_elses_key"));
        // Partial settings are written back complete, with the stored value kept.
        assert_eq!(write(&report, KEY_SETTINGS).unwrap()["direct_threshold"], 7);
        assert_eq!(loaded.backups, vec!["backup.record.1234".to_string()]);
    }

    #[test]
    fn a_half_broken_settings_value_keeps_its_good_fields() {
        let stored = map(json!({
            "schema_version": SCHEMA_VERSION,
            "settings": {"direct_threshold": 7, "invite_threshold": -3},
            "backup.settings.5": "older"
        }));
        let (loaded, report) = load(&stored, 5.0);
        assert_eq!(loaded.settings.direct_threshold, 7);
        assert_eq!(loaded.settings.invite_threshold, 20);
        // The existing backup is not overwritten.
        assert_eq!(
            report.problems[0].backup_key.as_deref(),
            Some("backup.settings.5-2")
        );
    }

    #[test]
    fn a_newer_schema_is_kept_as_backup() {
        let stored = map(json!({
            "schema_version": 9,
            "settings": {"from": "the future"},
            "record": {"also": "future"}
        }));
        let (loaded, report) = load(&stored, 77.0);
        assert_eq!(report.found_version, Some(9));
        assert_eq!(loaded.record, Record::default());
        assert_eq!(report.problems.len(), 2);
        assert!(report.problems[0].problem.contains("newer version"));
        assert_eq!(
            write(&report, "backup.settings.77"),
            Some(&json!({"from": "the future"}))
        );
        assert_eq!(
            write(&report, "backup.record.77"),
            Some(&json!({"also": "future"}))
        );
        assert_eq!(
            write(&report, KEY_SCHEMA_VERSION),
            Some(&json!(SCHEMA_VERSION))
        );
    }

    #[test]
    fn v0_is_migrated_with_a_backup() {
        let stored = map(json!({
            "left_groups": [
                {"site": "facebook", "group": "4711", "title": "Netzwerk", "left_at": 10.0, "readded": 3},
                {"site": "myspace", "group": "1", "left_at": 1.0},
            ],
            "threshold": 4
        }));
        let (loaded, report) = load(&stored, 99.0);
        assert_eq!(report.found_version, Some(0));
        assert_eq!(report.migrations, ["v0_to_v1", "v1_to_v2"]);
        assert_eq!(loaded.record.left.len(), 1);
        assert_eq!(loaded.record.left[0].readditions, 3);
        assert_eq!(loaded.settings.direct_threshold, 4);
        assert_eq!(report.problems.len(), 1);
        assert!(report.problems[0].problem.contains("left_groups[1]"));
        assert!(write(&report, "backup.v0.99").is_some());
        assert_eq!(report.removals, ["left_groups", "threshold"]);
    }

    fn newer_facebook_pack() -> Value {
        let mut pack = crate::pack::bundled_for(Site::Facebook).unwrap();
        pack.version += 1;
        to_value(&pack)
    }

    #[test]
    fn imported_packs_load_and_a_store_without_them_writes_no_key() {
        let (loaded, report) = load(&Map::new(), 1.0);
        assert!(loaded.packs.is_empty());
        assert!(write(&report, KEY_PACKS).is_none());
        let stored = map(json!({
            "schema_version": SCHEMA_VERSION,
            "settings": to_value(&Settings::default()),
            "record": record_value(&Record::default()),
            "packs": {"facebook": newer_facebook_pack()}
        }));
        let (loaded, report) = load(&stored, 2.0);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        assert!(report.writes.is_empty(), "{:?}", report.writes);
        assert_eq!(
            loaded.packs[&Site::Facebook].version,
            crate::pack::bundled_for(Site::Facebook).unwrap().version + 1
        );
    }

    #[test]
    fn malformed_packs_are_backed_up_and_dropped_the_good_ones_kept() {
        let mut hostile = newer_facebook_pack();
        hostile["dialogs"][0]["root"] = json!("<img src=x onerror=alert(1)>");
        let mut foreign = newer_facebook_pack();
        foreign["site"] = json!("slack");
        let slack = to_value(&crate::pack::bundled_for(Site::Slack).unwrap());
        for (raw, kept, problem) in [
            (json!("garbage"), 0, "not an object"),
            (
                json!({"facebook": hostile}),
                0,
                "packs.facebook: dialogs[0].root",
            ),
            (json!({"myspace": {}}), 0, "packs.myspace: unknown site"),
            (
                json!({"slack": foreign}),
                0,
                "packs.slack: hosts[0]: host does not belong",
            ),
            (
                json!({"facebook": newer_facebook_pack(), "whatsapp": 42}),
                1,
                "packs.whatsapp: not a valid pack",
            ),
        ] {
            let stored = map(json!({"schema_version": SCHEMA_VERSION, "packs": raw.clone()}));
            let (loaded, report) = load(&stored, 7.0);
            assert_eq!(loaded.packs.len(), kept, "{raw}");
            let found = report
                .problems
                .iter()
                .find(|p| p.key == KEY_PACKS)
                .unwrap_or_else(|| panic!("no problem reported for {raw}"));
            assert_eq!(found.backup_key.as_deref(), Some("backup.packs.7"));
            assert_eq!(write(&report, "backup.packs.7"), Some(&raw));
            assert_eq!(
                write(&report, KEY_PACKS),
                Some(&to_value(&loaded.packs)),
                "the good part is written back"
            );
            assert!(loaded.backups.contains(&"backup.packs.7".to_string()));
            assert!(found.problem.contains(problem), "{}", found.problem);
        }
        // A pack stored under another site's key is not that site's pack.
        let stored = map(json!({"schema_version": SCHEMA_VERSION, "packs": {"facebook": slack}}));
        let (loaded, report) = load(&stored, 8.0);
        assert!(loaded.packs.is_empty());
        assert!(report.problems[0].problem.contains("a pack for slack"));
    }

    #[test]
    fn a_migration_keeps_imported_packs() {
        let stored = map(json!({
            "schema_version": 1,
            "record": {"left": []},
            "packs": {"facebook": newer_facebook_pack()}
        }));
        let (loaded, report) = load(&stored, 4.0);
        assert!(!report.migrations.is_empty());
        assert_eq!(loaded.packs.len(), 1);
        assert!(
            write(&report, KEY_PACKS).is_none(),
            "unchanged, not rewritten"
        );
    }

    #[test]
    fn packs_from_a_newer_schema_are_kept_as_backup() {
        let stored = map(json!({
            "schema_version": 9,
            "packs": {"facebook": {"format": "future"}}
        }));
        let (loaded, report) = load(&stored, 3.0);
        assert!(loaded.packs.is_empty());
        assert_eq!(
            write(&report, "backup.packs.3"),
            Some(&json!({"facebook": {"format": "future"}}))
        );
    }

    #[test]
    fn a_record_over_the_caps_is_trimmed_without_a_backup() {
        use crate::model::{GroupRef, MAX_INCIDENTS, MAX_LEFT_GROUPS};
        let mut record = Record::default();
        // Groups left in reverse order: the first entries are the ones left most recently.
        let groups = MAX_LEFT_GROUPS + 7;
        let group = GroupRef::new(Site::Facebook, "g0").unwrap();
        record.left_group(&group, "Group 0", None, 1.0);
        let template = record.left.pop().unwrap();
        // Built directly: the ledger itself never lets the record grow past the cap.
        for i in 0..groups {
            let mut entry = template.clone();
            entry.key = format!("g{i}");
            entry.last_left = (groups - i) as f64 * 1000.0;
            entry.first_left = entry.last_left;
            record.left.push(entry);
        }
        for i in 0..MAX_INCIDENTS + 3 {
            record.incidents.push(crate::model::Incident {
                id: i as u64 + 1,
                kind: crate::model::IncidentKind::BulkAddWarned,
                site: Site::Slack,
                group: None,
                group_name: None,
                actor: None,
                count: 20,
                at: 5.0,
                seen: true,
            });
        }
        record.next_incident_id = MAX_INCIDENTS as u64 + 4;
        record.totals.insert(
            crate::model::IncidentKind::BulkAddWarned,
            MAX_INCIDENTS as u64 + 3,
        );
        let stored = map(json!({
            "schema_version": SCHEMA_VERSION,
            "settings": to_value(&Settings::default()),
            "record": record_value(&record),
        }));
        let (loaded, report) = load(&stored, 50.0);
        assert!(loaded.backups.is_empty(), "{:?}", report.problems);
        assert!(report.problems.iter().all(|p| p.backup_key.is_none()));
        assert_eq!(report.problems.len(), 2, "{:?}", report.problems);
        assert!(report.problems[0]
            .problem
            .contains("dropped the 7 groups left longest ago"));
        assert!(report.problems[1]
            .problem
            .contains("dropped the 3 oldest incidents"));
        assert_eq!(loaded.record.left.len(), MAX_LEFT_GROUPS);
        // The seven left longest ago are the last seven entries; the order of the rest is kept.
        assert_eq!(loaded.record.left[0].key, "g0");
        assert_eq!(
            loaded.record.left.last().unwrap().key,
            format!("g{}", MAX_LEFT_GROUPS - 1)
        );
        assert_eq!(loaded.record.incidents.len(), MAX_INCIDENTS);
        assert_eq!(loaded.record.incidents[0].id, 4);
        assert_eq!(
            loaded
                .record
                .total(crate::model::IncidentKind::BulkAddWarned),
            MAX_INCIDENTS as u64 + 3,
            "totals keep counting what was trimmed"
        );
        // Written back trimmed; the next load has nothing to do.
        let mut after = stored.clone();
        for w in report.writes {
            after.insert(w.key, w.value);
        }
        let (_, second) = load(&after, 60.0);
        assert!(second.writes.is_empty() && second.problems.is_empty());
    }

    #[test]
    fn a_stored_record_that_needs_nothing_is_not_written_back() {
        let mut record = Record::default();
        let group = crate::model::GroupRef::new(Site::Discord, "1/2").unwrap();
        record.left_group(&group, "Channel", None, 9.0);
        let mut raw = to_value(&record);
        // Fields with defaults may be missing in what is stored: still no write.
        raw.as_object_mut().unwrap().remove("recent_adds");
        let stored = map(json!({
            "schema_version": SCHEMA_VERSION,
            "settings": to_value(&Settings::default()),
            "record": raw.to_string(),
        }));
        let (loaded, report) = load(&stored, 1.0);
        assert_eq!(loaded.record, record);
        assert!(report.writes.is_empty(), "{:?}", report.writes);
    }

    #[test]
    fn quota_errors_are_clear() {
        let err = StorageError::from_browser("record", 5000, "QUOTA_BYTES quota exceeded");
        assert!(matches!(err, StorageError::QuotaExceeded { .. }));
        assert!(err.to_string().contains("full"));
        let other = StorageError::from_browser("record", 1, "disk on fire");
        assert!(other.to_string().contains("disk on fire"));
    }
}
