//! Operate's searches as streams against an in-process server that pages
//! with `searchAfter`/`sortValues` as Operate does: several pages and an
//! empty last one, the filter and sort sent unchanged with every page, a
//! server that repeats its cursor, an error in the middle of the stream,
//! the limit and the cap of `collect_all`; and every Operate search has a
//! paginator.

#![cfg(feature = "operate")]

use crate::support::retries::one_quick_retry;
use camunda8::operate::types::{IncidentFilter, IncidentState, QueryIncident, Sort, SortOrder};
use camunda8::search::SearchError;
use camunda8::{ApiError, AuthStrategy, Camunda, Config};
use futures::{StreamExt as _, TryStreamExt as _};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const SEARCH: &str = "/v1/incidents/search";

/// Incidents `1..=count`, keyed and sorted by key, paged like Operate: the
/// first `size` items after `searchAfter`, with the last one's key as
/// `sortValues` (none on an empty page).
struct Operate {
    count: i64,
    /// The request (0-based) that fails with a 500, if any.
    fail_at: Option<usize>,
    /// Always answer the first page (ignoring `searchAfter`).
    ignore_cursor: bool,
    requests: Arc<AtomicUsize>,
}

impl Operate {
    fn new(count: i64) -> Self {
        Self {
            count,
            fail_at: None,
            ignore_cursor: false,
            requests: Arc::default(),
        }
    }
}

impl Respond for Operate {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let n = self.requests.fetch_add(1, Ordering::SeqCst);
        if self.fail_at == Some(n) {
            return ResponseTemplate::new(500).set_body_json(json!({
                "status": 500, "message": "search index unavailable",
                "instance": "x", "type": "Internal error"
            }));
        }
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let size = body["size"].as_i64().unwrap_or(10);
        let after = match (self.ignore_cursor, body["searchAfter"].get(0)) {
            (false, Some(v)) => v.as_i64().unwrap_or(0),
            _ => 0,
        };
        let items: Vec<Value> = (after + 1..=self.count)
            .take(size as usize)
            .map(|key| json!({"key": key, "state": "ACTIVE", "message": format!("incident {key}")}))
            .collect();
        let sort_values = match items.last() {
            Some(last) => json!([last["key"]]),
            None => json!([]),
        };
        ResponseTemplate::new(200).set_body_json(json!({
            "items": items, "sortValues": sort_values, "total": self.count
        }))
    }
}

async fn serve(server: &MockServer, operate: Operate) {
    Mock::given(method("POST"))
        .and(path(SEARCH))
        .respond_with(operate)
        .mount(server)
        .await;
}

fn camunda(server: &MockServer) -> Camunda {
    Config::new()
        .operate_url(server.uri())
        .auth_strategy(AuthStrategy::None)
        .retry_policy(one_quick_retry())
        .build()
        .expect("client")
}

fn active_by_key() -> QueryIncident {
    QueryIncident {
        filter: Some(IncidentFilter {
            state: Some(IncidentState::Active),
            ..Default::default()
        }),
        sort: vec![Sort {
            field: Some("key".into()),
            order: Some(SortOrder::Asc),
        }],
        ..Default::default()
    }
}

async fn bodies(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("json body"))
        .collect()
}

#[tokio::test]
async fn pages_follow_sort_values_to_an_empty_page() {
    let server = MockServer::start().await;
    serve(&server, Operate::new(25)).await;
    let camunda = camunda(&server);

    let keys: Vec<i64> = camunda
        .operate()
        .unwrap()
        .search_incidents()
        .body(active_by_key())
        .paginate()
        .page_size(10)
        .items()
        .map_ok(|incident| incident.key.unwrap_or_default())
        .try_collect()
        .await
        .expect("all incidents");
    assert_eq!(keys, (1..=25).collect::<Vec<_>>());

    // 10, 10, 5 and the empty page that ends it; filter and sort untouched.
    let bodies = bodies(&server).await;
    let after: Vec<&Value> = bodies.iter().map(|b| &b["searchAfter"]).collect();
    assert_eq!(
        after,
        [&Value::Null, &json!([10]), &json!([20]), &json!([25])]
    );
    for body in &bodies {
        assert_eq!(body["size"], 10);
        assert_eq!(body["filter"], json!({"state": "ACTIVE"}));
        assert_eq!(body["sort"], json!([{"field": "key", "order": "ASC"}]));
    }
}

#[tokio::test]
async fn a_server_repeating_its_cursor_ends_the_stream_with_an_error() {
    let server = MockServer::start().await;
    let mut operate = Operate::new(25);
    operate.ignore_cursor = true;
    let requests = Arc::clone(&operate.requests);
    serve(&server, operate).await;
    let camunda = camunda(&server);

    let items: Vec<_> = camunda
        .operate()
        .unwrap()
        .search_incidents()
        .paginate()
        .page_size(10)
        .items()
        .collect()
        .await;
    assert_eq!(items.len(), 11, "the first page, then the error");
    assert!(items[..10].iter().all(Result::is_ok));
    match &items[10] {
        Err(SearchError::RepeatedCursor { operation, page }) => {
            assert_eq!(*operation, "search_incidents");
            assert_eq!(*page, 2);
        }
        other => panic!("expected RepeatedCursor, got {other:?}"),
    }
    assert_eq!(requests.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn an_error_mid_stream_is_an_item_then_the_end() {
    let server = MockServer::start().await;
    let mut operate = Operate::new(25);
    operate.fail_at = Some(1);
    serve(&server, operate).await;
    let camunda = camunda(&server);

    let mut stream = camunda
        .operate()
        .unwrap()
        .search_incidents()
        .paginate()
        .page_size(10)
        .items();
    for key in 1..=10 {
        let incident = stream.next().await.expect("an item").expect("ok");
        assert_eq!(incident.key, Some(key));
    }
    match stream.next().await {
        Some(Err(SearchError::Api(error @ ApiError::Response { .. }))) => {
            assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
            assert_eq!(error.message(), Some("search index unavailable"));
            assert!(error.problem().is_some(), "the declared problem body");
        }
        other => panic!("expected the 500, got {other:?}"),
    }
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn limit_and_cap() {
    let server = MockServer::start().await;
    serve(&server, Operate::new(25)).await;
    let camunda = camunda(&server);
    let operate = camunda.operate().unwrap();

    // limit: the first 12, the second request asks for 2.
    let first: Vec<_> = operate
        .search_incidents()
        .paginate()
        .page_size(10)
        .limit(12)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(first.len(), 12);
    let sizes: Vec<Value> = bodies(&server)
        .await
        .iter()
        .map(|b| b["size"].clone())
        .collect();
    assert_eq!(sizes, [json!(10), json!(2)]);

    // collect_all: everything when it fits, a typed error when it does not.
    let all = operate
        .search_incidents()
        .body(active_by_key())
        .paginate()
        .collect_all(25)
        .await
        .unwrap();
    assert_eq!(all.len(), 25);
    match operate
        .search_incidents()
        .paginate()
        .page_size(10)
        .collect_all(20)
        .await
    {
        Err(SearchError::TooMany { max: 20, .. }) => {}
        other => panic!("expected TooMany, got {other:?}"),
    }
}

/// Every Operate search has `paginate()` (a compile-time check), and these
/// are all the client's search operations.
#[test]
fn every_operate_search_pages() {
    let camunda = Config::new()
        .operate_url("http://127.0.0.1:1")
        .allow_insecure_http(true)
        .auth_strategy(AuthStrategy::None)
        .build()
        .unwrap();
    let operate = camunda.operate().unwrap();
    macro_rules! paginated {
        ($($operation:ident),*) => {{
            $(let _ = operate.$operation().paginate();)*
            vec![$(stringify!($operation)),*]
        }};
    }
    let mut covered = paginated!(
        search_decision_definitions,
        search_decision_instances,
        search_decision_requirements,
        search_flownode_instances,
        search_incidents,
        search_process_definitions,
        search_process_instances,
        search_variables
    );
    covered.sort_unstable();
    let code = include_str!(concat!(env!("OUT_DIR"), "/operate.rs"));
    assert_eq!(covered, search_methods(code));
}

/// The `search_*` methods of a generated client.
fn search_methods(code: &str) -> Vec<&str> {
    let mut methods: Vec<&str> = code
        .lines()
        .filter_map(|line| line.strip_prefix("    pub fn "))
        .filter(|rest| rest.starts_with("search_"))
        .filter_map(|rest| rest.split(['(', '<']).next())
        .collect();
    methods.sort_unstable();
    methods
}
