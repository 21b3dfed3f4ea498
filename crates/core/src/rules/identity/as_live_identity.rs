//! EG319 as-live-identity — `rules/EG319-as-live-identity.md`.

use super::label;
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::inventory::Connection;
use crate::registry::Rule;
use crate::rules::Check;

/// A service principal must send an identity for an Analysis Services live connection, RLS or
/// not.
///
/// EG301 already owns the datasets declared `rls: as_on_premises`/`as_azure` (and every other
/// `rls` kind whose matrix row says a service principal may not omit the identity); this rule
/// covers the rest: a dataset whose `connection` says it is an AS live connection while its
/// `rls` is `none` or unknown. One mistake, one finding.
pub struct AsLiveIdentity;

impl Check for AsLiveIdentity {
    fn rule(&self) -> Rule {
        Rule::AsLiveIdentity
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let (Some(tenant), Some(caller)) =
            (ctx.tenant, ctx.caller.filter(|c| c.is_service_principal()))
        else {
            return;
        };
        for d in &ctx.datasets {
            let Some(data) = tenant.dataset_data(d.id) else {
                continue;
            };
            let Some(connection) = data.connection.filter(|c| c.is_analysis_services_live()) else {
                continue;
            };
            let owned_by_rls_matrix = data.rls.is_some_and(|rls| {
                ctx.matrices
                    .rls(rls)
                    .service_principal_without_identity
                    .is_some()
            });
            if owned_by_rls_matrix || !ctx.identities_covering(d.id).is_empty() {
                continue;
            }
            let id = data.id.clone().unwrap_or_default();
            let username = match connection {
                Connection::LiveAsAzure => match &caller.data.object_id {
                    Some(object_id) => format!("\"{object_id}\""),
                    None => "\"<the service principal's object id>\"".into(),
                },
                _ => "\"<a user the SSAS model knows, e.g. its admin>\"".into(),
            };
            let who = match connection {
                Connection::LiveAsAzure => {
                    "for Azure AS the username must be the service principal's own object id"
                }
                _ => "that user's permissions, and roles if any, decide what the token reads",
            };
            out.push(
                Finding::new(
                    Rule::AsLiveIdentity,
                    Location::request(ctx.identities_or_body()),
                    format!(
                        "no identity covers dataset `{}`, a {connection}: service principal `{}` must send one even when the model has no RLS",
                        label(data),
                        caller.data.name
                    ),
                )
                .help(format!(
                    "add `identities: [{{ username: {username}, datasets: [\"{id}\"] }}]` ({who}); Power BI refuses: \"Creating embed token for accessing dataset … requires effective identity to be provided\""
                ))
                .related(
                    Location::inventory(data.pointer.key("connection")),
                    "Analysis Services live connection declared here",
                )
                .arg("dataset", label(data)),
            );
        }
    }
}
