//! The GenerateToken call: what is sent, what comes back, and Power BI's error bodies.

use serde::Deserialize;

use crate::cloud::CloudEndpoints;

/// The header names a description may not set: the executor owns them.
const RESERVED_HEADERS: &[&str] = &[
    "authorization",
    "content-type",
    "content-length",
    "host",
    "transfer-encoding",
    "connection",
];

/// One GenerateToken call, ready to send: always `POST`, always a JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateTokenCall {
    /// The full URL.
    pub url: String,
    /// Extra headers from the description (`X-PowerBI-Profile-Id`), reserved ones left out.
    pub headers: Vec<(String, String)>,
    /// The JSON body as text: sent byte for byte, so its keys stay in the order the
    /// description wrote them.
    pub body: String,
    /// Values filled into the body or headers that an error must never echo: a `--var` may
    /// carry an identity blob's access token or a customer's user name.
    pub sensitive: Vec<crate::secret::Secret>,
}

impl GenerateTokenCall {
    /// The call to `path` (`/v1.0/myorg/…/GenerateToken`) under the API root of `endpoints`.
    pub fn new(
        endpoints: &CloudEndpoints,
        path: &str,
        headers: impl IntoIterator<Item = (String, String)>,
        body: String,
    ) -> Self {
        GenerateTokenCall {
            url: endpoints.api_url(path),
            headers: headers
                .into_iter()
                .filter(|(name, _)| !RESERVED_HEADERS.contains(&name.to_ascii_lowercase().as_str()))
                .collect(),
            body,
            sensitive: Vec::new(),
        }
    }

    /// The same call, with `values` kept out of any error it leads to.
    pub fn with_sensitive(
        mut self,
        values: impl IntoIterator<Item = crate::secret::Secret>,
    ) -> Self {
        self.sensitive.extend(values);
        self
    }

    /// The method: every GenerateToken endpoint is `POST`.
    pub fn method(&self) -> &'static str {
        "POST"
    }
}

/// Power BI's `EmbedToken`.
#[derive(Debug, Clone, Deserialize)]
pub struct EmbedToken {
    /// The embed token.
    pub token: crate::secret::Secret,
    /// Its id.
    #[serde(rename = "tokenId")]
    pub token_id: String,
    /// When it expires (UTC, ISO 8601).
    pub expiration: String,
}

impl EmbedToken {
    /// The JSON Power BI returned, as the caller prints it: `token`, `tokenId`, `expiration`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "token": self.token.expose(),
            "tokenId": self.token_id,
            "expiration": self.expiration,
        })
    }
}

/// `error.code` and `error.message` of a Power BI error body.
///
/// The shapes seen (facts §d): `{"error":{"code":"InvalidRequest","message":"…"}}`;
/// `{"error":{"code":"PowerBINotAuthorizedException","pbi.error":{…}}}` with no message;
/// `{"code":…,"message":…}` unwrapped; and plain text (`InvalidRequest-Creating embed token …`,
/// or an HTML page from a proxy). Text that is not JSON is kept (first 500 characters) as the
/// message when it is not markup.
pub fn parse_error_body(body: &[u8]) -> (Option<String>, Option<String>) {
    #[derive(Deserialize)]
    struct Inner {
        code: Option<String>,
        message: Option<String>,
        #[serde(rename = "pbi.error")]
        pbi: Option<serde_json::Value>,
    }
    #[derive(Deserialize)]
    struct Wrapped {
        error: Inner,
    }
    let inner = serde_json::from_slice::<Wrapped>(body)
        .map(|w| w.error)
        .or_else(|_| serde_json::from_slice::<Inner>(body));
    if let Ok(inner) = inner {
        let message = inner.message.or_else(|| {
            inner
                .pbi
                .as_ref()
                .and_then(|p| p.get("code"))
                .and_then(|c| c.as_str())
                .map(str::to_string)
        });
        if inner.code.is_some() || message.is_some() {
            return (inner.code, message);
        }
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() || text.starts_with('<') || text.starts_with('{') {
        return (None, None);
    }
    // `InvalidRequest-Creating embed token …`: the code glued to the message.
    if let Some((code, message)) = text.split_once('-') {
        if !code.is_empty() && code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return (Some(code.to_string()), Some(shorten(message)));
        }
    }
    (None, Some(shorten(text)))
}

fn shorten(s: &str) -> String {
    s.chars().take(500).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_shapes() {
        assert_eq!(
            parse_error_body(br#"{"error":{"code":"InvalidRequest","message":"Identity blob value size exceeds size limit of 10240 bytes"}}"#),
            (Some("InvalidRequest".into()), Some("Identity blob value size exceeds size limit of 10240 bytes".into()))
        );
        assert_eq!(
            parse_error_body(br#"{"error":{"code":"PowerBINotAuthorizedException","pbi.error":{"code":"PowerBINotAuthorizedException","parameters":{}}}}"#),
            (Some("PowerBINotAuthorizedException".into()), Some("PowerBINotAuthorizedException".into()))
        );
        assert_eq!(
            parse_error_body(b"InvalidRequest-Creating embed token for paginated report is only supported with workspaces v2"),
            (Some("InvalidRequest".into()), Some("Creating embed token for paginated report is only supported with workspaces v2".into()))
        );
        assert_eq!(parse_error_body(b"<html>bad gateway</html>"), (None, None));
        assert_eq!(parse_error_body(b""), (None, None));
    }

    #[test]
    fn reserved_headers_are_the_executors() {
        let e = CloudEndpoints::of(crate::cloud::Cloud::Public);
        let call = GenerateTokenCall::new(
            &e,
            "/v1.0/myorg/GenerateToken",
            [
                ("Authorization".to_string(), "Bearer x".to_string()),
                ("X-PowerBI-Profile-Id".to_string(), "p".to_string()),
                ("content-type".to_string(), "text/plain".to_string()),
            ],
            "{}".to_string(),
        );
        assert_eq!(call.url, "https://api.powerbi.com/v1.0/myorg/GenerateToken");
        assert_eq!(
            call.headers,
            vec![("X-PowerBI-Profile-Id".to_string(), "p".to_string())]
        );
    }
}
