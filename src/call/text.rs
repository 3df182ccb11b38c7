//! Text bodies of non-JSON responses.
//!
//! progenitor types only JSON bodies; any other success body (the BPMN and
//! DMN XML of Operate and of the Orchestration Cluster API, the
//! Administration API's CSV) is handed back as a
//! [`ResponseValue<ByteStream>`]. [`RawBody`] (`.bytes()`, `.text()`) and
//! [`body_text`] collect such a body. Each API's own module has the methods
//! that fetch its documents as text: Operate's BPMN and DMN XML (`src/operate/xml.rs`),
//! the Orchestration Cluster API's (`src/orchestration/bodies.rs`), the
//! Administration API's activity CSV (`src/admin/csv.rs`). All of them fail
//! with [`ApiError`].
//!
//! Those methods send their request by hand (`get_text`), through the
//! client's hooks like a generated call (credential, backpressure retries,
//! renewal after a 401), asking for the type the contract declares for the
//! operation's success answer (`text/xml`, `text/csv`). They were written
//! by hand for that `Accept`: progenitor writes one only for a JSON answer,
//! and without one the HTTP client sends `*/*`. The generated calls now ask
//! for the same type (the generator's step `accept_success_media_types`,
//! codegen/post/accept.rs); tests/call/accept.rs checks that both kinds of
//! request send the same `Accept` on the same path.

use futures::StreamExt;
use progenitor_client::{
    ByteStream, ClientHooks, ClientInfo, Error as ProgenitorError, OperationInfo, ResponseValue,
};
use reqwest::header::{ACCEPT, HeaderValue};

use super::hooks::Inner;
use crate::ApiError;

/// Sends `GET` to `parts` (the operation's path, parameters encoded) under
/// `client`'s base URL, asking for `accept`, through the client's hooks;
/// the response, whatever its status, for the caller to sort out.
#[cfg_attr(
    not(any(feature = "admin", feature = "operate", feature = "orchestration")),
    allow(dead_code)
)]
pub(crate) async fn get_text<C, E>(
    client: &C,
    operation_id: &'static str,
    parts: &[&str],
    accept: &'static str,
) -> Result<reqwest::Response, ProgenitorError<E>>
where
    C: ClientInfo<Inner> + ClientHooks<Inner>,
{
    let url = client
        .inner()
        .endpoint(client.baseurl(), parts)
        .map_err(ProgenitorError::InvalidRequest)?;
    let mut request = client
        .client()
        .get(url)
        .header(ACCEPT, HeaderValue::from_static(accept))
        .build()?;
    let info = OperationInfo { operation_id };
    client.pre(&mut request, &info).await?;
    let result = client.exec(request, &info).await;
    client.post(&result, &info).await?;
    Ok(result?)
}

/// Reads a raw response body to the end as UTF-8 text.
///
/// A transport error while reading gives [`ApiError::Transport`]; a body
/// that is not UTF-8 gives [`ApiError::Decode`] with the body redacted and
/// bounded (as every body kept in an error). `E` is free: pick the error
/// type of the call the body came from, so that `?` joins both. Without
/// one to match, [`RawBody::text`] needs no annotation.
pub async fn body_text<E>(response: ResponseValue<ByteStream>) -> Result<String, ApiError<E>> {
    let status = response.status();
    let bytes = body_bytes(response).await?;
    String::from_utf8(bytes).map_err(|e| {
        let reason = format!("response body is not UTF-8 text: {}", e.utf8_error());
        super::error::decode_error(None, status, &reason, e.as_bytes(), &[])
    })
}

/// Reads a raw response body to the end; a transport error while reading
/// gives [`ApiError::Transport`].
async fn body_bytes<E>(response: ResponseValue<ByteStream>) -> Result<Vec<u8>, ApiError<E>> {
    let mut stream = response.into_inner_stream();
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| ApiError::Transport {
            request: None,
            source: std::sync::Arc::new(e.without_url()),
        })?;
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Reading a call's non-JSON answer whole: what `get_document`,
/// `get_resource_content_binary` and the other byte-returning calls give
/// back (a [`ResponseValue<ByteStream>`]).
///
/// ```no_run
/// use camunda8::text::RawBody as _;
/// # async fn run(camunda: camunda8::Camunda) -> Result<(), Box<dyn std::error::Error>> {
/// let pdf: Vec<u8> = camunda
///     .orchestration()?
///     .get_document()
///     .document_id("9c1f0e2d-7b3a-4c5d-8e6f-1a2b3c4d5e6f")
///     .send()
///     .await?
///     .bytes()
///     .await?;
/// # let _ = pdf; Ok(()) }
/// ```
///
/// Both read the body into memory; for a large document, stream it
/// instead (`.into_inner()` is a `Stream` of `bytes::Bytes` chunks).
pub trait RawBody {
    /// The whole body. Fails with [`ApiError::Transport`] when the
    /// connection breaks while reading.
    fn bytes(self) -> impl Future<Output = Result<Vec<u8>, ApiError>> + Send;

    /// The whole body as UTF-8 text (XML, CSV). Fails as
    /// [`bytes`](RawBody::bytes) does, or with [`ApiError::Decode`] when the
    /// body is not UTF-8.
    fn text(self) -> impl Future<Output = Result<String, ApiError>> + Send;
}

impl RawBody for ResponseValue<ByteStream> {
    fn bytes(self) -> impl Future<Output = Result<Vec<u8>, ApiError>> + Send {
        body_bytes(self)
    }

    fn text(self) -> impl Future<Output = Result<String, ApiError>> + Send {
        body_text(self)
    }
}

#[cfg(test)]
mod tests {
    /// The type the XML helpers ask for is the one the contract declares
    /// for the success answer (the CSV's comes from the erratum, applied
    /// at generation).
    #[test]
    fn helpers_ask_for_the_contracts_success_type() {
        let cases = [
            ("operate", "/v1/process-definitions/{key}/xml", "text/xml"),
            ("operate", "/v1/drd/{key}/xml", "text/xml"),
            (
                "orchestration",
                "/process-definitions/{processDefinitionKey}/xml",
                "text/xml",
            ),
            (
                "orchestration",
                "/decision-definitions/{decisionDefinitionKey}/xml",
                "text/xml",
            ),
            (
                "orchestration",
                "/decision-requirements/{decisionRequirementsKey}/xml",
                "text/xml",
            ),
        ];
        for (api, path, accept) in cases {
            let file = format!("{}/openapi/{api}.json", env!("CARGO_MANIFEST_DIR"));
            let spec: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
            let pointer = format!(
                "/paths/{}/get/responses/200/content/{}",
                path.replace('~', "~0").replace('/', "~1"),
                accept.replace('/', "~1")
            );
            assert!(spec.pointer(&pointer).is_some(), "{api} {path}: {accept}");
        }
    }
}
