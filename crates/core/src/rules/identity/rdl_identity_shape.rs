//! EG323 rdl-identity-shape — `rules/EG323-rdl-identity-shape.md`.

use super::report_label;
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::ids::{is_guid, is_placeholder};
use crate::inventory::{Report, ReportType, Tenant};
use crate::registry::Rule;
use crate::rules::Check;

/// An identity for a paginated report names it in `reports`, and carries no RLS roles.
pub struct RdlIdentityShape;

impl Check for RdlIdentityShape {
    fn rule(&self) -> Rule {
        Rule::RdlIdentityShape
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let (Some(tenant), Some(body)) = (ctx.tenant, ctx.body) else {
            return;
        };
        for identity in body.identities() {
            // A paginated report written where datasets go.
            for entry in identity.datasets.get().into_iter().flatten() {
                let Some(report) = paginated_not_dataset(tenant, &entry.value) else {
                    continue;
                };
                out.push(
                    Finding::new(
                        Rule::RdlIdentityShape,
                        Location::request(entry.pointer.clone()),
                        format!(
                            "`{}` is paginated report `{}`, not a dataset: an identity for a paginated report names it in `reports`",
                            entry.value,
                            report_label(report)
                        ),
                    )
                    .help(format!(
                        "move it to the identity's `reports: [\"{}\"]`; the report receives `username` as its UserID (RLS `roles` do not apply to it)",
                        entry.value
                    ))
                    .related(Location::inventory(report.pointer.key("type")), "declared paginated here")
                    .arg("report", report_label(report)),
                );
            }
            // RLS roles on an identity that applies to paginated reports only.
            let (Some(reports), Some(roles)) = (identity.reports.get(), identity.roles.located())
            else {
                continue;
            };
            if identity.datasets.is_present() || roles.value.is_empty() {
                continue;
            }
            let Some(report) = reports
                .iter()
                .filter_map(|r| tenant.report(&r.value))
                .filter_map(|r| tenant.report_data(r))
                .find(|r| r.kind == ReportType::Paginated)
            else {
                continue;
            };
            out.push(
                Finding::new(
                    Rule::RdlIdentityShape,
                    Location::request(roles.pointer.clone()),
                    format!(
                        "`roles` do nothing for paginated report `{}`: it filters on the identity's `username` (its UserID), not on RLS roles",
                        report_label(report)
                    ),
                )
                .help("remove `roles` from this identity and put the value the report filters on in `username`")
                .related(Location::inventory(report.pointer.key("type")), "declared paginated here")
                .arg("report", report_label(report)),
            );
        }
    }
}

/// The paginated report `reference` names, when it names no dataset; placeholders and malformed
/// ids are EG006's.
fn paginated_not_dataset<'t>(tenant: &'t Tenant, reference: &str) -> Option<&'t Report> {
    if !is_guid(reference) || is_placeholder(reference) {
        return None;
    }
    tenant
        .paginated_report_not_dataset(reference)
        .and_then(|r| tenant.report_data(r))
}
