//! Issue 19, items 1, 3, 4 and 8, written as a user writes them: each test
//! stops compiling (or passing) if the convenience it relies on goes away.
//!
//! 1. optional text and key members take `&str` (`.correlation_key("A-1")`);
//! 3. filter properties convert from plain values (`"x".into()`), their
//!    branches are `Exact` and `Advanced`;
//! 4. union bodies convert from each branch's builder, so `.body(…)` takes it;
//! 8. operations have the names users search for, the old ones deprecated.
#![cfg(feature = "orchestration")]

use camunda8::chrono::{TimeZone, Utc};
use camunda8::orchestration::types::{
    DateTimeFilterProperty, DecisionEvaluationById, DecisionEvaluationInstruction,
    IntegerFilterProperty, JobActivationRequest, JobFailRequest, MessagePublicationRequest,
    ProcessInstanceCreationInstruction, ProcessInstanceCreationInstructionById,
    ProcessInstanceKeyFilterProperty, ProcessInstanceSearchQueryFilter, ProcessInstanceStateEnum,
    ProcessInstanceStateFilterProperty, StringFilterProperty,
};
use camunda8::{AuthStrategy, Camunda, Config};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn camunda(server: &MockServer) -> Camunda {
    Config::new()
        .orchestration_url(format!("{}/v2", server.uri()))
        .auth_strategy(AuthStrategy::None)
        .build()
        .expect("client")
}

// --- 1. optional strings take &str -----------------------------------------

#[test]
fn optional_text_members_take_str_and_string() {
    let owned = String::from("msg-1");
    let message: MessagePublicationRequest = MessagePublicationRequest::builder()
        .name("order-paid")
        .correlation_key("A-1")
        .message_id(&owned)
        .tenant_id("<default>")
        .try_into()
        .expect("a valid message");
    assert_eq!(message.correlation_key.as_deref(), Some("A-1"));
    assert_eq!(message.message_id.as_deref(), Some("msg-1"));
    assert_eq!(
        message.tenant_id.as_ref().map(|t| t.to_string()).as_deref(),
        Some("<default>")
    );

    let activation: JobActivationRequest = JobActivationRequest::builder()
        .type_("payment")
        .worker("w")
        .timeout(30_000)
        .max_jobs_to_activate(5)
        .try_into()
        .expect("a valid activation");
    assert_eq!(activation.worker.as_deref(), Some("w"));

    let failure: JobFailRequest = JobFailRequest::builder()
        .error_message(String::from("card declined"))
        .try_into()
        .expect("a valid failure");
    assert_eq!(failure.error_message.as_deref(), Some("card declined"));
}

#[test]
fn optional_members_still_take_some_and_none() {
    let message: MessagePublicationRequest = MessagePublicationRequest::builder()
        .name("order-paid")
        .correlation_key(Some("A-1".to_string()))
        .message_id(None)
        .tenant_id(None)
        .try_into()
        .expect("a valid message");
    assert_eq!(message.correlation_key.as_deref(), Some("A-1"));
    assert_eq!(message.message_id, None);
    assert!(message.tenant_id.is_none());
}

#[test]
fn a_key_member_given_bad_text_fails_with_the_keys_reason() {
    let result: Result<MessagePublicationRequest, _> = MessagePublicationRequest::builder()
        .name("order-paid")
        .tenant_id("no spaces allowed")
        .try_into();
    let error = result
        .expect_err("an invalid tenant id is refused")
        .to_string();
    assert!(error.contains("tenant_id"), "{error}");
    assert!(error.contains("pattern"), "{error}");
}

// --- 3. filters from plain values ------------------------------------------

#[test]
fn filter_properties_convert_from_plain_values() {
    let name = StringFilterProperty::from("order");
    assert!(matches!(&name, StringFilterProperty::Exact(v) if v.as_str() == "order"));
    let owned: StringFilterProperty = String::from("order").into();
    assert_eq!(serde_json::to_value(&owned).unwrap(), json!("order"));

    let when = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
    let date = DateTimeFilterProperty::from(when);
    assert!(matches!(date, DateTimeFilterProperty::Exact(_)));
    let parsed = DateTimeFilterProperty::try_from("2026-01-02T03:04:05Z").expect("a date");
    assert_eq!(
        serde_json::to_value(&parsed).unwrap(),
        serde_json::to_value(DateTimeFilterProperty::from(when)).unwrap()
    );

    let key = ProcessInstanceKeyFilterProperty::from(2251799813685249_i64);
    assert_eq!(
        serde_json::to_value(&key).unwrap(),
        json!("2251799813685249")
    );
    assert!(ProcessInstanceKeyFilterProperty::try_from("2251799813685249").is_ok());
    assert!(ProcessInstanceKeyFilterProperty::try_from("not-a-key").is_err());

    let version = IntegerFilterProperty::from(3);
    assert_eq!(serde_json::to_value(&version).unwrap(), json!(3));

    let state = ProcessInstanceStateFilterProperty::from(ProcessInstanceStateEnum::Active);
    assert_eq!(serde_json::to_value(&state).unwrap(), json!("ACTIVE"));
    let by_text = ProcessInstanceStateFilterProperty::from("ACTIVE");
    assert!(matches!(
        by_text,
        ProcessInstanceStateFilterProperty::Exact(_)
    ));

    // The operators' branch is `Advanced`, whatever the property.
    let advanced: StringFilterProperty =
        serde_json::from_value(json!({"$like": "ord*"})).expect("operators");
    assert!(matches!(advanced, StringFilterProperty::Advanced(_)));
}

#[test]
#[allow(deprecated)]
fn the_old_branch_names_still_build_values() {
    use camunda8::orchestration::types::NameExactMatch;
    let old = StringFilterProperty::NameExactMatch(NameExactMatch("x".to_string()));
    assert!(matches!(old, StringFilterProperty::Exact(_)));
}

#[test]
fn a_search_filter_is_written_with_plain_values() {
    let filter = ProcessInstanceSearchQueryFilter {
        process_definition_id: Some("order".into()),
        state: Some(ProcessInstanceStateEnum::Active.into()),
        process_definition_version: Some(2.into()),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&filter).unwrap(),
        json!({"processDefinitionId": "order", "state": "ACTIVE", "processDefinitionVersion": 2})
    );
}

// --- 4. unions from their branches' builders --------------------------------

#[test]
fn a_union_body_converts_from_a_branch_builder() {
    let by_id = ProcessInstanceCreationInstruction::try_from(
        ProcessInstanceCreationInstructionById::builder().process_definition_id("order"),
    )
    .expect("a complete branch");
    assert!(matches!(by_id, ProcessInstanceCreationInstruction::Id(_)));
    // A required member left unset is the branch's own error.
    let incomplete = ProcessInstanceCreationInstruction::try_from(
        ProcessInstanceCreationInstructionById::builder(),
    );
    assert!(incomplete.is_err());

    let decision = DecisionEvaluationInstruction::try_from(
        DecisionEvaluationById::builder().decision_definition_id("invoice-check"),
    )
    .expect("a complete branch");
    assert!(matches!(decision, DecisionEvaluationInstruction::Id(_)));
}

#[tokio::test]
async fn starting_an_instance_by_id_is_one_expression() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/process-instances"))
        .and(body_json(
            json!({"processDefinitionId": "order", "tenantId": "<default>"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "processDefinitionId": "order",
            "processDefinitionKey": "2251799813685249",
            "processDefinitionVersion": 1,
            "processInstanceKey": "2251799813685250",
            "tags": [],
            "tenantId": "<default>",
            "variables": {}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let camunda = camunda(&server);
    let started = camunda
        .orchestration()
        .expect("orchestration")
        .create_process_instance()
        .body(
            ProcessInstanceCreationInstructionById::builder()
                .process_definition_id("order")
                .tenant_id("<default>"),
        )
        .send()
        .await
        .expect("started");
    assert_eq!(started.process_instance_key.to_string(), "2251799813685250");
}

// --- 8. names users guess ----------------------------------------------------

#[tokio::test]
async fn renamed_operations_answer_under_their_new_names() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v2/element-instances/2251799813685250/variables"))
        .and(body_json(json!({"variables": {"paid": true}})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/mapping-rules/search"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [], "page": {"totalItems": 0, "hasMoreTotalItems": false}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(
            "/v2/process-instances/2251799813685250/statistics/element-instances",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": []})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/resources/2251799813685251/content"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"components": []})))
        .expect(1)
        .mount(&server)
        .await;
    let camunda = camunda(&server);
    let v2 = camunda.orchestration().expect("orchestration");
    let variables: Value = json!({"variables": {"paid": true}});
    v2.set_variables()
        .element_instance_key("2251799813685250")
        .body(
            serde_json::from_value::<camunda8::orchestration::types::SetVariableRequest>(variables)
                .unwrap(),
        )
        .send()
        .await
        .expect("variables set");
    let rules = v2.search_mapping_rules().send().await.expect("searched");
    assert!(rules.items.is_empty());
    let statistics = v2
        .get_process_instance_element_statistics()
        .process_instance_key("2251799813685250")
        .send()
        .await
        .expect("statistics");
    assert!(statistics.items.is_empty());
    let content = v2
        .get_resource_content_json()
        .resource_key("2251799813685251")
        .send()
        .await
        .expect("content");
    assert!(content.contains_key("components"));
}

#[test]
#[allow(deprecated)]
fn the_old_operation_names_are_deprecated_aliases() {
    fn same<T>(_: &T, _: &T) {}
    let server_less = Config::new()
        .orchestration_url("http://127.0.0.1:9/v2")
        .auth_strategy(AuthStrategy::None)
        .build()
        .expect("client");
    let v2 = server_less.orchestration().expect("orchestration");
    same(&v2.create_element_instance_variables(), &v2.set_variables());
    same(&v2.search_mapping_rule(), &v2.search_mapping_rules());
    same(
        &v2.get_process_instance_statistics(),
        &v2.get_process_instance_element_statistics(),
    );
    same(&v2.get_resource_content(), &v2.get_resource_content_json());
    let _old: Option<camunda8::orchestration::builder::CreateElementInstanceVariables<'_>> = None;
}
