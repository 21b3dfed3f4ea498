//! EG112 paginated-ppu — `rules/EG112-paginated-ppu.md`.

use super::{label, paginated_on_ppu};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// Paginated reports cannot be embedded from Premium Per User workspaces.
pub struct PaginatedPpu;

impl Check for PaginatedPpu {
    fn rule(&self) -> Rule {
        Rule::PaginatedPpu
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(tenant) = ctx.tenant else { return };
        for (r, w) in paginated_on_ppu(ctx) {
            let Some(ws) = tenant.workspace_data(w) else {
                continue;
            };
            let report = tenant
                .report_data(r.id)
                .and_then(|d| d.name.clone().or_else(|| d.id.clone()))
                .unwrap_or_default();
            let whose = if tenant.report_workspace(r.id) == Some(w) {
                "its"
            } else {
                "its dataset's"
            };
            out.push(
                Finding::new(
                    Rule::PaginatedPpu,
                    Location::request(r.at.clone()),
                    format!("paginated report `{report}`: {whose} workspace `{}` is on Premium Per User, which cannot serve embedded paginated reports", label(ws)),
                )
                .help(format!("assign workspace `{}` to an A, EM, P or F capacity, or move the report and its dataset to a workspace on one", label(ws)))
                .related(Location::inventory(ws.pointer.key("capacity")), "Premium Per User declared here")
                .arg("report", report)
                .arg("workspace", label(ws)),
            );
        }
    }
}
