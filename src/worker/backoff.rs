//! The back-off between failed activation requests: full jitter between a
//! floor and a ceiling that doubles per failure up to a cap, and one log line
//! per streak of failures (plus one when it ends).

use std::time::Duration;

use rand::Rng as _;

use super::error::WorkerError;

#[derive(Debug)]
pub(crate) struct PollBackoff {
    floor: Duration,
    cap: Duration,
    streak: u32,
}

impl PollBackoff {
    pub(crate) fn new(floor: Duration, cap: Duration) -> Self {
        Self {
            floor,
            cap: cap.max(floor),
            streak: 0,
        }
    }

    /// The upper bound of the wait after `streak` failures in a row.
    pub(crate) fn ceiling(&self, streak: u32) -> Duration {
        let doubled = self
            .floor
            .checked_mul(1u32 << streak.saturating_sub(1).min(20))
            .unwrap_or(self.cap);
        doubled.clamp(self.floor, self.cap)
    }

    /// Records a failure and returns how long to wait: uniformly random
    /// between the floor and the current ceiling.
    pub(crate) fn failure(&mut self, job_type: &str, error: &WorkerError) -> Duration {
        self.streak = self.streak.saturating_add(1);
        let ceiling = self.ceiling(self.streak);
        let span = u64::try_from((ceiling - self.floor).as_nanos()).unwrap_or(u64::MAX);
        let delay = self.floor + Duration::from_nanos(rand::rng().random_range(0..=span));
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
