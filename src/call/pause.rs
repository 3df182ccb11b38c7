//! Phase 3, under load: a request that finds the client busy lets the
//! runtime run once before it takes a connection.
//!
//! With reqwest on HTTP/1.1, a connection goes back to the pool only after
//! the answer's body has been read *and* a small task of the pool (woken
//! by the connection) has run. A caller that reads an answer and sends its
//! next request in the same poll (a loop of calls) reaches the pool before
//! that task has run: the connection it just used is not there, so it
//! takes another one, or the pool opens one more. Under load the pool then
//! holds more connections than requests in flight (measured: about 1,800
//! for 1,000 in flight), and each request runs on a connection whose
//! buffers are cold.
//!
//! So when at least [`GateSettings::yield_above`] of the client's requests
//! are out (known for free: the gate counts them to take the permit), the
//! first attempt of a call goes to the back of its worker's queue once
//! before reqwest sees it: it wakes itself and returns `Pending`. The tasks
//! that were ready (connections returned, other answers) run first. Below
//! that, with few requests out, a runtime thread often has nothing else
//! to run and would park and wake again for nothing, so a call never
//! yields. Requests the gate does not hold (a job worker's outcomes) never
//! yield: each job's outcome is sent from a task of its own, not a loop,
//! and the same pause before it measured no gain (`one-worker` at 32 and
//! 256 jobs in flight, three alternating runs each).
//!
//! Measured on 2 cores against the loopback server, client against the
//! same client with `yield_above(u32::MAX)`, 7 interleaved rounds (`cd
//! compare && cargo run --release -- ablate --rounds 7 --requests 30000
//! --concurrency 1,4,8,16,64,256,1000 --variants no-pause`): throughput
//! without the pause 0.98, 1.05 and 1.02 of the client's at 1, 4 and 8 in
//! flight (run noise), then 0.89 at 16, 64 and 256, and 0.87 at 1,000.
//! Yielding on every call instead (tried in the same harness) cost 0.81 at
//! 1 in flight and 0.91 at 2: hence the threshold.
//!
//! [`GateSettings::yield_above`]: super::backpressure::GateSettings::yield_above

use std::task::{Context, Poll};

/// Whether a request still has to yield once before it is sent.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pause(bool);

impl Pause {
    /// A pause for a request whose permit found the gate `busy`.
    pub(crate) fn when(busy: bool) -> Self {
        Self(busy)
    }

    /// `Pending` once (the task woken at once, to the back of its worker's
    /// queue) if the request is to yield, `Ready` from then on.
    pub(crate) fn poll(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if std::mem::replace(&mut self.0, false) {
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        Poll::Ready(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::{Wake, Waker};

    struct Count(AtomicUsize);

    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
        fn wake_by_ref(self: &Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// A waker that counts its wakes, and the count.
    fn counting_waker() -> (Arc<Count>, Waker) {
        let count = Arc::new(Count(AtomicUsize::new(0)));
        (count.clone(), Waker::from(count))
    }

    #[test]
    fn a_busy_request_yields_once_and_wakes_itself() {
        let (count, waker) = counting_waker();
        let mut cx = Context::from_waker(&waker);
        let mut pause = Pause::when(true);
        assert!(pause.poll(&mut cx).is_pending());
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
        assert!(pause.poll(&mut cx).is_ready());
        assert!(pause.poll(&mut cx).is_ready());
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_request_on_a_quiet_client_never_yields() {
        let (count, waker) = counting_waker();
        let mut cx = Context::from_waker(&waker);
        let mut pause = Pause::when(false);
        assert!(pause.poll(&mut cx).is_ready());
        assert_eq!(count.0.load(Ordering::SeqCst), 0);
    }
}
