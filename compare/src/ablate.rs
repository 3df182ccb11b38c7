//! The call path taken apart: camunda8 as a user gets it against the same
//! client with one of its costs removed, one at a time, interleaved, on the
//! loopback server. Each variant's throughput is divided by the full
//! client's of the same round, so a variant's ratio is what that one cost
//! takes at that concurrency (above 1: the cost is real).
//!
//! The candidates are the ones issue 21 names: the per-request timer (a
//! request timeout registers one entry in tokio's timer wheel per request),
//! the HTTP/2-capable pool on HTTP/1.1 connections, the backpressure gate,
//! and the credential (a token read and a header per request); then the
//! gate at a lower limit (fewer requests with reqwest at once) and the
//! client without its pause under load (`src/call/pause.rs`).

use camunda8::backpressure::GateSettings;
use camunda8::{Camunda, Config, RetryPolicy};

use camunda8_test::loopback::Loopback;

use crate::calls::Caller;

/// One way of building the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// As a user gets it: OAuth, request timeout, gate, reqwest's defaults.
    Full,
    /// No request timeout (so no timer per request).
    NoTimeout,
    /// The API client limited to HTTP/1.1 (`http1_only`).
    Http1Only,
    /// The backpressure gate off (`GateSettings::off()`).
    NoGate,
    /// No credential: no token read, no `Authorization` header.
    NoCredential,
    /// All of the above removed at once.
    Bare,
    /// The gate at most 256 permits (`GateSettings::max_permits(256)`):
    /// what fewer requests at a time with reqwest costs or saves.
    Gate256,
    /// The full client without its pause under load
    /// (`GateSettings::yield_above(u32::MAX)`, `src/call/pause.rs`).
    NoPause,
}

impl Variant {
    pub const ALL: [Variant; 8] = [
        Variant::Full,
        Variant::NoTimeout,
        Variant::Http1Only,
        Variant::NoGate,
        Variant::NoCredential,
        Variant::Bare,
        Variant::Gate256,
        Variant::NoPause,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Variant::Full => "camunda8 as configured by default",
            Variant::NoTimeout => "without request timeout",
            Variant::Http1Only => "HTTP/1.1-only pool",
            Variant::NoGate => "without backpressure gate",
            Variant::NoCredential => "without credential",
            Variant::Bare => "all four removed",
            Variant::Gate256 => "gate limited to 256 permits",
            Variant::NoPause => "without the pause under load",
        }
    }

    /// The short name `--variants` takes.
    pub fn key(self) -> &'static str {
        match self {
            Variant::Full => "full",
            Variant::NoTimeout => "no-timeout",
            Variant::Http1Only => "http1",
            Variant::NoGate => "no-gate",
            Variant::NoCredential => "no-credential",
            Variant::Bare => "bare",
            Variant::Gate256 => "gate256",
            Variant::NoPause => "no-pause",
        }
    }

    /// The variants named in `list` (comma-separated keys); the full
    /// client always comes first, as every ratio's denominator.
    pub fn parse_list(list: Option<&str>) -> Result<Vec<Variant>, String> {
        let Some(list) = list else {
            return Ok(Variant::ALL.to_vec());
        };
        let mut chosen = vec![Variant::Full];
        for key in list.split(',').map(str::trim) {
            let variant = Variant::ALL
                .into_iter()
                .find(|v| v.key() == key)
                .ok_or_else(|| {
                    let keys: Vec<_> = Variant::ALL.iter().map(|v| v.key()).collect();
                    format!("--variants: `{key}` is not one of {}", keys.join(", "))
                })?;
            if !chosen.contains(&variant) {
                chosen.push(variant);
            }
        }
        Ok(chosen)
    }

    fn timeout(self) -> bool {
        !matches!(self, Variant::NoTimeout | Variant::Bare)
    }

    fn http1_only(self) -> bool {
        matches!(self, Variant::Http1Only | Variant::Bare)
    }

    fn credential(self) -> bool {
        !matches!(self, Variant::NoCredential | Variant::Bare)
    }

    /// The Orchestration client of this variant for `server`, warmed (token
    /// fetched, pool open).
    pub async fn client(self, server: &Loopback) -> Result<Topology, String> {
        let mut config = Config::new().orchestration_url(server.url());
        if self.credential() {
            config = config
                .oauth_url(server.token_url())
                .client_credentials("compare", "compare-secret");
        }
        let gate = match self {
            Variant::NoGate | Variant::Bare => GateSettings::off(),
            Variant::Gate256 => GateSettings::default().max_permits(256),
            Variant::NoPause => GateSettings::default().yield_above(u32::MAX),
            _ => GateSettings::default(),
        };
        config = config.retry_policy(RetryPolicy::new().gate(gate));
        let resolved = config.resolve().map_err(|e| e.to_string())?;
        // `http_client_builder` carries the configured timeouts; without
        // the request timeout, a builder with the same proxy policy and
        // connect timeout.
        let http = if self.timeout() {
            resolved.http_client_builder().map_err(|e| e.to_string())?
        } else {
            camunda8::config::proxy_settings(reqwest::Client::builder())
                .connect_timeout(resolved.connect_timeout)
        };
        let mut http = http.retry(reqwest::retry::never().max_retries_per_request(0));
        if self.http1_only() {
            http = http.http1_only();
        }
        let http = http.build().map_err(|e| e.to_string())?;
        let camunda = Camunda::with_http_client(&config, http).map_err(|e| e.to_string())?;
        let client = Topology(camunda.orchestration().map_err(|e| e.to_string())?.clone());
        client
            .call()
            .await
            .map_err(|e| format!("{}: {e}", self.name()))?;
        Ok(client)
    }
}

/// A variant's client, as the call-path runs call it.
#[derive(Clone)]
pub struct Topology(pub camunda8::orchestration::Client);

impl Caller for Topology {
    async fn call(&self) -> Result<(), String> {
        match self.0.get_topology().send().await {
            Ok(topology) => {
                std::hint::black_box(topology);
                Ok(())
            }
            Err(e) => {
                let mut text = e.to_string();
                let mut source = std::error::Error::source(&e);
                while let Some(cause) = source {
                    text.push_str(&format!(": {cause}"));
                    source = cause.source();
                }
                Err(text)
            }
        }
    }
}
