//! EG402 admin-master-user — `rules/EG402-admin-master-user.md`.

use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// The app's master user should not be a tenant admin.
pub struct AdminMasterUser;

impl Check for AdminMasterUser {
    fn rule(&self) -> Rule {
        Rule::AdminMasterUser
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(caller) = ctx
            .caller
            .filter(|c| c.is_master_user() && c.data.tenant_admin)
        else {
            return;
        };
        out.push(
            Finding::new(
                Rule::AdminMasterUser,
                Location::request(caller.at.clone()),
                format!("master user `{}` is a tenant admin: the app's credentials would hold admin rights over the whole tenant", caller.data.name),
            )
            .help("use a dedicated master user with only Member/Admin of the embedding workspaces, or a service principal")
            .related(Location::inventory(caller.data.pointer.key("tenant_admin")), "declared `tenant_admin: true` here"),
        );
    }
}
