//! Retrying a token request: bounded, jittered exponential back-off for
//! transient failures, and `Retry-After` for 429/503 within a bound.

use std::sync::atomic::AtomicU64;
use std::time::Duration;

use super::clock::Clock;
use super::credentials::ClientCredentials;
use super::exchange::{Failure, exchange_once};
use super::token::AccessToken;
use crate::Error;
use crate::backoff::{Backoff, Jitter};
use crate::call::retry::parse_retry_after;
use crate::redact::redact_url;

/// How token requests are retried. (Not [`crate::RetryPolicy`], which
/// retries API calls refused for backpressure.)
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokenRetry {
    /// Requests per fetch, first one included (at least 1).
    pub(crate) max_attempts: u32,
    /// Back-off before the second attempt; doubles each time.
    pub(crate) base: Duration,
    /// Upper bound of one back-off.
    pub(crate) max: Duration,
    /// The longest `Retry-After` honoured by waiting; a longer one ends the
    /// fetch at once (the error carries it, and the cache remembers it).
    pub(crate) max_retry_after: Duration,
}

impl Default for TokenRetry {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base: Duration::from_millis(200),
            max: Duration::from_secs(2),
            max_retry_after: Duration::from_secs(10),
        }
    }
}

impl TokenRetry {
    /// The back-off after failed attempt number `attempt` (1-based): half of
    /// the exponential delay fixed, half random, never above `max`
    /// ([`Jitter::Equal`]: a failed identity provider is not asked again at
    /// once, while every call needing the token waits).
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        Backoff::new(self.base, self.max)
            .jitter(Jitter::Equal)
            .delay(attempt)
    }
}

/// Fetches a token, retrying transient failures.
pub(crate) async fn fetch_with_retry(
    client: &reqwest::Client,
    requests: &[&AtomicU64],
    clock: &dyn Clock,
    policy: &TokenRetry,
    credentials: &ClientCredentials,
) -> Result<AccessToken, Error> {
    let attempts = policy.max_attempts.max(1);
    let mut attempt = 0;
    loop {
        attempt += 1;
        let failure = match exchange_once(client, requests, credentials, clock.now()).await {
            Ok(token) => return Ok(token),
            Err(Failure::Permanent(error)) => return Err(error),
            Err(Failure::Transient {
                reason,
                retry_after,
            }) => (reason, retry_after),
        };
        let (reason, retry_after) = failure;
        let retry_after = retry_after.and_then(|h| parse_retry_after(&h, clock.now()));
        let unavailable = |retry_after| Error::TokenUnavailable {
            url: redact_url(&credentials.token_url),
            attempts: attempt,
            reason: reason.clone(),
            retry_after,
        };
        if attempt >= attempts {
            return Err(unavailable(retry_after));
        }
        let delay = match retry_after {
            Some(wait) if wait > policy.max_retry_after => return Err(unavailable(Some(wait))),
            Some(wait) => wait,
            None => policy.backoff(attempt),
        };
        tracing::debug!(
            url = %redact_url(&credentials.token_url),
            attempt,
            %reason,
            delay_ms = delay.as_millis() as u64,
            "token request failed; retrying"
        );
        tokio::time::sleep(delay).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_bounded_and_jittered() {
        let p = TokenRetry {
            max_attempts: 4,
            base: Duration::from_millis(100),
            max: Duration::from_millis(300),
            max_retry_after: Duration::from_secs(1),
        };
        for _ in 0..100 {
            let first = p.backoff(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let late = p.backoff(10);
            assert!(late >= Duration::from_millis(150) && late <= Duration::from_millis(300));
        }
    }
}
