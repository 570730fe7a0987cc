//! Parsing and validating site packs: every error names the JSON path of the offending value.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::text::{split_template, COUNT_PLACEHOLDER};
use super::{
    ControlSpec, CountSource, DialogKindSpec, LeaveStep, SitePack, Texts, MAX_PACK_BYTES,
    MAX_SELECTOR_CHARS, MAX_TEXT_CHARS, MAX_VARIANTS, REQUIRED_LANGS,
};

/// Why a pack was refused, and where (`dialogs[0].confirm.text.de[1]`; empty for the whole
/// document). Serialised for the options page, which says it in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackError {
    pub path: String,
    pub problem: PackProblem,
}

/// The rule a pack broke.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", content = "detail", rename_all = "snake_case")]
pub enum PackProblem {
    /// The document is larger than [`MAX_PACK_BYTES`].
    TooLarge { bytes: usize },
    /// Not JSON at all (a syntax error, or the text ends early).
    Syntax { line: usize, column: usize },
    /// A field the pack format does not have (packs are data only: nothing unknown is kept).
    UnknownField(String),
    /// An unknown site id.
    UnknownSite(String),
    /// JSON, but not the pack's shape: a missing field or a value of the wrong type (serde's
    /// message).
    Json(String),
    /// A list that must not be empty is.
    Empty,
    /// A host the site does not run on.
    ForeignHost,
    /// A value occurs twice where it must be unique (hosts, dialog ids).
    Duplicate,
    /// A selector longer than [`MAX_SELECTOR_CHARS`].
    SelectorTooLong,
    /// A selector holding a character CSS selectors do not need (`<`, `{`, `;`, `\`, a control
    /// character) or unbalanced quotes and brackets.
    SelectorSyntax(SelectorFault),
    /// A `Texts` without one of the required languages.
    MissingLanguage(String),
    /// A language key that is not a language tag.
    BadLanguage,
    /// More than [`MAX_VARIANTS`] variants in one language.
    TooManyVariants,
    /// A variant longer than [`MAX_TEXT_CHARS`].
    TextTooLong,
    /// A variant holding control characters.
    TextControl,
    /// A counter template without exactly one `{n}` (or with other braces).
    CounterPlaceholder,
    /// A message template with an unknown or repeated placeholder, two placeholders with no
    /// text between them, or more than
    /// [`MAX_PLACEHOLDERS`](crate::pack::MAX_PLACEHOLDERS) placeholders.
    MessagePlaceholder(String),
    /// A selector that matches any element, or the whole page (`*`, `:is(*)`, `:not(…)` alone,
    /// `html`, `body`, `:root`): the page would look at every element on every scan.
    SelectorTooBroad,
    /// A selector too costly to apply on every scan: `:has()` inside `:has()`, more than
    /// [`MAX_SELECTOR_ALTERNATIVES`] alternatives, or more than [`MAX_SELECTOR_HAS`] `:has()`.
    SelectorTooComplex,
    /// An id that is not short lowercase ASCII.
    BadId,
    /// A dialog without a count source: it could never say how many people are selected.
    NoCountSource,
    /// More than [`MAX_LEAVE_STEPS`] steps to the leave item, or more than
    /// [`MAX_STEP_ALTERNATIVES`] alternatives in one step: each is a click "Leave again" may
    /// make on the user's page.
    TooManySteps,
}

/// What is wrong with a selector's syntax.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "fault", content = "char", rename_all = "snake_case")]
pub enum SelectorFault {
    Comment,
    ControlCharacter,
    /// A character selectors never need (`<` `{` `}` `;` `\\` `@`).
    Character(char),
    UnbalancedBrackets,
    UnclosedQuote,
}

impl fmt::Display for SelectorFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SelectorFault::Comment => write!(f, "comment"),
            SelectorFault::ControlCharacter => write!(f, "control character"),
            SelectorFault::Character(ch) => write!(f, "character '{ch}'"),
            SelectorFault::UnbalancedBrackets => write!(f, "unbalanced brackets"),
            SelectorFault::UnclosedQuote => write!(f, "unclosed quote"),
        }
    }
}

impl fmt::Display for PackProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PackProblem::TooLarge { bytes } => {
                write!(f, "pack is {bytes} bytes, at most {MAX_PACK_BYTES} allowed")
            }
            PackProblem::Syntax { line, column } => {
                write!(f, "not valid JSON (line {line}, column {column})")
            }
            PackProblem::UnknownField(field) => write!(f, "unknown field \"{field}\""),
            PackProblem::UnknownSite(site) => write!(f, "unknown site \"{site}\""),
            PackProblem::Json(message) => write!(f, "not a valid pack: {message}"),
            PackProblem::Empty => write!(f, "must not be empty"),
            PackProblem::ForeignHost => write!(f, "host does not belong to the pack's site"),
            PackProblem::Duplicate => write!(f, "duplicate value"),
            PackProblem::SelectorTooLong => {
                write!(f, "selector longer than {MAX_SELECTOR_CHARS} characters")
            }
            PackProblem::SelectorSyntax(why) => write!(f, "selector refused: {why}"),
            PackProblem::MissingLanguage(lang) => write!(f, "texts for \"{lang}\" missing"),
            PackProblem::BadLanguage => write!(f, "language key is not a language tag"),
            PackProblem::TooManyVariants => write!(f, "more than {MAX_VARIANTS} variants"),
            PackProblem::TextTooLong => write!(f, "text longer than {MAX_TEXT_CHARS} characters"),
            PackProblem::TextControl => write!(f, "text holds control characters"),
            PackProblem::CounterPlaceholder => {
                write!(f, "counter template needs exactly one {COUNT_PLACEHOLDER}")
            }
            PackProblem::MessagePlaceholder(why) => write!(f, "message template refused: {why}"),
            PackProblem::SelectorTooBroad => write!(
                f,
                "selector refused: it matches any element or the whole page (*, html, body, :root)"
            ),
            PackProblem::SelectorTooComplex => write!(
                f,
                "selector refused: too costly (:has() inside :has(), more than \
                 {MAX_SELECTOR_ALTERNATIVES} alternatives or {MAX_SELECTOR_HAS} :has())"
            ),
            PackProblem::BadId => write!(f, "id must be 1-40 characters of a-z, 0-9 and '-'"),
            PackProblem::NoCountSource => write!(f, "dialog has no count source"),
            PackProblem::TooManySteps => write!(
                f,
                "more than {MAX_LEAVE_STEPS} steps to the leave item or \
                 {MAX_STEP_ALTERNATIVES} alternatives in one step"
            ),
        }
    }
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.problem)
        } else {
            write!(f, "{}: {}", self.path, self.problem)
        }
    }
}

impl std::error::Error for PackError {}

fn err(path: impl Into<String>, problem: PackProblem) -> PackError {
    PackError {
        path: path.into(),
        problem,
    }
}

impl SitePack {
    /// Parse and validate a pack (bundled or imported by the user).
    pub fn parse(json: &str) -> Result<SitePack, PackError> {
        if json.len() > MAX_PACK_BYTES {
            return Err(err("", PackProblem::TooLarge { bytes: json.len() }));
        }
        let pack: SitePack = serde_json::from_str(json).map_err(|e| err("", json_problem(&e)))?;
        pack.validate()?;
        Ok(pack)
    }

    /// Check every rule; the first broken one is reported with its path.
    pub fn validate(&self) -> Result<(), PackError> {
        // Hosts: non-empty, unique, the site's own.
        if self.hosts.is_empty() {
            return Err(err("hosts", PackProblem::Empty));
        }
        let mut seen = BTreeSet::new();
        for (i, host) in self.hosts.iter().enumerate() {
            let path = format!("hosts[{i}]");
            if !self.site.hosts().contains(&host.as_str()) {
                return Err(err(path, PackProblem::ForeignHost));
            }
            if !seen.insert(host.as_str()) {
                return Err(err(path, PackProblem::Duplicate));
            }
        }
        for (i, selector) in self.group_name.iter().enumerate() {
            check_selector(&format!("group_name[{i}]"), selector)?;
        }
        if let Some(selector) = &self.self_name {
            check_selector("self_name", selector)?;
        }

        if self.dialogs.is_empty() {
            return Err(err("dialogs", PackProblem::Empty));
        }
        let mut ids = BTreeSet::new();
        for (i, dialog) in self.dialogs.iter().enumerate() {
            let at = format!("dialogs[{i}]");
            check_id(&format!("{at}.id"), &dialog.id)?;
            if !ids.insert(dialog.id.as_str()) {
                return Err(err(format!("{at}.id"), PackProblem::Duplicate));
            }
            if let DialogKindSpec::Toggle { switch } = &dialog.kind {
                check_selector(&format!("{at}.kind.switch"), switch)?;
            }
            check_selector(&format!("{at}.root"), &dialog.root)?;
            if let Some(label) = &dialog.label {
                check_texts(&format!("{at}.label"), label)?;
            }
            if let Some(selector) = &dialog.label_selector {
                check_selector(&format!("{at}.label_selector"), selector)?;
            }
            if dialog.count.is_empty() {
                return Err(err(format!("{at}.count"), PackProblem::NoCountSource));
            }
            for (j, source) in dialog.count.iter().enumerate() {
                let at = format!("{at}.count[{j}]");
                match source {
                    CountSource::Counter {
                        selector,
                        templates,
                        one,
                    } => {
                        check_selector(&format!("{at}.selector"), selector)?;
                        check_texts(&format!("{at}.templates"), templates)?;
                        for_each_variant(&format!("{at}.templates"), templates, check_counter)?;
                        if let Some(one) = one {
                            check_texts(&format!("{at}.one"), one)?;
                        }
                    }
                    CountSource::Elements { selector } => {
                        check_selector(&format!("{at}.selector"), selector)?;
                    }
                }
            }
            if let Some(selector) = &dialog.names {
                check_selector(&format!("{at}.names"), selector)?;
            }
            check_control(&format!("{at}.confirm"), &dialog.confirm)?;
            if let Some(selector) = &dialog.group_name {
                check_selector(&format!("{at}.group_name"), selector)?;
            }
            if let Some(entry) = &dialog.entry {
                check_control(&format!("{at}.entry"), entry)?;
            }
        }

        if let Some(leave) = &self.leave {
            check_control("leave.start", &leave.start)?;
            check_selector("leave.root", &leave.root)?;
            if let Some(label) = &leave.label {
                check_texts("leave.label", label)?;
            }
            if let Some(selector) = &leave.label_selector {
                check_selector("leave.label_selector", selector)?;
            }
            check_control("leave.confirm", &leave.confirm)?;
            if let Some(switch) = &leave.protect_switch {
                check_control("leave.protect_switch", switch)?;
            }
            check_leave_steps(&leave.steps)?;
        }
        if let Some(membership) = &self.membership {
            check_control("membership.member", &membership.member)?;
            if let Some(not_member) = &membership.not_member {
                check_control("membership.not_member", not_member)?;
            }
        }
        for (i, message) in self.messages.iter().enumerate() {
            let at = format!("messages[{i}]");
            check_selector(&format!("{at}.selector"), &message.selector)?;
            if let Some(selector) = &message.text {
                check_selector(&format!("{at}.text"), selector)?;
            }
            if let Some(selector) = &message.subject {
                check_selector(&format!("{at}.subject"), selector)?;
            }
            if let Some(selector) = &message.exclude {
                check_selector(&format!("{at}.exclude"), selector)?;
            }
            check_texts(&format!("{at}.templates"), &message.templates)?;
            for_each_variant(
                &format!("{at}.templates"),
                &message.templates,
                check_message_template,
            )?;
        }
        Ok(())
    }
}

/// Names serde's error: a syntax error, an unknown field or site, or another shape error.
/// Reads serde's wording ("unknown field `script`, expected one of …", "unknown variant
/// `myspace`, expected one of `facebook`, …") rather than parsing the document a second time,
/// which would add a second JSON decoder to the content script's build.
fn json_problem(error: &serde_json::Error) -> PackProblem {
    use serde_json::error::Category;
    match error.classify() {
        Category::Syntax | Category::Eof | Category::Io => PackProblem::Syntax {
            line: error.line(),
            column: error.column(),
        },
        Category::Data => {
            let message = error.to_string();
            let quoted = |prefix: &str| {
                let rest = message.strip_prefix(prefix)?;
                rest.split('`').next().map(str::to_owned)
            };
            // Only the site list names every site id.
            let lists_sites = || {
                crate::site::Site::ALL
                    .iter()
                    .all(|site| message.contains(&format!("`{}`", site.id())))
            };
            // Serde quotes the document's own text, of any size: each part is kept brief.
            let brief = |text: &str| crate::model::brief_message(text);
            if let Some(field) = quoted("unknown field `") {
                PackProblem::UnknownField(brief(&field))
            } else if let Some(site) = quoted("unknown variant `").filter(|_| lists_sites()) {
                PackProblem::UnknownSite(brief(&site))
            } else {
                PackProblem::Json(brief(&message))
            }
        }
    }
}

/// Most steps before the leave item (a menu, a submenu, a settings panel).
pub const MAX_LEAVE_STEPS: usize = 4;
/// Most alternatives in one step.
pub const MAX_STEP_ALTERNATIVES: usize = 4;

/// The steps to the leave item: a bounded number of steps, each with at least one and a
/// bounded number of alternatives, each a valid control.
fn check_leave_steps(steps: &[LeaveStep]) -> Result<(), PackError> {
    if steps.len() > MAX_LEAVE_STEPS {
        return Err(err("leave.steps", PackProblem::TooManySteps));
    }
    for (i, step) in steps.iter().enumerate() {
        let at = format!("leave.steps[{i}].any");
        if step.any.is_empty() {
            return Err(err(at, PackProblem::Empty));
        }
        if step.any.len() > MAX_STEP_ALTERNATIVES {
            return Err(err(at, PackProblem::TooManySteps));
        }
        for (j, control) in step.any.iter().enumerate() {
            check_control(&format!("{at}[{j}]"), control)?;
        }
    }
    Ok(())
}

fn check_id(path: &str, id: &str) -> Result<(), PackError> {
    let ok = !id.is_empty()
        && id.len() <= 40
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(err(path, PackProblem::BadId))
    }
}

fn check_control(path: &str, control: &ControlSpec) -> Result<(), PackError> {
    check_selector(&format!("{path}.selector"), &control.selector)?;
    if let Some(text) = &control.text {
        check_texts(&format!("{path}.text"), text)?;
    }
    Ok(())
}

/// A CSS selector as the page will apply it: non-empty, bounded, and without anything a
/// selector does not need (markup, rule blocks, escapes, control characters), with balanced
/// quotes and brackets. The browser parses the rest; an invalid selector only fails to match.
pub(crate) fn check_selector(path: &str, selector: &str) -> Result<(), PackError> {
    if selector.trim().is_empty() {
        return Err(err(path, PackProblem::Empty));
    }
    if selector.chars().count() > MAX_SELECTOR_CHARS {
        return Err(err(path, PackProblem::SelectorTooLong));
    }
    let refuse = |fault: SelectorFault| Err(err(path, PackProblem::SelectorSyntax(fault)));
    if selector.contains("/*") {
        return refuse(SelectorFault::Comment);
    }
    let mut quote: Option<char> = None;
    let mut brackets: Vec<char> = Vec::new();
    for ch in selector.chars() {
        if ch.is_control() {
            return refuse(SelectorFault::ControlCharacter);
        }
        if matches!(ch, '<' | '{' | '}' | ';' | '\\' | '@') {
            return refuse(SelectorFault::Character(ch));
        }
        if let Some(q) = quote {
            if ch == q {
                quote = None;
            }
            continue;
        }
        match ch {
            '"' | '\'' => quote = Some(ch),
            '[' | '(' => brackets.push(ch),
            ']' | ')' => {
                let open = if ch == ']' { '[' } else { '(' };
                let top = brackets.pop();
                if top != Some(open) {
                    return refuse(SelectorFault::UnbalancedBrackets);
                }
            }
            _ => {}
        }
    }
    if quote.is_some() {
        return refuse(SelectorFault::UnclosedQuote);
    }
    if !brackets.is_empty() {
        return refuse(SelectorFault::UnbalancedBrackets);
    }
    check_cost(selector).map_err(|problem| err(path, problem))
}

/// Most comma-separated alternatives in one selector (the bundled packs use at most four).
pub const MAX_SELECTOR_ALTERNATIVES: usize = 8;
/// Most `:has()` in one selector (the bundled packs use at most four).
pub const MAX_SELECTOR_HAS: usize = 6;

/// What a selector costs the page on every scan: each alternative must pick out some elements
/// (not any element, nor the page's root), `:has()` must not nest and the list must be short.
/// Called on selectors whose syntax passed (balanced, no escapes).
fn check_cost(selector: &str) -> Result<(), PackProblem> {
    let alternatives = split_top(selector, |ch| ch == ',');
    if alternatives.len() > MAX_SELECTOR_ALTERNATIVES {
        return Err(PackProblem::SelectorTooComplex);
    }
    let lower = selector.to_ascii_lowercase();
    if lower.matches(":has(").count() > MAX_SELECTOR_HAS {
        return Err(PackProblem::SelectorTooComplex);
    }
    // `:has()` inside `:has()` (browsers refuse it; its cost would multiply).
    let mut stack: Vec<bool> = Vec::new();
    let mut quote: Option<char> = None;
    for (at, ch) in lower.char_indices() {
        if let Some(q) = quote {
            if ch == q {
                quote = None;
            }
            continue;
        }
        match ch {
            '"' | '\'' => quote = Some(ch),
            '(' => {
                let is_has = lower[..at].ends_with(":has");
                if is_has && stack.iter().any(|&has| has) {
                    return Err(PackProblem::SelectorTooComplex);
                }
                stack.push(is_has);
            }
            ')' => {
                stack.pop();
            }
            _ => {}
        }
    }
    if alternatives.iter().all(|alt| subject_constrains(alt)) {
        Ok(())
    } else {
        Err(PackProblem::SelectorTooBroad)
    }
}

/// `text` split at the characters `at` says, outside quotes, brackets and parentheses.
fn split_top(text: &str, at: impl Fn(char) -> bool) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut start = 0;
    for (i, ch) in text.char_indices() {
        if let Some(q) = quote {
            if ch == q {
                quote = None;
            }
            continue;
        }
        match ch {
            '"' | '\'' => quote = Some(ch),
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 && at(ch) => {
                parts.push(&text[start..i]);
                start = i + ch.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// Whether the element an alternative selects (its last compound) is narrowed down by a tag
/// other than `html` / `body`, an id, a class, an attribute or a pseudo-class other than
/// `:not()` and `:root`; `:is()` / `:where()` narrow when each of their alternatives does.
fn subject_constrains(alternative: &str) -> bool {
    let Some(subject) = split_top(alternative, |ch| {
        ch.is_whitespace() || matches!(ch, '>' | '+' | '~')
    })
    .into_iter()
    .rev()
    .find(|part| !part.trim().is_empty()) else {
        return false;
    };
    let subject = subject.trim();
    let mut narrows = false;
    let mut rest = subject;
    while let Some(ch) = rest.chars().next() {
        match ch {
            '*' => rest = &rest[1..],
            '#' | '.' => {
                narrows = true;
                rest = &rest[1..];
                let end = rest.find(['#', '.', '[', ':', '*']).unwrap_or(rest.len());
                rest = &rest[end..];
            }
            '[' => {
                narrows = true;
                let end = closing(rest, '[', ']');
                rest = &rest[end..];
            }
            ':' => {
                let element = rest.starts_with("::");
                let body = rest.trim_start_matches(':');
                let name_end = body
                    .find(|c: char| !(c.is_alphanumeric() || c == '-'))
                    .unwrap_or(body.len());
                let name = body[..name_end].to_ascii_lowercase();
                let after = &body[name_end..];
                let (argument, next) = if after.starts_with('(') {
                    let end = closing(after, '(', ')');
                    (Some(&after[1..end.saturating_sub(1).max(1)]), &after[end..])
                } else {
                    (None, after)
                };
                narrows |= !element
                    && match (name.as_str(), argument) {
                        ("root" | "not", _) => false,
                        ("is" | "where" | "matches" | "any", Some(inner)) => {
                            split_top(inner, |ch| ch == ',')
                                .iter()
                                .all(|alt| subject_constrains(alt))
                        }
                        _ => true,
                    };
                rest = next;
            }
            _ => {
                let end = rest.find(['#', '.', '[', ':', '*']).unwrap_or(rest.len());
                let tag = rest[..end].to_ascii_lowercase();
                narrows |= !matches!(tag.as_str(), "html" | "body");
                rest = &rest[end..];
            }
        }
    }
    narrows
}

/// The byte just after the bracket that closes the one `text` starts with (or its end).
fn closing(text: &str, open: char, close: char) -> usize {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, ch) in text.char_indices() {
        if let Some(q) = quote {
            if ch == q {
                quote = None;
            }
            continue;
        }
        if ch == '"' || ch == '\'' {
            quote = Some(ch);
        } else if ch == open {
            depth += 1;
        } else if ch == close {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return i + ch.len_utf8();
            }
        }
    }
    text.len()
}

/// Required languages, language keys, variant counts and lengths.
pub(crate) fn check_texts(path: &str, texts: &Texts) -> Result<(), PackError> {
    for lang in REQUIRED_LANGS {
        if !texts.contains_key(lang) {
            return Err(err(path, PackProblem::MissingLanguage(lang.to_owned())));
        }
    }
    for (lang, variants) in texts {
        let tag_ok = (2..=12).contains(&lang.len())
            && lang.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && lang.as_bytes()[0].is_ascii_lowercase();
        if !tag_ok {
            // The key is the pack's, of any length: the path names only its start.
            let start: String = lang.chars().take(12).collect();
            let cut = if start.len() < lang.len() { "…" } else { "" };
            return Err(err(
                format!("{path}.{start}{cut}"),
                PackProblem::BadLanguage,
            ));
        }
        let at = format!("{path}.{lang}");
        if variants.is_empty() {
            return Err(err(at, PackProblem::Empty));
        }
        if variants.len() > MAX_VARIANTS {
            return Err(err(at, PackProblem::TooManyVariants));
        }
        for (i, variant) in variants.iter().enumerate() {
            let at = format!("{at}[{i}]");
            if variant.trim().is_empty() {
                return Err(err(at, PackProblem::Empty));
            }
            if variant.chars().count() > MAX_TEXT_CHARS {
                return Err(err(at, PackProblem::TextTooLong));
            }
            if variant.chars().any(char::is_control) {
                return Err(err(at, PackProblem::TextControl));
            }
        }
    }
    Ok(())
}

fn for_each_variant(
    path: &str,
    texts: &Texts,
    check: fn(&str) -> Result<(), PackProblem>,
) -> Result<(), PackError> {
    for (lang, variants) in texts {
        for (i, variant) in variants.iter().enumerate() {
            check(variant).map_err(|problem| err(format!("{path}.{lang}[{i}]"), problem))?;
        }
    }
    Ok(())
}

fn check_counter(template: &str) -> Result<(), PackProblem> {
    let once = template.matches(COUNT_PLACEHOLDER).count() == 1;
    let braces = template.matches(['{', '}']).count() == 2;
    if once && braces {
        Ok(())
    } else {
        Err(PackProblem::CounterPlaceholder)
    }
}

fn check_message_template(template: &str) -> Result<(), PackProblem> {
    let refuse = |why: &str| Err(PackProblem::MessagePlaceholder(why.to_owned()));
    // Unknown placeholders and stray braces.
    let mut rest = template;
    let mut names = Vec::new();
    while let Some(open) = rest.find(['{', '}']) {
        let after = &rest[open..];
        let Some(close) = after.find('}') else {
            return refuse("unclosed '{'");
        };
        if !after.starts_with('{') {
            return refuse("stray '}'");
        }
        let name = &after[..=close];
        if !super::text::MESSAGE_PLACEHOLDERS.contains(&name) {
            return refuse(&format!("unknown placeholder {name}"));
        }
        if names.contains(&name) {
            return refuse(&format!("{name} used twice"));
        }
        names.push(name);
        // Literal text (not only spaces) must separate two placeholders.
        let tail = &after[close + 1..];
        let between = tail.split('{').next().unwrap_or_default();
        if tail.contains('{') && between.trim().is_empty() {
            return refuse("two placeholders without text between them");
        }
        rest = tail;
    }
    if template.trim().is_empty() {
        return refuse("empty");
    }
    if names.len() > super::MAX_PLACEHOLDERS {
        return refuse(&format!(
            "more than {} placeholders",
            super::MAX_PLACEHOLDERS
        ));
    }
    // Placeholder-only templates would match any text.
    if names.len() == 1 && template.trim() == names[0] {
        return refuse("a template needs literal text");
    }
    match split_template(template) {
        Some(_) => Ok(()),
        None => refuse("not a template"),
    }
}
