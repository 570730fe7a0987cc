//! The core's layers, enforced: every module of `src/` belongs to one layer of [`LAYERS`] and
//! may import (`crate::…`) only modules of its own layer or a lower one, and no module reaches
//! itself again through what it imports (no circles, within a layer either). The map in
//! `lib.rs` says the same in words.
//!
//! The check reads the sources: it follows the `mod` declarations from `lib.rs` (so test
//! modules declared under `#[cfg(test)]` are not read), drops comments (doc links included),
//! string and character literals and items under `#[cfg(test)]` or `#[cfg(doc)]`, and collects
//! every `crate::` path that is left, `use` or not.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The layers, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    /// Import nothing of the crate.
    Leaf,
    /// The things Ask First reasons about: groups, people, the record, rules, packs, pages.
    Domain,
    /// How the domain is written down and exchanged: export files, the synced form, the
    /// messages, the content codec.
    Format,
    /// What the background keeps and changes: storage, then the router on top.
    State,
}

/// Every module (a file of `src/`, or a directory of them) and its layer. A module missing
/// here fails the test: a new module takes its place in the map first.
const LAYERS: &[(&str, Layer)] = &[
    ("site", Layer::Leaf),
    ("case", Layer::Leaf),
    ("wire::json", Layer::Leaf),
    ("model", Layer::Domain),
    ("agreed", Layer::Domain),
    ("monthly", Layer::Domain),
    ("ledger", Layer::Domain),
    ("settings", Layer::Domain),
    ("dismiss", Layer::Domain),
    ("guard", Layer::Domain),
    ("intent", Layer::Domain),
    ("schedule", Layer::Domain),
    ("pack", Layer::Domain),
    ("page", Layer::Domain),
    ("rules", Layer::Domain),
    ("ask", Layer::Domain),
    ("record_view", Layer::Domain),
    ("transfer", Layer::Format),
    ("sync", Layer::Format),
    ("protocol", Layer::Format),
    ("wire", Layer::Format),
    ("view", Layer::Format),
    ("storage", Layer::State),
    ("router", Layer::State),
];

/// Imports against the layers that exist until a change under way lands, each with why. The
/// main session removes an entry when its change is merged; an entry no longer needed fails
/// the test, so the list cannot go stale. Empty since the pack decoding moved into `pack`
/// (issue 15): `pack` imports only `wire::json`, a leaf.
const PENDING_EDGES: &[(&str, &str)] = &[];

fn layer_of(module: &str) -> Option<Layer> {
    LAYERS
        .iter()
        .find(|(name, _)| *name == module)
        .map(|(_, layer)| *layer)
}

/// The module a path of `src/` belongs to: `wire/json.rs` is `wire::json`, anything else its
/// first segment (`router/content.rs` is `router`).
fn module_of(relative: &Path) -> String {
    let parts: Vec<String> = relative
        .iter()
        .map(|part| part.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    let nested = parts.join("::");
    LAYERS
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| name.contains("::"))
        .find(|name| nested == *name || nested.starts_with(&format!("{name}::")))
        .map_or_else(|| parts[0].clone(), str::to_owned)
}

/// The module a `crate::` path names: the longest entry of [`LAYERS`] it starts with, or its
/// first segment.
fn target_of(segments: &[&str]) -> String {
    let joined = segments.join("::");
    LAYERS
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| joined == *name || joined.starts_with(&format!("{name}::")))
        .max_by_key(|name| name.len())
        .map_or_else(|| segments[0].to_owned(), str::to_owned)
}

/// The source with comments, string and character literals blanked out (newlines kept).
fn strip_comments_and_literals(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    let blank = |out: &mut String, c: char| out.push(if c == '\n' { '\n' } else { ' ' });
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, chars[i]);
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_'))
        {
            // A raw string: r"…" or r#"…"# with any number of hashes.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                match chars.get(j) {
                    None => break,
                    Some('"') if (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) => {
                        j += 1 + hashes;
                        break;
                    }
                    Some(&other) => blank(&mut out, other),
                }
                j += 1;
            }
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                if let Some(&inner) = chars.get(i) {
                    blank(&mut out, inner);
                }
                i += 1;
            }
            i += 1;
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{…}'); anything else is a lifetime.
            if next == Some('\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The code without the items under `#[cfg(test)]` or `#[cfg(doc)]` (input already stripped).
fn without_test_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    loop {
        let found = ["#[cfg(test)]", "#[cfg(doc)]"]
            .iter()
            .filter_map(|attribute| rest.find(attribute).map(|at| (at, attribute.len())))
            .min();
        let Some((at, len)) = found else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..at]);
        rest = &rest[at + len..];
        // The item ends at its first `;` outside braces, or where its first brace closes.
        let mut depth = 0usize;
        let mut end = rest.len();
        for (index, c) in rest.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = index + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = index + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &rest[end..];
    }
}

/// The modules `code` names with `crate::` paths, including `crate::{a, b::c}` groups.
fn crate_references(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut search = 0;
    while let Some(at) = code[search..].find("crate::") {
        let start = search + at;
        search = start + "crate::".len();
        if code[..start].chars().next_back().is_some_and(is_ident) {
            continue; // `$crate::` or a name ending in `crate`.
        }
        for path in paths_at(&code[search..]) {
            let segments: Vec<&str> = path
                .split("::")
                .filter(|s| !s.is_empty() && *s != "self")
                .collect();
            if !segments.is_empty() {
                found.insert(target_of(&segments));
            }
        }
    }
    found
}

/// The paths starting at `text` (just after `crate::`): `a::b`, or each path of a `{…}` group.
fn paths_at(text: &str) -> Vec<String> {
    let text = text.trim_start();
    let ident_end = |s: &str| {
        s.find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(s.len())
    };
    if let Some(group) = text.strip_prefix('{') {
        let mut depth = 0;
        let mut items = Vec::new();
        let mut current = String::new();
        for c in group.chars() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    items.push(std::mem::take(&mut current));
                    continue;
                }
                _ => {}
            }
            current.push(c);
        }
        items.push(current);
        return items
            .iter()
            .flat_map(|item| {
                let item = item.trim();
                let head = &item[..ident_end(item)];
                match item[head.len()..].trim_start().strip_prefix("::") {
                    Some(tail) => paths_at(tail)
                        .into_iter()
                        .map(|path| format!("{head}::{path}"))
                        .collect(),
                    None => vec![head.to_owned()],
                }
            })
            .filter(|path| !path.is_empty())
            .collect();
    }
    let mut path = String::new();
    let mut rest = text;
    loop {
        let end = ident_end(rest);
        if end == 0 {
            // `a::{b, c}`: each member may name a nested module such as `wire::json`.
            if rest.starts_with('{') && !path.is_empty() {
                return paths_at(rest)
                    .into_iter()
                    .map(|member| match member.as_str() {
                        // `a::{self, …}` names `a` itself.
                        "self" => path.trim_end_matches("::").to_owned(),
                        _ => format!("{path}{member}"),
                    })
                    .collect();
            }
            break;
        }
        path.push_str(&rest[..end]);
        rest = &rest[end..];
        match rest.strip_prefix("::") {
            Some(tail) => {
                path.push_str("::");
                rest = tail;
            }
            None => break,
        }
    }
    vec![path.trim_end_matches("::").to_owned()]
}

/// The files of the crate's module tree, from `lib.rs` along its `mod` declarations (those
/// under `#[cfg(test)]` are not followed).
fn module_files(src: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut queue = vec![src.join("lib.rs")];
    while let Some(file) = queue.pop() {
        let code = without_test_items(&strip_comments_and_literals(
            &fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())),
        ));
        let dir = match file.file_name().and_then(|name| name.to_str()) {
            Some("lib.rs" | "mod.rs") => file.parent().unwrap().to_path_buf(),
            _ => file.with_extension(""),
        };
        for line in code.lines() {
            let line = line.trim();
            let line = line.strip_prefix("pub ").unwrap_or(line);
            let Some(name) = line.strip_prefix("mod ").and_then(|l| l.strip_suffix(';')) else {
                continue;
            };
            let flat = dir.join(format!("{}.rs", name.trim()));
            let nested = dir.join(name.trim()).join("mod.rs");
            queue.push(if flat.exists() { flat } else { nested });
        }
        files.push(file);
    }
    files.sort();
    files
}

/// Every import against the layers, as `module → target` lines, and the edges found.
fn check(
    modules: &BTreeMap<String, BTreeSet<String>>,
) -> (Vec<String>, BTreeSet<(String, String)>) {
    let mut problems = Vec::new();
    let mut edges = BTreeSet::new();
    for (module, targets) in modules {
        let Some(layer) = layer_of(module) else {
            problems.push(format!("{module}: not in LAYERS"));
            continue;
        };
        for target in targets.iter().filter(|target| *target != module) {
            edges.insert((module.clone(), target.clone()));
            match layer_of(target) {
                None => problems.push(format!("{module} → {target}: {target} is not in LAYERS")),
                Some(to) if to > layer => {
                    if !PENDING_EDGES.contains(&(module.as_str(), target.as_str())) {
                        problems.push(format!(
                            "{module} ({layer:?}) imports {target} ({to:?}), a higher layer"
                        ));
                    }
                }
                Some(_) => {}
            }
        }
    }
    (problems, edges)
}

/// A circle of imports (`a → b → … → a`), if the edges have one.
fn find_circle(edges: &BTreeSet<(String, String)>) -> Option<Vec<String>> {
    fn visit<'a>(
        module: &'a str,
        edges: &'a BTreeSet<(String, String)>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|seen| *seen == module) {
            let mut circle: Vec<String> = path[at..].iter().map(|m| m.to_string()).collect();
            circle.push(module.to_owned());
            return Some(circle);
        }
        if !done.insert(module) {
            return None;
        }
        path.push(module);
        for (_, to) in edges.iter().filter(|(from, _)| from == module) {
            if let Some(circle) = visit(to, edges, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    edges
        .iter()
        .find_map(|(from, _)| visit(from, edges, &mut Vec::new(), &mut done))
}

#[test]
fn every_module_imports_only_its_own_layer_or_lower_ones() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in module_files(&src) {
        let relative = file.strip_prefix(&src).unwrap();
        if relative == Path::new("lib.rs") {
            continue;
        }
        let code = without_test_items(&strip_comments_and_literals(
            &fs::read_to_string(&file).unwrap(),
        ));
        modules
            .entry(module_of(relative))
            .or_default()
            .extend(crate_references(&code));
    }
    for (name, _) in LAYERS {
        assert!(
            modules.contains_key(*name),
            "{name} is in LAYERS but not in src/"
        );
    }
    let (problems, edges) = check(&modules);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    if let Some(circle) = find_circle(&edges) {
        panic!("the imports go in a circle: {}", circle.join(" → "));
    }
    // `ASK_FIRST_PRINT_LAYERS=1 cargo test --test layers -- --nocapture` prints the map as a
    // Markdown table (for notes and reviews).
    if std::env::var_os("ASK_FIRST_PRINT_LAYERS").is_some() {
        println!("| module | layer | imports |\n|---|---|---|");
        for (name, layer) in LAYERS {
            let imports: Vec<String> = edges
                .iter()
                .filter(|(from, _)| from == name)
                .map(|(_, to)| format!("`{to}`"))
                .collect();
            let imports = if imports.is_empty() {
                "—".to_owned()
            } else {
                imports.join(", ")
            };
            println!("| `{name}` | {layer:?} | {imports} |");
        }
    }
    for (from, to) in PENDING_EDGES {
        assert!(
            edges.contains(&(from.to_string(), to.to_string())),
            "{from} → {to} is gone: remove it from PENDING_EDGES"
        );
    }
}

#[test]
fn the_scan_sees_real_imports_and_skips_comments_literals_and_tests() {
    let source = r##"
//! Links to [`crate::router`] in docs do not count.
use crate::model::{GroupRef, Record};
use crate::{settings::Settings, wire::json::Json};
/* a block comment naming crate::storage */
const TEXT: &str = "crate::storage in a string";
const RAW: &str = r#"crate::router in a raw string"#;
fn f<'a>(x: &'a str) -> char { let _ = crate::ledger::Full; 'c' }
#[cfg(test)]
mod tests {
    use crate::router::Background;
}
#[cfg(doc)]
use crate::transfer::ImportMode;
fn g() { crate::wire::{encode, json::parse}; }
use crate::pack::{self};
use crate::{self as core_crate};
"##;
    let code = without_test_items(&strip_comments_and_literals(source));
    let found: Vec<String> = crate_references(&code).into_iter().collect();
    assert_eq!(
        found,
        ["ledger", "model", "pack", "settings", "wire", "wire::json"],
        "{code}"
    );

    // A domain module importing the router, and a leaf importing the domain, are caught.
    let mut modules = BTreeMap::new();
    modules.insert("model".to_owned(), BTreeSet::from(["router".to_owned()]));
    modules.insert("site".to_owned(), BTreeSet::from(["model".to_owned()]));
    modules.insert("wire::json".to_owned(), BTreeSet::from(["wire".to_owned()]));
    modules.insert("newcomer".to_owned(), BTreeSet::new());
    let (problems, edges) = check(&modules);
    assert_eq!(find_circle(&edges), None);
    assert_eq!(
        problems,
        [
            "model (Domain) imports router (State), a higher layer",
            "newcomer: not in LAYERS",
            "site (Leaf) imports model (Domain), a higher layer",
            "wire::json (Leaf) imports wire (Format), a higher layer",
        ]
    );

    // A circle inside one layer passes the layer check and is caught by the circle check.
    let edge = |from: &str, to: &str| (from.to_owned(), to.to_owned());
    let within_a_layer = BTreeSet::from([
        edge("agreed", "ledger"),
        edge("ledger", "monthly"),
        edge("model", "site"),
        edge("monthly", "agreed"),
    ]);
    assert_eq!(
        find_circle(&within_a_layer),
        Some(
            ["agreed", "ledger", "monthly", "agreed"]
                .map(String::from)
                .to_vec()
        )
    );

    assert_eq!(module_of(Path::new("wire/json.rs")), "wire::json");
    assert_eq!(module_of(Path::new("wire/mod.rs")), "wire");
    assert_eq!(module_of(Path::new("router/content.rs")), "router");
}
