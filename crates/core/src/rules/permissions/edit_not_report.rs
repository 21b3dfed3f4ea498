//! EG201 edit-not-report — `rules/EG201-edit-not-report.md`.

use super::v1;
use crate::body::AccessLevel;
use crate::context::Context;
use crate::endpoint::EndpointKind;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// `accessLevel: Edit` only applies to report embedding.
pub struct EditNotReport;

impl Check for EditNotReport {
    fn rule(&self) -> Rule {
        Rule::EditNotReport
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some((body, kind)) = v1(ctx) else { return };
        let Some(level) = body.access_level.located() else {
            return;
        };
        if level.value.value == AccessLevel::Edit && kind != EndpointKind::Report {
            out.push(
                Finding::new(
                    Rule::EditNotReport,
                    Location::request(level.pointer.clone()),
                    format!("`accessLevel: Edit` only applies to report embedding, not to the {kind} endpoint"),
                )
                .help(if kind == EndpointKind::Create { "use `accessLevel: Create` for report creation" } else { "use `accessLevel: View`" })
                .arg("endpoint", kind.to_string()),
            );
        }
    }
}
