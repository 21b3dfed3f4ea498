//! EG208 lifetime-ineffective — `rules/EG208-lifetime-ineffective.md`.

use super::{lifetime, whole_minutes};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// How long a Microsoft Entra access token lasts: an embed token cannot outlive the one it was
/// generated with.
pub const ENTRA_TOKEN_MINUTES: i64 = 60;

/// A `lifetimeInMinutes` that does not do what it says: `0` (the default) or more than an hour.
pub struct LifetimeIneffective;

impl Check for LifetimeIneffective {
    fn rule(&self) -> Rule {
        Rule::LifetimeIneffective
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(minutes) = lifetime(ctx) else { return };
        // Negative, fractional and oversized values are EG207's.
        let Some(value) = whole_minutes(&minutes.value) else {
            return;
        };
        let (message, help) = match value {
            0 => (
                "`lifetimeInMinutes: 0` is the same as leaving it out: the token gets the default lifetime, the remaining lifetime of the caller's Entra token".to_string(),
                "remove `lifetimeInMinutes`, or set the lifetime you want, e.g. `lifetimeInMinutes: 30`".to_string(),
            ),
            v if v > ENTRA_TOKEN_MINUTES => (
                format!("`lifetimeInMinutes: {v}` cannot take effect: an embed token never outlives the Entra token it was generated with (about {ENTRA_TOKEN_MINUTES} minutes)"),
                format!("write at most `lifetimeInMinutes: {ENTRA_TOKEN_MINUTES}`, and renew the embed token before it expires (`setAccessToken` in the client)"),
            ),
            _ => return,
        };
        out.push(
            Finding::new(
                Rule::LifetimeIneffective,
                Location::request(minutes.pointer.clone()),
                message,
            )
            .help(help)
            .arg("value", minutes.value.text.clone()),
        );
    }
}
