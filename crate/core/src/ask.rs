//! The ask-first message: a template filled with the group and the people's names, for the user
//! to copy and send before adding anyone.
//!
//! Layer: domain (imports only the leaves and other domain modules; the map is in `lib.rs`).

use crate::model::clean_name;
use crate::settings::{Lang, Templates};

/// Most names written out; the rest become "and N others".
pub const MAX_NAMES_WRITTEN: usize = 10;

/// Joins names the way a sentence does: "A", "A and B", "A, B and C"; past
/// [`MAX_NAMES_WRITTEN`] "A, B, … and 5 others". Empty and blank names are skipped.
pub fn join_names(names: &[String], lang: Lang) -> String {
    let names: Vec<String> = names.iter().filter_map(|name| clean_name(name)).collect();
    let and = match lang {
        Lang::En => "and",
        Lang::De => "und",
    };
    let (written, others) = if names.len() > MAX_NAMES_WRITTEN {
        // Leave room for the "others" part as the last item.
        let shown = MAX_NAMES_WRITTEN - 1;
        (&names[..shown], names.len() - shown)
    } else {
        (&names[..], 0)
    };
    let mut items: Vec<String> = written.to_vec();
    if others > 0 {
        items.push(match lang {
            Lang::En => format!("{others} others"),
            Lang::De => format!("{others} weitere"),
        });
    }
    match items.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
    }
}

/// Fills `{group}` and `{names}` in a template. Unknown placeholders and stray braces stay as
/// written (settings validation keeps them out). Values are inserted once: a name that itself
/// contains `{group}` is not expanded again.
pub fn render(template: &str, group: &str, names: &str) -> String {
    fill(template, &[("group", group), ("names", names)])
}

/// Replaces each `{name}` of `values` in `template`, in one pass from left to right: a value is
/// inserted as it is and never read for placeholders again, so a group called "{date}" or an
/// actor called "Bob{count}" (text from the page) shows as written. Unknown placeholders and
/// stray braces stay as written.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let extra: usize = values.iter().map(|(_, value)| value.len()).sum();
    let mut out = String::with_capacity(template.len() + extra);
    let mut rest = template;
    while let Some((before, after)) = rest.split_once('{') {
        out.push_str(before);
        let replaced = values.iter().find_map(|(name, value)| {
            let tail = after.strip_prefix(name)?.strip_prefix('}')?;
            Some((value, tail))
        });
        match replaced {
            Some((value, tail)) => {
                out.push_str(value);
                rest = tail;
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The ask-first message for `group` and `names` in `lang`, from the user's templates.
pub fn ask_message(templates: &Templates, lang: Lang, group: &str, names: &[String]) -> String {
    let group = clean_name(group).unwrap_or_default();
    let names = join_names(names, lang);
    render(templates.get(lang), &group, &names)
}

#[cfg(test)]
mod tests {
    #[test]
    fn fill_inserts_each_value_once_as_written() {
        use super::fill;
        let text = "You left {group} on {date}. Added by {actor} ({count} times).";
        assert_eq!(
            fill(
                text,
                &[
                    ("group", "{date}"),
                    ("date", "5 Dec"),
                    ("actor", "Bob{count}"),
                    ("count", "3"),
                ]
            ),
            "You left {date} on 5 Dec. Added by Bob{count} (3 times)."
        );
        assert_eq!(
            fill("{a}{b} {c} {", &[("a", "{b}"), ("b", "x")]),
            "{b}x {c} {"
        );
        assert_eq!(fill("plain", &[]), "plain");
    }

    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn names_join_naturally() {
        assert_eq!(join_names(&names(&[]), Lang::En), "");
        assert_eq!(join_names(&names(&["A"]), Lang::En), "A");
        assert_eq!(join_names(&names(&["A", "B"]), Lang::En), "A and B");
        assert_eq!(join_names(&names(&["A", "B", "C"]), Lang::En), "A, B and C");
        assert_eq!(join_names(&names(&["A", "B", "C"]), Lang::De), "A, B und C");
        assert_eq!(join_names(&names(&["A", " ", "C"]), Lang::De), "A und C");
        let many: Vec<String> = (1..=14).map(|i| format!("P{i}")).collect();
        assert_eq!(
            join_names(&many, Lang::En),
            "P1, P2, P3, P4, P5, P6, P7, P8, P9 and 5 others"
        );
        assert!(join_names(&many, Lang::De).ends_with("P9 und 5 weitere"));
    }

    #[test]
    fn templates_render_once_without_regex() {
        assert_eq!(render("{names} → {group}!", "G", "A"), "A → G!");
        assert_eq!(render("{group}{group}", "G", ""), "GG");
        assert_eq!(render("{x} {names", "G", "A"), "{x} {names");
        assert_eq!(render("{names}", "G", "{group}"), "{group}");
        assert_eq!(render("", "G", "A"), "");
        assert_eq!(render("ü{group}ß", "Ä", ""), "üÄß");
    }

    #[test]
    fn default_messages_in_both_languages() {
        let templates = Templates::default();
        let en = ask_message(
            &templates,
            Lang::En,
            "Book club",
            &names(&["Ann", "Bo", "Cy"]),
        );
        assert_eq!(
            en,
            "Hi Ann, Bo and Cy, may I add you to the group \"Book club\"? \
A short yes or no is enough, and no is perfectly fine."
        );
        let de = ask_message(&templates, Lang::De, " Lauftreff ", &names(&["Jo", "Kai"]));
        assert!(de.starts_with("Hallo Jo und Kai, darf ich dich zur Gruppe „Lauftreff“"));
    }
}
