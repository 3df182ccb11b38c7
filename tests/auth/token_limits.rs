//! Limits on what a broken token endpoint or API can cost: a hung token
//! endpoint fails a call within the call's own timeout (and the next call
//! recovers), an API that refuses every token does not cause a token request
//! per call, a token said to live 0 s is not fetched per call; and the
//! counters that show it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::support::token_fixtures::{ManualClock, token_body};
use camunda8::{Camunda, Config, Error, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOPOLOGY: &str = r#"{"brokers":[],"clusterSize":1,"partitionsCount":1,"replicationFactor":1,"gatewayVersion":"8.6.7"}"#;

/// A token endpoint that accepts connections and reads requests, and then
/// either never answers (`answering` false) or answers with a token.
struct HangingTokenEndpoint {
    url: String,
    answering: Arc<AtomicBool>,
    requests: Arc<AtomicUsize>,
}

impl HangingTokenEndpoint {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/oauth/token", listener.local_addr().unwrap());
        let answering = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(AtomicUsize::new(0));
        let (a, r) = (Arc::clone(&answering), Arc::clone(&requests));
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let (answering, requests) = (Arc::clone(&a), Arc::clone(&r));
                tokio::spawn(async move {
                    let mut seen = Vec::new();
                    let mut chunk = [0u8; 4096];
                    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => seen.extend_from_slice(&chunk[..n]),
                        }
                    }
                    requests.fetch_add(1, Ordering::SeqCst);
                    if !answering.load(Ordering::SeqCst) {
                        // accepted, never answered; the socket stays open
                        tokio::time::sleep(Duration::from_secs(3600)).await;
                        return;
                    }
                    let body = token_body("recovered-token", Some(3600)).to_string();
                    let response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = socket.write_all(response.as_bytes()).await;
                });
            }
        });
        Self {
            url,
            answering,
            requests,
        }
    }
}

async fn topology_api() -> MockServer {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/topology"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(TOPOLOGY, "application/json"))
        .mount(&api)
        .await;
    api
}

#[tokio::test]
async fn hung_token_endpoint_fails_within_the_request_timeout_then_recovers() {
    let tokens = HangingTokenEndpoint::start().await;
    let api = topology_api().await;
    let camunda = Config::new()
        .oauth_url(&tokens.url)
        .client_credentials("hung-client", "hung-secret")
        .zeebe_url(api.uri())
        .request_timeout(Duration::from_secs(2))
        .build()
        .unwrap();

    // authenticate(): the typed, transient error, promptly
    let started = Instant::now();
    let error = camunda.authenticate().await.unwrap_err();
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(6), "waited {waited:?}");
    assert!(waited >= Duration::from_millis(1500), "waited {waited:?}");
    assert!(matches!(error, Error::TokenUnavailable { .. }), "{error:?}");
    assert!(error.is_transient(), "{error:?}");

    // an API call: fails as promptly, without reaching the API
    let started = Instant::now();
    let result = camunda.zeebe().unwrap().get_topology().send().await;
    let waited = started.elapsed();
    assert!(result.is_err(), "{result:?}");
    assert!(waited < Duration::from_secs(6), "waited {waited:?}");
    assert!(api.received_requests().await.unwrap().is_empty());
    assert!(tokens.requests.load(Ordering::SeqCst) >= 2);

    // the endpoint answers again: the next call gets a token
    tokens.answering.store(true, Ordering::SeqCst);
    let started = Instant::now();
    let topology = camunda.zeebe().unwrap().get_topology().send().await;
    assert!(topology.is_ok(), "{topology:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    camunda.authenticate().await.unwrap();
}

#[tokio::test]
async fn api_refusing_every_token_costs_a_bounded_number_of_token_requests() {
    let server = MockServer::start().await;
    let issued = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&issued);
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(move |_: &wiremock::Request| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            ResponseTemplate::new(200).set_body_json(token_body(&format!("token-{n}"), Some(3600)))
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/topology"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let camunda = Config::new()
        .oauth_url(format!("{}/oauth/token", server.uri()))
        .client_credentials("refused-client", "refused-secret")
        .zeebe_url(server.uri())
        .build()
        .unwrap();
    for _ in 0..100 {
        let result = camunda.zeebe().unwrap().get_topology().send().await;
        match result {
            Err(e) => assert_eq!(e.status().map(|s| s.as_u16()), Some(401), "{e:?}"),
            Ok(r) => panic!("expected the 401, got {r:?}"),
        }
    }
    let stats = camunda.token_stats();
    assert!(stats.token_requests <= 3, "{stats:?}");
    assert_eq!(stats.token_requests, issued.load(Ordering::SeqCst) as u64);
    assert!(stats.renewals_suppressed >= 97, "{stats:?}");
    let calls = camunda.call_stats();
    assert!(calls.renewals_after_401 >= 1, "{calls:?}");
}

#[tokio::test]
async fn api_refusal_memory_ends_after_the_failure_memory() {
    let server = MockServer::start().await;
    let issued = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&issued);
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(move |_: &wiremock::Request| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            ResponseTemplate::new(200).set_body_json(token_body(&format!("token-{n}"), Some(3600)))
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/topology"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let clock = ManualClock::new();
    let camunda = Config::new()
        .oauth_url(format!("{}/oauth/token", server.uri()))
        .client_credentials("refused-client", "refused-secret")
        .zeebe_url(server.uri())
        .clock(clock.clone())
        .token_failure_memory(Duration::from_secs(5))
        .build()
        .unwrap();
    let call = || async { camunda.zeebe().unwrap().get_topology().send().await };
    for _ in 0..10 {
        assert!(call().await.is_err());
    }
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    clock.advance(Duration::from_secs(6));
    for _ in 0..10 {
        assert!(call().await.is_err());
    }
    // one more renewal once the memory passed, then quiet again
    assert_eq!(issued.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn zero_lifetime_tokens_are_used_for_the_minimum_lifetime() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body("instant", Some(0))))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/topology"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(TOPOLOGY, "application/json"))
        .mount(&server)
        .await;
    let clock = ManualClock::new();
    let camunda = Config::new()
        .oauth_url(format!("{}/oauth/token", server.uri()))
        .client_credentials("instant-client", "instant-secret")
        .zeebe_url(server.uri())
        .clock(clock.clone())
        .build()
        .unwrap();
    for _ in 0..100 {
        camunda
            .zeebe()
            .unwrap()
            .get_topology()
            .send()
            .await
            .unwrap();
    }
    assert_eq!(camunda.token_stats().token_requests, 1);
    // past the floor (10 s by default) the token is fetched again
    clock.advance(Duration::from_secs(11));
    camunda
        .zeebe()
        .unwrap()
        .get_topology()
        .send()
        .await
        .unwrap();
    assert_eq!(camunda.token_stats().token_requests, 2);

    // a configured floor
    let camunda = Config::new()
        .oauth_url(format!("{}/oauth/token", server.uri()))
        .client_credentials("instant-client-2", "instant-secret")
        .zeebe_url(server.uri())
        .clock(clock.clone())
        .token_min_lifetime(Duration::from_secs(60))
        .build()
        .unwrap();
    camunda.authenticate().await.unwrap();
    clock.advance(Duration::from_secs(30));
    camunda.authenticate().await.unwrap();
    assert_eq!(camunda.token_stats().token_requests, 1);
}

#[tokio::test]
async fn stats_count_per_audience_backpressure_retries_and_renewals() {
    let server = MockServer::start().await;
    let issued = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&issued);
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(move |_: &wiremock::Request| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            ResponseTemplate::new(200).set_body_json(token_body(&format!("token-{n}"), Some(3600)))
        })
        .mount(&server)
        .await;
    // Zeebe: one 503, then one 401, then fine
    Mock::given(method("GET"))
        .and(path("/v1/topology"))
        .respond_with(ResponseTemplate::new(503).set_body_raw(
            r#"{"title":"RESOURCE_EXHAUSTED","status":503,"detail":"backpressure"}"#,
            "application/problem+json",
        ))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/topology"))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/topology"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(TOPOLOGY, "application/json"))
        .with_priority(3)
        .mount(&server)
        .await;
    let camunda: Camunda = Config::new()
        .oauth_url(format!("{}/oauth/token", server.uri()))
        .client_credentials("stats-client", "stats-secret")
        .zeebe_url(server.uri())
        .operate_url(server.uri())
        .retry_policy(
            RetryPolicy::new()
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(2)),
        )
        .build()
        .unwrap();
    camunda
        .zeebe()
        .unwrap()
        .get_topology()
        .send()
        .await
        .unwrap();
    camunda
        .zeebe()
        .unwrap()
        .get_topology()
        .send()
        .await
        .unwrap();
    camunda.authenticate().await.unwrap();
    let calls = camunda.call_stats();
    assert_eq!(calls.backpressure_retries, 1, "{calls:?}");
    assert_eq!(calls.renewals_after_401, 1, "{calls:?}");
    let stats = camunda.token_stats();
    // The deprecated copies in the token statistics, kept for one release.
    #[allow(deprecated)]
    {
        assert_eq!(stats.backpressure_retries, calls.backpressure_retries);
        assert_eq!(stats.renewals_after_401, calls.renewals_after_401);
    }
    let zeebe = stats.audiences["zeebe.camunda.io"];
    let operate = stats.audiences["operate.camunda.io"];
    // Zeebe: first token, the renewal after the 401
    assert_eq!(zeebe.token_requests, 2, "{stats:?}");
    assert_eq!(operate.token_requests, 1, "{stats:?}");
    assert_eq!(
        stats.token_requests,
        zeebe.token_requests + operate.token_requests
    );
    assert_eq!(
        stats.cache_hits,
        stats.audiences.values().map(|a| a.cache_hits).sum::<u64>()
    );
    assert!(zeebe.cache_hits >= 2, "{stats:?}");
}

#[test]
fn token_settings_come_from_the_builder_and_the_variable() {
    let resolved = Config::from_lookup(|name| {
        (name == "CAMUNDA_OAUTH_TOKEN_REFRESH_THRESHOLD_MS").then(|| "1500".to_owned())
    })
    .connect_timeout(Duration::from_secs(3))
    .request_timeout(Duration::from_secs(7))
    .resolve()
    .unwrap();
    let tokens = &resolved.tokens;
    assert_eq!(tokens.refresh_margin, Duration::from_millis(1500));
    assert_eq!(
        tokens.failure_memory,
        camunda8::auth::DEFAULT_FAILURE_MEMORY
    );
    assert_eq!(tokens.min_lifetime, camunda8::auth::DEFAULT_MIN_LIFETIME);
    // the token timeouts follow the general ones unless set
    assert_eq!(tokens.connect_timeout, Duration::from_secs(3));
    assert_eq!(tokens.request_timeout, Duration::from_secs(7));

    let clock = ManualClock::new();
    let resolved = Config::from_lookup(|name| {
        (name == "CAMUNDA_OAUTH_TOKEN_REFRESH_THRESHOLD_MS").then(|| "0".to_owned())
    })
    .token_timeouts(Duration::from_secs(1), Duration::from_secs(4))
    .token_failure_memory(Duration::from_secs(9))
    .token_min_lifetime(Duration::from_secs(20))
    .clock(clock.clone())
    .resolve()
    .unwrap();
    let tokens = &resolved.tokens;
    assert_eq!(tokens.refresh_margin, Duration::ZERO);
    assert_eq!(tokens.connect_timeout, Duration::from_secs(1));
    assert_eq!(tokens.request_timeout, Duration::from_secs(4));
    assert_eq!(tokens.failure_memory, Duration::from_secs(9));
    assert_eq!(tokens.min_lifetime, Duration::from_secs(20));
    let clock: Arc<dyn camunda8::auth::Clock> = clock;
    assert!(Arc::ptr_eq(&tokens.clock, &clock));

    let bad = Config::from_lookup(|name| {
        (name == "CAMUNDA_OAUTH_TOKEN_REFRESH_THRESHOLD_MS").then(|| "soon".to_owned())
    })
    .resolve()
    .unwrap_err();
    assert!(matches!(bad, Error::InvalidValue { .. }), "{bad:?}");
    let zero = Config::new()
        .token_timeouts(Duration::ZERO, Duration::from_secs(1))
        .resolve()
        .unwrap_err();
    assert!(matches!(zero, Error::InvalidValue { .. }), "{zero:?}");
}
