//! EG210 write-on-rls-without-identity — `rules/EG210-write-on-rls-without-identity.md`.

use crate::body::{AccessLevel, Body};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;
use crate::value::Pointer;

/// A token that can edit or create reports over RLS data without an identity shows its author
/// every row.
pub struct WriteOnRlsWithoutIdentity;

impl Check for WriteOnRlsWithoutIdentity {
    fn rule(&self) -> Rule {
        Rule::WriteOnRlsWithoutIdentity
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let (Some(tenant), Some(grant)) = (ctx.tenant, write_grant(ctx)) else {
            return;
        };
        for d in &ctx.datasets {
            let Some(data) = tenant.dataset_data(d.id) else {
                continue;
            };
            let Some(rls) = data.rls else { continue };
            if ctx.matrices.rls(rls).write_without_identity != Some(Rule::WriteOnRlsWithoutIdentity)
            {
                continue;
            }
            if !ctx.identities_covering(d.id).is_empty() {
                continue;
            }
            let name = data.name.clone().or(data.id.clone()).unwrap_or_default();
            out.push(
                Finding::new(
                    Rule::WriteOnRlsWithoutIdentity,
                    Location::request(grant.1.clone()),
                    format!("{} on dataset `{name}` ({rls} RLS) without an identity: whoever edits sees every row", grant.0),
                )
                .help(format!("add an identity for dataset `{name}` with the user's `username` and `roles`"))
                .related(Location::inventory(data.pointer.key("rls")), "RLS dataset declared here")
                .arg("dataset", name),
            );
        }
    }
}

/// What lets the token write, and where it is asked for.
fn write_grant(ctx: &Context<'_>) -> Option<(String, Pointer)> {
    match ctx.body? {
        Body::V1(b) => {
            let level = b.access_level.located()?;
            matches!(level.value.value, AccessLevel::Edit | AccessLevel::Create).then(|| {
                (
                    format!("`accessLevel: {}`", level.value.value),
                    level.pointer.clone(),
                )
            })
        }
        Body::V2(b) => {
            let edit = b
                .reports
                .get()
                .into_iter()
                .flatten()
                .find_map(|r| r.allow_edit.located().filter(|a| a.value));
            if let Some(edit) = edit {
                return Some(("`allowEdit: true`".into(), edit.pointer.clone()));
            }
            let targets = b
                .target_workspaces
                .located()
                .filter(|t| !t.value.is_empty())?;
            Some(("`targetWorkspaces`".into(), targets.pointer.clone()))
        }
    }
}
