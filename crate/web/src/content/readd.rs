//! The added side on the page: record the groups the user leaves, notice when someone adds (or
//! invites) them back, and flag it.
//!
//! - A leave is recorded when the user clicks the pack's leave confirmation (capture phase, so
//!   before the site closes the dialog), never on cancel, never from a page script's click
//!   (`isTrusted`); a "you left" system message records it
//!   too (a leave made on the phone), but only while the page shows the user is out, so an old
//!   message above a later re-addition is history, not a new leave.
//! - A re-addition is seen in a group the context says the user left: an "added you" message,
//!   or the page showing membership again. Messages are trusted only while the page does not
//!   show the user as out (an old message stays in the chat after leaving again).
//! - Each sighting carries an event id that is stable across reloads: the time the user last
//!   left plus a fingerprint of the message (or "visit"). The ledger counts each id once and at
//!   most one re-addition per leave, so reloads, scrolling and second tabs never count twice.
//! - A user who rejoins by themselves (their own click on the group's "Join" control, then the
//!   page shows them a member) rejoined on purpose: told to the background as such, and never
//!   counted as a re-addition.
//! - The flag is a banner in an open shadow root (`data-ask-first="readd"`, `role="alert"`),
//!   fixed at the top of the page; it never touches the site's nodes. Its buttons act only on
//!   the user's own clicks.

use std::rc::Rc;

use ask_first_core::intent::{self, Pending};
use ask_first_core::ledger::{ReAddNotice, ReAddResult};
use ask_first_core::model::GroupRef;
use ask_first_core::pack::MessageMeaning;
use ask_first_core::page::leave_path::{LeaveMove, LeaveRun};
use ask_first_core::page::{
    self, fingerprint, left_then_added, sighting_id, time_key, LeaveDialog, Membership, Message,
    SightingKind,
};
use ask_first_core::protocol::{
    ContentReply, ContentRequest, ContentResponse, LeftSummary, Refusal,
};
use ask_first_core::view::{Overlay, OverlayKind};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

use super::overlay::{self, Shown};
use super::page::DomPage;
use super::{ask, send, Runtime, Then, UNREACHABLE};
use crate::browser;
use crate::dom::document;
use crate::i18n::{t, t_with, ui_language};

/// Keys of the reports a page sent. A list, not a set: a page sends a handful, and a hash set
/// brought hashing code into the content build for them.
#[derive(Default)]
struct SentOnce(Vec<String>);

impl SentOnce {
    /// Whether `key` is new; remembers it.
    fn first_time(&mut self, key: &str) -> bool {
        if self.0.iter().any(|sent| sent == key) {
            return false;
        }
        self.0.push(key.to_owned());
        true
    }

    /// Forgets `key` (its report did not arrive: a later scan may send it again).
    fn forget(&mut self, key: &str) {
        self.0.retain(|sent| sent != key);
    }
}

/// The added side's part of the runtime state.
#[derive(Default)]
pub struct AddedState {
    /// Reports already sent from this page (leave keys and sighting ids): each goes once.
    sent: SentOnce,
    banner: Option<Banner>,
    hint: Option<Shown>,
    /// The user clicked a start control that leaves at once (Slack).
    pending_leave: Option<Pending<LeaveClick>>,
    /// The user clicked the group's "Join" control.
    pending_join: Option<Pending<GroupRef>>,
    /// The group the user rejoined by themselves on this page: no re-addition is looked for
    /// in it until they leave again.
    joined: Option<GroupRef>,
    /// The flag the user dismissed here: (group, kind, number).
    dismissed: Option<(GroupRef, bool, u32)>,
    /// The group the current context was fetched for (after a navigation the old context stays
    /// until the new one arrives; its `left` belongs to the old group).
    pub context_for: Option<GroupRef>,
    /// The signed-in user's name as the page last showed it (some sites show it only in a menu).
    self_name: Option<String>,
}

struct LeaveClick {
    group: GroupRef,
    name: String,
    url: String,
}

impl Runtime {
    /// Part of every scan: the leave hint, leaves shown by the page, re-additions, the flag.
    pub(super) fn scan_added(
        self: &Rc<Self>,
        dom: &DomPage,
        group: Option<&GroupRef>,
        page_title: Option<&str>,
        href: &str,
    ) {
        if !self.added_enabled() {
            let _ = self.update_hint(dom, None);
            self.remove_banner();
            return;
        }
        let pack = self.pack();
        let dialog = page::read_leave_dialog(dom, &pack);
        if let Err(error) = self.update_hint(dom, dialog.as_ref()) {
            browser::warn_error(error);
        }
        let Some(group) = group else {
            self.remove_banner();
            return;
        };
        let membership = page::membership(dom, &pack);
        let out = membership.is_out(&pack);
        self.finish_pending_leave(group, out);

        let left = {
            let state = self.state();
            if state.group.as_ref() != Some(group)
                || state.added.context_for.as_ref() != Some(group)
            {
                return;
            }
            match &state.context {
                // Until the background answered, nothing is known about this group.
                None => return,
                Some(context) => context.left.clone(),
            }
        };
        self.finish_pending_join(group, membership, left.as_ref());
        let self_name = page::self_name(dom, &pack);
        if self_name.is_some() {
            self.state_mut().added.self_name.clone_from(&self_name);
        }
        let known = self_name.or_else(|| self.state().added.self_name.clone());
        let messages = page::read_messages(dom, &pack, known.as_deref());

        // A "you left" message while the page shows the user out: a leave, maybe from the phone.
        let still_in = left.as_ref().is_some_and(|l| !l.is_out) || left.is_none();
        let says_left = messages
            .iter()
            .any(|m| m.meaning == MessageMeaning::YouLeft && m.about_self == Some(true));
        if out && still_in && says_left {
            let name = page_title
                .map(str::to_owned)
                .or_else(|| left.as_ref().map(|l| l.name.clone()))
                .unwrap_or_default();
            let since = left.as_ref().map_or(0.0, |l| l.last_left);
            self.record_leave(
                group.clone(),
                name,
                href.to_owned(),
                format!("message:{}", time_key(since)),
            );
        }

        // An untracked group whose chat shows the user left (on the phone) and was added back
        // since: record that leave, then the re-addition is seen as usual. Only for untracked
        // groups, so a reload (the group is tracked by then) can never count the leave twice.
        if left.is_none() && !out {
            if let Some(gone) = left_then_added(&messages, membership) {
                let name = page_title.map(str::to_owned).unwrap_or_default();
                self.record_leave(
                    group.clone(),
                    name,
                    href.to_owned(),
                    format!("history:{}", fingerprint(&gone.text)),
                );
            }
        }

        self.keep_banner();
        // Not a group the user left, or one they rejoined on purpose: nothing to flag.
        let Some(left) = left.filter(|l| l.flagging) else {
            self.remove_banner();
            return;
        };
        if out {
            // Left again (or still out): an old re-add flag no longer applies (a re-invitation's
            // does: invitations reach people who are out).
            let readd_flag = self
                .state()
                .added
                .banner
                .as_ref()
                .is_some_and(|b| !b.invitation);
            if readd_flag {
                self.remove_banner();
            }
        } else if self.state().added.joined.as_ref() == Some(group) {
            // The user rejoined by themselves here: no re-addition (the background hears it).
        } else if left.is_out || left.readditions > 0 {
            self.look_for_readdition(group, &left, &messages, membership);
        }
        if left.is_out {
            // The newest invitation only: every one on every load was counted again once the
            // ledger's memory of event ids (64 per group) had moved past it.
            if let Some(message) = page::newest_invitation(&messages) {
                let id = sighting_id(SightingKind::Invited(&message.text), left.last_left);
                self.report_sighting(group, id, message.actor.clone(), true);
            }
        }
    }

    fn look_for_readdition(
        self: &Rc<Self>,
        group: &GroupRef,
        left: &LeftSummary,
        messages: &[Message],
        membership: Membership,
    ) {
        if let Some(message) = page::newest_addition(messages, membership) {
            let id = sighting_id(SightingKind::Added(&message.text), left.last_left);
            self.report_sighting(group, id, message.actor.clone(), false);
        } else if membership == Membership::Member {
            let id = sighting_id(SightingKind::Visit, left.last_left);
            self.report_sighting(group, id, None, false);
        }
    }

    /// Sends a re-addition (or re-invitation) sighting once per page, then shows what the
    /// background says.
    fn report_sighting(
        self: &Rc<Self>,
        group: &GroupRef,
        event_id: String,
        actor: Option<String>,
        invitation: bool,
    ) {
        // `site|group|event`, pushed piece by piece (a `format!` costs more code).
        let mut key = String::from(group.site.id());
        for part in [&group.key, &event_id] {
            key.push('|');
            key.push_str(part);
        }
        if !self.state_mut().added.sent.first_time(&key) {
            return;
        }
        let request = if invitation {
            ContentRequest::Reinvited {
                group: group.clone(),
                event_id,
                actor,
            }
        } else {
            ContentRequest::SeenReadded {
                group: group.clone(),
                event_id,
                actor,
            }
        };
        let runtime = Rc::clone(self);
        let group = group.clone();
        let then: Then = Box::new(move |reply| {
            if !matches!(reply, Some(ContentReply::Content { .. })) {
                // Not stored: a later scan may send it again.
                runtime.state_mut().added.sent.forget(&key);
            }
            match reply {
                Some(ContentReply::Content {
                    body: ContentResponse::Readd { result },
                }) => {
                    let counted = matches!(result, ReAddResult::Counted { .. });
                    if let Some(notice) = result.notice().filter(|n| n.flag) {
                        if let Err(error) = runtime.show_banner(&group, notice, invitation) {
                            browser::warn_error(error);
                        }
                    }
                    if counted {
                        runtime.fetch_context(Some(group));
                    }
                }
                // Beyond the page's report budget (a page making up events): nothing to show.
                Some(ContentReply::Refused {
                    error: Refusal::OverBudget(_),
                }) => {}
                Some(other) => browser::warn_with("unexpected ", &kind_of(&other)),
                None => {}
            }
        });
        ask(request, UNREACHABLE, then);
    }

    /// Records a leave once per page and key, then refreshes the context.
    fn record_leave(self: &Rc<Self>, group: GroupRef, name: String, url: String, key: String) {
        let key = format!("leave|{}|{}|{key}", group.site.id(), group.key);
        {
            let mut state = self.state_mut();
            if !state.added.sent.first_time(&key) {
                return;
            }
            // Out again: a rejoin on this page is history.
            state.added.joined = None;
            state.added.pending_join = None;
        }
        self.remove_banner();
        let request = ContentRequest::LeftGroup {
            group: group.clone(),
            name,
            url: (!url.is_empty()).then_some(url),
        };
        self.tell_then_refresh(request, group);
    }

    /// Sends `request` about `group`, then (whether it arrived or not) refreshes the context.
    fn tell_then_refresh(self: &Rc<Self>, request: ContentRequest, group: GroupRef) {
        let runtime = Rc::clone(self);
        ask(
            request,
            UNREACHABLE,
            Box::new(move |_| runtime.fetch_context(Some(group))),
        );
    }

    /// Whether the user switched the extension off for this site (settings: the site's
    /// `enabled`); until the context arrives, it is on.
    fn added_enabled(&self) -> bool {
        self.state()
            .context
            .as_ref()
            .is_none_or(|context| context.enabled)
    }

    /// The group the page shows, for a leave or a join: the page, the group, its name (the
    /// page's title, else the name recorded when it was left) and the URL.
    fn shown_group(&self) -> Option<(DomPage, GroupRef, String, String)> {
        let dom = DomPage::new(document().ok()?);
        let (page_title, href, group) = self.shown_on(&dom, &self.pack());
        let group = group?;
        let name = page_title
            .or_else(|| {
                let state = self.state();
                state
                    .context
                    .as_ref()
                    .and_then(|c| c.left.as_ref().map(|l| l.name.clone()))
            })
            .unwrap_or_default();
        Some((dom, group, name, href))
    }

    /// The user's own capture-phase clicks (the caller checked `isTrusted`): the leave
    /// confirmation's confirm control, the start control of sites where it leaves at once, and
    /// the group's "Join" control. Never stops the click.
    pub(super) fn click_added(self: &Rc<Self>, target: &Element) {
        if !self.added_enabled() {
            return;
        }
        let Some((dom, group, name, href)) = self.shown_group() else {
            return;
        };
        let pack = self.pack();
        if let Some(dialog) = page::read_leave_dialog(&dom, &pack) {
            if dialog.is_confirm(&dom, target) {
                self.state_mut().added.pending_leave = None;
                let now = browser::now_ms();
                self.record_leave(group, name, href, format!("click:{}", time_key(now)));
                return;
            }
        }
        let now = browser::now_ms();
        let starts_leaving = pack.leave.as_ref().is_some_and(|l| l.start_leaves);
        if starts_leaving && page::is_leave_start(&dom, target, &pack) {
            let click = LeaveClick {
                group,
                name,
                url: href,
            };
            self.state_mut().added.pending_leave = Some(Pending::new(click, now));
            return;
        }
        if page::is_join_control(&dom, target, &pack) {
            self.state_mut().added.pending_join = Some(Pending::new(group, now));
        }
    }

    /// Slack's "Leave channel" leaves public channels at once: record it when the page shows the
    /// user out soon after the click.
    fn finish_pending_leave(self: &Rc<Self>, group: &GroupRef, out: bool) {
        let now = browser::now_ms();
        let done = {
            let mut state = self.state_mut();
            intent::settle(&mut state.added.pending_leave, now, |click| {
                out && click.group == *group
            })
        };
        if let Some(Pending { what: click, at }) = done {
            self.record_leave(
                click.group,
                click.name,
                click.url,
                format!("start:{}", time_key(at)),
            );
        }
    }

    /// The user clicked "Join" and the page now shows them a member: they rejoined on purpose.
    /// The background hears it (for a group it flags), and this page looks for no re-addition
    /// in it.
    fn finish_pending_join(
        self: &Rc<Self>,
        group: &GroupRef,
        membership: Membership,
        left: Option<&LeftSummary>,
    ) {
        let joined = {
            let mut state = self.state_mut();
            let joined = intent::settle(&mut state.added.pending_join, browser::now_ms(), |g| {
                membership == Membership::Member && g == group
            })
            .map(|pending| pending.what);
            if joined.is_some() {
                state.added.joined = joined.clone();
            }
            joined
        };
        if let Some(group) = joined {
            self.remove_banner();
            if left.is_some_and(|l| l.flagging) {
                self.tell_rejoined(group);
            }
        }
    }

    /// Tells the background the user dismissed this re-addition's flag: it stays dismissed on
    /// later visits (the background answers its sightings without the flag).
    fn tell_dismissed(self: &Rc<Self>, group: GroupRef, invitation: bool, number: u32) {
        send(ContentRequest::DismissedFlag {
            group,
            invitation,
            number,
        });
    }

    /// Tells the background the user rejoined `group` on purpose, then refreshes the context.
    fn tell_rejoined(self: &Rc<Self>, group: GroupRef) {
        let request = ContentRequest::RejoinedOnPurpose {
            group: group.clone(),
        };
        self.tell_then_refresh(request, group);
    }

    /// The hint in Facebook's leave dialog while its "prevent re-invites" switch is off.
    fn update_hint(
        &self,
        dom: &DomPage,
        dialog: Option<&LeaveDialog<Element>>,
    ) -> Result<(), JsValue> {
        // Taken out while the DOM is changed (which may run page code), put back after.
        let mut hint = self.state_mut().added.hint.take();
        let shown = match dialog.filter(|d| d.protection_off(dom)) {
            Some(dialog) => {
                let view = Overlay::text(
                    OverlayKind::LeaveHint,
                    t(key!("leaveHintTitle")),
                    vec![t(key!("leaveHintBody"))],
                );
                overlay::show(&self.ui, &mut hint, &view, &dialog.root, false)
            }
            None => {
                overlay::hide(&mut hint);
                Ok(())
            }
        };
        self.state_mut().added.hint = hint;
        shown
    }

    fn remove_banner(&self) {
        // No state in use while the DOM changes.
        let banner = self.state_mut().added.banner.take();
        if let Some(banner) = banner {
            banner.shown.remove();
        }
    }

    fn show_banner(
        self: &Rc<Self>,
        group: &GroupRef,
        notice: &ReAddNotice,
        invitation: bool,
    ) -> Result<(), JsValue> {
        {
            let state = self.state();
            // A late answer for a group the page no longer shows.
            if state.group.as_ref() != Some(group) {
                return Ok(());
            }
            let dismissed = (group.clone(), invitation, notice.number);
            if state.added.dismissed.as_ref() == Some(&dismissed) {
                return Ok(());
            }
            if let Some(banner) = &state.added.banner {
                // A re-addition's flag is not replaced by a re-invitation's.
                if banner.group == *group && !banner.invitation && invitation {
                    return Ok(());
                }
            }
        }
        let view = banner_view(notice, invitation);
        let Some(body) = document()?.body() else {
            return Ok(());
        };
        // Taken out while the DOM is changed (which may run page code), put back after.
        let mut banner = self.state_mut().added.banner.take();
        // The flag of another group or kind goes: it is replaced, not shown beside this one.
        let mut shown = match banner.take() {
            Some(old) if old.group == *group && old.invitation == invitation => Some(old.shown),
            Some(old) => {
                old.shown.remove();
                None
            }
            None => None,
        };
        let drawn = overlay::show(&self.ui, &mut shown, &view, &body, true);
        if let Some(shown) = shown {
            banner = Some(Banner {
                shown,
                group: group.clone(),
                invitation,
                number: notice.number,
            });
        }
        self.state_mut().added.banner = banner;
        drawn
    }

    /// Keeps the banner on the page if the site replaced the body's children.
    fn keep_banner(&self) {
        let host = self
            .state()
            .added
            .banner
            .as_ref()
            .map(|banner| banner.shown.host.clone());
        if let (Some(host), Some(body)) = (host, document().ok().and_then(|d| d.body())) {
            let _ = overlay::keep(&self.ui, host, &body, true);
        }
    }

    /// A click on the flag's buttons (the renderer passes on the user's own only: a page
    /// script cannot dismiss the flag, turn it off ("I rejoined on purpose") or leave the group
    /// for them).
    pub(super) fn banner_action(self: &Rc<Self>, action: &str) {
        let Some((group, invitation, number)) = self
            .state()
            .added
            .banner
            .as_ref()
            .map(|b| (b.group.clone(), b.invitation, b.number))
        else {
            return;
        };
        match action {
            "dismiss" => {
                self.state_mut().added.dismissed = Some((group.clone(), invitation, number));
                self.remove_banner();
                self.tell_dismissed(group, invitation, number);
            }
            "rejoined" => {
                self.remove_banner();
                self.tell_rejoined(group);
            }
            "leave-again" => self.open_leave_flow(),
            _ => {}
        }
    }

    /// Opens the site's own leave flow for the user ("Leave again"): the steps the pack names
    /// (a menu to open first), then the leave item; the site's confirmation stays the user's.
    /// Core decides each move ([`LeaveRun`]); this clicks and looks again shortly.
    fn open_leave_flow(self: &Rc<Self>) {
        let run = LeaveRun::new(browser::now_ms());
        self.leave_tick(run);
    }

    fn leave_tick(self: &Rc<Self>, mut run: LeaveRun<Element>) {
        let Ok(document) = document() else { return };
        let dom = DomPage::new(document);
        match run.next(&dom, &self.pack(), browser::now_ms()) {
            LeaveMove::Start(start) => {
                self.click_leave_start(&start);
                return;
            }
            LeaveMove::Open(control) => click(&control),
            LeaveMove::Wait => {}
            LeaveMove::GiveUp => {
                web_sys::console::info_1(
                    &"Ask First: the site's leave item was not found; leave from its menu".into(),
                );
                return;
            }
        }
        let runtime = Rc::clone(self);
        let next = Closure::once_into_js(move || runtime.leave_tick(run));
        if let Some(window) = web_sys::window() {
            let _ = window
                .set_timeout_with_callback_and_timeout_and_arguments_0(next.unchecked_ref(), 100);
        }
    }
}

impl Runtime {
    /// Clicks the site's leave start control for the user ("Leave again"). The core's own click
    /// is no trusted one, so where that control leaves at once (Slack) the leave is expected
    /// here, as for the user's own click on it.
    fn click_leave_start(self: &Rc<Self>, start: &Element) {
        let starts_leaving = self.pack().leave.as_ref().is_some_and(|l| l.start_leaves);
        if starts_leaving {
            if let Some((_, group, name, url)) = self.shown_group() {
                let click = LeaveClick { group, name, url };
                self.state_mut().added.pending_leave = Some(Pending::new(click, browser::now_ms()));
            }
        }
        click(start);
    }
}

/// A click like a user's on a site's control.
fn click(element: &Element) {
    if let Some(element) = element.dyn_ref::<HtmlElement>() {
        element.click();
    }
}

/// The date in the browser's UI language ("3 Oct 2026", "3. Okt. 2026").
fn local_date(ms: f64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"day".into(), &"numeric".into());
    let _ = js_sys::Reflect::set(&options, &"month".into(), &"short".into());
    let _ = js_sys::Reflect::set(&options, &"year".into(), &"numeric".into());
    String::from(date.to_locale_date_string(&ui_language(), &options))
}

/// The flag for a re-addition (or a re-invitation), localised.
fn banner_view(notice: &ReAddNotice, invitation: bool) -> Overlay {
    let number = notice.number.to_string();
    let times = notice.times_left.to_string();
    let mut lines = vec![t_with(
        key!("readdLeftOn"),
        &[&notice.group_name, &local_date(notice.last_left)],
    )];
    if notice.times_left > 1 {
        lines.push(t_with(
            key!("readdTimesLeft"),
            &[&times, &local_date(notice.first_left)],
        ));
    }
    lines.push(t_with(
        if invitation {
            key!("readdNumberInvite")
        } else {
            key!("readdNumber")
        },
        &[&number],
    ));
    if let Some(actor) = &notice.actor {
        let count = notice.actor_count.unwrap_or(1).to_string();
        lines.push(match (invitation, notice.actor_count.unwrap_or(1) > 1) {
            (false, false) => t_with(key!("readdByOnce"), &[actor]),
            (false, true) => t_with(key!("readdByMany"), &[actor, &count]),
            (true, false) => t_with(key!("readdInvitedByOnce"), &[actor]),
            (true, true) => t_with(key!("readdInvitedByMany"), &[actor, &count]),
        });
    }
    let title = t(if invitation {
        key!("readdTitleInvite")
    } else {
        key!("readdTitle")
    });
    let mut view = Overlay::text(OverlayKind::ReAdd, title, lines);
    view.buttons = vec![
        ("leave-again", t(key!("readdLeaveAgain"))),
        ("rejoined", t(key!("readdRejoined"))),
        ("dismiss", t(key!("readdDismiss"))),
    ];
    view
}

/// The re-add flag on the page, and what it flags.
struct Banner {
    shown: Shown,
    group: GroupRef,
    invitation: bool,
    number: u32,
}

/// What an unexpected reply was, for the console (not its `Debug` form: that would bring the
/// formatting code of every reply type into the content build).
pub(super) fn kind_of(reply: &ContentReply) -> String {
    match reply {
        ContentReply::Refused { error } => format!("refusal: {error}"),
        ContentReply::Content { .. } => "another answer than the one asked for".to_owned(),
    }
}
