//! The wall clock the token cache reads to decide whether a token has expired.
//!
//! Token lifetimes are wall-clock facts (a JWT's `exp` is a Unix time), so the
//! cache compares them with [`Clock::now`]. Waiting (retry back-off,
//! `Retry-After`) uses `tokio::time`, so tests drive expiry with a manual
//! [`Clock`] and make sleeps instant with `tokio::time::pause`.

use std::fmt::Debug;
use std::time::SystemTime;

/// A source of the current wall-clock time. Inject one through
/// [`TokenCacheBuilder::clock`](crate::auth::TokenCacheBuilder::clock) to test
/// expiry and refresh deterministically.
pub trait Clock: Send + Sync + Debug {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// The operating system's clock ([`SystemTime::now`]); the default.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}
