//! Where generated code meets the hand-written layer.
//!
//! progenitor calls [`ClientHooks`] on every request of every generated
//! client. Here, and only here, a request gets its credential (just before it
//! is sent), is retried under backpressure, and is re-sent once with a fresh
//! credential after a 401.
//!
//! The hooks also write the call's record (`src/call.rs`) from which the
//! generated `send()` builds its [`crate::ApiError`]: the request's method
//! and URL, the typed error when no credential could be obtained (reported
//! to progenitor as a `Custom` marker), one attempt per request sent, and
//! the final status with the body of a 4xx/5xx answer. A client for another
//! API gets all of this from `hooks_for!` below plus the build step
//! `own_error_type`.

use std::sync::Arc;

use progenitor_client::{ClientHooks, ClientInfo, Error as ProgenitorError, OperationInfo};
use reqwest::{Request, Response};

use crate::auth::{Attached, Authenticator, CallCounters};
use crate::backpressure::Gate;
use crate::call;
use crate::endpoint::ParsedBase;
use crate::retry::{Attempt, Resend, RetryPolicy, TokioTimer};

mod sending;
mod template;

use template::Template;

/// Per-API state carried by each generated client: how to authenticate and
/// how to retry. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Inner(Arc<InnerState>);

#[derive(Debug)]
struct InnerState {
    auth: Authenticator,
    retry: RetryPolicy,
    calls: Arc<CallCounters>,
    gate: Gate,
    default_tenant: Option<String>,
    /// The `User-Agent` put on each request: set when the crate built the
    /// HTTP client (a client the user supplied keeps its own headers).
    user_agent: Option<http::HeaderValue>,
    /// The client's base URL, parsed once (`src/endpoint.rs`).
    base: Option<ParsedBase>,
}

impl InnerState {
    /// The request for `attempt`, rebuilt from `template` to `url`, counted
    /// in the call's record and, when it follows backpressure, as a retry
    /// in the client's counters; `None` when its body cannot be repeated.
    fn attempt(&self, attempt: Attempt, template: &Template, url: &url::Url) -> Option<Request> {
        let next = template.request(url.clone());
        if next.is_some() {
            call::note_attempt(template.method());
            if attempt.reason == Resend::Backpressure {
                CallCounters::bump(&self.calls.backpressure_retries);
            }
        }
        next
    }
}

impl Default for Inner {
    /// Same as [`Inner::unauthenticated`].
    fn default() -> Self {
        Self::unauthenticated()
    }
}

impl Inner {
    pub(crate) fn new(auth: Authenticator, retry: RetryPolicy, calls: Arc<CallCounters>) -> Self {
        Self::with_settings(auth, retry, calls, None, None, None)
    }

    /// The state of a client: `default_tenant` filled into requests that
    /// take one, `user_agent` put on every request that has none, request
    /// URLs built from `base`, the client's base URL parsed once.
    pub(crate) fn with_settings(
        auth: Authenticator,
        retry: RetryPolicy,
        calls: Arc<CallCounters>,
        default_tenant: Option<String>,
        user_agent: Option<http::HeaderValue>,
        base: Option<ParsedBase>,
    ) -> Self {
        let gate = Gate::new(retry.gate);
        Self(Arc::new(InnerState {
            auth,
            retry,
            calls,
            gate,
            default_tenant,
            user_agent,
            base,
        }))
    }

    /// The URL of a request: `baseurl` (the generated client's) followed by
    /// `parts` (the operation's path, its parameters already encoded), as
    /// `src/endpoint.rs` explains. Called by the generated code (build step
    /// `url_from_parsed_base`).
    pub(crate) fn endpoint(&self, baseurl: &str, parts: &[&str]) -> Result<url::Url, String> {
        crate::endpoint::endpoint(self.0.base.as_ref(), baseurl, parts)
    }

    /// The URL of an operation without path parameters on `baseurl`, kept
    /// in `fixed` after its first use (`src/endpoint.rs`). Called by the
    /// generated code (build step `url_from_parsed_base`).
    pub(crate) fn fixed_endpoint(
        &self,
        baseurl: &str,
        fixed: &crate::endpoint::FixedPath,
    ) -> Result<url::Url, String> {
        crate::endpoint::fixed_endpoint(self.0.base.as_ref(), baseurl, fixed)
    }

    /// The URL of a request to an operation the contract serves on its own
    /// server: `baseurl` with its trailing segments replaced as `rebase`
    /// says, followed by `parts` (`src/endpoint.rs`). Called by the
    /// generated code (build step `operation_servers`).
    pub(crate) fn rebased_endpoint(
        &self,
        baseurl: &str,
        rebase: crate::endpoint::Rebase,
        parts: &[&str],
    ) -> Result<url::Url, String> {
        crate::endpoint::rebased_endpoint(baseurl, rebase, parts)
    }

    /// The tenant filled into requests that take one and were given none
    /// (`CAMUNDA_DEFAULT_TENANT_ID`, Orchestration Cluster API only).
    pub fn default_tenant(&self) -> Option<&str> {
        self.0.default_tenant.as_deref()
    }

    /// A client state with no credential and the default retry policy, for
    /// servers that need no authentication (a local development cluster, a
    /// mock server).
    pub fn unauthenticated() -> Self {
        Self::new(Authenticator::None, RetryPolicy::default(), Arc::default())
    }

    /// A client state that sends a fixed bearer token (for example one
    /// obtained elsewhere) with the default retry policy.
    pub fn with_bearer_token(token: &crate::Secret) -> Result<Self, crate::Error> {
        Ok(Self::new(
            Authenticator::bearer(token)?,
            RetryPolicy::default(),
            Arc::default(),
        ))
    }

    /// Obtain the credential now (fetch a token, log in), reporting failure
    /// with the typed error.
    pub(crate) async fn authenticate(&self) -> Result<(), crate::Error> {
        self.0.auth.credential().await.map(|_| ())
    }

    /// Get a request ready to send: the default tenant where the operation
    /// takes one, then the credential.
    async fn prepare<E>(
        &self,
        request: &mut Request,
        info: &OperationInfo,
    ) -> Result<(), ProgenitorError<E>> {
        #[cfg(feature = "orchestration")]
        if let Some(tenant) = self.default_tenant() {
            crate::orchestration::fill_default_tenant(request, info.operation_id, tenant);
        }
        #[cfg(not(feature = "orchestration"))]
        let _ = info;
        self.attach(request).await
    }

    /// Attach the current credential. A failure to obtain one is recorded
    /// for the call (`src/call.rs`) as the typed error, and reported to
    /// progenitor as its `Custom` error, a marker that the call's `send()`
    /// turns back into [`crate::ApiError::Auth`].
    pub(crate) async fn attach<E>(&self, request: &mut Request) -> Result<(), ProgenitorError<E>> {
        // (progenitor's `api-version` header is not built: the
        // post-processing step `no_api_version_header` in codegen/ drops it.)
        let (header, _) = match self.0.auth.credential().await {
            Ok(credential) => credential,
            Err(error) => {
                let marker = format!("camunda8: authentication failed: {error}");
                call::note_request(request);
                call::note_auth_failure(error);
                return Err(ProgenitorError::Custom(marker));
            }
        };
        if let Some((name, value)) = header {
            request.headers_mut().insert(name, value);
        }
        Ok(())
    }

    /// Sends `request` in a `camunda8.request` span (DEBUG level) naming
    /// `api` and the operation: backpressure retries, then one credential
    /// renewal on 401 (`src/hooks/sending.rs`).
    pub(crate) fn send<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: Request,
        info: &OperationInfo,
        api: &'static str,
    ) -> impl std::future::Future<Output = reqwest::Result<Response>> + Send + 'a {
        sending::send(self, client, request, info, api)
    }

    /// The credential to retry a rejected request with: the current one if
    /// another request already renewed it, else a freshly fetched one; `None`
    /// when nothing differs from what was sent.
    async fn renewed_credential(
        &self,
        template: &Template,
    ) -> Result<Option<(http::HeaderName, http::HeaderValue)>, crate::Error> {
        let auth = &self.0.auth;
        let (current, attached) = auth.credential().await?;
        let Some((name, value)) = current else {
            return Ok(None);
        };
        if template.header(&name) != Some(&value) {
            return Ok(Some((name, value)));
        }
        match attached {
            Attached::Static | Attached::Nothing => Ok(None),
            sent => auth.renew_after_rejection(&sent).await,
        }
    }

    /// The answer to `template`'s request, rejected with 401 at `url`, sent
    /// again once with a renewed credential (when there is one).
    async fn retry_after_rejection(
        &self,
        client: &reqwest::Client,
        template: &mut Template,
        url: &url::Url,
        rejected: Response,
        info: &OperationInfo,
    ) -> reqwest::Result<Response> {
        let renewed = match self.renewed_credential(template).await {
            Ok(Some(header)) => header,
            Ok(None) => return Ok(rejected),
            Err(error) => {
                tracing::warn!(operation = info.operation_id, %error, "could not renew a rejected credential");
                // The call fails with this error (`ApiError::Auth`), which
                // says what to fix, rather than with the 401 it answers.
                call::note_auth_failure(error);
                return Ok(rejected);
            }
        };
        let (name, value) = renewed;
        template.set_header(name, value.clone());
        CallCounters::bump(&self.0.calls.renewals_after_401);
        tracing::debug!(
            operation = info.operation_id,
            "credential rejected with 401; retrying once with a renewed one"
        );
        let template = &*template;
        let answer = self
            .execute(client, info, |attempt| {
                self.0.attempt(attempt, template, url)
            })
            .await;
        if let Ok(response) = &answer
            && credential_accepted(response.status())
        {
            // The renewed credential worked: its own 401, later, is its
            // expiry rather than a refusal of every fresh token.
            self.0.auth.accepted(&value);
        }
        answer
    }

    /// The retry policy's loop, through the backpressure gate unless the
    /// operation is exempt.
    async fn execute<F>(
        &self,
        client: &reqwest::Client,
        info: &OperationInfo,
        make_request: F,
    ) -> reqwest::Result<Response>
    where
        F: FnMut(Attempt) -> Option<Request>,
    {
        let state = &self.0;
        let gate = state.gate.for_operation(info.operation_id);
        state
            .retry
            .execute_gated(client, &TokioTimer, gate, make_request)
            .await
    }
}

/// Whether an answer with `status` shows the credential it carried
/// accepted: not refused (401, 403), and not an answer a server may give
/// before it looks at the credential (429, 5xx).
fn credential_accepted(status: reqwest::StatusCode) -> bool {
    use reqwest::StatusCode;
    !matches!(
        status,
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::TOO_MANY_REQUESTS
    ) && !status.is_server_error()
}

#[cfg(any(
    feature = "admin",
    feature = "zeebe",
    feature = "operate",
    feature = "orchestration"
))]
macro_rules! hooks_for {
    ($client:ty, $api:literal) => {
        impl ClientHooks<Inner> for $client {
            async fn pre<E>(
                &self,
                request: &mut Request,
                info: &OperationInfo,
            ) -> Result<(), ProgenitorError<E>> {
                self.inner().prepare(request, info).await
            }

            fn exec(
                &self,
                request: Request,
                info: &OperationInfo,
            ) -> impl std::future::Future<Output = reqwest::Result<Response>> {
                self.inner().send(self.client(), request, info, $api)
            }
        }
    };
}

#[cfg(feature = "admin")]
hooks_for!(crate::admin::Client, "admin");
#[cfg(feature = "zeebe")]
hooks_for!(crate::zeebe::Client, "zeebe");
#[cfg(feature = "operate")]
hooks_for!(crate::operate::Client, "operate");
#[cfg(feature = "orchestration")]
hooks_for!(crate::orchestration::Client, "orchestration");

#[cfg(test)]
mod tests {
    use super::credential_accepted;
    use reqwest::StatusCode;

    #[test]
    fn only_answers_past_the_credential_check_accept_a_renewed_credential() {
        for accepted in [200, 201, 204, 400, 404, 409] {
            let status = StatusCode::from_u16(accepted).unwrap();
            assert!(credential_accepted(status), "{status}");
        }
        for not in [401, 403, 429, 500, 502, 503, 504] {
            let status = StatusCode::from_u16(not).unwrap();
            assert!(!credential_accepted(status), "{status}");
        }
    }
}
