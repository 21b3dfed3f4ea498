//! The HTTP server: `/v1/decide`, the forwarding proxy under `/v1.0/myorg/`, the Envoy
//! ext_authz service under its prefix, `/healthz` and `/metrics`.

use std::future::Future;
use std::io;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use tokio::net::TcpListener;

use crate::gateway::{denial, with_request_id, Gateway, Limits};
use crate::listener::LimitedListener;
use crate::metrics::Entry;

/// The routes, over `gateway`.
pub fn router(gateway: Arc<Gateway>) -> Router {
    let prefix = gateway.config().ext_authz_prefix.clone();
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/v1/decide", post(decide))
        .route("/v1.0/myorg/{*rest}", any(proxy))
        .route(&format!("{prefix}/{{*rest}}"), any(ext_authz))
        .with_state(gateway)
}

/// Serves `gateway` on `listener` until `shutdown` completes, at most
/// [`Limits::max_connections`](crate::gateway::Limits) connections at once, each given
/// [`Limits::request_timeout`](crate::gateway::Limits) to send a request's headers. Connections
/// still open at shutdown finish their requests first.
pub async fn serve(
    listener: TcpListener,
    gateway: Arc<Gateway>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let limits = gateway.config().limits.clone();
    serve_app(listener, router(gateway), &limits, shutdown).await
}

/// Serves any `app` as [`serve`] serves the gateway's routes: the same connection limit, header
/// timeout and graceful shutdown (the benchmark's pass-through server runs on it).
pub async fn serve_app(
    listener: TcpListener,
    app: Router,
    limits: &Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let mut listener = LimitedListener::new(listener, limits.max_connections);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (io, _) = tokio::select! {
            accepted = axum::serve::Listener::accept(&mut listener) => accepted,
            () = &mut shutdown => break,
        };
        let connection = hyper::server::conn::http1::Builder::new()
            // Without a timer hyper does not enforce the header timeout at all.
            .timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(limits.request_timeout)
            .serve_connection(
                hyper_util::rt::TokioIo::new(io),
                hyper_util::service::TowerToHyperService::new(app.clone()),
            );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A connection that fails (reset, header timeout) concerns that client alone.
            let _ = connection.await;
        });
    }
    graceful.shutdown().await;
    Ok(())
}

async fn healthz(State(g): State<Arc<Gateway>>) -> Response {
    let inventory = g.decider().tenant().is_some();
    Json(serde_json::json!({ "status": "ok", "inventory": inventory })).into_response()
}

async fn metrics(State(g): State<Arc<Gateway>>) -> Response {
    let mut response = g.metrics().render().into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    response
}

/// `POST /v1/decide`: always 200 with the decision, unless a limit refused the request.
async fn decide(State(g): State<Arc<Gateway>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let judged = g.judge_description(&parts, body).await;
    if judged.deny_status != StatusCode::FORBIDDEN {
        return denial(&judged);
    }
    with_request_id(Json(&judged.decision).into_response(), &judged.request_id)
}

/// The proxy: a denied request is answered here and never forwarded.
async fn proxy(State(g): State<Arc<Gateway>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let path = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path().to_string(), |p| p.as_str().to_string());
    let judged = g.judge_wire(Entry::Proxy, &parts, &path, body).await;
    if !judged.decision.allow {
        return denial(&judged);
    }
    g.forward(&parts, judged).await
}

/// Envoy's HTTP ext_authz service: the original path follows the prefix; 200 allows, anything
/// else denies and Envoy passes the status and body to the client.
async fn ext_authz(State(g): State<Arc<Gateway>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let prefix = &g.config().ext_authz_prefix;
    let rest = parts
        .uri
        .path()
        .strip_prefix(prefix.as_str())
        .unwrap_or("/");
    let mut path = if rest.is_empty() {
        "/".to_string()
    } else {
        rest.to_string()
    };
    if let Some(q) = parts.uri.query() {
        path.push('?');
        path.push_str(q);
    }
    let judged = g.judge_wire(Entry::ExtAuthz, &parts, &path, body).await;
    if !judged.decision.allow {
        return denial(&judged);
    }
    let mut response = StatusCode::OK.into_response();
    response
        .headers_mut()
        .insert("x-embedguard-decision", HeaderValue::from_static("allow"));
    with_request_id(response, &judged.request_id)
}
