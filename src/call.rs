//! How an API call's failure becomes an [`ApiError`].
//!
//! progenitor's hooks can only fail with progenitor's own error (an
//! authentication failure would be a `Custom(String)`), and its error for a
//! response without a body type drops the body. So every generated `send()`
//! (written by the build step `own_error_type`, `codegen/post/error_type.rs`)
//! runs progenitor's request code inside [`run`], which opens a **call
//! record** for that one call: a tokio task-local value, so concurrent calls
//! never see each other's record. While the call runs, the hooks
//! (`src/hooks.rs`) write to it:
//!
//! - the request's method and URL (the `pre` hook, before the credential);
//! - the typed [`crate::Error`] when no credential could be obtained (the
//!   `pre` hook then returns progenitor's `Custom` error as a marker);
//! - one attempt per request sent (backpressure retries and the renewal
//!   after a 401 included);
//! - the final status and, for 4xx/5xx, the body (read by the `exec` hook,
//!   which hands progenitor a response with the same bytes).
//!
//! When progenitor's code returns an error, [`run`] maps it to [`ApiError`]
//! with the record: the marker back to [`ApiError::Auth`] with the typed
//! error, every body through the one redaction (`src/redact.rs`).
//! Outside a call (the hooks of a client used without `send()`), recording
//! is a no-op.

use std::cell::RefCell;
use std::future::Future;
use std::sync::Arc;

use bytes::Bytes;
use futures::future::Either;
use futures::{FutureExt as _, StreamExt as _};
use http::{HeaderMap, Method, StatusCode};
use progenitor_client::{Error as ProgenitorError, ResponseValue};
use serde_json::Value;

use crate::api_error::{ApiError, RequestInfo};
use crate::redact::{BODY_LIMIT, redact_body, redact_headers, scrub_message};

/// The most of an undeclared response's body read for an error.
const READ_LIMIT: usize = 64 * 1024;

tokio::task_local! {
    static CALL: RefCell<Record>;
}

/// What the hooks saw during one call.
///
/// Kept small: tokio moves a task-local value into its thread-local slot
/// and back on every poll of the call, so what only a failing call needs
/// sits behind one box, allocated when it is first written.
#[derive(Debug, Default)]
struct Record {
    /// The method of the request sent (a copy costs nothing for the
    /// standard methods).
    method: Option<Method>,
    attempts: u32,
    status: Option<StatusCode>,
    cold: Option<Box<Cold>>,
}

/// The parts of a call's record that only errors need.
#[derive(Debug, Default)]
struct Cold {
    /// The request's URL (cleaned only if an error shows it).
    url: Option<url::Url>,
    auth: Option<crate::Error>,
    error_body: Option<Bytes>,
}

impl Record {
    fn cold(&mut self) -> &mut Cold {
        self.cold.get_or_insert_with(Box::default)
    }
}

fn with(f: impl FnOnce(&mut Record)) {
    let _ = CALL.try_with(|record| f(&mut record.borrow_mut()));
}

/// Records the request of the current call (method and URL) for an error
/// that is coming: no credential, no answer, or an error status.
pub(crate) fn note_request(request: &reqwest::Request) {
    note_sent(request.method(), Some(request.url()));
}

/// Records the request of the current call from its parts: its method,
/// and the URL its answer or error came from (`None`: a request reqwest
/// did not send, which has none).
pub(crate) fn note_sent(method: &Method, url: Option<&url::Url>) {
    with(|r| {
        r.method = Some(method.clone());
        let cold = r.cold();
        if let Some(url) = url {
            cold.url = Some(url.clone());
        }
    });
}

/// Records the URL an answer came from, for an error about its body.
fn note_url(url: &url::Url) {
    with(|r| {
        let cold = r.cold();
        if cold.url.is_none() {
            cold.url = Some(url.clone());
        }
    });
}

/// Records that no credential could be obtained.
pub(crate) fn note_auth_failure(error: crate::Error) {
    with(|r| r.cold().auth = Some(error));
}

/// Records one request sent.
pub(crate) fn note_attempt(method: &Method) {
    with(|r| {
        r.attempts += 1;
        if r.method.is_none() {
            r.method = Some(method.clone());
        }
    });
}

/// Records the final status and, for an error status, the body.
pub(crate) fn note_response(status: StatusCode, error_body: Option<Bytes>) {
    with(|r| {
        r.status = Some(status);
        if let Some(body) = error_body {
            r.cold().error_body = Some(body);
        }
    });
}

/// Runs one call's request code (progenitor's `send`) with a call record,
/// mapping its error to [`ApiError`]. `secret_paths`: where the operation's
/// contract has secret values (see `src/redact.rs`).
///
/// Built from combinators rather than as an `async fn`: an `async` wrapper
/// keeps its argument (the whole request future) once as a captured value
/// and again as the future it awaits, which made every call's future
/// several times larger than the request code it runs, and costlier to move
/// and to keep in cache. Here the request future is stored once; the record
/// is taken out while the task-local is still set (inside the scope's poll).
pub(crate) fn run<T, E, F>(
    secret_paths: &'static [&'static str],
    call: F,
) -> impl Future<Output = Result<ResponseValue<T>, ApiError<E>>>
where
    F: Future<Output = Result<ResponseValue<T>, ProgenitorError<E>>>,
{
    let recorded = call.map(|result| match result {
        Ok(value) => (Ok(value), None),
        Err(error) => (Err(error), Some(CALL.with(RefCell::take))),
    });
    CALL.scope(RefCell::new(Record::default()), recorded)
        .then(move |(result, record)| match result {
            Ok(value) => Either::Left(std::future::ready(Ok(value))),
            // The error path (reading a body, redacting it) is boxed: its
            // future would otherwise add to every call's.
            Err(error) => Either::Right(Box::pin(async move {
                Err(convert(error, record.unwrap_or_default(), secret_paths).await)
            })),
        })
}

/// `request` with `body` as its JSON body when there is one, else with the
/// empty object `{}`: the generated code of an operation whose request body
/// the contract does not require calls this where progenitor wrote
/// `.json(&body)` (step `optional_bodies` in codegen/post/optional_body.rs).
///
/// Why `{}` rather than no body, though the contract allows both: it is
/// what Camunda's TypeScript client sends for these operations when given
/// no body (tests/wire_diff/main.rs), so it is the form Camunda's gateways are
/// known to accept; a request without a body and `Content-Type` depends on
/// how the gateway's framework matches a missing `Content-Type`.
pub(crate) fn optional_json<T: serde::Serialize + ?Sized>(
    request: reqwest::RequestBuilder,
    body: Option<&T>,
) -> reqwest::RequestBuilder {
    match body {
        Some(body) => request.json(body),
        None => request
            .header(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/json"),
            )
            .body("{}"),
    }
}

/// Decodes a JSON answer (the generated code calls this where progenitor
/// wrote `ResponseValue::from_response`; step `decode_moves_headers` in
/// codegen/post/decode.rs). Same result as progenitor's, but the headers are
/// taken out of the response, which is ours, rather than copied, and the
/// body is read while the response is kept, so that an error about it can
/// name the URL.
pub(crate) fn from_response<T, E>(
    mut response: reqwest::Response,
) -> impl Future<Output = Result<ResponseValue<T>, ProgenitorError<E>>>
where
    T: serde::de::DeserializeOwned,
{
    // Not an `async fn`, which would store the response twice (argument
    // and variable); the block below holds it once.
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    async move {
        let full = match read_body(&mut response).await {
            Ok(full) => full,
            Err(error) => {
                note_url(response.url());
                return Err(ProgenitorError::ResponseBodyError(error));
            }
        };
        match serde_json::from_slice(&full) {
            Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
            Err(error) => {
                note_url(response.url());
                Err(ProgenitorError::InvalidResponsePayload(full, error))
            }
        }
    }
}

/// The whole body; without copying when it came in one piece (the usual
/// case for the small answers of these APIs).
async fn read_body(response: &mut reqwest::Response) -> reqwest::Result<Bytes> {
    let Some(first) = response.chunk().await? else {
        return Ok(Bytes::new());
    };
    let Some(second) = response.chunk().await? else {
        return Ok(first);
    };
    let mut all = bytes::BytesMut::with_capacity(first.len() + second.len());
    all.extend_from_slice(&first);
    all.extend_from_slice(&second);
    while let Some(more) = response.chunk().await? {
        all.extend_from_slice(&more);
    }
    Ok(all.freeze())
}

async fn convert<E>(
    error: ProgenitorError<E>,
    record: Record,
    secret_paths: &[&str],
) -> ApiError<E> {
    let Record {
        method,
        attempts,
        status,
        cold,
    } = record;
    let Cold {
        url,
        auth,
        error_body,
    } = cold.map(|c| *c).unwrap_or_default();
    let request = url.map(|url| RequestInfo {
        method: method.unwrap_or_default(),
        url: crate::redact::redact_url(&url),
        attempts,
    });
    // A 401 whose credential could not be renewed: the renewal's error is
    // what the caller can act on (a rejected client, an unreachable server).
    if status == Some(StatusCode::UNAUTHORIZED)
        && let Some(source) = auth
    {
        return ApiError::Auth { request, source };
    }
    match error {
        ProgenitorError::InvalidRequest(message) => ApiError::InvalidRequest { message },
        ProgenitorError::Custom(message) => match auth {
            Some(source) => ApiError::Auth { request, source },
            None => ApiError::InvalidRequest { message },
        },
        ProgenitorError::CommunicationError(e)
        | ProgenitorError::InvalidUpgrade(e)
        | ProgenitorError::ResponseBodyError(e) => ApiError::Transport {
            request,
            source: Arc::new(e.without_url()),
        },
        ProgenitorError::ErrorResponse(value) => {
            let status = value.status();
            let headers = value.headers().clone();
            let body = error_body.unwrap_or_default();
            response(
                request,
                status,
                Some(value.into_inner()),
                &body,
                headers,
                secret_paths,
            )
        }
        ProgenitorError::UnexpectedResponse(raw) => {
            let status = raw.status();
            let headers = raw.headers().clone();
            let body = match error_body {
                Some(body) => body,
                None => read_bounded(raw).await,
            };
            response(request, status, None, &body, headers, secret_paths)
        }
        ProgenitorError::InvalidResponsePayload(bytes, e) => decode_error(
            request,
            status.unwrap_or(StatusCode::OK),
            &e.to_string(),
            &bytes,
            secret_paths,
        ),
    }
}

/// [`ApiError::Decode`] for a body that could not be decoded.
pub(crate) fn decode_error<E>(
    request: Option<RequestInfo>,
    status: StatusCode,
    reason: &str,
    body: &[u8],
    secret_paths: &[&str],
) -> ApiError<E> {
    let redacted = redact_body(body, secret_paths);
    ApiError::Decode {
        request,
        status,
        reason: scrub_message(reason, &redacted.censored),
        body: redacted.text,
    }
}

fn response<E>(
    request: Option<RequestInfo>,
    status: StatusCode,
    problem: Option<E>,
    body: &[u8],
    mut headers: HeaderMap,
    secret_paths: &[&str],
) -> ApiError<E> {
    let redacted = redact_body(body, secret_paths);
    let retry_after = crate::retry::retry_after(&headers);
    redact_headers(&mut headers);
    ApiError::Response {
        request,
        status,
        problem,
        message: redacted.json.as_ref().and_then(server_message),
        body: redacted.text,
        retry_after,
        headers,
    }
}

/// The server's message in a JSON error body: `message`, `detail`,
/// `error_description` or `error`, whichever comes first, else `title`
/// (RFC 7807 problems have a title and usually a detail); a generic `error`
/// or `title` ("Bad Request") is put before a more specific message.
fn server_message(body: &Value) -> Option<String> {
    let text = |key: &str| {
        body.get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let specific = ["message", "detail", "error_description"]
        .into_iter()
        .find_map(text);
    let general = ["error", "title"].into_iter().find_map(text);
    let message = match (general, specific) {
        (Some(g), Some(s)) if g != s && !s.contains(g) => format!("{g}: {s}"),
        (_, Some(s)) => s.to_string(),
        (Some(g), None) => g.to_string(),
        (None, None) => return None,
    };
    Some(message.chars().take(BODY_LIMIT / 4).collect())
}

/// Reads at most [`READ_LIMIT`] bytes of a body; a transport error ends it.
async fn read_bounded(response: reqwest::Response) -> Bytes {
    let mut stream = response.bytes_stream();
    let mut bytes = Vec::new();
    while let Some(Ok(chunk)) = stream.next().await {
        let room = READ_LIMIT.saturating_sub(bytes.len());
        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if bytes.len() >= READ_LIMIT {
            break;
        }
    }
    bytes.into()
}

#[cfg(test)]
mod tests {
    use super::server_message;
    use serde_json::json;

    #[test]
    fn messages_of_error_bodies() {
        let m = |v| server_message(&v);
        assert_eq!(
            m(json!({"message": "plan type not available in region"})).as_deref(),
            Some("plan type not available in region")
        );
        assert_eq!(
            m(json!({"error": "Bad Request", "message": "no such region"})).as_deref(),
            Some("Bad Request: no such region")
        );
        assert_eq!(
            m(json!({"type": "about:blank", "title": "Not Found", "status": 404})).as_deref(),
            Some("Not Found")
        );
        assert_eq!(m(json!({"status": 500})), None);
        assert_eq!(m(json!(["x"])), None);
    }
}
