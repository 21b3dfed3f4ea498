//! Hostile input: every file gets a clear diagnostic (EG001 or a limit) in bounded time and
//! memory — never a panic, a hang or an abort. Limits are in the README ("Which files are
//! checked").
//!
//! Time here is a hang detector, not a speed target: each run must end within a generous
//! deadline, or the test kills it and fails.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::scratch;

const DEADLINE: Duration = Duration::from_secs(60);

/// Runs `embedguard check --isolated --format json FILE` in `dir` under the deadline; returns
/// the exit code and the `(line, code)` of every diagnostic.
fn check(dir: &Path, file: &str) -> (i32, Vec<(u64, String)>) {
    let (code, out) = check_as(dir, file, "json");
    let json: serde_json::Value = serde_json::from_slice(&out)
        .unwrap_or_else(|e| panic!("{file}: {e}: {}", String::from_utf8_lossy(&out)));
    let found = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap_or_default(),
                d["code"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    (code, found)
}

/// Runs `embedguard check --isolated --format FORMAT FILE` in `dir` under the deadline; returns
/// the exit code and what it printed on stdout.
fn check_as(dir: &Path, file: &str, format: &str) -> (i32, Vec<u8>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_embedguard"))
        .args(["check", "--isolated", "--format", format, file])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn embedguard");
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        stdout.read_to_end(&mut out).map(|_| out)
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            panic!("`check {file}` hung: killed after {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let out = reader.join().expect("reader").expect("read stdout");
    // A panic or an abort has no exit code (signal) or 101; both fail here.
    let code = status.code().expect("exited normally, not by a signal");
    assert_ne!(code, 101, "panicked on {file} (--format {format})");
    (code, out)
}

/// Writes `bytes` as `name` in a fresh scratch directory and checks it.
fn check_bytes(name: &str, bytes: &[u8]) -> (i32, Vec<(u64, String)>) {
    let dir = scratch(&format!("adversarial-{name}"), &[]);
    std::fs::write(dir.join(name), bytes).expect("write");
    check(&dir, name)
}

fn syntax_error_at(result: (i32, Vec<(u64, String)>), line: u64) {
    assert_eq!(result, (2, vec![(line, "EG001".to_string())]));
}

#[test]
fn billion_laughs_is_refused_at_the_first_anchor() {
    let mut bomb = String::from("embedguard: 1\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (i, prev) in ["a", "b", "c", "d", "e", "f", "g", "h"].iter().enumerate() {
        let name = (b'b' + i as u8) as char;
        bomb.push_str(&format!(
            "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    syntax_error_at(check_bytes("bomb.yaml", bomb.as_bytes()), 2);
}

#[test]
fn ten_thousand_levels_of_nesting() {
    let block = format!("embedguard: 1\nrequests:\n{}x\n", "- ".repeat(10_000));
    syntax_error_at(check_bytes("block.yaml", block.as_bytes()), 3);
    let flow = format!("x: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    syntax_error_at(check_bytes("flow.yaml", flow.as_bytes()), 1);
    let json = format!("{{\"a\": {}{}}}", "[".repeat(10_000), "]".repeat(10_000));
    syntax_error_at(check_bytes("deep.json", json.as_bytes()), 1);
}

#[test]
fn a_100_mb_file_is_refused_before_reading() {
    let dir = scratch("adversarial-huge", &[]);
    let file = std::fs::File::create(dir.join("huge.yaml")).expect("create");
    // Sparse: 100 MB on paper, nothing on disk. The size check must come before any read.
    file.set_len(100 * 1024 * 1024).expect("set_len");
    syntax_error_at(check(&dir, "huge.yaml"), 1);
}

#[test]
fn encodings_and_control_characters() {
    syntax_error_at(
        check_bytes("latin1.yaml", b"embedguard: 1\nname: caf\xe9\n"),
        2,
    );
    syntax_error_at(check_bytes("utf16.yaml", b"\xff\xfee\x00m\x00"), 1);
    syntax_error_at(
        check_bytes("nul.yaml", b"embedguard: 1\nx: \"a\x00b\"\n"),
        2,
    );
    syntax_error_at(
        check_bytes("nul.json", b"{\"embedguard\": 1, \"x\": \"a\x00b\"}"),
        1,
    );
    // A UTF-8 byte-order mark is allowed (YAML and JSON readers skip it).
    let bom = b"\xef\xbb\xbfembedguard: 1\nrequests: []\n";
    assert_eq!(check_bytes("bom.yaml", bom), (0, vec![]));
    let bom = b"\xef\xbb\xbf{\"embedguard\": 1, \"requests\": []}";
    assert_eq!(check_bytes("bom.json", bom), (0, vec![]));
}

#[test]
fn crlf_line_endings_keep_positions() {
    let text = "embedguard: 1\r\nrequests:\r\n  - name: x\r\n    caller: sp\r\n    path: /v1.0/myorg/reports\r\n";
    let (code, found) = check_bytes("crlf.yaml", text.as_bytes());
    assert_eq!(code, 1);
    assert_eq!(found, vec![(5, "EG007".to_string())]);
}

#[test]
fn numbers_beyond_i64_and_f64_are_read_not_crashed_on() {
    for (name, text) in [
        ("big.yaml", "embedguard: 1\nrequests:\n  - name: x\n    caller: sp\n    path: /v1.0/myorg/GenerateToken\n    body:\n      lifetimeInMinutes: 1e400\n      reports: [{ id: 8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d }]\n"),
        ("big.json", "{\"embedguard\": 1, \"requests\": [{\"name\": \"x\", \"caller\": \"sp\", \"path\": \"/v1.0/myorg/GenerateToken\", \"body\": {\"lifetimeInMinutes\": 123456789012345678901234567890, \"reports\": [{\"id\": \"8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\"}]}}]}"),
    ] {
        let (code, _) = check_bytes(name, text.as_bytes());
        assert!(code == 0 || code == 1, "{name}: exit {code}");
    }
}

#[test]
fn duplicate_and_case_duplicate_keys() {
    let text = "embedguard: 1\nrequests:\n  - name: x\n    caller: sp\n    path: /v1.0/myorg/groups/3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c/reports/8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/GenerateToken\n    body:\n      accessLevel: View\n      ACCESSLEVEL: Edit\n      accessLevel: View\n";
    let (code, found) = check_bytes("dup.yaml", text.as_bytes());
    assert_eq!(code, 1);
    assert_eq!(
        found,
        vec![(8, "EG002".to_string()), (9, "EG002".to_string())]
    );
    // Thousands of keys in one object: duplicate detection is not quadratic.
    let mut many = String::from("{\"embedguard\": 1, \"requests\": [], \"x\": {");
    for i in 0..200_000 {
        many.push_str(&format!("\"k{i}\": {i}, "));
    }
    many.push_str("\"k0\": 0}}");
    let (code, _) = check_bytes("many.json", many.as_bytes());
    assert_eq!(code, 1, "the unknown key `x` is EG003");
}

#[test]
fn findings_far_along_one_long_line_are_quoted_in_excerpts() {
    // A minified file is one line. Quoting that line whole for each finding took 10 s and
    // 1.6 GiB for 8,000 repeated keys, and a finding past column 65,535 made miette panic.
    let mut text = String::from("{\"embedguard\":1");
    for _ in 0..8_000 {
        text.push_str(",\"requests\":[]");
    }
    text.push('}');
    let dir = scratch("adversarial-minified", &[]);
    std::fs::write(dir.join("min.json"), &text).expect("write");
    for format in ["human", "short", "github", "sarif"] {
        let (code, out) = check_as(&dir, "min.json", format);
        assert_eq!(code, 1, "--format {format}");
        assert!(out.len() < 64 * 1024 * 1024, "--format {format}");
    }
    let (_, out) = check_as(&dir, "min.json", "human");
    let out = String::from_utf8_lossy(&out);
    assert!(
        out.contains("7999 errors"),
        "{}",
        &out[out.len().saturating_sub(300)..]
    );
    // The last copy, quoted at its own column with the line cut around it.
    let last = format!("min.json:1:{}", text.len() - "\"requests\":[]}".len() + 1);
    assert!(out.contains(&last), "no `{last}`");
    let quoted = out
        .lines()
        .find(|l| l.starts_with(" 1 │ …") && l.ends_with(",\"requests\":[]}"))
        .expect("the end of the line, cut");
    assert!(quoted.len() < 200, "{quoted}");
}

#[test]
fn very_long_strings() {
    let long = "u".repeat(4 * 1024 * 1024);
    let text = format!(
        "embedguard: 1\nrequests:\n  - name: x\n    caller: sp\n    path: /v1.0/myorg/GenerateToken\n    body:\n      reports: [{{ id: 8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d }}]\n      identities: [{{ username: \"{long}\", reports: [8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d] }}]\n"
    );
    let (code, _) = check_bytes("long.yaml", text.as_bytes());
    assert!(code == 0 || code == 1, "exit {code}");
    // YAML itself caps a key written without `?` at 1024 characters.
    let key = "k".repeat(1024 * 1024);
    let text = format!("embedguard: 1\n{key}: 1\n");
    syntax_error_at(check_bytes("longkey.yaml", text.as_bytes()), 2);
    let key = "k".repeat(1000);
    let (code, found) = check_bytes(
        "key.yaml",
        format!("embedguard: 1\nrequests: []\n{key}: 1\n").as_bytes(),
    );
    assert_eq!((code, found), (1, vec![(3, "EG003".to_string())]));
}

#[test]
fn a_large_inventory_named_by_a_description_is_read() {
    // 9 MiB of workspaces: above the 8 MiB cap for files checked as descriptions, below the
    // 256 MiB cap for files named as inventories.
    let mut tenant = String::from(
        "principals:\n  - { name: sp, kind: service_principal }\nworkspaces:\n  - { id: 3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c, name: Sales, type: new, users: { sp: Member } }\n",
    );
    let mut i = 0u64;
    while tenant.len() < 9 * 1024 * 1024 {
        tenant.push_str(&format!(
            "  - {{ id: {:08x}-0000-4000-8000-{:012x}, name: W{i}, type: new }}\n",
            i, i
        ));
        i += 1;
    }
    tenant.push_str("datasets:\n  - { id: 0c9d8e7f-6a5b-4c3d-8e1f-0a9b8c7d6e5f, name: Model, workspace: Sales, rls: none }\nreports:\n  - { id: 8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d, name: Report, workspace: Sales, dataset: Model }\n");
    let description = "embedguard: 1\ninventory: tenant.yaml\nrequests:\n  - name: ok\n    caller: sp\n    path: /v1.0/myorg/GenerateToken\n    body:\n      reports: [{ id: 8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d }]\n      datasets: [{ id: 0c9d8e7f-6a5b-4c3d-8e1f-0a9b8c7d6e5f }]\n";
    let dir = scratch(
        "adversarial-big-tenant",
        &[("tenant.yaml", &tenant), ("a.yaml", description)],
    );
    assert_eq!(check(&dir, "a.yaml"), (0, vec![]));
    // Checked on its own, as a target, the same file is over the description cap.
    syntax_error_at(check(&dir, "tenant.yaml"), 1);
}
