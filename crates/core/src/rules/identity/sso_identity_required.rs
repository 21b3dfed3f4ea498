//! EG307 sso-identity-required — `rules/EG307-sso-identity-required.md`.

use super::{label, rls_datasets};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// SSO dataset and a service principal: an identity with `username` and `identityBlob`.
pub struct SsoIdentityRequired;

impl Check for SsoIdentityRequired {
    fn rule(&self) -> Rule {
        Rule::SsoIdentityRequired
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(caller) = ctx.caller.filter(|c| c.is_service_principal()) else {
            return;
        };
        for (d, data, _, row) in rls_datasets(ctx) {
            if row.service_principal_without_identity != Some(Rule::SsoIdentityRequired) {
                continue;
            }
            let covering = ctx.identities_covering(d.id);
            if covering
                .iter()
                .any(|i| i.username.is_present() && i.identity_blob.is_present())
            {
                continue;
            }
            let (at, lacks) = match covering.first() {
                Some(i) if !i.username.is_present() => (i.pointer.clone(), "has no `username`"),
                Some(i) => (i.pointer.clone(), "has no `identityBlob`"),
                None => (ctx.identities_or_body(), "is missing"),
            };
            out.push(
                Finding::new(
                    Rule::SsoIdentityRequired,
                    Location::request(at),
                    format!("dataset `{}` uses single sign-on: the identity of service principal `{}` {lacks}", label(data), caller.data.name),
                )
                .help("send an identity with the RLS `username` and the user's Azure SQL token in `identityBlob: { value: ... }`")
                .related(Location::inventory(data.pointer.key("rls")), "SSO dataset declared here")
                .arg("dataset", label(data)),
            );
        }
    }
}
