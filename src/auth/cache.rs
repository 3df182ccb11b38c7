//! The token cache: one shared slot per key, handed out as [`TokenSource`]s.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use super::builder::TokenCacheBuilder;
use super::clock::Clock;
use super::credentials::ClientCredentials;
use super::disk::DiskCache;
use super::key::CacheKey;
use super::retry::TokenRetry;
use super::source::{Slot, TokenSource};
use super::stats::{Counters, TokenStats};
use crate::Result;
use crate::config::{DEFAULT_TOKEN_CONNECT_TIMEOUT, DEFAULT_TOKEN_REQUEST_TIMEOUT};
use crate::http_client::token_client;

/// Caches OAuth2 client-credentials tokens, one per (token URL, client id,
/// audience, scope).
///
/// * Concurrent callers on a cold or expired key cause one token request.
/// * Tokens are refreshed in the background ahead of expiry; while refreshes
///   fail transiently, the still-valid token keeps being served.
/// * Refused credentials are remembered for a while (no request is sent).
/// * Optionally, tokens are shared through files with other processes.
///
/// Cheap to clone (shared state); `Send + Sync`.
#[derive(Clone, Debug)]
pub struct TokenCache {
    shared: Arc<Shared>,
}

/// State shared by the cache and all its sources.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) http: reqwest::Client,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) disk: Option<DiskCache>,
    pub(crate) refresh_buffer: Duration,
    pub(crate) failure_memory: Duration,
    pub(crate) transient_failure_memory: Duration,
    pub(crate) retry: TokenRetry,
    pub(crate) min_lifetime: Duration,
    pub(crate) counters: Counters,
    slots: Mutex<HashMap<CacheKey, Arc<Slot>>>,
}

impl TokenCache {
    /// A builder with the defaults.
    pub fn builder() -> TokenCacheBuilder {
        TokenCacheBuilder::default()
    }

    /// Applies what a token HTTP client needs to `builder` — no redirects,
    /// 5 s connect and 15 s total timeouts — and builds it. Pass the result
    /// to [`TokenCacheBuilder::http_client`] after adding TLS settings to
    /// `builder`.
    pub fn default_http_client(builder: reqwest::ClientBuilder) -> Result<reqwest::Client> {
        token_client(
            builder,
            DEFAULT_TOKEN_CONNECT_TIMEOUT,
            DEFAULT_TOKEN_REQUEST_TIMEOUT,
        )
    }

    /// Like [`default_http_client`](Self::default_http_client), with these
    /// connect and total timeouts per request.
    pub fn http_client_with_timeouts(
        builder: reqwest::ClientBuilder,
        connect: Duration,
        total: Duration,
    ) -> Result<reqwest::Client> {
        token_client(builder, connect, total)
    }

    pub(crate) fn from_builder(builder: TokenCacheBuilder, http: reqwest::Client) -> Self {
        let disk = builder.disk_cache_dir.and_then(DiskCache::open);
        Self {
            shared: Arc::new(Shared {
                http,
                clock: builder.clock,
                disk,
                refresh_buffer: builder.refresh_buffer,
                failure_memory: builder.failure_memory,
                transient_failure_memory: builder.transient_failure_memory,
                retry: builder.retry,
                min_lifetime: builder.min_lifetime,
                counters: Counters::default(),
                slots: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// The token source for `credentials`. Sources for the same key share
    /// one slot (one token, one refresh). If the secret or body format
    /// differs from the slot's, the newer values are used from the next
    /// request on.
    pub fn source(&self, credentials: ClientCredentials) -> TokenSource {
        let key = CacheKey::new(&credentials);
        let mut slots = self
            .shared
            .slots
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let slot = match slots.get(&key) {
            Some(slot) => {
                slot.update_credentials(credentials);
                Arc::clone(slot)
            }
            None => {
                let slot = Arc::new(Slot::new(key.clone(), credentials));
                slots.insert(key, Arc::clone(&slot));
                slot
            }
        };
        TokenSource::new(Arc::clone(&self.shared), slot)
    }

    /// Counters since the cache was built, in total and per audience.
    pub fn stats(&self) -> TokenStats {
        let mut stats = self.shared.counters.snapshot();
        let slots = self
            .shared
            .slots
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        for slot in slots.values() {
            let (audience, counts) = slot.audience_stats();
            stats
                .audiences
                .entry(audience.to_owned())
                .or_default()
                .add(counts);
        }
        stats
    }

    /// Whether the disk cache is in use (configured and its directory usable).
    pub fn disk_cache_enabled(&self) -> bool {
        self.shared.disk.is_some()
    }
}
