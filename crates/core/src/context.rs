//! One request resolved against the tenant: who calls, which reports, datasets and workspaces the
//! token would cover, and where in the description each of them was named.
//!
//! Resolving happens once per request; the rules then only read this context.

use crate::body::{Body, EffectiveIdentity};
use crate::endpoint::{Endpoint, Route};
use crate::finding::{Finding, Location};
use crate::ids::{is_guid, normalize};
use crate::inventory::{
    DatasetId, Principal, PrincipalId, PrincipalKind, ReportId, ReportType, Tenant, WorkspaceId,
};
use crate::matrix::Matrices;
use crate::read::{Field, Located};
use crate::registry::Rule;
use crate::request::TokenRequest;
use crate::value::Pointer;

/// Something of the tenant, and where the request named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named<T> {
    /// The entity.
    pub id: T,
    /// Where the request names it (the path, or a body entry).
    pub at: Pointer,
}

/// An item of the request and the dataset it is built on, each with its workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// The item's workspace.
    pub item_workspace: WorkspaceId,
    /// The dataset's workspace.
    pub dataset_workspace: WorkspaceId,
    /// Where the request names the item.
    pub at: Pointer,
}

/// The caller, resolved.
#[derive(Debug, Clone, Copy)]
pub struct Caller<'a> {
    /// Its node.
    pub id: PrincipalId,
    /// Its facts.
    pub data: &'a Principal,
    /// Where the request names it.
    pub at: &'a Pointer,
}

impl Caller<'_> {
    /// Whether the caller is known to be a service principal.
    pub fn is_service_principal(&self) -> bool {
        self.data.kind == Some(PrincipalKind::ServicePrincipal)
    }

    /// Whether the caller is known to be a master user.
    pub fn is_master_user(&self) -> bool {
        self.data.kind == Some(PrincipalKind::MasterUser)
    }
}

/// Everything the rules may ask about one request.
#[derive(Debug)]
pub struct Context<'a> {
    /// The request as written.
    pub request: &'a TokenRequest,
    /// The endpoint, when the route is one of the six.
    pub endpoint: Option<&'a Endpoint>,
    /// The typed body, when readable.
    pub body: Option<&'a Body>,
    /// The tenant, when an inventory was given.
    pub tenant: Option<&'a Tenant>,
    /// The seed matrices.
    pub matrices: &'a Matrices,
    /// The caller, when it resolves.
    pub caller: Option<Caller<'a>>,
    /// The reports the token covers.
    pub reports: smallvec::SmallVec<[Named<ReportId>; 2]>,
    /// The datasets of the request (RULES: "the dataset(s) of a request"), each once.
    pub datasets: smallvec::SmallVec<[Named<DatasetId>; 2]>,
    /// The workspaces of the request, each once.
    pub workspaces: smallvec::SmallVec<[Named<WorkspaceId>; 2]>,
    /// Item → dataset pairs, for the same-workspace rule.
    pub bindings: smallvec::SmallVec<[Binding; 2]>,
}

impl<'a> Context<'a> {
    /// Resolves `request` against `tenant`; unresolved references are pushed to `out` (EG008).
    pub fn resolve(
        request: &'a TokenRequest,
        tenant: Option<&'a Tenant>,
        matrices: &'a Matrices,
        out: &mut Vec<Finding>,
    ) -> Context<'a> {
        let endpoint = match &request.route {
            Some(Route::Endpoint { endpoint, .. }) => Some(endpoint),
            _ => None,
        };
        let mut ctx = Context {
            request,
            endpoint,
            body: request.body.as_ref(),
            tenant,
            matrices,
            caller: None,
            reports: smallvec::SmallVec::new(),
            datasets: smallvec::SmallVec::new(),
            workspaces: smallvec::SmallVec::new(),
            bindings: smallvec::SmallVec::new(),
        };
        let Some(tenant) = tenant else { return ctx };
        let mut resolver = Resolver {
            ctx: &mut ctx,
            tenant,
            out,
        };
        resolver.caller();
        resolver.path();
        resolver.body();
        ctx
    }

    /// The identities that cover `dataset`: they list it in `datasets`, or list neither
    /// `datasets` nor `reports` (the 2017 swagger's "if not provided - applies to all datasets"
    /// reading). Such an unscoped identity is EG314's to report; reading it as covering every
    /// dataset of the request, on V1 and V2 alike, keeps the rules that ask "does an identity
    /// cover this dataset?" (EG301, EG302, EG210, EG307) from repeating that one mistake.
    pub fn identities_covering(&self, dataset: DatasetId) -> Vec<&'a EffectiveIdentity> {
        let Some(body) = self.body else {
            return Vec::new();
        };
        body.identities()
            .iter()
            .filter(|identity| match identity.datasets.get() {
                Some(list) => list.iter().any(|d| self.resolves_to(d, dataset)),
                None => !identity.datasets.is_present() && !identity.reports.is_present(),
            })
            .collect()
    }

    /// The entry of `identity.datasets` that names `dataset`, if any.
    pub fn identity_entry_for(
        &self,
        identity: &'a EffectiveIdentity,
        dataset: DatasetId,
    ) -> Option<&'a Located<String>> {
        identity
            .datasets
            .get()?
            .iter()
            .find(|d| self.resolves_to(d, dataset))
    }

    fn resolves_to(&self, reference: &Located<String>, dataset: DatasetId) -> bool {
        self.tenant.and_then(|t| t.dataset(&reference.value)) == Some(dataset)
    }

    /// Where "no identity covers this" points: `identities` if present, else the body.
    pub fn identities_or_body(&self) -> Pointer {
        match self.body.map(Body::identities_field) {
            Some(f) if f.is_present() => f
                .pointer()
                .cloned()
                .unwrap_or_else(|| self.request.body_or_request()),
            _ => self.request.body_or_request(),
        }
    }

    /// Whether the request covers a paginated report.
    pub fn paginated_reports(&self) -> impl Iterator<Item = &Named<ReportId>> {
        self.reports.iter().filter(|r| {
            self.tenant
                .and_then(|t| t.report_data(r.id))
                .is_some_and(|d| d.kind == ReportType::Paginated)
        })
    }

    /// Where the request names its endpoint (the `path` or `url` value).
    pub fn path_pointer(&self) -> Pointer {
        self.request
            .target
            .pointer()
            .cloned()
            .unwrap_or_else(|| self.request.pointer.clone())
    }
}

struct Resolver<'c, 'a, 'o> {
    ctx: &'c mut Context<'a>,
    tenant: &'a Tenant,
    out: &'o mut Vec<Finding>,
}

impl<'a> Resolver<'_, 'a, '_> {
    fn unresolved(&mut self, at: &Pointer, what: &str, reference: &str, help: String) {
        self.out.push(
            Finding::new(
                Rule::UnresolvedReference,
                Location::request(at.clone()),
                format!("no {what} `{reference}` in the inventory"),
            )
            .help(help)
            .arg("kind", what)
            .arg("reference", reference),
        );
    }

    fn caller(&mut self) {
        let request = self.ctx.request;
        let Field::Present(caller) = &request.caller else {
            return;
        };
        match self.tenant.principal(&caller.value) {
            Some(id) => {
                if let Some(data) = self.tenant.principal_data(id) {
                    self.ctx.caller = Some(Caller {
                        id,
                        data,
                        at: &caller.pointer,
                    });
                }
            }
            None => {
                let names: Vec<&str> = self
                    .tenant
                    .inventory()
                    .principals
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect();
                let help = match crate::read::nearest(&caller.value, names.iter().copied()) {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => "declare the principal under `principals` in the inventory".into(),
                };
                self.unresolved(&caller.pointer, "principal", &caller.value, help);
            }
        }
    }

    fn add_workspace(&mut self, id: WorkspaceId, at: &Pointer) {
        if !self.ctx.workspaces.iter().any(|w| w.id == id) {
            self.ctx.workspaces.push(Named { id, at: at.clone() });
        }
    }

    fn add_dataset(&mut self, id: DatasetId, at: &Pointer) {
        if !self.ctx.datasets.iter().any(|d| d.id == id) {
            self.ctx.datasets.push(Named { id, at: at.clone() });
        }
        if let Some(ws) = self.tenant.dataset_workspace(id) {
            self.add_workspace(ws, at);
        }
    }

    fn add_report(&mut self, id: ReportId, at: &Pointer) {
        if self.ctx.reports.iter().any(|r| r.id == id) {
            return;
        }
        self.ctx.reports.push(Named { id, at: at.clone() });
        let ws = self.tenant.report_workspace(id);
        if let Some(ws) = ws {
            self.add_workspace(ws, at);
        }
        if let Some(ds) = self.tenant.report_dataset(id) {
            self.add_dataset(ds, at);
            self.bind(ws, ds, at);
        }
    }

    fn bind(&mut self, item_workspace: Option<WorkspaceId>, dataset: DatasetId, at: &Pointer) {
        if let (Some(item_workspace), Some(dataset_workspace)) =
            (item_workspace, self.tenant.dataset_workspace(dataset))
        {
            self.ctx.bindings.push(Binding {
                item_workspace,
                dataset_workspace,
                at: at.clone(),
            });
        }
    }

    /// A wire id that is a GUID (hence no placeholder: a GUID has no `$` and no `{{`); others
    /// are EG006's business.
    fn wire_id(value: &str) -> bool {
        is_guid(value)
    }

    fn path(&mut self) {
        let Some(endpoint) = self.ctx.endpoint else {
            return;
        };
        let at = self.ctx.path_pointer();
        let Some(group_ref) = endpoint.group() else {
            return;
        };
        if !Self::wire_id(group_ref) {
            return;
        }
        let Some(group) = self.tenant.workspace(group_ref) else {
            self.unresolved(
                &at,
                "workspace",
                group_ref,
                "the path's `groups/{id}` must be a workspace of the inventory".into(),
            );
            return;
        };
        self.add_workspace(group, &at);
        let in_group = |ws: Option<WorkspaceId>| ws.is_none() || ws == Some(group);
        match endpoint {
            Endpoint::Report { report, .. } if Self::wire_id(report) => match self.tenant.report(report) {
                Some(r) if in_group(self.tenant.report_workspace(r)) => self.add_report(r, &at),
                Some(_) => self.unresolved(&at, "report", report, format!("the report is not in workspace `{group_ref}`; use its own workspace in the path")),
                None => self.unresolved(&at, "report", report, "declare the report under `reports` in the inventory".into()),
            },
            Endpoint::Dataset { dataset, .. } if Self::wire_id(dataset) => match self.tenant.dataset(dataset) {
                Some(d) if in_group(self.tenant.dataset_workspace(d)) => self.add_dataset(d, &at),
                Some(_) => self.unresolved(&at, "dataset", dataset, format!("the dataset is not in workspace `{group_ref}`; use its own workspace in the path")),
                None => self.unresolved(&at, "dataset", dataset, "declare the dataset under `datasets` in the inventory".into()),
            },
            Endpoint::Dashboard { dashboard, .. } | Endpoint::Tile { dashboard, .. } if Self::wire_id(dashboard) => {
                let Some(db) = self.tenant.dashboard(dashboard) else {
                    self.unresolved(&at, "dashboard", dashboard, "declare the dashboard under `dashboards` in the inventory".into());
                    return;
                };
                let db_ws = self.tenant.dashboard_workspace(db);
                if !in_group(db_ws) {
                    self.unresolved(&at, "dashboard", dashboard, format!("the dashboard is not in workspace `{group_ref}`"));
                    return;
                }
                let tiles = match endpoint {
                    Endpoint::Tile { tile, .. } if Self::wire_id(tile) => match self.tenant.tile(db, tile) {
                        Some(t) => vec![t],
                        None => {
                            self.unresolved(&at, "tile", tile, "declare the tile under the dashboard's `tiles`".into());
                            return;
                        }
                    },
                    Endpoint::Tile { .. } => return,
                    _ => self.tenant.dashboard_tiles(db),
                };
                for t in tiles {
                    if let Some(ds) = self.tenant.tile_dataset(t) {
                        self.add_dataset(ds, &at);
                        self.bind(db_ws, ds, &at);
                    }
                }
            }
            _ => {}
        }
    }

    fn body(&mut self) {
        let Some(body) = self.ctx.body else { return };
        match body {
            Body::V1(v1) => {
                if let (Some(Endpoint::Create { group }), Some(ds)) =
                    (self.ctx.endpoint, v1.dataset_id.located())
                {
                    if let Some(d) = self.dataset_ref(ds) {
                        self.add_dataset(d, &ds.pointer);
                        let group = self.tenant.workspace(group);
                        self.bind(group, d, &ds.pointer);
                    }
                }
            }
            Body::V2(v2) => {
                for entry in v2.reports.get().into_iter().flatten() {
                    if let Some(id) = entry.id.located() {
                        if Self::wire_id(&id.value) {
                            match self.tenant.report(&id.value) {
                                Some(r) => self.add_report(r, &id.pointer),
                                // A dashboard or tile asked for through V2 is EG107.
                                None if self.is_dashboard_or_tile(&id.value) => {}
                                None => self.unresolved(
                                    &id.pointer,
                                    "report",
                                    &id.value,
                                    "declare the report under `reports` in the inventory".into(),
                                ),
                            }
                        }
                    }
                }
                for entry in v2.datasets.get().into_iter().flatten() {
                    if let Some(id) = entry.id.located() {
                        if self.tenant.dataset(&id.value).is_none()
                            && self.is_dashboard_or_tile(&id.value)
                        {
                            continue;
                        }
                        if let Some(d) = self.dataset_ref(id) {
                            self.add_dataset(d, &id.pointer);
                        }
                    }
                }
                for entry in v2.target_workspaces.get().into_iter().flatten() {
                    if let Some(id) = entry.id.located() {
                        if Self::wire_id(&id.value) {
                            match self.tenant.workspace(&id.value) {
                                Some(w) => self.add_workspace(w, &id.pointer),
                                None => self.unresolved(
                                    &id.pointer,
                                    "workspace",
                                    &id.value,
                                    "declare the workspace under `workspaces` in the inventory"
                                        .into(),
                                ),
                            }
                        }
                    }
                }
            }
        }
        for identity in body.identities() {
            for entry in identity.datasets.get().into_iter().flatten() {
                // A paginated report written where datasets go is EG323 (rdl-identity-shape).
                if self
                    .tenant
                    .paginated_report_not_dataset(&entry.value)
                    .is_none()
                {
                    self.dataset_ref(entry);
                }
            }
            for entry in identity.reports.get().into_iter().flatten() {
                if Self::wire_id(&entry.value) && self.tenant.report(&entry.value).is_none() {
                    self.unresolved(
                        &entry.pointer,
                        "report",
                        &entry.value,
                        "declare the report under `reports` in the inventory".into(),
                    );
                }
            }
        }
    }

    fn is_dashboard_or_tile(&self, reference: &str) -> bool {
        self.tenant.dashboard(reference).is_some() || self.tenant.tile_anywhere(reference).is_some()
    }

    fn dataset_ref(&mut self, reference: &Located<String>) -> Option<DatasetId> {
        if !Self::wire_id(&reference.value) {
            return None;
        }
        let found = self.tenant.dataset(&normalize(&reference.value));
        if found.is_none() {
            self.unresolved(
                &reference.pointer,
                "dataset",
                &reference.value,
                "declare the dataset under `datasets` in the inventory".into(),
            );
        }
        found
    }
}
