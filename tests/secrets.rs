//! End-to-end: a secret written into a checked file (EG501) is reported, and no output format
//! ever prints it — not in messages, not in help, not in the quoted source lines of any
//! diagnostic, not in the rule pages SARIF embeds. At most its first four characters appear.

mod common;

use common::{assert_never_shown, embedguard, root, scratch, FIXTURE_SECRETS};

const FORMATS: &[&str] = &["human", "json", "short", "sarif", "github"];

#[test]
fn no_format_prints_a_secret_of_the_failing_fixture() {
    let fixture = "fixtures/rules/EG501/fail.yaml";
    let text = std::fs::read_to_string(root().join(fixture)).expect("fixture");
    for secret in FIXTURE_SECRETS {
        assert!(
            text.contains(secret),
            "the fixture no longer holds {secret}"
        );
    }
    for (format, explain) in FORMATS.iter().flat_map(|f| [(*f, false), (*f, true)]) {
        let mut args = vec!["check", "--format", format, fixture];
        if explain {
            // The notes of the rules that could not judge quote the would-be findings too.
            args.push("--explain-skips");
        }
        let out = embedguard(&args, &root());
        assert_eq!(out.status.code(), Some(1), "{format}");
        let stdout = String::from_utf8(out.stdout).expect("utf-8");
        let stderr = String::from_utf8(out.stderr).expect("utf-8");
        assert!(stdout.contains("EG501"), "{format}: {stdout}");
        assert_never_shown(&stdout, FIXTURE_SECRETS, format);
        assert_never_shown(&stderr, FIXTURE_SECRETS, format);
    }
    // The human format says what it found: kind, key, first characters, length.
    let out = embedguard(&["check", fixture], &root());
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(
        human.contains(
            "a bearer token is written under `Authorization`: \"eyJ0…\" (226 characters)"
        ),
        "{human}"
    );
    assert!(human.contains("Authorization: \"Bearer eyJ0…\""), "{human}");
}

#[test]
fn secrets_in_inventories_comments_and_other_rules_messages_stay_hidden() {
    let token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJGQUtFLXRlc3QifQ.RkFLRS1zaWduYXR1cmUtdGVzdA";
    let secret = "Tst8Q~FAKE-FAKE-FAKE-FAKE-FAKE-FAKE-FAKE";
    let tenant = format!(
        "principals:\n  - name: sp\n    kind: service_principal\n    app_secret: {secret}\n\
         workspaces:\n  - {{ id: 3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c, name: Sales, type: new, users: {{ sp: Member }} }}\n\
         datasets:\n  - {{ id: 0c9d8e7f-6a5b-4c3d-8e1f-0a9b8c7d6e5f, name: Model, workspace: Sales, rls: none }}\n\
         reports:\n  - {{ id: 8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d, name: Report, workspace: Sales, dataset: Model }}\n"
    );
    let description = format!(
        "embedguard: 1\ninventory: tenant.yaml\nrequests:\n  - name: leaky\n    caller: sp\n\
         \x20   path: /v1.0/myorg/groups/3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c/reports/8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/GenerateToken\n\
         \x20   headers:\n      # the token of yesterday's test: {token}\n\
         \x20     X-PowerBI-Profile-Id: \"{token}\"\n\
         \x20   body:\n      accessLevel: View\n      apiSecret: {secret}  # embedguard: ignore[EG501] checked by another test\n"
    );
    let dir = scratch(
        "secrets",
        &[("tenant.yaml", &tenant), ("leaky.yaml", &description)],
    );
    for format in FORMATS {
        let out = embedguard(&["check", "--format", format, "leaky.yaml"], &dir);
        let stdout = String::from_utf8(out.stdout).expect("utf-8");
        // The inventory's secret, the header's token (also quoted by EG006), the suppressed one
        // (still on a line that EG003 quotes) and the copy in a comment.
        assert!(stdout.contains("EG501"), "{format}: {stdout}");
        assert!(stdout.contains("EG006"), "{format}: {stdout}");
        assert_never_shown(&stdout, &[token, secret], format);
    }
    let out = embedguard(&["check", "--format", "json", "leaky.yaml"], &dir);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let places: Vec<(String, u64)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "EG501")
        .map(|d| {
            (
                d["file"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        places,
        vec![
            ("leaky.yaml".to_string(), 9),
            ("tenant.yaml".to_string(), 4)
        ]
    );
}

#[test]
fn a_secret_a_would_be_finding_quotes_is_cut_from_the_explain_skips_notes() {
    // The dataset's roles are unknown, so with `--explain-skips` EG317 says what it would
    // report: the role name, which is a (FAKE) token.
    let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    let description = format!(
        "embedguard: 1\ntenant:\n  principals:\n    - {{ name: app, kind: service_principal }}\n  workspaces:\n    - {{ id: 6dfe520a-fe74-4854-b72f-23ade2723cc9, name: Sales, type: new, users: {{ app: Member }} }}\n  datasets:\n    - {{ id: 7456157a-7cbc-4377-ab13-d9f6ee7ff72c, name: Model, workspace: Sales, rls: cloud }}\nrequests:\n  - name: leak\n    caller: app\n    path: /v1.0/myorg/GenerateToken\n    body:\n      datasets: [{{ id: 7456157a-7cbc-4377-ab13-d9f6ee7ff72c }}]\n      identities:\n        - {{ username: alice, roles: [\"{token}\"], datasets: [7456157a-7cbc-4377-ab13-d9f6ee7ff72c] }}\n"
    );
    let dir = scratch("explain-skips-secret", &[("leak.yaml", &description)]);
    for format in FORMATS {
        let out = embedguard(
            &["check", "--explain-skips", "--format", format, "leak.yaml"],
            &dir,
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("EG317"), "{format}: {stdout}");
        assert_never_shown(&stdout, &[token], format);
    }
}
