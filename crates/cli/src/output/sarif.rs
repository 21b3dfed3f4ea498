//! SARIF 2.1.0, shaped for GitHub code scanning (`github/codeql-action/upload-sarif`).
//!
//! GitHub rejects empty strings in required properties, reads only the first location of a
//! result, and wants repository-relative paths: relative display paths become URIs against
//! `%SRCROOT%`, absolute ones `file:///` URIs. Every rule is listed, not only those that fired,
//! so `ruleIndex` is the rule's place in [`Rule::all`] whatever the run found.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use crate::check::Run;
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use embedguard_core::{Rule, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");
/// The `partialFingerprints` key: versioned, so a change of the key's recipe can use a new name.
const FINGERPRINT_KEY: &str = "embedguard/v1";

/// Renders a run as a SARIF 2.1.0 log with one run.
pub fn render(run: &Run) -> String {
    let rules: Vec<Rule> = Rule::all().collect();
    let index: HashMap<Rule, usize> = rules.iter().enumerate().map(|(i, r)| (*r, i)).collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let results: Vec<Value> = run
        .diagnostics
        .iter()
        .map(|d| {
            let key = fingerprint(d.rule.code(), &run.files[d.file].display, &d.pointer);
            // Two findings of one rule at one pointer (two datasets, say) need distinct keys.
            let n = seen.entry(key.clone()).or_insert(0);
            *n += 1;
            let key = format!("{key}:{n}");
            result(run, d, index.get(&d.rule).copied().unwrap_or(0), key)
        })
        .collect();
    // `--explain-skips`: SARIF's own kind for "could not tell whether this passes or fails".
    let open = run.unjudged.iter().map(|u| {
        let d = &u.diagnostic;
        let key = fingerprint(
            &format!("{}/open", d.rule.code()),
            &run.files[d.file].display,
            &format!("{}#{}", d.pointer, d.request.as_deref().unwrap_or_default()),
        );
        let mut r = result(run, d, index.get(&d.rule).copied().unwrap_or(0), key);
        if let Value::Object(fields) = &mut r {
            fields.insert("kind".into(), json!("open"));
            fields.insert("level".into(), json!("none"));
        }
        r
    });
    let results: Vec<Value> = results.into_iter().chain(open).collect();

    let mut sarif_run = Map::new();
    sarif_run.insert(
        "tool".into(),
        json!({
            "driver": {
                "name": "embedguard",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": INFORMATION_URI,
                "rules": rules.iter().map(|r| rule_descriptor(*r)).collect::<Vec<_>>(),
            }
        }),
    );
    let mut invocation = Map::new();
    invocation.insert("executionSuccessful".into(), json!(!run.input_failed));
    if !run.errors.is_empty() || !run.skip_notes.is_empty() {
        let errors = run
            .errors
            .iter()
            .map(|e| json!({ "level": "error", "message": { "text": non_empty(e, "error") } }));
        let notes = run.skip_notes.iter().map(|n| {
            json!({
                "level": "note",
                "message": { "text": non_empty(&n.message, "not judged") },
                "locations": [{ "physicalLocation": {
                    "artifactLocation": artifact_location(&run.files[n.file].display)
                } }],
            })
        });
        let notifications: Vec<Value> = errors.chain(notes).collect();
        invocation.insert("toolExecutionNotifications".into(), json!(notifications));
    }
    sarif_run.insert("invocations".into(), json!([invocation]));
    // Our columns count chars (Unicode scalar values), not SARIF's default UTF-16 code units.
    sarif_run.insert("columnKind".into(), json!("unicodeCodePoints"));
    sarif_run.insert("results".into(), json!(results));

    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [sarif_run],
    });
    serde_json::to_string_pretty(&log).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// The rule's family, as the rules are grouped in `crates/core/src/rules/` (by hundreds).
fn family(rule: Rule) -> &'static str {
    match rule.code().as_bytes().get(2) {
        Some(b'0') => "input",
        Some(b'1') => "workspace",
        Some(b'2') => "permissions",
        Some(b'3') => "identity",
        Some(b'4') => "caller",
        _ => "other",
    }
}

fn rule_descriptor(rule: Rule) -> Value {
    let meta = rule.meta();
    let summary = non_empty(meta.summary, rule.name());
    let full = section(meta.page, "What it does").unwrap_or_else(|| summary.to_string());
    let page = non_empty(meta.page, summary);
    json!({
        "id": rule.code(),
        "name": rule.name(),
        "shortDescription": { "text": summary },
        "fullDescription": { "text": full },
        "help": { "text": page, "markdown": page },
        "helpUri": rule.doc_url(),
        "defaultConfiguration": { "level": level(meta.severity) },
        "properties": { "tags": ["power-bi", family(rule)] },
    })
}

/// The text of a page's `## {title}` section, its lines joined into one paragraph.
fn section(page: &str, title: &str) -> Option<String> {
    let heading = format!("## {title}");
    let mut lines = page.lines().skip_while(|l| l.trim_end() != heading).skip(1);
    let text = lines
        .by_ref()
        .take_while(|l| !l.starts_with("## "))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    (!text.is_empty()).then_some(text)
}

fn result(run: &Run, d: &Diagnostic, rule_index: usize, fingerprint: String) -> Value {
    let mut text = non_empty(&d.message, d.rule.name()).to_string();
    if let Some(help) = d.help.as_deref().filter(|h| !h.is_empty()) {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let mut result = Map::new();
    result.insert("ruleId".into(), json!(d.rule.code()));
    result.insert("ruleIndex".into(), json!(rule_index));
    result.insert("level".into(), json!(level(d.severity)));
    result.insert("message".into(), json!({ "text": text }));
    result.insert(
        "locations".into(),
        json!([{ "physicalLocation": physical_location(run, d.file, d.start, d.end) }]),
    );
    if !d.related.is_empty() {
        let related: Vec<Value> = d
            .related
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let (start, end) = positions(run, s.file, s.span);
                json!({
                    "id": i,
                    "physicalLocation": physical_location(run, s.file, start, end),
                    "message": { "text": non_empty(&s.label, "related") },
                })
            })
            .collect();
        result.insert("relatedLocations".into(), json!(related));
    }
    result.insert(
        "partialFingerprints".into(),
        json!({ FINGERPRINT_KEY: fingerprint }),
    );
    let mut properties = Map::new();
    if !d.pointer.is_empty() {
        properties.insert("pointer".into(), json!(d.pointer));
    }
    if let Some(request) = d.request.as_deref().filter(|r| !r.is_empty()) {
        properties.insert("request".into(), json!(request));
    }
    if !properties.is_empty() {
        result.insert("properties".into(), Value::Object(properties));
    }
    Value::Object(result)
}

fn positions(run: &Run, file: usize, span: Span) -> ((usize, usize), (usize, usize)) {
    let lines = &run.files[file].lines;
    (lines.line_col(span.start), lines.line_col(span.end))
}

/// A file and region. `end` is already the position after the span's last char, which is what
/// SARIF's `endColumn` means.
fn physical_location(run: &Run, file: usize, start: (usize, usize), end: (usize, usize)) -> Value {
    json!({
        "artifactLocation": artifact_location(&run.files[file].display),
        "region": {
            "startLine": start.0.max(1),
            "startColumn": start.1.max(1),
            "endLine": end.0.max(start.0).max(1),
            "endColumn": end.1.max(1),
        },
    })
}

/// A display path as a SARIF artifact location: relative against `%SRCROOT%`, absolute as a
/// `file:///` URI; backslashes become slashes, other characters unsafe in a URI are
/// percent-encoded.
fn artifact_location(display: &str) -> Value {
    let path = display.replace('\\', "/");
    let bytes = path.as_bytes();
    // `C:/…` (a Windows drive); `a:b.yaml` is a relative name with a colon in it.
    let drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    if path.starts_with("//") {
        // A UNC path, `//server/share/…`.
        json!({ "uri": format!("file:{}", encode(&path, true)) })
    } else if path.starts_with('/') {
        json!({ "uri": format!("file://{}", encode(&path, true)) })
    } else if drive {
        json!({ "uri": format!("file:///{}", encode(&path, true)) })
    } else {
        // `:` is encoded here, or `a:b.yaml` would read as a URI with scheme `a`.
        json!({ "uri": encode(non_empty(&path, "."), false), "uriBaseId": "%SRCROOT%" })
    }
}

/// Percent-encodes every byte but RFC 3986's unreserved characters and `/` (and `:` when
/// `colon`).
fn encode(path: &str, colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else if colon && b == b':' {
            out.push(':');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A key that survives edits which only move lines: FNV-1a (64 bits, hex) of code, file and
/// JSON pointer, each followed by a NUL byte.
fn fingerprint(code: &str, file: &str, pointer: &str) -> String {
    let file = file.replace('\\', "/");
    let mut bytes = Vec::with_capacity(code.len() + file.len() + pointer.len() + 3);
    for part in [code, file.as_str(), pointer] {
        bytes.extend_from_slice(part.as_bytes());
        bytes.push(0);
    }
    format!("{:016x}", fnv1a(&bytes))
}

/// 64-bit FNV-1a: small, stable across versions and platforms (unlike `std`'s hashers).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

fn non_empty<'a>(text: &'a str, fallback: &'a str) -> &'a str {
    if text.trim().is_empty() {
        fallback
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;
    use crate::diagnostic::{Secondary, SourceFile};
    use crate::source::LineIndex;

    fn file(display: &str, text: &str) -> SourceFile {
        SourceFile {
            display: display.into(),
            path: PathBuf::from(display),
            text: Arc::new(text.into()),
            lines: LineIndex::new(text),
            redacted: Vec::new(),
            document: None,
        }
    }

    fn diagnostic(span: Span, lines: &LineIndex) -> Diagnostic {
        Diagnostic {
            rule: Rule::RlsIdentityRequired,
            severity: Severity::Error,
            message: "no identity".into(),
            help: Some("add one".into()),
            file: 0,
            span,
            start: lines.line_col(span.start),
            end: lines.line_col(span.end),
            pointer: "/requests/0/body".into(),
            request: Some("portal".into()),
            related: Vec::new(),
        }
    }

    #[test]
    fn fnv1a_matches_the_reference_values() {
        // Reference values of the FNV specification (draft-eastlake-fnv).
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
        assert_eq!(fingerprint("EG301", "a/b.yaml", "/x").len(), 16);
        assert_eq!(
            fingerprint("EG301", "a\\b.yaml", "/x"),
            fingerprint("EG301", "a/b.yaml", "/x")
        );
        assert_ne!(
            fingerprint("EG301", "a/b.yaml", "/x"),
            fingerprint("EG302", "a/b.yaml", "/x")
        );
        // The separators keep `ab` + `c` apart from `a` + `bc`.
        assert_ne!(fingerprint("ab", "c", ""), fingerprint("a", "bc", ""));
    }

    #[test]
    fn region_end_column_is_the_column_after_the_last_char() {
        let text = "a: 1\nkey: value\n";
        let mut run = Run::default();
        run.files.push(file("dir/f.yaml", text));
        // `value`: bytes 10..15, columns 6 to 10 of line 2.
        let d = diagnostic(Span::new(10, 15), &run.files[0].lines);
        run.diagnostics.push(d);
        let out: Value = serde_json::from_str(&render(&run)).expect("json");
        let region = &out["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
        assert_eq!(
            region,
            &json!({ "startLine": 2, "startColumn": 6, "endLine": 2, "endColumn": 11 })
        );
    }

    #[test]
    fn results_carry_rule_help_related_and_fingerprint() {
        let mut run = Run::default();
        run.files.push(file("d.yaml", "body: {}\n"));
        run.files.push(file("/abs/tenant.yaml", "datasets: []\n"));
        let mut d = diagnostic(Span::new(0, 4), &run.files[0].lines);
        d.related.push(Secondary {
            file: 1,
            span: Span::new(0, 8),
            label: "declared here".into(),
        });
        run.diagnostics.push(d.clone());
        run.diagnostics.push(d);
        run.errors
            .push("`x.yaml`: no such file or directory".into());
        run.input_failed = true;
        let out: Value = serde_json::from_str(&render(&run)).expect("json");
        let r = &out["runs"][0]["results"][0];
        assert_eq!(r["ruleId"], "EG301");
        let rules = &out["runs"][0]["tool"]["driver"]["rules"];
        assert_eq!(
            rules[r["ruleIndex"].as_u64().expect("index") as usize]["id"],
            "EG301"
        );
        assert_eq!(r["message"]["text"], "no identity\nhelp: add one");
        assert_eq!(r["properties"]["request"], "portal");
        let related = &r["relatedLocations"][0];
        assert_eq!(related["message"]["text"], "declared here");
        assert_eq!(
            related["physicalLocation"]["artifactLocation"]["uri"],
            "file:///abs/tenant.yaml"
        );
        assert_eq!(related["physicalLocation"]["region"]["endColumn"], 9);
        let first = r["partialFingerprints"][FINGERPRINT_KEY]
            .as_str()
            .expect("fp");
        let second = out["runs"][0]["results"][1]["partialFingerprints"][FINGERPRINT_KEY]
            .as_str()
            .expect("fp");
        assert!(
            first.ends_with(":1") && second.ends_with(":2"),
            "{first} {second}"
        );
        let invocation = &out["runs"][0]["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], false);
        assert_eq!(
            invocation["toolExecutionNotifications"][0]["level"],
            "error"
        );
    }

    #[test]
    fn artifact_locations() {
        assert_eq!(
            artifact_location("fixtures/my dir/a#b.yaml"),
            json!({ "uri": "fixtures/my%20dir/a%23b.yaml", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact_location("fixtures\\rules\\x.yaml"),
            json!({ "uri": "fixtures/rules/x.yaml", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact_location("a:b.yaml"),
            json!({ "uri": "a%3Ab.yaml", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact_location("/tmp/é 1.yaml"),
            json!({ "uri": "file:///tmp/%C3%A9%201.yaml" })
        );
        assert_eq!(
            artifact_location("C:\\work\\a.yaml"),
            json!({ "uri": "file:///C:/work/a.yaml" })
        );
        assert_eq!(
            artifact_location("\\\\server\\share\\a.yaml"),
            json!({ "uri": "file://server/share/a.yaml" })
        );
    }

    #[test]
    fn every_rule_has_a_full_description_from_its_page() {
        for rule in Rule::all() {
            let full = section(rule.meta().page, "What it does");
            assert!(full.is_some_and(|t| !t.is_empty()), "{}", rule.code());
        }
        assert_eq!(
            section("# t\n## A\nx\ny\n\n## B\nz", "A").as_deref(),
            Some("x y")
        );
        assert_eq!(section("# t\n## A\n", "A"), None);
        assert!(INFORMATION_URI.starts_with("https://"));
    }
}
