use super::*;
use crate::protocol::{ContentContext, ContentResponse, Engine, PageRequest, PageResponse};
use serde_json::json;

const OWN_ID: &str = "abcdef";
const OWN_ORIGIN: &str = "chrome-extension://abcdef/";

fn reply_of(
    background: &mut Background,
    sender: &Sender,
    message: serde_json::Value,
    now: f64,
) -> Reply {
    background.dispatch_value(sender, message, now).reply
}

fn hello(site: &str, engine: &str) -> serde_json::Value {
    json!({"v": 1, "channel": "content", "body": {"type": "hello", "site": site, "engine": engine}})
}

fn status_request(tab_id: i32) -> serde_json::Value {
    json!({"v": 1, "channel": "page", "body": {"type": "tab_status", "tab_id": tab_id}})
}

#[test]
fn senders_are_classified_from_browser_facts() {
    let classify = |id: &str, url: &str, tab: Option<i32>| {
        Sender::classify(Some(id), None, Some(url), tab, OWN_ID, OWN_ORIGIN)
    };
    assert_eq!(
        classify(OWN_ID, "chrome-extension://abcdef/popup.html", None),
        Sender::ExtensionPage
    );
    assert_eq!(
        classify(OWN_ID, "https://web.whatsapp.com/", Some(4)),
        Sender::ContentScript {
            tab_id: Some(4),
            site: Site::Whatsapp
        }
    );
    // A content script on an https page that is not a supported site is not ours.
    assert_eq!(
        classify(OWN_ID, "https://evil.example/", Some(4)),
        Sender::Unknown
    );
    assert_eq!(
        classify("zzz", "chrome-extension://zzz/popup.html", None),
        Sender::Unknown
    );
    let lookalike = Sender::classify(
        Some(OWN_ID),
        None,
        Some("chrome-extension://abcdefg/popup.html"),
        None,
        OWN_ID,
        "chrome-extension://abcdef/",
    );
    assert_eq!(lookalike, Sender::Unknown);
    // Plain http and a supported host on another port are not the sites.
    assert_eq!(
        classify(OWN_ID, "http://web.whatsapp.com/", Some(4)),
        Sender::Unknown
    );
    assert_eq!(
        classify(OWN_ID, "https://web.whatsapp.com:8443/", Some(4)),
        Sender::Unknown
    );
}

#[test]
fn sender_origin_decides_before_url() {
    // An extension page by its origin (Chromium gives it without a trailing slash).
    assert_eq!(
        Sender::classify(
            Some(OWN_ID),
            Some("chrome-extension://abcdef"),
            Some("chrome-extension://abcdef/options.html"),
            None,
            OWN_ID,
            OWN_ORIGIN,
        ),
        Sender::ExtensionPage
    );
    // A content script by its origin; the origin alone is enough.
    for url in [Some("https://web.telegram.org/a/#-100123"), None] {
        assert_eq!(
            Sender::classify(
                Some(OWN_ID),
                Some("https://web.telegram.org"),
                url,
                Some(7),
                OWN_ID,
                OWN_ORIGIN,
            ),
            Sender::ContentScript {
                tab_id: Some(7),
                site: Site::Telegram
            },
            "{url:?}"
        );
    }
    // A renderer that claims another url than its origin is refused, whichever way round:
    // a web page posing as the extension, or as a supported site.
    let mismatches = [
        (
            "https://evil.example",
            "chrome-extension://abcdef/popup.html",
        ),
        ("https://evil.example", "https://web.whatsapp.com/"),
        ("https://web.whatsapp.com", "https://web.telegram.org/a/"),
        ("chrome-extension://abcdef", "https://web.whatsapp.com/"),
        ("null", "https://web.whatsapp.com/"),
        ("https://web.whatsapp.com", "about:blank"),
    ];
    for (origin, url) in mismatches {
        assert_eq!(
            Sender::classify(
                Some(OWN_ID),
                Some(origin),
                Some(url),
                Some(3),
                OWN_ID,
                OWN_ORIGIN,
            ),
            Sender::Unknown,
            "{origin} {url}"
        );
    }
    // An origin alone that is not ours nor a supported site, or opaque, is refused.
    for origin in ["https://evil.example", "null", "chrome-extension://zzz"] {
        assert_eq!(
            Sender::classify(
                Some(OWN_ID),
                Some(origin),
                None,
                Some(3),
                OWN_ID,
                OWN_ORIGIN
            ),
            Sender::Unknown,
            "{origin}"
        );
    }
    // Without an origin (older Firefox), the url's origin decides; case does not matter.
    assert_eq!(
        Sender::classify(
            Some(OWN_ID),
            None,
            Some("HTTPS://Web.WhatsApp.com/"),
            Some(2),
            OWN_ID,
            OWN_ORIGIN,
        ),
        Sender::ContentScript {
            tab_id: Some(2),
            site: Site::Whatsapp
        }
    );
    // Neither: refused.
    assert_eq!(
        Sender::classify(Some(OWN_ID), None, None, Some(1), OWN_ID, OWN_ORIGIN),
        Sender::Unknown
    );
    assert_eq!(
        Sender::classify(
            Some(OWN_ID),
            None,
            Some("about:blank"),
            Some(1),
            OWN_ID,
            OWN_ORIGIN
        ),
        Sender::Unknown
    );
}

#[test]
fn a_content_scripts_extension_page_check_agrees_with_the_classification() {
    let ids = [None, Some(OWN_ID), Some("zzz")];
    let origins = [
        None,
        Some("chrome-extension://abcdef"),
        Some("chrome-extension://abcdef/"),
        Some("CHROME-EXTENSION://ABCDEF"),
        Some("chrome-extension://abcdefg"),
        Some("https://web.whatsapp.com"),
        Some("null"),
        Some(""),
    ];
    let urls = [
        None,
        Some("chrome-extension://abcdef/popup.html"),
        Some("chrome-extension://abcdef"),
        Some("chrome-extension://zzz/popup.html"),
        Some("https://web.whatsapp.com/"),
        Some("about:blank"),
        Some("://abcdef/"),
        Some("x:y://abcdef/"),
        Some("chrome-extension:///popup.html"),
    ];
    let mut pages = 0;
    for id in ids {
        for origin in origins {
            for url in urls {
                let page = Sender::classify(id, origin, url, None, OWN_ID, OWN_ORIGIN)
                    == Sender::ExtensionPage;
                pages += usize::from(page);
                assert_eq!(
                    Sender::is_extension_page(id, origin, url, OWN_ID, OWN_ORIGIN),
                    page,
                    "{id:?} {origin:?} {url:?}"
                );
            }
        }
    }
    assert!(pages > 3, "{pages}");
}

#[test]
fn a_urls_origin_ends_at_its_authority() {
    for (url, origin) in [
        (
            "https://web.whatsapp.com/a?b#c",
            Some("https://web.whatsapp.com"),
        ),
        (
            "https://web.whatsapp.com?b",
            Some("https://web.whatsapp.com"),
        ),
        ("chrome-extension://abc#x", Some("chrome-extension://abc")),
        ("x:y://host/z", Some("x:y://host")),
        ("https:/host/", None),
        ("://host/", None),
        ("https:///path", None),
        ("about:blank", None),
        ("", None),
    ] {
        assert_eq!(origin_of(url), origin, "{url}");
    }
}

#[test]
fn admission_needs_no_state_and_agrees_with_dispatch() {
    let content = Sender::ContentScript {
        tab_id: Some(1),
        site: Site::Slack,
    };
    let cases = [
        (&content, status_request(1), Err(Refusal::NotAllowed)),
        (
            &Sender::ExtensionPage,
            hello("slack", "wasm"),
            Err(Refusal::NotAllowed),
        ),
        (
            &Sender::Unknown,
            status_request(1),
            Err(Refusal::NotAllowed),
        ),
        (&content, hello("slack", "wasm"), Ok(())),
        (&Sender::ExtensionPage, status_request(1), Ok(())),
    ];
    for (sender, message, expected) in cases {
        assert_eq!(admit(sender, &message), expected, "{message}");
        let mut background = Background::new();
        let outcome = background.dispatch_value(sender, message.clone(), 0.0);
        if let Err(error) = expected {
            assert_eq!(outcome.reply, Reply::Refused { error }, "{message}");
        }
    }
    assert!(matches!(
        admit(&content, &json!({"channel": "content"})),
        Err(Refusal::Malformed(_))
    ));
}

#[test]
fn hello_is_recorded_and_readable_by_pages() {
    let mut background = Background::new();
    let content = Sender::ContentScript {
        tab_id: Some(7),
        site: Site::Slack,
    };
    let reply = reply_of(
        &mut background,
        &content,
        hello("slack", "fallback"),
        1000.0,
    );
    assert_eq!(
        reply,
        Reply::Content {
            body: ContentResponse::Started { pack: None }
        }
    );

    let reply = reply_of(
        &mut background,
        &Sender::ExtensionPage,
        status_request(7),
        2000.0,
    );
    let Reply::Page {
        body: PageResponse::TabStatus {
            status: Some(status),
        },
    } = reply
    else {
        panic!("unexpected {reply:?}");
    };
    assert_eq!(status.site, Site::Slack);
    assert_eq!(status.engine, Some(Engine::Fallback));
    assert_eq!(status.reported_at, 1000.0);
}

#[test]
fn content_scripts_are_refused_privileged_requests() {
    let mut background = Background::new();
    let content = Sender::ContentScript {
        tab_id: Some(1),
        site: Site::Facebook,
    };
    let reply = reply_of(&mut background, &content, status_request(1), 0.0);
    assert_eq!(
        reply,
        Reply::Refused {
            error: Refusal::NotAllowed
        }
    );
}

#[test]
fn pages_and_unknown_senders_cannot_speak_for_a_tab() {
    let mut background = Background::new();
    for sender in [Sender::ExtensionPage, Sender::Unknown] {
        let reply = reply_of(&mut background, &sender, hello("discord", "wasm"), 0.0);
        assert_eq!(
            reply,
            Reply::Refused {
                error: Refusal::NotAllowed
            }
        );
    }
    let reply = reply_of(&mut background, &Sender::Unknown, status_request(1), 0.0);
    assert_eq!(
        reply,
        Reply::Refused {
            error: Refusal::NotAllowed
        }
    );
}

#[test]
fn content_without_a_tab_is_refused() {
    let mut background = Background::new();
    let reply = reply_of(
        &mut background,
        &Sender::ContentScript {
            tab_id: None,
            site: Site::Facebook,
        },
        hello("slack", "wasm"),
        0.0,
    );
    assert_eq!(
        reply,
        Reply::Refused {
            error: Refusal::NoTab
        }
    );
}

#[test]
fn versions_and_shapes_are_checked() {
    let mut background = Background::new();
    let page = Sender::ExtensionPage;
    let mut old = status_request(1);
    old["v"] = json!(0);
    assert_eq!(
        reply_of(&mut background, &page, old, 0.0),
        Reply::Refused {
            error: Refusal::VersionMismatch {
                expected: 1,
                got: 0
            }
        }
    );
    for bad in [
        json!(null),
        json!([]),
        json!({"v": 1}),
        json!({"v": 1, "channel": "page", "body": {"type": "drop_tables"}}),
        json!({"v": "1"}),
    ] {
        assert!(
            matches!(
                reply_of(&mut background, &page, bad.clone(), 0.0),
                Reply::Refused {
                    error: Refusal::Malformed(_)
                }
            ),
            "{bad}"
        );
    }
}

#[test]
fn failures_are_kept_short_and_shown() {
    let mut background = Background::new();
    let content = Sender::ContentScript {
        tab_id: Some(3),
        site: Site::Telegram,
    };
    let reason = "x".repeat(10_000);
    let message = json!({"v": 1, "channel": "content", "body": {"type": "engine_failed", "site": "telegram", "reason": reason}});
    reply_of(&mut background, &content, message, 5.0);
    let Reply::Page {
        body: PageResponse::TabStatus {
            status: Some(status),
        },
    } = reply_of(
        &mut background,
        &Sender::ExtensionPage,
        status_request(3),
        6.0,
    )
    else {
        panic!("no status");
    };
    assert_eq!(status.failure.as_deref().map(str::len), Some(500));
    assert_eq!(status.engine, None);
    background.forget_tab(3);
    assert_eq!(
        reply_of(
            &mut background,
            &Sender::ExtensionPage,
            status_request(3),
            7.0
        ),
        Reply::Page {
            body: PageResponse::TabStatus { status: None }
        }
    );
}

fn page(body: serde_json::Value) -> serde_json::Value {
    json!({"v": 1, "channel": "page", "body": body})
}

fn content(body: serde_json::Value) -> serde_json::Value {
    json!({"v": 1, "channel": "content", "body": body})
}

/// The bundled pack of `site` with its version raised by one: an acceptable import.
fn newer_pack_json(site: Site) -> String {
    let mut pack = crate::pack::bundled_for(site).unwrap();
    pack.version += 1;
    serde_json::to_string(&pack).unwrap()
}

/// One of each page request. The match below fails to compile when a variant is added
/// without a sample here.
fn every_page_request() -> Vec<PageRequest> {
    let group = GroupRef::new(Site::Facebook, "1").unwrap();
    let all = vec![
        PageRequest::TabStatus {
            tab_id: 1,
            url: None,
        },
        PageRequest::GetSettings,
        PageRequest::SetSettings {
            settings: json!({}),
            base: None,
        },
        PageRequest::PauseSite {
            site: Site::Slack,
            pause: None,
        },
        PageRequest::GetRecord,
        PageRequest::Export,
        PageRequest::Import {
            data: "{}".into(),
            mode: crate::transfer::ImportMode::Replace,
        },
        PageRequest::ForgetGroup {
            group: group.clone(),
        },
        PageRequest::RejoinedOnPurpose {
            group: group.clone(),
        },
        PageRequest::RenameGroup {
            group,
            name: "x".into(),
        },
        PageRequest::RecordLeave {
            group: GroupRef::new(Site::Slack, "T1/C1").unwrap(),
            name: "x".into(),
            url: None,
        },
        PageRequest::DeleteEverything,
        PageRequest::MarkReadditionsSeen,
        PageRequest::GetStorageStatus,
        PageRequest::DeleteBackup {
            key: "backup.record.1".into(),
        },
        PageRequest::GetPacks,
        PageRequest::ImportPack {
            data: newer_pack_json(Site::Facebook),
        },
        PageRequest::ResetPack {
            site: Site::Facebook,
        },
        PageRequest::GetBursts,
        PageRequest::ClearBursts,
        PageRequest::RemoveAgreed {
            site: Site::Slack,
            name: "Ann".into(),
            group: None,
        },
        PageRequest::SyncPass { synced: json!({}) },
        PageRequest::GetSyncStatus,
        PageRequest::RemoveSyncedCopy { synced: json!({}) },
    ];
    let mut covered = std::collections::BTreeSet::new();
    for request in &all {
        covered.insert(match request {
            PageRequest::TabStatus { .. } => 0,
            PageRequest::GetSettings => 1,
            PageRequest::SetSettings { .. } => 2,
            PageRequest::PauseSite { .. } => 3,
            PageRequest::GetRecord => 4,
            PageRequest::Export => 5,
            PageRequest::Import { .. } => 6,
            PageRequest::ForgetGroup { .. } => 7,
            PageRequest::RejoinedOnPurpose { .. } => 8,
            PageRequest::RenameGroup { .. } => 9,
            PageRequest::DeleteEverything => 10,
            PageRequest::MarkReadditionsSeen => 11,
            PageRequest::GetStorageStatus => 12,
            PageRequest::RecordLeave { .. } => 13,
            PageRequest::GetPacks => 14,
            PageRequest::ImportPack { .. } => 15,
            PageRequest::ResetPack { .. } => 16,
            PageRequest::DeleteBackup { .. } => 17,
            PageRequest::GetBursts => 18,
            PageRequest::ClearBursts => 19,
            PageRequest::RemoveAgreed { .. } => 20,
            PageRequest::SyncPass { .. } => 21,
            PageRequest::GetSyncStatus => 22,
            PageRequest::RemoveSyncedCopy { .. } => 23,
        });
    }
    assert_eq!(covered.len(), 24);
    all
}

#[test]
fn every_page_request_is_refused_to_content_scripts_and_strangers() {
    for request in every_page_request() {
        let wire = serde_json::to_value(Envelope::new(Request::Page(request.clone()))).unwrap();
        for sender in [
            Sender::ContentScript {
                tab_id: Some(1),
                site: Site::Facebook,
            },
            Sender::ContentScript {
                tab_id: None,
                site: Site::Facebook,
            },
            Sender::Unknown,
        ] {
            let mut background = Background::new();
            background.record.left_group(
                &GroupRef::new(Site::Facebook, "1").unwrap(),
                "G",
                None,
                0.0,
            );
            background.packs.insert(
                Site::Facebook,
                crate::pack::bundled_for(Site::Facebook).unwrap(),
            );
            let before = background.record.clone();
            let packs_before = background.packs.clone();
            let outcome = background.dispatch_value(&sender, wire.clone(), 1.0);
            assert_eq!(
                outcome.reply,
                Reply::Refused {
                    error: Refusal::NotAllowed
                },
                "{request:?} from {sender:?}"
            );
            assert!(outcome.writes.is_empty() && outcome.removals.is_empty());
            assert!(outcome.pushes.is_empty());
            assert_eq!(background.record, before);
            assert_eq!(background.packs, packs_before);
        }
        // The same request from an extension page is carried out (not refused for
        // permission).
        let mut background = Background::new();
        let outcome = background.dispatch_value(&Sender::ExtensionPage, wire, 1.0);
        assert!(
            !matches!(
                outcome.reply,
                Reply::Refused {
                    error: Refusal::NotAllowed
                }
            ),
            "{request:?}"
        );
    }
}

#[test]
fn readdition_flow_writes_pushes_and_badges() {
    let mut background = Background::new();
    let tab = Sender::ContentScript {
        tab_id: Some(2),
        site: Site::Facebook,
    };
    reply_of(&mut background, &tab, hello("facebook", "wasm"), 0.0);
    let group = json!({"site": "facebook", "key": "Netzwerk.Gruppe"});
    let left = background.dispatch_value(
        &tab,
        content(
            json!({"type": "left_group", "group": group, "name": "Netzwerk",
                       "url": "https://www.facebook.com/groups/netzwerk.gruppe/"}),
        ),
        100.0,
    );
    assert_eq!(
        left.reply,
        Reply::Content {
            body: ContentResponse::Ack
        }
    );
    // The record, and the site's report budget it counted against.
    let keys: Vec<&str> = left.writes.iter().map(|w| w.key.as_str()).collect();
    assert_eq!(keys, ["record", "guard"]);

    let seen =
        content(json!({"type": "seen_readded", "group": group, "event_id": "m1", "actor": "Max"}));
    let outcome = background.dispatch_value(&tab, seen.clone(), 200.0);
    let Reply::Content {
        body:
            ContentResponse::Readd {
                result: crate::ledger::ReAddResult::Counted { notice },
            },
    } = &outcome.reply
    else {
        panic!("{:?}", outcome.reply);
    };
    assert_eq!(notice.number, 1);
    assert_eq!(notice.group, "netzwerk.gruppe");
    assert_eq!(
        outcome.pushes,
        vec![Push::StateChanged {
            settings: false,
            record: true,
            unseen_readditions: 1
        }]
    );
    // The same message seen again: nothing to write.
    let again = background.dispatch_value(&tab, seen, 300.0);
    assert!(again.writes.is_empty());
    assert!(again.pushes.is_empty());

    let context = background.dispatch_value(
        &tab,
        content(json!({"type": "page_context", "site": "facebook", "group": group, "ui_language": "de-DE"})),
        400.0,
    );
    let Reply::Content {
        body: ContentResponse::Context { context },
    } = context.reply
    else {
        panic!();
    };
    assert_eq!(context.lang, Lang::De);
    assert_eq!(context.left.unwrap().readditions, 1);

    let seen = background.dispatch_value(
        &Sender::ExtensionPage,
        page(json!({"type": "mark_readditions_seen"})),
        500.0,
    );
    assert_eq!(
        seen.reply,
        Reply::Page {
            body: PageResponse::Done { changed: true }
        }
    );
    assert_eq!(background.unseen_readditions(), 0);
}

#[test]
fn content_rejoins_only_the_group_its_tab_shows() {
    let mut background = Background::new();
    let tab = Sender::ContentScript {
        tab_id: Some(4),
        site: Site::Facebook,
    };
    let group = json!({"site": "facebook", "key": "4711"});
    let other = json!({"site": "facebook", "key": "4712"});
    for key in [&group, &other] {
        background.dispatch_value(
            &tab,
            content(json!({"type": "left_group", "group": key, "name": "G"})),
            1.0,
        );
    }
    background.dispatch_value(
        &tab,
        content(json!({"type": "hello", "site": "facebook", "engine": "wasm"})),
        2.0,
    );
    background.dispatch_value(
        &tab,
        content(json!({"type": "page_context", "site": "facebook", "group": group})),
        3.0,
    );
    // Another group of the same site, or another site: refused, nothing written.
    for body in [
        json!({"type": "rejoined_on_purpose", "group": other}),
        json!({"type": "rejoined_on_purpose", "group": {"site": "slack", "key": "T1/C1"}}),
    ] {
        let outcome = background.dispatch_value(&tab, content(body.clone()), 4.0);
        assert!(
            matches!(
                outcome.reply,
                Reply::Refused {
                    error: Refusal::Invalid(_)
                }
            ),
            "{body}"
        );
        assert!(outcome.writes.is_empty());
    }
    // A tab that never asked for a context cannot either.
    let stranger = Sender::ContentScript {
        tab_id: Some(5),
        site: Site::Facebook,
    };
    let outcome = background.dispatch_value(
        &stranger,
        content(json!({"type": "rejoined_on_purpose", "group": group})),
        4.0,
    );
    assert!(matches!(outcome.reply, Reply::Refused { .. }));
    // Its own group: flagging stops, the record is written.
    let outcome = background.dispatch_value(
        &tab,
        content(json!({"type": "rejoined_on_purpose", "group": group})),
        5.0,
    );
    assert!(matches!(outcome.reply, Reply::Content { .. }));
    assert_eq!(outcome.writes.len(), 1);
    let key = GroupRef::new(Site::Facebook, "4711").unwrap();
    let entry = background.record().find_left(&key).unwrap();
    assert!(!entry.flagging);
    assert!(!entry.is_out);
    let untouched = GroupRef::new(Site::Facebook, "4712").unwrap();
    assert!(background.record().find_left(&untouched).unwrap().flagging);
}

/// A status as the popup asks for it, with the tab's address when the browser shows it.
fn status_at(background: &mut Background, tab_id: i32, url: Option<&str>) -> Option<TabStatus> {
    let request = page(json!({"type": "tab_status", "tab_id": tab_id, "url": url}));
    match background
        .dispatch_value(&Sender::ExtensionPage, request, 10.0)
        .reply
    {
        Reply::Page {
            body: PageResponse::TabStatus { status },
        } => status,
        other => panic!("{other:?}"),
    }
}

#[test]
fn tab_reports_survive_a_stopped_background() {
    let tab = Sender::ContentScript {
        tab_id: Some(4),
        site: Site::Facebook,
    };
    let group = json!({"site": "facebook", "key": "4711"});
    let mut before_stop = Background::new();
    let left = before_stop.dispatch_value(
        &tab,
        content(json!({"type": "left_group", "group": group, "name": "G"})),
        1.0,
    );
    assert_eq!(left.tabs, None, "a leave changes no tab report");
    let hello = before_stop.dispatch_value(
        &tab,
        content(json!({"type": "hello", "site": "facebook", "engine": "fallback"})),
        2.0,
    );
    assert!(hello.tabs.is_some(), "hello is kept for the next start");
    let context = before_stop.dispatch_value(
        &tab,
        content(json!({"type": "page_context", "site": "facebook", "group": group})),
        3.0,
    );
    let kept = context.tabs.expect("the group the tab shows is kept");
    let again = before_stop.dispatch_value(
        &tab,
        content(json!({"type": "page_context", "site": "facebook", "group": group})),
        3.5,
    );
    assert_eq!(again.tabs, None, "nothing new, nothing to keep");

    // The browser stopped the background; it starts again from storage and the session.
    let mut stored = Map::new();
    stored.insert(
        storage::KEY_SCHEMA_VERSION.into(),
        json!(storage::SCHEMA_VERSION),
    );
    for write in left.writes {
        stored.insert(write.key, write.value);
    }
    let (mut after_stop, _) = Background::load(&stored, 4.0);
    assert_eq!(
        status_at(&mut after_stop, 4, None),
        None,
        "nothing restored yet"
    );
    assert_eq!(after_stop.restore_tabs(&kept), 0);
    let status = status_at(
        &mut after_stop,
        4,
        Some("https://www.facebook.com/groups/4711/"),
    )
    .expect("the popup still knows the tab");
    assert_eq!(status.engine, Some(Engine::Fallback));
    assert_eq!(
        status.group,
        Some(GroupRef::new(Site::Facebook, "4711").unwrap())
    );
    // The banner's "I rejoined on purpose" is still taken.
    let outcome = after_stop.dispatch_value(
        &tab,
        content(json!({"type": "rejoined_on_purpose", "group": group})),
        5.0,
    );
    assert!(
        matches!(outcome.reply, Reply::Content { .. }),
        "{:?}",
        outcome.reply
    );
    let key = GroupRef::new(Site::Facebook, "4711").unwrap();
    assert!(!after_stop.record().find_left(&key).unwrap().flagging);

    // Nothing kept at all (no session storage): the tab's next context request is enough.
    let (mut bare, _) = Background::load(&stored, 6.0);
    bare.dispatch_value(
        &tab,
        content(json!({"type": "page_context", "site": "facebook", "group": group})),
        6.0,
    );
    let status = status_at(&mut bare, 4, None).expect("a context request makes the tab known");
    assert_eq!(
        status.engine, None,
        "its engine is unknown until it says hello again"
    );
    let outcome = bare.dispatch_value(
        &tab,
        content(json!({"type": "rejoined_on_purpose", "group": group})),
        7.0,
    );
    assert!(
        matches!(outcome.reply, Reply::Content { .. }),
        "{:?}",
        outcome.reply
    );

    // A closed tab is forgotten in the session too.
    let forgotten = after_stop.forget_tab(4).expect("the session changes");
    assert_eq!(forgotten, json!({}));
    assert_eq!(after_stop.forget_tab(4), None);
}

#[test]
fn kept_tab_reports_are_checked_like_fresh_ones() {
    let mut background = Background::new();
    let kept = json!({
        "1": {"site": "facebook", "engine": "wasm", "failure": null, "health": {"state": "ok"},
              "group": {"site": "facebook", "key": "4711"}, "reported_at": 1.0},
        // A group of another site than the tab's.
        "2": {"site": "facebook", "engine": "wasm", "failure": null,
              "group": {"site": "slack", "key": "T1/C1"}, "reported_at": 1.0},
        // A key that is not one of the site's keys.
        "3": {"site": "facebook", "engine": "wasm", "failure": null,
              "group": {"site": "facebook", "key": "<img src=x>"}, "reported_at": 1.0},
        "not a tab": {"site": "facebook", "engine": "wasm", "failure": null, "reported_at": 1.0},
        "5": "garbage",
        "6": {"site": "facebook", "engine": null, "failure": "x".repeat(5000),
              "health": {"state": "degraded", "detail": "y".repeat(5000)}, "reported_at": -1.0},
    });
    assert_eq!(background.restore_tabs(&kept), 4);
    assert!(status_at(&mut background, 1, None).is_some());
    for tab_id in [2, 3, 5] {
        assert_eq!(
            status_at(&mut background, tab_id, None),
            None,
            "tab {tab_id}"
        );
    }
    let long = status_at(&mut background, 6, None).unwrap();
    assert_eq!(long.failure.unwrap().chars().count(), 500);
    assert_eq!(long.health, Health::Degraded("y".repeat(300)));
    assert_eq!(long.reported_at, 0.0);
    // Not an object at all: nothing restored, nothing breaks.
    let mut other = Background::new();
    assert_eq!(other.restore_tabs(&json!([1, 2])), 1);
    assert_eq!(other.restore_tabs(&Value::Null), 0);
    // Bounded.
    let many: Map<String, Value> = (0..(MAX_TABS as i32 + 20))
        .map(|id| {
            (
                id.to_string(),
                json!({"site": "slack", "engine": "wasm", "failure": null, "reported_at": 1.0}),
            )
        })
        .collect();
    assert_eq!(other.restore_tabs(&Value::Object(many)), 20);
}

#[test]
fn the_loader_reports_a_core_that_could_not_start_without_a_site() {
    let mut background = Background::new();
    let tab = Sender::ContentScript {
        tab_id: Some(3),
        site: Site::Telegram,
    };
    let outcome = background.dispatch_value(
        &tab,
        content(json!({"type": "engine_failed", "reason": "WebAssembly is disabled"})),
        1.0,
    );
    assert!(
        matches!(outcome.reply, Reply::Content { .. }),
        "{:?}",
        outcome.reply
    );
    let status = status_at(&mut background, 3, None).unwrap();
    assert_eq!(status.site, Site::Telegram, "the sender's site");
    assert_eq!(status.engine, None);
    assert_eq!(status.failure.as_deref(), Some("WebAssembly is disabled"));
    // Naming another site than the sender's is still refused.
    let outcome = background.dispatch_value(
        &tab,
        content(json!({"type": "engine_failed", "site": "slack", "reason": "x"})),
        2.0,
    );
    assert!(matches!(outcome.reply, Reply::Refused { .. }));
}

#[test]
fn a_tab_that_left_its_site_has_no_status() {
    let mut background = Background::new();
    let tab = Sender::ContentScript {
        tab_id: Some(9),
        site: Site::Slack,
    };
    background.dispatch_value(
        &tab,
        content(json!({"type": "hello", "site": "slack", "engine": "wasm"})),
        1.0,
    );
    assert!(status_at(
        &mut background,
        9,
        Some("https://app.slack.com/client/T1/C1")
    )
    .is_some());
    // The browser hides the address of a tab on a site the extension has no access to.
    assert_eq!(status_at(&mut background, 9, Some("")), None);
    assert_eq!(
        status_at(&mut background, 9, Some("https://discord.com/channels/1/2")),
        None
    );
    assert!(
        status_at(&mut background, 9, None).is_some(),
        "unknown address: as reported"
    );
}

#[test]
fn pages_never_see_the_user_s_rename_of_a_group() {
    let mut background = Background::new();
    let tab = Sender::ContentScript {
        tab_id: Some(4),
        site: Site::Facebook,
    };
    let group = json!({"site": "facebook", "key": "4711"});
    background.dispatch_value(
        &tab,
        content(json!({"type": "left_group", "group": group, "name": "Berlin Networking Circle"})),
        1.0,
    );
    background.dispatch_value(
        &Sender::ExtensionPage,
        page(json!({"type": "rename_group", "group": group, "name": "Those pushy recruiters"})),
        2.0,
    );
    let key = GroupRef::new(Site::Facebook, "4711").unwrap();
    assert_eq!(
        background.record().find_left(&key).unwrap().name,
        "Those pushy recruiters"
    );
    let context = background.dispatch_value(
        &tab,
        content(json!({"type": "page_context", "site": "facebook", "group": group})),
        3.0,
    );
    let text = serde_json::to_string(&context.reply).unwrap();
    assert!(text.contains("Berlin Networking Circle"), "{text}");
    assert!(!text.contains("pushy"), "{text}");
    let seen = background.dispatch_value(
        &tab,
        content(
            json!({"type": "seen_readded", "group": group, "event_id": "m1", "actor": "Mallory"}),
        ),
        4.0,
    );
    let text = serde_json::to_string(&seen.reply).unwrap();
    assert!(
        text.contains("Berlin Networking Circle") && !text.contains("pushy"),
        "{text}"
    );
    // Leaving again under a new site name keeps the rename for the user.
    background.dispatch_value(
        &tab,
        content(json!({"type": "left_group", "group": group, "name": "Berlin Networking"})),
        5.0,
    );
    let entry = background.record().find_left(&key).unwrap();
    assert_eq!(entry.name, "Those pushy recruiters");
    assert_eq!(entry.shown_on_page(), "Berlin Networking");
}

#[test]
fn content_scripts_speak_only_for_their_site_and_valid_keys() {
    let mut background = Background::new();
    // The browser says the tab is on Slack; the message cannot claim otherwise.
    let tab = Sender::ContentScript {
        tab_id: Some(2),
        site: Site::Slack,
    };
    for body in [
        json!({"type": "hello", "site": "facebook", "engine": "wasm"}),
        json!({"type": "left_group", "group": {"site": "facebook", "key": "1"}, "name": "x"}),
        json!({"type": "left_group", "group": {"site": "slack", "key": "no-slash"}, "name": "x"}),
        json!({"type": "add_confirmed", "site": "discord", "count": 3}),
    ] {
        let outcome = background.dispatch_value(&tab, content(body.clone()), 1.0);
        assert!(
            matches!(
                outcome.reply,
                Reply::Refused {
                    error: Refusal::Invalid(_)
                }
            ),
            "{body}"
        );
        assert!(outcome.writes.is_empty());
    }
}

/// The context a page gets: its page context, asked as the content script asks it.
fn context_of(
    background: &mut Background,
    tab: &Sender,
    site: &str,
    key: &str,
    ui_language: &str,
    now: f64,
) -> ContentContext {
    let Reply::Content {
        body: ContentResponse::Context { context },
    } = reply_of(
        background,
        tab,
        content(json!({"type": "page_context", "site": site,
                       "group": {"site": site, "key": key}, "ui_language": ui_language})),
        now,
    )
    else {
        panic!("no context");
    };
    context
}

#[test]
fn the_page_decides_like_the_background() {
    let mut background = Background::new();
    let tab = Sender::ContentScript {
        tab_id: Some(2),
        site: Site::Facebook,
    };
    // Some adds in the sequential window, so the page's count of them matters too.
    for _ in 0..3 {
        background.dispatch_value(
            &tab,
            content(json!({"type": "add_confirmed", "site": "facebook", "count": 3})),
            5.0,
        );
    }
    for selected in [0, 1, 4, 5, 19, 20, 300] {
        for dialog in ["direct", "invite"] {
            let observation: crate::rules::Observation = serde_json::from_value(json!({
                "site": "facebook", "page": "group", "dialog": dialog,
                "group": {"site": "facebook", "key": "4711"},
                "selected": selected, "names": [], "now": 10.0
            }))
            .unwrap();
            let full =
                crate::rules::evaluate(&observation, &background.settings, &background.record);
            let context = context_of(&mut background, &tab, "facebook", "4711", "", 10.0);
            let local = crate::rules::evaluate_with(&observation, &context.rule_inputs(10.0));
            assert_eq!(local, full, "{selected} {dialog}");
        }
    }
}

#[test]
fn the_context_drafts_the_ask_message_and_counts_sequential_adds() {
    let mut background = Background::new();
    let tab = Sender::ContentScript {
        tab_id: Some(2),
        site: Site::Whatsapp,
    };
    let mut observation: crate::rules::Observation = serde_json::from_value(json!({
        "site": "whatsapp", "page": "group", "dialog": "direct",
        "group": {"site": "whatsapp", "key": "  Lauftreff   SÜD "},
        "group_name": "Lauftreff Süd",
        "selected": 3, "names": ["Ann", "Bo", "Cy"], "now": 1.0
    }))
    .unwrap();
    let context = context_of(
        &mut background,
        &tab,
        "whatsapp",
        "Lauftreff Süd",
        "de",
        1.0,
    );
    let inputs = context.rule_inputs(1.0);
    let verdict = crate::rules::evaluate_with(&observation, &inputs);
    assert_eq!(verdict.level, crate::rules::Level::Note);
    assert_eq!(context.lang, Lang::De);
    let ask_message = crate::ask::ask_message(
        &context.templates,
        context.lang,
        "Lauftreff Süd",
        &inputs.to_ask(&observation),
    );
    assert!(
        ask_message.starts_with("Hallo Ann, Bo und Cy"),
        "{ask_message}"
    );
    assert!(ask_message.contains("„Lauftreff Süd“"));

    // Ten confirmed adds in the window make the next one-person dialog warn.
    for _ in 0..10 {
        background.dispatch_value(
            &tab,
            content(json!({"type": "add_confirmed", "site": "whatsapp", "count": 1})),
            2.0,
        );
    }
    observation.selected = 1;
    observation.now = 3.0;
    let context = context_of(
        &mut background,
        &tab,
        "whatsapp",
        "Lauftreff Süd",
        "de",
        3.0,
    );
    let verdict = crate::rules::evaluate_with(&observation, &context.rule_inputs(3.0));
    assert_eq!(verdict.level, crate::rules::Level::Warn);
    assert_eq!(verdict.reasons[0].id, "warnSequential");
}

#[test]
fn settings_are_validated_on_save_and_written() {
    let mut background = Background::new();
    let outcome = background.dispatch_value(
        &Sender::ExtensionPage,
        page(json!({"type": "set_settings", "settings": {"direct_threshold": 3, "invite_threshold": 0}})),
        1.0,
    );
    let Reply::Page {
        body: PageResponse::Settings { settings, issues },
    } = &outcome.reply
    else {
        panic!();
    };
    assert_eq!(settings.direct_threshold, 3);
    assert_eq!(settings.invite_threshold, 20);
    assert_eq!(issues[0].field, "invite_threshold");
    assert_eq!(outcome.writes[0].key, "settings");
    assert_eq!(outcome.writes[0].value["direct_threshold"], 3);

    let outcome = background.dispatch_value(
        &Sender::ExtensionPage,
        page(json!({"type": "pause_site", "site": "telegram", "pause": "always"})),
        1.0,
    );
    assert_eq!(outcome.writes.len(), 1);
    assert!(background.settings().is_paused(Site::Telegram, 5.0));
}

#[test]
fn a_save_from_an_older_options_page_keeps_the_popup_s_pause() {
    let mut background = Background::new();
    // The options page loads the settings…
    let loaded = serde_json::to_value(background.settings()).unwrap();
    // … the popup pauses Slack meanwhile …
    background.dispatch_value(
        &Sender::ExtensionPage,
        page(json!({"type": "pause_site", "site": "slack", "pause": "always"})),
        1.0,
    );
    // … and the options page saves a threshold from its form, which has no pause.
    let mut form = loaded.clone();
    form["direct_threshold"] = json!(9);
    let outcome = background.dispatch_value(
        &Sender::ExtensionPage,
        page(json!({"type": "set_settings", "settings": form, "base": loaded})),
        2.0,
    );
    assert!(
        matches!(outcome.reply, Reply::Page { .. }),
        "{:?}",
        outcome.reply
    );
    assert_eq!(background.settings().direct_threshold, 9);
    assert!(
        background.settings().is_paused(Site::Slack, 3.0),
        "the pause stays"
    );
    // Without a base the form replaces everything (what an old page did): the pause goes.
    let form = serde_json::to_value(Settings::default()).unwrap();
    background.dispatch_value(
        &Sender::ExtensionPage,
        page(json!({"type": "set_settings", "settings": form})),
        3.0,
    );
    assert!(!background.settings().is_paused(Site::Slack, 4.0));
}

fn storage_status(background: &mut Background) -> PageResponse {
    match background
        .dispatch_value(
            &Sender::ExtensionPage,
            page(json!({"type": "get_storage_status"})),
            1.0,
        )
        .reply
    {
        Reply::Page { body } => body,
        other => panic!("{other:?}"),
    }
}

#[test]
fn storage_use_and_backups_are_shown_and_backups_can_be_deleted() {
    let mut stored = Map::new();
    stored.insert(
        storage::KEY_SCHEMA_VERSION.into(),
        json!(storage::SCHEMA_VERSION),
    );
    stored.insert(storage::KEY_RECORD.into(), json!("{{{ not a record"));
    stored.insert("backup.record.7".into(), json!("x".repeat(9 * 1024 * 1024)));
    let (mut background, _) = Background::load(&stored, 1.0);
    let PageResponse::StorageStatus {
        backups,
        bytes_by_key,
        bytes_in_use,
        quota_bytes,
        unsaved,
        ..
    } = storage_status(&mut background)
    else {
        panic!()
    };
    assert_eq!(
        backups.len(),
        2,
        "the old backup and the unreadable record's: {backups:?}"
    );
    assert!(bytes_by_key["backup.record.7"] > 9 * 1024 * 1024);
    assert_eq!(bytes_in_use, bytes_by_key.values().sum::<u64>());
    assert!(storage::near_quota(bytes_in_use, quota_bytes));
    assert_eq!(unsaved, None);
    background.set_unsaved(Some("quota".into()));

    // Deleting the large backup frees its room.
    let outcome = background.dispatch_value(
        &Sender::ExtensionPage,
        page(json!({"type": "delete_backup", "key": "backup.record.7"})),
        2.0,
    );
    assert_eq!(outcome.removals, vec!["backup.record.7".to_string()]);
    let PageResponse::StorageStatus {
        backups,
        bytes_in_use,
        quota_bytes,
        unsaved,
        ..
    } = storage_status(&mut background)
    else {
        panic!()
    };
    assert_eq!(backups.len(), 1);
    assert!(!storage::near_quota(bytes_in_use, quota_bytes));
    assert_eq!(unsaved.as_deref(), Some("quota"));
    // Only backups: nothing else can be deleted this way.
    for key in ["record", "settings", "backup.record.7"] {
        let outcome = background.dispatch_value(
            &Sender::ExtensionPage,
            page(json!({"type": "delete_backup", "key": key})),
            3.0,
        );
        assert!(outcome.removals.is_empty(), "{key}");
    }
}

#[test]
fn a_page_stops_counting_itself_paused_when_the_pause_ends() {
    let mut background = Background::new();
    let tab = Sender::ContentScript {
        tab_id: Some(4),
        site: Site::Slack,
    };
    let context_at = |background: &mut Background, now: f64| {
        let Reply::Content {
            body: ContentResponse::Context { context },
        } = reply_of(
            background,
            &tab,
            content(json!({"type": "page_context", "site": "slack", "group": null})),
            now,
        )
        else {
            panic!("no context");
        };
        context
    };
    background.dispatch_value(
        &Sender::ExtensionPage,
        page(json!({"type": "pause_site", "site": "slack", "pause": 100.0})),
        1.0,
    );
    let context = context_at(&mut background, 10.0);
    assert!(context.paused);
    assert_eq!(context.pause_ends, Some(100.0));
    assert!(context.rule_inputs(99.0).paused);
    assert!(
        !context.rule_inputs(100.0).paused,
        "over at its end, without asking again"
    );
    background.dispatch_value(
        &Sender::ExtensionPage,
        page(json!({"type": "pause_site", "site": "slack", "pause": "always"})),
        20.0,
    );
    let context = context_at(&mut background, 30.0);
    assert_eq!(context.pause_ends, None);
    assert!(context.rule_inputs(1e15).paused);
}

#[test]
fn export_import_and_delete_through_the_router() {
    let stored = json!({
        "schema_version": 1,
        "record": "broken",
    });
    let (mut background, report) = Background::load(stored.as_object().unwrap(), 42.0);
    assert_eq!(report.problems.len(), 1);
    let tab = Sender::ContentScript {
        tab_id: Some(9),
        site: Site::Telegram,
    };
    let left = background.dispatch_value(
        &tab,
        content(json!({"type": "left_group", "group": {"site": "telegram", "key": "-1303328644"}, "name": "Chat"})),
        5.0,
    );
    assert_eq!(left.writes.len(), 2, "{:?}", left.reply);
    assert_eq!(left.writes[0].key, "record");
    let Reply::Page {
        body: PageResponse::Export { data, file_name },
    } = reply_of(
        &mut background,
        &Sender::ExtensionPage,
        page(json!({"type": "export"})),
        6.0,
    )
    else {
        panic!();
    };
    assert_eq!(file_name, "ask-first-export-6.json");
    let exported_record = background.record().clone();

    let outcome = background.dispatch_value(
        &Sender::ExtensionPage,
        page(json!({"type": "delete_everything"})),
        7.0,
    );
    assert_eq!(outcome.removals, vec!["backup.record.42".to_string()]);
    assert_eq!(background.record(), &Record::default());

    let outcome = background.dispatch_value(
        &Sender::ExtensionPage,
        page(json!({"type": "import", "data": data, "mode": "replace"})),
        8.0,
    );
    assert!(matches!(
        outcome.reply,
        Reply::Page {
            body: PageResponse::Imported { .. }
        }
    ));
    assert_eq!(background.record(), &exported_record);
    assert_eq!(outcome.writes.len(), 1);

    let failed = background.dispatch_value(
        &Sender::ExtensionPage,
        page(json!({"type": "import", "data": "nonsense", "mode": "merge"})),
        9.0,
    );
    assert!(matches!(
        failed.reply,
        Reply::Page {
            body: PageResponse::ImportFailed { .. }
        }
    ));
    assert!(failed.writes.is_empty());
    assert_eq!(background.record(), &exported_record);
}

#[test]
fn packs_are_imported_listed_delivered_to_content_and_reset() {
    let mut background = Background::new();
    let page_sender = Sender::ExtensionPage;
    let tab = Sender::ContentScript {
        tab_id: Some(3),
        site: Site::Facebook,
    };
    let bundled = crate::pack::bundled_for(Site::Facebook).unwrap();
    let list = |background: &mut Background| {
        let Reply::Page {
            body: PageResponse::Packs { packs },
        } = reply_of(
            background,
            &page_sender,
            page(json!({"type": "get_packs"})),
            1.0,
        )
        else {
            panic!("no pack list");
        };
        packs
    };
    let packs = list(&mut background);
    assert_eq!(packs.len(), Site::ALL.len());
    assert_eq!(
        packs[0],
        PackStatus {
            site: Site::Facebook,
            bundled: bundled.version,
            imported: None,
            active: PackSource::Bundled
        }
    );

    // A refused import: a clear error, nothing written or changed.
    let mut older = bundled.clone();
    older.version = bundled.version;
    for data in [
        "{".to_string(),
        serde_json::to_string(&older).unwrap(),
        newer_pack_json(Site::Facebook).replace("\"hosts\"", "\"script\": 1, \"hosts\""),
    ] {
        let outcome = background.dispatch_value(
            &page_sender,
            page(json!({"type": "import_pack", "data": data})),
            2.0,
        );
        let Reply::Page {
            body: PageResponse::PackImportFailed { error, message },
        } = &outcome.reply
        else {
            panic!("{data} was not refused: {:?}", outcome.reply);
        };
        assert_eq!(message, &error.to_string());
        assert!(outcome.writes.is_empty(), "{data}");
    }
    assert!(background.packs.is_empty());

    // A newer pack: stored, listed as active and delivered to the site's content scripts.
    let data = newer_pack_json(Site::Facebook);
    let outcome = background.dispatch_value(
        &page_sender,
        page(json!({"type": "import_pack", "data": data})),
        3.0,
    );
    assert_eq!(
        outcome.reply,
        Reply::Page {
            body: PageResponse::PackImported {
                site: Site::Facebook,
                version: bundled.version + 1,
                replaced: None
            }
        }
    );
    assert_eq!(outcome.writes.len(), 1);
    assert_eq!(outcome.writes[0].key, "packs");
    assert_eq!(
        outcome.writes[0].value["facebook"]["version"],
        json!(bundled.version + 1)
    );
    let packs = list(&mut background);
    assert_eq!(packs[0].imported, Some(bundled.version + 1));
    assert_eq!(packs[0].active, PackSource::Imported);
    assert_eq!(packs[1].active, PackSource::Bundled);
    let Reply::Content {
        body: ContentResponse::Started { pack: Some(text) },
    } = reply_of(&mut background, &tab, hello("facebook", "wasm"), 4.0)
    else {
        panic!("the imported pack was not delivered");
    };
    // The content script reads it as it reads a bundled pack.
    let pack = SitePack::parse(&text).unwrap();
    assert_eq!(pack.version, bundled.version + 1);
    // Another site's tab gets its bundled pack.
    let slack = Sender::ContentScript {
        tab_id: Some(4),
        site: Site::Slack,
    };
    assert_eq!(
        reply_of(&mut background, &slack, hello("slack", "wasm"), 4.0),
        Reply::Content {
            body: ContentResponse::Started { pack: None }
        }
    );
    // The same pack again changes nothing; the load of the written value gives it back.
    let again = background.dispatch_value(
        &page_sender,
        page(json!({"type": "import_pack", "data": data})),
        5.0,
    );
    assert!(again.writes.is_empty());
    let stored = json!({"schema_version": 1, "packs": outcome.writes[0].value.clone()});
    let (reloaded, report) = Background::load(stored.as_object().unwrap(), 6.0);
    assert!(report.problems.is_empty());
    assert_eq!(reloaded.active_import(Site::Facebook), Some(&pack));

    // Reset: the bundled pack again, written; a second reset changes nothing.
    let outcome = background.dispatch_value(
        &page_sender,
        page(json!({"type": "reset_pack", "site": "facebook"})),
        7.0,
    );
    assert_eq!(
        outcome.reply,
        Reply::Page {
            body: PageResponse::Done { changed: true }
        }
    );
    assert_eq!(outcome.writes[0].value, json!({}));
    assert_eq!(list(&mut background)[0].active, PackSource::Bundled);
    assert_eq!(
        reply_of(&mut background, &tab, hello("facebook", "wasm"), 8.0),
        Reply::Content {
            body: ContentResponse::Started { pack: None }
        }
    );
    let again = background.dispatch_value(
        &page_sender,
        page(json!({"type": "reset_pack", "site": "facebook"})),
        9.0,
    );
    assert!(again.writes.is_empty());
}

#[test]
fn a_stored_import_the_bundled_pack_caught_up_with_is_listed_but_inactive() {
    let stale = crate::pack::bundled_for(Site::Telegram).unwrap();
    let stored = json!({"schema_version": 1, "packs": {"telegram": stale}});
    let (mut background, report) = Background::load(stored.as_object().unwrap(), 1.0);
    assert!(report.problems.is_empty());
    let telegram = background
        .pack_statuses()
        .into_iter()
        .find(|status| status.site == Site::Telegram)
        .unwrap();
    assert_eq!(telegram.imported, Some(telegram.bundled));
    assert_eq!(telegram.active, PackSource::Bundled);
    let tab = Sender::ContentScript {
        tab_id: Some(1),
        site: Site::Telegram,
    };
    assert_eq!(
        reply_of(&mut background, &tab, hello("telegram", "wasm"), 2.0),
        Reply::Content {
            body: ContentResponse::Started { pack: None }
        }
    );
    // "Delete everything" drops imported packs too.
    let outcome = background.dispatch_value(
        &Sender::ExtensionPage,
        page(json!({"type": "delete_everything"})),
        3.0,
    );
    assert!(outcome
        .writes
        .iter()
        .any(|w| w.key == "packs" && w.value == json!({})));
    assert!(background
        .pack_statuses()
        .iter()
        .all(|s| s.imported.is_none()));
}
