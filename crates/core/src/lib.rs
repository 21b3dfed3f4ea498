//! embedguard-core: the Power BI embed-token request model, the tenant inventory graph, and the
//! rules — a pure function of (inventory, request) to findings, with no I/O.
//!
//! ```
//! use embedguard_core::{Engine, value::{Value, Member}};
//! let engine = Engine::new().expect("compiled-in matrices");
//! # let _ = engine;
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod body;
pub mod context;
pub mod endpoint;
pub mod engine;
pub mod finding;
pub mod ids;
pub mod inventory;
pub mod matrix;
pub mod policy;
pub mod read;
pub mod registry;
pub mod request;
pub mod rules;
pub mod secrets;
pub mod skips;
pub mod value;

pub use engine::Engine;
pub use finding::{Finding, Location, Origin, Severity, Target};
pub use registry::Rule;
