//! Signing in to Microsoft Entra for a Power BI access token, cached until shortly before it
//! expires.

use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::sync::Mutex;

use crate::cloud::CloudEndpoints;
use crate::credentials::{Credentials, SignIn};
use crate::error::{ExecutorError, Service};
use crate::http::HttpClient;
use crate::secret::{scrub, Secret};

/// A cached token is renewed this long before it expires, so it is never sent about to lapse.
const RENEW_BEFORE: Duration = Duration::from_secs(300);

/// The JWT-bearer assertion type of the certificate grant.
const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// An access token and when to stop using it.
struct Cached {
    token: Secret,
    renew_at: Instant,
}

/// Asks Entra for Power BI access tokens with one set of credentials, and remembers the last one.
pub struct EntraClient {
    http: HttpClient,
    token_url: String,
    scope: String,
    credentials: Credentials,
    cache: Mutex<Option<Cached>>,
}

impl std::fmt::Debug for EntraClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EntraClient")
            .field("token_url", &self.token_url)
            .field("scope", &self.scope)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

/// Entra's token response.
#[derive(Deserialize)]
struct TokenResponse {
    access_token: Secret,
    expires_in: Option<u64>,
}

/// Entra's error response.
#[derive(Deserialize)]
struct TokenError {
    error: String,
    error_description: Option<String>,
    correlation_id: Option<String>,
}

impl EntraClient {
    /// A client signing in with `credentials` at the authority and scope of `endpoints`.
    pub fn new(http: HttpClient, endpoints: &CloudEndpoints, credentials: Credentials) -> Self {
        EntraClient {
            http,
            token_url: endpoints.token_url(&credentials.tenant_id),
            scope: endpoints.scope.clone(),
            credentials,
            cache: Mutex::new(None),
        }
    }

    /// The credentials it signs in with.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// A valid access token: the cached one, or a new one from Entra.
    pub async fn access_token(&self) -> Result<Secret, ExecutorError> {
        let mut cache = self.cache.lock().await;
        if let Some(c) = cache.as_ref() {
            if Instant::now() < c.renew_at {
                return Ok(c.token.clone());
            }
        }
        let (token, lifetime) = self.request_token().await?;
        // A token shorter-lived than twice the margin is renewed at half its life.
        let margin = RENEW_BEFORE.min(lifetime / 2);
        *cache = Some(Cached {
            token: token.clone(),
            renew_at: Instant::now() + lifetime.saturating_sub(margin),
        });
        Ok(token)
    }

    /// Forgets the cached token (Power BI said it expired).
    pub async fn forget(&self) {
        *self.cache.lock().await = None;
    }

    async fn request_token(&self) -> Result<(Secret, Duration), ExecutorError> {
        let c = &self.credentials;
        let assertion;
        let mut form: Vec<(&str, &str)> = vec![("client_id", &c.client_id), ("scope", &self.scope)];
        match &c.sign_in {
            SignIn::ClientSecret(secret) => {
                form.push(("grant_type", "client_credentials"));
                form.push(("client_secret", secret.expose()));
            }
            SignIn::Certificate(cert) => {
                assertion = cert
                    .assertion(&c.client_id, &self.token_url)
                    .map_err(|source| crate::credentials::CredentialsError::Certificate {
                        path: "EMBEDGUARD_CERTIFICATE".into(),
                        source,
                    })?;
                form.push(("grant_type", "client_credentials"));
                form.push(("client_assertion_type", ASSERTION_TYPE));
                form.push(("client_assertion", assertion.expose()));
            }
            SignIn::MasterUser { username, password } => {
                form.push(("grant_type", "password"));
                form.push(("username", username));
                form.push(("password", password.expose()));
            }
        }
        let response = self
            .http
            .send(&self.token_url, |client| {
                client.post(&self.token_url).form(&form)
            })
            .await
            .map_err(|source| ExecutorError::Transport {
                service: Service::Entra,
                source,
            })?;
        let request_id = response.request_id();
        if !response.status.is_success() {
            let (error, description, correlation_id) =
                match serde_json::from_slice::<TokenError>(&response.body) {
                    Ok(e) => (e.error, e.error_description, e.correlation_id),
                    Err(_) => (
                        response
                            .status
                            .canonical_reason()
                            .unwrap_or("error")
                            .to_string(),
                        None,
                        None,
                    ),
                };
            return Err(ExecutorError::SignIn {
                status: response.status.as_u16(),
                error: scrub(&error, c.secrets()),
                description: description.map(|d| scrub(first_line(&d), c.secrets())),
                request_id,
                correlation_id,
            });
        }
        let token: TokenResponse =
            serde_json::from_slice(&response.body).map_err(|e| ExecutorError::InvalidResponse {
                service: Service::Entra,
                status: response.status.as_u16(),
                reason: crate::error::shape_error(&e),
                request_id: request_id.clone(),
            })?;
        if token.access_token.is_empty() {
            return Err(ExecutorError::InvalidResponse {
                service: Service::Entra,
                status: response.status.as_u16(),
                reason: "`access_token` is empty".into(),
                request_id,
            });
        }
        // Entra's tokens live 60-90 minutes; without `expires_in`, assume the short end.
        let lifetime = Duration::from_secs(token.expires_in.unwrap_or(3600));
        Ok((token.access_token, lifetime))
    }
}

/// Entra's descriptions continue with `Trace ID:` / `Correlation ID:` / `Timestamp:` lines.
fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s).trim()
}
