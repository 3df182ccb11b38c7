//! Operations whose request body the contract does not require can be sent
//! without one (generation step `optional_bodies`, codegen/post/optional_body.rs):
//! with no `.body(…)` or `.body_map(…)`, the request carries `{}` as
//! Camunda's TypeScript client sends; with one, it is sent as before.
//! Checked on what a recording server receives.
#![cfg(feature = "orchestration")]

use camunda8::hooks::Inner;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Method, path, `Content-Type` and body of every request `server` got.
async fn received(server: &MockServer) -> Vec<(String, String, Option<String>, Vec<u8>)> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|r| {
            let content_type = r
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            (
                r.method.to_string(),
                r.url.path().to_string(),
                content_type,
                r.body,
            )
        })
        .collect()
}

/// Whether a request carried the empty JSON object, as an unset optional
/// body is sent.
fn is_empty_object(content_type: &Option<String>, body: &[u8]) -> bool {
    content_type.as_deref() == Some("application/json")
        && serde_json::from_slice::<Value>(body).ok() == Some(json!({}))
}

const BATCH: &str = "6f1c6e2a-1b2c-4d5e-8f90-123456789abc";

#[tokio::test]
async fn batch_operations_are_sent_without_a_body_set() {
    let server = MockServer::start().await;
    for action in ["cancellation", "suspension", "resumption"] {
        Mock::given(method("POST"))
            .and(path(format!("/v2/batch-operations/{BATCH}/{action}")))
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
    }
    let client =
        camunda8::orchestration::Client::new(&format!("{}/v2", server.uri()), Inner::default());
    client
        .cancel_batch_operation()
        .batch_operation_key(BATCH)
        .send()
        .await
        .expect("cancelled");
    client
        .suspend_batch_operation()
        .batch_operation_key(BATCH)
        .send()
        .await
        .expect("suspended");
    client
        .resume_batch_operation()
        .batch_operation_key(BATCH)
        .send()
        .await
        .expect("resumed");
    let seen = received(&server).await;
    let lines: Vec<(&str, &str)> = seen.iter().map(|r| (r.0.as_str(), r.1.as_str())).collect();
    let base = format!("/v2/batch-operations/{BATCH}");
    assert_eq!(
        lines,
        vec![
            ("POST", format!("{base}/cancellation").as_str()),
            ("POST", format!("{base}/suspension").as_str()),
            ("POST", format!("{base}/resumption").as_str()),
        ]
    );
    for (_, path, content_type, body) in &seen {
        assert!(is_empty_object(content_type, body), "{path}: {body:?}");
    }
}

#[tokio::test]
async fn a_body_with_a_builder_is_sent_only_when_set() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/groups"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"groupId": "g1", "name": "Group"})),
        )
        .mount(&server)
        .await;
    let client =
        camunda8::orchestration::Client::new(&format!("{}/v2", server.uri()), Inner::default());
    let created = client
        .create_group()
        .send()
        .await
        .expect("created without a body");
    assert_eq!(created.name, "Group");
    client
        .create_group()
        .body_map(|b| b.group_id("g1").name("Group"))
        .send()
        .await
        .expect("created with a body");
    let seen = received(&server).await;
    assert_eq!(seen.len(), 2);
    let (_, _, content_type, body) = &seen[0];
    assert!(is_empty_object(content_type, body), "{body:?}");
    let (_, _, content_type, body) = &seen[1];
    assert_eq!(content_type.as_deref(), Some("application/json"));
    let sent: Value = serde_json::from_slice(body).expect("JSON body");
    assert_eq!(sent, json!({"groupId": "g1", "name": "Group"}));
    // A body that is set but incomplete still fails, before sending.
    let error = client
        .create_group()
        .body_map(|b| b.name("Group"))
        .send()
        .await
        .expect_err("groupId is required");
    assert!(
        error.to_string().contains("groupId") || error.to_string().contains("group_id"),
        "{error}"
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[cfg(feature = "zeebe")]
#[tokio::test]
async fn zeebe_user_task_completion_is_sent_without_a_body_set() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/user-tasks/5/completion"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = camunda8::zeebe::Client::new(&format!("{}/v1", server.uri()), Inner::default());
    client
        .complete_user_task()
        .user_task_key(5)
        .send()
        .await
        .expect("completed");
    let seen = received(&server).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(
        (seen[0].0.as_str(), seen[0].1.as_str()),
        ("POST", "/v1/user-tasks/5/completion")
    );
    assert!(is_empty_object(&seen[0].2, &seen[0].3), "{:?}", seen[0].3);
}
