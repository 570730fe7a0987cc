//! The options page's "They said yes" section: the people who agreed to be added, with search
//! and remove. Which entries a search finds is core's ([`ask_first_core::agreed::search`]);
//! this module draws them. Every name goes in as text.

use std::cell::RefCell;
use std::rc::Rc;

use ask_first_core::agreed::search;
use ask_first_core::model::Agreement;
use ask_first_core::protocol::PageRequest;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::dom::{listen, on_click, Node};
use crate::i18n::{format_date, t, t_with};

thread_local! {
    /// The search, kept across redraws of the page.
    static SEARCH: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Carries out a request of the section: the request, the element to focus afterwards (CSS)
/// and what to announce when it is done (the options page's `act`).
pub type Act = Rc<dyn Fn(PageRequest, String, String)>;

/// The section for `list`; `act` sends a removal.
pub fn section(list: &[Agreement], act: Act) -> Result<Node, JsValue> {
    let list = Rc::new(list.to_vec());
    let search_text = SEARCH.with(|search| search.borrow().clone());
    let input = Node::new("input")?
        .attr("type", "search")?
        .attr("id", "yes-search")?
        .attr("value", &search_text)?;
    let body = Node::new("tbody")?.attr("data-field", "yes-list")?;
    let status = Node::new("p")?
        .class("muted")?
        .attr("data-field", "yes-status")?;
    fill_rows(body.element(), status.element(), &list, &search_text, &act)?;
    let (all, act_for_search) = (Rc::clone(&list), Rc::clone(&act));
    // The rows and the status are found when the user types, not held by the listener (which
    // would keep every drawing of the page alive; see `dom::listen`).
    listen(input.element(), "input", move |event: web_sys::Event| {
        let Some(value) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
            .map(|input| input.value())
        else {
            return;
        };
        SEARCH.with(|search| *search.borrow_mut() = value.clone());
        let Ok(document) = crate::dom::document() else {
            return;
        };
        let find = |selector: &str| document.query_selector(selector).ok().flatten();
        if let (Some(rows), Some(shown)) = (
            find("[data-field=\"yes-list\"]"),
            find("[data-field=\"yes-status\"]"),
        ) {
            let _ = fill_rows(&rows, &shown, &all, &value, &act_for_search);
        }
    })?;
    Node::new("section")?
        .attr("aria-labelledby", "yes-heading")?
        .attr("data-section", "yes")?
        .child(
            Node::new("h2")?
                .attr("id", "yes-heading")?
                .text(&t(key!("yesOptionsHeading"))),
        )?
        .child(
            Node::new("p")?
                .class("muted")?
                .text(&t(key!("yesOptionsHelp"))),
        )?
        .child(
            Node::new("div")?
                .class("field")?
                .child(
                    Node::new("label")?
                        .attr("for", "yes-search")?
                        .text(&t(key!("yesOptionsSearch"))),
                )?
                .child(input)?,
        )?
        .child(Node::new("table")?.child(head()?)?.child(body)?)?
        .child(status)
}

fn head() -> Result<Node, JsValue> {
    let mut row = Node::new("tr")?;
    for key in [
        key!("yesOptionsPerson"),
        key!("yesOptionsSite"),
        key!("yesOptionsGroup"),
        key!("yesOptionsMarked"),
    ] {
        row = row.child(Node::new("th")?.attr("scope", "col")?.text(&t(key)))?;
    }
    row = row.child(Node::new("td")?)?;
    Node::new("thead")?.child(row)
}

/// Draws the rows `needle` finds into `body`; `status` says when there are none.
fn fill_rows(
    body: &web_sys::Element,
    status: &web_sys::Element,
    list: &[Agreement],
    needle: &str,
    act: &Act,
) -> Result<(), JsValue> {
    let found = search(list, needle);
    let rows = js_sys::Array::new();
    for entry in &found {
        rows.push(row(entry, act)?.element());
    }
    body.replace_children_with_node(&rows);
    let text = if !found.is_empty() {
        String::new()
    } else if list.is_empty() {
        t(key!("yesOptionsEmpty"))
    } else {
        t(key!("yesOptionsNoneFound"))
    };
    status.set_text_content(Some(&text));
    Ok(())
}

fn row(entry: &Agreement, act: &Act) -> Result<Node, JsValue> {
    let group = match (&entry.group, &entry.group_name) {
        (None, _) => t(key!("yesOptionsEveryGroup")),
        (Some(_), Some(name)) => name.clone(),
        (Some(group), None) => group.key.clone(),
    };
    let remove = Node::new("button")?
        .attr("type", "button")?
        .attr("data-action", "remove-yes")?
        .attr(
            "aria-label",
            &t_with(key!("yesOptionsRemoveNamed"), &[&entry.name]),
        )?
        .text(&t(key!("optionsRemove")));
    let request = PageRequest::RemoveAgreed {
        site: entry.site,
        name: entry.name.clone(),
        group: entry.group.clone(),
    };
    let act = Rc::clone(act);
    on_click(remove.element(), move || {
        act(
            request.clone(),
            "#yes-search".into(),
            t(key!("yesOptionsRemoved")),
        );
    })?;
    Node::new("tr")?
        .attr("data-yes-site", entry.site.id())?
        .child(
            Node::new("td")?
                .attr("data-field", "yes-name")?
                .text(&entry.name),
        )?
        .child(Node::new("td")?.text(entry.site.display_name()))?
        .child(
            Node::new("td")?
                .attr("data-field", "yes-group")?
                .text(&group),
        )?
        .child(Node::new("td")?.text(&format_date(entry.at)))?
        .child(Node::new("td")?.child(remove)?)
}
