//! The monthly picture through the router, as the background keeps it: incidents reported by
//! pages count in the user's local month, the months outlive the incident history's cap and a
//! restart, and an export carries them.

use ask_first_core::model::MAX_OWN_INCIDENTS_PER_SITE;
use ask_first_core::monthly::{chart, Month};
use ask_first_core::protocol::{PageResponse, Reply};
use ask_first_core::router::{Background, Sender};
use ask_first_core::site::Site;
use serde_json::{json, Map, Value};

/// 2026-12-31 23:30 UTC: already 2027 in Berlin.
const NEW_YEARS_EVE: f64 = 1_798_759_800_000.0;
const DAY: f64 = 86_400_000.0;

fn content(body: Value) -> Value {
    json!({"v": 1, "channel": "content", "body": body})
}

fn page(body: Value) -> Value {
    json!({"v": 1, "channel": "page", "body": body})
}

fn whatsapp_tab() -> Sender {
    Sender::ContentScript {
        tab_id: Some(1),
        site: Site::Whatsapp,
    }
}

fn outcome(background: &mut Background, outcome: &str, count: u32, now: f64) {
    let reply = background
        .dispatch_value(
            &whatsapp_tab(),
            content(
                json!({"type": "add_outcome", "site": "whatsapp", "outcome": outcome,
                           "count": count}),
            ),
            now,
        )
        .reply;
    assert!(matches!(reply, Reply::Content { .. }), "{reply:?}");
}

#[test]
fn an_incident_counts_in_the_user_s_local_month() {
    let mut berlin = Background::new();
    berlin.set_utc_offset_minutes(60);
    outcome(&mut berlin, "cancelled", 21, NEW_YEARS_EVE);
    let mut utc = Background::new();
    outcome(&mut utc, "cancelled", 21, NEW_YEARS_EVE);
    assert_eq!(
        berlin.record().monthly.keys().collect::<Vec<_>>(),
        ["2027-01"]
    );
    assert_eq!(utc.record().monthly.keys().collect::<Vec<_>>(), ["2026-12"]);
    let january = &berlin.record().monthly["2027-01"];
    assert_eq!((january.held_back, january.held_back_people), (1, 21));
    // Nonsense offsets are ignored.
    berlin.set_utc_offset_minutes(100_000);
    assert_eq!(berlin.record().utc_offset_minutes, 60);
}

#[test]
fn months_outlive_the_history_s_cap_a_restart_and_an_export() {
    let mut background = Background::new();
    // Three times the site's share of own incidents, one a day: the history keeps the newest
    // only, the months keep counting.
    let copies = 3 * MAX_OWN_INCIDENTS_PER_SITE;
    for n in 0..copies {
        outcome(
            &mut background,
            "ask_copied",
            5,
            NEW_YEARS_EVE - (copies - n) as f64 * DAY,
        );
    }
    let record = background.record();
    assert_eq!(record.incidents.len(), MAX_OWN_INCIDENTS_PER_SITE);
    let counted: u32 = record.monthly.values().map(|m| m.asked).sum();
    assert_eq!(counted as usize, copies);
    let december = chart(
        &record.monthly,
        Month {
            year: 2026,
            month: 12,
        },
    );
    // One a day up to 30 December (the last is a day before the eve), and all of November.
    assert_eq!(december.months[11].asked, 30);
    assert_eq!(december.months[10].asked, 30);

    // A restart reads them back from what the background stored.
    let mut stored = Map::new();
    stored.insert(
        "record".into(),
        ask_first_core::storage::record_value(background.record()),
    );
    stored.insert(
        "schema_version".into(),
        json!(ask_first_core::storage::SCHEMA_VERSION),
    );
    let (restarted, report) = Background::load(&stored, NEW_YEARS_EVE);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(restarted.record().monthly, background.record().monthly);

    // An export carries them; importing it into a fresh background brings them back.
    let Reply::Page {
        body: PageResponse::Export { data, .. },
    } = background
        .dispatch_value(&Sender::ExtensionPage, page(json!({"type": "export"})), 0.0)
        .reply
    else {
        panic!("no export");
    };
    let mut fresh = Background::new();
    let imported = fresh
        .dispatch_value(
            &Sender::ExtensionPage,
            page(json!({"type": "import", "data": data, "mode": "replace"})),
            0.0,
        )
        .reply;
    assert!(
        matches!(
            imported,
            Reply::Page {
                body: PageResponse::Imported { .. }
            }
        ),
        "{imported:?}"
    );
    assert_eq!(fresh.record().monthly, background.record().monthly);
}
