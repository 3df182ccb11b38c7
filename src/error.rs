//! The crate's error type for configuration and authentication.
//!
//! API calls return [`crate::ApiError`]; everything that happens before or
//! around them (reading the configuration, fetching a token, logging in)
//! fails with [`Error`], and an `ApiError` converts into [`Error`] with `?`
//! (an authentication failure back into its own variant, anything else into
//! [`Error::Api`]). No variant ever carries a secret: values quoted in
//! messages are the non-sensitive ones (a region, a URL, a variable name),
//! token-endpoint bodies are described by their shape only, and API response
//! bodies are redacted (`src/redact.rs`).

use std::time::Duration;

/// Configuration and authentication errors.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // ----- configuration -------------------------------------------------
    /// A required setting is missing.
    #[error("missing setting: {what} (set {variables})")]
    MissingSetting {
        /// What is missing, in words.
        what: &'static str,
        /// The environment variables (or builder methods) that provide it.
        variables: &'static str,
    },

    /// Settings that cannot be used together, or an incomplete pair.
    #[error("conflicting settings: {message}")]
    ConflictingSettings {
        /// Which settings conflict, naming the variables.
        message: String,
    },

    /// A setting has a value that cannot be used.
    #[error("invalid value {value:?} for {setting}: {reason}")]
    InvalidValue {
        /// The variable or builder method.
        setting: String,
        /// The offending value (never a secret).
        value: String,
        /// Why it was refused.
        reason: String,
    },

    /// A plain-http URL where https is required, without the explicit opt-in.
    #[error(
        "refusing plain http for {setting} ({url}): use https or opt in to insecure http explicitly"
    )]
    InsecureUrl {
        /// The variable or builder method.
        setting: String,
        /// The URL (never contains credentials: they are stripped).
        url: String,
    },

    /// A certificate or key file could not be read or parsed.
    #[error("TLS material {path}: {reason}")]
    Tls {
        /// The file.
        path: String,
        /// What went wrong.
        reason: String,
    },

    /// The HTTP client could not be built.
    #[error("could not build the HTTP client: {reason}")]
    HttpClient {
        /// What went wrong.
        reason: String,
    },

    // ----- authentication ------------------------------------------------
    /// The token endpoint could not be reached, timed out or answered 5xx/429,
    /// and retries were exhausted. Transient: a later attempt may succeed.
    #[error("token endpoint {url} unavailable after {attempts} attempt(s): {reason}")]
    TokenUnavailable {
        /// The token endpoint.
        url: String,
        /// How many requests were made.
        attempts: u32,
        /// The last failure (status or connection error).
        reason: String,
        /// The Retry-After the server asked for, if any.
        retry_after: Option<Duration>,
    },

    /// The authorization server refused the credentials (HTTP 400/401 with an
    /// OAuth2 error such as `invalid_client`). Permanent: not retried, and
    /// remembered for a while so that a misconfigured client does not get
    /// locked out by the auth service's rate limit.
    #[error("token request to {url} rejected (HTTP {status}): {error}{}", description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    TokenRejected {
        /// The token endpoint.
        url: String,
        /// HTTP status.
        status: u16,
        /// The OAuth2 error code (`invalid_client`, `unauthorized_client`, …).
        error: String,
        /// The server's error description, cut short.
        description: Option<String>,
    },

    /// The token endpoint answered, but not with a usable token: malformed
    /// JSON, no `access_token`, a `token_type` other than Bearer.
    #[error("invalid token response from {url} (HTTP {status}): {reason}; body: {excerpt}")]
    TokenResponseInvalid {
        /// The token endpoint.
        url: String,
        /// HTTP status.
        status: u16,
        /// What is wrong with it.
        reason: String,
        /// The shape of the body, quoting no value: its JSON field names and
        /// value kinds (`{"accessToken": string, "tokenType": string}`), or
        /// its size when it is not JSON.
        excerpt: String,
    },

    /// Operate's cookie login failed.
    #[error("login to {url} failed: {reason}")]
    LoginFailed {
        /// The login endpoint.
        url: String,
        /// HTTP status or connection error.
        reason: String,
    },

    // ----- API calls -----------------------------------------------------
    /// An API call failed for a reason other than authentication (which
    /// converts to its own variant): see [`crate::ApiError`]. This is what
    /// `?` makes of an `ApiError` in a function returning [`Error`]; the
    /// typed problem body is dropped, the server's message and the redacted
    /// body are kept.
    #[error(transparent)]
    Api(Box<crate::ApiError>),

    /// A search stream stopped for a reason of its own (the server repeated
    /// a cursor, more items matched than a cap allowed): see
    /// [`crate::search::SearchError`]. A failed call of a search converts to
    /// [`Error::Api`] (or its authentication variant) instead, so this never
    /// holds [`crate::search::SearchError::Api`].
    #[error(transparent)]
    Search(Box<crate::search::SearchError>),
}

impl Error {
    /// Whether retrying later may succeed (the auth server was unavailable),
    /// as opposed to a permanent problem (bad credentials, bad configuration).
    pub fn is_transient(&self) -> bool {
        match self {
            Error::TokenUnavailable { .. } => true,
            Error::LoginFailed { .. } => false,
            Error::TokenResponseInvalid { status, .. } => *status >= 500,
            Error::Api(error) => error.is_transient(),
            _ => false,
        }
    }
}

/// Short alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How much of a refused value an error quotes.
const MAX_QUOTED: usize = 80;

/// Cuts a value for quoting in an error ([`Error::InvalidValue`],
/// [`Error::InsecureUrl`]): a pasted blob stays one readable line.
pub(crate) fn quote(value: &str) -> String {
    if value.chars().count() <= MAX_QUOTED {
        value.to_owned()
    } else {
        let mut cut: String = value.chars().take(MAX_QUOTED).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_cuts_long_values() {
        let long = "x".repeat(200);
        assert_eq!(quote(&long).chars().count(), MAX_QUOTED + 1);
        assert_eq!(quote("short"), "short");
    }
}
