//! Delivering a handler's outcome: complete, fail or throw an error,
//! retrying transient failures while the job's deadline allows; a job that
//! is gone (404, 409) is logged and dropped.

use std::time::Duration;

use tokio::time::Instant;

use super::client::Failure;
use super::error::WorkerError;
use super::job::{Lease, Outcome};
use super::stats::Counters;
use crate::Variables;
use crate::backoff::Backoff;

/// How a handler ended.
#[derive(Debug)]
pub(crate) enum Handled {
    /// It returned an outcome.
    Outcome(Outcome),
    /// It returned `Err` with this message.
    Error(String),
    /// It panicked with this message.
    Panic(String),
}

/// What is sent: the outcome, with handler errors, panics and unserializable
/// variables turned into failures.
fn settle(handled: Handled, counters: &Counters) -> Outcome {
    let failure = |message: String| Outcome::Fail {
        message,
        retries: None,
        retry_back_off: None,
        variables: None,
    };
    match handled {
        Handled::Outcome(
            Outcome::Complete {
                variables: Some(Err(message)),
            }
            | Outcome::Fail {
                variables: Some(Err(message)),
                ..
            }
            | Outcome::ThrowError {
                variables: Some(Err(message)),
                ..
            },
        ) => failure(message),
        Handled::Outcome(outcome) => outcome,
        Handled::Error(message) => {
            Counters::bump(&counters.handler_errors);
            failure(message)
        }
        Handled::Panic(message) => {
            Counters::bump(&counters.handler_panics);
            failure(format!("the job handler panicked: {message}"))
        }
    }
}

fn variables(v: &Option<Result<Variables, String>>) -> Option<Variables> {
    v.as_ref().and_then(|v| v.as_ref().ok()).cloned()
}

async fn send_once(lease: &Lease, outcome: &Outcome, retries: i32) -> Result<(), WorkerError> {
    let token = lease.token.clone();
    let client = &lease.client;
    match outcome {
        Outcome::Complete { variables: v } => {
            client.complete(&lease.key, variables(v), token).await
        }
        Outcome::Fail {
            message,
            retries: left,
            retry_back_off,
            variables: v,
        } => {
            let failure = Failure {
                message: message.clone(),
                retries: left.unwrap_or(retries.saturating_sub(1)).max(0),
                retry_back_off: *retry_back_off,
                variables: variables(v),
            };
            client.fail(&lease.key, failure, token).await
        }
        Outcome::ThrowError {
            code,
            message,
            variables: v,
        } => {
            client
                .throw_error(
                    &lease.key,
                    code.clone(),
                    message.clone(),
                    variables(v),
                    token,
                )
                .await
        }
        Outcome::LeaveAlone => Ok(()),
    }
}

/// The wait before delivery retry `retry` (1-based): the back-off's step
/// `retry + 1` (see [`report`]).
fn retry_delay(backoff: &Backoff, retry: u32) -> Duration {
    backoff.delay(retry.saturating_add(1))
}

/// Sends the outcome, retrying transient failures (with full jitter between
/// `floor` and a doubling ceiling up to `cap`) until the job's deadline.
///
/// Retry `n` draws from the back-off's step `n + 1`: the first retry may
/// already wait up to twice the floor (where a failed poll waits the floor),
/// as outcome delivery always has.
pub(crate) async fn report(
    lease: &Lease,
    handled: Handled,
    retries: i32,
    floor: Duration,
    cap: Duration,
) {
    let counters = &lease.counters;
    let outcome = settle(handled, counters);
    let backoff = Backoff::from_floor(floor, cap);
    let mut attempt: u32 = 0;
    loop {
        match send_once(lease, &outcome, retries).await {
            Ok(()) => {
                let counter = match outcome {
                    Outcome::Complete { .. } => &counters.completed,
                    Outcome::Fail { .. } => &counters.failed,
                    Outcome::ThrowError { .. } => &counters.errors_thrown,
                    Outcome::LeaveAlone => &counters.left_alone,
                };
                Counters::bump(counter);
                return;
            }
            Err(error) if error.is_job_gone() => {
                Counters::bump(&counters.jobs_gone);
                tracing::warn!(%error, "the job is gone (timed out and handed out again, or its instance was cancelled); outcome dropped");
                return;
            }
            Err(error) if !error.is_transient() => {
                Counters::bump(&counters.report_failures);
                tracing::error!(%error, "the server refused the job's outcome; the job will time out");
                return;
            }
            Err(error) => {
                attempt = attempt.saturating_add(1);
                let delay = retry_delay(&backoff, attempt);
                if Instant::now() + delay >= lease.deadline() {
                    Counters::bump(&counters.report_failures);
                    tracing::warn!(%error, attempts = attempt, "could not deliver the job's outcome before its deadline; the job will be handed out again");
                    return;
                }
                tracing::debug!(%error, attempt, "delivering the job's outcome failed; retrying");
                tokio::time::sleep(delay).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_delivery_retry_waits_up_to_twice_the_floor() {
        let floor = Duration::from_millis(100);
        let backoff = Backoff::from_floor(floor, Duration::from_secs(5));
        let first: Vec<Duration> = (0..200).map(|_| retry_delay(&backoff, 1)).collect();
        assert!(first.iter().all(|d| *d >= floor && *d <= 2 * floor));
        assert!(first.iter().any(|d| *d > floor), "never above the floor");
        for _ in 0..50 {
            assert!(retry_delay(&backoff, u32::MAX) <= Duration::from_secs(5));
        }
    }
}
