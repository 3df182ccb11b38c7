//! The call path: what a generated call sends (headers, bodies, URLs per
//! operation), how answers and errors come back, and retries, resends
//! after a 401, refused HTTP/2 streams, the call future and its spans.
//!
//! One test binary for the area; each module below is the file of one
//! concern, in tests/call/. `retry` installs this binary's global tracing
//! subscriber (once); `span_levels` uses thread-local ones on top of it.

mod support;

mod call {
    mod accept;
    mod api_errors;
    mod call_future;
    mod facade;
    mod operation_servers;
    mod optional_bodies;
    mod pause;
    mod refused;
    mod resend;
    mod responses;
    mod retry;
    mod span_levels;
    mod wire;
}
