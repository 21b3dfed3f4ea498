//! EG106 caller-not-member — `rules/EG106-caller-not-member.md`.

use super::{label, typed_workspaces};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::inventory::RoleFact;
use crate::registry::Rule;
use crate::rules::Check;

/// In new workspaces the caller must be at least Member of every workspace of the request.
pub struct CallerNotMember;

impl Check for CallerNotMember {
    fn rule(&self) -> Rule {
        Rule::CallerNotMember
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let (Some(tenant), Some(caller)) = (ctx.tenant, ctx.caller) else {
            return;
        };
        for (w, data, _, row) in typed_workspaces(ctx) {
            if row.role_below_minimum != Some(Rule::CallerNotMember) {
                continue;
            }
            let Some(minimum) = row.minimum_role else {
                continue;
            };
            let has = match tenant.role(caller.id, w.id) {
                RoleFact::Unknown => continue,
                RoleFact::Role(r) if r <= minimum => continue,
                RoleFact::Role(r) => format!("is only {r}"),
                RoleFact::NotListed => "has no role".to_string(),
            };
            let kind = caller
                .data
                .kind
                .map_or("caller".to_string(), |k| k.to_string());
            out.push(
                Finding::new(
                    Rule::CallerNotMember,
                    Location::request(caller.at.clone()),
                    format!(
                        "{kind} `{}` {has} in workspace `{}`; GenerateToken needs Member or Admin",
                        caller.data.name,
                        label(data)
                    ),
                )
                .help(format!(
                    "add `{}` to workspace `{}` as Member or Admin",
                    caller.data.name,
                    label(data)
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
