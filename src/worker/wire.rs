//! The job operations' bodies, with the spec's field names
//! (`JobActivationRequest`, `ActivatedJobResult`, `JobCompletionRequest`,
//! `JobFailRequest`, `JobErrorRequest`, `JobUpdateRequest`).
//!
//! Only the fields the worker needs are required when decoding, so that
//! servers from 8.6 (which send fewer fields) to 8.10 are all understood.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::keys::{
    ElementId, ElementInstanceKey, JobKey, ProcessDefinitionId, ProcessDefinitionKey,
    ProcessInstanceKey, TenantId,
};

/// `JobActivationRequest`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ActivationRequest<'a> {
    #[serde(rename = "type")]
    pub job_type: &'a str,
    pub worker: &'a str,
    pub timeout: i64,
    pub max_jobs_to_activate: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fetch_variable: Option<&'a [String]>,
    pub request_timeout: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_ids: Option<&'a [String]>,
}

/// `JobActivationResult`.
#[derive(Debug, Deserialize)]
pub(crate) struct ActivationResult {
    pub jobs: Vec<ActivatedJob>,
}

/// `ActivatedJobResult`, the fields a worker uses.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ActivatedJob {
    #[serde(rename = "type")]
    pub job_type: String,
    pub job_key: JobKey,
    pub process_instance_key: ProcessInstanceKey,
    pub element_id: ElementId,
    #[serde(default)]
    pub element_instance_key: Option<ElementInstanceKey>,
    #[serde(default)]
    pub process_definition_id: Option<ProcessDefinitionId>,
    #[serde(default)]
    pub process_definition_key: Option<ProcessDefinitionKey>,
    #[serde(default)]
    pub process_definition_version: Option<i32>,
    #[serde(default)]
    pub custom_headers: Option<Map<String, Value>>,
    pub retries: i32,
    pub deadline: i64,
    #[serde(default)]
    pub variables: Option<Value>,
    #[serde(default)]
    pub tenant_id: Option<TenantId>,
    #[serde(default)]
    pub job_lease_token: Option<String>,
}

/// `JobCompletionRequest`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CompletionRequest<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variables: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_lease_token: Option<&'a str>,
}

/// `JobFailRequest`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FailRequest<'a> {
    pub retries: i32,
    pub error_message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_back_off: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variables: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_lease_token: Option<&'a str>,
}

/// `JobErrorRequest`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ErrorRequest<'a> {
    pub error_code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variables: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_lease_token: Option<&'a str>,
}

/// `JobUpdateRequest` with a `JobChangeset` of a new timeout.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UpdateRequest {
    pub changeset: Changeset,
}

/// `JobChangeset`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Changeset {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retries: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i64>,
}
