//! `embedguard serve`: the gateway, wired from the command line.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use embedguard_core::policy::Policy;
use embedguard_core::Engine;
use embedguard_gateway::caller::CallerSource;
use embedguard_gateway::log::Logging;
use embedguard_gateway::{inventory, reload, server, Decider, Gateway, GatewayConfig, Limits};

use crate::args::ServeArgs;
use crate::config::Config;

/// Runs the gateway until Ctrl-C or SIGTERM. Exit code 2 when it cannot start (an inventory or
/// configuration that does not load, an address that cannot be bound).
pub fn run(args: &ServeArgs, engine: Engine) -> ExitCode {
    match start(args, engine) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn start(args: &ServeArgs, engine: Engine) -> Result<(), String> {
    let policy = match &args.config {
        None => Policy::default(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("--config `{}`: {e}", path.display()))?;
            Config::parse(path, &text)
                .map_err(|problems| {
                    let first = problems
                        .first()
                        .map(|p| p.message.clone())
                        .unwrap_or_default();
                    format!("--config `{}`: {first}", path.display())
                })?
                .policy
        }
    };
    let tenant = inventory::load(&engine, &args.inventory).map_err(|e| e.to_string())?;
    let decider = Arc::new(Decider::new(engine, Some(tenant), policy));
    let caller = match &args.caller_header {
        Some(name) => CallerSource::Header(name.to_ascii_lowercase()),
        None => CallerSource::BearerToken,
    };
    let config = GatewayConfig {
        caller,
        limits: Limits {
            max_body_bytes: args.max_body_bytes,
            max_header_bytes: args.max_header_bytes,
            request_timeout: Duration::from_secs_f64(args.request_timeout),
            max_connections: args.max_connections,
            upstream_timeout: Duration::from_secs_f64(args.upstream_timeout),
        },
        upstream: args.upstream.clone(),
        ext_authz_prefix: args.ext_authz_prefix.clone(),
        logging: if args.quiet {
            Logging::Off
        } else {
            Logging::Json
        },
    };
    let logging = config.logging;
    let gateway = Arc::new(Gateway::new(decider, config).map_err(|e| e.to_string())?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .map_err(|e| format!("--listen {}: {e}", args.listen))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("--listen {}: {e}", args.listen))?;
        logging.event(
            "info",
            "listening",
            &[
                ("addr", serde_json::json!(addr.to_string())),
                ("upstream", serde_json::json!(gateway.config().upstream)),
                (
                    "inventory",
                    serde_json::json!(args.inventory.display().to_string()),
                ),
            ],
        );
        tokio::spawn(reload::watch(
            Arc::clone(&gateway),
            args.inventory.clone(),
            Duration::from_secs_f64(args.reload_interval),
        ));
        server::serve(listener, gateway, shutdown())
            .await
            .map_err(|e| format!("the server stopped: {e}"))?;
        logging.event("info", "stopped", &[]);
        Ok(())
    })
}

/// Completes on Ctrl-C, or SIGTERM on Unix.
async fn shutdown() {
    #[cfg(unix)]
    {
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            () = term => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
