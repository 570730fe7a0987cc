//! The fuzzed entry points, their seeds, and what an accepted input must satisfy.

use ask_first_core::model::{GroupRef, IncidentKind, PersonRef, Record};
use ask_first_core::model::{MAX_ADDERS, MAX_INCIDENTS, MAX_LEFT_GROUPS, MAX_RECENT_ADDS};
use ask_first_core::pack::{self, SitePack};
use ask_first_core::settings::{Language, Mode, Pause, Settings, SiteSettings};
use ask_first_core::site::Site;
use ask_first_core::storage;
use ask_first_core::transfer::{self, ImportMode};
use serde_json::{json, Map, Value};

/// Longest error or report message accepted as "clear": one line a person can read, never an
/// echo of the input.
pub const MAX_MESSAGE_CHARS: usize = 1_000;

/// What a target made of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Accepted,
    Rejected,
}

/// A fuzzed entry point. `run` returns `Err` with a description when a check fails; a panic
/// fails the run too (the driver saves the input first).
pub struct Target {
    pub name: &'static str,
    pub seeds: fn() -> Vec<String>,
    /// Largest input generated: just above the size the entry point accepts.
    pub max_len: usize,
    pub run: fn(&[u8]) -> Result<Verdict, String>,
}

pub const TARGETS: [Target; 2] = [
    Target {
        name: "import",
        seeds: import_seeds,
        max_len: transfer::MAX_IMPORT_BYTES,
        run: run_import,
    },
    Target {
        name: "pack",
        seeds: pack_seeds,
        max_len: pack::MAX_PACK_BYTES,
        run: run_pack,
    },
];

/// A record and settings as a user who has used the extension for a while has them: groups
/// left on every site, re-additions with and without actors, re-invitations, outcomes, recent
/// adds, trusted groups and adders, pauses and own templates.
pub fn populated() -> (Settings, Record) {
    let mut record = Record::default();
    let groups = [
        GroupRef::new(Site::Facebook, "4711").unwrap(),
        GroupRef::new(Site::Facebook, "netzwerkerinnen.berlin").unwrap(),
        GroupRef::new(Site::Telegram, "-1001303328644").unwrap(),
        GroupRef::new(Site::Telegram, "@club").unwrap(),
        GroupRef::from_title(Site::Whatsapp, "Familie Müller 🏡").unwrap(),
        GroupRef::new(Site::Linkedin, "9876543").unwrap(),
        GroupRef::new(Site::GoogleGroups, "example.org/team").unwrap(),
        GroupRef::new(Site::Slack, "T012/C345").unwrap(),
        GroupRef::new(Site::Discord, "@me/42").unwrap(),
    ];
    let mut now = 1_700_000_000_000.0;
    for (i, group) in groups.iter().enumerate() {
        let url = (group.site == Site::Facebook)
            .then(|| format!("https://www.facebook.com/groups/{}", group.key));
        record.left_group(group, &format!("Gruppe {i} <b>"), url.as_deref(), now);
        now += 60_000.5;
    }
    for round in 0..3 {
        for (i, group) in groups.iter().enumerate().take(5) {
            let actor = ["Max Mustermann", "Eva", "\u{202e}Mallory"][(i + round) % 3];
            record.seen_readded(group, &format!("m{round}-{i}"), Some(actor), i == 4, now);
            now += 1_000.25;
            record.left_group(group, "Netzwerk", None, now);
            now += 1_000.0;
        }
        record.reinvited(
            &groups[5],
            &format!("inv{round}"),
            Some("Recruiter"),
            false,
            now,
        );
    }
    record.seen_readded(&groups[6], "visit", None, false, now);
    record.rejoined_on_purpose(&groups[7]);
    for (i, kind) in IncidentKind::ALL.iter().enumerate() {
        record.add_incident(
            *kind,
            Site::Slack,
            Some(&groups[7]),
            Some("Team"),
            7 * i as u32,
            now,
        );
        now += 10.0;
    }
    record.add_confirmed(Site::Whatsapp, 3, now, 600_000.0);
    record.add_confirmed(Site::Whatsapp, 2, now + 1.0, 600_000.0);
    record.mark_seen();
    record.seen_readded(&groups[0], "late", Some("Max Mustermann"), false, now + 5.0);
    record.mark_agreed(
        Site::Whatsapp,
        None,
        None,
        &["Oma Erna".into(), "Kai".into()],
        now + 6.0,
    );
    record.mark_agreed(
        groups[1].site,
        Some(&groups[1]),
        Some("Book club"),
        &["Jo".into()],
        now + 7.0,
    );

    let mut settings = Settings {
        direct_threshold: 3,
        invite_threshold: 25,
        sequential_count: 8,
        sequential_minutes: 30,
        quiet_note: false,
        trusted_groups: vec![groups[2].clone(), groups[8].clone()],
        trusted_adders: vec![PersonRef::new(Site::Whatsapp, "Oma Erna").unwrap()],
        language: Language::De,
        ..Settings::default()
    };
    settings.templates.en = "Hey {names}, ok to add you to {group}?".into();
    settings.pauses.insert(Site::Facebook, Pause::Always);
    settings
        .pauses
        .insert(Site::Slack, Pause::Until(now + 3_600_000.0));
    settings.sites.insert(
        Site::Linkedin,
        SiteSettings {
            enabled: false,
            mode: Mode::Note,
        },
    );
    (settings, record)
}

/// A real export of [`populated`] (pretty, as the options page writes it, and compact), a small
/// export with one entry of each kind, an export of a fresh install and a settings-only file.
pub fn import_seeds() -> Vec<String> {
    let (settings, record) = populated();
    let text = transfer::export(&settings, &record, 1_750_000_000_000.0);
    let compact = serde_json::to_string(&serde_json::from_str::<Value>(&text).unwrap()).unwrap();
    let fresh = transfer::export(&Settings::default(), &Record::default(), 1.0);
    // A small record with one of everything: cheap inputs that still reach every part.
    let mut small = Record::default();
    let group = GroupRef::new(Site::Facebook, "4711").unwrap();
    small.left_group(
        &group,
        "Netzwerk",
        Some("https://www.facebook.com/groups/4711"),
        1e12,
    );
    small.seen_readded(&group, "m1", Some("Max"), false, 1e12 + 1.0);
    small.add_incident(
        IncidentKind::BulkAddWarned,
        Site::Slack,
        None,
        None,
        9,
        1e12 + 2.0,
    );
    small.add_confirmed(Site::Whatsapp, 3, 1e12 + 3.0, 600_000.0);
    let small_settings = Settings {
        trusted_groups: vec![group],
        ..Settings::default()
    };
    let small = serde_json::to_string(&json!({
        "format": transfer::EXPORT_FORMAT,
        "version": transfer::EXPORT_VERSION,
        "exported_at": 1e12,
        "settings": small_settings,
        "record": small,
    }))
    .unwrap();
    let settings_only = json!({
        "format": transfer::EXPORT_FORMAT,
        "version": transfer::EXPORT_VERSION,
        "settings": settings,
    })
    .to_string();
    // An export carrying an imported site pack (its `packs` part).
    let mut discord = pack::bundled_for(Site::Discord).expect("a bundled Discord pack");
    discord.version += 1;
    let with_packs = transfer::export_with_packs(
        &Settings::default(),
        &Record::default(),
        &[(Site::Discord, discord)].into_iter().collect(),
        2.0,
    );
    vec![text, compact, small, fresh, settings_only, with_packs]
}

/// Every bundled site pack, as shipped.
pub fn pack_seeds() -> Vec<String> {
    pack::BUNDLED_SOURCES
        .iter()
        .map(|(_, _, json)| (*json).to_string())
        .collect()
}

fn clear(message: &str, what: &str) -> Result<(), String> {
    if message.trim().is_empty() {
        return Err(format!("{what}: empty message"));
    }
    let chars = message.chars().count();
    if chars > MAX_MESSAGE_CHARS {
        return Err(format!(
            "{what}: a {chars}-character message (at most {MAX_MESSAGE_CHARS}): {}…",
            message.chars().take(200).collect::<String>()
        ));
    }
    Ok(())
}

/// The state an import merges into (or replaces), built once per thread.
fn current() -> &'static (Settings, Record) {
    static CURRENT: std::sync::OnceLock<(Settings, Record)> = std::sync::OnceLock::new();
    CURRENT.get_or_init(populated)
}

/// `transfer::import`, in the mode the input's length picks (so a saved input replays alike).
/// Accepted: the settings validate and the record repairs with nothing to report, both within
/// their caps; the result exported and imported again (replace, into a fresh profile) is the
/// same state with nothing skipped; and stored as is, it loads without a problem or a write.
pub fn run_import(bytes: &[u8]) -> Result<Verdict, String> {
    let mode = if bytes.len().is_multiple_of(2) {
        ImportMode::Replace
    } else {
        ImportMode::Merge
    };
    let (settings, record) = current();
    let imported = match transfer::import(bytes, mode, settings, record) {
        Err(err) => {
            clear(&err.to_string(), "import error")?;
            return Ok(Verdict::Rejected);
        }
        Ok(imported) => imported,
    };
    for issue in &imported.report.skipped {
        clear(&issue.path, "skipped path")?;
        clear(&issue.problem, "skipped problem")?;
    }
    let mut again = imported.settings.clone();
    let issues = again.validate();
    if !issues.is_empty() {
        return Err(format!("imported settings do not validate: {issues:?}"));
    }
    let mut again = imported.record.clone();
    let issues = again.repair();
    if !issues.is_empty() || again != imported.record {
        return Err(format!(
            "imported record does not repair idempotently: {issues:?}"
        ));
    }
    // Every pack taken from the file passes the options page's own pack import again.
    for (site, taken) in imported.packs.iter().flatten() {
        let text = serde_json::to_string(taken).map_err(|err| err.to_string())?;
        if taken.site != *site || pack::check_import(&text).as_ref() != Ok(taken) {
            return Err("an imported export's pack does not pass a pack import".into());
        }
    }
    let r = &imported.record;
    if r.left.len() > MAX_LEFT_GROUPS
        || r.incidents.len() > MAX_INCIDENTS
        || r.adders.len() > MAX_ADDERS
        || r.recent_adds.len() > MAX_RECENT_ADDS
    {
        return Err("imported record exceeds its caps".into());
    }

    let text = transfer::export(&imported.settings, r, 1.0);
    let round = transfer::import(
        text.as_bytes(),
        ImportMode::Replace,
        &Settings::default(),
        &Record::default(),
    )
    .map_err(|err| format!("the export of an accepted import is refused: {err}"))?;
    if round.settings != imported.settings {
        return Err("settings changed through export and import".into());
    }
    if &round.record != r {
        return Err("record changed through export and import".into());
    }
    if !round.report.skipped.is_empty() {
        return Err(format!(
            "re-importing the export skipped {:?}",
            round.report.skipped
        ));
    }

    let mut stored = Map::new();
    stored.insert(
        storage::KEY_SCHEMA_VERSION.into(),
        json!(storage::SCHEMA_VERSION),
    );
    stored.insert(
        storage::KEY_SETTINGS.into(),
        serde_json::to_value(&imported.settings).map_err(|e| e.to_string())?,
    );
    stored.insert(storage::KEY_RECORD.into(), storage::record_value(r));
    let (loaded, report) = storage::load(&stored, 2.0);
    if !report.problems.is_empty() || !report.writes.is_empty() {
        return Err(format!(
            "the stored import does not load quietly: {:?}",
            report.problems
        ));
    }
    if loaded.settings != imported.settings || &loaded.record != r {
        return Err("the stored import loads as a different state".into());
    }
    Ok(Verdict::Accepted)
}

/// `SitePack::parse` and the content core's `pack::decode_checked_pack` on the input as text
/// (invalid UTF-8 replaced, as a browser's file reader does). Accepted: the content's reader
/// reads it alike or refuses it, it validates, re-serialises and re-parses equal (compact and
/// pretty), and its matchers answer texts made from its own templates without panicking.
pub fn run_pack(bytes: &[u8]) -> Result<Verdict, String> {
    let text = String::from_utf8_lossy(bytes);
    // The content core's reader runs on any text too, and never panics.
    let decoded = pack::decode_checked_pack(&text);
    let pack = match SitePack::parse(&text) {
        Err(err) => {
            clear(&err.to_string(), "pack error")?;
            return Ok(Verdict::Rejected);
        }
        Ok(pack) => pack,
    };
    // What it reads must be what the background reads. It may refuse some packs serde accepts
    // (structs written as arrays, numbers at f64's limits); the content then keeps the bundled
    // pack.
    if let Ok(decoded) = &decoded {
        if *decoded != pack {
            return Err(format!(
                "the content decoder reads an accepted pack differently: {decoded:?}"
            ));
        }
    }
    pack.validate()
        .map_err(|err| format!("a parsed pack does not validate: {err}"))?;
    // Compact: what a pack the user imported would be stored as; it must load again.
    let compact = serde_json::to_string(&pack).map_err(|e| e.to_string())?;
    let again = SitePack::parse(&compact)
        .map_err(|err| format!("a re-serialised pack is refused: {err}"))?;
    if again != pack {
        return Err("a pack changed through serialising and parsing".into());
    }
    // Pretty: may exceed the size cap by its indentation alone, so only the shape is compared.
    let pretty = serde_json::to_string_pretty(&pack).map_err(|e| e.to_string())?;
    let again: SitePack = serde_json::from_str(&pretty)
        .map_err(|err| format!("a pretty-printed pack does not read back: {err}"))?;
    if again != pack || again.validate().is_err() {
        return Err("a pack changed through pretty-printing and reading".into());
    }

    // The matchers on texts made from the pack's own templates and from the input.
    let probe: String = text.chars().take(300).collect();
    for dialog in &pack.dialogs {
        dialog.counter_value(&probe);
        dialog.label_matches(&probe);
        dialog.confirm.text_matches(&probe, Some(&probe));
        for source in &dialog.count {
            if let pack::CountSource::Counter { templates, .. } = source {
                for variant in templates.values().flatten() {
                    let filled = variant.replace("{n}", "1.234");
                    if dialog.counter_value(&filled).is_none() {
                        return Err(format!(
                            "counter template {variant:?} does not read {filled:?}"
                        ));
                    }
                }
            }
        }
    }
    if let Some(leave) = &pack.leave {
        leave.label_matches(&probe);
    }
    for message in &pack.messages {
        message.matches(&probe);
        for variant in message.templates.values().flatten() {
            let filled = variant
                .replace("{actor}", "Max <b>Muster</b>")
                .replace("{user}", "Robin")
                .replace("{group}", "Club \u{202e}");
            if let Some(found) = message.matches(&filled) {
                message.about_self(&found, Some("Robin"), Some("robin"));
            }
        }
    }
    Ok(Verdict::Accepted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seed_is_accepted() {
        for target in &TARGETS {
            for (i, seed) in (target.seeds)().iter().enumerate() {
                assert_eq!(
                    (target.run)(seed.as_bytes()),
                    Ok(Verdict::Accepted),
                    "{} seed {i}",
                    target.name
                );
            }
        }
    }

    #[test]
    fn the_populated_seed_holds_every_part() {
        let (_, record) = populated();
        assert!(record.left.len() >= 9);
        assert!(record.incidents.len() >= 20);
        assert!(record.adders.len() >= 3);
        assert!(!record.recent_adds.is_empty());
        assert!(record.left.iter().any(|g| g.url.is_some()));
    }

    #[test]
    fn garbage_is_rejected_not_accepted() {
        for target in &TARGETS {
            assert_eq!(
                (target.run)(b"\xff{"),
                Ok(Verdict::Rejected),
                "{}",
                target.name
            );
            assert_eq!(
                (target.run)(b"[]"),
                Ok(Verdict::Rejected),
                "{}",
                target.name
            );
        }
    }

    #[test]
    fn an_echoing_message_is_not_clear() {
        assert!(clear("the file is damaged", "x").is_ok());
        assert!(clear("", "x").is_err());
        assert!(clear(&"a".repeat(MAX_MESSAGE_CHARS + 1), "x").is_err());
    }
}
