//! The router's part of syncing: one pass merges the synced copy into the record and the rules
//! (the background stays the only writer of `storage.local`) and says what to write to
//! `storage.sync`. The merging itself is [`crate::sync`].

use serde_json::Map;

use super::{Background, Changes};
use crate::protocol::{PageRequest, PageResponse, Refusal};
use crate::sync::{self, SyncStatus};

impl Background {
    pub(super) fn sync_request(
        &mut self,
        request: PageRequest,
        now: f64,
        changes: &mut Changes,
    ) -> Result<PageResponse, Refusal> {
        let (set, remove) = match request {
            PageRequest::SyncPass { synced } if self.settings.sync => {
                let pass = sync::pass(
                    &mut self.sync,
                    &mut self.record,
                    &mut self.settings,
                    &synced,
                    now,
                );
                changes.record |= pass.record_changed;
                changes.settings |= pass.settings_changed;
                changes.sync = true;
                (pass.set, pass.remove)
            }
            PageRequest::RemoveSyncedCopy { synced } => {
                if self.sync.report.take().is_some() {
                    changes.sync = true;
                }
                (Map::new(), sync::own_keys(&synced))
            }
            // Switched off, or only asking.
            _ => (Map::new(), Vec::new()),
        };
        Ok(PageResponse::Sync {
            status: SyncStatus::of(&self.sync, self.settings.sync),
            set,
            remove,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::protocol::{Envelope, PageRequest, PageResponse, Reply, Request};
    use crate::router::{Background, Sender};

    fn ask(background: &mut Background, request: PageRequest, now: f64) -> PageResponse {
        let outcome = background.dispatch(
            &Sender::ExtensionPage,
            Envelope::new(Request::Page(request)),
            now,
        );
        match outcome.reply {
            Reply::Page { body } => body,
            other => panic!("{other:?}"),
        }
    }

    /// A pass through the router, applied to the shared synced storage.
    fn pass(background: &mut Background, cloud: &mut Value, now: f64) -> bool {
        let synced = cloud.clone();
        match ask(background, PageRequest::SyncPass { synced }, now) {
            PageResponse::Sync {
                set,
                remove,
                status,
            } => {
                let object = cloud.as_object_mut().unwrap();
                for key in remove {
                    object.remove(&key);
                }
                object.extend(set);
                status.enabled
            }
            other => panic!("{other:?}"),
        }
    }

    fn switch_on(background: &mut Background) {
        let mut settings = serde_json::to_value(background.settings()).unwrap();
        settings["sync"] = json!(true);
        ask(
            background,
            PageRequest::SetSettings {
                settings,
                base: None,
            },
            1.0,
        );
    }

    #[test]
    fn a_leave_and_a_forget_travel_through_the_router_only_when_switched_on() {
        let group = crate::model::GroupRef::new(crate::site::Site::Facebook, "4711").unwrap();
        let now = 1_796_083_200_000.0;
        let (mut a, mut b, mut cloud) = (Background::new(), Background::new(), json!({}));
        ask(
            &mut a,
            PageRequest::RecordLeave {
                group: group.clone(),
                name: "Networking".into(),
                url: None,
            },
            now,
        );
        // Off by default: nothing written.
        assert!(!pass(&mut a, &mut cloud, now + 1.0));
        assert_eq!(cloud, json!({}));
        switch_on(&mut a);
        switch_on(&mut b);
        assert!(pass(&mut a, &mut cloud, now + 2.0));
        assert!(cloud.get("af.g.0").is_some());
        pass(&mut b, &mut cloud, now + 3.0);
        assert_eq!(b.record().find_left(&group).unwrap().name, "Networking");
        // The forget in B is a tombstone that wins in A.
        ask(
            &mut b,
            PageRequest::ForgetGroup {
                group: group.clone(),
            },
            now + 4.0,
        );
        pass(&mut b, &mut cloud, now + 5.0);
        pass(&mut a, &mut cloud, now + 6.0);
        assert!(a.record().find_left(&group).is_none());
        // Removing the synced copy removes every key of ours and nothing else.
        cloud["other"] = json!(1);
        let synced = cloud.clone();
        match ask(&mut a, PageRequest::RemoveSyncedCopy { synced }, now + 7.0) {
            PageResponse::Sync { set, remove, .. } => {
                assert!(set.is_empty());
                assert!(remove.iter().all(|k| k.starts_with("af.")));
                assert_eq!(remove.len(), cloud.as_object().unwrap().len() - 1);
            }
            other => panic!("{other:?}"),
        }
    }
}
