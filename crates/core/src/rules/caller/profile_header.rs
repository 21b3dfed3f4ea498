//! EG405 profile-header — `rules/EG405-profile-header.md`.

use crate::context::Context;
use crate::finding::{Finding, Location, Origin, Target};
use crate::registry::Rule;
use crate::request::{Header, PROFILE_HEADER};
use crate::rules::Check;

/// `X-PowerBI-Profile-Id` belongs to service principals, once per request.
///
/// A value that is not a GUID is EG006's (invalid-guid); a repeated header is this rule's, not
/// EG002's (the request reader leaves it here).
pub struct ProfileHeader;

/// Where the key of `headers[index]` is: a name written twice exactly shares one pointer, so say
/// which member.
fn key_of(headers: &[Header], index: usize) -> Location {
    Location {
        origin: Origin::Request,
        pointer: headers[index].value.pointer.clone(),
        target: Target::MemberKey(headers[index].member),
    }
}

impl Check for ProfileHeader {
    fn rule(&self) -> Rule {
        Rule::ProfileHeader
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let headers = &ctx.request.headers;
        let copies: Vec<usize> = (0..headers.len())
            .filter(|&i| headers[i].name.eq_ignore_ascii_case(PROFILE_HEADER))
            .collect();
        let Some(&first) = copies.first() else {
            return;
        };
        if let Some(caller) = ctx.caller.filter(|c| c.is_master_user()) {
            out.push(
                Finding::new(
                    Rule::ProfileHeader,
                    key_of(headers, first),
                    format!(
                        "`{}` makes a service principal act as one of its profiles, but `{}` is a master user",
                        headers[first].name, caller.data.name
                    ),
                )
                .help(format!("remove the `{}` header: a profile belongs to the service principal that created it and can only be used with that service principal's token", headers[first].name))
                .related(
                    Location::inventory(caller.data.pointer.key("kind")),
                    "declared a master user here",
                ),
            );
        }
        for &again in &copies[1..] {
            out.push(
                Finding::new(
                    Rule::ProfileHeader,
                    key_of(headers, again),
                    format!(
                        "`{}` sets the profile header a second time",
                        headers[again].name
                    ),
                )
                .help("send the profile id once — either on the client (created with the profile id) or on the request, not both; Power BI answers the duplicate with an unauthorized error")
                .related(key_of(headers, first), "first set here"),
            );
        }
    }
}
