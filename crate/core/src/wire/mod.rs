//! The content script's side of the wire, without serde.
//!
//! The content core is compiled twice (wasm, and JavaScript for pages whose CSP forbids wasm) and
//! loads on every page of every supported site, so its size is its start-up time. serde's
//! generated code for the messages and packs was a third of it. Here the content side writes its
//! requests and reads its replies with a small hand-written codec ([`json`]; packs are read the
//! same way by `pack::decode_checked_pack`); the background keeps serde. Both must produce and
//! accept the same wire shape: the tests check every message variant and every bundled pack
//! against serde in both directions.
//!
//! Layer: formats (imports the domain types it writes and reads; `json` is a leaf that imports
//! nothing of the crate, so that `pack` can use it).

pub mod json;

use json::{list, named, optional, wire_names, write_strings, Errors, Fields, ObjectWriter};
pub use json::{WireError, WireName};

use crate::ledger::{ReAddNotice, ReAddResult};
use crate::model::GroupRef;
use crate::pack::PackSource;
use crate::page::check::{LastRead, PartCount, ReadKind, Reading, SiteCheck, StructureSignals};
use crate::protocol::{
    AddOutcomeKind, ContentContext, ContentReply, ContentRequest, ContentResponse, Engine, Health,
    LeftSummary, Refusal, TabRequest, PROTOCOL_VERSION,
};
use crate::settings::{Lang, Language, Mode, Templates};
use crate::site::Site;

wire_names! {
    Reading { Pack => "pack", Structure => "structure", Unread => "unread", Idle => "idle" }
    ReadKind { Pack => "pack", Structure => "structure" }
    PackSource { Bundled => "bundled", Imported => "imported" }
    Engine { Wasm => "wasm", Fallback => "fallback" }
    AddOutcomeKind {
        BulkWarned => "bulk_warned", Proceeded => "proceeded", Cancelled => "cancelled",
        AskCopied => "ask_copied", SequentialWarned => "sequential_warned",
    }
    Language { Browser => "browser", En => "en", De => "de" }
    Mode { Off => "off", Note => "note", Warn => "warn", Confirm => "confirm" }
    Lang { En => "en", De => "de" }
}

// ---------------------------------------------------------------------------------------------
// Content → background

/// The envelope for `request` as JSON text, as `serde_json` would write
/// `Envelope::new(Request::Content(request))`.
pub fn encode_content_request(request: &ContentRequest) -> String {
    let mut out = String::with_capacity(128);
    let mut envelope = ObjectWriter::new(&mut out);
    envelope
        .integer("v", i64::from(PROTOCOL_VERSION))
        .string("channel", "content");
    write_content_request(envelope.key("body"), request);
    envelope.finish();
    out
}

fn write_content_request(out: &mut String, request: &ContentRequest) {
    use ContentRequest as R;
    let mut body = ObjectWriter::new(out);
    // Every request starts with its type, then its site and its group when it has them: written
    // once here rather than in each arm (`Some(None)`: a group that may be `null`).
    let (kind, site, group) = match request {
        R::Hello { site, .. } => ("hello", Some(*site), None),
        R::EngineFailed { site, .. } => ("engine_failed", *site, None),
        R::Health { site, .. } => ("health", Some(*site), None),
        R::PageContext { site, group, .. } => ("page_context", Some(*site), Some(group.as_ref())),
        R::LeftGroup { group, .. } => ("left_group", None, Some(Some(group))),
        R::SeenReadded { group, .. } => ("seen_readded", None, Some(Some(group))),
        R::Reinvited { group, .. } => ("reinvited", None, Some(Some(group))),
        R::RejoinedOnPurpose { group } => ("rejoined_on_purpose", None, Some(Some(group))),
        R::DismissedFlag { group, .. } => ("dismissed_flag", None, Some(Some(group))),
        R::AddOutcome { site, group, .. } => ("add_outcome", Some(*site), Some(group.as_ref())),
        R::AddConfirmed { site, group, .. } => ("add_confirmed", Some(*site), Some(group.as_ref())),
        R::MarkAgreed { site, group, .. } => ("mark_agreed", Some(*site), Some(group.as_ref())),
    };
    body.string("type", kind);
    if let Some(site) = site {
        body.string("site", site.wire_name());
    }
    if let Some(group) = group {
        write_opt_group(body.key("group"), group);
    }
    match request {
        R::Hello { engine, .. } => {
            body.string("engine", engine.wire_name());
        }
        R::EngineFailed { reason, .. } => {
            body.string("reason", reason);
        }
        R::Health { health, .. } => write_health(body.key("health"), health),
        R::PageContext { ui_language, .. } => {
            body.string("ui_language", ui_language);
        }
        R::LeftGroup { name, url, .. } => {
            body.string("name", name).opt_string("url", url.as_deref());
        }
        R::SeenReadded {
            event_id, actor, ..
        }
        | R::Reinvited {
            event_id, actor, ..
        } => {
            body.string("event_id", event_id)
                .opt_string("actor", actor.as_deref());
        }
        R::RejoinedOnPurpose { .. } => {}
        R::DismissedFlag {
            invitation, number, ..
        } => {
            body.key("invitation")
                .push_str(if *invitation { "true" } else { "false" });
            body.integer("number", i64::from(*number));
        }
        R::AddOutcome {
            group_name,
            outcome,
            count,
            ..
        } => {
            body.opt_string("group_name", group_name.as_deref())
                .string("outcome", outcome.wire_name())
                .integer("count", i64::from(*count));
        }
        R::AddConfirmed { count, .. } => {
            body.integer("count", i64::from(*count));
        }
        R::MarkAgreed {
            group_name, names, ..
        } => {
            body.opt_string("group_name", group_name.as_deref());
            write_strings(body.key("names"), names);
        }
    }
    body.finish();
}

fn write_group(out: &mut String, group: &GroupRef) {
    let mut object = ObjectWriter::new(out);
    object
        .string("site", group.site.wire_name())
        .string("key", &group.key);
    object.finish();
}

fn write_opt_group(out: &mut String, group: Option<&GroupRef>) {
    match group {
        Some(group) => write_group(out, group),
        None => out.push_str("null"),
    }
}

fn write_health(out: &mut String, health: &Health) {
    let mut object = ObjectWriter::new(out);
    match health {
        Health::Unknown => {
            object.string("state", "unknown");
        }
        Health::Ok => {
            object.string("state", "ok");
        }
        Health::Degraded(detail) => {
            object.string("state", "degraded").string("detail", detail);
        }
    }
    object.finish();
}

// ---------------------------------------------------------------------------------------------
// Background → content

/// Reads a reply to a content request (the JSON text of a [`crate::protocol::Reply`]).
///
/// Single exit ([`Errors`]), as in the pack reader: a `?` at each member copied the error out
/// at every one of them. The error is the first in reading order, as the `?`s gave.
pub fn decode_content_reply(text: &str) -> Result<ContentReply, WireError> {
    let value = json::parse(text)?;
    let mut e = Errors(None);
    let reply = e.of(&value, "reply");
    let decoded = match e.str(&reply, "outcome") {
        "content" => {
            let body = e.object(&reply, "body");
            ContentReply::Content {
                body: content_response(&mut e, body),
            }
        }
        "refused" => {
            let error = e.object(&reply, "error");
            ContentReply::Refused {
                error: refusal(&mut e, error),
            }
        }
        other => {
            e.note(json::quoted("not a content reply: ", other, ""));
            ContentReply::Content {
                body: ContentResponse::Ack,
            }
        }
    };
    e.finish(decoded)
}

fn content_response(e: &mut Errors, body: Fields) -> ContentResponse {
    match e.str(&body, "type") {
        "ack" => ContentResponse::Ack,
        "started" => ContentResponse::Started {
            pack: e.opt_string(&body, "pack"),
        },
        "context" => {
            let context = e.object(&body, "context");
            ContentResponse::Context {
                context: content_context(e, context),
            }
        }
        "readd" => {
            let result = e.object(&body, "result");
            ContentResponse::Readd {
                result: readd_result(e, result),
            }
        }
        other => {
            e.note(json::quoted("unknown response ", other, ""));
            ContentResponse::Ack
        }
    }
}

fn refusal(e: &mut Errors, error: Fields) -> Refusal {
    match e.str(&error, "code") {
        "malformed" => Refusal::Malformed(e.string(&error, "detail")),
        "version_mismatch" => {
            let detail = e.object(&error, "detail");
            Refusal::VersionMismatch {
                expected: e.u32(&detail, "expected"),
                got: e.u32(&detail, "got"),
            }
        }
        "not_allowed" => Refusal::NotAllowed,
        "no_tab" => Refusal::NoTab,
        "invalid" => Refusal::Invalid(e.string(&error, "detail")),
        "storage" => Refusal::Storage(e.string(&error, "detail")),
        "over_budget" => Refusal::OverBudget(e.string(&error, "detail")),
        other => {
            e.note(json::quoted("unknown refusal ", other, ""));
            Refusal::NotAllowed
        }
    }
}

fn content_context(e: &mut Errors, context: Fields) -> ContentContext {
    let templates = e.object(&context, "templates");
    ContentContext {
        enabled: e.bool(&context, "enabled"),
        mode: e.or(named(&context, "mode"), Mode::Off),
        paused: e.bool(&context, "paused"),
        pause_ends: e.or(context.opt_number("pause_ends"), None),
        trusted_group: e.bool(&context, "trusted_group"),
        direct_threshold: e.u32(&context, "direct_threshold"),
        invite_threshold: e.u32(&context, "invite_threshold"),
        quiet_note: e.bool(&context, "quiet_note"),
        sequential_count: e.u32(&context, "sequential_count"),
        sequential_minutes: e.u32(&context, "sequential_minutes"),
        added_in_window: e.u32(&context, "added_in_window"),
        lang: e.or(named(&context, "lang"), Lang::En),
        templates: Templates {
            en: e.string(&templates, "en"),
            de: e.string(&templates, "de"),
        },
        left: optional(e, &context, "left", left_summary),
        // A missing or `null` list is empty.
        agreed: list(e, &context, "agreed"),
    }
}

fn left_summary(e: &mut Errors, left: Fields) -> LeftSummary {
    LeftSummary {
        name: e.string(&left, "name"),
        first_left: e.number(&left, "first_left"),
        last_left: e.number(&left, "last_left"),
        times_left: e.u32(&left, "times_left"),
        readditions: e.u32(&left, "readditions"),
        is_out: e.bool(&left, "is_out"),
        flagging: e.bool(&left, "flagging"),
    }
}

fn readd_result(e: &mut Errors, result: Fields) -> ReAddResult {
    let notice = |e: &mut Errors| {
        let notice = e.object(&result, "notice");
        readd_notice(e, notice)
    };
    match e.str(&result, "result") {
        "not_tracked" => ReAddResult::NotTracked,
        "already_counted" => ReAddResult::AlreadyCounted { notice: notice(e) },
        "counted" => ReAddResult::Counted { notice: notice(e) },
        other => {
            e.note(json::quoted("unknown re-add result ", other, ""));
            ReAddResult::NotTracked
        }
    }
}

fn readd_notice(e: &mut Errors, notice: Fields) -> ReAddNotice {
    ReAddNotice {
        site: e.or(named(&notice, "site"), Site::Facebook),
        group: e.string(&notice, "group"),
        group_name: e.string(&notice, "group_name"),
        first_left: e.number(&notice, "first_left"),
        last_left: e.number(&notice, "last_left"),
        times_left: e.u32(&notice, "times_left"),
        number: e.u32(&notice, "number"),
        actor: e.opt_string(&notice, "actor"),
        actor_count: e.or(notice.opt_u32("actor_count"), None),
        flag: e.bool(&notice, "flag"),
    }
}

// ---------------------------------------------------------------------------------------------
// Extension page → content, and back

/// Reads a request an extension page sent to this tab (the JSON text of a
/// [`crate::protocol::TabEnvelope`]). Single exit, as [`decode_content_reply`].
pub fn decode_tab_request(text: &str) -> Result<TabRequest, WireError> {
    let value = json::parse(text)?;
    let mut e = Errors(None);
    let envelope = e.of(&value, "request");
    let version = e.u32(&envelope, "v");
    if version != PROTOCOL_VERSION {
        // Written without `format!` (the formatter's code for one message).
        let mut why = String::from("protocol version ");
        json::write_integer(&mut why, i64::from(version));
        why.push_str(" is not ");
        json::write_integer(&mut why, i64::from(PROTOCOL_VERSION));
        e.note(WireError(why));
    }
    if e.str(&envelope, "channel") != "tab" {
        e.note(WireError("not a request for a tab".into()));
    }
    let body = e.object(&envelope, "body");
    let request = match e.str(&body, "type") {
        "site_check" => TabRequest::SiteCheck,
        "use_pack" => TabRequest::UsePack {
            site: e.or(named(&body, "site"), Site::Facebook),
            pack: e.opt_string(&body, "pack"),
        },
        other => {
            e.note(json::quoted("unknown tab request ", other, ""));
            TabRequest::SiteCheck
        }
    };
    e.finish(request)
}

/// The reply to [`TabRequest::SiteCheck`], as `serde_json` would write
/// `TabReply::Tab { body: TabResponse::SiteCheck { check } }`.
pub fn encode_site_check_reply(check: &SiteCheck) -> String {
    let mut out = String::with_capacity(512 + 48 * check.parts.len());
    let mut reply = ObjectWriter::new(&mut out);
    reply.string("outcome", "tab");
    {
        let mut body = ObjectWriter::new(reply.key("body"));
        body.string("type", "site_check");
        write_site_check(body.key("check"), check);
        body.finish();
    }
    reply.finish();
    out
}

/// A refusal of a tab request, as `serde_json` would write `TabReply::Refused`.
pub fn encode_tab_refusal(why: &str) -> String {
    let mut out = String::new();
    let mut reply = ObjectWriter::new(&mut out);
    reply.string("outcome", "refused");
    {
        let mut error = ObjectWriter::new(reply.key("error"));
        error.string("code", "malformed").string("detail", why);
        error.finish();
    }
    reply.finish();
    out
}

fn write_site_check(out: &mut String, check: &SiteCheck) {
    let mut object = ObjectWriter::new(out);
    object
        .string("site", check.site.wire_name())
        .integer("pack_version", i64::from(check.pack_version))
        .string("pack_source", check.pack_source.wire_name())
        .string("engine", check.engine.wire_name())
        .string("reading", check.reading.wire_name());
    match &check.last {
        Some(last) => write_last_read(object.key("last"), last),
        None => object.key("last").push_str("null"),
    }
    object
        .key("entry")
        .push_str(if check.entry { "true" } else { "false" });
    let parts = object.key("parts");
    parts.push('[');
    for (index, part) in check.parts.iter().enumerate() {
        if index > 0 {
            parts.push(',');
        }
        write_part(parts, part);
    }
    parts.push(']');
    write_signals(object.key("structure"), &check.structure);
    object.finish();
}

fn write_last_read(out: &mut String, last: &LastRead) {
    let mut object = ObjectWriter::new(out);
    object
        .string("by", last.by.wire_name())
        .string("dialog", &last.dialog)
        .integer("selected", i64::from(last.selected))
        .integer("seconds_ago", i64::from(last.seconds_ago));
    object.finish();
}

fn write_part(out: &mut String, part: &PartCount) {
    let mut object = ObjectWriter::new(out);
    object
        .string("part", &part.part)
        .integer("matched", i64::from(part.matched));
    if let Some(fitting) = part.fitting {
        object.integer("fitting", i64::from(fitting));
    }
    object.finish();
}

fn write_signals(out: &mut String, signals: &StructureSignals) {
    let mut object = ObjectWriter::new(out);
    object
        .integer("dialogs", i64::from(signals.dialogs))
        .integer("panels", i64::from(signals.panels))
        .integer("people", i64::from(signals.people))
        .integer("with_picture", i64::from(signals.with_picture))
        .integer("chips", i64::from(signals.chips))
        .integer("selected", i64::from(signals.selected));
    object
        .key("add_control")
        .push_str(if signals.add_control { "true" } else { "false" });
    object.finish();
}

#[cfg(test)]
mod tests;
