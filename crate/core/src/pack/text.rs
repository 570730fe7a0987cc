//! Matching visible texts against a pack's [`Texts`], without a regex engine.
//!
//! Everything is compared after [`normalise_text`]: trimmed, runs of whitespace (including the
//! no-break spaces sites put into counters) collapsed to one space, Unicode lowercase, and
//! private-use characters dropped (icon fonts draw their glyphs with them: Telegram Web K's menu
//! items read "\u{e9a0}Leave group"). Captured names keep their original case.

use super::Texts;
use crate::model::collapse_to;

/// Longest candidate text looked at by [`match_message`] and [`parse_counter`]; a system message
/// or a counter is far shorter, and the cap bounds the work on hostile pages.
pub const MAX_CANDIDATE_CHARS: usize = 2_000;

/// Longest text a placeholder may capture (a group's name); a longer piece is not a name, so the
/// template does not match.
pub const MAX_CAPTURE_CHARS: usize = 128;

/// Longest person's name an `{actor}` or `{user}` may capture. Display names are short (WhatsApp
/// 25, Telegram 64 for first and last name together, Slack 80 for the full name but shown
/// shorter); a longer capture is text a person wrote before the template's words (an author
/// header, a whole message), not a name.
pub const MAX_NAME_CHARS: usize = 64;

/// Most placeholders in one message template: enough for "{actor} added {user} to {group}"-like
/// texts minus one (no bundled template needs three), and matching stays linear in the text.
pub const MAX_PLACEHOLDERS: usize = 2;

/// The placeholders a message template may use.
pub const MESSAGE_PLACEHOLDERS: [&str; 3] = ["{actor}", "{user}", "{group}"];

/// The placeholder of a counter template.
pub const COUNT_PLACEHOLDER: &str = "{n}";

/// Trim, collapse whitespace (any Unicode whitespace, NBSP included) to one space, lowercase,
/// drop private-use characters ([`is_private_use`]).
pub fn normalise_text(s: &str) -> String {
    normalised_chars(s).into_iter().map(|c| c.ch).collect()
}

/// `candidate` equals a variant of any language (after normalising both).
pub fn texts_match(texts: &Texts, candidate: &str) -> bool {
    let candidate = normalise_text(candidate);
    if candidate.is_empty() {
        return false;
    }
    variants(texts).any(|v| normalise_text(v) == candidate)
}

/// `candidate` contains a variant of any language (after normalising both): for labels that
/// carry extra words ("Leave 'Weekend Trip'"). Empty variants never match.
pub fn texts_contain(texts: &Texts, candidate: &str) -> bool {
    let candidate = normalise_text(candidate);
    variants(texts).any(|v| {
        let v = normalise_text(v);
        !v.is_empty() && find(&candidate, &v).is_some()
    })
}

/// Where `needle` first occurs in `haystack`. Bytes are compared: in valid UTF-8 a match starts
/// and ends on character boundaries. A window scan instead of std's two-way searcher, whose code
/// is large: the texts searched here are short (labels, templates), and most windows fail at
/// their first byte.
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    let (haystack, needle) = (haystack.as_bytes(), needle.as_bytes());
    let Some(&first) = needle.first() else {
        return Some(0);
    };
    haystack
        .windows(needle.len())
        .position(|window| window[0] == first && window == needle)
}

/// The number in a counter text such as "8 FRIENDS SELECTED" or "1.234 FREUNDE AUSGEWÄHLT".
///
/// Each template has one `{n}`; the literal text before and after it must match exactly (after
/// normalising), and the part in between must be a number: ASCII digits, optionally grouped in
/// threes by `,`, `.`, a space or a no-break space ("1,234", "1.234", "1 234"). Decimal
/// fractions are not counts and do not parse. `None` when no template fits or the number does
/// not fit in a `u32`.
pub fn parse_counter(templates: &Texts, text: &str) -> Option<u32> {
    // Every counter holds a number: most candidates (names, labels) have no digit and are
    // rejected before any normalising. A dialog of a thousand rows asks this thousands of times.
    if text.len() > MAX_CANDIDATE_CHARS * 4 || !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    if text.chars().count() > MAX_CANDIDATE_CHARS {
        return None;
    }
    let text = normalise_text(text);
    for template in variants(templates) {
        let template = normalise_text(template);
        let Some(at) = find(&template, COUNT_PLACEHOLDER) else {
            continue;
        };
        let (prefix, suffix) = template.split_at(at);
        let suffix = suffix.get(COUNT_PLACEHOLDER.len()..).unwrap_or_default();
        if find(suffix, COUNT_PLACEHOLDER).is_some() {
            continue;
        }
        let Some(middle) = text
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(suffix))
        else {
            continue;
        };
        if let Some(n) = parse_grouped_number(middle.trim()) {
            return Some(n);
        }
    }
    None
}

fn parse_grouped_number(s: &str) -> Option<u32> {
    let mut groups = s.split([',', '.', ' ']);
    let first = groups.next()?;
    if first.is_empty() || first.len() > 10 || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut value = digits_value(first);
    for group in groups {
        if group.len() != 3 || !group.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        value = value.checked_mul(1_000)?.checked_add(digits_value(group))?;
        if value > u64::from(u32::MAX) {
            return None;
        }
    }
    u32::try_from(value).ok()
}

/// The value of at most ten ASCII digits (checked by the caller): without `str::parse`'s code.
fn digits_value(digits: &str) -> u64 {
    digits
        .bytes()
        .fold(0, |value, b| value * 10 + u64::from(b.wrapping_sub(b'0')))
}

/// What a system message said, with the names it carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageMatch {
    pub actor: Option<String>,
    pub user: Option<String>,
    pub group: Option<String>,
    /// The language key of the template that matched (`en`, `de`, …).
    pub lang: String,
}

impl MessageMatch {
    /// Whether the captured `{user}` names `name` (case- and whitespace-insensitive). A site that
    /// writes the signed-in user's name into its messages (Discord: "Anna added Robin Meyer to
    /// the group.") needs this comparison with the name the pack's `self_name` points at.
    pub fn user_is(&self, name: &str) -> bool {
        self.user
            .as_deref()
            .is_some_and(|user| same_name(user, name))
    }
}

/// Two display names are the same person's (case- and whitespace-insensitive, never empty).
pub fn same_name(a: &str, b: &str) -> bool {
    let a = normalise_text(a);
    !a.is_empty() && a == normalise_text(b)
}

/// Whether a name a message gives (`named`) is the signed-in user, whose display name is `me`:
/// the same name, or one word equal to the first word of `me` (Telegram Web A writes only the
/// first name: "Anna added Robin").
pub fn names_self(named: &str, me: &str) -> bool {
    if same_name(named, me) {
        return true;
    }
    let named = normalise_text(named);
    let me = normalise_text(me);
    !named.is_empty()
        && !named.contains(' ')
        && me.contains(' ')
        && me.split(' ').next() == Some(named.as_str())
}

/// Characters of the Unicode private-use areas: icon fonts put their glyphs there, and no text
/// a site pack matches contains them.
pub fn is_private_use(ch: char) -> bool {
    matches!(ch, '\u{e000}'..='\u{f8ff}' | '\u{f0000}'..='\u{ffffd}' | '\u{100000}'..='\u{10fffd}')
}

/// Match a whole message text against templates with `{actor}`, `{user}` and `{group}`.
///
/// The text must match a template from start to end; literal parts compare after normalising.
/// Each placeholder captures a non-empty piece of text. **Choice:** a placeholder takes the
/// *shortest* capture for which the rest of the template still matches (the next literal's
/// leftmost occurrence, backtracking to later occurrences when the rest fails). So in "{actor}
/// added {user}" on "Ann added Bob added Cy", the actor is "Ann" and the user "Bob added Cy":
/// the first name is rarely the one containing the template's words, and the last placeholder
/// takes whatever remains. Captures keep their original case, are trimmed and have whitespace
/// collapsed.
///
/// A capture must look like a name (`name_like`): at most [`MAX_NAME_CHARS`] characters for
/// `{actor}` and `{user}` ([`MAX_CAPTURE_CHARS`] for `{group}`), no line break, no time stamp.
/// Otherwise the template does not match: a leading `{actor}` cannot take an author header and
/// the start of someone's message ("Mallory 10:42 Anna added you") as a name.
///
/// Templates are tried language by language (keys in order), variants in order; the first that
/// matches wins.
pub fn match_message(templates: &Texts, text: &str) -> Option<MessageMatch> {
    if text.chars().count() > MAX_CANDIDATE_CHARS {
        return None;
    }
    let chars = normalised_chars(text);
    for (lang, list) in templates {
        for template in list {
            let Some(parts) = split_template(template) else {
                continue;
            };
            let mut captures = Vec::new();
            if match_parts(text, &chars, 0, &parts, &mut captures) {
                let mut found = MessageMatch {
                    actor: None,
                    user: None,
                    group: None,
                    lang: lang.clone(),
                };
                for (name, (start, end)) in captures {
                    let value = capture_text(text, &chars[start..end]);
                    match name {
                        Placeholder::Actor => found.actor = Some(value),
                        Placeholder::User => found.user = Some(value),
                        Placeholder::Group => found.group = Some(value),
                    }
                }
                return Some(found);
            }
        }
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placeholder {
    Actor,
    User,
    Group,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    Literal(Vec<char>),
    Hole(Placeholder),
}

/// A template as literal parts (normalised, kept with their spaces) and placeholders. `None` if
/// it holds a `{…}` that is not a known placeholder (the validator rejects such packs).
pub(crate) fn split_template(template: &str) -> Option<Vec<Part>> {
    let mut parts = Vec::new();
    let mut holes: Vec<Placeholder> = Vec::new();
    let mut rest = template;
    loop {
        let (literal, after) = match rest.split_once('{') {
            Some((literal, after)) => (literal, Some(after)),
            None => (rest, None),
        };
        // Every literal but the first follows a placeholder.
        let after_hole = !holes.is_empty();
        if !literal.is_empty() {
            // Normalise the literal the way the text is normalised, but keep a leading space
            // after a placeholder and a trailing one before a placeholder: it separates the
            // literal from the capture.
            let mut s = String::new();
            if after_hole && literal.starts_with(char::is_whitespace) {
                s.push(' ');
            }
            s.push_str(&normalise_text(literal));
            if after.is_some() && literal.ends_with(char::is_whitespace) && !s.ends_with(' ') {
                s.push(' ');
            }
            if !s.is_empty() {
                parts.push(Part::Literal(s.chars().collect()));
            }
        } else if after_hole && after.is_some() {
            // Never two placeholders side by side: captures stay unambiguous.
            return None;
        }
        let Some(after) = after else {
            return Some(parts);
        };
        let (hole, tail) = if let Some(tail) = after.strip_prefix("actor}") {
            (Placeholder::Actor, tail)
        } else if let Some(tail) = after.strip_prefix("user}") {
            (Placeholder::User, tail)
        } else if let Some(tail) = after.strip_prefix("group}") {
            (Placeholder::Group, tail)
        } else {
            return None;
        };
        // Bounded work: at most one of each placeholder, and few of them (the validator
        // enforces the same on packs).
        if holes.len() >= MAX_PLACEHOLDERS || holes.contains(&hole) {
            return None;
        }
        holes.push(hole);
        parts.push(Part::Hole(hole));
        rest = tail;
    }
}

type Captures = Vec<(Placeholder, (usize, usize))>;

/// Whether a placeholder's capture may stand for a name: not too long for its kind, no line
/// break, no time stamp ("10:42", as a message header shows next to its author).
fn name_like(hole: Placeholder, original: &str, piece: &[NormChar]) -> bool {
    let max = match hole {
        Placeholder::Actor | Placeholder::User => MAX_NAME_CHARS,
        Placeholder::Group => MAX_CAPTURE_CHARS,
    };
    if piece.len() > max + 2 {
        return false;
    }
    let trimmed = {
        let start = piece
            .iter()
            .position(|c| c.ch != ' ')
            .unwrap_or(piece.len());
        let end = piece
            .iter()
            .rposition(|c| c.ch != ' ')
            .map_or(start, |at| at + 1);
        &piece[start..end.max(start)]
    };
    if trimmed.is_empty() || trimmed.len() > max {
        return false;
    }
    let (Some(first), Some(last)) = (trimmed.first(), trimmed.last()) else {
        return false;
    };
    let raw = original.get(first.start..last.end).unwrap_or_default();
    if raw.contains(['\n', '\r', '\u{2028}', '\u{2029}']) {
        return false;
    }
    !has_time_stamp(trimmed)
}

/// A time of day such as "9:05" or "10:42": a digit, a colon, two digits.
fn has_time_stamp(piece: &[NormChar]) -> bool {
    piece.windows(4).any(|w| {
        w[0].ch.is_ascii_digit()
            && w[1].ch == ':'
            && w[2].ch.is_ascii_digit()
            && w[3].ch.is_ascii_digit()
    })
}

fn match_parts(
    original: &str,
    text: &[NormChar],
    at: usize,
    parts: &[Part],
    captures: &mut Captures,
) -> bool {
    match parts.split_first() {
        None => at == text.len(),
        Some((Part::Literal(lit), rest)) => {
            starts_with_at(text, at, lit)
                && match_parts(original, text, at + lit.len(), rest, captures)
        }
        Some((Part::Hole(hole), rest)) => {
            // The last placeholder's end is fixed by the literal text after it.
            if !rest.iter().any(|part| matches!(part, Part::Hole(_))) {
                let tail: usize = rest
                    .iter()
                    .map(|part| match part {
                        Part::Literal(lit) => lit.len(),
                        Part::Hole(_) => 0,
                    })
                    .sum();
                let Some(end) = text.len().checked_sub(tail) else {
                    return false;
                };
                if end <= at
                    || text[at..end].iter().all(|c| c.ch == ' ')
                    || !name_like(*hole, original, &text[at..end])
                {
                    return false;
                }
                let mark = captures.len();
                captures.push((*hole, (at, end)));
                if match_parts(original, text, end, rest, captures) {
                    return true;
                }
                captures.truncate(mark);
                return false;
            }
            // Shortest capture first: try every end position from `at + 1` on, up to the
            // longest name the placeholder may capture (and its separating spaces).
            let longest = match hole {
                Placeholder::Actor | Placeholder::User => MAX_NAME_CHARS,
                Placeholder::Group => MAX_CAPTURE_CHARS,
            } + 2;
            for end in at + 1..=text.len().min(at + longest) {
                let piece = &text[at..end];
                if piece.iter().all(|c| c.ch == ' ') {
                    continue;
                }
                // A following literal must start right at `end`; skip positions that cannot.
                if let Some(Part::Literal(lit)) = rest.first() {
                    if !starts_with_at(text, end, lit) {
                        continue;
                    }
                }
                if !name_like(*hole, original, piece) {
                    continue;
                }
                let mark = captures.len();
                captures.push((*hole, (at, end)));
                if match_parts(original, text, end, rest, captures) {
                    return true;
                }
                captures.truncate(mark);
            }
            false
        }
    }
}

fn starts_with_at(text: &[NormChar], at: usize, lit: &[char]) -> bool {
    text.get(at..).is_some_and(|tail| {
        tail.len() >= lit.len() && tail.iter().zip(lit).all(|(t, l)| t.ch == *l)
    })
}

fn capture_text(original: &str, piece: &[NormChar]) -> String {
    let (Some(first), Some(last)) = (piece.first(), piece.last()) else {
        return String::new();
    };
    let raw = original.get(first.start..last.end).unwrap_or_default();
    collapse_to(raw, usize::MAX)
}

/// A character of the normalised text and the byte range of the original it came from.
#[derive(Debug, Clone, Copy)]
struct NormChar {
    ch: char,
    start: usize,
    end: usize,
}

fn normalised_chars(s: &str) -> Vec<NormChar> {
    let mut out: Vec<NormChar> = Vec::with_capacity(s.len());
    let mut pending_space: Option<(usize, usize)> = None;
    for (start, ch) in s.char_indices() {
        let end = start + ch.len_utf8();
        if is_private_use(ch) {
            continue;
        }
        if ch.is_whitespace() {
            pending_space = Some(match pending_space {
                Some((s0, _)) => (s0, end),
                None => (start, end),
            });
            continue;
        }
        if let Some((s0, e0)) = pending_space.take() {
            if !out.is_empty() {
                out.push(NormChar {
                    ch: ' ',
                    start: s0,
                    end: e0,
                });
            }
        }
        for lower in crate::case::lowercase(ch) {
            out.push(NormChar {
                ch: lower,
                start,
                end,
            });
        }
    }
    out
}

fn variants(texts: &Texts) -> impl Iterator<Item = &String> {
    texts.values().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(pairs: &[(&str, &[&str])]) -> Texts {
        pairs
            .iter()
            .map(|(lang, list)| {
                (
                    (*lang).to_owned(),
                    list.iter().map(|s| (*s).to_owned()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn find_finds_what_str_find_finds() {
        for (haystack, needle) in [
            ("", ""),
            ("abc", ""),
            ("", "a"),
            ("abc", "c"),
            ("aab", "ab"),
            ("ab", "abc"),
            ("Grüße", "ü"),
            ("grüße", "üß"),
            ("{n} of {n}", "{n}"),
            ("x{n", "{n}"),
            ("aaaaab", "aab"),
        ] {
            assert_eq!(
                find(haystack, needle),
                haystack.find(needle),
                "{haystack:?} {needle:?}"
            );
        }
    }

    #[test]
    fn normalising_trims_collapses_and_lowercases() {
        assert_eq!(
            normalise_text("  Send\u{a0}\u{a0}Invites \n"),
            "send invites"
        );
        assert_eq!(normalise_text("AUSGEWÄHLT"), "ausgewählt");
        assert_eq!(normalise_text("\u{202f}\t"), "");
    }

    #[test]
    fn exact_and_contained_matches() {
        let t = texts(&[
            ("en", &["Send invitations"]),
            ("de", &["Einladungen senden"]),
        ]);
        assert!(texts_match(&t, " send  INVITATIONS"));
        assert!(!texts_match(&t, "Send invitations now"));
        assert!(texts_contain(&t, "Please send invitations now"));
        assert!(!texts_match(&t, ""));
    }

    #[test]
    fn counters_with_separators() {
        let t = texts(&[("en", &["{n} FRIENDS SELECTED", "{n} FRIEND SELECTED"])]);
        assert_eq!(parse_counter(&t, "8 FRIENDS SELECTED"), Some(8));
        assert_eq!(parse_counter(&t, "1 FRIEND SELECTED"), Some(1));
        assert_eq!(parse_counter(&t, "1,234 friends selected"), Some(1234));
        assert_eq!(parse_counter(&t, "1.234 friends selected"), Some(1234));
        assert_eq!(parse_counter(&t, "1\u{a0}234 friends selected"), Some(1234));
        assert_eq!(parse_counter(&t, "1.5 friends selected"), None);
        assert_eq!(parse_counter(&t, "99999999999 friends selected"), None);
        assert_eq!(
            parse_counter(&t, "4294967295 friends selected"),
            Some(u32::MAX)
        );
        assert_eq!(parse_counter(&t, "4294967296 friends selected"), None);
        assert_eq!(
            parse_counter(&t, "4,294,967,295 friends selected"),
            Some(u32::MAX)
        );
        assert_eq!(parse_counter(&t, "4,294,967,296 friends selected"), None);
        assert_eq!(parse_counter(&t, "0 friends selected"), Some(0));
        assert_eq!(parse_counter(&t, "0009 friends selected"), Some(9));
        assert_eq!(parse_counter(&t, "friends selected"), None);
        assert_eq!(parse_counter(&t, "x8 friends selected"), None);
    }

    #[test]
    fn private_use_glyphs_are_not_text() {
        // Telegram Web K's menu items: an icon-font glyph, then the label.
        let t = texts(&[("en", &["Leave group"]), ("de", &["Gruppe verlassen"])]);
        assert!(texts_match(&t, "\u{e9a0}Leave group"));
        assert!(texts_match(&t, "\u{e9a0} Gruppe verlassen \u{f8ff}"));
        assert!(!texts_match(&t, "\u{e9a0}"), "a glyph alone is no text");
        assert_eq!(normalise_text("\u{f0000}A\u{e000}b"), "ab");
        let m = match_message(
            &texts(&[("en", &["{actor} added {user}"])]),
            "\u{e900}Anna Schmidt added Robin Meyer",
        )
        .expect("match");
        assert_eq!(m.actor.as_deref(), Some("Anna Schmidt"));
    }

    #[test]
    fn the_signed_in_user_is_named_in_full_or_by_first_name() {
        assert!(names_self("Robin Meyer", "robin  meyer"));
        assert!(
            names_self("Robin", "Robin Meyer"),
            "Telegram Web A: first name only"
        );
        assert!(!names_self("Robin M", "Robin Meyer"));
        assert!(!names_self("Meyer", "Robin Meyer"));
        assert!(names_self("Robin", "Robin"));
        assert!(!names_self("Anna", "Robin Meyer"));
        assert!(!names_self("", "Robin Meyer"));
    }

    #[test]
    fn messages_capture_shortest_first() {
        let t = texts(&[("en", &["{actor} added {user}"])]);
        let m = match_message(&t, "Ann added Bob added Cy").expect("match");
        assert_eq!(m.actor.as_deref(), Some("Ann"));
        assert_eq!(m.user.as_deref(), Some("Bob added Cy"));
        assert_eq!(m.lang, "en");
    }

    #[test]
    fn captures_keep_case_and_are_capped() {
        let t = texts(&[("en", &["{actor} added you"])]);
        let m = match_message(&t, "  Jürgen   MÜLLER added you ").expect("match");
        assert_eq!(m.actor.as_deref(), Some("Jürgen MÜLLER"));
        let longest = format!("{} added you", "a".repeat(MAX_NAME_CHARS));
        let m = match_message(&t, &longest).expect("the longest name");
        assert_eq!(m.actor.map(|a| a.chars().count()), Some(MAX_NAME_CHARS));
        let long = format!("{} added you", "a".repeat(MAX_NAME_CHARS + 1));
        assert_eq!(match_message(&t, &long), None, "longer than a name");
        assert!(match_message(&t, " added you").is_none());
        assert!(match_message(&t, "Ann added you too").is_none());
    }

    #[test]
    fn a_leading_placeholder_takes_a_name_not_what_a_person_wrote_before() {
        let t = texts(&[
            ("en", &["{actor} added you"]),
            ("de", &["{actor} hat dich hinzugefügt."]),
        ]);
        // A chat row's text: author, time, and a message that spells the template.
        for text in [
            "Mallory Jones 10:42 Anna Schmidt added you",
            "Mallory Jones\nAnna Schmidt added you",
            "[9:05, 12/5/2026] Mallory: Anna Schmidt added you",
            "Mallory Jones wrote: I really think you should know that Anna Schmidt added you",
            "Mallory 10:42 Anna Schmidt hat dich hinzugefügt.",
        ] {
            assert_eq!(match_message(&t, text), None, "{text}");
        }
        // The site's own notice still matches, with a name that has digits but no time.
        let m = match_message(&t, "Anna Schmidt 2 added you").expect("a name with a digit");
        assert_eq!(m.actor.as_deref(), Some("Anna Schmidt 2"));
        // A group name may be longer than a person's name, but is bounded too.
        let g = texts(&[("en", &["You left {group}."])]);
        let group = "g".repeat(MAX_CAPTURE_CHARS);
        assert!(match_message(&g, &format!("You left {group}.")).is_some());
        assert!(match_message(&g, &format!("You left {group}x.")).is_none());
    }

    #[test]
    fn templates_hold_at_most_two_placeholders() {
        let two = texts(&[("en", &["{actor} added {user} here"])]);
        assert!(match_message(&two, "Ann added Bob here").is_some());
        let three = texts(&[("en", &["{actor} added {user} to {group}"])]);
        assert_eq!(match_message(&three, "Ann added Bob to Book Club"), None);
    }

    #[test]
    fn case_changing_lowercase_keeps_byte_ranges() {
        // 'İ' lowercases to two chars; the capture must still slice the original correctly.
        let t = texts(&[("en", &["{actor} added you"])]);
        let m = match_message(&t, "İlkay added you").expect("match");
        assert_eq!(m.actor.as_deref(), Some("İlkay"));
    }
}
