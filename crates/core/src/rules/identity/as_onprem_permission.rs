//! EG305 as-onprem-permission — `rules/EG305-as-onprem-permission.md`.

use super::{label, rls_datasets};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// On-premises AS needs the caller to be gateway admin or hold `ReadOverrideEffectiveIdentity`.
pub struct AsOnpremPermission;

impl Check for AsOnpremPermission {
    fn rule(&self) -> Rule {
        Rule::AsOnpremPermission
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let (Some(tenant), Some(caller)) = (ctx.tenant, ctx.caller) else {
            return;
        };
        if caller.data.permissions.is_none() {
            return; // unknown
        }
        for (d, data, _, row) in rls_datasets(ctx) {
            if row.caller_without_datasource_permission != Some(Rule::AsOnpremPermission) {
                continue;
            }
            if tenant.can_override_identity(caller.id, d.id) {
                continue;
            }
            match tenant.is_gateway_admin_for(caller.id, d.id) {
                Some(false) => {}
                _ => continue,
            }
            out.push(
                Finding::new(
                    Rule::AsOnpremPermission,
                    Location::request(caller.at.clone()),
                    format!(
                        "`{}` is neither admin of the gateway serving dataset `{}` nor holds `ReadOverrideEffectiveIdentity` on its data source",
                        caller.data.name,
                        label(data)
                    ),
                )
                .help("make the caller a gateway admin, or grant it `ReadOverrideEffectiveIdentity` on the Analysis Services data source")
                .related(Location::inventory(caller.data.pointer.clone()), "the caller's permissions")
                .arg("dataset", label(data)),
            );
        }
    }
}
