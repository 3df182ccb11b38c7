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
//! again at once, up to twice per call, as `src/refused.rs` explains. Such
//! a resend is neither a backpressure attempt nor a wait.

use std::future::Future;
use std::time::Duration;

use futures::future::Either;

use bytes::Bytes;
use tracing::Instrument;

use crate::backoff::Backoff;
use crate::backpressure::{Gated, Permit};
use crate::bytes_find::contains;

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

/// Why a response counts as backpressure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backpressure {
    TooManyRequests,
    Unavailable,
    ResourceExhausted,
    UnavailableExhausted,
}

impl Backpressure {
    fn as_str(self) -> &'static str {
        match self {
            Backpressure::TooManyRequests => "429 Too Many Requests",
            Backpressure::Unavailable => "503 Service Unavailable with Retry-After",
            Backpressure::ResourceExhausted => "500 RESOURCE_EXHAUSTED",
            Backpressure::UnavailableExhausted => "503 RESOURCE_EXHAUSTED",
        }
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
        let mut make_request = make_request;
        self.execute_gated(client, timer, None, |attempt: Attempt| {
            make_request(attempt.number)
        })
        .await
    }

    /// [`execute_with`](Self::execute_with), each attempt holding a permit of
    /// `gate` while it is sent and telling the gate how it was answered.
    /// `make_request` also learns why each request is sent ([`Attempt`]).
    pub(crate) async fn execute_gated<F>(
        &self,
        client: &reqwest::Client,
        timer: &dyn Timer,
        gate: Option<Gated<'_>>,
        mut make_request: F,
    ) -> reqwest::Result<reqwest::Response>
    where
        F: FnMut(Attempt) -> Option<reqwest::Request>,
    {
        let started = timer.now();
        let request = match make_request(Attempt::FIRST) {
            Some(request) => request,
            // Nothing to send: an empty URL makes reqwest fail with a builder
            // error before any network activity.
            None => return client.get("").send().await,
        };
        let first = attempt_span(client, request, 1, gate).await;
        // Fast path: an answer that cannot be backpressure is returned as
        // is; the rest (a larger future) is boxed and only built when needed.
        match first {
            Ok(first) if !may_be_backpressure(&first.1) => {
                if let Some(gated) = gate {
                    gated.gate.success();
                }
                Ok(first.1)
            }
            first => {
                Box::pin(self.after_first(client, timer, gate, make_request, started, first)).await
            }
        }
    }

    /// What follows a call's first attempt (`first`, sent at `started`)
    /// when its outcome is not a plain answer: a refused request is sent
    /// again, backpressure is retried; otherwise the answer or error is
    /// returned as is.
    pub(crate) async fn after_first<'g, F>(
        &self,
        client: &reqwest::Client,
        timer: &dyn Timer,
        gate: Option<Gated<'g>>,
        mut make_request: F,
        started: std::time::Instant,
        first: reqwest::Result<Sent<'g>>,
    ) -> reqwest::Result<reqwest::Response>
    where
        F: FnMut(Attempt) -> Option<reqwest::Request>,
    {
        let mut sends = Sends::default();
        let first = match first {
            Ok(first) => first,
            Err(error) => {
                resend_refused(client, gate, &mut make_request, &mut sends, error).await?
            }
        };
        if !may_be_backpressure(&first.1) {
            if let Some(gated) = gate {
                gated.gate.success();
            }
            return Ok(first.1);
        }
        self.retry_loop(client, timer, gate, make_request, started, sends, first)
            .await
    }

    /// The rest of [`after_first`](Self::after_first) once the first
    /// attempt answered with a status that may be backpressure.
    #[allow(clippy::too_many_arguments)]
    async fn retry_loop<F>(
        &self,
        client: &reqwest::Client,
        timer: &dyn Timer,
        gate: Option<Gated<'_>>,
        mut make_request: F,
        started: std::time::Instant,
        mut sends: Sends,
        first: Sent<'_>,
    ) -> reqwest::Result<reqwest::Response>
    where
        F: FnMut(Attempt) -> Option<reqwest::Request>,
    {
        // `None`: so far away that it never passes.
        let deadline = started.checked_add(self.max_elapsed);
        let max_attempts = self.max_attempts.max(1);
        let mut attempt: u32 = 1;
        let (mut span, mut response, mut permit) = first;
        loop {
            let (classified, reason) = classify(response).instrument(span.clone()).await?;
            if let (Some(gated), Some(held)) = (gate, &permit) {
                match reason {
                    Some(_) => gated.gate.backpressure(held),
                    None => gated.gate.success(),
                }
            }
            // Never held while waiting.
            drop(permit.take());
            let Some(reason) = reason else {
                return Ok(classified);
            };
            let response_now = classified;
            if attempt >= max_attempts {
                span.in_scope(|| {
                    tracing::debug!(reason = reason.as_str(), "backpressure; attempts exhausted")
                });
                return Ok(response_now);
            }
            let retry_after = retry_after(response_now.headers());
            let delay = self.delay_for(attempt, retry_after);
            let too_late = match (timer.now().checked_add(delay), deadline) {
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
                return Ok(response_now);
            }
            span.in_scope(|| {
                tracing::debug!(
                    reason = reason.as_str(),
                    delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                    "backpressure; waiting before the next attempt"
                )
            });
            // Read the (small) body so the connection is free while we wait;
            // the response is kept in case no retry can be made after all.
            let (kept, _) = buffer(response_now).await?;
            timer.sleep(delay).await;
            // Built only now, so that it carries the current credentials.
            let next = make_request(Attempt {
                number: sends.sent + 1,
                reason: Resend::Backpressure,
            });
            let Some(next) = next else {
                span.in_scope(|| {
                    tracing::debug!(
                        reason = reason.as_str(),
                        "backpressure; the request cannot be repeated"
                    )
                });
                return Ok(kept);
            };
            attempt += 1;
            sends.sent += 1;
            (span, response, permit) = match attempt_span(client, next, sends.sent, gate).await {
                Ok(sent) => sent,
                Err(error) if crate::refused::refused(&error) => {
                    resend_refused(client, gate, &mut make_request, &mut sends, error).await?
                }
                Err(error) => return Err(error),
            };
        }
    }
}

/// An attempt answered: its span (the status recorded), the answer, and
/// the gate's permit if one is still held.
pub(crate) type Sent<'g> = (tracing::Span, reqwest::Response, Option<Permit<'g>>);

/// Whether a status may be backpressure (a 500 or 503 only with the signs
/// [`classify`] looks for).
fn may_be_backpressure(response: &reqwest::Response) -> bool {
    matches!(response.status().as_u16(), 429 | 500 | 503)
}

/// Why a request is about to be sent, as `make_request` is told.
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
    /// The server refused the previous one unprocessed (`src/refused.rs`).
    Refused,
}

/// The requests one call has sent, and how many of them were resends of a
/// refused request.
#[derive(Debug)]
struct Sends {
    sent: u32,
    refused: u32,
}

impl Default for Sends {
    fn default() -> Self {
        Self {
            sent: 1,
            refused: 0,
        }
    }
}

/// After the request just sent was refused unprocessed (`error`): sends a
/// fresh copy at once, while the call has resends left
/// ([`crate::refused::MAX_RESENDS`]) and the request can be repeated;
/// otherwise `error`.
async fn resend_refused<'g, F>(
    client: &reqwest::Client,
    gate: Option<Gated<'g>>,
    make_request: &mut F,
    sends: &mut Sends,
    error: reqwest::Error,
) -> reqwest::Result<Sent<'g>>
where
    F: FnMut(Attempt) -> Option<reqwest::Request>,
{
    let mut error = error;
    loop {
        if sends.refused >= crate::refused::MAX_RESENDS || !crate::refused::refused(&error) {
            return Err(error);
        }
        let Some(next) = make_request(Attempt {
            number: sends.sent + 1,
            reason: Resend::Refused,
        }) else {
            return Err(error);
        };
        sends.refused += 1;
        sends.sent += 1;
        tracing::debug!(
            attempt = sends.sent,
            "the server refused the request unprocessed; sending it again"
        );
        match attempt_span(client, next, sends.sent, gate).await {
            Ok(sent) => return Ok(sent),
            Err(again) => error = again,
        }
    }
}

/// How an attempt began, without waiting ([`start_attempt`]).
pub(crate) enum Start<'g, P> {
    /// A permit was free (or the request is not gated): the request is
    /// with reqwest, `pending` its answer.
    Sent {
        span: tracing::Span,
        pending: P,
        permit: Option<Permit<'g>>,
    },
    /// The gate has no free permit: the attempt must wait for one. (The
    /// request is boxed, which only this rare case pays for: the common
    /// one then moves a small value.)
    Wait {
        span: tracing::Span,
        request: Box<reqwest::Request>,
    },
}

/// Begins one attempt: opens its `camunda8.http` span (a child of the
/// current span) and, when the gate has a free permit, hands the request to
/// reqwest. An admitted request (a long poll) gives its permit back as soon
/// as it is on its way.
pub(crate) fn start_attempt<'a, 'g>(
    client: &'a reqwest::Client,
    request: reqwest::Request,
    attempt: u32,
    gate: Option<Gated<'g>>,
) -> Start<'g, impl Future<Output = reqwest::Result<reqwest::Response>> + 'a> {
    let span = tracing::debug_span!(
        "camunda8.http",
        method = %request.method(),
        path = %request.url().path(),
        attempt,
        status = tracing::field::Empty,
    );
    let permit = match gate {
        Some(gated) => match gated.gate.try_acquire() {
            Some(permit) => Some(permit),
            None => {
                return Start::Wait {
                    span,
                    request: Box::new(request),
                };
            }
        },
        None => None,
    };
    let pending = client.execute(request);
    Start::Sent {
        span,
        pending,
        permit: admitted(permit, gate),
    }
}

/// The permit an attempt keeps once its request is on its way: none for an
/// admitted request (a long poll), which frees its slot at once.
fn admitted<'g>(permit: Option<Permit<'g>>, gate: Option<Gated<'g>>) -> Option<Permit<'g>> {
    match (permit, gate) {
        (Some(mut held), Some(Gated { hold: false, .. })) => {
            held.release();
            Some(held)
        }
        (permit, _) => permit,
    }
}

/// Sends one attempt in its `camunda8.http` span; the span (with the
/// status recorded) and the response.
///
/// Not an `async fn`: one would keep its `request` argument (a few hundred
/// bytes) in its future for as long as the attempt runs. Here the request
/// is handed to reqwest before the future is built whenever a permit is
/// free, so the future holds only reqwest's (boxed) pending request.
fn attempt_span<'a, 'g: 'a>(
    client: &'a reqwest::Client,
    request: reqwest::Request,
    attempt: u32,
    gate: Option<Gated<'g>>,
) -> impl Future<Output = reqwest::Result<Sent<'g>>> + 'a {
    match start_attempt(client, request, attempt, gate) {
        Start::Sent {
            span,
            pending,
            permit,
        } => Either::Left(answer(span, pending, permit)),
        Start::Wait { span, request } => {
            Either::Right(Box::pin(wait_and_send(client, span, *request, gate)))
        }
    }
}

/// An attempt the gate made wait ([`Start::Wait`]): sent once a permit is
/// free.
pub(crate) async fn wait_and_send<'g>(
    client: &reqwest::Client,
    span: tracing::Span,
    request: reqwest::Request,
    gate: Option<Gated<'g>>,
) -> reqwest::Result<Sent<'g>> {
    let permit = match gate {
        Some(gated) => Some(gated.gate.acquire().instrument(span.clone()).await),
        None => None,
    };
    let pending = client.execute(request);
    answer(span, pending, admitted(permit, gate)).await
}

/// The answer to an attempt whose request is on its way, awaited in the
/// attempt's span.
async fn answer<'g>(
    span: tracing::Span,
    pending: impl Future<Output = reqwest::Result<reqwest::Response>>,
    permit: Option<Permit<'g>>,
) -> reqwest::Result<Sent<'g>> {
    let response = pending.instrument(span.clone()).await?;
    span.record("status", response.status().as_u16());
    Ok((span, response, permit))
}

/// Whether the response is backpressure. For a 500 or 503 the body is read
/// and the response rebuilt around it.
async fn classify(
    response: reqwest::Response,
) -> reqwest::Result<(reqwest::Response, Option<Backpressure>)> {
    let status = response.status().as_u16();
    if status == 429 {
        return Ok((response, Some(Backpressure::TooManyRequests)));
    }
    if status != 500 && status != 503 {
        return Ok((response, None));
    }
    // 500 (8.8.0 to 8.8.2) and 503 (8.8.3 on) carry RESOURCE_EXHAUSTED in
    // the problem body; a 503 without it is backpressure only with Retry-After.
    let has_retry_after = response.headers().contains_key(http::header::RETRY_AFTER);
    let (response, body) = buffer(response).await?;
    let exhausted = contains(&body, b"RESOURCE_EXHAUSTED");
    let kind = match (status, exhausted) {
        (500, true) => Some(Backpressure::ResourceExhausted),
        (503, true) => Some(Backpressure::UnavailableExhausted),
        (503, false) if has_retry_after => Some(Backpressure::Unavailable),
        _ => None,
    };
    Ok((response, kind))
}

/// Reads the body and returns an equivalent response carrying it.
async fn buffer(response: reqwest::Response) -> reqwest::Result<(reqwest::Response, Bytes)> {
    let status = response.status();
    let version = response.version();
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    let mut rebuilt = http::Response::new(body.clone());
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    Ok((reqwest::Response::from(rebuilt), body))
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
