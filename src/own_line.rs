//! A value alone on its cache line, for counters that many threads write.
//!
//! A value written on every request by threads on different cores moves
//! its cache line between them each time, and with it every field that
//! shares the line, even fields those threads only read. [`OwnLine`] pads
//! the value to 128 bytes: two 64-byte lines, which x86 cores prefetch in
//! pairs. Used by the backpressure gate's permits-out counter and the
//! token cache's striped hit counters.

/// `T`, alone on its 128-byte line.
#[derive(Debug, Default)]
#[repr(align(128))]
pub(crate) struct OwnLine<T>(pub(crate) T);

impl<T> std::ops::Deref for OwnLine<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}
