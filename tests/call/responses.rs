//! Documented example bodies decode into the generated types; unknown enum
//! values decode instead of failing; error and XML responses are typed.

use serde_json::{Value, json};

#[cfg(feature = "zeebe")]
mod zeebe {
    use super::*;
    use camunda8::zeebe::types::{PartitionHealth, PartitionRole, ProblemDetail, TopologyResponse};

    /// The documented topology response (whose broker list is elided in the
    /// docs), completed with realistic brokers and partitions.
    fn topology() -> Value {
        let broker = |id: i32, roles: [&str; 3]| {
            json!({
                "nodeId": id,
                "host": format!("zeebe-{id}.zeebe-broker-service.cluster.svc"),
                "port": 26501,
                "partitions": [
                    {"partitionId": 1, "role": roles[0], "health": "healthy"},
                    {"partitionId": 2, "role": roles[1], "health": "healthy"},
                    {"partitionId": 3, "role": roles[2], "health": "unhealthy"}
                ],
                "version": "8.6.0"
            })
        };
        json!({
            "brokers": [
                broker(0, ["leader", "follower", "follower"]),
                broker(1, ["follower", "leader", "follower"]),
                broker(2, ["follower", "follower", "leader"])
            ],
            "clusterSize": 3,
            "partitionsCount": 3,
            "replicationFactor": 3,
            "gatewayVersion": "8.6.0"
        })
    }

    #[test]
    fn topology_decodes() {
        let t: TopologyResponse = serde_json::from_value(topology()).unwrap();
        assert_eq!(t.cluster_size, Some(3));
        assert_eq!(t.gateway_version.as_deref(), Some("8.6.0"));
        let brokers = t.brokers.unwrap();
        assert_eq!(brokers.len(), 3);
        let p = &brokers[1].partitions[1];
        assert_eq!(p.partition_id, Some(2));
        assert_eq!(p.role, Some(PartitionRole::Leader));
        assert_eq!(
            brokers[0].partitions[2].health,
            Some(PartitionHealth::Unhealthy)
        );
        // Round trip keeps the wire form.
        assert_eq!(
            serde_json::to_value(&brokers[0]).unwrap(),
            topology()["brokers"][0]
        );
    }

    #[test]
    fn topology_with_nulls_and_empty_brokers_decodes() {
        let t: TopologyResponse = serde_json::from_value(json!({
            "brokers": null, "clusterSize": null, "partitionsCount": 3,
            "replicationFactor": 3, "gatewayVersion": "8.6.0"
        }))
        .unwrap();
        assert!(t.brokers.is_none() && t.cluster_size.is_none());
        let t: TopologyResponse = serde_json::from_value(json!({"brokers": []})).unwrap();
        assert_eq!(t.brokers.map(|b| b.len()), Some(0));
    }

    #[test]
    fn unknown_partition_role_decodes() {
        let mut body = topology();
        body["brokers"][0]["partitions"][0]["role"] = json!("candidate");
        body["brokers"][0]["partitions"][0]["health"] = json!("recovering");
        let t: TopologyResponse = serde_json::from_value(body.clone()).unwrap();
        let p = &t.brokers.as_ref().unwrap()[0].partitions[0];
        assert_eq!(p.role, Some(PartitionRole::Unknown("candidate".into())));
        assert!(p.health.as_ref().unwrap().is_unknown());
        assert_eq!(p.role.as_ref().unwrap().to_string(), "candidate");
        // Unknown values are kept verbatim.
        assert_eq!(
            serde_json::to_value(&t).unwrap()["brokers"][0],
            body["brokers"][0]
        );
        // Known values parse to their variant, from text too.
        assert_eq!(
            "follower".parse::<PartitionRole>().unwrap(),
            PartitionRole::Follower
        );
    }

    /// A date is cleared with an empty string (erratum
    /// `zeebe_changeset_dates_clearable`).
    #[test]
    fn changeset_can_clear_a_date() {
        let c: camunda8::zeebe::types::Changeset =
            serde_json::from_value(json!({"dueDate": "", "followUpDate": "2024-06-01T12:00:00Z"}))
                .unwrap();
        let wire = serde_json::to_value(&c).unwrap();
        assert_eq!(wire["dueDate"], "");
        assert_eq!(wire["followUpDate"], "2024-06-01T12:00:00Z");
    }

    /// The body the transport hook substitutes for an empty error response.
    #[test]
    fn hook_problem_body_decodes() {
        let p: ProblemDetail =
            serde_json::from_value(json!({"status": 404, "title": "Not Found"})).unwrap();
        assert_eq!(p.status, Some(404));
        assert_eq!(p.title.as_deref(), Some("Not Found"));
        assert_eq!(p.type_, "about:blank");
    }
}

#[cfg(feature = "operate")]
mod operate {
    use super::*;
    use camunda8::operate::types::{
        IncidentType, ProcessInstanceState, QueryProcessInstance, ResultsIncident,
        ResultsProcessInstance,
    };

    /// The documented search response.
    #[test]
    fn documented_search_response_decodes() {
        let r: ResultsProcessInstance =
            serde_json::from_value(json!({"items": [], "sortValues": [123456], "total": 0}))
                .unwrap();
        assert!(r.items.is_empty());
        assert_eq!(r.sort_values, vec![json!(123456)]);
        assert_eq!(r.total, Some(0));
    }

    #[test]
    fn process_instance_page_decodes() {
        let body = json!({
            "items": [{
                "key": 2251799813685249_i64,
                "processVersion": 1,
                "bpmnProcessId": "order-process",
                "startDate": "2024-01-22T10:55:23.006+0000",
                "state": "ACTIVE",
                "incident": false,
                "processDefinitionKey": 2251799813685248_i64,
                "tenantId": "<default>",
                "parentKey": 2251799813685100_i64,
                "parentFlowNodeInstanceKey": 2251799813685101_i64,
                "parentProcessInstanceKey": 2251799813685100_i64
            }, {
                "key": 2251799813685250_i64,
                "state": "TERMINATED_BY_A_NEWER_SERVER"
            }],
            "sortValues": ["order-process", 2251799813685250_i64],
            "total": 2
        });
        let r: ResultsProcessInstance = serde_json::from_value(body).unwrap();
        assert_eq!(
            r.items[0].parent_process_instance_key,
            Some(2251799813685100)
        );
        assert_eq!(r.items[0].state, Some(ProcessInstanceState::Active));
        assert!(r.items[1].state.as_ref().unwrap().is_unknown());
        assert_eq!(r.sort_values[0], json!("order-process"));
    }

    /// Paging: the last page's sort values go back as `searchAfter`.
    #[test]
    fn search_request_round_trips() {
        let wire = json!({
            "filter": {"processVersion": 2},
            "size": 3,
            "sort": [{"field": "bpmnProcessId", "order": "ASC"}],
            "searchAfter": ["bigVarProcess", 6755399441055870_i64]
        });
        let q: QueryProcessInstance = serde_json::from_value(wire.clone()).unwrap();
        assert_eq!(serde_json::to_value(&q).unwrap(), wire);
        let empty: QueryProcessInstance = serde_json::from_value(json!({})).unwrap();
        assert_eq!(serde_json::to_value(&empty).unwrap(), json!({}));
    }

    #[test]
    fn incident_types_known_unknown_and_literal_unknown() {
        let r: ResultsIncident = serde_json::from_value(json!({
            "items": [
                {"key": 1, "type": "JOB_NO_RETRIES", "state": "ACTIVE"},
                {"key": 2, "type": "UNKNOWN"},
                {"key": 3, "type": "AD_HOC_SUB_PROCESS_NO_RETRIES"}
            ],
            "sortValues": [], "total": 3
        }))
        .unwrap();
        assert_eq!(r.items[0].type_, Some(IncidentType::JobNoRetries));
        // The spec's own value `UNKNOWN` is a known variant…
        assert_eq!(r.items[1].type_, Some(IncidentType::UnknownValue));
        // …distinct from a value this client has never seen.
        assert_eq!(
            r.items[2].type_,
            Some(IncidentType::Unknown(
                "AD_HOC_SUB_PROCESS_NO_RETRIES".into()
            ))
        );
    }
}

#[cfg(feature = "admin")]
mod admin {
    use super::*;
    use camunda8::admin::types::{
        Cluster, ClusterStatus, CreatedClusterClient, OrganizationRole, UpdateMembersRequest,
    };

    #[test]
    fn cluster_with_unknown_status_decodes() {
        let c: Cluster = serde_json::from_value(json!({
            "uuid": "f1d2c3b4-0000-4000-8000-000000000001",
            "name": "prod",
            "ownerId": "owner-1",
            "autoUpdate": true,
            "encryption": {"type": "Provider"},
            "created": "2024-05-01T08:00:00.000Z",
            "labels": [],
            "status": {"ready": "Healthy", "zeebeStatus": "Healthy", "operateStatus": "Hibernating"},
            "links": {"zeebe": "https://bru-2.zeebe.camunda.io/f1d2", "operate": "https://bru-2.operate.camunda.io/f1d2"},
            "generation": {"name": "Camunda 8.6.0", "uuid": "g1"},
            "channel": {"name": "Stable", "uuid": "c1"},
            "region": {"name": "Belgium", "uuid": "r1"},
            "planType": {"name": "Trial", "uuid": "p1"},
            "someNewField": 1
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.status.ready, ClusterStatus::Healthy);
        assert_eq!(
            c.status.operate_status,
            Some(ClusterStatus::Unknown("Hibernating".into()))
        );
    }

    #[test]
    fn created_client_decodes() {
        let c: CreatedClusterClient = serde_json::from_value(json!({
            "name": "worker", "uuid": "u1", "clientId": "id1", "clientSecret": "s3cr3t",
            "permissions": ["Zeebe", "Operate"], "audience": "zeebe.camunda.io"
        }))
        .unwrap();
        assert_eq!(c.client_id, "id1");
        // The secret decodes, is never printed, and is sent back verbatim.
        assert_eq!(c.client_secret.expose(), "s3cr3t");
        assert!(!format!("{c:?}").contains("s3cr3t"));
        assert_eq!(serde_json::to_value(&c).unwrap()["clientSecret"], "s3cr3t");
    }

    #[test]
    fn secret_request_bodies_carry_the_value() {
        let body = camunda8::admin::types::CreateSecretRequest {
            secret_name: "DB_PASSWORD".into(),
            secret_value: camunda8::Secret::new("hunter2"),
        };
        assert!(!format!("{body:?}").contains("hunter2"));
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"secretName": "DB_PASSWORD", "secretValue": "hunter2"})
        );
        let map: camunda8::admin::types::ClusterSecrets =
            serde_json::from_value(json!({"DB_PASSWORD": "hunter2"})).unwrap();
        assert!(!format!("{map:?}").contains("hunter2"));
    }

    #[test]
    fn member_roles_merge_into_one_enum() {
        let b: UpdateMembersRequest =
            serde_json::from_value(json!({"orgRoles": ["analyst", "admin"]})).unwrap();
        assert_eq!(
            serde_json::to_value(&b).unwrap(),
            json!({"orgRoles": ["analyst", "admin"]})
        );
        assert_eq!(
            "supportagent".parse::<OrganizationRole>().unwrap(),
            OrganizationRole::Supportagent
        );
    }
}
