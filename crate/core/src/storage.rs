//! The storage schema: which keys `storage.local` holds, how older shapes are migrated, and what
//! happens to data that cannot be read.
//!
//! # Keys (schema version 1)
//!
//! | key | value |
//! |---|---|
//! | `schema_version` | the number [`SCHEMA_VERSION`] |
//! | `settings` | [`Settings`] as JSON |
//! | `record` | [`Record`] as JSON |
//! | `backup.<what>.<ms>` | a raw value that could not be used, kept for the user (see below) |
//!
//! Version 0 (the earliest builds, no `schema_version` key) kept a flat list under `left_groups`
//! and a single number under `threshold`; [`migrate_v0_to_v1`] turns them into `record` and
//! `settings`.
//!
//! Nothing is silently dropped: a value that cannot be read (or was written by a newer build) is
//! copied under a `backup.` key and only that one key starts fresh; every other key is kept.
//! The background is the only writer; it performs the [`StorageWrite`]s and removals a load or a
//! request returns, and acknowledges only after they resolved.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::model::{GroupRef, LeftGroup, Record};
use crate::settings::Settings;
use crate::site::Site;

/// The shape of the stored data this build writes.
pub const SCHEMA_VERSION: u32 = 1;
pub const KEY_SCHEMA_VERSION: &str = "schema_version";
pub const KEY_SETTINGS: &str = "settings";
pub const KEY_RECORD: &str = "record";
/// Prefix of every backup key: `backup.<what>.<ms since epoch>`.
pub const BACKUP_PREFIX: &str = "backup.";
/// Version 0's keys.
pub const V0_KEY_LEFT_GROUPS: &str = "left_groups";
pub const V0_KEY_THRESHOLD: &str = "threshold";
/// `storage.local`'s default quota in Chromium (bytes of JSON, keys included).
pub const QUOTA_BYTES: usize = 10 * 1024 * 1024;

/// One key to set in `storage.local`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StorageWrite {
    pub key: String,
    pub value: Value,
}

/// Something found while loading, for the options page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadProblem {
    pub key: String,
    pub problem: String,
    /// Where the raw value was kept, when it was.
    pub backup_key: Option<String>,
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
    /// The backup keys present after the load (the options page lists them).
    pub backups: Vec<String>,
}

/// One migration step: rewrites the stored map from version `n` to `n + 1` in place, returning
/// notes about entries it could not carry over (their raw values stay in the step's backup).
type Step = fn(&mut Map<String, Value>) -> Vec<String>;

/// `STEPS[n]` migrates version `n` to `n + 1`.
const STEPS: [(&str, Step); SCHEMA_VERSION as usize] = [("v0_to_v1", migrate_v0_to_v1)];

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
    })
}

fn to_value<T: Serialize>(value: &T) -> Value {
    // Our own types always serialise; `Null` would only mean a bug, and is then reported on load.
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A backup key for `what` that does not collide with any key in `taken`.
pub fn backup_key(what: &str, now: f64, taken: &Map<String, Value>) -> String {
    let stamp = if now.is_finite() && now >= 0.0 {
        format!("{}", now.trunc() as u64)
    } else {
        "0".into()
    };
    let base = format!("{BACKUP_PREFIX}{what}.{stamp}");
    let mut key = base.clone();
    let mut n = 2;
    while taken.contains_key(&key) {
        key = format!("{base}-{n}");
        n += 1;
    }
    key
}

/// Decodes everything stored, applying migrations and keeping unreadable values as backups.
pub fn load(stored: &Map<String, Value>, now: f64) -> (Loaded, LoadReport) {
    let mut report = LoadReport::default();
    // The keys as they will be after the writes: backups must not collide with each other.
    let mut map = stored.clone();
    let backup = |map: &mut Map<String, Value>,
                  report: &mut LoadReport,
                  what: &str,
                  raw: Value,
                  problem: String| {
        let key = backup_key(what, now, map);
        map.insert(key.clone(), raw.clone());
        report.writes.push(StorageWrite {
            key: key.clone(),
            value: raw,
        });
        report.problems.push(LoadProblem {
            key: what.to_string(),
            problem,
            backup_key: Some(key),
        });
    };

    let has_v0 = map.contains_key(V0_KEY_LEFT_GROUPS) || map.contains_key(V0_KEY_THRESHOLD);
    let version = match map.get(KEY_SCHEMA_VERSION) {
        None if has_v0 => Some(0),
        None if map.contains_key(KEY_SETTINGS) || map.contains_key(KEY_RECORD) => {
            report.problems.push(LoadProblem {
                key: KEY_SCHEMA_VERSION.into(),
                problem: "missing; the data is read as the current version".into(),
                backup_key: None,
            });
            Some(SCHEMA_VERSION)
        }
        None => None,
        Some(value) => match value.as_u64().and_then(|v| u32::try_from(v).ok()) {
            Some(v) => Some(v),
            None => {
                report.problems.push(LoadProblem {
                    key: KEY_SCHEMA_VERSION.into(),
                    problem: format!("not a version number ({value}); read as the current version"),
                    backup_key: None,
                });
                Some(SCHEMA_VERSION)
            }
        },
    };
    report.found_version = version;

    match version {
        Some(v) if v > SCHEMA_VERSION => {
            // A newer build wrote this (the extension was downgraded). Keep it all, start fresh.
            for key in [KEY_SETTINGS, KEY_RECORD] {
                if let Some(raw) = map.remove(key) {
                    backup(
                        &mut map,
                        &mut report,
                        key,
                        raw,
                        format!(
                            "written by a newer version of Ask First (schema {v}, this one reads \
                             {SCHEMA_VERSION}); kept as a backup, starting fresh"
                        ),
                    );
                }
            }
        }
        Some(v) if v < SCHEMA_VERSION => {
            // Keep the pre-migration values of the keys the steps touch.
            let mut before = Map::new();
            for key in [
                V0_KEY_LEFT_GROUPS,
                V0_KEY_THRESHOLD,
                KEY_SETTINGS,
                KEY_RECORD,
            ] {
                if let Some(value) = map.get(key) {
                    before.insert(key.to_string(), value.clone());
                }
            }
            let key = backup_key(&format!("v{v}"), now, &map);
            map.insert(key.clone(), Value::Object(before.clone()));
            report.writes.push(StorageWrite {
                key,
                value: Value::Object(before),
            });
            for (name, step) in STEPS.iter().skip(v as usize) {
                for note in step(&mut map) {
                    report.problems.push(LoadProblem {
                        key: (*name).to_string(),
                        problem: note,
                        backup_key: None,
                    });
                }
                report.migrations.push((*name).to_string());
            }
            for key in [V0_KEY_LEFT_GROUPS, V0_KEY_THRESHOLD] {
                if stored.contains_key(key) && !map.contains_key(key) {
                    report.removals.push(key.to_string());
                }
            }
        }
        _ => {}
    }

    // Settings: field by field; any field that had to be reset keeps the raw value as a backup.
    let settings = match map.get(KEY_SETTINGS).cloned() {
        None => Settings::default(),
        Some(raw) => {
            let (settings, issues) = Settings::from_value(&raw);
            if !issues.is_empty() {
                let list: Vec<String> = issues
                    .iter()
                    .map(|issue| format!("{}: {}", issue.field, issue.problem))
                    .collect();
                backup(&mut map, &mut report, KEY_SETTINGS, raw, list.join("; "));
            }
            settings
        }
    };

    let record = match map.get(KEY_RECORD).cloned() {
        None => Record::default(),
        Some(raw) => match serde_json::from_value::<Record>(raw.clone()) {
            Ok(mut record) => {
                let issues = record.repair();
                if !issues.is_empty() {
                    let list: Vec<String> = issues
                        .iter()
                        .map(|issue| format!("{}: {}", issue.path, issue.problem))
                        .collect();
                    backup(&mut map, &mut report, KEY_RECORD, raw, list.join("; "));
                }
                record
            }
            Err(err) => {
                backup(
                    &mut map,
                    &mut report,
                    KEY_RECORD,
                    raw,
                    format!("unreadable ({err}); kept as a backup, starting a fresh record"),
                );
                Record::default()
            }
        },
    };

    // Write back what differs from what is stored, so the next load finds the current shape.
    let version_value = json!(SCHEMA_VERSION);
    for (key, value) in [
        (KEY_SCHEMA_VERSION, version_value),
        (KEY_SETTINGS, to_value(&settings)),
        (KEY_RECORD, to_value(&record)),
    ] {
        if stored.get(key) != Some(&value) {
            report.writes.push(StorageWrite {
                key: key.to_string(),
                value,
            });
        }
    }

    let backups = map
        .keys()
        .filter(|key| key.starts_with(BACKUP_PREFIX))
        .cloned()
        .collect();
    (
        Loaded {
            settings,
            record,
            backups,
        },
        report,
    )
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

/// Checks writes against the quota, given the bytes in use now, before asking the browser.
pub fn check_quota(
    stored: &Map<String, Value>,
    writes: &[StorageWrite],
) -> Result<(), StorageError> {
    let mut sizes: std::collections::BTreeMap<&str, usize> = stored
        .iter()
        .map(|(key, value)| (key.as_str(), stored_size(key, value)))
        .collect();
    for write in writes {
        let size = stored_size(&write.key, &write.value);
        sizes.insert(&write.key, size);
        let total: usize = sizes.values().sum();
        if total > QUOTA_BYTES {
            return Err(StorageError::QuotaExceeded {
                key: write.key.clone(),
                bytes: size,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
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
        assert_eq!(write(&report, KEY_SCHEMA_VERSION), Some(&json!(1)));
        assert!(write(&report, KEY_SETTINGS).is_some());
        assert!(write(&report, KEY_RECORD).is_some());
    }

    #[test]
    fn a_current_store_loads_without_writes() {
        let (_, first) = load(&Map::new(), 1000.0);
        let mut stored = Map::new();
        for w in first.writes {
            stored.insert(w.key, w.value);
        }
        let (_, second) = load(&stored, 2000.0);
        assert_eq!(second.found_version, Some(1));
        assert!(second.writes.is_empty(), "{:?}", second.writes);
        assert!(second.problems.is_empty());
    }

    #[test]
    fn a_corrupt_record_is_backed_up_and_other_keys_kept() {
        let stored = map(json!({
            "schema_version": 1,
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
            "schema_version": 1,
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
        assert_eq!(write(&report, KEY_SCHEMA_VERSION), Some(&json!(1)));
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
        assert_eq!(report.migrations, ["v0_to_v1"]);
        assert_eq!(loaded.record.left.len(), 1);
        assert_eq!(loaded.record.left[0].readditions, 3);
        assert_eq!(loaded.settings.direct_threshold, 4);
        assert_eq!(report.problems.len(), 1);
        assert!(report.problems[0].problem.contains("left_groups[1]"));
        assert!(write(&report, "backup.v0.99").is_some());
        assert_eq!(report.removals, ["left_groups", "threshold"]);
    }

    #[test]
    fn quota_errors_are_clear() {
        let err = StorageError::from_browser("record", 5000, "QUOTA_BYTES quota exceeded");
        assert!(matches!(err, StorageError::QuotaExceeded { .. }));
        assert!(err.to_string().contains("full"));
        let other = StorageError::from_browser("record", 1, "disk on fire");
        assert!(other.to_string().contains("disk on fire"));
        let big = StorageWrite {
            key: "record".into(),
            value: json!("x".repeat(QUOTA_BYTES)),
        };
        assert!(check_quota(&Map::new(), &[big]).is_err());
        let small = StorageWrite {
            key: "record".into(),
            value: json!("x"),
        };
        assert!(check_quota(&Map::new(), &[small]).is_ok());
    }
}
