//! EG209 missing-access-level — `rules/EG209-missing-access-level.md`.

use super::v1;
use crate::context::Context;
use crate::endpoint::EndpointKind;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// A V1 body should say which access the token grants: the default is undocumented.
pub struct MissingAccessLevel;

impl Check for MissingAccessLevel {
    fn rule(&self) -> Rule {
        Rule::MissingAccessLevel
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some((body, kind)) = v1(ctx) else { return };
        // CREATE without `accessLevel: Create` is refused: EG202 reports it as an error.
        if body.access_level.is_present() || kind == EndpointKind::Create {
            return;
        }
        let help = if kind == EndpointKind::Report {
            "add `accessLevel: View` (or `accessLevel: Edit` if users may edit the report)"
        } else {
            "add `accessLevel: View`"
        };
        out.push(
            Finding::new(
                Rule::MissingAccessLevel,
                Location::request(body.pointer.clone()),
                format!("the {kind} body has no `accessLevel`, and Power BI does not document which access the token then grants"),
            )
            .help(help)
            .arg("endpoint", kind.to_string()),
        );
    }
}
