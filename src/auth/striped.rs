//! A counter that threads bump without sharing a cache line.
//!
//! Every API call answered from a cached token counts a cache hit, twice
//! (the cache's count and its key's). With one `AtomicU64` each, the line
//! holding it moved between cores on every call, which a profile of the
//! client bench showed as a cost of OAuth over a static token. A
//! [`Striped`] counter has one line per stripe; a thread bumps its own
//! stripe and a read sums them.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::own_line::OwnLine;

/// Stripes per counter (threads beyond share them round-robin).
const STRIPES: usize = 8;

/// A count bumped by many threads and read rarely: one stripe per line.
#[derive(Debug, Default)]
pub(crate) struct Striped([OwnLine<AtomicU64>; STRIPES]);

/// Hands each thread its stripe, round-robin.
static NEXT_STRIPE: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static STRIPE: usize = NEXT_STRIPE.fetch_add(1, Ordering::Relaxed) % STRIPES;
}

impl Striped {
    /// Adds one.
    pub(crate) fn bump(&self) {
        // (A thread being torn down, its locals gone, counts on stripe 0.)
        let stripe = STRIPE.try_with(|s| *s).unwrap_or(0);
        self.0[stripe].fetch_add(1, Ordering::Relaxed);
    }

    /// The count so far.
    pub(crate) fn load(&self) -> u64 {
        self.0
            .iter()
            .map(|s| s.load(Ordering::Relaxed))
            .fold(0, u64::wrapping_add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bump_from_every_thread_is_counted() {
        let counter = Striped::default();
        std::thread::scope(|scope| {
            for _ in 0..(STRIPES + 3) {
                scope.spawn(|| {
                    for _ in 0..1000 {
                        counter.bump();
                    }
                });
            }
        });
        assert_eq!(counter.load(), (STRIPES as u64 + 3) * 1000);
    }
}
