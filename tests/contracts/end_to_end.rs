//! `Camunda` against real peers: tokens from a real OAuth2 server
//! (`oauth2-mock-server`, signed JWTs with `exp`) and API calls to Prism
//! mock servers that validate every request against the contracts.

use crate::support::oauth2_server::OAuth2Server;
use crate::support::prism::Prism;
use crate::support::spec::contract_with_errata;
use camunda8::Config;
use serde_json::Value;

/// Prism serves paths as written, ignoring the server URL. Zeebe's server
/// URL ends in `/v1` (its paths do not), so a real gateway answers under
/// `/v1`: move the paths there, as the gateway has them.
fn zeebe_as_served() -> Value {
    let mut spec = contract_with_errata("zeebe");
    let paths = spec["paths"].as_object().cloned().unwrap_or_default();
    spec["paths"] = paths
        .into_iter()
        .map(|(path, item)| (format!("/v1{path}"), item))
        .collect::<serde_json::Map<_, _>>()
        .into();
    spec
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oauth_tokens_from_a_real_server_and_requests_valid_against_the_contracts() {
    let oauth = OAuth2Server::start();
    let (zeebe_spec, operate_spec) = (zeebe_as_served(), contract_with_errata("operate"));
    let (zeebe, operate) = tokio::join!(Prism::serve(&zeebe_spec), Prism::serve(&operate_spec));

    let camunda = Config::new()
        .oauth_url(oauth.token_url().as_str())
        .client_credentials("orders-worker", "e2e-client-secret")
        .zeebe_url(format!("{}/", zeebe.base_url()))
        .operate_url(format!("{}/v1/", operate.base_url()))
        .build()
        .unwrap();

    let zeebe_client = camunda.zeebe().unwrap();
    let operate_client = camunda.operate().unwrap();
    for _ in 0..3 {
        let topology = zeebe_client.get_topology().send().await.unwrap();
        assert!(topology.brokers.is_some());
        zeebe_client
            .assign_user_task()
            .user_task_key(2251799813685249_i64)
            .body(camunda8::zeebe::types::UserTaskAssignmentRequest {
                assignee: Some("ada@example.com".to_owned()),
                allow_override: Some(true),
                action: None,
            })
            .send()
            .await
            .unwrap();
        let found = operate_client
            .search_process_instances()
            .body(camunda8::operate::types::QueryProcessInstance {
                size: Some(20),
                ..Default::default()
            })
            .send()
            .await
            .unwrap();
        assert!(found.total.is_some());
        let xml = operate_client
            .process_definition_xml(2251799813685246)
            .await
            .unwrap();
        assert!(!xml.is_empty());
    }
    let stats = camunda.token_stats();
    assert_eq!(
        stats.token_requests, 2,
        "one token per audience for 12 requests: {stats:?}"
    );
}
