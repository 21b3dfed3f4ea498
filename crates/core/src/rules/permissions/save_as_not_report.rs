//! EG204 save-as-not-report — `rules/EG204-save-as-not-report.md`.

use super::v1;
use crate::context::Context;
use crate::endpoint::EndpointKind;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// `allowSaveAs` only applies to report embedding; elsewhere it is ignored.
pub struct SaveAsNotReport;

impl Check for SaveAsNotReport {
    fn rule(&self) -> Rule {
        Rule::SaveAsNotReport
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some((body, kind)) = v1(ctx) else { return };
        let Some(save_as) = body.allow_save_as.located() else {
            return;
        };
        // `false` is the default: it asks for nothing, so nothing is lost.
        if save_as.value && kind != EndpointKind::Report {
            out.push(
                Finding::new(
                    Rule::SaveAsNotReport,
                    Location::request(save_as.pointer.clone()),
                    format!("`allowSaveAs` only applies to report embedding; the {kind} endpoint ignores it"),
                )
                .help("remove `allowSaveAs`, or embed the report through `…/reports/{reportId}/GenerateToken`")
                .arg("endpoint", kind.to_string()),
            );
        }
    }
}
