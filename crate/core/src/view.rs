//! What the content script's overlays show, written for the renderer that draws them
//! (`extension/content/ui.js`): the notice and the leave hint in a site's dialog, the re-add
//! flag at the top of the page, and the gate.
//!
//! The renderer decides nothing. Every text, button and box of an overlay is in its view, in
//! order; the renderer puts each in as text, never as markup, and reports the user's own clicks
//! back by the buttons' actions. Which overlay to show, with what, and what a click means stays
//! in Rust. Drawing moved out of the content core's wasm module for its size (issue 15): the
//! DOM calls of the overlays, each a crossing with its own glue, were about 16 KB of it.

use crate::wire::json::{write_string, write_strings, ObjectWriter};

/// Which overlay a view is: the host's `data-ask-first` value, its role and its look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverlayKind {
    /// A quiet note in the add dialog (`role="status"`).
    Note,
    /// A warning in the add dialog (`role="alert"`).
    Warn,
    /// The hint in a leave dialog whose "prevent re-invites" switch is off (`role="status"`).
    LeaveHint,
    /// The re-add flag, fixed at the top of the page (`role="alert"`).
    ReAdd,
    /// The confirmation that holds a bulk add back (`role="alertdialog"`, modal).
    Gate,
}

impl OverlayKind {
    /// The name the renderer and the page's `data-ask-first` attribute use.
    pub fn name(self) -> &'static str {
        match self {
            OverlayKind::Note => "note",
            OverlayKind::Warn => "warn",
            OverlayKind::LeaveHint => "leave-hint",
            OverlayKind::ReAdd => "readd",
            OverlayKind::Gate => "gate",
        }
    }
}

/// One overlay's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlay {
    pub kind: OverlayKind,
    pub title: String,
    /// One paragraph each.
    pub lines: Vec<String>,
    /// The buttons in order: `data-action` and text.
    pub buttons: Vec<(&'static str, String)>,
    /// The gate's ask-first message (read-only, to copy) and its label.
    pub message: Option<Message>,
    /// The gate's "they said yes" panel, when the message asks anyone.
    pub yes: Option<YesPanel>,
}

/// The message the gate offers to copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub label: String,
    pub text: String,
}

/// The gate's "they said yes" panel: a box per person (`data-yes="0"`, `"1"`, … in the order
/// of `names`), "only for this group" (`data-yes="group"`) when the group is known, and the
/// button `data-action="yes"`. Hidden until asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YesPanel {
    pub heading: String,
    pub help: String,
    pub names: Vec<String>,
    pub only_group: Option<String>,
    pub mark: String,
}

impl Overlay {
    /// A notice, hint or flag: a title and lines, no buttons yet.
    pub fn text(kind: OverlayKind, title: String, lines: Vec<String>) -> Overlay {
        Overlay {
            kind,
            title,
            lines,
            buttons: Vec::new(),
            message: None,
            yes: None,
        }
    }

    /// The view as the renderer reads it (JSON):
    /// `{"kind","title","lines":[…],"buttons":[[action,text],…],"message":{"label","text"}|null,
    /// "yes":{"heading","help","names":[…],"group":text|null,"mark"}|null}`.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(256);
        let mut view = ObjectWriter::new(&mut out);
        view.string("kind", self.kind.name())
            .string("title", &self.title);
        write_strings(view.key("lines"), &self.lines);
        let buttons = view.key("buttons");
        buttons.push('[');
        for (index, (action, text)) in self.buttons.iter().enumerate() {
            if index > 0 {
                buttons.push(',');
            }
            buttons.push('[');
            write_string(buttons, action);
            buttons.push(',');
            write_string(buttons, text);
            buttons.push(']');
        }
        buttons.push(']');
        let message = view.key("message");
        match &self.message {
            Some(text) => {
                let mut object = ObjectWriter::new(message);
                object
                    .string("label", &text.label)
                    .string("text", &text.text);
                object.finish();
            }
            None => message.push_str("null"),
        }
        let yes = view.key("yes");
        match &self.yes {
            Some(panel) => {
                let mut object = ObjectWriter::new(yes);
                object
                    .string("heading", &panel.heading)
                    .string("help", &panel.help);
                write_strings(object.key("names"), &panel.names);
                object
                    .opt_string("group", panel.only_group.as_deref())
                    .string("mark", &panel.mark);
                object.finish();
            }
            None => yes.push_str("null"),
        }
        view.finish();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::json::{parse, Fields, Json};

    fn gate() -> Overlay {
        Overlay {
            buttons: vec![("ask", "Copy".into()), ("cancel", "Cancel".into())],
            message: Some(Message {
                label: "Message".into(),
                text: "Hi \"all\",\nmay I?".into(),
            }),
            yes: Some(YesPanel {
                heading: "Who said yes?".into(),
                help: "Tick them".into(),
                names: vec!["Ada".into(), "Grace".into()],
                only_group: None,
                mark: "Mark".into(),
            }),
            ..Overlay::text(
                OverlayKind::Gate,
                "Ask first?".into(),
                vec!["25 people".into()],
            )
        }
    }

    fn strings(value: &Json) -> Vec<String> {
        match value {
            Json::Array(items) => crate::wire::json::strings(items, "test").unwrap(),
            other => panic!("not an array: {other:?}"),
        }
    }

    #[test]
    fn a_gate_reads_back_with_every_text_in_order() {
        let json = parse(&gate().to_json()).unwrap();
        let view = Fields::of(&json, "view").unwrap();
        assert_eq!(view.str("kind").unwrap(), "gate");
        assert_eq!(view.str("title").unwrap(), "Ask first?");
        assert_eq!(strings(view.required("lines").unwrap()), ["25 people"]);
        let buttons: Vec<Vec<String>> =
            view.array("buttons").unwrap().iter().map(strings).collect();
        assert_eq!(buttons, [["ask", "Copy"], ["cancel", "Cancel"]]);
        let message = view.object("message").unwrap();
        assert_eq!(message.str("text").unwrap(), "Hi \"all\",\nmay I?");
        let yes = view.object("yes").unwrap();
        assert_eq!(strings(yes.required("names").unwrap()), ["Ada", "Grace"]);
        // Written as `null`, which the reader gives as no value.
        assert!(yes
            .0
            .iter()
            .any(|(key, value)| key == "group" && *value == Json::Null));
        assert_eq!(yes.str("mark").unwrap(), "Mark");
    }

    #[test]
    fn a_notice_has_no_buttons_message_or_panel() {
        let notice = Overlay::text(OverlayKind::Warn, "Careful".into(), Vec::new());
        assert_eq!(
            notice.to_json(),
            r#"{"kind":"warn","title":"Careful","lines":[],"buttons":[],"message":null,"yes":null}"#
        );
    }

    /// A group name from the page is whatever the page says: markup, quotes, line and paragraph
    /// separators and control characters all come back as the same text.
    #[test]
    fn page_text_stays_one_string() {
        let hostile = "<img src=x onerror=alert(1)>\"],\"kind\":\"gate\u{2028}\u{1}\\";
        let mut view = Overlay::text(OverlayKind::ReAdd, hostile.into(), vec![hostile.into()]);
        view.buttons.push(("dismiss", hostile.into()));
        let json = parse(&view.to_json()).unwrap();
        let fields = Fields::of(&json, "view").unwrap();
        assert_eq!(fields.str("kind").unwrap(), "readd");
        assert_eq!(fields.str("title").unwrap(), hostile);
        assert_eq!(strings(fields.required("lines").unwrap()), [hostile]);
        let button = strings(&fields.array("buttons").unwrap()[0]);
        assert_eq!(button, ["dismiss", hostile]);
    }

    #[test]
    fn kinds_have_the_names_the_renderer_and_tests_use() {
        let names: Vec<&str> = [
            OverlayKind::Note,
            OverlayKind::Warn,
            OverlayKind::LeaveHint,
            OverlayKind::ReAdd,
            OverlayKind::Gate,
        ]
        .into_iter()
        .map(OverlayKind::name)
        .collect();
        assert_eq!(names, ["note", "warn", "leave-hint", "readd", "gate"]);
    }
}
