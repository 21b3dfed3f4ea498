//! EG304 rdl-master-user — `rules/EG304-rdl-master-user.md`.

use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// A master user cannot generate an embed token for a paginated report.
pub struct RdlMasterUser;

impl Check for RdlMasterUser {
    fn rule(&self) -> Rule {
        Rule::RdlMasterUser
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let (Some(tenant), Some(caller)) = (ctx.tenant, ctx.caller.filter(|c| c.is_master_user()))
        else {
            return;
        };
        for r in ctx.paginated_reports() {
            let Some(data) = tenant.report_data(r.id) else {
                continue;
            };
            let name = data.name.clone().or(data.id.clone()).unwrap_or_default();
            out.push(
                Finding::new(
                    Rule::RdlMasterUser,
                    Location::request(caller.at.clone()),
                    format!("master user `{}` cannot generate an embed token for paginated report `{name}`", caller.data.name),
                )
                .help("generate tokens for paginated reports with a service principal that is Member or Admin of the workspace")
                .related(Location::request(r.at.clone()), "the paginated report")
                .arg("report", name),
            );
        }
    }
}
