//! Issue 19, items 2 and 5, written as a user writes them: variables (and
//! every other free-form object member) go in as a `json!` value, a
//! `serde_json::Map`, a struct or `camunda8::Variables`, in one expression,
//! in every API that has such members; they come back out into a struct;
//! a value that is not an object is refused with a message that says so;
//! and a job handler that cannot fail returns an `Outcome`. Each test fails
//! to compile if the convenience it relies on goes away.
#![cfg(all(feature = "orchestration", feature = "zeebe"))]

use std::time::Duration;

use camunda8::orchestration::types::{
    ProcessInstanceCreationInstruction, ProcessInstanceCreationInstructionById, builder,
};
use camunda8::worker::{Job, Outcome};
use camunda8::{ApiError, AuthStrategy, Camunda, Config, Variables};
use camunda8_test::engine::{Engine, NewJob};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
#[serde(rename_all = "camelCase")]
struct Order {
    order_id: String,
    amount: f64,
}

fn order() -> Order {
    Order {
        order_id: "A-1".into(),
        amount: 12.5,
    }
}

fn order_json() -> Value {
    json!({ "orderId": "A-1", "amount": 12.5 })
}

fn order_map() -> Map<String, Value> {
    order_json().as_object().cloned().unwrap_or_default()
}

/// A client of `server` for the Orchestration Cluster and Zeebe APIs.
fn camunda(server: &MockServer) -> Camunda {
    Config::new()
        .orchestration_url(format!("{}/v2", server.uri()))
        .zeebe_url(format!("{}/zeebe", server.uri()))
        .auth_strategy(AuthStrategy::None)
        .build()
        .expect("client")
}

/// `createProcessInstance` answering with the variables it was sent, as a
/// cluster does for an instance awaited to completion.
async fn echoing_start(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/v2/process-instances"))
        .respond_with(|request: &Request| {
            let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
            ResponseTemplate::new(200).set_body_json(json!({
                "processInstanceKey": "2251799813685249",
                "processDefinitionId": body["processDefinitionId"],
                "processDefinitionKey": "2251799813685248",
                "processDefinitionVersion": 1,
                "tenantId": "<default>",
                "businessId": null,
                "tags": [],
                "variables": body.get("variables").cloned().unwrap_or(json!({}))
            }))
        })
        .mount(server)
        .await;
}

#[tokio::test]
async fn variables_go_in_as_json_map_struct_or_variables_and_come_back_as_a_struct() {
    let server = MockServer::start().await;
    echoing_start(&server).await;
    let camunda = camunda(&server);
    let orchestration = camunda.orchestration().expect("orchestration");
    let forms: [(&str, builder::ProcessInstanceCreationInstructionById); 4] = [
        (
            "json!",
            ProcessInstanceCreationInstructionById::builder()
                .process_definition_id("order")
                .variables(json!({ "orderId": "A-1", "amount": 12.5 })),
        ),
        (
            "Map",
            ProcessInstanceCreationInstructionById::builder()
                .process_definition_id("order")
                .variables(order_map()),
        ),
        (
            "struct",
            ProcessInstanceCreationInstructionById::builder()
                .process_definition_id("order")
                .variables(Variables::from_serialize(&order()).expect("an object")),
        ),
        (
            "Variables",
            ProcessInstanceCreationInstructionById::builder()
                .process_definition_id("order")
                .variables(Variables::new().with("orderId", "A-1").with("amount", 12.5)),
        ),
    ];
    for (form, start) in forms {
        let instance = orchestration
            .create_process_instance()
            .body(ProcessInstanceCreationInstruction::Id(
                start.try_into().expect("a complete body"),
            ))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{form}: {e}"))
            .into_inner();
        // Read back into a struct, and as the map it is.
        assert_eq!(
            instance.variables.to::<Order>().ok(),
            Some(order()),
            "{form}"
        );
        assert_eq!(
            instance.variables.get("orderId"),
            Some(&json!("A-1")),
            "{form}"
        );
    }
    // The wire is the object itself, whatever the form.
    let sent: Vec<Value> = server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| serde_json::from_slice::<Value>(&r.body).unwrap_or_default()["variables"].clone())
        .collect();
    assert_eq!(sent, vec![order_json(); 4]);
}

#[tokio::test]
async fn a_value_that_is_not_an_object_is_refused_before_it_is_sent() {
    let server = MockServer::start().await;
    echoing_start(&server).await;
    let camunda = camunda(&server);
    let start = ProcessInstanceCreationInstructionById::builder()
        .process_definition_id("order")
        .variables(json!([1, 2]));
    let refused = ProcessInstanceCreationInstructionById::try_from(start)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        refused.contains("variables must be a JSON object, not an array"),
        "{refused}"
    );

    let error = camunda
        .orchestration()
        .expect("orchestration")
        .publish_message()
        .body_map(|b| b.name("paid").variables(json!("paid")))
        .send()
        .await
        .expect_err("a string is not variables");
    let ApiError::InvalidRequest { message } = &error else {
        panic!("expected InvalidRequest, got {error:?}");
    };
    assert!(
        message.contains("variables must be a JSON object, not a string"),
        "{message}"
    );
    assert!(
        Variables::from_serialize(&[1, 2])
            .err()
            .is_some_and(|e| e.to_string() == "variables must be a JSON object, not an array")
    );
    assert!(Variables::try_from(json!(null)).is_err());
    assert!(
        server
            .received_requests()
            .await
            .unwrap_or_default()
            .is_empty()
    );
}

#[tokio::test]
async fn every_api_takes_the_same_type() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v2/element-instances/2251799813685250/variables"))
        .and(body_partial_json(json!({ "variables": order_json() })))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/messages/publication"))
        .and(body_partial_json(
            json!({ "name": "paid", "variables": order_json() }),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "messageKey": "2251799813685251", "tenantId": "<default>"
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/zeebe/v1/user-tasks/2251799813685252/completion"))
        .and(body_partial_json(json!({ "variables": order_json() })))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let camunda = camunda(&server);
    let orchestration = camunda.orchestration().expect("orchestration");
    let variables = Variables::from_serialize(&order()).expect("an object");

    // A required member (`SetVariableRequest.variables`) takes the same forms.
    orchestration
        .set_variables()
        .element_instance_key("2251799813685250")
        .body_map(|b| b.variables(order_json()))
        .send()
        .await
        .expect("set variables from json!");
    orchestration
        .set_variables()
        .element_instance_key("2251799813685250")
        .body_map(|b| b.variables(variables.clone()))
        .send()
        .await
        .expect("set variables from Variables");
    // The variables of one call feed another (formerly two distinct types).
    orchestration
        .publish_message()
        .body_map(|b| b.name("paid").variables(variables.clone()))
        .send()
        .await
        .expect("publish with Variables");
    // Zeebe REST API: an inline member of its own before, the same type now.
    camunda
        .zeebe()
        .expect("zeebe")
        .complete_user_task()
        .user_task_key(2251799813685252_i64)
        .body_map(|b| b.variables(order_map()))
        .send()
        .await
        .expect("zeebe completion from a Map");
    let _: Option<camunda8::zeebe::types::Variables> = Some(variables);
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        4
    );
}

#[tokio::test]
async fn a_handler_that_cannot_fail_returns_an_outcome_and_reads_headers_and_variables() {
    let engine = Engine::start().await;
    let key = engine.create(
        NewJob::new("payment")
            .variables(order_json())
            .custom_headers(json!({ "region": "eu", "limit": 100 })),
    );
    let camunda = engine.config().build().expect("client");
    let worker = camunda
        .worker("payment")
        .expect("worker")
        .spawn(|job: Job| async move {
            #[derive(Deserialize)]
            struct Headers {
                region: String,
                limit: u32,
            }
            let headers = job.custom_headers().to::<Headers>();
            match (job.variables::<Order>(), headers) {
                (Ok(order), Ok(headers)) if headers.region == "eu" && headers.limit == 100 => {
                    Outcome::complete_with(&Order {
                        amount: order.amount * 2.0,
                        ..order
                    })
                }
                _ => Outcome::fail("unexpected job"),
            }
        })
        .expect("spawn");
    engine
        .wait_for(Duration::from_secs(5), |s| s.completed == 1)
        .await;
    worker.shutdown(Duration::from_secs(1)).await;
    let job = engine.job(key).expect("the job");
    assert_eq!(
        job.result_variables,
        Some(json!({ "orderId": "A-1", "amount": 25.0 }))
    );
}

#[tokio::test]
async fn handlers_returning_a_result_still_work() {
    let engine = Engine::start().await;
    let key = engine.create(
        NewJob::new("checked")
            .variables(json!({ "n": "not a number" }))
            .retries(1),
    );
    let camunda = engine.config().build().expect("client");
    let worker = camunda
        .worker("checked")
        .expect("worker")
        .spawn(|job: Job| async move {
            #[derive(Deserialize)]
            struct N {
                #[allow(dead_code)]
                n: u32,
            }
            job.variables::<N>()?;
            Ok::<_, serde_json::Error>(Outcome::complete())
        })
        .expect("spawn");
    engine
        .wait_for(Duration::from_secs(5), |s| s.incidents == 1)
        .await;
    worker.shutdown(Duration::from_secs(1)).await;
    let job = engine.job(key).expect("the job");
    assert_eq!(job.completions, 0);
    assert!(
        job.error_message
            .as_deref()
            .is_some_and(|m| m.contains("invalid type")),
        "{:?}",
        job.error_message
    );
}
