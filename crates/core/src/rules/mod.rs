//! The rules: one file per rule, all shaped alike.
//!
//! A rule is a unit struct implementing [`Check`]: it reads the resolved [`Context`] of one request
//! and pushes [`Finding`]s. Its documentation is its page, `rules/EGnnn-name.md`. To add a rule:
//! copy a file of the same family, add the variant to [`crate::registry`], list it in [`CHECKS`],
//! write the page and two fixtures.
//!
//! EG001 (syntax), EG003 (unknown field), EG005 (wrong type) and EG011 (invalid enum) are found
//! while documents are read ([`crate::read`]); EG008 while a request is resolved
//! ([`crate::context`]). A rule about a whole file rather than one request (EG501) implements
//! [`DocumentCheck`] and runs while each description or inventory file is read.

use crate::context::Context;
use crate::finding::{Finding, Origin};
use crate::registry::Rule;
use crate::value::Value;

mod caller;
mod hygiene;
mod identity;
mod input;
mod permissions;
pub mod policy;
#[cfg(test)]
mod testing;
mod workspace;

/// One rule's check over a resolved request.
pub trait Check: Sync {
    /// The rule this check reports.
    fn rule(&self) -> Rule;
    /// Pushes this rule's findings about `ctx` to `out`.
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>);
}

/// One rule's check over a whole document — a description or an inventory file — including the
/// keys no other rule reads (unknown keys, the inline `tenant:`).
pub trait DocumentCheck: Sync {
    /// The rule this check reports.
    fn rule(&self) -> Rule;
    /// Pushes this rule's findings about `doc` (the file's root) to `out`, with `origin` as the
    /// document their pointers are relative to.
    fn check_document(&self, doc: &Value, origin: Origin, out: &mut Vec<Finding>);
}

/// Every document check, in code order.
pub static DOCUMENT_CHECKS: &[&dyn DocumentCheck] = &[&hygiene::SecretInFile];

/// Every check, in code order.
pub static CHECKS: &[&dyn Check] = &[
    &input::InvalidGuid,
    &input::UnknownEndpoint,
    &input::ContentType,
    &workspace::MyWorkspace,
    &workspace::V2ClassicWorkspace,
    &workspace::ClassicCrossWorkspace,
    &workspace::ClassicServicePrincipal,
    &workspace::ClassicRequiresAdmin,
    &workspace::CallerNotMember,
    &workspace::V2Dashboard,
    &workspace::V2Limits,
    &workspace::PreferV2,
    &workspace::PaginatedClassic,
    &workspace::NoCapacity,
    &workspace::PaginatedPpu,
    &workspace::TargetWorkspace,
    &permissions::EditNotReport,
    &permissions::CreateMisplaced,
    &permissions::CreateNeedsDataset,
    &permissions::SaveAsNotReport,
    &permissions::DatasetIdMisplaced,
    &permissions::LifetimeInvalid,
    &permissions::LifetimeIneffective,
    &permissions::MissingAccessLevel,
    &permissions::WriteOnRlsWithoutIdentity,
    &permissions::TargetWorkspaceGrant,
    &identity::RlsIdentityRequired,
    &identity::RlsUnfiltered,
    &identity::IdentityWithoutRls,
    &identity::RdlMasterUser,
    &identity::AsOnpremPermission,
    &identity::AasUsernameNotCaller,
    &identity::SsoIdentityRequired,
    &identity::SsoCloudIncomplete,
    &identity::RolesRequired,
    &identity::RoleLimits,
    &identity::UsernameLimits,
    &identity::CustomData,
    &identity::IdentityBlobShape,
    &identity::IdentityScopeMissing,
    &identity::IdentityDatasetOutsideToken,
    &identity::V1MultipleIdentities,
    &identity::UnknownRole,
    &identity::IdentityUsernameMissing,
    &identity::AsLiveIdentity,
    &identity::CompositeXmla,
    &identity::PaginatedDatasetXmla,
    &identity::PaginatedVisual,
    &identity::RdlIdentityShape,
    &caller::UserOwnsData,
    &caller::AdminMasterUser,
    &caller::MissingScope,
    &caller::SpWithPermissions,
    &caller::ProfileHeader,
    &caller::ProfileAas,
    &caller::MasterUserLicense,
    &caller::CloudMismatch,
    &hygiene::AuditContextEmpty,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_are_unique_and_in_code_order() {
        let codes: Vec<&str> = CHECKS.iter().map(|c| c.rule().code()).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes, sorted);
    }

    #[test]
    fn document_checks_are_unique_and_in_code_order() {
        let codes: Vec<&str> = DOCUMENT_CHECKS.iter().map(|c| c.rule().code()).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes, sorted);
        assert!(codes
            .iter()
            .all(|c| !CHECKS.iter().any(|k| k.rule().code() == *c)));
    }
}
