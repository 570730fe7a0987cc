//! The options page's bursts: pages that reported far more than a person causes, one line per
//! site, and a button to clear them.

use std::rc::Rc;

use ask_first_core::guard::Class;
use ask_first_core::protocol::PageRequest;
use wasm_bindgen::prelude::*;

use super::{act, button, section, Shared};
use crate::dom::{on_click, Node};
use crate::i18n::{format_date, t, t_with};

/// Reports a page made up far more than a person causes: one line per site, what was refused
/// and when, and a button to clear them. Nothing (no section) while there are none.
pub(super) fn bursts_section(state: &Shared) -> Result<Node, JsValue> {
    let bursts = state.borrow().bursts.clone();
    if bursts.is_empty() {
        return Node::new("div")?
            .attr("hidden", "")?
            .attr("data-field", "bursts");
    }
    let mut list = Node::new("ul")?.attr("data-field", "bursts")?;
    for burst in &bursts {
        let classes: Vec<String> = burst
            .classes
            .iter()
            .map(|class| {
                t(match class {
                    Class::Leave => key!("optionsBurstLeaves"),
                    Class::Received => key!("optionsBurstReceived"),
                    Class::Own => key!("optionsBurstOwn"),
                })
            })
            .collect();
        let mut line = t_with(
            key!("optionsBurstLine"),
            &[
                burst.site.display_name(),
                &burst.refused.to_string(),
                &format_date(burst.first_at),
                &format_date(burst.last_at),
                &classes.join(", "),
            ],
        );
        if burst.record_full {
            line = format!("{line} {}", t(key!("optionsBurstFull")));
        }
        list = list.child(
            Node::new("li")?
                .attr("data-site", burst.site.id())?
                .attr("data-refused", &burst.refused.to_string())?
                .text(&line),
        )?;
    }
    let clear = button("clear-bursts", &t(key!("optionsBurstsClear")))?;
    let shared = Rc::clone(state);
    on_click(clear.element(), move || {
        act(
            &shared,
            PageRequest::ClearBursts,
            "#data-heading".into(),
            t(key!("optionsBurstsCleared")),
        );
    })?;
    section("bursts", &t(key!("optionsBurstsHeading")))?
        .child(Node::new("p")?.text(&t(key!("optionsBurstsHelp"))))?
        .child(list)?
        .child(Node::new("div")?.class("actions")?.child(clear)?)
}
