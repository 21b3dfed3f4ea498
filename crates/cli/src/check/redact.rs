//! Masks the secrets EG501 found before anything shows them.
//!
//! A finding never carries the secret, but the file it was found in does, and every rendering
//! that quotes source lines (the human format's snippets, the related lines of other findings)
//! would print it. So the secret's bytes after the prefix a message may show become `*` in the
//! file's text — the same number of bytes, so every span, line and column stays where it was — and
//! the masked ranges are recorded for the human renderer, which shows each as `…`. Every other
//! copy of the same secret in that file (a comment, a repeated value) is masked too, and a
//! message of another rule that repeats a secret (an id rule quoting a bad value) loses it.

use std::collections::BTreeMap;
use std::sync::Arc;

use embedguard_core::secrets;
use embedguard_core::value::{Pointer, Value};
use embedguard_core::Rule;

use super::Run;
use crate::source::Span;

/// Secrets shorter than this are not searched for elsewhere in the file or in other messages:
/// a six-letter password would match ordinary words.
const MIN_SEARCHED: usize = 8;

/// Masks the secrets of the EG501 diagnostics in `run.diagnostics[from..]`, and cuts them from
/// the messages of those diagnostics and of the notes in `run.unjudged[from_unjudged..]`
/// (`--explain-skips`). Needs the parsed documents of their files (run before a chunk's trees
/// are dropped).
pub fn secrets(run: &mut Run, from: usize, from_unjudged: usize) {
    let mut masks: BTreeMap<usize, Vec<Span>> = BTreeMap::new();
    let mut found: Vec<String> = Vec::new();
    for d in &run.diagnostics[from..] {
        if d.rule != Rule::SecretInFile {
            continue;
        }
        let file = &run.files[d.file];
        let Some(doc) = &file.document else { continue };
        let pointer = Pointer::from_escaped(&d.pointer);
        let text = match pointer.resolve(&doc.value) {
            Some(Value::String(s)) => s.as_str(),
            Some(Value::Number(n)) => n.text.as_str(),
            _ => continue,
        };
        let key = nearest_key(&doc.value, &pointer);
        let source = file.text.as_str();
        let region = source.get(d.span.start..d.span.end).unwrap_or_default();
        let spans = masks.entry(d.file).or_default();
        for s in secrets::find(key.as_deref(), text) {
            let secret = &text[s.range];
            let shown = secrets::shown_prefix(secret).len();
            match region.find(secret) {
                Some(at) => {
                    let start = d.span.start + at;
                    spans.push(Span::new(start + shown, start + secret.len()));
                }
                // Written with escapes: mask the whole value but its opening quote and prefix.
                None => spans.push(Span::new(
                    (d.span.start + 1 + shown).min(d.span.end),
                    d.span.end.saturating_sub(1).max(d.span.start),
                )),
            }
            if secret.len() >= MIN_SEARCHED {
                for (at, _) in source.match_indices(secret) {
                    spans.push(Span::new(at + shown, at + secret.len()));
                }
                found.push(secret.to_string());
            }
        }
    }
    for (file, spans) in masks {
        mask(&mut run.files[file], spans);
    }
    if found.is_empty() {
        return;
    }
    found.sort_unstable_by_key(|s| std::cmp::Reverse(s.len()));
    found.dedup();
    let scrub = |text: &mut String| {
        for secret in &found {
            if text.contains(secret.as_str()) {
                let short = format!("{}…", secrets::shown_prefix(secret));
                *text = text.replace(secret.as_str(), &short);
            }
        }
    };
    let scrub_diagnostic = |d: &mut crate::diagnostic::Diagnostic| {
        scrub(&mut d.message);
        if let Some(help) = &mut d.help {
            scrub(help);
        }
        for r in &mut d.related {
            scrub(&mut r.label);
        }
    };
    for d in &mut run.diagnostics[from..] {
        scrub_diagnostic(d);
    }
    for u in &mut run.unjudged[from_unjudged..] {
        scrub_diagnostic(&mut u.diagnostic);
        scrub(&mut u.would_report);
    }
}

/// The key a value is written under: its member's key, or for an array item the key of the
/// array (as EG501 judges it).
fn nearest_key(doc: &Value, pointer: &Pointer) -> Option<String> {
    let mut at = pointer.clone();
    loop {
        let parent = at.parent()?;
        if !matches!(parent.resolve(doc), Some(Value::Array(_))) {
            return at.tokens().last();
        }
        at = parent;
    }
}

/// Replaces the bytes of `spans` in the file's text with `*` (line breaks kept) and records the
/// merged spans in [`crate::diagnostic::SourceFile::redacted`].
fn mask(file: &mut crate::diagnostic::SourceFile, mut spans: Vec<Span>) {
    let text = file.text.as_str();
    // Whole characters only, so the masked text is still UTF-8 of the same length.
    for s in &mut spans {
        s.end = s.end.min(text.len());
        s.start = s.start.min(s.end);
        while !text.is_char_boundary(s.start) {
            s.start -= 1;
        }
        while !text.is_char_boundary(s.end) {
            s.end += 1;
        }
    }
    spans.retain(|s| !s.is_empty());
    spans.extend(file.redacted.iter().copied());
    spans.sort_by_key(|s| (s.start, s.end));
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match merged.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    let mut bytes = text.as_bytes().to_vec();
    for s in &merged {
        for b in &mut bytes[s.start..s.end] {
            if !matches!(*b, b'\n' | b'\r') {
                *b = b'*';
            }
        }
    }
    if let Ok(masked) = String::from_utf8(bytes) {
        file.text = Arc::new(masked);
    }
    file.redacted = merged;
}
