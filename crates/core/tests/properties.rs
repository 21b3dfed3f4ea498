//! Properties that hold for any input: no panic, verdicts independent of key order and of naming
//! an entity by id or by name, deterministic output.

use embedguard_core::value::{Member, Value};
use embedguard_core::{Engine, Finding};
use proptest::prelude::*;
use serde_json::json;

const WS: &str = "3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c";
const WS2: &str = "7d1f0c2b-3a4e-4b5c-8d6e-9f0a1b2c3d4e";
const DS_RLS: &str = "0c9d8e7f-6a5b-4c3d-8e1f-0a9b8c7d6e5f";
const DS_PLAIN: &str = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const DS_AAS: &str = "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e";
const REPORT: &str = "8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const RDL: &str = "9b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e";

/// A tenant whose references use ids (`by_id`) or names.
fn tenant(by_id: bool) -> serde_json::Value {
    let r = |id: &str, name: &str| {
        if by_id {
            id.to_string()
        } else {
            name.to_string()
        }
    };
    json!({
        "principals": [
            {"name": "sp", "kind": "service_principal", "object_id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b", "permissions": {"gateway_admin": [], "read_override_effective_identity": [r(DS_AAS, "AAS model")]}},
            {"name": "mu", "kind": "master_user", "upn": "mu@contoso.com", "tenant_admin": false}
        ],
        "workspaces": [
            {"id": WS, "name": "Sales", "type": "new", "capacity": "A1", "users": {"sp": "Member", "mu": "Admin"}},
            {"id": WS2, "name": "Legacy", "type": "classic", "capacity": "shared", "users": {"mu": "Member"}}
        ],
        "datasets": [
            {"id": DS_RLS, "name": "RLS model", "workspace": r(WS, "Sales"), "rls": "cloud", "roles": ["Customer"]},
            {"id": DS_PLAIN, "name": "Plain model", "workspace": r(WS2, "Legacy"), "rls": "none"},
            {"id": DS_AAS, "name": "AAS model", "workspace": r(WS, "Sales"), "rls": "as_azure"}
        ],
        "reports": [
            {"id": REPORT, "name": "Report", "workspace": r(WS, "Sales"), "dataset": r(DS_RLS, "RLS model")},
            {"id": RDL, "name": "Invoice", "workspace": r(WS2, "Legacy"), "type": "paginated"}
        ]
    })
}

fn any_id() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(DS_RLS.to_string()),
        Just(DS_PLAIN.to_string()),
        Just(DS_AAS.to_string()),
        Just(REPORT.to_string()),
        Just(RDL.to_string()),
        Just(WS.to_string()),
        Just("00000000-0000-0000-0000-000000000000".to_string()),
        Just("not-a-guid".to_string()),
        Just("${dataset.id}".to_string()),
    ]
}

fn identity() -> impl Strategy<Value = serde_json::Value> {
    (
        proptest::option::of(prop_oneof![
            Just(json!("john@contoso.com")),
            Just(json!("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b")),
            Just(json!(["a"]))
        ]),
        proptest::option::of(proptest::collection::vec(
            prop_oneof![Just("Customer"), Just("Other")],
            0..3,
        )),
        proptest::option::of(proptest::collection::vec(any_id(), 0..3)),
        proptest::option::of(prop_oneof![
            Just(json!({"value": "eyJ0"})),
            Just(json!("eyJ0"))
        ]),
        proptest::option::of(proptest::collection::vec(any_id(), 0..2)),
    )
        .prop_map(|(username, roles, datasets, blob, reports)| {
            let mut o = serde_json::Map::new();
            if let Some(u) = username {
                o.insert("username".into(), u);
            }
            if let Some(r) = roles {
                o.insert("roles".into(), json!(r));
            }
            if let Some(d) = datasets {
                o.insert("datasets".into(), json!(d));
            }
            if let Some(b) = blob {
                o.insert("identityBlob".into(), b);
            }
            if let Some(r) = reports {
                o.insert("reports".into(), json!(r));
            }
            serde_json::Value::Object(o)
        })
}

/// A plausible request: one of the endpoints, a body mixing valid and invalid fields.
fn request() -> impl Strategy<Value = serde_json::Value> {
    let path = prop_oneof![
        Just("/v1.0/myorg/GenerateToken".to_string()),
        Just(format!(
            "/v1.0/myorg/groups/{WS}/reports/{REPORT}/GenerateToken"
        )),
        Just(format!(
            "/v1.0/myorg/groups/{WS2}/reports/{RDL}/GenerateToken"
        )),
        Just(format!("/v1.0/myorg/groups/{WS}/reports/GenerateToken")),
        Just(format!(
            "/v1.0/myorg/groups/{WS}/datasets/{DS_AAS}/GenerateToken"
        )),
        Just(format!("/v1.0/myorg/reports/{REPORT}/GenerateToken")),
        Just("/v1.0/myorg/nothing".to_string()),
    ];
    (
        path,
        prop_oneof![Just("sp"), Just("mu"), Just("ghost")],
        proptest::option::of(prop_oneof![
            Just(json!("View")),
            Just(json!("Edit")),
            Just(json!("Create")),
            Just(json!("view")),
            Just(json!("Read")),
            Just(json!(3))
        ]),
        proptest::option::of(any_id()),
        proptest::option::of(prop_oneof![
            Just(json!(true)),
            Just(json!(false)),
            Just(json!("true"))
        ]),
        proptest::option::of(proptest::collection::vec(identity(), 0..3)),
        proptest::option::of(proptest::collection::vec(any_id(), 0..3)),
        proptest::option::of(proptest::collection::vec((any_id(), any::<bool>()), 0..3)),
        proptest::option::of(proptest::collection::vec(any_id(), 0..2)),
    )
        .prop_map(
            |(
                path,
                caller,
                access,
                dataset_id,
                save_as,
                identities,
                datasets,
                reports,
                targets,
            )| {
                let mut body = serde_json::Map::new();
                if let Some(a) = access {
                    body.insert("accessLevel".into(), a);
                }
                if let Some(d) = dataset_id {
                    body.insert("datasetId".into(), json!(d));
                }
                if let Some(s) = save_as {
                    body.insert("allowSaveAs".into(), s);
                }
                if let Some(i) = identities {
                    body.insert("identities".into(), json!(i));
                }
                if let Some(d) = datasets {
                    body.insert(
                        "datasets".into(),
                        json!(d.iter().map(|id| json!({"id": id})).collect::<Vec<_>>()),
                    );
                }
                if let Some(r) = reports {
                    body.insert(
                        "reports".into(),
                        json!(r
                            .iter()
                            .map(|(id, e)| json!({"id": id, "allowEdit": e}))
                            .collect::<Vec<_>>()),
                    );
                }
                if let Some(t) = targets {
                    body.insert(
                        "targetWorkspaces".into(),
                        json!(t.iter().map(|id| json!({"id": id})).collect::<Vec<_>>()),
                    );
                }
                json!({"name": "r", "caller": caller, "path": path, "body": body})
            },
        )
}

/// Findings of the description `requests`, against the tenant, as comparable keys.
fn verdict(engine: &Engine, tenant: &Value, description: &Value) -> Vec<(String, String, String)> {
    let (tenant, mut findings) = engine.read_inventory(tenant);
    let read = engine.read_description(description);
    findings.extend(read.findings);
    for r in &read.description.requests {
        findings.extend(engine.validate(Some(&tenant), r));
    }
    let mut keys: Vec<_> = findings.iter().map(key).collect();
    keys.sort();
    keys
}

fn key(f: &Finding) -> (String, String, String) {
    (
        f.rule.code().to_string(),
        f.location.pointer.to_string(),
        f.severity.to_string(),
    )
}

fn description(requests: &[serde_json::Value]) -> Value {
    Value::from_json(&json!({"embedguard": 1, "requests": requests}))
}

/// Reverses the member order of every object (a deterministic but total reordering).
fn reorder(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .rev()
                .map(|m| Member {
                    key: m.key.clone(),
                    value: reorder(&m.value),
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(reorder).collect()),
        other => other.clone(),
    }
}

/// Any JSON-like value, to throw at every reader.
fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::Number(embedguard_core::value::Number::from_i64(n))),
        any::<f64>().prop_map(|f| Value::Number(embedguard_core::value::Number::from_f64(f))),
        "[a-zA-Z${}0-9-]{0,12}".prop_map(Value::String),
        any_id().prop_map(Value::String),
    ];
    let keys = prop_oneof![
        Just("principals"),
        Just("workspaces"),
        Just("datasets"),
        Just("reports"),
        Just("dashboards"),
        Just("name"),
        Just("kind"),
        Just("type"),
        Just("id"),
        Just("workspace"),
        Just("dataset"),
        Just("users"),
        Just("rls"),
        Just("tiles"),
        Just("identities"),
        Just("username"),
        Just("roles"),
        Just("accessLevel"),
        Just("body"),
        Just("path"),
        Just("caller"),
        Just("requests"),
        Just("tenant"),
        Just("identityBlob"),
        Just("permissions"),
        Just("gateway_admin"),
        Just("sp"),
        Just("AccessLevel"),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((keys.clone(), inner), 0..6).prop_map(|m| Value::Object(
                m.into_iter()
                    .map(|(k, v)| Member {
                        key: k.to_string(),
                        value: v
                    })
                    .collect()
            )),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_panic_on_arbitrary_documents(inventory in any_value(), doc in any_value(), body in any_value(), req in request()) {
        let engine = Engine::new().expect("engine");
        let _ = engine.read_inventory(&inventory);
        let _ = engine.read_description(&doc);
        let mut r = req.clone();
        r["body"] = serde_json::Value::Null;
        let mut d = description(&[r]);
        if let Value::Object(top) = &mut d {
            if let Some(Value::Array(reqs)) = top.iter_mut().find(|m| m.key == "requests").map(|m| &mut m.value) {
                if let Some(Value::Object(first)) = reqs.first_mut() {
                    if let Some(m) = first.iter_mut().find(|m| m.key == "body") { m.value = body; }
                }
            }
        }
        let _ = verdict(&engine, &inventory, &d);
        let _ = verdict(&engine, &Value::from_json(&tenant(true)), &d);
    }

    #[test]
    fn verdict_ignores_key_order(reqs in proptest::collection::vec(request(), 1..3)) {
        let engine = Engine::new().expect("engine");
        let t = Value::from_json(&tenant(true));
        let d = description(&reqs);
        prop_assert_eq!(verdict(&engine, &t, &d), verdict(&engine, &reorder(&t), &reorder(&d)));
    }

    #[test]
    fn verdict_ignores_id_or_name_references(reqs in proptest::collection::vec(request(), 1..3)) {
        let engine = Engine::new().expect("engine");
        let d = description(&reqs);
        prop_assert_eq!(
            verdict(&engine, &Value::from_json(&tenant(true)), &d),
            verdict(&engine, &Value::from_json(&tenant(false)), &d)
        );
    }

    #[test]
    fn output_is_deterministic(reqs in proptest::collection::vec(request(), 1..3)) {
        let engine = Engine::new().expect("engine");
        let t = Value::from_json(&tenant(true));
        let (tenant, _) = engine.read_inventory(&t);
        let read = engine.read_description(&description(&reqs));
        for r in &read.description.requests {
            let a = engine.validate(Some(&tenant), r);
            let b = engine.validate(Some(&tenant), r);
            prop_assert_eq!(&a, &b);
            let mut sorted = a.clone();
            sorted.sort_by(|x, y| (x.location.origin, &x.location.pointer, x.rule).cmp(&(y.location.origin, &y.location.pointer, y.rule)));
            prop_assert_eq!(a, sorted);
        }
    }
}

#[test]
fn engine_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Engine>();
    assert_send_sync::<embedguard_core::inventory::Tenant>();
}
