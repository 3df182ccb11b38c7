//! The five job operations over HTTP, through the same request path as the
//! generated clients (credential, backpressure retries and gate, renewal
//! after a 401; see [`crate::hooks`]).
//!
//! The worker sends these requests itself rather than through the generated
//! builders for two reasons: a long poll needs its own HTTP timeout (longer
//! than the poll, whatever the client-wide request timeout is), and decoding
//! only the fields a worker uses keeps it working against every server
//! version from 8.6 on.

use std::time::Duration;

use progenitor_client::OperationInfo;
use reqwest::{Method, StatusCode};
use serde::Serialize;

use super::error::WorkerError;
use super::keys::JobKey;
use super::wire::{ActivatedJob, ActivationRequest, ActivationResult};
use crate::hooks::Inner;

/// Where and how job operations are sent: an API base URL (`…/v2`), the
/// shared HTTP client and the API's credential and retry state.
#[derive(Clone, Debug)]
pub struct JobClient {
    base: String,
    http: reqwest::Client,
    inner: Inner,
}

impl JobClient {
    /// A job client for the Orchestration Cluster API at `base_url` (the
    /// address ending in `/v2`), sending with `http` and authenticating and
    /// retrying as `inner` says.
    pub fn new(base_url: &str, http: reqwest::Client, inner: Inner) -> Self {
        Self {
            base: base_url.trim_end_matches('/').to_owned(),
            http,
            inner,
        }
    }

    /// The API base URL.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    async fn call<B: Serialize + ?Sized>(
        &self,
        operation: &'static str,
        method: Method,
        path: &str,
        body: &B,
        timeout: Option<Duration>,
    ) -> Result<reqwest::Response, WorkerError> {
        let transport = |e: reqwest::Error| WorkerError::Transport {
            operation,
            reason: describe(&e),
        };
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .json(body)
            .build()
            .map_err(transport)?;
        if let Some(timeout) = timeout {
            *request.timeout_mut() = Some(timeout);
        }
        self.inner
            .attach::<()>(&mut request)
            .await
            .map_err(|e| WorkerError::Authentication {
                operation,
                reason: e.to_string(),
            })?;
        let info = OperationInfo {
            operation_id: operation,
        };
        let response = self
            .inner
            .send(&self.http, request, &info)
            .await
            .map_err(transport)?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let body = response.bytes().await.unwrap_or_default();
        let problem: Option<serde_json::Value> = serde_json::from_slice(&body).ok();
        let text = |name: &str| {
            problem
                .as_ref()
                .and_then(|p| p.get(name))
                .and_then(|v| v.as_str())
                .map(|s| s.chars().take(300).collect::<String>())
        };
        Err(WorkerError::Status {
            operation,
            status: status.as_u16(),
            title: text("title"),
            detail: text("detail"),
        })
    }

    async fn command<B: Serialize + ?Sized>(
        &self,
        operation: &'static str,
        method: Method,
        path: String,
        body: &B,
    ) -> Result<(), WorkerError> {
        let response = self.call(operation, method, &path, body, None).await?;
        if response.status() != StatusCode::NO_CONTENT {
            // Read whatever came so the connection is reusable.
            let _ = response.bytes().await;
        }
        Ok(())
    }

    /// `activateJobs`: long-polls up to `request.request_timeout`, with an
    /// HTTP timeout `http_timeout`.
    pub(crate) async fn activate(
        &self,
        request: &ActivationRequest<'_>,
        http_timeout: Duration,
    ) -> Result<Vec<ActivatedJob>, WorkerError> {
        const OP: &str = "activateJobs";
        let response = self
            .call(
                OP,
                Method::POST,
                "/jobs/activation",
                request,
                Some(http_timeout),
            )
            .await?;
        let body = response.bytes().await.map_err(|e| WorkerError::Transport {
            operation: OP,
            reason: describe(&e),
        })?;
        serde_json::from_slice::<ActivationResult>(&body)
            .map(|r| r.jobs)
            .map_err(|e| WorkerError::Decode {
                operation: OP,
                reason: e.to_string(),
            })
    }

    /// `completeJob`.
    pub(crate) async fn complete<B: Serialize>(
        &self,
        key: &JobKey,
        body: &B,
    ) -> Result<(), WorkerError> {
        self.command(
            "completeJob",
            Method::POST,
            format!("/jobs/{key}/completion"),
            body,
        )
        .await
    }

    /// `failJob`.
    pub(crate) async fn fail<B: Serialize>(
        &self,
        key: &JobKey,
        body: &B,
    ) -> Result<(), WorkerError> {
        self.command(
            "failJob",
            Method::POST,
            format!("/jobs/{key}/failure"),
            body,
        )
        .await
    }

    /// `throwJobError`.
    pub(crate) async fn throw_error<B: Serialize>(
        &self,
        key: &JobKey,
        body: &B,
    ) -> Result<(), WorkerError> {
        self.command(
            "throwJobError",
            Method::POST,
            format!("/jobs/{key}/error"),
            body,
        )
        .await
    }

    /// `updateJob`.
    pub(crate) async fn update<B: Serialize>(
        &self,
        key: &JobKey,
        body: &B,
    ) -> Result<(), WorkerError> {
        self.command("updateJob", Method::PATCH, format!("/jobs/{key}"), body)
            .await
    }
}

/// A transport error in words, without the URL's query (there is none) and
/// without headers.
fn describe(error: &reqwest::Error) -> String {
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
