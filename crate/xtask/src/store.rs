//! The store listings: texts kept in `store/<lang>/` (see `store/README.md`), checked against
//! the stores' limits and the manifests' permissions, and written into `dist/store/` by `dist`.
//!
//! Per language: `listing.json` (name, summary, categories, single purpose, remote code, one
//! justification per permission), `description.txt` and `privacy.md`.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde_json::Value;

use crate::manifest::{self, Browser};

/// The listing languages; each must have every text.
pub const LANGUAGES: &[&str] = &["en", "de"];

/// Limits in characters (Unicode scalar values), the strictest of the two stores'.
/// Name: addons.mozilla.org allows 50, the Chrome Web Store shows about 45 in its tiles.
pub const NAME_MAX: usize = 45;
/// Summary: the Chrome Web Store's 132 (addons.mozilla.org allows 250).
pub const SUMMARY_MAX: usize = 132;
/// Description: the Chrome Web Store's 16,000.
pub const DESCRIPTION_MAX: usize = 16_000;
/// The Chrome Web Store's privacy form fields (single purpose, each justification): 1,000.
pub const FIELD_MAX: usize = 1_000;

/// Short fields of `listing.json` that must be present and within `FIELD_MAX`.
const FORM_FIELDS: &[&str] = &["single_purpose", "remote_code", "data_usage"];

/// One language's texts, read and checked.
pub struct Listing {
    pub lang: String,
    pub listing: Value,
    pub description: String,
    pub privacy: String,
}

/// Every permission and host pattern the two browsers' manifests ask for.
pub fn manifest_permissions(root: &Path) -> Result<BTreeSet<String>> {
    let mut all = BTreeSet::new();
    for browser in [Browser::Chromium, Browser::Firefox] {
        let text = manifest::for_browser(&root.join("manifest.json"), browser, "0.0.0")?;
        let manifest: Value = serde_json::from_str(&text)?;
        for key in [
            "permissions",
            "optional_permissions",
            "host_permissions",
            "optional_host_permissions",
        ] {
            for item in manifest[key].as_array().into_iter().flatten() {
                let item = item
                    .as_str()
                    .with_context(|| format!("{key} holds a non-string"))?;
                all.insert(item.to_string());
            }
        }
    }
    Ok(all)
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// Reads and checks one language's texts.
pub fn read(root: &Path, lang: &str, permissions: &BTreeSet<String>) -> Result<Listing> {
    let dir = root.join("store").join(lang);
    let file = |name: &str| {
        fs::read_to_string(dir.join(name))
            .with_context(|| format!("store/{lang}/{name} is missing"))
    };
    let listing: Value = serde_json::from_str(&file("listing.json")?)
        .with_context(|| format!("store/{lang}/listing.json is not JSON"))?;
    let description = file("description.txt")?;
    let privacy = file("privacy.md")?;
    let mut problems = Vec::new();
    let text = |key: &str| listing[key].as_str().unwrap_or("").trim().to_string();
    let within = |problems: &mut Vec<String>, what: String, value: &str, max: usize| {
        if value.trim().is_empty() {
            problems.push(format!("{what} is empty"));
        } else if chars(value) > max {
            problems.push(format!(
                "{what} has {} characters, the limit is {max}",
                chars(value)
            ));
        }
    };
    within(&mut problems, "name".into(), &text("name"), NAME_MAX);
    within(
        &mut problems,
        "summary".into(),
        &text("summary"),
        SUMMARY_MAX,
    );
    within(
        &mut problems,
        "description.txt".into(),
        &description,
        DESCRIPTION_MAX,
    );
    within(
        &mut problems,
        "privacy.md".into(),
        &privacy,
        DESCRIPTION_MAX,
    );
    for field in FORM_FIELDS {
        within(&mut problems, field.to_string(), &text(field), FIELD_MAX);
    }
    for store in ["chrome_web_store", "addons_mozilla_org"] {
        within(
            &mut problems,
            format!("category.{store}"),
            listing["category"][store].as_str().unwrap_or(""),
            FIELD_MAX,
        );
    }
    let justified = listing["permissions"].as_object();
    for permission in permissions {
        match justified.and_then(|map| map.get(permission)) {
            Some(Value::String(reason)) => within(
                &mut problems,
                format!("permissions.{permission}"),
                reason,
                FIELD_MAX,
            ),
            _ => problems.push(format!(
                "the manifests ask for {permission:?} but listing.json gives no justification"
            )),
        }
    }
    for stale in justified
        .into_iter()
        .flat_map(|map| map.keys())
        .filter(|key| !permissions.contains(*key))
    {
        problems.push(format!(
            "listing.json justifies {stale:?}, which no manifest asks for"
        ));
    }
    if !problems.is_empty() {
        bail!("store/{lang}: {}", problems.join("; "));
    }
    Ok(Listing {
        lang: lang.to_string(),
        listing,
        description,
        privacy,
    })
}

/// Checks every language and writes `out/<lang>/`: the three source texts, and one file per
/// store with the fields in the order of its submission form, ready to paste.
pub fn write(root: &Path, out: &Path) -> Result<()> {
    let permissions = manifest_permissions(root)?;
    for lang in LANGUAGES {
        let listing = read(root, lang, &permissions)?;
        let dir = out.join(lang);
        crate::dist::reset_dir(&dir)?;
        fs::copy(
            root.join("store").join(lang).join("listing.json"),
            dir.join("listing.json"),
        )?;
        fs::write(dir.join("description.txt"), &listing.description)?;
        fs::write(dir.join("privacy.md"), &listing.privacy)?;
        fs::write(dir.join("chrome-web-store.txt"), chrome_form(&listing))?;
        fs::write(dir.join("addons-mozilla-org.txt"), amo_form(&listing))?;
        let screenshots = dir.join("screenshots");
        fs::create_dir_all(&screenshots)?;
        for (name, bytes) in screenshots_of(root, lang)? {
            fs::write(screenshots.join(name), bytes)?;
        }
    }
    Ok(())
}

/// The size both stores take for screenshots (the Chrome Web Store: 1280×800 or 640×400;
/// addons.mozilla.org shows 1280×800 best).
pub const SCREENSHOT_SIZE: (u32, u32) = (1280, 800);

/// One language's store screenshots, `store/screenshots/<lang>/*.png` as the demo took them
/// (`cargo xtask demo --headless --store store/screenshots`), in name order: at least one, each
/// a PNG of exactly [`SCREENSHOT_SIZE`].
pub fn screenshots_of(root: &Path, lang: &str) -> Result<Vec<(String, Vec<u8>)>> {
    let dir = root.join("store").join("screenshots").join(lang);
    let mut names: Vec<String> = fs::read_dir(&dir)
        .with_context(|| format!("{}: no store screenshots (take them with `cargo xtask demo --headless --store store/screenshots`)", dir.display()))?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".png"))
        .collect();
    names.sort();
    if names.is_empty() {
        bail!("{}: no store screenshots", dir.display());
    }
    let mut shots = Vec::new();
    for name in names {
        let bytes = fs::read(dir.join(&name))?;
        match png_size(&bytes) {
            Some(size) if size == SCREENSHOT_SIZE => shots.push((name, bytes)),
            Some((width, height)) => bail!(
                "{}/{name} is {width}×{height}; the stores take {}×{}",
                dir.display(),
                SCREENSHOT_SIZE.0,
                SCREENSHOT_SIZE.1
            ),
            None => bail!("{}/{name} is not a PNG", dir.display()),
        }
    }
    Ok(shots)
}

/// Width and height from a PNG's header (its first chunk, IHDR).
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if bytes.len() < 24 || &bytes[..8] != SIGNATURE || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let number =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    Some((number(16), number(20)))
}

fn field(listing: &Listing, key: &str) -> String {
    listing.listing[key]
        .as_str()
        .unwrap_or("")
        .trim()
        .to_string()
}

fn chrome_form(listing: &Listing) -> String {
    let mut out = format!(
        "Chrome Web Store listing ({lang})\n\n\
         == Store listing ==\nName: {name}\nSummary: {summary}\nCategory: {category}\n\n\
         Description:\n{description}\n\n\
         == Privacy practices ==\nSingle purpose:\n{purpose}\n\n",
        lang = listing.lang,
        name = field(listing, "name"),
        summary = field(listing, "summary"),
        category = listing.listing["category"]["chrome_web_store"]
            .as_str()
            .unwrap_or(""),
        description = listing.description.trim_end(),
        purpose = field(listing, "single_purpose"),
    );
    for (permission, reason) in permissions_of(listing) {
        out.push_str(&format!("Justification for {permission}:\n{reason}\n\n"));
    }
    out.push_str(&format!(
        "Remote code:\n{}\n\nData usage:\n{}\n\nPrivacy policy: privacy.md\n",
        field(listing, "remote_code"),
        field(listing, "data_usage")
    ));
    out
}

fn amo_form(listing: &Listing) -> String {
    let mut out = format!(
        "addons.mozilla.org listing ({lang})\n\n\
         Name: {name}\nSummary: {summary}\nCategory: {category}\n\n\
         Description:\n{description}\n\n\
         Notes to reviewer:\nThe extension's wasm is built from the attached source bundle \
         (ask-first-source-*.zip, see its README.md).\n\n",
        lang = listing.lang,
        name = field(listing, "name"),
        summary = field(listing, "summary"),
        category = listing.listing["category"]["addons_mozilla_org"]
            .as_str()
            .unwrap_or(""),
        description = listing.description.trim_end(),
    );
    out.push_str("Permissions:\n");
    for (permission, reason) in permissions_of(listing) {
        out.push_str(&format!("- {permission}: {reason}\n"));
    }
    out.push_str("\nPrivacy policy: privacy.md\n");
    out
}

fn permissions_of(listing: &Listing) -> Vec<(String, String)> {
    listing.listing["permissions"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(key, value)| (key.clone(), value.as_str().unwrap_or("").trim().to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::root;

    #[test]
    fn each_language_has_store_screenshots_of_the_stores_size() {
        for lang in LANGUAGES {
            let shots = screenshots_of(&root(), lang).unwrap_or_else(|err| panic!("{err:#}"));
            assert!(shots.len() >= 3, "{lang}: {} screenshots", shots.len());
        }
    }

    #[test]
    fn a_screenshot_of_another_size_or_not_a_png_is_refused() {
        let dir = std::env::temp_dir().join(format!("ask-first-shots-{}", std::process::id()));
        let shots = dir.join("store/screenshots/en");
        std::fs::create_dir_all(&shots).unwrap();
        let mut header = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        header.extend(1280u32.to_be_bytes());
        header.extend(860u32.to_be_bytes());
        std::fs::write(shots.join("1.png"), &header).unwrap();
        let err = format!("{:#}", screenshots_of(&dir, "en").unwrap_err());
        assert!(err.contains("1280×860"), "{err}");
        header.truncate(20);
        header.extend(800u32.to_be_bytes());
        std::fs::write(shots.join("1.png"), &header).unwrap();
        assert_eq!(screenshots_of(&dir, "en").unwrap().len(), 1);
        std::fs::write(shots.join("2.png"), b"GIF89a").unwrap();
        let err = format!("{:#}", screenshots_of(&dir, "en").unwrap_err());
        assert!(err.contains("not a PNG"), "{err}");
        assert!(
            screenshots_of(&dir, "de").is_err(),
            "a language without screenshots"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn both_languages_have_every_text_within_the_stores_limits() {
        let permissions = manifest_permissions(&root()).unwrap();
        for lang in LANGUAGES {
            let listing = read(&root(), lang, &permissions).unwrap_or_else(|err| panic!("{err:#}"));
            assert!(chars(&field(&listing, "summary")) <= SUMMARY_MAX);
        }
    }

    #[test]
    fn every_manifest_permission_is_justified_and_a_new_one_fails() {
        let mut permissions = manifest_permissions(&root()).unwrap();
        assert!(permissions.contains("storage"), "{permissions:?}");
        assert!(
            permissions.iter().any(|p| p.starts_with("https://")),
            "host permissions are read too: {permissions:?}"
        );
        for lang in LANGUAGES {
            read(&root(), lang, &permissions).unwrap_or_else(|err| panic!("{err:#}"));
        }
        // A permission added to the manifest without a justification fails the check.
        permissions.insert("tabs".into());
        for lang in LANGUAGES {
            let err = read(&root(), lang, &permissions)
                .err()
                .expect("an unjustified permission must fail");
            assert!(format!("{err:#}").contains("\"tabs\""), "{err:#}");
        }
        // A justification for a permission no manifest asks for is stale.
        permissions.remove("tabs");
        permissions.remove("storage");
        let err = read(&root(), "en", &permissions)
            .err()
            .expect("a stale justification must fail");
        assert!(
            format!("{err:#}").contains("no manifest asks for"),
            "{err:#}"
        );
    }

    #[test]
    fn the_listing_name_is_the_extensions_name_in_each_language() {
        let permissions = manifest_permissions(&root()).unwrap();
        for lang in LANGUAGES {
            let listing = read(&root(), lang, &permissions).unwrap();
            let messages: Value = serde_json::from_str(
                &fs::read_to_string(
                    root().join(format!("extension/_locales/{lang}/messages.json")),
                )
                .unwrap(),
            )
            .unwrap();
            assert_eq!(
                field(&listing, "name"),
                messages["extName"]["message"].as_str().unwrap()
            );
        }
    }

    #[test]
    fn the_privacy_policy_covers_storage_sync_and_no_collection() {
        let permissions = manifest_permissions(&root()).unwrap();
        for lang in LANGUAGES {
            let listing = read(&root(), lang, &permissions).unwrap();
            for needle in ["storage.local", "storage.sync", "storage.session"] {
                assert!(
                    listing.privacy.contains(needle),
                    "store/{lang}/privacy.md does not mention {needle}"
                );
            }
        }
    }

    #[test]
    fn the_forms_carry_every_justification() {
        let permissions = manifest_permissions(&root()).unwrap();
        let listing = read(&root(), "de", &permissions).unwrap();
        let chrome = chrome_form(&listing);
        let amo = amo_form(&listing);
        for permission in &permissions {
            assert!(chrome.contains(&format!("Justification for {permission}:")));
            assert!(amo.contains(&format!("- {permission}: ")));
        }
    }
}
