//! Counters of one worker.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// A snapshot of a worker's counters ([`WorkerHandle::stats`](super::WorkerHandle::stats)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WorkerStats {
    /// Jobs received from activation.
    pub activated: u64,
    /// Jobs completed (the server accepted the completion).
    pub completed: u64,
    /// Jobs failed (the server accepted the failure), handler errors and
    /// panics included.
    pub failed: u64,
    /// BPMN errors thrown (accepted by the server).
    pub errors_thrown: u64,
    /// Jobs the handler chose to leave alone.
    pub left_alone: u64,
    /// Handler calls that returned `Err`.
    pub handler_errors: u64,
    /// Handler calls that panicked.
    pub handler_panics: u64,
    /// Activation requests sent.
    pub polls: u64,
    /// Activation requests that failed.
    pub poll_errors: u64,
    /// Outcomes the server refused with 404/409 (the job timed out or was
    /// cancelled meanwhile).
    pub jobs_gone: u64,
    /// Outcomes that could not be delivered before the job's deadline.
    pub report_failures: u64,
    /// Job timeouts extended.
    pub timeouts_extended: u64,
    /// Jobs being handled or reported right now.
    pub in_flight: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub activated: AtomicU64,
    pub completed: AtomicU64,
    pub failed: AtomicU64,
    pub errors_thrown: AtomicU64,
    pub left_alone: AtomicU64,
    pub handler_errors: AtomicU64,
    pub handler_panics: AtomicU64,
    pub polls: AtomicU64,
    pub poll_errors: AtomicU64,
    pub jobs_gone: AtomicU64,
    pub report_failures: AtomicU64,
    pub timeouts_extended: AtomicU64,
}

impl Counters {
    pub(crate) fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Relaxed);
    }

    pub(crate) fn snapshot(&self, in_flight: u64) -> WorkerStats {
        WorkerStats {
            activated: self.activated.load(Relaxed),
            completed: self.completed.load(Relaxed),
            failed: self.failed.load(Relaxed),
            errors_thrown: self.errors_thrown.load(Relaxed),
            left_alone: self.left_alone.load(Relaxed),
            handler_errors: self.handler_errors.load(Relaxed),
            handler_panics: self.handler_panics.load(Relaxed),
            polls: self.polls.load(Relaxed),
            poll_errors: self.poll_errors.load(Relaxed),
            jobs_gone: self.jobs_gone.load(Relaxed),
            report_failures: self.report_failures.load(Relaxed),
            timeouts_extended: self.timeouts_extended.load(Relaxed),
            in_flight,
        }
    }
}
