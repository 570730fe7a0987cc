//! Glue tests in a real browser page (headless Chromium through ChromeDriver).

mod common;

use ask_first_web::browser;
use ask_first_web::dom::Node;
use serde_json::json;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn text_with_markup_stays_text() {
    let hostile = "<img src=x onerror=alert(1)><b>Group</b>";
    let node = Node::new("p").unwrap().text(hostile);
    let element = node.into_element();
    assert_eq!(
        element.child_element_count(),
        0,
        "no element was parsed from the text"
    );
    assert_eq!(element.text_content().as_deref(), Some(hostile));
    assert!(element.inner_html().starts_with("&lt;img"));
}

#[wasm_bindgen_test]
async fn missing_extension_apis_are_errors_not_exceptions() {
    // A plain page (and the fake API of these tests) has no `chrome.runtime.sendMessage`,
    // `tabs`, `storage`, `i18n` or `openOptionsPage`; the facade must report, not throw.
    let error = browser::runtime::send_message(&JsValue::NULL)
        .await
        .unwrap_err();
    assert!(browser::describe(error).contains("not available"));
    assert!(!browser::runtime::open_options_page());
    assert_eq!(browser::tabs::url(1).await, None);
    assert_eq!(browser::tabs::active_tab_id().await, None);
    assert!(browser::storage_area::local().is_none());
    assert_eq!(browser::i18n::message("extName", &[]), None);
    browser::runtime::notify(&JsValue::NULL);
    browser::tabs::notify(1, &JsValue::NULL);
}

#[wasm_bindgen_test]
async fn sending_without_a_background_fails_cleanly() {
    let request =
        ask_first_core::protocol::Request::Page(ask_first_core::protocol::PageRequest::TabStatus {
            tab_id: 1,
            url: None,
        });
    let reply = browser::send::<ask_first_core::protocol::PageReply>(request).await;
    assert!(reply.is_err());
}

#[wasm_bindgen_test]
fn values_cross_the_boundary_as_plain_objects() {
    let value = json!({"v": 1, "channel": "page", "body": {"type": "tab_status", "tab_id": 5}});
    let js = browser::to_js(&value).unwrap();
    assert!(js.is_object());
    assert!(
        !js.is_instance_of::<js_sys::Map>(),
        "maps must arrive as plain objects"
    );
    assert_eq!(browser::from_js(js).unwrap(), value);
}

#[wasm_bindgen_test]
async fn the_router_reads_the_sender_from_the_browser_not_the_message() {
    browser::set_api_root(common::fake_extension_api());
    let content = common::sender(
        common::TEST_ID,
        "https://discord.com/channels/@me/1",
        Some(9),
    );
    let stranger = common::sender(
        "someone-else",
        "chrome-extension://someone-else/x.html",
        None,
    );
    let hello = json!({"v": 1, "channel": "content",
                       "body": {"type": "hello", "site": "discord", "engine": "wasm"}});
    let status = json!({"v": 1, "channel": "page", "body": {"type": "tab_status", "tab_id": 9}});

    // A content script asking a page question is refused; so is another extension.
    let refused = ask_first_web::background::handle_message(common::message(status), content);
    assert_eq!(
        common::settle(refused).await["error"]["code"],
        "not_allowed"
    );
    let refused = ask_first_web::background::handle_message(common::message(hello), stranger);
    assert_eq!(
        common::settle(refused).await["error"]["code"],
        "not_allowed"
    );
}

#[wasm_bindgen_test]
fn the_senders_origin_goes_before_its_url() {
    use ask_first_core::router::Sender;
    use ask_first_core::site::Site;
    browser::set_api_root(common::fake_extension_api());
    let own_origin = format!("chrome-extension://{}", common::TEST_ID);
    let popup = format!("{own_origin}/popup.html");
    let with_origin = |origin: &str, url: &str| {
        let sender = common::sender(common::TEST_ID, url, Some(9));
        common::set(&sender, "origin", &origin.into());
        sender
    };
    // The extension's own page by its origin.
    let page = with_origin(&own_origin, &popup);
    assert_eq!(browser::classify_sender(&page), Sender::ExtensionPage);
    // A web page whose renderer claims the extension's url: its origin gives it away.
    let spoofed = with_origin("https://evil.example", &popup);
    assert_eq!(browser::classify_sender(&spoofed), Sender::Unknown);
    // A content script by its origin; a url of another site than its origin is refused.
    let content = with_origin("https://discord.com", "https://discord.com/channels/@me/1");
    assert_eq!(
        browser::classify_sender(&content),
        Sender::ContentScript {
            tab_id: Some(9),
            site: Site::Discord
        }
    );
    let elsewhere = with_origin("https://discord.com", "https://app.slack.com/client/T1");
    assert_eq!(browser::classify_sender(&elsewhere), Sender::Unknown);
    // Without an origin (older Firefox), the url decides.
    let url_only = common::sender(
        common::TEST_ID,
        "https://discord.com/channels/@me/1",
        Some(9),
    );
    assert!(matches!(
        browser::classify_sender(&url_only),
        Sender::ContentScript { .. }
    ));
    // The content script's check for the popup's requests says yes to the extension's pages
    // only, whether by origin or (without one) by url.
    let page_by_url = common::sender(common::TEST_ID, &popup, None);
    for (sender, from_page) in [
        (&page, true),
        (&page_by_url, true),
        (&spoofed, false),
        (&content, false),
        (&elsewhere, false),
        (&url_only, false),
    ] {
        assert_eq!(browser::from_extension_page(sender), from_page);
        assert_eq!(
            browser::classify_sender(sender) == Sender::ExtensionPage,
            from_page
        );
    }
}

#[wasm_bindgen_test]
fn the_page_reads_bounded_text_and_only_the_last_matches() {
    use ask_first_core::page::Page;
    use ask_first_web::content::page::DomPage;
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    host.set_id("bounded-reading");
    for i in 0..300 {
        let p = document.create_element("p").unwrap();
        p.set_text_content(Some(&i.to_string()));
        host.append_child(&p).unwrap();
    }
    let huge = document.create_element("div").unwrap();
    huge.set_text_content(Some(&format!("{}{}", "ab ".repeat(400_000), "end")));
    host.append_child(&huge).unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let page = DomPage::new(document.clone());
    let root = page.root().unwrap();
    let last = page.select_last(&root, "#bounded-reading > p", 200);
    assert_eq!(last.len(), 200);
    assert_eq!(last[0].text_content().as_deref(), Some("100"));
    assert_eq!(last[199].text_content().as_deref(), Some("299"));
    assert_eq!(
        page.select_last(&root, "#bounded-reading > p", 500).len(),
        300
    );
    assert_eq!(page.text_head(&huge, 7), "ab ab a");
    assert_eq!(page.text_head(&last[0], 50), "100");
    assert_eq!(
        ask_first_core::page::text_of(&page, &huge).chars().count(),
        ask_first_core::page::MAX_TEXT
    );
    host.remove();
}
