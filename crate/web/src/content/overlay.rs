//! What Ask First shows inside a page: a notice (quiet note or warning) and the gate. Each lives
//! in an open shadow root whose host carries `data-ask-first="KIND"`; styles stay inside the
//! shadow root and every text goes in as text.
//!
//! The host is a plain `div`, not a custom element: a page can define a custom element's name
//! before the content core uses it, and the browser then runs the page's constructor and
//! callbacks synchronously inside the core's own `createElement`, `append` and `remove` (or
//! attaches a shadow root first, so that the core's `attachShadow` throws). The page's styles
//! for `div` do not reach it: the host resets every property inline, with priority.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, Node, ShadowRoot, ShadowRootInit, ShadowRootMode};

use crate::dom::document;

// Written compact, a rule a line and no optional space: the content core carries the text as
// written (and so does its JavaScript build).
const STYLE: &str = concat!(
    ":host{all:initial}",
    ".box{display:block;box-sizing:border-box;margin:8px 12px;padding:10px 12px;border-radius:8px;border:1px solid;font:14px/1.4 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;color:#1f2328;background:#fff8e1;border-color:#d4a72c}",
    ".box.note{background:#eef4ff;border-color:#9ab6f5}",
    ".box strong{display:block;margin-bottom:2px}",
    ".box p{margin:2px 0}",
    ".backdrop{position:fixed;inset:0;z-index:2147483647;display:flex;align-items:center;justify-content:center;background:rgba(15,23,42,.55)}",
    ".gate{max-width:460px;width:calc(100vw - 32px);box-sizing:border-box;padding:20px;border-radius:12px;background:#fff;color:#1f2328;box-shadow:0 12px 40px rgba(0,0,0,.35);font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif}",
    ".gate h2{margin:0 0 8px;font-size:18px}",
    ".gate p{margin:6px 0}",
    ".gate textarea{width:100%;box-sizing:border-box;min-height:84px;margin:8px 0;padding:8px;font:inherit;font-size:13px;color:inherit;background:#f6f8fa;border:1px solid #6e7781;border-radius:6px}",
    ".actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:12px}",
    ".actions button{font:inherit;padding:8px 14px;border-radius:8px;border:1px solid #d0d7de;cursor:pointer;background:#f6f8fa;color:#1f2328}",
    ".actions button[data-action=\"ask\"]{background:#1d4ed8;border-color:#1d4ed8;color:#fff}",
    ".actions button:focus-visible{outline:3px solid #0969da;outline-offset:2px}",
    ".status{min-height:1.4em;font-size:13px;color:#57606a}",
    ".yes{margin:10px 0 0;padding:8px 10px;border:1px solid #d0d7de;border-radius:8px}",
    ".yes[hidden]{display:none}",
    ".yes h3{margin:0 0 4px;font-size:15px}",
    ".yes ul{list-style:none;margin:6px 0;padding:0;max-height:160px;overflow:auto}",
    ".yes li label,.yes .only{display:flex;gap:6px;align-items:center;margin:2px 0}",
    ".yes input:focus-visible{outline:3px solid #0969da;outline-offset:2px}",
    "@media (prefers-color-scheme:dark){",
    ".box{color:#e6edf3;background:#3a2e05;border-color:#9e6a03}",
    ".box.note{background:#0d1d3a;border-color:#2f5fb3}",
    ".gate{background:#161b22;color:#e6edf3}",
    ".gate textarea{background:#0d1117;border-color:#6e7681}",
    ".actions button{background:#21262d;border-color:#30363d;color:#e6edf3}",
    ".actions button[data-action=\"ask\"]{background:#3b6fe0;border-color:#3b6fe0;color:#fff}",
    ".status{color:#9da7b3}",
    ".yes{border-color:#30363d}",
    "}",
);

/// A host element with an open shadow root holding our stylesheet.
pub struct Host {
    pub host: HtmlElement,
    pub shadow: ShadowRoot,
}

impl Host {
    pub fn new(kind: &str) -> Result<Host, JsValue> {
        let document = document()?;
        // `createElement("div")` in an HTML document is always an `HTMLElement`.
        let host: HtmlElement = document.create_element("div")?.unchecked_into();
        host.set_attribute("data-ask-first", kind)?;
        // Through the CSSOM, which a page's CSP does not restrict (a `style` attribute it may).
        host.style()
            .set_property_with_priority("all", "initial", "important")?;
        let shadow = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
        add(&shadow, "style", &[], STYLE);
        Ok(Host { host, shadow })
    }

    /// Removes our own host from the page (never a node of the site).
    pub fn remove(&self) {
        self.host.remove();
    }
}

/// Appends a new `tag` element to `parent`, with `attributes` and `text` (as text; none when
/// empty). Every element of the overlays is made here, and cannot fail: the names are constants
/// and the nodes our own, fresh ones. So no error path per element, each of which dropped every
/// element made before it (that was most of the overlays' code).
#[inline(never)]
pub fn add(parent: &Node, tag: &str, attributes: &[(&str, &str)], text: &str) -> Element {
    let element = parent
        .owner_document()
        .and_then(|document| document.create_element(tag).ok())
        .expect("a node in a document makes elements of valid, constant names");
    for (name, value) in attributes {
        let _ = element.set_attribute(name, value);
    }
    if !text.is_empty() {
        element.set_text_content(Some(text));
    }
    let _ = parent.append_child(&element);
    element
}

/// Replaces the children of `body` with one paragraph per line.
#[inline(never)]
pub fn show_lines(body: &Element, lines: &[String]) -> Result<(), JsValue> {
    let document = document()?;
    let paragraphs = js_sys::Array::new();
    for line in lines {
        let paragraph = document.create_element("p")?;
        paragraph.set_text_content(Some(line));
        paragraphs.push(&paragraph);
    }
    body.replace_children_with_node(&paragraphs);
    Ok(())
}

/// A quiet note (`role="status"`) or a warning (`role="alert"`) shown inside the add dialog.
pub struct Notice {
    host: Host,
    kind: &'static str,
    title: Element,
    body: Element,
    shown: (String, Vec<String>),
}

impl Notice {
    pub fn new(kind: &'static str) -> Result<Notice, JsValue> {
        let host = Host::new(kind)?;
        let warn = kind == "warn";
        host.host
            .set_attribute("role", if warn { "alert" } else { "status" })?;
        let class = if warn { "box warn" } else { "box note" };
        let container = add(&host.shadow, "div", &[("class", class)], "");
        let title = add(&container, "strong", &[], "");
        let body = add(&container, "div", &[], "");
        Ok(Notice {
            host,
            kind,
            title,
            body,
            shown: (String::new(), Vec::new()),
        })
    }

    pub fn kind(&self) -> &'static str {
        self.kind
    }

    /// Shows the texts; touches the DOM only when they changed, so our own mutations settle.
    pub fn update(&mut self, title: &str, lines: &[String]) -> Result<(), JsValue> {
        if self.shown.0 == title && self.shown.1 == lines {
            return Ok(());
        }
        self.title.set_text_content(Some(title));
        show_lines(&self.body, lines)?;
        self.shown = (title.to_owned(), lines.to_vec());
        Ok(())
    }

    /// Keeps the notice as the last child of the dialog (re-attached if the site re-rendered).
    pub fn attach_to(&self, dialog: &Element) -> Result<(), JsValue> {
        let attached = self
            .host
            .host
            .parent_element()
            .is_some_and(|parent| parent == *dialog);
        if !attached {
            dialog.append_child(&self.host.host)?;
        }
        Ok(())
    }

    pub fn remove(&self) {
        self.host.remove();
    }
}

/// The texts of the gate.
pub struct GateTexts {
    pub title: String,
    pub lines: Vec<String>,
    pub message_label: String,
    pub message: String,
    pub proceed: String,
    pub ask: String,
    pub cancel: String,
    /// "They said yes": the people the message asks, to tick those who agreed (none: no
    /// panel), with the panel's texts.
    pub yes: Option<YesTexts>,
}

/// The gate's "they said yes" panel: shown after the message was copied, or on its button.
pub struct YesTexts {
    pub names: Vec<String>,
    pub open: String,
    pub heading: String,
    pub help: String,
    /// "Only for this group", when the group is known.
    pub only_group: Option<String>,
    pub mark: String,
}

/// The gate: `role="alertdialog"`, with buttons `data-action="proceed" | "ask" | "cancel"`.
pub struct Gate {
    pub host: Host,
    pub status: Element,
    pub message: Element,
    /// The "they said yes" panel, when the message names anyone.
    yes_panel: Option<Element>,
}

impl Gate {
    pub fn new(texts: &GateTexts) -> Result<Gate, JsValue> {
        let host = Host::new("gate")?;
        let element = &host.host;
        element.set_attribute("role", "alertdialog")?;
        element.set_attribute("aria-modal", "true")?;
        element.set_attribute("aria-label", &texts.title)?;
        let backdrop = add(&host.shadow, "div", &[("class", "backdrop")], "");
        let card = add(&backdrop, "div", &[("class", "gate")], "");
        add(&card, "h2", &[], &texts.title);
        for line in &texts.lines {
            add(&card, "p", &[], line);
        }
        let label = add(&card, "label", &[], &texts.message_label);
        let message = add(
            &label,
            "textarea",
            &[("readonly", ""), ("data-field", "ask-message")],
            &texts.message,
        );
        let actions = add(&card, "div", &[("class", "actions")], "");
        let mut buttons = vec![
            ("ask", &texts.ask),
            ("proceed", &texts.proceed),
            ("cancel", &texts.cancel),
        ];
        if let Some(yes) = &texts.yes {
            buttons.push(("yes-open", &yes.open));
        }
        for (action, text) in buttons {
            add(&actions, "button", &button(action), text);
        }
        let yes_panel = texts.yes.as_ref().map(|yes| yes_panel(&card, yes));
        let status = add(&card, "p", &[("class", "status"), ("role", "status")], "");
        Ok(Gate {
            host,
            status,
            message,
            yes_panel,
        })
    }

    /// The gate's controls in tab order: its buttons, and the boxes of the "they said yes"
    /// panel while it is shown.
    pub fn buttons(&self) -> Vec<HtmlElement> {
        let Ok(list) = self
            .host
            .shadow
            .query_selector_all("button[data-action], input[data-yes]")
        else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
            .filter(|element| element.closest("[hidden]").ok().flatten().is_none())
            .collect()
    }

    /// Shows the "they said yes" panel; its first box, to focus.
    pub fn show_yes(&self) -> Option<HtmlElement> {
        let panel = self.yes_panel.as_ref()?;
        let _ = panel.remove_attribute("hidden");
        panel
            .query_selector("input[data-yes]")
            .ok()
            .flatten()
            .and_then(|element| element.dyn_into::<HtmlElement>().ok())
    }

    /// The box of the panel with `data-yes="key"`.
    pub fn yes_box(&self, key: &str) -> Option<web_sys::HtmlInputElement> {
        self.yes_panel
            .as_ref()?
            .query_selector(&format!("input[data-yes=\"{key}\"]"))
            .ok()
            .flatten()
            .and_then(|element| element.dyn_into().ok())
    }
}

/// The `data-action` of the control a click in an overlay was on (the nearest one on its path).
pub fn action_of(event: &web_sys::Event) -> Option<String> {
    event
        .composed_path()
        .iter()
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .find_map(|element| element.get_attribute("data-action"))
}

/// The attributes of a button with `data-action="action"`.
pub fn button(action: &str) -> [(&str, &str); 2] {
    [("type", "button"), ("data-action", action)]
}

/// The panel in `card`: a box per person (`data-yes="0"`, `"1"`, …), "only for this group"
/// (`data-yes="group"`) and the button `data-action="yes"`. Hidden until asked for.
fn yes_panel(card: &Element, yes: &YesTexts) -> Element {
    let panel = add(
        card,
        "div",
        &[
            ("class", "yes"),
            ("hidden", ""),
            ("data-field", "yes"),
            ("role", "group"),
            ("aria-labelledby", "ask-first-yes-heading"),
        ],
        "",
    );
    add(
        &panel,
        "h3",
        &[("id", "ask-first-yes-heading")],
        &yes.heading,
    );
    add(&panel, "p", &[], &yes.help);
    let list = add(&panel, "ul", &[], "");
    for (index, name) in yes.names.iter().enumerate() {
        let item = add(&list, "li", &[], "");
        tick_box(&item, &[], &index.to_string(), name);
    }
    if let Some(only) = &yes.only_group {
        tick_box(&panel, &[("class", "only")], "group", only);
    }
    let actions = add(&panel, "div", &[("class", "actions")], "");
    add(&actions, "button", &button("yes"), &yes.mark);
    panel
}

/// A labelled box `data-yes="key"` in `parent`.
fn tick_box(parent: &Element, label: &[(&str, &str)], key: &str, text: &str) {
    let label = add(parent, "label", label, "");
    add(
        &label,
        "input",
        &[("type", "checkbox"), ("data-yes", key)],
        "",
    );
    add(&label, "span", &[], text);
}
