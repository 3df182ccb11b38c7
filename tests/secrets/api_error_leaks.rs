//! Responses holding secrets that fail to decode: the error of the call
//! (`Display`, `Debug`) and the logs at TRACE never show the secret.
//!
//! Written against `send()` and formatting only, so that the same file runs
//! on a client that still returned progenitor's error (which printed the
//! whole body) and fails there.

use crate::support::log_capture::{LogBuffer, exclusive};
use camunda8::admin::Client;
use camunda8::hooks::Inner;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLUSTER: &str = "7c1e3d5a-9b2f-4c6e-8a0d-1f3b5c7e9a2d";
const CLIENT_SECRET: &str = "nS8-Zq~client~secret~value";
const SHORT_SECRET: &str = "pw-77";
const CONNECTOR_SECRET: &str = "conn3ctor-s3cr3t-value";
const NUMERIC_SECRET: &str = "987654321012";

/// Formats `error` both ways and checks the logs, for every secret.
fn assert_hidden(printed: &str, logs: &LogBuffer, secrets: &[&str]) {
    let everything = format!("{printed}\n{}", logs.contents());
    for secret in secrets {
        assert!(
            !everything.contains(secret),
            "secret {secret:?} printed:\n{everything}"
        );
    }
}

async fn respond(server: &MockServer, verb: &str, at: String, template: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(template)
        .mount(server)
        .await;
}

#[tokio::test]
async fn create_client_decode_failure_hides_the_client_secret() {
    // the process-wide TRACE log (reqwest's and hyper's `log` records included)
    let turn = exclusive();
    let logs = turn.logs;
    let server = MockServer::start().await;
    let client = Client::new(&server.uri(), Inner::default());
    let clients = format!("/clusters/{CLUSTER}/clients");
    let body = camunda8::admin::types::CreateClientRequest::builder().client_name("ci");

    // `name` has the wrong type: the body does not decode.
    respond(
        &server,
        "POST",
        clients.clone(),
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "audience": "zeebe.camunda.io", "clientId": "ci-client",
            "clientSecret": CLIENT_SECRET, "name": 5, "permissions": [], "uuid": "u-1"
        })),
    )
    .await;
    let error = client
        .create_client()
        .cluster_uuid(CLUSTER)
        .body(body.clone())
        .send()
        .await
        .expect_err("undecodable");
    let mut printed = format!("{error}\n{error:?}");

    // The secret itself has the wrong type, so the decoder's message quotes it.
    server.reset().await;
    respond(
        &server,
        "POST",
        clients,
        ResponseTemplate::new(200).set_body_raw(
            format!(
                r#"{{"audience":"a","clientId":"c","clientSecret":{NUMERIC_SECRET},"name":"n","permissions":[],"uuid":"u"}}"#
            ),
            "application/json",
        ),
    )
    .await;
    let error = client
        .create_client()
        .cluster_uuid(CLUSTER)
        .body(body)
        .send()
        .await
        .expect_err("undecodable");
    printed.push_str(&format!("\n{error}\n{error:?}"));
    assert_hidden(&printed, logs, &[CLIENT_SECRET, NUMERIC_SECRET]);
}

#[tokio::test]
async fn get_secrets_decode_failure_hides_the_secret_values() {
    // the process-wide TRACE log (reqwest's and hyper's `log` records included)
    let turn = exclusive();
    let logs = turn.logs;
    let server = MockServer::start().await;
    let client = Client::new(&server.uri(), Inner::default());
    let secrets = format!("/clusters/{CLUSTER}/secrets");
    let mut printed = String::new();

    // A value that is not a string (the map's keys name no secret).
    respond(
        &server,
        "GET",
        secrets.clone(),
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "SLACK_WEBHOOK": CONNECTOR_SECRET, "DB_PASS": SHORT_SECRET, "PORT": 5432
        })),
    )
    .await;
    let error = client
        .get_secrets()
        .cluster_uuid(CLUSTER)
        .send()
        .await
        .expect_err("undecodable");
    printed.push_str(&format!("{error}\n{error:?}\n"));

    // A body cut short: not JSON at all.
    server.reset().await;
    respond(
        &server,
        "GET",
        secrets,
        ResponseTemplate::new(200).set_body_raw(
            format!(r#"{{"SLACK_WEBHOOK":"{CONNECTOR_SECRET}","DB_PASS":"{SHORT_SECRET}"#),
            "application/json",
        ),
    )
    .await;
    let error = client
        .get_secrets()
        .cluster_uuid(CLUSTER)
        .send()
        .await
        .expect_err("undecodable");
    printed.push_str(&format!("{error}\n{error:?}\n"));
    assert_hidden(&printed, logs, &[CONNECTOR_SECRET, SHORT_SECRET]);
}

#[tokio::test]
async fn error_bodies_with_secrets_are_redacted_and_bounded() {
    // the process-wide TRACE log (reqwest's and hyper's `log` records included)
    let turn = exclusive();
    let logs = turn.logs;
    let server = MockServer::start().await;
    let client = Client::new(&server.uri(), Inner::default());
    // An undeclared status whose body echoes credentials under various keys,
    // followed by a huge list.
    let filler: Vec<u32> = (0..20_000).collect();
    respond(
        &server,
        "GET",
        format!("/clusters/{CLUSTER}/clients"),
        ResponseTemplate::new(409).set_body_json(serde_json::json!({
            "message": "conflict",
            "clientSecret": CLIENT_SECRET,
            "nested": {"access_token": SHORT_SECRET, "Password": NUMERIC_SECRET.parse::<u64>().unwrap()},
            "credentials": {"user": "u", "key": CONNECTOR_SECRET},
            "items": filler,
        })),
    )
    .await;
    let error = client
        .get_clients()
        .cluster_uuid(CLUSTER)
        .send()
        .await
        .expect_err("409");
    let printed = format!("{error}\n{error:?}");
    assert_hidden(
        &printed,
        logs,
        &[
            CLIENT_SECRET,
            SHORT_SECRET,
            NUMERIC_SECRET,
            CONNECTOR_SECRET,
        ],
    );
    assert!(printed.contains("conflict"), "{printed}");
    // 20,000 numbers are about 110 KB: only a few KiB are kept.
    assert!(printed.len() < 12 * 1024, "{} bytes printed", printed.len());
}
