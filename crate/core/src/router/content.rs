//! The router's content channel: what a content script may report and read, for its own tab
//! and site only, within the budgets of [`crate::guard`].
//!
//! Layer: state (part of [`super`]).

use super::{truncate, Background, Changes};
use crate::dismiss::Dismissed;
use crate::guard::{Cause, Class};
use crate::ledger::{Full, ReAddResult};
use crate::model::{GroupRef, Record};
use crate::protocol::{
    ContentContext, ContentRequest, ContentResponse, Engine, Health, Refusal, TabStatus,
};
use crate::site::Site;

impl Background {
    /// A content request within its tab's and site's budget ([`crate::guard`]): refused
    /// without being looked at when over it; counted against it when it changed the record.
    /// Every refusal is noted in the site's burst report.
    pub(super) fn content(
        &mut self,
        tab_id: i32,
        origin: Site,
        request: ContentRequest,
        now: f64,
        changes: &mut Changes,
    ) -> Result<ContentResponse, Refusal> {
        // A report about another site is refused as invalid (it changes nothing), not counted.
        let Some(class) =
            budget_class(&request).filter(|_| claimed_site(&request, origin) == origin)
        else {
            return self.content_unbudgeted(tab_id, origin, request, now, changes);
        };
        if !self.guard.allows(tab_id, origin, class, now) {
            changes.guard |= self.guard.refused(origin, class, Cause::Rate, now);
            return Err(Refusal::OverBudget(
                "this page reported more of these than its budget allows".into(),
            ));
        }
        let result = self.content_unbudgeted(tab_id, origin, request, now, changes);
        match &result {
            Ok(_) if changes.record => {
                self.guard.spend(tab_id, origin, class, now);
                changes.guard = true;
            }
            Err(Refusal::OverBudget(_)) => {
                changes.guard |= self.guard.refused(origin, class, Cause::RecordFull, now);
            }
            _ => {}
        }
        result
    }

    /// One content request, by kind. Every arm checks that the tab speaks for its own site
    /// (and, where the page's buttons act, for the group it shows).
    fn content_unbudgeted(
        &mut self,
        tab_id: i32,
        origin: Site,
        request: ContentRequest,
        now: f64,
        changes: &mut Changes,
    ) -> Result<ContentResponse, Refusal> {
        match request {
            ContentRequest::Hello { site, engine } => self.hello(tab_id, origin, site, engine, now),
            ContentRequest::EngineFailed { site, reason } => {
                let site = site.unwrap_or(origin);
                self.check_site(origin, site)?;
                let status = self.tab(tab_id, site, now);
                status.failure = Some(truncate(&reason, 500));
                status.reported_at = now;
                Ok(ContentResponse::Ack)
            }
            ContentRequest::Health { site, health } => {
                self.check_site(origin, site)?;
                let status = self.tab(tab_id, site, now);
                status.health = match health {
                    Health::Degraded(detail) => Health::Degraded(truncate(&detail, 300)),
                    other => other,
                };
                status.reported_at = now;
                Ok(ContentResponse::Ack)
            }
            ContentRequest::PageContext {
                site,
                group,
                ui_language,
            } => self.page_context(tab_id, origin, site, group, &ui_language, now),
            ContentRequest::LeftGroup { group, name, url } => {
                let group = self.group_for(origin, &group)?;
                self.record
                    .bounded(group.site, Some(&group), |record| {
                        record.report_left(&group, &name, url.as_deref(), now)
                    })
                    .map_err(over_budget)?;
                changes.record = true;
                Ok(ContentResponse::Ack)
            }
            ContentRequest::SeenReadded {
                group,
                event_id,
                actor,
            } => {
                let sighting = Sighting::new(&group, &event_id, actor.as_deref(), false);
                self.sighting(origin, sighting, now, changes)
            }
            ContentRequest::Reinvited {
                group,
                event_id,
                actor,
            } => {
                let sighting = Sighting::new(&group, &event_id, actor.as_deref(), true);
                self.sighting(origin, sighting, now, changes)
            }
            ContentRequest::RejoinedOnPurpose { group } => {
                let group = self.shown_group(origin, tab_id, &group)?;
                changes.record = self.record.rejoined_on_purpose(&group);
                Ok(ContentResponse::Ack)
            }
            ContentRequest::DismissedFlag {
                group,
                invitation,
                number,
            } => {
                let group = self.shown_group(origin, tab_id, &group)?;
                changes.dismissed = self.dismiss_flag(&group, invitation, number)?;
                Ok(ContentResponse::Ack)
            }
            ContentRequest::AddOutcome {
                site,
                group,
                group_name,
                outcome,
                count,
            } => {
                let group = self.group_on_site(origin, site, group)?;
                self.record
                    .bounded(site, None, |record| {
                        let name = group_name.as_deref();
                        record.add_incident(outcome.into(), site, group.as_ref(), name, count, now);
                        Ok(())
                    })
                    .map_err(over_budget)?;
                changes.record = true;
                Ok(ContentResponse::Ack)
            }
            ContentRequest::AddConfirmed { site, group, count } => {
                self.group_on_site(origin, site, group)?;
                let window = self.settings.window_ms();
                self.record
                    .bounded(site, None, |record| {
                        record.add_confirmed(site, count, now, window);
                        Ok(())
                    })
                    .map_err(over_budget)?;
                changes.record = true;
                Ok(ContentResponse::Ack)
            }
            ContentRequest::MarkAgreed {
                site,
                group,
                group_name,
                names,
            } => {
                self.check_site(origin, site)?;
                let group = match group {
                    Some(group) => Some(self.shown_group(origin, tab_id, &group)?),
                    None => None,
                };
                let agreement = Agreement {
                    site,
                    group: group.as_ref(),
                    group_name: group_name.as_deref(),
                    names: &names,
                };
                changes.record = self.mark_agreed(agreement, now)?;
                Ok(ContentResponse::Ack)
            }
        }
    }

    /// The content core started in this tab: a fresh report, and the pack to read with.
    fn hello(
        &mut self,
        tab_id: i32,
        origin: Site,
        site: Site,
        engine: Engine,
        now: f64,
    ) -> Result<ContentResponse, Refusal> {
        self.check_site(origin, site)?;
        let status = TabStatus {
            engine: Some(engine),
            ..TabStatus::fresh(site, now)
        };
        self.tabs.insert(tab_id, status);
        Ok(ContentResponse::Started {
            pack: self
                .active_import(site)
                .and_then(|pack| serde_json::to_string(pack).ok()),
        })
    }

    /// What the page needs to decide on its own; the group it names becomes the group the tab
    /// shows ([`Background::shown_group`]).
    fn page_context(
        &mut self,
        tab_id: i32,
        origin: Site,
        site: Site,
        group: Option<GroupRef>,
        ui_language: &str,
        now: f64,
    ) -> Result<ContentResponse, Refusal> {
        let group = self.group_on_site(origin, site, group)?;
        self.tab(tab_id, site, now).group = group.clone();
        let lang = self.lang(ui_language);
        let context = ContentContext::new(
            &self.settings,
            &self.record,
            site,
            group.as_ref(),
            now,
            lang,
        );
        Ok(ContentResponse::Context { context })
    }

    /// A content script names `site` and maybe a group: both must be its own site's.
    fn group_on_site(
        &self,
        origin: Site,
        site: Site,
        group: Option<GroupRef>,
    ) -> Result<Option<GroupRef>, Refusal> {
        self.check_site(origin, site)?;
        let group = match group {
            Some(group) => Some(self.group_for(origin, &group)?),
            None => None,
        };
        if group.as_ref().is_some_and(|group| group.site != site) {
            return Err(Refusal::Invalid("the group is on another site".into()));
        }
        Ok(group)
    }

    /// A re-addition or re-invitation seen by a page: applied with the ledger reducer of its
    /// kind, trusting the adder when the settings say so; its flag stays off when the user
    /// dismissed it.
    fn sighting(
        &mut self,
        origin: Site,
        sighting: Sighting<'_>,
        now: f64,
        changes: &mut Changes,
    ) -> Result<ContentResponse, Refusal> {
        let group = self.group_for(origin, sighting.group)?;
        let trusted = sighting
            .actor
            .is_some_and(|actor| self.settings.trusts_adder(group.site, actor));
        let reduce: Reducer = if sighting.invitation {
            Record::report_reinvited
        } else {
            Record::report_readded
        };
        let before = self.record.clone();
        let result = self
            .record
            .bounded(group.site, Some(&group), |record| {
                let (event_id, actor) = (sighting.event_id, sighting.actor);
                reduce(record, &group, event_id, actor, trusted, now)
            })
            .map_err(over_budget)?;
        changes.record = self.record != before;
        let response = ContentResponse::Readd { result };
        Ok(self.unless_dismissed(response, sighting.invitation))
    }

    /// Dismisses re-addition (or re-invitation) `number` of `group`, one the record holds (the
    /// key is built from it). Whether that changed the dismissed flags.
    fn dismiss_flag(
        &mut self,
        group: &GroupRef,
        invitation: bool,
        number: u32,
    ) -> Result<bool, Refusal> {
        let entry = self
            .record
            .find_left(group)
            .ok_or_else(|| Refusal::Invalid("not a group the user left".into()))?;
        let counted = if invitation {
            entry.reinvitations
        } else {
            entry.readditions
        };
        if number == 0 || number > counted {
            return Err(Refusal::Invalid("no such re-addition".into()));
        }
        let key = Dismissed::key(group, invitation, entry.last_left, number);
        Ok(self.dismissed.insert(key))
    }

    /// "They said yes" for these names (group already checked). Whether the record changed.
    fn mark_agreed(&mut self, agreement: Agreement<'_>, now: f64) -> Result<bool, Refusal> {
        if agreement.names.len() > crate::agreed::MAX_AGREED_PER_MARK {
            return Err(Refusal::Invalid("too many names".into()));
        }
        let Agreement {
            site,
            group,
            group_name,
            names,
        } = agreement;
        let before = self.record.agreed.clone();
        self.record
            .bounded(site, group, |record| {
                record.mark_agreed(site, group, group_name, names, now);
                Ok(())
            })
            .map_err(over_budget)?;
        Ok(self.record.agreed != before)
    }
}

/// What a page saw of a re-addition (`invitation`: a re-invitation).
struct Sighting<'a> {
    group: &'a GroupRef,
    event_id: &'a str,
    actor: Option<&'a str>,
    invitation: bool,
}

impl<'a> Sighting<'a> {
    fn new(
        group: &'a GroupRef,
        event_id: &'a str,
        actor: Option<&'a str>,
        invitation: bool,
    ) -> Self {
        Sighting {
            group,
            event_id,
            actor,
            invitation,
        }
    }
}

/// People of an add dialog who said yes, as a tab marks them.
struct Agreement<'a> {
    site: Site,
    group: Option<&'a GroupRef>,
    group_name: Option<&'a str>,
    names: &'a [String],
}

/// A ledger reducer for a reported re-addition or re-invitation.
type Reducer =
    fn(&mut Record, &GroupRef, &str, Option<&str>, bool, f64) -> Result<ReAddResult, Full>;

/// The budget a content request counts against, if any: the reports that change the record.
fn budget_class(request: &ContentRequest) -> Option<Class> {
    match request {
        ContentRequest::LeftGroup { .. } => Some(Class::Leave),
        ContentRequest::SeenReadded { .. } | ContentRequest::Reinvited { .. } => {
            Some(Class::Received)
        }
        ContentRequest::AddOutcome { .. }
        | ContentRequest::AddConfirmed { .. }
        | ContentRequest::MarkAgreed { .. } => Some(Class::Own),
        // Reads, the tab's own status, and "I rejoined on purpose" (bound to the group the tab
        // shows, and it only ever stops flags) change nothing a flood could grow.
        ContentRequest::Hello { .. }
        | ContentRequest::EngineFailed { .. }
        | ContentRequest::Health { .. }
        | ContentRequest::PageContext { .. }
        | ContentRequest::RejoinedOnPurpose { .. } => None,
        // Bound to the group the tab shows and a re-addition the record holds; it only hides
        // a flag, and what it stores is capped.
        ContentRequest::DismissedFlag { .. } => None,
    }
}

/// The site a budgeted report speaks about (`origin`, the sender's, when it names none).
fn claimed_site(request: &ContentRequest, origin: Site) -> Site {
    match request {
        ContentRequest::LeftGroup { group, .. }
        | ContentRequest::SeenReadded { group, .. }
        | ContentRequest::Reinvited { group, .. }
        | ContentRequest::RejoinedOnPurpose { group }
        | ContentRequest::DismissedFlag { group, .. } => group.site,
        ContentRequest::AddOutcome { site, .. }
        | ContentRequest::AddConfirmed { site, .. }
        | ContentRequest::MarkAgreed { site, .. }
        | ContentRequest::Hello { site, .. }
        | ContentRequest::Health { site, .. }
        | ContentRequest::PageContext { site, .. } => *site,
        ContentRequest::EngineFailed { site, .. } => site.unwrap_or(origin),
    }
}

fn over_budget(full: Full) -> Refusal {
    Refusal::OverBudget(full.to_string())
}

impl Background {
    /// A sighting's answer with the flag off when the user dismissed this re-addition.
    fn unless_dismissed(&self, mut response: ContentResponse, invitation: bool) -> ContentResponse {
        if let ContentResponse::Readd {
            result: ReAddResult::AlreadyCounted { notice } | ReAddResult::Counted { notice },
        } = &mut response
        {
            if Dismissed::key_of(notice, invitation)
                .is_some_and(|key| self.dismissed.contains(&key))
            {
                notice.flag = false;
            }
        }
        response
    }
}
