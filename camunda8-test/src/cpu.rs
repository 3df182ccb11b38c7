//! CPU time of one runtime's threads, for benchmarks that run a server or
//! the stand-in engine in the same process as the client they measure.
//!
//! [`RuntimeThreads::runtime`] builds the client's multi-thread runtime and
//! registers each of its threads as it starts; [`RuntimeThreads::nanos`]
//! sums what those threads spent on a CPU, from Linux's
//! `/proc/<pid>/task/<tid>/schedstat`. The server's and the engine's
//! threads are not counted. Off Linux the figure is `None`, not made up.
//!
//! ```
//! use camunda8_test::cpu::RuntimeThreads;
//!
//! # fn main() -> std::io::Result<()> {
//! let threads = RuntimeThreads::default();
//! let rt = threads.runtime(2)?;
//! let before = threads.nanos();
//! rt.block_on(async { /* the work measured */ });
//! let spent = before.zip(threads.nanos()).map(|(a, b)| b.saturating_sub(a));
//! # let _ = spent;
//! # Ok(()) }
//! ```

use std::sync::{Arc, Mutex};

/// The threads of a runtime, as `/proc/<pid>/task/<tid>` paths.
#[derive(Clone, Debug, Default)]
pub struct RuntimeThreads(Arc<Mutex<Vec<String>>>);

impl RuntimeThreads {
    /// A multi-thread runtime with `workers` worker threads (timers and I/O
    /// on) that registers each of its threads here.
    pub fn runtime(&self, workers: usize) -> std::io::Result<tokio::runtime::Runtime> {
        let registry = self.0.clone();
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .enable_all()
            .on_thread_start(move || {
                if let Ok(path) = std::fs::read_link("/proc/thread-self")
                    && let Ok(mut list) = registry.lock()
                {
                    list.push(format!("/proc/{}", path.display()));
                }
            })
            .build()
    }

    /// Nanoseconds the registered threads spent on a CPU so far; `None`
    /// where `/proc` does not tell. A thread that exited is skipped.
    pub fn nanos(&self) -> Option<u64> {
        let paths = self.0.lock().ok()?.clone();
        if paths.is_empty() {
            return None;
        }
        let mut total = 0u64;
        for path in paths {
            let Ok(text) = std::fs::read_to_string(format!("{path}/schedstat")) else {
                continue;
            };
            total += text.split_whitespace().next()?.parse::<u64>().ok()?;
        }
        Some(total)
    }
}
