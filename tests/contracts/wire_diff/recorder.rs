//! The recording server of the wire diff (`mod.rs` beside this file):
//! records every request under the intent running at the time, and answers each operation the intents
//! use with a minimal valid success response of the contract
//! (openapi/orchestration.json), enough for both clients to proceed.

use std::collections::{BTreeMap, HashSet};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};

use super::{
    DECISION_DEFINITION, ELEMENT_INSTANCE, PROCESS_DEFINITION, PROCESS_INSTANCE, WORKER_JOB,
    WORKER_JOB_TYPE,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Side {
    Ts,
    Rust,
}

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// Lowercased names.
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
pub struct State {
    /// The intent running now, and whose (set by the TypeScript script's
    /// `/__intent/<name>` markers, and directly by the camunda8 half).
    pub current: Option<(Side, String)>,
    log: Vec<(Side, String, Recorded)>,
    /// Requests outside any intent (`METHOD path`).
    pub untagged: Vec<String>,
    /// The intents of the TypeScript script, in order.
    pub ts_order: Vec<String>,
    /// Whether each intent succeeded, per client.
    pub outcomes: BTreeMap<(Side, String), Result<(), String>>,
    worker_job_served: HashSet<Side>,
}

/// The recording server's state, shared with its connections.
#[derive(Default)]
pub struct Recorder {
    state: Mutex<State>,
}

impl Recorder {
    pub fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn requests(&self, side: Side, intent: &str) -> Vec<Recorded> {
        self.lock()
            .log
            .iter()
            .filter(|(s, i, _)| *s == side && i == intent)
            .map(|(_, _, r)| r.clone())
            .collect()
    }
}

pub async fn serve(recorder: Arc<Recorder>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind the recording server");
    let addr = listener.local_addr().expect("its address");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let recorder = recorder.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req| handle(recorder.clone(), req));
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    addr
}

async fn handle(
    recorder: Arc<Recorder>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let method = req.method().to_string();
    let path = req.uri().path().to_owned();
    let query = req.uri().query().map(str::to_owned);
    let headers = req
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();

    if let Some(name) = path.strip_prefix("/__intent/") {
        let mut state = recorder.lock();
        if name == "__end" {
            state.current = None;
        } else {
            state.current = Some((Side::Ts, name.to_owned()));
            state.ts_order.push(name.to_owned());
        }
        return Ok(reply(StatusCode::NO_CONTENT, None));
    }
    if let Some(name) = path.strip_prefix("/__done/") {
        let done: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let outcome = if done["ok"] == json!(true) {
            Ok(())
        } else {
            Err(done["error"].as_str().unwrap_or("?").to_owned())
        };
        recorder
            .lock()
            .outcomes
            .insert((Side::Ts, name.to_owned()), outcome);
        return Ok(reply(StatusCode::NO_CONTENT, None));
    }

    let recorded = Recorded {
        method: method.clone(),
        path: path.clone(),
        query,
        headers,
        body,
    };
    let (side, intent) = {
        let mut state = recorder.lock();
        match state.current.clone() {
            Some((side, intent)) => {
                state.log.push((side, intent.clone(), recorded));
                (Some(side), intent)
            }
            None => {
                state.untagged.push(format!("{method} {path}"));
                (None, String::new())
            }
        }
    };
    let (status, body) = answer(&recorder, side, &intent, &method, &path).await;
    Ok(reply(status, body))
}

fn reply(status: StatusCode, body: Option<Value>) -> Response<Full<Bytes>> {
    let mut builder = Response::builder().status(status);
    let bytes = match body {
        Some(body) => {
            builder = builder.header("content-type", "application/json");
            Bytes::from(body.to_string())
        }
        None => Bytes::new(),
    };
    builder
        .body(Full::new(bytes))
        .expect("a response from valid parts")
}

fn page() -> Value {
    json!({"items": [], "page": {"totalItems": 0, "hasMoreTotalItems": false, "startCursor": null, "endCursor": null}})
}

fn document_reference(file_name: &str) -> Value {
    json!({
        "camunda.document.type": "camunda",
        "contentHash": null,
        "documentId": format!("doc-{file_name}"),
        "storeId": "in-memory",
        "metadata": {
            "contentType": "text/plain",
            "customProperties": {},
            "expiresAt": null,
            "fileName": file_name,
            "processDefinitionId": null,
            "processInstanceKey": null,
            "size": 5
        }
    })
}

fn worker_job() -> Value {
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    json!({
        "businessId": null,
        "customHeaders": {},
        "deadline": now_ms + 30_000,
        "elementId": "pay",
        "elementInstanceKey": ELEMENT_INSTANCE,
        "jobKey": WORKER_JOB,
        "jobLeaseToken": null,
        "kind": "BPMN_ELEMENT",
        "listenerEventType": "UNSPECIFIED",
        "physicalTenantId": "<default>",
        "priority": 0,
        "processDefinitionId": "order",
        "processDefinitionKey": PROCESS_DEFINITION,
        "processDefinitionVersion": 1,
        "processInstanceKey": PROCESS_INSTANCE,
        "retries": 3,
        "rootProcessInstanceKey": null,
        "tags": [],
        "tenantId": "<default>",
        "type": WORKER_JOB_TYPE,
        "userTask": null,
        "variables": {"amount": 12},
        "worker": "wire-worker"
    })
}

/// The contract's success answer for each operation the intents use, with
/// the required members present.
async fn answer(
    recorder: &Recorder,
    side: Option<Side>,
    intent: &str,
    method: &str,
    path: &str,
) -> (StatusCode, Option<Value>) {
    let ok = StatusCode::OK;
    if path.ends_with("/cluster/v2/status") {
        return (ok, Some(json!({"status": "HEALTHY"})));
    }
    let Some(op) = path.strip_prefix("/v2") else {
        return (
            StatusCode::NOT_FOUND,
            Some(json!({"title": "NOT_FOUND", "status": 404, "detail": path})),
        );
    };
    let body = match (method, op) {
        ("POST", "/deployments") => json!({
            "deploymentKey": "2251799813685270",
            "tenantId": "<default>",
            "deployments": [{
                "processDefinition": {
                    "processDefinitionId": "order",
                    "processDefinitionKey": PROCESS_DEFINITION,
                    "processDefinitionVersion": 1,
                    "resourceName": "order.bpmn",
                    "tenantId": "<default>"
                },
                "decisionDefinition": null,
                "decisionRequirements": null,
                "form": null,
                "resource": null
            }]
        }),
        ("POST", "/process-instances") => json!({
            "businessId": null,
            "processDefinitionId": "order",
            "processDefinitionKey": PROCESS_DEFINITION,
            "processDefinitionVersion": 1,
            "processInstanceKey": PROCESS_INSTANCE,
            "tags": [],
            "tenantId": "<default>",
            "variables": {}
        }),
        ("POST", "/messages/publication") => {
            json!({"messageKey": "2251799813685271", "tenantId": "<default>"})
        }
        ("POST", "/messages/correlation") => json!({
            "messageKey": "2251799813685271",
            "processInstanceKey": PROCESS_INSTANCE,
            "tenantId": "<default>"
        }),
        ("POST", "/signals/broadcast") => {
            json!({"signalKey": "2251799813685272", "tenantId": "<default>"})
        }
        ("POST", "/decision-definitions/evaluation") => json!({
            "decisionDefinitionId": "discount",
            "decisionDefinitionKey": DECISION_DEFINITION,
            "decisionDefinitionName": "Discount",
            "decisionDefinitionVersion": 1,
            "decisionEvaluationKey": "2251799813685273",
            "decisionInstanceKey": "2251799813685274",
            "decisionRequirementsId": "discounts",
            "decisionRequirementsKey": "2251799813685275",
            "evaluatedDecisions": [],
            "failedDecisionDefinitionId": null,
            "failureMessage": null,
            "output": "0.1",
            "tenantId": "<default>"
        }),
        ("POST", "/jobs/activation") => {
            let first = intent == "worker_run"
                && side.is_some_and(|side| recorder.lock().worker_job_served.insert(side));
            if first {
                json!({"jobs": [worker_job()]})
            } else {
                // An idle long poll, shortened: both workers poll again.
                tokio::time::sleep(Duration::from_millis(100)).await;
                json!({"jobs": []})
            }
        }
        (
            "POST",
            "/process-instances/search"
            | "/incidents/search"
            | "/user-tasks/search"
            | "/variables/search"
            | "/jobs/search",
        ) => page(),
        ("POST", "/documents") => {
            return (StatusCode::CREATED, Some(document_reference("hello.txt")));
        }
        ("POST", "/documents/batch") => {
            return (
                StatusCode::CREATED,
                Some(json!({
                    "createdDocuments": [document_reference("a.txt"), document_reference("b.json")],
                    "failedDocuments": []
                })),
            );
        }
        ("GET", "/topology") => json!({
            "brokers": [],
            "clusterId": null,
            "clusterSize": 1,
            "gatewayVersion": "8.8.0",
            "lastCompletedChangeId": "-1",
            "partitionsCount": 1,
            "replicationFactor": 1
        }),
        // Every other operation the intents use answers 204 No Content.
        _ => return (StatusCode::NO_CONTENT, None),
    };
    (ok, Some(body))
}
