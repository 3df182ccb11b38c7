//! Operations whose success answer is text, or may be empty.
//!
//! progenitor types only JSON bodies, and one success kind per operation
//! (see `single_success_kind` in codegen/contract/media.rs): the XML of a model comes
//! back as a byte stream, and a 204 "no form" answer of the form lookups
//! arrives as an [`ApiError::Response`] with a success status. These
//! methods give such operations the meaning the contract states: the XML as
//! text, and "no form" / "no XML" as `None`. The XML requests are sent by
//! hand so that they ask for `text/xml`, the contract's success type (see
//! `src/call/text.rs`).

use progenitor_client::{ByteStream, ResponseValue, encode_path};

use super::Client;
use super::keys::{
    DecisionDefinitionKey, DecisionRequirementsKey, ProcessDefinitionKey, UserTaskKey,
};
use super::types::{FormResult, ProblemDetail};
use crate::ApiError;
use crate::call::text::{body_text, get_text};

/// What the XML requests ask for: the type the contract declares for their
/// success answer (`src/call/text.rs` says why they are sent by hand).
const XML: &str = "text/xml";

/// The answer to a request for a model's XML: the document (200), the
/// declared errors (400, 401, 403, 404, 500) with the problem body, anything
/// else as an unexpected answer.
async fn xml_answer(
    response: reqwest::Response,
) -> Result<ResponseValue<ByteStream>, progenitor_client::Error<ProblemDetail>> {
    match response.status().as_u16() {
        200 => Ok(ResponseValue::stream(response)),
        400 | 401 | 403 | 404 | 500 => Err(progenitor_client::Error::ErrorResponse(
            crate::call::decode::from_response(response).await?,
        )),
        _ => Err(progenitor_client::Error::UnexpectedResponse(response)),
    }
}

/// `Ok(None)` for the 204 that the generated code cannot type (it arrives
/// as a response error with a success status); the value otherwise.
// The error is the one every generated method returns.
#[allow(clippy::result_large_err)]
fn none_if_no_content<T>(
    result: Result<T, ApiError<ProblemDetail>>,
) -> Result<Option<T>, ApiError<ProblemDetail>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(e) if e.status() == Some(reqwest::StatusCode::NO_CONTENT) => Ok(None),
        Err(e) => Err(e),
    }
}

impl Client {
    /// The BPMN XML of a process definition (`GET
    /// /process-definitions/{key}/xml`, operation `getProcessDefinitionXML`),
    /// as text; `None` when the server answers 204 (no XML stored).
    pub async fn process_definition_xml(
        &self,
        key: &ProcessDefinitionKey,
    ) -> Result<Option<String>, ApiError<ProblemDetail>> {
        let key = encode_path(key.as_ref());
        let parts = ["/process-definitions/", &key, "/xml"];
        let sent = async {
            xml_answer(get_text(self, "get_process_definition_xml", &parts, XML).await?).await
        };
        // The 204 arrives as an unexpected answer (see `none_if_no_content`).
        match none_if_no_content(crate::call::run(&[], sent).await)? {
            Some(body) => Ok(Some(body_text(body).await?)),
            None => Ok(None),
        }
    }

    /// The DMN XML of a decision definition (`GET
    /// /decision-definitions/{key}/xml`), as text.
    pub async fn decision_definition_xml(
        &self,
        key: &DecisionDefinitionKey,
    ) -> Result<String, ApiError<ProblemDetail>> {
        let key = encode_path(key.as_ref());
        let parts = ["/decision-definitions/", &key, "/xml"];
        self.xml_text("get_decision_definition_xml", &parts).await
    }

    /// The DMN XML of decision requirements (`GET
    /// /decision-requirements/{key}/xml`), as text.
    pub async fn decision_requirements_xml(
        &self,
        key: &DecisionRequirementsKey,
    ) -> Result<String, ApiError<ProblemDetail>> {
        let key = encode_path(key.as_ref());
        let parts = ["/decision-requirements/", &key, "/xml"];
        self.xml_text("get_decision_requirements_xml", &parts).await
    }

    /// A model's XML, as text.
    async fn xml_text(
        &self,
        operation_id: &'static str,
        parts: &[&str],
    ) -> Result<String, ApiError<ProblemDetail>> {
        let sent = async { xml_answer(get_text(self, operation_id, parts, XML).await?).await };
        body_text(crate::call::run(&[], sent).await?).await
    }

    /// The form of a user task (`GET /user-tasks/{key}/form`, operation
    /// `getUserTaskForm`); `None` when the task has none (204).
    pub async fn user_task_form(
        &self,
        key: &UserTaskKey,
    ) -> Result<Option<FormResult>, ApiError<ProblemDetail>> {
        let sent = self.get_user_task_form().user_task_key(key).send().await;
        Ok(none_if_no_content(sent)?.map(ResponseValue::into_inner))
    }

    /// The start form of a process definition (`GET
    /// /process-definitions/{key}/form`, operation `getStartProcessForm`);
    /// `None` when the process has none (204).
    pub async fn start_process_form(
        &self,
        key: &ProcessDefinitionKey,
    ) -> Result<Option<FormResult>, ApiError<ProblemDetail>> {
        let sent = self
            .get_start_process_form()
            .process_definition_key(key)
            .send()
            .await;
        Ok(none_if_no_content(sent)?.map(ResponseValue::into_inner))
    }
}
