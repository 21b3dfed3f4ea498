//! JSON description files: strict JSON through jsonc-parser's AST, to a [`Value`] tree and spans.
//!
//! jsonc-parser is lenient by default (comments, trailing commas, single quotes, …); every
//! `allow_*` option is switched off here. Two leniencies have no option and are checked after
//! parsing: raw control characters inside strings, and Unicode whitespace (U+00A0, U+2028, …)
//! between tokens. A leading byte-order mark is skipped, as editors on Windows write one.
//!
//! jsonc-parser recurses once per nesting level but stops by itself at 512 levels, which fits a
//! 2 MiB stack (measured, debug build); [`MAX_DEPTH`] is enforced while converting.

use embedguard_core::value::{Member, Number, Value};
use jsonc_parser::ast;
use jsonc_parser::errors::{ParseError, ParseErrorKind};
use jsonc_parser::{CollectOptions, ParseOptions};

use super::span::{Children, NodeSpan, ObjectChildren, Span, SpanTable, SpanTree};
use super::{Document, SyntaxError, MAX_DEPTH};

const BYTE_ORDER_MARK: char = '\u{feff}';

/// Parses one JSON text.
pub(super) fn parse(text: &str) -> Result<Document, SyntaxError> {
    let base = if text.starts_with(BYTE_ORDER_MARK) {
        BYTE_ORDER_MARK.len_utf8()
    } else {
        0
    };
    let body = text.get(base..).unwrap_or_default();
    let parsed = jsonc_parser::parse_to_ast(body, &CollectOptions::default(), &strict())
        .map_err(|e| parse_error(&e, base))?;
    check_characters(body, base)?;
    let Some(root) = parsed.value else {
        return Err(SyntaxError {
            message: "expected a JSON value".into(),
            span: Span::at(text.len()),
        });
    };
    let converter = Converter { base };
    let (value, span, tree) = converter.convert(&root, 1)?;
    Ok(Document {
        value,
        spans: SpanTable::new(span, tree),
    })
}

/// RFC 8259 JSON: no comments, trailing commas, single quotes, bare names, hex, `+1`, `.5`,
/// `NaN` or JSON5 escapes.
fn strict() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

fn parse_error(e: &ParseError, base: usize) -> SyntaxError {
    let range = e.range();
    let span = Span::new(range.start + base, range.end.max(range.start) + base);
    let message = match e.kind() {
        ParseErrorKind::NestingDepthExceeded => depth_message(),
        kind => super::lowercase_first(&kind.to_string()),
    };
    SyntaxError { message, span }
}

fn depth_message() -> String {
    format!("nesting is deeper than {MAX_DEPTH} levels")
}

/// Refuses what jsonc-parser accepts but JSON does not: control characters in strings and
/// whitespace other than space, tab, line feed and carriage return between tokens. Runs on text
/// the strict parser accepted, so quotes and escapes are well-formed.
fn check_characters(body: &str, base: usize) -> Result<(), SyntaxError> {
    let mut in_string = false;
    let mut escaped = false;
    for (offset, c) in body.char_indices() {
        let problem = if in_string {
            match c {
                _ if escaped => {
                    escaped = false;
                    None
                }
                '\\' => {
                    escaped = true;
                    None
                }
                '"' => {
                    in_string = false;
                    None
                }
                c if c < ' ' => Some(format!(
                    "control character U+{:04X} must be escaped in a JSON string",
                    u32::from(c)
                )),
                _ => None,
            }
        } else {
            match c {
                '"' => {
                    in_string = true;
                    None
                }
                ' ' | '\t' | '\n' | '\r' => None,
                c if c.is_whitespace() || c.is_control() || !c.is_ascii() => Some(format!(
                    "character U+{:04X} is not JSON whitespace",
                    u32::from(c)
                )),
                _ => None,
            }
        };
        if let Some(message) = problem {
            let start = base + offset;
            return Err(SyntaxError {
                message,
                span: Span::new(start, start + c.len_utf8()),
            });
        }
    }
    Ok(())
}

struct Converter {
    /// Bytes skipped before the text jsonc-parser saw (the byte-order mark).
    base: usize,
}

impl Converter {
    fn span(&self, range: jsonc_parser::common::Range) -> Span {
        Span::new(range.start + self.base, range.end + self.base)
    }

    /// Converts `node`, which sits at nesting `depth` (the root collection is at depth 1).
    fn convert(
        &self,
        node: &ast::Value<'_>,
        depth: usize,
    ) -> Result<(Value, Span, SpanTree), SyntaxError> {
        let converted = match node {
            ast::Value::StringLit(s) => (
                Value::String(s.value.to_string()),
                self.span(s.range),
                SpanTree::Scalar,
            ),
            ast::Value::NumberLit(n) => (
                Value::Number(number(n.value)),
                self.span(n.range),
                SpanTree::Scalar,
            ),
            ast::Value::BooleanLit(b) => {
                (Value::Bool(b.value), self.span(b.range), SpanTree::Scalar)
            }
            ast::Value::NullKeyword(n) => (Value::Null, self.span(n.range), SpanTree::Scalar),
            ast::Value::Array(array) => {
                let span = self.check_depth(array.range, depth)?;
                let mut items = Vec::with_capacity(array.elements.len());
                let mut spans = Children::default();
                for element in &array.elements {
                    let (value, value_span, tree) = self.convert(element, depth + 1)?;
                    items.push(value);
                    spans.push(
                        NodeSpan {
                            key: None,
                            value: value_span,
                        },
                        tree,
                    );
                }
                (Value::Array(items), span, SpanTree::Array(spans))
            }
            ast::Value::Object(object) => {
                let span = self.check_depth(object.range, depth)?;
                let mut members = Vec::with_capacity(object.properties.len());
                let mut spans = ObjectChildren::default();
                for property in &object.properties {
                    let (key, key_range) = match &property.name {
                        ast::ObjectPropName::String(name) => (name.value.to_string(), name.range),
                        // Unreachable with `allow_loose_object_property_names: false`; kept total.
                        ast::ObjectPropName::Word(word) => (word.value.to_string(), word.range),
                    };
                    let (value, value_span, tree) = self.convert(&property.value, depth + 1)?;
                    spans.push(
                        &key,
                        NodeSpan {
                            key: Some(self.span(key_range)),
                            value: value_span,
                        },
                        tree,
                    );
                    members.push(Member { key, value });
                }
                (Value::Object(members), span, SpanTree::Object(spans))
            }
        };
        Ok(converted)
    }

    fn check_depth(
        &self,
        range: jsonc_parser::common::Range,
        depth: usize,
    ) -> Result<Span, SyntaxError> {
        let span = self.span(range);
        if depth > MAX_DEPTH {
            return Err(SyntaxError {
                message: depth_message(),
                span,
            });
        }
        Ok(span)
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
        text: text.to_string(),
        value,
        integer,
    }
}

#[cfg(test)]
mod tests {
    use embedguard_core::value::Pointer;

    use super::*;
    use crate::source::tests::located;
    use crate::source::LineIndex;

    fn doc(src: &str) -> Document {
        match parse(src) {
            Ok(doc) => doc,
            Err(e) => panic!("{src:?} failed: {e:?}"),
        }
    }

    fn fail(src: &str) -> SyntaxError {
        match parse(src) {
            Ok(doc) => panic!("{src:?} parsed: {:?}", doc.value),
            Err(e) => e,
        }
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
            .get(&Pointer::root())
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
        let members = d.spans.member_spans(&Pointer::root()).unwrap_or_default();
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
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let src = "\u{feff}{\"a\": true}";
        let d = doc(src);
        assert_eq!(
            d.spans.get(&Pointer::root().key("a")).map(|s| s.value),
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
            (depth_message(), Span::new(MAX_DEPTH, MAX_DEPTH + 2))
        );
        let objects = format!(
            "{}1{}",
            "{\"a\":".repeat(MAX_DEPTH + 1),
            "}".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(fail(&objects).span.start, 5 * MAX_DEPTH);
    }
}
