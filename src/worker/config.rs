//! A worker's settings and the builder that collects them.

use std::time::Duration;

use super::client::JobClient;
use super::error::WorkerError;

/// Maximum jobs handled at once, unless set otherwise.
pub const DEFAULT_MAX_CONCURRENT_JOBS: u32 = 32;
/// How long the server keeps an activated job for this worker.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long an activation request waits for jobs (long polling):
/// [`config::DEFAULT_ACTIVATION_REQUEST_TIMEOUT`](crate::config::DEFAULT_ACTIVATION_REQUEST_TIMEOUT).
#[deprecated(note = "use camunda8::config::DEFAULT_ACTIVATION_REQUEST_TIMEOUT")]
pub const DEFAULT_REQUEST_TIMEOUT: Duration = crate::config::DEFAULT_ACTIVATION_REQUEST_TIMEOUT;
/// The shortest wait after a failed activation.
pub const DEFAULT_BACKOFF_FLOOR: Duration = Duration::from_millis(100);
/// The longest wait after failed activations.
pub const DEFAULT_BACKOFF_CAP: Duration = Duration::from_secs(5);
/// The share of the job timeout (percent) after which a still running
/// handler's job has its timeout extended.
pub const DEFAULT_EXTEND_AFTER_PERCENT: u32 = 50;
/// The worker name sent with activations.
pub const DEFAULT_WORKER_NAME: &str = "camunda8-rust";

/// The settings of one worker (see [`WorkerBuilder`] for each one's meaning
/// and default).
#[derive(Debug, Clone)]
pub(crate) struct WorkerConfig {
    pub job_type: String,
    pub name: String,
    pub max_jobs: u32,
    pub timeout: Duration,
    pub request_timeout: Option<Duration>,
    pub fetch_variables: Option<Vec<String>>,
    pub tenant_ids: Option<Vec<String>>,
    pub backoff_floor: Duration,
    pub backoff_cap: Duration,
    pub extend_after_percent: Option<u32>,
}

/// Builds a job worker: [`Camunda::worker`](crate::Camunda::worker), the
/// settings below, then [`spawn`](Self::spawn) with a handler.
///
/// | Setting | Method | Environment | Default |
/// |---|---|---|---|
/// | Jobs handled at once (activation asks for this minus those in flight) | [`max_concurrent_jobs`](Self::max_concurrent_jobs) | `CAMUNDA_WORKER_MAX_CONCURRENT_JOBS` | 32 |
/// | Job timeout: how long the server keeps a job for this worker | [`timeout`](Self::timeout) | `CAMUNDA_WORKER_TIMEOUT` (ms) | 30 s |
/// | Long-poll period of an activation request | [`request_timeout`](Self::request_timeout) | `CAMUNDA_WORKER_REQUEST_TIMEOUT` (ms; negative: no long polling) | 20 s |
/// | Worker name | [`name`](Self::name) | `CAMUNDA_WORKER_NAME` | `camunda8-rust` |
/// | Variables to fetch | [`fetch_variables`](Self::fetch_variables) | — | all |
/// | Tenants | [`tenant_ids`](Self::tenant_ids) | `CAMUNDA_DEFAULT_TENANT_ID` | the client's default tenant, `<default>` (none after [`Config::no_default_tenant`](crate::Config::no_default_tenant): the server's choice) |
/// | Back-off after failed activations: floor and cap | [`poll_backoff`](Self::poll_backoff) | — | 100 ms, 5 s |
/// | Extend the job timeout of handlers still running after this share of it | [`extend_timeout_after`](Self::extend_timeout_after) | — | 50 % |
///
/// Builder methods win over the environment.
#[derive(Debug, Clone)]
pub struct WorkerBuilder {
    pub(crate) client: JobClient,
    pub(crate) config: WorkerConfig,
    pub(crate) invalid: Option<WorkerError>,
}

fn env_number(
    lookup: &dyn Fn(&str) -> Option<String>,
    name: &str,
) -> Result<Option<i64>, WorkerError> {
    match lookup(name) {
        Some(value) if value.trim().is_empty() => Ok(None),
        Some(value) => {
            value
                .trim()
                .parse::<i64>()
                .map(Some)
                .map_err(|_| WorkerError::InvalidSetting {
                    setting: name.to_owned(),
                    reason: format!("{value:?} is not a whole number"),
                })
        }
        None => Ok(None),
    }
}

fn positive_ms(name: &str, ms: i64) -> Result<Duration, WorkerError> {
    u64::try_from(ms)
        .ok()
        .filter(|ms| *ms > 0)
        .map(Duration::from_millis)
        .ok_or_else(|| WorkerError::InvalidSetting {
            setting: name.to_owned(),
            reason: format!("{ms} is not a positive number of milliseconds"),
        })
}

impl WorkerBuilder {
    /// A worker for jobs of `job_type`, sending through `client`, with the
    /// defaults overridden by the `CAMUNDA_WORKER_*` variables.
    /// [`Camunda::worker`](crate::Camunda::worker) is the usual way.
    pub fn new(client: &crate::orchestration::Client, job_type: impl Into<String>) -> Self {
        let mut builder = Self {
            client: JobClient::new(client),
            config: WorkerConfig {
                job_type: job_type.into(),
                name: DEFAULT_WORKER_NAME.to_owned(),
                max_jobs: DEFAULT_MAX_CONCURRENT_JOBS,
                timeout: DEFAULT_TIMEOUT,
                request_timeout: Some(crate::config::DEFAULT_ACTIVATION_REQUEST_TIMEOUT),
                fetch_variables: None,
                tenant_ids: None,
                backoff_floor: DEFAULT_BACKOFF_FLOOR,
                backoff_cap: DEFAULT_BACKOFF_CAP,
                extend_after_percent: Some(DEFAULT_EXTEND_AFTER_PERCENT),
            },
            invalid: None,
        };
        if let Err(e) = builder.read_env(&|name| std::env::var(name).ok()) {
            builder.invalid = Some(e);
        }
        builder
    }

    fn read_env(&mut self, lookup: &dyn Fn(&str) -> Option<String>) -> Result<(), WorkerError> {
        if let Some(name) = lookup("CAMUNDA_WORKER_NAME")
            && !name.trim().is_empty()
        {
            self.config.name = name.trim().to_owned();
        }
        const MAX: &str = "CAMUNDA_WORKER_MAX_CONCURRENT_JOBS";
        if let Some(n) = env_number(lookup, MAX)? {
            self.config.max_jobs = u32::try_from(n)
                .ok()
                .filter(|n| (1..=MAX_JOBS_LIMIT).contains(n))
                .ok_or_else(|| WorkerError::InvalidSetting {
                    setting: MAX.to_owned(),
                    reason: format!("{n} is not between 1 and {MAX_JOBS_LIMIT}"),
                })?;
        }
        const TIMEOUT: &str = "CAMUNDA_WORKER_TIMEOUT";
        if let Some(ms) = env_number(lookup, TIMEOUT)? {
            self.config.timeout = positive_ms(TIMEOUT, ms)?;
        }
        const REQUEST: &str = "CAMUNDA_WORKER_REQUEST_TIMEOUT";
        if let Some(ms) = env_number(lookup, REQUEST)? {
            self.config.request_timeout = match ms {
                ms if ms < 0 => None,
                0 => Some(crate::config::DEFAULT_ACTIVATION_REQUEST_TIMEOUT),
                ms => Some(positive_ms(REQUEST, ms)?),
            };
        }
        Ok(())
    }

    /// Jobs handled at once (1 to 65 536); activation asks for this minus the
    /// jobs in flight.
    pub fn max_concurrent_jobs(mut self, jobs: u32) -> Self {
        if (1..=MAX_JOBS_LIMIT).contains(&jobs) {
            self.config.max_jobs = jobs;
        } else {
            self.invalid = Some(WorkerError::InvalidSetting {
                setting: "max_concurrent_jobs".into(),
                reason: format!("{jobs} is not between 1 and {MAX_JOBS_LIMIT}"),
            });
        }
        self
    }

    /// How long the server keeps an activated job for this worker before
    /// handing it to another (at least 1 ms).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        if timeout.is_zero() {
            self.invalid = Some(WorkerError::InvalidSetting {
                setting: "timeout".into(),
                reason: "a job timeout must be positive".into(),
            });
        } else {
            self.config.timeout = timeout;
        }
        self
    }

    /// How long an activation request waits for jobs to appear (long
    /// polling); `None` asks for an immediate answer, and an empty answer is
    /// then followed by a pause of the back-off floor.
    pub fn request_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.config.request_timeout = timeout;
        self
    }

    /// The worker name sent with activations (shown in Operate).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.config.name = name.into();
        self
    }

    /// Fetch only these variables (default: all visible to the task).
    pub fn fetch_variables<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.config.fetch_variables = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// Activate jobs of these tenants (instead of the client's default
    /// tenant).
    pub fn tenant_ids<I, S>(mut self, tenants: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.config.tenant_ids = Some(tenants.into_iter().map(Into::into).collect());
        self
    }

    /// The wait after a failed activation: random between `floor` and a
    /// ceiling that doubles with each failure in a row, up to `cap`. After
    /// the server recovers, the worker is polling again within `cap`.
    pub fn poll_backoff(mut self, floor: Duration, cap: Duration) -> Self {
        self.config.backoff_floor = floor;
        self.config.backoff_cap = cap.max(floor);
        self
    }

    /// Extend the job timeout (`updateJob`) of a handler still running after
    /// `percent` % of it (1 to 95), again and again while it runs; `None`
    /// never extends automatically ([`Job::extend_timeout`](super::Job::extend_timeout)
    /// still does on request).
    pub fn extend_timeout_after(mut self, percent: Option<u32>) -> Self {
        match percent {
            Some(p) if !(1..=95).contains(&p) => {
                self.invalid = Some(WorkerError::InvalidSetting {
                    setting: "extend_timeout_after".into(),
                    reason: format!("{p} % is not between 1 and 95"),
                });
            }
            p => self.config.extend_after_percent = p,
        }
        self
    }
}

/// The most jobs one worker handles at once.
const MAX_JOBS_LIMIT: u32 = 65_536;

#[cfg(test)]
mod tests {
    use super::*;

    fn read(vars: &[(&str, &str)]) -> Result<WorkerConfig, WorkerError> {
        let camunda = crate::Config::new()
            .orchestration_url("http://127.0.0.1:1")
            .build()
            .map_err(|e| WorkerError::InvalidSetting {
                setting: "test".into(),
                reason: e.to_string(),
            })?;
        let mut builder = WorkerBuilder::new(camunda.orchestration().expect("client"), "t");
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        builder.read_env(&|name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))?;
        Ok(builder.config)
    }

    #[test]
    fn worker_variables_of_the_official_sdks() {
        let config = read(&[
            ("CAMUNDA_WORKER_NAME", "billing-7"),
            ("CAMUNDA_WORKER_MAX_CONCURRENT_JOBS", "64"),
            ("CAMUNDA_WORKER_TIMEOUT", "45000"),
            ("CAMUNDA_WORKER_REQUEST_TIMEOUT", "-1"),
        ])
        .unwrap();
        assert_eq!(config.name, "billing-7");
        assert_eq!(config.max_jobs, 64);
        assert_eq!(config.timeout, Duration::from_secs(45));
        assert_eq!(config.request_timeout, None);
        let config = read(&[("CAMUNDA_WORKER_REQUEST_TIMEOUT", "5000")]).unwrap();
        assert_eq!(config.request_timeout, Some(Duration::from_secs(5)));
        assert_eq!(config.max_jobs, DEFAULT_MAX_CONCURRENT_JOBS);
    }

    #[test]
    fn bad_worker_variables_are_typed_errors() {
        for (name, value) in [
            ("CAMUNDA_WORKER_MAX_CONCURRENT_JOBS", "many"),
            ("CAMUNDA_WORKER_MAX_CONCURRENT_JOBS", "0"),
            ("CAMUNDA_WORKER_TIMEOUT", "-5"),
            ("CAMUNDA_WORKER_TIMEOUT", "1.5"),
        ] {
            let error = read(&[(name, value)]).unwrap_err();
            assert!(error.to_string().contains(name), "{error}");
        }
    }
}
