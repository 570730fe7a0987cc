//! A [`Page`] over parsed HTML, for testing the page reading natively on snippets of the real
//! sites. No layout: an element is shown unless it or an ancestor has the `hidden` attribute or
//! an inline `display: none`. No live state: `:checked` and `:disabled` (and the `checked` and
//! `disabled` properties) are the attributes of the same names.

use std::collections::HashMap;

use ask_first_core::page::{Child, Page};
use scraper::{ElementRef, Html, Selector};

pub type NodeId = ego_tree::NodeId;

pub struct HtmlPage {
    html: Html,
    order: HashMap<NodeId, usize>,
}

impl HtmlPage {
    pub fn parse(source: &str) -> HtmlPage {
        let html = Html::parse_document(source);
        let order = html
            .tree
            .root()
            .descendants()
            .enumerate()
            .map(|(i, node)| (node.id(), i))
            .collect();
        HtmlPage { html, order }
    }

    fn element(&self, id: NodeId) -> ElementRef<'_> {
        ElementRef::wrap(self.html.tree.get(id).expect("a node of this page")).expect("an element")
    }

    /// The first element matching `selector` (panics when there is none: a test's setup).
    pub fn find(&self, selector: &str) -> NodeId {
        let root = self.root().expect("a document element");
        self.select(&root, selector)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no element matches {selector}"))
    }
}

/// The browser's selector language as far as scraper speaks it: live-state pseudo-classes
/// become attributes.
fn selector(text: &str) -> Option<Selector> {
    let text = text
        .replace(":checked", "[checked]")
        .replace(":disabled", "[disabled]");
    Selector::parse(&text).ok()
}

impl Page for HtmlPage {
    type Node = NodeId;

    fn root(&self) -> Option<NodeId> {
        Some(self.html.root_element().id())
    }

    fn select(&self, scope: &NodeId, selector_text: &str) -> Vec<NodeId> {
        let Some(selector) = selector(selector_text) else {
            return Vec::new();
        };
        self.element(*scope)
            .select(&selector)
            .map(|element| element.id())
            .filter(|id| id != scope)
            .collect()
    }

    fn matches(&self, node: &NodeId, selector_text: &str) -> bool {
        selector(selector_text).is_some_and(|selector| selector.matches(&self.element(*node)))
    }

    fn closest(&self, node: &NodeId, selector_text: &str) -> Option<NodeId> {
        let selector = selector(selector_text)?;
        let mut at = Some(self.element(*node));
        while let Some(element) = at {
            if selector.matches(&element) {
                return Some(element.id());
            }
            at = element.parent().and_then(ElementRef::wrap);
        }
        None
    }

    fn contains(&self, outer: &NodeId, inner: &NodeId) -> bool {
        let mut at = self.html.tree.get(*inner);
        while let Some(node) = at {
            if node.id() == *outer {
                return true;
            }
            at = node.parent();
        }
        false
    }

    fn parent(&self, node: &NodeId) -> Option<NodeId> {
        self.element(*node)
            .parent()
            .and_then(ElementRef::wrap)
            .map(|element| element.id())
    }

    fn child_nodes(&self, node: &NodeId) -> Vec<Child<NodeId>> {
        self.html
            .tree
            .get(*node)
            .expect("a node of this page")
            .children()
            .filter_map(|child| match child.value() {
                scraper::Node::Element(_) => Some(Child::Element(child.id())),
                scraper::Node::Text(text) => Some(Child::Text(text.to_string())),
                _ => None,
            })
            .collect()
    }

    fn text(&self, node: &NodeId) -> String {
        self.element(*node).text().collect()
    }

    fn attr(&self, node: &NodeId, name: &str) -> Option<String> {
        self.element(*node).value().attr(name).map(str::to_owned)
    }

    fn tag(&self, node: &NodeId) -> String {
        self.element(*node).value().name().to_ascii_lowercase()
    }

    fn by_id(&self, id: &str) -> Option<NodeId> {
        let root = self.html.root_element();
        root.descendants()
            .filter_map(ElementRef::wrap)
            .find(|element| element.value().id() == Some(id))
            .map(|element| element.id())
    }

    fn is_shown(&self, node: &NodeId) -> bool {
        let mut at = Some(self.element(*node));
        while let Some(element) = at {
            let value = element.value();
            let hidden_style = value.attr("style").is_some_and(|style| {
                style
                    .replace(' ', "")
                    .to_ascii_lowercase()
                    .contains("display:none")
            });
            if value.attr("hidden").is_some() || hidden_style {
                return false;
            }
            at = element.parent().and_then(ElementRef::wrap);
        }
        true
    }

    fn is_checked(&self, node: &NodeId) -> bool {
        let element = self.element(*node);
        element.value().name() == "input" && element.value().attr("checked").is_some()
    }

    fn is_disabled(&self, node: &NodeId) -> bool {
        let element = self.element(*node);
        matches!(
            element.value().name(),
            "button" | "input" | "select" | "textarea"
        ) && element.value().attr("disabled").is_some()
    }

    fn is_connected(&self, _node: &NodeId) -> bool {
        true
    }

    fn follows(&self, a: &NodeId, b: &NodeId) -> bool {
        self.order.get(a) > self.order.get(b)
    }
}
