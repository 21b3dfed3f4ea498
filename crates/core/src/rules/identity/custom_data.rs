//! EG312 custom-data — `rules/EG312-custom-data.md`.

use super::{dotnet_len, label, literal_text, on_premises_dataset};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// At most this many characters of `customData`.
const MAX_CUSTOM_DATA_LEN: usize = 1024;

/// `customData`: at most 1,024 characters, and never for on-premises Analysis Services.
pub struct CustomData;

impl Check for CustomData {
    fn rule(&self) -> Rule {
        Rule::CustomData
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(body) = ctx.body else { return };
        for identity in body.identities() {
            let Some(at) = identity.custom_data.pointer() else {
                continue;
            };
            if let Some(data) = on_premises_dataset(ctx, identity) {
                out.push(
                    Finding::new(
                        Rule::CustomData,
                        Location::request(at.clone()).key(),
                        format!(
                            "dataset `{}` is an on-premises Analysis Services live connection, which does not support `customData`",
                            label(data)
                        ),
                    )
                    .help("remove `customData`: on-premises Analysis Services filters on the `username` (and `roles`) alone")
                    .related(
                        Location::inventory(data.pointer.key("rls")),
                        "on-premises Analysis Services model declared here",
                    )
                    .arg("dataset", label(data)),
                );
                continue;
            }
            let Some(custom_data) = identity.custom_data.located() else {
                continue; // not a string: EG005
            };
            let literal = literal_text(&custom_data.value);
            let len = dotnet_len(&literal);
            if len > MAX_CUSTOM_DATA_LEN {
                let at_least = if literal.len() == custom_data.value.len() {
                    ""
                } else {
                    "at least "
                };
                out.push(
                    Finding::new(
                        Rule::CustomData,
                        Location::request(custom_data.pointer.clone()),
                        format!("`customData` is {at_least}{len} characters long; Power BI takes at most {MAX_CUSTOM_DATA_LEN}"),
                    )
                    .help("send a short key (a tenant or customer id) in `customData` and let the model's RLS rules look up the rest")
                    .arg("length", len.to_string()),
                );
            }
        }
    }
}
