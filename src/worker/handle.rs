//! A running worker: its counters, and a graceful shutdown.

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;

use super::activation::Shared;
use super::stats::WorkerStats;

/// A running worker, returned by [`WorkerBuilder::spawn`](super::WorkerBuilder::spawn).
///
/// Dropping the handle leaves the worker running (like dropping a Tokio
/// `JoinHandle`); [`shutdown`](Self::shutdown) stops it.
pub struct WorkerHandle {
    pub(crate) shared: Arc<Shared>,
    pub(crate) activation: JoinHandle<()>,
}

impl std::fmt::Debug for WorkerHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerHandle")
            .field("job_type", &self.shared.config.job_type)
            .field("stats", &self.stats())
            .finish()
    }
}

/// What a shutdown achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ShutdownReport {
    /// Jobs in flight when the shutdown began that finished (handled and
    /// their outcome delivered or given up) within the grace period.
    pub finished: u64,
    /// Jobs still in flight when the grace period ended: their handlers were
    /// dropped and the server hands them out again after their timeout.
    pub left: u64,
}

impl WorkerHandle {
    /// The worker's counters now.
    pub fn stats(&self) -> WorkerStats {
        self.shared.counters.snapshot(self.shared.in_flight())
    }

    /// The job type this worker handles.
    pub fn job_type(&self) -> &str {
        &self.shared.config.job_type
    }

    /// Whether the activation loop is still running (it ends only through
    /// [`shutdown`](Self::shutdown)).
    pub fn is_running(&self) -> bool {
        !self.activation.is_finished()
    }

    /// Stops activating (cancelling a pending long poll), waits up to `grace`
    /// for the jobs in flight to finish, then drops the handlers still
    /// running and reports how many finished and how many were left.
    pub async fn shutdown(self, grace: Duration) -> ShutdownReport {
        let shared = self.shared;
        super::activation::raise(&shared.stop);
        let _ = self.activation.await;
        let at_stop = shared.in_flight();
        let all = shared.config.max_jobs;
        let drained = tokio::time::timeout(grace, shared.slots.acquire_many(all)).await;
        if let Ok(Ok(permits)) = drained {
            drop(permits);
            return ShutdownReport {
                finished: at_stop,
                left: 0,
            };
        }
        let left = shared.in_flight();
        super::activation::raise(&shared.abort);
        tracing::info!(
            job_type = %shared.config.job_type,
            left,
            "grace period over; jobs still running are left to time out"
        );
        ShutdownReport {
            finished: at_stop.saturating_sub(left),
            left,
        }
    }
}
