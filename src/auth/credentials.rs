//! What identifies one OAuth2 client-credentials token: the data shared by the
//! configuration (which produces it) and the token cache (which consumes it).

use crate::Secret;

/// How the token request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TokenBodyFormat {
    /// `application/x-www-form-urlencoded`, as RFC 6749 specifies (the default).
    #[default]
    Form,
    /// `application/json`, as Camunda's Console documentation shows.
    Json,
}

/// OAuth2 client credentials for one audience (RFC 6749 §4.4).
///
/// The cache key of a token is (token URL, client id, audience, scope): two
/// values that differ in any of these never share a token.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ClientCredentials {
    /// The token endpoint, e.g. `https://login.cloud.camunda.io/oauth/token`.
    pub token_url: url::Url,
    /// The OAuth2 client id.
    pub client_id: String,
    /// The OAuth2 client secret (prints as `[censored]`).
    pub client_secret: Secret,
    /// The audience the token is for, e.g. `zeebe.camunda.io`.
    pub audience: String,
    /// Optional scope.
    pub scope: Option<String>,
    /// Form (default) or JSON request body.
    pub body_format: TokenBodyFormat,
}

impl std::fmt::Debug for ClientCredentials {
    /// The secret prints as `[censored]`, the token URL without user-info,
    /// query or fragment.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &crate::redact::RedactedUrl(&self.token_url))
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("audience", &self.audience)
            .field("scope", &self.scope)
            .field("body_format", &self.body_format)
            .finish()
    }
}
