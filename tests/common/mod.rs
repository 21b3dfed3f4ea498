//! Helpers shared by the end-to-end tests: run the binary, find the repository, make scratch trees.

#![allow(dead_code)] // each test file uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `embedguard ARGS` in `dir`, colour off.
pub fn embedguard(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_embedguard"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run embedguard")
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh directory under the system temp dir, unique to this process and `name`, holding
/// `files` (`(relative path, text)`; parent directories are created).
pub fn scratch(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("embedguard-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    for (file, text) in files {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

/// The FAKE secrets of `fixtures/rules/EG501/fail.yaml`.
pub const FIXTURE_SECRETS: &[&str] = &[
    "RkFLRS1sZWdhY3ktY2xpZW50LXNlY3JldC0wMDAwMDA=",
    "Summer2024-FAKE!",
    "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJlbWJlZGd1YXJkLWZpeHR1cmUiLCJuYW1lIjoiRkFLRSB0b2tlbiwgbm90IGEgY3JlZGVudGlhbCIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAzNjAwfQ.RkFLRS1zaWduYXR1cmUtZm9yLWFuLWVtYmVkZ3VhcmQtZml4dHVyZQ",
    "Fak8Q~FAKE.FAKE.FAKE.FAKE.FAKE.FAKE.FAKE",
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IkZBS0Uta2lkIn0.eyJhdWQiOiJodHRwczovL2RhdGFiYXNlLndpbmRvd3MubmV0LyIsInN1YiI6IkZBS0UgQXp1cmUgU1FMIHRva2VuIGZvciBhbiBlbWJlZGd1YXJkIGZpeHR1cmUiLCJleHAiOjE3MDAwMDM2MDB9.RkFLRS1zaWduYXR1cmUtb2YtdGhlLXNzby1ibG9iLWZpeHR1cmU",
];

/// Fails if `output` holds any eight consecutive bytes of a secret past its first four
/// characters (or, for a secret shorter than 12 bytes, its whole tail).
pub fn assert_never_shown(output: &str, secrets: &[&str], what: &str) {
    for secret in secrets {
        let tail = &secret[4..];
        let window = tail.len().min(8);
        for start in 0..=tail.len() - window {
            let piece = &tail[start..start + window];
            assert!(
                !output.contains(piece),
                "{what}: `{piece}` of a secret appears in the output:\n{output}"
            );
        }
    }
}

/// Every description fixture under `fixtures/`, sorted: the YAML and JSON files that hold
/// `requests` (inventory files are not descriptions).
pub fn description_fixtures() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("fixtures dir")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            ) {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                if text.contains("requests") {
                    out.push(p);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join("fixtures"), &mut out);
    out
}
