//! The options page's site packs: each site's bundled and imported pack, importing one from a
//! file, resetting to the bundled one, and why an import was refused.

use std::rc::Rc;

use ask_first_core::pack::{
    PackImportError, PackProblem, PackSource, SelectorFault, MAX_LEAVE_STEPS, MAX_PACK_BYTES,
    MAX_SELECTOR_ALTERNATIVES, MAX_SELECTOR_CHARS, MAX_SELECTOR_HAS, MAX_STEP_ALTERNATIVES,
    MAX_TEXT_CHARS, MAX_VARIANTS, MAX_VERSIONS_AHEAD,
};
use ask_first_core::protocol::{PageRequest, PageResponse};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

use super::{act, button, head_row, labelled, reload, render, section, site_row, Shared};
use crate::browser::page;
use crate::dom::{announce, focus_selector, listen, on_click, Node};
use crate::i18n::{t, t_with};

pub(super) fn packs_section(state: &Shared) -> Result<Node, JsValue> {
    let (packs, report) = {
        let state = state.borrow();
        (state.packs.clone(), state.pack_report.clone())
    };
    let mut body = Node::new("tbody")?;
    for status in &packs {
        let site = status.site;
        let imported = status
            .imported
            .map_or_else(|| "–".to_owned(), |version| version.to_string());
        let (active, active_text) = match status.active {
            PackSource::Bundled => ("bundled", t(key!("optionsPackActiveBundled"))),
            PackSource::Imported => ("imported", t(key!("optionsPackActiveImported"))),
        };
        let mut actions = Node::new("td")?;
        if status.imported.is_some() {
            let reset = button("reset-pack", &t(key!("optionsPackReset")))?.attr(
                "aria-label",
                &t_with(key!("optionsPackResetNamed"), &[site.display_name()]),
            )?;
            let shared = Rc::clone(state);
            on_click(reset.element(), move || {
                shared.borrow_mut().pack_report = None;
                act(
                    &shared,
                    PageRequest::ResetPack { site },
                    "#pack-file".into(),
                    t_with(key!("optionsPackResetDone"), &[site.display_name()]),
                );
            })?;
            actions = actions.child(reset)?;
        }
        body = body.child(
            site_row(site)?
                .child(
                    Node::new("td")?
                        .attr("data-field", "pack-version")?
                        .text(&status.bundled.to_string()),
                )?
                .child(
                    Node::new("td")?
                        .attr("data-field", "pack-imported")?
                        .text(&imported),
                )?
                .child(
                    Node::new("td")?
                        .attr("data-field", "pack-active")?
                        .attr("data-value", active)?
                        .text(&active_text),
                )?
                .child(actions)?,
        )?;
    }
    let file = Node::new("input")?
        .attr("type", "file")?
        .attr("id", "pack-file")?
        .attr("accept", "application/json,.json")?
        .attr("aria-describedby", "pack-file-help")?;
    let shared = Rc::clone(state);
    listen(file.element(), "change", move |event: web_sys::Event| {
        // The input that changed, not the one found by id: the page may have been drawn anew
        // since, with an empty input in its place.
        if let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<HtmlInputElement>().ok())
        {
            import_pack_file(&shared, &input);
        }
    })?;
    // A success is a status, a refusal an alert; both stay until the next import or reset.
    let report = match report {
        Some((ok, text)) => Node::new("p")?
            .attr("data-field", "pack-report")?
            .attr("data-value", if ok { "ok" } else { "error" })?
            .attr("role", if ok { "status" } else { "alert" })?
            .text(&text),
        None => Node::new("p")?
            .attr("data-field", "pack-report")?
            .attr("role", "status")?,
    };
    section("packs", &t(key!("optionsPacksHeading")))?
        .child(
            Node::new("p")?
                .class("muted")?
                .text(&t(key!("optionsPacksHelp"))),
        )?
        .child(
            Node::new("table")?
                .attr("data-field", "packs")?
                .child(head_row(&[
                    key!("optionsSiteColumn"),
                    key!("optionsPackVersion"),
                    key!("optionsPackImportedColumn"),
                    key!("optionsPackActiveColumn"),
                    key!("optionsActionsColumn"),
                ])?)?
                .child(body)?,
        )?
        .child(labelled("pack-file", &t(key!("optionsPackImport")), file)?)?
        .child(
            Node::new("p")?
                .class("muted")?
                .attr("id", "pack-file-help")?
                .text(&t(key!("optionsPackImportHelp"))),
        )?
        .child(report)
}

/// Reads the chosen pack file and asks the background to import it; the result stays on the
/// page (and is announced).
fn import_pack_file(state: &Shared, input: &HtmlInputElement) {
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return;
    };
    let state = Rc::clone(state);
    wasm_bindgen_futures::spawn_local(async move {
        // A file far beyond the cap is not even read (the background checks the exact size).
        let too_large = file.size() > (MAX_PACK_BYTES * 2) as f64;
        let text = if too_large {
            None
        } else {
            wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|text| text.as_string())
        };
        let report = match text {
            None if too_large => (
                false,
                t_with(
                    key!("optionsPackImportFailed"),
                    &[&problem_text(&PackProblem::TooLarge {
                        bytes: file.size() as usize,
                    })],
                ),
            ),
            None => (false, t(key!("optionsImportUnreadable"))),
            Some(data) => match page(PageRequest::ImportPack { data }).await {
                Ok(PageResponse::PackImported {
                    site,
                    version,
                    replaced,
                }) => {
                    let version = version.to_string();
                    let text = match replaced {
                        Some(old) => t_with(
                            key!("optionsPackImportedReplacing"),
                            &[site.display_name(), &version, &old.to_string()],
                        ),
                        None => t_with(
                            key!("optionsPackImported"),
                            &[site.display_name(), &version],
                        ),
                    };
                    (true, text)
                }
                Ok(PageResponse::PackImportFailed { error, .. }) => (
                    false,
                    t_with(
                        key!("optionsPackImportFailed"),
                        &[&import_error_text(&error)],
                    ),
                ),
                Ok(_) => (false, t_with(key!("optionsPackImportFailed"), &["?"])),
                Err(error) => (false, t_with(key!("optionsPackImportFailed"), &[&error])),
            },
        };
        reload(&state).await;
        state.borrow_mut().pack_report = Some(report.clone());
        let _ = render(&state);
        focus_selector("#pack-file");
        if report.0 {
            announce(&report.1);
        }
    });
}

/// Why an import was refused, in the page's language.
fn import_error_text(error: &PackImportError) -> String {
    match error {
        PackImportError::NotNewer {
            site,
            version,
            bundled,
        } => t_with(
            key!("optionsPackNotNewer"),
            &[
                site.display_name(),
                &version.to_string(),
                &bundled.to_string(),
            ],
        ),
        PackImportError::TooNew {
            site,
            version,
            bundled,
        } => t_with(
            key!("optionsPackTooNew"),
            &[
                site.display_name(),
                &version.to_string(),
                &MAX_VERSIONS_AHEAD.to_string(),
                &bundled.to_string(),
            ],
        ),
        PackImportError::Invalid { error } if error.path.is_empty() => problem_text(&error.problem),
        PackImportError::Invalid { error } => t_with(
            key!("optionsPackAt"),
            &[&error.path, &problem_text(&error.problem)],
        ),
    }
}

fn problem_text(problem: &PackProblem) -> String {
    let kib = |bytes: usize| bytes.div_ceil(1024).to_string();
    match problem {
        PackProblem::TooLarge { bytes } => t_with(
            key!("packProblemTooLarge"),
            &[&kib(*bytes), &kib(MAX_PACK_BYTES)],
        ),
        PackProblem::Syntax { line, column } => t_with(
            key!("packProblemSyntax"),
            &[&line.to_string(), &column.to_string()],
        ),
        PackProblem::UnknownField(field) => t_with(key!("packProblemUnknownField"), &[field]),
        PackProblem::UnknownSite(site) => t_with(key!("packProblemUnknownSite"), &[site]),
        PackProblem::Json(detail) => t_with(key!("packProblemShape"), &[detail]),
        PackProblem::Empty => t(key!("packProblemEmpty")),
        PackProblem::ForeignHost => t(key!("packProblemForeignHost")),
        PackProblem::Duplicate => t(key!("packProblemDuplicate")),
        PackProblem::SelectorTooLong => t_with(
            key!("packProblemSelectorTooLong"),
            &[&MAX_SELECTOR_CHARS.to_string()],
        ),
        PackProblem::SelectorSyntax(fault) => {
            let why = match fault {
                SelectorFault::Comment => t(key!("packFaultComment")),
                SelectorFault::ControlCharacter => t(key!("packFaultControl")),
                SelectorFault::Character(ch) => {
                    t_with(key!("packFaultCharacter"), &[&ch.to_string()])
                }
                SelectorFault::UnbalancedBrackets => t(key!("packFaultBrackets")),
                SelectorFault::UnclosedQuote => t(key!("packFaultQuote")),
            };
            t_with(key!("packProblemSelector"), &[&why])
        }
        PackProblem::MissingLanguage(lang) => t_with(key!("packProblemMissingLanguage"), &[lang]),
        PackProblem::BadLanguage => t(key!("packProblemBadLanguage")),
        PackProblem::TooManyVariants => t_with(
            key!("packProblemTooManyVariants"),
            &[&MAX_VARIANTS.to_string()],
        ),
        PackProblem::TextTooLong => t_with(
            key!("packProblemTextTooLong"),
            &[&MAX_TEXT_CHARS.to_string()],
        ),
        PackProblem::TextControl => t(key!("packProblemTextControl")),
        PackProblem::CounterPlaceholder => t_with(key!("packProblemCounter"), &["{n}"]),
        PackProblem::MessagePlaceholder(detail) => t_with(key!("packProblemMessage"), &[detail]),
        PackProblem::SelectorTooBroad => t(key!("packProblemSelectorTooBroad")),
        PackProblem::SelectorTooComplex => t_with(
            key!("packProblemSelectorTooComplex"),
            &[
                &MAX_SELECTOR_ALTERNATIVES.to_string(),
                &MAX_SELECTOR_HAS.to_string(),
            ],
        ),
        PackProblem::BadId => t(key!("packProblemBadId")),
        PackProblem::NoCountSource => t(key!("packProblemNoCount")),
        PackProblem::TooManySteps => t_with(
            key!("leavePackProblemTooManySteps"),
            &[
                &MAX_LEAVE_STEPS.to_string(),
                &MAX_STEP_ALTERNATIVES.to_string(),
            ],
        ),
    }
}
