//! Configuring a [`TokenCache`].

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::cache::TokenCache;
use super::clock::{Clock, SystemClock};
use super::retry::TokenRetry;
use crate::config::{DEFAULT_TOKEN_CONNECT_TIMEOUT, DEFAULT_TOKEN_REQUEST_TIMEOUT};
use crate::http_client::token_client;
use crate::{Error, Result};

/// Default margin before expiry at which a token is refreshed (±20 %).
pub const DEFAULT_REFRESH_BUFFER: Duration = Duration::from_secs(30);
/// Default time a refused token request (bad credentials) is remembered.
pub const DEFAULT_FAILURE_MEMORY: Duration = Duration::from_secs(30);
/// Default time a transient failure (retries exhausted) is remembered.
pub const DEFAULT_TRANSIENT_FAILURE_MEMORY: Duration = Duration::from_secs(2);
/// Default shortest token lifetime the cache accepts: a token said to live
/// less (`expires_in: 0`, say) is used for this long, so that a broken
/// server does not cause a token request on every call.
pub const DEFAULT_MIN_LIFETIME: Duration = Duration::from_secs(10);

/// Builds a [`TokenCache`]. Every setting has a default; see each method.
#[derive(Debug)]
pub struct TokenCacheBuilder {
    pub(crate) http_client: Option<reqwest::Client>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) disk_cache_dir: Option<PathBuf>,
    pub(crate) refresh_buffer: Duration,
    pub(crate) failure_memory: Duration,
    pub(crate) transient_failure_memory: Duration,
    pub(crate) retry: TokenRetry,
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) min_lifetime: Duration,
}

impl Default for TokenCacheBuilder {
    fn default() -> Self {
        Self {
            http_client: None,
            clock: Arc::new(SystemClock),
            disk_cache_dir: None,
            refresh_buffer: DEFAULT_REFRESH_BUFFER,
            failure_memory: DEFAULT_FAILURE_MEMORY,
            transient_failure_memory: DEFAULT_TRANSIENT_FAILURE_MEMORY,
            retry: TokenRetry::default(),
            connect_timeout: DEFAULT_TOKEN_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_TOKEN_REQUEST_TIMEOUT,
            min_lifetime: DEFAULT_MIN_LIFETIME,
        }
    }
}

impl TokenCacheBuilder {
    /// The HTTP client for token requests (e.g. one with custom TLS roots).
    ///
    /// The client must **not follow redirects** (a token request carries the
    /// client secret) and should have connect and total timeouts: build it
    /// with [`TokenCache::default_http_client`]. Without this call, the cache
    /// builds such a client itself with [`timeouts`](Self::timeouts).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Connect and total timeouts of the client the cache builds when none
    /// is given (default 5 s and 15 s per request).
    pub fn timeouts(mut self, connect: Duration, total: Duration) -> Self {
        self.connect_timeout = connect;
        self.request_timeout = total;
        self
    }

    /// The wall clock used for expiry (default: [`SystemClock`]).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Also keep tokens in files in this directory (`None`, the default:
    /// memory only). Meant for short-lived processes that would otherwise
    /// fetch a token on every start.
    ///
    /// The directory is created with mode 0700 (an existing one owned by
    /// this user is restricted to 0700, so it should be dedicated to the
    /// cache). Each key has one file, named by the hex SHA-256 of the key,
    /// mode 0600, holding the token and its expiry (never the client
    /// secret), replaced atomically; an advisory lock per key makes
    /// processes that start together share one token request. A directory
    /// that cannot be created or written, or belongs to another user, turns
    /// the disk cache off with one warning.
    pub fn disk_cache_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.disk_cache_dir = dir;
        self
    }

    /// Sets the disk cache from `CAMUNDA_TOKEN_CACHE_DIR` and
    /// `CAMUNDA_TOKEN_DISK_CACHE_DISABLE` (see [`disk_cache_dir_from_vars`]).
    pub fn disk_cache_from_env(self) -> Result<Self> {
        let dir = std::env::var("CAMUNDA_TOKEN_CACHE_DIR").ok();
        let disable = std::env::var("CAMUNDA_TOKEN_DISK_CACHE_DISABLE").ok();
        Ok(self.disk_cache_dir(disk_cache_dir_from_vars(
            dir.as_deref(),
            disable.as_deref(),
        )?))
    }

    /// How long before expiry a token is refreshed in the background
    /// (default 30 s, ±20 % jitter; at least a tenth of the token's lifetime,
    /// at most half of it).
    pub fn refresh_buffer(mut self, buffer: Duration) -> Self {
        self.refresh_buffer = buffer;
        self
    }

    /// How long a refused request (bad credentials, unusable response) is
    /// remembered: callers get the same error at once, without a request
    /// (default 30 s).
    pub fn failure_memory(mut self, memory: Duration) -> Self {
        self.failure_memory = memory;
        self
    }

    /// How long a fetch that failed transiently (retries exhausted) is
    /// remembered, so that during an outage callers arriving one after
    /// another share one failure instead of each starting a fetch (default
    /// 2 s; a longer `Retry-After` from the server wins).
    pub fn transient_failure_memory(mut self, memory: Duration) -> Self {
        self.transient_failure_memory = memory;
        self
    }

    /// Retries of transient failures: `max_attempts` requests per fetch in
    /// all (default 4), with jittered exponential back-off from `base`
    /// (default 200 ms) up to `max` (default 2 s) per wait.
    pub fn retry(mut self, max_attempts: u32, base: Duration, max: Duration) -> Self {
        self.retry.max_attempts = max_attempts;
        self.retry.base = base;
        self.retry.max = max;
        self
    }

    /// The shortest lifetime a token is given (default 10 s). A token whose
    /// response says it lives less (`expires_in: 0`, an `exp` claim a second
    /// away) is used for this long instead, with one warning per key, so
    /// that a misconfigured server does not cause a token request on every
    /// call. Should the API refuse it meanwhile, the 401 renews it as usual.
    pub fn min_lifetime(mut self, floor: Duration) -> Self {
        self.min_lifetime = floor;
        self
    }

    /// The longest `Retry-After` the cache waits for within one fetch
    /// (default 10 s). A longer one fails the fetch at once; the error
    /// carries it and the cache sends no request before it has passed.
    pub fn max_retry_after(mut self, max: Duration) -> Self {
        self.retry.max_retry_after = max;
        self
    }

    /// Builds the cache. Fails on an invalid retry setting or if the HTTP
    /// client cannot be built. An unusable disk cache directory is not an
    /// error: the cache logs one warning and keeps tokens in memory only.
    pub fn build(self) -> Result<TokenCache> {
        if self.retry.max_attempts == 0 {
            return Err(Error::InvalidValue {
                setting: "token retry max_attempts".into(),
                value: "0".into(),
                reason: "at least one attempt is needed".into(),
            });
        }
        if self.retry.base > self.retry.max {
            return Err(Error::InvalidValue {
                setting: "token retry base".into(),
                value: format!("{:?}", self.retry.base),
                reason: format!("larger than the maximum back-off {:?}", self.retry.max),
            });
        }
        let http = match self.http_client.clone() {
            Some(client) => client,
            None => token_client(
                reqwest::Client::builder(),
                self.connect_timeout,
                self.request_timeout,
            )?,
        };
        Ok(TokenCache::from_builder(self, http))
    }
}

/// The disk cache directory the two environment variables ask for:
/// `disable` `true`/`1` turns it off, `false`/`0`/unset leaves `dir` (if set
/// and not empty) in force. Any other `disable` value is an error.
pub fn disk_cache_dir_from_vars(
    dir: Option<&str>,
    disable: Option<&str>,
) -> Result<Option<PathBuf>> {
    let disabled = match disable.map(str::trim) {
        None | Some("") => false,
        Some(v) if v.eq_ignore_ascii_case("true") || v == "1" => true,
        Some(v) if v.eq_ignore_ascii_case("false") || v == "0" => false,
        Some(v) => {
            return Err(Error::InvalidValue {
                setting: "CAMUNDA_TOKEN_DISK_CACHE_DISABLE".into(),
                value: v.into(),
                reason: "expected true or false".into(),
            });
        }
    };
    Ok(dir
        .filter(|d| !disabled && !d.trim().is_empty())
        .map(PathBuf::from))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_mapping() {
        assert_eq!(disk_cache_dir_from_vars(None, None).unwrap(), None);
        assert_eq!(
            disk_cache_dir_from_vars(Some("/x"), None).unwrap(),
            Some(PathBuf::from("/x"))
        );
        assert_eq!(
            disk_cache_dir_from_vars(Some("/x"), Some("TRUE")).unwrap(),
            None
        );
        assert_eq!(
            disk_cache_dir_from_vars(Some("/x"), Some("false")).unwrap(),
            Some(PathBuf::from("/x"))
        );
        assert!(matches!(
            disk_cache_dir_from_vars(Some("/x"), Some("yes please")),
            Err(Error::InvalidValue { .. })
        ));
    }

    #[test]
    fn rejects_bad_retry_settings() {
        let zero = TokenCacheBuilder::default().retry(0, Duration::ZERO, Duration::ZERO);
        assert!(matches!(zero.build(), Err(Error::InvalidValue { .. })));
        let inverted =
            TokenCacheBuilder::default().retry(3, Duration::from_secs(2), Duration::from_secs(1));
        assert!(matches!(inverted.build(), Err(Error::InvalidValue { .. })));
    }
}
