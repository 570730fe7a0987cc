//! System messages on a group's page ("Anna added you", "You left this group") and the ids of
//! what they show: each sighting of a re-addition carries an event id that is the same on every
//! reload, so the ledger counts it once.

use super::{first_shown_text, select_last_in_document, text_of, whole_text_of, Membership, Page};
use crate::pack::{normalise_text, MessageMeaning, MessagesOrder, SitePack};

/// At most this many message elements are read per spec (the newest ones).
pub const MAX_MESSAGES: usize = 200;

/// Longest message text read: a system message is a sentence with two names at most. A longer
/// text is not one (and a cut text must not pass for the whole message).
pub const MAX_MESSAGE_TEXT: usize = 400;

/// One system message the pack recognised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub meaning: MessageMeaning,
    pub text: String,
    pub actor: Option<String>,
    /// Whether it is about the signed-in user (`None`: cannot tell, the user's name is unknown).
    pub about_self: Option<bool>,
}

/// The signed-in user's display name, where the pack says the page shows it.
pub fn self_name<P: Page>(page: &P, pack: &SitePack) -> Option<String> {
    pack.self_name
        .as_deref()
        .and_then(|selector| first_shown_text(page, selector))
}

/// The messages of the page in the order they were posted, newest last. `self_name` is the
/// signed-in user's display name ([`self_name`], or one the page showed before), to tell
/// messages about the user from messages about others where the site names the user.
pub fn read_messages<P: Page>(page: &P, pack: &SitePack, self_name: Option<&str>) -> Vec<Message> {
    // Packs give several specs the same selector (Facebook: three meanings, one feed): each
    // selector is queried once and each element's text read once, whatever the number of specs.
    // (No hash map: hashing 64-bit keys is slow in the wasm2js fallback.)
    let mut lists: Vec<Queried<P::Node>> = Vec::new();
    let mut found: Vec<(P::Node, Message)> = Vec::new();
    for spec in &pack.messages {
        let needles: Vec<Vec<String>> = spec
            .templates
            .values()
            .flatten()
            .map(|template| literal_pieces(template))
            .collect();
        let inner = spec.text.as_deref();
        let list = match lists
            .iter()
            .position(|list| list.selector == spec.selector && list.inner.as_deref() == inner)
        {
            Some(at) => at,
            None => {
                let nodes = select_last_in_document(page, &spec.selector, MAX_MESSAGES);
                lists.push(Queried {
                    selector: spec.selector.clone(),
                    inner: spec.text.clone(),
                    texts: vec![None; nodes.len()],
                    nodes,
                });
                lists.len() - 1
            }
        };
        let Queried { nodes, texts, .. } = &mut lists[list];
        for (node, cached) in nodes.iter().zip(texts.iter_mut()) {
            let (text, normalised) = cached.get_or_insert_with(|| {
                // The whole text of the message element, or nothing: a template must span it.
                let inner = spec
                    .text
                    .as_deref()
                    .and_then(|selector| page.select(node, selector).into_iter().next());
                let text = whole_text_of(page, inner.as_ref().unwrap_or(node), MAX_MESSAGE_TEXT)
                    .unwrap_or_default();
                let normalised = normalise_text(&text);
                (text, normalised)
            });
            if text.is_empty() {
                continue;
            }
            // Most texts (every post of a feed) contain no template's words: skip the full match.
            // `pack::find`, not `str::contains`: std's substring searcher is large code.
            let possible = needles.iter().any(|pieces| {
                pieces
                    .iter()
                    .all(|piece| crate::pack::find(normalised, piece).is_some())
            });
            if !possible {
                continue;
            }
            let Some(matched) = spec.matches(text) else {
                continue;
            };
            // A person wrote it (the site shows an author, a sender, rich text): not the
            // site's own notice, whatever it says.
            if let Some(exclude) = spec.exclude.as_deref() {
                if page.matches(node, exclude) || !page.select(node, exclude).is_empty() {
                    continue;
                }
            }
            let subject = spec
                .subject
                .as_deref()
                .and_then(|selector| page.select(node, selector).into_iter().next())
                .map(|inner| text_of(page, &inner));
            let about_self = spec.about_self(&matched, subject.as_deref(), self_name);
            found.push((
                node.clone(),
                Message {
                    meaning: spec.meaning,
                    text: text.clone(),
                    actor: matched.actor,
                    about_self,
                },
            ));
        }
    }
    // Page order across the specs (one element may only match once per spec). An insertion
    // sort: the list holds matched messages only and each spec's come in page order already, and
    // `sort_by` would bring the standard library's stable sort (about 5 KB) into the content build.
    let after = |a: &P::Node, b: &P::Node| a != b && page.follows(a, b);
    for next in 1..found.len() {
        let mut at = next;
        while at > 0 && after(&found[at - 1].0, &found[at].0) {
            found.swap(at - 1, at);
            at -= 1;
        }
    }
    let mut found: Vec<Message> = found.into_iter().map(|(_, message)| message).collect();
    // Feeds of notices show the newest first; chats show it last.
    if pack.messages_order == MessagesOrder::NewestFirst {
        found.reverse();
    }
    found
}

/// The elements of one message selector (and inner text selector), with each one's text and
/// normalised text once read.
struct Queried<N> {
    selector: String,
    inner: Option<String>,
    nodes: Vec<N>,
    texts: Vec<Option<(String, String)>>,
}

/// A template's literal parts (the text between placeholders), each normalised like the texts
/// are. [`crate::pack::match_message`] compares literal parts character by character with the
/// normalised text, so a text whose normalised form lacks one of them cannot match the
/// template: a cheap test before the full match.
pub fn literal_pieces(template: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest = template;
    loop {
        let (literal, after) = match rest.split_once('{') {
            Some((literal, after)) => (literal, Some(after)),
            None => (rest, None),
        };
        let piece = normalise_text(literal);
        if !piece.is_empty() {
            pieces.push(piece);
        }
        // Fewer pieces only make the test weaker, never wrong.
        match after.and_then(|after| after.split_once('}')) {
            Some((_, next)) => rest = next,
            None => break,
        }
    }
    pieces
}

/// The newest "you left" message when an "added you" message follows it (the chat's history
/// says: left, then added back). An "added you" message whose subject is unknown counts only
/// while the page shows the user as a member.
pub fn left_then_added(messages: &[Message], membership: Membership) -> Option<&Message> {
    let last_left = messages
        .iter()
        .rposition(|m| m.meaning == MessageMeaning::YouLeft && m.about_self == Some(true))?;
    let added_after = messages.iter().skip(last_left + 1).any(|m| {
        m.meaning == MessageMeaning::AddedYou
            && match m.about_self {
                Some(about) => about,
                None => membership == Membership::Member,
            }
    });
    added_after.then(|| &messages[last_left])
}

/// The newest "added you" message about the user. Where the user's name is unknown
/// (`about_self` None), only while the page itself shows the membership.
pub fn newest_addition(messages: &[Message], membership: Membership) -> Option<&Message> {
    messages.iter().rev().find(|m| {
        m.meaning == MessageMeaning::AddedYou
            && match m.about_self {
                Some(about) => about,
                None => membership == Membership::Member,
            }
    })
}

/// The invitation a load of the page reports: the newest "invited you" message not about someone
/// else, or none. Only the newest, like [`newest_addition`]: the ledger remembers a bounded
/// number of event ids per group (`MAX_EVENT_IDS`), so reporting every invitation of a long chat
/// on every load would count the older ones again once they fell out of that memory.
pub fn newest_invitation(messages: &[Message]) -> Option<&Message> {
    messages
        .iter()
        .rev()
        .find(|m| m.meaning == MessageMeaning::InvitedYou && m.about_self != Some(false))
}

/// A short, stable fingerprint of a message (FNV-1a over its normalised text): event ids stay
/// the same across reloads and never store the message itself.
pub fn fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in normalise_text(text).bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// A time as whole milliseconds (no float formatting code in the content build); 0 for a time
/// that is not a positive finite number.
pub fn time_key(ms: f64) -> String {
    let whole = if ms.is_finite() && ms > 0.0 {
        ms as u64
    } else {
        0
    };
    whole.to_string()
}

/// What a sighting of the user back in a group they left rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SightingKind<'a> {
    /// An "added you" message (its text).
    Added(&'a str),
    /// The page shows the user as a member again, with no message saying who.
    Visit,
    /// An "invited you" message (its text).
    Invited(&'a str),
}

/// The event id of a sighting: the time the user last left (so a new leave starts a new
/// re-addition) and the message's fingerprint. Stable across reloads and tabs; never the
/// message's text.
pub fn sighting_id(kind: SightingKind, last_left: f64) -> String {
    let since = time_key(last_left);
    match kind {
        SightingKind::Added(text) => format!("message:{since}:{}", fingerprint(text)),
        SightingKind::Visit => format!("visit:{since}"),
        SightingKind::Invited(text) => format!("invite:{since}:{}", fingerprint(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(meaning: MessageMeaning, about_self: Option<bool>) -> Message {
        Message {
            meaning,
            text: format!("{meaning:?}"),
            actor: None,
            about_self,
        }
    }

    #[test]
    fn sighting_ids_are_stable_and_hold_no_text() {
        let text = "Anna Schmidt added Robin Meyer";
        let id = sighting_id(SightingKind::Added(text), 1_700_000_000_123.9);
        assert_eq!(
            id,
            sighting_id(
                SightingKind::Added("  anna  SCHMIDT added robin meyer "),
                1_700_000_000_123.0
            ),
            "the same message after a reload, however it is spaced or cased"
        );
        assert!(id.starts_with("message:1700000000123:"), "{id}");
        assert!(!id.to_lowercase().contains("anna"));
        assert_ne!(
            id,
            sighting_id(SightingKind::Added(text), 1_800_000_000_000.0),
            "a later leave makes a new re-addition"
        );
        assert_eq!(
            sighting_id(SightingKind::Visit, 5.0),
            "visit:5",
            "a visit rests on the leave alone"
        );
        assert!(sighting_id(SightingKind::Invited(text), 5.0).starts_with("invite:5:"));
        assert_eq!(time_key(f64::NAN), "0");
        assert_eq!(time_key(-3.0), "0");
    }

    #[test]
    fn history_shows_a_leave_then_an_addition() {
        use MessageMeaning::{AddedYou, YouLeft};
        let left = message(YouLeft, Some(true));
        let added = message(AddedYou, Some(true));
        let unknown = message(AddedYou, None);
        let other = message(AddedYou, Some(false));
        assert!(left_then_added(&[left.clone(), added.clone()], Membership::Unknown).is_some());
        assert!(left_then_added(&[added.clone(), left.clone()], Membership::Member).is_none());
        assert!(
            left_then_added(&[left.clone(), unknown.clone()], Membership::Member).is_some(),
            "an unknown subject counts while the page shows membership"
        );
        assert!(left_then_added(&[left.clone(), unknown], Membership::Unknown).is_none());
        assert!(left_then_added(&[left, other], Membership::Member).is_none());
    }

    /// L1: a chat with more distinct invitations than the ledger remembers event ids for,
    /// loaded again and again, counts only what is new.
    #[test]
    fn reloading_a_chat_with_many_invitations_does_not_count_them_again() {
        use crate::model::{GroupRef, Record, MAX_EVENT_IDS};
        use crate::site::Site;
        let group = GroupRef::new(Site::Facebook, "4711").unwrap();
        let mut record = Record::default();
        record.left_group(&group, "G", None, 1_000.0);
        let mut chat: Vec<Message> = (0..MAX_EVENT_IDS * 3)
            .map(|i| Message {
                meaning: MessageMeaning::InvitedYou,
                text: format!("Max invited you to join, reminder {i}"),
                actor: Some("Max".into()),
                about_self: Some(true),
            })
            .collect();
        // Each load reports what the content script reports; the user is still out.
        let load = |record: &mut Record, chat: &[Message]| {
            let last_left = record.find_left(&group).unwrap().last_left;
            if let Some(message) = newest_invitation(chat) {
                let id = sighting_id(SightingKind::Invited(&message.text), last_left);
                record.reinvited(&group, &id, message.actor.as_deref(), false, 2_000.0);
            }
        };
        for _ in 0..5 {
            load(&mut record, &chat);
        }
        let counted = record.find_left(&group).unwrap().reinvitations;
        assert_eq!(counted, 1, "five loads of one chat");
        // A new invitation arrives: one more, once.
        chat.push(Message {
            meaning: MessageMeaning::InvitedYou,
            text: "Eva invited you to join".into(),
            actor: Some("Eva".into()),
            about_self: Some(true),
        });
        for _ in 0..5 {
            load(&mut record, &chat);
        }
        assert_eq!(record.find_left(&group).unwrap().reinvitations, 2);
        // Someone else's invitation is not the user's.
        chat.push(Message {
            about_self: Some(false),
            ..message(MessageMeaning::InvitedYou, None)
        });
        assert_eq!(
            newest_invitation(&chat).unwrap().text,
            "Eva invited you to join"
        );
    }

    #[test]
    fn literal_pieces_are_the_texts_between_placeholders() {
        assert_eq!(
            literal_pieces("{actor} added {user} to the group."),
            vec!["added".to_owned(), "to the group.".to_owned()]
        );
        assert_eq!(literal_pieces("You left"), vec!["you left".to_owned()]);
        assert!(literal_pieces("{actor}").is_empty());
    }
}
