//! The structural judgement over hand-made facts. The same judgement over the real sites'
//! snippets is tested in `tests/snippets.rs`.

use super::*;

fn person(name: &str, selected: bool) -> ItemFacts {
    ItemFacts {
        selected,
        chip: false,
        runs: vec![name.to_owned(), "last seen recently".to_owned()],
        avatar: true,
    }
}

fn chip(name: &str) -> ItemFacts {
    ItemFacts {
        selected: true,
        chip: true,
        runs: vec![name.to_owned()],
        avatar: false,
    }
}

fn button(region: Region, off_when_empty: bool) -> ButtonFacts {
    ButtonFacts {
        shown: true,
        enabled: true,
        region,
        worded: true,
        off_when_empty,
    }
}

/// A close or back button: an icon, no words.
fn icon(region: Region) -> ButtonFacts {
    ButtonFacts {
        worded: false,
        ..button(region, false)
    }
}

fn dialog(items: Vec<ItemFacts>, buttons: Vec<ButtonFacts>) -> ContainerFacts {
    ContainerFacts {
        kind: ContainerKind::Dialog,
        search: true,
        items,
        buttons,
    }
}

const NAMES: [&str; 8] = [
    "Anna Schmidt",
    "Jürgen Müller",
    "Zoë Lefèvre",
    "Wei Zhang",
    "Çağla Yılmaz",
    "Ольга Петрова",
    "Saoirse Ní Bhriain",
    "Anna Schmidt 2",
];

#[test]
fn selected_people_in_a_dialog_are_counted_with_their_names() {
    let items = NAMES
        .iter()
        .enumerate()
        .map(|(i, name)| person(name, i < 6))
        .collect();
    let picker = judge(&dialog(items, vec![button(Region::After, false)])).expect("a picker");
    assert_eq!(picker.people, 8);
    assert_eq!(picker.selected, 6);
    assert_eq!(picker.names, NAMES[..6].to_vec());
    assert_eq!(picker.add_control, Some(0), "the one button after the list");
}

#[test]
fn rows_and_their_chips_are_one_selection() {
    let mut items: Vec<ItemFacts> = NAMES.iter().map(|name| person(name, true)).collect();
    items.extend(NAMES[..8].iter().map(|name| chip(name)));
    let picker = judge(&dialog(items, vec![])).expect("a picker");
    assert_eq!(
        picker.selected, 8,
        "ticked rows and chips show the same people"
    );
    assert_eq!(picker.names.len(), 8);
    assert_eq!(picker.add_control, None, "no button: nothing to gate");
}

#[test]
fn chips_alone_make_a_selection() {
    let mut items: Vec<ItemFacts> = NAMES[..5].iter().map(|name| chip(name)).collect();
    items.push(chip("anna.schmidt@example.com"));
    let picker = judge(&dialog(items, vec![])).expect("a picker");
    assert_eq!(picker.selected, 6, "an e-mail address names a person too");
}

#[test]
fn the_add_control_is_the_button_the_selection_woke() {
    let items: Vec<ItemFacts> = NAMES.iter().map(|name| person(name, true)).collect();
    // Cancel and Send in the footer: ambiguous, unless one of them was off while empty.
    let ambiguous = judge(&dialog(
        items.clone(),
        vec![button(Region::After, false), button(Region::After, false)],
    ))
    .unwrap();
    assert_eq!(ambiguous.add_control, None);
    let woke = judge(&dialog(
        items.clone(),
        vec![
            button(Region::Before, false),
            button(Region::After, false),
            button(Region::After, true),
        ],
    ))
    .unwrap();
    assert_eq!(woke.add_control, Some(2));
    // The one button after the list, beside a close icon: Telegram's round next button.
    let after = judge(&dialog(
        items.clone(),
        vec![icon(Region::Before), button(Region::After, false)],
    ))
    .unwrap();
    assert_eq!(after.add_control, Some(1));
    // A worded button above the list may be the one that adds: the one after is not sure.
    let worded_above = judge(&dialog(
        items.clone(),
        vec![button(Region::Before, false), button(Region::After, false)],
    ))
    .unwrap();
    assert_eq!(worded_above.add_control, None);
    // Discord: the add button sits beside the search field, above the list.
    let beside = judge(&dialog(
        items.clone(),
        vec![button(Region::Before, false), button(Region::Before, true)],
    ))
    .unwrap();
    assert_eq!(beside.add_control, Some(1));
    let disabled = ButtonFacts {
        enabled: false,
        ..button(Region::After, true)
    };
    assert_eq!(
        judge(&dialog(items, vec![disabled])).unwrap().add_control,
        None,
        "a disabled button adds nothing"
    );
}

#[test]
fn settings_polls_photos_and_emoji_are_not_people() {
    // Settings: checked toggles with labels and icons, no avatars.
    let settings: Vec<ItemFacts> = [
        "Show previews",
        "Sound",
        "Vibrate",
        "Message notifications",
        "Group notifications",
        "Show sender name",
    ]
    .iter()
    .map(|label| ItemFacts {
        selected: true,
        chip: false,
        runs: vec![(*label).to_owned()],
        avatar: false,
    })
    .collect();
    assert_eq!(judge(&dialog(settings, vec![])), None);
    // A poll after voting: options with percentages, voters' avatars.
    let poll: Vec<ItemFacts> = ["45%", "30%", "25%", "12%", "8%", "5%"]
        .iter()
        .map(|share| ItemFacts {
            selected: true,
            chip: false,
            runs: vec![(*share).to_owned(), format!("Option {share}")],
            avatar: true,
        })
        .collect();
    assert_eq!(judge(&dialog(poll, vec![])), None);
    // Photos: pictures with file names or durations.
    let photos: Vec<ItemFacts> = ["IMG_2034.jpg", "0:15", "IMG_2035.heic", "", "", "1:02"]
        .iter()
        .map(|label| ItemFacts {
            selected: true,
            chip: false,
            runs: if label.is_empty() {
                vec![]
            } else {
                vec![(*label).to_owned()]
            },
            avatar: true,
        })
        .collect();
    assert_eq!(judge(&dialog(photos, vec![])), None);
    // Emoji: a glyph each.
    let emoji: Vec<ItemFacts> = ["😀", "😂", "👍", "🎉", "❤️", "🙏"]
        .iter()
        .map(|glyph| ItemFacts {
            selected: true,
            chip: false,
            runs: vec![(*glyph).to_owned()],
            avatar: false,
        })
        .collect();
    assert_eq!(judge(&dialog(emoji, vec![])), None);
}

#[test]
fn a_few_people_among_many_other_selections_count_as_none() {
    let mut items: Vec<ItemFacts> = NAMES[..3].iter().map(|name| person(name, true)).collect();
    items.extend((0..7).map(|i| ItemFacts {
        selected: true,
        chip: false,
        runs: vec![format!("Setting number {i}")],
        avatar: false,
    }));
    let picker = judge(&dialog(items, vec![])).expect("people are shown");
    assert_eq!(picker.selected, 0, "most selected items are not people");
}

#[test]
fn a_panel_needs_a_search_field() {
    let items: Vec<ItemFacts> = NAMES.iter().map(|name| person(name, true)).collect();
    let panel = ContainerFacts {
        kind: ContainerKind::Panel,
        search: false,
        items: items.clone(),
        buttons: vec![],
    };
    assert_eq!(judge(&panel), None);
    let picker = judge(&ContainerFacts {
        search: true,
        ..panel
    })
    .expect("a sidebar picker");
    assert_eq!(picker.selected, 8);
}

#[test]
fn names_are_told_from_other_texts() {
    for name in [
        "Anna Schmidt",
        "Zoë Lefèvre",
        "O'Brien",
        "Jean-Luc Picard",
        "王伟",
        "Ольга",
        "Anna Schmidt 2",
        "Dr. Anna Schmidt",
        "Anna (Work)",
        "<b>HTML</b> Tester",
    ] {
        assert!(is_name_like(name), "{name}");
    }
    for other in [
        "45%",
        "0:15",
        "IMG_2034.jpg",
        "report.pdf",
        "12 members",
        "https://example.com",
        "docs/report.pdf",
        "#general",
        "😀",
        "a",
        "one two three four five six seven",
        "Do you want to add them?",
    ] {
        assert!(!is_name_like(other), "{other}");
    }
    assert!(is_initials("AS"));
    assert!(is_initials("Ø"));
    assert!(!is_initials("Anna"));
    assert!(!is_initials("as"));
    assert!(is_email("a.b@example.org"));
    assert!(!is_email("@handle"));
    assert!(!is_email("a b@example.org"));
}
