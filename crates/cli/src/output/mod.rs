//! Output formats of `check`.

pub mod human;
pub mod json;
