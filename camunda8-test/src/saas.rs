//! A local stand-in for Camunda SaaS, run in-process by the examples when no
//! credentials are configured: a token endpoint and the four APIs, each
//! answering with a realistic response and refusing requests without a
//! bearer token. The Orchestration Cluster API part keeps state: a deployed
//! process can be started, and a started instance shows up in searches only
//! from the third search on, like a real cluster's eventually consistent
//! secondary store.
//!
//! The examples of the camunda8 repository run against it when no cluster
//! is configured (`from_env_or_standin`).

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use serde_json::json;
use wiremock::matchers::{body_string_contains, header_regex, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The running stand-in; stops when dropped.
pub struct StandIn {
    server: MockServer,
}

/// A cluster id the stand-in knows.
pub const CLUSTER_ID: &str = "3f6d8c2e-7a51-4b8e-9c1d-2e4f6a8b0c13";

struct TokenEndpoint;

impl Respond for TokenEndpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body = String::from_utf8_lossy(&request.body);
        let audience = body
            .split('&')
            .find_map(|kv| kv.strip_prefix("audience="))
            .unwrap_or("unknown")
            .to_owned();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let header = b64.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let claims = b64.encode(
            json!({ "aud": audience, "iat": now, "exp": now + 300, "iss": "camunda8-standin" })
                .to_string(),
        );
        ResponseTemplate::new(200).set_body_json(json!({
            "access_token": format!("{header}.{claims}.standin"),
            "token_type": "Bearer",
            "expires_in": 300,
        }))
    }
}

/// What the Orchestration Cluster API part of the stand-in remembers.
#[derive(Default)]
struct Cluster {
    next_key: u64,
    /// (process id, definition key, version)
    definitions: Vec<(String, String, i32)>,
    /// (instance key, process id, definition key, version, searches seen)
    instances: Vec<(String, String, String, i32, u32)>,
}

impl Cluster {
    fn key(&mut self) -> String {
        self.next_key += 1;
        (2251799813685248_u64 + self.next_key).to_string()
    }
}

/// How many searches a new instance stays invisible to.
const SEARCHES_BEFORE_VISIBLE: u32 = 2;

struct Deploy(Arc<Mutex<Cluster>>);

impl Respond for Deploy {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body = String::from_utf8_lossy(&request.body);
        let file = between(&body, "filename=\"", "\"").unwrap_or("process.bpmn");
        let Some(process_id) = between(&body, "process id=\"", "\"") else {
            return ResponseTemplate::new(400).set_body_json(json!({
                "type": "about:blank", "title": "INVALID_ARGUMENT", "status": 400,
                "detail": "the stand-in deploys BPMN processes only", "instance": "/v2/deployments"
            }));
        };
        let Ok(mut cluster) = self.0.lock() else {
            return ResponseTemplate::new(500);
        };
        let version = 1 + cluster
            .definitions
            .iter()
            .filter(|(id, _, _)| id == process_id)
            .count() as i32;
        let definition_key = cluster.key();
        let deployment_key = cluster.key();
        cluster
            .definitions
            .push((process_id.to_string(), definition_key.clone(), version));
        ResponseTemplate::new(200).set_body_json(json!({
            "deploymentKey": deployment_key,
            "tenantId": "<default>",
            "deployments": [{
                "processDefinition": {
                    "processDefinitionId": process_id, "processDefinitionVersion": version,
                    "resourceName": file, "tenantId": "<default>",
                    "processDefinitionKey": definition_key
                },
                "decisionDefinition": null, "decisionRequirements": null, "form": null, "resource": null
            }]
        }))
    }
}

struct Start(Arc<Mutex<Cluster>>);

impl Respond for Start {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let wanted = body["processDefinitionId"].as_str().unwrap_or_default();
        let Ok(mut cluster) = self.0.lock() else {
            return ResponseTemplate::new(500);
        };
        let Some((id, definition_key, version)) = cluster
            .definitions
            .iter()
            .rev()
            .find(|(id, _, _)| id == wanted)
            .cloned()
        else {
            return ResponseTemplate::new(404).set_body_json(json!({
                "type": "about:blank", "title": "NOT_FOUND", "status": 404,
                "detail": format!("no process definition with id '{wanted}' is deployed"),
                "instance": "/v2/process-instances"
            }));
        };
        let key = cluster.key();
        cluster
            .instances
            .push((key.clone(), id.clone(), definition_key.clone(), version, 0));
        ResponseTemplate::new(200).set_body_json(json!({
            "processInstanceKey": key, "processDefinitionId": id,
            "processDefinitionKey": definition_key, "processDefinitionVersion": version,
            "tenantId": "<default>", "businessId": null, "tags": [],
            "variables": body.get("variables").cloned().unwrap_or(json!({}))
        }))
    }
}

struct Search(Arc<Mutex<Cluster>>);

impl Respond for Search {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let wanted = body
            .pointer("/filter/processInstanceKey")
            .and_then(|k| k.as_str());
        let Ok(mut cluster) = self.0.lock() else {
            return ResponseTemplate::new(500);
        };
        let mut items = Vec::new();
        for (key, id, definition_key, version, seen) in cluster.instances.iter_mut() {
            if wanted.is_some_and(|w| w != key.as_str()) {
                continue;
            }
            *seen += 1;
            if *seen <= SEARCHES_BEFORE_VISIBLE {
                continue;
            }
            items.push(json!({
                "processInstanceKey": key, "processDefinitionId": id,
                "processDefinitionKey": definition_key, "processDefinitionVersion": version,
                "processDefinitionName": id, "processDefinitionVersionTag": null,
                "startDate": "2026-11-30T09:12:44.000Z", "endDate": null, "state": "ACTIVE",
                "hasIncident": false, "tenantId": "<default>", "businessId": null,
                "parentProcessInstanceKey": null, "parentElementInstanceKey": null,
                "rootProcessInstanceKey": key, "suspendedDate": null, "tags": []
            }));
        }
        let total = items.len();
        ResponseTemplate::new(200).set_body_json(json!({
            "items": items,
            "page": { "totalItems": total, "hasMoreTotalItems": false,
                      "startCursor": null, "endCursor": null }
        }))
    }
}

/// The text between `start` and the next `end`.
fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

impl StandIn {
    /// Start the stand-in on a free loopback port.
    pub async fn start() -> Self {
        let server = MockServer::start().await;
        let bearer = || header_regex("authorization", "^Bearer .+");

        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .and(body_string_contains("grant_type=client_credentials"))
            .respond_with(TokenEndpoint)
            .mount(&server)
            .await;

        Mock::given(method("GET"))
            .and(path(format!("/zeebe/{CLUSTER_ID}/v1/topology")))
            .and(bearer())
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "brokers": [
                    { "nodeId": 0, "host": "zeebe-0.zeebe-broker-service", "port": 26501, "version": "8.6.7",
                      "partitions": [
                        { "partitionId": 1, "role": "leader", "health": "healthy" },
                        { "partitionId": 2, "role": "follower", "health": "healthy" } ] },
                    { "nodeId": 1, "host": "zeebe-1.zeebe-broker-service", "port": 26501, "version": "8.6.7",
                      "partitions": [
                        { "partitionId": 1, "role": "follower", "health": "healthy" },
                        { "partitionId": 2, "role": "leader", "health": "healthy" } ] }
                ],
                "clusterSize": 2,
                "partitionsCount": 2,
                "replicationFactor": 2,
                "gatewayVersion": "8.6.7"
            })))
            .mount(&server)
            .await;

        let cluster = Arc::new(Mutex::new(Cluster::default()));
        Mock::given(method("POST"))
            .and(path(format!("/zeebe/{CLUSTER_ID}/v2/deployments")))
            .and(bearer())
            .respond_with(Deploy(cluster.clone()))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(format!("/zeebe/{CLUSTER_ID}/v2/process-instances")))
            .and(bearer())
            .respond_with(Start(cluster.clone()))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(format!(
                "/zeebe/{CLUSTER_ID}/v2/process-instances/search"
            )))
            .and(bearer())
            .respond_with(Search(cluster))
            .mount(&server)
            .await;

        // Operate pages with searchAfter: a request for the page after the
        // (only) page of a search below gets the empty page that ends it.
        for resource in ["process-instances", "incidents"] {
            Mock::given(method("POST"))
                .and(path(format!("/operate/{CLUSTER_ID}/v1/{resource}/search")))
                .and(bearer())
                .and(body_string_contains("searchAfter"))
                .respond_with(
                    ResponseTemplate::new(200)
                        .set_body_json(json!({ "items": [], "sortValues": [], "total": 0 })),
                )
                .with_priority(1)
                .mount(&server)
                .await;
        }

        Mock::given(method("POST"))
            .and(path(format!("/operate/{CLUSTER_ID}/v1/process-instances/search")))
            .and(bearer())
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "items": [
                    { "key": 2251799813685249_i64, "processVersion": 3, "bpmnProcessId": "order-process",
                      "startDate": "2026-11-20T09:12:44.000+0000", "state": "ACTIVE",
                      "processDefinitionKey": 2251799813685246_i64, "tenantId": "<default>",
                      "incident": false },
                    { "key": 2251799813685301_i64, "processVersion": 3, "bpmnProcessId": "order-process",
                      "startDate": "2026-11-20T09:13:02.000+0000", "endDate": "2026-11-20T09:13:09.000+0000",
                      "state": "COMPLETED", "processDefinitionKey": 2251799813685246_i64,
                      "tenantId": "<default>", "incident": false }
                ],
                "sortValues": [2251799813685301_i64],
                "total": 2
            })))
            .mount(&server)
            .await;

        Mock::given(method("GET"))
            .and(path("/admin/clusters"))
            .and(bearer())
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([
                { "uuid": CLUSTER_ID, "name": "orders-dev", "ownerId": "ada@example.com",
                  "created": "2026-10-01T08:00:00Z", "autoUpdate": true, "labels": ["dev"],
                  "encryption": { "type": "Software" }, "planType": { "uuid": "5e5b7a1c-0f6c-4c43-8f25-3d8a4b1e9f20", "name": "Trial Cluster" },
                  "channel": { "uuid": "6bdb8a7e-2c31-4e0f-9d44-5a1b3c7e8d02", "name": "Stable" },
                  "generation": { "uuid": "9a2f4c6e-8b1d-4e3f-a5c7-0d2e4f6a8b1c", "name": "Camunda 8.6.7" },
                  "region": { "uuid": "2c4e6a8b-0d1f-4a3c-8e5b-7d9f1b3c5e7a", "name": "Belgium, Europe (europe-west1)" },
                  "status": { "ready": "Healthy", "zeebeStatus": "Healthy", "operateStatus": "Healthy" },
                  "links": { "zeebe": format!("https://bru-2.zeebe.camunda.io/{CLUSTER_ID}"),
                             "operate": format!("https://bru-2.operate.camunda.io/{CLUSTER_ID}") } }
            ])))
            .mount(&server)
            .await;

        Mock::given(method("GET"))
            .and(path("/admin/clusters/parameters"))
            .and(bearer())
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "channels": [ { "uuid": "6bdb8a7e-2c31-4e0f-9d44-5a1b3c7e8d02", "name": "Stable",
                    "defaultGeneration": { "uuid": "9a2f4c6e-8b1d-4e3f-a5c7-0d2e4f6a8b1c", "name": "Camunda 8.6.7" },
                    "allowedGenerations": [ { "uuid": "9a2f4c6e-8b1d-4e3f-a5c7-0d2e4f6a8b1c", "name": "Camunda 8.6.7", "classification": "channel" } ] } ],
                "clusterPlanTypes": [ { "uuid": "5e5b7a1c-0f6c-4c43-8f25-3d8a4b1e9f20", "name": "Trial Cluster" } ],
                "regions": [ { "uuid": "2c4e6a8b-0d1f-4a3c-8e5b-7d9f1b3c5e7a", "name": "Belgium, Europe (europe-west1)", "provider": "gcp" } ]
            })))
            .mount(&server)
            .await;

        Mock::given(method("POST"))
            .and(path("/admin/clusters"))
            .and(bearer())
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({ "clusterId": CLUSTER_ID })),
            )
            .mount(&server)
            .await;

        Mock::given(method("POST"))
            .and(path(format!("/admin/clusters/{CLUSTER_ID}/clients")))
            .and(bearer())
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "name": "orders-worker", "uuid": "b7e2a4c6-1d3f-4a5b-9c8e-7f6d5e4c3b2a",
                "clientId": "Qm9yZGVycy13b3JrZXI", "clientSecret": "standin-generated-client-secret",
                "permissions": ["Zeebe", "Operate"], "audience": "zeebe.camunda.io",
                "links": { "zeebe": format!("https://bru-2.zeebe.camunda.io/{CLUSTER_ID}"),
                           "operate": format!("https://bru-2.operate.camunda.io/{CLUSTER_ID}") }
            })))
            .mount(&server)
            .await;

        Mock::given(method("POST"))
            .and(path(format!("/operate/{CLUSTER_ID}/v1/incidents/search")))
            .and(bearer())
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "items": [
                    { "key": 2251799813685405_i64, "processDefinitionKey": 2251799813685246_i64,
                      "processInstanceKey": 2251799813685249_i64, "type": "JOB_NO_RETRIES",
                      "message": "No more retries left: payment service answered 503",
                      "creationTime": "2026-11-20T09:14:31.000+0000", "state": "ACTIVE",
                      "jobKey": 2251799813685402_i64, "tenantId": "<default>" }
                ],
                "sortValues": [2251799813685405_i64],
                "total": 1
            })))
            .mount(&server)
            .await;

        Self { server }
    }

    /// The token endpoint.
    pub fn token_url(&self) -> String {
        format!("{}/oauth/token", self.server.uri())
    }

    /// The Zeebe REST address, as Console shows it for a cluster.
    pub fn zeebe_url(&self) -> String {
        format!("{}/zeebe/{CLUSTER_ID}", self.server.uri())
    }

    /// The Operate address.
    pub fn operate_url(&self) -> String {
        format!("{}/operate/{CLUSTER_ID}", self.server.uri())
    }

    /// The Administration API address.
    pub fn admin_url(&self) -> String {
        format!("{}/admin", self.server.uri())
    }

    /// A configuration pointing every API and the token endpoint at the
    /// stand-in, with made-up credentials.
    pub fn config(&self) -> camunda8::Config {
        camunda8::Config::new()
            .oauth_url(self.token_url())
            .client_credentials("standin-client", "standin-secret")
            .console_credentials("standin-console-client", "standin-console-secret")
            .zeebe_url(self.zeebe_url())
            .orchestration_url(self.zeebe_url())
            .operate_url(self.operate_url())
            .console_url(self.admin_url())
    }

    /// How many token requests the stand-in has answered.
    pub async fn token_requests(&self) -> usize {
        self.server
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .filter(|r| r.url.path() == "/oauth/token")
            .count()
    }
}

/// Variables whose presence means "talk to a real cluster".
const CREDENTIAL_VARIABLES: &[&str] = &[
    "ZEEBE_CLIENT_ID",
    "CAMUNDA_CLIENT_ID",
    "CAMUNDA_CONSOLE_CLIENT_ID",
    "ZEEBE_REST_ADDRESS",
    "CAMUNDA_REST_ADDRESS",
    "CAMUNDA_OPERATE_BASE_URL",
    "CAMUNDA_CLUSTER_ID",
    "CAMUNDA_OAUTH_TOKEN",
    "CAMUNDA_BASIC_AUTH_USERNAME",
    "CAMUNDA_COOKIE_AUTH_USERNAME",
];

/// Whether the environment configures a real Camunda (any of the variables
/// above set and non-empty).
pub fn credentials_in_environment() -> bool {
    CREDENTIAL_VARIABLES
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()))
}

/// The client for the cluster configured in the environment, or, when there
/// is none, for a freshly started stand-in (returned too: it stops when
/// dropped).
pub async fn from_env_or_standin() -> Result<(camunda8::Camunda, Option<StandIn>), camunda8::Error>
{
    if credentials_in_environment() {
        return Ok((camunda8::Camunda::from_env()?, None));
    }
    let standin = StandIn::start().await;
    let camunda = standin.config().build()?;
    Ok((camunda, Some(standin)))
}
