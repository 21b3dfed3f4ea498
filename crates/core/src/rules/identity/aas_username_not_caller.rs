//! EG306 aas-username-not-caller — `rules/EG306-aas-username-not-caller.md`.

use super::{label, rls_datasets};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::ids::is_placeholder;
use crate::registry::Rule;
use crate::rules::Check;

/// Azure AS: the effective identity's username must be the caller itself.
pub struct AasUsernameNotCaller;

impl Check for AasUsernameNotCaller {
    fn rule(&self) -> Rule {
        Rule::AasUsernameNotCaller
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(caller) = ctx.caller else { return };
        let p = caller.data;
        let (expected, what) = if caller.is_service_principal() {
            (p.object_id.as_deref(), "object id")
        } else if caller.is_master_user() {
            (p.upn.as_deref(), "UPN")
        } else {
            return;
        };
        for (d, data, _, row) in rls_datasets(ctx) {
            if row.identity_username_not_caller != Some(Rule::AasUsernameNotCaller) {
                continue;
            }
            for identity in ctx.identities_covering(d.id) {
                let Some(username) = identity.username.located() else {
                    continue;
                };
                if is_placeholder(&username.value) {
                    continue;
                }
                let is_app_id = caller.is_service_principal()
                    && p.app_id
                        .as_deref()
                        .is_some_and(|a| a.eq_ignore_ascii_case(&username.value));
                let matches = expected.is_some_and(|e| e.eq_ignore_ascii_case(&username.value));
                if matches || (expected.is_none() && !is_app_id) {
                    continue;
                }
                let help = match (is_app_id, expected) {
                    (true, Some(e)) => format!("`{}` is the application (client) id; Azure AS needs the service principal's object id `{e}`", username.value),
                    (true, None) => format!("`{}` is the application (client) id; Azure AS needs the service principal's object id (Enterprise applications → Properties)", username.value),
                    (false, Some(e)) => format!("set `username: \"{e}\"` (the caller's {what}) and carry the end user in `customData` for dynamic RLS"),
                    (false, None) => "set `username` to the caller itself".into(),
                };
                out.push(
                    Finding::new(
                        Rule::AasUsernameNotCaller,
                        Location::request(username.pointer.clone()),
                        format!("dataset `{}` is an Azure Analysis Services live connection: `username` must be the caller's {what}, not `{}`", label(data), username.value),
                    )
                    .help(help)
                    .related(Location::inventory(p.pointer.clone()), "the caller is declared here")
                    .arg("dataset", label(data))
                    .arg("username", username.value.clone()),
                );
            }
        }
    }
}
