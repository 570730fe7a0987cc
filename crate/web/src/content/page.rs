//! The live DOM as core's [`Page`]: core reads the page with the site pack through these
//! answers, and makes every decision itself.

use ask_first_core::page::{Child, Page, MAX_READ};
use js_sys::JsString;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlInputElement, Node};

pub struct DomPage {
    document: Document,
}

impl DomPage {
    pub fn new(document: Document) -> DomPage {
        DomPage { document }
    }

    /// The page's address (empty when it cannot be read).
    pub fn href(&self) -> String {
        self.document
            .location()
            .and_then(|l| l.href().ok())
            .unwrap_or_default()
    }
}

impl Page for DomPage {
    type Node = Element;

    fn root(&self) -> Option<Element> {
        self.document.document_element()
    }

    fn select(&self, scope: &Element, selector: &str) -> Vec<Element> {
        let Ok(list) = scope.query_selector_all(selector) else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|node| node.dyn_into::<Element>().ok())
            .collect()
    }

    fn select_last(&self, scope: &Element, selector: &str, max: usize) -> Vec<Element> {
        let Ok(list) = scope.query_selector_all(selector) else {
            return Vec::new();
        };
        // Only the wrappers of the last `max` matches cross into Rust.
        let max = u32::try_from(max).unwrap_or(u32::MAX);
        (list.length().saturating_sub(max)..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|node| node.dyn_into::<Element>().ok())
            .collect()
    }

    fn matches(&self, node: &Element, selector: &str) -> bool {
        node.matches(selector).unwrap_or(false)
    }

    fn closest(&self, node: &Element, selector: &str) -> Option<Element> {
        node.closest(selector).ok().flatten()
    }

    fn contains(&self, outer: &Element, inner: &Element) -> bool {
        outer.contains(Some(inner))
    }

    fn parent(&self, node: &Element) -> Option<Element> {
        node.parent_element()
    }

    fn child_nodes(&self, node: &Element) -> Vec<Child<Element>> {
        let children = node.child_nodes();
        (0..children.length())
            .filter_map(|i| children.item(i))
            .filter_map(|child| match child.node_type() {
                Node::ELEMENT_NODE => child.dyn_into::<Element>().ok().map(Child::Element),
                Node::TEXT_NODE => Some(Child::Text(text_head(&child, MAX_READ))),
                _ => None,
            })
            .collect()
    }

    fn text(&self, node: &Element) -> String {
        node.text_content().unwrap_or_default()
    }

    fn text_head(&self, node: &Element, max: usize) -> String {
        text_head(node, max)
    }

    fn attr(&self, node: &Element, name: &str) -> Option<String> {
        node.get_attribute(name)
    }

    fn tag(&self, node: &Element) -> String {
        node.local_name().to_ascii_lowercase()
    }

    fn by_id(&self, id: &str) -> Option<Element> {
        self.document.get_element_by_id(id)
    }

    fn is_shown(&self, node: &Element) -> bool {
        let rect = node.get_bounding_client_rect();
        rect.width() > 0.0 && rect.height() > 0.0
    }

    fn is_checked(&self, node: &Element) -> bool {
        node.dyn_ref::<HtmlInputElement>()
            .is_some_and(HtmlInputElement::checked)
    }

    fn is_disabled(&self, node: &Element) -> bool {
        node.matches(":disabled").unwrap_or(false)
    }

    fn is_connected(&self, node: &Element) -> bool {
        node.is_connected()
    }

    fn follows(&self, a: &Element, b: &Element) -> bool {
        b.compare_document_position(a) & Node::DOCUMENT_POSITION_FOLLOWING != 0
    }
}

/// The first `max` UTF-16 units of a node's `textContent`, cut in JavaScript before the copy
/// into Rust (one element of a nested feed can hold megabytes of text).
fn text_head(node: &Node, max: usize) -> String {
    let Ok(value) = js_sys::Reflect::get(node, &JsValue::from_str("textContent")) else {
        return String::new();
    };
    let Ok(text) = value.dyn_into::<JsString>() else {
        return String::new();
    };
    let max = u32::try_from(max).unwrap_or(u32::MAX);
    if text.length() > max {
        String::from(text.slice(0, max))
    } else {
        String::from(text)
    }
}
