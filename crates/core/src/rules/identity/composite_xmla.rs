//! EG320 composite-xmla — `rules/EG320-composite-xmla.md`.

use super::{
    add_to_datasets, datasets_or_body, label, read_only_entries, report_label, xmla_grant,
    XmlaGrant,
};
use crate::body::Body;
use crate::context::Context;
use crate::endpoint::Endpoint;
use crate::finding::{Finding, Location};
use crate::inventory::{DatasetId, ReportType, Tenant};
use crate::registry::Rule;
use crate::rules::Check;

/// A token over a composite model (DirectQuery to other Power BI datasets) must be a V2 token
/// listing every dataset of the chain with `xmlaPermissions: ReadOnly`.
pub struct CompositeXmla;

impl Check for CompositeXmla {
    fn rule(&self) -> Rule {
        Rule::CompositeXmla
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let (Some(tenant), Some(body)) = (ctx.tenant, ctx.body) else {
            return;
        };
        // A dataset is reported once, even when several composite models query it.
        let mut reported: Vec<DatasetId> = Vec::new();
        for composite in &ctx.datasets {
            let sources = chain(tenant, composite.id);
            if sources.is_empty() {
                continue;
            }
            let Some(data) = tenant.dataset_data(composite.id) else {
                continue;
            };
            // A paginated report's own dataset is EG321's: one mistake, one finding.
            let paginated_over_it = ctx
                .paginated_reports()
                .any(|r| tenant.report_dataset(r.id) == Some(composite.id));
            let report = ctx
                .reports
                .iter()
                .filter_map(|r| tenant.report_data(r.id).map(|d| (r, d)))
                .find(|(r, d)| {
                    d.kind == ReportType::PowerBi
                        && tenant.report_dataset(r.id) == Some(composite.id)
                })
                .map(|(_, d)| format!("report `{}`", report_label(d)));
            // "report `R` is built on composite model `C`", or just "composite model `C`".
            let subject = match &report {
                Some(r) => format!("{r} is built on composite model `{}`", label(data)),
                None => format!("composite model `{}`", label(data)),
            };
            let mut required = Vec::with_capacity(sources.len() + 1);
            if !paginated_over_it {
                required.push(composite.id);
            }
            required.extend(sources.iter().copied());
            let related = Location::inventory(data.pointer.key("directquery_to"));
            match body {
                Body::V1(_) => {
                    let over_report =
                        matches!(ctx.endpoint, Some(Endpoint::Report { .. })) && !paginated_over_it;
                    let create = matches!(ctx.endpoint, Some(Endpoint::Create { .. }));
                    if !(over_report || create) || reported.contains(&composite.id) {
                        continue;
                    }
                    reported.push(composite.id);
                    let all: Vec<_> = std::iter::once(composite.id)
                        .chain(sources.iter().copied())
                        .filter_map(|d| tenant.dataset_data(d))
                        .collect();
                    out.push(
                        Finding::new(
                            Rule::CompositeXmla,
                            Location::request(ctx.path_pointer()),
                            format!(
                                "{subject}, which queries other Power BI datasets in DirectQuery: only a V2 token can embed it"
                            ),
                        )
                        .help(format!(
                            "call `POST /v1.0/myorg/GenerateToken` with `datasets: [{}]` and the report in `reports`",
                            read_only_entries(&all).join(", ")
                        ))
                        .related(related, "composite model declared here")
                        .arg("dataset", label(data)),
                    );
                }
                Body::V2(v2) => {
                    let mut missing = Vec::new();
                    for id in required {
                        if reported.contains(&id) {
                            continue;
                        }
                        let Some(d) = tenant.dataset_data(id) else {
                            continue;
                        };
                        match xmla_grant(ctx, v2, id) {
                            XmlaGrant::ReadOnly | XmlaGrant::Unreadable => {}
                            XmlaGrant::NotListed => {
                                reported.push(id);
                                missing.push(d);
                            }
                            XmlaGrant::NotReadOnly(at) => {
                                reported.push(id);
                                let why = if id == composite.id {
                                    match &report {
                                        Some(r) => format!("{r} is built on it, and it queries other Power BI datasets in DirectQuery"),
                                        None => "it queries other Power BI datasets in DirectQuery".into(),
                                    }
                                } else {
                                    format!(
                                        "composite model `{}` queries it in DirectQuery",
                                        label(data)
                                    )
                                };
                                out.push(
                                    Finding::new(
                                        Rule::CompositeXmla,
                                        Location::request(at.clone()),
                                        format!(
                                            "dataset `{}` needs `xmlaPermissions: ReadOnly`: {why}",
                                            label(d)
                                        ),
                                    )
                                    .help(
                                        "set `xmlaPermissions: ReadOnly` on this `datasets` entry",
                                    )
                                    .related(related.clone(), "composite model declared here")
                                    .arg("dataset", label(d)),
                                );
                            }
                        }
                    }
                    if missing.is_empty() {
                        continue;
                    }
                    let names: Vec<String> =
                        missing.iter().map(|d| format!("`{}`", label(d))).collect();
                    out.push(
                        Finding::new(
                            Rule::CompositeXmla,
                            Location::request(datasets_or_body(v2)),
                            format!(
                                "`datasets` lacks {}: {subject}, and the token must list every dataset of its DirectQuery chain",
                                names.join(", ")
                            ),
                        )
                        .help(add_to_datasets(&missing))
                        .related(related, "composite model declared here")
                        .arg("dataset", label(data)),
                    );
                }
            }
        }
    }
}

/// Every dataset `composite` reaches through `directquery_to`, transitively (chained composite
/// models), each once, in discovery order; never `composite` itself, even through a cycle.
fn chain(tenant: &Tenant, composite: DatasetId) -> Vec<DatasetId> {
    let mut found: Vec<DatasetId> = Vec::new();
    let mut next = 0;
    let mut frontier = vec![composite];
    while let Some(at) = frontier.get(next).copied() {
        next += 1;
        for d in tenant.dataset_directquery_to(at) {
            if d != composite && !found.contains(&d) {
                found.push(d);
                frontier.push(d);
            }
        }
    }
    found
}
