//! What one request asks for, resolved against its tenant with the core's own resolution
//! ([`Context::resolve`]): the caller and its kind, the endpoint, the rights the token grants,
//! and each dataset it reaches with its row-level security and whether an identity covers it.

use embedguard_core::body::{AccessLevel, Body, XmlaPermissions};
use embedguard_core::context::Context;
use embedguard_core::inventory::{PrincipalKind, RlsKind, Tenant, WorkspaceId};
use embedguard_core::request::TokenRequest;
use embedguard_core::Engine;
use serde::Serialize;

use crate::mask::scrub;

/// Who calls GenerateToken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CallerKind {
    /// A service principal (or one of its profiles).
    ServicePrincipal,
    /// A master user.
    MasterUser,
    /// Not known: no inventory, a caller the inventory does not declare, or no `kind`.
    Unknown,
}

impl CallerKind {
    /// Every kind, in the order reports list them.
    pub const ALL: [CallerKind; 3] = [
        CallerKind::ServicePrincipal,
        CallerKind::MasterUser,
        CallerKind::Unknown,
    ];

    /// The kind as people read it.
    pub fn label(self) -> &'static str {
        match self {
            CallerKind::ServicePrincipal => "service principal",
            CallerKind::MasterUser => "master user",
            CallerKind::Unknown => "unknown",
        }
    }
}

/// Whether a dataset's rows are filtered for the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// The dataset has row-level security and an identity of the request covers it.
    Covered,
    /// The dataset has row-level security and no identity covers it: Power BI refuses a
    /// service principal (EG301), and shows a master user every row (EG302).
    Uncovered,
    /// The dataset has no row-level security (`rls: none`).
    NoRls,
    /// The inventory does not say (`rls` absent).
    Unknown,
}

impl Coverage {
    /// Every state, in the order reports list them.
    pub const ALL: [Coverage; 4] = [
        Coverage::Covered,
        Coverage::Uncovered,
        Coverage::NoRls,
        Coverage::Unknown,
    ];

    /// The state as people read it.
    pub fn label(self) -> &'static str {
        match self {
            Coverage::Covered => "RLS, identity covers it",
            Coverage::Uncovered => "RLS, no identity covers it",
            Coverage::NoRls => "no RLS",
            Coverage::Unknown => "RLS unknown",
        }
    }
}

/// A tenant entity a request reaches: its key in the tenant (its place in the inventory, how
/// [`crate::tenant::TenantView`] names it too) and its name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ItemRef {
    /// The entity's JSON Pointer in its inventory (`/datasets/3`): links the request to the
    /// tenant view.
    #[serde(skip)]
    pub key: String,
    /// Its name, or its id when it has none.
    pub name: String,
}

/// One dataset of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatasetUse {
    /// The dataset.
    #[serde(flatten)]
    pub dataset: ItemRef,
    /// Its workspace's name (or id), when known.
    pub workspace: Option<String>,
    /// Its `rls` (`none`, `cloud`, …), or `unknown`.
    pub rls: String,
    /// Whether an identity filters its rows.
    pub coverage: Coverage,
    /// The roles the covering identities ask for, sorted.
    pub roles: Vec<String>,
}

/// Everything the report says about one request, before its findings are attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFacts {
    /// The request's label.
    pub name: String,
    /// `caller` as written.
    pub caller: Option<String>,
    /// The inventory's name of the caller, when it resolves (`caller` may name it by object id).
    pub principal: Option<String>,
    /// The caller's kind.
    pub caller_kind: CallerKind,
    /// `scenario`.
    pub scenario: String,
    /// The HTTP method.
    pub method: String,
    /// The endpoint (`REPORT`, `V2`, …), when the path is one of the six.
    pub endpoint: Option<String>,
    /// `path` or `url` as written.
    pub target: Option<String>,
    /// The strongest access the token grants: `View`, `Edit`, `Create`, or `unknown`.
    pub access_level: String,
    /// The rights the body asks for, one line each.
    pub rights: Vec<String>,
    /// `lifetimeInMinutes` as written.
    pub lifetime_minutes: Option<String>,
    /// How many effective identities the body sends.
    pub identities: usize,
    /// The reports the token covers.
    pub reports: Vec<ItemRef>,
    /// The workspaces the request reaches.
    pub workspaces: Vec<ItemRef>,
    /// The datasets the token covers.
    pub datasets: Vec<DatasetUse>,
}

impl RequestFacts {
    /// Gathers the facts of `request`, judged against `tenant` (none: only what the request
    /// itself says).
    pub fn gather(engine: &Engine, tenant: Option<&Tenant>, request: &TokenRequest) -> Self {
        // The findings of resolving (EG008) are `check`'s; the report takes them from its run.
        let mut unused = Vec::new();
        let ctx = Context::resolve(request, tenant, engine.matrices(), &mut unused);
        let caller_kind = match ctx.caller.and_then(|c| c.data.kind) {
            Some(PrincipalKind::ServicePrincipal) => CallerKind::ServicePrincipal,
            Some(PrincipalKind::MasterUser) => CallerKind::MasterUser,
            None => CallerKind::Unknown,
        };
        let (access_level, rights) = rights(&ctx, tenant);
        let mut facts = RequestFacts {
            name: scrub(&request.name),
            caller: request.caller.get().map(|c| scrub(c)),
            principal: ctx.caller.map(|c| scrub(&c.data.name)),
            caller_kind,
            scenario: request
                .scenario
                .get()
                .map_or("embed_for_customers".to_string(), |s| s.value.to_string()),
            method: request
                .method
                .get()
                .map_or("POST".to_string(), |m| scrub(&m.to_ascii_uppercase())),
            endpoint: request.endpoint_kind().map(|k| k.to_string()),
            target: request.target.get().map(|t| scrub(t)),
            access_level,
            rights,
            lifetime_minutes: request.body.as_ref().and_then(|b| match b {
                Body::V1(v1) => v1.lifetime_in_minutes.get().map(|n| n.text.to_string()),
                Body::V2(v2) => v2.lifetime_in_minutes.get().map(|n| n.text.to_string()),
            }),
            identities: request.body.as_ref().map_or(0, |b| b.identities().len()),
            reports: Vec::new(),
            workspaces: Vec::new(),
            datasets: Vec::new(),
        };
        let Some(tenant) = tenant else {
            return facts;
        };
        for r in &ctx.reports {
            if let Some(data) = tenant.report_data(r.id) {
                facts.reports.push(item(
                    &data.pointer,
                    data.name.as_deref().or(data.id.as_deref()),
                ));
            }
        }
        for w in &ctx.workspaces {
            if let Some(w) = workspace_ref(tenant, w.id) {
                facts.workspaces.push(w);
            }
        }
        for d in &ctx.datasets {
            let Some(data) = tenant.dataset_data(d.id) else {
                continue;
            };
            let covering = ctx.identities_covering(d.id);
            let coverage = match data.rls {
                None => Coverage::Unknown,
                Some(RlsKind::None) => Coverage::NoRls,
                Some(_) if covering.is_empty() => Coverage::Uncovered,
                Some(_) => Coverage::Covered,
            };
            let mut roles: Vec<String> = covering
                .iter()
                .filter_map(|i| i.roles.get())
                .flatten()
                .map(|r| scrub(&r.value))
                .collect();
            roles.sort();
            roles.dedup();
            facts.datasets.push(DatasetUse {
                dataset: item(&data.pointer, data.name.as_deref().or(data.id.as_deref())),
                workspace: tenant
                    .dataset_workspace(d.id)
                    .and_then(|w| workspace_ref(tenant, w))
                    .map(|w| w.name),
                rls: data.rls.map_or("unknown".to_string(), |r| r.to_string()),
                coverage,
                roles,
            });
        }
        facts.reports.sort();
        facts.workspaces.sort();
        facts.datasets.sort_by(|a, b| {
            (&a.dataset.name, &a.dataset.key).cmp(&(&b.dataset.name, &b.dataset.key))
        });
        facts
    }
}

fn item(pointer: &embedguard_core::value::Pointer, name: Option<&str>) -> ItemRef {
    ItemRef {
        key: pointer.to_string(),
        name: scrub(name.unwrap_or(pointer.as_str())),
    }
}

fn workspace_ref(tenant: &Tenant, id: WorkspaceId) -> Option<ItemRef> {
    tenant
        .workspace_data(id)
        .map(|w| item(&w.pointer, w.name.as_deref().or(w.id.as_deref())))
}

/// The strongest access level and the rights the body asks for, one line each.
fn rights(ctx: &Context<'_>, tenant: Option<&Tenant>) -> (String, Vec<String>) {
    let name_of_report = |id: &str| {
        tenant
            .and_then(|t| t.report(id).and_then(|r| t.report_data(r)))
            .and_then(|r| r.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let name_of_dataset = |id: &str| {
        tenant
            .and_then(|t| t.dataset(id).and_then(|d| t.dataset_data(d)))
            .and_then(|d| d.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let name_of_workspace = |id: &str| {
        tenant
            .and_then(|t| t.workspace(id).and_then(|w| t.workspace_data(w)))
            .and_then(|w| w.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let mut lines = Vec::new();
    let level = match ctx.body {
        None => "unknown",
        Some(Body::V1(v1)) => {
            let level = v1.access_level.get().map(|l| l.value);
            match level {
                Some(l) => lines.push(format!("accessLevel {l}")),
                None => lines.push("accessLevel not stated".to_string()),
            }
            if v1.allow_save_as.get() == Some(&true) {
                lines.push("Save As".to_string());
            }
            match level {
                Some(AccessLevel::View) => "View",
                Some(AccessLevel::Edit) => "Edit",
                Some(AccessLevel::Create) => "Create",
                None => "unknown",
            }
        }
        Some(Body::V2(v2)) => {
            let mut edit = false;
            for r in v2.reports.get().into_iter().flatten() {
                let Some(id) = r.id.get() else { continue };
                let allow = r.allow_edit.get() == Some(&true);
                edit |= allow;
                let verb = if allow { "edit" } else { "view" };
                lines.push(format!("{verb} report {}", name_of_report(id)));
            }
            for d in v2.datasets.get().into_iter().flatten() {
                let Some(id) = d.id.get() else { continue };
                let xmla = d.xmla_permissions.get().map(|x| x.value);
                let how = if xmla == Some(XmlaPermissions::ReadOnly) {
                    "dataset (XMLA read-only)"
                } else {
                    "dataset"
                };
                lines.push(format!("{how} {}", name_of_dataset(id)));
            }
            let mut create = false;
            for w in v2.target_workspaces.get().into_iter().flatten() {
                let Some(id) = w.id.get() else { continue };
                create = true;
                lines.push(format!("create in workspace {}", name_of_workspace(id)));
            }
            if create {
                "Create"
            } else if edit {
                "Edit"
            } else {
                "View"
            }
        }
    };
    (
        level.to_string(),
        lines.into_iter().map(|l| scrub(&l)).collect(),
    )
}
