//! The Orchestration Cluster API client through `Camunda`: where it points
//! (SaaS, `CAMUNDA_REST_ADDRESS`, `/v2` once, the exact-address opt-out),
//! one token shared with Zeebe, the default tenant filled into commands
//! (JSON and multipart), backpressure as each Camunda version signals it,
//! and waiting for eventually consistent reads under paused time.

#![cfg(feature = "orchestration")]

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use camunda8::orchestration::keys::{JobKey, ProcessInstanceKey, TenantId};
use camunda8::orchestration::{ConsistencyError, eventually};
use camunda8::{AuthStrategy, Camunda, Config, RetryPolicy};
use progenitor_client::ClientInfo as _;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const CLUSTER: &str = "3f6d8c2e-7a51-4b8e-9c1d-2e4f6a8b0c13";

fn from_vars(vars: &[(&str, &str)]) -> Config {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_lookup(move |name| map.get(name).cloned())
}

fn base_url(vars: &[(&str, &str)]) -> String {
    let camunda = from_vars(vars).build().expect("client");
    camunda
        .orchestration()
        .expect("configured")
        .baseurl()
        .to_string()
}

#[test]
fn saas_address_is_the_zeebe_gateway_with_v2() {
    let base = base_url(&[
        ("CAMUNDA_CLUSTER_REGION", "bru-2"),
        ("CAMUNDA_CLUSTER_ID", CLUSTER),
        ("ZEEBE_CLIENT_ID", "id"),
        ("ZEEBE_CLIENT_SECRET", "secret"),
    ]);
    assert_eq!(base, format!("https://bru-2.zeebe.camunda.io/{CLUSTER}/v2"));
}

#[test]
fn rest_address_gets_v2_once() {
    for given in [
        "http://localhost:8080",
        "http://localhost:8080/",
        "http://localhost:8080/v2",
        "http://localhost:8080/v2/",
    ] {
        let base = base_url(&[("CAMUNDA_REST_ADDRESS", given)]);
        assert_eq!(base, "http://localhost:8080/v2", "{given}");
    }
}

#[test]
fn rest_address_wins_over_the_zeebe_alias() {
    let base = base_url(&[
        ("CAMUNDA_REST_ADDRESS", "http://localhost:8088"),
        ("ZEEBE_REST_ADDRESS", "http://localhost:8080"),
    ]);
    assert_eq!(base, "http://localhost:8088/v2");
    let alias = base_url(&[("ZEEBE_REST_ADDRESS", "http://localhost:8080/v1")]);
    assert_eq!(alias, "http://localhost:8080/v2");
}

#[test]
fn exact_address_is_used_as_given() {
    let base = base_url(&[
        ("CAMUNDA_REST_ADDRESS", "http://localhost:8080/gateway/api/"),
        ("CAMUNDA_REST_ADDRESS_EXACT", "true"),
    ]);
    assert_eq!(base, "http://localhost:8080/gateway/api");
}

#[test]
fn missing_address_names_the_variables() {
    let camunda = Config::new().build().expect("client");
    let error = camunda.orchestration().expect_err("no address");
    let text = error.to_string();
    assert!(text.contains("CAMUNDA_REST_ADDRESS"), "{text}");
    assert!(text.contains("CAMUNDA_CLUSTER_REGION"), "{text}");
}

#[test]
fn a_malformed_default_tenant_is_refused() {
    let error = from_vars(&[("CAMUNDA_DEFAULT_TENANT_ID", "no spaces allowed")])
        .resolve()
        .expect_err("invalid tenant");
    assert!(
        error.to_string().contains("CAMUNDA_DEFAULT_TENANT_ID"),
        "{error}"
    );
}

/// Answers the token endpoint; counts calls.
struct Tokens(Arc<AtomicU32>);

impl Respond for Tokens {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        self.0.fetch_add(1, Ordering::SeqCst);
        ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "opaque-orchestration-token", "token_type": "Bearer", "expires_in": 3600
        }))
    }
}

const TOPOLOGY_V2: &str = r#"{"brokers":[],"clusterId":"orders-dev","clusterSize":1,"partitionsCount":1,"replicationFactor":1,"gatewayVersion":"8.8.3","lastCompletedChangeId":"-1"}"#;
const TOPOLOGY_V1: &str = r#"{"brokers":[],"clusterSize":1,"partitionsCount":1,"replicationFactor":1,"gatewayVersion":"8.8.3"}"#;

#[tokio::test]
async fn one_token_serves_orchestration_and_zeebe() {
    let server = MockServer::start().await;
    let tokens = Arc::new(AtomicU32::new(0));
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(Tokens(tokens.clone()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/topology"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(TOPOLOGY_V2, "application/json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/topology"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(TOPOLOGY_V1, "application/json"))
        .mount(&server)
        .await;
    let camunda = Config::new()
        .oauth_url(format!("{}/oauth/token", server.uri()))
        .client_credentials("worker", "orchestration-secret")
        .orchestration_url(server.uri())
        .zeebe_url(server.uri())
        .build()
        .expect("client");
    camunda
        .orchestration()
        .unwrap()
        .get_topology()
        .send()
        .await
        .expect("v2 topology");
    camunda
        .zeebe()
        .unwrap()
        .get_topology()
        .send()
        .await
        .expect("v1 topology");
    assert_eq!(tokens.load(Ordering::SeqCst), 1);
}

/// Echoes the request body back as a process instance creation result.
struct EchoCreated;

impl Respond for EchoCreated {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        ResponseTemplate::new(200).set_body_json(json!({
            "processInstanceKey": "2251799813690746",
            "processDefinitionId": body["processDefinitionId"],
            "processDefinitionKey": "2251799813686749",
            "processDefinitionVersion": 1,
            "tenantId": body["tenantId"],
            "businessId": null, "tags": [], "variables": {}
        }))
    }
}

fn local(server: &MockServer) -> Config {
    Config::new()
        .orchestration_url(server.uri())
        .auth_strategy(AuthStrategy::None)
        .retry_policy(
            RetryPolicy::new()
                .max_attempts(4)
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(5)),
        )
}

fn start_by_id(
    id: &str,
    tenant: Option<&str>,
) -> camunda8::orchestration::types::ProcessInstanceCreationInstruction {
    let mut body = json!({ "processDefinitionId": id });
    if let Some(t) = tenant {
        body["tenantId"] = json!(t);
    }
    serde_json::from_value(body).expect("instruction")
}

#[tokio::test]
async fn default_tenant_is_filled_into_commands_only_when_missing() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/process-instances"))
        .respond_with(EchoCreated)
        .mount(&server)
        .await;
    let camunda = local(&server)
        .default_tenant_id("acme")
        .build()
        .expect("client");
    let client = camunda.orchestration().unwrap();
    let filled = client
        .create_process_instance()
        .body(start_by_id("order", None))
        .send()
        .await
        .expect("created")
        .into_inner();
    assert_eq!(filled.tenant_id.as_str(), "acme");
    let kept = client
        .create_process_instance()
        .body(start_by_id("order", Some("other")))
        .send()
        .await
        .expect("created")
        .into_inner();
    assert_eq!(kept.tenant_id.as_str(), "other");
}

#[tokio::test]
async fn default_tenant_goes_into_a_deployment() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/deployments"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "deploymentKey": "2251799813685250", "tenantId": "acme", "deployments": []
        })))
        .mount(&server)
        .await;
    let camunda = local(&server)
        .default_tenant_id("acme")
        .build()
        .expect("client");
    camunda
        .orchestration()
        .unwrap()
        .create_deployment()
        .resource("a.bpmn", b"<definitions/>".to_vec())
        .send()
        .await
        .expect("deployed");
    let received = server.received_requests().await.unwrap();
    let body = String::from_utf8_lossy(&received[0].body).into_owned();
    assert!(
        body.contains(
            "name=\"tenantId\"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nacme\r\n"
        ),
        "{body}"
    );
}

/// What each command sent as its tenant, recorded by a server that answers
/// every request with `{}` (the answers are not what is tested).
#[derive(Debug, Default, PartialEq)]
struct Tenants {
    /// The `tenantId` member of each JSON command body, by path.
    commands: Vec<(String, Option<Value>)>,
    /// The `tenantId` part of the deployment, if any.
    deployment: Option<String>,
    /// Whether the search body had any tenant anywhere.
    search_has_tenant: bool,
}

/// Sends every command that takes a tenant (none naming one) and a search
/// through `config`, and reports what was sent.
async fn tenants_sent(configure: impl FnOnce(Config) -> Config) -> Tenants {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let camunda = configure(local(&server)).build().expect("client");
    let client = camunda.orchestration().unwrap();
    fn typed<T: serde::de::DeserializeOwned>(body: Value) -> T {
        serde_json::from_value(body).expect("a valid body")
    }
    // The answers (`{}`) need not decode: only the requests matter here.
    let _ = client
        .create_process_instance()
        .body(start_by_id("order", None))
        .send()
        .await;
    let _ = client
        .publish_message()
        .body(typed::<
            camunda8::orchestration::types::MessagePublicationRequest,
        >(json!({"name": "paid", "correlationKey": "o-1"})))
        .send()
        .await;
    let _ = client
        .correlate_message()
        .body(typed::<
            camunda8::orchestration::types::MessageCorrelationRequest,
        >(json!({"name": "paid", "correlationKey": "o-1"})))
        .send()
        .await;
    let _ = client
        .broadcast_signal()
        .body(typed::<
            camunda8::orchestration::types::SignalBroadcastRequest,
        >(json!({"signalName": "stop"})))
        .send()
        .await;
    let _ = client
        .evaluate_decision()
        .body(typed::<
            camunda8::orchestration::types::DecisionEvaluationInstruction,
        >(
            json!({"decisionDefinitionId": "discount", "variables": {"amount": 3}}),
        ))
        .send()
        .await;
    let _ = client
        .evaluate_expression()
        .body(typed::<
            camunda8::orchestration::types::ExpressionEvaluationRequest,
        >(json!({"expression": "=1 + 1"})))
        .send()
        .await;
    let _ = client
        .evaluate_conditionals()
        .body(typed::<
            camunda8::orchestration::types::ConditionalEvaluationInstruction,
        >(json!({"variables": {"ready": true}})))
        .send()
        .await;
    let _ = client
        .create_deployment()
        .resource("a.bpmn", b"<definitions/>".to_vec())
        .send()
        .await;
    let _ = client
        .search_process_instances()
        .body(typed::<
            camunda8::orchestration::types::ProcessInstanceSearchQuery,
        >(
            json!({"filter": {"processDefinitionId": "order"}})
        ))
        .send()
        .await;
    let mut tenants = Tenants::default();
    for request in server.received_requests().await.unwrap() {
        let path = request.url.path().to_string();
        if path == "/v2/deployments" {
            let body = String::from_utf8_lossy(&request.body).into_owned();
            tenants.deployment = body
                .split_once("name=\"tenantId\"\r\n")
                .and_then(|(_, rest)| rest.split_once("\r\n\r\n"))
                .and_then(|(_, value)| value.split_once("\r\n"))
                .map(|(value, _)| value.to_string());
            continue;
        }
        let body: Value = serde_json::from_slice(&request.body).expect("a JSON body");
        if path == "/v2/process-instances/search" {
            tenants.search_has_tenant = body.to_string().contains("tenant");
            continue;
        }
        tenants.commands.push((path, body.get("tenantId").cloned()));
    }
    tenants
}

/// The expected record: every command with `tenant`, the search without.
fn every_command_with(tenant: Option<&str>) -> Tenants {
    let paths = [
        "/v2/process-instances",
        "/v2/messages/publication",
        "/v2/messages/correlation",
        "/v2/signals/broadcast",
        "/v2/decision-definitions/evaluation",
        "/v2/expression/evaluation",
        "/v2/conditionals/evaluation",
    ];
    Tenants {
        commands: paths
            .iter()
            .map(|p| (p.to_string(), tenant.map(|t| json!(t))))
            .collect(),
        deployment: tenant.map(str::to_string),
        search_has_tenant: false,
    }
}

/// Like Camunda's Java and TypeScript clients: `<default>` on every
/// command that takes a tenant (a multi-tenant cluster refuses one without),
/// nothing in searches.
#[tokio::test]
async fn commands_get_the_default_tenant_unless_configured_otherwise() {
    assert_eq!(
        tenants_sent(|c| c).await,
        every_command_with(Some("<default>"))
    );
    assert_eq!(
        tenants_sent(|c| c.default_tenant_id("acme")).await,
        every_command_with(Some("acme"))
    );
    assert_eq!(
        tenants_sent(Config::no_default_tenant).await,
        every_command_with(None)
    );
}

#[tokio::test]
async fn a_tenant_set_on_the_request_wins_over_the_default() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/process-instances"))
        .respond_with(EchoCreated)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/deployments"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "deploymentKey": "2251799813685250", "tenantId": "other", "deployments": []
        })))
        .mount(&server)
        .await;
    let camunda = local(&server).build().expect("client");
    let client = camunda.orchestration().unwrap();
    let kept = client
        .create_process_instance()
        .body(start_by_id("order", Some("other")))
        .send()
        .await
        .expect("created")
        .into_inner();
    assert_eq!(kept.tenant_id.as_str(), "other");
    client
        .create_deployment()
        .resource("a.bpmn", b"<definitions/>".to_vec())
        .tenant_id(TenantId::new("other").unwrap())
        .send()
        .await
        .expect("deployed");
    let received = server.received_requests().await.unwrap();
    let body = String::from_utf8_lossy(&received[1].body).into_owned();
    assert!(body.contains("\r\n\r\nother\r\n"), "{body}");
    assert!(!body.contains("<default>"), "{body}");
}

/// One server per backpressure signal: the first answer is backpressure,
/// the second a success.
async fn backpressure_then_topology(first: ResponseTemplate) -> (MockServer, Camunda) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/topology"))
        .respond_with(first)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/topology"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(TOPOLOGY_V2, "application/json"))
        .with_priority(2)
        .mount(&server)
        .await;
    let camunda = local(&server).build().expect("client");
    (server, camunda)
}

async fn retried_once(first: ResponseTemplate) {
    let (server, camunda) = backpressure_then_topology(first).await;
    camunda
        .orchestration()
        .unwrap()
        .get_topology()
        .send()
        .await
        .expect("retried until success");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

/// Camunda 8.6 and 8.7.
#[tokio::test]
async fn backpressure_as_429_is_retried() {
    retried_once(ResponseTemplate::new(429)).await;
}

/// Camunda 8.8.0 to 8.8.2.
#[tokio::test]
async fn backpressure_as_500_resource_exhausted_is_retried() {
    retried_once(ResponseTemplate::new(500).set_body_raw(
        r#"{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"Expected to handle REST API request, but received RESOURCE_EXHAUSTED","instance":"/v2/topology"}"#,
        "application/problem+json",
    ))
    .await;
}

/// Camunda 8.8.3 and later.
#[tokio::test]
async fn backpressure_as_503_resource_exhausted_is_retried() {
    retried_once(ResponseTemplate::new(503).set_body_raw(
        r#"{"type":"about:blank","title":"RESOURCE_EXHAUSTED","status":503,"detail":"Expected to handle REST API request, but the partition is under backpressure","instance":"/v2/topology"}"#,
        "application/problem+json",
    ))
    .await;
}

#[tokio::test]
async fn other_server_errors_are_returned_at_once() {
    let (server, camunda) = backpressure_then_topology(ResponseTemplate::new(503).set_body_raw(
        r#"{"type":"about:blank","title":"Service Unavailable","status":503,"detail":"no leader","instance":"/v2/topology"}"#,
        "application/problem+json",
    ))
    .await;
    let error = camunda
        .orchestration()
        .unwrap()
        .get_topology()
        .send()
        .await
        .expect_err("503 without RESOURCE_EXHAUSTED is a failure");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

/// A get right after a create: 404 until the secondary store catches up.
/// (Real time with short pauses: a paused clock would fire the HTTP
/// client's own timeouts while the server answers.)
#[tokio::test]
async fn eventually_retries_not_found_until_the_instance_shows() {
    let server = MockServer::start().await;
    let key = "2251799813690746";
    Mock::given(method("GET"))
        .and(path(format!("/v2/process-instances/{key}")))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "type": "about:blank", "title": "NOT_FOUND", "status": 404,
            "detail": "not found", "instance": "/v2/process-instances"
        })))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/process-instances/{key}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "processInstanceKey": key, "processDefinitionId": "order",
            "processDefinitionKey": "2251799813686749", "processDefinitionVersion": 1,
            "processDefinitionName": "Order", "processDefinitionVersionTag": null,
            "startDate": "2026-11-30T09:12:44.000Z", "endDate": null, "state": "ACTIVE",
            "hasIncident": false, "tenantId": "<default>", "businessId": null,
            "parentProcessInstanceKey": null, "parentElementInstanceKey": null,
            "rootProcessInstanceKey": key, "suspendedDate": null, "tags": []
        })))
        .with_priority(2)
        .mount(&server)
        .await;
    let camunda = local(&server).build().expect("client");
    let client = camunda.orchestration().unwrap();
    let key: ProcessInstanceKey = key.parse().unwrap();
    let instance = eventually(|| {
        client
            .get_process_instance()
            .process_instance_key(&key)
            .send()
    })
    .poll_interval(Duration::from_millis(5), Duration::from_millis(20))
    .found()
    .await
    .expect("visible after two 404s");
    // The key returned feeds the next call as it is.
    assert_eq!(instance.process_instance_key, key);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

/// A search that never shows the instance: under paused time, the wait
/// ends at the deadline with the last page, after backed-off polls.
#[tokio::test(start_paused = true)]
async fn eventually_gives_up_at_the_deadline_with_the_last_response() {
    use camunda8::ResponseValue;
    let calls = AtomicU32::new(0);
    let started = tokio::time::Instant::now();
    let result = eventually(|| {
        calls.fetch_add(1, Ordering::SeqCst);
        async {
            let empty: Vec<u32> = Vec::new();
            Ok::<_, camunda8::ApiError<()>>(ResponseValue::new(
                empty,
                reqwest::StatusCode::OK,
                reqwest::header::HeaderMap::new(),
            ))
        }
    })
    .timeout(Duration::from_secs(5))
    .until(|items| !items.is_empty())
    .await;
    match result {
        Err(ConsistencyError::TimedOut {
            last: Some(items),
            attempts,
            waited,
        }) => {
            assert!(items.is_empty());
            // 100 ms doubling to 1 s: 0.1+0.2+0.4+0.8+1+1+1 ... within 5 s.
            assert!((6..=10).contains(&attempts), "{attempts}");
            assert_eq!(attempts, calls.load(Ordering::SeqCst));
            assert_eq!(waited, Duration::from_secs(5));
        }
        other => panic!("expected a timeout with the last page, got {other:?}"),
    }
    assert_eq!(started.elapsed(), Duration::from_secs(5));
}

#[tokio::test]
async fn eventually_stops_at_an_error_that_is_not_404() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/process-instances/1"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "type": "about:blank", "title": "FORBIDDEN", "status": 403,
            "detail": "missing permission", "instance": "/v2/process-instances/1"
        })))
        .mount(&server)
        .await;
    let camunda = local(&server).build().expect("client");
    let client = camunda.orchestration().unwrap();
    let key = ProcessInstanceKey::from(1);
    let result = eventually(|| {
        client
            .get_process_instance()
            .process_instance_key(&key)
            .send()
    })
    .found()
    .await;
    assert!(
        matches!(result, Err(ConsistencyError::Failed(ref e)) if e.status().map(|s| s.as_u16()) == Some(403))
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[test]
fn keys_are_checked_and_print_as_their_value() {
    let key: JobKey = "2251799813653498".parse().expect("numeric key");
    assert_eq!(key.to_string(), "2251799813653498");
    assert_eq!(
        serde_json::to_value(&key).unwrap(),
        json!("2251799813653498")
    );
    assert!("12a".parse::<JobKey>().is_err());
    assert!("".parse::<JobKey>().is_err());
    assert!(JobKey::new("1".repeat(26)).is_err(), "longer than 25");
    let error = "not a key".parse::<ProcessInstanceKey>().unwrap_err();
    assert_eq!(error.kind, "ProcessInstanceKey");
    assert!(TenantId::new("<default>").is_ok());
    assert!(TenantId::new("customer-service").is_ok());
    assert!(TenantId::new("has space").is_err());
    // Decoding checks too: a malformed key in a response is an error.
    assert!(serde_json::from_value::<JobKey>(json!("x")).is_err());
}

/// Two success kinds (200 with a form, 204 without): the 204 that
/// progenitor cannot type (step `single_success_kind`) is `None` here.
#[tokio::test]
async fn a_missing_form_is_none_and_xml_is_text() {
    use camunda8::orchestration::keys::{ProcessDefinitionKey, UserTaskKey};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/user-tasks/1/form"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/user-tasks/2/form"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "formId": "invoice-form", "schema": "{\"components\":[]}", "version": 2,
            "formKey": "2251799813685260", "tenantId": "<default>"
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/process-definitions/3/xml"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("<definitions id=\"d\"/>", "text/xml"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/process-definitions/4/xml"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let camunda = local(&server).build().expect("client");
    let client = camunda.orchestration().unwrap();
    assert!(
        client
            .user_task_form(&UserTaskKey::from(1))
            .await
            .expect("204")
            .is_none()
    );
    let form = client
        .user_task_form(&UserTaskKey::from(2))
        .await
        .expect("200")
        .expect("a form");
    assert_eq!(form.form_key.as_str(), "2251799813685260");
    let xml = client
        .process_definition_xml(&ProcessDefinitionKey::from(3))
        .await
        .expect("xml");
    assert_eq!(xml.as_deref(), Some("<definitions id=\"d\"/>"));
    let none = client
        .process_definition_xml(&ProcessDefinitionKey::from(4))
        .await
        .expect("204");
    assert!(none.is_none());
}
