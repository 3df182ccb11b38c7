//! Retry policies for tests against in-process servers: the waits of real
//! policies (hundreds of milliseconds and up) would make each retrying test
//! slow, and these are short enough not to, yet long enough to be waits.
#![allow(dead_code)]

use std::time::Duration;

use camunda8::RetryPolicy;

/// Up to four attempts, 1 to 5 ms apart, five seconds in all: for calls
/// that meet backpressure or a 401 on purpose.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::new()
        .max_attempts(4)
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
        .max_elapsed(Duration::from_secs(5))
}

/// Two attempts, 1 to 2 ms apart: a failure surfaces at once after a
/// single retry, as the search streams' error tests expect.
pub fn one_quick_retry() -> RetryPolicy {
    RetryPolicy::new()
        .max_attempts(2)
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(2))
}
