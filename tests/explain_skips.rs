//! End-to-end: `check --explain-skips` lists the rules that could not judge a request for want
//! of a tenant fact, with the fact, the value that would make them speak and what they would
//! say — and changes nothing else.

mod common;

use common::{embedguard, root, scratch};
use serde_json::Value;

const SAMPLE: &str = "fixtures/explain-skips/portal.yaml";

fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = embedguard(args, &root());
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("utf-8 output"),
    )
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&run(args).1).expect("json output")
}

#[test]
fn the_sample_is_clean_but_not_fully_judged() {
    let (code, human) = run(&["check", "--explain-skips", SAMPLE]);
    assert_eq!(code, Some(0), "notes never change the exit code:\n{human}");
    insta::assert_snapshot!("explain_skips_human", human);
}

#[test]
fn each_skip_names_the_missing_fact_its_value_and_what_the_rule_would_say() {
    let out = json(&["check", "--explain-skips", "--format", "json", SAMPLE]);
    assert_eq!(out["summary"]["errors"], 0);
    let skips = out["skips"].as_array().expect("skips");
    let codes: Vec<&str> = skips.iter().filter_map(|s| s["code"].as_str()).collect();
    for code in ["EG111", "EG301", "EG305", "EG307", "EG319", "EG404"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    let eg301 = skips.iter().find(|s| s["code"] == "EG301").expect("EG301");
    assert_eq!(eg301["request"], "customer-portal");
    assert_eq!(eg301["pointer"], "/requests/0/body");
    assert_eq!(eg301["line"], 31);
    let assumed = eg301["assumed"].as_array().expect("assumed");
    assert_eq!(assumed.len(), 1);
    assert_eq!(assumed[0]["entity_kind"], "dataset");
    assert_eq!(assumed[0]["entity"], "Sales model");
    assert_eq!(assumed[0]["key"], "rls");
    assert_eq!(assumed[0]["value"], "cloud");
    assert_eq!(assumed[0]["line"], 18, "the dataset's place in the file");
    assert!(eg301["would_report"]
        .as_str()
        .expect("would_report")
        .contains("no identity covers dataset `Sales model`"));
    // EG305 needs two facts at once: the caller's permissions and the dataset's RLS.
    let eg305 = skips.iter().find(|s| s["code"] == "EG305").expect("EG305");
    let keys: Vec<&str> = eg305["assumed"]
        .as_array()
        .expect("assumed")
        .iter()
        .filter_map(|a| a["key"].as_str())
        .collect();
    assert_eq!(keys, ["permissions", "rls"]);
    // `--format short`: one line per skip, at the same place.
    let (_, short) = run(&["check", "--explain-skips", "--format", "short", SAMPLE]);
    assert!(
        short.lines().any(|l| l.starts_with(
            "fixtures/explain-skips/portal.yaml:31:5: EG301 note: not judged: the inventory does not give the `rls` of dataset `Sales model`; with `rls: cloud` on `Sales model` it would report: "
        )),
        "{short}"
    );
    assert_eq!(short.lines().count(), skips.len());
}

#[test]
fn without_the_flag_the_output_is_what_it_was() {
    for path in [SAMPLE, "fixtures/rules/EG301/fail.yaml"] {
        let plain = json(&["check", "--format", "json", path]);
        assert!(
            plain.get("skips").is_none(),
            "no `skips` key without the flag"
        );
        let explained = json(&["check", "--explain-skips", "--format", "json", path]);
        assert_eq!(plain["diagnostics"], explained["diagnostics"]);
        assert_eq!(plain["summary"], explained["summary"]);
        let (code, _) = run(&["check", path]);
        let (explained_code, _) = run(&["check", "--explain-skips", path]);
        assert_eq!(code, explained_code);
    }
}

#[test]
fn a_rule_already_reporting_at_a_place_is_not_listed_there() {
    // The failing EG301 fixture: EG301 fires on every request it names, so it is never listed
    // as unable to judge the same place.
    let out = json(&[
        "check",
        "--explain-skips",
        "--format",
        "json",
        "fixtures/rules/EG301/fail.yaml",
    ]);
    let fired: Vec<(Value, Value)> = out["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| (d["code"].clone(), d["pointer"].clone()))
        .collect();
    for skip in out["skips"].as_array().expect("skips") {
        let place = (skip["code"].clone(), skip["pointer"].clone());
        assert!(
            !fired.contains(&place),
            "{place:?} both fired and not judged"
        );
    }
}

#[test]
fn selection_applies_to_the_rules_listed() {
    let only = json(&[
        "check",
        "--explain-skips",
        "--select",
        "EG301",
        "--format",
        "json",
        SAMPLE,
    ]);
    let codes: Vec<&str> = only["skips"]
        .as_array()
        .expect("skips")
        .iter()
        .filter_map(|s| s["code"].as_str())
        .collect();
    assert_eq!(codes, ["EG301"]);
    let ignored = json(&[
        "check",
        "--explain-skips",
        "--ignore",
        "EG301",
        "--format",
        "json",
        SAMPLE,
    ]);
    assert!(!ignored["skips"]
        .as_array()
        .expect("skips")
        .iter()
        .any(|s| s["code"] == "EG301"));
}

#[test]
fn a_tenant_stating_every_fact_leaves_nothing_to_explain() {
    let full = std::fs::read_to_string(root().join(SAMPLE))
        .expect("sample")
        .replace(
            "      kind: service_principal\n",
            "      kind: service_principal\n      api_permissions: []\n      permissions: {}\n",
        )
        .replace(
            "      type: new\n",
            "      type: new\n      capacity: A1\n",
        )
        .replace(
            "      workspace: Sales\n      # Left out",
            "      workspace: Sales\n      rls: none\n      roles: []\n      connection: import\n      # Left out",
        );
    let dir = scratch("explain-skips-full", &[("portal.yaml", &full)]);
    let out = embedguard(
        &[
            "check",
            "--explain-skips",
            "--format",
            "json",
            "portal.yaml",
        ],
        &dir,
    );
    let out: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(out["summary"]["errors"], 0, "{out}");
    assert_eq!(out["skips"], serde_json::json!([]), "{out}");
}

#[test]
fn without_an_inventory_the_file_gets_one_note() {
    let dir = scratch(
        "explain-skips-none",
        &[(
            "bare.yaml",
            "embedguard: 1\nrequests:\n  - name: bare\n    caller: app\n    path: /v1.0/myorg/GenerateToken\n    body:\n      reports: [{ id: 37f4169b-c0ed-4711-8d33-a24585e4cd9a }]\n",
        )],
    );
    let out = embedguard(
        &["check", "--explain-skips", "--format", "json", "bare.yaml"],
        &dir,
    );
    let out: Value = serde_json::from_slice(&out.stdout).expect("json");
    let skips = out["skips"].as_array().expect("skips");
    assert_eq!(skips.len(), 1, "{skips:?}");
    assert_eq!(skips[0]["code"], Value::Null);
    assert_eq!(skips[0]["file"], "bare.yaml");
    assert!(skips[0]["message"]
        .as_str()
        .expect("message")
        .starts_with("no inventory"));
    let short = embedguard(
        &["check", "--explain-skips", "--format", "short", "bare.yaml"],
        &dir,
    );
    assert!(String::from_utf8_lossy(&short.stdout).contains("bare.yaml: note: no inventory"));
}
