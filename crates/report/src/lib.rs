//! embedguard-report: the auditor's compliance report (`embedguard report`).
//!
//! Auditors ask which apps mint embed tokens, as whom, with what rights, over which row-level
//! secured data, and whether any of it breaks a rule. This crate answers from what `check`
//! already found: the front end hands over each request's [`facts::RequestFacts`] (gathered
//! with the core's own resolution of the request against its tenant), each tenant's
//! [`tenant::TenantView`] and every diagnostic, and [`model::Report::build`] turns them into one
//! sorted, deterministic model that [`html`], [`markdown`] and [`json`] render.
//!
//! No I/O: the caller reads the files, picks the date, and writes the output.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod facts;
pub mod html;
pub mod json;
pub mod markdown;
pub mod mask;
pub mod model;
pub mod pages;
mod svg;
pub mod table;
pub mod tenant;

pub use model::{Report, ReportInput};
