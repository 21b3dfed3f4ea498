//! Output formats of `check`.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod short;
