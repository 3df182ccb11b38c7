//! Typed async clients for Camunda 8.
#![warn(missing_docs)]

pub mod auth;
pub mod config;
mod error;
pub mod retry;
mod secret;
pub mod tls;
pub mod urls;

pub use config::{ApiSettings, AuthMethod, AuthStrategy, Config, ResolvedConfig};
pub use error::{Error, Result};
pub use retry::RetryPolicy;
pub use secret::Secret;
