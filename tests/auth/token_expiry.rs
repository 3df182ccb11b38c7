//! A 401 on a token the API accepted before is its expiry, a 401 on a
//! token the API never accepted a refusal: calls keep working across
//! server-side expiries however often they come, and an API that refuses
//! every token still costs one token request per failure memory.
//!
//! Time is the injected clock. The stand-in server counts a token's life
//! from when its token request arrived, and its token endpoint "takes"
//! [`FETCH`] by moving the clock while it answers (it also answers a little
//! late in real time, so that concurrent calls pile up behind the fetch).
//! Calls go in rounds of [`TASKS`] concurrent ones, the clock moving
//! [`STEP`] between rounds.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use crate::support::token_fixtures::{ManualClock, token_body};
use camunda8::auth::Clock;
use camunda8::{Camunda, Config};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOPOLOGY: &str = r#"{"brokers":[],"clusterSize":1,"partitionsCount":1,"replicationFactor":1,"gatewayVersion":"8.6.7"}"#;

/// How long the token endpoint takes to answer, on the clock.
const FETCH: Duration = Duration::from_secs(2);
/// The lifetime the token endpoint states, and the one the API enforces,
/// counted from the token request's arrival. The client uses such a token
/// for its 10 s minimum lifetime from the answer: it expires on the server
/// 6 s before the client would refresh it on its own.
const LIFETIME: Duration = Duration::from_secs(6);
/// Concurrent calls per round.
const TASKS: usize = 50;
/// The clock's move between rounds.
const STEP: Duration = Duration::from_millis(500);

/// The stand-in auth server and API, and what it handed out.
struct Server {
    mock: MockServer,
    clock: Arc<ManualClock>,
    /// When each token's request arrived, by token value.
    issued: Arc<Mutex<HashMap<String, SystemTime>>>,
    token_requests: Arc<AtomicUsize>,
}

impl Server {
    /// `accepts`: whether the API accepts a token it issued while the token
    /// is younger than `lifetime` (false: a wrong audience, every token
    /// refused). `lifetime` is also what the token endpoint states.
    async fn start(clock: &Arc<ManualClock>, lifetime: Duration, accepts: bool) -> Self {
        let mock = MockServer::start().await;
        let issued: Arc<Mutex<HashMap<String, SystemTime>>> = Arc::default();
        let token_requests = Arc::new(AtomicUsize::new(0));
        let (tokens, count, at) = (
            Arc::clone(&issued),
            Arc::clone(&token_requests),
            clock.clone(),
        );
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(move |_: &wiremock::Request| {
                let n = count.fetch_add(1, Ordering::SeqCst);
                let token = format!("token-{n}");
                tokens.lock().unwrap().insert(token.clone(), at.now());
                at.advance(FETCH);
                ResponseTemplate::new(200)
                    .set_body_json(token_body(&token, Some(lifetime.as_secs())))
                    .set_delay(Duration::from_millis(30))
            })
            .mount(&mock)
            .await;
        let (tokens, at) = (Arc::clone(&issued), clock.clone());
        Mock::given(method("GET"))
            .and(path("/v1/topology"))
            .respond_with(move |request: &wiremock::Request| {
                let sent = request
                    .headers
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.strip_prefix("Bearer "))
                    .unwrap_or_default();
                let issued_at = tokens.lock().unwrap().get(sent).copied();
                let alive = issued_at.is_some_and(|t| at.now() <= t + lifetime);
                if accepts && alive {
                    ResponseTemplate::new(200).set_body_raw(TOPOLOGY, "application/json")
                } else {
                    ResponseTemplate::new(401)
                }
            })
            .mount(&mock)
            .await;
        Self {
            mock,
            clock: clock.clone(),
            issued,
            token_requests,
        }
    }

    fn client(&self, memory: Duration) -> Camunda {
        Config::new()
            .oauth_url(format!("{}/oauth/token", self.mock.uri()))
            .client_credentials("expiry-client", "expiry-secret")
            .zeebe_url(self.mock.uri())
            .clock(self.clock.clone())
            .token_failure_memory(memory)
            .build()
            .unwrap()
    }
}

/// What the rounds of calls saw.
#[derive(Debug, Default)]
struct Outcome {
    calls: usize,
    /// Failed calls: their HTTP status (`None`: no answer) and when.
    failures: Vec<(Option<u16>, Duration)>,
    /// The longest a call took, on the clock.
    slowest: Duration,
    /// Rounds in which some call took time on the clock (waited for a fetch).
    rounds_waiting: usize,
    /// How far the clock moved in all.
    elapsed: Duration,
}

/// Rounds of [`TASKS`] concurrent `get_topology` calls until the clock has
/// moved `span`.
async fn run(camunda: &Camunda, clock: &Arc<ManualClock>, span: Duration) -> Outcome {
    let start = clock.now();
    let mut outcome = Outcome::default();
    while clock.now().duration_since(start).unwrap() < span {
        let calls: Vec<_> = (0..TASKS)
            .map(|_| {
                let (camunda, clock) = (camunda.clone(), clock.clone());
                tokio::spawn(async move {
                    let started = clock.now();
                    let result = camunda.zeebe().unwrap().get_topology().send().await;
                    let took = clock.now().duration_since(started).unwrap();
                    (result.map(|_| ()).map_err(|e| e.status()), started, took)
                })
            })
            .collect();
        let mut waited = false;
        for call in calls {
            let (result, started, took) = call.await.unwrap();
            outcome.calls += 1;
            outcome.slowest = outcome.slowest.max(took);
            waited |= !took.is_zero();
            if let Err(status) = result {
                let at = started.duration_since(start).unwrap();
                outcome.failures.push((status.map(|s| s.as_u16()), at));
            }
        }
        outcome.rounds_waiting += usize::from(waited);
        clock.advance(STEP);
    }
    outcome.elapsed = clock.now().duration_since(start).unwrap();
    // Back to the scheduler once: awaiting many finished tasks uses up this
    // task's cooperative budget, and wiremock's MockServer, dropped at the
    // end of the test, blocks on a tokio lock that then never resolves
    // (it spun forever once under load).
    tokio::task::yield_now().await;
    outcome
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_keep_working_across_expiries_with_a_slow_token_endpoint() {
    let clock = ManualClock::new();
    let server = Server::start(&clock, LIFETIME, true).await;
    let camunda = server.client(camunda8::auth::DEFAULT_FAILURE_MEMORY);
    let outcome = run(&camunda, &clock, Duration::from_secs(25)).await;
    let stats = camunda.token_stats();

    assert!(
        outcome.failures.is_empty(),
        "{} of {} calls failed, first ones (status, when): {:?}; {stats:?}",
        outcome.failures.len(),
        outcome.calls,
        &outcome.failures[..outcome.failures.len().min(5)]
    );
    assert_eq!(stats.renewals_suppressed, 0, "{stats:?}");
    // About one token per server-side lifetime (a token serves from its
    // fetch's end until LIFETIME after it began, then a fetch), not one per
    // call: several expiries crossed, each with a single request.
    let issued = server.token_requests.load(Ordering::SeqCst);
    assert_eq!(stats.token_requests, issued as u64);
    let per_token = LIFETIME + STEP;
    let most = (outcome.elapsed.as_millis() / per_token.as_millis()) as usize + 1;
    assert!(
        (3..=most).contains(&issued),
        "{issued} token requests in {:?} (at most {most}); {stats:?}",
        outcome.elapsed
    );
    assert_eq!(server.issued.lock().unwrap().len(), issued);
    // A call waits for at most one fetch: the one its expiry started or
    // joined.
    assert!(
        outcome.slowest <= FETCH,
        "slowest call {:?}",
        outcome.slowest
    );
    assert!(outcome.rounds_waiting <= issued, "{outcome:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_refusing_every_token_costs_one_token_request_per_failure_memory() {
    let clock = ManualClock::new();
    // (tokens that live an hour: no background refresh in the test)
    let server = Server::start(&clock, Duration::from_secs(3600), false).await;
    let memory = Duration::from_secs(5);
    let camunda = server.client(memory);
    let outcome = run(&camunda, &clock, Duration::from_secs(30)).await;
    let stats = camunda.token_stats();

    // Every call fails with the API's 401 (not a token error).
    assert_eq!(outcome.failures.len(), outcome.calls);
    assert!(
        outcome
            .failures
            .iter()
            .all(|(status, _)| *status == Some(401)),
        "{:?}",
        &outcome.failures[..5]
    );
    // The first token and its renewal, then one renewal each time the
    // memory of the refusal has passed (the clock also moves by FETCH per
    // request): one per memory at most, however many calls.
    let issued = server.token_requests.load(Ordering::SeqCst);
    assert_eq!(stats.token_requests, issued as u64);
    let most = 2 + (outcome.elapsed.as_millis() / memory.as_millis()) as usize;
    assert!(
        issued <= most,
        "{issued} token requests for {} calls in {:?} (at most {most}); {stats:?}",
        outcome.calls,
        outcome.elapsed
    );
    assert!(issued >= 3, "the refusal is forgotten after the memory");
    assert!(
        stats.renewals_suppressed as usize >= outcome.calls - TASKS * issued,
        "{stats:?}"
    );
    // Fast: only the rounds in which a token was fetched waited for one;
    // while the refusal is remembered, the 401 comes back at once.
    assert!(outcome.rounds_waiting <= issued, "{outcome:?}");
    assert!(
        outcome.slowest <= FETCH * 2,
        "slowest call {:?}",
        outcome.slowest
    );
}
