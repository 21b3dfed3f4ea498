//! EG103 classic-cross-workspace — `rules/EG103-classic-cross-workspace.md`.

use super::label;
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// In a classic workspace, the item and its dataset must share the workspace.
pub struct ClassicCrossWorkspace;

impl Check for ClassicCrossWorkspace {
    fn rule(&self) -> Rule {
        Rule::ClassicCrossWorkspace
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(tenant) = ctx.tenant else { return };
        for b in &ctx.bindings {
            if b.item_workspace == b.dataset_workspace {
                continue;
            }
            let (Some(item_ws), Some(data_ws)) = (
                tenant.workspace_data(b.item_workspace),
                tenant.workspace_data(b.dataset_workspace),
            ) else {
                continue;
            };
            let classic = [item_ws, data_ws].into_iter().find(|w| {
                w.kind.is_some_and(|k| {
                    ctx.matrices.workspace(k).item_and_dataset_apart
                        == Some(Rule::ClassicCrossWorkspace)
                })
            });
            if let Some(classic) = classic {
                out.push(
                    Finding::new(
                        Rule::ClassicCrossWorkspace,
                        Location::request(b.at.clone()),
                        format!(
                            "the item is in `{}` and its dataset in `{}`, and `{}` is a classic workspace",
                            label(item_ws),
                            label(data_ws),
                            label(classic)
                        ),
                    )
                    .help("in a classic workspace the dataset and the item must be in the same workspace; move one, or upgrade both to new workspaces")
                    .related(Location::inventory(classic.pointer.key("type")), "classic workspace declared here"),
                );
            }
        }
    }
}
