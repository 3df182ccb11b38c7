//! Find the active incidents of one process (by BPMN process id) and show
//! where each one happened.
//!
//! ```text
//! cargo run --example find_incidents -- order-process
//! ```
//!
//! Uses your cluster when credentials are in the environment, else the
//! in-process stand-in.

use camunda8_test::saas as standin;

use camunda8::operate::types::{
    IncidentFilter, IncidentState, ProcessDefinitionFilter, QueryIncident, QueryProcessDefinition,
};
use futures::TryStreamExt as _;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let bpmn_process_id = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "order-process".to_owned());
    // Keep the stand-in (if any) alive until the end.
    let (camunda, _standin) = standin::from_env_or_standin().await?;
    let operate = camunda.operate()?;

    // The process definitions with that id (all versions, at most 1000),
    // when Operate knows them; the stand-in knows none and the search below
    // still runs.
    let definitions = operate
        .search_process_definitions()
        .body(QueryProcessDefinition {
            filter: Some(ProcessDefinitionFilter {
                bpmn_process_id: Some(bpmn_process_id.clone()),
                ..Default::default()
            }),
            ..Default::default()
        })
        .paginate()
        .collect_all(1000)
        .await
        .unwrap_or_default();
    let keys: Vec<i64> = definitions.iter().filter_map(|d| d.key).collect();
    println!(
        "{bpmn_process_id}: {} known version(s) {keys:?}",
        definitions.len()
    );

    // Every active incident, 50 per request, page after page (the stream
    // follows Operate's sortValues/searchAfter), keeping those of the
    // process.
    let mut incidents = operate
        .search_incidents()
        .body(QueryIncident {
            filter: Some(IncidentFilter {
                state: Some(IncidentState::Active),
                ..Default::default()
            }),
            ..Default::default()
        })
        .paginate()
        .page_size(50)
        .items()
        .try_filter(|i| {
            let ours =
                keys.is_empty() || i.process_definition_key.is_some_and(|k| keys.contains(&k));
            std::future::ready(ours)
        });

    let mut count = 0;
    while let Some(incident) = incidents.try_next().await? {
        count += 1;
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
    println!("{count} active incident(s)");
    Ok(())
}
