//! Each thread's view of the slots' current tokens: the cached-token path
//! without touching memory other threads write.
//!
//! Read under the slot's lock, a cached token cost every API call about
//! eight atomic updates of lines all threads share: the lock taken and
//! released, the token's `Arc` and its header's bytes cloned and dropped.
//! Each moved a cache line between cores; in the client bench OAuth ran a
//! few points below a static token although its instructions were the
//! same.
//!
//! A [`View`] is what [`TokenSource`](super::TokenSource) read under the
//! lock the last time on this thread: the token, in an allocation of this
//! thread's own (an equal token, so clones and drops stay in this core's
//! cache), and the fields that decide whether it is due for a refresh. It
//! is keyed by the slot and the slot's **version**, a process-wide unique
//! number the slot takes on every change of its state, before the change's
//! lock is released. A view whose version is the slot's current one is the
//! state a read under the lock would see now, so the answer is the same
//! (`tests` below, and the token tests, check that); any other falls back
//! to the lock and refreshes the view.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use super::source::Peek;
use super::token::AccessToken;

/// Versions, unique in the process: a slot dropped and another allocated at
/// the same address never share one, so a stale view never matches.
static VERSIONS: AtomicU64 = AtomicU64::new(1);

/// A fresh version for a slot whose state changed.
pub(crate) fn next_version() -> u64 {
    VERSIONS.fetch_add(1, Ordering::Relaxed)
}

/// Views kept per thread (one per slot in use; a process has a few).
const KEPT: usize = 8;

/// What a thread saw of a slot whose token was valid.
#[derive(Clone)]
pub(crate) struct View {
    /// The slot's address (with `version`, the key).
    pub(crate) slot: usize,
    pub(crate) version: u64,
    /// An equal token, in this thread's own allocation.
    pub(crate) token: AccessToken,
    pub(crate) refresh_at: SystemTime,
    /// The rest of what decides whether the token is due for a refresh.
    pub(crate) refreshing: bool,
    pub(crate) next_refresh_try: Option<SystemTime>,
    pub(crate) remembered_until: Option<SystemTime>,
}

impl View {
    /// Whether the token is due for a refresh at `now`: past its refresh
    /// time, none running, none failed too recently, no failure
    /// remembered.
    pub(crate) fn due(&self, now: SystemTime) -> bool {
        now >= self.refresh_at
            && !self.refreshing
            && self.next_refresh_try.is_none_or(|t| now >= t)
            && self.remembered_until.is_none_or(|until| now >= until)
    }

    /// The slot's answer at `now` from this view: `None` once the token is
    /// no longer valid (the slot then has to be read).
    pub(crate) fn peek(&self, now: SystemTime) -> Option<Peek> {
        if !self.token.is_valid_at(now) {
            return None;
        }
        let token = self.token.clone();
        Some(if self.due(now) {
            Peek::Due(token)
        } else {
            Peek::Fresh(token)
        })
    }
}

thread_local! {
    static VIEWS: RefCell<Vec<View>> = const { RefCell::new(Vec::new()) };
}

/// Calls `f` with this thread's view of `slot` at `version`, if it has
/// that one.
pub(crate) fn with<R>(slot: usize, version: u64, f: impl FnOnce(&View) -> R) -> Option<R> {
    VIEWS
        .try_with(|views| {
            let views = views.try_borrow().ok()?;
            views
                .iter()
                .find(|v| v.slot == slot && v.version == version)
                .map(f)
        })
        .ok()
        .flatten()
}

/// Keeps `view` as this thread's view of its slot (the token copied into
/// an allocation of this thread's).
pub(crate) fn keep(mut view: View) {
    view.token = view.token.own_copy();
    let _ = VIEWS.try_with(|views| {
        let Ok(mut views) = views.try_borrow_mut() else {
            return;
        };
        if let Some(old) = views.iter_mut().find(|v| v.slot == view.slot) {
            *old = view;
            return;
        }
        if views.len() >= KEPT {
            views.remove(0);
        }
        views.push(view);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Secret;
    use std::time::Duration;

    fn view(slot: usize, version: u64, token: &str) -> View {
        let now = SystemTime::now();
        View {
            slot,
            version,
            token: AccessToken::new(Secret::new(token), now + Duration::from_secs(60))
                .expect("token"),
            refresh_at: now + Duration::from_secs(30),
            refreshing: false,
            next_refresh_try: None,
            remembered_until: None,
        }
    }

    #[test]
    fn a_view_answers_only_for_its_slot_and_version() {
        keep(view(1, 10, "one"));
        keep(view(2, 20, "two"));
        let secret = |v: &View| v.token.secret().expose().to_owned();
        assert_eq!(with(1, 10, secret).as_deref(), Some("one"));
        assert_eq!(with(2, 20, secret).as_deref(), Some("two"));
        assert_eq!(with(1, 11, secret), None);
        assert_eq!(with(3, 10, secret), None);
        // A newer view of slot 1 replaces the older one.
        keep(view(1, 12, "one again"));
        assert_eq!(with(1, 10, secret), None);
        assert_eq!(with(1, 12, secret).as_deref(), Some("one again"));
    }

    #[test]
    fn the_kept_token_is_equal_but_not_shared() {
        let original = view(5, 50, "shared?");
        let token = original.token.clone();
        keep(original);
        let kept = with(5, 50, |v| v.token.clone()).expect("kept");
        assert_eq!(kept, token);
        assert_eq!(kept.header_value(), token.header_value());
        assert!(!kept.shares_allocation_with(&token));
    }

    #[test]
    fn at_most_a_few_views_are_kept_per_thread() {
        std::thread::spawn(|| {
            for slot in 100..(100 + KEPT + 2) {
                keep(view(slot, slot as u64, "t"));
            }
            let kept = VIEWS.with(|v| v.borrow().len());
            assert_eq!(kept, KEPT);
            // the oldest went first
            assert!(with(100, 100, |_| ()).is_none());
            assert!(with(101 + KEPT, (101 + KEPT) as u64, |_| ()).is_some());
        })
        .join()
        .expect("thread");
    }
}
