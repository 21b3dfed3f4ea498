//! The tenant as the report shows it: workspaces by type and capacity, who holds which role,
//! datasets by row-level security; [`crate::model::Report::build`] adds which requests touch
//! each.

use embedguard_core::inventory::{Capacity, Tenant};
use serde::Serialize;

use crate::mask::scrub;

/// A request, named where the tenant view lists it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RequestRef {
    /// The description file.
    pub file: String,
    /// The request's label.
    pub name: String,
    /// The request's anchor in the report (`request-12`).
    pub anchor: String,
}

/// A principal of the tenant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PrincipalView {
    /// `name`.
    pub name: String,
    /// `service principal`, `master user`, or `unknown`.
    pub kind: String,
}

/// Who holds a role in a workspace.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Member {
    /// The principal as `users` names it.
    pub principal: String,
    /// `Admin`, `Member`, `Contributor`, `Viewer`, or `unknown`.
    pub role: String,
}

/// A workspace of the tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkspaceView {
    /// Its place in the inventory: how requests refer to it.
    #[serde(skip)]
    pub key: String,
    /// `id`, when given.
    pub id: Option<String>,
    /// `name`, or the id.
    pub name: String,
    /// `new`, `classic`, `personal`, or `unknown`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The capacity SKU, `PPU`, `shared`, or `unknown`.
    pub capacity: String,
    /// Its `users`, sorted; `None` when the inventory does not list them.
    pub users: Option<Vec<Member>>,
    /// The requests that reach it.
    pub requests: Vec<RequestRef>,
}

/// A dataset of the tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatasetView {
    /// Its place in the inventory: how requests refer to it.
    #[serde(skip)]
    pub key: String,
    /// `id`, when given.
    pub id: Option<String>,
    /// `name`, or the id.
    pub name: String,
    /// Its workspace as written.
    pub workspace: Option<String>,
    /// `rls`, or `unknown`.
    pub rls: String,
    /// The RLS roles of the model; `None` when unknown.
    pub roles: Option<Vec<String>>,
    /// The requests whose token covers it.
    pub requests: Vec<RequestRef>,
}

/// How many entities share one value (a workspace type and capacity, an RLS type).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Count {
    /// The value.
    pub value: String,
    /// How many.
    pub count: usize,
}

/// One tenant: an inventory file, or a description's inline `tenant:`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TenantView {
    /// Where it is declared (the inventory file, or `file (inline tenant)`).
    pub label: String,
    /// Its principals, sorted by name.
    pub principals: Vec<PrincipalView>,
    /// Its workspaces, sorted by name.
    pub workspaces: Vec<WorkspaceView>,
    /// Workspaces by `type / capacity`.
    pub workspaces_by_type: Vec<Count>,
    /// Its datasets, sorted by name.
    pub datasets: Vec<DatasetView>,
    /// Datasets by `rls`.
    pub datasets_by_rls: Vec<Count>,
}

impl TenantView {
    /// The view of `tenant`, declared at `label`.
    pub fn of(label: &str, tenant: &Tenant) -> TenantView {
        let inventory = tenant.inventory();
        let mut principals: Vec<PrincipalView> = inventory
            .principals
            .iter()
            .map(|p| PrincipalView {
                name: scrub(&p.name),
                kind: p.kind.map_or("unknown".into(), |k| k.to_string()),
            })
            .collect();
        principals.sort();
        let mut workspaces: Vec<WorkspaceView> = inventory
            .workspaces
            .iter()
            .map(|w| {
                let users = w.users.as_ref().map(|users| {
                    let mut members: Vec<Member> = users
                        .iter()
                        .map(|(p, role)| Member {
                            principal: scrub(&p.value),
                            role: role.map_or("unknown".into(), |r| r.to_string()),
                        })
                        .collect();
                    members.sort();
                    members
                });
                WorkspaceView {
                    key: w.pointer.to_string(),
                    id: w.id.as_deref().map(scrub),
                    name: scrub(w.name.as_deref().or(w.id.as_deref()).unwrap_or("?")),
                    kind: w.kind.map_or("unknown".into(), |k| k.to_string()),
                    capacity: match &w.capacity {
                        Some(Capacity::Dedicated(sku)) => sku.clone(),
                        Some(Capacity::Ppu) => "PPU".into(),
                        Some(Capacity::Shared) => "shared".into(),
                        None => "unknown".into(),
                    },
                    users,
                    requests: Vec::new(),
                }
            })
            .collect();
        workspaces.sort_by(|a, b| (&a.name, &a.id, &a.key).cmp(&(&b.name, &b.id, &b.key)));
        let mut datasets: Vec<DatasetView> = inventory
            .datasets
            .iter()
            .map(|d| {
                let mut roles = d.roles.clone();
                if let Some(roles) = &mut roles {
                    roles.iter_mut().for_each(|r| *r = scrub(r));
                    roles.sort();
                }
                DatasetView {
                    key: d.pointer.to_string(),
                    id: d.id.as_deref().map(scrub),
                    name: scrub(d.name.as_deref().or(d.id.as_deref()).unwrap_or("?")),
                    workspace: d.workspace.as_ref().map(|w| {
                        let name = tenant
                            .workspace(&w.value)
                            .and_then(|id| tenant.workspace_data(id))
                            .and_then(|data| data.name.clone());
                        scrub(name.as_deref().unwrap_or(&w.value))
                    }),
                    rls: d.rls.map_or("unknown".into(), |r| r.to_string()),
                    roles,
                    requests: Vec::new(),
                }
            })
            .collect();
        datasets.sort_by(|a, b| (&a.name, &a.id, &a.key).cmp(&(&b.name, &b.id, &b.key)));
        let workspaces_by_type = count(
            workspaces
                .iter()
                .map(|w| format!("{} / {}", w.kind, w.capacity)),
        );
        let datasets_by_rls = count(datasets.iter().map(|d| d.rls.clone()));
        TenantView {
            label: label.to_string(),
            principals,
            workspaces,
            workspaces_by_type,
            datasets,
            datasets_by_rls,
        }
    }
}

/// How often each value occurs, sorted by value.
fn count(values: impl Iterator<Item = String>) -> Vec<Count> {
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(value, count)| Count { value, count })
        .collect()
}
