//! EG401 user-owns-data — `rules/EG401-user-owns-data.md`.

use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::request::Scenario;
use crate::rules::Check;

/// GenerateToken only serves the embed-for-your-customers scenario.
pub struct UserOwnsData;

impl Check for UserOwnsData {
    fn rule(&self) -> Rule {
        Rule::UserOwnsData
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(s) = ctx.request.scenario.located() else {
            return;
        };
        if s.value.value == Scenario::EmbedForOrganization {
            out.push(
                Finding::new(
                    Rule::UserOwnsData,
                    Location::request(s.pointer.clone()),
                    "GenerateToken is only for embedding for your customers (app owns data), not for your organization",
                )
                .help("in the embed-for-your-organization scenario, embed with the signed-in user's Microsoft Entra token (`tokenType: Aad`) and no embed token"),
            );
        }
    }
}
