//! The shared state of every entry point: the decider, the configuration, the counters and the
//! HTTP client that forwards; and the one path every wire request takes through the limits to a
//! decision.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use embedguard_executor::{HttpClient, HttpConfig, HttpError, RetryPolicy};
use serde_json::json;

use crate::caller::{self, CallerSource};
use crate::log::{self, Logging};
use crate::metrics::{Entry, Metrics};
use crate::{Decider, Decision, Refusal, WireRequest};

/// The public cloud's Power BI REST host, where a clean request is forwarded by default.
pub const DEFAULT_UPSTREAM: &str = "https://api.powerbi.com";

/// The header Envoy sets when it sent only part of the body to the authorization service.
pub const ENVOY_PARTIAL_BODY: &str = "x-envoy-auth-partial-body";

/// The limits every request is held to. The defaults are safe for a gateway in front of
/// GenerateToken: its bodies are a few KiB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest body read (default 256 KiB); larger is refused with 413 before parsing (a body
    /// up to 1 MiB over the limit is first read and dropped, so the client sees the 413).
    pub max_body_bytes: usize,
    /// Largest total of header names and values (default 32 KiB); larger is refused with 431.
    pub max_header_bytes: usize,
    /// Longest time to receive a request's headers (default 10 s), after which the connection
    /// is closed (an idle kept-alive connection too), and again its body, after which it is
    /// denied.
    pub request_timeout: Duration,
    /// Most connections served at once (default 1024); more wait in the kernel's backlog.
    pub max_connections: usize,
    /// Longest wait for the upstream's answer to a forward (default 30 s), then 504.
    pub upstream_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 256 * 1024,
            max_header_bytes: 32 * 1024,
            request_timeout: Duration::from_secs(10),
            max_connections: 1024,
            upstream_timeout: Duration::from_secs(30),
        }
    }
}

/// How the gateway is set up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayConfig {
    /// Where the caller's identity comes from.
    pub caller: CallerSource,
    /// The limits.
    pub limits: Limits,
    /// Where clean proxied requests go (scheme and host, no trailing path).
    pub upstream: String,
    /// The path prefix of the Envoy ext_authz service (default `/ext_authz`).
    pub ext_authz_prefix: String,
    /// Structured logs on or off.
    pub logging: Logging,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        GatewayConfig {
            caller: CallerSource::BearerToken,
            limits: Limits::default(),
            upstream: DEFAULT_UPSTREAM.to_string(),
            ext_authz_prefix: "/ext_authz".to_string(),
            logging: Logging::Json,
        }
    }
}

/// Why the gateway could not be built.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// The forwarding client could not be built.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// The upstream is not an `http(s)://host[:port]` URL.
    #[error("the upstream `{0}` is not an http:// or https:// URL without a path")]
    Upstream(String),
    /// The ext_authz prefix does not start with `/` or is `/` itself.
    #[error("the ext_authz prefix `{0}` must start with `/` and name a path")]
    Prefix(String),
}

/// Everything the entry points share.
#[derive(Debug)]
pub struct Gateway {
    decider: Arc<Decider>,
    config: GatewayConfig,
    /// The upstream's host when it is a Power BI REST host (the proxy judges requests as going
    /// there); `None` for another upstream, such as a local fake.
    upstream_api_host: Option<String>,
    metrics: Metrics,
    http: HttpClient,
}

/// A request read and judged.
#[derive(Debug)]
pub struct Judged {
    /// The request id (the caller's `x-request-id`, or a fresh one).
    pub request_id: String,
    /// The decision.
    pub decision: Decision,
    /// The status a denial answers with (403, or 413/431 for a limit).
    pub deny_status: StatusCode,
    /// The body, as read (empty when it could not be).
    pub body: Bytes,
}

impl Gateway {
    /// A gateway over `decider`. The forwarding client is the executor's, without retries: the
    /// caller sees Power BI's own 429 and decides itself when to try again.
    pub fn new(decider: Arc<Decider>, mut config: GatewayConfig) -> Result<Self, GatewayError> {
        let upstream = config.upstream.trim_end_matches('/').to_string();
        let valid = (upstream.starts_with("https://") || upstream.starts_with("http://"))
            && upstream
                .split("://")
                .nth(1)
                .is_some_and(|rest| !rest.is_empty() && !rest.contains('/') && !rest.contains('?'));
        if !valid {
            return Err(GatewayError::Upstream(config.upstream));
        }
        config.upstream = upstream;
        let prefix = config.ext_authz_prefix.trim_end_matches('/').to_string();
        if !prefix.starts_with('/') || prefix.len() < 2 {
            return Err(GatewayError::Prefix(config.ext_authz_prefix));
        }
        config.ext_authz_prefix = prefix;
        // Header names arrive lower-case from hyper; compare like with like.
        if let CallerSource::Header(name) = &mut config.caller {
            name.make_ascii_lowercase();
        }
        let http = HttpClient::new(HttpConfig {
            timeout: config.limits.upstream_timeout,
            retry: RetryPolicy {
                max_retries: 0,
                ..RetryPolicy::default()
            },
            ..HttpConfig::default()
        })?;
        let upstream_api_host = config
            .upstream
            .strip_prefix("https://")
            .filter(|host| is_api_host(host))
            .map(str::to_string);
        Ok(Gateway {
            decider,
            upstream_api_host,
            config,
            metrics: Metrics::default(),
            http,
        })
    }

    /// The decider.
    pub fn decider(&self) -> &Arc<Decider> {
        &self.decider
    }

    /// The configuration.
    pub fn config(&self) -> &GatewayConfig {
        &self.config
    }

    /// The counters.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// Reads the body within the limits (header size, body size, time), as every entry point
    /// does before judging; `Err` is the status it is refused with. For a server that wants the
    /// gateway's limits without its decision (the benchmark's pass-through).
    pub async fn read_within_limits(
        &self,
        headers: &HeaderMap,
        body: Body,
    ) -> Result<Bytes, StatusCode> {
        self.read_body(headers, body).await.map_err(|r| r.status)
    }

    /// Reads the body within the limits; `Err` is the refusal.
    async fn read_body(&self, headers: &HeaderMap, body: Body) -> Result<Bytes, Refused> {
        let limits = &self.config.limits;
        let header_bytes: usize = headers
            .iter()
            .map(|(n, v)| n.as_str().len() + v.len() + 4)
            .sum();
        if header_bytes > limits.max_header_bytes {
            return Err(Refused::new(
                Refusal::HeadersTooLarge,
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                format!(
                    "the headers are larger than {} bytes",
                    limits.max_header_bytes
                ),
            ));
        }
        let too_large = || {
            Refused::new(
                Refusal::BodyTooLarge,
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the body is larger than {} bytes", limits.max_body_bytes),
            )
        };
        let declared = headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        // Far too large: refused before reading (the connection is then reset under the
        // client). Somewhat too large: read and dropped first, so the client gets its 413.
        if declared.is_some_and(|n| n > (limits.max_body_bytes + DRAIN_BYTES) as u64) {
            return Err(too_large());
        }
        match tokio::time::timeout(limits.request_timeout, receive(body, limits.max_body_bytes))
            .await
        {
            Err(_) => Err(Refused::new(
                Refusal::Timeout,
                StatusCode::FORBIDDEN,
                format!(
                    "the body did not arrive within {} ms",
                    limits.request_timeout.as_millis()
                ),
            )),
            Ok(Err(Received::TooLarge)) => Err(too_large()),
            Ok(Err(Received::Broken)) => Err(Refused::new(
                Refusal::InternalError,
                StatusCode::FORBIDDEN,
                "the body could not be received",
            )),
            Ok(Ok(bytes)) => Ok(bytes),
        }
    }

    /// Judges a `/v1/decide` request: its body is one request written as in SPEC §1.2.1.
    pub async fn judge_description(&self, parts: &Parts, body: Body) -> Judged {
        let request_id = request_id_of(&parts.headers);
        let (decision, deny_status, body) = match self.read_body(&parts.headers, body).await {
            Err(r) => {
                let d = r.decision();
                self.metrics.record(Entry::Decide, &d, Duration::ZERO);
                (d, r.status, Bytes::new())
            }
            Ok(bytes) => {
                let start = Instant::now();
                let d = self.decider.decide_description(&bytes);
                self.metrics.record(Entry::Decide, &d, start.elapsed());
                (d, StatusCode::FORBIDDEN, bytes)
            }
        };
        self.log(Entry::Decide, &request_id, &decision);
        Judged {
            request_id,
            decision,
            deny_status,
            body,
        }
    }

    /// Judges a wire request (proxy, ext_authz, layer) whose Power BI path is `path`.
    pub async fn judge_wire(&self, entry: Entry, parts: &Parts, path: &str, body: Body) -> Judged {
        let request_id = request_id_of(&parts.headers);
        let (decision, deny_status, body) = match self.wire(entry, parts, path, body).await {
            Ok((d, bytes)) => (d, StatusCode::FORBIDDEN, bytes),
            Err(r) => {
                let d = r.decision();
                self.metrics.record(entry, &d, Duration::ZERO);
                (d, r.status, Bytes::new())
            }
        };
        self.log(entry, &request_id, &decision);
        Judged {
            request_id,
            decision,
            deny_status,
            body,
        }
    }

    async fn wire(
        &self,
        entry: Entry,
        parts: &Parts,
        path: &str,
        body: Body,
    ) -> Result<(Decision, Bytes), Refused> {
        let headers = &parts.headers;
        let partial = headers
            .get_all(ENVOY_PARTIAL_BODY)
            .iter()
            .any(|v| !v.as_bytes().eq_ignore_ascii_case(b"false"));
        if partial {
            return Err(Refused::new(
                Refusal::PartialBody,
                StatusCode::FORBIDDEN,
                "Envoy sent only part of the body (`x-envoy-auth-partial-body`): raise \
                 `max_request_bytes` and keep `allow_partial_message` off",
            ));
        }
        let bytes = self.read_body(headers, body).await?;
        let start = Instant::now();
        let tenant = self.decider.current_tenant();
        let caller = match &self.config.caller {
            CallerSource::BearerToken => caller::from_token(
                headers
                    .get(axum::http::header::AUTHORIZATION)
                    .and_then(|v| v.to_str().ok()),
                tenant.as_deref(),
            ),
            CallerSource::Header(name) => {
                let values: Vec<&str> = headers
                    .get_all(name.as_str())
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .collect();
                caller::from_header(name, &values, tenant.as_deref())
            }
        }
        .map_err(|e| {
            Refused::new(
                Refusal::UnidentifiedCaller,
                StatusCode::FORBIDDEN,
                e.to_string(),
            )
        })?;
        let mut seen = Vec::with_capacity(headers.len());
        for (name, value) in headers {
            if self.hidden(name.as_str()) {
                continue;
            }
            let Ok(value) = value.to_str() else {
                return Err(Refused::new(
                    Refusal::UnreadableHeader,
                    StatusCode::FORBIDDEN,
                    format!("the `{name}` header is not visible ASCII"),
                ));
            };
            seen.push((name.as_str(), value));
        }
        // Where the request goes: the proxy forwards to its upstream; behind Envoy or in
        // someone's stack, the request names its host.
        let host = match entry {
            Entry::Proxy => self.upstream_api_host.as_deref(),
            _ => headers
                .get(axum::http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .or_else(|| parts.uri.authority().map(|a| a.as_str()))
                .filter(|h| is_api_host(h)),
        };
        let wire = WireRequest {
            caller: &caller,
            method: parts.method.as_str(),
            path,
            host,
            headers: seen,
            body: &bytes,
        };
        let decision = self.decider.decide_wire_against(&wire, tenant.as_deref());
        self.metrics.record(entry, &decision, start.elapsed());
        Ok((decision, bytes))
    }

    /// Whether the rules must not see a header: the caller's credentials (the token, judged by
    /// Power BI; the trusted caller header), transport headers hyper already interpreted, and
    /// the headers proxies add on the way.
    fn hidden(&self, name: &str) -> bool {
        const TRANSPORT: &[&str] = &[
            "authorization",
            "host",
            "content-length",
            "connection",
            "keep-alive",
            "transfer-encoding",
            "te",
            "trailer",
            "upgrade",
            "proxy-authorization",
            "proxy-connection",
            "expect",
            "accept",
            "accept-encoding",
            "user-agent",
            "x-request-id",
            "forwarded",
            "via",
        ];
        TRANSPORT.contains(&name)
            || name.starts_with("x-envoy-")
            || name.starts_with("x-forwarded-")
            || matches!(&self.config.caller, CallerSource::Header(h) if h == name)
    }

    fn log(&self, entry: Entry, request_id: &str, decision: &Decision) {
        if self.config.logging == Logging::Off {
            return; // not even the fields: this runs for every request
        }
        let rules: Vec<&str> = decision.denying_rules().collect();
        self.config.logging.event(
            "info",
            "decision",
            &[
                ("request_id", json!(request_id)),
                ("entry", json!(entry.label())),
                ("allow", json!(decision.allow)),
                ("rules", json!(rules)),
            ],
        );
    }

    /// Forwards a clean request to the upstream and answers with the upstream's response
    /// (status, headers, and the body streamed as it arrives), or 502/504 when none comes.
    pub async fn forward(&self, parts: &Parts, judged: Judged) -> Response {
        let path = parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path(), |p| p.as_str());
        let url = format!("{}{path}", self.config.upstream);
        let mut headers = HeaderMap::with_capacity(parts.headers.len());
        for (name, value) in &parts.headers {
            let n = name.as_str();
            let trusted_header = matches!(&self.config.caller, CallerSource::Header(h) if h == n);
            if !is_hop_by_hop(n) && n != "host" && n != "content-length" && !trusted_header {
                headers.append(name.clone(), value.clone());
            }
        }
        let sent = self
            .http
            .send_streaming(&url, |client| {
                client
                    .request(parts.method.clone(), url.as_str())
                    .headers(headers)
                    .body(judged.body.clone())
            })
            .await;
        match sent {
            Ok(mut upstream) => {
                let headers = std::mem::take(&mut upstream.headers);
                let status = upstream.status;
                // Passed on as it arrives; a body cut short upstream is cut short here too (the
                // connection is closed mid-body, so the app cannot take it for a whole answer).
                let pieces = futures_util::stream::unfold(Some(upstream), |state| async move {
                    let mut upstream = state?;
                    match upstream.chunk().await {
                        Ok(Some(piece)) => Some((Ok(piece), Some(upstream))),
                        Ok(None) => None,
                        Err(e) => Some((Err(e), None)),
                    }
                });
                let mut response = Response::new(Body::from_stream(pieces));
                *response.status_mut() = status;
                for (name, value) in &headers {
                    // The length is the upstream's, and the body is passed on byte for byte.
                    if !is_hop_by_hop(name.as_str()) {
                        response.headers_mut().append(name.clone(), value.clone());
                    }
                }
                with_request_id(response, &judged.request_id)
            }
            Err(e) => {
                self.metrics.upstream_error();
                let status = match e {
                    HttpError::Timeout { .. } => StatusCode::GATEWAY_TIMEOUT,
                    _ => StatusCode::BAD_GATEWAY,
                };
                self.config.logging.event(
                    "warn",
                    "upstream_error",
                    &[
                        ("request_id", json!(judged.request_id)),
                        ("error", json!(e.to_string())),
                    ],
                );
                let body = json!({
                    "type": "about:blank",
                    "title": "the upstream did not answer",
                    "status": status.as_u16(),
                    "detail": e.to_string(),
                    "request_id": judged.request_id,
                });
                problem(status, &body, &judged.request_id)
            }
        }
    }
}

/// How much of a body over the limit is still read, and dropped, before the refusal: a client
/// that writes its whole body before reading the answer (most do) would otherwise have the
/// connection reset under it and never see the 413.
const DRAIN_BYTES: usize = 1024 * 1024;

/// Why a body was not received.
enum Received {
    /// Over the limit (read up to [`DRAIN_BYTES`] past it, then dropped).
    TooLarge,
    /// The connection failed mid-body.
    Broken,
}

/// Reads a body of at most `max` bytes. A longer one is read on up to [`DRAIN_BYTES`] past
/// the limit and dropped, then refused.
async fn receive(mut body: Body, max: usize) -> Result<Bytes, Received> {
    use http_body_util::BodyExt as _;
    let mut chunks: Vec<Bytes> = Vec::new();
    let mut len = 0usize;
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.map_err(|_| Received::Broken)?.into_data() else {
            continue; // trailers
        };
        len = len.saturating_add(data.len());
        if len > max.saturating_add(DRAIN_BYTES) {
            break;
        }
        if len <= max {
            chunks.push(data);
        }
    }
    if len > max {
        return Err(Received::TooLarge);
    }
    // A small body arrives in one frame: keep it without a copy.
    Ok(match chunks.len() {
        0 => Bytes::new(),
        1 => chunks.swap_remove(0),
        _ => Bytes::from(chunks.concat()),
    })
}

/// A refusal on the way to a decision, with the status it answers with.
struct Refused {
    refusal: Refusal,
    status: StatusCode,
    message: String,
}

impl Refused {
    fn new(refusal: Refusal, status: StatusCode, message: impl Into<String>) -> Self {
        Refused {
            refusal,
            status,
            message: message.into(),
        }
    }

    fn decision(&self) -> Decision {
        Decision::refused(self.refusal, "", self.message.clone())
    }
}

/// Whether `host` (with an optional port) is one of the Power BI REST API hosts.
fn is_api_host(host: &str) -> bool {
    embedguard_core::endpoint::Cloud::from_api_host(host).is_some()
}

/// The RFC 9110 hop-by-hop headers, which a proxy never passes on.
fn is_hop_by_hop(name: &str) -> bool {
    matches!(
        name,
        "connection"
            | "keep-alive"
            | "proxy-authenticate"
            | "proxy-authorization"
            | "proxy-connection"
            | "te"
            | "trailer"
            | "transfer-encoding"
            | "upgrade"
    )
}

fn request_id_of(headers: &HeaderMap) -> String {
    log::request_id(headers.get("x-request-id").and_then(|v| v.to_str().ok()))
}

/// Adds the `x-request-id` header.
pub fn with_request_id(mut response: Response, request_id: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert("x-request-id", v);
    }
    response
}

/// An `application/problem+json` response.
fn problem(status: StatusCode, body: &serde_json::Value, request_id: &str) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    with_request_id(response, request_id)
}

/// The denial of a judged request: its status and an RFC 9457 problem body carrying the
/// diagnostics.
pub fn denial(judged: &Judged) -> Response {
    let errors: Vec<&str> = judged.decision.denying_rules().collect();
    let body = json!({
        "type": "https://github.com/embedguard/embedguard#serve",
        "title": "embedguard denied the GenerateToken request",
        "status": judged.deny_status.as_u16(),
        "detail": format!("{} error(s): {}", errors.len(), errors.join(", ")),
        "request_id": judged.request_id,
        "allow": false,
        "diagnostics": judged.decision.diagnostics,
    });
    problem(judged.deny_status, &body, &judged.request_id)
}

/// Shares a gateway.
pub type SharedGateway = Arc<Gateway>;
