//! The worker's errors.

/// Why a worker could not be started, or a job operation failed.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum WorkerError {
    /// A setting (a builder value or a `CAMUNDA_WORKER_*` variable) is
    /// unusable.
    #[error("invalid worker setting {setting}: {reason}")]
    InvalidSetting {
        /// The builder method or environment variable.
        setting: String,
        /// Why it was refused.
        reason: String,
    },
    /// `spawn` was called outside a Tokio runtime.
    #[error("a job worker must be spawned from within a Tokio runtime")]
    NoRuntime,
    /// The server refused the request with this status.
    #[error("{operation}: HTTP {status}{}", problem_suffix(.title, .detail))]
    Status {
        /// The operationId.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The problem title, if any.
        title: Option<String>,
        /// The problem detail, if any.
        detail: Option<String>,
    },
    /// The request did not get an answer (connection refused or reset,
    /// timeout).
    #[error("{operation}: {reason}")]
    Transport {
        /// The operationId.
        operation: &'static str,
        /// What happened (no headers, no credentials).
        reason: String,
    },
    /// The answer could not be decoded.
    #[error("{operation}: undecodable answer: {reason}")]
    Decode {
        /// The operationId.
        operation: &'static str,
        /// Why.
        reason: String,
    },
    /// The request could not be built (e.g. a value the contract refuses).
    #[error("{operation}: invalid request: {reason}")]
    InvalidRequest {
        /// The operationId.
        operation: &'static str,
        /// Why.
        reason: String,
    },
    /// No credential could be obtained for the request.
    #[error("{operation}: {reason}")]
    Authentication {
        /// The operationId.
        operation: &'static str,
        /// The authentication error's message (never a secret).
        reason: String,
    },
}

fn problem_suffix(title: &Option<String>, detail: &Option<String>) -> String {
    match (title, detail) {
        (Some(t), Some(d)) => format!(" {t}: {d}"),
        (Some(t), None) => format!(" {t}"),
        (None, Some(d)) => format!(": {d}"),
        (None, None) => String::new(),
    }
}

impl WorkerError {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            WorkerError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The job is gone or in another state (404, 409): it timed out and was
    /// handed to someone else, or its process instance was cancelled.
    pub fn is_job_gone(&self) -> bool {
        matches!(self.status(), Some(404 | 409))
    }

    /// The server signalled backpressure (429, or 500 or 503 with
    /// `RESOURCE_EXHAUSTED` in the problem).
    pub fn is_backpressure(&self) -> bool {
        match self {
            WorkerError::Status { status: 429, .. } => true,
            WorkerError::Status {
                status: 500 | 503,
                title,
                detail,
                ..
            } => [title, detail].iter().any(|t| {
                t.as_deref()
                    .is_some_and(|t| t.contains("RESOURCE_EXHAUSTED"))
            }),
            _ => false,
        }
    }

    /// Worth trying again: no answer, backpressure, a 5xx, a 401 (the token
    /// layer may recover), or no credential for now.
    pub fn is_transient(&self) -> bool {
        match self {
            WorkerError::Status { status, .. } => {
                *status >= 500 || matches!(status, 401 | 408 | 429)
            }
            WorkerError::Transport { .. }
            | WorkerError::Decode { .. }
            | WorkerError::Authentication { .. } => true,
            WorkerError::InvalidSetting { .. }
            | WorkerError::NoRuntime
            | WorkerError::InvalidRequest { .. } => false,
        }
    }
}
