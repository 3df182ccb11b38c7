//! Through the whole client (OAuth with a 401 renewal, cookie login with a
//! failed attempt, Basic and Bearer), nothing secret reaches the logs, the
//! errors or `Debug` output, while the request spans are there.

mod support;

use base64::Engine as _;
use camunda8::{AuthStrategy, Config};
use support::log_capture::LogBuffer;
use support::token_fixtures::{jwt_expiring, token_body};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_SECRET: &str = "Cl13nt-S3cr3t-for-leak-check";
const PASSWORD: &str = "0perate-Pa55w0rd-leak-check";
const COOKIE: &str = "5e55i0n-c00k1e-leak-check";
const BEARER: &str = "st4tic-b34rer-leak-check";
const TOPOLOGY: &str = r#"{"brokers":[],"clusterSize":1,"partitionsCount":1,"replicationFactor":1,"gatewayVersion":"8.6.7"}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_in_logs_errors_or_debug() {
    let logs = LogBuffer::default();
    logs.install_globally();
    let server = MockServer::start().await;
    let far = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
    let (first, second) = (jwt_expiring(far, "first"), jwt_expiring(far, "second"));
    let mut printed = Vec::new();

    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body(&first, Some(300))))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body(&second, Some(300))))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/zeebe/v1/topology"))
        .and(header("authorization", format!("Bearer {first}").as_str()))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/zeebe/v1/topology"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(TOPOLOGY, "application/json"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/operate/api/login"))
        .and(query_param("password", PASSWORD))
        .respond_with(ResponseTemplate::new(204).insert_header(
            "set-cookie",
            format!("OPERATE-SESSION={COOKIE}; Path=/").as_str(),
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/operate/api/login"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_string(format!("bad credentials for password={PASSWORD}-wrong")),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/operate/v1/process-definitions/2251799813685246"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "key": 2251799813685246_i64, "name": "Order process", "version": 3,
            "bpmnProcessId": "order-process", "tenantId": "<default>"
        })))
        .mount(&server)
        .await;

    // Anything else: 404. (Without a match, wiremock — the server side, not
    // the client under test — logs the whole request, headers included.)
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(404))
        .with_priority(u8::MAX)
        .mount(&server)
        .await;

    // OAuth, with the first token revoked.
    let oauth_config = Config::new()
        .oauth_url(format!("{}/oauth/token", server.uri()))
        .client_credentials("leak-check-client", CLIENT_SECRET)
        .zeebe_url(format!("{}/zeebe", server.uri()));
    printed.push(format!(
        "{oauth_config:?} {:?}",
        oauth_config.resolve().unwrap()
    ));
    let oauth = oauth_config.build().unwrap();
    let topology = oauth.zeebe().unwrap().get_topology().send().await.unwrap();
    printed.push(format!("{oauth:?} {topology:?}"));

    // Cookie login, then a failing one.
    let cookie_config = Config::new()
        .operate_url(format!("{}/operate", server.uri()))
        .cookie_credentials("demo", PASSWORD);
    printed.push(format!(
        "{cookie_config:?} {:?}",
        cookie_config.resolve().unwrap()
    ));
    let cookie = cookie_config.build().unwrap();
    let definition = cookie
        .operate()
        .unwrap()
        .get_process_definition()
        .key(2251799813685246_i64)
        .send()
        .await
        .unwrap();
    printed.push(format!("{cookie:?} {definition:?}"));
    let wrong = Config::new()
        .operate_url(format!("{}/operate", server.uri()))
        .cookie_credentials("demo", format!("{PASSWORD}-wrong"))
        .build()
        .unwrap();
    let error = wrong
        .operate()
        .unwrap()
        .get_process_definition()
        .key(2251799813685246_i64)
        .send()
        .await
        .unwrap_err();
    printed.push(format!("{error} {error:?}"));

    // Basic and a static bearer token (the requests fail; only printing matters).
    let basic = Config::new()
        .zeebe_url(format!("{}/nowhere", server.uri()))
        .basic_auth("demo", PASSWORD)
        .auth_strategy(AuthStrategy::Basic)
        .build()
        .unwrap();
    let basic_error = basic
        .zeebe()
        .unwrap()
        .get_topology()
        .send()
        .await
        .unwrap_err();
    printed.push(format!("{basic:?} {basic_error} {basic_error:?}"));
    let bearer = Config::new()
        .zeebe_url(format!("{}/nowhere", server.uri()))
        .bearer_token(BEARER)
        .build()
        .unwrap();
    let bearer_error = bearer
        .zeebe()
        .unwrap()
        .get_topology()
        .send()
        .await
        .unwrap_err();
    printed.push(format!("{bearer:?} {bearer_error} {bearer_error:?}"));

    let everything = format!("{}\n{}", logs.contents(), printed.join("\n"));
    let basic_header = base64::engine::general_purpose::STANDARD.encode(format!("demo:{PASSWORD}"));
    for secret in [
        CLIENT_SECRET,
        PASSWORD,
        COOKIE,
        BEARER,
        first.as_str(),
        second.as_str(),
        basic_header.as_str(),
    ] {
        assert!(
            !everything.contains(secret),
            "a secret leaked: {secret}\n{everything}"
        );
    }
    // The spans are there: the logs are not empty by accident.
    assert!(everything.contains("camunda8.request"), "{everything}");
    assert!(
        everything.contains("GetTopology") || everything.contains("get_topology"),
        "{everything}"
    );
}
