//! EG108 v2-limits — `rules/EG108-v2-limits.md`.

use crate::body::Body;
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;
use crate::value::Pointer;

/// The most entries V2 takes in each of `reports`, `datasets` and `targetWorkspaces`.
pub const V2_LIST_LIMIT: usize = 50;

/// A V2 body lists at most 50 reports, 50 datasets and 50 target workspaces.
pub struct V2Limits;

impl Check for V2Limits {
    fn rule(&self) -> Rule {
        Rule::V2Limits
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(Body::V2(v2)) = ctx.body else { return };
        let lists = [
            (
                "reports",
                "reports",
                v2.reports.located().map(|l| (l.value.len(), &l.pointer)),
            ),
            (
                "datasets",
                "datasets",
                v2.datasets.located().map(|l| (l.value.len(), &l.pointer)),
            ),
            (
                "targetWorkspaces",
                "target workspaces",
                v2.target_workspaces
                    .located()
                    .map(|l| (l.value.len(), &l.pointer)),
            ),
        ];
        for (key, what, list) in lists {
            if let Some((count, at)) = list.filter(|(count, _)| *count > V2_LIST_LIMIT) {
                out.push(finding(key, what, count, at));
            }
        }
    }
}

fn finding(key: &str, what: &str, count: usize, at: &Pointer) -> Finding {
    Finding::new(
        Rule::V2Limits,
        Location::request(at.clone()).key(),
        format!("`{key}` lists {count} entries; one V2 token takes at most {V2_LIST_LIMIT} {what}"),
    )
    .help(format!(
        "split the request: generate one token per group of at most {V2_LIST_LIMIT} {what}, for the items each page actually shows"
    ))
    .arg("field", key)
    .arg("count", count.to_string())
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::codes;
    use serde_json::json;

    /// A V2 request whose `key` list has `n` entries with distinct GUIDs.
    fn v2_with(key: &str, n: usize) -> serde_json::Value {
        let entries: Vec<_> = (0..n)
            .map(|i| json!({ "id": format!("00000000-0000-4000-8000-{i:012}") }))
            .collect();
        json!({
            "embedguard": 1,
            "requests": [{ "caller": "sp", "path": "/v1.0/myorg/GenerateToken", "body": { key: entries } }]
        })
    }

    #[test]
    fn fifty_entries_pass_and_fifty_one_fail() {
        for key in ["reports", "datasets", "targetWorkspaces"] {
            assert!(!codes(v2_with(key, 50)).contains(&"EG108"), "{key}: 50");
            let over = codes(v2_with(key, 51));
            assert_eq!(
                over.iter().filter(|c| **c == "EG108").count(),
                1,
                "{key}: 51 {over:?}"
            );
        }
    }
}
