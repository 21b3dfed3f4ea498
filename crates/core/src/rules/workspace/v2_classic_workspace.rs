//! EG102 v2-classic-workspace — `rules/EG102-v2-classic-workspace.md`.

use super::{label, typed_workspaces};
use crate::context::Context;
use crate::endpoint::Endpoint;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// The V2 endpoint only works with new workspaces.
pub struct V2ClassicWorkspace;

impl Check for V2ClassicWorkspace {
    fn rule(&self) -> Rule {
        Rule::V2ClassicWorkspace
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        if ctx.endpoint != Some(&Endpoint::V2) {
            return;
        }
        for (w, data, kind, row) in typed_workspaces(ctx) {
            if row.in_v2_request == Some(Rule::V2ClassicWorkspace) {
                out.push(
                    Finding::new(
                        Rule::V2ClassicWorkspace,
                        Location::request(w.at.clone()),
                        format!("workspace `{}` is a {kind} workspace, and the V2 endpoint takes only new workspaces", label(data)),
                    )
                    .help("upgrade the workspace to a new workspace, or use the V1 `groups/{groupId}/…/GenerateToken` endpoint for its items")
                    .related(Location::inventory(data.pointer.key("type")), "declared classic here")
                    .arg("workspace", label(data)),
                );
            }
        }
    }
}
