//! Session-cookie login, for a self-managed Operate without an identity
//! provider: `POST {login_url}?username=…&password=…` answers with one or
//! more `Set-Cookie` headers, and the cookies are then sent with every API
//! request.
//!
//! A [`CookieSession`] logs in lazily on first use, logs in again when the
//! cookie has expired (by its `Max-Age` or `Expires`, measured with an
//! injectable clock) or after the server rejected it, and lets concurrent
//! callers share one login. Neither the password nor a cookie value is ever
//! logged, printed by `Debug`, or put in an error.
//!
//! Like a token renewed after a 401 (`source.rs`), a cookie from a login
//! that followed a rejection is on probation until a request carrying it is
//! accepted: a server that rejects it before that, within the failure
//! memory of the login, rejects every fresh cookie (the user lacks the
//! permission, say), and logging in again would only cost a login per call.
//! That is remembered: for the failure memory, rejections get no new login.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use http::HeaderValue;
use url::Url;

use super::{Clock, DEFAULT_FAILURE_MEMORY, SystemClock};
use crate::{Error, Result, Secret};

/// A cookie is considered expired this long before its stated end, so that a
/// request never leaves with a cookie that dies in flight.
const EXPIRY_MARGIN: Duration = Duration::from_secs(5);

/// A logged-in cookie session, cheap to clone (clones share the session).
#[derive(Clone)]
pub struct CookieSession {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    login_url: Url,
    username: String,
    password: Secret,
    clock: Arc<dyn Clock>,
    /// The current session. Holding this lock while logging in is what makes
    /// concurrent callers wait for a single login.
    state: tokio::sync::Mutex<Option<Session>>,
    /// The failure memory. A lock of its own, never held across an await,
    /// because [`CookieSession::accepted`] is synchronous.
    probation: Mutex<Probation>,
    logins: AtomicU64,
}

/// What the session remembers of rejections.
struct Probation {
    /// How long a rejected fresh cookie is remembered.
    memory: Duration,
    /// The cookie of the last login that followed a rejection, and when it
    /// was logged in; `None` once a request carrying it was accepted.
    renewal: Option<(HeaderValue, SystemTime)>,
    /// The server rejected a cookie on probation: until then, a rejection
    /// gets no new login.
    rejecting_until: Option<SystemTime>,
}

struct Session {
    /// The `Cookie:` header value, marked sensitive.
    header: HeaderValue,
    /// When the earliest of the cookies expires, if any says so.
    expires: Option<SystemTime>,
}

impl fmt::Debug for CookieSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CookieSession")
            .field(
                "login_url",
                &crate::redact::RedactedUrl(&self.inner.login_url),
            )
            .field("username", &self.inner.username)
            .field("password", &self.inner.password)
            .field("login_count", &self.login_count())
            .finish_non_exhaustive()
    }
}

impl CookieSession {
    /// A session that logs in to `login_url` (e.g.
    /// `http://localhost:8081/api/login`) with these credentials, using the
    /// system clock for cookie expiry. No request is made until the first
    /// [`header`](Self::header) call.
    ///
    /// A successful login is a 2xx answer with at least one live cookie. A
    /// redirect is a failure; note that a client which follows redirects
    /// would drop the login answer's `Set-Cookie`, so `http` should not.
    pub fn new(http: reqwest::Client, login_url: Url, username: String, password: Secret) -> Self {
        Self::with_clock(http, login_url, username, password, Arc::new(SystemClock))
    }

    /// Like [`new`](Self::new), with the clock that decides whether a cookie
    /// has expired (tests pass a controllable one).
    pub fn with_clock(
        http: reqwest::Client,
        login_url: Url,
        username: String,
        password: Secret,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let mut login_url = login_url;
        login_url.set_query(None);
        login_url.set_fragment(None);
        Self {
            inner: Arc::new(Inner {
                http,
                login_url,
                username,
                password,
                clock,
                state: tokio::sync::Mutex::new(None),
                probation: Mutex::new(Probation {
                    memory: DEFAULT_FAILURE_MEMORY,
                    renewal: None,
                    rejecting_until: None,
                }),
                logins: AtomicU64::new(0),
            }),
        }
    }

    /// The `Cookie:` header value to send, logging in first when there is no
    /// session yet or it has expired. The value is marked sensitive, so
    /// HTTP/2 never indexes it and `Debug` hides it.
    pub async fn header(&self) -> Result<HeaderValue> {
        let mut state = self.inner.state.lock().await;
        if let Some(session) = state.as_ref()
            && !self.expired(session)
        {
            return Ok(session.header.clone());
        }
        let session = self.login().await?;
        let header = session.header.clone();
        *state = Some(session);
        Ok(header)
    }

    /// How long a cookie the server rejected right after the login that
    /// replaced a rejected one is remembered (default
    /// [`DEFAULT_FAILURE_MEMORY`], 30 s; zero turns the memory off): meanwhile
    /// [`relogin_after_rejection`](Self::relogin_after_rejection) answers
    /// `None` without logging in. Applies to every clone of the session.
    pub fn failure_memory(self, memory: Duration) -> Self {
        self.probation().memory = memory;
        self
    }

    /// Called after the server answered 401 to a request that carried
    /// `rejected`. If another caller has already replaced that cookie, the
    /// current one is returned without a new login; otherwise this logs in
    /// again (once) and returns the new header. `Ok(None)` means retrying
    /// the request is pointless: the fresh login produced the very cookie
    /// that was rejected, or the server rejects fresh cookies (one from a
    /// login after a rejection was itself rejected before any request
    /// carrying it was [`accepted`](Self::accepted), within the failure
    /// memory of that login), which is remembered for the failure memory,
    /// during which no login is sent.
    pub async fn relogin_after_rejection(
        &self,
        rejected: &HeaderValue,
    ) -> Result<Option<HeaderValue>> {
        let mut state = self.inner.state.lock().await;
        if self.rejecting(rejected) {
            return Ok(None);
        }
        if let Some(session) = state.as_ref()
            && session.header != rejected
            && !self.expired(session)
        {
            return Ok(Some(session.header.clone()));
        }
        *state = None;
        let session = self.login().await?;
        let header = session.header.clone();
        self.probation().renewal = Some((header.clone(), self.inner.clock.now()));
        *state = Some(session);
        Ok((header != rejected).then_some(header))
    }

    /// Call when the server accepted a request that carried `cookie`
    /// (answered it with anything but 401, 403, 429 or a 5xx): a cookie
    /// from a login after a rejection is then out of probation, and its own
    /// rejection, later, is taken for its end and logged in again. Other
    /// cookies are not affected. API calls of a [`Camunda`](crate::Camunda)
    /// report the retry that follows a login after a rejection this way.
    pub fn accepted(&self, cookie: &HeaderValue) {
        let mut probation = self.probation();
        if probation
            .renewal
            .as_ref()
            .is_some_and(|(renewal, _)| renewal == cookie)
        {
            probation.renewal = None;
        }
    }

    /// Whether a rejection of `rejected` is to get no new login: within a
    /// remembered refusal, or the start of one (`rejected` is the cookie on
    /// probation, logged in less than the failure memory ago).
    fn rejecting(&self, rejected: &HeaderValue) -> bool {
        let now = self.inner.clock.now();
        let mut probation = self.probation();
        match probation.rejecting_until {
            Some(until) if now < until => return true,
            Some(_) => probation.rejecting_until = None,
            None => {}
        }
        let memory = probation.memory;
        let fresh_one_refused = probation
            .renewal
            .as_ref()
            .is_some_and(|(renewal, logged_in)| {
                renewal == rejected
                    && now.duration_since(*logged_in).unwrap_or(Duration::ZERO) < memory
            });
        if fresh_one_refused && !memory.is_zero() {
            probation.rejecting_until = Some(now + memory);
            tracing::warn!(
                url = %crate::redact::redact_url(&self.inner.login_url),
                username = %self.inner.username,
                memory_ms = u64::try_from(memory.as_millis()).unwrap_or(u64::MAX),
                "the server rejected the cookie of a fresh login before accepting any request \
                 with it (missing permissions?); no new login after a 401 for a while"
            );
            return true;
        }
        false
    }

    fn probation(&self) -> std::sync::MutexGuard<'_, Probation> {
        self.inner
            .probation
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// How many login requests this session has sent (successful or not).
    pub fn login_count(&self) -> u64 {
        self.inner.logins.load(Ordering::Relaxed)
    }

    /// The login endpoint, without query.
    pub fn login_url(&self) -> &Url {
        &self.inner.login_url
    }

    fn expired(&self, session: &Session) -> bool {
        match session.expires {
            Some(at) => self.inner.clock.now() + EXPIRY_MARGIN >= at,
            None => false,
        }
    }

    async fn login(&self) -> Result<Session> {
        let inner = &self.inner;
        inner.logins.fetch_add(1, Ordering::Relaxed);
        let shown_url = crate::redact::redact_url(&inner.login_url);
        let failed = |reason: String| Error::LoginFailed {
            url: shown_url.clone(),
            reason,
        };
        tracing::debug!(url = %shown_url, username = %inner.username, "cookie login");
        let response = inner
            .http
            .post(inner.login_url.clone())
            .query(&[
                ("username", inner.username.as_str()),
                ("password", inner.password.expose()),
            ])
            .send()
            .await
            .map_err(|e| failed(transport_reason(e)))?;
        let status = response.status();
        if status == http::StatusCode::UNAUTHORIZED || status == http::StatusCode::FORBIDDEN {
            return Err(failed(format!(
                "the server refused the username or password (HTTP {})",
                status.as_u16()
            )));
        }
        if status.is_redirection() {
            return Err(failed(format!(
                "the login endpoint answered with a redirect (HTTP {}); check the login URL",
                status.as_u16()
            )));
        }
        if !status.is_success() {
            return Err(failed(format!("HTTP {}", status.as_u16())));
        }
        let now = inner.clock.now();
        let cookies = parse_set_cookies(response.headers(), now);
        if cookies.is_empty() {
            return Err(failed(format!(
                "HTTP {} without a session cookie",
                status.as_u16()
            )));
        }
        let joined = cookies
            .iter()
            .map(|c| c.pair.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        let mut header = HeaderValue::from_str(&joined)
            .map_err(|_| failed("the session cookie is not a valid header value".to_owned()))?;
        header.set_sensitive(true);
        let expires = cookies.iter().filter_map(|c| c.expires).min();
        Ok(Session { header, expires })
    }
}

/// A reqwest error in words, without the URL (which carries the password in
/// its query).
fn transport_reason(error: reqwest::Error) -> String {
    if error.is_timeout() {
        "the login request timed out".to_owned()
    } else if error.is_connect() {
        "could not connect to the login endpoint".to_owned()
    } else {
        format!("the login request failed: {}", error.without_url())
    }
}

/// One cookie from a `Set-Cookie` header.
#[derive(Debug, PartialEq, Eq)]
struct SetCookie {
    /// `name=value`.
    pair: String,
    /// When it expires, if it says so.
    expires: Option<SystemTime>,
}

/// The live cookies of a response. Cookies that delete themselves (empty
/// value, `Max-Age` ≤ 0, `Expires` in the past) are skipped.
fn parse_set_cookies(headers: &http::HeaderMap, now: SystemTime) -> Vec<SetCookie> {
    headers
        .get_all(http::header::SET_COOKIE)
        .iter()
        .filter_map(|value| parse_set_cookie(&String::from_utf8_lossy(value.as_bytes()), now))
        .collect()
}

fn parse_set_cookie(text: &str, now: SystemTime) -> Option<SetCookie> {
    let mut parts = text.split(';');
    let pair = parts.next()?.trim();
    let (name, value) = pair.split_once('=')?;
    let (name, value) = (name.trim(), value.trim());
    if name.is_empty() || value.is_empty() {
        return None;
    }
    let mut max_age: Option<i64> = None;
    let mut expires_at: Option<SystemTime> = None;
    for attribute in parts {
        let (key, val) = match attribute.split_once('=') {
            Some((k, v)) => (k.trim(), v.trim()),
            None => (attribute.trim(), ""),
        };
        if key.eq_ignore_ascii_case("max-age") {
            max_age = val.parse().ok();
        } else if key.eq_ignore_ascii_case("expires") {
            expires_at = parse_http_date(val);
        }
    }
    // Max-Age wins over Expires (RFC 6265 §5.3).
    let expires = match max_age {
        Some(seconds) if seconds <= 0 => return None,
        Some(seconds) => Some(now + Duration::from_secs(seconds.unsigned_abs())),
        None => expires_at,
    };
    if let Some(at) = expires
        && at <= now
    {
        return None;
    }
    Some(SetCookie {
        pair: format!("{name}={value}"),
        expires,
    })
}

/// An HTTP date: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) or the old
/// Netscape cookie form (`Sun, 06-Nov-1994 08:49:37 GMT`).
fn parse_http_date(text: &str) -> Option<SystemTime> {
    let utc = chrono::DateTime::parse_from_rfc2822(text)
        .map(|d| d.with_timezone(&chrono::Utc))
        .or_else(|_| {
            chrono::NaiveDateTime::parse_from_str(text, "%a, %d-%b-%Y %H:%M:%S GMT")
                .map(|n| n.and_utc())
        })
        .ok()?;
    Some(SystemTime::from(utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn parses_pairs_and_expiry() {
        let now = t(1_000_000_000);
        let c = parse_set_cookie("OPERATE-SESSION=abc; Path=/; HttpOnly", now).unwrap();
        assert_eq!(c.pair, "OPERATE-SESSION=abc");
        assert_eq!(c.expires, None);
        let c = parse_set_cookie(
            "s=1; Max-Age=60; Expires=Sun, 06 Nov 1994 08:49:37 GMT",
            now,
        )
        .unwrap();
        assert_eq!(c.expires, Some(now + Duration::from_secs(60)));
        let c = parse_set_cookie("s=1; expires=Sun, 06 Nov 2044 08:49:37 GMT", now).unwrap();
        assert!(c.expires.unwrap() > now);
        let c = parse_set_cookie("s=1; Expires=Sun, 06-Nov-2044 08:49:37 GMT", now).unwrap();
        assert!(c.expires.unwrap() > now);
    }

    #[test]
    fn skips_deleting_and_malformed_cookies() {
        let now = t(1_000_000_000);
        assert_eq!(parse_set_cookie("s=; Path=/", now), None);
        assert_eq!(parse_set_cookie("s=1; Max-Age=0", now), None);
        assert_eq!(parse_set_cookie("s=1; Max-Age=-5", now), None);
        assert_eq!(
            parse_set_cookie("s=1; Expires=Sun, 06 Nov 1994 08:49:37 GMT", now),
            None
        );
        assert_eq!(parse_set_cookie("novalue", now), None);
        assert_eq!(parse_set_cookie("=x", now), None);
    }

    #[test]
    fn debug_hides_the_password() {
        let s = CookieSession::new(
            reqwest::Client::new(),
            Url::parse("http://127.0.0.1:1/api/login").unwrap(),
            "demo".into(),
            Secret::new("hunter2"),
        );
        let shown = format!("{s:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("demo"));
    }
}
