//! The back-off between failed activation requests: the crate's
//! [`Backoff`] with full jitter between a floor and a ceiling that doubles
//! per failure up to a cap, counted over a streak of failures, and one log
//! line per streak (plus one when it ends).

use std::time::Duration;

use super::error::WorkerError;
use crate::backoff::Backoff;

#[derive(Debug)]
pub(crate) struct PollBackoff {
    backoff: Backoff,
    streak: u32,
}

impl PollBackoff {
    pub(crate) fn new(floor: Duration, cap: Duration) -> Self {
        Self {
            backoff: Backoff::from_floor(floor, cap),
            streak: 0,
        }
    }

    /// The upper bound of the wait after `streak` failures in a row (what
    /// the tests check; [`failure`](Self::failure) draws below it).
    #[cfg(test)]
    pub(crate) fn ceiling(&self, streak: u32) -> Duration {
        self.backoff.ceiling(streak)
    }

    /// Records a failure and returns how long to wait: uniformly random
    /// between the floor and the current ceiling.
    pub(crate) fn failure(&mut self, job_type: &str, error: &WorkerError) -> Duration {
        self.streak = self.streak.saturating_add(1);
        let delay = self.backoff.delay(self.streak);
        if self.streak == 1 {
            tracing::warn!(
                job_type,
                %error,
                backpressure = error.is_backpressure(),
                "job activation failed; backing off and retrying until it works again"
            );
        } else {
            tracing::debug!(job_type, %error, failures = self.streak, "job activation failed again");
        }
        delay
    }

    /// Records a success, logging the end of a streak.
    pub(crate) fn success(&mut self, job_type: &str) {
        if self.streak > 0 {
            tracing::info!(
                job_type,
                failures = self.streak,
                "job activation works again"
            );
            self.streak = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_from_floor_to_cap_with_jitter() {
        let mut b = PollBackoff::new(Duration::from_millis(100), Duration::from_secs(2));
        assert_eq!(b.ceiling(1), Duration::from_millis(100));
        assert_eq!(b.ceiling(2), Duration::from_millis(200));
        assert_eq!(b.ceiling(6), Duration::from_secs(2));
        assert_eq!(b.ceiling(u32::MAX), Duration::from_secs(2));
        let error = WorkerError::Transport {
            operation: "activateJobs",
            reason: "refused".into(),
        };
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..50 {
            let d = b.failure("t", &error);
            assert!(
                d >= Duration::from_millis(100) && d <= Duration::from_secs(2),
                "{d:?}"
            );
            seen.insert(d);
        }
        assert!(seen.len() > 10);
        b.success("t");
        assert_eq!(b.failure("t", &error), Duration::from_millis(100));
    }
}
