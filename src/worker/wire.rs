//! The activation bodies, with the spec's field names
//! (`JobActivationRequest`, `JobActivationResult`, `ActivatedJobResult`).
//!
//! Only the fields the worker needs are required when decoding, so that
//! servers from 8.6 to 8.10 are all understood: the generated
//! `types::ActivatedJobResult` requires every field of the 8.10 contract
//! (`physicalTenantId`, `priority`, `kind`, `tags`, …), which older servers
//! do not send. Completion, failure, errors and updates go through the
//! generated client. The tenant and the process definition id, the same
//! on nearly every job, are checked once per thread (`repeated.rs`).

use serde::{Deserialize, Serialize};

use crate::orchestration::keys::{
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
    #[serde(default, deserialize_with = "super::repeated::process_definition_id")]
    pub process_definition_id: Option<ProcessDefinitionId>,
    #[serde(default)]
    pub process_definition_key: Option<ProcessDefinitionKey>,
    #[serde(default)]
    pub process_definition_version: Option<i32>,
    #[serde(default)]
    pub custom_headers: Option<crate::Variables>,
    pub retries: i32,
    pub deadline: i64,
    /// Kept as text: decoding it is the handler's choice (`Job::variables`).
    #[serde(default)]
    pub variables: Option<Box<serde_json::value::RawValue>>,
    #[serde(default, deserialize_with = "super::repeated::tenant_id")]
    pub tenant_id: Option<TenantId>,
    #[serde(default)]
    pub job_lease_token: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn activation(variables: &str) -> String {
        format!(
            r#"{{"jobs":[{{"type":"t","jobKey":"1","processInstanceKey":"2","elementId":"e","retries":3,"deadline":0,"variables":{variables}}}]}}"#
        )
    }

    #[test]
    fn variables_stay_text_until_decoded() {
        let body = activation(r#"{"a": [1, 2], "b": "x"}"#);
        let mut result: ActivationResult = serde_json::from_str(&body).unwrap();
        let job = result.jobs.pop().unwrap();
        assert_eq!(job.variables.unwrap().get(), r#"{"a": [1, 2], "b": "x"}"#);
        let none: ActivationResult = serde_json::from_str(&activation("null")).unwrap();
        assert!(none.jobs[0].variables.is_none());
    }

    #[test]
    fn variables_deeper_than_a_value_decodes_still_activate() {
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        assert!(serde_json::from_str::<Value>(&deep).is_err());
        let variables = format!(r#"{{"deep": {deep}}}"#);
        let result: ActivationResult = serde_json::from_str(&activation(&variables)).unwrap();
        assert_eq!(result.jobs.len(), 1);
    }
}
