//! EG311 username-limits — `rules/EG311-username-limits.md`.

use super::{dotnet_len, label, literal_text, on_premises_dataset};
use crate::body::EffectiveIdentity;
use crate::context::Context;
use crate::finding::{Finding, Location, Severity};
use crate::registry::Rule;
use crate::rules::Check;

/// At most this many characters in a username.
const MAX_USERNAME_LEN: usize = 256;
/// The punctuation an on-premises model's username may hold, besides ASCII letters and digits.
const ON_PREMISES_PUNCTUATION: &str = ".-_!#^~\\@";

/// `username`: at most 256 ASCII characters without spaces; on-premises models take only
/// letters, digits and `. - _ ! # ^ ~ \ @`.
pub struct UsernameLimits;

impl Check for UsernameLimits {
    fn rule(&self) -> Rule {
        Rule::UsernameLimits
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(body) = ctx.body else { return };
        for identity in body.identities() {
            let Some(username) = identity.username.located() else {
                continue; // absent (EG318), or not a string (EG005)
            };
            let on_premises = on_premises_dataset(ctx, identity);
            let Some(problem) = judge(&username.value, on_premises.is_some(), for_models(identity))
            else {
                continue;
            };
            let mut finding = Finding::new(
                Rule::UsernameLimits,
                Location::request(username.pointer.clone()),
                problem.message,
            )
            .help(problem.help)
            .arg("username", username.value.clone());
            if problem.warning {
                finding = finding.severity(Severity::Warning);
            }
            if let (Some(data), true) = (on_premises, problem.on_premises) {
                finding = finding
                    .related(
                        Location::inventory(data.pointer.key("rls")),
                        "on-premises Analysis Services model declared here",
                    )
                    .arg("dataset", label(data));
            }
            out.push(finding);
        }
    }
}

/// Whether the identity is for models (datasets), where Power BI says a username "shouldn't
/// contain spaces" — not only for paginated reports, whose `username` is the report's UserID and
/// where Microsoft's own example sends `John Smith`.
fn for_models(identity: &EffectiveIdentity) -> bool {
    identity.datasets.is_present() || !identity.reports.is_present()
}

/// What is wrong with a username.
#[derive(Debug)]
struct Problem {
    message: String,
    help: String,
    /// Power BI says "shouldn't": a warning, not an error.
    warning: bool,
    /// The problem comes from the on-premises character set.
    on_premises: bool,
}

/// Judges `username` — its literal text only: a placeholder (`${user.email}`) stands for a value
/// not known here, but the characters around it are sent as written.
fn judge(username: &str, on_premises: bool, for_models: bool) -> Option<Problem> {
    let literal = literal_text(username);
    let templated = literal.len() != username.len();
    let len = dotnet_len(&literal);
    if len > MAX_USERNAME_LEN {
        let at_least = if templated { "at least " } else { "" };
        return Some(Problem {
            message: format!(
                "`username` is {at_least}{len} characters long; Power BI takes at most {MAX_USERNAME_LEN}"
            ),
            help: "send a short identifier of the end user (a UPN or user id), not a display \
                   name or a list of users"
                .into(),
            warning: false,
            on_premises: false,
        });
    }
    if let Some(c) = literal.chars().find(|c| !c.is_ascii()) {
        return Some(Problem {
            message: format!(
                "`username` `{username}` contains {}, which is not an ASCII character",
                describe(c)
            ),
            help: "send an ASCII identifier of the end user (a UPN or user id) rather than a \
                   display name; RLS rules filter on exactly this value"
                .into(),
            warning: false,
            on_premises: false,
        });
    }
    if on_premises {
        if let Some(c) = literal
            .chars()
            .find(|c| !c.is_ascii_alphanumeric() && !ON_PREMISES_PUNCTUATION.contains(*c))
        {
            return Some(Problem {
                message: format!(
                    "`username` `{username}` contains {}, which an on-premises model's username cannot hold",
                    describe(c)
                ),
                help: "send the user as the Analysis Services server knows them, using only \
                       letters, digits and `. - _ ! # ^ ~ \\ @` (e.g. `jsmith@contoso.com` or \
                       `CONTOSO\\jsmith`)"
                    .into(),
                warning: false,
                on_premises: true,
            });
        }
    }
    if for_models {
        if let Some(c) = literal.chars().find(char::is_ascii_whitespace) {
            return Some(Problem {
                message: format!(
                    "`username` `{username}` contains {}; Power BI says a username shouldn't contain spaces",
                    describe(c)
                ),
                help: "send an identifier without spaces, such as the UPN \
                       (`john.smith@contoso.com`), not the display name (`John Smith`)"
                    .into(),
                warning: true,
                on_premises: false,
            });
        }
    }
    None
}

/// A character as a message names it.
fn describe(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        '\t' => "a tab".into(),
        '\n' | '\r' => "a line break".into(),
        '`' => "a backtick".into(),
        c if c.is_control() => format!("the control character U+{:04X}", u32::from(c)),
        c => format!("`{c}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(username: &str, on_premises: bool, for_models: bool) -> Option<(bool, bool)> {
        judge(username, on_premises, for_models).map(|p| (p.warning, p.on_premises))
    }

    #[test]
    fn length() {
        assert_eq!(kind(&"a".repeat(256), false, true), None);
        assert_eq!(kind(&"a".repeat(257), false, true), Some((false, false)));
        // Placeholders count for nothing; the literal text around them counts.
        assert_eq!(
            kind(&format!("${{{}}}", "x".repeat(300)), false, true),
            None
        );
        let p = judge(&format!("{}${{user}}", "a".repeat(257)), false, true).expect("long");
        assert!(p.message.contains("at least 257"), "{}", p.message);
    }

    #[test]
    fn ascii_everywhere() {
        assert_eq!(
            kind("jürgen@contoso.com", false, true),
            Some((false, false))
        );
        assert_eq!(
            kind("jürgen@contoso.com", true, false),
            Some((false, false))
        );
        assert_eq!(kind("${user}ü", false, false), Some((false, false)));
        assert_eq!(kind("${usér}", false, true), None);
    }

    #[test]
    fn on_premises_character_set() {
        assert_eq!(kind("CONTOSO\\j.smith_1!#^~@x-y", true, true), None);
        assert_eq!(kind("j+smith@contoso.com", true, true), Some((false, true)));
        assert_eq!(kind("j+smith@contoso.com", false, true), None);
        // A space is outside the on-premises set: an error there, a warning elsewhere.
        assert_eq!(kind("John Smith", true, true), Some((false, true)));
        assert_eq!(kind("John Smith", false, true), Some((true, false)));
        assert_eq!(kind("${user.email}", true, true), None);
        assert_eq!(kind("CONTOSO\\{{ user }}", true, true), None);
    }

    #[test]
    fn whitespace_is_a_warning_for_models_only() {
        assert_eq!(kind("${first} ${last}", false, true), Some((true, false)));
        assert_eq!(kind("John\tSmith", false, true), Some((true, false)));
        assert_eq!(kind("John Smith", false, false), None);
        assert_eq!(kind("${first.name}", false, true), None);
    }
}
