//! EG104 classic-service-principal — `rules/EG104-classic-service-principal.md`.

use super::{label, typed_workspaces};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// A service principal cannot embed from a classic workspace.
pub struct ClassicServicePrincipal;

impl Check for ClassicServicePrincipal {
    fn rule(&self) -> Rule {
        Rule::ClassicServicePrincipal
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(caller) = ctx.caller.filter(|c| c.is_service_principal()) else {
            return;
        };
        for (_, data, _, row) in typed_workspaces(ctx) {
            if row.service_principal == Some(Rule::ClassicServicePrincipal) {
                out.push(
                    Finding::new(
                        Rule::ClassicServicePrincipal,
                        Location::request(caller.at.clone()),
                        format!("service principal `{}` cannot generate tokens for classic workspace `{}`", caller.data.name, label(data)),
                    )
                    .help("upgrade the workspace to a new workspace, or call as a master user who is Admin of it")
                    .related(Location::inventory(data.pointer.key("type")), "classic workspace declared here")
                    .arg("workspace", label(data)),
                );
            }
        }
    }
}
