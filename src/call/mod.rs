//! The call pipeline: everything between a generated `send()` and its
//! `Result`, in the order a request meets it.
//!
//! 1. **URL** (`url.rs`): the generated code builds the request's URL from
//!    the client's base URL, parsed once, and the operation's path; a body
//!    the contract does not require is `{}` (`body.rs`).
//! 2. **Credential** (`credential.rs`, progenitor's `pre` hook): the
//!    default tenant is filled in where the operation takes one, then the
//!    credential is attached (a token, a cookie, a fixed header; from
//!    `src/auth/`).
//! 3. **Send** (`send.rs`, progenitor's `exec` hook): a [`template`] of the
//!    request is kept for a resend, the attempt takes a permit of the
//!    [`backpressure`] gate and is handed to reqwest in its
//!    `camunda8.http` span; when the permit finds many of the client's
//!    requests out, it first yields to the runtime once (`pause.rs`). A
//!    resend is rebuilt from the template here too.
//! 4. **Classify** (`classify.rs`): what the answer says: done, refused
//!    unprocessed (HTTP/2 `REFUSED_STREAM`), backpressure (429, 503,
//!    `RESOURCE_EXHAUSTED`), or a rejected credential (401).
//! 5. **Retry or renew**: backpressure waits a jittered back-off and sends
//!    again ([`retry`]); a refused request is sent again at once; a 401 is
//!    sent again once with a renewed credential (`renew.rs`). Each goes
//!    back to step 3 with a new attempt, never up the list.
//! 6. **Error body** (`error_body.rs`): a 4xx/5xx body is read once, kept
//!    for the error, and given back to progenitor.
//! 7. **Decode or map the error**: a JSON answer is decoded (`decode.rs`;
//!    other bodies as text, [`text`]); a failure becomes
//!    [`ApiError`](crate::ApiError) (`error.rs`) from what the phases wrote
//!    in the call's record (`record.rs`), every body redacted
//!    (`src/redact.rs`).
//!
//! Steps 3 to 5 run in one loop, `attempts.rs`: `attempts::send` is the
//! `exec` hook (the first attempt, written by hand for the common answer),
//! and `attempts::attempts` calls classify, retry or renew, and send, in
//! that order, until an answer stands. `stats.rs` counts the
//! resends ([`CallStats`](crate::CallStats)). [`hooks`] holds the
//! state every generated client carries and progenitor's hooks, which hand
//! each request to steps 2 and 3.

pub(crate) mod attempts;
pub mod backpressure;
pub(crate) mod body;
pub(crate) mod classify;
pub(crate) mod credential;
pub(crate) mod decode;
mod error;
mod error_body;
pub mod hooks;
pub(crate) mod pause;
pub(crate) mod record;
mod renew;
pub mod retry;
mod send;
pub(crate) mod stats;
pub(crate) mod template;
pub mod text;
pub(crate) mod url;

use std::future::Future;

use futures::FutureExt as _;
use futures::future::Either;
use progenitor_client::{Error as ProgenitorError, ResponseValue};

use crate::api_error::ApiError;

/// Runs one call's request code (progenitor's `send`, which goes through
/// the phases above) with a call record, mapping its error to
/// [`ApiError`]. `secret_paths`: where the operation's contract has secret
/// values (see `src/redact.rs`). Every generated `send()` is this (build
/// step `own_error_type`, `codegen/post/error_type.rs`).
///
/// Built from combinators rather than as an `async fn`: an `async` wrapper
/// keeps its argument (the whole request future) once as a captured value
/// and again as the future it awaits, which made every call's future
/// several times larger than the request code it runs, and costlier to move
/// and to keep in cache. Here the request future is stored once.
pub(crate) fn run<T, E, F>(
    secret_paths: &'static [&'static str],
    call: F,
) -> impl Future<Output = Result<ResponseValue<T>, ApiError<E>>>
where
    F: Future<Output = Result<ResponseValue<T>, ProgenitorError<E>>>,
{
    record::recorded(call).then(move |(result, record)| match result {
        Ok(value) => Either::Left(std::future::ready(Ok(value))),
        // The error path (reading a body, redacting it) is boxed: its
        // future would otherwise add to every call's.
        Err(error) => Either::Right(Box::pin(async move {
            Err(error::convert(error, record.unwrap_or_default(), secret_paths).await)
        })),
    })
}
