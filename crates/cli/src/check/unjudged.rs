//! `check --explain-skips`: the rules that could not judge a request for want of a tenant fact,
//! placed in the files like diagnostics (see [`embedguard_core::skips`]).

use embedguard_core::finding::{Location, Related};
use embedguard_core::inventory::Tenant;
use embedguard_core::policy::Policy;
use embedguard_core::request::TokenRequest;
use embedguard_core::skips::{Assumption, Skip};
use embedguard_core::{Engine, Severity};

use crate::diagnostic::Diagnostic;

use super::{place_finding_in, InventoryFile, Run};

/// A rule that could not judge a request: a note placed where it would report, with the facts
/// that would let it decide.
#[derive(Debug, Clone)]
pub struct Unjudged {
    /// The note: the rule, where it would report, what is missing (severity [`Severity::Note`]).
    pub diagnostic: Diagnostic,
    /// What the rule would report under [`Unjudged::assumed`].
    pub would_report: String,
    /// The facts assumed, each placed at its entity in the inventory.
    pub assumed: Vec<PlacedAssumption>,
    /// How many other assumptions of the same size make the rule report too.
    pub alternatives: usize,
    /// The description file of the request.
    pub request_file: usize,
    /// The request's pointer in it (`/requests/3`).
    pub request_pointer: String,
}

/// An assumed fact, at the entity that lacks it.
#[derive(Debug, Clone)]
pub struct PlacedAssumption {
    /// `principal`, `workspace` or `dataset`.
    pub entity_kind: &'static str,
    /// The entity's name (or id).
    pub entity: String,
    /// The key the inventory leaves out.
    pub key: &'static str,
    /// The value assumed, as YAML would write it.
    pub value: String,
    /// The file that declares the entity.
    pub file: usize,
    /// 1-based line and column of the entity.
    pub start: (usize, usize),
    /// JSON pointer to the entity in that file.
    pub pointer: String,
}

/// Something `--explain-skips` says about a whole request or file rather than one rule.
#[derive(Debug, Clone)]
pub struct SkipNote {
    /// The description file.
    pub file: usize,
    /// The request, when the note is about one.
    pub request: Option<String>,
    /// What could not be judged, and why.
    pub message: String,
}

/// What `--explain-skips` found about one description.
#[derive(Debug, Default)]
pub struct Explained {
    /// The rules that could not judge its requests.
    pub unjudged: Vec<Unjudged>,
    /// Notes about whole requests or the file.
    pub notes: Vec<SkipNote>,
}

/// Explains, for each request of one description, which rules could not judge it.
pub fn explain(
    engine: &Engine,
    run: &Run,
    file: usize,
    inventory_file: InventoryFile,
    tenant: Option<&Tenant>,
    requests: &[TokenRequest],
    policy: &Policy,
) -> Explained {
    let mut explained = Explained::default();
    let Some(tenant) = tenant else {
        if !requests.is_empty() {
            explained.notes.push(SkipNote {
                file,
                request: None,
                message: "no inventory: the rules that need tenant facts (who the caller is, \
                          what the workspaces and datasets are) did not judge any request of \
                          this file; name one with `inventory:`, `--inventory FILE` or an inline \
                          `tenant:`"
                    .to_owned(),
            });
        }
        return explained;
    };
    for request in requests {
        let found = engine.explain_skips(tenant, request, policy);
        if found.partial {
            explained.notes.push(SkipNote {
                file,
                request: Some(request.name.clone()),
                message: format!(
                    "request `{}` leaves {} facts unknown; only the first {} combinations \
                     of values were tried, so more rules may need them",
                    request.name,
                    found.unknown.len(),
                    embedguard_core::skips::BUDGET
                ),
            });
        }
        for skip in found.skips {
            explained
                .unjudged
                .push(place(run, file, inventory_file, requests, request, skip));
        }
    }
    explained
}

/// Places one skip: a note at the place the rule would report, pointing at each entity that
/// lacks an assumed fact.
fn place(
    run: &Run,
    file: usize,
    inventory_file: InventoryFile,
    requests: &[TokenRequest],
    request: &TokenRequest,
    skip: Skip,
) -> Unjudged {
    let Skip {
        rule,
        finding,
        assumed,
        alternatives,
    } = skip;
    let missing: Vec<String> = assumed
        .iter()
        .map(|a| {
            format!(
                "the `{}` of {} `{}`",
                a.fact.key(),
                a.fact.entity(),
                a.entity
            )
        })
        .collect();
    let values: Vec<String> = assumed
        .iter()
        .map(|a| format!("`{}: {}` on `{}`", a.fact.key(), a.value, a.entity))
        .collect();
    let others = match alternatives {
        0 => String::new(),
        1 => " (so would 1 other value)".to_owned(),
        n => format!(" (so would {n} other values)"),
    };
    let mut note = finding.clone();
    note.severity = Severity::Note;
    note.message = match missing.as_slice() {
        [a, b] => format!("not judged: the inventory gives neither {a} nor {b}"),
        _ => format!(
            "not judged: the inventory does not give {}",
            join(&missing, "or")
        ),
    };
    note.help = Some(format!(
        "with {}, {} would report: {}{others}; state {} in the inventory to have it decided",
        join(&values, "and"),
        rule.code(),
        finding.message,
        if assumed.len() == 1 { "it" } else { "them" },
    ));
    note.related = assumed
        .iter()
        .map(|a| Related {
            location: Location::inventory(a.at.clone()),
            label: format!("no `{}` here", a.fact.key()),
        })
        .collect();
    let mut diagnostic = place_finding_in(run, &note, file, inventory_file, requests);
    if diagnostic.request.is_none() {
        diagnostic.request = Some(request.name.clone());
    }
    let assumed = assumed
        .iter()
        .map(|a| place_assumption(run, inventory_file, a))
        .collect();
    Unjudged {
        diagnostic,
        would_report: finding.message,
        assumed,
        alternatives,
        request_file: file,
        request_pointer: request.pointer.to_string(),
    }
}

fn place_assumption(run: &Run, inventory_file: InventoryFile, a: &Assumption) -> PlacedAssumption {
    let file = inventory_file.of(&a.at);
    let span = run.files[file].locate(&a.at, embedguard_core::Target::Value);
    PlacedAssumption {
        entity_kind: a.fact.entity(),
        entity: a.entity.clone(),
        key: a.fact.key(),
        value: a.value.clone(),
        file,
        start: run.files[file].lines.line_col(span.start),
        pointer: a.at.to_string(),
    }
}

/// `a`, `a or b`, `a, b or c`.
fn join(items: &[String], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., tail] => format!("{} {last} {tail}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_english() {
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        assert_eq!(join(&s(&[]), "or"), "");
        assert_eq!(join(&s(&["a"]), "or"), "a");
        assert_eq!(join(&s(&["a", "b"]), "or"), "a or b");
        assert_eq!(join(&s(&["a", "b", "c"]), "and"), "a, b and c");
    }
}
