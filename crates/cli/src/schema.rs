//! The JSON Schemas (draft-07) of embedguard's two file kinds, compiled in.
//!
//! Editors validate and complete description and inventory files with them
//! (`# yaml-language-server: $schema=…` on the first line of a YAML file, `"$schema"` in JSON).
//! The files themselves live in `schemas/` at the repository root; `tests/schema.rs` checks that
//! they accept every passing fixture and list exactly the keys and values the core reads.
//!
//! The description schema is self-contained: it carries a copy of the inventory schema's
//! `definitions` (for `tenant:`), because editors resolve a relative `$ref` to another file
//! unreliably. The test keeps the copy identical to the original.

/// Which file kind a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemaKind {
    /// A request description file (SPEC §1.1): `embedguard: 1`, `inventory:` or `tenant:`,
    /// `requests:`.
    Description,
    /// An inventory file (SPEC §1.2): principals, workspaces, datasets, reports, dashboards.
    Inventory,
}

impl SchemaKind {
    /// Both kinds, description first.
    pub const ALL: [SchemaKind; 2] = [SchemaKind::Description, SchemaKind::Inventory];

    /// The schema's file name in `schemas/` (`description.schema.json`), which is also the last
    /// segment of its `$id`.
    pub fn file_name(self) -> &'static str {
        match self {
            SchemaKind::Description => "description.schema.json",
            SchemaKind::Inventory => "inventory.schema.json",
        }
    }
}

/// The JSON text of the schema for `kind`, exactly as in `schemas/`.
pub fn schema_text(kind: SchemaKind) -> &'static str {
    match kind {
        SchemaKind::Description => include_str!("../../../schemas/description.schema.json"),
        SchemaKind::Inventory => include_str!("../../../schemas/inventory.schema.json"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_is_json_named_by_its_id() {
        for kind in SchemaKind::ALL {
            let schema: serde_json::Value =
                serde_json::from_str(schema_text(kind)).expect("schema text is JSON");
            let id = schema["$id"].as_str().expect("a $id");
            assert!(id.ends_with(&format!("/{}", kind.file_name())), "{id}");
            assert_eq!(
                schema["$schema"], "http://json-schema.org/draft-07/schema#",
                "{kind:?}"
            );
        }
    }
}
