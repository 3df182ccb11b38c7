//! Authentication: OAuth2 client-credentials tokens (fetched, cached,
//! refreshed) and the other strategies Camunda supports.
//!
//! The token layer: a [`TokenCache`] hands out one [`TokenSource`] per
//! [`ClientCredentials`] key; [`TokenSource::token`] returns an
//! [`AccessToken`]. Background refreshes are started by calls that find the
//! token inside its refresh window (no timer per key), and waits between
//! retries use `tokio::time`, so tests can drive time with a manual
//! [`Clock`] and `tokio::time::pause`.
//!
//! ```no_run
//! use camunda8::auth::{ClientCredentials, TokenBodyFormat, TokenCache};
//!
//! # async fn run() -> Result<(), camunda8::Error> {
//! let cache = TokenCache::builder().build()?;
//! let zeebe = cache.source(ClientCredentials {
//!     token_url: "https://login.cloud.camunda.io/oauth/token".parse().expect("URL"),
//!     client_id: "my-client".into(),
//!     client_secret: "my-secret".into(),
//!     audience: "zeebe.camunda.io".into(),
//!     scope: None,
//!     body_format: TokenBodyFormat::Form,
//! });
//! let token = zeebe.token().await?;
//! let header = token.header_value(); // "Bearer …", marked sensitive
//! # let _ = header;
//! // after an API answered 401 to a request carrying `token`:
//! if let Some(new) = zeebe.refresh_after_rejection(&token).await? {
//!     // retry the API call once with `new`; if the API accepts it, say so
//!     // (its own 401, later, is then renewed as an expiry):
//!     zeebe.accepted(&new);
//! }
//! # Ok(())
//! # }
//! ```

mod builder;
mod cache;
mod clock;
mod cookie;
mod credentials;
mod disk;
mod exchange;
mod http;
mod key;
mod redact;
mod retry;
mod schedule;
mod source;
mod stats;
mod strategy;
mod striped;
mod token;
mod view;

pub use builder::{
    DEFAULT_FAILURE_MEMORY, DEFAULT_MIN_LIFETIME, DEFAULT_REFRESH_BUFFER,
    DEFAULT_TRANSIENT_FAILURE_MEMORY, TokenCacheBuilder, disk_cache_dir_from_vars,
};
pub use cache::TokenCache;
pub use clock::{Clock, SystemClock};
pub use cookie::CookieSession;
pub use credentials::{ClientCredentials, TokenBodyFormat};
#[allow(deprecated)]
pub use http::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT};
pub use source::TokenSource;
pub use stats::{AudienceStats, TokenStats};
pub(crate) use strategy::{Attached, Authenticator};
pub use token::{AccessToken, DEFAULT_LIFETIME, InvalidTokenValue, jwt_expiry};
