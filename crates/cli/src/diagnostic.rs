//! A finding placed in a file: what every output format prints.

use std::path::PathBuf;
use std::sync::Arc;

use embedguard_core::finding::Target;
use embedguard_core::value::Pointer;
use embedguard_core::{Rule, Severity};

use crate::source::{Document, LineIndex, Span};

/// A file's text and parsed tree, shared by the diagnostics that point into it.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as shown to the user.
    pub display: String,
    /// The path on disk.
    pub path: PathBuf,
    /// The text (empty when the file could not be read as UTF-8).
    pub text: Arc<String>,
    /// Line starts.
    pub lines: LineIndex,
    /// The parsed document, when it parsed.
    pub document: Option<Document>,
    /// Byte ranges of [`SourceFile::text`] masked because they hold a secret (EG501): sorted,
    /// disjoint, already `*` in the text.
    pub redacted: Vec<Span>,
}

impl SourceFile {
    /// The text as shown to people: each masked secret collapsed to `…`, so a long token does not
    /// become a line of asterisks. Offsets into it come from [`SourceFile::display_span`].
    pub fn display_text(&self) -> String {
        if self.redacted.is_empty() {
            return self.text.as_str().to_owned();
        }
        let mut out = String::with_capacity(self.text.len());
        let mut at = 0;
        for r in &self.redacted {
            out.push_str(&self.text[at..r.start]);
            out.push('…');
            at = r.end;
        }
        out.push_str(&self.text[at..]);
        out
    }

    /// Where `span` of the text lies in [`SourceFile::display_text`].
    pub fn display_span(&self, span: Span) -> Span {
        Span::new(
            self.display_offset(span.start),
            self.display_offset(span.end),
        )
    }

    fn display_offset(&self, offset: usize) -> usize {
        let mut removed = 0;
        for r in &self.redacted {
            if offset >= r.end {
                removed += r.len() - '…'.len_utf8();
            } else if offset > r.start {
                return r.start - removed + '…'.len_utf8();
            } else {
                break;
            }
        }
        offset - removed
    }

    /// Where a finding's pointer lands in this file.
    pub fn locate(&self, pointer: &Pointer, target: Target) -> Span {
        let Some(doc) = &self.document else {
            return Span::at(0);
        };
        if let Target::MemberKey(index) = target {
            if let Some(span) = member_key(doc, pointer, index) {
                return span;
            }
        }
        // Walk up to the nearest node that exists (a pointer may name a missing member).
        let mut p = Some(pointer.clone());
        while let Some(cur) = p {
            if let Some((node, container)) = doc.spans.node(&cur) {
                return match (target, node.key) {
                    (Target::Key | Target::MemberKey(_), Some(k)) => k,
                    // A finding about an object or array (often: something missing from it)
                    // points at the key that names it, where a reader looks.
                    (Target::Value, Some(k)) if container || cur != *pointer => k,
                    // An array item that is an object: its first key, on the `- ` line, rather
                    // than the whole block.
                    _ if container => doc
                        .spans
                        .member_spans(&cur)
                        .and_then(|m| m.first())
                        .and_then(|m| m.key)
                        .unwrap_or(node.value),
                    _ => node.value,
                };
            }
            p = cur.parent();
        }
        Span::at(0)
    }
}

/// The key span of the `index`-th member of the object `pointer`'s parent names: which copy of
/// a repeated key a finding means. Constant time after the lookup of the object: a file may
/// repeat one key 100,000 times, one finding each.
fn member_key(doc: &Document, pointer: &Pointer, index: usize) -> Option<Span> {
    doc.spans.member_spans(&pointer.parent()?)?.get(index)?.key
}

/// A secondary place, possibly in another file.
#[derive(Debug, Clone)]
pub struct Secondary {
    /// Index into the run's files.
    pub file: usize,
    /// Where.
    pub span: Span,
    /// What it shows.
    pub label: String,
}

/// One diagnostic of a run.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// The rule.
    pub rule: Rule,
    /// Its severity here.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// The fix.
    pub help: Option<String>,
    /// Index into the run's files.
    pub file: usize,
    /// Where.
    pub span: Span,
    /// 1-based line and column of the start, and of the end.
    pub start: (usize, usize),
    /// End position.
    pub end: (usize, usize),
    /// JSON pointer into the file.
    pub pointer: String,
    /// The request's name, when the diagnostic is about one.
    pub request: Option<String>,
    /// Places that explain why.
    pub related: Vec<Secondary>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_secrets_collapse_and_spans_follow() {
        let text = "a: \"Bearer eyJh**********\"\nb: 1\n";
        let masked = Span::new(15, 25);
        let file = SourceFile {
            display: "f.yaml".into(),
            path: PathBuf::from("f.yaml"),
            text: Arc::new(text.into()),
            lines: LineIndex::new(text),
            document: None,
            redacted: vec![masked],
        };
        let shown = file.display_text();
        assert_eq!(shown, "a: \"Bearer eyJh…\"\nb: 1\n");
        // The value's span (quotes included) and a span after the secret.
        let value = file.display_span(Span::new(3, 26));
        assert_eq!(&shown[value.start..value.end], "\"Bearer eyJh…\"");
        let b = file.display_span(Span::new(27, 28));
        assert_eq!(&shown[b.start..b.end], "b");
        // A span starting inside the masked run lands after the ellipsis.
        assert_eq!(
            file.display_span(Span::new(20, 26)).start,
            15 + '…'.len_utf8()
        );
    }
}
