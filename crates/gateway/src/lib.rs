//! embedguard-gateway: embedguard on the wire. A [`Decider`] turns one GenerateToken request into
//! allow or deny with diagnostics, reading the body exactly as `embedguard check` does; the
//! [`server`] puts it behind HTTP (`/v1/decide`, a forwarding proxy, an Envoy ext_authz service,
//! `/healthz`, `/metrics`); [`EmbedGuardLayer`] embeds the same check in any tower stack.
//!
//! Everything fails closed: a body that cannot be read exactly as Power BI would read it, a
//! caller that cannot be identified, a limit exceeded or an internal error is a denial with a
//! reason, never a forward.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod caller;
pub mod decide;
pub mod inventory;

pub use decide::{Decider, Decision, Diagnostic, Refusal, WireRequest};
pub mod gateway;
pub mod layer;
pub mod listener;
pub mod log;
pub mod metrics;
pub mod reload;
pub mod server;

pub use gateway::{Gateway, GatewayConfig, Limits};
pub use layer::EmbedGuardLayer;
