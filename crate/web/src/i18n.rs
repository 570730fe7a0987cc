//! Localised strings from `_locales/{en,de}/messages.json`: through `chrome.i18n` (the browser's
//! language), or from the locale the user chose in the settings, loaded once per page. Only
//! the extension's pages load a chosen locale (feature `app`): the content script follows the
//! browser's, and its build carries no code for another.

#[cfg(feature = "app")]
use std::cell::RefCell;
#[cfg(feature = "app")]
use std::collections::BTreeMap;

use ask_first_core::settings::Lang;
#[cfg(feature = "app")]
use ask_first_core::wire::WireName;
use wasm_bindgen::JsValue;

use crate::browser;

#[cfg(feature = "app")]
thread_local! {
    /// The chosen locale's messages, when the user chose one other than the browser's.
    static CHOSEN: RefCell<Option<(Lang, BTreeMap<String, String>)>> = const { RefCell::new(None) };
}

/// Uses `lang`'s messages for this page instead of the browser's, when they differ. Extension
/// pages only: the file is read from the extension's own origin.
#[cfg(feature = "app")]
pub async fn use_language(lang: Option<Lang>) {
    let Some(lang) = lang else {
        CHOSEN.with(|chosen| chosen.borrow_mut().take());
        return;
    };
    let code = lang.wire_name();
    let Some(url) = browser::runtime::get_url(&format!("_locales/{code}/messages.json")) else {
        return;
    };
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(response) = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(&url)).await
    else {
        return;
    };
    let Ok(response) = wasm_bindgen::JsCast::dyn_into::<web_sys::Response>(response) else {
        return;
    };
    let Ok(json) = response.json() else {
        return;
    };
    let Ok(json) = wasm_bindgen_futures::JsFuture::from(json).await else {
        return;
    };
    let Ok(serde_json::Value::Object(entries)) = browser::from_js(json) else {
        return;
    };
    let messages = entries
        .into_iter()
        .filter_map(|(key, entry)| Some((key, entry.get("message")?.as_str()?.to_owned())))
        .collect();
    CHOSEN.with(|chosen| *chosen.borrow_mut() = Some((lang, messages)));
}

/// Substitutes `$1`…`$9` (and `$$` for a dollar sign) as `chrome.i18n` does, in one pass: a
/// value from the page is never read for placeholders again.
#[cfg(feature = "app")]
fn substitute(message: &str, substitutions: &[&str]) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' {
            if chars.peek() == Some(&'$') {
                chars.next();
                out.push('$');
                continue;
            }
            if let Some(digit) = chars.peek().and_then(|d| d.to_digit(10)) {
                chars.next();
                if let Some(value) = substitutions.get((digit as usize).wrapping_sub(1)) {
                    out.push_str(value);
                }
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// A message key the locale files have, taking `N` values (`$1`…`$N`). Only the `key!` macro
/// makes one (generated from the locale files by `build.rs`), so a key the files lack, or a call
/// with the wrong number of values, does not compile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key<const N: usize>(&'static str);

impl<const N: usize> Key<N> {
    #[doc(hidden)]
    pub const fn new(name: &'static str) -> Self {
        Self(name)
    }

    pub fn name(self) -> &'static str {
        self.0
    }
}

/// The message for `key` with its values in place of `$1`, `$2`…
pub fn t_with<const N: usize>(key: Key<N>, values: &[&str; N]) -> String {
    message(key.0, values.as_slice())
}

/// The message for `key`, which takes no values.
pub fn t(key: Key<0>) -> String {
    message(key.0, &[])
}

/// The message for an id chosen by core at run time (a verdict reason, see
/// `ask_first_core::rules::REASON_IDS`; a test checks that each has a text in every locale),
/// with `values` in place of `$1`, `$2`… A missing id shows as itself, so a gap is visible.
pub fn t_dynamic(id: &str, values: &[&str]) -> String {
    message(id, values)
}

fn message(key: &str, substitutions: &[&str]) -> String {
    #[cfg(feature = "app")]
    {
        let chosen = CHOSEN.with(|chosen| {
            chosen
                .borrow()
                .as_ref()
                .and_then(|(_, messages)| messages.get(key).map(|m| substitute(m, substitutions)))
        });
        if let Some(message) = chosen {
            return message;
        }
    }
    browser::i18n::message(key, substitutions).unwrap_or_else(|| key.to_owned())
}

/// The UI language in use (`en` or `de`): the chosen one, or the one the browser picked.
pub fn ui_language() -> String {
    #[cfg(feature = "app")]
    if let Some(lang) = CHOSEN.with(|chosen| chosen.borrow().as_ref().map(|(lang, _)| *lang)) {
        return lang.wire_name().into();
    }
    let language = t(key!("@@ui_locale"));
    if language.starts_with("de") {
        "de".into()
    } else {
        "en".into()
    }
}

/// Sets `<html lang>` and the title so assistive technology reads the page in the right language.
pub fn localise_document(title_key: Key<0>) -> Result<(), JsValue> {
    let document = crate::dom::document()?;
    if let Some(root) = document.document_element() {
        root.set_attribute("lang", &ui_language())?;
    }
    document.set_title(&t(title_key));
    Ok(())
}

/// A date and time in the UI language, e.g. "27 Nov 2026, 09:40" / "27. Nov. 2026, 09:40".
pub fn format_date(ms: f64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    let options = js_sys::Object::new();
    for (key, value) in [
        ("day", "numeric"),
        ("month", "short"),
        ("year", "numeric"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
    ] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    date.to_locale_string(&ui_language(), &options).into()
}

/// A calendar month in the UI language: short ("Dec" / "Dez.") or long with the year
/// ("December 2026" / "Dezember 2026").
pub fn format_month(year: i32, month: u8, long: bool) -> String {
    // Mid-month at noon UTC, formatted in UTC: no time zone moves it into another month.
    let utc = js_sys::Date::utc(f64::from(year), f64::from(month) - 1.0);
    let date = js_sys::Date::new(&JsValue::from_f64(utc + 14.5 * 86_400_000.0));
    let options = js_sys::Object::new();
    let mut fields = vec![
        ("timeZone", "UTC"),
        ("month", if long { "long" } else { "short" }),
    ];
    if long {
        fields.push(("year", "numeric"));
    }
    for (key, value) in fields {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    date.to_locale_date_string(&ui_language(), &options).into()
}

/// The language the settings ask for, `None` when they follow the browser.
pub fn chosen_language(settings: &ask_first_core::settings::Settings) -> Option<Lang> {
    match settings.language {
        ask_first_core::settings::Language::Browser => None,
        ask_first_core::settings::Language::En => Some(Lang::En),
        ask_first_core::settings::Language::De => Some(Lang::De),
    }
}
