//! The record as the options page lists it: the groups left that match the user's search, in
//! the order the user chose. Layer: view models (reads `model` only; the options page draws
//! what it returns).

use crate::model::{LeftGroup, Record};

/// The orders the record's list offers, with the id the page's sort control uses for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RecordSort {
    /// Most recently left first (the default).
    #[default]
    LastLeft,
    /// By name, ignoring case.
    Name,
    /// Most re-additions first.
    Readditions,
}

impl RecordSort {
    /// Every order, as the sort control lists them.
    pub const ALL: [RecordSort; 3] = [
        RecordSort::LastLeft,
        RecordSort::Name,
        RecordSort::Readditions,
    ];

    /// The order's id in the page (the sort control's option values).
    pub fn id(self) -> &'static str {
        match self {
            RecordSort::LastLeft => "last_left",
            RecordSort::Name => "name",
            RecordSort::Readditions => "readditions",
        }
    }

    /// The order with this id; an unknown id is the default order.
    pub fn from_id(id: &str) -> RecordSort {
        RecordSort::ALL
            .into_iter()
            .find(|sort| sort.id() == id)
            .unwrap_or_default()
    }
}

/// The groups left that match `search` (in their name, their key or the name of someone who
/// added the user back, ignoring case; an empty search matches all), in `sort` order. Entries
/// that tie keep the record's order.
pub fn left_groups<'a>(record: &'a Record, search: &str, sort: RecordSort) -> Vec<&'a LeftGroup> {
    let needle = search.to_lowercase();
    let mut entries: Vec<&LeftGroup> = record
        .left
        .iter()
        .filter(|entry| {
            needle.is_empty()
                || entry.name.to_lowercase().contains(&needle)
                || entry.key.to_lowercase().contains(&needle)
                || entry
                    .adders
                    .keys()
                    .any(|adder| adder.to_lowercase().contains(&needle))
        })
        .collect();
    match sort {
        RecordSort::Name => entries.sort_by_key(|entry| entry.name.to_lowercase()),
        RecordSort::Readditions => {
            entries.sort_by_key(|entry| std::cmp::Reverse(entry.readditions))
        }
        RecordSort::LastLeft => entries.sort_by(|a, b| b.last_left.total_cmp(&a.last_left)),
    }
    entries
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::site::Site;

    fn left(key: &str, name: &str, last_left: f64, readditions: u32, adders: &[&str]) -> LeftGroup {
        LeftGroup {
            site: Site::Facebook,
            key: key.to_owned(),
            name: name.to_owned(),
            page_name: None,
            url: None,
            first_left: last_left,
            last_left,
            times_left: 1,
            readditions,
            last_readded: None,
            reinvitations: 0,
            adders: adders
                .iter()
                .map(|a| ((*a).to_owned(), 1))
                .collect::<BTreeMap<_, _>>(),
            is_out: true,
            flagging: true,
            events: Vec::new(),
            confirmed: false,
        }
    }

    fn record() -> Record {
        Record {
            left: vec![
                left("111", "book club", 3000.0, 2, &["Ben Weber"]),
                left("222", "Choir", 1000.0, 5, &[]),
                left("333", "Anglers", 2000.0, 2, &["Anna Schmidt", "Carl"]),
            ],
            ..Record::default()
        }
    }

    fn keys(entries: &[&LeftGroup]) -> Vec<String> {
        entries.iter().map(|entry| entry.key.clone()).collect()
    }

    #[test]
    fn an_empty_search_lists_every_group_newest_leave_first() {
        let record = record();
        let all = left_groups(&record, "", RecordSort::LastLeft);
        assert_eq!(keys(&all), ["111", "333", "222"]);
    }

    #[test]
    fn a_search_matches_name_key_or_adder_ignoring_case() {
        let record = record();
        let by = |search: &str| keys(&left_groups(&record, search, RecordSort::LastLeft));
        assert_eq!(by("BOOK"), ["111"]);
        assert_eq!(by("choir"), ["222"]);
        assert_eq!(by("22"), ["222"]);
        assert_eq!(by("anna sch"), ["333"]);
        assert_eq!(by("weber"), ["111"]);
        assert_eq!(by("O"), ["111", "222"]);
        assert!(by("nobody").is_empty());
        // Case folding beyond ASCII.
        let mut umlauts = Record::default();
        umlauts
            .left
            .push(left("444", "ÄRGER im Verein", 1.0, 0, &[]));
        let found = left_groups(&umlauts, "ärger", RecordSort::LastLeft);
        assert_eq!(keys(&found), ["444"]);
    }

    #[test]
    fn each_order_sorts_and_ties_keep_the_record_order() {
        let record = record();
        // Names ignore case: "Anglers" < "book club" < "Choir".
        let by_name = left_groups(&record, "", RecordSort::Name);
        assert_eq!(keys(&by_name), ["333", "111", "222"]);
        // Most re-additions first; 111 and 333 tie at 2 and stay in the record's order.
        let by_readditions = left_groups(&record, "", RecordSort::Readditions);
        assert_eq!(keys(&by_readditions), ["222", "111", "333"]);
        let mut tied = record.clone();
        tied.left.swap(0, 2);
        let by_readditions = left_groups(&tied, "", RecordSort::Readditions);
        assert_eq!(keys(&by_readditions), ["222", "333", "111"]);
        // Equal leave times keep the record's order too.
        let mut same_time = record.clone();
        for entry in &mut same_time.left {
            entry.last_left = 5.0;
        }
        let by_date = left_groups(&same_time, "", RecordSort::LastLeft);
        assert_eq!(keys(&by_date), ["111", "222", "333"]);
    }

    #[test]
    fn an_empty_record_lists_nothing() {
        let record = Record::default();
        for sort in RecordSort::ALL {
            assert!(left_groups(&record, "", sort).is_empty());
            assert!(left_groups(&record, "x", sort).is_empty());
        }
    }

    #[test]
    fn sort_ids_round_trip_and_unknown_ids_sort_by_date() {
        for sort in RecordSort::ALL {
            assert_eq!(RecordSort::from_id(sort.id()), sort);
        }
        assert_eq!(RecordSort::from_id("bogus"), RecordSort::LastLeft);
        assert_eq!(RecordSort::from_id(""), RecordSort::LastLeft);
    }
}
