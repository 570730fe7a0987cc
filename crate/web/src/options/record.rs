//! The options page's record: the groups left (searched and sorted by
//! [`ask_first_core::record_view`]), with rename and forget, adding one by hand, and who added
//! the user back.

use std::rc::Rc;

use ask_first_core::model::GroupRef;
use ask_first_core::protocol::PageRequest;
use ask_first_core::record_view::{left_groups, RecordSort};
use ask_first_core::site::Site;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

use super::{
    act, button, head_row, input_by_id, input_value, labelled, render, section, select,
    site_select, Shared,
};
use crate::dom::{announce, document, focus_selector, listen, on_click, Node};
use crate::i18n::{format_date, t, t_with};

/// The record's rename field of the group `rename_id` names (its `data-rename`), if drawn.
fn rename_field(rename_id: &str) -> Option<HtmlInputElement> {
    let fields = document().ok()?.query_selector_all("[data-rename]").ok()?;
    (0..fields.length())
        .filter_map(|index| fields.item(index))
        .filter_map(|node| node.dyn_into::<web_sys::Element>().ok())
        .find(|field| field.get_attribute("data-rename").as_deref() == Some(rename_id))
        .and_then(|field| field.dyn_into::<HtmlInputElement>().ok())
}

pub(super) fn record_section(state: &Shared) -> Result<Node, JsValue> {
    let (record, search, sort) = {
        let state = state.borrow();
        (state.record.clone(), state.search.clone(), state.sort)
    };
    let entries = left_groups(&record, &search, sort);
    let search_input = Node::new("input")?
        .attr("type", "search")?
        .attr("id", "record-search")?
        .attr("value", &search)?;
    let shared = Rc::clone(state);
    listen(search_input.element(), "input", move |_| {
        shared.borrow_mut().search = input_value("record-search").unwrap_or_default();
        let _ = render(&shared);
        focus_selector("#record-search");
        if let Some(input) = input_by_id("record-search") {
            let end = input.value().len() as u32;
            let _ = input.set_selection_range(end, end);
        }
    })?;
    let sorts: Vec<(&str, String)> = RecordSort::ALL
        .into_iter()
        .map(|order| {
            let label = match order {
                RecordSort::LastLeft => t(key!("optionsSortDate")),
                RecordSort::Name => t(key!("optionsSortName")),
                RecordSort::Readditions => t(key!("optionsSortReadditions")),
            };
            (order.id(), label)
        })
        .collect();
    let sort_select = select("record-sort", &sorts, sort.id())?;
    let shared = Rc::clone(state);
    listen(sort_select.element(), "change", move |_| {
        shared.borrow_mut().sort =
            RecordSort::from_id(&input_value("record-sort").unwrap_or_default());
        let _ = render(&shared);
        focus_selector("#record-sort");
    })?;

    let mut body = Node::new("tbody")?;
    for entry in &entries {
        let group = entry.group();
        let adders: Vec<String> = entry
            .adders
            .iter()
            .map(|(name, n)| format!("{name} ({n})"))
            .collect();
        let forget = button("forget", &t(key!("optionsForget")))?.attr(
            "aria-label",
            &t_with(key!("optionsForgetNamed"), &[&entry.name]),
        )?;
        let shared = Rc::clone(state);
        let target = group.clone();
        on_click(forget.element(), move || {
            act(
                &shared,
                PageRequest::ForgetGroup {
                    group: target.clone(),
                },
                "#record-search".into(),
                t(key!("optionsForgotten")),
            );
        })?;
        // One per group: the site and the whole key (keys of equal length used to share one).
        let rename_id = format!("{}:{}", group.site.id(), entry.key);
        let rename_input = Node::new("input")?
            .attr("type", "text")?
            .attr(
                "aria-label",
                &t_with(key!("optionsRenameNamed"), &[&entry.name]),
            )?
            .attr("data-rename", &rename_id)?
            .attr("value", &entry.name)?;
        let rename = button("rename", &t(key!("optionsRename")))?;
        let shared = Rc::clone(state);
        let target = group.clone();
        // The field is found on the click, not held by the listener (see `dom::listen`).
        on_click(rename.element(), move || {
            let name = rename_field(&rename_id)
                .map(|input| input.value())
                .unwrap_or_default();
            act(
                &shared,
                PageRequest::RenameGroup {
                    group: target.clone(),
                    name,
                },
                "#record-search".into(),
                t(key!("optionsSaved")),
            );
        })?;
        body = body.child(
            Node::new("tr")?
                .attr("data-group", &entry.key)?
                .child(
                    Node::new("th")?
                        .attr("scope", "row")?
                        .child(rename_input)?
                        .child(rename)?,
                )?
                .child(Node::new("td")?.text(entry.site.display_name()))?
                .child(Node::new("td")?.text(&format_date(entry.last_left)))?
                .child(
                    Node::new("td")?
                        .attr("data-field", "times-left")?
                        .text(&entry.times_left.to_string()),
                )?
                .child(
                    Node::new("td")?
                        .attr("data-field", "readditions")?
                        .text(&entry.readditions.to_string()),
                )?
                .child(Node::new("td")?.text(&adders.join(", ")))?
                .child(Node::new("td")?.child(forget)?)?,
        )?;
    }
    let head = head_row(&[
        key!("optionsGroupColumn"),
        key!("optionsSiteColumn"),
        key!("optionsLastLeftColumn"),
        key!("optionsTimesLeftColumn"),
        key!("optionsReaddedColumn"),
        key!("optionsAddersColumn"),
        key!("optionsActionsColumn"),
    ])?;
    let table = if entries.is_empty() {
        Node::new("p")?
            .attr("data-field", "no-groups")?
            .text(&t(key!("optionsNoGroups")))
    } else {
        Node::new("div")?.class("scroll")?.child(
            Node::new("table")?
                .attr("data-field", "groups-left")?
                .child(head)?
                .child(body)?,
        )?
    };
    let add = button("add-left", &t(key!("optionsAdd")))?;
    let shared = Rc::clone(state);
    on_click(add.element(), move || {
        let site = Site::from_id(&input_value("left-site").unwrap_or_default());
        let Some(group) = site.and_then(|site| {
            GroupRef::from_input(site, &input_value("left-key").unwrap_or_default())
        }) else {
            announce(&t(key!("optionsBadGroup")));
            return;
        };
        let name = input_value("left-name")
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| group.key.clone());
        act(
            &shared,
            PageRequest::RecordLeave {
                group,
                name,
                url: None,
            },
            "#left-key".into(),
            t(key!("optionsSaved")),
        );
    })?;
    let by_hand = Node::new("fieldset")?
        .child(Node::new("legend")?.text(&t(key!("optionsAddLeft"))))?
        .child(
            Node::new("div")?
                .class("inline")?
                .child(labelled(
                    "left-site",
                    &t(key!("optionsSiteColumn")),
                    site_select("left-site")?,
                )?)?
                .child(labelled(
                    "left-key",
                    &t(key!("optionsGroupAddress")),
                    Node::new("input")?
                        .attr("id", "left-key")?
                        .attr("type", "text")?,
                )?)?
                .child(labelled(
                    "left-name",
                    &t(key!("optionsGroupName")),
                    Node::new("input")?
                        .attr("id", "left-name")?
                        .attr("type", "text")?,
                )?)?
                .child(add)?,
        )?;
    let mut adders = Node::new("tbody")?;
    for adder in &record.adders {
        adders = adders.child(
            Node::new("tr")?
                .child(Node::new("th")?.attr("scope", "row")?.text(&adder.name))?
                .child(Node::new("td")?.text(adder.site.display_name()))?
                .child(Node::new("td")?.text(&adder.readditions.to_string()))?
                .child(Node::new("td")?.text(&adder.reinvitations.to_string()))?
                .child(Node::new("td")?.text(&adder.groups.len().to_string()))?,
        )?;
    }
    let adders_table = Node::new("table")?
        .attr("data-field", "adders")?
        .child(head_row(&[
            key!("optionsPersonName"),
            key!("optionsSiteColumn"),
            key!("optionsReaddedColumn"),
            key!("optionsReinvitedColumn"),
            key!("optionsGroupsColumn"),
        ])?)?
        .child(adders)?;
    section("record", &t(key!("optionsRecordHeading")))?
        .child(
            Node::new("div")?
                .class("inline")?
                .child(labelled(
                    "record-search",
                    &t(key!("optionsSearch")),
                    search_input,
                )?)?
                .child(labelled(
                    "record-sort",
                    &t(key!("optionsSort")),
                    sort_select,
                )?)?,
        )?
        .child(table)?
        .child(by_hand)?
        .child(Node::new("h3")?.text(&t(key!("optionsAddersHeading"))))?
        .child(if record.adders.is_empty() {
            Node::new("p")?.text(&t(key!("optionsNoAdders")))
        } else {
            adders_table
        })
}
