//! Waiting for eventually consistent reads.
//!
//! The Orchestration Cluster API serves searches and most gets from a
//! secondary store that is filled asynchronously: a process instance just
//! created may not be found for a moment (a get answers 404, a search
//! answers an empty page). The contract marks these operations with
//! `x-eventually-consistent: true` and their documentation says so.
//! [`eventually`] repeats such a call until its result shows what the
//! caller waits for, or a deadline passes:
//!
//! ```no_run
//! # async fn run(camunda: camunda8::Camunda, key: camunda8::orchestration::keys::ProcessInstanceKey)
//! # -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//! use camunda8::orchestration::{eventually, types::ProcessInstanceSearchQuery};
//!
//! let orchestration = camunda.orchestration()?;
//! let query: ProcessInstanceSearchQuery =
//!     serde_json::from_value(serde_json::json!({ "filter": { "processInstanceKey": key } }))?;
//! // Created a moment ago: wait until the search sees it.
//! let page = eventually(|| orchestration.search_process_instances().body(query.clone()).send())
//!     .timeout(Duration::from_secs(10))
//!     .until(|page| !page.items.is_empty())
//!     .await?;
//! println!("found {}", page.items.len());
//! # Ok(()) }
//! ```
//!
//! A 404 answer counts as "not there yet" and is retried; any other error
//! ends the wait at once ([`ConsistencyError::Failed`]). When the deadline
//! passes, [`ConsistencyError::TimedOut`] carries the last response, so the
//! caller can still look at what was seen. Polls start
//! [`DEFAULT_POLL_INTERVAL`] apart and back off (doubling) up to
//! [`DEFAULT_MAX_POLL_INTERVAL`], never past the deadline. Time is tokio's,
//! so tests can run it under paused time.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use progenitor_client::ResponseValue;

/// How long [`eventually`] waits by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// The first pause between two polls.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_millis(100);
/// The longest pause between two polls.
pub const DEFAULT_MAX_POLL_INTERVAL: Duration = Duration::from_secs(1);

/// An error that may mean "not there yet": a 404 from a get whose subject
/// was created a moment ago.
pub trait NotYetVisible {
    /// Whether the error is a 404 (the read should be repeated).
    fn is_not_found(&self) -> bool;
}

impl<E> NotYetVisible for crate::ApiError<E> {
    fn is_not_found(&self) -> bool {
        self.status() == Some(reqwest::StatusCode::NOT_FOUND)
    }
}

/// Why [`Eventually`] gave up.
pub enum ConsistencyError<T, E> {
    /// The deadline passed before a result satisfied the condition.
    TimedOut {
        /// The last successful response, if any call succeeded.
        last: Option<T>,
        /// Calls made.
        attempts: u32,
        /// Time waited.
        waited: Duration,
    },
    /// A call failed with an error other than 404.
    Failed(E),
}

impl<T, E: fmt::Display> fmt::Display for ConsistencyError<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TimedOut {
                last,
                attempts,
                waited,
            } => write!(
                f,
                "no result satisfied the condition within {waited:?} ({attempts} calls; {})",
                if last.is_some() {
                    "the last one is kept in the error"
                } else {
                    "every call answered 404"
                }
            ),
            Self::Failed(e) => write!(f, "a call failed while waiting for consistency: {e}"),
        }
    }
}

impl<T, E: fmt::Debug> fmt::Debug for ConsistencyError<T, E> {
    // The last response is not printed: it is the caller's data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TimedOut {
                last,
                attempts,
                waited,
            } => f
                .debug_struct("TimedOut")
                .field("last", &last.as_ref().map(|_| ".."))
                .field("attempts", attempts)
                .field("waited", waited)
                .finish(),
            Self::Failed(e) => f.debug_tuple("Failed").field(e).finish(),
        }
    }
}

impl<T, E> std::error::Error for ConsistencyError<T, E>
where
    E: std::error::Error + 'static,
{
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Failed(e) => Some(e),
            Self::TimedOut { .. } => None,
        }
    }
}

/// Repeats `call` (any API call: a closure returning the request's
/// `send()` future) until its result satisfies a condition: see the
/// [module documentation](self).
pub fn eventually<F, Fut, T, E>(call: F) -> Eventually<F>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<ResponseValue<T>, E>>,
    E: NotYetVisible,
{
    Eventually {
        call,
        timeout: DEFAULT_TIMEOUT,
        poll_interval: DEFAULT_POLL_INTERVAL,
        max_poll_interval: DEFAULT_MAX_POLL_INTERVAL,
    }
}

/// A repeated read, configured with [`timeout`](Self::timeout) and
/// [`poll_interval`](Self::poll_interval), run by [`until`](Self::until)
/// or [`found`](Self::found).
#[must_use = "nothing is called until `until(..).await` or `found().await`"]
pub struct Eventually<F> {
    call: F,
    timeout: Duration,
    poll_interval: Duration,
    max_poll_interval: Duration,
}

impl<F> fmt::Debug for Eventually<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Eventually")
            .field("timeout", &self.timeout)
            .field("poll_interval", &self.poll_interval)
            .field("max_poll_interval", &self.max_poll_interval)
            .finish_non_exhaustive()
    }
}

impl<F> Eventually<F> {
    /// How long to keep trying (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The first pause between polls (default [`DEFAULT_POLL_INTERVAL`])
    /// and the longest (default [`DEFAULT_MAX_POLL_INTERVAL`]); pauses
    /// double from the first to the longest.
    pub fn poll_interval(mut self, first: Duration, longest: Duration) -> Self {
        self.poll_interval = first;
        self.max_poll_interval = longest.max(first);
        self
    }

    /// Calls until the call succeeds (a 404 is retried): for a get whose
    /// subject was just created.
    pub async fn found<Fut, T, E>(self) -> Result<T, ConsistencyError<T, E>>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, E>>,
        E: NotYetVisible,
    {
        self.until(|_| true).await
    }

    /// Calls until `condition` holds for the response body (a 404 is
    /// retried), and returns that body.
    pub async fn until<Fut, T, E, P>(
        mut self,
        mut condition: P,
    ) -> Result<T, ConsistencyError<T, E>>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, E>>,
        E: NotYetVisible,
        P: FnMut(&T) -> bool,
    {
        let started = tokio::time::Instant::now();
        let deadline = started + self.timeout;
        let mut pause = self.poll_interval;
        let mut attempts = 0u32;
        let mut last = None;
        loop {
            attempts += 1;
            match (self.call)().await {
                Ok(response) => {
                    let body = response.into_inner();
                    if condition(&body) {
                        return Ok(body);
                    }
                    last = Some(body);
                }
                Err(e) if e.is_not_found() => {}
                Err(e) => return Err(ConsistencyError::Failed(e)),
            }
            let now = tokio::time::Instant::now();
            if now >= deadline {
                return Err(ConsistencyError::TimedOut {
                    last,
                    attempts,
                    waited: now - started,
                });
            }
            tokio::time::sleep(pause.min(deadline - now)).await;
            pause = (pause * 2).min(self.max_poll_interval);
        }
    }
}
