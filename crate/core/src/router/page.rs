//! The router's page channel: what the extension's own pages (popup, options) may read and
//! change. Only [`super::Sender::ExtensionPage`] gets here.
//!
//! Layer: state (part of [`super`]).

use serde_json::Value;

use super::{normal_group, Background, Changes};
use crate::model::{clean_text, MAX_NAME_CHARS};
use crate::pack;
use crate::protocol::{PageRequest, PageResponse, Refusal, TabStatus};
use crate::settings::{self, SettingIssue, Settings};
use crate::site::Site;
use crate::storage;
use crate::transfer::{self, ImportMode};

impl Background {
    /// One extension-page request, by kind.
    pub(super) fn page(
        &mut self,
        request: PageRequest,
        now: f64,
        changes: &mut Changes,
    ) -> Result<PageResponse, Refusal> {
        let done = |changed: bool| PageResponse::Done { changed };
        Ok(match request {
            PageRequest::TabStatus { tab_id, url } => PageResponse::TabStatus {
                status: self.tab_status(tab_id, url.as_deref()),
            },
            PageRequest::GetSettings => PageResponse::Settings {
                settings: self.settings.clone(),
                issues: Vec::new(),
            },
            PageRequest::SetSettings { settings, base } => {
                let (settings, issues) = self.edited_settings(&settings, base.as_ref());
                self.replace_settings(settings, issues, changes)
            }
            PageRequest::PauseSite { site, pause } => {
                let mut settings = self.settings.clone();
                match pause {
                    Some(pause) => settings.pauses.insert(site, pause),
                    None => settings.pauses.remove(&site),
                };
                let issues = settings.validate();
                self.replace_settings(settings, issues, changes)
            }
            PageRequest::GetRecord => PageResponse::Record {
                record: self.record.clone(),
                unseen_readditions: self.unseen_readditions(),
            },
            PageRequest::Export => PageResponse::Export {
                file_name: format!("ask-first-export-{}.json", now.trunc() as u64),
                data: transfer::export_with_packs(&self.settings, &self.record, &self.packs, now),
            },
            PageRequest::Import { data, mode } => self.import(&data, mode, changes),
            PageRequest::ForgetGroup { group } => {
                let group = normal_group(&group)?;
                changes.record = self.record.forget_group(&group);
                changes.dismissed = self.dismissed.forget_group(&group);
                if changes.record {
                    // A tombstone, so the forget wins over the synced copy.
                    self.sync.forget(&group, now);
                    changes.sync = true;
                }
                done(changes.record)
            }
            PageRequest::RejoinedOnPurpose { group } => {
                let group = normal_group(&group)?;
                changes.record = self.record.rejoined_on_purpose(&group);
                // The user's word on this entry: a page's reported leave never evicts it.
                self.record.confirm_left(&group);
                done(changes.record)
            }
            PageRequest::RenameGroup { group, name } => {
                let group = normal_group(&group)?;
                let name = clean_text(&name, MAX_NAME_CHARS);
                changes.record = self.record.rename_group(&group, &name);
                if changes.record {
                    self.record.confirm_left(&group);
                }
                done(changes.record)
            }
            PageRequest::RecordLeave { group, name, url } => {
                let group = normal_group(&group)?;
                self.record.left_group(&group, &name, url.as_deref(), now);
                self.record.confirm_left(&group);
                changes.record = true;
                done(true)
            }
            PageRequest::DeleteEverything => {
                self.delete_everything(now, changes);
                done(true)
            }
            PageRequest::GetBursts => PageResponse::Bursts {
                bursts: self.guard.bursts().to_vec(),
            },
            PageRequest::ClearBursts => {
                changes.guard = self.guard.clear_bursts();
                done(changes.guard)
            }
            PageRequest::RemoveAgreed { site, name, group } => {
                let group = group.as_ref().map(normal_group).transpose()?;
                changes.record = self.record.remove_agreed(site, &name, group.as_ref());
                done(changes.record)
            }
            request @ (PageRequest::SyncPass { .. }
            | PageRequest::GetSyncStatus
            | PageRequest::RemoveSyncedCopy { .. }) => self.sync_request(request, now, changes)?,
            PageRequest::MarkReadditionsSeen => {
                changes.record = self.record.mark_seen() > 0;
                done(changes.record)
            }
            PageRequest::GetStorageStatus => self.storage_status(),
            PageRequest::DeleteBackup { key } => {
                let known = self.backups.iter().position(|backup| *backup == key);
                if let Some(index) = known {
                    self.backups.remove(index);
                    changes.removals.push(key);
                }
                done(known.is_some())
            }
            PageRequest::GetPacks => PageResponse::Packs {
                packs: self.pack_statuses(),
            },
            PageRequest::ImportPack { data } => self.import_pack(&data, changes),
            PageRequest::ResetPack { site } => {
                changes.packs = self.packs.remove(&site).is_some();
                done(changes.packs)
            }
        })
    }

    /// What the content core reported for one tab; nothing when the page's `url` for it (when
    /// known) is no longer on the reported site.
    fn tab_status(&self, tab_id: i32, url: Option<&str>) -> Option<TabStatus> {
        self.tabs
            .get(&tab_id)
            .filter(|status| url.is_none_or(|url| Site::from_url(url) == Some(status.site)))
            .cloned()
    }

    /// The settings a page saved, decoded and validated. With `base` (the settings the page
    /// loaded), only what the page changed since applies: a change another page made meanwhile
    /// (a pause in the popup) is not undone by an older form.
    fn edited_settings(
        &self,
        settings: &Value,
        base: Option<&Value>,
    ) -> (Settings, Vec<SettingIssue>) {
        match base {
            Some(base) => {
                let current = serde_json::to_value(&self.settings).unwrap_or(Value::Null);
                Settings::from_value(&settings::rebase(&current, base, settings))
            }
            None => Settings::from_value(settings),
        }
    }

    /// Makes `settings` the settings, answering with them and the `issues` found.
    fn replace_settings(
        &mut self,
        settings: Settings,
        issues: Vec<SettingIssue>,
        changes: &mut Changes,
    ) -> PageResponse {
        changes.settings = settings != self.settings;
        self.settings = settings;
        PageResponse::Settings {
            settings: self.settings.clone(),
            issues,
        }
    }

    /// An export file's import: settings, record and packs change together, or nothing does.
    fn import(&mut self, data: &str, mode: ImportMode, changes: &mut Changes) -> PageResponse {
        match transfer::import(data.as_bytes(), mode, &self.settings, &self.record) {
            Ok(imported) => {
                changes.settings = imported.settings != self.settings;
                changes.record = imported.record != self.record;
                self.settings = imported.settings;
                self.record = imported.record;
                let packs = transfer::packs::apply(&self.packs, imported.packs, mode);
                changes.packs = packs != self.packs;
                self.packs = packs;
                PageResponse::Imported {
                    report: imported.report,
                }
            }
            Err(error) => PageResponse::ImportFailed {
                message: error.to_string(),
                error,
            },
        }
    }

    /// The record, the settings, the packs, every backup, the budgets and the dismissed flags
    /// go; the synced copy is told to go too.
    fn delete_everything(&mut self, now: f64, changes: &mut Changes) {
        self.record.clear_all();
        self.settings = Settings::default();
        changes.packs = !self.packs.is_empty();
        self.packs.clear();
        changes.record = true;
        changes.settings = true;
        changes.removals = std::mem::take(&mut self.backups);
        self.problems.clear();
        self.guard.clear();
        changes.guard = true;
        changes.dismissed = self.dismissed.clear();
        self.sync.wipe(now);
        changes.sync = true;
    }

    /// What the load at start found, and the bytes each stored key takes.
    fn storage_status(&self) -> PageResponse {
        PageResponse::StorageStatus {
            found_version: self.found_version,
            migrations: self.migrations.clone(),
            problems: self.problems.clone(),
            backups: self.backups.clone(),
            bytes_by_key: self
                .stored_bytes
                .iter()
                .map(|(key, bytes)| (key.clone(), *bytes as u64))
                .collect(),
            bytes_in_use: self.stored_bytes.values().map(|b| *b as u64).sum(),
            quota_bytes: storage::QUOTA_BYTES as u64,
            unsaved: self.unsaved.clone(),
        }
    }

    /// A site pack imported on the options page (checked like any import).
    fn import_pack(&mut self, data: &str, changes: &mut Changes) -> PageResponse {
        match pack::check_import(data) {
            Ok(imported) => {
                let (site, version) = (imported.site, imported.version);
                let previous = self.packs.insert(site, imported);
                changes.packs = previous.as_ref() != self.packs.get(&site);
                PageResponse::PackImported {
                    site,
                    version,
                    replaced: previous.map(|previous| previous.version),
                }
            }
            Err(error) => PageResponse::PackImportFailed {
                message: error.to_string(),
                error,
            },
        }
    }
}
