//! The error of every API call: [`ApiError`].
//!
//! Every `send()` of every generated client (and the hand-written helpers in
//! [`crate::text`]) fails with `ApiError<E>`, where `E` is the operation's
//! typed problem body (`()` when the contract declares errors without a
//! body). It is built from what the call actually did (see `src/call/record.rs` and `src/call/error.rs`):
//! the request's method and URL, how many attempts were made, the status,
//! the body the server sent (redacted by `src/redact.rs` and bounded), and,
//! when the credential could not be obtained, the typed [`crate::Error`].
//!
//! Nothing secret is ever printed by `Display` or `Debug`: the URL has no
//! user info, query or fragment, and bodies are redacted before they are
//! stored.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::{Method, StatusCode};

/// The request an error is about.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestInfo {
    /// The HTTP method.
    pub method: Method,
    /// The URL without user info, query or fragment.
    pub url: String,
    /// Requests sent for this call: backpressure retries and the renewal
    /// after a 401 included (0 when nothing was sent).
    pub attempts: u32,
}

impl fmt::Display for RequestInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.url)?;
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

/// Renders an optional request for messages.
struct Shown<'a>(&'a Option<RequestInfo>);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(request) => write!(f, "{request}"),
            None => f.write_str("request"),
        }
    }
}

/// Why an API call failed. `E` is the operation's typed problem body.
///
/// Match on the variant to act, or use the accessors ([`status`](Self::status),
/// [`is_transient`](Self::is_transient), [`retry_after`](Self::retry_after),
/// [`attempts`](Self::attempts), [`message`](Self::message)). Convert into
/// [`crate::Error`] with `?` (or `.into()`) to handle configuration,
/// authentication and calls as one error type.
///
/// ```no_run
/// # async fn run(camunda: camunda8::Camunda) -> Result<(), camunda8::Error> {
/// use camunda8::ApiError;
///
/// match camunda.zeebe()?.get_topology().send().await {
///     Ok(topology) => println!("{:?}", topology.gateway_version),
///     Err(ApiError::Auth { source, .. }) if !source.is_transient() => {
///         eprintln!("check the client credentials: {source}")
///     }
///     Err(e) if e.is_transient() => eprintln!("try again in {:?}: {e}", e.retry_after()),
///     Err(e) => return Err(e.into()),
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError<E = ()> {
    /// No credential could be obtained for the request (the token endpoint
    /// refused the client or was unavailable, a login failed). Nothing was
    /// sent to the API.
    #[error("{}: authentication failed: {source}", Shown(request))]
    Auth {
        /// The request that was not sent.
        request: Option<RequestInfo>,
        /// The typed authentication error.
        source: crate::Error,
    },

    /// The request could not be built (a required parameter is missing, a
    /// value does not fit the contract). Nothing was sent.
    #[error("invalid request: {message}")]
    InvalidRequest {
        /// What is wrong.
        message: String,
    },

    /// No (complete) response: the connection failed, timed out, or broke
    /// while the body was read.
    #[error("{}: {source}", Shown(request))]
    Transport {
        /// The request.
        request: Option<RequestInfo>,
        /// reqwest's error, without the URL.
        source: Arc<reqwest::Error>,
    },

    /// The server answered with a status the operation does not treat as
    /// success (after backpressure retries ran out, for 429, 503 and
    /// `RESOURCE_EXHAUSTED`).
    #[error("{}: HTTP {status}{}", Shown(request), detail(message, body))]
    Response {
        /// The request.
        request: Option<RequestInfo>,
        /// The status.
        status: StatusCode,
        /// The typed problem body, when the contract declares this status
        /// and its body decoded (`Some(())` for a declared status without a
        /// body type); `None` for an undeclared status.
        problem: Option<E>,
        /// The server's message: the `message`, `detail`, `error_description`,
        /// `error` or `title` field of a JSON body (redacted).
        message: Option<String>,
        /// The body as text, redacted and at most a few KiB.
        body: String,
        /// The `Retry-After` the server sent, if any.
        retry_after: Option<Duration>,
        /// The response headers, without those that carry credentials
        /// (`Set-Cookie`, `Authorization`, any name naming a secret, token,
        /// password, credential or cookie).
        headers: http::HeaderMap,
    },

    /// A success status whose body could not be decoded as the contract's
    /// type (or, for a text body, is not UTF-8).
    #[error(
        "{}: HTTP {status}: undecodable response body: {reason}; body: {body}",
        Shown(request)
    )]
    Decode {
        /// The request.
        request: Option<RequestInfo>,
        /// The status.
        status: StatusCode,
        /// The decoder's message, with any quoted secret removed.
        reason: String,
        /// The body as text, redacted and at most a few KiB.
        body: String,
    },
}

fn detail(message: &Option<String>, body: &str) -> String {
    match message {
        Some(m) => format!(": {m}"),
        None if body.is_empty() => String::new(),
        None => format!("; body: {body}"),
    }
}

impl<E> ApiError<E> {
    /// The request the error is about, when one was built.
    pub fn request(&self) -> Option<&RequestInfo> {
        match self {
            ApiError::Auth { request, .. }
            | ApiError::Transport { request, .. }
            | ApiError::Response { request, .. }
            | ApiError::Decode { request, .. } => request.as_ref(),
            ApiError::InvalidRequest { .. } => None,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            ApiError::Response { status, .. } | ApiError::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Requests sent for this call (retries and the 401 renewal included).
    pub fn attempts(&self) -> u32 {
        self.request().map_or(0, |r| r.attempts)
    }

    /// The server's message (see [`ApiError::Response`]), if any.
    pub fn message(&self) -> Option<&str> {
        match self {
            ApiError::Response { message, .. } => message.as_deref(),
            _ => None,
        }
    }

    /// The typed problem body, when the server sent a declared one.
    pub fn problem(&self) -> Option<&E> {
        match self {
            ApiError::Response { problem, .. } => problem.as_ref(),
            _ => None,
        }
    }

    /// Whether the same call may succeed later: an unavailable auth server,
    /// a transport failure, status 408, 429, 502, 503 or 504, or a 500
    /// reporting `RESOURCE_EXHAUSTED` (backpressure answers come here after
    /// the client's own retries ran out).
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Auth { source, .. } => source.is_transient(),
            ApiError::Transport { .. } => true,
            ApiError::Response { status, body, .. } => {
                matches!(status.as_u16(), 408 | 429 | 502 | 503 | 504)
                    || (status.as_u16() == 500 && body.contains("RESOURCE_EXHAUSTED"))
            }
            ApiError::InvalidRequest { .. } | ApiError::Decode { .. } => false,
        }
    }

    /// How long the server (API or token endpoint) asked to wait, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ApiError::Response { retry_after, .. } => *retry_after,
            ApiError::Auth {
                source: crate::Error::TokenUnavailable { retry_after, .. },
                ..
            } => *retry_after,
            _ => None,
        }
    }

    /// The same error without the typed problem body (its message and the
    /// redacted body are kept), e.g. to store errors of several operations
    /// together.
    pub fn into_untyped(self) -> ApiError<()> {
        match self {
            ApiError::Auth { request, source } => ApiError::Auth { request, source },
            ApiError::InvalidRequest { message } => ApiError::InvalidRequest { message },
            ApiError::Transport { request, source } => ApiError::Transport { request, source },
            ApiError::Response {
                request,
                status,
                problem,
                message,
                body,
                retry_after,
                headers,
            } => ApiError::Response {
                request,
                status,
                problem: problem.map(|_| ()),
                message,
                body,
                retry_after,
                headers,
            },
            ApiError::Decode {
                request,
                status,
                reason,
                body,
            } => ApiError::Decode {
                request,
                status,
                reason,
                body,
            },
        }
    }
}

impl<E: Clone> Clone for ApiError<E> {
    fn clone(&self) -> Self {
        match self {
            ApiError::Auth { request, source } => ApiError::Auth {
                request: request.clone(),
                source: source.clone(),
            },
            ApiError::InvalidRequest { message } => ApiError::InvalidRequest {
                message: message.clone(),
            },
            ApiError::Transport { request, source } => ApiError::Transport {
                request: request.clone(),
                source: Arc::clone(source),
            },
            ApiError::Response {
                request,
                status,
                problem,
                message,
                body,
                retry_after,
                headers,
            } => ApiError::Response {
                request: request.clone(),
                status: *status,
                problem: problem.clone(),
                message: message.clone(),
                body: body.clone(),
                retry_after: *retry_after,
                headers: headers.clone(),
            },
            ApiError::Decode {
                request,
                status,
                reason,
                body,
            } => ApiError::Decode {
                request: request.clone(),
                status: *status,
                reason: reason.clone(),
                body: body.clone(),
            },
        }
    }
}

impl<E> From<ApiError<E>> for crate::Error {
    /// An authentication failure becomes the typed [`crate::Error`] it
    /// carries; any other failure becomes [`crate::Error::Api`] (without the
    /// typed problem body).
    fn from(error: ApiError<E>) -> Self {
        match error {
            ApiError::Auth { source, .. } => source,
            other => crate::Error::Api(Box::new(other.into_untyped())),
        }
    }
}
