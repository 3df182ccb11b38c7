//! Typed async clients for Camunda 8's REST APIs, led by the Orchestration
//! Cluster API (`/v2`, Camunda 8.8 to 8.10: deployments, process instances,
//! jobs and job workers, messages, signals, user tasks, incidents,
//! decisions, searches, identity, cluster), the API Camunda recommends for
//! clients. Beside it: the SaaS Administration API (clusters, API clients,
//! backups, members, …), and the Zeebe REST API (`/v1`, deprecated since
//! 8.6) and Operate REST API (`/v1`, 8.6 to 8.9) for clusters that still
//! serve them.
//!
//! Where things are:
//! - [`orchestration`], [`admin`], [`zeebe`], [`operate`]: the clients
//!   progenitor generates from the contracts in `openapi/` (the generator is
//!   `codegen/`; its output, committed under `generated/`, is what the
//!   build compiles), with hand-written additions (multipart deployment and
//!   documents, the default tenant, waiting for eventually consistent
//!   reads);
//! - [`worker`]: job workers on the Orchestration Cluster API;
//! - [`Camunda`]: the entry point that builds every client from one
//!   [`Config`], sharing one connection pool and one token cache;
//! - [`auth`]: OAuth2 tokens (fetched, cached, refreshed), cookie login;
//! - the call pipeline, `src/call/`: every API call's path from the
//!   generated `send()` to its result, one file per phase in the order a
//!   request meets them (listed in `src/call/mod.rs`). A request's URL is
//!   built in `src/call/url.rs`, from the client's base URL parsed once;
//!   its credential is attached in `src/call/credential.rs`; it is sent
//!   again in one loop, `src/call/attempts.rs`, after backpressure (the
//!   policy and its waits: [`retry`]; the adaptive gate: [`backpressure`]),
//!   after an HTTP/2 refusal, and once after a 401 with a renewed
//!   credential. Its public parts: [`hooks`] (the state every generated
//!   client carries), [`retry`], [`backpressure`], [`text`] (non-JSON
//!   bodies), [`CallStats`];
//! - [`urls`]: how the configured base URLs are built from region and
//!   cluster id (a request's URL is built in the call pipeline);
//! - [`search`]: every search of every API as a stream of items (or pages,
//!   or a capped `Vec`), following the API's own cursor;
//! - [`ApiError`]: the error of every API call, and [`Error`], the error of
//!   configuration and authentication (an `ApiError` converts into it with
//!   `?`).
//!
//! # Errors
//!
//! Every `send()` of every generated client fails with [`ApiError<E>`]
//! (`E`: the operation's typed problem body). A failure to authenticate
//! during a call is [`ApiError::Auth`] with the typed [`Error`]
//! (`TokenRejected`, `TokenUnavailable`, …), so there is no need to call
//! [`Camunda::authenticate`] first to tell a wrong client from an
//! unreachable auth server. A server's answer is [`ApiError::Response`]
//! with the status, the declared problem body, the server's message and the
//! body (redacted, a few KiB at most), the request's method and URL, and
//! the number of attempts made. No error, log line or `Debug` output
//! contains a secret.
//!
//! ```no_run
//! # async fn run() -> Result<(), camunda8::Error> {
//! let camunda = camunda8::Camunda::from_env()?;
//! let topology = camunda.orchestration()?.get_topology().send().await?; // ApiError -> Error
//! println!("{}", topology.gateway_version);
//! # Ok(()) }
//! ```
//!
//! So a function that reads the configuration, authenticates and calls
//! several APIs returns one error type, [`Result`], with `?` throughout: a
//! configuration or token failure is an [`Error`] already, an
//! [`ApiError<E>`] of any operation converts (the typed problem body is
//! dropped, its message kept), and so does a
//! [`SearchError<E>`](search::SearchError) of a search stream.
//!
//! ```no_run
//! use camunda8::Config;
//!
//! async fn overview() -> camunda8::Result<()> {
//!     let camunda = Config::from_env().build()?; // configuration: Error
//!     camunda.authenticate().await?; // tokens: Error
//!     let topology = camunda.zeebe()?.get_topology().send().await?; // ApiError<()>
//!     let first = camunda
//!         .operate()?
//!         .search_incidents()
//!         .send()
//!         .await?; // ApiError<operate::types::Error>
//!     let all = camunda
//!         .operate()?
//!         .search_incidents()
//!         .paginate()
//!         .collect_all(10_000)
//!         .await?; // SearchError<operate::types::Error>
//!     println!(
//!         "gateway {:?}: {} incidents ({} on the first page)",
//!         topology.gateway_version,
//!         all.len(),
//!         first.items.len()
//!     );
//!     Ok(())
//! }
//! ```
#![warn(missing_docs)]

mod api_error;
pub mod auth;
mod backoff;
mod bytes_find;
mod call;
mod client;
pub mod config;
mod error;
mod http_client;
mod optional;
mod own_line;
mod random;
mod redact;
pub mod search;
mod secret;
pub mod tls;
pub mod urls;
mod variables;
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

/// The README's examples, compiled as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

// The call pipeline's public parts, at the paths users know them by.
pub use call::stats::CallStats;
pub use call::text::RawBody;
pub use call::{backpressure, hooks, retry, text};

pub use api_error::{ApiError, RequestInfo};
pub use client::Camunda;
pub use config::{ApiSettings, AuthMethod, AuthStrategy, Config, ResolvedConfig, TokenSettings};
pub use error::{Error, Result};
pub use optional::IntoOptional;
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use variables::{IntoVariables, Variables, VariablesError};

/// progenitor's response type, as returned by every successful API call.
pub use progenitor_client::ResponseValue;

/// The date and time library of the generated types: date members, date
/// filters and date query parameters are `chrono::DateTime<chrono::Utc>`.
/// Re-exported so that a user names them (`camunda8::chrono::Utc::now()`)
/// with the version this crate was built with, without a dependency of
/// their own that must match it.
pub use chrono;

/// The JSON library of the generated types: free-form members (variables,
/// custom headers, custom properties) are [`Variables`], a
/// `serde_json::Map`, built from and read into `serde_json::Value`s.
/// Re-exported for the same reason as [`chrono`].
pub use serde_json;

/// The byte buffer type of binary answers: a `ByteStream` (document
/// contents, resource contents) yields `bytes::Bytes` chunks. Re-exported
/// for the same reason as [`chrono`].
pub use bytes;
