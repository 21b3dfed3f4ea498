//! EG203 create-needs-dataset — `rules/EG203-create-needs-dataset.md`.

use super::v1;
use crate::context::Context;
use crate::endpoint::EndpointKind;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// Report creation needs `datasetId`.
pub struct CreateNeedsDataset;

impl Check for CreateNeedsDataset {
    fn rule(&self) -> Rule {
        Rule::CreateNeedsDataset
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some((body, EndpointKind::Create)) = v1(ctx) else {
            return;
        };
        if !body.dataset_id.is_present() {
            out.push(
                Finding::new(
                    Rule::CreateNeedsDataset,
                    Location::request(body.pointer.clone()),
                    "the report-creation body has no `datasetId`: a new report needs the dataset it is built on",
                )
                .help("add `datasetId: <dataset GUID>`"),
            );
        }
    }
}
