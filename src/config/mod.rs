//! Client configuration: read from the environment variables Camunda's own
//! SDKs use, adjusted with builder methods, then checked and completed by
//! [`Config::resolve`].

pub(crate) mod address;
mod credentials;
mod env;
mod resolve;
mod resolved;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use crate::http_client::proxy_settings;
pub use resolved::{ApiSettings, AuthMethod, AuthStrategy, ResolvedConfig, TokenSettings};

use crate::Secret;
use crate::auth::{Clock, TokenBodyFormat};
use crate::call::retry::RetryPolicy;

/// The default OAuth2 token endpoint (Camunda SaaS).
pub const DEFAULT_OAUTH_URL: &str = "https://login.cloud.camunda.io/oauth/token";
/// The default audience of Zeebe tokens.
pub const DEFAULT_ZEEBE_AUDIENCE: &str = "zeebe.camunda.io";
/// The default audience of Operate tokens.
pub const DEFAULT_OPERATE_AUDIENCE: &str = "operate.camunda.io";
/// The default audience of Administration API tokens.
pub const DEFAULT_CONSOLE_AUDIENCE: &str = "api.cloud.camunda.io";
/// The tenant filled into Orchestration Cluster API commands that take one
/// and were given none, unless configured otherwise: Camunda's own tenant,
/// which every cluster accepts when multi-tenancy is off, and the one
/// Camunda's Java and TypeScript clients send by default.
pub const DEFAULT_TENANT_ID: &str = "<default>";

// The crate's default timeouts, all here so that they can be compared: an
// API call, a token request and a job activation each have their own, and
// each value says below why it differs from the others.

/// The default time allowed to establish a connection to a Camunda API.
///
/// Twice a token endpoint's ([`DEFAULT_TOKEN_CONNECT_TIMEOUT`]): an API call
/// is not retried after a connection failure (most calls are `POST`s that
/// may already have been executed, see [`crate::retry`]), while a token
/// request is, so the call gets one longer chance instead of several.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default time allowed for a whole API request (connect, send, read the
/// whole answer).
///
/// The longest of the defaults: a search may return large pages and a
/// deployment carries whole resources. A job activation's long poll
/// ([`DEFAULT_ACTIVATION_REQUEST_TIMEOUT`], 20 s) plus the worker's margin
/// for the answer (10 s) ends within it too.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The default time allowed to connect to a token endpoint, of the client
/// [`TokenCache::default_http_client`](crate::auth::TokenCache::default_http_client)
/// builds.
///
/// Half an API's ([`DEFAULT_CONNECT_TIMEOUT`]): a token request is retried
/// (up to four attempts, with back-off), and every call that needs the token
/// waits for it, so an unreachable identity provider must fail fast for the
/// retry to get its turn.
pub const DEFAULT_TOKEN_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The default total time (connect, send, read the whole body) of one token
/// request made by that client.
///
/// Half an API request's ([`DEFAULT_REQUEST_TIMEOUT`]): a token answer is a
/// few kilobytes, and as for the connect timeout, a fetch is retried while
/// calls wait on it; four attempts then stay near a minute in the worst case.
pub const DEFAULT_TOKEN_REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// The default long-poll period of a job worker's activation request: how
/// long the server holds the request open waiting for jobs (the job worker's
/// `request_timeout` setting, `CAMUNDA_WORKER_REQUEST_TIMEOUT`).
///
/// Not a limit on a request's work but on its idle wait, and shorter than
/// [`DEFAULT_REQUEST_TIMEOUT`]: the worker allows the answer 10 s beyond the
/// period, which keeps the whole request within the 30 s an API request
/// gets.
pub const DEFAULT_ACTIVATION_REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// How to reach and authenticate to Camunda 8.
///
/// Build one with [`Config::from_env`] (a `.env` written for Camunda's other
/// SDKs works unchanged), [`Config::from_lookup`] (any source of variables),
/// or [`Config::new`] (nothing set), then adjust it with the builder methods,
/// which always win over variables. Nothing is checked until
/// [`Config::resolve`], which reports every problem as a typed
/// [`Error`](crate::Error) naming the variables involved.
///
/// Blank variables (empty or only spaces) count as unset; values are trimmed.
///
/// # Variables
///
/// Where a row lists two variables, the first one set wins. Builder methods
/// win over both.
///
/// | Variable | Builder method | Default | Meaning |
/// |---|---|---|---|
/// | `CAMUNDA_CLIENT_ID`, `CAMUNDA_CLIENT_SECRET` | [`client_credentials`](Self::client_credentials) | — | OAuth2 client for Zeebe and Operate. If either is set, this pair is used and must be complete. |
/// | `ZEEBE_CLIENT_ID`, `ZEEBE_CLIENT_SECRET` | (same) | — | The same, used only when neither `CAMUNDA_CLIENT_*` variable is set. |
/// | `CAMUNDA_OAUTH_URL`, then `ZEEBE_AUTHORIZATION_SERVER_URL` | [`oauth_url`](Self::oauth_url) | `https://login.cloud.camunda.io/oauth/token` | Token endpoint, for every API. |
/// | `CAMUNDA_TOKEN_AUDIENCE`, then `CAMUNDA_ZEEBE_OAUTH_AUDIENCE`, then `ZEEBE_TOKEN_AUDIENCE` | [`zeebe_audience`](Self::zeebe_audience) | `zeebe.camunda.io` | Audience of tokens for the cluster's gateway: the Orchestration Cluster API and Zeebe REST (one token serves both). |
/// | `CAMUNDA_OPERATE_OAUTH_AUDIENCE` | [`operate_audience`](Self::operate_audience) | `operate.camunda.io` | Audience of Operate tokens. |
/// | `CAMUNDA_TOKEN_SCOPE`, then `CAMUNDA_OAUTH_SCOPE` | [`token_scope`](Self::token_scope) | none | Scope of cluster tokens (Orchestration, Zeebe, Operate; some identity providers need one). |
/// | `CAMUNDA_OAUTH_BODY_FORMAT` | [`oauth_body_format`](Self::oauth_body_format) | `FORM` | Token request body: `FORM` (url-encoded) or `JSON`. |
/// | `CAMUNDA_CONSOLE_CLIENT_ID`, `CAMUNDA_CONSOLE_CLIENT_SECRET` | [`console_credentials`](Self::console_credentials) | — | OAuth2 client for the Administration API (an organization-level client, distinct from the cluster client). Without it the Administration API is not configured. |
/// | `CAMUNDA_CONSOLE_OAUTH_AUDIENCE` | [`console_audience`](Self::console_audience) | `api.cloud.camunda.io` | Audience of Administration API tokens. |
/// | `CAMUNDA_CONSOLE_BASE_URL` | [`console_url`](Self::console_url) | `https://api.cloud.camunda.io` | Administration API address. |
/// | `ZEEBE_REST_ADDRESS` | [`zeebe_url`](Self::zeebe_url) | from region and cluster id | Zeebe REST address, with or without a trailing `/v1`. |
/// | `CAMUNDA_OPERATE_BASE_URL` | [`operate_url`](Self::operate_url) | from region and cluster id | Operate address, with or without a trailing `/v1`. |
/// | `CAMUNDA_REST_ADDRESS`, then `ZEEBE_REST_ADDRESS` | [`orchestration_url`](Self::orchestration_url) | from region and cluster id (`https://{region}.zeebe.camunda.io/{id}`) | Orchestration Cluster API address; `/v2` is appended unless present. |
/// | `CAMUNDA_REST_ADDRESS_EXACT` | [`orchestration_url_exact`](Self::orchestration_url_exact) | `false` | `true` uses the Orchestration Cluster API address as given, without `/v2` (behind a gateway with its own path). |
/// | `CAMUNDA_DEFAULT_TENANT_ID`, then `CAMUNDA_TENANT_ID` | [`default_tenant_id`](Self::default_tenant_id), [`no_default_tenant`](Self::no_default_tenant) | `<default>` | Tenant filled into Orchestration Cluster API commands that take one and were given none (deploy, start instance, message publication and correlation, signals, decision, expression and conditional evaluation, job activation's `tenantIds`), as Camunda's Java and TypeScript clients do; never into searches. `no_default_tenant` sends none. |
/// | `CAMUNDA_CLUSTER_REGION`, `CAMUNDA_CLUSTER_ID` | [`cluster`](Self::cluster) | — | SaaS cluster: gives `https://{region}.zeebe.camunda.io/{id}` and `https://{region}.operate.camunda.io/{id}` when the address above is unset. Both or neither. |
/// | `CAMUNDA_AUTH_STRATEGY` | [`auth_strategy`](Self::auth_strategy) | inferred | How Zeebe and Operate requests authenticate: `OAUTH`, `BASIC`, `BEARER`, `COOKIE` or `NONE`. When unset, inferred from which credentials are present (none at all: `NONE`; several kinds: an error). |
/// | `CAMUNDA_BASIC_AUTH_USERNAME`, `CAMUNDA_BASIC_AUTH_PASSWORD` | [`basic_auth`](Self::basic_auth) | — | HTTP Basic credentials (`BASIC`). |
/// | `CAMUNDA_OAUTH_TOKEN` | [`bearer_token`](Self::bearer_token) | — | A ready-made bearer token (`BEARER`), sent as is and never refreshed. |
/// | `CAMUNDA_COOKIE_AUTH_USERNAME`, `CAMUNDA_COOKIE_AUTH_PASSWORD` | [`cookie_credentials`](Self::cookie_credentials) | — | Session-cookie login (`COOKIE`, self-managed Operate). |
/// | `CAMUNDA_COOKIE_AUTH_URL` | [`cookie_auth_url`](Self::cookie_auth_url) | `{address}/api/login` of each API | The login endpoint for `COOKIE`. |
/// | `CAMUNDA_TOKEN_CACHE_DIR` | [`token_cache_dir`](Self::token_cache_dir) | off; `$HOME/.camunda` (`%USERPROFILE%` on Windows) when enabled without a directory | Where tokens are cached on disk. Setting it turns the disk cache on. |
/// | `CAMUNDA_TOKEN_DISK_CACHE_DISABLE` | [`token_disk_cache`](Self::token_disk_cache) | `false` | `true` keeps tokens in memory only. |
/// | `CAMUNDA_CUSTOM_ROOT_CERT_PATH` | [`root_cert_path`](Self::root_cert_path) | — | PEM file of extra trusted CA certificates. |
/// | `CAMUNDA_CUSTOM_CERT_CHAIN_PATH`, `CAMUNDA_CUSTOM_PRIVATE_KEY_PATH` | [`client_certificate`](Self::client_certificate) | — | PEM client certificate chain and private key for mutual TLS. Both or neither. |
/// | `CAMUNDA_ALLOW_INSECURE_HTTP` | [`allow_insecure_http`](Self::allow_insecure_http) | `false` | Permit plain `http` to hosts other than loopback (see [`urls`](crate::urls)). |
/// | `CAMUNDA_CONNECT_TIMEOUT_MS` | [`connect_timeout`](Self::connect_timeout) | `10000` | Time to establish a connection. |
/// | `CAMUNDA_REQUEST_TIMEOUT_MS` | [`request_timeout`](Self::request_timeout) | `30000` | Time for one whole request. |
/// | `CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS` | [`retry_policy`](Self::retry_policy) | `5` | Attempts per request when the server signals backpressure, the first included. |
/// | `CAMUNDA_SDK_HTTP_RETRY_BASE_DELAY_MS` | (same) | `100` | Upper bound of the first backoff. |
/// | `CAMUNDA_SDK_HTTP_RETRY_MAX_DELAY_MS` | (same) | `5000` | Cap on one backoff. |
/// | `CAMUNDA_SDK_HTTP_RETRY_MAX_ELAPSED_MS` | (same) | `30000` | No retry starts later than this after the first attempt. |
/// | `CAMUNDA_OAUTH_TOKEN_REFRESH_THRESHOLD_MS` | [`token_refresh_margin`](Self::token_refresh_margin) | `30000` | How long before expiry a token is refreshed in the background (±20 %; at least a tenth of the token's lifetime, at most half). `0` refreshes at a tenth of the lifetime. |
///
/// Token settings without a variable (no Camunda SDK has one for them):
/// [`token_failure_memory`](Self::token_failure_memory) (default 30 s),
/// [`token_timeouts`](Self::token_timeouts) (default: the connect and
/// request timeouts above), [`token_min_lifetime`](Self::token_min_lifetime)
/// (default 10 s) and [`clock`](Self::clock) (default: the system clock).
/// Within an API call, the wait for a token (or a cookie login) is bounded
/// by the request timeout, whatever the token timeouts.
///
/// Secrets (client secrets, passwords, the bearer token) are held as
/// [`Secret`] and never appear in `Debug` output or errors.
///
/// # Example
///
/// ```
/// use camunda8::Config;
///
/// let resolved = Config::new()
///     .zeebe_url("http://localhost:8080")
///     .operate_url("http://localhost:8081")
///     .resolve()?;
/// assert_eq!(resolved.zeebe.api_base().as_deref(), Some("http://localhost:8080/v1"));
/// # Ok::<(), camunda8::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Config {
    env: env::Snapshot,
    set: Overrides,
}

/// Values given through builder methods.
#[derive(Clone, Default)]
struct Overrides {
    client_credentials: Option<(String, Secret)>,
    console_credentials: Option<(String, Secret)>,
    oauth_url: Option<String>,
    zeebe_audience: Option<String>,
    operate_audience: Option<String>,
    console_audience: Option<String>,
    token_scope: Option<String>,
    body_format: Option<TokenBodyFormat>,
    zeebe_url: Option<String>,
    operate_url: Option<String>,
    orchestration_url: Option<String>,
    orchestration_exact: Option<bool>,
    /// `Some(None)`: filling turned off ([`Config::no_default_tenant`]).
    default_tenant_id: Option<Option<String>>,
    console_url: Option<String>,
    cluster: Option<(String, String)>,
    auth_strategy: Option<AuthStrategy>,
    basic_auth: Option<(String, Secret)>,
    bearer_token: Option<Secret>,
    cookie_credentials: Option<(String, Secret)>,
    cookie_auth_url: Option<String>,
    token_cache_dir: Option<PathBuf>,
    token_disk_cache: Option<bool>,
    root_cert_path: Option<PathBuf>,
    client_certificate: Option<(PathBuf, PathBuf)>,
    allow_insecure_http: Option<bool>,
    connect_timeout: Option<Duration>,
    request_timeout: Option<Duration>,
    retry_policy: Option<RetryPolicy>,
    token_refresh_margin: Option<Duration>,
    token_failure_memory: Option<Duration>,
    token_timeouts: Option<(Duration, Duration)>,
    token_min_lifetime: Option<Duration>,
    clock: Option<Arc<dyn Clock>>,
}

impl std::fmt::Debug for Overrides {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::redact::RedactedUrlText;
        fn url(u: &Option<String>) -> Option<RedactedUrlText<'_>> {
            u.as_deref().map(RedactedUrlText)
        }
        f.debug_struct("Overrides")
            .field("client_credentials", &self.client_credentials)
            .field("console_credentials", &self.console_credentials)
            .field("oauth_url", &url(&self.oauth_url))
            .field("zeebe_audience", &self.zeebe_audience)
            .field("operate_audience", &self.operate_audience)
            .field("console_audience", &self.console_audience)
            .field("token_scope", &self.token_scope)
            .field("body_format", &self.body_format)
            .field("zeebe_url", &url(&self.zeebe_url))
            .field("operate_url", &url(&self.operate_url))
            .field("console_url", &url(&self.console_url))
            .field("cluster", &self.cluster)
            .field("auth_strategy", &self.auth_strategy)
            .field("basic_auth", &self.basic_auth)
            .field("bearer_token", &self.bearer_token)
            .field("cookie_credentials", &self.cookie_credentials)
            .field("cookie_auth_url", &url(&self.cookie_auth_url))
            .field("token_cache_dir", &self.token_cache_dir)
            .field("token_disk_cache", &self.token_disk_cache)
            .field("root_cert_path", &self.root_cert_path)
            .field("client_certificate", &self.client_certificate)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("retry_policy", &self.retry_policy)
            .field("token_refresh_margin", &self.token_refresh_margin)
            .field("token_failure_memory", &self.token_failure_memory)
            .field("token_timeouts", &self.token_timeouts)
            .field("token_min_lifetime", &self.token_min_lifetime)
            .field("clock", &self.clock)
            .finish()
    }
}

impl Config {
    /// A configuration with nothing set: every value comes from a builder
    /// method or a default. (With no `HOME` known, there is no default token
    /// cache directory: set [`token_cache_dir`](Self::token_cache_dir) to
    /// cache tokens on disk.)
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the variables in the [table above](Self) from the process
    /// environment. Values that are not valid Unicode count as unset.
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the variables in the [table above](Self) through `lookup`, e.g.
    /// from a map in a test or a secrets store. Only the listed names (and
    /// `HOME`/`USERPROFILE`, for the default cache directory) are asked for.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            env: env::Snapshot::capture(lookup),
            set: Overrides::default(),
        }
    }

    /// The OAuth2 client for Zeebe and Operate (overrides `CAMUNDA_CLIENT_*`
    /// and `ZEEBE_CLIENT_*`).
    pub fn client_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        self.set.client_credentials = Some((client_id.into(), client_secret.into()));
        self
    }

    /// The OAuth2 client for the Administration API (overrides
    /// `CAMUNDA_CONSOLE_CLIENT_ID`/`_SECRET`).
    pub fn console_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        self.set.console_credentials = Some((client_id.into(), client_secret.into()));
        self
    }

    /// The token endpoint (overrides `CAMUNDA_OAUTH_URL` and
    /// `ZEEBE_AUTHORIZATION_SERVER_URL`).
    pub fn oauth_url(mut self, url: impl Into<String>) -> Self {
        self.set.oauth_url = Some(url.into());
        self
    }

    /// The audience of Zeebe tokens (overrides `CAMUNDA_ZEEBE_OAUTH_AUDIENCE`
    /// and `ZEEBE_TOKEN_AUDIENCE`).
    pub fn zeebe_audience(mut self, audience: impl Into<String>) -> Self {
        self.set.zeebe_audience = Some(audience.into());
        self
    }

    /// The audience of Operate tokens (overrides `CAMUNDA_OPERATE_OAUTH_AUDIENCE`).
    pub fn operate_audience(mut self, audience: impl Into<String>) -> Self {
        self.set.operate_audience = Some(audience.into());
        self
    }

    /// The audience of Administration API tokens (overrides
    /// `CAMUNDA_CONSOLE_OAUTH_AUDIENCE`).
    pub fn console_audience(mut self, audience: impl Into<String>) -> Self {
        self.set.console_audience = Some(audience.into());
        self
    }

    /// The scope of Zeebe and Operate tokens (overrides `CAMUNDA_TOKEN_SCOPE`).
    pub fn token_scope(mut self, scope: impl Into<String>) -> Self {
        self.set.token_scope = Some(scope.into());
        self
    }

    /// How token request bodies are encoded (overrides `CAMUNDA_OAUTH_BODY_FORMAT`).
    pub fn oauth_body_format(mut self, format: TokenBodyFormat) -> Self {
        self.set.body_format = Some(format);
        self
    }

    /// The Zeebe REST address (overrides `ZEEBE_REST_ADDRESS` and the
    /// region/cluster default).
    pub fn zeebe_url(mut self, url: impl Into<String>) -> Self {
        self.set.zeebe_url = Some(url.into());
        self
    }

    /// The Orchestration Cluster API address (overrides
    /// `CAMUNDA_REST_ADDRESS`, `ZEEBE_REST_ADDRESS` and the region/cluster
    /// default), with or without the trailing `/v2`.
    pub fn orchestration_url(mut self, url: impl Into<String>) -> Self {
        self.set.orchestration_url = Some(url.into());
        self
    }

    /// Use the Orchestration Cluster API address as given, without adding
    /// `/v2` (overrides `CAMUNDA_REST_ADDRESS_EXACT`): for a gateway that
    /// maps the API under a path of its own.
    pub fn orchestration_url_exact(mut self, exact: bool) -> Self {
        self.set.orchestration_exact = Some(exact);
        self
    }

    /// The tenant to fill into Orchestration Cluster API commands that
    /// take one and were given none (overrides `CAMUNDA_DEFAULT_TENANT_ID`
    /// and `CAMUNDA_TENANT_ID`; default [`DEFAULT_TENANT_ID`], `<default>`).
    ///
    /// A multi-tenant cluster refuses a command without a tenant (400), so
    /// one is always sent unless [`no_default_tenant`](Self::no_default_tenant)
    /// says otherwise; a tenant set on the request itself wins. Searches are
    /// never filled in: a tenant there would narrow their results.
    pub fn default_tenant_id(mut self, tenant: impl Into<String>) -> Self {
        self.set.default_tenant_id = Some(Some(tenant.into()));
        self
    }

    /// Send no tenant unless a request names one (overrides
    /// [`default_tenant_id`](Self::default_tenant_id) and the variables):
    /// the server then applies its own default, and job activation asks for
    /// the server's choice of tenants. For a gateway that rejects the
    /// member, or a proxy that adds the tenant itself; a multi-tenant
    /// cluster refuses commands without one.
    pub fn no_default_tenant(mut self) -> Self {
        self.set.default_tenant_id = Some(None);
        self
    }

    /// The Operate address (overrides `CAMUNDA_OPERATE_BASE_URL` and the
    /// region/cluster default).
    pub fn operate_url(mut self, url: impl Into<String>) -> Self {
        self.set.operate_url = Some(url.into());
        self
    }

    /// The Administration API address (overrides `CAMUNDA_CONSOLE_BASE_URL`).
    pub fn console_url(mut self, url: impl Into<String>) -> Self {
        self.set.console_url = Some(url.into());
        self
    }

    /// The SaaS cluster, from which the Zeebe and Operate addresses are
    /// derived when not given explicitly (overrides `CAMUNDA_CLUSTER_REGION`
    /// and `CAMUNDA_CLUSTER_ID`). Both are validated by `resolve`.
    pub fn cluster(mut self, region: impl Into<String>, cluster_id: impl Into<String>) -> Self {
        self.set.cluster = Some((region.into(), cluster_id.into()));
        self
    }

    /// How Zeebe and Operate requests authenticate (overrides
    /// `CAMUNDA_AUTH_STRATEGY` and the inference).
    pub fn auth_strategy(mut self, strategy: AuthStrategy) -> Self {
        self.set.auth_strategy = Some(strategy);
        self
    }

    /// HTTP Basic credentials (overrides `CAMUNDA_BASIC_AUTH_*`).
    pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.set.basic_auth = Some((username.into(), password.into()));
        self
    }

    /// A ready-made bearer token (overrides `CAMUNDA_OAUTH_TOKEN`).
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.set.bearer_token = Some(token.into());
        self
    }

    /// Session-cookie login credentials (overrides `CAMUNDA_COOKIE_AUTH_USERNAME`
    /// and `_PASSWORD`).
    pub fn cookie_credentials(
        mut self,
        username: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Self {
        self.set.cookie_credentials = Some((username.into(), password.into()));
        self
    }

    /// The session-cookie login endpoint (overrides `CAMUNDA_COOKIE_AUTH_URL`).
    pub fn cookie_auth_url(mut self, url: impl Into<String>) -> Self {
        self.set.cookie_auth_url = Some(url.into());
        self
    }

    /// The directory of the on-disk token cache (overrides
    /// `CAMUNDA_TOKEN_CACHE_DIR`).
    pub fn token_cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.set.token_cache_dir = Some(dir.into());
        self
    }

    /// Whether tokens are cached on disk at all (overrides
    /// `CAMUNDA_TOKEN_DISK_CACHE_DISABLE`; `false` keeps them in memory only).
    pub fn token_disk_cache(mut self, enabled: bool) -> Self {
        self.set.token_disk_cache = Some(enabled);
        self
    }

    /// A PEM file of extra trusted CA certificates (overrides
    /// `CAMUNDA_CUSTOM_ROOT_CERT_PATH`).
    pub fn root_cert_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.set.root_cert_path = Some(path.into());
        self
    }

    /// The client certificate chain and private key (PEM files) for mutual
    /// TLS (overrides `CAMUNDA_CUSTOM_CERT_CHAIN_PATH` and
    /// `CAMUNDA_CUSTOM_PRIVATE_KEY_PATH`).
    pub fn client_certificate(
        mut self,
        chain_path: impl Into<PathBuf>,
        key_path: impl Into<PathBuf>,
    ) -> Self {
        self.set.client_certificate = Some((chain_path.into(), key_path.into()));
        self
    }

    /// Permits plain `http` to hosts other than loopback (overrides
    /// `CAMUNDA_ALLOW_INSECURE_HTTP`). Credentials then travel unencrypted:
    /// use this only on a network you trust.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.set.allow_insecure_http = Some(allow);
        self
    }

    /// The time allowed to establish a connection (overrides
    /// `CAMUNDA_CONNECT_TIMEOUT_MS`).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.set.connect_timeout = Some(timeout);
        self
    }

    /// The time allowed for one whole request (overrides
    /// `CAMUNDA_REQUEST_TIMEOUT_MS`).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.set.request_timeout = Some(timeout);
        self
    }

    /// The backpressure retry policy (overrides every
    /// `CAMUNDA_SDK_HTTP_RETRY_*` variable).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.set.retry_policy = Some(policy);
        self
    }

    /// How long before expiry a token is refreshed in the background
    /// (overrides `CAMUNDA_OAUTH_TOKEN_REFRESH_THRESHOLD_MS`; default 30 s,
    /// ±20 %, at least a tenth of the token's lifetime, at most half).
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.set.token_refresh_margin = Some(margin);
        self
    }

    /// How long a refused token request (`invalid_client`, an unusable
    /// answer), or an API's 401 to a token renewed after a 401 before it
    /// accepted any request carrying it, is remembered: meanwhile no token
    /// request is sent for that client and audience (default 30 s;
    /// Camunda's auth service locks out clients that ask too often). The
    /// same for cookie login: a 401 to the cookie of a login that followed
    /// a 401, before any request carrying it was accepted, means no new
    /// login after a 401 for this long.
    pub fn token_failure_memory(mut self, memory: Duration) -> Self {
        self.set.token_failure_memory = Some(memory);
        self
    }

    /// Connect and total timeouts of one token request or cookie login
    /// (default: [`connect_timeout`](Self::connect_timeout) and
    /// [`request_timeout`](Self::request_timeout)). Within an API call the
    /// whole wait for a credential, retries included, is bounded by the
    /// request timeout anyway.
    pub fn token_timeouts(mut self, connect: Duration, request: Duration) -> Self {
        self.set.token_timeouts = Some((connect, request));
        self
    }

    /// The shortest lifetime a token is used for (default 10 s): a token
    /// said to live less (`expires_in: 0`) is used this long instead, with
    /// one warning, so that a broken token endpoint does not cost a token
    /// request per call.
    pub fn token_min_lifetime(mut self, floor: Duration) -> Self {
        self.set.token_min_lifetime = Some(floor);
        self
    }

    /// The wall clock that decides when tokens and cookies expire (default:
    /// the system clock); tests pass a controllable one.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.set.clock = Some(clock);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The defaults keep their values, and the paths users imported before
    /// they were gathered here still name them.
    #[test]
    #[allow(deprecated)]
    fn default_timeouts_are_unchanged_and_reachable_by_their_old_paths() {
        assert_eq!(DEFAULT_CONNECT_TIMEOUT, Duration::from_secs(10));
        assert_eq!(DEFAULT_REQUEST_TIMEOUT, Duration::from_secs(30));
        assert_eq!(DEFAULT_TOKEN_CONNECT_TIMEOUT, Duration::from_secs(5));
        assert_eq!(DEFAULT_TOKEN_REQUEST_TIMEOUT, Duration::from_secs(15));
        assert_eq!(DEFAULT_ACTIVATION_REQUEST_TIMEOUT, Duration::from_secs(20));
        assert_eq!(
            crate::auth::DEFAULT_CONNECT_TIMEOUT,
            DEFAULT_TOKEN_CONNECT_TIMEOUT
        );
        assert_eq!(
            crate::auth::DEFAULT_REQUEST_TIMEOUT,
            DEFAULT_TOKEN_REQUEST_TIMEOUT
        );
        #[cfg(feature = "orchestration")]
        assert_eq!(
            crate::worker::DEFAULT_REQUEST_TIMEOUT,
            DEFAULT_ACTIVATION_REQUEST_TIMEOUT
        );
    }
}
