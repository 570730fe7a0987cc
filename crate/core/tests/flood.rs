//! H1: a page that makes up events (leaves, re-additions, re-invitations, add incidents) as fast
//! as it likes cannot wipe the record: other sites' entries and every unseen re-addition stay,
//! the badge keeps counting them, the flood is refused beyond the budget and reported once.

use ask_first_core::guard::{limits, site_limit, tab_limit, Class};
use ask_first_core::model::{GroupRef, IncidentKind, MAX_LEFT_PER_SITE, MAX_SITE_BYTES};
use ask_first_core::protocol::{PageResponse, Refusal, Reply};
use ask_first_core::router::{Background, Sender};
use ask_first_core::site::Site;
use serde_json::{json, Value};

const T0: f64 = 1_800_000_000_000.0;
const HOUR: f64 = 3_600_000.0;

fn content(body: Value) -> Value {
    json!({"v": 1, "channel": "content", "body": body})
}

fn page(body: Value) -> Value {
    json!({"v": 1, "channel": "page", "body": body})
}

fn tab(id: i32, site: Site) -> Sender {
    Sender::ContentScript {
        tab_id: Some(id),
        site,
    }
}

/// A genuine leave and re-addition on `site`, reported by its tab: the re-addition is unseen.
fn genuine_readdition(
    background: &mut Background,
    sender: &Sender,
    site: &str,
    key: &str,
    now: f64,
) {
    let group = json!({"site": site, "key": key});
    let left = background.dispatch_value(
        sender,
        content(json!({"type": "left_group", "group": group, "name": format!("Genuine {key}")})),
        now,
    );
    assert!(
        matches!(left.reply, Reply::Content { .. }),
        "{:?}",
        left.reply
    );
    let readded = background.dispatch_value(
        sender,
        content(
            json!({"type": "seen_readded", "group": group, "event_id": "message:1:abc",
                       "actor": "Real Person"}),
        ),
        now + 1_000.0,
    );
    assert!(
        matches!(readded.reply, Reply::Content { .. }),
        "{:?}",
        readded.reply
    );
}

/// One made-up event of four kinds, in turn, for a fresh group each time.
fn fabricated(i: u32) -> Value {
    let group = json!({"site": "whatsapp", "key": format!("fake group {}", i / 4)});
    match i % 4 {
        0 => content(
            json!({"type": "left_group", "group": group, "name": format!("Fake {i}"),
                            "url": format!("https://web.whatsapp.com/{}", "x".repeat(200))}),
        ),
        1 => content(json!({"type": "seen_readded", "group": group,
                            "event_id": format!("message:{i}:{}", "f".repeat(150)),
                            "actor": format!("Mallory {i}")})),
        2 => content(json!({"type": "reinvited", "group": group,
                            "event_id": format!("invite:{i}"), "actor": format!("Trudy {i}")})),
        _ => content(
            json!({"type": "add_outcome", "site": "whatsapp", "group": group,
                            "outcome": if i % 8 == 3 { "bulk_warned" } else { "cancelled" },
                            "count": 99}),
        ),
    }
}

#[test]
fn ten_thousand_fabricated_events_leave_other_sites_and_unseen_readditions_intact() {
    let mut background = Background::new();
    // Genuine history: a Slack channel left, a Telegram and a WhatsApp group re-added (unseen),
    // a WhatsApp group left and confirmed by the user on the options page.
    genuine_readdition(
        &mut background,
        &tab(1, Site::Telegram),
        "telegram",
        "-1001303328644",
        T0,
    );
    genuine_readdition(
        &mut background,
        &tab(2, Site::Whatsapp),
        "whatsapp",
        "familie",
        T0,
    );
    let slack = background.dispatch_value(
        &tab(3, Site::Slack),
        content(
            json!({"type": "left_group", "group": {"site": "slack", "key": "T1/C1"},
                       "name": "Team channel"}),
        ),
        T0,
    );
    assert!(matches!(slack.reply, Reply::Content { .. }));
    let confirmed = background.dispatch_value(
        &Sender::ExtensionPage,
        page(
            json!({"type": "record_leave", "group": {"site": "whatsapp", "key": "verein"},
                    "name": "Verein"}),
        ),
        T0,
    );
    assert!(matches!(confirmed.reply, Reply::Page { .. }));
    let unseen_before: Vec<u64> = background
        .record()
        .incidents
        .iter()
        .filter(|i| i.kind.is_received() && !i.seen)
        .map(|i| i.id)
        .collect();
    assert_eq!(unseen_before.len(), 2);
    assert_eq!(background.unseen_readditions(), 2);
    let other_sites: Vec<_> = background
        .record()
        .left
        .iter()
        .filter(|e| e.site != Site::Whatsapp)
        .cloned()
        .collect();
    let genuine_whatsapp: Vec<_> = background
        .record()
        .left
        .iter()
        .filter(|e| e.site == Site::Whatsapp)
        .cloned()
        .collect();

    // The flood: one WhatsApp tab, 10,000 made-up events over two hours (the budgets renew once).
    // The ledger's own tests fill a site's share to its caps.
    let attacker = tab(66, Site::Whatsapp);
    let step = 2.0 * HOUR / 10_000.0;
    let (mut accepted, mut refused, mut record_writes) = (0u32, 0u32, 0u32);
    for i in 0..10_000u32 {
        let outcome =
            background.dispatch_value(&attacker, fabricated(i), T0 + HOUR + f64::from(i) * step);
        match &outcome.reply {
            Reply::Refused {
                error: Refusal::OverBudget(_),
            } => refused += 1,
            Reply::Refused { error } => panic!("refused for another reason: {error}"),
            _ => accepted += 1,
        }
        if outcome.writes.iter().any(|w| w.key == "record") {
            record_writes += 1;
        }
        let record = background.record();
        // Checked after every event: never evicted, not even for a moment.
        for entry in other_sites.iter().chain(&genuine_whatsapp) {
            let kept = record
                .find_left(&entry.group())
                .expect("a genuine left group was evicted");
            assert_eq!(kept.site, entry.site);
            assert!(kept.readditions >= entry.readditions);
        }
        assert!(
            unseen_before
                .iter()
                .all(|id| record.incidents.iter().any(|i| i.id == *id && !i.seen)),
            "an unseen re-addition was evicted at event {i}"
        );
        if i % 500 == 0 {
            assert!(record.site_bytes(Site::Whatsapp) <= MAX_SITE_BYTES);
        }
    }
    let record = background.record();
    for entry in &other_sites {
        assert_eq!(
            record.find_left(&entry.group()),
            Some(entry),
            "other sites untouched"
        );
    }
    assert!(
        background.unseen_readditions() >= 2,
        "the badge still counts the genuine ones"
    );
    assert!(
        record
            .left
            .iter()
            .filter(|e| e.site == Site::Whatsapp)
            .count()
            <= MAX_LEFT_PER_SITE
    );
    // Most of the flood was refused, and what went through stayed within the budgets: per hour
    // at most the tab's share of each class (the first hour's, then the second's).
    assert!(refused > 9_000, "refused {refused}, accepted {accepted}");
    let per_hour = |class| tab_limit(class).per_hour * 2;
    assert!(
        accepted <= per_hour(Class::Leave) + per_hour(Class::Received) + per_hour(Class::Own),
        "{accepted}"
    );
    assert!(record_writes <= accepted);
    let fake_received = record
        .incidents
        .iter()
        .filter(|i| i.site == Site::Whatsapp && i.kind.is_received())
        .count();
    assert!(fake_received > 0, "the flood did get some through");

    // Reported once, for WhatsApp only, and readable by the options page.
    let Reply::Page {
        body: PageResponse::Bursts { bursts },
    } = background
        .dispatch_value(
            &Sender::ExtensionPage,
            page(json!({"type": "get_bursts"})),
            T0 + 3.0 * HOUR,
        )
        .reply
    else {
        panic!("no burst report");
    };
    assert_eq!(bursts.len(), 1, "{bursts:?}");
    assert_eq!(bursts[0].site, Site::Whatsapp);
    assert_eq!(bursts[0].refused, u64::from(refused));
    assert_eq!(
        bursts[0].classes,
        vec![Class::Leave, Class::Received, Class::Own]
    );
    // Other sites' pages still work.
    let other = background.dispatch_value(
        &tab(3, Site::Slack),
        content(
            json!({"type": "left_group", "group": {"site": "slack", "key": "T1/C2"},
                       "name": "Another channel"}),
        ),
        T0 + 3.0 * HOUR,
    );
    assert!(
        matches!(other.reply, Reply::Content { .. }),
        "{:?}",
        other.reply
    );
}

#[test]
fn a_burst_within_an_hour_is_refused_after_the_budget_and_written_rarely() {
    let mut background = Background::new();
    let attacker = tab(5, Site::Facebook);
    let mut writes = 0;
    let mut stored = 0;
    for i in 0..10_000u32 {
        let group = json!({"site": "facebook", "key": format!("x{i}")});
        let outcome = background.dispatch_value(
            &attacker,
            content(json!({"type": "left_group", "group": group, "name": "x"})),
            T0 + f64::from(i),
        );
        writes += outcome.writes.len();
        if matches!(outcome.reply, Reply::Content { .. }) {
            stored += 1;
        }
    }
    assert_eq!(stored, tab_limit(Class::Leave).per_hour);
    assert!(stored < site_limit(Class::Leave).per_hour);
    // Two writes (record, budget) per stored leave, and a handful for the burst report.
    assert!(writes <= 2 * stored as usize + 16, "{writes}");
    let burst = &background.guard().bursts()[0];
    assert_eq!(burst.refused, u64::from(10_000 - stored));
    // A second tab of the site gets the site's other half, then the site is out of budget.
    let second = tab(6, Site::Facebook);
    let mut more = 0;
    for i in 0..1_000u32 {
        let group = json!({"site": "facebook", "key": format!("y{i}")});
        let outcome = background.dispatch_value(
            &second,
            content(json!({"type": "left_group", "group": group, "name": "y"})),
            T0 + 20_000.0 + f64::from(i),
        );
        if matches!(outcome.reply, Reply::Content { .. }) {
            more += 1;
        }
    }
    assert_eq!(stored + more, limits::SITE_LEAVES.per_hour);
    // The record's totals did not move for what was refused.
    assert_eq!(background.record().total(IncidentKind::ReAdded), 0);
}

#[test]
fn the_sites_budget_survives_a_background_restart() {
    let mut background = Background::new();
    let mut stored = serde_json::Map::new();
    let mut now = T0;
    for tab_id in 0..10 {
        for i in 0..100u32 {
            let group =
                json!({"site": "telegram", "key": format!("-{}", 1000 + tab_id * 1000 + i as i32)});
            let outcome = background.dispatch_value(
                &tab(tab_id, Site::Telegram),
                content(json!({"type": "left_group", "group": group, "name": "t"})),
                now,
            );
            for write in outcome.writes {
                stored.insert(write.key, write.value);
            }
            now += 1.0;
        }
    }
    assert_eq!(
        background.record().left.len() as u32,
        site_limit(Class::Leave).per_hour
    );
    // The service worker stops; a new one loads what was stored and the page goes on.
    let (mut restarted, _) = Background::load(&stored, now);
    let outcome = restarted.dispatch_value(
        &tab(99, Site::Telegram),
        content(
            json!({"type": "left_group", "group": {"site": "telegram", "key": "-424242"},
                       "name": "t"}),
        ),
        now + 1.0,
    );
    assert!(
        matches!(
            outcome.reply,
            Reply::Refused {
                error: Refusal::OverBudget(_)
            }
        ),
        "{:?}",
        outcome.reply
    );
    // "Delete everything" forgets the budgets and the reports too.
    restarted.dispatch_value(
        &Sender::ExtensionPage,
        page(json!({"type": "delete_everything"})),
        now + 2.0,
    );
    assert!(restarted.guard().bursts().is_empty());
    let group = GroupRef::new(Site::Telegram, "-424242").unwrap();
    let outcome = restarted.dispatch_value(
        &tab(99, Site::Telegram),
        content(json!({"type": "left_group", "group": group, "name": "t"})),
        now + 3.0,
    );
    assert!(matches!(outcome.reply, Reply::Content { .. }));
}

#[test]
fn a_site_full_of_unseen_readditions_refuses_more_and_says_why() {
    let mut background = Background::new();
    genuine_readdition(
        &mut background,
        &tab(1, Site::Whatsapp),
        "whatsapp",
        "familie",
        T0,
    );
    let mut counted = 0;
    let mut refused_full = 0;
    // Four hours of made-up re-additions at the site's hourly budget, from fresh tabs.
    for hour in 0..4 {
        for j in 0..site_limit(Class::Received).per_hour {
            let now = T0 + f64::from(hour + 1) * HOUR + 60_000.0 + f64::from(j) * 1_000.0;
            let sender = tab(100 + (hour * 100 + j / 30) as i32, Site::Whatsapp);
            let group = json!({"site": "whatsapp", "key": format!("fake {hour} {j}")});
            let left = background.dispatch_value(
                &sender,
                content(json!({"type": "left_group", "group": group, "name": "Fake"})),
                now,
            );
            assert!(
                matches!(left.reply, Reply::Content { .. }),
                "{:?}",
                left.reply
            );
            let seen = background.dispatch_value(
                &sender,
                content(
                    json!({"type": "seen_readded", "group": group, "event_id": "m",
                               "actor": "Mallory"}),
                ),
                now + 1.0,
            );
            match seen.reply {
                Reply::Content { .. } => counted += 1,
                Reply::Refused {
                    error: Refusal::OverBudget(why),
                } => {
                    assert!(why.contains("unseen"), "{why}");
                    refused_full += 1;
                }
                other => panic!("{other:?}"),
            }
        }
    }
    let share = ask_first_core::model::MAX_RECEIVED_PER_SITE as u32;
    assert_eq!(
        counted,
        share - 1,
        "the genuine one and the fakes fill the share"
    );
    assert_eq!(
        refused_full,
        4 * site_limit(Class::Received).per_hour - (share - 1)
    );
    assert_eq!(background.unseen_readditions(), share);
    let genuine = background
        .record()
        .incidents
        .iter()
        .find(|i| i.kind == IncidentKind::ReAdded && i.group.as_deref() == Some("familie"));
    assert!(
        genuine.is_some_and(|i| !i.seen),
        "the genuine unseen re-addition stays"
    );
    let burst = &background.guard().bursts()[0];
    assert!(burst.record_full);
    assert_eq!(burst.classes, vec![Class::Received]);
}
