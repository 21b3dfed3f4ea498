//! What can go wrong between asking and getting a token. Every error that came with a response
//! keeps its request id (Power BI's `RequestId` header, Entra's `x-ms-request-id`), the number
//! support asks for. No variant holds a secret: server text is scrubbed of the credentials
//! before it is stored.

use crate::credentials::CredentialsError;
use crate::http::HttpError;

/// The service an error came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::Display)]
pub enum Service {
    /// Microsoft Entra (sign-in).
    #[strum(serialize = "Microsoft Entra")]
    Entra,
    /// The Power BI REST API.
    #[strum(serialize = "Power BI")]
    PowerBi,
}

/// Why no embed token came back.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ExecutorError {
    /// The credentials could not be read.
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    /// No response from a service.
    #[error("{service}: {source}")]
    Transport {
        /// Which service.
        service: Service,
        /// What happened.
        source: HttpError,
    },
    /// Entra refused to issue an access token.
    #[error("{} refused to sign in ({status}): {error}{}", Service::Entra, description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    SignIn {
        /// The HTTP status.
        status: u16,
        /// The OAuth error code (`invalid_client`).
        error: String,
        /// Entra's description (`AADSTS7000215: Invalid client secret provided…`), scrubbed.
        description: Option<String>,
        /// The `x-ms-request-id` header.
        request_id: Option<String>,
        /// Entra's `correlation_id`.
        correlation_id: Option<String>,
    },
    /// Power BI answered GenerateToken with an error.
    #[error("{} refused the token ({status}{}){}", Service::PowerBi, code.as_deref().map(|c| format!(" {c}")).unwrap_or_default(), message.as_deref().map(|m| format!(": {m}")).unwrap_or_default())]
    PowerBi {
        /// The HTTP status.
        status: u16,
        /// `error.code` of the body (`InvalidRequest`, `TokenExpired`).
        code: Option<String>,
        /// `error.message` of the body (or the body's text), scrubbed.
        message: Option<String>,
        /// The `X-PowerBI-Error-Info` header (`ServicePrincipalIsNotAllowedByTenantAdminSwitch`).
        error_info: Option<String>,
        /// The `RequestId` header.
        request_id: Option<String>,
        /// How many attempts were made (more than 1 after throttling).
        attempts: u32,
    },
    /// A success status with a body that is not what the service promises.
    #[error("{service} answered {status} with an unexpected body: {reason}")]
    InvalidResponse {
        /// Which service.
        service: Service,
        /// The HTTP status.
        status: u16,
        /// What is wrong with it.
        reason: String,
        /// The request id header.
        request_id: Option<String>,
    },
}

impl ExecutorError {
    /// The request id of the response behind this error, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            ExecutorError::SignIn { request_id, .. }
            | ExecutorError::PowerBi { request_id, .. }
            | ExecutorError::InvalidResponse { request_id, .. } => request_id.as_deref(),
            ExecutorError::Credentials(_) | ExecutorError::Transport { .. } => None,
        }
    }
}

/// Why a body is not the JSON expected, without quoting any of it: serde's messages quote the
/// offending value (`invalid type: string "…"`), which could be a token.
pub(crate) fn shape_error(e: &serde_json::Error) -> String {
    let message = e.to_string();
    if message.starts_with("missing field") {
        // `missing field `tokenId` at line 1 column 40`: names the field only.
        message
    } else {
        format!(
            "not the JSON expected (line {}, column {})",
            e.line(),
            e.column()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_errors_never_quote_the_body() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct T {
            n: u64,
        }
        let e = serde_json::from_str::<T>(r#"{"n": "secret-looking-value"}"#).expect_err("bad");
        assert!(e.to_string().contains("secret-looking-value"));
        assert!(!shape_error(&e).contains("secret-looking-value"));
        let e = serde_json::from_str::<T>("{}").expect_err("missing");
        assert!(shape_error(&e).starts_with("missing field `n`"));
    }
}
