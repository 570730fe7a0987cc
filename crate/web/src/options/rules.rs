//! The options page's rules: each site's switch and mode, the thresholds, the language, the
//! ask-first templates with a live preview, and the trusted lists ([`super::trusted`]).

use std::rc::Rc;

use ask_first_core::ask::ask_message;
use ask_first_core::settings::{Lang, Language, Mode, Settings};
use ask_first_core::site::Site;
use ask_first_core::wire::WireName;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;

use super::trusted::{trusted_adders, trusted_groups};
use super::{
    act, button, head_row, input_value, labelled, number_input, save_request, section, select,
    site_row, Shared,
};
use crate::dom::{document, listen, on_click, Node};
use crate::i18n::{t, t_with};

pub(super) fn rules_section(state: &Shared) -> Result<Node, JsValue> {
    let settings = state.borrow().settings.clone();
    let modes: Vec<(&str, String)> = Mode::NAMES
        .iter()
        .map(|(mode, name)| {
            let label = match mode {
                Mode::Off => t(key!("modeOff")),
                Mode::Note => t(key!("modeNote")),
                Mode::Warn => t(key!("modeWarn")),
                Mode::Confirm => t(key!("modeConfirm")),
            };
            (*name, label)
        })
        .collect();
    let mut sites = Node::new("tbody")?;
    for site in Site::ALL {
        let current = settings.site(site);
        let mut enabled = Node::new("input")?
            .attr("type", "checkbox")?
            .attr("id", &format!("enabled-{}", site.id()))?
            .attr(
                "aria-label",
                &t_with(key!("optionsSiteEnabled"), &[site.display_name()]),
            )?;
        if current.enabled {
            enabled = enabled.attr("checked", "")?;
        }
        let mode = select(
            &format!("mode-{}", site.id()),
            &modes,
            current.mode.wire_name(),
        )?
        .attr(
            "aria-label",
            &t_with(key!("optionsSiteMode"), &[site.display_name()]),
        )?;
        sites = sites.child(
            site_row(site)?
                .child(Node::new("td")?.child(enabled)?)?
                .child(Node::new("td")?.child(mode)?)?
                .child(Node::new("td")?.text(&site.hosts().join(", ")))?,
        )?;
    }
    let table = Node::new("table")?
        .child(head_row(&[
            key!("optionsSiteColumn"),
            key!("optionsEnabledColumn"),
            key!("optionsModeColumn"),
            key!("optionsHostsColumn"),
        ])?)?
        .child(sites)?;
    let mut quiet = Node::new("input")?
        .attr("type", "checkbox")?
        .attr("id", "quiet-note")?;
    if settings.quiet_note {
        quiet = quiet.attr("checked", "")?;
    }
    let numbers = Node::new("div")?
        .class("grid")?
        .child(labelled(
            "direct-threshold",
            &t(key!("optionsDirectThreshold")),
            number_input("direct-threshold", settings.direct_threshold, 1, 1000)?,
        )?)?
        .child(labelled(
            "invite-threshold",
            &t(key!("optionsInviteThreshold")),
            number_input("invite-threshold", settings.invite_threshold, 1, 1000)?,
        )?)?
        .child(labelled(
            "sequential-count",
            &t(key!("optionsSequentialCount")),
            number_input("sequential-count", settings.sequential_count, 1, 1000)?,
        )?)?
        .child(labelled(
            "sequential-minutes",
            &t(key!("optionsSequentialMinutes")),
            number_input("sequential-minutes", settings.sequential_minutes, 1, 1440)?,
        )?)?
        .child(
            Node::new("div")?.class("field")?.child(quiet)?.child(
                Node::new("label")?
                    .attr("for", "quiet-note")?
                    .text(&t(key!("optionsQuietNote"))),
            )?,
        )?
        .child(labelled(
            "language",
            &t(key!("optionsLanguage")),
            select(
                "language",
                &[
                    (Language::Browser.wire_name(), t(key!("languageBrowser"))),
                    (Language::En.wire_name(), "English".into()),
                    (Language::De.wire_name(), "Deutsch".into()),
                ],
                settings.language.wire_name(),
            )?,
        )?)?;
    let templates = Node::new("div")?
        .class("grid")?
        .child(template_field(
            "template-en",
            &t_with(key!("optionsTemplateEn"), &["{group}", "{names}"]),
            &settings.templates.en,
            Lang::En,
        )?)?
        .child(template_field(
            "template-de",
            &t_with(key!("optionsTemplateDe"), &["{group}", "{names}"]),
            &settings.templates.de,
            Lang::De,
        )?)?;
    let save = button("save-rules", &t(key!("optionsSave")))?;
    let shared = Rc::clone(state);
    on_click(save.element(), move || {
        let loaded = shared.borrow().settings.clone();
        let mut settings = loaded.clone();
        read_rules_form(&mut settings);
        act(
            &shared,
            save_request(&loaded, &settings),
            "[data-action=\"save-rules\"]".into(),
            t(key!("optionsSaved")),
        );
    })?;
    section("rules", &t(key!("optionsRulesHeading")))?
        .child(table)?
        .child(numbers)?
        .child(templates)?
        .child(trusted_groups(state)?)?
        .child(trusted_adders(state)?)?
        .child(Node::new("div")?.class("actions")?.child(save)?)
}

/// A template editor with a live preview of the message it makes.
fn template_field(id: &str, label: &str, value: &str, lang: Lang) -> Result<Node, JsValue> {
    let area = Node::new("textarea")?
        .attr("id", id)?
        .attr("rows", "4")?
        .text(value);
    let preview = Node::new("p")?
        .class("preview")?
        .attr("id", &format!("{id}-preview"))?
        .attr("aria-live", "polite")?
        .text(&preview_text(value, lang));
    // The preview is found when the user types, not held by the listener (see `dom::listen`).
    let preview_id = format!("{id}-preview");
    listen(area.element(), "input", move |event: web_sys::Event| {
        let preview = document()
            .ok()
            .and_then(|document| document.get_element_by_id(&preview_id));
        if let (Some(area), Some(preview)) = (
            event
                .target()
                .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok()),
            preview,
        ) {
            preview.set_text_content(Some(&preview_text(&area.value(), lang)));
        }
    })?;
    Node::new("div")?
        .class("field")?
        .child(Node::new("label")?.attr("for", id)?.text(label))?
        .child(area)?
        .child(
            Node::new("span")?
                .class("muted")?
                .text(&t(key!("optionsPreview"))),
        )?
        .child(preview)
}

fn preview_text(template: &str, lang: Lang) -> String {
    let mut templates = Settings::default().templates;
    match lang {
        Lang::En => templates.en = template.to_owned(),
        Lang::De => templates.de = template.to_owned(),
    }
    let names = vec!["Anna Schmidt".to_owned(), "Ben Weber".to_owned()];
    ask_message(&templates, lang, "Book Club", &names)
}

/// Copies the form into `settings`; bad numbers are left for the background's `validate`,
/// which resets them and says so.
fn read_rules_form(settings: &mut Settings) {
    for site in Site::ALL {
        let mut current = settings.site(site);
        if let Some(enabled) = input_value(&format!("enabled-{}", site.id())) {
            current.enabled = enabled == "true";
        }
        if let Some(mode) = input_value(&format!("mode-{}", site.id())) {
            current.mode = Mode::from_wire_name(&mode, "mode").unwrap_or(Mode::Confirm);
        }
        settings.sites.insert(site, current);
    }
    let number = |id: &str, current: u32| {
        input_value(id)
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(current)
    };
    settings.direct_threshold = number("direct-threshold", settings.direct_threshold);
    settings.invite_threshold = number("invite-threshold", settings.invite_threshold);
    settings.sequential_count = number("sequential-count", settings.sequential_count);
    settings.sequential_minutes = number("sequential-minutes", settings.sequential_minutes);
    if let Some(quiet) = input_value("quiet-note") {
        settings.quiet_note = quiet == "true";
    }
    settings.language = input_value("language")
        .and_then(|name| Language::from_wire_name(&name, "language").ok())
        .unwrap_or(Language::Browser);
    if let Some(en) = input_value("template-en") {
        settings.templates.en = en;
    }
    if let Some(de) = input_value("template-de") {
        settings.templates.de = de;
    }
}
