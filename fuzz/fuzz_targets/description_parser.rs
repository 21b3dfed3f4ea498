//! Arbitrary bytes as a description file, YAML and JSON: `source::parse` never panics, and when
//! it returns a document every node has a span of char boundaries inside the text. YAML text
//! also goes through the suppression-comment scanner, which reads every YAML file the CLI checks.
#![no_main]

use embedguard_cli::source::{self, Format, LineIndex};
use embedguard_cli::suppress;
use embedguard_fuzz::{assert_in_text, assert_spans};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    for format in [Format::Yaml, Format::Json] {
        match source::parse(bytes, format) {
            Ok(doc) => {
                // `parse` only returns a document for UTF-8 input.
                let text = std::str::from_utf8(bytes).expect("parsed text is UTF-8");
                assert_spans(text, &doc);
            }
            Err(e) => {
                // The error's span is shown in the file (or, for bad UTF-8, in its lossy copy):
                // it must lie inside the input.
                assert!(
                    e.span.start <= e.span.end && e.span.end <= bytes.len(),
                    "{format:?} error {:?} at {:?} outside the {}-byte input",
                    e.message,
                    e.span,
                    bytes.len()
                );
                if let Ok(text) = std::str::from_utf8(bytes) {
                    assert_in_text(text, e.span, &e.message);
                    let lines = LineIndex::new(text);
                    let _ = (lines.line_col(e.span.start), lines.line_col(e.span.end));
                }
                let _ = e.help(format);
            }
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        let (found, malformed) = suppress::scan(text);
        for s in &found {
            assert_in_text(text, s.span, &"suppression");
            for r in &s.rules {
                assert_in_text(text, r.span, &r.written);
            }
        }
        for m in &malformed {
            assert_in_text(text, m.span, &m.message);
        }
    }
});
