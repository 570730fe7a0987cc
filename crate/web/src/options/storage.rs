//! The options page's storage section: use against the quota, what could not be stored, what
//! the load found, and the backups it kept, each to download or delete.

use std::rc::Rc;

use ask_first_core::protocol::PageRequest;
use ask_first_core::storage;
use wasm_bindgen::prelude::*;

use super::{act, button, download, section, size_text, Shared};
use crate::dom::{announce, on_click, Node};
use crate::i18n::{t, t_with};
use crate::storage::StorageArea;

/// How full storage is (a warning above [`storage::QUOTA_WARN_PERCENT`]), what could not be
/// stored, what the load found, and the backups it kept, each to download or delete.
pub(super) fn storage_section(state: &Shared) -> Result<Node, JsValue> {
    let mut section = section("storage", &t(key!("optionsStorageHeading")))?;
    let borrowed = state.borrow();
    let Some(view) = borrowed.storage.as_ref() else {
        return section.child(Node::new("p")?.text(&t(key!("optionsStorageUnknown"))));
    };
    let percent = (view.bytes_in_use * 100)
        .checked_div(view.quota_bytes)
        .unwrap_or(0);
    section = section.child(
        Node::new("p")?
            .attr("data-field", "storage-use")?
            .attr("data-percent", &percent.to_string())?
            .text(&t_with(
                key!("optionsStorageUse"),
                &[
                    &size_text(view.bytes_in_use),
                    &size_text(view.quota_bytes),
                    &percent.to_string(),
                ],
            )),
    )?;
    if storage::near_quota(view.bytes_in_use, view.quota_bytes) {
        section = section.child(
            Node::new("p")?
                .attr("role", "alert")?
                .attr("data-field", "storage-warning")?
                .class("warning")?
                .text(&t(key!("optionsStorageNearlyFull"))),
        )?;
    }
    if let Some(reason) = &view.unsaved {
        section = section.child(
            Node::new("p")?
                .attr("role", "alert")?
                .attr("data-field", "storage-unsaved")?
                .class("warning")?
                .text(&t_with(key!("optionsStorageUnsaved"), &[reason])),
        )?;
    }
    if !view.problems.is_empty() {
        let mut list = Node::new("ul")?.attr("data-field", "storage-problems")?;
        for problem in &view.problems {
            list = list.child(Node::new("li")?.text(&t_with(
                key!("optionsStorageProblem"),
                &[&problem.key, &problem.problem],
            )))?;
        }
        section = section.child(list)?;
    }
    section = section.child(Node::new("h3")?.text(&t(key!("optionsBackupsHeading"))))?;
    if view.backups.is_empty() {
        return section.child(
            Node::new("p")?
                .attr("data-field", "backups")?
                .text(&t(key!("optionsBackupsNone"))),
        );
    }
    section = section.child(Node::new("p")?.text(&t(key!("optionsBackupsHelp"))))?;
    let mut list = Node::new("ul")?.attr("data-field", "backups")?;
    for key in &view.backups {
        let size = view.bytes_by_key.get(key).copied().unwrap_or(0);
        let save = button("backup-download", &t(key!("optionsBackupDownload")))?
            .attr("data-key", key)?
            .attr(
                "aria-label",
                &t_with(key!("optionsBackupDownloadLabel"), &[key]),
            )?;
        let owned = key.clone();
        on_click(save.element(), move || download_backup(owned.clone()))?;
        let remove = button("backup-delete", &t(key!("optionsBackupDelete")))?
            .attr("data-key", key)?
            .attr(
                "aria-label",
                &t_with(key!("optionsBackupDeleteLabel"), &[key]),
            )?;
        let shared = Rc::clone(state);
        let owned = key.clone();
        on_click(remove.element(), move || {
            act(
                &shared,
                PageRequest::DeleteBackup { key: owned.clone() },
                "[data-field=\"backups\"]".into(),
                t(key!("optionsBackupDeleted")),
            );
        })?;
        list = list.child(
            Node::new("li")?
                .child(Node::new("span")?.text(&t_with(
                    key!("optionsBackupEntry"),
                    &[key, &size_text(size)],
                )))?
                .child(save)?
                .child(remove)?,
        )?;
    }
    section.child(list)
}

/// Saves one backup as a file: read from `storage.local` directly (reading needs no writer),
/// as the text it was stored with.
fn download_backup(key: String) {
    wasm_bindgen_futures::spawn_local(async move {
        let value = async {
            let area = StorageArea::local().ok_or_else(|| "no storage".to_owned())?;
            let value = area.get(&key).await?;
            match value.as_string() {
                Some(text) => Ok(text),
                None => js_sys::JSON::stringify(&value)
                    .ok()
                    .and_then(|text| text.as_string())
                    .ok_or_else(|| "unreadable".to_owned()),
            }
        }
        .await;
        let safe: String = key
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let file_name = format!("ask-first-{safe}.json");
        match value {
            Ok(data) if download(&file_name, &data).is_ok() => {
                announce(&t_with(key!("optionsExported"), &[&file_name]))
            }
            _ => announce(&t(key!("optionsExportFailed"))),
        }
    });
}
