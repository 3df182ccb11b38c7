//! Requests per second through `Camunda`'s Zeebe client against the same
//! request written by hand with reqwest, on the same connection pool, to a
//! loopback HTTP/1.1 server. The figure that matters is the ratio (target:
//! at least 0.95), measured in one run so machine noise affects both sides.

use std::time::{Duration, Instant};

use camunda8::{Camunda, Secret};
use criterion::{Criterion, criterion_group};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const TOPOLOGY: &str = r#"{"brokers":[{"nodeId":0,"host":"zeebe-0","port":26501,"version":"8.6.7","partitions":[{"partitionId":1,"role":"leader","health":"healthy"}]}],"clusterSize":1,"partitionsCount":1,"replicationFactor":1,"gatewayVersion":"8.6.7"}"#;

const TOKEN: &str =
    r#"{"access_token":"bench-oauth-token","token_type":"Bearer","expires_in":3600}"#;

/// A keep-alive HTTP/1.1 server answering `POST /oauth/token` with a token
/// and every other request with `body`.
async fn loopback_server(body: &'static str) -> std::io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buffer = Vec::with_capacity(4096);
                let mut chunk = [0u8; 4096];
                loop {
                    let Ok(read) = socket.read(&mut chunk).await else {
                        return;
                    };
                    if read == 0 {
                        return;
                    }
                    buffer.extend_from_slice(&chunk[..read]);
                    while let Some(end) = find(&buffer, b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
                        let length = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        if buffer.len() < end + 4 + length {
                            break;
                        }
                        buffer.drain(..end + 4 + length);
                        let body = if head.starts_with("post /oauth/token") {
                            TOKEN
                        } else {
                            body
                        };
                        let response = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        if socket.write_all(response.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    Ok(format!("http://{address}"))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

struct Setup {
    /// A static bearer token: the client's own overhead.
    camunda: Camunda,
    /// OAuth client credentials: adds the cached-token path.
    oauth: Camunda,
    url: String,
}

async fn setup() -> Setup {
    let base = loopback_server(TOPOLOGY).await.expect("loopback server");
    let camunda = Camunda::builder()
        .zeebe_url(&base)
        .bearer_token(Secret::new("bench-token"))
        .build()
        .expect("client");
    let oauth = Camunda::builder()
        .zeebe_url(&base)
        .oauth_url(format!("{base}/oauth/token"))
        .client_credentials("bench-client", "bench-secret")
        .build()
        .expect("client");
    Setup {
        camunda,
        oauth,
        url: format!("{base}/v1/topology"),
    }
}

async fn through_camunda(setup: &Setup) {
    topology(&setup.camunda).await;
}

async fn through_camunda_oauth(setup: &Setup) {
    topology(&setup.oauth).await;
}

async fn topology(camunda: &Camunda) {
    let zeebe = camunda.zeebe().expect("zeebe configured");
    let topology = zeebe.get_topology().send().await.expect("topology");
    std::hint::black_box(topology.into_inner());
}

async fn by_hand(setup: &Setup) {
    let response = setup
        .camunda
        .http_client()
        .get(&setup.url)
        .bearer_auth("bench-token")
        .header("accept", "application/json")
        .send()
        .await
        .expect("send");
    let topology: camunda8::zeebe::types::TopologyResponse = response.json().await.expect("decode");
    std::hint::black_box(topology);
}

fn requests(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let setup = runtime.block_on(setup());
    let mut group = c.benchmark_group("topology_request");
    group.bench_function("hand_written_reqwest", |b| {
        b.to_async(&runtime).iter(|| by_hand(&setup))
    });
    group.bench_function("camunda8_client", |b| {
        b.to_async(&runtime).iter(|| through_camunda(&setup))
    });
    group.bench_function("camunda8_client_oauth", |b| {
        b.to_async(&runtime).iter(|| through_camunda_oauth(&setup))
    });
    group.finish();

    // Interleaved rounds, alternating which side goes first, so both see
    // the same machine load; the median of the per-round ratios is what the
    // benchmark reports.
    let rounds = 21;
    let per_round = 1_000;
    let mut ratios = [Vec::new(), Vec::new()];
    let mut totals = [Duration::ZERO; 3];
    runtime.block_on(async {
        for round in 0..rounds {
            let mut elapsed = [Duration::ZERO; 3];
            for step in 0..3 {
                let side = (round + step) % 3;
                let start = Instant::now();
                for _ in 0..per_round {
                    match side {
                        0 => by_hand(&setup).await,
                        1 => through_camunda(&setup).await,
                        _ => through_camunda_oauth(&setup).await,
                    }
                }
                elapsed[side] = start.elapsed();
            }
            // Requests/s through camunda8 over requests/s by hand.
            for (ratio, side) in ratios.iter_mut().zip([1, 2]) {
                ratio.push(elapsed[0].as_secs_f64() / elapsed[side].as_secs_f64());
            }
            for (total, spent) in totals.iter_mut().zip(elapsed) {
                *total += spent;
            }
        }
    });
    let requests = (rounds * per_round) as f64;
    let rate = |d: Duration| requests / d.as_secs_f64();
    println!(
        "requests/s: hand-written reqwest {:.0}, camunda8 (static bearer) {:.0}, camunda8 (OAuth, cached token) {:.0}",
        rate(totals[0]),
        rate(totals[1]),
        rate(totals[2]),
    );
    for (name, mut ratio) in ["static bearer", "OAuth"].into_iter().zip(ratios) {
        ratio.sort_by(f64::total_cmp);
        println!(
            "ratio camunda8 ({name}) / hand-written over {rounds} interleaved rounds: median {:.3}, min {:.3}, max {:.3} (target >= 0.95)",
            ratio[rounds / 2],
            ratio[0],
            ratio[rounds - 1],
        );
    }
}

criterion_group!(benches, requests);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
