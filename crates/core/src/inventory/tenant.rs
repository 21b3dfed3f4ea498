//! The inventory as a graph: principals, workspaces, datasets, reports, dashboards, tiles and
//! gateways are nodes; "has role in", "lives in", "uses", "served by" are edges.
//!
//! References are resolved once, when the graph is built (EG008 for those that do not resolve);
//! afterwards every lookup is a hash-map hit or an edge walk from one node.

use std::collections::{HashMap, HashSet};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use super::model::{
    Dashboard, Dataset, Inventory, Principal, Report, ReportType, Tile, Workspace, WorkspaceRole,
};
use crate::finding::{Finding, Location};
use crate::ids::{normalize, parse_guid};
use crate::read::Located;
use crate::registry::Rule;

/// A node of the tenant graph; the index points into the [`Inventory`] vectors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// `principals[i]`
    Principal(usize),
    /// `workspaces[i]`
    Workspace(usize),
    /// `datasets[i]`
    Dataset(usize),
    /// `reports[i]`
    Report(usize),
    /// `dashboards[i]`
    Dashboard(usize),
    /// `dashboards[i].tiles[j]`
    Tile(usize, usize),
    /// A gateway, known only by its id.
    Gateway(String),
}

/// A relation between two nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// principal → workspace, with the role (`None` when the role was invalid).
    Role(Option<WorkspaceRole>),
    /// dataset / report / dashboard → workspace
    InWorkspace,
    /// report → dataset
    UsesDataset,
    /// dashboard → tile
    HasTile,
    /// tile → dataset
    TileDataset,
    /// tile → report
    TileReport,
    /// dataset → gateway
    ServedBy,
    /// dataset → dataset it queries in DirectQuery
    DirectQueryTo,
    /// report → paginated report shown in a visual
    PaginatedVisual,
    /// principal → gateway it administers
    GatewayAdmin,
    /// principal → dataset whose data source it may impersonate on
    ReadOverride,
}

macro_rules! handle {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(NodeIndex);
    };
}
handle!(
    /// A principal of the tenant.
    PrincipalId
);
handle!(
    /// A workspace of the tenant.
    WorkspaceId
);
handle!(
    /// A dataset of the tenant.
    DatasetId
);
handle!(
    /// A report of the tenant.
    ReportId
);
handle!(
    /// A dashboard of the tenant.
    DashboardId
);
handle!(
    /// A tile of a dashboard.
    TileId
);

/// What the inventory says about a principal's role in a workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleFact {
    /// The workspace's `users` are not known.
    Unknown,
    /// `users` is known and does not list the principal.
    NotListed,
    /// The principal's role.
    Role(WorkspaceRole),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Principal,
    Workspace,
    Dataset,
    Report,
    Dashboard,
    Gateway,
}

impl Kind {
    const COUNT: usize = 6;
}

/// A seeded hasher several times cheaper than the standard SipHash on these short keys; lookups
/// are every request's hot path, and the keys come from the inventory, not from requests.
type FastState = foldhash::fast::RandomState;

/// One kind's lookup table: GUIDs by their 128 bits (so case and braces need no normalising on
/// the hot path), anything else by its trimmed text. Agrees with [`normalize`]: two references
/// find the same entry exactly when they normalise alike.
#[derive(Debug, Clone, Default)]
struct Lookup {
    guids: HashMap<u128, NodeIndex, FastState>,
    names: HashMap<String, NodeIndex, FastState>,
}

impl Lookup {
    fn get(&self, reference: &str) -> Option<NodeIndex> {
        let t = reference.trim();
        match parse_guid(t) {
            Some(bits) => self.guids.get(&bits).copied(),
            None => self.names.get(t).copied(),
        }
    }

    /// Adds `reference` unless it is already taken (the first entity of a name wins).
    fn add(&mut self, reference: &str, ix: NodeIndex) {
        let t = reference.trim();
        match parse_guid(t) {
            Some(bits) => self.guids.entry(bits).or_insert(ix),
            None => self.names.entry(t.to_string()).or_insert(ix),
        };
    }
}

/// The resolved tenant: the inventory plus its graph and lookup indexes.
#[derive(Debug, Clone, Default)]
pub struct Tenant {
    inventory: Inventory,
    graph: DiGraph<Node, Edge>,
    /// Per kind (by its discriminant): id or name → node.
    index: [Lookup; Kind::COUNT],
    nodes: EntityNodes,
    /// The principals that administer at least one gateway.
    gateway_admins: HashSet<NodeIndex>,
}

/// The node of every inventory entity, by its position in the inventory.
#[derive(Debug, Clone, Default)]
struct EntityNodes {
    workspaces: Vec<NodeIndex>,
    datasets: Vec<NodeIndex>,
    reports: Vec<NodeIndex>,
    dashboards: Vec<NodeIndex>,
}

impl Tenant {
    /// Builds the graph; references that do not resolve are returned as EG008 findings.
    pub fn build(inventory: Inventory) -> (Tenant, Vec<Finding>) {
        let mut t = Tenant {
            inventory,
            graph: DiGraph::new(),
            index: Default::default(),
            nodes: EntityNodes::default(),
            gateway_admins: HashSet::new(),
        };
        let mut findings = Vec::new();
        t.add_nodes();
        t.add_edges(&mut findings);
        (t, findings)
    }

    /// The inventory as written.
    pub fn inventory(&self) -> &Inventory {
        &self.inventory
    }

    /// The inventory, to set in place a fact it leaves unknown and unset it again
    /// ([`crate::skips`]). Only facts no edge is built from may change through it: a
    /// principal's `kind`, `license`, `scopes`, `api_permissions`, an empty `permissions`; a
    /// workspace's `type` and `capacity`; a dataset's `rls`, `roles` and `connection`. A
    /// workspace's `users` go through [`Tenant::assume_users`].
    pub(crate) fn inventory_mut(&mut self) -> &mut Inventory {
        &mut self.inventory
    }

    /// Sets the unknown `users` of `workspaces[index]` to `user` alone (or to nobody), with its
    /// role edge; returns the edge to remove when the assumption is withdrawn.
    pub(crate) fn assume_users(
        &mut self,
        index: usize,
        user: Option<(&Located<String>, WorkspaceRole)>,
    ) -> Option<petgraph::graph::EdgeIndex> {
        let ws = *self.nodes.workspaces.get(index)?;
        let workspace = self.inventory.workspaces.get_mut(index)?;
        workspace.users = Some(
            user.iter()
                .map(|(listed, role)| ((*listed).clone(), Some(*role)))
                .collect(),
        );
        let (listed, role) = user?;
        let principal = self.find(Kind::Principal, &listed.value)?;
        Some(self.graph.add_edge(principal, ws, Edge::Role(Some(role))))
    }

    /// How many edges the graph has (for tests that check an assumption left none behind).
    #[cfg(test)]
    pub(crate) fn graph_edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Withdraws [`Tenant::assume_users`]: the workspace's `users` are unknown again.
    pub(crate) fn withdraw_users(
        &mut self,
        index: usize,
        edge: Option<petgraph::graph::EdgeIndex>,
    ) {
        if let Some(edge) = edge {
            self.graph.remove_edge(edge);
        }
        if let Some(workspace) = self.inventory.workspaces.get_mut(index) {
            workspace.users = None;
        }
    }

    fn add_nodes(&mut self) {
        let inv = &self.inventory;
        let index = &mut self.index;
        let mut add = |graph: &mut DiGraph<Node, Edge>,
                       kind: Kind,
                       node: Node,
                       keys: [Option<&String>; 3]| {
            let ix = graph.add_node(node);
            for key in keys.into_iter().flatten() {
                index[kind as usize].add(key, ix);
            }
            ix
        };
        for (i, p) in inv.principals.iter().enumerate() {
            add(
                &mut self.graph,
                Kind::Principal,
                Node::Principal(i),
                [Some(&p.name), p.object_id.as_ref(), None],
            );
        }
        for (i, w) in inv.workspaces.iter().enumerate() {
            let ix = add(
                &mut self.graph,
                Kind::Workspace,
                Node::Workspace(i),
                [w.id.as_ref(), w.name.as_ref(), None],
            );
            self.nodes.workspaces.push(ix);
        }
        for (i, d) in inv.datasets.iter().enumerate() {
            let ix = add(
                &mut self.graph,
                Kind::Dataset,
                Node::Dataset(i),
                [d.id.as_ref(), d.name.as_ref(), None],
            );
            self.nodes.datasets.push(ix);
        }
        for (i, r) in inv.reports.iter().enumerate() {
            let ix = add(
                &mut self.graph,
                Kind::Report,
                Node::Report(i),
                [r.id.as_ref(), r.name.as_ref(), None],
            );
            self.nodes.reports.push(ix);
        }
        for (i, d) in inv.dashboards.iter().enumerate() {
            let ix = add(
                &mut self.graph,
                Kind::Dashboard,
                Node::Dashboard(i),
                [d.id.as_ref(), d.name.as_ref(), None],
            );
            self.nodes.dashboards.push(ix);
        }
    }

    fn add_edges(&mut self, findings: &mut Vec<Finding>) {
        // Resolving only reads the lookup index, so the inventory can be moved out meanwhile
        // instead of copied.
        let inv = std::mem::take(&mut self.inventory);
        let mut edges: Vec<(NodeIndex, NodeIndex, Edge)> = Vec::new();
        for (i, p) in inv.principals.iter().enumerate() {
            let Some(from) = self.find(Kind::Principal, &p.name) else {
                continue;
            };
            if self.graph[from] != Node::Principal(i) {
                continue; // a second principal of the same name: the first one wins
            }
            if let Some(perms) = &p.permissions {
                for g in &perms.gateway_admin {
                    let gw = self.gateway(&g.value);
                    edges.push((from, gw, Edge::GatewayAdmin));
                    self.gateway_admins.insert(from);
                }
                for d in &perms.read_override_effective_identity {
                    link(
                        self,
                        &mut edges,
                        from,
                        Kind::Dataset,
                        "dataset",
                        d,
                        Edge::ReadOverride,
                        findings,
                    );
                }
            }
        }
        for (i, w) in inv.workspaces.iter().enumerate() {
            let ws = self.nodes.workspaces[i];
            for (user, role) in w.users.iter().flatten() {
                match self.find(Kind::Principal, &user.value) {
                    Some(p) => edges.push((p, ws, Edge::Role(*role))),
                    None => findings.push(unresolved(user, "principal").pointing_at_key()),
                }
            }
        }
        for (i, d) in inv.datasets.iter().enumerate() {
            let ds = self.nodes.datasets[i];
            if let Some(w) = &d.workspace {
                link(
                    self,
                    &mut edges,
                    ds,
                    Kind::Workspace,
                    "workspace",
                    w,
                    Edge::InWorkspace,
                    findings,
                );
            }
            if let Some(g) = &d.gateway {
                let gw = self.gateway(g);
                edges.push((ds, gw, Edge::ServedBy));
            }
            for other in &d.directquery_to {
                link(
                    self,
                    &mut edges,
                    ds,
                    Kind::Dataset,
                    "dataset",
                    other,
                    Edge::DirectQueryTo,
                    findings,
                );
            }
        }
        for (i, r) in inv.reports.iter().enumerate() {
            let rp = self.nodes.reports[i];
            if let Some(w) = &r.workspace {
                link(
                    self,
                    &mut edges,
                    rp,
                    Kind::Workspace,
                    "workspace",
                    w,
                    Edge::InWorkspace,
                    findings,
                );
            }
            if let Some(d) = &r.dataset {
                link(
                    self,
                    &mut edges,
                    rp,
                    Kind::Dataset,
                    "dataset",
                    d,
                    Edge::UsesDataset,
                    findings,
                );
            }
            for v in &r.paginated_visuals {
                link(
                    self,
                    &mut edges,
                    rp,
                    Kind::Report,
                    "report",
                    v,
                    Edge::PaginatedVisual,
                    findings,
                );
            }
        }
        for (i, db) in inv.dashboards.iter().enumerate() {
            let dn = self.nodes.dashboards[i];
            if let Some(w) = &db.workspace {
                link(
                    self,
                    &mut edges,
                    dn,
                    Kind::Workspace,
                    "workspace",
                    w,
                    Edge::InWorkspace,
                    findings,
                );
            }
            for (j, tile) in db.tiles.iter().enumerate() {
                let tn = self.graph.add_node(Node::Tile(i, j));
                edges.push((dn, tn, Edge::HasTile));
                if let Some(d) = &tile.dataset {
                    link(
                        self,
                        &mut edges,
                        tn,
                        Kind::Dataset,
                        "dataset",
                        d,
                        Edge::TileDataset,
                        findings,
                    );
                }
                if let Some(r) = &tile.report {
                    link(
                        self,
                        &mut edges,
                        tn,
                        Kind::Report,
                        "report",
                        r,
                        Edge::TileReport,
                        findings,
                    );
                }
            }
        }
        for (a, b, e) in edges {
            self.graph.add_edge(a, b, e);
        }
        self.inventory = inv;
    }

    fn gateway(&mut self, id: &str) -> NodeIndex {
        if let Some(ix) = self.find(Kind::Gateway, id) {
            return ix;
        }
        let ix = self.graph.add_node(Node::Gateway(normalize(id)));
        self.index[Kind::Gateway as usize].add(id, ix);
        ix
    }

    fn find(&self, kind: Kind, reference: &str) -> Option<NodeIndex> {
        self.index[kind as usize].get(reference)
    }

    /// The edges from `from` to `to`, newest first, walked from `to`'s side. A principal has an
    /// edge to every workspace it is a user of — tens of thousands for the service principal of
    /// a multi-tenant app — while a workspace, dataset or gateway has a handful of incoming ones,
    /// so this keeps per-request lookups flat as the tenant grows (petgraph's
    /// `edges_connecting` walks every outgoing edge of `from`).
    fn edges_between(
        &self,
        from: NodeIndex,
        to: NodeIndex,
    ) -> impl Iterator<Item = petgraph::graph::EdgeReference<'_, Edge>> {
        self.graph
            .edges_directed(to, Direction::Incoming)
            .filter(move |e| e.source() == from)
    }

    fn target(&self, from: NodeIndex, edge: Edge) -> Option<NodeIndex> {
        self.graph
            .edges_directed(from, Direction::Outgoing)
            .find(|e| *e.weight() == edge)
            .map(|e| e.target())
    }

    /// Every target of `edge` from `from`, in the order the edges were added (petgraph lists a
    /// node's outgoing edges newest first), each once.
    fn targets(&self, from: NodeIndex, edge: Edge) -> Vec<NodeIndex> {
        let mut out: Vec<NodeIndex> = Vec::new();
        let mut all: Vec<_> = self
            .graph
            .edges_directed(from, Direction::Outgoing)
            .filter(|e| *e.weight() == edge)
            .collect();
        all.sort_by_key(|e| e.id());
        for e in all {
            if !out.contains(&e.target()) {
                out.push(e.target());
            }
        }
        out
    }

    /// A principal by name or object id.
    pub fn principal(&self, reference: &str) -> Option<PrincipalId> {
        self.find(Kind::Principal, reference).map(PrincipalId)
    }

    /// A workspace by id or name.
    pub fn workspace(&self, reference: &str) -> Option<WorkspaceId> {
        self.find(Kind::Workspace, reference).map(WorkspaceId)
    }

    /// A dataset by id or name.
    pub fn dataset(&self, reference: &str) -> Option<DatasetId> {
        self.find(Kind::Dataset, reference).map(DatasetId)
    }

    /// A report by id or name.
    pub fn report(&self, reference: &str) -> Option<ReportId> {
        self.find(Kind::Report, reference).map(ReportId)
    }

    /// The paginated report `reference` names, when it names no dataset (an identity that lists
    /// a paginated report under `datasets`, EG323).
    pub fn paginated_report_not_dataset(&self, reference: &str) -> Option<ReportId> {
        if self.dataset(reference).is_some() {
            return None;
        }
        self.report(reference).filter(|r| {
            self.report_data(*r)
                .is_some_and(|d| d.kind == ReportType::Paginated)
        })
    }

    /// A dashboard by id or name.
    pub fn dashboard(&self, reference: &str) -> Option<DashboardId> {
        self.find(Kind::Dashboard, reference).map(DashboardId)
    }

    /// A tile of `dashboard` by id.
    pub fn tile(&self, dashboard: DashboardId, reference: &str) -> Option<TileId> {
        let want = normalize(reference);
        self.graph
            .edges_directed(dashboard.0, Direction::Outgoing)
            .filter(|e| *e.weight() == Edge::HasTile)
            .map(|e| e.target())
            .find(|t| {
                self.tile_data(TileId(*t))
                    .and_then(|tile| tile.id.as_deref())
                    .map(normalize)
                    == Some(want.clone())
            })
            .map(TileId)
    }

    /// A tile of any dashboard by id, with its dashboard (tiles are looked up by walking the
    /// dashboards: only a request naming a tile where a report belongs needs this).
    pub fn tile_anywhere(&self, reference: &str) -> Option<(DashboardId, TileId)> {
        self.nodes.dashboards.iter().find_map(|&d| {
            let d = DashboardId(d);
            self.tile(d, reference).map(|t| (d, t))
        })
    }

    /// The principal's facts.
    pub fn principal_data(&self, id: PrincipalId) -> Option<&Principal> {
        match self.graph[id.0] {
            Node::Principal(i) => self.inventory.principals.get(i),
            _ => None,
        }
    }

    /// Where a principal sits in the inventory: `principals[i]`.
    pub(crate) fn principal_index(&self, id: PrincipalId) -> Option<usize> {
        match self.graph[id.0] {
            Node::Principal(i) => Some(i),
            _ => None,
        }
    }

    /// Where a workspace sits in the inventory: `workspaces[i]`.
    pub(crate) fn workspace_index(&self, id: WorkspaceId) -> Option<usize> {
        match self.graph[id.0] {
            Node::Workspace(i) => Some(i),
            _ => None,
        }
    }

    /// Where a dataset sits in the inventory: `datasets[i]`.
    pub(crate) fn dataset_index(&self, id: DatasetId) -> Option<usize> {
        match self.graph[id.0] {
            Node::Dataset(i) => Some(i),
            _ => None,
        }
    }

    /// The workspace's facts.
    pub fn workspace_data(&self, id: WorkspaceId) -> Option<&Workspace> {
        match self.graph[id.0] {
            Node::Workspace(i) => self.inventory.workspaces.get(i),
            _ => None,
        }
    }

    /// The dataset's facts.
    pub fn dataset_data(&self, id: DatasetId) -> Option<&Dataset> {
        match self.graph[id.0] {
            Node::Dataset(i) => self.inventory.datasets.get(i),
            _ => None,
        }
    }

    /// The report's facts.
    pub fn report_data(&self, id: ReportId) -> Option<&Report> {
        match self.graph[id.0] {
            Node::Report(i) => self.inventory.reports.get(i),
            _ => None,
        }
    }

    /// The dashboard's facts.
    pub fn dashboard_data(&self, id: DashboardId) -> Option<&Dashboard> {
        match self.graph[id.0] {
            Node::Dashboard(i) => self.inventory.dashboards.get(i),
            _ => None,
        }
    }

    /// The tile's facts.
    pub fn tile_data(&self, id: TileId) -> Option<&Tile> {
        match self.graph[id.0] {
            Node::Tile(i, j) => self.inventory.dashboards.get(i)?.tiles.get(j),
            _ => None,
        }
    }

    /// The workspace a dataset lives in.
    pub fn dataset_workspace(&self, id: DatasetId) -> Option<WorkspaceId> {
        self.target(id.0, Edge::InWorkspace).map(WorkspaceId)
    }

    /// The workspace a report lives in.
    pub fn report_workspace(&self, id: ReportId) -> Option<WorkspaceId> {
        self.target(id.0, Edge::InWorkspace).map(WorkspaceId)
    }

    /// The workspace a dashboard lives in.
    pub fn dashboard_workspace(&self, id: DashboardId) -> Option<WorkspaceId> {
        self.target(id.0, Edge::InWorkspace).map(WorkspaceId)
    }

    /// The dataset a report is built on.
    pub fn report_dataset(&self, id: ReportId) -> Option<DatasetId> {
        self.target(id.0, Edge::UsesDataset).map(DatasetId)
    }

    /// The datasets a composite model queries in DirectQuery (`directquery_to`), in inventory
    /// order.
    pub fn dataset_directquery_to(&self, id: DatasetId) -> Vec<DatasetId> {
        self.targets(id.0, Edge::DirectQueryTo)
            .into_iter()
            .map(DatasetId)
            .collect()
    }

    /// The paginated reports shown in paginated visuals of a report (`paginated_visuals`), in
    /// inventory order.
    pub fn report_paginated_visuals(&self, id: ReportId) -> Vec<ReportId> {
        self.targets(id.0, Edge::PaginatedVisual)
            .into_iter()
            .map(ReportId)
            .collect()
    }

    /// The tiles of a dashboard.
    pub fn dashboard_tiles(&self, id: DashboardId) -> Vec<TileId> {
        let mut tiles: Vec<TileId> = self
            .graph
            .edges_directed(id.0, Direction::Outgoing)
            .filter(|e| *e.weight() == Edge::HasTile)
            .map(|e| TileId(e.target()))
            .collect();
        tiles.sort();
        tiles
    }

    /// The dataset a tile shows.
    pub fn tile_dataset(&self, id: TileId) -> Option<DatasetId> {
        self.target(id.0, Edge::TileDataset).map(DatasetId)
    }

    /// What the inventory says about `principal`'s role in `workspace`.
    pub fn role(&self, principal: PrincipalId, workspace: WorkspaceId) -> RoleFact {
        if self
            .workspace_data(workspace)
            .is_none_or(|w| w.users.is_none())
        {
            return RoleFact::Unknown;
        }
        let role = self
            .edges_between(principal.0, workspace.0)
            .find_map(|e| match e.weight() {
                Edge::Role(r) => Some(*r),
                _ => None,
            });
        match role {
            None => RoleFact::NotListed,
            Some(None) => RoleFact::Unknown,
            Some(Some(r)) => RoleFact::Role(r),
        }
    }

    /// Whether `principal` administers the gateway serving `dataset`; `None` when unknown.
    pub fn is_gateway_admin_for(&self, principal: PrincipalId, dataset: DatasetId) -> Option<bool> {
        match self.target(dataset.0, Edge::ServedBy) {
            Some(g) => Some(
                self.edges_between(principal.0, g)
                    .any(|e| *e.weight() == Edge::GatewayAdmin),
            ),
            // The dataset's gateway is unknown: only "administers no gateway at all" is certain.
            None if self.gateway_admins.contains(&principal.0) => None,
            None => Some(false),
        }
    }

    /// Whether `principal` holds `ReadOverrideEffectiveIdentity` for `dataset`.
    pub fn can_override_identity(&self, principal: PrincipalId, dataset: DatasetId) -> bool {
        self.edges_between(principal.0, dataset.0)
            .any(|e| *e.weight() == Edge::ReadOverride)
    }
}

/// Adds `from → r` if `r` resolves, else reports it.
#[allow(clippy::too_many_arguments)]
fn link(
    t: &Tenant,
    edges: &mut Vec<(NodeIndex, NodeIndex, Edge)>,
    from: NodeIndex,
    kind: Kind,
    what: &str,
    r: &Located<String>,
    edge: Edge,
    findings: &mut Vec<Finding>,
) {
    match t.find(kind, &r.value) {
        Some(to) => edges.push((from, to, edge)),
        None => findings.push(unresolved(r, what)),
    }
}

fn unresolved(r: &Located<String>, what: &str) -> Finding {
    Finding::new(
        Rule::UnresolvedReference,
        Location::inventory(r.pointer.clone()),
        format!("no {what} `{}` in the inventory", r.value),
    )
    .help(format!(
        "declare the {what} under the inventory, or refer to it by its id or name"
    ))
    .arg("kind", what)
    .arg("reference", r.value.clone())
}

trait PointAtKey {
    fn pointing_at_key(self) -> Self;
}

impl PointAtKey for Finding {
    fn pointing_at_key(mut self) -> Self {
        self.location = self.location.key();
        self
    }
}
