//! Every operation of the Orchestration Cluster API (`/v2`, 244 of them),
//! called through the generated client with realistic arguments against
//! Prism, plus the multipart operations checked part by part against an
//! in-process server.
//!
//! The approach is `prism_coverage`'s: Prism serves Camunda's
//! published spec (`orchestration-cluster-v2.yaml`, with the project's
//! errata applied) when it is available, else the committed contract, and
//! checks each request against it. A request that breaks the spec gets an
//! error status with an `sl-violations` header instead of a mocked success,
//! so a call that returns `Ok` proves that the client sends what the spec
//! asks for and that the typed response decodes what the spec promises.
//! The operations called must be exactly the contract's: an operation added
//! to the contract fails the test until a call for it is added here.
//!
//! Every operation is called twice: once against a Prism answering with the
//! spec's examples, once against a Prism generating its answers from the
//! schemas (`--dynamic`, fixed seed: optional members, `null`s, other enum
//! values), so the generated types decode more than the examples show.
//! Prism takes a while to load a 1.5 MB spec, so both are started together,
//! once, in one test, `orchestration_operations_against_prism`, which then
//! also checks that a request breaking the spec is reported. Each request is
//! bounded to 30 s.
//!
//! The published spec is looked up in `$CAMUNDA8_REFERENCE_OPENAPI`, else
//! in `../shared/reference/openapi` next to the repository.

#![cfg(feature = "orchestration")]

use camunda8::hooks::Inner;
use camunda8::orchestration::{ByteStream, Client, types};
use camunda8::{ApiError, ResponseValue};
use camunda8_codegen::contract::operation_names;
use camunda8_codegen::post::renames;
use serde_json::{Value, json};

use super::calls::{Run, TOKEN, bearer, body, http};
use crate::support::prism::Prism;
use crate::support::spec::{contract, served_orchestration_spec};

/// The number of operations of the contract.
const OPERATIONS: usize = 244;

// ---------------------------------------------------------------------------
// The spec for the Prism that generates its answers
// ---------------------------------------------------------------------------

/// For the Prism that generates responses from the schemas: its generator
/// (json-schema-faker) ignores two constraints, so its responses break the
/// spec and Prism answers 500 instead (seen with `--seed camunda8`):
///
/// - `maxProperties` (cluster variable `metadata`, at most 100 members):
///   removed here;
/// - `discriminator`: it picks a branch but writes a random tag, so the
///   body matches no branch (`ClusterRestoreOperation` in the restore
///   plans). Here each mapped branch's tag property is restricted to the
///   tag(s) the mapping gives it, which is what the discriminator states
///   (and what the codegen step `discriminated_unions` does for the client).
fn adapt_for_generated_responses(spec: &mut Value) -> Vec<String> {
    let mut out = Vec::new();
    drop_max_properties(spec, "", &mut out);
    let snapshot = spec.clone();
    let mut tags: Vec<(String, String, String)> = Vec::new();
    collect_tags(&snapshot, &mut tags);
    let mut by_variant: std::collections::BTreeMap<(String, String), Vec<String>> =
        std::collections::BTreeMap::new();
    for (variant, property, tag) in tags {
        by_variant.entry((variant, property)).or_default().push(tag);
    }
    for ((variant, property), mut tags) in by_variant {
        // Unions that share a branch map it under the same tag.
        tags.sort();
        tags.dedup();
        let ptr = format!("{variant}/properties/{property}");
        if let Some(prop) = spec.pointer_mut(&ptr).and_then(Value::as_object_mut) {
            prop.insert("enum".to_string(), json!(tags));
            out.push(format!("prism --dynamic: {ptr}: enum {tags:?}"));
        }
    }
    out
}

fn drop_max_properties(value: &mut Value, ptr: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if map.remove("maxProperties").is_some() {
                out.push(format!("prism --dynamic: {ptr}: maxProperties removed"));
            }
            for (key, child) in map.iter_mut() {
                drop_max_properties(child, &format!("{ptr}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                drop_max_properties(child, &format!("{ptr}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// (variant schema pointer, tag property, tag) for every discriminator
/// mapping in `value`.
fn collect_tags(value: &Value, out: &mut Vec<(String, String, String)>) {
    match value {
        Value::Object(map) => {
            if let Some(d) = map.get("discriminator") {
                let property = d["propertyName"].as_str().unwrap_or_default();
                for (tag, target) in d
                    .get("mapping")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    if let Some(target) = target.as_str().and_then(|t| t.strip_prefix('#')) {
                        out.push((target.to_string(), property.to_string(), tag.clone()));
                    }
                }
            }
            map.values().for_each(|child| collect_tags(child, out));
        }
        Value::Array(items) => items.iter().for_each(|child| collect_tags(child, out)),
        _ => {}
    }
}

// ---------------------------------------------------------------------------
// Calling and recording
// ---------------------------------------------------------------------------

/// Calls one generated method: `call!(run, client, method.setter(arg)…)`.
/// The operation is recorded under the method's own name.
macro_rules! call {
    ($run:expr, $client:expr, $op:ident $(. $setter:ident ( $($arg:expr),* ))* ) => {{
        // Boxed, so that the calling future does not hold every request's
        // state inline.
        let result = Box::pin($client.$op() $(.$setter($($arg),*))* .send()).await;
        $run.record(stringify!($op), result).await
    }};
}

/// Reads a raw (non-JSON) success body; an empty or unreadable one is a
/// failure of `op`.
async fn read_raw(run: &mut Run, op: &str, response: Option<ResponseValue<ByteStream>>) {
    use futures::StreamExt;
    let Some(response) = response else { return };
    let mut stream = response.into_inner().into_inner();
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(chunk) => bytes.extend_from_slice(&chunk),
            Err(e) => {
                run.fail(op, format!("the body is not readable: {e}"));
                return;
            }
        }
    }
    if bytes.is_empty() {
        run.fail(op, "the body is empty".to_string());
    }
}

fn date(rfc3339: &str) -> chrono::DateTime<chrono::Utc> {
    rfc3339.parse().expect("RFC 3339 timestamp")
}

// ---------------------------------------------------------------------------
// The 244 operations against Prism
// ---------------------------------------------------------------------------

const AGENT_DEFINITION_KEY: &str = "2251799813686770"; // AgentDefinitionKey
const AGENT_INSTANCE_KEY: &str = "2251799813690850"; // AgentInstanceKey
const AUDIT_LOG_KEY: &str = "2251799813690840"; // AuditLogKey
const AUTHORIZATION_KEY: &str = "2251799813684563"; // AuthorizationKey
const BATCH_OPERATION_KEY: &str = "7f4c2b1e-3a5d-4e6f-8a9b-0c1d2e3f4a5b"; // BatchOperationKey
const CLIENT_ID: &str = "order-service"; // ClientId
const CLUSTER_VARIABLE_NAME: &str = "PAYMENT_GATEWAY_URL"; // ClusterVariableName
const DECISION_DEFINITION_KEY: &str = "2251799813686761"; // DecisionDefinitionKey
const DECISION_EVALUATION_INSTANCE_KEY: &str = "2251799813690802-1"; // DecisionEvaluationInstanceKey
const DECISION_EVALUATION_KEY: &str = "2251799813690802"; // DecisionEvaluationKey
const DECISION_REQUIREMENTS_KEY: &str = "2251799813686760"; // DecisionRequirementsKey
const DOCUMENT_ID: &str = "9c1f0e2d-7b3a-4c5d-8e6f-1a2b3c4d5e6f"; // DocumentId
const ELEMENT_INSTANCE_KEY: &str = "2251799813690752"; // ElementInstanceKey
const FORM_KEY: &str = "2251799813686755"; // FormKey
const GLOBAL_LISTENER_ID: &str = "audit-trail-listener"; // GlobalListenerId
const GROUP_ID: &str = "accounting"; // GroupId
const INCIDENT_KEY: &str = "2251799813690793"; // IncidentKey
const JOB_KEY: &str = "2251799813690771"; // JobKey
const MAPPING_RULE_ID: &str = "okta-accounting"; // MappingRuleId
const PROCESS_DEFINITION_KEY: &str = "2251799813686749"; // ProcessDefinitionKey
const PROCESS_INSTANCE_KEY: &str = "2251799813690746"; // ProcessInstanceKey
const RESOURCE_KEY: &str = "2251799813686751"; // ResourceKey
const ROLE_ID: &str = "order-approver"; // RoleId
const TENANT_ID: &str = "<default>"; // TenantId
const USERNAME: &str = "jane.doe"; // Username
const USER_TASK_KEY: &str = "2251799813690785"; // UserTaskKey
const VARIABLE_KEY: &str = "2251799813690758"; // VariableKey
const MANAGED_TENANT: &str = "emea-retail"; // TenantId, for tenant management
const BACKUP: &str = "20261130021500"; // BackupId

const ORDER_BPMN: &str = include_str!("../fixtures/orchestration/order-process.bpmn");
const INVOICE_DMN: &str = include_str!("../fixtures/orchestration/invoice-classification.dmn");
const INVOICE_PDF: &[u8] =
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// Runs the Prism checks on a thread of their own with a large stack: the
/// state machine of 244 awaited calls does not fit the 2 MiB of a test
/// thread in a debug build.
#[test]
fn orchestration_operations_against_prism() {
    let outcome = std::thread::Builder::new()
        .name("prism-orchestration".to_string())
        .stack_size(256 * 1024 * 1024)
        .spawn(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime")
                .block_on(every_operation_against_prism())
        })
        .expect("spawn the Prism thread")
        .join();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

async fn every_operation_against_prism() {
    let examples_spec = served_orchestration_spec();
    let mut generated_spec = examples_spec.clone();
    for change in adapt_for_generated_responses(&mut generated_spec) {
        println!("  {change}");
    }
    // Two Prisms, started together: one answers with the spec's examples,
    // the other with bodies generated from the schemas (every optional
    // member, `null`s, other enum values), seeded so that a failure
    // reproduces.
    let (examples, generated) = tokio::join!(
        Prism::serve(&examples_spec),
        Prism::serve_with(&generated_spec, &["--dynamic", "--seed", "camunda8"])
    );
    call_every_operation(&examples, "examples").await;
    call_every_operation(&generated, "generated responses").await;
    rejected_requests_are_reported(&examples).await;
}

/// Calls each operation once on `prism`; every call must succeed and the
/// calls must be exactly the contract's operations.
async fn call_every_operation(prism: &Prism, mode: &'static str) {
    // Prism serves the spec's paths as written (no `/v2` server prefix).
    let v2 = Client::new_with_client(prism.base_url(), http(), bearer());
    // The `/cluster/v2/*` operations are served at the gateway's root: the
    // client sends them to its address without the `/v2` (step
    // `operation_servers`), so theirs is Prism's with `/v2`.
    let root = Client::new_with_client(&format!("{}/v2", prism.base_url()), http(), bearer());
    let mut run = Run::new("orchestration").in_mode(mode);

    // POST /agent-definitions/search
    call!(run, v2, search_agent_definitions
        .body(body::<types::AgentDefinitionSearchQuery>(json!({"filter": {"processDefinitionId": "order-process", "tenantId": "<default>"}, "sort": [{"field": "agentDefinitionKey", "order": "DESC"}], "page": {"limit": 20}}))));
    // GET /agent-definitions/{agentDefinitionKey}
    call!(
        run,
        v2,
        get_agent_definition.agent_definition_key(AGENT_DEFINITION_KEY)
    );
    // POST /agent-instances
    call!(run, v2, create_agent_instance
        .body(body::<types::AgentInstanceCreationRequest>(json!({"elementInstanceKey": "2251799813690752", "history": [{"content": [{"contentType": "TEXT", "text": "Reserve 2 units of SKU 4711 for order ORD-2026-00417"}], "historyItemId": "hist-0001", "loopIteration": 1, "producedAt": "2026-11-30T02:15:00Z", "role": "USER"}], "jobKey": "2251799813690771", "jobLeaseToken": "lease-7c9e6679"}))));
    // POST /agent-instances/search
    call!(run, v2, search_agent_instances
        .body(body::<types::AgentInstanceSearchQuery>(json!({"filter": {"processDefinitionId": "order-process", "processInstanceKey": "2251799813690746"}, "sort": [{"field": "agentInstanceKey", "order": "DESC"}], "page": {"limit": 20}}))));
    // GET /agent-instances/{agentInstanceKey}
    call!(
        run,
        v2,
        get_agent_instance.agent_instance_key(AGENT_INSTANCE_KEY)
    );
    // PATCH /agent-instances/{agentInstanceKey}
    call!(run, v2, update_agent_instance
        .agent_instance_key(AGENT_INSTANCE_KEY)
        .body(body::<types::AgentInstanceUpdateRequest>(json!({"elementInstanceKey": "2251799813690752", "jobKey": "2251799813690771", "jobLeaseToken": "lease-7c9e6679"}))));
    // POST /agent-instances/{agentInstanceKey}/history/search
    call!(run, v2, search_agent_instance_history
        .agent_instance_key(AGENT_INSTANCE_KEY)
        .body(body::<types::AgentInstanceHistorySearchQuery>(json!({"filter": {"commitStatus": "COMMITTED"}, "sort": [{"field": "producedAt", "order": "DESC"}], "page": {"limit": 20}}))));
    // POST /audit-logs/search
    call!(run, v2, search_audit_logs
        .body(body::<types::AuditLogSearchQueryRequest>(json!({"filter": {"processDefinitionId": "order-process", "processInstanceKey": "2251799813690746"}, "sort": [{"field": "actorId", "order": "DESC"}], "page": {"limit": 20}}))));
    // GET /audit-logs/{auditLogKey}
    call!(run, v2, get_audit_log.audit_log_key(AUDIT_LOG_KEY));
    // GET /authentication/me
    call!(run, v2, get_authentication);
    // POST /authentication/me/authorizations/search
    call!(run, v2, search_own_authorizations
        .body(body::<types::AuthorizationSearchQuery>(json!({"filter": {"ownerId": "jane.doe"}, "sort": [{"field": "ownerId", "order": "DESC"}], "page": {"limit": 20}}))));
    // POST /authorizations
    call!(run, v2, create_authorization
        .body(body::<types::AuthorizationRequest>(json!({"ownerId": "jane.doe", "ownerType": "USER", "permissionTypes": ["READ_PROCESS_INSTANCE"], "resourceId": "order-process", "resourceType": "PROCESS_DEFINITION"}))));
    // POST /authorizations/search
    call!(run, v2, search_authorizations
        .body(body::<types::AuthorizationSearchQuery>(json!({"filter": {"ownerId": "jane.doe"}, "sort": [{"field": "ownerId", "order": "DESC"}], "page": {"limit": 20}}))));
    // DELETE /authorizations/{authorizationKey}
    call!(
        run,
        v2,
        delete_authorization.authorization_key(AUTHORIZATION_KEY)
    );
    // GET /authorizations/{authorizationKey}
    call!(
        run,
        v2,
        get_authorization.authorization_key(AUTHORIZATION_KEY)
    );
    // PUT /authorizations/{authorizationKey}
    call!(run, v2, update_authorization
        .authorization_key(AUTHORIZATION_KEY)
        .body(body::<types::AuthorizationRequest>(json!({"ownerId": "jane.doe", "ownerType": "USER", "permissionTypes": ["READ_PROCESS_INSTANCE"], "resourceId": "order-process", "resourceType": "PROCESS_DEFINITION"}))));
    // GET /backups/history
    call!(run, v2, list_history_backups.prefix("2026*").verbose(true));
    // POST /backups/history
    call!(
        run,
        v2,
        take_history_backup.body(body::<types::TakeHistoryBackupRequest>(
            json!({"backupId": 20_261_130_021_500_i64})
        ))
    );
    // DELETE /backups/history/{backupId}
    call!(run, v2, delete_history_backup.backup_id(BACKUP));
    // GET /backups/history/{backupId}
    call!(run, v2, get_history_backup.backup_id(BACKUP));
    // GET /backups/runtime
    call!(run, v2, list_runtime_backups.prefix("2026*"));
    // POST /backups/runtime
    call!(
        run,
        v2,
        take_runtime_backup.body(body::<types::TakeRuntimeBackupRequest>(json!({})))
    );
    // DELETE /backups/runtime/state
    call!(run, v2, delete_runtime_backup_state);
    // GET /backups/runtime/state
    call!(run, v2, get_runtime_backup_state);
    // POST /backups/runtime/state/sync
    call!(run, v2, sync_runtime_backup_state);
    // DELETE /backups/runtime/{backupId}
    call!(run, v2, delete_runtime_backup.backup_id(BACKUP));
    // GET /backups/runtime/{backupId}
    call!(run, v2, get_runtime_backup.backup_id(BACKUP));
    // POST /batch-operation-items/search
    call!(run, v2, search_batch_operation_items
        .body(body::<types::BatchOperationItemSearchQuery>(json!({"filter": {"processInstanceKey": "2251799813690746", "state": "ACTIVE"}, "sort": [{"field": "batchOperationKey", "order": "DESC"}], "page": {"limit": 20}}))));
    // POST /batch-operations/search
    call!(run, v2, search_batch_operations
        .body(body::<types::BatchOperationSearchQuery>(json!({"filter": {"state": "ACTIVE"}, "sort": [{"field": "batchOperationKey", "order": "DESC"}], "page": {"limit": 20}}))));
    // GET /batch-operations/{batchOperationKey}
    call!(
        run,
        v2,
        get_batch_operation.batch_operation_key(BATCH_OPERATION_KEY)
    );
    // POST /batch-operations/{batchOperationKey}/cancellation
    call!(
        run,
        v2,
        cancel_batch_operation
            .batch_operation_key(BATCH_OPERATION_KEY)
            .body(json!({}))
    );
    // POST /batch-operations/{batchOperationKey}/resumption
    call!(
        run,
        v2,
        resume_batch_operation
            .batch_operation_key(BATCH_OPERATION_KEY)
            .body(json!({}))
    );
    // POST /batch-operations/{batchOperationKey}/suspension
    call!(
        run,
        v2,
        suspend_batch_operation
            .batch_operation_key(BATCH_OPERATION_KEY)
            .body(json!({}))
    );
    // PUT /clock
    call!(
        run,
        v2,
        pin_clock.body(body::<types::ClockPinRequest>(
            json!({"timestamp": 1_764_468_900_000_i64})
        ))
    );
    // POST /clock/reset
    call!(run, v2, reset_clock);
    // POST /cluster-variables/global
    call!(
        run,
        v2,
        create_global_cluster_variable.body(body::<types::CreateClusterVariableRequest>(
            json!({"name": "PAYMENT_GATEWAY_URL", "value": {"url": "https://payments.example.com/api", "timeoutMs": 5000}})
        ))
    );
    // DELETE /cluster-variables/global/{name}
    call!(
        run,
        v2,
        delete_global_cluster_variable.name(CLUSTER_VARIABLE_NAME)
    );
    // GET /cluster-variables/global/{name}
    call!(
        run,
        v2,
        get_global_cluster_variable.name(CLUSTER_VARIABLE_NAME)
    );
    // PUT /cluster-variables/global/{name}
    call!(
        run,
        v2,
        update_global_cluster_variable
            .name(CLUSTER_VARIABLE_NAME)
            .body(body::<types::UpdateClusterVariableRequest>(
                json!({"value": {"url": "https://payments.example.com/api", "timeoutMs": 5000}})
            ))
    );
    // POST /cluster-variables/search
    call!(run, v2, search_cluster_variables
        .truncate_values(false)
        .body(body::<types::ClusterVariableSearchQueryRequest>(json!({"filter": {"tenantId": "<default>", "name": "PAYMENT_GATEWAY_URL"}, "sort": [{"field": "name", "order": "DESC"}], "page": {"limit": 20}}))));
    // POST /cluster-variables/tenants/{tenantId}
    call!(
        run,
        v2,
        create_tenant_cluster_variable
            .tenant_id(TENANT_ID)
            .body(body::<types::CreateClusterVariableRequest>(
                json!({"name": "PAYMENT_GATEWAY_URL", "value": {"url": "https://payments.example.com/api", "timeoutMs": 5000}})
            ))
    );
    // DELETE /cluster-variables/tenants/{tenantId}/{name}
    call!(
        run,
        v2,
        delete_tenant_cluster_variable
            .tenant_id(TENANT_ID)
            .name(CLUSTER_VARIABLE_NAME)
    );
    // GET /cluster-variables/tenants/{tenantId}/{name}
    call!(
        run,
        v2,
        get_tenant_cluster_variable
            .tenant_id(TENANT_ID)
            .name(CLUSTER_VARIABLE_NAME)
    );
    // PUT /cluster-variables/tenants/{tenantId}/{name}
    call!(
        run,
        v2,
        update_tenant_cluster_variable
            .tenant_id(TENANT_ID)
            .name(CLUSTER_VARIABLE_NAME)
            .body(body::<types::UpdateClusterVariableRequest>(
                json!({"value": {"url": "https://payments.example.com/api", "timeoutMs": 5000}})
            ))
    );
    // GET /cluster/v2/backups/history
    call!(
        run,
        root,
        list_history_backups_as_cluster_admin
            .physical_tenant_id("default")
            .prefix("2026*")
            .verbose(true)
    );
    // POST /cluster/v2/backups/history
    call!(
        run,
        root,
        take_history_backup_as_cluster_admin
            .physical_tenant_id("default")
            .body(body::<types::TakeHistoryBackupRequest>(
                json!({"backupId": 20_261_130_021_500_i64})
            ))
    );
    // DELETE /cluster/v2/backups/history/{backupId}
    call!(
        run,
        root,
        delete_history_backup_as_cluster_admin
            .backup_id(BACKUP)
            .physical_tenant_id("default")
    );
    // GET /cluster/v2/backups/history/{backupId}
    call!(
        run,
        root,
        get_history_backup_as_cluster_admin
            .backup_id(BACKUP)
            .physical_tenant_id("default")
    );
    // GET /cluster/v2/backups/runtime
    call!(
        run,
        root,
        list_runtime_backups_as_cluster_admin
            .physical_tenant_id("default")
            .prefix("2026*")
    );
    // POST /cluster/v2/backups/runtime
    call!(
        run,
        root,
        take_runtime_backup_as_cluster_admin
            .physical_tenant_id("default")
            .body(body::<types::TakeRuntimeBackupRequest>(json!({})))
    );
    // DELETE /cluster/v2/backups/runtime/state
    call!(
        run,
        root,
        delete_runtime_backup_state_as_cluster_admin.physical_tenant_id("default")
    );
    // GET /cluster/v2/backups/runtime/state
    call!(
        run,
        root,
        get_runtime_backup_state_as_cluster_admin.physical_tenant_id("default")
    );
    // POST /cluster/v2/backups/runtime/state/sync
    call!(
        run,
        root,
        sync_runtime_backup_state_as_cluster_admin.physical_tenant_id("default")
    );
    // DELETE /cluster/v2/backups/runtime/{backupId}
    call!(
        run,
        root,
        delete_runtime_backup_as_cluster_admin
            .backup_id(BACKUP)
            .physical_tenant_id("default")
    );
    // GET /cluster/v2/backups/runtime/{backupId}
    call!(
        run,
        root,
        get_runtime_backup_as_cluster_admin
            .backup_id(BACKUP)
            .physical_tenant_id("default")
    );
    // GET /cluster/v2/exporting
    call!(run, root, get_cluster_exporting_status);
    // POST /cluster/v2/exporting/pause
    call!(run, root, pause_cluster_exporting.soft(true));
    // POST /cluster/v2/exporting/resume
    call!(run, root, resume_cluster_exporting);
    // PATCH /cluster/v2/mode
    call!(
        run,
        root,
        change_cluster_mode_as_cluster_admin
            .mode("PROCESSING")
            .physical_tenant_id("default")
            .dry_run(true)
    );
    // DELETE /cluster/v2/rebalance
    call!(run, root, cancel_cluster_rebalance);
    // GET /cluster/v2/rebalance
    call!(run, root, get_cluster_rebalance);
    // POST /cluster/v2/rebalance
    call!(
        run,
        root,
        trigger_cluster_rebalance
            .dry_run(true)
            .body(body::<types::ClusterRebalanceRequest>(json!({})))
    );
    // POST /cluster/v2/restore
    call!(
        run,
        root,
        restore_as_cluster_admin
            .physical_tenant_id("default")
            .dry_run(true)
            .body(body::<types::ClusterRestoreRequest>(json!({})))
    );
    // GET /cluster/v2/status
    call!(run, root, get_cluster_status);
    // GET /cluster/v2/status/upgrade
    call!(run, root, get_cluster_upgrade_status);
    // GET /cluster/v2/topology
    call!(run, root, get_cluster_topology);
    // POST /conditionals/evaluation
    call!(
        run,
        v2,
        evaluate_conditionals.body(body::<types::ConditionalEvaluationInstruction>(
            json!({"variables": {"orderId": "ORD-2026-00417", "amount": 1249.5, "express": true}})
        ))
    );
    // POST /correlated-message-subscriptions/search
    call!(run, v2, search_correlated_message_subscriptions
        .body(body::<types::CorrelatedMessageSubscriptionSearchQuery>(json!({"filter": {"processDefinitionId": "order-process", "processInstanceKey": "2251799813690746"}, "sort": [{"field": "businessId", "order": "DESC"}], "page": {"limit": 20}}))));
    // POST /decision-definitions/evaluation
    call!(run, v2, evaluate_decision
        .body(body::<types::DecisionEvaluationInstruction>(json!({"decisionDefinitionId": "invoice-classification", "variables": {"amount": 1249.5}, "tenantId": "<default>"}))));
    // POST /decision-definitions/search
    call!(run, v2, search_decision_definitions
        .body(body::<types::DecisionDefinitionSearchQuery>(json!({"filter": {"tenantId": "<default>", "name": "Invoice classification"}, "sort": [{"field": "decisionDefinitionKey", "order": "DESC"}], "page": {"limit": 20}}))));
    // GET /decision-definitions/{decisionDefinitionKey}
    call!(
        run,
        v2,
        get_decision_definition.decision_definition_key(DECISION_DEFINITION_KEY)
    );
    // GET /decision-definitions/{decisionDefinitionKey}/xml
    let raw = call!(
        run,
        v2,
        get_decision_definition_xml.decision_definition_key(DECISION_DEFINITION_KEY)
    );
    read_raw(&mut run, "get_decision_definition_xml", raw).await;
    // POST /decision-instances/deletion
    call!(
        run,
        v2,
        delete_decision_instances_batch_operation.body(body::<
            types::DecisionInstanceDeletionBatchOperationRequest,
        >(
            json!({"filter": {"decisionDefinitionId": "invoice-classification"}})
        ))
    );
    // POST /decision-instances/search
    call!(run, v2, search_decision_instances
        .body(body::<types::DecisionInstanceSearchQuery>(json!({"filter": {"processInstanceKey": "2251799813690746", "state": "EVALUATED"}, "sort": [{"field": "businessId", "order": "DESC"}], "page": {"limit": 20}}))));
    // GET /decision-instances/{decisionEvaluationInstanceKey}
    call!(
        run,
        v2,
        get_decision_instance.decision_evaluation_instance_key(DECISION_EVALUATION_INSTANCE_KEY)
    );
    // POST /decision-instances/{decisionEvaluationKey}/deletion
    call!(
        run,
        v2,
        delete_decision_instance
            .decision_evaluation_key(DECISION_EVALUATION_KEY)
            .body(body::<types::DeleteDecisionInstanceRequest>(json!({})))
    );
    // POST /decision-requirements/search
    call!(run, v2, search_decision_requirements
        .body(body::<types::DecisionRequirementsSearchQuery>(json!({"filter": {"tenantId": "<default>"}, "sort": [{"field": "decisionRequirementsKey", "order": "DESC"}], "page": {"limit": 20}}))));
    // GET /decision-requirements/{decisionRequirementsKey}
    call!(
        run,
        v2,
        get_decision_requirements.decision_requirements_key(DECISION_REQUIREMENTS_KEY)
    );
    // GET /decision-requirements/{decisionRequirementsKey}/xml
    let raw = call!(
        run,
        v2,
        get_decision_requirements_xml.decision_requirements_key(DECISION_REQUIREMENTS_KEY)
    );
    read_raw(&mut run, "get_decision_requirements_xml", raw).await;
    // POST /deployments (multipart, hand-written builder)
    let deployed = v2
        .create_deployment()
        .resource("order-process.bpmn", ORDER_BPMN)
        .resource("invoice-classification.dmn", INVOICE_DMN)
        .tenant_id(TENANT_ID.parse().expect("tenant"))
        .send()
        .await;
    run.record("create_deployment", deployed).await;
    // POST /documents (multipart, hand-written builder)
    let document = v2
        .create_document()
        .file("invoice-2026-00417.pdf", INVOICE_PDF)
        .metadata(body::<types::DocumentMetadata>(json!({
            "contentType": "application/pdf",
            "fileName": "invoice-2026-00417.pdf",
            "expiresAt": "2026-12-31T23:59:59Z",
            "size": INVOICE_PDF.len(),
            "customProperties": {"orderId": "ORD-2026-00417"}
        })))
        .store_id("in-memory")
        .send()
        .await;
    run.record("create_document", document).await;
    // POST /documents/batch (multipart, hand-written builder)
    let documents = v2
        .create_documents()
        .file("invoice-2026-00417.pdf", INVOICE_PDF, None)
        .file(
            "delivery-note-2026-00417.txt",
            &b"Delivered 2026-11-28 to Dock 4"[..],
            Some(body::<types::DocumentMetadata>(json!({
                "fileName": "delivery-note-2026-00417.txt",
                "customProperties": {"dock": 4}
            }))),
        )
        .store_id("in-memory")
        .send()
        .await;
    run.record("create_documents", documents).await;
    // DELETE /documents/{documentId}
    call!(
        run,
        v2,
        delete_document
            .document_id(DOCUMENT_ID)
            .store_id("in-memory")
    );
    // GET /documents/{documentId}
    let raw = call!(
        run,
        v2,
        get_document
            .document_id(DOCUMENT_ID)
            .store_id("in-memory")
            .content_hash("8d969eef6ecad3c29a3a629280e686cf")
    );
    read_raw(&mut run, "get_document", raw).await;
    // POST /documents/{documentId}/links
    call!(
        run,
        v2,
        create_document_link
            .document_id(DOCUMENT_ID)
            .store_id("in-memory")
            .content_hash("8d969eef6ecad3c29a3a629280e686cf")
            .body(body::<types::DocumentLinkRequest>(
                json!({"timeToLive": 3_600_000})
            ))
    );
    // POST /element-instances/ad-hoc-activities/{adHocSubProcessInstanceKey}/activation
    call!(
        run,
        v2,
        activate_ad_hoc_sub_process_activities
            .ad_hoc_sub_process_instance_key(ELEMENT_INSTANCE_KEY)
            .body(body::<types::AdHocSubProcessActivateActivitiesInstruction>(
                json!({"elements": [{"elementId": "Activity_ReserveStock"}]})
            ))
    );
    // POST /element-instances/search
    call!(run, v2, search_element_instances
        .body(body::<types::ElementInstanceSearchQuery>(json!({"filter": {"processDefinitionId": "order-process", "processInstanceKey": "2251799813690746"}, "sort": [{"field": "elementInstanceKey", "order": "DESC"}], "page": {"limit": 20}}))));
    // POST /element-instances/wait-states/search
    call!(run, v2, search_element_instance_wait_states
        .body(body::<types::ElementInstanceWaitStateQuery>(json!({"filter": {"processInstanceKey": "2251799813690746"}, "sort": [{"field": "elementInstanceKey", "order": "DESC"}], "page": {"limit": 20}}))));
    // GET /element-instances/{elementInstanceKey}
    call!(
        run,
        v2,
        get_element_instance.element_instance_key(ELEMENT_INSTANCE_KEY)
    );
    // POST /element-instances/{elementInstanceKey}/incidents/search
    call!(run, v2, search_element_instance_incidents
        .element_instance_key(ELEMENT_INSTANCE_KEY)
        .body(body::<types::IncidentSearchQuery>(json!({"filter": {"processDefinitionId": "order-process", "processInstanceKey": "2251799813690746"}, "sort": [{"field": "incidentKey", "order": "DESC"}], "page": {"limit": 20}}))));
    // PUT /element-instances/{elementInstanceKey}/variables
    call!(run, v2, set_variables
        .element_instance_key(ELEMENT_INSTANCE_KEY)
        .body(body::<types::SetVariableRequest>(json!({"variables": {"orderId": "ORD-2026-00417", "amount": 1249.5, "express": true}}))));
    // GET /exporting
    call!(run, v2, get_exporting_status);
    // POST /exporting/pause
    call!(run, v2, pause_exporting.soft(true));
    // POST /exporting/resume
    call!(run, v2, resume_exporting);
    // POST /expression/evaluation
    call!(
        run,
        v2,
        evaluate_expression.body(body::<types::ExpressionEvaluationRequest>(
            json!({"expression": "=amount > 1000"})
        ))
    );
    // GET /forms/{formKey}
    call!(run, v2, get_form_by_key.form_key(FORM_KEY));
    // POST /global-task-listeners
    call!(
        run,
        v2,
        create_global_task_listener.body(body::<types::CreateGlobalTaskListenerRequest>(
            json!({"eventTypes": ["all"], "id": "audit-trail-listener", "type": "payment-service"})
        ))
    );
    // POST /global-task-listeners/search
    call!(run, v2, search_global_task_listeners
        .body(body::<types::GlobalTaskListenerSearchQueryRequest>(json!({"filter": {"type": "payment-service"}, "sort": [{"field": "id", "order": "DESC"}], "page": {"limit": 20}}))));
    // DELETE /global-task-listeners/{id}
    call!(run, v2, delete_global_task_listener.id(GLOBAL_LISTENER_ID));
    // GET /global-task-listeners/{id}
    call!(run, v2, get_global_task_listener.id(GLOBAL_LISTENER_ID));
    // PUT /global-task-listeners/{id}
    call!(
        run,
        v2,
        update_global_task_listener
            .id(GLOBAL_LISTENER_ID)
            .body(body::<types::UpdateGlobalTaskListenerRequest>(
                json!({"eventTypes": ["all"], "type": "payment-service"})
            ))
    );
    // POST /groups
    call!(
        run,
        v2,
        create_group.body(body::<types::GroupCreateRequest>(
            json!({"groupId": "accounting", "name": "Accounting"})
        ))
    );
    // POST /groups/search
    call!(run, v2, search_groups
        .body(body::<types::GroupSearchQueryRequest>(json!({"filter": {"groupId": "accounting", "name": "Accounting"}, "sort": [{"field": "name", "order": "DESC"}], "page": {"limit": 20}}))));
    // DELETE /groups/{groupId}
    call!(run, v2, delete_group.group_id(GROUP_ID));
    // GET /groups/{groupId}
    call!(run, v2, get_group.group_id(GROUP_ID));
    // PUT /groups/{groupId}
    call!(
        run,
        v2,
        update_group
            .group_id(GROUP_ID)
            .body(body::<types::GroupUpdateRequest>(
                json!({"name": "Accounting"})
            ))
    );
    // POST /groups/{groupId}/clients/search
    call!(
        run,
        v2,
        search_clients_for_group.group_id(GROUP_ID).body(body::<
            types::GroupClientSearchQueryRequest,
        >(
            json!({"sort": [{"field": "clientId", "order": "DESC"}], "page": {"limit": 20}})
        ))
    );
    // DELETE /groups/{groupId}/clients/{clientId}
    call!(
        run,
        v2,
        unassign_client_from_group
            .group_id(GROUP_ID)
            .client_id(CLIENT_ID)
    );
    // PUT /groups/{groupId}/clients/{clientId}
    call!(
        run,
        v2,
        assign_client_to_group
            .group_id(GROUP_ID)
            .client_id(CLIENT_ID)
    );
    // POST /groups/{groupId}/mapping-rules/search
    call!(run, v2, search_mapping_rules_for_group
        .group_id(GROUP_ID)
        .body(body::<types::MappingRuleSearchQueryRequest>(json!({"filter": {"name": "Accounting"}, "sort": [{"field": "mappingRuleId", "order": "DESC"}], "page": {"limit": 20}}))));
    // DELETE /groups/{groupId}/mapping-rules/{mappingRuleId}
    call!(
        run,
        v2,
        unassign_mapping_rule_from_group
            .group_id(GROUP_ID)
            .mapping_rule_id(MAPPING_RULE_ID)
    );
    // PUT /groups/{groupId}/mapping-rules/{mappingRuleId}
    call!(
        run,
        v2,
        assign_mapping_rule_to_group
            .group_id(GROUP_ID)
            .mapping_rule_id(MAPPING_RULE_ID)
    );
    // POST /groups/{groupId}/roles/search
    call!(run, v2, search_roles_for_group
        .group_id(GROUP_ID)
        .body(body::<types::RoleSearchQueryRequest>(json!({"filter": {"name": "Accounting"}, "sort": [{"field": "name", "order": "DESC"}], "page": {"limit": 20}}))));
    // POST /groups/{groupId}/users/search
    call!(
        run,
        v2,
        search_users_for_group
            .group_id(GROUP_ID)
            .body(body::<types::GroupUserSearchQueryRequest>(
                json!({"sort": [{"field": "username", "order": "DESC"}], "page": {"limit": 20}})
            ))
    );
    // DELETE /groups/{groupId}/users/{username}
    call!(
        run,
        v2,
        unassign_user_from_group
            .group_id(GROUP_ID)
            .username(USERNAME)
    );
    // PUT /groups/{groupId}/users/{username}
    call!(
        run,
        v2,
        assign_user_to_group.group_id(GROUP_ID).username(USERNAME)
    );
    // POST /incidents/search
    call!(run, v2, search_incidents
        .body(body::<types::IncidentSearchQuery>(json!({"filter": {"processDefinitionId": "order-process", "processInstanceKey": "2251799813690746"}, "sort": [{"field": "incidentKey", "order": "DESC"}], "page": {"limit": 20}}))));
    // POST /incidents/statistics/process-instances-by-definition
    call!(
        run,
        v2,
        get_process_instance_statistics_by_definition.body(body::<
            types::IncidentProcessInstanceStatisticsByDefinitionQuery,
        >(
            json!({"filter": {"errorHashCode": 1}})
        ))
    );
    // POST /incidents/statistics/process-instances-by-error
    call!(
        run,
        v2,
        get_process_instance_statistics_by_error
            .body(body::<types::IncidentProcessInstanceStatisticsByErrorQuery>(json!({})))
    );
    // GET /incidents/{incidentKey}
    call!(run, v2, get_incident.incident_key(INCIDENT_KEY));
    // POST /incidents/{incidentKey}/resolution
    call!(
        run,
        v2,
        resolve_incident
            .incident_key(INCIDENT_KEY)
            .body(body::<types::IncidentResolutionRequest>(json!({})))
    );
    // POST /jobs/activation
    call!(
        run,
        v2,
        activate_jobs.body(body::<types::JobActivationRequest>(
            json!({"maxJobsToActivate": 10, "timeout": 300000, "type": "payment-service"})
        ))
    );
    // POST /jobs/batch-update
    call!(run, v2, update_jobs_batch_operation
        .body(body::<types::JobBatchUpdateRequest>(json!({"changeset": {"retries": 3}, "filter": {"type": "payment-service", "processInstanceKey": "2251799813690746"}}))));
    // POST /jobs/search
    call!(run, v2, search_jobs
        .body(body::<types::JobSearchQuery>(json!({"filter": {"processDefinitionId": "order-process", "processInstanceKey": "2251799813690746"}, "sort": [{"field": "creationTime", "order": "DESC"}], "page": {"limit": 20}}))));
    // POST /jobs/statistics/by-types
    call!(
        run,
        v2,
        get_job_type_statistics.body(body::<types::JobTypeStatisticsQuery>(json!({})))
    );
    // POST /jobs/statistics/by-workers
    call!(run, v2, get_job_worker_statistics
        .body(body::<types::JobWorkerStatisticsQuery>(json!({"filter": {"from": "2026-11-30T02:15:00Z", "jobType": "payment-service", "to": "2026-11-30T02:15:00Z"}}))));
    // POST /jobs/statistics/errors
    call!(run, v2, get_job_error_statistics
        .body(body::<types::JobErrorStatisticsQuery>(json!({"filter": {"from": "2026-11-30T02:15:00Z", "jobType": "payment-service", "to": "2026-11-30T02:15:00Z"}}))));
    // GET /jobs/statistics/global
    call!(
        run,
        v2,
        get_global_job_statistics
            .from(date("2026-11-01T00:00:00Z"))
            .to(date("2026-11-30T00:00:00Z"))
            .job_type("payment-service")
    );
    // POST /jobs/statistics/time-series
    call!(run, v2, get_job_time_series_statistics
        .body(body::<types::JobTimeSeriesStatisticsQuery>(json!({"filter": {"from": "2026-11-30T02:15:00Z", "jobType": "payment-service", "to": "2026-11-30T02:15:00Z"}}))));
    // PATCH /jobs/{jobKey}
    call!(
        run,
        v2,
        update_job
            .job_key(JOB_KEY)
            .body(body::<types::JobUpdateRequest>(
                json!({"changeset": {"retries": 5, "timeout": 600000, "priority": 80}})
            ))
    );
    // POST /jobs/{jobKey}/completion
    call!(
        run,
        v2,
        complete_job
            .job_key(JOB_KEY)
            .body(body::<types::JobCompletionRequest>(
                json!({"variables": {"paymentId": "PAY-88310", "paid": true}})
            ))
    );
    // POST /jobs/{jobKey}/error
    call!(run, v2, throw_job_error
        .job_key(JOB_KEY)
        .body(body::<types::JobErrorRequest>(json!({"errorCode": "STOCK_UNAVAILABLE", "errorMessage": "SKU 4711 is out of stock", "variables": {"sku": "4711"}}))));
    // POST /jobs/{jobKey}/failure
    call!(run, v2, fail_job
        .job_key(JOB_KEY)
        .body(body::<types::JobFailRequest>(json!({"retries": 2, "errorMessage": "Payment gateway timed out after 30 s", "retryBackOff": 30000, "variables": {"lastAttempt": "2026-11-30T02:15:00Z"}}))));
    // GET /license
    call!(run, v2, get_license);
    // POST /mapping-rules
    call!(run, v2, create_mapping_rule
        .body(body::<types::MappingRuleCreateRequest>(json!({"claimName": "groups", "claimValue": "accounting", "mappingRuleId": "okta-accounting", "name": "Okta accounting group"}))));
    // POST /mapping-rules/search
    call!(run, v2, search_mapping_rules
        .body(body::<types::MappingRuleSearchQueryRequest>(json!({"filter": {"name": "Okta accounting group"}, "sort": [{"field": "mappingRuleId", "order": "DESC"}], "page": {"limit": 20}}))));
    // DELETE /mapping-rules/{mappingRuleId}
    call!(
        run,
        v2,
        delete_mapping_rule.mapping_rule_id(MAPPING_RULE_ID)
    );
    // GET /mapping-rules/{mappingRuleId}
    call!(run, v2, get_mapping_rule.mapping_rule_id(MAPPING_RULE_ID));
    // PUT /mapping-rules/{mappingRuleId}
    call!(run, v2, update_mapping_rule
        .mapping_rule_id(MAPPING_RULE_ID)
        .body(body::<types::MappingRuleUpdateRequest>(json!({"claimName": "groups", "claimValue": "accounting", "name": "Okta accounting group"}))));
    // POST /message-subscriptions/search
    call!(run, v2, search_message_subscriptions
        .body(body::<types::MessageSubscriptionSearchQuery>(json!({"filter": {"processDefinitionId": "order-process", "processInstanceKey": "2251799813690746"}, "sort": [{"field": "businessId", "order": "DESC"}], "page": {"limit": 20}}))));
    // POST /messages/correlation
    call!(run, v2, correlate_message
        .body(body::<types::MessageCorrelationRequest>(json!({"name": "order-paid", "correlationKey": "ORD-2026-00417", "tenantId": "<default>", "variables": {"paymentId": "PAY-88310"}}))));
    // POST /messages/publication
    call!(run, v2, publish_message
        .body(body::<types::MessagePublicationRequest>(json!({"name": "order-paid", "correlationKey": "ORD-2026-00417", "timeToLive": 3600000, "messageId": "msg-PAY-88310", "tenantId": "<default>", "variables": {"paymentId": "PAY-88310"}}))));
    // PATCH /mode
    call!(
        run,
        v2,
        change_cluster_mode.mode("PROCESSING").dry_run(true)
    );
    // POST /process-definitions/search
    call!(run, v2, search_process_definitions
        .body(body::<types::ProcessDefinitionSearchQuery>(json!({"filter": {"processDefinitionId": "order-process", "state": "ACTIVE"}, "sort": [{"field": "processDefinitionKey", "order": "DESC"}], "page": {"limit": 20}}))));
    // POST /process-definitions/statistics/message-subscriptions
    call!(
        run,
        v2,
        get_process_definition_message_subscription_statistics.body(body::<
            types::ProcessDefinitionMessageSubscriptionStatisticsQuery,
        >(json!({})))
    );
    // POST /process-definitions/statistics/process-instances
    call!(
        run,
        v2,
        get_process_definition_instance_statistics.body(body::<
            types::ProcessDefinitionInstanceStatisticsQuery,
        >(json!({})))
    );
    // POST /process-definitions/statistics/process-instances-by-version
    call!(
        run,
        v2,
        get_process_definition_instance_version_statistics.body(body::<
            types::ProcessDefinitionInstanceVersionStatisticsQuery,
        >(
            json!({"filter": {"processDefinitionId": "order-process"}})
        ))
    );
    // GET /process-definitions/{processDefinitionKey}
    call!(
        run,
        v2,
        get_process_definition.process_definition_key(PROCESS_DEFINITION_KEY)
    );
    // GET /process-definitions/{processDefinitionKey}/form
    call!(
        run,
        v2,
        get_start_process_form.process_definition_key(PROCESS_DEFINITION_KEY)
    );
    // POST /process-definitions/{processDefinitionKey}/statistics/element-instances
    call!(
        run,
        v2,
        get_process_definition_statistics
            .process_definition_key(PROCESS_DEFINITION_KEY)
            .body(body::<types::ProcessDefinitionElementStatisticsQuery>(
                json!({})
            ))
    );
    // POST /process-definitions/{processDefinitionKey}/variable-names/search
    call!(
        run,
        v2,
        search_process_definition_variable_names
            .process_definition_key(PROCESS_DEFINITION_KEY)
            .body(body::<types::ProcessDefinitionVariableNameSearchQuery>(
                json!({"filter": {"name": "orderId"}, "page": {"limit": 20}})
            ))
    );
    // GET /process-definitions/{processDefinitionKey}/xml
    let raw = call!(
        run,
        v2,
        get_process_definition_xml.process_definition_key(PROCESS_DEFINITION_KEY)
    );
    read_raw(&mut run, "get_process_definition_xml", raw).await;
    // POST /process-instances
    call!(run, v2, create_process_instance
        .body(body::<types::ProcessInstanceCreationInstruction>(json!({"processDefinitionKey": "2251799813686749", "variables": {"orderId": "ORD-2026-00417", "amount": 1249.5, "express": true}, "tenantId": "<default>", "tags": ["priority:high"]}))));
    // POST /process-instances/cancellation
    call!(run, v2, cancel_process_instances_batch_operation
        .body(body::<types::ProcessInstanceCancellationBatchOperationRequest>(json!({"filter": {"processDefinitionId": "order-process", "state": "ACTIVE", "hasIncident": true}}))));
    // POST /process-instances/deletion
    call!(
        run,
        v2,
        delete_process_instances_batch_operation.body(body::<
            types::ProcessInstanceDeletionBatchOperationRequest,
        >(
            json!({"filter": {"processDefinitionId": "order-process", "state": "COMPLETED"}})
        ))
    );
    // POST /process-instances/incident-resolution
    call!(run, v2, resolve_incidents_batch_operation
        .body(body::<types::ProcessInstanceIncidentResolutionBatchOperationRequest>(json!({"filter": {"processDefinitionId": "order-process", "state": "ACTIVE", "hasIncident": true}}))));
    // POST /process-instances/migration
    call!(run, v2, migrate_process_instances_batch_operation
        .body(body::<types::ProcessInstanceMigrationBatchOperationRequest>(json!({"filter": {"processDefinitionKey": "2251799813686749", "state": "ACTIVE"}, "migrationPlan": {"mappingInstructions": [{"sourceElementId": "Activity_ReserveStock", "targetElementId": "Activity_ReserveStock"}], "targetProcessDefinitionKey": "2251799813686812"}}))));
    // POST /process-instances/modification
    call!(run, v2, modify_process_instances_batch_operation
        .body(body::<types::ProcessInstanceModificationBatchOperationRequest>(json!({"filter": {"processDefinitionId": "order-process", "hasIncident": true}, "moveInstructions": [{"sourceElementId": "Activity_ReserveStock", "targetElementId": "Activity_ShipOrder"}]}))));
    // POST /process-instances/resumption
    call!(
        run,
        v2,
        resume_process_instances_batch_operation.body(body::<
            types::ProcessInstanceResumptionBatchOperationRequest,
        >(
            json!({"filter": {"processDefinitionId": "order-process"}})
        ))
    );
    // POST /process-instances/search
    call!(run, v2, search_process_instances
        .body(body::<types::ProcessInstanceSearchQuery>(json!({"filter": {"processDefinitionId": "order-process", "processInstanceKey": "2251799813690746"}, "sort": [{"field": "processInstanceKey", "order": "DESC"}], "page": {"limit": 20}}))));
    // POST /process-instances/suspension
    call!(
        run,
        v2,
        suspend_process_instances_batch_operation.body(body::<
            types::ProcessInstanceSuspensionBatchOperationRequest,
        >(
            json!({"filter": {"processDefinitionId": "order-process", "state": "ACTIVE"}})
        ))
    );
    // GET /process-instances/{processInstanceKey}
    call!(
        run,
        v2,
        get_process_instance.process_instance_key(PROCESS_INSTANCE_KEY)
    );
    // POST /process-instances/{processInstanceKey}/business-id-assignment
    call!(
        run,
        v2,
        assign_process_instance_business_id
            .process_instance_key(PROCESS_INSTANCE_KEY)
            .body(
                body::<types::ProcessInstanceBusinessIdAssignmentInstruction>(
                    json!({"businessId": "ORDER-2026-00417"})
                )
            )
    );
    // GET /process-instances/{processInstanceKey}/call-hierarchy
    call!(
        run,
        v2,
        get_process_instance_call_hierarchy.process_instance_key(PROCESS_INSTANCE_KEY)
    );
    // POST /process-instances/{processInstanceKey}/cancellation
    call!(
        run,
        v2,
        cancel_process_instance
            .process_instance_key(PROCESS_INSTANCE_KEY)
            .body(body::<types::CancelProcessInstanceRequest>(json!({})))
    );
    // POST /process-instances/{processInstanceKey}/deletion
    call!(
        run,
        v2,
        delete_process_instance
            .process_instance_key(PROCESS_INSTANCE_KEY)
            .body(body::<types::DeleteProcessInstanceRequest>(json!({})))
    );
    // POST /process-instances/{processInstanceKey}/incident-resolution
    call!(
        run,
        v2,
        resolve_process_instance_incidents.process_instance_key(PROCESS_INSTANCE_KEY)
    );
    // POST /process-instances/{processInstanceKey}/incidents/search
    call!(run, v2, search_process_instance_incidents
        .process_instance_key(PROCESS_INSTANCE_KEY)
        .body(body::<types::IncidentSearchQuery>(json!({"filter": {"processDefinitionId": "order-process", "processInstanceKey": "2251799813690746"}, "sort": [{"field": "incidentKey", "order": "DESC"}], "page": {"limit": 20}}))));
    // POST /process-instances/{processInstanceKey}/migration
    call!(run, v2, migrate_process_instance
        .process_instance_key(PROCESS_INSTANCE_KEY)
        .body(body::<types::ProcessInstanceMigrationInstruction>(json!({"mappingInstructions": [{"sourceElementId": "Activity_ReserveStock", "targetElementId": "Activity_ReserveStock"}], "targetProcessDefinitionKey": "2251799813686749"}))));
    // POST /process-instances/{processInstanceKey}/modification
    call!(run, v2, modify_process_instance
        .process_instance_key(PROCESS_INSTANCE_KEY)
        .body(body::<types::ProcessInstanceModificationInstruction>(json!({"activateInstructions": [{"elementId": "Activity_ShipOrder"}], "terminateInstructions": [{"elementInstanceKey": "2251799813690752"}]}))));
    // POST /process-instances/{processInstanceKey}/resumption
    call!(
        run,
        v2,
        resume_process_instance
            .process_instance_key(PROCESS_INSTANCE_KEY)
            .body(body::<types::ResumeProcessInstanceRequest>(json!({})))
    );
    // GET /process-instances/{processInstanceKey}/sequence-flows
    call!(
        run,
        v2,
        get_process_instance_sequence_flows.process_instance_key(PROCESS_INSTANCE_KEY)
    );
    // GET /process-instances/{processInstanceKey}/statistics/element-instances
    call!(
        run,
        v2,
        get_process_instance_element_statistics.process_instance_key(PROCESS_INSTANCE_KEY)
    );
    // GET /process-instances/{processInstanceKey}/statistics/wait-states
    call!(
        run,
        v2,
        get_process_instance_wait_state_statistics.process_instance_key(PROCESS_INSTANCE_KEY)
    );
    // POST /process-instances/{processInstanceKey}/suspension
    call!(
        run,
        v2,
        suspend_process_instance
            .process_instance_key(PROCESS_INSTANCE_KEY)
            .body(body::<types::SuspendProcessInstanceRequest>(json!({})))
    );
    // POST /resources/search
    call!(run, v2, search_resources
        .body(body::<types::ResourceSearchQuery>(json!({"filter": {"tenantId": "<default>"}, "sort": [{"field": "resourceKey", "order": "DESC"}], "page": {"limit": 20}}))));
    // GET /resources/{resourceKey}
    call!(run, v2, get_resource.resource_key(RESOURCE_KEY));
    // GET /resources/{resourceKey}/content
    call!(
        run,
        v2,
        get_resource_content_json.resource_key(RESOURCE_KEY)
    );
    // GET /resources/{resourceKey}/content/binary
    let raw = call!(
        run,
        v2,
        get_resource_content_binary.resource_key(RESOURCE_KEY)
    );
    read_raw(&mut run, "get_resource_content_binary", raw).await;
    // POST /resources/{resourceKey}/deletion
    call!(
        run,
        v2,
        delete_resource
            .resource_key(RESOURCE_KEY)
            .body(body::<types::DeleteResourceRequest>(json!({})))
    );
    // GET /restore
    call!(run, v2, get_restore_status);
    // POST /restore
    call!(
        run,
        v2,
        restore.dry_run(true).body(body::<types::RestoreRequest>(
            json!({"backupIds": [20_261_130_021_500_i64]})
        ))
    );
    // POST /roles
    call!(
        run,
        v2,
        create_role.body(body::<types::RoleCreateRequest>(
            json!({"name": "Order approver", "roleId": "order-approver"})
        ))
    );
    // POST /roles/search
    call!(run, v2, search_roles
        .body(body::<types::RoleSearchQueryRequest>(json!({"filter": {"name": "Order approver"}, "sort": [{"field": "name", "order": "DESC"}], "page": {"limit": 20}}))));
    // DELETE /roles/{roleId}
    call!(run, v2, delete_role.role_id(ROLE_ID));
    // GET /roles/{roleId}
    call!(run, v2, get_role.role_id(ROLE_ID));
    // PUT /roles/{roleId}
    call!(
        run,
        v2,
        update_role
            .role_id(ROLE_ID)
            .body(body::<types::RoleUpdateRequest>(
                json!({"name": "Order approver"})
            ))
    );
    // POST /roles/{roleId}/clients/search
    call!(
        run,
        v2,
        search_clients_for_role
            .role_id(ROLE_ID)
            .body(body::<types::RoleClientSearchQueryRequest>(
                json!({"sort": [{"field": "clientId", "order": "DESC"}], "page": {"limit": 20}})
            ))
    );
    // DELETE /roles/{roleId}/clients/{clientId}
    call!(
        run,
        v2,
        unassign_role_from_client
            .role_id(ROLE_ID)
            .client_id(CLIENT_ID)
    );
    // PUT /roles/{roleId}/clients/{clientId}
    call!(
        run,
        v2,
        assign_role_to_client.role_id(ROLE_ID).client_id(CLIENT_ID)
    );
    // POST /roles/{roleId}/groups/search
    call!(
        run,
        v2,
        search_groups_for_role
            .role_id(ROLE_ID)
            .body(body::<types::RoleGroupSearchQueryRequest>(
                json!({"sort": [{"field": "groupId", "order": "DESC"}], "page": {"limit": 20}})
            ))
    );
    // DELETE /roles/{roleId}/groups/{groupId}
    call!(
        run,
        v2,
        unassign_role_from_group.role_id(ROLE_ID).group_id(GROUP_ID)
    );
    // PUT /roles/{roleId}/groups/{groupId}
    call!(
        run,
        v2,
        assign_role_to_group.role_id(ROLE_ID).group_id(GROUP_ID)
    );
    // POST /roles/{roleId}/mapping-rules/search
    call!(run, v2, search_mapping_rules_for_role
        .role_id(ROLE_ID)
        .body(body::<types::MappingRuleSearchQueryRequest>(json!({"filter": {"name": "Order approver"}, "sort": [{"field": "mappingRuleId", "order": "DESC"}], "page": {"limit": 20}}))));
    // DELETE /roles/{roleId}/mapping-rules/{mappingRuleId}
    call!(
        run,
        v2,
        unassign_role_from_mapping_rule
            .role_id(ROLE_ID)
            .mapping_rule_id(MAPPING_RULE_ID)
    );
    // PUT /roles/{roleId}/mapping-rules/{mappingRuleId}
    call!(
        run,
        v2,
        assign_role_to_mapping_rule
            .role_id(ROLE_ID)
            .mapping_rule_id(MAPPING_RULE_ID)
    );
    // POST /roles/{roleId}/users/search
    call!(
        run,
        v2,
        search_users_for_role
            .role_id(ROLE_ID)
            .body(body::<types::RoleUserSearchQueryRequest>(
                json!({"sort": [{"field": "username", "order": "DESC"}], "page": {"limit": 20}})
            ))
    );
    // DELETE /roles/{roleId}/users/{username}
    call!(
        run,
        v2,
        unassign_role_from_user.role_id(ROLE_ID).username(USERNAME)
    );
    // PUT /roles/{roleId}/users/{username}
    call!(
        run,
        v2,
        assign_role_to_user.role_id(ROLE_ID).username(USERNAME)
    );
    // POST /secrets/list
    call!(
        run,
        v2,
        list_secrets.body(body::<types::SecretListRequest>(json!({})))
    );
    // POST /secrets/resolve
    call!(
        run,
        v2,
        resolve_secrets.body(body::<types::SecretResolveRequest>(
            json!({"references": ["references"]})
        ))
    );
    // POST /setup/user
    call!(
        run,
        v2,
        create_admin_user.body(body::<types::UserRequest>(
            json!({"password": "S3cure-Passw0rd!", "username": "jane.doe"})
        ))
    );
    // POST /signals/broadcast
    call!(run, v2, broadcast_signal
        .body(body::<types::SignalBroadcastRequest>(json!({"signalName": "order-cancelled", "tenantId": "<default>", "variables": {"reason": "customer request"}}))));
    // GET /status
    call!(run, v2, get_status);
    // GET /system/configuration
    call!(run, v2, get_system_configuration);
    // GET /system/usage-metrics
    call!(
        run,
        v2,
        get_usage_metrics
            .start_time(date("2026-11-01T00:00:00Z"))
            .end_time(date("2026-11-30T00:00:00Z"))
            .tenant_id(TENANT_ID)
            .with_tenants(true)
    );
    // POST /tenants
    call!(
        run,
        v2,
        create_tenant.body(body::<types::TenantCreateRequest>(
            json!({"name": "EMEA retail", "tenantId": "emea-retail"})
        ))
    );
    // POST /tenants/search
    call!(run, v2, search_tenants
        .body(body::<types::TenantSearchQueryRequest>(json!({"filter": {"tenantId": "emea-retail", "name": "EMEA retail"}, "sort": [{"field": "key", "order": "DESC"}], "page": {"limit": 20}}))));
    // DELETE /tenants/{tenantId}
    call!(run, v2, delete_tenant.tenant_id(MANAGED_TENANT));
    // GET /tenants/{tenantId}
    call!(run, v2, get_tenant.tenant_id(MANAGED_TENANT));
    // PUT /tenants/{tenantId}
    call!(
        run,
        v2,
        update_tenant
            .tenant_id(MANAGED_TENANT)
            .body(body::<types::TenantUpdateRequest>(
                json!({"name": "EMEA retail"})
            ))
    );
    // POST /tenants/{tenantId}/clients/search
    call!(
        run,
        v2,
        search_clients_for_tenant
            .tenant_id(MANAGED_TENANT)
            .body(body::<types::TenantClientSearchQueryRequest>(
                json!({"sort": [{"field": "clientId", "order": "DESC"}], "page": {"limit": 20}})
            ))
    );
    // DELETE /tenants/{tenantId}/clients/{clientId}
    call!(
        run,
        v2,
        unassign_client_from_tenant
            .tenant_id(MANAGED_TENANT)
            .client_id(CLIENT_ID)
    );
    // PUT /tenants/{tenantId}/clients/{clientId}
    call!(
        run,
        v2,
        assign_client_to_tenant
            .tenant_id(MANAGED_TENANT)
            .client_id(CLIENT_ID)
    );
    // POST /tenants/{tenantId}/groups/search
    call!(
        run,
        v2,
        search_group_ids_for_tenant
            .tenant_id(MANAGED_TENANT)
            .body(body::<types::TenantGroupSearchQueryRequest>(
                json!({"sort": [{"field": "groupId", "order": "DESC"}], "page": {"limit": 20}})
            ))
    );
    // DELETE /tenants/{tenantId}/groups/{groupId}
    call!(
        run,
        v2,
        unassign_group_from_tenant
            .tenant_id(MANAGED_TENANT)
            .group_id(GROUP_ID)
    );
    // PUT /tenants/{tenantId}/groups/{groupId}
    call!(
        run,
        v2,
        assign_group_to_tenant
            .tenant_id(MANAGED_TENANT)
            .group_id(GROUP_ID)
    );
    // POST /tenants/{tenantId}/mapping-rules/search
    call!(run, v2, search_mapping_rules_for_tenant
        .tenant_id(MANAGED_TENANT)
        .body(body::<types::MappingRuleSearchQueryRequest>(json!({"filter": {"name": "EMEA retail"}, "sort": [{"field": "mappingRuleId", "order": "DESC"}], "page": {"limit": 20}}))));
    // DELETE /tenants/{tenantId}/mapping-rules/{mappingRuleId}
    call!(
        run,
        v2,
        unassign_mapping_rule_from_tenant
            .tenant_id(MANAGED_TENANT)
            .mapping_rule_id(MAPPING_RULE_ID)
    );
    // PUT /tenants/{tenantId}/mapping-rules/{mappingRuleId}
    call!(
        run,
        v2,
        assign_mapping_rule_to_tenant
            .tenant_id(MANAGED_TENANT)
            .mapping_rule_id(MAPPING_RULE_ID)
    );
    // POST /tenants/{tenantId}/roles/search
    call!(run, v2, search_roles_for_tenant
        .tenant_id(MANAGED_TENANT)
        .body(body::<types::RoleSearchQueryRequest>(json!({"filter": {"name": "EMEA retail"}, "sort": [{"field": "name", "order": "DESC"}], "page": {"limit": 20}}))));
    // DELETE /tenants/{tenantId}/roles/{roleId}
    call!(
        run,
        v2,
        unassign_role_from_tenant
            .tenant_id(MANAGED_TENANT)
            .role_id(ROLE_ID)
    );
    // PUT /tenants/{tenantId}/roles/{roleId}
    call!(
        run,
        v2,
        assign_role_to_tenant
            .tenant_id(MANAGED_TENANT)
            .role_id(ROLE_ID)
    );
    // POST /tenants/{tenantId}/users/search
    call!(
        run,
        v2,
        search_users_for_tenant
            .tenant_id(MANAGED_TENANT)
            .body(body::<types::TenantUserSearchQueryRequest>(
                json!({"sort": [{"field": "username", "order": "DESC"}], "page": {"limit": 20}})
            ))
    );
    // DELETE /tenants/{tenantId}/users/{username}
    call!(
        run,
        v2,
        unassign_user_from_tenant
            .tenant_id(MANAGED_TENANT)
            .username(USERNAME)
    );
    // PUT /tenants/{tenantId}/users/{username}
    call!(
        run,
        v2,
        assign_user_to_tenant
            .tenant_id(MANAGED_TENANT)
            .username(USERNAME)
    );
    // GET /topology
    call!(run, v2, get_topology);
    // POST /user-tasks/search
    call!(run, v2, search_user_tasks
        .body(body::<types::UserTaskSearchQuery>(json!({"filter": {"processDefinitionId": "order-process", "processInstanceKey": "2251799813690746"}, "sort": [{"field": "creationDate", "order": "DESC"}], "page": {"limit": 20}}))));
    // GET /user-tasks/{userTaskKey}
    call!(run, v2, get_user_task.user_task_key(USER_TASK_KEY));
    // PATCH /user-tasks/{userTaskKey}
    call!(run, v2, update_user_task
        .user_task_key(USER_TASK_KEY)
        .body(body::<types::UserTaskUpdateRequest>(json!({"changeset": {"dueDate": "2026-12-20T17:00:00Z", "candidateGroups": ["accounting"], "priority": 75}, "action": "escalate"}))));
    // DELETE /user-tasks/{userTaskKey}/assignee
    call!(run, v2, unassign_user_task.user_task_key(USER_TASK_KEY));
    // POST /user-tasks/{userTaskKey}/assignment
    call!(
        run,
        v2,
        assign_user_task.user_task_key(USER_TASK_KEY).body(
            body::<types::UserTaskAssignmentRequest>(
                json!({"assignee": "jane.doe", "allowOverride": false, "action": "assign"})
            )
        )
    );
    // POST /user-tasks/{userTaskKey}/audit-logs/search
    call!(run, v2, search_user_task_audit_logs
        .user_task_key(USER_TASK_KEY)
        .body(body::<types::UserTaskAuditLogSearchQueryRequest>(json!({"filter": {"actorId": "jane.doe"}, "sort": [{"field": "actorId", "order": "DESC"}], "page": {"limit": 20}}))));
    // POST /user-tasks/{userTaskKey}/completion
    call!(run, v2, complete_user_task
        .user_task_key(USER_TASK_KEY)
        .body(body::<types::UserTaskCompletionRequest>(json!({"variables": {"invoiceApproved": true, "approvedAmount": 1249.5}, "action": "complete"}))));
    // POST /user-tasks/{userTaskKey}/effective-variables/search
    call!(run, v2, search_user_task_effective_variables
        .user_task_key(USER_TASK_KEY)
        .truncate_values(false)
        .body(body::<types::UserTaskEffectiveVariableSearchQueryRequest>(json!({"filter": {"name": "orderId"}, "sort": [{"field": "value", "order": "DESC"}], "page": {"limit": 20}}))));
    // GET /user-tasks/{userTaskKey}/form
    call!(run, v2, get_user_task_form.user_task_key(USER_TASK_KEY));
    // POST /user-tasks/{userTaskKey}/variables/search
    call!(run, v2, search_user_task_variables
        .user_task_key(USER_TASK_KEY)
        .truncate_values(false)
        .body(body::<types::UserTaskVariableSearchQueryRequest>(json!({"filter": {"name": "orderId"}, "sort": [{"field": "value", "order": "DESC"}], "page": {"limit": 20}}))));
    // POST /users
    call!(run, v2, create_user
        .body(body::<types::UserRequest>(json!({"username": "jane.doe", "password": "S3cure-Passw0rd!", "name": "Jane Doe", "email": "jane.doe@example.com"}))));
    // POST /users/search
    call!(run, v2, search_users
        .body(body::<types::UserSearchQueryRequest>(json!({"filter": {"username": "jane.doe", "name": "Jane Doe"}, "sort": [{"field": "username", "order": "DESC"}], "page": {"limit": 20}}))));
    // DELETE /users/{username}
    call!(run, v2, delete_user.username(USERNAME));
    // GET /users/{username}
    call!(run, v2, get_user.username(USERNAME));
    // PUT /users/{username}
    call!(
        run,
        v2,
        update_user
            .username(USERNAME)
            .body(body::<types::UserUpdateRequest>(
                json!({"name": "Jane Doe", "email": "jane.doe@example.com"})
            ))
    );
    // POST /variables/search
    call!(run, v2, search_variables
        .truncate_values(false)
        .body(body::<types::VariableSearchQuery>(json!({"filter": {"processInstanceKey": "2251799813690746", "tenantId": "<default>"}, "sort": [{"field": "value", "order": "DESC"}], "page": {"limit": 20}}))));
    // GET /variables/{variableKey}
    call!(run, v2, get_variable.variable_key(VARIABLE_KEY));

    run.finish(OPERATIONS);
}

// ---------------------------------------------------------------------------
// The checks above can fail
// ---------------------------------------------------------------------------

/// On the same Prism: a request breaking the spec is reported with the
/// operation, the status and Prism's `sl-violations`, and a request without
/// a credential is rejected.
async fn rejected_requests_are_reported(prism: &Prism) {
    let v2 = Client::new_with_client(prism.base_url(), http(), bearer());
    let mut run = Run::new("orchestration").in_mode("examples");
    // Enums are forward compatible, so the client sends a state it does not
    // know; the spec's enum does not have it.
    let accepted = call!(
        run,
        v2,
        search_process_instances.body(body::<types::ProcessInstanceSearchQuery>(json!({
            "filter": {"processDefinitionId": "order-process", "state": "PAUSED"},
            "page": {"limit": 20}
        })))
    );
    assert!(
        accepted.is_none(),
        "Prism accepted a request breaking the spec"
    );
    assert_eq!(run.failures().len(), 1);
    let failure = &run.failures()[0];
    println!("reported as expected:\n{failure}");
    assert!(
        failure
            .starts_with("orchestration::search_process_instances: documented error response 400"),
        "{failure}"
    );
    assert!(
        failure.contains("sl-violations: [") && failure.contains("state"),
        "the violation names the field: {failure}"
    );

    let anonymous = Client::new_with_client(prism.base_url(), http(), Inner::unauthenticated());
    let mut run = Run::new("orchestration").in_mode("examples");
    call!(
        run,
        anonymous,
        get_process_instance.process_instance_key(PROCESS_INSTANCE_KEY)
    );
    assert_eq!(run.failures().len(), 1);
    println!("reported as expected:\n{}", run.failures()[0]);
    assert!(
        run.failures()[0].contains(" 401 Unauthorized"),
        "{}",
        run.failures()[0]
    );
}

/// A contract operation without a call here fails the coverage check.
#[test]
#[should_panic(expected = "never called: [\"unassign_user_task\"]")]
fn an_operation_without_a_call_fails_the_coverage_check() {
    let mut run = Run::new("orchestration").in_mode("examples");
    for (_, _, name) in operation_names::method_names(&contract("orchestration")) {
        if name != "unassign_user_task" {
            run.called(&renames::renamed("orchestration", &name));
        }
    }
    run.finish(OPERATIONS);
}

/// A call of a method that is not an operation of the contract fails too.
#[test]
#[should_panic(expected = "not in the contract: [\"start_process\"]")]
fn a_call_outside_the_contract_fails_the_coverage_check() {
    let mut run = Run::new("orchestration").in_mode("examples");
    for (_, _, name) in operation_names::method_names(&contract("orchestration")) {
        run.called(&renames::renamed("orchestration", &name));
    }
    run.called("start_process");
    run.finish(OPERATIONS);
}

// ---------------------------------------------------------------------------
// Multipart requests, part by part, against an in-process server
// ---------------------------------------------------------------------------

/// One part of a `multipart/form-data` body as a server sees it.
#[derive(Debug)]
struct ParsedPart {
    name: String,
    file_name: Option<String>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl ParsedPart {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Parses a multipart body the way a server does (RFC 7578): split at the
/// boundary named by the content type, each part's headers up to the empty
/// line, `name` and `filename` from `Content-Disposition`. Panics on
/// anything malformed.
fn parse_multipart(content_type: &str, body: &[u8]) -> Vec<ParsedPart> {
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not a multipart content type: {content_type}"));
    let delimiter = format!("--{boundary}");
    let mut rest = body
        .strip_prefix(delimiter.as_bytes())
        .expect("the body starts with the boundary");
    let mut parts = Vec::new();
    loop {
        if rest.starts_with(b"--") {
            assert_eq!(&rest[2..], b"\r\n", "nothing after the closing boundary");
            return parts;
        }
        rest = rest.strip_prefix(b"\r\n").expect("CRLF after a boundary");
        let head_end = find(rest, b"\r\n\r\n").expect("part headers end");
        let head = std::str::from_utf8(&rest[..head_end]).expect("headers are UTF-8");
        let after_head = &rest[head_end + 4..];
        let next = find(after_head, format!("\r\n{delimiter}").as_bytes()).expect("next boundary");
        let part_body = after_head[..next].to_vec();
        rest = &after_head[next + 2 + delimiter.len()..];

        let headers: Vec<(String, String)> = head
            .split("\r\n")
            .map(|line| {
                let (n, v) = line.split_once(':').expect("header line");
                (n.trim().to_string(), v.trim().to_string())
            })
            .collect();
        let disposition = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-disposition"))
            .map(|(_, v)| v.clone())
            .expect("Content-Disposition");
        let param = |key: &str| {
            disposition.split(';').map(str::trim).find_map(|p| {
                p.strip_prefix(&format!("{key}=\""))
                    .and_then(|v| v.strip_suffix('"'))
                    .map(str::to_string)
            })
        };
        assert!(disposition.starts_with("form-data"), "{disposition}");
        parts.push(ParsedPart {
            name: param("name").expect("part name"),
            file_name: param("filename"),
            headers,
            body: part_body,
        });
    }
}

/// The one request the server received, with its parsed parts.
async fn only_request(server: &wiremock::MockServer) -> (wiremock::Request, Vec<ParsedPart>) {
    let requests = server.received_requests().await.expect("recording on");
    assert_eq!(requests.len(), 1, "one request: {requests:?}");
    let request = requests.into_iter().next().expect("one request");
    let content_type = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .expect("content type")
        .to_string();
    assert_eq!(
        request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok()),
        Some(format!("Bearer {TOKEN}").as_str()),
        "the credential goes through the client's hooks"
    );
    let parts = parse_multipart(&content_type, &request.body);
    (request, parts)
}

fn deployment_result() -> Value {
    json!({
        "deploymentKey": "2251799813686748",
        "tenantId": "<default>",
        "deployments": [{
            "processDefinition": {
                "processDefinitionId": "order-process",
                "processDefinitionKey": "2251799813686749",
                "processDefinitionVersion": 1,
                "resourceName": "order-process.bpmn",
                "tenantId": "<default>"
            },
            "decisionDefinition": null,
            "decisionRequirements": null,
            "form": null,
            "resource": null
        }]
    })
}

fn document_reference(id: &str, file_name: &str) -> Value {
    json!({
        "camunda.document.type": "camunda",
        "storeId": "in-memory",
        "documentId": id,
        "contentHash": "8d969eef6ecad3c29a3a629280e686cf0c3f5d5a86aff3ca12020c923adc6c92",
        "metadata": {
            "contentType": "application/pdf",
            "fileName": file_name,
            "expiresAt": "2026-12-31T23:59:59Z",
            "size": 94,
            "processDefinitionId": "order-process",
            "processInstanceKey": null,
            "customProperties": {}
        }
    })
}

#[tokio::test]
async fn create_deployment_sends_every_resource_and_the_tenant() {
    use wiremock::matchers::{method, path};
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(method("POST"))
        .and(path("/v2/deployments"))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(deployment_result()))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().expect("temp dir");
    let form_path = dir.path().join("invoice-approval.form");
    let form = br#"{"id":"invoice-approval-form","type":"default","components":[{"key":"approved","type":"checkbox","label":"Approve"}]}"#;
    std::fs::write(&form_path, form).expect("write form");

    let v2 = Client::new_with_client(&format!("{}/v2", server.uri()), http(), bearer());
    let deployment = v2
        .create_deployment()
        .resource("order-process.bpmn", ORDER_BPMN)
        .resource(
            "invoice-classification.dmn",
            INVOICE_DMN.as_bytes().to_vec(),
        )
        .resource_path(&form_path)
        .tenant_id("emea-retail".parse().expect("tenant"))
        .send()
        .await
        .expect("deployment")
        .into_inner();
    assert_eq!(deployment.deployment_key.as_str(), "2251799813686748");

    let (request, parts) = only_request(&server).await;
    let summary: Vec<_> = parts
        .iter()
        .map(|p| (p.name.as_str(), p.file_name.as_deref()))
        .collect();
    assert_eq!(
        summary,
        [
            ("resources", Some("order-process.bpmn")),
            ("resources", Some("invoice-classification.dmn")),
            ("resources", Some("invoice-approval.form")),
            ("tenantId", None),
        ]
    );
    assert_eq!(parts[0].body, ORDER_BPMN.as_bytes());
    assert_eq!(parts[1].body, INVOICE_DMN.as_bytes());
    assert_eq!(parts[2].body, form);
    assert_eq!(parts[3].body, b"emea-retail");
    assert_eq!(
        request.headers.get("accept").and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
}

#[tokio::test]
async fn create_document_sends_file_metadata_store_and_id() {
    use wiremock::matchers::{method, path, query_param};
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(method("POST"))
        .and(path("/v2/documents"))
        .and(query_param("storeId", "in-memory"))
        .and(query_param("documentId", DOCUMENT_ID))
        .respond_with(
            wiremock::ResponseTemplate::new(201)
                .set_body_json(document_reference(DOCUMENT_ID, "invoice-2026-00417.pdf")),
        )
        .mount(&server)
        .await;
    let metadata = json!({
        "contentType": "application/pdf",
        "fileName": "invoice-2026-00417.pdf",
        "expiresAt": "2026-12-31T23:59:59Z",
        "processDefinitionId": "order-process",
        "processInstanceKey": PROCESS_INSTANCE_KEY,
        "customProperties": {"orderId": "ORD-2026-00417"}
    });

    let v2 = Client::new_with_client(&format!("{}/v2", server.uri()), http(), bearer());
    let reference = v2
        .create_document()
        .file("invoice-2026-00417.pdf", INVOICE_PDF)
        .metadata(body::<types::DocumentMetadata>(metadata.clone()))
        .store_id("in-memory")
        .document_id(DOCUMENT_ID.parse().expect("document id"))
        .send()
        .await
        .expect("document")
        .into_inner();
    assert_eq!(reference.document_id.as_str(), DOCUMENT_ID);

    let (_, parts) = only_request(&server).await;
    assert_eq!(parts.len(), 2, "{parts:?}");
    assert_eq!(parts[0].name, "file");
    assert_eq!(
        parts[0].file_name.as_deref(),
        Some("invoice-2026-00417.pdf")
    );
    assert_eq!(parts[0].body, INVOICE_PDF);
    assert_eq!(parts[0].header("content-type"), Some("application/pdf"));
    assert_eq!(parts[1].name, "metadata");
    assert_eq!(parts[1].file_name, None);
    assert_eq!(parts[1].header("content-type"), Some("application/json"));
    let sent: Value = serde_json::from_slice(&parts[1].body).expect("metadata is JSON");
    assert_eq!(sent, metadata);
}

/// Each file part with its content type (from the metadata, given, or
/// inferred from the file name), and all the metadata in one JSON part,
/// `metadataList`, aligned with the files, as the contract asks (not the
/// deprecated `X-Document-Metadata` part header).
#[tokio::test]
async fn create_documents_sends_each_file_with_its_type_and_a_metadata_list() {
    use wiremock::matchers::{method, path, query_param};
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(method("POST"))
        .and(path("/v2/documents/batch"))
        .and(query_param("storeId", "in-memory"))
        .respond_with(wiremock::ResponseTemplate::new(207).set_body_json(json!({
            "createdDocuments": [document_reference(DOCUMENT_ID, "invoice-2026-00417.pdf")],
            "failedDocuments": [{
                "fileName": "delivery-note-2026-00417.txt",
                "status": 413,
                "title": "PAYLOAD_TOO_LARGE",
                "detail": "The document exceeds the store's limit"
            }]
        })))
        .mount(&server)
        .await;
    let invoice_metadata = json!({
        "contentType": "application/pdf",
        "fileName": "invoice-2026-00417.pdf",
        "customProperties": {"orderId": "ORD-2026-00417"}
    });
    let note = b"Delivered 2026-11-28 to Dock 4, signed by R. Keller".to_vec();
    let note_metadata = json!({
        "fileName": "delivery-note-2026-00417.txt",
        "expiresAt": "2027-11-30T00:00:00Z",
        "customProperties": {"dock": 4}
    });
    let photo = b"\x89PNG\r\n\x1a\n proof of delivery".to_vec();
    let scan = b"II*\x00 signed delivery note".to_vec();

    let v2 = Client::new_with_client(&format!("{}/v2", server.uri()), http(), bearer());
    let batch = v2
        .create_documents()
        .file(
            "invoice-2026-00417.bin",
            INVOICE_PDF,
            Some(body::<types::DocumentMetadata>(invoice_metadata.clone())),
        )
        .file(
            "delivery-note-2026-00417.txt",
            note.clone(),
            Some(body::<types::DocumentMetadata>(note_metadata.clone())),
        )
        .file("proof-of-delivery.PNG", photo.clone(), None)
        .file_with_content_type("signed-note", "image/tiff", scan.clone(), None)
        .store_id("in-memory")
        .send()
        .await
        .expect("a 207 is a success answer")
        .into_inner();
    assert_eq!(batch.created_documents.len(), 1);
    assert_eq!(batch.failed_documents.len(), 1);

    let (_, parts) = only_request(&server).await;
    let summary: Vec<_> = parts
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.file_name.as_deref(),
                p.header("content-type"),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            // The metadata's type wins over the name's extension.
            (
                "files",
                Some("invoice-2026-00417.bin"),
                Some("application/pdf")
            ),
            (
                "files",
                Some("delivery-note-2026-00417.txt"),
                Some("text/plain")
            ),
            ("files", Some("proof-of-delivery.PNG"), Some("image/png")),
            ("files", Some("signed-note"), Some("image/tiff")),
            ("metadataList", None, Some("application/json")),
        ]
    );
    assert_eq!(parts[0].body, INVOICE_PDF);
    assert_eq!(parts[1].body, note);
    assert_eq!(parts[2].body, photo);
    assert_eq!(parts[3].body, scan);
    let list: Value = serde_json::from_slice(&parts[4].body).expect("metadataList is JSON");
    assert_eq!(list, json!([invoice_metadata, note_metadata, {}, {}]));
    for part in &parts {
        assert_eq!(
            part.header("x-document-metadata"),
            None,
            "deprecated header"
        );
    }
}

#[tokio::test]
async fn a_batch_without_metadata_sends_no_metadata_list() {
    use wiremock::matchers::{method, path};
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(method("POST"))
        .and(path("/v2/documents/batch"))
        .respond_with(wiremock::ResponseTemplate::new(201).set_body_json(json!({
            "createdDocuments": [document_reference(DOCUMENT_ID, "notes.txt")],
            "failedDocuments": []
        })))
        .mount(&server)
        .await;
    let v2 = Client::new_with_client(&format!("{}/v2", server.uri()), http(), bearer());
    v2.create_documents()
        .file("notes.txt", &b"first shift"[..], None)
        .send()
        .await
        .expect("stored");
    let (_, parts) = only_request(&server).await;
    assert_eq!(parts.len(), 1, "{parts:?}");
    assert_eq!(parts[0].name, "files");
    assert_eq!(parts[0].header("content-type"), Some("text/plain"));
}

/// Without metadata, the file part's type is the one given, or else the
/// one inferred from the file name; a type that is not a media type (one
/// that would break the part's header) is refused before anything is sent.
#[tokio::test]
async fn create_document_sends_a_content_type_given_or_inferred() {
    use wiremock::matchers::{method, path};
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(method("POST"))
        .and(path("/v2/documents"))
        .respond_with(
            wiremock::ResponseTemplate::new(201)
                .set_body_json(document_reference(DOCUMENT_ID, "notes.txt")),
        )
        .mount(&server)
        .await;
    let v2 = Client::new_with_client(&format!("{}/v2", server.uri()), http(), bearer());
    let cases = [
        ("notes.txt", None, "text/plain"),
        ("order.bpmn", None, "application/xml"),
        ("scan.JPG", None, "image/jpeg"),
        ("payload.bin", None, "application/octet-stream"),
        ("no-extension", None, "application/octet-stream"),
        (
            "notes.txt",
            Some("text/markdown; charset=utf-8"),
            "text/markdown; charset=utf-8",
        ),
    ];
    for (file_name, given, _) in cases {
        let mut request = v2.create_document().file(file_name, &b"content"[..]);
        if let Some(given) = given {
            request = request.content_type(given);
        }
        request.send().await.expect("stored");
    }
    let received = server.received_requests().await.expect("recording on");
    assert_eq!(received.len(), cases.len());
    for (request, (file_name, _, expected)) in received.iter().zip(cases) {
        let content_type = request
            .headers
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap();
        let parts = parse_multipart(content_type, &request.body);
        assert_eq!(parts.len(), 1, "{file_name}");
        assert_eq!(parts[0].name, "file");
        assert_eq!(parts[0].file_name.as_deref(), Some(file_name));
        assert_eq!(
            parts[0].header("content-type"),
            Some(expected),
            "{file_name}"
        );
    }

    let error = v2
        .create_document()
        .file("notes.txt", &b"content"[..])
        .content_type("text/plain\r\nX-Injected: yes")
        .send()
        .await
        .expect_err("not a media type");
    assert!(
        matches!(&error, camunda8::ApiError::InvalidRequest { message } if message.contains("content type")),
        "{error}"
    );
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        cases.len(),
        "nothing sent"
    );
}

#[tokio::test]
async fn a_body_over_the_limit_fails_before_anything_is_sent() {
    let server = wiremock::MockServer::start().await;
    let v2 = Client::new_with_client(&format!("{}/v2", server.uri()), http(), bearer());
    let big = vec![b'x'; 64 * 1024];

    let error = v2
        .create_deployment()
        .resource("order-process.bpmn", ORDER_BPMN)
        .resource("large-attachment.bpmn", big.clone())
        .max_body_bytes(32 * 1024)
        .send()
        .await
        .expect_err("over the limit");
    let ApiError::InvalidRequest { message } = error else {
        panic!("expected InvalidRequest, got {error:?}")
    };
    assert!(
        message.contains("exceeds the limit of 32768 bytes") && message.contains("max_body_bytes"),
        "{message}"
    );

    let error = v2
        .create_document()
        .file("scan.pdf", big.clone())
        .max_body_bytes(1024)
        .send()
        .await
        .expect_err("over the limit");
    assert!(
        matches!(&error, ApiError::InvalidRequest { message: m } if m.contains("exceeds the limit of 1024 bytes")),
        "{error:?}"
    );
    let error = v2
        .create_documents()
        .file("scan-1.pdf", big.clone(), None)
        .file("scan-2.pdf", big, None)
        .max_body_bytes(100 * 1024)
        .send()
        .await
        .expect_err("over the limit");
    assert!(
        matches!(&error, ApiError::InvalidRequest { message: m } if m.contains("exceeds the limit of 102400 bytes")),
        "{error:?}"
    );

    let requests = server.received_requests().await.expect("recording on");
    assert!(requests.is_empty(), "nothing is sent: {requests:?}");
}

// ---------------------------------------------------------------------------
// Keys returned by one call feed the next
// ---------------------------------------------------------------------------

/// Deploy, start, activate and complete the instance's job, then get,
/// search and cancel, with the keys the server returned: each key is passed on as the typed value the response holds
/// (no parsing, no `to_string`), and an in-process server checks that each
/// request carries exactly the key it minted. The keys are deliberately not
/// the ones used anywhere else in this file.
#[tokio::test]
async fn keys_returned_by_create_calls_feed_get_search_and_cancel() {
    use wiremock::matchers::{body_partial_json, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    const MINTED_DEFINITION: &str = "2251799813700011";
    const MINTED_INSTANCE: &str = "2251799813700027";
    const MINTED_JOB: &str = "2251799813700043";
    let server = MockServer::start().await;
    let mut deployment = deployment_result();
    deployment["deployments"][0]["processDefinition"]["processDefinitionKey"] =
        json!(MINTED_DEFINITION);
    let definition = json!({
        "name": "Order process",
        "resourceName": "order-process.bpmn",
        "version": 1,
        "versionTag": null,
        "processDefinitionId": "order-process",
        "tenantId": "<default>",
        "processDefinitionKey": MINTED_DEFINITION,
        "hasStartForm": false,
        "state": "ACTIVE"
    });
    let instance = json!({
        "processDefinitionId": "order-process",
        "processDefinitionName": "Order process",
        "processDefinitionVersion": 1,
        "processDefinitionVersionTag": null,
        "startDate": "2026-11-30T02:15:00Z",
        "endDate": null,
        "state": "ACTIVE",
        "suspendedDate": null,
        "hasIncident": false,
        "tenantId": "<default>",
        "processInstanceKey": MINTED_INSTANCE,
        "processDefinitionKey": MINTED_DEFINITION,
        "parentProcessInstanceKey": null,
        "parentElementInstanceKey": null,
        "rootProcessInstanceKey": MINTED_INSTANCE,
        "tags": [],
        "businessId": null
    });
    let mocks = [
        Mock::given(method("POST"))
            .and(path("/v2/deployments"))
            .respond_with(ResponseTemplate::new(200).set_body_json(deployment)),
        Mock::given(method("GET"))
            .and(path(format!("/v2/process-definitions/{MINTED_DEFINITION}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(definition)),
        Mock::given(method("POST"))
            .and(path("/v2/process-instances"))
            .and(body_partial_json(
                json!({"processDefinitionKey": MINTED_DEFINITION}),
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "processDefinitionId": "order-process",
                "processDefinitionVersion": 1,
                "tenantId": "<default>",
                "variables": {},
                "processDefinitionKey": MINTED_DEFINITION,
                "processInstanceKey": MINTED_INSTANCE,
                "tags": [],
                "businessId": null
            }))),
        Mock::given(method("POST"))
            .and(path("/v2/jobs/activation"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"jobs": [{
                "type": "payment-service",
                "processDefinitionId": "order-process",
                "processDefinitionVersion": 1,
                "elementId": "Activity_ReserveStock",
                "customHeaders": {},
                "worker": "order-worker-1",
                "retries": 3,
                "deadline": 1_764_469_200_000_i64,
                "variables": {"orderId": "ORD-2026-00417"},
                "tenantId": "<default>",
                "physicalTenantId": "default",
                "jobKey": MINTED_JOB,
                "jobLeaseToken": null,
                "processInstanceKey": MINTED_INSTANCE,
                "processDefinitionKey": MINTED_DEFINITION,
                "rootProcessInstanceKey": MINTED_INSTANCE,
                "elementInstanceKey": "2251799813700035",
                "kind": "BPMN_ELEMENT",
                "listenerEventType": "UNSPECIFIED",
                "userTask": null,
                "tags": [],
                "businessId": null,
                "priority": 50
            }]}))),
        Mock::given(method("POST"))
            .and(path(format!("/v2/jobs/{MINTED_JOB}/completion")))
            .and(body_partial_json(json!({"variables": {"reserved": true}})))
            .respond_with(ResponseTemplate::new(204)),
        Mock::given(method("GET"))
            .and(path(format!("/v2/process-instances/{MINTED_INSTANCE}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(instance.clone())),
        Mock::given(method("POST"))
            .and(path("/v2/process-instances/search"))
            .and(body_partial_json(json!({"filter": {
                "processInstanceKey": MINTED_INSTANCE,
                "processDefinitionKey": MINTED_DEFINITION
            }})))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "items": [instance],
                "page": {
                    "totalItems": 1,
                    "hasMoreTotalItems": false,
                    "startCursor": null,
                    "endCursor": null
                }
            }))),
        Mock::given(method("POST"))
            .and(path(format!(
                "/v2/process-instances/{MINTED_INSTANCE}/cancellation"
            )))
            .respond_with(ResponseTemplate::new(204)),
    ];
    for mock in mocks {
        mock.expect(1).mount(&server).await;
    }

    let v2 = Client::new_with_client(&format!("{}/v2", server.uri()), http(), bearer());
    let deployment = v2
        .create_deployment()
        .resource("order-process.bpmn", ORDER_BPMN)
        .send()
        .await
        .expect("deploy")
        .into_inner();
    let process = deployment.deployments[0]
        .process_definition
        .clone()
        .expect("a process was deployed");
    let definition_key: camunda8::orchestration::keys::ProcessDefinitionKey =
        process.process_definition_key;

    let definition = v2
        .get_process_definition()
        .process_definition_key(definition_key.clone())
        .send()
        .await
        .expect("get definition")
        .into_inner();
    assert_eq!(definition.process_definition_key, definition_key);

    let start = types::ProcessInstanceCreationInstruction::Key(
        types::ProcessInstanceCreationInstructionByKey::builder()
            .process_definition_key(definition_key.clone())
            .try_into()
            .expect("instruction"),
    );
    let created = v2
        .create_process_instance()
        .body(start)
        .send()
        .await
        .expect("start")
        .into_inner();
    let instance_key: camunda8::orchestration::keys::ProcessInstanceKey =
        created.process_instance_key;

    let jobs = v2
        .activate_jobs()
        .body(
            types::JobActivationRequest::builder()
                .type_("payment-service")
                .worker(Some("order-worker-1".to_string()))
                .max_jobs_to_activate(1)
                .timeout(300_000),
        )
        .send()
        .await
        .expect("activate")
        .into_inner();
    let job = &jobs.jobs[0];
    assert_eq!(job.process_instance_key, instance_key);
    let job_key: camunda8::orchestration::keys::JobKey = job.job_key.clone();
    let mut done = serde_json::Map::new();
    done.insert("reserved".to_string(), json!(true));
    v2.complete_job()
        .job_key(job_key)
        .body(types::JobCompletionRequest::builder().variables(Some(done.into())))
        .send()
        .await
        .expect("complete");

    let instance = v2
        .get_process_instance()
        .process_instance_key(instance_key.clone())
        .send()
        .await
        .expect("get instance")
        .into_inner();
    assert_eq!(instance.process_instance_key, instance_key);

    let filter = types::ProcessInstanceSearchQueryFilter {
        process_instance_key: Some(instance_key.clone().into()),
        process_definition_key: Some(definition_key.clone().into()),
        ..Default::default()
    };
    let found = v2
        .search_process_instances()
        .body(types::ProcessInstanceSearchQuery::builder().filter(filter))
        .send()
        .await
        .expect("search")
        .into_inner();
    assert_eq!(found.items[0].process_instance_key, instance_key);

    v2.cancel_process_instance()
        .process_instance_key(instance_key)
        .send()
        .await
        .expect("cancel");

    server.verify().await;
}
