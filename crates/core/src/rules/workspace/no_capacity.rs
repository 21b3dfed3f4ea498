//! EG111 no-capacity — `rules/EG111-no-capacity.md`.

use super::{label, paginated_on_ppu};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::inventory::Capacity;
use crate::registry::Rule;
use crate::rules::Check;

/// Production embedding needs an A, EM, P or F capacity on every workspace.
pub struct NoCapacity;

impl Check for NoCapacity {
    fn rule(&self) -> Rule {
        Rule::NoCapacity
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(tenant) = ctx.tenant else { return };
        // A paginated report on Premium Per User is refused outright: EG112 says so, as an error.
        let refused = paginated_on_ppu(ctx);
        for w in &ctx.workspaces {
            if refused.iter().any(|(_, ppu)| *ppu == w.id) {
                continue;
            }
            let Some(data) = tenant.workspace_data(w.id) else {
                continue;
            };
            let which = match &data.capacity {
                Some(Capacity::Shared) => "shared capacity",
                Some(Capacity::Ppu) => "Premium Per User",
                _ => continue,
            };
            out.push(
                Finding::new(
                    Rule::NoCapacity,
                    Location::request(w.at.clone()),
                    format!("workspace `{}` is on {which}, not on an A, EM, P or F capacity: only a limited number of trial embed tokens can be generated", label(data)),
                )
                .help("assign the workspace to an A, EM, P or F capacity before going to production")
                .related(Location::inventory(data.pointer.key("capacity")), "capacity declared here")
                .arg("workspace", label(data)),
            );
        }
    }
}
