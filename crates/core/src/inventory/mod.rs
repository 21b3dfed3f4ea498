//! Tenant facts: what the engine must know about the tenant to judge a request (SPEC §1.2).

mod model;
mod tenant;

pub use model::*;
pub use tenant::*;
