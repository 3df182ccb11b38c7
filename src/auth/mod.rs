//! Authentication: OAuth2 client-credentials tokens (fetched, cached,
//! refreshed) and the other strategies Camunda supports.

mod credentials;

pub use credentials::{ClientCredentials, TokenBodyFormat};
