//! EG0xx — input and wire format.

mod content_type;
mod invalid_guid;
mod unknown_endpoint;

pub use content_type::ContentType;
pub use invalid_guid::InvalidGuid;
pub use unknown_endpoint::UnknownEndpoint;
