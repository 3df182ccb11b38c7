//! Requests a server refused before processing them, which are safe to send
//! again whatever their method.
//!
//! An HTTP/2 server that resets a stream with `REFUSED_STREAM`, or that
//! closes the connection with a graceful `GOAWAY` (code `NO_ERROR`) before
//! it took a stream on, states that it did nothing with the request
//! (RFC 9113, section 8.7). A load balancer recycling its connections does
//! this routinely. reqwest resends such requests by cloning every request
//! before it is sent; the clients this crate builds turn that off, because
//! each call already keeps its request's template for backpressure retries
//! (`src/hooks/template.rs`, which copies no URL and, for up to four
//! headers, no header map) and resends refused requests from it
//! ([`MAX_RESENDS`] times per call), so a call that is not refused pays
//! for no copy of its request.
//!
//! HTTP/1.1 has no such signal (hyper already resends a request that a
//! reused connection closed before taking it); without the `http2` feature
//! nothing is ever classed as refused.

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
