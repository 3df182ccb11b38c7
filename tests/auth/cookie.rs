//! Operate session-cookie login against a fake Operate.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use camunda8::auth::{Clock, CookieSession};
use camunda8::{Error, Secret};
use url::Url;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PASSWORD: &str = "p&ss=w%rd ü+#";

fn session(server: &MockServer) -> CookieSession {
    CookieSession::new(
        reqwest::Client::new(),
        login_url(server),
        "demo user".to_owned(),
        Secret::new(PASSWORD),
    )
}

fn login_url(server: &MockServer) -> Url {
    Url::parse(&format!("{}/api/login", server.uri())).unwrap()
}

/// A login endpoint that accepts only the right credentials.
fn login_ok(cookie: &str) -> Mock {
    Mock::given(method("POST"))
        .and(path("/api/login"))
        .and(query_param("username", "demo user"))
        .and(query_param("password", PASSWORD))
        .respond_with(ResponseTemplate::new(204).insert_header("set-cookie", cookie))
}

fn logins(requests: &[wiremock::Request]) -> usize {
    requests
        .iter()
        .filter(|r| r.url.path() == "/api/login")
        .count()
}

#[tokio::test]
async fn login_sets_the_cookie_and_requests_carry_it() {
    let server = MockServer::start().await;
    login_ok("OPERATE-SESSION=abc123; Path=/; HttpOnly")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/process-definitions/search"))
        .and(header("cookie", "OPERATE-SESSION=abc123"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"items\":[]}"))
        .mount(&server)
        .await;

    let s = session(&server);
    let value = s.header().await.unwrap();
    assert_eq!(value, "OPERATE-SESSION=abc123");
    assert!(value.is_sensitive());
    assert_eq!(s.login_count(), 1);
    // Cached: no second login.
    assert_eq!(s.header().await.unwrap(), "OPERATE-SESSION=abc123");
    assert_eq!(s.clone().header().await.unwrap(), "OPERATE-SESSION=abc123");
    assert_eq!(s.login_count(), 1);

    let response = reqwest::Client::new()
        .post(format!("{}/v1/process-definitions/search", server.uri()))
        .header(http::header::COOKIE, value)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // The password went in the query, percent-encoded (the matcher decoded it).
    let requests = server.received_requests().await.unwrap();
    let login = requests
        .iter()
        .find(|r| r.url.path() == "/api/login")
        .unwrap();
    assert!(!login.url.query().unwrap().contains(PASSWORD));
}

#[tokio::test]
async fn all_cookies_are_kept() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/login"))
        .respond_with(
            ResponseTemplate::new(204)
                .append_header("set-cookie", "OPERATE-SESSION=abc; Path=/")
                .append_header("set-cookie", "X-CSRF-TOKEN=xyz; Path=/")
                .append_header("set-cookie", "old=; Max-Age=0"),
        )
        .mount(&server)
        .await;
    let value = session(&server).header().await.unwrap();
    assert_eq!(value, "OPERATE-SESSION=abc; X-CSRF-TOKEN=xyz");
}

#[tokio::test]
async fn wrong_password_is_login_failed_without_the_password() {
    let server = MockServer::start().await;
    login_ok("OPERATE-SESSION=abc").mount(&server).await;
    Mock::given(method("POST"))
        .and(path("/api/login"))
        .respond_with(ResponseTemplate::new(401))
        .with_priority(10)
        .mount(&server)
        .await;
    let s = CookieSession::new(
        reqwest::Client::new(),
        login_url(&server),
        "demo user".to_owned(),
        Secret::new("wrong-hunter2"),
    );
    let error = s.header().await.unwrap_err();
    match &error {
        Error::LoginFailed { url, reason } => {
            assert_eq!(url, &format!("{}/api/login", server.uri()));
            assert!(reason.contains("401"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(!shown.contains("password="), "{shown}");
    assert!(!error.is_transient());
    // No session is kept after a failure: the next call tries again.
    assert!(s.header().await.is_err());
    assert_eq!(s.login_count(), 2);
}

#[tokio::test]
async fn other_login_failures_are_typed() {
    // 2xx without a cookie.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/login"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    assert!(matches!(
        session(&server).header().await,
        Err(Error::LoginFailed { .. })
    ));

    // Server error.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/login"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let e = session(&server).header().await.unwrap_err();
    assert!(e.to_string().contains("500"), "{e}");

    // A redirect (Spring's default form login) is not a login.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/login"))
        .respond_with(ResponseTemplate::new(302).insert_header("set-cookie", "JSESSIONID=x"))
        .mount(&server)
        .await;
    let e = session(&server).header().await.unwrap_err();
    assert!(e.to_string().contains("redirect"), "{e}");

    // Cookie already expired on arrival.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/login"))
        .respond_with(
            ResponseTemplate::new(204)
                .insert_header("set-cookie", "s=1; Expires=Sun, 06 Nov 1994 08:49:37 GMT"),
        )
        .mount(&server)
        .await;
    assert!(matches!(
        session(&server).header().await,
        Err(Error::LoginFailed { .. })
    ));
}

#[tokio::test]
async fn connection_failure_never_shows_the_password() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let s = CookieSession::new(
        reqwest::Client::new(),
        Url::parse(&format!("http://127.0.0.1:{port}/api/login")).unwrap(),
        "demo".to_owned(),
        Secret::new("hunter2"),
    );
    let e = s.header().await.unwrap_err();
    assert!(matches!(e, Error::LoginFailed { .. }), "{e:?}");
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(!shown.contains("password"), "{shown}");
}

#[tokio::test]
async fn a_rejected_cookie_triggers_exactly_one_relogin() {
    let server = MockServer::start().await;
    login_ok("OPERATE-SESSION=first")
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    login_ok("OPERATE-SESSION=second")
        .with_priority(2)
        .mount(&server)
        .await;
    let s = session(&server);
    let first = s.header().await.unwrap();
    assert_eq!(first, "OPERATE-SESSION=first");

    // The API answered 401 with `first`: log in again, once.
    let second = s.relogin_after_rejection(&first).await.unwrap().unwrap();
    assert_eq!(second, "OPERATE-SESSION=second");
    assert!(second.is_sensitive());
    assert_eq!(s.login_count(), 2);
    // A second caller that also saw `first` rejected gets `second` for free.
    let again = s.relogin_after_rejection(&first).await.unwrap().unwrap();
    assert_eq!(again, "OPERATE-SESSION=second");
    assert_eq!(s.login_count(), 2);
    assert_eq!(s.header().await.unwrap(), "OPERATE-SESSION=second");
    assert_eq!(logins(&server.received_requests().await.unwrap()), 2);

    // If the new login yields the very cookie that was rejected, retrying is
    // pointless. (`second` accepted first: a fresh cookie rejected before
    // that gets no login at all, see below.)
    s.accepted(&second);
    assert_eq!(s.relogin_after_rejection(&second).await.unwrap(), None);
    assert_eq!(s.login_count(), 3);
}

#[tokio::test]
async fn an_expired_cookie_is_renewed_before_use() {
    let server = MockServer::start().await;
    login_ok("OPERATE-SESSION=short; Max-Age=60")
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    login_ok("OPERATE-SESSION=renewed; Max-Age=60")
        .with_priority(2)
        .mount(&server)
        .await;
    let now = Arc::new(TestClock(Mutex::new(
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
    )));
    let s = CookieSession::with_clock(
        reqwest::Client::new(),
        login_url(&server),
        "demo user".to_owned(),
        Secret::new(PASSWORD),
        now.clone(),
    );
    assert_eq!(s.header().await.unwrap(), "OPERATE-SESSION=short");
    *now.0.lock().unwrap() += Duration::from_secs(30);
    assert_eq!(s.header().await.unwrap(), "OPERATE-SESSION=short");
    assert_eq!(s.login_count(), 1);
    // Past the end (less a small safety margin): a new login.
    *now.0.lock().unwrap() += Duration::from_secs(30);
    assert_eq!(s.header().await.unwrap(), "OPERATE-SESSION=renewed");
    assert_eq!(s.login_count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_callers_share_one_login() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/login"))
        .respond_with(
            ResponseTemplate::new(204)
                .insert_header("set-cookie", "OPERATE-SESSION=shared")
                // Keep the login in flight while the others arrive.
                .set_delay(Duration::from_millis(200)),
        )
        .mount(&server)
        .await;
    let s = session(&server);
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let s = s.clone();
            tokio::spawn(async move { s.header().await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), "OPERATE-SESSION=shared");
    }
    assert_eq!(s.login_count(), 1);
    assert_eq!(logins(&server.received_requests().await.unwrap()), 1);
}

#[test]
fn debug_never_shows_the_password() {
    let s = CookieSession::new(
        reqwest::Client::new(),
        Url::parse("http://127.0.0.1:1/api/login?password=leak").unwrap(),
        "demo".to_owned(),
        Secret::new("hunter2"),
    );
    let shown = format!("{s:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(!shown.contains("leak"), "{shown}");
}

/// A wall clock that moves only when the test says so.
#[derive(Debug)]
struct TestClock(Mutex<SystemTime>);

impl Clock for TestClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }
}

/// A login endpoint that hands out a new session each time:
/// `OPERATE-SESSION=1`, then `=2`, …
fn login_counting() -> Mock {
    let issued = AtomicUsize::new(0);
    Mock::given(method("POST"))
        .and(path("/api/login"))
        .respond_with(move |_: &wiremock::Request| {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            ResponseTemplate::new(204).insert_header("set-cookie", format!("OPERATE-SESSION={n}"))
        })
}

fn manual_clock() -> Arc<TestClock> {
    Arc::new(TestClock(Mutex::new(
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
    )))
}

#[tokio::test]
async fn a_cookie_rejected_right_after_a_fresh_login_is_remembered() {
    let server = MockServer::start().await;
    login_counting().mount(&server).await;
    let now = manual_clock();
    let s = CookieSession::with_clock(
        reqwest::Client::new(),
        login_url(&server),
        "demo user".to_owned(),
        Secret::new(PASSWORD),
        now.clone(),
    )
    .failure_memory(Duration::from_secs(30));
    let first = s.header().await.unwrap();
    assert_eq!(first, "OPERATE-SESSION=1");
    // The first cookie rejected: a login, as before.
    let second = s.relogin_after_rejection(&first).await.unwrap().unwrap();
    assert_eq!(second, "OPERATE-SESSION=2");
    assert_eq!(s.login_count(), 2);

    // The fresh cookie rejected too, before any request with it was
    // accepted: the server refuses fresh cookies; no login for 30 s.
    for _ in 0..3 {
        assert_eq!(s.relogin_after_rejection(&second).await.unwrap(), None);
        assert_eq!(s.header().await.unwrap(), second);
    }
    assert_eq!(s.login_count(), 2);
    *now.0.lock().unwrap() += Duration::from_secs(29);
    assert_eq!(s.relogin_after_rejection(&second).await.unwrap(), None);
    assert_eq!(s.login_count(), 2);

    // Once the memory has passed, a rejection logs in again.
    *now.0.lock().unwrap() += Duration::from_secs(2);
    let third = s.relogin_after_rejection(&second).await.unwrap().unwrap();
    assert_eq!(third, "OPERATE-SESSION=3");
    assert_eq!(s.login_count(), 3);

    // A fresh cookie that was accepted is out of probation: its own
    // rejection, later, is its end, and logs in again.
    s.accepted(&third);
    let fourth = s.relogin_after_rejection(&third).await.unwrap().unwrap();
    assert_eq!(fourth, "OPERATE-SESSION=4");
    assert_eq!(s.login_count(), 4);
    assert_eq!(logins(&server.received_requests().await.unwrap()), 4);
}

#[cfg(feature = "operate")]
#[tokio::test]
async fn calls_to_a_server_that_refuses_every_cookie_do_not_log_in_each_time() {
    let server = MockServer::start().await;
    login_counting().mount(&server).await;
    Mock::given(method("POST"))
        .and(path("/v1/process-definitions/search"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let now = manual_clock();
    let camunda = camunda8::Config::new()
        .operate_url(server.uri())
        .cookie_credentials("demo user", PASSWORD)
        .token_failure_memory(Duration::from_secs(30))
        .clock(now.clone())
        .build()
        .unwrap();
    let call = || async {
        camunda
            .operate()
            .unwrap()
            .search_process_definitions()
            .body(camunda8::operate::types::QueryProcessDefinition::default())
            .send()
            .await
            .unwrap_err()
            .status()
    };
    let logins_so_far = || async { logins(&server.received_requests().await.unwrap()) };

    // The first call logs in, is refused, logs in again and is refused again.
    assert_eq!(call().await, Some(http::StatusCode::UNAUTHORIZED));
    assert_eq!(logins_so_far().await, 2);
    // The next ones fail with the 401 at once, without a login.
    for _ in 0..4 {
        assert_eq!(call().await, Some(http::StatusCode::UNAUTHORIZED));
    }
    assert_eq!(logins_so_far().await, 2);
    // After the failure memory, one call tries a login again.
    *now.0.lock().unwrap() += Duration::from_secs(31);
    assert_eq!(call().await, Some(http::StatusCode::UNAUTHORIZED));
    assert_eq!(logins_so_far().await, 3);
    assert_eq!(call().await, Some(http::StatusCode::UNAUTHORIZED));
    assert_eq!(logins_so_far().await, 3);
}
