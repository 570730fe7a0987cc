//! The frozen storage dump of schema version 0 (the first builds) loads into the current shape.

use ask_first_core::model::GroupRef;
use ask_first_core::router::Background;
use ask_first_core::site::Site;
use ask_first_core::storage::{self, SCHEMA_VERSION};
use serde_json::{Map, Value};

fn dump() -> Map<String, Value> {
    let text = include_str!("fixtures/storage-v0.json");
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => map,
        other => panic!("fixture is not an object: {other:?}"),
    }
}

#[test]
fn v0_dump_migrates_to_the_current_schema() {
    let stored = dump();
    let (loaded, report) = storage::load(&stored, 1_750_000_000_000.0);
    assert_eq!(report.found_version, Some(0));
    assert_eq!(report.migrations, ["v0_to_v1"]);

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
