//! EG309 roles-required — `rules/EG309-roles-required.md`.

use super::{label, rls_datasets};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// An identity for a cloud RLS dataset needs at least one role.
pub struct RolesRequired;

impl Check for RolesRequired {
    fn rule(&self) -> Rule {
        Rule::RolesRequired
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        for (d, data, _, row) in rls_datasets(ctx) {
            if row.identity_without_roles != Some(Rule::RolesRequired) {
                continue;
            }
            for identity in ctx.identities_covering(d.id) {
                let at = match &identity.roles.located() {
                    Some(roles) if roles.value.is_empty() => roles.pointer.clone(),
                    Some(_) => continue,
                    None if identity.roles.is_present() => continue, // wrong type, already reported
                    None => identity.pointer.clone(),
                };
                let suggestion = data
                    .roles
                    .as_ref()
                    .and_then(|r| r.first())
                    .map_or("<role>".to_string(), Clone::clone);
                out.push(
                    Finding::new(
                        Rule::RolesRequired,
                        Location::request(at),
                        format!("the identity for cloud RLS dataset `{}` has no role, so no role assignment occurs", label(data)),
                    )
                    .help(format!("add `roles: [\"{suggestion}\"]`"))
                    .related(Location::inventory(data.pointer.key("rls")), "RLS dataset declared here")
                    .arg("dataset", label(data)),
                );
            }
        }
    }
}
