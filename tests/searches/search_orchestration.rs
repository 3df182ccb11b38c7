//! The Orchestration Cluster API's searches as streams against an
//! in-process server that pages with `page.after`/`page.endCursor` as
//! Camunda 8.8+ does: several pages and an empty last one with the filter
//! and sort unchanged, the end at an exact `totalItems`, a server that
//! repeats its cursor, an error in the middle of the stream, the limit and
//! the cap; path and query parameters kept on every page; the offset-paged
//! `search_user_task_effective_variables`; and every search has a
//! paginator.

#![cfg(feature = "orchestration")]

use crate::support::retries::one_quick_retry;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use camunda8::orchestration::types::ProcessInstanceSearchQuery;
use camunda8::search::SearchError;
use camunda8::{ApiError, AuthStrategy, Camunda, Config};
use futures::{StreamExt as _, TryStreamExt as _};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const BASE_KEY: u64 = 2_251_799_813_690_000;

fn cursor(position: u64) -> String {
    STANDARD.encode(format!("{{\"position\":{position}}}"))
}

fn position(cursor: &str) -> u64 {
    let bytes = STANDARD.decode(cursor).expect("a cursor of ours");
    let value: Value = serde_json::from_slice(&bytes).expect("json cursor");
    value["position"].as_u64().expect("position")
}

fn process_instance(n: u64) -> Value {
    json!({
        "processInstanceKey": (BASE_KEY + n).to_string(),
        "processDefinitionId": "order",
        "processDefinitionKey": "2251799813686749",
        "processDefinitionName": "Order",
        "processDefinitionVersion": 1,
        "processDefinitionVersionTag": null,
        "startDate": "2025-06-01T10:00:00.000Z",
        "endDate": null,
        "suspendedDate": null,
        "state": "ACTIVE",
        "hasIncident": false,
        "tenantId": "<default>",
        "parentProcessInstanceKey": null,
        "parentElementInstanceKey": null,
        "rootProcessInstanceKey": null,
        "businessId": null,
        "tags": []
    })
}

fn variable(n: u64) -> Value {
    json!({
        "variableKey": (BASE_KEY + n).to_string(),
        "name": format!("v{n}"),
        "value": n.to_string(),
        "isTruncated": false,
        "processInstanceKey": BASE_KEY.to_string(),
        "rootProcessInstanceKey": null,
        "scopeKey": BASE_KEY.to_string(),
        "tenantId": "<default>"
    })
}

/// How the fake server pages.
#[derive(Clone, Copy, PartialEq)]
enum Paging {
    /// `page.after`/`endCursor`, `totalItems` reported as a lower bound
    /// (`hasMoreTotalItems: true`), so only an empty page or a null cursor
    /// ends the search.
    Cursor,
    /// Like `Cursor`, with an exact `totalItems`.
    CursorExactTotal,
    /// Always the first page with the same cursor.
    RepeatCursor,
    /// `page.from`/`page.limit`.
    Offset,
}

/// Items `1..=count` made by `item`, paged as `paging` says.
struct V2 {
    count: u64,
    paging: Paging,
    item: fn(u64) -> Value,
    /// The request (0-based) that fails with a 400 problem, if any.
    fail_at: Option<usize>,
    requests: Arc<AtomicUsize>,
}

impl V2 {
    fn new(count: u64, paging: Paging, item: fn(u64) -> Value) -> Self {
        Self {
            count,
            paging,
            item,
            fail_at: None,
            requests: Arc::default(),
        }
    }
}

impl Respond for V2 {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let n = self.requests.fetch_add(1, Ordering::SeqCst);
        if self.fail_at == Some(n) {
            return ResponseTemplate::new(400).set_body_json(json!({
                "type": "about:blank", "title": "INVALID_ARGUMENT", "status": 400,
                "detail": "the search filter is not supported", "instance": "/v2/process-instances/search"
            }));
        }
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let page = &body["page"];
        let limit = page["limit"].as_u64().unwrap_or(100);
        let start = match self.paging {
            Paging::Offset => page["from"].as_u64().unwrap_or(0),
            Paging::RepeatCursor => 0,
            Paging::Cursor | Paging::CursorExactTotal => {
                page["after"].as_str().map(position).unwrap_or(0)
            }
        };
        let items: Vec<Value> = (start + 1..=self.count)
            .take(limit as usize)
            .map(self.item)
            .collect();
        let end = start + items.len() as u64;
        let (start_cursor, end_cursor) = if items.is_empty() {
            (Value::Null, Value::Null)
        } else {
            (json!(cursor(start + 1)), json!(cursor(end)))
        };
        ResponseTemplate::new(200).set_body_json(json!({
            "items": items,
            "page": {
                "totalItems": self.count,
                "hasMoreTotalItems": self.paging != Paging::CursorExactTotal,
                "startCursor": start_cursor,
                "endCursor": end_cursor,
            }
        }))
    }
}

async fn serve(server: &MockServer, route: &str, v2: V2) {
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(v2)
        .mount(server)
        .await;
}

fn camunda(server: &MockServer) -> Camunda {
    Config::new()
        .orchestration_url(server.uri())
        .auth_strategy(AuthStrategy::None)
        .retry_policy(one_quick_retry())
        .build()
        .expect("client")
}

fn active_by_start_date() -> ProcessInstanceSearchQuery {
    serde_json::from_value(json!({
        "filter": {"state": "ACTIVE", "processDefinitionId": "order"},
        "sort": [{"field": "startDate", "order": "DESC"}]
    }))
    .expect("query")
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

fn key_numbers(keys: &[String]) -> Vec<u64> {
    keys.iter()
        .map(|k| k.parse::<u64>().unwrap() - BASE_KEY)
        .collect()
}

#[tokio::test]
async fn pages_follow_end_cursor_to_an_empty_page() {
    let server = MockServer::start().await;
    serve(
        &server,
        "/v2/process-instances/search",
        V2::new(25, Paging::Cursor, process_instance),
    )
    .await;
    let camunda = camunda(&server);

    let keys: Vec<String> = camunda
        .orchestration()
        .unwrap()
        .search_process_instances()
        .body(active_by_start_date())
        .paginate()
        .page_size(10)
        .items()
        .map_ok(|instance| instance.process_instance_key.to_string())
        .try_collect()
        .await
        .expect("all instances");
    assert_eq!(key_numbers(&keys), (1..=25).collect::<Vec<_>>());

    // 10, 10, 5, then the empty page with a null cursor.
    let bodies = bodies(&server).await;
    let pages: Vec<&Value> = bodies.iter().map(|b| &b["page"]).collect();
    assert_eq!(
        pages,
        [
            &json!({"limit": 10}),
            &json!({"limit": 10, "after": cursor(10)}),
            &json!({"limit": 10, "after": cursor(20)}),
            &json!({"limit": 10, "after": cursor(25)}),
        ]
    );
    for body in &bodies {
        assert_eq!(
            body["filter"],
            json!({"state": "ACTIVE", "processDefinitionId": "order"})
        );
        assert_eq!(
            body["sort"],
            json!([{"field": "startDate", "order": "DESC"}])
        );
    }
}

#[tokio::test]
async fn an_exact_total_ends_the_search_without_an_empty_page() {
    let server = MockServer::start().await;
    let v2 = V2::new(25, Paging::CursorExactTotal, process_instance);
    let requests = Arc::clone(&v2.requests);
    serve(&server, "/v2/process-instances/search", v2).await;
    let camunda = camunda(&server);

    let instances = camunda
        .orchestration()
        .unwrap()
        .search_process_instances()
        .paginate()
        .page_size(10)
        .collect_all(1000)
        .await
        .unwrap();
    assert_eq!(instances.len(), 25);
    assert_eq!(requests.load(Ordering::SeqCst), 3);

    // The exact total is above the cap: fails after the first page.
    let error = camunda
        .orchestration()
        .unwrap()
        .search_process_instances()
        .paginate()
        .page_size(10)
        .collect_all(20)
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        SearchError::TooMany {
            operation: "search_process_instances",
            max: 20,
            total: Some(25)
        }
    ));
    assert_eq!(requests.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn a_server_repeating_its_cursor_ends_the_stream_with_an_error() {
    let server = MockServer::start().await;
    let v2 = V2::new(25, Paging::RepeatCursor, process_instance);
    let requests = Arc::clone(&v2.requests);
    serve(&server, "/v2/process-instances/search", v2).await;
    let camunda = camunda(&server);

    let items: Vec<_> = camunda
        .orchestration()
        .unwrap()
        .search_process_instances()
        .paginate()
        .page_size(10)
        .items()
        .collect()
        .await;
    assert_eq!(items.len(), 11, "the first page, then the error");
    assert!(matches!(
        items.last(),
        Some(Err(SearchError::RepeatedCursor {
            operation: "search_process_instances",
            page: 2
        }))
    ));
    assert_eq!(requests.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn an_error_mid_stream_is_an_item_then_the_end() {
    let server = MockServer::start().await;
    let mut v2 = V2::new(25, Paging::Cursor, process_instance);
    v2.fail_at = Some(2);
    serve(&server, "/v2/process-instances/search", v2).await;
    let camunda = camunda(&server);

    let items: Vec<_> = camunda
        .orchestration()
        .unwrap()
        .search_process_instances()
        .paginate()
        .page_size(10)
        .items()
        .collect()
        .await;
    assert_eq!(items.len(), 21);
    assert!(items[..20].iter().all(Result::is_ok));
    match &items[20] {
        Err(SearchError::Api(error @ ApiError::Response { .. })) => {
            assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
            let problem = error.problem().expect("the declared ProblemDetail");
            assert_eq!(
                problem.detail.as_deref(),
                Some("the search filter is not supported")
            );
        }
        other => panic!("expected the 400, got {other:?}"),
    }
}

#[tokio::test]
async fn limit_and_cap() {
    let server = MockServer::start().await;
    serve(
        &server,
        "/v2/process-instances/search",
        V2::new(25, Paging::Cursor, process_instance),
    )
    .await;
    let camunda = camunda(&server);
    let v2 = camunda.orchestration().unwrap();

    let first: Vec<_> = v2
        .search_process_instances()
        .paginate()
        .page_size(10)
        .limit(12)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(first.len(), 12);
    let limits: Vec<Value> = bodies(&server)
        .await
        .iter()
        .map(|b| b["page"]["limit"].clone())
        .collect();
    assert_eq!(limits, [json!(10), json!(2)]);

    // No exact total here: the cap is noticed at item 21.
    match v2
        .search_process_instances()
        .paginate()
        .page_size(10)
        .collect_all(20)
        .await
    {
        Err(SearchError::TooMany {
            max: 20,
            total: None,
            ..
        }) => {}
        other => panic!("expected TooMany, got {other:?}"),
    }
    let all = v2
        .search_process_instances()
        .paginate()
        .collect_all(25)
        .await
        .unwrap();
    assert_eq!(all.len(), 25);
}

#[tokio::test]
async fn resuming_from_a_pages_cursor() {
    let server = MockServer::start().await;
    serve(
        &server,
        "/v2/process-instances/search",
        V2::new(25, Paging::Cursor, process_instance),
    )
    .await;
    let camunda = camunda(&server);
    let v2 = camunda.orchestration().unwrap();

    let mut pages = v2
        .search_process_instances()
        .paginate()
        .page_size(10)
        .pages();
    let first = pages.next().await.unwrap().unwrap();
    let resume = first.next.clone().expect("a cursor");
    drop(pages);
    let rest: Vec<_> = v2
        .search_process_instances()
        .paginate()
        .page_size(10)
        .start_after(resume)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rest.len(), 15);
}

#[tokio::test]
async fn path_and_query_parameters_stay_on_every_page() {
    let server = MockServer::start().await;
    let task = "2251799813690001";
    let route = format!("/v2/user-tasks/{task}/variables/search");
    Mock::given(method("POST"))
        .and(path(route.as_str()))
        .and(query_param("truncateValues", "true"))
        .respond_with(V2::new(7, Paging::Cursor, variable))
        .mount(&server)
        .await;
    let camunda = camunda(&server);

    let names: Vec<String> = camunda
        .orchestration()
        .unwrap()
        .search_user_task_variables()
        .user_task_key(task)
        .truncate_values(true)
        .paginate()
        .page_size(3)
        .items()
        .map_ok(|v| v.name)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names, ["v1", "v2", "v3", "v4", "v5", "v6", "v7"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}

#[tokio::test]
async fn offset_pages_advance_by_the_items_received() {
    let server = MockServer::start().await;
    let task = "2251799813690001";
    let route = format!("/v2/user-tasks/{task}/effective-variables/search");
    serve(&server, &route, V2::new(7, Paging::Offset, variable)).await;
    let camunda = camunda(&server);

    let names: Vec<String> = camunda
        .orchestration()
        .unwrap()
        .search_user_task_effective_variables()
        .user_task_key(task)
        .paginate()
        .page_size(3)
        .items()
        .map_ok(|v| v.name)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names, ["v1", "v2", "v3", "v4", "v5", "v6", "v7"]);
    let pages: Vec<Value> = bodies(&server)
        .await
        .iter()
        .map(|b| b["page"].clone())
        .collect();
    assert_eq!(
        pages,
        [
            json!({"from": 0, "limit": 3}),
            json!({"from": 3, "limit": 3}),
            json!({"from": 6, "limit": 3}),
            json!({"from": 7, "limit": 3}),
        ]
    );
}

/// Every Orchestration search has `paginate()` (a compile-time check), and
/// these are all the client's search operations.
#[test]
fn every_orchestration_search_pages() {
    let camunda = Config::new()
        .orchestration_url("http://127.0.0.1:1")
        .auth_strategy(AuthStrategy::None)
        .build()
        .unwrap();
    let v2 = camunda.orchestration().unwrap();
    macro_rules! paginated {
        ($($operation:ident),* $(,)?) => {{
            $(let _ = v2.$operation().paginate();)*
            vec![$(stringify!($operation)),*]
        }};
    }
    let mut covered = paginated!(
        search_agent_definitions,
        search_agent_instances,
        search_agent_instance_history,
        search_audit_logs,
        search_own_authorizations,
        search_authorizations,
        search_batch_operation_items,
        search_batch_operations,
        search_cluster_variables,
        search_correlated_message_subscriptions,
        search_decision_definitions,
        search_decision_instances,
        search_decision_requirements,
        search_element_instances,
        search_element_instance_wait_states,
        search_element_instance_incidents,
        search_global_task_listeners,
        search_groups,
        search_clients_for_group,
        search_mapping_rules_for_group,
        search_roles_for_group,
        search_users_for_group,
        search_incidents,
        search_jobs,
        search_mapping_rules,
        search_message_subscriptions,
        search_process_definitions,
        search_process_definition_variable_names,
        search_process_instances,
        search_process_instance_incidents,
        search_resources,
        search_roles,
        search_clients_for_role,
        search_groups_for_role,
        search_mapping_rules_for_role,
        search_users_for_role,
        search_tenants,
        search_clients_for_tenant,
        search_group_ids_for_tenant,
        search_mapping_rules_for_tenant,
        search_roles_for_tenant,
        search_users_for_tenant,
        search_user_tasks,
        search_user_task_audit_logs,
        search_user_task_effective_variables,
        search_user_task_variables,
        search_users,
        search_variables,
    );
    covered.sort_unstable();
    let code = include_str!(concat!(env!("OUT_DIR"), "/orchestration.rs"));
    assert_eq!(covered.len(), 48);
    assert_eq!(covered, search_methods(code));
}

/// The `search_*` methods of a generated client (not the deprecated
/// aliases of renamed ones, which return the same builder).
fn search_methods(code: &str) -> Vec<&str> {
    let mut deprecated = false;
    let mut methods: Vec<&str> = code
        .lines()
        .filter_map(|line| {
            if line.trim_start().starts_with("#[deprecated") {
                deprecated = true;
            }
            let rest = line.strip_prefix("    pub fn ")?;
            Some((std::mem::take(&mut deprecated), rest))
        })
        .filter(|(deprecated, rest)| !deprecated && rest.starts_with("search_"))
        .filter_map(|(_, rest)| rest.split(['(', '<']).next())
        .collect();
    methods.sort_unstable();
    methods
}
