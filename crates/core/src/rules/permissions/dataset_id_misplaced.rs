//! EG206 dataset-id-misplaced — `rules/EG206-dataset-id-misplaced.md`.

use super::v1;
use crate::context::Context;
use crate::endpoint::EndpointKind;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// `datasetId` only applies to report creation; elsewhere it is ignored.
pub struct DatasetIdMisplaced;

impl Check for DatasetIdMisplaced {
    fn rule(&self) -> Rule {
        Rule::DatasetIdMisplaced
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        // In a V2 body `datasetId` is EG205.
        let Some((body, kind)) = v1(ctx) else { return };
        let Some(at) = body.dataset_id.pointer() else {
            return;
        };
        let help = match kind {
            EndpointKind::Create => return,
            EndpointKind::Report => "remove `datasetId`: a report token already covers the report's own dataset (to reach other datasets, use `POST /v1.0/myorg/GenerateToken` with `datasets: [{ id: … }]`)",
            EndpointKind::Dataset => "remove `datasetId`: the token is for the dataset named in the path",
            _ => "remove `datasetId`: the token covers the datasets of the dashboard's tiles",
        };
        out.push(
            Finding::new(
                Rule::DatasetIdMisplaced,
                Location::request(at.clone()).key(),
                format!(
                    "`datasetId` only applies to report creation; the {kind} endpoint ignores it"
                ),
            )
            .help(help)
            .arg("endpoint", kind.to_string()),
        );
    }
}
