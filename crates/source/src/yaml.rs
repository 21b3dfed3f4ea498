//! YAML description files: saphyr-parser events to a [`Value`] tree and its spans.
//!
//! The tree is built from the parser's event stream (not from a loader) so that duplicate keys
//! survive, every key keeps its own span, and anchors, aliases, extra documents and unknown tags
//! can be refused where they are written.
//!
//! Deep nesting, measured with saphyr-parser 0.3.4 on a thread with a 2 MiB stack:
//! - The pull API used here (`Parser::next_event`) keeps its states in a heap `Vec` and does not
//!   recurse: 100,000 levels of `- - - … x` (200 KB) stream out all 200,005 events, debug build
//!   included. No pre-scan is needed; the builder below uses an explicit stack and stops at
//!   [`MAX_DEPTH`].
//! - The push API (`Parser::load`, which saphyr's own loaders use) recurses once per level and
//!   overflows a 2 MiB stack at 1,000 levels in a debug build — an abort, not an error. Never
//!   call it on untrusted input.
//! - Flow collections: the scanner stops by itself at 255 levels of `[`/`{` ("recursion limit
//!   exceeded"); below that, this builder's own limit applies.

use std::borrow::Cow;

use embedguard_core::value::{Member, Value};
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};

use super::scalar::{resolve_plain, resolve_tagged, CoreTag};
use super::span::{Children, NodeSpan, ObjectChildren, Span, SpanTable, SpanTree};
use super::{Document, SyntaxError, MAX_DEPTH};

/// Tag handle of the YAML core schema (`!!` expands to it).
const CORE_SCHEMA: &str = "tag:yaml.org,2002:";

/// Parses one YAML document.
pub(super) fn parse(text: &str) -> Result<Document, SyntaxError> {
    let offsets = CharOffsets::new(text);
    let mut builder = Builder {
        text,
        stack: Vec::new(),
        root: None,
        documents: 0,
    };
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| scan_error(&e, &offsets))?;
        let span = Span::new(
            offsets.byte(span.start.index()),
            offsets.byte(span.end.index()),
        );
        builder.on_event(event, span)?;
    }
    builder.finish()
}

/// Builds the tree from events, one open collection per stack frame.
struct Builder<'t> {
    text: &'t str,
    stack: Vec<Frame>,
    root: Option<(Value, Span, SpanTree)>,
    documents: usize,
}

/// A collection whose end has not been seen yet.
struct Frame {
    start: usize,
    /// The furthest end of anything seen in it so far.
    end: usize,
    kind: FrameKind,
}

enum FrameKind {
    Sequence {
        items: Vec<Value>,
        spans: Children,
    },
    Mapping {
        members: Vec<Member>,
        spans: ObjectChildren,
        key: Option<(String, Span)>,
    },
}

impl Builder<'_> {
    fn on_event(&mut self, event: Event<'_>, span: Span) -> Result<(), SyntaxError> {
        match event {
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => Ok(()),
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(error(
                        span,
                        "only one YAML document is allowed in a description file",
                    ));
                }
                Ok(())
            }
            Event::Alias(_) => Err(anchor_error(span)),
            Event::Scalar(text, style, anchor, tag) => {
                refuse_anchor(anchor, span)?;
                self.scalar(&text, style, tag.as_deref(), span)
            }
            Event::SequenceStart(anchor, tag) => {
                refuse_anchor(anchor, span)?;
                check_collection_tag(tag.as_deref(), "seq", span)?;
                self.open(
                    span,
                    FrameKind::Sequence {
                        items: Vec::new(),
                        spans: Children::default(),
                    },
                )
            }
            Event::MappingStart(anchor, tag) => {
                refuse_anchor(anchor, span)?;
                check_collection_tag(tag.as_deref(), "map", span)?;
                let kind = FrameKind::Mapping {
                    members: Vec::new(),
                    spans: ObjectChildren::default(),
                    key: None,
                };
                self.open(span, kind)
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(span),
        }
    }

    /// Whether the next node is a mapping key.
    fn expects_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                kind: FrameKind::Mapping { key: None, .. },
                ..
            })
        )
    }

    fn scalar(
        &mut self,
        text: &str,
        style: ScalarStyle,
        tag: Option<&Tag>,
        span: Span,
    ) -> Result<(), SyntaxError> {
        let empty_plain = text.is_empty() && style == ScalarStyle::Plain && tag.is_none();
        let span = quoted_span(self.text, span, style);
        if self.expects_key() {
            if empty_plain {
                return Err(error(span, "mapping key is empty"));
            }
            if let Some(tag) = tag {
                resolve_with_tag(text, tag, span)?;
            }
            if let Some(frame) = self.stack.last_mut() {
                frame.end = frame.end.max(span.end);
                if let FrameKind::Mapping { key, .. } = &mut frame.kind {
                    *key = Some((text.to_string(), span));
                }
            }
            return Ok(());
        }
        let value = match tag {
            Some(tag) => resolve_with_tag(text, tag, span)?,
            None if style == ScalarStyle::Plain => resolve_plain(text),
            None => Value::String(text.to_string()),
        };
        let span = if empty_plain {
            self.empty_value_span(span)
        } else {
            span
        };
        self.complete(value, span, SpanTree::Scalar)
    }

    /// Where an omitted value (`key:`) is: right after the colon when it is on the key's line,
    /// else where the parser put it.
    fn empty_value_span(&self, parsed: Span) -> Span {
        let Some(Frame {
            kind:
                FrameKind::Mapping {
                    key: Some((_, key)),
                    ..
                },
            ..
        }) = self.stack.last()
        else {
            return Span::at(parsed.start);
        };
        let after_key = self.text.as_bytes().get(key.end..).unwrap_or_default();
        let blanks = after_key
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        match after_key.get(blanks) {
            Some(b':') => Span::at(key.end + blanks + 1),
            _ => Span::at(parsed.start),
        }
    }

    fn open(&mut self, span: Span, kind: FrameKind) -> Result<(), SyntaxError> {
        if self.expects_key() {
            return Err(error(
                span,
                "mapping keys must be plain strings, not collections",
            ));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(depth_error(span));
        }
        self.stack.push(Frame {
            start: span.start,
            end: span.end,
            kind,
        });
        Ok(())
    }

    fn close(&mut self, span: Span) -> Result<(), SyntaxError> {
        let Some(frame) = self.stack.pop() else {
            return Err(error(
                span,
                "internal error: collection end without a start",
            ));
        };
        // A flow collection ends at its closing bracket; a block one (empty end event) at its
        // last entry rather than at the start of the next line.
        let end = if span.is_empty() { frame.end } else { span.end };
        let (value, tree) = match frame.kind {
            FrameKind::Sequence { items, spans } => (Value::Array(items), SpanTree::Array(spans)),
            FrameKind::Mapping {
                key: Some((_, key)),
                ..
            } => {
                return Err(error(key, "internal error: mapping key without a value"));
            }
            FrameKind::Mapping {
                members,
                spans,
                key: None,
            } => (Value::Object(members), SpanTree::Object(spans)),
        };
        self.complete(value, Span::new(frame.start, end.max(frame.start)), tree)
    }

    /// Attaches a finished node to its parent (or makes it the root).
    fn complete(&mut self, value: Value, span: Span, tree: SpanTree) -> Result<(), SyntaxError> {
        let Some(frame) = self.stack.last_mut() else {
            if self.root.is_some() {
                return Err(error(span, "internal error: second root node"));
            }
            self.root = Some((value, span, tree));
            return Ok(());
        };
        frame.end = frame.end.max(span.end);
        match &mut frame.kind {
            FrameKind::Sequence { items, spans } => {
                items.push(value);
                spans.push(
                    NodeSpan {
                        key: None,
                        value: span,
                    },
                    tree,
                );
            }
            FrameKind::Mapping {
                members,
                spans,
                key,
            } => {
                let Some((key, key_span)) = key.take() else {
                    return Err(error(span, "internal error: mapping value without a key"));
                };
                spans.push(
                    NodeSpan {
                        key: Some(key_span),
                        value: span,
                    },
                    tree,
                );
                members.push(Member { key, value });
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<Document, SyntaxError> {
        if let Some(frame) = self.stack.last() {
            return Err(error(
                Span::at(frame.start),
                "internal error: collection without an end",
            ));
        }
        // An empty stream (nothing, or only comments) is a null document.
        let (value, span, tree) = self
            .root
            .unwrap_or((Value::Null, Span::at(0), SpanTree::Scalar));
        Ok(Document {
            value,
            spans: SpanTable::new(span, tree),
        })
    }
}

fn refuse_anchor(anchor: usize, span: Span) -> Result<(), SyntaxError> {
    if anchor == 0 {
        Ok(())
    } else {
        Err(anchor_error(span))
    }
}

fn anchor_error(span: Span) -> SyntaxError {
    error(
        span,
        "anchors and aliases are not allowed in description files",
    )
}

fn depth_error(span: Span) -> SyntaxError {
    error(span, format!("nesting is deeper than {MAX_DEPTH} levels"))
}

/// The core-schema type name of a tag (`str` for `!!str` or `!<tag:yaml.org,2002:str>`).
fn core_name(tag: &Tag) -> Option<Cow<'_, str>> {
    if tag.handle == CORE_SCHEMA {
        Some(Cow::Borrowed(tag.suffix.as_str()))
    } else {
        format!("{}{}", tag.handle, tag.suffix)
            .strip_prefix(CORE_SCHEMA)
            .map(|name| Cow::Owned(name.to_string()))
    }
}

/// A tag as its author would have written it.
fn display_tag(tag: &Tag) -> String {
    match (core_name(tag), tag.handle.as_str()) {
        (Some(name), _) => format!("!!{name}"),
        (None, "") => format!("!<{}>", tag.suffix),
        (None, handle) => format!("{handle}{}", tag.suffix),
    }
}

fn unsupported_tag(tag: &Tag, span: Span) -> SyntaxError {
    error(
        span,
        format!(
            "unsupported tag `{}`: only `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, \
             `!!seq` and `!!map` are allowed",
            display_tag(tag)
        ),
    )
}

fn resolve_with_tag(text: &str, tag: &Tag, span: Span) -> Result<Value, SyntaxError> {
    let core = core_name(tag).and_then(|name| CoreTag::from_name(&name));
    let Some(core) = core else {
        return Err(unsupported_tag(tag, span));
    };
    resolve_tagged(text, core).ok_or_else(|| {
        error(
            span,
            format!("`{text}` is not a valid `{}` value", display_tag(tag)),
        )
    })
}

fn check_collection_tag(tag: Option<&Tag>, expected: &str, span: Span) -> Result<(), SyntaxError> {
    match tag {
        None => Ok(()),
        Some(tag) if core_name(tag).as_deref() == Some(expected) => Ok(()),
        Some(tag) => Err(unsupported_tag(tag, span)),
    }
}

fn error(span: Span, message: impl Into<String>) -> SyntaxError {
    SyntaxError {
        message: message.into(),
        span,
    }
}

fn scan_error(e: &ScanError, offsets: &CharOffsets<'_>) -> SyntaxError {
    let span = Span::at(offsets.byte(e.marker().index()));
    match e.info() {
        "recursion limit exceeded" => depth_error(span),
        // An alias whose anchor is not defined: refused as an alias, like a defined one.
        "while parsing node, found unknown anchor" => anchor_error(span),
        // YAML limits a key written without `?` to one line of at most 1024 characters.
        "simple key expect ':'" => error(
            span,
            "a key must end with `:` on its own line, within 1024 characters",
        ),
        info => error(span, super::lowercase_first(info)),
    }
}

/// Char index → byte offset. saphyr's markers count chars; spans are bytes.
struct CharOffsets<'t> {
    text: &'t str,
    /// Byte offset of every [`Self::STRIDE`]-th char; `None` for ASCII text (chars are bytes).
    checkpoints: Option<Vec<usize>>,
}

impl<'t> CharOffsets<'t> {
    const STRIDE: usize = 64;

    fn new(text: &'t str) -> Self {
        let checkpoints = (!text.is_ascii()).then(|| {
            text.char_indices()
                .step_by(Self::STRIDE)
                .map(|(offset, _)| offset)
                .collect()
        });
        CharOffsets { text, checkpoints }
    }

    /// The byte offset of char `index`; the end of the text for any index past the last char.
    fn byte(&self, index: usize) -> usize {
        let Some(checkpoints) = &self.checkpoints else {
            return index.min(self.text.len());
        };
        let Some(&base) = checkpoints.get(index / Self::STRIDE) else {
            return self.text.len();
        };
        let rest = self.text.get(base..).unwrap_or_default();
        rest.char_indices()
            .nth(index % Self::STRIDE)
            .map_or(self.text.len(), |(offset, _)| base + offset)
    }
}

/// saphyr-parser ends a quoted scalar's span after the whitespace that follows it (up to a
/// comment, say); end it at its closing quote instead, so labels underline just the value.
fn quoted_span(text: &str, span: Span, style: ScalarStyle) -> Span {
    let quote = match style {
        ScalarStyle::DoubleQuoted => b'"',
        ScalarStyle::SingleQuoted => b'\'',
        _ => return span,
    };
    let bytes = text.as_bytes();
    if bytes.get(span.start) != Some(&quote) {
        return span;
    }
    let mut i = span.start + 1;
    while i < span.end.min(bytes.len()) {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Span::new(span.start, i + 1),
            _ => i += 1,
        }
    }
    span
}

#[cfg(test)]
mod tests {
    use embedguard_core::value::{Number, Pointer};

    use super::*;
    use crate::tests::located;
    use crate::LineIndex;

    fn doc(src: &str) -> Document {
        crate::tests::parsed(parse, src)
    }

    fn fail(src: &str) -> SyntaxError {
        crate::tests::refused(parse, src)
    }

    /// `(line, col)` of the start and end of a span.
    fn pos(src: &str, span: Span) -> ((usize, usize), (usize, usize)) {
        let index = LineIndex::new(src);
        (index.line_col(span.start), index.line_col(span.end))
    }

    fn ptr(s: &str) -> Pointer {
        Pointer::from_escaped(s)
    }

    fn number(text: &str, value: f64, integer: Option<i64>) -> Value {
        Value::Number(Number {
            text: text.into(),
            value,
            integer,
        })
    }

    #[test]
    fn block_mapping_spans() {
        let src = concat!(
            "identities:\n",
            "  - username: alice\n",
            "    roles: [viewer, \"editor\"]\n",
            "  - username: bob\n",
            "accessLevel: View\n",
        );
        let d = doc(src);
        assert_eq!(
            located(src, &d, "/identities/0/username"),
            (Some((2, 5, "username".into())), (2, 15, "alice".into()))
        );
        assert_eq!(
            located(src, &d, "/identities/0/roles/1"),
            (None, (3, 21, "\"editor\"".into()))
        );
        assert_eq!(
            located(src, &d, "/identities/0/roles").1,
            (3, 12, "[viewer, \"editor\"]".into())
        );
        assert_eq!(
            located(src, &d, "/identities/1/username").1,
            (4, 15, "bob".into())
        );
        assert_eq!(
            located(src, &d, "/accessLevel"),
            (Some((5, 1, "accessLevel".into())), (5, 14, "View".into()))
        );
        // A block collection runs from its first entry to the end of its last one.
        let items = "- username: alice\n    roles: [viewer, \"editor\"]\n  - username: bob";
        assert_eq!(located(src, &d, "/identities").1, (2, 3, items.into()));
        assert_eq!(
            located(src, &d, "/identities/1").1,
            (4, 5, "username: bob".into())
        );
        assert_eq!(located(src, &d, "").1, (1, 1, src.trim_end().into()));
        assert_eq!(
            d.value.get("accessLevel"),
            Some(&Value::String("View".into()))
        );
    }

    #[test]
    fn flow_spans_and_crlf() {
        let src = "{a: [1, {b: x}], \"c d\": 'y'}\r\n";
        let d = doc(src);
        assert_eq!(
            located(src, &d, "").1,
            (1, 1, "{a: [1, {b: x}], \"c d\": 'y'}".into())
        );
        assert_eq!(located(src, &d, "/a").1, (1, 5, "[1, {b: x}]".into()));
        assert_eq!(
            located(src, &d, "/a/1/b"),
            (Some((1, 10, "b".into())), (1, 13, "x".into()))
        );
        assert_eq!(
            located(src, &d, "/c d"),
            (Some((1, 18, "\"c d\"".into())), (1, 25, "'y'".into()))
        );

        let src = "a: 1\r\nb:\r\n  - é\r\n  - ü: z\r\n";
        let d = doc(src);
        assert_eq!(located(src, &d, "/b/0").1, (3, 5, "é".into()));
        assert_eq!(
            located(src, &d, "/b/1/ü"),
            (Some((4, 5, "ü".into())), (4, 8, "z".into()))
        );
    }

    #[test]
    fn empty_values_sit_after_the_colon() {
        let src = "a:   # nothing\nb :\nc: [x, ]\n- \n";
        assert!(parse(src).is_err()); // a sequence entry inside a mapping
        let src = "a:   # nothing\nb :\nitems:\n  - \n  - {k: }\n";
        let d = doc(src);
        assert_eq!(d.value.get("a"), Some(&Value::Null));
        assert_eq!(located(src, &d, "/a").1, (1, 3, String::new()));
        assert_eq!(located(src, &d, "/b").1, (2, 4, String::new()));
        assert_eq!(located(src, &d, "/items/0").1, (4, 5, String::new()));
        assert_eq!(located(src, &d, "/items/1/k").1, (5, 8, String::new()));
    }

    /// The keys of the document's root object, as written, duplicates included.
    fn keys_of(d: &Document) -> Vec<&str> {
        d.value
            .as_object()
            .unwrap_or_default()
            .iter()
            .map(|m| m.key.as_str())
            .collect()
    }

    #[test]
    fn duplicate_keys_are_kept_and_located() {
        let src = "accessLevel: View\nAccessLevel: Edit\naccessLevel:\n  x: 1\n";
        let d = doc(src);
        let keys = keys_of(&d);
        assert_eq!(keys, ["accessLevel", "AccessLevel", "accessLevel"]);
        assert_eq!(
            located(src, &d, "/accessLevel"),
            (Some((1, 1, "accessLevel".into())), (1, 14, "View".into()))
        );
        // The shadowed copy's children are unreachable by pointer, as in `Pointer::resolve`.
        assert_eq!(d.spans.get(&d.value, &ptr("/accessLevel/x")), None);
        let members = d
            .spans
            .member_spans(&d.value, &Pointer::root())
            .unwrap_or_default();
        let starts: Vec<_> = members
            .iter()
            .map(|m| (m.key.map(|k| pos(src, k).0), pos(src, m.value).0))
            .collect();
        assert_eq!(
            starts,
            [
                (Some((1, 1)), (1, 14)),
                (Some((2, 1)), (2, 14)),
                (Some((3, 1)), (4, 3))
            ]
        );
    }

    #[test]
    fn typing_traps_follow_yaml_1_2() {
        let d = doc(concat!(
            "username: 00123\n",
            "quoted: \"00123\"\n",
            "answer: no\n",
            "customData: 1e3\n",
            "flag: true\n",
            "none: ~\n",
            "hex: 0x2A\n",
            "lit: |\n  12\n",
        ));
        assert_eq!(
            d.value.get("username"),
            Some(&number("00123", 123.0, Some(123)))
        );
        assert_eq!(d.value.get("quoted"), Some(&Value::String("00123".into())));
        assert_eq!(d.value.get("answer"), Some(&Value::String("no".into())));
        assert_eq!(
            d.value.get("customData"),
            Some(&number("1e3", 1000.0, None))
        );
        assert_eq!(d.value.get("flag"), Some(&Value::Bool(true)));
        assert_eq!(d.value.get("none"), Some(&Value::Null));
        assert_eq!(d.value.get("hex"), Some(&number("0x2A", 42.0, Some(42))));
        assert_eq!(d.value.get("lit"), Some(&Value::String("12\n".into())));
        // Keys are text as written, even when they look like numbers.
        let d = doc("1: a\n~: b\ntrue: c\n");
        let keys = keys_of(&d);
        assert_eq!(keys, ["1", "~", "true"]);
    }

    #[test]
    fn explicit_tags() {
        let d = doc(concat!(
            "a: !!str 12\n",
            "b: !!int \"12\"\n",
            "c: !<tag:yaml.org,2002:float> 1\n",
            "d: !!map {x: 1}\n",
            "e: !!seq []\n",
        ));
        assert_eq!(d.value.get("a"), Some(&Value::String("12".into())));
        assert_eq!(d.value.get("b"), Some(&number("12", 12.0, Some(12))));
        assert_eq!(d.value.get("c"), Some(&number("1", 1.0, None)));
        assert_eq!(d.value.get("e"), Some(&Value::Array(vec![])));

        let e = fail("a: !!int x1\n");
        assert_eq!(
            (e.message.as_str(), e.span),
            ("`x1` is not a valid `!!int` value", Span::new(3, 11))
        );
        let e = fail("a: !custom 1\n");
        assert!(e.message.starts_with("unsupported tag `!custom`"), "{e}");
        assert_eq!(e.span.start, 3);
        assert!(fail("a: !!binary aGVsbG8=\n")
            .message
            .starts_with("unsupported tag `!!binary`"));
        assert!(fail("a: !!map [1]\n")
            .message
            .starts_with("unsupported tag `!!map`"));
        assert!(fail("a: ! 1\n").message.starts_with("unsupported tag"));
    }

    #[test]
    fn anchors_and_aliases_are_refused() {
        let src = "base: &b {x: 1}\nother: *b\n";
        let e = fail(src);
        assert_eq!(
            e.message,
            "anchors and aliases are not allowed in description files"
        );
        assert_eq!(pos(src, e.span).0, (1, 7));
        let src = "a: 1\nb: *x\n";
        let e = fail(src);
        assert_eq!(
            e.message,
            "anchors and aliases are not allowed in description files"
        );
        assert_eq!(pos(src, e.span).0, (2, 4)); // undefined alias: refused before anything else
        assert_eq!(
            fail("- &a x\n").message,
            "anchors and aliases are not allowed in description files"
        );
        let bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n";
        assert_eq!(pos(bomb, fail(bomb).span).0, (1, 4));
    }

    #[test]
    fn one_document_only() {
        let src = "a: 1\n---\nb: 2\n";
        let e = fail(src);
        assert_eq!(
            e.message,
            "only one YAML document is allowed in a description file"
        );
        assert_eq!(pos(src, e.span).0, (2, 1));
        assert_eq!(pos("a: 1\n...\nb\n", fail("a: 1\n...\nb\n").span).0, (3, 1));
        assert!(parse("---\na: 1\n...\n").is_ok());
    }

    #[test]
    fn complex_and_empty_keys_are_refused() {
        let e = fail("? [a, b]\n: 1\n");
        assert_eq!(
            (e.message.as_str(), e.span.start),
            ("mapping keys must be plain strings, not collections", 2)
        );
        assert!(fail("{[a]: 1}").message.starts_with("mapping keys must be"));
        assert_eq!(fail(": x\n").message, "mapping key is empty");
        assert_eq!(
            doc("'': x\n").value.get(""),
            Some(&Value::String("x".into()))
        );
    }

    #[test]
    fn empty_and_scalar_documents() {
        let d = doc("# only a comment\n");
        assert_eq!(d.value, Value::Null);
        assert_eq!(
            d.spans.get(&d.value, &Pointer::root()).map(|s| s.value),
            Some(Span::at(0))
        );
        assert_eq!(doc("").value, Value::Null);
        assert_eq!(
            {
                let d = doc("\u{feff}a: 1\n");
                d.spans.get(&d.value, &ptr("/a")).map(|s| s.value)
            },
            Some(Span::new(6, 7))
        );
        let hello = doc("  hello  ");
        assert_eq!(
            hello
                .spans
                .get(&hello.value, &Pointer::root())
                .map(|s| s.value),
            Some(Span::new(2, 7))
        );
    }

    #[test]
    fn scanner_errors_are_located() {
        let src = "a: 1\nb: [1, 2\n";
        let e = fail(src);
        assert!(
            !e.message.is_empty() && e.message.chars().next().is_some_and(char::is_lowercase),
            "{e}"
        );
        assert!(e.span.start <= src.len());
        let src = "ab: ü\nkey: - a\n";
        let e = fail(src);
        assert_eq!(pos(src, e.span).0, (2, 6));
    }

    #[test]
    fn depth_limit() {
        let ok = format!("{}x", "- ".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let deep = format!("{}x", "- ".repeat(MAX_DEPTH + 1));
        let e = fail(&deep);
        assert_eq!(
            e.message,
            format!("nesting is deeper than {MAX_DEPTH} levels")
        );
        assert_eq!(e.span.start, 2 * MAX_DEPTH);
        let flow = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert_eq!(fail(&flow).span.start, MAX_DEPTH);
        let mut nested = String::new();
        for level in 0..=MAX_DEPTH {
            nested.push_str(&format!("{}k{level}:\n", "  ".repeat(level)));
        }
        assert_eq!(
            fail(&nested).message,
            format!("nesting is deeper than {MAX_DEPTH} levels")
        );
    }

    #[test]
    fn char_offsets_map_chars_to_bytes() {
        let text: String = "aé€😀".repeat(40);
        let offsets = CharOffsets::new(&text);
        let expected: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len(), text.len()])
            .collect();
        let got: Vec<usize> = (0..expected.len()).map(|i| offsets.byte(i)).collect();
        assert_eq!(got, expected);
        assert_eq!(CharOffsets::new("abc").byte(7), 3);
    }
}
