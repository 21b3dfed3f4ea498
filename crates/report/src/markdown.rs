//! The report as Markdown, for pull requests and wikis: the same sections as the HTML, the
//! charts as tables with text bars (Markdown hosts strip inline SVG), every text of the inputs
//! escaped so it renders as written and never as markup.

use std::fmt::Write;

use crate::facts::{CallerKind, Coverage};
use crate::model::{Report, RequestEntry};
use crate::table::{self, Cell, Table};
use crate::tenant::{RequestRef, TenantView};

/// `text` safe in Markdown text and table cells: markup characters escaped, HTML neutralised,
/// line breaks folded.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        return "—".into();
    }
    items
        .iter()
        .map(|i| escape(i))
        .collect::<Vec<_>>()
        .join("<br>")
}

fn opt(value: Option<&str>) -> String {
    value.map_or("—".into(), escape)
}

/// A text bar of `value` against `max`, 30 characters at most.
fn bar(value: usize, max: usize) -> String {
    let n = (value * 30).div_ceil(max.max(1));
    "█".repeat(n)
}

/// Renders the report as Markdown.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let s = &report.summary;
    let inputs: Vec<String> = report
        .inputs
        .iter()
        .map(|i| format!("`{}`", i.replace('`', "'")))
        .collect();
    let _ = writeln!(
        out,
        "# embedguard compliance report\n\nGenerated {} by {} · inputs: {}\n",
        escape(&report.generated_at),
        escape(&report.generator),
        inputs.join(", ")
    );
    out.push_str("## Summary\n\n| figure | value |\n|---|---:|\n");
    let rows = [
        ("files", s.files),
        ("requests", s.requests),
        ("errors", s.errors),
        ("warnings", s.warnings),
        ("notes", s.notes),
        ("requests with errors", s.requests_with_errors),
        ("tenants", s.tenants),
    ];
    for (k, v) in rows {
        let _ = writeln!(out, "| {k} | {v} |");
    }
    for kind in CallerKind::ALL {
        let _ = writeln!(
            out,
            "| callers: {} | {} |",
            kind.label(),
            s.callers.get(kind)
        );
    }
    match s.not_judged {
        Some(n) => {
            let _ = writeln!(out, "| not judged (a rule lacked a tenant fact) | {n} |");
        }
        None => out.push_str(
            "\nA rule that lacks a tenant fact stays silent; `embedguard report --explain-skips` \
             lists each one with the fact it lacks.\n",
        ),
    }
    if !report.problems.is_empty() {
        out.push_str("\n**Problems**\n\n");
        for p in &report.problems {
            let _ = writeln!(out, "- {}", escape(p));
        }
    }

    let c = &report.charts;
    out.push_str("\n## Charts\n\n### Findings by rule and severity\n\n| rule | error | warning | note | |\n|---|---:|---:|---:|---|\n");
    let max = c
        .findings_by_rule
        .iter()
        .map(|r| r.error + r.warning + r.note)
        .max()
        .unwrap_or(0);
    for r in &c.findings_by_rule {
        let _ = writeln!(
            out,
            "| [{}]({}) {} | {} | {} | {} | {} |",
            r.code,
            embedguard_core::Rule::lookup(r.code).map_or(String::new(), |rule| rule.doc_url()),
            escape(r.name),
            r.error,
            r.warning,
            r.note,
            bar(r.error + r.warning + r.note, max)
        );
    }
    out.push_str("\n### Requests by endpoint and caller kind\n\n| endpoint | service principal | master user | unknown | |\n|---|---:|---:|---:|---|\n");
    let max = c
        .requests_by_endpoint
        .iter()
        .map(|e| e.callers.service_principal + e.callers.master_user + e.callers.unknown)
        .max()
        .unwrap_or(0);
    for e in &c.requests_by_endpoint {
        let k = &e.callers;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            escape(&e.endpoint),
            k.service_principal,
            k.master_user,
            k.unknown,
            bar(k.service_principal + k.master_user + k.unknown, max)
        );
    }
    out.push_str("\n### RLS coverage (each dataset of each request)\n\n| coverage | datasets | |\n|---|---:|---|\n");
    let max = Coverage::ALL
        .iter()
        .map(|k| c.rls_coverage.get(*k))
        .max()
        .unwrap_or(0);
    for k in Coverage::ALL {
        let n = c.rls_coverage.get(k);
        let _ = writeln!(out, "| {} | {n} | {} |", k.label(), bar(n, max));
    }

    out.push_str("\n## Requests\n");
    if report.requests.is_empty() {
        out.push_str("\nNo requests.\n");
    }
    for r in &report.requests {
        request(&mut out, r);
    }
    out.push_str("\n## Findings outside requests\n\n");
    if report.other_findings.is_empty() {
        out.push_str("None.\n");
    } else {
        table(&mut out, &table::findings(&report.other_findings, true));
    }
    tenants(&mut out, &report.tenants);
    appendix(&mut out, report);
    out
}

/// Draws `table`: its title as a line of its own, then the table.
fn table(out: &mut String, table: &Table<'_>) {
    if !table.title.is_empty() {
        let _ = writeln!(out, "\n{}:\n", table.title);
    } else {
        out.push('\n');
    }
    let _ = writeln!(out, "| {} |", table.columns.join(" | "));
    let rule: Vec<&str> = table
        .rows
        .first()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Cell::Count(_) => "---:",
                    _ => "---",
                })
                .collect()
        })
        .unwrap_or_else(|| table.columns.iter().map(|_| "---").collect());
    let _ = writeln!(out, "|{}|", rule.join("|"));
    for row in &table.rows {
        let cells: Vec<String> = row.iter().map(cell).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}

/// One cell's text.
fn cell(cell: &Cell<'_>) -> String {
    match cell {
        Cell::Text(text) => escape(text),
        Cell::Count(n) => n.to_string(),
        Cell::Maybe(value) => opt(*value),
        Cell::Lines(lines) => lines.as_deref().map_or_else(|| "unknown".into(), list),
        Cell::Requests(refs) => request_links(refs),
        Cell::Severity(s) => s.to_string(),
        Cell::Rule { code, name, url } => format!("[{code}]({url}) {}", escape(name)),
        Cell::Place(place) => escape(place),
        Cell::Message { text, help } => format!(
            "{}{}",
            escape(text),
            help.map(|h| format!("<br>help: {}", escape(h)))
                .unwrap_or_default()
        ),
        Cell::Coverage(c) => c.label().to_string(),
        Cell::Assumed {
            report,
            assumed,
            alternatives,
        } => format!(
            "{}<br>{}",
            escape(&Cell::assumption(assumed, *alternatives)),
            escape(report)
        ),
    }
}

fn request(out: &mut String, r: &RequestEntry) {
    let _ = write!(
        out,
        "\n### {}\n\n<a id=\"{}\"></a>{}:{}\n\n| | |\n|---|---|\n",
        escape(&r.name),
        escape(&r.anchor),
        escape(&r.file),
        r.line
    );
    let rows: [(&str, String); 9] = [
        (
            "caller",
            format!("{} ({})", opt(r.caller.as_deref()), r.caller_kind.label()),
        ),
        (
            "endpoint",
            format!(
                "{} {} {}",
                opt(r.endpoint.as_deref()),
                escape(&r.method),
                opt(r.target.as_deref())
            ),
        ),
        ("access", escape(&r.access_level)),
        ("rights", list(&r.rights)),
        ("lifetime (minutes)", opt(r.lifetime_minutes.as_deref())),
        ("identities", r.identities.to_string()),
        ("reports", list(&r.reports)),
        ("workspaces", list(&r.workspaces)),
        ("tenant", opt(r.tenant.as_deref())),
    ];
    for (k, v) in rows {
        let _ = writeln!(out, "| {k} | {v} |");
    }
    if !r.datasets.is_empty() {
        table(out, &table::datasets(r));
    }
    out.push('\n');
    if r.findings.is_empty() {
        out.push_str("No findings.\n");
    } else {
        let _ = writeln!(
            out,
            "Findings: {} errors, {} warnings, {} notes\n",
            r.errors, r.warnings, r.notes
        );
        table(out, &table::findings(&r.findings, false));
    }
    if !r.not_judged.is_empty() {
        table(out, &table::not_judged(&r.not_judged));
    }
}

fn request_links(refs: &[RequestRef]) -> String {
    if refs.is_empty() {
        return "—".into();
    }
    refs.iter()
        .map(|r| format!("[{}](#{}) ({})", escape(&r.name), r.anchor, escape(&r.file)))
        .collect::<Vec<_>>()
        .join("<br>")
}

fn tenants(out: &mut String, tenants: &[TenantView]) {
    out.push_str("\n## Tenants\n");
    if tenants.is_empty() {
        out.push_str("\nNo inventory was given.\n");
    }
    for t in tenants {
        let _ = writeln!(out, "\n### {}", escape(&t.label));
        for t in table::tenant(t) {
            table(out, &t);
        }
    }
}

fn appendix(out: &mut String, report: &Report) {
    out.push_str("\n## Appendix: the rules that fired\n");
    if report.rules.is_empty() {
        out.push_str("\nNo rule fired.\n");
    }
    for r in &report.rules {
        let _ = write!(
            out,
            "\n### [{} {}]({})\n\n{} by default · {} finding(s) in this report\n\n{}\n\n{}\n\n",
            r.code,
            escape(r.name),
            r.doc_url,
            r.severity,
            r.findings,
            escape(r.summary),
            escape(&r.text)
        );
        for q in &r.quotes {
            let _ = writeln!(out, "> {}\n", escape(&q.text));
            if let Some(source) = &q.source {
                let _ = writeln!(out, "Source: {}\n", escape(source));
            }
        }
        let _ = writeln!(out, "Documentation: {}", r.source);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_is_escaped_and_lines_fold() {
        assert_eq!(
            escape("a|b *c* [d](javascript:x) <img>\n`e`"),
            "a\\|b \\*c\\* \\[d\\](javascript:x) &lt;img&gt; \\`e\\`"
        );
    }

    #[test]
    fn bars_scale_to_the_largest() {
        assert_eq!(bar(0, 10).chars().count(), 0);
        assert_eq!(bar(10, 10).chars().count(), 30);
        assert_eq!(bar(1, 10).chars().count(), 3);
    }
}
