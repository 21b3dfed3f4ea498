//! Organisation policy: typed knobs a team sets in `embedguard.toml` (rules EG9xx).
//!
//! Every knob is off unless set. Power BI would accept what a policy forbids: these findings say
//! what the organisation decided, not what the service refuses.

use crate::body::AccessLevel;
use crate::inventory::PrincipalKind;

/// The organisation's policy for embed tokens.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// EG901: the longest token lifetime allowed, in minutes; a request must also state one.
    pub max_lifetime_minutes: Option<u32>,
    /// EG902: the V1 access levels allowed.
    pub allowed_access_levels: Option<Vec<AccessLevel>>,
    /// EG902: `Some(false)` forbids edit rights (V1 `Edit`, V2 `allowEdit: true`).
    pub allow_edit: Option<bool>,
    /// EG902: `Some(false)` forbids `allowSaveAs: true` and V2 `targetWorkspaces` (which let the
    /// token's user save copies).
    pub allow_save_as: Option<bool>,
    /// EG903: the kinds of principal allowed to ask for tokens.
    pub allowed_callers: Option<Vec<PrincipalKind>>,
    /// EG904: a master user's token over an RLS dataset without identity (EG302) is an error.
    pub deny_unfiltered_rls: bool,
    /// EG905: the workspaces (ids or names) a request may touch.
    pub allowed_workspaces: Option<Vec<String>>,
    /// EG906: identities' `username` must be a placeholder (`${…}`), never a literal user.
    pub placeholder_usernames: bool,
}

impl Policy {
    /// Whether any knob is set.
    pub fn is_set(&self) -> bool {
        *self != Policy::default()
    }
}
