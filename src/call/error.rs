//! How an API call's failure becomes an [`ApiError`]: the error progenitor's
//! code returned, and the call's record (`record.rs`), mapped to one
//! variant; every body through the one redaction (`src/redact.rs`). The
//! marker of a failed credential goes back to [`ApiError::Auth`] with the
//! typed error.

use std::sync::Arc;

use bytes::Bytes;
use futures::StreamExt as _;
use http::{HeaderMap, StatusCode};
use progenitor_client::Error as ProgenitorError;
use serde_json::Value;

use super::record::{Cold, Record};
use crate::api_error::{ApiError, RequestInfo};
use crate::redact::{BODY_LIMIT, redact_body, redact_headers, scrub_message};

/// The most of an undeclared response's body read for an error.
const READ_LIMIT: usize = 64 * 1024;

pub(super) async fn convert<E>(
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
    let retry_after = super::retry::retry_after(&headers);
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
