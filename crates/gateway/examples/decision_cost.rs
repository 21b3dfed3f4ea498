//! The CPU one decision costs, without the network: the load test's two requests judged in a
//! loop on one thread, beside the same loop that only reads the body (what the pass-through
//! server does before answering). `bench/gateway-load` prints it next to the load figures, and it
//! is the loop to put under a profiler:
//!
//! ```text
//! cargo run --release --example decision_cost -p embedguard-gateway -- fixtures/tenant.yaml
//! perf record -g target/release/examples/decision_cost fixtures/tenant.yaml proxy 10
//! ```
//!
//! Arguments: INVENTORY [CASE [SECONDS]], CASE one of `decide`, `proxy` or `all` (default), for
//! SECONDS each (default 2).

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use embedguard_core::policy::Policy;
use embedguard_core::Engine;
use embedguard_gateway::caller::CallerSource;
use embedguard_gateway::log::Logging;
use embedguard_gateway::metrics::Entry;
use embedguard_gateway::{inventory, Decider, Gateway, GatewayConfig};

/// Builds a fresh copy of a case's request.
type MakeRequest = Box<dyn Fn() -> Request<Body>>;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The load test's clean request (bench/gateway-load): a report of the Sales workspace, View.
const PATH: &str = "/v1.0/myorg/groups/6dfe520a-fe74-4854-b72f-23ade2723cc9/reports/1ff54a71-e26e-4c09-a113-ece24e6c151c/GenerateToken";
const BODY: &str = r#"{"accessLevel":"View","lifetimeInMinutes":60}"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let inventory_path = args
        .next()
        .ok_or("usage: decision_cost INVENTORY [decide|proxy|all] [SECONDS]")?;
    let case = args.next().unwrap_or_else(|| "all".into());
    let seconds: f64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(2.0);
    let engine = Engine::new()?;
    let tenant = inventory::load(&engine, std::path::Path::new(&inventory_path))?;
    let decider = Arc::new(Decider::new(engine, Some(tenant), Policy::default()));
    let gateway = Gateway::new(
        decider,
        GatewayConfig {
            caller: CallerSource::Header("x-embedguard-caller".into()),
            logging: Logging::Off,
            ..GatewayConfig::default()
        },
    )?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    let decide_body = format!(
        r#"{{"caller":"embed-sp","path":"{PATH}","headers":{{"Content-Type":"application/json"}},"body":{BODY}}}"#
    );
    let time = Duration::from_secs_f64(seconds);

    let mut cases: Vec<(&str, MakeRequest)> = Vec::new();
    if case == "decide" || case == "all" {
        let body = decide_body.clone();
        cases.push((
            "decide",
            Box::new(move || {
                Request::post("/v1/decide")
                    .header("content-type", "application/json")
                    .body(Body::from(body.clone()))
                    .unwrap_or_default()
            }),
        ));
    }
    if case == "proxy" || case == "all" {
        cases.push((
            "proxy",
            Box::new(|| {
                Request::post(PATH)
                    .header("content-type", "application/json")
                    .header("x-embedguard-caller", "embed-sp")
                    .header("authorization", "Bearer not-checked")
                    .body(Body::from(BODY))
                    .unwrap_or_default()
            }),
        ));
    }
    if cases.is_empty() {
        return Err(format!("unknown case `{case}`: decide, proxy or all").into());
    }
    for (name, make) in &cases {
        let judged = runtime.block_on(judge(&gateway, name, make()));
        if !judged {
            return Err(format!("{name}: the request is not allowed: not the clean case").into());
        }
        let read_only = per_request(time, || {
            runtime.block_on(async {
                let (parts, body) = make().into_parts();
                let bytes = gateway.read_within_limits(&parts.headers, body).await;
                black_box((parts, bytes.is_ok()));
            })
        });
        let judging = per_request(time, || {
            black_box(runtime.block_on(judge(&gateway, name, make())));
        });
        println!(
            "{name}: read only {read_only:.0} ns, judged {judging:.0} ns, decision adds {:.0} ns",
            judging - read_only
        );
    }
    Ok(())
}

/// Judges one request as its entry point does; whether it was allowed.
async fn judge(gateway: &Gateway, case: &str, request: Request<Body>) -> bool {
    let (parts, body) = request.into_parts();
    let judged = if case == "decide" {
        gateway.judge_description(&parts, body).await
    } else {
        gateway.judge_wire(Entry::Proxy, &parts, PATH, body).await
    };
    judged.decision.allow
}

/// Nanoseconds per call of `f`, run for `time`.
fn per_request(time: Duration, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < time {
        for _ in 0..256 {
            f();
        }
        n += 256;
    }
    let took = start.elapsed();
    eprintln!("({n} calls)");
    took.as_nanos() as f64 / n as f64
}
