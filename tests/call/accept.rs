//! The `Accept` header of the requests the crate writes by hand (XML and
//! CSV downloads, multipart uploads; the worker's activation is checked in
//! tests/worker.rs) is the one a generated call would send: `application/json`
//! for a JSON answer, otherwise the type the contract declares for the
//! operation's success answer, never the HTTP client's `*/*`.

#![cfg(all(feature = "admin", feature = "operate", feature = "orchestration"))]

use std::collections::BTreeMap;

use camunda8::hooks::Inner;
use camunda8::orchestration::keys::{
    DecisionDefinitionKey, DecisionRequirementsKey, ProcessDefinitionKey,
};
use serde_json::json;
use wiremock::matchers::{any, method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOPOLOGY: &str = r#"{"brokers":[],"clusterId":"orders-dev","clusterSize":1,"partitionsCount":1,"replicationFactor":1,"gatewayVersion":"8.8.3","lastCompletedChangeId":"-1"}"#;

/// A server that answers each kind of request the way Camunda does.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path_regex("/xml$"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<definitions/>", "text/xml"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/activity/csv"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("when,what\n", "text/csv"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/topology"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(TOPOLOGY, "application/json"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/deployments"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "deploymentKey": "2251799813685250", "tenantId": "<default>", "deployments": []
        })))
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404))
        .with_priority(10)
        .mount(&server)
        .await;
    server
}

/// The `Accept` of each request the server received, by path.
async fn accept_by_path(server: &MockServer) -> BTreeMap<String, Option<String>> {
    server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            let accept = r
                .headers
                .get_all("accept")
                .iter()
                .map(|v| v.to_str().unwrap().to_owned())
                .collect::<Vec<_>>();
            assert!(accept.len() <= 1, "{} sent Accept twice", r.url.path());
            (r.url.path().to_owned(), accept.into_iter().next())
        })
        .collect()
}

fn http() -> reqwest::Client {
    reqwest::Client::new()
}

#[tokio::test]
async fn hand_written_requests_ask_for_what_the_contract_answers() {
    let server = server().await;
    let base = server.uri();
    let orchestration = camunda8::orchestration::Client::new_with_client(
        &format!("{base}/v2"),
        http(),
        Inner::unauthenticated(),
    );
    let operate =
        camunda8::operate::Client::new_with_client(&base, http(), Inner::unauthenticated());
    let admin = camunda8::admin::Client::new_with_client(&base, http(), Inner::unauthenticated());

    // A generated call with a JSON answer: what the others must match.
    orchestration.get_topology().send().await.expect("topology");
    let xml = orchestration
        .process_definition_xml(&ProcessDefinitionKey::from(1))
        .await
        .expect("xml");
    assert_eq!(xml.as_deref(), Some("<definitions/>"));
    orchestration
        .decision_definition_xml(&DecisionDefinitionKey::from(2))
        .await
        .expect("xml");
    orchestration
        .decision_requirements_xml(&DecisionRequirementsKey::from(3))
        .await
        .expect("xml");
    assert_eq!(
        operate.process_definition_xml(4).await.expect("xml"),
        "<definitions/>"
    );
    operate.decision_requirements_xml(5).await.expect("xml");
    assert_eq!(admin.activity_csv().await.expect("csv"), "when,what\n");
    orchestration
        .create_deployment()
        .resource("a.bpmn", b"<definitions/>".to_vec())
        .send()
        .await
        .expect("deployed");

    let json = Some("application/json".to_owned());
    let xml = Some("text/xml".to_owned());
    let expected: BTreeMap<String, Option<String>> = [
        ("/v2/topology", json.clone()),
        ("/v2/process-definitions/1/xml", xml.clone()),
        ("/v2/decision-definitions/2/xml", xml.clone()),
        ("/v2/decision-requirements/3/xml", xml.clone()),
        ("/v1/process-definitions/4/xml", xml.clone()),
        ("/v1/drd/5/xml", xml),
        ("/activity/csv", Some("text/csv".to_owned())),
        ("/v2/deployments", json),
    ]
    .into_iter()
    .map(|(p, a)| (p.to_owned(), a))
    .collect();
    assert_eq!(accept_by_path(&server).await, expected);
}

/// The XML helpers keep the answers they had through the generated calls:
/// a declared error with its problem body, an undeclared 204 as an answer
/// of that status.
#[tokio::test]
async fn xml_helpers_report_errors_as_before() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/decision-definitions/7/xml"))
        .respond_with(
            ResponseTemplate::new(404).set_body_raw(
                r#"{"type":"about:blank","title":"NOT_FOUND","status":404,"detail":"no decision 7","instance":"/v2/decision-definitions/7/xml"}"#,
                "application/problem+json",
            ),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/decision-definitions/8/xml"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let orchestration = camunda8::orchestration::Client::new_with_client(
        &format!("{}/v2", server.uri()),
        http(),
        Inner::unauthenticated(),
    );
    let missing = orchestration
        .decision_definition_xml(&DecisionDefinitionKey::from(7))
        .await
        .expect_err("404");
    assert_eq!(missing.status().map(|s| s.as_u16()), Some(404));
    assert!(missing.to_string().contains("no decision 7"), "{missing}");
    let empty = orchestration
        .decision_definition_xml(&DecisionDefinitionKey::from(8))
        .await
        .expect_err("204 is not declared here");
    assert_eq!(empty.status().map(|s| s.as_u16()), Some(204));
}
