//! embedguard-executor: the real Power BI `GenerateToken` call, made only for a request the lint
//! passed (the caller's job: `embedguard token` lints first).
//!
//! [`Executor`] signs in to Microsoft Entra ([`EntraClient`]: client secret, certificate, or a
//! master user's password), caches the access token until shortly before it expires, and sends
//! [`GenerateTokenCall`]s through [`HttpClient`] — rustls, connect and total timeouts, retries
//! with backoff and jitter on 429 and 503 honouring `Retry-After`. Secrets and tokens are
//! [`Secret`]s, which never print. The HTTP client is public and async so the gateway can send
//! through the same one.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod certificate;
pub mod cloud;
pub mod credentials;
pub mod entra;
pub mod error;
pub mod http;
pub mod powerbi;
pub mod secret;

pub use cloud::{Cloud, CloudEndpoints};
pub use credentials::{Credentials, CredentialsError, SignIn};
pub use entra::EntraClient;
pub use error::{ExecutorError, Service};
pub use http::{HttpClient, HttpConfig, HttpError, HttpResponse, RetryPolicy, StreamingResponse};
pub use powerbi::{EmbedToken, GenerateTokenCall};
pub use secret::Secret;

use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};

/// Calls GenerateToken with one set of credentials against one cloud.
#[derive(Debug)]
pub struct Executor {
    http: HttpClient,
    entra: EntraClient,
    endpoints: CloudEndpoints,
}

impl Executor {
    /// An executor signing in with `credentials` to the cloud of `endpoints`.
    pub fn new(
        credentials: Credentials,
        endpoints: CloudEndpoints,
        config: HttpConfig,
    ) -> Result<Self, ExecutorError> {
        let http = HttpClient::new(config).map_err(|source| ExecutorError::Transport {
            service: Service::PowerBi,
            source,
        })?;
        let entra = EntraClient::new(http.clone(), &endpoints, credentials);
        Ok(Executor {
            http,
            entra,
            endpoints,
        })
    }

    /// The API root, authority and scope in use.
    pub fn endpoints(&self) -> &CloudEndpoints {
        &self.endpoints
    }

    /// The HTTP client (shared connection pool, timeouts, retries).
    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    /// Sends `call` and returns the embed token. An access token Power BI calls expired
    /// (`403 TokenExpired`) is dropped and the call made once more with a fresh one.
    pub async fn generate_token(
        &self,
        call: &GenerateTokenCall,
    ) -> Result<EmbedToken, ExecutorError> {
        match self.attempt(call).await {
            Err(ExecutorError::PowerBi {
                status: 403,
                code: Some(code),
                ..
            }) if code == "TokenExpired" => {
                self.entra.forget().await;
                self.attempt(call).await
            }
            other => other,
        }
    }

    async fn attempt(&self, call: &GenerateTokenCall) -> Result<EmbedToken, ExecutorError> {
        let access = self.entra.access_token().await?;
        let bearer =
            HeaderValue::from_str(&format!("Bearer {}", access.expose())).map_err(|_| {
                ExecutorError::InvalidResponse {
                    service: Service::Entra,
                    status: 200,
                    reason: "the access token is not a valid header value".into(),
                    request_id: None,
                }
            })?;
        let mut headers = reqwest::header::HeaderMap::new();
        for (name, value) in &call.headers {
            let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) else {
                continue;
            };
            headers.append(name, value);
        }
        let mut bearer = bearer;
        bearer.set_sensitive(true);
        headers.insert(AUTHORIZATION, bearer);
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let response = self
            .http
            .send(&call.url, |client| {
                client
                    .post(&call.url)
                    .headers(headers.clone())
                    .body(call.body.clone())
            })
            .await
            .map_err(|source| ExecutorError::Transport {
                service: Service::PowerBi,
                source,
            })?;
        let request_id = response.request_id();
        let secrets = [&access];
        if !response.status.is_success() {
            let (code, message) = powerbi::parse_error_body(&response.body);
            let mut scrubbed: Vec<&Secret> = self.entra.credentials().secrets();
            scrubbed.extend(secrets);
            scrubbed.extend(&call.sensitive);
            return Err(ExecutorError::PowerBi {
                status: response.status.as_u16(),
                code: code.map(|c| secret::scrub(&c, scrubbed.iter().copied())),
                message: message.map(|m| secret::scrub(&m, scrubbed.iter().copied())),
                error_info: response.header("X-PowerBI-Error-Info"),
                request_id,
                attempts: response.attempts,
            });
        }
        serde_json::from_slice::<EmbedToken>(&response.body).map_err(|e| {
            ExecutorError::InvalidResponse {
                service: Service::PowerBi,
                status: response.status.as_u16(),
                reason: error::shape_error(&e),
                request_id,
            }
        })
    }
}
