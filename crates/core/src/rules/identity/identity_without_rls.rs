//! EG303 identity-without-rls — `rules/EG303-identity-without-rls.md`.

use super::{label, rls_datasets, scope_missing};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// An identity for a dataset without RLS is refused.
pub struct IdentityWithoutRls;

impl Check for IdentityWithoutRls {
    fn rule(&self) -> Rule {
        Rule::IdentityWithoutRls
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        for (d, data, _, row) in rls_datasets(ctx) {
            // An Analysis Services live connection takes an identity even without RLS (EG319).
            if row.identity_given != Some(Rule::IdentityWithoutRls)
                || data
                    .connection
                    .is_some_and(|c| c.is_analysis_services_live())
            {
                continue;
            }
            for identity in ctx.identities_covering(d.id) {
                if scope_missing(ctx, identity) {
                    continue; // unscoped, and meant for other datasets: EG314
                }
                let at = ctx
                    .identity_entry_for(identity, d.id)
                    .map_or(&identity.pointer, |e| &e.pointer);
                out.push(
                    Finding::new(
                        Rule::IdentityWithoutRls,
                        Location::request(at.clone()),
                        format!("dataset `{}` has no row-level security, so it \"shouldn't have effective identity\"", label(data)),
                    )
                    .help("remove the identity for this dataset (keep identities only for RLS datasets)")
                    .related(Location::inventory(data.pointer.key("rls")), "declared `rls: none` here")
                    .arg("dataset", label(data)),
                );
            }
        }
    }
}
