//! EG107 v2-dashboard — `rules/EG107-v2-dashboard.md`.

use crate::body::Body;
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::ids::{is_guid, is_placeholder};
use crate::inventory::Tenant;
use crate::read::Located;
use crate::registry::Rule;
use crate::rules::Check;

/// The V2 endpoint embeds reports and datasets only; dashboards and tiles need their own V1 call.
pub struct V2Dashboard;

impl Check for V2Dashboard {
    fn rule(&self) -> Rule {
        Rule::V2Dashboard
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(Body::V2(v2)) = ctx.body else { return };
        for key in &v2.dashboard_keys {
            out.push(
                Finding::new(
                    Rule::V2Dashboard,
                    Location::request(key.pointer.clone()).key(),
                    format!("`{}` is not a V2 field: the V2 endpoint embeds reports and datasets only, so the token will not cover any dashboard or tile", key.value),
                )
                .help("remove it, and generate each dashboard's token with `POST /v1.0/myorg/groups/{groupId}/dashboards/{dashboardId}/GenerateToken` (a tile's with `…/dashboards/{dashboardId}/tiles/{tileId}/GenerateToken`)")
                .arg("field", key.value.clone()),
            );
        }
        let Some(tenant) = ctx.tenant else { return };
        let reports = v2
            .reports
            .get()
            .into_iter()
            .flatten()
            .map(|e| (&e.id, "reports"));
        let datasets = v2
            .datasets
            .get()
            .into_iter()
            .flatten()
            .map(|e| (&e.id, "datasets"));
        for (id, list) in reports.chain(datasets) {
            let Some(id) = id.located() else { continue };
            if let Some(finding) = dashboard_entry(tenant, id, list) {
                out.push(finding);
            }
        }
    }
}

/// The finding for a `reports`/`datasets` entry whose id the inventory knows as a dashboard or a
/// tile (and not as an item of the list it is in).
fn dashboard_entry(tenant: &Tenant, id: &Located<String>, list: &str) -> Option<Finding> {
    let reference = id.value.as_str();
    // Not a GUID: EG006's. Known as what the list holds: not a dashboard mistake.
    if !is_guid(reference) || is_placeholder(reference) {
        return None;
    }
    let known = match list {
        "reports" => tenant.report(reference).is_some(),
        _ => tenant.dataset(reference).is_some(),
    };
    if known {
        return None;
    }
    let (dashboard, tile) = match tenant.dashboard(reference) {
        Some(d) => (d, None),
        None => {
            let (d, t) = tenant.tile_anywhere(reference)?;
            (d, Some(t))
        }
    };
    let data = tenant.dashboard_data(dashboard)?;
    let name = data
        .name
        .clone()
        .or_else(|| data.id.clone())
        .unwrap_or_default();
    let group = tenant
        .dashboard_workspace(dashboard)
        .and_then(|w| tenant.workspace_data(w))
        .and_then(|w| w.id.clone())
        .unwrap_or_else(|| "{groupId}".into());
    let dashboard_id = data.id.clone().unwrap_or_else(|| "{dashboardId}".into());
    let kind = if tile.is_some() { "tile" } else { "dashboard" };
    let (what, path, declared, label) = match tile.and_then(|t| tenant.tile_data(t)) {
        Some(t) => (
            format!("a tile of dashboard `{name}`"),
            format!(
                "/v1.0/myorg/groups/{group}/dashboards/{dashboard_id}/tiles/{}/GenerateToken",
                t.id.clone().unwrap_or_default()
            ),
            t.pointer.key("id"),
            "declared as a dashboard tile here",
        ),
        None => (
            format!("dashboard `{name}`"),
            format!("/v1.0/myorg/groups/{group}/dashboards/{dashboard_id}/GenerateToken"),
            data.pointer.key("id"),
            "declared as a dashboard here",
        ),
    };
    Some(
        Finding::new(
            Rule::V2Dashboard,
            Location::request(id.pointer.clone()),
            format!("`{reference}` in `{list}` is {what}: the V2 endpoint embeds reports and datasets only"),
        )
        .help(format!("remove this entry; a {kind} needs a token of its own: `POST {path}` with the body `accessLevel: View`"))
        .related(Location::inventory(declared), label)
        .arg("dashboard", name),
    )
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::codes;
    use serde_json::json;

    const DASHBOARD: &str = "4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d";

    fn v2(body: serde_json::Value) -> Vec<&'static str> {
        codes(json!({
            "embedguard": 1,
            "tenant": {
                "principals": [{ "name": "sp", "kind": "service_principal" }],
                "workspaces": [{ "id": "3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c", "name": "Sales", "type": "new" }],
                "dashboards": [{ "id": DASHBOARD, "name": "Ops", "workspace": "Sales" }]
            },
            "requests": [{ "caller": "sp", "path": "/v1.0/myorg/GenerateToken", "body": body }]
        }))
    }

    #[test]
    fn a_dashboard_id_is_one_finding_not_an_unresolved_reference() {
        assert_eq!(
            v2(json!({ "datasets": [{ "id": DASHBOARD }] })),
            vec!["EG107"]
        );
        assert_eq!(
            v2(json!({ "reports": [{ "id": DASHBOARD.to_uppercase() }] })),
            vec!["EG107"]
        );
        // A name where an id belongs is EG006's, even when it names a dashboard.
        assert_eq!(v2(json!({ "reports": [{ "id": "Ops" }] })), vec!["EG006"]);
    }

    #[test]
    fn dashboard_keys_are_claimed_in_any_case() {
        assert_eq!(v2(json!({ "Dashboards": [] })), vec!["EG107"]);
        assert_eq!(v2(json!({ "tileId": DASHBOARD })), vec!["EG107"]);
    }
}
