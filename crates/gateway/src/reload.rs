//! Inventory hot reload: when the file changes (its modification time or size, polled) or the
//! process gets SIGHUP, the new inventory is read and checked fully, then swapped in at once. An
//! inventory that does not load is rejected with a log line, and the old one keeps serving.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde_json::json;

use crate::gateway::Gateway;
use crate::inventory::{self, InventoryError};

/// What identifies a version of the file without reading it.
type Stamp = Option<(SystemTime, u64)>;

fn stamp(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// Reads `path` and, when it loads without error, makes it the tenant every new decision uses.
pub fn reload(gateway: &Gateway, path: &Path) -> Result<(), InventoryError> {
    let decider = gateway.decider();
    let outcome =
        inventory::load(decider.engine(), path).map(|tenant| decider.swap_tenant(Some(tenant)));
    gateway.metrics().reload(outcome.is_ok());
    let logging = gateway.config().logging;
    match &outcome {
        Ok(()) => logging.event(
            "info",
            "inventory_reloaded",
            &[("path", json!(path.display().to_string()))],
        ),
        Err(e) => logging.event(
            "error",
            "inventory_rejected",
            &[
                ("path", json!(path.display().to_string())),
                ("reason", json!(e.to_string())),
                ("kept", json!("the previous inventory")),
            ],
        ),
    }
    outcome
}

/// Watches `path` forever: polls it every `every`, and reloads on SIGHUP (Unix).
pub async fn watch(gateway: std::sync::Arc<Gateway>, path: PathBuf, every: Duration) {
    let mut seen = stamp(&path);
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    #[cfg(unix)]
    let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
    loop {
        #[cfg(unix)]
        let hangup = async {
            match hup.as_mut() {
                Some(h) => {
                    h.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let hangup = std::future::pending::<()>();
        tokio::select! {
            _ = tick.tick() => {
                let now = stamp(&path);
                // A version is tried once: a broken file is not re-read (and re-logged) every
                // tick, and the next write tries again.
                if now != seen {
                    seen = now;
                    let _ = reload(&gateway, &path);
                }
            }
            () = hangup => {
                seen = stamp(&path);
                let _ = reload(&gateway, &path);
            }
        }
    }
}
