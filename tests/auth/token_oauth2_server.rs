//! The token cache against a real OAuth2 server (`oauth2-mock-server`).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::support::oauth2_server::OAuth2Server;
use crate::support::token_fixtures::credentials;
use base64::Engine as _;
use camunda8::auth::{SystemClock, TokenBodyFormat, TokenCache, jwt_expiry};

fn claims(token: &str) -> serde_json::Value {
    let payload = token.split('.').nth(1).expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

fn cache() -> TokenCache {
    TokenCache::builder()
        .clock(Arc::new(SystemClock))
        .build()
        .unwrap()
}

async fn fetch_and_check(format: TokenBodyFormat) {
    let server = OAuth2Server::start();
    let cache = cache();
    let mut creds = credentials(server.token_url().as_str(), "zeebe.camunda.io");
    creds.body_format = format;
    let before = SystemTime::now();
    let token = cache.source(creds).token().await.unwrap();
    let value = token.secret().expose();
    let exp = jwt_expiry(value).expect("the server issues JWTs with exp");
    assert!(token.expires_at() <= exp, "expiry must not be after exp");
    assert!(token.expires_at() > before + Duration::from_secs(3000));
    assert!(token.expires_at() <= before + Duration::from_secs(3601));
    assert_eq!(
        claims(value)["iss"],
        format!("http://localhost:{}", server.port())
    );
    assert_eq!(
        token.header_value().to_str().unwrap(),
        format!("Bearer {value}")
    );
    assert_eq!(cache.stats().token_requests, 1);
}

#[tokio::test]
async fn form_body_gets_a_jwt() {
    fetch_and_check(TokenBodyFormat::Form).await;
}

#[tokio::test]
async fn json_body_gets_a_jwt() {
    fetch_and_check(TokenBodyFormat::Json).await;
}

#[tokio::test]
async fn scope_is_sent() {
    let server = OAuth2Server::start();
    for format in [TokenBodyFormat::Form, TokenBodyFormat::Json] {
        let mut creds = credentials(server.token_url().as_str(), "operate.camunda.io");
        creds.scope = Some("read:all write:some".into());
        creds.body_format = format;
        // different body formats share the key, so use a fresh cache per format
        let cache = TokenCache::builder().build().unwrap();
        let token = cache.source(creds).token().await.unwrap();
        assert_eq!(
            claims(token.secret().expose())["scope"],
            "read:all write:some",
            "{format:?}"
        );
    }
}

#[tokio::test]
async fn second_call_is_served_from_the_cache() {
    let server = OAuth2Server::start();
    let cache = cache();
    let source = cache.source(credentials(server.token_url().as_str(), "zeebe.camunda.io"));
    let first = source.token().await.unwrap();
    let again = cache
        .source(credentials(server.token_url().as_str(), "zeebe.camunda.io"))
        .token()
        .await
        .unwrap();
    assert_eq!(first, again);
    let stats = cache.stats();
    assert_eq!(stats.token_requests, 1);
    assert_eq!(stats.cache_hits, 1);
}

#[tokio::test]
async fn two_audiences_get_two_tokens() {
    let server = OAuth2Server::start();
    let cache = cache();
    let url = server.token_url();
    let zeebe = cache.source(credentials(url.as_str(), "zeebe.camunda.io"));
    let mut operate_creds = credentials(url.as_str(), "operate.camunda.io");
    operate_creds.scope = Some("operate".into());
    let operate = cache.source(operate_creds);
    let z = zeebe.token().await.unwrap();
    let o = operate.token().await.unwrap();
    assert_ne!(z, o);
    assert_eq!(claims(o.secret().expose())["scope"], "operate");
    assert_eq!(cache.stats().token_requests, 2);
    // each keeps its own token
    assert_eq!(zeebe.token().await.unwrap(), z);
    assert_eq!(operate.token().await.unwrap(), o);
    assert_eq!(cache.stats().token_requests, 2);
}
