//! A job worker that completes jobs and prints what it completed.
//!
//! With a cluster configured in the environment (`CAMUNDA_REST_ADDRESS`,
//! `ZEEBE_REST_ADDRESS` or `CAMUNDA_CLUSTER_ID`, plus credentials), it works
//! jobs of type `$JOB_TYPE` (default `camunda8-example`) for
//! `$RUN_SECONDS` seconds (default 30). With none, it starts the stand-in job
//! engine in-process, creates 20 jobs there and stops when they are done:
//!
//! ```sh
//! cargo run --example job_worker
//! ```

use camunda8_test::engine;

use std::time::Duration;

use camunda8::Camunda;
use camunda8::worker::{Job, Outcome};
use serde::Deserialize;

#[derive(Deserialize)]
struct Vars {
    #[serde(default)]
    n: u64,
}

async fn handle(job: Job) -> Result<Outcome, serde_json::Error> {
    let vars: Vars = job.variables()?;
    println!(
        "completing job {} (process instance {}, element {}, n = {})",
        job.key(),
        job.process_instance_key(),
        job.element_id(),
        vars.n
    );
    Ok(Outcome::complete_with(
        &serde_json::json!({ "square": vars.n * vars.n }),
    ))
}

fn configured() -> bool {
    [
        "CAMUNDA_REST_ADDRESS",
        "ZEEBE_REST_ADDRESS",
        "CAMUNDA_CLUSTER_ID",
    ]
    .iter()
    .any(|v| std::env::var(v).is_ok_and(|s| !s.trim().is_empty()))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    if configured() {
        let camunda = Camunda::from_env()?;
        camunda.authenticate().await?;
        let job_type = std::env::var("JOB_TYPE").unwrap_or_else(|_| "camunda8-example".into());
        let seconds = std::env::var("RUN_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(30);
        println!("working jobs of type {job_type:?} for {seconds} s");
        let worker = camunda.worker(job_type)?.spawn(handle)?;
        tokio::time::sleep(Duration::from_secs(seconds)).await;
        let stats = worker.stats();
        let report = worker.shutdown(Duration::from_secs(10)).await;
        println!("{stats:?}\n{report:?}");
        return Ok(());
    }

    let engine = engine::Engine::start().await;
    println!(
        "no cluster configured: using the stand-in job engine at {}",
        engine.api_url()
    );
    let camunda = Camunda::builder().orchestration_url(engine.url()).build()?;
    engine.create_jobs("camunda8-example", 20);
    let worker = camunda
        .worker("camunda8-example")?
        .max_concurrent_jobs(8)
        .spawn(handle)?;
    let summary = engine
        .wait_for(Duration::from_secs(30), |s| s.completed == 20)
        .await;
    let report = worker.shutdown(Duration::from_secs(5)).await;
    println!(
        "the engine counted {} jobs completed after {} activations; shutdown: {report:?}",
        summary.completed, summary.activations
    );
    if summary.completed != 20 {
        return Err("not every job was completed".into());
    }
    Ok(())
}
