//! Shared test harnesses. Each test binary uses only some of them.

pub mod log_capture;
pub mod oauth2_server;
pub mod prism;
pub mod retries;
pub mod spec;
pub mod token_fixtures;
