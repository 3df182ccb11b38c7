//! The worker test the README shows, run as written there.

use std::time::Duration;

use camunda8::worker::{Job, Outcome};
use camunda8_test::engine::{Engine, JobState, NewJob};

#[tokio::test]
async fn doubles_the_amount() {
    let engine = Engine::start().await;
    let key = engine.create(NewJob::new("payment").variables(serde_json::json!({ "amount": 21 })));
    let camunda = engine.config().build().unwrap();
    let worker = camunda
        .worker("payment")
        .unwrap()
        .spawn(|job: Job| async move {
            match job.variables::<serde_json::Value>() {
                Ok(v) => Outcome::complete_with(
                    &serde_json::json!({ "paid": v["amount"].as_i64().unwrap_or(0) * 2 }),
                ),
                Err(e) => Outcome::fail(e.to_string()),
            }
        })
        .unwrap();
    engine
        .wait_for(Duration::from_secs(5), |s| s.completed == 1)
        .await;
    worker.shutdown(Duration::from_secs(1)).await;
    let job = engine.job(key).unwrap();
    assert_eq!(
        job.result_variables,
        Some(serde_json::json!({ "paid": 42 }))
    );
}

/// A job the handler fails comes back with one retry less each time, until
/// none is left and it becomes an incident with the handler's message.
#[tokio::test]
async fn a_failed_job_keeps_its_message() {
    let engine = Engine::start().await;
    let key = engine.create(NewJob::new("flaky").retries(3));
    let camunda = engine.config().build().unwrap();
    let worker = camunda
        .worker("flaky")
        .unwrap()
        .spawn(|_job: Job| async move { Outcome::fail("card declined") })
        .unwrap();
    engine
        .wait_for(Duration::from_secs(5), |s| s.incidents == 1)
        .await;
    worker.shutdown(Duration::from_secs(1)).await;
    let job = engine.job(key).unwrap();
    assert_eq!(job.failures, 3);
    assert_eq!(job.retries, 0);
    assert_eq!(job.state, JobState::Incident);
    assert_eq!(job.error_message.as_deref(), Some("card declined"));
}
