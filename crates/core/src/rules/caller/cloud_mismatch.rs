//! EG408 cloud-mismatch — `rules/EG408-cloud-mismatch.md`.

use crate::context::Context;
use crate::endpoint::{Cloud, Route};
use crate::finding::{Finding, Location};
use crate::read::Located;
use crate::registry::Rule;
use crate::rules::Check;

/// The API host, the Entra authority and the token scope must belong to one cloud.
pub struct CloudMismatch;

/// The lower-case host of an `https://` (or `http://`) URL, without port.
fn host(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..end];
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split_once(':').map_or(host, |(h, _)| h);
    (!host.is_empty()).then(|| host.to_string())
}

/// The cloud whose Power BI API a token scope (`https://…/powerbi/api/.default`) is for.
fn scope_cloud(scope: &str) -> Option<Cloud> {
    Some(match host(scope)?.as_str() {
        "analysis.windows.net" => Cloud::Public,
        "analysis.usgovcloudapi.net" => Cloud::UsGov,
        "high.analysis.usgovcloudapi.net" => Cloud::UsGovHigh,
        "mil.analysis.usgovcloudapi.net" => Cloud::UsGovMil,
        "analysis.chinacloudapi.cn" => Cloud::China,
        _ => return None,
    })
}

/// The Entra clouds: global Entra also serves US GCC; Entra for US Government serves GCC High
/// and DoD.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entra {
    Global,
    UsGovernment,
    China,
}

impl Entra {
    fn from_authority(authority: &str) -> Option<Entra> {
        Some(match host(authority)?.as_str() {
            "login.microsoftonline.com" | "login.windows.net" | "sts.windows.net" => Entra::Global,
            "login.microsoftonline.us" => Entra::UsGovernment,
            "login.chinacloudapi.cn" | "login.partner.microsoftonline.cn" => Entra::China,
            _ => return None,
        })
    }

    fn of(cloud: Cloud) -> Entra {
        match cloud {
            Cloud::Public | Cloud::UsGov => Entra::Global,
            Cloud::UsGovHigh | Cloud::UsGovMil => Entra::UsGovernment,
            Cloud::China => Entra::China,
        }
    }

    fn serves(self) -> &'static str {
        match self {
            Entra::Global => "the public and US GCC clouds",
            Entra::UsGovernment => "the US GCC High and DoD clouds",
            Entra::China => "the China cloud",
        }
    }

    /// The scope hosts of the clouds it serves, for help texts.
    fn scope_hosts(self) -> &'static str {
        match self {
            Entra::Global => "`analysis.windows.net` (public) or `analysis.usgovcloudapi.net` (US GCC)",
            Entra::UsGovernment => "`high.analysis.usgovcloudapi.net` (US GCC High) or `mil.analysis.usgovcloudapi.net` (US DoD)",
            Entra::China => "`analysis.chinacloudapi.cn`",
        }
    }

    /// The authority's host (hosts, not URLs, in help texts: a URL would wrap at its slashes).
    fn authority_host(self) -> &'static str {
        match self {
            Entra::Global => "login.microsoftonline.com",
            Entra::UsGovernment => "login.microsoftonline.us",
            Entra::China => "login.chinacloudapi.cn",
        }
    }
}

/// The host of each cloud's Power BI token scope (`https://{host}/powerbi/api/.default`).
fn scope_host(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::Public => "analysis.windows.net",
        Cloud::UsGov => "analysis.usgovcloudapi.net",
        Cloud::UsGovHigh => "high.analysis.usgovcloudapi.net",
        Cloud::UsGovMil => "mil.analysis.usgovcloudapi.net",
        Cloud::China => "analysis.chinacloudapi.cn",
    }
}

impl Check for CloudMismatch {
    fn rule(&self) -> Rule {
        Rule::CloudMismatch
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(caller) = ctx.caller else { return };
        let p = caller.data;
        let authority: Option<(&Located<String>, Entra)> = p
            .authority
            .as_ref()
            .and_then(|a| Some((a, Entra::from_authority(&a.value)?)));
        let scope: Option<(&Located<String>, Cloud)> = p
            .scope_base
            .as_ref()
            .and_then(|s| Some((s, scope_cloud(&s.value)?)));
        let api = match &ctx.request.route {
            Some(Route::Endpoint {
                cloud: Some(cloud), ..
            }) => Some(*cloud),
            _ => None,
        };
        let Some(api) = api else {
            // No host in the request: the principal's own two settings must still agree.
            if let (Some((a, entra)), Some((s, cloud))) = (authority, scope) {
                if Entra::of(cloud) != entra {
                    out.push(
                        Finding::new(
                            Rule::CloudMismatch,
                            Location::request(caller.at.clone()),
                            format!("`{}` signs in at `{}`, which serves {}, but requests its token for the {cloud} cloud's Power BI API", p.name, a.value, entra.serves()),
                        )
                        .help(format!("to call the {cloud} cloud, sign in at `{}`; to keep signing in at `{}`, request the token for {} instead of `{}`", Entra::of(cloud).authority_host(), entra.authority_host(), entra.scope_hosts(), scope_host(cloud)))
                        .related(Location::inventory(a.pointer.clone()), "the authority")
                        .related(Location::inventory(s.pointer.clone()), "the token scope")
                        .arg("authority", a.value.clone())
                        .arg("scope", s.value.clone()),
                    );
                }
            }
            return;
        };
        let mut conflicts: Vec<String> = Vec::new();
        let mut finding = Finding::new(
            Rule::CloudMismatch,
            Location::request(ctx.path_pointer()),
            "",
        );
        if let Some((s, cloud)) = scope.filter(|(_, c)| *c != api) {
            conflicts.push(format!(
                "requests its token for the {cloud} cloud (`scope_base`)"
            ));
            finding = finding.related(
                Location::inventory(s.pointer.clone()),
                format!("a {cloud} cloud scope"),
            );
        }
        if let Some((a, entra)) = authority.filter(|(_, e)| *e != Entra::of(api)) {
            conflicts.push(format!(
                "signs in at an authority that serves {} (`authority`)",
                entra.serves()
            ));
            finding = finding.related(
                Location::inventory(a.pointer.clone()),
                format!("an authority for {}", entra.serves()),
            );
        }
        if conflicts.is_empty() {
            return;
        }
        let host = ctx
            .request
            .target
            .get()
            .and_then(|t| host(t))
            .unwrap_or_default();
        finding.message = format!(
            "`url` calls the {api} cloud's API (`{host}`), but `{}` {}",
            p.name,
            conflicts.join(" and ")
        );
        out.push(
            finding
                .help(format!(
                    "use one cloud throughout: for the {api} cloud, sign in at `{}` and request the token for the Power BI scope on `{}`; or, if the app belongs to another cloud, call that cloud's API host",
                    Entra::of(api).authority_host(),
                    scope_host(api),
                ))
                .arg("api", api.to_string()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_ignore_case_port_path_and_user() {
        assert_eq!(
            host("HTTPS://Login.MicrosoftOnline.US:443/organizations/").as_deref(),
            Some("login.microsoftonline.us")
        );
        assert_eq!(
            host("https://analysis.windows.net/powerbi/api/.default").as_deref(),
            Some("analysis.windows.net")
        );
        assert_eq!(
            host("https://x@api.powerbi.cn?a").as_deref(),
            Some("api.powerbi.cn")
        );
        assert_eq!(host("Report.Read.All"), None);
        assert_eq!(host("https://"), None);
    }

    #[test]
    fn scopes_name_their_cloud() {
        assert_eq!(
            scope_cloud("https://analysis.windows.net/powerbi/api/.default"),
            Some(Cloud::Public)
        );
        assert_eq!(
            scope_cloud("https://high.analysis.usgovcloudapi.net/powerbi/api/.default"),
            Some(Cloud::UsGovHigh)
        );
        assert_eq!(
            scope_cloud("https://mil.analysis.usgovcloudapi.net/powerbi/api"),
            Some(Cloud::UsGovMil)
        );
        assert_eq!(scope_cloud("https://example.com/.default"), None);
        for cloud in [
            Cloud::Public,
            Cloud::UsGov,
            Cloud::UsGovHigh,
            Cloud::UsGovMil,
            Cloud::China,
        ] {
            let scope = format!("https://{}/powerbi/api/.default", scope_host(cloud));
            assert_eq!(scope_cloud(&scope), Some(cloud), "{cloud}");
            let authority = format!(
                "https://{}/organizations/",
                Entra::of(cloud).authority_host()
            );
            assert_eq!(Entra::from_authority(&authority), Some(Entra::of(cloud)));
        }
    }

    #[test]
    fn gcc_signs_in_at_the_global_authority() {
        // The national-clouds page: GCC uses login.microsoftonline.com, GCC High and DoD .us.
        assert_eq!(Entra::of(Cloud::UsGov), Entra::Global);
        assert_eq!(Entra::of(Cloud::UsGovMil), Entra::UsGovernment);
        assert_eq!(
            Entra::from_authority("https://login.microsoftonline.com/organizations/"),
            Some(Entra::Global)
        );
        assert_eq!(
            Entra::from_authority("https://login.microsoftonline.de/"),
            None
        );
    }
}
