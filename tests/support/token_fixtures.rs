//! Helpers for the token cache tests: a manual clock, credentials, JWTs.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use camunda8::auth::{ClientCredentials, Clock, TokenBodyFormat, TokenCache, TokenCacheBuilder};

/// The secret every test uses, so leak checks can look for it.
pub const SECRET: &str = "s3cr3t-Cl1ent-Pa55word";

/// A clock that moves only when told to.
#[derive(Debug)]
pub struct ManualClock(Mutex<SystemTime>);

impl ManualClock {
    /// Starts at a fixed, realistic time (2026-01-01).
    pub fn new() -> Arc<Self> {
        Arc::new(Self(Mutex::new(
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600),
        )))
    }

    pub fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }

    pub fn set(&self, to: SystemTime) {
        *self.0.lock().unwrap() = to;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }
}

/// Credentials for `token_url` and `audience`, form body, no scope.
pub fn credentials(token_url: &str, audience: &str) -> ClientCredentials {
    ClientCredentials {
        token_url: token_url.parse().unwrap(),
        client_id: "test-client".into(),
        client_secret: SECRET.into(),
        audience: audience.into(),
        scope: None,
        body_format: TokenBodyFormat::Form,
    }
}

/// A builder with fast retries (1–5 ms back-off) and the given clock.
pub fn fast_builder(clock: Arc<dyn Clock>) -> TokenCacheBuilder {
    TokenCache::builder()
        .clock(clock)
        .retry(3, Duration::from_millis(1), Duration::from_millis(5))
        .timeouts(Duration::from_secs(2), Duration::from_secs(5))
}

/// An unsigned JWT whose payload is `claims`.
pub fn jwt(claims: serde_json::Value) -> String {
    let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.c2lnbmF0dXJl",
        e.encode(r#"{"alg":"RS256","typ":"JWT"}"#),
        e.encode(claims.to_string())
    )
}

/// A JWT expiring at `exp`.
pub fn jwt_expiring(exp: SystemTime, subject: &str) -> String {
    let secs = exp
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    jwt(serde_json::json!({ "exp": secs, "sub": subject }))
}

/// A token response body.
pub fn token_body(token: &str, expires_in: Option<u64>) -> serde_json::Value {
    let mut body = serde_json::json!({ "access_token": token, "token_type": "Bearer" });
    if let Some(secs) = expires_in {
        body["expires_in"] = secs.into();
    }
    body
}

/// Mounts on `server` a token endpoint (`POST /oauth/token`) that hands out
/// `first` once and `second` from then on: a token, then its renewal.
pub async fn mount_token_then_renewal(server: &wiremock::MockServer, first: &str, second: &str) {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body(first, Some(300))))
        .up_to_n_times(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body(second, Some(300))))
        .mount(server)
        .await;
}

/// The path of the token endpoint on the stand-in authorization servers.
pub const TOKEN_PATH: &str = "/oauth/token";

/// A stand-in authorization server, nothing mounted yet, and its token URL
/// (at [`TOKEN_PATH`]).
pub async fn token_server() -> (wiremock::MockServer, String) {
    let server = wiremock::MockServer::start().await;
    let url = format!("{}{TOKEN_PATH}", server.uri());
    (server, url)
}
