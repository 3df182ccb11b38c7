//! Every operation of every contract, called through the generated clients
//! with realistic arguments against Prism.
//!
//! Prism serves Camunda's published spec (with the project's errata applied)
//! when it is available, else the committed contract, and checks each
//! request against it: a request that breaks the spec gets an error status
//! with an `sl-violations` header instead of a mocked success. So a call that
//! returns `Ok` proves that the client sends what the spec asks for and that
//! the typed response decodes what the spec promises.
//!
//! Each test also checks that the operations it called are exactly the
//! operations of the contract: an operation added to a contract fails the
//! test until a call for it is added here.
//!
//! The published specs are looked up in `$CAMUNDA8_REFERENCE_OPENAPI`, else in
//! `../shared/reference/openapi` next to the repository (files
//! `admin-api.json`, `zeebe-8.6.yaml`, `operate-8.6.yaml`).

#![cfg(all(feature = "admin", feature = "zeebe", feature = "operate"))]

use camunda8::ResponseValue;
use camunda8::hooks::Inner;
use serde_json::json;

use super::calls::{Run, bearer, body, http};
use crate::support::prism::Prism;
use crate::support::spec::{contract_with_errata, served_spec};

// ---------------------------------------------------------------------------
// Calling and recording
// ---------------------------------------------------------------------------

/// Calls one generated method: `call!(run, client, method.setter(arg)…)`.
/// The operation is recorded under the method's own name.
macro_rules! call {
    ($run:expr, $client:expr, $op:ident $(. $setter:ident ( $($arg:expr),* ))* ) => {{
        let result = $client.$op() $(.$setter($($arg),*))* .send().await;
        $run.record(stringify!($op), result).await
    }};
}

/// Reads a raw (non-JSON) success body; an empty or unreadable body is a
/// failure of `op`.
async fn read_text(
    run: &mut Run,
    op: &str,
    response: Option<ResponseValue<camunda8::admin::ByteStream>>,
) {
    let Some(response) = response else { return };
    match camunda8::text::body_text::<()>(response).await {
        Ok(text) if !text.trim().is_empty() => {}
        Ok(_) => run.fail(op, "the document is empty".to_string()),
        Err(e) => run.fail(op, format!("the document is not readable text: {e}")),
    }
}

// ---------------------------------------------------------------------------
// Administration API (43 operations)
// ---------------------------------------------------------------------------

const CLUSTER: &str = "8f14e45f-ceea-467a-9575-2a1c5bd3c4a9";
const BACKUP: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const OLDER_BACKUP: &str = "d2c1b0a9-8e7f-4d6c-9b5a-4f3e2d1c0b9a";
const CLIENT_ID: &str = "Jx~hT3kq8sVv_1mR2p0wNcY9dZ5uLbQe";
const MONITORING_CLIENT: &str = "5b7e2c1d-0a9f-4e8b-b6c5-d4e3f2a1b0c9";
const MEMBER: &str = "jane.doe@example.com";

#[tokio::test]
async fn admin_operations_against_prism() {
    use camunda8::admin::{Client, types};

    let prism = Prism::serve(&served_spec("admin", "admin-api.json")).await;
    let admin = Client::new_with_client(prism.base_url(), http(), bearer());
    let mut run = Run::new("admin");

    // Organization-wide reads.
    // The CSV export is text (erratum `admin_activity_csv_is_text`).
    let csv = call!(run, admin, get_csv);
    read_text(&mut run, "get_csv", csv).await;
    match admin.activity_csv().await {
        Ok(text) if !text.trim().is_empty() => {}
        Ok(_) => run.fail("activity_csv", "the CSV document is empty".to_string()),
        Err(e) => run.fail("activity_csv", format!("not readable as text: {e}")),
    }
    call!(run, admin, get_json);
    call!(run, admin, get_members);
    call!(run, admin, get_meta);

    // Clusters.
    call!(run, admin, get_parameters);
    call!(run, admin, get_clusters);
    call!(
        run,
        admin,
        create_cluster.body(body::<types::CreateClusterRequest>(json!({
            "name": "payments-prod",
            "description": "Order-to-cash processes for the EU shops",
            "planTypeId": "0c6a3b8e-94e5-4bba-8d2f-3a1f0c7d9e21",
            "channelId": "6bdc5e2a-1f0e-4b6f-9a57-9d1c3e8f2a40",
            "generationId": "a4c7e0f3-2b9d-4e61-8f5a-7c3d1e9b0f62",
            "regionId": "2f9d8c7b-6a5e-4d3c-b2a1-0f9e8d7c6b5a",
            "stageLabel": "prod",
            "autoUpdate": true,
            "identityBackendChecksEnabled": true
        })))
    );
    call!(run, admin, get_cluster.cluster_uuid(CLUSTER));
    call!(
        run,
        admin,
        update_cluster
            .cluster_uuid(CLUSTER)
            .body(body::<types::UpdateClusterRequest>(json!({
                "name": "payments-prod-eu",
                "description": "Order-to-cash processes, EU region",
                "stageLabel": "prod"
            })))
    );
    call!(run, admin, upgrade_cluster.cluster_uuid(CLUSTER));
    call!(run, admin, wake.cluster_uuid(CLUSTER));
    call!(
        run,
        admin,
        update_cluster_encryption.cluster_uuid(CLUSTER).body(body::<
            types::UpdateClusterEncryptionRequest,
        >(json!({
            "primaryEncryptionKeyId":
                "arn:aws:kms:eu-central-1:123456789012:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d"
        })))
    );

    // Backups, schedule, restore, failover.
    call!(run, admin, get_backups.cluster_uuid(CLUSTER));
    call!(run, admin, create_backup.cluster_uuid(CLUSTER));
    call!(run, admin, get_schedule.cluster_uuid(CLUSTER));
    call!(
        run,
        admin,
        update_schedule
            .cluster_uuid(CLUSTER)
            .body(body::<types::UpdateScheduleRequest>(
                json!({"schedule": "0 30 2 * * ?"})
            ))
    );
    call!(run, admin, delete_schedule.cluster_uuid(CLUSTER));
    call!(
        run,
        admin,
        get_restore.cluster_uuid(CLUSTER).backup_id(BACKUP)
    );
    call!(
        run,
        admin,
        restore_from_backup.cluster_uuid(CLUSTER).backup_id(BACKUP)
    );
    call!(
        run,
        admin,
        trigger_failover
            .cluster_uuid(CLUSTER)
            .body(body::<types::TriggerFailoverRequest>(json!({
                "backupIds": [OLDER_BACKUP, BACKUP],
                "restoreBackupId": BACKUP
            })))
    );
    call!(
        run,
        admin,
        delete_backup.cluster_uuid(CLUSTER).backup_id(OLDER_BACKUP)
    );

    // API clients of a cluster.
    call!(run, admin, get_clients.cluster_uuid(CLUSTER));
    call!(
        run,
        admin,
        create_client
            .cluster_uuid(CLUSTER)
            .body(body::<types::CreateClientRequest>(json!({
                "clientName": "order-service-worker",
                "permissions": ["Zeebe", "Operate"]
            })))
    );
    call!(
        run,
        admin,
        get_client.cluster_uuid(CLUSTER).client_id(CLIENT_ID)
    );
    call!(
        run,
        admin,
        delete_client.cluster_uuid(CLUSTER).client_id(CLIENT_ID)
    );

    // Network access.
    call!(
        run,
        admin,
        update_ip_allowlist
            .cluster_uuid(CLUSTER)
            .body(body::<types::UpdateIpAllowlistRequest>(json!({
                "ipallowlist": [
                    {"description": "Office VPN", "ip": "10.0.0.0/24"},
                    {"description": "CI runner", "ip": "203.0.113.17"}
                ]
            })))
    );
    call!(
        run,
        admin,
        update_ip_whitelist
            .cluster_uuid(CLUSTER)
            .body(body::<types::UpdateIpWhitelistRequest>(json!({
                "ipwhitelist": [{"description": "Office VPN", "ip": "10.0.0.0/24"}]
            })))
    );
    call!(
        run,
        admin,
        get_secure_connectivity_status.cluster_uuid(CLUSTER)
    );
    call!(
        run,
        admin,
        activate_secure_connectivity
            .cluster_uuid(CLUSTER)
            .body(body::<types::ActivateSecureConnectivityBody>(json!({
                "allowedPrincipals": ["arn:aws:iam::123456789012:root"],
                "allowedRegions": ["eu-central-1"]
            })))
    );
    call!(
        run,
        admin,
        deactivate_secure_connectivity.cluster_uuid(CLUSTER)
    );

    // External monitoring.
    call!(run, admin, activate_monitoring.cluster_uuid(CLUSTER));
    call!(run, admin, get_monitoring_clients.cluster_uuid(CLUSTER));
    call!(
        run,
        admin,
        create_monitoring_client.cluster_uuid(CLUSTER).body(body::<
            types::CreateMonitoringClientBody,
        >(json!({
            "username": "prometheus-scraper"
        })))
    );
    call!(
        run,
        admin,
        rotate_monitoring_client_password
            .cluster_uuid(CLUSTER)
            .client_uuid(MONITORING_CLIENT)
    );
    call!(
        run,
        admin,
        delete_monitoring_client
            .cluster_uuid(CLUSTER)
            .client_uuid(MONITORING_CLIENT)
    );
    call!(run, admin, deactivate_monitoring.cluster_uuid(CLUSTER));

    // Connector secrets.
    call!(run, admin, get_secrets.cluster_uuid(CLUSTER));
    call!(
        run,
        admin,
        create_secret
            .cluster_uuid(CLUSTER)
            .body(body::<types::CreateSecretRequest>(json!({
                "secretName": "SLACK_WEBHOOK_URL",
                "secretValue": "https://hooks.slack.com/services/T0001/B0001/Xq3kL9vR2mWp"
            })))
    );
    call!(
        run,
        admin,
        update_secret
            .cluster_uuid(CLUSTER)
            .secret_name("SLACK_WEBHOOK_URL")
            .body(body::<types::UpdateSecretRequest>(json!({
                "secretValue": "https://hooks.slack.com/services/T0001/B0001/Zt7nP4cS8dYb"
            })))
    );
    call!(
        run,
        admin,
        delete_secret
            .cluster_uuid(CLUSTER)
            .secret_name("SLACK_WEBHOOK_URL")
    );

    // Organization members.
    call!(
        run,
        admin,
        update_members
            .email(MEMBER)
            .body(body::<types::UpdateMembersRequest>(json!({
                "orgRoles": ["developer", "analyst"]
            })))
    );
    call!(run, admin, delete_member.email(MEMBER));

    // Last: the cluster itself.
    call!(run, admin, delete_cluster.cluster_uuid(CLUSTER));

    run.finish(43);
}

// ---------------------------------------------------------------------------
// Zeebe REST API (5 operations)
// ---------------------------------------------------------------------------

const USER_TASK: i64 = 2_251_799_813_685_249;

#[tokio::test]
async fn zeebe_operations_against_prism() {
    use camunda8::zeebe::{Client, types};

    let prism = Prism::serve(&served_spec("zeebe", "zeebe-8.6.yaml")).await;
    // Prism serves the spec's paths as written (no `/v1` server prefix).
    let zeebe = Client::new_with_client(prism.base_url(), http(), bearer());
    let mut run = Run::new("zeebe");

    call!(run, zeebe, get_topology);
    call!(
        run,
        zeebe,
        assign_user_task
            .user_task_key(USER_TASK)
            .body(body::<types::UserTaskAssignmentRequest>(json!({
                "assignee": "jane.doe",
                "allowOverride": false,
                "action": "assign"
            })))
    );
    call!(
        run,
        zeebe,
        update_user_task
            .user_task_key(USER_TASK)
            .body(body::<types::UserTaskUpdateRequest>(json!({
                "changeset": {
                    "dueDate": "2024-12-20T17:00:00Z",
                    "followUpDate": "2024-12-18T09:00:00Z",
                    "candidateGroups": ["accounting"],
                    "candidateUsers": ["jane.doe", "john.smith"]
                },
                "action": "update"
            })))
    );
    call!(run, zeebe, unassign_user_task.user_task_key(USER_TASK));
    call!(
        run,
        zeebe,
        complete_user_task
            .user_task_key(USER_TASK)
            .body(body::<types::UserTaskCompletionRequest>(json!({
                "variables": {"invoiceApproved": true, "approvedAmount": 1249.5},
                "action": "complete"
            })))
    );

    run.finish(5);
}

// ---------------------------------------------------------------------------
// Operate REST API (21 operations)
// ---------------------------------------------------------------------------

const PROCESS_DEFINITION: i64 = 2_251_799_813_685_249;
const PROCESS_INSTANCE: i64 = 2_251_799_813_685_317;
const FLOW_NODE_INSTANCE: i64 = 2_251_799_813_685_330;
const INCIDENT: i64 = 2_251_799_813_685_345;
const VARIABLE: i64 = 2_251_799_813_685_352;
const DECISION_DEFINITION: i64 = 2_251_799_813_686_123;
const DECISION_REQUIREMENTS: i64 = 2_251_799_813_686_118;
const DECISION_INSTANCE: &str = "2251799813686130-1";

#[tokio::test]
async fn operate_operations_against_prism() {
    use camunda8::operate::{Client, types};

    let prism = Prism::serve(&served_spec("operate", "operate-8.6.yaml")).await;
    // Operate accepts a bearer token or a session cookie; this sends a bearer.
    let operate = Client::new_with_client(prism.base_url(), http(), bearer());
    let mut run = Run::new("operate");

    // Processes.
    call!(
        run,
        operate,
        search_process_definitions.body(body::<types::QueryProcessDefinition>(json!({
            "filter": {"bpmnProcessId": "order-process", "tenantId": "<default>"},
            "sort": [{"field": "version", "order": "DESC"}],
            "size": 10,
            "searchAfter": ["order-process", PROCESS_DEFINITION]
        })))
    );
    call!(run, operate, get_process_definition.key(PROCESS_DEFINITION));
    let xml = call!(
        run,
        operate,
        get_process_definition_xml.key(PROCESS_DEFINITION)
    );
    read_text(&mut run, "get_process_definition_xml", xml).await;
    call!(
        run,
        operate,
        search_process_instances.body(body::<types::QueryProcessInstance>(json!({
            "filter": {
                "bpmnProcessId": "order-process",
                "processDefinitionKey": PROCESS_DEFINITION,
                "state": "ACTIVE",
                "incident": false
            },
            "sort": [{"field": "startDate", "order": "DESC"}],
            "size": 25
        })))
    );
    call!(run, operate, get_process_instance.key(PROCESS_INSTANCE));
    call!(
        run,
        operate,
        get_process_instance_sequence_flows.key(PROCESS_INSTANCE)
    );
    call!(
        run,
        operate,
        get_process_instance_statistics.key(PROCESS_INSTANCE)
    );
    call!(
        run,
        operate,
        search_flownode_instances.body(body::<types::QueryFlowNodeInstance>(json!({
            "filter": {
                "processInstanceKey": PROCESS_INSTANCE,
                "state": "ACTIVE",
                "type": "USER_TASK"
            },
            "size": 100
        })))
    );
    call!(run, operate, get_flownode_instance.key(FLOW_NODE_INSTANCE));
    call!(
        run,
        operate,
        search_variables.body(body::<types::QueryVariable>(json!({
            "filter": {"processInstanceKey": PROCESS_INSTANCE, "name": "orderId"},
            "size": 10
        })))
    );
    call!(run, operate, get_variable.key(VARIABLE));
    call!(
        run,
        operate,
        search_incidents.body(body::<types::QueryIncident>(json!({
            "filter": {
                "processInstanceKey": PROCESS_INSTANCE,
                "state": "ACTIVE",
                "type": "JOB_NO_RETRIES"
            },
            "sort": [{"field": "creationTime", "order": "ASC"}],
            "size": 20
        })))
    );
    call!(run, operate, get_incident.key(INCIDENT));

    // Decisions.
    call!(
        run,
        operate,
        search_decision_definitions.body(body::<types::QueryDecisionDefinition>(json!({
            "filter": {"decisionId": "invoice-classification", "tenantId": "<default>"},
            "sort": [{"field": "version", "order": "DESC"}],
            "size": 5
        })))
    );
    call!(
        run,
        operate,
        get_decision_definition.key(DECISION_DEFINITION)
    );
    call!(
        run,
        operate,
        search_decision_requirements.body(body::<types::QueryDecisionRequirements>(json!({
            "filter": {"decisionRequirementsId": "invoice-business-decisions"},
            "size": 10
        })))
    );
    call!(
        run,
        operate,
        get_decision_requirements.key(DECISION_REQUIREMENTS)
    );
    let xml = call!(
        run,
        operate,
        get_decision_requirements_xml.key(DECISION_REQUIREMENTS)
    );
    read_text(&mut run, "get_decision_requirements_xml", xml).await;
    call!(
        run,
        operate,
        search_decision_instances.body(body::<types::QueryDecisionInstance>(json!({
            "filter": {"processInstanceKey": PROCESS_INSTANCE, "state": "EVALUATED"},
            "sort": [{"field": "evaluationDate", "order": "DESC"}],
            "size": 50,
            "searchAfter": ["2024-12-03T10:15:30.000+0000", DECISION_INSTANCE]
        })))
    );
    call!(run, operate, get_decision_instance.id(DECISION_INSTANCE));

    // Last: deleting the finished instance.
    call!(run, operate, delete_process_instance.key(PROCESS_INSTANCE));

    run.finish(21);
}

// ---------------------------------------------------------------------------
// The checks above can fail
// ---------------------------------------------------------------------------

/// A request Prism rejects is reported with the operation, the status and
/// Prism's `sl-violations`; a request without a credential is rejected too.
#[tokio::test]
async fn rejected_requests_are_reported_with_prism_violations() {
    use camunda8::operate::{Client, types};

    let mut spec = contract_with_errata("operate");
    // Tighten the contract so that a realistic page size breaks it.
    spec["components"]["schemas"]["QueryProcessInstance"]["properties"]["size"]["maximum"] =
        json!(20);
    let prism = Prism::serve(&spec).await;

    let operate = Client::new_with_client(prism.base_url(), http(), bearer());
    let mut run = Run::new("operate");
    let accepted = call!(
        run,
        operate,
        search_process_instances.body(body::<types::QueryProcessInstance>(json!({
            "filter": {"bpmnProcessId": "order-process", "state": "ACTIVE"},
            "size": 25
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
        failure.starts_with("operate::search_process_instances: documented error response 400"),
        "{failure}"
    );
    assert!(
        failure.contains("sl-violations: [") && failure.contains("size"),
        "the violation names the field: {failure}"
    );

    let anonymous = Client::new_with_client(prism.base_url(), http(), Inner::unauthenticated());
    let mut run = Run::new("operate");
    call!(run, anonymous, get_process_instance.key(PROCESS_INSTANCE));
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
    let mut run = Run::new("zeebe");
    for op in [
        "get_topology",
        "assign_user_task",
        "update_user_task",
        "complete_user_task",
    ] {
        run.called(op);
    }
    run.finish(5);
}
