//! The background context: the router's home and the only writer of storage.
//!
//! `background.js` registers the browser listeners synchronously (a service worker requirement)
//! and forwards every message to [`handle_message`]. Requests are queued and handled one batch at
//! a time: each request is applied to the in-memory state in arrival order, the batch's writes go
//! to storage in one `set`, and only when the browser confirms the write are the replies sent.
//! A failed write answers every request of the batch that changed something with the error (a
//! request that changed nothing still gets its answer) and drops the in-memory state, so the
//! next request starts again from what storage really holds. When storing what the load at start
//! repaired fails (a backup over the quota), the loaded state is served from memory and the
//! write is tried again with each change: reading, export and "delete everything" keep working
//! and the options page says what failed.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use ask_first_core::protocol::{Push, PushMessage, Refusal, Reply};
use ask_first_core::router::{admit, Background, Outcome, Sender, KEY_TABS};
use ask_first_core::storage::{StorageWrite, KEY_PACKS};
use js_sys::{Function, Promise};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::browser;
use crate::storage::{Batch, StorageArea};

mod sync;

struct Job {
    sender: Sender,
    message: Result<Value, String>,
    resolve: Function,
}

/// The background's state, its queue of requests and its store.
#[derive(Clone)]
pub struct BackgroundHost {
    inner: Rc<Inner>,
}

struct Inner {
    store: Option<StorageArea>,
    /// `storage.session`: what the tabs reported, kept while the browser runs so that a
    /// background the browser stopped while idle still knows its tabs when it starts again.
    session: Option<StorageArea>,
    state: RefCell<Option<Background>>,
    queue: RefCell<VecDeque<Job>>,
    /// What the load at start repaired (migrations, backups of unreadable values) when storing
    /// it failed: tried again with every batch until it is stored. Meanwhile the state is
    /// served from memory, so reading, export and "delete everything" keep working.
    unsaved: RefCell<Option<(Vec<StorageWrite>, Vec<String>)>>,
    running: Cell<bool>,
    badge: Cell<Option<u32>>,
}

impl BackgroundHost {
    /// A host over `store`; `None` means no storage API (every request then fails clearly).
    pub fn new(store: Option<StorageArea>, session: Option<StorageArea>) -> BackgroundHost {
        BackgroundHost {
            inner: Rc::new(Inner {
                store,
                session,
                state: RefCell::new(None),
                queue: RefCell::new(VecDeque::new()),
                unsaved: RefCell::new(None),
                running: Cell::new(false),
                badge: Cell::new(None),
            }),
        }
    }

    /// Queues one request; the promise resolves with the reply once its changes are stored.
    /// A sender refused outright is answered at once, without touching storage.
    pub fn handle(&self, sender: Sender, message: Result<Value, String>) -> Promise {
        let admitted = match &message {
            Ok(value) => admit(&sender, value),
            Err(error) => Err(Refusal::Malformed(error.clone())),
        };
        if let Err(error) = admitted {
            let reply = browser::to_js(&Reply::Refused { error }).unwrap_or(JsValue::UNDEFINED);
            return Promise::resolve(&reply);
        }
        let mut job = Some((sender, message));
        let promise = Promise::new(&mut |resolve, _reject| {
            if let Some((sender, message)) = job.take() {
                self.inner.queue.borrow_mut().push_back(Job {
                    sender,
                    message,
                    resolve,
                });
            }
        });
        if !self.inner.running.replace(true) {
            let host = self.clone();
            wasm_bindgen_futures::spawn_local(async move { host.drain().await });
        }
        promise
    }

    /// Forgets what a closed tab reported.
    pub fn forget_tab(&self, tab_id: i32) {
        let kept = match self.inner.state.borrow_mut().as_mut() {
            Some(state) => state.forget_tab(tab_id),
            None => None,
        };
        if let Some(tabs) = kept {
            let host = self.clone();
            wasm_bindgen_futures::spawn_local(async move { host.keep_tabs(tabs).await });
        }
    }

    /// Keeps the tabs' reports in `storage.session`. A failure costs only what the popup
    /// knows after the next stop, so it is logged, never surfaced as the request's error.
    async fn keep_tabs(&self, tabs: Value) {
        let Some(session) = &self.inner.session else {
            return;
        };
        let mut batch = Batch::default();
        batch.add(
            vec![StorageWrite {
                key: KEY_TABS.into(),
                value: tabs,
            }],
            Vec::new(),
        );
        if let Err(error) = session.commit(&batch).await {
            browser::warn(&format!("tab reports not kept: {error}"));
        }
    }

    async fn drain(&self) {
        loop {
            if self.inner.queue.borrow().is_empty() {
                break;
            }
            if self.inner.state.borrow().is_none() {
                if let Err(error) = self.load().await {
                    self.fail_queued(&error);
                    continue;
                }
            }
            let jobs: Vec<Job> = self.inner.queue.borrow_mut().drain(..).collect();
            let mut batch = Batch::default();
            let unsaved = self.inner.unsaved.borrow().clone();
            if let Some((writes, removals)) = unsaved.clone() {
                // First, so that a request's own write of the same key (or its removal of a
                // backup, as "delete everything" does) wins.
                batch.add(writes, removals);
            }
            let mut replies = Vec::with_capacity(jobs.len());
            let mut pushes = Vec::new();
            let mut tabs = None;
            {
                let mut state = self.inner.state.borrow_mut();
                let Some(state) = state.as_mut() else {
                    continue;
                };
                // The monthly totals count in the user's calendar month.
                let offset = -js_sys::Date::new_0().get_timezone_offset();
                state.set_utc_offset_minutes(offset as i32);
                for job in jobs {
                    let outcome = match job.message {
                        Ok(message) => {
                            state.dispatch_value(&job.sender, message, browser::now_ms())
                        }
                        Err(error) => Outcome::refused(Refusal::Malformed(error)),
                    };
                    let read_only = outcome.writes.is_empty() && outcome.removals.is_empty();
                    batch.add(outcome.writes, outcome.removals);
                    pushes.extend(outcome.pushes);
                    tabs = outcome.tabs.or(tabs);
                    replies.push((job.resolve, outcome.reply, read_only));
                }
                if unsaved.is_some() && batch_is_only(&batch, &unsaved) {
                    // Nothing new to store: the retry of the load's write waits for a change
                    // (each try of a write over the quota costs the whole value again).
                    batch = Batch::default();
                }
            }
            let stored = match (&self.inner.store, batch.is_empty()) {
                (_, true) => Ok(()),
                (Some(store), false) => store.commit(&batch).await.map_err(|e| e.to_string()),
                (None, false) => Err(no_storage()),
            };
            if let Some(tabs) = tabs {
                self.keep_tabs(tabs).await;
            }
            match stored {
                Ok(()) => {
                    if !batch.is_empty() && self.inner.unsaved.borrow_mut().take().is_some() {
                        if let Some(state) = self.inner.state.borrow_mut().as_mut() {
                            state.set_unsaved(None);
                        }
                    }
                    for (resolve, reply, _) in replies {
                        answer(&resolve, &reply);
                    }
                    self.after_change(pushes);
                    if batch.writes.contains_key(KEY_PACKS) {
                        if let Some(state) = self.inner.state.borrow().as_ref() {
                            crate::packpush::deliver(state);
                        }
                    }
                }
                Err(error) => {
                    // What is in memory was never stored: start again from storage. A request
                    // that changed nothing still gets its answer.
                    self.inner.state.borrow_mut().take();
                    for (resolve, reply, read_only) in replies {
                        let reply = if read_only {
                            reply
                        } else {
                            storage_refusal(&error)
                        };
                        answer(&resolve, &reply);
                    }
                }
            }
        }
        self.inner.running.set(false);
    }

    /// Loads the state from storage and stores what loading repaired (migrations, backups).
    async fn load(&self) -> Result<(), String> {
        let store = self.inner.store.as_ref().ok_or_else(no_storage)?;
        let stored = store.get_all().await?;
        let (mut background, report) = Background::load(&stored, browser::now_ms());
        if let Some(session) = &self.inner.session {
            match session.get_all().await {
                Ok(kept) => {
                    if let Some(tabs) = kept.get(KEY_TABS) {
                        background.restore_tabs(tabs);
                    }
                }
                Err(error) => browser::warn(&format!("tab reports not restored: {error}")),
            }
        }
        let mut batch = Batch::default();
        batch.add(report.writes.clone(), report.removals.clone());
        let stored = if batch.is_empty() {
            Ok(())
        } else {
            store.commit(&batch).await.map_err(|e| e.to_string())
        };
        match stored {
            Ok(()) => *self.inner.unsaved.borrow_mut() = None,
            Err(error) => {
                // Serve what was loaded; the options page says what could not be stored.
                browser::warn(&format!(
                    "storage: the repaired state was not stored: {error}"
                ));
                background.set_unsaved(Some(error));
                *self.inner.unsaved.borrow_mut() =
                    Some((report.writes.clone(), report.removals.clone()));
            }
        }
        for problem in &report.problems {
            browser::warn(&format!("storage: {problem:?}"));
        }
        let unseen = background.unseen_readditions();
        *self.inner.state.borrow_mut() = Some(background);
        set_badge(&self.inner.badge, unseen);
        Ok(())
    }

    fn fail_queued(&self, error: &str) {
        let jobs: Vec<Job> = self.inner.queue.borrow_mut().drain(..).collect();
        for job in jobs {
            answer(&job.resolve, &storage_refusal(error));
        }
    }

    /// Tells open extension pages what changed and updates the toolbar badge.
    fn after_change(&self, pushes: Vec<Push>) {
        for push in pushes {
            let Push::StateChanged {
                unseen_readditions, ..
            } = &push;
            // The synced copy follows (paced; nothing while the switch is off).
            sync::schedule();
            set_badge(&self.inner.badge, *unseen_readditions);
            if let Ok(message) = browser::to_js(&PushMessage::new(push)) {
                // Rejects when no page is open to listen: nothing to do then.
                browser::runtime::notify(&message);
            }
        }
    }
}

/// Whether `batch` holds nothing but the load's unsaved writes and removals.
fn batch_is_only(batch: &Batch, unsaved: &Option<(Vec<StorageWrite>, Vec<String>)>) -> bool {
    let Some((writes, removals)) = unsaved else {
        return batch.is_empty();
    };
    let mut alone = Batch::default();
    alone.add(writes.clone(), removals.clone());
    alone.writes == batch.writes && alone.removals == batch.removals
}

fn storage_refusal(error: &str) -> Reply {
    Reply::Refused {
        error: Refusal::Storage(error.to_owned()),
    }
}

fn no_storage() -> String {
    "Ask First could not reach the browser's extension storage.".to_owned()
}

fn answer(resolve: &Function, reply: &Reply) {
    let value = browser::to_js(reply).unwrap_or(JsValue::UNDEFINED);
    let _ = resolve.call1(&JsValue::NULL, &value);
}

fn set_badge(last: &Cell<Option<u32>>, unseen: u32) {
    if last.replace(Some(unseen)) == Some(unseen) {
        return;
    }
    let text = if unseen == 0 {
        String::new()
    } else if unseen > 99 {
        "99+".to_owned()
    } else {
        unseen.to_string()
    };
    browser::action::set_badge_text(&text);
    browser::action::set_badge_background_color("#b42318");
}

thread_local! {
    static HOST: BackgroundHost = BackgroundHost::new(StorageArea::local(), StorageArea::session());
}

/// Answers one `runtime.onMessage` message; resolves with the reply once any change it made is
/// stored. `sender` is the browser's `MessageSender`: only its fields, never the message, decide
/// what the sender may do.
#[wasm_bindgen]
pub fn handle_message(message: JsValue, sender: JsValue) -> Promise {
    let sender = browser::classify_sender(&sender);
    let message = browser::from_js(message);
    if let Some(promise) = message
        .as_ref()
        .ok()
        .and_then(|m| sync::page_request(m, &sender))
    {
        return promise;
    }
    HOST.with(|host| host.handle(sender, message))
}

/// Forgets what a closed tab reported.
#[wasm_bindgen]
pub fn forget_tab(tab_id: i32) {
    HOST.with(|host| host.forget_tab(tab_id));
}
