//! EG314 identity-scope-missing — `rules/EG314-identity-scope-missing.md`.

use super::scope_missing;
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::inventory::RlsKind;
use crate::registry::Rule;
use crate::rules::Check;

/// Every identity says which datasets (or paginated reports) it applies to.
pub struct IdentityScopeMissing;

impl Check for IdentityScopeMissing {
    fn rule(&self) -> Rule {
        Rule::IdentityScopeMissing
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(body) = ctx.body else { return };
        for identity in body.identities() {
            if !scope_missing(ctx, identity) {
                continue;
            }
            out.push(
                Finding::new(
                    Rule::IdentityScopeMissing,
                    Location::request(identity.pointer.clone()),
                    "this identity names neither `datasets` nor `reports`; Power BI requires the dataset it applies to",
                )
                .help(suggestion(ctx)),
            );
        }
    }
}

/// The list to add: the request's datasets that take an identity (or all of them when their
/// RLS is unknown), else its paginated reports.
fn suggestion(ctx: &Context<'_>) -> String {
    let quoted = |ids: Vec<String>| {
        ids.iter()
            .map(|id| format!("\"{id}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let datasets: Vec<String> = ctx
        .datasets
        .iter()
        .filter_map(|d| ctx.tenant?.dataset_data(d.id))
        .filter(|data| data.rls != Some(RlsKind::None))
        .filter_map(|data| data.id.clone())
        .collect();
    if !datasets.is_empty() {
        return format!("add `datasets: [{}]`", quoted(datasets));
    }
    let reports: Vec<String> = ctx
        .paginated_reports()
        .filter_map(|r| ctx.tenant?.report_data(r.id)?.id.clone())
        .collect();
    if !reports.is_empty() {
        return format!(
            "add `reports: [{}]` (an identity for a paginated report)",
            quoted(reports)
        );
    }
    "add `datasets: [\"<dataset id>\"]` naming the RLS dataset(s) this identity is for".into()
}
