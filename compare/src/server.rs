//! The loopback peer every client talks to: a keep-alive HTTP/1.1 server
//! on its own thread and single-thread runtime, answering `POST
//! /oauth/token` with a token and any other request with a cluster
//! topology both crates' types accept. Answers are built once and heads
//! scanned without copying: the server shares the machine's two cores with
//! the clients measured, so it should cost as little as it can, and the
//! same for every client.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TOKEN_BODY: &str =
    r#"{"access_token":"compare-oauth-token","token_type":"Bearer","expires_in":3600}"#;

/// A topology of a one-broker 8.8 cluster, with every member that either
/// crate's type requires.
pub const TOPOLOGY: &str = r#"{"brokers":[{"nodeId":0,"brokerId":"0","host":"zeebe-0","port":26501,"version":"8.8.0","partitions":[{"partitionId":1,"role":"leader","health":"healthy","state":"active"}]}],"clusterId":null,"clusterSize":1,"partitionsCount":1,"replicationFactor":1,"gatewayVersion":"8.8.0","lastCompletedChangeId":"-1"}"#;

/// API requests (not token requests) that carried no `Authorization`.
static WITHOUT_CREDENTIAL: AtomicU64 = AtomicU64::new(0);

/// How many API requests so far carried no `Authorization` header.
pub fn without_credential() -> u64 {
    WITHOUT_CREDENTIAL.load(Ordering::Relaxed)
}

/// Starts the server on a thread of its own; returns its address.
pub fn start() -> std::io::Result<SocketAddr> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    std::thread::spawn(move || {
        runtime.block_on(async move {
            let Ok(listener) = TcpListener::from_std(listener) else {
                return;
            };
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(connection(socket));
            }
        });
    });
    Ok(addr)
}

fn answer(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

async fn connection(mut socket: TcpStream) {
    let _ = socket.set_nodelay(true);
    let topology = answer(TOPOLOGY);
    let token = answer(TOKEN_BODY);
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let mut out = Vec::with_capacity(4096);
    loop {
        let read = match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(read) => read,
        };
        buffer.extend_from_slice(&chunk[..read]);
        let mut start = 0;
        while let Some(end) = head_end(&buffer[start..]) {
            let head = &buffer[start..start + end];
            let length = content_length(head);
            if buffer.len() < start + end + 4 + length {
                break;
            }
            if head.starts_with(b"POST /oauth/token") {
                out.extend_from_slice(&token);
            } else {
                if !has_authorization(head) {
                    WITHOUT_CREDENTIAL.fetch_add(1, Ordering::Relaxed);
                }
                out.extend_from_slice(&topology);
            }
            start += end + 4 + length;
        }
        buffer.drain(..start);
        if !out.is_empty() && socket.write_all(&out).await.is_err() {
            return;
        }
        out.clear();
    }
}

/// Whether the head has an `Authorization` header line.
fn has_authorization(head: &[u8]) -> bool {
    head.split(|&b| b == b'\n')
        .any(|line| line.len() > 14 && line[..14].eq_ignore_ascii_case(b"authorization:"))
}

fn head_end(bytes: &[u8]) -> Option<usize> {
    bytes.windows(4).position(|w| w == b"\r\n\r\n")
}

/// The request's `Content-Length` (0 when absent or unreadable).
fn content_length(head: &[u8]) -> usize {
    head.split(|&b| b == b'\n')
        .find_map(|line| {
            let colon = line.iter().position(|&b| b == b':')?;
            let (name, value) = line.split_at(colon);
            if !name.eq_ignore_ascii_case(b"content-length") {
                return None;
            }
            std::str::from_utf8(&value[1..]).ok()?.trim().parse().ok()
        })
        .unwrap_or(0)
}
