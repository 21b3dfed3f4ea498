//! Running the engine over a description written as JSON, for the rules' unit tests.

use crate::value::Value;
use crate::{Engine, Finding};

/// Every finding for `description` (a description file as JSON, with an inline `tenant` or none):
/// reading it, resolving its tenant, and checking each request.
pub fn findings(description: serde_json::Value) -> Vec<Finding> {
    let engine = Engine::new().expect("compiled-in matrices");
    let read = engine.read_description(&Value::from_json(&description));
    let mut out = read.findings;
    out.extend(read.tenant_findings);
    let tenant = read.description.tenant.clone().map(|inventory| {
        let (tenant, findings) = engine.resolve_inventory(inventory);
        out.extend(findings);
        tenant
    });
    for request in &read.description.requests {
        out.extend(engine.validate(tenant.as_ref(), request));
    }
    out
}

/// The codes of [`findings`], in order.
pub fn codes(description: serde_json::Value) -> Vec<&'static str> {
    findings(description)
        .iter()
        .map(|f| f.rule.code())
        .collect()
}
