//! EG3xx — effective identity and row-level security (the seed's RLS matrix,
//! `rules/matrix/rls.json`).

mod aas_username_not_caller;
mod as_live_identity;
mod as_onprem_permission;
mod composite_xmla;
mod custom_data;
mod identity_blob_shape;
mod identity_dataset_outside_token;
mod identity_scope_missing;
mod identity_username_missing;
mod identity_without_rls;
mod paginated_dataset_xmla;
mod paginated_visual;
mod rdl_identity_shape;
mod rdl_master_user;
mod rls_identity_required;
mod rls_unfiltered;
mod role_limits;
mod roles_required;
mod sso_cloud_incomplete;
mod sso_identity_required;
mod unknown_role;
mod username_limits;
mod v1_multiple_identities;

pub use aas_username_not_caller::AasUsernameNotCaller;
pub use as_live_identity::AsLiveIdentity;
pub use as_onprem_permission::AsOnpremPermission;
pub use composite_xmla::CompositeXmla;
pub use custom_data::CustomData;
pub use identity_blob_shape::IdentityBlobShape;
pub use identity_dataset_outside_token::IdentityDatasetOutsideToken;
pub use identity_scope_missing::IdentityScopeMissing;
pub use identity_username_missing::IdentityUsernameMissing;
pub use identity_without_rls::IdentityWithoutRls;
pub use paginated_dataset_xmla::PaginatedDatasetXmla;
pub use paginated_visual::PaginatedVisual;
pub use rdl_identity_shape::RdlIdentityShape;
pub use rdl_master_user::RdlMasterUser;
pub use rls_identity_required::RlsIdentityRequired;
pub use rls_unfiltered::RlsUnfiltered;
pub use role_limits::RoleLimits;
pub use roles_required::RolesRequired;
pub use sso_cloud_incomplete::SsoCloudIncomplete;
pub use sso_identity_required::SsoIdentityRequired;
pub use unknown_role::UnknownRole;
pub use username_limits::UsernameLimits;
pub use v1_multiple_identities::V1MultipleIdentities;

use crate::body::{EffectiveIdentity, V2Body, XmlaPermissions};
use crate::context::{Context, Named};
use crate::inventory::{Dataset, DatasetId, Report, RlsKind};
use crate::matrix::RlsRow;
use crate::read::Field;
use crate::registry::Rule;
use crate::value::Pointer;

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

/// The datasets of the request that `identity` applies to (see
/// [`Context::identities_covering`]), with their facts.
fn datasets_of<'c>(
    ctx: &'c Context<'_>,
    identity: &'c EffectiveIdentity,
) -> impl Iterator<Item = (&'c Named<DatasetId>, &'c Dataset)> + 'c {
    ctx.datasets.iter().filter_map(move |d| {
        let data = ctx.tenant?.dataset_data(d.id)?;
        ctx.identities_covering(d.id)
            .iter()
            .any(|i| std::ptr::eq(*i, identity))
            .then_some((d, data))
    })
}

/// The first on-premises Analysis Services dataset of the request that `identity` applies to.
fn on_premises_dataset<'c>(
    ctx: &'c Context<'_>,
    identity: &'c EffectiveIdentity,
) -> Option<&'c Dataset> {
    datasets_of(ctx, identity)
        .map(|(_, data)| data)
        .find(|data| data.rls == Some(RlsKind::AsOnPremises))
}

/// Whether `identity` names neither `datasets` nor `reports` while it is wanted — EG314's
/// finding. An unscoped identity whose datasets all refuse an identity (`rls: none`) is EG303's
/// instead: the fix there is to drop the identity, not to scope it. Either way the mistake gets
/// one finding: EG303 skips the identities this returns `true` for.
fn scope_missing(ctx: &Context<'_>, identity: &EffectiveIdentity) -> bool {
    if identity.datasets.is_present() || identity.reports.is_present() {
        return false;
    }
    let refuses_identity = |data: &Dataset| {
        data.rls.is_some_and(|rls| {
            ctx.matrices.rls(rls).identity_given == Some(Rule::IdentityWithoutRls)
        })
    };
    let mut covered = datasets_of(ctx, identity).peekable();
    let unwanted = covered.peek().is_some() && covered.all(|(_, data)| refuses_identity(data));
    !unwanted
}

/// A dataset's display name for messages.
fn label(d: &Dataset) -> String {
    d.name
        .clone()
        .or_else(|| d.id.clone())
        .unwrap_or_else(|| "?".into())
}

/// The literal text of `s`: what is left once the template placeholders (`${…}`, `{{ … }}`) are
/// cut out. Whatever a placeholder expands to at run time, these characters reach Power BI, so
/// limits on characters and (as a lower bound) on length can be judged on them.
fn literal_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    for p in crate::ids::placeholders(s) {
        out.push_str(&s[at..p.range.start]);
        at = p.range.end;
    }
    out.push_str(&s[at..]);
    out
}

/// The length of `s` as Power BI's .NET service counts it (`string.Length`: UTF-16 code units;
/// the number of characters for ASCII text).
fn dotnet_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// A report's display name for messages.
fn report_label(r: &Report) -> String {
    r.name
        .clone()
        .or_else(|| r.id.clone())
        .unwrap_or_else(|| "?".into())
}

/// How a V2 body grants XMLA read access to one dataset (EG320, EG321).
enum XmlaGrant<'b> {
    /// No `datasets[]` entry names the dataset.
    NotListed,
    /// An entry names it with `xmlaPermissions: ReadOnly` (any letter case).
    ReadOnly,
    /// An entry names it with `Off` or without `xmlaPermissions`: where to point (the value, or
    /// the entry when the key is missing).
    NotReadOnly(&'b Pointer),
    /// An entry names it with an unusable value, already reported (EG005/EG011).
    Unreadable,
}

/// How `v2` lists `dataset` in `datasets[]`; the best entry wins when it is listed twice.
fn xmla_grant<'b>(ctx: &Context<'_>, v2: &'b V2Body, dataset: DatasetId) -> XmlaGrant<'b> {
    let Some(tenant) = ctx.tenant else {
        return XmlaGrant::Unreadable;
    };
    let mut grant = XmlaGrant::NotListed;
    let entries = v2.datasets.get().into_iter().flatten();
    for entry in entries.filter(|e| {
        e.id.get()
            .is_some_and(|id| tenant.dataset(id) == Some(dataset))
    }) {
        let this = match &entry.xmla_permissions {
            Field::Present(x) if x.value.value == XmlaPermissions::ReadOnly => XmlaGrant::ReadOnly,
            Field::Present(x) => XmlaGrant::NotReadOnly(&x.pointer),
            Field::Absent => XmlaGrant::NotReadOnly(entry.id.pointer().unwrap_or(&entry.pointer)),
            Field::Invalid(_) => XmlaGrant::Unreadable,
        };
        grant = match (grant, this) {
            (XmlaGrant::ReadOnly, _) | (_, XmlaGrant::ReadOnly) => XmlaGrant::ReadOnly,
            (XmlaGrant::Unreadable, _) | (_, XmlaGrant::Unreadable) => XmlaGrant::Unreadable,
            (XmlaGrant::NotReadOnly(p), _) => XmlaGrant::NotReadOnly(p),
            (XmlaGrant::NotListed, other) => other,
        };
    }
    grant
}

/// Where "`datasets` lacks …" points: the `datasets` array if present, else the body.
fn datasets_or_body(v2: &V2Body) -> Pointer {
    v2.datasets.pointer().unwrap_or(&v2.pointer).clone()
}

/// `{ id: "…", xmlaPermissions: ReadOnly }` for each dataset, for help texts.
fn read_only_entries(datasets: &[&Dataset]) -> Vec<String> {
    datasets
        .iter()
        .map(|d| {
            format!(
                "{{ id: \"{}\", xmlaPermissions: ReadOnly }}",
                d.id.as_deref().unwrap_or("?")
            )
        })
        .collect()
}

/// "add `{…}` to `datasets`" / "add `{…}`, `{…}` to `datasets`".
fn add_to_datasets(datasets: &[&Dataset]) -> String {
    let entries: Vec<String> = read_only_entries(datasets)
        .into_iter()
        .map(|e| format!("`{e}`"))
        .collect();
    format!("add {} to `datasets`", entries.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_text_cuts_placeholders() {
        assert_eq!(literal_text("${user.email}"), "");
        assert_eq!(literal_text("{{ user }}"), "");
        assert_eq!(literal_text("${first} ${last}"), " ");
        assert_eq!(literal_text("CONTOSO\\{{ user }}"), "CONTOSO\\");
        assert_eq!(literal_text("a${x}b{{y}}c"), "abc");
        assert_eq!(literal_text("{{a}}${b}"), "");
        assert_eq!(literal_text("john smith"), "john smith");
        assert_eq!(literal_text("cost ${ unclosed"), "cost ${ unclosed");
        assert_eq!(literal_text("{x} }}"), "{x} }}");
        assert_eq!(literal_text("{{ open ${x} tail"), "{{ open  tail");
    }

    #[test]
    fn dotnet_length_counts_utf16_units() {
        assert_eq!(dotnet_len("Customer"), 8);
        assert_eq!(dotnet_len("Jürgen"), 6);
        assert_eq!(dotnet_len("😀"), 2);
    }

    // Edge cases of EG319–EG323: which rule owns a mistake, chains and cycles of composite
    // models, repeated entries, and what EG008 leaves to EG323.

    use crate::value::Value;
    use crate::Engine;
    use serde_json::json;

    const WS: &str = "3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c";
    const DS_A: &str = "0c9d8e7f-6a5b-4c3d-8e1f-0a9b8c7d6e5f";
    const DS_B: &str = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    const REPORT: &str = "8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    const REPORT_2: &str = "6c5d4e3f-2a1b-4c0d-9e8f-7a6b5c4d3e2f";
    const RDL: &str = "9b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e";

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

    fn v2(body: serde_json::Value) -> serde_json::Value {
        json!({"caller": "sp", "path": "/v1.0/myorg/GenerateToken", "body": body})
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

    fn composite(cycle: bool) -> serde_json::Value {
        let mut b = json!({"id": DS_B, "name": "Shared", "workspace": "Sales", "rls": "none"});
        if cycle {
            b["directquery_to"] = json!(["Composite"]);
        }
        json!({
            "datasets": [
                {"id": DS_A, "name": "Composite", "workspace": "Sales", "rls": "none", "directquery_to": ["Shared"]},
                b
            ],
            "reports": [{"id": REPORT, "name": "Report", "workspace": "Sales", "dataset": "Composite"}]
        })
    }

    #[test]
    fn a_directquery_cycle_ends_and_names_each_dataset_once() {
        let body = json!({
            "datasets": [{"id": DS_A, "xmlaPermissions": "ReadOnly"}],
            "reports": [{"id": REPORT}]
        });
        let found = findings(composite(true), v2(body));
        assert_eq!(
            found,
            [("EG320".to_string(), "/requests/0/body/datasets".to_string())]
        );
    }

    #[test]
    fn read_only_in_any_case_or_in_one_of_two_entries_is_enough() {
        let body = json!({
            "datasets": [
                {"id": DS_A, "xmlaPermissions": "readonly"},
                {"id": DS_B, "xmlaPermissions": "Off"},
                {"id": DS_B, "xmlaPermissions": "ReadOnly"}
            ],
            "reports": [{"id": REPORT}]
        });
        // Only EG010 (the spelling `readonly`), no EG320.
        assert_eq!(codes(&findings(composite(false), v2(body))), ["EG010"]);
    }

    #[test]
    fn an_unusable_xmla_value_is_eg011_only() {
        let body = json!({
            "datasets": [
                {"id": DS_A, "xmlaPermissions": "ReadOnly"},
                {"id": DS_B, "xmlaPermissions": "ReadWrite"}
            ],
            "reports": [{"id": REPORT}]
        });
        assert_eq!(codes(&findings(composite(false), v2(body))), ["EG011"]);
    }

    #[test]
    fn a_paginated_report_over_a_composite_model_is_one_finding_per_dataset() {
        let tenant = json!({
            "datasets": [
                {"id": DS_A, "name": "Composite", "workspace": "Sales", "rls": "none", "directquery_to": ["Shared"]},
                {"id": DS_B, "name": "Shared", "workspace": "Sales", "rls": "none"}
            ],
            "reports": [{"id": RDL, "name": "Invoice", "workspace": "Sales", "type": "paginated", "dataset": "Composite"}]
        });
        let found = findings(tenant, v2(json!({"reports": [{"id": RDL}]})));
        // EG321 owns the paginated report's own dataset; EG320 the one it queries.
        assert_eq!(codes(&found), ["EG320", "EG321"]);
    }

    #[test]
    fn a_paginated_report_shown_by_two_reports_is_reported_once() {
        let tenant = json!({
            "datasets": [{"id": DS_A, "name": "Model", "workspace": "Sales", "rls": "none"}],
            "reports": [
                {"id": REPORT, "name": "One", "workspace": "Sales", "dataset": "Model", "paginated_visuals": ["Invoice"]},
                {"id": REPORT_2, "name": "Two", "workspace": "Sales", "dataset": "Model", "paginated_visuals": [RDL]},
                {"id": RDL, "name": "Invoice", "workspace": "Sales", "type": "paginated"}
            ]
        });
        let body = json!({
            "datasets": [{"id": DS_A}],
            "reports": [{"id": REPORT}, {"id": REPORT_2}]
        });
        let found = findings(tenant.clone(), v2(body));
        assert_eq!(
            found,
            [("EG322".to_string(), "/requests/0/body/reports".to_string())]
        );
        let listed = json!({
            "datasets": [{"id": DS_A}],
            "reports": [{"id": REPORT}, {"id": REPORT_2}, {"id": RDL}]
        });
        assert!(findings(tenant, v2(listed)).is_empty());
    }

    fn paginated() -> serde_json::Value {
        json!({
            "datasets": [{"id": DS_A, "name": "Model", "workspace": "Sales", "rls": "cloud", "roles": ["Customer"]}],
            "reports": [{"id": RDL, "name": "Invoice", "workspace": "Sales", "type": "paginated"}]
        })
    }

    #[test]
    fn a_paginated_report_under_datasets_is_eg323_not_eg008() {
        let body = json!({
            "reports": [{"id": RDL}],
            "identities": [{"username": "${customer}", "datasets": [RDL]}]
        });
        assert_eq!(
            findings(paginated(), v2(body)),
            [(
                "EG323".to_string(),
                "/requests/0/body/identities/0/datasets/0".to_string()
            )]
        );
    }

    #[test]
    fn roles_next_to_datasets_may_be_for_the_datasets() {
        let body = json!({
            "datasets": [{"id": DS_A}],
            "reports": [{"id": RDL}],
            "identities": [{"username": "${customer}", "roles": ["Customer"], "datasets": [DS_A], "reports": [RDL]}]
        });
        assert!(findings(paginated(), v2(body)).is_empty());
        let roles_only = json!({
            "reports": [{"id": RDL}],
            "identities": [{"username": "${customer}", "roles": ["Customer"], "reports": [RDL]}]
        });
        assert_eq!(
            findings(paginated(), v2(roles_only)),
            [(
                "EG323".to_string(),
                "/requests/0/body/identities/0/roles".to_string()
            )]
        );
    }
}
