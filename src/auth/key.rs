//! What makes two token requests interchangeable: the cache key.

use sha2::{Digest as _, Sha256};

use super::credentials::ClientCredentials;

/// (token URL, client id, audience, scope): tokens for different keys are
/// never shared or overwritten. The secret and body format are not part of
/// the key (they do not change what token is issued).
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) struct CacheKey {
    pub(crate) token_url: String,
    pub(crate) client_id: String,
    pub(crate) audience: String,
    pub(crate) scope: Option<String>,
    /// The token URL without credentials, for logs.
    pub(crate) shown_url: String,
}

impl std::fmt::Debug for CacheKey {
    /// The token URL prints without user-info, query or fragment.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CacheKey")
            .field("token_url", &self.shown_url)
            .field("client_id", &self.client_id)
            .field("audience", &self.audience)
            .field("scope", &self.scope)
            .finish()
    }
}

impl CacheKey {
    pub(crate) fn new(credentials: &ClientCredentials) -> Self {
        Self {
            token_url: credentials.token_url.to_string(),
            client_id: credentials.client_id.clone(),
            audience: credentials.audience.clone(),
            scope: credentials.scope.clone(),
            shown_url: crate::redact::redact_url(&credentials.token_url),
        }
    }

    /// Hex SHA-256 of an unambiguous encoding of the key (a JSON array), used
    /// as the disk cache file name.
    pub(crate) fn digest(&self) -> String {
        let encoded =
            serde_json::json!([self.token_url, self.client_id, self.audience, self.scope])
                .to_string();
        let hash = Sha256::digest(encoded.as_bytes());
        hash.iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::TokenBodyFormat;

    fn creds(audience: &str, scope: Option<&str>) -> ClientCredentials {
        ClientCredentials {
            token_url: "https://login.example/oauth/token".parse().unwrap(),
            client_id: "id".into(),
            client_secret: "s".into(),
            audience: audience.into(),
            scope: scope.map(str::to_owned),
            body_format: TokenBodyFormat::Form,
        }
    }

    #[test]
    fn digest_differs_per_key_and_is_hex() {
        let a = CacheKey::new(&creds("zeebe", None)).digest();
        let b = CacheKey::new(&creds("operate", None)).digest();
        let c = CacheKey::new(&creds("zeebe", Some(""))).digest();
        assert_eq!(a.len(), 64);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a, CacheKey::new(&creds("zeebe", None)).digest());
    }
}
