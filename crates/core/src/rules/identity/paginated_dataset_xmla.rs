//! EG321 paginated-dataset-xmla — `rules/EG321-paginated-dataset-xmla.md`.

use super::{
    add_to_datasets, datasets_or_body, label, read_only_entries, report_label, xmla_grant,
    XmlaGrant,
};
use crate::body::Body;
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::inventory::DatasetId;
use crate::registry::Rule;
use crate::rules::Check;

/// A paginated report over a Power BI dataset needs that dataset in the V2 token's `datasets`
/// with `xmlaPermissions: ReadOnly`.
pub struct PaginatedDatasetXmla;

impl Check for PaginatedDatasetXmla {
    fn rule(&self) -> Rule {
        Rule::PaginatedDatasetXmla
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let (Some(tenant), Some(body)) = (ctx.tenant, ctx.body) else {
            return;
        };
        let mut reported: Vec<DatasetId> = Vec::new();
        for r in ctx.paginated_reports() {
            let (Some(report), Some(dataset)) =
                (tenant.report_data(r.id), tenant.report_dataset(r.id))
            else {
                continue;
            };
            let Some(data) = tenant.dataset_data(dataset) else {
                continue;
            };
            if reported.contains(&dataset) {
                continue;
            }
            let related = Location::inventory(report.pointer.key("dataset"));
            let (at, message, help) = match body {
                Body::V1(_) => (
                    ctx.path_pointer(),
                    format!(
                        "paginated report `{}` reads Power BI dataset `{}`, which only a V2 token can grant with `xmlaPermissions: ReadOnly`",
                        report_label(report),
                        label(data)
                    ),
                    format!(
                        "call `POST /v1.0/myorg/GenerateToken` with `reports: [{{ id: \"{}\" }}]` and `datasets: [{}]`",
                        report.id.as_deref().unwrap_or("?"),
                        read_only_entries(&[data]).join(", ")
                    ),
                ),
                Body::V2(v2) => match xmla_grant(ctx, v2, dataset) {
                    XmlaGrant::ReadOnly | XmlaGrant::Unreadable => continue,
                    XmlaGrant::NotListed => (
                        datasets_or_body(v2),
                        format!(
                            "`datasets` lacks `{}`, the Power BI dataset that paginated report `{}` reads",
                            label(data),
                            report_label(report)
                        ),
                        add_to_datasets(&[data]),
                    ),
                    XmlaGrant::NotReadOnly(at) => (
                        at.clone(),
                        format!(
                            "dataset `{}` needs `xmlaPermissions: ReadOnly`: paginated report `{}` reads it",
                            label(data),
                            report_label(report)
                        ),
                        "set `xmlaPermissions: ReadOnly` on this `datasets` entry".into(),
                    ),
                },
            };
            reported.push(dataset);
            out.push(
                Finding::new(Rule::PaginatedDatasetXmla, Location::request(at), message)
                    .help(help)
                    .related(related, "the paginated report's dataset")
                    .arg("report", report_label(report))
                    .arg("dataset", label(data)),
            );
        }
    }
}
