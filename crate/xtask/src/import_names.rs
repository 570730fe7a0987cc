//! Short import and export names for the content core's wasm module (build layer, part of
//! `dist`).
//!
//! wasm-bindgen names every import after its JavaScript function and a hash
//! (`__wbg_querySelector_2d2fc8d6b3b1d8a7`) under the module `./content_bg.js`: about 6.6 KB of
//! the content core's wasm were these names. The glue is generated together with the module and
//! is the only code that links them, so both are rewritten together: every function import gets
//! a one- or two-letter name, the module a one-letter one, in the module's import section and in
//! the glue's import object. Anything unexpected (another import kind or module, a name the glue
//! does not define exactly once) fails the build instead of producing a module that cannot link.
//!
//! Function exports get short names too (`_a`, `_b`, …; wasm-bindgen's closure entry points
//! had names of up to 190 characters): every `wasm.<name>` in the glue is renamed with it. An
//! export the glue also names in quotes keeps its name, as do memory and tables.

use std::fs;
use std::path::Path;

use anyhow::{bail, ensure, Context, Result};

/// The module every import is renamed to, in the wasm and in the glue.
const SHORT_MODULE: &str = "w";

/// Rewrites `wasm` (in place) and `glue` (in place, wasm-bindgen's `no-modules` output that
/// instantiates it) to short import names.
pub fn shorten(wasm: &Path, glue: &Path) -> Result<()> {
    let module = fs::read(wasm).with_context(|| format!("cannot read {}", wasm.display()))?;
    let glue_text = fs::read_to_string(glue)?;
    let (module, glue_text) = rewrite(&module, &glue_text)
        .with_context(|| format!("import names of {}", wasm.display()))?;
    fs::write(wasm, module)?;
    fs::write(glue, glue_text)?;
    Ok(())
}

/// The `index`th short name: `a`…`z`, `A`…`Z`, then two letters.
fn short_name(index: usize) -> String {
    const LETTERS: &[u8; 52] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = String::new();
    let mut rest = index;
    loop {
        name.insert(0, char::from(LETTERS[rest % 52]));
        if rest < 52 {
            return name;
        }
        rest = rest / 52 - 1;
    }
}

fn rewrite(module: &[u8], glue: &str) -> Result<(Vec<u8>, String)> {
    ensure!(
        module.len() >= 8 && module[..4] == *b"\0asm",
        "not a wasm module"
    );
    let mut out = module[..8].to_vec();
    let mut glue = glue.to_owned();
    let mut at = 8;
    let mut seen_imports = false;
    while at < module.len() {
        let id = module[at];
        let (length, body_at) = leb(module, at + 1)?;
        let end = body_at
            .checked_add(length)
            .filter(|end| *end <= module.len())
            .context("a section runs past the end")?;
        let renamed = match id {
            2 => {
                seen_imports = true;
                Some(import_section(&module[body_at..end], &mut glue)?)
            }
            7 => Some(export_section(&module[body_at..end], &mut glue)?),
            _ => None,
        };
        match renamed {
            Some(section) => {
                out.push(id);
                write_leb(&mut out, section.len());
                out.extend(section);
            }
            None => out.extend_from_slice(&module[at..end]),
        }
        at = end;
    }
    ensure!(seen_imports, "the module has no import section");
    Ok((out, glue))
}

/// The import section with short names; renames each key in `glue` to match.
fn import_section(body: &[u8], glue: &mut String) -> Result<Vec<u8>> {
    let (count, mut at) = leb(body, 0)?;
    let mut out = Vec::new();
    write_leb(&mut out, count);
    let mut module_name: Option<String> = None;
    for index in 0..count {
        let (module, next) = name(body, at)?;
        let (field, next) = name(body, next)?;
        ensure!(
            body.get(next) == Some(&0),
            "import {module}.{field} is not a function"
        );
        let (_, desc_end) = leb(body, next + 1)?;
        match &module_name {
            None => module_name = Some(module.clone()),
            Some(first) => ensure!(
                *first == module,
                "imports come from two modules: {first} and {module}"
            ),
        }
        let short = short_name(index);
        rename_key(glue, &field, &short)?;
        write_leb(&mut out, SHORT_MODULE.len());
        out.extend_from_slice(SHORT_MODULE.as_bytes());
        write_leb(&mut out, short.len());
        out.extend_from_slice(short.as_bytes());
        out.extend_from_slice(&body[next..desc_end]);
        at = desc_end;
    }
    ensure!(at == body.len(), "unread bytes after the imports");
    if let Some(module) = module_name {
        let quoted = format!("\"{module}\": ");
        ensure!(
            glue.matches(&quoted).count() == 1,
            "the glue does not name the import module {module} exactly once"
        );
        *glue = glue.replacen(&quoted, &format!("\"{SHORT_MODULE}\": "), 1);
    }
    Ok(out)
}

/// The export section with short names for the function exports the glue reaches as
/// `wasm.<name>` and never names in quotes; renames those uses in `glue` to match.
fn export_section(body: &[u8], glue: &mut String) -> Result<Vec<u8>> {
    let (count, mut at) = leb(body, 0)?;
    let mut out = Vec::new();
    write_leb(&mut out, count);
    let mut renamed = 0;
    for _ in 0..count {
        let (field, next) = name(body, at)?;
        let kind = body.get(next).copied();
        let (_, desc_end) = leb(body, next + 1)?;
        let short = format!("_{}", short_name(renamed));
        // Functions only: a memory or table export may be read by name from outside the glue
        // (the benchmark reads the memory's size). A quoted mention could be a computed access,
        // which a rename would break. The glue's own JavaScript functions of the same name are
        // not exports and keep their names.
        let uses = if kind == Some(0) && field.len() > short.len() && !named_in_quotes(glue, &field)
        {
            export_uses(glue, &field)
        } else {
            Vec::new()
        };
        let new_name = if uses.is_empty() {
            field
        } else {
            *glue = rename_uses(glue, &uses, &field, &short);
            renamed += 1;
            short
        };
        write_leb(&mut out, new_name.len());
        out.extend_from_slice(new_name.as_bytes());
        out.extend_from_slice(&body[next..desc_end]);
        at = desc_end;
    }
    ensure!(at == body.len(), "unread bytes after the exports");
    Ok(out)
}

fn is_identifier_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

/// Where `wasm.<name>` stands in `glue` as a whole member access (not a part of a longer name).
fn export_uses(glue: &str, name: &str) -> Vec<usize> {
    let access = format!("wasm.{name}");
    glue.match_indices(&access)
        .map(|(at, _)| at)
        .filter(|at| {
            let before = glue[..*at].chars().next_back();
            let after = glue[at + access.len()..].chars().next();
            !before.is_some_and(is_identifier_char) && !after.is_some_and(is_identifier_char)
        })
        .collect()
}

fn named_in_quotes(glue: &str, name: &str) -> bool {
    ['"', '\'', '`']
        .iter()
        .any(|quote| glue.contains(&format!("{quote}{name}{quote}")))
}

/// `glue` with the `wasm.<name>` at each of `uses` (from [`export_uses`]) renamed to `short`.
fn rename_uses(glue: &str, uses: &[usize], name: &str, short: &str) -> String {
    let mut out = String::with_capacity(glue.len());
    let mut last = 0;
    for &at in uses {
        out.push_str(&glue[last..at]);
        out.push_str("wasm.");
        out.push_str(short);
        last = at + "wasm.".len() + name.len();
    }
    out.push_str(&glue[last..]);
    out
}

/// Renames the glue's import-object key `name:` to `short:`; the name must occur exactly once
/// in the glue, as that key.
fn rename_key(glue: &mut String, name: &str, short: &str) -> Result<()> {
    if glue.matches(name).count() != 1 {
        bail!("the glue names the import {name} other than once");
    }
    let at = glue.find(name).context("found above")?;
    let before_ok = glue[..at].ends_with(char::is_whitespace);
    let after_ok = glue[at + name.len()..].starts_with(':');
    ensure!(
        before_ok && after_ok,
        "the import {name} is not a key of the glue's import object"
    );
    glue.replace_range(at..at + name.len(), short);
    Ok(())
}

fn name(bytes: &[u8], at: usize) -> Result<(String, usize)> {
    let (length, start) = leb(bytes, at)?;
    let end = start
        .checked_add(length)
        .filter(|end| *end <= bytes.len())
        .context("a name runs past the end")?;
    let text = std::str::from_utf8(&bytes[start..end]).context("a name is not UTF-8")?;
    Ok((text.to_owned(), end))
}

/// An unsigned LEB128 number at `at`: its value and the position after it.
fn leb(bytes: &[u8], mut at: usize) -> Result<(usize, usize)> {
    let mut value = 0usize;
    let mut shift = 0;
    loop {
        let byte = *bytes.get(at).context("a number runs past the end")?;
        at += 1;
        ensure!(shift < 35, "a number is too long");
        value |= usize::from(byte & 0x7f) << shift;
        shift += 7;
        if byte & 0x80 == 0 {
            return Ok((value, at));
        }
    }
}

fn write_leb(out: &mut Vec<u8>, mut value: usize) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module with a type section, two function imports from `./x_bg.js` and an export.
    fn module(imports: &[(&str, &str)]) -> Vec<u8> {
        let mut out = b"\0asm\x01\0\0\0".to_vec();
        // type section: one type () -> ()
        out.extend([1, 4, 1, 0x60, 0, 0]);
        let mut body = Vec::new();
        write_leb(&mut body, imports.len());
        for (module, field) in imports {
            write_leb(&mut body, module.len());
            body.extend(module.as_bytes());
            write_leb(&mut body, field.len());
            body.extend(field.as_bytes());
            body.extend([0, 0]);
        }
        out.push(2);
        write_leb(&mut out, body.len());
        out.extend(body);
        // export section: "m" -> function 0
        out.extend([7, 5, 1, 1, b'm', 0, 0]);
        out
    }

    const GLUE: &str = "const import0 = {\n    __wbg_log_0123: function(a) { console.log(a); },\n    __wbindgen_cast_4567: function(a) { return a; },\n};\nreturn { \"./x_bg.js\": import0 };\n";

    #[test]
    fn imports_and_glue_keys_get_the_same_short_names() {
        let long = module(&[
            ("./x_bg.js", "__wbg_log_0123"),
            ("./x_bg.js", "__wbindgen_cast_4567"),
        ]);
        let (short, glue) = rewrite(&long, GLUE).unwrap();
        assert_eq!(short, module(&[("w", "a"), ("w", "b")]));
        assert_eq!(
            glue,
            "const import0 = {\n    a: function(a) { console.log(a); },\n    b: function(a) { return a; },\n};\nreturn { \"w\": import0 };\n"
        );
        assert!(short.len() < long.len());
    }

    #[test]
    fn a_name_the_glue_does_not_define_once_fails() {
        let long = module(&[("./x_bg.js", "__wbg_missing_89ab")]);
        assert!(rewrite(&long, GLUE).is_err());
        let twice = format!("{GLUE}// __wbg_log_0123\n");
        let long = module(&[("./x_bg.js", "__wbg_log_0123")]);
        assert!(rewrite(&long, &twice).is_err());
    }

    #[test]
    fn two_import_modules_fail() {
        let glue = GLUE.replace("__wbindgen_cast_4567", "other");
        let long = module(&[("./x_bg.js", "__wbg_log_0123"), ("env", "other")]);
        assert!(rewrite(&long, &glue).is_err());
    }

    /// `module` with its one export renamed from `m` to `to`.
    fn with_export(imports: &[(&str, &str)], to: &str) -> Vec<u8> {
        let mut out = module(imports);
        out.truncate(out.len() - 7);
        out.extend([7, 4 + to.len() as u8, 1, to.len() as u8]);
        out.extend(to.as_bytes());
        out.extend([0, 0]);
        out
    }

    #[test]
    fn exports_the_glue_uses_only_as_members_get_short_names() {
        let imports = [("./x_bg.js", "__wbg_log_0123")];
        let long = with_export(&imports, "closure_invoke_long_name");
        let glue = format!(
            "{GLUE}function f(a) {{ wasm.closure_invoke_long_name(a); wasm.closure_invoke_long_name_2(); }}\n"
        );
        let (short, glue) = rewrite(&long, &glue).unwrap();
        assert_eq!(short, with_export(&[("w", "a")], "_a"));
        assert!(
            glue.contains("{ wasm._a(a); wasm.closure_invoke_long_name_2(); }"),
            "{glue}"
        );
    }

    #[test]
    fn the_glue_functions_of_the_same_name_keep_theirs() {
        let imports = [("./x_bg.js", "__wbg_log_0123")];
        let long = with_export(&imports, "start_content");
        let glue = format!(
            "{GLUE}function start_content() {{ wasm.start_content(); }}\n__exports.start_content = start_content;\n"
        );
        let (short, out) = rewrite(&long, &glue).unwrap();
        assert_eq!(short, with_export(&[("w", "a")], "_a"));
        assert!(
            out.contains(
                "function start_content() { wasm._a(); }\n__exports.start_content = start_content;"
            ),
            "{out}"
        );
    }

    #[test]
    fn an_export_named_in_quotes_or_not_used_keeps_its_name() {
        let imports = [("./x_bg.js", "__wbg_log_0123")];
        let long = with_export(&imports, "start_content");
        let glue = format!("{GLUE}wasm.start_content(); wasm['start_content'];\n");
        let (short, out) = rewrite(&long, &glue).unwrap();
        assert_eq!(short, with_export(&[("w", "a")], "start_content"));
        assert!(out.contains("wasm.start_content();"));
        let (short, _) = rewrite(&long, GLUE).unwrap();
        assert_eq!(short, with_export(&[("w", "a")], "start_content"));
    }

    #[test]
    fn short_names_are_distinct_and_short() {
        let names: Vec<String> = (0..52 * 53).map(short_name).collect();
        assert_eq!(names[0], "a");
        assert_eq!(names[51], "Z");
        assert_eq!(names[52], "aa");
        assert_eq!(names[52 + 52], "ba");
        let unique: std::collections::BTreeSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
        assert!(names.iter().all(|n| n.len() <= 2));
    }
}
