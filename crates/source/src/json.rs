//! JSON description files: strict RFC 8259 JSON, read in one pass straight to a [`Value`] tree
//! and its spans.
//!
//! Hand-written rather than through a general parser: JSON's grammar is small, and reading it
//! directly is what every request costs — jsonc-parser's AST, the pass that refused what it
//! lets through (control characters in strings, Unicode whitespace) and the conversion were
//! 4.3× the serde_json floor (bench/). Errors name the leniency people expect from other tools
//! (comments, trailing commas, single quotes, hex, `+1`, `.5`) rather than just "unexpected".
//!
//! A leading byte-order mark is skipped, as editors on Windows write one. Nesting deeper than
//! [`MAX_DEPTH`] is refused before recursing, so the stack is bounded.

use embedguard_core::value::{Member, Number, Value};

mod wire_entry;

pub use wire_entry::WireEntry;

use super::span::{Children, NodeSpan, ObjectChildren, Span, SpanTable, SpanTree};
use super::{Document, SyntaxError, MAX_DEPTH};

const BYTE_ORDER_MARK: char = '\u{feff}';

/// Parses one JSON text, with the span of every node.
pub(super) fn parse(text: &str) -> Result<Document, SyntaxError> {
    let (value, span, tree) = read(text, true)?;
    Ok(Document {
        value,
        spans: SpanTable::new(span, tree),
    })
}

/// Parses one JSON text without keeping the nodes' spans: for a caller that reports findings
/// by pointer alone (the gateway). Accepts and refuses exactly what [`parse`] does.
pub(super) fn parse_value(text: &str) -> Result<Value, SyntaxError> {
    read(text, false).map(|(value, _, _)| value)
}

/// Reads a `/v1/decide` body that is exactly a wire request without its outer tree; `None` for
/// any other text (see [`wire_entry`]).
pub(super) fn parse_wire_entry(text: &str) -> Option<WireEntry<'_>> {
    wire_entry::read(text)
}

fn read(text: &str, spans: bool) -> Result<Read, SyntaxError> {
    let base = if text.starts_with(BYTE_ORDER_MARK) {
        BYTE_ORDER_MARK.len_utf8()
    } else {
        0
    };
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: base,
        spans,
    };
    reader.skip_whitespace()?;
    if reader.at >= reader.bytes.len() {
        return Err(SyntaxError {
            message: "expected a JSON value".into(),
            span: Span::at(text.len()),
        });
    }
    let (value, span, tree) = reader.value(1)?;
    reader.skip_whitespace()?;
    if reader.at < reader.bytes.len() {
        return Err(reader.error_here("text cannot contain more than one JSON value"));
    }
    Ok((value, span, tree))
}

/// Whether any of the eight bytes packed in `x` is a quote, a backslash or a control character
/// (below U+0020). Exact when `false`; a `true` may be a false alarm, which the byte-wise scan
/// after it settles.
fn may_end_run(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS != 0;
    has_zero(x ^ (ONES * u64::from(b'"')))
        || has_zero(x ^ (ONES * u64::from(b'\\')))
        || x.wrapping_sub(ONES * 0x20) & !x & HIGHS != 0
}

fn depth_message() -> String {
    format!("nesting is deeper than {MAX_DEPTH} levels")
}

/// A position in the text being read.
struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    /// Whether to keep the spans of collections' children.
    spans: bool,
}

/// What a value read gives: the value, its span, and the spans below it.
type Read = (Value, Span, SpanTree);

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn error_at(&self, at: usize, len: usize, message: impl Into<String>) -> SyntaxError {
        // A span of so many bytes may end inside a char (`\u00` then `é`): widen it to the
        // char's end. `at` is always the position of an ASCII byte, or the end.
        let mut end = (at + len).min(self.bytes.len());
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        SyntaxError {
            message: message.into(),
            span: Span::new(at, end),
        }
    }

    /// An error about the char at the current position (or the end of the text).
    fn error_here(&self, message: impl Into<String>) -> SyntaxError {
        let len = self.text[self.at..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        self.error_at(self.at, len, message)
    }

    /// The error for a char that cannot start or continue anything here, naming what people
    /// write by habit from JavaScript, JSON5 or YAML.
    fn unexpected(&self) -> SyntaxError {
        let rest = &self.text[self.at..];
        let Some(c) = rest.chars().next() else {
            return self.error_here("unexpected end of text");
        };
        let message = match c {
            '/' if rest.starts_with("//") || rest.starts_with("/*") => {
                "comments are not allowed".to_string()
            }
            '\'' => "single-quoted strings are not allowed".to_string(),
            '+' => "unary plus on numbers is not allowed".to_string(),
            '.' => "leading or trailing decimal points on numbers are not allowed".to_string(),
            c if c.is_whitespace() || c.is_control() => {
                format!("character U+{:04X} is not JSON whitespace", u32::from(c))
            }
            _ => "unexpected token".to_string(),
        };
        self.error_here(message)
    }

    /// Skips JSON whitespace: space, tab, line feed, carriage return.
    #[inline]
    fn skip_whitespace(&mut self) -> Result<(), SyntaxError> {
        // Most calls stand at a token already (compact JSON): settled without the loop.
        match self.peek() {
            Some(b'!'..=b'.' | b'0'..=b'~') => Ok(()),
            _ => self.skip_whitespace_run(),
        }
    }

    /// [`Reader::skip_whitespace`] past a run of whitespace, or to the error for what is not.
    fn skip_whitespace_run(&mut self) -> Result<(), SyntaxError> {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' => self.at += 1,
                b'/' => return Err(self.unexpected()),
                _ if !b.is_ascii() || b.is_ascii_control() => {
                    let c = self.text[self.at..].chars().next().unwrap_or(' ');
                    if c.is_whitespace() || c.is_control() || !c.is_ascii() {
                        return Err(self.error_here(format!(
                            "character U+{:04X} is not JSON whitespace",
                            u32::from(c)
                        )));
                    }
                    return Ok(());
                }
                _ => return Ok(()),
            }
        }
        Ok(())
    }

    /// Reads the value at the current position, which is at nesting `depth` (the root
    /// collection is at depth 1).
    fn value(&mut self, depth: usize) -> Result<Read, SyntaxError> {
        let start = self.at;
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let text = self.string()?;
                Ok((
                    Value::String(text),
                    Span::new(start, self.at),
                    SpanTree::Scalar,
                ))
            }
            Some(b'-' | b'0'..=b'9') => {
                let number = self.number()?;
                Ok((
                    Value::Number(number),
                    Span::new(start, self.at),
                    SpanTree::Scalar,
                ))
            }
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            _ => Err(self.unexpected()),
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Read, SyntaxError> {
        let start = self.at;
        let end = start + word.len();
        let followed_by_word = self
            .bytes
            .get(end)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
        if self.bytes.get(start..end) != Some(word.as_bytes()) || followed_by_word {
            return Err(self.unexpected());
        }
        self.at = end;
        Ok((value, Span::new(start, end), SpanTree::Scalar))
    }

    /// Refuses a collection opening at the current position deeper than [`MAX_DEPTH`].
    fn check_depth(&self, depth: usize) -> Result<(), SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error_at(self.at, 1, depth_message()));
        }
        Ok(())
    }

    /// After a `,`: a closing bracket here is a trailing comma, which JSON does not allow.
    fn after_comma(&mut self, comma: usize, close: u8) -> Result<(), SyntaxError> {
        self.skip_whitespace()?;
        if self.peek() == Some(close) {
            return Err(self.error_at(comma, 1, "trailing commas are not allowed"));
        }
        Ok(())
    }

    fn array(&mut self, depth: usize) -> Result<Read, SyntaxError> {
        self.check_depth(depth)?;
        let start = self.at;
        self.at += 1;
        let mut items = Vec::new();
        let mut spans = Children::default();
        self.skip_whitespace()?;
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok((
                Value::Array(items),
                Span::new(start, self.at),
                SpanTree::Array(spans),
            ));
        }
        loop {
            let (value, span, tree) = self.value(depth + 1)?;
            items.push(value);
            if self.spans {
                spans.push(
                    NodeSpan {
                        key: None,
                        value: span,
                    },
                    tree,
                );
            }
            let end_of_item = self.at;
            self.skip_whitespace()?;
            match self.peek() {
                Some(b',') => {
                    let comma = self.at;
                    self.at += 1;
                    self.after_comma(comma, b']')?;
                }
                Some(b']') => {
                    self.at += 1;
                    return Ok((
                        Value::Array(items),
                        Span::new(start, self.at),
                        SpanTree::Array(spans),
                    ));
                }
                None => return Err(self.error_at(start, 1, "unterminated array: no `]`")),
                Some(_) => return Err(self.error_at(end_of_item, 1, "expected comma")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Read, SyntaxError> {
        self.check_depth(depth)?;
        let start = self.at;
        self.at += 1;
        let mut members = Vec::new();
        let mut spans = ObjectChildren::default();
        self.skip_whitespace()?;
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok((
                Value::Object(members),
                Span::new(start, self.at),
                SpanTree::Object(spans),
            ));
        }
        loop {
            let key_start = self.at;
            match self.peek() {
                Some(b'"') => {}
                Some(b'\'' | b'/') => return Err(self.unexpected()),
                None => return Err(self.error_at(start, 1, "unterminated object: no `}`")),
                Some(_) => return Err(self.error_here("expected string for object property")),
            }
            let key = self.string()?;
            let key_span = Span::new(key_start, self.at);
            self.skip_whitespace()?;
            if self.peek() != Some(b':') {
                return Err(self.error_at(key_span.end, 1, "expected colon"));
            }
            self.at += 1;
            self.skip_whitespace()?;
            if self.at >= self.bytes.len() {
                return Err(self.error_here("expected a value"));
            }
            let (value, value_span, tree) = self.value(depth + 1)?;
            if self.spans {
                spans.push(
                    NodeSpan {
                        key: Some(key_span),
                        value: value_span,
                    },
                    tree,
                );
            }
            members.push(Member { key, value });
            let end_of_member = self.at;
            self.skip_whitespace()?;
            match self.peek() {
                Some(b',') => {
                    let comma = self.at;
                    self.at += 1;
                    self.after_comma(comma, b'}')?;
                }
                Some(b'}') => {
                    self.at += 1;
                    return Ok((
                        Value::Object(members),
                        Span::new(start, self.at),
                        SpanTree::Object(spans),
                    ));
                }
                None => return Err(self.error_at(start, 1, "unterminated object: no `}`")),
                Some(_) => return Err(self.error_at(end_of_member, 1, "expected comma")),
            }
        }
    }

    /// Reads the string whose opening quote is at the current position; leaves the position
    /// after its closing quote.
    fn string(&mut self) -> Result<String, SyntaxError> {
        let open = self.at;
        self.at += 1;
        let run_start = self.at;
        // The common case: no escape, one copy of the run.
        self.skip_plain();
        match self.peek() {
            Some(b'"') => {
                let text = self.text[run_start..self.at].to_string();
                self.at += 1;
                return Ok(text);
            }
            Some(b'\\') => {}
            Some(_) => return Err(self.control_character()),
            None => return Err(self.error_at(open, 1, "unterminated string literal")),
        }
        let mut out = String::from(&self.text[run_start..self.at]);
        loop {
            let run = self.at;
            self.skip_plain();
            out.push_str(&self.text[run..self.at]);
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => out.push(self.escape()?),
                Some(_) => return Err(self.control_character()),
                None => return Err(self.error_at(open, 1, "unterminated string literal")),
            }
        }
    }

    /// Moves past the chars of a string that stand for themselves, to the next quote,
    /// backslash or control character (or the end).
    fn skip_plain(&mut self) {
        // Eight bytes at a time while none of them can end the run (ids, paths and names are
        // long runs), then byte by byte.
        while let Some(chunk) = self
            .bytes
            .get(self.at..self.at + 8)
            .and_then(|c| <[u8; 8]>::try_from(c).ok())
        {
            if may_end_run(u64::from_le_bytes(chunk)) {
                break;
            }
            self.at += 8;
        }
        let rest = self.bytes.get(self.at..).unwrap_or_default();
        self.at += rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
            .unwrap_or(rest.len());
    }

    fn control_character(&self) -> SyntaxError {
        let b = self.bytes.get(self.at).copied().unwrap_or(0);
        self.error_at(
            self.at,
            1,
            format!("control character U+{b:04X} must be escaped in a JSON string"),
        )
    }

    /// Reads the escape at the current position (a backslash) and returns the char it stands
    /// for; a surrogate pair is one char, a lone surrogate an error.
    fn escape(&mut self) -> Result<char, SyntaxError> {
        let start = self.at;
        let c = match self.bytes.get(start + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let high = self.hex4(start + 2)?;
                self.at = start + 6;
                return match high {
                    0xD800..=0xDBFF => {
                        let low = if self.bytes.get(self.at..self.at + 2) == Some(b"\\u") {
                            self.hex4(self.at + 2)?
                        } else {
                            0
                        };
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(self.bad_unicode(start));
                        }
                        self.at += 6;
                        let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                        char::from_u32(code).ok_or_else(|| self.bad_unicode(start))
                    }
                    0xDC00..=0xDFFF => Err(self.bad_unicode(start)),
                    code => char::from_u32(code).ok_or_else(|| self.bad_unicode(start)),
                };
            }
            _ => return Err(self.error_at(start, 2, "invalid escape")),
        };
        self.at = start + 2;
        Ok(c)
    }

    fn hex4(&self, at: usize) -> Result<u32, SyntaxError> {
        let digits = self
            .bytes
            .get(at..at + 4)
            .filter(|d| d.iter().all(u8::is_ascii_hexdigit))
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| u32::from_str_radix(d, 16).ok());
        digits.ok_or_else(|| self.bad_unicode(at.saturating_sub(2)))
    }

    fn bad_unicode(&self, at: usize) -> SyntaxError {
        self.error_at(
            at,
            6,
            "invalid unicode escape sequence: a `\\u` escape needs four hex digits, and a \
             surrogate (`\\ud800`-`\\udfff`) only counts as half of a pair",
        )
    }

    /// Reads a number (RFC 8259: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`).
    fn number(&mut self) -> Result<Number, SyntaxError> {
        let start = self.at;
        let digits = |r: &mut Self| {
            let from = r.at;
            while r.peek().is_some_and(|b| b.is_ascii_digit()) {
                r.at += 1;
            }
            r.at - from
        };
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.at += 1;
                if matches!(self.peek(), Some(b'x' | b'X')) {
                    return Err(self.error_at(
                        start,
                        self.at + 1 - start,
                        "hexadecimal numbers are not allowed",
                    ));
                }
            }
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(self.unexpected()),
        }
        if self.peek() == Some(b'.') {
            let dot = self.at;
            self.at += 1;
            if digits(self) == 0 {
                return Err(self.error_at(
                    dot,
                    1,
                    "leading or trailing decimal points on numbers are not allowed",
                ));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if digits(self) == 0 {
                return Err(self.error_here("expected digits after the exponent"));
            }
        }
        Ok(number(&self.text[start..self.at]))
    }
}

/// A JSON number: an integer when spelled as one and it fits `i64`, else a float.
fn number(text: &str) -> Number {
    let integer = if text.contains(['.', 'e', 'E']) {
        None
    } else {
        text.parse().ok()
    };
    // JSON's number syntax is a subset of Rust's float syntax; overflow gives ±inf.
    let value = text.parse().unwrap_or(f64::NAN);
    Number {
        text: text.into(),
        value,
        integer,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_eight_byte_scan_never_misses_the_end_of_a_run() {
        for b in 0..=255u8 {
            let ends = b == b'"' || b == b'\\' || b < 0x20;
            for at in 0..8 {
                let mut chunk = *b"abcdefgh";
                chunk[at] = b;
                let found = may_end_run(u64::from_le_bytes(chunk));
                assert!(found || !ends, "byte {b:#04x} at {at} missed");
                if at == 0 {
                    // With nothing before it to borrow from, the lowest byte is exact.
                    assert_eq!(found, ends, "byte {b:#04x}");
                }
            }
        }
        assert!(!may_end_run(u64::from_le_bytes(*b"3f6c1e2a")));
        assert!(!may_end_run(u64::from_le_bytes(
            *"é/Génér".as_bytes().first_chunk().unwrap()
        )));
    }

    use embedguard_core::value::Pointer;

    use super::*;
    use crate::tests::located;
    use crate::LineIndex;

    fn doc(src: &str) -> Document {
        crate::tests::parsed(parse, src)
    }

    fn fail(src: &str) -> SyntaxError {
        crate::tests::refused(parse, src)
    }

    fn number_of(v: Option<&Value>) -> Option<(&str, f64, Option<i64>)> {
        match v? {
            Value::Number(n) => Some((n.text.as_str(), n.value, n.integer)),
            _ => None,
        }
    }

    #[test]
    fn spans_of_keys_and_values() {
        let src = concat!(
            "{\n",
            "  \"identities\": [\n",
            "    {\"username\": \"alice\", \"roles\": [\"viewer\"]},\n",
            "    {\"username\": \"bé\"}\n",
            "  ],\r\n",
            "  \"accessLevel\": \"View\"\n",
            "}\n",
        );
        let d = doc(src);
        assert_eq!(
            located(src, &d, "/identities/0/username"),
            (
                Some((3, 6, "\"username\"".into())),
                (3, 18, "\"alice\"".into())
            )
        );
        assert_eq!(
            located(src, &d, "/identities/0/roles/0"),
            (None, (3, 37, "\"viewer\"".into()))
        );
        assert_eq!(
            located(src, &d, "/identities/1").1,
            (4, 5, "{\"username\": \"bé\"}".into())
        );
        assert_eq!(
            located(src, &d, "/accessLevel"),
            (
                Some((6, 3, "\"accessLevel\"".into())),
                (6, 18, "\"View\"".into())
            )
        );
        assert_eq!(located(src, &d, "").1 .0, 1);
        let index = LineIndex::new(src);
        let root = d
            .spans
            .get(&d.value, &Pointer::root())
            .map(|s| index.line_col(s.value.end));
        assert_eq!(root, Some((7, 2)));
    }

    #[test]
    fn duplicate_and_escaped_keys() {
        let src = r#"{"accessLevel": "View", "\u0061ccessLevel": "Edit", "a/b": 1}"#;
        let d = doc(src);
        let keys: Vec<&str> = d
            .value
            .as_object()
            .unwrap_or_default()
            .iter()
            .map(|m| m.key.as_str())
            .collect();
        assert_eq!(keys, ["accessLevel", "accessLevel", "a/b"]);
        assert_eq!(located(src, &d, "/accessLevel").1 .2, "\"View\"");
        let members = d
            .spans
            .member_spans(&d.value, &Pointer::root())
            .unwrap_or_default();
        let texts: Vec<(&str, &str)> = members
            .iter()
            .map(|m| {
                (
                    m.key.map_or("", |k| &src[k.start..k.end]),
                    &src[m.value.start..m.value.end],
                )
            })
            .collect();
        assert_eq!(
            texts,
            [
                ("\"accessLevel\"", "\"View\""),
                ("\"\\u0061ccessLevel\"", "\"Edit\""),
                ("\"a/b\"", "1")
            ]
        );
        assert_eq!(located(src, &d, "/a~1b").1 .2, "1");
    }

    #[test]
    fn numbers_keep_their_spelling() {
        let d =
            doc(r#"{"a": 10, "b": -0, "c": 1e3, "d": 1.0, "e": 12345678901234567890, "f": 1e999}"#);
        assert_eq!(number_of(d.value.get("a")), Some(("10", 10.0, Some(10))));
        assert_eq!(number_of(d.value.get("b")), Some(("-0", -0.0, Some(0))));
        assert_eq!(number_of(d.value.get("c")), Some(("1e3", 1000.0, None)));
        assert_eq!(number_of(d.value.get("d")), Some(("1.0", 1.0, None)));
        assert_eq!(
            number_of(d.value.get("e")),
            Some(("12345678901234567890", 1.2345678901234567e19, None))
        );
        assert_eq!(
            number_of(d.value.get("f")),
            Some(("1e999", f64::INFINITY, None))
        );
        assert_eq!(doc("\"00123\"").value, Value::String("00123".into()));
    }

    #[test]
    fn strict_json_only() {
        for (src, message, start) in [
            ("{\"a\": 1 // c\n}", "comments are not allowed", 8),
            ("[1,]", "trailing commas are not allowed", 2),
            ("['a']", "single-quoted strings are not allowed", 1),
            ("{a: 1}", "expected string for object property", 1),
            ("[0x1]", "hexadecimal numbers are not allowed", 1),
            ("[+1]", "unary plus on numbers is not allowed", 1),
            (
                "[.5]",
                "leading or trailing decimal points on numbers are not allowed",
                1,
            ),
            ("[NaN]", "unexpected token", 1),
            ("[1 2]", "expected comma", 2),
            ("[\"\\x41\"]", "invalid escape", 2),
            ("01", "text cannot contain more than one JSON value", 1),
            ("{} {}", "text cannot contain more than one JSON value", 3),
            (
                "[\"a\tb\"]",
                "control character U+0009 must be escaped in a JSON string",
                3,
            ),
            ("[1,\u{a0}2]", "character U+00A0 is not JSON whitespace", 3),
            ("\u{b}1", "character U+000B is not JSON whitespace", 0),
            ("", "expected a JSON value", 0),
            (" \n", "expected a JSON value", 2),
        ] {
            let e = fail(src);
            assert_eq!(
                (e.message.as_str(), e.span.start),
                (message, start),
                "{src:?}"
            );
        }
        assert!(fail("[\"\\ud800\"]")
            .message
            .starts_with("invalid unicode escape sequence"));
        // Found by fuzzing: six bytes from the backslash ended inside the `ˊ` (2 bytes).
        let src = "[\"\\u000\u{2ca}\"]";
        let e = fail(src);
        assert_eq!(e.span, Span::new(2, 9), "{e:?}");
        assert!(src.is_char_boundary(e.span.end));
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let src = "\u{feff}{\"a\": true}";
        let d = doc(src);
        assert_eq!(
            d.spans
                .get(&d.value, &Pointer::root().key("a"))
                .map(|s| s.value),
            Some(Span::new(9, 13))
        );
        assert_eq!(fail("\u{feff}[1,]").span, Span::new(5, 6));
    }

    #[test]
    fn depth_limit() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let e = fail(&deep);
        assert_eq!(
            (e.message, e.span),
            (depth_message(), Span::new(MAX_DEPTH, MAX_DEPTH + 1))
        );
        let objects = format!(
            "{}1{}",
            "{\"a\":".repeat(MAX_DEPTH + 1),
            "}".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(fail(&objects).span.start, 5 * MAX_DEPTH);
    }
}
