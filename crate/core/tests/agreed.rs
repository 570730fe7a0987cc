//! "They said yes": people who agreed are not counted toward the thresholds, the gate says how
//! many of the selection said yes, the ask-first message goes to the others; marking them from
//! a page and removing them on the options page; export and import carry them.

use ask_first_core::agreed::MAX_AGREED_PER_SITE;
use ask_first_core::ask::ask_message;
use ask_first_core::model::Agreement;
use ask_first_core::model::{GroupRef, Record};
use ask_first_core::protocol::{ContentResponse, PageResponse, Reply};
use ask_first_core::router::{Background, Sender};
use ask_first_core::rules::{
    evaluate, evaluate_with, DialogKind, Level, Observation, Reason, Verdict,
};
use ask_first_core::settings::Settings;
use ask_first_core::site::Site;
use ask_first_core::transfer::{self, ImportMode};
use serde_json::json;

const NOW: f64 = 1_750_000_000_000.0;

fn people(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("Person {i}")).collect()
}

fn observe(site: Site, dialog: DialogKind, key: &str, names: Vec<String>) -> Observation {
    Observation {
        site,
        dialog,
        group: GroupRef::new(site, key),
        group_name: Some("Book club".into()),
        selected: u32::try_from(names.len()).unwrap(),
        names,
        now: NOW,
    }
}

fn reason<'a>(verdict: &'a Verdict, id: &str) -> Option<&'a Reason> {
    verdict.reasons.iter().find(|reason| reason.id == id)
}

fn param(reason: &Reason, name: &str) -> String {
    reason.param(name).unwrap().to_string()
}

#[test]
fn people_who_said_yes_do_not_count_toward_the_bulk_threshold() {
    let settings = Settings::default();
    // 21 invitations on Facebook: the invitation threshold is 20.
    let observation = observe(Site::Facebook, DialogKind::Invite, "123", people(21));
    let mut record = Record::default();
    let without = evaluate(&observation, &settings, &record);
    assert_eq!(without.level, Level::Gate);
    assert_eq!(
        param(reason(&without, "warnBulkInvite").unwrap(), "count"),
        "21"
    );
    assert!(reason(&without, "yesAgreedOther").is_none());
    assert!(reason(&without, "yesAgreedOne").is_none());

    // One said yes: 20 unasked, still at the threshold; "1 of 21 said yes" (singular).
    record.mark_agreed(Site::Facebook, None, None, &["person 3".to_string()], NOW);
    let one = evaluate(&observation, &settings, &record);
    assert_eq!(one.level, Level::Gate);
    assert_eq!(
        param(reason(&one, "warnBulkInvite").unwrap(), "count"),
        "20"
    );
    let yes = reason(&one, "yesAgreedOne").expect("the singular form");
    assert_eq!(
        (param(yes, "agreed"), param(yes, "total")),
        ("1".into(), "21".into())
    );

    // Three said yes: 18 unasked, below the threshold: no gate, no warning.
    record.mark_agreed(
        Site::Facebook,
        None,
        None,
        &["Person 7".to_string(), "PERSON  9".to_string()],
        NOW,
    );
    assert_eq!(
        evaluate(&observation, &settings, &record),
        Verdict::nothing()
    );

    // A direct add of 21 on WhatsApp with the three of Facebook: they said yes there only.
    let whatsapp = observe(Site::Whatsapp, DialogKind::Direct, "123", people(21));
    let verdict = evaluate(&whatsapp, &settings, &record);
    assert_eq!(
        param(reason(&verdict, "warnBulkDirect").unwrap(), "count"),
        "21"
    );
    // The same three on WhatsApp: the gate says "3 of 21 said yes" and counts 18.
    record.mark_agreed(
        Site::Whatsapp,
        None,
        None,
        &["Person 3".into(), "Person 7".into(), "Person 9".into()],
        NOW,
    );
    let verdict = evaluate(&whatsapp, &settings, &record);
    assert_eq!(verdict.level, Level::Gate);
    assert_eq!(
        param(reason(&verdict, "warnBulkDirect").unwrap(), "count"),
        "18"
    );
    let yes = reason(&verdict, "yesAgreedOther").expect("the plural form");
    assert_eq!(
        (param(yes, "agreed"), param(yes, "total")),
        ("3".into(), "21".into())
    );
    // The yes line comes after the warnings.
    assert_eq!(verdict.reasons.last().unwrap().id, "yesAgreedOther");
}

#[test]
fn a_yes_for_one_group_counts_in_that_group_only() {
    let settings = Settings::default();
    let mut record = Record::default();
    let book = GroupRef::new(Site::Whatsapp, "Book club").unwrap();
    // Six selected: the direct threshold is 5.
    let names = people(6);
    record.mark_agreed(
        Site::Whatsapp,
        Some(&book),
        Some("Book club"),
        &names[..2],
        NOW,
    );
    let there = observe(
        Site::Whatsapp,
        DialogKind::Direct,
        "Book club",
        names.clone(),
    );
    let verdict = evaluate(&there, &settings, &record);
    assert_eq!(verdict.level, Level::Note, "4 unasked: below the threshold");
    assert_eq!(
        param(reason(&verdict, "noteDirectAdd").unwrap(), "count"),
        "4"
    );
    assert_eq!(
        param(reason(&verdict, "yesAgreedOther").unwrap(), "agreed"),
        "2"
    );
    let elsewhere = observe(Site::Whatsapp, DialogKind::Direct, "Run club", names);
    let verdict = evaluate(&elsewhere, &settings, &record);
    assert_eq!(verdict.level, Level::Gate);
    assert!(reason(&verdict, "yesAgreedOther").is_none());
}

#[test]
fn everyone_selected_said_yes_is_nothing_to_warn_about() {
    let settings = Settings::default();
    let mut record = Record::default();
    let names = people(8);
    record.mark_agreed(Site::Telegram, None, None, &names, NOW);
    let observation = observe(Site::Telegram, DialogKind::Direct, "-1001", names);
    assert_eq!(
        evaluate(&observation, &settings, &record),
        Verdict::nothing()
    );
    // A count the names do not cover (the site's counter says more): the rest count.
    let more = Observation {
        selected: 12,
        ..observation
    };
    let verdict = evaluate(&more, &settings, &record);
    assert_eq!(verdict.level, Level::Note);
    assert_eq!(
        param(reason(&verdict, "noteDirectAdd").unwrap(), "count"),
        "4"
    );
    assert_eq!(
        param(reason(&verdict, "yesAgreedOther").unwrap(), "total"),
        "12"
    );
}

#[test]
fn the_sequential_window_counts_only_people_who_did_not_say_yes() {
    let settings = Settings::default();
    let window = settings.window_ms();
    let mut record = Record::default();
    let names = people(1);
    record.mark_agreed(Site::Slack, None, None, &names, NOW);
    for minute in 0..10 {
        record.add_confirmed(Site::Slack, 1, NOW - f64::from(minute) * 60_000.0, window);
    }
    // Ten unasked people in the window: a person who said yes is added without a warning ...
    let agreed = observe(Site::Slack, DialogKind::Direct, "T1/C1", names);
    assert_eq!(evaluate(&agreed, &settings, &record), Verdict::nothing());
    // ... an unasked one is warned about, and the yes of the first is not named.
    let other = observe(
        Site::Slack,
        DialogKind::Direct,
        "T1/C1",
        vec!["Dora".into()],
    );
    let verdict = evaluate(&other, &settings, &record);
    assert_eq!(verdict.level, Level::Warn);
    assert_eq!(
        verdict
            .reasons
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>(),
        ["warnSequential"]
    );
}

fn content(body: serde_json::Value) -> serde_json::Value {
    json!({"v": 1, "channel": "content", "body": body})
}

fn page(body: serde_json::Value) -> serde_json::Value {
    json!({"v": 1, "channel": "page", "body": body})
}

fn tab(tab_id: i32, site: Site) -> Sender {
    Sender::ContentScript {
        tab_id: Some(tab_id),
        site,
    }
}

fn refused(reply: &Reply) -> bool {
    matches!(reply, Reply::Refused { .. })
}

#[test]
fn a_tab_marks_people_of_its_own_site_and_group_and_the_verdict_follows() {
    let mut background = Background::new();
    let telegram = tab(3, Site::Telegram);
    let group = json!({"site": "telegram", "key": "-1001"});
    background.dispatch_value(
        &telegram,
        content(json!({"type": "hello", "site": "telegram", "engine": "wasm"})),
        NOW,
    );
    background.dispatch_value(
        &telegram,
        content(json!({"type": "page_context", "site": "telegram", "group": group})),
        NOW,
    );
    let mark = |group: serde_json::Value, names: serde_json::Value| {
        content(
            json!({"type": "mark_agreed", "site": "telegram", "group": group,
            "group_name": "Book club", "names": names}),
        )
    };
    // Refused: another site, a group the tab does not show, another tab, too many names.
    for (sender, message) in [
        (
            telegram.clone(),
            content(json!({"type": "mark_agreed", "site": "slack", "names": ["A"]})),
        ),
        (
            tab(3, Site::Slack),
            content(json!({"type": "mark_agreed", "site": "telegram", "names": ["A"]})),
        ),
        (
            telegram.clone(),
            mark(json!({"site": "telegram", "key": "-1002"}), json!(["A"])),
        ),
        (tab(4, Site::Telegram), mark(group.clone(), json!(["A"]))),
        (telegram.clone(), mark(group.clone(), json!(people(101)))),
        (Sender::ExtensionPage, mark(group.clone(), json!(["A"]))),
    ] {
        let outcome = background.dispatch_value(&sender, message.clone(), NOW);
        assert!(refused(&outcome.reply), "{message}");
        assert!(outcome.writes.is_empty(), "{message}");
    }
    assert!(background.record().agreed.is_empty());

    // Its own group: stored (one write), the context carries the names.
    let outcome = background.dispatch_value(
        &telegram,
        mark(group.clone(), json!(["Person 1", "Person 2"])),
        NOW,
    );
    assert!(matches!(outcome.reply, Reply::Content { .. }));
    assert!(outcome.writes.iter().any(|write| write.key == "record"));
    assert_eq!(background.record().agreed.len(), 2);
    // For the whole site: no group needed.
    let outcome = background.dispatch_value(
        &telegram,
        content(json!({"type": "mark_agreed", "site": "telegram", "names": ["Person 3"]})),
        NOW,
    );
    assert!(matches!(outcome.reply, Reply::Content { .. }));
    let reply = background
        .dispatch_value(
            &telegram,
            content(json!({"type": "page_context", "site": "telegram", "group": group})),
            NOW,
        )
        .reply;
    let Reply::Content {
        body: ContentResponse::Context { context },
    } = reply
    else {
        panic!("{reply:?}")
    };
    assert_eq!(context.agreed, ["Person 1", "Person 2", "Person 3"]);
    // Another group of the site: the yes for every group only.
    let reply = background
        .dispatch_value(
            &telegram,
            content(json!({"type": "page_context", "site": "telegram",
                "group": {"site": "telegram", "key": "-1002"}})),
            NOW,
        )
        .reply;
    let Reply::Content {
        body: ContentResponse::Context { context },
    } = reply
    else {
        panic!("{reply:?}")
    };
    assert_eq!(context.agreed, ["Person 3"]);

    // The page's verdict and message from its context: 3 of 6 said yes, the message to the
    // other three; the page decides as the background would with its whole state.
    let observation = observe(Site::Telegram, DialogKind::Direct, "-1001", people(6));
    let reply = background
        .dispatch_value(
            &telegram,
            content(
                json!({"type": "page_context", "site": "telegram", "group": group,
                "ui_language": "en"}),
            ),
            NOW,
        )
        .reply;
    let Reply::Content {
        body: ContentResponse::Context { context },
    } = reply
    else {
        panic!("{reply:?}")
    };
    let inputs = context.rule_inputs(NOW);
    let verdict = evaluate_with(&observation, &inputs);
    assert_eq!(
        verdict,
        evaluate(&observation, background.settings(), background.record())
    );
    let ask_message = ask_message(
        &context.templates,
        context.lang,
        "Book club",
        &inputs.to_ask(&observation),
    );
    assert_eq!(verdict.level, Level::Note);
    assert_eq!(
        param(reason(&verdict, "yesAgreedOther").unwrap(), "agreed"),
        "3"
    );
    assert!(
        ask_message.starts_with("Hi Person 4, Person 5 and Person 6,"),
        "{ask_message}"
    );
    assert!(!ask_message.contains("Person 1"));

    // The options page removes one; content scripts cannot.
    let remove = page(json!({"type": "remove_agreed", "site": "telegram", "name": "person 3"}));
    assert!(refused(
        &background
            .dispatch_value(&telegram, remove.clone(), NOW)
            .reply
    ));
    let outcome = background.dispatch_value(&Sender::ExtensionPage, remove.clone(), NOW);
    assert_eq!(
        outcome.reply,
        Reply::Page {
            body: PageResponse::Done { changed: true }
        }
    );
    assert_eq!(outcome.writes.len(), 1);
    assert_eq!(background.record().agreed.len(), 2);
    let again = background.dispatch_value(&Sender::ExtensionPage, remove, NOW);
    assert_eq!(
        again.reply,
        Reply::Page {
            body: PageResponse::Done { changed: false }
        }
    );
    // A yes for one group is removed with its group.
    let remove_one = page(
        json!({"type": "remove_agreed", "site": "telegram", "name": "Person 1",
        "group": group}),
    );
    background.dispatch_value(&Sender::ExtensionPage, remove_one, NOW);
    assert_eq!(
        background.record().agreed_names(Site::Telegram, None),
        Vec::<String>::new()
    );
    assert_eq!(background.record().agreed.len(), 1);
}

fn agreement(site: Site, name: &str, at: f64) -> Agreement {
    Agreement {
        site,
        name: name.into(),
        group: None,
        group_name: None,
        at,
    }
}

#[test]
fn export_carries_the_list_and_import_validates_and_caps_it() {
    let settings = Settings::default();
    let mut record = Record::default();
    let book = GroupRef::new(Site::Slack, "T1/C1").unwrap();
    record.mark_agreed(
        Site::Slack,
        Some(&book),
        Some("Book club"),
        &["Ann".into()],
        NOW,
    );
    record.mark_agreed(Site::Discord, None, None, &["Bo".into()], NOW);
    let file = transfer::export(&settings, &record, NOW);
    let imported = transfer::import(
        file.as_bytes(),
        ImportMode::Replace,
        &settings,
        &Record::default(),
    )
    .unwrap();
    assert_eq!(imported.record.agreed, record.agreed);
    assert_eq!(imported.report.taken["agreed"], 2);
    assert!(imported.report.skipped.is_empty());

    // Merged into a record with its own list: both, once each.
    let mut mine = Record::default();
    mine.mark_agreed(
        Site::Discord,
        None,
        None,
        &["BO".into(), "Cy".into()],
        NOW + 1.0,
    );
    let merged = transfer::import(file.as_bytes(), ImportMode::Merge, &settings, &mine).unwrap();
    let mut names: Vec<_> = merged
        .record
        .agreed
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["Ann", "BO", "Cy"]);

    // A hostile file: bad entries are skipped and named, the rest capped per site.
    let mut hostile: Vec<serde_json::Value> = (0..MAX_AGREED_PER_SITE + 50)
        .map(|i| {
            serde_json::to_value(agreement(Site::Telegram, &format!("P{i}"), i as f64)).unwrap()
        })
        .collect();
    hostile.push(json!({"site": "telegram", "name": "<img src=x onerror=alert(1)>", "at": NOW}));
    hostile.push(json!({"site": "telegram", "name": "", "at": 1.0}));
    hostile.push(json!({"site": "telegram", "name": "x", "at": -1.0}));
    hostile.push(json!({"site": "telegram", "name": "x", "at": 1.0,
        "group": {"site": "slack", "key": "T1/C1"}}));
    hostile.push(json!({"site": "nowhere", "name": "x", "at": 1.0}));
    hostile.push(json!("not an object"));
    let file = json!({"format": "ask-first-export", "version": 1,
        "record": {"agreed": hostile}})
    .to_string();
    let imported = transfer::import(
        file.as_bytes(),
        ImportMode::Replace,
        &settings,
        &Record::default(),
    )
    .unwrap();
    let agreed = &imported.record.agreed;
    assert_eq!(agreed.len(), MAX_AGREED_PER_SITE);
    assert!(agreed.iter().all(|a| a.site == Site::Telegram));
    assert!(!agreed.iter().any(|a| a.name == "P0"), "the oldest went");
    let skipped: Vec<&str> = imported
        .report
        .skipped
        .iter()
        .map(|issue| issue.path.as_str())
        .collect();
    for index in MAX_AGREED_PER_SITE + 51..MAX_AGREED_PER_SITE + 56 {
        assert!(
            skipped.contains(&format!("record.agreed[{index}]").as_str()),
            "{index}: {skipped:?}"
        );
    }
    assert!(
        skipped.contains(&"agreed"),
        "the cap is reported: {skipped:?}"
    );
    // The markup-like name is kept as text (the page renders it as text).
    assert!(agreed
        .iter()
        .any(|a| a.name == "<img src=x onerror=alert(1)>"));
    // The list is not an array: a clear error, nothing changed.
    let file = r#"{"format":"ask-first-export","version":1,"record":{"agreed":{"a":1}}}"#;
    assert!(transfer::import(file.as_bytes(), ImportMode::Replace, &settings, &record).is_err());
}

#[test]
fn a_stored_record_without_the_list_reads_as_empty_and_an_empty_list_is_not_written() {
    let record: Record = serde_json::from_value(json!({"left": []})).unwrap();
    assert!(record.agreed.is_empty());
    let written = serde_json::to_value(Record::default()).unwrap();
    assert!(written.get("agreed").is_none());
}

#[test]
fn a_stored_list_with_bad_entries_loads_the_rest_and_keeps_every_other_part() {
    let mut record = Record::default();
    let group = GroupRef::new(Site::Facebook, "4711").unwrap();
    record.left_group(&group, "Book club", None, NOW);
    let mut stored = serde_json::to_value(&record).unwrap();
    stored["agreed"] = json!([
        {"site": "slack", "name": "Ann", "at": NOW},
        {"site": "slack", "name": 42, "at": NOW},
        {"site": "slack", "name": "Ann", "group": {"site": "slack", "key": "no key!"}, "at": NOW},
    ]);
    for (agreed, kept) in [(stored["agreed"].clone(), 1), (json!("not a list"), 0)] {
        let mut value = stored.clone();
        value["agreed"] = agreed;
        let mut map = serde_json::Map::new();
        map.insert("schema_version".into(), json!(2));
        map.insert("record".into(), json!(value.to_string()));
        let (background, report) = Background::load(&map, NOW);
        assert_eq!(background.record().agreed.len(), kept, "{value}");
        assert!(
            background.record().find_left(&group).is_some(),
            "the rest of the record stays"
        );
        assert!(!report.problems.is_empty(), "reported: {value}");
        // What the load repaired is written back, and reads back quiet.
        let written = report
            .writes
            .iter()
            .find(|write| write.key == "record")
            .expect("the repaired record is written back");
        let mut again = serde_json::Map::new();
        again.insert("schema_version".into(), json!(2));
        again.insert("record".into(), written.value.clone());
        let (reloaded, report) = Background::load(&again, NOW);
        assert_eq!(reloaded.record(), background.record());
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }
}

#[test]
fn the_count_line_has_a_singular_and_a_plural_form_in_both_languages() {
    use ask_first_core::rules::said_yes_reason;
    assert_eq!(said_yes_reason(1, 21).id, "yesAgreedOne");
    assert_eq!(said_yes_reason(3, 21).id, "yesAgreedOther");
    assert_eq!(said_yes_reason(0, 21).id, "yesAgreedOther");
    assert_eq!(said_yes_reason(3, 21).values(), ["3", "21"]);
    let message = |lang: &str, key: &str| -> String {
        let path = format!(
            "{}/../../extension/_locales/{lang}/messages.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let messages: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        messages[key]["message"].as_str().unwrap().to_owned()
    };
    for lang in ["en", "de"] {
        for key in ["yesAgreedOne", "yesAgreedOther"] {
            let text = message(lang, key);
            // $1: who said yes, $2: everyone selected (`Reason::values` gives them in order).
            assert!(text.contains("$1") && text.contains("$2"), "{lang} {key}");
        }
    }
    // "1 of 21 said yes and is", "3 of 21 … are"; "1 von 21 hat", "3 von 21 haben".
    assert!(message("en", "yesAgreedOne").contains(" is "));
    assert!(message("en", "yesAgreedOther").contains(" are "));
    assert!(message("de", "yesAgreedOne").contains(" hat "));
    assert!(message("de", "yesAgreedOther").contains(" haben "));
}
