//! EG113 target-workspace — `rules/EG113-target-workspace.md`.

use super::{label, only_a_target};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::inventory::{RoleFact, WorkspaceType};
use crate::registry::Rule;
use crate::rules::Check;

/// A V2 target workspace must be a new workspace in which the caller is at least Member.
///
/// Only target workspaces that hold none of the token's items are judged here; the others are
/// judged with the items (EG101, EG102, EG104–EG106), so one wrong workspace gives one finding.
pub struct TargetWorkspace;

impl Check for TargetWorkspace {
    fn rule(&self) -> Rule {
        Rule::TargetWorkspace
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(tenant) = ctx.tenant else { return };
        for w in ctx.workspaces.iter().filter(|w| only_a_target(ctx, w)) {
            let Some(data) = tenant.workspace_data(w.id) else {
                continue;
            };
            let name = label(data);
            let finding = match data.kind {
                Some(kind @ (WorkspaceType::Classic | WorkspaceType::Personal)) => {
                    let what = if kind == WorkspaceType::Classic {
                        "a classic workspace"
                    } else {
                        "a personal My workspace"
                    };
                    Finding::new(
                        Rule::TargetWorkspace,
                        Location::request(w.at.clone()),
                        format!("target workspace `{name}` is {what}; V2 tokens can only save reports to new workspaces"),
                    )
                    .help("remove this `targetWorkspaces` entry, or name a new workspace in which the caller is Member or Admin")
                    .related(Location::inventory(data.pointer.key("type")), format!("declared `type: {kind}` here"))
                }
                Some(WorkspaceType::New) => {
                    let Some(caller) = ctx.caller else { continue };
                    let Some(minimum) = ctx.matrices.workspace(WorkspaceType::New).minimum_role
                    else {
                        continue;
                    };
                    let has = match tenant.role(caller.id, w.id) {
                        RoleFact::Unknown => continue,
                        RoleFact::Role(r) if r <= minimum => continue,
                        RoleFact::Role(r) => format!("is only {r}"),
                        RoleFact::NotListed => "has no role".to_string(),
                    };
                    // The caller's own entry in `users`, else the whole map.
                    let (role_at, role_label) = data
                        .users
                        .iter()
                        .flatten()
                        .find(|(who, _)| tenant.principal(&who.value) == Some(caller.id))
                        .map_or_else(
                            || {
                                (
                                    data.pointer.key("users"),
                                    format!("`{}` is not among these users", caller.data.name),
                                )
                            },
                            |(who, role)| {
                                let role = role.map_or("listed".to_string(), |r| r.to_string());
                                (
                                    who.pointer.clone(),
                                    format!("`{}` is {role} here", caller.data.name),
                                )
                            },
                        );
                    let kind = caller
                        .data
                        .kind
                        .map_or("caller".to_string(), |k| k.to_string());
                    Finding::new(
                        Rule::TargetWorkspace,
                        Location::request(w.at.clone()),
                        format!("{kind} `{}` {has} in target workspace `{name}`; a target workspace needs at least {minimum}", caller.data.name),
                    )
                    .help(format!(
                        "add `{}` to workspace `{name}` as {minimum} or Admin, or remove this `targetWorkspaces` entry",
                        caller.data.name
                    ))
                    .related(Location::inventory(role_at), role_label)
                }
                None => continue,
            };
            out.push(finding.arg("workspace", name));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::codes;
    use serde_json::json;

    const CONTENT: &str = "3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c";
    const LEGACY: &str = "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a";
    const REPORT: &str = "8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    fn description(report_in: &str, target: &str) -> serde_json::Value {
        json!({
            "embedguard": 1,
            "tenant": {
                "principals": [{ "name": "mu", "kind": "master_user" }],
                "workspaces": [
                    { "id": CONTENT, "name": "Sales", "type": "new", "users": { "mu": "Admin" } },
                    { "id": LEGACY, "name": "Legacy", "type": "classic", "users": { "mu": "Admin" } }
                ],
                "datasets": [{ "id": "0c9d8e7f-6a5b-4c3d-8e1f-0a9b8c7d6e5f", "name": "Model", "workspace": report_in, "rls": "none" }],
                "reports": [{ "id": REPORT, "name": "Report", "workspace": report_in, "dataset": "Model" }]
            },
            "requests": [{
                "caller": "mu",
                "path": "/v1.0/myorg/GenerateToken",
                "body": { "reports": [{ "id": REPORT }], "targetWorkspaces": [{ "id": target }] }
            }]
        })
    }

    #[test]
    fn a_wrong_workspace_is_reported_once() {
        // Only a target: EG113, not EG102.
        let target_only = codes(description(CONTENT, LEGACY));
        assert!(target_only.contains(&"EG113"), "{target_only:?}");
        assert!(!target_only.contains(&"EG102"), "{target_only:?}");
        // Also the report's workspace: EG102 (at the report), not EG113.
        let both = codes(description(LEGACY, LEGACY));
        assert_eq!(
            both.iter().filter(|c| **c == "EG102").count(),
            1,
            "{both:?}"
        );
        assert!(!both.contains(&"EG113"), "{both:?}");
    }
}
