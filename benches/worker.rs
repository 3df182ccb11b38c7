//! Jobs per second through the job worker against the stand-in engine, at
//! 1, 32 and 256 maximum concurrent jobs, beside a hand-written
//! activate-then-complete loop on the same client in the same run, and the
//! client side's CPU time per 10,000 jobs.
//!
//! ```sh
//! cargo bench --bench worker
//! ```
//!
//! The engine runs on a thread and runtime of its own; CPU time is summed
//! over the client runtime's threads only (Linux `/proc/self/task/*/schedstat`),
//! so the engine's work is not counted. Rounds alternate worker and loop;
//! the ratio reported is the median of the per-round ratios. The engine
//! forgets the finished jobs after each run, so later rounds do not pay
//! for earlier ones.
//! `BENCH_ROUNDS` (default 3) and `BENCH_JOBS` (default 10000) change the
//! size.

use std::time::{Duration, Instant};

use camunda8::Camunda;
use camunda8::orchestration::types;
use camunda8::worker::Outcome;
use camunda8_test::cpu::RuntimeThreads;
use camunda8_test::engine::Engine;

struct Run {
    seconds: f64,
    cpu_ns: Option<u64>,
}

fn wait_completed(engine: &Engine, target: u64) {
    let limit = Instant::now() + Duration::from_secs(300);
    while engine.summary().completed < target {
        assert!(Instant::now() < limit, "the run did not finish");
        std::thread::sleep(Duration::from_micros(500));
    }
}

fn run_worker(
    rt: &tokio::runtime::Runtime,
    camunda: &Camunda,
    engine: &Engine,
    threads: &RuntimeThreads,
    job_type: &str,
    concurrency: u32,
    jobs: usize,
) -> Run {
    engine.create_jobs(job_type, jobs);
    let base = engine.summary().completed;
    let cpu0 = threads.nanos();
    let started = Instant::now();
    let handle = {
        let _guard = rt.enter();
        camunda
            .worker(job_type)
            .expect("worker")
            .max_concurrent_jobs(concurrency)
            .request_timeout(Some(Duration::from_secs(1)))
            .spawn(|_job| async { Ok::<_, std::convert::Infallible>(Outcome::complete()) })
            .expect("spawn")
    };
    wait_completed(engine, base + jobs as u64);
    let seconds = started.elapsed().as_secs_f64();
    let cpu = cpu0.zip(threads.nanos()).map(|(a, b)| b - a);
    if std::env::var("BENCH_VERBOSE").is_ok() {
        eprintln!("worker {job_type}: {:?}", handle.stats());
    }
    rt.block_on(handle.shutdown(Duration::from_secs(5)));
    // Each run starts from an engine holding no finished jobs.
    engine.forget_finished();
    Run {
        seconds,
        cpu_ns: cpu,
    }
}

/// Activate up to `concurrency` jobs, complete them all at once, repeat.
async fn hand_loop(
    api: camunda8::orchestration::Client,
    job_type: String,
    concurrency: u32,
    jobs: usize,
) {
    let mut done = 0;
    while done < jobs {
        let request = types::JobActivationRequest {
            fetch_variable: Vec::new(),
            max_jobs_to_activate: i32::try_from(concurrency).unwrap_or(i32::MAX),
            request_timeout: Some(1_000),
            tenant_filter: None,
            tenant_ids: Vec::new(),
            timeout: 30_000,
            type_: job_type.clone(),
            with_lease: None,
            worker: Some("hand-written-loop".into()),
        };
        let activated = match api.activate_jobs().body(request).send().await {
            Ok(response) => response.into_inner().jobs,
            Err(e) => panic!("activation failed: {e}"),
        };
        let completions = activated.iter().map(|job| {
            api.complete_job()
                .job_key(job.job_key.clone())
                .body(types::JobCompletionRequest {
                    business_id: None,
                    job_lease_token: None,
                    result: None,
                    variables: None,
                })
                .send()
        });
        for result in futures::future::join_all(completions).await {
            if let Err(e) = result {
                panic!("completion failed: {e}");
            }
        }
        done += activated.len();
    }
}

fn run_loop(
    rt: &tokio::runtime::Runtime,
    camunda: &Camunda,
    engine: &Engine,
    threads: &RuntimeThreads,
    job_type: &str,
    concurrency: u32,
    jobs: usize,
) -> Run {
    engine.create_jobs(job_type, jobs);
    let base = engine.summary().completed;
    let api = camunda.orchestration().expect("client").clone();
    let cpu0 = threads.nanos();
    let started = Instant::now();
    let task = rt.spawn(hand_loop(api, job_type.to_owned(), concurrency, jobs));
    wait_completed(engine, base + jobs as u64);
    let seconds = started.elapsed().as_secs_f64();
    let cpu = cpu0.zip(threads.nanos()).map(|(a, b)| b - a);
    rt.block_on(task).expect("loop");
    engine.forget_finished();
    Run {
        seconds,
        cpu_ns: cpu,
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn per_10k(run: &Run, jobs: usize) -> Option<f64> {
    run.cpu_ns
        .map(|ns| ns as f64 / 1e9 * 10_000.0 / jobs as f64)
}

fn main() {
    // `cargo test --benches` runs bench binaries with `--bench` absent;
    // measure only under `cargo bench`.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let full: usize = std::env::var("BENCH_JOBS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);

    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("engine runtime");
        rt.block_on(async {
            let engine = Engine::start().await;
            sender.send(engine).expect("hand over the engine");
            std::future::pending::<()>().await;
        });
    });
    let engine = receiver.recv().expect("engine");

    let threads = RuntimeThreads::default();
    let rt = threads.runtime(2).expect("client runtime");
    let camunda = Camunda::builder()
        .orchestration_url(engine.url())
        .build()
        .expect("client");

    println!(
        "jobs/s through the worker vs. a hand-written activate-then-complete loop (same client, same run)"
    );
    for concurrency in [1u32, 32, 256] {
        let jobs = if concurrency == 1 { full / 5 } else { full };
        let mut ratios = Vec::new();
        let mut worker_rates = Vec::new();
        let mut loop_rates = Vec::new();
        let mut worker_cpu = Vec::new();
        let mut loop_cpu = Vec::new();
        // Warm-up: open the pool's connections for this concurrency.
        run_worker(
            &rt,
            &camunda,
            &engine,
            &threads,
            &format!("warm-w{concurrency}"),
            concurrency,
            concurrency as usize * 4,
        );
        run_loop(
            &rt,
            &camunda,
            &engine,
            &threads,
            &format!("warm-l{concurrency}"),
            concurrency,
            concurrency as usize * 4,
        );
        for round in 0..rounds {
            let w = run_worker(
                &rt,
                &camunda,
                &engine,
                &threads,
                &format!("w{concurrency}-{round}"),
                concurrency,
                jobs,
            );
            let l = run_loop(
                &rt,
                &camunda,
                &engine,
                &threads,
                &format!("l{concurrency}-{round}"),
                concurrency,
                jobs,
            );
            let (wr, lr) = (jobs as f64 / w.seconds, jobs as f64 / l.seconds);
            ratios.push(wr / lr);
            worker_rates.push(wr);
            loop_rates.push(lr);
            worker_cpu.extend(per_10k(&w, jobs));
            loop_cpu.extend(per_10k(&l, jobs));
        }
        let cpu = |v: &Vec<f64>| {
            if v.is_empty() {
                "n/a".to_owned()
            } else {
                format!("{:.3} s", median(v.clone()))
            }
        };
        println!(
            "max {concurrency:>3} concurrent jobs, {jobs} jobs x {rounds} rounds: worker {:>7.0} jobs/s, loop {:>7.0} jobs/s, ratio {:.2} (median of rounds {:?}); client CPU per 10,000 jobs: worker {}, loop {}",
            median(worker_rates),
            median(loop_rates),
            median(ratios.clone()),
            ratios
                .iter()
                .map(|r| (r * 100.0).round() / 100.0)
                .collect::<Vec<_>>(),
            cpu(&worker_cpu),
            cpu(&loop_cpu),
        );
    }
}
