//! EG105 classic-requires-admin — `rules/EG105-classic-requires-admin.md`.

use super::{label, role_shortfalls};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// In a classic workspace the master user must be Admin.
pub struct ClassicRequiresAdmin;

impl Check for ClassicRequiresAdmin {
    fn rule(&self) -> Rule {
        Rule::ClassicRequiresAdmin
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(caller) = ctx.caller.filter(|c| c.is_master_user()) else {
            return;
        };
        for (data, minimum, has) in role_shortfalls(ctx, &caller, Rule::ClassicRequiresAdmin) {
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
