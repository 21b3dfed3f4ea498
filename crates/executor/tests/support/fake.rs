//! A fake Microsoft Entra + Power BI service on 127.0.0.1, for the executor's and the CLI's
//! tests: it issues access tokens (client secret, certificate assertion verified against the
//! test certificate's public key, or password), serves the six GenerateToken endpoints, answers
//! the real error bodies of facts §d for the mistakes it can see, and can be told to throttle
//! (429 with `Retry-After`), to be unavailable (503) or to hang. It counts every request.
//!
//! It runs on its own thread and runtime, so synchronous tests (that run the binary) and async
//! tests use it alike. Shared by `crates/executor/tests` and the root package's tests (`#[path]`).

#![allow(dead_code)] // each test file uses its own subset

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Value};

/// The tenant the fake knows.
pub const TENANT: &str = "11111111-2222-4333-8444-555555555555";
/// The app registration it knows.
pub const CLIENT_ID: &str = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
/// The client secret it accepts.
pub const CLIENT_SECRET: &str = "fake~Secret.Value-9f8e7d6c5b4a";
/// The master user it accepts.
pub const USERNAME: &str = "embed-master@contoso.example";
/// That user's password.
pub const PASSWORD: &str = "Fake-Password-#7781!";
/// The test certificate's RSA public key (PKCS#1 DER), to verify client assertions.
pub const PUBLIC_KEY: &[u8] = include_bytes!("../data/test-public-key.der");
/// The PEM (key + certificate) of the test certificate.
const CERTIFICATE: &str = include_str!("../data/test-certificate.pem");

/// A path to the test certificate's PEM file (written to the temp dir: the package running the
/// test may be the root one, where the data directory is elsewhere).
pub fn certificate_pem() -> String {
    let path = std::env::temp_dir().join(format!(
        "embedguard-test-certificate-{}.pem",
        std::process::id()
    ));
    std::fs::write(&path, CERTIFICATE).expect("write test certificate");
    path.to_string_lossy().into_owned()
}

/// What the next requests to one service get instead of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// `429 Too Many Requests` with `Retry-After: N` seconds.
    Throttle(u64),
    /// `503 Service Unavailable`.
    Unavailable,
    /// No answer for an hour.
    Hang,
    /// `400` whose message quotes the request body, as a validation error might.
    Echo,
}

/// One request the fake received.
#[derive(Debug, Clone)]
pub struct Seen {
    /// `token` or `powerbi`.
    pub service: &'static str,
    /// The path.
    pub path: String,
    /// The headers.
    pub headers: HeaderMap,
    /// The body as text.
    pub body: String,
}

#[derive(Default)]
struct FakeState {
    addr: Mutex<Option<SocketAddr>>,
    token_requests: AtomicUsize,
    powerbi_requests: AtomicUsize,
    token_faults: Mutex<VecDeque<Fault>>,
    powerbi_faults: Mutex<VecDeque<Fault>>,
    access_tokens: Mutex<Vec<String>>,
    expired: Mutex<Vec<String>>,
    embed_tokens: Mutex<Vec<String>>,
    seen: Mutex<Vec<Seen>>,
    /// Ids (dataset, or report standing for its dataset) whose tokens need an identity (RLS).
    needs_identity: Mutex<Vec<String>>,
    /// Ids of workspaces the caller is not a member of (D9).
    not_member: Mutex<Vec<String>>,
    /// The tenant switch "Allow service principals to use Power BI APIs" is off (D10).
    service_principals_denied: std::sync::atomic::AtomicBool,
    /// Client ids and user names Entra knows besides [`CLIENT_ID`] and [`USERNAME`].
    other_apps: Mutex<Vec<String>>,
    other_users: Mutex<Vec<String>>,
    counter: AtomicUsize,
}

/// A running fake service.
pub struct Fake {
    addr: SocketAddr,
    state: Arc<FakeState>,
}

impl Fake {
    /// Starts the fake on an ephemeral port of 127.0.0.1.
    pub fn start() -> Fake {
        let state = Arc::new(FakeState::default());
        let (tx, rx) = std::sync::mpsc::channel();
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("fake runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind 127.0.0.1:0");
                let addr = listener.local_addr().expect("addr");
                *shared.addr.lock().expect("lock") = Some(addr);
                tx.send(addr).expect("send addr");
                let app = Router::new()
                    .route("/{tenant}/oauth2/v2.0/token", post(token))
                    .fallback(powerbi)
                    .with_state(shared);
                axum::serve(listener, app).await.expect("serve");
            });
        });
        let addr = rx.recv().expect("fake started");
        Fake { addr, state }
    }

    /// `http://127.0.0.1:PORT`: both the API root and the authority.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Requests to the token endpoint so far.
    pub fn token_requests(&self) -> usize {
        self.state.token_requests.load(Ordering::SeqCst)
    }

    /// Requests to Power BI so far.
    pub fn powerbi_requests(&self) -> usize {
        self.state.powerbi_requests.load(Ordering::SeqCst)
    }

    /// Every request so far.
    pub fn requests(&self) -> usize {
        self.token_requests() + self.powerbi_requests()
    }

    /// The next token requests get these faults, in order.
    pub fn fail_token(&self, faults: &[Fault]) {
        self.state
            .token_faults
            .lock()
            .expect("lock")
            .extend(faults.iter().copied());
    }

    /// The next Power BI requests get these faults, in order.
    pub fn fail_powerbi(&self, faults: &[Fault]) {
        self.state
            .powerbi_faults
            .lock()
            .expect("lock")
            .extend(faults.iter().copied());
    }

    /// Every access token issued so far now gets `403 TokenExpired`.
    pub fn expire_access_tokens(&self) {
        let issued = self.state.access_tokens.lock().expect("lock").clone();
        self.state.expired.lock().expect("lock").extend(issued);
    }

    /// Tokens for `id` (a dataset, or a report standing for its dataset) need an identity.
    pub fn needs_identity(&self, id: &str) {
        self.state
            .needs_identity
            .lock()
            .expect("lock")
            .push(id.to_ascii_lowercase());
    }

    /// The caller is not a member of workspace `id`: `403 PowerBINotAuthorizedException` (D9).
    pub fn not_member_of(&self, id: &str) {
        self.state
            .not_member
            .lock()
            .expect("lock")
            .push(id.to_ascii_lowercase());
    }

    /// The tenant does not let service principals use the APIs: `401` with
    /// `X-PowerBI-Error-Info: ServicePrincipalIsNotAllowedByTenantAdminSwitch` (D10).
    pub fn deny_service_principals(&self) {
        self.state
            .service_principals_denied
            .store(true, Ordering::SeqCst);
    }

    /// Entra also knows app `client_id` (with [`CLIENT_SECRET`]).
    pub fn knows_app(&self, client_id: &str) {
        self.state
            .other_apps
            .lock()
            .expect("lock")
            .push(client_id.to_string());
    }

    /// Entra also knows user `username` (with [`PASSWORD`]).
    pub fn knows_user(&self, username: &str) {
        self.state
            .other_users
            .lock()
            .expect("lock")
            .push(username.to_string());
    }

    /// Access tokens issued.
    pub fn access_tokens(&self) -> Vec<String> {
        self.state.access_tokens.lock().expect("lock").clone()
    }

    /// Embed tokens issued.
    pub fn embed_tokens(&self) -> Vec<String> {
        self.state.embed_tokens.lock().expect("lock").clone()
    }

    /// Every request received, in order.
    pub fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().expect("lock").clone()
    }
}

fn next(state: &FakeState) -> usize {
    state.counter.fetch_add(1, Ordering::SeqCst) + 1
}

fn request_id(state: &FakeState) -> String {
    format!("fa4e0000-0000-4000-8000-{:012}", next(state))
}

/// Applies the next queued fault, if any; `body` is the request's, for [`Fault::Echo`].
async fn fault(queue: &Mutex<VecDeque<Fault>>, request_id: &str, body: &str) -> Option<Response> {
    let f = queue.lock().expect("lock").pop_front()?;
    Some(match f {
        Fault::Echo => powerbi_error(
            StatusCode::BAD_REQUEST,
            "InvalidRequest",
            &format!("The request body {body} is not valid"),
            request_id,
        ),
        Fault::Throttle(secs) => (
            StatusCode::TOO_MANY_REQUESTS,
            [
                ("Retry-After", secs.to_string()),
                ("RequestId", request_id.to_string()),
            ],
            "",
        )
            .into_response(),
        Fault::Unavailable => (
            StatusCode::SERVICE_UNAVAILABLE,
            [("RequestId", request_id.to_string())],
            "",
        )
            .into_response(),
        Fault::Hang => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            StatusCode::GATEWAY_TIMEOUT.into_response()
        }
    })
}

fn entra_error(status: StatusCode, error: &str, description: &str, rid: &str) -> Response {
    (
        status,
        [("x-ms-request-id", rid.to_string())],
        axum::Json(json!({
            "error": error,
            "error_description": format!("{description}\r\nTrace ID: {rid}\r\nCorrelation ID: 0c0c0c0c-0000-4000-8000-000000000000\r\nTimestamp: 2026-11-23 14:00:00Z"),
            "error_codes": [],
            "correlation_id": "0c0c0c0c-0000-4000-8000-000000000000",
        })),
    )
        .into_response()
}

async fn token(
    State(state): State<Arc<FakeState>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    state.token_requests.fetch_add(1, Ordering::SeqCst);
    let text = String::from_utf8_lossy(&body).into_owned();
    state.seen.lock().expect("lock").push(Seen {
        service: "token",
        path: format!("/{tenant}/oauth2/v2.0/token"),
        headers,
        body: text.clone(),
    });
    let rid = request_id(&state);
    if let Some(r) = fault(&state.token_faults, &rid, &text).await {
        return r;
    }
    let form: HashMap<String, String> = url_decode_form(&text);
    let get = |k: &str| form.get(k).map(String::as_str);
    if tenant != TENANT {
        return entra_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            &format!("AADSTS90002: Tenant '{tenant}' not found."),
            &rid,
        );
    }
    let known_app = |id: &str| {
        id == CLIENT_ID
            || state
                .other_apps
                .lock()
                .expect("lock")
                .iter()
                .any(|a| a.eq_ignore_ascii_case(id))
    };
    if !get("client_id").is_some_and(known_app) {
        return entra_error(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            "AADSTS700016: Application was not found in the directory.",
            &rid,
        );
    }
    // Any cloud's Power BI scope: tests point national-cloud requests here too.
    if !get("scope")
        .is_some_and(|s| s.starts_with("https://") && s.ends_with("/powerbi/api/.default"))
    {
        return entra_error(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            "AADSTS70011: The provided value for the input parameter 'scope' is not valid.",
            &rid,
        );
    }
    let audience = format!("{}/{TENANT}/oauth2/v2.0/token", base_url(&state));
    let ok = match (
        get("grant_type"),
        get("client_secret"),
        get("client_assertion"),
    ) {
        (Some("client_credentials"), Some(secret), None) => {
            if secret != CLIENT_SECRET {
                return entra_error(StatusCode::UNAUTHORIZED, "invalid_client", "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.", &rid);
            }
            true
        }
        (Some("client_credentials"), None, Some(assertion)) => {
            if get("client_assertion_type")
                != Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
            {
                return entra_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "AADSTS50027: Invalid client assertion type.",
                    &rid,
                );
            }
            if let Err(why) = verify_assertion(assertion, &audience) {
                return entra_error(
                    StatusCode::UNAUTHORIZED,
                    "invalid_client",
                    &format!("AADSTS700027: Client assertion failed signature validation: {why}"),
                    &rid,
                );
            }
            true
        }
        (Some("password"), None, None) => {
            let known_user = |name: &str| {
                name == USERNAME
                    || state
                        .other_users
                        .lock()
                        .expect("lock")
                        .iter()
                        .any(|u| u.eq_ignore_ascii_case(name))
            };
            if !get("username").is_some_and(known_user) || get("password") != Some(PASSWORD) {
                return entra_error(StatusCode::BAD_REQUEST, "invalid_grant", "AADSTS50126: Error validating credentials due to invalid username or password.", &rid);
            }
            true
        }
        _ => false,
    };
    if !ok {
        return entra_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "AADSTS900144: The request body must contain the following parameter: 'grant_type'.",
            &rid,
        );
    }
    let access = format!(
        "eyJ0eXAiOiJKV1QifQ.fake-access-{}-{}",
        next(&state),
        nanos()
    );
    state
        .access_tokens
        .lock()
        .expect("lock")
        .push(access.clone());
    (
        [("x-ms-request-id", rid)],
        axum::Json(json!({
            "token_type": "Bearer",
            "expires_in": 3599,
            "ext_expires_in": 3599,
            "access_token": access,
        })),
    )
        .into_response()
}

fn base_url(state: &FakeState) -> String {
    format!("http://{}", state.addr.lock().expect("lock").expect("addr"))
}

fn nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// `application/x-www-form-urlencoded` decoding (`+` is a space, `%XX` a byte).
fn url_decode_form(text: &str) -> HashMap<String, String> {
    let decode = |s: &str| {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                    out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                    i += 2;
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    text.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

/// Checks an RS256 client assertion as Entra does: signature by the registered certificate,
/// `x5t` present, `aud` the token endpoint, `iss` = `sub` = the client id, not expired.
fn verify_assertion(jwt: &str, audience: &str) -> Result<(), String> {
    let parts: Vec<&str> = jwt.split('.').collect();
    let [h, c, s] = parts.as_slice() else {
        return Err("not a JWT".into());
    };
    let decode = |p: &str| URL_SAFE_NO_PAD.decode(p).map_err(|e| e.to_string());
    let header: Value = serde_json::from_slice(&decode(h)?).map_err(|e| e.to_string())?;
    let claims: Value = serde_json::from_slice(&decode(c)?).map_err(|e| e.to_string())?;
    if header["alg"] != "RS256" || !header["x5t"].is_string() {
        return Err("header".into());
    }
    ring::signature::UnparsedPublicKey::new(
        &ring::signature::RSA_PKCS1_2048_8192_SHA256,
        PUBLIC_KEY,
    )
    .verify(format!("{h}.{c}").as_bytes(), &decode(s)?)
    .map_err(|_| "bad signature".to_string())?;
    let now = (nanos() / 1_000_000_000) as u64;
    if claims["aud"] != audience
        || claims["iss"] != CLIENT_ID
        || claims["sub"] != CLIENT_ID
        || claims["exp"].as_u64().is_none_or(|e| e < now)
    {
        return Err(format!("claims {claims}"));
    }
    Ok(())
}

fn powerbi_error(status: StatusCode, code: &str, message: &str, rid: &str) -> Response {
    (
        status,
        [("RequestId", rid.to_string())],
        axum::Json(json!({ "error": { "code": code, "message": message } })),
    )
        .into_response()
}

/// Which endpoint a path is: (`V2` | `REPORT` | `CREATE` | `DATASET` | `DASHBOARD` | `TILE`,
/// the ids in the path).
fn endpoint(path: &str) -> Option<(&'static str, Vec<String>)> {
    let segs: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    let ids = |i: &[usize]| i.iter().map(|&i| s[i].to_string()).collect();
    Some(match s.as_slice() {
        ["v1.0", "myorg", "generatetoken"] => ("V2", vec![]),
        ["v1.0", "myorg", "groups", _, "reports", _, "generatetoken"] => ("REPORT", ids(&[3, 5])),
        ["v1.0", "myorg", "groups", _, "reports", "generatetoken"] => ("CREATE", ids(&[3])),
        ["v1.0", "myorg", "groups", _, "datasets", _, "generatetoken"] => ("DATASET", ids(&[3, 5])),
        ["v1.0", "myorg", "groups", _, "dashboards", _, "generatetoken"] => {
            ("DASHBOARD", ids(&[3, 5]))
        }
        ["v1.0", "myorg", "groups", _, "dashboards", _, "tiles", _, "generatetoken"] => {
            ("TILE", ids(&[3, 5, 7]))
        }
        _ => return None,
    })
}

async fn powerbi(
    State(state): State<Arc<FakeState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    state.powerbi_requests.fetch_add(1, Ordering::SeqCst);
    let text = String::from_utf8_lossy(&body).into_owned();
    state.seen.lock().expect("lock").push(Seen {
        service: "powerbi",
        path: uri.path().to_string(),
        headers: headers.clone(),
        body: text.clone(),
    });
    let rid = request_id(&state);
    if let Some(r) = fault(&state.powerbi_faults, &rid, &text).await {
        return r;
    }
    let Some((kind, path_ids)) = endpoint(uri.path()) else {
        return powerbi_error(StatusCode::NOT_FOUND, "NotFound", "API not found", &rid);
    };
    if method != Method::POST {
        return powerbi_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            "The requested resource does not support http method",
            &rid,
        );
    }
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string);
    let Some(bearer) = bearer.filter(|b| state.access_tokens.lock().expect("lock").contains(b))
    else {
        return (
            StatusCode::UNAUTHORIZED,
            [
                ("RequestId", rid.clone()),
                ("X-PowerBI-Error-Info", "InvalidAccessToken".to_string()),
            ],
            "",
        )
            .into_response();
    };
    if state.expired.lock().expect("lock").contains(&bearer) {
        return powerbi_error(
            StatusCode::FORBIDDEN,
            "TokenExpired",
            "Access token has expired, resubmit with a new access token",
            &rid,
        );
    }
    if state.service_principals_denied.load(Ordering::SeqCst) {
        return (
            StatusCode::UNAUTHORIZED,
            [
                ("RequestId", rid.clone()),
                (
                    "X-PowerBI-Error-Info",
                    "ServicePrincipalIsNotAllowedByTenantAdminSwitch".to_string(),
                ),
            ],
            "",
        )
            .into_response();
    }
    if path_ids
        .first()
        .is_some_and(|g| state.not_member.lock().expect("lock").contains(g))
    {
        return (
            StatusCode::FORBIDDEN,
            [("RequestId", rid.clone())],
            axum::Json(json!({"error": {"code": "PowerBINotAuthorizedException", "pbi.error": {"code": "PowerBINotAuthorizedException", "parameters": {}, "details": [], "exceptionCulprit": 1}}})),
        )
            .into_response();
    }
    if headers.get("content-type") != Some(&HeaderValue::from_static("application/json")) {
        // D5: a body with no (or another) media type.
        return (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            [("RequestId", rid.clone())],
            axum::Json(json!({"error": {"code": "UnsupportedMediaType", "message": "The request contains an entity body but no Content-Type header. The inferred media type 'application/octet-stream' is not supported for this resource."}})),
        )
            .into_response();
    }
    let Ok(Value::Object(body)) = serde_json::from_str::<Value>(&text) else {
        return powerbi_error(
            StatusCode::BAD_REQUEST,
            "InvalidRequest",
            "The request body is not a JSON object",
            &rid,
        );
    };
    let identities = body
        .get("identities")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    // D4: a V1 endpoint takes one identity (a dashboard's tiles may need one per model).
    if kind != "V2" && kind != "DASHBOARD" && identities.len() > 1 {
        return powerbi_error(
            StatusCode::BAD_REQUEST,
            "InvalidRequest",
            "Creating embed token with multiple identities is not supported",
            &rid,
        );
    }
    // D7: identity blobs are limited to 10,240 bytes.
    let blob_too_big = identities.iter().any(|i| {
        i.pointer("/identityBlob/value")
            .and_then(Value::as_str)
            .is_some_and(|v| v.len() > 10240)
    });
    if blob_too_big {
        return powerbi_error(
            StatusCode::BAD_REQUEST,
            "InvalidRequest",
            "Identity blob value size exceeds size limit of 10240 bytes",
            &rid,
        );
    }
    // D1: an RLS dataset (or a report standing for its dataset) with no identity covering it.
    let mut referenced: Vec<String> = path_ids.iter().skip(1).cloned().collect();
    for key in ["datasets", "reports"] {
        if let Some(list) = body.get(key).and_then(Value::as_array) {
            referenced.extend(
                list.iter()
                    .filter_map(|i| i["id"].as_str())
                    .map(str::to_ascii_lowercase),
            );
        }
    }
    let covered = |id: &str| {
        identities.iter().any(|i| {
            i["datasets"].as_array().is_some_and(|d| {
                d.iter()
                    .any(|d| d.as_str().is_some_and(|d| d.eq_ignore_ascii_case(id)))
            })
        }) || (kind != "V2" && !identities.is_empty())
    };
    let secured = state.needs_identity.lock().expect("lock").clone();
    if let Some(id) = referenced
        .iter()
        .find(|id| secured.contains(id) && !covered(id))
    {
        return powerbi_error(
            StatusCode::BAD_REQUEST,
            "InvalidRequest",
            &format!("Creating embed token for accessing dataset {id} requires effective identity to be provided"),
            &rid,
        );
    }
    let token = format!("H4sIAAAAAAAEAB2Tx-fake-embed-{}-{}", next(&state), nanos());
    state.embed_tokens.lock().expect("lock").push(token.clone());
    (
        [("RequestId", rid)],
        axum::Json(json!({
            "token": token,
            "tokenId": format!("0e0e0e0e-0000-4000-8000-{:012}", next(&state)),
            "expiration": "2026-11-23T15:00:00Z",
        })),
    )
        .into_response()
}
