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

use crate::context::{Context, Named};
use crate::inventory::{Workspace, WorkspaceId, WorkspaceType};
use crate::matrix::WorkspaceRow;

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
