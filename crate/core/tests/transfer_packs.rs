//! Imported site packs travel with the export: written under `packs`, read back with the checks
//! of a pack import (validator, newer than the bundled pack by at most three versions), a bad
//! pack skipped with its reason; and open tabs are told the pack to read their site with.

use std::collections::BTreeMap;

use ask_first_core::model::Record;
use ask_first_core::pack::{bundled_for, SitePack, MAX_VERSIONS_AHEAD};
use ask_first_core::protocol::TabRequest;
use ask_first_core::router::{Background, Sender};
use ask_first_core::settings::Settings;
use ask_first_core::site::Site;
use ask_first_core::transfer::{self, packs, ImportMode};
use serde_json::{json, Value};

fn newer(site: Site, by: u32) -> SitePack {
    let mut pack = bundled_for(site).unwrap();
    pack.version += by;
    pack
}

fn export_of(packs: &BTreeMap<Site, SitePack>) -> String {
    transfer::export_with_packs(&Settings::default(), &Record::default(), packs, 1.0)
}

#[test]
fn packs_survive_export_and_import() {
    let mine: BTreeMap<Site, SitePack> = [
        (Site::Facebook, newer(Site::Facebook, 1)),
        (Site::Slack, newer(Site::Slack, MAX_VERSIONS_AHEAD)),
    ]
    .into_iter()
    .collect();
    let text = export_of(&mine);
    let file: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        file["packs"]["facebook"]["version"],
        json!(mine[&Site::Facebook].version)
    );
    let imported = transfer::import(
        text.as_bytes(),
        ImportMode::Replace,
        &Settings::default(),
        &Record::default(),
    )
    .unwrap();
    assert_eq!(imported.packs.as_ref(), Some(&mine));
    assert_eq!(imported.report.taken["packs"], 2);
    assert!(
        imported.report.skipped.is_empty(),
        "{:?}",
        imported.report.skipped
    );
    assert_eq!(
        packs::apply(&BTreeMap::new(), imported.packs, ImportMode::Replace),
        mine
    );
    // An export without imported packs has no packs part, and importing it keeps the user's.
    let plain = export_of(&BTreeMap::new());
    assert!(!plain.contains("\"packs\""));
    let imported = transfer::import(
        plain.as_bytes(),
        ImportMode::Replace,
        &Settings::default(),
        &Record::default(),
    )
    .unwrap();
    assert_eq!(imported.packs, None);
    assert_eq!(
        packs::apply(&mine, imported.packs, ImportMode::Replace),
        mine
    );
}

#[test]
fn a_bad_pack_is_skipped_with_its_reason_and_the_rest_is_taken() {
    let good = newer(Site::Facebook, 1);
    let mut bad_selector = serde_json::to_value(newer(Site::Discord, 1)).unwrap();
    bad_selector["dialogs"][0]["root"] = json!("<img src=x onerror=alert(1)>");
    let mut script_field = serde_json::to_value(newer(Site::Linkedin, 1)).unwrap();
    script_field["script"] = json!("alert(1)");
    let file = json!({
        "format": transfer::EXPORT_FORMAT,
        "version": transfer::EXPORT_VERSION,
        "exported_at": 1.0,
        "settings": null,
        "record": null,
        "packs": {
            "facebook": good,
            "whatsapp": bundled_for(Site::Whatsapp).unwrap(),
            "telegram": newer(Site::Telegram, MAX_VERSIONS_AHEAD + 1),
            "slack": newer(Site::GoogleGroups, 1),
            "discord": bad_selector,
            "linkedin": script_field,
            "myspace": good,
            "google-groups": "not a pack",
        }
    });
    let imported = transfer::import(
        file.to_string().as_bytes(),
        ImportMode::Replace,
        &Settings::default(),
        &Record::default(),
    )
    .unwrap();
    let packs = imported.packs.unwrap();
    assert_eq!(packs.keys().collect::<Vec<_>>(), [&Site::Facebook]);
    let reasons: BTreeMap<&str, &str> = imported
        .report
        .skipped
        .iter()
        .map(|issue| (issue.path.as_str(), issue.problem.as_str()))
        .collect();
    assert!(
        reasons["packs.whatsapp"].contains("not newer"),
        "{reasons:?}"
    );
    assert!(reasons["packs.telegram"].contains("more than 3 versions ahead"));
    assert!(reasons["packs.slack"].contains("another site"));
    assert!(reasons["packs.discord"].contains("dialogs[0].root"));
    assert!(reasons["packs.linkedin"].contains("unknown field"));
    assert!(reasons["packs.myspace"].contains("unknown site"));
    assert!(
        reasons["packs.google-groups"].contains("not a valid pack"),
        "{reasons:?}"
    );
    // A packs part of the wrong shape: the import goes on, nothing taken.
    let mut file = file;
    file["packs"] = json!([1, 2]);
    let imported = transfer::import(
        file.to_string().as_bytes(),
        ImportMode::Replace,
        &Settings::default(),
        &Record::default(),
    )
    .unwrap();
    assert_eq!(imported.packs, Some(BTreeMap::new()));
    assert_eq!(imported.report.skipped[0].path, "packs");
}

#[test]
fn a_merge_takes_only_newer_packs() {
    let ours: BTreeMap<Site, SitePack> = [
        (Site::Facebook, newer(Site::Facebook, 2)),
        (Site::Slack, newer(Site::Slack, 1)),
    ]
    .into_iter()
    .collect();
    let theirs: BTreeMap<Site, SitePack> = [
        (Site::Facebook, newer(Site::Facebook, 1)),
        (Site::Slack, newer(Site::Slack, 2)),
        (Site::Discord, newer(Site::Discord, 1)),
    ]
    .into_iter()
    .collect();
    let merged = packs::apply(&ours, Some(theirs), ImportMode::Merge);
    assert_eq!(
        merged[&Site::Facebook],
        ours[&Site::Facebook],
        "ours is newer"
    );
    assert_eq!(merged[&Site::Slack].version, newer(Site::Slack, 2).version);
    assert!(merged.contains_key(&Site::Discord));
}

fn page(body: Value) -> Value {
    json!({"v": 1, "channel": "page", "body": body})
}

#[test]
fn the_background_exports_imports_and_tells_open_tabs() {
    let mut background = Background::new();
    let tab = |id| Sender::ContentScript {
        tab_id: Some(id),
        site: Site::Facebook,
    };
    for id in [3, 4] {
        background.dispatch_value(
            &tab(id),
            json!({"v": 1, "channel": "content", "body": {"type": "hello", "site": "facebook", "engine": "wasm"}}),
            1.0,
        );
    }
    background.dispatch_value(
        &Sender::ContentScript {
            tab_id: Some(7),
            site: Site::Slack,
        },
        json!({"v": 1, "channel": "content", "body": {"type": "hello", "site": "slack", "engine": "wasm"}}),
        1.0,
    );
    // No imported pack: every tab reads with its bundled pack.
    assert!(background
        .pack_deliveries()
        .iter()
        .all(|(_, request)| matches!(request, TabRequest::UsePack { pack: None, .. })));

    let pack = newer(Site::Facebook, 1);
    let file = export_of(&[(Site::Facebook, pack.clone())].into_iter().collect());
    let outcome = background.dispatch_value(
        &Sender::ExtensionPage,
        page(json!({"type": "import", "data": file, "mode": "replace"})),
        2.0,
    );
    assert!(outcome.writes.iter().any(|write| write.key == "packs"));
    assert_eq!(background.active_import(Site::Facebook), Some(&pack));
    let deliveries = background.pack_deliveries();
    assert_eq!(deliveries.len(), 3);
    for (tab_id, request) in deliveries {
        let TabRequest::UsePack { site, pack: text } = request else {
            panic!("a pack delivery");
        };
        match tab_id {
            3 | 4 => {
                assert_eq!(site, Site::Facebook);
                assert_eq!(SitePack::parse(&text.unwrap()).unwrap(), pack);
            }
            7 => assert_eq!((site, text), (Site::Slack, None)),
            other => panic!("tab {other}"),
        }
    }
    // The background's own export holds it.
    let outcome =
        background.dispatch_value(&Sender::ExtensionPage, page(json!({"type": "export"})), 3.0);
    let reply = serde_json::to_value(&outcome.reply).unwrap();
    let data: Value = serde_json::from_str(reply["body"]["data"].as_str().unwrap()).unwrap();
    assert_eq!(data["packs"]["facebook"]["version"], json!(pack.version));
}
