//! The engine: reads documents and runs every rule over every request.

use crate::context::Context;
use crate::finding::{Finding, Origin};
use crate::inventory::{Inventory, Tenant};
use crate::matrix::{Matrices, MatrixError};
use crate::policy::Policy;
use crate::read::Diagnostics;
use crate::request::{Description, TokenRequest};
use crate::rules::policy::POLICY_CHECKS;
use crate::rules::{CHECKS, DOCUMENT_CHECKS};
use crate::skips::{self, Unjudged};
use crate::value::{Pointer, Value};

/// The rule engine. Cheap to share: `Send + Sync`, no interior mutability.
#[derive(Debug, Clone)]
pub struct Engine {
    matrices: Matrices,
}

/// A description file, read, with what reading it found.
#[derive(Debug)]
pub struct ReadDescription {
    /// The description.
    pub description: Description,
    /// Findings about the description itself (origin: request).
    pub findings: Vec<Finding>,
    /// Findings about its inline `tenant:` (origin: inventory, pointers under `/tenant`).
    pub tenant_findings: Vec<Finding>,
}

impl Engine {
    /// Makes an engine with the compiled-in matrices.
    pub fn new() -> Result<Engine, MatrixError> {
        Ok(Engine {
            matrices: Matrices::load()?,
        })
    }

    /// The seed matrices the rules consult.
    pub fn matrices(&self) -> &Matrices {
        &self.matrices
    }

    /// Reads an inventory document (an inventory file's root) and resolves it into a tenant.
    pub fn read_inventory(&self, doc: &Value) -> (Tenant, Vec<Finding>) {
        let mut diags = Diagnostics::new(Origin::Inventory);
        let inventory = Inventory::read(doc, Pointer::root(), &mut diags);
        let (tenant, mut unresolved) = Tenant::build(inventory);
        diags.findings.append(&mut unresolved);
        check_document(doc, Origin::Inventory, &mut diags.findings);
        sort(&mut diags.findings);
        (tenant, diags.findings)
    }

    /// Reads a description file.
    pub fn read_description(&self, doc: &Value) -> ReadDescription {
        let mut diags = Diagnostics::new(Origin::Request);
        let mut tenant_diags = Diagnostics::new(Origin::Inventory);
        let description = Description::read(doc, &mut diags, &mut tenant_diags);
        // The whole file, inline `tenant:` included, so its findings point into this file.
        check_document(doc, Origin::Request, &mut diags.findings);
        sort(&mut diags.findings);
        sort(&mut tenant_diags.findings);
        ReadDescription {
            description,
            findings: diags.findings,
            tenant_findings: tenant_diags.findings,
        }
    }

    /// Resolves an inline tenant read from a description.
    pub fn resolve_inventory(&self, inventory: Inventory) -> (Tenant, Vec<Finding>) {
        let (tenant, mut findings) = Tenant::build(inventory);
        sort(&mut findings);
        (tenant, findings)
    }

    /// Runs every rule over one request. `tenant` is `None` when no inventory was given: then
    /// only the rules that need no tenant facts can speak.
    pub fn validate(&self, tenant: Option<&Tenant>, request: &TokenRequest) -> Vec<Finding> {
        self.validate_with(tenant, request, &Policy::default())
    }

    /// Runs every rule over one request, and the organisation's `policy` (EG9xx) on top.
    pub fn validate_with(
        &self,
        tenant: Option<&Tenant>,
        request: &TokenRequest,
        policy: &Policy,
    ) -> Vec<Finding> {
        let mut out = Vec::new();
        let ctx = Context::resolve(request, tenant, &self.matrices, &mut out);
        for check in CHECKS {
            check.check(&ctx, &mut out);
        }
        if policy.is_set() {
            for check in POLICY_CHECKS {
                check.check(&ctx, policy, &mut out);
            }
        }
        sort(&mut out);
        out.dedup();
        out
    }

    /// What the rules could not judge about `request` for want of facts `tenant` leaves out:
    /// each rule that would report something under some values of those facts, with the
    /// smallest such assumption found (see [`crate::skips`]). Slow by design — the request is
    /// judged again for each combination tried — and meant for `check --explain-skips`, not for
    /// the hot path.
    pub fn explain_skips(
        &self,
        tenant: &Tenant,
        request: &TokenRequest,
        policy: &Policy,
    ) -> Unjudged {
        let base = self.validate_with(Some(tenant), request, policy);
        let mut unresolved = Vec::new();
        let ctx = Context::resolve(request, Some(tenant), &self.matrices, &mut unresolved);
        skips::explain(&ctx, tenant, &base, |assumed| {
            self.validate_with(Some(assumed), request, policy)
        })
    }
}

/// Runs the rules that judge a whole file (EG501) over one document.
fn check_document(doc: &Value, origin: Origin, out: &mut Vec<Finding>) {
    for check in DOCUMENT_CHECKS {
        check.check_document(doc, origin, out);
    }
}

/// Orders findings deterministically: by document, place, then rule.
fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.location.origin, &a.location.pointer, a.rule, &a.message).cmp(&(
            b.location.origin,
            &b.location.pointer,
            b.rule,
            &b.message,
        ))
    });
}
