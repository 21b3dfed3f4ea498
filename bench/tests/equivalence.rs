//! Before anything is timed: the Rego peer and embedguard must fire the same seed-matrix codes
//! on every request the benchmark uses — and on every other fixture request with an inventory,
//! so the policy is not tuned to the benchmark's sample. A difference is a bug in the policy (or,
//! if embedguard is the one that is wrong, a report for the core; never a silent skip).

use std::collections::BTreeMap;

use embedguard_bench::fixtures::{self, Selection};
use embedguard_bench::peer::{tenant_data, Peer};
use embedguard_bench::{embedguard_e2e, scale, seed_codes};
use embedguard_core::Engine;

#[test]
fn rego_policy_fires_the_same_seed_codes_as_embedguard() {
    let engine = Engine::new().expect("engine");
    let (cases, tenants) = fixtures::load(&engine, Selection::All).expect("fixtures");
    let peers: BTreeMap<_, _> = tenants
        .iter()
        .map(|(path, t)| {
            let peer = Peer::new(tenant_data(&t.document))
                .unwrap_or_else(|e| panic!("policy for {}: {e}", path.display()));
            (path.clone(), peer)
        })
        .collect();
    let mut differences = Vec::new();
    let mut fired = 0;
    for case in &cases {
        let tenant = &tenants[&case.tenant].tenant;
        let ours = seed_codes(&embedguard_e2e(&engine, tenant, &case.json).expect("parses"));
        let theirs = peers[&case.tenant]
            .eval_bytes(&case.json)
            .map(|d| Peer::codes(&d))
            .unwrap_or_else(|e| panic!("{}: rego: {e}", case.label));
        if ours != theirs {
            differences.push(format!(
                "{}: embedguard {ours:?}, rego {theirs:?}",
                case.label
            ));
        }
        fired += usize::from(!ours.is_empty());
    }
    assert!(
        differences.is_empty(),
        "{} of {} requests differ:\n{}",
        differences.len(),
        cases.len(),
        differences.join("\n")
    );
    // The comparison means something only if the fixtures make the checks fire.
    assert!(cases.len() > 200, "only {} requests", cases.len());
    assert!(fired > 40, "only {fired} requests fire a seed-matrix rule");
}

#[test]
fn the_benchmark_sample_covers_both_endpoints_and_every_seed_code() {
    let engine = Engine::new().expect("engine");
    let (cases, tenants) = fixtures::load(&engine, Selection::Benchmark).expect("fixtures");
    assert!(cases.iter().any(|c| c.v2) && cases.iter().any(|c| !c.v2));
    let mut seen = std::collections::BTreeSet::new();
    for case in &cases {
        let tenant = &tenants[&case.tenant].tenant;
        seen.extend(seed_codes(
            &embedguard_e2e(&engine, tenant, &case.json).expect("parses"),
        ));
        embedguard_bench::floor::parse(&case.json)
            .unwrap_or_else(|e| panic!("{}: the floor cannot read it: {e}", case.label));
    }
    let missing: Vec<_> = embedguard_bench::SEED_CODES
        .iter()
        .filter(|c| !seen.contains(**c))
        .collect();
    assert!(missing.is_empty(), "never fired: {missing:?}");
}

#[test]
fn generated_inventories_keep_the_fixture_verdicts() {
    let engine = Engine::new().expect("engine");
    let (cases, tenants) = fixtures::load(&engine, Selection::Benchmark).expect("fixtures");
    let shared = fixtures::repo_root()
        .join("fixtures/tenant.yaml")
        .canonicalize()
        .expect("tenant");
    let fixture = &tenants[&shared];
    for size in [10, 1_000] {
        let text = scale::inventory_json(&fixture.document, size);
        let doc = scale::document(text.as_bytes()).expect("generated JSON parses");
        let (big, findings) = engine.read_inventory(&doc);
        assert!(findings.is_empty(), "{size}: {findings:?}");
        assert_eq!(big.inventory().workspaces.len(), size, "{size} workspaces");
        for case in cases.iter().filter(|c| c.tenant == shared) {
            let request = embedguard_bench::read_request(&engine, &case.json).expect("request");
            let key =
                |f: &embedguard_core::Finding| (f.rule, f.location.clone(), f.message.clone());
            let small: Vec<_> = engine
                .validate(Some(&fixture.tenant), &request)
                .iter()
                .map(key)
                .collect();
            let large: Vec<_> = engine
                .validate(Some(&big), &request)
                .iter()
                .map(key)
                .collect();
            assert_eq!(small, large, "{size}: {}", case.label);
        }
    }
}
