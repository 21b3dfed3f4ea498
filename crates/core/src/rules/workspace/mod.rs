//! EG1xx — workspaces and endpoints (the seed's workspace matrix, `rules/matrix/workspace.json`).

mod caller_not_member;
mod classic_cross_workspace;
mod classic_requires_admin;
mod classic_service_principal;
mod my_workspace;
mod no_capacity;
mod paginated_classic;
mod paginated_ppu;
mod prefer_v2;
mod target_workspace;
mod v2_classic_workspace;
mod v2_dashboard;
mod v2_limits;

pub use caller_not_member::CallerNotMember;
pub use classic_cross_workspace::ClassicCrossWorkspace;
pub use classic_requires_admin::ClassicRequiresAdmin;
pub use classic_service_principal::ClassicServicePrincipal;
pub use my_workspace::MyWorkspace;
pub use no_capacity::NoCapacity;
pub use paginated_classic::PaginatedClassic;
pub use paginated_ppu::PaginatedPpu;
pub use prefer_v2::PreferV2;
pub use target_workspace::TargetWorkspace;
pub use v2_classic_workspace::V2ClassicWorkspace;
pub use v2_dashboard::V2Dashboard;
pub use v2_limits::V2Limits;

use crate::body::Body;
use crate::context::{Caller, Context, Named};
use crate::inventory::{
    Capacity, ReportId, RoleFact, Workspace, WorkspaceId, WorkspaceRole, WorkspaceType,
};
use crate::matrix::WorkspaceRow;
use crate::registry::Rule;

/// The workspaces of the request whose type is known, with their matrix row — except those that
/// only a V2 `targetWorkspaces` entry brings in: EG113 judges those, so that one wrong target gives
/// one finding.
fn typed_workspaces<'c>(
    ctx: &'c Context<'_>,
) -> impl Iterator<
    Item = (
        &'c Named<WorkspaceId>,
        &'c Workspace,
        WorkspaceType,
        WorkspaceRow,
    ),
> + 'c {
    ctx.workspaces
        .iter()
        .filter(move |w| !only_a_target(ctx, w))
        .filter_map(move |w| {
            let data = ctx.tenant?.workspace_data(w.id)?;
            let kind = data.kind?;
            Some((w, data, kind, ctx.matrices.workspace(kind)))
        })
}

/// Whether `w` is in the request only as a V2 `targetWorkspaces` entry: no report or dataset of
/// the token lives there. (A workspace is named where the request first brings it in, and the
/// target workspaces come last.)
fn only_a_target(ctx: &Context<'_>, w: &Named<WorkspaceId>) -> bool {
    match ctx.body {
        Some(Body::V2(v2)) => v2
            .target_workspaces
            .pointer()
            .is_some_and(|targets| w.at.starts_with(targets)),
        _ => false,
    }
}

/// A workspace's display name for messages.
fn label(w: &Workspace) -> String {
    w.name
        .clone()
        .or_else(|| w.id.clone())
        .unwrap_or_else(|| "?".into())
}

/// The workspaces of the request whose matrix row fires `rule` when the caller's role is below
/// the row's minimum, and where the caller's known role is below it: the workspace, the minimum,
/// and what the caller has ("is Viewer", "has no role").
fn role_shortfalls<'c>(
    ctx: &'c Context<'_>,
    caller: &Caller<'_>,
    rule: Rule,
) -> Vec<(&'c Workspace, WorkspaceRole, String)> {
    let Some(tenant) = ctx.tenant else {
        return Vec::new();
    };
    typed_workspaces(ctx)
        .filter(|(_, _, _, row)| row.role_below_minimum == Some(rule))
        .filter_map(|(w, data, _, row)| {
            let minimum = row.minimum_role?;
            let has = match tenant.role(caller.id, w.id) {
                RoleFact::Unknown => return None,
                RoleFact::Role(r) if r <= minimum => return None,
                RoleFact::Role(r) => format!("is {r}"),
                RoleFact::NotListed => "has no role".to_string(),
            };
            Some((data, minimum, has))
        })
        .collect()
}

/// The paginated reports of the request that live — or whose dataset lives — in a Premium Per
/// User workspace, with that workspace (EG112; EG111 leaves those workspaces to it).
fn paginated_on_ppu<'c>(ctx: &'c Context<'_>) -> Vec<(&'c Named<ReportId>, WorkspaceId)> {
    let Some(tenant) = ctx.tenant else {
        return Vec::new();
    };
    let on_ppu = |w: &WorkspaceId| {
        tenant
            .workspace_data(*w)
            .is_some_and(|d| d.capacity == Some(Capacity::Ppu))
    };
    let mut found = Vec::new();
    for r in ctx.paginated_reports() {
        let dataset_ws = tenant
            .report_dataset(r.id)
            .and_then(|d| tenant.dataset_workspace(d));
        let mut spaces: Vec<WorkspaceId> = tenant.report_workspace(r.id).into_iter().collect();
        spaces.extend(dataset_ws.filter(|d| !spaces.contains(d)));
        found.extend(spaces.into_iter().filter(on_ppu).map(|w| (r, w)));
    }
    found
}
