//! Per-request lookups must not grow with the tenant. The service principal of a multi-tenant
//! app is a user of every customer's workspace; a lookup that walks all of its edges made
//! `validate` 40× slower at 100,000 workspaces than at 10 (bench/run, BENCHMARKS.md).

use std::time::{Duration, Instant};

use embedguard_core::inventory::{RoleFact, Tenant, WorkspaceRole};
use embedguard_core::value::Value;
use embedguard_core::Engine;
use serde_json::json;

/// A tenant of `workspaces` workspaces, `embed-sp` Member of each, one on-premises dataset in
/// the first on a gateway `embed-sp` administers, one more it may impersonate on.
fn tenant(workspaces: usize) -> Tenant {
    let gateway = "30332ac9-77d3-4d1e-a257-ccc26095bea1";
    let ws: Vec<_> = (0..workspaces)
        .map(|i| json!({ "id": format!("ws-{i}"), "type": "new", "users": { "embed-sp": "Member" } }))
        .collect();
    let doc = json!({
        "principals": [{
            "name": "embed-sp", "kind": "service_principal",
            "permissions": { "gateway_admin": [gateway], "read_override_effective_identity": ["override"] }
        }],
        "workspaces": ws,
        "datasets": [
            { "id": "onprem", "workspace": "ws-0", "rls": "as_on_premises", "gateway": gateway },
            { "id": "override", "workspace": "ws-0", "rls": "as_on_premises" },
        ],
    });
    let engine = Engine::new().expect("engine");
    let (tenant, findings) = engine.read_inventory(&Value::from_json(&doc));
    assert!(findings.is_empty(), "{findings:?}");
    tenant
}

/// Time of `n` rounds of the three principal-to-item lookups, and what they answered.
fn lookups(t: &Tenant, n: usize) -> (Duration, (RoleFact, Option<bool>, bool)) {
    let sp = t.principal("embed-sp").expect("principal");
    let ws = t.workspace("ws-0").expect("workspace");
    let onprem = t.dataset("onprem").expect("dataset");
    let over = t.dataset("override").expect("dataset");
    let answer = (
        t.role(sp, ws),
        t.is_gateway_admin_for(sp, onprem),
        t.can_override_identity(sp, over),
    );
    let start = Instant::now();
    for _ in 0..n {
        std::hint::black_box((
            t.role(sp, ws),
            t.is_gateway_admin_for(sp, onprem),
            t.is_gateway_admin_for(sp, over),
            t.can_override_identity(sp, over),
        ));
    }
    (start.elapsed(), answer)
}

#[test]
fn principal_lookups_stay_flat_as_the_tenant_grows() {
    let small = tenant(2);
    let large = tenant(50_000);
    let expected = (RoleFact::Role(WorkspaceRole::Member), Some(true), true);
    // Best of three, so a burst of load elsewhere does not decide the test.
    let best = |t: &Tenant| {
        (0..3)
            .map(|_| {
                let (d, answer) = lookups(t, 2_000);
                assert_eq!(answer, expected);
                d
            })
            .min()
            .unwrap_or_default()
    };
    let (s, l) = (best(&small), best(&large));
    // Walking the service principal's 50,000 edges made this thousands of times slower; from
    // the item's side it is the same work at any size.
    assert!(
        l < s * 20 + Duration::from_millis(5),
        "2 workspaces: {s:?}, 50,000 workspaces: {l:?}"
    );
}

#[test]
fn a_principal_listed_twice_gets_its_last_role_as_before() {
    let doc = json!({
        "principals": [
            { "name": "sp", "kind": "service_principal", "object_id": "f6334971-c3ec-4497-8188-50d5150711ec" },
            { "name": "other", "kind": "service_principal" },
        ],
        "workspaces": [{ "id": "w", "type": "new", "users": {
            "sp": "Viewer", "F6334971-C3EC-4497-8188-50D5150711EC": "Admin"
        } }],
        "datasets": [{ "id": "d", "workspace": "w", "rls": "as_on_premises" }],
    });
    let (t, _) = Engine::new()
        .expect("engine")
        .read_inventory(&Value::from_json(&doc));
    let (sp, other) = (
        t.principal("sp").expect("sp"),
        t.principal("other").expect("other"),
    );
    let (w, d) = (t.workspace("w").expect("w"), t.dataset("d").expect("d"));
    // Listed by object id and by name: the later entry counts (serde_json sorts the keys, so the
    // object id comes first and `sp: Viewer` last).
    assert_eq!(t.role(sp, w), RoleFact::Role(WorkspaceRole::Viewer));
    assert_eq!(t.role(other, w), RoleFact::NotListed);
    // Gateway unknown, and the caller administers none: certainly not its admin.
    assert_eq!(t.is_gateway_admin_for(sp, d), Some(false));
    assert!(!t.can_override_identity(sp, d));
}
