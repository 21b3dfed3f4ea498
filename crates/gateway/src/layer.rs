//! [`EmbedGuardLayer`]: the gateway's check inside someone else's tower stack (an axum or hyper
//! gateway), without the server. A denied request is answered with the problem body and never
//! reaches the inner service; an allowed one reaches it with its body intact.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use axum::http::{Request, Response};
use axum::BoxError;
use tower::{Layer, Service};

use crate::gateway::{denial, with_request_id, Gateway};
use crate::metrics::Entry;

/// Wraps a service so that every request is judged first.
#[derive(Debug, Clone)]
pub struct EmbedGuardLayer {
    gateway: Arc<Gateway>,
}

impl EmbedGuardLayer {
    /// A layer judging with `gateway` (its decider, caller source, limits and counters).
    pub fn new(gateway: Arc<Gateway>) -> Self {
        EmbedGuardLayer { gateway }
    }
}

impl<S> Layer<S> for EmbedGuardLayer {
    type Service = EmbedGuard<S>;

    fn layer(&self, inner: S) -> Self::Service {
        EmbedGuard {
            gateway: Arc::clone(&self.gateway),
            inner,
        }
    }
}

/// The service [`EmbedGuardLayer`] makes.
#[derive(Debug, Clone)]
pub struct EmbedGuard<S> {
    gateway: Arc<Gateway>,
    inner: S,
}

/// Any request body (hyper's `Incoming`, axum's `Body`, a `String` in a test) is taken; the
/// inner service gets the body as read, in an axum [`Body`], and its answer's body is passed on
/// in one too. Its errors are its own and pass through unchanged.
impl<S, B, ResBody> Service<Request<B>> for EmbedGuard<S>
where
    B: HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
    S: Service<Request<Body>, Response = Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    ResBody: HttpBody<Data = Bytes> + Send + 'static,
    ResBody::Error: Into<BoxError>,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        // The clone is not ready; the ready one (polled above) serves this request.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let gateway = Arc::clone(&self.gateway);
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let path = parts
                .uri
                .path_and_query()
                .map_or_else(|| parts.uri.path().to_string(), |p| p.as_str().to_string());
            let judged = gateway
                .judge_wire(Entry::Layer, &parts, &path, Body::new(body))
                .await;
            if !judged.decision.allow {
                return Ok(denial(&judged));
            }
            let request_id = judged.request_id.clone();
            let response = inner
                .call(Request::from_parts(parts, Body::from(judged.body)))
                .await?;
            Ok(with_request_id(response.map(Body::new), &request_id))
        })
    }
}
