//! EG3xx — effective identity and row-level security (the seed's RLS matrix,
//! `rules/matrix/rls.json`).

mod aas_username_not_caller;
mod as_live_identity;
mod as_onprem_permission;
mod identity_without_rls;
mod rdl_master_user;
mod rls_identity_required;
mod rls_unfiltered;
mod roles_required;
mod sso_cloud_incomplete;
mod sso_identity_required;
mod v1_multiple_identities;

pub use aas_username_not_caller::AasUsernameNotCaller;
pub use as_live_identity::AsLiveIdentity;
pub use as_onprem_permission::AsOnpremPermission;
pub use identity_without_rls::IdentityWithoutRls;
pub use rdl_master_user::RdlMasterUser;
pub use rls_identity_required::RlsIdentityRequired;
pub use rls_unfiltered::RlsUnfiltered;
pub use roles_required::RolesRequired;
pub use sso_cloud_incomplete::SsoCloudIncomplete;
pub use sso_identity_required::SsoIdentityRequired;
pub use v1_multiple_identities::V1MultipleIdentities;

use crate::context::{Context, Named};
use crate::inventory::{Dataset, DatasetId, RlsKind};
use crate::matrix::RlsRow;

/// The datasets of the request whose RLS kind is known, with their matrix row.
fn rls_datasets<'c>(
    ctx: &'c Context<'_>,
) -> impl Iterator<Item = (&'c Named<DatasetId>, &'c Dataset, RlsKind, RlsRow)> + 'c {
    ctx.datasets.iter().filter_map(move |d| {
        let data = ctx.tenant?.dataset_data(d.id)?;
        let rls = data.rls?;
        Some((d, data, rls, ctx.matrices.rls(rls)))
    })
}

/// A dataset's display name for messages.
fn label(d: &Dataset) -> String {
    d.name
        .clone()
        .or_else(|| d.id.clone())
        .unwrap_or_else(|| "?".into())
}

#[cfg(test)]
mod tests {
    //! Edge cases of EG319: which rule owns a mistake.

    use crate::value::Value;
    use crate::Engine;
    use serde_json::json;

    const WS: &str = "3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c";
    const DS_A: &str = "0c9d8e7f-6a5b-4c3d-8e1f-0a9b8c7d6e5f";
    const REPORT: &str = "8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    /// The (code, pointer) of every finding of one request against `tenant`: those of reading
    /// the request (EG010, EG011, …), then those of the rules.
    fn findings(tenant: serde_json::Value, request: serde_json::Value) -> Vec<(String, String)> {
        let engine = Engine::new().expect("matrices");
        let mut tenant = tenant;
        tenant["principals"] = json!([
            {"name": "sp", "kind": "service_principal", "object_id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"},
            {"name": "mu", "kind": "master_user", "upn": "mu@contoso.com"}
        ]);
        tenant["workspaces"] = json!([
            {"id": WS, "name": "Sales", "type": "new", "capacity": "A1", "users": {"sp": "Member", "mu": "Admin"}}
        ]);
        let doc =
            Value::from_json(&json!({"embedguard": 1, "tenant": tenant, "requests": [request]}));
        let read = engine.read_description(&doc);
        assert!(
            read.tenant_findings.is_empty(),
            "{:?}",
            read.tenant_findings
        );
        let inventory = read.description.tenant.clone().expect("tenant");
        let (tenant, unresolved) = engine.resolve_inventory(inventory);
        assert!(unresolved.is_empty(), "{unresolved:?}");
        let rules = read
            .description
            .requests
            .iter()
            .flat_map(|r| engine.validate(Some(&tenant), r));
        read.findings
            .iter()
            .cloned()
            .chain(rules)
            .map(|f| (f.rule.code().to_string(), f.location.pointer.to_string()))
            .collect()
    }

    fn v1_report(caller: &str, body: serde_json::Value) -> serde_json::Value {
        json!({
            "caller": caller,
            "path": format!("/v1.0/myorg/groups/{WS}/reports/{REPORT}/GenerateToken"),
            "body": body
        })
    }

    fn live(rls: Option<&str>) -> serde_json::Value {
        let mut d = json!({"id": DS_A, "name": "Cube", "workspace": "Sales", "connection": "live_as_on_premises"});
        if let Some(rls) = rls {
            d["rls"] = json!(rls);
        }
        json!({
            "datasets": [d],
            "reports": [{"id": REPORT, "name": "Report", "workspace": "Sales", "dataset": "Cube"}]
        })
    }

    fn codes(found: &[(String, String)]) -> Vec<&str> {
        found.iter().map(|(c, _)| c.as_str()).collect()
    }

    #[test]
    fn as_live_without_rls_is_eg319_and_declared_as_rls_stays_eg301() {
        let body = json!({"accessLevel": "View"});
        for (rls, want) in [
            (Some("none"), vec!["EG319"]),
            (None, vec!["EG319"]),
            (Some("as_on_premises"), vec!["EG301"]),
            (Some("cloud"), vec!["EG301"]),
            (Some("sso"), vec!["EG307"]),
        ] {
            let found = findings(live(rls), v1_report("sp", body.clone()));
            assert_eq!(codes(&found), want, "rls {rls:?}");
        }
        // A master user may leave the identity out.
        assert!(findings(live(Some("none")), v1_report("mu", body)).is_empty());
    }

    #[test]
    fn the_identity_eg319_asks_for_is_not_eg303() {
        let body = json!({
            "accessLevel": "View",
            "identities": [{"username": "CONTOSO\\reader", "datasets": [DS_A]}]
        });
        assert!(findings(live(Some("none")), v1_report("sp", body.clone())).is_empty());
        // Without `connection`, the same identity on a no-RLS model is EG303.
        let mut tenant = live(Some("none"));
        tenant["datasets"][0]
            .as_object_mut()
            .expect("object")
            .remove("connection");
        assert_eq!(codes(&findings(tenant, v1_report("sp", body))), ["EG303"]);
    }
}
