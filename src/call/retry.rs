//! Retrying API calls that the server refused because it is overloaded
//! ("backpressure"), with full-jitter exponential backoff.
//!
//! # What is retried
//!
//! Only answers that say "not now, try again later":
//!
//! * `429 Too Many Requests` (Camunda 8.6 and 8.7);
//! * `500 Internal Server Error` whose body mentions `RESOURCE_EXHAUSTED`
//!   (Camunda 8.8.0 to 8.8.2 put it in the problem's `detail`);
//! * `503 Service Unavailable` whose body mentions `RESOURCE_EXHAUSTED`
//!   (8.8.3 and later: the problem's `title`), or that carries a
//!   `Retry-After` header (the server says when to come back).
//!
//! Every other status is returned as is — a 500, 502 or 503 without
//! these signs is a failure, not a request to slow down —, and so are connection errors and
//! timeouts: most Camunda operations are non-idempotent `POST`s (create a
//! process instance, publish a message), and a request whose connection broke
//! may already have been executed, so repeating it could do the work twice.
//! A backpressure answer, in contrast, guarantees the request was not acted on.
//!
//! # How long to wait
//!
//! Before retry `n` (the first retry is `n = 1`) the policy sleeps a random
//! duration between zero and `min(max_delay, base_delay · 2^(n-1))` ("full
//! jitter", which spreads out clients that were refused together). When the
//! server sends `Retry-After` (seconds, or an HTTP date) the wait is at least
//! that long. No wait ever ends after `max_elapsed` from the first attempt:
//! when it would, the last response is returned instead. After `max_attempts`
//! attempts the last response is returned too, so the caller always sees the
//! server's real answer.
//!
//! One transport error is an exception: a request an HTTP/2 server refused
//! before processing it (`REFUSED_STREAM`, or a graceful `GOAWAY`) is sent
//! again at once, up to twice per call, as `src/call/classify.rs` explains. Such
//! a resend is neither a backpressure attempt nor a wait.

use std::time::Duration;

use super::attempts::{Requests, attempts};
use super::classify::{Backpressure, may_be_backpressure};
use super::send;
use crate::backoff::Backoff;

/// The longest `Retry-After` taken into account; a larger value is treated as
/// this one (and then usually exceeds `max_elapsed`, ending the retries).
const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// When and how often to retry a request refused for backpressure.
///
/// See the [module documentation](self) for the exact rules.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in total, the first included (`1` means never retry). Default 5.
    pub max_attempts: u32,
    /// The upper bound of the first backoff, doubled for each further retry.
    /// Default 100 ms.
    pub base_delay: Duration,
    /// The cap on one backoff (a server's `Retry-After` may ask for more).
    /// Default 5 s.
    pub max_delay: Duration,
    /// No retry starts later than this after the first attempt. Default 30 s.
    pub max_elapsed: Duration,
    /// The adaptive backpressure gate of the API client using this policy
    /// (see [`crate::backpressure`]). Default on.
    pub gate: crate::backpressure::GateSettings,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(30),
            gate: crate::backpressure::GateSettings::default(),
        }
    }
}

/// The clock and the sleep [`RetryPolicy::execute_with`] uses.
pub trait Timer: Send + Sync {
    /// The current instant (monotonic).
    fn now(&self) -> std::time::Instant;
    /// Waits for `duration`.
    fn sleep(&self, duration: Duration) -> futures::future::BoxFuture<'static, ()>;
}

/// Tokio's clock and sleep (so paused test time applies): what
/// [`RetryPolicy::execute`] uses.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioTimer;

impl Timer for TokioTimer {
    fn now(&self) -> std::time::Instant {
        tokio::time::Instant::now().into_std()
    }

    fn sleep(&self, duration: Duration) -> futures::future::BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

impl RetryPolicy {
    /// The defaults: 5 attempts, 100 ms base, 5 s cap, 30 s in total.
    pub fn new() -> Self {
        Self::default()
    }

    /// Never retry: every request is sent exactly once.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets the number of attempts in total (values below 1 count as 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the upper bound of the first backoff.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Sets the cap on one backoff.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Sets the time after the first attempt past which no retry starts.
    pub fn max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// Sets the backpressure gate ([`GateSettings::off`](crate::backpressure::GateSettings::off)
    /// turns it off).
    pub fn gate(mut self, gate: crate::backpressure::GateSettings) -> Self {
        self.gate = gate;
        self
    }

    /// The upper bound of the jittered backoff before retry `retry` (1-based):
    /// `min(max_delay, base_delay · 2^(retry-1))`.
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        self.backoff().ceiling(retry)
    }

    /// The wait before retry `retry` (1-based): a uniformly random duration
    /// up to [`backoff_ceiling`](Self::backoff_ceiling), but at least
    /// `retry_after` when the server sent one.
    pub fn delay_for(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        self.backoff()
            .delay_at_least(retry, retry_after.map(|wait| wait.min(MAX_RETRY_AFTER)))
    }

    /// The crate's one back-off with this policy's numbers: full jitter
    /// from zero, so that clients refused together spread out.
    fn backoff(&self) -> Backoff {
        Backoff::new(self.base_delay, self.max_delay)
    }

    /// Sends a request, retrying it while the server answers with
    /// backpressure, as the [module documentation](self) describes.
    ///
    /// `make_request(attempt)` builds the request for attempt `attempt`
    /// (1-based, counting every request sent, resends of a refused one
    /// included), typically by cloning a template and attaching the current
    /// authorization header; it is called right before each attempt is sent,
    /// after the wait, so the credentials are current. For attempt 1 it must
    /// return `Some`; for a later attempt it returns `None` when the request
    /// cannot be repeated (a streaming body), and the last response is
    /// returned without retrying.
    /// (Should it return `None` for attempt 1, the result is a reqwest
    /// builder error, since there is nothing to send.)
    ///
    /// The result is the first response that is not backpressure, or the last
    /// one when the attempts or the time ran out, or the first transport
    /// error. A response whose body was read to look for `RESOURCE_EXHAUSTED`
    /// is handed back with the same status, headers and body (its
    /// [`url`](reqwest::Response::url) is no longer the request's).
    ///
    /// Each attempt runs in a `camunda8.http` tracing span (DEBUG level)
    /// recording the method, the URL path (never the query or headers), the
    /// attempt number and the status.
    pub async fn execute<F>(
        &self,
        client: &reqwest::Client,
        make_request: F,
    ) -> reqwest::Result<reqwest::Response>
    where
        F: FnMut(u32) -> Option<reqwest::Request>,
    {
        self.execute_with(client, &TokioTimer, make_request).await
    }

    /// [`execute`](Self::execute) with another clock and sleep, e.g. a
    /// virtual one in tests, which then see every wait without waiting.
    pub async fn execute_with<F>(
        &self,
        client: &reqwest::Client,
        timer: &dyn Timer,
        make_request: F,
    ) -> reqwest::Result<reqwest::Response>
    where
        F: FnMut(u32) -> Option<reqwest::Request>,
    {
        let started = timer.now();
        let mut requests = Plain(make_request);
        let request = match requests.request(Attempt::FIRST) {
            Some(request) => request,
            // Nothing to send: an empty URL makes reqwest fail with a builder
            // error before any network activity.
            None => return client.get("").send().await,
        };
        let first = send::attempt(client, request, 1, None).await;
        // Fast path: an answer that cannot be backpressure is returned as
        // is; the attempt loop (a larger future) is boxed and only built
        // when needed.
        match first {
            Ok(first) if !may_be_backpressure(&first.1) => Ok(first.1),
            first => {
                Box::pin(attempts(
                    self,
                    client,
                    timer,
                    None,
                    &mut requests,
                    started,
                    first,
                ))
                .await
            }
        }
    }

    /// Phase 5 after a backpressure answer (`reason`, the `attempt`-th
    /// backpressure attempt of the call, `retry_after` the server's wish):
    /// the wait before the next attempt, or `None` when no retry may start
    /// (the attempts or the time ran out), which `span` logs.
    pub(crate) fn wait_before_retry(
        &self,
        budget: &Budget,
        timer: &dyn Timer,
        reason: Backpressure,
        retry_after: Option<Duration>,
        span: &tracing::Span,
    ) -> Option<Duration> {
        if budget.backpressure >= self.max_attempts.max(1) {
            span.in_scope(|| {
                tracing::debug!(reason = reason.as_str(), "backpressure; attempts exhausted")
            });
            return None;
        }
        let delay = self.delay_for(budget.backpressure, retry_after);
        let too_late = match (timer.now().checked_add(delay), budget.deadline) {
            (Some(wake), Some(deadline)) => wake > deadline,
            (None, _) => true,
            (Some(_), None) => false,
        };
        if too_late {
            span.in_scope(|| {
                tracing::debug!(
                    reason = reason.as_str(),
                    "backpressure; the next wait would pass max_elapsed"
                )
            });
            return None;
        }
        span.in_scope(|| {
            tracing::debug!(
                reason = reason.as_str(),
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "backpressure; waiting before the next attempt"
            )
        });
        Some(delay)
    }
}

/// Why a request is about to be sent, as the source of requests is told.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Attempt {
    /// 1 for the first request of a call, counting every request sent.
    pub(crate) number: u32,
    pub(crate) reason: Resend,
}

impl Attempt {
    pub(crate) const FIRST: Attempt = Attempt {
        number: 1,
        reason: Resend::First,
    };
}

/// Why a request is sent again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Resend {
    /// Not again: the call's first request.
    First,
    /// The previous one was answered with backpressure.
    Backpressure,
    /// The server refused the previous one unprocessed (`classify.rs`).
    Refused,
    /// The previous one was rejected with 401; this one carries a renewed
    /// credential (`renew.rs`).
    Renewal,
}

/// What one call may still do: the attempts it has sent, how many of them
/// followed backpressure or a refusal, and when retries must stop. A
/// renewed credential starts a new budget (its request is a new first
/// attempt).
#[derive(Debug)]
pub(crate) struct Budget {
    /// No retry starts after this (`None`: so far away that it never passes).
    deadline: Option<std::time::Instant>,
    /// Requests sent, resends of any kind included.
    pub(crate) sent: u32,
    /// Of those, the first and those sent after backpressure.
    backpressure: u32,
    /// Of those, resends of a refused request.
    refused: u32,
}

impl Budget {
    /// The budget of a call whose first request was sent at `started`.
    pub(crate) fn after_first(policy: &RetryPolicy, started: std::time::Instant) -> Self {
        Self {
            deadline: started.checked_add(policy.max_elapsed),
            sent: 1,
            backpressure: 1,
            refused: 0,
        }
    }

    /// Whether another refused request may be sent again
    /// ([`MAX_RESENDS`](super::classify::MAX_RESENDS) per call).
    pub(crate) fn may_resend_refused(&self) -> bool {
        self.refused < super::classify::MAX_RESENDS
    }

    /// The next attempt, sent for `reason`, counted.
    pub(crate) fn next(&mut self, reason: Resend) -> Attempt {
        self.sent += 1;
        match reason {
            Resend::Backpressure => self.backpressure += 1,
            Resend::Refused => self.refused += 1,
            Resend::First | Resend::Renewal => {}
        }
        Attempt {
            number: self.sent,
            reason,
        }
    }
}

/// A caller's `make_request(attempt number)` as the attempt loop's source
/// of requests ([`RetryPolicy::execute`]): no credential to renew.
struct Plain<F>(F);

impl<F> Requests for Plain<F>
where
    F: FnMut(u32) -> Option<reqwest::Request>,
{
    fn request(&mut self, attempt: Attempt) -> Option<reqwest::Request> {
        (self.0)(attempt.number)
    }

    fn renew(&mut self) -> impl std::future::Future<Output = Option<http::HeaderValue>> + Send {
        std::future::ready(None)
    }

    fn accepted(&self, _credential: &http::HeaderValue) {}
}

/// The `Retry-After` header as a duration from now: delta seconds, or an HTTP
/// date (a date in the past gives zero). Unparsable values are ignored.
pub fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    let value = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(value, std::time::SystemTime::now()).map(|wait| wait.min(MAX_RETRY_AFTER))
}

/// Parses a `Retry-After` value as seen at `now`: delta seconds or an HTTP
/// date (RFC 9110 §10.2.3); a date in the past gives zero. Not capped: the
/// caller bounds it. Shared by API retries and token requests.
pub(crate) fn parse_retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = std::time::SystemTime::from(date.with_timezone(&chrono::Utc));
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceiling_doubles_and_caps() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff_ceiling(1), Duration::from_millis(100));
        assert_eq!(p.backoff_ceiling(2), Duration::from_millis(200));
        assert_eq!(p.backoff_ceiling(4), Duration::from_millis(800));
        assert_eq!(p.backoff_ceiling(10), Duration::from_secs(5));
        assert_eq!(p.backoff_ceiling(u32::MAX), Duration::from_secs(5));
    }

    #[test]
    fn delay_is_jittered_within_bounds_and_respects_retry_after() {
        let p = RetryPolicy::default();
        let mut distinct = std::collections::BTreeSet::new();
        for _ in 0..200 {
            let d = p.delay_for(3, None);
            assert!(d <= Duration::from_millis(400));
            distinct.insert(d);
        }
        assert!(distinct.len() > 10, "no jitter: {distinct:?}");
        for _ in 0..50 {
            assert!(p.delay_for(1, Some(Duration::from_secs(2))) >= Duration::from_secs(2));
        }
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_470); // 2015-10-21 07:27:50
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn retry_after_forms() {
        let mut h = http::HeaderMap::new();
        assert_eq!(retry_after(&h), None);
        h.insert(http::header::RETRY_AFTER, "3".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(3)));
        h.insert(
            http::header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
        let future = chrono::Utc::now() + chrono::Duration::seconds(120);
        let text = future.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        h.insert(http::header::RETRY_AFTER, text.parse().unwrap());
        let d = retry_after(&h).unwrap();
        assert!(
            d > Duration::from_secs(100) && d <= Duration::from_secs(120),
            "{d:?}"
        );
        h.insert(http::header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&h), None);
        h.insert(http::header::RETRY_AFTER, "99999999".parse().unwrap());
        assert_eq!(retry_after(&h), Some(MAX_RETRY_AFTER));
    }

    #[tokio::test]
    async fn missing_first_request_is_an_error_not_a_panic() {
        let client = reqwest::Client::new();
        let e = RetryPolicy::default()
            .execute(&client, |_| None)
            .await
            .unwrap_err();
        assert!(e.is_builder());
    }
}
