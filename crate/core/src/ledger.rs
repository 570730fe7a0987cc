//! The reducers that change the [`Record`]: every event the extension learns about goes through
//! one function here, which keeps the counts, the history and the per-adder statistics in step.
//!
//! Layer: domain (imports only the leaves and other domain modules; the map is in `lib.rs`).

use serde::{Deserialize, Serialize};

use crate::model::{
    clean_name, clean_text, clean_url, AdderStats, GroupRef, Incident, IncidentKind, LeftGroup,
    RecentAdd, Record, RecordIssue, MAX_ADDERS, MAX_ADDERS_PER_SITE, MAX_EVENT_IDS,
    MAX_EVENT_ID_CHARS, MAX_INCIDENTS, MAX_LEFT_GROUPS, MAX_LEFT_PER_SITE, MAX_NAME_CHARS,
    MAX_OWN_INCIDENTS_PER_SITE, MAX_RECEIVED_PER_SITE, MAX_RECENT_ADDS, MAX_RECENT_ADDS_PER_SITE,
    MAX_SITE_BYTES,
};
use crate::site::Site;

/// What the page should show after the user was seen added (or invited) back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReAddNotice {
    pub site: Site,
    pub group: String,
    pub group_name: String,
    pub first_left: f64,
    pub last_left: f64,
    pub times_left: u32,
    /// The number of this re-addition (or re-invitation) for the group, 1-based.
    pub number: u32,
    pub actor: Option<String>,
    /// How often this actor has done it in this group, including now.
    pub actor_count: Option<u32>,
    /// Whether to flag it on the page (off for trusted adders and rejoined groups).
    pub flag: bool,
}

/// The result of reporting a re-addition or re-invitation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum ReAddResult {
    /// The group is not one the user left.
    NotTracked,
    /// This event (or this re-addition) was already counted. The notice is repeated so the page
    /// can show the flag again on a later visit.
    AlreadyCounted { notice: ReAddNotice },
    /// A new incident was recorded.
    Counted { notice: ReAddNotice },
}

impl ReAddResult {
    pub fn notice(&self) -> Option<&ReAddNotice> {
        match self {
            ReAddResult::NotTracked => None,
            ReAddResult::AlreadyCounted { notice } | ReAddResult::Counted { notice } => {
                Some(notice)
            }
        }
    }
}

/// Cleans a caller-supplied event fingerprint.
fn clean_event_id(id: &str) -> Option<String> {
    let id: String = id
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_EVENT_ID_CHARS)
        .collect();
    (!id.trim().is_empty()).then_some(id)
}

impl Record {
    pub fn find_left(&self, group: &GroupRef) -> Option<&LeftGroup> {
        self.left
            .iter()
            .find(|entry| entry.site == group.site && entry.key == group.key)
    }

    fn find_left_mut(&mut self, group: &GroupRef) -> Option<&mut LeftGroup> {
        self.left
            .iter_mut()
            .find(|entry| entry.site == group.site && entry.key == group.key)
    }

    /// The user left `group`. Leaving again after being re-added counts as another leave;
    /// the same leave reported twice does not.
    ///
    /// This is the user's own word (an extension page): when the site's part of the record is
    /// full, the entry left longest ago that nothing protects goes, or else the site's oldest.
    /// A leave a page reported goes through [`Record::report_left`] instead.
    pub fn left_group(&mut self, group: &GroupRef, name: &str, url: Option<&str>, now: f64) {
        if self.find_left(group).is_none() && !self.room_for_left(group.site, true) {
            // Only after an import filled the record with other sites' entries: the user's
            // word still wins, over the entry left longest ago of any site.
            if let Some(oldest) = oldest_index(self.left.iter().map(|e| Some(e.last_left))) {
                self.left.remove(oldest);
            }
        }
        self.put_left(group, name, url, now);
    }

    /// A leave a page reported (its leave confirmation, or a "you left" message). A page can make
    /// these up, so when the site's part of the record is full it may only evict an entry of its
    /// own site that nothing protects (see [`expendable`]); when there is none the new leave is
    /// refused and the record stays as it was.
    pub fn report_left(
        &mut self,
        group: &GroupRef,
        name: &str,
        url: Option<&str>,
        now: f64,
    ) -> Result<(), Full> {
        if self.find_left(group).is_none() && !self.room_for_left(group.site, false) {
            return Err(Full::LeftGroups);
        }
        self.put_left(group, name, url, now);
        Ok(())
    }

    /// Whether a new left group of `site` fits, evicting one of the site's entries if need be
    /// (only [`expendable`] ones unless `by_user`). Never evicts another site's entry.
    fn room_for_left(&mut self, site: Site, by_user: bool) -> bool {
        let of_site = self.left.iter().filter(|e| e.site == site).count();
        if of_site < MAX_LEFT_PER_SITE && self.left.len() < MAX_LEFT_GROUPS {
            return true;
        }
        let oldest = |only_expendable: bool| {
            oldest_index(self.left.iter().map(|entry| {
                (entry.site == site && (!only_expendable || expendable(entry)))
                    .then_some(entry.last_left)
            }))
        };
        let victim = oldest(true).or_else(|| if by_user { oldest(false) } else { None });
        match victim {
            Some(index) => {
                self.left.remove(index);
                true
            }
            None => false,
        }
    }

    /// The user confirmed the leave of `group` on an extension page: a reported leave never
    /// evicts it. Returns whether it changed anything.
    pub fn confirm_left(&mut self, group: &GroupRef) -> bool {
        match self.find_left_mut(group) {
            Some(entry) if !entry.confirmed => {
                entry.confirmed = true;
                true
            }
            _ => false,
        }
    }

    fn put_left(&mut self, group: &GroupRef, name: &str, url: Option<&str>, now: f64) {
        let name = clean_name(name).unwrap_or_else(|| group.key.clone());
        let url = url.and_then(clean_url);
        if let Some(entry) = self.find_left_mut(group) {
            if !entry.is_out {
                entry.times_left = entry.times_left.saturating_add(1);
                entry.last_left = now;
                entry.is_out = true;
            }
            entry.flagging = true;
            // The user's rename stays; the site's name is kept beside it for pages.
            match &mut entry.page_name {
                Some(page_name) => *page_name = name,
                None => entry.name = name,
            }
            if url.is_some() {
                entry.url = url;
            }
            return;
        }
        self.left.push(LeftGroup {
            site: group.site,
            key: group.key.clone(),
            name,
            page_name: None,
            url,
            first_left: now,
            last_left: now,
            times_left: 1,
            readditions: 0,
            last_readded: None,
            reinvitations: 0,
            adders: Default::default(),
            is_out: true,
            flagging: true,
            events: Vec::new(),
            confirmed: false,
        });
    }

    /// The user was seen back in a group they left: a system message "X added you", or a visit
    /// that shows them as a member. `event_id` fingerprints the sighting; the same sighting again
    /// never counts twice, and a second sighting of one re-addition (message after visit) only
    /// fills in the actor. `trusted_adder` comes from the settings.
    pub fn seen_readded(
        &mut self,
        group: &GroupRef,
        event_id: &str,
        actor: Option<&str>,
        trusted_adder: bool,
        now: f64,
    ) -> ReAddResult {
        let actor = actor.and_then(clean_name);
        let Some(event_id) = clean_event_id(event_id) else {
            return ReAddResult::NotTracked;
        };
        let Some(entry) = self.find_left_mut(group) else {
            return ReAddResult::NotTracked;
        };
        let known_event = entry.events.contains(&event_id);
        remember_event(entry, event_id);
        if known_event || !entry.is_out {
            let flag = entry.flagging && !trusted_adder;
            let (site, key) = (entry.site, entry.key.clone());
            // A later message names who did the re-addition that a visit already counted.
            let fill = !known_event && entry.readditions > 0;
            if let Some(name) = actor.as_deref().filter(|_| fill) {
                if self.fill_actor(group, name) {
                    if let Some(entry) = self.find_left_mut(group) {
                        count_adder(entry, name);
                    }
                    self.adder_stats(site, name, &key, IncidentKind::ReAdded, now);
                }
            }
            // A repeated sighting without a name (a reload showing membership) still says who
            // did the re-addition it repeats.
            let actor = actor.or_else(|| self.latest_actor(group, IncidentKind::ReAdded));
            return match self.find_left(group) {
                Some(entry) => ReAddResult::AlreadyCounted {
                    notice: notice(entry, entry.readditions, actor, flag),
                },
                None => ReAddResult::NotTracked,
            };
        }
        entry.readditions = entry.readditions.saturating_add(1);
        entry.last_readded = Some(now);
        entry.is_out = false;
        if let Some(name) = &actor {
            count_adder(entry, name);
        }
        let flag = entry.flagging && !trusted_adder;
        let result_notice = notice(entry, entry.readditions, actor.clone(), flag);
        let received = Received::of(IncidentKind::ReAdded, entry, actor, flag);
        self.record_received(received, now);
        ReAddResult::Counted {
            notice: result_notice,
        }
    }

    /// The incident and the adder's statistics of a counted re-addition or re-invitation.
    fn record_received(&mut self, received: Received, now: f64) {
        let Received {
            kind,
            site,
            key,
            name,
            actor,
            flag,
        } = received;
        // Not kept only when the site's history is full of unseen ones, which the router
        // refuses first; the counts above still say it happened.
        let _kept = self.push_incident(Incident {
            id: 0,
            kind,
            site,
            group: Some(key.clone()),
            group_name: Some(name),
            actor: actor.clone(),
            count: 1,
            at: now,
            seen: !flag,
        });
        if let Some(name) = &actor {
            self.adder_stats(site, name, &key, kind, now);
        }
    }

    /// The user was invited again into a group they left. Each event counts once.
    pub fn reinvited(
        &mut self,
        group: &GroupRef,
        event_id: &str,
        actor: Option<&str>,
        trusted_adder: bool,
        now: f64,
    ) -> ReAddResult {
        let actor = actor.and_then(clean_name);
        let Some(event_id) = clean_event_id(event_id) else {
            return ReAddResult::NotTracked;
        };
        let Some(entry) = self.find_left_mut(group) else {
            return ReAddResult::NotTracked;
        };
        let flag = entry.flagging && !trusted_adder;
        if entry.events.contains(&event_id) {
            return ReAddResult::AlreadyCounted {
                notice: notice(entry, entry.reinvitations, actor, flag),
            };
        }
        remember_event(entry, event_id);
        entry.reinvitations = entry.reinvitations.saturating_add(1);
        let result_notice = notice(entry, entry.reinvitations, actor.clone(), flag);
        let received = Received::of(IncidentKind::ReInvited, entry, actor, flag);
        self.record_received(received, now);
        ReAddResult::Counted {
            notice: result_notice,
        }
    }

    /// A re-addition a page reported: [`Record::seen_readded`], refused when it would count a
    /// new incident that the site's history has no room for (every received incident of the
    /// site kept is still unseen, and unseen ones are never evicted).
    pub fn report_readded(
        &mut self,
        group: &GroupRef,
        event_id: &str,
        actor: Option<&str>,
        trusted_adder: bool,
        now: f64,
    ) -> Result<ReAddResult, Full> {
        self.report_received(group.site, |record| {
            record.seen_readded(group, event_id, actor, trusted_adder, now)
        })
    }

    /// A re-invitation a page reported: [`Record::reinvited`], refused like
    /// [`Record::report_readded`].
    pub fn report_reinvited(
        &mut self,
        group: &GroupRef,
        event_id: &str,
        actor: Option<&str>,
        trusted_adder: bool,
        now: f64,
    ) -> Result<ReAddResult, Full> {
        self.report_received(group.site, |record| {
            record.reinvited(group, event_id, actor, trusted_adder, now)
        })
    }

    fn report_received(
        &mut self,
        site: Site,
        reduce: impl FnOnce(&mut Record) -> ReAddResult,
    ) -> Result<ReAddResult, Full> {
        if self.room_for_received(site) {
            return Ok(reduce(self));
        }
        // Rare (a site's history full of unseen incidents): only then is a copy taken, so that a
        // sighting that would count can be undone whole.
        let before = self.clone();
        let result = reduce(self);
        if matches!(result, ReAddResult::Counted { .. }) {
            *self = before;
            return Err(Full::Received);
        }
        Ok(result)
    }

    /// Whether one more received incident of `site` can be kept: there is room, or a seen one
    /// of the site to make room.
    pub fn room_for_received(&self, site: Site) -> bool {
        let mut of_site = self
            .incidents
            .iter()
            .filter(|i| i.site == site && i.kind.is_received());
        of_site.clone().count() < MAX_RECEIVED_PER_SITE || of_site.any(|i| i.seen)
    }

    /// Something the user did around adding people (warned, proceeded, cancelled, copied the
    /// ask message, warned about sequential adds). Received kinds are ignored here.
    pub fn add_incident(
        &mut self,
        kind: IncidentKind,
        site: Site,
        group: Option<&GroupRef>,
        group_name: Option<&str>,
        count: u32,
        now: f64,
    ) {
        if kind.is_received() {
            return;
        }
        let count = count.min(MAX_INCIDENT_COUNT);
        // An own incident is seen, so the site's share always has room for it.
        let _kept = self.push_incident(Incident {
            id: 0,
            kind,
            site,
            group: group.map(|g| g.key.clone()),
            group_name: group_name.and_then(clean_name),
            actor: None,
            count,
            at: now,
            seen: true,
        });
    }

    /// An add went through (any size); kept for the sequential window of `window_ms`.
    pub fn add_confirmed(&mut self, site: Site, count: u32, now: f64, window_ms: f64) {
        self.prune_recent(now, window_ms);
        let count = count.min(MAX_INCIDENT_COUNT);
        if count == 0 {
            return;
        }
        // Room within the site's share: its oldest add goes (another site's never does).
        let of_site = self.recent_adds.iter().filter(|a| a.site == site).count();
        if of_site >= MAX_RECENT_ADDS_PER_SITE || self.recent_adds.len() >= MAX_RECENT_ADDS {
            match self.recent_adds.iter().position(|a| a.site == site) {
                Some(index) => {
                    self.recent_adds.remove(index);
                }
                None if self.recent_adds.len() >= MAX_RECENT_ADDS => return,
                None => {}
            }
        }
        self.recent_adds.push(RecentAdd {
            site,
            count,
            at: now,
        });
    }

    /// People added on `site` within the window ending at `now`. Adds stamped after `now` (the
    /// clock went back) count too: better one warning too many than none.
    pub fn added_in_window(&self, site: Site, now: f64, window_ms: f64) -> u32 {
        self.recent_adds
            .iter()
            .filter(|add| add.site == site && now - add.at < window_ms)
            .fold(0u32, |sum, add| sum.saturating_add(add.count))
    }

    /// Drops adds older than any window could need.
    pub fn prune_recent(&mut self, now: f64, window_ms: f64) {
        self.recent_adds.retain(|add| now - add.at < window_ms);
    }

    /// "I rejoined on purpose": stop flagging the group until the user leaves it again.
    pub fn rejoined_on_purpose(&mut self, group: &GroupRef) -> bool {
        match self.find_left_mut(group) {
            Some(entry) => {
                entry.flagging = false;
                entry.is_out = false;
                true
            }
            None => false,
        }
    }

    /// Forgets a left group entirely (its incidents stay in the history and the totals).
    pub fn forget_group(&mut self, group: &GroupRef) -> bool {
        let before = self.left.len();
        self.left
            .retain(|entry| !(entry.site == group.site && entry.key == group.key));
        self.left.len() != before
    }

    /// The user's own name for a left group.
    pub fn rename_group(&mut self, group: &GroupRef, name: &str) -> bool {
        let Some(name) = clean_name(name) else {
            return false;
        };
        match self.find_left_mut(group) {
            Some(entry) => {
                if entry.page_name.is_none() && entry.name != name {
                    entry.page_name = Some(std::mem::replace(&mut entry.name, name));
                } else {
                    entry.name = name;
                }
                true
            }
            None => false,
        }
    }

    /// Forgets everything.
    pub fn clear_all(&mut self) {
        *self = Record {
            utc_offset_minutes: self.utc_offset_minutes,
            ..Record::default()
        };
    }

    /// Received incidents not yet looked at (the toolbar badge).
    pub fn unseen_received(&self) -> u32 {
        let unseen = self
            .incidents
            .iter()
            .filter(|incident| incident.kind.is_received() && !incident.seen)
            .count();
        u32::try_from(unseen).unwrap_or(u32::MAX)
    }

    /// Marks every received incident as seen; returns how many changed.
    pub fn mark_seen(&mut self) -> u32 {
        let mut changed = 0u32;
        for incident in &mut self.incidents {
            if !incident.seen {
                incident.seen = true;
                changed = changed.saturating_add(1);
            }
        }
        changed
    }

    /// Total incidents of a kind ever recorded.
    pub fn total(&self, kind: IncidentKind) -> u64 {
        self.totals.get(&kind).copied().unwrap_or(0)
    }

    /// Adds an incident to the history (and its kind's total). The history is bounded per site
    /// and per class: received incidents and the user's own have separate shares, so the own
    /// (cheap to cause) never evict the received; the oldest of the same site and class goes,
    /// except that an unseen received incident is never evicted: when all are unseen the new one
    /// is counted in the totals but not kept (the router refuses such a report before it gets
    /// here, [`Record::report_readded`]). Returns whether it was kept.
    fn push_incident(&mut self, mut incident: Incident) -> bool {
        bump(self.totals.entry(incident.kind).or_insert(0));
        crate::monthly::count_incident(&mut self.monthly, &incident, self.utc_offset_minutes);
        let (site, received) = (incident.site, incident.kind.is_received());
        let share = if received {
            MAX_RECEIVED_PER_SITE
        } else {
            MAX_OWN_INCIDENTS_PER_SITE
        };
        let same = |i: &Incident| i.site == site && i.kind.is_received() == received;
        let of_share = self.incidents.iter().filter(|i| same(i)).count();
        if of_share >= share || self.incidents.len() >= MAX_INCIDENTS {
            // Seen ones only: an own incident is always seen.
            match self.incidents.iter().position(|i| same(i) && i.seen) {
                Some(index) => {
                    self.incidents.remove(index);
                }
                None if of_share >= share || self.incidents.len() >= MAX_INCIDENTS => {
                    return false;
                }
                None => {}
            }
        }
        incident.id = self.next_incident_id;
        self.next_incident_id = self.next_incident_id.saturating_add(1);
        self.incidents.push(incident);
        true
    }

    /// Who did the group's latest incident of `kind`, if that is known.
    fn latest_actor(&self, group: &GroupRef, kind: IncidentKind) -> Option<String> {
        self.incidents
            .iter()
            .rev()
            .find(|incident| {
                incident.kind == kind
                    && incident.site == group.site
                    && incident.group.as_deref() == Some(group.key.as_str())
            })
            .and_then(|incident| incident.actor.clone())
    }

    /// Sets the actor of the group's latest re-addition if it had none. Returns whether it did.
    fn fill_actor(&mut self, group: &GroupRef, actor: &str) -> bool {
        let latest = self.incidents.iter_mut().rev().find(|incident| {
            incident.kind == IncidentKind::ReAdded
                && incident.site == group.site
                && incident.group.as_deref() == Some(group.key.as_str())
        });
        match latest {
            Some(incident) if incident.actor.is_none() => {
                incident.actor = Some(actor.to_string());
                let (site, at) = (incident.site, incident.at);
                let offset = self.utc_offset_minutes;
                crate::monthly::credit_adder(&mut self.monthly, site, actor, at, offset);
                true
            }
            _ => false,
        }
    }

    fn adder_stats(&mut self, site: Site, name: &str, key: &str, kind: IncidentKind, now: f64) {
        let index = self
            .adders
            .iter()
            .position(|stats| stats.site == site && stats.name == name);
        let index = match index {
            Some(index) => index,
            None if self.room_for_adder(site) => {
                self.adders.push(AdderStats {
                    site,
                    name: clean_text(name, MAX_NAME_CHARS),
                    readditions: 0,
                    reinvitations: 0,
                    groups: Default::default(),
                    last_at: now,
                });
                self.adders.len() - 1
            }
            // Full of other sites' adders (only after an import): the per-group counts still
            // have it.
            None => return,
        };
        let stats = &mut self.adders[index];
        match kind {
            IncidentKind::ReAdded => stats.readditions = stats.readditions.saturating_add(1),
            IncidentKind::ReInvited => stats.reinvitations = stats.reinvitations.saturating_add(1),
            _ => {}
        }
        if stats.groups.contains_key(key) || stats.groups.len() < MAX_GROUPS_PER_ADDER {
            bump(stats.groups.entry(key.to_string()).or_insert(0));
        }
        stats.last_at = now;
    }
}

impl Record {
    /// Whether a new adder of `site` fits: within the site's share, or after the site's adder
    /// seen longest ago made room (a full table never freezes the statistics for good, and
    /// another site's adders are never evicted).
    fn room_for_adder(&mut self, site: Site) -> bool {
        let of_site = self.adders.iter().filter(|a| a.site == site).count();
        if of_site < MAX_ADDERS_PER_SITE && self.adders.len() < MAX_ADDERS {
            return true;
        }
        let oldest = oldest_index(
            self.adders
                .iter()
                .map(|a| (a.site == site).then_some(a.last_at)),
        );
        match oldest {
            Some(index) => {
                self.adders.remove(index);
                true
            }
            None => false,
        }
    }

    /// One site's share of the record, in bytes as stored (see [`StoredBytes`]).
    pub fn site_bytes(&self, site: Site) -> usize {
        /// The bytes of the entries of one list that belong to `site`.
        fn share<T: StoredBytes>(entries: &[T], site: Site, site_of: fn(&T) -> Site) -> usize {
            entries
                .iter()
                .filter(|entry| site_of(entry) == site)
                .map(stored_bytes)
                .sum()
        }
        share(&self.left, site, |e| e.site)
            + share(&self.incidents, site, |i| i.site)
            + share(&self.adders, site, |a| a.site)
            + share(&self.recent_adds, site, |a| a.site)
    }

    /// Brings `site`'s share of the record within [`MAX_SITE_BYTES`] by evicting, oldest first,
    /// the site's own incidents, then its seen received incidents, then its adders (by the time
    /// last seen), then its [`expendable`] left groups other than `keep`. Unseen re-additions,
    /// groups with re-additions or re-invitations, confirmed leaves and every other site's
    /// entries are never touched; when what is left is still too large, `Err`.
    pub fn fit_site(&mut self, site: Site, keep: Option<&GroupRef>) -> Result<(), Full> {
        let mut bytes = self.site_bytes(site);
        while bytes > MAX_SITE_BYTES {
            let own = self
                .incidents
                .iter()
                .position(|i| i.site == site && !i.kind.is_received());
            let seen = || {
                self.incidents
                    .iter()
                    .position(|i| i.site == site && i.kind.is_received() && i.seen)
            };
            if let Some(index) = own.or_else(seen) {
                bytes = bytes.saturating_sub(stored_bytes(&self.incidents.remove(index)));
                continue;
            }
            let adder = oldest_index(
                self.adders
                    .iter()
                    .map(|a| (a.site == site).then_some(a.last_at)),
            );
            if let Some(index) = adder {
                bytes = bytes.saturating_sub(stored_bytes(&self.adders.remove(index)));
                continue;
            }
            let left = oldest_index(self.left.iter().map(|entry| {
                let kept = keep.is_some_and(|g| g.site == entry.site && g.key == entry.key);
                (entry.site == site && !kept && expendable(entry)).then_some(entry.last_left)
            }));
            match left {
                Some(index) => {
                    bytes = bytes.saturating_sub(stored_bytes(&self.left.remove(index)));
                }
                None => return Err(Full::Bytes),
            }
        }
        Ok(())
    }

    /// Applies `change` (a report from a page of `site`, about `keep` if a group) and keeps the
    /// site's share within its byte budget ([`Record::fit_site`]). When it cannot, or `change`
    /// refuses, the record is left exactly as it was. A copy of the record is taken only when the
    /// site is within [`EVENT_HEADROOM`] of its budget: one report grows it by less than that.
    pub fn bounded<T>(
        &mut self,
        site: Site,
        keep: Option<&GroupRef>,
        change: impl FnOnce(&mut Record) -> Result<T, Full>,
    ) -> Result<T, Full> {
        if self.site_bytes(site) + EVENT_HEADROOM <= MAX_SITE_BYTES {
            return change(self);
        }
        let before = self.clone();
        let result = change(self).and_then(|out| self.fit_site(site, keep).map(|()| out));
        if result.is_err() {
            *self = before;
        }
        result
    }
}

/// More than one report can add to a site's share of the record: a left group's key, name and
/// URL (2,000 characters, up to 4 bytes each), or an event id, an incident and an adder's entry.
pub const EVENT_HEADROOM: usize = 32 * 1024;

/// Why a report was not stored: the site's part of the record is full of entries it may not
/// evict for it. Nothing was changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Full {
    /// Every left group of the site is protected (re-added, re-invited or confirmed).
    LeftGroups,
    /// Every received incident of the site kept is still unseen.
    Received,
    /// The site's share of the storage quota ([`MAX_SITE_BYTES`]).
    Bytes,
}

impl std::fmt::Display for Full {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Full::LeftGroups => "the site's left groups are full of protected entries",
            Full::Received => "the site's re-additions are full of unseen ones",
            Full::Bytes => "the site's part of the record has reached its size budget",
        })
    }
}

/// Whether a left group may be evicted to make room for a leave a page reported: nothing
/// happened to it since (no re-addition or re-invitation) and the user never confirmed it.
pub fn expendable(entry: &LeftGroup) -> bool {
    entry.readditions == 0 && entry.reinvitations == 0 && !entry.confirmed
}

/// The index of the smallest time among the candidates (`None`: not a candidate); the first of
/// equal times.
fn oldest_index(times: impl Iterator<Item = Option<f64>>) -> Option<usize> {
    times
        .enumerate()
        .filter_map(|(index, time)| time.map(|t| (index, t)))
        .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
        .map(|(index, _)| index)
}

/// Bytes an entry takes in `storage.local`, an upper bound close to the truth: its JSON, where
/// the record is stored as JSON text inside a JSON string (so every quote is escaped once more),
/// plus the comma between entries. Computed from the fields, without serialising: it runs for a
/// site's whole share on every report, and serialising was far slower (the record write that
/// follows serialises once; this must not multiply that).
pub trait StoredBytes {
    fn stored_bytes(&self) -> usize;
}

/// A string as stored: `\"text\"`, and each `"` or `\\` in it (escaped in the record's JSON,
/// then again in the stored string) three bytes more. Control characters never get here (every
/// stored string was cleaned of them), and other characters are stored as their UTF-8 bytes.
fn string_bytes(text: &str) -> usize {
    // A plain loop: this runs over every stored byte of a site's share.
    let mut specials = 0;
    for &byte in text.as_bytes() {
        if byte == b'"' || byte == b'\\' {
            specials += 1;
        }
    }
    4 + text.len() + 3 * specials
}

/// A field's name as stored (`\"name\":`) plus its comma.
fn field(name: &str) -> usize {
    name.len() + 6
}

/// The longest a number is written: an `f64` in the shortest round-trip form (sign, 17 digits,
/// point, exponent) takes at most 24 bytes; `null` fits too.
const NUMBER: usize = 24;
/// A site as stored (the longest id, quoted and escaped).
const SITE: usize = 4 + 13;
/// A `u32` or `u64` count, at most.
const COUNT: usize = 20;
/// An object's braces and an array's brackets, with the comma after it.
const OBJECT: usize = 3;

impl StoredBytes for LeftGroup {
    fn stored_bytes(&self) -> usize {
        let events: usize = self.events.iter().map(|e| string_bytes(e) + 1).sum();
        let adders: usize = self
            .adders
            .keys()
            .map(|name| string_bytes(name) + 1 + COUNT + 1)
            .sum();
        OBJECT
            + field("site")
            + SITE
            + field("key")
            + string_bytes(&self.key)
            + field("name")
            + string_bytes(&self.name)
            + field("url")
            + self.url.as_deref().map_or(NUMBER, string_bytes)
            + field("first_left")
            + field("last_left")
            + field("last_readded")
            + 3 * NUMBER
            + field("times_left")
            + field("readditions")
            + field("reinvitations")
            + 3 * COUNT
            + field("adders")
            + OBJECT
            + adders
            + field("is_out")
            + field("flagging")
            + field("confirmed")
            + 3 * 5
            + field("events")
            + OBJECT
            + events
    }
}

impl StoredBytes for Incident {
    fn stored_bytes(&self) -> usize {
        let text = |value: &Option<String>| value.as_deref().map_or(NUMBER, string_bytes);
        OBJECT
            + field("id")
            + COUNT
            + field("kind")
            + 4
            + 24
            + field("site")
            + SITE
            + field("group")
            + text(&self.group)
            + field("group_name")
            + text(&self.group_name)
            + field("actor")
            + text(&self.actor)
            + field("count")
            + COUNT
            + field("at")
            + NUMBER
            + field("seen")
            + 5
    }
}

impl StoredBytes for AdderStats {
    fn stored_bytes(&self) -> usize {
        let groups: usize = self
            .groups
            .keys()
            .map(|key| string_bytes(key) + 1 + COUNT + 1)
            .sum();
        OBJECT
            + field("site")
            + SITE
            + field("name")
            + string_bytes(&self.name)
            + field("readditions")
            + field("reinvitations")
            + 2 * COUNT
            + field("groups")
            + OBJECT
            + groups
            + field("last_at")
            + NUMBER
    }
}

impl StoredBytes for RecentAdd {
    fn stored_bytes(&self) -> usize {
        OBJECT + field("site") + SITE + field("count") + COUNT + field("at") + NUMBER
    }
}

fn stored_bytes<T: StoredBytes>(entry: &T) -> usize {
    entry.stored_bytes()
}

/// Most adders counted per left group.
pub const MAX_ADDERS_PER_GROUP: usize = 500;
/// Most groups counted per adder.
pub const MAX_GROUPS_PER_ADDER: usize = 1_000;
/// Largest incident id (2^53 - 1, JavaScript's largest exact integer).
pub const MAX_SAFE_ID: u64 = (1 << 53) - 1;
/// Largest plausible people count of one incident.
pub const MAX_INCIDENT_COUNT: u32 = 100_000;

fn valid_time(ms: f64) -> bool {
    ms.is_finite() && ms >= 0.0
}

fn is_clean_name(name: &str) -> bool {
    clean_name(name).as_deref() == Some(name)
}

fn is_normal_key(site: Site, key: &str) -> bool {
    GroupRef::new(site, key).is_some_and(|group| group.key == key)
}

/// Why a left-group entry cannot be kept, if it cannot.
pub fn check_left(entry: &LeftGroup) -> Result<(), String> {
    if !is_normal_key(entry.site, &entry.key) {
        return Err("not a group key in normal form".into());
    }
    if !is_clean_name(&entry.name) {
        return Err("group name empty, too long or with control characters".into());
    }
    if let Some(url) = &entry.url {
        if clean_url(url).as_deref() != Some(url.as_str()) {
            return Err("URL is not a supported site's https URL".into());
        }
    }
    if !valid_time(entry.first_left) || !valid_time(entry.last_left) {
        return Err("times must be milliseconds since the epoch".into());
    }
    if entry.last_readded.is_some_and(|t| !valid_time(t)) {
        return Err("re-addition time is not a time".into());
    }
    if entry.times_left == 0 {
        return Err("left zero times".into());
    }
    if entry.adders.len() > MAX_ADDERS_PER_GROUP {
        return Err("too many adders".into());
    }
    if entry.adders.keys().any(|name| !is_clean_name(name)) {
        return Err("an adder name is empty, too long or has control characters".into());
    }
    if entry.events.len() > MAX_EVENT_IDS
        || entry
            .events
            .iter()
            .any(|id| clean_event_id(id).as_deref() != Some(id.as_str()))
    {
        return Err("event fingerprints too many or malformed".into());
    }
    Ok(())
}

/// Why an incident cannot be kept, if it cannot.
pub fn check_incident(incident: &Incident) -> Result<(), String> {
    if !valid_time(incident.at) {
        return Err("time is not a time".into());
    }
    if let Some(key) = &incident.group {
        if !is_normal_key(incident.site, key) {
            return Err("not a group key in normal form".into());
        }
    }
    for name in [&incident.group_name, &incident.actor]
        .into_iter()
        .flatten()
    {
        if !is_clean_name(name) {
            return Err("a name is empty, too long or has control characters".into());
        }
    }
    if incident.count > MAX_INCIDENT_COUNT {
        return Err("implausible people count".into());
    }
    Ok(())
}

/// Why adder statistics cannot be kept, if they cannot.
pub fn check_adder(stats: &AdderStats) -> Result<(), String> {
    if !is_clean_name(&stats.name) {
        return Err("name empty, too long or with control characters".into());
    }
    if !valid_time(stats.last_at) {
        return Err("time is not a time".into());
    }
    if stats.groups.len() > MAX_GROUPS_PER_ADDER
        || stats
            .groups
            .keys()
            .any(|key| !is_normal_key(stats.site, key))
    {
        return Err("group keys too many or not in normal form".into());
    }
    Ok(())
}

impl Record {
    /// Drops every entry that breaks an invariant and fixes counters that fell behind, reporting
    /// each change. A record built by the reducers passes unchanged; running it twice reports
    /// nothing the second time.
    pub fn repair(&mut self) -> Vec<RecordIssue> {
        let mut issues = Vec::new();
        let mut months_over_cap = Vec::new();
        let mut issue = |path: String, problem: String| {
            issues.push(RecordIssue::invalid(path, problem));
        };

        // Sets of what was kept: a linear pass, even for a record at the caps.
        let mut left: Vec<LeftGroup> = Vec::new();
        let mut kept_groups = std::collections::HashSet::new();
        for (index, entry) in std::mem::take(&mut self.left).into_iter().enumerate() {
            if let Err(problem) = check_left(&entry) {
                issue(format!("left[{index}]"), format!("dropped: {problem}"));
            } else if kept_groups.contains(&(entry.site, entry.key.clone())) {
                issue(format!("left[{index}]"), "dropped: duplicate group".into());
            } else {
                kept_groups.insert((entry.site, entry.key.clone()));
                left.push(entry);
            }
        }
        let over = left.len().saturating_sub(MAX_LEFT_GROUPS);
        if over > 0 {
            // As when a group is left with the record full: the ones left longest ago go.
            let mut by_age: Vec<(f64, usize)> = left
                .iter()
                .enumerate()
                .map(|(index, entry)| (entry.last_left, index))
                .collect();
            by_age.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut drop = vec![false; left.len()];
            for &(_, index) in &by_age[..over] {
                drop[index] = true;
            }
            let mut index = 0;
            left.retain(|_| {
                index += 1;
                !drop[index - 1]
            });
        }
        self.left = left;

        let mut incidents: Vec<Incident> = Vec::new();
        let all = std::mem::take(&mut self.incidents);
        let skip = all.len().saturating_sub(MAX_INCIDENTS);
        for (index, mut incident) in all.into_iter().enumerate().skip(skip) {
            if let Err(problem) = check_incident(&incident) {
                issue(format!("incidents[{index}]"), format!("dropped: {problem}"));
                continue;
            }
            // The history's order is the order of events; an id out of step (a corrupt or
            // crafted one) is raised above the one before, so no later incident is lost to it.
            if let Some(last) = incidents.last() {
                if incident.id <= last.id {
                    issue(
                        format!("incidents[{index}]"),
                        "id out of order; raised above the one before".into(),
                    );
                    incident.id = last.id.saturating_add(1);
                }
            }
            incidents.push(incident);
        }
        self.incidents = incidents;
        if let Some(last) = self.incidents.last() {
            if self.next_incident_id <= last.id {
                issue(
                    "next_incident_id".into(),
                    "raised above the newest incident".into(),
                );
                self.next_incident_id = last.id.saturating_add(1);
            }
        }
        // Ids travel to JavaScript as numbers: keep them exact there. Only a crafted import
        // gets near the limit; renumbering keeps the order. This comes last, so that a repaired
        // record needs no second repair.
        if self.next_incident_id > MAX_SAFE_ID
            || self
                .incidents
                .last()
                .is_some_and(|last| last.id >= MAX_SAFE_ID)
        {
            issue(
                "next_incident_id".into(),
                "beyond what JavaScript counts exactly; incidents renumbered".into(),
            );
            for (id, incident) in (0u64..).zip(self.incidents.iter_mut()) {
                incident.id = id;
            }
            self.next_incident_id = self.incidents.len() as u64;
        }
        for kind in IncidentKind::ALL {
            let in_history = self.incidents.iter().filter(|i| i.kind == kind).count() as u64;
            let total = self.totals.entry(kind).or_insert(0);
            if *total < in_history {
                issue(
                    format!("totals.{}", kind_name(kind)),
                    "raised to the incidents in the history".into(),
                );
                *total = in_history;
            }
        }
        // Zero totals are not stored, so a repaired record compares equal to a fresh one.
        self.totals.retain(|_, total| *total > 0);
        for (path, problem, over_cap) in crate::monthly::repair(&mut self.monthly) {
            if over_cap {
                months_over_cap.push(RecordIssue::over_cap(path, problem));
            } else {
                issue(path, problem);
            }
        }

        let mut adders: Vec<AdderStats> = Vec::new();
        let mut kept_adders = std::collections::HashSet::new();
        let mut adders_over_cap = 0usize;
        for (index, stats) in std::mem::take(&mut self.adders).into_iter().enumerate() {
            if let Err(problem) = check_adder(&stats) {
                issue(format!("adders[{index}]"), format!("dropped: {problem}"));
            } else if kept_adders.contains(&(stats.site, stats.name.clone())) {
                issue(
                    format!("adders[{index}]"),
                    "dropped: duplicate adder".into(),
                );
            } else if adders.len() >= MAX_ADDERS {
                adders_over_cap += 1;
            } else {
                kept_adders.insert((stats.site, stats.name.clone()));
                adders.push(stats);
            }
        }
        self.adders = adders;

        let before = self.recent_adds.len();
        self.recent_adds
            .retain(|add| valid_time(add.at) && add.count <= MAX_INCIDENT_COUNT);
        if self.recent_adds.len() != before {
            issue(
                "recent_adds".into(),
                format!(
                    "dropped {} with an invalid time or count",
                    before - self.recent_adds.len()
                ),
            );
        }
        let excess = self.recent_adds.len().saturating_sub(MAX_RECENT_ADDS);
        self.recent_adds.drain(..excess);

        // Over a cap: nothing invalid, the oldest entries went (one note per list).
        for (path, dropped, cap, what) in [
            ("left", over, MAX_LEFT_GROUPS, "groups left longest ago"),
            ("incidents", skip, MAX_INCIDENTS, "oldest incidents"),
            (
                "adders",
                adders_over_cap,
                MAX_ADDERS,
                "adders beyond the cap",
            ),
            ("recent_adds", excess, MAX_RECENT_ADDS, "oldest recent adds"),
        ] {
            if dropped > 0 {
                issues.push(RecordIssue::over_cap(
                    path,
                    format!("dropped the {dropped} {what}: the record keeps {cap}"),
                ));
            }
        }
        issues.extend(months_over_cap);
        issues.extend(crate::agreed::repair(&mut self.agreed));
        issues
    }
}

fn kind_name(kind: IncidentKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|value| value.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Counters saturate: imported data may already sit at the maximum.
fn bump<T: num_like::Saturating>(counter: &mut T) {
    *counter = counter.saturating_inc();
}

mod num_like {
    pub trait Saturating: Copy {
        fn saturating_inc(self) -> Self;
    }
    impl Saturating for u32 {
        fn saturating_inc(self) -> Self {
            self.saturating_add(1)
        }
    }
    impl Saturating for u64 {
        fn saturating_inc(self) -> Self {
            self.saturating_add(1)
        }
    }
}

/// Counts an adder in a group's map, which is bounded (new names beyond the bound are only in
/// the incident history).
fn count_adder(entry: &mut LeftGroup, name: &str) {
    if entry.adders.contains_key(name) || entry.adders.len() < MAX_ADDERS_PER_GROUP {
        bump(entry.adders.entry(name.to_string()).or_insert(0));
    }
}

fn remember_event(entry: &mut LeftGroup, event_id: String) {
    if entry.events.contains(&event_id) {
        return;
    }
    entry.events.push(event_id);
    if entry.events.len() > MAX_EVENT_IDS {
        let excess = entry.events.len() - MAX_EVENT_IDS;
        entry.events.drain(..excess);
    }
}

fn notice(entry: &LeftGroup, number: u32, actor: Option<String>, flag: bool) -> ReAddNotice {
    let actor_count = actor
        .as_ref()
        .and_then(|name| entry.adders.get(name).copied());
    ReAddNotice {
        site: entry.site,
        group: entry.key.clone(),
        group_name: entry.shown_on_page().to_owned(),
        first_left: entry.first_left,
        last_left: entry.last_left,
        times_left: entry.times_left,
        number,
        actor,
        actor_count,
        flag,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fb(key: &str) -> GroupRef {
        GroupRef::new(Site::Facebook, key).unwrap()
    }

    #[test]
    fn the_story_four_readditions_by_one_networker() {
        let mut record = Record::default();
        let group = fb("4711");
        for round in 0..4u32 {
            let t = f64::from(round) * 1000.0;
            record.left_group(
                &group,
                "Netzwerk",
                Some("https://www.facebook.com/groups/4711/"),
                t,
            );
            let result = record.seen_readded(
                &group,
                &format!("msg-{round}"),
                Some("Max"),
                false,
                t + 10.0,
            );
            let ReAddResult::Counted { notice } = result else {
                panic!("not counted: {result:?}");
            };
            assert_eq!(notice.number, round + 1);
            assert_eq!(notice.actor_count, Some(round + 1));
            assert_eq!(notice.times_left, round + 1);
            assert_eq!(notice.first_left, 0.0);
            assert!(notice.flag);
        }
        let entry = record.find_left(&group).unwrap();
        assert_eq!(entry.readditions, 4);
        assert_eq!(entry.adders.get("Max"), Some(&4));
        assert_eq!(record.total(IncidentKind::ReAdded), 4);
        assert_eq!(record.adders[0].readditions, 4);
        assert_eq!(record.adders[0].groups.get("4711"), Some(&4));
        assert_eq!(record.unseen_received(), 4);
        assert_eq!(record.mark_seen(), 4);
        assert_eq!(record.unseen_received(), 0);
    }

    #[test]
    fn the_same_event_never_counts_twice() {
        let mut record = Record::default();
        let group = fb("1");
        record.left_group(&group, "G", None, 0.0);
        assert!(matches!(
            record.seen_readded(&group, "e1", None, false, 1.0),
            ReAddResult::Counted { .. }
        ));
        assert!(matches!(
            record.seen_readded(&group, "e1", None, false, 2.0),
            ReAddResult::AlreadyCounted { .. }
        ));
        // Left again; the old message is still in the chat and is seen again.
        record.left_group(&group, "G", None, 3.0);
        assert!(matches!(
            record.seen_readded(&group, "e1", None, false, 4.0),
            ReAddResult::AlreadyCounted { .. }
        ));
        assert!(matches!(
            record.seen_readded(&group, "e2", None, false, 5.0),
            ReAddResult::Counted { .. }
        ));
        assert_eq!(record.find_left(&group).unwrap().readditions, 2);
        assert_eq!(record.find_left(&group).unwrap().times_left, 2);
    }

    #[test]
    fn a_later_message_names_the_adder_of_a_counted_visit() {
        let mut record = Record::default();
        let group = fb("1");
        record.left_group(&group, "G", None, 0.0);
        record.seen_readded(&group, "visit-0", None, false, 1.0);
        let result = record.seen_readded(&group, "msg-9", Some("Eva"), false, 2.0);
        assert!(matches!(result, ReAddResult::AlreadyCounted { .. }));
        assert_eq!(record.find_left(&group).unwrap().readditions, 1);
        assert_eq!(record.incidents[0].actor.as_deref(), Some("Eva"));
        assert_eq!(record.adders[0].readditions, 1);
        // A third sighting naming someone else does not overwrite or double count.
        record.seen_readded(&group, "msg-10", Some("Udo"), false, 3.0);
        assert_eq!(record.adders.len(), 1);
    }

    #[test]
    fn a_repeated_sighting_names_the_known_adder() {
        let mut record = Record::default();
        let group = fb("1");
        record.left_group(&group, "G", None, 0.0);
        record.seen_readded(&group, "msg-1", Some("Eva"), false, 1.0);
        // Reload: the page shows membership again, without the message.
        let result = record.seen_readded(&group, "visit-0", None, false, 2.0);
        let ReAddResult::AlreadyCounted { notice } = result else {
            panic!("{result:?}");
        };
        assert_eq!(notice.number, 1);
        assert_eq!(notice.actor.as_deref(), Some("Eva"));
        assert_eq!(notice.actor_count, Some(1));
        assert_eq!(record.adders[0].readditions, 1);
    }

    #[test]
    fn leaving_twice_without_readdition_is_one_leave() {
        let mut record = Record::default();
        let group = fb("1");
        record.left_group(&group, "G", None, 0.0);
        record.left_group(&group, "G renamed", None, 1.0);
        let entry = record.find_left(&group).unwrap();
        assert_eq!(entry.times_left, 1);
        assert_eq!(entry.name, "G renamed");
    }

    #[test]
    fn untracked_groups_and_bad_event_ids_are_ignored() {
        let mut record = Record::default();
        assert_eq!(
            record.seen_readded(&fb("9"), "e", None, false, 0.0),
            ReAddResult::NotTracked
        );
        record.left_group(&fb("9"), "G", None, 0.0);
        assert_eq!(
            record.seen_readded(&fb("9"), " \n", None, false, 0.0),
            ReAddResult::NotTracked
        );
        assert!(record.incidents.is_empty());
    }

    #[test]
    fn trusted_adders_and_rejoins_are_not_flagged() {
        let mut record = Record::default();
        let group = fb("1");
        record.left_group(&group, "G", None, 0.0);
        let result = record.seen_readded(&group, "e1", Some("Mum"), true, 1.0);
        assert!(!result.notice().unwrap().flag);
        assert_eq!(record.unseen_received(), 0);

        let other = fb("2");
        record.left_group(&other, "H", None, 0.0);
        assert!(record.rejoined_on_purpose(&other));
        let result = record.seen_readded(&other, "visit", None, false, 1.0);
        assert!(matches!(result, ReAddResult::AlreadyCounted { .. }));
        assert!(!result.notice().unwrap().flag);
        // Leaving again turns flagging back on.
        record.left_group(&other, "H", None, 2.0);
        let result = record.seen_readded(&other, "visit2", None, false, 3.0);
        assert!(result.notice().unwrap().flag);
    }

    #[test]
    fn reinvitations_count_per_event() {
        let mut record = Record::default();
        let group = fb("1");
        record.left_group(&group, "G", None, 0.0);
        record.reinvited(&group, "inv1", Some("Max"), false, 1.0);
        record.reinvited(&group, "inv1", Some("Max"), false, 2.0);
        record.reinvited(&group, "inv2", Some("Max"), false, 3.0);
        let entry = record.find_left(&group).unwrap();
        assert_eq!(entry.reinvitations, 2);
        assert!(entry.is_out);
        assert_eq!(record.adders[0].reinvitations, 2);
        assert_eq!(record.total(IncidentKind::ReInvited), 2);
    }

    #[test]
    fn history_is_bounded_but_totals_survive() {
        let mut record = Record::default();
        for i in 0..(MAX_OWN_INCIDENTS_PER_SITE + 10) {
            record.add_incident(
                IncidentKind::BulkAddWarned,
                Site::Slack,
                None,
                None,
                7,
                i as f64,
            );
        }
        assert_eq!(record.incidents.len(), MAX_OWN_INCIDENTS_PER_SITE);
        assert_eq!(record.incidents[0].id, 10);
        assert_eq!(
            record.total(IncidentKind::BulkAddWarned),
            (MAX_OWN_INCIDENTS_PER_SITE + 10) as u64
        );
        // Received kinds cannot be faked through this door.
        record.add_incident(IncidentKind::ReAdded, Site::Slack, None, None, 1, 0.0);
        assert_eq!(record.total(IncidentKind::ReAdded), 0);
    }

    #[test]
    fn sequential_window() {
        let mut record = Record::default();
        let window = 10.0 * 60_000.0;
        for i in 0..4 {
            record.add_confirmed(Site::Whatsapp, 3, f64::from(i) * 60_000.0, window);
        }
        record.add_confirmed(Site::Telegram, 50, 0.0, window);
        assert_eq!(
            record.added_in_window(Site::Whatsapp, 240_000.0, window),
            12
        );
        assert_eq!(record.added_in_window(Site::Whatsapp, 610_000.0, window), 9);
        record.prune_recent(10_000_000.0, window);
        assert!(record.recent_adds.is_empty());
    }

    #[test]
    fn huge_incident_ids_are_renumbered() {
        let mut record = Record::default();
        record.add_incident(
            IncidentKind::AskMessageCopied,
            Site::Slack,
            None,
            None,
            1,
            1.0,
        );
        record.incidents[0].id = u64::MAX - 1;
        record.next_incident_id = u64::MAX;
        let issues = record.repair();
        assert_eq!(issues.len(), 1);
        assert_eq!(record.incidents[0].id, 0);
        assert_eq!(record.next_incident_id, 1);
        assert!(record.repair().is_empty());
    }

    #[test]
    fn forget_rename_clear() {
        let mut record = Record::default();
        let group = fb("1");
        record.left_group(&group, "G", None, 0.0);
        assert!(record.rename_group(&group, "  My  name "));
        assert_eq!(record.find_left(&group).unwrap().name, "My name");
        assert!(!record.rename_group(&group, "   "));
        assert!(record.forget_group(&group));
        assert!(!record.forget_group(&group));
        record.left_group(&group, "G", None, 0.0);
        record.clear_all();
        assert_eq!(record, Record::default());
    }
}

#[cfg(test)]
mod repair_scale_tests {
    use super::*;
    use crate::model::{GroupRef, Record};
    use crate::site::Site;

    #[test]
    fn repairing_a_record_at_the_caps_keeps_every_distinct_group_and_drops_duplicates() {
        let mut record = Record::default();
        let group = GroupRef::new(Site::Facebook, "g0").unwrap();
        record.left_group(&group, "Group 0", None, 1_000.0);
        let template = record.left.pop().unwrap();
        // Built directly: the ledger keeps each site within its share, an import may not.
        for i in 0..MAX_LEFT_GROUPS {
            let mut entry = template.clone();
            entry.key = format!("g{i}");
            entry.name = format!("Group {i}");
            record.left.push(entry);
        }
        // A duplicate of the first group, as a hand-edited import might carry.
        let duplicate = record.left[0].clone();
        record.left.push(duplicate);
        let issues = record.repair();
        assert_eq!(record.left.len(), MAX_LEFT_GROUPS);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert!(issues[0].problem.contains("duplicate"));
        assert!(
            record.repair().is_empty(),
            "a repaired record needs no more repair"
        );
    }
}

/// A counted re-addition or re-invitation, as the incident history records it.
struct Received {
    kind: IncidentKind,
    site: Site,
    key: String,
    name: String,
    actor: Option<String>,
    /// Shown to the user (not seen yet) unless the adder is trusted or the group not flagged.
    flag: bool,
}

impl Received {
    fn of(kind: IncidentKind, entry: &LeftGroup, actor: Option<String>, flag: bool) -> Received {
        Received {
            kind,
            site: entry.site,
            key: entry.key.clone(),
            name: entry.name.clone(),
            actor,
            flag,
        }
    }
}

#[cfg(test)]
mod retention_tests {
    use super::*;
    use crate::storage::{record_value, stored_size, KEY_RECORD};

    fn group(site: Site, key: &str) -> GroupRef {
        GroupRef::new(site, key).unwrap()
    }

    fn wa(i: usize) -> GroupRef {
        group(Site::Whatsapp, &format!("fake {i}"))
    }

    /// A record with a Slack channel left, a WhatsApp group re-added (unseen), one re-invited and
    /// one confirmed by the user.
    fn genuine() -> Record {
        let mut record = Record::default();
        record.left_group(&group(Site::Slack, "T1/C1"), "Team", None, 1.0);
        record.left_group(&group(Site::Whatsapp, "familie"), "Familie", None, 2.0);
        record.seen_readded(
            &group(Site::Whatsapp, "familie"),
            "m1",
            Some("Max"),
            false,
            3.0,
        );
        record.left_group(&group(Site::Whatsapp, "chor"), "Chor", None, 2.5);
        record.reinvited(
            &group(Site::Whatsapp, "chor"),
            "i1",
            Some("Eva"),
            false,
            3.5,
        );
        record.left_group(&group(Site::Whatsapp, "verein"), "Verein", None, 2.7);
        record.confirm_left(&group(Site::Whatsapp, "verein"));
        record
    }

    #[test]
    fn a_sites_reported_leaves_evict_only_its_own_unprotected_entries() {
        let mut record = genuine();
        let before = record.clone();
        for i in 0..MAX_LEFT_PER_SITE * 2 {
            record
                .report_left(&wa(i), "Fake", None, 10.0 + i as f64)
                .unwrap();
        }
        let of_site = record
            .left
            .iter()
            .filter(|e| e.site == Site::Whatsapp)
            .count();
        assert_eq!(of_site, MAX_LEFT_PER_SITE);
        for kept in &before.left {
            assert!(
                record.find_left(&kept.group()).is_some(),
                "{} evicted",
                kept.key
            );
        }
        // The newest made-up ones are there, the oldest went.
        assert!(record.find_left(&wa(MAX_LEFT_PER_SITE * 2 - 1)).is_some());
        assert!(record.find_left(&wa(0)).is_none());
        assert_eq!(record.unseen_received(), before.unseen_received());
    }

    #[test]
    fn a_reported_leave_is_refused_when_only_protected_entries_are_left_to_evict() {
        let mut record = Record::default();
        for i in 0..MAX_LEFT_PER_SITE {
            record.left_group(&wa(i), "Real", None, i as f64);
            record.confirm_left(&wa(i));
        }
        let before = record.clone();
        assert_eq!(
            record.report_left(&wa(99_999), "Fake", None, 1e6),
            Err(Full::LeftGroups)
        );
        assert_eq!(record, before);
        // A group already in the record is updated as before (a leave after a re-addition).
        record.seen_readded(&wa(3), "m", None, false, 1e6);
        assert_eq!(record.report_left(&wa(3), "Real", None, 2e6), Ok(()));
        assert_eq!(record.find_left(&wa(3)).unwrap().times_left, 2);
        // The user's own leave still finds room: the site's oldest goes.
        record.left_group(&wa(99_999), "Mine", None, 3e6);
        assert!(record.find_left(&wa(99_999)).is_some());
        assert!(record.find_left(&wa(0)).is_none());
        assert_eq!(
            record
                .left
                .iter()
                .filter(|e| e.site == Site::Whatsapp)
                .count(),
            MAX_LEFT_PER_SITE
        );
    }

    #[test]
    fn own_incidents_never_evict_received_ones_and_unseen_ones_are_never_evicted() {
        let mut record = genuine();
        let unseen: Vec<u64> = record
            .incidents
            .iter()
            .filter(|i| !i.seen)
            .map(|i| i.id)
            .collect();
        assert_eq!(unseen.len(), 2);
        for i in 0..5_000 {
            record.add_incident(
                IncidentKind::BulkAddCancelled,
                Site::Whatsapp,
                None,
                None,
                50,
                10.0 + f64::from(i),
            );
        }
        assert_eq!(record.unseen_received(), 2);
        assert!(unseen
            .iter()
            .all(|id| record.incidents.iter().any(|i| i.id == *id)));

        // Made-up re-additions fill the site's share of received incidents with unseen ones...
        let mut counted = 0;
        for i in 0..MAX_RECEIVED_PER_SITE * 2 {
            record.left_group(&wa(i), "Fake", None, 1e5);
            match record.report_readded(&wa(i), "m", Some("Mallory"), false, 1e5 + 1.0) {
                Ok(ReAddResult::Counted { .. }) => counted += 1,
                Ok(other) => panic!("{other:?}"),
                Err(full) => {
                    assert_eq!(full, Full::Received);
                    // ...and then are refused whole: nothing counted, nothing changed.
                    assert_eq!(record.find_left(&wa(i)).unwrap().readditions, 0);
                }
            }
        }
        assert_eq!(counted, MAX_RECEIVED_PER_SITE - 2);
        assert_eq!(record.unseen_received() as usize, MAX_RECEIVED_PER_SITE);
        assert!(unseen
            .iter()
            .all(|id| record.incidents.iter().any(|i| i.id == *id && !i.seen)));
        // Another site is not affected.
        let tg = group(Site::Telegram, "-1001303328644");
        record.left_group(&tg, "Club", None, 2e5);
        assert!(matches!(
            record.report_readded(&tg, "m", None, false, 2e5 + 1.0),
            Ok(ReAddResult::Counted { .. })
        ));
        // Once the user looked, the oldest seen ones make room again.
        record.mark_seen();
        let next = wa(MAX_RECEIVED_PER_SITE * 2);
        record.left_group(&next, "Fake", None, 3e5);
        assert!(matches!(
            record.report_readded(&next, "m", None, false, 3e5 + 1.0),
            Ok(ReAddResult::Counted { .. })
        ));
        let received = record
            .incidents
            .iter()
            .filter(|i| i.site == Site::Whatsapp && i.kind.is_received())
            .count();
        assert_eq!(received, MAX_RECEIVED_PER_SITE);
    }

    #[test]
    fn a_full_adder_table_evicts_the_adder_seen_longest_ago_of_the_same_site() {
        let mut record = Record::default();
        let slack = group(Site::Slack, "T1/C1");
        record.left_group(&slack, "Team", None, 0.0);
        record.seen_readded(&slack, "m", Some("Slack Adder"), false, 0.5);
        for i in 0..MAX_ADDERS_PER_SITE + 50 {
            let g = wa(i);
            record.left_group(&g, "G", None, 1.0 + i as f64);
            record.seen_readded(&g, "m", Some(&format!("Adder {i}")), false, 2.0 + i as f64);
        }
        let of_site =
            |record: &Record, site| record.adders.iter().filter(|a| a.site == site).count();
        assert_eq!(of_site(&record, Site::Whatsapp), MAX_ADDERS_PER_SITE);
        // Before: every adder after the cap was dropped for good. Now the newest are counted and
        // the ones seen longest ago went.
        let names: Vec<&str> = record.adders.iter().map(|a| a.name.as_str()).collect();
        assert!(names.contains(&"Adder 749"), "the newest adder is counted");
        assert!(!names.contains(&"Adder 0"));
        assert!(names.contains(&"Slack Adder"), "another site's adder stays");
        // An adder seen again is kept fresh and survives the next evictions.
        let g = wa(60);
        record.left_group(&g, "G", None, 1e4);
        record.seen_readded(&g, "m2", Some("Adder 60"), false, 1e4 + 1.0);
        for i in 0..60 {
            let g = wa(10_000 + i);
            record.left_group(&g, "G", None, 2e4);
            record.seen_readded(&g, "m", Some(&format!("New {i}")), false, 2e4 + 1.0);
        }
        let names: Vec<&str> = record.adders.iter().map(|a| a.name.as_str()).collect();
        assert!(names.contains(&"Adder 60"));
        assert!(!names.contains(&"Adder 61"));
    }

    #[test]
    fn a_sites_share_is_bounded_in_bytes_as_stored() {
        let mut record = genuine();
        let protected: Vec<GroupRef> = record.left.iter().map(LeftGroup::group).collect();
        let url = format!("https://web.whatsapp.com/{}", "x".repeat(1_970));
        let mut refused = 0;
        for i in 0..600 {
            let g = wa(i);
            let result = record.bounded(Site::Whatsapp, Some(&g), |r| {
                r.report_left(&g, &"N".repeat(200), Some(&url), 10.0 + i as f64)
            });
            if result.is_err() {
                refused += 1;
            }
            if i % 10 == 0 {
                assert!(record.site_bytes(Site::Whatsapp) <= MAX_SITE_BYTES);
            }
        }
        assert!(record.site_bytes(Site::Whatsapp) <= MAX_SITE_BYTES);
        assert!(record.find_left(&wa(599)).is_some());
        // Far fewer than the count cap fit: the bytes decided.
        let of_site = record
            .left
            .iter()
            .filter(|e| e.site == Site::Whatsapp)
            .count();
        assert!(of_site < MAX_LEFT_PER_SITE / 2, "{of_site}");
        assert_eq!(
            refused, 0,
            "unprotected made-up entries make room for newer ones"
        );
        for g in &protected {
            assert!(record.find_left(g).is_some(), "{} evicted", g.key);
        }
        assert_eq!(record.unseen_received(), 2);

        // The estimate is what storage counts: the stored size of the record is the sum of the
        // sites' shares plus a few bytes of framing.
        let total: usize = Site::ALL.iter().map(|&s| record.site_bytes(s)).sum();
        let stored = stored_size(KEY_RECORD, &record_value(&record));
        assert!(stored <= total + 400, "{stored} > {total}");
        assert!(stored * 11 / 10 >= total, "{stored} much less than {total}");
    }

    /// The bytes serde writes for `entry` inside the stored string, with its comma (the oracle
    /// for the estimate).
    fn exact<T: Serialize>(entry: &T) -> usize {
        let json = serde_json::to_string(entry).unwrap();
        serde_json::Value::String(json).to_string().len() - 2 + 1
    }

    #[test]
    fn the_size_estimate_bounds_what_serde_writes_and_stays_close() {
        let mut record = genuine();
        let hostile = "Quote \" back\\slash \u{1F600} ünï \"\"";
        let g = group(Site::Whatsapp, hostile);
        let url = "https://web.whatsapp.com/\"x\"";
        record.left_group(&g, hostile, Some(url), 1.0e12 + 0.123);
        for i in 0..70 {
            let event = format!("e{i}\"{hostile}");
            record.seen_readded(&g, &event, Some(hostile), false, 2.0);
            record.left_group(&g, hostile, None, 3.0);
        }
        record.add_confirmed(Site::Whatsapp, 7, 4.0, 1e9);
        record.add_incident(
            IncidentKind::BulkAddWarned,
            Site::Whatsapp,
            Some(&g),
            Some(hostile),
            9,
            5.0,
        );
        let check = |estimate: usize, exact: usize| {
            assert!(estimate >= exact, "{estimate} < {exact}");
            assert!(estimate <= exact + 200, "{estimate} far above {exact}");
        };
        for entry in &record.left {
            check(entry.stored_bytes(), exact(entry));
        }
        for incident in &record.incidents {
            check(incident.stored_bytes(), exact(incident));
        }
        for adder in &record.adders {
            check(adder.stored_bytes(), exact(adder));
        }
        for add in &record.recent_adds {
            check(add.stored_bytes(), exact(add));
        }
    }

    #[test]
    fn a_report_that_cannot_fit_leaves_the_record_exactly_as_it_was() {
        let mut record = Record::default();
        // Protected entries only, filling the budget.
        let url = format!("https://web.whatsapp.com/{}", "y".repeat(1_970));
        let mut i = 0;
        // Less room left than one more such entry takes.
        while record.site_bytes(Site::Whatsapp) + 2_000 < MAX_SITE_BYTES {
            record.left_group(&wa(i), &"P".repeat(200), Some(&url), i as f64);
            record.confirm_left(&wa(i));
            i += 1;
        }
        let slack = group(Site::Slack, "T1/C1");
        record.left_group(&slack, "Team", None, 0.0);
        let before = record.clone();
        for j in 0..20 {
            let g = wa(100_000 + j);
            let result = record.bounded(Site::Whatsapp, Some(&g), |r| {
                r.report_left(&g, &"F".repeat(200), Some(&url), 1e6)
            });
            assert_eq!(result, Err(Full::Bytes), "{j}");
            assert!(record == before, "a refused report changed the record");
        }
        // Another site still has its whole budget.
        let other = group(Site::Slack, "T1/C2");
        assert_eq!(
            record.bounded(Site::Slack, Some(&other), |r| r
                .report_left(&other, "x", None, 1e6)),
            Ok(())
        );
    }
}
