//! EG5xx — secrets and hygiene.

mod audit_context_empty;
mod secret_in_file;

pub use audit_context_empty::AuditContextEmpty;
pub use secret_in_file::SecretInFile;
