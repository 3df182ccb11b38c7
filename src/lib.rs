//! Typed async clients for Camunda 8.
#![warn(missing_docs)]

mod error;
mod secret;

pub use error::{Error, Result};
pub use secret::Secret;
