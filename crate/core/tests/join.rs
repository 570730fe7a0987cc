//! A click on the group's "Join" control (the pack's `membership.not_member`, when it is a button
//! or a link): the user rejoining by themselves, which is not a re-addition (review finding L2).

mod support;

use ask_first_core::pack::bundled_for;
use ask_first_core::page::{self, Membership};
use ask_first_core::site::Site;
use support::html::HtmlPage;

#[test]
fn a_click_on_facebooks_join_button_is_a_join() {
    let pack = bundled_for(Site::Facebook).unwrap();
    let page = HtmlPage::parse(
        r#"<div role="main"><h1>Berlin Networking Circle</h1>
           <div role="button" tabindex="0" class="join"><span>Join group</span></div>
           <div role="button" tabindex="0" aria-label="More" class="more"><i></i></div></div>"#,
    );
    assert_eq!(page::membership(&page, &pack), Membership::NotMember);
    assert!(
        page::is_join_control(&page, &page.find(".join span"), &pack),
        "the label inside"
    );
    assert!(
        page::is_join_control(&page, &page.find(".join"), &pack),
        "the button itself"
    );
    assert!(
        !page::is_join_control(&page, &page.find(".more"), &pack),
        "another button"
    );
    assert!(
        !page::is_join_control(&page, &page.find("h1"), &pack),
        "the title"
    );
}

#[test]
fn a_member_page_has_no_join_control() {
    let pack = bundled_for(Site::Facebook).unwrap();
    let page = HtmlPage::parse(
        r#"<div role="main"><div role="button" tabindex="0" class="joined"><span>Joined</span></div></div>"#,
    );
    assert_eq!(page::membership(&page, &pack), Membership::Member);
    assert!(!page::is_join_control(
        &page,
        &page.find(".joined span"),
        &pack
    ));
}

#[test]
fn telegram_and_slack_join_buttons_are_joins() {
    let telegram = bundled_for(Site::Telegram).unwrap();
    let page = HtmlPage::parse(
        r#"<div class="chat-input"><button class="btn-primary chat-join"><span class="i18n">Join</span></button></div>"#,
    );
    assert!(page::is_join_control(
        &page,
        &page.find(".chat-join span"),
        &telegram
    ));
    let slack = bundled_for(Site::Slack).unwrap();
    let page = HtmlPage::parse(
        r#"<div class="footer"><button data-qa="join_channel_button">Join Channel</button></div>"#,
    );
    assert!(page::is_join_control(&page, &page.find("button"), &slack));
}

#[test]
fn whatsapps_not_a_participant_line_joins_nothing() {
    let pack = bundled_for(Site::Whatsapp).unwrap();
    let page = HtmlPage::parse(
        r#"<div id="main"><footer><div class="notice">You can’t send messages to this group because you’re no longer a participant.</div></footer></div>"#,
    );
    assert_eq!(page::membership(&page, &pack), Membership::NotMember);
    assert!(!page::is_join_control(&page, &page.find(".notice"), &pack));
}
