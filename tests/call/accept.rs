//! The `Accept` header each kind of request sends: `application/json` for
//! a JSON answer, otherwise the type the contract declares for the
//! operation's success answer, never the HTTP client's `*/*`. Generated
//! calls get it from progenitor (JSON) or from the generator's step
//! `accept_success_media_types` (codegen/post/accept.rs: XML, CSV, a
//! document's bytes); the requests the crate writes by hand (XML and CSV as
//! text, multipart uploads; the worker's activation is checked in
//! tests/worker.rs) send the same.

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
        .and(path_regex(
            "^/v2/(documents/[^/]+|resources/[0-9]+/content/binary)$",
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(&b"%PDF-1.7"[..], "application/octet-stream"),
        )
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

/// The `Accept` of each request the server received, by path (requests
/// to one path must all send the same).
async fn accept_by_path(server: &MockServer) -> BTreeMap<String, Option<String>> {
    let mut out = BTreeMap::new();
    for r in server.received_requests().await.unwrap() {
        let accept = r
            .headers
            .get_all("accept")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect::<Vec<_>>();
        assert!(accept.len() <= 1, "{} sent Accept twice", r.url.path());
        let accept = accept.into_iter().next();
        if let Some(before) = out.insert(r.url.path().to_owned(), accept.clone()) {
            assert_eq!(
                before,
                accept,
                "{}: two requests, two Accepts",
                r.url.path()
            );
        }
    }
    out
}

fn http() -> reqwest::Client {
    reqwest::Client::new()
}

/// The bytes of a generated call's streamed answer.
async fn bytes(answer: progenitor_client::ResponseValue<progenitor_client::ByteStream>) -> Vec<u8> {
    use futures::TryStreamExt;
    let chunks: Vec<_> = answer.into_inner_stream().try_collect().await.unwrap();
    chunks.concat()
}

#[tokio::test]
async fn requests_ask_for_what_the_contract_answers() {
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

    // Generated calls whose answer is not JSON (other keys than the
    // hand-written calls', so that each path is one request).
    let document = orchestration
        .get_document()
        .document_id("doc-1")
        .send()
        .await
        .expect("document");
    assert_eq!(bytes(document).await, b"%PDF-1.7");
    let content = orchestration
        .get_resource_content_binary()
        .resource_key("6")
        .send()
        .await
        .expect("content");
    assert_eq!(bytes(content).await, b"%PDF-1.7");
    let xml = orchestration
        .get_process_definition_xml()
        .process_definition_key(11)
        .send()
        .await
        .expect("xml");
    assert_eq!(bytes(xml).await, b"<definitions/>");
    orchestration
        .get_decision_definition_xml()
        .decision_definition_key(12)
        .send()
        .await
        .expect("xml");
    orchestration
        .get_decision_requirements_xml()
        .decision_requirements_key(13)
        .send()
        .await
        .expect("xml");
    operate
        .get_process_definition_xml()
        .key(14)
        .send()
        .await
        .expect("xml");
    operate
        .get_decision_requirements_xml()
        .key(15)
        .send()
        .await
        .expect("xml");
    // The same path as the hand-written activity_csv: the same Accept.
    admin.get_csv().send().await.expect("csv");

    let json = Some("application/json".to_owned());
    let xml = Some("text/xml".to_owned());
    let bytes = Some("application/octet-stream".to_owned());
    let expected: BTreeMap<String, Option<String>> = [
        ("/v2/topology", json.clone()),
        ("/v2/process-definitions/1/xml", xml.clone()),
        ("/v2/decision-definitions/2/xml", xml.clone()),
        ("/v2/decision-requirements/3/xml", xml.clone()),
        ("/v1/process-definitions/4/xml", xml.clone()),
        ("/v1/drd/5/xml", xml.clone()),
        ("/activity/csv", Some("text/csv".to_owned())),
        ("/v2/deployments", json),
        ("/v2/documents/doc-1", bytes.clone()),
        ("/v2/resources/6/content/binary", bytes),
        ("/v2/process-definitions/11/xml", xml.clone()),
        ("/v2/decision-definitions/12/xml", xml.clone()),
        ("/v2/decision-requirements/13/xml", xml.clone()),
        ("/v1/process-definitions/14/xml", xml.clone()),
        ("/v1/drd/15/xml", xml),
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
