//! `Engine::forget_finished`: rounds of a benchmark start from an engine
//! that holds only the jobs still open, and the counters keep counting.

use std::time::Duration;

use camunda8::worker::{Job, Outcome};
use camunda8_test::engine::{Engine, JobState, NewJob};

#[tokio::test]
async fn forgets_finished_jobs_keeps_open_ones_and_the_counters() {
    let engine = Engine::start().await;
    let done = engine.create_jobs("done", 3);
    let open = engine.create(NewJob::new("open"));
    let camunda = engine.config().build().unwrap();
    let worker = camunda
        .worker("done")
        .unwrap()
        .spawn(|_job: Job| async { Outcome::complete() })
        .unwrap();
    let summary = engine
        .wait_for(Duration::from_secs(5), |s| s.completed == 3)
        .await;
    worker.shutdown(Duration::from_secs(1)).await;
    assert_eq!(summary.completed, 3);

    assert_eq!(engine.forget_finished(), 3);
    assert!(done.iter().all(|&key| engine.job(key).is_none()));
    let jobs = engine.jobs();
    assert_eq!(jobs.len(), 1);
    assert_eq!((jobs[0].key, jobs[0].state), (open, JobState::Activatable));
    let after = engine.summary();
    assert_eq!((after.created, after.completed), (4, 3));
    assert_eq!(after.completed_twice, 0);
    // Nothing finished since: nothing more to forget.
    assert_eq!(engine.forget_finished(), 0);
}
