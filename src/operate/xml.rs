//! Operate's XML documents as text: [`Client::process_definition_xml`]
//! (BPMN) and [`Client::decision_requirements_xml`] (DMN).
//!
//! progenitor hands a non-JSON answer back as a byte stream; these methods
//! send the request asking for the type the contract declares (`text/xml`,
//! see [`crate::text`] for why they are sent by hand) and return the
//! document as a `String`, failing with [`ApiError`].

use progenitor_client::{ByteStream, Error as ProgenitorError, ResponseValue};

use super::{Client, types};
use crate::ApiError;
use crate::call::text::{body_text, get_text};

impl Client {
    /// The BPMN XML of the process definition with this key
    /// (`GET /v1/process-definitions/{key}/xml`), as text.
    pub async fn process_definition_xml(
        &self,
        key: i64,
    ) -> Result<String, ApiError<types::ProblemDetail>> {
        let key = progenitor_client::encode_path(&key.to_string());
        let parts = ["/v1/process-definitions/", &key, "/xml"];
        let sent = self.operate_xml("get_process_definition_xml", &parts);
        body_text(crate::call::run(&[], sent).await?).await
    }

    /// The DMN XML of the decision requirements with this key
    /// (`GET /v1/drd/{key}/xml`), as text.
    pub async fn decision_requirements_xml(
        &self,
        key: i64,
    ) -> Result<String, ApiError<types::ProblemDetail>> {
        let key = progenitor_client::encode_path(&key.to_string());
        let parts = ["/v1/drd/", &key, "/xml"];
        let sent = self.operate_xml("get_decision_requirements_xml", &parts);
        body_text(crate::call::run(&[], sent).await?).await
    }

    /// An Operate XML document: 200 with `text/xml`, as its contract says;
    /// its declared errors (400, 403, 404, 500) with the problem body.
    async fn operate_xml(
        &self,
        operation_id: &'static str,
        parts: &[&str],
    ) -> Result<ResponseValue<ByteStream>, ProgenitorError<types::ProblemDetail>> {
        let response = get_text(self, operation_id, parts, "text/xml").await?;
        match response.status().as_u16() {
            200 => Ok(ResponseValue::stream(response)),
            400 | 403 | 404 | 500 => Err(ProgenitorError::ErrorResponse(
                crate::call::decode::from_response(response).await?,
            )),
            _ => Err(ProgenitorError::UnexpectedResponse(response)),
        }
    }
}
