//! When to refresh a token: ahead of expiry, by a jittered margin.
//!
//! The margin is the larger of the configured buffer (±20 % random, so that
//! many processes started together do not refresh in the same second) and a
//! tenth of the token's lifetime, but never more than half the lifetime (a
//! token shorter than twice the buffer would otherwise be refreshed on every
//! call).

use std::time::{Duration, SystemTime};

/// The moment from which the token should be refreshed in the background.
pub(crate) fn refresh_at(
    fetched_at: SystemTime,
    expires_at: SystemTime,
    buffer: Duration,
) -> SystemTime {
    let lifetime = expires_at
        .duration_since(fetched_at)
        .unwrap_or(Duration::ZERO);
    let jittered = buffer.mul_f64(crate::random::between(0.8, 1.2));
    let lead = jittered.max(lifetime / 10).min(lifetime / 2);
    expires_at.checked_sub(lead).unwrap_or(fetched_at)
}

/// After a failed background refresh, when to try again: halfway to expiry,
/// at least a second later.
pub(crate) fn retry_refresh_at(now: SystemTime, expires_at: SystemTime) -> SystemTime {
    let remaining = expires_at.duration_since(now).unwrap_or(Duration::ZERO);
    now + (remaining / 2).max(Duration::from_secs(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: SystemTime = SystemTime::UNIX_EPOCH;

    #[test]
    fn margin_is_buffer_with_jitter_or_a_tenth_or_at_most_half() {
        let buffer = Duration::from_secs(30);
        for _ in 0..200 {
            // one hour: a tenth (360 s) wins
            let hour = T0 + Duration::from_secs(3600);
            assert_eq!(refresh_at(T0, hour, buffer), T0 + Duration::from_secs(3240));
            // five minutes: 30 s ± 20 %
            let five = T0 + Duration::from_secs(300);
            let at = refresh_at(T0, five, buffer);
            assert!(at >= T0 + Duration::from_secs(264) && at <= T0 + Duration::from_secs(276));
            // 40 s: capped at half
            let short = T0 + Duration::from_secs(40);
            assert_eq!(refresh_at(T0, short, buffer), T0 + Duration::from_secs(20));
        }
        let expired = T0 + Duration::from_secs(10);
        assert_eq!(refresh_at(expired, T0, buffer), T0);
    }

    #[test]
    fn retry_gap() {
        let exp = T0 + Duration::from_secs(20);
        assert_eq!(retry_refresh_at(T0, exp), T0 + Duration::from_secs(10));
        assert_eq!(retry_refresh_at(exp, exp), exp + Duration::from_secs(1));
    }
}
