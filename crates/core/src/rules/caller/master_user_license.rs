//! EG407 master-user-license — `rules/EG407-master-user-license.md`.

use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::inventory::License;
use crate::registry::Rule;
use crate::rules::Check;

/// The master user needs a Power BI Pro (or Premium Per User) license.
pub struct MasterUserLicense;

impl Check for MasterUserLicense {
    fn rule(&self) -> Rule {
        Rule::MasterUserLicense
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(caller) = ctx
            .caller
            .filter(|c| c.is_master_user() && c.data.license == Some(License::Free))
        else {
            return;
        };
        out.push(
            Finding::new(
                Rule::MasterUserLicense,
                Location::request(caller.at.clone()),
                format!(
                    "master user `{}` has a free Power BI license; the account an app embeds with needs Pro or Premium Per User",
                    caller.data.name
                ),
            )
            .help("assign the account a Power BI Pro (or Premium Per User) license and set `license: pro`, or generate tokens with a service principal, which needs no license")
            .related(
                Location::inventory(caller.data.pointer.key("license")),
                "declared `license: free` here",
            ),
        );
    }
}
