//! Configuration: `Config` from variables (read from a map, never the
//! process environment) and builder methods, the user's own HTTP client,
//! TLS material from PEM files, and base URLs.
//!
//! One test binary for the area; each module below is the file of one
//! concern, in tests/configuration/.

mod support;

mod configuration {
    mod config;
    mod http_client;
    mod tls;
    mod urls;
}
