//! Phase 3: one attempt sent: its request rebuilt from the call's template
//! (for a resend), a permit of the backpressure gate taken, and the request
//! handed to reqwest in its `camunda8.http` span (a first attempt that
//! finds the client busy yields once before reqwest polls it: `pause.rs`).
//!
//! Every attempt of a call goes through here, the first (from the `exec`
//! hook, `attempts.rs`) and each resend the attempt loop decides on.

use std::future::Future;

use futures::future::Either;
use reqwest::Request;
use tracing::Instrument;

use super::backpressure::{Gated, Permit};
use super::hooks::Inner;
use super::pause::Pause;
use super::record;
use super::retry::{Attempt, Resend};
use super::stats::CallCounters;
use super::template::Template;

/// An attempt answered: its span (the status recorded), the answer, and
/// the gate's permit if one is still held.
pub(super) type Sent<'g> = (tracing::Span, reqwest::Response, Option<Permit<'g>>);

/// The requests of one API call after its first: rebuilt from its template
/// to the URL the first was sent to (`None`: the request was redirected or
/// its body streamed, and is not sent again), each counted in the call's
/// record and, when it follows backpressure, in the client's counters.
pub(super) struct CallRequests<'a> {
    pub(super) inner: &'a Inner,
    pub(super) template: Template,
    pub(super) url: Option<url::Url>,
    pub(super) operation: &'static str,
}

impl CallRequests<'_> {
    /// The request for `attempt`; `None` when it cannot be sent again.
    pub(super) fn request(&self, attempt: Attempt) -> Option<Request> {
        let url = self.url.as_ref()?;
        let next = self.template.request(url.clone());
        if next.is_some() {
            record::note_attempt(self.template.method());
            if attempt.reason == Resend::Backpressure {
                CallCounters::bump(&self.inner.0.calls.backpressure_retries);
            }
        }
        next
    }
}

/// How an attempt began, without waiting ([`start_attempt`]).
pub(super) enum Start<'g, P> {
    /// A permit was free (or the request is not gated): the request is
    /// with reqwest, `pending` its answer.
    Sent {
        span: tracing::Span,
        pending: P,
        permit: Option<Permit<'g>>,
        /// Whether to yield once before `pending` is first polled (the
        /// permit found the client busy: `pause.rs`).
        pause: Pause,
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
pub(super) fn start_attempt<'a, 'g>(
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
    let pause = Pause::when(permit.as_ref().is_some_and(Permit::busy));
    let pending = client.execute(request);
    Start::Sent {
        span,
        pending,
        permit: admitted(permit, gate),
        pause,
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
pub(super) fn attempt<'a, 'g: 'a>(
    client: &'a reqwest::Client,
    request: reqwest::Request,
    attempt: u32,
    gate: Option<Gated<'g>>,
) -> impl Future<Output = reqwest::Result<Sent<'g>>> + 'a {
    match start_attempt(client, request, attempt, gate) {
        // (A resend does not yield: it follows a wait or a refusal.)
        Start::Sent {
            span,
            pending,
            permit,
            pause: _,
        } => Either::Left(answer(span, pending, permit)),
        Start::Wait { span, request } => {
            Either::Right(Box::pin(wait_and_send(client, span, *request, gate)))
        }
    }
}

/// An attempt the gate made wait ([`Start::Wait`]): sent once a permit is
/// free.
pub(super) async fn wait_and_send<'g>(
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
