//! The peer: the seed-matrix checks as a Rego policy (`bench/rego/embedguard.rego`), evaluated by
//! regorus, with the tenant as `data` and the description as `input`.
//!
//! # The data document
//!
//! A Rego user ships tenant facts as a data document shaped for lookups, not as the inventory
//! file as written: [`tenant_data`] turns an inventory document into `data.tenant`, once, before
//! anything is timed — the counterpart of embedguard's `read_inventory`, which is also not part
//! of the per-request figures. It does what embedguard's inventory graph does when it is built:
//!
//! - entities are keyed `p0`, `w3`, `d12`, `r7`, `b1` (principal, workspace, dataset, report,
//!   dashboard) by their position;
//! - `index.<kind>` maps every id and name (principals: name and object id), normalised as
//!   embedguard's `ids::normalize` does (GUIDs lower-case without braces, other names trimmed),
//!   to the first entity that has it;
//! - references between entities (a dataset's workspace, a report's dataset, a tile's dataset,
//!   workspace users, permissions) are resolved through that index; unresolved ones are dropped
//!   (embedguard reports them as EG008, which is not a seed-matrix rule);
//! - enumerations (kind, type, rls, connection, roles) are read ignoring ASCII case, as embedguard reads them,
//!   and stored in their canonical spelling, `null` when absent or invalid (= unknown).
//!
//! Everything that depends on the request — reading the path, normalising the ids it names,
//! following them through the index, which datasets an identity covers, the matrices — is the
//! policy's work, on every evaluation.

use std::collections::HashMap;
use std::path::PathBuf;

use embedguard_core::ids::normalize;
use embedguard_core::value::Value;
use regorus::{CompiledPolicy, Engine as RegoEngine};
use serde_json::{json, Map, Value as Json};

/// The entry point the policy is compiled for: the set of seed-matrix codes that fire.
pub const ENTRYPOINT: &str = "data.embedguard.codes";

/// `bench/rego/embedguard.rego`.
pub fn policy_path() -> PathBuf {
    crate::fixtures::repo_root().join("bench/rego/embedguard.rego")
}

/// A policy compiled once against one tenant's data.
pub struct Peer {
    compiled: CompiledPolicy,
}

impl Peer {
    /// Loads the policy, adds `data` and compiles for [`ENTRYPOINT`].
    ///
    /// # Errors
    /// The policy does not parse or compile, or the data is not an object.
    pub fn new(data: Json) -> Result<Peer, String> {
        let path = policy_path();
        let rego =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut engine = RegoEngine::new();
        engine
            .add_policy(path.display().to_string(), rego)
            .map_err(|e| e.to_string())?;
        engine
            .add_data(regorus::Value::from(data))
            .map_err(|e| e.to_string())?;
        let compiled = engine
            .compile_with_entrypoint(&ENTRYPOINT.into())
            .map_err(|e| e.to_string())?;
        Ok(Peer { compiled })
    }

    /// One warm evaluation.
    ///
    /// # Errors
    /// The evaluation failed (a conflict or a builtin error in the policy).
    pub fn eval(&self, input: regorus::Value) -> Result<regorus::Value, String> {
        self.compiled
            .eval_with_input(input)
            .map_err(|e| e.to_string())
    }

    /// JSON bytes → decision: the bytes are parsed into a regorus value, then evaluated.
    ///
    /// # Errors
    /// The bytes are not UTF-8 JSON, or the evaluation failed.
    pub fn eval_bytes(&self, bytes: &[u8]) -> Result<regorus::Value, String> {
        let text = std::str::from_utf8(bytes).map_err(|e| e.to_string())?;
        let input = regorus::Value::from_json_str(text).map_err(|e| e.to_string())?;
        self.eval(input)
    }

    /// The codes of a decision, sorted.
    pub fn codes(decision: &regorus::Value) -> std::collections::BTreeSet<String> {
        match decision.as_set() {
            Ok(set) => set
                .iter()
                .filter_map(|v| v.as_string().ok().map(|s| s.to_string()))
                .collect(),
            Err(_) => Default::default(),
        }
    }
}

/// The `input` for a description's JSON bytes.
///
/// # Errors
/// Not UTF-8 JSON.
pub fn input(bytes: &[u8]) -> Result<regorus::Value, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| e.to_string())?;
    regorus::Value::from_json_str(text).map_err(|e| e.to_string())
}

#[derive(Default)]
struct Index {
    map: HashMap<String, String>,
}

impl Index {
    fn add(&mut self, key: Option<&str>, entity: &str) {
        if let Some(k) = key {
            self.map
                .entry(normalize(k))
                .or_insert_with(|| entity.to_string());
        }
    }

    fn get(&self, reference: &str) -> Option<&String> {
        self.map.get(&normalize(reference))
    }

    fn resolve(&self, reference: Option<&Value>) -> Json {
        reference
            .and_then(Value::as_str)
            .and_then(|r| self.get(r))
            .map_or(Json::Null, |k| Json::String(k.clone()))
    }

    fn to_json(&self) -> Json {
        Json::Object(
            self.map
                .iter()
                .map(|(k, v)| (k.clone(), Json::String(v.clone())))
                .collect(),
        )
    }
}

fn objects<'v>(doc: &'v Value, key: &str) -> Vec<&'v Value> {
    doc.get(key)
        .and_then(Value::as_array)
        .map(|items| items.iter().filter(|v| v.as_object().is_some()).collect())
        .unwrap_or_default()
}

fn string<'v>(entity: &'v Value, key: &str) -> Option<&'v str> {
    entity.get(key).and_then(Value::as_str)
}

/// The canonical spelling of `value` among `allowed`, compared ignoring ASCII case.
fn canonical(value: Option<&str>, allowed: &[&str]) -> Json {
    value
        .and_then(|v| allowed.iter().find(|a| a.eq_ignore_ascii_case(v)))
        .map_or(Json::Null, |a| Json::String((*a).to_string()))
}

/// The Rego data document (`{"tenant": …}`) for an inventory document.
pub fn tenant_data(doc: &Value) -> Json {
    // Principals without a string name are not principals (embedguard skips them too).
    let principals: Vec<&Value> = objects(doc, "principals")
        .into_iter()
        .filter(|p| string(p, "name").is_some())
        .collect();
    let workspaces = objects(doc, "workspaces");
    let datasets = objects(doc, "datasets");
    let reports = objects(doc, "reports");
    let dashboards = objects(doc, "dashboards");

    let mut ip = Index::default();
    let mut iw = Index::default();
    let mut id = Index::default();
    let mut ir = Index::default();
    let mut ib = Index::default();
    for (i, p) in principals.iter().enumerate() {
        let key = format!("p{i}");
        ip.add(string(p, "name"), &key);
        ip.add(string(p, "object_id"), &key);
    }
    for (i, w) in workspaces.iter().enumerate() {
        let key = format!("w{i}");
        iw.add(string(w, "id"), &key);
        iw.add(string(w, "name"), &key);
    }
    for (i, d) in datasets.iter().enumerate() {
        let key = format!("d{i}");
        id.add(string(d, "id"), &key);
        id.add(string(d, "name"), &key);
    }
    for (i, r) in reports.iter().enumerate() {
        let key = format!("r{i}");
        ir.add(string(r, "id"), &key);
        ir.add(string(r, "name"), &key);
    }
    for (i, b) in dashboards.iter().enumerate() {
        let key = format!("b{i}");
        ib.add(string(b, "id"), &key);
        ib.add(string(b, "name"), &key);
    }

    let mut out_p = Map::new();
    for (i, p) in principals.iter().enumerate() {
        let key = format!("p{i}");
        // Permission edges belong to the first principal of a name only, as in embedguard.
        let first_of_name = string(p, "name").and_then(|n| ip.get(n)) == Some(&key);
        let permissions = match p.get("permissions") {
            Some(perms) if perms.as_object().is_some() => {
                let list = |k: &str| -> Vec<&str> {
                    perms
                        .get(k)
                        .and_then(Value::as_array)
                        .map(|a| a.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default()
                };
                let mut gateways = Map::new();
                let mut overrides = Map::new();
                if first_of_name {
                    for g in list("gateway_admin") {
                        gateways.insert(normalize(g), Json::Bool(true));
                    }
                    for d in list("read_override_effective_identity") {
                        if let Some(k) = id.get(d) {
                            overrides.insert(k.clone(), Json::Bool(true));
                        }
                    }
                }
                json!({ "gateway_admin": gateways, "read_override": overrides })
            }
            _ => Json::Null,
        };
        let opt = |k: &str| string(p, k).map_or(Json::Null, |s| Json::String(s.to_string()));
        out_p.insert(
            key,
            json!({
                "kind": canonical(string(p, "kind"), &["service_principal", "master_user"]),
                "object_id": opt("object_id"),
                "app_id": opt("app_id"),
                "upn": opt("upn"),
                "permissions": permissions,
            }),
        );
    }

    let mut out_w = Map::new();
    for (i, w) in workspaces.iter().enumerate() {
        let users = match w.get("users").and_then(Value::as_object) {
            None => Json::Null,
            Some(members) => {
                let mut users = Map::new();
                for m in members {
                    if let Some(p) = ip.get(&m.key) {
                        // A principal listed twice: the later entry is the one embedguard's
                        // graph finds first.
                        users.insert(
                            p.clone(),
                            canonical(
                                m.value.as_str(),
                                &["Admin", "Member", "Contributor", "Viewer"],
                            ),
                        );
                    }
                }
                Json::Object(users)
            }
        };
        out_w.insert(
            format!("w{i}"),
            json!({
                "type": canonical(string(w, "type"), &["new", "classic", "personal"]),
                "users": users,
            }),
        );
    }

    let mut out_d = Map::new();
    for (i, d) in datasets.iter().enumerate() {
        out_d.insert(
            format!("d{i}"),
            json!({
                "workspace": iw.resolve(d.get("workspace")),
                "rls": canonical(
                    string(d, "rls"),
                    &["none", "cloud", "as_on_premises", "as_azure", "sso", "sso_cloud"],
                ),
                "gateway": string(d, "gateway").map_or(Json::Null, |g| Json::String(normalize(g))),
                "as_live": string(d, "connection").is_some_and(|c| {
                    c.eq_ignore_ascii_case("live_as_on_premises")
                        || c.eq_ignore_ascii_case("live_as_azure")
                }),
            }),
        );
    }

    let mut out_r = Map::new();
    for (i, r) in reports.iter().enumerate() {
        out_r.insert(
            format!("r{i}"),
            json!({
                "workspace": iw.resolve(r.get("workspace")),
                "dataset": id.resolve(r.get("dataset")),
                "paginated": string(r, "type").is_some_and(|t| t.eq_ignore_ascii_case("paginated")),
            }),
        );
    }

    let mut out_b = Map::new();
    for (i, b) in dashboards.iter().enumerate() {
        let tiles: Vec<Json> = b
            .get("tiles")
            .and_then(Value::as_array)
            .map(|tiles| {
                tiles
                    .iter()
                    .filter(|t| t.as_object().is_some())
                    .map(|t| {
                        json!({
                            "id": string(t, "id").map_or(Json::Null, |s| Json::String(normalize(s))),
                            "dataset": id.resolve(t.get("dataset")),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        out_b.insert(
            format!("b{i}"),
            json!({ "workspace": iw.resolve(b.get("workspace")), "tiles": tiles }),
        );
    }

    json!({
        "tenant": {
            "principals": out_p,
            "workspaces": out_w,
            "datasets": out_d,
            "reports": out_r,
            "dashboards": out_b,
            "index": {
                "principal": ip.to_json(),
                "workspace": iw.to_json(),
                "dataset": id.to_json(),
                "report": ir.to_json(),
                "dashboard": ib.to_json(),
            },
        }
    })
}
