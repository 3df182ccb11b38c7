//! Job workers: jobs per second and client CPU per job through camunda8's
//! worker and the official crate's worker, both against the stand-in job
//! engine of `camunda8-test` (long polling, activation and completion over
//! HTTP, as on a cluster), both with OAuth client credentials against the
//! loopback server's token endpoint, the same number of jobs in flight and
//! a handler that completes each job at once.
//!
//! The engine runs on a thread and runtime of its own; CPU is summed over
//! the client runtime's threads only.

use std::time::{Duration, Instant};

use camunda_orchestration_sdk::{CamundaClient, JobAction};
use camunda8::worker::Outcome;
use camunda8_test::engine::Engine;

use crate::calls::{Spent, official_options};
use camunda8_test::cpu::RuntimeThreads;

/// The two workers compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Worker {
    Camunda8,
    Official,
}

impl Worker {
    pub const ALL: [Worker; 2] = [Worker::Camunda8, Worker::Official];

    pub fn name(self) -> &'static str {
        match self {
            Worker::Camunda8 => "camunda8",
            Worker::Official => "camunda-orchestration-sdk 10.0.0",
        }
    }
}

/// The engine (on its own thread) and both clients.
pub struct Setup {
    pub engine: Engine,
    camunda8: camunda8::Camunda,
    official: CamundaClient,
}

/// Starts the engine and builds both clients; `token_base` is the loopback
/// server that hands out tokens.
/// `gate`: camunda8's gate settings (its default otherwise).
pub fn setup(
    token_base: &str,
    gate: Option<camunda8::backpressure::GateSettings>,
) -> Result<Setup, String> {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        rt.block_on(async {
            let engine = Engine::start().await;
            if sender.send(engine).is_ok() {
                std::future::pending::<()>().await;
            }
        });
    });
    let engine = receiver
        .recv()
        .map_err(|_| "the stand-in engine did not start".to_owned())?;
    let token_url = format!("{token_base}/oauth/token");
    let mut config = engine
        .config()
        .oauth_url(token_url.clone())
        .client_credentials("compare", "compare-secret");
    if let Some(gate) = gate {
        config = config.retry_policy(camunda8::RetryPolicy::new().gate(gate));
    }
    let camunda8 = config.build().map_err(|e| format!("camunda8: {e}"))?;
    let official = CamundaClient::new(official_options(&engine.url(), &token_url))
        .map_err(|e| format!("official: {e}"))?;
    Ok(Setup {
        engine,
        camunda8,
        official,
    })
}

/// `jobs` jobs of a new type through `worker` with `in_flight` jobs at
/// most in flight; returns once the engine has them all completed and the
/// worker has stopped. The engine then forgets the finished jobs, so that
/// every run starts from the same (empty) engine and later rounds do not
/// pay for the jobs of earlier ones.
///
/// `poll` is how often this thread looks at the engine's count of
/// completions: short for timed runs; long under callgrind, where each
/// look would add instructions that depend on wall time.
#[allow(clippy::too_many_arguments)]
pub fn run(
    rt: &tokio::runtime::Runtime,
    setup: &Setup,
    threads: &RuntimeThreads,
    worker: Worker,
    job_type: &str,
    in_flight: u32,
    jobs: usize,
    poll: Duration,
) -> Result<Spent, String> {
    setup.engine.create_jobs(job_type, jobs);
    let target = setup.engine.summary().completed + jobs as u64;
    let activations = setup.engine.summary().requests[camunda8_test::engine::Op::Activate as usize];
    let cpu = threads.nanos();
    let started = Instant::now();
    let _guard = rt.enter();
    let stop: Box<dyn FnOnce() -> Result<(), String>> = match worker {
        Worker::Camunda8 => {
            let handle = setup
                .camunda8
                .worker(job_type)
                .map_err(|e| e.to_string())?
                .max_concurrent_jobs(in_flight)
                .request_timeout(Some(Duration::from_secs(1)))
                .spawn(|_job| async { Ok::<_, std::convert::Infallible>(Outcome::complete()) })
                .map_err(|e| e.to_string())?;
            wait_completed(&setup.engine, target, poll)?;
            Box::new(move || {
                rt.block_on(handle.shutdown(Duration::from_secs(5)));
                Ok(())
            })
        }
        Worker::Official => {
            let mut config = setup
                .official
                .worker_config(job_type)
                .max_jobs_to_activate(i32::try_from(in_flight).unwrap_or(i32::MAX));
            config.request_timeout_ms = 1_000;
            let handle = setup
                .official
                .create_job_worker(config)
                .spawn(|_job| async { JobAction::complete() });
            wait_completed(&setup.engine, target, poll)?;
            Box::new(move || rt.block_on(handle.shutdown()).map_err(|e| e.to_string()))
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    let cpu_ns = cpu.zip(threads.nanos()).map(|(a, b)| b.saturating_sub(a));
    // How the worker batches: activation requests per 100 jobs (stderr).
    let asked = setup.engine.summary().requests[camunda8_test::engine::Op::Activate as usize]
        .saturating_sub(activations);
    eprintln!(
        "{} at {in_flight}: {:.1} activation requests per 100 jobs",
        worker.name(),
        asked as f64 * 100.0 / jobs as f64
    );
    stop()?;
    setup.engine.forget_finished();
    Ok(Spent {
        seconds,
        polls_per_request: None,
        cpu_ns,
    })
}

/// Waits (on this thread, not the client runtime) until the engine counts
/// `target` completions, looking every `poll`; half an hour at most (callgrind is slow).
fn wait_completed(engine: &Engine, target: u64, poll: Duration) -> Result<(), String> {
    let limit = Instant::now() + Duration::from_secs(1800);
    while engine.summary().completed < target {
        if Instant::now() > limit {
            return Err(format!(
                "the run did not finish: {} of {target} completions",
                engine.summary().completed
            ));
        }
        std::thread::sleep(poll);
    }
    Ok(())
}
