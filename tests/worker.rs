//! The job worker against the stand-in job engine (camunda8-test)
//! with faults injected: nothing lost, nothing completed twice, bounded
//! concurrency, recovery from every fault class, graceful shutdown, panics,
//! timeout extension, backpressure in all three forms, and a 401 that renews
//! the token.

mod support;

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use camunda8::worker::{Job, Outcome, WorkerBuilder};
use camunda8::{Camunda, Config, RetryPolicy};
use camunda8_test::engine::{self, Engine, Fault, JobState, NewJob, Op};
use serde_json::json;
use tokio::time::Instant;

const CAP: Duration = Duration::from_millis(200);

fn camunda_for(engine: &Engine) -> Camunda {
    Config::new()
        .orchestration_url(engine.url())
        .retry_policy(
            RetryPolicy::new()
                .max_attempts(2)
                .base_delay(Duration::from_millis(2))
                .max_delay(Duration::from_millis(10)),
        )
        .build()
        .expect("a client for the stand-in")
}

fn worker(camunda: &Camunda, job_type: &str) -> WorkerBuilder {
    camunda
        .worker(job_type)
        .expect("worker")
        .poll_backoff(Duration::from_millis(10), CAP)
        .request_timeout(Some(Duration::from_millis(500)))
}

async fn complete(_job: Job) -> Result<Outcome, String> {
    Ok(Outcome::complete())
}

/// Counts handlers running at once and remembers the most.
#[derive(Default)]
struct Concurrency {
    now: AtomicUsize,
    max: AtomicUsize,
}

impl Concurrency {
    fn enter(&self) {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.max.fetch_max(now, Ordering::SeqCst);
    }
    fn leave(&self) {
        self.now.fetch_sub(1, Ordering::SeqCst);
    }
}

fn assert_each_completed_once(engine: &Engine) {
    let jobs = engine.jobs();
    let bad: Vec<_> = jobs
        .iter()
        .filter(|j| j.completions != 1 || j.state != JobState::Completed)
        .take(5)
        .collect();
    assert!(bad.is_empty(), "jobs not completed exactly once: {bad:?}");
    assert_eq!(engine.summary().completed_twice, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_jobs_with_faults_none_lost_none_twice_within_max() {
    const JOBS: usize = 10_000;
    const MAX: u32 = 64;
    let engine = Engine::start().await;
    let camunda = camunda_for(&engine);
    let concurrency = Arc::new(Concurrency::default());
    let handled = Arc::new(Mutex::new(HashSet::new()));
    let c = concurrency.clone();
    let h = handled.clone();
    let handle = worker(&camunda, "bulk")
        .max_concurrent_jobs(MAX)
        .spawn(move |job: Job| {
            let c = c.clone();
            let h = h.clone();
            async move {
                c.enter();
                h.lock().unwrap().insert(job.key().to_string());
                tokio::task::yield_now().await;
                c.leave();
                Ok::<_, String>(Outcome::complete())
            }
        })
        .unwrap();
    engine.create_jobs("bulk", JOBS / 2);
    // Faults after the first thousand completions, as in the issue.
    engine
        .wait_for(Duration::from_secs(30), |s| s.completed >= 1_000)
        .await;
    engine.inject(
        Op::Activate,
        [
            Fault::Backpressure503,
            Fault::Drop,
            Fault::Status(401),
            Fault::Backpressure500,
            Fault::Garbage,
            Fault::Status(502),
            Fault::Backpressure429,
            Fault::Status(403),
            Fault::Delay(Duration::from_millis(50)),
        ],
    );
    engine.inject(
        Op::Complete,
        (0..5).flat_map(|_| {
            [
                Fault::Drop,
                Fault::Backpressure503,
                Fault::Status(500),
                Fault::Drop,
                Fault::Status(502),
                Fault::Backpressure429,
            ]
        }),
    );
    engine.create_jobs("bulk", JOBS / 2);
    let summary = engine
        .wait_for(Duration::from_secs(60), |s| s.completed >= JOBS as u64)
        .await;
    assert_eq!(summary.completed, JOBS as u64, "{summary:?}");
    assert_eq!(engine.pending_faults(), 0);
    assert_each_completed_once(&engine);
    assert!(summary.max_activated <= u64::from(MAX), "{summary:?}");
    assert!(concurrency.max.load(Ordering::SeqCst) <= MAX as usize);
    assert_eq!(handled.lock().unwrap().len(), JOBS);
    let stats = handle.stats();
    // Backpressure is retried in the request path; the others reach the loop.
    assert!(stats.poll_errors >= 5, "{stats:?}");
    assert_eq!(stats.completed, JOBS as u64);
    assert!(handle.is_running());
    let report = handle.shutdown(Duration::from_secs(1)).await;
    assert_eq!(report.left, 0);
}

/// After `faults` on activation, the worker still runs and completes jobs
/// created afterwards, within one back-off cap of the last fault.
async fn survives_then_catches_up(label: &str, faults: Vec<Fault>) {
    let engine = Engine::start().await;
    let camunda = camunda_for(&engine);
    let handle = worker(&camunda, "faulty").spawn(complete).unwrap();
    let count = faults.len() as u64;
    engine.inject(Op::Activate, faults);
    let until = Instant::now() + Duration::from_secs(30);
    while engine.pending_faults() > 0 && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    assert_eq!(engine.pending_faults(), 0, "{label}: faults not consumed");
    let last_fault = Instant::now();
    engine.create_jobs("faulty", 20);
    let summary = engine
        .wait_for(Duration::from_secs(10), |s| s.completed == 20)
        .await;
    let caught_up = last_fault.elapsed();
    assert_eq!(summary.completed, 20, "{label}: {summary:?}");
    assert!(
        caught_up < CAP + Duration::from_secs(1),
        "{label}: caught up only after {caught_up:?}"
    );
    assert!(handle.is_running(), "{label}");
    let stats = handle.stats();
    assert!(stats.poll_errors >= 1, "{label}: {stats:?}");
    assert_eq!(summary.faults_served, count, "{label}");
    handle.shutdown(Duration::from_secs(1)).await;
}

#[tokio::test]
async fn survives_every_fault_class_on_activation_and_catches_up() {
    let classes: Vec<(&str, Vec<Fault>)> = vec![
        ("dropped connections", vec![Fault::Drop; 5]),
        ("401", vec![Fault::Status(401); 3]),
        ("403", vec![Fault::Status(403); 3]),
        ("500", vec![Fault::Status(500); 3]),
        ("502", vec![Fault::Status(502); 3]),
        ("undecodable body", vec![Fault::Garbage; 3]),
        ("50 x 503", vec![Fault::Backpressure503; 50]),
    ];
    for (label, faults) in classes {
        survives_then_catches_up(label, faults).await;
    }
}

#[tokio::test]
async fn activation_backpressure_as_429() {
    survives_then_catches_up("429", vec![Fault::Backpressure429; 30]).await;
}

#[tokio::test]
async fn activation_backpressure_as_500_resource_exhausted() {
    survives_then_catches_up("500 RESOURCE_EXHAUSTED", vec![Fault::Backpressure500; 30]).await;
}

#[tokio::test]
async fn activation_backpressure_as_503_resource_exhausted() {
    survives_then_catches_up("503 RESOURCE_EXHAUSTED", vec![Fault::Backpressure503; 30]).await;
}

#[tokio::test]
async fn survives_the_server_going_away_and_coming_back() {
    let engine = Engine::start().await;
    let addr = engine.addr();
    let camunda = camunda_for(&engine);
    let handle = worker(&camunda, "restart").spawn(complete).unwrap();
    engine.create_jobs("restart", 5);
    engine
        .wait_for(Duration::from_secs(5), |s| s.completed == 5)
        .await;
    drop(engine);
    // Connections refused for a while.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let errors_while_down = handle.stats().poll_errors;
    let engine = loop {
        match Engine::bind(addr).await {
            Ok(e) => break e,
            Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    };
    let back = Instant::now();
    engine.create_jobs("restart", 5);
    let summary = engine
        .wait_for(Duration::from_secs(5), |s| s.completed == 5)
        .await;
    assert_eq!(summary.completed, 5);
    assert!(back.elapsed() < CAP + Duration::from_secs(1));
    assert!(errors_while_down >= 1, "{errors_while_down}");
    assert!(handle.is_running());
    handle.shutdown(Duration::from_secs(1)).await;
}

#[tokio::test]
async fn outcomes_complete_fail_throw_error_leave_alone_and_handler_errors() {
    let engine = Engine::start().await;
    let camunda = camunda_for(&engine);
    let handle = worker(&camunda, "mixed")
        .timeout(Duration::from_secs(60))
        .spawn(|job: Job| async move {
            #[derive(serde::Deserialize)]
            struct Vars {
                n: u32,
            }
            let n = job.variables::<Vars>().map_err(|e| e.to_string())?.n;
            match n {
                0 => Ok(Outcome::complete_with(&json!({ "doubled": 2 * n }))),
                1 => Ok(Outcome::fail_with("no stock", 0, Duration::ZERO)),
                2 => Ok(Outcome::throw_error("NO_CREDIT", "card declined")
                    .with_variables(&json!({ "reason": "declined" }))),
                3 => Ok(Outcome::leave_alone()),
                _ => Err(format!("cannot handle {n}")),
            }
        })
        .unwrap();
    let keys: Vec<u64> = (0..5)
        .map(|n| engine.create(NewJob::new("mixed").variables(json!({ "n": n }))))
        .collect();
    engine
        .wait_for(Duration::from_secs(5), |s| {
            s.completed == 1 && s.incidents >= 1 && s.errors_thrown == 1
        })
        .await;
    // The handler error fails job 4 with retries 3 - 1, again and again.
    let until = Instant::now() + Duration::from_secs(5);
    while engine.job(keys[4]).unwrap().state != JobState::Incident && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let job = |i: usize| engine.job(keys[i]).unwrap();
    assert_eq!(job(0).state, JobState::Completed);
    assert_eq!(job(0).result_variables, Some(json!({ "doubled": 0 })));
    assert_eq!(job(1).state, JobState::Incident);
    assert_eq!(job(1).error_message.as_deref(), Some("no stock"));
    assert_eq!(job(2).state, JobState::ErrorThrown);
    assert_eq!(job(2).error_message.as_deref(), Some("NO_CREDIT"));
    assert_eq!(
        job(2).result_variables,
        Some(json!({ "reason": "declined" }))
    );
    assert_eq!(
        job(3).state,
        JobState::Activated,
        "left alone until it times out"
    );
    assert_eq!(job(4).state, JobState::Incident);
    assert_eq!(job(4).failures, 3, "retries 3 -> 2 -> 1 -> 0");
    assert_eq!(job(4).error_message.as_deref(), Some("cannot handle 4"));
    let stats = handle.stats();
    assert_eq!(stats.handler_errors, 3);
    assert_eq!(stats.left_alone, 1);
    assert_eq!(stats.errors_thrown, 1);
    handle.shutdown(Duration::from_secs(1)).await;
}

#[tokio::test]
async fn job_carries_typed_keys_headers_and_fetched_variables() {
    let engine = Engine::start().await;
    let camunda = camunda_for(&engine);
    let seen = Arc::new(Mutex::new(None));
    let s = seen.clone();
    let handle = worker(&camunda, "typed")
        .fetch_variables(["wanted"])
        .spawn(move |job: Job| {
            let s = s.clone();
            async move {
                *s.lock().unwrap() = Some((
                    job.key().to_string(),
                    job.process_instance_key().to_string(),
                    job.element_id().to_string(),
                    job.custom_header("region").map(str::to_owned),
                    job.variables_json().clone(),
                    job.retries(),
                    job.deadline() > std::time::SystemTime::now(),
                    job.variables_text().to_owned(),
                    job.variables::<std::collections::BTreeMap<String, u8>>()
                        .ok(),
                ));
                Ok::<_, String>(Outcome::complete())
            }
        })
        .unwrap();
    let key = engine.create(
        NewJob::new("typed")
            .variables(json!({ "wanted": 1, "unwanted": 2 }))
            .custom_headers(json!({ "region": "eu" }))
            .retries(7),
    );
    engine
        .wait_for(Duration::from_secs(5), |s| s.completed == 1)
        .await;
    let seen = seen.lock().unwrap().clone().expect("handled");
    assert_eq!(seen.0, key.to_string());
    assert_eq!(seen.1, (key + 1_000_000).to_string());
    assert_eq!(seen.2, "Task_standin");
    assert_eq!(seen.3.as_deref(), Some("eu"));
    assert_eq!(seen.4, json!({ "wanted": 1 }));
    assert_eq!(seen.5, 7);
    assert!(seen.6, "deadline in the future");
    // The text as sent, and typed decoding straight from it.
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&seen.7).ok(),
        Some(json!({ "wanted": 1 }))
    );
    assert_eq!(seen.8, Some([("wanted".to_string(), 1)].into()));
    handle.shutdown(Duration::from_secs(1)).await;
}

#[tokio::test]
async fn panicking_handler_fails_the_job_and_the_worker_goes_on() {
    let engine = Engine::start().await;
    let camunda = camunda_for(&engine);
    let handle = worker(&camunda, "panics")
        .spawn(|job: Job| async move {
            let n = job.variables_json()["n"].as_u64().unwrap_or(0);
            if n.is_multiple_of(2) {
                panic!("boom on {n}");
            }
            Ok::<_, String>(Outcome::complete())
        })
        .unwrap();
    let keys = engine.create_jobs("panics", 10);
    let summary = engine
        .wait_for(Duration::from_secs(10), |s| {
            s.completed == 5 && s.incidents == 5
        })
        .await;
    assert_eq!(
        (summary.completed, summary.incidents),
        (5, 5),
        "{summary:?}"
    );
    for (n, key) in keys.iter().enumerate() {
        let job = engine.job(*key).unwrap();
        if n.is_multiple_of(2) {
            assert_eq!(job.failures, 3);
            let message = job.error_message.unwrap_or_default();
            assert!(
                message.contains("panicked") && message.contains("boom"),
                "{message}"
            );
        }
    }
    let stats = handle.stats();
    assert_eq!(stats.handler_panics, 15);
    assert!(handle.is_running());
    // And it still takes new work.
    engine.create(NewJob::new("panics").variables(json!({ "n": 1 })));
    let summary = engine
        .wait_for(Duration::from_secs(5), |s| s.completed == 6)
        .await;
    assert_eq!(summary.completed, 6);
    handle.shutdown(Duration::from_secs(1)).await;
}

async fn slow_handler(job: Job) -> Result<Outcome, String> {
    let _ = job;
    tokio::time::sleep(Duration::from_millis(1_300)).await;
    Ok(Outcome::complete())
}

#[tokio::test]
async fn slow_handler_is_kept_alive_by_timeout_extension() {
    let engine = Engine::start().await;
    let camunda = camunda_for(&engine);
    let handle = worker(&camunda, "slow")
        .timeout(Duration::from_millis(400))
        .spawn(slow_handler)
        .unwrap();
    let keys = engine.create_jobs("slow", 5);
    let summary = engine
        .wait_for(Duration::from_secs(5), |s| s.completed == 5)
        .await;
    assert_eq!(summary.completed, 5);
    assert_eq!(summary.timeouts, 0, "{summary:?}");
    for key in keys {
        let job = engine.job(key).unwrap();
        assert_eq!(job.activations, 1);
        assert!(job.updates >= 3, "{job:?}");
    }
    assert!(handle.stats().timeouts_extended >= 15);
    handle.shutdown(Duration::from_secs(1)).await;
}

#[tokio::test]
async fn timeout_extension_survives_update_faults() {
    // updateJob answers backpressure, a dropped connection, a 502 and a
    // garbage body before it works: the extension is retried while the
    // job's deadline allows, and the job is neither lost nor handed out twice.
    let engine = Engine::start().await;
    let camunda = camunda_for(&engine);
    engine.inject(
        Op::Update,
        [
            Fault::Backpressure503,
            Fault::Drop,
            Fault::Status(502),
            Fault::Backpressure429,
            Fault::Backpressure500,
        ],
    );
    let handle = worker(&camunda, "slow")
        .timeout(Duration::from_millis(800))
        .spawn(slow_handler)
        .unwrap();
    let key = engine.create_jobs("slow", 1)[0];
    let summary = engine
        .wait_for(Duration::from_secs(5), |s| s.completed == 1)
        .await;
    assert_eq!(summary.completed, 1, "{summary:?}");
    assert_eq!(summary.timeouts, 0, "{summary:?}");
    assert_eq!(engine.pending_faults(), 0, "every injected fault was met");
    let job = engine.job(key).unwrap();
    assert_eq!(job.activations, 1, "{job:?}");
    assert!(job.updates >= 1, "{job:?}");
    assert!(handle.stats().timeouts_extended >= 1);
    handle.shutdown(Duration::from_secs(1)).await;
}

#[tokio::test]
async fn a_404_on_extension_leaves_the_handler_running_and_the_worker_going() {
    // The job is gone (cancelled, or finished elsewhere): updateJob answers
    // 404. The extension stops, the handler finishes, its completion is
    // dropped on the next 404, and the worker goes on with the next job.
    let engine = Engine::start().await;
    let camunda = camunda_for(&engine);
    engine.inject(Op::Update, [Fault::Status(404)]);
    engine.inject(Op::Complete, [Fault::Status(404)]);
    let handle = worker(&camunda, "gone")
        .timeout(Duration::from_millis(400))
        .spawn(|_job: Job| async move {
            tokio::time::sleep(Duration::from_millis(500)).await;
            Ok::<_, String>(Outcome::complete())
        })
        .unwrap();
    engine.create_jobs("gone", 1);
    // The first job's completion met the 404; the job timed out meanwhile
    // (its extension was refused) and is handed out and completed again.
    let summary = engine
        .wait_for(Duration::from_secs(5), |s| s.completed == 1)
        .await;
    assert_eq!(summary.completed, 1, "{summary:?}");
    assert_eq!(engine.pending_faults(), 0);
    let later = engine.create_jobs("gone", 3);
    let summary = engine
        .wait_for(Duration::from_secs(5), |s| s.completed == 4)
        .await;
    assert_eq!(summary.completed, 4, "{summary:?}");
    for key in later {
        assert_eq!(engine.job(key).unwrap().activations, 1);
    }
    assert!(handle.is_running());
    handle.shutdown(Duration::from_secs(1)).await;
}

#[tokio::test]
async fn without_extension_a_slow_handler_loses_its_job() {
    // The contrast to the test above: the same handler and timeout, no
    // extension, and the job is handed out again.
    let engine = Engine::start().await;
    let camunda = camunda_for(&engine);
    let handle = worker(&camunda, "slow")
        .timeout(Duration::from_millis(400))
        .extend_timeout_after(None)
        .spawn(slow_handler)
        .unwrap();
    let key = engine.create_jobs("slow", 1)[0];
    let until = Instant::now() + Duration::from_secs(5);
    while engine.job(key).unwrap().activations < 2 && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(engine.job(key).unwrap().activations >= 2);
    assert!(engine.summary().timeouts >= 1);
    handle.shutdown(Duration::ZERO).await;
}

#[tokio::test]
async fn handler_extends_its_timeout_on_request() {
    let engine = Engine::start().await;
    let camunda = camunda_for(&engine);
    let handle = worker(&camunda, "asks")
        .timeout(Duration::from_millis(300))
        .extend_timeout_after(None)
        .spawn(|job: Job| async move {
            job.extend_timeout(Duration::from_secs(3))
                .await
                .map_err(|e| e.to_string())?;
            tokio::time::sleep(Duration::from_millis(800)).await;
            Ok::<_, String>(Outcome::complete())
        })
        .unwrap();
    let key = engine.create_jobs("asks", 1)[0];
    let summary = engine
        .wait_for(Duration::from_secs(5), |s| s.completed == 1)
        .await;
    assert_eq!(summary.completed, 1);
    assert_eq!(summary.timeouts, 0);
    let job = engine.job(key).unwrap();
    assert_eq!((job.activations, job.updates), (1, 1));
    assert_eq!(handle.stats().timeouts_extended, 1);
    handle.shutdown(Duration::from_secs(1)).await;
}

#[tokio::test]
async fn shutdown_waits_for_jobs_up_to_the_grace_period() {
    let engine = Engine::start().await;
    let camunda = camunda_for(&engine);
    let started = Arc::new(AtomicUsize::new(0));
    let s = started.clone();
    let handle = worker(&camunda, "drain")
        .max_concurrent_jobs(8)
        .spawn(move |job: Job| {
            let s = s.clone();
            async move {
                s.fetch_add(1, Ordering::SeqCst);
                let n = job.variables_json()["n"].as_u64().unwrap_or(0);
                let pause = if n < 3 { 10_000 } else { 100 };
                tokio::time::sleep(Duration::from_millis(pause)).await;
                Ok::<_, String>(Outcome::complete())
            }
        })
        .unwrap();
    engine.create_jobs("drain", 8);
    let until = Instant::now() + Duration::from_secs(5);
    while started.load(Ordering::SeqCst) < 8 && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(handle.stats().in_flight, 8);
    let began = Instant::now();
    let report = handle.shutdown(Duration::from_millis(500)).await;
    let took = began.elapsed();
    assert_eq!((report.finished, report.left), (5, 3), "{report:?}");
    assert!(
        took >= Duration::from_millis(500) && took < Duration::from_millis(1_500),
        "{took:?}"
    );
    // No new activations after shutdown.
    let polls = engine.summary().requests[0];
    engine.create_jobs("drain", 3);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(engine.summary().requests[0], polls);
    assert_eq!(engine.summary().completed, 5);
}

/// A shutdown's stop signal reaches the activation loop wherever it is,
/// also between two of its waits, where nothing listens for it (waiting a
/// moment for more free slots, handing out jobs). A signal sent there used
/// to be dropped, and the shutdown then waited for the loop forever: the
/// worker bench hung on it at 256 jobs in flight.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shutdown_ends_wherever_the_activation_loop_is() {
    let engine = Engine::start().await;
    let camunda = camunda_for(&engine);
    for round in 0..40u64 {
        let job_type = format!("stop-{round}");
        engine.create_jobs(&job_type, 2_000);
        let handle = worker(&camunda, &job_type)
            .max_concurrent_jobs(64)
            .spawn(|_job: Job| async {
                tokio::time::sleep(Duration::from_millis(1)).await;
                Ok::<_, String>(Outcome::complete())
            })
            .unwrap();
        tokio::time::sleep(Duration::from_millis(5 + round % 11)).await;
        let shutdown = handle.shutdown(Duration::from_secs(1));
        let ended = tokio::time::timeout(Duration::from_secs(10), shutdown).await;
        assert!(ended.is_ok(), "round {round}: the shutdown never ended");
    }
}

#[tokio::test]
async fn shutdown_of_an_idle_worker_cancels_the_long_poll_at_once() {
    let engine = Engine::start().await;
    let camunda = camunda_for(&engine);
    let handle = worker(&camunda, "idle")
        .request_timeout(Some(Duration::from_secs(30)))
        .spawn(complete)
        .unwrap();
    engine
        .wait_for(Duration::from_secs(5), |s| s.requests[0] >= 1)
        .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    // Long polling: one request, not a busy loop.
    assert_eq!(engine.summary().requests[0], 1);
    let began = Instant::now();
    let report = handle.shutdown(Duration::from_secs(5)).await;
    assert!(
        began.elapsed() < Duration::from_secs(1),
        "the 30 s long poll was not cancelled"
    );
    assert_eq!((report.finished, report.left), (0, 0));
}

#[tokio::test]
async fn revoked_token_costs_one_renewal_not_a_refresh_period() {
    use support::token_fixtures::{jwt_expiring, token_body};
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let engine = Engine::start().await;
    let auth = MockServer::start().await;
    let far = std::time::SystemTime::now() + Duration::from_secs(3600);
    let first = jwt_expiring(far, "first");
    let second = jwt_expiring(far, "second");
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body(&first, Some(3600))))
        .up_to_n_times(1)
        .mount(&auth)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body(&second, Some(3600))))
        .mount(&auth)
        .await;
    engine.require_bearer(Some(&first));
    let camunda = Config::new()
        .oauth_url(format!("{}/oauth/token", auth.uri()))
        .client_credentials("worker-client", "worker-secret")
        .orchestration_url(engine.url())
        .build()
        .unwrap();
    let handle = worker(&camunda, "auth").spawn(complete).unwrap();
    engine.create_jobs("auth", 3);
    engine
        .wait_for(Duration::from_secs(5), |s| s.completed == 3)
        .await;
    // The server revokes the first token.
    engine.require_bearer(Some(&second));
    let revoked = Instant::now();
    engine.create_jobs("auth", 3);
    let summary = engine
        .wait_for(Duration::from_secs(5), |s| s.completed == 6)
        .await;
    assert_eq!(summary.completed, 6);
    assert!(
        revoked.elapsed() < Duration::from_secs(3),
        "{:?}",
        revoked.elapsed()
    );
    assert_eq!(
        camunda.token_stats().token_requests,
        2,
        "{:?}",
        camunda.token_stats()
    );
    assert!(handle.is_running());
    handle.shutdown(Duration::from_secs(1)).await;
}

/// The first activation request a worker sends through `configure`d
/// client and `builder`: its JSON body and `Accept` header.
async fn first_activation(
    configure: impl FnOnce(Config) -> Config,
    builder: impl FnOnce(WorkerBuilder) -> WorkerBuilder,
) -> (serde_json::Value, Option<String>) {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/jobs/activation"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "jobs": [] }))
                .set_delay(Duration::from_millis(50)),
        )
        .mount(&server)
        .await;
    let camunda = configure(Config::new().orchestration_url(server.uri()))
        .build()
        .unwrap();
    let handle = builder(worker(&camunda, "tenanted"))
        .spawn(complete)
        .unwrap();
    let until = Instant::now() + Duration::from_secs(5);
    let request = loop {
        if let Some(r) = server.received_requests().await.unwrap().into_iter().next() {
            break r;
        }
        assert!(Instant::now() < until, "no activation request");
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    handle.shutdown(Duration::from_secs(1)).await;
    let accept = request
        .headers
        .get("accept")
        .map(|v| v.to_str().unwrap().to_owned());
    (serde_json::from_slice(&request.body).unwrap(), accept)
}

/// Like Camunda's Java and TypeScript workers: `tenantIds: ["<default>"]`
/// unless the client or the worker names other tenants; none when the
/// client's filling is turned off. `Accept` as on generated calls.
#[tokio::test]
async fn activation_asks_for_the_default_tenant_unless_told_otherwise() {
    let (body, accept) = first_activation(|c| c, |w| w).await;
    assert_eq!(body["tenantIds"], json!(["<default>"]), "{body}");
    // As every generated call with a JSON answer (not reqwest's `*/*`).
    assert_eq!(accept.as_deref(), Some("application/json"));
    let (body, _) = first_activation(|c| c.default_tenant_id("acme"), |w| w).await;
    assert_eq!(body["tenantIds"], json!(["acme"]), "{body}");
    let (body, _) = first_activation(|c| c, |w| w.tenant_ids(["emea", "apac"])).await;
    assert_eq!(body["tenantIds"], json!(["emea", "apac"]), "{body}");
    let (body, _) = first_activation(Config::no_default_tenant, |w| w).await;
    assert!(body.get("tenantIds").is_none(), "{body}");
}

#[tokio::test]
async fn two_workers_share_one_client() {
    let engine = Engine::start().await;
    let camunda = camunda_for(&engine);
    let a = worker(&camunda, "a").spawn(complete).unwrap();
    let b = worker(&camunda, "b").spawn(complete).unwrap();
    engine.create_jobs("a", 50);
    engine.create_jobs("b", 50);
    let summary = engine
        .wait_for(Duration::from_secs(10), |s| s.completed == 100)
        .await;
    assert_eq!(summary.completed, 100);
    // The worker counts a completion when its answer arrives.
    let until = Instant::now() + Duration::from_secs(2);
    while a.stats().completed + b.stats().completed < 100 && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(a.stats().completed, 50);
    assert_eq!(b.stats().completed, 50);
    a.shutdown(Duration::from_secs(1)).await;
    b.shutdown(Duration::from_secs(1)).await;
}

#[test]
fn invalid_settings_are_typed_errors_not_panics() {
    let camunda = Config::new()
        .orchestration_url("http://127.0.0.1:1")
        .build()
        .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _guard = runtime.enter();
    let error = camunda
        .worker("x")
        .unwrap()
        .max_concurrent_jobs(0)
        .spawn(complete)
        .unwrap_err();
    assert!(error.to_string().contains("max_concurrent_jobs"), "{error}");
    let error = camunda
        .worker("x")
        .unwrap()
        .extend_timeout_after(Some(100))
        .spawn(complete)
        .unwrap_err();
    assert!(
        error.to_string().contains("extend_timeout_after"),
        "{error}"
    );
    drop(_guard);
    let error = camunda.worker("x").unwrap().spawn(complete).unwrap_err();
    assert!(
        matches!(error, camunda8::worker::WorkerError::NoRuntime),
        "{error}"
    );
}

#[tokio::test]
async fn the_engine_speaks_the_contract() {
    let contract = support::spec::contract("orchestration");
    let schemas = &contract["components"]["schemas"];
    let names = |v: &serde_json::Value| -> std::collections::BTreeSet<String> {
        match v {
            serde_json::Value::Array(items) => items
                .iter()
                .map(|i| i.as_str().unwrap().to_owned())
                .collect(),
            serde_json::Value::Object(map) => map.keys().cloned().collect(),
            _ => panic!("{v}"),
        }
    };
    let request_fields = names(&schemas["JobActivationRequest"]["properties"]);
    let engine_fields = engine::ACTIVATION_FIELDS
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    assert_eq!(request_fields, engine_fields);

    let engine = Engine::start().await;
    engine.create_jobs("contract", 1);
    let body = reqwest::Client::new()
        .post(format!("{}/jobs/activation", engine.api_url()))
        .json(&json!({ "type": "contract", "timeout": 1000, "maxJobsToActivate": 1, "unknown": 1 }))
        .send()
        .await
        .unwrap();
    assert_eq!(body.status(), 400, "additionalProperties: false");
    let body: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/jobs/activation", engine.api_url()))
        .json(&json!({ "type": "contract", "timeout": 1000, "maxJobsToActivate": 1 }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let job = &body["jobs"][0];
    assert_eq!(
        names(job),
        names(&schemas["ActivatedJobResult"]["required"])
    );
    // The generated types decode it.
    let decoded: camunda8::orchestration::types::JobActivationResult =
        serde_json::from_value(body.clone()).unwrap();
    assert_eq!(decoded.jobs.len(), 1);
}

/// A server for the gate tests: `GET /v2/status` answers after 300 ms,
/// `POST /v2/jobs/activation` (an idle long poll) after 1 s, a completion
/// at once.
async fn gate_server() -> wiremock::MockServer {
    use wiremock::matchers::{method, path, path_regex};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/status"))
        .respond_with(ResponseTemplate::new(204).set_delay(Duration::from_millis(300)))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/jobs/activation"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "jobs": [] }))
                .set_delay(Duration::from_secs(1)),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path_regex("^/v2/jobs/[0-9]+/completion$"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

async fn timed<T>(call: impl std::future::Future<Output = T>) -> Duration {
    let started = Instant::now();
    call.await;
    started.elapsed()
}

struct GateTimes {
    /// A completion while a status request holds the only permit.
    completion: Duration,
    /// A second status request while the first holds the only permit.
    second_status: Duration,
    /// A status request while an idle long poll is out.
    status_beside_poll: Duration,
}

/// With the gate at one permit: what waits for what.
async fn gate_run(gate: camunda8::backpressure::GateSettings) -> GateTimes {
    use camunda8::orchestration::types::{JobActivationRequest, JobCompletionRequest};
    let server = gate_server().await;
    let camunda = Config::new()
        .orchestration_url(server.uri())
        .retry_policy(RetryPolicy::new().gate(gate))
        .build()
        .unwrap();
    let api = camunda.orchestration().unwrap().clone();
    let status = |api: camunda8::orchestration::Client| async move {
        api.get_status().send().await.unwrap();
    };

    let first = tokio::spawn(status(api.clone()));
    tokio::time::sleep(Duration::from_millis(50)).await;
    let completion = timed(async {
        api.complete_job()
            .job_key(
                "2251799813685249"
                    .parse::<camunda8::orchestration::keys::JobKey>()
                    .unwrap(),
            )
            .body(JobCompletionRequest {
                business_id: None,
                job_lease_token: None,
                result: None,
                variables: None,
            })
            .send()
            .await
            .unwrap();
    })
    .await;
    let second_status = timed(status(api.clone())).await;
    first.await.unwrap();

    let poll = tokio::spawn({
        let api = api.clone();
        async move {
            api.activate_jobs()
                .body(JobActivationRequest {
                    fetch_variable: Vec::new(),
                    max_jobs_to_activate: 1,
                    request_timeout: Some(1_000),
                    tenant_filter: None,
                    tenant_ids: Vec::new(),
                    timeout: 1_000,
                    type_: "idle".to_owned(),
                    with_lease: None,
                    worker: None,
                })
                .send()
                .await
                .unwrap();
        }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    let status_beside_poll = timed(status(api.clone())).await;
    poll.await.unwrap();
    GateTimes {
        completion,
        second_status,
        status_beside_poll,
    }
}

#[tokio::test]
async fn the_gate_holds_back_gated_requests_but_not_completions_nor_long_polls() {
    use camunda8::backpressure::GateSettings;
    // One permit (as after a burst of backpressure): a held request makes
    // the next gated one wait, a completion does not wait, and an idle long
    // poll (admitted, not held) blocks nobody.
    let times = gate_run(GateSettings::default().max_permits(1)).await;
    assert!(
        times.completion < Duration::from_millis(200),
        "completion waited {:?}",
        times.completion
    );
    assert!(
        times.second_status >= Duration::from_millis(450),
        "the second status request did not wait: {:?}",
        times.second_status
    );
    assert!(
        times.status_beside_poll < Duration::from_millis(800),
        "an idle long poll held the only permit: {:?}",
        times.status_beside_poll
    );
    let times = gate_run(GateSettings::off()).await;
    assert!(
        times.completion < Duration::from_millis(200),
        "{:?}",
        times.completion
    );
    assert!(
        times.second_status < Duration::from_millis(450),
        "with the gate off nothing waits: {:?}",
        times.second_status
    );
    assert!(times.status_beside_poll < Duration::from_millis(800));
}
