//! Site packs: what Ask First knows about a site's pages, as data.
//!
//! One JSON file per site (`extension/sitepacks/<site>.json`), bundled with the extension and
//! validated here, at build (tests) and when a user imports an updated pack. A pack names CSS
//! selectors (the page applies them) and visible texts per language (matched here, without a
//! regex engine). Selectors anchor on roles, ARIA, test hooks and visible text, never on hashed
//! class names. Structure comes first and text tells kinds apart, so a renamed label degrades to a
//! generic warning instead of silence.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::site::Site;

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
    /// A counter text such as "8 FRIENDS SELECTED": templates with one `{n}`.
    Counter { selector: String, templates: Texts },
    /// The number of elements matching `selector` inside the root (chips, checked rows).
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
    /// The control that really leaves; clicking it records the leave.
    pub confirm: ControlSpec,
    /// The platform's own "prevent re-invites" switch in the leave dialog (Facebook).
    #[serde(default)]
    pub protect_switch: Option<ControlSpec>,
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
    /// Templates with placeholders `{actor}`, `{user}`, `{group}` (matched without regex).
    pub templates: Texts,
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
