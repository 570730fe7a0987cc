//! The options page.

use ask_first_core::site::Site;
use wasm_bindgen::prelude::*;

use crate::dom::{mount, Node};
use crate::i18n::{localise_document, t, t_with};

/// Renders the options page into `#app`.
#[wasm_bindgen]
pub fn start_options() -> Result<(), JsValue> {
    localise_document("optionsTitle")?;
    let sites = Node::new("section")?
        .attr("aria-labelledby", "sites-heading")?
        .child(
            Node::new("h2")?
                .attr("id", "sites-heading")?
                .text(&t("optionsSitesHeading")),
        )?
        .child(sites_table()?)?;
    let privacy = Node::new("section")?
        .attr("aria-labelledby", "privacy-heading")?
        .child(
            Node::new("h2")?
                .attr("id", "privacy-heading")?
                .text(&t("optionsPrivacyHeading")),
        )?
        .child(Node::new("p")?.text(&t("optionsPrivacyText")))?;
    let version = env!("CARGO_PKG_VERSION");
    let root = Node::new("div")?
        .child(Node::new("header")?.child(Node::new("h1")?.text(&t("optionsTitle")))?)?
        .child(sites)?
        .child(privacy)?
        .child(
            Node::new("footer")?
                .attr("data-field", "version")?
                .text(&t_with("optionsVersion", &[version])),
        )?;
    mount(root)
}

fn sites_table() -> Result<Node, JsValue> {
    let head = Node::new("thead")?.child(
        Node::new("tr")?
            .child(
                Node::new("th")?
                    .attr("scope", "col")?
                    .text(&t("optionsSiteColumn")),
            )?
            .child(
                Node::new("th")?
                    .attr("scope", "col")?
                    .text(&t("optionsHostsColumn")),
            )?,
    )?;
    let mut body = Node::new("tbody")?;
    for site in Site::ALL {
        body = body.child(
            Node::new("tr")?
                .attr("data-site", site.id())?
                .child(
                    Node::new("th")?
                        .attr("scope", "row")?
                        .text(site.display_name()),
                )?
                .child(Node::new("td")?.text(&site.hosts().join(", ")))?,
        )?;
    }
    Node::new("table")?.child(head)?.child(body)
}
