//! The options page's data section: export, import (merge or replace) with its report, and
//! deleting everything after a second question.

use std::rc::Rc;

use ask_first_core::protocol::{PageRequest, PageResponse};
use ask_first_core::transfer::{ImportMode, MAX_IMPORT_BYTES};
use wasm_bindgen::prelude::*;

use super::{
    act, button, download, input_by_id, labelled, radio, reload, render, section, size_text, Shared,
};
use crate::browser::page;
use crate::dom::{announce, focus_selector, on_click, Node};
use crate::i18n::{t, t_with};

pub(super) fn data_section(state: &Shared) -> Result<Node, JsValue> {
    let export = button("export", &t(key!("optionsExport")))?;
    on_click(export.element(), || {
        wasm_bindgen_futures::spawn_local(async {
            match page(PageRequest::Export).await {
                Ok(PageResponse::Export { file_name, data }) => {
                    if download(&file_name, &data).is_err() {
                        announce(&t(key!("optionsExportFailed")));
                    } else {
                        announce(&t_with(key!("optionsExported"), &[&file_name]));
                    }
                }
                Ok(_) | Err(_) => announce(&t(key!("optionsExportFailed"))),
            }
        });
    })?;
    let file = Node::new("input")?
        .attr("type", "file")?
        .attr("id", "import-file")?
        .attr("accept", "application/json,.json")?;
    let mode = Node::new("fieldset")?
        .child(Node::new("legend")?.text(&t(key!("optionsImportMode"))))?
        .child(radio(
            "import-mode",
            "merge",
            &t(key!("optionsImportMerge")),
            true,
        )?)?
        .child(radio(
            "import-mode",
            "replace",
            &t(key!("optionsImportReplace")),
            false,
        )?)?;
    let import = button("import", &t(key!("optionsImport")))?;
    let shared = Rc::clone(state);
    on_click(import.element(), move || import_file(&shared))?;
    let report = {
        let lines = state.borrow().import_report.clone();
        let mut list = Node::new("ul")?
            .attr("data-field", "import-report")?
            .attr("aria-live", "polite")?;
        for line in lines {
            list = list.child(Node::new("li")?.text(&line))?;
        }
        list
    };
    let confirming = state.borrow().confirming_delete;
    let mut delete = Node::new("div")?.class("actions")?;
    if confirming {
        let yes = button("delete-confirm", &t(key!("optionsDeleteConfirm")))?.class("danger")?;
        let no = button("delete-cancel", &t(key!("gateCancel")))?;
        let shared = Rc::clone(state);
        on_click(yes.element(), move || {
            shared.borrow_mut().confirming_delete = false;
            act(
                &shared,
                PageRequest::DeleteEverything,
                "[data-action=\"delete\"]".into(),
                t(key!("optionsDeleted")),
            );
        })?;
        let shared = Rc::clone(state);
        on_click(no.element(), move || {
            shared.borrow_mut().confirming_delete = false;
            let _ = render(&shared);
            focus_selector("[data-action=\"delete\"]");
        })?;
        delete = delete
            .child(
                Node::new("p")?
                    .attr("role", "alert")?
                    .text(&t(key!("optionsDeleteQuestion"))),
            )?
            .child(yes)?
            .child(no)?;
    } else {
        let ask = button("delete", &t(key!("optionsDelete")))?.class("danger")?;
        let shared = Rc::clone(state);
        on_click(ask.element(), move || {
            shared.borrow_mut().confirming_delete = true;
            let _ = render(&shared);
            focus_selector("[data-action=\"delete-cancel\"]");
        })?;
        delete = delete.child(ask)?;
    }
    section("data", &t(key!("optionsDataHeading")))?
        .child(Node::new("div")?.class("actions")?.child(export)?)?
        .child(labelled(
            "import-file",
            &t(key!("optionsImportFile")),
            file,
        )?)?
        .child(mode)?
        .child(Node::new("div")?.class("actions")?.child(import)?)?
        .child(report)?
        .child(delete)
}

fn import_file(state: &Shared) {
    let Some(input) = input_by_id("import-file") else {
        return;
    };
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        announce(&t(key!("optionsImportNoFile")));
        return;
    };
    let replace = input_by_id("import-mode-replace").is_some_and(|r| r.checked());
    let mode = if replace {
        ImportMode::Replace
    } else {
        ImportMode::Merge
    };
    // A file over the limit is not read, nor sent to the background (whose memory would keep
    // its peak): the limit is known here.
    if file.size() > MAX_IMPORT_BYTES as f64 {
        let line = t_with(
            key!("optionsImportTooLarge"),
            &[
                &size_text(file.size() as u64),
                &size_text(MAX_IMPORT_BYTES as u64),
            ],
        );
        state.borrow_mut().import_report = vec![line.clone()];
        let _ = render(state);
        focus_selector("[data-action=\"import\"]");
        announce(&line);
        return;
    }
    let state = Rc::clone(state);
    wasm_bindgen_futures::spawn_local(async move {
        let text = match wasm_bindgen_futures::JsFuture::from(file.text()).await {
            Ok(text) => text.as_string().unwrap_or_default(),
            Err(_) => {
                announce(&t(key!("optionsImportUnreadable")));
                return;
            }
        };
        let lines = match page(PageRequest::Import { data: text, mode }).await {
            Ok(PageResponse::Imported { report }) => {
                let mut lines = vec![t(key!("optionsImportDone"))];
                for (part, count) in &report.taken {
                    lines.push(t_with(
                        key!("optionsImportTaken"),
                        &[&count.to_string(), part],
                    ));
                }
                for issue in &report.skipped {
                    lines.push(t_with(
                        key!("optionsImportSkipped"),
                        &[&issue.path, &issue.problem],
                    ));
                }
                lines
            }
            Ok(PageResponse::ImportFailed { message, .. }) => {
                vec![t_with(key!("optionsImportFailed"), &[&message])]
            }
            Ok(_) => vec![t_with(key!("optionsImportFailed"), &["?"])],
            Err(error) => vec![t_with(key!("optionsImportFailed"), &[&error])],
        };
        reload(&state).await;
        state.borrow_mut().import_report = lines.clone();
        let _ = render(&state);
        focus_selector("[data-action=\"import\"]");
        announce(&lines.join(" "));
    });
}
