//! Differential wire test: the same user intents through Camunda's official
//! TypeScript client (`@camunda8/orchestration-cluster-api`, pinned in
//! package.json) and through camunda8, against one recording server.
//!
//! # What it checks
//!
//! An in-process HTTP server (`recorder.rs` beside this file) records every
//! request and answers each operation with a minimal valid response of the contract
//! (openapi/orchestration.json), enough for both clients to proceed; job
//! activation hands out one job in the `worker_run` intent. First
//! `ts_intents.mjs` (beside this file) runs every intent through the
//! TypeScript client (it posts `/__intent/<name>` before each one, so the server files
//! what follows under that intent); then [`rust_intents`] runs the same
//! intents, same order, same data, through camunda8 (request bodies written
//! as the contract's JSON and decoded into the generated types, so what is
//! compared is camunda8's serialization of them). Per intent, the requests
//! of both clients are compared pairwise, in order, as:
//!
//! - method, path, and query (parsed, as a sorted multiset of pairs);
//! - the credential (`Authorization`; both use the same Basic credentials,
//!   the one scheme both clients offer without a token server);
//! - the media type of `Content-Type` (without parameters such as the
//!   multipart boundary) and `Accept`;
//! - the body: JSON parsed and compared as values, member by member; a
//!   multipart body part by part (name and occurrence, filename, content
//!   type, other part headers, and the part's body: parsed when it is JSON,
//!   bytes for a file);
//! - that the intent succeeded (`outcome`): every TypeScript intent must
//!   succeed, and a camunda8 intent that fails is a difference.
//!
//! Other headers (User-Agent and the like) are not compared. In `worker_run`
//! only the first request of each kind counts (both workers poll again after
//! their job, as often as their loop runs).
//!
//! The TypeScript client is 8.8.4, the newest release that supports Node 20
//! (9.x declares `node >= 22`). It has no method for the `/cluster/v2/*`
//! operations, so its half of `cluster_v2_status` is the request the
//! contract describes (the path's own server: the gateway's root), sent with
//! the client's own credentials (`getAuthHeaders()`).
//!
//! # The list of differences
//!
//! [`LISTED`] names every difference between the clients that occurs today,
//! each as `(intent, where)` with either the reason it is acceptable
//! ([`Why::Accepted`], checked against the contract) or the part of issue 18
//! whose fix removes it ([`Why::Pending`]). The test fails when a difference
//! occurs that is not listed, and when a listed one no longer occurs (so the
//! list cannot go stale): after merging a fix, delete its `Pending` entries
//! and the test checks the fixed behaviour strictly.
//!
//! # Reading a failure
//!
//! The panic message lists `UNLISTED` differences (intent, where, what the
//! TypeScript client sent, what camunda8 sent) and `NO LONGER OCCURS`
//! entries; the full report, every request of both clients per intent and
//! every difference found, is printed to stderr before it (run with
//! `--nocapture` to see it on success). "where" is one of `method`, `path`,
//! `query`, `authorization`, `content-type`, `accept`, `body` (the body as a
//! whole: empty against JSON, say), `body /member/…` (a JSON pointer),
//! `part NAME#N …` (the N-th multipart part named NAME), `requests`
//! (one client sent a request the other did not) or `outcome`; a request
//! after the first of its intent is prefixed with `#N `.
//!
//! The TypeScript client must be installed: `npm ci --no-audit --no-fund` in
//! the crate's root. Without it the test fails (CI always installs it).
#![cfg(feature = "orchestration")]

mod compare;
mod recorder;

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use camunda8::orchestration::types::{
    self, ProcessInstanceCreationInstruction, ProcessInstanceCreationInstructionById,
    ProcessInstanceCreationInstructionByKey,
};
use camunda8::worker::{Job, Outcome};
use camunda8::{Camunda, Config, RetryPolicy};
use compare::{Found, compared, diff_intent};
use recorder::{Recorded, Recorder, Side, serve};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Why a difference between the clients is on the list.
#[derive(Debug, Clone, Copy)]
enum Why {
    /// Acceptable as it is, for the reason given (checked against the
    /// contract).
    Accepted(&'static str),
    /// Removed by the fix named (an issue and its part); delete the entry
    /// once the fix is merged. None is pending today.
    #[allow(dead_code)]
    Pending(&'static str),
}

/// One known difference: where it occurs (`intent`, and `at` as in the
/// report) and why it is on the list.
#[derive(Debug, Clone, Copy)]
struct Listed {
    intent: &'static str,
    at: &'static str,
    why: Why,
}

const fn at(intent: &'static str, at: &'static str, why: Why) -> Listed {
    Listed { intent, at, why }
}

const ACTIVATION_TENANT: Why = Why::Accepted(
    "camunda8 sends `tenantIds: [\"<default>\"]` on job activation unless configured otherwise, \
     as Camunda's Java client and the TypeScript client from 9.x do (ANCHORS.md); the pinned \
     8.8.4 fills no tenant into activation. The contract's `tenantIds` is optional, and \
     `<default>` is the tenant a cluster without multi-tenancy assumes",
);
const TENANT_PART_TYPE: Why = Why::Accepted(
    "the deployment's `tenantId` is a string property of the multipart body with no `encoding` \
     in the contract, so OpenAPI 3.0.3's default part type for a primitive, text/plain, \
     applies, which camunda8 sends; the TypeScript client sends the part without a \
     Content-Type, which RFC 7578 reads as text/plain too",
);
const METADATA_LIST: Why = Why::Accepted(
    "the contract describes `metadataList` as one \"JSON array of metadata object whose index \
     aligns with each file entry\", which camunda8 sends as one application/json part (`{}` for \
     a file without metadata); the TypeScript client 8.8.4, generated, sends one part per file \
     holding one JSON object each, without a Content-Type",
);
const METADATA_PART_TYPE: Why = Why::Accepted(
    "the contract's createDocument encoding gives the `metadata` part content type \
     application/json, which camunda8 sends; the TypeScript client sends it as a plain form field \
     without a Content-Type",
);
const RESOURCE_PART_TYPE: Why = Why::Accepted(
    "deployment resources are `format: binary` with no `encoding` in the contract, so OpenAPI \
     3.0.3's default part type application/octet-stream applies, which camunda8 sends; the \
     TypeScript client sends the File's own type (application/xml, as its README and its \
     deployResourcesFromFiles helper do for .bpmn)",
);

const ACCEPT_JSON: Why = Why::Accepted(
    "the TypeScript client sets no Accept, so Node's fetch sends `*/*`; camunda8 sends \
     `application/json`, the contract's media type of this operation's success body",
);
const ACCEPT_NO_CONTENT: Why = Why::Accepted(
    "this operation answers 204 without a body; camunda8 sends `Accept: application/json` on \
     every JSON operation, generated or hand-written, and the contract's only bodies here are \
     problem details, which Camunda's gateway (Spring) renders as application/json when that \
     is what the request accepts; the TypeScript client sets no Accept (`*/*`)",
);

/// Every difference that occurs today. See the module documentation.
const LISTED: &[Listed] = &[
    // Default tenant `<default>` on job activation (part 5).
    at("activate_jobs", "body /tenantIds", ACTIVATION_TENANT),
    at("worker_run", "body /tenantIds", ACTIVATION_TENANT),
    at(
        "deploy_bpmn",
        "part tenantId#0 content-type",
        TENANT_PART_TYPE,
    ),
    // Documents' metadata in one JSON array part (part 6).
    at(
        "create_documents",
        "part metadataList#0 body",
        METADATA_LIST,
    ),
    at(
        "create_documents",
        "part metadataList#0 content-type",
        METADATA_LIST,
    ),
    at("create_documents", "part metadataList#1", METADATA_LIST),
    // Part content types the contract allows either way.
    at(
        "create_document",
        "part metadata#0 content-type",
        METADATA_PART_TYPE,
    ),
    at(
        "deploy_bpmn",
        "part resources#0 content-type",
        RESOURCE_PART_TYPE,
    ),
    // Accept, for operations answering a JSON body.
    at("deploy_bpmn", "accept", ACCEPT_JSON),
    at("start_by_id", "accept", ACCEPT_JSON),
    at("start_by_key", "accept", ACCEPT_JSON),
    at("start_with_variables", "accept", ACCEPT_JSON),
    at("publish_message", "accept", ACCEPT_JSON),
    at("correlate_message", "accept", ACCEPT_JSON),
    at("broadcast_signal", "accept", ACCEPT_JSON),
    at("evaluate_decision_by_id", "accept", ACCEPT_JSON),
    at("evaluate_decision_by_key", "accept", ACCEPT_JSON),
    at("activate_jobs", "accept", ACCEPT_JSON),
    at("search_process_instances", "accept", ACCEPT_JSON),
    at("search_incidents", "accept", ACCEPT_JSON),
    at("search_user_tasks", "accept", ACCEPT_JSON),
    at("search_variables", "accept", ACCEPT_JSON),
    at("search_jobs", "accept", ACCEPT_JSON),
    at("search_process_instances_no_body", "accept", ACCEPT_JSON),
    at("create_document", "accept", ACCEPT_JSON),
    at("create_documents", "accept", ACCEPT_JSON),
    at("get_topology", "accept", ACCEPT_JSON),
    at("worker_run", "accept", ACCEPT_JSON),
    // Accept, for operations answering 204 No Content.
    at("complete_job", "accept", ACCEPT_NO_CONTENT),
    at("complete_job_no_variables", "accept", ACCEPT_NO_CONTENT),
    at("fail_job", "accept", ACCEPT_NO_CONTENT),
    at("throw_job_error", "accept", ACCEPT_NO_CONTENT),
    at("update_job", "accept", ACCEPT_NO_CONTENT),
    at("assign_user_task", "accept", ACCEPT_NO_CONTENT),
    at("unassign_user_task", "accept", ACCEPT_NO_CONTENT),
    at("complete_user_task", "accept", ACCEPT_NO_CONTENT),
    at("update_user_task", "accept", ACCEPT_NO_CONTENT),
    at("resolve_incident", "accept", ACCEPT_NO_CONTENT),
    at("set_variables", "accept", ACCEPT_NO_CONTENT),
    at("cancel_process_instance", "accept", ACCEPT_NO_CONTENT),
    at("cancel_batch_operation", "accept", ACCEPT_NO_CONTENT),
    at("worker_run", "#1 accept", ACCEPT_NO_CONTENT),
];

// Keys used by both halves (ts_intents.mjs has the same).
const JOB: &str = "2251799813685249";
const USER_TASK: &str = "2251799813685250";
const INCIDENT: &str = "2251799813685251";
const ELEMENT_INSTANCE: &str = "2251799813685252";
const PROCESS_INSTANCE: &str = "2251799813685253";
const PROCESS_DEFINITION: &str = "2251799813685254";
const DECISION_DEFINITION: &str = "2251799813685255";
const BATCH_OPERATION: &str = "2251799813685256";
/// The job the server hands out in `worker_run`.
const WORKER_JOB: &str = "2251799813685260";
const WORKER_JOB_TYPE: &str = "wire-payment";

const BPMN: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="order" isExecutable="true">
    <bpmn:startEvent id="start"/>
  </bpmn:process>
</bpmn:definitions>
"#;

/// A request body from its JSON form, as a user reading the contract would
/// write it (the typed value is what camunda8 serializes).
fn from_json<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("test data matches the generated type")
}

type Outcome_ = Result<(), String>;

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// The camunda8 half: the intents of ts_intents.mjs, in the same order with
/// the same data. Returns the intent names in order.
async fn rust_intents(recorder: &Recorder, camunda: &Camunda) -> Vec<String> {
    let o = camunda
        .orchestration()
        .expect("the Orchestration Cluster API");
    let mut names = Vec::new();
    macro_rules! intent {
        ($name:literal, $body:expr) => {{
            recorder.lock().current = Some((Side::Rust, $name.to_owned()));
            let outcome: Outcome_ = $body.await;
            let mut state = recorder.lock();
            state
                .outcomes
                .insert((Side::Rust, $name.to_owned()), outcome);
            state.current = None;
            names.push($name.to_owned());
        }};
    }

    intent!("deploy_bpmn", async {
        o.create_deployment()
            .resource("order.bpmn", BPMN.as_bytes().to_vec())
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("start_by_id", async {
        let start: ProcessInstanceCreationInstructionById =
            from_json(json!({"processDefinitionId": "order"}));
        o.create_process_instance()
            .body(ProcessInstanceCreationInstruction::Id(start))
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("start_by_key", async {
        let start: ProcessInstanceCreationInstructionByKey =
            from_json(json!({"processDefinitionKey": PROCESS_DEFINITION}));
        o.create_process_instance()
            .body(ProcessInstanceCreationInstruction::Key(start))
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("start_with_variables", async {
        let start: ProcessInstanceCreationInstructionById = from_json(json!({
            "processDefinitionId": "order",
            "variables": {"amount": 12.5, "customer": "ada", "items": [1, 2]}
        }));
        o.create_process_instance()
            .body(ProcessInstanceCreationInstruction::Id(start))
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("publish_message", async {
        o.publish_message()
            .body(from_json::<types::MessagePublicationRequest>(json!({
                "name": "payment-received",
                "correlationKey": "order-7",
                "timeToLive": 60000,
                "variables": {"paid": true}
            })))
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("correlate_message", async {
        o.correlate_message()
            .body(from_json::<types::MessageCorrelationRequest>(json!({
                "name": "payment-received",
                "correlationKey": "order-7",
                "variables": {"paid": true}
            })))
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("broadcast_signal", async {
        o.broadcast_signal()
            .body(from_json::<types::SignalBroadcastRequest>(
                json!({"signalName": "stop-all", "variables": {"reason": "audit"}}),
            ))
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("evaluate_decision_by_id", async {
        let by_id: types::DecisionEvaluationById =
            from_json(json!({"decisionDefinitionId": "discount", "variables": {"amount": 100}}));
        o.evaluate_decision()
            .body(types::DecisionEvaluationInstruction::Id(by_id))
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("evaluate_decision_by_key", async {
        let by_key: types::DecisionEvaluationByKey = from_json(
            json!({"decisionDefinitionKey": DECISION_DEFINITION, "variables": {"amount": 100}}),
        );
        o.evaluate_decision()
            .body(types::DecisionEvaluationInstruction::Key(by_key))
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("activate_jobs", async {
        o.activate_jobs()
            .body(from_json::<types::JobActivationRequest>(json!({
                "type": "payment",
                "worker": "wire-worker",
                "maxJobsToActivate": 5,
                "timeout": 30000,
                "requestTimeout": 1000,
                "fetchVariable": ["amount"]
            })))
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("complete_job", async {
        o.complete_job()
            .job_key(JOB)
            .body(from_json::<types::JobCompletionRequest>(
                json!({"variables": {"paid": true}}),
            ))
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("complete_job_no_variables", async {
        o.complete_job()
            .job_key(JOB)
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("fail_job", async {
        o.fail_job()
            .job_key(JOB)
            .body(from_json::<types::JobFailRequest>(json!({
                "retries": 2,
                "errorMessage": "card declined",
                "retryBackOff": 1000
            })))
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("throw_job_error", async {
        o.throw_job_error()
            .job_key(JOB)
            .body(from_json::<types::JobErrorRequest>(json!({
                "errorCode": "PAYMENT_FAILED",
                "errorMessage": "card declined",
                "variables": {"reason": "declined"}
            })))
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("update_job", async {
        o.update_job()
            .job_key(JOB)
            .body(from_json::<types::JobUpdateRequest>(
                json!({"changeset": {"retries": 5, "timeout": 60000}}),
            ))
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("search_process_instances", async {
        o.search_process_instances()
            .body(from_json::<types::ProcessInstanceSearchQuery>(json!({
                "filter": {"processDefinitionId": "order", "state": "ACTIVE"},
                "sort": [{"field": "startDate", "order": "DESC"}],
                "page": {"limit": 10}
            })))
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("search_incidents", async {
        o.search_incidents()
            .body(from_json::<types::IncidentSearchQuery>(json!({
                "filter": {"processInstanceKey": PROCESS_INSTANCE, "state": "ACTIVE"}
            })))
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("search_user_tasks", async {
        o.search_user_tasks()
            .body(from_json::<types::UserTaskSearchQuery>(json!({
                "filter": {"assignee": "ada", "state": "CREATED"},
                "page": {"limit": 5}
            })))
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("search_variables", async {
        o.search_variables()
            .body(from_json::<types::VariableSearchQuery>(json!({
                "filter": {"processInstanceKey": PROCESS_INSTANCE, "name": "amount"}
            })))
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("search_jobs", async {
        o.search_jobs()
            .body(from_json::<types::JobSearchQuery>(
                json!({"filter": {"type": "payment", "state": "CREATED"}}),
            ))
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("search_process_instances_no_body", async {
        o.search_process_instances()
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("assign_user_task", async {
        o.assign_user_task()
            .user_task_key(USER_TASK)
            .body(from_json::<types::UserTaskAssignmentRequest>(
                json!({"assignee": "ada", "allowOverride": true}),
            ))
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("unassign_user_task", async {
        o.unassign_user_task()
            .user_task_key(USER_TASK)
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("complete_user_task", async {
        o.complete_user_task()
            .user_task_key(USER_TASK)
            .body(from_json::<types::UserTaskCompletionRequest>(
                json!({"variables": {"approved": true}}),
            ))
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("update_user_task", async {
        o.update_user_task()
            .user_task_key(USER_TASK)
            .body(from_json::<types::UserTaskUpdateRequest>(
                json!({"changeset": {"candidateGroups": ["sales"], "priority": 80}}),
            ))
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("resolve_incident", async {
        o.resolve_incident()
            .incident_key(INCIDENT)
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("set_variables", async {
        o.set_variables()
            .element_instance_key(ELEMENT_INSTANCE)
            .body(from_json::<types::SetVariableRequest>(
                json!({"variables": {"approved": true, "note": "ok"}, "local": true}),
            ))
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("cancel_process_instance", async {
        o.cancel_process_instance()
            .process_instance_key(PROCESS_INSTANCE)
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("create_document", async {
        o.create_document()
            .file("hello.txt", "hello, document")
            .metadata(from_json(json!({
                "fileName": "hello.txt",
                "customProperties": {"origin": "wire"}
            })))
            .store_id("in-memory")
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("create_documents", async {
        o.create_documents()
            .file(
                "a.txt",
                "first",
                Some(from_json(
                    json!({"fileName": "a.txt", "customProperties": {"n": 1}}),
                )),
            )
            .file(
                "b.json",
                r#"{"second":2}"#,
                Some(from_json(
                    json!({"fileName": "b.json", "customProperties": {"n": 2}}),
                )),
            )
            .store_id("in-memory")
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("get_topology", async {
        o.get_topology().send().await.map(drop).map_err(err)
    });
    intent!("get_status", async {
        o.get_status().send().await.map(drop).map_err(err)
    });
    intent!("cluster_v2_status", async {
        o.get_cluster_status().send().await.map(drop).map_err(err)
    });
    intent!("cancel_batch_operation", async {
        o.cancel_batch_operation()
            .batch_operation_key(BATCH_OPERATION)
            .send()
            .await
            .map(drop)
            .map_err(err)
    });
    intent!("worker_run", worker_run(recorder, camunda));
    names
}

/// Runs a worker until the server saw it complete its job, then stops it.
async fn worker_run(recorder: &Recorder, camunda: &Camunda) -> Outcome_ {
    let worker = camunda
        .worker(WORKER_JOB_TYPE)
        .map_err(err)?
        .name("wire-worker")
        .max_concurrent_jobs(4)
        .timeout(Duration::from_secs(30))
        .request_timeout(Some(Duration::from_millis(1000)))
        .poll_backoff(Duration::from_millis(50), Duration::from_millis(200))
        .spawn(|_job: Job| async move {
            Ok::<_, Infallible>(Outcome::complete_with(&json!({"paid": true})))
        })
        .map_err(err)?;
    let completion = format!("/v2/jobs/{WORKER_JOB}/completion");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let completed = loop {
        if recorder
            .requests(Side::Rust, "worker_run")
            .iter()
            .any(|r| r.path == completion)
        {
            break true;
        }
        if tokio::time::Instant::now() > deadline {
            break false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    worker.shutdown(Duration::from_secs(2)).await;
    if completed {
        Ok(())
    } else {
        Err("no job completed in 10 s".to_owned())
    }
}

fn describe(r: &Recorded) -> String {
    format!(
        "{} {}{} accept={:?} content-type={:?} body={}",
        r.method,
        r.path,
        r.query
            .as_deref()
            .map(|q| format!("?{q}"))
            .unwrap_or_default(),
        r.header("accept"),
        r.header("content-type"),
        String::from_utf8_lossy(&r.body).replace("\r\n", "⏎"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typescript_and_camunda8_send_the_same_requests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let package = root.join("node_modules/@camunda8/orchestration-cluster-api/package.json");
    assert!(
        package.exists(),
        "the TypeScript client is not installed ({} is missing): run npm ci --no-audit --no-fund \
         in {}",
        package.display(),
        root.display()
    );

    let read = |path: &Path| -> Value {
        serde_json::from_slice(&std::fs::read(path).expect("readable")).expect("JSON")
    };
    let pinned =
        read(&root.join("package.json"))["devDependencies"]["@camunda8/orchestration-cluster-api"]
            .clone();
    let installed = read(&package)["version"].clone();
    assert_eq!(
        installed,
        pinned,
        "the installed TypeScript client is not the version package.json pins: run npm ci \
         --no-audit --no-fund in {}",
        root.display()
    );

    let recorder = Arc::new(Recorder::default());
    let addr = serve(recorder.clone()).await;
    let url = format!("http://{addr}");

    // The TypeScript half.
    let script = root.join("tests/contracts/wire_diff/ts_intents.mjs");
    let mut node = tokio::process::Command::new("node");
    // The script configures the client fully; nothing from the environment.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CAMUNDA_") || name.starts_with("ZEEBE_") {
            node.env_remove(name.as_ref());
        }
    }
    let node = node
        .arg(&script)
        .arg(&url)
        .current_dir(root)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(60), node)
        .await
        .expect("ts_intents.mjs finishes within 60 s")
        .expect("node runs (Node 20 or later must be on PATH)");
    assert!(
        output.status.success(),
        "ts_intents.mjs failed ({}):\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );

    // The camunda8 half.
    let camunda = Config::new()
        .orchestration_url(&url)
        .basic_auth("wire", "wire-secret")
        .retry_policy(RetryPolicy::new().max_attempts(1))
        .build()
        .expect("a camunda8 client for the recording server");
    let rust_order = rust_intents(&recorder, &camunda).await;

    let ts_order = recorder.lock().ts_order.clone();
    assert_eq!(
        ts_order, rust_order,
        "ts_intents.mjs and rust_intents must run the same intents in the same order"
    );
    assert!(
        rust_order.len() >= 30,
        "at least 30 intents, got {}",
        rust_order.len()
    );

    // The report, and the differences against the list.
    let mut report = String::new();
    let mut found: BTreeMap<(String, String), Found> = BTreeMap::new();
    let mut failures = Vec::new();
    for intent in &rust_order {
        report.push_str(&format!("== {intent}\n"));
        for side in [Side::Ts, Side::Rust] {
            let outcome = recorder
                .lock()
                .outcomes
                .get(&(side, intent.clone()))
                .cloned();
            report.push_str(&format!("  {side:?} outcome: {outcome:?}\n"));
            for r in compared(&recorder, side, intent) {
                report.push_str(&format!("  {side:?} {}\n", describe(&r)));
            }
        }
        match recorder.lock().outcomes.get(&(Side::Ts, intent.clone())) {
            Some(Ok(())) => {}
            other => failures.push(format!(
                "{intent}: the TypeScript client did not succeed: {other:?}"
            )),
        }
        for f in diff_intent(&recorder, intent) {
            report.push_str(&format!("  DIFF {}: ts={} rust={}\n", f.at, f.ts, f.rust));
            found.insert((intent.clone(), f.at.clone()), f);
        }
    }
    let untagged = recorder.lock().untagged.clone();
    if !untagged.is_empty() {
        report.push_str(&format!("requests outside any intent: {untagged:?}\n"));
    }

    let mut used = vec![false; LISTED.len()];
    report.push_str("\n== differences\n");
    for ((intent, at), f) in &found {
        let hit = LISTED.iter().position(|l| l.intent == intent && l.at == at);
        let verdict = match hit.map(|i| {
            used[i] = true;
            LISTED[i].why
        }) {
            Some(Why::Accepted(reason)) => format!("accepted: {reason}"),
            Some(Why::Pending(part)) => format!("pending: {part}"),
            None => {
                failures.push(format!(
                    "UNLISTED {intent} / {at}: ts={} rust={}",
                    f.ts, f.rust
                ));
                "UNLISTED".to_owned()
            }
        };
        report.push_str(&format!(
            "{intent} / {at}: ts={} rust={}\n    {verdict}\n",
            f.ts, f.rust
        ));
    }
    for (l, used) in LISTED.iter().zip(&used) {
        if !used {
            let hint = match l.why {
                Why::Pending(part) => format!("fixed? delete the entry ({part})"),
                Why::Accepted(_) => "delete the entry".to_owned(),
            };
            failures.push(format!("NO LONGER OCCURS {} / {}: {hint}", l.intent, l.at));
        }
    }
    eprintln!("{report}");
    assert!(
        failures.is_empty(),
        "{} wire difference(s) against the list in tests/contracts/wire_diff/mod.rs:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
