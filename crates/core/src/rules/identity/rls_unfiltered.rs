//! EG302 rls-unfiltered — `rules/EG302-rls-unfiltered.md`.

use super::{label, rls_datasets};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// A master user without identity gets a token that sees every row.
pub struct RlsUnfiltered;

impl Check for RlsUnfiltered {
    fn rule(&self) -> Rule {
        Rule::RlsUnfiltered
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(caller) = ctx.caller.filter(|c| c.is_master_user()) else {
            return;
        };
        for (d, data, rls, row) in rls_datasets(ctx) {
            if row.master_user_without_identity != Some(Rule::RlsUnfiltered)
                || !ctx.identities_covering(d.id).is_empty()
            {
                continue;
            }
            out.push(
                Finding::new(
                    Rule::RlsUnfiltered,
                    Location::request(ctx.identities_or_body()),
                    format!("no identity covers dataset `{}` ({rls} RLS): the token of master user `{}` sees all rows", label(data), caller.data.name),
                )
                .help("add an identity with the end user's `username` and `roles` unless this token is meant for someone allowed to see everything")
                .related(Location::inventory(data.pointer.key("rls")), "RLS dataset declared here")
                .arg("dataset", label(data)),
            );
        }
    }
}
