//! Reads a pack the extension already checked, with the small JSON reader (`wire::json`) and
//! no serde: the content core's build carries this instead of serde's generated code for the
//! pack types. Malformed text is an error, never a panic; the pack's rules are not checked again
//! (that is [`SitePack::parse`]'s job, on import and on every load).
//!
//! Layer: domain (imports `site` names, the pack's types and the `wire::json` leaf only).

use super::{
    ControlSpec, CountSource, DialogKindSpec, DialogSpec, LeaveSpec, LeaveStep, MembershipSpec,
    MessageSpec, SitePack, Texts,
};
use super::{MessageMeaning, MessagesOrder};
use crate::site::Site;
use crate::wire::json::{
    self, list, named, optional, strings, wire_names, Errors, Fields, Json, WireError, WireName,
};

/// The site ids of the site table are their wire names.
impl WireName for Site {
    const NAMES: &'static [(Self, &'static str)] = &Site::IDS;

    fn wire_name(self) -> &'static str {
        self.id()
    }
}

wire_names! {
    MessageMeaning { AddedYou => "added_you", InvitedYou => "invited_you", YouLeft => "you_left" }
    MessagesOrder { OldestFirst => "oldest_first", NewestFirst => "newest_first" }
}

/// Reads a pack the extension already checked: a bundled one (checked by the tests) or one the
/// background delivers (checked with [`SitePack::parse`] on import and again on every load).
/// Malformed text is an error, never a panic, but the pack rules are not checked again here.
pub fn decode_checked_pack(text: &str) -> Result<SitePack, WireError> {
    let value = json::parse(text)?;
    let mut errors = Errors(None);
    let e = &mut errors;
    let pack = e.of(&value, "pack");
    let decoded = SitePack {
        site: e.or(named(&pack, "site"), Site::Facebook),
        version: e.u32(&pack, "version"),
        hosts: list(e, &pack, "hosts"),
        group_name: list(e, &pack, "group_name"),
        dialogs: each(e, pack.array("dialogs"), "dialogs", dialog),
        leave: optional(e, &pack, "leave", leave),
        membership: optional(e, &pack, "membership", membership),
        messages: each(e, pack.array("messages"), "messages", message),
        messages_order: match pack.get("messages_order") {
            None => MessagesOrder::OldestFirst,
            Some(_) => e.or(named(&pack, "messages_order"), MessagesOrder::OldestFirst),
        },
        self_name: e.opt_string(&pack, "self_name"),
    };
    errors.finish(decoded)
}

fn each<T>(
    e: &mut Errors,
    items: Result<&[Json], WireError>,
    what: &str,
    read: fn(&mut Errors, Fields) -> T,
) -> Vec<T> {
    let mut out = Vec::new();
    for item in e.or(items, &[]) {
        match Fields::of(item, what) {
            Ok(fields) => out.push(read(e, fields)),
            Err(error) => e.note(error),
        }
    }
    out
}

/// A required object member, read with `read` (from no members at all when it is missing).
fn object<T>(e: &mut Errors, fields: &Fields, name: &str, read: fn(&mut Errors, Fields) -> T) -> T {
    let fields = e.object(fields, name);
    read(e, fields)
}

fn texts(e: &mut Errors, fields: &Fields, name: &str) -> Option<Texts> {
    let value = fields.get(name)?;
    // Inserted one by one: collecting into a map sorts first, and the sort's code is bigger
    // than this whole reader.
    let mut texts = Texts::new();
    for (lang, variants) in e.of(value, name).0 {
        match variants {
            Json::Array(items) => {
                texts.insert(lang.clone(), e.or(strings(items, name), Vec::new()));
            }
            _ => e.note(json::quoted("", name, ": expected lists of texts")),
        }
    }
    Some(texts)
}

fn required_texts(e: &mut Errors, fields: &Fields, name: &str) -> Texts {
    texts(e, fields, name).unwrap_or_else(|| {
        e.note(json::quoted("missing field ", name, ""));
        Texts::new()
    })
}

fn control(e: &mut Errors, fields: Fields) -> ControlSpec {
    ControlSpec {
        selector: e.string(&fields, "selector"),
        text: texts(e, &fields, "text"),
    }
}

fn dialog(e: &mut Errors, fields: Fields) -> DialogSpec {
    let kind = e.object(&fields, "kind");
    DialogSpec {
        id: e.string(&fields, "id"),
        kind: match e.str(&kind, "type") {
            "direct" => DialogKindSpec::Direct,
            "invite" => DialogKindSpec::Invite,
            "toggle" => DialogKindSpec::Toggle {
                switch: e.string(&kind, "switch"),
            },
            other => {
                e.note(json::quoted("unknown dialog kind ", other, ""));
                DialogKindSpec::Direct
            }
        },
        root: e.string(&fields, "root"),
        label: texts(e, &fields, "label"),
        label_selector: e.opt_string(&fields, "label_selector"),
        count: each(e, fields.array("count"), "count", count_source),
        names: e.opt_string(&fields, "names"),
        confirm: object(e, &fields, "confirm", control),
        group_name: e.opt_string(&fields, "group_name"),
        entry: optional(e, &fields, "entry", control),
    }
}

fn count_source(e: &mut Errors, fields: Fields) -> CountSource {
    match e.str(&fields, "type") {
        "counter" => CountSource::Counter {
            selector: e.string(&fields, "selector"),
            templates: required_texts(e, &fields, "templates"),
            one: texts(e, &fields, "one"),
        },
        "elements" => CountSource::Elements {
            selector: e.string(&fields, "selector"),
        },
        other => {
            e.note(json::quoted("unknown count source ", other, ""));
            CountSource::Elements {
                selector: String::new(),
            }
        }
    }
}

fn leave(e: &mut Errors, fields: Fields) -> LeaveSpec {
    LeaveSpec {
        start: object(e, &fields, "start", control),
        root: e.string(&fields, "root"),
        label: texts(e, &fields, "label"),
        label_selector: e.opt_string(&fields, "label_selector"),
        confirm: object(e, &fields, "confirm", control),
        protect_switch: optional(e, &fields, "protect_switch", control),
        start_leaves: match fields.get("start_leaves") {
            None => false,
            Some(Json::Bool(value)) => *value,
            Some(_) => {
                e.note(WireError("`start_leaves`: expected true or false".into()));
                false
            }
        },
        steps: match fields.get("steps") {
            None => Vec::new(),
            Some(Json::Array(items)) => each(e, Ok(items), "steps", leave_step),
            Some(_) => {
                e.note(WireError("`steps`: expected a list".into()));
                Vec::new()
            }
        },
    }
}

fn leave_step(e: &mut Errors, fields: Fields) -> LeaveStep {
    let any = match fields.get("any") {
        Some(Json::Array(items)) => each(e, Ok(items), "any", control),
        _ => {
            e.note(WireError("`any`: expected a list of controls".into()));
            Vec::new()
        }
    };
    LeaveStep { any }
}

fn membership(e: &mut Errors, fields: Fields) -> MembershipSpec {
    MembershipSpec {
        member: object(e, &fields, "member", control),
        not_member: optional(e, &fields, "not_member", control),
    }
}

fn message(e: &mut Errors, fields: Fields) -> MessageSpec {
    MessageSpec {
        meaning: e.or(named(&fields, "meaning"), MessageMeaning::AddedYou),
        selector: e.string(&fields, "selector"),
        templates: required_texts(e, &fields, "templates"),
        text: e.opt_string(&fields, "text"),
        subject: e.opt_string(&fields, "subject"),
        exclude: e.opt_string(&fields, "exclude"),
    }
}
