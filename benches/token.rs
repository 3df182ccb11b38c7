//! Token cache benchmarks.
//!
//! 1. The cached-token path (`TokenSource::token` on a warm key) against a
//!    baseline measured in the same run: cloning the value out of an
//!    uncontended `Arc<RwLock<String>>`. Besides criterion's report, a
//!    summary line prints both figures in ns per call and their ratio.
//! 2. Cold start: 1,000 concurrent callers on a new cache. Asserts (and
//!    prints) that exactly one token request was sent; reports the time.

use std::hint::black_box;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use camunda8::auth::{ClientCredentials, TokenBodyFormat, TokenCache, TokenSource};
use criterion::{Criterion, criterion_group, criterion_main};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const CALLERS: usize = 1_000;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

fn credentials(url: &str) -> ClientCredentials {
    ClientCredentials {
        token_url: url.parse().expect("url"),
        client_id: "bench-client".into(),
        client_secret: "bench-secret".into(),
        audience: "zeebe.camunda.io".into(),
        scope: None,
        body_format: TokenBodyFormat::Form,
    }
}

async fn token_server() -> (MockServer, String) {
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "bench-token",
            "token_type": "Bearer",
            "expires_in": 3600
        })))
        .mount(&server)
        .await;
    let url = format!("{}/oauth/token", server.uri());
    (server, url)
}

fn warm_source(rt: &tokio::runtime::Runtime, url: &str) -> (TokenCache, TokenSource) {
    let cache = TokenCache::builder().build().expect("cache");
    let source = cache.source(credentials(url));
    rt.block_on(source.token()).expect("first token");
    (cache, source)
}

/// ns per call of `f`, over `n` calls inside one `block_on`.
fn ns_per_call<F, Fut, T>(rt: &tokio::runtime::Runtime, n: u32, f: F) -> f64
where
    F: Fn() -> Fut,
    Fut: Future<Output = T>,
{
    rt.block_on(async {
        let start = Instant::now();
        for _ in 0..n {
            black_box(f().await);
        }
        start.elapsed().as_nanos() as f64 / f64::from(n)
    })
}

fn cached_path(c: &mut Criterion) {
    let rt = runtime();
    let (_server, url) = rt.block_on(token_server());
    let (cache, source) = warm_source(&rt, &url);
    let baseline = Arc::new(RwLock::new(String::from("bench-token")));

    let mut group = c.benchmark_group("cached_token");
    group.measurement_time(Duration::from_secs(3));
    group.warm_up_time(Duration::from_secs(1));
    group.bench_function("baseline_arc_rwlock_string_clone", |b| {
        b.to_async(&rt)
            .iter(|| async { baseline.read().map(|s| s.clone()).unwrap_or_default() })
    });
    group.bench_function("token_source_token", |b| {
        b.to_async(&rt)
            .iter(|| async { source.token().await.expect("cached") })
    });
    group.finish();

    // Same-run summary with a ratio (best of 5 rounds of 200,000 calls).
    let rounds = 5;
    let n = 200_000;
    let best = |f: &dyn Fn() -> f64| (0..rounds).map(|_| f()).fold(f64::MAX, f64::min);
    let base = best(&|| {
        ns_per_call(&rt, n, || async {
            baseline.read().map(|s| s.clone()).unwrap_or_default()
        })
    });
    let token = best(&|| ns_per_call(&rt, n, || async { source.token().await.expect("cached") }));
    println!(
        "SUMMARY cached token: {token:.1} ns/call; baseline Arc<RwLock<String>> clone: {base:.1} ns/call; ratio {:.2}x; token requests sent: {}",
        token / base,
        cache.stats().token_requests
    );
    assert_eq!(
        cache.stats().token_requests,
        1,
        "the warm path sends no request"
    );
}

async fn cold_start(url: &str) -> (Duration, u64) {
    let cache = TokenCache::builder().build().expect("cache");
    let source = cache.source(credentials(url));
    let start = Instant::now();
    let tasks: Vec<_> = (0..CALLERS)
        .map(|_| {
            let source = source.clone();
            tokio::spawn(async move { source.token().await })
        })
        .collect();
    for task in tasks {
        task.await.expect("task").expect("token");
    }
    let elapsed = start.elapsed();
    let requests = cache.stats().token_requests;
    assert_eq!(requests, 1, "{CALLERS} cold callers must cause one request");
    (elapsed, requests)
}

fn cold_start_thousand(c: &mut Criterion) {
    let rt = runtime();
    let (_server, url) = rt.block_on(token_server());
    let mut group = c.benchmark_group("cold_start");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("1000_concurrent_callers", |b| {
        b.to_async(&rt).iter_custom(|iters| {
            let url = url.clone();
            async move {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    total += cold_start(&url).await.0;
                }
                total
            }
        })
    });
    group.finish();

    let runs: Vec<_> = (0..10).map(|_| rt.block_on(cold_start(&url))).collect();
    let mut times: Vec<_> = runs.iter().map(|(t, _)| *t).collect();
    times.sort();
    println!(
        "SUMMARY cold start, {CALLERS} concurrent callers: token requests per start {:?}; median {:?}, min {:?}, max {:?}",
        runs.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}

criterion_group!(benches, cached_path, cold_start_thousand);
criterion_main!(benches);
