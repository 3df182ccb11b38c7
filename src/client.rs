//! [`Camunda`]: one value holding the connection pool and the token cache,
//! handing out the Administration, Orchestration Cluster, Zeebe and Operate
//! clients.

use std::fmt;
use std::sync::Arc;

use progenitor_client::ClientInfo as _;

use crate::auth::{Authenticator, CookieSession, TokenCache, TokenStats};
use crate::call::stats::{CallCounters, CallStats};
use crate::config::{ApiSettings, AuthMethod, Config, ResolvedConfig};
use crate::hooks::Inner;
use crate::{Result, http_client};

/// The entry point: one HTTP connection pool, one token cache, and a client
/// per Camunda API, each pointed at its base URL and carrying its own
/// credentials and audience.
///
/// Cheap to clone (an `Arc` inside), `Send + Sync`: build it once and share
/// it between tasks.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// // ZEEBE_CLIENT_ID, ZEEBE_CLIENT_SECRET, CAMUNDA_CLUSTER_REGION, CAMUNDA_CLUSTER_ID, …
/// let camunda = camunda8::Camunda::from_env()?;
/// let topology = camunda.zeebe()?.get_topology().send().await?;
/// println!("gateway {:?}", topology.gateway_version);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Camunda {
    shared: Arc<Shared>,
}

struct Shared {
    http: reqwest::Client,
    tokens: TokenCache,
    calls: Arc<CallCounters>,
    #[cfg(feature = "admin")]
    admin: Result<crate::admin::Client>,
    #[cfg(feature = "zeebe")]
    zeebe: Result<crate::zeebe::Client>,
    #[cfg(feature = "operate")]
    operate: Result<crate::operate::Client>,
    #[cfg(feature = "orchestration")]
    orchestration: Result<crate::orchestration::Client>,
}

impl Camunda {
    /// A configuration to fill in with builder methods, then
    /// [`Config::build`]. Nothing is read from the environment.
    pub fn builder() -> Config {
        Config::new()
    }

    /// Build from Camunda's environment variables (see [`Config`] for the
    /// table of variables, defaults and precedence).
    pub fn from_env() -> Result<Self> {
        Config::from_env().build()
    }

    /// Build from a configuration.
    pub fn from_config(config: &Config) -> Result<Self> {
        Self::from_resolved(config.resolve()?)
    }

    /// Build from an already checked configuration.
    pub fn from_resolved(config: ResolvedConfig) -> Result<Self> {
        Self::build(config, None, None)
    }

    /// Build from a configuration, sending API calls through `http`, an
    /// HTTP client of your own (a tuned connection pool shared with the rest
    /// of a service, a custom DNS resolver, proxy or TLS setup, …).
    ///
    /// What this crate still adds to every API call made through `http`:
    /// the credential (the `Authorization` header from its token cache, a
    /// Basic or Bearer header, or the Operate session cookie), the renewal
    /// of a token after a 401, the retries of backpressure answers
    /// ([`RetryPolicy`](crate::RetryPolicy)), the
    /// [`ApiError`](crate::ApiError) mapping with redacted bodies, the
    /// default tenant and the call counters of [`token_stats`](Self::token_stats).
    ///
    /// What it then no longer controls, because these are settings of the
    /// client and `http` has its own: the connect and request timeouts
    /// ([`Config::connect_timeout`], [`Config::request_timeout`] and their
    /// variables), TLS (CA certificates, client certificate, the `insecure`
    /// switches), proxies, HTTP/2, the connection pool's limits, redirects
    /// and the `User-Agent`. Set those on `http` itself. The request timeout
    /// still bounds the wait for a credential.
    ///
    /// Token requests and Operate cookie logins do **not** go through
    /// `http`: they use a client this crate builds from the configuration
    /// (its TLS and proxy settings, the token timeouts of
    /// [`TokenSettings`](crate::TokenSettings)) that never follows a
    /// redirect. A token request carries the client secret in its body, and
    /// a client that follows redirects (reqwest's default) would send that
    /// body again to wherever a 307/308 points; a redirected cookie login
    /// would lose its `Set-Cookie`. To send those through a client of your
    /// own too, use [`with_http_clients`](Self::with_http_clients).
    ///
    /// ```no_run
    /// # fn run() -> camunda8::Result<()> {
    /// use std::time::Duration;
    ///
    /// let http = reqwest::Client::builder()
    ///     .timeout(Duration::from_secs(10))
    ///     .pool_max_idle_per_host(32)
    ///     .build()
    ///     .map_err(|e| camunda8::Error::HttpClient { reason: e.to_string() })?;
    /// let camunda = camunda8::Camunda::with_http_client(&camunda8::Config::from_env(), http)?;
    /// # let _ = camunda; Ok(()) }
    /// ```
    pub fn with_http_client(config: &Config, http: reqwest::Client) -> Result<Self> {
        Self::build(config.resolve()?, Some(http), None)
    }

    /// Like [`with_http_client`](Self::with_http_client), and also sending
    /// token requests and Operate cookie logins through `auth_http` instead
    /// of a client this crate builds. `auth_http` carries client secrets and
    /// passwords: build it with
    /// [`redirect::Policy::none()`](reqwest::redirect::Policy::none) (this
    /// crate cannot check a client's redirect policy) and with timeouts of
    /// its own (the [`TokenSettings`](crate::TokenSettings) timeouts are
    /// then not applied; the token cache's retries, refresh and failure
    /// memory are). `auth_http` may be a clone of `api_http` when that one
    /// follows no redirects.
    pub fn with_http_clients(
        config: &Config,
        api_http: reqwest::Client,
        auth_http: reqwest::Client,
    ) -> Result<Self> {
        Self::build(config.resolve()?, Some(api_http), Some(auth_http))
    }

    /// Builds the clients, each from the configuration unless supplied.
    fn build(
        config: ResolvedConfig,
        http: Option<reqwest::Client>,
        auth_http: Option<reqwest::Client>,
    ) -> Result<Self> {
        // The crate's own client: requests get the crate's user agent.
        let user_agent = http
            .is_none()
            .then(|| http::HeaderValue::from_static(http_client::USER_AGENT));
        let http = match http {
            Some(http) => http,
            None => http_client::api_client(&config)?,
        };
        let auth_http = match auth_http {
            Some(auth_http) => auth_http,
            None => http_client::auth_client(&config)?,
        };
        let settings = &config.tokens;
        let tokens = TokenCache::builder()
            .http_client(auth_http.clone())
            .disk_cache_dir(config.token_cache_dir.clone())
            .refresh_buffer(settings.refresh_margin)
            .failure_memory(settings.failure_memory)
            .min_lifetime(settings.min_lifetime)
            .clock(Arc::clone(&settings.clock))
            .build()?;
        let calls = Arc::new(CallCounters::default());
        let parts = Parts {
            http: &http,
            user_agent,
            auth_http: &auth_http,
            tokens: &tokens,
            config: &config,
            calls: &calls,
        };
        let shared = Shared {
            #[cfg(feature = "admin")]
            admin: parts.client(&config.admin, crate::admin::Client::new_with_client),
            #[cfg(feature = "zeebe")]
            zeebe: parts.client(&config.zeebe, crate::zeebe::Client::new_with_client),
            #[cfg(feature = "operate")]
            operate: parts.client(&config.operate, crate::operate::Client::new_with_client),
            #[cfg(feature = "orchestration")]
            orchestration: parts.client(
                &config.orchestration,
                crate::orchestration::Client::new_with_client,
            ),
            http,
            tokens,
            calls,
        };
        Ok(Self {
            shared: Arc::new(shared),
        })
    }

    /// The Administration API client (audience `api.cloud.camunda.io`,
    /// credentials `CAMUNDA_CONSOLE_CLIENT_ID`/`_SECRET`), or the error that
    /// says which settings are missing.
    #[cfg(feature = "admin")]
    pub fn admin(&self) -> Result<&crate::admin::Client> {
        self.shared.admin.as_ref().map_err(Clone::clone)
    }

    /// The Zeebe REST API client (base `…/v1`), or the error that says which
    /// settings are missing.
    #[cfg(feature = "zeebe")]
    pub fn zeebe(&self) -> Result<&crate::zeebe::Client> {
        self.shared.zeebe.as_ref().map_err(Clone::clone)
    }

    /// The Operate REST API client, or the error that says which settings
    /// are missing.
    #[cfg(feature = "operate")]
    pub fn operate(&self) -> Result<&crate::operate::Client> {
        self.shared.operate.as_ref().map_err(Clone::clone)
    }

    /// The Orchestration Cluster API client (base `…/v2`; SaaS:
    /// `https://{region}.zeebe.camunda.io/{clusterId}/v2`, audience
    /// `zeebe.camunda.io`), or the error that says which settings are
    /// missing.
    #[cfg(feature = "orchestration")]
    pub fn orchestration(&self) -> Result<&crate::orchestration::Client> {
        self.shared.orchestration.as_ref().map_err(Clone::clone)
    }

    /// Obtain the credential of every configured API now (a token per
    /// audience, a session cookie), so that wrong credentials fail at start
    /// with a typed [`Error`](crate::Error) rather than at the first call (where the same
    /// typed error arrives as [`crate::ApiError::Auth`]). APIs that are not
    /// configured are skipped.
    pub async fn authenticate(&self) -> Result<()> {
        #[cfg(feature = "admin")]
        if let Ok(client) = &self.shared.admin {
            client.inner().authenticate().await?;
        }
        #[cfg(feature = "zeebe")]
        if let Ok(client) = &self.shared.zeebe {
            client.inner().authenticate().await?;
        }
        #[cfg(feature = "operate")]
        if let Ok(client) = &self.shared.operate {
            client.inner().authenticate().await?;
        }
        #[cfg(feature = "orchestration")]
        if let Ok(client) = &self.shared.orchestration {
            client.inner().authenticate().await?;
        }
        Ok(())
    }

    /// The HTTP client (and so the connection pool) every API client uses:
    /// the one given to [`with_http_client`](Self::with_http_client), or the
    /// one built from the configuration.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.shared.http
    }

    /// Counters of the token cache: token requests sent, cache hits, …, in
    /// total and per audience. (Its `backpressure_retries` and
    /// `renewals_after_401`, deprecated, are [`call_stats`](Self::call_stats)'s.)
    pub fn token_stats(&self) -> TokenStats {
        let mut stats = self.shared.tokens.stats();
        let calls = self.call_stats();
        #[allow(deprecated)]
        {
            stats.backpressure_retries = calls.backpressure_retries;
            stats.renewals_after_401 = calls.renewals_after_401;
        }
        stats
    }

    /// Counters of the API clients: requests sent again after backpressure,
    /// and after a 401 with a renewed credential.
    pub fn call_stats(&self) -> CallStats {
        self.shared.calls.snapshot()
    }
}

impl fmt::Debug for Camunda {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        #[cfg(any(
            feature = "admin",
            feature = "zeebe",
            feature = "operate",
            feature = "orchestration"
        ))]
        use crate::redact::RedactedUrlText;
        let mut s = f.debug_struct("Camunda");
        #[cfg(feature = "admin")]
        s.field(
            "admin",
            &self
                .shared
                .admin
                .as_ref()
                .map(|c| RedactedUrlText(c.baseurl())),
        );
        #[cfg(feature = "zeebe")]
        s.field(
            "zeebe",
            &self
                .shared
                .zeebe
                .as_ref()
                .map(|c| RedactedUrlText(c.baseurl())),
        );
        #[cfg(feature = "operate")]
        s.field(
            "operate",
            &self
                .shared
                .operate
                .as_ref()
                .map(|c| RedactedUrlText(c.baseurl())),
        );
        #[cfg(feature = "orchestration")]
        s.field(
            "orchestration",
            &self
                .shared
                .orchestration
                .as_ref()
                .map(|c| RedactedUrlText(c.baseurl())),
        );
        s.finish_non_exhaustive()
    }
}

impl Config {
    /// Check the configuration and build the client. Fails on conflicting
    /// or invalid settings; a missing API (no address or no credentials for
    /// it) is reported when its accessor is called.
    pub fn build(&self) -> Result<Camunda> {
        Camunda::from_config(self)
    }
}

/// What every API client is built from.
struct Parts<'a> {
    http: &'a reqwest::Client,
    user_agent: Option<http::HeaderValue>,
    auth_http: &'a reqwest::Client,
    tokens: &'a TokenCache,
    config: &'a ResolvedConfig,
    calls: &'a Arc<CallCounters>,
}

impl Parts<'_> {
    fn client<C>(
        &self,
        settings: &ApiSettings,
        new: impl FnOnce(&str, reqwest::Client, Inner) -> C,
    ) -> Result<C> {
        settings.require_base_url()?;
        let base = settings.api_base().unwrap_or_default();
        let auth = self.authenticator(settings.require_auth()?)?;
        // Only the Orchestration Cluster API has a tenant to fill in.
        let tenant = (settings.api == crate::urls::Api::Orchestration)
            .then(|| self.config.default_tenant_id.clone())
            .flatten();
        Ok(new(
            &base,
            self.http.clone(),
            Inner::with_settings(
                auth,
                self.config.retry.clone(),
                Arc::clone(self.calls),
                tenant,
                self.user_agent.clone(),
                crate::call::url::ParsedBase::new(&base),
            ),
        ))
    }

    fn authenticator(&self, method: &AuthMethod) -> Result<Authenticator> {
        Ok(match method {
            AuthMethod::OAuth(credentials) => Authenticator::OAuth {
                source: self.tokens.source(credentials.clone()),
                limit: self.config.request_timeout,
            },
            AuthMethod::Basic { username, password } => Authenticator::basic(username, password)?,
            AuthMethod::Bearer(token) => Authenticator::bearer(token)?,
            AuthMethod::Cookie {
                login_url,
                username,
                password,
            } => Authenticator::Cookie {
                session: CookieSession::with_clock(
                    self.auth_http.clone(),
                    login_url.clone(),
                    username.clone(),
                    password.clone(),
                    Arc::clone(&self.config.tokens.clock),
                )
                .failure_memory(self.config.tokens.failure_memory),
                limit: self.config.request_timeout,
            },
            AuthMethod::None => Authenticator::None,
        })
    }
}
