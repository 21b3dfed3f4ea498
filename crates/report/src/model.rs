//! The report as data: built once from what `check` found, sorted, then rendered by every
//! format (and serialised as is for JSON, `schemas/report.schema.json`).

use std::collections::{BTreeMap, BTreeSet};

use embedguard_core::{Rule, Severity};
use serde::Serialize;

use crate::facts::{CallerKind, Coverage, DatasetUse, RequestFacts};
use crate::pages::{page_text, Quote};
use crate::tenant::{RequestRef, TenantView};

/// The version of the report's JSON shape.
pub const REPORT_VERSION: u32 = 1;

/// One diagnostic of the run, as `check --format json` gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingEntry {
    /// `EGnnn`.
    pub code: &'static str,
    /// The rule's name.
    pub name: &'static str,
    /// Its severity in this run.
    pub severity: Severity,
    /// What is wrong (secrets already cut by `check`).
    pub message: String,
    /// The file it is in.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// JSON Pointer into the file.
    pub pointer: String,
    /// The request it is about, when it is about one.
    pub request: Option<String>,
    /// The fix.
    pub help: Option<String>,
    /// The rule's page.
    pub doc_url: String,
}

impl FindingEntry {
    /// A diagnostic of `rule` as `check` placed it.
    #[allow(clippy::too_many_arguments)] // the fields of `check`'s JSON, one each
    pub fn new(
        rule: Rule,
        severity: Severity,
        message: String,
        file: String,
        (line, column): (usize, usize),
        pointer: String,
        request: Option<String>,
        help: Option<String>,
    ) -> Self {
        FindingEntry {
            code: rule.code(),
            name: rule.name(),
            severity,
            message,
            file,
            line,
            column,
            pointer,
            request,
            help,
            doc_url: rule.doc_url(),
        }
    }

    fn rule(&self) -> Option<Rule> {
        Rule::lookup(self.code)
    }
}

/// A rule that could not judge a request for want of a tenant fact (`--explain-skips`), as
/// `check --format json` lists it under `skips`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotJudgedEntry {
    /// `EGnnn`.
    pub code: &'static str,
    /// The rule's name.
    pub name: &'static str,
    /// What is missing.
    pub message: String,
    /// What the rule would report under [`NotJudgedEntry::assumed`].
    pub would_report: String,
    /// The file of the place it would report at.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// JSON Pointer into the file.
    pub pointer: String,
    /// The description file of the request.
    pub request_file: String,
    /// The request's JSON Pointer (`/requests/3`).
    pub request_pointer: String,
    /// The smallest assumption found under which the rule reports.
    pub assumed: Vec<AssumedFact>,
    /// How many other assumptions of that size make it report too.
    pub alternatives: usize,
    /// The rule's page.
    pub doc_url: String,
}

/// A fact the inventory leaves out, with the value assumed for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssumedFact {
    /// `principal`, `workspace` or `dataset`.
    pub entity_kind: &'static str,
    /// The entity's name (or id).
    pub entity: String,
    /// The key left out.
    pub key: &'static str,
    /// The value assumed, as YAML would write it.
    pub value: String,
    /// The file declaring the entity.
    pub file: String,
    /// Its line there.
    pub line: usize,
}

/// One request as `check` saw it: where it is, its facts, and its tenant.
#[derive(Debug, Clone)]
pub struct SeenRequest {
    /// The description file, as shown.
    pub file: String,
    /// The request's line in it.
    pub line: usize,
    /// Its JSON Pointer (`/requests/3`): the diagnostics under it are its findings.
    pub pointer: String,
    /// The label of the tenant it was judged against ([`TenantView::label`]).
    pub tenant: Option<String>,
    /// What it asks for.
    pub facts: RequestFacts,
}

/// What the front end hands over.
#[derive(Debug, Clone, Default)]
pub struct ReportInput {
    /// The date (or date and time) the report states.
    pub generated_at: String,
    /// What produced it (`embedguard 0.1.0`).
    pub generator: String,
    /// The paths given on the command line.
    pub inputs: Vec<String>,
    /// Description files checked (`check`'s `summary.files`).
    pub files: usize,
    /// Every request, in any order.
    pub requests: Vec<SeenRequest>,
    /// Every diagnostic of the run, in any order.
    pub findings: Vec<FindingEntry>,
    /// Every tenant the requests were judged against, in any order.
    pub tenants: Vec<TenantView>,
    /// Problems that have no place in a file (a path that does not exist).
    pub problems: Vec<String>,
    /// With `--explain-skips`: every rule that could not judge a request, in any order;
    /// `None` when not asked.
    pub not_judged: Option<Vec<NotJudgedEntry>>,
}

/// Counts per caller kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KindCounts {
    /// Service principals.
    pub service_principal: usize,
    /// Master users.
    pub master_user: usize,
    /// Unknown.
    pub unknown: usize,
}

impl KindCounts {
    fn add(&mut self, kind: CallerKind) {
        *self.get_mut(kind) += 1;
    }

    fn get_mut(&mut self, kind: CallerKind) -> &mut usize {
        match kind {
            CallerKind::ServicePrincipal => &mut self.service_principal,
            CallerKind::MasterUser => &mut self.master_user,
            CallerKind::Unknown => &mut self.unknown,
        }
    }

    /// The count of `kind`.
    pub fn get(&self, kind: CallerKind) -> usize {
        match kind {
            CallerKind::ServicePrincipal => self.service_principal,
            CallerKind::MasterUser => self.master_user,
            CallerKind::Unknown => self.unknown,
        }
    }
}

/// The key figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Description files checked.
    pub files: usize,
    /// Requests checked.
    pub requests: usize,
    /// Error-level diagnostics.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Notes.
    pub notes: usize,
    /// Distinct callers (per tenant) by kind.
    pub callers: KindCounts,
    /// Requests by caller kind.
    pub requests_by_caller_kind: KindCounts,
    /// Requests with at least one error.
    pub requests_with_errors: usize,
    /// Tenants the requests were judged against.
    pub tenants: usize,
    /// With `--explain-skips`: how many times a rule could not judge a request for want of a
    /// tenant fact; `null` when not asked (the rules that lacked a fact were silent).
    pub not_judged: Option<usize>,
}

/// Findings of one rule, by severity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    /// `EGnnn`.
    pub code: &'static str,
    /// The rule's name.
    pub name: &'static str,
    /// Errors.
    pub error: usize,
    /// Warnings.
    pub warning: usize,
    /// Notes.
    pub note: usize,
}

/// Requests of one endpoint, by caller kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EndpointCount {
    /// `REPORT`, `V2`, …, or `unknown`.
    pub endpoint: String,
    /// By caller kind.
    #[serde(flatten)]
    pub callers: KindCounts,
}

/// (request, dataset) pairs by coverage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CoverageCounts {
    /// RLS, covered by an identity.
    pub covered: usize,
    /// RLS, not covered.
    pub uncovered: usize,
    /// No RLS.
    pub no_rls: usize,
    /// RLS unknown.
    pub unknown: usize,
}

impl CoverageCounts {
    /// The count of `coverage`.
    pub fn get(&self, coverage: Coverage) -> usize {
        match coverage {
            Coverage::Covered => self.covered,
            Coverage::Uncovered => self.uncovered,
            Coverage::NoRls => self.no_rls,
            Coverage::Unknown => self.unknown,
        }
    }

    fn add(&mut self, coverage: Coverage) {
        match coverage {
            Coverage::Covered => self.covered += 1,
            Coverage::Uncovered => self.uncovered += 1,
            Coverage::NoRls => self.no_rls += 1,
            Coverage::Unknown => self.unknown += 1,
        }
    }
}

/// The data of the charts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Charts {
    /// Findings by rule and severity, by code.
    pub findings_by_rule: Vec<RuleCount>,
    /// Requests by endpoint and caller kind, by endpoint.
    pub requests_by_endpoint: Vec<EndpointCount>,
    /// Each dataset of each request, by RLS coverage.
    pub rls_coverage: CoverageCounts,
}

/// One request of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestEntry {
    /// Its anchor in the report (`request-1`, in report order).
    pub anchor: String,
    /// The description file.
    pub file: String,
    /// Its line there.
    pub line: usize,
    /// Its label.
    pub name: String,
    /// The tenant it was judged against.
    pub tenant: Option<String>,
    /// `caller` as written.
    pub caller: Option<String>,
    /// The caller's kind.
    pub caller_kind: CallerKind,
    /// `scenario`.
    pub scenario: String,
    /// The HTTP method.
    pub method: String,
    /// The endpoint, when one of the six.
    pub endpoint: Option<String>,
    /// `path` or `url`.
    pub target: Option<String>,
    /// `View`, `Edit`, `Create`, or `unknown`.
    pub access_level: String,
    /// The rights the body asks for.
    pub rights: Vec<String>,
    /// `lifetimeInMinutes`.
    pub lifetime_minutes: Option<String>,
    /// Effective identities sent.
    pub identities: usize,
    /// Reports covered.
    pub reports: Vec<String>,
    /// Workspaces reached.
    pub workspaces: Vec<String>,
    /// Datasets covered, with their RLS coverage.
    pub datasets: Vec<DatasetUse>,
    /// Its findings, in file order.
    pub findings: Vec<FindingEntry>,
    /// Error count.
    pub errors: usize,
    /// Warning count.
    pub warnings: usize,
    /// Note count.
    pub notes: usize,
    /// With `--explain-skips`: the rules that could not judge it, in file order.
    pub not_judged: Vec<NotJudgedEntry>,
}

/// A rule that fired, for the appendix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleEntry {
    /// `EGnnn`.
    pub code: &'static str,
    /// Its name.
    pub name: &'static str,
    /// Its default severity.
    pub severity: Severity,
    /// One-line summary.
    pub summary: &'static str,
    /// What it checks (its page's "What it does").
    pub text: String,
    /// The passages its page quotes, with their sources.
    pub quotes: Vec<Quote>,
    /// The documentation behind it.
    pub source: &'static str,
    /// Its page.
    pub doc_url: String,
    /// How many findings it has in this report.
    pub findings: usize,
}

/// The compliance report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The JSON shape's version ([`REPORT_VERSION`]).
    pub version: u32,
    /// The date the report states.
    pub generated_at: String,
    /// What produced it.
    pub generator: String,
    /// The paths given.
    pub inputs: Vec<String>,
    /// The key figures.
    pub summary: Summary,
    /// The charts' data.
    pub charts: Charts,
    /// Every request, by file and line.
    pub requests: Vec<RequestEntry>,
    /// Findings about no request (syntax errors, inventories, a file's secrets outside any
    /// request), by file and line.
    pub other_findings: Vec<FindingEntry>,
    /// The tenants, by label.
    pub tenants: Vec<TenantView>,
    /// Every rule that fired, by code.
    pub rules: Vec<RuleEntry>,
    /// Problems with no place in a file.
    pub problems: Vec<String>,
}

impl Report {
    /// Builds the report: sorts everything, gives each finding to the request it is about,
    /// links requests and tenant entities, and counts.
    pub fn build(input: ReportInput) -> Report {
        let ReportInput {
            generated_at,
            generator,
            mut inputs,
            files,
            mut requests,
            mut findings,
            mut tenants,
            mut problems,
            not_judged,
        } = input;
        inputs.sort();
        problems.sort();
        problems.dedup();
        findings.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.code, &a.message, &a.pointer)
                .cmp(&(&b.file, b.line, b.column, b.code, &b.message, &b.pointer))
        });
        requests.sort_by(|a, b| (&a.file, a.line, &a.pointer).cmp(&(&b.file, b.line, &b.pointer)));
        tenants.sort_by(|a, b| a.label.cmp(&b.label));

        // Findings to requests: same file, pointer at or under the request's.
        let mut by_place: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for (i, r) in requests.iter().enumerate() {
            by_place.insert((r.file.as_str(), r.pointer.as_str()), i);
        }
        let mut owned: Vec<Vec<FindingEntry>> = vec![Vec::new(); requests.len()];
        let mut other_findings = Vec::new();
        for f in &findings {
            match owner(&by_place, f) {
                Some(i) => owned[i].push(f.clone()),
                None => other_findings.push(f.clone()),
            }
        }

        // Rules that could not judge, to their requests: same file and pointer.
        let mut unjudged: Vec<Vec<NotJudgedEntry>> = vec![Vec::new(); requests.len()];
        let explained = not_judged.is_some();
        let mut not_judged = not_judged.unwrap_or_default();
        not_judged.sort_by(|a, b| {
            (
                &a.request_file,
                &a.request_pointer,
                a.line,
                a.column,
                a.code,
            )
                .cmp(&(
                    &b.request_file,
                    &b.request_pointer,
                    b.line,
                    b.column,
                    b.code,
                ))
        });
        for n in not_judged {
            let key = (n.request_file.as_str(), n.request_pointer.as_str());
            if let Some(&i) = by_place.get(&key) {
                unjudged[i].push(n);
            }
        }
        let not_judged_count = unjudged.iter().map(Vec::len).sum();

        let mut entries = Vec::with_capacity(requests.len());
        let mut callers: BTreeSet<(Option<&str>, Option<&str>, CallerKind)> = BTreeSet::new();
        let mut summary = Summary {
            files,
            requests: requests.len(),
            tenants: tenants.len(),
            not_judged: explained.then_some(not_judged_count),
            ..Summary::default()
        };
        let mut endpoints: BTreeMap<String, KindCounts> = BTreeMap::new();
        let mut coverage = CoverageCounts::default();
        let mut tenant_index: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, t) in tenants.iter().enumerate() {
            tenant_index.insert(t.label.as_str(), i);
        }
        let mut touches: Vec<(usize, bool, String, RequestRef)> = Vec::new();
        for (i, ((r, findings), not_judged)) in requests.iter().zip(owned).zip(unjudged).enumerate()
        {
            let facts = &r.facts;
            let anchor = format!("request-{}", i + 1);
            let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
            let (errors, warnings, notes) = (
                count(Severity::Error),
                count(Severity::Warning),
                count(Severity::Note),
            );
            summary.requests_by_caller_kind.add(facts.caller_kind);
            if errors > 0 {
                summary.requests_with_errors += 1;
            }
            // One caller per principal of a tenant, however the requests name it.
            callers.insert((
                r.tenant.as_deref(),
                facts.principal.as_deref().or(facts.caller.as_deref()),
                facts.caller_kind,
            ));
            endpoints
                .entry(facts.endpoint.clone().unwrap_or_else(|| "unknown".into()))
                .or_default()
                .add(facts.caller_kind);
            for d in &facts.datasets {
                coverage.add(d.coverage);
            }
            if let Some(t) = r.tenant.as_deref().and_then(|t| tenant_index.get(t)) {
                let reference = RequestRef {
                    file: r.file.clone(),
                    name: facts.name.clone(),
                    anchor: anchor.clone(),
                };
                for w in &facts.workspaces {
                    touches.push((*t, false, w.key.clone(), reference.clone()));
                }
                for d in &facts.datasets {
                    touches.push((*t, true, d.dataset.key.clone(), reference.clone()));
                }
            }
            entries.push(RequestEntry {
                anchor,
                file: r.file.clone(),
                line: r.line,
                name: facts.name.clone(),
                tenant: r.tenant.clone(),
                caller: facts.caller.clone(),
                caller_kind: facts.caller_kind,
                scenario: facts.scenario.clone(),
                method: facts.method.clone(),
                endpoint: facts.endpoint.clone(),
                target: facts.target.clone(),
                access_level: facts.access_level.clone(),
                rights: facts.rights.clone(),
                lifetime_minutes: facts.lifetime_minutes.clone(),
                identities: facts.identities,
                reports: facts.reports.iter().map(|x| x.name.clone()).collect(),
                workspaces: facts.workspaces.iter().map(|x| x.name.clone()).collect(),
                datasets: facts.datasets.clone(),
                findings,
                errors,
                warnings,
                notes,
                not_judged,
            });
        }
        for kind in callers.iter().map(|c| c.2) {
            summary.callers.add(kind);
        }
        // Each entity by its key, so linking stays linear in a tenant of any size.
        let mut at: BTreeMap<(usize, bool, &str), usize> = BTreeMap::new();
        for (t, tenant) in tenants.iter().enumerate() {
            for (i, w) in tenant.workspaces.iter().enumerate() {
                at.insert((t, false, w.key.as_str()), i);
            }
            for (i, d) in tenant.datasets.iter().enumerate() {
                at.insert((t, true, d.key.as_str()), i);
            }
        }
        let links: Vec<(usize, bool, usize, RequestRef)> = touches
            .into_iter()
            .filter_map(|(t, dataset, key, reference)| {
                at.get(&(t, dataset, key.as_str()))
                    .map(|&i| (t, dataset, i, reference))
            })
            .collect();
        for (t, dataset, i, reference) in links {
            if dataset {
                tenants[t].datasets[i].requests.push(reference);
            } else {
                tenants[t].workspaces[i].requests.push(reference);
            }
        }
        for t in &mut tenants {
            for w in &mut t.workspaces {
                w.requests.sort();
                w.requests.dedup();
            }
            for d in &mut t.datasets {
                d.requests.sort();
                d.requests.dedup();
            }
        }

        let mut by_rule: BTreeMap<Rule, [usize; 3]> = BTreeMap::new();
        for f in &findings {
            let Some(rule) = f.rule() else { continue };
            let slot = match f.severity {
                Severity::Error => 0,
                Severity::Warning => 1,
                Severity::Note => 2,
            };
            by_rule.entry(rule).or_default()[slot] += 1;
            match f.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Note => summary.notes += 1,
            }
        }
        let findings_by_rule = by_rule
            .iter()
            .map(|(rule, [error, warning, note])| RuleCount {
                code: rule.code(),
                name: rule.name(),
                error: *error,
                warning: *warning,
                note: *note,
            })
            .collect();
        let rules = by_rule
            .iter()
            .map(|(rule, counts)| {
                let meta = rule.meta();
                let page = page_text(*rule);
                RuleEntry {
                    code: meta.code,
                    name: meta.name,
                    severity: meta.severity,
                    summary: meta.summary,
                    text: page.text,
                    quotes: page.quotes,
                    source: meta.source,
                    doc_url: rule.doc_url(),
                    findings: counts.iter().sum(),
                }
            })
            .collect();

        Report {
            version: REPORT_VERSION,
            generated_at,
            generator,
            inputs,
            summary,
            charts: Charts {
                findings_by_rule,
                requests_by_endpoint: endpoints
                    .into_iter()
                    .map(|(endpoint, callers)| EndpointCount { endpoint, callers })
                    .collect(),
                rls_coverage: coverage,
            },
            requests: entries,
            other_findings,
            tenants,
            rules,
            problems,
        }
    }
}

/// The request a finding is about: the one in its file whose pointer is the finding's or an
/// ancestor of it.
fn owner(by_place: &BTreeMap<(&str, &str), usize>, f: &FindingEntry) -> Option<usize> {
    let mut pointer = f.pointer.as_str();
    loop {
        if let Some(&i) = by_place.get(&(f.file.as_str(), pointer)) {
            return Some(i);
        }
        // Up one token; a request is never the root.
        pointer = &pointer[..pointer.rfind('/')?];
        if pointer.is_empty() {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{DatasetUse, ItemRef};

    fn facts(name: &str, kind: CallerKind, coverage: Coverage) -> RequestFacts {
        RequestFacts {
            name: name.into(),
            caller: Some("sp".into()),
            principal: None,
            caller_kind: kind,
            scenario: "embed_for_customers".into(),
            method: "POST".into(),
            endpoint: Some("REPORT".into()),
            target: None,
            access_level: "View".into(),
            rights: Vec::new(),
            lifetime_minutes: None,
            identities: 0,
            reports: Vec::new(),
            workspaces: Vec::new(),
            datasets: vec![DatasetUse {
                dataset: ItemRef {
                    key: "/datasets/0".into(),
                    name: "Model".into(),
                },
                workspace: None,
                rls: "cloud".into(),
                coverage,
                roles: Vec::new(),
            }],
        }
    }

    fn seen(file: &str, line: usize, index: usize, facts: RequestFacts) -> SeenRequest {
        SeenRequest {
            file: file.into(),
            line,
            pointer: format!("/requests/{index}"),
            tenant: None,
            facts,
        }
    }

    fn finding(file: &str, line: usize, pointer: &str, severity: Severity) -> FindingEntry {
        FindingEntry::new(
            Rule::RlsIdentityRequired,
            severity,
            "m".into(),
            file.into(),
            (line, 1),
            pointer.into(),
            None,
            None,
        )
    }

    #[test]
    fn findings_go_to_the_request_whose_pointer_holds_them() {
        let input = ReportInput {
            files: 2,
            requests: vec![
                seen(
                    "b.yaml",
                    3,
                    0,
                    facts("b0", CallerKind::MasterUser, Coverage::Covered),
                ),
                seen(
                    "a.yaml",
                    90,
                    10,
                    facts("a10", CallerKind::ServicePrincipal, Coverage::Uncovered),
                ),
                seen(
                    "a.yaml",
                    9,
                    1,
                    facts("a1", CallerKind::ServicePrincipal, Coverage::Uncovered),
                ),
            ],
            findings: vec![
                finding("a.yaml", 95, "/requests/10/body", Severity::Error),
                finding(
                    "a.yaml",
                    12,
                    "/requests/1/body/identities",
                    Severity::Warning,
                ),
                finding("b.yaml", 1, "", Severity::Error),
                finding("b.yaml", 4, "/requests/1", Severity::Note),
            ],
            ..ReportInput::default()
        };
        let report = Report::build(input);
        let names: Vec<&str> = report.requests.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["a1", "a10", "b0"], "sorted by file and line");
        let anchors: Vec<&str> = report.requests.iter().map(|r| r.anchor.as_str()).collect();
        assert_eq!(anchors, ["request-1", "request-2", "request-3"]);
        assert_eq!(report.requests[0].warnings, 1);
        assert_eq!(
            report.requests[1].errors, 1,
            "/requests/10 is not /requests/1"
        );
        assert!(report.requests[2].findings.is_empty());
        // b.yaml has no /requests/1: that finding, and the file-level one, belong to no request.
        assert_eq!(report.other_findings.len(), 2);
        let s = &report.summary;
        assert_eq!(
            (s.files, s.requests, s.errors, s.warnings, s.notes),
            (2, 3, 2, 1, 1)
        );
        assert_eq!(s.requests_with_errors, 1);
        // One service principal named `sp` (same tenant: none) and one master user.
        assert_eq!((s.callers.service_principal, s.callers.master_user), (1, 1));
        assert_eq!(s.requests_by_caller_kind.service_principal, 2);
        let c = &report.charts;
        assert_eq!((c.rls_coverage.covered, c.rls_coverage.uncovered), (1, 2));
        assert_eq!(c.findings_by_rule.len(), 1);
        assert_eq!(
            (
                c.findings_by_rule[0].error,
                c.findings_by_rule[0].warning,
                c.findings_by_rule[0].note
            ),
            (2, 1, 1)
        );
        assert_eq!(report.rules.len(), 1);
        assert_eq!(report.rules[0].findings, 4);
    }
}
