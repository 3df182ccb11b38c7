//! What the Prism coverage tests (`prism_coverage`, `prism_orchestration`)
//! share to call a generated client: the credential, an HTTP client that
//! cannot hang, request bodies from their JSON form, and what Prism said
//! about a request it refused (`failure_detail`).

use std::time::Duration;

use camunda8::hooks::Inner;
use camunda8::{ApiError, Secret};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

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
