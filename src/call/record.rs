//! The call record: what the phases saw during one call, for the error
//! the call may end with.
//!
//! progenitor's hooks can only fail with progenitor's own error (an
//! authentication failure would be a `Custom(String)`), and its error for a
//! response without a body type drops the body. So every generated `send()`
//! runs progenitor's request code inside [`run`](super::run), which opens a
//! **call record** for that one call: a tokio task-local value, so
//! concurrent calls never see each other's record. While the call runs, the
//! phases write to it:
//!
//! - the request's method and URL (the credential phase, before the
//!   credential; the attempt loop, when an answer or an error comes);
//! - the typed [`crate::Error`] when no credential could be obtained (the
//!   credential phase then returns progenitor's `Custom` error as a marker),
//!   or when a rejected one could not be renewed;
//! - one attempt per request sent (backpressure retries and the renewal
//!   after a 401 included);
//! - the final status and, for 4xx/5xx, the body (read by the error-body
//!   phase, which hands progenitor a response with the same bytes).
//!
//! When progenitor's code returns an error, [`run`](super::run) takes the
//! record and `error.rs` maps both to [`crate::ApiError`]. Outside a call
//! (the hooks of a client used without `send()`), recording is a no-op.

use std::cell::RefCell;
use std::future::Future;

use bytes::Bytes;
use futures::FutureExt as _;
use http::{Method, StatusCode};

tokio::task_local! {
    static CALL: RefCell<Record>;
}

/// What the phases saw during one call.
///
/// Kept small: tokio moves a task-local value into its thread-local slot
/// and back on every poll of the call, so what only a failing call needs
/// sits behind one box, allocated when it is first written.
#[derive(Debug, Default)]
pub(super) struct Record {
    /// The method of the request sent (a copy costs nothing for the
    /// standard methods).
    pub(super) method: Option<Method>,
    pub(super) attempts: u32,
    pub(super) status: Option<StatusCode>,
    pub(super) cold: Option<Box<Cold>>,
}

/// The parts of a call's record that only errors need.
#[derive(Debug, Default)]
pub(super) struct Cold {
    /// The request's URL (cleaned only if an error shows it).
    pub(super) url: Option<url::Url>,
    pub(super) auth: Option<crate::Error>,
    pub(super) error_body: Option<Bytes>,
}

impl Record {
    fn cold(&mut self) -> &mut Cold {
        self.cold.get_or_insert_with(Box::default)
    }
}

fn with(f: impl FnOnce(&mut Record)) {
    let _ = CALL.try_with(|record| f(&mut record.borrow_mut()));
}

/// Records the request of the current call (method and URL) for an error
/// that is coming: no credential, no answer, or an error status.
pub(crate) fn note_request(request: &reqwest::Request) {
    note_sent(request.method(), Some(request.url()));
}

/// Records the request of the current call from its parts: its method,
/// and the URL its answer or error came from (`None`: a request reqwest
/// did not send, which has none).
pub(crate) fn note_sent(method: &Method, url: Option<&url::Url>) {
    with(|r| {
        r.method = Some(method.clone());
        let cold = r.cold();
        if let Some(url) = url {
            cold.url = Some(url.clone());
        }
    });
}

/// Records the URL an answer came from, for an error about its body.
pub(crate) fn note_url(url: &url::Url) {
    with(|r| {
        let cold = r.cold();
        if cold.url.is_none() {
            cold.url = Some(url.clone());
        }
    });
}

/// Records that no credential could be obtained.
pub(crate) fn note_auth_failure(error: crate::Error) {
    with(|r| r.cold().auth = Some(error));
}

/// Records one request sent.
pub(crate) fn note_attempt(method: &Method) {
    with(|r| {
        r.attempts += 1;
        if r.method.is_none() {
            r.method = Some(method.clone());
        }
    });
}

/// Records the final status and, for an error status, the body.
pub(crate) fn note_response(status: StatusCode, error_body: Option<Bytes>) {
    with(|r| {
        r.status = Some(status);
        if let Some(body) = error_body {
            r.cold().error_body = Some(body);
        }
    });
}

/// `call` run with a fresh record; when it fails, the record too, taken
/// out while the task-local is still set (inside the scope's poll).
pub(super) fn recorded<T, E, F>(call: F) -> impl Future<Output = (Result<T, E>, Option<Record>)>
where
    F: Future<Output = Result<T, E>>,
{
    let recorded = call.map(|result| match result {
        Ok(value) => (Ok(value), None),
        Err(error) => (Err(error), Some(CALL.with(RefCell::take))),
    });
    CALL.scope(RefCell::new(Record::default()), recorded)
}
