//! Multipart requests of the Orchestration Cluster API, written by hand.
//!
//! progenitor cannot generate `multipart/form-data` requests (see
//! `codegen/contract/multipart.rs`), so `createDeployment`, `createDocument` and
//! `createDocuments` are built here. The body is assembled in memory as one
//! buffer (not a stream) so that the request can be cloned: backpressure
//! retries and the re-send after a 401 work exactly as for generated
//! operations, through the same hooks ([`ClientHooks`]).

use bytes::Bytes;
use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo, ResponseValue};
use reqwest::header::{self, HeaderValue};
use serde::de::DeserializeOwned;

use super::Client;
use super::types::ProblemDetail;

/// Zeebe's default maximum message size (`maxMessageSize`, 4 MiB): the
/// default limit on a multipart body, checked before anything is sent.
pub const DEFAULT_MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// One part of a multipart body.
struct Part {
    name: &'static str,
    file_name: Option<String>,
    /// Checked by the caller: a media type on one line.
    content_type: String,
    body: Bytes,
}

/// A `multipart/form-data` body under construction.
pub(crate) struct Form {
    parts: Vec<Part>,
}

impl Form {
    pub(crate) fn new() -> Self {
        Self { parts: Vec::new() }
    }

    /// A text field.
    pub(crate) fn text(&mut self, name: &'static str, value: &str) {
        self.parts.push(Part {
            name,
            file_name: None,
            content_type: "text/plain; charset=utf-8".to_string(),
            body: Bytes::copy_from_slice(value.as_bytes()),
        });
    }

    /// A JSON field (sent with `Content-Type: application/json`).
    pub(crate) fn json(&mut self, name: &'static str, value: &serde_json::Value) {
        self.parts.push(Part {
            name,
            file_name: None,
            content_type: "application/json".to_string(),
            body: Bytes::from(value.to_string()),
        });
    }

    /// A file field sent as `content_type`, a media type the caller
    /// checked (`content_type.rs`): it is written into the part's header
    /// as is.
    pub(crate) fn file(
        &mut self,
        name: &'static str,
        file_name: &str,
        content_type: &str,
        body: Bytes,
    ) {
        self.parts.push(Part {
            name,
            file_name: Some(file_name.to_string()),
            content_type: content_type.to_string(),
            body,
        });
    }

    /// The encoded body and its content type.
    pub(crate) fn encode(self) -> (String, Vec<u8>) {
        let boundary = format!(
            "camunda8-{:016x}{:016x}",
            crate::random::next_u64(),
            crate::random::next_u64()
        );
        let size: usize = self.parts.iter().map(|p| p.body.len() + 256).sum();
        let mut out = Vec::with_capacity(size + boundary.len() + 8);
        for part in self.parts {
            out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let disposition = match &part.file_name {
                Some(file) => format!(
                    "Content-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\n",
                    part.name,
                    quote(file)
                ),
                None => format!("Content-Disposition: form-data; name=\"{}\"\r\n", part.name),
            };
            out.extend_from_slice(disposition.as_bytes());
            out.extend_from_slice(format!("Content-Type: {}\r\n", part.content_type).as_bytes());
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&part.body);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), out)
    }
}

/// A file name as a quoted-string parameter: quotes, backslashes and line
/// breaks (which would end the header) are replaced, as browsers do.
fn quote(file_name: &str) -> String {
    file_name
        .chars()
        .map(|c| match c {
            '"' => "%22".to_string(),
            '\r' => "%0D".to_string(),
            '\n' => "%0A".to_string(),
            '\\' => "\\\\".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// Sends a multipart request to `path` (relative to the client's base URL,
/// with its query) through the client's hooks and decodes the response:
/// the codes in `success` as `T`, any other as the problem document.
///
/// A body larger than `max_body` is refused before anything is sent, and a
/// 413 from the server is reported the same way, with the size and limit.
pub(crate) async fn send<T: DeserializeOwned>(
    client: &Client,
    operation_id: &'static str,
    path: &str,
    query: &[(&str, String)],
    form: Form,
    max_body: usize,
    success: &[u16],
) -> Result<ResponseValue<T>, Error<ProblemDetail>> {
    let (content_type, body) = form.encode();
    if body.len() > max_body {
        return Err(Error::InvalidRequest(too_large(body.len(), max_body)));
    }
    let size = body.len();
    let url = format!("{}{path}", client.baseurl());
    let mut request = client
        .client()
        .post(url)
        .query(query)
        .header(header::ACCEPT, HeaderValue::from_static("application/json"))
        .header(
            header::CONTENT_TYPE,
            HeaderValue::from_str(&content_type)
                .map_err(|e| Error::InvalidRequest(format!("multipart content type: {e}")))?,
        )
        .body(body)
        .build()?;
    let info = OperationInfo { operation_id };
    client.pre(&mut request, &info).await?;
    let result = client.exec(request, &info).await;
    client.post(&result, &info).await?;
    let response = result?;
    let status = response.status().as_u16();
    if success.contains(&status) {
        return ResponseValue::from_response(response).await;
    }
    if status == 413 {
        return Err(Error::InvalidRequest(format!(
            "the server refused the request body as too large (413 Payload Too Large): {size} bytes sent; \
             lower the size or raise the server's limit"
        )));
    }
    if response.status().is_client_error() || response.status().is_server_error() {
        return Err(Error::ErrorResponse(
            ResponseValue::from_response(response).await?,
        ));
    }
    Err(Error::UnexpectedResponse(response))
}

fn too_large(size: usize, limit: usize) -> String {
    format!(
        "multipart body of {size} bytes exceeds the limit of {limit} bytes \
         (Zeebe's default maxMessageSize is 4 MiB); split the request or raise \
         the limit with max_body_bytes() if the server accepts more"
    )
}
