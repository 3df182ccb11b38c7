//! The adaptive backpressure gate: a concurrency limit for the requests of
//! one API client that shrinks when the server signals backpressure and grows
//! back when it answers normally (additive increase, multiplicative decrease,
//! as Camunda's TypeScript and Python SDKs do).
//!
//! # How it works
//!
//! Every attempt of a gated request takes a permit before it is sent and
//! gives it back when its answer has arrived (never while a retry waits).
//! While at most `limit` permits are out, a request proceeds at once;
//! otherwise it waits for a permit.
//!
//! * The limit starts at [`GateSettings::max_permits`], so a healthy server
//!   never sees the gate.
//! * A backpressure answer (429, 503, 500 with `RESOURCE_EXHAUSTED`) sets the
//!   limit to `max(min_permits, min(limit, permits out) · decrease)`, at most
//!   once per round: signals from requests that took their permit before the
//!   last decrease are ignored, so 30 requests refused together shrink it
//!   once, not 30 times.
//! * Every other answer adds `1 / limit` (one permit per round of answers),
//!   up to `max_permits`.
//! * Transport errors leave the limit alone.
//!
//! Requests that finish work already in progress are exempt, so that a
//! worker under backpressure drains its jobs instead of losing them to their
//! timeouts: `completeJob`, `failJob`, `throwJobError`, `updateJob` (which
//! extends a running job's timeout) and `completeUserTask`.
//!
//! Job activation (`activateJobs`) is admitted, not held: it waits for a
//! permit like any gated request and reports its answer, but gives the
//! permit back as soon as it is sent. A long poll waits on the server for
//! up to its request timeout (20 s for a worker by default) without loading
//! it; were its permit held, a gate shrunk to one permit would let one
//! worker's idle poll block every other request of the client (and every
//! other worker's activation) for that long.
//!
//! The gate is part of the [`RetryPolicy`](crate::RetryPolicy)
//! ([`RetryPolicy::gate`](crate::RetryPolicy::gate)); each API client of a
//! [`Camunda`](crate::Camunda) has its own, shared by every caller and
//! worker of that API. [`GateSettings::off`] turns it off.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

use crate::own_line::OwnLine;

/// Operations never held by the gate (they drain work in progress), by
/// operationId. Both spellings match ([`same_operation`]); they are written
/// here as progenitor and the worker report them (`complete_job`), so that
/// the check on every request is an exact match, not the letter-by-letter
/// comparison (about 300 instructions per job of a worker).
pub(crate) const EXEMPT: [&str; 5] = [
    "complete_job",
    "fail_job",
    "throw_job_error",
    "update_job",
    "complete_user_task",
];

/// Operations that are admitted through the gate but do not hold a permit
/// while the server answers (long polls), by operationId, spelled as
/// [`EXEMPT`]'s.
pub(crate) const ADMITTED: [&str; 1] = ["activate_jobs"];

/// Whether two spellings name the same operation: equal ignoring ASCII case
/// and underscores (`completeJob`, `complete_job`). Runs on every request:
/// the exact spelling (what progenitor and this crate pass) is tried first,
/// then the first letters, then the general comparison.
fn same_operation(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    // Most operations differ in their first letter (neither starts with `_`).
    match (a.as_bytes().first(), b.as_bytes().first()) {
        (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => {}
        _ => return false,
    }
    let mut a = a.bytes().filter(|c| *c != b'_');
    let mut b = b.bytes().filter(|c| *c != b'_');
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(&y) => {}
            _ => return false,
        }
    }
}

/// The parameters of the backpressure gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct GateSettings {
    /// Whether requests are gated at all. Default `true`.
    pub enabled: bool,
    /// The limit the gate starts at and never exceeds. Default 1024.
    pub max_permits: u32,
    /// The limit never falls below this. Default 1.
    pub min_permits: u32,
    /// The factor applied on backpressure, in percent. Default 70.
    pub decrease_percent: u32,
    /// A new request first lets the runtime run the work that is ready
    /// when at least this many other requests of the client are out, that
    /// is, when it would make more than this many (`src/call/pause.rs`).
    /// Default 8; `u32::MAX`: never.
    pub yield_above: u32,
}

impl Default for GateSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            max_permits: 1024,
            min_permits: 1,
            decrease_percent: 70,
            yield_above: DEFAULT_YIELD_ABOVE,
        }
    }
}

/// [`GateSettings::yield_above`]'s default: below it, one more pass through
/// the runtime costs a call more than it saves (`src/call/pause.rs`).
const DEFAULT_YIELD_ABOVE: u32 = 8;

impl GateSettings {
    /// The gate turned off: requests are never held.
    pub fn off() -> Self {
        Self {
            enabled: false,
            ..Self::default()
        }
    }

    /// Sets the starting and highest limit (at least 1).
    pub fn max_permits(mut self, permits: u32) -> Self {
        self.max_permits = permits.max(1);
        self
    }

    /// Sets the lowest limit (at least 1).
    pub fn min_permits(mut self, permits: u32) -> Self {
        self.min_permits = permits.max(1);
        self
    }

    /// Sets the factor applied on backpressure, in percent (1 to 99).
    pub fn decrease_percent(mut self, percent: u32) -> Self {
        self.decrease_percent = percent.clamp(1, 99);
        self
    }

    /// Sets the pause threshold: a new request yields to the runtime once
    /// before it is sent when `requests` or more other requests of this
    /// API client (gated ones) are out, that is, when it would make more
    /// than `requests` in flight. The answers that have arrived are then
    /// finished, and their connections back in the pool, before it takes
    /// one (`src/call/pause.rs` has the measurements). `u32::MAX` turns it
    /// off. Default 8. Needs the gate on.
    pub fn yield_above(mut self, requests: u32) -> Self {
        self.yield_above = requests;
        self
    }
}

#[derive(Debug)]
struct Shared {
    settings: GateSettings,
    /// The limit, an `f64` (it grows by fractions), as bits.
    limit: AtomicU64,
    /// Permits out. Written twice by every request, so on a cache line of
    /// its own: the fields beside it, which every request only reads, then
    /// stay valid in each core's cache instead of moving with this one.
    out: OwnLine<AtomicU32>,
    /// Bumped by every decrease; a permit remembers the round it was taken in.
    round: AtomicU64,
    /// Tasks waiting for a permit (so that a returned permit wakes someone
    /// only when someone waits).
    waiting: AtomicU32,
    /// Serializes decreases (rare) so that each round decreases once.
    decrease: Mutex<()>,
    freed: Notify,
}

/// One API client's gate. Cheap to clone.
///
/// Lock-free on the way of every request (a permit taken and returned, a
/// normal answer at the highest limit): with a thousand requests in flight
/// on a multi-threaded runtime, a mutex there made the runtime's threads
/// wait for each other and was measurable in the client benchmark.
#[derive(Debug, Clone)]
pub(crate) struct Gate(Arc<Shared>);

/// A permit; returned to the gate when dropped (or when
/// [`release`](Permit::release)d). It remembers the round it was taken in,
/// so that the answer it reports counts only once per round.
#[derive(Debug)]
pub(crate) struct Permit<'a> {
    /// Borrowed, not a clone of the `Arc`: a clone and its drop would be
    /// two more atomic writes to a line every request shares.
    gate: &'a Gate,
    round: u64,
    /// Whether it still counts against the limit.
    held: bool,
    /// Whether at least [`GateSettings::yield_above`] permits were out
    /// when it was taken.
    busy: bool,
}

impl Permit<'_> {
    /// Whether the gate was busy when this permit was taken: at least
    /// [`GateSettings::yield_above`] others out.
    pub(crate) fn busy(&self) -> bool {
        self.busy
    }

    /// Gives the slot back while keeping the right to report the answer
    /// (for requests that are admitted, not held).
    pub(crate) fn release(&mut self) {
        if std::mem::replace(&mut self.held, false) {
            let shared = &self.gate.0;
            shared.out.fetch_sub(1, Ordering::SeqCst);
            if shared.waiting.load(Ordering::SeqCst) > 0 {
                shared.freed.notify_one();
            }
        }
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.release();
    }
}

/// One task counted in [`Shared::waiting`] while it lives.
struct Waiting<'a>(&'a AtomicU32);

impl<'a> Waiting<'a> {
    fn count(waiting: &'a AtomicU32) -> Self {
        waiting.fetch_add(1, Ordering::SeqCst);
        Self(waiting)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// How a request goes through a gate.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Gated<'a> {
    /// The gate.
    pub gate: &'a Gate,
    /// `true`: the permit is held until the answer arrives; `false`: it is
    /// given back once the request is sent (long polls).
    pub hold: bool,
}

impl Gate {
    pub(crate) fn new(settings: GateSettings) -> Self {
        let min = settings.min_permits.max(1);
        let max = settings.max_permits.max(min);
        let settings = GateSettings {
            min_permits: min,
            max_permits: max,
            ..settings
        };
        Self(Arc::new(Shared {
            settings,
            limit: AtomicU64::new(f64::from(max).to_bits()),
            out: OwnLine(AtomicU32::new(0)),
            round: AtomicU64::new(0),
            waiting: AtomicU32::new(0),
            decrease: Mutex::new(()),
            freed: Notify::new(),
        }))
    }

    fn limit_now(&self) -> f64 {
        f64::from_bits(self.0.limit.load(Ordering::SeqCst))
    }

    /// Whether `operation` goes through the gate.
    pub(crate) fn applies_to(&self, operation: &str) -> bool {
        self.0.settings.enabled && !EXEMPT.iter().any(|e| same_operation(e, operation))
    }

    /// How `operation` goes through the gate; `None`: it does not.
    pub(crate) fn for_operation(&self, operation: &str) -> Option<Gated<'_>> {
        self.applies_to(operation).then(|| Gated {
            gate: self,
            hold: !ADMITTED.iter().any(|a| same_operation(a, operation)),
        })
    }

    /// A permit if one is free now.
    pub(crate) fn try_acquire(&self) -> Option<Permit<'_>> {
        let shared = &self.0;
        let round = shared.round.load(Ordering::SeqCst);
        let mut out = shared.out.load(Ordering::SeqCst);
        loop {
            if f64::from(out) >= self.limit_now().floor().max(1.0) {
                return None;
            }
            match shared
                .out
                .compare_exchange_weak(out, out + 1, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => {
                    return Some(Permit {
                        gate: self,
                        round,
                        held: true,
                        busy: out >= shared.settings.yield_above,
                    });
                }
                Err(now) => out = now,
            }
        }
    }

    /// Waits for a permit.
    pub(crate) async fn acquire(&self) -> Permit<'_> {
        if let Some(permit) = self.try_acquire() {
            return permit;
        }
        let shared = &self.0;
        loop {
            let freed = shared.freed.notified();
            tokio::pin!(freed);
            freed.as_mut().enable();
            // Counted as waiting before looking again: a permit returned
            // after this look sees the count and wakes a waiter. The count
            // is undone however this ends (a caller may drop the wait).
            let counted = Waiting::count(&shared.waiting);
            if let Some(permit) = self.try_acquire() {
                return permit;
            }
            freed.await;
            drop(counted);
            if let Some(permit) = self.try_acquire() {
                // Another waiter may be able to go too (the limit grew).
                if shared.waiting.load(Ordering::SeqCst) > 0 {
                    shared.freed.notify_one();
                }
                return permit;
            }
        }
    }

    /// The server signalled backpressure to the holder of `permit`.
    pub(crate) fn backpressure(&self, permit: &Permit<'_>) {
        let shared = &self.0;
        // A poisoned lock guards no data.
        let _serial = shared
            .decrease
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if permit.round != shared.round.load(Ordering::SeqCst) {
            return;
        }
        let settings = &shared.settings;
        let out = shared.out.load(Ordering::SeqCst).max(1);
        let base = self.limit_now().min(f64::from(out));
        let next = (base * f64::from(settings.decrease_percent) / 100.0)
            .floor()
            .max(f64::from(settings.min_permits));
        shared.limit.store(next.to_bits(), Ordering::SeqCst);
        shared.round.fetch_add(1, Ordering::SeqCst);
        tracing::debug!(limit = next, "backpressure: gate limit lowered");
    }

    /// The server answered normally.
    pub(crate) fn success(&self) {
        let shared = &self.0;
        let max = f64::from(shared.settings.max_permits);
        let mut bits = shared.limit.load(Ordering::SeqCst);
        loop {
            let limit = f64::from_bits(bits);
            if limit >= max {
                // The usual case: nothing to change.
                return;
            }
            let next = (limit + 1.0 / limit.max(1.0)).min(max);
            match shared.limit.compare_exchange_weak(
                bits,
                next.to_bits(),
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(_) => break,
                Err(now) => bits = now,
            }
        }
        if shared.waiting.load(Ordering::SeqCst) > 0 {
            shared.freed.notify_one();
        }
    }

    /// The current limit (whole permits).
    #[cfg(test)]
    pub(crate) fn limit(&self) -> u32 {
        let limit = self.limit_now().floor();
        // Bounded by max_permits, a u32.
        if limit >= f64::from(u32::MAX) {
            u32::MAX
        } else {
            limit as u32
        }
    }
}

/// Tells the gate (if the request went through one) how the attempt that
/// held `permit` was answered, `backpressure` or normally, and gives the
/// permit back: a permit is never held while a retry waits.
pub(crate) fn report(gate: Option<Gated<'_>>, permit: Option<Permit<'_>>, backpressure: bool) {
    if let (Some(gated), Some(held)) = (gate, &permit) {
        if backpressure {
            gated.gate.backpressure(held);
        } else {
            gated.gate.success();
        }
    }
    drop(permit);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_permit_is_busy_when_yield_above_others_are_out() {
        let gate = Gate::new(GateSettings::default().yield_above(3));
        let quiet: Vec<_> = (0..3).filter_map(|_| gate.try_acquire()).collect();
        assert!(quiet.iter().all(|p| !p.busy()));
        let busy = gate.try_acquire().expect("a free permit");
        assert!(busy.busy(), "three others were out");
        drop(quiet);
        drop(busy);
        assert!(!gate.try_acquire().expect("a free permit").busy());
        let never = Gate::new(GateSettings::default().yield_above(u32::MAX));
        let held: Vec<_> = (0..100).filter_map(|_| never.try_acquire()).collect();
        assert_eq!(held.len(), 100);
        assert!(held.iter().all(|p| !p.busy()));
    }

    #[tokio::test]
    async fn shrinks_once_per_round_and_recovers() {
        let gate = Gate::new(GateSettings::default().max_permits(16));
        let permits: Vec<_> = futures::future::join_all((0..10).map(|_| gate.acquire())).await;
        // Ten answers refused together: one decrease, from the 10 out.
        for p in &permits {
            gate.backpressure(p);
        }
        assert_eq!(gate.limit(), 7);
        drop(permits);
        // A permit taken after the decrease counts again.
        let p = gate.acquire().await;
        gate.backpressure(&p);
        assert_eq!(gate.limit(), 1);
        drop(p);
        for _ in 0..100 {
            gate.success();
        }
        assert!(gate.limit() >= 13, "{}", gate.limit());
        for _ in 0..1000 {
            gate.success();
        }
        assert_eq!(gate.limit(), 16);
    }

    #[tokio::test]
    async fn holds_requests_over_the_limit_until_a_permit_returns() {
        let gate = Gate::new(GateSettings::default().max_permits(2));
        let a = gate.acquire().await;
        let b = gate.acquire().await;
        let third = gate.acquire();
        tokio::pin!(third);
        assert!(
            tokio::time::timeout(std::time::Duration::from_millis(20), third.as_mut())
                .await
                .is_err()
        );
        drop(a);
        let _c = tokio::time::timeout(std::time::Duration::from_secs(1), third)
            .await
            .expect("a returned permit is handed on");
        drop(b);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn never_more_out_than_the_limit_under_contention() {
        use std::sync::atomic::AtomicUsize;
        let gate = Gate::new(GateSettings::default().max_permits(3));
        let now = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..64)
            .map(|_| {
                let (gate, now, most) = (gate.clone(), now.clone(), most.clone());
                tokio::spawn(async move {
                    for _ in 0..50 {
                        let permit = gate.acquire().await;
                        let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(n, Ordering::SeqCst);
                        tokio::task::yield_now().await;
                        now.fetch_sub(1, Ordering::SeqCst);
                        drop(permit);
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("task");
        }
        assert!(most.load(Ordering::SeqCst) <= 3);
        assert_eq!(gate.0.out.load(Ordering::SeqCst), 0);
        assert_eq!(gate.0.waiting.load(Ordering::SeqCst), 0);
        // A wait given up (its caller dropped it) leaves no count behind.
        let held: Vec<_> = futures::future::join_all((0..3).map(|_| gate.acquire())).await;
        let gave_up =
            tokio::time::timeout(std::time::Duration::from_millis(20), gate.acquire()).await;
        assert!(gave_up.is_err());
        assert_eq!(gate.0.waiting.load(Ordering::SeqCst), 0);
        drop(held);
    }

    #[test]
    fn exempt_operations_and_off() {
        let gate = Gate::new(GateSettings::default());
        assert!(gate.applies_to("activateJobs"));
        assert!(!gate.applies_to("completeJob"));
        assert!(!gate.applies_to("complete_job"));
        assert!(!gate.applies_to("throw_job_error"));
        assert!(gate.applies_to("activate_jobs"));
        assert!(gate.applies_to("complete_jobs_batch"));
        assert!(!Gate::new(GateSettings::off()).applies_to("activateJobs"));
        assert!(!gate.for_operation("activate_jobs").expect("gated").hold);
        assert!(!gate.for_operation("activateJobs").expect("gated").hold);
        assert!(gate.for_operation("updateJob").is_none());
        assert!(
            gate.for_operation("create_process_instance")
                .expect("gated")
                .hold
        );
        assert!(gate.for_operation("complete_job").is_none());
    }

    #[tokio::test]
    async fn a_released_permit_frees_its_slot_but_still_reports() {
        let gate = Gate::new(GateSettings::default().max_permits(4));
        let mut first = gate.acquire().await;
        let others = (gate.acquire().await, gate.acquire().await);
        gate.backpressure(&first);
        assert_eq!(gate.limit(), 2);
        drop(others);
        let held = gate.acquire().await;
        // At the limit, one slot held by `held`; release `first` and a
        // second permit is at hand while `first` can still report.
        first.release();
        let second = tokio::time::timeout(std::time::Duration::from_millis(50), gate.acquire())
            .await
            .expect("a released slot is handed on");
        gate.backpressure(&second);
        assert_eq!(gate.limit(), 1);
        // `first` belongs to an older round: its report no longer counts.
        gate.backpressure(&first);
        assert_eq!(gate.limit(), 1);
        drop((first, held, second));
    }
}
