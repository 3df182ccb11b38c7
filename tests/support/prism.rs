//! Prism, the OpenAPI-validating mock server, started per test on a free
//! loopback port. Prism answers a request that violates the spec with an
//! error status and an `sl-violations` header, so a call that returns a
//! success proves the request matched the contract.
//!
//! Each server prints how long it took to listen and how many of the
//! process's servers were running or starting then (seen with
//! `--nocapture`, or with a failing test's output), since the tests of one
//! binary start theirs in parallel threads.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// A running Prism mock server; killed when dropped.
pub struct Prism {
    child: Child,
    base_url: String,
    _spec_dir: tempfile::TempDir,
    _counted: Running,
}

/// Prism servers of this process running or starting, for the start-up
/// line each prints (tests of one binary run in parallel threads).
static RUNNING: AtomicUsize = AtomicUsize::new(0);

/// One count in `RUNNING`, given back when dropped (also when a start-up
/// fails and the test unwinds).
struct Running;

impl Running {
    /// Counts one more server; returns it and how many there are now.
    fn count() -> (Running, usize) {
        (Running, RUNNING.fetch_add(1, Ordering::SeqCst) + 1)
    }
}

impl Drop for Running {
    fn drop(&mut self) {}
}

fn prism_binary() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/.bin/prism");
    assert!(
        path.exists(),
        "Prism is not installed at {}: run `npm ci` in the repository first (the README's test command does)",
        path.display()
    );
    path
}

impl Prism {
    /// Serve `spec` (an OpenAPI document) on a free port.
    pub async fn serve(spec: &serde_json::Value) -> Prism {
        Prism::serve_with(spec, &[]).await
    }

    /// Serve `spec` with extra `prism mock` options (e.g. `--dynamic`).
    pub async fn serve_with(spec: &serde_json::Value, options: &[&str]) -> Prism {
        let dir = tempfile::tempdir().expect("temp dir");
        let spec_path = dir.path().join("spec.json");
        std::fs::write(
            &spec_path,
            serde_json::to_vec_pretty(spec).expect("spec json"),
        )
        .expect("write spec");
        let port = free_port();
        let started = Instant::now();
        let mut child = Command::new(prism_binary())
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
            .arg("--errors")
            .args(options)
            .arg(&spec_path)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start prism");
        let (counted, running) = Running::count();
        let stdout = child.stdout.take().expect("prism stdout");
        // Drain stderr from the start so Prism never blocks writing to it;
        // keep it for the message if Prism does not come up.
        let stderr = child.stderr.take().expect("prism stderr");
        let errors = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let kept = errors.clone();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                if let Ok(mut kept) = kept.lock()
                    && kept.len() < 200
                {
                    kept.push(line);
                }
            }
        });
        let mut lines = BufReader::new(stdout).lines();
        let ready = tokio::time::timeout(Duration::from_secs(90), async {
            let mut seen = Vec::new();
            while let Ok(Some(line)) = lines.next_line().await {
                if line.contains("Prism is listening") {
                    return Ok(());
                }
                seen.push(line);
            }
            Err(seen.join("\n"))
        })
        .await;
        match ready {
            Ok(Ok(())) => {}
            Ok(Err(output)) => {
                // Give the stderr reader a moment to collect the last lines.
                tokio::time::sleep(Duration::from_millis(200)).await;
                let errors = errors.lock().map(|e| e.join("\n")).unwrap_or_default();
                panic!("prism exited before listening:\n{output}\n{errors}")
            }
            Err(_) => panic!("prism did not start within 90 s"),
        }
        println!(
            "prism on port {port}: listening after {:.1} s ({running} Prism server(s) of this process running or starting)",
            started.elapsed().as_secs_f64()
        );
        // Keep draining Prism's output so it never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Prism {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            _spec_dir: dir,
            _counted: counted,
        }
    }

    /// Where Prism listens (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
        RUNNING.fetch_sub(1, Ordering::SeqCst);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}
