//! Throughput and CPU per request through `Camunda`'s Zeebe client, against
//! the same request written by hand with reqwest the cheapest way a careful
//! user would (own client, no proxy lookup, no timeouts, an `Authorization`
//! value built once at start, typed decode), at concurrency 1, 64 and 1,000.
//!
//! The loopback HTTP/1.1 server runs in a **separate process** (this binary,
//! started again with `CAMUNDA8_BENCH_SERVER=1`), so the CPU time this
//! process reports (`/proc/self/stat`: user + system, all threads, exited
//! ones included) is the client's alone.
//!
//! The last column counts the client's context switches per 100 requests
//! (`/proc/self/task/*/status`, median over rounds): on a machine with few
//! cores shared with the server, a variant that makes the runtime's threads
//! park and wake more often pays for it in CPU beyond its instructions.
//!
//! Rounds are interleaved (each round runs every variant once, in rotated
//! order) so machine noise hits all of them alike; what is reported per
//! concurrency is the median over rounds of the per-round ratios against
//! the hand-written baseline: throughput (target ≥ 0.95) and CPU per request
//! (target ≤ 1.10). Besides camunda8 (static bearer token; the same on the
//! baseline's own `reqwest::Client`, which isolates the layer from its
//! client settings, and on the timeouts variant's client; OAuth with a
//! cached token), the baseline is also run with reqwest's system proxy
//! lookup, with connect/request timeouts, and with its URL parsed once
//! (`parsed`: camunda8 builds request URLs from a base parsed once, which
//! spares the parse of the whole URL that a string costs per request), to
//! show what each costs.
//!
//! `CAMUNDA8_BENCH_ROUNDS` (default 11), `CAMUNDA8_BENCH_SCALE` (default
//! 1.0, multiplies the requests per round), `CAMUNDA8_BENCH_VARIANTS` and
//! `CAMUNDA8_BENCH_CONCURRENCY` tune the run; the criterion group at
//! concurrency 1 runs first unless `CAMUNDA8_BENCH_SKIP_CRITERION` is set.
//! `CAMUNDA8_BENCH_TRACING=info` (or another level) installs a
//! `tracing-subscriber` fmt subscriber at that level, writing nowhere, as
//! an application that logs would have: what the crate's spans cost then.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use camunda8::backpressure::GateSettings;
use camunda8::{Camunda, RetryPolicy, Secret};
use camunda8_test::loopback::Loopback;
use criterion::{Criterion, criterion_group};

const SERVER_ENV: &str = "CAMUNDA8_BENCH_SERVER";

const TOPOLOGY: &str = r#"{"brokers":[{"nodeId":0,"host":"zeebe-0","port":26501,"version":"8.6.7","partitions":[{"partitionId":1,"role":"leader","health":"healthy"}]}],"clusterSize":1,"partitionsCount":1,"replicationFactor":1,"gatewayVersion":"8.6.7"}"#;

/// The server process: camunda8-test's loopback server (keep-alive
/// HTTP/1.1, `POST /oauth/token` answered with a token, every other request
/// with the topology) on a multi-thread runtime; prints its address on the
/// first line of stdout and serves until killed.
fn serve() {
    let runtime = tokio::runtime::Runtime::new().expect("server runtime");
    let server = Loopback::start_on(runtime, TOPOLOGY).expect("loopback server");
    println!("{}", server.url());
    loop {
        std::thread::park();
    }
}

/// Starts the server process; its address.
fn start_server() -> (Child, String) {
    let mut child = Command::new(std::env::current_exe().expect("own path"))
        .env(SERVER_ENV, "1")
        .stdout(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .expect("server process");
    let stdout = child.stdout.take().expect("server stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("server address");
    (child, line.trim().to_owned())
}

/// The sum over this process's live threads of `count`, applied to each
/// thread's `/proc/self/task/<tid>/<file>` (a thread whose file cannot be
/// read counts 0).
fn sum_over_threads(file: &str, count: impl Fn(&str) -> u64) -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .filter_map(Result::ok)
        .filter_map(|task| std::fs::read_to_string(task.path().join(file)).ok())
        .map(|text| count(&text))
        .sum()
}

/// CPU time of this process's live threads so far, in nanoseconds: the sum
/// of the first field of `/proc/self/task/*/schedstat` (time on CPU). The
/// runtime's threads live through the whole run, so no time is lost to
/// threads that exited; [`cpu_ticks`] (whole process, 10 ms resolution)
/// cross-checks it.
fn cpu_nanos() -> u64 {
    sum_over_threads("schedstat", |s| {
        s.split_whitespace()
            .next()
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    })
}

/// Context switches (voluntary and involuntary) of this process's live
/// threads so far (`/proc/self/task/*/status`).
fn context_switches() -> u64 {
    sum_over_threads("status", |status| {
        status
            .lines()
            .filter(|l| l.contains("ctxt_switches"))
            .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            .sum()
    })
}

/// CPU time (user + system) of this process so far, all threads included,
/// in clock ticks (`/proc/self/stat`, fields 14 and 15).
fn cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // after the name: state is field 3, so field n is at index n - 3
    field(11) + field(12)
}

fn ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse::<f64>().ok())
        .unwrap_or(100.0)
}

/// The ways of sending the request that are compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Variant {
    /// By hand: own client, no proxy lookup, no timeouts.
    Baseline,
    /// By hand, with reqwest's system proxy lookup (its default).
    BaselineSystemProxy,
    /// By hand, the URL parsed once and copied for each request (what
    /// camunda8 does with its base URL) instead of a string reqwest parses.
    BaselineParsedUrl,
    /// By hand, with connect and request timeouts (10 s / 30 s).
    BaselineTimeouts,
    /// camunda8, static bearer token.
    Camunda,
    /// camunda8, static bearer token, on the baseline's `reqwest::Client`
    /// (no timeouts): the layer's own cost, without its client settings.
    CamundaOwnClient,
    /// camunda8, static bearer token, on the timeouts variant's client: what
    /// the default client's timeouts cost the layer.
    CamundaTimeoutsClient,
    /// camunda8, static bearer token, the backpressure gate off: what the
    /// gate costs.
    CamundaNoGate,
    /// camunda8, OAuth client credentials with a cached token.
    CamundaOAuth,
}

const VARIANTS: [Variant; 9] = [
    Variant::Baseline,
    Variant::BaselineSystemProxy,
    Variant::BaselineParsedUrl,
    Variant::BaselineTimeouts,
    Variant::Camunda,
    Variant::CamundaOwnClient,
    Variant::CamundaTimeoutsClient,
    Variant::CamundaNoGate,
    Variant::CamundaOAuth,
];

impl Variant {
    fn short(self) -> &'static str {
        match self {
            Variant::Baseline => "baseline",
            Variant::BaselineSystemProxy => "proxy",
            Variant::BaselineParsedUrl => "parsed",
            Variant::BaselineTimeouts => "timeouts",
            Variant::Camunda => "camunda",
            Variant::CamundaOwnClient => "own",
            Variant::CamundaTimeoutsClient => "owntimeouts",
            Variant::CamundaNoGate => "nogate",
            Variant::CamundaOAuth => "oauth",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Variant::Baseline => "hand-written reqwest (baseline)",
            Variant::BaselineSystemProxy => "hand-written + system proxy lookup",
            Variant::BaselineParsedUrl => "hand-written, URL parsed once",
            Variant::BaselineTimeouts => "hand-written + connect/request timeouts",
            Variant::Camunda => "camunda8 (static bearer)",
            Variant::CamundaOwnClient => "camunda8 (static, baseline's client)",
            Variant::CamundaTimeoutsClient => "camunda8 (static, timeouts client)",
            Variant::CamundaNoGate => "camunda8 (static, gate off)",
            Variant::CamundaOAuth => "camunda8 (OAuth, cached token)",
        }
    }
}

struct Setup {
    camunda: Camunda,
    camunda_own_client: Camunda,
    camunda_timeouts_client: Camunda,
    camunda_no_gate: Camunda,
    oauth: Camunda,
    baseline: reqwest::Client,
    baseline_proxy: reqwest::Client,
    baseline_timeouts: reqwest::Client,
    url: String,
    parsed_url: reqwest::Url,
    authorization: http::HeaderValue,
}

fn setup(base: &str) -> Setup {
    let camunda = Camunda::builder()
        .zeebe_url(base)
        .bearer_token(Secret::new("bench-token"))
        .build()
        .expect("client");
    let camunda_no_gate = Camunda::builder()
        .zeebe_url(base)
        .bearer_token(Secret::new("bench-token"))
        .retry_policy(RetryPolicy::new().gate(GateSettings::off()))
        .build()
        .expect("client");
    let oauth = Camunda::builder()
        .zeebe_url(base)
        .oauth_url(format!("{base}/oauth/token"))
        .client_credentials("bench-client", "bench-secret")
        .build()
        .expect("client");
    let baseline = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let camunda_own_client = Camunda::with_http_client(
        &camunda8::Config::new()
            .zeebe_url(base)
            .bearer_token(Secret::new("bench-token")),
        baseline.clone(),
    )
    .expect("client");
    let baseline_proxy = reqwest::Client::builder().build().expect("client");
    let baseline_timeouts = reqwest::Client::builder()
        .no_proxy()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let camunda_timeouts_client = Camunda::with_http_client(
        &camunda8::Config::new()
            .zeebe_url(base)
            .bearer_token(Secret::new("bench-token")),
        baseline_timeouts.clone(),
    )
    .expect("client");
    // Built at run time, as a program must for a token it reads from its
    // configuration or gets from a token endpoint (`from_static` would make
    // every clone free, which no real token allows).
    let token = String::from("bench-token");
    let mut authorization =
        http::HeaderValue::from_str(&format!("Bearer {token}")).expect("header value");
    authorization.set_sensitive(true);
    Setup {
        camunda,
        camunda_own_client,
        camunda_timeouts_client,
        camunda_no_gate,
        oauth,
        baseline,
        baseline_proxy,
        baseline_timeouts,
        url: format!("{base}/v1/topology"),
        parsed_url: reqwest::Url::parse(&format!("{base}/v1/topology")).expect("url"),
        authorization,
    }
}

async fn one(setup: &Setup, variant: Variant) {
    match variant {
        Variant::Baseline => by_hand(setup, &setup.baseline, &setup.url).await,
        Variant::BaselineSystemProxy => by_hand(setup, &setup.baseline_proxy, &setup.url).await,
        Variant::BaselineParsedUrl => {
            by_hand(setup, &setup.baseline, setup.parsed_url.clone()).await
        }
        Variant::BaselineTimeouts => by_hand(setup, &setup.baseline_timeouts, &setup.url).await,
        Variant::Camunda => topology(&setup.camunda).await,
        Variant::CamundaOwnClient => topology(&setup.camunda_own_client).await,
        Variant::CamundaTimeoutsClient => topology(&setup.camunda_timeouts_client).await,
        Variant::CamundaNoGate => topology(&setup.camunda_no_gate).await,
        Variant::CamundaOAuth => topology(&setup.oauth).await,
    }
}

async fn topology(camunda: &Camunda) {
    let zeebe = camunda.zeebe().expect("zeebe configured");
    let topology = zeebe.get_topology().send().await.expect("topology");
    std::hint::black_box(topology.into_inner());
}

/// The request written by hand, on `client`, to `url` (the URL string, or
/// the URL parsed once).
async fn by_hand(setup: &Setup, client: &reqwest::Client, url: impl reqwest::IntoUrl) {
    let response = client
        .get(url)
        .header(http::header::AUTHORIZATION, setup.authorization.clone())
        .header(
            http::header::ACCEPT,
            http::HeaderValue::from_static("application/json"),
        )
        .send()
        .await
        .expect("send");
    let topology: camunda8::zeebe::types::TopologyResponse = response.json().await.expect("decode");
    std::hint::black_box(topology);
}

/// What one run of one variant took.
struct Spent {
    wall: Duration,
    /// CPU nanoseconds ([`cpu_nanos`]).
    cpu_ns: u64,
    /// CPU clock ticks ([`cpu_ticks`]).
    ticks: u64,
    /// Context switches ([`context_switches`]).
    switches: u64,
}

/// `total` requests of `variant`, `concurrency` at a time.
async fn run(setup: &Arc<Setup>, variant: Variant, concurrency: usize, total: usize) -> Spent {
    let per_task = total / concurrency;
    let switches = context_switches();
    let ticks = cpu_ticks();
    let cpu = cpu_nanos();
    let start = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let setup = Arc::clone(setup);
            tokio::spawn(async move {
                for _ in 0..per_task {
                    one(&setup, variant).await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task");
    }
    Spent {
        wall: start.elapsed(),
        cpu_ns: cpu_nanos().saturating_sub(cpu),
        ticks: cpu_ticks().saturating_sub(ticks),
        switches: context_switches().saturating_sub(switches),
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn criterion_group_at_concurrency_one(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (mut server, base) = start_server();
    let setup = setup(&base);
    let mut group = c.benchmark_group("topology_request");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for variant in [Variant::Baseline, Variant::Camunda, Variant::CamundaOAuth] {
        group.bench_function(variant.name(), |b| {
            b.to_async(&runtime).iter(|| one(&setup, variant))
        });
    }
    group.finish();
    let _ = server.kill();
    let _ = server.wait();
}

criterion_group!(benches, criterion_group_at_concurrency_one);

fn interleaved_rounds() {
    let rounds: usize = std::env::var("CAMUNDA8_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(11)
        .max(1);
    let scale: f64 = std::env::var("CAMUNDA8_BENCH_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1.0);
    let tick = ticks_per_second();
    // CAMUNDA8_BENCH_VARIANTS: a comma list of baseline, proxy, timeouts,
    // camunda, own, oauth (default: all); the baseline always runs first, unless
    // the list says `only` (then the ratios are against the first listed:
    // meant for instruction counts under callgrind, one variant per run).
    let wanted = std::env::var("CAMUNDA8_BENCH_VARIANTS").unwrap_or_default();
    let only = wanted.split(',').any(|w| w.trim() == "only");
    let variants: Vec<Variant> = VARIANTS
        .into_iter()
        .filter(|v| {
            (*v == Variant::Baseline && !only)
                || wanted.is_empty()
                || wanted.split(',').any(|w| w.trim() == v.short())
        })
        .collect();
    // CAMUNDA8_BENCH_CONCURRENCY: a comma list (default 1,64,1000).
    let levels: Vec<usize> = std::env::var("CAMUNDA8_BENCH_CONCURRENCY")
        .ok()
        .map(|v| v.split(',').filter_map(|c| c.trim().parse().ok()).collect())
        .filter(|l: &Vec<usize>| !l.is_empty())
        .unwrap_or_else(|| vec![1, 64, 1000]);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (mut server, base) = start_server();
    let setup = Arc::new(setup(&base));
    println!(
        "server: separate process (pid {}); CPU: this process only (client side): \
         /proc/self/task/*/schedstat in ns, and /proc/self/stat at {tick} ticks/s",
        server.id()
    );
    // What one request's future occupies (moved when awaited, held per task).
    let camunda_future = topology(&setup.camunda);
    let baseline_future = by_hand(&setup, &setup.baseline, &setup.url);
    println!(
        "future sizes: camunda8 call {} bytes, hand-written call {} bytes",
        std::mem::size_of_val(&camunda_future),
        std::mem::size_of_val(&baseline_future)
    );
    drop((camunda_future, baseline_future));
    for concurrency in levels.into_iter().filter(|c| *c > 0) {
        let requests = if concurrency == 1 { 10_000 } else { 30_000 };
        let total = ((requests as f64 * scale) as usize / concurrency).max(1) * concurrency;
        let mut wall = vec![Vec::new(); variants.len()];
        let mut cpu = vec![Vec::new(); variants.len()];
        let mut ticks = vec![0u64; variants.len()];
        let mut switches = vec![Vec::new(); variants.len()];
        runtime.block_on(async {
            // warm up: connections for every variant, the OAuth token
            for &variant in &variants {
                run(&setup, variant, concurrency, concurrency * 4).await;
            }
            for round in 0..rounds {
                for step in 0..variants.len() {
                    let i = (round + step) % variants.len();
                    let spent = run(&setup, variants[i], concurrency, total).await;
                    wall[i].push(spent.wall.as_secs_f64());
                    cpu[i].push(spent.cpu_ns as f64);
                    ticks[i] += spent.ticks;
                    switches[i].push(spent.switches as f64 * 100.0 / total as f64);
                }
            }
        });
        println!(
            "\nconcurrency {concurrency}: {rounds} interleaved rounds of {total} requests per variant"
        );
        println!(
            "  {:<42} {:>10} {:>12} {:>12} {:>12} {:>12} {:>10}",
            "variant", "req/s", "CPU µs/req", "throughput", "CPU/req", "CPU µs/req", "switches"
        );
        println!(
            "  {:<42} {:>10} {:>12} {:>12} {:>12} {:>12} {:>10}",
            "", "(median)", "(median)", "vs baseline", "vs baseline", "(all, ticks)", "/100 req"
        );
        for (i, variant) in variants.iter().enumerate() {
            let rate = median(wall[i].iter().map(|w| total as f64 / w).collect());
            let cpu_us = median(cpu[i].iter().map(|ns| ns / 1e3 / total as f64).collect());
            let ticks_us = ticks[i] as f64 / tick * 1e6 / (total * rounds) as f64;
            let throughput_ratio =
                median(wall[0].iter().zip(&wall[i]).map(|(b, v)| b / v).collect());
            let cpu_ratio = median(
                cpu[0]
                    .iter()
                    .zip(&cpu[i])
                    .map(|(b, v)| if *b > 0.0 { v / b } else { f64::NAN })
                    .collect(),
            );
            println!(
                "  {:<42} {:>10.0} {:>12.2} {:>12.3} {:>12.3} {:>12.2} {:>10.1}",
                variant.name(),
                rate,
                cpu_us,
                throughput_ratio,
                cpu_ratio,
                ticks_us,
                median(switches[i].clone())
            );
        }
    }
    println!("\ntargets: camunda8 throughput ratio >= 0.95, CPU/req ratio <= 1.10");
    let _ = server.kill();
    let _ = server.wait();
}

fn main() {
    if std::env::var_os(SERVER_ENV).is_some() {
        serve();
        return;
    }
    if let Some(level) = std::env::var("CAMUNDA8_BENCH_TRACING")
        .ok()
        .and_then(|l| l.parse::<tracing::Level>().ok())
    {
        tracing_subscriber::fmt()
            .with_max_level(level)
            .with_writer(std::io::sink)
            .init();
    }
    if std::env::var_os("CAMUNDA8_BENCH_SKIP_CRITERION").is_none() {
        benches();
        Criterion::default().configure_from_args().final_summary();
    }
    interleaved_rounds();
}
