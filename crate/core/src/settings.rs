//! The user's personal rules, their defaults and their validation.
//!
//! Settings arrive from storage, from the options page and from imports, so every field is
//! checked: [`Settings::validate`] resets a bad field to its default and reports it by path, and
//! [`Settings::from_value`] decodes field by field so one broken field never loses the others.
//!
//! Layer: domain (imports only the leaves and other domain modules; the map is in `lib.rs`).

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::{brief_message, clean_name, GroupRef, PersonRef};
use crate::site::Site;

/// Bounds of the people thresholds.
pub const THRESHOLD_RANGE: std::ops::RangeInclusive<u32> = 1..=1000;
/// Bounds of the sequential window in minutes (one day at most).
pub const WINDOW_MINUTES_RANGE: std::ops::RangeInclusive<u32> = 1..=1440;
/// Most trusted groups kept.
pub const MAX_TRUSTED_GROUPS: usize = 500;
/// Most trusted adders kept.
pub const MAX_TRUSTED_ADDERS: usize = 500;
/// Longest ask-first template, in characters.
pub const MAX_TEMPLATE_CHARS: usize = 1_000;
/// The placeholders a template may use.
pub const PLACEHOLDERS: [&str; 2] = ["group", "names"];

/// How strongly Ask First reacts on one site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// No reaction at all.
    Off,
    /// A quiet note at most.
    Note,
    /// Inline warnings, never a gate.
    Warn,
    /// Warnings, and bulk adds wait for a deliberate confirmation. The default.
    #[default]
    Confirm,
}

/// One site's switch and mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SiteSettings {
    /// Whether the extension acts on this site at all. Default: `true`.
    pub enabled: bool,
    /// Default: [`Mode::Confirm`].
    pub mode: Mode,
}

impl Default for SiteSettings {
    fn default() -> Self {
        SiteSettings {
            enabled: true,
            mode: Mode::Confirm,
        }
    }
}

/// The language of the extension's own texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// Follow the browser's UI language (German if it starts with `de`, otherwise English).
    /// The default.
    #[default]
    Browser,
    En,
    De,
}

/// A language Ask First has texts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    En,
    De,
}

impl Language {
    /// The concrete language, given the browser's UI language tag (e.g. `de-AT`).
    pub fn resolve(self, browser_locale: &str) -> Lang {
        match self {
            Language::En => Lang::En,
            Language::De => Lang::De,
            Language::Browser => {
                let primary = browser_locale.split(['-', '_']).next().unwrap_or("");
                if primary.eq_ignore_ascii_case("de") {
                    Lang::De
                } else {
                    Lang::En
                }
            }
        }
    }
}

/// A pause of one site: until a moment, or until the user resumes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pause {
    /// Milliseconds since the epoch.
    Until(f64),
    Always,
}

impl Pause {
    pub fn is_active(self, now_ms: f64) -> bool {
        match self {
            Pause::Always => true,
            Pause::Until(until) => now_ms < until,
        }
    }
}

/// Whether a site is guarded at a moment ([`Settings::protection`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Protection {
    /// Switched off for the site: disabled, or its mode is off.
    Off,
    /// Paused by the user, with the pause that is active.
    Paused(Pause),
    /// Guarded.
    On,
}

// Stored as a number or the string "always".
impl Serialize for Pause {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Pause::Always => serializer.serialize_str("always"),
            Pause::Until(ms) => serializer.serialize_f64(*ms),
        }
    }
}

impl<'de> Deserialize<'de> for Pause {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Wire {
            Ms(f64),
            Word(String),
        }
        match Wire::deserialize(deserializer)? {
            Wire::Ms(ms) => Ok(Pause::Until(ms)),
            Wire::Word(word) if word == "always" => Ok(Pause::Always),
            Wire::Word(word) => Err(serde::de::Error::custom(format!(
                "pause must be a time or \"always\", not {word:?}"
            ))),
        }
    }
}

/// The ask-first message templates, one per language. Placeholders: `{group}`, `{names}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Templates {
    pub en: String,
    pub de: String,
}

/// Default English ask-first message.
pub const DEFAULT_TEMPLATE_EN: &str = "Hi {names}, may I add you to the group \"{group}\"? \
A short yes or no is enough, and no is perfectly fine.";
/// Default German ask-first message.
pub const DEFAULT_TEMPLATE_DE: &str = "Hallo {names}, darf ich dich zur Gruppe „{group}“ \
hinzufügen? Ein kurzes Ja oder Nein genügt, und Nein ist völlig in Ordnung.";

impl Default for Templates {
    fn default() -> Self {
        Templates {
            en: DEFAULT_TEMPLATE_EN.into(),
            de: DEFAULT_TEMPLATE_DE.into(),
        }
    }
}

impl Templates {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::De => &self.de,
        }
    }
}

/// All settings. Every field has a documented default; a missing field takes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Per-site switch and mode. A site missing here uses [`SiteSettings::default`]
    /// (enabled, [`Mode::Confirm`]).
    pub sites: BTreeMap<Site, SiteSettings>,
    /// Selecting this many people or more in a direct-add dialog is a bulk add. Default: 5.
    pub direct_threshold: u32,
    /// Selecting this many people or more in an invitation dialog is a bulk invite. Default: 20.
    pub invite_threshold: u32,
    /// This many confirmed adds within [`Settings::sequential_minutes`] make the next add
    /// dialog warn, even for one person. Default: 10.
    pub sequential_count: u32,
    /// The sequential window in minutes. Default: 10.
    pub sequential_minutes: u32,
    /// A quiet note on any direct add below the threshold. Default: `true`.
    pub quiet_note: bool,
    /// Groups where Ask First never warns. Default: none.
    pub trusted_groups: Vec<GroupRef>,
    /// People whose re-additions are never flagged. Default: none.
    pub trusted_adders: Vec<PersonRef>,
    /// Ask-first messages. Default: [`DEFAULT_TEMPLATE_EN`], [`DEFAULT_TEMPLATE_DE`].
    pub templates: Templates,
    /// Default: [`Language::Browser`].
    pub language: Language,
    /// Sites paused until a time or until resumed. Default: none.
    pub pauses: BTreeMap<Site, Pause>,
    /// Sync the record and these rules through the browser's own sync storage
    /// (`storage.sync`, see [`crate::sync`]). Default: `false` (off).
    pub sync: bool,
}

/// Default bulk threshold for direct adds.
pub const DEFAULT_DIRECT_THRESHOLD: u32 = 5;
/// Default bulk threshold for invitations.
pub const DEFAULT_INVITE_THRESHOLD: u32 = 20;
/// Default sequential rule: this many people …
pub const DEFAULT_SEQUENTIAL_COUNT: u32 = 10;
/// … added within this many minutes.
pub const DEFAULT_SEQUENTIAL_MINUTES: u32 = 10;
/// Default for the quiet note on direct adds below the threshold.
pub const DEFAULT_QUIET_NOTE: bool = true;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            sites: BTreeMap::new(),
            direct_threshold: DEFAULT_DIRECT_THRESHOLD,
            invite_threshold: DEFAULT_INVITE_THRESHOLD,
            sequential_count: DEFAULT_SEQUENTIAL_COUNT,
            sequential_minutes: DEFAULT_SEQUENTIAL_MINUTES,
            quiet_note: DEFAULT_QUIET_NOTE,
            trusted_groups: Vec::new(),
            trusted_adders: Vec::new(),
            templates: Templates::default(),
            language: Language::Browser,
            pauses: BTreeMap::new(),
            sync: false,
        }
    }
}

/// One field that was reset or trimmed, by path (e.g. `templates.de`, `trusted_groups[3]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingIssue {
    pub field: String,
    pub problem: String,
}

impl SettingIssue {
    fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        SettingIssue {
            field: field.into(),
            problem: problem.into(),
        }
    }
}

/// An object's members, decoded one field at a time into the field's type.
trait Fields {
    fn field<T: DeserializeOwned>(&self, name: &str) -> Option<Result<T, serde_json::Error>>;
}

impl Fields for serde_json::Map<String, serde_json::Value> {
    fn field<T: DeserializeOwned>(&self, name: &str) -> Option<Result<T, serde_json::Error>> {
        self.get(name).map(T::deserialize)
    }
}

impl Fields for BTreeMap<String, &serde_json::value::RawValue> {
    fn field<T: DeserializeOwned>(&self, name: &str) -> Option<Result<T, serde_json::Error>> {
        self.get(name).map(|raw| serde_json::from_str(raw.get()))
    }
}

impl Settings {
    /// This site's switch and mode.
    pub fn site(&self, site: Site) -> SiteSettings {
        self.sites.get(&site).copied().unwrap_or_default()
    }

    /// Whether the site is paused at `now_ms`.
    pub fn is_paused(&self, site: Site, now_ms: f64) -> bool {
        self.pauses
            .get(&site)
            .is_some_and(|pause| pause.is_active(now_ms))
    }

    /// Whether Ask First guards `site` at `now_ms`, as the popup shows it: a site switched off
    /// (disabled, or mode off) is off whatever its pause; otherwise an active pause wins.
    pub fn protection(&self, site: Site, now_ms: f64) -> Protection {
        let settings = self.site(site);
        if !settings.enabled || settings.mode == Mode::Off {
            return Protection::Off;
        }
        match self.pauses.get(&site) {
            Some(pause) if pause.is_active(now_ms) => Protection::Paused(*pause),
            _ => Protection::On,
        }
    }

    pub fn trusts_group(&self, group: &GroupRef) -> bool {
        self.trusted_groups.contains(group)
    }

    pub fn trusts_adder(&self, site: Site, name: &str) -> bool {
        self.trusted_adders
            .iter()
            .any(|person| person.site == site && PersonRef::same_name(&person.name, name))
    }

    /// The sequential window in milliseconds.
    pub fn window_ms(&self) -> f64 {
        f64::from(self.sequential_minutes) * 60_000.0
    }

    /// Decodes settings field by field: a field of the wrong type is reported and takes its
    /// default, the others are kept. Unknown fields are ignored (a newer build may add some).
    /// The result is validated.
    pub fn from_value(value: &serde_json::Value) -> (Settings, Vec<SettingIssue>) {
        let Some(object) = value.as_object() else {
            let issues = vec![SettingIssue::new("", "settings are not an object")];
            return (Settings::default(), issues);
        };
        Settings::from_fields(object)
    }

    /// [`Settings::from_value`] on an object's members as raw JSON text (an import file), so
    /// that no tree of the whole value is built: each field is decoded straight into its type.
    pub fn from_raw_fields(
        object: &BTreeMap<String, &serde_json::value::RawValue>,
    ) -> (Settings, Vec<SettingIssue>) {
        Settings::from_fields(object)
    }

    fn from_fields(object: &impl Fields) -> (Settings, Vec<SettingIssue>) {
        let mut settings = Settings::default();
        let mut issues = Vec::new();
        // One line per field, read from the member of the same name: absent, it keeps its
        // default; unreadable, it keeps its default and is reported. The pattern at the end
        // names every field, so a field added to `Settings` but not here does not compile.
        macro_rules! take {
            ($($field:ident),+ $(,)?) => {
                $(match object.field(stringify!($field)) {
                    None => {}
                    Some(Ok(value)) => settings.$field = value,
                    Some(Err(err)) => issues.push(SettingIssue::new(
                        stringify!($field),
                        brief_message(&format!("unreadable: {err}")),
                    )),
                })+
                let Settings { $($field: _),+ } = &settings;
            };
        }
        take!(
            sites,
            direct_threshold,
            invite_threshold,
            sequential_count,
            sequential_minutes,
            quiet_note,
            trusted_groups,
            trusted_adders,
            templates,
            language,
            pauses,
            sync,
        );
        issues.extend(settings.validate());
        (settings, issues)
    }

    /// Resets every out-of-bounds field to its default (or drops a bad list entry) and reports
    /// each by path. Running it again on its own result reports nothing.
    pub fn validate(&mut self) -> Vec<SettingIssue> {
        let defaults = Settings::default();
        let mut issues = Vec::new();

        let mut threshold =
            |field: &str, value: &mut u32, default: u32, range: &std::ops::RangeInclusive<u32>| {
                if !range.contains(value) {
                    issues.push(SettingIssue::new(
                        field,
                        format!(
                            "{value} is outside {}..={}; reset to {default}",
                            range.start(),
                            range.end()
                        ),
                    ));
                    *value = default;
                }
            };
        threshold(
            "direct_threshold",
            &mut self.direct_threshold,
            defaults.direct_threshold,
            &THRESHOLD_RANGE,
        );
        threshold(
            "invite_threshold",
            &mut self.invite_threshold,
            defaults.invite_threshold,
            &THRESHOLD_RANGE,
        );
        threshold(
            "sequential_count",
            &mut self.sequential_count,
            defaults.sequential_count,
            &THRESHOLD_RANGE,
        );
        threshold(
            "sequential_minutes",
            &mut self.sequential_minutes,
            defaults.sequential_minutes,
            &WINDOW_MINUTES_RANGE,
        );

        // Trusted groups: keys are brought into normal form; unreadable keys and duplicates go.
        let mut kept: Vec<GroupRef> = Vec::new();
        for (index, group) in std::mem::take(&mut self.trusted_groups)
            .into_iter()
            .enumerate()
        {
            let field = format!("trusted_groups[{index}]");
            let Some(normal) = GroupRef::new(group.site, &group.key) else {
                issues.push(SettingIssue::new(field, "dropped: not a group key"));
                continue;
            };
            if kept.contains(&normal) {
                issues.push(SettingIssue::new(field, "dropped: duplicate"));
            } else if kept.len() >= MAX_TRUSTED_GROUPS {
                issues.push(SettingIssue::new(field, "dropped: too many trusted groups"));
            } else {
                if normal != group {
                    issues.push(SettingIssue::new(field, "key brought into normal form"));
                }
                kept.push(normal);
            }
        }
        self.trusted_groups = kept;

        let mut kept: Vec<PersonRef> = Vec::new();
        for (index, person) in std::mem::take(&mut self.trusted_adders)
            .into_iter()
            .enumerate()
        {
            let field = format!("trusted_adders[{index}]");
            let Some(name) = clean_name(&person.name) else {
                issues.push(SettingIssue::new(field, "dropped: empty name"));
                continue;
            };
            let duplicate = kept
                .iter()
                .any(|k| k.site == person.site && PersonRef::same_name(&k.name, &name));
            if duplicate {
                issues.push(SettingIssue::new(field, "dropped: duplicate"));
            } else if kept.len() >= MAX_TRUSTED_ADDERS {
                issues.push(SettingIssue::new(field, "dropped: too many trusted adders"));
            } else {
                if name != person.name {
                    issues.push(SettingIssue::new(field, "name cleaned"));
                }
                kept.push(PersonRef {
                    site: person.site,
                    name,
                });
            }
        }
        self.trusted_adders = kept;

        for (field, template, default) in [
            ("templates.en", &mut self.templates.en, DEFAULT_TEMPLATE_EN),
            ("templates.de", &mut self.templates.de, DEFAULT_TEMPLATE_DE),
        ] {
            if let Err(problem) = check_template(template) {
                issues.push(SettingIssue::new(
                    field,
                    format!("{problem}; reset to the default"),
                ));
                *template = default.to_string();
            }
        }

        self.pauses.retain(|site, pause| match pause {
            Pause::Always => true,
            Pause::Until(ms) if ms.is_finite() && *ms >= 0.0 => true,
            Pause::Until(_) => {
                issues.push(SettingIssue::new(
                    format!("pauses.{}", site.id()),
                    "dropped: not a valid time",
                ));
                false
            }
        });
        issues
    }
}

/// A page's change of the settings, applied to the settings as they are now.
///
/// An extension page edits the snapshot it loaded (`base`) and saves its whole form (`mine`);
/// meanwhile another page may have changed the settings (a pause set in the popup, a threshold
/// in a second options tab). Saving `mine` wholesale would undo those changes, so only what the
/// page changed is applied: per field of objects (recursively: `sites`, `templates`, `pauses`),
/// and per entry of lists (entries the page added or removed; `trusted_groups`, `trusted_adders`).
/// A field both changed ends as the saving page has it. The result is validated by the caller.
pub fn rebase(
    current: &serde_json::Value,
    base: &serde_json::Value,
    mine: &serde_json::Value,
) -> serde_json::Value {
    use serde_json::Value;
    if mine == base {
        return current.clone();
    }
    match (current, base, mine) {
        (Value::Object(current), Value::Object(base), Value::Object(mine)) => {
            let mut merged = current.clone();
            for (key, value) in mine {
                match (current.get(key), base.get(key)) {
                    (Some(now), Some(was)) => {
                        merged.insert(key.clone(), rebase(now, was, value));
                    }
                    (_, Some(was)) if was == value => {}
                    // New in this page, or gone elsewhere and set again here.
                    _ => {
                        merged.insert(key.clone(), value.clone());
                    }
                }
            }
            for key in base.keys() {
                if !mine.contains_key(key) {
                    // The page removed it (a pause it resumed).
                    merged.remove(key);
                }
            }
            Value::Object(merged)
        }
        (Value::Array(current), Value::Array(base), Value::Array(mine)) => {
            let mut merged: Vec<Value> = current
                .iter()
                .filter(|entry| mine.contains(entry) || !base.contains(entry))
                .cloned()
                .collect();
            for entry in mine {
                if !base.contains(entry) && !merged.contains(entry) {
                    merged.push(entry.clone());
                }
            }
            Value::Array(merged)
        }
        _ => mine.clone(),
    }
}

/// Why a template cannot be used, if it cannot.
pub fn check_template(template: &str) -> Result<(), String> {
    if template.chars().count() > MAX_TEMPLATE_CHARS {
        return Err(format!("longer than {MAX_TEMPLATE_CHARS} characters"));
    }
    if template.trim().is_empty() {
        return Err("empty".into());
    }
    if template.chars().any(|c| c.is_control() && c != '\n') {
        return Err("contains control characters".into());
    }
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err("a '}' without '{'".into());
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err("a '{' without '}'".into());
        };
        let name = &after[..close];
        if !PLACEHOLDERS.contains(&name) {
            return Err(format!("unknown placeholder {{{name}}}"));
        }
        rest = &after[close + 1..];
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    mod rebase {
        use super::super::rebase;
        use serde_json::json;

        #[test]
        fn a_pause_set_elsewhere_survives_a_save_of_an_older_form() {
            let base = json!({"direct_threshold": 5, "invite_threshold": 20, "pauses": {}});
            let current = json!({"direct_threshold": 5, "invite_threshold": 20, "pauses": {"slack": "always"}});
            let mine = json!({"direct_threshold": 8, "invite_threshold": 20, "pauses": {}});
            assert_eq!(
                rebase(&current, &base, &mine),
                json!({"direct_threshold": 8, "invite_threshold": 20, "pauses": {"slack": "always"}})
            );
        }

        #[test]
        fn changes_of_two_pages_to_different_fields_both_stay() {
            let base = json!({"direct_threshold": 5, "invite_threshold": 20, "templates": {"en": "a", "de": "b"}});
            let current = json!({"direct_threshold": 5, "invite_threshold": 30, "templates": {"en": "a", "de": "B"}});
            let mine = json!({"direct_threshold": 7, "invite_threshold": 20, "templates": {"en": "A", "de": "b"}});
            assert_eq!(
                rebase(&current, &base, &mine),
                json!({"direct_threshold": 7, "invite_threshold": 30, "templates": {"en": "A", "de": "B"}})
            );
        }

        #[test]
        fn the_saving_page_wins_a_field_both_changed() {
            let base = json!({"direct_threshold": 5});
            let current = json!({"direct_threshold": 6});
            let mine = json!({"direct_threshold": 7});
            assert_eq!(
                rebase(&current, &base, &mine),
                json!({"direct_threshold": 7})
            );
        }

        #[test]
        fn list_entries_added_and_removed_on_each_side_are_kept_apart() {
            let base = json!({"trusted_adders": ["ann", "bob"]});
            // Elsewhere: carl added. Here: bob removed, dana added.
            let current = json!({"trusted_adders": ["ann", "bob", "carl"]});
            let mine = json!({"trusted_adders": ["ann", "dana"]});
            assert_eq!(
                rebase(&current, &base, &mine),
                json!({"trusted_adders": ["ann", "carl", "dana"]})
            );
        }

        #[test]
        fn a_resumed_pause_is_removed_and_an_unchanged_form_changes_nothing() {
            let base = json!({"pauses": {"slack": "always", "discord": "always"}});
            let current = json!({"pauses": {"slack": "always", "discord": "always", "telegram": {"until": 9.0}}});
            let mine = json!({"pauses": {"discord": "always"}});
            assert_eq!(
                rebase(&current, &base, &mine),
                json!({"pauses": {"discord": "always", "telegram": {"until": 9.0}}})
            );
            assert_eq!(rebase(&current, &base, &base), current);
        }

        #[test]
        fn shapes_that_do_not_line_up_take_the_page_s_value() {
            assert_eq!(rebase(&json!(1), &json!({"a": 1}), &json!("x")), json!("x"));
            assert_eq!(
                rebase(&json!({"a": 1}), &json!([1]), &json!({"b": 2})),
                json!({"b": 2})
            );
        }
    }

    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_are_valid_and_documented_values() {
        let mut settings = Settings::default();
        assert!(settings.validate().is_empty());
        assert_eq!(settings.direct_threshold, 5);
        assert_eq!(settings.invite_threshold, 20);
        assert_eq!(settings.site(Site::Slack).mode, Mode::Confirm);
        assert!(settings.site(Site::Slack).enabled);
        assert!(settings.quiet_note);
    }

    #[test]
    fn bad_fields_are_reset_and_reported_by_path() {
        let mut settings = Settings {
            direct_threshold: 0,
            sequential_minutes: 5000,
            trusted_groups: vec![
                GroupRef {
                    site: Site::Facebook,
                    key: "MySlug".into(),
                },
                GroupRef {
                    site: Site::Facebook,
                    key: "123".into(),
                },
                GroupRef {
                    site: Site::Facebook,
                    key: "123".into(),
                },
            ],
            templates: Templates {
                en: "Hi {name}".into(),
                de: "x".repeat(2000),
            },
            ..Settings::default()
        };
        settings.pauses.insert(Site::Slack, Pause::Until(f64::NAN));
        let issues = settings.validate();
        let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "direct_threshold",
                "sequential_minutes",
                "trusted_groups[0]",
                "trusted_groups[2]",
                "templates.en",
                "templates.de",
                "pauses.slack"
            ]
        );
        assert_eq!(settings.direct_threshold, 5);
        assert_eq!(settings.templates, Templates::default());
        // "MySlug" was brought into normal form; the two "123" are one.
        assert_eq!(settings.trusted_groups.len(), 2);
        assert_eq!(settings.trusted_groups[0].key, "myslug");
        assert!(settings.validate().is_empty());
    }

    #[test]
    fn templates_are_checked_without_regex() {
        assert!(check_template("Hi {names}, join {group}?").is_ok());
        assert!(check_template("Hi {names").is_err());
        assert!(check_template("Hi names}").is_err());
        assert!(check_template("Hi {who}").is_err());
        assert!(check_template("{}").is_err());
        assert!(check_template("   ").is_err());
        assert!(check_template(DEFAULT_TEMPLATE_DE).is_ok());
    }

    #[test]
    fn decoding_keeps_good_fields_when_one_is_broken() {
        let (settings, issues) = Settings::from_value(&json!({
            "direct_threshold": "many",
            "invite_threshold": 30,
            "sites": {"slack": {"mode": "note"}},
            "pauses": {"facebook": "always", "discord": 5.0},
            "language": "de",
            "future_field": 1
        }));
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].field, "direct_threshold");
        assert_eq!(settings.direct_threshold, 5);
        assert_eq!(settings.invite_threshold, 30);
        assert_eq!(settings.site(Site::Slack).mode, Mode::Note);
        assert!(settings.site(Site::Slack).enabled);
        assert!(settings.is_paused(Site::Facebook, 1e15));
        assert!(settings.is_paused(Site::Discord, 4.0));
        assert!(!settings.is_paused(Site::Discord, 5.0));
        assert_eq!(settings.language, Language::De);
        let (_, issues) = Settings::from_value(&json!([1]));
        assert_eq!(issues.len(), 1);
        let (_, issues) = Settings::from_value(&json!({"pauses": {"slack": "soon"}}));
        assert_eq!(issues[0].field, "pauses");
    }

    #[test]
    fn language_follows_the_browser() {
        assert_eq!(Language::Browser.resolve("de-AT"), Lang::De);
        assert_eq!(Language::Browser.resolve("de"), Lang::De);
        assert_eq!(Language::Browser.resolve("en-US"), Lang::En);
        assert_eq!(Language::Browser.resolve(""), Lang::En);
        assert_eq!(Language::En.resolve("de"), Lang::En);
    }

    #[test]
    fn trusted_adders_match_loosely() {
        let settings = Settings {
            trusted_adders: vec![PersonRef::new(Site::Whatsapp, "Anna Bauer").unwrap()],
            ..Settings::default()
        };
        assert!(settings.trusts_adder(Site::Whatsapp, " anna  bauer"));
        assert!(!settings.trusts_adder(Site::Telegram, "Anna Bauer"));
    }

    mod protection {
        use super::super::{Mode, Pause, Protection, Settings, SiteSettings};
        use crate::site::Site;

        fn with(site: Site, enabled: bool, mode: Mode, pause: Option<Pause>) -> Settings {
            let mut settings = Settings::default();
            settings.sites.insert(site, SiteSettings { enabled, mode });
            if let Some(pause) = pause {
                settings.pauses.insert(site, pause);
            }
            settings
        }

        #[test]
        fn a_site_without_pause_is_on_in_every_mode_but_off() {
            for mode in [Mode::Note, Mode::Warn, Mode::Confirm] {
                let settings = with(Site::Slack, true, mode, None);
                assert_eq!(settings.protection(Site::Slack, 1000.0), Protection::On);
            }
            let settings = with(Site::Slack, true, Mode::Off, None);
            assert_eq!(settings.protection(Site::Slack, 1000.0), Protection::Off);
            assert_eq!(
                Settings::default().protection(Site::Discord, 0.0),
                Protection::On
            );
        }

        #[test]
        fn switched_off_wins_over_a_pause() {
            let disabled = with(Site::Slack, false, Mode::Warn, Some(Pause::Always));
            assert_eq!(disabled.protection(Site::Slack, 0.0), Protection::Off);
            let mode_off = with(Site::Slack, true, Mode::Off, Some(Pause::Until(5e3)));
            assert_eq!(mode_off.protection(Site::Slack, 0.0), Protection::Off);
        }

        #[test]
        fn a_pause_counts_until_its_end_and_only_for_its_site() {
            let settings = with(Site::Slack, true, Mode::Warn, Some(Pause::Until(5000.0)));
            assert_eq!(
                settings.protection(Site::Slack, 4999.0),
                Protection::Paused(Pause::Until(5000.0))
            );
            // It ends at its time, as `is_paused` says.
            assert_eq!(settings.protection(Site::Slack, 5000.0), Protection::On);
            assert!(!settings.is_paused(Site::Slack, 5000.0));
            assert_eq!(settings.protection(Site::Discord, 0.0), Protection::On);
            let always = with(Site::Slack, true, Mode::Note, Some(Pause::Always));
            assert_eq!(
                always.protection(Site::Slack, f64::MAX),
                Protection::Paused(Pause::Always)
            );
        }
    }
}
