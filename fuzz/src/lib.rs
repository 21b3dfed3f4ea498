//! What the fuzz targets assert beyond "no panic": the invariants the front end relies on when it
//! turns a finding's pointer into a line and column.
//!
//! A violation panics with a message, which libFuzzer reports as a crash like any other.

use embedguard_cli::source::{Document, Span};
use embedguard_core::value::{Pointer, Value};

/// Panics unless `span` lies inside `text` and starts and ends on char boundaries (a span inside
/// a multi-byte character would make the renderers slice a `&str` badly).
pub fn assert_in_text(text: &str, span: Span, what: &dyn std::fmt::Display) {
    assert!(
        span.start <= span.end
            && span.end <= text.len()
            && text.is_char_boundary(span.start)
            && text.is_char_boundary(span.end),
        "{what}: span {span:?} is not a range of char boundaries of the {}-byte text",
        text.len()
    );
}

/// Panics unless every node of `doc` reachable by a pointer has a span, every key and value span
/// (duplicate members included) is inside `text`, and the span table agrees with the tree on
/// what is an object.
pub fn assert_spans(text: &str, doc: &Document) {
    assert_in_text(text, node_span(doc, &Pointer::root()), &"root");
    walk(text, doc, &doc.value, &Pointer::root());
}

fn node_span(doc: &Document, pointer: &Pointer) -> Span {
    match doc.spans.get(&doc.value, pointer) {
        Some(node) => node.value,
        None => panic!("no span for `{pointer}`, which resolves in the document"),
    }
}

fn walk(text: &str, doc: &Document, value: &Value, pointer: &Pointer) {
    let node = doc.spans.get(&doc.value, pointer).copied();
    let Some(node) = node else {
        panic!("no span for `{pointer}`, which resolves in the document");
    };
    assert_in_text(text, node.value, pointer);
    if let Some(key) = node.key {
        assert_in_text(text, key, pointer);
    }
    match value {
        Value::Object(members) => {
            let listed = doc
                .spans
                .member_spans(&doc.value, pointer)
                .unwrap_or_else(|| {
                    panic!("no member spans for the object at `{pointer}`");
                });
            assert_eq!(listed.len(), members.len(), "members of `{pointer}`");
            for m in listed {
                assert_in_text(text, m.value, pointer);
                match m.key {
                    Some(key) => assert_in_text(text, key, pointer),
                    None => panic!("a member of `{pointer}` has no key span"),
                }
            }
            for (i, member) in members.iter().enumerate() {
                // A repeated key resolves to its first occurrence; later ones have no pointer.
                if members[..i].iter().all(|m| m.key != member.key) {
                    walk(text, doc, &member.value, &pointer.key(&member.key));
                }
            }
        }
        Value::Array(items) => {
            assert!(
                doc.spans.member_spans(&doc.value, pointer).is_none(),
                "array `{pointer}`"
            );
            for (i, item) in items.iter().enumerate() {
                walk(text, doc, item, &pointer.index(i));
            }
        }
        _ => assert!(
            doc.spans.member_spans(&doc.value, pointer).is_none(),
            "scalar `{pointer}`"
        ),
    }
}

/// Panics unless `pointer` names a node of `doc` that has a span.
///
/// `SourceFile::locate` walks up to the nearest existing node, so a pointer to nothing would
/// still be placed somewhere; but the core points a finding about a missing field at the object
/// that should hold it, never at the missing member, so a pointer that does not resolve is a
/// finding placed on the wrong line. (Over the whole corpus of the first fuzzing runs, 50,000
/// findings, every pointer resolved.)
pub fn assert_pointer_resolves(doc: &Document, pointer: &Pointer, what: &dyn std::fmt::Display) {
    assert_pointer_names_a_node(&doc.value, pointer, what);
    assert!(
        doc.spans.get(&doc.value, pointer).is_some(),
        "{what}: `{pointer}` resolves in the tree but has no span"
    );
}

/// Panics unless `pointer` is a JSON pointer that names a node of `value` (see
/// [`assert_pointer_resolves`], for a document that has no source text).
pub fn assert_pointer_names_a_node(value: &Value, pointer: &Pointer, what: &dyn std::fmt::Display) {
    let text = pointer.as_str();
    assert!(
        text.is_empty() || text.starts_with('/'),
        "{what}: `{text}` is not a JSON pointer"
    );
    assert!(
        pointer.resolve(value).is_some(),
        "{what}: `{pointer}` names no node of the document"
    );
}
