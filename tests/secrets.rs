//! No secret (client secret, password, cookie, token, secret values in API
//! bodies) in `Display`, `Debug`, errors or logs.
//!
//! A binary of its own: these tests read the process-wide log
//! (`support::log_capture::exclusive`), which the tests of another area,
//! logging in parallel threads, would write into. Here every test holds
//! that lock, so each one reads only its own output.

mod support;

mod secrets {
    mod api_error_leaks;
    mod facade_secrets;
    mod token_secrets;
}
