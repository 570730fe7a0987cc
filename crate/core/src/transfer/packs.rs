//! The site packs the user imported, as part of an export: written under `packs` (site id →
//! pack), read back with the same checks as a pack imported on the options page
//! ([`pack::check_import`]: the pack validator, newer than the bundled pack by at most
//! [`pack::MAX_VERSIONS_AHEAD`]). A pack that fails is skipped with its reason, like a bad
//! record entry; it never fails the whole import. A file without `packs` (older exports) leaves
//! the user's packs as they are.

use std::collections::BTreeMap;

use serde_json::value::RawValue;
use serde_json::Value;

use crate::model::RecordIssue;
use crate::pack::{self, SitePack};
use crate::site::Site;

use super::{ImportMode, ImportReport, Members};

/// The file's packs part: `None` when the file has none (or `null`); otherwise the packs that
/// passed, by site, with every skipped one in the report.
pub(super) fn read(
    raw: Option<&RawValue>,
    report: &mut ImportReport,
) -> Option<BTreeMap<Site, SitePack>> {
    let raw = raw.map(RawValue::get).filter(|raw| *raw != "null")?;
    let mut packs = BTreeMap::new();
    let Ok(members) = serde_json::from_str::<Members>(raw) else {
        report
            .skipped
            .push(RecordIssue::invalid("packs", "is not an object"));
        report.taken.insert("packs".into(), 0);
        return Some(packs);
    };
    for (name, value) in members {
        let shown: String = name.chars().take(40).collect();
        let path = format!("packs.{shown}");
        let Ok(site) = serde_json::from_value::<Site>(Value::String(name.clone())) else {
            report
                .skipped
                .push(RecordIssue::invalid(path, "unknown site"));
            continue;
        };
        match pack::check_import(value.get()) {
            Ok(imported) if imported.site == site => {
                packs.insert(site, imported);
            }
            Ok(_) => report
                .skipped
                .push(RecordIssue::invalid(path, "the pack is for another site")),
            Err(error) => report.skipped.push(RecordIssue::invalid(
                path,
                crate::model::brief_message(&error.to_string()),
            )),
        }
    }
    report.taken.insert(
        "packs".into(),
        u32::try_from(packs.len()).unwrap_or(u32::MAX),
    );
    Some(packs)
}

/// The packs after an import: `Replace` takes the file's packs (when it has a packs part),
/// `Merge` adds the file's packs where they are newer than the user's.
pub fn apply(
    current: &BTreeMap<Site, SitePack>,
    file: Option<BTreeMap<Site, SitePack>>,
    mode: ImportMode,
) -> BTreeMap<Site, SitePack> {
    let Some(file) = file else {
        return current.clone();
    };
    match mode {
        ImportMode::Replace => file,
        ImportMode::Merge => {
            let mut packs = current.clone();
            for (site, theirs) in file {
                let newer = packs
                    .get(&site)
                    .is_none_or(|ours| theirs.version > ours.version);
                if newer {
                    packs.insert(site, theirs);
                }
            }
            packs
        }
    }
}
