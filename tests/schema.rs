//! The editor schemas in `schemas/` (JSON Schema draft-07): they are valid schemas, they accept
//! every passing fixture, they reject the wire-format fixtures at exactly the marked lines, and
//! they list exactly the keys, values, id and path forms the core reads (drift tests against the
//! core's own constants and functions).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use embedguard_cli::source::{self, Document, Format, LineIndex};
use embedguard_cli::suppress;
use embedguard_core::body::{
    ACCESS_LEVELS, CONNECTION_DETAIL_KEYS, DATASOURCE_IDENTITY_KEYS, DATASOURCE_SELECTOR_KEYS,
    IDENTITY_BLOB_KEYS, IDENTITY_KEYS, V1_KEYS, V2_DATASET_KEYS, V2_KEYS, V2_REPORT_KEYS,
    V2_TARGET_WORKSPACE_KEYS, XMLA,
};
use embedguard_core::endpoint::{route, EndpointKind, Route};
use embedguard_core::ids::{is_guid, is_nil_guid, is_placeholder};
use embedguard_core::inventory::{
    Inventory, CONNECTIONS, DASHBOARD_KEYS, DATASET_KEYS, INVENTORY_KEYS, LICENSES,
    PERMISSIONS_KEYS, PRINCIPAL_KEYS, PRINCIPAL_KINDS, REPORT_KEYS, REPORT_TYPES, RLS_KINDS,
    TILE_KEYS, WORKSPACE_KEYS, WORKSPACE_ROLES, WORKSPACE_TYPES,
};
use embedguard_core::read::Diagnostics;
use embedguard_core::request::{REQUEST_KEYS, SCENARIOS, TOP_KEYS};
use embedguard_core::value::{Pointer, Value as Tree};
use embedguard_core::{Origin, Rule};
use jsonschema::error::ValidationErrorKind;
use jsonschema::Validator;
use serde_json::{json, Value};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn schema(name: &str) -> Value {
    let path = root().join("schemas").join(name);
    let text = std::fs::read_to_string(&path).expect("schema file");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn description_schema() -> Value {
    schema("description.schema.json")
}

fn inventory_schema() -> Value {
    schema("inventory.schema.json")
}

fn validator(schema: &Value) -> Validator {
    jsonschema::draft7::new(schema).expect("the schema compiles")
}

/// A validator for one definition of `schema` (e.g. `guid`), with the definitions it refers to.
fn definition_validator(schema: &Value, name: &str) -> Validator {
    validator(&json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "allOf": [{ "$ref": format!("#/definitions/{name}") }],
        "definitions": schema["definitions"],
    }))
}

/// The core's document tree as plain JSON (a repeated key keeps its last value; no passing
/// fixture repeats one).
fn to_json(tree: &Tree) -> Value {
    match tree {
        Tree::Null => Value::Null,
        Tree::Bool(b) => Value::Bool(*b),
        Tree::Number(n) => match n.integer {
            Some(i) => json!(i),
            None => serde_json::Number::from_f64(n.value).map_or(Value::Null, Value::Number),
        },
        Tree::String(s) => Value::String(s.clone()),
        Tree::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        Tree::Object(members) => Value::Object(
            members
                .iter()
                .map(|m| (m.key.clone(), to_json(&m.value)))
                .collect(),
        ),
    }
}

/// A fixture file, parsed the way embedguard parses it.
struct Fixture {
    path: PathBuf,
    text: String,
    doc: Document,
}

impl Fixture {
    fn load(path: &Path) -> Fixture {
        let bytes = std::fs::read(path).expect("fixture file");
        let doc = source::parse(&bytes, Format::from_path(path))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Fixture {
            path: path.to_path_buf(),
            text: String::from_utf8(bytes).expect("UTF-8"),
            doc,
        }
    }

    fn json(&self) -> Value {
        to_json(&self.doc.value)
    }

    fn name(&self) -> String {
        self.path
            .strip_prefix(root())
            .unwrap_or(&self.path)
            .display()
            .to_string()
    }

    /// The line of the node at `pointer`: of its key when `key` (and it has one), else its value.
    fn line(&self, pointer: &Pointer, key: bool) -> usize {
        let span = self
            .doc
            .spans
            .get(&self.doc.value, pointer)
            .unwrap_or_else(|| panic!("{}: no node at `{}`", self.name(), pointer.as_str()));
        let offset = match (key, span.key) {
            (true, Some(k)) => k.start,
            _ => span.value.start,
        };
        LineIndex::new(&self.text).line_col(offset).0
    }

    /// Each schema error as (line, message): an unexpected key at the key's line (like EG003),
    /// anything else at its value's line (like EG005, EG011).
    fn schema_errors(&self, validator: &Validator) -> Vec<(usize, String)> {
        let instance = self.json();
        let mut out = Vec::new();
        for error in validator.iter_errors(&instance) {
            let at = Pointer::from_escaped(error.instance_path().as_str());
            let message = format!("{} at `{}`", error, at.as_str());
            match error.kind() {
                ValidationErrorKind::AdditionalProperties { unexpected } => {
                    for key in unexpected {
                        out.push((self.line(&at.key(key), true), message.clone()));
                    }
                }
                ValidationErrorKind::PropertyNames { error: name } => {
                    let key = name.instance().as_str().unwrap_or_default().to_string();
                    out.push((self.line(&at.key(&key), true), message));
                }
                _ => out.push((self.line(&at, false), message)),
            }
        }
        out
    }

    /// The lines carrying an `# expect:` marker (fixtures/README.md).
    fn marker_lines(&self) -> BTreeSet<usize> {
        self.text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.contains("# expect:"))
            .map(|(i, _)| i + 1)
            .collect()
    }
}

fn files(dir: &str, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| keep(p))
        .collect();
    out.sort();
    out
}

fn yaml(p: &Path) -> bool {
    p.is_file() && p.extension().is_some_and(|e| e == "yaml")
}

/// The description fixtures that must produce no finding except their markers.
fn passing_descriptions() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = files("fixtures/rules", |p| p.is_dir())
        .into_iter()
        .map(|d| d.join("pass.yaml"))
        .collect();
    out.push(root().join("fixtures/json/pass.json"));
    out.extend(files("fixtures/microsoft", yaml));
    out
}

fn inventories() -> Vec<PathBuf> {
    let mut out = vec![root().join("fixtures/tenant.yaml")];
    out.extend(files("fixtures/microsoft/tenants", yaml));
    out
}

/// The wire-format rules the schema mirrors: an error of the schema is one of these findings.
const SCHEMA_RULES: [&str; 7] = [
    "EG003", "EG004", "EG005", "EG006", "EG010", "EG011", "EG205",
];

/// Checks that `validator` reports errors on exactly the marked lines of each file — and on
/// lines where an inline suppression (`# embedguard: ignore[enum-case]`) silences a finding the
/// schema mirrors: the schema cannot be silenced.
fn assert_errors_on_marker_lines(validator: &Validator, paths: &[PathBuf]) {
    let mut problems = Vec::new();
    for path in paths {
        let fixture = Fixture::load(path);
        let errors = fixture.schema_errors(validator);
        let lines: BTreeSet<usize> = errors.iter().map(|(l, _)| *l).collect();
        let markers = fixture.marker_lines();
        let suppressed: BTreeSet<usize> = suppress::scan(&fixture.text)
            .0
            .into_iter()
            .filter(|s| {
                s.rules
                    .iter()
                    .any(|r| r.rule.is_some_and(|r| SCHEMA_RULES.contains(&r.code())))
            })
            .map(|s| s.line)
            .collect();
        if !markers.is_subset(&lines)
            || !lines.is_subset(&markers.union(&suppressed).copied().collect())
        {
            problems.push(format!(
                "{}: schema errors on lines {lines:?}, markers on {markers:?}, suppressions on \
                 {suppressed:?}\n  {}",
                fixture.name(),
                errors
                    .iter()
                    .map(|(l, m)| format!("{l}: {m}"))
                    .collect::<Vec<_>>()
                    .join("\n  ")
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn schemas_are_valid_draft_07() {
    for schema in [description_schema(), inventory_schema()] {
        assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
        if let Err(e) = jsonschema::draft7::meta::validate(&schema) {
            panic!("{}: {e} at {}", schema["$id"], e.instance_path().as_str());
        }
        validator(&schema);
    }
}

/// The description schema carries the inventory schema's definitions (for `tenant:`) instead of
/// a `$ref` to the other file, which editors resolve unreliably: the copy must stay identical.
#[test]
fn description_schema_embeds_the_inventory_definitions() {
    let (description, inventory) = (description_schema(), inventory_schema());
    let definitions = inventory["definitions"].as_object().expect("definitions");
    for (name, definition) in definitions {
        assert_eq!(
            &description["definitions"][name], definition,
            "definitions/{name} differs between the two schemas: copy it from \
             inventory.schema.json into description.schema.json"
        );
    }
    assert_eq!(
        inventory["allOf"],
        json!([{ "$ref": "#/definitions/inventory" }])
    );
    assert_eq!(
        description["properties"]["tenant"]["allOf"],
        json!([{ "$ref": "#/definitions/inventory" }])
    );
}

#[test]
fn passing_fixtures_validate() {
    let descriptions = passing_descriptions();
    assert!(descriptions.len() > 40, "{descriptions:?}");
    // A passing fixture produces nothing but its markers: microsoft/no-rls.yaml marks the
    // swagger example's `"allowSaveAs": "true"` (EG005 warning), which the schema refuses too;
    // rules/EG012/pass.yaml keeps the sample's `accessLevel: view` under a suppression.
    assert_errors_on_marker_lines(&validator(&description_schema()), &descriptions);
    let inventories = inventories();
    assert!(inventories.len() > 8, "{inventories:?}");
    assert_errors_on_marker_lines(&validator(&inventory_schema()), &inventories);
}

#[test]
fn an_inline_tenant_validates_like_an_inventory_file() {
    let tenant = Fixture::load(&root().join("fixtures/tenant.yaml")).json();
    let description = validator(&description_schema());
    let mut doc = json!({ "embedguard": 1, "tenant": tenant, "requests": [] });
    assert!(description.is_valid(&doc));
    doc["tenant"]["datasets"][0]["rls"] = json!("row_level");
    assert!(!description.is_valid(&doc));
}

/// The wire-format rules the schema expresses fail at the very lines embedguard reports: unknown
/// keys (EG003; with EG205, a V1 key in a V2 body), wrong types (EG005), values outside an enum
/// (EG011). The schema has no warnings, so it refuses what embedguard only warns about too: keys
/// and enum values in another letter case (EG004, EG010) and `allowSaveAs: "true"` (EG005).
#[test]
fn wire_format_fixtures_fail_at_their_markers() {
    let paths: Vec<PathBuf> = ["EG003", "EG004", "EG005", "EG010", "EG011", "EG205"]
        .iter()
        .map(|code| root().join(format!("fixtures/rules/{code}/fail.yaml")))
        .collect();
    assert_errors_on_marker_lines(&validator(&description_schema()), &paths);
}

/// Ids in the body and the profile header must be GUIDs: the schema finds every EG006 of the
/// fixture except those in `path:`, which it leaves to embedguard's router.
#[test]
fn invalid_guid_fixture_fails_outside_paths() {
    let fixture = Fixture::load(&root().join("fixtures/rules/EG006/fail.yaml"));
    let errors: BTreeSet<usize> = fixture
        .schema_errors(&validator(&description_schema()))
        .into_iter()
        .map(|(line, _)| line)
        .collect();
    let lines: Vec<&str> = fixture.text.lines().collect();
    let outside_paths: BTreeSet<usize> = fixture
        .marker_lines()
        .into_iter()
        .filter(|l| !lines[l - 1].trim_start().starts_with("path:"))
        .collect();
    assert!(outside_paths.len() >= 5, "{outside_paths:?}");
    assert_eq!(errors, outside_paths);
}

#[test]
fn description_schema_rejects_what_the_core_rejects() {
    let description = validator(&description_schema());
    let g = "3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c";
    let ok = json!({
        "embedguard": 1,
        "inventory": "tenant.yaml",
        "requests": [{
            "caller": "sp",
            "path": "/v1.0/myorg/GenerateToken",
            "headers": { "x-powerbi-profile-id": g, "Content-Type": "application/json" },
            "body": { "reports": [{ "id": g, "allowEdit": true }], "lifetimeInMinutes": 10 }
        }]
    });
    assert!(description.is_valid(&ok));
    let broken: [(&str, Value); 9] = [
        ("/embedguard", json!(2)),
        ("/requests/0/method", json!("post")),
        (
            "/requests/0/url",
            json!("https://api.powerbi.com/v1.0/myorg/GenerateToken"),
        ),
        (
            "/requests/0/headers/x-powerbi-profile-id",
            json!("my-profile"),
        ),
        ("/requests/0/headers/Content-Type", json!(5)),
        (
            "/requests/0/body/reports/0/id",
            json!("00000000-0000-0000-0000-000000000000"),
        ),
        ("/requests/0/body/reports/0/allowEdit", json!("true")),
        ("/requests/0/body/lifetimeInMinutes", json!(-1)),
        ("/requests/0/body/accessLevel", json!("View")),
    ];
    for (at, value) in broken {
        let mut doc = ok.clone();
        let (parent, key) = at.rsplit_once('/').expect("a pointer");
        doc.pointer_mut(parent).expect("parent")[key] = value;
        assert!(!description.is_valid(&doc), "{at}");
    }
    for (at, key) in [
        ("", "embedguard"),
        ("", "requests"),
        ("/requests/0", "caller"),
        ("/requests/0", "path"),
        ("/requests/0/body/reports/0", "id"),
    ] {
        let mut doc = ok.clone();
        doc.pointer_mut(at)
            .and_then(Value::as_object_mut)
            .expect("object")
            .remove(key);
        assert!(!description.is_valid(&doc), "{at} without {key}");
    }
    // An id may be a placeholder; a path the router does not know leaves the body's version open.
    let mut doc = ok.clone();
    doc["requests"][0]["body"]["reports"][0]["id"] = json!("${report.id}");
    doc["requests"][0]["path"] = json!("/v1.0/myorg/unknown");
    doc["requests"][0]["body"]["accessLevel"] = json!("View");
    assert!(description.is_valid(&doc));
}

#[test]
fn inventory_schema_rejects_what_the_core_rejects() {
    let inventory = validator(&inventory_schema());
    let ok = json!({
        "principals": [{ "name": "sp", "kind": "service_principal" }],
        "workspaces": [{ "id": "w", "type": "new", "capacity": "f64", "users": { "sp": "Member" } }],
        "datasets": [{ "id": "d", "workspace": "w", "rls": "cloud", "roles": ["r"] }],
        "reports": [
            { "id": "r", "workspace": "w", "dataset": "d" },
            { "id": "p", "workspace": "w", "type": "paginated" }
        ],
        "dashboards": [{ "workspace": "w", "tiles": [{ "id": "t", "dataset": "d" }] }]
    });
    assert!(inventory.is_valid(&ok));
    let broken: [(&str, Value); 9] = [
        ("/principals/0/kind", json!("robot")),
        ("/principals/0/tenant_admin", json!("yes")),
        ("/principals/0/nickname", json!("x")),
        ("/workspaces/0/type", json!("modern")),
        ("/workspaces/0/capacity", json!("X1")),
        ("/workspaces/0/users/sp", json!("Owner")),
        ("/datasets/0/rls", json!("row_level")),
        ("/datasets/0/roles", json!("r")),
        ("/reports/1/type", json!("rdl")),
    ];
    for (at, value) in broken {
        let mut doc = ok.clone();
        let (parent, key) = at.rsplit_once('/').expect("a pointer");
        doc.pointer_mut(parent).expect("parent")[key] = value;
        assert!(!inventory.is_valid(&doc), "{at}");
    }
    for (at, key) in [
        ("/principals/0", "kind"),
        ("/workspaces/0", "type"),
        ("/datasets/0", "workspace"),
        ("/reports/0", "dataset"),
        ("/dashboards/0", "workspace"),
    ] {
        let mut doc = ok.clone();
        doc.pointer_mut(at)
            .and_then(Value::as_object_mut)
            .expect("object")
            .remove(key);
        assert!(!inventory.is_valid(&doc), "{at} without {key}");
    }
}

// ---- drift: the schemas say what the core reads ----------------------------------------------

fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| (*s).to_string()).collect()
}

fn enum_names<E>(list: &[(&str, E)]) -> BTreeSet<String> {
    list.iter().map(|(s, _)| (*s).to_string()).collect()
}

fn properties(schema: &Value, definition: &str) -> BTreeSet<String> {
    let node = if definition.is_empty() {
        schema
    } else {
        &schema["definitions"][definition]
    };
    assert_eq!(node["additionalProperties"], json!(false), "{definition}");
    node["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{definition} has properties"))
        .keys()
        .cloned()
        .collect()
}

fn enum_at(schema: &Value, pointer: &str) -> BTreeSet<String> {
    schema
        .pointer(&format!("{pointer}/enum"))
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("an enum at {pointer}"))
        .iter()
        .map(|v| v.as_str().expect("a string").to_string())
        .collect()
}

#[test]
fn description_keys_match_the_core() {
    let s = description_schema();
    assert_eq!(properties(&s, ""), names(TOP_KEYS));
    assert_eq!(properties(&s, "request"), names(REQUEST_KEYS));
    assert_eq!(
        enum_at(&s, "/definitions/request/properties/scenario"),
        enum_names(SCENARIOS)
    );
}

#[test]
fn body_keys_match_the_core() {
    let s = description_schema();
    let union: BTreeSet<String> = names(V1_KEYS).union(&names(V2_KEYS)).cloned().collect();
    assert_eq!(properties(&s, "body"), union);
    // Once the path names the endpoint, only that version's keys are allowed.
    assert_eq!(
        enum_at(
            &s,
            "/definitions/request/allOf/0/then/properties/body/propertyNames"
        ),
        names(V2_KEYS)
    );
    assert_eq!(
        enum_at(
            &s,
            "/definitions/request/allOf/1/then/properties/body/propertyNames"
        ),
        names(V1_KEYS)
    );
    for (definition, keys) in [
        ("effectiveIdentity", IDENTITY_KEYS),
        ("identityBlob", IDENTITY_BLOB_KEYS),
        ("v2Dataset", V2_DATASET_KEYS),
        ("v2Report", V2_REPORT_KEYS),
        ("v2TargetWorkspace", V2_TARGET_WORKSPACE_KEYS),
        ("datasourceIdentity", DATASOURCE_IDENTITY_KEYS),
        ("datasourceSelector", DATASOURCE_SELECTOR_KEYS),
        ("connectionDetails", CONNECTION_DETAIL_KEYS),
    ] {
        assert_eq!(properties(&s, definition), names(keys), "{definition}");
    }
    assert_eq!(
        enum_at(&s, "/definitions/body/properties/accessLevel"),
        enum_names(ACCESS_LEVELS)
    );
    assert_eq!(
        enum_at(&s, "/definitions/v2Dataset/properties/xmlaPermissions"),
        enum_names(XMLA)
    );
}

#[test]
fn inventory_keys_match_the_core() {
    let s = inventory_schema();
    for (definition, keys) in [
        ("inventory", INVENTORY_KEYS),
        ("principal", PRINCIPAL_KEYS),
        ("permissions", PERMISSIONS_KEYS),
        ("workspace", WORKSPACE_KEYS),
        ("dataset", DATASET_KEYS),
        ("report", REPORT_KEYS),
        ("dashboard", DASHBOARD_KEYS),
        ("tile", TILE_KEYS),
    ] {
        assert_eq!(properties(&s, definition), names(keys), "{definition}");
    }
    for (pointer, values) in [
        (
            "/definitions/principal/properties/kind",
            enum_names(PRINCIPAL_KINDS),
        ),
        (
            "/definitions/principal/properties/license",
            enum_names(LICENSES),
        ),
        (
            "/definitions/workspace/properties/type",
            enum_names(WORKSPACE_TYPES),
        ),
        ("/definitions/workspaceRole", enum_names(WORKSPACE_ROLES)),
        ("/definitions/dataset/properties/rls", enum_names(RLS_KINDS)),
        (
            "/definitions/dataset/properties/connection",
            enum_names(CONNECTIONS),
        ),
        (
            "/definitions/report/properties/type",
            enum_names(REPORT_TYPES),
        ),
    ] {
        assert_eq!(enum_at(&s, pointer), values, "{pointer}");
    }
}

/// Body ids and the profile header must be GUIDs (EG006), placeholders excepted: the `guid`
/// pattern agrees with `ids::is_guid`, `is_nil_guid` and `is_placeholder`.
#[test]
fn guid_definition_matches_the_core() {
    let guid = definition_validator(&description_schema(), "guid");
    let samples = [
        "3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c",
        "3F6C1E2A-0B7D-4C59-9A51-1D2E3F4A5B6C",
        "{3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c}",
        "{3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c",
        "3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c}",
        "3f6c1e2a0b7d4c599a511d2e3f4a5b6c",
        "3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6",
        "3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6cc",
        "3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6g",
        " 3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c",
        "3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c\n",
        "00000000-0000-0000-0000-000000000000",
        "{00000000-0000-0000-0000-000000000000}",
        "sales-report",
        "SalesModel",
        "",
        "${report.id}",
        "${}",
        "}${",
        "prefix-${x}-suffix",
        "${unclosed",
        "{{ id }}",
        "}}{{",
        "{{ unclosed",
        "{ id }",
    ];
    for s in samples {
        let core = is_placeholder(s) || (is_guid(s) && !is_nil_guid(s));
        assert_eq!(guid.is_valid(&json!(s)), core, "{s:?}");
    }
    assert!(!guid.is_valid(&json!(42)));
}

/// `capacity` accepts what the core's capacity parser accepts (EG011 otherwise).
#[test]
fn capacity_pattern_matches_the_core() {
    let workspace = definition_validator(&inventory_schema(), "workspace");
    let samples = [
        "A1", "a8", "A0", "A12", "EM1", "em3", "Em2", "P1", "p5", "F2", "F2048", "f64", "ppu",
        "PPU", "Ppu", "shared", "SHARED", "A", "EM", "P", "F", "E1", "B1", "A1 ", " A1", "A-1",
        "premium", "", "A1.5", "X1", "pp", "shared1",
    ];
    for s in samples {
        let doc = json!({ "type": "new", "capacity": s });
        let mut diags = Diagnostics::new(Origin::Inventory);
        let tree = Tree::from_json(&json!({ "workspaces": [doc] }));
        Inventory::read(&tree, Pointer::root(), &mut diags);
        let core = !diags.findings.iter().any(|f| f.rule == Rule::InvalidEnum);
        assert_eq!(workspace.is_valid(&doc), core, "{s:?}");
    }
}

/// The request's V1/V2 narrowing of `body` never disagrees with the core's router: a target the
/// schema calls V2 is never routed to a V1 endpoint and the reverse, and every routed spelling
/// below is recognised.
#[test]
fn endpoint_patterns_match_the_router() {
    let s = description_schema();
    let v2 = definition_validator(&s, "v2Target");
    let v1 = definition_validator(&s, "v1Target");
    let g = "3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c";
    let samples = [
        "/v1.0/myorg/GenerateToken".to_string(),
        "/v1.0/myorg/generatetoken".into(),
        "/V1.0/MyOrg/GENERATETOKEN/".into(),
        "v1.0/myorg/GenerateToken".into(),
        "//v1.0//myorg//GenerateToken".into(),
        "/v1.0/myorg/GenerateToken?x=1".into(),
        "/v1.0/myorg/GenerateToken#top".into(),
        "  /v1.0/myorg/GenerateToken  ".into(),
        "https://api.powerbi.com/v1.0/myorg/GenerateToken".into(),
        "HTTPS://API.POWERBIGOV.US/v1.0/myorg/GenerateToken".into(),
        "https://api.powerbi.cn:443/v1.0/myorg/GenerateToken?a=b".into(),
        "https://example.com/v1.0/myorg/GenerateToken".into(),
        "http://api.powerbi.com/v1.0/myorg/GenerateToken".into(),
        "/v1.0/myorg/GenerateToken/extra".into(),
        "/v1.0/myorg/GenerateTokens".into(),
        "/v2.0/myorg/GenerateToken".into(),
        "/v1.0/myorg/reports/GenerateToken".into(),
        format!("/v1.0/myorg/reports/{g}/GenerateToken"),
        format!("/v1.0/myorg/groups/{g}/reports/{g}/GenerateToken"),
        format!("/v1.0/myorg/Groups/{g}/reports/{g}/generatetoken/"),
        format!("https://api.powerbi.com/v1.0/myorg/groups/{g}/reports/GenerateToken"),
        format!("/v1.0/myorg/groups/{g}/datasets/{g}/GenerateToken"),
        format!("/v1.0/myorg/groups/{g}/dashboards/{g}/GenerateToken"),
        format!("/v1.0/myorg/groups/{g}/dashboards/{g}/tiles/{g}/GenerateToken"),
        format!("/v1.0/myorg/groups/{g}/GenerateToken"),
        format!("/v1.0/myorg/groups/{g}/report/{g}/GenerateToken"),
    ];
    for target in &samples {
        let kind = match route("POST", target) {
            Route::Endpoint { endpoint, .. } => Some(endpoint.kind()),
            _ => None,
        };
        let (is_v2, is_v1) = (v2.is_valid(&json!(target)), v1.is_valid(&json!(target)));
        assert!(!(is_v2 && is_v1), "{target:?} matches both");
        match kind {
            Some(EndpointKind::V2) => assert!(is_v2, "{target:?} is V2 for the router"),
            Some(_) => assert!(is_v1, "{target:?} is V1 for the router"),
            None => {}
        }
        if is_v2 {
            assert!(kind.is_none_or(|k| k == EndpointKind::V2), "{target:?}");
        }
        if is_v1 {
            assert!(kind.is_none_or(EndpointKind::is_v1), "{target:?}");
        }
    }
}
