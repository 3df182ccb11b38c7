//! Refresh, single flight and key separation of the token cache.

use std::time::Duration;

use crate::support::token_fixtures::{
    ManualClock, credentials, fast_builder, token_body, token_server,
};
use camunda8::Error;
use camunda8::auth::{AccessToken, Clock, TokenSource};
use wiremock::matchers::{body_string_contains, method};
use wiremock::{Mock, ResponseTemplate};

fn ok(token: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(token_body(token, Some(expires_in)))
}

/// Calls `token()` until it returns `want` (bounded: 5 s of real time).
async fn eventually(source: &TokenSource, want: &str) {
    for _ in 0..500 {
        if source.token().await.unwrap().secret().expose() == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the token never became {want}");
}

#[tokio::test]
async fn refreshes_in_the_background_before_expiry() {
    let (server, url) = token_server().await;
    Mock::given(method("POST"))
        .respond_with(ok("first", 300))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ok("second", 300).set_delay(Duration::from_millis(300)))
        .mount(&server)
        .await;
    let clock = ManualClock::new();
    let cache = fast_builder(clock.clone()).build().unwrap();
    let source = cache.source(credentials(&url, "zeebe"));
    let first = source.token().await.unwrap();
    assert_eq!(first.secret().expose(), "first");

    // outside the refresh window (30 s ± 20 % before expiry): no refresh
    clock.advance(Duration::from_secs(200));
    assert_eq!(source.token().await.unwrap(), first);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(cache.stats().token_requests, 1);

    // inside it: callers still get the current token at once while one
    // refresh runs (the server takes 300 ms to answer)
    clock.advance(Duration::from_secs(80));
    for _ in 0..20 {
        assert_eq!(source.token().await.unwrap(), first, "callers do not wait");
    }
    eventually(&source, "second").await;
    assert_eq!(cache.stats().token_requests, 2, "one refresh only");
    let second = source.token().await.unwrap();
    assert_eq!(second.expires_at(), clock.now() + Duration::from_secs(300));
}

#[tokio::test]
async fn expired_token_is_fetched_again_in_the_foreground() {
    let (server, url) = token_server().await;
    Mock::given(method("POST"))
        .respond_with(ok("first", 60))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ok("second", 60))
        .mount(&server)
        .await;
    let clock = ManualClock::new();
    let cache = fast_builder(clock.clone()).build().unwrap();
    let source = cache.source(credentials(&url, "zeebe"));
    assert_eq!(source.token().await.unwrap().secret().expose(), "first");
    clock.advance(Duration::from_secs(61));
    assert_eq!(source.token().await.unwrap().secret().expose(), "second");
    assert_eq!(cache.stats().token_requests, 2);
}

#[tokio::test]
async fn failing_refresh_keeps_serving_until_expiry() {
    let (server, url) = token_server().await;
    Mock::given(method("POST"))
        .respond_with(ok("valid", 300))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let clock = ManualClock::new();
    let cache = fast_builder(clock.clone()).build().unwrap();
    let source = cache.source(credentials(&url, "zeebe"));
    let valid = source.token().await.unwrap();

    clock.advance(Duration::from_secs(290));
    assert_eq!(source.token().await.unwrap(), valid);
    // the background refresh makes its 3 attempts and fails
    for _ in 0..500 {
        if cache.stats().token_requests == 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(cache.stats().token_requests, 4);
    tokio::time::sleep(Duration::from_millis(50)).await;
    // still valid: served, no error, and no immediate new attempt
    for _ in 0..10 {
        assert_eq!(source.token().await.unwrap(), valid);
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(cache.stats().token_requests, 4);

    // once it has expired, the failure surfaces
    clock.advance(Duration::from_secs(11));
    let err = source.token().await.unwrap_err();
    assert!(matches!(err, Error::TokenUnavailable { .. }), "{err:?}");
}

#[tokio::test]
async fn refresh_after_rejection_fetches_a_new_token_once() {
    let (server, url) = token_server().await;
    Mock::given(method("POST"))
        .respond_with(ok("rejected-one", 300))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ok("fresh-one", 300).set_delay(Duration::from_millis(100)))
        .mount(&server)
        .await;
    let cache = fast_builder(ManualClock::new()).build().unwrap();
    let source = cache.source(credentials(&url, "zeebe"));
    let rejected = source.token().await.unwrap();

    // many requests fail with 401 at once and all report the same token
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let source = source.clone();
            let rejected = rejected.clone();
            tokio::spawn(async move { source.refresh_after_rejection(&rejected).await })
        })
        .collect();
    for task in tasks {
        let new = task.await.unwrap().unwrap().expect("a different token");
        assert_eq!(new.secret().expose(), "fresh-one");
    }
    assert_eq!(cache.stats().token_requests, 2);
    assert_eq!(source.token().await.unwrap().secret().expose(), "fresh-one");
    // a late report of the old token: answered without a request
    let late = source.refresh_after_rejection(&rejected).await.unwrap();
    assert_eq!(late.unwrap().secret().expose(), "fresh-one");
    assert_eq!(cache.stats().token_requests, 2);
}

/// Each thread answers cached-token calls from its own view of the slot
/// (`src/auth/view.rs`); a change made on any thread (here a renewal after
/// a 401) reaches every thread's next call.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renewed_token_reaches_the_views_of_every_thread() {
    let (server, url) = token_server().await;
    Mock::given(method("POST"))
        .respond_with(ok("before-renewal", 300))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ok("after-renewal", 300))
        .mount(&server)
        .await;
    let cache = fast_builder(ManualClock::new()).build().unwrap();
    let source = cache.source(credentials(&url, "zeebe"));
    // Two threads at once (a barrier makes them distinct), each making 100
    // calls on a runtime of its own.
    let on_two_threads = |source: &TokenSource| {
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
        let tasks: Vec<_> = (0..2)
            .map(|_| {
                let source = source.clone();
                let barrier = barrier.clone();
                tokio::task::spawn_blocking(move || {
                    barrier.wait();
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap();
                    (0..100)
                        .map(|_| {
                            let token = runtime.block_on(source.token()).unwrap();
                            let secret = token.secret().expose().to_owned();
                            (std::thread::current().id(), secret)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        async move {
            let mut seen = Vec::new();
            for task in tasks {
                seen.extend(task.await.unwrap());
            }
            seen
        }
    };
    let before = on_two_threads(&source).await;
    assert!(before.iter().all(|(_, t)| t == "before-renewal"));
    let rejected = source.token().await.unwrap();
    let renewed = source.refresh_after_rejection(&rejected).await.unwrap();
    assert_eq!(renewed.unwrap().secret().expose(), "after-renewal");
    let after = on_two_threads(&source).await;
    assert!(
        after.iter().all(|(_, t)| t == "after-renewal"),
        "{:?}",
        after.iter().filter(|(_, t)| t != "after-renewal").count()
    );
    let threads: std::collections::HashSet<_> = after.iter().map(|(id, _)| *id).collect();
    assert_eq!(threads.len(), 2, "two threads answered calls");
    assert_eq!(cache.stats().token_requests, 2);
    // 199 + 1 + 200: every call but the first answered from memory.
    assert_eq!(cache.stats().cache_hits, 400);
}

/// A token fetched after a 401 is on probation: a 401 on it before the API
/// accepted it means the API refuses fresh tokens (no request for the
/// failure memory), one after `accepted` is its expiry (renewed).
#[tokio::test]
async fn a_renewal_the_api_accepted_is_renewed_again_on_its_own_401() {
    let (server, url) = token_server().await;
    let issued = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = issued.clone();
    Mock::given(method("POST"))
        .respond_with(move |_: &wiremock::Request| {
            let n = count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            ok(&format!("token-{n}"), 300)
        })
        .mount(&server)
        .await;
    let clock = ManualClock::new();
    let cache = fast_builder(clock.clone()).build().unwrap();
    let source = cache.source(credentials(&url, "zeebe"));
    let first = source.token().await.unwrap();
    let renewal = source.refresh_after_rejection(&first).await.unwrap();
    let renewal = renewal.expect("a new token");
    assert_eq!(renewal.secret().expose(), "token-1");

    // accepted: its 401 (a second later) is an expiry
    source.accepted(&renewal);
    clock.advance(Duration::from_secs(1));
    let next = source.refresh_after_rejection(&renewal).await.unwrap();
    let next = next.expect("renewed again");
    assert_eq!(next.secret().expose(), "token-2");
    assert_eq!(cache.stats().renewals_suppressed, 0);

    // reporting another token accepted changes nothing: the 401 on the new
    // renewal, never accepted, is a refusal, remembered for the memory
    source.accepted(&first);
    assert_eq!(source.refresh_after_rejection(&next).await.unwrap(), None);
    assert_eq!(source.refresh_after_rejection(&next).await.unwrap(), None);
    assert_eq!(cache.stats().renewals_suppressed, 2);
    assert_eq!(cache.stats().token_requests, 3);
}

#[tokio::test]
async fn refresh_after_rejection_reports_an_unchanged_token() {
    let (server, url) = token_server().await;
    Mock::given(method("POST"))
        .respond_with(ok("always-the-same", 300))
        .mount(&server)
        .await;
    let cache = fast_builder(ManualClock::new()).build().unwrap();
    let source = cache.source(credentials(&url, "zeebe"));
    let token = source.token().await.unwrap();
    assert_eq!(source.refresh_after_rejection(&token).await.unwrap(), None);
    assert_eq!(cache.stats().token_requests, 2);
}

async fn thousand_callers(source: &TokenSource) -> Vec<Result<AccessToken, Error>> {
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let source = source.clone();
            tokio::spawn(async move { source.token().await })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    // Back to the scheduler once: awaiting many finished tasks uses up this
    // task's cooperative budget, and wiremock's MockServer, dropped at the
    // end of the test, blocks on a tokio lock that then never resolves
    // (it spun forever once under load).
    tokio::task::yield_now().await;
    results
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_cold_callers_make_one_request() {
    let (server, url) = token_server().await;
    Mock::given(method("POST"))
        .respond_with(ok("shared", 300).set_delay(Duration::from_millis(200)))
        .mount(&server)
        .await;
    let cache = fast_builder(ManualClock::new()).build().unwrap();
    let source = cache.source(credentials(&url, "zeebe"));
    let results = thousand_callers(&source).await;
    assert!(
        results
            .iter()
            .all(|r| r.as_ref().unwrap().secret().expose() == "shared")
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert_eq!(cache.stats().token_requests, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_callers_share_one_failing_fetch() {
    let (server, url) = token_server().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_delay(Duration::from_millis(50)))
        .mount(&server)
        .await;
    let cache = fast_builder(ManualClock::new()).build().unwrap();
    let source = cache.source(credentials(&url, "zeebe"));
    let results = thousand_callers(&source).await;
    assert!(
        results
            .iter()
            .all(|r| matches!(r, Err(Error::TokenUnavailable { .. })))
    );
    // one fetch of three attempts, not one per caller
    assert_eq!(cache.stats().token_requests, 3);
}

#[tokio::test]
async fn keys_never_share_or_overwrite_tokens() {
    let (other_server, other_url) = token_server().await;
    let (server, url) = token_server().await;
    for (needle, token) in [
        ("audience=zeebe", "for-zeebe"),
        ("audience=operate", "for-operate"),
    ] {
        Mock::given(method("POST"))
            .and(body_string_contains(needle))
            .and(body_string_contains("client_id=test-client"))
            .respond_with(ok(token, 300))
            .mount(&server)
            .await;
    }
    Mock::given(method("POST"))
        .and(body_string_contains("client_id=other-client"))
        .respond_with(ok("for-other-client", 300))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(body_string_contains("scope=admin"))
        .respond_with(ok("with-scope", 300))
        .mount(&other_server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ok("other-url", 300))
        .mount(&other_server)
        .await;

    let cache = fast_builder(ManualClock::new()).build().unwrap();
    let zeebe = cache.source(credentials(&url, "zeebe"));
    let operate = cache.source(credentials(&url, "operate"));
    let mut other = credentials(&url, "zeebe");
    other.client_id = "other-client".into();
    let other_client = cache.source(other);
    let other_url_source = cache.source(credentials(&other_url, "zeebe"));
    let mut scoped = credentials(&other_url, "zeebe");
    scoped.scope = Some("admin".into());
    let scoped = cache.source(scoped);

    let expected = [
        (&zeebe, "for-zeebe"),
        (&operate, "for-operate"),
        (&other_client, "for-other-client"),
        (&other_url_source, "other-url"),
        (&scoped, "with-scope"),
    ];
    for _ in 0..2 {
        for (source, want) in expected {
            assert_eq!(source.token().await.unwrap().secret().expose(), want);
        }
    }
    assert_eq!(cache.stats().token_requests, 5);
}
