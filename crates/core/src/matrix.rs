//! The two seed matrices — workspace versions and row-level security — as data.
//!
//! The tables live in `rules/matrix/*.json`, compiled in, and are read once when an
//! [`crate::Engine`] is made. The rules look their verdicts up here instead of hard-coding them, so
//! the documented table and the behaviour cannot drift apart.

use std::collections::HashMap;

use serde::Deserialize;

use crate::inventory::{RlsKind, WorkspaceRole, WorkspaceType};
use crate::registry::Rule;

const RLS_JSON: &str = include_str!("../../../rules/matrix/rls.json");
const WORKSPACE_JSON: &str = include_str!("../../../rules/matrix/workspace.json");

/// A matrix file that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum MatrixError {
    /// Not valid JSON of the expected shape.
    #[error("rules/matrix/{file}: {source}")]
    Json {
        /// Which file.
        file: &'static str,
        /// The parser's complaint.
        source: serde_json::Error,
    },
    /// A cell names a code that is not a rule.
    #[error("rules/matrix/{file}: `{code}` is not a rule code")]
    UnknownRule {
        /// Which file.
        file: &'static str,
        /// The code.
        code: String,
    },
    /// A row is missing or repeated.
    #[error("rules/matrix/{file}: {problem}")]
    Shape {
        /// Which file.
        file: &'static str,
        /// What is wrong.
        problem: String,
    },
}

/// One row of the RLS matrix: what happens for datasets of one RLS kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RlsRow {
    /// Service principal, no covering identity.
    pub service_principal_without_identity: Option<Rule>,
    /// Master user, no covering identity.
    pub master_user_without_identity: Option<Rule>,
    /// A writing token, no covering identity.
    pub write_without_identity: Option<Rule>,
    /// Any covering identity.
    pub identity_given: Option<Rule>,
    /// A covering identity without a role.
    pub identity_without_roles: Option<Rule>,
    /// A covering identity without `username` or `identityBlob`.
    pub identity_without_username_or_blob: Option<Rule>,
    /// A covering identity whose `username` is not the caller.
    pub identity_username_not_caller: Option<Rule>,
    /// The caller lacks gateway admin and `ReadOverrideEffectiveIdentity`.
    pub caller_without_datasource_permission: Option<Rule>,
}

/// One row of the workspace matrix: what a workspace version demands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkspaceRow {
    /// A V2 request touches such a workspace.
    pub in_v2_request: Option<Rule>,
    /// The caller is a service principal.
    pub service_principal: Option<Rule>,
    /// Item and dataset in different workspaces.
    pub item_and_dataset_apart: Option<Rule>,
    /// The least role the caller needs.
    pub minimum_role: Option<WorkspaceRole>,
    /// The caller's known role is below `minimum_role`.
    pub role_below_minimum: Option<Rule>,
    /// A paginated report lives there.
    pub paginated_report: Option<Rule>,
    /// Any request touching such a workspace.
    pub any_request: Option<Rule>,
}

/// Both matrices, read.
#[derive(Debug, Clone)]
pub struct Matrices {
    // A handful of rows each, looked up by every rule on every request: a scan of a short list
    // beats hashing the key.
    rls: Vec<(RlsKind, RlsRow)>,
    workspace: Vec<(WorkspaceType, WorkspaceRow)>,
}

#[derive(Deserialize)]
struct RlsFile {
    rows: Vec<RlsFileRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RlsFileRow {
    rls: RlsKind,
    service_principal_without_identity: Option<String>,
    master_user_without_identity: Option<String>,
    write_without_identity: Option<String>,
    identity_given: Option<String>,
    identity_without_roles: Option<String>,
    identity_without_username_or_blob: Option<String>,
    identity_username_not_caller: Option<String>,
    caller_without_datasource_permission: Option<String>,
}

#[derive(Deserialize)]
struct WorkspaceFile {
    rows: Vec<WorkspaceFileRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkspaceFileRow {
    #[serde(rename = "type")]
    kind: String,
    in_v2_request: Option<String>,
    service_principal: Option<String>,
    item_and_dataset_apart: Option<String>,
    minimum_role: Option<String>,
    role_below_minimum: Option<String>,
    paginated_report: Option<String>,
    any_request: Option<String>,
}

impl Matrices {
    /// Reads the compiled-in matrices.
    pub fn load() -> Result<Matrices, MatrixError> {
        Self::parse(RLS_JSON, WORKSPACE_JSON)
    }

    fn parse(rls_json: &str, workspace_json: &str) -> Result<Matrices, MatrixError> {
        let rls_file: RlsFile =
            serde_json::from_str(rls_json).map_err(|source| MatrixError::Json {
                file: "rls.json",
                source,
            })?;
        let ws_file: WorkspaceFile =
            serde_json::from_str(workspace_json).map_err(|source| MatrixError::Json {
                file: "workspace.json",
                source,
            })?;
        let code = |file: &'static str, c: Option<String>| -> Result<Option<Rule>, MatrixError> {
            c.map(|c| Rule::lookup(&c).ok_or(MatrixError::UnknownRule { file, code: c }))
                .transpose()
        };
        let mut rls = HashMap::new();
        for r in rls_file.rows {
            let f = "rls.json";
            let row = RlsRow {
                service_principal_without_identity: code(f, r.service_principal_without_identity)?,
                master_user_without_identity: code(f, r.master_user_without_identity)?,
                write_without_identity: code(f, r.write_without_identity)?,
                identity_given: code(f, r.identity_given)?,
                identity_without_roles: code(f, r.identity_without_roles)?,
                identity_without_username_or_blob: code(f, r.identity_without_username_or_blob)?,
                identity_username_not_caller: code(f, r.identity_username_not_caller)?,
                caller_without_datasource_permission: code(
                    f,
                    r.caller_without_datasource_permission,
                )?,
            };
            if rls.insert(r.rls, row).is_some() {
                return Err(MatrixError::Shape {
                    file: f,
                    problem: format!("`{}` has two rows", r.rls),
                });
            }
        }
        for kind in <RlsKind as strum::IntoEnumIterator>::iter() {
            if !rls.contains_key(&kind) {
                return Err(MatrixError::Shape {
                    file: "rls.json",
                    problem: format!("no row for `{kind}`"),
                });
            }
        }
        let mut workspace = HashMap::new();
        for r in ws_file.rows {
            let f = "workspace.json";
            let kind = match r.kind.as_str() {
                "new" => WorkspaceType::New,
                "classic" => WorkspaceType::Classic,
                "personal" => WorkspaceType::Personal,
                other => {
                    return Err(MatrixError::Shape {
                        file: f,
                        problem: format!("unknown workspace type `{other}`"),
                    })
                }
            };
            let minimum_role = match r.minimum_role.as_deref() {
                None => None,
                Some("Admin") => Some(WorkspaceRole::Admin),
                Some("Member") => Some(WorkspaceRole::Member),
                Some("Contributor") => Some(WorkspaceRole::Contributor),
                Some("Viewer") => Some(WorkspaceRole::Viewer),
                Some(other) => {
                    return Err(MatrixError::Shape {
                        file: f,
                        problem: format!("unknown role `{other}`"),
                    })
                }
            };
            let row = WorkspaceRow {
                in_v2_request: code(f, r.in_v2_request)?,
                service_principal: code(f, r.service_principal)?,
                item_and_dataset_apart: code(f, r.item_and_dataset_apart)?,
                minimum_role,
                role_below_minimum: code(f, r.role_below_minimum)?,
                paginated_report: code(f, r.paginated_report)?,
                any_request: code(f, r.any_request)?,
            };
            if workspace.insert(kind, row).is_some() {
                return Err(MatrixError::Shape {
                    file: f,
                    problem: format!("`{kind}` has two rows"),
                });
            }
        }
        if workspace.len() != 3 {
            return Err(MatrixError::Shape {
                file: "workspace.json",
                problem: "needs rows for new, classic and personal".into(),
            });
        }
        Ok(Matrices {
            rls: rls.into_iter().collect(),
            workspace: workspace.into_iter().collect(),
        })
    }

    /// The RLS row for `kind`.
    pub fn rls(&self, kind: RlsKind) -> RlsRow {
        self.rls
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, row)| row.clone())
            .unwrap_or_default()
    }

    /// The workspace row for `kind`.
    pub fn workspace(&self, kind: WorkspaceType) -> WorkspaceRow {
        self.workspace
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, row)| row.clone())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiled_in_matrices_load() {
        let m = Matrices::load().expect("matrices load");
        // Seed 002, RLS table: which principal may omit the identity.
        assert_eq!(
            m.rls(RlsKind::Cloud).service_principal_without_identity,
            Some(Rule::RlsIdentityRequired)
        );
        assert_eq!(
            m.rls(RlsKind::Cloud).master_user_without_identity,
            Some(Rule::RlsUnfiltered)
        );
        assert_eq!(
            m.rls(RlsKind::Sso).service_principal_without_identity,
            Some(Rule::SsoIdentityRequired)
        );
        assert_eq!(
            m.rls(RlsKind::AsAzure).identity_username_not_caller,
            Some(Rule::AasUsernameNotCaller)
        );
        assert_eq!(
            m.rls(RlsKind::None).identity_given,
            Some(Rule::IdentityWithoutRls)
        );
        // Seed 002, workspace table.
        assert_eq!(
            m.workspace(WorkspaceType::Classic).minimum_role,
            Some(WorkspaceRole::Admin)
        );
        assert_eq!(
            m.workspace(WorkspaceType::New).minimum_role,
            Some(WorkspaceRole::Member)
        );
        assert_eq!(m.workspace(WorkspaceType::New).service_principal, None);
    }

    #[test]
    fn every_rule_named_in_the_matrices_is_documented_for_it() {
        // A rule fired from the matrix must cite the seed or an RLS/workspace fact.
        let m = Matrices::load().expect("matrices load");
        let mut named = Vec::new();
        for kind in <RlsKind as strum::IntoEnumIterator>::iter() {
            let r = m.rls(kind);
            named.extend(
                [
                    r.service_principal_without_identity,
                    r.master_user_without_identity,
                    r.write_without_identity,
                    r.identity_given,
                    r.identity_without_roles,
                    r.identity_without_username_or_blob,
                    r.identity_username_not_caller,
                    r.caller_without_datasource_permission,
                ]
                .into_iter()
                .flatten(),
            );
        }
        for rule in named {
            assert!(
                rule.meta().facts.contains('F') || rule.meta().facts.contains("seed"),
                "{}",
                rule.code()
            );
        }
    }

    #[test]
    fn broken_matrices_are_errors_not_panics() {
        assert!(matches!(
            Matrices::parse("{", WORKSPACE_JSON),
            Err(MatrixError::Json { .. })
        ));
        let bad = RLS_JSON.replace("EG303", "EG999");
        assert!(matches!(
            Matrices::parse(&bad, WORKSPACE_JSON),
            Err(MatrixError::UnknownRule { .. })
        ));
        let missing = r#"{"rows":[{"rls":"none"}]}"#;
        assert!(matches!(
            Matrices::parse(missing, WORKSPACE_JSON),
            Err(MatrixError::Shape { .. })
        ));
    }
}
