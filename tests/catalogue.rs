//! The rule catalogue (../shared/RULES.md, the product's contract) against what the binary
//! knows: `embedguard rules --format json` lists every code of the catalogue with its name,
//! severity and a source URL, and `explain` prints a page for each.
//!
//! The table below is the catalogue's, copied: a rule renamed, re-graded or dropped in the code
//! fails here until the catalogue says so too. EG9xx (organisation policy) have no severity in
//! the catalogue; they report errors.

mod common;

use common::{embedguard, root};

/// `(code, name, severity)` of every rule in RULES.md.
const CATALOGUE: &[(&str, &str, &str)] = &[
    ("EG001", "syntax-error", "error"),
    ("EG002", "duplicate-key", "error"),
    ("EG003", "unknown-field", "error"),
    ("EG004", "field-case", "warning"),
    ("EG005", "wrong-type", "error"),
    ("EG006", "invalid-guid", "error"),
    ("EG007", "unknown-endpoint", "error"),
    ("EG008", "unresolved-reference", "error"),
    ("EG009", "content-type", "error"),
    ("EG010", "enum-case", "warning"),
    ("EG011", "invalid-enum", "error"),
    ("EG101", "my-workspace", "error"),
    ("EG102", "v2-classic-workspace", "error"),
    ("EG103", "classic-cross-workspace", "error"),
    ("EG104", "classic-service-principal", "error"),
    ("EG105", "classic-requires-admin", "error"),
    ("EG106", "caller-not-member", "error"),
    ("EG107", "v2-dashboard", "error"),
    ("EG108", "v2-limits", "error"),
    ("EG109", "prefer-v2", "note"),
    ("EG110", "paginated-classic", "error"),
    ("EG111", "no-capacity", "warning"),
    ("EG112", "paginated-ppu", "error"),
    ("EG113", "target-workspace", "error"),
    ("EG201", "edit-not-report", "error"),
    ("EG202", "create-misplaced", "error"),
    ("EG203", "create-needs-dataset", "error"),
    ("EG204", "save-as-not-report", "warning"),
    ("EG205", "v1-permission-in-v2", "error"),
    ("EG206", "dataset-id-misplaced", "warning"),
    ("EG207", "lifetime-invalid", "error"),
    ("EG208", "lifetime-ineffective", "warning"),
    ("EG209", "missing-access-level", "warning"),
    ("EG210", "write-on-rls-without-identity", "error"),
    ("EG211", "target-workspace-grant", "warning"),
    ("EG301", "rls-identity-required", "error"),
    ("EG302", "rls-unfiltered", "warning"),
    ("EG303", "identity-without-rls", "error"),
    ("EG304", "rdl-master-user", "error"),
    ("EG305", "as-onprem-permission", "error"),
    ("EG306", "aas-username-not-caller", "error"),
    ("EG307", "sso-identity-required", "error"),
    ("EG308", "sso-cloud-incomplete", "error"),
    ("EG309", "roles-required", "error"),
    ("EG310", "role-limits", "error"),
    ("EG311", "username-limits", "error"),
    ("EG312", "custom-data", "error"),
    ("EG313", "identity-blob-shape", "error"),
    ("EG314", "identity-scope-missing", "error"),
    ("EG315", "identity-dataset-outside-token", "warning"),
    ("EG316", "v1-multiple-identities", "error"),
    ("EG317", "unknown-role", "warning"),
    ("EG318", "identity-username-missing", "error"),
    ("EG319", "as-live-identity", "error"),
    ("EG320", "composite-xmla", "error"),
    ("EG321", "paginated-dataset-xmla", "error"),
    ("EG322", "paginated-visual", "error"),
    ("EG323", "rdl-identity-shape", "warning"),
    ("EG401", "user-owns-data", "error"),
    ("EG402", "admin-master-user", "warning"),
    ("EG403", "missing-scope", "error"),
    ("EG404", "sp-with-permissions", "warning"),
    ("EG405", "profile-header", "error"),
    ("EG406", "profile-aas", "warning"),
    ("EG407", "master-user-license", "error"),
    ("EG408", "cloud-mismatch", "error"),
    ("EG501", "secret-in-file", "error"),
    ("EG502", "audit-context-empty", "warning"),
    ("EG901", "policy-max-lifetime", "error"),
    ("EG902", "policy-access-level", "error"),
    ("EG903", "policy-caller-kind", "error"),
    ("EG904", "policy-unfiltered-rls", "error"),
    ("EG905", "policy-workspaces", "error"),
    ("EG906", "policy-identity-source", "error"),
];

#[test]
fn every_catalogue_rule_is_listed_with_its_name_severity_and_source() {
    let out = embedguard(&["rules", "--format", "json"], &root());
    assert_eq!(out.status.code(), Some(0));
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let listed = rules.as_array().expect("a list");
    for (code, name, severity) in CATALOGUE {
        let Some(rule) = listed.iter().find(|r| r["code"] == *code) else {
            panic!("{code} ({name}) is in the catalogue but not in `embedguard rules`");
        };
        assert_eq!(rule["name"], *name, "{code}");
        assert_eq!(rule["severity"], *severity, "{code}");
        let source = rule["source"].as_str().unwrap_or_default();
        assert!(source.starts_with("https://"), "{code}: source `{source}`");
        let page = embedguard(&["explain", code], &root());
        assert_eq!(page.status.code(), Some(0), "{code}");
        assert!(
            String::from_utf8_lossy(&page.stdout).starts_with(&format!("# {code} {name}")),
            "{code}"
        );
    }
}

#[test]
fn every_listed_rule_is_in_the_catalogue_or_is_embedguards_own() {
    // EG012 (unused-suppression) belongs to embedguard's own suppression comments.
    const OWN: &[&str] = &["EG012"];
    let out = embedguard(&["rules", "--format", "json"], &root());
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    for rule in rules.as_array().expect("a list") {
        let code = rule["code"].as_str().unwrap_or_default();
        assert!(
            CATALOGUE.iter().any(|(c, _, _)| *c == code) || OWN.contains(&code),
            "{code} is not in the catalogue"
        );
    }
}
