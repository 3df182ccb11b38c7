//! What one API call's future occupies. Every call's future is moved while
//! it is built and is held by the caller's task for the whole call; the
//! call record's wrapper once stored the request code three times over
//! (7.7 KB for a topology GET in a test build; 2.8 KB without that), and
//! `async fn` layers kept their request or response argument twice (1.8 KB
//! once they became functions returning `async` blocks). Then the send
//! path's nested `async` functions left room for their rare paths beside
//! the common one, and the generated code kept the request and the raw
//! result in the future after they were moved away (824 bytes with the
//! hand-written send future and the `scoped_exchange` step). The bound below
//! is about what the request code itself needs, so a layer that copies it
//! again, or keeps room for what it no longer holds, fails here.

#![cfg(feature = "zeebe")]

use camunda8::hooks::Inner;

#[test]
fn a_call_future_holds_the_request_code_once() {
    let client = camunda8::zeebe::Client::new("http://127.0.0.1:9/v1", Inner::unauthenticated());
    let call = client.get_topology().send();
    let size = std::mem::size_of_val(&call);
    assert!(size <= 1024, "a topology call's future takes {size} bytes");
}
