//! Which credential goes on a request, and what to do when the server
//! rejects it: one value per API, chosen by the configuration.

use std::time::Duration;

use http::{HeaderName, HeaderValue, header};

use super::{AccessToken, CookieSession, TokenSource};
use crate::{Error, Secret};

/// The credential attached to every request of one API.
#[derive(Clone)]
pub(crate) enum Authenticator {
    /// No credential (a local, unsecured cluster).
    None,
    /// A fixed `Authorization` header (Basic or a static Bearer token).
    Static(HeaderValue),
    /// OAuth2 client-credentials tokens from the shared cache; a call waits
    /// at most `limit` for one (the request timeout).
    OAuth {
        /// The cache slot of this API's credentials.
        source: TokenSource,
        /// The longest wait for a token within one call.
        limit: Duration,
    },
    /// Operate's self-managed session cookie; a call waits at most `limit`
    /// for a login.
    Cookie {
        /// The session.
        session: CookieSession,
        /// The longest wait for a login within one call.
        limit: Duration,
    },
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Authenticator::None => "None",
            Authenticator::Static(_) => "Static([censored])",
            Authenticator::OAuth { .. } => "OAuth",
            Authenticator::Cookie { .. } => "Cookie",
        })
    }
}

/// A credential as it was attached to one request, so that a 401 can
/// invalidate exactly that one.
pub(crate) enum Attached {
    Nothing,
    Static,
    Token(AccessToken),
    Cookie(HeaderValue),
}

impl Authenticator {
    /// A `Basic` credential; the header value is marked sensitive.
    pub(crate) fn basic(username: &str, password: &Secret) -> Result<Self, Error> {
        use base64::Engine as _;
        let raw = format!("{username}:{}", password.expose());
        let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
        Ok(Self::Static(sensitive(
            &format!("Basic {encoded}"),
            "basic auth username",
        )?))
    }

    /// A static `Bearer` credential; the header value is marked sensitive.
    pub(crate) fn bearer(token: &Secret) -> Result<Self, Error> {
        Ok(Self::Static(sensitive(
            &format!("Bearer {}", token.expose()),
            "bearer token",
        )?))
    }

    /// The header to attach now, fetching or renewing the credential if needed.
    pub(crate) async fn credential(
        &self,
    ) -> Result<(Option<(HeaderName, HeaderValue)>, Attached), Error> {
        Ok(match self {
            Authenticator::None => (None, Attached::Nothing),
            Authenticator::Static(value) => (
                Some((header::AUTHORIZATION, value.clone())),
                Attached::Static,
            ),
            Authenticator::OAuth { source, limit } => {
                let token = source.token_within(*limit).await?;
                (
                    Some((header::AUTHORIZATION, token.header_value())),
                    Attached::Token(token),
                )
            }
            Authenticator::Cookie { session, limit } => {
                let cookie = boxed_login(*limit, session).await?;
                (
                    Some((header::COOKIE, cookie.clone())),
                    Attached::Cookie(cookie),
                )
            }
        })
    }

    /// After a 401: drop the credential that was sent and get a new one.
    /// `Some` only when the new credential differs, so a request is retried
    /// at most once and never with the credential that was just refused.
    pub(crate) async fn renew_after_rejection(
        &self,
        sent: &Attached,
    ) -> Result<Option<(HeaderName, HeaderValue)>, Error> {
        match (self, sent) {
            (Authenticator::OAuth { source, limit }, Attached::Token(token)) => Ok(source
                .refresh_after_rejection_within(token, *limit)
                .await?
                .map(|fresh| (header::AUTHORIZATION, fresh.header_value()))),
            (Authenticator::Cookie { session, limit }, Attached::Cookie(cookie)) => {
                Ok(
                    within(*limit, session, session.relogin_after_rejection(cookie))
                        .await?
                        .map(|fresh| (header::COOKIE, fresh)),
                )
            }
            _ => Ok(None),
        }
    }
}

impl Authenticator {
    /// After the API accepted a request retried with `sent` (the renewed
    /// credential): a token renewed after a 401, or a cookie from a login
    /// after a 401, is out of probation, so that its own 401, when it
    /// expires, renews it again ([`TokenSource::accepted`],
    /// [`CookieSession::accepted`]).
    pub(crate) fn accepted(&self, sent: &HeaderValue) {
        match self {
            Authenticator::OAuth { source, .. } => source.accepted_header(sent),
            Authenticator::Cookie { session, .. } => session.accepted(sent),
            Authenticator::None | Authenticator::Static(_) => {}
        }
    }
}

/// The session cookie within `limit`, boxed. Never inlined: building the
/// login's future inline gave every API call's poll a stack frame its size.
#[cold]
#[inline(never)]
fn boxed_login(
    limit: Duration,
    session: &CookieSession,
) -> std::pin::Pin<Box<impl Future<Output = Result<HeaderValue, Error>> + Send + '_>> {
    Box::pin(within(limit, session, session.header()))
}

/// A login that must be done within `limit`.
async fn within<T>(
    limit: Duration,
    session: &CookieSession,
    login: impl Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    match tokio::time::timeout(limit, login).await {
        Ok(result) => result,
        Err(_) => Err(Error::LoginFailed {
            url: crate::redact::redact_url(session.login_url()),
            reason: format!("no session within {limit:?}, the time limit of the call"),
        }),
    }
}

fn sensitive(value: &str, what: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(value).map_err(|_| Error::InvalidValue {
        setting: what.to_owned(),
        value: "[censored]".to_owned(),
        reason: "contains characters not allowed in an HTTP header".to_owned(),
    })?;
    value.set_sensitive(true);
    Ok(value)
}
