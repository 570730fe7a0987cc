//! The packs shipped with the extension (one per site of the site table) and the rule that
//! decides when a pack the user imported replaces one.
//!
//! Layer: domain (imports `site`, the pack's types and its decoder).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::decode::decode_checked_pack;
use super::{PackError, SitePack};
use crate::site::Site;

/// The bundled packs' sources, one per site in [`Site::ALL`] order: the file name and
/// `extension/sitepacks/<site id>.json` without its layout whitespace (see `build.rs`). The site
/// table (`site.rs`) lists them.
pub const BUNDLED_SOURCES: [(Site, &str, &str); Site::COUNT] = crate::site::PACK_SOURCES;

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

/// The shipped pack for one site, parsed alone (the background and tests; the content script
/// gets its site's pack text from the script `dist` injects before it).
pub fn bundled_for(site: Site) -> Option<SitePack> {
    BUNDLED_SOURCES
        .iter()
        .find(|(of, _, _)| *of == site)
        .map(|(_, file, json)| read_bundled(file, json))
}

/// Reads a bundled pack with the small decoder the content core also uses. Tests
/// check every bundled pack with [`SitePack::parse`] and compare the two readings, so this cannot
/// fail in a build that passed.
fn read_bundled(file: &str, json: &str) -> SitePack {
    decode_checked_pack(json)
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

/// The imported pack a site runs with: `imported` while it is for `site` and
/// [`active_over`] the bundled pack. An extension update that ships a newer bundled pack thus
/// wins on its own, without touching what is stored, and a stored pack with an absurd version
/// (from a build that did not bound it) never applies. `None`: the bundled pack.
pub fn active_import(site: Site, imported: Option<&SitePack>) -> Option<&SitePack> {
    let imported = imported.filter(|pack| pack.site == site)?;
    match bundled_ref(site) {
        Some(bundled) => active_over(bundled, imported).then_some(imported),
        None => Some(imported),
    }
}

/// Whether an imported pack replaces the bundled one: same site, a higher version, and at most
/// [`MAX_VERSIONS_AHEAD`] versions ahead of it. The one rule, for the background
/// ([`active_import`]) and for the content script, which compares with the one bundled pack it
/// runs with.
pub fn active_over(bundled: &SitePack, imported: &SitePack) -> bool {
    imported.supersedes(bundled) && imported.version - bundled.version <= MAX_VERSIONS_AHEAD
}

fn bundled_ref(site: Site) -> Option<&'static SitePack> {
    bundled_cache().iter().find(|pack| pack.site == site)
}

#[cfg(test)]
mod import_tests {
    use super::*;
    use crate::pack::{counter_text_value, PackProblem, SelectorFault, Texts};

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
