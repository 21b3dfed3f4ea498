//! End-to-end: `embedguard report` (issue 8). Its numbers are `check --format json`'s on the
//! same inputs, the same inputs give byte-identical files, the JSON follows
//! `schemas/report.schema.json`, the HTML fetches and runs nothing and escapes every text of
//! the inputs, and no format shows a secret.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{assert_never_shown, embedguard, root, scratch, FIXTURE_SECRETS};
use serde_json::Value;

const DATE: &str = "2026-11-23";

/// Runs `report` in `dir` and returns the exit code and the file written.
fn report(dir: &Path, paths: &[&str], format: &str, out: &Path, extra: &[&str]) -> (i32, String) {
    let out_arg = out.display().to_string();
    let mut args = vec!["report"];
    args.extend_from_slice(paths);
    args.extend_from_slice(&["--format", format, "-o", &out_arg, "--generated-at", DATE]);
    args.extend_from_slice(extra);
    let run = embedguard(&args, dir);
    let code = run.status.code().unwrap_or(-1);
    let text = std::fs::read_to_string(out).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; stderr: {}",
            out.display(),
            String::from_utf8_lossy(&run.stderr)
        )
    });
    (code, text)
}

fn out_dir(name: &str) -> PathBuf {
    scratch(&format!("report-out-{name}"), &[])
}

fn json_report(dir: &Path, paths: &[&str], name: &str) -> Value {
    let out = out_dir(name).join("report.json");
    let (code, text) = report(dir, paths, "json", &out, &[]);
    assert_eq!(code, 0, "{text}");
    serde_json::from_str(&text).expect("the report is JSON")
}

fn check_json(dir: &Path, paths: &[&str]) -> Value {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(paths);
    let out = embedguard(&args, dir);
    serde_json::from_slice(&out.stdout).expect("check's JSON")
}

fn count(v: &Value) -> u64 {
    v.as_u64().expect("a count")
}

#[test]
fn numbers_match_check_over_the_fixtures() {
    let check = check_json(&root(), &["fixtures/"]);
    let report = json_report(&root(), &["fixtures/"], "numbers");
    for key in ["files", "requests", "errors", "warnings"] {
        assert_eq!(
            report["summary"][key], check["summary"][key],
            "summary.{key}"
        );
    }
    let diagnostics = check["diagnostics"].as_array().expect("diagnostics");
    let notes = diagnostics
        .iter()
        .filter(|d| d["severity"] == "note")
        .count();
    assert_eq!(count(&report["summary"]["notes"]), notes as u64);

    // Findings by rule and severity: check's diagnostics counted the same way.
    let mut by_rule: BTreeMap<(String, String), u64> = BTreeMap::new();
    for d in diagnostics {
        let key = (
            d["code"].as_str().expect("code").to_string(),
            d["severity"].as_str().expect("severity").to_string(),
        );
        *by_rule.entry(key).or_default() += 1;
    }
    let mut charted: BTreeMap<(String, String), u64> = BTreeMap::new();
    for r in report["charts"]["findings_by_rule"]
        .as_array()
        .expect("chart")
    {
        for severity in ["error", "warning", "note"] {
            if count(&r[severity]) > 0 {
                charted.insert(
                    (
                        r["code"].as_str().expect("code").to_string(),
                        severity.to_string(),
                    ),
                    count(&r[severity]),
                );
            }
        }
    }
    assert_eq!(charted, by_rule);

    // Every diagnostic is in the report once: under its request, or outside any.
    let requests = report["requests"].as_array().expect("requests");
    assert_eq!(requests.len() as u64, count(&check["summary"]["requests"]));
    let in_requests: usize = requests
        .iter()
        .map(|r| r["findings"].as_array().expect("findings").len())
        .sum();
    let outside = report["other_findings"].as_array().expect("other").len();
    assert_eq!(in_requests + outside, diagnostics.len());
    for d in diagnostics.iter().filter(|d| !d["request"].is_null()) {
        let owner = requests.iter().find(|r| {
            r["file"] == d["file"]
                && r["name"] == d["request"]
                && r["findings"].as_array().expect("findings").iter().any(|f| {
                    f["code"] == d["code"] && f["line"] == d["line"] && f["column"] == d["column"]
                })
        });
        assert!(owner.is_some(), "no request of the report holds {d}");
    }
    for r in requests {
        let findings = r["findings"].as_array().expect("findings");
        let errors = findings.iter().filter(|f| f["severity"] == "error").count();
        assert_eq!(count(&r["errors"]), errors as u64, "{}", r["name"]);
    }
    let by_kind = &report["summary"]["requests_by_caller_kind"];
    let kinds: u64 = ["service_principal", "master_user", "unknown"]
        .iter()
        .map(|k| count(&by_kind[k]))
        .sum();
    assert_eq!(kinds, requests.len() as u64);
    let by_endpoint: u64 = report["charts"]["requests_by_endpoint"]
        .as_array()
        .expect("chart")
        .iter()
        .map(|e| count(&e["service_principal"]) + count(&e["master_user"]) + count(&e["unknown"]))
        .sum();
    assert_eq!(by_endpoint, requests.len() as u64);
}

#[test]
fn the_same_inputs_give_byte_identical_reports() {
    for format in ["html", "md", "json"] {
        let a = out_dir(&format!("same-a-{format}")).join("report");
        let b = out_dir(&format!("same-b-{format}")).join("report");
        let (_, first) = report(&root(), &["fixtures/"], format, &a, &[]);
        let (_, second) = report(&root(), &["fixtures/"], format, &b, &[]);
        assert!(first.contains(DATE), "{format}: the date is stated");
        assert!(first == second, "{format}: two runs differ");
    }
}

#[test]
fn the_json_report_follows_its_schema() {
    let path = root().join("schemas/report.schema.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("JSON");
    let validator = jsonschema::draft7::new(&schema).expect("the schema compiles");
    let fixtures = json_report(&root(), &["fixtures/"], "schema");
    let errors: Vec<String> = validator
        .iter_errors(&fixtures)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // Without an inventory: nulls and unknowns where facts are missing.
    let dir = scratch("report-schema-bare", &[("bare.yaml", BARE)]);
    let bare = json_report(&dir, &["bare.yaml"], "schema-bare");
    assert!(bare["tenants"].as_array().expect("tenants").is_empty());
    assert_eq!(bare["requests"][0]["caller_kind"], "unknown");
    let errors: Vec<String> = validator
        .iter_errors(&bare)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The schema is strict: an unknown member is refused.
    let mut extra = bare.clone();
    extra["summary"]["surprise"] = Value::from(1);
    assert!(!validator.is_valid(&extra));
}

const BARE: &str = "embedguard: 1\nrequests:\n  - name: no-inventory\n    caller: someone\n    path: /v1.0/myorg/GenerateToken\n    body:\n      reports: [{ id: 8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d }]\n";

/// A tenant and a description whose names try to be markup.
const HOSTILE_TENANT: &str = "principals:\n  - { name: \"<img src=x onerror=alert(1)>\", kind: master_user }\nworkspaces:\n  - { id: 3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c, name: \"</td><script>alert(2)</script>\", type: new, capacity: A1, users: { \"<img src=x onerror=alert(1)>\": Admin } }\ndatasets:\n  - { id: 0c9d8e7f-6a5b-4c3d-8e1f-0a9b8c7d6e5f, name: \"Model | *bold* [x](javascript:alert(3))\", workspace: 3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c, rls: cloud, roles: [\"<b>Customer</b>\"] }\nreports:\n  - { id: 8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d, name: Report, workspace: 3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c, dataset: 0c9d8e7f-6a5b-4c3d-8e1f-0a9b8c7d6e5f }\n";
const HOSTILE: &str = "embedguard: 1\ninventory: ../tenant.yaml\nrequests:\n  - name: \"<script>alert('name')</script>\"\n    caller: \"<img src=x onerror=alert(1)>\"\n    path: /v1.0/myorg/GenerateToken\n    body:\n      reports: [{ id: 8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d, allowEdit: true }]\n      datasets: [{ id: 0c9d8e7f-6a5b-4c3d-8e1f-0a9b8c7d6e5f, xmlaPermissions: ReadOnly }]\n      identities:\n        - { username: \"${user}\", roles: [\"<b>Customer</b>\"], datasets: [0c9d8e7f-6a5b-4c3d-8e1f-0a9b8c7d6e5f] }\n";

#[test]
fn html_fetches_and_runs_nothing_and_escapes_every_text() {
    let dir = scratch(
        "report-hostile",
        &[
            ("tenant.yaml", HOSTILE_TENANT),
            ("apps/portal.yaml", HOSTILE),
        ],
    );
    let out = out_dir("hostile").join("report.html");
    // With the rules that could not judge: their table names the hostile entities too.
    let (code, html) = report(&dir, &["apps"], "html", &out, &["--explain-skips"]);
    assert_eq!(code, 0);
    assert!(html.contains("<h4>Not judged</h4>"), "{html}");
    // Every `<` of the inputs is escaped, so each `<` left starts a tag the report wrote.
    for tag in html.split('<').skip(1) {
        let tag = tag[..tag.find('>').unwrap_or(tag.len())].to_ascii_lowercase();
        let name = tag.split_whitespace().next().unwrap_or_default();
        for banned in [
            "script", "img", "link", "iframe", "object", "embed", "base", "form",
        ] {
            assert_ne!(name, banned, "<{tag}> in the HTML");
        }
        for banned in [" src=", " on", "url("] {
            assert!(!tag.contains(banned), "`{banned}` in <{tag}>");
        }
    }
    let style = &html[html.find("<style>").expect("style")..html.find("</style>").expect("style")];
    assert!(
        !style.contains("url(") && !style.contains("@import"),
        "the CSS fetches"
    );
    assert!(html.contains("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;"));
    assert!(html.contains("&lt;/td&gt;&lt;script&gt;alert(2)&lt;/script&gt;"));
    assert!(html.contains("Content-Security-Policy"));
    assert!(html.contains("@media print"));
    // Links only navigate: anchors in the report, or documentation pages.
    for (i, _) in html.match_indices("href=\"") {
        let target = &html[i + 6..];
        assert!(
            target.starts_with('#') || target.starts_with("https://"),
            "link to {}",
            &target[..target.find('"').unwrap_or(target.len())]
        );
    }
    // The facts of the request are there, escaped.
    assert!(html.contains("edit report Report"), "rights");
    assert!(
        html.contains("dataset (XMLA read-only) Model | *bold*"),
        "rights"
    );
    assert!(html.contains("RLS, identity covers it"), "coverage");
    assert!(html.contains("&lt;b&gt;Customer&lt;/b&gt;"), "roles");

    let out = out_dir("hostile-md").join("report.md");
    let (_, md) = report(&dir, &["apps"], "md", &out, &[]);
    let lower = md.to_ascii_lowercase();
    for banned in ["<script", "<img", "<b>", "</td>"] {
        assert!(!lower.contains(banned), "`{banned}` in the Markdown");
    }
    assert!(
        md.contains("Model \\| \\*bold\\* \\[x\\](javascript:alert(3))"),
        "{md}"
    );
}

#[test]
fn the_request_facts_say_who_asks_for_what() {
    let dir = scratch(
        "report-facts",
        &[
            ("tenant.yaml", HOSTILE_TENANT),
            ("apps/portal.yaml", HOSTILE),
        ],
    );
    let report = json_report(&dir, &["apps"], "facts");
    let r = &report["requests"][0];
    assert_eq!(r["caller_kind"], "master_user");
    assert_eq!(r["endpoint"], "V2");
    assert_eq!(r["access_level"], "Edit");
    assert_eq!(r["identities"], 1);
    assert_eq!(r["tenant"], "tenant.yaml");
    assert_eq!(r["datasets"][0]["rls"], "cloud");
    assert_eq!(r["datasets"][0]["coverage"], "covered");
    assert_eq!(r["datasets"][0]["roles"][0], "<b>Customer</b>");
    let tenant = &report["tenants"][0];
    assert_eq!(tenant["workspaces"][0]["users"][0]["role"], "Admin");
    assert_eq!(
        tenant["workspaces"][0]["requests"][0]["anchor"],
        "request-1"
    );
    assert_eq!(tenant["datasets"][0]["requests"][0]["name"], r["name"]);
    assert_eq!(tenant["datasets_by_rls"][0]["value"], "cloud");
    assert_eq!(tenant["workspaces_by_type"][0]["value"], "new / A1");
    assert_eq!(report["summary"]["callers"]["master_user"], 1);
    assert_eq!(report["charts"]["rls_coverage"]["covered"], 1);
}

#[test]
fn no_report_format_shows_a_secret() {
    let fixture = "fixtures/rules/EG501/fail.yaml";
    for format in ["html", "md", "json"] {
        for extra in [&[][..], &["--explain-skips"][..]] {
            let out = out_dir(&format!("secret-{format}-{}", extra.len())).join("report");
            let (_, text) = report(&root(), &[fixture], format, &out, extra);
            assert!(text.contains("EG501"), "{format}");
            assert_never_shown(&text, FIXTURE_SECRETS, format);
        }
    }
    // Values the report quotes itself (a request's name, its path) are masked too.
    let token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJGQUtFLXJlcG9ydCJ9.RkFLRS1zaWduYXR1cmUtcmVwb3J0";
    let description = format!(
        "embedguard: 1\nrequests:\n  - name: \"debug {token}\"\n    caller: sp\n    url: \"https://api.powerbi.com/v1.0/myorg/GenerateToken?access_token={token}\"\n    body: {{ reports: [] }}\n"
    );
    let dir = scratch("report-secret-values", &[("leak.yaml", &description)]);
    for format in ["html", "md", "json"] {
        let out = out_dir(&format!("secret-values-{format}")).join("report");
        let (_, text) = report(&dir, &["leak.yaml"], format, &out, &[]);
        assert!(text.contains("EG501"), "{format}");
        assert_never_shown(&text, &[token], format);
    }
}

#[test]
fn a_bad_date_or_a_missing_path_exits_2() {
    let out = out_dir("bad-date").join("report.html");
    let run = embedguard(
        &[
            "report",
            "fixtures/rules/EG301",
            "--format",
            "html",
            "-o",
            &out.display().to_string(),
            "--generated-at",
            "yesterday",
        ],
        &root(),
    );
    assert_eq!(run.status.code(), Some(2));
    assert!(!out.exists(), "nothing is written for a malformed date");
    let out = out_dir("missing").join("report.json");
    let run = embedguard(
        &[
            "report",
            "no/such/dir",
            "--format",
            "json",
            "-o",
            &out.display().to_string(),
        ],
        &root(),
    );
    assert_eq!(run.status.code(), Some(2));
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("written")).expect("JSON");
    assert_eq!(written["problems"].as_array().map(Vec::len), Some(1));
    // The format follows OUT's extension when --format is not given; an extension that names
    // none is an error.
    let out = out_dir("by-extension").join("report.md");
    let run = embedguard(
        &[
            "report",
            "fixtures/rules/EG301",
            "-o",
            &out.display().to_string(),
        ],
        &root(),
    );
    assert_eq!(run.status.code(), Some(0));
    let md = std::fs::read_to_string(&out).expect("written");
    assert!(md.starts_with("# embedguard compliance report"), "{md}");
    let out = out_dir("no-extension").join("report");
    let run = embedguard(
        &[
            "report",
            "fixtures/rules/EG301",
            "-o",
            &out.display().to_string(),
        ],
        &root(),
    );
    assert_eq!(run.status.code(), Some(2));
    assert!(!out.exists());
    // Without --generated-at the date is today's, in UTC.
    let generated = written["generated_at"].as_str().expect("date");
    assert_eq!(generated.len(), 20, "{generated}");
}

#[test]
fn the_report_lists_what_check_could_not_judge() {
    let sample = "fixtures/explain-skips/portal.yaml";
    let out = out_dir("not-judged").join("report.json");
    let (code, text) = report(&root(), &[sample], "json", &out, &["--explain-skips"]);
    assert_eq!(code, 0, "{text}");
    let explained: Value = serde_json::from_str(&text).expect("JSON");
    let check = embedguard(
        &["check", "--explain-skips", "--format", "json", sample],
        &root(),
    );
    let check: Value = serde_json::from_slice(&check.stdout).expect("check's JSON");
    let skips = check["skips"].as_array().expect("skips");
    let from_check: Vec<(Value, Value, Value)> = skips
        .iter()
        .map(|s| {
            (
                s["code"].clone(),
                s["line"].clone(),
                s["would_report"].clone(),
            )
        })
        .collect();
    let listed = explained["requests"][0]["not_judged"]
        .as_array()
        .expect("not_judged");
    let from_report: Vec<(Value, Value, Value)> = listed
        .iter()
        .map(|n| {
            (
                n["code"].clone(),
                n["line"].clone(),
                n["would_report"].clone(),
            )
        })
        .collect();
    assert_eq!(from_report, from_check);
    assert_eq!(explained["summary"]["not_judged"], skips.len());
    let eg301 = listed.iter().find(|n| n["code"] == "EG301").expect("EG301");
    assert_eq!(eg301["assumed"][0]["key"], "rls");
    assert_eq!(eg301["assumed"][0]["line"], 18);
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/report.schema.json")).expect("schema"),
    )
    .expect("JSON");
    let validator = jsonschema::draft7::new(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&explained)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // Not asked: null, empty lists, and the HTML and Markdown say how to ask.
    let plain = json_report(&root(), &[sample], "not-judged-plain");
    assert_eq!(plain["summary"]["not_judged"], Value::Null);
    assert_eq!(plain["requests"][0]["not_judged"], serde_json::json!([]));
    for format in ["html", "md"] {
        let out = out_dir(&format!("not-judged-{format}")).join("report");
        let (_, text) = report(&root(), &[sample], format, &out, &[]);
        assert!(text.contains("--explain-skips"), "{format}");
        assert!(!text.contains("Not judged"), "{format}");
        let (_, text) = report(&root(), &[sample], format, &out, &["--explain-skips"]);
        assert!(text.contains("Not judged"), "{format}");
        assert!(text.contains("no identity covers dataset"), "{format}");
    }
}
