//! Re-addition flags the user dismissed: a dismissed flag stays away for that re-addition, on
//! every later visit and after a reload, while the next re-addition of the same group shows
//! again.
//!
//! A re-addition is named by its group, its kind (re-addition or re-invitation), the time the
//! user last left before it and its number in the group ([`Dismissed::key`]): the background
//! builds the key from its own record, so a page can only dismiss a flag it was shown. Stored
//! under `dismissed` (optional: absent means none), newest last, at most [`MAX_DISMISSED`];
//! read leniently, since it holds nothing but which flags to hide.
//!
//! Layer: domain (imports only the leaves and other domain modules; the map is in `lib.rs`).

use serde_json::Value;

use crate::ledger::ReAddNotice;
use crate::model::GroupRef;
use crate::page::time_key;

/// The `storage.local` key.
pub const KEY_DISMISSED: &str = "dismissed";
/// Most dismissals kept; the oldest goes first (its flag would show once more, nothing else).
pub const MAX_DISMISSED: usize = 500;
/// Longest key kept (a group key is bounded by the model; this bounds a stored value).
const MAX_KEY_CHARS: usize = 600;

/// The dismissed re-additions, oldest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dismissed {
    keys: Vec<String>,
}

impl Dismissed {
    /// The key of one re-addition (or re-invitation) of `group`: its number, after the leave
    /// at `last_left`.
    pub fn key(group: &GroupRef, invitation: bool, last_left: f64, number: u32) -> String {
        let kind = if invitation { "invited" } else { "added" };
        format!(
            "{}|{}|{kind}|{}|{number}",
            group.site.id(),
            group.key,
            time_key(last_left)
        )
    }

    /// The key of the re-addition a notice is about.
    pub fn key_of(notice: &ReAddNotice, invitation: bool) -> Option<String> {
        let site = notice.site;
        let group = GroupRef {
            site,
            key: notice.group.clone(),
        };
        (notice.number > 0).then(|| Self::key(&group, invitation, notice.last_left, notice.number))
    }

    /// Reads the stored value; anything unreadable is skipped (nothing of the user's is lost:
    /// a flag shows once more).
    pub fn from_stored(value: Option<&Value>) -> Dismissed {
        let keys = value
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .filter(|key| !key.is_empty() && key.chars().count() <= MAX_KEY_CHARS)
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let mut dismissed = Dismissed::default();
        for key in keys {
            dismissed.insert(key);
        }
        dismissed
    }

    pub fn to_stored(&self) -> Value {
        Value::from(self.keys.clone())
    }

    /// Remembers a dismissal; `false` when it was known already.
    pub fn insert(&mut self, key: String) -> bool {
        if key.is_empty() || key.chars().count() > MAX_KEY_CHARS || self.contains(&key) {
            return false;
        }
        self.keys.push(key);
        if self.keys.len() > MAX_DISMISSED {
            let over = self.keys.len() - MAX_DISMISSED;
            self.keys.drain(..over);
        }
        true
    }

    pub fn contains(&self, key: &str) -> bool {
        self.keys.iter().any(|known| known == key)
    }

    /// Forgets the dismissals of one group (the user forgot it, or rejoined on purpose).
    pub fn forget_group(&mut self, group: &GroupRef) -> bool {
        let prefix = format!("{}|{}|", group.site.id(), group.key);
        let before = self.keys.len();
        self.keys.retain(|key| !key.starts_with(&prefix));
        self.keys.len() != before
    }

    pub fn clear(&mut self) -> bool {
        let had = !self.keys.is_empty();
        self.keys.clear();
        had
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::Site;

    fn group(key: &str) -> GroupRef {
        GroupRef {
            site: Site::Facebook,
            key: key.into(),
        }
    }

    #[test]
    fn a_dismissal_names_one_readdition() {
        let one = Dismissed::key(&group("4711"), false, 1_000.0, 1);
        assert_ne!(
            one,
            Dismissed::key(&group("4711"), false, 1_000.0, 2),
            "the next"
        );
        assert_ne!(
            one,
            Dismissed::key(&group("4711"), true, 1_000.0, 1),
            "an invitation"
        );
        assert_ne!(
            one,
            Dismissed::key(&group("4711"), false, 9_000.0, 1),
            "after another leave"
        );
        assert_ne!(
            one,
            Dismissed::key(&group("4712"), false, 1_000.0, 1),
            "another group"
        );
    }

    #[test]
    fn dismissals_are_bounded_and_survive_storage() {
        let mut dismissed = Dismissed::default();
        for i in 0..MAX_DISMISSED + 20 {
            assert!(dismissed.insert(Dismissed::key(&group("g"), false, 0.0, i as u32 + 1)));
        }
        assert_eq!(dismissed.len(), MAX_DISMISSED);
        assert!(
            !dismissed.contains(&Dismissed::key(&group("g"), false, 0.0, 1)),
            "oldest gone"
        );
        let newest = Dismissed::key(&group("g"), false, 0.0, MAX_DISMISSED as u32 + 20);
        assert!(dismissed.contains(&newest));
        assert!(!dismissed.insert(newest.clone()), "known already");
        let stored = dismissed.to_stored();
        assert_eq!(Dismissed::from_stored(Some(&stored)), dismissed);
        assert!(dismissed.forget_group(&group("g")));
        assert!(dismissed.is_empty());
    }

    #[test]
    fn an_unreadable_value_starts_empty_and_keeps_what_it_can() {
        for value in [
            serde_json::json!(null),
            serde_json::json!(7),
            serde_json::json!({"a": 1}),
        ] {
            assert!(Dismissed::from_stored(Some(&value)).is_empty());
        }
        let long = "x".repeat(MAX_KEY_CHARS + 1);
        let value =
            serde_json::json!(["facebook|1|added|1|1", 3, "", long, "facebook|1|added|1|1"]);
        assert_eq!(Dismissed::from_stored(Some(&value)).len(), 1);
        assert!(Dismissed::from_stored(None).is_empty());
    }
}
