//! The HTTP side of a token request: our reqwest client seen through
//! `oauth2`'s [`AsyncHttpClient`] trait, so that the crate has exactly one
//! reqwest and one set of TLS settings.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use oauth2::{AsyncHttpClient, HttpRequest, HttpResponse};

/// The largest token response body read; anything longer is cut (a token
/// response is a few kilobytes at most).
const MAX_BODY: usize = 64 * 1024;

/// Default connect timeout of the client built by
/// [`TokenCache::default_http_client`](crate::auth::TokenCache::default_http_client):
/// [`config::DEFAULT_TOKEN_CONNECT_TIMEOUT`](crate::config::DEFAULT_TOKEN_CONNECT_TIMEOUT),
/// where every default timeout is defined.
#[deprecated(note = "use camunda8::config::DEFAULT_TOKEN_CONNECT_TIMEOUT")]
pub const DEFAULT_CONNECT_TIMEOUT: Duration = crate::config::DEFAULT_TOKEN_CONNECT_TIMEOUT;
/// Default total timeout of one token request made by that client:
/// [`config::DEFAULT_TOKEN_REQUEST_TIMEOUT`](crate::config::DEFAULT_TOKEN_REQUEST_TIMEOUT).
#[deprecated(note = "use camunda8::config::DEFAULT_TOKEN_REQUEST_TIMEOUT")]
pub const DEFAULT_REQUEST_TIMEOUT: Duration = crate::config::DEFAULT_TOKEN_REQUEST_TIMEOUT;

/// A transport failure: the request got no HTTP response.
#[derive(Debug, thiserror::Error)]
#[error("{kind}: {message}")]
pub(crate) struct TransportError {
    /// "timed out", "connection failed", "request failed".
    pub(crate) kind: &'static str,
    message: String,
}

impl TransportError {
    fn from_reqwest(e: reqwest::Error) -> Self {
        // The URL is reported by the caller, without credentials.
        let e = e.without_url();
        let kind = if e.is_timeout() {
            "timed out"
        } else if e.is_connect() {
            "connection failed"
        } else {
            "request failed"
        };
        // The chain names the I/O cause; it never holds the body.
        let mut message = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            message.push_str(": ");
            message.push_str(&s.to_string());
            source = s.source();
        }
        Self { kind, message }
    }
}

/// Status, `Retry-After` and body of the last response, kept because
/// `oauth2`'s errors drop the status code that decides retry or not.
#[derive(Debug, Clone)]
pub(crate) struct Captured {
    pub(crate) status: http::StatusCode,
    pub(crate) retry_after: Option<String>,
    pub(crate) body: Vec<u8>,
}

/// Our reqwest client as an `oauth2` HTTP client, for one token request.
pub(crate) struct OAuthHttp<'a> {
    client: &'a reqwest::Client,
    /// Bumped once per request sent (the cache's and the key's counts).
    requests: &'a [&'a AtomicU64],
    last: Mutex<Option<Captured>>,
}

impl<'a> OAuthHttp<'a> {
    pub(crate) fn new(client: &'a reqwest::Client, requests: &'a [&'a AtomicU64]) -> Self {
        Self {
            client,
            requests,
            last: Mutex::new(None),
        }
    }

    /// The response the last call received, if it got one.
    pub(crate) fn take_captured(&self) -> Option<Captured> {
        self.last.lock().ok().and_then(|mut l| l.take())
    }

    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let request = reqwest::Request::try_from(request).map_err(|e| TransportError {
            kind: "request failed",
            message: format!("could not build the request: {e}"),
        })?;
        for counter in self.requests {
            counter.fetch_add(1, Ordering::Relaxed);
        }
        let mut response = self
            .client
            .execute(request)
            .await
            .map_err(TransportError::from_reqwest)?;
        let status = response.status();
        let headers = response.headers().clone();
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(TransportError::from_reqwest)?
        {
            let room = MAX_BODY.saturating_sub(body.len());
            body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            if room <= chunk.len() {
                break;
            }
        }
        let retry_after = headers
            .get(http::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        if let Ok(mut last) = self.last.lock() {
            *last = Some(Captured {
                status,
                retry_after,
                body: body.clone(),
            });
        }
        let mut out = http::Response::new(body);
        *out.status_mut() = status;
        *out.headers_mut() = headers;
        Ok(out)
    }
}

impl<'c> AsyncHttpClient<'c> for OAuthHttp<'_> {
    type Error = TransportError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(self.send(request))
    }
}
