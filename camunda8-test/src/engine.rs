//! A stand-in job engine: an in-process HTTP server speaking the five job
//! operations of the Orchestration Cluster API (`/v2`) with the spec's wire
//! format and semantics, plus fault injection and counters, so that workers
//! (ours or anyone's) can be tested and measured against it.
//!
//! Spec operations served under `/v2`:
//! - `POST /v2/jobs/activation` (activateJobs): long-polls, answering as soon
//!   as jobs of the type can be activated or when `requestTimeout` passes
//!   (`0`: the server default, 10 s; negative: answer at once);
//! - `POST /v2/jobs/{jobKey}/completion` (completeJob),
//!   `/failure` (failJob), `/error` (throwJobError),
//!   `PATCH /v2/jobs/{jobKey}` (updateJob: `changeset.retries`,
//!   `changeset.timeout`): `204` on success, `404` for an unknown or
//!   finished job.
//!
//! A job activated and not finished before its timeout becomes activatable
//! again; a failed job with retries left becomes activatable again after its
//! `retryBackOff`; with no retries left it becomes an incident.
//!
//! Not in the spec (for driving the engine from outside):
//! - `POST /standin/jobs` `{"type": "t", "count": 10, "variables": {..},
//!   "customHeaders": {..}, "retries": 3}` creates jobs and answers
//!   `{"jobKeys": [..]}`;
//! - `GET /standin/stats` answers the counters ([`Summary`]);
//! - `POST /standin/faults` `{"operation": "activateJobs", "faults":
//!   ["503", "500-exhausted", "429", "401", "drop", "garbage", "delay:250"]}`
//!   queues faults for the next requests of an operation.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Map, Value, json};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::time::Instant;

/// The first job key handed out (Zeebe-like: partition 1).
const FIRST_KEY: u64 = 2_251_799_813_685_249;
/// The long-poll period when a request asks for the server default.
const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// A job operation of the spec, as named by its operationId.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// `POST /jobs/activation`.
    Activate,
    /// `POST /jobs/{jobKey}/completion`.
    Complete,
    /// `POST /jobs/{jobKey}/failure`.
    Fail,
    /// `POST /jobs/{jobKey}/error`.
    ThrowError,
    /// `PATCH /jobs/{jobKey}`.
    Update,
}

impl Op {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "activateJobs" => Op::Activate,
            "completeJob" => Op::Complete,
            "failJob" => Op::Fail,
            "throwJobError" => Op::ThrowError,
            "updateJob" => Op::Update,
            _ => return None,
        })
    }
}

/// What the engine does to one request instead of (or before) serving it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// `429` with a problem body titled `RESOURCE_EXHAUSTED` (8.6/8.7).
    Backpressure429,
    /// `500` whose problem detail holds `RESOURCE_EXHAUSTED` (8.8.0–8.8.2).
    Backpressure500,
    /// `503` with the problem title `RESOURCE_EXHAUSTED` (8.8.3+).
    Backpressure503,
    /// Any status with a plain problem body (`401`, `403`, `500`, `502`, …).
    Status(u16),
    /// Wait this long, then serve the request normally.
    Delay(Duration),
    /// Close the connection without answering (the request is not applied).
    Drop,
    /// `200` with a body that is not JSON.
    Garbage,
}

impl Fault {
    /// Parses the names `POST /standin/faults` accepts: `429`, `500-exhausted`,
    /// `503` (backpressure), any other status code, `drop`, `garbage`,
    /// `delay:MILLIS`.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "429" => Fault::Backpressure429,
            "500-exhausted" => Fault::Backpressure500,
            "503" => Fault::Backpressure503,
            "drop" => Fault::Drop,
            "garbage" => Fault::Garbage,
            other => match other.strip_prefix("delay:") {
                Some(ms) => Fault::Delay(Duration::from_millis(ms.parse().ok()?)),
                None => Fault::Status(other.parse().ok()?),
            },
        })
    }
}

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    /// Waiting to be activated (from this instant on).
    Activatable,
    /// Handed to a worker until its deadline.
    Activated,
    /// Completed.
    Completed,
    /// Failed with no retries left.
    Incident,
    /// A BPMN error was thrown for it.
    ErrorThrown,
}

/// Counters of one job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRecord {
    /// Its key.
    pub key: u64,
    /// Its current state.
    pub state: JobState,
    /// Times it was handed out.
    pub activations: u32,
    /// Completions accepted (must never exceed 1).
    pub completions: u32,
    /// Failures accepted.
    pub failures: u32,
    /// BPMN errors accepted.
    pub errors_thrown: u32,
    /// Updates accepted.
    pub updates: u32,
    /// Activations that expired before the job was finished.
    pub timeouts: u32,
    /// Commands refused with 404 because the job was already finished.
    pub late_commands: u32,
    /// Retries left.
    pub retries: i32,
    /// The last failure's error message.
    pub error_message: Option<String>,
    /// Variables sent with the completion, failure or error.
    pub result_variables: Option<Value>,
}

/// Engine-wide counters (`GET /standin/stats`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Jobs created.
    pub created: u64,
    /// Jobs completed.
    pub completed: u64,
    /// Jobs with an incident (failed with no retries left).
    pub incidents: u64,
    /// Jobs ended by a BPMN error.
    pub errors_thrown: u64,
    /// Jobs activated right now.
    pub activated_now: u64,
    /// The most jobs ever activated at the same time.
    pub max_activated: u64,
    /// Activations handed out in total (redeliveries included).
    pub activations: u64,
    /// Activations that expired before the job was finished.
    pub timeouts: u64,
    /// Commands refused with 404 (unknown or finished job).
    pub not_found: u64,
    /// Jobs whose completions exceed one (must stay 0).
    pub completed_twice: u64,
    /// Requests per operation: activate, complete, fail, error, update.
    pub requests: [u64; 5],
    /// Faults served.
    pub faults_served: u64,
}

/// What a new job looks like.
#[derive(Debug, Clone)]
pub struct NewJob {
    /// Job type.
    pub job_type: String,
    /// Variables (a JSON object).
    pub variables: Value,
    /// Custom headers (a JSON object of strings).
    pub custom_headers: Value,
    /// Retries.
    pub retries: i32,
    /// Tenant.
    pub tenant_id: String,
}

impl NewJob {
    /// A job of `job_type` with no variables and 3 retries.
    pub fn new(job_type: &str) -> Self {
        Self {
            job_type: job_type.to_owned(),
            variables: json!({}),
            custom_headers: json!({}),
            retries: 3,
            tenant_id: "<default>".to_owned(),
        }
    }

    /// With these variables.
    pub fn variables(mut self, variables: Value) -> Self {
        self.variables = variables;
        self
    }

    /// With these custom headers.
    pub fn custom_headers(mut self, headers: Value) -> Self {
        self.custom_headers = headers;
        self
    }

    /// With this many retries.
    pub fn retries(mut self, retries: i32) -> Self {
        self.retries = retries;
        self
    }
}

struct Job {
    key: u64,
    spec: NewJob,
    state: JobState,
    /// Activatable: not before this; Activated: the deadline.
    at: Instant,
    deadline_ms: i64,
    worker: String,
    record: JobRecord,
}

impl Job {
    fn record(&self) -> JobRecord {
        JobRecord {
            state: self.state,
            ..self.record.clone()
        }
    }
}

#[derive(Default)]
struct State {
    next_key: u64,
    jobs: HashMap<u64, Job>,
    /// Per type: jobs activatable now, oldest first.
    ready: HashMap<String, VecDeque<u64>>,
    /// Per type: (instant, key) of activated jobs' deadlines and failed jobs'
    /// retry back-offs; entries that no longer match the job are skipped.
    timers: HashMap<String, BTreeSet<(Instant, u64)>>,
    faults: HashMap<Op, VecDeque<Fault>>,
    summary: Summary,
    bearer: Option<String>,
}

struct Shared {
    state: Mutex<State>,
    changed: Notify,
}

/// The running engine; stops accepting connections when dropped.
pub struct Engine {
    shared: Arc<Shared>,
    addr: SocketAddr,
    accept: tokio::task::JoinHandle<()>,
    closed: tokio::sync::watch::Sender<bool>,
}

impl Drop for Engine {
    /// Stops listening and closes every open connection.
    fn drop(&mut self) {
        self.accept.abort();
        let _ = self.closed.send(true);
    }
}

fn epoch_ms_in(duration: Duration) -> i64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from((now + duration).as_millis()).unwrap_or(i64::MAX)
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves consistent data behind
        // (every mutation is a single step), so poisoning is ignored.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl State {
    fn create(&mut self, spec: NewJob) -> u64 {
        if self.next_key == 0 {
            self.next_key = FIRST_KEY;
        }
        let key = self.next_key;
        self.next_key += 1;
        self.ready
            .entry(spec.job_type.clone())
            .or_default()
            .push_back(key);
        let record = JobRecord {
            key,
            state: JobState::Activatable,
            activations: 0,
            completions: 0,
            failures: 0,
            errors_thrown: 0,
            updates: 0,
            timeouts: 0,
            late_commands: 0,
            retries: spec.retries,
            error_message: None,
            result_variables: None,
        };
        self.jobs.insert(
            key,
            Job {
                key,
                spec,
                state: JobState::Activatable,
                at: Instant::now(),
                deadline_ms: 0,
                worker: String::new(),
                record,
            },
        );
        self.summary.created += 1;
        key
    }

    /// Moves due timers of `job_type` to the ready queue.
    fn release_due(&mut self, job_type: &str, now: Instant) {
        let Some(timers) = self.timers.get_mut(job_type) else {
            return;
        };
        while let Some(&(at, key)) = timers.first() {
            if at > now {
                break;
            }
            timers.pop_first();
            let Some(job) = self.jobs.get_mut(&key) else {
                continue;
            };
            if job.at != at {
                continue;
            }
            match job.state {
                JobState::Activated => {
                    job.state = JobState::Activatable;
                    job.record.timeouts += 1;
                    self.summary.timeouts += 1;
                    self.summary.activated_now -= 1;
                }
                JobState::Activatable => {}
                _ => continue,
            }
            self.ready
                .entry(job_type.to_owned())
                .or_default()
                .push_back(key);
        }
    }

    fn next_timer(&self, job_type: &str) -> Option<Instant> {
        self.timers
            .get(job_type)
            .and_then(|t| t.first().map(|&(at, _)| at))
    }

    fn activate(&mut self, request: &ActivationRequest, now: Instant) -> Vec<Value> {
        self.release_due(&request.job_type, now);
        let mut out = Vec::new();
        let Some(queue) = self.ready.get_mut(&request.job_type) else {
            return out;
        };
        let mut skipped = Vec::new();
        while out.len() < request.max_jobs {
            let Some(key) = queue.pop_front() else { break };
            let Some(job) = self.jobs.get_mut(&key) else {
                continue;
            };
            if job.state != JobState::Activatable {
                continue;
            }
            if let Some(tenants) = &request.tenant_ids
                && !tenants.contains(&job.spec.tenant_id)
            {
                skipped.push(key);
                continue;
            }
            let timeout = request.timeout;
            job.state = JobState::Activated;
            job.at = now + timeout;
            job.deadline_ms = epoch_ms_in(timeout);
            job.worker = request.worker.clone();
            job.record.activations += 1;
            self.summary.activations += 1;
            self.summary.activated_now += 1;
            out.push(job_json(job, request.fetch_variable.as_deref()));
            self.timers
                .entry(request.job_type.clone())
                .or_default()
                .insert((job.at, key));
        }
        for key in skipped.into_iter().rev() {
            queue.push_front(key);
        }
        self.summary.max_activated = self.summary.max_activated.max(self.summary.activated_now);
        out
    }

    /// The job `key` if a worker may still finish it (activated, or expired
    /// but not yet handed out again), else counts a 404.
    fn finishable(&mut self, key: u64) -> Option<&mut Job> {
        let open = self
            .jobs
            .get(&key)
            .is_some_and(|j| matches!(j.state, JobState::Activated | JobState::Activatable));
        if !open {
            self.summary.not_found += 1;
            if let Some(job) = self.jobs.get_mut(&key) {
                job.record.late_commands += 1;
            }
            return None;
        }
        self.jobs.get_mut(&key)
    }

    fn leave(&mut self, key: u64, state: JobState) {
        let Some(job) = self.jobs.get_mut(&key) else {
            return;
        };
        if job.state == JobState::Activated {
            self.summary.activated_now -= 1;
        }
        job.state = state;
    }
}

fn job_json(job: &Job, fetch: Option<&[String]>) -> Value {
    let variables = match (fetch, &job.spec.variables) {
        (Some(names), Value::Object(all)) if !names.is_empty() => Value::Object(
            all.iter()
                .filter(|(k, _)| names.iter().any(|n| n == *k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<Map<_, _>>(),
        ),
        (_, vars) => vars.clone(),
    };
    let instance = job.key + 1_000_000;
    json!({
        "type": job.spec.job_type,
        "processDefinitionId": "standin-process",
        "processDefinitionVersion": 1,
        "elementId": "Task_standin",
        "customHeaders": job.spec.custom_headers,
        "worker": job.worker,
        "retries": job.record.retries,
        "deadline": job.deadline_ms,
        "variables": variables,
        "tenantId": job.spec.tenant_id,
        "physicalTenantId": "default",
        "jobKey": job.key.to_string(),
        "processInstanceKey": instance.to_string(),
        "processDefinitionKey": "2251799813000001",
        "elementInstanceKey": (job.key + 2_000_000).to_string(),
        "kind": "BPMN_ELEMENT",
        "listenerEventType": "UNSPECIFIED",
        "userTask": null,
        "tags": [],
        "rootProcessInstanceKey": instance.to_string(),
        "businessId": null,
        "priority": 0,
        "jobLeaseToken": null,
    })
}

/// The properties of `JobActivationRequest`; the engine refuses others with
/// 400, as the spec's `additionalProperties: false` says.
pub const ACTIVATION_FIELDS: [&str; 9] = [
    "type",
    "worker",
    "timeout",
    "maxJobsToActivate",
    "fetchVariable",
    "requestTimeout",
    "tenantIds",
    "tenantFilter",
    "withLease",
];

struct ActivationRequest {
    job_type: String,
    worker: String,
    timeout: Duration,
    max_jobs: usize,
    fetch_variable: Option<Vec<String>>,
    request_timeout: i64,
    tenant_ids: Option<Vec<String>>,
}

impl ActivationRequest {
    fn parse(body: &Value) -> Result<Self, String> {
        let obj = body.as_object().ok_or("the body is not a JSON object")?;
        if let Some(unknown) = obj
            .keys()
            .find(|k| !ACTIVATION_FIELDS.contains(&k.as_str()))
        {
            return Err(format!("unknown property [{unknown}]"));
        }
        let job_type = obj
            .get("type")
            .and_then(Value::as_str)
            .ok_or("No type provided")?
            .to_owned();
        let timeout = obj
            .get("timeout")
            .and_then(Value::as_i64)
            .filter(|t| *t > 0)
            .ok_or("No timeout provided")?;
        let max_jobs = obj
            .get("maxJobsToActivate")
            .and_then(Value::as_i64)
            .filter(|m| *m > 0)
            .ok_or("No maxJobsToActivate provided")?;
        let strings = |name: &str| -> Result<Option<Vec<String>>, String> {
            match obj.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|i| i.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .map(Some)
                    .ok_or_else(|| format!("{name} must be a list of strings")),
                Some(_) => Err(format!("{name} must be a list of strings")),
            }
        };
        Ok(Self {
            job_type,
            worker: obj
                .get("worker")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            timeout: Duration::from_millis(timeout.unsigned_abs()),
            max_jobs: usize::try_from(max_jobs).unwrap_or(usize::MAX),
            fetch_variable: strings("fetchVariable")?,
            request_timeout: obj
                .get("requestTimeout")
                .and_then(Value::as_i64)
                .unwrap_or(0),
            tenant_ids: strings("tenantIds")?,
        })
    }
}

type Reply = Result<Response<Full<Bytes>>, Box<dyn std::error::Error + Send + Sync>>;

fn problem(status: u16, title: &str, detail: &str, instance: &str) -> Response<Full<Bytes>> {
    let body = json!({
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    });
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/problem+json"),
    );
    response
}

fn no_content() -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = StatusCode::NO_CONTENT;
    response
}

fn json_response(value: &Value) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(value.to_string())));
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json"),
    );
    response
}

impl Engine {
    /// Starts the engine on a free loopback port.
    ///
    /// # Panics
    ///
    /// When no loopback port can be bound (a test could not run anyway);
    /// [`bind`](Self::bind) returns the error instead.
    pub async fn start() -> Self {
        match Self::bind(
            "127.0.0.1:0"
                .parse()
                .unwrap_or(SocketAddr::from(([127, 0, 0, 1], 0))),
        )
        .await
        {
            Ok(engine) => engine,
            Err(e) => panic!("the stand-in engine could not bind a loopback port: {e}"),
        }
    }

    /// Starts the engine on `addr`.
    pub async fn bind(addr: SocketAddr) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            changed: Notify::new(),
        });
        let serving = shared.clone();
        let (closed, closing) = tokio::sync::watch::channel(false);
        let accept = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let shared = serving.clone();
                let mut closing = closing.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| serve(shared.clone(), request));
                    let connection =
                        http1::Builder::new().serve_connection(TokioIo::new(stream), service);
                    tokio::select! {
                        _ = connection => {}
                        _ = closing.wait_for(|c| *c) => {}
                    }
                });
            }
        });
        Ok(Self {
            shared,
            addr,
            accept,
            closed,
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The API base, `http://127.0.0.1:PORT/v2`.
    pub fn api_url(&self) -> String {
        format!("http://{}/v2", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A camunda8 configuration whose Orchestration Cluster API is this
    /// engine (no authentication, since the engine asks for none unless
    /// [`require_bearer`](Self::require_bearer) says so). Add to it what
    /// the code under test needs (a retry policy, a bearer token), then
    /// `build()`.
    pub fn config(&self) -> camunda8::Config {
        camunda8::Config::new().orchestration_url(self.url())
    }

    /// Creates a job.
    pub fn create(&self, job: NewJob) -> u64 {
        let key = self.shared.lock().create(job);
        self.shared.changed.notify_waiters();
        key
    }

    /// Creates `count` jobs of `job_type`, each with the variables `{"n": i}`.
    pub fn create_jobs(&self, job_type: &str, count: usize) -> Vec<u64> {
        let keys = {
            let mut state = self.shared.lock();
            (0..count)
                .map(|n| state.create(NewJob::new(job_type).variables(json!({ "n": n }))))
                .collect()
        };
        self.shared.changed.notify_waiters();
        keys
    }

    /// Queues faults for the next requests of `op`, served in order.
    pub fn inject(&self, op: Op, faults: impl IntoIterator<Item = Fault>) {
        self.shared
            .lock()
            .faults
            .entry(op)
            .or_default()
            .extend(faults);
    }

    /// Faults queued and not yet served.
    pub fn pending_faults(&self) -> usize {
        self.shared.lock().faults.values().map(VecDeque::len).sum()
    }

    /// Requires `Authorization: Bearer <token>` on every spec request (`None`:
    /// no check). Changing it revokes the previous token.
    pub fn require_bearer(&self, token: Option<&str>) {
        self.shared.lock().bearer = token.map(str::to_owned);
    }

    /// The counters of job `key`.
    pub fn job(&self, key: u64) -> Option<JobRecord> {
        self.shared.lock().jobs.get(&key).map(Job::record)
    }

    /// The counters of every job, by key.
    pub fn jobs(&self) -> Vec<JobRecord> {
        let state = self.shared.lock();
        let mut records: Vec<_> = state.jobs.values().map(Job::record).collect();
        records.sort_by_key(|r| r.key);
        records
    }

    /// The engine-wide counters.
    pub fn summary(&self) -> Summary {
        self.shared.lock().summary.clone()
    }

    /// Forgets every finished job (completed, incident or ended by a BPMN
    /// error) and returns how many: for runs that create many jobs in
    /// rounds (benchmarks), so that a later round does not pay for the
    /// jobs of the earlier ones in the engine's maps.
    ///
    /// The engine-wide counters ([`summary`](Self::summary)) keep counting
    /// them; [`job`](Self::job) and [`jobs`](Self::jobs) no longer know
    /// them, and a late command for one is refused with `404` as for any
    /// finished job (counted in `not_found`, not in the forgotten job's
    /// `late_commands`). Jobs still activatable or activated are kept.
    pub fn forget_finished(&self) -> usize {
        let mut state = self.shared.lock();
        let before = state.jobs.len();
        state
            .jobs
            .retain(|_, job| matches!(job.state, JobState::Activatable | JobState::Activated));
        let State { jobs, timers, .. } = &mut *state;
        for set in timers.values_mut() {
            set.retain(|(_, key)| jobs.contains_key(key));
        }
        before - jobs.len()
    }

    /// Waits (polling every 10 ms) until `done(summary)` holds or `limit`
    /// passes; returns the last summary.
    pub async fn wait_for(&self, limit: Duration, done: impl Fn(&Summary) -> bool) -> Summary {
        let until = Instant::now() + limit;
        loop {
            let summary = self.summary();
            if done(&summary) || Instant::now() >= until {
                return summary;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

async fn serve(shared: Arc<Shared>, request: Request<Incoming>) -> Reply {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let authorization = request
        .headers()
        .get(hyper::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = request.into_body().collect().await?.to_bytes();

    if let Some(rest) = path.strip_prefix("/standin/") {
        return Ok(control(&shared, &method, rest, &body));
    }
    let Some(route) = path.strip_prefix("/v2/jobs") else {
        return Ok(problem(404, "Not Found", "no such path", &path));
    };
    let (op, key) = match (&method, route) {
        (&Method::POST, "/activation") => (Op::Activate, None),
        (m, rest) => {
            let rest = rest.strip_prefix('/').unwrap_or_default();
            let (key, action) = rest.split_once('/').unwrap_or((rest, ""));
            let op = match (m, action) {
                (&Method::POST, "completion") => Op::Complete,
                (&Method::POST, "failure") => Op::Fail,
                (&Method::POST, "error") => Op::ThrowError,
                (&Method::PATCH, "") => Op::Update,
                _ => return Ok(problem(404, "Not Found", "no such operation", &path)),
            };
            match key.parse::<u64>() {
                Ok(key) => (op, Some(key)),
                Err(_) => {
                    return Ok(problem(
                        400,
                        "INVALID_ARGUMENT",
                        "jobKey is not a key",
                        &path,
                    ));
                }
            }
        }
    };

    let fault = {
        let mut state = shared.lock();
        state.summary.requests[op as usize] += 1;
        let fault = state.faults.get_mut(&op).and_then(VecDeque::pop_front);
        if fault.is_some() {
            state.summary.faults_served += 1;
        }
        fault
    };
    match fault {
        None => {}
        Some(Fault::Delay(d)) => tokio::time::sleep(d).await,
        Some(Fault::Drop) => return Err("dropped by fault injection".into()),
        Some(Fault::Garbage) => {
            let mut response = Response::new(Full::new(Bytes::from_static(b"{\"jobs\": [ oops")));
            response.headers_mut().insert(
                hyper::header::CONTENT_TYPE,
                hyper::header::HeaderValue::from_static("application/json"),
            );
            return Ok(response);
        }
        Some(Fault::Backpressure429) => {
            return Ok(problem(
                429,
                "RESOURCE_EXHAUSTED",
                "Too many requests; try again later",
                &path,
            ));
        }
        Some(Fault::Backpressure500) => {
            return Ok(problem(
                500,
                "Internal Server Error",
                "Expected to handle request, but the broker rejected it: RESOURCE_EXHAUSTED",
                &path,
            ));
        }
        Some(Fault::Backpressure503) => {
            return Ok(problem(
                503,
                "RESOURCE_EXHAUSTED",
                "Expected to handle request, but there was backpressure",
                &path,
            ));
        }
        Some(Fault::Status(status)) => {
            let title = StatusCode::from_u16(status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("Error");
            return Ok(problem(status, title, "injected fault", &path));
        }
    }

    let required = shared.lock().bearer.clone();
    if let Some(token) = required
        && authorization
            .as_deref()
            .and_then(|a| a.strip_prefix("Bearer "))
            != Some(token.as_str())
    {
        return Ok(problem(
            401,
            "Unauthorized",
            "missing or invalid bearer token",
            &path,
        ));
    }

    let parsed: Value = if body.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => return Ok(problem(400, "Bad Request", &e.to_string(), &path)),
        }
    };
    match (op, key) {
        (Op::Activate, _) => activate(&shared, &parsed, &path).await,
        (op, Some(key)) => Ok(command(&shared, op, key, &parsed, &path)),
        (_, None) => Ok(problem(404, "Not Found", "no such path", &path)),
    }
}

async fn activate(shared: &Shared, body: &Value, path: &str) -> Reply {
    let request = match ActivationRequest::parse(body) {
        Ok(r) => r,
        Err(e) => return Ok(problem(400, "INVALID_ARGUMENT", &e, path)),
    };
    let started = Instant::now();
    let poll_end = match request.request_timeout {
        t if t < 0 => started,
        0 => started + DEFAULT_REQUEST_TIMEOUT,
        t => started + Duration::from_millis(t.unsigned_abs()),
    };
    loop {
        let notified = shared.changed.notified();
        tokio::pin!(notified);
        let next = {
            let mut state = shared.lock();
            // Registered while the lock is held, so no change is missed.
            notified.as_mut().enable();
            let now = Instant::now();
            let jobs = state.activate(&request, now);
            if !jobs.is_empty() || now >= poll_end {
                return Ok(json_response(&json!({ "jobs": jobs })));
            }
            state.next_timer(&request.job_type)
        };
        let wake = next.map_or(poll_end, |t| t.min(poll_end));
        tokio::select! {
            () = &mut notified => {}
            () = tokio::time::sleep_until(wake) => {}
        }
    }
}

fn command(shared: &Shared, op: Op, key: u64, body: &Value, path: &str) -> Response<Full<Bytes>> {
    let field = |name: &str| body.get(name).filter(|v| !v.is_null());
    let not_found = || {
        problem(
            404,
            "NOT_FOUND",
            &format!(
                "Command '{op:?}' rejected: expected to find a job with key '{key}', but no such job was found"
            ),
            path,
        )
    };
    let mut state = shared.lock();
    let Some(job) = state.finishable(key) else {
        return not_found();
    };
    let mut wake = false;
    match op {
        Op::Complete => {
            job.record.completions += 1;
            // Counted as it happens, so that `summary` stays cheap however
            // many jobs the engine holds.
            let twice = job.record.completions == 2;
            job.record.result_variables = field("variables").cloned();
            state.summary.completed += 1;
            state.summary.completed_twice += u64::from(twice);
            state.leave(key, JobState::Completed);
        }
        Op::Fail => {
            let retries = field("retries")
                .and_then(Value::as_i64)
                .and_then(|r| i32::try_from(r).ok())
                .unwrap_or(0);
            let back_off = field("retryBackOff")
                .and_then(Value::as_i64)
                .unwrap_or(0)
                .max(0);
            job.record.failures += 1;
            job.record.retries = retries;
            job.record.error_message = field("errorMessage")
                .and_then(Value::as_str)
                .map(str::to_owned);
            job.record.result_variables = field("variables").cloned();
            let job_type = job.spec.job_type.clone();
            if retries > 0 {
                let at = Instant::now() + Duration::from_millis(back_off.unsigned_abs());
                state.leave(key, JobState::Activatable);
                if let Some(job) = state.jobs.get_mut(&key) {
                    job.at = at;
                }
                state.timers.entry(job_type).or_default().insert((at, key));
                wake = true;
            } else {
                state.summary.incidents += 1;
                state.leave(key, JobState::Incident);
            }
        }
        Op::ThrowError => {
            let Some(code) = field("errorCode").and_then(Value::as_str) else {
                return problem(400, "INVALID_ARGUMENT", "No errorCode provided", path);
            };
            job.record.error_message = Some(code.to_owned());
            job.record.errors_thrown += 1;
            job.record.result_variables = field("variables").cloned();
            state.summary.errors_thrown += 1;
            state.leave(key, JobState::ErrorThrown);
        }
        Op::Update => {
            let Some(changeset) = field("changeset") else {
                return problem(400, "INVALID_ARGUMENT", "No changeset provided", path);
            };
            if let Some(retries) = changeset.get("retries").and_then(Value::as_i64) {
                job.record.retries = i32::try_from(retries).unwrap_or(i32::MAX);
            }
            job.record.updates += 1;
            if let Some(timeout) = changeset.get("timeout").and_then(Value::as_i64) {
                if job.state != JobState::Activated {
                    return problem(409, "INVALID_STATE", "the job is not activated", path);
                }
                let timeout = Duration::from_millis(timeout.max(0).unsigned_abs());
                job.at = Instant::now() + timeout;
                job.deadline_ms = epoch_ms_in(timeout);
                let entry = (job.at, key);
                let job_type = job.spec.job_type.clone();
                state.timers.entry(job_type).or_default().insert(entry);
            }
        }
        Op::Activate => {}
    }
    drop(state);
    if wake {
        shared.changed.notify_waiters();
    }
    no_content()
}

fn control(shared: &Shared, method: &Method, rest: &str, body: &[u8]) -> Response<Full<Bytes>> {
    let path = format!("/standin/{rest}");
    let parsed: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    match (method, rest) {
        (&Method::GET, "stats") => {
            let summary = { shared.lock().summary.clone() };
            json_response(&serde_json::to_value(summary).unwrap_or(Value::Null))
        }
        (&Method::POST, "jobs") => {
            let Some(job_type) = parsed.get("type").and_then(Value::as_str) else {
                return problem(400, "Bad Request", "a job needs a \"type\"", &path);
            };
            let count = parsed.get("count").and_then(Value::as_u64).unwrap_or(1);
            let mut spec = NewJob::new(job_type);
            if let Some(v) = parsed.get("variables").filter(|v| v.is_object()) {
                spec.variables = v.clone();
            }
            if let Some(h) = parsed.get("customHeaders").filter(|v| v.is_object()) {
                spec.custom_headers = h.clone();
            }
            if let Some(r) = parsed.get("retries").and_then(Value::as_i64) {
                spec.retries = i32::try_from(r).unwrap_or(3);
            }
            if let Some(t) = parsed.get("tenantId").and_then(Value::as_str) {
                spec.tenant_id = t.to_owned();
            }
            let keys: Vec<String> = {
                let mut state = shared.lock();
                (0..count)
                    .map(|_| state.create(spec.clone()).to_string())
                    .collect()
            };
            shared.changed.notify_waiters();
            json_response(&json!({ "jobKeys": keys }))
        }
        (&Method::POST, "faults") => {
            let op = parsed
                .get("operation")
                .and_then(Value::as_str)
                .and_then(Op::parse);
            let faults = parsed.get("faults").and_then(Value::as_array).map(|items| {
                items
                    .iter()
                    .map(|f| f.as_str().and_then(Fault::parse))
                    .collect::<Option<Vec<_>>>()
            });
            match (op, faults) {
                (Some(op), Some(Some(faults))) => {
                    shared.lock().faults.entry(op).or_default().extend(faults);
                    no_content()
                }
                _ => problem(
                    400,
                    "Bad Request",
                    "expected {\"operation\": <operationId>, \"faults\": [..]}",
                    &path,
                ),
            }
        }
        _ => problem(404, "Not Found", "no such stand-in endpoint", &path),
    }
}
