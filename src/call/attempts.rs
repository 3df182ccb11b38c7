//! Phases 3 to 5 in one loop: the `exec` hook's future.
//!
//! [`attempts`] is the one attempt loop of the crate: it takes an
//! attempt's outcome and calls, in this order, classify (`classify.rs`),
//! retry or renew (`retry.rs`, `renew.rs`) and send (`send.rs`), until an
//! answer stands. Each phase returns to the loop; none calls another. The
//! API clients' requests ([`send`], the `exec` hook) and a caller's own
//! ([`RetryPolicy::execute`](super::retry::RetryPolicy::execute)) go
//! through it alike; only the source of requests differs ([`Requests`]).
//!
//! Nearly every request is sent once and answered with a success: no
//! backpressure, no 401, no error body to read. For that path the loop's
//! first turn is written out by hand as [`Sending`], which holds only what
//! it needs: the request's template (kept for a resend, `template.rs`),
//! reqwest's pending request, the attempt's span and gate permit.
//! Everything else (resending a refused request, backpressure retries,
//! renewing a rejected credential, reading an error body) is [`rest`], an
//! `async fn` boxed only when the first outcome needs it.
//!
//! Written as nested `async` functions (the call's span, the retry policy,
//! the attempt), the same path made a 1.3 KB future, mostly room for the
//! rare paths, built and moved layer by layer on every call: measured in
//! the client bench, that cost more time in copies and cache misses than
//! its instructions showed.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use http::HeaderValue;
use progenitor_client::OperationInfo;
use reqwest::{Request, Response, StatusCode};
use tracing::Instrument as _;

use super::backpressure::{self, Gated, Permit};
use super::classify;
use super::error_body::read_error_body;
use super::hooks::Inner;
use super::pause::Pause;
use super::record;
use super::renew;
use super::retry::{Attempt, Budget, Resend, RetryPolicy, Timer, TokioTimer};
use super::send::{self, CallRequests, Sent, Start};
use super::template::Template;

/// The future of one request (see the [module documentation](self)).
pub(crate) struct Sending<'a, P> {
    /// The call's `camunda8.request` span, entered on every poll.
    span: tracing::Span,
    /// Set while the first attempt is with reqwest.
    first: Option<First<'a, P>>,
    /// Set once the rest of the exchange runs.
    rest: Option<Rest<'a>>,
}

/// The rest of an exchange ([`rest`]), boxed.
type Rest<'a> = Pin<Box<dyn Future<Output = reqwest::Result<Response>> + Send + 'a>>;

/// What every part of one exchange works with.
struct Exchange<'a> {
    inner: &'a Inner,
    client: &'a reqwest::Client,
    operation: &'static str,
    gate: Option<Gated<'a>>,
    /// When the first attempt began (retries stop `max_elapsed` after).
    started: std::time::Instant,
    /// What the request is sent again from.
    template: Template,
}

/// The first attempt, on its way.
struct First<'a, P> {
    exchange: Exchange<'a>,
    /// The attempt's `camunda8.http` span.
    span: tracing::Span,
    pending: P,
    permit: Option<Permit<'a>>,
    /// Yield once before `pending` is first polled (`pause.rs`).
    pause: Pause,
}

/// Sends `request` (the `exec` hook of the API named `api`): with
/// backpressure retries, then one credential renewal on 401.
pub(crate) fn send<'a>(
    inner: &'a Inner,
    client: &'a reqwest::Client,
    mut request: Request,
    info: &OperationInfo,
    api: &'static str,
) -> Sending<'a, impl Future<Output = reqwest::Result<Response>> + Send + Unpin + 'a> {
    let state = &inner.0;
    let operation = info.operation_id;
    // Here rather than among the client's default headers, which reqwest
    // would add to each copy sent (growing its header map); the template
    // has room, and every copy gets the header with it.
    if let Some(agent) = &state.user_agent {
        request
            .headers_mut()
            .entry(http::header::USER_AGENT)
            .or_insert_with(|| agent.clone());
    }
    // DEBUG, as the attempt's: an application logging at INFO then creates
    // no span per call (at INFO they cost about a fifth of a small call's
    // throughput under a fmt subscriber; tests/call/span_levels.rs).
    let span = tracing::debug_span!("camunda8.request", api, operation);
    let gate = state.gate.for_operation(operation);
    let started = TokioTimer.now();
    let template = Template::of(&request);
    record::note_attempt(request.method());
    // The attempt's span is a child of the call's.
    let start = span.in_scope(|| send::start_attempt(client, request, 1, gate));
    let exchange = Exchange {
        inner,
        client,
        operation,
        gate,
        started,
        template,
    };
    match start {
        Start::Sent {
            span: attempt_span,
            pending,
            permit,
            pause,
        } => Sending {
            span,
            first: Some(First {
                exchange,
                span: attempt_span,
                pending,
                permit,
                pause,
            }),
            rest: None,
        },
        Start::Wait {
            span: attempt_span,
            request,
        } => Sending {
            span,
            first: None,
            rest: Some(after_waiting(exchange, attempt_span, *request)),
        },
    }
}

impl<P> Future for Sending<'_, P>
where
    P: Future<Output = reqwest::Result<Response>> + Unpin,
{
    type Output = reqwest::Result<Response>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let _call = this.span.enter();
        if let Some(first) = &mut this.first {
            ready!(first.pause.poll(cx));
            let outcome = {
                let _attempt = first.span.enter();
                ready!(Pin::new(&mut first.pending).poll(cx))
            };
            if let Some(first) = this.first.take() {
                match first.finish(outcome) {
                    Ok(done) => return Poll::Ready(done),
                    Err(rest) => this.rest = Some(rest),
                }
            }
        }
        match &mut this.rest {
            Some(rest) => {
                let done = ready!(rest.as_mut().poll(cx));
                this.rest = None;
                Poll::Ready(done)
            }
            // Polled again after it completed.
            None => Poll::Pending,
        }
    }
}

impl<'a, P> First<'a, P> {
    /// The call's outcome when the first attempt's `outcome` needs nothing
    /// more; else the rest of the exchange to run.
    fn finish(
        self,
        outcome: reqwest::Result<Response>,
    ) -> Result<reqwest::Result<Response>, Rest<'a>> {
        let First {
            exchange,
            span,
            permit,
            ..
        } = self;
        match outcome {
            Ok(response) => {
                span.record("status", response.status().as_u16());
                if response.status().is_success() {
                    if let Some(gated) = exchange.gate {
                        gated.gate.success();
                    }
                    drop(permit);
                    record::note_response(response.status(), None);
                    return Ok(Ok(response));
                }
                Err(boxed_rest(exchange, Ok((span, response, permit))))
            }
            Err(error) if !classify::refused(&error) => {
                drop(permit);
                record::note_sent(exchange.template.method(), error.url());
                Ok(Err(error))
            }
            Err(error) => {
                drop(permit);
                Err(boxed_rest(exchange, Err(error)))
            }
        }
    }
}

// The functions below build the rest's future, which is large (several
// KB): never inlined, so that the common path's functions do not reserve a
// stack frame that size on every call (a deeper stack is colder in cache).

/// [`rest`], boxed.
#[cold]
#[inline(never)]
fn boxed_rest<'a>(exchange: Exchange<'a>, first: reqwest::Result<Sent<'a>>) -> Rest<'a> {
    Box::pin(rest(exchange, first))
}

/// The exchange when the gate had no free permit for the first attempt
/// (its span and the request to send), boxed.
#[cold]
#[inline(never)]
fn after_waiting<'a>(exchange: Exchange<'a>, span: tracing::Span, request: Request) -> Rest<'a> {
    Box::pin(async move {
        let first = send::wait_and_send(exchange.client, span, request, exchange.gate).await;
        rest(exchange, first).await
    })
}

/// The exchange after its first attempt (`first`): the attempt loop, then
/// the call's record written and an error body read (phase 6). Requests are
/// sent again to the URL the first answer or error came from, and only when
/// that is the URL it was sent to (not a redirect's target: `template.rs`).
async fn rest<'a>(
    exchange: Exchange<'a>,
    first: reqwest::Result<Sent<'a>>,
) -> reqwest::Result<Response> {
    let Exchange {
        inner,
        client,
        operation,
        gate,
        started,
        template,
    } = exchange;
    // Where the first answer or error came from (a response rebuilt after
    // a retry's wait has lost its URL), and whether the request may be
    // sent there again: `None` for a redirected request and for a streamed
    // body, which then get no resend and no credential renewal.
    let answered_from = match &first {
        Ok((_, response, _)) => Some(response.url().clone()),
        Err(error) => error.url().cloned(),
    };
    let url = answered_from
        .as_ref()
        .filter(|url| template.repeatable() && template.sent_to(url))
        .cloned();
    let mut requests = CallRequests {
        inner,
        template,
        url,
        operation,
    };
    let sent = attempts(
        &inner.0.retry,
        client,
        &TokioTimer,
        gate,
        &mut requests,
        started,
        first,
    )
    .await;
    let method = requests.template.method();
    let response = match sent {
        Ok(response) => response,
        Err(error) => {
            record::note_sent(method, error.url().or(answered_from.as_ref()));
            return Err(error);
        }
    };
    if response.status().is_success() {
        record::note_response(response.status(), None);
        return Ok(response);
    }
    record::note_sent(method, answered_from.as_ref());
    let (response, error_body) = read_error_body(response).await?;
    record::note_response(response.status(), error_body);
    Ok(response)
}

/// Where the attempt loop gets each request it sends after the first, and
/// how it renews a rejected credential.
pub(crate) trait Requests {
    /// The request for `attempt`, built when it is sent (after any wait,
    /// so with the current credential); `None` when it cannot be sent
    /// again (a streamed body), which ends the loop with the last outcome.
    fn request(&mut self, attempt: Attempt) -> Option<Request>;

    /// After a 401: puts a renewed credential on the requests to come and
    /// returns it; `None` when there is none (the 401 stands).
    fn renew(&mut self) -> impl Future<Output = Option<HeaderValue>> + Send;

    /// The API accepted `credential`, the renewed one.
    fn accepted(&self, credential: &HeaderValue);
}

impl Requests for CallRequests<'_> {
    fn request(&mut self, attempt: Attempt) -> Option<Request> {
        CallRequests::request(self, attempt)
    }

    fn renew(&mut self) -> impl Future<Output = Option<HeaderValue>> + Send {
        renew::renew(self)
    }

    fn accepted(&self, credential: &HeaderValue) {
        self.inner.0.auth.accepted(credential);
    }
}

/// The attempt loop, from the outcome of a call's first attempt (`first`,
/// sent at `started`): each turn classifies the outcome (phase 4), decides
/// on a resend, waiting first after backpressure or renewing the
/// credential after a 401 (phase 5), and sends it (phase 3); it ends with
/// the first outcome that stands: an answer that is not backpressure (or
/// the last one, when the attempts or the time ran out, or it cannot be
/// sent again), or a transport error.
///
/// A 401 is renewed once per call; the renewed request starts a new
/// budget, as a new first attempt.
pub(crate) async fn attempts<'g, R: Requests>(
    policy: &RetryPolicy,
    client: &reqwest::Client,
    timer: &dyn Timer,
    gate: Option<Gated<'g>>,
    requests: &mut R,
    started: std::time::Instant,
    first: reqwest::Result<Sent<'g>>,
) -> reqwest::Result<Response> {
    let mut budget = Budget::after_first(policy, started);
    let mut renewed: Option<HeaderValue> = None;
    let mut outcome = first;
    let answer = loop {
        // Phase 4: classify. The resend decided on, and what stands when
        // it cannot be sent.
        let (reason, stands) = match outcome {
            Err(error) if classify::refused(&error) && budget.may_resend_refused() => {
                (Resend::Refused, Err(error))
            }
            Err(error) => return Err(error),
            Ok((span, response, permit)) => {
                let (response, backpressure) = classify::classify(response)
                    .instrument(span.clone())
                    .await?;
                backpressure::report(gate, permit, backpressure.is_some());
                match backpressure {
                    // Phase 5: wait, or stop.
                    Some(reason) => {
                        let retry_after = super::retry::retry_after(response.headers());
                        let Some(delay) =
                            policy.wait_before_retry(&budget, timer, reason, retry_after, &span)
                        else {
                            break response;
                        };
                        // Read the (small) body so the connection is free
                        // while we wait; the response is kept in case no
                        // retry can be made after all.
                        let (kept, _) = classify::buffer(response).await?;
                        timer.sleep(delay).await;
                        (Resend::Backpressure, Ok((span, kept)))
                    }
                    // Phase 5: renew, once.
                    None if response.status() == StatusCode::UNAUTHORIZED && renewed.is_none() => {
                        match requests.renew().await {
                            Some(credential) => {
                                renewed = Some(credential);
                                (Resend::Renewal, Ok((span, response)))
                            }
                            None => break response,
                        }
                    }
                    None => break response,
                }
            }
        };
        let attempt = match reason {
            Resend::Renewal => {
                budget = Budget::after_first(policy, timer.now());
                Attempt { number: 1, reason }
            }
            reason => budget.next(reason),
        };
        // Phase 3: send again, built only now so that it carries the
        // current credential.
        let Some(request) = requests.request(attempt) else {
            match stands {
                Err(error) => return Err(error),
                Ok((span, kept)) => {
                    span.in_scope(|| {
                        tracing::debug!(
                            resend = ?reason,
                            "the request cannot be repeated; the last answer stands"
                        )
                    });
                    break kept;
                }
            }
        };
        if reason == Resend::Refused {
            tracing::debug!(
                attempt = attempt.number,
                "the server refused the request unprocessed; sending it again"
            );
        }
        drop(stands);
        outcome = send::attempt(client, request, attempt.number, gate).await;
    };
    if let Some(credential) = &renewed
        && renew::credential_accepted(answer.status())
    {
        // The renewed credential worked: its own 401, later, is its
        // expiry rather than a refusal of every fresh token.
        requests.accepted(credential);
    }
    Ok(answer)
}
