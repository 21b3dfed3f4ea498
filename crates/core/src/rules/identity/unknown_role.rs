//! EG317 unknown-role — `rules/EG317-unknown-role.md`.

use super::role_limits::breaks_limits;
use super::{datasets_of, label, scope_missing};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::ids::is_placeholder;
use crate::inventory::{Dataset, RlsKind};
use crate::read::nearest;
use crate::registry::Rule;
use crate::rules::Check;

/// A role the identity sends should be defined in the dataset's model.
pub struct UnknownRole;

impl Check for UnknownRole {
    fn rule(&self) -> Rule {
        Rule::UnknownRole
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(body) = ctx.body else { return };
        for identity in body.identities() {
            let Some(roles) = identity.roles.get() else {
                continue;
            };
            if scope_missing(ctx, identity) {
                continue; // which model the roles are for is unknown: EG314
            }
            // The datasets whose roles the inventory lists (`rls: none` is EG303's business).
            let models: Vec<(&Dataset, &[String])> = datasets_of(ctx, identity)
                .filter(|(_, data)| data.rls != Some(RlsKind::None))
                .filter_map(|(_, data)| Some((data, data.roles.as_deref()?)))
                .collect();
            if models.is_empty() {
                continue;
            }
            for role in roles {
                if is_placeholder(&role.value) || breaks_limits(&role.value) {
                    continue;
                }
                let lacking: Vec<&(&Dataset, &[String])> = models
                    .iter()
                    .filter(|(_, defined)| {
                        !defined.iter().any(|r| r.eq_ignore_ascii_case(&role.value))
                    })
                    .collect();
                let Some((first, defined)) = lacking.first() else {
                    continue;
                };
                let names = lacking
                    .iter()
                    .map(|(d, _)| format!("`{}`", label(d)))
                    .collect::<Vec<_>>()
                    .join(", ");
                let list = defined
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let help = match nearest(&role.value, defined.iter().map(String::as_str)) {
                    Some(best) => format!("did you mean `{best}`? The model defines {list}"),
                    None if defined.is_empty() => "the inventory lists no role for this model: define the role in the model (Power BI Desktop → Modeling → Manage roles) or remove it from `roles`".into(),
                    None => format!("use a role the model defines ({list}), or define `{}` in the model", role.value),
                };
                let plural = if lacking.len() > 1 { "s" } else { "" };
                out.push(
                    Finding::new(
                        Rule::UnknownRole,
                        Location::request(role.pointer.clone()),
                        format!(
                            "role `{}` is not defined in dataset{plural} {names}",
                            role.value
                        ),
                    )
                    .help(help)
                    .related(
                        Location::inventory(first.pointer.key("roles")),
                        "the roles the model defines, as the inventory lists them",
                    )
                    .arg("role", role.value.clone())
                    .arg("dataset", label(first)),
                );
            }
        }
    }
}
