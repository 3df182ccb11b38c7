//! What an API call's error tells the caller: the typed authentication
//! error, the server's message, and after backpressure retries the real URL,
//! the body and the attempt count.

use std::time::Duration;

use camunda8::{ApiError, Camunda, Config, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_SECRET: &str = "api-errors-client-secret";

fn oauth(token_url: String, zeebe: String) -> Camunda {
    Config::new()
        .oauth_url(token_url)
        .client_credentials("api-errors-client", CLIENT_SECRET)
        .zeebe_url(zeebe)
        .build()
        .expect("client")
}

/// An address nothing listens on.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[tokio::test]
async fn a_rejected_client_is_a_typed_permanent_auth_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"error": "invalid_client", "error_description": "Invalid client credentials"}),
        ))
        .mount(&server)
        .await;
    let camunda = oauth(
        format!("{}/oauth/token", server.uri()),
        format!("{}/zeebe", server.uri()),
    );
    let error = camunda
        .zeebe()
        .unwrap()
        .get_topology()
        .send()
        .await
        .unwrap_err();
    match &error {
        ApiError::Auth {
            request: Some(request),
            source: camunda8::Error::TokenRejected { status, error, .. },
        } => {
            assert_eq!(*status, 401);
            assert_eq!(error, "invalid_client");
            assert_eq!(request.method, http::Method::GET);
            assert!(request.url.ends_with("/zeebe/v1/topology"), "{request:?}");
            assert_eq!(request.attempts, 0, "nothing was sent to the API");
        }
        other => panic!("expected Auth(TokenRejected), got {other:?}"),
    }
    assert!(!error.is_transient());
    assert_eq!(error.status(), None);
    assert!(!format!("{error} {error:?}").contains(CLIENT_SECRET));
    // `?` into the crate's error gives back the typed authentication error.
    let converted: camunda8::Error = error.into();
    assert!(matches!(converted, camunda8::Error::TokenRejected { .. }));
}

#[tokio::test]
async fn an_unreachable_auth_server_is_a_typed_transient_auth_error() {
    let server = MockServer::start().await;
    let camunda = oauth(
        format!("{}/oauth/token", closed_port_url()),
        format!("{}/zeebe", server.uri()),
    );
    let error = camunda
        .zeebe()
        .unwrap()
        .get_topology()
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            &error,
            ApiError::Auth {
                source: camunda8::Error::TokenUnavailable { .. },
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_transient(), "{error:?}");
    assert!(
        server
            .received_requests()
            .await
            .unwrap_or_default()
            .is_empty()
    );
}

#[tokio::test]
async fn the_administration_apis_message_reaches_the_caller() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/clusters"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"message": "plan type not available in region"})),
        )
        .mount(&server)
        .await;
    let client = camunda8::admin::Client::new(&server.uri(), camunda8::hooks::Inner::default());
    let body = camunda8::admin::types::CreateClusterRequest::builder()
        .name("payments-prod")
        .plan_type_id("p")
        .channel_id("c")
        .generation_id("g")
        .region_id("r");
    let error = client.create_cluster().body(body).send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(error.message(), Some("plan type not available in region"));
    assert!(matches!(
        error,
        ApiError::Response {
            problem: Some(()),
            ..
        }
    ));
    let shown = error.to_string();
    assert!(
        shown.contains("plan type not available in region") && shown.contains("/clusters"),
        "{shown}"
    );
}

#[tokio::test]
async fn exhausted_backpressure_retries_report_url_body_and_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/zeebe/v1/topology"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("retry-after", "0")
                .set_body_json(json!({"title": "gateway overloaded", "status": 503})),
        )
        .mount(&server)
        .await;
    let camunda = Config::new()
        .zeebe_url(format!("{}/zeebe", server.uri()))
        .retry_policy(
            RetryPolicy::new()
                .max_attempts(3)
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(2)),
        )
        .build()
        .unwrap();
    let error = camunda
        .zeebe()
        .unwrap()
        .get_topology()
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.attempts(), 3);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert!(error.is_transient());
    assert_eq!(error.retry_after(), Some(Duration::ZERO));
    let url = format!("{}/zeebe/v1/topology", server.uri());
    assert_eq!(error.request().map(|r| r.url.as_str()), Some(url.as_str()));
    let shown = error.to_string();
    assert!(shown.contains(&url), "{shown}");
    assert!(shown.contains("3 attempts"), "{shown}");
    assert!(shown.contains("gateway overloaded"), "{shown}");
    assert!(!shown.contains("no.url.provided"), "{shown}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_connection_failure_is_a_transient_transport_error() {
    let camunda = Config::new()
        .zeebe_url(format!("{}/zeebe", closed_port_url()))
        .build()
        .unwrap();
    let error = camunda
        .zeebe()
        .unwrap()
        .get_topology()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, ApiError::Transport { .. }), "{error:?}");
    assert!(error.is_transient());
    assert_eq!(error.attempts(), 1);
    // One error type for configuration, tokens and calls.
    let as_crate: camunda8::Error = error.into();
    assert!(as_crate.is_transient());
    assert!(matches!(as_crate, camunda8::Error::Api(_)));
}

/// Mounts a topology endpoint that answers 401 to every token and returns
/// the error of one `get_topology` call through `server`'s token endpoint.
async fn topology_answering_401(server: &MockServer) -> ApiError {
    Mock::given(method("GET"))
        .and(path("/zeebe/v1/topology"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"detail": "token revoked"})))
        .mount(server)
        .await;
    let camunda = oauth(
        format!("{}/oauth/token", server.uri()),
        format!("{}/zeebe", server.uri()),
    );
    camunda
        .zeebe()
        .unwrap()
        .get_topology()
        .send()
        .await
        .unwrap_err()
}

#[tokio::test]
async fn a_401_that_a_renewed_token_does_not_cure_counts_both_attempts() {
    let server = MockServer::start().await;
    // Two different tokens: the renewal really gives a new one.
    for (token, times) in [("first-opaque-token", 1), ("second-opaque-token", 10)] {
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "access_token": token, "token_type": "Bearer", "expires_in": 300
            })))
            .up_to_n_times(times)
            .mount(&server)
            .await;
    }
    let error = topology_answering_401(&server).await;
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401), "{error:?}");
    assert_eq!(error.attempts(), 2, "{error:?}");
    assert_eq!(error.message(), Some("token revoked"));
    assert!(!error.is_transient());
}

/// A 401 whose renewal fails (the auth server now rejects the client) is
/// the typed authentication error, not the 401: that is what to act on.
#[tokio::test]
async fn a_401_whose_renewal_is_rejected_is_the_auth_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "first-opaque-token", "token_type": "Bearer", "expires_in": 300
        })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"error": "invalid_client", "error_description": "client disabled"}),
        ))
        .mount(&server)
        .await;
    let error = topology_answering_401(&server).await;
    match &error {
        ApiError::Auth { request, source } => {
            assert!(
                matches!(source, camunda8::Error::TokenRejected { .. }),
                "{source:?}"
            );
            assert_eq!(request.as_ref().map(|r| r.attempts), Some(1), "{error:?}");
        }
        other => panic!("expected ApiError::Auth, got {other:?}"),
    }
    assert!(!error.is_transient());
    assert!(!format!("{error} {error:?}").contains(CLIENT_SECRET));
}
