//! The servers `bench/gateway-load` times, in one process: a fake Power BI upstream, the
//! validating gateway, and the same axum stack with validation switched off: the same listener,
//! body reading within the same limits, forwarding client and allocator (`embedguard serve`'s),
//! without the caller lookup and the decision.
//!
//! `cargo run --release --example load_server -p embedguard-gateway -- INVENTORY` prints one
//! line, `upstream=URL validating=URL passthrough=URL`, then serves until killed. The caller is
//! taken from the `x-embedguard-caller` header.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use axum::Router;
use embedguard_core::policy::Policy;
use embedguard_core::Engine;
use embedguard_gateway::caller::CallerSource;
use embedguard_gateway::gateway::Judged;
use embedguard_gateway::log::Logging;
use embedguard_gateway::{inventory, server, Decider, Decision, Gateway, GatewayConfig, Limits};
use tokio::net::TcpListener;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const TOKEN: &str = r#"{"@odata.context":"https://api.powerbi.com/v1.0/myorg/$metadata#Microsoft.PowerBI.ServiceREST.EmbedToken","token":"H4sIAAAAAAAEAB2Wx86DVhCF3-XfEgkwYCCSF2AwvbeOHb","tokenId":"49ae3742-54c0-4c29-af52-619ff93b5c80","expiration":"2030-01-01T00:00:00Z"}"#;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let inventory_path = std::env::args()
        .nth(1)
        .ok_or("usage: load_server INVENTORY")?;
    let engine = Engine::new()?;
    let tenant = inventory::load(&engine, std::path::Path::new(&inventory_path))?;

    let upstream = bind(Router::new().fallback(any(|| async {
        ([("content-type", "application/json")], TOKEN)
    })))
    .await?;
    let config = GatewayConfig {
        caller: CallerSource::Header("x-embedguard-caller".into()),
        upstream: upstream.clone(),
        logging: Logging::Off,
        ..GatewayConfig::default()
    };
    let decider = Arc::new(Decider::new(engine, Some(tenant), Policy::default()));
    let validating = Arc::new(Gateway::new(Arc::clone(&decider), config.clone())?);
    let passthrough = Arc::new(Gateway::new(decider, config)?);

    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let validating_url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(server::serve(listener, validating, std::future::pending()));

    let plain = Router::new()
        .route("/v1/decide", post(decide_unchecked))
        .route("/v1.0/myorg/{*rest}", any(forward_unchecked))
        .with_state(passthrough);
    let passthrough_url = bind(plain).await?;
    println!("upstream={upstream} validating={validating_url} passthrough={passthrough_url}");
    std::future::pending::<()>().await;
    Ok(())
}

/// Serves `app` on a fresh loopback port with the gateway's connection loop and limits.
async fn bind(app: Router) -> std::io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        server::serve_app(listener, app, &Limits::default(), std::future::pending()).await
    });
    Ok(url)
}

async fn read(
    g: &Gateway,
    request: Request,
) -> Result<(axum::http::request::Parts, axum::body::Bytes), Response> {
    let (parts, body) = request.into_parts();
    match g.read_within_limits(&parts.headers, body).await {
        Ok(bytes) => Ok((parts, bytes)),
        Err(status) => Err(status.into_response()),
    }
}

/// `/v1/decide` without the decision: the body read, a fixed allow.
async fn decide_unchecked(State(g): State<Arc<Gateway>>, request: Request) -> Response {
    match read(&g, request).await {
        Ok(_) => axum::Json(Decision::from_diagnostics(Vec::new())).into_response(),
        Err(r) => r,
    }
}

/// The proxy without the decision: the body read, then forwarded as the gateway forwards.
async fn forward_unchecked(State(g): State<Arc<Gateway>>, request: Request) -> Response {
    match read(&g, request).await {
        Ok((parts, body)) => {
            let judged = Judged {
                request_id: "bench".into(),
                decision: Decision::from_diagnostics(Vec::new()),
                deny_status: StatusCode::FORBIDDEN,
                body,
            };
            g.forward(&parts, judged).await
        }
        Err(r) => r,
    }
}
