//! Through the whole client (OAuth with a 401 renewal, cookie login with a
//! failed attempt, Basic and Bearer), nothing secret reaches the logs, the
//! errors or `Debug` output, while the request spans are there.

use crate::support::log_capture::{LogBuffer, exclusive};
use crate::support::token_fixtures::{jwt_expiring, mount_token_then_renewal, token_body};
use base64::Engine as _;
use camunda8::{AuthStrategy, Config};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_SECRET: &str = "Cl13nt-S3cr3t-for-leak-check";
const PASSWORD: &str = "0perate-Pa55w0rd-leak-check";
const COOKIE: &str = "5e55i0n-c00k1e-leak-check";
const BEARER: &str = "st4tic-b34rer-leak-check";
const TOPOLOGY: &str = r#"{"brokers":[],"clusterSize":1,"partitionsCount":1,"replicationFactor":1,"gatewayVersion":"8.6.7"}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_in_logs_errors_or_debug() {
    let turn = exclusive();
    let logs = turn.logs;
    let server = MockServer::start().await;
    let far = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
    let (first, second) = (jwt_expiring(far, "first"), jwt_expiring(far, "second"));
    let mut printed = Vec::new();

    mount_token_then_renewal(&server, &first, &second).await;
    Mock::given(method("GET"))
        .and(path("/zeebe/v1/topology"))
        .and(header("authorization", format!("Bearer {first}").as_str()))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/zeebe/v1/topology"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(TOPOLOGY, "application/json"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/operate/api/login"))
        .and(query_param("password", PASSWORD))
        .respond_with(ResponseTemplate::new(204).insert_header(
            "set-cookie",
            format!("OPERATE-SESSION={COOKIE}; Path=/").as_str(),
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/operate/api/login"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_string(format!("bad credentials for password={PASSWORD}-wrong")),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/operate/v1/process-definitions/2251799813685246"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "key": 2251799813685246_i64, "name": "Order process", "version": 3,
            "bpmnProcessId": "order-process", "tenantId": "<default>"
        })))
        .mount(&server)
        .await;

    // Anything else: 404. (Without a match, wiremock — the server side, not
    // the client under test — logs the whole request, headers included.)
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(404))
        .with_priority(u8::MAX)
        .mount(&server)
        .await;

    // OAuth, with the first token revoked.
    let oauth_config = Config::new()
        .oauth_url(format!("{}/oauth/token", server.uri()))
        .client_credentials("leak-check-client", CLIENT_SECRET)
        .zeebe_url(format!("{}/zeebe", server.uri()));
    printed.push(format!(
        "{oauth_config:?} {:?}",
        oauth_config.resolve().unwrap()
    ));
    let oauth = oauth_config.build().unwrap();
    let topology = oauth.zeebe().unwrap().get_topology().send().await.unwrap();
    printed.push(format!("{oauth:?} {topology:?}"));

    // Cookie login, then a failing one.
    let cookie_config = Config::new()
        .operate_url(format!("{}/operate", server.uri()))
        .cookie_credentials("demo", PASSWORD);
    printed.push(format!(
        "{cookie_config:?} {:?}",
        cookie_config.resolve().unwrap()
    ));
    let cookie = cookie_config.build().unwrap();
    let definition = cookie
        .operate()
        .unwrap()
        .get_process_definition()
        .key(2251799813685246_i64)
        .send()
        .await
        .unwrap();
    printed.push(format!("{cookie:?} {definition:?}"));
    let wrong = Config::new()
        .operate_url(format!("{}/operate", server.uri()))
        .cookie_credentials("demo", format!("{PASSWORD}-wrong"))
        .build()
        .unwrap();
    let error = wrong
        .operate()
        .unwrap()
        .get_process_definition()
        .key(2251799813685246_i64)
        .send()
        .await
        .unwrap_err();
    printed.push(format!("{error} {error:?}"));

    // Basic and a static bearer token (the requests fail; only printing matters).
    let basic = Config::new()
        .zeebe_url(format!("{}/nowhere", server.uri()))
        .basic_auth("demo", PASSWORD)
        .auth_strategy(AuthStrategy::Basic)
        .build()
        .unwrap();
    let basic_error = basic
        .zeebe()
        .unwrap()
        .get_topology()
        .send()
        .await
        .unwrap_err();
    printed.push(format!("{basic:?} {basic_error} {basic_error:?}"));
    let bearer = Config::new()
        .zeebe_url(format!("{}/nowhere", server.uri()))
        .bearer_token(BEARER)
        .build()
        .unwrap();
    let bearer_error = bearer
        .zeebe()
        .unwrap()
        .get_topology()
        .send()
        .await
        .unwrap_err();
    printed.push(format!("{bearer:?} {bearer_error} {bearer_error:?}"));

    let everything = format!("{}\n{}", logs.contents(), printed.join("\n"));
    let basic_header = base64::engine::general_purpose::STANDARD.encode(format!("demo:{PASSWORD}"));
    for secret in [
        CLIENT_SECRET,
        PASSWORD,
        COOKIE,
        BEARER,
        first.as_str(),
        second.as_str(),
        basic_header.as_str(),
    ] {
        assert!(
            !everything.contains(secret),
            "a secret leaked: {secret}\n{everything}"
        );
    }
    // The spans are there: the logs are not empty by accident.
    assert!(everything.contains("camunda8.request"), "{everything}");
    assert!(
        everything.contains("GetTopology") || everything.contains("get_topology"),
        "{everything}"
    );
}

// ---------------------------------------------------------------------------
// Every error path of every API
// ---------------------------------------------------------------------------

const BODY_SECRET: &str = "b0dy-S3cr3t-leak-check";
const BODY_TOKEN: &str = "tk-1x";
const BODY_PASSWORD: &str = "pw-2y";

/// A body echoing secrets under the keys servers use.
fn secret_body(extra: serde_json::Value) -> serde_json::Value {
    let mut body = serde_json::json!({
        "message": "something failed",
        "clientSecret": BODY_SECRET,
        "auth": {"access_token": BODY_TOKEN, "password": BODY_PASSWORD},
    });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    body
}

/// The API paths the three calls below use.
const API_PATHS: [&str; 3] = [
    "/admin/clusters",
    "/zeebe/v1/topology",
    "/operate/v1/process-definitions/1",
];

/// A client for all three APIs at `server` (`api_root` for the APIs, so
/// that they can be pointed at a closed port), with fast retries.
fn all_apis(server: &MockServer, api_root: &str) -> camunda8::Camunda {
    let token_url = format!("{}/oauth/token", server.uri());
    Config::new()
        .oauth_url(&token_url)
        .client_credentials("leak-check-client", CLIENT_SECRET)
        .console_credentials("leak-check-console", CLIENT_SECRET)
        .console_url(format!("{api_root}/admin"))
        .zeebe_url(format!("{api_root}/zeebe"))
        .operate_url(format!("{api_root}/operate"))
        .retry_policy(
            camunda8::RetryPolicy::new()
                .max_attempts(2)
                .base_delay(std::time::Duration::from_millis(1))
                .max_delay(std::time::Duration::from_millis(2)),
        )
        .build()
        .unwrap()
}

/// Calls one operation of each API; returns every error, printed both ways.
async fn call_all(camunda: &camunda8::Camunda) -> Vec<String> {
    let mut printed = Vec::new();
    let mut keep = |display: String, debug: String| printed.push(format!("{display}\n{debug}"));
    match camunda.admin().unwrap().get_clusters().send().await {
        Ok(v) => panic!("admin: expected an error, got {v:?}"),
        Err(e) => keep(e.to_string(), format!("{e:?}")),
    }
    match camunda.zeebe().unwrap().get_topology().send().await {
        Ok(v) => panic!("zeebe: expected an error, got {v:?}"),
        Err(e) => keep(e.to_string(), format!("{e:?}")),
    }
    match camunda
        .operate()
        .unwrap()
        .get_process_definition()
        .key(1)
        .send()
        .await
    {
        Ok(v) => panic!("operate: expected an error, got {v:?}"),
        Err(e) => keep(e.to_string(), format!("{e:?}")),
    }
    printed
}

#[tokio::test]
async fn no_secret_in_any_error_of_any_api() {
    let _turn = exclusive();
    let logs = LogBuffer::default();
    let _guard = tracing::subscriber::set_default(logs.subscriber());
    let server = MockServer::start().await;
    let far = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
    let token = jwt_expiring(far, "every-path");
    let good_token = || {
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(token_body(&token, Some(300))))
    };
    // (what, the API's answer); the token endpoint answers with a token.
    let answers: Vec<(&str, ResponseTemplate)> = vec![
        (
            "declared or undeclared 4xx",
            ResponseTemplate::new(400).set_body_json(secret_body(serde_json::json!({}))),
        ),
        (
            "backpressure until the attempts run out",
            ResponseTemplate::new(503).set_body_json(secret_body(serde_json::json!({}))),
        ),
        (
            "5xx",
            ResponseTemplate::new(500).set_body_json(secret_body(serde_json::json!({}))),
        ),
        (
            "undeclared success status",
            ResponseTemplate::new(202).set_body_json(secret_body(serde_json::json!({}))),
        ),
        (
            "success body that does not decode",
            ResponseTemplate::new(200).set_body_json(secret_body(serde_json::json!({
                "brokers": "not a list", "bpmnProcessId": 5, "name": 7
            }))),
        ),
        (
            "error body that is not JSON",
            ResponseTemplate::new(404).set_body_raw(
                format!("<html>password={BODY_PASSWORD}&token={BODY_TOKEN} client_secret: {BODY_SECRET}</html>"),
                "text/html",
            ),
        ),
        (
            "401 that no renewed token cures",
            ResponseTemplate::new(401).set_body_json(secret_body(serde_json::json!({}))),
        ),
    ];
    let mut printed = Vec::new();
    for (what, answer) in answers {
        server.reset().await;
        good_token().mount(&server).await;
        for api_path in API_PATHS {
            Mock::given(wiremock::matchers::path(api_path))
                .respond_with(answer.clone())
                .mount(&server)
                .await;
        }
        let errors = call_all(&all_apis(&server, &server.uri())).await;
        printed.extend(errors.into_iter().map(|e| format!("[{what}] {e}")));
    }

    // Authentication failures: the token endpoint refuses (echoing the
    // secret), is unavailable, or answers something that is not a token.
    let token_answers = [
        ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": "invalid_client",
            "error_description": format!("client secret {CLIENT_SECRET} is wrong")
        })),
        ResponseTemplate::new(503).set_body_json(secret_body(serde_json::json!({}))),
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "accessToken": BODY_TOKEN, "tokenType": "Bearer", "password": BODY_PASSWORD
        })),
    ];
    for answer in token_answers {
        server.reset().await;
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(answer)
            .mount(&server)
            .await;
        let errors = call_all(&all_apis(&server, &server.uri())).await;
        printed.extend(errors.into_iter().map(|e| format!("[auth] {e}")));
    }

    // No connection to the APIs at all.
    server.reset().await;
    good_token().mount(&server).await;
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port())
    };
    let errors = call_all(&all_apis(&server, &closed)).await;
    printed.extend(errors.into_iter().map(|e| format!("[transport] {e}")));

    let everything = format!("{}\n{}", printed.join("\n"), logs.contents());
    for secret in [
        CLIENT_SECRET,
        BODY_SECRET,
        BODY_TOKEN,
        BODY_PASSWORD,
        token.as_str(),
    ] {
        assert!(
            !everything.contains(secret),
            "a secret leaked: {secret}\n{everything}"
        );
    }
    // Every path produced an error of each API, with the server's message
    // where the body was JSON.
    assert_eq!(printed.len(), (7 + 3 + 1) * 3, "{everything}");
    assert!(everything.contains("something failed"), "{everything}");
}
