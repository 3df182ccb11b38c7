//! Find the active incidents of one process (by BPMN process id) and show
//! where each one happened.
//!
//! ```text
//! cargo run --example find_incidents -- order-process
//! ```
//!
//! Uses your cluster when credentials are in the environment, else the
//! in-process stand-in.

#[path = "support/standin.rs"]
mod standin;

use camunda8::operate::types::{
    IncidentFilter, IncidentState, ProcessDefinitionFilter, QueryIncident, QueryProcessDefinition,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let bpmn_process_id = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "order-process".to_owned());
    // Keep the stand-in (if any) alive until the end.
    let (camunda, _standin) = standin::from_env_or_standin().await?;
    let operate = camunda.operate()?;

    // The process definitions with that id (all versions), when Operate
    // knows them; the stand-in knows none and the search below still runs.
    let definitions = operate
        .search_process_definitions()
        .body(QueryProcessDefinition {
            filter: Some(ProcessDefinitionFilter {
                bpmn_process_id: Some(bpmn_process_id.clone()),
                ..Default::default()
            }),
            size: Some(100),
            ..Default::default()
        })
        .send()
        .await
        .map(|r| r.into_inner().items)
        .unwrap_or_default();
    let keys: Vec<i64> = definitions.iter().filter_map(|d| d.key).collect();
    println!(
        "{bpmn_process_id}: {} known version(s) {keys:?}",
        definitions.len()
    );

    let mut incidents = Vec::new();
    let mut search_after = Vec::new();
    loop {
        let page = operate
            .search_incidents()
            .body(QueryIncident {
                filter: Some(IncidentFilter {
                    state: Some(IncidentState::Active),
                    ..Default::default()
                }),
                size: Some(50),
                search_after: search_after.clone(),
                ..Default::default()
            })
            .send()
            .await?
            .into_inner();
        let done = page.items.len() < 50 || page.sort_values.is_empty();
        incidents.extend(page.items.into_iter().filter(|i| {
            keys.is_empty() || i.process_definition_key.is_some_and(|k| keys.contains(&k))
        }));
        if done {
            break;
        }
        search_after = page.sort_values;
    }

    println!("{} active incident(s)", incidents.len());
    for incident in &incidents {
        println!(
            "  incident {} on instance {}: {} ({})",
            incident.key.unwrap_or_default(),
            incident.process_instance_key.unwrap_or_default(),
            incident
                .type_
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            incident.message.as_deref().unwrap_or(""),
        );
    }
    Ok(())
}
