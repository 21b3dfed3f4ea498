//! EG316 v1-multiple-identities — `rules/EG316-v1-multiple-identities.md`.

use crate::context::Context;
use crate::endpoint::EndpointKind;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// V1 takes several identities only for dashboards.
pub struct V1MultipleIdentities;

impl Check for V1MultipleIdentities {
    fn rule(&self) -> Rule {
        Rule::V1MultipleIdentities
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(kind) = ctx.endpoint.map(|e| e.kind()) else {
            return;
        };
        if matches!(kind, EndpointKind::V2 | EndpointKind::Dashboard) {
            return;
        }
        let Some(body) = ctx.body else { return };
        let Some(list) = body.identities_field().located() else {
            return;
        };
        if list.value.len() > 1 {
            out.push(
                Finding::new(
                    Rule::V1MultipleIdentities,
                    Location::request(list.pointer.clone()),
                    format!("{} identities on the {kind} endpoint, which takes one: \"Creating embed token with multiple identities is not supported\"", list.value.len()),
                )
                .help("send a single identity, or use the V2 endpoint `/v1.0/myorg/GenerateToken` with one identity per dataset")
                .arg("count", list.value.len().to_string()),
            );
        }
    }
}
