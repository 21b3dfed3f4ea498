//! EG2xx — token permissions.

mod create_misplaced;
mod create_needs_dataset;
mod edit_not_report;
mod save_as_not_report;
mod write_on_rls_without_identity;

pub use create_misplaced::CreateMisplaced;
pub use create_needs_dataset::CreateNeedsDataset;
pub use edit_not_report::EditNotReport;
pub use save_as_not_report::SaveAsNotReport;
pub use write_on_rls_without_identity::WriteOnRlsWithoutIdentity;

use crate::body::{Body, V1Body};
use crate::context::Context;
use crate::endpoint::EndpointKind;

/// The V1 body and its endpoint kind, when the request has both.
fn v1<'a>(ctx: &Context<'a>) -> Option<(&'a V1Body, EndpointKind)> {
    match (ctx.body, ctx.endpoint) {
        (Some(Body::V1(b)), Some(e)) => Some((b, e.kind())),
        _ => None,
    }
}
