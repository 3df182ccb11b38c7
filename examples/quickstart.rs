//! The main job: deploy a BPMN model from memory, start an instance of it
//! with variables and find it again once the cluster's search shows it
//! (Orchestration Cluster API, `/v2`); then ask Zeebe for its topology,
//! search Operate for process instances, and list the organization's
//! clusters through the Administration API.
//!
//! With credentials in the environment (`ZEEBE_CLIENT_ID`,
//! `ZEEBE_CLIENT_SECRET`, `CAMUNDA_CLUSTER_REGION`, `CAMUNDA_CLUSTER_ID`,
//! and `CAMUNDA_CONSOLE_CLIENT_ID`/`_SECRET` for the Administration API) it
//! talks to your cluster. Without any, it starts a local stand-in for Camunda
//! SaaS in-process and runs the same flow against it.
//!
//! ```text
//! cargo run --example quickstart
//! ```

use camunda8_test::saas as standin;

use std::time::Duration;

use camunda8::Camunda;
use camunda8::orchestration::eventually;
use camunda8::orchestration::types::{
    ProcessInstanceCreationInstructionById, ProcessInstanceSearchQueryFilter,
};
use serde_json::json;

/// The variables the instance starts with, read back from the answer.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Order {
    order_id: String,
    amount: f64,
}

/// A minimal executable process: start, then end. Deployed from memory.
const ORDER_PROCESS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    id="quickstart-definitions" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="camunda8-quickstart" name="camunda8 quickstart" isExecutable="true">
    <bpmn:startEvent id="received" name="Order received">
      <bpmn:outgoing>to-end</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:sequenceFlow id="to-end" sourceRef="received" targetRef="done" />
    <bpmn:endEvent id="done" name="Order handled">
      <bpmn:incoming>to-end</bpmn:incoming>
    </bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>
"#;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    if standin::credentials_in_environment() {
        println!("credentials found in the environment: talking to your Camunda cluster");
        let camunda = Camunda::from_env()?;
        run(&camunda).await?;
        let stats = camunda.token_stats();
        println!(
            "token requests made: {} (cache hits: {})",
            stats.token_requests, stats.cache_hits
        );
        Ok(())
    } else {
        let standin = standin::StandIn::start().await;
        println!(
            "no credentials in the environment: running against a local stand-in for Camunda SaaS ({})",
            standin.admin_url().trim_end_matches("/admin")
        );
        let camunda = standin.config().build()?;
        run(&camunda).await?;
        // Once more, to show that tokens come from the cache.
        run_quietly(&camunda).await?;
        let stats = camunda.token_stats();
        println!(
            "token requests answered by the stand-in: {} (one per audience); made by the client: {}, served from its cache: {}",
            standin.token_requests().await,
            stats.token_requests,
            stats.cache_hits
        );
        Ok(())
    }
}

/// Deploy, start, and find the instance through the eventually consistent
/// search.
async fn orchestrate(camunda: &Camunda) -> Result<(), Box<dyn std::error::Error>> {
    let orchestration = camunda.orchestration()?;
    let deployment = orchestration
        .create_deployment()
        .resource(
            "camunda8-quickstart.bpmn",
            ORDER_PROCESS.as_bytes().to_vec(),
        )
        .send()
        .await?
        .into_inner();
    let process = deployment
        .deployments
        .iter()
        .find_map(|d| d.process_definition.as_ref())
        .ok_or("the deployment holds no process")?;
    println!(
        "orchestration: deployed {} v{} (deployment {}, definition {})",
        process.process_definition_id,
        process.process_definition_version,
        deployment.deployment_key,
        process.process_definition_key,
    );

    // Variables in one expression: a `json!({…})` here; a struct goes
    // through `Variables::from_serialize(&order)?`.
    let start = ProcessInstanceCreationInstructionById::builder()
        .process_definition_id(process.process_definition_id.clone())
        .variables(json!({ "orderId": "A-1042", "amount": 129.9 }));
    let instance = orchestration
        .create_process_instance()
        .body(start)
        .send()
        .await?
        .into_inner();
    // Every variables member is a `camunda8::Variables`: read it back
    // into a struct.
    let order: Order = instance.variables.to()?;
    println!(
        "orchestration: started instance {} (order {}, amount {})",
        instance.process_instance_key, order.order_id, order.amount
    );

    // Searches read a secondary store that catches up a moment later.
    let filter = ProcessInstanceSearchQueryFilter {
        process_instance_key: Some(instance.process_instance_key.clone().into()),
        ..Default::default()
    };
    let page = eventually(|| {
        orchestration
            .search_process_instances()
            .body_map(|b| b.filter(filter.clone()))
            .send()
    })
    .timeout(Duration::from_secs(30))
    .until(|page| !page.items.is_empty())
    .await?;
    for found in &page.items {
        println!(
            "orchestration: found instance {} of {} ({})",
            found.process_instance_key, found.process_definition_id, found.state
        );
    }
    Ok(())
}

async fn run(camunda: &Camunda) -> Result<(), Box<dyn std::error::Error>> {
    orchestrate(camunda).await?;
    let topology = camunda.zeebe()?.get_topology().send().await?.into_inner();
    println!(
        "zeebe: gateway {}, {} broker(s), {} partition(s), replication factor {}",
        topology.gateway_version.as_deref().unwrap_or("?"),
        topology.brokers.as_ref().map_or(0, Vec::len),
        topology.partitions_count.unwrap_or_default(),
        topology.replication_factor.unwrap_or_default(),
    );
    for broker in topology.brokers.iter().flatten() {
        let leading = broker
            .partitions
            .iter()
            .filter(|p| p.role == Some(camunda8::zeebe::types::PartitionRole::Leader))
            .count();
        println!(
            "  broker {} at {}:{} leads {leading} partition(s)",
            broker.node_id.unwrap_or_default(),
            broker.host.as_deref().unwrap_or("?"),
            broker.port.unwrap_or_default(),
        );
    }

    let query = camunda8::operate::types::QueryProcessInstance {
        size: Some(10),
        ..Default::default()
    };
    let instances = camunda
        .operate()?
        .search_process_instances()
        .body(query)
        .send()
        .await?
        .into_inner();
    println!(
        "operate: {} process instance(s) in total",
        instances.total.unwrap_or_default()
    );
    for instance in &instances.items {
        println!(
            "  {} {} v{} {}",
            instance.key.unwrap_or_default(),
            instance.bpmn_process_id.as_deref().unwrap_or("?"),
            instance.process_version.unwrap_or_default(),
            instance
                .state
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        );
    }

    match camunda.admin() {
        Ok(admin) => {
            let clusters = admin.get_clusters().send().await?.into_inner();
            println!("administration: {} cluster(s)", clusters.len());
            for cluster in &clusters {
                println!(
                    "  {} {} ({})",
                    cluster.uuid, cluster.name, cluster.region.name
                );
            }
        }
        Err(missing) => println!("administration: skipped ({missing})"),
    }
    Ok(())
}

async fn run_quietly(camunda: &Camunda) -> Result<(), Box<dyn std::error::Error>> {
    camunda.zeebe()?.get_topology().send().await?;
    camunda
        .operate()?
        .search_process_instances()
        .body(camunda8::operate::types::QueryProcessInstance::default())
        .send()
        .await?;
    camunda.admin()?.get_clusters().send().await?;
    Ok(())
}
