//! Operations whose success answer is text, or may be empty.
//!
//! progenitor types only JSON bodies, and one success kind per operation
//! (see `single_success_kind` in codegen/media.rs): the XML of a model comes
//! back as a byte stream, and a 204 "no form" answer of the form lookups
//! arrives as an [`ApiError::Response`] with a success status. These
//! methods give such operations the meaning the contract states: the XML as
//! text, and "no form" / "no XML" as `None`.

use progenitor_client::{ByteStream, ResponseValue};

use super::Client;
use super::keys::{
    DecisionDefinitionKey, DecisionRequirementsKey, ProcessDefinitionKey, UserTaskKey,
};
use super::types::{FormResult, ProblemDetail};
use crate::ApiError;
use crate::text::body_text;

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

async fn text(
    sent: Result<ResponseValue<ByteStream>, ApiError<ProblemDetail>>,
) -> Result<String, ApiError<ProblemDetail>> {
    body_text(sent?).await
}

impl Client {
    /// The BPMN XML of a process definition (`GET
    /// /process-definitions/{key}/xml`, operation `getProcessDefinitionXML`),
    /// as text; `None` when the server answers 204 (no XML stored).
    pub async fn process_definition_xml(
        &self,
        key: &ProcessDefinitionKey,
    ) -> Result<Option<String>, ApiError<ProblemDetail>> {
        let sent = self
            .get_process_definition_xml()
            .process_definition_key(key)
            .send()
            .await;
        match none_if_no_content(sent)? {
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
        text(
            self.get_decision_definition_xml()
                .decision_definition_key(key)
                .send()
                .await,
        )
        .await
    }

    /// The DMN XML of decision requirements (`GET
    /// /decision-requirements/{key}/xml`), as text.
    pub async fn decision_requirements_xml(
        &self,
        key: &DecisionRequirementsKey,
    ) -> Result<String, ApiError<ProblemDetail>> {
        text(
            self.get_decision_requirements_xml()
                .decision_requirements_key(key)
                .send()
                .await,
        )
        .await
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
