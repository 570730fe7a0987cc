//! The site pack's types: what a pack says about a site's pages, and the small judgements made
//! with one spec at a time (does a label, a control's text, a counter or a message fit).
//!
//! Layer: domain (imports `site` and the pack's own text matching).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::text::{
    match_message, names_self, parse_counter, same_name, texts_contain, texts_match, MessageMatch,
};
use crate::site::Site;

/// element and one token of text (an icon font's ligature such as "group_add", or a glyph).
pub const ICON_SELECTOR: &str =
    ".tgico, [class*=icon i], [class*=material-symbols], [class*=material-icons], [data-icon]";

/// Whether an icon element's own text is an icon's (one token, short), not words of a label.
pub fn is_icon_token(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty() && text.chars().count() <= 40 && !text.contains(char::is_whitespace)
}

/// Largest pack document accepted (bytes of JSON).
pub const MAX_PACK_BYTES: usize = 256 * 1024;
/// Longest selector accepted.
pub const MAX_SELECTOR_CHARS: usize = 500;
/// Longest text variant accepted.
pub const MAX_TEXT_CHARS: usize = 200;
/// Most variants per language in one `Texts`.
pub const MAX_VARIANTS: usize = 20;
/// Languages every `Texts` must have.
pub const REQUIRED_LANGS: [&str; 2] = ["en", "de"];

/// Visible texts per language (`en`, `de`, …); a text matches if it equals any variant of any
/// language, compared case-insensitively with whitespace collapsed.
///
/// A map from language to variants, written as a JSON object. Kept as a list sorted by language,
/// each language once (so it compares, iterates and serialises as an ordered map would): the
/// content core reads and matches texts without a B-tree's code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Texts(Vec<(String, Vec<String>)>);

impl Texts {
    pub fn new() -> Texts {
        Texts(Vec::new())
    }

    /// Sets the variants of `lang`, replacing earlier ones (as a map's insert would).
    pub fn insert(&mut self, lang: String, variants: Vec<String>) {
        match self.0.binary_search_by(|(known, _)| known.cmp(&lang)) {
            Ok(at) => {
                if let Some(entry) = self.0.get_mut(at) {
                    entry.1 = variants;
                }
            }
            Err(at) => self.0.insert(at, (lang, variants)),
        }
    }

    pub fn get(&self, lang: &str) -> Option<&Vec<String>> {
        self.0
            .iter()
            .find(|(known, _)| known == lang)
            .map(|(_, variants)| variants)
    }

    pub fn contains_key(&self, lang: &str) -> bool {
        self.get(lang).is_some()
    }

    /// Languages and their variants, by language.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Vec<String>)> {
        self.0.iter().map(|(lang, variants)| (lang, variants))
    }

    pub fn values(&self) -> impl Iterator<Item = &Vec<String>> {
        self.0.iter().map(|(_, variants)| variants)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> IntoIterator for &'a Texts {
    type Item = (&'a String, &'a Vec<String>);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Vec<String>)>,
        fn(&'a (String, Vec<String>)) -> (&'a String, &'a Vec<String>),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(lang, variants)| (lang, variants))
    }
}

impl FromIterator<(String, Vec<String>)> for Texts {
    fn from_iter<I: IntoIterator<Item = (String, Vec<String>)>>(items: I) -> Texts {
        let mut texts = Texts::new();
        for (lang, variants) in items {
            texts.insert(lang, variants);
        }
        texts
    }
}

impl Serialize for Texts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Texts {
    /// As the map it was: a later duplicate language replaces an earlier one.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Texts, D::Error> {
        let map = BTreeMap::<String, Vec<String>>::deserialize(deserializer)?;
        Ok(Texts(map.into_iter().collect()))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SitePack {
    pub site: Site,
    /// The pack's own version; an imported pack must be newer than the bundled one.
    pub version: u32,
    /// Hosts the pack applies to: a subset of the site's hosts.
    pub hosts: Vec<String>,
    /// Where the current group's display name is shown on the page (first match wins).
    #[serde(default)]
    pub group_name: Vec<String>,
    /// Add and invite dialogs.
    pub dialogs: Vec<DialogSpec>,
    /// Leaving a group (issue "remember the groups you left").
    #[serde(default)]
    pub leave: Option<LeaveSpec>,
    /// What shows that the user is a member of the group on its page.
    #[serde(default)]
    pub membership: Option<MembershipSpec>,
    /// System messages in a group's chat or notices on its page.
    #[serde(default)]
    pub messages: Vec<MessageSpec>,
    /// Which end of the page's messages is the newest: chats show it last (the default), feeds
    /// of notices first (Facebook).
    #[serde(default, skip_serializing_if = "MessagesOrder::is_oldest_first")]
    pub messages_order: MessagesOrder,
    /// Where the signed-in user's own display name is shown (first match wins). Needed where
    /// messages name the user instead of saying "you" (Discord: "{actor} added {user} to the
    /// group."): the runtime compares the `{user}` capture with this name
    /// ([`MessageMatch::user_is`]), and a message's `subject` with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_name: Option<String>,
}

/// An add or invite dialog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DialogSpec {
    /// A short name for reports ("invite-friends").
    pub id: String,
    pub kind: DialogKindSpec,
    /// CSS selector of the dialog's root element (e.g. `[role=dialog]`).
    pub root: String,
    /// The dialog's accessible name or title, to tell it from other dialogs with the same root.
    /// Matched against `aria-label`, the text of `aria-labelledby`, or `label_selector`'s text.
    /// `None`: any root that holds the confirm control is this dialog.
    #[serde(default)]
    pub label: Option<Texts>,
    /// Inside the root, where the title text is (when it is not the accessible name).
    #[serde(default)]
    pub label_selector: Option<String>,
    /// How many people are selected: the sources are tried in order, the first that yields a
    /// number wins (a counter text survives virtualised lists; checked rows may not).
    pub count: Vec<CountSource>,
    /// Inside the root, the elements whose text is a selected person's name (chips, or the name
    /// inside a checked row).
    #[serde(default)]
    pub names: Option<String>,
    /// The control that sends the add or the invitations.
    pub confirm: ControlSpec,
    /// Inside the root, where the group's name is shown (when the page header does not).
    #[serde(default)]
    pub group_name: Option<String>,
    /// The control on the page that opens this dialog; seeing it while no dialog can be read is
    /// how the site's health turns "degraded".
    #[serde(default)]
    pub entry: Option<ControlSpec>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum DialogKindSpec {
    /// People are added without being asked (WhatsApp, Telegram, Slack, Discord).
    Direct,
    /// People get an invitation they can decline (Facebook, LinkedIn).
    Invite,
    /// A switch in the dialog decides (Google Groups' "Directly add members"): direct when on.
    Toggle { switch: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum CountSource {
    /// A counter text such as "8 FRIENDS SELECTED": templates with one `{n}`. The selector may
    /// match several elements inside the root; the first whose own text parses
    /// ([`parse_counter`], [`DialogSpec::counter_value`]) answers. `one`: texts that state a
    /// count of exactly one without a number (Telegram's confirmation title "Add member" next to
    /// "Add {n} members").
    Counter {
        selector: String,
        templates: Texts,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        one: Option<Texts>,
    },
    /// The number of elements matching `selector` inside the root (chips, checked rows). Zero
    /// matches count as no answer, so that a stale selector falls through to the next source.
    Elements { selector: String },
}

/// A control found by selector and, optionally, by its visible text or `aria-label`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlSpec {
    pub selector: String,
    #[serde(default)]
    pub text: Option<Texts>,
}

/// Leaving a group: the menu item, the confirmation dialog and its confirm control.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaveSpec {
    /// The item that starts leaving (menu item or button).
    pub start: ControlSpec,
    /// The confirmation dialog's root.
    pub root: String,
    #[serde(default)]
    pub label: Option<Texts>,
    /// Inside the root, where the title is when it is neither the accessible name nor a heading
    /// (Telegram Web K's `div.popup-title`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<String>,
    /// The control that really leaves; clicking it records the leave.
    pub confirm: ControlSpec,
    /// The platform's own "prevent re-invites" switch in the leave dialog (Facebook).
    #[serde(default)]
    pub protect_switch: Option<ControlSpec>,
    /// The start item may leave at once, without the confirmation (Slack's public channels).
    /// The runtime then records the leave when, after a click on `start`, the page shows the
    /// user is no longer a member (`membership.not_member` appears) or a `you_left` message.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub start_leaves: bool,
    /// The controls that lead to `start` when the page does not show it: a menu or settings
    /// control to open first, in order ("⋮" → the menu holding "Leave group"). The banner's
    /// "Leave again" clicks them for the user, then `start`; the site's own confirmation stays
    /// with the user. Empty: `start` is on the page (or the member control opens its menu).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<LeaveStep>,
}

/// One control on the way to the leave item, found by alternatives tried in order: the first
/// usually by its label, later ones by structure alone (a menu button's `aria-haspopup`, a
/// test hook), so that a renamed label or class still finds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaveStep {
    pub any: Vec<ControlSpec>,
}

/// What shows membership on a group's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MembershipSpec {
    /// Present when the user is a member ("Joined").
    pub member: ControlSpec,
    /// Present when the user is not a member ("Join group").
    #[serde(default)]
    pub not_member: Option<ControlSpec>,
}

/// A system message or notice and what it means.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageSpec {
    pub meaning: MessageMeaning,
    /// Where such messages appear (each matching element's text is one message).
    pub selector: String,
    /// Templates with placeholders `{actor}`, `{user}`, `{group}` (matched without regex, see
    /// [`match_message`]).
    pub templates: Texts,
    /// Inside each message element, where its text is (default: the element's whole text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Inside each message element, the element naming the person the message is about when the
    /// text does not (Slack: sender "Robin Meyer", text "has left the channel"). The message is
    /// about the user when this name equals the `self_name` one ([`same_name`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// What shows that a person wrote a message (an author header, a sender line, a message
    /// typed as rich text): a message element that matches this selector or holds an element
    /// that does is never a system message, whatever its text says. Where a site shows who
    /// wrote a message, this keeps other people's messages that spell a template from passing
    /// for the site's own notices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude: Option<String>,
}

/// The order in which a page shows its messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessagesOrder {
    /// The newest last, as chats show them.
    #[default]
    OldestFirst,
    /// The newest first, as feeds of notices show them.
    NewestFirst,
}

impl MessagesOrder {
    pub fn is_oldest_first(&self) -> bool {
        *self == MessagesOrder::OldestFirst
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageMeaning {
    /// Someone added the user ("{actor} added you").
    AddedYou,
    /// Someone invited the user ("{actor} invited you to join {group}").
    InvitedYou,
    /// The user left ("You left").
    YouLeft,
}

impl SitePack {
    /// Whether this pack (e.g. one the user imports) may replace `current`: same site, higher
    /// version.
    pub fn supersedes(&self, current: &SitePack) -> bool {
        self.site == current.site && self.version > current.version
    }
}

impl ControlSpec {
    /// Whether an element already matching `selector` is this control, judged by its visible
    /// text or its accessible name (`aria-label`): any of the two matching a variant exactly
    /// ([`texts_match`]) is enough. Without texts every element matching the selector is.
    pub fn text_matches(&self, visible_text: &str, aria_label: Option<&str>) -> bool {
        match &self.text {
            None => true,
            Some(texts) => {
                texts_match(texts, visible_text)
                    || aria_label.is_some_and(|l| texts_match(texts, l))
            }
        }
    }
}

impl DialogSpec {
    /// Whether a root element with this accessible name (or `label_selector` text) is this
    /// dialog: an exact match of a variant ([`texts_match`]), so that a platform's follow-up
    /// popup on the same root ("Add Anna to "Book Club" group?") is not taken for the picker.
    /// Without a label, every root holding the confirm control is.
    pub fn label_matches(&self, name: &str) -> bool {
        self.label
            .as_ref()
            .is_none_or(|texts| texts_match(texts, name))
    }

    /// The number a counter text states, from the first `Counter` source whose templates fit.
    /// `Elements` sources are counted by the page; this only reads texts.
    pub fn counter_value(&self, text: &str) -> Option<u32> {
        self.count.iter().find_map(|source| match source {
            CountSource::Counter { templates, one, .. } => {
                counter_text_value(templates, one.as_ref(), text)
            }
            CountSource::Elements { .. } => None,
        })
    }
}

/// The number a counter text states: a template with `{n}`, or a text of `one` (exactly one).
pub fn counter_text_value(templates: &Texts, one: Option<&Texts>, text: &str) -> Option<u32> {
    parse_counter(templates, text).or_else(|| one.filter(|one| texts_match(one, text)).map(|_| 1))
}

impl LeaveSpec {
    /// Whether a confirmation root with this accessible name is the leave confirmation: the
    /// name *contains* a variant ([`texts_contain`]), since leave titles often carry the group's
    /// name ("Leave 'Weekend Trip'"). Without a label, any root holding the confirm control is.
    pub fn label_matches(&self, name: &str) -> bool {
        self.label
            .as_ref()
            .is_none_or(|texts| texts_contain(texts, name))
    }
}

impl MessageSpec {
    /// Match one message's text against this spec's templates.
    pub fn matches(&self, text: &str) -> Option<MessageMatch> {
        match_message(&self.templates, text)
    }

    /// Whether a matched message is about the signed-in user. A template that names the user
    /// (`{user}`, Discord) or a spec with a `subject` (Slack's sender line) needs the user's
    /// own name (the pack's `self_name` text): `None` when it is unknown, so the runtime can
    /// ignore rather than guess. Templates that say "you" are about the user by themselves.
    pub fn about_self(
        &self,
        found: &MessageMatch,
        subject: Option<&str>,
        self_name: Option<&str>,
    ) -> Option<bool> {
        if let Some(user) = &found.user {
            return self_name.map(|me| names_self(user, me));
        }
        if self.subject.is_some() {
            return match (subject, self_name) {
                (Some(subject), Some(me)) => Some(same_name(subject, me)),
                _ => None,
            };
        }
        Some(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts behave as the ordered map they replaced: sorted by language, a later duplicate
    /// replaces an earlier one, written and read as a JSON object.
    #[test]
    fn texts_are_an_ordered_map() {
        let text = r#"{"en":["b"],"de":["a"],"en":["c"],"fr":["d"]}"#;
        let texts: Texts = serde_json::from_str(text).unwrap();
        let map: BTreeMap<String, Vec<String>> = serde_json::from_str(text).unwrap();
        let pairs: Vec<(&String, &Vec<String>)> = texts.iter().collect();
        assert_eq!(pairs, map.iter().collect::<Vec<_>>());
        assert_eq!(
            serde_json::to_string(&texts).unwrap(),
            serde_json::to_string(&map).unwrap()
        );
        let mut built = Texts::new();
        for (lang, variant) in [("fr", "d"), ("en", "b"), ("de", "a"), ("en", "c")] {
            built.insert(lang.into(), vec![variant.into()]);
        }
        assert_eq!(built, texts);
        assert_eq!(built.get("en"), Some(&vec!["c".to_string()]));
        assert!(built.contains_key("de") && !built.contains_key("it"));
        assert_eq!(built.len(), 3);
    }
}
