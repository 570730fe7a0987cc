//! `cargo xtask sites`: the site table as this build compiled it (each site's id, name, hosts,
//! how its groups are keyed and its bundled pack, checked), and `cargo xtask manifest
//! <chromium|firefox>`: the manifest `dist` writes for that browser. Both answer "what does the
//! build make of the table" without a wasm build; the eighth-site check (`eighth_site.rs`) reads
//! them from a copy of the repository.

use anyhow::{bail, Result};
use ask_first_core::pack::{SitePack, BUNDLED_SOURCES};

use crate::manifest::{self, Browser};
use crate::root;

/// Prints one line per site; fails when a bundled pack does not validate.
pub fn print_sites() -> Result<()> {
    let mut invalid = 0;
    for (site, file, json) in BUNDLED_SOURCES {
        let pack = match SitePack::parse(json) {
            Ok(pack) if pack.site == site => format!("pack {file} version {} valid", pack.version),
            Ok(pack) => {
                invalid += 1;
                format!("pack {file} INVALID: names the site {:?}", pack.site)
            }
            Err(error) => {
                invalid += 1;
                format!("pack {file} INVALID: {error}")
            }
        };
        println!(
            "{}\t{}\t{}\tgroups {:?}\t{pack}",
            site.id(),
            site.display_name(),
            site.hosts().join(" "),
            site.group_keys()
        );
    }
    if invalid > 0 {
        bail!("{invalid} bundled pack(s) do not validate");
    }
    Ok(())
}

/// Prints the manifest `dist` writes for `browser` (`chromium` or `firefox`).
pub fn print_manifest(browser: Option<&str>) -> Result<()> {
    let browser = match browser {
        Some("chromium") => Browser::Chromium,
        Some("firefox") => Browser::Firefox,
        other => bail!("usage: cargo xtask manifest <chromium|firefox> (got {other:?})"),
    };
    let text = manifest::for_browser(
        &root().join("manifest.json"),
        browser,
        env!("CARGO_PKG_VERSION"),
    )?;
    print!("{text}");
    Ok(())
}
