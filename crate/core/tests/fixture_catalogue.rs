//! The fixture catalogue (`tests/sites/index.json`, read by the fixture server, the demo and the
//! end-to-end suites) against the site table: every site has a fixture and every fixture a site,
//! each fixture is served under one of its site's hosts that its pack covers, and the group
//! pages it lists are read as groups (keyed by URL or by title, as the table says). A site added
//! to the table, its pack and the catalogue is checked here without any edit to this file.

use std::collections::BTreeSet;

use ask_first_core::model::GroupRef;
use ask_first_core::pack::bundled_for;
use ask_first_core::site::{GroupKeys, Site};
use serde_json::Value;

fn repository() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn catalogue() -> Vec<Value> {
    let path = repository().join("tests/sites/index.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let index: Value = serde_json::from_str(&text).expect("index.json is JSON");
    index["sites"].as_array().expect("a list of sites").clone()
}

fn text<'a>(value: &'a Value, name: &str) -> &'a str {
    value[name]
        .as_str()
        .unwrap_or_else(|| panic!("`{name}` is not a text in {value}"))
}

#[test]
fn every_site_has_a_fixture_and_every_fixture_a_site() {
    let mut fixtures = BTreeSet::new();
    for entry in catalogue() {
        let id = text(&entry, "site");
        let site = Site::from_id(id).unwrap_or_else(|| {
            panic!("tests/sites/index.json: `{id}` is not a site of crate/core/src/site.rs")
        });
        fixtures.insert(site);
    }
    for site in Site::ALL {
        assert!(
            fixtures.contains(&site),
            "{} has no fixture in tests/sites/index.json",
            site.id()
        );
    }
}

#[test]
fn each_fixture_is_served_under_a_host_its_site_and_pack_cover() {
    for entry in catalogue() {
        let Some(site) = Site::from_id(text(&entry, "site")) else {
            continue; // the test above names it
        };
        let host = text(&entry, "host");
        assert!(
            site.hosts().contains(&host),
            "{host} is not a host of {site:?}"
        );
        let pack = bundled_for(site).expect("a bundled pack");
        assert!(
            pack.hosts.iter().any(|known| known == host),
            "the {} pack does not cover the fixture's host {host}",
            site.id()
        );
        let shell = repository()
            .join("tests/sites")
            .join(host)
            .join("index.html");
        assert!(shell.is_file(), "no fixture page {}", shell.display());
    }
}

#[test]
fn the_group_pages_of_each_fixture_are_read_as_groups() {
    for entry in catalogue() {
        let Some(site) = Site::from_id(text(&entry, "site")) else {
            continue;
        };
        let host = text(&entry, "host");
        let pages = entry["pages"].as_array().expect("a list of pages");
        let mut groups = 0;
        for page in pages {
            let url = format!("https://{host}{}", text(page, "path"));
            let title = page["title"].as_str();
            let group = GroupRef::from_page(site, &url, title);
            if page["kind"] == "group" {
                let group = group.unwrap_or_else(|| {
                    panic!("{url} ({title:?}) is a group page of {site:?} but names no group")
                });
                assert_eq!(group.site, site);
                assert_eq!(
                    GroupRef::new(site, &group.key).as_ref(),
                    Some(&group),
                    "{url}: the key is in normal form"
                );
                groups += 1;
            } else if site.group_keys() != GroupKeys::Title {
                assert_eq!(group, None, "{url} is no group page");
            }
        }
        assert!(groups > 0, "the {} fixture lists no group page", site.id());
    }
}
