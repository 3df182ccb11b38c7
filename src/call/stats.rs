//! What the API clients of one [`Camunda`](crate::Camunda) count about
//! their calls, beside what the token cache counts about tokens
//! ([`TokenStats`](crate::auth::TokenStats)).

use std::sync::atomic::{AtomicU64, Ordering};

/// A snapshot of what the API clients of a [`Camunda`](crate::Camunda)
/// have done beyond sending each request once
/// ([`Camunda::call_stats`](crate::Camunda::call_stats)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallStats {
    /// API requests sent again because the server signalled backpressure
    /// (429, 503, `RESOURCE_EXHAUSTED`; see [`crate::retry`]).
    pub backpressure_retries: u64,
    /// API requests sent again once with a renewed credential after a 401.
    pub renewals_after_401: u64,
}

/// The live counters behind [`CallStats`], shared by the API clients of one
/// [`Camunda`](crate::Camunda) (a client built by hand has its own).
#[derive(Debug, Default)]
pub(crate) struct CallCounters {
    pub(crate) backpressure_retries: AtomicU64,
    pub(crate) renewals_after_401: AtomicU64,
}

impl CallCounters {
    /// Counts one more in `counter`.
    pub(crate) fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The counts now.
    pub(crate) fn snapshot(&self) -> CallStats {
        CallStats {
            backpressure_retries: self.backpressure_retries.load(Ordering::Relaxed),
            renewals_after_401: self.renewals_after_401.load(Ordering::Relaxed),
        }
    }
}
