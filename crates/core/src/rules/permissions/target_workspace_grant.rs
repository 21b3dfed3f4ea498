//! EG211 target-workspace-grant — `rules/EG211-target-workspace-grant.md`.

use crate::body::Body;
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::ids::is_guid;
use crate::registry::Rule;
use crate::rules::Check;

/// How many workspace names a message lists before it counts the rest.
const NAMED: usize = 3;

/// `targetWorkspaces` lets the token's users save and create reports: grant it only where the
/// app offers that.
pub struct TargetWorkspaceGrant;

impl Check for TargetWorkspaceGrant {
    fn rule(&self) -> Rule {
        Rule::TargetWorkspaceGrant
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(Body::V2(v2)) = ctx.body else { return };
        let Some(targets) = v2.target_workspaces.located() else {
            return;
        };
        let mut names: Vec<String> = Vec::new();
        for id in targets.value.iter().filter_map(|t| t.id.get()) {
            // Power BI reads ids only: a name written here is EG006's, and is shown as written.
            let name = ctx
                .tenant
                .filter(|_| is_guid(id))
                .and_then(|t| t.workspace_data(t.workspace(id)?))
                .and_then(|w| w.name.clone())
                .unwrap_or_else(|| id.clone());
            if !names.contains(&name) {
                names.push(name);
            }
        }
        if names.is_empty() {
            return;
        }
        out.push(
            Finding::new(
                Rule::TargetWorkspaceGrant,
                Location::request(targets.pointer.clone()).key(),
                format!(
                    "`targetWorkspaces` lets every user of this token save and create reports in {}",
                    listing(&names)
                ),
            )
            .help("keep `targetWorkspaces` only where the app offers Save As or Create, and list only the workspaces it saves to; if the grant is intended, record why with `# embedguard: ignore[EG211] <reason>`")
            .arg("count", names.len().to_string()),
        );
    }
}

/// "workspace `A`", "workspaces `A` and `B`", "workspaces `A`, `B`, `C` and 2 more".
fn listing(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().take(NAMED).map(|n| format!("`{n}`")).collect();
    let rest = names.len().saturating_sub(NAMED);
    match quoted.split_last() {
        None => String::new(),
        Some((only, [])) => format!("workspace {only}"),
        Some(_) if rest > 0 => format!("workspaces {} and {rest} more", quoted.join(", ")),
        Some((last, init)) => format!("workspaces {} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::listing;

    #[test]
    fn names_at_most_three_workspaces() {
        let names = |n: usize| (1..=n).map(|i| format!("W{i}")).collect::<Vec<_>>();
        assert_eq!(listing(&names(1)), "workspace `W1`");
        assert_eq!(listing(&names(2)), "workspaces `W1` and `W2`");
        assert_eq!(listing(&names(3)), "workspaces `W1`, `W2` and `W3`");
        assert_eq!(listing(&names(5)), "workspaces `W1`, `W2`, `W3` and 2 more");
    }
}
