//! The HTTP client the executor (and the gateway after it) sends through: rustls, connect and
//! total timeouts, bounded response bodies, and retries with exponential backoff and jitter on
//! `429 Too Many Requests` and `503 Service Unavailable`, honouring `Retry-After`. Any other
//! status is returned at once: a 4xx is the caller's mistake, and sending it again changes
//! nothing.

use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Client, RequestBuilder, StatusCode};

/// The largest response body read; Power BI's and Entra's answers are a few kilobytes.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Timeouts and retries.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpConfig {
    /// How long to wait for a TCP + TLS connection.
    pub connect_timeout: Duration,
    /// How long one attempt may take in all (connect, send, the whole response).
    pub timeout: Duration,
    /// When and how often to try again.
    pub retry: RetryPolicy,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
        }
    }
}

/// Retries on 429 and 503.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0: never retry).
    pub max_retries: u32,
    /// The first backoff; each retry doubles it.
    pub base_delay: Duration,
    /// The longest wait before any retry, `Retry-After` included: a server asking for more is
    /// answered with an error rather than a hang.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Whether a response with `status` is worth another attempt.
    pub fn retries_status(status: StatusCode) -> bool {
        status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE
    }

    /// The wait before retry number `retry` (0 for the first), given the server's
    /// `Retry-After`: the server's wait when it gave one, else `base_delay · 2^retry`; plus
    /// jitter of up to a quarter of it, so clients throttled together do not return together;
    /// never more than `max_delay`.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let wait = retry_after.unwrap_or_else(|| {
            self.base_delay
                .saturating_mul(2u32.saturating_pow(retry.min(16)))
        });
        let jitter = wait.mul_f64(fastrand::f64() * 0.25);
        wait.saturating_add(jitter).min(self.max_delay)
    }
}

/// The `Retry-After` header as a wait from now. Power BI and Entra send delay-seconds; an HTTP
/// date (RFC 9110 §10.2.3, which a proxy in between may send) is read too.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    retry_after_at(headers, std::time::SystemTime::now())
}

/// [`retry_after`] as seen at `now`: a date already past is no wait; a value that is neither
/// form is ignored (the backoff decides).
pub fn retry_after_at(headers: &HeaderMap, now: std::time::SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A response, read in full.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body (at most [`MAX_BODY_BYTES`]).
    pub body: Vec<u8>,
    /// How many attempts it took (1 without retries).
    pub attempts: u32,
}

impl HttpResponse {
    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }

    /// The request id to quote to Microsoft support: Power BI's `RequestId` header, else
    /// Entra's `x-ms-request-id`.
    pub fn request_id(&self) -> Option<String> {
        self.header("RequestId")
            .or_else(|| self.header("x-ms-request-id"))
    }
}

/// Why no response came back.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum HttpError {
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
    /// Connecting or answering took longer than the timeouts.
    #[error("no answer from {url} within the timeout ({attempts} attempt(s))")]
    Timeout {
        /// The URL.
        url: String,
        /// Attempts made.
        attempts: u32,
    },
    /// No connection (refused, DNS, TLS).
    #[error("cannot reach {url}: {reason}")]
    Unreachable {
        /// The URL.
        url: String,
        /// The transport's reason.
        reason: String,
    },
    /// The response body was larger than [`MAX_BODY_BYTES`].
    #[error("the answer from {url} is larger than {MAX_BODY_BYTES} bytes")]
    TooLarge {
        /// The URL.
        url: String,
    },
}

/// An HTTP client with timeouts and retries; cheap to clone (the connection pool is shared).
#[derive(Debug, Clone)]
pub struct HttpClient {
    client: Client,
    config: HttpConfig,
}

impl HttpClient {
    /// A client with `config`.
    pub fn new(config: HttpConfig) -> Result<Self, HttpError> {
        let client = Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .user_agent(concat!("embedguard/", env!("CARGO_PKG_VERSION")))
            // Credentials go to the host that was named, never to where a redirect points.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| HttpError::Client(error_chain(&e)))?;
        Ok(HttpClient { client, config })
    }

    /// The configuration.
    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    /// Sends the request `build` makes (called again for each attempt), retrying on 429 and
    /// 503 as [`RetryPolicy`] says. The last response is returned whatever its status; `Err`
    /// only when no response came.
    pub async fn send(
        &self,
        url: &str,
        build: impl Fn(&Client) -> RequestBuilder,
    ) -> Result<HttpResponse, HttpError> {
        let retry = &self.config.retry;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let response = match build(&self.client).send().await {
                Ok(r) => r,
                Err(e) => return Err(transport_error(url, &e, attempts)),
            };
            let status = response.status();
            let headers = response.headers().clone();
            let body = read_body(url, response, attempts).await?;
            if RetryPolicy::retries_status(status) && attempts <= retry.max_retries {
                tokio::time::sleep(retry.delay(attempts - 1, retry_after(&headers))).await;
                continue;
            }
            return Ok(HttpResponse {
                status,
                headers,
                body,
                attempts,
            });
        }
    }
}

/// A response whose status and headers have arrived and whose body is read piece by piece:
/// what a proxy passes on as it comes, without holding it whole (and without
/// [`MAX_BODY_BYTES`]).
#[derive(Debug)]
pub struct StreamingResponse {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    url: String,
    response: reqwest::Response,
}

impl StreamingResponse {
    /// The next piece of the body, `None` at its end. The client's total timeout still bounds
    /// the whole exchange; an error means the body was cut short.
    pub async fn chunk(&mut self) -> Result<Option<bytes::Bytes>, HttpError> {
        self.response
            .chunk()
            .await
            .map_err(|e| transport_error(&self.url, &e, 1))
    }
}

impl HttpClient {
    /// Sends the request `build` makes once, without retrying, and returns as soon as the
    /// status and headers are in. For a proxy: it passes the answer on as it arrives, and a
    /// 429 goes back to the app, which decides when to try again.
    pub async fn send_streaming(
        &self,
        url: &str,
        build: impl FnOnce(&Client) -> RequestBuilder,
    ) -> Result<StreamingResponse, HttpError> {
        let response = build(&self.client)
            .send()
            .await
            .map_err(|e| transport_error(url, &e, 1))?;
        Ok(StreamingResponse {
            status: response.status(),
            headers: response.headers().clone(),
            url: url.to_string(),
            response,
        })
    }
}

/// Reads a body of at most [`MAX_BODY_BYTES`].
async fn read_body(
    url: &str,
    mut response: reqwest::Response,
    attempts: u32,
) -> Result<Vec<u8>, HttpError> {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(HttpError::TooLarge {
                        url: url.to_string(),
                    });
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) => return Err(transport_error(url, &e, attempts)),
        }
    }
}

fn transport_error(url: &str, e: &reqwest::Error, attempts: u32) -> HttpError {
    if e.is_timeout() {
        HttpError::Timeout {
            url: url.to_string(),
            attempts,
        }
    } else {
        // reqwest's own message only repeats the URL; the cause is in its sources.
        let reason = std::error::Error::source(e).map_or_else(|| e.to_string(), error_chain);
        HttpError::Unreachable {
            url: url.to_string(),
            reason,
        }
    }
}

/// An error and its sources, `: `-joined (reqwest's own message hides the cause). None of these
/// carries a request body, so no secret reaches it.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_honours_retry_after_and_is_bounded() {
        let p = RetryPolicy {
            max_retries: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
        };
        for _ in 0..50 {
            let d0 = p.delay(0, None);
            assert!(d0 >= Duration::from_millis(100) && d0 <= Duration::from_millis(125));
            let d2 = p.delay(2, None);
            assert!(d2 >= Duration::from_millis(400) && d2 <= Duration::from_millis(500));
            let ra = p.delay(0, Some(Duration::from_secs(1)));
            assert!(ra >= Duration::from_secs(1) && ra <= Duration::from_millis(1250));
            assert_eq!(p.delay(0, Some(Duration::from_secs(3600))), p.max_delay);
            assert_eq!(p.delay(30, None), p.max_delay);
        }
    }

    #[test]
    fn retry_after_seconds_or_date() {
        let mut h = HeaderMap::new();
        assert_eq!(retry_after(&h), None);
        h.insert(RETRY_AFTER, "7".parse().expect("header"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        h.insert(RETRY_AFTER, "soon".parse().expect("header"));
        assert_eq!(retry_after(&h), None);
        // An HTTP date: the time left until it, none once it has passed.
        let date = "Wed, 21 Oct 2015 07:28:00 GMT";
        h.insert(RETRY_AFTER, date.parse().expect("header"));
        let at = httpdate::parse_http_date(date).expect("date");
        let before = at - Duration::from_secs(90);
        assert_eq!(retry_after_at(&h, before), Some(Duration::from_secs(90)));
        assert_eq!(
            retry_after_at(&h, at + Duration::from_secs(5)),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
        assert!(RetryPolicy::retries_status(StatusCode::TOO_MANY_REQUESTS));
        assert!(RetryPolicy::retries_status(StatusCode::SERVICE_UNAVAILABLE));
        assert!(!RetryPolicy::retries_status(StatusCode::BAD_REQUEST));
        assert!(!RetryPolicy::retries_status(
            StatusCode::INTERNAL_SERVER_ERROR
        ));
    }
}
