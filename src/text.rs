//! Text bodies of non-JSON responses.
//!
//! progenitor types only JSON bodies; any other success body (Operate's
//! `text/xml` BPMN and DMN documents) is handed back as a
//! [`ResponseValue<ByteStream>`]. [`body_text`] collects such a body into a
//! `String`; with the `operate` feature, [`crate::operate::Client`] also gets
//! [`process_definition_xml`](crate::operate::Client::process_definition_xml)
//! and [`decision_requirements_xml`](crate::operate::Client::decision_requirements_xml),
//! which send the request and return the XML as text; with the `admin`
//! feature, [`crate::admin::Client`] gets
//! [`activity_csv`](crate::admin::Client::activity_csv), the organization's
//! activity log as CSV text. All of them fail with [`ApiError`].

use futures::StreamExt;
use progenitor_client::{ByteStream, ResponseValue};

use crate::ApiError;

/// Reads a raw response body to the end as UTF-8 text.
///
/// A transport error while reading gives [`ApiError::Transport`]; a body
/// that is not UTF-8 gives [`ApiError::Decode`] with the body redacted and
/// bounded (as every body kept in an error).
pub async fn body_text<E>(response: ResponseValue<ByteStream>) -> Result<String, ApiError<E>> {
    let status = response.status();
    let mut stream = response.into_inner_stream();
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| ApiError::Transport {
            request: None,
            source: std::sync::Arc::new(e.without_url()),
        })?;
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes).map_err(|e| {
        let reason = format!("response body is not UTF-8 text: {}", e.utf8_error());
        crate::call::decode_error(None, status, &reason, e.as_bytes(), &[])
    })
}

#[cfg(feature = "operate")]
impl crate::operate::Client {
    /// The BPMN XML of the process definition with this key
    /// (`GET /v1/process-definitions/{key}/xml`), as text.
    pub async fn process_definition_xml(
        &self,
        key: i64,
    ) -> Result<String, ApiError<crate::operate::types::ProblemDetail>> {
        body_text(self.get_process_definition_xml().key(key).send().await?).await
    }

    /// The DMN XML of the decision requirements with this key
    /// (`GET /v1/drd/{key}/xml`), as text.
    pub async fn decision_requirements_xml(
        &self,
        key: i64,
    ) -> Result<String, ApiError<crate::operate::types::ProblemDetail>> {
        body_text(self.get_decision_requirements_xml().key(key).send().await?).await
    }
}

#[cfg(feature = "admin")]
impl crate::admin::Client {
    /// The organization's activity events as CSV (`GET /activity/csv`), as
    /// text.
    ///
    /// The published spec declares this body as a JSON string; an erratum
    /// (`admin_activity_csv_is_text` in codegen/errata.rs) types it as
    /// `text/csv`, so the document arrives unparsed.
    pub async fn activity_csv(&self) -> Result<String, ApiError<()>> {
        body_text(self.get_csv().send().await?).await
    }
}
