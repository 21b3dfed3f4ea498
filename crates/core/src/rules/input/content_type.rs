//! EG009 content-type — `rules/EG009-content-type.md`.

use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;

/// The only media type GenerateToken consumes.
const JSON: &str = "application/json";

/// When a request states its headers, the body must be declared as JSON.
pub struct ContentType;

impl Check for ContentType {
    fn rule(&self) -> Rule {
        Rule::ContentType
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let request = ctx.request;
        // Without `headers` the description does not say how the body is sent; without a body
        // there is nothing to declare.
        let (Some(headers_at), Some(_)) = (&request.headers_pointer, &request.body_pointer) else {
            return;
        };
        let mut content_types = request
            .headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case("Content-Type"));
        let (first, second) = (content_types.next(), content_types.next());
        match (first, second) {
            (None, _) => out.push(
                Finding::new(
                    Rule::ContentType,
                    Location::request(headers_at.clone()),
                    "the request sends a body but its `headers` have no `Content-Type`",
                )
                .help("add `Content-Type: application/json` to `headers`; without it Power BI reads the body as `application/octet-stream` and refuses it")
                .arg("found", ""),
            ),
            (Some(header), None) if !is_json(&header.value.value) => out.push(
                Finding::new(
                    Rule::ContentType,
                    Location::request(header.value.pointer.clone()),
                    format!(
                        "the body is sent as `{}`, but GenerateToken reads only `{JSON}`",
                        header.value.value.trim()
                    ),
                )
                .help("serialize the body as JSON and send `Content-Type: application/json` (with `requests`, pass `json=body`, not `data=body`; do not form-encode it)")
                .arg("found", header.value.value.clone()),
            ),
            // Two `Content-Type` headers are EG002 (duplicate-key): one mistake, one finding.
            _ => {}
        }
    }
}

/// Whether a `Content-Type` value names JSON: `application/json`, in any letter case, with or
/// without parameters (`; charset=utf-8`, which the official SDK sends).
fn is_json(value: &str) -> bool {
    let media_type = value.split(';').next().unwrap_or_default().trim();
    media_type.eq_ignore_ascii_case(JSON)
}

#[cfg(test)]
mod tests {
    use super::is_json;
    use crate::rules::testing::codes;
    use serde_json::json;

    fn request(headers: Option<serde_json::Value>, body: bool) -> serde_json::Value {
        let mut r = json!({ "caller": "sp", "path": "/v1.0/myorg/GenerateToken" });
        if let Some(h) = headers {
            r["headers"] = h;
        }
        if body {
            r["body"] = json!({ "reports": [] });
        }
        json!({ "embedguard": 1, "requests": [r] })
    }

    #[test]
    fn judged_only_when_headers_and_a_body_are_given() {
        let eg009 = |d| codes(d).contains(&"EG009");
        assert!(!eg009(request(None, true)));
        assert!(!eg009(request(
            Some(json!({ "Accept": "application/json" })),
            false
        )));
        assert!(eg009(request(
            Some(json!({ "Accept": "application/json" })),
            true
        )));
        assert!(!eg009(request(
            Some(json!({ "CONTENT-TYPE": "application/json" })),
            true
        )));
        // `headers` that is not a map is EG005's alone.
        assert!(!eg009(request(
            Some(json!(["Content-Type: text/plain"])),
            true
        )));
    }

    #[test]
    fn media_types() {
        assert!(is_json("application/json"));
        assert!(is_json("application/json; charset=utf-8"));
        assert!(is_json(" Application/JSON ;charset=UTF-8"));
        assert!(!is_json("application/x-www-form-urlencoded"));
        assert!(!is_json("text/plain; charset=utf-8"));
        assert!(!is_json("application/jsonp"));
        assert!(!is_json("text/json"));
        assert!(!is_json(""));
    }
}
