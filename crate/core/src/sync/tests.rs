use super::*;

use proptest::prelude::*;
use serde_json::json;

use crate::page::{sighting_id, SightingKind};

const DAY: f64 = 86_400_000.0;
/// 1 December 2026, the tests' clock start.
const T0: f64 = 1_796_083_200_000.0;

fn fb(key: &str) -> GroupRef {
    GroupRef::new(Site::Facebook, key).unwrap()
}

/// One browser profile: its record, settings and sync bookkeeping.
#[derive(Debug, Clone, Default)]
struct Browser {
    record: Record,
    settings: Settings,
    local: Local,
}

impl Browser {
    fn new() -> Browser {
        Browser {
            settings: Settings {
                sync: true,
                ..Settings::default()
            },
            ..Browser::default()
        }
    }

    fn leave(&mut self, group: &GroupRef, now: f64) {
        self.record
            .left_group(group, &format!("Group {}", group.key), None, now);
    }

    /// A sighting as the content script reports it: the id is built from the leave time this
    /// browser knows.
    fn sees(&mut self, group: &GroupRef, message: Option<&str>, now: f64) -> bool {
        let Some(entry) = self.record.find_left(group) else {
            return false;
        };
        let kind = match message {
            Some(text) => SightingKind::Added(text),
            None => SightingKind::Visit,
        };
        let id = sighting_id(kind, entry.last_left);
        let actor = message.map(|m| m.split(' ').next().unwrap_or("").to_string());
        let result = self
            .record
            .seen_readded(group, &id, actor.as_deref(), false, now);
        matches!(result, crate::ledger::ReAddResult::Counted { .. })
    }

    fn invited(&mut self, group: &GroupRef, text: &str, now: f64) {
        if let Some(entry) = self.record.find_left(group) {
            let id = sighting_id(SightingKind::Invited(text), entry.last_left);
            self.record.reinvited(group, &id, Some("Max"), false, now);
        }
    }

    fn forget(&mut self, group: &GroupRef, now: f64) {
        self.record.forget_group(group);
        self.local.forget(group, now);
    }

    /// One pass against the shared synced storage, writing what it says.
    fn sync(&mut self, cloud: &mut Value, now: f64) -> Pass {
        let pass = pass(
            &mut self.local,
            &mut self.record,
            &mut self.settings,
            cloud,
            now,
        );
        let object = cloud.as_object_mut().unwrap();
        for key in &pass.remove {
            object.remove(key);
        }
        for (key, value) in &pass.set {
            object.insert(key.clone(), value.clone());
        }
        pass
    }

    /// What the sync promises to make equal: every left group's counts, times and flags.
    fn view(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .record
            .left
            .iter()
            .map(|e| {
                format!(
                    "{}/{} left {}x {}..{} readded {}x (last {:?}) invited {}x out {} flag {} adders {:?} name {}",
                    e.site.id(),
                    e.key,
                    e.times_left,
                    e.first_left,
                    e.last_left,
                    e.readditions,
                    e.last_readded,
                    e.reinvitations,
                    e.is_out,
                    e.flagging,
                    e.adders,
                    e.shown_on_page()
                )
            })
            .collect();
        out.sort();
        out
    }
}

fn cloud() -> Value {
    json!({})
}

/// Syncs both until neither writes (at most a few rounds).
fn settle(a: &mut Browser, b: &mut Browser, cloud: &mut Value, now: f64) {
    for round in 0..6 {
        let pa = a.sync(cloud, now + round as f64);
        let pb = b.sync(cloud, now + round as f64);
        let quiet = |p: &Pass| p.set.is_empty() && p.remove.is_empty() && !p.record_changed;
        if round > 0 && quiet(&pa) && quiet(&pb) {
            return;
        }
    }
    panic!("syncing did not settle");
}

#[test]
fn a_group_left_in_one_browser_shows_in_the_other() {
    let (mut a, mut b, mut cloud) = (Browser::new(), Browser::new(), cloud());
    a.leave(&fb("4711"), T0);
    a.sync(&mut cloud, T0 + 1.0);
    let pass = b.sync(&mut cloud, T0 + 2.0);
    assert!(pass.record_changed);
    let entry = b.record.find_left(&fb("4711")).unwrap();
    assert_eq!(entry.times_left, 1);
    assert_eq!(entry.last_left, T0);
    assert!(entry.is_out && entry.flagging);
    assert_eq!(a.view(), b.view());
}

#[test]
fn the_same_readdition_seen_in_both_browsers_counts_once() {
    let (mut a, mut b, mut cloud) = (Browser::new(), Browser::new(), cloud());
    let g = fb("4711");
    a.leave(&g, T0);
    settle(&mut a, &mut b, &mut cloud, T0 + 10.0);
    // Both see it before they sync again: A the message, B a visit.
    assert!(a.sees(&g, Some("Max added you"), T0 + DAY));
    assert!(b.sees(&g, None, T0 + DAY + 5.0));
    settle(&mut a, &mut b, &mut cloud, T0 + 2.0 * DAY);
    let entry = a.record.find_left(&g).unwrap();
    assert_eq!(entry.readditions, 1);
    assert_eq!(entry.adders.get("Max"), Some(&1));
    assert!(!entry.is_out);
    assert_eq!(a.view(), b.view());
    // And it is known: B seeing the message now does not count it again.
    assert!(!b.sees(&g, Some("Max added you"), T0 + 3.0 * DAY));
}

#[test]
fn a_leave_recorded_in_both_browsers_is_one_leave() {
    let (mut a, mut b, mut cloud) = (Browser::new(), Browser::new(), cloud());
    let g = fb("4711");
    a.leave(&g, T0);
    // B read "You left" an hour later, before any sync.
    b.leave(&g, T0 + 3_600_000.0);
    assert!(a.sees(&g, Some("Max added you"), T0 + DAY));
    assert!(b.sees(&g, Some("Max added you"), T0 + DAY + 1.0));
    settle(&mut a, &mut b, &mut cloud, T0 + 2.0 * DAY);
    let entry = a.record.find_left(&g).unwrap();
    assert_eq!((entry.times_left, entry.readditions), (1, 1));
    assert_eq!(entry.last_left, T0);
    assert_eq!(a.view(), b.view());
}

#[test]
fn a_forget_wins_over_older_data_but_not_over_a_later_leave() {
    let (mut a, mut b, mut cloud) = (Browser::new(), Browser::new(), cloud());
    let (g, h) = (fb("1"), fb("2"));
    a.leave(&g, T0);
    a.leave(&h, T0);
    settle(&mut a, &mut b, &mut cloud, T0 + 10.0);
    // B sees a re-addition in g (newer than the leave) but A forgets g later.
    assert!(b.sees(&g, None, T0 + DAY));
    a.forget(&g, T0 + 2.0 * DAY);
    settle(&mut a, &mut b, &mut cloud, T0 + 3.0 * DAY);
    assert!(a.record.find_left(&g).is_none());
    assert!(b.record.find_left(&g).is_none());
    assert!(b.record.find_left(&h).is_some());
    // Leaving g again afterwards is a new entry that syncs.
    b.leave(&g, T0 + 4.0 * DAY);
    settle(&mut a, &mut b, &mut cloud, T0 + 5.0 * DAY);
    let entry = a.record.find_left(&g).unwrap();
    assert_eq!((entry.times_left, entry.readditions), (1, 0));
    assert_eq!(a.view(), b.view());
}

#[test]
fn delete_everything_wins_over_the_other_browser() {
    let (mut a, mut b, mut cloud) = (Browser::new(), Browser::new(), cloud());
    a.leave(&fb("1"), T0);
    b.leave(&fb("2"), T0 + 1.0);
    settle(&mut a, &mut b, &mut cloud, T0 + 10.0);
    assert_eq!(b.record.left.len(), 2);
    a.record.clear_all();
    a.local.wipe(T0 + DAY);
    settle(&mut a, &mut b, &mut cloud, T0 + 2.0 * DAY);
    assert!(a.record.left.is_empty() && b.record.left.is_empty());
}

#[test]
fn rules_follow_the_last_change() {
    let (mut a, mut b, mut cloud) = (Browser::new(), Browser::new(), cloud());
    a.settings.direct_threshold = 9;
    a.sync(&mut cloud, T0);
    // B syncs for the first time: the synced rules win over its defaults.
    b.settings
        .pauses
        .insert(Site::Slack, crate::settings::Pause::Always);
    b.sync(&mut cloud, T0 + 1.0);
    assert_eq!(b.settings.direct_threshold, 9);
    // Its pause and switch stay its own.
    assert!(b.settings.is_paused(Site::Slack, T0));
    assert!(b.settings.sync);
    // A later change on B reaches A.
    b.settings.invite_threshold = 33;
    b.sync(&mut cloud, T0 + 10.0);
    a.sync(&mut cloud, T0 + 11.0);
    assert_eq!(a.settings.invite_threshold, 33);
    assert_eq!(a.settings.direct_threshold, 9);
    assert!(a.settings.pauses.is_empty());
}

#[test]
fn counts_from_before_the_event_ids_merge_without_double_counting() {
    // A record from an older build: counts, no event ids.
    let (mut a, mut b, mut cloud) = (Browser::new(), Browser::new(), cloud());
    let g = fb("4711");
    a.leave(&g, T0);
    {
        let entry = a.record.left.iter_mut().next().unwrap();
        entry.times_left = 4;
        entry.readditions = 3;
        entry.first_left = T0 - 300.0 * DAY;
        entry.adders.insert("Max".into(), 3);
    }
    settle(&mut a, &mut b, &mut cloud, T0 + 10.0);
    assert_eq!(a.view(), b.view());
    let entry = b.record.find_left(&g).unwrap();
    assert_eq!((entry.times_left, entry.readditions), (4, 3));
    // Both see the fourth re-addition: it counts once, on top of the three.
    assert!(a.sees(&g, Some("Max added you"), T0 + DAY));
    assert!(b.sees(&g, None, T0 + DAY + 1.0));
    settle(&mut a, &mut b, &mut cloud, T0 + 2.0 * DAY);
    let entry = b.record.find_left(&g).unwrap();
    assert_eq!((entry.times_left, entry.readditions), (4, 4));
    assert_eq!(entry.adders.get("Max"), Some(&4));
    assert_eq!(a.view(), b.view());
}

#[test]
fn a_hostile_synced_copy_is_reported_and_changes_nothing_local() {
    let mut a = Browser::new();
    a.leave(&fb("4711"), T0);
    let before = a.view();
    for hostile in [
        json!(null),
        json!([1, 2]),
        json!({"af.h": {"v": 99, "n": 1}, "af.g.0": [{"s": "facebook"}]}),
        json!({"af.g.0": "x"}),
        json!({"af.h": {"v": 1, "n": 4_000_000_000u64}, "af.g.0": {"a": 1}}),
        json!({"af.h": {"v": 1, "n": 1}, "af.g.0": [
            {"s": "facebook", "k": "<script>", "n": "x", "t": 1, "l": [1]},
            {"s": "facebook", "k": "4711", "n": "<b>\u{202E}", "t": 1, "l": [1]},
            {"s": "facebook", "k": "4711", "n": "ok", "t": 1, "l": [], "h": [[9, 1, 1]]},
            {"s": "facebook", "k": "4711", "n": "ok", "t": 1, "l": [1e300]},
            {"s": "nowhere", "k": "1", "n": "ok", "t": 1, "l": [1]}
        ]}),
        json!({"af.h": {"v": 1, "n": 0}, "af.t": {"w": 9e15, "f": [["facebook", "4711", 9e15]]}}),
        json!({"af.h": {"v": 1, "n": 0}, "af.t": {"w": 1u64 << 60, "f": [["facebook", "4711", 1u64 << 60]]}}),
        json!({"af.h": {"v": 1, "n": 0}, "af.r": {"a": "soon", "s": 1}}),
    ] {
        let mut copy = a.clone();
        let mut cloud = hostile.clone();
        if !cloud.is_object() {
            let (_, issues) = decode(&cloud);
            assert!(!issues.is_empty(), "{hostile}");
            continue;
        }
        let pass = copy.sync(&mut cloud, T0 + 1.0);
        assert!(!pass.issues.is_empty(), "no issue for {hostile}");
        assert_eq!(copy.view(), before, "{hostile}");
        assert!(copy.record.repair().is_empty(), "{hostile}");
    }
}

#[test]
fn a_newer_formats_copy_is_never_written_over() {
    let mut a = Browser::new();
    a.leave(&fb("4711"), T0);
    let mut cloud = json!({"af.h": {"v": 2, "n": 0}, "af.x": 1});
    let pass = a.sync(&mut cloud, T0);
    assert!(pass.set.is_empty() && pass.remove.is_empty());
    assert_eq!(cloud, json!({"af.h": {"v": 2, "n": 0}, "af.x": 1}));
}

/// A record at the caps of what a user could gather: many groups with long names, URLs and
/// adders.
fn big_record(groups: usize, now: f64) -> Record {
    let mut record = Record::default();
    for i in 0..groups {
        let site = Site::ALL[i % Site::ALL.len()];
        let key = match site {
            Site::Slack => format!("T{i:08}/C{i:08}"),
            Site::Discord => format!("{i}/{i}"),
            Site::Telegram => format!("-100{:010}", i + 1),
            Site::Whatsapp => format!("chat {i} {}", "ü".repeat(60)),
            _ => format!("{}", 1000 + i),
        };
        let group = GroupRef::new(site, &key).unwrap();
        let t = now - (groups - i) as f64 * 60_000.0;
        record.left_group(&group, &format!("{} {}", "Gruppe".repeat(30), i), None, t);
        for r in 0..(i % 5) {
            let id = format!("message:{}:{r:016x}", ms(t));
            let actor = format!("Adder {r} {}", "x".repeat(150));
            record.seen_readded(&group, &id, Some(&actor), false, t + 1.0);
            record.left_group(&group, "again", None, t + 2.0 + r as f64);
        }
    }
    record
}

#[test]
fn the_encoded_form_fits_the_quotas_and_says_what_stays_local() {
    for groups in [0, 1, 40, 400, 3_000] {
        let record = big_record(groups, T0);
        let encoded = encode(&state_from_record(&record));
        check_quota(&encoded);
        let r = &encoded.report;
        assert_eq!(r.groups_synced + r.groups_local, groups as u32);
        if groups >= 400 {
            assert!(r.groups_local > 0, "{groups}: {r:?}");
            // Within a few items of the quota: it was filled, not given up early.
            assert!(r.bytes as usize > BUDGET_BYTES - 2 * QUOTA_BYTES_PER_ITEM);
        }
        // What is synced reads back as the same groups.
        let (decoded, issues) = decode(&Value::Object(encoded.items.clone()));
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(decoded.groups.len(), r.groups_synced as usize);
    }
}

fn check_quota(encoded: &Encoded) {
    let total: usize = encoded.items.iter().map(|(k, v)| item_bytes(k, v)).sum();
    assert!(total <= QUOTA_BYTES, "{total}");
    assert!(total <= BUDGET_BYTES, "{total}");
    assert_eq!(total as u64, encoded.report.bytes);
    assert!(encoded.items.len() <= MAX_ITEMS);
    for (key, value) in &encoded.items {
        assert!(key.starts_with(PREFIX));
        assert!(item_bytes(key, value) <= QUOTA_BYTES_PER_ITEM, "{key}");
    }
}

#[test]
fn still_flagging_and_newest_groups_go_first() {
    let mut record = big_record(1_500, T0);
    // The oldest group is still flagging; the user rejoined every other one on purpose.
    for entry in record.left.iter_mut().skip(1) {
        entry.is_out = false;
        entry.flagging = false;
    }
    let oldest = record.left[0].group();
    let encoded = encode(&state_from_record(&record));
    let (decoded, _) = decode(&Value::Object(encoded.items));
    assert!(decoded.groups.contains_key(&(oldest.site, oldest.key)));
    let newest = record.left.last().unwrap().group();
    assert!(decoded.groups.contains_key(&(newest.site, newest.key)));
    let second_oldest = record.left[1].group();
    assert!(!decoded
        .groups
        .contains_key(&(second_oldest.site, second_oldest.key)));
}

/// `cargo test -p ask-first-core sample_synced_record -- --nocapture` prints the items a small
/// seeded record syncs as, with their sizes (the bar's sample).
#[test]
fn sample_synced_record() {
    let (mut a, mut cloud) = (Browser::new(), cloud());
    let g = fb("4711");
    a.record
        .left_group(&g, "Networking Berlin", None, T0 - 90.0 * DAY);
    for n in 0..4 {
        let t = T0 - (80 - 20 * n) as f64 * DAY;
        a.sees(&g, Some("Max Mustermann added you"), t);
        a.record.left_group(&g, "Networking Berlin", None, t + DAY);
    }
    let w = GroupRef::from_title(Site::Whatsapp, "Lauftreff Süd").unwrap();
    a.record
        .left_group(&w, "Lauftreff Süd", None, T0 - 3.0 * DAY);
    a.invited(&w, "Eva invited you", T0 - DAY);
    let t = GroupRef::new(Site::Telegram, "-1001303328644").unwrap();
    a.record.left_group(&t, "Crypto Deals", None, T0);
    a.local.forget(&fb("999"), T0);
    let pass = a.sync(&mut cloud, T0 + 1.0);
    let mut total = 0;
    for (key, value) in cloud.as_object().unwrap() {
        let bytes = item_bytes(key, value);
        total += bytes;
        println!("{key} ({bytes} bytes): {value}");
    }
    println!(
        "{} items, {total} of {QUOTA_BYTES} bytes; {} groups synced, {} local only",
        pass.report.items, pass.report.groups_synced, pass.report.groups_local
    );
    assert_eq!(total as u64, pass.report.bytes);
    assert_eq!(pass.report.groups_synced, 3);
    let entry = a.record.find_left(&g).unwrap();
    assert_eq!((entry.times_left, entry.readditions), (5, 4));
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Op {
    Leave(usize, usize),
    Sees(usize, usize, Option<usize>),
    Invited(usize, usize, usize),
    Rejoin(usize, usize),
    Forget(usize, usize),
    Rename(usize, usize, usize),
    Sync(usize),
    Rules(usize, u32),
}

fn op() -> impl Strategy<Value = Op> {
    let b = 0..2usize;
    let g = 0..3usize;
    prop_oneof![
        3 => (b.clone(), g.clone()).prop_map(|(b, g)| Op::Leave(b, g)),
        3 => (b.clone(), g.clone(), proptest::option::of(0..2usize)).prop_map(|(b, g, m)| Op::Sees(b, g, m)),
        1 => (b.clone(), g.clone(), 0..3usize).prop_map(|(b, g, m)| Op::Invited(b, g, m)),
        1 => (b.clone(), g.clone()).prop_map(|(b, g)| Op::Rejoin(b, g)),
        1 => (b.clone(), g.clone()).prop_map(|(b, g)| Op::Forget(b, g)),
        1 => (b.clone(), g.clone(), 0..3usize).prop_map(|(b, g, n)| Op::Rename(b, g, n)),
        3 => b.clone().prop_map(Op::Sync),
        1 => (b, 1..50u32).prop_map(|(b, t)| Op::Rules(b, t)),
    ]
}

const ACTORS: [&str; 2] = ["Max added you", "Eva added you"];

fn run(ops: &[Op]) -> (Browser, Browser, Value, f64) {
    let mut browsers = [Browser::new(), Browser::new()];
    let mut cloud = cloud();
    let groups = [fb("1"), fb("2"), fb("3")];
    let mut now = T0;
    for op in ops {
        now += 60_000.0;
        match op {
            Op::Leave(b, g) => browsers[*b].leave(&groups[*g], now),
            Op::Sees(b, g, m) => {
                browsers[*b].sees(&groups[*g], m.map(|m| ACTORS[m]), now);
            }
            Op::Invited(b, g, m) => browsers[*b].invited(&groups[*g], &format!("inv {m}"), now),
            Op::Rejoin(b, g) => {
                browsers[*b].record.rejoined_on_purpose(&groups[*g]);
            }
            Op::Forget(b, g) => browsers[*b].forget(&groups[*g], now),
            Op::Rename(b, g, n) => {
                browsers[*b]
                    .record
                    .rename_group(&groups[*g], &format!("Name {n}"));
            }
            Op::Sync(b) => {
                browsers[*b].sync(&mut cloud, now);
            }
            Op::Rules(b, t) => browsers[*b].settings.direct_threshold = *t,
        }
    }
    let [a, b] = browsers;
    (a, b, cloud, now)
}

fn random_state() -> impl Strategy<Value = SyncState> {
    proptest::collection::vec(op(), 0..30).prop_map(|ops| {
        let (a, _, _, now) = run(&ops);
        a.local.state(&a.record, &a.settings, now)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Any interleaving of two browsers' events and syncs ends with the same record on both,
    /// and syncing again then writes nothing.
    #[test]
    fn two_browsers_converge(ops in proptest::collection::vec(op(), 0..40)) {
        let (mut a, mut b, mut cloud, now) = run(&ops);
        settle(&mut a, &mut b, &mut cloud, now + 60_000.0);
        prop_assert_eq!(a.view(), b.view());
        prop_assert_eq!(rules_of(&a.settings), rules_of(&b.settings));
        let again = a.sync(&mut cloud, now + 120_000.0);
        prop_assert!(again.set.is_empty() && !again.record_changed);
        prop_assert!(a.record.repair().is_empty());
        prop_assert!(b.record.repair().is_empty());
    }

    /// Each re-addition counts once however many browsers saw it and in which order they
    /// synced: `episodes` leaves in browser A, each followed by one re-addition seen by A and
    /// maybe B (a visit or the message), with syncs anywhere in between.
    #[test]
    fn each_readdition_counts_once(
        episodes in proptest::collection::vec(
            (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>(), 0..4u8), 1..6)
    ) {
        let (mut a, mut b, mut cloud) = (Browser::new(), Browser::new(), cloud());
        let g = fb("4711");
        let mut now = T0;
        for (b_sees, b_first, b_also_left, a_message, syncs) in &episodes {
            now += DAY;
            a.leave(&g, now);
            if syncs & 1 == 1 {
                a.sync(&mut cloud, now + 1.0);
                b.sync(&mut cloud, now + 2.0);
            }
            if *b_also_left {
                b.leave(&g, now + 3_600_000.0);
            }
            let text = a_message.then_some("Max added you");
            let t = now + 7_200_000.0;
            if *b_sees && *b_first {
                b.sees(&g, None, t);
            }
            if syncs & 2 == 2 {
                b.sync(&mut cloud, t + 1.0);
                a.sync(&mut cloud, t + 2.0);
            }
            a.sees(&g, text, t + 10.0);
            if *b_sees && !*b_first {
                b.sees(&g, Some("Max added you"), t + 20.0);
            }
        }
        settle(&mut a, &mut b, &mut cloud, now + DAY);
        let n = episodes.len() as u32;
        for browser in [&a, &b] {
            let entry = browser.record.find_left(&g).unwrap();
            prop_assert_eq!(entry.times_left, n, "{:?}", browser.view());
            prop_assert_eq!(entry.readditions, n, "{:?}", browser.view());
            prop_assert!(!entry.is_out);
        }
        prop_assert_eq!(a.view(), b.view());
    }

    #[test]
    fn merge_is_idempotent_commutative_and_associative(
        a in random_state(), b in random_state(), c in random_state()
    ) {
        prop_assert_eq!(SyncState::merged(&a, &a), a.clone());
        prop_assert_eq!(SyncState::merged(&a, &b), SyncState::merged(&b, &a));
        prop_assert_eq!(
            SyncState::merged(&SyncState::merged(&a, &b), &c),
            SyncState::merged(&a, &SyncState::merged(&b, &c))
        );
    }

    /// A forget at T wins over everything up to T in the other browser.
    #[test]
    fn a_forget_wins_over_older_data(ops in proptest::collection::vec(op(), 0..30), g in 0..3usize) {
        let (mut a, mut b, mut cloud, now) = run(&ops);
        let group = [fb("1"), fb("2"), fb("3")][g].clone();
        a.forget(&group, now + 1.0);
        settle(&mut a, &mut b, &mut cloud, now + 2.0);
        prop_assert!(a.record.find_left(&group).is_none());
        prop_assert!(b.record.find_left(&group).is_none());
    }

    /// Damaged synced items never panic, never lose a local group and always leave a valid
    /// record.
    #[test]
    fn damaged_synced_items_degrade(
        ops in proptest::collection::vec(op(), 0..20),
        edits in proptest::collection::vec((0..8usize, 0..12usize, any::<i64>(), ".{0,12}"), 1..6)
    ) {
        let (mut a, mut b, mut cloud, now) = run(&ops);
        a.sync(&mut cloud, now);
        // Damage the copy: replace values at random places with random numbers or strings.
        let object = cloud.as_object_mut().unwrap();
        let keys: Vec<String> = object.keys().cloned().collect();
        for (k, at, number, text) in &edits {
            if keys.is_empty() { break; }
            let key = &keys[k % keys.len()];
            let value = object.get_mut(key).unwrap();
            damage(value, *at, *number, text);
        }
        let local_groups: Vec<(Site, String)> =
            b.record.left.iter().map(|e| (e.site, e.key.clone())).collect();
        let forgotten: BTreeSet<(Site, String)> = derive_forgotten(&a, now);
        b.sync(&mut cloud, now + 1.0);
        prop_assert!(b.record.repair().is_empty());
        for id in local_groups {
            prop_assert!(
                forgotten.contains(&id) || b.record.left.iter().any(|e| (e.site, e.key.clone()) == id)
            );
        }
    }
}

/// Groups a browser's forgets or delete could legitimately remove.
fn derive_forgotten(a: &Browser, _now: f64) -> BTreeSet<(Site, String)> {
    if a.local.wiped > 0 {
        return [fb("1"), fb("2"), fb("3")]
            .into_iter()
            .map(|g| (g.site, g.key))
            .collect();
    }
    a.local
        .forgotten
        .iter()
        .map(|(s, k, _)| (*s, k.clone()))
        .collect()
}

fn damage(value: &mut Value, at: usize, number: i64, text: &str) {
    match value {
        Value::Array(list) if !list.is_empty() => {
            let i = at % list.len();
            damage(&mut list[i], at / 2, number, text);
        }
        Value::Object(map) if !map.is_empty() => {
            let key = map.keys().nth(at % map.len()).cloned().unwrap();
            if at.is_multiple_of(3) {
                map.insert(key, json!(number));
            } else {
                damage(map.get_mut(&key).unwrap(), at / 2, number, text);
            }
        }
        _ => {
            *value = if at.is_multiple_of(2) {
                json!(number)
            } else {
                json!(text)
            }
        }
    }
}

#[test]
fn the_switch_is_off_by_default_and_a_bad_value_resets_it() {
    assert!(!Settings::default().sync);
    let (settings, issues) = Settings::from_value(&json!({"sync": true}));
    assert!(settings.sync && issues.is_empty());
    let (settings, issues) = Settings::from_value(&json!({"sync": "yes"}));
    assert!(!settings.sync);
    assert_eq!(issues[0].field, "sync");
    // Off, a pass changes nothing and writes nothing.
    let mut background = crate::router::Background::new();
    let outcome = background.dispatch(
        &crate::router::Sender::ExtensionPage,
        crate::protocol::Envelope::new(crate::protocol::Request::Page(
            crate::protocol::PageRequest::SyncPass {
                synced: json!({"af.h": {"v": 1, "n": 1}, "af.g.0": [
                    {"s": "facebook", "k": "1", "n": "G", "t": 1, "l": [1]}
                ]}),
            },
        )),
        T0,
    );
    assert!(outcome.writes.is_empty());
    assert!(background.record().left.is_empty());
}
