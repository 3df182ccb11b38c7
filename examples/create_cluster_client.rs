//! Create a cluster with the Administration API, then an API client for it
//! with Zeebe and Operate permissions.
//!
//! ```text
//! cargo run --example create_cluster_client -- my-cluster
//! ```
//!
//! Needs `CAMUNDA_CONSOLE_CLIENT_ID` and `CAMUNDA_CONSOLE_CLIENT_SECRET` for a
//! client allowed to create clusters and clients; without credentials it runs
//! against the in-process stand-in. The new client's secret is shown once by
//! Camunda: this example reports that it arrived but never prints it.

use camunda8_test::saas as standin;

use camunda8::admin::types::{ClusterClientPermission, CreateClientRequest, CreateClusterRequest};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let name = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "orders-dev".to_owned());
    // Keep the stand-in (if any) alive until the end.
    let (camunda, _standin) = standin::from_env_or_standin().await?;
    let admin = camunda.admin()?;

    // What this organization may create: pick the first plan, region and
    // channel (with its default generation).
    let parameters = admin.get_parameters().send().await?.into_inner();
    let (Some(channel), Some(plan), Some(region)) = (
        parameters.channels.first(),
        parameters.cluster_plan_types.first(),
        parameters.regions.first(),
    ) else {
        return Err("this organization offers no plan, region or channel".into());
    };
    println!(
        "creating {name}: plan {}, region {}, {} ({})",
        plan.name, region.name, channel.name, channel.default_generation.name
    );

    let created = admin
        .create_cluster()
        .body(CreateClusterRequest {
            name: name.clone(),
            plan_type_id: plan.uuid.clone(),
            region_id: region.uuid.clone(),
            channel_id: channel.uuid.clone(),
            generation_id: channel.default_generation.uuid.clone(),
            auto_update: None,
            backup_region_id: None,
            description: Some("created by the camunda8 example".to_owned()),
            encryption: None,
            hardware_packages: None,
            identity_backend_checks_enabled: None,
            stage_label: None,
        })
        .send()
        .await?
        .into_inner();
    println!("cluster {} created", created.cluster_id);

    let client = admin
        .create_client()
        .cluster_uuid(created.cluster_id.clone())
        .body(CreateClientRequest {
            client_name: format!("{name}-worker"),
            permissions: vec![
                ClusterClientPermission::Zeebe,
                ClusterClientPermission::Operate,
            ],
        })
        .send()
        .await?
        .into_inner();
    println!(
        "API client {} created (id {}, audience {}, permissions {:?}); its secret ({} characters) was returned once: store it now",
        client.name,
        client.client_id,
        client.audience,
        client.permissions,
        client.client_secret.expose().len()
    );
    Ok(())
}
