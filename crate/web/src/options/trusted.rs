//! The options page's trusted groups and people: their lists with a remove button each, and a
//! form to add one.

use std::rc::Rc;

use ask_first_core::model::{GroupRef, PersonRef};
use ask_first_core::settings::Settings;
use ask_first_core::site::Site;
use wasm_bindgen::prelude::*;

use super::{button, input_value, labelled, save_settings, site_select, Shared};
use crate::dom::{announce, on_click, Node};
use crate::i18n::{t, t_with};

/// One trusted list (groups or people): its entries with a remove button each, and a form of a
/// site and a text to add one.
struct TrustedList<T> {
    /// `trusted-group` or `trusted-adder`: ids, actions and the list's `data-field` derive from it.
    id: &'static str,
    legend: crate::i18n::Key<0>,
    help: crate::i18n::Key<0>,
    text_label: crate::i18n::Key<0>,
    invalid: crate::i18n::Key<0>,
    /// The list in the settings.
    list: fn(&mut Settings) -> &mut Vec<T>,
    /// How an entry reads: its site and its key or name.
    describe: fn(&T) -> (Site, String),
    /// An entry from the form's site and text, if valid.
    parse: fn(Site, &str) -> Option<T>,
}

fn trusted_list<T: Clone + PartialEq + 'static>(
    state: &Shared,
    spec: TrustedList<T>,
) -> Result<Node, JsValue> {
    let entries = (spec.list)(&mut state.borrow().settings.clone()).clone();
    let text_id = format!("{}-text", spec.id);
    let site_id = format!("{}-site", spec.id);
    let focus = format!("#{text_id}");
    let mut list = Node::new("ul")?.attr("data-field", &format!("{}s", spec.id))?;
    for (index, entry) in entries.iter().enumerate() {
        let (site, text) = (spec.describe)(entry);
        let remove = button(&format!("remove-{}", spec.id), &t(key!("optionsRemove")))?
            .attr("aria-label", &t_with(key!("optionsRemoveNamed"), &[&text]))?;
        let shared = Rc::clone(state);
        let (list_of, focus) = (spec.list, focus.clone());
        on_click(remove.element(), move || {
            save_settings(
                &shared,
                |settings| {
                    let list = list_of(settings);
                    if index < list.len() {
                        list.remove(index);
                    }
                },
                &focus,
            );
        })?;
        list = list.child(
            Node::new("li")?
                .child(Node::new("span")?.text(&format!("{} · {text} ", site.display_name())))?
                .child(remove)?,
        )?;
    }
    let add = button(&format!("add-{}", spec.id), &t(key!("optionsAdd")))?;
    let shared = Rc::clone(state);
    let (list_of, parse, invalid) = (spec.list, spec.parse, spec.invalid);
    let (form_site, form_text, add_focus) = (site_id.clone(), text_id.clone(), focus.clone());
    on_click(add.element(), move || {
        let site = Site::from_id(&input_value(&form_site).unwrap_or_default());
        let Some(entry) =
            site.and_then(|site| parse(site, &input_value(&form_text).unwrap_or_default()))
        else {
            announce(&t(invalid));
            return;
        };
        save_settings(
            &shared,
            |settings| {
                let list = list_of(settings);
                if !list.contains(&entry) {
                    list.push(entry);
                }
            },
            &add_focus,
        );
    })?;
    Node::new("fieldset")?
        .child(Node::new("legend")?.text(&t(spec.legend)))?
        .child(Node::new("p")?.class("muted")?.text(&t(spec.help)))?
        .child(list)?
        .child(
            Node::new("div")?
                .class("inline")?
                .child(labelled(
                    &site_id,
                    &t(key!("optionsSiteColumn")),
                    site_select(&site_id)?,
                )?)?
                .child(labelled(
                    &text_id,
                    &t(spec.text_label),
                    Node::new("input")?
                        .attr("id", &text_id)?
                        .attr("type", "text")?,
                )?)?
                .child(add)?,
        )
}

pub(super) fn trusted_groups(state: &Shared) -> Result<Node, JsValue> {
    trusted_list(
        state,
        TrustedList {
            id: "trusted-group",
            legend: key!("optionsTrustedGroups"),
            help: key!("optionsTrustedGroupsHelp"),
            text_label: key!("optionsGroupAddress"),
            invalid: key!("optionsBadGroup"),
            list: |settings| &mut settings.trusted_groups,
            describe: |group: &GroupRef| (group.site, group.key.clone()),
            parse: GroupRef::from_input,
        },
    )
}

pub(super) fn trusted_adders(state: &Shared) -> Result<Node, JsValue> {
    trusted_list(
        state,
        TrustedList {
            id: "trusted-adder",
            legend: key!("optionsTrustedAdders"),
            help: key!("optionsTrustedAddersHelp"),
            text_label: key!("optionsPersonName"),
            invalid: key!("optionsBadName"),
            list: |settings| &mut settings.trusted_adders,
            describe: |person: &PersonRef| (person.site, person.name.clone()),
            parse: PersonRef::new,
        },
    )
}
