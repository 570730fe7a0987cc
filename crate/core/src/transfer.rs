//! Export and import of the settings and the record, as one JSON file.
//!
//! Import is a pure function: it reads the file, checks every part, and returns the new state
//! with a report of what was taken and what was skipped, or an error. On error nothing changes,
//! because nothing was changed: the caller stores the result only when it got one.
//!
//! Layer: format (imports the leaves, the domain and other formats; the map is in `lib.rs`).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::ledger::{check_adder, check_incident, check_left};
use crate::model::{
    brief_message, AdderStats, Incident, IncidentKind, LeftGroup, Record, RecordIssue,
    MAX_EVENT_IDS, MAX_INCIDENTS, MAX_LEFT_GROUPS,
};
use crate::pack::SitePack;
use crate::settings::{SettingIssue, Settings};
use crate::site::Site;

pub mod packs;

/// Marks a file as an Ask First export.
pub const EXPORT_FORMAT: &str = "ask-first-export";
/// The export format this build writes and the newest it reads.
pub const EXPORT_VERSION: u32 = 1;
/// Largest file accepted for import.
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;

/// The exported file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportFile {
    pub format: String,
    pub version: u32,
    /// Milliseconds since the epoch.
    pub exported_at: f64,
    pub settings: Settings,
    pub record: Record,
    /// The site packs the user imported, site id → pack ([`packs`]; absent: none).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub packs: BTreeMap<Site, SitePack>,
}

/// The export as pretty JSON text.
pub fn export(settings: &Settings, record: &Record, now: f64) -> String {
    export_with_packs(settings, record, &BTreeMap::new(), now)
}

/// The export with the site packs the user imported.
pub fn export_with_packs(
    settings: &Settings,
    record: &Record,
    packs: &BTreeMap<Site, SitePack>,
    now: f64,
) -> String {
    let file = ExportFile {
        format: EXPORT_FORMAT.into(),
        version: EXPORT_VERSION,
        exported_at: now,
        settings: settings.clone(),
        record: record.clone(),
        packs: packs.clone(),
    };
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

/// Whether an import adds to what is there or replaces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    /// Keep what is there and add the file's entries (counts take the larger value); settings
    /// stay, trusted groups and adders are joined.
    Merge,
    /// The file's settings and record replace the current ones.
    Replace,
}

/// Why an import was refused as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ImportError {
    TooLarge { bytes: usize, limit: usize },
    NotJson { detail: String },
    NotAnExport,
    NewerVersion { found: u64, supported: u32 },
    Malformed { detail: String },
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::TooLarge { bytes, limit } => write!(
                f,
                "the file is {} KB; Ask First imports at most {} KB",
                bytes.div_ceil(1024),
                limit / 1024
            ),
            ImportError::NotJson { detail } => write!(f, "the file is not JSON: {detail}"),
            ImportError::NotAnExport => write!(f, "the file is not an Ask First export"),
            ImportError::NewerVersion { found, supported } => write!(
                f,
                "the file comes from a newer Ask First (format {found}; this one reads up to \
                 {supported}); update the extension first"
            ),
            ImportError::Malformed { detail } => write!(f, "the file is damaged: {detail}"),
        }
    }
}

impl std::error::Error for ImportError {}

/// What an import took and skipped.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ImportReport {
    pub mode: Option<ImportMode>,
    /// Entries taken per part (`left`, `incidents`, `adders`, `trusted_groups`, …).
    pub taken: BTreeMap<String, u32>,
    /// Entries or fields left out, by path, with the reason.
    pub skipped: Vec<RecordIssue>,
    /// Whether the file's settings were used.
    pub settings_taken: bool,
}

/// The state after an import.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub settings: Settings,
    pub record: Record,
    pub report: ImportReport,
    /// The file's site packs that passed ([`packs`]); `None` when the file has no packs part.
    pub packs: Option<BTreeMap<Site, SitePack>>,
}

/// Reads an export and returns the new state. Never panics, on any bytes.
pub fn import(
    bytes: &[u8],
    mode: ImportMode,
    current_settings: &Settings,
    current_record: &Record,
) -> Result<Imported, ImportError> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge {
            bytes: bytes.len(),
            limit: MAX_IMPORT_BYTES,
        });
    }
    // The file is never parsed into a `Value` tree: a tree costs up to a hundred times the text
    // (a one-member object is a B-tree node of about 600 bytes), so a crafted 5 MB file could
    // take half a gigabyte. It is checked once for syntax, then read as raw members and each
    // entry decoded straight into its type.
    let not_json = |err: &dyn std::fmt::Display| ImportError::NotJson {
        detail: brief_message(&err.to_string()),
    };
    let text = std::str::from_utf8(bytes).map_err(|err| not_json(&err))?;
    serde_json::from_str::<IgnoredAny>(text).map_err(|err| not_json(&err))?;
    let Ok(file) = serde_json::from_str::<Members>(text) else {
        return Err(ImportError::NotAnExport);
    };
    if file
        .get("format")
        .and_then(|raw| serde_json::from_str::<String>(raw.get()).ok())
        .as_deref()
        != Some(EXPORT_FORMAT)
    {
        return Err(ImportError::NotAnExport);
    }
    match file
        .get("version")
        .and_then(|raw| serde_json::from_str::<u64>(raw.get()).ok())
    {
        Some(v) if v >= 1 && v <= u64::from(EXPORT_VERSION) => {}
        Some(v) if v > u64::from(EXPORT_VERSION) => {
            return Err(ImportError::NewerVersion {
                found: v,
                supported: EXPORT_VERSION,
            })
        }
        _ => {
            return Err(ImportError::Malformed {
                detail: "no valid format version".into(),
            })
        }
    }

    let mut report = ImportReport {
        mode: Some(mode),
        ..ImportReport::default()
    };
    let imported_settings = match file.get("settings").map(|raw| raw.get()) {
        None | Some("null") => None,
        Some(raw) => {
            let Ok(members) = serde_json::from_str::<Members>(raw) else {
                return Err(ImportError::Malformed {
                    detail: "settings are not an object".into(),
                });
            };
            let (settings, issues) = Settings::from_raw_fields(&members);
            report
                .skipped
                .extend(issues.into_iter().map(|SettingIssue { field, problem }| {
                    RecordIssue::invalid(format!("settings.{field}"), problem)
                }));
            Some(settings)
        }
    };
    let imported_record = match file.get("record").map(|raw| raw.get()) {
        None | Some("null") => Record::default(),
        Some(raw) => match serde_json::from_str::<Members>(raw) {
            Ok(members) => read_record(&members, &mut report, false)?,
            Err(_) => {
                return Err(ImportError::Malformed {
                    detail: "record is not an object".into(),
                })
            }
        },
    };

    let (settings, mut record) = match mode {
        ImportMode::Replace => {
            report.settings_taken = imported_settings.is_some();
            (
                imported_settings.unwrap_or_else(|| current_settings.clone()),
                imported_record,
            )
        }
        ImportMode::Merge => {
            let mut settings = current_settings.clone();
            if let Some(theirs) = imported_settings {
                let groups = theirs.trusted_groups.len();
                let adders = theirs.trusted_adders.len();
                settings.trusted_groups.extend(theirs.trusted_groups);
                settings.trusted_adders.extend(theirs.trusted_adders);
                // Duplicates and overflow are dropped by validation, which is not a problem here.
                let _ = settings.validate();
                report.taken.insert(
                    "trusted_groups".into(),
                    u32::try_from(groups).unwrap_or(u32::MAX),
                );
                report.taken.insert(
                    "trusted_adders".into(),
                    u32::try_from(adders).unwrap_or(u32::MAX),
                );
            }
            (settings, merge(current_record, imported_record))
        }
    };
    report.skipped.extend(record.repair());
    let packs = packs::read(file.get("packs").copied(), &mut report);
    Ok(Imported {
        settings,
        record,
        report,
        packs,
    })
}

/// An object's members as raw JSON text (borrowed from the file).
type Members<'a> = BTreeMap<String, &'a RawValue>;

/// Decodes the record part entry by entry: a bad entry is skipped, a bad shape fails (or, when
/// salvaging, is reported and read as empty).
fn read_record(
    raw: &Members,
    report: &mut ImportReport,
    salvage: bool,
) -> Result<Record, ImportError> {
    let mut record = Record::default();
    // A part of the wrong shape: an error, or when salvaging a skipped part.
    let shape = |report: &mut ImportReport, part: &str, what: &str| {
        if salvage {
            report
                .skipped
                .push(RecordIssue::invalid(format!("record.{part}"), what));
            Ok(())
        } else {
            Err(ImportError::Malformed {
                detail: format!("record.{part} {what}"),
            })
        }
    };
    let list = |report: &mut ImportReport, key: &str| -> Result<Vec<&RawValue>, ImportError> {
        match raw.get(key).map(|value| serde_json::from_str(value.get())) {
            None => Ok(Vec::new()),
            Some(Ok(items)) => Ok(items),
            Some(Err(_)) => shape(report, key, "is not a list").map(|()| Vec::new()),
        }
    };
    fn entries<T: serde::de::DeserializeOwned>(
        items: &[&RawValue],
        part: &str,
        check: fn(&T) -> Result<(), String>,
        report: &mut ImportReport,
    ) -> Vec<T> {
        let mut kept = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let path = format!("record.{part}[{index}]");
            match serde_json::from_str::<T>(item.get()) {
                Ok(entry) => match check(&entry) {
                    Ok(()) => kept.push(entry),
                    Err(problem) => report.skipped.push(RecordIssue::invalid(path, problem)),
                },
                Err(err) => report.skipped.push(RecordIssue::invalid(
                    path,
                    brief_message(&format!("unreadable: {err}")),
                )),
            }
        }
        let count = u32::try_from(kept.len()).unwrap_or(u32::MAX);
        report.taken.insert(part.to_string(), count);
        kept
    }
    let items = list(report, "left")?;
    record.left = entries::<LeftGroup>(&items, "left", check_left, report);
    let items = list(report, "incidents")?;
    record.incidents = entries::<Incident>(&items, "incidents", check_incident, report);
    let items = list(report, "adders")?;
    record.adders = entries::<AdderStats>(&items, "adders", check_adder, report);
    let items = list(report, "recent_adds")?;
    record.recent_adds = entries(&items, "recent_adds", |_| Ok(()), report);
    let items = list(report, "agreed")?;
    record.agreed = entries(&items, "agreed", crate::agreed::check_agreement, report);
    if let Some(value) = raw.get("next_incident_id") {
        match serde_json::from_str::<u64>(value.get()) {
            Ok(next) => record.next_incident_id = next,
            Err(_) => shape(report, "next_incident_id", "is not a count")?,
        }
    }
    if let Some(months) = raw.get("monthly") {
        match serde_json::from_str::<crate::model::Monthly>(months.get()) {
            Ok(mut months) => {
                for (path, problem, _) in crate::monthly::repair(&mut months) {
                    report
                        .skipped
                        .push(RecordIssue::invalid(format!("record.{path}"), problem));
                }
                record.monthly = months;
            }
            Err(_) => shape(report, "monthly", "is not a list of months")?,
        }
    }
    if let Some(totals) = raw.get("totals") {
        match serde_json::from_str::<Members>(totals.get()) {
            Err(_) => shape(report, "totals", "is not an object")?,
            Ok(totals) => {
                for (name, count) in totals {
                    let kind = serde_json::from_value::<IncidentKind>(Value::String(name.clone()));
                    match (kind, serde_json::from_str::<u64>(count.get())) {
                        (Ok(kind), Ok(count)) => {
                            record.totals.insert(kind, count);
                        }
                        _ => report.skipped.push(RecordIssue::invalid(
                            format!(
                                "record.totals.{}",
                                name.chars().take(50).collect::<String>()
                            ),
                            "unknown kind or not a count",
                        )),
                    }
                }
            }
        }
    }
    if record.monthly.is_empty() {
        // A file from before monthly totals: the months its history still shows.
        record.monthly = crate::monthly::from_history(&record.incidents, 0);
    }
    Ok(record)
}

/// What can be read of a stored record that does not decode as a whole (one entry of the wrong
/// type fails it all): every entry that decodes and passes its checks, as an import reads a
/// file, repaired. `None` when it is not even an object (or the JSON text of one). The issues
/// name what was left out.
pub fn salvage_record(raw: &Value) -> Option<(Record, Vec<RecordIssue>)> {
    let text;
    let text = match raw {
        Value::String(stored) => stored.as_str(),
        other => {
            text = serde_json::to_string(other).ok()?;
            text.as_str()
        }
    };
    let members = serde_json::from_str::<Members>(text).ok()?;
    let mut report = ImportReport::default();
    let mut record = read_record(&members, &mut report, true).ok()?;
    let mut issues = report.skipped;
    issues.extend(record.repair());
    Some((record, issues))
}

/// Joins two records: per group and per adder the larger counts win, incidents are joined
/// without duplicates and renumbered after the current ones.
pub fn merge(current: &Record, theirs: Record) -> Record {
    // Lookups by key, so that merging a file of tens of thousands of entries stays linear.
    let mut merged = current.clone();
    merged.agreed = crate::agreed::merge(&current.agreed, theirs.agreed);
    let mut groups: HashMap<(Site, String), usize> = merged
        .left
        .iter()
        .enumerate()
        .map(|(index, mine)| ((mine.site, mine.key.clone()), index))
        .collect();
    for entry in theirs.left {
        match groups.get(&(entry.site, entry.key.clone())) {
            Some(&index) => merge_left(&mut merged.left[index], entry),
            None if merged.left.len() < MAX_LEFT_GROUPS => {
                groups.insert((entry.site, entry.key.clone()), merged.left.len());
                merged.left.push(entry);
            }
            None => {}
        }
    }

    // Two incidents are the same event when everything but the id and `seen` agrees.
    let same = |incident: &Incident| {
        (
            incident.kind,
            incident.site,
            incident.group.clone(),
            incident.actor.clone(),
            incident.count,
            // Times are finite (checked); 0.0 and -0.0 are one time.
            if incident.at == 0.0 {
                0
            } else {
                incident.at.to_bits()
            },
        )
    };
    let mut incidents = merged.incidents.clone();
    let mut seen: HashSet<_> = incidents.iter().map(same).collect();
    for incident in theirs.incidents {
        if seen.insert(same(&incident)) {
            incidents.push(incident);
        }
    }
    incidents.sort_by(|a, b| a.at.total_cmp(&b.at));
    let excess = incidents.len().saturating_sub(MAX_INCIDENTS);
    incidents.drain(..excess);
    let mut next = current.next_incident_id.max(theirs.next_incident_id);
    for incident in &mut incidents {
        incident.id = next;
        next = next.saturating_add(1);
    }
    merged.incidents = incidents;
    merged.next_incident_id = next;

    for (kind, count) in theirs.totals {
        let total = merged.totals.entry(kind).or_insert(0);
        *total = (*total).max(count);
    }
    crate::monthly::merge(&mut merged.monthly, &theirs.monthly);

    let mut adders: HashMap<(Site, String), usize> = merged
        .adders
        .iter()
        .enumerate()
        .map(|(index, mine)| ((mine.site, mine.name.clone()), index))
        .collect();
    for stats in theirs.adders {
        match adders.get(&(stats.site, stats.name.clone())) {
            Some(&index) => {
                let mine = &mut merged.adders[index];
                mine.readditions = mine.readditions.max(stats.readditions);
                mine.reinvitations = mine.reinvitations.max(stats.reinvitations);
                mine.last_at = mine.last_at.max(stats.last_at);
                for (key, count) in stats.groups {
                    let slot = mine.groups.entry(key).or_insert(0);
                    *slot = (*slot).max(count);
                }
            }
            None => {
                adders.insert((stats.site, stats.name.clone()), merged.adders.len());
                merged.adders.push(stats);
            }
        }
    }
    merged
}

fn merge_left(mine: &mut LeftGroup, theirs: LeftGroup) {
    // The side that saw the latest leave knows the current state of membership.
    if theirs.last_left > mine.last_left {
        mine.name = theirs.name;
        mine.is_out = theirs.is_out;
        mine.flagging = theirs.flagging;
        if theirs.url.is_some() {
            mine.url = theirs.url;
        }
    }
    mine.confirmed |= theirs.confirmed;
    mine.first_left = mine.first_left.min(theirs.first_left);
    mine.last_left = mine.last_left.max(theirs.last_left);
    mine.times_left = mine.times_left.max(theirs.times_left);
    mine.readditions = mine.readditions.max(theirs.readditions);
    mine.reinvitations = mine.reinvitations.max(theirs.reinvitations);
    mine.last_readded = match (mine.last_readded, theirs.last_readded) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    for (name, count) in theirs.adders {
        let slot = mine.adders.entry(name).or_insert(0);
        *slot = (*slot).max(count);
    }
    for event in theirs.events {
        if !mine.events.contains(&event) {
            mine.events.push(event);
        }
    }
    let excess = mine.events.len().saturating_sub(MAX_EVENT_IDS);
    mine.events.drain(..excess);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::GroupRef;
    use crate::site::Site;
    use serde_json::json;

    fn sample() -> (Settings, Record) {
        let mut record = Record::default();
        let group = GroupRef::new(Site::Facebook, "4711").unwrap();
        record.left_group(&group, "Netzwerk", None, 10.0);
        record.seen_readded(&group, "m1", Some("Max"), false, 20.0);
        record.add_incident(
            IncidentKind::BulkAddWarned,
            Site::Slack,
            None,
            None,
            9,
            30.0,
        );
        let mut settings = Settings {
            direct_threshold: 3,
            ..Settings::default()
        };
        settings.trusted_groups.push(group);
        (settings, record)
    }

    #[test]
    fn export_then_replace_is_the_identity() {
        let (settings, record) = sample();
        let text = export(&settings, &record, 99.0);
        let imported = import(
            text.as_bytes(),
            ImportMode::Replace,
            &Settings::default(),
            &Record::default(),
        )
        .unwrap();
        assert_eq!(imported.record, record);
        assert_eq!(imported.settings, settings);
        assert!(imported.report.skipped.is_empty(), "{:?}", imported.report);
        assert_eq!(imported.report.taken["left"], 1);
        assert!(imported.report.settings_taken);
    }

    #[test]
    fn whole_file_errors() {
        let (settings, record) = sample();
        let big = vec![b' '; MAX_IMPORT_BYTES + 1];
        for (bytes, expected) in [
            (&big[..], "too_large"),
            (&b"{"[..], "not_json"),
            (&b"[]"[..], "not_an_export"),
            (&br#"{"format":"other","version":1}"#[..], "not_an_export"),
            (
                &br#"{"format":"ask-first-export","version":7}"#[..],
                "newer_version",
            ),
            (&br#"{"format":"ask-first-export"}"#[..], "malformed"),
            (
                &br#"{"format":"ask-first-export","version":1,"record":{"left":5}}"#[..],
                "malformed",
            ),
            (
                &br#"{"format":"ask-first-export","version":1,"record":[]}"#[..],
                "malformed",
            ),
        ] {
            let err = import(bytes, ImportMode::Merge, &settings, &record).unwrap_err();
            assert_eq!(serde_json::to_value(&err).unwrap()["code"], expected);
            assert!(!err.to_string().is_empty());
        }
    }

    #[test]
    fn bad_entries_are_skipped_with_reasons() {
        let file = json!({
            "format": "ask-first-export",
            "version": 1,
            "settings": {"direct_threshold": 0},
            "record": {
                "left": [
                    {"site": "facebook", "key": "1", "name": "Good", "url": null, "first_left": 1.0,
                     "last_left": 2.0, "times_left": 1, "readditions": 0, "last_readded": null,
                     "reinvitations": 0, "adders": {}, "is_out": true, "flagging": true, "events": []},
                    {"site": "facebook", "key": "feed", "name": "Reserved", "url": null, "first_left": 1.0,
                     "last_left": 2.0, "times_left": 1, "readditions": 0, "last_readded": null,
                     "reinvitations": 0, "adders": {}, "is_out": true, "flagging": true, "events": []},
                    {"site": "nowhere"}
                ],
                "totals": {"re_added": 3, "stolen": 1}
            }
        });
        let imported = import(
            file.to_string().as_bytes(),
            ImportMode::Replace,
            &Settings::default(),
            &Record::default(),
        )
        .unwrap();
        assert_eq!(imported.record.left.len(), 1);
        assert_eq!(imported.record.total(IncidentKind::ReAdded), 3);
        let paths: Vec<&str> = imported
            .report
            .skipped
            .iter()
            .map(|s| s.path.as_str())
            .collect();
        assert_eq!(
            paths,
            [
                "settings.direct_threshold",
                "record.left[1]",
                "record.left[2]",
                "record.totals.stolen"
            ]
        );
        assert_eq!(imported.settings.direct_threshold, 5);
    }

    #[test]
    fn merge_keeps_both_and_takes_larger_counts() {
        let (settings, record) = sample();
        let text = export(&settings, &record, 99.0);
        let mut mine = Record::default();
        let group = GroupRef::new(Site::Facebook, "4711").unwrap();
        mine.left_group(&group, "Netzwerk", None, 5.0);
        let other = GroupRef::new(Site::Telegram, "@club").unwrap();
        mine.left_group(&other, "Club", None, 6.0);
        let mine_settings = Settings::default();
        let imported = import(text.as_bytes(), ImportMode::Merge, &mine_settings, &mine).unwrap();
        let merged = imported.record;
        assert_eq!(merged.left.len(), 2);
        let entry = merged.find_left(&group).unwrap();
        assert_eq!(entry.first_left, 5.0);
        assert_eq!(entry.readditions, 1);
        assert_eq!(entry.adders["Max"], 1);
        assert_eq!(merged.incidents.len(), 2);
        // Settings stay; trusted lists are joined.
        assert_eq!(imported.settings.direct_threshold, 5);
        assert_eq!(imported.settings.trusted_groups, vec![group]);
        // Merging the same file twice changes nothing more.
        let again = import(
            text.as_bytes(),
            ImportMode::Merge,
            &imported.settings,
            &merged,
        )
        .unwrap();
        assert_eq!(again.record.incidents.len(), 2);
        assert_eq!(again.record.left, merged.left);
        assert_eq!(again.record.totals, merged.totals);
    }
}
