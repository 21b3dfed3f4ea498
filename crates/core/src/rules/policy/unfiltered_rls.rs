//! EG904 policy-unfiltered-rls — `rules/EG904-policy-unfiltered-rls.md`.

use super::{PolicyCheck, SET_IN};
use crate::context::Context;
use crate::finding::{Finding, Severity};
use crate::policy::Policy;
use crate::registry::Rule;

/// Under `deny_unfiltered_rls`, a master user's token that sees every row of an RLS dataset
/// (EG302, a warning) is an error.
pub struct PolicyUnfilteredRls;

impl PolicyCheck for PolicyUnfilteredRls {
    fn rule(&self) -> Rule {
        Rule::PolicyUnfilteredRls
    }

    fn check(&self, _ctx: &Context<'_>, policy: &Policy, out: &mut Vec<Finding>) {
        if !policy.deny_unfiltered_rls {
            return;
        }
        // The EG302 finding becomes this one: one mistake, one finding, at the policy's severity.
        for f in out.iter_mut().filter(|f| f.rule == Rule::RlsUnfiltered) {
            f.rule = Rule::PolicyUnfilteredRls;
            f.severity = Severity::Error;
            f.message = format!("{}, which the policy forbids", f.message);
            let help = f.help.take().unwrap_or_default();
            f.help = Some(if help.is_empty() {
                SET_IN.to_string()
            } else {
                format!("{help}; {SET_IN}")
            });
        }
    }
}
