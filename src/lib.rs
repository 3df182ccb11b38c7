//! Typed async clients for Camunda 8.
#![warn(missing_docs)]

pub mod auth;
mod error;
pub mod hooks;
mod secret;
mod secret_wire;
pub mod text;

#[cfg(feature = "admin")]
pub mod admin;
#[cfg(feature = "operate")]
pub mod operate;
#[cfg(feature = "zeebe")]
pub mod zeebe;

pub use error::{Error, Result};
pub use secret::Secret;
