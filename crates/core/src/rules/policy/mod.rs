//! EG9xx — organisation policy: what a team decided, set in `embedguard.toml`, off unless set.
//!
//! A policy rule sees the resolved request, the policy, and the findings the other rules made
//! (EG904 turns one of them into an error).

mod access_level;
mod caller_kind;
mod identity_source;
mod max_lifetime;
mod unfiltered_rls;
mod workspaces;

pub use access_level::PolicyAccessLevel;
pub use caller_kind::PolicyCallerKind;
pub use identity_source::PolicyIdentitySource;
pub use max_lifetime::PolicyMaxLifetime;
pub use unfiltered_rls::PolicyUnfilteredRls;
pub use workspaces::PolicyWorkspaces;

use crate::context::Context;
use crate::finding::Finding;
use crate::policy::Policy;
use crate::registry::Rule;

/// One policy rule's check over a resolved request.
pub trait PolicyCheck: Sync {
    /// The rule this check reports.
    fn rule(&self) -> Rule;
    /// Pushes this rule's findings about `ctx` under `policy` to `out`, which already holds the
    /// other rules' findings about the request.
    fn check(&self, ctx: &Context<'_>, policy: &Policy, out: &mut Vec<Finding>);
}

/// Every policy check, in code order.
pub static POLICY_CHECKS: &[&dyn PolicyCheck] = &[
    &PolicyMaxLifetime,
    &PolicyAccessLevel,
    &PolicyCallerKind,
    &PolicyUnfilteredRls,
    &PolicyWorkspaces,
    &PolicyIdentitySource,
];

/// The help line every policy finding ends with: where the decision was made.
const SET_IN: &str = "this is your organisation's policy, set under `[policy]` in embedguard.toml";
