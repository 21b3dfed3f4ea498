//! End-to-end: the command line's contract (SPEC §2): subcommands, formats, exit codes.

mod common;

use common::{embedguard, root, scratch};

const TENANT: &str = "principals:\n  - { name: sp, kind: service_principal }\nworkspaces:\n  - { id: 3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c, name: Sales, type: new, users: { sp: Member } }\ndatasets:\n  - { id: 0c9d8e7f-6a5b-4c3d-8e1f-0a9b8c7d6e5f, name: Model, workspace: Sales, rls: none }\nreports:\n  - { id: 8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d, name: Report, workspace: Sales, dataset: Model }\n";
const CLEAN: &str = "embedguard: 1\ninventory: tenant.yaml\nrequests:\n  - name: ok\n    caller: sp\n    path: /v1.0/myorg/GenerateToken\n    body:\n      reports: [{ id: 8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d }]\n      datasets: [{ id: 0c9d8e7f-6a5b-4c3d-8e1f-0a9b8c7d6e5f }]\n";

#[test]
fn clean_file_exits_0_and_errors_exit_1() {
    let dir = scratch(
        "exit",
        &[
            ("tenant.yaml", TENANT),
            ("ok.yaml", CLEAN),
            ("bad.yaml", &CLEAN.replace("caller: sp", "caller: nobody")),
        ],
    );
    let ok = embedguard(&["check", "ok.yaml"], &dir);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    let bad = embedguard(&["check", "--format", "json", "bad.yaml"], &dir);
    assert_eq!(bad.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&bad.stdout).expect("json");
    assert_eq!(json["version"], 1);
    let d = &json["diagnostics"][0];
    assert_eq!(
        (d["code"].as_str(), d["line"].as_u64(), d["column"].as_u64()),
        (Some("EG008"), Some(5), Some(13))
    );
    assert_eq!(d["pointer"], "/requests/0/caller");
    assert_eq!(d["request"], "ok");
    assert_eq!(json["summary"]["requests"], 1);
    assert_eq!(json["summary"]["errors"], 1);
}

#[test]
fn syntax_errors_and_missing_files_exit_2_with_a_location() {
    let dir = scratch(
        "syntax",
        &[("broken.yaml", "embedguard: 1\nrequests: [\n  - a: b\n")],
    );
    let out = embedguard(&["check", "--format", "json", "broken.yaml"], &dir);
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["diagnostics"][0]["code"], "EG001");
    assert!(json["diagnostics"][0]["line"]
        .as_u64()
        .is_some_and(|l| l >= 2));
    let missing = embedguard(&["check", "nope.yaml"], &dir);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn deny_warnings_turns_warnings_into_failure() {
    let body = CLEAN.replace("caller: sp", "caller: sp\n    scenario: embed_for_customers").replace(
        "path: /v1.0/myorg/GenerateToken\n    body:\n      reports: [{ id: 8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d }]\n      datasets: [{ id: 0c9d8e7f-6a5b-4c3d-8e1f-0a9b8c7d6e5f }]",
        "path: /v1.0/myorg/groups/3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c/datasets/not-a-guid/GenerateToken\n    body: { accessLevel: View }",
    );
    let dir = scratch("deny", &[("tenant.yaml", TENANT), ("warn.yaml", &body)]);
    let plain = embedguard(&["check", "warn.yaml"], &dir);
    assert_eq!(
        plain.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&plain.stdout)
    );
    assert!(String::from_utf8_lossy(&plain.stdout).contains("EG006"));
    let denied = embedguard(&["check", "--deny", "warnings", "warn.yaml"], &dir);
    assert_eq!(denied.status.code(), Some(1));
}

#[test]
fn rules_and_explain() {
    let out = embedguard(&["rules", "--format", "json"], &root());
    assert_eq!(out.status.code(), Some(0));
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let list = rules.as_array().expect("array");
    assert_eq!(list.len(), embedguard_core::Rule::all().count());
    assert!(list.iter().any(|r| r["code"] == "EG301"
        && r["name"] == "rls-identity-required"
        && r["severity"] == "error"));
    let page = embedguard(&["explain", "rls-identity-required"], &root());
    assert!(String::from_utf8_lossy(&page.stdout).starts_with("# EG301 rls-identity-required"));
    assert_eq!(
        embedguard(&["explain", "EG999"], &root()).status.code(),
        Some(2)
    );
    // A pasted Power BI error, quoted or as loose words: the matching rules, then the best page.
    let pasted = embedguard(
        &[
            "explain",
            r#"{"error":{"code":"InvalidRequest","message":"Creating embed token for accessing dataset 7456157a-7cbc-4377-ab13-d9f6ee7ff72c requires effective identity to be provided"}}"#,
        ],
        &root(),
    );
    assert_eq!(pasted.status.code(), Some(0));
    let text = String::from_utf8_lossy(&pasted.stdout);
    // D1 is Power BI's answer both to an RLS dataset (EG301) and to an Analysis Services live
    // model (EG319) without identity.
    assert!(text.starts_with("Power BI's answer matches 2 rules:\n  EG301  rls-identity-required"));
    assert!(text.contains("\n  EG319  as-live-identity"));
    assert!(text.contains("\n# EG301 rls-identity-required\n"));
    let words: Vec<&str> =
        "InvalidRequest-Creating embed token with multiple identities is not supported"
            .split(' ')
            .collect();
    let loose = embedguard(&[&["explain"], &words[..]].concat(), &root());
    assert!(String::from_utf8_lossy(&loose.stdout).contains("EG316  v1-multiple-identities"));
    let unknown = embedguard(&["explain", "the report stays blank"], &root());
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no rule page quotes"));
    assert_eq!(
        embedguard(&["check"], &root()).status.code(),
        Some(2),
        "no paths is a usage error"
    );
}

#[test]
fn json_and_yaml_descriptions_agree() {
    let json = r#"{"embedguard": 1, "inventory": "tenant.yaml", "requests": [{"name": "ok", "caller": "nobody", "path": "/v1.0/myorg/GenerateToken", "body": {"reports": [{"id": "8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"}]}}]}"#;
    let dir = scratch("json", &[("tenant.yaml", TENANT), ("a.json", json)]);
    let out = embedguard(&["check", "--format", "json", "a.json"], &dir);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let d = &v["diagnostics"][0];
    assert_eq!(
        (d["code"].as_str(), d["line"].as_u64(), d["column"].as_u64()),
        (Some("EG008"), Some(1), Some(85))
    );
}

#[test]
fn schema_prints_the_committed_schemas() {
    for (arg, file) in [
        ("description", "schemas/description.schema.json"),
        ("inventory", "schemas/inventory.schema.json"),
    ] {
        let out = embedguard(&["schema", arg], &root());
        assert_eq!(out.status.code(), Some(0));
        let committed = std::fs::read(root().join(file)).expect("schema file");
        assert_eq!(out.stdout, committed, "{arg}");
    }
}

#[test]
fn inventory_on_the_command_line_completes_an_inline_tenant() {
    // The inline tenant declares the caller only; the workspace, dataset and report come from
    // --inventory. The workspace is classic there, so the service principal's request is EG104,
    // with the workspace shown in the shared file.
    let shared = "principals:\n  - { name: sp, kind: master_user }\nworkspaces:\n  - { id: 3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c, name: Sales, type: classic, users: { sp: Admin } }\ndatasets:\n  - { id: 0c9d8e7f-6a5b-4c3d-8e1f-0a9b8c7d6e5f, name: Model, workspace: Sales, rls: none }\nreports:\n  - { id: 8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d, name: Report, workspace: Sales, dataset: Model }\n";
    let description = "embedguard: 1\ntenant:\n  principals:\n    - { name: sp, kind: service_principal }\nrequests:\n  - name: r\n    caller: sp\n    path: /v1.0/myorg/groups/3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c/reports/8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/GenerateToken\n    body: { accessLevel: View }\n";
    let dir = scratch(
        "inline-merge",
        &[("shared.yaml", shared), ("app.yaml", description)],
    );
    let codes = |args: &[&str]| {
        let out = embedguard(args, &dir);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        json["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or_default().to_string(),
                    d["file"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect::<Vec<_>>()
    };
    // Alone, the inline tenant knows neither the workspace nor the report.
    let alone = codes(&["check", "--format", "json", "app.yaml"]);
    assert!(
        alone
            .iter()
            .any(|(c, f)| c == "EG008" && f.ends_with("app.yaml")),
        "{alone:?}"
    );
    // Merged: the inline `sp` wins (a service principal, not the shared master user, who as
    // Admin could use a classic workspace), and the classic-workspace finding shows the
    // workspace in the shared file.
    let merged = codes(&[
        "check",
        "--format",
        "json",
        "--inventory",
        "shared.yaml",
        "app.yaml",
    ]);
    assert!(merged.iter().all(|(c, _)| c != "EG008"), "{merged:?}");
    let eg104 = merged
        .iter()
        .find(|(c, _)| c == "EG104")
        .unwrap_or_else(|| panic!("no EG104 in {merged:?}"));
    assert!(eg104.1.ends_with("app.yaml"), "{merged:?}");
    let human = embedguard(&["check", "--inventory", "shared.yaml", "app.yaml"], &dir);
    let human = String::from_utf8_lossy(&human.stdout);
    assert!(
        human.contains("classic workspace declared here") && human.contains("[shared.yaml:4:"),
        "the classic workspace is shown where it is declared:\n{human}"
    );
}
