//! What the Prism coverage tests (`prism_coverage`, `prism_orchestration`)
//! share to call a generated client: the credential, an HTTP client that
//! cannot hang, request bodies from their JSON form, what Prism said
//! about a request it refused (`failure_detail`), and the record of one
//! API's calls (`Run`).

use std::collections::BTreeSet;
use std::time::Duration;

use camunda8::hooks::Inner;
use camunda8::{ApiError, ResponseValue, Secret};
use camunda8_codegen::contract::operation_names;
use camunda8_codegen::post::renames;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::support::spec::contract;

/// A token as the OAuth2 server would issue it (Prism only checks that a
/// bearer credential is present).
pub const TOKEN: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJvcmRlci1zZXJ2aWNlIiwiYXVkIjoiemVlYmUuY2FtdW5kYS5pbyJ9.c2lnbmF0dXJl";

/// The `sl-violations` header Prism adds to a refused request's answer
/// (what broke the spec), and all headers, for a failure message.
pub fn describe_headers(headers: &reqwest::header::HeaderMap) -> String {
    let violations = headers
        .get("sl-violations")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_else(|| "(none)".to_string());
    format!("sl-violations: {violations}\n    headers: {headers:?}")
}

/// A request body of type `T` from its JSON form; the typed value must
/// serialize back to exactly that JSON, so no field is dropped on the way.
pub fn body<T: Serialize + DeserializeOwned>(wire: Value) -> T {
    let typed: T = serde_json::from_value(wire.clone())
        .unwrap_or_else(|e| panic!("{wire} is not a valid {}: {e}", std::any::type_name::<T>()));
    let back = serde_json::to_value(&typed).expect("serialize body");
    assert_eq!(
        back,
        wire,
        "{} does not keep the body as written",
        std::any::type_name::<T>()
    );
    typed
}

/// An HTTP client whose every request ends within 30 s, so a stuck Prism
/// fails the test instead of hanging it.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("http client")
}

/// The generated clients' hook state with `TOKEN` as bearer credential.
pub fn bearer() -> Inner {
    Inner::with_bearer_token(&Secret::new(TOKEN.to_string())).expect("bearer token")
}

/// What an error response's body says, for the failure message.
pub trait ErrorBody {
    async fn describe(self) -> String;
}

impl ErrorBody for () {
    async fn describe(self) -> String {
        "(the contract documents this error without a body)".to_string()
    }
}

#[cfg(feature = "admin")]
impl ErrorBody for camunda8::admin::ByteStream {
    async fn describe(self) -> String {
        use futures::StreamExt;
        let mut stream = self.into_inner();
        let mut bytes = Vec::new();
        while let Some(Ok(chunk)) = stream.next().await {
            bytes.extend_from_slice(&chunk);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// Error bodies with a typed form: their `Debug`.
macro_rules! error_body_as_debug {
    ($($feature:literal: $($ty:ty),+;)+) => {$($(
        #[cfg(feature = $feature)]
        impl ErrorBody for $ty {
            async fn describe(self) -> String {
                format!("{self:?}")
            }
        }
    )+)+};
}

error_body_as_debug! {
    "zeebe": camunda8::zeebe::types::ProblemDetail;
    "operate": camunda8::operate::types::ProblemDetail;
    "orchestration": camunda8::orchestration::types::ProblemDetail,
        camunda8::orchestration::types::TakeRuntimeBackupAsClusterAdminResponse,
        camunda8::orchestration::types::ClusterStatusResponse;
}

/// Everything a failed call met, for the test's failure message: the
/// status, Prism's `sl-violations` and the headers, the problem and the
/// body, or why the success body did not decode.
pub async fn failure_detail<E: ErrorBody>(error: ApiError<E>) -> String {
    match error {
        ApiError::Response {
            status,
            problem: Some(problem),
            body,
            headers,
            ..
        } => {
            let headers = describe_headers(&headers);
            let problem = problem.describe().await;
            format!(
                "documented error response {status}\n    {headers}\n    problem: {problem}\n    body: {body}"
            )
        }
        ApiError::Response {
            status,
            problem: None,
            body,
            headers,
            ..
        } => {
            let headers = describe_headers(&headers);
            format!("undocumented response {status}\n    {headers}\n    body: {body}")
        }
        ApiError::Decode { reason, body, .. } => format!(
            "the success body does not decode as the generated type: {reason}\n    body: {body}"
        ),
        other => {
            let other = other.into_untyped();
            format!("{other}\n    {other:?}")
        }
    }
}

/// The operations one run called against Prism and the failures it met.
pub struct Run {
    api: &'static str,
    /// Which Prism answered (its examples or generated bodies), where a
    /// test runs the calls more than once.
    mode: Option<&'static str>,
    called: BTreeSet<String>,
    failures: Vec<String>,
}

impl Run {
    /// A run over the calls of `api` (`admin`, `orchestration`, …).
    pub fn new(api: &'static str) -> Run {
        Run {
            api,
            mode: None,
            called: BTreeSet::new(),
            failures: Vec::new(),
        }
    }

    /// The same run, naming which Prism answered in its failures.
    pub fn in_mode(mut self, mode: &'static str) -> Run {
        self.mode = Some(mode);
        self
    }

    /// Records that `op` was called; keeps its failure, if any, with
    /// everything Prism said about it.
    pub async fn record<T, E: ErrorBody>(
        &mut self,
        op: &str,
        result: Result<ResponseValue<T>, ApiError<E>>,
    ) -> Option<ResponseValue<T>> {
        self.called(op);
        let error = match result {
            Ok(response) => return Some(response),
            Err(error) => error,
        };
        let detail = failure_detail(error).await;
        self.fail(op, detail);
        None
    }

    /// Records that `op` was called (without a result: the coverage
    /// check's own tests).
    pub fn called(&mut self, op: &str) {
        assert!(
            self.called.insert(op.to_string()),
            "{}: {op} is called twice; each operation has one call here",
            self.api
        );
    }

    /// The failures recorded so far, each `api::operation: detail`.
    pub fn failures(&self) -> &[String] {
        &self.failures
    }

    /// Records a failure found after a call returned `Ok`.
    pub fn fail(&mut self, op: &str, detail: String) {
        self.failures.push(format!("{}::{op}: {detail}", self.api));
    }

    /// Every call succeeded, and the calls cover exactly the contract's
    /// operations (`expected` of them), under the names the generated
    /// client gives them (codegen/post/renames.rs).
    pub fn finish(self, expected: usize) {
        let mode = self.mode.map(|m| format!(" ({m})")).unwrap_or_default();
        assert!(
            self.failures.is_empty(),
            "{} of {} {} calls failed against Prism{mode}:\n{}",
            self.failures.len(),
            self.called.len(),
            self.api,
            self.failures.join("\n")
        );
        let operations: BTreeSet<String> = operation_names::method_names(&contract(self.api))
            .into_iter()
            .map(|(_, _, name)| renames::renamed(self.api, &name))
            .collect();
        let missing: Vec<_> = operations.difference(&self.called).collect();
        let unknown: Vec<_> = self.called.difference(&operations).collect();
        assert!(
            missing.is_empty() && unknown.is_empty(),
            "{}: the calls here must be exactly the contract's operations; \
             never called: {missing:?}; not in the contract: {unknown:?}",
            self.api
        );
        assert_eq!(
            operations.len(),
            expected,
            "{}: the contract has {} operations, this test expects {expected}",
            self.api,
            operations.len()
        );
        println!(
            "{}: all {expected} operations called and accepted by Prism{mode}",
            self.api
        );
    }
}
