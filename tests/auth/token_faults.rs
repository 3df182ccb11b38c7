//! How the token exchange handles each kind of answer (in-process fake
//! server): parameters sent, retries, rate limits, refusals, bad bodies,
//! expiry rules, redirects.

use std::time::Duration;

use crate::support::token_fixtures::{
    ManualClock, SECRET, TOKEN_PATH, credentials, fast_builder, jwt_expiring, token_body,
    token_server,
};
use camunda8::Error;
use camunda8::auth::{TokenBodyFormat, TokenCache};
use wiremock::matchers::{body_json, body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

fn ok(token: &str, expires_in: Option<u64>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(token_body(token, expires_in))
}

#[tokio::test]
async fn form_request_carries_every_parameter() {
    let (server, url) = token_server().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains("client_id=test-client"))
        .and(body_string_contains(format!("client_secret={SECRET}")))
        .and(body_string_contains("audience=zeebe.camunda.io"))
        .and(body_string_contains("scope=read+write"))
        .respond_with(ok("tok-form", Some(300)))
        .expect(1)
        .mount(&server)
        .await;
    let clock = ManualClock::new();
    let cache = fast_builder(clock.clone()).build().unwrap();
    let mut creds = credentials(&url, "zeebe.camunda.io");
    creds.scope = Some("read write".into());
    let token = cache.source(creds).token().await.unwrap();
    assert_eq!(token.secret().expose(), "tok-form");
    assert_eq!(
        token.expires_at(),
        clock_now(&clock) + Duration::from_secs(300)
    );
}

fn clock_now(clock: &ManualClock) -> std::time::SystemTime {
    camunda8::auth::Clock::now(clock)
}

#[tokio::test]
async fn json_request_carries_every_parameter() {
    let (server, url) = token_server().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(header("content-type", "application/json"))
        .and(body_json(serde_json::json!({
            "grant_type": "client_credentials",
            "client_id": "test-client",
            "client_secret": SECRET,
            "audience": "api.cloud.camunda.io",
            "scope": "read",
        })))
        .respond_with(ok("tok-json", Some(300)))
        .expect(1)
        .mount(&server)
        .await;
    let cache = fast_builder(ManualClock::new()).build().unwrap();
    let mut creds = credentials(&url, "api.cloud.camunda.io");
    creds.scope = Some("read".into());
    creds.body_format = TokenBodyFormat::Json;
    let token = cache.source(creds).token().await.unwrap();
    assert_eq!(token.secret().expose(), "tok-json");
}

#[tokio::test]
async fn timeouts_are_retried_then_reported() {
    let (server, url) = token_server().await;
    Mock::given(method("POST"))
        .respond_with(ok("slow", Some(300)).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let cache = fast_builder(ManualClock::new())
        .timeouts(Duration::from_secs(1), Duration::from_millis(200))
        .build()
        .unwrap();
    let err = cache
        .source(credentials(&url, "zeebe"))
        .token()
        .await
        .unwrap_err();
    match &err {
        Error::TokenUnavailable {
            attempts, reason, ..
        } => {
            assert_eq!(*attempts, 3);
            assert!(reason.contains("timed out"), "{reason}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.is_transient());
    assert_eq!(cache.stats().token_requests, 3);
}

#[tokio::test]
async fn connection_refused_is_transient() {
    // bind then release a port: nothing listens there
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cache = fast_builder(ManualClock::new()).build().unwrap();
    let err = cache
        .source(credentials(&format!("http://127.0.0.1:{port}/token"), "z"))
        .token()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TokenUnavailable { attempts: 3, reason, .. } if reason.contains("connection failed")),
        "{err:?}"
    );
}

/// A client for tests under paused tokio time: no timeouts and no idle
/// connection pool, because paused time jumps to the next pending timer
/// while the runtime waits for the (real) server.
fn paused_time_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .build()
        .unwrap()
}

#[tokio::test]
async fn rate_limit_waits_for_retry_after_seconds() {
    let (server, url) = token_server().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "7"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ok("after-wait", Some(300)))
        .mount(&server)
        .await;
    let client = paused_time_client();
    let cache = fast_builder(ManualClock::new())
        .http_client(client)
        .build()
        .unwrap();
    tokio::time::pause();
    let started = tokio::time::Instant::now();
    let token = cache
        .source(credentials(&url, "zeebe"))
        .token()
        .await
        .unwrap();
    assert_eq!(token.secret().expose(), "after-wait");
    assert!(
        started.elapsed() >= Duration::from_secs(7),
        "{:?}",
        started.elapsed()
    );
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn rate_limit_with_http_date() {
    let (server, url) = token_server().await;
    let clock = ManualClock::new(); // 2026-01-01 00:00:00 UTC
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "Thu, 01 Jan 2026 00:00:05 GMT"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ok("after-date", Some(300)))
        .mount(&server)
        .await;
    let client = paused_time_client();
    let cache = fast_builder(clock).http_client(client).build().unwrap();
    tokio::time::pause();
    let started = tokio::time::Instant::now();
    cache
        .source(credentials(&url, "zeebe"))
        .token()
        .await
        .unwrap();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(5) && waited < Duration::from_secs(6),
        "{waited:?}"
    );
}

#[tokio::test]
async fn long_retry_after_fails_at_once_and_is_respected() {
    let (server, url) = token_server().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "120"))
        .mount(&server)
        .await;
    let clock = ManualClock::new();
    let cache = fast_builder(clock.clone()).build().unwrap();
    let source = cache.source(credentials(&url, "zeebe"));
    let err = source.token().await.unwrap_err();
    assert!(
        matches!(&err, Error::TokenUnavailable { attempts: 1, retry_after: Some(d), .. } if *d == Duration::from_secs(120)),
        "{err:?}"
    );
    // within the window: no request
    clock.advance(Duration::from_secs(119));
    assert!(matches!(
        source.token().await,
        Err(Error::TokenUnavailable { .. })
    ));
    assert_eq!(requests(&server).await, 1);
    // after it: asks again
    clock.advance(Duration::from_secs(2));
    assert!(source.token().await.is_err());
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn server_error_then_success() {
    let (server, url) = token_server().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ok("second-time", Some(300)))
        .mount(&server)
        .await;
    let cache = fast_builder(ManualClock::new()).build().unwrap();
    let token = cache
        .source(credentials(&url, "zeebe"))
        .token()
        .await
        .unwrap();
    assert_eq!(token.secret().expose(), "second-time");
    assert_eq!(cache.stats().token_requests, 2);
}

#[tokio::test]
async fn server_errors_exhaust_the_retries() {
    let (server, url) = token_server().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let cache = fast_builder(ManualClock::new()).build().unwrap();
    let err = cache
        .source(credentials(&url, "zeebe"))
        .token()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TokenUnavailable { attempts: 3, reason, .. } if reason.contains("503")),
        "{err:?}"
    );
    assert_eq!(requests(&server).await, 3);
}

/// Fetches once from a server answering `response`; returns the error.
async fn invalid_answer(response: ResponseTemplate) -> (Error, usize) {
    let (server, url) = token_server().await;
    Mock::given(method("POST"))
        .respond_with(response)
        .mount(&server)
        .await;
    let cache = fast_builder(ManualClock::new()).build().unwrap();
    let err = cache
        .source(credentials(&url, "zeebe"))
        .token()
        .await
        .unwrap_err();
    (err, requests(&server).await)
}

fn assert_invalid(err: &Error, want_status: u16, want_reason: &str) {
    match err {
        Error::TokenResponseInvalid { status, reason, .. } => {
            assert_eq!(*status, want_status);
            assert!(reason.contains(want_reason), "{reason}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(!err.is_transient());
}

#[tokio::test]
async fn malformed_json_is_invalid_and_not_retried() {
    let (err, n) = invalid_answer(ResponseTemplate::new(200).set_body_raw(
        r#"{"access_token": "opaque-echoed-value", "#,
        "application/json",
    ))
    .await;
    assert_invalid(&err, 200, "not valid JSON");
    assert!(!err.to_string().contains("opaque-echoed-value"), "{err}");
    assert_eq!(n, 1);
}

#[tokio::test]
async fn missing_access_token_is_invalid() {
    let (err, n) = invalid_answer(
        ResponseTemplate::new(200).set_body_json(serde_json::json!({"token_type": "Bearer"})),
    )
    .await;
    assert_invalid(&err, 200, "no access_token");
    assert_eq!(n, 1);
}

#[tokio::test]
async fn wrong_token_type_is_invalid_and_the_token_is_not_quoted() {
    let echoed = jwt_expiring(std::time::SystemTime::now(), "leaky");
    let (err, _) = invalid_answer(ResponseTemplate::new(200).set_body_json(
        serde_json::json!({"access_token": echoed, "token_type": "mac", "expires_in": 60}),
    ))
    .await;
    assert_invalid(&err, 200, "not Bearer");
    assert!(!err.to_string().contains(&echoed), "{err}");
    assert!(!format!("{err:?}").contains(&echoed));
    assert!(err.to_string().contains("token_type"), "{err}");
}

#[tokio::test]
async fn token_type_is_case_insensitive() {
    let (server, url) = token_server().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"access_token": "t", "token_type": "BEARER", "expires_in": 60}),
        ))
        .mount(&server)
        .await;
    let cache = fast_builder(ManualClock::new()).build().unwrap();
    assert!(cache.source(credentials(&url, "a")).token().await.is_ok());
}

#[tokio::test]
async fn unexpected_status_without_oauth_error_is_invalid() {
    let (err, n) =
        invalid_answer(ResponseTemplate::new(404).set_body_string("<html>nope</html>")).await;
    assert_invalid(&err, 404, "404");
    assert_eq!(n, 1);
}

/// How long the token of `answer` lives, as the cache reads it.
async fn lifetime_of(answer: ResponseTemplate) -> Duration {
    let (server, url) = token_server().await;
    Mock::given(method("POST"))
        .and(header("accept", "application/json"))
        .respond_with(answer)
        .expect(1)
        .mount(&server)
        .await;
    let clock = ManualClock::new();
    let cache = fast_builder(clock.clone()).build().unwrap();
    let token = cache
        .source(credentials(&url, "zeebe"))
        .token()
        .await
        .unwrap();
    token
        .expires_at()
        .duration_since(clock_now(&clock))
        .unwrap_or_default()
}

#[tokio::test]
async fn expires_in_quoted_as_a_string_of_digits_is_read() {
    // Some identity providers quote the number; anything else there stays
    // an invalid answer (`bad-expiry` in tests/secrets).
    let answer = ResponseTemplate::new(200).set_body_json(
        serde_json::json!({"access_token": "quoted", "token_type": "Bearer", "expires_in": "120"}),
    );
    assert_eq!(lifetime_of(answer).await, Duration::from_secs(120));
}

#[tokio::test]
async fn opaque_token_without_expires_in_lives_sixty_seconds() {
    assert_eq!(
        lifetime_of(ok("opaque-token", None)).await,
        Duration::from_secs(60)
    );
}

#[tokio::test]
async fn expiry_is_the_earlier_of_exp_and_expires_in() {
    let clock = ManualClock::new();
    let now = clock_now(&clock);
    for (exp_in, expires_in, want) in [(100, 3600, 100), (3600, 100, 100)] {
        let (server, url) = token_server().await;
        let token = jwt_expiring(now + Duration::from_secs(exp_in), "s");
        Mock::given(method("POST"))
            .respond_with(ok(&token, Some(expires_in)))
            .mount(&server)
            .await;
        let cache = fast_builder(clock.clone()).build().unwrap();
        let got = cache
            .source(credentials(&url, "zeebe"))
            .token()
            .await
            .unwrap();
        assert_eq!(got.expires_at(), now + Duration::from_secs(want));
    }
}

#[tokio::test]
async fn refused_credentials_are_remembered_for_thirty_seconds() {
    for (status, code) in [
        (401, "invalid_client"),
        (400, "unauthorized_client"),
        (400, "invalid_grant"),
    ] {
        let (server, url) = token_server().await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(status).set_body_json(serde_json::json!({
                    "error": code,
                    "error_description": "Invalid client credentials"
                })),
            )
            .mount(&server)
            .await;
        let clock = ManualClock::new();
        let cache = fast_builder(clock.clone()).build().unwrap();
        let source = cache.source(credentials(&url, "zeebe"));
        let check = |err: Error| match err {
            Error::TokenRejected {
                status: s,
                error,
                description,
                ..
            } => {
                assert_eq!(s, status);
                assert_eq!(error, code);
                assert_eq!(description.as_deref(), Some("Invalid client credentials"));
            }
            other => panic!("unexpected {other:?}"),
        };
        check(source.token().await.unwrap_err());
        assert_eq!(requests(&server).await, 1, "refusals are not retried");
        clock.advance(Duration::from_secs(29));
        check(source.token().await.unwrap_err());
        // another source for the same key shares the memory
        check(
            cache
                .source(credentials(&url, "zeebe"))
                .token()
                .await
                .unwrap_err(),
        );
        assert_eq!(requests(&server).await, 1, "remembered: no request");
        assert_eq!(cache.stats().remembered_failures, 2);
        clock.advance(Duration::from_secs(2));
        check(source.token().await.unwrap_err());
        assert_eq!(requests(&server).await, 2, "after the window: a request");
    }
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let (server, url) = token_server().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/elsewhere", server.uri())),
        )
        .mount(&server)
        .await;
    Mock::given(path("/elsewhere"))
        .respond_with(ok("stolen", Some(300)))
        .expect(0)
        .mount(&server)
        .await;
    let built = fast_builder(ManualClock::new()).build().unwrap();
    let given = fast_builder(ManualClock::new())
        .http_client(TokenCache::default_http_client(reqwest::Client::builder()).unwrap())
        .build()
        .unwrap();
    for cache in [built, given] {
        let err = cache
            .source(credentials(&url, "zeebe"))
            .token()
            .await
            .unwrap_err();
        assert_invalid(&err, 307, "307");
    }
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn transient_failures_are_shared_for_a_short_while() {
    let (server, url) = token_server().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let clock = ManualClock::new();
    let cache = fast_builder(clock.clone())
        .transient_failure_memory(Duration::from_secs(2))
        .build()
        .unwrap();
    let source = cache.source(credentials(&url, "zeebe"));
    assert!(source.token().await.is_err());
    assert_eq!(requests(&server).await, 3);
    clock.advance(Duration::from_secs(1));
    assert!(matches!(
        source.token().await,
        Err(Error::TokenUnavailable { .. })
    ));
    assert_eq!(requests(&server).await, 3, "no new fetch within the memory");
    clock.advance(Duration::from_secs(2));
    assert!(source.token().await.is_err());
    assert_eq!(requests(&server).await, 6);
}
