//! The JSON output of SPEC §2.1 — a stable contract other tools read.

use serde::Serialize;

use crate::check::Run;
use embedguard_core::Severity;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    /// Only with `--explain-skips`, so the output without it is unchanged.
    #[serde(skip_serializing_if = "Option::is_none")]
    skips: Option<Vec<JsonSkip<'a>>>,
    summary: Summary,
}

/// A rule that could not judge a request (`code` set), or a note about a whole file or request
/// (`code` null).
#[derive(Serialize)]
struct JsonSkip<'a> {
    code: Option<&'static str>,
    name: Option<&'static str>,
    message: &'a str,
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    pointer: Option<&'a str>,
    request: Option<&'a str>,
    help: Option<&'a str>,
    would_report: Option<&'a str>,
    assumed: Vec<JsonAssumption<'a>>,
    alternatives: usize,
}

#[derive(Serialize)]
struct JsonAssumption<'a> {
    entity_kind: &'static str,
    entity: &'a str,
    key: &'static str,
    value: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    pointer: &'a str,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    name: &'static str,
    severity: Severity,
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    pointer: &'a str,
    request: Option<&'a str>,
    help: Option<&'a str>,
    source: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    requests: usize,
    errors: usize,
    warnings: usize,
}

/// Renders a run as the SPEC §2.1 JSON document.
pub fn render(run: &Run) -> String {
    let output = Output {
        version: 1,
        diagnostics: run
            .diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                code: d.rule.code(),
                name: d.rule.name(),
                severity: d.severity,
                message: &d.message,
                file: &run.files[d.file].display,
                line: d.start.0,
                column: d.start.1,
                end_line: d.end.0,
                end_column: d.end.1,
                pointer: &d.pointer,
                request: d.request.as_deref(),
                help: d.help.as_deref(),
                source: d.rule.meta().source,
            })
            .collect(),
        skips: run.explain_skips.then(|| skips(run)),
        summary: Summary {
            files: run.descriptions,
            requests: run.requests,
            errors: run.count(Severity::Error),
            warnings: run.count(Severity::Warning),
        },
    };
    serde_json::to_string_pretty(&output).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// The `skips` array: each rule that could not judge a request, then the notes.
fn skips(run: &Run) -> Vec<JsonSkip<'_>> {
    let rules = run.unjudged.iter().map(|u| {
        let d = &u.diagnostic;
        JsonSkip {
            code: Some(d.rule.code()),
            name: Some(d.rule.name()),
            message: &d.message,
            file: &run.files[d.file].display,
            line: Some(d.start.0),
            column: Some(d.start.1),
            pointer: Some(&d.pointer),
            request: d.request.as_deref(),
            help: d.help.as_deref(),
            would_report: Some(&u.would_report),
            assumed: u
                .assumed
                .iter()
                .map(|a| JsonAssumption {
                    entity_kind: a.entity_kind,
                    entity: &a.entity,
                    key: a.key,
                    value: &a.value,
                    file: &run.files[a.file].display,
                    line: a.start.0,
                    column: a.start.1,
                    pointer: &a.pointer,
                })
                .collect(),
            alternatives: u.alternatives,
        }
    });
    let notes = run.skip_notes.iter().map(|n| JsonSkip {
        code: None,
        name: None,
        message: &n.message,
        file: &run.files[n.file].display,
        line: None,
        column: None,
        pointer: None,
        request: n.request.as_deref(),
        help: None,
        would_report: None,
        assumed: Vec::new(),
        alternatives: 0,
    });
    rules.chain(notes).collect()
}
