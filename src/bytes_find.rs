//! Finding a byte string inside another: whether a response body names
//! `RESOURCE_EXHAUSTED` (src/call/classify.rs), whether a file holds a PEM block
//! (src/tls.rs). Neither input is text for sure, so `str::contains` does not fit.

/// Whether `needle` occurs in `haystack`. An empty needle occurs in any
/// haystack.
pub(crate) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::contains;

    #[test]
    fn needle_search() {
        assert!(contains(
            b"{\"title\":\"RESOURCE_EXHAUSTED\"}",
            b"RESOURCE_EXHAUSTED"
        ));
        assert!(!contains(b"INTERNAL", b"RESOURCE_EXHAUSTED"));
        assert!(contains(
            b"-----BEGIN CERTIFICATE-----\n",
            b"-----BEGIN CERTIFICATE-----"
        ));
        assert!(!contains(b"", b"x"));
    }
}
