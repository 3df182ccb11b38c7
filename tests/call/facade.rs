//! The `Camunda` client end to end against in-process fakes: the credential
//! goes on every request, a 401 renews it once, backpressure is retried,
//! cookie login works through the Operate client, empty error bodies become
//! typed problems, and nothing secret is printed.

use std::time::Duration;

use crate::support::retries::fast_retries;
use crate::support::token_fixtures::{jwt_expiring, mount_token_then_renewal, token_body};
use camunda8::{ApiError, AuthStrategy, Camunda, Config};
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOPOLOGY: &str = r#"{"brokers":[],"clusterSize":1,"partitionsCount":1,"replicationFactor":1,"gatewayVersion":"8.6.7"}"#;
const CLIENT_SECRET: &str = "facade-client-secret-0xC0FFEE";

fn far_future() -> std::time::SystemTime {
    std::time::SystemTime::now() + Duration::from_secs(3600)
}

async fn oauth_camunda(server: &MockServer) -> Camunda {
    Config::new()
        .oauth_url(format!("{}/oauth/token", server.uri()))
        .client_credentials("facade-client", CLIENT_SECRET)
        .zeebe_url(format!("{}/zeebe", server.uri()))
        .operate_url(format!("{}/operate", server.uri()))
        .retry_policy(fast_retries())
        .build()
        .expect("client")
}

/// The error of a topology request that is expected to fail.
async fn topology_error(camunda: &Camunda) -> ApiError<()> {
    match camunda.zeebe().unwrap().get_topology().send().await {
        Ok(topology) => panic!("expected an error, got {topology:?}"),
        Err(error) => error,
    }
}

async fn token_requests(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path() == "/oauth/token")
        .count()
}

#[tokio::test]
async fn oauth_token_is_attached_and_cached_per_audience() {
    let server = MockServer::start().await;
    let zeebe_token = jwt_expiring(far_future(), "zeebe");
    let operate_token = jwt_expiring(far_future(), "operate");
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(wiremock::matchers::body_string_contains(
            "audience=zeebe.camunda.io",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body(&zeebe_token, Some(300))))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(wiremock::matchers::body_string_contains(
            "audience=operate.camunda.io",
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(token_body(&operate_token, Some(300))),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/zeebe/v1/topology"))
        .and(header(
            "authorization",
            format!("Bearer {zeebe_token}").as_str(),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_raw(TOPOLOGY, "application/json"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/operate/v1/process-instances/search"))
        .and(header(
            "authorization",
            format!("Bearer {operate_token}").as_str(),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"items": [], "sortValues": [123456], "total": 0})),
        )
        .mount(&server)
        .await;

    let camunda = oauth_camunda(&server).await;
    for _ in 0..5 {
        let topology = camunda
            .zeebe()
            .unwrap()
            .get_topology()
            .send()
            .await
            .unwrap();
        assert_eq!(topology.gateway_version.as_deref(), Some("8.6.7"));
        let found = camunda
            .operate()
            .unwrap()
            .search_process_instances()
            .body(camunda8::operate::types::QueryProcessInstance::default())
            .send()
            .await
            .unwrap();
        assert_eq!(found.total, Some(0));
    }
    assert_eq!(token_requests(&server).await, 2, "one token per audience");
    assert_eq!(camunda.token_stats().token_requests, 2);

    // progenitor's `api-version` header is not sent.
    let requests = server.received_requests().await.unwrap();
    assert!(
        requests
            .iter()
            .all(|r| !r.headers.contains_key("api-version"))
    );
}

#[tokio::test]
async fn api_401_renews_the_token_once_and_retries_once() {
    let server = MockServer::start().await;
    let first = jwt_expiring(far_future(), "first");
    let second = jwt_expiring(far_future(), "second");
    mount_token_then_renewal(&server, &first, &second).await;
    // The server revoked the first token.
    Mock::given(method("GET"))
        .and(path("/zeebe/v1/topology"))
        .and(header("authorization", format!("Bearer {first}").as_str()))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/zeebe/v1/topology"))
        .and(header("authorization", format!("Bearer {second}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_raw(TOPOLOGY, "application/json"))
        .mount(&server)
        .await;

    let camunda = oauth_camunda(&server).await;
    let topology = camunda
        .zeebe()
        .unwrap()
        .get_topology()
        .send()
        .await
        .unwrap();
    assert_eq!(topology.cluster_size, Some(1));
    assert_eq!(token_requests(&server).await, 2);
    let api_calls = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/zeebe/v1/topology")
        .count();
    assert_eq!(api_calls, 2, "the rejected request is retried exactly once");
}

#[tokio::test]
async fn api_401_is_not_retried_when_the_new_token_is_the_same() {
    let server = MockServer::start().await;
    let only = jwt_expiring(far_future(), "only");
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body(&only, Some(300))))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/zeebe/v1/topology"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;

    let camunda = oauth_camunda(&server).await;
    let error = topology_error(&camunda).await;
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    let api_calls = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/zeebe/v1/topology")
        .count();
    assert_eq!(api_calls, 1, "no retry with an identical token");
    assert_eq!(token_requests(&server).await, 2, "one renewal attempt");
}

#[tokio::test]
async fn backpressure_is_retried_through_the_client() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/topology"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/topology"))
        .respond_with(
            ResponseTemplate::new(503).set_body_json(
                json!({"type": "about:blank", "title": "RESOURCE_EXHAUSTED", "status": 503,
                       "detail": "Expected to handle REST API request, but the gateway is under backpressure"}),
            ),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/topology"))
        .respond_with(
            ResponseTemplate::new(500).set_body_json(
                json!({"type": "about:blank", "title": "RESOURCE_EXHAUSTED", "status": 500,
                       "detail": "Expected to handle request, but partition is under backpressure (RESOURCE_EXHAUSTED)"}),
            ),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/topology"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(TOPOLOGY, "application/json"))
        .mount(&server)
        .await;

    let camunda = Config::new()
        .zeebe_url(server.uri())
        .auth_strategy(AuthStrategy::None)
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let topology = camunda
        .zeebe()
        .unwrap()
        .get_topology()
        .send()
        .await
        .unwrap();
    assert_eq!(topology.gateway_version.as_deref(), Some("8.6.7"));
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}

#[tokio::test]
async fn empty_error_body_becomes_a_typed_problem() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/user-tasks/2251799813685249/completion"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let camunda = Config::new()
        .zeebe_url(server.uri())
        .auth_strategy(AuthStrategy::None)
        .build()
        .unwrap();
    let error = camunda
        .zeebe()
        .unwrap()
        .complete_user_task()
        .user_task_key(2251799813685249_i64)
        .body(camunda8::zeebe::types::UserTaskCompletionRequest::default())
        .send()
        .await
        .unwrap_err();
    match error {
        ApiError::Response {
            status,
            problem: Some(problem),
            ..
        } => {
            assert_eq!(status.as_u16(), 404);
            assert_eq!(problem.status, Some(404));
            assert_eq!(problem.title.as_deref(), Some("Not Found"));
        }
        other => panic!("expected a typed 404 problem, got {other:?}"),
    }
}

#[tokio::test]
async fn operate_cookie_login_through_the_client() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/login"))
        .and(query_param("username", "demo"))
        .and(query_param("password", "demo-pass&word"))
        .respond_with(ResponseTemplate::new(204).insert_header(
            "set-cookie",
            "OPERATE-SESSION=5E55104C00K1E; Path=/; HttpOnly",
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/process-definitions/search"))
        .and(header("cookie", "OPERATE-SESSION=5E55104C00K1E"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"items": [], "sortValues": [], "total": 0})),
        )
        .mount(&server)
        .await;

    let camunda = Config::new()
        .operate_url(server.uri())
        .cookie_credentials("demo", "demo-pass&word")
        .build()
        .unwrap();
    for _ in 0..3 {
        let found = camunda
            .operate()
            .unwrap()
            .search_process_definitions()
            .body(camunda8::operate::types::QueryProcessDefinition::default())
            .send()
            .await
            .unwrap();
        assert_eq!(found.total, Some(0));
    }
    let logins = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/api/login")
        .count();
    assert_eq!(logins, 1);
}

#[tokio::test]
async fn missing_api_settings_are_named() {
    let camunda = Config::new()
        .zeebe_url("http://127.0.0.1:1")
        .auth_strategy(AuthStrategy::None)
        .build()
        .unwrap();
    let error = camunda.operate().unwrap_err().to_string();
    assert!(error.contains("CAMUNDA_OPERATE_BASE_URL"), "{error}");
    let error = camunda.admin().unwrap_err().to_string();
    assert!(error.contains("CAMUNDA_CONSOLE_CLIENT_ID"), "{error}");
}

#[tokio::test]
async fn debug_output_holds_no_secret() {
    let camunda = Config::new()
        .oauth_url("http://127.0.0.1:1/oauth/token")
        .client_credentials("facade-client", CLIENT_SECRET)
        .console_credentials("console-client", CLIENT_SECRET)
        .zeebe_url("http://127.0.0.1:1")
        .operate_url("http://127.0.0.1:1")
        .build()
        .unwrap();
    let printed = format!(
        "{camunda:?} {:?} {:?} {:?}",
        camunda.zeebe().unwrap(),
        camunda.operate().unwrap(),
        camunda.admin().unwrap()
    );
    assert!(!printed.contains(CLIENT_SECRET), "{printed}");
    assert!(printed.contains("127.0.0.1"), "{printed}");

    let bearer = Config::new()
        .zeebe_url("http://127.0.0.1:1")
        .bearer_token("static-bearer-token-value")
        .build()
        .unwrap();
    let printed = format!("{bearer:?} {:?}", bearer.zeebe().unwrap());
    assert!(!printed.contains("static-bearer-token-value"), "{printed}");
}

#[tokio::test]
async fn camunda_is_cheap_to_share() {
    fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}
    assert_send_sync::<Camunda>();
}

#[tokio::test]
async fn bad_credentials_fail_authenticate_with_a_typed_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"error": "invalid_client", "error_description": "Invalid client credentials"}),
        ))
        .mount(&server)
        .await;
    let camunda = oauth_camunda(&server).await;
    match camunda.authenticate().await {
        Err(camunda8::Error::TokenRejected { status, error, .. }) => {
            assert_eq!(status, 401);
            assert_eq!(error, "invalid_client");
        }
        other => panic!("expected TokenRejected, got {other:?}"),
    }
    // During a call the same failure arrives as the same typed error, at
    // once (remembered), without another token request.
    let before = token_requests(&server).await;
    let error = topology_error(&camunda).await;
    assert!(
        matches!(
            &error,
            ApiError::Auth { source: camunda8::Error::TokenRejected { error, .. }, .. }
                if error == "invalid_client"
        ),
        "{error:?}"
    );
    assert!(!error.is_transient());
    assert_eq!(token_requests(&server).await, before);
    assert!(!format!("{error:?}").contains(CLIENT_SECRET));
}
