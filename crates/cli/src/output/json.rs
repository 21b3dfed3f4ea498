//! The JSON output of SPEC §2.1 — a stable contract other tools read.

use serde::Serialize;

use crate::check::Run;
use embedguard_core::Severity;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
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
        summary: Summary {
            files: run.descriptions,
            requests: run.requests,
            errors: run.count(Severity::Error),
            warnings: run.count(Severity::Warning),
        },
    };
    serde_json::to_string_pretty(&output).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
