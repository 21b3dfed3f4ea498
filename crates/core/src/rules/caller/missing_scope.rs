//! EG403 missing-scope — `rules/EG403-missing-scope.md`.

use crate::body::Body;
use crate::context::Context;
use crate::endpoint::EndpointKind;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;
use crate::value::Pointer;

/// A master user's token carries only the delegated scopes its app registration was granted;
/// each endpoint, and some fields, need particular ones (the REST reference's "Required Scope").
pub struct MissingScope;

const CONTENT_CREATE: &[&str] = &["Content.Create"];
const REPORT_READ: &[&str] = &["Report.Read.All", "Report.ReadWrite.All"];
const REPORT_WRITE: &[&str] = &["Report.ReadWrite.All"];
const DATASET_READ: &[&str] = &["Dataset.Read.All", "Dataset.ReadWrite.All"];
const DASHBOARD_READ: &[&str] = &["Dashboard.Read.All", "Dashboard.ReadWrite.All"];

/// One scope the call needs: any of `any_of` (least privilege first).
struct Need {
    any_of: &'static [&'static str],
    /// What needs it, for the message: "the REPORT endpoint", "`allowSaveAs: true`".
    why: String,
    /// The field that asks for it (`None`: the endpoint itself, reported at `caller`).
    at: Option<Pointer>,
    /// The other way out: the field to drop instead of granting the scope.
    instead: Option<&'static str>,
}

impl Need {
    fn endpoint(any_of: &'static [&'static str], kind: EndpointKind) -> Need {
        Need {
            any_of,
            why: format!("the {kind} endpoint"),
            at: None,
            instead: None,
        }
    }
}

/// What the request needs, per the "Required Scope" of each endpoint's REST reference.
fn needs(ctx: &Context<'_>, kind: EndpointKind) -> Vec<Need> {
    let for_endpoint = |scopes: &[&'static [&'static str]]| -> Vec<Need> {
        scopes.iter().map(|s| Need::endpoint(s, kind)).collect()
    };
    let mut needs = match kind {
        EndpointKind::Report => for_endpoint(&[REPORT_READ, DATASET_READ]),
        EndpointKind::Create => for_endpoint(&[CONTENT_CREATE, REPORT_READ, DATASET_READ]),
        EndpointKind::Dataset => for_endpoint(&[DATASET_READ]),
        EndpointKind::Dashboard | EndpointKind::Tile => {
            for_endpoint(&[DASHBOARD_READ, REPORT_READ, DATASET_READ])
        }
        EndpointKind::V2 => for_endpoint(&[DATASET_READ]),
    };
    match ctx.body {
        Some(Body::V1(v1)) if kind == EndpointKind::Report => {
            // `false` is the default and asks for nothing.
            if let Some(save_as) = v1.allow_save_as.located().filter(|s| s.value) {
                needs.push(Need {
                    any_of: CONTENT_CREATE,
                    why: "`allowSaveAs: true`".into(),
                    at: Some(save_as.pointer.clone()),
                    instead: Some("`allowSaveAs`"),
                });
            }
        }
        Some(Body::V2(v2)) => {
            if let Some(reports) = v2.reports.located().filter(|r| !r.value.is_empty()) {
                let edit = reports
                    .value
                    .iter()
                    .find_map(|r| r.allow_edit.located().filter(|e| e.value));
                needs.push(match edit {
                    Some(edit) => Need {
                        any_of: REPORT_WRITE,
                        why: "`allowEdit: true`".into(),
                        at: Some(edit.pointer.clone()),
                        instead: Some("`allowEdit`"),
                    },
                    None => Need {
                        any_of: REPORT_READ,
                        why: "a token for `reports`".into(),
                        at: Some(reports.pointer.clone()),
                        instead: None,
                    },
                });
            }
            if let Some(targets) = v2
                .target_workspaces
                .located()
                .filter(|t| !t.value.is_empty())
            {
                needs.push(Need {
                    any_of: CONTENT_CREATE,
                    why: "`targetWorkspaces`".into(),
                    at: Some(targets.pointer.clone()),
                    instead: Some("`targetWorkspaces`"),
                });
            }
        }
        _ => {}
    }
    needs
}

/// The scope name of an entry of `scopes`: `Report.Read.All` also when written as the full
/// `https://analysis.windows.net/powerbi/api/Report.Read.All`.
fn scope_name(entry: &str) -> &str {
    let entry = entry.trim();
    entry.rsplit('/').next().unwrap_or(entry)
}

/// Whether `scopes` grants one of `any_of`; `None` when the list says nothing definite
/// (`.default` stands for whatever was consented, which the inventory does not say).
fn grants(scopes: &[String], any_of: &[&str]) -> Option<bool> {
    if scopes
        .iter()
        .any(|s| scope_name(s).eq_ignore_ascii_case(".default"))
    {
        return None;
    }
    Some(scopes.iter().any(|s| {
        any_of
            .iter()
            .any(|wanted| scope_name(s).eq_ignore_ascii_case(wanted))
    }))
}

/// "`Report.Read.All` (or `Report.ReadWrite.All`)"
fn describe(any_of: &[&str]) -> String {
    match any_of {
        [one] => format!("`{one}`"),
        [first, rest @ ..] => {
            let rest: Vec<String> = rest.iter().map(|r| format!("`{r}`")).collect();
            format!("`{first}` (or {})", rest.join(", "))
        }
        [] => String::new(),
    }
}

impl Check for MissingScope {
    fn rule(&self) -> Rule {
        Rule::MissingScope
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let (Some(caller), Some(endpoint)) = (ctx.caller, ctx.endpoint) else {
            return;
        };
        let Some(scopes) = caller.data.scopes.as_deref() else {
            return;
        };
        if !caller.is_master_user() {
            return;
        }
        let mut missing: Vec<Need> = Vec::new();
        for need in needs(ctx, endpoint.kind()) {
            match grants(scopes, need.any_of) {
                None => return,
                Some(true) => {}
                Some(false) => missing.push(need),
            }
        }
        // The endpoint's own needs go in one finding at `caller`; a field's need at the field.
        let (endpoint_needs, field_needs): (Vec<Need>, Vec<Need>) =
            missing.into_iter().partition(|n| n.at.is_none());
        let mut groups: Vec<Vec<Need>> = field_needs.into_iter().map(|n| vec![n]).collect();
        if !endpoint_needs.is_empty() {
            groups.insert(0, endpoint_needs);
        }
        for group in groups {
            let list: Vec<String> = group.iter().map(|n| describe(n.any_of)).collect();
            let grant: Vec<String> = group.iter().map(|n| format!("`{}`", n.any_of[0])).collect();
            let plural = if group.len() > 1 { "s" } else { "" };
            // A field's need points at its key: `targetWorkspaces:` and `reports:` hold lists.
            let at = match &group[0].at {
                Some(field) => Location::request(field.clone()).key(),
                None => Location::request(caller.at.clone()),
            };
            let mut help = format!(
                "grant the delegated Power BI permission{plural} {} to the app registration the master user signs in with (Azure portal → App registrations → API permissions → Power BI Service), give consent, and list {} under `scopes`",
                grant.join(" and "),
                if group.len() > 1 { "them" } else { "it" },
            );
            if let Some(instead) = group[0].instead {
                help.push_str(&format!(
                    "; or remove {instead} if the app does not need it"
                ));
            }
            out.push(
                Finding::new(
                    Rule::MissingScope,
                    at,
                    format!(
                        "master user `{}` lacks the delegated scope{plural} {}, which {} needs",
                        caller.data.name,
                        list.join(" and "),
                        group[0].why,
                    ),
                )
                .help(help)
                .related(
                    Location::inventory(caller.data.pointer.key("scopes")),
                    "the scopes granted",
                )
                .arg("missing", grant.join(", ")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Target;
    use crate::value::Value;
    use crate::Engine;
    use serde_json::json;

    const WS: &str = "50949dad-c282-4c7e-b65b-a8cda0cbdb0c";
    const DS: &str = "6bb76561-1a3c-4ddf-a5ae-a483e69c8dfd";
    const REPORT: &str = "405d1ea2-c41f-4342-99fa-088e36af3769";

    /// The EG403 findings of one request by a master user granted `scopes`.
    fn run(scopes: &[&str], path: &str, body: serde_json::Value) -> Vec<Finding> {
        let doc = json!({
            "embedguard": 1,
            "tenant": {
                "principals": [{ "name": "mu", "kind": "master_user", "scopes": scopes }],
                "workspaces": [{ "id": WS, "name": "Portal", "type": "new", "capacity": "A1", "users": { "mu": "Admin" } }],
                "datasets": [{ "id": DS, "workspace": WS, "rls": "none" }],
                "reports": [{ "id": REPORT, "workspace": WS, "dataset": DS }]
            },
            "requests": [{ "caller": "mu", "path": path, "body": body }]
        });
        let engine = Engine::new().expect("engine");
        let read = engine.read_description(&Value::from_json(&doc));
        let inventory = read.description.tenant.clone().expect("inline tenant");
        let (tenant, _) = engine.resolve_inventory(inventory);
        engine
            .validate(Some(&tenant), &read.description.requests[0])
            .into_iter()
            .filter(|f| f.rule == Rule::MissingScope)
            .collect()
    }

    #[test]
    fn target_workspaces_need_content_create_at_the_key() {
        let found = run(
            &["Report.Read.All", "Dataset.Read.All"],
            "/v1.0/myorg/GenerateToken",
            json!({ "reports": [{ "id": REPORT }], "targetWorkspaces": [{ "id": WS }] }),
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].location.pointer.as_str(),
            "/requests/0/body/targetWorkspaces"
        );
        assert_eq!(found[0].location.target, Target::Key);
        assert!(found[0].message.contains("`Content.Create`"));
        // An empty list names no target workspace (the Python sample sends one): nothing needed.
        let found = run(
            &["Report.Read.All", "Dataset.Read.All"],
            "/v1.0/myorg/GenerateToken",
            json!({ "reports": [{ "id": REPORT }], "targetWorkspaces": [] }),
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn v2_reports_need_a_report_scope_at_reports() {
        let found = run(
            &["Dataset.Read.All"],
            "/v1.0/myorg/GenerateToken",
            json!({ "reports": [{ "id": REPORT, "allowEdit": false }] }),
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].location.pointer.as_str(),
            "/requests/0/body/reports"
        );
        // A V2 token for datasets only needs the dataset scope.
        let found = run(
            &["Dataset.Read.All"],
            "/v1.0/myorg/GenerateToken",
            json!({ "datasets": [{ "id": DS }] }),
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn save_as_false_and_the_default_scope_ask_for_nothing() {
        let path = format!("/v1.0/myorg/groups/{WS}/reports/{REPORT}/GenerateToken");
        let found = run(
            &["Report.Read.All", "Dataset.Read.All"],
            &path,
            json!({ "accessLevel": "View", "allowSaveAs": false }),
        );
        assert!(found.is_empty(), "{found:?}");
        let found = run(
            &["https://analysis.windows.net/powerbi/api/.default"],
            &path,
            json!({ "accessLevel": "View", "allowSaveAs": true }),
        );
        assert!(found.is_empty(), "{found:?}");
    }

    fn list(scopes: &[&str]) -> Vec<String> {
        scopes.iter().map(|s| (*s).to_string()).collect()
    }

    #[test]
    fn scopes_match_by_name_ignoring_case_and_resource() {
        let granted = list(&[
            "https://analysis.windows.net/powerbi/api/Report.ReadWrite.All",
            "dataset.read.all",
        ]);
        assert_eq!(grants(&granted, REPORT_READ), Some(true));
        assert_eq!(grants(&granted, REPORT_WRITE), Some(true));
        assert_eq!(grants(&granted, DATASET_READ), Some(true));
        assert_eq!(grants(&granted, CONTENT_CREATE), Some(false));
        assert_eq!(grants(&granted, DASHBOARD_READ), Some(false));
    }

    #[test]
    fn read_does_not_grant_write() {
        let granted = list(&["Report.Read.All"]);
        assert_eq!(grants(&granted, REPORT_READ), Some(true));
        assert_eq!(grants(&granted, REPORT_WRITE), Some(false));
    }

    #[test]
    fn default_scope_says_nothing() {
        let granted = list(&["https://analysis.windows.net/powerbi/api/.default"]);
        assert_eq!(grants(&granted, CONTENT_CREATE), None);
        assert_eq!(grants(&[], CONTENT_CREATE), Some(false));
    }

    #[test]
    fn alternatives_are_named_least_privilege_first() {
        assert_eq!(
            describe(REPORT_READ),
            "`Report.Read.All` (or `Report.ReadWrite.All`)"
        );
        assert_eq!(describe(CONTENT_CREATE), "`Content.Create`");
    }
}
