//! The pause under load (`src/call/pause.rs`): a call that finds the
//! client busy yields to the runtime once before it is sent. Here every
//! call pauses (`yield_above(0)`), none does (`u32::MAX`), and the default
//! is in between, each with many calls in flight on a multi-thread
//! runtime: every call must complete with its answer (a pause that lost
//! its wake-up would hang the call, and the time limit would fail the
//! test), carrying its token, and none is sent again for backpressure.

#![cfg(feature = "orchestration")]

use std::time::Duration;

use camunda8::backpressure::GateSettings;
use camunda8::{Camunda, RetryPolicy};
use camunda8_test::loopback::{Loopback, TOPOLOGY};

/// Calls in flight at once, and calls each makes one after another.
const TASKS: usize = 32;
const CALLS_EACH: usize = 20;

async fn all_calls_complete(gate: GateSettings) {
    let server = Loopback::start(TOPOLOGY).expect("loopback server");
    let camunda = Camunda::builder()
        .orchestration_url(server.url())
        .oauth_url(server.token_url())
        .client_credentials("pause", "pause-secret")
        .retry_policy(RetryPolicy::new().gate(gate))
        .build()
        .expect("client");
    let client = camunda.orchestration().expect("orchestration").clone();
    let before = server.without_credential();
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                for _ in 0..CALLS_EACH {
                    let topology = client.get_topology().send().await.expect("topology");
                    assert_eq!(topology.cluster_size, 1);
                }
            })
        })
        .collect();
    let all = async {
        for task in tasks {
            task.await.expect("task");
        }
    };
    tokio::time::timeout(Duration::from_secs(60), all)
        .await
        .expect("every call completes");
    assert_eq!(
        server.without_credential(),
        before,
        "every call carried its token"
    );
    let stats = camunda.call_stats();
    assert_eq!(stats.backpressure_retries, 0, "{stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_that_all_pause_complete() {
    all_calls_complete(GateSettings::default().yield_above(0)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_that_never_pause_complete() {
    all_calls_complete(GateSettings::default().yield_above(u32::MAX)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_at_the_default_threshold_complete() {
    all_calls_complete(GateSettings::default()).await;
}
