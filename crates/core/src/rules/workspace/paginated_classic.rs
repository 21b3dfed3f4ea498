//! EG110 paginated-classic — `rules/EG110-paginated-classic.md`.

use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// Paginated reports can only be embedded from new workspaces.
pub struct PaginatedClassic;

impl Check for PaginatedClassic {
    fn rule(&self) -> Rule {
        Rule::PaginatedClassic
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(tenant) = ctx.tenant else { return };
        for r in ctx.paginated_reports() {
            let Some(ws) = tenant
                .report_workspace(r.id)
                .and_then(|w| tenant.workspace_data(w))
            else {
                continue;
            };
            let Some(kind) = ws.kind else { continue };
            if ctx.matrices.workspace(kind).paginated_report != Some(Rule::PaginatedClassic) {
                continue;
            }
            let name = tenant
                .report_data(r.id)
                .and_then(|d| d.name.clone().or(d.id.clone()))
                .unwrap_or_default();
            out.push(
                Finding::new(
                    Rule::PaginatedClassic,
                    Location::request(r.at.clone()),
                    format!("paginated report `{name}` is in a {kind} workspace; Power BI answers \"Creating embed token for paginated report is only supported with workspaces v2\""),
                )
                .help("move the paginated report to a new workspace on capacity")
                .related(Location::inventory(ws.pointer.key("type")), "classic workspace declared here")
                .arg("report", name),
            );
        }
    }
}
