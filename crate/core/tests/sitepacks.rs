//! Site packs: the bundled packs are valid, the validator refuses each kind of bad pack with the
//! path of the offending value, and golden texts from the fixture sites' `S` tables match.

use ask_first_core::pack::{
    bundled, bundled_for, match_message, parse_counter, texts_match, CountSource, DialogKindSpec,
    DialogSpec, MessageMeaning, MessagesOrder, PackProblem, SitePack, Texts, BUNDLED_SOURCES,
    MAX_PACK_BYTES, MAX_SELECTOR_ALTERNATIVES, MAX_SELECTOR_HAS,
};
use ask_first_core::site::Site;
use proptest::prelude::*;
use serde_json::{json, Value};

fn pack(site: Site) -> SitePack {
    bundled_for(site).expect("bundled pack")
}

fn dialog(site: Site, id: &str) -> DialogSpec {
    pack(site)
        .dialogs
        .into_iter()
        .find(|d| d.id == id)
        .unwrap_or_else(|| panic!("{site:?} has no dialog {id}"))
}

// ---- bundled packs -------------------------------------------------------------------------

#[test]
fn every_bundled_pack_parses_validates_and_names_its_site() {
    assert_eq!(BUNDLED_SOURCES.len(), Site::ALL.len());
    for (site, file, json) in BUNDLED_SOURCES {
        assert_eq!(file, format!("{}.json", site.id()));
        let pack = SitePack::parse(json).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(pack.site, site, "{file}");
        assert!(!pack.dialogs.is_empty());
        // Every site has leave, membership and message specs.
        assert!(pack.leave.is_some(), "{file}: leave");
        assert!(pack.membership.is_some(), "{file}: membership");
        assert!(
            pack.messages
                .iter()
                .any(|m| m.meaning == MessageMeaning::YouLeft),
            "{file}: you_left"
        );
    }
    let all = bundled();
    assert_eq!(
        all.iter().map(|p| p.site).collect::<Vec<_>>(),
        Site::ALL.to_vec()
    );
}

#[test]
fn bundled_packs_round_trip_through_serde() {
    for pack in bundled() {
        let json = serde_json::to_string(&pack).expect("serialise");
        assert_eq!(SitePack::parse(&json).expect("reparse"), pack);
    }
}

#[test]
fn dialog_kinds_follow_the_platforms() {
    let kind = |site| pack(site).dialogs[0].kind.clone();
    assert_eq!(kind(Site::Facebook), DialogKindSpec::Invite);
    assert_eq!(kind(Site::Linkedin), DialogKindSpec::Invite);
    for site in [Site::Whatsapp, Site::Telegram, Site::Slack, Site::Discord] {
        assert_eq!(kind(site), DialogKindSpec::Direct, "{site:?}");
    }
    assert!(matches!(
        kind(Site::GoogleGroups),
        DialogKindSpec::Toggle { switch } if switch.contains("add-member-checkbox-label")
    ));
}

#[test]
fn no_pack_keys_on_hashed_class_names() {
    // Fixture/real class names that look hashed or are fixture-only must not appear.
    for (_, file, json) in BUNDLED_SOURCES {
        for bad in [
            ".fb-", ".wa-", ".tg-", ".li-", ".gg-", ".sl-", ".dc-", ".fx-",
        ] {
            assert!(!json.contains(bad), "{file} uses {bad}");
        }
    }
}

// ---- validator: one test per rule -------------------------------------------------------------

fn base() -> Value {
    serde_json::from_str(
        BUNDLED_SOURCES
            .iter()
            .find(|(site, _, _)| *site == Site::Facebook)
            .map(|(_, _, json)| *json)
            .expect("facebook"),
    )
    .expect("json")
}

fn refused(value: &Value) -> (String, PackProblem) {
    let e = SitePack::parse(&value.to_string()).expect_err("must be refused");
    (e.path, e.problem)
}

#[test]
fn refuses_oversized_documents() {
    let big = " ".repeat(MAX_PACK_BYTES + 1);
    let e = SitePack::parse(&big).expect_err("too large");
    assert!(matches!(e.problem, PackProblem::TooLarge { .. }));
    assert_eq!(e.path, "");
}

#[test]
fn refuses_non_json_and_unknown_fields() {
    assert_eq!(
        SitePack::parse("{").map_err(|e| e.problem),
        Err(PackProblem::Syntax { line: 1, column: 1 })
    );
    assert!(matches!(
        SitePack::parse("{\"site\": \"facebook\",\n x").map_err(|e| e.problem),
        Err(PackProblem::Syntax { line: 2, .. })
    ));
    let mut v = base();
    v["script"] = json!("alert(1)");
    assert_eq!(refused(&v).1, PackProblem::UnknownField("script".into()));
    let mut v = base();
    v["dialogs"][0]["onclick"] = json!("x");
    assert_eq!(refused(&v).1, PackProblem::UnknownField("onclick".into()));
    let mut v = base();
    v["site"] = json!("myspace");
    assert_eq!(refused(&v).1, PackProblem::UnknownSite("myspace".into()));
    // Other shape errors keep serde's message.
    let mut v = base();
    v["version"] = json!("two");
    assert!(matches!(refused(&v).1, PackProblem::Json(_)));
    let mut v = base();
    v["dialogs"][0]["kind"] = json!({"type": "teleport"});
    assert!(matches!(refused(&v).1, PackProblem::Json(_)));
    // The order of the messages is one of two words, and may be left out (oldest first).
    let mut v = base();
    v["messages_order"] = json!("sideways");
    assert!(matches!(refused(&v).1, PackProblem::Json(_)));
    let mut v = base();
    v.as_object_mut().unwrap().remove("messages_order");
    let pack = SitePack::parse(&v.to_string()).expect("no order: the default");
    assert_eq!(pack.messages_order, MessagesOrder::OldestFirst);
    assert!(
        !serde_json::to_string(&pack)
            .unwrap()
            .contains("messages_order"),
        "the default is not written"
    );
}

#[test]
fn refuses_empty_and_foreign_and_duplicate_hosts() {
    let mut v = base();
    v["hosts"] = json!([]);
    assert_eq!(refused(&v), ("hosts".into(), PackProblem::Empty));
    v["hosts"] = json!(["www.facebook.com", "evil.example"]);
    assert_eq!(refused(&v), ("hosts[1]".into(), PackProblem::ForeignHost));
    v["hosts"] = json!(["web.whatsapp.com"]);
    assert_eq!(refused(&v), ("hosts[0]".into(), PackProblem::ForeignHost));
    v["hosts"] = json!(["www.facebook.com", "www.facebook.com"]);
    assert_eq!(refused(&v), ("hosts[1]".into(), PackProblem::Duplicate));
}

#[test]
fn refuses_empty_selectors() {
    let mut v = base();
    v["dialogs"][0]["root"] = json!("  ");
    assert_eq!(refused(&v), ("dialogs[0].root".into(), PackProblem::Empty));
}

#[test]
fn refuses_long_selectors() {
    let mut v = base();
    v["group_name"][1] = json!("a".repeat(501));
    assert_eq!(
        refused(&v),
        ("group_name[1]".into(), PackProblem::SelectorTooLong)
    );
}

#[test]
fn refuses_selectors_with_markup_rules_or_control_characters() {
    for bad in [
        "div<script>",
        "div{color:red}",
        "div; x",
        "div\u{7}",
        "div\\0",
        "[role=button",
        "a[title=\"x]",
        "div /* c */",
        ":has(a",
        "@import",
    ] {
        let mut v = base();
        v["dialogs"][0]["confirm"]["selector"] = json!(bad);
        let (path, problem) = refused(&v);
        assert_eq!(path, "dialogs[0].confirm.selector", "{bad}");
        assert!(matches!(problem, PackProblem::SelectorSyntax(_)), "{bad}");
    }
    // Brackets inside quotes are text, not structure.
    let mut v = base();
    v["dialogs"][0]["confirm"]["selector"] = json!("[aria-label=\"a]b(c\"]");
    SitePack::parse(&v.to_string()).expect("quoted brackets are fine");
}

#[test]
fn refuses_texts_without_english_or_german() {
    let mut v = base();
    v["dialogs"][0]["confirm"]["text"] = json!({"en": ["Send invitations"]});
    assert_eq!(
        refused(&v),
        (
            "dialogs[0].confirm.text".into(),
            PackProblem::MissingLanguage("de".into())
        )
    );
    v["dialogs"][0]["confirm"]["text"] = json!({"de": ["Einladungen senden"]});
    assert_eq!(
        refused(&v),
        (
            "dialogs[0].confirm.text".into(),
            PackProblem::MissingLanguage("en".into())
        )
    );
}

#[test]
fn refuses_empty_variants_and_lists() {
    let mut v = base();
    v["dialogs"][0]["confirm"]["text"]["de"] = json!(["Einladungen senden", " "]);
    assert_eq!(
        refused(&v),
        ("dialogs[0].confirm.text.de[1]".into(), PackProblem::Empty)
    );
    v["dialogs"][0]["confirm"]["text"]["de"] = json!([]);
    assert_eq!(
        refused(&v),
        ("dialogs[0].confirm.text.de".into(), PackProblem::Empty)
    );
}

#[test]
fn refuses_long_texts_and_too_many_variants() {
    let mut v = base();
    v["leave"]["confirm"]["text"]["en"] = json!(["x".repeat(201)]);
    assert_eq!(
        refused(&v),
        ("leave.confirm.text.en[0]".into(), PackProblem::TextTooLong)
    );
    let many: Vec<String> = (0..21).map(|i| format!("Leave {i}")).collect();
    v["leave"]["confirm"]["text"]["en"] = json!(many);
    assert_eq!(
        refused(&v),
        ("leave.confirm.text.en".into(), PackProblem::TooManyVariants)
    );
}

#[test]
fn refuses_control_characters_and_bad_language_keys_in_texts() {
    let mut v = base();
    v["membership"]["member"]["text"]["en"] = json!(["Joi\u{0}ned"]);
    assert_eq!(
        refused(&v),
        (
            "membership.member.text.en[0]".into(),
            PackProblem::TextControl
        )
    );
    let mut v = base();
    v["membership"]["member"]["text"]["<x>"] = json!(["Joined"]);
    assert_eq!(
        refused(&v),
        (
            "membership.member.text.<x>".into(),
            PackProblem::BadLanguage
        )
    );
}

#[test]
fn refuses_counter_templates_without_exactly_one_n() {
    for bad in [
        "FRIENDS SELECTED",
        "{n} of {n} SELECTED",
        "{n} {actor} SELECTED",
        "{count} SELECTED",
    ] {
        let mut v = base();
        v["dialogs"][0]["count"][0]["templates"]["en"][1] = json!(bad);
        assert_eq!(
            refused(&v),
            (
                "dialogs[0].count[0].templates.en[1]".into(),
                PackProblem::CounterPlaceholder
            ),
            "{bad}"
        );
    }
}

#[test]
fn refuses_message_templates_with_bad_placeholders() {
    for bad in [
        "{actor} added {someone}",
        "{actor} and {actor} added you",
        "{actor}{group} added you",
        "{actor} {group}",
        "{actor} added you {",
        "} added you",
        "{n} added you",
        "{actor}",
    ] {
        let mut v = base();
        v["messages"][0]["templates"]["de"][0] = json!(bad);
        let (path, problem) = refused(&v);
        assert_eq!(path, "messages[0].templates.de[0]", "{bad}");
        assert!(
            matches!(problem, PackProblem::MessagePlaceholder(_)),
            "{bad}: {problem:?}"
        );
    }
}

#[test]
fn refuses_packs_without_dialogs_or_count_sources() {
    let mut v = base();
    v["dialogs"] = json!([]);
    assert_eq!(refused(&v), ("dialogs".into(), PackProblem::Empty));
    let mut v = base();
    v["dialogs"][0]["count"] = json!([]);
    assert_eq!(
        refused(&v),
        ("dialogs[0].count".into(), PackProblem::NoCountSource)
    );
}

#[test]
fn refuses_duplicate_and_malformed_dialog_ids() {
    let mut v = base();
    let dialog = v["dialogs"][0].clone();
    v["dialogs"].as_array_mut().expect("array").push(dialog);
    assert_eq!(
        refused(&v),
        ("dialogs[1].id".into(), PackProblem::Duplicate)
    );
    let mut v = base();
    v["dialogs"][0]["id"] = json!("Invite Friends");
    assert_eq!(refused(&v), ("dialogs[0].id".into(), PackProblem::BadId));
}

#[test]
fn refuses_selectors_that_would_make_every_scan_expensive() {
    // Universal roots and controls: the page would look at every element on every scan.
    for broad in [
        "*",
        " * ",
        ":is(*)",
        ":where(*, *)",
        "*:not(.x)",
        ":not(div)",
        "html",
        "BODY",
        ":root",
        "html *",
        "[role=main] > *",
        "[role=dialog], *",
        "::before",
    ] {
        for (path, put) in [
            (
                "dialogs[0].root",
                (|v: &mut Value, s: &str| v["dialogs"][0]["root"] = json!(s))
                    as fn(&mut Value, &str),
            ),
            ("dialogs[0].confirm.selector", |v, s| {
                v["dialogs"][0]["confirm"]["selector"] = json!(s)
            }),
            ("leave.start.selector", |v, s| {
                v["leave"]["start"]["selector"] = json!(s)
            }),
            ("messages[0].selector", |v, s| {
                v["messages"][0]["selector"] = json!(s)
            }),
        ] {
            let mut v = base();
            put(&mut v, broad);
            assert_eq!(
                refused(&v),
                (path.to_owned(), PackProblem::SelectorTooBroad),
                "{broad}"
            );
        }
    }
    // Costly: :has() inside :has(), long lists, many :has().
    let many_has = (0..=MAX_SELECTOR_HAS)
        .map(|i| format!("div:has(> .c{i})"))
        .collect::<Vec<_>>()
        .join(" ");
    let long_list = (0..=MAX_SELECTOR_ALTERNATIVES)
        .map(|i| format!("[data-x=\"{i}\"]"))
        .collect::<Vec<_>>()
        .join(", ");
    for costly in [
        "div:has(span:has(b))".to_owned(),
        "div:has(:is(p:has(b)))".to_owned(),
        many_has,
        long_list,
    ] {
        let mut v = base();
        v["dialogs"][0]["root"] = json!(costly);
        assert_eq!(
            refused(&v),
            (
                "dialogs[0].root".to_owned(),
                PackProblem::SelectorTooComplex
            ),
            "{costly}"
        );
    }
    // Narrow enough: the shapes the bundled packs use.
    for fine in [
        "div",
        "[role=dialog]",
        ":is(div, [role=dialog])",
        "div:has(> button[aria-label])",
        ":scope > span:not([aria-hidden])",
        "#main [data-id]:not([role=row] [data-id])",
        "a:has(b), a:has(c)",
        "input:checked",
        "[data-x=\"*\"]",
    ] {
        let mut v = base();
        v["dialogs"][0]["root"] = json!(fine);
        assert!(SitePack::parse(&v.to_string()).is_ok(), "{fine}");
    }
    let text = PackProblem::SelectorTooBroad.to_string();
    assert!(text.contains("matches any element"), "{text}");
    assert!(PackProblem::SelectorTooComplex
        .to_string()
        .contains(":has() inside :has()"));
}

#[test]
fn refuses_message_templates_with_more_than_two_placeholders() {
    let mut v = base();
    v["messages"][0]["templates"]["en"][0] = json!("{actor} added {user} to {group}.");
    let (path, problem) = refused(&v);
    assert_eq!(path, "messages[0].templates.en[0]");
    assert_eq!(
        problem,
        PackProblem::MessagePlaceholder("more than 2 placeholders".into())
    );
}

#[test]
fn paths_reach_every_optional_selector() {
    type Mutation = fn(&mut Value);
    let cases: [(&str, Mutation); 7] = [
        ("self_name", |v| v["self_name"] = json!("a{b}")),
        ("dialogs[0].label_selector", |v| {
            v["dialogs"][0]["label_selector"] = json!("")
        }),
        ("dialogs[0].kind.switch", |v| {
            v["dialogs"][0]["kind"] = json!({"type": "toggle", "switch": "<x>"})
        }),
        ("messages[2].text", |v| {
            v["messages"][2]["text"] = json!(";")
        }),
        ("messages[1].subject", |v| {
            v["messages"][1]["subject"] = json!(" ")
        }),
        ("messages[0].exclude", |v| {
            v["messages"][0]["exclude"] = json!("*")
        }),
        ("leave.protect_switch.selector", |v| {
            v["leave"]["protect_switch"]["selector"] = json!("[role=switch")
        }),
    ];
    for (path, mutate) in cases {
        let mut v = base();
        mutate(&mut v);
        assert_eq!(refused(&v).0, path);
    }
}

#[test]
fn a_newer_pack_supersedes_the_bundled_one() {
    let current = pack(Site::Facebook);
    let mut newer = current.clone();
    newer.version += 1;
    assert!(newer.supersedes(&current));
    assert!(!current.supersedes(&current));
    assert!(!current.supersedes(&newer));
    let mut other = pack(Site::Discord);
    other.version = current.version + 1;
    assert!(!other.supersedes(&current));
}

#[test]
fn unvalidated_templates_are_skipped_not_explored() {
    let mut t = Texts::new();
    t.insert(
        "en".into(),
        vec!["{actor}{user}".into(), "{actor} {actor}".into()],
    );
    assert!(match_message(&t, "Ann Bob").is_none());
    // More than two placeholders: never explored.
    let mut t = Texts::new();
    t.insert("en".into(), vec!["{actor} a {user} a {group} a".into()]);
    assert!(match_message(&t, "x a y a z a").is_none());
    // Worst case for the search: every position could end a capture. Must finish promptly;
    // a capture is a name, so only a short one matches.
    let mut t = Texts::new();
    t.insert("en".into(), vec!["{actor} a {user} a".into()]);
    assert!(match_message(&t, &"a ".repeat(1_000)).is_none());
    let m = match_message(&t, &"a ".repeat(20)).expect("short names");
    assert_eq!(m.actor.as_deref(), Some("a"));
}

#[test]
fn errors_display_their_path() {
    let mut v = base();
    v["dialogs"][0]["confirm"]["text"]["de"] = json!(["Einladungen senden", ""]);
    let e = SitePack::parse(&v.to_string()).expect_err("refused");
    assert!(e.to_string().starts_with("dialogs[0].confirm.text.de[1]: "));
}

// ---- golden cases from the fixtures' S tables ----------------------------------------------------

fn counter_templates(site: Site) -> Texts {
    pack(site).dialogs[0]
        .count
        .iter()
        .find_map(|s| match s {
            CountSource::Counter { templates, .. } => Some(templates.clone()),
            CountSource::Elements { .. } => None,
        })
        .expect("counter source")
}

#[test]
fn facebook_counters() {
    let t = counter_templates(Site::Facebook);
    assert_eq!(parse_counter(&t, "8 FRIENDS SELECTED"), Some(8));
    assert_eq!(parse_counter(&t, "1 FRIEND SELECTED"), Some(1));
    assert_eq!(parse_counter(&t, "12 FREUNDE AUSGEWÄHLT"), Some(12));
    assert_eq!(parse_counter(&t, "1 FREUND AUSGEWÄHLT"), Some(1));
    assert_eq!(parse_counter(&t, "1,250 FRIENDS SELECTED"), Some(1250));
    assert_eq!(parse_counter(&t, "1.250 FREUNDE AUSGEWÄHLT"), Some(1250));
    assert_eq!(parse_counter(&t, "Invite friends to join this group"), None);
    let dialog = &pack(Site::Facebook).dialogs[0];
    assert_eq!(dialog.counter_value("3 friends selected"), Some(3));
}

#[test]
fn linkedin_counters() {
    let t = counter_templates(Site::Linkedin);
    assert_eq!(parse_counter(&t, "5 selected"), Some(5));
    assert_eq!(parse_counter(&t, "0 ausgewählt"), Some(0));
    assert_eq!(parse_counter(&t, "Invite"), None);
}

/// (site, dialog label en, de; confirm en, de) as the fixtures render them.
const CONFIRMS: [(Site, &str, &str); 5] = [
    (Site::Facebook, "Send invitations", "Einladungen senden"),
    (Site::Whatsapp, "Confirm", "Bestätigen"),
    (Site::GoogleGroups, "Send invites", "Einladungen senden"),
    (Site::Slack, "Add", "Hinzufügen"),
    (Site::Discord, "Add", "Hinzufügen"),
];

#[test]
fn confirm_labels_match_in_both_languages() {
    for (site, en, de) in CONFIRMS {
        let confirm = pack(site).dialogs[0].confirm.clone();
        let texts = confirm.text.clone().expect("confirm texts");
        assert!(texts_match(&texts, en), "{site:?} {en}");
        assert!(texts_match(&texts, de), "{site:?} {de}");
        assert!(!texts_match(&texts, "Cancel"), "{site:?}");
        assert!(!texts_match(&texts, "Abbrechen"), "{site:?}");
        // Matched by aria-label when the visible text is an icon.
        assert!(confirm.text_matches("✓", Some(en)));
    }
    let fb = pack(Site::Facebook).dialogs[0].confirm.clone();
    assert!(fb.text_matches("Send Invites", None), "older label");
    let gg = pack(Site::GoogleGroups).dialogs[0].confirm.clone();
    assert!(gg.text_matches("Add members", None));
    assert!(gg.text_matches("Mitglieder hinzufügen", None));
    // Telegram Web K's round next button has no text: the selector alone finds it. Its own
    // confirmation popup is a dialog of its own, confirmed by "Add".
    let tg = dialog(Site::Telegram, "add-members").confirm;
    assert!(tg.text.is_none() && tg.text_matches("→", Some("Next")));
    let popup = dialog(Site::Telegram, "add-confirm").confirm;
    assert!(popup.text_matches("Add", None) && popup.text_matches("Hinzufügen", None));
    assert!(!popup.text_matches("Cancel", None));
    // Telegram Web A's floating button: no text, an icon.
    assert!(dialog(Site::Telegram, "add-members-a")
        .confirm
        .text
        .is_none());
    // LinkedIn's primary button of the invitee picker, in any UI language.
    let li = pack(Site::Linkedin).dialogs[0].confirm.clone();
    assert!(li.text.is_none() && li.selector.contains("artdeco-button--primary"));
}

#[test]
fn telegram_k_confirmation_counts_from_its_title() {
    // The popup comes first: the picker tab stays open (and shown) behind it.
    let ids: Vec<String> = pack(Site::Telegram)
        .dialogs
        .iter()
        .map(|d| d.id.clone())
        .collect();
    assert_eq!(ids, ["add-confirm", "add-members", "add-members-a"]);
    let popup = dialog(Site::Telegram, "add-confirm");
    assert!(popup.label.is_none());
    assert_eq!(popup.counter_value("Add 3 members"), Some(3));
    assert_eq!(popup.counter_value("Add 1,204 members"), Some(1204));
    assert_eq!(popup.counter_value("Add member"), Some(1));
    assert_eq!(popup.counter_value("3 Mitglieder hinzufügen"), Some(3));
    assert_eq!(popup.counter_value("Mitglied hinzufügen"), Some(1));
    assert_eq!(
        popup.counter_value("Add Members"),
        None,
        "the picker's title"
    );
    assert_eq!(popup.counter_value("Leave group"), None);
}

#[test]
fn dialog_labels_tell_pickers_from_follow_up_popups() {
    let wa = &pack(Site::Whatsapp).dialogs[0];
    for label in [
        "Add participant",
        "Teilnehmer hinzufügen",
        "Add member",
        "Mitglieder hinzufügen",
    ] {
        assert!(wa.label_matches(label), "{label}");
    }
    for popup in [
        "Add Anna Schmidt to \"Book Club\" group?",
        "Anna Schmidt zur Gruppe „Book Club“ hinzufügen?",
        "Exit \"Book Club\" group?",
    ] {
        assert!(!wa.label_matches(popup), "{popup}");
    }
    let fb = &pack(Site::Facebook).dialogs[0];
    assert!(fb.label_matches("Invite friends to join this group"));
    assert!(fb.label_matches("Freunde einladen, dieser Gruppe beizutreten"));
    assert!(!fb.label_matches("Leave group"));
    let tg = &dialog(Site::Telegram, "add-members");
    assert!(tg.label_matches("Add Members") && tg.label_matches("Mitglieder hinzufügen"));
    assert!(
        !tg.label_matches("Add member"),
        "the follow-up confirmation"
    );
    let dc = &pack(Site::Discord).dialogs[0];
    assert!(dc.label_matches("Select Friends") && dc.label_matches("Freunde auswählen"));
    let gg = &pack(Site::GoogleGroups).dialogs[0];
    assert!(gg.label_matches("Add members") && !gg.label_matches("Leave group?"));
}

#[test]
fn leave_controls_in_both_languages() {
    let cases: &[(Site, &str, &str, &str, &str)] = &[
        (
            Site::Facebook,
            "Leave Group",
            "Gruppe verlassen",
            "Leave group",
            "Gruppe verlassen",
        ),
        (
            Site::Whatsapp,
            "Exit group",
            "Gruppe verlassen",
            "Exit group",
            "Verlassen",
        ),
        (
            Site::Telegram,
            "Leave group",
            "Gruppe verlassen",
            "Delete chat",
            "Löschen und verlassen",
        ),
        (
            Site::Linkedin,
            "Leave this group",
            "Diese Gruppe verlassen",
            "Leave",
            "Verlassen",
        ),
        (
            Site::GoogleGroups,
            "Leave group",
            "Gruppe verlassen",
            "Leave group",
            "Gruppe verlassen",
        ),
        (
            Site::Slack,
            "Leave channel",
            "Channel verlassen",
            "Leave Channel",
            "Channel verlassen",
        ),
        (
            Site::Discord,
            "Leave Group",
            "Gruppe verlassen",
            "Leave Group",
            "Gruppe verlassen",
        ),
    ];
    for (site, start_en, start_de, confirm_en, confirm_de) in cases.iter().copied() {
        let leave = pack(site).leave.expect("leave");
        assert!(leave.start.text_matches(start_en, None), "{site:?}");
        assert!(leave.start.text_matches(start_de, None), "{site:?}");
        assert!(leave.confirm.text_matches(confirm_en, None), "{site:?}");
        assert!(leave.confirm.text_matches(confirm_de, None), "{site:?}");
        assert!(!leave.confirm.text_matches("Cancel", None), "{site:?}");
    }
    let fb = pack(Site::Facebook).leave.expect("leave");
    let switch = fb.protect_switch.clone().expect("switch");
    assert!(switch.text_matches("", Some("Prevent people from inviting you again")));
    assert!(switch.text_matches("", Some("Verhindern, dass Personen dich erneut einladen")));
    assert!(fb.label_matches("Leave group"));
    let tg = pack(Site::Telegram).leave.expect("leave");
    assert!(tg.label_matches("Gruppe verlassen") && !tg.label_matches("Add Members"));
    // Telegram Web A: "Leave Group" both as the menu item and the modal's button.
    assert!(
        tg.start.text_matches("Leave Group", None) && tg.confirm.text_matches("Leave Group", None)
    );
    assert!(tg.label_matches("Leave Group") && tg.label_selector.is_some());
    assert!(pack(Site::Slack).leave.expect("leave").start_leaves);
}

#[test]
fn membership_in_both_languages() {
    let fb = pack(Site::Facebook).membership.expect("membership");
    assert!(fb.member.text_matches("✓ Joined ▾", Some("Joined")));
    assert!(fb.member.text_matches("", Some("Beigetreten")));
    let not = fb.not_member.expect("not member");
    assert!(not.text_matches("Join group", None) && not.text_matches("Gruppe beitreten", None));
    assert!(!not.text_matches("Joined", None));
    let tg = pack(Site::Telegram).membership.expect("membership");
    let join = tg.not_member.expect("join");
    assert!(join.text_matches("JOIN", None) && join.text_matches("JOIN GROUP", None));
    assert!(join.text_matches("BEITRETEN", None));
    let sl = pack(Site::Slack).membership.expect("membership");
    assert!(sl
        .not_member
        .expect("join")
        .text_matches("Channel beitreten", None));
}

fn message(site: Site, meaning: MessageMeaning) -> Texts {
    pack(site)
        .messages
        .into_iter()
        .find(|m| m.meaning == meaning)
        .map(|m| m.templates)
        .unwrap_or_else(|| panic!("{site:?} {meaning:?}"))
}

fn actor_of(site: Site, meaning: MessageMeaning, text: &str) -> Option<String> {
    match_message(&message(site, meaning), text).and_then(|m| m.actor)
}

#[test]
fn added_you_messages_name_the_actor() {
    use MessageMeaning::AddedYou;
    let cases: [(Site, &str, &str); 10] = [
        (
            Site::Facebook,
            "Anna Schmidt added you to Berlin Networking Circle.",
            "en",
        ),
        (
            Site::Facebook,
            "Anna Schmidt hat dich zur Gruppe Berlin Networking Circle hinzugefügt.",
            "de",
        ),
        (Site::Whatsapp, "Anna Schmidt added you", "en"),
        (Site::Whatsapp, "Anna Schmidt hat dich hinzugefügt.", "de"),
        (Site::Telegram, "Anna Schmidt added Robin Meyer", "en"),
        (
            Site::Telegram,
            "Anna Schmidt hat Robin Meyer hinzugefügt",
            "de",
        ),
        (
            Site::GoogleGroups,
            "Anna Schmidt added you to this group.",
            "en",
        ),
        (
            Site::GoogleGroups,
            "Anna Schmidt hat Sie dieser Gruppe hinzugefügt.",
            "de",
        ),
        (
            Site::Slack,
            "was added to #project-apollo by Anna Schmidt.",
            "en",
        ),
        (
            Site::Slack,
            "wurde von Anna Schmidt zu #project-apollo hinzugefügt.",
            "de",
        ),
    ];
    for (site, text, lang) in cases {
        let m = match_message(&message(site, AddedYou), text)
            .unwrap_or_else(|| panic!("{site:?}: {text}"));
        assert_eq!(m.actor.as_deref(), Some("Anna Schmidt"), "{site:?}: {text}");
        assert_eq!(m.lang, lang);
    }
    let fb = match_message(
        &message(Site::Facebook, AddedYou),
        "Jürgen Müller added you to Kiezhilfe Kreuzberg.",
    )
    .expect("match");
    assert_eq!(fb.group.as_deref(), Some("Kiezhilfe Kreuzberg"));
    let sl = match_message(
        &message(Site::Slack, AddedYou),
        "was added to #general by Zoë Lefèvre.",
    )
    .expect("match");
    assert_eq!(sl.group.as_deref(), Some("general"));
    // Others' adds are not "added you".
    assert_eq!(
        actor_of(Site::Whatsapp, AddedYou, "Anna Schmidt added Ben Carter"),
        None
    );
    assert_eq!(
        actor_of(
            Site::Whatsapp,
            AddedYou,
            "Anna Schmidt hat Ben Carter hinzugefügt."
        ),
        None
    );
}

#[test]
fn telegram_names_the_user_in_full_on_k_and_by_first_name_on_a() {
    let spec = pack(Site::Telegram)
        .messages
        .into_iter()
        .find(|m| m.meaning == MessageMeaning::AddedYou)
        .expect("spec");
    let me = Some("Robin Meyer");
    for (text, actor) in [
        ("Anna Schmidt added Robin Meyer", "Anna Schmidt"),
        ("Anna added Robin", "Anna"),
        ("Anna Schmidt hat Robin Meyer hinzugefügt", "Anna Schmidt"),
    ] {
        let m = spec.matches(text).expect(text);
        assert_eq!(m.actor.as_deref(), Some(actor), "{text}");
        assert_eq!(spec.about_self(&m, None, me), Some(true), "{text}");
    }
    for text in [
        "Anna Schmidt added Ben Carter",
        "Anna added Ben",
        "You added Ben Carter",
    ] {
        let m = spec.matches(text).expect(text);
        assert_eq!(spec.about_self(&m, None, me), Some(false), "{text}");
    }
    // Without the user's name (it shows only in the main menu) the runtime cannot tell.
    let m = spec.matches("Anna added Robin").expect("m");
    assert_eq!(spec.about_self(&m, None, None), None);
    assert!(pack(Site::Telegram).self_name.is_some());
}

#[test]
fn discord_names_the_user_and_the_runtime_compares_it() {
    let added = message(Site::Discord, MessageMeaning::AddedYou);
    let me = "Robin Meyer";
    let m = match_message(&added, "Anna Schmidt added Robin Meyer to the group.").expect("en");
    assert_eq!(m.actor.as_deref(), Some("Anna Schmidt"));
    assert!(m.user_is(me));
    let m = match_message(
        &added,
        "Anna Schmidt hat Robin Meyer zur Gruppe hinzugefügt.",
    )
    .expect("de");
    assert!(m.user_is(me) && m.lang == "de");
    let other =
        match_message(&added, "Anna Schmidt added Ben Carter to the group.").expect("other");
    assert!(!other.user_is(me));
    let left = message(Site::Discord, MessageMeaning::YouLeft);
    assert!(match_message(&left, "Robin Meyer left the group.")
        .expect("en")
        .user_is(me));
    assert!(
        match_message(&left, "Robin Meyer hat die Gruppe verlassen.")
            .expect("de")
            .user_is(me)
    );
    assert!(pack(Site::Discord).self_name.is_some());
}

#[test]
fn messages_know_whether_they_are_about_the_user() {
    let spec = |site: Site, meaning| {
        pack(site)
            .messages
            .into_iter()
            .find(|m| m.meaning == meaning)
            .expect("spec")
    };
    let me = Some("Robin Meyer");
    // Discord: the template names the user.
    let dc = spec(Site::Discord, MessageMeaning::AddedYou);
    let mine = dc
        .matches("Anna Schmidt added Robin Meyer to the group.")
        .expect("m");
    assert_eq!(dc.about_self(&mine, None, me), Some(true));
    assert_eq!(dc.about_self(&mine, None, None), None, "unknown self name");
    let other = dc
        .matches("Anna Schmidt added Ben Carter to the group.")
        .expect("m");
    assert_eq!(dc.about_self(&other, None, me), Some(false));
    // Slack: the sender line says whom the message is about.
    let sl = spec(Site::Slack, MessageMeaning::YouLeft);
    let left = sl.matches("has left the channel").expect("m");
    assert_eq!(sl.about_self(&left, Some("Robin Meyer"), me), Some(true));
    assert_eq!(sl.about_self(&left, Some("Anna Schmidt"), me), Some(false));
    assert_eq!(sl.about_self(&left, Some("Robin Meyer"), None), None);
    // WhatsApp: "you" is in the text.
    let wa = spec(Site::Whatsapp, MessageMeaning::AddedYou);
    let added = wa.matches("Anna Schmidt added you").expect("m");
    assert_eq!(wa.about_self(&added, None, None), Some(true));
}

#[test]
fn invited_you_messages() {
    use MessageMeaning::InvitedYou;
    assert_eq!(
        actor_of(
            Site::Facebook,
            InvitedYou,
            "Anna Schmidt invited you to join Hiking Friends Brandenburg."
        ),
        Some("Anna Schmidt".into())
    );
    assert_eq!(
        actor_of(
            Site::Facebook,
            InvitedYou,
            "Anna Schmidt hat dich eingeladen, der Gruppe Hiking Friends Brandenburg beizutreten."
        ),
        Some("Anna Schmidt".into())
    );
    assert_eq!(
        actor_of(
            Site::Linkedin,
            InvitedYou,
            "Anna Schmidt invited you to join this group"
        ),
        Some("Anna Schmidt".into())
    );
    assert_eq!(
        actor_of(
            Site::Linkedin,
            InvitedYou,
            "Anna Schmidt hat Sie eingeladen, dieser Gruppe beizutreten"
        ),
        Some("Anna Schmidt".into())
    );
}

#[test]
fn you_left_messages_in_both_languages() {
    use MessageMeaning::YouLeft;
    let cases: [(Site, &str); 13] = [
        (Site::Facebook, "You left Berlin Networking Circle."),
        (
            Site::Facebook,
            "Du hast Berlin Networking Circle verlassen.",
        ),
        (Site::Whatsapp, "You left"),
        (Site::Whatsapp, "Du hast die Gruppe verlassen."),
        (Site::Telegram, "You left this group"),
        (Site::Telegram, "You left the group"),
        (Site::Telegram, "Du hast die Gruppe verlassen"),
        (Site::Linkedin, "You left Product Managers Berlin."),
        (
            Site::Linkedin,
            "Sie haben Product Managers Berlin verlassen.",
        ),
        (Site::GoogleGroups, "You left Hiking Club."),
        (Site::GoogleGroups, "Sie haben Hiking Club verlassen."),
        (Site::Slack, "has left the channel"),
        (Site::Slack, "hat den Channel verlassen"),
    ];
    for (site, text) in cases {
        assert!(
            match_message(&message(site, YouLeft), text).is_some(),
            "{site:?}: {text}"
        );
    }
    assert!(match_message(&message(Site::Whatsapp, YouLeft), "Anna Schmidt left").is_none());
    assert!(match_message(
        &message(Site::Telegram, YouLeft),
        "Anna Schmidt left the group"
    )
    .is_none());
    let fb = match_message(
        &message(Site::Facebook, YouLeft),
        "You left Kiezhilfe Kreuzberg.",
    )
    .expect("m");
    assert_eq!(fb.group.as_deref(), Some("Kiezhilfe Kreuzberg"));
}

// ---- robustness ----------------------------------------------------------------------------

proptest! {
    #[test]
    fn parse_never_panics(s in ".{0,400}") {
        let _ = SitePack::parse(&s);
    }

    #[test]
    fn parse_never_panics_on_mutated_packs(
        idx in 0usize..7,
        cut in 0usize..4000,
        insert in ".{0,20}",
    ) {
        let json = BUNDLED_SOURCES[idx].2;
        let mut at = cut.min(json.len());
        while !json.is_char_boundary(at) { at -= 1; }
        let mutated = format!("{}{}{}", &json[..at], insert, &json[at..]);
        let _ = SitePack::parse(&mutated);
    }

    #[test]
    fn matchers_never_panic(
        template in ".{0,40}",
        text in ".{0,200}",
        lang in "[a-z]{2}",
    ) {
        let mut texts = Texts::new();
        texts.insert(lang, vec![template.clone(), format!("{{actor}} {template} {{group}}")]);
        let _ = match_message(&texts, &text);
        let _ = parse_counter(&texts, &text);
        let _ = texts_match(&texts, &text);
    }

    #[test]
    fn bundled_matchers_never_panic(text in "\\PC{0,300}") {
        for pack in bundled() {
            for m in &pack.messages { let _ = m.matches(&text); }
            for d in &pack.dialogs { let _ = d.counter_value(&text); let _ = d.label_matches(&text); }
        }
    }

    #[test]
    fn captures_are_bounded_and_trimmed(actor in "\\PC{1,400}") {
        let mut texts = Texts::new();
        texts.insert("en".into(), vec!["{actor} added you".into()]);
        if let Some(m) = match_message(&texts, &format!("{actor} added you")) {
            let a = m.actor.unwrap_or_default();
            prop_assert!(a.chars().count() <= 200);
            prop_assert_eq!(a.trim(), a.as_str());
        }
    }
}
