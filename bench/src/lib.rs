//! embedguard-bench: the requests, tenants and engines that `bench/run` times.
//!
//! Everything here is set-up and correctness plumbing; the timing harness is `benches/compare.rs`
//! and the proof that the Rego peer checks what embedguard checks is `tests/equivalence.rs`.
//!
//! - [`fixtures`]: the fixture requests, one per description, converted from YAML to JSON bytes.
//! - [`floor`]: the typed serde mirror of a description and its GenerateToken bodies.
//! - [`peer`]: the tenant as Rego `data`, and the compiled policy of `bench/rego/`.
//! - [`scale`]: deterministic inventories of any number of workspaces.
//! - [`json`]: writing embedguard's document tree as JSON text.
//! - [`memory`]: peak and current RSS of this process.

pub mod fixtures;
pub mod floor;
pub mod json;
pub mod memory;
pub mod peer;
pub mod scale;

use std::collections::BTreeSet;

use embedguard_core::inventory::Tenant;
use embedguard_core::request::TokenRequest;
use embedguard_core::{Engine, Finding, Severity};

/// The codes of the two seed matrices (RULES.md): the checks the Rego policy re-implements.
pub const SEED_CODES: &[&str] = &[
    "EG101", "EG102", "EG103", "EG104", "EG105", "EG106", "EG110", "EG301", "EG302", "EG303",
    "EG304", "EG305", "EG306", "EG307", "EG308", "EG309",
];

/// The seed-matrix codes among `findings`.
pub fn seed_codes(findings: &[Finding]) -> BTreeSet<String> {
    findings
        .iter()
        .map(|f| f.rule.code())
        .filter(|c| SEED_CODES.contains(c))
        .map(str::to_string)
        .collect()
}

/// Whether any finding is an error.
pub fn has_error(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// embedguard end to end, as the gateway would run it: JSON bytes of a description → the CLI's
/// JSON parser → `read_description` → `validate` of each request against `tenant`. Returns every
/// finding (reading and rules); a syntax error is returned as `Err`.
pub fn embedguard_e2e(
    engine: &Engine,
    tenant: &Tenant,
    bytes: &[u8],
) -> Result<Vec<Finding>, String> {
    let doc = embedguard_cli::source::parse(bytes, embedguard_cli::source::Format::Json)
        .map_err(|e| e.message)?;
    let read = engine.read_description(&doc.value);
    let mut findings = read.findings;
    for request in &read.description.requests {
        findings.extend(engine.validate(Some(tenant), request));
    }
    Ok(findings)
}

/// The request of a one-request description, read once (for "validate alone").
pub fn read_request(engine: &Engine, bytes: &[u8]) -> Result<TokenRequest, String> {
    let doc = embedguard_cli::source::parse(bytes, embedguard_cli::source::Format::Json)
        .map_err(|e| e.message)?;
    let mut read = engine.read_description(&doc.value);
    match read.description.requests.len() {
        1 => Ok(read.description.requests.remove(0)),
        n => Err(format!("expected one request, found {n}")),
    }
}
