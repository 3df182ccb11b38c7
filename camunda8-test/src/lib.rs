//! Stand-ins for testing code that uses [camunda8] without a Camunda
//! cluster, Java or containers.
//!
//! - [`engine::Engine`]: an in-process job engine speaking the five job
//!   operations of the Orchestration Cluster API (activation with long
//!   polling, completion, failure, BPMN error, update) on a loopback port,
//!   with fault injection per operation and counters per job. Point a
//!   [`camunda8::worker`] (or any client) at it and check what your handler
//!   did to each job.
//! - [`saas::StandIn`]: a local Camunda SaaS (token endpoint and the four
//!   APIs) with just enough state for deploy → start → search; the
//!   camunda8 examples run against it when no cluster is configured.
//! - [`loopback::Loopback`]: a loopback HTTP/1.1 server for benchmarks (a
//!   token endpoint and one fixed answer, built once), and
//!   [`cpu::RuntimeThreads`], the CPU time of a client runtime's threads
//!   alone: what `benches/` and `compare/` measure clients with.
//!
//! A worker under test, its job and the result it reported:
//!
//! ```
//! use std::time::Duration;
//! use camunda8::worker::{Job, Outcome};
//! use camunda8_test::engine::{Engine, NewJob};
//! use serde_json::json;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let engine = Engine::start().await;
//! let key = engine.create(NewJob::new("payment").variables(json!({ "amount": 21 })));
//!
//! let camunda = engine.config().build()?;
//! let worker = camunda.worker("payment")?.spawn(|job: Job| async move {
//!     let amount = job.variables::<serde_json::Value>()?["amount"].as_i64().unwrap_or(0);
//!     Ok::<_, serde_json::Error>(Outcome::complete_with(&json!({ "paid": amount * 2 })))
//! })?;
//! engine.wait_for(Duration::from_secs(5), |s| s.completed == 1).await;
//! worker.shutdown(Duration::from_secs(1)).await;
//!
//! let job = engine.job(key).ok_or("no such job")?;
//! assert_eq!(job.result_variables, Some(json!({ "paid": 42 })));
//! # Ok(()) }
//! ```
//!
//! Faults for the next requests of an operation:
//!
//! ```
//! use camunda8_test::engine::{Engine, Fault, Op};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let engine = Engine::start().await;
//! engine.inject(Op::Activate, [Fault::Backpressure503, Fault::Drop]);
//! assert_eq!(engine.pending_faults(), 2);
//! # }
//! ```

pub mod cpu;
pub mod engine;
pub mod loopback;
pub mod saas;
