//! A dismissed re-add flag stays dismissed for that re-addition (after a reload, and after the
//! background was stopped and loaded its storage again); the next re-addition flags again.
//! Driven through the background's router as the content script speaks to it.

use ask_first_core::dismiss::{KEY_DISMISSED, MAX_DISMISSED};
use ask_first_core::router::{Background, Outcome, Sender};
use ask_first_core::site::Site;
use serde_json::{json, Map, Value};

const TAB: Sender = Sender::ContentScript {
    tab_id: Some(4),
    site: Site::Facebook,
};

fn content(body: Value) -> Value {
    json!({"v": 1, "channel": "content", "body": body})
}

fn group() -> Value {
    json!({"site": "facebook", "key": "4711"})
}

/// The storage as the glue keeps it: every write applied.
#[derive(Default)]
struct Store(Map<String, Value>);

impl Store {
    fn send(&mut self, background: &mut Background, body: Value, now: f64) -> Value {
        let outcome: Outcome = background.dispatch_value(&TAB, content(body), now);
        for write in &outcome.writes {
            self.0.insert(write.key.clone(), write.value.clone());
        }
        serde_json::to_value(&outcome.reply).unwrap()
    }
}

/// The tab shows the group (hello, then its context), as a page load does.
fn visit(store: &mut Store, background: &mut Background, now: f64) {
    store.send(
        background,
        json!({"type": "hello", "site": "facebook", "engine": "wasm"}),
        now,
    );
    store.send(
        background,
        json!({"type": "page_context", "site": "facebook", "group": group()}),
        now,
    );
}

/// The notice of a sighting's answer: (number, flag).
fn seen(store: &mut Store, background: &mut Background, event: &str, now: f64) -> (u64, bool) {
    let reply = store.send(
        background,
        json!({"type": "seen_readded", "group": group(), "event_id": event, "actor": "Anna"}),
        now,
    );
    let notice = reply
        .pointer("/body/result/notice")
        .unwrap_or_else(|| panic!("a notice: {reply}"));
    (
        notice["number"].as_u64().unwrap(),
        notice["flag"].as_bool().unwrap(),
    )
}

fn refused(reply: &Value) -> bool {
    reply.get("error").is_some()
}

#[test]
fn a_dismissed_flag_stays_dismissed_until_the_next_readdition() {
    let mut store = Store::default();
    let mut background = Background::new();
    visit(&mut store, &mut background, 1.0);
    store.send(
        &mut background,
        json!({"type": "left_group", "group": group(), "name": "Berlin Networking Circle"}),
        2.0,
    );
    assert_eq!(
        seen(&mut store, &mut background, "added:m1", 3.0),
        (1, true)
    );

    // Refused: no such re-addition, another group, a tab that does not show the group.
    for (body, sender) in [
        (
            json!({"type": "dismissed_flag", "group": group(), "number": 2}),
            TAB,
        ),
        (
            json!({"type": "dismissed_flag", "group": group(), "number": 0}),
            TAB,
        ),
        (
            json!({"type": "dismissed_flag", "group": group(), "invitation": true, "number": 1}),
            TAB,
        ),
        (
            json!({"type": "dismissed_flag", "group": {"site": "facebook", "key": "4712"}, "number": 1}),
            TAB,
        ),
        (
            json!({"type": "dismissed_flag", "group": group(), "number": 1}),
            Sender::ContentScript {
                tab_id: Some(9),
                site: Site::Facebook,
            },
        ),
    ] {
        let outcome = background.dispatch_value(&sender, content(body.clone()), 4.0);
        let reply = serde_json::to_value(&outcome.reply).unwrap();
        assert!(refused(&reply), "{body} → {reply}");
        assert!(outcome.writes.is_empty(), "{body}");
    }

    // The user dismisses #1: stored under `dismissed`.
    let reply = store.send(
        &mut background,
        json!({"type": "dismissed_flag", "group": group(), "invitation": false, "number": 1}),
        5.0,
    );
    assert!(!refused(&reply), "{reply}");
    assert_eq!(store.0[KEY_DISMISSED].as_array().unwrap().len(), 1);

    // A reload shows the same re-addition again: counted once, no flag.
    visit(&mut store, &mut background, 6.0);
    assert_eq!(
        seen(&mut store, &mut background, "added:m1", 6.5),
        (1, false)
    );
    // So does a visit that finds the group again without the message.
    assert_eq!(seen(&mut store, &mut background, "visit", 6.6), (1, false));

    // The background stopped and loaded from storage: still dismissed.
    let (mut background, _) = Background::load(&store.0, 7.0);
    visit(&mut store, &mut background, 7.0);
    assert_eq!(
        seen(&mut store, &mut background, "added:m1", 7.5),
        (1, false)
    );

    // Left again and added again: #2 flags.
    store.send(
        &mut background,
        json!({"type": "left_group", "group": group(), "name": "Berlin Networking Circle"}),
        8.0,
    );
    assert_eq!(
        seen(&mut store, &mut background, "added:m2", 9.0),
        (2, true)
    );
    assert_eq!(
        seen(&mut store, &mut background, "added:m2", 9.5),
        (2, true)
    );

    // Forgetting the group forgets its dismissals.
    store.send(
        &mut background,
        json!({"type": "dismissed_flag", "group": group(), "number": 2}),
        9.7,
    );
    assert_eq!(
        seen(&mut store, &mut background, "added:m2", 9.8),
        (2, false)
    );
    let outcome = background.dispatch_value(
        &Sender::ExtensionPage,
        json!({"v": 1, "channel": "page", "body": {"type": "forget_group", "group": group()}}),
        9.9,
    );
    let written = outcome
        .writes
        .iter()
        .find(|write| write.key == KEY_DISMISSED)
        .expect("dismissed written");
    assert_eq!(written.value, json!([]));

    // "Delete everything" forgets the dismissals too.
    store.send(
        &mut background,
        json!({"type": "left_group", "group": group(), "name": "Berlin Networking Circle"}),
        9.95,
    );
    assert_eq!(
        seen(&mut store, &mut background, "added:m3", 9.96),
        (1, true)
    );
    store.send(
        &mut background,
        json!({"type": "dismissed_flag", "group": group(), "number": 1}),
        9.97,
    );
    assert_eq!(store.0[KEY_DISMISSED].as_array().unwrap().len(), 1);
    let outcome = background.dispatch_value(
        &Sender::ExtensionPage,
        json!({"v": 1, "channel": "page", "body": {"type": "delete_everything"}}),
        10.0,
    );
    let cleared = outcome
        .writes
        .iter()
        .find(|write| write.key == KEY_DISMISSED)
        .expect("dismissed written");
    assert_eq!(cleared.value, json!([]));
}

#[test]
fn a_stored_value_of_any_shape_loads() {
    for value in [
        json!("not a list"),
        json!([1, 2, {"x": 1}]),
        Value::from(vec![Value::from("x"); MAX_DISMISSED * 3]),
    ] {
        let mut stored = Map::new();
        stored.insert(KEY_DISMISSED.into(), value);
        let (mut background, _) = Background::load(&stored, 1.0);
        let mut store = Store(stored);
        visit(&mut store, &mut background, 1.0);
        store.send(
            &mut background,
            json!({"type": "left_group", "group": group(), "name": "G"}),
            2.0,
        );
        assert_eq!(
            seen(&mut store, &mut background, "added:m1", 3.0),
            (1, true)
        );
    }
}
