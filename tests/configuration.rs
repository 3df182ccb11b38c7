//! Configuration: `Config` and its resolution (builder, environment
//! variables read through an injected map, files), the HTTP client it
//! builds, TLS material and the SaaS URLs.
//!
//! One test binary for the area; each module below is the file of one
//! concern, in tests/configuration/ (named so, not `config`, because
//! tests/config.rs was the former single file).

mod support;

mod configuration {
    mod config;
    mod http_client;
    mod tls;
    mod urls;
}
