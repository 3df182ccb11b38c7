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

/// A keep-alive HTTP/1.1 server answering every request with `body`.
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
    camunda: Camunda,
    url: String,
}

async fn setup() -> Setup {
    let base = loopback_server(TOPOLOGY).await.expect("loopback server");
    let camunda = Camunda::builder()
        .zeebe_url(&base)
        .bearer_token(Secret::new("bench-token"))
        .build()
        .expect("client");
    Setup {
        camunda,
        url: format!("{base}/v1/topology"),
    }
}

async fn through_camunda(setup: &Setup) {
    let zeebe = setup.camunda.zeebe().expect("zeebe configured");
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
    group.finish();

    // Interleaved rounds, alternating which side goes first, so both see
    // the same machine load; the median of the per-round ratios is what the
    // benchmark reports.
    let rounds = 20;
    let per_round = 1_000;
    let mut ratios = Vec::with_capacity(rounds);
    let (mut ours, mut theirs) = (Duration::ZERO, Duration::ZERO);
    runtime.block_on(async {
        for round in 0..rounds {
            let mut hand = Duration::ZERO;
            let mut client = Duration::ZERO;
            for side in [round % 2, 1 - round % 2] {
                let start = Instant::now();
                for _ in 0..per_round {
                    if side == 0 {
                        by_hand(&setup).await;
                    } else {
                        through_camunda(&setup).await;
                    }
                }
                if side == 0 {
                    hand = start.elapsed();
                } else {
                    client = start.elapsed();
                }
            }
            // Requests/s through camunda8 over requests/s by hand.
            ratios.push(hand.as_secs_f64() / client.as_secs_f64());
            theirs += hand;
            ours += client;
        }
    });
    ratios.sort_by(f64::total_cmp);
    let total = (rounds * per_round) as f64;
    println!(
        "requests/s: camunda8 {:.0}, hand-written reqwest {:.0}; ratio per round: median {:.3}, min {:.3}, max {:.3} (target >= 0.95)",
        total / ours.as_secs_f64(),
        total / theirs.as_secs_f64(),
        ratios[rounds / 2],
        ratios[0],
        ratios[rounds - 1],
    );
}

criterion_group!(benches, requests);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
