//! The report as JSON, for GRC tools: the model as is, described by
//! `schemas/report.schema.json`.

use crate::model::Report;

/// Renders the report as pretty-printed JSON with a final newline.
pub fn render(report: &Report) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(report).map(|mut s| {
        s.push('\n');
        s
    })
}
