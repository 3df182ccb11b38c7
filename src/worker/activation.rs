//! The activation loop: whenever capacity is free, one activation request for
//! (maximum minus in flight) jobs; each job runs in its own task. Failures
//! back off and the loop goes on: it ends only when the worker is shut down.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use futures::FutureExt as _;
use futures::future::BoxFuture;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::time::Instant;
use tracing::Instrument as _;

use super::backoff::PollBackoff;
use super::client::JobClient;
use super::config::WorkerConfig;
use super::extension::keep_alive;
use super::job::{Job, Lease, Outcome};
use super::report::{Handled, report};
use super::stats::Counters;
use super::wire::{ActivatedJob, ActivationRequest};

/// A handler with its error turned into a message.
pub(crate) type HandlerFn =
    Arc<dyn Fn(Job) -> BoxFuture<'static, Result<Outcome, String>> + Send + Sync>;

/// What the activation loop and the job tasks share.
pub(crate) struct Shared {
    pub config: WorkerConfig,
    pub client: JobClient,
    pub handler: HandlerFn,
    /// One permit per job that may be in flight.
    pub slots: Arc<Semaphore>,
    pub counters: Arc<Counters>,
    /// `true`: stop activating.
    pub stop: watch::Sender<bool>,
    /// `true`: drop the handlers still running (grace period over).
    pub abort: watch::Sender<bool>,
}

impl Shared {
    pub(crate) fn in_flight(&self) -> u64 {
        let max = self.config.max_jobs as usize;
        (max.saturating_sub(self.slots.available_permits())) as u64
    }
}

/// Waits until `flag` turns `true`.
async fn raised(mut flag: watch::Receiver<bool>) {
    let _ = flag.wait_for(|v| *v).await;
}

/// Turns `flag` `true` for every listener, present or future.
///
/// Not `send`: the activation loop and the jobs listen only while they
/// wait, and `send` drops the value when nobody listens at that instant.
/// A shutdown that landed between two of the loop's waits was lost, and
/// the shutdown then waited for the loop forever.
pub(crate) fn raise(flag: &watch::Sender<bool>) {
    flag.send_replace(true);
}

/// The longest the activation loop waits, once a slot is free, for a quarter
/// of the slots to be free.
const REFILL_WAIT: Duration = Duration::from_millis(5);

/// The HTTP timeout of a long poll: the poll itself plus time for the answer.
fn http_timeout(poll: Option<Duration>) -> Duration {
    poll.unwrap_or_default() + Duration::from_secs(10)
}

pub(crate) async fn run(shared: Arc<Shared>) {
    let config = &shared.config;
    let mut backoff = PollBackoff::new(config.backoff_floor, config.backoff_cap);
    let stopped = || raised(shared.stop.subscribe());
    let request_timeout_ms = match config.request_timeout {
        Some(t) => i64::try_from(t.as_millis()).unwrap_or(i64::MAX).max(1),
        None => -1,
    };
    let timeout_ms = i64::try_from(config.timeout.as_millis()).unwrap_or(i64::MAX);
    let refill_batch = (config.max_jobs / 4).max(1);
    // Without tenants of its own, the worker asks for the client's default
    // tenant (`<default>` unless configured otherwise), as Camunda's Java
    // and TypeScript workers do; none if the filling is turned off.
    let tenant_ids = config
        .tenant_ids
        .clone()
        .or_else(|| shared.client.default_tenant().map(|t| vec![t.to_owned()]));
    loop {
        // Capacity: wait for one free slot; then, for a moment, for a
        // quarter of the slots (so that fast handlers are refilled in
        // batches rather than with one request per job); then ask for all
        // that are free.
        let first = tokio::select! {
            biased;
            () = stopped() => return,
            permit = shared.slots.clone().acquire_owned() => match permit {
                Ok(p) => p,
                Err(_) => return,
            },
        };
        drop(first);
        if shared.slots.available_permits() < refill_batch as usize {
            let _ =
                tokio::time::timeout(REFILL_WAIT, shared.slots.acquire_many(refill_batch)).await;
        }
        let capacity = shared.slots.available_permits().max(1);
        let request = ActivationRequest {
            job_type: &config.job_type,
            worker: &config.name,
            timeout: timeout_ms,
            max_jobs_to_activate: i32::try_from(capacity).unwrap_or(i32::MAX),
            fetch_variable: config.fetch_variables.as_deref(),
            request_timeout: request_timeout_ms,
            tenant_ids: tenant_ids.as_deref(),
        };
        Counters::bump(&shared.counters.polls);
        let result = tokio::select! {
            biased;
            () = stopped() => return,
            r = shared.client.activate(&request, http_timeout(config.request_timeout)) => r,
        };
        match result {
            Ok(jobs) => {
                backoff.success(&config.job_type);
                let received = Instant::now();
                let empty = jobs.is_empty();
                for job in jobs {
                    match shared.slots.clone().try_acquire_owned() {
                        Ok(permit) => {
                            tokio::spawn(run_job(shared.clone(), job, received, permit));
                        }
                        Err(_) => tracing::warn!(
                            job_key = %job.job_key,
                            "the server sent more jobs than asked for; leaving this one to time out"
                        ),
                    }
                }
                if empty && config.request_timeout.is_none() {
                    tokio::select! {
                        () = stopped() => return,
                        () = tokio::time::sleep(config.backoff_floor) => {}
                    }
                }
            }
            Err(error) => {
                Counters::bump(&shared.counters.poll_errors);
                let delay = backoff.failure(&config.job_type, &error);
                tokio::select! {
                    () = stopped() => return,
                    () = tokio::time::sleep(delay) => {}
                }
            }
        }
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(no message)".to_owned()
    }
}

/// Runs the handler, catching a panic whether it happens when the handler is
/// called or while its future runs.
async fn call(handler: HandlerFn, job: Job) -> Handled {
    let future = match std::panic::catch_unwind(AssertUnwindSafe(|| handler(job))) {
        Ok(f) => f,
        Err(payload) => return Handled::Panic(panic_message(payload.as_ref())),
    };
    match AssertUnwindSafe(future).catch_unwind().await {
        Ok(Ok(outcome)) => Handled::Outcome(outcome),
        Ok(Err(message)) => Handled::Error(message),
        Err(payload) => Handled::Panic(panic_message(payload.as_ref())),
    }
}

/// One job: handler (kept alive by timeout extensions), then its outcome.
/// Holds its slot until the outcome is delivered or given up.
async fn run_job(
    shared: Arc<Shared>,
    wire: ActivatedJob,
    received: Instant,
    permit: OwnedSemaphorePermit,
) {
    Counters::bump(&shared.counters.activated);
    let config = &shared.config;
    let span = tracing::info_span!(
        "camunda8.job",
        job_type = %config.job_type,
        job_key = %wire.job_key,
        process_instance_key = %wire.process_instance_key,
        element_id = %wire.element_id,
    );
    let lease = Arc::new(Lease::new(
        shared.client.clone(),
        wire.job_key.clone(),
        wire.job_lease_token
            .as_deref()
            .and_then(|t| crate::orchestration::keys::JobLeaseToken::new(t).ok()),
        received + config.timeout,
        shared.counters.clone(),
    ));
    let retries = wire.retries;
    let job = Job::new(wire, lease.clone());
    let mut abort = shared.abort.subscribe();
    async {
        let handled = tokio::select! {
            biased;
            handled = call(shared.handler.clone(), job) => handled,
            () = keep_alive(&lease, config.timeout, config.extend_after_percent) => return,
            _ = abort.wait_for(|a| *a) => {
                tracing::debug!("worker shut down before the handler finished; the job will time out");
                return;
            }
        };
        tokio::select! {
            () = report(&lease, handled, retries, config.backoff_floor, config.backoff_cap) => {}
            _ = abort.wait_for(|a| *a) => {}
        }
    }
    .instrument(span)
    .await;
    drop(permit);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_flag_raised_while_nobody_listens_is_seen_by_later_listeners() {
        let (flag, first) = watch::channel(false);
        drop(first);
        raise(&flag);
        let seen = tokio::time::timeout(Duration::from_secs(1), raised(flag.subscribe())).await;
        assert!(seen.is_ok(), "the raised flag was lost");
    }
}
