//! The report's tables as data: what each table says — its columns, its rows, which cell is a
//! count, a list, a link — is decided here once, and [`crate::html`] and [`crate::markdown`]
//! only draw it.

use embedguard_core::Severity;

use crate::facts::Coverage;
use crate::model::{FindingEntry, NotJudgedEntry, RequestEntry};
use crate::tenant::{Count, RequestRef, TenantView};

/// One cell.
#[derive(Debug, Clone)]
pub enum Cell<'r> {
    /// Text of the inputs.
    Text(&'r str),
    /// A number.
    Count(usize),
    /// A value that may be absent (drawn as `—`).
    Maybe(Option<&'r str>),
    /// Several values, one a line; `None`: not known (drawn as `unknown`), empty: `—`.
    Lines(Option<Vec<String>>),
    /// Links to the requests that touch an entity.
    Requests(&'r [RequestRef]),
    /// A finding's severity.
    Severity(Severity),
    /// A rule's code, linked to its page, and its name.
    Rule {
        /// `EGnnn`.
        code: &'static str,
        /// Its name.
        name: &'static str,
        /// Its page.
        url: &'r str,
    },
    /// A place in a file (`file:line:column` or `line:column`).
    Place(String),
    /// A message, with the fix on a line below it.
    Message {
        /// What is wrong.
        text: &'r str,
        /// The fix.
        help: Option<&'r str>,
    },
    /// Whether an identity filters a dataset's rows.
    Coverage(Coverage),
    /// What a rule would report under assumed values of facts the inventory leaves out.
    Assumed {
        /// The finding it would report.
        report: &'r str,
        /// `key: value` of each assumed fact.
        assumed: Vec<String>,
        /// How many other assumptions of that size make it report too.
        alternatives: usize,
    },
}

impl Cell<'_> {
    /// The condition of an [`Cell::Assumed`], as a sentence: `with rls: cloud (or 3 other
    /// values)`.
    pub fn assumption(assumed: &[String], alternatives: usize) -> String {
        let others = match alternatives {
            0 => String::new(),
            1 => " (or 1 other value)".to_owned(),
            n => format!(" (or {n} other values)"),
        };
        format!("with {}{others}", assumed.join(" and "))
    }
}

/// One table: a title (empty for none), a class for the HTML, the column names, the rows.
#[derive(Debug, Clone)]
pub struct Table<'r> {
    /// Shown above the table.
    pub title: &'static str,
    /// The HTML `class` of the table (empty for none).
    pub class: &'static str,
    /// Column names.
    pub columns: Vec<&'static str>,
    /// One cell per column each.
    pub rows: Vec<Vec<Cell<'r>>>,
}

/// The findings of a request (places as `line:column`) or of the whole run (`with_file`).
pub fn findings(findings: &[FindingEntry], with_file: bool) -> Table<'_> {
    Table {
        title: "",
        class: "findings",
        columns: vec!["severity", "rule", "where", "message"],
        rows: findings
            .iter()
            .map(|f| {
                let place = if with_file {
                    format!("{}:{}:{}", f.file, f.line, f.column)
                } else {
                    format!("{}:{}", f.line, f.column)
                };
                vec![
                    Cell::Severity(f.severity),
                    Cell::Rule {
                        code: f.code,
                        name: f.name,
                        url: &f.doc_url,
                    },
                    Cell::Place(place),
                    Cell::Message {
                        text: &f.message,
                        help: f.help.as_deref(),
                    },
                ]
            })
            .collect(),
    }
}

/// The rules that could not judge a request (`--explain-skips`): what the inventory leaves out,
/// where, and what the rule would report under the values assumed.
pub fn not_judged(entries: &[NotJudgedEntry]) -> Table<'_> {
    Table {
        title: "Not judged",
        class: "not-judged",
        columns: vec![
            "rule",
            "where",
            "missing from the inventory",
            "would report",
        ],
        rows: entries
            .iter()
            .map(|n| {
                let missing = n
                    .assumed
                    .iter()
                    .map(|a| {
                        format!(
                            "{} {}: {} ({}:{})",
                            a.entity_kind, a.entity, a.key, a.file, a.line
                        )
                    })
                    .collect();
                vec![
                    Cell::Rule {
                        code: n.code,
                        name: n.name,
                        url: &n.doc_url,
                    },
                    Cell::Place(format!("{}:{}", n.line, n.column)),
                    Cell::Lines(Some(missing)),
                    Cell::Assumed {
                        report: &n.would_report,
                        assumed: n
                            .assumed
                            .iter()
                            .map(|a| format!("{}: {}", a.key, a.value))
                            .collect(),
                        alternatives: n.alternatives,
                    },
                ]
            })
            .collect(),
    }
}

/// The datasets a request's token covers, with their RLS coverage.
pub fn datasets(r: &RequestEntry) -> Table<'_> {
    Table {
        title: "Datasets",
        class: "datasets",
        columns: vec!["dataset", "workspace", "RLS", "identity", "roles"],
        rows: r
            .datasets
            .iter()
            .map(|d| {
                vec![
                    Cell::Text(&d.dataset.name),
                    Cell::Maybe(d.workspace.as_deref()),
                    Cell::Text(&d.rls),
                    Cell::Coverage(d.coverage),
                    Cell::Lines(Some(d.roles.clone())),
                ]
            })
            .collect(),
    }
}

/// The tables of one tenant: workspaces by type, workspaces with their roles and requests,
/// principals, datasets by RLS type, datasets with the requests that touch them.
pub fn tenant(t: &TenantView) -> Vec<Table<'_>> {
    vec![
        counts(
            "Workspaces by type and capacity",
            ["type / capacity", "workspaces"],
            &t.workspaces_by_type,
        ),
        Table {
            title: "Workspaces, roles and requests",
            class: "",
            columns: vec![
                "workspace",
                "id",
                "type",
                "capacity",
                "who holds which role",
                "requests",
            ],
            rows: t
                .workspaces
                .iter()
                .map(|w| {
                    vec![
                        Cell::Text(&w.name),
                        Cell::Maybe(w.id.as_deref()),
                        Cell::Text(&w.kind),
                        Cell::Text(&w.capacity),
                        Cell::Lines(w.users.as_ref().map(|users| {
                            users
                                .iter()
                                .map(|m| format!("{}: {}", m.principal, m.role))
                                .collect()
                        })),
                        Cell::Requests(&w.requests),
                    ]
                })
                .collect(),
        },
        Table {
            title: "Principals",
            class: "",
            columns: vec!["principal", "kind"],
            rows: t
                .principals
                .iter()
                .map(|p| vec![Cell::Text(&p.name), Cell::Text(&p.kind)])
                .collect(),
        },
        counts(
            "Datasets by RLS type",
            ["RLS", "datasets"],
            &t.datasets_by_rls,
        ),
        Table {
            title: "Datasets and the requests that touch them",
            class: "",
            columns: vec!["dataset", "workspace", "RLS", "roles", "requests"],
            rows: t
                .datasets
                .iter()
                .map(|d| {
                    vec![
                        Cell::Text(&d.name),
                        Cell::Maybe(d.workspace.as_deref()),
                        Cell::Text(&d.rls),
                        Cell::Lines(d.roles.clone()),
                        Cell::Requests(&d.requests),
                    ]
                })
                .collect(),
        },
    ]
}

/// A table of how many entities have each value.
fn counts<'r>(title: &'static str, columns: [&'static str; 2], counts: &'r [Count]) -> Table<'r> {
    Table {
        title,
        class: "",
        columns: columns.to_vec(),
        rows: counts
            .iter()
            .map(|c| vec![Cell::Text(&c.value), Cell::Count(c.count)])
            .collect(),
    }
}
