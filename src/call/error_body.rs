//! Phase 6, the error body: an error response's body is kept for the
//! call's error, and an empty one gets a problem document.
//!
//! progenitor drops the body of an error response whose contract declares
//! no body type (the Administration API declares all its errors so), so the
//! attempt loop's end (`attempts.rs`) reads every 4xx/5xx body here and
//! records it for the call's [`crate::ApiError`] (`record.rs`), handing
//! progenitor a response with the same bytes.
//!
//! Camunda's servers also answer some errors (a Zeebe 404, a gateway's 502)
//! with an empty body while the contract types error bodies as RFC 7807
//! problem details. The build gives every error response of an operation
//! that one type; here an empty error body is replaced by
//! `{"type":"about:blank","title":<reason>,"status":<code>}` so the caller
//! always gets a typed, matchable problem with the status.

use bytes::Bytes;
use http::{HeaderValue, header};
use reqwest::Response;

/// For a 4xx/5xx response: the response rebuilt around its body (a minimal
/// problem document when it was empty) and the body as received. Other
/// responses are returned untouched, with `None`.
pub(crate) async fn read_error_body(
    response: Response,
) -> reqwest::Result<(Response, Option<Bytes>)> {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return Ok((response, None));
    }
    let http_response: http::Response<reqwest::Body> = response.into();
    let (mut parts, body) = http_response.into_parts();
    let bytes = collect(body).await?;
    if !bytes.is_empty() {
        let rebuilt = Response::from(http::Response::from_parts(parts, bytes.clone()));
        return Ok((rebuilt, Some(bytes)));
    }
    let problem = serde_json::json!({
        "type": "about:blank",
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
    });
    let body = problem.to_string();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    Ok((
        Response::from(http::Response::from_parts(parts, body)),
        Some(Bytes::new()),
    ))
}

async fn collect(body: reqwest::Body) -> reqwest::Result<bytes::Bytes> {
    // Re-wrap as a response to reuse reqwest's body collection.
    Response::from(http::Response::new(body)).bytes().await
}
