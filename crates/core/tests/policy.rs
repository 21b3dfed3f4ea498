//! The organisation policy (EG9xx) through the engine's public API.

use embedguard_core::body::AccessLevel;
use embedguard_core::inventory::PrincipalKind;
use embedguard_core::policy::Policy;
use embedguard_core::value::Value;
use embedguard_core::{Engine, Rule};
use serde_json::json;

const WS: &str = "3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c";
const RLS: &str = "0c9d8e7f-6a5b-4c3d-8e1f-0a9b8c7d6e5f";
const REPORT: &str = "8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const AAS: &str = "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a";
const AAS_REPORT: &str = "7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918";
const SP_OBJECT: &str = "1b2c3d4e-5f60-4718-9a0b-1c2d3e4f5a6b";

fn tenant() -> Value {
    Value::from_json(&json!({
        "principals": [
            { "name": "sp", "kind": "service_principal", "object_id": SP_OBJECT },
            { "name": "mu", "kind": "master_user", "upn": "mu@contoso.com", "license": "pro" }
        ],
        "workspaces": [{ "id": WS, "name": "Sales", "type": "new", "capacity": "A1",
                         "users": { "sp": "Member", "mu": "Member" } }],
        "datasets": [
            { "id": RLS, "name": "Model", "workspace": "Sales", "rls": "cloud", "roles": ["Customer"] },
            { "id": AAS, "name": "Cube", "workspace": "Sales", "rls": "as_azure" }
        ],
        "reports": [
            { "id": REPORT, "name": "Report", "workspace": "Sales", "dataset": "Model" },
            { "id": AAS_REPORT, "name": "Cube report", "workspace": "Sales", "dataset": "Cube" }
        ]
    }))
}

/// The codes the engine reports for one request under `policy`.
fn codes(request: serde_json::Value, policy: &Policy) -> Vec<&'static str> {
    let engine = Engine::new().expect("engine");
    let (tenant, problems) = engine.read_inventory(&tenant());
    assert!(problems.is_empty(), "{problems:?}");
    let doc = Value::from_json(&json!({ "embedguard": 1, "requests": [request] }));
    let read = engine.read_description(&doc);
    assert!(read.findings.is_empty(), "{:?}", read.findings);
    let mut codes: Vec<&str> = engine
        .validate_with(Some(&tenant), &read.description.requests[0], policy)
        .iter()
        .map(|f| f.rule.code())
        .collect();
    codes.sort_unstable();
    codes
}

fn v1(caller: &str, report: &str, body: serde_json::Value) -> serde_json::Value {
    json!({
        "caller": caller,
        "path": format!("/v1.0/myorg/groups/{WS}/reports/{report}/GenerateToken"),
        "body": body
    })
}

fn identity(username: &str, dataset: &str) -> serde_json::Value {
    json!([{ "username": username, "roles": ["Customer"], "datasets": [dataset] }])
}

#[test]
fn no_policy_no_policy_findings() {
    let r = v1(
        "mu",
        REPORT,
        json!({ "accessLevel": "Edit", "lifetimeInMinutes": 45 }),
    );
    let codes = codes(r, &Policy::default());
    assert!(codes.iter().all(|c| !c.starts_with("EG9")), "{codes:?}");
}

#[test]
fn lifetime_zero_and_missing_exceed_the_maximum() {
    let policy = Policy {
        max_lifetime_minutes: Some(30),
        ..Policy::default()
    };
    let id = identity("${u}", RLS);
    for body in [
        json!({ "accessLevel": "View", "lifetimeInMinutes": 0, "identities": id }),
        json!({ "accessLevel": "View", "identities": id }),
        json!({ "accessLevel": "View", "lifetimeInMinutes": 31, "identities": id }),
    ] {
        let found = codes(v1("sp", REPORT, body.clone()), &policy);
        assert!(found.contains(&"EG901"), "{body}: {found:?}");
    }
    let ok = json!({ "accessLevel": "View", "lifetimeInMinutes": 30, "identities": id });
    assert!(!codes(v1("sp", REPORT, ok), &policy).contains(&"EG901"));
}

#[test]
fn target_workspaces_are_a_save_as_grant() {
    let policy = Policy {
        allow_save_as: Some(false),
        ..Policy::default()
    };
    let r = json!({
        "caller": "sp",
        "path": "/v1.0/myorg/GenerateToken",
        "body": {
            "datasets": [{ "id": RLS }],
            "reports": [{ "id": REPORT }],
            "targetWorkspaces": [{ "id": WS }],
            "identities": identity("${u}", RLS)
        }
    });
    assert!(codes(r.clone(), &policy).contains(&"EG902"));
    let view_only = Policy {
        allowed_access_levels: Some(vec![AccessLevel::View]),
        ..Policy::default()
    };
    assert!(codes(r, &view_only).contains(&"EG902"));
}

#[test]
fn unfiltered_rls_is_replaced_not_doubled() {
    let r = v1("mu", REPORT, json!({ "accessLevel": "View" }));
    assert!(codes(r.clone(), &Policy::default()).contains(&"EG302"));
    let policy = Policy {
        deny_unfiltered_rls: true,
        ..Policy::default()
    };
    let found = codes(r, &policy);
    assert!(
        found.contains(&"EG904") && !found.contains(&"EG302"),
        "{found:?}"
    );
    assert_eq!(
        Rule::PolicyUnfilteredRls.default_severity(),
        embedguard_core::Severity::Error
    );
}

#[test]
fn the_caller_itself_is_not_a_literal_user() {
    let policy = Policy {
        placeholder_usernames: true,
        allowed_callers: Some(vec![PrincipalKind::ServicePrincipal]),
        ..Policy::default()
    };
    // Azure AS needs the caller's own object id as username (EG306): not a literal user.
    let aas = json!([{ "username": SP_OBJECT, "datasets": [AAS] }]);
    let found = codes(
        v1(
            "sp",
            AAS_REPORT,
            json!({ "accessLevel": "View", "identities": aas }),
        ),
        &policy,
    );
    assert!(!found.contains(&"EG906"), "{found:?}");
    let literal = identity("jane@contoso.com", RLS);
    let found = codes(
        v1(
            "sp",
            REPORT,
            json!({ "accessLevel": "View", "identities": literal }),
        ),
        &policy,
    );
    assert_eq!(found, vec!["EG906"]);
}
