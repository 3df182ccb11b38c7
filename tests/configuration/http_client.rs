//! A `reqwest::Client` of the user's: API calls go through it (a default
//! header of it reaches the server) with the crate's credential on top;
//! token requests keep the crate's own client unless one is handed over
//! for them too (`with_http_clients`).

#![cfg(feature = "zeebe")]

use std::time::{Duration, SystemTime};

use crate::support::token_fixtures::{jwt_expiring, token_body};
use camunda8::{Camunda, Config};
use reqwest::header::{HeaderMap, HeaderValue};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOPOLOGY: &str = r#"{"brokers":[],"clusterSize":1,"partitionsCount":1,"replicationFactor":1,"gatewayVersion":"8.6.7"}"#;

fn client_with_header(name: &'static str) -> reqwest::Client {
    let mut headers = HeaderMap::new();
    headers.insert(name, HeaderValue::from_static("yes"));
    reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

fn config(server: &MockServer) -> Config {
    Config::new()
        .oauth_url(format!("{}/oauth/token", server.uri()))
        .client_credentials("tuned-client", "tuned-client-secret")
        .zeebe_url(format!("{}/zeebe", server.uri()))
}

/// Serves a token and the topology; returns the token.
async fn serve(server: &MockServer) -> String {
    let token = jwt_expiring(SystemTime::now() + Duration::from_secs(3600), "zeebe");
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body(&token, Some(3600))))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/zeebe/v1/topology"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(TOPOLOGY, "application/json"))
        .mount(server)
        .await;
    token
}

/// The headers of the requests the server got for `route`.
async fn headers_of(server: &MockServer, route: &str) -> Vec<wiremock::http::HeaderMap> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path() == route)
        .map(|r| r.headers)
        .collect()
}

#[tokio::test]
async fn api_calls_go_through_the_users_client_with_the_crates_credential() {
    let server = MockServer::start().await;
    let token = serve(&server).await;
    let camunda =
        Camunda::with_http_client(&config(&server), client_with_header("x-tuned")).unwrap();

    let topology = camunda
        .zeebe()
        .unwrap()
        .get_topology()
        .send()
        .await
        .unwrap();
    assert_eq!(topology.gateway_version.as_deref(), Some("8.6.7"));

    let api = headers_of(&server, "/zeebe/v1/topology").await;
    assert_eq!(api.len(), 1);
    assert_eq!(api[0].get("x-tuned").unwrap(), "yes");
    assert_eq!(
        api[0].get("authorization").unwrap(),
        format!("Bearer {token}").as_str()
    );
    // The user's client has no User-Agent of the crate's.
    assert!(
        api[0]
            .get("user-agent")
            .is_none_or(|ua| !ua.to_str().unwrap_or("").starts_with("camunda8-rust"))
    );

    // The token request used the crate's own client.
    let tokens = headers_of(&server, "/oauth/token").await;
    assert_eq!(tokens.len(), 1);
    assert!(tokens[0].get("x-tuned").is_none());
}

#[tokio::test]
async fn token_requests_go_through_the_auth_client_when_one_is_given() {
    let server = MockServer::start().await;
    serve(&server).await;
    let camunda = Camunda::with_http_clients(
        &config(&server),
        client_with_header("x-tuned"),
        client_with_header("x-tuned-auth"),
    )
    .unwrap();

    camunda.authenticate().await.unwrap();
    camunda
        .zeebe()
        .unwrap()
        .get_topology()
        .send()
        .await
        .unwrap();

    let tokens = headers_of(&server, "/oauth/token").await;
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].get("x-tuned-auth").unwrap(), "yes");
    assert!(tokens[0].get("x-tuned").is_none());
    let api = headers_of(&server, "/zeebe/v1/topology").await;
    assert_eq!(api[0].get("x-tuned").unwrap(), "yes");
    assert!(api[0].get("x-tuned-auth").is_none());
}

#[tokio::test]
async fn without_a_client_of_the_users_the_crate_builds_its_own() {
    let server = MockServer::start().await;
    serve(&server).await;
    let camunda = config(&server).build().unwrap();
    camunda
        .zeebe()
        .unwrap()
        .get_topology()
        .send()
        .await
        .unwrap();
    let api = headers_of(&server, "/zeebe/v1/topology").await;
    let agent = api[0].get("user-agent").unwrap().to_str().unwrap();
    assert!(agent.starts_with("camunda8-rust/"), "{agent}");
}
