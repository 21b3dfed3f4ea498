//! EG404 sp-with-permissions — `rules/EG404-sp-with-permissions.md`.

use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// A service principal's app registration should carry no Power BI API permissions.
pub struct SpWithPermissions;

impl Check for SpWithPermissions {
    fn rule(&self) -> Rule {
        Rule::SpWithPermissions
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(caller) = ctx.caller.filter(|c| c.is_service_principal()) else {
            return;
        };
        let Some(permissions) = caller
            .data
            .api_permissions
            .as_deref()
            .filter(|p| !p.is_empty())
        else {
            return;
        };
        let list: Vec<String> = permissions.iter().map(|p| format!("`{p}`")).collect();
        out.push(
            Finding::new(
                Rule::SpWithPermissions,
                Location::request(caller.at.clone()),
                format!(
                    "service principal `{}` has Power BI API permissions on its app registration ({}), which a service principal never uses",
                    caller.data.name,
                    list.join(", "),
                ),
            )
            .help("remove them in the Azure portal (App registrations → API permissions → Power BI Service) and set `api_permissions: []`; the service principal's access comes from its workspace role (Member or Admin) and the tenant setting \"Allow service principals to use Power BI APIs\"")
            .related(
                Location::inventory(caller.data.pointer.key("api_permissions")),
                "the permissions declared here",
            )
            .arg("permissions", permissions.join(", ")),
        );
    }
}
