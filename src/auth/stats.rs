//! Counters the token cache keeps (for tests, benchmarks and metrics).

use std::sync::atomic::{AtomicU64, Ordering};

/// A snapshot of what a [`TokenCache`](crate::auth::TokenCache) has done.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenStats {
    /// HTTP requests sent to token endpoints (each retry counts).
    pub token_requests: u64,
    /// Calls answered from memory without waiting for a request.
    pub cache_hits: u64,
    /// Tokens taken from the disk cache instead of the network.
    pub disk_hits: u64,
    /// Calls answered with a remembered failure, without a request.
    pub remembered_failures: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) token_requests: AtomicU64,
    pub(crate) cache_hits: AtomicU64,
    pub(crate) disk_hits: AtomicU64,
    pub(crate) remembered_failures: AtomicU64,
}

impl Counters {
    pub(crate) fn snapshot(&self) -> TokenStats {
        TokenStats {
            token_requests: self.token_requests.load(Ordering::Relaxed),
            cache_hits: self.cache_hits.load(Ordering::Relaxed),
            disk_hits: self.disk_hits.load(Ordering::Relaxed),
            remembered_failures: self.remembered_failures.load(Ordering::Relaxed),
        }
    }

    pub(crate) fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}
