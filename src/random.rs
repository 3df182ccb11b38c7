//! The crate's randomness: jitter of waits, names of temporary files and
//! multipart boundaries.
//!
//! None of these needs to be unpredictable to an adversary, only different
//! between processes, threads and calls, so a SplitMix64 sequence per
//! thread serves, seeded from the standard library's per-process random
//! hashing keys (which come from the operating system's random source).
//! It spares every build of the crate a random-number crate and the
//! dependencies it pulls in.

use std::cell::Cell;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher as _;

thread_local! {
    static STATE: Cell<u64> = Cell::new(RandomState::new().hash_one(0x5eed_u64));
}

/// A uniformly distributed `u64`.
pub(crate) fn next_u64() -> u64 {
    STATE.with(|state| {
        let mut z = state.get().wrapping_add(0x9e37_79b9_7f4a_7c15);
        state.set(z);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    })
}

/// A `u64` in `0..=max`, uniform up to a bias below `max / 2^64`
/// (multiply-shift).
pub(crate) fn up_to(max: u64) -> u64 {
    match max.checked_add(1) {
        None => next_u64(),
        // The product of two 64-bit numbers shifted right by 64 fits in 64 bits.
        Some(n) => ((u128::from(next_u64()) * u128::from(n)) >> 64) as u64,
    }
}

/// An `f64` in `low..=high` (for `low <= high`).
pub(crate) fn between(low: f64, high: f64) -> f64 {
    // 53 random bits: every value in [0, 1] a double can hold at that step.
    let unit = (next_u64() >> 11) as f64 / ((1u64 << 53) - 1) as f64;
    low + (high - low) * unit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_to_stays_in_range_and_reaches_both_ends() {
        assert_eq!(up_to(0), 0);
        let draws: Vec<u64> = (0..2000).map(|_| up_to(3)).collect();
        assert!(draws.iter().all(|&d| d <= 3));
        for v in 0..=3 {
            assert!(draws.contains(&v), "{v} never drawn");
        }
        let _ = up_to(u64::MAX);
    }

    #[test]
    fn between_stays_in_range_and_spreads() {
        let draws: Vec<f64> = (0..2000).map(|_| between(0.8, 1.2)).collect();
        assert!(draws.iter().all(|d| (0.8..=1.2).contains(d)));
        assert!(draws.iter().any(|&d| d < 0.85) && draws.iter().any(|&d| d > 1.15));
    }

    #[test]
    fn threads_draw_different_sequences() {
        let here: Vec<u64> = (0..4).map(|_| next_u64()).collect();
        let there = std::thread::spawn(|| (0..4).map(|_| next_u64()).collect::<Vec<u64>>())
            .join()
            .unwrap_or_default();
        assert_ne!(here, there);
    }
}
