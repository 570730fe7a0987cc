//! Budgets for what pages report, per tab and per site, and the reports of refused bursts.
//!
//! A content script reports what its page shows: a leave, a re-addition, a re-invitation, a
//! warned or cancelled add. The page's own scripts can make any of these up (set a title, push a
//! URL, render a system message), as fast as they like. The ledger already keeps one site from
//! evicting another's entries; this module keeps one page from rewriting its own site's record
//! (and `storage.local`) thousands of times an hour. Beyond a budget a report is refused, not
//! stored, and the refusal is noted once per site in a [`Burst`] the options page shows.
//!
//! The budgets are far above real use (see [`limits`]): a person leaves a handful of groups a
//! day, is added back rarely, and opens an add dialog a few times a day. The windows are fixed
//! buckets (an hour in five-minute steps, a day in hours), small enough to store: the site's
//! counts are kept in `storage.local` (key `guard`), so a background that stopped and started
//! again (an idle service worker) does not hand a page a fresh budget.
//!
//! Layer: domain (imports only the leaves and other domain modules; the map is in `lib.rs`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::site::Site;

/// What a report may change, budgeted separately: a flood of one kind does not use up another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// A left group (the leave confirmation, or a "you left" message).
    Leave,
    /// A re-addition or re-invitation.
    Received,
    /// Something the user did around an add: warned, proceeded, cancelled, copied, confirmed.
    Own,
}

impl Class {
    pub const ALL: [Class; 3] = [Class::Leave, Class::Received, Class::Own];

    fn index(self) -> usize {
        match self {
            Class::Leave => 0,
            Class::Received => 1,
            Class::Own => 2,
        }
    }
}

/// How many reports of one class are stored within the windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub per_hour: u32,
    pub per_day: u32,
}

/// The budgets. Each is far above what a person does, so only a page that makes up events meets
/// it; a tab's is half its site's, so two tabs of one site (a second window, a reload into a new
/// tab) still work while one misbehaves.
pub mod limits {
    use super::Limit;

    /// Leaves per site: a person leaves a handful of groups a day. Even a clear-out of a whole
    /// group list (a few dozen, one after another) stays below 120 in an hour.
    pub const SITE_LEAVES: Limit = Limit {
        per_hour: 120,
        per_day: 400,
    };
    /// Re-additions and re-invitations per site: being added back is rare; opening every group
    /// one was added back to after a long absence is a few dozen sightings at most.
    pub const SITE_RECEIVED: Limit = Limit {
        per_hour: 60,
        per_day: 200,
    };
    /// The user's own add incidents per site: every add dialog reports one or two (warned,
    /// then proceeded or cancelled), and every add that went through one for the sequential
    /// rule. An admin adding people one by one for an hour stays below 600.
    pub const SITE_OWN: Limit = Limit {
        per_hour: 600,
        per_day: 3_000,
    };
    /// A tab's share of its site's budget: half of it, per hour and per day.
    pub const TAB_SHARE_DIVISOR: u32 = 2;
}

/// The site's limit for `class`.
pub fn site_limit(class: Class) -> Limit {
    match class {
        Class::Leave => limits::SITE_LEAVES,
        Class::Received => limits::SITE_RECEIVED,
        Class::Own => limits::SITE_OWN,
    }
}

/// One tab's limit for `class`.
pub fn tab_limit(class: Class) -> Limit {
    let site = site_limit(class);
    Limit {
        per_hour: site.per_hour / limits::TAB_SHARE_DIVISOR,
        per_day: site.per_day / limits::TAB_SHARE_DIVISOR,
    }
}

const MINUTE_MS: f64 = 60_000.0;
const HOUR_MS: f64 = 60.0 * MINUTE_MS;
const DAY_MS: f64 = 24.0 * HOUR_MS;
/// The hour window moves in five-minute steps, the day window in hours.
const HOUR_BUCKET_MS: f64 = 5.0 * MINUTE_MS;
const DAY_BUCKET_MS: f64 = HOUR_MS;
/// A refusal this long after the last one starts a new burst report for the site.
pub const BURST_GAP_MS: f64 = DAY_MS;

/// Counts in fixed buckets over a window: `(bucket start, count)`, oldest first.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Window(Vec<(f64, u32)>);

impl Window {
    /// Reports counted within `span` before `now`. A bucket stamped after `now` (the clock went
    /// back) still counts: better a budget too tight for a while than a fresh one.
    fn count(&self, now: f64, span: f64) -> u32 {
        self.0
            .iter()
            .filter(|(start, _)| now - start < span)
            .fold(0u32, |sum, (_, n)| sum.saturating_add(*n))
    }

    fn add(&mut self, now: f64, span: f64, bucket: f64) {
        self.0.retain(|(start, _)| now - start < span);
        let start = (now / bucket).floor() * bucket;
        match self.0.last_mut() {
            Some((last, n)) if *last >= start => *n = n.saturating_add(1),
            _ => self.0.push((start, 1)),
        }
        // Never more buckets than the window holds (a clock jumping about could add more).
        let most = (span / bucket) as usize + 1;
        let excess = self.0.len().saturating_sub(most);
        self.0.drain(..excess);
    }

    /// Drops what cannot be a window's content (an edited or corrupt stored value).
    fn clean(&mut self, span: f64, bucket: f64) {
        self.0
            .retain(|(start, _)| start.is_finite() && *start >= 0.0);
        let most = (span / bucket) as usize + 1;
        let excess = self.0.len().saturating_sub(most);
        self.0.drain(..excess);
    }
}

/// One class's counts for one tab or site.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Counts {
    hour: Window,
    day: Window,
}

impl Counts {
    fn within(&self, limit: Limit, now: f64) -> bool {
        self.hour.count(now, HOUR_MS) < limit.per_hour
            && self.day.count(now, DAY_MS) < limit.per_day
    }

    fn add(&mut self, now: f64) {
        self.hour.add(now, HOUR_MS, HOUR_BUCKET_MS);
        self.day.add(now, DAY_MS, DAY_BUCKET_MS);
    }

    fn clean(&mut self) {
        self.hour.clean(HOUR_MS, HOUR_BUCKET_MS);
        self.day.clean(DAY_MS, DAY_BUCKET_MS);
    }
}

/// The counts of every class for one tab or site, indexed by [`Class::index`].
type Budget = [Counts; 3];

/// A run of refused reports from one site, for the options page. One per site: a new burst
/// (after [`BURST_GAP_MS`] without refusals) replaces the old one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Burst {
    pub site: Site,
    /// Reports refused in this burst.
    pub refused: u64,
    /// When the first and the latest were refused (ms since the epoch).
    pub first_at: f64,
    pub last_at: f64,
    /// What was refused, each class once, in [`Class::ALL`] order.
    pub classes: Vec<Class>,
    /// Some were refused because the site's part of the record was full of entries a page may
    /// not evict (rather than for their number).
    #[serde(default)]
    pub record_full: bool,
}

/// What is stored under the `guard` key.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Stored {
    pub sites: BTreeMap<Site, Budget>,
    pub bursts: Vec<Burst>,
}

/// The budgets and burst reports the background keeps.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Guard {
    tabs: BTreeMap<i32, Budget>,
    stored: Stored,
}

/// Why a report was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The tab or the site used up its budget for the class.
    Rate,
    /// The site's part of the record had no room a page may take (see `ledger::Full`).
    RecordFull,
}

impl Guard {
    /// The guard as stored (lenient: what cannot be read starts fresh; it only holds counts and
    /// reports, nothing the user made).
    pub fn from_stored(value: Option<&serde_json::Value>) -> Guard {
        let mut stored: Stored = value
            .and_then(|value| serde_json::from_value(value.clone()).ok())
            .unwrap_or_default();
        for budget in stored.sites.values_mut() {
            budget.iter_mut().for_each(Counts::clean);
        }
        stored.bursts.retain(|burst| {
            burst.first_at.is_finite()
                && burst.last_at.is_finite()
                && burst.first_at >= 0.0
                && burst.last_at >= burst.first_at
        });
        // One per site, as the guard keeps them.
        let mut seen = Vec::new();
        stored.bursts.retain(|burst| {
            let first = !seen.contains(&burst.site);
            seen.push(burst.site);
            first
        });
        for burst in &mut stored.bursts {
            burst.classes.sort();
            burst.classes.dedup();
        }
        Guard {
            tabs: BTreeMap::new(),
            stored,
        }
    }

    /// The value to store under the `guard` key.
    pub fn to_stored(&self) -> serde_json::Value {
        serde_json::to_value(&self.stored).unwrap_or(serde_json::Value::Null)
    }

    /// Whether a report of `class` from `tab` on `site` is within both budgets at `now`.
    pub fn allows(&self, tab: i32, site: Site, class: Class, now: f64) -> bool {
        let i = class.index();
        let tab_ok = self
            .tabs
            .get(&tab)
            .is_none_or(|budget| budget[i].within(tab_limit(class), now));
        let site_ok = self
            .stored
            .sites
            .get(&site)
            .is_none_or(|budget| budget[i].within(site_limit(class), now));
        tab_ok && site_ok
    }

    /// Counts a stored report against the tab's and the site's budgets.
    pub fn spend(&mut self, tab: i32, site: Site, class: Class, now: f64) {
        let i = class.index();
        self.tabs.entry(tab).or_default()[i].add(now);
        self.stored.sites.entry(site).or_default()[i].add(now);
    }

    /// Notes a refused report. Returns whether the stored report changed enough to be written:
    /// a new burst, a new class or cause, or a count that reached a power of two, so a flood of
    /// 10,000 refusals causes about fourteen small writes (the count in memory stays exact).
    pub fn refused(&mut self, site: Site, class: Class, cause: Cause, now: f64) -> bool {
        let full = cause == Cause::RecordFull;
        let index = self.stored.bursts.iter().position(|b| b.site == site);
        let current = index.filter(|&i| now - self.stored.bursts[i].last_at < BURST_GAP_MS);
        let Some(i) = current else {
            let burst = Burst {
                site,
                refused: 1,
                first_at: now,
                last_at: now,
                classes: vec![class],
                record_full: full,
            };
            match index {
                Some(i) => self.stored.bursts[i] = burst,
                None => self.stored.bursts.push(burst),
            }
            return true;
        };
        let burst = &mut self.stored.bursts[i];
        burst.refused = burst.refused.saturating_add(1);
        burst.last_at = burst.last_at.max(now);
        let mut changed = burst.refused.is_power_of_two();
        if !burst.classes.contains(&class) {
            burst.classes.push(class);
            burst.classes.sort();
            changed = true;
        }
        if full && !burst.record_full {
            burst.record_full = true;
            changed = true;
        }
        changed
    }

    /// The burst reports, one per site at most.
    pub fn bursts(&self) -> &[Burst] {
        &self.stored.bursts
    }

    /// The user read the reports: forget them. Returns whether there were any.
    pub fn clear_bursts(&mut self) -> bool {
        let had = !self.stored.bursts.is_empty();
        self.stored.bursts.clear();
        had
    }

    /// Forgets everything (Delete everything).
    pub fn clear(&mut self) {
        *self = Guard::default();
    }

    /// Forgets a closed tab's counts.
    pub fn forget_tab(&mut self, tab: i32) {
        self.tabs.remove(&tab);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: f64 = 1_800_000_000_000.0;

    #[test]
    fn a_tab_gets_half_its_sites_budget_and_the_site_the_rest() {
        let mut guard = Guard::default();
        let limit = tab_limit(Class::Leave).per_hour;
        for i in 0..limit {
            assert!(guard.allows(1, Site::Whatsapp, Class::Leave, T0 + f64::from(i)));
            guard.spend(1, Site::Whatsapp, Class::Leave, T0 + f64::from(i));
        }
        assert!(!guard.allows(1, Site::Whatsapp, Class::Leave, T0 + 1_000.0));
        // Another tab of the same site still has the site's other half.
        assert!(guard.allows(2, Site::Whatsapp, Class::Leave, T0 + 1_000.0));
        // Other classes and other sites are untouched.
        assert!(guard.allows(1, Site::Whatsapp, Class::Received, T0 + 1_000.0));
        assert!(guard.allows(3, Site::Slack, Class::Leave, T0 + 1_000.0));
        // An hour later the tab has its budget back.
        assert!(guard.allows(1, Site::Whatsapp, Class::Leave, T0 + HOUR_MS + 1.0));
    }

    #[test]
    fn the_day_limit_holds_when_the_hours_are_spread() {
        let mut guard = Guard::default();
        let limit = site_limit(Class::Received);
        let mut now = T0;
        let mut stored = 0;
        // Many tabs, one report every two minutes: within every hour limit, not the day's.
        for tab in 0..1_000 {
            if guard.allows(tab, Site::Telegram, Class::Received, now) {
                guard.spend(tab, Site::Telegram, Class::Received, now);
                stored += 1;
            }
            now += 2.0 * MINUTE_MS;
            if now > T0 + DAY_MS - HOUR_MS {
                break;
            }
        }
        assert!(stored <= limit.per_day, "{stored}");
        assert!(stored >= limit.per_day - limit.per_hour, "{stored}");
    }

    #[test]
    fn the_sites_counts_survive_a_restart_and_bad_stored_values_start_fresh() {
        let mut guard = Guard::default();
        for i in 0..site_limit(Class::Leave).per_hour {
            guard.spend(i as i32, Site::Facebook, Class::Leave, T0);
        }
        assert!(!guard.allows(99, Site::Facebook, Class::Leave, T0 + 1.0));
        let stored = guard.to_stored();
        let again = Guard::from_stored(Some(&stored));
        assert!(!again.allows(99, Site::Facebook, Class::Leave, T0 + 1.0));
        for bad in [
            serde_json::json!("x"),
            serde_json::json!({"sites": 3}),
            serde_json::json!({"bursts": [{"site": "mars"}]}),
        ] {
            assert_eq!(Guard::from_stored(Some(&bad)), Guard::default());
        }
    }

    #[test]
    fn a_burst_is_one_report_per_site_written_a_logarithmic_number_of_times() {
        let mut guard = Guard::default();
        let mut writes = 0;
        for i in 0..10_000 {
            let class = if i % 2 == 0 {
                Class::Leave
            } else {
                Class::Received
            };
            if guard.refused(Site::Whatsapp, class, Cause::Rate, T0 + f64::from(i)) {
                writes += 1;
            }
        }
        assert!(writes <= 16, "{writes}");
        assert_eq!(guard.bursts().len(), 1);
        let burst = &guard.bursts()[0];
        assert_eq!(burst.refused, 10_000);
        assert_eq!(burst.first_at, T0);
        assert_eq!(burst.last_at, T0 + 9_999.0);
        assert_eq!(burst.classes, vec![Class::Leave, Class::Received]);
        assert!(!burst.record_full);
        assert!(guard.refused(Site::Whatsapp, Class::Leave, Cause::RecordFull, T0 + 1e4));
        assert!(guard.bursts()[0].record_full);
        // A day later, a new burst replaces it.
        assert!(guard.refused(Site::Whatsapp, Class::Own, Cause::Rate, T0 + 2.0 * DAY_MS));
        assert_eq!(guard.bursts()[0].refused, 1);
        assert!(guard.clear_bursts());
        assert!(guard.bursts().is_empty());
    }
}
