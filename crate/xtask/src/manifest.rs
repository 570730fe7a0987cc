//! Writes each browser's manifest from the one `manifest.json` source.
//!
//! The source holds both background forms; Chromium keeps the service worker, Firefox keeps the
//! event-page scripts and its gecko settings. The version comes from `Cargo.toml`.

use std::path::Path;

use anyhow::{bail, Context, Result};
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

fn transform(manifest: &mut Map<String, Value>, browser: Browser, version: &str) -> Result<()> {
    manifest.insert("version".into(), Value::String(version.into()));
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
        let manifest = source();
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

    #[test]
    fn every_match_list_is_exactly_the_supported_hosts() {
        let path = crate::root().join("manifest.json");
        let manifest: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let expected: BTreeSet<String> = Site::ALL
            .iter()
            .flat_map(|site| site.hosts())
            .map(|host| format!("https://{host}/*"))
            .collect();
        let as_set = |value: &serde_json::Value| -> BTreeSet<String> {
            value
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(as_set(&manifest["host_permissions"]), expected);
        assert_eq!(as_set(&manifest["content_scripts"][0]["matches"]), expected);
        assert_eq!(
            as_set(&manifest["web_accessible_resources"][0]["matches"]),
            expected
        );
    }
}
