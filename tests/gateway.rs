//! The gateway over real HTTP on 127.0.0.1: every fixture request is decided as `embedguard check`
//! decides it, through `/v1/decide`, the proxy, Envoy's ext_authz service and the tower layer; a
//! denied request never reaches the (counting) upstream; a broken reload changes nothing; and
//! what cannot be read or identified is denied.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
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

/// Every description fixture, as `tests/fixtures.rs` finds them.
fn fixture_files() -> Vec<PathBuf> {
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
            ) && std::fs::read_to_string(&p)
                .unwrap_or_default()
                .contains("requests")
            {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join("fixtures"), &mut out);
    out
}

/// A document tree written back as JSON text, duplicate keys and all; a number whose YAML
/// spelling is not JSON (`00123`, `0x2A`) is written as its value.
fn to_json(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if serde_json::from_str::<serde_json::Number>(&n.text).is_ok() {
                out.push_str(&n.text);
            } else if let Some(i) = n.integer {
                out.push_str(&i.to_string());
            } else {
                out.push_str(
                    &serde_json::Number::from_f64(n.value).map_or("0".into(), |x| x.to_string()),
                );
            }
        }
        Value::String(s) => out.push_str(&serde_json::to_string(s).expect("string")),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                to_json(item, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(&m.key).expect("key"));
                out.push(':');
                to_json(&m.value, out);
            }
            out.push('}');
        }
    }
}

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
    let app = Router::new().fallback(any(move || {
        let counter = Arc::clone(&counter);
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            (
                [("content-type", "application/json"), ("requestid", "fake-1")],
                r#"{"token":"H4sI-fake","tokenId":"00000000-0000-0000-0000-000000000001","expiration":"2030-01-01T00:00:00Z"}"#,
            )
        }
    }));
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
    gateway: String,
    layered: String,
    upstream_hits: Arc<AtomicUsize>,
    inner_hits: Arc<AtomicUsize>,
    client: HttpClient,
}

async fn harness(caller: CallerSource, tenant: Option<Tenant>) -> Harness {
    let engine = Engine::new().expect("engine");
    let decider = Arc::new(Decider::new(engine, tenant, Policy::default()));
    let (upstream, upstream_hits) = counting_upstream().await;
    let config = GatewayConfig {
        caller,
        upstream,
        logging: Logging::Off,
        ..GatewayConfig::default()
    };
    let gateway = Arc::new(Gateway::new(Arc::clone(&decider), config).expect("gateway"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let g = Arc::clone(&gateway);
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

    async fn decide(&self, json: &str) -> serde_json::Value {
        let r = self
            .send(
                "POST",
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
        Some(b) => {
            let mut text = String::new();
            to_json(b, &mut text);
            text.into_bytes()
        }
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
    for file in fixture_files() {
        let rel = file
            .strip_prefix(root())
            .expect("under root")
            .display()
            .to_string();
        let out = common::embedguard(&["check", "--format", "json", "--isolated", &rel], &root());
        let check: serde_json::Value = serde_json::from_slice(&out.stdout).expect("check json");
        // EG012 (an unused suppression) is about a comment, which JSON cannot carry.
        let diagnostics: Vec<serde_json::Value> = check["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["code"] != "EG012")
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
            let mut json = String::new();
            to_json(request, &mut json);
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
