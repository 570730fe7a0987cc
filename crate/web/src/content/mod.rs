//! The content script's core: started by the loader on every supported site, on the wasm build or
//! on its JavaScript fallback, whichever the page's CSP allows.
//!
//! One `MutationObserver` per page; its records only schedule work, which runs once per animation
//! frame: a fresh read of the page (a targeted rescan, so bursts of any size cost one scan). When
//! to scan is core's state machine (`schedule::Scheduler`: a page that keeps changing on its own
//! is polled once a second, the observer off until the user acts); what the page shows is read
//! by core (`page`: the site pack, then the page's structure) through [`page::DomPage`]; the
//! verdict comes from core's rules with the settings the background sent. This module renders:
//! the notice and the gate live in shadow roots. A click on the confirm control of a bulk add is
//! caught in the capture phase, before the site's own handlers, and held until the user chooses.

mod overlay;
pub mod page;
mod readd;
mod tab;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};

use ask_first_core::ask::ask_message;
use ask_first_core::intent::{Pass, PassUse};
use ask_first_core::model::GroupRef;
use ask_first_core::pack::{active_over, decode_checked_pack, PackSource, SitePack};
use ask_first_core::protocol::{
    AddOutcomeKind, ContentContext, ContentReply, ContentRequest, ContentResponse, Engine, Health,
};
use ask_first_core::rules::{
    by_structure, evaluate_with, said_yes_reason, Approval, DialogKind, Level, Observation, Reason,
    RuleInputs, Verdict,
};
use ask_first_core::schedule::{Scheduler, Steps};
use ask_first_core::settings::{Lang, Language, Templates};
use ask_first_core::site::Site;
use ask_first_core::view::{Message, Overlay, OverlayKind, YesPanel};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlElement, MutationObserver, MutationObserverInit};

use crate::browser;
use crate::dom::document;
use crate::i18n::{t, t_dynamic, t_with};
use ask_first_core::page::check::{ReadKind, Reading};
use ask_first_core::page::{self as reading, AddDialog, ReadBy, Reader};
use overlay::{Shown, Ui};
use page::DomPage;

/// For the end-to-end suite (`tests/e2e/busy.test.mjs`): whether the page counts as busy on its
/// own and is polled instead of observed ([`Runtime::on_quiet`]). Like [`arm_fault_for_tests`],
/// reachable only from the extension's content-script world; it reads, changes nothing.
#[wasm_bindgen]
pub fn polling_for_tests() -> bool {
    RUNTIME.with(|slot| {
        slot.borrow()
            .as_ref()
            .is_some_and(|runtime| runtime.state().scheduler.polling())
    })
}

/// Armed by [`arm_fault_for_tests`]: the next scan panics, as a bug in the core would. The
/// content builds abort on a panic (`-Cpanic=immediate-abort`): the call traps, and the glue's
/// fault guard (`crate/xtask/src/core_guard.js`) switches the core off on the page and reports
/// it; no Rust runs there again.
static FAULT_ARMED: AtomicBool = AtomicBool::new(false);

/// Fault injection for the end-to-end suite (`tests/e2e/faults.test.mjs`): makes the next scan
/// of the page panic inside an animation-frame callback, the path a real bug would take. Only
/// the extension's own content-script world can call it (the page cannot import the extension's
/// module); it changes nothing until a scan runs.
#[wasm_bindgen]
pub fn arm_fault_for_tests() {
    FAULT_ARMED.store(true, Ordering::SeqCst);
    RUNTIME.with(|slot| {
        if let Some(runtime) = slot.borrow().as_ref() {
            runtime.schedule();
        }
    });
}

/// What can take keyboard focus, for giving it back after the gate closes.
const FOCUSABLE: &str =
    "button, a[href], input, select, textarea, [role=\"button\"], [tabindex]:not([tabindex=\"-1\"])";

/// Starts the content core in this page. `fallback` tells the background which build is running:
/// the JavaScript one, or wasm (the loader logs why the wasm build was refused, if it was).
/// `extension_api` is the loader's `chrome` object (see [`browser::set_api_root`]).
/// `site_pack` is the bundled pack of this page's site (its JSON text), injected for this site
/// only by the manifest's content-script entry for it (`wasm/sitepacks/<site>.js`, written by
/// `cargo xtask dist`): the core carries no pack of its own. `ui` is the renderer of
/// `content/ui.js`, which draws the overlays ([`overlay`]).
///
/// Never throws into the page: every failure is reported to the background and logged.
#[wasm_bindgen]
pub fn start_content(fallback: bool, extension_api: JsValue, site_pack: Option<String>, ui: Ui) {
    browser::set_api_root(extension_api);
    let engine = if fallback {
        Engine::Fallback
    } else {
        Engine::Wasm
    };
    let Some(href) = web_sys::window().and_then(|window| window.location().href().ok()) else {
        return;
    };
    // The manifest only injects on supported hosts; anything else means a stale match list.
    let Some(site) = Site::from_url(&href) else {
        return;
    };
    // Protect the page at once with the bundled pack. The background answers the hello with the
    // pack the user imported, if one is active: the runtime then switches to it (waiting for that
    // answer first would leave the page unprotected while the service worker wakes).
    let Some(bundled) = site_pack
        .and_then(|text| decode_checked_pack(&text).ok())
        .filter(|pack| pack.site == site)
    else {
        send(ContentRequest::Health {
            site,
            health: Health::Degraded("no site pack".into()),
        });
        return;
    };
    match Runtime::start(site, engine, bundled, ui) {
        Ok(runtime) => {
            RUNTIME.with(|slot| *slot.borrow_mut() = Some(runtime));
            tab::listen();
        }
        Err(error) => {
            send(ContentRequest::EngineFailed {
                site: Some(site),
                reason: browser::describe(error),
            });
            return;
        }
    }
    ask(
        ContentRequest::Hello { site, engine },
        UNREACHABLE,
        Box::new(move |reply| {
            // The background names the pack to read with: the user's import when one is active
            // (none: the bundled one stays).
            if let Some(ContentReply::Content {
                body: ContentResponse::Started { pack },
            }) = reply
            {
                let runtime = RUNTIME.with(|slot| slot.borrow().clone());
                if let Some(runtime) = runtime {
                    runtime.switch_pack(pack);
                }
            }
        }),
    );
}

thread_local! {
    static RUNTIME: RefCell<Option<Rc<Runtime>>> = const { RefCell::new(None) };
}

/// Sends a report to the background and forgets about it (failures are logged).
fn send(request: ContentRequest) {
    ask(request, UNREACHABLE, Box::new(|_| {}));
}

/// The console's words for a request that got no reply.
const UNREACHABLE: &str = "background unreachable: ";

/// What to do with a request's reply (`None`: there was none).
type Then = Box<dyn FnOnce(Option<ContentReply>)>;

/// Sends `request` to the background and hands the reply to `then`; a failure is logged as
/// `Ask First: <failed><error>` (nothing when `failed` is empty) and handed over as `None`.
/// The one way every request of the content core goes: a future per call site carried a copy
/// of the sending and of its task each.
fn ask(request: ContentRequest, failed: &'static str, then: Then) {
    browser::send_content(
        &request,
        Box::new(move |reply| {
            let reply = match reply {
                Ok(reply) => Some(reply),
                Err(error) => {
                    if !failed.is_empty() {
                        browser::warn_with(failed, &error);
                    }
                    None
                }
            };
            then(reply);
        }),
    );
}

/// The dialog being watched.
struct Active {
    root: Element,
    /// A bulk warning for this dialog was already reported.
    warned: bool,
    /// Read by the page's structure: its add control, when the structure told one.
    structural: Option<Option<Element>>,
}

struct State {
    href: String,
    group: Option<GroupRef>,
    context: Option<ContentContext>,
    /// When to scan: core's state machine ([`Scheduler`]).
    scheduler: Scheduler,
    active: Option<Active>,
    notice: Option<Shown>,
    gate: Option<OpenGate>,
    /// The confirm control the user let through in the gate ("I asked them"): the core's own
    /// click on it, then the user's next real click while the pass lasts ([`intent::Pass`]).
    pass: Option<(Element, Pass)>,
    health: Health,
    /// Adds confirmed here since the context was fetched (for the sequential rule).
    added_since_context: u32,
    /// The add the user let through in the gate: the platform's own confirmation of it is not
    /// asked about again.
    approval: Option<Approval>,
    /// Leaves, re-additions and the re-add flag ([`readd`]).
    added: readd::AddedState,
    /// What the page reading remembers between scans.
    reader: Reader<Element>,
    /// The add dialog read last on this page, for the site check.
    last_read: Option<tab::LastReadState>,
}

struct OpenGate {
    /// The gate's host on the page.
    host: Element,
    /// The element the user clicked, clicked again on "I asked them".
    target: Element,
    observation: Observation,
    /// The pack's id of the dialog it holds back.
    dialog: String,
    /// The people the message asks, in the order of the "they said yes" panel's boxes.
    to_ask: Vec<String>,
    /// The panel's boxes the user ticked (`data-yes` value → ticked), from their own clicks
    /// only (the renderer passes no other): a page script's ticks never mark anyone. The last
    /// click on a box decides. A list, not a map: a few dozen boxes at most, and a map of these
    /// brought its own copy of the B-tree code into the content build.
    ticks: Vec<(String, bool)>,
}

struct Runtime {
    site: Site,
    /// Which build runs: the wasm module or its JavaScript fallback.
    engine: Engine,
    /// The bundled pack, or the one the user imported once the background said so.
    pack: RefCell<Rc<SitePack>>,
    /// The site's bundled pack the page was started with, to go back to on a reset.
    bundled: Rc<SitePack>,
    pack_source: std::cell::Cell<PackSource>,
    /// The text of the imported pack in use (the background's serialisation of it), to tell a
    /// delivery of the same pack again: comparing the decoded packs field by field took 1.9 KB
    /// of the content core.
    imported_text: RefCell<String>,
    state: RefCell<State>,
    frame: Closure<dyn FnMut()>,
    quiet: Closure<dyn FnMut()>,
    observer: MutationObserver,
    /// What the observer watches, to switch it on again after a poll.
    observed: Element,
    observe_options: MutationObserverInit,
    /// The renderer of the overlays.
    ui: Ui,
    // Kept alive for as long as the page lives.
    _listeners: Vec<Closure<dyn FnMut(Event)>>,
    _on_mutation: Closure<dyn FnMut()>,
    _on_action: Closure<dyn FnMut(String, String)>,
}

impl Runtime {
    fn start(site: Site, engine: Engine, pack: SitePack, ui: Ui) -> Result<Rc<Runtime>, JsValue> {
        let pack = Rc::new(pack);
        let document = document()?;
        let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
        let init = MutationObserverInit::new();
        init.set_child_list(true);
        init.set_subtree(true);
        init.set_attributes(true);
        init.set_character_data(true);
        let watched = js_sys::Array::new();
        for name in [
            "aria-checked",
            "checked",
            "aria-selected",
            "aria-label",
            "hidden",
            "style",
            "open",
        ] {
            watched.push(&name.into());
        }
        init.set_attribute_filter(&watched);
        let observed = document
            .document_element()
            .ok_or_else(|| JsValue::from_str("no document element"))?;
        let runtime = Rc::new_cyclic(|weak: &std::rc::Weak<Runtime>| {
            let frame_weak = weak.clone();
            let frame = Closure::<dyn FnMut()>::new(move || {
                if let Some(runtime) = frame_weak.upgrade() {
                    runtime.on_frame();
                }
            });
            let quiet_weak = weak.clone();
            let quiet = Closure::<dyn FnMut()>::new(move || {
                if let Some(runtime) = quiet_weak.upgrade() {
                    runtime.on_quiet();
                }
            });
            let mutation_weak = weak.clone();
            let on_mutation = Closure::<dyn FnMut()>::new(move || {
                if let Some(runtime) = mutation_weak.upgrade() {
                    runtime.on_mutation();
                }
            });
            let observer = MutationObserver::new(on_mutation.as_ref().unchecked_ref())
                .expect("MutationObserver is available in every supported browser");
            let mut listeners = Vec::new();
            let click_weak = weak.clone();
            listeners.push(Closure::<dyn FnMut(Event)>::new(move |event: Event| {
                if let Some(runtime) = click_weak.upgrade() {
                    runtime.on_click(&event);
                }
            }));
            // One function for the four events of [`Runtime::on_input`].
            let input_weak = weak.clone();
            listeners.push(Closure::<dyn FnMut(Event)>::new(move |event: Event| {
                if let Some(runtime) = input_weak.upgrade() {
                    runtime.on_input(&event);
                }
            }));
            // The user's actions in the overlays, one handler for the page's life.
            let action_weak = weak.clone();
            let on_action =
                Closure::<dyn FnMut(String, String)>::new(move |action: String, detail: String| {
                    if let Some(runtime) = action_weak.upgrade() {
                        runtime.overlay_action(&action, detail);
                    }
                });
            ui.listen(on_action.as_ref().unchecked_ref());
            Runtime {
                site,
                engine,
                pack: RefCell::new(Rc::clone(&pack)),
                bundled: pack,
                pack_source: std::cell::Cell::new(PackSource::Bundled),
                imported_text: RefCell::default(),
                state: RefCell::new(State {
                    href: String::new(),
                    group: None,
                    context: None,
                    scheduler: Scheduler::default(),
                    active: None,
                    notice: None,
                    gate: None,
                    pass: None,
                    health: Health::Unknown,
                    added_since_context: 0,
                    approval: None,
                    added: Default::default(),
                    reader: Reader::default(),
                    last_read: None,
                }),
                frame,
                quiet,
                observer,
                observed,
                observe_options: init,
                ui,
                _listeners: listeners,
                _on_mutation: on_mutation,
                _on_action: on_action,
            }
        });
        let options = web_sys::AddEventListenerOptions::new();
        options.set_capture(true);
        let events = ["click", "change", "input", "popstate", "hashchange"];
        for (index, name) in events.into_iter().enumerate() {
            // The click's own listener, then the one of the other four.
            let listener = &runtime._listeners[index.min(1)];
            window.add_event_listener_with_callback_and_add_event_listener_options(
                name,
                listener.as_ref().unchecked_ref(),
                &options,
            )?;
        }
        runtime
            .observer
            .observe_with_options(&runtime.observed, &runtime.observe_options)?;
        runtime.schedule();
        Ok(runtime)
    }

    /// The state, to read. Not inlined, like [`Runtime::state_mut`]: one copy of the borrow
    /// check and its panic path instead of one per use (some sixty).
    #[inline(never)]
    fn state(&self) -> std::cell::Ref<'_, State> {
        self.state.borrow()
    }

    /// The state, to change.
    #[inline(never)]
    fn state_mut(&self) -> std::cell::RefMut<'_, State> {
        self.state.borrow_mut()
    }

    fn pack(&self) -> Rc<SitePack> {
        self.pack.borrow().clone()
    }

    /// The background named the pack to read with: in its answer to the hello, or because the
    /// imported packs changed (an import, a reset, a restored export). Read the site with the
    /// delivered pack when it reads and supersedes the bundled one, else with the bundled pack,
    /// and scan the page again with it. No reload needed. The background checked the pack's
    /// rules on import and on load, so only its shape is read here.
    fn switch_pack(&self, delivered: Option<String>) {
        let imported = delivered
            .and_then(|text| Some((decode_checked_pack(&text).ok()?, text)))
            .filter(|(pack, _)| pack.site == self.site);
        match imported {
            Some((imported, text)) if active_over(&self.bundled, &imported) => {
                // The background serialises a pack the same way every time: the same text is
                // the same pack.
                let same = self.pack_source.get() == PackSource::Imported
                    && *self.imported_text.borrow() == text;
                if !same {
                    self.use_pack(imported, text);
                }
            }
            _ => {
                if self.pack_source.get() == PackSource::Imported {
                    *self.pack.borrow_mut() = Rc::clone(&self.bundled);
                    self.pack_source.set(PackSource::Bundled);
                    self.clear_dialog();
                    self.schedule();
                }
            }
        }
    }

    /// Reads the site with `pack` (imported, read from `text`) from now on (the dialog being
    /// read is read again with it).
    fn use_pack(&self, pack: SitePack, text: String) {
        *self.pack.borrow_mut() = Rc::new(pack);
        *self.imported_text.borrow_mut() = text;
        self.pack_source.set(PackSource::Imported);
        self.clear_dialog();
        self.schedule();
    }

    /// The user acted (click, input, navigation): scan every change in the next frame for a
    /// while; polling ends before the site's own handler changes the page.
    /// Only for the user's own input (`isTrusted`): a page that dispatches events all the time
    /// must not keep its own churn from being polled, nor count as the user acting (which has
    /// the page's structure read). Ignored when it comes re-entrantly, from page code one of the
    /// core's own DOM calls ran.
    fn heat(&self) {
        let Ok(mut state) = self.state.try_borrow_mut() else {
            return;
        };
        let steps = state.scheduler.heat(browser::now_ms());
        drop(state);
        self.run_steps(steps);
    }

    /// `change`, `input`, `popstate`, `hashchange` on the window: the user's own keep the scans
    /// urgent ([`Runtime::heat`]); the same events dispatched by a page script do nothing (a
    /// page that dispatches `input` every 100 ms must not keep its own churn from being polled).
    fn on_input(&self, event: &Event) {
        if !event.is_trusted() {
            return;
        }
        self.heat();
        self.schedule();
    }

    /// Back to observing every change (a dialog of the pack is open).
    fn stop_polling(&self) {
        let steps = self.state_mut().scheduler.stop_polling();
        self.run_steps(steps);
    }

    /// Carries out what the scheduler asked for, scanning first when it asked to scan now.
    fn apply(self: &Rc<Self>, steps: Steps) {
        if steps.scan_now {
            self.scan_logged();
        }
        self.run_steps(steps);
    }

    /// Carries out the scheduler's steps other than a scan: the frame, the observer, the timer.
    fn run_steps(&self, steps: Steps) {
        let Some(window) = web_sys::window() else {
            return;
        };
        if steps.request_frame {
            let _ = window.request_animation_frame(self.frame.as_ref().unchecked_ref());
        }
        if steps.connect {
            // Observing the same node again replaces the registration: never two.
            if let Err(error) = self
                .observer
                .observe_with_options(&self.observed, &self.observe_options)
            {
                browser::warn_error(error);
            }
        }
        if steps.disconnect {
            self.observer.disconnect();
        }
        if let Some(delay) = steps.timer {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                self.quiet.as_ref().unchecked_ref(),
                delay,
            );
        }
    }

    /// The quiet timer ([`Scheduler::on_quiet`]).
    fn on_quiet(self: &Rc<Self>) {
        let steps = self.state_mut().scheduler.on_quiet(browser::now_ms());
        self.apply(steps);
    }

    /// A page change ([`Scheduler::on_mutation`]); urgent while a dialog of the pack or the gate
    /// is open.
    fn on_mutation(self: &Rc<Self>) {
        let steps = {
            let mut state = self.state_mut();
            let open = state.active.is_some() || state.gate.is_some();
            state.scheduler.on_mutation(browser::now_ms(), open)
        };
        self.apply(steps);
    }

    /// Asks for one scan in the next animation frame ([`Scheduler::schedule`]).
    fn schedule(&self) {
        // Re-entrant (page code run by one of the core's own DOM calls): the scan that follows
        // that call reads the page anyway.
        let Ok(mut state) = self.state.try_borrow_mut() else {
            return;
        };
        let steps = state.scheduler.schedule();
        drop(state);
        self.run_steps(steps);
    }

    fn on_frame(self: &Rc<Self>) {
        let run = self.state_mut().scheduler.on_frame();
        if !run {
            return;
        }
        self.scan_logged();
    }

    fn scan_logged(self: &Rc<Self>) {
        if let Err(error) = self.scan() {
            browser::warn_error(error);
        }
    }

    fn scan(self: &Rc<Self>) -> Result<(), JsValue> {
        if FAULT_ARMED.swap(false, Ordering::SeqCst) {
            panic!("fault injected by the end-to-end suite");
        }
        let dom = DomPage::new(document()?);
        let pack = self.pack();
        let (page_title, href, group) = self.shown_on(&dom, &pack);
        // The page's structure is read while the user acts or a picker it found is open: a
        // people picker opens and fills through the user's clicks.
        let by_structure = {
            let state = self.state();
            state.scheduler.acting(browser::now_ms())
                || state
                    .active
                    .as_ref()
                    .is_some_and(|a| a.structural.is_some())
        };
        let read =
            reading::read_add_dialog(&dom, &pack, &mut self.state_mut().reader, by_structure);
        let group_name = read
            .as_ref()
            .and_then(|dialog| dialog.group_name.clone())
            .or(page_title.clone())
            .unwrap_or_default();
        self.follow_navigation(&href, group.clone());
        self.report_health(&dom, read.as_ref());
        self.scan_added(&dom, group.as_ref(), page_title.as_deref(), &href);

        let Some(facts) = read else {
            self.clear_dialog();
            return Ok(());
        };
        // A dialog that just appeared asks for the settings again, so a pause (or any change)
        // made in the popup or the options page since the page loaded applies to it.
        let appeared = self
            .state()
            .active
            .as_ref()
            .is_none_or(|active| active.root != facts.root);
        if appeared {
            self.fetch_context(group.clone());
        }
        let observation = self.observe(&facts, group, &group_name);
        let verdict = self.verdict(&observation, &facts);
        self.show(&facts, observation, verdict)
    }

    /// What the page shows of its group: the pack's reading of its name, the page's address and
    /// the group. Not inlined: the scan and the clicks each read it.
    #[inline(never)]
    fn shown_on(
        &self,
        dom: &DomPage,
        pack: &SitePack,
    ) -> (Option<String>, String, Option<GroupRef>) {
        let page_title = reading::page_group_name(dom, pack);
        let href = dom.href();
        let group = GroupRef::from_page(self.site, &href, page_title.as_deref());
        (page_title, href, group)
    }

    /// Single-page navigation: a new URL (or WhatsApp chat) means a new group and new context.
    fn follow_navigation(self: &Rc<Self>, href: &str, group: Option<GroupRef>) {
        let changed = {
            let mut state = self.state_mut();
            let changed = state.href != href || state.group != group;
            if changed {
                state.href = href.to_owned();
                state.group = group.clone();
            }
            changed
        };
        if changed {
            self.fetch_context(group);
        }
    }

    fn fetch_context(self: &Rc<Self>, group: Option<GroupRef>) {
        let runtime = Rc::clone(self);
        let request = ContentRequest::PageContext {
            site: self.site,
            group: group.clone(),
            ui_language: ui_locale(),
        };
        ask(
            request,
            "no settings yet: ",
            Box::new(move |reply| match reply {
                Some(ContentReply::Content {
                    body: ContentResponse::Context { context },
                }) => {
                    let mut state = runtime.state_mut();
                    // A late answer for a group the page already left is stale.
                    if state.group == group {
                        state.context = Some(context);
                        state.added_since_context = 0;
                        state.added.context_for = group;
                    }
                    drop(state);
                    runtime.schedule();
                }
                Some(other) => browser::warn_with("unexpected ", &readd::kind_of(&other)),
                None => {}
            }),
        );
    }

    fn report_health(&self, dom: &DomPage, read: Option<&AddDialog<Element>>) {
        let health = match reading::reading_now(dom, &self.pack(), read) {
            Reading::Pack => match read.and_then(|dialog| {
                dialog
                    .selected
                    .is_none()
                    .then_some(dialog.read_by.dialog_id())
            }) {
                None => Health::Ok,
                Some(id) => Health::Degraded(format!(
                    "the {id} dialog was found but its selection could not be read"
                )),
            },
            Reading::Structure => Health::Degraded(
                "the site pack did not recognise the add dialog; it was read by its structure"
                    .into(),
            ),
            Reading::Unread => Health::Degraded(
                "a dialog is open beside the add button that neither the site pack nor the \
                 page's structure reads"
                    .into(),
            ),
            Reading::Idle => return,
        };
        let mut state = self.state_mut();
        if state.health != health {
            state.health = health.clone();
            drop(state);
            send(ContentRequest::Health {
                site: self.site,
                health,
            });
        }
    }

    fn observe(
        &self,
        facts: &AddDialog<Element>,
        group: Option<GroupRef>,
        group_name: &str,
    ) -> Observation {
        // An unreadable count still deserves the generic warning at the confirm click: count
        // the names we could read, at least one person.
        let selected = facts
            .selected
            .unwrap_or_else(|| u32::try_from(facts.names.len()).unwrap_or(u32::MAX).max(1));
        Observation {
            site: self.site,
            dialog: facts.kind,
            group,
            group_name: (!group_name.is_empty()).then(|| group_name.to_owned()),
            selected,
            names: facts.names.clone(),
            now: browser::now_ms(),
        }
    }

    fn rule_inputs(&self, observation: &Observation) -> RuleInputs {
        let state = self.state();
        match &state.context {
            Some(context) => {
                let mut inputs = context.rule_inputs(observation.now);
                inputs.added_in_window += state.added_since_context;
                inputs
            }
            // Until the background answers, decide with the documented defaults.
            None => RuleInputs::defaults(state.added_since_context),
        }
    }

    fn approved(&self, observation: &Observation, dialog: &str) -> bool {
        self.state()
            .approval
            .as_ref()
            .is_some_and(|approval| approval.covers(observation, dialog))
    }

    fn verdict(&self, observation: &Observation, dialog: &AddDialog<Element>) -> Verdict {
        if self.approved(observation, dialog.read_by.dialog_id()) {
            return Verdict::nothing();
        }
        let verdict = evaluate_with(observation, &self.rule_inputs(observation));
        match dialog.read_by {
            ReadBy::Pack { .. } => verdict,
            ReadBy::Structure { .. } => by_structure(verdict, dialog.confirm.is_some()),
        }
    }

    fn show(
        &self,
        facts: &AddDialog<Element>,
        observation: Observation,
        verdict: Verdict,
    ) -> Result<(), JsValue> {
        let (warned, notice) = {
            let mut state = self.state_mut();
            let same_dialog = state.active.as_ref().is_some_and(|a| a.root == facts.root);
            let warned = same_dialog && state.active.as_ref().is_some_and(|a| a.warned);
            (warned, state.notice.take())
        };
        let kind = match verdict.level {
            Level::Nothing => None,
            Level::Note => Some(OverlayKind::Note),
            Level::Warn | Level::Gate => Some(OverlayKind::Warn),
        };
        let mut report_warned = None;
        if verdict.level >= Level::Warn && !warned {
            report_warned = Some(if verdict.level == Level::Gate {
                AddOutcomeKind::BulkWarned
            } else {
                AddOutcomeKind::SequentialWarned
            });
        }
        // The notice is placed with no state in use (DOM calls may run page code).
        let mut notice = notice;
        let placed = self.place_notice(&mut notice, kind, &verdict, &facts.root);
        let mut state = self.state_mut();
        state.notice = notice;
        placed?;
        state.last_read = Some(tab::LastReadState {
            by: match facts.read_by {
                ReadBy::Pack { .. } => ReadKind::Pack,
                ReadBy::Structure { .. } => ReadKind::Structure,
            },
            dialog: facts.read_by.dialog_id().to_owned(),
            selected: observation.selected,
            at: observation.now,
        });
        state.active = Some(Active {
            root: facts.root.clone(),
            warned: warned || report_warned.is_some(),
            structural: match facts.read_by {
                ReadBy::Pack { .. } => None,
                ReadBy::Structure { .. } => Some(facts.confirm.clone()),
            },
        });
        drop(state);
        // A dialog is open: every change in it counts at once.
        self.stop_polling();
        if let Some(outcome) = report_warned {
            self.report_outcome(&observation, outcome);
        }
        Ok(())
    }

    /// The dialog is gone (or read again from scratch): its notice goes, and so does a pass
    /// for its control.
    fn clear_dialog(&self) {
        let notice = {
            let mut state = self.state_mut();
            state.active = None;
            state.pass = None;
            state.notice.take()
        };
        if let Some(notice) = notice {
            notice.remove();
        }
    }

    fn report_outcome(&self, observation: &Observation, outcome: AddOutcomeKind) {
        send(ContentRequest::AddOutcome {
            site: self.site,
            group: observation.group.clone(),
            group_name: observation.group_name.clone(),
            outcome,
            count: observation.selected,
        });
    }

    /// An add went through: counted for the sequential rule, and remembered so that the
    /// platform's own confirmation of it is neither counted nor asked about again.
    fn add_confirmed(&self, observation: &Observation, dialog: &str) {
        // People who said yes do not count toward the sequential window either.
        let count = self.rule_inputs(observation).counted(observation);
        {
            let mut state = self.state_mut();
            state.added_since_context += count;
            state.approval = Some(Approval::of(observation, dialog));
        }
        send(ContentRequest::AddConfirmed {
            site: self.site,
            group: observation.group.clone(),
            count,
        });
    }

    /// Capture-phase click handler on the window: runs before any handler of the site.
    ///
    /// Only the user's own clicks (`isTrusted`) record a leave or a rejoin and make the scans
    /// urgent; a page script's click may still open the gate (harmless: the gate asks the user),
    /// never pass it, and has the page read in the next frame like any click (what it changed may
    /// show in no mutation: a checkbox's `checked`).
    fn on_click(self: &Rc<Self>, event: &Event) {
        // Re-entrant: page code that one of the core's own DOM calls ran dispatched a click.
        // It is no user's, and the state is in use.
        if self.state.try_borrow_mut().is_err() {
            return;
        }
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        let trusted = event.is_trusted();
        if trusted {
            self.heat();
        }
        // The control the user let through in the gate.
        if self.passes(&target, trusted) {
            return;
        }
        // A leave confirmation or a join (recorded, never stopped).
        if trusted {
            self.click_added(&target);
        }
        // Most clicks (ticking a person) are not on a confirm control: find that out without
        // reading the whole dialog, and leave the reading to the next frame.
        let Ok(document) = document() else { return };
        let dom = DomPage::new(document);
        let pack = self.pack();
        // The add control of a picker the page's structure showed in the last scan.
        let structural = self
            .state()
            .active
            .as_ref()
            .and_then(|active| active.structural.clone().flatten())
            .is_some_and(|control| control.contains(Some(&target)));
        if !structural && !reading::may_be_confirm(&dom, &target, &pack) {
            self.schedule();
            return;
        }
        // Read the dialog now: the selection may have changed since the last frame.
        let read = reading::read_add_dialog(&dom, &pack, &mut self.state_mut().reader, structural);
        let Some(facts) = read else {
            self.schedule();
            return;
        };
        let Some(confirm) = facts.confirm.as_ref() else {
            self.schedule();
            return;
        };
        // The control a user clicks may be the button around the pack's element (an icon).
        if !reading::clickable(&dom, &facts.root, confirm).contains(Some(&target)) {
            self.schedule();
            return;
        }
        let (page_title, _, group) = self.shown_on(&dom, &pack);
        let group_name = facts.group_name.clone().or(page_title).unwrap_or_default();
        let observation = self.observe(&facts, group, &group_name);
        let dialog = facts.read_by.dialog_id().to_owned();
        if self.approved(&observation, &dialog) {
            // The platform's own confirmation of an add the user already confirmed: once.
            self.state_mut().approval = None;
            return;
        }
        let verdict = self.verdict(&observation, &facts);
        if !verdict.gate_confirm {
            self.add_confirmed(&observation, &dialog);
            return;
        }
        if self.state().gate.is_some() {
            // The gate is open already (a script clicked the control behind it): held back.
            event.prevent_default();
            event.stop_immediate_propagation();
            return;
        }
        // The click is held back only once the gate stands: a gate that cannot be shown must
        // not leave the site's button dead.
        match self.open_gate(target, observation, dialog, group_name) {
            Ok(()) => {
                event.prevent_default();
                event.stop_immediate_propagation();
            }
            Err(error) => browser::warn_with(
                "the gate could not be shown, the click goes through: ",
                &browser::describe(error),
            ),
        }
    }

    /// Whether a click on `target` goes through as the one the user let through in the gate
    /// ([`Pass::admit`]); a pass that ran out is dropped.
    fn passes(&self, target: &Element, trusted: bool) -> bool {
        let mut state = self.state_mut();
        let now = browser::now_ms();
        let Some((control, pass)) = state.pass.as_mut() else {
            return false;
        };
        let verdict = if control.contains(Some(target)) {
            pass.admit(trusted, now)
        } else {
            PassUse::No
        };
        match verdict {
            PassUse::Through => true,
            PassUse::ThroughAndDone => {
                state.pass = None;
                true
            }
            PassUse::No => {
                if pass.expired(now) {
                    state.pass = None;
                }
                false
            }
        }
    }

    fn open_gate(
        self: &Rc<Self>,
        target: Element,
        observation: Observation,
        dialog: String,
        group_name: String,
    ) -> Result<(), JsValue> {
        if self.state().gate.is_some() {
            return Ok(());
        }
        // People who said yes are not asked again: the message and the panel are for the others.
        let inputs = self.rule_inputs(&observation);
        let said_yes = inputs.said_yes(&observation);
        let mut to_ask = inputs.to_ask(&observation);
        to_ask.truncate(ask_first_core::agreed::MAX_AGREED_PER_MARK);
        let (lang, message) = self.ask_text(&group_name, &to_ask);
        let shown_group = if group_name.is_empty() {
            t(key!("gateThisGroup"))
        } else {
            group_name.clone()
        };
        let count = observation.selected.to_string();
        let body_key = match observation.dialog {
            DialogKind::Direct => key!("gateBodyDirect"),
            DialogKind::Invite => key!("gateBodyInvite"),
        };
        let mut lines = vec![t_with(body_key, &[&count, &shown_group])];
        if said_yes > 0 {
            lines.push(reason_text(&said_yes_reason(
                said_yes,
                observation.selected,
            )));
        }
        lines.push(t(key!("gateAdvice")));
        let yes = (!to_ask.is_empty()).then(|| YesPanel {
            names: to_ask.clone(),
            heading: t(key!("yesGateHeading")),
            help: t(key!("yesGateHelp")),
            only_group: observation
                .group
                .is_some()
                .then(|| t_with(key!("yesGateOnlyGroup"), &[&shown_group])),
            mark: t(key!("yesGateMark")),
        });
        let mut buttons = vec![
            ("ask", t(key!("gateAsk"))),
            ("proceed", t(key!("gateProceed"))),
            ("cancel", t(key!("gateCancel"))),
        ];
        if yes.is_some() {
            buttons.push(("yes-open", t(key!("yesGateOpen"))));
        }
        let view = Overlay {
            buttons,
            message: Some(Message {
                label: t_with(
                    if lang == Lang::De {
                        key!("gateMessageLabelDe")
                    } else {
                        key!("gateMessageLabelEn")
                    },
                    &[],
                ),
                text: message,
            }),
            yes,
            ..Overlay::text(OverlayKind::Gate, t(key!("gateTitle")), lines)
        };
        // Inside the site's dialog, so its focus trap lets focus into the gate.
        let parent = self
            .state()
            .active
            .as_ref()
            .map(|active| active.root.clone())
            .or_else(|| document().ok().and_then(|d| d.body().map(Element::from)))
            .ok_or_else(|| JsValue::from_str("no place on the page for the gate"))?;
        let host = overlay::open(&self.ui, &view, &parent)?;
        // One "warned" per dialog: the live warning usually reported it already.
        let already_warned = {
            let mut state = self.state_mut();
            match state.active.as_mut() {
                Some(active) => std::mem::replace(&mut active.warned, true),
                None => false,
            }
        };
        if !already_warned {
            self.report_outcome(&observation, AddOutcomeKind::BulkWarned);
        }
        self.state_mut().gate = Some(OpenGate {
            host: host.clone(),
            target,
            observation,
            dialog,
            to_ask,
            ticks: Default::default(),
        });
        // Last, with no state in use: focus runs the page's focus listeners.
        self.ui.focus(&host);
        Ok(())
    }

    /// Shows the notice of `kind` (none: removes it) with the verdict's texts in `dialog`.
    fn place_notice(
        &self,
        notice: &mut Option<Shown>,
        kind: Option<OverlayKind>,
        verdict: &Verdict,
        dialog: &Element,
    ) -> Result<(), JsValue> {
        match kind {
            Some(kind) => {
                overlay::show(&self.ui, notice, &notice_view(kind, verdict), dialog, false)
            }
            None => {
                overlay::hide(notice);
                Ok(())
            }
        }
    }

    fn ask_text(&self, group_name: &str, names: &[String]) -> (Lang, String) {
        let state = self.state();
        let defaults = Templates::default();
        let (lang, templates) = match &state.context {
            Some(context) => (context.lang, &context.templates),
            None => (Language::default().resolve(&ui_locale()), &defaults),
        };
        (lang, ask_message(templates, lang, group_name, names))
    }

    /// The user's own click (or key) in an overlay, as the renderer passes it on: `detail` is
    /// the box of a tick, or the boxes shown ticked at "mark as said yes".
    fn overlay_action(self: &Rc<Self>, action: &str, detail: String) {
        match action {
            "tick" | "untick" => self.gate_tick(detail, action == "tick"),
            "dismiss" | "rejoined" | "leave-again" => self.banner_action(action),
            "yes" => self.mark_agreed(&detail),
            _ => self.gate_action(action),
        }
    }

    fn gate_action(self: &Rc<Self>, action: &str) {
        match action {
            "proceed" => {
                let Some(open) = self.close_gate() else {
                    return;
                };
                self.report_outcome(&open.observation, AddOutcomeKind::Proceeded);
                self.add_confirmed(&open.observation, &open.dialog);
                // The core clicks the control itself; a site that ignores a script's click
                // (it checks `isTrusted`) gets the user's next real click on it without the
                // gate, while the pass lasts.
                let control = open
                    .target
                    .closest("button, [role=button], a[href]")
                    .ok()
                    .flatten()
                    .unwrap_or_else(|| open.target.clone());
                self.state_mut().pass = Some((control, Pass::new(browser::now_ms())));
                if let Some(target) = open.target.dyn_ref::<HtmlElement>() {
                    target.click();
                } else {
                    // An SVG icon inside the control: dispatch a click that bubbles like one.
                    let init = web_sys::MouseEventInit::new();
                    init.set_bubbles(true);
                    init.set_cancelable(true);
                    init.set_composed(true);
                    if let Ok(click) =
                        web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init)
                    {
                        let _ = open.target.dispatch_event(&click);
                    }
                }
                if let Some((_, pass)) = self.state_mut().pass.as_mut() {
                    pass.own_click_done();
                }
            }
            "ask" => self.copy_ask_message(),
            "yes-open" => self.show_yes(true),
            "cancel" => {
                let Some(open) = self.close_gate() else {
                    return;
                };
                self.report_outcome(&open.observation, AddOutcomeKind::Cancelled);
                // Focus goes back to the control the user activated: the click's target may be
                // an icon inside it, which cannot take focus itself.
                let control = open
                    .target
                    .closest(FOCUSABLE)
                    .ok()
                    .flatten()
                    .unwrap_or_else(|| open.target.clone());
                if let Some(control) = control.dyn_ref::<HtmlElement>() {
                    let _ = control.focus();
                }
            }
            _ => {}
        }
    }

    fn close_gate(&self) -> Option<OpenGate> {
        let open = self.state_mut().gate.take()?;
        open.host.remove();
        Some(open)
    }

    fn copy_ask_message(self: &Rc<Self>) {
        let Some((host, observation)) = self
            .state()
            .gate
            .as_ref()
            .map(|open| (open.host.clone(), open.observation.clone()))
        else {
            return;
        };
        let runtime = Rc::clone(self);
        let copied = self.ui.copy(&host);
        let then = move |copied: bool| {
            runtime.ui.status(
                &host,
                &t(if copied {
                    key!("gateCopied")
                } else {
                    key!("gateCopyFailed")
                }),
            );
            if copied {
                runtime.report_outcome(&observation, AddOutcomeKind::AskCopied);
            }
            // Then the user can mark who said yes (focus stays where it is: the status says
            // what happened).
            runtime.show_yes(false);
        };
        browser::settled(
            &copied,
            Box::new(move |outcome| then(outcome.is_ok_and(|copied| copied.is_truthy()))),
        );
    }

    /// The user ticked or unticked a box of the "they said yes" panel.
    fn gate_tick(&self, key: String, checked: bool) {
        if let Some(open) = self.state_mut().gate.as_mut() {
            open.ticks.retain(|(ticked, _)| *ticked != key);
            open.ticks.push((key, checked));
        }
    }

    /// Shows the "they said yes" panel; on its button, focuses its first box (with no state in
    /// use: focus runs the page's focus listeners).
    fn show_yes(&self, focus: bool) {
        let host = self.state().gate.as_ref().map(|open| open.host.clone());
        if let Some(host) = host {
            self.ui.show_yes(&host, focus);
        }
    }

    /// "Mark as said yes": the ticked people (the user's own ticks, still shown ticked) go to
    /// the background, for this group only when that box is ticked too. They count no more
    /// from the next reading on.
    fn mark_agreed(self: &Rc<Self>, shown_ticked: &str) {
        let (names, keys, only_group, observation, host) = {
            let state = self.state();
            let Some(open) = state.gate.as_ref() else {
                return;
            };
            let ticked = |key: &str| {
                open.ticks.iter().any(|(ticked, on)| ticked == key && *on)
                    && shown_ticked.split(' ').any(|shown| shown == key)
            };
            let mut names = Vec::new();
            let mut keys = String::new();
            for (index, name) in open.to_ask.iter().enumerate() {
                let key = index.to_string();
                if ticked(&key) {
                    names.push(name.clone());
                    keys.push_str(&key);
                    keys.push(' ');
                }
            }
            (
                names,
                keys,
                ticked("group"),
                open.observation.clone(),
                open.host.clone(),
            )
        };
        if names.is_empty() {
            self.ui.status(&host, &t(key!("yesGateNone")));
            return;
        }
        let group = if only_group {
            observation.group.clone()
        } else {
            None
        };
        let request = ContentRequest::MarkAgreed {
            site: self.site,
            group,
            group_name: observation.group_name.clone(),
            names: names.clone(),
        };
        let runtime = Rc::clone(self);
        // A failure is not logged: the gate says it.
        let then: Then = Box::new(move |reply| {
            let saved = matches!(
                reply,
                Some(ContentReply::Content {
                    body: ContentResponse::Ack
                })
            );
            runtime.ui.status(
                &host,
                &t(if saved {
                    key!("yesGateMarked")
                } else {
                    key!("yesGateFailed")
                }),
            );
            if !saved {
                return;
            }
            runtime.ui.disable(&host, &keys);
            // The page decides with them at once, without waiting for a new context.
            if let Some(context) = runtime.state_mut().context.as_mut() {
                context.agreed.extend(names);
            }
            runtime.schedule();
        });
        ask(request, "", then);
    }
}

fn ui_locale() -> String {
    browser::i18n::ui_language()
}

/// The notice for a verdict, localised.
fn notice_view(kind: OverlayKind, verdict: &Verdict) -> Overlay {
    let title = t(if verdict.level == Level::Note {
        key!("noticeNoteTitle")
    } else {
        key!("noticeWarnTitle")
    });
    let lines = verdict.reasons.iter().map(reason_text).collect();
    Overlay::text(kind, title, lines)
}

/// One reason of a verdict, localised with its parameters.
fn reason_text(reason: &Reason) -> String {
    t_dynamic(&reason.id, &reason.values())
}
