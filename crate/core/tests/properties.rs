//! Property tests over the record, settings, import and router.

use ask_first_core::ledger::ReAddResult;
use ask_first_core::model::{GroupRef, IncidentKind, Record};
use ask_first_core::router::{Background, Sender};
use ask_first_core::settings::{
    check_template, Language, Mode, Pause, Settings, SiteSettings, Templates, THRESHOLD_RANGE,
    WINDOW_MINUTES_RANGE,
};
use ask_first_core::site::Site;
use ask_first_core::transfer::{export, import, ImportMode};
use proptest::prelude::*;
use serde_json::{json, Value};

/// A few groups on different sites, so events collide often.
fn group(index: u8) -> GroupRef {
    match index % 4 {
        0 => GroupRef::new(Site::Facebook, "4711").unwrap(),
        1 => GroupRef::new(Site::Telegram, "-1303328644").unwrap(),
        2 => GroupRef::from_title(Site::Whatsapp, "Lauftreff Süd").unwrap(),
        _ => GroupRef::new(Site::Discord, "@me/42").unwrap(),
    }
}

const ACTORS: [&str; 3] = ["Max", "Eva Maria", "  "];

#[derive(Debug, Clone)]
enum Event {
    Left(u8),
    Readded {
        group: u8,
        event: u8,
        actor: Option<u8>,
        trusted: bool,
    },
    Reinvited {
        group: u8,
        event: u8,
        actor: Option<u8>,
    },
    Rejoined(u8),
    Outcome {
        kind: u8,
        count: u32,
    },
    Confirmed {
        count: u32,
    },
    Rename(u8),
    Forget(u8),
    MarkSeen,
}

fn event(with_forget: bool) -> impl Strategy<Value = Event> {
    let forget_weight = if with_forget { 1 } else { 0 };
    prop_oneof![
        4 => any::<u8>().prop_map(Event::Left),
        6 => (any::<u8>(), 0u8..12, proptest::option::of(0u8..3), any::<bool>()).prop_map(
            |(group, event, actor, trusted)| Event::Readded { group, event, actor, trusted }
        ),
        2 => (any::<u8>(), 0u8..12, proptest::option::of(0u8..3))
            .prop_map(|(group, event, actor)| Event::Reinvited { group, event, actor }),
        1 => any::<u8>().prop_map(Event::Rejoined),
        2 => (0u8..5, 0u32..50).prop_map(|(kind, count)| Event::Outcome { kind, count }),
        2 => (0u32..5).prop_map(|count| Event::Confirmed { count }),
        1 => any::<u8>().prop_map(Event::Rename),
        forget_weight => any::<u8>().prop_map(Event::Forget),
        1 => Just(Event::MarkSeen),
    ]
}

/// Applies events at increasing whole-millisecond times; returns how many re-additions the
/// reducers reported as counted.
fn apply(record: &mut Record, events: &[Event]) -> u64 {
    let mut counted = 0;
    for (step, event) in events.iter().enumerate() {
        let now = 1_700_000_000_000.0 + (step as f64) * 30_000.0;
        match event {
            Event::Left(g) => record.left_group(&group(*g), "Group name", None, now),
            Event::Readded {
                group: g,
                event,
                actor,
                trusted,
            } => {
                let actor = actor.map(|a| ACTORS[a as usize]);
                let result =
                    record.seen_readded(&group(*g), &format!("e{event}"), actor, *trusted, now);
                if matches!(result, ReAddResult::Counted { .. }) {
                    counted += 1;
                }
            }
            Event::Reinvited {
                group: g,
                event,
                actor,
            } => {
                let actor = actor.map(|a| ACTORS[a as usize]);
                record.reinvited(&group(*g), &format!("i{event}"), actor, false, now);
            }
            Event::Rejoined(g) => {
                record.rejoined_on_purpose(&group(*g));
            }
            Event::Outcome { kind, count } => {
                let kind = [
                    IncidentKind::BulkAddWarned,
                    IncidentKind::BulkAddProceeded,
                    IncidentKind::BulkAddCancelled,
                    IncidentKind::AskMessageCopied,
                    IncidentKind::SequentialAddsWarned,
                ][*kind as usize];
                let g = group(*count as u8);
                record.add_incident(kind, g.site, Some(&g), Some("Club"), *count, now);
            }
            Event::Confirmed { count } => {
                record.add_confirmed(Site::Whatsapp, *count, now, 600_000.0)
            }
            Event::Rename(g) => {
                record.rename_group(&group(*g), "Renamed  group");
            }
            Event::Forget(g) => {
                record.forget_group(&group(*g));
            }
            Event::MarkSeen => {
                record.mark_seen();
            }
        }
    }
    counted
}

fn settings_strategy() -> impl Strategy<Value = Settings> {
    (
        any::<u32>(),
        any::<u32>(),
        any::<u32>(),
        any::<u32>(),
        any::<bool>(),
        proptest::collection::vec((0usize..7, "[a-zA-Z0-9@#_./ -]{0,12}"), 0..6),
        proptest::collection::vec((0usize..7, "[ a-zA-Z\t]{0,10}"), 0..6),
        ("[a-z {}]{0,40}", "[a-z {}äöü]{0,40}"),
        0u8..3,
        proptest::collection::vec(
            (
                0usize..7,
                prop_oneof![Just(f64::NAN), Just(-1.0), 0.0..1e13f64],
            ),
            0..4,
        ),
        proptest::collection::vec((0usize..7, any::<bool>(), 0u8..4), 0..7),
    )
        .prop_map(
            |(
                direct,
                invite,
                count,
                minutes,
                quiet,
                groups,
                adders,
                templates,
                lang,
                pauses,
                sites,
            )| {
                let mut settings = Settings {
                    direct_threshold: direct % 1500,
                    invite_threshold: invite,
                    sequential_count: count % 1100,
                    sequential_minutes: minutes % 2000,
                    quiet_note: quiet,
                    ..Settings::default()
                };
                settings.trusted_groups = groups
                    .into_iter()
                    .map(|(site, key)| GroupRef {
                        site: Site::ALL[site],
                        key,
                    })
                    .collect();
                settings.trusted_adders = adders
                    .into_iter()
                    .map(|(site, name)| ask_first_core::model::PersonRef {
                        site: Site::ALL[site],
                        name,
                    })
                    .collect();
                settings.templates = Templates {
                    en: templates.0,
                    de: templates.1,
                };
                settings.language = [Language::Browser, Language::En, Language::De][lang as usize];
                for (site, ms) in pauses {
                    settings.pauses.insert(Site::ALL[site], Pause::Until(ms));
                }
                for (site, enabled, mode) in sites {
                    let mode = [Mode::Off, Mode::Note, Mode::Warn, Mode::Confirm][mode as usize];
                    settings
                        .sites
                        .insert(Site::ALL[site], SiteSettings { enabled, mode });
                }
                settings
            },
        )
}

fn assert_valid(settings: &Settings) {
    assert!(THRESHOLD_RANGE.contains(&settings.direct_threshold));
    assert!(THRESHOLD_RANGE.contains(&settings.invite_threshold));
    assert!(THRESHOLD_RANGE.contains(&settings.sequential_count));
    assert!(WINDOW_MINUTES_RANGE.contains(&settings.sequential_minutes));
    assert!(check_template(&settings.templates.en).is_ok());
    assert!(check_template(&settings.templates.de).is_ok());
    for group in &settings.trusted_groups {
        assert_eq!(GroupRef::new(group.site, &group.key).as_ref(), Some(group));
    }
    for pause in settings.pauses.values() {
        if let Pause::Until(ms) = pause {
            assert!(ms.is_finite() && *ms >= 0.0);
        }
    }
}

/// Arbitrary JSON, for feeding the decoders.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-z_{}@#-]{0,12}".prop_map(Value::from),
        prop_oneof![
            Just("facebook"),
            Just("telegram"),
            Just("re_added"),
            Just("always"),
            Just("-1001303328644")
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("left".to_string()),
                    Just("incidents".to_string()),
                    Just("totals".to_string()),
                    Just("site".to_string()),
                    Just("key".to_string()),
                    Just("direct_threshold".to_string()),
                    Just("pauses".to_string()),
                    "[a-z_]{1,8}"
                ],
                inner,
                0..6
            )
            .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn readdition_counts_equal_distinct_incidents(events in proptest::collection::vec(event(false), 0..80)) {
        let mut record = Record::default();
        let counted = apply(&mut record, &events);
        let in_history = record
            .incidents
            .iter()
            .filter(|i| i.kind == IncidentKind::ReAdded)
            .count() as u64;
        prop_assert_eq!(record.total(IncidentKind::ReAdded), counted);
        // The history holds all of them (fewer than the bound in these runs).
        prop_assert_eq!(in_history, counted);
        let per_group: u64 = record.left.iter().map(|e| u64::from(e.readditions)).sum();
        prop_assert_eq!(per_group, counted);
        for entry in &record.left {
            let incidents = record
                .incidents
                .iter()
                .filter(|i| i.kind == IncidentKind::ReAdded
                    && i.site == entry.site
                    && i.group.as_deref() == Some(entry.key.as_str()))
                .count() as u32;
            prop_assert_eq!(entry.readditions, incidents);
            let by_adders: u32 = entry.adders.values().sum();
            let named = record
                .incidents
                .iter()
                .filter(|i| i.kind == IncidentKind::ReAdded
                    && i.site == entry.site
                    && i.group.as_deref() == Some(entry.key.as_str())
                    && i.actor.is_some())
                .count() as u32;
            prop_assert_eq!(by_adders, named);
        }
        // The reducers never break an invariant the loader checks.
        let mut repaired = record.clone();
        prop_assert!(repaired.repair().is_empty());
        prop_assert_eq!(repaired, record);
    }

    #[test]
    fn totals_survive_forgetting_and_the_record_stays_valid(events in proptest::collection::vec(event(true), 0..80)) {
        let mut record = Record::default();
        let counted = apply(&mut record, &events);
        prop_assert_eq!(record.total(IncidentKind::ReAdded), counted);
        let mut repaired = record.clone();
        prop_assert!(repaired.repair().is_empty());
    }

    #[test]
    fn export_then_replace_is_the_identity(
        events in proptest::collection::vec(event(true), 0..60),
        settings in settings_strategy(),
    ) {
        let mut record = Record::default();
        apply(&mut record, &events);
        let mut settings = settings;
        settings.validate();
        let text = export(&settings, &record, 1.0);
        let imported = import(text.as_bytes(), ImportMode::Replace, &Settings::default(), &Record::default()).unwrap();
        prop_assert!(imported.report.skipped.is_empty(), "{:?}", imported.report.skipped);
        prop_assert_eq!(&imported.record, &record);
        prop_assert_eq!(&imported.settings, &settings);
        // Merging the same export into itself changes no counts.
        let merged = import(text.as_bytes(), ImportMode::Merge, &settings, &record).unwrap();
        prop_assert_eq!(&merged.record.left, &record.left);
        prop_assert_eq!(&merged.record.totals, &record.totals);
        prop_assert_eq!(merged.record.incidents.len(), record.incidents.len());
    }

    #[test]
    fn validate_is_idempotent_and_leaves_nothing_invalid(settings in settings_strategy()) {
        let mut settings = settings;
        settings.validate();
        assert_valid(&settings);
        let again = settings.clone();
        prop_assert!(settings.validate().is_empty());
        prop_assert_eq!(settings, again);
    }

    #[test]
    fn settings_from_any_json_are_valid(value in json_value()) {
        let (mut settings, _) = Settings::from_value(&value);
        assert_valid(&settings);
        prop_assert!(settings.validate().is_empty());
    }

    #[test]
    fn import_of_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = import(&bytes, ImportMode::Merge, &Settings::default(), &Record::default());
        let _ = import(&bytes, ImportMode::Replace, &Settings::default(), &Record::default());
    }

    #[test]
    fn import_of_arbitrary_export_shapes_never_panics(settings in json_value(), record in json_value()) {
        let file = json!({"format": "ask-first-export", "version": 1, "settings": settings, "record": record});
        let bytes = file.to_string().into_bytes();
        if let Ok(imported) = import(&bytes, ImportMode::Merge, &Settings::default(), &Record::default()) {
            let mut check = imported.record.clone();
            prop_assert!(check.repair().is_empty());
            let mut settings = imported.settings.clone();
            prop_assert!(settings.validate().is_empty());
        }
    }

    #[test]
    fn the_router_never_panics(body in json_value(), channel in prop_oneof![Just("content"), Just("page")], tab in proptest::option::of(0i32..3)) {
        let mut background = Background::new();
        let message = json!({"v": 1, "channel": channel, "body": body});
        for sender in [Sender::ContentScript { tab_id: tab, site: Site::Facebook }, Sender::ExtensionPage, Sender::Unknown] {
            let _ = background.dispatch_value(&sender, message.clone(), 1.0);
        }
    }

    #[test]
    fn storage_load_never_panics_and_settles(record in json_value(), settings in json_value(), version in json_value()) {
        let mut stored = serde_json::Map::new();
        stored.insert("record".into(), record);
        stored.insert("settings".into(), settings);
        stored.insert("schema_version".into(), version);
        let (_, report) = ask_first_core::storage::load(&stored, 5.0);
        for write in report.writes {
            stored.insert(write.key, write.value);
        }
        for key in report.removals {
            stored.remove(&key);
        }
        // After applying a load's writes, the next load finds nothing more to do.
        let (_, second) = ask_first_core::storage::load(&stored, 6.0);
        prop_assert!(second.writes.is_empty(), "{:?}", second.writes);
        prop_assert!(second.problems.is_empty(), "{:?}", second.problems);
    }

    #[test]
    fn hostile_page_strings_keep_the_record_valid(
        steps in proptest::collection::vec(
            (0u8..5, "\\PC{0,3}[ \t\u{7}\u{200e}]?.{0,250}", ".{0,300}", proptest::option::of(".{0,300}"), any::<u32>(), any::<f64>()),
            0..30,
        )
    ) {
        let mut background = Background::new();
        let tab = Sender::ContentScript { tab_id: Some(1), site: Site::Facebook };
        for (kind, title, text, actor, count, now) in steps {
            let group = json!({"site": "whatsapp", "key": title});
            let body = match kind {
                0 => json!({"type": "left_group", "group": group, "name": text, "url": actor}),
                1 => json!({"type": "seen_readded", "group": group, "event_id": text, "actor": actor}),
                2 => json!({"type": "reinvited", "group": group, "event_id": text, "actor": actor}),
                3 => json!({"type": "add_outcome", "site": "whatsapp", "group": group, "group_name": actor, "outcome": "proceeded", "count": count}),
                _ => json!({"type": "add_confirmed", "site": "whatsapp", "count": count}),
            };
            let _ = background.dispatch_value(&tab, json!({"v": 1, "channel": "content", "body": body}), now);
        }
        let record = background.record().clone();
        let mut repaired = record.clone();
        prop_assert!(repaired.repair().is_empty(), "{:?}", repaired);
        let text = export(background.settings(), &record, 1.0);
        let imported = import(text.as_bytes(), ImportMode::Replace, &Settings::default(), &Record::default()).unwrap();
        prop_assert_eq!(imported.record, record);
    }

    #[test]
    fn group_keys_are_fixed_points(
        site in 0usize..7,
        raw in prop_oneof![
            "[#@-]?[0-9]{0,16}(_[0-9])?",
            "[a-zA-Z0-9@._/%-]{0,30}",
            ".{0,60}",
        ],
    ) {
        let site = Site::ALL[site];
        if let Some(group) = GroupRef::new(site, &raw) {
            prop_assert_eq!(GroupRef::new(site, &group.key), Some(group.clone()));
        }
        let url = format!("https://{}/{}", site.hosts()[0], raw);
        if let Some(group) = GroupRef::from_url(&url) {
            prop_assert_eq!(GroupRef::new(group.site, &group.key), Some(group.clone()));
        }
    }
}
