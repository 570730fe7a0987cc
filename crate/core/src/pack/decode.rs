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
use crate::wire::json::{self, named, strings, wire_names, Fields, Json, WireError, WireName};

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
    let pack = Fields::of(&value, "pack")?;
    Ok(SitePack {
        site: named(&pack, "site")?,
        version: pack.u32("version")?,
        hosts: strings(pack.array("hosts")?, "hosts")?,
        group_name: strings(pack.array("group_name")?, "group_name")?,
        dialogs: each(pack.array("dialogs")?, "dialogs", dialog)?,
        leave: optional(&pack, "leave", leave)?,
        membership: optional(&pack, "membership", membership)?,
        messages: each(pack.array("messages")?, "messages", message)?,
        messages_order: match pack.get("messages_order") {
            None => MessagesOrder::OldestFirst,
            Some(_) => named(&pack, "messages_order")?,
        },
        self_name: pack.opt_string("self_name")?,
    })
}

fn each<T>(
    items: &[Json],
    what: &str,
    read: fn(Fields) -> Result<T, WireError>,
) -> Result<Vec<T>, WireError> {
    items
        .iter()
        .map(|item| read(Fields::of(item, what)?))
        .collect()
}

fn optional<T>(
    fields: &Fields,
    name: &str,
    read: fn(Fields) -> Result<T, WireError>,
) -> Result<Option<T>, WireError> {
    fields
        .get(name)
        .map(|value| read(Fields::of(value, name)?))
        .transpose()
}

fn texts(fields: &Fields, name: &str) -> Result<Option<Texts>, WireError> {
    let Some(value) = fields.get(name) else {
        return Ok(None);
    };
    // Inserted one by one: collecting into a map sorts first, and the sort's code is bigger
    // than this whole reader.
    let mut texts = Texts::new();
    for (lang, variants) in Fields::of(value, name)?.0 {
        let Json::Array(items) = variants else {
            return Err(WireError(format!("`{name}`: expected lists of texts")));
        };
        texts.insert(lang.clone(), strings(items, name)?);
    }
    Ok(Some(texts))
}

fn required_texts(fields: &Fields, name: &str) -> Result<Texts, WireError> {
    texts(fields, name)?.ok_or_else(|| WireError(format!("missing field `{name}`")))
}

fn control(fields: Fields) -> Result<ControlSpec, WireError> {
    Ok(ControlSpec {
        selector: fields.string("selector")?,
        text: texts(&fields, "text")?,
    })
}

fn dialog(fields: Fields) -> Result<DialogSpec, WireError> {
    let kind = fields.object("kind")?;
    Ok(DialogSpec {
        id: fields.string("id")?,
        kind: match kind.str("type")? {
            "direct" => DialogKindSpec::Direct,
            "invite" => DialogKindSpec::Invite,
            "toggle" => DialogKindSpec::Toggle {
                switch: kind.string("switch")?,
            },
            other => return Err(WireError(format!("unknown dialog kind `{other}`"))),
        },
        root: fields.string("root")?,
        label: texts(&fields, "label")?,
        label_selector: fields.opt_string("label_selector")?,
        count: each(fields.array("count")?, "count", count_source)?,
        names: fields.opt_string("names")?,
        confirm: control(fields.object("confirm")?)?,
        group_name: fields.opt_string("group_name")?,
        entry: optional(&fields, "entry", control)?,
    })
}

fn count_source(fields: Fields) -> Result<CountSource, WireError> {
    Ok(match fields.str("type")? {
        "counter" => CountSource::Counter {
            selector: fields.string("selector")?,
            templates: required_texts(&fields, "templates")?,
            one: texts(&fields, "one")?,
        },
        "elements" => CountSource::Elements {
            selector: fields.string("selector")?,
        },
        other => return Err(WireError(format!("unknown count source `{other}`"))),
    })
}

fn leave(fields: Fields) -> Result<LeaveSpec, WireError> {
    Ok(LeaveSpec {
        start: control(fields.object("start")?)?,
        root: fields.string("root")?,
        label: texts(&fields, "label")?,
        label_selector: fields.opt_string("label_selector")?,
        confirm: control(fields.object("confirm")?)?,
        protect_switch: optional(&fields, "protect_switch", control)?,
        start_leaves: match fields.get("start_leaves") {
            None => false,
            Some(Json::Bool(value)) => *value,
            Some(_) => return Err(WireError("`start_leaves`: expected true or false".into())),
        },
        steps: match fields.get("steps") {
            None => Vec::new(),
            Some(Json::Array(items)) => each(items, "steps", leave_step)?,
            Some(_) => return Err(WireError("`steps`: expected a list".into())),
        },
    })
}

fn leave_step(fields: Fields) -> Result<LeaveStep, WireError> {
    let Some(Json::Array(items)) = fields.get("any") else {
        return Err(WireError("`any`: expected a list of controls".into()));
    };
    Ok(LeaveStep {
        any: each(items, "any", control)?,
    })
}

fn membership(fields: Fields) -> Result<MembershipSpec, WireError> {
    Ok(MembershipSpec {
        member: control(fields.object("member")?)?,
        not_member: optional(&fields, "not_member", control)?,
    })
}

fn message(fields: Fields) -> Result<MessageSpec, WireError> {
    Ok(MessageSpec {
        meaning: named(&fields, "meaning")?,
        selector: fields.string("selector")?,
        templates: required_texts(&fields, "templates")?,
        text: fields.opt_string("text")?,
        subject: fields.opt_string("subject")?,
        exclude: fields.opt_string("exclude")?,
    })
}
