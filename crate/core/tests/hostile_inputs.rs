//! Inputs the fuzzer (`cargo xtask fuzz`) found, each cut down to what made it fail, kept so the
//! fix stays fixed.

use ask_first_core::model::{Record, MAX_MESSAGE_CHARS};
use ask_first_core::pack::{PackProblem, SitePack};
use ask_first_core::settings::Settings;
use ask_first_core::storage;
use ask_first_core::transfer::{import, ImportMode};
use serde_json::{json, Map, Value};

fn long(unit: &str, chars: usize) -> String {
    unit.repeat(chars)
}

/// Fuzz `import` input #16 (seed 1): an incident whose kind was a 39,000-character string; the
/// report quoted all of it ("unreadable: unknown variant `ééé…`").
#[test]
fn an_unreadable_entry_is_reported_briefly() {
    let file = json!({
        "format": "ask-first-export",
        "version": 1,
        "record": {"incidents": [{"id": 0, "kind": long("é", 39_000), "site": "slack",
            "count": 1, "at": 1.0, "seen": true}]},
        "settings": {"language": long("<b>", 20_000), "direct_threshold": 3}
    });
    let imported = import(
        file.to_string().as_bytes(),
        ImportMode::Replace,
        &Settings::default(),
        &Record::default(),
    )
    .expect("the file is an export with bad entries");
    assert_eq!(
        imported.report.skipped.len(),
        2,
        "{:?}",
        imported.report.skipped
    );
    for issue in &imported.report.skipped {
        assert!(
            issue.problem.chars().count() <= MAX_MESSAGE_CHARS,
            "{}",
            issue.problem
        );
        assert!(
            issue.problem.starts_with("unreadable: "),
            "{}",
            issue.problem
        );
    }
    // The end of serde's message, which says what was expected, survives.
    assert!(imported.report.skipped[0]
        .problem
        .contains("expected one of"));
    assert_eq!(imported.settings.direct_threshold, 3);
}

/// Fuzz `pack` input #49 (seed 1): an unknown member whose name was 114,000 characters long;
/// the refusal quoted it whole.
#[test]
fn a_pack_refusal_is_brief() {
    let mut pack: Value = serde_json::from_str(ask_first_core::pack::BUNDLED_SOURCES[0].2).unwrap();
    pack[long("template-9223372036854775809", 4_000)] = json!(1);
    let err = SitePack::parse(&pack.to_string()).unwrap_err();
    let PackProblem::UnknownField(field) = &err.problem else {
        panic!("{err}");
    };
    assert!(field.chars().count() <= MAX_MESSAGE_CHARS, "{field}");
    assert!(field.starts_with("template-922"), "{field}");
    assert!(
        err.to_string().chars().count() < 2 * MAX_MESSAGE_CHARS,
        "{err}"
    );
}

/// The same on load: an unreadable record is kept as a backup, and the problem stays short.
#[test]
fn an_unreadable_stored_record_is_reported_briefly() {
    let mut stored = Map::new();
    stored.insert("schema_version".into(), json!(1));
    stored.insert("record".into(), json!({"left": long("x", 50_000)}));
    stored.insert("settings".into(), json!({"templates": long("y", 50_000)}));
    let (_, report) = storage::load(&stored, 5.0);
    assert_eq!(report.problems.len(), 2, "{:?}", report.problems);
    for problem in &report.problems {
        // The parser's message is brief; the rest says what was kept and where.
        assert!(
            problem.problem.chars().count() <= 1_000,
            "{}",
            problem.problem
        );
        assert!(problem.backup_key.is_some());
    }
}

/// Fuzz `import` input #476 (seed 1): one incident id changed to 2^53 + 1 in the middle of the
/// history. Repair dropped every later incident ("ids out of order"), then raised the next id
/// beyond 2^53, so a second repair renumbered: the imported record was not a fixed point.
#[test]
fn one_corrupt_incident_id_loses_nothing_and_repair_settles() {
    use ask_first_core::model::IncidentKind;
    use ask_first_core::site::Site;
    let mut record = Record::default();
    for i in 0..6 {
        record.add_incident(
            IncidentKind::BulkAddWarned,
            Site::Slack,
            None,
            None,
            i,
            f64::from(i),
        );
    }
    record.incidents[1].id = (1 << 53) + 1;
    let file = json!({"format": "ask-first-export", "version": 1, "record": record});
    for mode in [ImportMode::Replace, ImportMode::Merge] {
        let imported = import(
            file.to_string().as_bytes(),
            mode,
            &Settings::default(),
            &Record::default(),
        )
        .unwrap();
        let mut again = imported.record.clone();
        assert_eq!(again.repair(), [], "{mode:?}");
        assert_eq!(again, imported.record);
        let counts: Vec<u32> = imported.record.incidents.iter().map(|i| i.count).collect();
        assert_eq!(
            counts,
            [0, 1, 2, 3, 4, 5],
            "{mode:?}: every incident kept, in order"
        );
        let ids: Vec<u64> = imported.record.incidents.iter().map(|i| i.id).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
        assert!(imported.record.next_incident_id > *ids.last().unwrap());
        assert!(imported.record.next_incident_id <= 1 << 53);
    }
    // An id out of step that is not huge keeps the others' ids.
    let mut record = record.clone();
    record.incidents[1].id = 1_000;
    let issues = record.repair();
    assert_eq!(issues.len(), 5, "{issues:?}");
    let ids: Vec<u64> = record.incidents.iter().map(|i| i.id).collect();
    assert_eq!(ids, [0, 1_000, 1_001, 1_002, 1_003, 1_004]);
    assert_eq!(record.next_incident_id, 1_005);
    assert_eq!(record.repair(), []);
}

/// Fuzz `pack` input #14226 (seed 1): a language key of 4,400 characters; the refusal's path
/// quoted it whole.
#[test]
fn a_long_language_key_is_named_by_its_start() {
    let mut pack: Value = serde_json::from_str(ask_first_core::pack::BUNDLED_SOURCES[0].2).unwrap();
    pack["dialogs"][0]["confirm"]["text"]["{n}".repeat(1_500)] = json!(["x"]);
    let err = SitePack::parse(&pack.to_string()).unwrap_err();
    assert_eq!(err.problem, PackProblem::BadLanguage);
    assert_eq!(err.path, "dialogs[0].confirm.text.{n}{n}{n}{n}…");
    assert!(err.to_string().chars().count() < 100, "{err}");
}

/// A 3 MB file of 15,000 distinct incidents and 12,000 adders, merged: the duplicate checks
/// compared every entry with every other (about 0.9 s of CPU in release, seconds in the
/// browser; in a debug build ten times as long as reading the file). With lookups by key a
/// merge costs little more than reading.
#[test]
fn merging_a_large_file_is_linear() {
    let incidents: Vec<Value> = (0..15_000)
        .map(|i| {
            json!({"id": i, "kind": "bulk_add_warned", "site": "slack", "count": i % 1000,
            "at": 1e12 + f64::from(i), "seen": true})
        })
        .collect();
    let adders: Vec<Value> = (0..12_000)
        .map(|i| {
            json!({"site": "slack", "name": format!("A{i}"), "readditions": 1,
            "reinvitations": 0, "groups": {}, "last_at": 1.0})
        })
        .collect();
    let file = json!({"format": "ask-first-export", "version": 1, "record": {
        "incidents": incidents, "adders": adders, "next_incident_id": 15_000,
        "totals": {"bulk_add_warned": 15_000}}});
    let text = file.to_string();
    // Reading the file alone (replace) is the yardstick: a merge may add little to it.
    let started = std::time::Instant::now();
    let replaced = import(
        text.as_bytes(),
        ImportMode::Replace,
        &Settings::default(),
        &Record::default(),
    )
    .unwrap();
    let read = started.elapsed();
    let started = std::time::Instant::now();
    let imported = import(
        text.as_bytes(),
        ImportMode::Merge,
        &Settings::default(),
        &Record::default(),
    )
    .unwrap();
    let merged = started.elapsed();
    assert_eq!(imported.record.incidents.len(), 2_000);
    assert_eq!(imported.record.adders.len(), 5_000);
    assert_eq!(replaced.record.adders.len(), 5_000);
    assert!(
        merged.as_secs_f64() < 3.0 * read.as_secs_f64() + 0.5,
        "merge {merged:?}, reading alone {read:?}"
    );
    // The same file again adds nothing.
    let again = import(
        file.to_string().as_bytes(),
        ImportMode::Merge,
        &imported.settings,
        &imported.record,
    )
    .unwrap();
    assert_eq!(again.record.incidents.len(), 2_000);
    assert_eq!(again.record.adders, imported.record.adders);
}
