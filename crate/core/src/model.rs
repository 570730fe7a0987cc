//! Identity of groups and people, normalised per site.
//!
//! A group is `(site, key)`: the id from the URL where the site has one, otherwise (WhatsApp) the
//! normalised chat title. A person is `(site, display name)`. Keys are normalised here so that two
//! spellings of the same group (Telegram K's short id, a Facebook slug in other case) meet.
//!
//! Layer: domain (imports only the leaves and other domain modules; the map is in `lib.rs`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::site::{GroupKeys, Site};

/// Longest group key kept. Real keys are far shorter; anything longer is not a key.
pub const MAX_KEY_CHARS: usize = 200;
/// Longest display name (group or person) kept.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest URL kept.
pub const MAX_URL_CHARS: usize = 2_000;

/// Facebook path segments after `/groups/` that are pages of the groups section, not groups.
const FACEBOOK_RESERVED: [&str; 8] = [
    "feed",
    "joins",
    "discover",
    "categories",
    "create",
    "notifications",
    "search",
    "chats",
];

/// A group on one site. The key is always in normal form: build it with [`GroupRef::new`] or
/// [`GroupRef::from_url`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct GroupRef {
    pub site: Site,
    pub key: String,
}

impl GroupRef {
    /// Normalises a key that arrives from a message, a stored record or an import. Returns `None`
    /// when the key cannot be one of this site's keys.
    pub fn new(site: Site, raw_key: &str) -> Option<GroupRef> {
        let key = normalise_key(site, raw_key)?;
        Some(GroupRef { site, key })
    }

    /// The group a page URL points at, if any.
    pub fn from_url(url: &str) -> Option<GroupRef> {
        let site = Site::from_url(url)?;
        let rest = url.strip_prefix("https://")?;
        let (path_and_query, fragment) = match rest.split_once('#') {
            Some((before, after)) => (before, Some(after)),
            None => (rest, None),
        };
        let path_and_query = path_and_query
            .find('/')
            .and_then(|at| path_and_query.get(at..))
            .unwrap_or("/");
        let path = path_and_query.split('?').next().unwrap_or("/");
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let key = match site.group_keys() {
            GroupKeys::Title => return None,
            GroupKeys::Path(pattern) => path_key(pattern, &segments)?,
            GroupKeys::Custom => custom_key(site, &segments, fragment)?,
        };
        Some(GroupRef { site, key })
    }

    /// The group a page shows: from its URL where the site puts the group there, otherwise (a
    /// site whose groups are keyed by title, [`GroupKeys::Title`]: WhatsApp, whose URL never
    /// names a chat) from the title the page shows.
    pub fn from_page(site: Site, url: &str, title: Option<&str>) -> Option<GroupRef> {
        match site.group_keys() {
            GroupKeys::Title => GroupRef::from_title(site, title?),
            GroupKeys::Path(_) | GroupKeys::Custom => GroupRef::from_site_url(site, url),
        }
    }

    /// A group of `site` from what the user typed: the address of one of its group pages, or
    /// else its key as [`GroupRef::from_page`] would read it (a title-keyed site's: the group's
    /// title).
    pub fn from_input(site: Site, text: &str) -> Option<GroupRef> {
        let text = text.trim();
        GroupRef::from_site_url(site, text).or_else(|| match site.group_keys() {
            GroupKeys::Title => GroupRef::from_title(site, text),
            GroupKeys::Path(_) | GroupKeys::Custom => GroupRef::new(site, text),
        })
    }

    /// The group `url` points at, when it is one of `site`'s.
    fn from_site_url(site: Site, url: &str) -> Option<GroupRef> {
        GroupRef::from_url(url).filter(|group| group.site == site)
    }

    /// A group known by its title (the chat header's title), the key in normal form.
    pub fn from_title(site: Site, title: &str) -> Option<GroupRef> {
        let key = title_key(title)?;
        Some(GroupRef { site, key })
    }
}

/// The key of a group in a URL of a shape of its own ([`GroupKeys::Custom`]): `segments` of the
/// path, the `fragment` after `#`.
fn custom_key(site: Site, segments: &[&str], fragment: Option<&str>) -> Option<String> {
    match site {
        Site::Facebook => match segments {
            ["groups", key, ..] => facebook_key(key),
            _ => None,
        },
        Site::Telegram => match segments.first() {
            Some(&"k") | Some(&"a") => telegram_key(fragment?),
            _ => None,
        },
        Site::GoogleGroups => match segments {
            ["g", name, ..] => google_key(None, name),
            ["a", domain, "g", name, ..] => google_key(Some(domain), name),
            _ => None,
        },
        Site::Slack => match segments {
            ["client", team, channel, ..] => slack_key(team, channel),
            _ => None,
        },
        Site::Discord => match segments {
            ["channels", guild, channel, ..] => discord_key(guild, channel),
            _ => None,
        },
        // A site whose table entry keys groups by title or by a path pattern. (A custom site
        // without an arm here keys no group: `tests/fixture_catalogue.rs` reads its fixture's
        // group pages and fails.)
        _ => None,
    }
}

/// A raw key of a custom site's group in normal form ([`normalise_key`]).
fn custom_normal_key(site: Site, raw: &str) -> Option<String> {
    match site {
        Site::Facebook => facebook_key(raw),
        Site::Telegram => telegram_key(raw.strip_prefix('#').unwrap_or(raw)),
        Site::GoogleGroups => match raw.split_once('/') {
            Some((domain, name)) => google_key(Some(domain), name),
            None => google_key(None, raw),
        },
        Site::Slack => {
            let (team, channel) = raw.split_once('/')?;
            slack_key(team, channel)
        }
        Site::Discord => {
            let (guild, channel) = raw.split_once('/')?;
            discord_key(guild, channel)
        }
        _ => None,
    }
}

/// The key a path pattern ([`GroupKeys::Path`], e.g. `/groups/{}`) finds in a URL's path
/// segments: its `{}` segments joined by `/`, each a plain id. More segments may follow.
fn path_key(pattern: &str, segments: &[&str]) -> Option<String> {
    let mut key = String::new();
    let mut segments = segments.iter();
    for expected in pattern.split('/').filter(|s| !s.is_empty()) {
        let segment = *segments.next()?;
        if expected == "{}" {
            push_key_part(&mut key, segment)?;
        } else if segment != expected {
            return None;
        }
    }
    (!key.is_empty()).then_some(key)
}

/// A raw key in normal form for a path pattern: as many `/`-separated plain ids as the pattern
/// has `{}` segments.
fn path_normal_key(pattern: &str, raw: &str) -> Option<String> {
    let wanted = pattern.split('/').filter(|s| *s == "{}").count();
    if wanted == 0 || raw.split('/').count() != wanted {
        return None;
    }
    let mut key = String::new();
    for part in raw.split('/') {
        push_key_part(&mut key, part)?;
    }
    Some(key)
}

/// Appends one plain id to a key of `/`-separated parts; `None` when it is not a plain id.
fn push_key_part(key: &mut String, part: &str) -> Option<()> {
    let part = plain_id(part)?;
    if !key.is_empty() {
        key.push('/');
    }
    key.push_str(&part);
    Some(())
}

/// A title in normal form, as the key of a group keyed by title.
fn title_key(title: &str) -> Option<String> {
    if title.is_empty() || title.chars().count() > MAX_KEY_CHARS {
        return None;
    }
    let key = normalise_title(title);
    // Lowercasing can lengthen a string; the cap applies to the key as stored.
    (!key.is_empty() && key.chars().count() <= MAX_KEY_CHARS).then_some(key)
}

/// A person on one site, known by the display name the site shows.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PersonRef {
    pub site: Site,
    pub name: String,
}

impl PersonRef {
    /// Builds a person from a page-supplied name (whitespace collapsed, length-capped).
    pub fn new(site: Site, name: &str) -> Option<PersonRef> {
        let name = clean_name(name)?;
        Some(PersonRef { site, name })
    }

    /// Whether two display names denote the same person (case and spacing ignored).
    pub fn same_name(a: &str, b: &str) -> bool {
        normalise_title(a) == normalise_title(b)
    }
}

/// Trims, collapses runs of whitespace to one space and lowercases (Unicode-aware).
/// Control characters other than whitespace are dropped.
pub fn normalise_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    // One pass: a run of whitespace becomes one space before the next visible character.
    let mut space = false;
    for c in title.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
        } else if !c.is_control() {
            if space {
                out.push(' ');
                space = false;
            }
            out.extend(crate::case::lowercase(c));
        }
    }
    out
}

/// Collapses whitespace, drops control characters and caps the length of a display name.
/// Returns `None` for a name with nothing visible in it.
pub fn clean_name(name: &str) -> Option<String> {
    let text = clean_text(name, MAX_NAME_CHARS);
    (!text.is_empty()).then_some(text)
}

/// Whitespace collapsed, control characters and bidirectional formatting characters removed, at
/// most `max` characters.
pub fn clean_text(text: &str, max: usize) -> String {
    // One pass: control and bidi control characters are skipped, so they cannot leave double
    // spaces; a run of whitespace becomes one space before the next visible character.
    let mut out = String::new();
    let mut count = 0;
    let mut space = false;
    for c in text.chars() {
        if count == max {
            break;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
        } else if !c.is_control() && !is_bidi_control(c) {
            // A cut right after the space would leave it trailing: the space goes with the
            // character after it, or not at all.
            if space {
                if count + 1 == max {
                    break;
                }
                out.push(' ');
                count += 1;
                space = false;
            }
            out.push(c);
            count += 1;
        }
    }
    out
}

/// Whitespace collapsed to single spaces, trimmed, cut to `max` characters; unlike
/// [`clean_text`], every other character stays. For text read from a page (`page`, and the
/// captures of `pack`'s message templates).
pub fn collapse_to(raw: &str, max: usize) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for word in raw.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        out.push_str(word);
        chars += word.chars().count();
        if chars > max {
            return out.chars().take(max).collect();
        }
    }
    out
}

/// Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): a name carrying one would
/// reorder the text around it wherever it is shown ("left by \u{202E}gnp.exe" displays the rest
/// of the sentence reversed). Right-to-left names need none of them; the marks U+200E/U+200F,
/// which only nudge neutral characters, stay.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Longest problem message kept in a report (import, storage load, pack refusal).
pub const MAX_MESSAGE_CHARS: usize = 300;

/// A parser's message shortened for a report: serde quotes the offending value, which may be
/// any size, so a long message keeps its start and its end ("… expected one of …") and loses
/// the middle. Control and bidi control characters become spaces.
pub fn brief_message(message: &str) -> String {
    let chars: Vec<char> = message
        .chars()
        .map(|c| {
            if c.is_control() || is_bidi_control(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    if chars.len() <= MAX_MESSAGE_CHARS {
        return chars.into_iter().collect();
    }
    let keep = (MAX_MESSAGE_CHARS - 3) / 2;
    let mut out: String = chars[..keep].iter().collect();
    out.push_str(" … ");
    out.extend(&chars[chars.len() - keep..]);
    out
}

/// Caps a URL and keeps it only when it is an `https:` URL of a supported site, so a stored
/// link can never point elsewhere.
pub fn clean_url(url: &str) -> Option<String> {
    if url.chars().count() > MAX_URL_CHARS || url.chars().any(char::is_control) {
        return None;
    }
    Site::from_url(url).map(|_| url.to_string())
}

/// Normal form of a key for `site`, accepting both raw URL pieces and already-normal keys.
pub fn normalise_key(site: Site, raw: &str) -> Option<String> {
    if raw.is_empty() || raw.chars().count() > MAX_KEY_CHARS {
        return None;
    }
    match site.group_keys() {
        GroupKeys::Title => title_key(raw),
        GroupKeys::Path(pattern) => path_normal_key(pattern, raw),
        GroupKeys::Custom => custom_normal_key(site, raw),
    }
}

/// Characters that may appear in a URL-derived key. Anything else means the input is not a key.
fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '%')
}

fn plain_id(raw: &str) -> Option<String> {
    (!raw.is_empty() && raw.len() <= MAX_KEY_CHARS && raw.chars().all(is_key_char))
        .then(|| raw.to_string())
}

fn facebook_key(raw: &str) -> Option<String> {
    // Facebook slugs are case-insensitive; ids are digits.
    let key = plain_id(raw)?.to_ascii_lowercase();
    (!FACEBOOK_RESERVED.contains(&key.as_str())).then_some(key)
}

/// Telegram's fragment (without `#`): `-100<id>`, K's short `-<id>`, `@username`, or a forum
/// topic `-100<id>_<topic>`. Normal form: `-100<id>` or `@username` (lowercase).
fn telegram_key(fragment: &str) -> Option<String> {
    let fragment = fragment.split(['?', '&']).next().unwrap_or("");
    if let Some(name) = fragment.strip_prefix('@') {
        let valid = (1..=64).contains(&name.len())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        return valid.then(|| format!("@{}", name.to_ascii_lowercase()));
    }
    let digits = fragment.strip_prefix('-')?;
    // A forum topic belongs to its chat.
    let digits = digits.split('_').next().unwrap_or("");
    if digits.is_empty() || digits.len() > 20 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if digits.bytes().all(|b| b == b'0') {
        return None;
    }
    // Supergroup and channel ids in the long form are `-100` followed by nine or more digits;
    // K shows the same chat without the `100`. Basic groups have at most ten digits, so twelve
    // or more digits starting with `100` can only be the long form, and nine or more digits
    // otherwise are taken as K's short form. The result is a fixed point: normalising it again
    // gives the same key.
    if digits.len() >= 12 && digits.starts_with("100") {
        Some(format!("-{digits}"))
    } else if digits.len() >= 9 {
        Some(format!("-100{digits}"))
    } else {
        Some(format!("-{digits}"))
    }
}

fn google_key(domain: Option<&str>, name: &str) -> Option<String> {
    let name = plain_id(name)?.to_ascii_lowercase();
    match domain {
        Some(domain) => {
            let domain = plain_id(domain)?.to_ascii_lowercase();
            Some(format!("{domain}/{name}"))
        }
        None => Some(name),
    }
}

/// Slack: team ids start with `T` (or `E` for Enterprise Grid), conversation ids with `C`
/// (channel), `G` (private or group DM) or `D` (direct message). Other segments after the team
/// (`unreads`, `activity-page`, `browse-channels`) are views, not conversations.
fn slack_key(team: &str, channel: &str) -> Option<String> {
    let id = |raw: &str, first: &[char]| {
        let upper = raw.to_ascii_uppercase();
        let valid = (2..=40).contains(&upper.len())
            && upper.bytes().all(|b| b.is_ascii_alphanumeric())
            && upper.starts_with(first);
        valid.then_some(upper)
    };
    let team = id(team, &['T', 'E'])?;
    let channel = id(channel, &['C', 'G', 'D'])?;
    Some(format!("{team}/{channel}"))
}

fn discord_key(guild: &str, channel: &str) -> Option<String> {
    let numeric = |s: &str| !s.is_empty() && s.len() <= 24 && s.bytes().all(|b| b.is_ascii_digit());
    if !(guild == "@me" || numeric(guild)) || !numeric(channel) {
        return None;
    }
    Some(format!("{guild}/{channel}"))
}

/// Newest incidents kept in the history; counts survive dropping older ones. The reducers keep
/// the history within the per-site limits below (whose sum stays under this); the global cap
/// bounds what a repair or an import keeps.
pub const MAX_INCIDENTS: usize = 2_000;
/// Most groups remembered as left (all sites; see [`MAX_LEFT_PER_SITE`]).
pub const MAX_LEFT_GROUPS: usize = 5_000;
/// Most adders with statistics (all sites; see [`MAX_ADDERS_PER_SITE`]).
pub const MAX_ADDERS: usize = 5_000;

// Retention is partitioned per site, so one site (whose page may be hostile and can make up
// events) can only ever evict its own entries. Each per-site limit times the seven sites stays
// within the global cap above, so a full site never needs room from another. The numbers are far
// above real use: a person leaves a handful of groups a month and is added back rarely.

/// Most groups remembered as left on one site (7 × 700 = 4,900 ≤ [`MAX_LEFT_GROUPS`]).
pub const MAX_LEFT_PER_SITE: usize = 700;
/// Most received incidents (re-additions, re-invitations) kept in one site's history. Kept apart
/// from the user's own incidents, which never evict them; unseen ones are never evicted at all.
pub const MAX_RECEIVED_PER_SITE: usize = 180;
/// Most of the user's own incidents (warned, proceeded, cancelled, copied, sequential) kept in one
/// site's history. 7 × (180 + 100) = 1,960 ≤ [`MAX_INCIDENTS`].
pub const MAX_OWN_INCIDENTS_PER_SITE: usize = 100;
/// Most adders with statistics on one site; beyond it the one seen longest ago goes
/// (7 × 700 = 4,900 ≤ [`MAX_ADDERS`]).
pub const MAX_ADDERS_PER_SITE: usize = 700;
/// Most recent adds of one site kept for the sequential window (7 × 140 = 980 ≤
/// [`MAX_RECENT_ADDS`]).
pub const MAX_RECENT_ADDS_PER_SITE: usize = 140;
/// What one site's share of the record may take in `storage.local`, estimated as stored (the
/// record is stored as JSON text inside JSON, see `storage::record_value`). The quota
/// (`storage::QUOTA_BYTES`, 10 MiB) also holds the settings, imported packs and backups, and a
/// backup of the record can be as large as the record: seven sites at this budget make at most
/// 3.5 MiB, so the record and one full backup of it still fit with room to spare. The counts alone
/// do not bound the bytes: a left group may carry a 2,000-character URL, 64 event ids and 500
/// adder names.
pub const MAX_SITE_BYTES: usize = 512 * 1024;
/// Event ids remembered per left group, so an old message seen again does not count twice.
pub const MAX_EVENT_IDS: usize = 64;
/// Longest event id (fingerprint) kept.
pub const MAX_EVENT_ID_CHARS: usize = 200;
/// Recent confirmed adds kept for the sequential window.
pub const MAX_RECENT_ADDS: usize = 1_000;

/// A group the user left, and what happened since.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeftGroup {
    pub site: Site,
    pub key: String,
    /// The group's name as last seen (or as renamed by the user).
    pub name: String,
    /// The name the site showed, kept while `name` is the user's own rename: pages only ever
    /// see this one (the banner lives in an open shadow root the page can read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_name: Option<String>,
    pub url: Option<String>,
    /// Milliseconds since the epoch.
    pub first_left: f64,
    pub last_left: f64,
    pub times_left: u32,
    pub readditions: u32,
    pub last_readded: Option<f64>,
    pub reinvitations: u32,
    /// Who added the user back, and how often.
    pub adders: BTreeMap<String, u32>,
    /// `true` while the user is out of the group; `false` once re-added (or rejoined).
    pub is_out: bool,
    /// `false` after "I rejoined on purpose": no flags until the user leaves again.
    pub flagging: bool,
    /// Fingerprints of the events already counted (newest last, bounded).
    pub events: Vec<String>,
    /// The user confirmed this leave on an extension page (recorded it there, renamed the group
    /// or said they rejoined on purpose). A leave a page reported never evicts such an entry.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub confirmed: bool,
}

impl LeftGroup {
    /// The name to show on the site's pages: the site's own, never the user's rename.
    pub fn shown_on_page(&self) -> &str {
        self.page_name.as_deref().unwrap_or(&self.name)
    }

    pub fn group(&self) -> GroupRef {
        GroupRef {
            site: self.site,
            key: self.key.clone(),
        }
    }
}

/// What an incident was about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentKind {
    /// Someone added the user back into a group they had left.
    ReAdded,
    /// Someone invited the user again into a group they had left.
    ReInvited,
    /// The user was warned before a bulk add.
    BulkAddWarned,
    /// The user went ahead with a bulk add after the warning.
    BulkAddProceeded,
    /// The user cancelled a bulk add.
    BulkAddCancelled,
    /// The user copied the ask-first message instead.
    AskMessageCopied,
    /// The user was warned about many adds in a short time.
    SequentialAddsWarned,
}

impl IncidentKind {
    pub const ALL: [IncidentKind; 7] = [
        IncidentKind::ReAdded,
        IncidentKind::ReInvited,
        IncidentKind::BulkAddWarned,
        IncidentKind::BulkAddProceeded,
        IncidentKind::BulkAddCancelled,
        IncidentKind::AskMessageCopied,
        IncidentKind::SequentialAddsWarned,
    ];

    /// Whether the incident happened *to* the user (and is flagged on the badge).
    pub fn is_received(self) -> bool {
        matches!(self, IncidentKind::ReAdded | IncidentKind::ReInvited)
    }
}

/// One entry of the incident history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// Increasing, never reused.
    pub id: u64,
    pub kind: IncidentKind,
    pub site: Site,
    /// The group's key, when known.
    pub group: Option<String>,
    pub group_name: Option<String>,
    /// Who did it, when known (for received incidents).
    pub actor: Option<String>,
    /// How many people (for adds); 1 for received incidents.
    pub count: u32,
    /// Milliseconds since the epoch.
    pub at: f64,
    /// Whether the user has looked at it (received incidents only; the badge counts the rest).
    pub seen: bool,
}

/// What one person did to the user, over all groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdderStats {
    pub site: Site,
    pub name: String,
    pub readditions: u32,
    pub reinvitations: u32,
    /// Group key → times this person added or invited the user back there.
    pub groups: BTreeMap<String, u32>,
    pub last_at: f64,
}

/// One confirmed add, kept for the sequential window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecentAdd {
    pub site: Site,
    pub count: u32,
    pub at: f64,
}

/// Everything Ask First remembers. Changed only by the reducers in [`crate::ledger`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Record {
    pub left: Vec<LeftGroup>,
    /// Newest last, at most [`MAX_INCIDENTS`].
    pub incidents: Vec<Incident>,
    pub next_incident_id: u64,
    /// Incidents ever recorded, per kind (survives trimming the history).
    pub totals: BTreeMap<IncidentKind, u64>,
    pub adders: Vec<AdderStats>,
    pub recent_adds: Vec<RecentAdd>,
    /// What happened per calendar month (`2026-03` → totals), the newest
    /// [`crate::monthly::KEPT_MONTHS`]; survives the history's caps like `totals`.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub monthly: Monthly,
    /// The user's local offset from UTC in minutes (the background sets it before each
    /// request), so that incidents count in the user's own calendar month. Not stored.
    #[serde(skip)]
    pub utc_offset_minutes: i32,
    /// The people who said yes ([`crate::agreed`]); absent in records from before it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub agreed: Vec<Agreement>,
}

// The record's parts whose rules live in other modules: their types are here, with the
// record, so that the record's shape is one module that imports none of them (`monthly`,
// `agreed` and `ledger` build on this one, never the other way round).

/// Someone who re-added or re-invited the user in a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthAdder {
    pub site: Site,
    pub name: String,
    pub count: u32,
}

/// One month's totals.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MonthTotals {
    /// Times someone added the user back into a group they had left.
    #[serde(skip_serializing_if = "is_zero")]
    pub readded: u32,
    /// Times someone invited the user back.
    #[serde(skip_serializing_if = "is_zero")]
    pub reinvited: u32,
    /// Bulk adds (or invitations) the user held back at the gate.
    #[serde(skip_serializing_if = "is_zero")]
    pub held_back: u32,
    /// The people in them.
    #[serde(skip_serializing_if = "is_zero")]
    pub held_back_people: u32,
    /// Ask-first messages the user copied.
    #[serde(skip_serializing_if = "is_zero")]
    pub asked: u32,
    /// Who re-added or re-invited the user this month, most frequent first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub adders: Vec<MonthAdder>,
}

fn is_zero(count: &u32) -> bool {
    *count == 0
}

/// The stored form: month key (`2026-03`) → totals.
pub type Monthly = BTreeMap<String, MonthTotals>;

/// One person who said yes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    pub site: Site,
    /// The name as the add dialog shows it (cleaned like every stored name).
    pub name: String,
    /// The one group the yes is for; `None`: any group on the site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupRef>,
    /// The group's name as shown when the yes was marked (for the options page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    /// When it was marked, milliseconds since the epoch.
    pub at: f64,
}

/// A part of a stored or imported record that was dropped or corrected, by path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordIssue {
    pub path: String,
    pub problem: String,
    /// Set when nothing was wrong with what was dropped: the record was over one of its caps and
    /// the oldest entries went, as they do in normal use (totals keep counting them). Such a
    /// repair needs no backup of the raw value.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub over_cap: bool,
}

impl RecordIssue {
    /// Something invalid was dropped or corrected.
    pub fn invalid(path: impl Into<String>, problem: impl Into<String>) -> RecordIssue {
        RecordIssue {
            path: path.into(),
            problem: problem.into(),
            over_cap: false,
        }
    }

    /// Valid entries beyond a cap were dropped.
    pub fn over_cap(path: impl Into<String>, problem: impl Into<String>) -> RecordIssue {
        RecordIssue {
            path: path.into(),
            problem: problem.into(),
            over_cap: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_bidi_overrides_and_isolates_but_keep_right_to_left_text() {
        assert_eq!(clean_text("\u{202E}gnp.exe", 50), "gnp.exe");
        assert_eq!(clean_text("a\u{2066}b\u{2069} \u{202B}c", 50), "ab c");
        assert_eq!(clean_text("שלום \u{200F}עולם", 50), "שלום \u{200F}עולם");
        assert_eq!(clean_name("\u{202D}\u{202C}"), None);
    }

    fn key(url: &str) -> Option<String> {
        GroupRef::from_url(url).map(|g| g.key)
    }

    #[test]
    fn facebook_groups_by_id_or_slug_on_all_hosts() {
        assert_eq!(
            key("https://www.facebook.com/groups/123456/"),
            Some("123456".into())
        );
        assert_eq!(
            key("https://web.facebook.com/groups/My.Slug/posts/1?ref=x"),
            Some("my.slug".into())
        );
        assert_eq!(
            key("https://m.facebook.com/groups/123456"),
            Some("123456".into())
        );
        for reserved in FACEBOOK_RESERVED {
            assert_eq!(
                key(&format!("https://www.facebook.com/groups/{reserved}/")),
                None
            );
        }
        assert_eq!(key("https://www.facebook.com/groups/"), None);
        assert_eq!(key("https://www.facebook.com/profile.php?id=1"), None);
    }

    #[test]
    fn telegram_forms_of_one_chat_meet() {
        let long = key("https://web.telegram.org/k/#-1001303328644");
        assert_eq!(long, Some("-1001303328644".into()));
        assert_eq!(key("https://web.telegram.org/k/#-1303328644"), long);
        assert_eq!(key("https://web.telegram.org/a/#-1001303328644"), long);
        assert_eq!(key("https://web.telegram.org/a/#-1001303328644_5"), long);
        assert_eq!(
            key("https://web.telegram.org/k/#@Some_Group"),
            Some("@some_group".into())
        );
        assert_eq!(key("https://web.telegram.org/k/"), None);
        assert_eq!(key("https://web.telegram.org/k/#12345"), None);
        assert_eq!(key("https://web.telegram.org/z/#-1001303328644"), None);
        assert_eq!(key("https://web.telegram.org/k/#-"), None);
        assert_eq!(key("https://web.telegram.org/k/#@bad-name"), None);
    }

    #[test]
    fn path_patterns_key_groups_by_their_placeholders() {
        assert_eq!(
            path_key("/groups/{}", &["groups", "8123456", "members"]),
            Some("8123456".into()),
            "more segments may follow"
        );
        assert_eq!(path_key("/groups/{}", &["group", "1"]), None);
        assert_eq!(path_key("/groups/{}", &["groups"]), None);
        assert_eq!(path_key("/groups/{}", &["groups", "<b>"]), None);
        assert_eq!(
            path_key("/c/{}/t/{}", &["c", "team", "t", "x_1"]),
            Some("team/x_1".into())
        );
        assert_eq!(
            path_normal_key("/c/{}/t/{}", "team/x_1"),
            Some("team/x_1".into())
        );
        assert_eq!(path_normal_key("/c/{}/t/{}", "team"), None);
        assert_eq!(path_normal_key("/groups/{}", "1/2"), None);
        assert_eq!(path_normal_key("/groups", "1"), None);
        // LinkedIn is keyed by its table's pattern.
        assert_eq!(Site::Linkedin.group_keys(), GroupKeys::Path("/groups/{}"));
        assert_eq!(
            GroupRef::new(Site::Linkedin, "8123456").map(|group| group.key),
            Some("8123456".into())
        );
        assert_eq!(GroupRef::new(Site::Linkedin, "81/23"), None);
    }

    #[test]
    fn whatsapp_titles_normalise() {
        assert_eq!(normalise_title("  Familie   MÜLLER \n"), "familie müller");
        let a = GroupRef::from_title(Site::Whatsapp, "Lauftreff  Süd").unwrap();
        let b = GroupRef::from_title(Site::Whatsapp, "lauftreff süd").unwrap();
        assert_eq!(a, b);
        assert!(GroupRef::from_title(Site::Whatsapp, "   ").is_none());
        assert_eq!(key("https://web.whatsapp.com/"), None);
    }

    #[test]
    fn other_sites() {
        assert_eq!(
            key("https://www.linkedin.com/groups/8123456/"),
            Some("8123456".into())
        );
        assert_eq!(
            key("https://groups.google.com/g/Rust-Users/members"),
            Some("rust-users".into())
        );
        assert_eq!(
            key("https://groups.google.com/a/Example.org/g/team"),
            Some("example.org/team".into())
        );
        assert_eq!(
            key("https://app.slack.com/client/T01ABC/C02DEF/thread/x"),
            Some("T01ABC/C02DEF".into())
        );
        assert_eq!(
            key("https://discord.com/channels/@me/1234567890"),
            Some("@me/1234567890".into())
        );
        assert_eq!(
            key("https://discord.com/channels/111/222"),
            Some("111/222".into())
        );
        assert_eq!(key("https://discord.com/channels/@me"), None);
        assert_eq!(key("https://discord.com/channels/abc/222"), None);
        assert_eq!(key("https://app.slack.com/client/T01ABC"), None);
        assert_eq!(key("https://app.slack.com/client/T01ABC/unreads"), None);
        assert_eq!(
            key("https://app.slack.com/client/T01ABC/browse-channels"),
            None
        );
        // Channel ids of nine digits (older chats) meet too.
        assert_eq!(
            key("https://web.telegram.org/k/#-100123456789"),
            key("https://web.telegram.org/k/#-123456789")
        );
        // A basic group's short id is not mistaken for a long form.
        assert_eq!(
            key("https://web.telegram.org/a/#-1001234567"),
            Some("-1001001234567".into())
        );
    }

    #[test]
    fn keys_from_messages_normalise_like_urls() {
        for url in [
            "https://www.facebook.com/groups/My.Slug/",
            "https://web.telegram.org/k/#-1303328644",
            "https://web.telegram.org/k/#@Name",
            "https://groups.google.com/a/d.org/g/n",
            "https://app.slack.com/client/t1/c2",
            "https://app.slack.com/client/E1/G2",
            "https://discord.com/channels/@me/1",
            "https://www.linkedin.com/groups/99/",
        ] {
            let group = GroupRef::from_url(url).unwrap();
            // A normal key stays what it is.
            assert_eq!(GroupRef::new(group.site, &group.key), Some(group.clone()));
        }
        assert_eq!(
            GroupRef::new(Site::Telegram, "#-1303328644").unwrap().key,
            "-1001303328644"
        );
        assert!(GroupRef::new(Site::Facebook, "a/b").is_none());
        assert!(GroupRef::new(Site::Facebook, "<script>").is_none());
        assert!(GroupRef::new(Site::Facebook, &"1".repeat(300)).is_none());
        assert!(GroupRef::new(Site::Slack, "nochannel").is_none());
    }

    #[test]
    fn names_and_urls_are_cleaned() {
        assert_eq!(clean_name(" Anna \u{0007}  Ba "), Some("Anna Ba".into()));
        assert_eq!(clean_name(" \n "), None);
        assert_eq!(clean_name(&"x".repeat(500)).unwrap().len(), MAX_NAME_CHARS);
        assert!(PersonRef::same_name("Anna  BA", "anna ba"));
        assert!(clean_url("https://www.facebook.com/groups/1/").is_some());
        assert!(clean_url("javascript:alert(1)").is_none());
        assert!(clean_url("https://evil.example/").is_none());
    }

    #[test]
    fn odd_urls_never_panic() {
        for url in [
            "https://www.facebook.com",
            "https://www.facebook.com#x",
            "https://web.telegram.org#-100",
            "https://web.telegram.org/k/#-100_",
            "https://web.telegram.org/k/#-0",
            "https://groups.google.com/a/",
            "https://discord.com/channels//",
            "https://www.facebook.com/groups/ü/",
        ] {
            let _ = GroupRef::from_url(url);
        }
    }
}

#[cfg(test)]
mod one_pass_tests {
    use super::*;
    use proptest::prelude::*;

    /// The two-pass forms these functions had: filter, split into words, join, lowercase or cut.
    fn normalise_title_in_steps(title: &str) -> String {
        let visible: String = title
            .chars()
            .filter(|c| !c.is_control() || c.is_whitespace())
            .collect();
        let words: Vec<String> = visible
            .split_whitespace()
            .map(|word| word.chars().flat_map(char::to_lowercase).collect())
            .collect();
        words.join(" ")
    }

    fn clean_text_in_steps(text: &str, max: usize) -> String {
        let visible: String = text
            .chars()
            .filter(|&c| (!c.is_control() || c.is_whitespace()) && !is_bidi_control(c))
            .collect();
        let joined = visible.split_whitespace().collect::<Vec<_>>().join(" ");
        let cut: String = joined.chars().take(max).collect();
        cut.trim_end().to_string()
    }

    proptest! {
        #[test]
        fn one_pass_equals_the_steps(
            text in r"([ \t\n\x{a0}\x{2028}\x{0}\x{1f}\x{85}\x{202e}\x{2067}aZÄİΣ]|\PC){0,40}",
            max in 0usize..12,
        ) {
            prop_assert_eq!(normalise_title(&text), normalise_title_in_steps(&text));
            prop_assert_eq!(clean_text(&text, max), clean_text_in_steps(&text, max));
        }
    }
}

#[cfg(test)]
mod page_tests {
    use super::*;

    #[test]
    fn a_page_names_its_group_by_url_or_by_title() {
        let facebook = GroupRef::from_page(
            Site::Facebook,
            "https://www.facebook.com/groups/4711/members",
            Some("Ignored"),
        );
        assert_eq!(facebook.map(|g| g.key), Some("4711".into()));
        let whatsapp = GroupRef::from_page(
            Site::Whatsapp,
            "https://web.whatsapp.com/",
            Some("  Book   Club "),
        );
        assert_eq!(whatsapp, GroupRef::from_title(Site::Whatsapp, "book club"));
        assert_eq!(
            GroupRef::from_page(Site::Whatsapp, "https://web.whatsapp.com/", None),
            None
        );
        // A URL of another site never names a group of this one.
        assert_eq!(
            GroupRef::from_page(Site::Slack, "https://www.facebook.com/groups/1/", None),
            None
        );
    }
}

#[cfg(test)]
mod message_tests {
    use super::*;

    #[test]
    fn long_messages_keep_their_start_and_end() {
        assert_eq!(brief_message("short\nmessage"), "short message");
        let long = format!(
            "unknown variant `{}`, expected one of `a`, `b`",
            "x".repeat(5000)
        );
        let brief = brief_message(&long);
        assert!(brief.chars().count() <= MAX_MESSAGE_CHARS);
        assert!(brief.starts_with("unknown variant `xxx"));
        assert!(brief.ends_with("expected one of `a`, `b`"));
        assert!(brief.contains(" … "));
        let exact = "é".repeat(MAX_MESSAGE_CHARS);
        assert_eq!(brief_message(&exact), exact);
    }
}

#[cfg(test)]
mod from_input_tests {
    use super::GroupRef;
    use crate::site::Site;

    #[test]
    fn a_group_page_address_of_the_chosen_site_gives_its_group() {
        let typed = "  https://www.facebook.com/groups/123456789/about  ";
        assert_eq!(
            GroupRef::from_input(Site::Facebook, typed),
            GroupRef::from_url(typed.trim())
        );
        assert!(GroupRef::from_input(Site::Facebook, typed).is_some());
    }

    #[test]
    fn a_key_is_taken_as_the_site_normalises_it() {
        assert_eq!(
            GroupRef::from_input(Site::Facebook, " 123456789 "),
            GroupRef::new(Site::Facebook, "123456789")
        );
        assert!(GroupRef::from_input(Site::Facebook, "123456789").is_some());
        assert_eq!(GroupRef::from_input(Site::Slack, "   "), None);
    }

    #[test]
    fn a_whatsapp_title_gives_the_key_its_page_shows() {
        let typed = GroupRef::from_input(Site::Whatsapp, "  Book   Club ");
        let shown = GroupRef::from_page(
            Site::Whatsapp,
            "https://web.whatsapp.com/",
            Some("Book Club"),
        );
        assert!(shown.is_some());
        assert_eq!(typed, shown);
    }
}
