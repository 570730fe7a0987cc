//! Monthly totals: what happened in each calendar month, kept apart from the incident history so
//! that the twelve-month picture survives the history's caps (a busy site evicts its oldest
//! incidents; the months keep counting them).
//!
//! Months are the user's local calendar months: the background passes the local offset from UTC
//! with each request ([`crate::model::Record::utc_offset_minutes`]), so an incident at 00:30 on
//! 1 January in Berlin counts for January even though it is still December in UTC.
//!
//! Layer: domain (imports only the leaves and other domain modules; the map is in `lib.rs`).

use serde::Serialize;

use crate::model::{clean_name, Incident, IncidentKind, MonthAdder, MonthTotals, Monthly};
use crate::site::Site;

/// Months kept: the chart shows twelve; twelve more keep last year's figures for a comparison
/// and give a clock set back by a few months nothing to lose.
pub const KEPT_MONTHS: usize = 24;
/// Adders remembered per month (the most frequent ones win the room).
pub const MAX_ADDERS_PER_MONTH: usize = 10;
/// Months the chart shows.
pub const CHART_MONTHS: usize = 12;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    /// 1 to 12.
    pub month: u8,
}

const MS_PER_DAY: f64 = 86_400_000.0;

impl Month {
    /// The month of a moment (milliseconds since the epoch) at a local offset from UTC.
    pub fn of(ms: f64, utc_offset_minutes: i32) -> Option<Month> {
        if !ms.is_finite() {
            return None;
        }
        let local = ms + f64::from(utc_offset_minutes) * 60_000.0;
        let days = (local / MS_PER_DAY).floor();
        // Beyond ±10,000 years is no date a user lives in; refusing it keeps the arithmetic exact.
        if days.abs() > 3_700_000.0 {
            return None;
        }
        Some(month_of_day(days as i64))
    }

    /// `2026-03`.
    pub fn key(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// The inverse of [`Month::key`]; anything else is `None`.
    pub fn parse(key: &str) -> Option<Month> {
        let (year, month) = key.split_once('-')?;
        if year.len() != 4 || month.len() != 2 || !key.is_ascii() {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let month: u8 = month.parse().ok()?;
        (1..=12).contains(&month).then_some(Month { year, month })
    }

    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }
}

/// The civil month of a day counted from 1970-01-01 (proleptic Gregorian calendar): days are
/// grouped into 400-year eras of 146,097 days, each starting on 1 March so that the leap day
/// falls at the end of a year.
fn month_of_day(days: i64) -> Month {
    let shifted = days + 719_468; // days from 0000-03-01 to 1970-01-01
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let march_based = (5 * day_of_year + 2) / 153; // 0 = March … 11 = February
    let month = if march_based < 10 {
        march_based + 3
    } else {
        march_based - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    Month {
        year: year as i32,
        month: month as u8,
    }
}

impl MonthTotals {
    pub fn received(&self) -> u32 {
        self.readded.saturating_add(self.reinvited)
    }

    fn is_empty(&self) -> bool {
        *self == MonthTotals::default()
    }

    /// Counts `count` more for the adder, keeping the list sorted and bounded: when full, a new
    /// name takes the place of the least frequent one only if it is now at least as frequent.
    fn credit(&mut self, site: Site, name: &str, count: u32) {
        match self
            .adders
            .iter_mut()
            .find(|adder| adder.site == site && adder.name == name)
        {
            Some(adder) => adder.count = adder.count.saturating_add(count),
            None => {
                let least = self.adders.last().map_or(0, |adder| adder.count);
                if self.adders.len() >= MAX_ADDERS_PER_MONTH {
                    if count < least {
                        return;
                    }
                    self.adders.pop();
                }
                self.adders.push(MonthAdder {
                    site,
                    name: name.to_owned(),
                    count,
                });
            }
        }
        sort_adders(&mut self.adders);
    }
}

/// Most frequent first; equal counts by site and name, so the order never depends on history.
fn sort_adders(adders: &mut [MonthAdder]) {
    adders.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(a.site.cmp(&b.site))
            .then(a.name.cmp(&b.name))
    });
}

/// Counts an incident in its month. Warnings and add-throughs are not part of the picture.
pub fn count_incident(monthly: &mut Monthly, incident: &Incident, utc_offset_minutes: i32) {
    let Some(month) = Month::of(incident.at, utc_offset_minutes) else {
        return;
    };
    let mut totals = monthly.remove(&month.key()).unwrap_or_default();
    match incident.kind {
        IncidentKind::ReAdded => totals.readded = totals.readded.saturating_add(1),
        IncidentKind::ReInvited => totals.reinvited = totals.reinvited.saturating_add(1),
        IncidentKind::BulkAddCancelled => {
            totals.held_back = totals.held_back.saturating_add(1);
            totals.held_back_people = totals.held_back_people.saturating_add(incident.count);
        }
        IncidentKind::AskMessageCopied => totals.asked = totals.asked.saturating_add(1),
        IncidentKind::BulkAddWarned
        | IncidentKind::BulkAddProceeded
        | IncidentKind::SequentialAddsWarned => {}
    }
    if incident.kind.is_received() {
        if let Some(actor) = &incident.actor {
            totals.credit(incident.site, actor, 1);
        }
    }
    if !totals.is_empty() {
        monthly.insert(month.key(), totals);
    }
    keep_newest(monthly);
}

/// A name learnt after the re-addition was counted (a system message read after the visit that
/// showed membership): credited to the month of `at`.
pub fn credit_adder(monthly: &mut Monthly, site: Site, name: &str, at: f64, utc_offset: i32) {
    let Some(month) = Month::of(at, utc_offset) else {
        return;
    };
    if let Some(totals) = monthly.get_mut(&month.key()) {
        totals.credit(site, name, 1);
    }
}

/// Drops all but the [`KEPT_MONTHS`] newest months.
fn keep_newest(monthly: &mut Monthly) {
    while monthly.len() > KEPT_MONTHS {
        monthly.pop_first();
    }
}

/// Checks stored or imported months: unreadable keys and empty months go, adder names are
/// cleaned and bounded, only the newest [`KEPT_MONTHS`] stay. Returns what was dropped or fixed
/// as (path, problem, over a cap). A valid value passes unchanged.
pub fn repair(monthly: &mut Monthly) -> Vec<(String, String, bool)> {
    let mut issues = Vec::new();
    for (key, totals) in std::mem::take(monthly) {
        let path = format!("monthly.{}", key.chars().take(20).collect::<String>());
        if Month::parse(&key).is_none() {
            issues.push((path, "dropped: not a month (YYYY-MM)".into(), false));
            continue;
        }
        let mut fixed = totals.clone();
        let mut adders: Vec<MonthAdder> = Vec::new();
        for adder in fixed.adders.drain(..) {
            let Some(name) = clean_name(&adder.name) else {
                continue;
            };
            if adder.count == 0
                || adders
                    .iter()
                    .any(|kept| kept.site == adder.site && kept.name == name)
            {
                continue;
            }
            adders.push(MonthAdder { name, ..adder });
        }
        sort_adders(&mut adders);
        adders.truncate(MAX_ADDERS_PER_MONTH);
        fixed.adders = adders;
        if fixed != totals {
            issues.push((path.clone(), "adders cleaned".into(), false));
        }
        if fixed.is_empty() {
            continue;
        }
        monthly.insert(key, fixed);
    }
    if monthly.len() > KEPT_MONTHS {
        issues.push((
            "monthly".into(),
            format!("more than {KEPT_MONTHS} months; the oldest went"),
            true,
        ));
        keep_newest(monthly);
    }
    issues
}

/// Joins imported months into the current ones: per month and figure the larger count wins
/// (importing one's own export again changes nothing), adders likewise.
pub fn merge(current: &mut Monthly, theirs: &Monthly) {
    for (key, their) in theirs {
        let mine = current.entry(key.clone()).or_default();
        mine.readded = mine.readded.max(their.readded);
        mine.reinvited = mine.reinvited.max(their.reinvited);
        mine.held_back = mine.held_back.max(their.held_back);
        mine.held_back_people = mine.held_back_people.max(their.held_back_people);
        mine.asked = mine.asked.max(their.asked);
        for adder in &their.adders {
            match mine
                .adders
                .iter_mut()
                .find(|kept| kept.site == adder.site && kept.name == adder.name)
            {
                Some(kept) => kept.count = kept.count.max(adder.count),
                None => mine.adders.push(adder.clone()),
            }
        }
        sort_adders(&mut mine.adders);
        mine.adders.truncate(MAX_ADDERS_PER_MONTH);
    }
    keep_newest(current);
}

/// Builds the months from an incident history: for a record kept before monthly totals
/// existed, so the chart starts with what the history still holds.
pub fn from_history(incidents: &[Incident], utc_offset_minutes: i32) -> Monthly {
    let mut monthly = Monthly::new();
    for incident in incidents {
        count_incident(&mut monthly, incident, utc_offset_minutes);
    }
    monthly
}

/// One month of the chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChartMonth {
    pub month: Month,
    /// Re-additions and re-invitations received.
    pub received: u32,
    pub held_back: u32,
    pub held_back_people: u32,
    pub asked: u32,
    /// Who re-added the user most this month.
    pub top_adder: Option<MonthAdder>,
}

/// The last twelve months, oldest first, ending with `current`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chart {
    pub months: Vec<ChartMonth>,
    /// Who re-added the user most over these months (summed per person and site).
    pub top_adder: Option<MonthAdder>,
    /// The largest figure drawn as a bar, so every bar shares one scale (at least 1).
    pub scale: u32,
}

impl Chart {
    /// Whether there is anything to draw.
    pub fn is_empty(&self) -> bool {
        self.months
            .iter()
            .all(|m| m.received == 0 && m.held_back == 0 && m.asked == 0)
    }
}

impl serde::Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.key())
    }
}

/// The chart of the [`CHART_MONTHS`] months up to and including `current`.
pub fn chart(monthly: &Monthly, current: Month) -> Chart {
    let mut months = Vec::with_capacity(CHART_MONTHS);
    let mut month = current;
    for _ in 0..CHART_MONTHS {
        months.push(month);
        month = month.previous();
    }
    months.reverse();
    let mut over_year: Vec<MonthAdder> = Vec::new();
    let months: Vec<ChartMonth> = months
        .into_iter()
        .map(|month| {
            let totals = monthly.get(&month.key()).cloned().unwrap_or_default();
            for adder in &totals.adders {
                match over_year
                    .iter_mut()
                    .find(|kept| kept.site == adder.site && kept.name == adder.name)
                {
                    Some(kept) => kept.count = kept.count.saturating_add(adder.count),
                    None => over_year.push(adder.clone()),
                }
            }
            ChartMonth {
                month,
                received: totals.received(),
                held_back: totals.held_back,
                held_back_people: totals.held_back_people,
                asked: totals.asked,
                top_adder: totals.adders.first().cloned(),
            }
        })
        .collect();
    sort_adders(&mut over_year);
    let scale = months
        .iter()
        .flat_map(|m| [m.received, m.held_back, m.asked])
        .max()
        .unwrap_or(0)
        .max(1);
    Chart {
        months,
        top_adder: over_year.into_iter().next(),
        scale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Milliseconds of a UTC date and time.
    fn utc(year: i32, month: u32, day: u32, hour: u32) -> f64 {
        // Days from 1970-01-01, counted the slow way: an independent check of `month_of_day`.
        let mut days: i64 = 0;
        let leap = |y: i32| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let lengths = |y: i32| {
            [
                31,
                if leap(y) { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ]
        };
        if year >= 1970 {
            for y in 1970..year {
                days += if leap(y) { 366 } else { 365 };
            }
        } else {
            for y in year..1970 {
                days -= if leap(y) { 366 } else { 365 };
            }
        }
        for m in 0..(month - 1) as usize {
            days += lengths(year)[m];
        }
        days += i64::from(day) - 1;
        days as f64 * MS_PER_DAY + f64::from(hour) * 3_600_000.0
    }

    fn month(year: i32, month: u8) -> Month {
        Month { year, month }
    }

    #[test]
    fn every_day_of_four_centuries_falls_in_its_month() {
        for year in [1899, 1900, 1969, 1970, 2000, 2024, 2026, 2100] {
            for m in 1..=12u32 {
                for day in [1, 28] {
                    let at = utc(year, m, day, 12);
                    assert_eq!(
                        Month::of(at, 0),
                        Some(month(year, m as u8)),
                        "{year}-{m}-{day}"
                    );
                }
            }
        }
        // The last day of February in a leap year and in a century that is not one.
        assert_eq!(Month::of(utc(2024, 2, 29, 23), 0), Some(month(2024, 2)));
        assert_eq!(Month::of(utc(1900, 3, 1, 0), 0), Some(month(1900, 3)));
        assert_eq!(Month::of(f64::NAN, 0), None);
        assert_eq!(Month::of(1e300, 0), None);
    }

    #[test]
    fn the_month_is_the_user_s_local_one() {
        // 23:30 UTC on 31 December is already January in Berlin (UTC+1), not in New York.
        let at = utc(2026, 12, 31, 23) + 30.0 * 60_000.0;
        assert_eq!(Month::of(at, 60), Some(month(2027, 1)));
        assert_eq!(Month::of(at, -300), Some(month(2026, 12)));
        assert_eq!(Month::of(at, 0), Some(month(2026, 12)));
    }

    #[test]
    fn keys_round_trip_and_nonsense_is_refused() {
        assert_eq!(month(2026, 3).key(), "2026-03");
        assert_eq!(Month::parse("2026-03"), Some(month(2026, 3)));
        for bad in [
            "2026-13",
            "2026-00",
            "26-03",
            "2026-3",
            "2026/03",
            "",
            "２０２６-03",
            "-001-01",
        ] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        assert_eq!(month(2026, 1).previous(), month(2025, 12));
    }

    fn incident(kind: IncidentKind, at: f64, actor: Option<&str>, count: u32) -> Incident {
        Incident {
            id: 0,
            kind,
            site: Site::Telegram,
            group: Some("g".into()),
            group_name: None,
            actor: actor.map(String::from),
            count,
            at,
            seen: false,
        }
    }

    #[test]
    fn incidents_count_in_their_month_and_warnings_do_not() {
        let mut monthly = Monthly::new();
        let march = utc(2026, 3, 10, 9);
        let april = utc(2026, 4, 2, 9);
        count_incident(
            &mut monthly,
            &incident(IncidentKind::ReAdded, march, Some("Max"), 1),
            0,
        );
        count_incident(
            &mut monthly,
            &incident(IncidentKind::ReInvited, march, Some("Max"), 1),
            0,
        );
        count_incident(
            &mut monthly,
            &incident(IncidentKind::BulkAddCancelled, april, None, 21),
            0,
        );
        count_incident(
            &mut monthly,
            &incident(IncidentKind::AskMessageCopied, april, None, 21),
            0,
        );
        count_incident(
            &mut monthly,
            &incident(IncidentKind::BulkAddWarned, april, None, 21),
            0,
        );
        count_incident(
            &mut monthly,
            &incident(
                IncidentKind::SequentialAddsWarned,
                utc(2026, 5, 1, 1),
                None,
                3,
            ),
            0,
        );
        assert_eq!(monthly.keys().collect::<Vec<_>>(), ["2026-03", "2026-04"]);
        let m = &monthly["2026-03"];
        assert_eq!((m.readded, m.reinvited, m.received()), (1, 1, 2));
        assert_eq!(
            m.adders,
            [MonthAdder {
                site: Site::Telegram,
                name: "Max".into(),
                count: 2
            }]
        );
        let a = &monthly["2026-04"];
        assert_eq!((a.held_back, a.held_back_people, a.asked), (1, 21, 1));
    }

    #[test]
    fn only_the_newest_months_are_kept() {
        let mut monthly = Monthly::new();
        // 40 months in a row, January 2020 to April 2023.
        for n in 0..40u32 {
            let at = utc(2020 + (n / 12) as i32, n % 12 + 1, 15, 12);
            count_incident(
                &mut monthly,
                &incident(IncidentKind::AskMessageCopied, at, None, 1),
                0,
            );
        }
        assert_eq!(monthly.len(), KEPT_MONTHS);
        assert_eq!(monthly.keys().next().map(String::as_str), Some("2021-05"));
        assert_eq!(monthly.keys().last().map(String::as_str), Some("2023-04"));
    }

    #[test]
    fn a_month_keeps_its_most_frequent_adders() {
        let mut totals = MonthTotals::default();
        for round in 0..3 {
            for n in 0..MAX_ADDERS_PER_MONTH {
                if round == 0 || n < 3 {
                    totals.credit(Site::Slack, &format!("person {n}"), 1);
                }
            }
        }
        // A newcomer seen once does not push out anyone seen as often or more.
        totals.credit(Site::Slack, "newcomer", 1);
        assert_eq!(totals.adders.len(), MAX_ADDERS_PER_MONTH);
        assert_eq!(totals.adders[0].count, 3);
        assert!(totals.adders.iter().any(|a| a.name == "newcomer"));
        assert!(totals.adders.iter().filter(|a| a.count == 3).count() == 3);
        totals.credit(Site::Slack, "big", 5);
        assert_eq!(totals.adders[0].name, "big");
        assert_eq!(totals.adders.len(), MAX_ADDERS_PER_MONTH);
    }

    #[test]
    fn the_chart_covers_twelve_months_up_to_now_with_one_scale() {
        let mut monthly = Monthly::new();
        let add = |monthly: &mut Monthly, y, m, kind, actor: Option<&str>, count| {
            count_incident(monthly, &incident(kind, utc(y, m, 5, 12), actor, count), 0);
        };
        add(
            &mut monthly,
            2025,
            11,
            IncidentKind::ReAdded,
            Some("Old"),
            1,
        ); // 13 months ago
        add(
            &mut monthly,
            2025,
            12,
            IncidentKind::ReAdded,
            Some("Anna"),
            1,
        );
        add(&mut monthly, 2026, 6, IncidentKind::ReAdded, Some("Max"), 1);
        add(&mut monthly, 2026, 6, IncidentKind::ReAdded, Some("Max"), 1);
        add(
            &mut monthly,
            2026,
            6,
            IncidentKind::ReInvited,
            Some("Anna"),
            1,
        );
        add(
            &mut monthly,
            2026,
            11,
            IncidentKind::BulkAddCancelled,
            None,
            30,
        );
        for _ in 0..4 {
            add(
                &mut monthly,
                2026,
                11,
                IncidentKind::AskMessageCopied,
                None,
                30,
            );
        }
        let chart = chart(&monthly, month(2026, 11));
        assert_eq!(chart.months.len(), 12);
        assert_eq!(chart.months[0].month, month(2025, 12));
        assert_eq!(chart.months[11].month, month(2026, 11));
        assert_eq!(chart.months[0].received, 1);
        assert_eq!(chart.months[6].received, 3);
        assert_eq!(
            chart.months[6].top_adder.as_ref().map(|a| a.name.as_str()),
            Some("Max")
        );
        assert_eq!(
            (
                chart.months[11].held_back,
                chart.months[11].held_back_people
            ),
            (1, 30)
        );
        assert_eq!(chart.months[11].asked, 4);
        // "Old" is out of the window; Anna twice and Max twice: the tie goes by name.
        let top = chart.top_adder.clone().unwrap();
        assert_eq!((top.name.as_str(), top.count), ("Anna", 2));
        // People held back are a count of people, not a bar: the scale is the largest bar.
        assert_eq!(chart.scale, 4);
        assert!(!chart.is_empty());
        assert!(super::chart(&Monthly::new(), month(2026, 11)).is_empty());
        assert_eq!(super::chart(&Monthly::new(), month(2026, 11)).scale, 1);
    }

    #[test]
    fn repair_drops_what_is_not_a_month_and_cleans_names() {
        let mut monthly: Monthly = serde_json::from_value(serde_json::json!({
            "2026-03": {"readded": 2, "adders": [
                {"site": "slack", "name": "Max", "count": 2},
                {"site": "slack", "name": "Max", "count": 1},
                {"site": "slack", "name": "\u{202E}", "count": 1},
                {"site": "slack", "name": "Zero", "count": 0}
            ]},
            "2026-13": {"readded": 1},
            "<img src=x>": {"asked": 1},
            "2026-04": {}
        }))
        .unwrap();
        let issues = repair(&mut monthly);
        assert_eq!(monthly.keys().collect::<Vec<_>>(), ["2026-03"]);
        assert_eq!(monthly["2026-03"].adders.len(), 1);
        assert_eq!(issues.len(), 3, "{issues:?}");
        // A repaired value passes unchanged.
        let again = monthly.clone();
        assert!(repair(&mut monthly).is_empty());
        assert_eq!(monthly, again);
    }

    #[test]
    fn merging_an_export_of_oneself_changes_nothing_and_takes_larger_counts() {
        let mut mine = Monthly::new();
        count_incident(
            &mut mine,
            &incident(IncidentKind::ReAdded, utc(2026, 3, 1, 12), Some("Max"), 1),
            0,
        );
        let copy = mine.clone();
        merge(&mut mine, &copy);
        assert_eq!(mine, copy);
        let mut theirs = copy.clone();
        count_incident(
            &mut theirs,
            &incident(IncidentKind::ReAdded, utc(2026, 3, 2, 12), Some("Max"), 1),
            0,
        );
        count_incident(
            &mut theirs,
            &incident(IncidentKind::AskMessageCopied, utc(2026, 4, 2, 12), None, 1),
            0,
        );
        merge(&mut mine, &theirs);
        assert_eq!(mine, theirs);
    }
}
