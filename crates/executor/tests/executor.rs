//! The executor against the fake Entra + Power BI service: each way to sign in, the token cache,
//! retries on 429 and 503, no retry on other 4xx, a hung server, request ids and error bodies,
//! and no secret in any error.

#[path = "support/fake.rs"]
mod fake;

use std::path::Path;
use std::time::{Duration, Instant};

use embedguard_executor::credentials::{self as vars};
use embedguard_executor::{
    Cloud, CloudEndpoints, Credentials, Executor, ExecutorError, GenerateTokenCall, HttpConfig,
    HttpError, RetryPolicy, Service,
};
use fake::{Fake, Fault};
use serde_json::json;

const GROUP: &str = "6dfe520a-fe74-4854-b72f-23ade2723cc9";
const REPORT: &str = "37f4169b-c0ed-4711-8d33-a24585e4cd9a";
const DATASET: &str = "7456157a-7cbc-4377-ab13-d9f6ee7ff72c";

fn credentials(pairs: &[(&str, &str)]) -> Credentials {
    let mut all = vec![
        (vars::TENANT_ID, fake::TENANT),
        (vars::CLIENT_ID, fake::CLIENT_ID),
    ];
    all.extend_from_slice(pairs);
    Credentials::from_lookup(
        |n| {
            all.iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| v.to_string())
        },
        Path::new(""),
    )
    .expect("credentials")
}

fn secret() -> Credentials {
    credentials(&[(vars::CLIENT_SECRET, fake::CLIENT_SECRET)])
}

fn quick() -> HttpConfig {
    HttpConfig {
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_millis(700),
        retry: RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(20),
            max_delay: Duration::from_secs(2),
        },
    }
}

fn executor(fake: &Fake, credentials: Credentials, config: HttpConfig) -> Executor {
    let endpoints =
        CloudEndpoints::of(Cloud::Public).with_overrides(Some(&fake.url()), Some(&fake.url()));
    Executor::new(credentials, endpoints, config).expect("executor")
}

fn report_call(fake: &Fake, body: serde_json::Value) -> GenerateTokenCall {
    let endpoints =
        CloudEndpoints::of(Cloud::Public).with_overrides(Some(&fake.url()), Some(&fake.url()));
    GenerateTokenCall::new(
        &endpoints,
        &format!("/v1.0/myorg/groups/{GROUP}/reports/{REPORT}/GenerateToken"),
        [(
            "X-PowerBI-Profile-Id".to_string(),
            "c2f9e8a1-0000-4000-8000-000000000001".to_string(),
        )],
        body.to_string(),
    )
}

/// Every way an error is shown, for the secrets check.
fn shown(e: &ExecutorError) -> String {
    let mut out = format!("{e}\n{e:?}\n");
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str(&format!("{s}\n{s:?}\n"));
        source = s.source();
    }
    out
}

fn assert_no_secret(text: &str, fake: &Fake) {
    for s in [fake::CLIENT_SECRET, fake::PASSWORD] {
        assert!(!text.contains(s), "secret in: {text}");
    }
    for t in fake
        .access_tokens()
        .iter()
        .chain(fake.embed_tokens().iter())
    {
        assert!(!text.contains(t.as_str()), "token in: {text}");
    }
}

#[tokio::test]
async fn client_secret_token_is_cached_and_the_call_is_sent_as_described() {
    let fake = Fake::start();
    let ex = executor(&fake, secret(), quick());
    let body = json!({"accessLevel": "View", "lifetimeInMinutes": 30});
    let token = ex
        .generate_token(&report_call(&fake, body.clone()))
        .await
        .expect("token");
    assert_eq!(fake.embed_tokens(), vec![token.token.expose().to_string()]);
    assert!(!format!("{token:?}").contains(token.token.expose()));
    ex.generate_token(&report_call(&fake, body.clone()))
        .await
        .expect("second token");
    assert_eq!(fake.token_requests(), 1, "the access token is cached");
    assert_eq!(fake.powerbi_requests(), 2);
    let seen = fake.seen();
    let call = seen.iter().rfind(|s| s.service == "powerbi").expect("call");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&call.body).expect("json"),
        body
    );
    assert_eq!(call.headers["content-type"], "application/json");
    assert_eq!(
        call.headers["x-powerbi-profile-id"],
        "c2f9e8a1-0000-4000-8000-000000000001"
    );
}

#[tokio::test]
async fn certificate_assertion_and_master_user_sign_in() {
    let fake = Fake::start();
    let pem = fake::certificate_pem();
    let cert = credentials(&[(vars::CERTIFICATE, &pem)]);
    executor(&fake, cert, quick())
        .generate_token(&report_call(&fake, json!({"accessLevel": "View"})))
        .await
        .expect("certificate: the fake verified the RS256 assertion");
    let user = credentials(&[
        (vars::USERNAME, fake::USERNAME),
        (vars::PASSWORD, fake::PASSWORD),
    ]);
    executor(&fake, user, quick())
        .generate_token(&report_call(&fake, json!({"accessLevel": "View"})))
        .await
        .expect("master user");
    let grants: Vec<String> = fake
        .seen()
        .iter()
        .filter(|s| s.service == "token")
        .map(|s| s.body.clone())
        .collect();
    assert!(grants[0].contains(
        "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
    ));
    assert!(grants[1].contains("grant_type=password"));
    assert_eq!(fake.token_requests(), 2);
}

#[tokio::test]
async fn a_wrong_secret_is_a_sign_in_error_with_its_request_id_and_no_secret() {
    let fake = Fake::start();
    let wrong = credentials(&[(vars::CLIENT_SECRET, "not~the~secret~value-123")]);
    let e = executor(&fake, wrong, quick())
        .generate_token(&report_call(&fake, json!({})))
        .await
        .expect_err("refused");
    match &e {
        ExecutorError::SignIn {
            status,
            error,
            description,
            request_id,
            ..
        } => {
            assert_eq!(*status, 401);
            assert_eq!(error, "invalid_client");
            assert!(description
                .as_deref()
                .is_some_and(|d| d.starts_with("AADSTS7000215")));
            assert!(request_id.is_some());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(fake.powerbi_requests(), 0);
    let text = shown(&e);
    assert!(!text.contains("not~the~secret~value-123"), "{text}");
    assert_no_secret(&text, &fake);
}

#[tokio::test]
async fn throttling_is_retried_after_retry_after() {
    let fake = Fake::start();
    let ex = executor(&fake, secret(), quick());
    fake.fail_powerbi(&[Fault::Throttle(1)]);
    let started = Instant::now();
    ex.generate_token(&report_call(&fake, json!({"accessLevel": "View"})))
        .await
        .expect("token after one 429");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(1),
        "Retry-After honoured: {waited:?}"
    );
    assert!(waited < Duration::from_secs(3), "{waited:?}");
    assert_eq!(fake.powerbi_requests(), 2);

    fake.fail_powerbi(&[Fault::Unavailable, Fault::Unavailable]);
    fake.fail_token(&[Fault::Unavailable]);
    let fresh = executor(&fake, secret(), quick());
    fresh
        .generate_token(&report_call(&fake, json!({"accessLevel": "View"})))
        .await
        .expect("token after 503s");
    assert_eq!(fake.powerbi_requests(), 5);
    assert_eq!(fake.token_requests(), 3);
}

#[tokio::test]
async fn throttling_beyond_the_retries_is_an_error_with_the_request_id() {
    let fake = Fake::start();
    let mut config = quick();
    config.retry.max_retries = 2;
    let ex = executor(&fake, secret(), config);
    fake.fail_powerbi(&[Fault::Throttle(0); 3]);
    let e = ex
        .generate_token(&report_call(&fake, json!({})))
        .await
        .expect_err("still throttled");
    match &e {
        ExecutorError::PowerBi {
            status: 429,
            attempts: 3,
            request_id: Some(_),
            ..
        } => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(fake.powerbi_requests(), 3);
    assert_no_secret(&shown(&e), &fake);
}

#[tokio::test]
async fn a_power_bi_refusal_is_parsed_and_not_retried() {
    let fake = Fake::start();
    fake.needs_identity(REPORT);
    let ex = executor(&fake, secret(), quick());
    let e = ex
        .generate_token(&report_call(&fake, json!({"accessLevel": "View"})))
        .await
        .expect_err("needs an identity");
    match &e {
        ExecutorError::PowerBi {
            status: 400,
            code,
            message,
            request_id,
            attempts: 1,
            ..
        } => {
            assert_eq!(code.as_deref(), Some("InvalidRequest"));
            assert!(message
                .as_deref()
                .is_some_and(|m| m.ends_with("requires effective identity to be provided")));
            assert!(request_id.as_deref().is_some_and(|r| r.starts_with("fa4e")));
            assert_eq!(e.request_id(), request_id.as_deref());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(fake.powerbi_requests(), 1, "a 400 is not sent again");
    assert_no_secret(&shown(&e), &fake);
    // V1 with two identities: D4.
    let two = json!({"accessLevel": "View", "identities": [
        {"username": "a", "roles": ["r"], "datasets": [DATASET]},
        {"username": "b", "roles": ["r"], "datasets": [DATASET]}]});
    let e = ex
        .generate_token(&report_call(&fake, two))
        .await
        .expect_err("D4");
    assert!(
        e.to_string()
            .contains("multiple identities is not supported"),
        "{e}"
    );
}

#[tokio::test]
async fn a_hung_server_times_out_without_retrying() {
    let fake = Fake::start();
    let ex = executor(&fake, secret(), quick());
    fake.fail_powerbi(&[Fault::Hang]);
    let started = Instant::now();
    let e = ex
        .generate_token(&report_call(&fake, json!({})))
        .await
        .expect_err("timeout");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(
            &e,
            ExecutorError::Transport {
                service: Service::PowerBi,
                source: HttpError::Timeout { attempts: 1, .. }
            }
        ),
        "{e:?}"
    );
    assert_eq!(fake.powerbi_requests(), 1);
    fake.fail_token(&[Fault::Hang]);
    let e = executor(&fake, secret(), quick())
        .generate_token(&report_call(&fake, json!({})))
        .await
        .expect_err("sign-in timeout");
    assert!(
        matches!(
            &e,
            ExecutorError::Transport {
                service: Service::Entra,
                ..
            }
        ),
        "{e:?}"
    );
}

#[tokio::test]
async fn an_expired_access_token_is_renewed_once() {
    let fake = Fake::start();
    let ex = executor(&fake, secret(), quick());
    ex.generate_token(&report_call(&fake, json!({})))
        .await
        .expect("first");
    fake.expire_access_tokens();
    ex.generate_token(&report_call(&fake, json!({})))
        .await
        .expect("renewed");
    assert_eq!(fake.token_requests(), 2);
    assert_eq!(fake.powerbi_requests(), 3);
}

#[tokio::test]
async fn nothing_listening_is_unreachable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let endpoints = CloudEndpoints::of(Cloud::Public).with_overrides(Some(&url), Some(&url));
    let ex = Executor::new(secret(), endpoints.clone(), quick()).expect("executor");
    let call = GenerateTokenCall::new(&endpoints, "/v1.0/myorg/GenerateToken", [], "{}".into());
    let e = ex.generate_token(&call).await.expect_err("unreachable");
    assert!(
        matches!(
            &e,
            ExecutorError::Transport {
                service: Service::Entra,
                source: HttpError::Unreachable { .. }
            }
        ),
        "{e:?}"
    );
    assert!(!shown(&e).contains(fake::CLIENT_SECRET));
}

#[tokio::test]
async fn values_marked_sensitive_are_never_echoed_in_an_error() {
    let fake = Fake::start();
    let ex = executor(&fake, secret(), quick());
    let blob = "eyJ0eXAiOiJKV1QifQ.identity-blob-access-token.sig";
    let body = json!({"accessLevel": "View", "identities": [{"identityBlob": {"value": blob}}]});
    fake.fail_powerbi(&[Fault::Echo, Fault::Echo]);
    // Without marking, the fake's echo reaches the error: the test can fail.
    let plain = ex
        .generate_token(&report_call(&fake, body.clone()))
        .await
        .expect_err("echo");
    assert!(shown(&plain).contains(blob));
    let marked = ex
        .generate_token(
            &report_call(&fake, body).with_sensitive([embedguard_executor::Secret::new(blob)]),
        )
        .await
        .expect_err("echo");
    assert!(!shown(&marked).contains(blob), "{}", shown(&marked));
    assert!(shown(&marked).contains("InvalidRequest"));
}
