//! EG901 policy-max-lifetime — `rules/EG901-policy-max-lifetime.md`.

use super::{PolicyCheck, SET_IN};
use crate::body::Body;
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::policy::Policy;
use crate::read::Field;
use crate::registry::Rule;

/// Tokens must state a lifetime no longer than the policy's `max_lifetime_minutes`.
pub struct PolicyMaxLifetime;

impl PolicyCheck for PolicyMaxLifetime {
    fn rule(&self) -> Rule {
        Rule::PolicyMaxLifetime
    }

    fn check(&self, ctx: &Context<'_>, policy: &Policy, out: &mut Vec<Finding>) {
        let (Some(max), Some(body)) = (policy.max_lifetime_minutes, ctx.body) else {
            return;
        };
        let lifetime = match body {
            Body::V1(b) => &b.lifetime_in_minutes,
            Body::V2(b) => &b.lifetime_in_minutes,
        };
        let finding = match lifetime {
            Field::Absent => Finding::new(
                Rule::PolicyMaxLifetime,
                Location::request(body.pointer().clone()),
                format!("the token states no `lifetimeInMinutes`; the policy allows at most {max} minutes"),
            )
            .help(format!("add `lifetimeInMinutes: {max}`: without it the token lives as long as the caller's Entra token (up to an hour); {SET_IN}")),
            Field::Present(l) => match l.value.value {
                0.0 => Finding::new(
                    Rule::PolicyMaxLifetime,
                    Location::request(l.pointer.clone()),
                    format!("`lifetimeInMinutes: 0` means the default lifetime, longer than the policy's {max} minutes"),
                )
                .help(format!("write `lifetimeInMinutes: {max}` or less; {SET_IN}")),
                v if v > f64::from(max) => Finding::new(
                    Rule::PolicyMaxLifetime,
                    Location::request(l.pointer.clone()),
                    format!("`lifetimeInMinutes` is {}, above the policy's {max} minutes", l.value.text),
                )
                .help(format!("write `lifetimeInMinutes: {max}` or less; {SET_IN}")),
                _ => return,
            },
            // A value of the wrong type is already EG005.
            Field::Invalid(_) => return,
        };
        out.push(finding.arg("max", max.to_string()));
    }
}
