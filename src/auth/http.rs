//! The HTTP side of a token request: sent through the crate's own reqwest
//! client (one reqwest, one set of TLS settings), its answer read into
//! what classifying it needs.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

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

/// Status, `Retry-After` and body (at most [`MAX_BODY`] bytes) of a token
/// response: all that decides between a token, a retry and an error.
#[derive(Debug, Clone)]
pub(crate) struct Captured {
    pub(crate) status: http::StatusCode,
    pub(crate) retry_after: Option<String>,
    pub(crate) body: Vec<u8>,
}

/// Sends one token request through the crate's reqwest client, bumping each
/// of `requests` (the cache's and the key's counts) once, and reads the
/// answer.
pub(crate) async fn send(
    client: &reqwest::Client,
    requests: &[&AtomicU64],
    request: reqwest::Request,
) -> Result<Captured, TransportError> {
    for counter in requests {
        counter.fetch_add(1, Ordering::Relaxed);
    }
    let mut response = client
        .execute(request)
        .await
        .map_err(TransportError::from_reqwest)?;
    let status = response.status();
    let retry_after = response
        .headers()
        .get(http::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
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
    Ok(Captured {
        status,
        retry_after,
        body,
    })
}
