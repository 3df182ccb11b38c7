//! Shared test harnesses. Each test binary uses only some of them.

pub mod oauth2_server;
pub mod token_fixtures;
