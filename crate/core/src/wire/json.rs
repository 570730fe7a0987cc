//! A small JSON reader and writer: enough for the content channel's messages and site packs.
//!
//! serde_json is exact and fast, but its code is generated per type: in the content build it was
//! a third of the module. This reader builds one plain tree and the typed readers in
//! [`super`] (and `pack::decode`) walk it by hand, so each message type costs a few hundred bytes
//! of code. [`WireName`] spells a unit enum's names on the wire.
//!
//! Layer: leaf (imports nothing of the crate; the map is in `lib.rs`).

use std::fmt;

/// Deepest nesting accepted; packs and messages need fewer than ten levels.
pub const MAX_DEPTH: usize = 64;

/// A JSON value. Objects keep their members in document order.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// Why a text could not be read, or a value did not have the expected shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError(pub String);

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WireError {}

#[inline(never)]
fn error(what: &str, at: usize) -> WireError {
    let mut why = String::from(what);
    why.push_str(" at byte ");
    write_integer(&mut why, at as i64);
    WireError(why)
}

/// Reads one JSON document (surrounding whitespace allowed, nothing after it).
pub fn parse(text: &str) -> Result<Json, WireError> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        at: 0,
        error: None,
    };
    let value = reader.value(0).and_then(|value| {
        reader.skip_space();
        if reader.at == reader.bytes.len() {
            Some(value)
        } else {
            reader.fail("unexpected text after the value", reader.at)
        }
    });
    match (value, reader.error) {
        (Some(value), _) => Ok(value),
        (None, Some(error)) => Err(error),
        (None, None) => Err(error("unexpected end", reader.at)),
    }
}

/// The reader's steps give `None` on an error and keep the error in the reader: an `Option`
/// is passed up by `?` for almost no code, where a `Result` copied the error at every step.
struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
    error: Option<WireError>,
}

impl Reader<'_> {
    /// The bytes not read yet.
    fn rest(&self) -> &[u8] {
        self.bytes.get(self.at..).unwrap_or_default()
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// Notes why the reading stops (the first error ends it) and gives `None`.
    fn fail<T>(&mut self, what: &str, at: usize) -> Option<T> {
        self.error = Some(error(what, at));
        None
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.bytes.get(self.at).copied()
    }

    /// The `:` after a member name (the only separator read on its own).
    fn colon(&mut self) -> Option<()> {
        if self.peek() == Some(b':') {
            self.at += 1;
            Some(())
        } else {
            self.fail("expected `:`", self.at)
        }
    }

    fn literal(&mut self, word: &str, value: Json) -> Option<Json> {
        if self.rest().starts_with(word.as_bytes()) {
            self.at += word.len();
            Some(value)
        } else {
            self.fail("unexpected character", self.at)
        }
    }

    fn value(&mut self, depth: usize) -> Option<Json> {
        if depth > MAX_DEPTH {
            return self.fail("nested too deeply", self.at);
        }
        match self.peek() {
            None => self.fail("unexpected end", self.at),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::String),
            Some(open @ (b'[' | b'{')) => self.container(open == b'{', depth),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => self.fail("unexpected character", self.at),
        }
    }

    /// An array or an object (after its opening bracket), read in one loop: the two differ
    /// only in the member name before each value and in the closing bracket.
    fn container(&mut self, object: bool, depth: usize) -> Option<Json> {
        let (close, expected) = if object {
            (b'}', "expected `,` or `}`")
        } else {
            (b']', "expected `,` or `]`")
        };
        self.at += 1;
        let mut items = Vec::new();
        let mut members = Vec::new();
        // One exit, so that the values read so far are dropped in one place.
        let end = if self.peek() == Some(close) {
            Some(())
        } else {
            loop {
                let name = if object {
                    if self.peek() != Some(b'"') {
                        break self.fail("expected a member name", self.at);
                    }
                    match self.string().and_then(|name| self.colon().map(|()| name)) {
                        Some(name) => Some(name),
                        None => break None,
                    }
                } else {
                    None
                };
                match (self.value(depth + 1), name) {
                    (Some(value), Some(name)) => members.push((name, value)),
                    (Some(value), None) => items.push(value),
                    (None, _) => break None,
                }
                match self.peek() {
                    Some(b',') => self.at += 1,
                    Some(next) if next == close => break Some(()),
                    _ => break self.fail(expected, self.at),
                }
            }
        };
        end.map(|()| {
            self.at += 1;
            if object {
                Json::Object(members)
            } else {
                Json::Array(items)
            }
        })
    }

    /// A number as JSON spells it (no leading zeros, no `+`, no bare `.`).
    fn number(&mut self) -> Option<Json> {
        let start = self.at;
        let negative = self.bytes.get(self.at) == Some(&b'-');
        if negative {
            self.at += 1;
        }
        let mut digits = Digits::default();
        let int_start = self.at;
        let int_digits = self.digits(&mut digits, false);
        if int_digits == 0 || (int_digits > 1 && self.bytes.get(int_start) == Some(&b'0')) {
            return self.fail("malformed number", start);
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            if self.digits(&mut digits, true) == 0 {
                return self.fail("malformed number", start);
            }
        }
        let mut exponent: i64 = 0;
        if let Some(b'e' | b'E') = self.bytes.get(self.at) {
            self.at += 1;
            let negative_exponent = match self.bytes.get(self.at) {
                Some(b'-') => {
                    self.at += 1;
                    true
                }
                Some(b'+') => {
                    self.at += 1;
                    false
                }
                _ => false,
            };
            let exponent_start = self.at;
            while let Some(&digit @ b'0'..=b'9') = self.bytes.get(self.at) {
                exponent = (exponent * 10 + i64::from(digit - b'0')).min(1_000_000);
                self.at += 1;
            }
            if self.at == exponent_start {
                return self.fail("malformed number", start);
            }
            if negative_exponent {
                exponent = -exponent;
            }
        }
        let magnitude = digits.value(exponent);
        if !magnitude.is_finite() {
            return self.fail("number out of range", start);
        }
        Some(Json::Number(if negative { -magnitude } else { magnitude }))
    }

    /// Reads a run of digits into `into` and returns how many there were.
    fn digits(&mut self, into: &mut Digits, fraction: bool) -> usize {
        let start = self.at;
        while let Some(&digit @ b'0'..=b'9') = self.bytes.get(self.at) {
            into.push(digit - b'0', fraction);
            self.at += 1;
        }
        self.at - start
    }

    fn hex4(&mut self) -> Option<u32> {
        let Some(digits) = self.bytes.get(self.at..self.at + 4) else {
            return self.fail("truncated escape", self.at);
        };
        let mut value = 0;
        for &byte in digits {
            let digit = match byte {
                b'0'..=b'9' => byte - b'0',
                b'a'..=b'f' => byte - b'a' + 10,
                b'A'..=b'F' => byte - b'A' + 10,
                _ => return self.fail("malformed escape", self.at),
            };
            value = value << 4 | u32::from(digit);
        }
        self.at += 4;
        Some(value)
    }

    fn string(&mut self) -> Option<String> {
        let open = self.at;
        self.at += 1;
        let mut out = String::new();
        loop {
            // Copy the run up to the next quote, backslash or control character at once.
            let run_start = self.at;
            while let Some(&b) = self.bytes.get(self.at) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            // The run ends before an ASCII byte, so it ends on a character boundary.
            out.push_str(&self.text[run_start..self.at]);
            match self.bytes.get(self.at) {
                None => return self.fail("unterminated string", open),
                Some(b'"') => {
                    self.at += 1;
                    return Some(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let Some(&escape) = self.bytes.get(self.at) else {
                        return self.fail("unterminated string", open);
                    };
                    self.at += 1;
                    let c = match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return self.fail("malformed escape", self.at - 1),
                    };
                    out.push(c);
                }
                Some(_) => return self.fail("control character in string", self.at),
            }
        }
    }

    /// `\uXXXX`, with a UTF-16 surrogate pair spelled as two escapes.
    fn unicode_escape(&mut self) -> Option<char> {
        let at = self.at;
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !self.rest().starts_with(b"\\u") {
                    return self.fail("lone surrogate", at);
                }
                self.at += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return self.fail("lone surrogate", at);
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return self.fail("lone surrogate", at),
            code => code,
        };
        match char::from_u32(code) {
            Some(c) => Some(c),
            None => self.fail("malformed escape", at),
        }
    }
}

/// A decimal number's significant digits and the power of ten they are scaled by.
///
/// The standard library's exact float parser brings 16 KiB of tables into the content build.
/// This one is exact where the content channel's numbers are (whole numbers below 2^53, and
/// decimals of up to 15 significant digits with a small exponent: one correctly rounded
/// multiplication or division, Clinger's fast path) and within a few units in the last place
/// elsewhere. Times in milliseconds and counts are always exact.
#[derive(Default)]
struct Digits {
    mantissa: u64,
    /// Digits that did not fit the mantissa only shift it (fraction digits past it are dropped).
    scale: i64,
    significant: u32,
}

impl Digits {
    fn push(&mut self, digit: u8, fraction: bool) {
        if self.significant == 0 && digit == 0 {
            if fraction {
                self.scale -= 1;
            }
            return;
        }
        if self.significant < 19 {
            self.mantissa = self.mantissa * 10 + u64::from(digit);
            self.significant += 1;
            if fraction {
                self.scale -= 1;
            }
        } else if !fraction {
            self.scale += 1;
        }
    }

    fn value(&self, exponent: i64) -> f64 {
        const EXACT_POWERS: [f64; 23] = [
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
            1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
        ];
        if self.mantissa == 0 {
            return 0.0;
        }
        let mantissa = self.mantissa as f64;
        let power = (self.scale + exponent).clamp(-400, 400) as i32;
        let exact = self.mantissa < (1 << 53);
        if exact && (0..=22).contains(&power) {
            mantissa * EXACT_POWERS[power as usize]
        } else if exact && (-22..0).contains(&power) {
            mantissa / EXACT_POWERS[(-power) as usize]
        } else if power < -300 {
            // Two steps, so that 10^power itself does not underflow to zero first.
            mantissa * 10f64.powi(power + 300) * 1e-300
        } else {
            mantissa * 10f64.powi(power)
        }
    }
}

/// Appends `text` as a JSON string.
pub fn write_string(out: &mut String, text: &str) {
    out.push('"');
    let mut run_start = 0;
    for (at, c) in text.char_indices() {
        let short = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            c if (c as u32) < 0x20 => "",
            _ => continue,
        };
        out.push_str(&text[run_start..at]);
        if short.is_empty() {
            out.push_str("\\u00");
            let code = c as u8;
            out.push(char::from(HEX[usize::from(code >> 4)]));
            out.push(char::from(HEX[usize::from(code & 0xF)]));
        } else {
            out.push_str(short);
        }
        run_start = at + c.len_utf8();
    }
    out.push_str(&text[run_start..]);
    out.push('"');
}

/// Appends `items` as a JSON array of strings.
pub fn write_strings(out: &mut String, items: &[String]) {
    out.push('[');
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        write_string(out, item);
    }
    out.push(']');
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends an integer. The content channel writes whole numbers only (counts, numbers of
/// re-additions): writing integers keeps the float formatter out of the content build.
pub fn write_integer(out: &mut String, number: i64) {
    let mut digits = [0u8; 20];
    let mut len = 0;
    let mut rest = number.unsigned_abs();
    loop {
        digits[len] = b'0' + (rest % 10) as u8;
        len += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if number < 0 {
        out.push('-');
    }
    for &digit in digits[..len].iter().rev() {
        out.push(char::from(digit));
    }
}

/// Builds one JSON object member by member.
pub struct ObjectWriter<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> ObjectWriter<'a> {
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        ObjectWriter { out, first: true }
    }

    /// Starts a member and returns the buffer to write its value into.
    pub fn key(&mut self, name: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        write_string(self.out, name);
        self.out.push(':');
        self.out
    }

    pub fn string(&mut self, name: &str, value: &str) -> &mut Self {
        write_string(self.key(name), value);
        self
    }

    pub fn opt_string(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        match value {
            Some(value) => self.string(name, value),
            None => {
                self.key(name).push_str("null");
                self
            }
        }
    }

    pub fn integer(&mut self, name: &str, value: i64) -> &mut Self {
        write_integer(self.key(name), value);
        self
    }

    pub fn finish(self) {
        self.out.push('}');
    }
}

/// Typed access to an object's members, with errors that name the member.
#[derive(Clone, Copy)]
pub struct Fields<'a>(pub &'a [(String, Json)]);

impl<'a> Fields<'a> {
    pub fn of(value: &'a Json, what: &str) -> Result<Fields<'a>, WireError> {
        match value {
            Json::Object(members) => Ok(Fields(members)),
            _ => Err(WireError(String::from(what) + ": expected an object")),
        }
    }

    /// The member's value; a member that is missing or `null` is `None`.
    pub fn get(&self, name: &str) -> Option<&'a Json> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
            // A variant test, not `!= Json::Null`: that brought the derived deep comparison.
            .filter(|value| !matches!(value, Json::Null))
    }

    pub fn required(&self, name: &str) -> Result<&'a Json, WireError> {
        self.get(name)
            .ok_or_else(|| quoted("missing field ", name, ""))
    }

    pub fn str(&self, name: &str) -> Result<&'a str, WireError> {
        as_str(self.required(name)?, name)
    }

    pub fn string(&self, name: &str) -> Result<String, WireError> {
        self.str(name).map(str::to_owned)
    }

    pub fn opt_string(&self, name: &str) -> Result<Option<String>, WireError> {
        self.get(name)
            .map(|value| as_str(value, name).map(str::to_owned))
            .transpose()
    }

    pub fn bool(&self, name: &str) -> Result<bool, WireError> {
        match self.required(name)? {
            Json::Bool(value) => Ok(*value),
            _ => Err(quoted("", name, ": expected true or false")),
        }
    }

    pub fn number(&self, name: &str) -> Result<f64, WireError> {
        as_number(self.required(name)?, name)
    }

    pub fn opt_number(&self, name: &str) -> Result<Option<f64>, WireError> {
        self.get(name)
            .map(|value| as_number(value, name))
            .transpose()
    }

    pub fn u32(&self, name: &str) -> Result<u32, WireError> {
        as_u32(self.required(name)?, name)
    }

    pub fn opt_u32(&self, name: &str) -> Result<Option<u32>, WireError> {
        self.get(name).map(|value| as_u32(value, name)).transpose()
    }

    pub fn object(&self, name: &str) -> Result<Fields<'a>, WireError> {
        Fields::of(self.required(name)?, name)
    }

    /// An array member; a missing one is empty.
    pub fn array(&self, name: &str) -> Result<&'a [Json], WireError> {
        match self.get(name) {
            None => Ok(&[]),
            Some(Json::Array(items)) => Ok(items),
            Some(_) => Err(quoted("", name, ": expected an array")),
        }
    }
}

/// The first error of a reading. Readers (`pack::decode`, the content's reply readers) note an
/// error and go on with a stand-in value instead of returning at once: with a single exit, the
/// compiled code drops a half-read value once rather than at every member (which was most of
/// the pack reader's size in the content core). The error is the one an early return would
/// have given, as members are read in the same order.
pub struct Errors(pub Option<WireError>);

impl Errors {
    pub fn note(&mut self, error: WireError) {
        self.0.get_or_insert(error);
    }

    pub fn or<T>(&mut self, read: Result<T, WireError>, stand_in: T) -> T {
        read.unwrap_or_else(|error| {
            self.note(error);
            stand_in
        })
    }

    /// `value`, or the first error noted while reading it.
    pub fn finish<T>(self, value: T) -> Result<T, WireError> {
        match self.0 {
            Some(error) => Err(error),
            None => Ok(value),
        }
    }

    /// A string member (empty when it is missing or not a string). One call per member instead
    /// of a `Result` built and unpacked at every member.
    #[inline(never)]
    pub fn string(&mut self, fields: &Fields, name: &str) -> String {
        self.or(fields.string(name), String::new())
    }

    /// An optional string member.
    #[inline(never)]
    pub fn opt_string(&mut self, fields: &Fields, name: &str) -> Option<String> {
        self.or(fields.opt_string(name), None)
    }

    /// A string member, borrowed (empty when it is missing or not a string).
    #[inline(never)]
    pub fn str<'a>(&mut self, fields: &Fields<'a>, name: &str) -> &'a str {
        self.or(fields.str(name), "")
    }

    /// An object member (no members when it is missing or not an object).
    #[inline(never)]
    pub fn object<'a>(&mut self, fields: &Fields<'a>, name: &str) -> Fields<'a> {
        self.or(fields.object(name), Fields(&[]))
    }

    /// `value` as an object (no members when it is not one).
    #[inline(never)]
    pub fn of<'a>(&mut self, value: &'a Json, what: &str) -> Fields<'a> {
        self.or(Fields::of(value, what), Fields(&[]))
    }

    /// A whole-number member (0 when it is missing or not one).
    #[inline(never)]
    pub fn u32(&mut self, fields: &Fields, name: &str) -> u32 {
        self.or(fields.u32(name), 0)
    }

    /// A number member (0 when it is missing or not one).
    #[inline(never)]
    pub fn number(&mut self, fields: &Fields, name: &str) -> f64 {
        self.or(fields.number(name), 0.0)
    }

    /// A `true` or `false` member (`false` when it is missing or not one).
    #[inline(never)]
    pub fn bool(&mut self, fields: &Fields, name: &str) -> bool {
        self.or(fields.bool(name), false)
    }
}

/// A list of strings; a missing one is empty.
pub fn list(e: &mut Errors, fields: &Fields, name: &str) -> Vec<String> {
    let items = e.or(fields.array(name), &[]);
    e.or(strings(items, name), Vec::new())
}

/// An optional object member, read with `read`.
pub fn optional<T>(
    e: &mut Errors,
    fields: &Fields,
    name: &str,
    read: fn(&mut Errors, Fields) -> T,
) -> Option<T> {
    let value = fields.get(name)?;
    match Fields::of(value, name) {
        Ok(fields) => Some(read(e, fields)),
        Err(error) => {
            e.note(error);
            None
        }
    }
}

pub fn as_str<'a>(value: &'a Json, what: &str) -> Result<&'a str, WireError> {
    match value {
        Json::String(text) => Ok(text),
        _ => Err(quoted("", what, ": expected a string")),
    }
}

fn as_number(value: &Json, what: &str) -> Result<f64, WireError> {
    match value {
        Json::Number(number) => Ok(*number),
        _ => Err(quoted("", what, ": expected a number")),
    }
}

fn as_u32(value: &Json, what: &str) -> Result<u32, WireError> {
    match value {
        Json::Number(number)
            if number.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(number) =>
        {
            Ok(*number as u32)
        }
        _ => Err(quoted("", what, ": expected a whole number")),
    }
}

/// A unit enum's names on the wire (serde's `rename_all` spelling).
pub trait WireName: Sized + Copy + 'static {
    /// Every variant with its name, for reading.
    const NAMES: &'static [(Self, &'static str)];

    fn wire_name(self) -> &'static str;

    fn from_wire_name(name: &str, what: &str) -> Result<Self, WireError> {
        Self::NAMES
            .iter()
            .find(|(_, known)| *known == name)
            .map(|(value, _)| *value)
            .ok_or_else(|| unknown_name(what, name))
    }
}

/// The error for a name no variant has; one copy for every [`WireName`] type (the message's
/// formatting code would otherwise be repeated in each).
#[inline(never)]
fn unknown_name(what: &str, name: &str) -> WireError {
    quoted("", what, ": unknown value ").then_quoted(name)
}

/// `<before>`<name>`<after>` as an error. Every reader's messages are written by this one
/// function: each `format!` brought its own copy of the arguments' setup.
#[inline(never)]
pub fn quoted(before: &str, name: &str, after: &str) -> WireError {
    let mut why = String::from(before);
    why.push('`');
    why.push_str(name);
    why.push('`');
    why.push_str(after);
    WireError(why)
}

impl WireError {
    /// The message with `` `name` `` added at its end.
    fn then_quoted(mut self, name: &str) -> WireError {
        self.0.push('`');
        self.0.push_str(name);
        self.0.push('`');
        self
    }
}

/// Implements [`WireName`] with an exhaustive `match`, so a new variant without a name does not
/// compile.
macro_rules! wire_names {
    ($($type:ident { $($variant:ident => $name:literal),+ $(,)? })+) => {
        $(impl WireName for $type {
            const NAMES: &'static [(Self, &'static str)] = &[$(($type::$variant, $name)),+];

            fn wire_name(self) -> &'static str {
                match self {
                    $($type::$variant => $name),+
                }
            }
        })+
    };
}
pub(crate) use wire_names;

/// A list of strings.
pub fn strings(items: &[Json], what: &str) -> Result<Vec<String>, WireError> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(as_str(item, what)?.to_owned());
    }
    Ok(out)
}

/// A member that holds one of `T`'s wire names.
pub fn named<T: WireName>(fields: &Fields, name: &str) -> Result<T, WireError> {
    T::from_wire_name(fields.str(name)?, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_as_serde(text: &str) {
        let ours = parse(text);
        let theirs: Result<serde_json::Value, _> = serde_json::from_str(text);
        match (ours, theirs) {
            (Ok(ours), Ok(theirs)) => assert_eq!(ours, from_serde(&theirs), "{text}"),
            (Err(_), Err(_)) => {}
            (ours, theirs) => panic!("{text}: ours {ours:?}, serde_json {theirs:?}"),
        }
    }

    fn from_serde(value: &serde_json::Value) -> Json {
        match value {
            serde_json::Value::Null => Json::Null,
            serde_json::Value::Bool(b) => Json::Bool(*b),
            serde_json::Value::Number(n) => Json::Number(n.as_f64().unwrap()),
            serde_json::Value::String(s) => Json::String(s.clone()),
            serde_json::Value::Array(items) => Json::Array(items.iter().map(from_serde).collect()),
            serde_json::Value::Object(members) => Json::Object(
                members
                    .iter()
                    .map(|(key, value)| (key.clone(), from_serde(value)))
                    .collect(),
            ),
        }
    }

    #[test]
    fn reads_what_serde_json_reads_and_refuses_what_it_refuses() {
        for text in [
            "null",
            " true ",
            "false",
            "0",
            "-0.5",
            "1e3",
            "2.5E-3",
            "1700000000000",
            "\"\"",
            r#""a\"b\\c\/d\b\f\n\r\t""#,
            r#""\u00e4\u20ac\ud83d\ude00""#,
            r#""\u00C4\uFFFD\uD83D\uDE00""#,
            "\"Grüße 👋\"",
            "[]",
            "[1, [2, [3]], {}]",
            r#"{"a": {"b": [true, null]}, "c": "d"}"#,
            // Refused by both.
            "",
            "nul",
            "01",
            "1.",
            ".5",
            "+1",
            "1e",
            "-",
            "[1,]",
            "[1 2]",
            r#"{"a" 1}"#,
            r#"{"a": 1,}"#,
            r#"{a: 1}"#,
            "\"unterminated",
            "\"tab\there\"",
            r#""\x""#,
            r#""\u12""#,
            r#""\u00g1""#,
            r#""\u+041""#,
            r#""\u-041""#,
            r#""\u 041""#,
            "\"\\u00ä\"",
            r#""\ud83d""#,
            r#""\ude00""#,
            r#""\ud83d\u0041""#,
            "1e999",
            "[1] 2",
            "{} x",
        ] {
            same_as_serde(text);
        }
    }

    #[test]
    fn numbers_are_exact_where_the_channel_needs_it_and_close_elsewhere() {
        let read = |text: &str| match parse(text).unwrap() {
            Json::Number(number) => number,
            other => panic!("{other:?}"),
        };
        // Exact: whole numbers below 2^53 and short decimals, as serde_json writes times.
        for text in [
            "0",
            "-0",
            "7",
            "4294967295",
            "1700000000000",
            "1700000000000.5",
            "9007199254740991",
            "0.1",
            "2.5e-3",
            "123.456",
            "1e22",
            "-1.5E+3",
            "0.000001",
            "0.30000000000000004",
        ] {
            let expected: f64 = text.parse().unwrap();
            if text.len() < 17 {
                assert_eq!(read(text), expected, "{text}");
            } else {
                assert!(
                    (read(text) - expected).abs() <= expected.abs() * 1e-15,
                    "{text}"
                );
            }
        }
        // Close: long mantissas and far exponents.
        for text in [
            "123456789012345678901234567890",
            "1.5e308",
            "2.2250738585072014e-308",
            "5e-324",
            "0.1234567890123456789012345",
            "1e-999",
        ] {
            let expected: f64 = text.parse().unwrap();
            let ours = read(text);
            assert!(
                (ours - expected).abs() <= expected.abs() * 1e-14 + 1e-320,
                "{text}: {ours} vs {expected}"
            );
        }
        assert!(parse("1e309").is_err());
        assert!(parse("-1e999").is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = "[".repeat(100_000);
        assert!(parse(&deep).is_err());
        let fine = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&fine).is_ok());
    }

    #[test]
    fn written_strings_read_back_in_serde_json() {
        for text in [
            "",
            "plain",
            "quote \" backslash \\ slash /",
            "lines\nand\ttabs\r",
            "\u{0}\u{1}\u{1f}\u{7f}",
            "<script>alert(1)</script>",
            "\u{202e}reversed\u{2066}",
            "Grüße 👋 — „Gruppe“",
        ] {
            let mut out = String::new();
            write_string(&mut out, text);
            assert_eq!(serde_json::from_str::<String>(&out).unwrap(), text);
            assert_eq!(parse(&out).unwrap(), Json::String(text.into()));
        }
    }

    #[test]
    fn integers_are_written_whole() {
        for (number, text) in [
            (0, "0"),
            (42, "42"),
            (-7, "-7"),
            (1_700_000_000_123, "1700000000123"),
        ] {
            let mut out = String::new();
            write_integer(&mut out, number);
            assert_eq!(out, text, "{number}");
        }
        let mut out = String::new();
        write_integer(&mut out, i64::MIN);
        assert_eq!(out, i64::MIN.to_string());
    }

    #[test]
    fn fields_give_typed_values_and_name_what_is_wrong() {
        let value =
            parse(r#"{"s": "x", "n": 3, "f": 1.5, "b": true, "z": null, "a": [1]}"#).unwrap();
        let fields = Fields::of(&value, "test").unwrap();
        assert_eq!(fields.str("s").unwrap(), "x");
        assert_eq!(fields.u32("n").unwrap(), 3);
        assert_eq!(fields.number("f").unwrap(), 1.5);
        assert!(fields.bool("b").unwrap());
        assert_eq!(fields.opt_string("z").unwrap(), None);
        assert_eq!(fields.opt_string("missing").unwrap(), None);
        assert_eq!(fields.array("a").unwrap().len(), 1);
        assert!(fields.array("missing").unwrap().is_empty());
        assert_eq!(
            fields.u32("f").unwrap_err().to_string(),
            "`f`: expected a whole number"
        );
        assert_eq!(
            fields.str("n").unwrap_err().to_string(),
            "`n`: expected a string"
        );
        assert_eq!(
            fields.str("missing").unwrap_err().to_string(),
            "missing field `missing`"
        );
        assert!(fields.u32("missing").is_err());
    }
}
