//! "Leave again": the steps a pack describes from a group's page to its leave item
//! (`leave.steps`), walked by `page::leave_path::LeaveRun` one move at a time, and their
//! validation. Pages are staged: each click the run asks for is answered by the next stage.

mod support;

use ask_first_core::pack::{bundled_for, PackProblem, SitePack};
use ask_first_core::page::leave_path::{LeaveMove, LeaveRun, MAX_CLICKS, RUN_MS, STEP_WAIT_MS};
use ask_first_core::page::Page;
use ask_first_core::site::Site;
use support::html::HtmlPage;

/// What a move names: the element's `data-t` marker, for readable assertions.
fn marker(page: &HtmlPage, node: &<HtmlPage as Page>::Node) -> String {
    page.attr(node, "data-t").unwrap_or_default()
}

fn describe(page: &HtmlPage, step: LeaveMove<<HtmlPage as Page>::Node>) -> String {
    match step {
        LeaveMove::Open(node) => format!("open {}", marker(page, &node)),
        LeaveMove::Start(node) => format!("start {}", marker(page, &node)),
        LeaveMove::Wait => "wait".into(),
        LeaveMove::GiveUp => "give up".into(),
    }
}

/// Walks a run over staged pages: `stage(clicked)` is the page after the clicks so far.
fn walk(pack: &SitePack, stage: impl Fn(&[String]) -> String) -> Vec<String> {
    let mut run = LeaveRun::new(0.0);
    let mut clicked: Vec<String> = Vec::new();
    let mut moves = Vec::new();
    let mut now = 0.0;
    for _ in 0..200 {
        let page = HtmlPage::parse(&stage(&clicked));
        let step = describe(&page, run.next(&page, pack, now));
        if let Some(what) = step.strip_prefix("open ") {
            clicked.push(what.to_owned());
        }
        let end = step.starts_with("start") || step == "give up";
        if moves.last() != Some(&step) || !step.starts_with("wait") {
            moves.push(step);
        }
        if end {
            break;
        }
        now += 100.0;
    }
    moves
}

const FB_HEADER: &str = r#"<div role="main"><h1>Berlin Networking Circle</h1>"#;

#[test]
fn facebook_opens_the_joined_menu_then_its_leave_item() {
    let pack = bundled_for(Site::Facebook).unwrap();
    let moves = walk(&pack, |clicked| {
        let menu = if clicked.iter().any(|c| c == "joined") {
            r#"<div role="menu"><div role="menuitem" data-t="unfollow"><span>Unfollow group</span></div>
               <div role="menuitem" data-t="leave"><span>Leave group</span></div></div>"#
        } else {
            ""
        };
        format!(
            r#"{FB_HEADER}<div role="button" aria-haspopup="menu" aria-label="Joined" data-t="joined"><span>Joined</span></div>
               <div role="button" aria-haspopup="menu" aria-label="Invite" data-t="invite"><span>Invite</span></div>
               <div role="button" aria-haspopup="menu" aria-label="More" data-t="more"></div></div>{menu}"#
        )
    });
    assert_eq!(moves, ["open joined", "start leave"]);
}

#[test]
fn a_menu_already_open_is_not_opened_again() {
    let pack = bundled_for(Site::Discord).unwrap();
    let page = HtmlPage::parse(
        r#"<section aria-label="Channel header"><div role="button" aria-label="More" aria-haspopup="menu" data-t="more"></div></section>
           <div role="menu" id="private-channel-ctx"><div role="menuitem" id="private-channel-ctx-leave-channel" data-t="leave"><span>Leave Group</span></div></div>"#,
    );
    let mut run = LeaveRun::new(0.0);
    assert_eq!(
        run.next(&page, &pack, 0.0),
        LeaveMove::Start(page.find("#private-channel-ctx-leave-channel"))
    );
    assert_eq!(
        describe(&page, run.next(&page, &pack, 10.0)),
        "give up",
        "one run clicks the leave item once"
    );
}

#[test]
fn a_renamed_label_falls_back_to_the_menu_buttons_structure() {
    // WhatsApp after a redesign: the header menu's label is French, its aria-haspopup stays.
    let pack = bundled_for(Site::Whatsapp).unwrap();
    let moves = walk(&pack, |clicked| {
        let menu = if clicked.iter().any(|c| c == "menu") {
            r#"<div role="menu"><div role="menuitem" data-t="info"><span>Group info</span></div>
               <div role="menuitem" data-t="exit"><span>Exit group</span></div></div>"#
        } else {
            ""
        };
        format!(
            r#"<div id="main"><header><div role="button" aria-label="Rechercher" data-t="search"></div>
               <div role="button" aria-label="Plus" aria-haspopup="menu" data-t="menu"><span data-icon="menu-refreshed"></span></div></header></div>{menu}"#
        )
    });
    assert_eq!(moves, ["open menu", "start exit"]);
}

#[test]
fn each_alternative_is_tried_once_until_the_leave_item_shows() {
    // LinkedIn without the labelled "More options": two menu buttons by structure, the second
    // holds the leave item. The first gets its time, then the second is tried.
    let pack = bundled_for(Site::Linkedin).unwrap();
    let moves = walk(&pack, |clicked| {
        let menu = match clicked.last().map(String::as_str) {
            Some("share") => {
                r#"<div role="menu"><div role="menuitem" data-t="copy">Copy link</div></div>"#
            }
            Some("more") => {
                r#"<div role="menu"><div role="menuitem" data-t="leave">Leave this group</div></div>"#
            }
            _ => "",
        };
        format!(
            r#"<main><button aria-haspopup="menu" data-t="share">Share</button>
               <button aria-haspopup="menu" data-t="more">…</button></main>{menu}"#
        )
    });
    assert_eq!(moves, ["open share", "wait", "open more", "start leave"]);
}

#[test]
fn telegram_reaches_leave_in_both_clients() {
    let pack = bundled_for(Site::Telegram).unwrap();
    // Web K: the chat's ⋮ (not the burger menu of the chat list), items with an icon glyph.
    let k = walk(&pack, |clicked| {
        let menu = if clicked.iter().any(|c| c == "more") {
            "<div class=\"btn-menu active\"><div class=\"btn-menu-item\" data-t=\"mute\"><span class=\"tgico\">\u{e9a1}</span><span class=\"btn-menu-item-text\">Mute</span></div>\
             <div class=\"btn-menu-item danger\" data-t=\"leave\"><span class=\"tgico btn-menu-item-icon\">\u{e9b2}</span><span class=\"i18n btn-menu-item-text\">Leave group</span></div></div>"
        } else {
            ""
        };
        format!(
            r#"<div class="sidebar-header"><button class="btn-icon btn-menu-toggle" data-t="burger"></button></div>
               <div class="sidebar-header topbar"><div class="chat-utils"><button class="btn-icon" data-t="search"></button>
               <button class="btn-icon btn-menu-toggle" data-t="more"></button></div></div>{menu}"#
        )
    });
    assert_eq!(k, ["open more", "start leave"]);
    // Web A: "More actions" in the middle header.
    let a = walk(&pack, |clicked| {
        let menu = if clicked.iter().any(|c| c == "more") {
            r#"<div class="Menu"><div role="menu"><div role="menuitem" class="MenuItem destructive" data-t="leave"><i class="icon icon-logout"></i>Leave Group</div></div></div>"#
        } else {
            ""
        };
        format!(
            r#"<div class="MiddleHeader"><button class="Button round" aria-label="Search this chat" data-t="search"><i class="icon icon-search"></i></button>
               <button class="Button round" aria-label="More actions" data-t="more"><i class="icon icon-more"></i></button></div>{menu}"#
        )
    });
    assert_eq!(a, ["open more", "start leave"]);
}

#[test]
fn a_page_that_never_shows_the_leave_item_gets_a_bounded_run() {
    let pack = bundled_for(Site::Slack).unwrap();
    // The kebab opens a menu without "Leave channel" (a page that changed): the run stops.
    let page = HtmlPage::parse(
        r#"<button data-qa="channel_header_kebab" aria-haspopup="menu" aria-label="More actions" data-t="kebab"></button>
           <button aria-haspopup="menu" aria-label="More actions" data-t="other"></button>"#,
    );
    let mut run = LeaveRun::new(0.0);
    let mut now = 0.0;
    let mut opened = 0;
    loop {
        match run.next(&page, &pack, now) {
            LeaveMove::Open(_) => opened += 1,
            LeaveMove::Wait => {}
            LeaveMove::Start(_) => panic!("no leave item on this page"),
            LeaveMove::GiveUp => break,
        }
        now += 50.0;
        assert!(now <= RUN_MS + 200.0, "the run ends by its time limit");
    }
    assert_eq!(opened, 2, "each candidate clicked once");
    assert!(opened <= MAX_CLICKS);
    assert!(now >= 2.0 * STEP_WAIT_MS, "each click got its time");
}

#[test]
fn a_pack_without_steps_and_a_page_without_the_leave_item_gives_up_at_once() {
    let pack = bundled_for(Site::GoogleGroups).unwrap();
    assert!(pack.leave.as_ref().unwrap().steps.is_empty());
    let page = HtmlPage::parse(r#"<div role="main"><h1>Hiking Club</h1></div>"#);
    let mut run = LeaveRun::new(0.0);
    assert!(matches!(run.next(&page, &pack, 0.0), LeaveMove::GiveUp));
    // Its leave button on the page: clicked at once.
    let page = HtmlPage::parse(
        r#"<div role="main"><div role="button" data-t="leave">Leave group</div></div>"#,
    );
    let mut run = LeaveRun::new(0.0);
    assert_eq!(describe(&page, run.next(&page, &pack, 0.0)), "start leave");
}

#[test]
fn a_pack_without_steps_still_opens_a_member_menu() {
    // An imported pack from before steps existed: Facebook's "Joined" opens its menu.
    let mut pack = bundled_for(Site::Facebook).unwrap();
    pack.leave.as_mut().unwrap().steps.clear();
    let moves = walk(&pack, |clicked| {
        let menu = if clicked.iter().any(|c| c == "joined") {
            r#"<div role="menu"><div role="menuitem" data-t="leave">Leave group</div></div>"#
        } else {
            ""
        };
        format!(
            r#"{FB_HEADER}<div role="button" aria-haspopup="menu" data-t="joined">Joined</div></div>{menu}"#
        )
    });
    assert_eq!(moves, ["open joined", "start leave"]);
    // A member control that opens no menu is never clicked (Discord's "Add Friends to DM").
    let mut pack = bundled_for(Site::Discord).unwrap();
    pack.leave.as_mut().unwrap().steps.clear();
    let page =
        HtmlPage::parse(r#"<div role="button" aria-label="Add Friends to DM" data-t="add"></div>"#);
    let mut run = LeaveRun::new(0.0);
    assert!(matches!(run.next(&page, &pack, 0.0), LeaveMove::GiveUp));
}

/// The Facebook pack as JSON with its leave steps replaced by `steps` (JSON).
fn with_steps(steps: &str) -> String {
    let pack = bundled_for(Site::Facebook).unwrap();
    let mut value = serde_json::to_value(&pack).unwrap();
    value["leave"]["steps"] = serde_json::from_str(steps).unwrap();
    value.to_string()
}

#[test]
fn steps_are_validated_like_every_other_control() {
    let refused = |steps: &str| SitePack::parse(&with_steps(steps)).unwrap_err();
    let error = refused(r#"[{"any": []}]"#);
    assert_eq!(
        (error.path.as_str(), &error.problem),
        ("leave.steps[0].any", &PackProblem::Empty)
    );
    let five = r#"{"any": [{"selector": "[aria-haspopup=menu]"}]}"#;
    let error = refused(&format!("[{five},{five},{five},{five},{five}]"));
    assert_eq!(error.path, "leave.steps");
    assert_eq!(error.problem, PackProblem::TooManySteps);
    let alternatives = r#"[{"any": [{"selector": "a.x"}, {"selector": "a.y"}, {"selector": "a.z"},
        {"selector": "a.w"}, {"selector": "a.v"}]}]"#;
    let error = refused(alternatives);
    assert_eq!(error.path, "leave.steps[0].any");
    assert_eq!(error.problem, PackProblem::TooManySteps);
    assert!(error.to_string().contains("more than 4 steps"));
    // Selector rules: too broad, too costly, markup; texts need both languages.
    let error = refused(r#"[{"any": [{"selector": "[role=main] > *"}]}]"#);
    assert_eq!(error.path, "leave.steps[0].any[0].selector");
    assert_eq!(error.problem, PackProblem::SelectorTooBroad);
    let error = refused(
        r#"[{"any": [{"selector": "[aria-haspopup]"}, {"selector": "div:has(a:has(b))"}]}]"#,
    );
    assert_eq!(error.path, "leave.steps[0].any[1].selector");
    assert_eq!(error.problem, PackProblem::SelectorTooComplex);
    let error = refused(r#"[{"any": [{"selector": "<script>"}]}]"#);
    assert_eq!(error.path, "leave.steps[0].any[0].selector");
    let error = refused(r#"[{"any": [{"selector": "button", "text": {"en": ["More"]}}]}]"#);
    assert_eq!(error.path, "leave.steps[0].any[0].text");
    assert_eq!(error.problem, PackProblem::MissingLanguage("de".into()));
    let error = refused(r#"[{"any": [{"selector": "button"}], "click": "twice"}]"#);
    assert_eq!(error.problem, PackProblem::UnknownField("click".into()));
    // A valid step list parses, and the content build's reader agrees with serde.
    let json = with_steps(
        r#"[{"any": [{"selector": "[role=main] [aria-haspopup=menu]", "text": {"en": ["More"], "de": ["Mehr"]}}]}]"#,
    );
    let pack = SitePack::parse(&json).unwrap();
    assert_eq!(pack.leave.as_ref().unwrap().steps.len(), 1);
    assert_eq!(
        ask_first_core::pack::decode_checked_pack(&json).unwrap(),
        pack
    );
}

#[test]
fn every_bundled_pack_reaches_its_leave_item_or_shows_it() {
    // Every site either shows its leave item on the group page (Google Groups) or names the
    // steps to it; every step has a fallback besides a labelled control, except where the
    // site's own hook is the first alternative.
    for site in Site::ALL {
        let pack = bundled_for(site).unwrap();
        let leave = pack.leave.as_ref().expect("every site has a leave flow");
        if site == Site::GoogleGroups {
            assert!(leave.steps.is_empty());
            continue;
        }
        assert!(!leave.steps.is_empty(), "{site:?} names its steps");
        for step in &leave.steps {
            assert!(
                step.any.len() >= 2 || step.any[0].text.is_none(),
                "{site:?}: a labelled step has a structural fallback"
            );
        }
    }
}

#[test]
fn the_real_telegram_k_menu_item_with_its_glyph_is_the_leave_item() {
    // The evidence's snippet (tweb's ButtonMenuItem with its private-use glyph): with the chat
    // menu open, the run clicks "Leave group" at once.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/snippets/telegram-k-leave.html"
    );
    let page = HtmlPage::parse(&std::fs::read_to_string(path).unwrap());
    let pack = bundled_for(Site::Telegram).unwrap();
    let mut run = LeaveRun::new(0.0);
    assert_eq!(
        run.next(&page, &pack, 0.0),
        LeaveMove::Start(page.find(".btn-menu-item.danger"))
    );
}

#[test]
fn the_site_check_counts_each_step() {
    use ask_first_core::pack::PackSource;
    use ask_first_core::page::{check, Reader};
    use ask_first_core::protocol::Engine;
    let pack = bundled_for(Site::Facebook).unwrap();
    let page = HtmlPage::parse(&format!(
        r#"{FB_HEADER}<div role="button" aria-haspopup="menu" aria-label="Joined">Joined</div>
           <div role="button" aria-haspopup="menu" aria-label="Invite">Invite</div></div>"#
    ));
    let report = check::site_check(
        &page,
        &pack,
        PackSource::Bundled,
        Engine::Wasm,
        None,
        &mut Reader::default(),
    );
    let count = |name: &str| {
        report
            .parts
            .iter()
            .find(|part| part.part == name)
            .map(|part| (part.matched, part.fitting))
            .unwrap_or_else(|| panic!("no part {name}"))
    };
    // The labelled alternative: two menu buttons, one of them "Joined"; the structural one:
    // both (it has no text to fit).
    assert_eq!(count("leave.steps[0].any[0]"), (2, Some(1)));
    assert_eq!(count("leave.steps[0].any[1]"), (2, Some(2)));
    assert_eq!(count("leave.start"), (0, Some(0)));
}
