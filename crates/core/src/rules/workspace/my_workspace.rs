//! EG101 my-workspace — `rules/EG101-my-workspace.md`.

use super::{label, typed_workspaces};
use crate::context::Context;
use crate::endpoint::Route;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// No embed token for My workspace: removed non-group paths, or a personal workspace.
pub struct MyWorkspace;

impl Check for MyWorkspace {
    fn rule(&self) -> Rule {
        Rule::MyWorkspace
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        if let Some(Route::MyWorkspace { path }) = &ctx.request.route {
            out.push(
                Finding::new(
                    Rule::MyWorkspace,
                    Location::request(ctx.path_pointer()),
                    format!("`{path}` is a My-workspace GenerateToken path, removed in 2019"),
                )
                .help("move the content to a workspace and call `/v1.0/myorg/groups/{groupId}/…/GenerateToken`, or the V2 `/v1.0/myorg/GenerateToken`")
                .arg("path", path.clone()),
            );
        }
        for (w, data, _, row) in typed_workspaces(ctx) {
            if row.any_request == Some(Rule::MyWorkspace) {
                out.push(
                    Finding::new(
                        Rule::MyWorkspace,
                        Location::request(w.at.clone()),
                        format!(
                            "workspace `{}` is a personal My workspace, which cannot be embedded",
                            label(data)
                        ),
                    )
                    .help("publish the content to a (new) workspace and embed it from there")
                    .related(
                        Location::inventory(data.pointer.clone()),
                        "declared `type: personal` here",
                    )
                    .arg("workspace", label(data)),
                );
            }
        }
    }
}
