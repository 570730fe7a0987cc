//! Writes each browser's manifest from the one `manifest.json` source.
//!
//! The source holds both background forms; Chromium keeps the service worker, Firefox keeps the
//! event-page scripts and its gecko settings. The version comes from `Cargo.toml`, the three
//! host lists (`host_permissions`, the content script's `matches`, the fallback's
//! `web_accessible_resources` `matches`) from core's site table ([`Site::hosts`]): the source
//! carries none.

use std::path::Path;

use anyhow::{bail, Context, Result};
use ask_first_core::site::Site;
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Browser {
    Chromium,
    Firefox,
}

impl Browser {
    pub fn name(self) -> &'static str {
        match self {
            Browser::Chromium => "chromium",
            Browser::Firefox => "firefox",
        }
    }
}

pub fn for_browser(source: &Path, browser: Browser, version: &str) -> Result<String> {
    let text = std::fs::read_to_string(source)
        .with_context(|| format!("cannot read {}", source.display()))?;
    let mut manifest: Map<String, Value> =
        serde_json::from_str(&text).context("manifest.json is not a JSON object")?;
    transform(&mut manifest, browser, version)?;
    Ok(serde_json::to_string_pretty(&manifest)? + "\n")
}

/// The match pattern of every host of every site, in the table's order.
pub fn host_patterns() -> Vec<Value> {
    Site::ALL
        .iter()
        .flat_map(|site| site.hosts())
        .map(|host| Value::String(format!("https://{host}/*")))
        .collect()
}

/// Fills the three host lists from the site table. The source must not carry its own copies
/// (they would drift): a list already there is an error.
fn fill_hosts(manifest: &mut Map<String, Value>) -> Result<()> {
    let hosts = Value::Array(host_patterns());
    if manifest.contains_key("host_permissions") {
        bail!("manifest.json: host_permissions come from the site table (crate/core/src/site.rs)");
    }
    manifest.insert("host_permissions".into(), hosts.clone());
    for list in ["content_scripts", "web_accessible_resources"] {
        let Some(Value::Array(entries)) = manifest.get_mut(list) else {
            bail!("manifest.json needs a {list} list");
        };
        let Some(Value::Object(first)) = entries.first_mut() else {
            bail!("manifest.json: {list} needs an entry");
        };
        if first.contains_key("matches") {
            bail!("manifest.json: {list}[0].matches come from the site table (crate/core/src/site.rs)");
        }
        first.insert("matches".into(), hosts.clone());
    }
    Ok(())
}

fn transform(manifest: &mut Map<String, Value>, browser: Browser, version: &str) -> Result<()> {
    manifest.insert("version".into(), Value::String(version.into()));
    fill_hosts(manifest)?;
    let Some(Value::Object(background)) = manifest.get_mut("background") else {
        bail!("manifest.json needs a background object");
    };
    match browser {
        Browser::Chromium => {
            background.remove("scripts");
            manifest.remove("browser_specific_settings");
            // No `use_dynamic_url` on the JavaScript build's files: with it, Chromium 156
            // refuses the content script's import of `runtime.getURL(...)` and the build never
            // starts on pages whose CSP refuses wasm (tried; see the README's privacy section).
        }
        Browser::Firefox => {
            background.remove("service_worker");
            // Firefox never loads the JavaScript build (content/loader.js), so pages get nothing.
            manifest.remove("web_accessible_resources");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> Map<String, Value> {
        let path = crate::root().join("manifest.json");
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn chromium_gets_a_service_worker_and_no_gecko_settings() {
        let mut manifest = source();
        transform(&mut manifest, Browser::Chromium, "1.2.3").unwrap();
        assert_eq!(manifest["version"], "1.2.3");
        assert_eq!(manifest["background"]["service_worker"], "background.js");
        assert!(manifest["background"].get("scripts").is_none());
        assert!(manifest.get("browser_specific_settings").is_none());
    }

    #[test]
    fn firefox_gets_event_page_scripts_and_its_gecko_id() {
        let mut manifest = source();
        transform(&mut manifest, Browser::Firefox, "1.2.3").unwrap();
        assert!(manifest["background"].get("service_worker").is_none());
        assert_eq!(manifest["background"]["scripts"][0], "background.js");
        let gecko = &manifest["browser_specific_settings"]["gecko"];
        assert!(gecko["id"].as_str().is_some_and(|id| !id.is_empty()));
        assert_eq!(
            gecko["data_collection_permissions"]["required"][0], "none",
            "the extension collects no data and says so"
        );
        assert!(
            manifest.get("web_accessible_resources").is_none(),
            "Firefox never loads the JavaScript build"
        );
    }

    #[test]
    fn permissions_stay_minimal() {
        let mut manifest = source();
        transform(&mut manifest, Browser::Chromium, "1.2.3").unwrap();
        assert_eq!(manifest["permissions"], serde_json::json!(["storage"]));
        let hosts = manifest["host_permissions"].as_array().unwrap();
        for host in hosts {
            let host = host.as_str().unwrap();
            assert!(
                host.starts_with("https://") && host.ends_with("/*"),
                "{host}"
            );
            assert_ne!(host, "<all_urls>");
        }
        let text = serde_json::to_string(&manifest).unwrap();
        assert!(!text.contains("<all_urls>") && !text.contains("\"tabs\""));
        let csp = manifest["content_security_policy"]["extension_pages"]
            .as_str()
            .unwrap();
        assert!(csp.contains("'wasm-unsafe-eval'"));
        assert!(
            csp.contains("connect-src 'self'"),
            "extension pages and the worker cannot reach the network"
        );
    }
}

#[cfg(test)]
mod host_tests {
    use std::collections::BTreeSet;

    use ask_first_core::site::Site;

    use super::*;

    fn as_set(value: &Value) -> BTreeSet<String> {
        value
            .as_array()
            .expect("a list")
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn every_match_list_of_both_manifests_is_exactly_the_sites_hosts() {
        let expected: BTreeSet<String> = Site::ALL
            .iter()
            .flat_map(|site| site.hosts())
            .map(|host| format!("https://{host}/*"))
            .collect();
        assert!(expected.len() >= Site::ALL.len());
        let source = crate::root().join("manifest.json");
        for browser in [Browser::Chromium, Browser::Firefox] {
            let text = for_browser(&source, browser, "1.2.3").unwrap();
            let manifest: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(
                as_set(&manifest["host_permissions"]),
                expected,
                "{browser:?}"
            );
            assert_eq!(
                as_set(&manifest["content_scripts"][0]["matches"]),
                expected,
                "{browser:?}"
            );
            match browser {
                Browser::Chromium => assert_eq!(
                    as_set(&manifest["web_accessible_resources"][0]["matches"]),
                    expected
                ),
                Browser::Firefox => assert!(manifest.get("web_accessible_resources").is_none()),
            }
        }
    }

    #[test]
    fn the_source_carries_no_host_lists_of_its_own() {
        let mut manifest: Map<String, Value> = serde_json::from_str(
            &std::fs::read_to_string(crate::root().join("manifest.json")).unwrap(),
        )
        .unwrap();
        assert!(manifest.get("host_permissions").is_none());
        assert!(manifest["content_scripts"][0].get("matches").is_none());
        assert!(manifest["web_accessible_resources"][0]
            .get("matches")
            .is_none());
        // A hand copy put back would drift from the table: refused.
        let mut copy = manifest.clone();
        copy.insert(
            "host_permissions".into(),
            serde_json::json!(["https://example.com/*"]),
        );
        let error = transform(&mut copy, Browser::Chromium, "1").unwrap_err();
        assert!(error.to_string().contains("site table"), "{error}");
        manifest["content_scripts"][0]["matches"] = serde_json::json!([]);
        assert!(transform(&mut manifest, Browser::Firefox, "1").is_err());
    }
}

#[cfg(test)]
mod locale_tests {
    use std::collections::BTreeSet;

    fn keys(lang: &str) -> BTreeSet<String> {
        let path = crate::root().join(format!("extension/_locales/{lang}/messages.json"));
        let messages: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for (key, entry) in &messages {
            let text = entry["message"].as_str().unwrap_or("");
            assert!(!text.trim().is_empty(), "{lang}: {key} has no message");
        }
        messages.keys().cloned().collect()
    }

    #[test]
    fn english_and_german_have_the_same_keys() {
        let en = keys("en");
        let de = keys("de");
        let missing_in_de: Vec<_> = en.difference(&de).collect();
        let missing_in_en: Vec<_> = de.difference(&en).collect();
        assert!(missing_in_de.is_empty(), "missing in de: {missing_in_de:?}");
        assert!(missing_in_en.is_empty(), "missing in en: {missing_in_en:?}");
    }

    #[test]
    fn every_verdict_reason_has_a_text() {
        let en = keys("en");
        for id in ask_first_core::rules::REASON_IDS {
            assert!(en.contains(id), "no text for reason {id}");
        }
    }

    #[test]
    fn every_key_the_glue_asks_for_exists() {
        // Keys are string literals in the glue: find them all and check each one.
        let en = keys("en");
        let src = crate::root().join("crate/web/src");
        let mut pending = vec![src];
        let mut missing = Vec::new();
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    pending.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                // Table heads take their column keys as a list.
                for list in text.split("head_row(&[").skip(1) {
                    let list = list.split(']').next().unwrap_or("");
                    for key in list.split(',').map(|k| k.trim().trim_matches('"')) {
                        if !key.is_empty() && !en.contains(key) {
                            missing.push(format!("{}: {key}", path.display()));
                        }
                    }
                }
                for call in ["t(\"", "t_with(\""] {
                    let mut rest = text.as_str();
                    while let Some(at) = rest.find(call) {
                        // Only calls of `t`/`t_with` themselves, not `get("…")` and the like.
                        let before = rest[..at].chars().next_back();
                        let after = &rest[at + call.len()..];
                        rest = after;
                        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                            continue;
                        }
                        let key = after.split('"').next().unwrap_or("");
                        // `@@…` keys are predefined by the browser.
                        if !key.starts_with("@@") && !en.contains(key) {
                            missing.push(format!("{}: {key}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys without a text: {missing:?}");
    }
}

#[cfg(test)]
mod markup_lint {
    /// Ways of turning a string into markup. None may appear in the extension's code: page data
    /// (group and person names) must only ever reach the DOM as text.
    const FORBIDDEN: &[&str] = &[
        "inner_html",
        "innerHTML",
        "outer_html",
        "outerHTML",
        "insert_adjacent_html",
        "insertAdjacentHTML",
        "document.write",
        "createContextualFragment",
        "create_contextual_fragment",
        "DOMParser",
        "dom_parser",
        "srcdoc",
    ];

    fn sources(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, found);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("rs" | "js" | "html")
            ) {
                found.push(path);
            }
        }
    }

    #[test]
    fn no_code_builds_html_from_strings() {
        let root = crate::root();
        let mut files = Vec::new();
        sources(&root.join("crate/web/src"), &mut files);
        sources(&root.join("extension"), &mut files);
        assert!(files.len() > 10, "the scan found the sources");
        let mut hits = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for (number, line) in text.lines().enumerate() {
                // Tests may name an API to prove it is not used; comments may explain why.
                let code = line.split("//").next().unwrap_or("");
                for word in FORBIDDEN {
                    if code.contains(word) {
                        hits.push(format!("{}:{}: {word}", file.display(), number + 1));
                    }
                }
            }
        }
        assert!(hits.is_empty(), "markup built from strings: {hits:#?}");
    }
}
