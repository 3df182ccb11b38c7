//! HTTP/2 refusals: a request the server refused before processing it
//! (`REFUSED_STREAM`) is sent again by the call's retry loop, body
//! included, at most twice per call, and never counted as backpressure.
//!
//! The server is a real HTTP/2 server (the `h2` crate, cleartext with prior
//! knowledge); the client has reqwest's own resending turned off, as the
//! clients this crate builds do, so only the retry loop can resend.
#![cfg(feature = "http2")]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use camunda8::{ApiError, AuthStrategy, Camunda, Config};
use serde_json::{Value, json};
use tokio::net::TcpListener;

/// What the server saw: requests accepted, and the bodies of those it
/// answered.
#[derive(Default)]
struct Seen {
    requests: AtomicUsize,
    bodies: std::sync::Mutex<Vec<Value>>,
}

/// Serves HTTP/2 on a local port, refusing the first `refusals` requests
/// with `REFUSED_STREAM` and answering the others: a process instance for a
/// creation, an empty topology otherwise.
async fn server(refusals: usize) -> (String, Arc<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let seen = Arc::new(Seen::default());
    let shared = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let seen = Arc::clone(&shared);
            tokio::spawn(async move {
                let Ok(mut connection) = h2::server::handshake(socket).await else {
                    return;
                };
                while let Some(Ok((request, mut respond))) = connection.accept().await {
                    let n = seen.requests.fetch_add(1, Ordering::SeqCst);
                    if n < refusals {
                        respond.send_reset(h2::Reason::REFUSED_STREAM);
                        continue;
                    }
                    let seen = Arc::clone(&seen);
                    tokio::spawn(async move {
                        let (parts, mut body) = request.into_parts();
                        let mut bytes = Vec::new();
                        while let Some(Ok(chunk)) = body.data().await {
                            let _ = body.flow_control().release_capacity(chunk.len());
                            bytes.extend_from_slice(&chunk);
                        }
                        let answer = if parts.uri.path() == "/v2/process-instances" {
                            let sent: Value = serde_json::from_slice(&bytes).unwrap_or_default();
                            seen.bodies.lock().expect("bodies").push(sent.clone());
                            json!({
                                "processInstanceKey": "2251799813690746",
                                "processDefinitionId": sent["processDefinitionId"],
                                "processDefinitionKey": "2251799813686749",
                                "processDefinitionVersion": 1,
                                "tenantId": "<default>",
                                "businessId": null, "tags": [], "variables": {}
                            })
                        } else {
                            json!({
                                "brokers": [], "clusterSize": 1, "partitionsCount": 1,
                                "replicationFactor": 1, "gatewayVersion": "8.8.0"
                            })
                        };
                        let response = http::Response::builder()
                            .status(200)
                            .header("content-type", "application/json")
                            .body(())
                            .expect("response");
                        if let Ok(mut stream) = respond.send_response(response, false) {
                            let _ = stream.send_data(Bytes::from(answer.to_string()), true);
                        }
                    });
                }
            });
        }
    });
    (format!("http://{address}"), seen)
}

fn camunda(url: &str) -> Camunda {
    let http = reqwest::Client::builder()
        .http2_prior_knowledge()
        .retry(reqwest::retry::never().max_retries_per_request(0))
        .build()
        .expect("http client");
    let config = Config::new()
        .orchestration_url(url)
        .auth_strategy(AuthStrategy::None);
    Camunda::with_http_client(&config, http).expect("client")
}

fn instruction() -> camunda8::orchestration::types::ProcessInstanceCreationInstruction {
    serde_json::from_value(json!({ "processDefinitionId": "order" })).expect("instruction")
}

#[tokio::test]
async fn a_refused_creation_is_sent_again_with_its_body() {
    let (url, seen) = server(2).await;
    let camunda = camunda(&url);
    let created = camunda
        .orchestration()
        .expect("orchestration")
        .create_process_instance()
        .body(instruction())
        .send()
        .await
        .expect("created after two refusals")
        .into_inner();
    assert_eq!(created.process_definition_id.as_str(), "order");
    assert_eq!(seen.requests.load(Ordering::SeqCst), 3);
    let bodies = seen.bodies.lock().expect("bodies").clone();
    assert_eq!(bodies.len(), 1);
    assert_eq!(bodies[0]["processDefinitionId"], "order");
    // A resend after a refusal is not a backpressure retry.
    assert_eq!(camunda.call_stats().backpressure_retries, 0);
}

#[tokio::test]
async fn a_third_refusal_is_the_callers_error_with_every_attempt_counted() {
    let (url, seen) = server(usize::MAX).await;
    let camunda = camunda(&url);
    let error = camunda
        .orchestration()
        .expect("orchestration")
        .get_topology()
        .send()
        .await
        .expect_err("refused every time");
    assert_eq!(
        seen.requests.load(Ordering::SeqCst),
        3,
        "one request and two resends"
    );
    match &error {
        ApiError::Transport {
            request: Some(request),
            ..
        } => assert_eq!(request.attempts, 3, "{error:?}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    // The next call starts with a fresh allowance.
    let _ = camunda
        .orchestration()
        .expect("orchestration")
        .get_topology()
        .send()
        .await;
    assert_eq!(seen.requests.load(Ordering::SeqCst), 6);
}
