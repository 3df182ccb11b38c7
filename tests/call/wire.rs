//! The generated clients against a local mock server: XML comes back as
//! text, error bodies are typed and matchable by status.

use camunda8::hooks::Inner;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[cfg(feature = "operate")]
#[tokio::test]
async fn operate_xml_is_text_and_errors_are_typed() {
    use camunda8::ApiError;
    use camunda8::operate::Client;
    let server = MockServer::start().await;
    let xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><bpmn:definitions id=\"d\">ä</bpmn:definitions>";
    Mock::given(method("GET"))
        .and(path("/v1/process-definitions/42/xml"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(xml, "text/xml"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/drd/7/xml"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(
            r#"{"status":404,"message":"No decision requirements found for key 7","instance":"b1","type":"Requested resource not found"}"#,
            "application/problem+json",
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/drd/8/xml"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![0xff_u8, 0xfe], "text/xml"))
        .mount(&server)
        .await;
    let client = Client::new(&server.uri(), Inner::default());
    assert_eq!(client.process_definition_xml(42).await.unwrap(), xml);
    match client.decision_requirements_xml(7).await {
        Err(ApiError::Response {
            status,
            problem: Some(e),
            message,
            ..
        }) => {
            assert_eq!(status.as_u16(), 404);
            assert_eq!(
                e.message.as_deref(),
                Some("No decision requirements found for key 7")
            );
            assert_eq!(
                message.as_deref(),
                Some("No decision requirements found for key 7")
            );
        }
        other => panic!("expected a typed 404, got {other:?}"),
    }
    assert!(matches!(
        client.decision_requirements_xml(8).await,
        Err(ApiError::Decode { .. })
    ));
    // A JSON body that does not decode: the error still names the request
    // (kept by the call after its answer, not copied before it).
    Mock::given(method("GET"))
        .and(path("/v1/process-definitions/9"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([1, 2])))
        .mount(&server)
        .await;
    match client.get_process_definition().key(9).send().await {
        Err(error @ ApiError::Decode { .. }) => {
            let request = error.request().expect("the request is reported");
            assert_eq!(request.method, http::Method::GET);
            assert_eq!(
                request.url,
                format!("{}/v1/process-definitions/9", server.uri())
            );
            assert_eq!(request.attempts, 1);
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[cfg(feature = "zeebe")]
#[tokio::test]
async fn zeebe_404_is_a_typed_problem() {
    use camunda8::ApiError;
    use camunda8::zeebe::Client;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/user-tasks/5/completion"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"status": 404, "title": "Not Found"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/user-tasks/6/completion"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::new(&format!("{}/v1", server.uri()), Inner::default());
    match client.complete_user_task().user_task_key(5).send().await {
        Err(ApiError::Response {
            status,
            problem: Some(problem),
            ..
        }) => {
            assert_eq!(status.as_u16(), 404);
            assert_eq!(problem.title.as_deref(), Some("Not Found"));
        }
        other => panic!("expected a typed 404, got {other:?}"),
    }
    let done = client
        .complete_user_task()
        .user_task_key(6)
        .send()
        .await
        .unwrap();
    assert_eq!(done.status().as_u16(), 204);
}

/// `POST /clusters` sends the component's fields and the operation's own
/// `identityBackendChecksEnabled` (step `hoist_colliding_operation_bodies`);
/// `GET /activity/csv` comes back as CSV text (erratum
/// `admin_activity_csv_is_text`).
#[cfg(feature = "admin")]
#[tokio::test]
async fn admin_cluster_body_is_complete_and_activity_csv_is_text() {
    use camunda8::admin::{Client, types};
    use wiremock::matchers::body_json;
    let server = MockServer::start().await;
    let wire = json!({
        "name": "payments-prod",
        "planTypeId": "0c6a3b8e-94e5-4bba-8d2f-3a1f0c7d9e21",
        "channelId": "6bdc5e2a-1f0e-4b6f-9a57-9d1c3e8f2a40",
        "generationId": "a4c7e0f3-2b9d-4e61-8f5a-7c3d1e9b0f62",
        "regionId": "2f9d8c7b-6a5e-4d3c-b2a1-0f9e8d7c6b5a",
        "identityBackendChecksEnabled": true
    });
    Mock::given(method("POST"))
        .and(path("/clusters"))
        .and(body_json(&wire))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"clusterId": "c1"})))
        .expect(1)
        .mount(&server)
        .await;
    let csv = "id,type,created\n1,cluster.created,2026-11-22T07:00:00Z\n";
    Mock::given(method("GET"))
        .and(path("/activity/csv"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(csv, "text/csv"))
        .mount(&server)
        .await;
    let client = Client::new(&server.uri(), Inner::default());

    let body = types::CreateClusterRequest::builder()
        .name("payments-prod")
        .plan_type_id("0c6a3b8e-94e5-4bba-8d2f-3a1f0c7d9e21")
        .channel_id("6bdc5e2a-1f0e-4b6f-9a57-9d1c3e8f2a40")
        .generation_id("a4c7e0f3-2b9d-4e61-8f5a-7c3d1e9b0f62")
        .region_id("2f9d8c7b-6a5e-4d3c-b2a1-0f9e8d7c6b5a")
        .identity_backend_checks_enabled(Some(true));
    let created = client.create_cluster().body(body).send().await.unwrap();
    assert_eq!(created.cluster_id, "c1");

    assert_eq!(client.activity_csv().await.unwrap(), csv);
}
