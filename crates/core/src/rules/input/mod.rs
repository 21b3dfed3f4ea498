//! EG0xx — input and wire format.

mod invalid_guid;
mod unknown_endpoint;

pub use invalid_guid::InvalidGuid;
pub use unknown_endpoint::UnknownEndpoint;
