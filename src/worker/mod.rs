//! Job workers over REST that never stop.
//!
//! ```no_run
//! use camunda8::worker::Outcome;
//!
//! #[derive(serde::Deserialize)]
//! struct Order {
//!     amount: f64,
//! }
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let camunda = camunda8::Camunda::from_env()?;
//! let worker = camunda
//!     .worker("payment")?
//!     .max_concurrent_jobs(32)
//!     .spawn(|job| async move {
//!         // A handler that cannot fail returns an `Outcome`; one that can,
//!         // a `Result<Outcome, E>` (an `Err` fails the job).
//!         match job.variables::<Order>() {
//!             Ok(order) if order.amount > 10_000.0 => {
//!                 Outcome::throw_error("TOO_LARGE", "needs approval")
//!             }
//!             Ok(_) => Outcome::complete_with(&serde_json::json!({ "paid": true })),
//!             Err(e) => Outcome::fail(format!("not an order: {e}")),
//!         }
//!     })?;
//! // … later:
//! let report = worker.shutdown(std::time::Duration::from_secs(10)).await;
//! println!("{} finished, {} left to time out", report.finished, report.left);
//! # Ok(()) }
//! ```
//!
//! # How a worker behaves
//!
//! - **Continuous refill.** Whenever a job finishes, the next activation asks
//!   for the maximum minus the jobs in flight; at most one activation request
//!   is in flight per worker, and it long-polls, so an idle worker costs one
//!   request per long-poll period.
//! - **It never stops on its own.** Any failed activation (no connection,
//!   401, 403, 5xx, backpressure as 429, 500 `RESOURCE_EXHAUSTED` or 503, an
//!   undecodable answer) is logged once per streak and followed by a wait
//!   between the back-off floor and a ceiling doubling up to the cap, so the
//!   worker polls again within one cap of the server's recovery. A 401 has
//!   the token renewed at once (in the call pipeline, `src/call/renew.rs`),
//!   backpressure is retried there first ([`crate::RetryPolicy`]), and the client-wide
//!   [backpressure gate](crate::backpressure) slows all callers together.
//! - **Outcomes.** A handler returns an [`Outcome`] (or a `Result` of one,
//!   see [`IntoOutcome`]): complete, fail, throw a BPMN error, or leave the
//!   job alone. A handler `Err` fails the job with
//!   retries minus one and the error's message; so does a panic, and the
//!   worker goes on. Outcomes are retried on transient failures while the
//!   job's deadline allows; a 404 or 409 (the job timed out and went
//!   elsewhere, or its instance was cancelled) is logged and dropped. They
//!   never hold up activation.
//! - **Long handlers keep their job.** A handler still running after a share
//!   of the job timeout (default 50 %) has the timeout extended
//!   (`updateJob`), again and again; [`Job::extend_timeout`] does it on
//!   request.
//! - **Shutdown.** [`WorkerHandle::shutdown`] stops activating, waits for
//!   the jobs in flight up to a grace period and reports how many finished
//!   and how many were left to time out.
//! - **Observability.** [`WorkerHandle::stats`] and a `camunda8.job` tracing
//!   span per job (job type, job key, process instance key, element id;
//!   never variables or credentials).

mod activation;
mod backoff;
mod client;
mod config;
mod error;
mod extension;
mod handle;
mod into_outcome;
mod job;
mod repeated;
mod report;
mod stats;
mod wire;

use std::future::Future;
use std::sync::Arc;

use futures::FutureExt as _;
use tokio::sync::{Semaphore, watch};

#[allow(deprecated)]
pub use config::{
    DEFAULT_BACKOFF_CAP, DEFAULT_BACKOFF_FLOOR, DEFAULT_EXTEND_AFTER_PERCENT,
    DEFAULT_MAX_CONCURRENT_JOBS, DEFAULT_REQUEST_TIMEOUT, DEFAULT_TIMEOUT, DEFAULT_WORKER_NAME,
    WorkerBuilder,
};
pub use error::WorkerError;
pub use handle::{ShutdownReport, WorkerHandle};
pub use into_outcome::IntoOutcome;
pub use job::{Job, Outcome};
pub use stats::WorkerStats;

impl WorkerBuilder {
    /// Starts the worker on the current Tokio runtime with `handler`, an
    /// async function of a [`Job`] returning an [`Outcome`], or a
    /// `Result<Outcome, E>` whose error fails the job with retries minus one
    /// and the error's message (see [`IntoOutcome`]).
    ///
    /// Fails when a setting is invalid or no runtime is running.
    pub fn spawn<F, Fut>(self, handler: F) -> Result<WorkerHandle, WorkerError>
    where
        F: Fn(Job) -> Fut + Send + Sync + 'static,
        Fut: Future + Send + 'static,
        Fut::Output: IntoOutcome,
    {
        if let Some(invalid) = self.invalid {
            return Err(invalid);
        }
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| WorkerError::NoRuntime)?;
        let handler: activation::HandlerFn =
            Arc::new(move |job| handler(job).map(IntoOutcome::into_outcome).boxed());
        let max = self.config.max_jobs as usize;
        let shared = Arc::new(activation::Shared {
            config: self.config,
            client: self.client,
            handler,
            slots: Arc::new(Semaphore::new(max)),
            counters: Arc::default(),
            stop: watch::channel(false).0,
            abort: watch::channel(false).0,
        });
        let activation = runtime.spawn(activation::run(shared.clone()));
        Ok(WorkerHandle { shared, activation })
    }
}

impl crate::Camunda {
    /// A job worker for jobs of `job_type` on the Orchestration Cluster API
    /// client ([`Camunda::orchestration`](crate::Camunda::orchestration)),
    /// sharing its connection pool, token cache and backpressure gate with
    /// every other caller. Fails when the API's address or credentials are
    /// not configured.
    pub fn worker(&self, job_type: impl Into<String>) -> crate::Result<WorkerBuilder> {
        Ok(WorkerBuilder::new(self.orchestration()?, job_type))
    }
}
