//! Localised strings from `_locales/{en,de}/messages.json` through `chrome.i18n`.

use wasm_bindgen::JsValue;

use crate::browser;

/// The message for `key`, with `$1`, `$2`… substituted. A missing key returns the key itself, so a
/// gap is visible on screen (and the locale completeness test catches it first).
pub fn t_with(key: &str, substitutions: &[&str]) -> String {
    let list = js_sys::Array::new();
    for substitution in substitutions {
        list.push(&JsValue::from_str(substitution));
    }
    browser::call(
        &["i18n", "getMessage"],
        &[JsValue::from_str(key), list.into()],
    )
    .ok()
    .and_then(|value| value.as_string())
    .filter(|text| !text.is_empty())
    .unwrap_or_else(|| key.to_owned())
}

pub fn t(key: &str) -> String {
    t_with(key, &[])
}

/// The UI language the browser picked from the bundled locales (`en` or `de`).
pub fn ui_language() -> String {
    let language = t("@@ui_locale");
    if language.starts_with("de") {
        "de".into()
    } else {
        "en".into()
    }
}

/// Sets `<html lang>` and the title so assistive technology reads the page in the right language.
pub fn localise_document(title_key: &str) -> Result<(), JsValue> {
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
