//! The one jittered exponential back-off every retry loop in the crate uses:
//! API calls refused for backpressure ([`crate::retry`]), token requests
//! (`auth/retry.rs`), job activation polls (`worker/backoff.rs`) and the
//! delivery of a job's outcome (`worker/report.rs`).
//!
//! Before retry `n` (1-based) the ceiling is `first · 2^(n-1)`, capped at
//! `cap` and never below `floor`; the wait is drawn uniformly below that
//! ceiling, so clients refused together spread out instead of returning in
//! step. How many retries are allowed and until when is each caller's
//! business, because each means something different by it (attempts and
//! time since the first attempt for an API call, attempts for a token, the
//! job's lease for an outcome, none for a poll that runs until it works); so
//! is honouring a server's `Retry-After`, which an API call takes as a lower
//! bound ([`Backoff::delay_at_least`]) and a token request as the wait itself.

use std::time::Duration;

/// Where in the window below the ceiling a wait is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Jitter {
    /// Anywhere between the floor and the ceiling ("full jitter"): spreads
    /// retries the most. API calls, polls and outcome delivery.
    Full,
    /// In the upper half of the window: half the ceiling fixed, half random.
    /// Token requests: a fetch blocks every call waiting for its token, and
    /// an identity provider that failed is not retried at once, yet never
    /// later than the ceiling either.
    Equal,
}

/// A jittered exponential back-off (see the [module documentation](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Backoff {
    /// The ceiling before the first retry, doubled for each further one.
    first: Duration,
    /// The largest ceiling (at least `floor`).
    cap: Duration,
    /// The shortest wait.
    floor: Duration,
    jitter: Jitter,
}

impl Backoff {
    /// Full jitter from zero up to `first · 2^(n-1)`, capped at `cap`.
    pub(crate) fn new(first: Duration, cap: Duration) -> Self {
        Self {
            first,
            cap,
            floor: Duration::ZERO,
            jitter: Jitter::Full,
        }
    }

    /// Full jitter between `floor` and `floor · 2^(n-1)`, capped at `cap`
    /// (a cap below the floor counts as the floor).
    #[cfg_attr(not(feature = "orchestration"), allow(dead_code))] // the worker's poll back-off
    pub(crate) fn from_floor(floor: Duration, cap: Duration) -> Self {
        Self {
            first: floor,
            cap: cap.max(floor),
            floor,
            jitter: Jitter::Full,
        }
    }

    /// The same back-off drawing its waits as `jitter` says.
    pub(crate) fn jitter(self, jitter: Jitter) -> Self {
        Self { jitter, ..self }
    }

    /// The upper bound of the wait before retry `retry` (1-based; 0 counts
    /// as 1): `first · 2^(retry-1)` within `floor..=cap`. Exact for every
    /// `retry`, without overflow: once the doubling passes the cap, the cap.
    pub(crate) fn ceiling(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1);
        let first = self.first.as_nanos();
        let doubled = if first == 0 {
            0
        } else if doublings >= first.leading_zeros() {
            // The shift would drop bits: far beyond any cap.
            u128::MAX
        } else {
            first << doublings
        };
        let ceiling = doubled.min(self.cap.as_nanos());
        duration_from_nanos(ceiling).max(self.floor)
    }

    /// The wait before retry `retry` (1-based), drawn at random as the
    /// [`Jitter`] says.
    pub(crate) fn delay(&self, retry: u32) -> Duration {
        let ceiling = self.ceiling(retry);
        let low = match self.jitter {
            Jitter::Full => self.floor,
            Jitter::Equal => (ceiling / 2).max(self.floor),
        };
        let span = u64::try_from((ceiling - low).as_nanos()).unwrap_or(u64::MAX);
        low + Duration::from_nanos(crate::random::up_to(span))
    }

    /// [`delay`](Self::delay), but at least `at_least` when given (a
    /// server's `Retry-After`, which the caller bounds).
    pub(crate) fn delay_at_least(&self, retry: u32, at_least: Option<Duration>) -> Duration {
        let delay = self.delay(retry);
        match at_least {
            Some(floor) => delay.max(floor),
            None => delay,
        }
    }
}

/// `nanos` as a duration, the longest one when it does not fit.
fn duration_from_nanos(nanos: u128) -> Duration {
    const PER_SECOND: u128 = 1_000_000_000;
    match u64::try_from(nanos / PER_SECOND) {
        // The remainder is below one second, so it fits in u32.
        Ok(seconds) => Duration::new(seconds, (nanos % PER_SECOND) as u32),
        Err(_) => Duration::MAX,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn ceiling_doubles_from_first_to_cap() {
        let b = Backoff::new(100 * MS, 5000 * MS);
        assert_eq!(b.ceiling(0), 100 * MS);
        assert_eq!(b.ceiling(1), 100 * MS);
        assert_eq!(b.ceiling(2), 200 * MS);
        assert_eq!(b.ceiling(4), 800 * MS);
        assert_eq!(b.ceiling(6), 3200 * MS);
        assert_eq!(b.ceiling(7), 5000 * MS);
    }

    #[test]
    fn no_overflow_for_large_retries_or_durations() {
        for b in [
            Backoff::new(100 * MS, 5000 * MS),
            Backoff::from_floor(Duration::from_nanos(1), Duration::from_secs(3600)),
            Backoff::new(Duration::MAX, Duration::MAX),
            Backoff::from_floor(Duration::MAX, Duration::MAX).jitter(Jitter::Equal),
        ] {
            for retry in [64, 65, 127, 128, 129, 200, u32::MAX - 1, u32::MAX] {
                assert_eq!(b.ceiling(retry), b.cap, "{b:?} retry {retry}");
                let d = b.delay(retry);
                assert!(d >= b.floor && d <= b.cap, "{b:?} retry {retry}: {d:?}");
            }
        }
        // A tiny first ceiling still reaches a large cap (no exponent limit).
        let tiny = Backoff::from_floor(Duration::from_nanos(1), Duration::from_secs(3600));
        assert_eq!(tiny.ceiling(21), Duration::from_nanos(1 << 20));
        assert_eq!(tiny.ceiling(42), Duration::from_nanos(1 << 41));
        assert_eq!(tiny.ceiling(43), Duration::from_secs(3600));
    }

    #[test]
    fn zero_first_ceiling_stays_at_the_floor() {
        assert_eq!(
            Backoff::new(Duration::ZERO, MS).ceiling(u32::MAX),
            Duration::ZERO
        );
        assert_eq!(Backoff::new(Duration::ZERO, MS).delay(3), Duration::ZERO);
    }

    #[test]
    fn full_jitter_spans_floor_to_ceiling() {
        let b = Backoff::from_floor(100 * MS, 2000 * MS);
        assert_eq!(b.ceiling(1), 100 * MS);
        assert_eq!(b.delay(1), 100 * MS);
        let mut seen = BTreeSet::new();
        for _ in 0..200 {
            let d = b.delay(3);
            assert!(d >= 100 * MS && d <= 400 * MS, "{d:?}");
            seen.insert(d);
        }
        assert!(seen.len() > 10, "no jitter: {seen:?}");
        // From zero without a floor: some waits fall in the lower half.
        let b = Backoff::new(100 * MS, 5000 * MS);
        assert!((0..200).any(|_| b.delay(3) < 200 * MS));
    }

    #[test]
    fn equal_jitter_keeps_the_upper_half() {
        let b = Backoff::new(100 * MS, 300 * MS).jitter(Jitter::Equal);
        let mut seen = BTreeSet::new();
        for _ in 0..200 {
            let first = b.delay(1);
            assert!(first >= 50 * MS && first <= 100 * MS, "{first:?}");
            let late = b.delay(10);
            assert!(late >= 150 * MS && late <= 300 * MS, "{late:?}");
            seen.insert(late);
        }
        assert!(seen.len() > 10, "no jitter: {seen:?}");
    }

    #[test]
    fn retry_after_is_a_lower_bound() {
        let b = Backoff::new(100 * MS, 5000 * MS);
        for _ in 0..50 {
            assert!(b.delay_at_least(1, Some(2000 * MS)) >= 2000 * MS);
            assert!(b.delay_at_least(1, None) <= 100 * MS);
            // A short Retry-After does not shorten the back-off's ceiling.
            assert!(b.delay_at_least(8, Some(MS)) <= 5000 * MS);
        }
    }
}
