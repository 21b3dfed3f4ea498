//! Loading the inventory the gateway judges against: read, parse and check it fully before it
//! may replace the one in use.

use std::path::Path;

use embedguard_core::inventory::Tenant;
use embedguard_core::{Engine, Severity};
use embedguard_source::{Format, LineIndex};

/// Why an inventory file was not loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InventoryError {
    /// The file cannot be read.
    #[error("cannot read `{path}`: {reason}")]
    Unreadable {
        /// The file.
        path: String,
        /// The operating system's reason.
        reason: String,
    },
    /// The file is not valid YAML/JSON.
    #[error("`{path}`:{line}:{column}: {message}")]
    Syntax {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The inventory has error-level findings (the first few are listed).
    #[error("`{path}` has {count} error(s): {first}")]
    Invalid {
        /// The file.
        path: String,
        /// How many error-level findings.
        count: usize,
        /// The first ones, `CODE pointer: message`.
        first: String,
    },
}

/// Reads the inventory file at `path` and resolves it; any error-level finding refuses it, so a
/// half-broken tenant never replaces a working one.
pub fn load(engine: &Engine, path: &Path) -> Result<Tenant, InventoryError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| InventoryError::Unreadable {
        path: shown.clone(),
        reason: e.to_string(),
    })?;
    let doc = embedguard_source::parse_limited(
        &bytes,
        Format::from_path(path),
        embedguard_source::MAX_INVENTORY_BYTES,
    )
    .map_err(|e| {
        let (line, column) =
            LineIndex::new(&String::from_utf8_lossy(&bytes)).line_col(e.span.start);
        InventoryError::Syntax {
            path: shown.clone(),
            line,
            column,
            message: e.message,
        }
    })?;
    let (tenant, findings) = engine.read_inventory(&doc.value);
    let errors: Vec<String> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{} {}: {}", f.rule.code(), f.location.pointer, f.message))
        .collect();
    if errors.is_empty() {
        Ok(tenant)
    } else {
        Err(InventoryError::Invalid {
            path: shown,
            count: errors.len(),
            first: errors
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join("; "),
        })
    }
}
