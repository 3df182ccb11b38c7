//! Captures tracing output (all levels) into a buffer for assertions.
#![allow(dead_code)]

use std::io;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use tracing_subscriber::fmt::MakeWriter;

/// A buffer that tracing writes formatted events into.
#[derive(Clone, Default)]
pub struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl LogBuffer {
    /// Forgets everything written so far.
    pub fn clear(&self) {
        self.0.lock().unwrap().clear();
    }

    /// Everything written so far.
    pub fn contents(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    /// A TRACE-level subscriber writing into this buffer (no ANSI colours).
    pub fn subscriber(&self) -> impl tracing::Subscriber + Send + Sync + 'static {
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(self.clone())
            .finish()
    }
}

impl LogBuffer {
    /// Installs a TRACE-level subscriber writing into this buffer as the
    /// process-wide default, and routes `log` records (reqwest, hyper) into
    /// it too. Once per process.
    pub fn install_globally(&self) {
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(self.clone())
            .try_init()
            .expect("no other global subscriber");
    }
}

/// The process-wide log of this test binary: a TRACE subscriber writing
/// into one buffer, installed as the global default (with `log` records) on
/// first use. Only one global subscriber can exist per process, and the
/// tests of a binary share the process, so they share this one.
pub fn global() -> &'static LogBuffer {
    static GLOBAL: OnceLock<LogBuffer> = OnceLock::new();
    GLOBAL.get_or_init(|| {
        let logs = LogBuffer::default();
        logs.install_globally();
        logs
    })
}

/// Held by each test of a binary whose tests read [`global`]: the tests
/// run in parallel threads of one process, and one test's output in the
/// shared log would let another's check pass or fail on it.
pub struct Exclusive {
    _one_at_a_time: MutexGuard<'static, ()>,
    /// The global log, emptied when this test took its turn.
    pub logs: &'static LogBuffer,
}

/// Waits for the other tests of this binary that log to finish, then
/// returns the global log, emptied. Hold it for the whole test.
pub fn exclusive() -> Exclusive {
    static TURN: Mutex<()> = Mutex::new(());
    // A test that failed while holding the lock poisons it; the next
    // test's turn is unaffected (the log is emptied below).
    let guard = TURN.lock().unwrap_or_else(PoisonError::into_inner);
    let logs = global();
    logs.clear();
    Exclusive {
        _one_at_a_time: guard,
        logs,
    }
}

impl io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for LogBuffer {
    type Writer = LogBuffer;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}
