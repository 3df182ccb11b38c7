//! Typed async clients for Camunda 8: the SaaS Administration API, the Zeebe
//! REST API (8.6) and the Operate REST API (8.6).
//!
//! Where things are:
//! - [`admin`], [`zeebe`], [`operate`]: the clients progenitor generates from
//!   the contracts in `openapi/` at build time (a formatted copy is
//!   committed under `generated/` for review);
//! - [`Camunda`]: the entry point that builds all three from one
//!   [`Config`], sharing one connection pool and one token cache;
//! - [`auth`]: OAuth2 tokens (fetched, cached, refreshed), cookie login;
//! - [`hooks`]: where a request gets its credential and is retried;
//! - [`urls`]: how base URLs are built from region and cluster id.
#![warn(missing_docs)]

pub mod auth;
pub mod backpressure;
mod client;
pub mod config;
mod error;
pub mod hooks;
mod problem;
pub mod retry;
mod secret;
mod secret_wire;
pub mod text;
pub mod tls;
pub mod urls;
#[cfg(feature = "orchestration")]
pub mod worker;

#[cfg(feature = "admin")]
pub mod admin;
#[cfg(feature = "operate")]
pub mod operate;
#[cfg(feature = "orchestration")]
pub mod orchestration;
#[cfg(feature = "zeebe")]
pub mod zeebe;

pub use client::Camunda;
pub use config::{ApiSettings, AuthMethod, AuthStrategy, Config, ResolvedConfig};
pub use error::{Error, Result};
pub use retry::RetryPolicy;
pub use secret::Secret;

/// progenitor's error and response types, as returned by every API call.
pub use progenitor_client::{Error as ApiError, ResponseValue};
