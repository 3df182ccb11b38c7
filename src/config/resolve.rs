//! [`Config::resolve`]: checking the settings and inferring what was left
//! unsaid, per API.

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use super::env::{self, var};
use super::{
    Config, DEFAULT_CONNECT_TIMEOUT, DEFAULT_CONSOLE_AUDIENCE, DEFAULT_OAUTH_URL,
    DEFAULT_OPERATE_AUDIENCE, DEFAULT_REQUEST_TIMEOUT, DEFAULT_TENANT_ID, DEFAULT_ZEEBE_AUDIENCE,
};
use crate::auth::{
    ClientCredentials, Clock, DEFAULT_FAILURE_MEMORY, DEFAULT_MIN_LIFETIME, DEFAULT_REFRESH_BUFFER,
    SystemClock, TokenBodyFormat,
};
use crate::call::retry::RetryPolicy;
use crate::tls::TlsSettings;
use crate::urls::{self, Api, ClusterId, Region, quote};
use crate::{Error, Result, Secret};

/// How Zeebe and Operate requests authenticate (`CAMUNDA_AUTH_STRATEGY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthStrategy {
    /// OAuth2 client credentials (`OAUTH`).
    OAuth,
    /// HTTP Basic (`BASIC`).
    Basic,
    /// A fixed bearer token (`BEARER`).
    Bearer,
    /// Session-cookie login (`COOKIE`).
    Cookie,
    /// No authentication (`NONE`).
    None,
}

impl AuthStrategy {
    /// The name used in `CAMUNDA_AUTH_STRATEGY`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthStrategy::OAuth => "OAUTH",
            AuthStrategy::Basic => "BASIC",
            AuthStrategy::Bearer => "BEARER",
            AuthStrategy::Cookie => "COOKIE",
            AuthStrategy::None => "NONE",
        }
    }
}

impl FromStr for AuthStrategy {
    type Err = Error;

    /// Parses `OAUTH`, `BASIC`, `BEARER`, `COOKIE` or `NONE`, in any case.
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_uppercase().as_str() {
            "OAUTH" => Ok(AuthStrategy::OAuth),
            "BASIC" => Ok(AuthStrategy::Basic),
            "BEARER" => Ok(AuthStrategy::Bearer),
            "COOKIE" => Ok(AuthStrategy::Cookie),
            "NONE" => Ok(AuthStrategy::None),
            _ => Err(Error::InvalidValue {
                setting: var::CAMUNDA_AUTH_STRATEGY.to_owned(),
                value: quote(s),
                reason: "expected OAUTH, BASIC, BEARER, COOKIE or NONE".to_owned(),
            }),
        }
    }
}

/// How requests to one API authenticate.
#[derive(Clone, PartialEq, Eq)]
pub enum AuthMethod {
    /// A bearer token obtained (and cached, and refreshed) with these OAuth2
    /// client credentials.
    OAuth(ClientCredentials),
    /// HTTP Basic.
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: Secret,
    },
    /// This bearer token, as is.
    Bearer(Secret),
    /// A session cookie obtained by logging in at `login_url`.
    Cookie {
        /// The login endpoint, e.g. `http://localhost:8081/api/login`.
        login_url: Url,
        /// The user name.
        username: String,
        /// The password.
        password: Secret,
    },
    /// No authentication.
    None,
}

impl std::fmt::Debug for AuthMethod {
    /// Secrets print as `[censored]`, the login URL without user-info,
    /// query or fragment.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuthMethod::OAuth(credentials) => f.debug_tuple("OAuth").field(credentials).finish(),
            AuthMethod::Basic { username, password } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", password)
                .finish(),
            AuthMethod::Bearer(token) => f.debug_tuple("Bearer").field(token).finish(),
            AuthMethod::Cookie {
                login_url,
                username,
                password,
            } => f
                .debug_struct("Cookie")
                .field("login_url", &crate::redact::RedactedUrl(login_url))
                .field("username", username)
                .field("password", password)
                .finish(),
            AuthMethod::None => f.write_str("None"),
        }
    }
}

/// Where one API is and how to authenticate to it.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiSettings {
    /// Which API.
    pub api: Api,
    /// The address as configured (`None`: not configured, e.g. Zeebe without
    /// `ZEEBE_REST_ADDRESS` and without region and cluster id). Turn it into
    /// the generated client's base with [`api_base`](Self::api_base).
    pub base_url: Option<Url>,
    /// The authentication (`None`: not configured, e.g. the Administration
    /// API without console credentials).
    pub auth: Option<AuthMethod>,
    /// Use the address as the client's base, without adding the API's
    /// version segment (`CAMUNDA_REST_ADDRESS_EXACT=true`, for a gateway
    /// that maps its own path).
    pub exact: bool,
}

impl std::fmt::Debug for ApiSettings {
    /// The address prints without user-info, query or fragment.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiSettings")
            .field("api", &self.api)
            .field(
                "base_url",
                &self.base_url.as_ref().map(crate::redact::RedactedUrl),
            )
            .field("auth", &self.auth)
            .finish()
    }
}

impl ApiSettings {
    /// The base URL for the generated client ([`urls::api_base`]).
    pub fn api_base(&self) -> Option<String> {
        self.base_url.as_ref().map(|u| {
            if self.exact {
                urls::exact(u)
            } else {
                urls::api_base(self.api, u)
            }
        })
    }

    /// The address, or the error that says which variables provide it.
    pub fn require_base_url(&self) -> Result<&Url> {
        self.base_url.as_ref().ok_or(match self.api {
            Api::Admin => Error::MissingSetting {
                what: "the Administration API address",
                variables: "CAMUNDA_CONSOLE_BASE_URL",
            },
            Api::Zeebe => Error::MissingSetting {
                what: "the Zeebe REST address",
                variables: "ZEEBE_REST_ADDRESS, or CAMUNDA_CLUSTER_REGION and CAMUNDA_CLUSTER_ID",
            },
            Api::Operate => Error::MissingSetting {
                what: "the Operate address",
                variables: "CAMUNDA_OPERATE_BASE_URL, or CAMUNDA_CLUSTER_REGION and CAMUNDA_CLUSTER_ID",
            },
            _ => Error::MissingSetting {
                what: "the Orchestration Cluster API address",
                variables: "CAMUNDA_REST_ADDRESS (or ZEEBE_REST_ADDRESS), or CAMUNDA_CLUSTER_REGION and CAMUNDA_CLUSTER_ID",
            },
        })
    }

    /// The authentication, or the error that says which variables provide it.
    pub fn require_auth(&self) -> Result<&AuthMethod> {
        self.auth.as_ref().ok_or(match self.api {
            Api::Admin => Error::MissingSetting {
                what: "credentials for the Administration API",
                variables: "CAMUNDA_CONSOLE_CLIENT_ID and CAMUNDA_CONSOLE_CLIENT_SECRET",
            },
            _ => Error::MissingSetting {
                what: "the cookie login endpoint",
                variables: "CAMUNDA_COOKIE_AUTH_URL, or the API's address",
            },
        })
    }
}

/// A checked, complete configuration: what [`Config::resolve`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResolvedConfig {
    /// The Administration API: address always set (default
    /// `https://api.cloud.camunda.io`); OAuth with the console credentials,
    /// or not configured without them.
    pub admin: ApiSettings,
    /// The Zeebe REST API.
    pub zeebe: ApiSettings,
    /// The Operate REST API.
    pub operate: ApiSettings,
    /// The Orchestration Cluster API (`/v2`).
    pub orchestration: ApiSettings,
    /// The tenant filled into Orchestration Cluster API commands that take
    /// one and were given none (`CAMUNDA_DEFAULT_TENANT_ID`, default
    /// `<default>`); `None` after [`Config::no_default_tenant`].
    pub default_tenant_id: Option<String>,
    /// The strategy used for Zeebe and Operate, as chosen or inferred.
    pub auth_strategy: AuthStrategy,
    /// The on-disk token cache directory; `None` when disk caching is
    /// disabled or no directory is known.
    pub token_cache_dir: Option<PathBuf>,
    /// Whether plain `http` to non-loopback hosts was permitted.
    pub allow_insecure_http: bool,
    /// Time to establish a connection.
    pub connect_timeout: Duration,
    /// Time for one whole request.
    pub request_timeout: Duration,
    /// The backpressure retry policy.
    pub retry: RetryPolicy,
    /// Custom TLS material.
    pub tls: TlsSettings,
    /// How tokens are fetched and kept.
    pub tokens: TokenSettings,
}

/// How tokens are fetched and kept: part of [`ResolvedConfig`], set with
/// the `token_*` methods and [`clock`](Config::clock) of [`Config`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TokenSettings {
    /// How long before expiry a token is refreshed in the background.
    pub refresh_margin: Duration,
    /// How long a refused token request, or an API's refusal of a fresh
    /// token, is remembered.
    pub failure_memory: Duration,
    /// Connect timeout of one token request or cookie login.
    pub connect_timeout: Duration,
    /// Total timeout of one token request or cookie login.
    pub request_timeout: Duration,
    /// The shortest lifetime a token is used for.
    pub min_lifetime: Duration,
    /// The wall clock of token and cookie expiry.
    pub clock: Arc<dyn Clock>,
}

impl PartialEq for TokenSettings {
    /// Equal durations and the same clock object.
    fn eq(&self, other: &Self) -> bool {
        self.refresh_margin == other.refresh_margin
            && self.failure_memory == other.failure_memory
            && self.connect_timeout == other.connect_timeout
            && self.request_timeout == other.request_timeout
            && self.min_lifetime == other.min_lifetime
            && Arc::ptr_eq(&self.clock, &other.clock)
    }
}

impl Eq for TokenSettings {}

/// The system clock, one object for all configurations (so that two
/// resolutions of the same configuration compare equal).
fn system_clock() -> Arc<dyn Clock> {
    static SYSTEM: std::sync::LazyLock<Arc<dyn Clock>> =
        std::sync::LazyLock::new(|| Arc::new(SystemClock));
    Arc::clone(&SYSTEM)
}

impl ResolvedConfig {
    /// A client builder with this configuration's timeouts and TLS material
    /// applied ([`tls::apply`](crate::tls::apply)): the starting point for
    /// both API and token clients. Fails with [`Error::Tls`] naming the file
    /// when the TLS material cannot be used.
    ///
    /// Proxies: see [`proxy_settings`].
    pub fn http_client_builder(&self) -> Result<reqwest::ClientBuilder> {
        let builder = proxy_settings(reqwest::Client::builder())
            .connect_timeout(self.connect_timeout)
            .timeout(self.request_timeout);
        crate::tls::apply(builder, &self.tls)
    }
}

/// The proxy variables reqwest reads (`NO_PROXY` only matters with one of
/// them).
const PROXY_VARIABLES: [&str; 6] = [
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// Applies the proxy policy to a client builder (API and token clients).
///
/// reqwest asks its proxy matcher about every request to an `http` URL
/// (for proxy headers), a cost per request that buys nothing when no proxy
/// is configured. So unless the `system-proxy` feature is on (proxy
/// settings of macOS and Windows, read by reqwest), a process with none of
/// `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` (either case) set gets a client
/// without proxy lookup; with one of them set, reqwest's usual handling of
/// those variables and `NO_PROXY` applies.
pub fn proxy_settings(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    if cfg!(feature = "system-proxy") {
        return builder;
    }
    let configured = PROXY_VARIABLES
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()));
    if configured {
        builder
    } else {
        builder.no_proxy()
    }
}

/// One kind of credentials for Zeebe and Operate, for inference and messages.
struct Kind {
    strategy: AuthStrategy,
    /// The variables and builder methods of this kind that are set.
    sources: Vec<&'static str>,
}

/// The two families of cluster client-credential variables, by precedence.
const CLIENT_FAMILIES: [Family; 2] = [
    Family {
        id: var::CAMUNDA_CLIENT_ID,
        secret: var::CAMUNDA_CLIENT_SECRET,
        missing_secret: Error::MissingSetting {
            what: "the client secret that goes with CAMUNDA_CLIENT_ID",
            variables: "CAMUNDA_CLIENT_SECRET",
        },
        missing_id: Error::MissingSetting {
            what: "the client id that goes with CAMUNDA_CLIENT_SECRET",
            variables: "CAMUNDA_CLIENT_ID",
        },
    },
    Family {
        id: var::ZEEBE_CLIENT_ID,
        secret: var::ZEEBE_CLIENT_SECRET,
        missing_secret: Error::MissingSetting {
            what: "the client secret that goes with ZEEBE_CLIENT_ID",
            variables: "ZEEBE_CLIENT_SECRET",
        },
        missing_id: Error::MissingSetting {
            what: "the client id that goes with ZEEBE_CLIENT_SECRET",
            variables: "ZEEBE_CLIENT_ID",
        },
    },
];

const CONSOLE_FAMILY: Family = Family {
    id: var::CAMUNDA_CONSOLE_CLIENT_ID,
    secret: var::CAMUNDA_CONSOLE_CLIENT_SECRET,
    missing_secret: Error::MissingSetting {
        what: "the client secret that goes with CAMUNDA_CONSOLE_CLIENT_ID",
        variables: "CAMUNDA_CONSOLE_CLIENT_SECRET",
    },
    missing_id: Error::MissingSetting {
        what: "the client id that goes with CAMUNDA_CONSOLE_CLIENT_SECRET",
        variables: "CAMUNDA_CONSOLE_CLIENT_ID",
    },
};

/// A (user, secret) pair of variables and the errors for its halves.
struct Family {
    id: &'static str,
    secret: &'static str,
    missing_secret: Error,
    missing_id: Error,
}

impl Config {
    /// Checks every setting and infers the rest: per API the address and the
    /// authentication, plus the token cache, timeouts, retry policy and TLS
    /// material (paths only: files are read when a client is built, by
    /// [`tls::apply`](crate::tls::apply)).
    ///
    /// Errors name the variables (or builder methods) involved:
    /// [`Error::MissingSetting`] for an incomplete pair or a strategy without
    /// its credentials, [`Error::ConflictingSettings`] for credentials of
    /// several strategies with no strategy chosen,
    /// [`Error::InvalidValue`] for anything unparsable, and
    /// [`Error::InsecureUrl`] for plain `http` where it is not permitted.
    pub fn resolve(&self) -> Result<ResolvedConfig> {
        let allow_insecure_http = self.flag(
            self.set.allow_insecure_http,
            var::CAMUNDA_ALLOW_INSECURE_HTTP,
            false,
        )?;
        let body_format = match (
            self.set.body_format,
            self.env.get(var::CAMUNDA_OAUTH_BODY_FORMAT),
        ) {
            (Some(f), _) => f,
            (None, Some(raw)) => parse_body_format(raw)?,
            (None, None) => TokenBodyFormat::Form,
        };
        let token_url = match self.pick(
            self.set.oauth_url.as_deref(),
            "Config::oauth_url",
            &[var::CAMUNDA_OAUTH_URL, var::ZEEBE_AUTHORIZATION_SERVER_URL],
        ) {
            Some((raw, source)) => urls::parse_checked(source, raw, allow_insecure_http)?,
            None => urls::parse_checked("DEFAULT_OAUTH_URL", DEFAULT_OAUTH_URL, false)?,
        };
        let oauth = |id: String, secret: Secret, audience: String, scope: Option<String>| {
            AuthMethod::OAuth(ClientCredentials {
                token_url: token_url.clone(),
                client_id: id,
                client_secret: secret,
                audience,
                scope,
                body_format,
            })
        };

        // ----- addresses -----------------------------------------------
        let cluster = self.resolved_cluster()?;
        let zeebe_url = match self.pick(
            self.set.zeebe_url.as_deref(),
            "Config::zeebe_url",
            &[var::ZEEBE_REST_ADDRESS],
        ) {
            Some((raw, source)) => Some(urls::parse_checked(source, raw, allow_insecure_http)?),
            None => cluster
                .as_ref()
                .map(|(region, id)| urls::saas_zeebe_url(region, id))
                .transpose()?,
        };
        let operate_url = match self.pick(
            self.set.operate_url.as_deref(),
            "Config::operate_url",
            &[var::CAMUNDA_OPERATE_BASE_URL],
        ) {
            Some((raw, source)) => Some(urls::parse_checked(source, raw, allow_insecure_http)?),
            None => cluster
                .as_ref()
                .map(|(region, id)| urls::saas_operate_url(region, id))
                .transpose()?,
        };
        let orchestration_url = match self.pick(
            self.set.orchestration_url.as_deref(),
            "Config::orchestration_url",
            &[var::CAMUNDA_REST_ADDRESS, var::ZEEBE_REST_ADDRESS],
        ) {
            Some((raw, source)) => Some(urls::parse_checked(source, raw, allow_insecure_http)?),
            None => cluster
                .as_ref()
                .map(|(region, id)| urls::saas_orchestration_url(region, id))
                .transpose()?,
        };
        let orchestration_exact = self.flag(
            self.set.orchestration_exact,
            var::CAMUNDA_REST_ADDRESS_EXACT,
            false,
        )?;
        let default_tenant_id = match &self.set.default_tenant_id {
            // Turned off with `Config::no_default_tenant`.
            Some(None) => None,
            set => match self.pick(
                set.as_ref().and_then(Option::as_deref),
                "Config::default_tenant_id",
                &[var::CAMUNDA_DEFAULT_TENANT_ID, var::CAMUNDA_TENANT_ID],
            ) {
                Some((raw, source)) => Some(check_tenant_id(source, raw)?),
                None => Some(DEFAULT_TENANT_ID.to_owned()),
            },
        };
        let admin_url = match self.pick(
            self.set.console_url.as_deref(),
            "Config::console_url",
            &[var::CAMUNDA_CONSOLE_BASE_URL],
        ) {
            Some((raw, source)) => urls::parse_checked(source, raw, allow_insecure_http)?,
            None => urls::default_admin_url(),
        };

        // ----- Administration API credentials ----------------------------
        let console = match &self.set.console_credentials {
            Some((id, secret)) => Some((id.clone(), secret.clone())),
            None => self.pair(&CONSOLE_FAMILY)?,
        };
        let console_audience = self.text(
            self.set.console_audience.as_deref(),
            &[var::CAMUNDA_CONSOLE_OAUTH_AUDIENCE],
            DEFAULT_CONSOLE_AUDIENCE,
        );
        let admin_auth = console.map(|(id, secret)| oauth(id, secret, console_audience, None));

        // ----- Zeebe and Operate authentication --------------------------
        let strategy = self.strategy()?;
        let (zeebe_auth, operate_auth, orchestration_auth) = match strategy {
            AuthStrategy::OAuth => {
                let (id, secret) = self.resolved_client_credentials()?.ok_or(Error::MissingSetting {
                    what: "OAuth client credentials for Zeebe and Operate",
                    variables: "CAMUNDA_CLIENT_ID and CAMUNDA_CLIENT_SECRET (or ZEEBE_CLIENT_ID and ZEEBE_CLIENT_SECRET)",
                })?;
                let scope = self
                    .pick(
                        self.set.token_scope.as_deref(),
                        "Config::token_scope",
                        &[var::CAMUNDA_TOKEN_SCOPE, var::CAMUNDA_OAUTH_SCOPE],
                    )
                    .map(|(s, _)| s.to_owned());
                let zeebe_audience = self.text(
                    self.set.zeebe_audience.as_deref(),
                    &[
                        var::CAMUNDA_TOKEN_AUDIENCE,
                        var::CAMUNDA_ZEEBE_OAUTH_AUDIENCE,
                        var::ZEEBE_TOKEN_AUDIENCE,
                    ],
                    DEFAULT_ZEEBE_AUDIENCE,
                );
                let operate_audience = self.text(
                    self.set.operate_audience.as_deref(),
                    &[var::CAMUNDA_OPERATE_OAUTH_AUDIENCE],
                    DEFAULT_OPERATE_AUDIENCE,
                );
                // The Orchestration Cluster API is served by the Zeebe
                // gateway: same audience, so one token serves both.
                let cluster_token =
                    oauth(id.clone(), secret.clone(), zeebe_audience, scope.clone());
                (
                    Some(cluster_token.clone()),
                    Some(oauth(id, secret, operate_audience, scope)),
                    Some(cluster_token),
                )
            }
            AuthStrategy::Basic => {
                let (username, password) = match &self.set.basic_auth {
                    Some((u, p)) => (u.clone(), p.clone()),
                    None => self.user_password(
                        var::CAMUNDA_BASIC_AUTH_USERNAME,
                        var::CAMUNDA_BASIC_AUTH_PASSWORD,
                        Error::MissingSetting {
                            what: "the Basic auth username",
                            variables: "CAMUNDA_BASIC_AUTH_USERNAME",
                        },
                        Error::MissingSetting {
                            what: "the Basic auth password",
                            variables: "CAMUNDA_BASIC_AUTH_PASSWORD",
                        },
                    )?,
                };
                let method = AuthMethod::Basic { username, password };
                (Some(method.clone()), Some(method.clone()), Some(method))
            }
            AuthStrategy::Bearer => {
                let token = match &self.set.bearer_token {
                    Some(t) => t.clone(),
                    None => self
                        .env
                        .get(var::CAMUNDA_OAUTH_TOKEN)
                        .map(Secret::new)
                        .ok_or(Error::MissingSetting {
                            what: "the bearer token",
                            variables: "CAMUNDA_OAUTH_TOKEN",
                        })?,
                };
                let method = AuthMethod::Bearer(token);
                (Some(method.clone()), Some(method.clone()), Some(method))
            }
            AuthStrategy::Cookie => {
                let (username, password) = match &self.set.cookie_credentials {
                    Some((u, p)) => (u.clone(), p.clone()),
                    None => self.user_password(
                        var::CAMUNDA_COOKIE_AUTH_USERNAME,
                        var::CAMUNDA_COOKIE_AUTH_PASSWORD,
                        Error::MissingSetting {
                            what: "the cookie login username",
                            variables: "CAMUNDA_COOKIE_AUTH_USERNAME",
                        },
                        Error::MissingSetting {
                            what: "the cookie login password",
                            variables: "CAMUNDA_COOKIE_AUTH_PASSWORD",
                        },
                    )?,
                };
                let explicit = match self.pick(
                    self.set.cookie_auth_url.as_deref(),
                    "Config::cookie_auth_url",
                    &[var::CAMUNDA_COOKIE_AUTH_URL],
                ) {
                    Some((raw, source)) => {
                        Some(urls::parse_checked(source, raw, allow_insecure_http)?)
                    }
                    None => None,
                };
                let method_for = |base: &Option<Url>| -> Result<Option<AuthMethod>> {
                    let login_url = match (&explicit, base) {
                        (Some(url), _) => url.clone(),
                        (None, Some(base)) => login_url_under(base)?,
                        (None, None) => return Ok(None),
                    };
                    Ok(Some(AuthMethod::Cookie {
                        login_url,
                        username: username.clone(),
                        password: password.clone(),
                    }))
                };
                (
                    method_for(&zeebe_url)?,
                    method_for(&operate_url)?,
                    method_for(&orchestration_url)?,
                )
            }
            AuthStrategy::None => (
                Some(AuthMethod::None),
                Some(AuthMethod::None),
                Some(AuthMethod::None),
            ),
        };

        let connect_timeout = self.duration(
            self.set.connect_timeout,
            "Config::connect_timeout",
            var::CAMUNDA_CONNECT_TIMEOUT_MS,
            DEFAULT_CONNECT_TIMEOUT,
        )?;
        let request_timeout = self.duration(
            self.set.request_timeout,
            "Config::request_timeout",
            var::CAMUNDA_REQUEST_TIMEOUT_MS,
            DEFAULT_REQUEST_TIMEOUT,
        )?;
        let tokens = self.token_settings(connect_timeout, request_timeout)?;
        Ok(ResolvedConfig {
            admin: ApiSettings {
                api: Api::Admin,
                base_url: Some(admin_url),
                auth: admin_auth,
                exact: false,
            },
            zeebe: ApiSettings {
                api: Api::Zeebe,
                base_url: zeebe_url,
                auth: zeebe_auth,
                exact: false,
            },
            operate: ApiSettings {
                api: Api::Operate,
                base_url: operate_url,
                auth: operate_auth,
                exact: false,
            },
            orchestration: ApiSettings {
                api: Api::Orchestration,
                base_url: orchestration_url,
                auth: orchestration_auth,
                exact: orchestration_exact,
            },
            default_tenant_id,
            auth_strategy: strategy,
            token_cache_dir: self.resolved_token_cache_dir()?,
            allow_insecure_http,
            connect_timeout,
            request_timeout,
            retry: self.retry()?,
            tls: self.tls()?,
            tokens,
        })
    }

    /// The token settings; the token timeouts default to the general ones.
    fn token_settings(&self, connect: Duration, request: Duration) -> Result<TokenSettings> {
        let refresh_margin = match (
            self.set.token_refresh_margin,
            self.env.get(var::CAMUNDA_OAUTH_TOKEN_REFRESH_THRESHOLD_MS),
        ) {
            (Some(margin), _) => margin,
            (None, Some(raw)) => {
                env::parse_millis_or_zero(var::CAMUNDA_OAUTH_TOKEN_REFRESH_THRESHOLD_MS, raw)?
            }
            (None, None) => DEFAULT_REFRESH_BUFFER,
        };
        let (connect_timeout, request_timeout) =
            self.set.token_timeouts.unwrap_or((connect, request));
        for (value, name) in [
            (connect_timeout, "Config::token_timeouts (connect)"),
            (request_timeout, "Config::token_timeouts (request)"),
        ] {
            if value.is_zero() {
                return Err(Error::InvalidValue {
                    setting: name.to_owned(),
                    value: format!("{value:?}"),
                    reason: "must be greater than zero".to_owned(),
                });
            }
        }
        Ok(TokenSettings {
            refresh_margin,
            failure_memory: self
                .set
                .token_failure_memory
                .unwrap_or(DEFAULT_FAILURE_MEMORY),
            connect_timeout,
            request_timeout,
            min_lifetime: self.set.token_min_lifetime.unwrap_or(DEFAULT_MIN_LIFETIME),
            clock: self.set.clock.clone().unwrap_or_else(system_clock),
        })
    }

    /// A builder value, else the first of `vars` that is set, with the name
    /// of where it came from.
    fn pick<'a>(
        &'a self,
        builder: Option<&'a str>,
        builder_name: &'static str,
        vars: &[&'static str],
    ) -> Option<(&'a str, &'static str)> {
        match builder {
            Some(value) => Some((value, builder_name)),
            None => self.env.first(vars).map(|(name, value)| (value, name)),
        }
    }

    /// A text setting with a default.
    fn text(&self, builder: Option<&str>, vars: &[&'static str], default: &str) -> String {
        builder
            .or_else(|| self.env.first(vars).map(|(_, v)| v))
            .unwrap_or(default)
            .to_owned()
    }

    fn flag(&self, builder: Option<bool>, name: &'static str, default: bool) -> Result<bool> {
        match (builder, self.env.get(name)) {
            (Some(b), _) => Ok(b),
            (None, Some(raw)) => env::parse_bool(name, raw),
            (None, None) => Ok(default),
        }
    }

    fn duration(
        &self,
        builder: Option<Duration>,
        builder_name: &str,
        name: &'static str,
        default: Duration,
    ) -> Result<Duration> {
        match (builder, self.env.get(name)) {
            (Some(d), _) if d.is_zero() => Err(Error::InvalidValue {
                setting: builder_name.to_owned(),
                value: format!("{d:?}"),
                reason: "must be greater than zero".to_owned(),
            }),
            (Some(d), _) => Ok(d),
            (None, Some(raw)) => env::parse_millis(name, raw),
            (None, None) => Ok(default),
        }
    }

    /// Both halves of a credential pair from the environment, or neither.
    fn pair(&self, family: &Family) -> Result<Option<(String, Secret)>> {
        match (self.env.get(family.id), self.env.get(family.secret)) {
            (Some(id), Some(secret)) => Ok(Some((id.to_owned(), Secret::new(secret)))),
            (Some(_), None) => Err(family.missing_secret.clone()),
            (None, Some(_)) => Err(family.missing_id.clone()),
            (None, None) => Ok(None),
        }
    }

    /// The cluster client credentials: the builder's, else the first family
    /// of variables of which anything is set.
    fn resolved_client_credentials(&self) -> Result<Option<(String, Secret)>> {
        if let Some((id, secret)) = &self.set.client_credentials {
            return Ok(Some((id.clone(), secret.clone())));
        }
        for family in &CLIENT_FAMILIES {
            if self.env.any(&[family.id, family.secret]) {
                return self.pair(family);
            }
        }
        Ok(None)
    }

    fn user_password(
        &self,
        user_var: &'static str,
        password_var: &'static str,
        missing_user: Error,
        missing_password: Error,
    ) -> Result<(String, Secret)> {
        let user = self.env.get(user_var).ok_or(missing_user)?;
        let password = self.env.get(password_var).ok_or(missing_password)?;
        Ok((user.to_owned(), Secret::new(password)))
    }

    /// The strategy as chosen, or inferred from the credentials present.
    fn strategy(&self) -> Result<AuthStrategy> {
        if let Some(s) = self.set.auth_strategy {
            return Ok(s);
        }
        if let Some(raw) = self.env.get(var::CAMUNDA_AUTH_STRATEGY) {
            return raw.parse();
        }
        let present = |builder: bool, builder_name: &'static str, vars: &[&'static str]| {
            let mut sources: Vec<&'static str> = Vec::new();
            if builder {
                sources.push(builder_name);
            }
            sources.extend(vars.iter().copied().filter(|v| self.env.get(v).is_some()));
            sources
        };
        let kinds: Vec<Kind> = [
            Kind {
                strategy: AuthStrategy::OAuth,
                sources: present(
                    self.set.client_credentials.is_some(),
                    "Config::client_credentials",
                    &[
                        var::CAMUNDA_CLIENT_ID,
                        var::CAMUNDA_CLIENT_SECRET,
                        var::ZEEBE_CLIENT_ID,
                        var::ZEEBE_CLIENT_SECRET,
                    ],
                ),
            },
            Kind {
                strategy: AuthStrategy::Basic,
                sources: present(
                    self.set.basic_auth.is_some(),
                    "Config::basic_auth",
                    &[
                        var::CAMUNDA_BASIC_AUTH_USERNAME,
                        var::CAMUNDA_BASIC_AUTH_PASSWORD,
                    ],
                ),
            },
            Kind {
                strategy: AuthStrategy::Bearer,
                sources: present(
                    self.set.bearer_token.is_some(),
                    "Config::bearer_token",
                    &[var::CAMUNDA_OAUTH_TOKEN],
                ),
            },
            Kind {
                strategy: AuthStrategy::Cookie,
                sources: present(
                    self.set.cookie_credentials.is_some(),
                    "Config::cookie_credentials",
                    &[
                        var::CAMUNDA_COOKIE_AUTH_USERNAME,
                        var::CAMUNDA_COOKIE_AUTH_PASSWORD,
                    ],
                ),
            },
        ]
        .into_iter()
        .filter(|k| !k.sources.is_empty())
        .collect();
        match kinds.as_slice() {
            [] => Ok(AuthStrategy::None),
            [only] => Ok(only.strategy),
            several => {
                let listed = several
                    .iter()
                    .map(|k| format!("{} ({})", k.strategy.as_str(), k.sources.join(", ")))
                    .collect::<Vec<_>>()
                    .join("; ");
                Err(Error::ConflictingSettings {
                    message: format!(
                        "credentials for several authentication strategies are set: {listed}; \
                         choose one with CAMUNDA_AUTH_STRATEGY (or Config::auth_strategy) \
                         or remove the others"
                    ),
                })
            }
        }
    }

    /// Region and cluster id, both or neither.
    fn resolved_cluster(&self) -> Result<Option<(Region, ClusterId)>> {
        let (region, id, region_source, id_source) = match &self.set.cluster {
            Some((region, id)) => (
                Some(region.as_str()),
                Some(id.as_str()),
                "Config::cluster",
                "Config::cluster",
            ),
            None => (
                self.env.get(var::CAMUNDA_CLUSTER_REGION),
                self.env.get(var::CAMUNDA_CLUSTER_ID),
                var::CAMUNDA_CLUSTER_REGION,
                var::CAMUNDA_CLUSTER_ID,
            ),
        };
        match (region, id) {
            (Some(region), Some(id)) => {
                let region = Region::new(region).map_err(|e| rename(e, region_source))?;
                let id = ClusterId::new(id).map_err(|e| rename(e, id_source))?;
                Ok(Some((region, id)))
            }
            (Some(_), None) => Err(Error::MissingSetting {
                what: "the cluster id that goes with CAMUNDA_CLUSTER_REGION",
                variables: "CAMUNDA_CLUSTER_ID",
            }),
            (None, Some(_)) => Err(Error::MissingSetting {
                what: "the region that goes with CAMUNDA_CLUSTER_ID",
                variables: "CAMUNDA_CLUSTER_REGION",
            }),
            (None, None) => Ok(None),
        }
    }

    /// The disk cache is opt-in: on when a directory is given (builder or
    /// `CAMUNDA_TOKEN_CACHE_DIR`) or when the builder enables it (then in
    /// `$HOME/.camunda`); `CAMUNDA_TOKEN_DISK_CACHE_DISABLE=true` or
    /// `token_disk_cache(false)` turns it off whatever else is set.
    fn resolved_token_cache_dir(&self) -> Result<Option<PathBuf>> {
        let dir = self.set.token_cache_dir.clone().or_else(|| {
            self.env
                .get(var::CAMUNDA_TOKEN_CACHE_DIR)
                .map(PathBuf::from)
        });
        let enabled = match (
            self.set.token_disk_cache,
            self.env.get(var::CAMUNDA_TOKEN_DISK_CACHE_DISABLE),
        ) {
            (Some(enabled), _) => enabled,
            (None, Some(raw)) => {
                !env::parse_bool(var::CAMUNDA_TOKEN_DISK_CACHE_DISABLE, raw)? && dir.is_some()
            }
            (None, None) => dir.is_some(),
        };
        if !enabled {
            return Ok(None);
        }
        if dir.is_some() {
            return Ok(dir);
        }
        Ok(self
            .env
            .first(&[var::HOME, var::USERPROFILE])
            .map(|(_, home)| PathBuf::from(home).join(".camunda")))
    }

    fn retry(&self) -> Result<RetryPolicy> {
        if let Some(policy) = &self.set.retry_policy {
            return Ok(policy.clone());
        }
        let mut policy = RetryPolicy::default();
        if let Some(raw) = self.env.get(var::CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS) {
            policy.max_attempts = env::parse_count(var::CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS, raw)?;
        }
        if let Some(raw) = self.env.get(var::CAMUNDA_SDK_HTTP_RETRY_BASE_DELAY_MS) {
            policy.base_delay = env::parse_millis(var::CAMUNDA_SDK_HTTP_RETRY_BASE_DELAY_MS, raw)?;
        }
        if let Some(raw) = self.env.get(var::CAMUNDA_SDK_HTTP_RETRY_MAX_DELAY_MS) {
            policy.max_delay = env::parse_millis(var::CAMUNDA_SDK_HTTP_RETRY_MAX_DELAY_MS, raw)?;
        }
        if let Some(raw) = self.env.get(var::CAMUNDA_SDK_HTTP_RETRY_MAX_ELAPSED_MS) {
            policy.max_elapsed =
                env::parse_millis(var::CAMUNDA_SDK_HTTP_RETRY_MAX_ELAPSED_MS, raw)?;
        }
        Ok(policy)
    }

    fn tls(&self) -> Result<TlsSettings> {
        let root_cert_path = self.set.root_cert_path.clone().or_else(|| {
            self.env
                .get(var::CAMUNDA_CUSTOM_ROOT_CERT_PATH)
                .map(PathBuf::from)
        });
        let (cert_chain_path, private_key_path) = match &self.set.client_certificate {
            Some((chain, key)) => (Some(chain.clone()), Some(key.clone())),
            None => match (
                self.env.get(var::CAMUNDA_CUSTOM_CERT_CHAIN_PATH),
                self.env.get(var::CAMUNDA_CUSTOM_PRIVATE_KEY_PATH),
            ) {
                (Some(chain), Some(key)) => (Some(PathBuf::from(chain)), Some(PathBuf::from(key))),
                (Some(_), None) => {
                    return Err(Error::MissingSetting {
                        what: "the private key that goes with CAMUNDA_CUSTOM_CERT_CHAIN_PATH",
                        variables: "CAMUNDA_CUSTOM_PRIVATE_KEY_PATH",
                    });
                }
                (None, Some(_)) => {
                    return Err(Error::MissingSetting {
                        what: "the certificate chain that goes with CAMUNDA_CUSTOM_PRIVATE_KEY_PATH",
                        variables: "CAMUNDA_CUSTOM_CERT_CHAIN_PATH",
                    });
                }
                (None, None) => (None, None),
            },
        };
        Ok(TlsSettings {
            root_cert_path,
            cert_chain_path,
            private_key_path,
        })
    }
}

/// Checks a tenant id as Camunda does: `<default>`, or 1 to 31 letters,
/// digits, `_`, `.` and `-`.
fn check_tenant_id(setting: &str, raw: &str) -> Result<String> {
    let ok = raw == "<default>"
        || (!raw.is_empty()
            && raw.chars().count() <= 31
            && raw
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-')));
    if ok {
        Ok(raw.to_owned())
    } else {
        Err(Error::InvalidValue {
            setting: setting.to_owned(),
            value: quote(raw),
            reason: "a tenant id is `<default>` or 1 to 31 letters, digits, `_`, `.` and `-`"
                .to_owned(),
        })
    }
}

fn parse_body_format(raw: &str) -> Result<TokenBodyFormat> {
    match raw.to_ascii_uppercase().as_str() {
        "FORM" => Ok(TokenBodyFormat::Form),
        "JSON" => Ok(TokenBodyFormat::Json),
        _ => Err(Error::InvalidValue {
            setting: var::CAMUNDA_OAUTH_BODY_FORMAT.to_owned(),
            value: quote(raw),
            reason: "expected FORM or JSON".to_owned(),
        }),
    }
}

/// `{root}/api/login` for a component's address.
fn login_url_under(base: &Url) -> Result<Url> {
    let text = format!("{}/api/login", urls::root(base));
    Url::parse(&text).map_err(|e| Error::InvalidValue {
        setting: "CAMUNDA_COOKIE_AUTH_URL".to_owned(),
        value: quote(&crate::redact::redact_url(base)),
        reason: format!("cannot derive the login endpoint from this address: {e}"),
    })
}

/// Puts the actual source's name into a validation error.
fn rename(error: Error, source: &str) -> Error {
    match error {
        Error::InvalidValue { value, reason, .. } => Error::InvalidValue {
            setting: source.to_owned(),
            value,
            reason,
        },
        other => other,
    }
}
