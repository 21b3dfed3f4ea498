//! EG105 classic-requires-admin — `rules/EG105-classic-requires-admin.md`.

use super::{label, typed_workspaces};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::inventory::RoleFact;
use crate::registry::Rule;
use crate::rules::Check;

/// In a classic workspace the master user must be Admin.
pub struct ClassicRequiresAdmin;

impl Check for ClassicRequiresAdmin {
    fn rule(&self) -> Rule {
        Rule::ClassicRequiresAdmin
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let (Some(tenant), Some(caller)) = (ctx.tenant, ctx.caller.filter(|c| c.is_master_user()))
        else {
            return;
        };
        for (w, data, _, row) in typed_workspaces(ctx) {
            if row.role_below_minimum != Some(Rule::ClassicRequiresAdmin) {
                continue;
            }
            let Some(minimum) = row.minimum_role else {
                continue;
            };
            let has = match tenant.role(caller.id, w.id) {
                RoleFact::Unknown => continue,
                RoleFact::Role(r) if r <= minimum => continue,
                RoleFact::Role(r) => format!("is {r}"),
                RoleFact::NotListed => "has no role".to_string(),
            };
            out.push(
                Finding::new(
                    Rule::ClassicRequiresAdmin,
                    Location::request(caller.at.clone()),
                    format!(
                        "master user `{}` {has} in classic workspace `{}`, which needs {minimum}",
                        caller.data.name,
                        label(data)
                    ),
                )
                .help(format!(
                    "make `{}` {minimum} of the workspace",
                    caller.data.name
                ))
                .related(
                    Location::inventory(data.pointer.clone()),
                    "workspace declared here",
                )
                .arg("workspace", label(data)),
            );
        }
    }
}
