//! An OAuth2 access token and the rules that give it an expiry time.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use http::HeaderValue;

use crate::Secret;

/// Lifetime assumed for a token that states none: not a JWT with `exp` and no
/// `expires_in` in the response. Short on purpose: a guess must not outlive
/// the real token by much.
pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(60);

/// A bearer access token and the time it stops being usable.
///
/// Cloning is cheap (the value is shared). `Debug` never shows the token.
/// Two tokens are equal when their values are equal.
#[derive(Clone)]
pub struct AccessToken {
    inner: Arc<Inner>,
}

struct Inner {
    secret: Secret,
    header: HeaderValue,
    expires_at: SystemTime,
}

impl AccessToken {
    /// A token with a known expiry. Fails if the value cannot be sent in an
    /// HTTP header (control characters, non-ASCII); the message never
    /// contains the value.
    pub fn new(secret: Secret, expires_at: SystemTime) -> Result<Self, InvalidTokenValue> {
        let mut header = HeaderValue::try_from(format!("Bearer {}", secret.expose()))
            .map_err(|_| InvalidTokenValue)?;
        header.set_sensitive(true);
        Ok(Self {
            inner: Arc::new(Inner {
                secret,
                header,
                expires_at,
            }),
        })
    }

    /// An equal token in an allocation of its own, header bytes included:
    /// clones and drops of it touch no memory that clones of `self` touch
    /// (a thread's view of a slot, `src/auth/view.rs`).
    pub(crate) fn own_copy(&self) -> Self {
        let header = match HeaderValue::from_bytes(self.inner.header.as_bytes()) {
            Ok(mut header) => {
                header.set_sensitive(true);
                header
            }
            // (cannot happen: the bytes were a header value already)
            Err(_) => self.inner.header.clone(),
        };
        Self {
            inner: Arc::new(Inner {
                secret: self.inner.secret.clone(),
                header,
                expires_at: self.inner.expires_at,
            }),
        }
    }

    /// Whether `self` and `other` are clones of one token (not copies).
    #[cfg(test)]
    pub(crate) fn shares_allocation_with(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// When the token stops being valid (the earlier of its JWT `exp` claim
    /// and the fetch time plus `expires_in`).
    pub fn expires_at(&self) -> SystemTime {
        self.inner.expires_at
    }

    /// The `Authorization` header value, `Bearer <token>`, marked sensitive so
    /// that HTTP libraries do not log it.
    pub fn header_value(&self) -> HeaderValue {
        self.inner.header.clone()
    }

    /// Whether `header` is this token's `Authorization` header value.
    pub(crate) fn is_sent_as(&self, header: &HeaderValue) -> bool {
        self.inner.header == *header
    }

    /// The token itself (prints as `[censored]`; [`Secret::expose`] gives the
    /// value).
    pub fn secret(&self) -> &Secret {
        &self.inner.secret
    }

    /// The same token with another expiry time.
    pub(crate) fn with_expiry(&self, expires_at: SystemTime) -> Self {
        Self {
            inner: Arc::new(Inner {
                secret: self.inner.secret.clone(),
                header: self.inner.header.clone(),
                expires_at,
            }),
        }
    }

    /// Whether the token is still valid at `now`.
    pub(crate) fn is_valid_at(&self, now: SystemTime) -> bool {
        now < self.inner.expires_at
    }
}

impl PartialEq for AccessToken {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner) || self.inner.secret == other.inner.secret
    }
}

impl Eq for AccessToken {}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("token", &self.inner.secret)
            .field("expires_at", &self.inner.expires_at)
            .finish()
    }
}

/// The token value cannot be used in an HTTP header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidTokenValue;

impl fmt::Display for InvalidTokenValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the access token contains characters not allowed in an HTTP header")
    }
}

impl std::error::Error for InvalidTokenValue {}

/// Reads the `exp` claim of a JWT without verifying its signature (the cache
/// only needs to know when to stop using the token; the API checks the
/// signature). `None` if the value is not a JWT or has no numeric `exp`.
pub fn jwt_expiry(token: &str) -> Option<SystemTime> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.get("exp")?.as_f64()?;
    if !exp.is_finite() || exp < 0.0 {
        return None;
    }
    SystemTime::UNIX_EPOCH.checked_add(Duration::try_from_secs_f64(exp).ok()?)
}

/// The expiry of a token fetched at `fetched_at`: the earlier of the JWT
/// `exp` claim and `fetched_at + expires_in`; [`DEFAULT_LIFETIME`] if neither
/// is known. A JWT `exp` that is not after `fetched_at` (clock skew between us
/// and the issuer) is ignored rather than producing a token that is expired
/// on arrival and would be re-fetched on every call.
pub fn expiry(token: &str, fetched_at: SystemTime, expires_in: Option<Duration>) -> SystemTime {
    let from_jwt = jwt_expiry(token).filter(|exp| *exp > fetched_at);
    if jwt_expiry(token).is_some() && from_jwt.is_none() {
        tracing::warn!("the token's exp claim is not in the future; ignoring it (clock skew?)");
    }
    let from_response = expires_in.and_then(|d| fetched_at.checked_add(d));
    match (from_jwt, from_response) {
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (None, None) => fetched_at + DEFAULT_LIFETIME,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &str) -> String {
        let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!("{}.{}.sig", e.encode(r#"{"alg":"none"}"#), e.encode(claims))
    }

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn reads_exp_claim() {
        assert_eq!(
            jwt_expiry(&jwt(r#"{"exp":1700000000}"#)),
            Some(at(1_700_000_000))
        );
        assert_eq!(
            jwt_expiry(&jwt(r#"{"exp":1700000000.5}"#)).map(|t| t > at(1_700_000_000)),
            Some(true)
        );
        assert_eq!(jwt_expiry(&jwt(r#"{"sub":"x"}"#)), None);
        assert_eq!(jwt_expiry(&jwt(r#"{"exp":"soon"}"#)), None);
        assert_eq!(jwt_expiry("opaque-token"), None);
        assert_eq!(jwt_expiry("a.b.c.d"), None);
        assert_eq!(jwt_expiry("a.!!!.c"), None);
    }

    #[test]
    fn expiry_is_the_earlier_of_exp_and_expires_in() {
        let t = jwt(r#"{"exp":1000100}"#);
        let fetched = at(1_000_000);
        assert_eq!(
            expiry(&t, fetched, Some(Duration::from_secs(300))),
            at(1_000_100)
        );
        assert_eq!(
            expiry(&t, fetched, Some(Duration::from_secs(50))),
            at(1_000_050)
        );
        assert_eq!(expiry(&t, fetched, None), at(1_000_100));
        assert_eq!(expiry("opaque", fetched, None), fetched + DEFAULT_LIFETIME);
        assert_eq!(
            expiry("opaque", fetched, Some(Duration::from_secs(7))),
            at(1_000_007)
        );
        // exp in the past (skew): ignored
        let stale = jwt(r#"{"exp":999}"#);
        assert_eq!(
            expiry(&stale, fetched, Some(Duration::from_secs(30))),
            at(1_000_030)
        );
    }

    #[test]
    fn debug_and_header_hide_the_value() {
        let t = AccessToken::new(Secret::new("tok-123"), at(5)).unwrap();
        let dbg = format!("{t:?}");
        assert!(!dbg.contains("tok-123"), "{dbg}");
        assert!(dbg.contains("[censored]"));
        let h = t.header_value();
        assert!(h.is_sensitive());
        assert_eq!(h.to_str().unwrap(), "Bearer tok-123");
        assert!(!format!("{h:?}").contains("tok-123"));
        assert_eq!(t.secret().expose(), "tok-123");
        assert!(AccessToken::new(Secret::new("bad\nvalue"), at(5)).is_err());
    }
}
