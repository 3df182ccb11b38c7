//! The spans of an API call (`camunda8.request`, and `camunda8.http` per
//! attempt) are DEBUG spans: an application that logs at INFO, the usual
//! setting, creates none of them. At INFO they were created and recorded
//! on every call, which cost about a fifth of the throughput of a small
//! request under a `tracing-subscriber` fmt subscriber (`CAMUNDA8_BENCH_TRACING=info`
//! in `benches/client.rs`). At DEBUG they are there, with their fields.

#![cfg(feature = "zeebe")]

use std::sync::{Arc, Mutex};

use camunda8::{Camunda, Secret};
use tracing::Subscriber;
use tracing::span::{Attributes, Id};
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::{Context, SubscriberExt as _};
use tracing_subscriber::{Layer, Registry};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOPOLOGY: &str = r#"{"brokers":[],"clusterSize":1,"partitionsCount":1,"replicationFactor":1,"gatewayVersion":"8.6.7"}"#;

/// Records the name and fields of every span created.
#[derive(Clone, Default)]
struct Spans(Arc<Mutex<Vec<String>>>);

impl<S: Subscriber> Layer<S> for Spans {
    fn on_new_span(&self, attrs: &Attributes<'_>, _id: &Id, _ctx: Context<'_, S>) {
        let mut fields = String::new();
        attrs.record(
            &mut |field: &tracing::field::Field, value: &dyn std::fmt::Debug| {
                fields.push_str(&format!(" {}={value:?}", field.name()));
            },
        );
        if let Ok(mut spans) = self.0.lock() {
            spans.push(format!("{}{fields}", attrs.metadata().name()));
        }
    }
}

/// The spans one topology call creates under a subscriber at `level`.
async fn spans_of_a_call_at(level: LevelFilter) -> Vec<String> {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/topology"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(TOPOLOGY, "application/json"))
        .mount(&server)
        .await;
    let camunda = Camunda::builder()
        .zeebe_url(format!("{}/v1", server.uri()))
        .bearer_token(Secret::new("span-test-token"))
        .build()
        .expect("client");
    let spans = Spans::default();
    let subscriber = Registry::default().with(spans.clone().with_filter(level));
    let guard = tracing::subscriber::set_default(subscriber);
    camunda
        .zeebe()
        .expect("zeebe")
        .get_topology()
        .send()
        .await
        .expect("topology");
    drop(guard);
    let recorded = spans.0.lock().expect("spans").clone();
    recorded
        .into_iter()
        .filter(|s| s.starts_with("camunda8."))
        .collect()
}

#[tokio::test]
async fn an_application_logging_at_info_gets_no_span_per_call() {
    let spans = spans_of_a_call_at(LevelFilter::INFO).await;
    assert!(spans.is_empty(), "{spans:#?}");
}

#[tokio::test]
async fn at_debug_each_call_and_attempt_has_its_span() {
    let spans = spans_of_a_call_at(LevelFilter::DEBUG).await;
    assert_eq!(spans.len(), 2, "{spans:#?}");
    assert!(
        spans[0].starts_with("camunda8.request") && spans[0].contains("operation=\"get_topology\""),
        "{spans:#?}"
    );
    assert!(
        spans[1].starts_with("camunda8.http")
            && spans[1].contains("method=GET")
            && spans[1].contains("path=/v1/topology")
            && spans[1].contains("attempt=1"),
        "{spans:#?}"
    );
    assert!(
        !spans.iter().any(|s| s.contains("span-test-token")),
        "{spans:#?}"
    );
}
