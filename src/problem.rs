//! Error responses without a body get a problem document.
//!
//! Camunda's servers answer some errors (a Zeebe 404, a gateway's 502) with
//! an empty body while the contract types error bodies as RFC 7807 problem
//! details. The build gives every error response of an operation that one
//! type; here an empty error body is replaced by
//! `{"type":"about:blank","title":<reason>,"status":<code>}` so the caller
//! always gets a typed, matchable `Error::ErrorResponse` with the status.

use http::{HeaderValue, header};
use reqwest::Response;

/// Replace an empty 4xx/5xx body by a minimal problem document.
pub(crate) async fn fill_empty_error_body(response: Response) -> reqwest::Result<Response> {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return Ok(response);
    }
    if response.content_length().is_some_and(|len| len > 0) {
        return Ok(response);
    }
    let http_response: http::Response<reqwest::Body> = response.into();
    let (mut parts, body) = http_response.into_parts();
    let bytes = collect(body).await?;
    if !bytes.is_empty() {
        return Ok(Response::from(http::Response::from_parts(parts, bytes)));
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
    Ok(Response::from(http::Response::from_parts(parts, body)))
}

async fn collect(body: reqwest::Body) -> reqwest::Result<bytes::Bytes> {
    // Re-wrap as a response to reuse reqwest's body collection.
    Response::from(http::Response::new(body)).bytes().await
}
