//! The generated clients against a local mock server: XML comes back as
//! text, error bodies are typed and matchable by status.

use camunda8::hooks::Inner;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[cfg(feature = "operate")]
#[tokio::test]
async fn operate_xml_is_text_and_errors_are_typed() {
    use camunda8::operate::{Client, Error};
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
        Err(Error::ErrorResponse(e)) => {
            assert_eq!(e.status().as_u16(), 404);
            assert_eq!(
                e.message.as_deref(),
                Some("No decision requirements found for key 7")
            );
        }
        other => panic!("expected a typed 404, got {other:?}"),
    }
    assert!(matches!(
        client.decision_requirements_xml(8).await,
        Err(Error::InvalidResponsePayload(..))
    ));
}

#[cfg(feature = "zeebe")]
#[tokio::test]
async fn zeebe_404_is_a_typed_problem() {
    use camunda8::zeebe::{Client, Error};
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
        Err(Error::ErrorResponse(problem)) => {
            assert_eq!(problem.status().as_u16(), 404);
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
