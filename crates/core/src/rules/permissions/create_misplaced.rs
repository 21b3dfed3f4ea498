//! EG202 create-misplaced — `rules/EG202-create-misplaced.md`.

use super::v1;
use crate::body::AccessLevel;
use crate::context::Context;
use crate::endpoint::EndpointKind;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// `Create` belongs to the CREATE endpoint, and the CREATE endpoint needs `Create`.
pub struct CreateMisplaced;

impl Check for CreateMisplaced {
    fn rule(&self) -> Rule {
        Rule::CreateMisplaced
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some((body, kind)) = v1(ctx) else { return };
        let level = body.access_level.located();
        let finding = match (kind, level) {
            (EndpointKind::Create, Some(l)) if l.value.value != AccessLevel::Create => Finding::new(
                Rule::CreateMisplaced,
                Location::request(l.pointer.clone()),
                format!("the report-creation endpoint needs `accessLevel: Create`, not `{}`", l.value.value),
            )
            .help("set `accessLevel: Create` (and `datasetId`), or call `…/reports/{reportId}/GenerateToken` to view or edit an existing report"),
            (EndpointKind::Create, None) if !body.access_level.is_present() => Finding::new(
                Rule::CreateMisplaced,
                Location::request(body.pointer.clone()),
                "the report-creation endpoint needs `accessLevel: Create`, and the body has no `accessLevel`",
            )
            .help("add `accessLevel: Create`"),
            (k, Some(l)) if k != EndpointKind::Create && l.value.value == AccessLevel::Create => Finding::new(
                Rule::CreateMisplaced,
                Location::request(l.pointer.clone()),
                format!("`accessLevel: Create` only applies to report creation, not to the {k} endpoint"),
            )
            .help("to let users create reports, call `POST …/groups/{groupId}/reports/GenerateToken` with `datasetId`; otherwise use `View` or `Edit`"),
            _ => return,
        };
        out.push(finding.arg("endpoint", kind.to_string()));
    }
}
