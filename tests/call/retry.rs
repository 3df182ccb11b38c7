//! Backpressure retries against a fake server.
//!
//! The waits go through a virtual [`Timer`] that records them and returns at
//! once, so the tests are instant and can check every wait exactly. (Tokio's
//! paused clock is no substitute here: while a test awaits real network I/O
//! the runtime auto-advances the paused clock to the next pending timer, so
//! virtual time jumps by unrelated amounts and the elapsed-time budget is
//! spent at random.)

use std::io::Write;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use camunda8::RetryPolicy;
use camunda8::retry::Timer;
use futures::future::BoxFuture;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PATH: &str = "/v1/process-instances";

fn policy() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(4)
        .base_delay(Duration::from_millis(100))
        .max_delay(Duration::from_secs(1))
        .max_elapsed(Duration::from_secs(30))
}

/// Virtual time: `now` moves only when something sleeps.
struct FakeTimer {
    origin: std::time::Instant,
    slept: Mutex<Vec<Duration>>,
}

impl FakeTimer {
    fn new() -> Self {
        Self {
            origin: std::time::Instant::now(),
            slept: Mutex::new(Vec::new()),
        }
    }
    fn sleeps(&self) -> Vec<Duration> {
        self.slept.lock().unwrap().clone()
    }
}

impl Timer for FakeTimer {
    fn now(&self) -> std::time::Instant {
        self.origin + self.slept.lock().unwrap().iter().sum::<Duration>()
    }
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.slept.lock().unwrap().push(duration);
        Box::pin(std::future::ready(()))
    }
}

/// A request factory that counts how often it was asked.
fn factory(
    client: &reqwest::Client,
    url: String,
    calls: Arc<AtomicU32>,
) -> impl FnMut(u32) -> Option<reqwest::Request> + use<> {
    let client = client.clone();
    move |attempt| {
        let seen = calls.fetch_add(1, Ordering::SeqCst) + 1;
        assert_eq!(attempt, seen, "attempts are numbered 1, 2, 3, …");
        client.post(&url).body("{}").build().ok()
    }
}

/// Mounts `first` for the first `times` requests, then `then` for the rest.
async fn server(first: ResponseTemplate, times: u64, then: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .respond_with(then)
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

/// Runs one request; returns the response, how many requests were built and
/// the waits in between.
async fn run(server: &MockServer, policy: &RetryPolicy) -> (reqwest::Response, u32, Vec<Duration>) {
    let client = reqwest::Client::new();
    let calls = Arc::new(AtomicU32::new(0));
    let timer = FakeTimer::new();
    let response = policy
        .execute_with(
            &client,
            &timer,
            factory(&client, format!("{}{PATH}", server.uri()), calls.clone()),
        )
        .await
        .unwrap();
    (response, calls.load(Ordering::SeqCst), timer.sleeps())
}

async fn received(server: &MockServer) -> usize {
    server.received_requests().await.unwrap_or_default().len()
}

#[tokio::test]
async fn too_many_requests_is_retried_until_success() {
    let s = server(
        ResponseTemplate::new(429),
        2,
        ResponseTemplate::new(200).set_body_string("ok"),
    )
    .await;
    let (response, calls, sleeps) = run(&s, &policy()).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "ok");
    assert_eq!(calls, 3);
    assert_eq!(received(&s).await, 3);
    // Two jittered waits, each at most min(1 s, 100 ms · 2^(n-1)).
    assert_eq!(sleeps.len(), 2, "{sleeps:?}");
    assert!(sleeps[0] <= Duration::from_millis(100), "{sleeps:?}");
    assert!(sleeps[1] <= Duration::from_millis(200), "{sleeps:?}");
}

#[tokio::test]
async fn unavailable_with_retry_after_waits_that_long() {
    let s = server(
        ResponseTemplate::new(503).insert_header("Retry-After", "2"),
        1,
        ResponseTemplate::new(200),
    )
    .await;
    let (response, calls, sleeps) = run(&s, &policy()).await;
    assert_eq!(response.status(), 200);
    assert_eq!(calls, 2);
    // The jittered backoff (≤ 100 ms) is below the server's floor.
    assert_eq!(sleeps, [Duration::from_secs(2)]);
}

/// 8.8.3 and later: backpressure is a 503 whose problem title is
/// `RESOURCE_EXHAUSTED`.
#[tokio::test]
async fn unavailable_resource_exhausted_uses_backoff() {
    let exhausted = ResponseTemplate::new(503).set_body_raw(
        r#"{"type":"about:blank","title":"RESOURCE_EXHAUSTED","status":503,"detail":"Expected to handle REST API request, but the gateway is under backpressure"}"#,
        "application/problem+json",
    );
    let s = server(exhausted, 3, ResponseTemplate::new(204)).await;
    let (response, calls, sleeps) = run(&s, &policy()).await;
    assert_eq!(response.status(), 204);
    assert_eq!(calls, 4);
    assert_eq!(sleeps.len(), 3, "{sleeps:?}");
    for (n, sleep) in sleeps.iter().enumerate() {
        assert!(*sleep <= Duration::from_millis(100 << n), "{sleeps:?}");
    }
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let when = chrono::Utc::now() + chrono::Duration::seconds(5);
    let date = when.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let s = server(
        ResponseTemplate::new(429).insert_header("Retry-After", date.as_str()),
        1,
        ResponseTemplate::new(200),
    )
    .await;
    let (response, calls, sleeps) = run(&s, &policy()).await;
    assert_eq!(response.status(), 200);
    assert_eq!(calls, 2);
    // The date has one-second resolution and wall time passes meanwhile.
    assert_eq!(sleeps.len(), 1);
    assert!(
        sleeps[0] >= Duration::from_secs(3) && sleeps[0] <= Duration::from_secs(5),
        "{sleeps:?}"
    );
}

#[tokio::test]
async fn resource_exhausted_500_is_retried() {
    let body = r#"{"type":"about:blank","title":"RESOURCE_EXHAUSTED","status":500}"#;
    let s = server(
        ResponseTemplate::new(500).set_body_string(body),
        1,
        ResponseTemplate::new(200).set_body_string("{\"key\":1}"),
    )
    .await;
    let (response, calls, _) = run(&s, &policy()).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "{\"key\":1}");
    assert_eq!(calls, 2);
}

#[tokio::test]
async fn other_500_is_returned_intact_without_retry() {
    let s = server(
        ResponseTemplate::new(500)
            .insert_header("x-trace", "abc")
            .set_body_raw(r#"{"title":"INTERNAL"}"#, "application/problem+json"),
        10,
        ResponseTemplate::new(200),
    )
    .await;
    let (response, calls, _) = run(&s, &policy()).await;
    assert_eq!(response.status(), 500);
    assert_eq!(response.headers()["x-trace"], "abc");
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    assert_eq!(response.text().await.unwrap(), r#"{"title":"INTERNAL"}"#);
    assert_eq!(calls, 1);
    assert_eq!(received(&s).await, 1);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    for status in [400u16, 401, 403, 404, 409, 502, 504] {
        let s = server(
            ResponseTemplate::new(status),
            10,
            ResponseTemplate::new(200),
        )
        .await;
        let (response, calls, _) = run(&s, &policy()).await;
        assert_eq!(response.status(), status);
        assert_eq!(calls, 1, "status {status}");
    }
}

#[tokio::test]
async fn exhaustion_returns_the_last_response() {
    let s = server(
        ResponseTemplate::new(500)
            .insert_header("x-attempt", "any")
            .set_body_string("RESOURCE_EXHAUSTED"),
        100,
        ResponseTemplate::new(200),
    )
    .await;
    let (response, calls, _) = run(&s, &policy()).await;
    assert_eq!(response.status(), 500);
    assert_eq!(response.headers()["x-attempt"], "any");
    assert_eq!(response.text().await.unwrap(), "RESOURCE_EXHAUSTED");
    assert_eq!(calls, 4);
    assert_eq!(received(&s).await, 4);

    let s = server(ResponseTemplate::new(429), 100, ResponseTemplate::new(200)).await;
    let (response, calls, _) = run(&s, &RetryPolicy::none()).await;
    assert_eq!(response.status(), 429);
    assert_eq!(calls, 1);
}

#[tokio::test]
async fn never_waits_past_max_elapsed() {
    let s = server(
        ResponseTemplate::new(503).insert_header("Retry-After", "60"),
        100,
        ResponseTemplate::new(200),
    )
    .await;
    let (response, calls, sleeps) = run(&s, &policy()).await;
    assert_eq!(response.status(), 503);
    assert_eq!(calls, 1);
    assert!(sleeps.is_empty(), "{sleeps:?}");

    // Several retries, stopping before the budget is spent.
    let s = server(
        ResponseTemplate::new(429).insert_header("Retry-After", "4"),
        100,
        ResponseTemplate::new(200),
    )
    .await;
    let budget = policy()
        .max_attempts(100)
        .max_elapsed(Duration::from_secs(10));
    let (response, calls, sleeps) = run(&s, &budget).await;
    assert_eq!(response.status(), 429);
    assert_eq!(
        calls, 3,
        "attempts at 0 s, 4 s, 8 s; 12 s would exceed 10 s"
    );
    assert_eq!(sleeps, [Duration::from_secs(4), Duration::from_secs(4)]);
}

#[tokio::test]
async fn each_request_is_built_after_the_wait_before_it() {
    let s = server(ResponseTemplate::new(429), 2, ResponseTemplate::new(200)).await;
    let client = reqwest::Client::new();
    let url = format!("{}{PATH}", s.uri());
    let timer = FakeTimer::new();
    let response = policy()
        .execute_with(&client, &timer, |attempt| {
            // Attempt n comes after n-1 waits, so its credentials are fresh.
            assert_eq!(timer.sleeps().len(), attempt as usize - 1);
            client.post(&url).build().ok()
        })
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(timer.sleeps().len(), 2);
}

#[tokio::test]
async fn a_request_that_cannot_be_cloned_is_not_retried() {
    let s = server(ResponseTemplate::new(429), 100, ResponseTemplate::new(200)).await;
    let client = reqwest::Client::new();
    let url = format!("{}{PATH}", s.uri());
    let calls = AtomicU32::new(0);
    let response = policy()
        .execute(&client, |attempt| {
            calls.fetch_add(1, Ordering::SeqCst);
            (attempt == 1).then(|| client.post(&url).build().unwrap())
        })
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(received(&s).await, 1);
}

#[tokio::test]
async fn connection_errors_are_not_retried() {
    // A port nobody listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let client = reqwest::Client::new();
    let calls = Arc::new(AtomicU32::new(0));
    let error = policy()
        .execute(
            &client,
            factory(
                &client,
                format!("http://127.0.0.1:{port}{PATH}"),
                calls.clone(),
            ),
        )
        .await
        .unwrap_err();
    assert!(error.is_connect() || error.is_request(), "{error:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

/// Collects formatted tracing output.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs, once for this test binary, a global subscriber writing into a
/// shared buffer. (A thread-local `set_default` is not reliable while other
/// tests run in parallel: callsite interest is shared between threads.)
fn captured_output() -> Captured {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    CAPTURED
        .get_or_init(|| {
            let captured = Captured::default();
            let writer = captured.clone();
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
                .with_ansi(false)
                .with_writer(move || writer.clone())
                .finish();
            tracing::subscriber::set_global_default(subscriber).unwrap();
            captured
        })
        .clone()
}

#[tokio::test]
async fn spans_show_method_path_attempt_and_status_but_no_secrets() {
    let captured = captured_output();
    // A path of its own, to pick this test's lines out of the shared output.
    let own_path = "/v1/spans-test/messages";
    let s = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(own_path))
        .respond_with(ResponseTemplate::new(429))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&s)
        .await;
    Mock::given(method("POST"))
        .and(path(own_path))
        .respond_with(ResponseTemplate::new(200))
        .with_priority(2)
        .mount(&s)
        .await;
    let client = reqwest::Client::new();
    let url = format!("{}{own_path}?token=hunter2", s.uri());
    let response = policy()
        .base_delay(Duration::from_millis(1))
        .execute(&client, |_| {
            client
                .post(&url)
                .bearer_auth("hunter2")
                .header("cookie", "OPERATE-SESSION=hunter2")
                .body("hunter2")
                .build()
                .ok()
        })
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(!text.contains("hunter2"), "{text}");
    let ours: Vec<&str> = text
        .lines()
        .filter(|l| l.contains(&format!("path={own_path}")))
        .collect();
    let has = |needles: &[&str]| {
        ours.iter()
            .any(|l| l.contains("camunda8.http") && needles.iter().all(|n| l.contains(n)))
    };
    assert!(
        has(&["method=POST", "attempt=1", "status=429"]),
        "{ours:#?}"
    );
    assert!(
        has(&["method=POST", "attempt=2", "status=200"]),
        "{ours:#?}"
    );
    assert!(
        has(&["backpressure; waiting before the next attempt"]),
        "{ours:#?}"
    );
}

/// A 503 that is not backpressure (no `RESOURCE_EXHAUSTED`, no
/// `Retry-After`: a gateway or proxy failing) is returned at once, as are
/// 502 and a 500 without `RESOURCE_EXHAUSTED`.
#[tokio::test]
async fn other_server_errors_are_not_retried() {
    for failure in [
        ResponseTemplate::new(503).set_body_raw(
            r#"{"title":"Service Unavailable","status":503,"detail":"no broker available"}"#,
            "application/problem+json",
        ),
        ResponseTemplate::new(502),
        ResponseTemplate::new(500).set_body_raw(
            r#"{"title":"INTERNAL","status":500,"detail":"unexpected"}"#,
            "application/problem+json",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let (case, failure) = failure;
        let s = server(failure, 1, ResponseTemplate::new(204)).await;
        let (response, calls, sleeps) = run(&s, &policy()).await;
        assert_ne!(response.status(), 204, "case {case}");
        assert_eq!(calls, 1);
        assert!(sleeps.is_empty());
    }
}
