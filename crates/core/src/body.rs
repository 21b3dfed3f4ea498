//! Typed GenerateToken bodies: `GenerateTokenRequest` (V1) and `GenerateTokenRequestV2`, with every
//! field of the swagger schemas, read from a [`Value`] so that unknown keys, wrong types and enum
//! spellings become findings, not parse failures.

use crate::finding::{Finding, Severity};
use crate::read::{Diagnostics, Field, Located, ObjectReader, Spelled};
use crate::registry::Rule;
use crate::value::{Kind, Number, Pointer, Value};

/// `TokenAccessLevel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::Display)]
pub enum AccessLevel {
    /// View only.
    View,
    /// View and edit (report embedding only).
    Edit,
    /// Report creation (CREATE only).
    Create,
}

/// `XmlaPermissions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::Display)]
pub enum XmlaPermissions {
    /// No XMLA access.
    Off,
    /// Read access to the dataset's XMLA endpoint.
    ReadOnly,
}

/// The spellings of `TokenAccessLevel`, as documented.
pub const ACCESS_LEVELS: &[(&str, AccessLevel)] = &[
    ("View", AccessLevel::View),
    ("Edit", AccessLevel::Edit),
    ("Create", AccessLevel::Create),
];
/// The spellings of `XmlaPermissions`, as documented.
pub const XMLA: &[(&str, XmlaPermissions)] = &[
    ("Off", XmlaPermissions::Off),
    ("ReadOnly", XmlaPermissions::ReadOnly),
];

/// The keys of `GenerateTokenRequest`.
pub const V1_KEYS: &[&str] = &[
    "accessLevel",
    "datasetId",
    "allowSaveAs",
    "identities",
    "lifetimeInMinutes",
];
/// The keys of `GenerateTokenRequestV2`.
pub const V2_KEYS: &[&str] = &[
    "datasets",
    "reports",
    "targetWorkspaces",
    "identities",
    "lifetimeInMinutes",
    "datasourceIdentities",
];
/// The V1 permission keys that mean nothing in a V2 body (EG205).
pub const V1_PERMISSION_KEYS: &[&str] = &["accessLevel", "allowSaveAs", "datasetId"];
/// Keys with which a V2 body asks for dashboards or tiles, which V2 cannot embed (EG107).
pub const V2_DASHBOARD_KEYS: &[&str] = &[
    "dashboards",
    "dashboard",
    "dashboardId",
    "dashboardIds",
    "tiles",
    "tile",
    "tileId",
    "tileIds",
];
/// The keys of `EffectiveIdentity`.
pub const IDENTITY_KEYS: &[&str] = &[
    "username",
    "auditableContext",
    "datasets",
    "roles",
    "customData",
    "identityBlob",
    "reports",
];
/// The keys of `IdentityBlob` (the object form of `identities[].identityBlob`).
pub const IDENTITY_BLOB_KEYS: &[&str] = &["value"];
/// The keys of `GenerateTokenRequestV2Dataset`.
pub const V2_DATASET_KEYS: &[&str] = &["id", "xmlaPermissions"];
/// The keys of `GenerateTokenRequestV2Report`.
pub const V2_REPORT_KEYS: &[&str] = &["id", "allowEdit"];
/// The keys of `GenerateTokenRequestV2TargetWorkspace`.
pub const V2_TARGET_WORKSPACE_KEYS: &[&str] = &["id"];
/// The keys of `DatasourceIdentity`.
pub const DATASOURCE_IDENTITY_KEYS: &[&str] = &["identityBlob", "datasources"];
/// The keys of `DatasourceSelector`.
pub const DATASOURCE_SELECTOR_KEYS: &[&str] = &["datasourceType", "connectionDetails"];

/// `EffectiveIdentity`.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectiveIdentity {
    /// Where the identity object is.
    pub pointer: Pointer,
    /// `username`
    pub username: Field<String>,
    /// `auditableContext`
    pub auditable_context: Field<String>,
    /// `datasets`
    pub datasets: Field<Vec<Located<String>>>,
    /// `roles`
    pub roles: Field<Vec<Located<String>>>,
    /// `customData`
    pub custom_data: Field<String>,
    /// `identityBlob` (an object `{value}` here, unlike `DatasourceIdentity`).
    pub identity_blob: Field<Shape<IdentityBlob>>,
    /// `reports` (paginated reports only)
    pub reports: Field<Vec<Located<String>>>,
}

/// `IdentityBlob`.
#[derive(Debug, Clone, PartialEq)]
pub struct IdentityBlob {
    /// `value`: an OAuth 2.0 access token for Azure SQL.
    pub value: Field<String>,
    /// Whether the object has keys other than `value` (each already EG003 or EG002).
    pub other_keys: bool,
}

/// A value whose JSON type a rule judges rather than the reader. The two `identityBlob`s take
/// different shapes — an object `{value}` in `identities`, a plain string in
/// `datasourceIdentities` — and EG313 (identity-blob-shape) names that trap, so the reader
/// reports no EG005 for them: one mistake, one finding.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape<T> {
    /// The documented shape, read.
    Expected(T),
    /// Another JSON type, as found.
    Other(Kind),
}

/// `GenerateTokenRequest` — the body of the five V1 endpoints.
#[derive(Debug, Clone, PartialEq)]
pub struct V1Body {
    /// Where the body is.
    pub pointer: Pointer,
    /// `accessLevel`
    pub access_level: Field<Spelled<AccessLevel>>,
    /// `datasetId`
    pub dataset_id: Field<String>,
    /// `allowSaveAs` (a string `"true"`/`"false"` is read, with a warning)
    pub allow_save_as: Field<bool>,
    /// `identities`
    pub identities: Field<Vec<EffectiveIdentity>>,
    /// `lifetimeInMinutes`
    pub lifetime_in_minutes: Field<Number>,
}

/// `GenerateTokenRequestV2Dataset`.
#[derive(Debug, Clone, PartialEq)]
pub struct V2Dataset {
    /// Where the entry is.
    pub pointer: Pointer,
    /// `id`
    pub id: Field<String>,
    /// `xmlaPermissions`
    pub xmla_permissions: Field<Spelled<XmlaPermissions>>,
}

/// `GenerateTokenRequestV2Report`.
#[derive(Debug, Clone, PartialEq)]
pub struct V2Report {
    /// Where the entry is.
    pub pointer: Pointer,
    /// `id`
    pub id: Field<String>,
    /// `allowEdit`
    pub allow_edit: Field<bool>,
}

/// `GenerateTokenRequestV2TargetWorkspace`.
#[derive(Debug, Clone, PartialEq)]
pub struct V2TargetWorkspace {
    /// Where the entry is.
    pub pointer: Pointer,
    /// `id`
    pub id: Field<String>,
}

/// `DatasourceIdentity` (V2 only; its `identityBlob` is a plain string).
#[derive(Debug, Clone, PartialEq)]
pub struct DatasourceIdentity {
    /// Where the entry is.
    pub pointer: Pointer,
    /// `identityBlob` (a plain string here, unlike `EffectiveIdentity`)
    pub identity_blob: Field<Shape<String>>,
    /// `datasources`
    pub datasources: Field<Vec<DatasourceSelector>>,
}

/// `DatasourceSelector`.
#[derive(Debug, Clone, PartialEq)]
pub struct DatasourceSelector {
    /// Where the entry is.
    pub pointer: Pointer,
    /// `datasourceType`
    pub datasource_type: Field<String>,
    /// `connectionDetails`, as string fields (`server`, `database`, `url`, …).
    pub connection_details: Field<Vec<(String, Located<String>)>>,
}

/// `GenerateTokenRequestV2` — the body of the multi-resource endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct V2Body {
    /// Where the body is.
    pub pointer: Pointer,
    /// `datasets`
    pub datasets: Field<Vec<V2Dataset>>,
    /// `reports`
    pub reports: Field<Vec<V2Report>>,
    /// `targetWorkspaces`
    pub target_workspaces: Field<Vec<V2TargetWorkspace>>,
    /// `identities`
    pub identities: Field<Vec<EffectiveIdentity>>,
    /// `lifetimeInMinutes`
    pub lifetime_in_minutes: Field<Number>,
    /// `datasourceIdentities`
    pub datasource_identities: Field<Vec<DatasourceIdentity>>,
    /// V1 permission keys found in this body (EG205), as (key, pointer).
    pub v1_permission_keys: Vec<Located<&'static str>>,
    /// Dashboard or tile keys found in this body (EG107), as written, with their pointers.
    pub dashboard_keys: Vec<Located<String>>,
}

/// A GenerateToken body of either version.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// `GenerateTokenRequest`
    V1(V1Body),
    /// `GenerateTokenRequestV2`
    V2(V2Body),
}

impl Body {
    /// The identities of the body, if any were readable.
    pub fn identities(&self) -> &[EffectiveIdentity] {
        let field = match self {
            Body::V1(b) => &b.identities,
            Body::V2(b) => &b.identities,
        };
        field.get().map_or(&[], Vec::as_slice)
    }

    /// The `identities` field itself.
    pub fn identities_field(&self) -> &Field<Vec<EffectiveIdentity>> {
        match self {
            Body::V1(b) => &b.identities,
            Body::V2(b) => &b.identities,
        }
    }

    /// Where the body is.
    pub fn pointer(&self) -> &Pointer {
        match self {
            Body::V1(b) => &b.pointer,
            Body::V2(b) => &b.pointer,
        }
    }
}

/// Reads a V1 body.
pub fn read_v1(value: &Value, pointer: Pointer, diags: &mut Diagnostics) -> Option<V1Body> {
    let obj = ObjectReader::open_wire(
        value,
        pointer,
        "the request body",
        V1_KEYS,
        diags,
        |_, _, _| false,
    )?;
    Some(V1Body {
        access_level: obj.enumeration("accessLevel", diags, ACCESS_LEVELS),
        dataset_id: obj.string("datasetId", diags),
        allow_save_as: read_allow_save_as(&obj, diags),
        identities: read_identities(&obj, diags),
        lifetime_in_minutes: obj.number("lifetimeInMinutes", diags),
        pointer: obj.pointer,
    })
}

/// Reads a V2 body.
pub fn read_v2(value: &Value, pointer: Pointer, diags: &mut Diagnostics) -> Option<V2Body> {
    let mut v1_keys = Vec::new();
    let mut dashboard_keys = Vec::new();
    let obj = ObjectReader::open_wire(
        value,
        pointer,
        "the V2 request body",
        V2_KEYS,
        diags,
        |m, at, d| {
            if V2_DASHBOARD_KEYS
                .iter()
                .any(|k| k.eq_ignore_ascii_case(&m.key))
            {
                dashboard_keys.push(Located {
                    value: m.key.clone(),
                    pointer: at.clone(),
                });
                return true;
            }
            let Some(key) = V1_PERMISSION_KEYS
                .iter()
                .find(|k| k.eq_ignore_ascii_case(&m.key))
            else {
                return false;
            };
            d.push(v1_permission_in_v2(d, key, at));
            v1_keys.push(Located {
                value: *key,
                pointer: at.clone(),
            });
            true
        },
    )?;
    let datasets = obj.array("datasets", diags, "an array of objects", |v, at, d| {
        let o = ObjectReader::open_wire(
            v,
            at,
            "a `datasets` entry",
            V2_DATASET_KEYS,
            d,
            |_, _, _| false,
        )?;
        Some(V2Dataset {
            id: required_string(&o, "id", d),
            xmla_permissions: o.enumeration("xmlaPermissions", d, XMLA),
            pointer: o.pointer,
        })
    });
    let reports = obj.array("reports", diags, "an array of objects", |v, at, d| {
        let o =
            ObjectReader::open_wire(v, at, "a `reports` entry", V2_REPORT_KEYS, d, |_, _, _| {
                false
            })?;
        Some(V2Report {
            id: required_string(&o, "id", d),
            allow_edit: o.bool("allowEdit", d),
            pointer: o.pointer,
        })
    });
    let target_workspaces = obj.array(
        "targetWorkspaces",
        diags,
        "an array of objects",
        |v, at, d| {
            let o = ObjectReader::open_wire(
                v,
                at,
                "a `targetWorkspaces` entry",
                V2_TARGET_WORKSPACE_KEYS,
                d,
                |_, _, _| false,
            )?;
            Some(V2TargetWorkspace {
                id: required_string(&o, "id", d),
                pointer: o.pointer,
            })
        },
    );
    let datasource_identities = obj.array(
        "datasourceIdentities",
        diags,
        "an array of objects",
        |v, at, d| {
            let o = ObjectReader::open_wire(
                v,
                at,
                "a `datasourceIdentities` entry",
                DATASOURCE_IDENTITY_KEYS,
                d,
                |_, _, _| false,
            )?;
            Some(DatasourceIdentity {
                identity_blob: match o.raw("identityBlob") {
                    None => Field::Absent,
                    Some((blob, at)) => Field::Present(Located {
                        value: match blob {
                            Value::String(s) => Shape::Expected(s.clone()),
                            other => Shape::Other(other.kind()),
                        },
                        pointer: at,
                    }),
                },
                datasources: o.array("datasources", d, "an array of objects", |v, at, d| {
                    let s = ObjectReader::open_wire(
                        v,
                        at,
                        "a `datasources` entry",
                        DATASOURCE_SELECTOR_KEYS,
                        d,
                        |_, _, _| false,
                    )?;
                    Some(DatasourceSelector {
                        datasource_type: s.string("datasourceType", d),
                        connection_details: read_connection_details(&s, d),
                        pointer: s.pointer,
                    })
                }),
                pointer: o.pointer,
            })
        },
    );
    Some(V2Body {
        datasets,
        reports,
        target_workspaces,
        identities: read_identities(&obj, diags),
        lifetime_in_minutes: obj.number("lifetimeInMinutes", diags),
        datasource_identities,
        v1_permission_keys: v1_keys,
        dashboard_keys,
        pointer: obj.pointer,
    })
}

/// The keys of `DatasourceConnectionDetails`.
pub const CONNECTION_DETAIL_KEYS: &[&str] = &[
    "server",
    "database",
    "url",
    "path",
    "kind",
    "account",
    "domain",
    "emailAddress",
    "loginServer",
    "classInfo",
];

fn read_connection_details(
    s: &ObjectReader<'_>,
    d: &mut Diagnostics,
) -> Field<Vec<(String, Located<String>)>> {
    let Some((value, at)) = s.raw("connectionDetails") else {
        return Field::Absent;
    };
    let Some(o) = ObjectReader::open_wire(
        value,
        at.clone(),
        "`connectionDetails`",
        CONNECTION_DETAIL_KEYS,
        d,
        |_, _, _| false,
    ) else {
        return Field::Invalid(at);
    };
    let details = CONNECTION_DETAIL_KEYS
        .iter()
        .filter_map(|k| {
            o.string(k, d)
                .located()
                .map(|l| ((*k).to_string(), l.clone()))
        })
        .collect();
    Field::Present(Located {
        value: details,
        pointer: at,
    })
}

fn read_identities(
    obj: &ObjectReader<'_>,
    diags: &mut Diagnostics,
) -> Field<Vec<EffectiveIdentity>> {
    obj.array("identities", diags, "an array of objects", |v, at, d| {
        let o = ObjectReader::open_wire(v, at, "an identity", IDENTITY_KEYS, d, |_, _, _| false)?;
        let identity_blob = match o.raw("identityBlob") {
            None => Field::Absent,
            Some((blob @ Value::Object(members), at)) => match ObjectReader::open_wire(
                blob,
                at.clone(),
                "`identityBlob`",
                IDENTITY_BLOB_KEYS,
                d,
                |_, _, _| false,
            ) {
                Some(b) => Field::Present(Located {
                    value: Shape::Expected(IdentityBlob {
                        value: b.string("value", d),
                        other_keys: members.iter().any(|m| !m.key.eq_ignore_ascii_case("value")),
                    }),
                    pointer: at,
                }),
                None => Field::Invalid(at),
            },
            Some((other, at)) => Field::Present(Located {
                value: Shape::Other(other.kind()),
                pointer: at,
            }),
        };
        Some(EffectiveIdentity {
            username: o.string("username", d),
            auditable_context: o.string("auditableContext", d),
            datasets: o.strings("datasets", d),
            roles: o.strings("roles", d),
            custom_data: o.string("customData", d),
            identity_blob,
            reports: o.strings("reports", d),
            pointer: o.pointer,
        })
    })
}

/// `allowSaveAs` is a boolean; the swagger's own example sends the string `"true"`, which the
/// service coerces: read it, but warn (EG005 at warning severity).
fn read_allow_save_as(obj: &ObjectReader<'_>, diags: &mut Diagnostics) -> Field<bool> {
    match obj.raw("allowSaveAs") {
        Some((Value::String(s), at)) if s == "true" || s == "false" => {
            diags.push(
                Finding::new(
                    Rule::WrongType,
                    diags.at(at.clone()),
                    format!("`allowSaveAs` is the string \"{s}\", not the boolean {s}"),
                )
                .severity(Severity::Warning)
                .help(format!("write `allowSaveAs: {s}` without quotes"))
                .arg("field", "allowSaveAs")
                .arg("expected", "a boolean")
                .arg("found", "a string"),
            );
            Field::Present(Located {
                value: s == "true",
                pointer: at,
            })
        }
        _ => obj.bool("allowSaveAs", diags),
    }
}

/// A string field the schema requires (`id`): absence is reported as an unknown-shape problem.
fn required_string(o: &ObjectReader<'_>, key: &str, d: &mut Diagnostics) -> Field<String> {
    let field = o.string(key, d);
    if !field.is_present() {
        d.push(
            Finding::new(
                Rule::WrongType,
                d.at(o.pointer.clone()),
                format!("this entry has no `{key}`"),
            )
            .help(format!("add `{key}: <GUID>`"))
            .arg("field", key)
            .arg("expected", "a string")
            .arg("found", "nothing"),
        );
    }
    field
}

fn v1_permission_in_v2(d: &Diagnostics, key: &str, at: &Pointer) -> Finding {
    let help = match key {
        "accessLevel" => "V2 ignores `accessLevel`: grant editing per report with `reports[].allowEdit: true`",
        "allowSaveAs" => "V2 ignores `allowSaveAs`: list the workspaces to save into in `targetWorkspaces`",
        _ => "V2 ignores `datasetId`: list the dataset in `datasets` and the workspace to create in under `targetWorkspaces`",
    };
    Finding::new(
        Rule::V1PermissionInV2,
        d.at(at.clone()).key(),
        format!(
            "`{key}` is a V1 field: the V2 endpoint ignores it, so the grant it asks for is lost"
        ),
    )
    .help(help)
    .arg("field", key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Origin;
    use crate::value::Member;

    fn obj(members: Vec<(&str, Value)>) -> Value {
        Value::Object(
            members
                .into_iter()
                .map(|(k, v)| Member {
                    key: k.into(),
                    value: v,
                })
                .collect(),
        )
    }

    #[test]
    fn v1_reads_fields_and_reports_problems() {
        let body = obj(vec![
            ("accessLevel", Value::String("view".into())),
            ("identity", Value::Array(vec![])),
            ("allowSaveAs", Value::String("true".into())),
            (
                "identities",
                Value::Array(vec![obj(vec![("roles", Value::String("a,b".into()))])]),
            ),
        ]);
        let mut d = Diagnostics::new(Origin::Request);
        let b = read_v1(&body, Pointer::root().key("body"), &mut d).expect("an object");
        assert_eq!(
            b.access_level.get().map(|s| (s.value, s.canonical)),
            Some((AccessLevel::View, false))
        );
        assert_eq!(b.allow_save_as.get(), Some(&true));
        let codes: Vec<_> = d
            .findings
            .iter()
            .map(|f| (f.rule.code(), f.severity))
            .collect();
        assert!(codes.contains(&("EG003", Severity::Error)), "{codes:?}");
        assert!(codes.contains(&("EG005", Severity::Warning)), "{codes:?}");
        assert!(codes.contains(&("EG005", Severity::Error)), "{codes:?}");
        assert!(b.identities.get().expect("identities")[0]
            .roles
            .is_present());
    }

    #[test]
    fn v2_claims_v1_keys() {
        let body = obj(vec![
            ("accessLevel", Value::String("Edit".into())),
            ("reports", Value::Array(vec![])),
        ]);
        let mut d = Diagnostics::new(Origin::Request);
        let b = read_v2(&body, Pointer::root(), &mut d).expect("an object");
        assert_eq!(b.v1_permission_keys.len(), 1);
        assert_eq!(d.findings.len(), 1);
        assert_eq!(d.findings[0].rule, Rule::V1PermissionInV2);
    }

    #[test]
    fn identity_blob_shapes_are_left_to_eg313() {
        let s = |t: &str| Value::String(t.into());
        let body = obj(vec![
            (
                "identities",
                Value::Array(vec![
                    obj(vec![("identityBlob", s("token"))]),
                    obj(vec![("identityBlob", obj(vec![]))]),
                    obj(vec![("identityBlob", obj(vec![("token", s("t"))]))]),
                ]),
            ),
            (
                "datasourceIdentities",
                Value::Array(vec![obj(vec![(
                    "identityBlob",
                    obj(vec![("value", s("token"))]),
                )])]),
            ),
        ]);
        let mut d = Diagnostics::new(Origin::Request);
        let b = read_v2(&body, Pointer::root(), &mut d).expect("an object");
        // Only the unknown key inside the third blob is the reader's (EG003).
        let codes: Vec<_> = d.findings.iter().map(|f| f.rule.code()).collect();
        assert_eq!(codes, vec!["EG003"]);
        let blobs: Vec<_> = b
            .identities
            .get()
            .expect("identities")
            .iter()
            .map(|i| i.identity_blob.get().cloned())
            .collect();
        assert_eq!(blobs[0], Some(Shape::Other(Kind::String)));
        assert_eq!(
            blobs[1],
            Some(Shape::Expected(IdentityBlob {
                value: Field::Absent,
                other_keys: false
            }))
        );
        assert_eq!(
            blobs[2],
            Some(Shape::Expected(IdentityBlob {
                value: Field::Absent,
                other_keys: true
            }))
        );
        let source = &b
            .datasource_identities
            .get()
            .expect("datasource identities")[0];
        assert_eq!(
            source.identity_blob.get(),
            Some(&Shape::Other(Kind::Object))
        );
    }
}
