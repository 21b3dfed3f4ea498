//! What the rules could not judge (`check --explain-skips`, SPEC §1.2).
//!
//! A fact the inventory leaves out is unknown, and a rule that needs it stays silent. To say
//! which rule stayed silent for want of which fact, the request is judged again with the unknown
//! facts of its own entities (its caller, workspaces and datasets) filled in, one value at a
//! time, then two facts at a time, and so on: a rule that reports something under an assumption
//! that it did not report before could not judge the request. Each such rule is listed once,
//! with the smallest set of assumptions found that makes it speak and what it would then say.
//!
//! This asks the rules themselves instead of keeping a second list of what each one reads, so
//! it cannot drift from them. Facts whose values cannot be enumerated (ids, names, the cloud an
//! account signs in at) are not explored.

use crate::context::Context;
use crate::finding::Finding;
use crate::inventory::{
    Capacity, Dataset, Inventory, Permissions, Principal, PrincipalKind, Tenant, Workspace,
    CONNECTIONS, LICENSES, PRINCIPAL_KINDS, RLS_KINDS, WORKSPACE_ROLES, WORKSPACE_TYPES,
};
use crate::read::Located;
use crate::registry::Rule;
use crate::value::Pointer;

/// A fact of an inventory entity that may be absent, and that this module knows the values of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fact {
    /// A principal's `kind`.
    PrincipalKind,
    /// A master user's `license`.
    License,
    /// A master user's delegated `scopes`.
    Scopes,
    /// The Power BI `api_permissions` of a service principal's app registration.
    ApiPermissions,
    /// A principal's data-source `permissions`.
    Permissions,
    /// A workspace's `type`.
    WorkspaceType,
    /// A workspace's `capacity`.
    Capacity,
    /// A workspace's `users`.
    Users,
    /// A dataset's `rls`.
    Rls,
    /// A dataset's `roles`.
    Roles,
    /// A dataset's `connection`.
    Connection,
}

impl Fact {
    /// The kind of entity that holds the fact: `principal`, `workspace` or `dataset`.
    pub fn entity(self) -> &'static str {
        match self {
            Fact::PrincipalKind
            | Fact::License
            | Fact::Scopes
            | Fact::ApiPermissions
            | Fact::Permissions => "principal",
            Fact::WorkspaceType | Fact::Capacity | Fact::Users => "workspace",
            Fact::Rls | Fact::Roles | Fact::Connection => "dataset",
        }
    }

    /// The inventory key that states it.
    pub fn key(self) -> &'static str {
        match self {
            Fact::PrincipalKind => "kind",
            Fact::License => "license",
            Fact::Scopes => "scopes",
            Fact::ApiPermissions => "api_permissions",
            Fact::Permissions => "permissions",
            Fact::WorkspaceType => "type",
            Fact::Capacity => "capacity",
            Fact::Users => "users",
            Fact::Rls => "rls",
            Fact::Roles => "roles",
            Fact::Connection => "connection",
        }
    }
}

/// One unknown fact given a value, as the inventory would write it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Assumption {
    /// Which fact.
    pub fact: Fact,
    /// The entity's name (or id) as messages show it.
    pub entity: String,
    /// Where the entity is declared in the inventory.
    pub at: Pointer,
    /// The value assumed, as YAML would write it after `key: ` (`cloud`, `[]`, `{ app: Admin }`).
    pub value: String,
}

/// A rule that could not judge a request: what it would report under some assumptions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// The rule.
    pub rule: Rule,
    /// What it would report under [`Skip::assumed`].
    pub finding: Finding,
    /// A smallest set of unknown facts, with values, under which it reports.
    pub assumed: Vec<Assumption>,
    /// How many other sets of the same size make it report too (other values, other entities).
    pub alternatives: usize,
}

/// What the rules could not judge about one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unjudged {
    /// The rules that could not, in code order.
    pub skips: Vec<Skip>,
    /// The unknown facts of the request's entities, whether or not a rule needed them (each
    /// with an empty `value`: nothing is assumed).
    pub unknown: Vec<Assumption>,
    /// Whether the exploration stopped at its budget before trying every combination up to
    /// [`MAX_ASSUMED`] facts: more rules may need facts than are listed.
    pub partial: bool,
}

/// The most unknown facts assumed at once (a rule that needs more stays unlisted).
pub const MAX_ASSUMED: usize = 3;

/// The most re-judgements of one request: each one clones the inventory and rebuilds the graph.
pub const BUDGET: usize = 2_000;

/// One unknown fact of one entity, and the values it may take.
#[derive(Debug, Clone)]
struct Slot {
    fact: Fact,
    /// The entity's index in its inventory list.
    index: usize,
    entity: String,
    at: Pointer,
    values: Vec<Value>,
}

/// A value a slot may take, with how the inventory would write it.
#[derive(Debug, Clone)]
struct Value {
    shown: String,
    set: Setting,
}

/// A value, typed.
#[derive(Debug, Clone)]
enum Setting {
    Kind(PrincipalKind),
    License(crate::inventory::License),
    Scopes(Vec<String>),
    ApiPermissions(Vec<String>),
    Permissions,
    WorkspaceType(crate::inventory::WorkspaceType),
    Capacity(Capacity),
    Users(Option<(String, crate::inventory::WorkspaceRole)>),
    Rls(crate::inventory::RlsKind),
    Roles,
    Connection(crate::inventory::Connection),
}

/// Judges `request` once per combination of values of its entities' unknown facts; `judge`
/// is the engine's full validation against a tenant.
pub(crate) fn explain(
    ctx: &Context<'_>,
    tenant: &Tenant,
    base: &[Finding],
    judge: impl Fn(&Tenant) -> Vec<Finding>,
) -> Unjudged {
    let slots = slots(ctx, tenant);
    let mut unjudged = Unjudged {
        unknown: slots
            .iter()
            .map(|s| Assumption {
                fact: s.fact,
                entity: s.entity.clone(),
                at: s.at.clone(),
                value: String::new(),
            })
            .collect(),
        ..Unjudged::default()
    };
    let said: std::collections::HashSet<(Rule, &Pointer)> =
        base.iter().map(|f| (f.rule, &f.location.pointer)).collect();
    // The assumptions are set and withdrawn in place on one copy: rebuilding the graph for each
    // of up to BUDGET combinations would cost as much as reading the inventory each time.
    let mut scratch = tenant.clone();
    let mut runs = 0;
    'levels: for size in 1..=MAX_ASSUMED.min(slots.len()) {
        let mut found_here: Vec<Skip> = Vec::new();
        for chosen in Combinations::new(slots.len(), size) {
            for values in ValueChoices::new(chosen.iter().map(|&s| slots[s].values.len())) {
                if runs == BUDGET {
                    unjudged.partial = true;
                    merge(&mut unjudged.skips, found_here);
                    break 'levels;
                }
                runs += 1;
                let undo: Vec<Undo> = chosen
                    .iter()
                    .zip(&values)
                    .map(|(&s, &v)| assume(&slots[s], &slots[s].values[v], &mut scratch))
                    .collect();
                let found = judge(&scratch);
                for (&s, undo) in chosen.iter().zip(undo).rev() {
                    withdraw(&slots[s], undo, &mut scratch);
                }
                // Each rule counts once per combination, however many places it reports at.
                let mut counted: Vec<Rule> = Vec::new();
                for finding in found {
                    let rule = finding.rule;
                    if said.contains(&(rule, &finding.location.pointer))
                        || unjudged.skips.iter().any(|k| k.rule == rule)
                        || counted.contains(&rule)
                    {
                        continue;
                    }
                    counted.push(rule);
                    if let Some(known) = found_here.iter_mut().find(|k| k.rule == rule) {
                        known.alternatives += 1;
                        continue;
                    }
                    let assumed = chosen
                        .iter()
                        .zip(&values)
                        .map(|(&s, &v)| Assumption {
                            fact: slots[s].fact,
                            entity: slots[s].entity.clone(),
                            at: slots[s].at.clone(),
                            value: slots[s].values[v].shown.clone(),
                        })
                        .collect();
                    found_here.push(Skip {
                        rule,
                        finding,
                        assumed,
                        alternatives: 0,
                    });
                }
            }
        }
        merge(&mut unjudged.skips, found_here);
    }
    unjudged
}

/// Adds the rules found at one size, keeping code order.
fn merge(skips: &mut Vec<Skip>, found: Vec<Skip>) {
    skips.extend(found);
    skips.sort_by_key(|s| s.rule.code());
}

/// The unknown facts of the request's caller, workspaces and datasets (and the datasets those
/// query), in that order.
fn slots(ctx: &Context<'_>, tenant: &Tenant) -> Vec<Slot> {
    let inventory = tenant.inventory();
    let mut slots = Vec::new();
    if let Some(caller) = ctx.caller {
        let p = caller.data;
        if let Some(index) = tenant.principal_index(caller.id) {
            let mut add = adder(&mut slots, index, p.name.clone(), &p.pointer);
            if p.kind.is_none() {
                add(Fact::PrincipalKind, spelled(PRINCIPAL_KINDS, Setting::Kind));
            }
            let maybe_user = p.kind != Some(PrincipalKind::ServicePrincipal);
            let maybe_app = p.kind != Some(PrincipalKind::MasterUser);
            if maybe_user && p.license.is_none() {
                add(Fact::License, spelled(LICENSES, Setting::License));
            }
            if maybe_user && p.scopes.is_none() {
                add(Fact::Scopes, vec![value("[]", Setting::Scopes(Vec::new()))]);
            }
            if maybe_app && p.api_permissions.is_none() {
                add(
                    Fact::ApiPermissions,
                    vec![value(
                        "[Report.Read.All]",
                        Setting::ApiPermissions(vec!["Report.Read.All".to_owned()]),
                    )],
                );
            }
            if p.permissions.is_none() {
                add(
                    Fact::Permissions,
                    vec![value(
                        "{ gateway_admin: [], read_override_effective_identity: [] }",
                        Setting::Permissions,
                    )],
                );
            }
        }
    }
    let caller = ctx.caller.map(|c| c.data.name.clone());
    for named in &ctx.workspaces {
        let Some((index, w)) = tenant
            .workspace_index(named.id)
            .and_then(|i| Some((i, inventory.workspaces.get(i)?)))
        else {
            continue;
        };
        let mut add = adder(&mut slots, index, display(&w.name, &w.id), &w.pointer);
        if w.kind.is_none() {
            add(
                Fact::WorkspaceType,
                spelled(WORKSPACE_TYPES, Setting::WorkspaceType),
            );
        }
        if w.capacity.is_none() {
            let dedicated = ["A1", "EM1", "P1", "F64"]
                .map(|sku| value(sku, Setting::Capacity(Capacity::Dedicated(sku.to_owned()))));
            let mut values = dedicated.to_vec();
            values.push(value("ppu", Setting::Capacity(Capacity::Ppu)));
            values.push(value("shared", Setting::Capacity(Capacity::Shared)));
            add(Fact::Capacity, values);
        }
        if w.users.is_none() {
            let mut values = vec![value("{}", Setting::Users(None))];
            if let Some(caller) = &caller {
                values.extend(WORKSPACE_ROLES.iter().map(|(spelling, role)| {
                    value(
                        &format!("{{ {caller}: {spelling} }}"),
                        Setting::Users(Some((caller.clone(), *role))),
                    )
                }));
            }
            add(Fact::Users, values);
        }
    }
    let mut datasets: Vec<_> = ctx.datasets.iter().map(|d| d.id).collect();
    for d in ctx.datasets.iter() {
        for upstream in tenant.dataset_directquery_to(d.id) {
            if !datasets.contains(&upstream) {
                datasets.push(upstream);
            }
        }
    }
    for id in datasets {
        let Some((index, d)) = tenant
            .dataset_index(id)
            .and_then(|i| Some((i, inventory.datasets.get(i)?)))
        else {
            continue;
        };
        let mut add = adder(&mut slots, index, display(&d.name, &d.id), &d.pointer);
        if d.rls.is_none() {
            add(Fact::Rls, spelled(RLS_KINDS, Setting::Rls));
        }
        if d.roles.is_none() {
            add(Fact::Roles, vec![value("[]", Setting::Roles)]);
        }
        if d.connection.is_none() {
            add(Fact::Connection, spelled(CONNECTIONS, Setting::Connection));
        }
    }
    slots
}

/// Adds the unknown facts of one entity (`inventory.…[index]`, declared at `at`) to `slots`.
fn adder<'s>(
    slots: &'s mut Vec<Slot>,
    index: usize,
    entity: String,
    at: &'s Pointer,
) -> impl FnMut(Fact, Vec<Value>) + 's {
    move |fact, values| {
        slots.push(Slot {
            fact,
            index,
            entity: entity.clone(),
            at: at.clone(),
            values,
        });
    }
}

/// An entity as messages name it: its name, else its id.
fn display(name: &Option<String>, id: &Option<String>) -> String {
    name.clone().or_else(|| id.clone()).unwrap_or_default()
}

fn value(shown: &str, set: Setting) -> Value {
    Value {
        shown: shown.to_owned(),
        set,
    }
}

/// Every spelling of an enumerated fact.
fn spelled<T: Copy>(table: &[(&str, T)], set: impl Fn(T) -> Setting) -> Vec<Value> {
    table
        .iter()
        .map(|(spelling, v)| value(spelling, set(*v)))
        .collect()
}

/// What withdrawing an assumption must remove besides the fact itself.
enum Undo {
    Field,
    UsersEdge(Option<petgraph::graph::EdgeIndex>),
}

/// Sets the slot's unknown fact to `value` in `tenant`.
fn assume(slot: &Slot, value: &Value, tenant: &mut Tenant) -> Undo {
    if let Setting::Users(user) = &value.set {
        let listed = user.as_ref().map(|(name, role)| {
            let at = slot.at.key(slot.fact.key()).key(name);
            (
                Located {
                    value: name.clone(),
                    pointer: at,
                },
                *role,
            )
        });
        let edge = tenant.assume_users(slot.index, listed.as_ref().map(|(l, r)| (l, *r)));
        return Undo::UsersEdge(edge);
    }
    match (&value.set, entities_at(tenant.inventory_mut(), slot.index)) {
        (Setting::Kind(kind), (Some(p), _, _)) => p.kind = Some(*kind),
        (Setting::License(license), (Some(p), _, _)) => p.license = Some(*license),
        (Setting::Scopes(scopes), (Some(p), _, _)) => p.scopes = Some(scopes.clone()),
        (Setting::ApiPermissions(list), (Some(p), _, _)) => p.api_permissions = Some(list.clone()),
        (Setting::Permissions, (Some(p), _, _)) => p.permissions = Some(Permissions::default()),
        (Setting::WorkspaceType(kind), (_, Some(w), _)) => w.kind = Some(*kind),
        (Setting::Capacity(capacity), (_, Some(w), _)) => w.capacity = Some(capacity.clone()),
        (Setting::Rls(rls), (_, _, Some(d))) => d.rls = Some(*rls),
        (Setting::Roles, (_, _, Some(d))) => d.roles = Some(Vec::new()),
        (Setting::Connection(connection), (_, _, Some(d))) => d.connection = Some(*connection),
        _ => {}
    }
    Undo::Field
}

/// Makes the slot's fact unknown again.
fn withdraw(slot: &Slot, undo: Undo, tenant: &mut Tenant) {
    if let Undo::UsersEdge(edge) = undo {
        tenant.withdraw_users(slot.index, edge);
        return;
    }
    match (slot.fact, entities_at(tenant.inventory_mut(), slot.index)) {
        (Fact::PrincipalKind, (Some(p), _, _)) => p.kind = None,
        (Fact::License, (Some(p), _, _)) => p.license = None,
        (Fact::Scopes, (Some(p), _, _)) => p.scopes = None,
        (Fact::ApiPermissions, (Some(p), _, _)) => p.api_permissions = None,
        (Fact::Permissions, (Some(p), _, _)) => p.permissions = None,
        (Fact::WorkspaceType, (_, Some(w), _)) => w.kind = None,
        (Fact::Capacity, (_, Some(w), _)) => w.capacity = None,
        (Fact::Users, (_, Some(w), _)) => w.users = None,
        (Fact::Rls, (_, _, Some(d))) => d.rls = None,
        (Fact::Roles, (_, _, Some(d))) => d.roles = None,
        (Fact::Connection, (_, _, Some(d))) => d.connection = None,
        _ => {}
    }
}

/// The principal, workspace and dataset at `index` of their lists: a slot's index names one of
/// them, by its fact.
fn entities_at(
    inventory: &mut Inventory,
    index: usize,
) -> (
    Option<&mut Principal>,
    Option<&mut Workspace>,
    Option<&mut Dataset>,
) {
    let Inventory {
        principals,
        workspaces,
        datasets,
        ..
    } = inventory;
    (
        principals.get_mut(index),
        workspaces.get_mut(index),
        datasets.get_mut(index),
    )
}

/// The `size`-element subsets of `0..n`, in lexicographic order.
struct Combinations {
    n: usize,
    next: Option<Vec<usize>>,
}

impl Combinations {
    fn new(n: usize, size: usize) -> Self {
        Combinations {
            n,
            next: (size <= n).then(|| (0..size).collect()),
        }
    }
}

impl Iterator for Combinations {
    type Item = Vec<usize>;

    fn next(&mut self) -> Option<Vec<usize>> {
        let current = self.next.take()?;
        let size = current.len();
        let mut following = current.clone();
        // The rightmost position that can still move right.
        if let Some(i) = (0..size).rev().find(|&i| following[i] < self.n - size + i) {
            following[i] += 1;
            for j in i + 1..size {
                following[j] = following[j - 1] + 1;
            }
            self.next = Some(following);
        }
        Some(current)
    }
}

/// Every choice of one value per slot, given how many each has (a mixed-radix count).
struct ValueChoices {
    radix: Vec<usize>,
    next: Option<Vec<usize>>,
}

impl ValueChoices {
    fn new(radix: impl Iterator<Item = usize>) -> Self {
        let radix: Vec<usize> = radix.collect();
        let next = (!radix.contains(&0)).then(|| vec![0; radix.len()]);
        ValueChoices { radix, next }
    }
}

impl Iterator for ValueChoices {
    type Item = Vec<usize>;

    fn next(&mut self) -> Option<Vec<usize>> {
        let current = self.next.take()?;
        let mut following = current.clone();
        for (digit, radix) in following.iter_mut().zip(&self.radix).rev() {
            *digit += 1;
            if *digit < *radix {
                self.next = Some(following);
                return Some(current);
            }
            *digit = 0;
        }
        Some(current)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Context;
    use crate::policy::Policy;
    use crate::Engine;

    const WORKSPACE: &str = "6dfe520a-fe74-4854-b72f-23ade2723cc9";
    const REPORT: &str = "37f4169b-c0ed-4711-8d33-a24585e4cd9a";
    const DATASET: &str = "7456157a-7cbc-4377-ab13-d9f6ee7ff72c";

    /// What could not be judged about a View token for the report, by `caller`, with these
    /// tenant facts of the caller and the dataset.
    fn unjudged(caller: serde_json::Value, dataset: serde_json::Value) -> Unjudged {
        let (engine, tenant, request) = setup(caller, dataset);
        engine.explain_skips(&tenant, &request, &Policy::default())
    }

    /// The engine, the tenant and the request of [`unjudged`].
    fn setup(
        caller: serde_json::Value,
        dataset: serde_json::Value,
    ) -> (Engine, Tenant, crate::request::TokenRequest) {
        let mut dataset = dataset;
        dataset["id"] = DATASET.into();
        dataset["name"] = "Sales model".into();
        dataset["workspace"] = "Sales".into();
        let mut principal = caller;
        principal["name"] = "app".into();
        let description = serde_json::json!({
            "embedguard": 1,
            "tenant": {
                "principals": [principal],
                "workspaces": [{
                    "id": WORKSPACE, "name": "Sales", "type": "new", "capacity": "A1",
                    "users": { "app": "Member" }
                }],
                "datasets": [dataset],
                "reports": [{ "id": REPORT, "name": "Sales report", "workspace": "Sales",
                              "dataset": "Sales model" }]
            },
            "requests": [{
                "caller": "app",
                "path": format!("/v1.0/myorg/groups/{WORKSPACE}/reports/{REPORT}/GenerateToken"),
                "body": { "accessLevel": "View" }
            }]
        });
        let engine = Engine::new().expect("compiled-in matrices");
        let read = engine.read_description(&crate::value::Value::from_json(&description));
        let inventory = read.description.tenant.clone().expect("inline tenant");
        let (tenant, _) = engine.resolve_inventory(inventory);
        let request = read.description.requests[0].clone();
        (engine, tenant, request)
    }

    #[test]
    fn every_assumption_is_withdrawn_without_a_trace() {
        // Nothing known about the caller, the workspace's users or the dataset.
        let (engine, tenant, request) = setup(serde_json::json!({}), serde_json::json!({}));
        let mut unresolved = Vec::new();
        let ctx = Context::resolve(&request, Some(&tenant), engine.matrices(), &mut unresolved);
        let mut slots = slots(&ctx, &tenant);
        assert!(slots.len() >= 7, "{slots:?}");
        // The workspace's users as unknown, too (the helper states them).
        let mut scratch = tenant.clone();
        let workspace = slots.iter().find(|s| s.fact == Fact::Capacity).cloned();
        if let Some(ws) = workspace {
            scratch.withdraw_users(ws.index, None);
            let mut users = ws.clone();
            users.fact = Fact::Users;
            users.values = vec![
                value("{}", Setting::Users(None)),
                value(
                    "{ app: Admin }",
                    Setting::Users(Some(("app".into(), crate::inventory::WorkspaceRole::Admin))),
                ),
            ];
            slots.push(users);
        }
        let before = scratch.clone();
        let edges = scratch.graph_edge_count();
        for slot in &slots {
            for v in &slot.values {
                let undo = assume(slot, v, &mut scratch);
                assert_ne!(
                    scratch.inventory(),
                    before.inventory(),
                    "{:?} set",
                    slot.fact
                );
                withdraw(slot, undo, &mut scratch);
                assert_eq!(
                    scratch.inventory(),
                    before.inventory(),
                    "{:?} withdrawn",
                    slot.fact
                );
                assert_eq!(scratch.graph_edge_count(), edges);
            }
        }
    }

    /// The skip of `rule`, which the test expects.
    fn skip(u: &Unjudged, rule: Rule) -> &Skip {
        u.skips
            .iter()
            .find(|s| s.rule == rule)
            .unwrap_or_else(|| panic!("{} could judge: {:?}", rule.code(), codes(u)))
    }

    fn codes(u: &Unjudged) -> Vec<&'static str> {
        u.skips.iter().map(|s| s.rule.code()).collect()
    }

    #[test]
    fn an_unknown_rls_is_what_keeps_the_identity_rule_silent() {
        let u = unjudged(
            serde_json::json!({ "kind": "service_principal", "api_permissions": [],
                                "permissions": {} }),
            serde_json::json!({ "roles": ["Customer"], "connection": "import" }),
        );
        let eg301 = skip(&u, Rule::RlsIdentityRequired);
        assert_eq!(eg301.assumed.len(), 1);
        assert_eq!(eg301.assumed[0].fact, Fact::Rls);
        assert_eq!(eg301.assumed[0].entity, "Sales model");
        assert_eq!(eg301.assumed[0].value, "cloud");
        assert!(
            eg301.alternatives > 0,
            "other RLS kinds need an identity too"
        );
        assert_eq!(eg301.finding.rule, Rule::RlsIdentityRequired);
        assert!(!u.partial);
        assert_eq!(
            u.unknown.iter().map(|a| a.fact).collect::<Vec<_>>(),
            vec![Fact::Rls]
        );
    }

    #[test]
    fn two_unknown_facts_are_assumed_together_when_the_rule_needs_both() {
        // Neither the caller's kind nor the dataset's RLS: EG301 needs a service principal
        // *and* secured data.
        let u = unjudged(
            serde_json::json!({ "api_permissions": [], "permissions": {}, "license": "pro",
                                "scopes": [".default"] }),
            serde_json::json!({ "roles": ["Customer"], "connection": "import" }),
        );
        let eg301 = skip(&u, Rule::RlsIdentityRequired);
        let facts: Vec<Fact> = eg301.assumed.iter().map(|a| a.fact).collect();
        assert_eq!(facts, vec![Fact::PrincipalKind, Fact::Rls]);
        assert_eq!(eg301.assumed[0].value, "service_principal");
    }

    /// A YAML flow value as this module shows it (`cloud`, `[]`, `[Report.Read.All]`,
    /// `{ app: Admin }`, `{ gateway_admin: [], … }`) as JSON.
    fn flow_to_json(shown: &str) -> serde_json::Value {
        fn inner(s: &str, open: char, close: char) -> Option<&str> {
            s.strip_prefix(open)
                .and_then(|s| s.strip_suffix(close))
                .map(str::trim)
        }
        if let Some(items) = inner(shown, '[', ']') {
            let items: Vec<&str> = items
                .split(',')
                .map(str::trim)
                .filter(|i| !i.is_empty())
                .collect();
            return serde_json::json!(items);
        }
        if let Some(members) = inner(shown, '{', '}') {
            let mut object = serde_json::Map::new();
            for member in members.split(", ").filter(|m| !m.trim().is_empty()) {
                let (key, value) = member.split_once(':').expect("key: value");
                object.insert(key.trim().to_owned(), flow_to_json(value.trim()));
            }
            return serde_json::Value::Object(object);
        }
        serde_json::Value::String(shown.to_owned())
    }

    #[test]
    fn every_assumption_written_into_the_inventory_makes_its_rule_report() {
        // Independent of `assume`: each listed assumption is written into the description as
        // the user would write it, read by the inventory reader, and judged from scratch.
        let full = serde_json::json!({
            "embedguard": 1,
            "tenant": {
                "principals": [{ "name": "app", "kind": "master_user", "license": "pro",
                                 "scopes": ["Report.ReadWrite.All", "Dataset.ReadWrite.All"],
                                 "api_permissions": [], "permissions": {} }],
                "workspaces": [{ "id": WORKSPACE, "name": "Sales", "type": "new",
                                 "capacity": "A1", "users": { "app": "Member" } }],
                "datasets": [{ "id": DATASET, "name": "Sales model", "workspace": "Sales",
                               "rls": "none", "roles": [], "connection": "import" }],
                "reports": [{ "id": REPORT, "name": "Sales report", "workspace": "Sales",
                              "dataset": "Sales model" }]
            },
            "requests": [{
                "caller": "app",
                "path": format!("/v1.0/myorg/groups/{WORKSPACE}/reports/{REPORT}/GenerateToken"),
                "body": { "accessLevel": "View" }
            }]
        });
        let erasable = [
            "/tenant/principals/0/kind",
            "/tenant/principals/0/license",
            "/tenant/principals/0/scopes",
            "/tenant/principals/0/api_permissions",
            "/tenant/principals/0/permissions",
            "/tenant/workspaces/0/capacity",
            "/tenant/workspaces/0/users",
            "/tenant/datasets/0/rls",
            "/tenant/datasets/0/roles",
            "/tenant/datasets/0/connection",
        ];
        let engine = Engine::new().expect("compiled-in matrices");
        let judge = |description: &serde_json::Value| {
            let read = engine.read_description(&crate::value::Value::from_json(description));
            let inventory = read.description.tenant.clone().expect("inline tenant");
            let (tenant, _) = engine.resolve_inventory(inventory);
            let request = read.description.requests[0].clone();
            (tenant, request)
        };
        let mut listed = 0;
        for size in 1..=2 {
            for erased in Combinations::new(erasable.len(), size) {
                let mut description = full.clone();
                for &e in &erased {
                    let (parent, key) = erasable[e].rsplit_once('/').expect("a key");
                    description
                        .pointer_mut(parent)
                        .and_then(serde_json::Value::as_object_mut)
                        .expect("the entity")
                        .remove(key);
                }
                let (tenant, request) = judge(&description);
                let base = engine.validate(Some(&tenant), &request);
                let u = engine.explain_skips(&tenant, &request, &Policy::default());
                for skip in &u.skips {
                    listed += 1;
                    let mut assumed = description.clone();
                    for a in &skip.assumed {
                        let entity = assumed
                            .pointer_mut(&a.at.to_string())
                            .and_then(serde_json::Value::as_object_mut)
                            .expect("the entity");
                        entity.insert(a.fact.key().to_owned(), flow_to_json(&a.value));
                    }
                    let (tenant, request) = judge(&assumed);
                    let now = engine.validate(Some(&tenant), &request);
                    assert!(
                        now.iter().any(|f| f.rule == skip.rule
                            && f.message == skip.finding.message
                            && !base
                                .iter()
                                .any(|b| b.rule == f.rule
                                    && b.location.pointer == f.location.pointer)),
                        "erased {:?}: {} with {:?} does not report {:?}; it reports {:?}",
                        erased.iter().map(|&e| erasable[e]).collect::<Vec<_>>(),
                        skip.rule.code(),
                        skip.assumed
                            .iter()
                            .map(|a| (a.fact.key(), &a.value))
                            .collect::<Vec<_>>(),
                        skip.finding.message,
                        now.iter()
                            .map(|f| (f.rule.code(), &f.message))
                            .collect::<Vec<_>>()
                    );
                }
            }
        }
        assert!(
            listed > 20,
            "the erased facts keep rules silent: {listed} skips"
        );
    }

    #[test]
    fn many_unknown_facts_stop_at_the_budget_and_say_so() {
        // Twelve datasets with nothing known about them: 36 unknown facts, far more
        // combinations than the budget. The single facts are still all tried first.
        let ids: Vec<String> = (0..12)
            .map(|i| format!("7456157a-7cbc-4377-ab13-d9f6ee7ff7{i:02x}"))
            .collect();
        let datasets: Vec<serde_json::Value> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| serde_json::json!({ "id": id, "name": format!("m{i}"), "workspace": "Sales" }))
            .collect();
        let description = serde_json::json!({
            "embedguard": 1,
            "tenant": {
                "principals": [{ "name": "app", "kind": "service_principal",
                                 "api_permissions": [], "permissions": {} }],
                "workspaces": [{ "id": WORKSPACE, "name": "Sales", "type": "new",
                                 "capacity": "A1", "users": { "app": "Member" } }],
                "datasets": datasets,
            },
            "requests": [{
                "caller": "app",
                "path": "/v1.0/myorg/GenerateToken",
                "body": { "datasets": ids.iter().map(|id| serde_json::json!({ "id": id })).collect::<Vec<_>>() }
            }]
        });
        let engine = Engine::new().expect("compiled-in matrices");
        let read = engine.read_description(&crate::value::Value::from_json(&description));
        let inventory = read.description.tenant.clone().expect("inline tenant");
        let (tenant, _) = engine.resolve_inventory(inventory);
        let u = engine.explain_skips(&tenant, &read.description.requests[0], &Policy::default());
        assert!(u.partial);
        assert_eq!(u.unknown.len(), 36);
        assert!(codes(&u).contains(&"EG301"), "{:?}", codes(&u));
    }

    #[test]
    fn a_tenant_that_states_every_fact_leaves_nothing_unjudged() {
        let u = unjudged(
            serde_json::json!({ "kind": "service_principal", "api_permissions": [],
                                "permissions": {} }),
            serde_json::json!({ "rls": "cloud", "roles": ["Customer"], "connection": "import" }),
        );
        assert_eq!(u, Unjudged::default());
        // The rule that does fire here is not listed as unjudged.
        assert!(!codes(&u).contains(&"EG301"));
    }

    #[test]
    fn combinations_are_every_subset_once() {
        let all: Vec<Vec<usize>> = Combinations::new(4, 2).collect();
        assert_eq!(
            all,
            vec![
                vec![0, 1],
                vec![0, 2],
                vec![0, 3],
                vec![1, 2],
                vec![1, 3],
                vec![2, 3]
            ]
        );
        assert_eq!(Combinations::new(3, 3).count(), 1);
        assert_eq!(Combinations::new(2, 3).count(), 0);
        assert_eq!(Combinations::new(5, 1).count(), 5);
    }

    #[test]
    fn value_choices_count_in_mixed_radix() {
        let all: Vec<Vec<usize>> = ValueChoices::new([2, 3].into_iter()).collect();
        assert_eq!(all.len(), 6);
        assert_eq!(all[0], vec![0, 0]);
        assert_eq!(all[1], vec![0, 1]);
        assert_eq!(all[5], vec![1, 2]);
        assert_eq!(ValueChoices::new([2, 0].into_iter()).count(), 0);
    }
}
