//! End-to-end: `embedguard.toml`, `--select`/`--ignore`, inline suppressions, walking.

mod common;

use std::path::Path;

use common::{embedguard, scratch};

/// `(file, line, code, severity)` of one diagnostic.
type Found = (String, u64, String, String);

/// Every diagnostic, and the exit code.
fn check(dir: &Path, args: &[&str]) -> (Vec<Found>, Option<i32>) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = embedguard(&all, dir);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let found = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
                d["code"].as_str().unwrap_or_default().to_string(),
                d["severity"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    (found, out.status.code())
}

const TENANT: &str = "principals:\n  - { name: sp, kind: service_principal }\n  - { name: mu, kind: master_user, upn: mu@contoso.com }\nworkspaces:\n  - { id: 3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c, name: Sales, type: new, users: { sp: Member, mu: Member } }\ndatasets:\n  - { id: 0c9d8e7f-6a5b-4c3d-8e1f-0a9b8c7d6e5f, name: Model, workspace: Sales, rls: cloud, roles: [Customer] }\nreports:\n  - { id: 8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d, name: Report, workspace: Sales, dataset: Model }\n";

/// A master user without identity on cloud RLS (EG302 warning at the `body:` line 6) with a
/// lowercase access level (EG010 warning, line 7).
const DESCRIPTION: &str = "embedguard: 1\nrequests:\n  - name: r\n    caller: mu\n    path: /v1.0/myorg/groups/3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c/reports/8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/GenerateToken\n    body:\n      accessLevel: view\n";

fn codes(found: &[Found]) -> Vec<(&str, &str)> {
    found
        .iter()
        .map(|(_, _, c, s)| (c.as_str(), s.as_str()))
        .collect()
}

#[test]
fn configuration_selects_ignores_overrides_and_names_the_inventory() {
    let dir = scratch(
        "toml",
        &[
            ("tenant.yaml", TENANT),
            (
                "embedguard.toml",
                "inventory = \"tenant.yaml\"\nignore = [\"enum-case\"]\n[severity]\nEG302 = \"error\"\n",
            ),
            ("apps/portal.yaml", DESCRIPTION),
        ],
    );
    // The file two directories down finds the configuration and, through it, the inventory.
    let (found, code) = check(&dir, &["apps"]);
    assert_eq!(codes(&found), vec![("EG302", "error")]);
    assert_eq!(code, Some(1));

    // The command line replaces the selection and adds to the ignores.
    let (found, _) = check(&dir, &["--select", "EG0", "apps"]);
    assert!(found.is_empty(), "{found:?}");
    let (found, code) = check(&dir, &["--ignore", "EG302", "apps"]);
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(code, Some(0));

    // --isolated reads no configuration: no inventory, default severities.
    let (found, _) = check(&dir, &["--isolated", "apps"]);
    assert_eq!(codes(&found), vec![("EG010", "warning")]);
}

#[test]
fn per_file_ignores_match_globs_relative_to_the_configuration() {
    let dir = scratch(
        "per-file",
        &[
            ("tenant.yaml", TENANT),
            (
                "embedguard.toml",
                "inventory = \"tenant.yaml\"\n[per-file-ignores]\n\"legacy/*.yaml\" = [\"EG3\"]\n",
            ),
            ("legacy/old.yaml", DESCRIPTION),
            ("apps/new.yaml", DESCRIPTION),
        ],
    );
    let (found, _) = check(&dir, &["."]);
    let got: Vec<(&str, &str)> = found
        .iter()
        .map(|(f, _, c, _)| (f.as_str(), c.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("apps/new.yaml", "EG302"),
            ("apps/new.yaml", "EG010"),
            ("legacy/old.yaml", "EG010"),
        ]
    );
}

#[test]
fn a_broken_configuration_is_located_and_stops_the_run() {
    let dir = scratch(
        "broken",
        &[
            ("embedguard.toml", "ignore = [\"EG3O2\"]\n"),
            ("a.yaml", DESCRIPTION),
        ],
    );
    let out = embedguard(&["check", "a.yaml"], &dir);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("embedguard.toml:1:11"), "{text}");
    assert!(text.contains("`EG3O2` names no rule"), "{text}");
    assert!(text.contains("did you mean `EG302`?"), "{text}");

    let out = embedguard(&["check", "--select", "EG99", "a.yaml"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("--select: `EG99` names no rule"));

    let dir = scratch(
        "unknown-key",
        &[("embedguard.toml", "selct = []\n"), ("a.yaml", DESCRIPTION)],
    );
    let (found, code) = check(&dir, &["a.yaml"]);
    assert_eq!(code, Some(2));
    assert_eq!(found[0].0, "embedguard.toml");
    assert_eq!(found[0].1, 1);
}

#[test]
fn inline_suppressions_silence_their_line_and_report_when_stale() {
    let suppressed = DESCRIPTION
        .replace(
            "    body:\n",
            "    body:  # embedguard: ignore[EG302] every row is meant to be seen\n",
        )
        .replace(
            "      accessLevel: view\n",
            "      # embedguard: ignore[EG010, EG301] as the sample sends it\n      accessLevel: view\n",
        );
    let dir = scratch(
        "suppress",
        &[("tenant.yaml", TENANT), ("a.yaml", &suppressed)],
    );
    let (found, code) = check(&dir, &["--inventory", "tenant.yaml", "a.yaml"]);
    // Both findings are silenced; the EG301 in the second comment silences nothing.
    assert_eq!(
        found,
        vec![(
            "a.yaml".to_string(),
            7,
            "EG012".to_string(),
            "warning".to_string()
        )]
    );
    assert_eq!(code, Some(0));
    // A rule the configuration turns off is not reported as an unused suppression.
    let (found, _) = check(
        &dir,
        &["--inventory", "tenant.yaml", "--ignore", "EG301", "a.yaml"],
    );
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn walking_skips_gitignored_files_and_output_is_deterministic() {
    let bad = DESCRIPTION.replace("caller: mu", "caller: nobody");
    let mut files: Vec<(String, String)> = vec![
        ("tenant.yaml".into(), TENANT.into()),
        (".gitignore".into(), "generated/\n".into()),
        ("generated/skip.yaml".into(), bad.clone()),
        // Other tools' files: not judged, whether they parse or not.
        (
            "package.json".into(),
            "{\"name\": \"portal\", \"version\": \"1.0.0\"}".into(),
        ),
        (
            "ci/workflow.yml".into(),
            "on: push\njobs:\n  test: { runs-on: ubuntu-latest }\n".into(),
        ),
        (
            "chart/templates/deployment.yaml".into(),
            "metadata:\n  name: {{ .Release.Name }\n".into(),
        ),
    ];
    for i in 0..40 {
        files.push((format!("apps/{i:02}.yaml"), bad.clone()));
    }
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = scratch("walk", &borrowed);
    let args = [
        "check",
        "--format",
        "json",
        "--inventory",
        "tenant.yaml",
        ".",
    ];
    let first = embedguard(&args, &dir);
    let json: serde_json::Value = serde_json::from_slice(&first.stdout).expect("json");
    assert_eq!(json["summary"]["files"], 40, "generated/ is ignored");
    let text = String::from_utf8_lossy(&first.stdout);
    assert!(!text.contains("generated/"), "{text}");
    assert!(
        !text.contains("package.json") && !text.contains("ci/"),
        "{text}"
    );
    assert!(!text.contains("chart/"), "{text}");
    for _ in 0..3 {
        assert_eq!(embedguard(&args, &dir).stdout, first.stdout);
    }
    // Named explicitly (as pre-commit does), another tool's file is still not judged.
    let (found, code) = check(&dir, &["package.json", "ci/workflow.yml"]);
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(code, Some(0));
}
