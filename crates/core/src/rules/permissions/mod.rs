//! EG2xx — token permissions.

mod create_misplaced;
mod create_needs_dataset;
mod dataset_id_misplaced;
mod edit_not_report;
mod lifetime_ineffective;
mod lifetime_invalid;
mod missing_access_level;
mod save_as_not_report;
mod target_workspace_grant;
mod write_on_rls_without_identity;

pub use create_misplaced::CreateMisplaced;
pub use create_needs_dataset::CreateNeedsDataset;
pub use dataset_id_misplaced::DatasetIdMisplaced;
pub use edit_not_report::EditNotReport;
pub use lifetime_ineffective::LifetimeIneffective;
pub use lifetime_invalid::LifetimeInvalid;
pub use missing_access_level::MissingAccessLevel;
pub use save_as_not_report::SaveAsNotReport;
pub use target_workspace_grant::TargetWorkspaceGrant;
pub use write_on_rls_without_identity::WriteOnRlsWithoutIdentity;

use crate::body::{Body, V1Body};
use crate::context::Context;
use crate::endpoint::EndpointKind;
use crate::read::Located;
use crate::value::Number;

/// The V1 body and its endpoint kind, when the request has both.
fn v1<'a>(ctx: &Context<'a>) -> Option<(&'a V1Body, EndpointKind)> {
    match (ctx.body, ctx.endpoint) {
        (Some(Body::V1(b)), Some(e)) => Some((b, e.kind())),
        _ => None,
    }
}

/// `lifetimeInMinutes` of either body, when it is a number.
fn lifetime<'a>(ctx: &Context<'a>) -> Option<&'a Located<Number>> {
    match ctx.body? {
        Body::V1(b) => b.lifetime_in_minutes.located(),
        Body::V2(b) => b.lifetime_in_minutes.located(),
    }
}

/// A lifetime Power BI can read: a whole number written as one (`10`, not `10.0` or `1e1`) that
/// fits the 32-bit integer of the swagger schema. Others are EG207's.
fn whole_minutes(n: &Number) -> Option<i64> {
    n.integer.filter(|i| i32::try_from(*i).is_ok())
}
