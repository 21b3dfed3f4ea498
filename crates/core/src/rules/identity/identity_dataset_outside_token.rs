//! EG315 identity-dataset-outside-token — `rules/EG315-identity-dataset-outside-token.md`.

use super::label;
use crate::body::Body;
use crate::context::Context;
use crate::endpoint::Endpoint;
use crate::finding::{Finding, Location};
use crate::ids::is_guid;
use crate::inventory::{ReportId, ReportType, Tenant};
use crate::read::{Field, Located};
use crate::registry::Rule;
use crate::rules::Check;

/// An identity should name only datasets the token covers.
pub struct IdentityDatasetOutsideToken;

impl Check for IdentityDatasetOutsideToken {
    fn rule(&self) -> Rule {
        Rule::IdentityDatasetOutsideToken
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let (Some(tenant), Some(body)) = (ctx.tenant, ctx.body) else {
            return;
        };
        let names_datasets = body
            .identities()
            .iter()
            .any(|i| i.datasets.get().is_some_and(|list| !list.is_empty()));
        if !names_datasets || !datasets_known(ctx, tenant) {
            return;
        }
        let outside = body
            .identities()
            .iter()
            .flat_map(|identity| identity.datasets.get().into_iter().flatten())
            .filter(|entry| wire_id(&entry.value)) // not a placeholder, nor EG006's
            .filter_map(|entry| Some((entry, tenant.dataset(&entry.value)?))) // else EG008
            .filter(|(_, id)| !ctx.datasets.iter().any(|d| d.id == *id))
            .filter_map(|(entry, id)| Some((entry, tenant.dataset_data(id)?)));
        // What the messages quote is built only once there is something to report.
        let mut facts = None;
        for (entry, data) in outside {
            let (covered, item_fact) = facts.get_or_insert_with(|| {
                let covered = ctx
                    .datasets
                    .iter()
                    .filter_map(|d| tenant.dataset_data(d.id).map(label))
                    .map(|l| format!("`{l}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                (covered, item_dataset_fact(ctx, tenant))
            });
            let (message, help) = match body {
                Body::V2(_) => (
                    format!("this identity names dataset `{}`, which the token does not cover", label(data)),
                    format!("add `{{ id: {} }}` to the body's `datasets` if the token should cover it; otherwise remove it from this identity's `datasets`", entry.value),
                ),
                Body::V1(_) => (
                    format!("this identity names dataset `{}`, which is not a dataset of the embedded item", label(data)),
                    if covered.is_empty() {
                        "remove it from this identity's `datasets`".to_string()
                    } else {
                        format!("remove it from this identity's `datasets`; the token covers {covered}")
                    },
                ),
            };
            let mut finding = Finding::new(
                Rule::IdentityDatasetOutsideToken,
                Location::request(entry.pointer.clone()),
                message,
            )
            .help(help)
            .arg("dataset", label(data));
            if let Some((at, what)) = &item_fact {
                finding = finding.related(at.clone(), what.clone());
            }
            out.push(finding);
        }
    }
}

/// Where the inventory says which dataset the embedded report or tile shows (V1), the fact that
/// puts every other dataset outside the token.
fn item_dataset_fact(ctx: &Context<'_>, tenant: &Tenant) -> Option<(Location, String)> {
    let name = |dataset: Option<&Located<String>>| {
        let d = tenant.dataset(&dataset?.value)?;
        Some(label(tenant.dataset_data(d)?))
    };
    match ctx.endpoint? {
        Endpoint::Report { .. } => {
            let report = tenant.report_data(ctx.reports.first()?.id)?;
            let dataset = name(report.dataset.as_ref())?;
            Some((
                Location::inventory(report.pointer.key("dataset")),
                format!("the report is built on `{dataset}`"),
            ))
        }
        Endpoint::Tile {
            dashboard, tile, ..
        } => {
            let db = tenant.dashboard(dashboard)?;
            let tile = tenant.tile_data(tenant.tile(db, tile)?)?;
            let dataset = name(tile.dataset.as_ref())?;
            Some((
                Location::inventory(tile.pointer.key("dataset")),
                format!("the tile shows `{dataset}`"),
            ))
        }
        _ => None,
    }
}

/// A body or path id that names an inventory entity (not a placeholder, not malformed).
fn wire_id(value: &str) -> bool {
    // A GUID has no `$` and no `{{`: it is never a placeholder.
    is_guid(value)
}

/// Whether every dataset the request covers is known: each item of the request resolved, and
/// the inventory says which dataset each is built on. Otherwise a dataset outside the known
/// ones may still be covered, and the rule stays silent.
fn datasets_known(ctx: &Context<'_>, tenant: &Tenant) -> bool {
    let report_known = |r: ReportId| {
        tenant
            .report_data(r)
            .is_some_and(|d| d.kind == ReportType::Paginated)
            || tenant.report_dataset(r).is_some()
    };
    let group_of = |endpoint: &Endpoint| {
        endpoint
            .group()
            .filter(|g| wire_id(g))
            .and_then(|g| tenant.workspace(g))
    };
    match (ctx.endpoint, ctx.body) {
        (Some(Endpoint::V2), Some(Body::V2(v2))) => {
            let reports = v2.reports.get().into_iter().flatten().all(|e| {
                e.id.get()
                    .filter(|id| wire_id(id))
                    .and_then(|id| tenant.report(id))
                    .is_some_and(report_known)
            });
            let datasets = v2.datasets.get().into_iter().flatten().all(|e| {
                e.id.get()
                    .filter(|id| wire_id(id))
                    .and_then(|id| tenant.dataset(id))
                    .is_some()
            });
            // A list that is not a list (EG005) hides what it would have covered.
            reports
                && datasets
                && !matches!(v2.reports, Field::Invalid(_))
                && !matches!(v2.datasets, Field::Invalid(_))
        }
        (Some(Endpoint::Report { .. }), _) => {
            ctx.reports.len() == 1 && ctx.reports.iter().all(|r| report_known(r.id))
        }
        (Some(Endpoint::Create { .. } | Endpoint::Dataset { .. }), _) => ctx.datasets.len() == 1,
        (
            Some(e @ (Endpoint::Dashboard { dashboard, .. } | Endpoint::Tile { dashboard, .. })),
            _,
        ) => {
            let Some(group) = group_of(e) else {
                return false;
            };
            let Some(db) = Some(dashboard.as_str())
                .filter(|d| wire_id(d))
                .and_then(|d| tenant.dashboard(d))
            else {
                return false;
            };
            if tenant.dashboard_workspace(db).is_some_and(|w| w != group) {
                return false;
            }
            let tiles = match e {
                Endpoint::Tile { tile, .. } => {
                    match Some(tile.as_str())
                        .filter(|t| wire_id(t))
                        .and_then(|t| tenant.tile(db, t))
                    {
                        Some(t) => vec![t],
                        None => return false,
                    }
                }
                _ => tenant.dashboard_tiles(db),
            };
            tiles.into_iter().all(|t| tenant.tile_dataset(t).is_some())
        }
        _ => false,
    }
}
