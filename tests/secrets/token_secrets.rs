//! The client secret and tokens never appear in logs (any level), errors or
//! `Debug` output, whatever the token endpoint answers.

use std::time::Duration;

use crate::support::log_capture::{LogBuffer, exclusive};
use crate::support::token_fixtures::{
    ManualClock, SECRET, credentials, fast_builder, jwt, token_body,
};
use camunda8::Error;
use camunda8::auth::TokenBodyFormat;
use wiremock::matchers::{body_string_contains, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Everything printed that must not hold a secret.
#[derive(Default)]
struct Printed(Vec<String>);

impl Printed {
    fn error(&mut self, e: &Error) {
        self.0.push(e.to_string());
        self.0.push(format!("{e:?}"));
    }

    fn debug(&mut self, value: &dyn std::fmt::Debug) {
        self.0.push(format!("{value:?}"));
        self.0.push(format!("{value:#?}"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_or_token_is_ever_printed() {
    let turn = exclusive();
    let logs = turn.logs;
    let known_token = jwt(serde_json::json!({"exp": 4_000_000_000u64, "sub": "known-subject"}));
    let opaque_token = "opaque-known-token-value";
    let mut printed = Printed::default();

    let server = MockServer::start().await;
    let respond = |audience: &str, response: ResponseTemplate| {
        Mock::given(method("POST"))
            .and(body_string_contains(format!("\"audience\":\"{audience}\"")))
            .respond_with(response)
    };
    let form = |audience: &str, response: ResponseTemplate| {
        Mock::given(method("POST"))
            .and(body_string_contains(format!("audience={audience}")))
            .respond_with(response)
    };
    let good = ResponseTemplate::new(200).set_body_json(token_body(&known_token, Some(300)));
    form("ok", good.clone()).mount(&server).await;
    respond("ok-json", good.clone()).mount(&server).await;
    form(
        "opaque",
        ResponseTemplate::new(200).set_body_json(token_body(opaque_token, None)),
    )
    .mount(&server)
    .await;
    form(
        "rejected",
        ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": "invalid_client",
            "error_description": format!("client secret {SECRET} is wrong")
        })),
    )
    .mount(&server)
    .await;
    form(
        "malformed",
        ResponseTemplate::new(200).set_body_raw(
            format!(r#"{{"access_token": "{known_token}", "token_type": "#),
            "application/json",
        ),
    )
    .mount(&server)
    .await;
    form(
        "malformed-opaque",
        ResponseTemplate::new(200)
            .set_body_raw(format!(r#"oops {opaque_token} oops"#), "text/plain"),
    )
    .mount(&server)
    .await;
    form(
        "wrong-type",
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": opaque_token, "token_type": "mac"
        })),
    )
    .mount(&server)
    .await;
    form(
        "server-error",
        ResponseTemplate::new(503).set_body_string(format!("down; token was {known_token}")),
    )
    .mount(&server)
    .await;
    let url = format!("{}/oauth/token", server.uri());

    let clock = ManualClock::new();
    let tmp = tempfile::tempdir().unwrap();
    let cache = fast_builder(clock.clone())
        .disk_cache_dir(Some(tmp.path().to_path_buf()))
        .build()
        .unwrap();

    // success, form and JSON, with Debug of every handle
    for (audience, format) in [
        ("ok", TokenBodyFormat::Form),
        ("ok-json", TokenBodyFormat::Json),
    ] {
        let mut creds = credentials(&url, audience);
        creds.body_format = format;
        printed.debug(&creds);
        let source = cache.source(creds);
        let token = source.token().await.unwrap();
        assert_eq!(token.secret().expose(), known_token);
        printed.debug(&token);
        printed.debug(&token.header_value());
        printed.debug(token.secret());
        printed.0.push(token.secret().to_string());
        printed.debug(&source);
        printed.debug(&cache);
        // rejection by an API
        let again = source.refresh_after_rejection(&token).await.unwrap();
        printed.debug(&again);
    }
    let opaque = cache
        .source(credentials(&url, "opaque"))
        .token()
        .await
        .unwrap();
    printed.debug(&opaque);

    // failures
    for audience in [
        "rejected",
        "malformed",
        "malformed-opaque",
        "wrong-type",
        "server-error",
    ] {
        let source = cache.source(credentials(&url, audience));
        let err = source.token().await.unwrap_err();
        printed.error(&err);
        // and the remembered copy
        if let Err(err) = source.token().await {
            printed.error(&err);
        }
    }

    // disk: a second cache reads the token from the file
    let second = fast_builder(clock.clone())
        .disk_cache_dir(Some(tmp.path().to_path_buf()))
        .build()
        .unwrap();
    let from_disk = second
        .source(credentials(&url, "ok"))
        .token()
        .await
        .unwrap();
    printed.debug(&from_disk);
    assert_eq!(second.stats().disk_hits, 1);
    // an unusable disk cache directory
    let _ = fast_builder(clock.clone())
        .disk_cache_dir(Some("/proc/self/no-such-dir".into()))
        .build()
        .unwrap();

    // background refresh that fails, then expiry
    clock.advance(Duration::from_secs(290));
    let source = cache.source(credentials(&url, "ok"));
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_string(format!("{known_token} {SECRET}")))
        .mount(&server)
        .await;
    source.token().await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    clock.advance(Duration::from_secs(20));
    printed.error(&source.token().await.unwrap_err());
    printed.debug(&cache.stats());

    let logs = logs.contents();
    assert!(logs.contains("fetched a new access token"), "{logs}");
    assert!(logs.contains("token refresh failed"), "{logs}");
    assert!(logs.contains("memory only"), "{logs}");
    assert!(logs.contains("TRACE") || logs.contains("DEBUG"), "{logs}");
    for needle in [SECRET, known_token.as_str(), opaque_token] {
        assert!(!logs.contains(needle), "logs leak {needle}:\n{logs}");
        for text in &printed.0 {
            assert!(!text.contains(needle), "leak of {needle} in {text}");
        }
    }
    // the payload alone (a JWT's middle part) must not leak either
    let payload = known_token.split('.').nth(1).unwrap();
    assert!(!logs.contains(payload));
    assert!(printed.0.iter().all(|t| !t.contains(payload)));
    assert!(printed.0.len() > 40);
}

/// Token responses of an unexpected shape hold short token-like values that
/// no pattern recognises; the error describes the body's shape and quotes
/// none of them.
#[tokio::test]
async fn unexpected_token_shapes_quote_no_value() {
    let _turn = exclusive();
    let logs = LogBuffer::default();
    let _guard = tracing::subscriber::set_default(logs.subscriber());
    let server = MockServer::start().await;
    let cases = [
        (
            "camel",
            ResponseTemplate::new(200).set_body_raw(
                r#"{"accessToken":"tok-a1","tokenType":"Bearer"}"#,
                "application/json",
            ),
            "tok-a1",
        ),
        (
            "html",
            ResponseTemplate::new(200).set_body_raw(
                "<html><body>Signed in. token tk9zq expires soon</body></html>",
                "text/html",
            ),
            "tk9zq",
        ),
        (
            "bad-expiry",
            ResponseTemplate::new(200).set_body_raw(
                r#"{"access_token":"tok-b2","token_type":"Bearer","expires_in":"soon"}"#,
                "application/json",
            ),
            "tok-b2",
        ),
        (
            "no-oauth-error",
            ResponseTemplate::new(400)
                .set_body_raw(r#"{"token":"tok-c3","hint":"x"}"#, "application/json"),
            "tok-c3",
        ),
    ];
    for (audience, response, _) in &cases {
        Mock::given(method("POST"))
            .and(body_string_contains(format!("audience={audience}")))
            .respond_with(response.clone())
            .mount(&server)
            .await;
    }
    let url = format!("{}/oauth/token", server.uri());
    let cache = fast_builder(ManualClock::new()).build().unwrap();
    let mut printed = Printed::default();
    for (audience, _, _) in &cases {
        let error = cache
            .source(credentials(&url, audience))
            .token()
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::TokenResponseInvalid { .. }),
            "{audience}: {error:?}"
        );
        printed.error(&error);
    }
    let shown = format!("{}\n{}", printed.0.join("\n"), logs.contents());
    for (_, _, value) in &cases {
        assert!(!shown.contains(value), "{value} printed:\n{shown}");
    }
    // The shape is there instead.
    assert!(
        shown.contains(r#""accessToken": string"#),
        "the body's shape is described:\n{shown}"
    );
}
