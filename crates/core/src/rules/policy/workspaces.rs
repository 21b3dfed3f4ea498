//! EG905 policy-workspaces — `rules/EG905-policy-workspaces.md`.

use super::{PolicyCheck, SET_IN};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::policy::Policy;
use crate::registry::Rule;

/// Requests touch only the workspaces the policy lists.
pub struct PolicyWorkspaces;

impl PolicyCheck for PolicyWorkspaces {
    fn rule(&self) -> Rule {
        Rule::PolicyWorkspaces
    }

    fn check(&self, ctx: &Context<'_>, policy: &Policy, out: &mut Vec<Finding>) {
        let (Some(allowed), Some(tenant)) = (&policy.allowed_workspaces, ctx.tenant) else {
            return;
        };
        for w in &ctx.workspaces {
            let Some(data) = tenant.workspace_data(w.id) else {
                continue;
            };
            let listed = allowed.iter().any(|a| {
                data.id
                    .as_deref()
                    .is_some_and(|id| id.eq_ignore_ascii_case(a))
                    || data.name.as_deref() == Some(a.as_str())
            });
            if listed {
                continue;
            }
            let label = data.name.as_deref().or(data.id.as_deref()).unwrap_or("?");
            out.push(
                Finding::new(
                    Rule::PolicyWorkspaces,
                    Location::request(w.at.clone()),
                    format!("workspace `{label}` is not one the policy allows tokens for"),
                )
                .help(format!(
                    "embed from {}; {SET_IN}",
                    allowed
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
                .related(Location::inventory(data.pointer.clone()), "the workspace")
                .arg("workspace", label),
            );
        }
    }
}
