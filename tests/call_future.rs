//! What one API call's future occupies. Every call's future is moved while
//! it is built and is held by the caller's task for the whole call; the
//! call record's wrapper once stored the request code three times over
//! (7.7 KB for a topology GET in a test build; 2.8 KB without that), and
//! `async fn` layers kept their request or response argument twice (1.8 KB
//! once they became functions returning `async` blocks). The bound below is about
//! what the request code itself needs, so a layer that copies it again
//! fails here.

#![cfg(feature = "zeebe")]

use camunda8::hooks::Inner;

#[test]
fn a_call_future_holds_the_request_code_once() {
    let client = camunda8::zeebe::Client::new("http://127.0.0.1:9/v1", Inner::unauthenticated());
    let call = client.get_topology().send();
    let size = std::mem::size_of_val(&call);
    assert!(size <= 2560, "a topology call's future takes {size} bytes");
}
