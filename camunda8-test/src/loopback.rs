//! A loopback HTTP/1.1 server for benchmarks. It answers `POST
//! /oauth/token` with a token ([`TOKEN_BODY`]) and every other request
//! with one fixed JSON body (a cluster topology by default, [`TOPOLOGY`]).
//!
//! Benchmarks measure clients against it. The server shares the machine's
//! cores with the client being measured, so it should cost as little as it
//! can and the same for every client. So it keeps connections alive, builds
//! each answer once, finds a request's end by scanning its head in place
//! (no parser, no copy), and answers a batch of pipelined requests with one
//! write. It reads no bodies except to skip them by `Content-Length`, and
//! it checks nothing but whether an API request carried an `Authorization`
//! header ([`Loopback::without_credential`]).
//!
//! ```
//! use camunda8_test::loopback::{Loopback, TOPOLOGY};
//!
//! # fn main() -> std::io::Result<()> {
//! let server = Loopback::start(TOPOLOGY)?;
//! let camunda = camunda8::Config::new()
//!     .orchestration_url(server.url())
//!     .oauth_url(server.token_url())
//!     .client_credentials("bench", "bench-secret");
//! # let _ = camunda;
//! # Ok(()) }
//! ```

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Connections waiting to be accepted that the listener keeps (the
/// kernel caps it at `net.core.somaxconn`).
const BACKLOG: u32 = 4096;

/// The token answer: `access_token` valid for an hour.
pub const TOKEN_BODY: &str =
    r#"{"access_token":"loopback-oauth-token","token_type":"Bearer","expires_in":3600}"#;

/// A topology of a one-broker 8.8 cluster with every member that camunda8's
/// type and Camunda's official Rust crate's type require.
pub const TOPOLOGY: &str = r#"{"brokers":[{"nodeId":0,"brokerId":"0","host":"zeebe-0","port":26501,"version":"8.8.0","partitions":[{"partitionId":1,"role":"leader","health":"healthy","state":"active"}]}],"clusterId":null,"clusterSize":1,"partitionsCount":1,"replicationFactor":1,"gatewayVersion":"8.8.0","lastCompletedChangeId":"-1"}"#;

/// A running loopback server. It runs until the process ends: benchmarks
/// start one and keep it.
#[derive(Debug, Clone)]
pub struct Loopback {
    addr: SocketAddr,
    without_credential: Arc<AtomicU64>,
    connections: Arc<AtomicU64>,
}

impl Loopback {
    /// Starts a server answering API requests with `body`, on a thread and
    /// single-thread runtime of its own (so that a client's runtime does
    /// not run it).
    pub fn start(body: &'static str) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        Self::start_on(runtime, body)
    }

    /// Starts a server answering API requests with `body` on `runtime`,
    /// which a thread of its own drives (a multi-thread runtime spreads the
    /// connections over its workers).
    pub fn start_on(runtime: tokio::runtime::Runtime, body: &'static str) -> std::io::Result<Self> {
        // A backlog of `BACKLOG`, not std's 128: a client opening a
        // thousand connections at once would otherwise see some refused
        // (`Connection reset by peer`) before the accept loop drains them.
        let socket = tokio::net::TcpSocket::new_v4()?;
        socket.bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
        let listener = {
            let _context = runtime.enter();
            socket.listen(BACKLOG)?
        };
        let addr = listener.local_addr()?;
        let without_credential = Arc::new(AtomicU64::new(0));
        let connections = Arc::new(AtomicU64::new(0));
        let accepted = connections.clone();
        let answers = Arc::new(Answers {
            api: answer(body),
            token: answer(TOKEN_BODY),
            without_credential: without_credential.clone(),
        });
        std::thread::Builder::new()
            .name("loopback".into())
            .spawn(move || {
                runtime.block_on(async move {
                    while let Ok((socket, _)) = listener.accept().await {
                        accepted.fetch_add(1, Ordering::Relaxed);
                        tokio::spawn(connection(socket, answers.clone()));
                    }
                });
            })?;
        Ok(Self {
            addr,
            without_credential,
            connections,
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `http://127.0.0.1:PORT/oauth/token`.
    pub fn token_url(&self) -> String {
        format!("http://{}/oauth/token", self.addr)
    }

    /// How many API requests (not token requests) so far carried no
    /// `Authorization` header: tells a client that sends its token from
    /// one that fetches it and sends nothing.
    pub fn without_credential(&self) -> u64 {
        self.without_credential.load(Ordering::Relaxed)
    }

    /// Connections accepted so far: how many a client opened for a run is
    /// the difference of two reads around it.
    pub fn connections(&self) -> u64 {
        self.connections.load(Ordering::Relaxed)
    }
}

/// The answers of one server, head and body, built once.
struct Answers {
    api: Vec<u8>,
    token: Vec<u8>,
    without_credential: Arc<AtomicU64>,
}

fn answer(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

async fn connection(mut socket: TcpStream, answers: Arc<Answers>) {
    let _ = socket.set_nodelay(true);
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
                out.extend_from_slice(&answers.token);
            } else {
                if !has_authorization(head) {
                    answers.without_credential.fetch_add(1, Ordering::Relaxed);
                }
                out.extend_from_slice(&answers.api);
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

/// Where the head of the request at the start of `bytes` ends (the
/// position of its blank line's `\r\n\r\n`).
fn head_end(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = bytes[from..].iter().position(|b| *b == b'\n') {
        let newline = from + at;
        if newline >= 3 && &bytes[newline - 3..=newline] == b"\r\n\r\n" {
            return Some(newline - 3);
        }
        from = newline + 1;
    }
    None
}

/// The value of header `name` (lower case, with its colon) in `head`.
fn header<'h>(head: &'h [u8], name: &[u8]) -> Option<&'h [u8]> {
    head.split(|b| *b == b'\n')
        .find(|line| line.len() > name.len() && line[..name.len()].eq_ignore_ascii_case(name))
        .map(|line| &line[name.len()..])
}

/// The `Content-Length` of a request head (0 without one).
fn content_length(head: &[u8]) -> usize {
    header(head, b"content-length:")
        .and_then(|value| std::str::from_utf8(value).ok())
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0)
}

/// Whether the head has an `Authorization` header line.
fn has_authorization(head: &[u8]) -> bool {
    header(head, b"authorization:").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_read_in_place() {
        let request =
            b"POST /v2/x HTTP/1.1\r\nContent-Length: 2\r\nauthorization: Bearer t\r\n\r\n{}GET";
        let end = head_end(request).unwrap();
        assert_eq!(&request[end..end + 4], b"\r\n\r\n");
        let head = &request[..end];
        assert_eq!(content_length(head), 2);
        assert!(has_authorization(head));
        assert!(!has_authorization(b"GET / HTTP/1.1\r\nhost: x"));
        assert_eq!(content_length(b"GET / HTTP/1.1\r\nhost: x"), 0);
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nhost: x\r\n"), None);
    }

    #[tokio::test]
    async fn answers_pipelined_requests_and_counts_those_without_credential() {
        let server = Loopback::start(TOPOLOGY).unwrap();
        let mut socket = TcpStream::connect(server.addr()).await.unwrap();
        let token = b"POST /oauth/token HTTP/1.1\r\ncontent-length: 3\r\n\r\na=b";
        let bare = b"GET /v2/topology HTTP/1.1\r\nhost: x\r\n\r\n";
        let with = b"GET /v2/topology HTTP/1.1\r\nAuthorization: Bearer t\r\n\r\n";
        socket
            .write_all(&[&token[..], bare, with].concat())
            .await
            .unwrap();
        let expected = [answer(TOKEN_BODY), answer(TOPOLOGY), answer(TOPOLOGY)].concat();
        let mut got = vec![0u8; expected.len()];
        socket.read_exact(&mut got).await.unwrap();
        assert_eq!(got, expected);
        assert_eq!(server.without_credential(), 1);
        assert_eq!(server.connections(), 1);
    }

    #[tokio::test]
    async fn answers_a_thousand_connections_and_counts_them() {
        let server = Loopback::start(TOPOLOGY).unwrap();
        let addr = server.addr();
        let connects: Vec<_> = (0..1000)
            .map(|_| tokio::spawn(TcpStream::connect(addr)))
            .collect();
        let mut sockets = Vec::new();
        for connect in connects {
            sockets.push(connect.await.unwrap().unwrap());
        }
        let request = b"GET /v2/topology HTTP/1.1\r\nAuthorization: Bearer t\r\n\r\n";
        let expected = answer(TOPOLOGY);
        for socket in &mut sockets {
            socket.write_all(request).await.unwrap();
            let mut got = vec![0u8; expected.len()];
            socket.read_exact(&mut got).await.unwrap();
            assert_eq!(got, expected);
        }
        assert_eq!(server.connections(), 1000);
    }
}
