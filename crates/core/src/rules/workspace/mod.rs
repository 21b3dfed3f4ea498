//! EG1xx — workspaces and endpoints (the seed's workspace matrix, `rules/matrix/workspace.json`).

mod caller_not_member;
mod classic_cross_workspace;
mod classic_requires_admin;
mod classic_service_principal;
mod my_workspace;
mod no_capacity;
mod paginated_classic;
mod v2_classic_workspace;

pub use caller_not_member::CallerNotMember;
pub use classic_cross_workspace::ClassicCrossWorkspace;
pub use classic_requires_admin::ClassicRequiresAdmin;
pub use classic_service_principal::ClassicServicePrincipal;
pub use my_workspace::MyWorkspace;
pub use no_capacity::NoCapacity;
pub use paginated_classic::PaginatedClassic;
pub use v2_classic_workspace::V2ClassicWorkspace;

use crate::context::{Caller, Context, Named};
use crate::inventory::{RoleFact, Workspace, WorkspaceId, WorkspaceRole, WorkspaceType};
use crate::matrix::WorkspaceRow;
use crate::registry::Rule;

/// The workspaces of the request whose type is known, with their matrix row.
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
    ctx.workspaces.iter().filter_map(move |w| {
        let data = ctx.tenant?.workspace_data(w.id)?;
        let kind = data.kind?;
        Some((w, data, kind, ctx.matrices.workspace(kind)))
    })
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
