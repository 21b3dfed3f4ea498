//! EG903 policy-caller-kind — `rules/EG903-policy-caller-kind.md`.

use super::{PolicyCheck, SET_IN};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::policy::Policy;
use crate::registry::Rule;

/// Only the kinds of principal the policy allows may ask for tokens.
pub struct PolicyCallerKind;

impl PolicyCheck for PolicyCallerKind {
    fn rule(&self) -> Rule {
        Rule::PolicyCallerKind
    }

    fn check(&self, ctx: &Context<'_>, policy: &Policy, out: &mut Vec<Finding>) {
        let (Some(allowed), Some(caller)) = (&policy.allowed_callers, &ctx.caller) else {
            return;
        };
        let Some(kind) = caller.data.kind else { return };
        if allowed.contains(&kind) {
            return;
        }
        let list = allowed
            .iter()
            .map(|k| format!("a {k}"))
            .collect::<Vec<_>>()
            .join(" or ");
        out.push(
            Finding::new(
                Rule::PolicyCallerKind,
                Location::request(caller.at.clone()),
                format!(
                    "`{}` is a {kind}; the policy lets only {list} ask for embed tokens",
                    caller.data.name
                ),
            )
            .help(format!("call as {list}; {SET_IN}"))
            .related(
                Location::inventory(caller.data.pointer.key("kind")),
                "the caller's kind",
            )
            .arg("kind", kind.to_string()),
        );
    }
}
