//! The hand-written content codec against serde, the background's side of the same wire.

use proptest::prelude::*;

use super::*;
use crate::pack::{bundled, decode_checked_pack, MessageMeaning, SitePack, BUNDLED_SOURCES};
use crate::protocol::{Envelope, Reply, Request};
use crate::site::Site;

/// Text a page or the record can hand over: markup, quotes, controls, bidi overrides, emoji.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("<img src=x onerror=alert(1)>\"'\\/".to_string()),
        Just("\u{202e}evil\u{0}\u{1f}\u{7f}\u{2028}".to_string()),
        Just("Grüße 👋 „Gruppe“".to_string()),
        any::<String>(),
    ]
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text())
}

fn site() -> impl Strategy<Value = Site> {
    proptest::sample::select(Site::ALL.to_vec())
}

fn group() -> impl Strategy<Value = GroupRef> {
    (site(), text()).prop_map(|(site, key)| GroupRef { site, key })
}

fn whole_time() -> impl Strategy<Value = f64> {
    (0u64..4_000_000_000_000).prop_map(|ms| ms as f64)
}

/// Times as the record holds them: whole milliseconds, sometimes with a fraction (imported
/// records), which the reader takes exactly up to 15 significant digits.
fn time() -> impl Strategy<Value = f64> {
    prop_oneof![
        whole_time(),
        (-4_000_000_000_000i64..4_000_000_000_000, 0u16..1000)
            .prop_map(|(ms, thousandths)| format!("{ms}.{thousandths:03}").parse().unwrap()),
    ]
}

fn health() -> impl Strategy<Value = Health> {
    prop_oneof![
        Just(Health::Unknown),
        Just(Health::Ok),
        text().prop_map(Health::Degraded),
    ]
}

fn pick<T: WireName + Clone + std::fmt::Debug>() -> impl Strategy<Value = T> {
    proptest::sample::select(T::NAMES.iter().map(|(value, _)| *value).collect::<Vec<_>>())
}

fn content_request() -> impl Strategy<Value = ContentRequest> {
    prop_oneof![
        (site(), pick::<Engine>())
            .prop_map(|(site, engine)| ContentRequest::Hello { site, engine }),
        (proptest::option::of(site()), text())
            .prop_map(|(site, reason)| ContentRequest::EngineFailed { site, reason }),
        (site(), health()).prop_map(|(site, health)| ContentRequest::Health { site, health }),
        (site(), proptest::option::of(group()), text()).prop_map(|(site, group, ui_language)| {
            ContentRequest::PageContext {
                site,
                group,
                ui_language,
            }
        }),
        (group(), text(), opt_text()).prop_map(|(group, name, url)| ContentRequest::LeftGroup {
            group,
            name,
            url
        }),
        (group(), text(), opt_text()).prop_map(|(group, event_id, actor)| {
            ContentRequest::SeenReadded {
                group,
                event_id,
                actor,
            }
        }),
        (group(), text(), opt_text()).prop_map(|(group, event_id, actor)| {
            ContentRequest::Reinvited {
                group,
                event_id,
                actor,
            }
        }),
        group().prop_map(|group| ContentRequest::RejoinedOnPurpose { group }),
        (group(), any::<bool>(), any::<u32>()).prop_map(|(group, invitation, number)| {
            ContentRequest::DismissedFlag {
                group,
                invitation,
                number,
            }
        }),
        (
            site(),
            proptest::option::of(group()),
            opt_text(),
            pick::<AddOutcomeKind>(),
            any::<u32>()
        )
            .prop_map(|(site, group, group_name, outcome, count)| {
                ContentRequest::AddOutcome {
                    site,
                    group,
                    group_name,
                    outcome,
                    count,
                }
            }),
        (site(), proptest::option::of(group()), any::<u32>())
            .prop_map(|(site, group, count)| ContentRequest::AddConfirmed { site, group, count }),
        (
            site(),
            proptest::option::of(group()),
            opt_text(),
            proptest::collection::vec(text(), 0..4)
        )
            .prop_map(|(site, group, group_name, names)| {
                ContentRequest::MarkAgreed {
                    site,
                    group,
                    group_name,
                    names,
                }
            }),
    ]
}

fn notice() -> impl Strategy<Value = ReAddNotice> {
    (
        site(),
        (text(), text()),
        (time(), time()),
        (any::<u32>(), any::<u32>()),
        opt_text(),
        proptest::option::of(any::<u32>()),
        any::<bool>(),
    )
        .prop_map(
            |(
                site,
                (group, group_name),
                (first_left, last_left),
                (times_left, number),
                actor,
                actor_count,
                flag,
            )| {
                ReAddNotice {
                    site,
                    group,
                    group_name,
                    first_left,
                    last_left,
                    times_left,
                    number,
                    actor,
                    actor_count,
                    flag,
                }
            },
        )
}

fn context() -> impl Strategy<Value = ContentContext> {
    let left = (
        text(),
        time(),
        time(),
        any::<u32>(),
        any::<u32>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(name, first_left, last_left, times_left, readditions, is_out, flagging)| {
                LeftSummary {
                    name,
                    first_left,
                    last_left,
                    times_left,
                    readditions,
                    is_out,
                    flagging,
                }
            },
        );
    (
        (
            any::<bool>(),
            pick::<Mode>(),
            any::<bool>(),
            proptest::option::of(time()),
        ),
        (any::<bool>(), any::<u32>(), any::<u32>(), any::<bool>()),
        (any::<u32>(), any::<u32>(), any::<u32>()),
        (pick::<Lang>(), text(), text()),
        proptest::option::of(left),
        proptest::collection::vec(text(), 0..4),
    )
        .prop_map(
            |(
                (enabled, mode, paused, pause_ends),
                (trusted_group, direct_threshold, invite_threshold, quiet_note),
                (sequential_count, sequential_minutes, added_in_window),
                (lang, en, de),
                left,
                agreed,
            )| ContentContext {
                enabled,
                mode,
                paused,
                pause_ends,
                trusted_group,
                direct_threshold,
                invite_threshold,
                quiet_note,
                sequential_count,
                sequential_minutes,
                added_in_window,
                lang,
                templates: Templates { en, de },
                left,
                agreed,
            },
        )
}

fn refusal_strategy() -> impl Strategy<Value = Refusal> {
    prop_oneof![
        text().prop_map(Refusal::Malformed),
        (any::<u32>(), any::<u32>())
            .prop_map(|(expected, got)| Refusal::VersionMismatch { expected, got }),
        Just(Refusal::NotAllowed),
        Just(Refusal::NoTab),
        text().prop_map(Refusal::Invalid),
        text().prop_map(Refusal::Storage),
        text().prop_map(Refusal::OverBudget),
    ]
}

fn content_response() -> impl Strategy<Value = ContentResponse> {
    prop_oneof![
        Just(ContentResponse::Ack),
        opt_text().prop_map(|pack| ContentResponse::Started { pack }),
        context().prop_map(|context| ContentResponse::Context { context }),
        prop_oneof![
            Just(ReAddResult::NotTracked),
            notice().prop_map(|notice| ReAddResult::AlreadyCounted { notice }),
            notice().prop_map(|notice| ReAddResult::Counted { notice }),
        ]
        .prop_map(|result| ContentResponse::Readd { result }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// What the content script writes is what the background's serde reads.
    #[test]
    fn content_requests_read_back_in_serde(request in content_request()) {
        let text = encode_content_request(&request);
        let read: Envelope = serde_json::from_str(&text)
            .map_err(|err| TestCaseError::fail(format!("{err}: {text}")))?;
        prop_assert_eq!(read, Envelope::new(Request::Content(request)));
    }

    /// What the background's serde writes is what the content script reads.
    #[test]
    fn replies_from_serde_read_back(body in content_response(), error in refusal_strategy()) {
        let text = serde_json::to_string(&Reply::Content { body: body.clone() }).unwrap();
        prop_assert_eq!(decode_content_reply(&text).unwrap(), ContentReply::Content { body });
        let text = serde_json::to_string(&Reply::Refused { error: error.clone() }).unwrap();
        prop_assert_eq!(decode_content_reply(&text).unwrap(), ContentReply::Refused { error });
    }

    /// A bundled pack or a reply with bytes changed, cut or repeated is an error or a value,
    /// never a panic.
    #[test]
    fn damaged_packs_and_replies_are_errors_not_panics(
        which in 0usize..7,
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..8),
        body in content_response(),
    ) {
        let reply = serde_json::to_string(&Reply::Content { body }).unwrap();
        for source in [BUNDLED_SOURCES[which].2.to_string(), reply] {
            let mut bytes = source.into_bytes();
            for (at, byte, how) in &edits {
                if bytes.is_empty() {
                    break;
                }
                let at = at % bytes.len();
                match how {
                    0 => bytes[at] = *byte,
                    1 => bytes.truncate(at),
                    _ => {
                        let copy = bytes[at..].to_vec();
                        bytes.extend_from_slice(&copy);
                    }
                }
            }
            let text = String::from_utf8_lossy(&bytes);
            let _ = decode_checked_pack(&text);
            let _ = decode_content_reply(&text);
        }
    }

    /// Arbitrary text is an error or a reply, never a panic.
    #[test]
    fn any_text_is_an_error_not_a_panic(text in any::<String>()) {
        let _ = decode_content_reply(&text);
        let _ = decode_checked_pack(&text);
    }
}

#[test]
fn a_page_reply_or_garbage_is_not_a_content_reply() {
    let page = serde_json::to_string(&Reply::Page {
        body: crate::protocol::PageResponse::Done { changed: true },
    })
    .unwrap();
    assert_eq!(
        decode_content_reply(&page).unwrap_err().to_string(),
        "not a content reply: `page`"
    );
    for (text, error) in [
        ("", "unexpected end at byte 0"),
        ("[]", "reply: expected an object"),
        (r#"{"outcome": 1}"#, "`outcome`: expected a string"),
        (
            r#"{"outcome": "content", "body": {"type": "nope"}}"#,
            "unknown response `nope`",
        ),
        (
            r#"{"outcome": "content", "body": {"type": "context", "context": {"templates": {}, "enabled": true, "mode": "loud"}}}"#,
            "`mode`: unknown value `loud`",
        ),
        (
            r#"{"outcome": "refused", "error": {"code": "storage"}}"#,
            "missing field `detail`",
        ),
    ] {
        assert_eq!(
            decode_content_reply(text).unwrap_err().to_string(),
            error,
            "{text}"
        );
    }
}

#[test]
fn every_bundled_pack_reads_as_serde_reads_it() {
    for (pack, (_, file, source)) in bundled().iter().zip(BUNDLED_SOURCES) {
        let parsed = SitePack::parse(source).unwrap();
        assert_eq!(&parsed, pack, "{file}");
        assert_eq!(decode_checked_pack(source).unwrap(), parsed, "{file}");
        // The background delivers an imported pack as serde writes it.
        let written = serde_json::to_string(&parsed).unwrap();
        assert_eq!(decode_checked_pack(&written).unwrap(), parsed, "{file}");
    }
}

#[test]
fn a_pack_with_the_wrong_shape_is_an_error() {
    let source = BUNDLED_SOURCES[0].2;
    for (from, to, error) in [
        ("\"version\"", "\"version_\"", "missing field `version`"),
        (
            "\"type\":\"counter\"",
            "\"type\":\"count\"",
            "unknown count source `count`",
        ),
        (
            "\"site\":\"facebook\"",
            "\"site\":\"myspace\"",
            "`site`: unknown value `myspace`",
        ),
    ] {
        assert!(source.contains(from), "{from}");
        let broken = source.replacen(from, to, 1);
        assert_eq!(decode_checked_pack(&broken).unwrap_err().to_string(), error);
    }
}

#[test]
fn wire_names_are_serde_names() {
    fn check<T: WireName + PartialEq + std::fmt::Debug + serde::Serialize>() {
        for (value, name) in T::NAMES {
            assert_eq!(serde_json::to_value(value).unwrap(), *name);
            assert_eq!(value.wire_name(), *name);
            assert_eq!(T::from_wire_name(name, "x").unwrap(), *value);
        }
    }
    check::<Site>();
    assert_eq!(Site::NAMES.len(), Site::ALL.len());
    check::<Engine>();
    check::<AddOutcomeKind>();
    check::<Mode>();
    check::<Lang>();
    check::<Language>();
    check::<MessageMeaning>();
    check::<Reading>();
    check::<ReadKind>();
    check::<PackSource>();
}

fn site_check() -> impl Strategy<Value = SiteCheck> {
    let part = (text(), any::<u32>(), proptest::option::of(any::<u32>())).prop_map(
        |(part, matched, fitting)| PartCount {
            part,
            matched,
            fitting,
        },
    );
    let last = proptest::option::of(
        (pick::<ReadKind>(), text(), any::<u32>(), any::<u32>()).prop_map(
            |(by, dialog, selected, seconds_ago)| LastRead {
                by,
                dialog,
                selected,
                seconds_ago,
            },
        ),
    );
    let signals = (
        any::<u32>(),
        any::<u32>(),
        any::<u32>(),
        any::<u32>(),
        any::<u32>(),
        any::<u32>(),
        any::<bool>(),
    )
        .prop_map(
            |(dialogs, panels, people, with_picture, chips, selected, add_control)| {
                StructureSignals {
                    dialogs,
                    panels,
                    people,
                    with_picture,
                    chips,
                    selected,
                    add_control,
                }
            },
        );
    (
        site(),
        any::<u32>(),
        pick::<PackSource>(),
        pick::<Engine>(),
        pick::<Reading>(),
        last,
        any::<bool>(),
        proptest::collection::vec(part, 0..12),
        signals,
    )
        .prop_map(
            |(site, pack_version, pack_source, engine, reading, last, entry, parts, structure)| {
                SiteCheck {
                    site,
                    pack_version,
                    pack_source,
                    engine,
                    reading,
                    last,
                    entry,
                    parts,
                    structure,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// The site check the content script writes is what the popup's serde reads.
    #[test]
    fn site_checks_read_back_in_serde(check in site_check()) {
        use crate::protocol::{TabReply, TabResponse};
        let text = encode_site_check_reply(&check);
        let read: TabReply = serde_json::from_str(&text)
            .map_err(|err| TestCaseError::fail(format!("{err}: {text}")))?;
        prop_assert_eq!(read, TabReply::Tab { body: TabResponse::SiteCheck { check } });
    }
}

#[test]
fn tab_requests_are_read_as_serde_writes_them_and_nothing_else() {
    use crate::protocol::{TabEnvelope, TabReply};
    let text = serde_json::to_string(&TabEnvelope::new(TabRequest::SiteCheck)).unwrap();
    assert_eq!(decode_tab_request(&text), Ok(TabRequest::SiteCheck));
    for pack in [None, Some("{\"site\":\"facebook\"}".to_owned())] {
        let request = TabRequest::UsePack {
            site: Site::Facebook,
            pack,
        };
        let text = serde_json::to_string(&TabEnvelope::new(request.clone())).unwrap();
        assert_eq!(decode_tab_request(&text), Ok(request));
    }
    assert!(decode_tab_request(
        r#"{"v":1,"channel":"tab","body":{"type":"use_pack","site":"myspace"}}"#
    )
    .is_err());
    for bad in [
        "",
        "{}",
        r#"{"v":1,"channel":"content","body":{"type":"site_check"}}"#,
        r#"{"v":2,"channel":"tab","body":{"type":"site_check"}}"#,
        r#"{"v":1,"channel":"tab","body":{"type":"delete_everything"}}"#,
    ] {
        assert!(decode_tab_request(bad).is_err(), "{bad}");
    }
    let refused: TabReply = serde_json::from_str(&encode_tab_refusal("why \"not\"")).unwrap();
    assert_eq!(
        refused,
        TabReply::Refused {
            error: Refusal::Malformed("why \"not\"".into())
        }
    );
}
