//! Operations the contract serves on a server of their own go there
//! (generation step `operation_servers`, codegen/post/servers.rs): the
//! Orchestration Cluster API's `/cluster/v2/*` operations are served at the
//! gateway's root, the configured address without its `/v2`, which keeps a
//! SaaS cluster id or a gateway's path prefix. Every other operation is
//! still sent under the API's base. Checked on the request lines a
//! recording server receives.
#![cfg(feature = "orchestration")]

use camunda8::hooks::Inner;
use camunda8::orchestration::Client;
use camunda8::{ApiError, AuthStrategy, Config};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server answering the four operations used here under `prefix` (the
/// part of the address before `/v2`), and 404 to anything else.
async fn server(prefix: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{prefix}/cluster/v2/status")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"status": "HEALTHY"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("{prefix}/cluster/v2/backups/history/7")))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{prefix}/v2/status")))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("{prefix}/v2/user-tasks/5/assignee")))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

/// `METHOD /path` of every request `server` received, in order.
async fn request_lines(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect()
}

/// Calls two cluster operations (one with a path parameter, one without)
/// and two ordinary ones, twice (the second call of a parameterless path
/// takes the URL kept after the first).
async fn call_all(client: &Client) {
    for _ in 0..2 {
        let status = client
            .get_cluster_status()
            .send()
            .await
            .expect("cluster status");
        assert_eq!(status.status.to_string(), "HEALTHY");
        client
            .delete_history_backup_as_cluster_admin()
            .backup_id("7")
            .send()
            .await
            .expect("backup deleted");
        client.get_status().send().await.expect("status");
        client
            .unassign_user_task()
            .user_task_key(5)
            .send()
            .await
            .expect("unassigned");
    }
}

fn expected(prefix: &str) -> Vec<String> {
    let once = [
        format!("GET {prefix}/cluster/v2/status"),
        format!("DELETE {prefix}/cluster/v2/backups/history/7"),
        format!("GET {prefix}/v2/status"),
        format!("DELETE {prefix}/v2/user-tasks/5/assignee"),
    ];
    once.iter().chain(once.iter()).cloned().collect()
}

#[tokio::test]
async fn cluster_operations_go_to_the_root_of_a_plain_address() {
    let server = server("").await;
    let client = Client::new(&format!("{}/v2", server.uri()), Inner::default());
    call_all(&client).await;
    assert_eq!(request_lines(&server).await, expected(""));
}

#[tokio::test]
async fn a_saas_style_address_keeps_its_cluster_id() {
    let cluster = "/0f3c1b2a-aaaa-bbbb-cccc-123456789abc";
    let server = server(cluster).await;
    let client = Client::new(&format!("{}{cluster}/v2", server.uri()), Inner::default());
    call_all(&client).await;
    assert_eq!(request_lines(&server).await, expected(cluster));
}

#[tokio::test]
async fn an_exact_address_behind_a_path_prefix_keeps_its_prefix() {
    let server = server("/prefix").await;
    let config = Config::new()
        .orchestration_url(format!("{}/prefix/v2", server.uri()))
        .orchestration_url_exact(true)
        .auth_strategy(AuthStrategy::None);
    let camunda = config.build().expect("client");
    call_all(camunda.orchestration().expect("orchestration")).await;
    assert_eq!(request_lines(&server).await, expected("/prefix"));
}

/// An exact address without `/v2` says nothing about where the gateway's
/// root is: a cluster operation fails before anything is sent, saying why;
/// the other operations are sent to the address as given.
#[tokio::test]
async fn an_exact_address_without_v2_refuses_cluster_operations_only() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/gateway/status"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let config = Config::new()
        .orchestration_url(format!("{}/gateway", server.uri()))
        .orchestration_url_exact(true)
        .auth_strategy(AuthStrategy::None);
    let camunda = config.build().expect("client");
    let client = camunda.orchestration().expect("orchestration");
    match client.get_cluster_status().send().await {
        Err(ApiError::InvalidRequest { message }) => {
            assert!(message.contains("does not end in `/v2`"), "{message}");
            assert!(!message.contains("gateway"), "{message}");
        }
        other => panic!("expected an invalid request, got {other:?}"),
    }
    client.get_status().send().await.expect("status");
    assert_eq!(request_lines(&server).await, vec!["GET /gateway/status"]);
}
