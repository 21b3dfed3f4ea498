//! EG906 policy-identity-source — `rules/EG906-policy-identity-source.md`.

use super::{PolicyCheck, SET_IN};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::ids::is_placeholder;
use crate::policy::Policy;
use crate::registry::Rule;

/// Identities' `username` comes from the signed-in user at run time, never from the file.
pub struct PolicyIdentitySource;

impl PolicyCheck for PolicyIdentitySource {
    fn rule(&self) -> Rule {
        Rule::PolicyIdentitySource
    }

    fn check(&self, ctx: &Context<'_>, policy: &Policy, out: &mut Vec<Finding>) {
        if !policy.placeholder_usernames {
            return;
        }
        let Some(body) = ctx.body else { return };
        for identity in body.identities() {
            let Some(username) = identity.username.located() else {
                continue;
            };
            // The caller itself (an Azure AS identity must name it: EG306) is not a user.
            let is_caller = ctx.caller.as_ref().is_some_and(|c| {
                [&c.data.object_id, &c.data.upn]
                    .into_iter()
                    .flatten()
                    .any(|own| own.eq_ignore_ascii_case(&username.value))
            });
            if is_placeholder(&username.value) || is_caller {
                continue;
            }
            out.push(
                Finding::new(
                    Rule::PolicyIdentitySource,
                    Location::request(username.pointer.clone()),
                    format!(
                        "`username` is the literal `{}`: every token from this request filters rows as that one user",
                        username.value
                    ),
                )
                .help(format!(
                    "write a placeholder the app fills from the signed-in user, e.g. `\"${{user.email}}\"`; {SET_IN}"
                ))
                .arg("username", username.value.clone()),
            );
        }
    }
}
