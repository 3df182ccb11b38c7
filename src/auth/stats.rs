//! Counters the token cache keeps (for tests, benchmarks and metrics). The
//! API clients' own counts (retries, renewals) are
//! [`CallStats`](crate::CallStats), `src/call/stats.rs`.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// A snapshot of what a [`TokenCache`](crate::auth::TokenCache) (and, through
/// [`Camunda::token_stats`](crate::Camunda::token_stats), the API clients
/// sharing it) has done.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
    /// The same counts per audience (`zeebe.camunda.io`, …), summed over
    /// the client ids and token URLs that use it.
    pub audiences: BTreeMap<String, AudienceStats>,
    /// API requests re-sent because the server signalled backpressure (429,
    /// 503, `RESOURCE_EXHAUSTED`), filled in by
    /// [`Camunda::token_stats`](crate::Camunda::token_stats); always 0 from
    /// [`TokenCache::stats`](crate::auth::TokenCache::stats).
    #[deprecated(
        since = "0.1.0",
        note = "a call count, not a token count: use `Camunda::call_stats().backpressure_retries`"
    )]
    pub backpressure_retries: u64,
    /// API requests re-sent once with a renewed credential after a 401.
    /// Filled in like `backpressure_retries`.
    #[deprecated(
        since = "0.1.0",
        note = "a call count, not a token count: use `Camunda::call_stats().renewals_after_401`"
    )]
    pub renewals_after_401: u64,
    /// 401s after which no new token was fetched because the API had
    /// refused, shortly after it was fetched, a token renewed after a 401
    /// before accepting any request carrying it (the refusal is remembered
    /// for the failure memory).
    pub renewals_suppressed: u64,
}

/// What the cache did for one audience.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AudienceStats {
    /// HTTP requests sent to the token endpoint (each retry counts).
    pub token_requests: u64,
    /// Calls answered from memory without waiting for a request.
    pub cache_hits: u64,
    /// Tokens taken from the disk cache instead of the network.
    pub disk_hits: u64,
    /// Calls answered with a remembered failure, without a request.
    pub remembered_failures: u64,
}

/// Counts of one key, or of the whole cache.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) token_requests: AtomicU64,
    /// Bumped on every call answered from memory: striped, so that threads
    /// do not share its line (`src/auth/striped.rs`).
    pub(crate) cache_hits: super::striped::Striped,
    pub(crate) disk_hits: AtomicU64,
    pub(crate) remembered_failures: AtomicU64,
    pub(crate) renewals_suppressed: AtomicU64,
}

impl Counters {
    pub(crate) fn snapshot(&self) -> TokenStats {
        let audience = self.audience();
        TokenStats {
            token_requests: audience.token_requests,
            cache_hits: audience.cache_hits,
            disk_hits: audience.disk_hits,
            remembered_failures: audience.remembered_failures,
            renewals_suppressed: self.renewals_suppressed.load(Ordering::Relaxed),
            ..TokenStats::default()
        }
    }

    pub(crate) fn audience(&self) -> AudienceStats {
        AudienceStats {
            token_requests: self.token_requests.load(Ordering::Relaxed),
            cache_hits: self.cache_hits.load(),
            disk_hits: self.disk_hits.load(Ordering::Relaxed),
            remembered_failures: self.remembered_failures.load(Ordering::Relaxed),
        }
    }

    pub(crate) fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

impl AudienceStats {
    pub(crate) fn add(&mut self, other: AudienceStats) {
        self.token_requests += other.token_requests;
        self.cache_hits += other.cache_hits;
        self.disk_hits += other.disk_hits;
        self.remembered_failures += other.remembered_failures;
    }
}
