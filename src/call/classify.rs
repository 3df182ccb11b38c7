//! Phase 4: what an attempt's outcome says, so that the attempt loop
//! (`attempts.rs`) knows whether the answer stands or the request goes out
//! again: refused unprocessed (sent again at once), backpressure (sent
//! again after a wait, `retry.rs`), or, for a 401, a rejected credential
//! (`renew.rs` decides whether it can be renewed).
//!
//! # Backpressure
//!
//! Only answers that say "not now, try again later" count (the exact list
//! is in [`crate::retry`]): a 429, a 500 or 503 whose body mentions
//! `RESOURCE_EXHAUSTED`, a 503 with `Retry-After`. For a 500 or 503 the
//! body is read to look, and the response rebuilt around it.
//!
//! # Refused requests
//!
//! Requests a server refused before processing them are safe to send
//! again whatever their method.
//!
//! An HTTP/2 server that resets a stream with `REFUSED_STREAM`, or that
//! closes the connection with a graceful `GOAWAY` (code `NO_ERROR`) before
//! it took a stream on, states that it did nothing with the request
//! (RFC 9113, section 8.7). A load balancer recycling its connections does
//! this routinely. reqwest resends such requests by cloning every request
//! before it is sent; the clients this crate builds turn that off, because
//! each call already keeps its request's template for backpressure retries
//! (`template.rs`, which copies no URL and, for up to four
//! headers, no header map) and resends refused requests from it
//! ([`MAX_RESENDS`] times per call), so a call that is not refused pays
//! for no copy of its request.
//!
//! HTTP/1.1 has no such signal (hyper already resends a request that a
//! reused connection closed before taking it); without the `http2` feature
//! nothing is ever classed as refused.

use bytes::Bytes;

use crate::bytes_find::contains;

/// How many times one call resends refused requests (reqwest's default too).
pub(crate) const MAX_RESENDS: u32 = 2;

/// Whether `error` says the server refused the request unprocessed.
#[cfg(feature = "http2")]
pub(crate) fn refused(error: &reqwest::Error) -> bool {
    let mut cause = std::error::Error::source(error);
    while let Some(error) = cause {
        if let Some(h2) = error.downcast_ref::<h2::Error>() {
            return h2.reason() == Some(h2::Reason::REFUSED_STREAM)
                || (h2.is_go_away()
                    && h2.is_remote()
                    && h2.reason() == Some(h2::Reason::NO_ERROR));
        }
        cause = error.source();
    }
    false
}

/// Whether `error` says the server refused the request unprocessed: never,
/// without HTTP/2.
#[cfg(not(feature = "http2"))]
pub(crate) fn refused(_error: &reqwest::Error) -> bool {
    false
}

/// The retry setting of the clients this crate builds: reqwest's own
/// resending off, so that it does not copy every request (see the module
/// documentation).
pub(crate) fn reqwest_retry_off() -> reqwest::retry::Builder {
    reqwest::retry::never().max_retries_per_request(0)
}

/// Why a response counts as backpressure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backpressure {
    TooManyRequests,
    Unavailable,
    ResourceExhausted,
    UnavailableExhausted,
}

impl Backpressure {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Backpressure::TooManyRequests => "429 Too Many Requests",
            Backpressure::Unavailable => "503 Service Unavailable with Retry-After",
            Backpressure::ResourceExhausted => "500 RESOURCE_EXHAUSTED",
            Backpressure::UnavailableExhausted => "503 RESOURCE_EXHAUSTED",
        }
    }
}

/// Whether a status may be backpressure (a 500 or 503 only with the signs
/// [`classify`] looks for).
pub(super) fn may_be_backpressure(response: &reqwest::Response) -> bool {
    matches!(response.status().as_u16(), 429 | 500 | 503)
}

/// Whether the response is backpressure. For a 500 or 503 the body is read
/// and the response rebuilt around it.
pub(super) async fn classify(
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
pub(super) async fn buffer(
    response: reqwest::Response,
) -> reqwest::Result<(reqwest::Response, Bytes)> {
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
