//! Site packs: what Ask First knows about a site's pages, as data.
//!
//! One JSON file per site (`extension/sitepacks/<site>.json`), bundled with the extension and
//! validated here, at build (tests) and when a user imports an updated pack. A pack names CSS
//! selectors (the page applies them) and visible texts per language (matched here, without a
//! regex engine). Selectors anchor on roles, ARIA, test hooks and visible text, never on hashed
//! class names. Structure comes first and text tells kinds apart, so a renamed label degrades to a
//! generic warning instead of silence.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::site::Site;

mod text;
mod validate;

pub use text::{
    is_private_use, match_message, names_self, normalise_text, parse_counter, same_name,
    texts_contain, texts_match, MessageMatch, COUNT_PLACEHOLDER, MAX_CANDIDATE_CHARS,
    MAX_CAPTURE_CHARS, MAX_NAME_CHARS, MAX_PLACEHOLDERS, MESSAGE_PLACEHOLDERS,
};
pub use validate::{
    PackError, PackProblem, SelectorFault, MAX_LEAVE_STEPS, MAX_SELECTOR_ALTERNATIVES,
    MAX_SELECTOR_HAS, MAX_STEP_ALTERNATIVES,
};

/// Elements that may be icons: a control's text skips such an element when it holds no other
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
pub type Texts = BTreeMap<String, Vec<String>>;

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

/// The bundled packs' sources, one per site (`extension/sitepacks/<site id>.json` without its
/// layout whitespace, see `build.rs`).
pub const BUNDLED_SOURCES: [(Site, &str, &str); 7] = [
    (
        Site::Facebook,
        "facebook.json",
        include_str!(concat!(env!("OUT_DIR"), "/sitepacks/facebook.json")),
    ),
    (
        Site::Whatsapp,
        "whatsapp.json",
        include_str!(concat!(env!("OUT_DIR"), "/sitepacks/whatsapp.json")),
    ),
    (
        Site::Telegram,
        "telegram.json",
        include_str!(concat!(env!("OUT_DIR"), "/sitepacks/telegram.json")),
    ),
    (
        Site::Linkedin,
        "linkedin.json",
        include_str!(concat!(env!("OUT_DIR"), "/sitepacks/linkedin.json")),
    ),
    (
        Site::GoogleGroups,
        "google-groups.json",
        include_str!(concat!(env!("OUT_DIR"), "/sitepacks/google-groups.json")),
    ),
    (
        Site::Slack,
        "slack.json",
        include_str!(concat!(env!("OUT_DIR"), "/sitepacks/slack.json")),
    ),
    (
        Site::Discord,
        "discord.json",
        include_str!(concat!(env!("OUT_DIR"), "/sitepacks/discord.json")),
    ),
];

fn bundled_cache() -> &'static [SitePack] {
    static CACHE: OnceLock<Vec<SitePack>> = OnceLock::new();
    CACHE.get_or_init(|| {
        BUNDLED_SOURCES
            .iter()
            .map(|(_, file, json)| read_bundled(file, json))
            .collect()
    })
}

/// The packs shipped with the extension, one per site in [`Site::ALL`] order.
pub fn bundled() -> Vec<SitePack> {
    bundled_cache().to_vec()
}

/// The shipped pack for one site. Parses that pack alone: a content script needs one site's
/// pack, and parsing all seven was a measurable part of its start-up.
pub fn bundled_for(site: Site) -> Option<SitePack> {
    BUNDLED_SOURCES
        .iter()
        .find(|(of, _, _)| *of == site)
        .map(|(_, file, json)| read_bundled(file, json))
}

/// Reads a bundled pack with the content core's small decoder (no serde in that build). Tests
/// check every bundled pack with [`SitePack::parse`] and compare the two readings, so this cannot
/// fail in a build that passed.
fn read_bundled(file: &str, json: &str) -> SitePack {
    crate::wire::decode_checked_pack(json)
        .unwrap_or_else(|e| panic!("bundled site pack {file} is unreadable: {e}"))
}

/// Where the pack a site runs with comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PackSource {
    Bundled,
    Imported,
}

/// Why a pack the user imported was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum PackImportError {
    /// Not a valid pack: not JSON, an unknown field or site, or a rule of [`SitePack::validate`]
    /// broken (the error names the JSON path).
    Invalid { error: PackError },
    /// A valid pack, but not newer than the one this build ships for its site.
    NotNewer {
        site: Site,
        version: u32,
        bundled: u32,
    },
    /// A valid pack more than [`MAX_VERSIONS_AHEAD`] versions ahead of the one this build ships:
    /// it would stay active over that many updates of the bundled pack.
    TooNew {
        site: Site,
        version: u32,
        bundled: u32,
    },
}

/// How far an imported pack's version may be ahead of the bundled pack's. A pack's version rises
/// by one with each change (`extension/sitepacks/README.md`), so a pack published since this
/// build is a few versions ahead at most; a higher number would only let an import outlive the
/// extension's own updates. An import is active while `bundled < version <= bundled + this`, so
/// a bundled pack that caught up (an update) wins, and a stored pack from a build that did not
/// check this (say `version: 4294967295`) is ignored.
pub const MAX_VERSIONS_AHEAD: u32 = 3;

impl std::fmt::Display for PackImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PackImportError::Invalid { error } => write!(f, "{error}"),
            PackImportError::NotNewer {
                site,
                version,
                bundled,
            } => write!(
                f,
                "the {} pack version {version} is not newer than the bundled version {bundled}",
                site.display_name()
            ),
            PackImportError::TooNew {
                site,
                version,
                bundled,
            } => write!(
                f,
                "the {} pack version {version} is more than {MAX_VERSIONS_AHEAD} versions ahead \
                 of the bundled version {bundled}",
                site.display_name()
            ),
        }
    }
}

impl std::error::Error for PackImportError {}

/// Checks a pack the user imports: it must parse and validate ([`SitePack::parse`]: size cap,
/// no unknown fields, hosts of its own site, every selector and text rule) and supersede the
/// bundled pack of its site (same site, higher version), by at most [`MAX_VERSIONS_AHEAD`].
pub fn check_import(json: &str) -> Result<SitePack, PackImportError> {
    let pack = SitePack::parse(json).map_err(|error| PackImportError::Invalid { error })?;
    let bundled = bundled_ref(pack.site).map_or(0, |bundled| bundled.version);
    if pack.version <= bundled {
        return Err(PackImportError::NotNewer {
            site: pack.site,
            version: pack.version,
            bundled,
        });
    }
    if pack.version - bundled > MAX_VERSIONS_AHEAD {
        return Err(PackImportError::TooNew {
            site: pack.site,
            version: pack.version,
            bundled,
        });
    }
    Ok(pack)
}

/// The imported pack a site runs with: `imported` while it is for `site`, still supersedes the
/// bundled pack and is at most [`MAX_VERSIONS_AHEAD`] versions ahead of it. An extension update
/// that ships a newer bundled pack thus wins on its own, without touching what is stored, and a
/// stored pack with an absurd version (from a build that did not bound it) never applies.
/// `None`: the bundled pack.
pub fn active_import(site: Site, imported: Option<&SitePack>) -> Option<&SitePack> {
    let imported = imported.filter(|pack| pack.site == site)?;
    match bundled_ref(site) {
        Some(bundled) => (imported.supersedes(bundled)
            && imported.version - bundled.version <= MAX_VERSIONS_AHEAD)
            .then_some(imported),
        None => Some(imported),
    }
}

fn bundled_ref(site: Site) -> Option<&'static SitePack> {
    bundled_cache().iter().find(|pack| pack.site == site)
}

#[cfg(test)]
mod import_tests {
    use super::*;

    fn facebook(version: u32) -> SitePack {
        let mut pack = bundled_for(Site::Facebook).unwrap();
        pack.version = version;
        pack
    }

    fn json_of(pack: &SitePack) -> String {
        serde_json::to_string(pack).unwrap()
    }

    #[test]
    fn an_import_must_be_valid_and_newer_than_the_bundled_pack() {
        let bundled = bundled_for(Site::Facebook).unwrap().version;
        let newer = facebook(bundled + 1);
        assert_eq!(check_import(&json_of(&newer)), Ok(newer));
        for version in [bundled, bundled.saturating_sub(1)] {
            assert_eq!(
                check_import(&json_of(&facebook(version))),
                Err(PackImportError::NotNewer {
                    site: Site::Facebook,
                    version,
                    bundled
                })
            );
        }
        for version in [bundled + MAX_VERSIONS_AHEAD + 1, u32::MAX] {
            assert_eq!(
                check_import(&json_of(&facebook(version))),
                Err(PackImportError::TooNew {
                    site: Site::Facebook,
                    version,
                    bundled
                }),
                "a version that would outlive the bundled pack's updates"
            );
        }
        let furthest = facebook(bundled + MAX_VERSIONS_AHEAD);
        assert_eq!(check_import(&json_of(&furthest)), Ok(furthest));
        assert!(PackImportError::TooNew {
            site: Site::Facebook,
            version: 9,
            bundled: 2
        }
        .to_string()
        .contains("more than 3 versions ahead of the bundled version 2"));
        let mut foreign = facebook(bundled + 1);
        foreign.hosts = vec!["web.whatsapp.com".into()];
        let Err(PackImportError::Invalid { error }) = check_import(&json_of(&foreign)) else {
            panic!("a pack with another site's host must be refused");
        };
        assert_eq!(error.path, "hosts[0]");
        assert_eq!(error.problem, PackProblem::ForeignHost);
        let error = check_import("not json").unwrap_err();
        assert!(
            matches!(
                &error,
                PackImportError::Invalid {
                    error: PackError {
                        problem: PackProblem::Syntax { .. },
                        ..
                    }
                }
            ),
            "{error:?}"
        );
        assert!(error.to_string().contains("not valid JSON"));
    }

    #[test]
    fn an_import_is_active_only_while_it_supersedes_the_bundled_pack() {
        let bundled = bundled_for(Site::Facebook).unwrap().version;
        let newer = facebook(bundled + 1);
        assert_eq!(
            active_import(Site::Facebook, Some(&newer)),
            Some(&newer),
            "newer than bundled"
        );
        // An update shipped a bundled pack as new as (or newer than) the import: bundled wins.
        for version in [bundled, bundled.saturating_sub(1)] {
            assert_eq!(
                active_import(Site::Facebook, Some(&facebook(version))),
                None
            );
        }
        // A pack stored with a version far ahead (before imports were bounded) never applies;
        // the furthest allowed one does.
        assert_eq!(
            active_import(Site::Facebook, Some(&facebook(u32::MAX))),
            None
        );
        let furthest = facebook(bundled + MAX_VERSIONS_AHEAD);
        assert_eq!(
            active_import(Site::Facebook, Some(&furthest)),
            Some(&furthest)
        );
        assert_eq!(
            active_import(
                Site::Facebook,
                Some(&facebook(bundled + MAX_VERSIONS_AHEAD + 1))
            ),
            None
        );
        // Another site's pack never applies.
        assert_eq!(active_import(Site::Slack, Some(&newer)), None);
        assert_eq!(active_import(Site::Facebook, None), None);
    }

    #[test]
    fn a_counter_reads_a_number_or_a_text_that_means_one() {
        let texts = |en: &str, de: &str| -> Texts {
            [("en", en), ("de", de)]
                .into_iter()
                .map(|(lang, text)| (lang.to_owned(), vec![text.to_owned()]))
                .collect()
        };
        let templates = texts("Add {n} members", "{n} Mitglieder hinzufügen");
        let one = texts("Add member", "Mitglied hinzufügen");
        assert_eq!(
            counter_text_value(&templates, Some(&one), "Add 3 members"),
            Some(3)
        );
        assert_eq!(
            counter_text_value(&templates, Some(&one), "Add member"),
            Some(1)
        );
        assert_eq!(
            counter_text_value(&templates, Some(&one), "Mitglied hinzufügen"),
            Some(1)
        );
        assert_eq!(counter_text_value(&templates, None, "Add member"), None);
        assert_eq!(
            counter_text_value(&templates, Some(&one), "Add members"),
            None
        );
    }

    #[test]
    fn errors_travel_to_the_options_page() {
        let error = PackImportError::Invalid {
            error: PackError {
                path: "dialogs[0].root".into(),
                problem: PackProblem::SelectorSyntax(SelectorFault::Character('<')),
            },
        };
        let wire = serde_json::to_value(&error).unwrap();
        assert_eq!(
            wire,
            serde_json::json!({"code": "invalid", "error": {"path": "dialogs[0].root",
                "problem": {"code": "selector_syntax", "detail": {"fault": "character", "char": "<"}}}})
        );
        assert_eq!(
            serde_json::from_value::<PackImportError>(wire).unwrap(),
            error
        );
    }
}
