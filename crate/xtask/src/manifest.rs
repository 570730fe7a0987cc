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
