//! EG502 audit-context-empty — `rules/EG502-audit-context-empty.md`.

use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// An empty `auditableContext` leaves the identity out of the GenerateToken audit record.
pub struct AuditContextEmpty;

impl Check for AuditContextEmpty {
    fn rule(&self) -> Rule {
        Rule::AuditContextEmpty
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(body) = ctx.body else { return };
        for identity in body.identities() {
            // Only the empty string: whether Power BI treats blanks as empty is not documented.
            let Some(context) = identity
                .auditable_context
                .located()
                .filter(|c| c.value.is_empty())
            else {
                continue;
            };
            out.push(
                Finding::new(
                    Rule::AuditContextEmpty,
                    Location::request(context.pointer.clone()),
                    "`auditableContext` is empty, so Power BI leaves this identity out of the GenerateToken audit record",
                )
                .help("set `auditableContext` to who the token is for (e.g. \"${user.email}\"); an empty value audits nothing, like leaving the key out"),
            );
        }
    }
}
