//! Inputs from seeds: structural mutations of the seeds' JSON trees, text-level mutations of
//! their bytes, documents generated from the seeds' vocabulary, and pure random bytes.
//!
//! Most structural mutations keep the document valid JSON, so that the input gets past the JSON
//! parser into the checks behind it; text mutations exercise the parser itself.

use serde_json::{Map, Number, Value};

use crate::rng::Rng;

/// Strings that tend to break things: markup, bidi and zero-width characters, controls,
/// case-changing letters, placeholders, surrogate-adjacent and astral characters.
const NASTY_STRINGS: &[&str] = &[
    "",
    " ",
    "\u{a0}\u{2003}\t\n",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "javascript:alert(1)",
    "\u{202e}gnp.exe\u{202c}",
    "\u{200b}\u{200d}\u{feff}",
    "\u{0}",
    "\u{1b}[31m",
    "\u{7f}\u{85}\u{9f}",
    "line\nbreak",
    "İ",
    "ẞß",
    "ǅǈ",
    "ﬃ",
    "e\u{301}\u{301}\u{301}",
    "🏡👨‍👩‍👧",
    "\u{10ffff}",
    "{n}",
    "{actor}",
    "{user}{group}",
    "{group} {actor} {user}",
    "{",
    "}",
    "{names}",
    "/*",
    "[",
    "\"",
    "'",
    "\\",
    "@me/1",
    "-1001303328644",
    "@club",
    "T1/C2",
    "https://www.facebook.com/groups/4711",
    "https://evil.example/",
    "1 234 567",
    "4294967296",
];

/// Numbers at the edges of every integer and float type the schema uses.
fn edge_number(rng: &mut Rng) -> Value {
    let n = match rng.below(18) {
        0 => Number::from(u64::MAX),
        1 => Number::from(i64::MIN),
        2 => Number::from(u64::from(u32::MAX)),
        3 => Number::from(u64::from(u32::MAX) + 1),
        4 => Number::from((1u64 << 53) + 1),
        5 => Number::from(-1i64),
        6 => Number::from(0u64),
        7 => Number::from(1u64),
        8 => Number::from(100_001u64),
        9 => Number::from(5_000u64),
        10 => Number::from(2_001u64),
        11 => return float(1e308),
        12 => return float(-1e308),
        13 => return float(f64::MAX),
        14 => return float(5e-324),
        15 => return float(-0.0),
        16 => return float(0.5),
        _ => return float(1.7e15),
    };
    Value::Number(n)
}

fn float(x: f64) -> Value {
    Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// Raw text pieces that are not representable as a `Value` or are not JSON at all.
const TOKENS: &[&str] = &[
    "1e999",
    "-1e999",
    "NaN",
    "Infinity",
    "-Infinity",
    "-0",
    "1.0",
    "18446744073709551616",
    "-9223372036854775809",
    "0.0000000000000000000000000000001e-400",
    "123456789012345678901234567890",
    "\"\\ud800\"",
    "\"\\udc00\\ud800\"",
    "\"\\u0000\"",
    "\"\\uZZZZ\"",
    "null",
    "true",
    "[]",
    "{}",
    ",",
    ":",
    "\"",
    "[[[[[[[[",
    "]]]]",
    "{\"\":",
    "\u{feff}",
    "\u{0}",
    "//",
    "/*",
    "'",
];

/// Seeds and the vocabulary found in them.
pub struct Corpus {
    /// Largest input built on purpose: a little above what the target accepts, so its size
    /// check is exercised without spending the run on documents it refuses unread.
    max_len: usize,
    /// How much one input may grow by its mutations: small for most inputs, up to `max_len`
    /// for a few (set per input by [`Corpus::generate`]).
    budget: std::cell::Cell<usize>,
    texts: Vec<Vec<u8>>,
    values: Vec<Value>,
    keys: Vec<String>,
    strings: Vec<String>,
}

impl Corpus {
    /// Seeds must be JSON documents (they are the valid starting points).
    pub fn new(seeds: &[String], max_len: usize) -> Corpus {
        let mut keys = Vec::new();
        let mut strings = Vec::new();
        let mut values = Vec::new();
        for seed in seeds {
            let value: Value = serde_json::from_str(seed)
                .unwrap_or_else(|err| panic!("a fuzz seed is not JSON: {err}"));
            collect(&value, &mut keys, &mut strings);
            values.push(value);
        }
        keys.sort();
        keys.dedup();
        strings.sort();
        strings.dedup();
        Corpus {
            max_len,
            budget: std::cell::Cell::new(max_len),
            texts: seeds.iter().map(|s| s.as_bytes().to_vec()).collect(),
            values,
            keys,
            strings,
        }
    }

    pub fn seeds(&self) -> &[Vec<u8>] {
        &self.texts
    }

    /// One input, a pure function of the generator's state.
    pub fn generate(&self, rng: &mut Rng) -> Vec<u8> {
        // Most inputs stay small, so that a run covers many; a few grow up to the limit.
        let budget = match rng.below(10_000) {
            0..=4 => self.max_len,
            5..=150 => 256 * 1024,
            151..=1500 => 16 * 1024,
            _ => 2 * 1024,
        };
        self.budget.set(budget.min(self.max_len));
        let mut bytes = match rng.below(1000) {
            // Just above the size limit: refused before parsing.
            0 => {
                let mut bytes = rng.pick(&self.texts).clone();
                bytes.resize(self.max_len + 1, b' ');
                return bytes;
            }
            1..=40 => random_bytes(rng),
            41..=80 => {
                let value = self.random_value(rng, 0);
                self.serialise(&value, rng)
            }
            81..=650 => {
                let mut value = rng.pick(&self.values).clone();
                for _ in 0..rng.range(1, 4) {
                    self.mutate_tree(&mut value, rng);
                }
                let mut bytes = self.serialise(&value, rng);
                if rng.chance(1, 6) {
                    self.mutate_text(&mut bytes, rng);
                }
                bytes
            }
            _ => {
                let mut bytes = rng.pick(&self.texts).clone();
                for _ in 0..rng.range(1, 6) {
                    self.mutate_text(&mut bytes, rng);
                }
                bytes
            }
        };
        bytes.truncate(self.max_len);
        bytes
    }

    /// Compact, or pretty when small (indentation of a deeply nested document would multiply
    /// its size).
    fn serialise(&self, value: &Value, rng: &mut Rng) -> Vec<u8> {
        let compact = serde_json::to_vec(value).unwrap_or_default();
        if compact.len() < 64 * 1024 && rng.chance(1, 4) {
            serde_json::to_vec_pretty(value).unwrap_or(compact)
        } else {
            compact
        }
    }

    fn random_string(&self, rng: &mut Rng) -> String {
        match rng.below(10) {
            0..=4 => rng.pick(&self.strings).clone(),
            5..=7 => (*rng.pick(NASTY_STRINGS)).to_string(),
            8 => long_string(rng, self.budget.get()),
            _ => {
                let mut s = rng.pick(&self.strings).clone();
                let piece = *rng.pick(NASTY_STRINGS);
                insert_at_char(&mut s, rng, piece);
                s
            }
        }
    }

    fn random_value(&self, rng: &mut Rng, depth: usize) -> Value {
        let leaf = depth >= 4 || rng.chance(1, 2);
        match rng.below(if leaf { 6 } else { 8 }) {
            0 => Value::Null,
            1 => Value::Bool(rng.chance(1, 2)),
            2 => edge_number(rng),
            3 => Value::Number(Number::from(rng.small(3000) as u64)),
            4 | 5 => Value::String(self.random_string(rng)),
            6 => Value::Array(
                (0..rng.small(6))
                    .map(|_| self.random_value(rng, depth + 1))
                    .collect(),
            ),
            _ => {
                let mut map = Map::new();
                for _ in 0..rng.small(8) {
                    let key = if rng.chance(7, 8) {
                        rng.pick(&self.keys).clone()
                    } else {
                        self.random_string(rng)
                    };
                    map.insert(key, self.random_value(rng, depth + 1));
                }
                Value::Object(map)
            }
        }
    }

    /// One structural change at a random node of the tree.
    fn mutate_tree(&self, root: &mut Value, rng: &mut Rng) {
        let count = count_nodes(root);
        let target = rng.below(count);
        let mut seen = 0;
        if let Some(node) = nth_node(root, target, &mut seen) {
            self.mutate_node(node, rng);
        }
    }

    fn mutate_node(&self, node: &mut Value, rng: &mut Rng) {
        match rng.below(15) {
            // Wrong type (or the right one with a surprising value).
            0 | 1 => *node = self.random_value(rng, 2),
            2 => *node = edge_number(rng),
            3 => match node {
                Value::Number(n) => {
                    let x = n.as_f64().unwrap_or(0.0);
                    *node = match rng.below(5) {
                        0 => float(x + 1.0),
                        1 => float(-x),
                        2 => float(x * 1e6),
                        3 => float(x + 0.5),
                        _ => Value::Number(Number::from(0u64)),
                    };
                }
                _ => *node = edge_number(rng),
            },
            4 => *node = Value::String(long_string(rng, self.budget.get())),
            5 | 6 => match node {
                Value::String(s) => {
                    let piece = *rng.pick(NASTY_STRINGS);
                    insert_at_char(s, rng, piece)
                }
                _ => *node = Value::String((*rng.pick(NASTY_STRINGS)).to_string()),
            },
            7 => match node {
                Value::String(s) => *s = rng.pick(&self.strings).clone(),
                Value::Object(map) if !map.is_empty() => {
                    // Rename a member to another known key.
                    let keys: Vec<String> = map.keys().cloned().collect();
                    let from = rng.pick(&keys).clone();
                    if let Some(value) = map.remove(&from) {
                        map.insert(rng.pick(&self.keys).clone(), value);
                    }
                }
                _ => *node = Value::String(rng.pick(&self.strings).clone()),
            },
            // Delete a member or an element.
            8 | 9 => match node {
                Value::Object(map) if !map.is_empty() => {
                    let keys: Vec<String> = map.keys().cloned().collect();
                    map.remove(rng.pick(&keys));
                }
                Value::Array(items) if !items.is_empty() => {
                    let at = rng.below(items.len());
                    items.remove(at);
                }
                _ => *node = Value::Null,
            },
            // Duplicate an element (sometimes many times) or add a member.
            10 | 11 => match node {
                Value::Array(items) if !items.is_empty() => {
                    let at = rng.below(items.len());
                    let copy = items[at].clone();
                    let size = serde_json::to_string(&copy).map_or(1, |s| s.len().max(1));
                    let times = rng.small(6000).min(self.budget.get() / size).max(1);
                    for _ in 0..times {
                        items.insert(at, copy.clone());
                    }
                }
                Value::Object(map) => {
                    let key = if rng.chance(3, 4) {
                        rng.pick(&self.keys).clone()
                    } else {
                        self.random_string(rng)
                    };
                    map.insert(key, self.random_value(rng, 2));
                }
                _ => *node = Value::Array(vec![node.take(); rng.range(1, 3)]),
            },
            // Deep nesting.
            12 => {
                let depth = rng.range(1, 300);
                let mut inner = node.take();
                for _ in 0..depth {
                    inner = if rng.chance(1, 2) {
                        Value::Array(vec![inner])
                    } else {
                        let mut map = Map::new();
                        map.insert(rng.pick(&self.keys).clone(), inner);
                        Value::Object(map)
                    };
                }
                *node = inner;
            }
            // Splice in a subtree of another seed.
            13 => {
                let mut donor = rng.pick(&self.values).clone();
                let count = count_nodes(&donor);
                let mut seen = 0;
                if let Some(part) = nth_node(&mut donor, rng.below(count), &mut seen) {
                    *node = part.take();
                }
            }
            // Empty a container.
            _ => match node {
                Value::Array(items) => items.clear(),
                Value::Object(map) => map.clear(),
                Value::String(s) => s.clear(),
                _ => *node = Value::Null,
            },
        }
    }

    /// One change to the raw bytes.
    fn mutate_text(&self, bytes: &mut Vec<u8>, rng: &mut Rng) {
        let len = bytes.len();
        match rng.below(11) {
            0 if len > 0 => {
                let at = rng.below(len);
                bytes[at] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let at = rng.below(len);
                bytes[at] = *rng.pick(b"\0\xff\"{}[],:\\\x80\xc3\xed\n-0e.");
            }
            2 => bytes.truncate(rng.below(len + 1)),
            3 if len > 0 => {
                let from = rng.below(len);
                let to = (from + rng.small(64) + 1).min(len);
                bytes.drain(from..to);
            }
            4 if len > 0 => {
                let from = rng.below(len);
                let to = (from + rng.small(256) + 1).min(len);
                let copy = bytes[from..to].to_vec();
                let at = rng.below(len + 1);
                bytes.splice(at..at, copy);
            }
            5 | 6 => {
                let at = rng.below(len + 1);
                let token = rng.pick(TOKENS).as_bytes();
                bytes.splice(at..at, token.iter().copied());
            }
            7 => {
                // Splice: a prefix of this one, a suffix of another seed.
                let other = rng.pick(&self.texts);
                let cut = rng.below(len + 1);
                let from = rng.below(other.len() + 1);
                bytes.truncate(cut);
                bytes.extend_from_slice(&other[from..]);
            }
            8 | 9 => {
                // A duplicate member right after an opening brace (often a key that exists).
                let braces: Vec<usize> = bytes
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b'{')
                    .map(|(i, _)| i + 1)
                    .collect();
                if braces.is_empty() {
                    return;
                }
                let at = *rng.pick(&braces);
                let key = serde_json::to_string(rng.pick(&self.keys)).unwrap_or_default();
                let value = serde_json::to_string(&self.random_value(rng, 3)).unwrap_or_default();
                let member = format!("{key}:{value},");
                bytes.splice(at..at, member.bytes());
            }
            _ => {
                // Repeat a small piece many times.
                let at = rng.below(len + 1);
                let piece = rng.pick(TOKENS).as_bytes();
                let times = rng.small(self.budget.get() / piece.len().max(1));
                let run: Vec<u8> = piece
                    .iter()
                    .copied()
                    .cycle()
                    .take(piece.len() * times)
                    .collect();
                bytes.splice(at..at, run);
            }
        }
    }
}

fn collect(value: &Value, keys: &mut Vec<String>, strings: &mut Vec<String>) {
    match value {
        Value::String(s) => strings.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| collect(v, keys, strings)),
        Value::Object(map) => {
            for (key, value) in map {
                keys.push(key.clone());
                // Map keys double as values elsewhere (sites, kinds, languages).
                strings.push(key.clone());
                collect(value, keys, strings);
            }
        }
        _ => {}
    }
}

fn count_nodes(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(count_nodes).sum(),
        Value::Object(map) => map.values().map(count_nodes).sum(),
        _ => 0,
    }
}

/// The `target`-th node in pre-order.
fn nth_node<'a>(value: &'a mut Value, target: usize, seen: &mut usize) -> Option<&'a mut Value> {
    if *seen == target {
        return Some(value);
    }
    *seen += 1;
    match value {
        Value::Array(items) => {
            for item in items {
                let size = count_nodes(item);
                if target < *seen + size {
                    return nth_node(item, target, seen);
                }
                *seen += size;
            }
            None
        }
        Value::Object(map) => {
            for item in map.values_mut() {
                let size = count_nodes(item);
                if target < *seen + size {
                    return nth_node(item, target, seen);
                }
                *seen += size;
            }
            None
        }
        _ => None,
    }
}

fn insert_at_char(s: &mut String, rng: &mut Rng, piece: &str) {
    let boundaries: Vec<usize> = s
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(s.len()))
        .collect();
    let at = *rng.pick(&boundaries);
    s.insert_str(at, piece);
}

fn long_string(rng: &mut Rng, budget: usize) -> String {
    let len = match rng.below(4) {
        0 => rng.range(190, 210),
        1 => rng.range(290, 2_100),
        _ => rng.range(2_000, budget.max(2_000)),
    };
    let unit = *rng.pick(&["a", "é", "İ", " ", "ab ", "🏡", "<b>", "{n}"]);
    unit.repeat(len / unit.len().max(1) + 1)
}

fn random_bytes(rng: &mut Rng) -> Vec<u8> {
    let len = rng.small(2048);
    if rng.chance(1, 2) {
        (0..len).map(|_| rng.next_u64() as u8).collect()
    } else {
        // JSON-ish alphabet, so the parser gets further.
        let alphabet = b"{}[]\":,0123456789.-eE truefalsn\\u";
        (0..len).map(|_| *rng.pick(alphabet)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus() -> Corpus {
        Corpus::new(
            &[
                r#"{"a": [1, 2, {"b": "x"}], "c": null}"#.to_string(),
                r#"{"site": "facebook", "key": "4711"}"#.to_string(),
            ],
            100_000,
        )
    }

    #[test]
    fn generation_is_deterministic() {
        let corpus = corpus();
        for index in 0..200 {
            let a = corpus.generate(&mut Rng::for_input(3, "t", index));
            let b = corpus.generate(&mut Rng::for_input(3, "t", index));
            assert_eq!(a, b, "input {index}");
        }
    }

    #[test]
    fn mutations_vary_and_mostly_stay_json() {
        let corpus = corpus();
        let mut json = 0;
        let mut distinct = std::collections::BTreeSet::new();
        for index in 0..2_000 {
            let input = corpus.generate(&mut Rng::for_input(9, "t", index));
            if serde_json::from_slice::<Value>(&input).is_ok() {
                json += 1;
            }
            distinct.insert(input);
        }
        assert!(json > 800, "{json} of 2000 were JSON");
        assert!(
            json < 1_950,
            "{json} of 2000 were JSON: the parser's errors go untested"
        );
        assert!(distinct.len() > 1_500, "only {} distinct", distinct.len());
    }

    #[test]
    fn every_node_can_be_reached() {
        let mut value: Value =
            serde_json::from_str(r#"{"a": [1, [2, 3]], "b": {"c": 4}}"#).unwrap();
        let count = count_nodes(&value);
        assert_eq!(count, 8);
        let mut found = Vec::new();
        for target in 0..count {
            let mut seen = 0;
            let node = nth_node(&mut value, target, &mut seen).expect("node");
            found.push(node.to_string());
        }
        assert_eq!(found[0], value.to_string());
        assert_eq!(found[2], "1");
        assert_eq!(found[3], "[2,3]");
        assert_eq!(found[7], "4");
    }
}
