//! `embedguard token` end to end, against the fake Entra + Power BI service
//! (`crates/executor/tests/support/fake.rs`): every clean fixture request gets a token, every
//! failing one is refused without a single request reaching the service, throttling and a hung
//! service are survived within the timeouts, a Power BI refusal names the rule behind it, and no
//! failure prints a secret or a token.

mod common;
#[path = "../crates/executor/tests/support/fake.rs"]
mod fake;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use embedguard_core::Engine;
use fake::{Fake, Fault};

use common::{root, scratch};

/// Runs `embedguard token ARGS` against `fake` with `env` as the only EMBEDGUARD_* variables.
fn token(fake: &Fake, args: &[&str], env: &[(&str, &str)]) -> Output {
    let url = fake.url();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_embedguard"));
    cmd.arg("token")
        .args(args)
        .args(["--api-root", &url, "--authority", &url])
        .current_dir(root())
        .env("NO_COLOR", "1");
    // Short timeouts unless the test sets its own.
    for (flag, value) in [
        ("--timeout", "3"),
        ("--connect-timeout", "2"),
        ("--max-retry-wait", "3"),
    ] {
        if !args.contains(&flag) {
            cmd.args([flag, value]);
        }
    }
    for (name, _) in std::env::vars() {
        if name.starts_with("EMBEDGUARD_") {
            cmd.env_remove(name);
        }
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run embedguard")
}

fn secret_env() -> Vec<(&'static str, &'static str)> {
    vec![
        ("EMBEDGUARD_TENANT_ID", fake::TENANT),
        ("EMBEDGUARD_CLIENT_ID", fake::CLIENT_ID),
        ("EMBEDGUARD_CLIENT_SECRET", fake::CLIENT_SECRET),
    ]
}

/// The sign-in of the principal a request was checked as (the `caller` of its `--dry-run`
/// plan), made known to `fake`: the service principal's app with the secret, or the master user
/// with the password; the fake's own app when no inventory names the caller.
fn signing_in_as(fake: &Fake, plan: &Output) -> Vec<(&'static str, String)> {
    let plan: serde_json::Value = serde_json::from_slice(&plan.stdout).unwrap_or_default();
    let caller = &plan["caller"];
    let mut env = vec![("EMBEDGUARD_TENANT_ID", fake::TENANT.to_string())];
    if caller["kind"] == "master user" {
        let upn = caller["upn"].as_str().unwrap_or(fake::USERNAME);
        fake.knows_user(upn);
        env.extend([
            ("EMBEDGUARD_CLIENT_ID", fake::CLIENT_ID.to_string()),
            ("EMBEDGUARD_USERNAME", upn.to_string()),
            ("EMBEDGUARD_PASSWORD", fake::PASSWORD.to_string()),
        ]);
    } else {
        let app = caller["app_id"].as_str().unwrap_or(fake::CLIENT_ID);
        fake.knows_app(app);
        env.extend([
            ("EMBEDGUARD_CLIENT_ID", app.to_string()),
            ("EMBEDGUARD_CLIENT_SECRET", fake::CLIENT_SECRET.to_string()),
        ]);
    }
    env
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Every description fixture: each rule's pass and fail file, Microsoft's examples, the
/// official samples, the ISV policy pair, the JSON pair.
fn fixture_files() -> Vec<PathBuf> {
    let f = root().join("fixtures");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(f.join("rules")).expect("rules") {
        let dir = entry.expect("entry").path();
        for name in ["pass.yaml", "fail.yaml"] {
            if dir.join(name).exists() {
                files.push(dir.join(name));
            }
        }
    }
    for dir in ["microsoft", "samples", "policy-isv", "json"] {
        for entry in std::fs::read_dir(f.join(dir)).expect("dir") {
            let p = entry.expect("entry").path();
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if (ext == "yaml" || ext == "json") && name != "tenant.yaml" {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

/// The request names of a description file, as embedguard reads them.
fn request_names(path: &Path) -> Vec<String> {
    let bytes = std::fs::read(path).expect("read");
    let format = embedguard_cli::source::Format::from_path(path);
    let Ok(doc) = embedguard_cli::source::parse(&bytes, format) else {
        return Vec::new();
    };
    let engine = Engine::new().expect("engine");
    engine
        .read_description(&doc.value)
        .description
        .requests
        .iter()
        .map(|r| r.name.clone())
        .collect()
}

/// `--var NAME=VALUE` for every placeholder in the file.
fn vars(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut out = Vec::new();
    for (open, close) in [("${", "}"), ("{{", "}}")] {
        let mut rest = text.as_str();
        while let Some(i) = rest.find(open) {
            rest = &rest[i + open.len()..];
            if let Some(j) = rest.find(close) {
                let name = rest[..j].trim();
                if !name.is_empty() && !name.contains('\n') {
                    out.push(format!("{name}=v-{}", name.replace(['.', '_'], "-")));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// What `check --format json` says about each request of a file: `Some(true)` when the request
/// has an error-level finding (or the file as a whole has one), `None` when the input failed.
fn lint_verdicts(path: &Path, names: &[String]) -> Option<Vec<bool>> {
    let out = common::embedguard(
        &["check", path.to_str().expect("utf8"), "--format", "json"],
        &root(),
    );
    if out.status.code() == Some(2) {
        return None;
    }
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let diags = json["diagnostics"].as_array().cloned().unwrap_or_default();
    Some(
        names
            .iter()
            .map(|n| {
                diags.iter().any(|d| {
                    d["severity"] == "error"
                        && (d["request"].is_null() || d["request"].as_str() == Some(n))
                })
            })
            .collect(),
    )
}

#[test]
fn every_clean_fixture_gets_a_token_and_every_failing_one_sends_nothing() {
    let clean_service = Fake::start();
    // Failing requests talk to their own fake, which must never see a single request.
    let refusing_service = Fake::start();
    let mut jobs: Vec<(PathBuf, String, bool, Vec<String>)> = Vec::new();
    let mut unreadable = Vec::new();
    for file in fixture_files() {
        let names = request_names(&file);
        match lint_verdicts(&file, &names) {
            None => unreadable.push(file),
            Some(verdicts) => {
                let v = vars(&file);
                for (name, failing) in names.into_iter().zip(verdicts) {
                    jobs.push((file.clone(), name, failing, v.clone()));
                }
            }
        }
    }
    let clean = jobs.iter().filter(|j| !j.2).count();
    let failing = jobs.len() - clean;
    assert!(
        clean >= 100 && failing >= 70,
        "{clean} clean, {failing} failing requests"
    );
    eprintln!("{clean} clean and {failing} failing fixture requests");
    let env = secret_env();
    let problems: Vec<String> = std::thread::scope(|s| {
        let workers: Vec<_> = jobs
            .chunks(jobs.len().div_ceil(4))
            .map(|chunk| {
                let (clean_service, refusing_service, env) =
                    (&clean_service, &refusing_service, &env);
                s.spawn(move || {
                    let mut problems = Vec::new();
                    for (file, name, failing, vars) in chunk {
                        let mut args = vec![file.to_str().expect("utf8"), "--request", name];
                        for v in vars {
                            args.extend(["--var", v.as_str()]);
                        }
                        let service = if *failing {
                            refusing_service
                        } else {
                            clean_service
                        };
                        // A clean request signs in as the principal it was checked as.
                        let signed_in;
                        let env: Vec<(&str, &str)> = if *failing {
                            env.clone()
                        } else {
                            let mut plan_args = args.clone();
                            plan_args.push("--dry-run");
                            signed_in = signing_in_as(service, &token(service, &plan_args, &[]));
                            signed_in.iter().map(|(k, v)| (*k, v.as_str())).collect()
                        };
                        let out = token(service, &args, &env);
                        let expected = if *failing { 1 } else { 0 };
                        if out.status.code() != Some(expected) {
                            problems.push(format!(
                                "{} `{name}`: exit {:?}, expected {expected}\n{}",
                                file.display(),
                                out.status.code(),
                                text(&out)
                            ));
                            continue;
                        }
                        if !*failing {
                            let json: serde_json::Value =
                                serde_json::from_slice(&out.stdout).expect("EmbedToken JSON");
                            let t = json["token"].as_str().unwrap_or_default().to_string();
                            if !service.embed_tokens().contains(&t)
                                || !json["tokenId"].is_string()
                                || !json["expiration"].is_string()
                            {
                                problems.push(format!("{} `{name}`: {json}", file.display()));
                            }
                        }
                    }
                    problems
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("worker"))
            .collect()
    });
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    assert_eq!(
        refusing_service.requests(),
        0,
        "a request with an error-level finding reached the service"
    );
    assert_eq!(clean_service.embed_tokens().len(), clean);
    assert_eq!(clean_service.powerbi_requests(), clean);
    // A file that does not parse is refused with exit 2, nothing sent.
    assert!(!unreadable.is_empty());
    for file in &unreadable {
        let out = token(
            &refusing_service,
            &[file.to_str().expect("utf8"), "--request", "any"],
            &env,
        );
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    }
    assert_eq!(refusing_service.requests(), 0);
}

/// A description whose tenant facts are silent about row-level security: the lint passes, and
/// Power BI (the fake, told the report's dataset has RLS) refuses.
const PORTAL: &str = "embedguard: 1
requests:
  - name: portal
    caller: embed-sp
    path: /v1.0/myorg/groups/6dfe520a-fe74-4854-b72f-23ade2723cc9/reports/37f4169b-c0ed-4711-8d33-a24585e4cd9a/GenerateToken
    headers:
      Content-Type: application/json
      X-PowerBI-Profile-Id: c2f9e8a1-0000-4000-8000-000000000001
    body:
      accessLevel: View
      lifetimeInMinutes: 30
  - name: placeholder
    caller: embed-sp
    path: /v1.0/myorg/GenerateToken
    body:
      reports: [{ id: 37f4169b-c0ed-4711-8d33-a24585e4cd9a }]
      datasets: [{ id: 7456157a-7cbc-4377-ab13-d9f6ee7ff72c }]
      identities:
        - username: \"${user.email}\"
          roles: [Customer]
          datasets: [7456157a-7cbc-4377-ab13-d9f6ee7ff72c]
";

const REPORT: &str = "37f4169b-c0ed-4711-8d33-a24585e4cd9a";

fn portal(name: &str) -> PathBuf {
    scratch(name, &[("portal.yaml", PORTAL)]).join("portal.yaml")
}

#[test]
fn the_call_is_sent_as_described() {
    let fake = Fake::start();
    let file = portal("sent");
    let out = token(
        &fake,
        &[file.to_str().expect("utf8"), "--request", "portal"],
        &secret_env(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let seen = fake.seen();
    let call = seen.iter().find(|s| s.service == "powerbi").expect("call");
    assert_eq!(
        call.body,
        r#"{"accessLevel":"View","lifetimeInMinutes":30}"#
    );
    assert_eq!(
        call.headers["x-powerbi-profile-id"],
        "c2f9e8a1-0000-4000-8000-000000000001"
    );
    assert!(call
        .path
        .ends_with(&format!("/reports/{REPORT}/GenerateToken")));
    // A placeholder is filled from --var, and a request with one unfilled is never sent.
    let out = token(
        &fake,
        &[file.to_str().expect("utf8"), "--request", "placeholder"],
        &secret_env(),
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("`user.email`"), "{}", text(&out));
    assert_eq!(fake.powerbi_requests(), 1);
    let out = token(
        &fake,
        &[
            file.to_str().expect("utf8"),
            "--request",
            "placeholder",
            "--var",
            "user.email=alice@contoso.com",
        ],
        &secret_env(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let seen = fake.seen();
    let call = seen.iter().rfind(|s| s.service == "powerbi").expect("call");
    assert!(
        call.body.contains(r#""username":"alice@contoso.com""#),
        "{}",
        call.body
    );
}

#[test]
fn dry_run_prints_the_call_and_sends_nothing() {
    let fake = Fake::start();
    let file = portal("dry");
    let out = token(
        &fake,
        &[
            file.to_str().expect("utf8"),
            "--request",
            "portal",
            "--dry-run",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(plan["method"], "POST");
    assert_eq!(
        plan["url"],
        format!("{}/v1.0/myorg/groups/6dfe520a-fe74-4854-b72f-23ade2723cc9/reports/{REPORT}/GenerateToken", fake.url())
    );
    assert_eq!(plan["body"]["lifetimeInMinutes"], 30);
    assert_eq!(
        plan["headers"]["X-PowerBI-Profile-Id"],
        "c2f9e8a1-0000-4000-8000-000000000001"
    );
    assert_eq!(fake.requests(), 0);
}

#[test]
fn throttling_is_survived() {
    let fake = Fake::start();
    fake.fail_powerbi(&[Fault::Throttle(1), Fault::Unavailable]);
    let file = portal("throttle");
    let started = Instant::now();
    let out = token(
        &fake,
        &[file.to_str().expect("utf8"), "--request", "portal"],
        &secret_env(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured"
    );
    assert_eq!(fake.powerbi_requests(), 3);
    assert_eq!(fake.embed_tokens().len(), 1);
}

#[test]
fn a_hung_service_fails_within_the_timeout() {
    let fake = Fake::start();
    fake.fail_powerbi(&[Fault::Hang]);
    let file = portal("hang");
    let started = Instant::now();
    let out = token(
        &fake,
        &[
            file.to_str().expect("utf8"),
            "--request",
            "portal",
            "--timeout",
            "1",
        ],
        &secret_env(),
    );
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert!(text(&out).contains("within the timeout"), "{}", text(&out));
    assert_eq!(fake.powerbi_requests(), 1, "a timeout is not retried");
}

#[test]
fn a_power_bi_refusal_names_the_rule_and_the_request_id() {
    let fake = Fake::start();
    fake.needs_identity(REPORT);
    let file = portal("refusal");
    let out = token(
        &fake,
        &[file.to_str().expect("utf8"), "--request", "portal"],
        &secret_env(),
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let shown = text(&out);
    assert!(shown.contains("EG301"), "{shown}");
    assert!(shown.contains("rls-identity-required"), "{shown}");
    assert!(
        shown.contains("requires effective identity to be provided"),
        "{shown}"
    );
    assert!(shown.contains("RequestId: fa4e0000-"), "{shown}");
    assert!(out.stdout.is_empty());
    assert_eq!(fake.powerbi_requests(), 1, "a 400 is not sent again");
}

#[test]
fn other_refusals_of_facts_d_are_shown_with_what_power_bi_said() {
    let fake = Fake::start();
    let file = portal("refusals");
    let f = file.to_str().expect("utf8");
    // D9: not a member of the workspace.
    fake.not_member_of("6dfe520a-fe74-4854-b72f-23ade2723cc9");
    let out = token(&fake, &[f, "--request", "portal"], &secret_env());
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let shown = text(&out);
    assert!(
        shown.contains("403 PowerBINotAuthorizedException"),
        "{shown}"
    );
    assert!(shown.contains("EG106 caller-not-member"), "{shown}");
    // D10: the tenant switch for service principals is off.
    fake.deny_service_principals();
    let out = token(&fake, &[f, "--request", "portal"], &secret_env());
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let shown = text(&out);
    assert!(
        shown.contains("X-PowerBI-Error-Info: ServicePrincipalIsNotAllowedByTenantAdminSwitch"),
        "{shown}"
    );
    assert!(shown.contains("RequestId: fa4e0000-"), "{shown}");
}

#[test]
fn every_way_to_sign_in_works_and_the_credentials_file_too() {
    let fake = Fake::start();
    let file = portal("sign-in");
    let f = file.to_str().expect("utf8");
    let pem = fake::certificate_pem();
    let cert = [
        ("EMBEDGUARD_TENANT_ID", fake::TENANT),
        ("EMBEDGUARD_CLIENT_ID", fake::CLIENT_ID),
        ("EMBEDGUARD_CERTIFICATE", pem.as_str()),
    ];
    let out = token(&fake, &[f, "--request", "portal"], &cert);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let user = [
        ("EMBEDGUARD_TENANT_ID", fake::TENANT),
        ("EMBEDGUARD_CLIENT_ID", fake::CLIENT_ID),
        ("EMBEDGUARD_USERNAME", fake::USERNAME),
        ("EMBEDGUARD_PASSWORD", fake::PASSWORD),
    ];
    let out = token(&fake, &[f, "--request", "portal"], &user);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let creds = file.with_file_name("credentials.env");
    std::fs::write(
        &creds,
        format!(
            "# test only\nEMBEDGUARD_TENANT_ID={}\nEMBEDGUARD_CLIENT_ID={}\nEMBEDGUARD_CLIENT_SECRET=\"{}\"\n",
            fake::TENANT,
            fake::CLIENT_ID,
            fake::CLIENT_SECRET
        ),
    )
    .expect("write");
    let out = token(
        &fake,
        &[
            f,
            "--request",
            "portal",
            "--credentials",
            creds.to_str().expect("utf8"),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(fake.embed_tokens().len(), 3);
    // No credentials at all: exit 2, nothing sent.
    let before = fake.requests();
    let out = token(&fake, &[f, "--request", "portal"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("EMBEDGUARD_TENANT_ID"),
        "{}",
        text(&out)
    );
    assert_eq!(fake.requests(), before);
}

#[test]
fn no_failure_prints_a_secret_or_a_token() {
    let fake = Fake::start();
    let file = portal("secrets");
    let f = file.to_str().expect("utf8");
    // One success first, so the fake has issued tokens the failures could leak.
    let ok = token(&fake, &[f, "--request", "portal"], &secret_env());
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    let wrong_secret = "Wrong~Secret.Value-0000-1111";
    let wrong_password = "Wrong-Password-#0000!";
    let mut printed: Vec<(String, Output)> = Vec::new();
    // Entra refuses the secret; the password.
    let mut env = secret_env();
    env[2].1 = wrong_secret;
    printed.push((
        "wrong secret".into(),
        token(&fake, &[f, "--request", "portal"], &env),
    ));
    let user = [
        ("EMBEDGUARD_TENANT_ID", fake::TENANT),
        ("EMBEDGUARD_CLIENT_ID", fake::CLIENT_ID),
        ("EMBEDGUARD_USERNAME", fake::USERNAME),
        ("EMBEDGUARD_PASSWORD", wrong_password),
    ];
    printed.push((
        "wrong password".into(),
        token(&fake, &[f, "--request", "portal"], &user),
    ));
    // Power BI refuses, throttles past the retries, hangs, and says the access token expired
    // after a refusal (renewed, then refused again).
    fake.needs_identity(REPORT);
    printed.push((
        "refusal".into(),
        token(&fake, &[f, "--request", "portal"], &secret_env()),
    ));
    fake.fail_powerbi(&[Fault::Throttle(0); 4]);
    printed.push((
        "throttled".into(),
        token(
            &fake,
            &[f, "--request", "portal", "--retries", "3"],
            &secret_env(),
        ),
    ));
    fake.fail_powerbi(&[Fault::Hang]);
    printed.push((
        "hang".into(),
        token(
            &fake,
            &[f, "--request", "portal", "--timeout", "1"],
            &secret_env(),
        ),
    ));
    fake.fail_token(&[Fault::Unavailable; 4]);
    printed.push((
        "entra unavailable".into(),
        token(
            &fake,
            &[f, "--request", "portal", "--retries", "3"],
            &secret_env(),
        ),
    ));
    // The lint refuses (a secret written in the file is EG501, and is masked).
    let leaky = PORTAL.replace(
        "      lifetimeInMinutes: 30\n",
        &format!(
            "      lifetimeInMinutes: 30\n      clientSecret: \"{}\"\n",
            fake::CLIENT_SECRET
        ),
    );
    let leaky_file = scratch("secrets-lint", &[("portal.yaml", &leaky)]).join("portal.yaml");
    printed.push((
        "lint".into(),
        token(
            &fake,
            &[leaky_file.to_str().expect("utf8"), "--request", "portal"],
            &secret_env(),
        ),
    ));
    // Credentials that cannot be used.
    let mut both = secret_env();
    both.push(("EMBEDGUARD_PASSWORD", fake::PASSWORD));
    printed.push((
        "ambiguous".into(),
        token(&fake, &[f, "--request", "portal"], &both),
    ));

    let mut forbidden: Vec<String> = vec![
        fake::CLIENT_SECRET.into(),
        fake::PASSWORD.into(),
        wrong_secret.into(),
        wrong_password.into(),
    ];
    forbidden.extend(fake.access_tokens());
    forbidden.extend(fake.embed_tokens());
    assert!(
        fake.access_tokens().len() >= 4,
        "the failures had tokens to leak"
    );
    for (case, out) in &printed {
        assert_ne!(out.status.code(), Some(0), "{case}: {}", text(out));
        let bytes = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
        for secret in &forbidden {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{case} printed a secret or token:\n{}",
                text(out)
            );
        }
    }
    assert_eq!(
        printed
            .iter()
            .filter(|(_, o)| o.status.code() == Some(3))
            .count(),
        6
    );
}

#[test]
fn credentials_for_another_principal_than_the_caller_are_refused_before_sign_in() {
    let fake = Fake::start();
    let file = "fixtures/microsoft/no-rls.yaml";
    let args = [file, "--request", "e1-dataset-and-two-reports-one-editable"];
    // The plan names whom the request was checked as.
    let plan = token(&fake, &[args.as_slice(), &["--dry-run"]].concat(), &[]);
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan));
    let json: serde_json::Value = serde_json::from_slice(&plan.stdout).expect("plan JSON");
    assert_eq!(
        json["caller"],
        serde_json::json!({
            "principal": "contoso-embed-sp",
            "kind": "service principal",
            "app_id": "b5a93a88-cb01-46b1-8482-ade900877b78",
        })
    );
    // A master user's sign-in, and another app's: exit 2, not a single request sent.
    let user = [
        ("EMBEDGUARD_TENANT_ID", fake::TENANT),
        ("EMBEDGUARD_CLIENT_ID", fake::CLIENT_ID),
        ("EMBEDGUARD_USERNAME", fake::USERNAME),
        ("EMBEDGUARD_PASSWORD", fake::PASSWORD),
    ];
    let out = token(&fake, &args, &user);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains(
            "checked as service principal `contoso-embed-sp`, but the credentials sign in as a master user"
        ),
        "{}",
        text(&out)
    );
    let out = token(&fake, &args, &secret_env());
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("another app"), "{}", text(&out));
    assert!(!text(&out).contains(fake::CLIENT_ID), "{}", text(&out));
    assert_eq!(fake.requests(), 0);
    // The caller's own app signs in and gets its token.
    fake.knows_app("b5a93a88-cb01-46b1-8482-ade900877b78");
    let own = [
        ("EMBEDGUARD_TENANT_ID", fake::TENANT),
        (
            "EMBEDGUARD_CLIENT_ID",
            "B5A93A88-CB01-46B1-8482-ADE900877B78",
        ),
        ("EMBEDGUARD_CLIENT_SECRET", fake::CLIENT_SECRET),
    ];
    let out = token(&fake, &args, &own);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(fake.embed_tokens().len(), 1);
}
