//! EG301 rls-identity-required — `rules/EG301-rls-identity-required.md`.

use super::{label, rls_datasets};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// A service principal must send an identity for every RLS dataset.
pub struct RlsIdentityRequired;

impl Check for RlsIdentityRequired {
    fn rule(&self) -> Rule {
        Rule::RlsIdentityRequired
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(caller) = ctx.caller.filter(|c| c.is_service_principal()) else {
            return;
        };
        for (d, data, rls, row) in rls_datasets(ctx) {
            if row.service_principal_without_identity != Some(Rule::RlsIdentityRequired)
                || !ctx.identities_covering(d.id).is_empty()
            {
                continue;
            }
            out.push(
                Finding::new(
                    Rule::RlsIdentityRequired,
                    Location::request(ctx.identities_or_body()),
                    format!("no identity covers dataset `{}` ({rls} RLS), and service principal `{}` must send one", label(data), caller.data.name),
                )
                .help(format!(
                    "add `identities: [{{ username: \"${{user}}\", roles: [...], datasets: [\"{}\"] }}]`; Power BI refuses: \"Creating embed token for accessing dataset … requires effective identity to be provided\"",
                    data.id.clone().unwrap_or_default()
                ))
                .related(Location::inventory(data.pointer.key("rls")), "RLS dataset declared here")
                .arg("dataset", label(data)),
            );
        }
    }
}
