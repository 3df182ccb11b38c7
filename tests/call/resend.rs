//! Requests sent again within one call (after backpressure, with a renewed
//! credential after a 401) are the request first sent: same method, URL,
//! headers and body, small or large, except for the renewed credential.
//! They are rebuilt from the call's template (`src/call/template.rs`),
//! which keeps no copy of the URL: the URL comes back with the first
//! answer, and a request whose answer came from elsewhere (a redirect) is
//! never sent again from its template.

use std::time::Duration;

use crate::support::retries::fast_retries;
use crate::support::token_fixtures::{jwt_expiring, mount_token_then_renewal};
use camunda8::zeebe::types::UserTaskCompletionRequest;
use camunda8::{Camunda, Config, Secret};
use serde_json::{Map, Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const COMPLETION: &str = "/zeebe/v1/user-tasks/2251799813685249/completion";

fn bearer_camunda(server: &MockServer) -> Camunda {
    Config::new()
        .bearer_token(Secret::new("resend-token"))
        .zeebe_url(format!("{}/zeebe", server.uri()))
        .retry_policy(fast_retries())
        .build()
        .expect("client")
}

/// A completion body of about `size` bytes of JSON.
fn completion(size: usize) -> UserTaskCompletionRequest {
    let mut variables = Map::new();
    variables.insert("note".into(), Value::String("x".repeat(size)));
    variables.insert("approved".into(), json!(true));
    UserTaskCompletionRequest {
        action: Some("complete".into()),
        variables: Some(variables.into()),
    }
}

async fn complete(camunda: &Camunda, body: UserTaskCompletionRequest) -> Result<(), String> {
    camunda
        .zeebe()
        .map_err(|e| e.to_string())?
        .complete_user_task()
        .user_task_key(2251799813685249_i64)
        .body(body)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

async fn received(server: &MockServer, at: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path() == at)
        .collect()
}

/// Headers by name, each name's values in order, sorted by name.
type Headers = Vec<(String, Vec<String>)>;

/// What must be equal between a request and its resend: method, URL, the
/// headers (but `skip`) and the body.
fn shape(request: &Request, skip: &[&str]) -> (String, String, Headers, Vec<u8>) {
    let mut headers: Headers = request
        .headers
        .keys()
        .filter(|name| !skip.contains(&name.as_str()))
        .map(|name| {
            let values = request
                .headers
                .get_all(name)
                .iter()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .collect();
            (name.to_string(), values)
        })
        .collect();
    headers.sort();
    (
        request.method.to_string(),
        request.url.to_string(),
        headers,
        request.body.clone(),
    )
}

#[tokio::test]
async fn a_request_retried_after_backpressure_is_sent_again_unchanged() {
    // 200 bytes: a body the template copies; 20,000: one it shares with a
    // copy of the whole request.
    for size in [200, 20_000] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(COMPLETION))
            .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
            .up_to_n_times(2)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(COMPLETION))
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
        complete(&bearer_camunda(&server), completion(size))
            .await
            .expect("completed on the third attempt");
        let sent = received(&server, COMPLETION).await;
        assert_eq!(sent.len(), 3, "size {size}");
        let first = shape(&sent[0], &[]);
        assert!(first.3.len() > size, "the body was sent");
        assert!(
            first
                .2
                .iter()
                .any(|(n, v)| n == "authorization" && v == &["Bearer resend-token"]),
            "{:?}",
            first.2
        );
        for again in &sent[1..] {
            assert_eq!(shape(again, &[]), first, "size {size}");
        }
    }
}

#[tokio::test]
async fn a_request_rejected_with_401_is_sent_again_with_only_the_credential_renewed() {
    let server = MockServer::start().await;
    let first = jwt_expiring(
        std::time::SystemTime::now() + Duration::from_secs(3600),
        "first",
    );
    let second = jwt_expiring(
        std::time::SystemTime::now() + Duration::from_secs(3600),
        "second",
    );
    mount_token_then_renewal(&server, &first, &second).await;
    Mock::given(method("POST"))
        .and(path(COMPLETION))
        .and(header("authorization", format!("Bearer {first}").as_str()))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(COMPLETION))
        .and(header("authorization", format!("Bearer {second}").as_str()))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let camunda = Config::new()
        .oauth_url(format!("{}/oauth/token", server.uri()))
        .client_credentials("resend-client", "resend-secret")
        .zeebe_url(format!("{}/zeebe", server.uri()))
        .retry_policy(fast_retries())
        .build()
        .expect("client");
    complete(&camunda, completion(300))
        .await
        .expect("completed with the renewed token");
    let sent = received(&server, COMPLETION).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(
        shape(&sent[1], &["authorization"]),
        shape(&sent[0], &["authorization"])
    );
    let renewed = sent[1]
        .headers
        .get("authorization")
        .map(|v| v.as_bytes().to_vec());
    assert_eq!(renewed, Some(format!("Bearer {second}").into_bytes()));
}

#[tokio::test]
async fn a_redirected_request_is_not_sent_again_from_its_template() {
    // The API redirects to a path on the same server that then answers with
    // backpressure. reqwest follows the redirect; the call does not send
    // the request again, neither to where the redirect led (with its
    // credential) nor anywhere else, and reports where the answer came
    // from.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/zeebe/v1/topology"))
        .respond_with(
            ResponseTemplate::new(307).insert_header("location", "/elsewhere/v1/topology"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/elsewhere/v1/topology"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("retry-after", "0")
                .set_body_json(json!({"title": "overloaded", "status": 503})),
        )
        .mount(&server)
        .await;
    let camunda = bearer_camunda(&server);
    let error = camunda
        .zeebe()
        .expect("zeebe")
        .get_topology()
        .send()
        .await
        .expect_err("503");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(error.attempts(), 1);
    assert_eq!(received(&server, "/zeebe/v1/topology").await.len(), 1);
    assert_eq!(received(&server, "/elsewhere/v1/topology").await.len(), 1);
    let target = format!("{}/elsewhere/v1/topology", server.uri());
    assert_eq!(
        error.request().map(|r| r.url.as_str()),
        Some(target.as_str())
    );
}
