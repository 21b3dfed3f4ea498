//! EG322 paginated-visual — `rules/EG322-paginated-visual.md`.

use super::report_label;
use crate::body::Body;
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::inventory::ReportId;
use crate::registry::Rule;
use crate::rules::Check;

/// A report with a paginated visual needs the paginated report's id in the V2 `reports` list.
pub struct PaginatedVisual;

impl Check for PaginatedVisual {
    fn rule(&self) -> Rule {
        Rule::PaginatedVisual
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let (Some(tenant), Some(body)) = (ctx.tenant, ctx.body) else {
            return;
        };
        // A paginated report is reported once, even when several reports show it.
        let mut reported: Vec<ReportId> = Vec::new();
        for r in &ctx.reports {
            let Some(report) = tenant.report_data(r.id) else {
                continue;
            };
            let missing: Vec<ReportId> = tenant
                .report_paginated_visuals(r.id)
                .into_iter()
                .filter(|p| !reported.contains(p) && !ctx.reports.iter().any(|c| c.id == *p))
                .collect();
            let names: Vec<(String, String)> = missing
                .iter()
                .filter_map(|p| tenant.report_data(*p))
                .map(|p| (report_label(p), p.id.clone().unwrap_or_default()))
                .collect();
            if names.is_empty() {
                continue;
            }
            reported.extend(missing);
            let listed = names
                .iter()
                .map(|(n, _)| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let entries: Vec<String> = names
                .iter()
                .map(|(_, id)| format!("{{ id: \"{id}\" }}"))
                .collect();
            let (at, message, help) = match body {
                Body::V1(_) => (
                    ctx.path_pointer(),
                    format!(
                        "report `{}` shows paginated report {listed} in a paginated visual: only a V2 token can list both",
                        report_label(report)
                    ),
                    format!(
                        "call `POST /v1.0/myorg/GenerateToken` with `reports: [{{ id: \"{}\" }}, {}]` and the report's dataset in `datasets`",
                        report.id.as_deref().unwrap_or("?"),
                        entries.join(", ")
                    ),
                ),
                Body::V2(v2) => (
                    v2.reports.pointer().unwrap_or(&v2.pointer).clone(),
                    format!(
                        "`reports` lacks paginated report {listed}, shown in a paginated visual of report `{}`",
                        report_label(report)
                    ),
                    format!(
                        "add {} to `reports`",
                        entries
                            .iter()
                            .map(|e| format!("`{e}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ),
            };
            out.push(
                Finding::new(Rule::PaginatedVisual, Location::request(at), message)
                    .help(help)
                    .related(
                        Location::inventory(report.pointer.key("paginated_visuals")),
                        "paginated visual declared here",
                    )
                    .arg("report", report_label(report)),
            );
        }
    }
}
