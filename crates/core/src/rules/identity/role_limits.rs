//! EG310 role-limits — `rules/EG310-role-limits.md`.

use super::{dotnet_len, literal_text};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// At most this many roles per identity.
const MAX_ROLES: usize = 50;
/// At most this many characters per role.
const MAX_ROLE_LEN: usize = 50;

/// `roles`: at most 50 per identity, each a non-empty name of at most 50 characters without `,`.
pub struct RoleLimits;

impl Check for RoleLimits {
    fn rule(&self) -> Rule {
        Rule::RoleLimits
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(body) = ctx.body else { return };
        for identity in body.identities() {
            let Some(roles) = identity.roles.located() else {
                continue; // absent, or not a list (EG005)
            };
            if roles.value.len() > MAX_ROLES {
                out.push(
                    Finding::new(
                        Rule::RoleLimits,
                        Location::request(roles.pointer.clone()),
                        format!(
                            "this identity sends {} roles; Power BI takes at most {MAX_ROLES}",
                            roles.value.len()
                        ),
                    )
                    .help(format!(
                        "send at most {MAX_ROLES} roles ({} too many here): the user sees the \
                         union of the rows of their roles, so one role defined in the model for \
                         this group of users can replace several",
                        roles.value.len() - MAX_ROLES
                    ))
                    .arg("count", roles.value.len().to_string()),
                );
            }
            for role in &roles.value {
                if let Some(finding) = judge(&role.value) {
                    out.push(
                        finding
                            .located(Location::request(role.pointer.clone()))
                            .arg("role", role.value.clone()),
                    );
                }
            }
        }
    }
}

/// Whether EG310 reports the role name `role` (other role rules leave it alone).
pub(super) fn breaks_limits(role: &str) -> bool {
    judge(role).is_some()
}

/// A finding about one role name, still without its location.
struct Judged {
    message: String,
    help: String,
}

impl Judged {
    fn located(self, at: Location) -> Finding {
        Finding::new(Rule::RoleLimits, at, self.message).help(self.help)
    }
}

/// What is wrong with the role name `role`, if anything. Only the literal text of a templated
/// name (`${…}`) is judged: what a placeholder expands to is not known here.
fn judge(role: &str) -> Option<Judged> {
    if role.is_empty() {
        return Some(Judged {
            message: "`roles` holds an empty role name".into(),
            help: "remove the `\"\"` entry from `roles`, or write the name of a role of the model"
                .into(),
        });
    }
    let literal = literal_text(role);
    if literal.contains(',') {
        let split = role
            .split(',')
            .map(|r| format!("\"{}\"", r.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        return Some(Judged {
            message: format!("role `{role}` contains `,`, which a role name cannot contain"),
            help: format!("write each role as its own entry: `roles: [{split}]`"),
        });
    }
    let len = dotnet_len(&literal);
    if len > MAX_ROLE_LEN {
        return Some(Judged {
            message: format!(
                "role `{role}` is {len} characters long; a role name has at most {MAX_ROLE_LEN}"
            ),
            help: "write the role's name exactly as the model defines it (Power BI accepts at \
                   most 50 characters)"
                .into(),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names() {
        assert!(judge("Customer").is_none());
        assert!(judge("${user.role}").is_none());
        assert!(judge(&"r".repeat(50)).is_none());
        assert!(judge(&"r".repeat(51)).is_some());
        // 25 astral characters are 50 UTF-16 units, as .NET counts them; 26 are 52.
        assert!(judge(&"😀".repeat(25)).is_none());
        assert!(judge(&"😀".repeat(26)).is_some());
        assert!(judge("").is_some());
        let comma = judge("Customer,Manager").expect("a comma");
        assert!(
            comma.help.contains(r#"["Customer", "Manager"]"#),
            "{}",
            comma.help
        );
        assert!(judge("${a},${b}").is_some());
        // A long placeholder name is not a long role.
        assert!(judge(&format!("${{{}}}", "x".repeat(60))).is_none());
    }
}
