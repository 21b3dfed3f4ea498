//! EG007 unknown-endpoint — `rules/EG007-unknown-endpoint.md`.

use crate::context::Context;
use crate::endpoint::Route;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// Method and path are not one of the six GenerateToken endpoints.
pub struct UnknownEndpoint;

impl Check for UnknownEndpoint {
    fn rule(&self) -> Rule {
        Rule::UnknownEndpoint
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(Route::Unknown { reason }) = &ctx.request.route else {
            return;
        };
        // A wrong method points at `method`; anything else at the path.
        let at = match ctx.request.method.pointer() {
            Some(m) if reason.contains("takes `POST`") => m.clone(),
            _ => ctx.path_pointer(),
        };
        out.push(
            Finding::new(Rule::UnknownEndpoint, Location::request(at), reason.clone())
                .help("use `POST /v1.0/myorg/GenerateToken` (reports and datasets) or `POST /v1.0/myorg/groups/{groupId}/…/GenerateToken`")
                .arg("reason", reason.clone()),
        );
    }
}
