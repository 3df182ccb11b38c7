//! The stand-in job engine on its own, for any client (this crate's worker,
//! Camunda's other SDKs, curl) to be pointed at:
//!
//! ```sh
//! cargo run --example standin -- --listen 127.0.0.1:8089
//! ```
//!
//! The Orchestration Cluster API is then at `http://127.0.0.1:8089/v2`
//! (no authentication). Create jobs with
//! `curl -X POST localhost:8089/standin/jobs -H 'content-type: application/json' -d '{"type":"payment","count":100}'`,
//! read the counters with `curl localhost:8089/standin/stats`, queue faults
//! with `POST /standin/faults` (see the README).

use camunda8_test::engine;

use std::net::SocketAddr;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut listen: SocketAddr = "127.0.0.1:8089".parse()?;
    let mut jobs: Option<(String, usize)> = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => listen = args.next().ok_or("--listen needs HOST:PORT")?.parse()?,
            "--jobs" => {
                // --jobs TYPE:COUNT creates jobs at start.
                let spec = args.next().ok_or("--jobs needs TYPE:COUNT")?;
                let (job_type, count) = spec.split_once(':').ok_or("--jobs needs TYPE:COUNT")?;
                jobs = Some((job_type.to_owned(), count.parse()?));
            }
            other => {
                return Err(format!(
                    "unknown argument {other}; use --listen HOST:PORT [--jobs TYPE:COUNT]"
                )
                .into());
            }
        }
    }
    let engine = engine::Engine::bind(listen).await?;
    if let Some((job_type, count)) = jobs {
        engine.create_jobs(&job_type, count);
    }
    println!(
        "stand-in job engine: {}/v2 (stats: {}/standin/stats)",
        engine.url(),
        engine.url()
    );
    tokio::signal::ctrl_c().await?;
    println!("{:?}", engine.summary());
    Ok(())
}
