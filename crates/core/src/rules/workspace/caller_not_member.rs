//! EG106 caller-not-member — `rules/EG106-caller-not-member.md`.

use super::{label, role_shortfalls};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// In new workspaces the caller must be at least Member of every workspace of the request.
pub struct CallerNotMember;

impl Check for CallerNotMember {
    fn rule(&self) -> Rule {
        Rule::CallerNotMember
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(caller) = ctx.caller else {
            return;
        };
        for (data, minimum, has) in role_shortfalls(ctx, &caller, Rule::CallerNotMember) {
            let kind = caller
                .data
                .kind
                .map_or("caller".to_string(), |k| k.to_string());
            out.push(
                Finding::new(
                    Rule::CallerNotMember,
                    Location::request(caller.at.clone()),
                    format!(
                        "{kind} `{}` {has} in workspace `{}`; GenerateToken needs at least {minimum}",
                        caller.data.name,
                        label(data)
                    ),
                )
                .help(format!(
                    "add `{}` to workspace `{}` as {minimum} or Admin",
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
