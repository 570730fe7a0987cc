//! Storage pre-filled with malformed shapes: `storage::load` must never panic, must end in a
//! usable state, keep every value it could not read as a backup, say what happened, and settle
//! (a second load finds nothing more to do).
//!
//! Each shape is one entry of [`shapes`]: a name, the stored map, and the expected outcome
//! (found version, migrations, and each problem: key, a part of its text, whether the raw value
//! went to a backup). Adding a shape is one more entry.

use ask_first_core::model::{GroupRef, IncidentKind, PersonRef, Record};
use ask_first_core::router::Background;
use ask_first_core::settings::{Pause, Settings};
use ask_first_core::site::Site;
use ask_first_core::storage::{self, LoadReport, Loaded, SCHEMA_VERSION};
use serde::Deserialize;
use serde_json::{json, Map, Value};

const NOW: f64 = 1_800_000_000_000.0;
const KEPT: bool = true;
const NOT_KEPT: bool = false;

struct Shape {
    name: &'static str,
    stored: Value,
    version: Option<u32>,
    migrations: &'static [&'static str],
    /// (problem key, part of the problem text, whether the raw value was backed up)
    problems: Vec<(&'static str, &'static str, bool)>,
    check: fn(&Loaded),
}

fn shape(name: &'static str, stored: Value) -> Shape {
    Shape {
        name,
        stored,
        version: Some(SCHEMA_VERSION),
        migrations: &[],
        problems: Vec::new(),
        check: |_| {},
    }
}

impl Shape {
    fn found(mut self, version: Option<u32>) -> Shape {
        self.version = version;
        self
    }
    fn migrated(mut self, steps: &'static [&'static str]) -> Shape {
        self.migrations = steps;
        self
    }
    fn problem(mut self, key: &'static str, text: &'static str, backup: bool) -> Shape {
        self.problems.push((key, text, backup));
        self
    }
    fn then(mut self, check: fn(&Loaded)) -> Shape {
        self.check = check;
        self
    }
}

fn valid_settings() -> Value {
    let mut settings = Settings {
        direct_threshold: 7,
        invite_threshold: 30,
        trusted_groups: vec![GroupRef::new(Site::Telegram, "@club").unwrap()],
        trusted_adders: vec![PersonRef::new(Site::Whatsapp, "Oma Erna").unwrap()],
        ..Settings::default()
    };
    settings.templates.en = "Hey {names}, may I add you to {group}?".into();
    settings.pauses.insert(Site::Slack, Pause::Until(NOW + 1e6));
    serde_json::to_value(settings).unwrap()
}

fn valid_record() -> Value {
    let mut record = Record::default();
    let fb = GroupRef::new(Site::Facebook, "4711").unwrap();
    let tg = GroupRef::new(Site::Telegram, "@club").unwrap();
    record.left_group(
        &fb,
        "Netzwerk",
        Some("https://www.facebook.com/groups/4711"),
        1e12,
    );
    record.left_group(&tg, "Club", None, 1e12 + 1.0);
    record.seen_readded(&fb, "m1", Some("Max"), false, 1e12 + 2.0);
    record.reinvited(&tg, "i1", Some("Eva"), false, 1e12 + 3.0);
    record.add_incident(
        IncidentKind::BulkAddWarned,
        Site::Slack,
        None,
        None,
        9,
        1e12 + 4.0,
    );
    record.add_confirmed(Site::Whatsapp, 3, 1e12 + 5.0, 600_000.0);
    serde_json::to_value(record).unwrap()
}

/// A valid store of this schema with `settings` and `record` (an object, stored as its text).
fn v2(settings: Value, record: Value) -> Value {
    json!({
        "schema_version": SCHEMA_VERSION,
        "settings": settings,
        "record": Value::String(record.to_string()),
    })
}

fn valid() -> Value {
    v2(valid_settings(), valid_record())
}

/// A valid store with one top-level key set (or removed, for `None`).
fn with(key: &str, value: Option<Value>) -> Value {
    let mut stored = valid();
    match value {
        Some(value) => stored[key] = value,
        None => {
            stored.as_object_mut().unwrap().remove(key);
        }
    }
    stored
}

fn with_settings(change: impl FnOnce(&mut Value)) -> Value {
    let mut settings = valid_settings();
    change(&mut settings);
    v2(settings, valid_record())
}

fn with_record(change: impl FnOnce(&mut Value)) -> Value {
    let mut record = valid_record();
    change(&mut record);
    v2(valid_settings(), record)
}

fn nested(depth: usize) -> Value {
    let mut value = json!(0);
    for _ in 0..depth {
        value = json!([value]);
    }
    value
}

fn record_text(loaded: &Loaded) -> String {
    serde_json::to_string(&loaded.record).unwrap()
}

fn shapes() -> Vec<Shape> {
    let big_text = "x".repeat(1 << 20);
    let valid_record_text = valid_record().to_string();
    vec![
        // The store as a whole.
        shape("empty storage", json!({})).found(None),
        shape("only unknown keys", json!({"foo": 1, "": null})).found(None),
        shape("a valid store", valid()).then(|l| assert_eq!(l.settings.direct_threshold, 7)),
        // schema_version
        shape("version missing", with("schema_version", None))
            .problem("schema_version", "missing", NOT_KEPT)
            .then(|l| assert_eq!(l.record.left.len(), 2)),
        shape("version as a string", with("schema_version", Some(json!("2"))))
            .problem("schema_version", "not a version number (\"2\")", KEPT),
        shape("version as a float", with("schema_version", Some(json!(2.5))))
            .problem("schema_version", "not a version number (2.5)", KEPT),
        shape("version negative", with("schema_version", Some(json!(-1))))
            .problem("schema_version", "not a version number (-1)", KEPT),
        shape("version null", with("schema_version", Some(Value::Null)))
            .problem("schema_version", "not a version number (null)", KEPT),
        shape("version an object", with("schema_version", Some(json!({"v": 2}))))
            .problem("schema_version", "not a version number", KEPT)
            .then(|l| assert_eq!(l.record.left.len(), 2)),
        shape("version 1e308", with("schema_version", Some(json!(1e308))))
            .problem("schema_version", "not a version number", KEPT),
        shape("a future version", with("schema_version", Some(json!(3))))
            .found(Some(3))
            .problem("settings", "newer version of Ask First (schema 3", KEPT)
            .problem("record", "newer version of Ask First (schema 3", KEPT)
            .then(|l| assert_eq!(l.record, Record::default())),
        shape("a far future version beyond u32", with("schema_version", Some(json!(1u64 << 40))))
            .found(Some(u32::MAX))
            .problem("settings", "schema 1099511627776", KEPT)
            .problem("record", "schema 1099511627776", KEPT),
        shape("version u64::MAX", with("schema_version", Some(json!(u64::MAX))))
            .found(Some(u32::MAX))
            .problem("settings", "newer version", KEPT)
            .problem("record", "newer version", KEPT),
        shape("a future version with only settings", json!({"schema_version": 7, "settings": 1}))
            .found(Some(7))
            .problem("settings", "newer version", KEPT),
        shape("version 0 next to current keys", with("schema_version", Some(json!(0))))
            .found(Some(0))
            .migrated(&["v0_to_v1", "v1_to_v2"])
            .problem("settings", "replaced by the migrated data", KEPT)
            .problem("record", "replaced by the migrated data", KEPT),
        shape("version 1 with the record as an object", {
            let mut stored = valid();
            stored["schema_version"] = json!(1);
            stored["record"] = valid_record();
            stored
        })
        .found(Some(1))
        .migrated(&["v1_to_v2"])
        .then(|l| assert_eq!(l.record.left.len(), 2)),
        // settings as a whole
        shape("settings a string", with("settings", Some(json!("garbage"))))
            .problem("settings", "settings are not an object", KEPT)
            .then(|l| assert_eq!(l.settings, Settings::default())),
        shape("settings a list", with("settings", Some(json!([1, 2]))))
            .problem("settings", "not an object", KEPT),
        shape("settings null", with("settings", Some(Value::Null)))
            .problem("settings", "not an object", KEPT),
        shape("settings a number", with("settings", Some(json!(42))))
            .problem("settings", "not an object", KEPT),
        shape("settings empty", with("settings", Some(json!({}))))
            .then(|l| assert_eq!(l.settings, Settings::default())),
        shape("settings missing", with("settings", None))
            .then(|l| assert_eq!(l.record.left.len(), 2)),
        shape("settings deeply nested", with("settings", Some(json!({"sites": nested(300)}))))
            .problem("settings", "sites: unreadable", KEPT),
        shape("settings with unknown fields", with_settings(|s| s["from_a_fork"] = json!([1])))
            .problem("settings", "unknown fields, not kept: from_a_fork", KEPT)
            .then(|l| assert_eq!(l.settings.direct_threshold, 7)),
        // settings fields
        shape("threshold a string", with_settings(|s| s["direct_threshold"] = json!("5")))
            .problem("settings", "direct_threshold: unreadable", KEPT)
            .then(|l| {
                assert_eq!(l.settings.direct_threshold, 5);
                assert_eq!(l.settings.invite_threshold, 30, "the other fields are kept");
            }),
        shape("threshold negative", with_settings(|s| s["direct_threshold"] = json!(-3)))
            .problem("settings", "direct_threshold: unreadable", KEPT),
        shape("threshold zero", with_settings(|s| s["direct_threshold"] = json!(0)))
            .problem("settings", "direct_threshold: 0 is outside 1..=1000; reset to 5", KEPT),
        shape("threshold 1e308", with_settings(|s| s["invite_threshold"] = json!(1e308)))
            .problem("settings", "invite_threshold: unreadable", KEPT),
        shape("threshold u64::MAX", with_settings(|s| s["invite_threshold"] = json!(u64::MAX)))
            .problem("settings", "invite_threshold: unreadable", KEPT),
        shape("window too long", with_settings(|s| s["sequential_minutes"] = json!(5000)))
            .problem("settings", "sequential_minutes: 5000 is outside", KEPT),
        shape("quiet note a string", with_settings(|s| s["quiet_note"] = json!("yes")))
            .problem("settings", "quiet_note: unreadable", KEPT),
        shape("sites a list", with_settings(|s| s["sites"] = json!([])))
            .problem("settings", "sites: unreadable", KEPT),
        shape("sites naming an unknown site", with_settings(|s| s["sites"] = json!({"myspace": {}})))
            .problem("settings", "sites: unreadable: unknown variant `myspace`", KEPT),
        shape("site mode unknown", with_settings(|s| s["sites"] = json!({"slack": {"mode": "loud"}})))
            .problem("settings", "sites: unreadable", KEPT),
        shape("trusted groups a string", with_settings(|s| s["trusted_groups"] = json!("x")))
            .problem("settings", "trusted_groups: unreadable", KEPT)
            .then(|l| assert!(l.settings.trusted_groups.is_empty())),
        shape("trusted group with a reserved key", with_settings(|s| {
            s["trusted_groups"] = json!([{"site": "facebook", "key": "feed"}, {"site": "telegram", "key": "@club"}])
        }))
        .problem("settings", "trusted_groups[0]: dropped: not a group key", KEPT)
        .then(|l| assert_eq!(l.settings.trusted_groups.len(), 1)),
        shape("trusted groups duplicated", with_settings(|s| {
            s["trusted_groups"] = json!([{"site": "telegram", "key": "@club"}, {"site": "telegram", "key": "@CLUB"}])
        }))
        .problem("settings", "trusted_groups[1]: dropped: duplicate", KEPT),
        shape("600 trusted groups", with_settings(|s| {
            s["trusted_groups"] = (0..600).map(|i| json!({"site": "facebook", "key": i.to_string()})).collect();
        }))
        .problem("settings", "; and 90 more", KEPT)
        .then(|l| assert_eq!(l.settings.trusted_groups.len(), 500)),
        shape("trusted adder of control characters", with_settings(|s| {
            s["trusted_adders"] = json!([{"site": "whatsapp", "name": "\u{0}\u{1b}"}])
        }))
        .problem("settings", "trusted_adders[0]: dropped: empty name", KEPT),
        shape("template too long", with_settings(|s| s["templates"]["en"] = json!("y".repeat(5000))))
            .problem("settings", "templates.en: longer than 1000 characters", KEPT),
        shape("template with an unknown placeholder", with_settings(|s| s["templates"]["de"] = json!("Hallo {wer}")))
            .problem("settings", "templates.de: unknown placeholder {wer}", KEPT),
        shape("template truncated", with_settings(|s| s["templates"]["en"] = json!("Hi {names")))
            .problem("settings", "templates.en: a '{' without '}'", KEPT),
        shape("template of a megabyte", with_settings(|s| s["templates"]["en"] = json!(big_text.clone())))
            .problem("settings", "templates.en: longer than", KEPT),
        shape("templates a number", with_settings(|s| s["templates"] = json!(5)))
            .problem("settings", "templates: unreadable", KEPT),
        shape("language unknown", with_settings(|s| s["language"] = json!("fr")))
            .problem("settings", "language: unreadable", KEPT),
        shape("pause before the epoch", with_settings(|s| s["pauses"] = json!({"slack": -1})))
            .problem("settings", "pauses.slack: dropped: not a valid time", KEPT),
        shape("pause a word", with_settings(|s| s["pauses"] = json!({"slack": "soon"})))
            .problem("settings", "pauses: unreadable", KEPT),
        // record as a whole
        shape("record not JSON", with("record", Some(json!("not json"))))
            .problem("record", "unreadable (expected ident", KEPT)
            .then(|l| assert_eq!(l.record, Record::default())),
        shape("record text truncated", with("record", Some(json!(valid_record_text[..valid_record_text.len() / 2]))))
            .problem("record", "unreadable (EOF while parsing", KEPT),
        shape("record a number", with("record", Some(json!(42))))
            .problem("record", "unreadable (invalid type: integer `42`", KEPT),
        shape("record an empty list", with("record", Some(json!([]))))
            .then(|l| assert_eq!(l.record, Record::default(), "serde reads a struct from a list")),
        shape("record a list", with("record", Some(json!([1, 2]))))
            .problem("record", "unreadable (invalid type: integer `1`, expected a sequence", KEPT),
        shape("record null", with("record", Some(Value::Null))).problem("record", "unreadable", KEPT),
        shape("record empty text", with("record", Some(json!("")))).problem("record", "unreadable (EOF", KEPT),
        shape("record an empty object", with("record", Some(json!("{}"))))
            .then(|l| assert_eq!(l.record, Record::default())),
        shape("record missing", with("record", None)).then(|l| assert_eq!(l.record, Record::default())),
        shape("record stored as an object", with("record", Some(valid_record())))
            .then(|l| assert_eq!(l.record.left.len(), 2)),
        shape("record text with a byte order mark", with("record", Some(json!(format!("\u{feff}{valid_record_text}")))))
            .problem("record", "unreadable (expected value", KEPT),
        shape("record nested 300 deep in an unknown member", with("record", Some(json!(format!("{{\"x\":{}}}", nested(300)))))),
        shape("groups nested 300 deep", with("record", Some(json!(format!("{{\"left\":{}}}", nested(300))))))
            .problem("record", "record.left[0]: unreadable", KEPT),
        shape("record with a duplicate member", with("record", Some(json!(format!("{{\"left\":[],{}", &valid_record_text[1..])))))
            .problem("record", "duplicate field `left`", KEPT)
            .then(|l| assert_eq!(l.record.left.len(), 2, "the last of the duplicates is read")),
        shape("record with unknown members", with_record(|r| r["from_the_future"] = json!({"a": 1})))
            .then(|l| assert_eq!(l.record.left.len(), 2)),
        // record entries: one of the wrong type fails the whole value; the rest is salvaged
        shape("left entry missing its fields", with_record(|r| r["left"].as_array_mut().unwrap().push(json!({"site": "facebook"}))))
            .problem("record", "kept what could be read (2 groups", KEPT)
            .then(|l| assert_eq!(l.record.left.len(), 2)),
        shape("left not a list", with_record(|r| r["left"] = json!(5)))
            .problem("record", "record.left: is not a list", KEPT)
            .then(|l| assert_eq!(l.record.incidents.len(), 3, "the other parts are kept")),
        shape("times left a string", with_record(|r| r["left"][0]["times_left"] = json!("3")))
            .problem("record", "record.left[0]: unreadable", KEPT)
            .then(|l| assert_eq!(l.record.left.len(), 1)),
        shape("readditions beyond u32", with_record(|r| r["left"][0]["readditions"] = json!(1u64 << 40)))
            .problem("record", "record.left[0]: unreadable", KEPT),
        shape("readditions negative", with_record(|r| r["left"][1]["readditions"] = json!(-1)))
            .problem("record", "record.left[1]: unreadable", KEPT)
            .then(|l| assert_eq!(l.record.left[0].key, "4711")),
        shape("incident of an unknown kind", with_record(|r| r["incidents"][0]["kind"] = json!("stolen")))
            .problem("record", "record.incidents[0]: unreadable: unknown variant `stolen`", KEPT)
            .then(|l| assert_eq!(l.record.incidents.len(), 2)),
        shape("incident time a string", with_record(|r| r["incidents"][2]["at"] = json!("today")))
            .problem("record", "record.incidents[2]: unreadable", KEPT),
        shape("next incident id negative", with_record(|r| r["next_incident_id"] = json!(-1)))
            .problem("record", "record.next_incident_id: is not a count", KEPT)
            .then(|l| assert_eq!(l.record.next_incident_id, 3, "raised above the newest incident")),
        shape("totals a list", with_record(|r| r["totals"] = json!([])))
            .problem("record", "record.totals: is not an object", KEPT)
            .then(|l| assert_eq!(l.record.total(IncidentKind::ReAdded), 1, "recounted from the history")),
        shape("total negative", with_record(|r| r["totals"]["re_added"] = json!(-5)))
            .problem("record", "record.totals.re_added: unknown kind or not a count", KEPT),
        shape("adder name a number", with_record(|r| r["adders"][0]["name"] = json!(7)))
            .problem("record", "record.adders[0]: unreadable", KEPT),
        shape("recent adds an object", with_record(|r| r["recent_adds"] = json!({})))
            .problem("record", "record.recent_adds: is not a list", KEPT),
        // record entries that decode but break an invariant
        shape("group key not in normal form", with_record(|r| r["left"][0]["key"] = json!("MySlug")))
            .problem("record", "left[0]: dropped: not a group key in normal form", KEPT)
            .then(|l| assert_eq!(l.record.left.len(), 1)),
        shape("left zero times", with_record(|r| r["left"][0]["times_left"] = json!(0)))
            .problem("record", "left[0]: dropped: left zero times", KEPT),
        shape("leave time before the epoch", with_record(|r| r["left"][1]["first_left"] = json!(-5.0)))
            .problem("record", "left[1]: dropped: times must be milliseconds", KEPT),
        shape("leave time 1e308", with_record(|r| r["left"][1]["last_left"] = json!(1e308)))
            .then(|l| assert_eq!(l.record.left[1].last_left, 1e308)),
        shape("group name of a megabyte", with_record(|r| r["left"][0]["name"] = json!(big_text.clone())))
            .problem("record", "left[0]: dropped: group name empty, too long", KEPT),
        shape("URL of another site", with_record(|r| r["left"][0]["url"] = json!("https://evil.example/")))
            .problem("record", "left[0]: dropped: URL is not a supported site", KEPT),
        shape("the same group twice", with_record(|r| {
            let first = r["left"][0].clone();
            r["left"].as_array_mut().unwrap().push(first);
        }))
        .problem("record", "left[2]: dropped: duplicate group", KEPT)
        .then(|l| assert_eq!(l.record.left.len(), 2)),
        shape("incident ids out of order", with_record(|r| r["incidents"][1]["id"] = json!(1u64 << 60)))
            .problem("record", "incidents[2]: id out of order; raised above the one before", KEPT)
            .then(|l| {
                assert_eq!(l.record.incidents.len(), 3, "no incident is lost");
                assert!(l.record.next_incident_id <= 1 << 53);
            }),
        shape("next incident id beyond JavaScript's integers", with_record(|r| r["next_incident_id"] = json!(u64::MAX)))
            .problem("record", "incidents renumbered", KEPT),
        shape("totals below the history", with_record(|r| r["totals"] = json!({})))
            .problem("record", "totals.re_added: raised to the incidents in the history", KEPT),
        shape("implausible people count", with_record(|r| r["incidents"][2]["count"] = json!(4_000_000_000u32)))
            .problem("record", "incidents[2]: dropped: implausible people count", KEPT),
        shape("adder without a name", with_record(|r| r["adders"][0]["name"] = json!("   ")))
            .problem("record", "adders[0]: dropped: name empty", KEPT),
        shape("recent add before the epoch", with_record(|r| r["recent_adds"][0]["at"] = json!(-1.0)))
            .problem("record", "recent_adds: dropped 1 with an invalid time or count", KEPT),
        // over the caps: the oldest go, as in normal use, without a backup
        shape("2,500 incidents", with_record(|r| {
            let one = r["incidents"][2].clone();
            r["incidents"] = (0..2_500).map(|id| {
                let mut incident = one.clone();
                incident["id"] = json!(id);
                incident
            }).collect();
            r["next_incident_id"] = json!(2_500);
            r["totals"]["bulk_add_warned"] = json!(2_500);
        }))
        .problem("record", "incidents: dropped the 500 oldest incidents: the record keeps 2000", NOT_KEPT)
        .then(|l| assert_eq!(l.record.incidents.len(), 2_000)),
        shape("5,100 groups", with_record(|r| {
            let one = r["left"][1].clone();
            r["left"] = (0..5_100).map(|i| {
                let mut entry = one.clone();
                entry["key"] = json!(format!("@g{i}"));
                entry
            }).collect();
        }))
        .problem("record", "left: dropped the 100 groups left longest ago", NOT_KEPT),
        shape("5,000 bad groups", with_record(|r| {
            r["left"] = (0..5_000).map(|_| json!({"site": "facebook", "key": "feed"})).collect();
        }))
        .problem("record", "; and 4990 more", KEPT)
        .then(|l| assert!(l.record.left.is_empty())),
        // imported site packs
        shape("a valid imported pack", with("packs", Some(json!({"facebook": newer_pack()}))))
            .then(|l| assert_eq!(l.packs[&Site::Facebook].version, 99)),
        shape("packs empty", with("packs", Some(json!({})))).then(|l| assert!(l.packs.is_empty())),
        shape("packs a string", with("packs", Some(json!("facebook"))))
            .problem("packs", "packs is not an object", KEPT),
        shape("packs a list", with("packs", Some(json!([newer_pack()]))))
            .problem("packs", "packs is not an object", KEPT),
        shape("pack of an unknown site", with("packs", Some(json!({"myspace": newer_pack()}))))
            .problem("packs", "packs.myspace: unknown site", KEPT),
        shape("pack under a site id of 100,000 characters", with("packs", Some(json!({"x".repeat(100_000): {}}))))
            .problem("packs", "packs.xxxxxxxxxx", KEPT),
        shape("pack under another site", with("packs", Some(json!({"slack": newer_pack()}))))
            .problem("packs", "packs.slack: a pack for facebook, left out", KEPT),
        shape("pack without dialogs", with("packs", Some(json!({"facebook": {"site": "facebook"}}))))
            .problem("packs", "packs.facebook:", KEPT),
        shape("pack truncated to a number", with("packs", Some(json!({"facebook": 1, "whatsapp": newer_pack()}))))
            .problem("packs", "packs.facebook: not a valid pack: invalid type: integer `1`, expected struct SitePack at line 1 column 1, left out; packs.whatsapp: a pack for facebook, left out", KEPT),
        shape("pack with an unknown field of 5,000 characters", with("packs", Some({
            let mut pack = newer_pack();
            pack["y".repeat(5_000)] = json!(1);
            json!({"facebook": pack})
        })))
        .problem("packs", "packs.facebook: unknown field \"yyy", KEPT),
        shape("pack of a megabyte", with("packs", Some({
            let mut pack = newer_pack();
            pack["group_name"] = json!([big_text.clone()]);
            json!({"facebook": pack})
        })))
        .problem("packs", "at most 262144 allowed, left out", KEPT),
        // backups and other keys
        shape("a backup key already taken", {
            let mut stored = with("record", Some(json!("garbage")));
            stored[format!("backup.record.{}", NOW as u64)] = json!("older");
            stored
        })
        .problem("record", "unreadable", KEPT)
        .then(|l| assert!(l.backups.contains(&format!("backup.record.{}-2", NOW as u64)))),
        shape("malformed backup keys", {
            let mut stored = valid();
            stored["backup."] = json!(1);
            stored["backup.record.abc"] = Value::Null;
            stored["backup.x.1"] = nested(50);
            stored
        })
        .then(|l| assert_eq!(l.backups.len(), 3)),
        shape("unknown keys next to the schema", {
            let mut stored = valid();
            stored["foo"] = json!(1);
            stored["schema_version "] = json!(9);
            stored["Record"] = json!("x");
            stored
        }),
        shape("version-0 keys next to a current store", {
            let mut stored = valid();
            stored["left_groups"] = json!([1]);
            stored["threshold"] = json!("x");
            stored
        })
        .then(|l| assert_eq!(l.settings.direct_threshold, 7, "read as the current schema")),
        // version 0
        shape("version 0", json!({"left_groups": [{"site": "facebook", "group": "1", "left_at": 5.0}], "threshold": 4}))
            .found(Some(0))
            .migrated(&["v0_to_v1", "v1_to_v2"])
            .then(|l| {
                assert_eq!(l.record.left.len(), 1);
                assert_eq!(l.settings.direct_threshold, 4);
            }),
        shape("version 0 next to current keys, no version", {
            let mut stored = with("schema_version", None);
            stored["threshold"] = json!(3);
            stored
        })
        .found(Some(0))
        .migrated(&["v0_to_v1", "v1_to_v2"])
        .problem("settings", "replaced by the migrated data", KEPT)
        .problem("record", "replaced by the migrated data", KEPT),
        shape("version 0 groups not a list", json!({"left_groups": "x"}))
            .found(Some(0))
            .migrated(&["v0_to_v1", "v1_to_v2"])
            .problem("v0_to_v1", "left_groups was not a list", NOT_KEPT),
        shape("version 0 threshold a string", json!({"threshold": "six"}))
            .found(Some(0))
            .migrated(&["v0_to_v1", "v1_to_v2"])
            .problem("v0_to_v1", "threshold was not a number", NOT_KEPT),
        shape("version 0 threshold zero", json!({"threshold": 0}))
            .found(Some(0))
            .migrated(&["v0_to_v1", "v1_to_v2"])
            .problem("v0_to_v1", "threshold: 0 is outside", NOT_KEPT),
        shape("version 0 malformed entries", json!({"left_groups": [null, 1, "x", {"site": "facebook"}, {"site": "myspace", "group": "1", "left_at": 1}]}))
            .found(Some(0))
            .migrated(&["v0_to_v1", "v1_to_v2"])
            .problem("v0_to_v1", "left_groups[0]: unknown site", NOT_KEPT)
            .problem("v0_to_v1", "left_groups[1]: unknown site", NOT_KEPT)
            .problem("v0_to_v1", "left_groups[2]: unknown site", NOT_KEPT)
            .problem("v0_to_v1", "left_groups[3]: no group", NOT_KEPT)
            .problem("v0_to_v1", "left_groups[4]: unknown site", NOT_KEPT),
        shape("version 0 duplicate groups", json!({"left_groups": [
            {"site": "facebook", "group": "1", "left_at": 1.0},
            {"site": "facebook", "group": "1", "left_at": 2.0}]}))
            .found(Some(0))
            .migrated(&["v0_to_v1", "v1_to_v2"])
            .problem("v0_to_v1", "left_groups[1]: duplicate", NOT_KEPT),
        shape("version 0 huge numbers", json!({"left_groups": [
            {"site": "facebook", "group": "1", "left_at": 1e308, "readded": u64::MAX}], "threshold": u64::MAX}))
            .found(Some(0))
            .migrated(&["v0_to_v1", "v1_to_v2"])
            .problem("v0_to_v1", "threshold was not a number", NOT_KEPT)
            .then(|l| assert_eq!(l.record.left[0].readditions, u32::MAX)),
    ]
}

/// The bundled Facebook pack as a newer version (what an import stores).
fn newer_pack() -> Value {
    let mut pack: Value = serde_json::from_str(ask_first_core::pack::BUNDLED_SOURCES[0].2).unwrap();
    pack["version"] = json!(99);
    pack
}

/// Reads a stored record as `load` does: its JSON text, or the object itself.
fn decode_record(raw: &Value) -> Result<Record, String> {
    match raw {
        Value::String(text) => serde_json::from_str(text).map_err(|e| e.to_string()),
        other => Record::deserialize(other).map_err(|e| e.to_string()),
    }
}

/// Whether `load` could take `raw` under `key` without losing anything.
fn read_without_loss(key: &str, raw: &Value) -> bool {
    match key {
        "schema_version" => raw.as_u64().is_some(),
        "settings" => {
            let (settings, issues) = Settings::from_value(raw);
            let written = serde_json::to_value(settings).unwrap();
            issues.is_empty()
                && raw
                    .as_object()
                    .is_some_and(|found| found.keys().all(|k| written.get(k).is_some()))
        }
        "packs" => storage::decode_packs(raw).1.is_empty(),
        "record" => decode_record(raw)
            .is_ok_and(|mut record| record.repair().iter().all(|issue| issue.over_cap)),
        _ => false,
    }
}

fn apply(stored: &Map<String, Value>, report: &LoadReport) -> Map<String, Value> {
    let mut after = stored.clone();
    for write in &report.writes {
        after.insert(write.key.clone(), write.value.clone());
    }
    for key in &report.removals {
        after.remove(key);
    }
    after
}

fn check(shape: &Shape) -> Result<(), String> {
    let stored = shape.stored.as_object().ok_or("not a map")?.clone();
    let (loaded, report) = storage::load(&stored, NOW);
    let _ = Background::load(&stored, NOW);

    // The report says what happened.
    if report.found_version != shape.version {
        return Err(format!("found version {:?}", report.found_version));
    }
    if report.migrations != shape.migrations {
        return Err(format!("migrations {:?}", report.migrations));
    }
    let problems: Vec<String> = report
        .problems
        .iter()
        .map(|p| format!("{} | {} | {:?}", p.key, p.problem, p.backup_key))
        .collect();
    if report.problems.len() != shape.problems.len() {
        return Err(format!("problems {problems:#?}"));
    }
    for (found, (key, text, kept)) in report.problems.iter().zip(&shape.problems) {
        if found.key != *key || !found.problem.contains(text) || found.backup_key.is_some() != *kept
        {
            return Err(format!(
                "expected ({key}, …{text}…, backup {kept}), found {problems:#?}"
            ));
        }
        let chars = found.problem.chars().count();
        if chars > 1_000 {
            return Err(format!("a {chars}-character problem"));
        }
    }

    // Every backup named exists, is new, and holds the raw value.
    for problem in &report.problems {
        if let Some(key) = &problem.backup_key {
            let write = report.writes.iter().find(|w| &w.key == key);
            let Some(write) = write else {
                return Err(format!("backup {key} is not written"));
            };
            if stored.contains_key(key) {
                return Err(format!("backup {key} overwrites a stored key"));
            }
            let raw = stored.get(&problem.key);
            let holds = raw.is_some_and(|raw| {
                &write.value == raw || write.value.get(&problem.key) == Some(raw)
            });
            if !holds && raw.is_some() {
                return Err(format!(
                    "backup {key} does not hold the stored {}",
                    problem.key
                ));
            }
        }
    }
    // Only the schema keys and new backups are written; only version-0 keys are removed.
    for write in &report.writes {
        let schema =
            ["schema_version", "settings", "record", "packs"].contains(&write.key.as_str());
        let new_backup = write.key.starts_with("backup.") && !stored.contains_key(&write.key);
        if !schema && !new_backup {
            return Err(format!("writes {}", write.key));
        }
    }
    for key in &report.removals {
        if !["left_groups", "threshold"].contains(&key.as_str()) {
            return Err(format!("removes {key}"));
        }
    }
    // Nothing is lost: each stored value is read in full, kept untouched, or kept as a backup.
    for (key, raw) in &stored {
        let touched = report.writes.iter().any(|w| &w.key == key) || report.removals.contains(key);
        let backed_up = report.writes.iter().any(|w| {
            w.key.starts_with("backup.") && (&w.value == raw || w.value.get(key) == Some(raw))
        });
        if touched && !backed_up && !read_without_loss(key, raw) {
            return Err(format!("{key} was changed and not kept as a backup"));
        }
    }

    // The state is usable.
    let issues = loaded.settings.clone().validate();
    if !issues.is_empty() {
        return Err(format!("settings do not validate: {issues:?}"));
    }
    let issues = loaded.record.clone().repair();
    if !issues.is_empty() {
        return Err(format!("record does not repair clean: {issues:?}"));
    }
    (shape.check)(&loaded);

    // Loading the result again finds nothing more to do.
    let after = apply(&stored, &report);
    let (again, second) = storage::load(&after, NOW + 60_000.0);
    if second.found_version != Some(SCHEMA_VERSION)
        || !second.problems.is_empty()
        || !second.writes.is_empty()
        || !second.removals.is_empty()
        || !second.migrations.is_empty()
    {
        return Err(format!("a second load is not quiet: {second:?}"));
    }
    if again.settings != loaded.settings || record_text(&again) != record_text(&loaded) {
        return Err("a second load reads another state".into());
    }
    if again.backups != loaded.backups {
        return Err(format!(
            "backups {:?} then {:?}",
            loaded.backups, again.backups
        ));
    }
    Ok(())
}

#[test]
fn every_malformed_shape_recovers_with_backups_and_a_clear_report() {
    let shapes = shapes();
    assert!(shapes.len() >= 60, "{} shapes", shapes.len());
    let mut names = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    for shape in &shapes {
        assert!(
            names.insert(shape.name),
            "two shapes named {:?}",
            shape.name
        );
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(shape)));
        match result {
            Ok(Ok(())) => {}
            Ok(Err(why)) => failures.push(format!("{}: {why}", shape.name)),
            Err(_) => failures.push(format!("{}: panicked (see above)", shape.name)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} shapes failed:\n{}",
        failures.len(),
        shapes.len(),
        failures.join("\n")
    );
}
