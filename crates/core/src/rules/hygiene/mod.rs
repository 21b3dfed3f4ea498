//! EG5xx — secrets and hygiene.

mod audit_context_empty;

pub use audit_context_empty::AuditContextEmpty;
