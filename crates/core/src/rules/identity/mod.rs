//! EG3xx — effective identity and row-level security (the seed's RLS matrix,
//! `rules/matrix/rls.json`).

mod aas_username_not_caller;
mod as_onprem_permission;
mod identity_without_rls;
mod rdl_master_user;
mod rls_identity_required;
mod rls_unfiltered;
mod roles_required;
mod sso_cloud_incomplete;
mod sso_identity_required;
mod v1_multiple_identities;

pub use aas_username_not_caller::AasUsernameNotCaller;
pub use as_onprem_permission::AsOnpremPermission;
pub use identity_without_rls::IdentityWithoutRls;
pub use rdl_master_user::RdlMasterUser;
pub use rls_identity_required::RlsIdentityRequired;
pub use rls_unfiltered::RlsUnfiltered;
pub use roles_required::RolesRequired;
pub use sso_cloud_incomplete::SsoCloudIncomplete;
pub use sso_identity_required::SsoIdentityRequired;
pub use v1_multiple_identities::V1MultipleIdentities;

use crate::context::{Context, Named};
use crate::inventory::{Dataset, DatasetId, RlsKind};
use crate::matrix::RlsRow;

/// The datasets of the request whose RLS kind is known, with their matrix row.
fn rls_datasets<'c>(
    ctx: &'c Context<'_>,
) -> impl Iterator<Item = (&'c Named<DatasetId>, &'c Dataset, RlsKind, RlsRow)> + 'c {
    ctx.datasets.iter().filter_map(move |d| {
        let data = ctx.tenant?.dataset_data(d.id)?;
        let rls = data.rls?;
        Some((d, data, rls, ctx.matrices.rls(rls)))
    })
}

/// A dataset's display name for messages.
fn label(d: &Dataset) -> String {
    d.name
        .clone()
        .or_else(|| d.id.clone())
        .unwrap_or_else(|| "?".into())
}
