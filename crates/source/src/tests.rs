//! Whole-pipeline tests: size and encoding checks, hostile nesting, and properties over
//! arbitrary input.

use std::path::Path;

use embedguard_core::value::{Pointer, Value};
use proptest::prelude::*;

use super::*;

/// The document `parse` reads from `src`; panics (a test failure) naming `src` otherwise.
pub(super) fn parsed(parse: impl Fn(&str) -> Result<Document, SyntaxError>, src: &str) -> Document {
    match parse(src) {
        Ok(doc) => doc,
        Err(e) => panic!("{src:?} failed: {e:?}"),
    }
}

/// The error `parse` refuses `src` with; panics (a test failure) if it reads it.
pub(super) fn refused(
    parse: impl Fn(&str) -> Result<Document, SyntaxError>,
    src: &str,
) -> SyntaxError {
    match parse(src) {
        Ok(doc) => panic!("{src:?} parsed: {:?}", doc.value),
        Err(e) => e,
    }
}

/// `(line, col, covered text)` of a span.
pub(super) type Located = (usize, usize, String);

/// Where the key and the value of the node at `pointer` are, for asserting exact positions.
pub(super) fn located(src: &str, doc: &Document, pointer: &str) -> (Option<Located>, Located) {
    let index = LineIndex::new(src);
    let Some(node) = doc.spans.get(&doc.value, &Pointer::from_escaped(pointer)) else {
        panic!("no span for {pointer:?}")
    };
    let show = |span: Span| {
        let (line, col) = index.line_col(span.start);
        (
            line,
            col,
            src.get(span.start..span.end)
                .unwrap_or("<not on char boundaries>")
                .to_string(),
        )
    };
    (node.key.map(show), show(node.value))
}

#[test]
fn format_from_path() {
    assert_eq!(Format::from_path(Path::new("req.json")), Format::Json);
    assert_eq!(Format::from_path(Path::new("dir.d/REQ.JSON")), Format::Json);
    assert_eq!(Format::from_path(Path::new("req.yaml")), Format::Yaml);
    assert_eq!(Format::from_path(Path::new("req.yml")), Format::Yaml);
    assert_eq!(Format::from_path(Path::new("json")), Format::Yaml);
}

#[test]
fn invalid_utf8_is_located_at_the_first_bad_byte() {
    for format in [Format::Yaml, Format::Json] {
        let e = parse(b"{\"a\": \"caf\xc3\xa9\xff\"}", format).err();
        let expected = SyntaxError {
            message: "file is not valid UTF-8 (byte 0xFF)".into(),
            span: Span::new(12, 13),
        };
        assert_eq!(e, Some(expected));
        // A truncated multi-byte sequence at the very end.
        assert_eq!(
            parse(b"a: \xe2\x82", format).err().map(|e| e.span),
            Some(Span::new(3, 5))
        );
    }
}

#[test]
fn oversize_input_is_refused_before_parsing() {
    let mut big = vec![b' '; MAX_FILE_BYTES + 1];
    big[0] = b'['; // would be a syntax error, but the size check comes first
    for format in [Format::Yaml, Format::Json] {
        let e = parse(&big, format).err();
        assert_eq!(
            e,
            Some(SyntaxError {
                message: "file is larger than 8 MiB".into(),
                span: Span::at(0)
            })
        );
    }
    let mut fits = vec![b' '; MAX_FILE_BYTES];
    fits[0] = b'1';
    assert!(parse(&fits, Format::Json).is_ok());
}

#[test]
fn syntax_error_displays_its_message() {
    let e = parse(b"[1,]", Format::Json).err();
    assert_eq!(
        e.map(|e| e.to_string()),
        Some("trailing commas are not allowed".to_string())
    );
}

/// Runs `parse` on a thread with a 2 MiB stack (tokio's worker default): a stack overflow would
/// abort the whole test binary, so reaching the assertion at all is the point.
fn parse_on_small_stack(src: String, format: Format) -> Result<Document, SyntaxError> {
    let handle = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || parse(src.as_bytes(), format));
    match handle.map(std::thread::JoinHandle::join) {
        Ok(Ok(result)) => result,
        Ok(Err(_)) => panic!("parse panicked"),
        Err(e) => panic!("could not spawn: {e}"),
    }
}

#[test]
fn hostile_nesting_is_an_error_not_an_abort() {
    const LEVELS: usize = 100_000;
    // Indentation-based nesting costs quadratic bytes; 1,000 levels is about 1 MB.
    let mut indented = String::new();
    let mut mixed = String::new();
    for level in 0..1_000 {
        indented.push_str(&" ".repeat(level));
        indented.push_str("a:\n");
        mixed.push_str(&" ".repeat(2 * level));
        mixed.push_str("- a:\n");
    }
    let cases = [
        (
            "yaml block sequence",
            format!("{}x\n", "- ".repeat(LEVELS)),
            Format::Yaml,
        ),
        ("yaml block mapping", indented, Format::Yaml),
        ("yaml sequences of mappings", mixed, Format::Yaml),
        (
            "yaml flow sequence",
            format!("{}{}", "[".repeat(LEVELS), "]".repeat(LEVELS)),
            Format::Yaml,
        ),
        (
            "yaml flow mapping",
            format!("{}x{}", "{a: ".repeat(LEVELS), "}".repeat(LEVELS)),
            Format::Yaml,
        ),
        ("yaml unclosed flow", "[".repeat(LEVELS), Format::Yaml),
        (
            "json arrays",
            format!("{}{}", "[".repeat(LEVELS), "]".repeat(LEVELS)),
            Format::Json,
        ),
        (
            "json objects",
            format!("{}1{}", "{\"a\":".repeat(LEVELS), "}".repeat(LEVELS)),
            Format::Json,
        ),
        ("json unclosed", "[".repeat(LEVELS), Format::Json),
    ];
    for (name, src, format) in cases {
        let len = src.len();
        match parse_on_small_stack(src, format) {
            Ok(_) => panic!("{name}: parsed"),
            Err(e) => {
                assert_eq!(
                    e.message,
                    format!("nesting is deeper than {MAX_DEPTH} levels"),
                    "{name}"
                );
                assert!(e.span.end <= len, "{name}");
            }
        }
    }
}

/// Checks that every node reachable by a pointer has spans inside the input, on char boundaries,
/// and that `member_spans` lists every member.
fn check_spans(
    text: &[u8],
    root: &Value,
    value: &Value,
    pointer: &Pointer,
    spans: &SpanTable,
) -> Result<(), TestCaseError> {
    let inside = |span: Span| {
        span.start <= span.end
            && span.end <= text.len()
            && std::str::from_utf8(text)
                .is_ok_and(|s| s.is_char_boundary(span.start) && s.is_char_boundary(span.end))
    };
    let node = spans.get(root, pointer);
    prop_assert!(node.is_some(), "no span for {pointer}");
    let node = node.copied().unwrap_or_default();
    prop_assert!(
        inside(node.value),
        "value span {:?} of {pointer} outside the input",
        node.value
    );
    prop_assert!(
        node.key.is_none_or(inside),
        "key span {:?} of {pointer} outside the input",
        node.key
    );
    match value {
        Value::Array(items) => {
            prop_assert_eq!(spans.member_spans(root, pointer), None);
            for (i, item) in items.iter().enumerate() {
                check_spans(text, root, item, &pointer.index(i), spans)?;
            }
        }
        Value::Object(members) => {
            let listed = spans.member_spans(root, pointer).unwrap_or_default();
            prop_assert_eq!(listed.len(), members.len());
            for listed in listed {
                prop_assert!(inside(listed.value) && listed.key.is_some_and(inside));
            }
            for (i, member) in members.iter().enumerate() {
                // A repeated key resolves to its first occurrence; the rest are not addressable.
                if members[..i].iter().all(|m| m.key != member.key) {
                    check_spans(text, root, &member.value, &pointer.key(&member.key), spans)?;
                }
            }
        }
        _ => prop_assert_eq!(spans.member_spans(root, pointer), None),
    }
    Ok(())
}

fn check_input(bytes: &[u8]) -> Result<(), TestCaseError> {
    for format in [Format::Yaml, Format::Json] {
        if let Ok(doc) = parse(bytes, format) {
            check_spans(bytes, &doc.value, &doc.value, &Pointer::root(), &doc.spans)?;
        }
    }
    // Without spans the JSON reader accepts and refuses exactly the same, at the same place.
    match (
        parse(bytes, Format::Json),
        parse_json_value(bytes, MAX_FILE_BYTES),
    ) {
        (Ok(doc), Ok(value)) => prop_assert!(same_values(&doc.value, &value)),
        (Err(a), Err(b)) => prop_assert_eq!((a.message, a.span), (b.message, b.span)),
        (a, b) => prop_assert!(false, "{:?} / {:?}", a.map(|d| d.value), b),
    }
    check_wire_entry(bytes)
}

/// The `/v1/decide` fast path reads an entry only when the full reader reads the same entry:
/// an object with exactly those fields, once each, the same texts, headers and body.
fn check_wire_entry(bytes: &[u8]) -> Result<(), TestCaseError> {
    let entry = parse_json_wire_entry(bytes, MAX_FILE_BYTES);
    let Some(parts) = entry.as_ref().and_then(|e| e.parts()) else {
        return Ok(());
    };
    let text = String::from_utf8_lossy(bytes);
    let value = parse_json_value(bytes, MAX_FILE_BYTES).map_err(|e| {
        TestCaseError::fail(format!(
            "fast path read what the reader refuses: {e} in {text}"
        ))
    })?;
    let members = value
        .as_object()
        .ok_or_else(|| TestCaseError::fail(format!("not an object: {text}")))?;
    let text_of = |key: &str| {
        let found: Vec<_> = members.iter().filter(|m| m.key == key).collect();
        match found[..] {
            [] => Ok(None),
            [m] => Ok(Some(&m.value)),
            _ => Err(TestCaseError::fail(format!("`{key}` twice: {text}"))),
        }
    };
    let known = ["name", "caller", "method", "path", "headers", "body"];
    prop_assert!(
        members.iter().all(|m| known.contains(&m.key.as_str())),
        "{}",
        text
    );
    prop_assert_eq!(text_of("name")?.and_then(Value::as_str), parts.name);
    prop_assert_eq!(
        text_of("caller")?.and_then(Value::as_str),
        Some(parts.caller)
    );
    prop_assert_eq!(text_of("method")?.and_then(Value::as_str), parts.method);
    prop_assert_eq!(text_of("path")?.and_then(Value::as_str), Some(parts.path));
    let headers: Option<Vec<(&str, &str)>> = text_of("headers")?.map(|h| {
        h.as_object()
            .unwrap_or_default()
            .iter()
            .map(|m| (m.key.as_str(), m.value.as_str().unwrap_or("<not a string>")))
            .collect()
    });
    prop_assert_eq!(headers.as_deref(), parts.headers);
    match (text_of("body")?, parts.body) {
        (None, None) => {}
        (Some(a), Some(b)) => prop_assert!(same_values(a, b), "{}", text),
        (a, b) => prop_assert!(false, "body {:?} / {:?} in {}", a, b, text),
    }
    Ok(())
}

/// Text that is often a wire entry and often nearly one: the fields in any order, repeated,
/// unknown, of the wrong type, escaped, with any whitespace.
fn wire_entry_like() -> impl Strategy<Value = String> {
    let text = prop_oneof![
        "[a-zA-Z0-9/{}.:-]{0,12}".prop_map(|s| format!("\"{s}\"")),
        Just(r#""a\"b""#.to_string()),
        Just(r#""\u00e9""#.to_string()),
        Just("7".to_string()),
        Just("null".to_string()),
    ];
    let header = (
        prop_oneof![Just("Content-Type"), Just("X-A"), Just("x\\y")],
        text.clone(),
    )
        .prop_map(|(k, v)| format!("\"{k}\": {v}"));
    let headers =
        proptest::collection::vec(header, 0..3).prop_map(|h| format!("{{{}}}", h.join(",")));
    let body = arbitrary_json(3).prop_map(|v| v.to_string());
    let member = prop_oneof![
        4 => (prop_oneof![Just("name"), Just("caller"), Just("method"), Just("path"), Just("other")], text)
            .prop_map(|(k, v)| format!("\"{k}\":{v}")),
        2 => headers.prop_map(|h| format!("\"headers\": {h}")),
        2 => body.prop_map(|b| format!("\"body\":{b}")),
    ];
    let entry = (
        Just(r#""caller":"sp""#.to_string()),
        Just(r#""path":"/v1.0/myorg/GenerateToken""#.to_string()),
        proptest::collection::vec(member, 0..5),
        "[ \n\t]{0,2}",
        any::<bool>(),
    )
        .prop_map(|(caller, path, mut members, space, trailing_comma)| {
            members.push(caller);
            members.push(path);
            let half = members.len() / 2;
            members.rotate_left(half);
            let sep = format!(",{space}");
            let comma = if trailing_comma { "," } else { "" };
            format!("{space}{{{space}{}{comma}}}{space}", members.join(&sep))
        });
    (
        entry,
        any::<proptest::sample::Index>(),
        any::<u8>(),
        any::<bool>(),
    )
        .prop_map(|(entry, at, byte, mutate)| {
            if !mutate || entry.is_empty() {
                return entry;
            }
            let mut bytes = entry.into_bytes();
            let i = at.index(bytes.len());
            bytes[i] = byte;
            String::from_utf8_lossy(&bytes).into_owned()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        check_input(&bytes)?;
    }

    #[test]
    fn yaml_like_text_never_panics(text in "[-:{}\\[\\],\"'\n #&*!|>?.~%<@0-9a-cxyé\t\r]{0,120}") {
        check_input(text.as_bytes())?;
    }

    #[test]
    fn the_wire_entry_fast_path_reads_only_what_the_reader_reads(text in wire_entry_like()) {
        check_input(text.as_bytes())?;
    }

    #[test]
    fn json_like_text_never_panics(text in "[{}\\[\\],:\" \n\\\\u0-9aefnlrstE.+\\-]{0,120}") {
        check_input(text.as_bytes())?;
    }
}

#[test]
fn quoted_scalars_end_at_their_closing_quote() {
    let src = "a: \"x\\\"y\"    # c\nb: 'it''s'   # d\nc: plain   # e\n";
    let doc = parse(src.as_bytes(), Format::Yaml).expect("yaml");
    assert_eq!(located(src, &doc, "/a").1, (1, 4, "\"x\\\"y\"".to_string()));
    assert_eq!(located(src, &doc, "/b").1, (2, 4, "'it''s'".to_string()));
    assert_eq!(located(src, &doc, "/c").1, (3, 4, "plain".to_string()));
}

/// Any JSON value serde_json can write, at most `depth` deep.
fn arbitrary_json(depth: u32) -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        any::<String>().prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(depth, 64, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            proptest::collection::btree_map(any::<String>(), inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Whether two trees hold the same values (numbers compared by value, not spelling).
fn same_values(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x.integer == y.integer && (x.value == y.value || (x.value.is_nan() && y.value.is_nan()))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_values(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(a, b)| a.key == b.key && same_values(&a.value, &b.value))
        }
        _ => a == b,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    /// The parser-differential property (SPEC §1.3): whatever serde_json writes, embedguard reads
    /// to the same values — compact or pretty, every string escape, every number.
    #[test]
    fn reads_what_serde_json_writes(value in arbitrary_json(4), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&value)
        } else {
            serde_json::to_string(&value)
        }
        .expect("serialise");
        let doc = parse(text.as_bytes(), Format::Json)
            .map_err(|e| TestCaseError::fail(format!("{e} in {text}")))?;
        let expected = Value::from_json(&value);
        prop_assert!(same_values(&doc.value, &expected), "{text}\n{:?}\n{:?}", doc.value, expected);
    }

    /// And what serde_json reads from arbitrary JSON-like text, embedguard reads the same, or
    /// refuses with a located syntax error — never a different value. (Duplicate keys, which
    /// serde_json silently collapses, are kept here for EG002 to report.)
    #[test]
    fn never_reads_other_values_than_serde_json(text in "[{}\\[\\],:\" \n\\\\u0-9aefnlrstE.+\\-]{0,80}") {
        if let (Ok(theirs), Ok(ours)) = (
            serde_json::from_str::<serde_json::Value>(&text),
            parse(text.as_bytes(), Format::Json),
        ) {
            if !has_duplicate_keys(&ours.value) {
                prop_assert!(same_values(&ours.value, &Value::from_json(&theirs)), "{text}");
            }
        }
    }
}

fn has_duplicate_keys(v: &Value) -> bool {
    match v {
        Value::Object(members) => {
            members
                .iter()
                .enumerate()
                .any(|(i, m)| members[..i].iter().any(|o| o.key == m.key))
                || members.iter().any(|m| has_duplicate_keys(&m.value))
        }
        Value::Array(items) => items.iter().any(has_duplicate_keys),
        _ => false,
    }
}

#[test]
fn a_gateways_entry_takes_the_fast_path_and_an_unusual_one_does_not() {
    let fast = br#"{"caller": "embed-sp", "path": "/v1.0/myorg/GenerateToken",
        "headers": {"Content-Type": "application/json", "X-A": "1", "X-A": "2"},
        "body": {"datasets": [{"id": "x"}]}}"#;
    let entry = parse_json_wire_entry(fast, MAX_FILE_BYTES).expect("a plain wire entry");
    let parts = entry.parts().expect("caller and path");
    assert_eq!(parts.caller, "embed-sp");
    assert_eq!(
        parts.headers,
        Some(
            &[
                ("Content-Type", "application/json"),
                ("X-A", "1"),
                ("X-A", "2")
            ][..]
        )
    );
    check_wire_entry(fast).expect("the full reader reads the same");
    for slow in [
        &br#"{"caller": "sp", "path": "/p", "scenario": "x"}"#[..],
        br#"{"caller": "sp", "caller": "sp", "path": "/p"}"#,
        br#"{"caller": "s\u0070", "path": "/p"}"#,
        br#"{"caller": "sp", "path": "/p", "headers": {"X-A": 1}}"#,
        br#"{"caller": "sp", "path": "/p",}"#,
        br#"{"caller": "sp", "path": "/p"} {}"#,
        "\u{feff}{\"caller\": \"sp\", \"path\": \"/p\"}".as_bytes(),
    ] {
        let entry = parse_json_wire_entry(slow, MAX_FILE_BYTES);
        assert!(
            entry.as_ref().and_then(|e| e.parts()).is_none(),
            "{}",
            String::from_utf8_lossy(slow)
        );
    }
    let partial = parse_json_wire_entry(br#"{"path": "/p"}"#, MAX_FILE_BYTES);
    assert!(partial.is_some_and(|e| e.parts().is_none()), "no caller");
}
