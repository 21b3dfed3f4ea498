//! EG406 profile-aas — `rules/EG406-profile-aas.md`.

use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::inventory::RlsKind;
use crate::registry::Rule;
use crate::request::PROFILE_HEADER;
use crate::rules::Check;

/// Service principal profiles are documented as unsupported with Azure Analysis Services live
/// connections (one page says otherwise: a warning, not an error).
pub struct ProfileAas;

impl Check for ProfileAas {
    fn rule(&self) -> Rule {
        Rule::ProfileAas
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(tenant) = ctx.tenant else { return };
        let Some(header) = ctx.request.header(PROFILE_HEADER) else {
            return;
        };
        // With a master user the header itself is the mistake (EG405).
        if ctx.caller.is_some_and(|c| c.is_master_user()) {
            return;
        }
        for d in &ctx.datasets {
            let Some(data) = tenant
                .dataset_data(d.id)
                .filter(|data| data.rls == Some(RlsKind::AsAzure))
            else {
                continue;
            };
            let name = data.name.clone().or(data.id.clone()).unwrap_or_default();
            out.push(
                Finding::new(
                    Rule::ProfileAas,
                    Location::request(header.value.pointer.clone()).key(),
                    format!("service principal profiles are not supported with Azure Analysis Services live connections, and dataset `{name}` is one"),
                )
                .help(format!("generate tokens over `{name}` as the service principal itself (no `{}` header, its object id as the identity `username`), or move the model off the Azure Analysis Services live connection", header.name))
                .related(
                    Location::inventory(data.pointer.key("rls")),
                    "declared `rls: as_azure` here",
                )
                .arg("dataset", name),
            );
        }
    }
}
