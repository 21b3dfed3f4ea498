//! The report as one self-contained HTML file: inline CSS and SVG, no script, nothing fetched
//! (a Content-Security-Policy says so to the browser), a print stylesheet, and every text of the
//! inputs escaped.

use std::fmt::Write;

use embedguard_core::Severity;

use crate::facts::{CallerKind, Coverage};
use crate::model::{Report, RequestEntry};
use crate::svg::{bar_chart, Bar, Series};
use crate::table::{self, Cell, Table};
use crate::tenant::{RequestRef, TenantView};

/// `text` safe in HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { color-scheme: light; --err: #b42318; --warn: #b54708; --note: #175cd3; --ok: #067647; --mute: #667085; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #101828; margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; border-bottom: 2px solid #d0d5dd; padding-bottom: 4px; margin-top: 36px; }
h3 { font-size: 16px; margin: 24px 0 8px; }
h4 { font-size: 14px; margin: 12px 0 4px; }
.meta, .mute { color: var(--mute); }
nav ol { columns: 2; }
dl.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; margin: 0; }
dl.figures div { border: 1px solid #d0d5dd; border-radius: 6px; padding: 8px 12px; }
dl.figures dt { color: var(--mute); font-size: 12px; }
dl.figures dd { margin: 0; font-size: 22px; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 12px; }
th, td { border: 1px solid #e4e7ec; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f2f4f7; font-weight: 600; }
table.facts th { width: 170px; }
table.findings td:nth-child(-n+3) { white-space: nowrap; }
code, .path { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; word-break: break-all; }
.sev { font-weight: 600; }
.sev-error { color: var(--err); }
.sev-warning { color: var(--warn); }
.sev-note { color: var(--note); }
.cov-covered { color: var(--ok); }
.cov-uncovered { color: var(--err); font-weight: 600; }
section.request { border: 1px solid #d0d5dd; border-radius: 6px; padding: 4px 14px 8px; margin: 14px 0; }
section.request.has-errors { border-left: 5px solid var(--err); }
blockquote { margin: 6px 0; padding: 4px 12px; border-left: 3px solid #d0d5dd; color: #344054; }
svg.chart { max-width: 100%; height: auto; font: 12px system-ui, sans-serif; }
svg.chart text { fill: #101828; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  section.request, table, svg.chart, blockquote { break-inside: avoid; }
  h2 { break-after: avoid; }
  h2#requests, h2#tenant, h2#appendix { break-before: page; }
}
@page { margin: 14mm; }
"#;

/// Renders the report as one HTML document.
pub fn render(report: &Report) -> String {
    let mut out = String::with_capacity(64 * 1024 + report.requests.len() * 4096);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>embedguard compliance report · {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&report.generated_at)
    );
    header(&mut out, report);
    summary(&mut out, report);
    charts(&mut out, report);
    requests(&mut out, report);
    tenants(&mut out, &report.tenants);
    appendix(&mut out, report);
    out.push_str("</body>\n</html>\n");
    out
}

fn header(out: &mut String, report: &Report) {
    let inputs: Vec<String> = report
        .inputs
        .iter()
        .map(|i| format!("<code>{}</code>", escape(i)))
        .collect();
    let _ = write!(
        out,
        "<header>\n<h1>embedguard compliance report</h1>\n<p class=\"meta\">Generated <time id=\"generated-at\">{}</time> by {} · inputs: {}</p>\n</header>\n",
        escape(&report.generated_at),
        escape(&report.generator),
        inputs.join(", ")
    );
    out.push_str(
        "<nav><h2>Contents</h2><ol>\
         <li><a href=\"#summary\">Summary</a></li>\
         <li><a href=\"#charts\">Charts</a></li>\
         <li><a href=\"#requests\">Requests</a></li>\
         <li><a href=\"#other-findings\">Findings outside requests</a></li>\
         <li><a href=\"#tenant\">Tenants</a></li>\
         <li><a href=\"#appendix\">Appendix: rules</a></li>\
         </ol></nav>\n",
    );
}

fn figure(out: &mut String, id: &str, label: &str, value: usize) {
    let _ = write!(
        out,
        "<div><dt>{}</dt><dd id=\"summary-{id}\">{value}</dd></div>",
        escape(label)
    );
}

fn summary(out: &mut String, report: &Report) {
    let s = &report.summary;
    out.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n<dl class=\"figures\">");
    figure(out, "files", "files", s.files);
    figure(out, "requests", "requests", s.requests);
    figure(out, "errors", "errors", s.errors);
    figure(out, "warnings", "warnings", s.warnings);
    figure(out, "notes", "notes", s.notes);
    figure(
        out,
        "requests-with-errors",
        "requests with errors",
        s.requests_with_errors,
    );
    figure(out, "tenants", "tenants", s.tenants);
    for kind in CallerKind::ALL {
        let id = format!("callers-{}", kind.label().replace(' ', "-"));
        figure(
            out,
            &id,
            &format!("callers: {}", kind.label()),
            s.callers.get(kind),
        );
    }
    if let Some(n) = s.not_judged {
        figure(out, "not-judged", "not judged", n);
    }
    out.push_str("</dl>\n");
    if s.not_judged.is_none() {
        out.push_str(
            "<p class=\"mute\">A rule that lacks a tenant fact stays silent; \
             <code>embedguard report --explain-skips</code> lists each one with the fact it \
             lacks.</p>\n",
        );
    }
    if !report.problems.is_empty() {
        out.push_str("<h3>Problems</h3>\n<ul>");
        for p in &report.problems {
            let _ = write!(out, "<li>{}</li>", escape(p));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

const SEVERITIES: [Series; 3] = [
    Series {
        name: "error",
        color: "#d92d20",
    },
    Series {
        name: "warning",
        color: "#f79009",
    },
    Series {
        name: "note",
        color: "#2e90fa",
    },
];
const KINDS: [Series; 3] = [
    Series {
        name: "service principal",
        color: "#1570ef",
    },
    Series {
        name: "master user",
        color: "#9e77ed",
    },
    Series {
        name: "unknown",
        color: "#98a2b3",
    },
];
const COVERAGE: [Series; 4] = [
    Series {
        name: "RLS, identity covers it",
        color: "#17b26a",
    },
    Series {
        name: "RLS, no identity covers it",
        color: "#d92d20",
    },
    Series {
        name: "no RLS",
        color: "#84caff",
    },
    Series {
        name: "RLS unknown",
        color: "#98a2b3",
    },
];

fn charts(out: &mut String, report: &Report) {
    let c = &report.charts;
    // The two short charts first, so the first screen shows who calls and what is filtered.
    out.push_str(
        "<section id=\"charts\">\n<h2>Charts</h2>\n<h3>Requests by endpoint and caller kind</h3>\n",
    );
    let bars: Vec<Bar> = c
        .requests_by_endpoint
        .iter()
        .map(|e| Bar {
            label: e.endpoint.clone(),
            values: CallerKind::ALL.iter().map(|k| e.callers.get(*k)).collect(),
        })
        .collect();
    out.push_str(&bar_chart(
        "Requests by endpoint and caller kind",
        &KINDS,
        &bars,
    ));
    out.push_str("\n<h3>RLS coverage (each dataset of each request)</h3>\n");
    let bars: Vec<Bar> = Coverage::ALL
        .iter()
        .map(|k| Bar {
            label: k.label().to_string(),
            values: Coverage::ALL
                .iter()
                .map(|j| if j == k { c.rls_coverage.get(*k) } else { 0 })
                .collect(),
        })
        .collect();
    out.push_str(&bar_chart("RLS coverage", &COVERAGE, &bars));
    out.push_str("\n<h3>Findings by rule and severity</h3>\n");
    let bars: Vec<Bar> = c
        .findings_by_rule
        .iter()
        .map(|r| Bar {
            label: format!("{} {}", r.code, r.name),
            values: vec![r.error, r.warning, r.note],
        })
        .collect();
    out.push_str(&bar_chart(
        "Findings by rule and severity",
        &SEVERITIES,
        &bars,
    ));
    out.push_str("\n</section>\n");
}

fn severity(s: Severity) -> String {
    format!("<span class=\"sev sev-{s}\">{s}</span>")
}

/// Draws `table`: its title as a heading, then the table.
fn table(out: &mut String, table: &Table<'_>) {
    if !table.title.is_empty() {
        let _ = writeln!(out, "<h4>{}</h4>", table.title);
    }
    if table.class.is_empty() {
        out.push_str("<table><thead><tr>");
    } else {
        let _ = write!(out, "<table class=\"{}\"><thead><tr>", table.class);
    }
    for column in &table.columns {
        let _ = write!(out, "<th>{column}</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for row in &table.rows {
        out.push_str("<tr>");
        for c in row {
            out.push_str(&cell(c));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n");
}

/// One cell, `<td>` included (some carry a class).
fn cell(cell: &Cell<'_>) -> String {
    let unknown = || "<span class=\"mute\">unknown</span>".to_string();
    match cell {
        Cell::Text(text) => format!("<td>{}</td>", escape(text)),
        Cell::Count(n) => format!("<td>{n}</td>"),
        Cell::Maybe(value) => format!("<td>{}</td>", opt(*value)),
        Cell::Lines(lines) => format!("<td>{}</td>", lines.as_deref().map_or_else(unknown, list)),
        Cell::Requests(refs) => format!("<td>{}</td>", request_links(refs)),
        Cell::Severity(s) => format!("<td>{}</td>", severity(*s)),
        Cell::Rule { code, name, url } => format!(
            "<td><a href=\"{}\">{code}</a> <span class=\"mute\">{name}</span></td>",
            escape(url)
        ),
        Cell::Place(place) => format!("<td class=\"path\">{}</td>", escape(place)),
        Cell::Message { text, help } => format!(
            "<td>{}{}</td>",
            escape(text),
            help.map(|h| format!("<br><span class=\"mute\">help: {}</span>", escape(h)))
                .unwrap_or_default()
        ),
        Cell::Coverage(c) => format!(
            "<td class=\"cov-{}\">{}</td>",
            coverage_class(*c),
            c.label()
        ),
        Cell::Assumed {
            report,
            assumed,
            alternatives,
        } => format!(
            "<td><span class=\"mute\">{}</span><br>{}</td>",
            escape(&Cell::assumption(assumed, *alternatives)),
            escape(report)
        ),
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        return "<span class=\"mute\">—</span>".into();
    }
    items
        .iter()
        .map(|i| escape(i))
        .collect::<Vec<_>>()
        .join("<br>")
}

fn opt(value: Option<&str>) -> String {
    value.map_or("<span class=\"mute\">—</span>".into(), escape)
}

fn request(out: &mut String, r: &RequestEntry) {
    let class = if r.errors > 0 {
        "request has-errors"
    } else {
        "request"
    };
    let _ = write!(
        out,
        "<section class=\"{class}\" id=\"{}\">\n<h3>{}</h3>\n<p class=\"meta path\">{}:{}</p>\n<table class=\"facts\"><tbody>",
        escape(&r.anchor),
        escape(&r.name),
        escape(&r.file),
        r.line
    );
    let caller = format!(
        "{} <span class=\"mute\">({})</span>",
        opt(r.caller.as_deref()),
        r.caller_kind.label()
    );
    let endpoint = format!(
        "{} <span class=\"mute\">{}</span> <span class=\"path\">{}</span>",
        opt(r.endpoint.as_deref()),
        escape(&r.method),
        opt(r.target.as_deref())
    );
    let rows: [(&str, String); 9] = [
        ("caller", caller),
        ("endpoint", endpoint),
        ("access", escape(&r.access_level)),
        ("rights", list(&r.rights)),
        ("lifetime (minutes)", opt(r.lifetime_minutes.as_deref())),
        ("identities", r.identities.to_string()),
        ("reports", list(&r.reports)),
        ("workspaces", list(&r.workspaces)),
        ("tenant", opt(r.tenant.as_deref())),
    ];
    for (k, v) in rows {
        let _ = write!(out, "<tr><th>{k}</th><td>{v}</td></tr>");
    }
    out.push_str("</tbody></table>\n");
    if !r.datasets.is_empty() {
        table(out, &table::datasets(r));
    }
    if r.findings.is_empty() {
        out.push_str("<p class=\"mute\">No findings.</p>\n");
    } else {
        let _ = writeln!(
            out,
            "<h4>Findings ({} errors, {} warnings, {} notes)</h4>",
            r.errors, r.warnings, r.notes
        );
        table(out, &table::findings(&r.findings, false));
    }
    if !r.not_judged.is_empty() {
        table(out, &table::not_judged(&r.not_judged));
    }
    out.push_str("</section>\n");
}

fn coverage_class(c: Coverage) -> &'static str {
    match c {
        Coverage::Covered => "covered",
        Coverage::Uncovered => "uncovered",
        Coverage::NoRls => "none",
        Coverage::Unknown => "unknown",
    }
}

fn requests(out: &mut String, report: &Report) {
    out.push_str("<section>\n<h2 id=\"requests\">Requests</h2>\n");
    if report.requests.is_empty() {
        out.push_str("<p class=\"mute\">No requests.</p>\n");
    }
    for r in &report.requests {
        request(out, r);
    }
    out.push_str(
        "</section>\n<section>\n<h2 id=\"other-findings\">Findings outside requests</h2>\n",
    );
    if report.other_findings.is_empty() {
        out.push_str("<p class=\"mute\">None.</p>\n");
    } else {
        table(out, &table::findings(&report.other_findings, true));
    }
    out.push_str("</section>\n");
}

fn request_links(refs: &[RequestRef]) -> String {
    if refs.is_empty() {
        return "<span class=\"mute\">—</span>".into();
    }
    refs.iter()
        .map(|r| {
            format!(
                "<a href=\"#{}\">{}</a> <span class=\"mute\">{}</span>",
                escape(&r.anchor),
                escape(&r.name),
                escape(&r.file)
            )
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

fn tenants(out: &mut String, tenants: &[TenantView]) {
    out.push_str("<section>\n<h2 id=\"tenant\">Tenants</h2>\n");
    if tenants.is_empty() {
        out.push_str("<p class=\"mute\">No inventory was given.</p>\n");
    }
    for t in tenants {
        let _ = writeln!(out, "<h3 class=\"path\">{}</h3>", escape(&t.label));
        for t in table::tenant(t) {
            table(out, &t);
        }
    }
    out.push_str("</section>\n");
}

/// `text` escaped, with its first `https://` address made a link.
fn linked(text: &str) -> String {
    let Some(start) = text.find("https://") else {
        return escape(text);
    };
    let end = text[start..]
        .find(|c: char| c.is_whitespace() || c == ')' || c == '"')
        .map_or(text.len(), |e| start + e);
    let url = &text[start..end];
    format!(
        "{}<a href=\"{}\">{}</a>{}",
        escape(&text[..start]),
        escape(url),
        escape(url),
        escape(&text[end..])
    )
}

fn appendix(out: &mut String, report: &Report) {
    out.push_str("<section>\n<h2 id=\"appendix\">Appendix: the rules that fired</h2>\n");
    if report.rules.is_empty() {
        out.push_str("<p class=\"mute\">No rule fired.</p>\n");
    }
    for r in &report.rules {
        let _ = write!(
            out,
            "<h3 id=\"rule-{code}\"><a href=\"{}\">{code} {}</a></h3>\n<p class=\"meta\">{} by default · {} finding(s) in this report</p>\n<p>{}</p>\n<p>{}</p>\n",
            escape(&r.doc_url),
            r.name,
            r.severity,
            r.findings,
            escape(r.summary),
            escape(&r.text),
            code = r.code,
        );
        for q in &r.quotes {
            let _ = writeln!(out, "<blockquote>{}</blockquote>", escape(&q.text));
            if let Some(source) = &q.source {
                let _ = writeln!(out, "<p class=\"mute\">Source: {}</p>", linked(source));
            }
        }
        let _ = writeln!(out, "<p>Documentation: {}</p>", linked(r.source));
    }
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_is_escaped() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }

    #[test]
    fn only_the_address_becomes_a_link() {
        assert_eq!(
            linked("the schema is at https://example.com/a?b=1&c=2 (table)"),
            "the schema is at <a href=\"https://example.com/a?b=1&amp;c=2\">https://example.com/a?b=1&amp;c=2</a> (table)"
        );
        assert_eq!(linked("<b>no address</b>"), "&lt;b&gt;no address&lt;/b&gt;");
    }
}
