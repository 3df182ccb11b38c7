//! A real OAuth2 authorization server for tests: `oauth2-mock-server` (pinned
//! in package.json, installed by `npm ci`), started on a free loopback port
//! and killed when the handle is dropped.
#![allow(dead_code)]

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const BINARY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/node_modules/.bin/oauth2-mock-server"
);
const STARTUP: Duration = Duration::from_secs(30);

/// A running `oauth2-mock-server`; killed on drop.
pub struct OAuth2Server {
    child: Child,
    port: u16,
}

impl OAuth2Server {
    /// Starts the server on 127.0.0.1 with a port chosen by the OS (`-p 0`)
    /// and waits until it reports the port it listens on and answers.
    ///
    /// Panics with a message naming `npm ci` if the binary is missing.
    pub fn start() -> Self {
        assert!(
            std::path::Path::new(BINARY).exists(),
            "{BINARY} not found: run `npm ci` in the crate root to install the pinned test peers"
        );
        let mut child = Command::new(BINARY)
            .args(["-a", "127.0.0.1", "-p", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {BINARY} (run `npm ci`?): {e}"));
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        // Reads the output for the port, then keeps draining it so the
        // server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(port) = parse_port(&line) {
                    let _ = tx.send(port);
                }
            }
        });
        let mut server = Self { child, port: 0 };
        server.port = match rx.recv_timeout(STARTUP) {
            Ok(port) => port,
            Err(_) => panic!("oauth2-mock-server did not report a port within {STARTUP:?}"),
        };
        server.wait_until_answering();
        server
    }

    fn wait_until_answering(&self) {
        let deadline = std::time::Instant::now() + STARTUP;
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "oauth2-mock-server is not answering on port {}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The issuer base URL on the loopback address.
    pub fn issuer(&self) -> url::Url {
        format!("http://127.0.0.1:{}", self.port)
            .parse()
            .expect("valid URL")
    }

    /// The token endpoint, `{issuer}/token`.
    pub fn token_url(&self) -> url::Url {
        format!("http://127.0.0.1:{}/token", self.port)
            .parse()
            .expect("valid URL")
    }
}

impl Drop for OAuth2Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// "OAuth 2 server listening on http://127.0.0.1:41093" → 41093.
fn parse_port(line: &str) -> Option<u16> {
    let rest = line.split("listening on ").nth(1)?;
    rest.trim()
        .rsplit(':')
        .next()?
        .trim_end_matches('/')
        .parse()
        .ok()
}
