//! The gateway over real HTTP on 127.0.0.1: every fixture request is decided as `embedguard check`
//! decides it, through `/v1/decide`, the proxy, Envoy's ext_authz service and the tower layer; a
//! denied request never reaches the (counting) upstream; a broken reload changes nothing; and
//! what cannot be read or identified is denied.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::routing::any;
use axum::Router;
use embedguard_core::inventory::Tenant;
use embedguard_core::policy::Policy;
use embedguard_core::value::Value;
use embedguard_core::Engine;
use embedguard_executor::{HttpClient, HttpConfig, HttpResponse, RetryPolicy};
use embedguard_gateway::caller::CallerSource;
use embedguard_gateway::log::Logging;
use embedguard_gateway::{Decider, EmbedGuardLayer, Gateway, GatewayConfig};
use embedguard_source::Format;

use common::root;

const CALLER_HEADER: &str = "x-embedguard-caller";

/// The codes a file's `# embedguard: ignore[…]` comments name (by code or name).
fn silenced_codes(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let Some(at) = line.find("embedguard: ignore[") else {
            continue;
        };
        let rest = &line[at + "embedguard: ignore[".len()..];
        let list = rest.split(']').next().unwrap_or_default();
        for name in list.split(',') {
            if let Some(rule) = embedguard_core::Rule::lookup(name.trim()) {
                out.insert(rule.code().to_string());
            }
        }
    }
    out
}

/// `(code, severity, pointer)` of each diagnostic.
type Seen = BTreeSet<(String, String, String)>;

fn seen(diagnostics: &[serde_json::Value], strip: &str) -> Seen {
    diagnostics
        .iter()
        .filter_map(|d| {
            let pointer = d["pointer"].as_str()?;
            let rest = if strip.is_empty() {
                pointer
            } else if pointer == strip {
                ""
            } else {
                pointer.strip_prefix(strip).filter(|r| r.starts_with('/'))?
            };
            Some((
                d["code"].as_str()?.to_string(),
                d["severity"].as_str()?.to_string(),
                rest.to_string(),
            ))
        })
        .collect()
}

fn errors(seen: &Seen) -> BTreeSet<String> {
    seen.iter()
        .filter(|(_, s, _)| s == "error")
        .map(|(c, _, _)| c.clone())
        .collect()
}

/// The tenant a description is judged against, as `check` resolves it.
fn tenant_of(engine: &Engine, file: &Path, doc: &Value) -> Option<Tenant> {
    let read = engine.read_description(doc);
    if let Some(inline) = read.description.tenant {
        return Some(engine.resolve_inventory(inline).0);
    }
    let rel = read.description.inventory_path.get()?.clone();
    let path = file.parent().expect("dir").join(rel);
    let bytes = std::fs::read(&path).ok()?;
    let inventory = embedguard_source::parse_limited(
        &bytes,
        Format::from_path(&path),
        embedguard_source::MAX_INVENTORY_BYTES,
    )
    .ok()?;
    Some(engine.read_inventory(&inventory.value).0)
}

/// A fake Power BI that counts what reaches it and answers like GenerateToken.
async fn counting_upstream() -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&hits);
    // It says in its answer what reached it: whether the credentials and the trusted caller
    // header were passed on, and the body it got.
    let app = Router::new().fallback(any(
        move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
            let counter = Arc::clone(&counter);
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                let has = |n: &str| if headers.contains_key(n) { "yes" } else { "no" };
                (
                    [
                        ("content-type", "application/json".to_string()),
                        ("requestid", "fake-1".to_string()),
                        ("x-seen-authorization", has("authorization").to_string()),
                        ("x-seen-caller-header", has(CALLER_HEADER).to_string()),
                        ("x-seen-body", String::from_utf8_lossy(&body).to_string()),
                    ],
                    r#"{"token":"H4sI-fake","tokenId":"00000000-0000-0000-0000-000000000001","expiration":"2030-01-01T00:00:00Z"}"#,
                )
            }
        },
    ));
    (serve(app).await, hits)
}

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    format!("http://{addr}")
}

struct Harness {
    decider: Arc<Decider>,
    shared: Arc<Gateway>,
    gateway: String,
    layered: String,
    upstream_hits: Arc<AtomicUsize>,
    inner_hits: Arc<AtomicUsize>,
    client: HttpClient,
}

async fn harness(caller: CallerSource, tenant: Option<Tenant>) -> Harness {
    harness_with(caller, tenant, |_| ()).await
}

async fn harness_with(
    caller: CallerSource,
    tenant: Option<Tenant>,
    adjust: impl FnOnce(&mut GatewayConfig),
) -> Harness {
    let engine = Engine::new().expect("engine");
    let decider = Arc::new(Decider::new(engine, tenant, Policy::default()));
    let (upstream, upstream_hits) = counting_upstream().await;
    let mut config = GatewayConfig {
        caller,
        upstream,
        logging: Logging::Off,
        ..GatewayConfig::default()
    };
    adjust(&mut config);
    let gateway = Arc::new(Gateway::new(Arc::clone(&decider), config).expect("gateway"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let g = Arc::clone(&gateway);
    let shared = Arc::clone(&gateway);
    tokio::spawn(async move {
        embedguard_gateway::server::serve(listener, g, std::future::pending())
            .await
            .expect("serve")
    });
    let inner_hits = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&inner_hits);
    let app = Router::new()
        .fallback(any(move || {
            let counter = Arc::clone(&counter);
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                "inner"
            }
        }))
        .layer(EmbedGuardLayer::new(gateway));
    let layered = serve(app).await;
    let client = HttpClient::new(HttpConfig {
        retry: RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        },
        ..HttpConfig::default()
    })
    .expect("client");
    Harness {
        decider,
        shared,
        gateway: format!("http://{addr}"),
        layered,
        upstream_hits,
        inner_hits,
        client,
    }
}

impl Harness {
    async fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> HttpResponse {
        let method = axum::http::Method::from_bytes(method.as_bytes()).expect("method");
        self.client
            .send(url, |c| {
                let mut r = c.request(method.clone(), url);
                for (n, v) in headers {
                    r = r.header(n.as_str(), v.as_str());
                }
                r.body(body.to_vec())
            })
            .await
            .expect("answer")
    }

    async fn post(&self, url: &str, headers: &[(String, String)], body: &[u8]) -> HttpResponse {
        self.send("POST", url, headers, body).await
    }

    async fn decide(&self, json: &str) -> serde_json::Value {
        let r = self
            .post(
                &format!("{}/v1/decide", self.gateway),
                &[("content-type".into(), "application/json".into())],
                json.as_bytes(),
            )
            .await;
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        serde_json::from_slice(&r.body).expect("decision")
    }
}

/// A fixture request as it goes on the wire: method, path, headers, body; `None` when it cannot
/// be sent as HTTP (a `url` with a host, a caller or header that is not a string, a path that is
/// not a valid request target).
struct Wire {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn wire_of(request: &Value) -> Option<Wire> {
    // Only what HTTP can carry: no `scenario` or `url` (the wire has neither), no key written
    // twice or misspelt (a description's mistakes, not a request's).
    let keys: Vec<&str> = request
        .as_object()?
        .iter()
        .map(|m| m.key.as_str())
        .collect();
    let wire_keys = ["name", "caller", "method", "path", "headers", "body"];
    if keys.iter().any(|k| !wire_keys.contains(k))
        || (1..keys.len()).any(|i| keys[..i].contains(&keys[i]))
    {
        return None;
    }
    let caller = request.get("caller")?.as_str()?;
    let path = request.get("path")?.as_str()?;
    if request.get("url").is_some()
        || !path.starts_with('/')
        || path.parse::<axum::http::uri::PathAndQuery>().is_err()
    {
        return None;
    }
    let method = match request.get("method") {
        None => "POST".to_string(),
        Some(m) => m.as_str()?.to_string(),
    };
    axum::http::Method::from_bytes(method.as_bytes()).ok()?;
    let mut headers = vec![(CALLER_HEADER.to_string(), caller.to_string())];
    match request.get("headers") {
        // Without `headers` the description does not say how the body is sent; a real client
        // sends JSON as JSON.
        None => headers.push(("content-type".into(), "application/json".into())),
        Some(h) => {
            for m in h.as_object()? {
                // On the wire `Authorization` is the caller's credential, which the gateway
                // leaves to Power BI; written in a file it is a leaked secret (EG501).
                if m.key.eq_ignore_ascii_case("authorization") {
                    return None;
                }
                let value = m.value.as_str()?;
                axum::http::HeaderName::from_bytes(m.key.as_bytes()).ok()?;
                axum::http::HeaderValue::from_str(value).ok()?;
                headers.push((m.key.clone(), value.to_string()));
            }
        }
    }
    let body = match request.get("body") {
        None => Vec::new(),
        Some(b) => b.to_json_text().into_bytes(),
    };
    Some(Wire {
        method,
        path: path.to_string(),
        headers,
        body,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fixture_request_is_decided_as_check_decides_it() {
    let engine = Engine::new().expect("engine");
    let h = harness(CallerSource::Header(CALLER_HEADER.into()), None).await;
    let (mut decided, mut wired, mut denied, mut skipped_wire) = (0, 0, 0, Vec::new());
    let mut silenced_decisions = 0;
    for file in common::description_fixtures() {
        let rel = file
            .strip_prefix(root())
            .expect("under root")
            .display()
            .to_string();
        let out = common::embedguard(&["check", "--format", "json", "--isolated", &rel], &root());
        let check: serde_json::Value = serde_json::from_slice(&out.stdout).expect("check json");
        // EG012 (an unused suppression) is about a comment, which JSON cannot carry; the
        // whole-document checks (EG501, a secret written in the file) judge files, not requests
        // in flight, and the gateway does not run them.
        let diagnostics: Vec<serde_json::Value> = check["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["code"] != "EG012")
            .filter(|d| {
                !embedguard_core::rules::DOCUMENT_CHECKS
                    .iter()
                    .any(|c| d["code"] == c.rule().code())
            })
            .cloned()
            .collect();
        let bytes = std::fs::read(&file).expect("fixture");
        let silenced = silenced_codes(&String::from_utf8_lossy(&bytes));
        let Ok(doc) = embedguard_source::parse(&bytes, Format::from_path(&file)) else {
            continue; // EG001 fixtures: no request to send
        };
        h.decider.swap_tenant(tenant_of(&engine, &file, &doc.value));
        let Some(requests) = doc.value.get("requests").and_then(Value::as_array) else {
            continue;
        };
        for (i, request) in requests.iter().enumerate() {
            let at = format!("/requests/{i}");
            // `check`'s diagnostics about this request (pointers into the inventory or about
            // the file as a whole are not the request's).
            let want = seen(
                &diagnostics
                    .iter()
                    .filter(|d| !d["file"].as_str().unwrap_or("").contains("tenant"))
                    .cloned()
                    .collect::<Vec<_>>(),
                &at,
            );
            let json = request.to_json_text();
            let got = h.decide(&json).await;
            let got_seen = seen(got["diagnostics"].as_array().expect("diagnostics"), "");
            // JSON has no comments, so a wire request has no `# embedguard: ignore[…]`: what
            // the file silences, the gateway still says. Everything else is identical.
            let extra: Seen = got_seen.difference(&want).cloned().collect();
            assert!(
                want.is_subset(&got_seen) && extra.iter().all(|(c, _, _)| silenced.contains(c)),
                "{rel} {at}: /v1/decide differs from check\n gateway: {got_seen:?}\n   check: {want:?}"
            );
            let allow = errors(&got_seen).is_empty();
            assert_eq!(got["allow"], allow, "{rel} {at}");
            if allow != errors(&want).is_empty() {
                silenced_decisions += 1;
            }
            decided += 1;
            denied += usize::from(!allow);

            let Some(wire) = wire_of(request) else {
                skipped_wire.push(format!("{rel} {at}"));
                continue;
            };
            wired += 1;
            let upstream_before = h.upstream_hits.load(Ordering::SeqCst);
            let inner_before = h.inner_hits.load(Ordering::SeqCst);
            let entry_points = [
                ("proxy", format!("{}{}", h.gateway, wire.path)),
                ("ext_authz", format!("{}/ext_authz{}", h.gateway, wire.path)),
                ("layer", format!("{}{}", h.layered, wire.path)),
            ];
            for (entry, url) in entry_points {
                let r = h.send(&wire.method, &url, &wire.headers, &wire.body).await;
                let text = String::from_utf8_lossy(&r.body).to_string();
                if allow {
                    assert_eq!(r.status, 200, "{rel} {at} via {entry}: {text}");
                } else {
                    assert_eq!(r.status, 403, "{rel} {at} via {entry}: {text}");
                    let problem: serde_json::Value =
                        serde_json::from_str(&text).expect("problem body");
                    assert_eq!(
                        r.header("content-type").as_deref(),
                        Some("application/problem+json")
                    );
                    let got = errors(&seen(problem["diagnostics"].as_array().expect("diags"), ""));
                    assert_eq!(
                        got,
                        errors(&want),
                        "{rel} {at} via {entry}: error codes differ"
                    );
                }
            }
            let forwarded = usize::from(allow);
            assert_eq!(
                h.upstream_hits.load(Ordering::SeqCst),
                upstream_before + forwarded,
                "{rel} {at}: the upstream saw {} request(s)",
                h.upstream_hits.load(Ordering::SeqCst) - upstream_before
            );
            assert_eq!(
                h.inner_hits.load(Ordering::SeqCst),
                inner_before + forwarded
            );
        }
    }
    eprintln!(
        "{decided} fixture requests decided through /v1/decide ({denied} denied, {silenced_decisions} \
         of them only for a finding the file silences); {wired} also through the proxy, ext_authz \
         and the layer; not sendable as HTTP: {}",
        skipped_wire.len()
    );
    assert!(
        decided > 200 && denied > 100 && wired > 150,
        "{decided} {denied} {wired}"
    );
}

/// The shared fixture tenant.
fn fixture_tenant() -> Tenant {
    tenant_at("fixtures/tenant.yaml")
}

/// The inventory file at `path` (from the repository root), as `serve` loads it.
fn tenant_at(path: &str) -> Tenant {
    let engine = Engine::new().expect("engine");
    embedguard_gateway::inventory::load(&engine, &root().join(path)).expect("fixture tenant loads")
}

/// A report of the Sales workspace without RLS: clean for `embed-sp`.
const SALES_REPORT: &str = "/v1.0/myorg/groups/6dfe520a-fe74-4854-b72f-23ade2723cc9/reports/1ff54a71-e26e-4c09-a113-ece24e6c151c/GenerateToken";
const VIEW: &str = r#"{"accessLevel":"View"}"#;
const EMBED_SP_OID: &str = "f6334971-c3ec-4497-8188-50d5150711ec";

fn jwt(claims: &str) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "Bearer {}.{}.{}",
        b64.encode(r#"{"alg":"RS256","typ":"JWT"}"#),
        b64.encode(claims),
        b64.encode("not-a-signature")
    )
}

fn json_headers(extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut h = vec![("content-type".to_string(), "application/json".to_string())];
    h.extend(extra.iter().map(|(n, v)| (n.to_string(), v.to_string())));
    h
}

fn problem_names(r: &HttpResponse) -> Vec<String> {
    let body: serde_json::Value = serde_json::from_slice(&r.body).expect("problem json");
    body["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            if d["code"] == "gateway" {
                d["name"].as_str().expect("name").to_string()
            } else {
                d["code"].as_str().expect("code").to_string()
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bearer_token_names_the_caller_and_a_clean_request_comes_back_unchanged() {
    let h = harness(CallerSource::BearerToken, Some(fixture_tenant())).await;
    let url = format!("{}{SALES_REPORT}", h.gateway);
    let oid = jwt(&format!(r#"{{"oid":"{EMBED_SP_OID}","appid":"x"}}"#));
    let r = h
        .post(
            &url,
            &json_headers(&[("authorization", &oid)]),
            VIEW.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert!(String::from_utf8_lossy(&r.body).contains(r#""token":"H4sI-fake""#));
    assert_eq!(
        r.header("requestid").as_deref(),
        Some("fake-1"),
        "upstream headers kept"
    );
    assert_eq!(r.header("x-seen-authorization").as_deref(), Some("yes"));
    assert_eq!(
        r.header("x-seen-body").as_deref(),
        Some(VIEW),
        "the body as sent"
    );
    assert_eq!(h.upstream_hits.load(Ordering::SeqCst), 1);

    // A master user by `upn` who is not a member of the Sales workspace.
    let upn =
        jwt(r#"{"upn":"marketing.lead@contoso.com","oid":"00000000-0000-0000-0000-00000000abcd"}"#);
    let r = h
        .post(
            &url,
            &json_headers(&[("authorization", &upn)]),
            VIEW.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 403, "{}", String::from_utf8_lossy(&r.body));
    assert!(!problem_names(&r).is_empty());

    // Not identifiable: no token, not a JWT, no usable claim.
    for auth in [
        None,
        Some("Bearer not-a-jwt".to_string()),
        Some(jwt(r#"{"sub":"x"}"#)),
        Some("Basic dXNlcjpwYXNz".into()),
    ] {
        let headers = match &auth {
            Some(a) => json_headers(&[("authorization", a)]),
            None => json_headers(&[]),
        };
        let r = h.post(&url, &headers, VIEW.as_bytes()).await;
        assert_eq!(r.status, 403);
        assert_eq!(problem_names(&r), ["unidentified-caller"], "{auth:?}");
        // The token is never echoed.
        if let Some(a) = &auth {
            assert!(!String::from_utf8_lossy(&r.body).contains(a.trim_start_matches("Bearer ")));
        }
    }
    // An `oid` the inventory does not know is judged as written: unresolved (EG008).
    let stranger = jwt(r#"{"oid":"11111111-2222-3333-4444-555555555555"}"#);
    let r = h
        .post(
            &url,
            &json_headers(&[("authorization", &stranger)]),
            VIEW.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(
        problem_names(&r).contains(&"EG008".to_string()),
        "{:?}",
        problem_names(&r)
    );
    assert_eq!(
        h.upstream_hits.load(Ordering::SeqCst),
        1,
        "no denied request was forwarded"
    );

    let metrics = h
        .send("GET", &format!("{}/metrics", h.gateway), &[], b"")
        .await;
    let text = String::from_utf8_lossy(&metrics.body);
    assert!(
        text.contains(r#"embedguard_decisions_total{entry="proxy",result="allow"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"embedguard_decisions_total{entry="proxy",result="deny"} 6"#),
        "{text}"
    );
    assert!(
        text.contains(r#"embedguard_denials_by_rule_total{rule="unidentified-caller"} 4"#),
        "{text}"
    );
    assert!(
        text.contains("embedguard_decision_seconds_count 7"),
        "{text}"
    );
    let health = h
        .send("GET", &format!("{}/healthz", h.gateway), &[], b"")
        .await;
    assert_eq!(health.status, 200);
}

/// One fail-closed case: what, headers, body, status, the error it is denied for.
type Case<'a> = (&'a str, Vec<(String, String)>, Vec<u8>, u16, &'a str);

/// An SSO request carries the end user's access token in `identityBlob`: in a committed file
/// that is a leaked secret (EG501), in flight it is the request itself, and the gateway forwards
/// it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_sso_token_in_flight_is_not_a_secret_in_a_file() {
    const SSO_REPORT: &str = "/v1.0/myorg/groups/07d2211f-a06c-4961-b242-160844809090/reports/cdb1532f-3e9a-452a-84f8-98bc84463543/GenerateToken";
    const SSO_DATASET: &str = "3b7002f4-6e80-4111-a765-87c67f566429";
    let token = jwt(r#"{"aud":"https://database.windows.net/","upn":"ana@contoso.com"}"#);
    let token = token.trim_start_matches("Bearer ");
    let body = format!(
        r#"{{"accessLevel":"View","identities":[{{"username":"ana@contoso.com","identityBlob":{{"value":"{token}"}},"datasets":["{SSO_DATASET}"]}}]}}"#
    );

    // The same request written in a description file: EG501.
    let description = format!(
        r#"{{"embedguard":1,"inventory":"{}","requests":[{{"caller":"embed-sp","path":"{SSO_REPORT}","body":{body}}}]}}"#,
        root().join("fixtures/tenant.yaml").display()
    );
    let dir = common::scratch("sso-token-in-a-file", &[("sso.json", &description)]);
    let out = common::embedguard(
        &["check", "--format", "json", "--isolated", "sso.json"],
        &dir,
    );
    let check: serde_json::Value = serde_json::from_slice(&out.stdout).expect("check json");
    let codes: Vec<&str> = check["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, ["EG501"], "{check}");

    // In flight: allowed by `/v1/decide`, forwarded by the proxy.
    let h = harness(
        CallerSource::Header(CALLER_HEADER.into()),
        Some(fixture_tenant()),
    )
    .await;
    let decided = h
        .decide(&format!(
            r#"{{"caller":"embed-sp","path":"{SSO_REPORT}","body":{body}}}"#
        ))
        .await;
    assert_eq!(decided["allow"], true, "{decided}");
    let r = h
        .post(
            &format!("{}{SSO_REPORT}", h.gateway),
            &json_headers(&[(CALLER_HEADER, "embed-sp")]),
            body.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(h.upstream_hits.load(Ordering::SeqCst), 1);
}

/// The proxy judges a request as going to its upstream, and ext_authz as going to the host it
/// names, so a principal of another national cloud is denied there (EG408) as `check` denies
/// the request written with that `url`; a host that is not Power BI's leaves the path alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_upstream_host_is_judged_with_the_path() {
    const V2: &str = "/v1.0/myorg/GenerateToken";
    let body = r#"{"datasets":[{"id":"1afc8666-bd0c-49cb-bd81-bbc7d5284e64"}],"reports":[{"id":"c0814594-e9be-4cc3-9a15-a6c40acf25f9"}]}"#;
    let tenant = tenant_at("fixtures/rules/EG408/tenant.yaml");
    // The public cloud's API, never reached: every request here is denied or only authorized.
    let h = harness_with(
        CallerSource::Header(CALLER_HEADER.into()),
        Some(tenant),
        |c| c.upstream = "https://api.powerbi.com".into(),
    )
    .await;
    let as_caller = |caller: &str| json_headers(&[(CALLER_HEADER, caller)]);

    let r = h
        .post(
            &format!("{}{V2}", h.gateway),
            &as_caller("gcc-high-sp"),
            body.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 403, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(problem_names(&r), ["EG408"]);
    let problem: serde_json::Value = serde_json::from_slice(&r.body).expect("problem");
    assert_eq!(problem["diagnostics"][0]["pointer"], "/url");

    let authz = format!("{}/ext_authz{V2}", h.gateway);
    let to_host = |caller: &str, host: &str| {
        let mut headers = as_caller(caller);
        headers.push(("host".into(), host.into()));
        headers
    };
    let r = h
        .post(
            &authz,
            &to_host("gcc-high-sp", "api.high.powerbigov.us"),
            body.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let r = h
        .post(
            &authz,
            &to_host("gcc-sp", "api.high.powerbigov.us"),
            body.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 403, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(problem_names(&r), ["EG408"]);
    // Not a Power BI host: judged by the path alone, where authority and scope agree.
    let r = h
        .post(
            &authz,
            &to_host("gcc-sp", "gateway.internal"),
            body.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(h.upstream_hits.load(Ordering::SeqCst), 0);
}

/// The proxy passes the upstream's answer on as it arrives: the app has the first piece while
/// the upstream is still holding back the rest.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_upstream_answer_is_streamed_back() {
    let release = Arc::new(tokio::sync::Notify::new());
    let held = Arc::clone(&release);
    let upstream = serve(Router::new().fallback(any(move || {
        let held = Arc::clone(&held);
        async move {
            let pieces = futures_util::stream::unfold(0, move |step| {
                let held = Arc::clone(&held);
                async move {
                    match step {
                        0 => Some((Ok::<_, std::io::Error>("{\"token\":"), 1)),
                        1 => {
                            held.notified().await;
                            Some((Ok("\"H4sI-late\"}"), 2))
                        }
                        _ => None,
                    }
                }
            });
            axum::body::Body::from_stream(pieces)
        }
    })))
    .await;
    let h = harness_with(
        CallerSource::Header(CALLER_HEADER.into()),
        Some(fixture_tenant()),
        |c| c.upstream = upstream,
    )
    .await;
    let url = format!("{}{SALES_REPORT}", h.gateway);
    let headers = json_headers(&[(CALLER_HEADER, "embed-sp")]);
    let mut answer = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        h.client.send_streaming(&url, |c| {
            let mut r = c.post(&url).body(VIEW);
            for (n, v) in &headers {
                r = r.header(n.as_str(), v.as_str());
            }
            r
        }),
    )
    .await
    .expect("the status and headers come before the whole body")
    .expect("answer");
    assert_eq!(answer.status, 200);
    let first = tokio::time::timeout(std::time::Duration::from_secs(5), answer.chunk())
        .await
        .expect("the first piece comes while the upstream holds the rest")
        .expect("piece")
        .expect("not the end");
    assert_eq!(&first[..], b"{\"token\":");
    release.notify_one();
    let mut rest = Vec::new();
    while let Some(piece) = answer.chunk().await.expect("piece") {
        rest.extend_from_slice(&piece);
    }
    assert_eq!(rest, b"\"H4sI-late\"}");
}

/// A client that trickles its headers does not hold a connection (and its place under
/// `max_connections`) beyond the request timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_that_never_end_do_not_hold_the_connection() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let h = harness_with(CallerSource::Header(CALLER_HEADER.into()), None, |c| {
        c.limits.request_timeout = std::time::Duration::from_secs(1);
    })
    .await;
    let addr = h.gateway.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream
        .write_all(b"POST /v1/decide HTTP/1.1\r\nHost: gateway\r\nX-Slow: ")
        .await
        .expect("write");
    let started = std::time::Instant::now();
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(
        std::time::Duration::from_secs(8),
        stream.read_to_end(&mut rest),
    )
    .await;
    assert!(
        closed.is_ok(),
        "the connection is still open 8 s after a 1 s header timeout"
    );
    assert!(started.elapsed() >= std::time::Duration::from_millis(900));
    // The server still answers others.
    let decided = h
        .decide(r#"{"caller":"x","path":"/v1.0/myorg/GenerateToken"}"#)
        .await;
    assert!(decided["diagnostics"].is_array(), "{decided}");
}

/// A service of someone's own stack: bodies as `String`, errors of its own.
#[derive(Clone)]
struct OwnService;

impl tower::Service<axum::http::Request<axum::body::Body>> for OwnService {
    type Response = axum::http::Response<String>;
    type Error = std::io::Error;
    type Future = std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Self::Response, Self::Error>> + Send>,
    >;

    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: axum::http::Request<axum::body::Body>) -> Self::Future {
        Box::pin(async move {
            let body = axum::body::to_bytes(request.into_body(), 1 << 20)
                .await
                .map_err(std::io::Error::other)?;
            if body.is_empty() {
                return Err(std::io::Error::other("an empty body reached the service"));
            }
            Ok(axum::http::Response::new(format!(
                "got {} bytes",
                body.len()
            )))
        })
    }
}

/// The layer takes any request body and any inner service: a `String` body in, the inner
/// service's own response body and error type through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_layer_wraps_any_body_and_any_service() {
    use tower::{Layer, Service};
    let engine = Engine::new().expect("engine");
    let decider = Arc::new(Decider::new(
        engine,
        Some(fixture_tenant()),
        Policy::default(),
    ));
    let config = GatewayConfig {
        caller: CallerSource::Header(CALLER_HEADER.into()),
        logging: Logging::Off,
        ..GatewayConfig::default()
    };
    let gateway = Arc::new(Gateway::new(decider, config).expect("gateway"));
    let mut service = EmbedGuardLayer::new(gateway).layer(OwnService);
    let request = |body: &str| {
        axum::http::Request::post(SALES_REPORT)
            .header("content-type", "application/json")
            .header(CALLER_HEADER, "embed-sp")
            .body(body.to_string())
            .expect("request")
    };
    std::future::poll_fn(|cx| Service::<axum::http::Request<String>>::poll_ready(&mut service, cx))
        .await
        .expect("ready");
    let allowed = service
        .call(request(VIEW))
        .await
        .expect("the inner service's answer");
    assert_eq!(allowed.status(), 200);
    let text = axum::body::to_bytes(allowed.into_body(), 1 << 20)
        .await
        .expect("body");
    assert_eq!(&text[..], format!("got {} bytes", VIEW.len()).as_bytes());
    std::future::poll_fn(|cx| Service::<axum::http::Request<String>>::poll_ready(&mut service, cx))
        .await
        .expect("ready");
    let denied = service
        .call(request(r#"{"accessLevel":"Own"}"#))
        .await
        .expect("the layer's own answer");
    assert_eq!(denied.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_cannot_be_read_exactly_is_denied_and_never_forwarded() {
    // Configured in upper case: compared as hyper hands names over, in lower case.
    let h = harness_with(
        CallerSource::Header(CALLER_HEADER.to_ascii_uppercase()),
        Some(fixture_tenant()),
        |c| c.limits.request_timeout = std::time::Duration::from_millis(300),
    )
    .await;
    let proxy = format!("{}{SALES_REPORT}", h.gateway);
    let authz = format!("{}/ext_authz{SALES_REPORT}", h.gateway);
    let caller = json_headers(&[(CALLER_HEADER, "embed-sp")]);
    // The clean request passes everywhere (the baseline the denials below differ from), and
    // the trusted caller header stops at the gateway.
    let forwarded = h.post(&proxy, &caller, VIEW.as_bytes()).await;
    assert_eq!(forwarded.status, 200);
    assert_eq!(
        forwarded.header("x-seen-caller-header").as_deref(),
        Some("no")
    );
    assert_eq!(h.post(&authz, &caller, VIEW.as_bytes()).await.status, 200);
    // (what, headers, body, status, the error it is denied for)
    let cases: Vec<Case<'_>> = vec![
        (
            "not JSON",
            caller.clone(),
            b"{accessLevel: View}".to_vec(),
            403,
            "EG001",
        ),
        (
            "trailing comma",
            caller.clone(),
            br#"{"accessLevel":"View",}"#.to_vec(),
            403,
            "EG001",
        ),
        (
            "invalid UTF-8",
            caller.clone(),
            b"{\"accessLevel\":\"Vi\xffew\"}".to_vec(),
            403,
            "EG001",
        ),
        (
            "case twin",
            caller.clone(),
            br#"{"accessLevel":"View","AccessLevel":"Edit"}"#.to_vec(),
            403,
            "EG002",
        ),
        (
            "escaped twin",
            caller.clone(),
            br#"{"accessLevel":"View","\u0061ccessLevel":"Edit"}"#.to_vec(),
            403,
            "EG002",
        ),
        (
            "no caller header",
            json_headers(&[]),
            VIEW.as_bytes().to_vec(),
            403,
            "unidentified-caller",
        ),
        (
            "caller header twice",
            json_headers(&[(CALLER_HEADER, "embed-sp"), (CALLER_HEADER, "reporting-sp")]),
            VIEW.as_bytes().to_vec(),
            403,
            "unidentified-caller",
        ),
        (
            "partial body",
            json_headers(&[
                (CALLER_HEADER, "embed-sp"),
                ("x-envoy-auth-partial-body", "true"),
            ]),
            VIEW.as_bytes().to_vec(),
            403,
            "partial-body",
        ),
        (
            "body too large",
            caller.clone(),
            format!(
                r#"{{"accessLevel":"View","x":"{}"}}"#,
                "a".repeat(300 * 1024)
            )
            .into_bytes(),
            413,
            "body-too-large",
        ),
        (
            "headers too large",
            json_headers(&[
                (CALLER_HEADER, "embed-sp"),
                ("x-padding", &"p".repeat(40 * 1024)),
            ]),
            VIEW.as_bytes().to_vec(),
            431,
            "headers-too-large",
        ),
    ];
    for (what, headers, body, status, name) in cases {
        for url in [&proxy, &authz] {
            let r = h.post(url, &headers, &body).await;
            assert_eq!(
                r.status,
                status,
                "{what} via {url}: {}",
                String::from_utf8_lossy(&r.body)
            );
            assert_eq!(
                r.header("content-type").as_deref(),
                Some("application/problem+json")
            );
            assert!(
                problem_names(&r).contains(&name.to_string()),
                "{what}: {:?}",
                problem_names(&r)
            );
        }
    }
    // A body that never finishes arriving: denied when the request timeout runs out.
    let addr = h.gateway.trim_start_matches("http://").to_string();
    let answer = tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(addr).expect("connect");
        write!(
            s,
            "POST {SALES_REPORT} HTTP/1.1\r\nhost: x\r\n{CALLER_HEADER}: embed-sp\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{{\"access"
        )
        .expect("write");
        s.set_read_timeout(Some(std::time::Duration::from_secs(5))).expect("timeout");
        let mut buf = vec![0; 4096];
        let n = s.read(&mut buf).expect("an answer before the client gives up");
        String::from_utf8_lossy(&buf[..n]).to_string()
    })
    .await
    .expect("slow client");
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    assert!(answer.contains("\"timeout\""), "{answer}");
    // `/v1/decide` answers 200 with `allow: false` for a body it cannot read.
    let d = h.decide("{\"caller\": \"embed-sp\", ").await;
    assert_eq!(d["allow"], false);
    assert_eq!(d["diagnostics"][0]["code"], "EG001");
    assert_eq!(d["diagnostics"][0]["line"], 1);
    assert_eq!(
        h.upstream_hits.load(Ordering::SeqCst),
        1,
        "only the clean request was forwarded"
    );

    // An upstream that does not answer: 502, never a silent success.
    let dead = harness_with(
        CallerSource::Header(CALLER_HEADER.into()),
        Some(fixture_tenant()),
        |c| {
            c.upstream = "http://127.0.0.1:9".into();
        },
    )
    .await;
    let r = dead
        .post(
            &format!("{}{SALES_REPORT}", dead.gateway),
            &caller,
            VIEW.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 502, "{}", String::from_utf8_lossy(&r.body));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_inventory_reload_changes_nothing() {
    let text = std::fs::read_to_string(root().join("fixtures/tenant.yaml")).expect("tenant");
    let dir = common::scratch("gateway-reload", &[("tenant.yaml", &text)]);
    let path = dir.join("tenant.yaml");
    let engine = Engine::new().expect("engine");
    let tenant = embedguard_gateway::inventory::load(&engine, &path).expect("loads");
    let h = harness(CallerSource::Header(CALLER_HEADER.into()), Some(tenant)).await;
    tokio::spawn(embedguard_gateway::reload::watch(
        Arc::clone(&h.shared),
        path.clone(),
        std::time::Duration::from_millis(50),
    ));
    let request = format!(r#"{{"caller":"embed-sp","path":"{SALES_REPORT}","body":{VIEW}}}"#);
    assert_eq!(h.decide(&request).await["allow"], true);
    let reloads = |result: &str| {
        let text = h.shared.metrics().render();
        let line = format!("embedguard_inventory_reloads_total{{result=\"{result}\"}} ");
        text.lines()
            .find_map(|l| l.strip_prefix(line.as_str()))
            .and_then(|n| n.parse::<u64>().ok())
            .expect("reload counter")
    };
    let wait_for = |result: &'static str, n: u64| {
        let reloads = &reloads;
        async move {
            for _ in 0..100 {
                if reloads(result) >= n {
                    return;
                }
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            panic!("no {result} reload: {}", reloads("rejected"));
        }
    };
    // Not YAML at all; then YAML whose facts are wrong (an unknown principal kind): both are
    // rejected, and the old tenant keeps serving.
    std::fs::write(&path, "principals: [\n").expect("write");
    wait_for("rejected", 1).await;
    assert_eq!(
        h.decide(&request).await["allow"],
        true,
        "the old tenant still serves"
    );
    std::fs::write(
        &path,
        text.replacen("kind: service_principal", "kind: robot", 1),
    )
    .expect("write");
    wait_for("rejected", 2).await;
    assert_eq!(
        h.decide(&request).await["allow"],
        true,
        "the old tenant still serves"
    );
    assert_eq!(reloads("accepted"), 0);
    // A valid change is taken: `embed-sp` is no longer a member of the Sales workspace.
    let sales =
        "users: { embed-sp: Member, reporting-sp: Member, pro-master: Admin, admin-master: Admin }";
    assert!(text.contains(sales));
    let without = text.replacen(
        sales,
        "users: { reporting-sp: Member, pro-master: Admin, admin-master: Admin }",
        1,
    );
    std::fs::write(&path, without).expect("write");
    wait_for("accepted", 1).await;
    let d = h.decide(&request).await;
    assert_eq!(d["allow"], false, "{d}");
    let _ = std::fs::remove_dir_all(dir);
}

/// `embedguard serve` itself: starts on the inventory, logs JSON lines, answers, takes a SIGHUP
/// reload, rejects a broken inventory on SIGHUP (the old one keeps serving), never logs a token.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embedguard_serve_starts_reloads_on_sighup_and_logs_no_token() {
    use std::io::BufRead;
    let text = std::fs::read_to_string(root().join("fixtures/tenant.yaml")).expect("tenant");
    let dir = common::scratch("gateway-serve", &[("tenant.yaml", &text)]);
    let path = dir.join("tenant.yaml");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_embedguard"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--reload-interval",
            "3600",
        ])
        .arg("--inventory")
        .arg(&path)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("serve");
    let (lines_tx, mut lines) = tokio::sync::mpsc::unbounded_channel::<serde_json::Value>();
    let stderr = child.stderr.take().expect("stderr");
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let v = serde_json::from_str(&line).unwrap_or(serde_json::json!({ "raw": line }));
            if lines_tx.send(v).is_err() {
                break;
            }
        }
    });
    async fn next(
        lines: &mut tokio::sync::mpsc::UnboundedReceiver<serde_json::Value>,
    ) -> serde_json::Value {
        tokio::time::timeout(std::time::Duration::from_secs(20), lines.recv())
            .await
            .expect("a log line in time")
            .expect("serve is running")
    }
    let listening = next(&mut lines).await;
    assert_eq!(listening["event"], "listening", "{listening}");
    let base = format!("http://{}", listening["addr"].as_str().expect("addr"));
    let client = HttpClient::new(HttpConfig::default()).expect("client");
    let decide = |body: String| {
        let client = client.clone();
        let url = format!("{base}/v1/decide");
        async move {
            let r = client
                .send(&url, |c| c.post(url.as_str()).body(body.clone()))
                .await
                .expect("answer");
            serde_json::from_slice::<serde_json::Value>(&r.body).expect("json")
        }
    };
    let request = format!(r#"{{"caller":"embed-sp","path":"{SALES_REPORT}","body":{VIEW}}}"#);
    assert_eq!(decide(request.clone()).await["allow"], true);
    assert_eq!(next(&mut lines).await["event"], "decision");

    // A token through the proxy (denied: the upstream is never reached) is not logged.
    let token = jwt(r#"{"oid":"11111111-2222-3333-4444-555555555555"}"#);
    let url = format!("{base}{SALES_REPORT}");
    let r = client
        .send(&url, |c| {
            c.post(url.as_str())
                .header("authorization", token.as_str())
                .body(VIEW)
        })
        .await
        .expect("answer");
    assert_eq!(r.status, 403);
    let logged = next(&mut lines).await;
    assert_eq!(logged["entry"], "proxy");
    assert!(!logged.to_string().contains(&token[7..20]), "{logged}");

    let hup = |pid: u32| {
        // The shell's built-in `kill`: no procps needed.
        let status = std::process::Command::new("sh")
            .args(["-c", &format!("kill -HUP {pid}")])
            .status()
            .expect("kill");
        assert!(status.success());
    };
    std::fs::write(&path, "principals: [\n").expect("write");
    hup(child.id());
    let rejected = next(&mut lines).await;
    assert_eq!(rejected["event"], "inventory_rejected", "{rejected}");
    assert_eq!(
        decide(request.clone()).await["allow"],
        true,
        "old tenant kept"
    );
    let _ = next(&mut lines).await;
    std::fs::write(&path, &text).expect("write");
    hup(child.id());
    assert_eq!(next(&mut lines).await["event"], "inventory_reloaded");
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(dir);
}
