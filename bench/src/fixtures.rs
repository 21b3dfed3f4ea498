//! The fixture requests as the benchmark's inputs: every request of a fixture description file
//! becomes its own one-request description, written as compact JSON bytes, next to the inventory
//! its file names.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use embedguard_cli::source::{parse, Format};
use embedguard_core::endpoint::EndpointKind;
use embedguard_core::inventory::Tenant;
use embedguard_core::value::{Member, Number, Value};
use embedguard_core::Engine;

use crate::json::to_json;

/// The repository root (the bench crate lives in `bench/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from(".."), Path::to_path_buf)
}

/// Which fixture files to take requests from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// The benchmark's set: the fixtures of the seed-matrix rules (`fixtures/rules/EG1xx` and
    /// `EG3xx` of the two matrices, pass and fail), Microsoft's own example bodies
    /// (`fixtures/microsoft/`) and the requests of Microsoft's embedding samples
    /// (`fixtures/samples/`).
    Benchmark,
    /// Every fixture description that names an inventory (the equivalence test's wider net).
    All,
}

/// The fixture directories of the seed-matrix rules.
const SEED_DIRS: &[&str] = &[
    "EG101", "EG102", "EG103", "EG104", "EG105", "EG106", "EG110", "EG301", "EG302", "EG303",
    "EG304", "EG305", "EG306", "EG307", "EG308", "EG309",
];

/// One request, ready to be checked.
#[derive(Debug, Clone)]
pub struct Case {
    /// `fixtures/rules/EG301/fail.yaml › sp-cloud-rls-without-identity`
    pub label: String,
    /// The inventory file the request is judged against (canonical path).
    pub tenant: PathBuf,
    /// `{"embedguard":1,"requests":[<the request>]}`, compact JSON.
    pub json: Vec<u8>,
    /// Whether the request goes to the V2 (multi-resource) endpoint.
    pub v2: bool,
}

/// A tenant, as its document (for the Rego data) and resolved by embedguard.
pub struct LoadedTenant {
    /// The inventory document as parsed.
    pub document: Value,
    /// `Engine::read_inventory` of it.
    pub tenant: Tenant,
}

/// The requests of the selected fixtures, in file order, and every inventory they name.
///
/// # Errors
/// A fixture that cannot be read, or an inventory that does not parse.
pub fn load(
    engine: &Engine,
    selection: Selection,
) -> Result<(Vec<Case>, BTreeMap<PathBuf, LoadedTenant>), String> {
    let root = repo_root();
    let fixtures = root.join("fixtures");
    let mut files: Vec<PathBuf> = Vec::new();
    let rules = fixtures.join("rules");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&rules)
        .map_err(|e| format!("{}: {e}", rules.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if selection == Selection::Benchmark && !SEED_DIRS.contains(&name) {
            continue;
        }
        for f in ["pass.yaml", "fail.yaml"] {
            if dir.join(f).is_file() {
                files.push(dir.join(f));
            }
        }
    }
    for dir in ["microsoft", "samples"] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(fixtures.join(dir))
            .map_err(|e| format!("fixtures/{dir}: {e}"))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml") && !p.ends_with("tenant.yaml"))
            .collect();
        found.sort();
        files.extend(found);
    }

    let mut cases = Vec::new();
    let mut tenants = BTreeMap::new();
    for file in files {
        let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        // A fixture that is a syntax error on purpose (EG001) has no requests to time.
        let Ok(doc) = parse(&bytes, Format::Yaml) else {
            continue;
        };
        let Some(inventory) = doc.value.get("inventory").and_then(Value::as_str) else {
            continue;
        };
        let dir = file.parent().unwrap_or(&root);
        let tenant_path = dir
            .join(inventory)
            .canonicalize()
            .map_err(|e| format!("{}: inventory {inventory}: {e}", file.display()))?;
        if !tenants.contains_key(&tenant_path) {
            tenants.insert(tenant_path.clone(), load_tenant(engine, &tenant_path)?);
        }
        let Some(requests) = doc.value.get("requests").and_then(Value::as_array) else {
            continue;
        };
        let rel = file
            .strip_prefix(&root)
            .unwrap_or(&file)
            .display()
            .to_string();
        for (i, request) in requests.iter().enumerate() {
            let name = request
                .get("name")
                .and_then(Value::as_str)
                .map_or_else(|| format!("requests[{i}]"), str::to_string);
            let json = to_json(&one_request(request)).into_bytes();
            let v2 = crate::read_request(engine, &json)
                .ok()
                .and_then(|r| r.endpoint_kind())
                == Some(EndpointKind::V2);
            cases.push(Case {
                label: format!("{rel} › {name}"),
                tenant: tenant_path.clone(),
                json,
                v2,
            });
        }
    }
    Ok((cases, tenants))
}

/// Reads and resolves one inventory file.
///
/// # Errors
/// The file cannot be read or does not parse.
pub fn load_tenant(engine: &Engine, path: &Path) -> Result<LoadedTenant, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let doc = parse(&bytes, Format::Yaml).map_err(|e| format!("{}: {e}", path.display()))?;
    let (tenant, _) = engine.read_inventory(&doc.value);
    Ok(LoadedTenant {
        document: doc.value,
        tenant,
    })
}

/// `{"embedguard": 1, "requests": [request]}`.
fn one_request(request: &Value) -> Value {
    Value::Object(vec![
        Member {
            key: "embedguard".into(),
            value: Value::Number(Number::from_i64(1)),
        },
        Member {
            key: "requests".into(),
            value: Value::Array(vec![request.clone()]),
        },
    ])
}
