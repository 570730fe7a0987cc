//! The frozen storage dumps of every older schema version load into the current shape:
//! version 0 (the first builds) and version 1 (the record as a JSON object).

use ask_first_core::model::GroupRef;
use ask_first_core::router::Background;
use ask_first_core::site::Site;
use ask_first_core::storage::{self, SCHEMA_VERSION};
use serde_json::{Map, Value};

fn parse(text: &str) -> Map<String, Value> {
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => map,
        other => panic!("fixture is not an object: {other:?}"),
    }
}

fn dump() -> Map<String, Value> {
    parse(include_str!("fixtures/storage-v0.json"))
}

fn dump_v1() -> Map<String, Value> {
    parse(include_str!("fixtures/storage-v1.json"))
}

#[test]
fn v0_dump_migrates_to_the_current_schema() {
    let stored = dump();
    let (loaded, report) = storage::load(&stored, 1_750_000_000_000.0);
    assert_eq!(report.found_version, Some(0));
    assert_eq!(report.migrations, ["v0_to_v1", "v1_to_v2"]);

    let record = &loaded.record;
    assert_eq!(record.left.len(), 3);
    let fb = record
        .find_left(&GroupRef::new(Site::Facebook, "netzwerkerinnen.berlin").unwrap())
        .unwrap();
    assert_eq!(fb.name, "Netzwerker:innen Berlin");
    assert_eq!(fb.readditions, 4);
    assert_eq!(fb.first_left, 1_696_320_000_000.0);
    assert!(fb.is_out);
    let tg = record
        .find_left(&GroupRef::new(Site::Telegram, "-1001303328644").unwrap())
        .unwrap();
    assert_eq!(tg.name, "Startup Stammtisch");
    let wa = record
        .find_left(&GroupRef::from_title(Site::Whatsapp, "familie müller 🏡").unwrap())
        .unwrap();
    assert_eq!(wa.readditions, 1);
    assert_eq!(loaded.settings.direct_threshold, 6);

    // The two entries that could not be carried over are reported, and the raw v0 values are
    // kept under a backup key.
    assert_eq!(report.problems.len(), 2, "{:?}", report.problems);
    let backup = report
        .writes
        .iter()
        .find(|w| w.key.starts_with("backup.v0."))
        .expect("v0 backup");
    assert_eq!(backup.value["left_groups"], stored["left_groups"]);
    assert_eq!(report.removals, ["left_groups", "threshold"]);
    // Keys that are not Ask First's schema keys are left alone.
    assert!(report
        .writes
        .iter()
        .all(|w| w.key != "unrelated_key_of_another_version"));
    assert!(!report
        .removals
        .contains(&"unrelated_key_of_another_version".to_string()));
    let version = report
        .writes
        .iter()
        .find(|w| w.key == "schema_version")
        .unwrap();
    assert_eq!(version.value, SCHEMA_VERSION);
}

#[test]
fn after_migration_a_second_load_is_quiet() {
    let mut stored = dump();
    let (_, report) = storage::load(&stored, 1.0);
    for write in report.writes {
        stored.insert(write.key, write.value);
    }
    for key in report.removals {
        stored.remove(&key);
    }
    let (loaded, second) = storage::load(&stored, 2.0);
    assert_eq!(second.found_version, Some(SCHEMA_VERSION));
    assert!(second.migrations.is_empty());
    assert!(second.problems.is_empty(), "{:?}", second.problems);
    assert!(second.writes.is_empty(), "{:?}", second.writes);
    assert_eq!(loaded.record.left.len(), 3);
    assert_eq!(loaded.backups.len(), 1);
}

#[test]
fn the_background_starts_from_the_migrated_state() {
    let (background, _) = Background::load(&dump(), 1.0);
    assert_eq!(background.record().left.len(), 3);
    assert_eq!(background.settings().direct_threshold, 6);
}

#[test]
fn v1_dump_migrates_without_a_backup_and_keeps_everything() {
    let stored = dump_v1();
    let (loaded, report) = storage::load(&stored, 1_750_000_000_000.0);
    assert_eq!(report.found_version, Some(1));
    assert_eq!(report.migrations, ["v1_to_v2"]);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    // Re-encoding loses nothing, so no copy of the record is taken (it could exceed the quota).
    assert!(
        report.writes.iter().all(|w| !w.key.starts_with("backup.")),
        "{:?}",
        report.writes.iter().map(|w| &w.key).collect::<Vec<_>>()
    );
    // The record is the same as the v1 object said, now stored as text, with the monthly
    // totals its history shows (v1 had none): October 2023's re-addition by Jonas Weber and
    // November's ask-first message; the warning is not part of the picture.
    let mut v1_record: ask_first_core::model::Record =
        serde_json::from_value(stored["record"].clone()).unwrap();
    assert!(v1_record.monthly.is_empty());
    let months = &loaded.record.monthly;
    assert_eq!(months.keys().collect::<Vec<_>>(), ["2023-10", "2023-11"]);
    assert_eq!(months["2023-10"].readded, 1);
    assert_eq!(months["2023-10"].adders[0].name, "Jonas Weber");
    assert_eq!(months["2023-11"].asked, 1);
    v1_record.monthly = months.clone();
    assert_eq!(loaded.record, v1_record);
    assert_eq!(loaded.record.left.len(), 2);
    assert_eq!(loaded.record.incidents.len(), 3);
    let fb = loaded
        .record
        .find_left(&GroupRef::new(Site::Facebook, "netzwerkerinnen.berlin").unwrap())
        .unwrap();
    assert_eq!(fb.readditions, 1);
    assert_eq!(fb.adders.get("Jonas Weber"), Some(&1));
    assert_eq!(loaded.settings.direct_threshold, 6);
    let written = report
        .writes
        .iter()
        .find(|w| w.key == "record")
        .expect("the record is rewritten");
    let Value::String(text) = &written.value else {
        panic!("schema 2 stores the record as text: {}", written.value);
    };
    assert_eq!(
        serde_json::from_str::<ask_first_core::model::Record>(text).unwrap(),
        v1_record
    );
    assert_eq!(storage::record_value(&loaded.record), written.value);
    // The old backup and keys of other versions stay as they are.
    assert!(loaded
        .backups
        .contains(&"backup.v0.1696000000000".to_string()));
    assert!(report.removals.is_empty());
    assert!(report
        .writes
        .iter()
        .all(|w| w.key != "unrelated_key_of_another_extension_version"));

    // Applied, the next load is quiet.
    let mut after = stored.clone();
    for write in report.writes {
        after.insert(write.key, write.value);
    }
    let (again, second) = storage::load(&after, 1_750_000_000_001.0);
    assert_eq!(second.found_version, Some(SCHEMA_VERSION));
    assert!(second.writes.is_empty() && second.problems.is_empty());
    assert_eq!(again.record, v1_record);
}

#[test]
fn an_unreadable_v1_record_is_kept_as_a_backup_after_migration() {
    let mut stored = dump_v1();
    stored.insert("record".into(), serde_json::json!({"left": "not a list"}));
    let (loaded, report) = storage::load(&stored, 5.0);
    assert_eq!(report.migrations, ["v1_to_v2"]);
    assert_eq!(loaded.record, Default::default());
    let problem = report
        .problems
        .iter()
        .find(|p| p.key == "record")
        .expect("reported");
    let key = problem.backup_key.as_deref().expect("kept as a backup");
    let backup = report.writes.iter().find(|w| w.key == key).unwrap();
    // The backup holds what was stored (as text after the re-encoding), nothing lost.
    let kept: Value = match &backup.value {
        Value::String(text) => serde_json::from_str(text).unwrap(),
        other => other.clone(),
    };
    assert_eq!(kept, stored["record"]);
}
