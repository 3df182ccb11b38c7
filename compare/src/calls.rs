//! The call path: `GET /v2/topology` through each client, `concurrency`
//! requests in flight, against the loopback server, OAuth on every client.
//!
//! - `reqwest`: the request written by hand the cheapest way a careful user
//!   would: one `reqwest::Client` without proxy lookup, the bearer value
//!   built once, typed decode. The floor, not a competitor.
//! - `camunda8`: `Camunda` with client credentials against the server's
//!   token endpoint (token cached, attached to every call, backpressure
//!   gate, retries and timeouts on, as a user gets them).
//! - `official`: `camunda_orchestration_sdk::CamundaClient` 10.0.0 with the
//!   same credentials (`CAMUNDA_AUTH_STRATEGY=OAUTH`).
//!
//! Every client decodes the answer into its own typed topology.

use std::future::Future as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use camunda_orchestration_sdk::{CamundaClient, CamundaOptions};

use camunda8_test::cpu::RuntimeThreads;
use camunda8_test::loopback::Loopback;

/// The clients compared on the call path, in the order tables list them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Client {
    Reqwest,
    Camunda8,
    Official,
}

impl Client {
    pub const ALL: [Client; 3] = [Client::Reqwest, Client::Camunda8, Client::Official];

    pub fn name(self) -> &'static str {
        match self {
            Client::Reqwest => "reqwest (by hand)",
            Client::Camunda8 => "camunda8",
            Client::Official => "camunda-orchestration-sdk 10.0.0",
        }
    }
}

/// The three clients, built once and warmed (token fetched, pool open).
pub struct Clients {
    server: Loopback,
    reqwest: reqwest::Client,
    topology_url: reqwest::Url,
    authorization: reqwest::header::HeaderValue,
    camunda8: camunda8::orchestration::Client,
    official: CamundaClient,
}

impl Clients {
    /// Builds the clients for `server`.
    /// `gate`: camunda8's gate settings (its default otherwise).
    pub async fn new(
        server: &Loopback,
        gate: Option<camunda8::backpressure::GateSettings>,
    ) -> Result<Self, String> {
        let base = &server.url();
        let token_url = server.token_url();
        let reqwest = reqwest::Client::builder()
            .no_proxy()
            .build()
            .map_err(|e| format!("reqwest: {e}"))?;
        // The baseline fetches its token once, as a careful hand-written
        // program would, and keeps the header value.
        let token: serde_json::Value = reqwest
            .post(&token_url)
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", "compare"),
                ("client_secret", "compare-secret"),
            ])
            .send()
            .await
            .map_err(|e| format!("token: {e}"))?
            .json()
            .await
            .map_err(|e| format!("token: {e}"))?;
        let access = token["access_token"].as_str().unwrap_or_default();
        let authorization = reqwest::header::HeaderValue::from_str(&format!("Bearer {access}"))
            .map_err(|e| format!("token: {e}"))?;
        let topology_url =
            reqwest::Url::parse(&format!("{base}/v2/topology")).map_err(|e| format!("url: {e}"))?;

        let mut config = camunda8::Camunda::builder()
            .orchestration_url(base)
            .oauth_url(token_url.clone())
            .client_credentials("compare", "compare-secret");
        if let Some(gate) = gate {
            config = config.retry_policy(camunda8::RetryPolicy::new().gate(gate));
        }
        let camunda8 = config
            .build()
            .map_err(|e| format!("camunda8: {e}"))?
            .orchestration()
            .map_err(|e| format!("camunda8: {e}"))?
            .clone();

        let official = CamundaClient::new(official_options(base, &token_url))
            .map_err(|e| format!("official: {e}"))?;

        let clients = Self {
            server: server.clone(),
            reqwest,
            topology_url,
            authorization,
            camunda8,
            official,
        };
        Ok(clients)
    }

    /// Whether `client` sends the token it holds: one request, and the
    /// server's count of requests that carried no `Authorization` header.
    pub async fn sends_credential(&self, client: Client) -> Result<bool, String> {
        let before = self.server.without_credential();
        self.one(client).await?;
        Ok(self.server.without_credential() == before)
    }

    /// The size in bytes of the future of one request through `client`
    /// (the client's own request future, before it is awaited): what a
    /// task carries for its call, and moves when it is pinned.
    pub fn future_size(&self, client: Client) -> usize {
        match client {
            Client::Reqwest => std::mem::size_of_val(
                &self
                    .reqwest
                    .get(self.topology_url.clone())
                    .header(reqwest::header::AUTHORIZATION, self.authorization.clone())
                    .send(),
            ),
            Client::Camunda8 => std::mem::size_of_val(&self.camunda8.get_topology().send()),
            Client::Official => std::mem::size_of_val(&self.official.topology()),
        }
    }

    /// One topology request through `client`, decoded.
    pub async fn one(&self, client: Client) -> Result<(), String> {
        match client {
            Client::Reqwest => {
                let response = self
                    .reqwest
                    .get(self.topology_url.clone())
                    .header(reqwest::header::AUTHORIZATION, self.authorization.clone())
                    .header(
                        reqwest::header::ACCEPT,
                        reqwest::header::HeaderValue::from_static("application/json"),
                    )
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                let topology: camunda8::orchestration::types::TopologyResponse =
                    response.json().await.map_err(|e| e.to_string())?;
                std::hint::black_box(topology);
            }
            Client::Camunda8 => {
                let topology = self
                    .camunda8
                    .get_topology()
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                std::hint::black_box(topology);
            }
            Client::Official => {
                let topology = self.official.topology().await.map_err(|e| e.to_string())?;
                std::hint::black_box(topology);
            }
        }
        Ok(())
    }
}

/// The official crate's configuration: OAuth client credentials against
/// `token_url`, REST address `base` (the crate appends `/v2`), the
/// Falcon probe off (the stand-ins are stock REST servers).
pub fn official_options(base: &str, token_url: &str) -> CamundaOptions {
    CamundaOptions::new()
        .with("CAMUNDA_AUTH_STRATEGY", "OAUTH")
        .with("CAMUNDA_REST_ADDRESS", base)
        .with("CAMUNDA_OAUTH_URL", token_url)
        .with("CAMUNDA_CLIENT_ID", "compare")
        .with("CAMUNDA_CLIENT_SECRET", "compare-secret")
        .with("CAMUNDA_TOKEN_AUDIENCE", "zeebe-api")
        .with("CAMUNDA_FALCON", "false")
}

/// What one run took: wall seconds and client CPU nanoseconds.
pub struct Spent {
    pub seconds: f64,
    /// How many times a request's future was polled, on average (call
    /// runs only; a worker run has no request futures of its own).
    pub polls_per_request: Option<f64>,
    pub cpu_ns: Option<u64>,
}

/// What the call-path runs send: one request, decoded.
pub trait Caller: Clone + Send + Sync + 'static {
    /// One request.
    fn call(&self) -> impl std::future::Future<Output = Result<(), String>> + Send + '_;
}

/// One of the compared clients.
#[derive(Clone)]
struct Compared(Arc<Clients>, Client);

impl Caller for Compared {
    fn call(&self) -> impl std::future::Future<Output = Result<(), String>> + Send + '_ {
        self.0.one(self.1)
    }
}

/// `total` requests through `client`, `concurrency` at a time, on `rt`.
pub fn run(
    rt: &tokio::runtime::Runtime,
    clients: &Arc<Clients>,
    threads: &RuntimeThreads,
    client: Client,
    concurrency: usize,
    total: usize,
) -> Result<Spent, String> {
    run_with(
        rt,
        &Compared(clients.clone(), client),
        threads,
        concurrency,
        total,
    )
    .map_err(|e| format!("{} at {concurrency} in flight: {e}", client.name()))
}

/// `total` calls through `caller`, `concurrency` tasks each calling one
/// after another, on `rt`; the first failure stops the run.
pub fn run_with<C: Caller>(
    rt: &tokio::runtime::Runtime,
    caller: &C,
    threads: &RuntimeThreads,
    concurrency: usize,
    total: usize,
) -> Result<Spent, String> {
    let per_task = total.div_ceil(concurrency);
    let failed = Arc::new(AtomicBool::new(false));
    let cpu = threads.nanos();
    let started = Instant::now();
    let outcome: Result<u64, String> = rt.block_on(async {
        let tasks: Vec<_> = (0..concurrency)
            .map(|_| {
                let caller = caller.clone();
                let failed = failed.clone();
                tokio::spawn(async move {
                    let mut polls = 0u64;
                    for _ in 0..per_task {
                        if failed.load(Ordering::Relaxed) {
                            return Ok(polls);
                        }
                        let mut call = std::pin::pin!(caller.call());
                        let outcome = std::future::poll_fn(|cx| {
                            polls += 1;
                            call.as_mut().poll(cx)
                        })
                        .await;
                        if let Err(e) = outcome {
                            failed.store(true, Ordering::Relaxed);
                            return Err(e);
                        }
                    }
                    Ok(polls)
                })
            })
            .collect();
        let mut polls = 0;
        for task in tasks {
            polls += task.await.map_err(|e| e.to_string())??;
        }
        Ok(polls)
    });
    let seconds = started.elapsed().as_secs_f64();
    let polls = outcome?;
    Ok(Spent {
        seconds,
        polls_per_request: Some(polls as f64 / (per_task * concurrency) as f64),
        cpu_ns: cpu.zip(threads.nanos()).map(|(a, b)| b.saturating_sub(a)),
    })
}
