//! EG308 sso-cloud-incomplete — `rules/EG308-sso-cloud-incomplete.md`.

use super::{label, rls_datasets};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// SSO with cloud RLS: every identity needs both `identityBlob` and `username`.
pub struct SsoCloudIncomplete;

impl Check for SsoCloudIncomplete {
    fn rule(&self) -> Rule {
        Rule::SsoCloudIncomplete
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        for (d, data, _, row) in rls_datasets(ctx) {
            if row.identity_without_username_or_blob != Some(Rule::SsoCloudIncomplete) {
                continue;
            }
            for identity in ctx.identities_covering(d.id) {
                let lacks = match (
                    identity.username.is_present(),
                    identity.identity_blob.is_present(),
                ) {
                    (true, true) => continue,
                    (false, true) => "`username`",
                    (true, false) => "`identityBlob`",
                    (false, false) => "`username` and `identityBlob`",
                };
                out.push(
                    Finding::new(
                        Rule::SsoCloudIncomplete,
                        Location::request(identity.pointer.clone()),
                        format!("dataset `{}` uses SSO and cloud RLS: this identity lacks {lacks}", label(data)),
                    )
                    .help("give the identity both the RLS `username` (with `roles`) and the SSO `identityBlob: { value: ... }`")
                    .related(Location::inventory(data.pointer.key("rls")), "SSO + cloud RLS dataset declared here")
                    .arg("dataset", label(data)),
                );
            }
        }
    }
}
