//! EG3xx — effective identity and row-level security (the seed's RLS matrix,
//! `rules/matrix/rls.json`).

mod aas_username_not_caller;
mod as_onprem_permission;
mod custom_data;
mod identity_blob_shape;
mod identity_dataset_outside_token;
mod identity_scope_missing;
mod identity_username_missing;
mod identity_without_rls;
mod rdl_master_user;
mod rls_identity_required;
mod rls_unfiltered;
mod role_limits;
mod roles_required;
mod sso_cloud_incomplete;
mod sso_identity_required;
mod unknown_role;
mod username_limits;
mod v1_multiple_identities;

pub use aas_username_not_caller::AasUsernameNotCaller;
pub use as_onprem_permission::AsOnpremPermission;
pub use custom_data::CustomData;
pub use identity_blob_shape::IdentityBlobShape;
pub use identity_dataset_outside_token::IdentityDatasetOutsideToken;
pub use identity_scope_missing::IdentityScopeMissing;
pub use identity_username_missing::IdentityUsernameMissing;
pub use identity_without_rls::IdentityWithoutRls;
pub use rdl_master_user::RdlMasterUser;
pub use rls_identity_required::RlsIdentityRequired;
pub use rls_unfiltered::RlsUnfiltered;
pub use role_limits::RoleLimits;
pub use roles_required::RolesRequired;
pub use sso_cloud_incomplete::SsoCloudIncomplete;
pub use sso_identity_required::SsoIdentityRequired;
pub use unknown_role::UnknownRole;
pub use username_limits::UsernameLimits;
pub use v1_multiple_identities::V1MultipleIdentities;

use crate::body::EffectiveIdentity;
use crate::context::{Context, Named};
use crate::inventory::{Dataset, DatasetId, RlsKind};
use crate::matrix::RlsRow;
use crate::registry::Rule;

/// The datasets of the request whose RLS kind is known, with their matrix row.
fn rls_datasets<'c>(
    ctx: &'c Context<'_>,
) -> impl Iterator<Item = (&'c Named<DatasetId>, &'c Dataset, RlsKind, RlsRow)> + 'c {
    ctx.datasets.iter().filter_map(move |d| {
        let data = ctx.tenant?.dataset_data(d.id)?;
        let rls = data.rls?;
        Some((d, data, rls, ctx.matrices.rls(rls)))
    })
}

/// The datasets of the request that `identity` applies to (see
/// [`Context::identities_covering`]), with their facts.
fn datasets_of<'c>(
    ctx: &'c Context<'_>,
    identity: &'c EffectiveIdentity,
) -> impl Iterator<Item = (&'c Named<DatasetId>, &'c Dataset)> + 'c {
    ctx.datasets.iter().filter_map(move |d| {
        let data = ctx.tenant?.dataset_data(d.id)?;
        ctx.identities_covering(d.id)
            .iter()
            .any(|i| std::ptr::eq(*i, identity))
            .then_some((d, data))
    })
}

/// The first on-premises Analysis Services dataset of the request that `identity` applies to.
fn on_premises_dataset<'c>(
    ctx: &'c Context<'_>,
    identity: &'c EffectiveIdentity,
) -> Option<&'c Dataset> {
    datasets_of(ctx, identity)
        .map(|(_, data)| data)
        .find(|data| data.rls == Some(RlsKind::AsOnPremises))
}

/// Whether `identity` names neither `datasets` nor `reports` while it is wanted — EG314's
/// finding. An unscoped identity whose datasets all refuse an identity (`rls: none`) is EG303's
/// instead: the fix there is to drop the identity, not to scope it. Either way the mistake gets
/// one finding: EG303 skips the identities this returns `true` for.
fn scope_missing(ctx: &Context<'_>, identity: &EffectiveIdentity) -> bool {
    if identity.datasets.is_present() || identity.reports.is_present() {
        return false;
    }
    let refuses_identity = |data: &Dataset| {
        data.rls.is_some_and(|rls| {
            ctx.matrices.rls(rls).identity_given == Some(Rule::IdentityWithoutRls)
        })
    };
    let mut covered = datasets_of(ctx, identity).peekable();
    let unwanted = covered.peek().is_some() && covered.all(|(_, data)| refuses_identity(data));
    !unwanted
}

/// A dataset's display name for messages.
fn label(d: &Dataset) -> String {
    d.name
        .clone()
        .or_else(|| d.id.clone())
        .unwrap_or_else(|| "?".into())
}

/// The literal text of `s`: what is left once the template placeholders (`${…}`, `{{ … }}`) are
/// cut out. Whatever a placeholder expands to at run time, these characters reach Power BI, so
/// limits on characters and (as a lower bound) on length can be judged on them.
fn literal_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    loop {
        let dollar = rest.find("${").map(|i| (i, "}"));
        let braces = rest.find("{{").map(|i| (i, "}}"));
        let next = match (dollar, braces) {
            (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
            (a, b) => a.or(b),
        };
        let Some((start, close)) = next else { break };
        let opened = start + 2;
        match rest[opened..].find(close) {
            Some(len) => {
                out.push_str(&rest[..start]);
                rest = &rest[opened + len + close.len()..];
            }
            None => {
                // An unclosed `${` or `{{` is literal text; look for placeholders after it.
                out.push_str(&rest[..opened]);
                rest = &rest[opened..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The length of `s` as Power BI's .NET service counts it (`string.Length`: UTF-16 code units;
/// the number of characters for ASCII text).
fn dotnet_len(s: &str) -> usize {
    s.encode_utf16().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_text_cuts_placeholders() {
        assert_eq!(literal_text("${user.email}"), "");
        assert_eq!(literal_text("{{ user }}"), "");
        assert_eq!(literal_text("${first} ${last}"), " ");
        assert_eq!(literal_text("CONTOSO\\{{ user }}"), "CONTOSO\\");
        assert_eq!(literal_text("a${x}b{{y}}c"), "abc");
        assert_eq!(literal_text("{{a}}${b}"), "");
        assert_eq!(literal_text("john smith"), "john smith");
        assert_eq!(literal_text("cost ${ unclosed"), "cost ${ unclosed");
        assert_eq!(literal_text("{x} }}"), "{x} }}");
        assert_eq!(literal_text("{{ open ${x} tail"), "{{ open  tail");
    }

    #[test]
    fn dotnet_length_counts_utf16_units() {
        assert_eq!(dotnet_len("Customer"), 8);
        assert_eq!(dotnet_len("Jürgen"), 6);
        assert_eq!(dotnet_len("😀"), 2);
    }
}
