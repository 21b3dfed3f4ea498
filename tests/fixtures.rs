//! End-to-end: every fixture gives exactly the diagnostics its `# expect:` markers announce, at
//! the marked line, and the rendered diagnostic of each rule's failing fixture is snapshotted.
//!
//! Marker conventions (fixtures/README.md): a trailing `# expect: EG301 EG210` on a line; a first
//! line `# expect-line N: EG001` for files whose marker cannot sit on the line; a sibling
//! `NAME.expect` file with `LINE CODE` rows for JSON files.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::root;

fn embedguard(args: &[&str]) -> std::process::Output {
    common::embedguard(args, &root())
}

fn expected(path: &Path) -> BTreeSet<(usize, String)> {
    let mut want = BTreeSet::new();
    let sidecar = path.with_extension("expect");
    if let Ok(text) = std::fs::read_to_string(&sidecar) {
        for row in text
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        {
            let mut parts = row.split_whitespace();
            let line: usize = parts
                .next()
                .and_then(|n| n.parse().ok())
                .expect("LINE CODE");
            for code in parts {
                want.insert((line, code.to_string()));
            }
        }
        return want;
    }
    let text = std::fs::read_to_string(path).expect("fixture");
    for (i, line) in text.lines().enumerate() {
        if let Some(rest) = line.trim_start().strip_prefix("# expect-line ") {
            let (n, codes) = rest.split_once(':').expect("# expect-line N: CODES");
            let n: usize = n.trim().parse().expect("line number");
            for code in codes.split_whitespace() {
                want.insert((n, code.to_string()));
            }
        } else if let Some(pos) = line.find("# expect:") {
            for code in line[pos + 9..]
                .split_whitespace()
                .take_while(|w| w.starts_with("EG"))
            {
                want.insert((i + 1, code.to_string()));
            }
        }
    }
    want
}

fn actual(path: &Path) -> BTreeSet<(usize, String)> {
    let rel = path.strip_prefix(root()).expect("under root");
    let out = embedguard(&[
        "check",
        "--format",
        "json",
        rel.to_str().expect("utf-8 path"),
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: not JSON ({e}): {}",
            rel.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["file"].as_str().is_some_and(|f| Path::new(f) == rel))
        .map(|d| {
            (
                d["line"].as_u64().expect("line") as usize,
                d["code"].as_str().expect("code").to_string(),
            )
        })
        .collect()
}

#[test]
fn every_fixture_reports_exactly_its_markers() {
    let files = common::description_fixtures();
    assert!(
        files.len() >= 60,
        "expected a fail and a pass fixture per rule, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    for path in &files {
        let (want, got) = (expected(path), actual(path));
        if want != got {
            let rel = path
                .strip_prefix(root())
                .unwrap_or(path)
                .display()
                .to_string();
            let missing: Vec<_> = want.difference(&got).collect();
            let extra: Vec<_> = got.difference(&want).collect();
            failures.push(format!(
                "{rel}\n    missing {missing:?}\n    unexpected {extra:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) disagree with their markers:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_rule_fires_on_its_failing_fixture_and_passes_its_passing_one() {
    for rule in embedguard_core::Rule::all() {
        let dir = root().join("fixtures/rules").join(rule.code());
        let fail = ["fail.yaml", "fail.json"]
            .iter()
            .map(|f| dir.join(f))
            .find(|p| p.exists());
        let fail = fail.unwrap_or_else(|| panic!("{} has no failing fixture", rule.code()));
        assert!(
            actual(&fail).iter().any(|(_, c)| c == rule.code()),
            "{} does not fire on {}",
            rule.code(),
            fail.display()
        );
        let pass = ["pass.yaml", "pass.json"]
            .iter()
            .map(|f| dir.join(f))
            .find(|p| p.exists());
        let pass = pass.unwrap_or_else(|| panic!("{} has no passing fixture", rule.code()));
        assert_eq!(
            actual(&pass),
            BTreeSet::new(),
            "{} is not clean",
            pass.display()
        );
    }
}

#[test]
fn rendered_diagnostic_of_each_rule() {
    for rule in embedguard_core::Rule::all() {
        let dir = format!("fixtures/rules/{}", rule.code());
        let fail = ["fail.yaml", "fail.json"]
            .iter()
            .map(|f| format!("{dir}/{f}"))
            .find(|p| root().join(p).exists());
        let Some(fail) = fail else {
            panic!("{} has no failing fixture", rule.code())
        };
        let out = embedguard(&["check", &fail]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        insta::assert_snapshot!(format!("human_{}", rule.code()), text);
    }
}
