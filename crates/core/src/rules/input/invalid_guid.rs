//! EG006 invalid-guid — `rules/EG006-invalid-guid.md`.

use crate::body::Body;
use crate::context::Context;
use crate::endpoint::Endpoint;
use crate::finding::{Finding, Location, Severity};
use crate::ids::{is_guid, is_nil_guid, is_placeholder};
use crate::read::Located;
use crate::registry::Rule;
use crate::rules::Check;
use crate::value::Pointer;

/// An id that is not a GUID, or the all-zero GUID.
pub struct InvalidGuid;

impl Check for InvalidGuid {
    fn rule(&self) -> Rule {
        Rule::InvalidGuid
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        if let Some(endpoint) = ctx.endpoint {
            let at = ctx.path_pointer();
            for (param, id) in endpoint.path_ids() {
                // DATASET's `datasetId` is a plain string in the swagger: only a warning there.
                let lenient = param == "datasetId" && matches!(endpoint, Endpoint::Dataset { .. });
                if let Some(f) = judge(id, param, &at, lenient) {
                    out.push(f);
                }
            }
        }
        let mut ids: Vec<(&str, &Located<String>)> = Vec::new();
        if let Some(body) = ctx.body {
            match body {
                Body::V1(v1) => ids.extend(v1.dataset_id.located().map(|l| ("datasetId", l))),
                Body::V2(v2) => {
                    ids.extend(
                        v2.reports
                            .get()
                            .into_iter()
                            .flatten()
                            .filter_map(|r| r.id.located())
                            .map(|l| ("reports[].id", l)),
                    );
                    ids.extend(
                        v2.datasets
                            .get()
                            .into_iter()
                            .flatten()
                            .filter_map(|d| d.id.located())
                            .map(|l| ("datasets[].id", l)),
                    );
                    ids.extend(
                        v2.target_workspaces
                            .get()
                            .into_iter()
                            .flatten()
                            .filter_map(|w| w.id.located())
                            .map(|l| ("targetWorkspaces[].id", l)),
                    );
                }
            }
            for identity in body.identities() {
                ids.extend(
                    identity
                        .datasets
                        .get()
                        .into_iter()
                        .flatten()
                        .map(|l| ("identities[].datasets", l)),
                );
                ids.extend(
                    identity
                        .reports
                        .get()
                        .into_iter()
                        .flatten()
                        .map(|l| ("identities[].reports", l)),
                );
            }
        }
        if let Some(h) = ctx.request.header("X-PowerBI-Profile-Id") {
            ids.push(("X-PowerBI-Profile-Id", &h.value));
        }
        for (what, id) in ids {
            out.extend(judge(&id.value, what, &id.pointer, false));
        }
    }
}

fn judge(id: &str, what: &str, at: &Pointer, lenient: bool) -> Option<Finding> {
    // A GUID is never a placeholder: settle the common case before looking for `${`.
    let guid = is_guid(id);
    if (guid && !is_nil_guid(id)) || (!guid && is_placeholder(id)) {
        return None;
    }
    let (message, help) = if !guid {
        (format!("`{what}` is `{id}`, which is not a GUID"), "Power BI ids look like `3f6c1e2a-0b7d-4c59-9a51-1d2e3f4a5b6c`; copy the id from the item's URL in the Power BI service")
    } else if is_nil_guid(id) {
        (
            format!("`{what}` is the all-zero GUID"),
            "an all-zero id is what an unset `System.Guid` serializes to: set the real id",
        )
    } else {
        return None;
    };
    let f = Finding::new(Rule::InvalidGuid, Location::request(at.clone()), message)
        .help(help)
        .arg("field", what)
        .arg("value", id);
    Some(if lenient {
        f.severity(Severity::Warning)
    } else {
        f
    })
}
