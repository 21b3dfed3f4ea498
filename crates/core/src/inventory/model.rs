//! The tenant facts of SPEC §1.2, read from a [`Value`].
//!
//! Every fact is optional unless the SPEC marks it required; an absent fact is unknown, never a
//! default, so the rules that need it stay silent.

use crate::finding::Finding;
use crate::read::{Diagnostics, Field, Located, ObjectReader};
use crate::registry::Rule;
use crate::value::{Pointer, Value};

/// Service principal or master user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::Display)]
pub enum PrincipalKind {
    /// An Entra app's service principal (or one of its profiles).
    #[strum(serialize = "service principal")]
    ServicePrincipal,
    /// A user account whose credentials the app holds.
    #[strum(serialize = "master user")]
    MasterUser,
}

/// Workspace version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::Display)]
pub enum WorkspaceType {
    /// A new (V2) workspace.
    #[strum(serialize = "new")]
    New,
    /// A classic (V1, Office 365 group) workspace.
    #[strum(serialize = "classic")]
    Classic,
    /// A user's My workspace.
    #[strum(serialize = "personal")]
    Personal,
}

/// A workspace role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, strum::Display)]
pub enum WorkspaceRole {
    /// Admin
    Admin,
    /// Member
    Member,
    /// Contributor
    Contributor,
    /// Viewer
    Viewer,
}

/// How a dataset filters rows, as far as an embed token is concerned.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::Display,
    strum::EnumString,
    strum::EnumIter,
    serde::Deserialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum RlsKind {
    /// No row-level security.
    None,
    /// Cloud RLS (import or DirectQuery model with roles).
    Cloud,
    /// Live connection to on-premises Analysis Services through a gateway.
    AsOnPremises,
    /// Live connection to Azure Analysis Services.
    AsAzure,
    /// Single sign-on (DirectQuery to Azure SQL with the end user's token).
    Sso,
    /// Single sign-on and cloud RLS.
    SsoCloud,
}

/// How a dataset reaches its data. Only the kinds a rule needs are named; absent = unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::Display)]
pub enum Connection {
    /// Data imported into the model.
    #[strum(serialize = "import")]
    Import,
    /// DirectQuery to a data source.
    #[strum(serialize = "DirectQuery")]
    DirectQuery,
    /// Live connection to on-premises SQL Server Analysis Services, through a gateway.
    #[strum(serialize = "live connection to on-premises Analysis Services")]
    LiveAsOnPremises,
    /// Live connection to Azure Analysis Services.
    #[strum(serialize = "live connection to Azure Analysis Services")]
    LiveAsAzure,
}

impl Connection {
    /// Whether this is a live connection to an Analysis Services engine, which always needs an
    /// effective identity for a service principal (F34).
    pub fn is_analysis_services_live(self) -> bool {
        matches!(self, Connection::LiveAsOnPremises | Connection::LiveAsAzure)
    }
}

/// Power BI report or paginated (RDL) report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::Display)]
pub enum ReportType {
    /// A Power BI (.pbix) report.
    #[strum(serialize = "Power BI report")]
    PowerBi,
    /// A paginated (RDL) report.
    #[strum(serialize = "paginated report")]
    Paginated,
}

/// A master user's license.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::Display)]
pub enum License {
    /// Free
    Free,
    /// Pro
    Pro,
    /// Premium Per User
    Ppu,
}

/// Where a workspace runs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Capacity {
    /// A dedicated A, EM, P or F SKU (the SKU name, upper-case).
    Dedicated(String),
    /// Premium Per User.
    Ppu,
    /// Shared capacity (no capacity).
    Shared,
}

impl Capacity {
    fn parse(s: &str) -> Option<Capacity> {
        let u = s.to_ascii_uppercase();
        let number = |p: &str| {
            u.strip_prefix(p)
                .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        };
        match u.as_str() {
            "PPU" => Some(Capacity::Ppu),
            "SHARED" => Some(Capacity::Shared),
            _ if number("EM").is_some()
                || number("A").is_some()
                || number("P").is_some()
                || number("F").is_some() =>
            {
                Some(Capacity::Dedicated(u))
            }
            _ => None,
        }
    }

    /// Whether this is an A, EM, P or F capacity (what production embedding needs).
    pub fn is_dedicated(&self) -> bool {
        matches!(self, Capacity::Dedicated(_))
    }
}

/// The caller's data-source permissions, when known.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Permissions {
    /// Gateways the principal administers.
    pub gateway_admin: Vec<Located<String>>,
    /// Datasets (refs) on whose data source the principal holds `ReadOverrideEffectiveIdentity`.
    pub read_override_effective_identity: Vec<Located<String>>,
}

/// A principal that may call GenerateToken.
#[derive(Debug, Clone, PartialEq)]
pub struct Principal {
    /// Where it is declared.
    pub pointer: Pointer,
    /// Its unique name.
    pub name: String,
    /// Service principal or master user (`None` when the value was invalid).
    pub kind: Option<PrincipalKind>,
    /// Entra object id.
    pub object_id: Option<String>,
    /// Application (client) id.
    pub app_id: Option<String>,
    /// User principal name (master users).
    pub upn: Option<String>,
    /// Whether the account is a tenant admin (default false).
    pub tenant_admin: bool,
    /// License (master users).
    pub license: Option<License>,
    /// Delegated scopes granted (master users); `None` = unknown.
    pub scopes: Option<Vec<String>>,
    /// Power BI Service API permissions (delegated or application) configured on the app
    /// registration; `None` = unknown, empty = none.
    pub api_permissions: Option<Vec<String>>,
    /// The Entra authority the principal signs in at (`https://login.microsoftonline.com/…`).
    pub authority: Option<Located<String>>,
    /// The scope its Entra token is requested for
    /// (`https://analysis.windows.net/powerbi/api/.default`).
    pub scope_base: Option<Located<String>>,
    /// Data-source permissions; `None` = unknown.
    pub permissions: Option<Permissions>,
}

/// A workspace.
#[derive(Debug, Clone, PartialEq)]
pub struct Workspace {
    /// Where it is declared.
    pub pointer: Pointer,
    /// Its GUID.
    pub id: Option<String>,
    /// Its display name.
    pub name: Option<String>,
    /// Its version (`None` when the value was invalid).
    pub kind: Option<WorkspaceType>,
    /// Its capacity; `None` = unknown.
    pub capacity: Option<Capacity>,
    /// Principal ref → role; `None` = unknown.
    pub users: Option<Vec<(Located<String>, Option<WorkspaceRole>)>>,
}

/// A dataset (semantic model).
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Where it is declared.
    pub pointer: Pointer,
    /// Its id.
    pub id: Option<String>,
    /// Its display name.
    pub name: Option<String>,
    /// Workspace ref.
    pub workspace: Option<Located<String>>,
    /// Its RLS kind; `None` = unknown.
    pub rls: Option<RlsKind>,
    /// The RLS roles defined in the model; `None` = unknown.
    pub roles: Option<Vec<String>>,
    /// The gateway serving it (on-premises AS).
    pub gateway: Option<String>,
    /// How it reaches its data; `None` = unknown.
    pub connection: Option<Connection>,
    /// Datasets it queries in DirectQuery (composite model).
    pub directquery_to: Vec<Located<String>>,
}

/// A report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Where it is declared.
    pub pointer: Pointer,
    /// Its GUID.
    pub id: Option<String>,
    /// Its display name.
    pub name: Option<String>,
    /// Workspace ref.
    pub workspace: Option<Located<String>>,
    /// Dataset ref.
    pub dataset: Option<Located<String>>,
    /// Power BI or paginated.
    pub kind: ReportType,
    /// Paginated reports shown in paginated visuals of this report.
    pub paginated_visuals: Vec<Located<String>>,
}

/// One tile of a dashboard.
#[derive(Debug, Clone, PartialEq)]
pub struct Tile {
    /// Where it is declared.
    pub pointer: Pointer,
    /// Its GUID.
    pub id: Option<String>,
    /// Dataset ref.
    pub dataset: Option<Located<String>>,
    /// Report ref.
    pub report: Option<Located<String>>,
}

/// A dashboard.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    /// Where it is declared.
    pub pointer: Pointer,
    /// Its GUID.
    pub id: Option<String>,
    /// Its display name.
    pub name: Option<String>,
    /// Workspace ref.
    pub workspace: Option<Located<String>>,
    /// Its tiles.
    pub tiles: Vec<Tile>,
}

/// The tenant facts as written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Inventory {
    /// `principals`
    pub principals: Vec<Principal>,
    /// `workspaces`
    pub workspaces: Vec<Workspace>,
    /// `datasets`
    pub datasets: Vec<Dataset>,
    /// `reports`
    pub reports: Vec<Report>,
    /// `dashboards`
    pub dashboards: Vec<Dashboard>,
}

/// The top-level keys of an inventory.
pub const INVENTORY_KEYS: &[&str] = &[
    "principals",
    "workspaces",
    "datasets",
    "reports",
    "dashboards",
];

/// The keys of a principal.
pub const PRINCIPAL_KEYS: &[&str] = &[
    "name",
    "kind",
    "object_id",
    "app_id",
    "upn",
    "tenant_admin",
    "license",
    "scopes",
    "api_permissions",
    "authority",
    "scope_base",
    "permissions",
];
/// The keys of a principal's `permissions`.
pub const PERMISSIONS_KEYS: &[&str] = &["gateway_admin", "read_override_effective_identity"];
/// The keys of a workspace.
pub const WORKSPACE_KEYS: &[&str] = &["id", "name", "type", "capacity", "users"];
/// The keys of a dataset.
pub const DATASET_KEYS: &[&str] = &[
    "id",
    "name",
    "workspace",
    "rls",
    "roles",
    "gateway",
    "connection",
    "directquery_to",
];
/// The keys of a report.
pub const REPORT_KEYS: &[&str] = &[
    "id",
    "name",
    "workspace",
    "dataset",
    "type",
    "paginated_visuals",
];
/// The keys of a dashboard.
pub const DASHBOARD_KEYS: &[&str] = &["id", "name", "workspace", "tiles"];
/// The keys of a dashboard tile.
pub const TILE_KEYS: &[&str] = &["id", "dataset", "report"];

/// The spellings of a principal's `kind`.
pub const PRINCIPAL_KINDS: &[(&str, PrincipalKind)] = &[
    ("service_principal", PrincipalKind::ServicePrincipal),
    ("master_user", PrincipalKind::MasterUser),
];
/// The spellings of a master user's `license`.
pub const LICENSES: &[(&str, License)] = &[
    ("free", License::Free),
    ("pro", License::Pro),
    ("ppu", License::Ppu),
];
/// The spellings of a workspace's `type`.
pub const WORKSPACE_TYPES: &[(&str, WorkspaceType)] = &[
    ("new", WorkspaceType::New),
    ("classic", WorkspaceType::Classic),
    ("personal", WorkspaceType::Personal),
];
/// The spellings of a workspace role in `users`.
pub const WORKSPACE_ROLES: &[(&str, WorkspaceRole)] = &[
    ("Admin", WorkspaceRole::Admin),
    ("Member", WorkspaceRole::Member),
    ("Contributor", WorkspaceRole::Contributor),
    ("Viewer", WorkspaceRole::Viewer),
];
/// The spellings of a dataset's `rls`.
pub const RLS_KINDS: &[(&str, RlsKind)] = &[
    ("none", RlsKind::None),
    ("cloud", RlsKind::Cloud),
    ("as_on_premises", RlsKind::AsOnPremises),
    ("as_azure", RlsKind::AsAzure),
    ("sso", RlsKind::Sso),
    ("sso_cloud", RlsKind::SsoCloud),
];
/// The spellings of a dataset's `connection`.
pub const CONNECTIONS: &[(&str, Connection)] = &[
    ("import", Connection::Import),
    ("directquery", Connection::DirectQuery),
    ("live_as_on_premises", Connection::LiveAsOnPremises),
    ("live_as_azure", Connection::LiveAsAzure),
];
/// The spellings of a report's `type`.
pub const REPORT_TYPES: &[(&str, ReportType)] = &[
    ("power_bi", ReportType::PowerBi),
    ("paginated", ReportType::Paginated),
];

impl Inventory {
    /// These facts, completed by `shared`'s: every entity of `self`, then each entity of
    /// `shared` that `self` does not already declare. `self` wins: shared facts override none
    /// of its own (SPEC: `--inventory` "overrides none; merges with inline `tenant:`").
    ///
    /// A principal is the same one when its name or object id is taken. Any other entity is
    /// the same one when its id is taken (ids compared as [`normalize`](crate::ids::normalize)
    /// does), or, having no id, its name: two workspaces may share a display name, and then a
    /// lookup by that name finds the inline one.
    ///
    /// Each entity keeps the pointer it was read at, so a finding about it is placed in the
    /// document it came from.
    pub fn merged_with(mut self, shared: &Inventory) -> Inventory {
        use crate::ids::normalize;
        use std::collections::HashSet;
        /// Appends the entities of `shared` whose identity (`key`) is not taken by `own`'s.
        fn add<T: Clone>(own: &mut Vec<T>, shared: &[T], key: impl Fn(&T) -> Vec<String>) {
            let mut taken: HashSet<String> = own.iter().flat_map(&key).collect();
            for entity in shared {
                let keys = key(entity);
                if keys.iter().any(|k| taken.contains(k)) {
                    continue;
                }
                taken.extend(keys);
                own.push(entity.clone());
            }
        }
        /// An entity's identity: `id:` its id, or `name:` its name when it has no id.
        fn identity(id: Option<&str>, name: Option<&str>) -> Vec<String> {
            match (id, name) {
                (Some(id), _) => vec![format!("id:{}", normalize(id))],
                (None, Some(name)) => vec![format!("name:{}", name.trim())],
                (None, None) => Vec::new(),
            }
        }
        add(&mut self.principals, &shared.principals, |p| {
            let mut keys = vec![format!("name:{}", p.name.trim())];
            keys.extend(
                p.object_id
                    .as_deref()
                    .map(|o| format!("id:{}", normalize(o))),
            );
            keys
        });
        add(&mut self.workspaces, &shared.workspaces, |w| {
            identity(w.id.as_deref(), w.name.as_deref())
        });
        add(&mut self.datasets, &shared.datasets, |d| {
            identity(d.id.as_deref(), d.name.as_deref())
        });
        add(&mut self.reports, &shared.reports, |r| {
            identity(r.id.as_deref(), r.name.as_deref())
        });
        add(&mut self.dashboards, &shared.dashboards, |d| {
            identity(d.id.as_deref(), d.name.as_deref())
        });
        self
    }

    /// Reads an inventory at `pointer` (the root of an inventory file, or `/tenant`).
    pub fn read(value: &Value, pointer: Pointer, diags: &mut Diagnostics) -> Inventory {
        let Some(obj) = ObjectReader::open(
            value,
            pointer,
            "the inventory",
            INVENTORY_KEYS,
            diags,
            |_, _, _| false,
        ) else {
            return Inventory::default();
        };
        let list = |key: &str, d: &mut Diagnostics| -> Vec<(&Value, Pointer)> {
            match obj.array(key, d, "an array of objects", |v, at, _| Some((v, at))) {
                Field::Present(l) => l.value,
                _ => Vec::new(),
            }
        };
        let mut inv = Inventory::default();
        for (v, at) in list("principals", diags) {
            inv.principals.extend(read_principal(v, at, diags));
        }
        for (v, at) in list("workspaces", diags) {
            inv.workspaces.extend(read_workspace(v, at, diags));
        }
        for (v, at) in list("datasets", diags) {
            inv.datasets.extend(read_dataset(v, at, diags));
        }
        for (v, at) in list("reports", diags) {
            inv.reports.extend(read_report(v, at, diags));
        }
        for (v, at) in list("dashboards", diags) {
            inv.dashboards.extend(read_dashboard(v, at, diags));
        }
        inv
    }
}

fn missing(d: &mut Diagnostics, at: &Pointer, what: &str, key: &str) {
    d.push(
        Finding::new(
            Rule::WrongType,
            d.at(at.clone()),
            format!("{what} has no `{key}`, which is required"),
        )
        .arg("field", key)
        .arg("expected", "a value")
        .arg("found", "nothing"),
    );
}

fn opt_string(o: &ObjectReader<'_>, key: &str, d: &mut Diagnostics) -> Option<String> {
    o.string(key, d).get().cloned()
}

fn opt_ref(o: &ObjectReader<'_>, key: &str, d: &mut Diagnostics) -> Option<Located<String>> {
    o.string(key, d).located().cloned()
}

fn refs(o: &ObjectReader<'_>, key: &str, d: &mut Diagnostics) -> Vec<Located<String>> {
    o.strings(key, d).get().cloned().unwrap_or_default()
}

fn read_principal(v: &Value, at: Pointer, d: &mut Diagnostics) -> Option<Principal> {
    let o = ObjectReader::open(v, at, "a principal", PRINCIPAL_KEYS, d, |_, _, _| false)?;
    let name = o.string("name", d);
    let Some(name_value) = name.get().cloned() else {
        if !name.is_present() {
            missing(d, &o.pointer, "a principal", "name");
        }
        return None;
    };
    let kind = o.enumeration("kind", d, PRINCIPAL_KINDS);
    if !kind.is_present() {
        missing(d, &o.pointer, "a principal", "kind");
    }
    let permissions = match o.raw("permissions") {
        None => None,
        Some((pv, pat)) => {
            ObjectReader::open(pv, pat, "`permissions`", PERMISSIONS_KEYS, d, |_, _, _| {
                false
            })
            .map(|p| Permissions {
                gateway_admin: refs(&p, "gateway_admin", d),
                read_override_effective_identity: refs(&p, "read_override_effective_identity", d),
            })
        }
    };
    Some(Principal {
        name: name_value,
        kind: kind.get().map(|k| k.value),
        object_id: opt_string(&o, "object_id", d),
        app_id: opt_string(&o, "app_id", d),
        upn: opt_string(&o, "upn", d),
        tenant_admin: o.bool("tenant_admin", d).get().copied().unwrap_or(false),
        license: o.enumeration("license", d, LICENSES).get().map(|l| l.value),
        scopes: o
            .strings("scopes", d)
            .get()
            .map(|s| s.iter().map(|l| l.value.clone()).collect()),
        api_permissions: o
            .strings("api_permissions", d)
            .get()
            .map(|s| s.iter().map(|l| l.value.clone()).collect()),
        authority: opt_ref(&o, "authority", d),
        scope_base: opt_ref(&o, "scope_base", d),
        permissions,
        pointer: o.pointer,
    })
}

fn read_workspace(v: &Value, at: Pointer, d: &mut Diagnostics) -> Option<Workspace> {
    let o = ObjectReader::open(v, at, "a workspace", WORKSPACE_KEYS, d, |_, _, _| false)?;
    let kind = o.enumeration("type", d, WORKSPACE_TYPES);
    if !kind.is_present() {
        missing(d, &o.pointer, "a workspace", "type");
    }
    let capacity = match o.string("capacity", d) {
        Field::Present(l) => {
            let c = Capacity::parse(&l.value);
            if c.is_none() {
                d.invalid_enum(
                    &l.pointer,
                    "capacity",
                    &l.value,
                    &["A1…A8", "EM1…EM3", "P1…P5", "F2…F2048", "ppu", "shared"],
                );
            }
            c
        }
        _ => None,
    };
    let users = match o.raw("users") {
        None => None,
        Some((uv, uat)) => {
            ObjectReader::open(uv, uat, "`users`", &[], d, |_, _, _| true).map(|u| {
                uv.as_object()
                    .unwrap_or_default()
                    .iter()
                    .map(|m| {
                        let role = u.enumeration(&m.key, d, WORKSPACE_ROLES);
                        (
                            Located {
                                value: m.key.clone(),
                                pointer: u.pointer.key(&m.key),
                            },
                            role.get().map(|r| r.value),
                        )
                    })
                    .collect()
            })
        }
    };
    Some(Workspace {
        id: opt_string(&o, "id", d),
        name: opt_string(&o, "name", d),
        kind: kind.get().map(|k| k.value),
        capacity,
        users,
        pointer: o.pointer,
    })
}

fn read_dataset(v: &Value, at: Pointer, d: &mut Diagnostics) -> Option<Dataset> {
    let o = ObjectReader::open(v, at, "a dataset", DATASET_KEYS, d, |_, _, _| false)?;
    let workspace = opt_ref(&o, "workspace", d);
    if o.raw("workspace").is_none() {
        missing(d, &o.pointer, "a dataset", "workspace");
    }
    let rls = o.enumeration("rls", d, RLS_KINDS);
    Some(Dataset {
        id: opt_string(&o, "id", d),
        name: opt_string(&o, "name", d),
        workspace,
        rls: rls.get().map(|r| r.value),
        roles: o
            .strings("roles", d)
            .get()
            .map(|s| s.iter().map(|l| l.value.clone()).collect()),
        gateway: opt_string(&o, "gateway", d),
        connection: o
            .enumeration("connection", d, CONNECTIONS)
            .get()
            .map(|c| c.value),
        directquery_to: refs(&o, "directquery_to", d),
        pointer: o.pointer,
    })
}

fn read_report(v: &Value, at: Pointer, d: &mut Diagnostics) -> Option<Report> {
    let o = ObjectReader::open(v, at, "a report", REPORT_KEYS, d, |_, _, _| false)?;
    let workspace = opt_ref(&o, "workspace", d);
    if o.raw("workspace").is_none() {
        missing(d, &o.pointer, "a report", "workspace");
    }
    let kind = o
        .enumeration("type", d, REPORT_TYPES)
        .get()
        .map_or(ReportType::PowerBi, |k| k.value);
    let dataset = opt_ref(&o, "dataset", d);
    if kind == ReportType::PowerBi && o.raw("dataset").is_none() {
        missing(d, &o.pointer, "a Power BI report", "dataset");
    }
    Some(Report {
        id: opt_string(&o, "id", d),
        name: opt_string(&o, "name", d),
        workspace,
        dataset,
        kind,
        paginated_visuals: refs(&o, "paginated_visuals", d),
        pointer: o.pointer,
    })
}

fn read_dashboard(v: &Value, at: Pointer, d: &mut Diagnostics) -> Option<Dashboard> {
    let o = ObjectReader::open(v, at, "a dashboard", DASHBOARD_KEYS, d, |_, _, _| false)?;
    if o.raw("workspace").is_none() {
        missing(d, &o.pointer, "a dashboard", "workspace");
    }
    let tiles = o.array("tiles", d, "an array of objects", |tv, tat, d| {
        let t = ObjectReader::open(tv, tat, "a tile", TILE_KEYS, d, |_, _, _| false)?;
        Some(Tile {
            id: opt_string(&t, "id", d),
            dataset: opt_ref(&t, "dataset", d),
            report: opt_ref(&t, "report", d),
            pointer: t.pointer,
        })
    });
    Some(Dashboard {
        id: opt_string(&o, "id", d),
        name: opt_string(&o, "name", d),
        workspace: opt_ref(&o, "workspace", d),
        tiles: tiles.get().cloned().unwrap_or_default(),
        pointer: o.pointer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Origin;

    fn inventory(json: serde_json::Value, at: Pointer) -> Inventory {
        let mut diags = Diagnostics::new(Origin::Inventory);
        let inventory = Inventory::read(&Value::from_json(&json), at, &mut diags);
        assert!(diags.findings.is_empty(), "{:?}", diags.findings);
        inventory
    }

    #[test]
    fn shared_facts_complete_the_inline_ones_and_override_none() {
        let inline = inventory(
            serde_json::json!({
                "principals": [{"name": "app", "kind": "service_principal"}],
                "workspaces": [{"id": "6DFE520A-FE74-4854-B72F-23ADE2723CC9", "name": "Sales", "type": "classic"}]
            }),
            Pointer::root().key("tenant"),
        );
        let shared = inventory(
            serde_json::json!({
                "principals": [
                    {"name": "app", "kind": "master_user"},
                    {"name": "other", "kind": "master_user"}
                ],
                "workspaces": [
                    {"id": "6dfe520a-fe74-4854-b72f-23ade2723cc9", "name": "Sales (shared)", "type": "new"},
                    {"id": "1ff54a71-e26e-4c09-a113-ece24e6c151c", "name": "Sales", "type": "new"}
                ]
            }),
            Pointer::root(),
        );
        let merged = inline.merged_with(&shared);
        let principals: Vec<(&str, Option<PrincipalKind>, &str)> = merged
            .principals
            .iter()
            .map(|p| (p.name.as_str(), p.kind, p.pointer.as_str()))
            .collect();
        assert_eq!(
            principals,
            vec![
                (
                    "app",
                    Some(PrincipalKind::ServicePrincipal),
                    "/tenant/principals/0"
                ),
                ("other", Some(PrincipalKind::MasterUser), "/principals/1"),
            ]
        );
        // The same workspace by id in another letter case is the inline one; another id under
        // the same display name is another workspace.
        let workspaces: Vec<(Option<&str>, &str)> = merged
            .workspaces
            .iter()
            .map(|w| (w.name.as_deref(), w.pointer.as_str()))
            .collect();
        assert_eq!(
            workspaces,
            vec![
                (Some("Sales"), "/tenant/workspaces/0"),
                (Some("Sales"), "/workspaces/1"),
            ]
        );
    }
}
