//! EG313 identity-blob-shape — `rules/EG313-identity-blob-shape.md`.
//!
//! This rule owns the JSON shape of both `identityBlob`s: the body reader reports no EG005 for
//! them (see [`crate::body::Shape`]), so a blob written in the other place's form is one finding,
//! with a help that names the trap.

use super::literal_text;
use crate::body::{Body, Shape};
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;
use crate::value::Kind;

/// Power BI refuses identity blob values over this many bytes (D7).
const MAX_BLOB_BYTES: usize = 10_240;

/// `identities[].identityBlob` is `{ value }` (value ≤ 10,240 bytes);
/// `datasourceIdentities[].identityBlob` is a plain string.
pub struct IdentityBlobShape;

impl Check for IdentityBlobShape {
    fn rule(&self) -> Rule {
        Rule::IdentityBlobShape
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(body) = ctx.body else { return };
        for identity in body.identities() {
            let Some(blob) = identity.identity_blob.located() else {
                continue;
            };
            let at = Location::request(blob.pointer.clone());
            match &blob.value {
                Shape::Other(found) => {
                    let help = if *found == Kind::String {
                        "wrap the token in an object: `identityBlob: { value: \"<token>\" }` (only \
                         `datasourceIdentities` take the token as a plain string)"
                    } else {
                        "write `identityBlob: { value: \"<the user's Azure SQL access token>\" }`"
                    };
                    out.push(
                        Finding::new(
                            Rule::IdentityBlobShape,
                            at,
                            format!("`identityBlob` of an identity must be an object `{{ value: <token> }}`, found {found}"),
                        )
                        .help(help)
                        .arg("found", found.to_string()),
                    );
                }
                Shape::Expected(b) => match b.value.located() {
                    Some(value) => {
                        if let Some(bytes) = oversized(&value.value) {
                            out.push(
                                Finding::new(
                                    Rule::IdentityBlobShape,
                                    Location::request(value.pointer.clone()).key(),
                                    format!("the identity blob `value` is {bytes} bytes; Power BI refuses blobs over {MAX_BLOB_BYTES} bytes"),
                                )
                                .help("Power BI answers \"Identity blob value size exceeds size limit of 10240 bytes\": decode the token to see what makes it large — usually the `groups` claim of a user in many groups — and send a smaller Azure SQL token for that user (fewer group memberships)")
                                .arg("bytes", bytes.to_string()),
                            );
                        }
                    }
                    // `value` of another type is EG005; other keys in its place are EG003.
                    None if b.value.is_present() || b.other_keys => {}
                    None => out.push(
                        Finding::new(Rule::IdentityBlobShape, at, "`identityBlob` has no `value`")
                            .help("put the user's Azure SQL access token in it: `identityBlob: { value: \"<token>\" }`"),
                    ),
                },
            }
        }
        let Some(Body::V2(v2)) = ctx.body else { return };
        for entry in v2.datasource_identities.get().into_iter().flatten() {
            let Some(blob) = entry.identity_blob.located() else {
                continue;
            };
            if let Shape::Other(found) = &blob.value {
                let help = if *found == Kind::Object {
                    "write the token itself: `identityBlob: \"<token>\"` (the `{ value: ... }` \
                     form belongs to `identities`)"
                } else {
                    "write the user's access token for the data source as a string: \
                     `identityBlob: \"<token>\"`"
                };
                out.push(
                    Finding::new(
                        Rule::IdentityBlobShape,
                        Location::request(blob.pointer.clone()),
                        format!("`identityBlob` of a `datasourceIdentities` entry must be a plain string, found {found}"),
                    )
                    .help(help)
                    .arg("found", found.to_string()),
                );
            }
        }
    }
}

/// The size of a blob value over the limit, in bytes (UTF-8, as sent), counting only its literal
/// text: a placeholder's run-time size is not known here.
fn oversized(value: &str) -> Option<usize> {
    let bytes = literal_text(value).len();
    (bytes > MAX_BLOB_BYTES).then_some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_size_limit() {
        assert_eq!(oversized(&"A".repeat(10_240)), None);
        assert_eq!(oversized(&"A".repeat(10_241)), Some(10_241));
        assert_eq!(oversized("${sql.access_token}"), None);
        // Bytes, not characters: 5,121 two-byte characters are 10,242 bytes.
        assert_eq!(oversized(&"é".repeat(5_121)), Some(10_242));
    }
}
