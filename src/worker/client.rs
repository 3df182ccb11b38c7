//! The five job operations. Completion, failure, BPMN errors and timeout
//! updates go through the generated Orchestration Cluster API client;
//! activation is sent by hand through the same request path (credential,
//! backpressure retries and gate, renewal after a 401; see
//! `src/call/mod.rs`) for two reasons: a long poll needs an HTTP timeout of
//! its own (longer than the poll, whatever the client-wide request timeout
//! is), and decoding only the fields a worker uses keeps it working against
//! every server version (see `wire.rs`).

use std::time::Duration;

use progenitor_client::{ClientInfo as _, OperationInfo};
use serde_json::Value;

use super::error::WorkerError;
use super::wire::{ActivatedJob, ActivationRequest, ActivationResult};
use crate::Variables;
use crate::orchestration::keys::{JobKey, JobLeaseToken};
use crate::orchestration::types;

/// The generated client, plus the hand-sent activation.
#[derive(Clone, Debug)]
pub(crate) struct JobClient {
    api: crate::orchestration::Client,
}

type ApiError = crate::ApiError<types::ProblemDetail>;

fn reqwest_reason(error: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn short(text: Option<String>) -> Option<String> {
    text.map(|t| t.chars().take(300).collect())
}

/// The client's error as the worker's.
fn convert(operation: &'static str, error: ApiError) -> WorkerError {
    match error {
        crate::ApiError::Response {
            status,
            problem,
            message,
            ..
        } => {
            let (title, detail) = match problem {
                Some(p) => (p.title, p.detail.or(message)),
                None => (None, message),
            };
            WorkerError::Status {
                operation,
                status: status.as_u16(),
                title: short(title),
                detail: short(detail),
            }
        }
        crate::ApiError::Transport { source, .. } => WorkerError::Transport {
            operation,
            reason: reqwest_reason(&source),
        },
        crate::ApiError::Decode { reason, .. } => WorkerError::Decode { operation, reason },
        crate::ApiError::InvalidRequest { message } => WorkerError::InvalidRequest {
            operation,
            reason: message,
        },
        crate::ApiError::Auth { source, .. } => WorkerError::Authentication {
            operation,
            reason: source.to_string(),
        },
    }
}

impl JobClient {
    pub(crate) fn new(api: &crate::orchestration::Client) -> Self {
        Self { api: api.clone() }
    }

    /// The client's default tenant (`<default>` unless configured
    /// otherwise); `None` when the filling is turned off.
    pub(crate) fn default_tenant(&self) -> Option<&str> {
        self.api.inner().default_tenant()
    }

    /// `activateJobs`: long-polls up to `request.request_timeout`, with an
    /// HTTP timeout `http_timeout`.
    pub(crate) async fn activate(
        &self,
        request: &ActivationRequest<'_>,
        http_timeout: Duration,
    ) -> Result<Vec<ActivatedJob>, WorkerError> {
        const OP: &str = "activateJobs";
        let transport = |e: reqwest::Error| WorkerError::Transport {
            operation: OP,
            reason: reqwest_reason(&e),
        };
        let inner = self.api.inner();
        let url = inner
            .endpoint(
                self.api.baseurl().trim_end_matches('/'),
                &["/jobs/activation"],
            )
            .map_err(|reason| WorkerError::InvalidRequest {
                operation: OP,
                reason,
            })?;
        let mut http_request = self
            .api
            .client()
            .post(url)
            // As every generated call with a JSON answer asks.
            .header(
                reqwest::header::ACCEPT,
                reqwest::header::HeaderValue::from_static("application/json"),
            )
            .json(request)
            .build()
            .map_err(transport)?;
        *http_request.timeout_mut() = Some(http_timeout);
        crate::call::credential::attach::<()>(inner, &mut http_request)
            .await
            .map_err(|e| WorkerError::Authentication {
                operation: OP,
                reason: e.to_string(),
            })?;
        // Spelled as progenitor spells operationIds.
        let info = OperationInfo {
            operation_id: "activate_jobs",
        };
        let response = crate::call::attempts::send(
            inner,
            self.api.client(),
            http_request,
            &info,
            "orchestration",
        )
        .await
        .map_err(transport)?;
        let status = response.status();
        let body = response.bytes().await.map_err(transport)?;
        if !status.is_success() {
            let problem: Option<Value> = serde_json::from_slice(&body).ok();
            let text = |name: &str| {
                short(
                    problem
                        .as_ref()
                        .and_then(|p| p.get(name))
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                )
            };
            return Err(WorkerError::Status {
                operation: OP,
                status: status.as_u16(),
                title: text("title"),
                detail: text("detail"),
            });
        }
        serde_json::from_slice::<ActivationResult>(&body)
            .map(|r| r.jobs)
            .map_err(|e| WorkerError::Decode {
                operation: OP,
                reason: e.to_string(),
            })
    }

    /// `completeJob`.
    pub(crate) async fn complete(
        &self,
        key: &JobKey,
        variables: Option<Variables>,
        lease: Option<JobLeaseToken>,
    ) -> Result<(), WorkerError> {
        let body = types::JobCompletionRequest {
            business_id: None,
            job_lease_token: lease,
            result: None,
            variables,
        };
        self.api
            .complete_job()
            .job_key(key.clone())
            .body(body)
            .send()
            .await
            .map(drop)
            .map_err(|e| convert("completeJob", e))
    }

    /// `failJob`.
    pub(crate) async fn fail(
        &self,
        key: &JobKey,
        failure: Failure,
        lease: Option<JobLeaseToken>,
    ) -> Result<(), WorkerError> {
        let body = types::JobFailRequest {
            error_message: Some(failure.message),
            job_lease_token: lease,
            retries: Some(failure.retries),
            retry_back_off: failure
                .retry_back_off
                .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
            variables: failure.variables,
        };
        self.api
            .fail_job()
            .job_key(key.clone())
            .body(body)
            .send()
            .await
            .map(drop)
            .map_err(|e| convert("failJob", e))
    }

    /// `throwJobError`.
    pub(crate) async fn throw_error(
        &self,
        key: &JobKey,
        code: String,
        message: Option<String>,
        variables: Option<Variables>,
        lease: Option<JobLeaseToken>,
    ) -> Result<(), WorkerError> {
        let body = types::JobErrorRequest {
            error_code: code,
            error_message: message,
            job_lease_token: lease,
            variables,
        };
        self.api
            .throw_job_error()
            .job_key(key.clone())
            .body(body)
            .send()
            .await
            .map(drop)
            .map_err(|e| convert("throwJobError", e))
    }

    /// `updateJob` with a new timeout.
    pub(crate) async fn extend(&self, key: &JobKey, timeout: Duration) -> Result<(), WorkerError> {
        let body = types::JobUpdateRequest {
            changeset: types::JobChangeset {
                priority: None,
                retries: None,
                timeout: Some(i64::try_from(timeout.as_millis()).unwrap_or(i64::MAX)),
            },
            job_lease_token: None,
            operation_reference: None,
        };
        self.api
            .update_job()
            .job_key(key.clone())
            .body(body)
            .send()
            .await
            .map(drop)
            .map_err(|e| convert("updateJob", e))
    }
}

/// The fields of a `failJob` request.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    pub message: String,
    pub retries: i32,
    pub retry_back_off: Option<Duration>,
    pub variables: Option<Variables>,
}
