//! Where generated code meets the hand-written layer: the state every
//! generated client carries ([`Inner`]) and progenitor's hooks.
//!
//! progenitor calls [`ClientHooks`] on every request of every generated
//! client: `pre` runs the credential phase (default tenant, credential:
//! `src/call/credential.rs`), `exec` the attempt loop (send, classify,
//! retry or renew: `src/call/attempts.rs`). The order of all phases is in
//! `src/call/mod.rs`. A client for another API gets all of this from
//! `hooks_for!` below plus the build step `own_error_type`.

use std::sync::Arc;

use progenitor_client::{ClientHooks, ClientInfo, Error as ProgenitorError, OperationInfo};
use reqwest::{Request, Response};

use super::backpressure::Gate;
use super::retry::RetryPolicy;
use super::stats::CallCounters;
use super::url::ParsedBase;
use crate::auth::Authenticator;

/// Per-API state carried by each generated client: how to authenticate and
/// how to retry. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Inner(pub(super) Arc<InnerState>);

#[derive(Debug)]
pub(super) struct InnerState {
    pub(super) auth: Authenticator,
    pub(super) retry: RetryPolicy,
    pub(super) calls: Arc<CallCounters>,
    pub(super) gate: Gate,
    pub(super) default_tenant: Option<String>,
    /// The `User-Agent` put on each request: set when the crate built the
    /// HTTP client (a client the user supplied keeps its own headers).
    pub(super) user_agent: Option<http::HeaderValue>,
    /// The client's base URL, parsed once (`src/call/url.rs`).
    pub(super) base: Option<ParsedBase>,
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
    /// `src/call/url.rs` explains. Called by the generated code (build step
    /// `url_from_parsed_base`).
    pub(crate) fn endpoint(&self, baseurl: &str, parts: &[&str]) -> Result<url::Url, String> {
        super::url::endpoint(self.0.base.as_ref(), baseurl, parts)
    }

    /// The URL of an operation without path parameters on `baseurl`, kept
    /// in `fixed` after its first use (`src/call/url.rs`). Called by the
    /// generated code (build step `url_from_parsed_base`).
    pub(crate) fn fixed_endpoint(
        &self,
        baseurl: &str,
        fixed: &super::url::FixedPath,
    ) -> Result<url::Url, String> {
        super::url::fixed_endpoint(self.0.base.as_ref(), baseurl, fixed)
    }

    /// The URL of a request to an operation the contract serves on its own
    /// server: `baseurl` with its trailing segments replaced as `rebase`
    /// says, followed by `parts` (`src/call/url.rs`). Called by the
    /// generated code (build step `operation_servers`).
    #[cfg_attr(not(feature = "orchestration"), allow(dead_code))] // only the Orchestration API has operations on servers of their own
    pub(crate) fn rebased_endpoint(
        &self,
        baseurl: &str,
        rebase: super::url::Rebase,
        parts: &[&str],
    ) -> Result<url::Url, String> {
        super::url::rebased_endpoint(baseurl, rebase, parts)
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
                super::credential::prepare(self.inner(), request, info).await
            }

            fn exec(
                &self,
                request: Request,
                info: &OperationInfo,
            ) -> impl std::future::Future<Output = reqwest::Result<Response>> {
                super::attempts::send(self.inner(), self.client(), request, info, $api)
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
