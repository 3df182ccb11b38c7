//! CPU time of the client's own threads.
//!
//! The loopback server and the stand-in engine run in the same process on
//! runtimes of their own; only the threads of the client runtime (registered
//! when they start) are summed, from Linux's `/proc/<pid>/task/<tid>/schedstat`
//! (nanoseconds on a CPU). Off Linux the figures are absent, not made up.

use std::sync::{Arc, Mutex};

/// The client runtime's threads, as `/proc/<pid>/task/<tid>` paths.
#[derive(Clone, Default)]
pub struct Threads(Arc<Mutex<Vec<String>>>);

impl Threads {
    /// A multi-thread runtime with `workers` threads that registers each
    /// of its threads here.
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
    /// where `/proc` does not tell. A thread that exited is skipped (the
    /// runtimes here keep theirs for their whole life).
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
