//! Authentication: OAuth2 client-credentials tokens (fetched, cached,
//! refreshed) and the other strategies Camunda supports.

mod cookie;
mod credentials;

pub use cookie::{CookieSession, WallClock};
pub use credentials::{ClientCredentials, TokenBodyFormat};
