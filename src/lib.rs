//! Typed async clients for Camunda 8.
#![warn(missing_docs)]

pub mod auth;
mod error;
mod secret;

pub use error::{Error, Result};
pub use secret::Secret;
