//! The rules: what an add dialog on the page deserves, given the settings and the record.
//!
//! The verdict carries message ids and parameters, never sentences, so the UI can localise.
//!
//! Layer: domain (imports only the leaves and other domain modules; the map is in `lib.rs`).

use serde::{Deserialize, Serialize};

use crate::model::{GroupRef, Record};
use crate::settings::{
    Mode, Settings, SiteSettings, DEFAULT_DIRECT_THRESHOLD, DEFAULT_INVITE_THRESHOLD,
    DEFAULT_QUIET_NOTE, DEFAULT_SEQUENTIAL_COUNT, DEFAULT_SEQUENTIAL_MINUTES,
};
use crate::site::Site;

/// Whether the dialog adds people directly or sends them invitations they can decline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DialogKind {
    Direct,
    Invite,
}

/// What the content core saw in an open add dialog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub site: Site,
    pub dialog: DialogKind,
    /// The group the dialog adds to, when the page shows it.
    pub group: Option<GroupRef>,
    /// The group's name as shown (for the ask-first message).
    #[serde(default)]
    pub group_name: Option<String>,
    /// How many people are selected (the site's counter, or the checked rows).
    pub selected: u32,
    /// Their display names, where visible (for the ask-first message).
    #[serde(default)]
    pub names: Vec<String>,
    /// Milliseconds since the epoch.
    pub now: f64,
}

/// How loud the reaction is, from silent to a gate before the confirm click.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Nothing,
    Note,
    Warn,
    Gate,
}

/// One reason for a verdict: a message id of the extension's locale files and its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub id: String,
    /// Name and value of each parameter, each name once. A list, not a map: at most two
    /// entries, and the content core then needs no B-tree code for them.
    pub params: Vec<(String, String)>,
}

impl Reason {
    fn new(id: &str, params: &[(&str, String)]) -> Reason {
        Reason {
            id: id.to_string(),
            params: params
                .iter()
                .map(|(name, value)| (name.to_string(), value.clone()))
                .collect(),
        }
    }

    /// The value of the parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(given, _)| given == name)
            .map(|(_, value)| value.as_str())
    }

    /// The parameters' values in the order of the message's placeholders (`$1`, `$2`…); empty
    /// for an id that is not one of [`REASONS`].
    pub fn values(&self) -> Vec<&str> {
        let names = REASONS
            .iter()
            .find(|(id, _)| *id == self.id)
            .map_or(&[][..], |(_, names)| *names);
        names
            .iter()
            .map(|name| self.param(name).unwrap_or(""))
            .collect()
    }
}

/// Message ids the rules can produce (the locale files must have each), with the names of their
/// parameters in the order of the message's placeholders `$1`, `$2`…
pub const REASONS: [(&str, &[&str]); 8] = [
    ("noteDirectAdd", &["count"]),
    ("warnBulkDirect", &["count", "threshold"]),
    ("warnBulkInvite", &["count", "threshold"]),
    ("warnGoogleDirectAdd", &["count"]),
    ("warnSequential", &["recent", "minutes"]),
    ("readByStructure", &[]),
    ("yesAgreedOne", &["agreed", "total"]),
    ("yesAgreedOther", &["agreed", "total"]),
];

/// The ids of [`REASONS`].
pub const REASON_IDS: [&str; 8] = {
    let mut ids = [""; 8];
    let mut i = 0;
    while i < REASONS.len() {
        ids[i] = REASONS[i].0;
        i += 1;
    }
    ids
};

/// The line "3 of 21 said yes" for `agreed` people who said yes among `total` selected, in the
/// plural form `agreed` takes ("1 von 21 hat", "3 von 21 haben").
pub fn said_yes_reason(agreed: u32, total: u32) -> Reason {
    Reason::new(
        if agreed == 1 {
            "yesAgreedOne"
        } else {
            "yesAgreedOther"
        },
        &[("agreed", agreed.to_string()), ("total", total.to_string())],
    )
}

/// The decision for one observation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub level: Level,
    /// Whether the site's confirm click must wait for the user's deliberate choice.
    pub gate_confirm: bool,
    pub reasons: Vec<Reason>,
}

impl Verdict {
    pub fn nothing() -> Verdict {
        Verdict {
            level: Level::Nothing,
            gate_confirm: false,
            reasons: Vec::new(),
        }
    }
}

/// What the rules need besides the observation. Built from the settings and the record in the
/// background, or from a [`crate::protocol::ContentContext`] in the page, so both decide alike.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleInputs {
    pub enabled: bool,
    pub mode: Mode,
    pub paused: bool,
    pub trusted_group: bool,
    pub direct_threshold: u32,
    pub invite_threshold: u32,
    pub quiet_note: bool,
    pub sequential_count: u32,
    pub sequential_minutes: u32,
    /// People added on this site within the sequential window so far.
    pub added_in_window: u32,
    /// The names that said yes to an add to this group ([`crate::agreed`]): they are not
    /// counted.
    pub agreed: Vec<String>,
}

impl RuleInputs {
    /// The inputs with the documented default settings and an empty record: what the page
    /// decides with until the background answers. Equal to [`RuleInputs::from_settings`] with
    /// `Settings::default()` (a test checks it), without building a whole `Settings`.
    pub fn defaults(added_in_window: u32) -> Self {
        let site = SiteSettings::default();
        RuleInputs {
            enabled: site.enabled,
            mode: site.mode,
            paused: false,
            trusted_group: false,
            direct_threshold: DEFAULT_DIRECT_THRESHOLD,
            invite_threshold: DEFAULT_INVITE_THRESHOLD,
            quiet_note: DEFAULT_QUIET_NOTE,
            sequential_count: DEFAULT_SEQUENTIAL_COUNT,
            sequential_minutes: DEFAULT_SEQUENTIAL_MINUTES,
            added_in_window,
            agreed: Vec::new(),
        }
    }

    pub fn from_settings(observation: &Observation, settings: &Settings, record: &Record) -> Self {
        let site = observation.site;
        let site_settings = settings.site(site);
        RuleInputs {
            enabled: site_settings.enabled,
            mode: site_settings.mode,
            paused: settings.is_paused(site, observation.now),
            trusted_group: observation
                .group
                .as_ref()
                .is_some_and(|group| settings.trusts_group(group)),
            direct_threshold: settings.direct_threshold,
            invite_threshold: settings.invite_threshold,
            quiet_note: settings.quiet_note,
            sequential_count: settings.sequential_count,
            sequential_minutes: settings.sequential_minutes,
            added_in_window: record.added_in_window(site, observation.now, settings.window_ms()),
            agreed: record.agreed_names(site, observation.group.as_ref()),
        }
    }

    /// How many of the selected people said yes: the distinct names of the selection that
    /// are in [`RuleInputs::agreed`], at most all selected.
    pub fn said_yes(&self, observation: &Observation) -> u32 {
        if self.agreed.is_empty() {
            return 0;
        }
        let (yes, _) = crate::agreed::agreed_among(&self.agreed, &observation.names);
        u32::try_from(yes.len())
            .unwrap_or(u32::MAX)
            .min(observation.selected)
    }

    /// The people of the selection that count toward the thresholds and the sequential window:
    /// all but those who said yes.
    pub fn counted(&self, observation: &Observation) -> u32 {
        observation.selected - self.said_yes(observation)
    }

    /// The names the ask-first message addresses: the selection without those who said yes.
    pub fn to_ask(&self, observation: &Observation) -> Vec<String> {
        let (_, others) = crate::agreed::agreed_among(&self.agreed, &observation.names);
        others.into_iter().cloned().collect()
    }
}

/// An add the user confirmed: let through in the gate ("I asked them – add now"), or below the
/// thresholds. Platforms often ask once more themselves (Telegram Web K's "Add 3 members?"
/// popup after its picker); that confirmation of the same add is not warned about, gated or
/// counted again.
#[derive(Debug, Clone, PartialEq)]
pub struct Approval {
    /// The dialog (the pack's dialog id) the add was confirmed in: a confirmation is another
    /// dialog. The same dialog opened again is a new add.
    pub dialog: String,
    pub site: Site,
    pub group: Option<GroupRef>,
    pub count: u32,
    /// Milliseconds since the epoch after which the approval no longer applies.
    pub until: f64,
}

impl Approval {
    /// How long after the proceed a platform's own confirmation counts as the same add.
    pub const FOLLOW_UP_MS: f64 = 60_000.0;

    /// The approval the user gave by confirming `observation`.
    pub fn of(observation: &Observation, dialog: &str) -> Approval {
        Approval {
            dialog: dialog.to_owned(),
            site: observation.site,
            group: observation.group.clone(),
            count: observation.selected,
            until: observation.now + Self::FOLLOW_UP_MS,
        }
    }

    /// Whether `observation`, made in `dialog`, is the platform's confirmation of the approved
    /// add: another dialog of the same site and group, no more people, within
    /// [`Approval::FOLLOW_UP_MS`].
    pub fn covers(&self, observation: &Observation, dialog: &str) -> bool {
        dialog != self.dialog
            && observation.site == self.site
            && observation.group == self.group
            && observation.selected <= self.count
            && observation.now <= self.until
    }
}

/// The verdict for a dialog read by the page's structure (the site pack recognised none): no
/// quiet note (the structure is a safety net for bulk adds, not a second opinion on small ones),
/// the warning says how the page was read, and the add is held back only when the structure
/// told the dialog's add control with confidence.
pub fn by_structure(verdict: Verdict, add_control_known: bool) -> Verdict {
    if verdict.level < Level::Warn {
        return Verdict::nothing();
    }
    let mut verdict = verdict;
    verdict.reasons.push(Reason::new("readByStructure", &[]));
    if !add_control_known {
        verdict.gate_confirm = false;
        verdict.level = Level::Warn;
    }
    verdict
}

/// Decides what an add dialog deserves, from the settings and the record.
pub fn evaluate(observation: &Observation, settings: &Settings, record: &Record) -> Verdict {
    evaluate_with(
        observation,
        &RuleInputs::from_settings(observation, settings, record),
    )
}

/// Decides what an add dialog deserves.
pub fn evaluate_with(observation: &Observation, inputs: &RuleInputs) -> Verdict {
    let site = observation.site;
    if !inputs.enabled
        || inputs.mode == Mode::Off
        || inputs.paused
        || inputs.trusted_group
        || observation.selected == 0
    {
        return Verdict::nothing();
    }

    // People who said yes are not counted: everyone selected said yes, nothing to ask.
    let agreed = inputs.said_yes(observation);
    let count = observation.selected - agreed;
    if count == 0 {
        return Verdict::nothing();
    }
    let mut level = Level::Nothing;
    let mut reasons = Vec::new();

    let (threshold, bulk_id) = match observation.dialog {
        DialogKind::Direct => (inputs.direct_threshold, "warnBulkDirect"),
        DialogKind::Invite => (inputs.invite_threshold, "warnBulkInvite"),
    };
    if count >= threshold {
        level = Level::Gate;
        reasons.push(Reason::new(
            bulk_id,
            &[
                ("count", count.to_string()),
                ("threshold", threshold.to_string()),
            ],
        ));
    }

    // Google Groups can add without consent when a toggle is on; invitations are the polite form.
    if site == Site::GoogleGroups && observation.dialog == DialogKind::Direct {
        level = level.max(Level::Warn);
        reasons.push(Reason::new(
            "warnGoogleDirectAdd",
            &[("count", count.to_string())],
        ));
    }

    let recent = inputs.added_in_window;
    if recent >= inputs.sequential_count {
        level = level.max(Level::Warn);
        reasons.push(Reason::new(
            "warnSequential",
            &[
                ("recent", recent.to_string()),
                ("minutes", inputs.sequential_minutes.to_string()),
            ],
        ));
    }

    if level == Level::Nothing && observation.dialog == DialogKind::Direct && inputs.quiet_note {
        level = Level::Note;
        reasons.push(Reason::new(
            "noteDirectAdd",
            &[("count", count.to_string())],
        ));
    }

    let cap = match inputs.mode {
        Mode::Off => Level::Nothing,
        Mode::Note => Level::Note,
        Mode::Warn => Level::Warn,
        Mode::Confirm => Level::Gate,
    };
    let level = level.min(cap);
    if level == Level::Nothing {
        return Verdict::nothing();
    }
    if agreed > 0 {
        reasons.push(said_yes_reason(agreed, observation.selected));
    }
    Verdict {
        level,
        gate_confirm: level == Level::Gate,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_dialog_read_by_structure_warns_says_so_and_gates_only_a_known_control() {
        let gate = Verdict {
            level: Level::Gate,
            gate_confirm: true,
            reasons: vec![Reason::new("warnBulkDirect", &[("count", "6".into())])],
        };
        let known = by_structure(gate.clone(), true);
        assert_eq!(known.level, Level::Gate);
        assert!(known.gate_confirm);
        assert_eq!(
            known.reasons.last().map(|r| r.id.as_str()),
            Some("readByStructure")
        );
        let unknown = by_structure(gate, false);
        assert_eq!(unknown.level, Level::Warn, "the warning alone");
        assert!(!unknown.gate_confirm);
        let note = Verdict {
            level: Level::Note,
            gate_confirm: false,
            reasons: vec![Reason::new("noteDirectAdd", &[("count", "2".into())])],
        };
        assert_eq!(by_structure(note, true), Verdict::nothing());
        assert_eq!(by_structure(Verdict::nothing(), true), Verdict::nothing());
    }

    #[test]
    fn an_approval_covers_the_platforms_own_confirmation_of_the_same_add_only() {
        let picker = Observation {
            site: Site::Telegram,
            dialog: DialogKind::Direct,
            group: Some(GroupRef {
                site: Site::Telegram,
                key: "-1001303328644".into(),
            }),
            group_name: None,
            selected: 6,
            names: Vec::new(),
            now: 1_000_000.0,
        };
        let approval = Approval::of(&picker, "add-members");
        let popup = Observation {
            now: picker.now + 2_000.0,
            ..picker.clone()
        };
        let confirm = "add-confirm";
        assert!(
            approval.covers(&popup, confirm),
            "the same add a moment later"
        );
        assert!(approval.covers(
            &Observation {
                selected: 5,
                ..popup.clone()
            },
            confirm
        ));
        assert!(
            !approval.covers(&popup, "add-members"),
            "the picker opened again is a new add"
        );
        assert!(
            !approval.covers(
                &Observation {
                    selected: 7,
                    ..popup.clone()
                },
                confirm
            ),
            "more people"
        );
        assert!(
            !approval.covers(
                &Observation {
                    group: None,
                    ..popup.clone()
                },
                confirm
            ),
            "another group"
        );
        assert!(
            !approval.covers(
                &Observation {
                    site: Site::Slack,
                    ..popup.clone()
                },
                confirm
            ),
            "another site"
        );
        assert!(
            !approval.covers(
                &Observation {
                    now: picker.now + Approval::FOLLOW_UP_MS + 1.0,
                    ..popup
                },
                confirm
            ),
            "too late"
        );
    }

    use super::*;
    use crate::settings::Pause;

    #[test]
    fn default_inputs_are_the_default_settings() {
        for site in Site::ALL {
            for dialog in [DialogKind::Direct, DialogKind::Invite] {
                let observation = Observation {
                    site,
                    dialog,
                    group: None,
                    group_name: None,
                    selected: 3,
                    names: vec![],
                    now: 1_700_000_000_000.0,
                };
                let mut expected = RuleInputs::from_settings(
                    &observation,
                    &Settings::default(),
                    &Record::default(),
                );
                expected.added_in_window = 4;
                assert_eq!(RuleInputs::defaults(4), expected);
            }
        }
    }

    fn observe(site: Site, dialog: DialogKind, selected: u32) -> Observation {
        Observation {
            site,
            dialog,
            group: GroupRef::new(site, "123").or_else(|| GroupRef::new(site, "t/c")),
            group_name: None,
            selected,
            names: Vec::new(),
            now: 1_000_000.0,
        }
    }

    fn ids(verdict: &Verdict) -> Vec<&str> {
        verdict.reasons.iter().map(|r| r.id.as_str()).collect()
    }

    #[test]
    fn bulk_direct_adds_are_gated_at_the_threshold() {
        let settings = Settings::default();
        let record = Record::default();
        let verdict = evaluate(
            &observe(Site::Whatsapp, DialogKind::Direct, 8),
            &settings,
            &record,
        );
        assert_eq!(verdict.level, Level::Gate);
        assert!(verdict.gate_confirm);
        assert_eq!(
            verdict.reasons,
            vec![Reason::new(
                "warnBulkDirect",
                &[("count", "8".into()), ("threshold", "5".into())]
            )]
        );
        let verdict = evaluate(
            &observe(Site::Whatsapp, DialogKind::Direct, 5),
            &settings,
            &record,
        );
        assert_eq!(verdict.level, Level::Gate);
        let verdict = evaluate(
            &observe(Site::Whatsapp, DialogKind::Direct, 4),
            &settings,
            &record,
        );
        assert_eq!(verdict.level, Level::Note);
        assert_eq!(ids(&verdict), ["noteDirectAdd"]);
        assert!(!verdict.gate_confirm);
    }

    #[test]
    fn invitations_use_their_own_threshold_and_no_quiet_note() {
        let settings = Settings::default();
        let record = Record::default();
        let small = evaluate(
            &observe(Site::Facebook, DialogKind::Invite, 19),
            &settings,
            &record,
        );
        assert_eq!(small, Verdict::nothing());
        let big = evaluate(
            &observe(Site::Facebook, DialogKind::Invite, 20),
            &settings,
            &record,
        );
        assert_eq!(big.level, Level::Gate);
        assert_eq!(ids(&big), ["warnBulkInvite"]);
    }

    #[test]
    fn modes_cap_the_level() {
        let record = Record::default();
        for (mode, expected) in [
            (Mode::Off, Level::Nothing),
            (Mode::Note, Level::Note),
            (Mode::Warn, Level::Warn),
            (Mode::Confirm, Level::Gate),
        ] {
            let mut settings = Settings::default();
            settings.sites.insert(
                Site::Telegram,
                SiteSettings {
                    enabled: true,
                    mode,
                },
            );
            let verdict = evaluate(
                &observe(Site::Telegram, DialogKind::Direct, 50),
                &settings,
                &record,
            );
            assert_eq!(verdict.level, expected, "{mode:?}");
            assert_eq!(verdict.gate_confirm, expected == Level::Gate);
        }
        let mut settings = Settings::default();
        settings.sites.insert(
            Site::Telegram,
            SiteSettings {
                enabled: false,
                mode: Mode::Confirm,
            },
        );
        let verdict = evaluate(
            &observe(Site::Telegram, DialogKind::Direct, 50),
            &settings,
            &record,
        );
        assert_eq!(verdict, Verdict::nothing());
    }

    #[test]
    fn trusted_groups_and_pauses_silence_everything() {
        let record = Record::default();
        let observation = observe(Site::Facebook, DialogKind::Direct, 50);
        let mut settings = Settings::default();
        settings
            .trusted_groups
            .push(observation.group.clone().unwrap());
        assert_eq!(
            evaluate(&observation, &settings, &record),
            Verdict::nothing()
        );

        let mut settings = Settings::default();
        settings
            .pauses
            .insert(Site::Facebook, Pause::Until(observation.now + 1.0));
        assert_eq!(
            evaluate(&observation, &settings, &record),
            Verdict::nothing()
        );
        settings
            .pauses
            .insert(Site::Facebook, Pause::Until(observation.now));
        assert_eq!(
            evaluate(&observation, &settings, &record).level,
            Level::Gate
        );
        settings.pauses.insert(Site::Facebook, Pause::Always);
        assert_eq!(
            evaluate(&observation, &settings, &record),
            Verdict::nothing()
        );
    }

    #[test]
    fn google_direct_add_suggests_invitations() {
        let settings = Settings::default();
        let record = Record::default();
        let one = Observation {
            group: GroupRef::new(Site::GoogleGroups, "team"),
            ..observe(Site::GoogleGroups, DialogKind::Direct, 1)
        };
        let verdict = evaluate(&one, &settings, &record);
        assert_eq!(verdict.level, Level::Warn);
        assert_eq!(ids(&verdict), ["warnGoogleDirectAdd"]);
        let many = Observation {
            selected: 9,
            ..one.clone()
        };
        let verdict = evaluate(&many, &settings, &record);
        assert_eq!(verdict.level, Level::Gate);
        assert_eq!(ids(&verdict), ["warnBulkDirect", "warnGoogleDirectAdd"]);
        let invite = Observation {
            dialog: DialogKind::Invite,
            ..one
        };
        assert_eq!(evaluate(&invite, &settings, &record), Verdict::nothing());
    }

    #[test]
    fn sequential_adds_warn_even_for_one_person() {
        let settings = Settings::default();
        let mut record = Record::default();
        let observation = observe(Site::Whatsapp, DialogKind::Direct, 1);
        let window = settings.window_ms();
        for minute in 0..9 {
            record.add_confirmed(
                Site::Whatsapp,
                1,
                observation.now - f64::from(minute) * 60_000.0,
                window,
            );
        }
        assert_eq!(
            evaluate(&observation, &settings, &record).level,
            Level::Note
        );
        record.add_confirmed(Site::Whatsapp, 1, observation.now, window);
        let verdict = evaluate(&observation, &settings, &record);
        assert_eq!(verdict.level, Level::Warn);
        assert!(!verdict.gate_confirm);
        assert_eq!(ids(&verdict), ["warnSequential"]);
        assert_eq!(verdict.reasons[0].param("recent"), Some("10"));
        // Another site is not affected.
        let other = observe(Site::Telegram, DialogKind::Direct, 1);
        assert_eq!(evaluate(&other, &settings, &record).level, Level::Note);
    }

    #[test]
    fn nothing_selected_is_nothing() {
        let verdict = evaluate(
            &observe(Site::Slack, DialogKind::Direct, 0),
            &Settings::default(),
            &Record::default(),
        );
        assert_eq!(verdict, Verdict::nothing());
    }

    #[test]
    fn quiet_note_can_be_switched_off() {
        let settings = Settings {
            quiet_note: false,
            ..Settings::default()
        };
        let verdict = evaluate(
            &observe(Site::Slack, DialogKind::Direct, 2),
            &settings,
            &Record::default(),
        );
        assert_eq!(verdict, Verdict::nothing());
    }

    #[test]
    fn every_reason_the_rules_give_has_the_parameters_its_message_places() {
        let settings = Settings::default();
        let mut record = Record::default();
        let mut reasons = Vec::new();
        for (site, dialog, selected) in [
            (Site::GoogleGroups, DialogKind::Direct, 9),
            (Site::Telegram, DialogKind::Invite, 40),
            (Site::Telegram, DialogKind::Direct, 1),
        ] {
            let observation = Observation {
                group: GroupRef::new(site, "team"),
                ..observe(site, dialog, selected)
            };
            reasons.extend(evaluate(&observation, &settings, &record).reasons);
        }
        let sequential = observe(Site::Whatsapp, DialogKind::Direct, 1);
        for minute in 0..10 {
            let at = sequential.now - f64::from(minute) * 60_000.0;
            record.add_confirmed(Site::Whatsapp, 1, at, settings.window_ms());
        }
        reasons.extend(evaluate(&sequential, &settings, &record).reasons);
        let gate = evaluate(
            &observe(Site::Slack, DialogKind::Direct, 9),
            &settings,
            &record,
        );
        reasons.extend(by_structure(gate, true).reasons);
        reasons.push(said_yes_reason(1, 9));
        reasons.push(said_yes_reason(3, 9));

        let mut seen: Vec<&str> = reasons.iter().map(|r| r.id.as_str()).collect();
        seen.sort_unstable();
        seen.dedup();
        let mut all = REASON_IDS.to_vec();
        all.sort_unstable();
        assert_eq!(seen, all, "each reason is given by one of these cases");
        for reason in &reasons {
            let (_, names) = REASONS.iter().find(|(id, _)| *id == reason.id).unwrap();
            let mut given: Vec<&str> = reason.params.iter().map(|(n, _)| n.as_str()).collect();
            given.sort_unstable();
            let mut placed = names.to_vec();
            placed.sort_unstable();
            assert_eq!(
                given, placed,
                "{}: the parameters its message places",
                reason.id
            );
            assert_eq!(reason.values().len(), names.len());
        }
        let bulk = reasons.iter().find(|r| r.id == "warnBulkInvite").unwrap();
        assert_eq!(
            bulk.values(),
            ["40", "20"],
            "$1 the people, $2 the threshold"
        );
    }
}
