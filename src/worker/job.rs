//! What a handler gets ([`Job`]) and returns ([`Outcome`]).

use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;
use tokio::time::Instant;

use super::client::JobClient;
use super::error::WorkerError;
use super::stats::Counters;
use super::wire::ActivatedJob;
use crate::orchestration::keys::{
    ElementId, ElementInstanceKey, JobKey, JobLeaseToken, ProcessDefinitionId,
    ProcessDefinitionKey, ProcessInstanceKey, TenantId,
};
use crate::{Variables, VariablesError};

/// An activated job, handed to the handler.
///
/// Its variables are kept as the server sent them and decoded on request:
/// [`variables`](Self::variables) into any type implementing `Deserialize`,
/// straight from the text; [`variables_json`](Self::variables_json) into a
/// JSON value, once.
#[derive(Debug)]
pub struct Job {
    wire: ActivatedJob,
    /// The variables' JSON text (`None`: the server sent none).
    variables: Option<Box<RawValue>>,
    /// [`variables_json`](Self::variables_json)'s value, decoded once.
    variables_json: OnceLock<Value>,
    headers: Variables,
    pub(crate) lease: Arc<Lease>,
}

/// Where a job's activation stands: shared between the handler (which may
/// extend the timeout) and the worker's keep-alive.
#[derive(Debug)]
pub(crate) struct Lease {
    pub client: JobClient,
    pub key: JobKey,
    pub token: Option<JobLeaseToken>,
    /// When the server lets the job go, as this process sees it (measured
    /// from when the activation or the last extension was sent).
    deadline: Mutex<Instant>,
    pub counters: Arc<Counters>,
}

impl Lease {
    pub(crate) fn new(
        client: JobClient,
        key: JobKey,
        token: Option<JobLeaseToken>,
        deadline: Instant,
        counters: Arc<Counters>,
    ) -> Self {
        Self {
            client,
            key,
            token,
            deadline: Mutex::new(deadline),
            counters,
        }
    }

    pub(crate) fn deadline(&self) -> Instant {
        *self
            .deadline
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Asks the server for `timeout` from now, moving the deadline on success.
    pub(crate) async fn extend(&self, timeout: Duration) -> Result<(), WorkerError> {
        let sent = Instant::now();
        self.client.extend(&self.key, timeout).await?;
        *self
            .deadline
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = sent + timeout;
        Counters::bump(&self.counters.timeouts_extended);
        Ok(())
    }
}

impl Job {
    pub(crate) fn new(mut wire: ActivatedJob, lease: Arc<Lease>) -> Self {
        let variables = wire.variables.take();
        let headers = wire.custom_headers.take().unwrap_or_default();
        Self {
            wire,
            variables,
            variables_json: OnceLock::new(),
            headers,
            lease,
        }
    }

    /// The job's key.
    pub fn key(&self) -> &JobKey {
        &self.wire.job_key
    }

    /// The job type.
    pub fn job_type(&self) -> &str {
        &self.wire.job_type
    }

    /// The process instance the job belongs to.
    pub fn process_instance_key(&self) -> &ProcessInstanceKey {
        &self.wire.process_instance_key
    }

    /// The BPMN element (service task) the job was created for.
    pub fn element_id(&self) -> &ElementId {
        &self.wire.element_id
    }

    /// The element instance of the task, when the server sends it.
    pub fn element_instance_key(&self) -> Option<&ElementInstanceKey> {
        self.wire.element_instance_key.as_ref()
    }

    /// The BPMN process id, when the server sends it.
    pub fn process_definition_id(&self) -> Option<&ProcessDefinitionId> {
        self.wire.process_definition_id.as_ref()
    }

    /// The process definition's key, when the server sends it.
    pub fn process_definition_key(&self) -> Option<&ProcessDefinitionKey> {
        self.wire.process_definition_key.as_ref()
    }

    /// The process definition's version, when the server sends it.
    pub fn process_definition_version(&self) -> Option<i32> {
        self.wire.process_definition_version
    }

    /// The tenant, when the server sends it.
    pub fn tenant_id(&self) -> Option<&TenantId> {
        self.wire.tenant_id.as_ref()
    }

    /// Retries left.
    pub fn retries(&self) -> i32 {
        self.wire.retries
    }

    /// When the server hands the job to another worker unless it is finished
    /// or its timeout extended, as the server stated it at activation.
    pub fn deadline(&self) -> SystemTime {
        let ms = u64::try_from(self.wire.deadline).unwrap_or(0);
        UNIX_EPOCH + Duration::from_millis(ms)
    }

    /// The custom headers modelled on the task (a JSON object; read
    /// them with `get`, iterate them, or decode them with
    /// [`Variables::to`]).
    pub fn custom_headers(&self) -> &Variables {
        &self.headers
    }

    /// One custom header, if it is a string.
    pub fn custom_header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(Value::as_str)
    }

    /// The variables decoded into `T`, from their JSON text.
    pub fn variables<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.variables_text())
    }

    /// The variables as a JSON value, decoded on the first call. An object
    /// nested deeper than `serde_json` decodes into a value (128 levels)
    /// shows as `Null` here; [`variables_text`](Self::variables_text) has
    /// it whole.
    pub fn variables_json(&self) -> &Value {
        self.variables_json
            .get_or_init(|| serde_json::from_str(self.variables_text()).unwrap_or(Value::Null))
    }

    /// The variables' JSON text as the server sent it (`{}` when it sent
    /// none), to pass on or decode without an intermediate value.
    pub fn variables_text(&self) -> &str {
        self.variables.as_deref().map_or("{}", RawValue::get)
    }

    /// Asks the server to keep the job for `timeout` from now (`updateJob`),
    /// for a handler that knows it needs longer. The worker's automatic
    /// extension then counts from the new deadline.
    pub async fn extend_timeout(&self, timeout: Duration) -> Result<(), WorkerError> {
        self.lease.extend(timeout).await
    }
}

/// What to do with a job once the handler is done.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Outcome {
    /// Complete it (`completeJob`), optionally setting variables.
    Complete {
        /// Variables to set (a JSON object), or why they could not be
        /// serialized (the job is then failed with that message).
        variables: Option<Result<Variables, String>>,
    },
    /// Fail it (`failJob`).
    Fail {
        /// Why, shown in Operate.
        message: String,
        /// Retries left; `None`: the job's retries minus one.
        retries: Option<i32>,
        /// How long before the job may be activated again.
        retry_back_off: Option<Duration>,
        /// Variables to set.
        variables: Option<Result<Variables, String>>,
    },
    /// Throw a BPMN error (`throwJobError`), caught by an error event.
    ThrowError {
        /// The error code matched against error catch events.
        code: String,
        /// A message.
        message: Option<String>,
        /// Variables to set.
        variables: Option<Result<Variables, String>>,
    },
    /// Do nothing: the job times out and is handed out again (or was finished
    /// elsewhere).
    LeaveAlone,
}

/// Variables as a JSON object (what the API takes), or why not.
fn to_json<T: Serialize>(value: &T) -> Option<Result<Variables, String>> {
    Some(Variables::from_serialize(value).map_err(|e| match e {
        VariablesError::NotAnObject { found } => {
            format!("job variables must serialize to a JSON object, not {found}")
        }
        VariablesError::Serialize(e) => format!("job variables could not be serialized: {e}"),
    }))
}

impl Outcome {
    /// Complete without variables.
    pub fn complete() -> Self {
        Outcome::Complete { variables: None }
    }

    /// Complete, setting `variables` (which must serialize to a JSON
    /// object; otherwise the job is failed with the reason).
    pub fn complete_with<T: Serialize>(variables: &T) -> Self {
        Outcome::Complete {
            variables: to_json(variables),
        }
    }

    /// Fail with `message`, retries minus one, no back-off.
    pub fn fail(message: impl Into<String>) -> Self {
        Outcome::Fail {
            message: message.into(),
            retries: None,
            retry_back_off: None,
            variables: None,
        }
    }

    /// Fail with `message`, leaving `retries` retries and not before
    /// `retry_back_off` from now.
    pub fn fail_with(message: impl Into<String>, retries: i32, retry_back_off: Duration) -> Self {
        Outcome::Fail {
            message: message.into(),
            retries: Some(retries),
            retry_back_off: Some(retry_back_off),
            variables: None,
        }
    }

    /// Throw the BPMN error `code` with `message`.
    pub fn throw_error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Outcome::ThrowError {
            code: code.into(),
            message: Some(message.into()),
            variables: None,
        }
    }

    /// Leave the job alone.
    pub fn leave_alone() -> Self {
        Outcome::LeaveAlone
    }

    /// The same outcome, also setting `variables` (ignored by
    /// [`LeaveAlone`](Outcome::LeaveAlone)).
    pub fn with_variables<T: Serialize>(mut self, new: &T) -> Self {
        match &mut self {
            Outcome::Complete { variables }
            | Outcome::Fail { variables, .. }
            | Outcome::ThrowError { variables, .. } => *variables = to_json(new),
            Outcome::LeaveAlone => {}
        }
        self
    }
}
