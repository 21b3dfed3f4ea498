//! The floor: a typed serde mirror of a description and its GenerateToken request, deserialized
//! with `serde_json::from_slice` from the very bytes embedguard parses — nothing else.
//!
//! The body is one struct with the fields of both swagger schemas (`GenerateTokenRequest` and
//! `GenerateTokenRequestV2`), every field optional: which one applies depends on the path, which
//! a plain deserializer does not look at. Unknown keys are ignored (serde's default).

use std::collections::BTreeMap;

use serde::Deserialize;

/// A description file.
#[derive(Debug, Deserialize)]
pub struct Description {
    /// `embedguard: 1`
    pub embedguard: Option<u32>,
    /// `inventory:`
    pub inventory: Option<String>,
    /// The requests.
    pub requests: Vec<Request>,
}

/// One request entry.
#[derive(Debug, Deserialize)]
pub struct Request {
    pub name: Option<String>,
    pub caller: Option<String>,
    pub scenario: Option<String>,
    pub method: Option<String>,
    pub path: Option<String>,
    pub url: Option<String>,
    pub headers: Option<BTreeMap<String, String>>,
    pub body: Option<GenerateTokenBody>,
}

/// `GenerateTokenRequest` ∪ `GenerateTokenRequestV2`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerateTokenBody {
    pub access_level: Option<String>,
    pub dataset_id: Option<String>,
    pub allow_save_as: Option<serde_json::Value>,
    pub identities: Option<Vec<EffectiveIdentity>>,
    pub lifetime_in_minutes: Option<i64>,
    pub datasets: Option<Vec<V2Dataset>>,
    pub reports: Option<Vec<V2Report>>,
    pub target_workspaces: Option<Vec<V2TargetWorkspace>>,
    pub datasource_identities: Option<Vec<DatasourceIdentity>>,
}

/// `EffectiveIdentity`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EffectiveIdentity {
    pub username: Option<String>,
    pub auditable_context: Option<String>,
    pub datasets: Option<Vec<String>>,
    pub roles: Option<Vec<String>>,
    pub custom_data: Option<String>,
    pub identity_blob: Option<IdentityBlob>,
    pub reports: Option<Vec<String>>,
}

/// `IdentityBlob`.
#[derive(Debug, Deserialize)]
pub struct IdentityBlob {
    pub value: Option<String>,
}

/// `GenerateTokenRequestV2Dataset`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct V2Dataset {
    pub id: Option<String>,
    pub xmla_permissions: Option<String>,
}

/// `GenerateTokenRequestV2Report`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct V2Report {
    pub id: Option<String>,
    pub allow_edit: Option<bool>,
}

/// `GenerateTokenRequestV2TargetWorkspace`.
#[derive(Debug, Deserialize)]
pub struct V2TargetWorkspace {
    pub id: Option<String>,
}

/// `DatasourceIdentity`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DatasourceIdentity {
    pub identity_blob: Option<String>,
    pub datasources: Option<Vec<DatasourceSelector>>,
}

/// `DatasourceSelector`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DatasourceSelector {
    pub datasource_type: Option<String>,
    pub connection_details: Option<BTreeMap<String, String>>,
}

/// The floor operation.
///
/// # Errors
/// The bytes are not a description of this shape.
pub fn parse(bytes: &[u8]) -> serde_json::Result<Description> {
    serde_json::from_slice(bytes)
}
