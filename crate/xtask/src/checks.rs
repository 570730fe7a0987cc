//! Checks of the extension's sources that are not Rust tests of a crate: the locale files and
//! the keys the glue uses, and the markup lint. Run with `cargo test -p xtask`.

/// The locale reading and placeholder parsing the glue's build script uses, shared so that the
/// checks read the files as the build does.
#[cfg(test)]
#[allow(dead_code)]
#[path = "../../web/build/message_keys.rs"]
mod message_keys;

#[cfg(test)]
mod locales {
    use std::collections::BTreeMap;
    use std::path::Path;

    use super::message_keys::{self, placeholders};

    type Messages = BTreeMap<String, String>;

    fn messages_in(dir: &Path, lang: &str) -> Messages {
        let messages = message_keys::read_locale(dir, lang).unwrap();
        for (key, text) in &messages {
            assert!(!text.trim().is_empty(), "{lang}: {key} has no message");
        }
        messages
    }

    fn messages(lang: &str) -> Messages {
        messages_in(&crate::root().join("extension/_locales"), lang)
    }

    #[test]
    fn english_and_german_have_the_same_keys() {
        let en = messages("en");
        let de = messages("de");
        let missing_in_de: Vec<_> = en.keys().filter(|k| !de.contains_key(*k)).collect();
        let missing_in_en: Vec<_> = de.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(missing_in_de.is_empty(), "missing in de: {missing_in_de:?}");
        assert!(missing_in_en.is_empty(), "missing in en: {missing_in_en:?}");
    }

    #[test]
    fn every_message_uses_one_placeholder_style_and_one_key_style() {
        for lang in ["en", "de"] {
            for (key, message) in messages(lang) {
                // `chrome.i18n`'s `$1`…`$9` only: `{name}` would reach the user unfilled.
                let named = message.split('{').skip(1).any(|rest| {
                    rest.split('}').next().is_some_and(|inner| {
                        !inner.is_empty()
                            && inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    })
                });
                assert!(
                    !named,
                    "{lang}: {key} has a {{name}} placeholder: {message}"
                );
                assert!(
                    key.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                        && key.chars().all(|c| c.is_ascii_alphanumeric()),
                    "{lang}: the key {key} is not camelCase"
                );
            }
        }
        let (en, de) = (messages("en"), messages("de"));
        for (key, message) in &en {
            assert_eq!(
                placeholders(message),
                placeholders(&de[key]),
                "{key}: English and German take the same values"
            );
        }
    }

    #[test]
    fn every_verdict_reason_has_a_text_placing_its_parameters() {
        let en = messages("en");
        for (id, names) in ask_first_core::rules::REASONS {
            let message = en
                .get(id)
                .unwrap_or_else(|| panic!("no text for reason {id}"));
            assert_eq!(placeholders(message).len(), names.len(), "{id}: {message}");
        }
    }

    /// Runs `cargo check` of the glue with the locale files at `locales`.
    fn check_glue_with(locales: &Path) -> std::process::Output {
        std::process::Command::new(env!("CARGO"))
            .current_dir(crate::root())
            .args([
                "check",
                "--quiet",
                "--package",
                "ask-first-web",
                "--lib",
                "--message-format=short",
            ])
            .env("ASK_FIRST_LOCALES", locales)
            .output()
            .expect("cargo runs")
    }

    #[test]
    fn a_key_missing_from_a_locale_file_or_taking_other_values_fails_the_build() {
        let source = crate::root().join("extension/_locales");
        let damaged =
            std::env::temp_dir().join(format!("ask-first-locales-{}", std::process::id()));
        for lang in ["en", "de"] {
            std::fs::create_dir_all(damaged.join(lang)).unwrap();
            let text =
                std::fs::read_to_string(source.join(format!("{lang}/messages.json"))).unwrap();
            let mut entries: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&text).unwrap();
            match lang {
                // A key the glue uses, gone from German only.
                "de" => assert!(entries.remove("popupTitle").is_some()),
                // A key whose English text takes one value more than the German one.
                _ => {
                    let entry = entries.get_mut("readdNumber").unwrap();
                    entry["message"] = "Re-addition #$1 of $2.".into();
                }
            }
            std::fs::write(
                damaged.join(format!("{lang}/messages.json")),
                serde_json::to_string_pretty(&entries).unwrap(),
            )
            .unwrap();
        }
        let broken = check_glue_with(&damaged);
        let _ = std::fs::remove_dir_all(&damaged);
        let errors = String::from_utf8_lossy(&broken.stderr);
        assert!(!broken.status.success(), "the build must fail: {errors}");
        assert!(
            errors.contains("message key `popupTitle` is missing from _locales/de/messages.json"),
            "names the missing key and file: {errors}"
        );
        assert!(
            errors.contains(
                "message key `readdNumber` takes 2 values in _locales/en but 1 in _locales/de"
            ),
            "names the key whose values differ: {errors}"
        );
        let intact = check_glue_with(&source);
        assert!(
            intact.status.success(),
            "the same build passes with the real files: {}",
            String::from_utf8_lossy(&intact.stderr)
        );
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
