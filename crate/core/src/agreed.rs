//! "They said yes": the people the user asked first and who agreed to be added, kept with the
//! record (`Record::agreed`). Per site, a person by the display name the add dialog shows,
//! for every group of the site or for one group only.
//!
//! The rules leave them out of the counts ([`crate::rules`]): an add of 21 people of whom 3 said
//! yes is an add of 18 unasked people, and the ask-first message goes to those 18.
//!
//! Layer: domain (imports only the leaves and other domain modules; the map is in `lib.rs`).

use crate::model::{
    clean_name, normalise_key, normalise_title, Agreement, GroupRef, Record, RecordIssue,
};
use crate::site::Site;

/// Most agreements kept per site; marking more drops the site's oldest. Typically about 100
/// bytes each as stored (20 KB per site); at most about 2 KB (names and key at their caps).
pub const MAX_AGREED_PER_SITE: usize = 200;

/// Most names one mark request carries (more than an add dialog is read with, see
/// [`crate::page::AddDialog::names`]).
pub const MAX_AGREED_PER_MARK: usize = 100;

impl Agreement {
    /// Whether this yes covers `name` for an add to `group` on `site`.
    fn covers(&self, site: Site, group: Option<&GroupRef>, name: &str) -> bool {
        self.site == site
            && self.group.as_ref().is_none_or(|mine| Some(mine) == group)
            && normalise_title(&self.name) == normalise_title(name)
    }

    /// The entry's identity: site, normalised name and group.
    fn identity(&self) -> (Site, String, Option<GroupRef>) {
        (self.site, normalise_title(&self.name), self.group.clone())
    }
}

/// Why an agreement read from storage or a file is not kept.
pub fn check_agreement(entry: &Agreement) -> Result<(), String> {
    if clean_name(&entry.name).as_deref() != Some(entry.name.as_str()) {
        return Err("name is empty or not a clean name".into());
    }
    if let Some(group) = &entry.group {
        if group.site != entry.site {
            return Err("group is on another site".into());
        }
        if normalise_key(group.site, &group.key).as_deref() != Some(group.key.as_str()) {
            return Err("not a group key of that site".into());
        }
    }
    if let Some(name) = &entry.group_name {
        if clean_name(name).as_deref() != Some(name.as_str()) {
            return Err("group name is not a clean name".into());
        }
    }
    if !entry.at.is_finite() || entry.at < 0.0 {
        return Err("time is not a valid date".into());
    }
    Ok(())
}

/// Splits `names` (an add dialog's selection) into those among `agreed` (the names that said
/// yes for this add, [`Record::agreed_names`]), each once, and the others, as the dialog shows
/// them. Blank names are in neither.
pub fn agreed_among<'a>(
    agreed: &[String],
    names: &'a [String],
) -> (Vec<&'a String>, Vec<&'a String>) {
    // Sorted vectors, filled one by one: the content core needs neither a hash table, a sort
    // nor a B-tree (and their code) for this alone. Both hold at most the agreed names, a few.
    let mut yes = Vec::new();
    for name in agreed {
        insert_sorted(&mut yes, normalise_title(name));
    }
    let mut seen = Vec::new();
    let mut said_yes = Vec::new();
    let mut others = Vec::new();
    for name in names {
        let key = normalise_title(name);
        if key.is_empty() {
            continue;
        }
        if yes.binary_search(&key).is_ok() {
            if insert_sorted(&mut seen, key) {
                said_yes.push(name);
            }
        } else {
            others.push(name);
        }
    }
    (said_yes, others)
}

/// Inserts `key` into the sorted `set` unless it is there; whether it was not.
fn insert_sorted(set: &mut Vec<String>, key: String) -> bool {
    match set.binary_search(&key) {
        Ok(_) => false,
        Err(at) => {
            set.insert(at, key);
            true
        }
    }
}

impl Record {
    /// The names that said yes for an add to `group` on `site` (for the rules and the page).
    pub fn agreed_names(&self, site: Site, group: Option<&GroupRef>) -> Vec<String> {
        self.agreed
            .iter()
            .filter(|entry| {
                entry.site == site && entry.group.as_ref().is_none_or(|mine| Some(mine) == group)
            })
            .map(|entry| entry.name.clone())
            .collect()
    }

    /// Whether `name` said yes for an add to `group` on `site`.
    pub fn said_yes(&self, site: Site, group: Option<&GroupRef>, name: &str) -> bool {
        self.agreed
            .iter()
            .any(|entry| entry.covers(site, group, name))
    }

    /// Marks `names` as having said yes on `site`, for `group` only when given. A name already
    /// covered keeps its entry (its time is renewed); a yes for every group replaces the
    /// person's yeses for single groups. Past [`MAX_AGREED_PER_SITE`] the site's oldest go.
    /// Returns how many names were new or renewed.
    pub fn mark_agreed(
        &mut self,
        site: Site,
        group: Option<&GroupRef>,
        group_name: Option<&str>,
        names: &[String],
        now: f64,
    ) -> usize {
        let group = group.filter(|group| group.site == site);
        let group_name = group.and(group_name).and_then(clean_name);
        let mut marked = 0;
        for name in names.iter().take(MAX_AGREED_PER_MARK) {
            let Some(name) = clean_name(name) else {
                continue;
            };
            let key = normalise_title(&name);
            if group.is_none() {
                // The yes for every group subsumes the person's yeses for single groups.
                self.agreed.retain(|entry| {
                    !(entry.site == site
                        && entry.group.is_some()
                        && normalise_title(&entry.name) == key)
                });
            }
            let existing = self.agreed.iter().position(|entry| {
                entry.site == site
                    && normalise_title(&entry.name) == key
                    && (entry.group.is_none() || entry.group.as_ref() == group)
            });
            match existing {
                Some(index) => {
                    let mut entry = self.agreed.remove(index);
                    entry.at = now;
                    if entry.group.is_some() && group_name.is_some() {
                        entry.group_name = group_name.clone();
                    }
                    self.agreed.push(entry);
                }
                None => self.agreed.push(Agreement {
                    site,
                    name,
                    group: group.cloned(),
                    group_name: group_name.clone(),
                    at: now,
                }),
            }
            marked += 1;
        }
        cap_per_site(&mut self.agreed);
        marked
    }

    /// Removes the yes of `name` on `site` for `group` (`None`: the one for every group).
    pub fn remove_agreed(&mut self, site: Site, name: &str, group: Option<&GroupRef>) -> bool {
        let key = normalise_title(name);
        let before = self.agreed.len();
        self.agreed.retain(|entry| {
            !(entry.site == site
                && entry.group.as_ref() == group
                && normalise_title(&entry.name) == key)
        });
        self.agreed.len() != before
    }
}

/// The entries whose person, group (key or name) or site contains `needle` (case and spacing
/// ignored), newest first: the options page's list.
pub fn search<'a>(list: &'a [Agreement], needle: &str) -> Vec<&'a Agreement> {
    let needle = normalise_title(needle);
    let mut found: Vec<&Agreement> = list
        .iter()
        .filter(|entry| {
            needle.is_empty()
                || normalise_title(&entry.name).contains(&needle)
                || normalise_title(entry.site.display_name()).contains(&needle)
                || entry
                    .group
                    .as_ref()
                    .is_some_and(|group| normalise_title(&group.key).contains(&needle))
                || entry
                    .group_name
                    .as_deref()
                    .is_some_and(|name| normalise_title(name).contains(&needle))
        })
        .collect();
    found.sort_by(|a, b| b.at.total_cmp(&a.at));
    found
}

/// Keeps the newest [`MAX_AGREED_PER_SITE`] entries of each site, in their order.
fn cap_per_site(list: &mut Vec<Agreement>) -> usize {
    let mut kept_per_site = std::collections::HashMap::new();
    let mut keep = vec![false; list.len()];
    // Newest first: sorted by time, later positions winning ties.
    let mut order: Vec<usize> = (0..list.len()).collect();
    order.sort_by(|&a, &b| list[b].at.total_cmp(&list[a].at).then(b.cmp(&a)));
    for index in order {
        let count = kept_per_site.entry(list[index].site).or_insert(0usize);
        if *count < MAX_AGREED_PER_SITE {
            *count += 1;
            keep[index] = true;
        }
    }
    let before = list.len();
    let mut index = 0;
    list.retain(|_| {
        index += 1;
        keep[index - 1]
    });
    before - list.len()
}

/// Drops entries that break an invariant, duplicates (the newest stays) and the oldest past the
/// cap per site, reporting each. A list built by [`Record::mark_agreed`] passes unchanged.
pub fn repair(list: &mut Vec<Agreement>) -> Vec<RecordIssue> {
    let mut issues = Vec::new();
    let all = std::mem::take(list);
    // The newest entry of an identity wins: find it first.
    let mut newest: std::collections::HashMap<(Site, String, Option<GroupRef>), usize> =
        std::collections::HashMap::new();
    for (index, entry) in all.iter().enumerate() {
        if check_agreement(entry).is_err() {
            continue;
        }
        let slot = newest.entry(entry.identity()).or_insert(index);
        if all[*slot].at <= entry.at {
            *slot = index;
        }
    }
    for (index, entry) in all.into_iter().enumerate() {
        if let Err(problem) = check_agreement(&entry) {
            issues.push(RecordIssue::invalid(
                format!("agreed[{index}]"),
                format!("dropped: {problem}"),
            ));
        } else if newest.get(&entry.identity()) != Some(&index) {
            issues.push(RecordIssue::invalid(
                format!("agreed[{index}]"),
                "dropped: duplicate person".to_string(),
            ));
        } else {
            list.push(entry);
        }
    }
    let dropped = cap_per_site(list);
    if dropped > 0 {
        issues.push(RecordIssue::over_cap(
            "agreed",
            format!(
                "dropped the {dropped} oldest: the record keeps {MAX_AGREED_PER_SITE} per site"
            ),
        ));
    }
    issues
}

/// Joins two lists (an import merged into the record): every person of both, the newest time of
/// each, within the cap.
pub fn merge(current: &[Agreement], theirs: Vec<Agreement>) -> Vec<Agreement> {
    let mut merged = current.to_vec();
    merged.extend(
        theirs
            .into_iter()
            .filter(|entry| check_agreement(entry).is_ok()),
    );
    let _ = repair(&mut merged);
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn group(key: &str) -> GroupRef {
        GroupRef::new(Site::Telegram, key).unwrap()
    }

    #[test]
    fn marked_names_are_cleaned_deduplicated_and_found_by_normalised_name() {
        let mut record = Record::default();
        let marked = record.mark_agreed(
            Site::Telegram,
            None,
            None,
            &names(&["  Anna   Bauer ", "anna bauer", "", "Ben\u{202E}"]),
            1.0,
        );
        assert_eq!(marked, 3, "the blank one is skipped");
        assert_eq!(record.agreed.len(), 2);
        assert_eq!(record.agreed[0].name, "Anna Bauer");
        assert_eq!(record.agreed[1].name, "Ben");
        assert!(record.said_yes(Site::Telegram, Some(&group("-100")), "ANNA BAUER"));
        assert!(
            !record.said_yes(Site::Slack, None, "Anna Bauer"),
            "per site"
        );
        assert!(repair(&mut record.agreed.clone()).is_empty());
    }

    #[test]
    fn a_yes_for_one_group_covers_that_group_only_and_a_yes_for_all_replaces_it() {
        let mut record = Record::default();
        let book = group("-1001");
        let run = group("-1002");
        record.mark_agreed(
            Site::Telegram,
            Some(&book),
            Some("Book club"),
            &names(&["Cy"]),
            1.0,
        );
        assert!(record.said_yes(Site::Telegram, Some(&book), "cy"));
        assert!(!record.said_yes(Site::Telegram, Some(&run), "cy"));
        assert!(!record.said_yes(Site::Telegram, None, "cy"));
        assert_eq!(record.agreed_names(Site::Telegram, Some(&book)), ["Cy"]);
        assert!(record.agreed_names(Site::Telegram, Some(&run)).is_empty());
        assert_eq!(record.agreed[0].group_name.as_deref(), Some("Book club"));
        // The same yes again is renewed, not doubled.
        record.mark_agreed(Site::Telegram, Some(&book), None, &names(&["CY"]), 2.0);
        assert_eq!(record.agreed.len(), 1);
        assert_eq!(record.agreed[0].at, 2.0);
        // A yes for every group replaces it.
        record.mark_agreed(Site::Telegram, None, None, &names(&["Cy"]), 3.0);
        assert_eq!(record.agreed.len(), 1);
        assert_eq!(record.agreed[0].group, None);
        assert!(record.said_yes(Site::Telegram, Some(&run), "cy"));
        // ... and covers a later yes for one group.
        record.mark_agreed(Site::Telegram, Some(&run), None, &names(&["Cy"]), 4.0);
        assert_eq!(record.agreed.len(), 1);
        assert!(record.remove_agreed(Site::Telegram, "cy", None));
        assert!(!record.remove_agreed(Site::Telegram, "cy", None));
        assert!(record.agreed.is_empty());
    }

    #[test]
    fn each_site_keeps_its_newest_agreements_up_to_the_cap() {
        let mut record = Record::default();
        for i in 0..MAX_AGREED_PER_SITE + 20 {
            record.mark_agreed(
                Site::Slack,
                None,
                None,
                &[format!("P{i}")],
                f64::from(u32::try_from(i).unwrap()),
            );
        }
        record.mark_agreed(Site::Discord, None, None, &names(&["Other"]), 0.0);
        let slack = record
            .agreed
            .iter()
            .filter(|e| e.site == Site::Slack)
            .count();
        assert_eq!(slack, MAX_AGREED_PER_SITE);
        assert!(!record.said_yes(Site::Slack, None, "P0"), "the oldest went");
        assert!(record.said_yes(Site::Slack, None, &format!("P{}", MAX_AGREED_PER_SITE + 19)));
        assert!(
            record.said_yes(Site::Discord, None, "Other"),
            "other sites keep theirs"
        );
        // One request marks at most MAX_AGREED_PER_MARK names.
        let many: Vec<String> = (0..300).map(|i| format!("Q{i}")).collect();
        assert_eq!(
            Record::default().mark_agreed(Site::Slack, None, None, &many, 1.0),
            MAX_AGREED_PER_MARK
        );
    }

    #[test]
    fn repair_drops_invalid_duplicate_and_excess_entries_and_is_quiet_the_second_time() {
        let good = Agreement {
            site: Site::Telegram,
            name: "Anna".into(),
            group: None,
            group_name: None,
            at: 5.0,
        };
        let mut list = vec![
            good.clone(),
            Agreement {
                name: " Anna ".into(),
                ..good.clone()
            },
            Agreement {
                name: "ANNA".into(),
                at: 9.0,
                ..good.clone()
            },
            Agreement {
                group: Some(GroupRef {
                    site: Site::Slack,
                    key: "T1/C1".into(),
                }),
                ..good.clone()
            },
            Agreement {
                group: Some(GroupRef {
                    site: Site::Telegram,
                    key: "not a key!".into(),
                }),
                ..good.clone()
            },
            Agreement {
                at: f64::NAN,
                ..good.clone()
            },
            Agreement {
                name: "x".repeat(10_000),
                ..good.clone()
            },
        ];
        let issues = repair(&mut list);
        assert_eq!(issues.len(), 6, "{issues:?}");
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].name, "ANNA", "the newest of the duplicates stays");
        assert!(repair(&mut list).is_empty());

        let many: Vec<Agreement> = (0..MAX_AGREED_PER_SITE + 3)
            .map(|i| Agreement {
                name: format!("P{i}"),
                at: i as f64,
                ..good.clone()
            })
            .collect();
        let mut capped = many.clone();
        assert_eq!(repair(&mut capped).len(), 1);
        assert_eq!(capped.len(), MAX_AGREED_PER_SITE);
        assert_eq!(capped[0].name, "P3");
        let merged = merge(&capped[..10], many);
        assert_eq!(merged.len(), MAX_AGREED_PER_SITE);
    }

    #[test]
    fn search_finds_people_groups_and_sites_newest_first() {
        let mut record = Record::default();
        let book = group("-1001");
        record.mark_agreed(Site::Telegram, None, None, &names(&["Anna Bauer"]), 1.0);
        record.mark_agreed(
            Site::Telegram,
            Some(&book),
            Some("Book  Club"),
            &names(&["Ben"]),
            2.0,
        );
        record.mark_agreed(Site::Slack, None, None, &names(&["Cy"]), 3.0);
        let found = |needle: &str| -> Vec<String> {
            search(&record.agreed, needle)
                .into_iter()
                .map(|entry| entry.name.clone())
                .collect()
        };
        assert_eq!(found(""), ["Cy", "Ben", "Anna Bauer"]);
        assert_eq!(found("ANNA  b"), ["Anna Bauer"]);
        assert_eq!(found("book club"), ["Ben"]);
        assert_eq!(found("-1001"), ["Ben"]);
        assert_eq!(found("slack"), ["Cy"]);
        assert!(found("nobody").is_empty());
    }

    #[test]
    fn the_selection_splits_into_yes_and_the_others() {
        let agreed = names(&["anna", "Cy"]);
        let selection = names(&["Anna", "Ben", "cy", "ANNA", " ", "Dora"]);
        let (yes, others) = agreed_among(&agreed, &selection);
        assert_eq!(yes, [&"Anna".to_string(), &"cy".to_string()]);
        assert_eq!(others, [&"Ben".to_string(), &"Dora".to_string()]);
    }
}
