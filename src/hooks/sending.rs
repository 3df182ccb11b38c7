//! One request of a call on its way: the `exec` hook's future.
//!
//! Nearly every request is sent once and answered with a success: no
//! backpressure, no 401, no error body to read. For that path [`Sending`]
//! is written by hand and holds only what it needs: the request's template
//! (kept for a resend, `src/hooks/template.rs`), reqwest's pending request,
//! the attempt's span and gate permit. Everything else (resending a refused
//! request, backpressure retries, renewing a rejected credential, reading
//! an error body) is [`rest`], an `async fn` boxed only when the first
//! outcome needs it.
//!
//! Written as nested `async` functions (the call's span, the retry policy,
//! the attempt), the same path made a 1.3 KB future, mostly room for the
//! rare paths, built and moved layer by layer on every call: measured in
//! the client bench, that cost more time in copies and cache misses than
//! its instructions showed.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use progenitor_client::OperationInfo;
use reqwest::{Request, Response, StatusCode};

use super::{Inner, Template};
use crate::backpressure::{Gated, Permit};
use crate::call;
use crate::problem::read_error_body;
use crate::retry::{Sent, Start, Timer as _, TokioTimer};

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
    call::note_attempt(request.method());
    // The attempt's span is a child of the call's.
    let start = span.in_scope(|| crate::retry::start_attempt(client, request, 1, gate));
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
        } => Sending {
            span,
            first: Some(First {
                exchange,
                span: attempt_span,
                pending,
                permit,
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
                    call::note_response(response.status(), None);
                    return Ok(Ok(response));
                }
                Err(boxed_rest(exchange, Ok((span, response, permit))))
            }
            Err(error) if !crate::refused::refused(&error) => {
                drop(permit);
                call::note_sent(exchange.template.method(), error.url());
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
        let first =
            crate::retry::wait_and_send(exchange.client, span, request, exchange.gate).await;
        rest(exchange, first).await
    })
}

/// The exchange after its first attempt (`first`): refused requests sent
/// again, backpressure retried, a rejected credential renewed once, and the
/// record of the call written. Requests are sent again to the URL the first
/// answer or error came from, and only when that is the URL it was sent to
/// (not a redirect's target: `src/hooks/template.rs`).
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
        mut template,
    } = exchange;
    let state = &inner.0;
    let info = OperationInfo {
        operation_id: operation,
    };
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
    let sent = state
        .retry
        .after_first(
            client,
            &TokioTimer,
            gate,
            |attempt| {
                let url = url.as_ref()?;
                state.attempt(attempt, &template, url)
            },
            started,
            first,
        )
        .await;
    let sent = match (sent, &url) {
        (Ok(response), Some(url)) if response.status() == StatusCode::UNAUTHORIZED => {
            inner
                .retry_after_rejection(client, &mut template, url, response, &info)
                .await
        }
        (other, _) => other,
    };
    let response = match sent {
        Ok(response) => response,
        Err(error) => {
            call::note_sent(template.method(), error.url().or(answered_from.as_ref()));
            return Err(error);
        }
    };
    if response.status().is_success() {
        call::note_response(response.status(), None);
        return Ok(response);
    }
    call::note_sent(template.method(), answered_from.as_ref());
    let (response, error_body) = read_error_body(response).await?;
    call::note_response(response.status(), error_body);
    Ok(response)
}
