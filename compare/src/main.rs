//! camunda8 beside Camunda's official Rust crate (`camunda-orchestration-sdk`
//! 10.0.0) and hand-written reqwest, measured in one run on one machine:
//!
//! ```sh
//! cd compare
//! cargo run --release -- calls    # topology GET, 1 to 1,000 in flight; writes throughput.svg
//! cargo run --release -- worker   # jobs/s and CPU per job, 32 and 256 jobs in flight
//! cargo run --release -- build    # clean debug build of a one-line binary
//! cargo run --release -- ablate   # camunda8 with one cost removed at a time
//! # one client alone, e.g. under `valgrind --tool=callgrind` (instructions
//! # do not drift with the machine's load):
//! cargo run --release -- one --client camunda8 --requests 5000 --concurrency 64
//! cargo run --release -- one-worker --client camunda8 --jobs 2000 --in-flight 32
//! ```
//!
//! Options: `--rounds N`, `--requests N` (calls, per client per round),
//! `--concurrency 1,64,1000` (calls, ablate), `--variants
//! no-timeout,http1,no-gate,no-credential,bare,gate256,no-pause`
//! (ablate), `--gate-permits N` and `--yield-above N` (camunda8's gate
//! limit and pause threshold, `GateSettings`, in calls, one, worker and
//! one-worker),
//! `--warm-up N` (one), `--jobs N` and `--in-flight 32,256`
//! (worker). Rounds are interleaved: each round runs every client once, in
//! an order rotated from round to round, so the machine's drift hits all
//! alike; ratios are taken within a round and the median over rounds is
//! reported beside the lowest and highest.

mod ablate;
mod build_time;
mod calls;
mod chart;
mod worker;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use camunda8::backpressure::GateSettings;
use camunda8_test::cpu::RuntimeThreads;
use camunda8_test::loopback::{Loopback, TOPOLOGY};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(command) = args.first().cloned() else {
        eprintln!(
            "usage: camunda8-compare calls|ablate|worker|build|one|one-worker [--rounds N] …"
        );
        return ExitCode::from(2);
    };
    let options = match Options::parse(&args[1..]) {
        Ok(options) => options,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let result = match command.as_str() {
        "calls" => calls(&options),
        "ablate" => ablate(&options),
        "worker" => workers(&options),
        "build" => builds(&options),
        "one" => one(&options),
        "one-worker" => one_worker(&options),
        other => Err(format!(
            "unknown command `{other}`: calls, ablate, worker, build, one or one-worker"
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("camunda8-compare: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `--name value` pairs.
struct Options(BTreeMap<String, String>);

impl Options {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut map = BTreeMap::new();
        let mut it = args.iter();
        while let Some(name) = it.next() {
            let Some(name) = name.strip_prefix("--") else {
                return Err(format!("expected --name value, found `{name}`"));
            };
            let value = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
            map.insert(name.to_owned(), value.clone());
        }
        Ok(Self(map))
    }

    fn number(&self, name: &str, default: usize) -> Result<usize, String> {
        match self.0.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| format!("--{name}: `{v}` is not a whole number")),
        }
    }

    fn list(&self, name: &str, default: &[usize]) -> Result<Vec<usize>, String> {
        match self.0.get(name) {
            None => Ok(default.to_vec()),
            Some(v) => v
                .split(',')
                .map(|n| {
                    n.trim()
                        .parse::<usize>()
                        .ok()
                        .filter(|&n| n > 0)
                        .ok_or_else(|| format!("--{name}: `{n}` is not a positive number"))
                })
                .collect(),
        }
    }
}

/// camunda8's gate settings from `--gate-permits N` (its limit) and
/// `--yield-above N` (`GateSettings::yield_above`), if either is given.
fn camunda8_gate(options: &Options) -> Result<Option<GateSettings>, String> {
    let number = |name: &str| -> Result<Option<u32>, String> {
        options
            .0
            .get(name)
            .map(|v| {
                v.parse()
                    .map_err(|_| format!("--{name}: `{v}` is not a whole number"))
            })
            .transpose()
    };
    let (permits, yield_above) = (number("gate-permits")?, number("yield-above")?);
    if permits.is_none() && yield_above.is_none() {
        return Ok(None);
    }
    let mut gate = GateSettings::default();
    if let Some(permits) = permits {
        gate = gate.max_permits(permits);
    }
    if let Some(requests) = yield_above {
        gate = gate.yield_above(requests);
    }
    Ok(Some(gate))
}

/// The median, lowest and highest of `values`.
fn spread(values: &[f64]) -> (f64, f64, f64) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    // An even count has two middle values: their mean.
    let n = sorted.len();
    let median = match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => sorted[n / 2],
        _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    };
    let low = sorted.first().copied().unwrap_or(f64::NAN);
    let high = sorted.last().copied().unwrap_or(f64::NAN);
    (median, low, high)
}

fn ratio_text(values: &[f64]) -> String {
    let (median, low, high) = spread(values);
    format!("{median:.2} ({low:.2}–{high:.2})")
}

fn compare_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn calls(options: &Options) -> Result<(), String> {
    let rounds = options.number("rounds", 7)?;
    let requests = options.number("requests", 20_000)?;
    let levels = options.list("concurrency", &[1, 16, 64, 256, 1000])?;
    let server = Loopback::start(TOPOLOGY).map_err(|e| format!("server: {e}"))?;
    let threads = RuntimeThreads::default();
    let rt = threads.runtime(2).map_err(|e| format!("runtime: {e}"))?;
    let clients = Arc::new(rt.block_on(calls::Clients::new(&server, camunda8_gate(options)?))?);
    println!("## Call path: GET /v2/topology with OAuth, {rounds} interleaved rounds\n");
    for client in calls::Client::ALL {
        let sends = rt.block_on(clients.sends_credential(client))?;
        println!(
            "- {}: {}",
            client.name(),
            if sends {
                "sends the token on every request"
            } else {
                "fetches a token but sends **no** `Authorization` header"
            }
        );
    }
    for client in calls::Client::ALL {
        println!(
            "- {}: a request's future is {} bytes",
            client.name(),
            clients.future_size(client)
        );
    }
    println!(
        "\n| in flight | client | requests/s | CPU µs/request | camunda8 ÷ official (throughput) | official ÷ camunda8 (CPU/request) | camunda8 ÷ reqwest (throughput) |\n|---|---|---|---|---|---|---|"
    );
    let mut chart: BTreeMap<&str, Vec<(f64, f64)>> = BTreeMap::new();
    for &level in &levels {
        let total = if level == 1 { requests / 4 } else { requests };
        for client in calls::Client::ALL {
            calls::run(
                &rt,
                &clients,
                &threads,
                client,
                level,
                (total / 10).max(level),
            )?;
        }
        let mut rate: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        let mut cpu: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        let (mut vs_official, mut cpu_vs_official, mut vs_reqwest) = (vec![], vec![], vec![]);
        for round in 0..rounds {
            let mut order = calls::Client::ALL.to_vec();
            let n = order.len();
            order.rotate_left(round % n);
            let mut this: BTreeMap<&str, (f64, Option<f64>)> = BTreeMap::new();
            for client in order {
                let spent = calls::run(&rt, &clients, &threads, client, level, total)?;
                let r = total as f64 / spent.seconds;
                let c = spent.cpu_ns.map(|ns| ns as f64 / total as f64 / 1_000.0);
                rate.entry(client.name()).or_default().push(r);
                cpu.entry(client.name()).or_default().extend(c);
                this.insert(client.name(), (r, c));
            }
            let ours = this[calls::Client::Camunda8.name()];
            let theirs = this[calls::Client::Official.name()];
            let floor = this[calls::Client::Reqwest.name()];
            vs_official.push(ours.0 / theirs.0);
            vs_reqwest.push(ours.0 / floor.0);
            if let (Some(a), Some(b)) = (ours.1, theirs.1) {
                cpu_vs_official.push(b / a);
            }
        }
        for client in calls::Client::ALL {
            let (r, _, _) = spread(&rate[client.name()]);
            let c = cpu
                .get(client.name())
                .filter(|v| !v.is_empty())
                .map(|v| format!("{:.1}", spread(v).0))
                .unwrap_or_else(|| "n/a".into());
            let ratios = if client == calls::Client::Camunda8 {
                format!(
                    "{} | {} | {}",
                    ratio_text(&vs_official),
                    if cpu_vs_official.is_empty() {
                        "n/a".into()
                    } else {
                        ratio_text(&cpu_vs_official)
                    },
                    ratio_text(&vs_reqwest)
                )
            } else {
                " | | ".into()
            };
            println!("| {level} | {} | {r:.0} | {c} | {ratios} |", client.name());
            chart
                .entry(client.name())
                .or_default()
                .push((level as f64, r));
        }
    }
    let colours = ["#888888", "#0b6e4f", "#fc5d0d"];
    let series: Vec<chart::Series> = calls::Client::ALL
        .iter()
        .zip(colours)
        .map(|(client, colour)| chart::Series {
            name: client.name().to_owned(),
            colour,
            points: chart.remove(client.name()).unwrap_or_default(),
        })
        .collect();
    let path = compare_dir().join("throughput.svg");
    std::fs::write(
        &path,
        chart::render(
            "GET /v2/topology with OAuth, loopback, 2 cores (median of rounds)",
            &series,
        ),
    )
    .map_err(|e| format!("{}: {e}", path.display()))?;
    println!("\nchart: {}", path.display());
    println!(
        "ratios: median of per-round ratios (lowest–highest); CPU: client runtime threads only"
    );
    Ok(())
}

/// camunda8 beside itself with one cost removed at a time (`ablate.rs`):
/// per variant, requests/s, CPU per request, and its throughput and CPU
/// against the full client's of the same round.
fn ablate(options: &Options) -> Result<(), String> {
    let rounds = options.number("rounds", 5)?;
    let requests = options.number("requests", 40_000)?;
    let levels = options.list("concurrency", &[64, 256, 1000])?;
    let server = Loopback::start(TOPOLOGY).map_err(|e| format!("server: {e}"))?;
    let threads = RuntimeThreads::default();
    let rt = threads.runtime(2).map_err(|e| format!("runtime: {e}"))?;
    let variants = ablate::Variant::parse_list(options.0.get("variants").map(String::as_str))?;
    let mut clients = Vec::new();
    for &variant in &variants {
        clients.push((variant, rt.block_on(variant.client(&server))?));
    }
    println!("## camunda8 with one cost removed: GET /v2/topology, {rounds} interleaved rounds\n");
    println!(
        "| in flight | variant | requests/s | CPU µs/request | throughput ÷ full | full's CPU/request ÷ this | connections opened in the rounds |\n|---|---|---|---|---|---|---|"
    );
    for &level in &levels {
        for (variant, client) in &clients {
            calls::run_with(&rt, client, &threads, level, (requests / 10).max(level))
                .map_err(|e| format!("{}: {e}", variant.name()))?;
        }
        let mut rate: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        let mut cpu: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        let mut vs_full: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        let mut cpu_vs_full: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        let mut opened: BTreeMap<&str, u64> = BTreeMap::new();
        for round in 0..rounds {
            let mut order: Vec<usize> = (0..clients.len()).collect();
            let n = order.len();
            order.rotate_left(round % n);
            let mut this: BTreeMap<&str, (f64, Option<f64>)> = BTreeMap::new();
            for i in order {
                let (variant, client) = &clients[i];
                let before = server.connections();
                let spent = calls::run_with(&rt, client, &threads, level, requests)
                    .map_err(|e| format!("{}: {e}", variant.name()))?;
                *opened.entry(variant.name()).or_default() += server.connections() - before;
                let r = requests as f64 / spent.seconds;
                let c = spent.cpu_ns.map(|ns| ns as f64 / requests as f64 / 1_000.0);
                rate.entry(variant.name()).or_default().push(r);
                cpu.entry(variant.name()).or_default().extend(c);
                this.insert(variant.name(), (r, c));
            }
            let full = this[ablate::Variant::Full.name()];
            for (name, (r, c)) in &this {
                vs_full.entry(name).or_default().push(r / full.0);
                if let (Some(c), Some(f)) = (c, full.1) {
                    cpu_vs_full.entry(name).or_default().push(f / c);
                }
            }
        }
        for variant in &variants {
            let name = variant.name();
            let (r, _, _) = spread(&rate[name]);
            let c = cpu
                .get(name)
                .filter(|v| !v.is_empty())
                .map(|v| format!("{:.1}", spread(v).0))
                .unwrap_or_else(|| "n/a".into());
            let cpu_ratio = cpu_vs_full
                .get(name)
                .filter(|v| !v.is_empty())
                .map(|v| ratio_text(v))
                .unwrap_or_else(|| "n/a".into());
            println!(
                "| {level} | {name} | {r:.0} | {c} | {} | {cpu_ratio} | {} |",
                ratio_text(&vs_full[name]),
                opened.get(name).copied().unwrap_or(0)
            );
        }
    }
    println!(
        "\nratios: median of per-round ratios (lowest–highest); CPU: client runtime threads only"
    );
    Ok(())
}

/// One client alone, `--requests` at `--concurrency` after a warm-up:
/// for instruction counts (`valgrind --tool=callgrind`), which the
/// machine's load does not move, unlike time.
fn one(options: &Options) -> Result<(), String> {
    let requests = options.number("requests", 5_000)?;
    let level = options.number("concurrency", 1)?.max(1);
    let client = match options.0.get("client").map(String::as_str) {
        Some("camunda8") => calls::Client::Camunda8,
        Some("official") => calls::Client::Official,
        Some("reqwest") => calls::Client::Reqwest,
        _ => return Err("--client camunda8|official|reqwest".into()),
    };
    let server = Loopback::start(TOPOLOGY).map_err(|e| format!("server: {e}"))?;
    let threads = RuntimeThreads::default();
    let rt = threads.runtime(2).map_err(|e| format!("runtime: {e}"))?;
    let clients = Arc::new(rt.block_on(calls::Clients::new(&server, camunda8_gate(options)?))?);
    let warm_up = options.number("warm-up", level.max(100))?;
    calls::run(&rt, &clients, &threads, client, level, warm_up.max(level))?;
    let opened = server.connections();
    let spent = calls::run(&rt, &clients, &threads, client, level, requests)?;
    println!(
        "{}: {requests} requests at {level} in flight in {:.3} s, {:.2} polls per request, future {} bytes, {} connections opened ({} in warm-up)",
        client.name(),
        spent.seconds,
        spent.polls_per_request.unwrap_or(f64::NAN),
        clients.future_size(client),
        server.connections() - opened,
        opened,
    );
    Ok(())
}

/// One worker alone: `--jobs` jobs with `--in-flight` at most in flight,
/// after a warm-up round of four times `--in-flight` jobs: for instruction
/// counts per job (`valgrind --tool=callgrind` at two values of `--jobs`,
/// the difference divided by the difference in jobs). camunda8's worker
/// sends its token on every call; the official crate's sends none (see
/// README).
fn one_worker(options: &Options) -> Result<(), String> {
    let jobs = options.number("jobs", 2_000)?;
    let level = options.number("in-flight", 32)?.max(1);
    let in_flight = u32::try_from(level).map_err(|_| "--in-flight too large".to_owned())?;
    let w = match options.0.get("client").map(String::as_str) {
        Some("camunda8") => worker::Worker::Camunda8,
        Some("official") => worker::Worker::Official,
        _ => return Err("--client camunda8|official".into()),
    };
    let server = Loopback::start(TOPOLOGY).map_err(|e| format!("server: {e}"))?;
    let setup = worker::setup(&server.url(), camunda8_gate(options)?)?;
    let threads = RuntimeThreads::default();
    let rt = threads.runtime(2).map_err(|e| format!("runtime: {e}"))?;
    // Looked at rarely: under callgrind every look costs instructions
    // that grow with wall time, not with jobs.
    let poll = std::time::Duration::from_millis(20);
    worker::run(&rt, &setup, &threads, w, "warm", in_flight, level * 4, poll)?;
    let before = setup.engine.summary().requests;
    let spent = worker::run(&rt, &setup, &threads, w, "measured", in_flight, jobs, poll)?;
    let after = setup.engine.summary().requests;
    println!(
        "{}: {jobs} jobs at {level} in flight in {:.3} s; {} activation and {} completion requests",
        w.name(),
        spent.seconds,
        after[0] - before[0],
        after[1] - before[1],
    );
    Ok(())
}

/// How often a timed worker run looks at the engine's completions.
const POLL: std::time::Duration = std::time::Duration::from_micros(500);

fn workers(options: &Options) -> Result<(), String> {
    let rounds = options.number("rounds", 5)?;
    let jobs = options.number("jobs", 20_000)?;
    let levels = options.list("in-flight", &[32, 256])?;
    let server = Loopback::start(TOPOLOGY).map_err(|e| format!("server: {e}"))?;
    let setup = worker::setup(&server.url(), camunda8_gate(options)?)?;
    let threads = RuntimeThreads::default();
    let rt = threads.runtime(2).map_err(|e| format!("runtime: {e}"))?;
    println!(
        "## Job workers against camunda8-test's engine, OAuth, {jobs} jobs × {rounds} interleaved rounds\n"
    );
    println!(
        "| in flight | worker | jobs/s | CPU µs/job | camunda8 ÷ official (jobs/s) | official ÷ camunda8 (CPU/job) |\n|---|---|---|---|---|---|"
    );
    for &level in &levels {
        let in_flight = u32::try_from(level).map_err(|_| "--in-flight too large".to_owned())?;
        for w in worker::Worker::ALL {
            worker::run(
                &rt,
                &setup,
                &threads,
                w,
                &format!("warm-{level}-{w:?}"),
                in_flight,
                level * 4,
                POLL,
            )?;
        }
        let mut rate: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        let mut cpu: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        let (mut vs, mut cpu_vs) = (vec![], vec![]);
        for round in 0..rounds {
            let mut order = worker::Worker::ALL.to_vec();
            let n = order.len();
            order.rotate_left(round % n);
            let mut this: BTreeMap<&str, (f64, Option<f64>)> = BTreeMap::new();
            for w in order {
                let spent = worker::run(
                    &rt,
                    &setup,
                    &threads,
                    w,
                    &format!("{w:?}-{level}-{round}"),
                    in_flight,
                    jobs,
                    POLL,
                )?;
                let r = jobs as f64 / spent.seconds;
                let c = spent.cpu_ns.map(|ns| ns as f64 / jobs as f64 / 1_000.0);
                rate.entry(w.name()).or_default().push(r);
                cpu.entry(w.name()).or_default().extend(c);
                this.insert(w.name(), (r, c));
            }
            let ours = this[worker::Worker::Camunda8.name()];
            let theirs = this[worker::Worker::Official.name()];
            vs.push(ours.0 / theirs.0);
            if let (Some(a), Some(b)) = (ours.1, theirs.1) {
                cpu_vs.push(b / a);
            }
        }
        for w in worker::Worker::ALL {
            let c = cpu
                .get(w.name())
                .filter(|v| !v.is_empty())
                .map(|v| format!("{:.1}", spread(v).0))
                .unwrap_or_else(|| "n/a".into());
            let ratios = if w == worker::Worker::Camunda8 {
                format!(
                    "{} | {}",
                    ratio_text(&vs),
                    if cpu_vs.is_empty() {
                        "n/a".into()
                    } else {
                        ratio_text(&cpu_vs)
                    }
                )
            } else {
                " | ".into()
            };
            println!(
                "| {level} | {} | {:.0} | {c} | {ratios} |",
                w.name(),
                spread(&rate[w.name()]).0
            );
        }
    }
    println!(
        "\nratios: median of per-round ratios (lowest–highest); CPU: client runtime threads only"
    );
    Ok(())
}

fn builds(options: &Options) -> Result<(), String> {
    let rounds = options.number("rounds", 3)?;
    let repository = compare_dir()
        .parent()
        .map(Path::to_path_buf)
        .ok_or("no repository folder")?;
    let root = compare_dir().join("target/one-line");
    let mut dirs = BTreeMap::new();
    for program in build_time::Program::ALL {
        dirs.insert(
            program.name(),
            build_time::prepare(&root, &repository, program)?,
        );
    }
    println!("## Clean debug build of a one-line binary, {rounds} interleaved rounds\n");
    // Per program: wall seconds, CPU seconds, and their ratios to the
    // baseline of the same round.
    let mut wall: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut cpu: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut wall_ratios: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut cpu_ratios: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for round in 0..rounds {
        let mut order = build_time::Program::ALL.to_vec();
        let n = order.len();
        order.rotate_left(round % n);
        let mut this = BTreeMap::new();
        for program in order {
            let t = build_time::build_once(&dirs[program.name()])?;
            let cpu_text = t.cpu.map(|c| format!(", {c:.1} s CPU")).unwrap_or_default();
            eprintln!(
                "round {round}: {} {:.1} s{cpu_text}",
                program.name(),
                t.wall
            );
            wall.entry(program.name()).or_default().push(t.wall);
            if let Some(c) = t.cpu {
                cpu.entry(program.name()).or_default().push(c);
            }
            this.insert(program.name(), t);
        }
        let base = this[build_time::Program::Baseline.name()];
        for program in build_time::Program::ALL {
            let t = this[program.name()];
            wall_ratios
                .entry(program.name())
                .or_default()
                .push(t.wall / base.wall);
            if let (Some(c), Some(b)) = (t.cpu, base.cpu) {
                cpu_ratios.entry(program.name()).or_default().push(c / b);
            }
        }
    }
    println!(
        "| program | wall s (median) | wall ÷ baseline | CPU s (median) | CPU ÷ baseline |\n|---|---|---|---|---|"
    );
    for program in build_time::Program::ALL {
        let name = program.name();
        let (w, _, _) = spread(&wall[name]);
        let (c, r) = match (cpu.get(name), cpu_ratios.get(name)) {
            (Some(c), Some(r)) => (format!("{:.1}", spread(c).0), ratio_text(r)),
            _ => ("–".into(), "–".into()),
        };
        println!(
            "| {name} | {w:.1} | {} | {c} | {r} |",
            ratio_text(&wall_ratios[name])
        );
    }
    println!(
        "\nCPU: user plus system seconds of cargo and the compilers it ran (less sensitive to the machine's load than wall time); every build non-incremental"
    );
    Ok(())
}
