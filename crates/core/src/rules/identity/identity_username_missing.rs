//! EG318 identity-username-missing — `rules/EG318-identity-username-missing.md`.

use super::rls_datasets;
use crate::body::EffectiveIdentity;
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::read::Field;
use crate::registry::Rule;
use crate::rules::Check;

/// Every identity names the user: `username`, or for SSO an `identityBlob`.
pub struct IdentityUsernameMissing;

impl Check for IdentityUsernameMissing {
    fn rule(&self) -> Rule {
        Rule::IdentityUsernameMissing
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(body) = ctx.body else { return };
        for identity in body.identities() {
            if identity.identity_blob.is_present() || reported_for_sso(ctx, identity) {
                continue;
            }
            let (at, message, help) = match &identity.username {
                Field::Absent => (
                    identity.pointer.clone(),
                    "this identity has neither `username` nor `identityBlob`",
                    "add `username: \"${user.email}\"`: the end user whose rows RLS lets the token see (over an SSO model, the user's Azure SQL token goes in `identityBlob: { value: ... }`)",
                ),
                Field::Present(u) if u.value.is_empty() => (
                    u.pointer.clone(),
                    "`username` is empty and the identity has no `identityBlob`",
                    "set `username` to the end user whose rows RLS lets the token see (e.g. `\"${user.email}\"`); if a template variable fills it, make sure it is never empty",
                ),
                _ => continue, // a username, or one of the wrong type (EG005)
            };
            out.push(
                Finding::new(
                    Rule::IdentityUsernameMissing,
                    Location::request(at),
                    message,
                )
                .help(help),
            );
        }
    }
}

/// Whether an SSO rule already reports `identity` for lacking `username` and `identityBlob`:
/// EG308 reports every such identity over `sso_cloud`; EG307 the first identity over `sso` of a
/// service principal, when none has both.
fn reported_for_sso(ctx: &Context<'_>, identity: &EffectiveIdentity) -> bool {
    let service_principal = ctx.caller.is_some_and(|c| c.is_service_principal());
    rls_datasets(ctx).any(|(d, _, _, row)| {
        let covering = ctx.identities_covering(d.id);
        if !covering.iter().any(|i| std::ptr::eq(*i, identity)) {
            return false;
        }
        let eg308 = row.identity_without_username_or_blob == Some(Rule::SsoCloudIncomplete);
        let eg307 = service_principal
            && row.service_principal_without_identity == Some(Rule::SsoIdentityRequired)
            && covering.first().is_some_and(|i| std::ptr::eq(*i, identity))
            && !covering
                .iter()
                .any(|i| i.username.is_present() && i.identity_blob.is_present());
        eg308 || eg307
    })
}
