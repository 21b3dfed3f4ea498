//! End-to-end: the `short`, `github` and `sarif` formats of `check` say what `--format json`
//! says, at the same places, and the SARIF is valid SARIF 2.1.0 that GitHub code scanning takes.

use std::collections::HashSet;
use std::path::Path;

mod common;

use common::root;
use embedguard_core::Rule;
use serde_json::Value;

fn embedguard_at(dir: &Path, args: &[&str]) -> std::process::Output {
    common::embedguard(args, dir)
}

/// The standard output of `embedguard check --format FORMAT PATH` run at the repository root.
fn check(format: &str, path: &str) -> String {
    let out = embedguard_at(&root(), &["check", "--format", format, path]);
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn json_diagnostics(path: &str) -> Vec<Value> {
    let json: Value = serde_json::from_str(&check("json", path)).expect("json output");
    json["diagnostics"].as_array().expect("diagnostics").clone()
}

fn sarif(path: &str) -> Value {
    serde_json::from_str(&check("sarif", path)).expect("sarif is json")
}

fn schema_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("tests/schemas/sarif-schema-2.1.0.json"))
        .expect("schema file");
    let schema: Value = serde_json::from_str(&text).expect("schema is json");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

fn schema_errors(validator: &jsonschema::Validator, document: &Value) -> Vec<String> {
    validator
        .iter_errors(document)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// (file, line, column, end line, end column, code) of each JSON diagnostic.
fn json_places(diagnostics: &[Value]) -> Vec<(String, u64, u64, u64, u64, String)> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d["file"].as_str().expect("file").to_string(),
                d["line"].as_u64().expect("line"),
                d["column"].as_u64().expect("column"),
                d["end_line"].as_u64().expect("end_line"),
                d["end_column"].as_u64().expect("end_column"),
                d["code"].as_str().expect("code").to_string(),
            )
        })
        .collect()
}

#[test]
fn sarif_of_all_fixtures_is_valid_sarif_2_1_0() {
    let validator = schema_validator();
    let document = sarif("fixtures/");
    let errors = schema_errors(&validator, &document);
    assert!(
        errors.is_empty(),
        "SARIF schema errors:\n{}",
        errors.join("\n")
    );
    assert_eq!(document["version"], "2.1.0");
    assert_eq!(
        document["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let run = &document["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "embedguard");
    assert_eq!(run["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
    // fixtures/ holds a syntax error on purpose: exit code 2, an unsuccessful execution.
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    let results = run["results"].as_array().expect("results");
    assert!(results.len() > 50, "only {} results", results.len());
    assert!(results.iter().any(|r| r["ruleId"] == "EG001"));
    // A cause in the inventory shows as a related location in that other file.
    assert!(results.iter().any(|r| {
        let primary = &r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
        r["relatedLocations"].as_array().is_some_and(|related| {
            related.iter().any(|l| {
                l["physicalLocation"]["artifactLocation"]["uri"] == "fixtures/tenant.yaml"
                    && l["physicalLocation"]["artifactLocation"]["uri"] != *primary
                    && l["message"]["text"].as_str().is_some_and(|t| !t.is_empty())
            })
        })
    }));
}

#[test]
fn the_schema_check_can_fail() {
    let validator = schema_validator();
    let document = sarif("fixtures/rules/EG301/fail.yaml");
    assert!(schema_errors(&validator, &document).is_empty());

    let mut no_version = document.clone();
    no_version
        .as_object_mut()
        .expect("object")
        .remove("version");
    assert!(!schema_errors(&validator, &no_version).is_empty());

    let mut line_zero = document.clone();
    line_zero["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    assert!(!schema_errors(&validator, &line_zero).is_empty());

    let mut bad_uri = document.clone();
    bad_uri["runs"][0]["tool"]["driver"]["informationUri"] = Value::from("not a uri");
    assert!(!schema_errors(&validator, &bad_uri).is_empty());

    let mut bad_level = document;
    bad_level["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!schema_errors(&validator, &bad_level).is_empty());
}

#[test]
fn sarif_rules_are_every_rule_with_help() {
    let document = sarif("fixtures/rules/EG301/fail.yaml");
    let rules = document["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    let codes: Vec<&str> = Rule::all().map(|r| r.code()).collect();
    assert_eq!(ids, codes);
    for (rule, descriptor) in Rule::all().zip(rules) {
        assert_eq!(descriptor["name"], rule.name());
        assert_eq!(descriptor["helpUri"], rule.doc_url());
        for key in [
            "/helpUri",
            "/shortDescription/text",
            "/fullDescription/text",
            "/help/text",
            "/help/markdown",
            "/defaultConfiguration/level",
        ] {
            let text = descriptor.pointer(key).and_then(Value::as_str);
            assert!(
                text.is_some_and(|t| !t.trim().is_empty()),
                "{} {key} is empty",
                rule.code()
            );
        }
        assert_eq!(
            descriptor["defaultConfiguration"]["level"],
            rule.default_severity().to_string()
        );
        assert_eq!(descriptor["properties"]["tags"][0], "power-bi");
    }
}

#[test]
fn sarif_results_match_the_json_output() {
    let diagnostics = json_diagnostics("fixtures/");
    let document = sarif("fixtures/");
    let run = &document["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let ids: HashSet<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), diagnostics.len());
    let mut fingerprints = HashSet::new();
    for (r, d) in results.iter().zip(&diagnostics) {
        let id = r["ruleId"].as_str().expect("ruleId");
        assert!(ids.contains(id), "{id} is not in driver.rules");
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], id);
        assert_eq!(id, d["code"]);
        assert_eq!(r["level"], d["severity"]);
        let message = r["message"]["text"].as_str().expect("message");
        assert!(message.starts_with(d["message"].as_str().expect("message")));
        if let Some(help) = d["help"].as_str() {
            assert!(message.ends_with(&format!("\nhelp: {help}")), "{message}");
        }
        let location = &r["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], d["file"]);
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let region = &location["region"];
        assert_eq!(
            (
                &region["startLine"],
                &region["startColumn"],
                &region["endLine"],
                &region["endColumn"]
            ),
            (&d["line"], &d["column"], &d["end_line"], &d["end_column"]),
            "{id} in {}",
            d["file"]
        );
        assert_eq!(r["properties"]["request"], d["request"]);
        let fingerprint = r["partialFingerprints"]["embedguard/v1"]
            .as_str()
            .expect("fingerprint");
        assert!(
            fingerprints.insert(fingerprint.to_string()),
            "{fingerprint} twice"
        );
    }
}

#[test]
fn outputs_are_deterministic() {
    for format in ["sarif", "short", "github"] {
        let first = check(format, "fixtures/");
        assert!(!first.is_empty(), "{format}");
        assert_eq!(
            first,
            check(format, "fixtures/"),
            "{format} differs between runs"
        );
    }
}

#[test]
fn sarif_fingerprints_survive_moved_lines() {
    let dir = std::env::temp_dir().join(format!("embedguard-formats-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rules/EG301")).expect("scratch dir");
    std::fs::copy(root().join("fixtures/tenant.yaml"), dir.join("tenant.yaml")).expect("copy");
    let text =
        std::fs::read_to_string(root().join("fixtures/rules/EG301/fail.yaml")).expect("fixture");
    let file = dir.join("rules/EG301/fail.yaml");
    let results = |text: &str| -> Vec<(String, u64)> {
        std::fs::write(&file, text).expect("write");
        let out = embedguard_at(
            &dir,
            &["check", "--format", "sarif", "rules/EG301/fail.yaml"],
        );
        let document: Value = serde_json::from_slice(&out.stdout).expect("sarif");
        document["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| {
                (
                    r["partialFingerprints"]["embedguard/v1"]
                        .as_str()
                        .expect("fingerprint")
                        .to_string(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .expect("line"),
                )
            })
            .collect()
    };
    let before = results(&text);
    let after = results(&format!("# two lines\n# moved down\n{text}"));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!before.is_empty());
    assert_eq!(before.len(), after.len());
    for ((fp_before, line_before), (fp_after, line_after)) in before.iter().zip(&after) {
        assert_eq!(fp_before, fp_after);
        assert_eq!(line_before + 2, *line_after);
    }
}

#[test]
fn short_is_one_line_per_diagnostic_at_the_json_place() {
    let diagnostics = json_diagnostics("fixtures/");
    let short = check("short", "fixtures/");
    let lines: Vec<&str> = short.lines().collect();
    assert_eq!(lines.len(), diagnostics.len());
    for (line, (file, l, c, _, _, code)) in lines.iter().zip(json_places(&diagnostics)) {
        let prefix = format!("{file}:{l}:{c}: {code} ");
        assert!(
            line.starts_with(&prefix),
            "{line:?} does not start with {prefix:?}"
        );
    }
}

#[test]
fn github_is_one_command_per_diagnostic_at_the_json_place() {
    let diagnostics = json_diagnostics("fixtures/");
    let github = check("github", "fixtures/");
    let lines: Vec<&str> = github.lines().collect();
    assert_eq!(lines.len(), diagnostics.len());
    for ((line, d), (file, l, c, el, ec, code)) in lines
        .iter()
        .zip(&diagnostics)
        .zip(json_places(&diagnostics))
    {
        let command = match d["severity"].as_str() {
            Some("error") => "error",
            Some("warning") => "warning",
            _ => "notice",
        };
        let prefix = format!(
            "::{command} file={file},line={l},endLine={el},col={c},endColumn={ec},title={code} {}::",
            d["name"].as_str().expect("name")
        );
        assert!(
            line.starts_with(&prefix),
            "{line:?} does not start with {prefix:?}"
        );
    }
}

#[test]
fn errors_without_a_place() {
    let dir = root();
    let short = embedguard_at(&dir, &["check", "--format", "short", "no-such-file.yaml"]);
    assert_eq!(short.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&short.stdout),
        "embedguard: error: `no-such-file.yaml`: no such file or directory\n"
    );
    let github = embedguard_at(&dir, &["check", "--format", "github", "no-such-file.yaml"]);
    assert_eq!(
        String::from_utf8_lossy(&github.stdout),
        "::error::`no-such-file.yaml`: no such file or directory\n"
    );
    let sarif = embedguard_at(&dir, &["check", "--format", "sarif", "no-such-file.yaml"]);
    assert_eq!(sarif.status.code(), Some(2));
    let document: Value = serde_json::from_slice(&sarif.stdout).expect("sarif");
    assert!(schema_errors(&schema_validator(), &document).is_empty());
    let invocation = &document["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(
        invocation["toolExecutionNotifications"][0],
        serde_json::json!({
            "level": "error",
            "message": { "text": "`no-such-file.yaml`: no such file or directory" }
        })
    );
    assert_eq!(document["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn short_snapshot() {
    insta::assert_snapshot!(
        "short_EG301",
        check("short", "fixtures/rules/EG301/fail.yaml")
    );
}

#[test]
fn github_snapshot() {
    insta::assert_snapshot!(
        "github_EG301",
        check("github", "fixtures/rules/EG301/fail.yaml")
    );
}

#[test]
fn explain_skips_are_open_sarif_results_and_the_log_stays_valid() {
    let out = embedguard_at(
        &root(),
        &[
            "check",
            "--explain-skips",
            "--format",
            "sarif",
            "fixtures/explain-skips/portal.yaml",
            "fixtures/rules/EG006/fail.yaml",
        ],
    );
    let document: Value = serde_json::from_slice(&out.stdout).expect("sarif is json");
    let errors = schema_errors(&schema_validator(), &document);
    assert!(
        errors.is_empty(),
        "SARIF schema errors:\n{}",
        errors.join("\n")
    );
    let results = document["runs"][0]["results"].as_array().expect("results");
    let open: Vec<&Value> = results.iter().filter(|r| r["kind"] == "open").collect();
    assert!(open.iter().any(|r| r["ruleId"] == "EG301"));
    assert!(open.iter().all(|r| r["level"] == "none"));
    let fingerprints: HashSet<&Value> = results
        .iter()
        .map(|r| &r["partialFingerprints"]["embedguard/v1"])
        .collect();
    assert_eq!(
        fingerprints.len(),
        results.len(),
        "fingerprints are distinct"
    );
    // EG006's fixture has no inventory: one note about the file.
    let notes = document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert!(notes.iter().any(|n| n["level"] == "note"
        && n["message"]["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("no inventory"))));
}
