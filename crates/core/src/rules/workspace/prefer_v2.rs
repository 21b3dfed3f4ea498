//! EG109 prefer-v2 — `rules/EG109-prefer-v2.md`.

use super::label;
use crate::context::Context;
use crate::endpoint::Endpoint;
use crate::finding::{Finding, Location};
use crate::inventory::{ReportId, Tenant, WorkspaceId, WorkspaceType};
use crate::registry::Rule;
use crate::rules::Check;

/// A V1 report or report-creation token whose item and dataset live in two new workspaces: the
/// multi-item V2 endpoint names both.
///
/// Microsoft prefers V2 for every report and dataset token (F3), but a note on every V1 request
/// would be noise; this fires only where the token already spans two workspaces, the
/// "multiple items" case V2 was made for (see the rule page).
pub struct PreferV2;

impl Check for PreferV2 {
    fn rule(&self) -> Rule {
        Rule::PreferV2
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(tenant) = ctx.tenant else { return };
        let creating = match ctx.endpoint {
            Some(Endpoint::Report { .. }) => false,
            Some(Endpoint::Create { .. }) => true,
            _ => return,
        };
        let is_new = |w: WorkspaceId| {
            tenant
                .workspace_data(w)
                .is_some_and(|d| d.kind == Some(WorkspaceType::New))
        };
        let Some(binding) = ctx.bindings.iter().find(|b| {
            b.item_workspace != b.dataset_workspace
                && is_new(b.item_workspace)
                && is_new(b.dataset_workspace)
        }) else {
            return;
        };
        let Some(dataset) = ctx
            .datasets
            .iter()
            .find(|d| tenant.dataset_workspace(d.id) == Some(binding.dataset_workspace))
            .and_then(|d| tenant.dataset_data(d.id))
        else {
            return;
        };
        let (Some(item_ws), Some(dataset_ws)) = (
            tenant.workspace_data(binding.item_workspace),
            tenant.workspace_data(binding.dataset_workspace),
        ) else {
            return;
        };
        let dataset_name = dataset
            .name
            .clone()
            .or_else(|| dataset.id.clone())
            .unwrap_or_default();
        let dataset_id = dataset.id.clone().unwrap_or_else(|| "<dataset id>".into());
        let (item, help) = if creating {
            (
                format!("new reports in `{}` from dataset", label(item_ws)),
                format!(
                    "consider `POST /v1.0/myorg/GenerateToken` with `datasets: [{{ id: {dataset_id} }}]` and `targetWorkspaces: [{{ id: {} }}]` (no `accessLevel`): one request that names both workspaces",
                    item_ws.id.clone().unwrap_or_default()
                ),
            )
        } else {
            let report = ctx.reports.first().and_then(|r| {
                let data = tenant.report_data(r.id)?;
                Some((
                    report_label(tenant, r.id),
                    data.id.clone().unwrap_or_default(),
                ))
            });
            let Some((report_name, report_id)) = report else {
                return;
            };
            (
                format!("report `{report_name}` in `{}` and its dataset", label(item_ws)),
                format!(
                    "consider `POST /v1.0/myorg/GenerateToken` with `reports: [{{ id: {report_id} }}]` and `datasets: [{{ id: {dataset_id} }}]` (no `accessLevel`; `allowEdit` grants editing): one request that names both workspaces"
                ),
            )
        };
        out.push(
            Finding::new(
                Rule::PreferV2,
                Location::request(ctx.path_pointer()),
                format!(
                    "this V1 token reaches two workspaces: {item} `{dataset_name}` in `{}`; Microsoft prefers the V2 endpoint for tokens over several items",
                    label(dataset_ws)
                ),
            )
            .help(help)
            .related(
                Location::inventory(dataset.pointer.key("workspace")),
                "the dataset's workspace, declared here",
            )
            .arg("dataset", dataset_name),
        );
    }
}

fn report_label(tenant: &Tenant, id: ReportId) -> String {
    tenant
        .report_data(id)
        .and_then(|d| d.name.clone().or_else(|| d.id.clone()))
        .unwrap_or_default()
}
