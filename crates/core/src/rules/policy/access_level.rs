//! EG902 policy-access-level — `rules/EG902-policy-access-level.md`.

use super::{PolicyCheck, SET_IN};
use crate::body::{AccessLevel, Body};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::policy::Policy;
use crate::registry::Rule;

/// Tokens grant only the rights the policy allows: access levels, edit, save-as.
pub struct PolicyAccessLevel;

impl PolicyCheck for PolicyAccessLevel {
    fn rule(&self) -> Rule {
        Rule::PolicyAccessLevel
    }

    fn check(&self, ctx: &Context<'_>, policy: &Policy, out: &mut Vec<Finding>) {
        let Some(body) = ctx.body else { return };
        let deny = |at: &crate::value::Pointer, what: String, help: &str| {
            Finding::new(Rule::PolicyAccessLevel, Location::request(at.clone()), what)
                .help(format!("{help}; {SET_IN}"))
        };
        match body {
            Body::V1(b) => {
                if let Some(level) = b.access_level.located() {
                    let level_value = level.value.value;
                    let allowed = policy
                        .allowed_access_levels
                        .as_ref()
                        .is_none_or(|list| list.contains(&level_value));
                    let edit_denied =
                        level_value == AccessLevel::Edit && policy.allow_edit == Some(false);
                    if !allowed || edit_denied {
                        out.push(deny(
                            &level.pointer,
                            format!("the policy does not allow `accessLevel: {level_value:?}`"),
                            &format!("ask for {}", allowed_list(policy)),
                        ));
                    }
                }
                if let Some(save_as) = b.allow_save_as.located() {
                    if save_as.value && policy.allow_save_as == Some(false) {
                        out.push(deny(
                            &save_as.pointer,
                            "the policy does not allow `allowSaveAs: true`".into(),
                            "remove `allowSaveAs`",
                        ));
                    }
                }
            }
            Body::V2(b) => {
                if policy.allow_edit == Some(false) {
                    for r in b.reports.get().into_iter().flatten() {
                        if let Some(edit) = r.allow_edit.located().filter(|e| e.value) {
                            out.push(deny(
                                &edit.pointer,
                                "the policy does not allow `allowEdit: true`".into(),
                                "remove `allowEdit` (or set it to `false`)",
                            ));
                        }
                    }
                }
                let create_denied = policy.allow_save_as == Some(false)
                    || policy
                        .allowed_access_levels
                        .as_ref()
                        .is_some_and(|l| !l.contains(&AccessLevel::Create));
                if let Some(targets) = b.target_workspaces.located() {
                    if create_denied && !targets.value.is_empty() {
                        out.push(deny(
                            &targets.pointer,
                            "the policy does not allow `targetWorkspaces`: they let the token's user save and create reports there".into(),
                            "remove `targetWorkspaces`",
                        ));
                    }
                }
            }
        }
    }
}

fn allowed_list(policy: &Policy) -> String {
    match &policy.allowed_access_levels {
        Some(list) if !list.is_empty() => list
            .iter()
            .filter(|l| !(**l == AccessLevel::Edit && policy.allow_edit == Some(false)))
            .map(|l| format!("`{l:?}`"))
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "`View`".to_string(),
    }
}
