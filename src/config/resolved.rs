//! What [`Config::resolve`](crate::Config::resolve) returns: the checked, complete configuration
//! ([`ResolvedConfig`]) and its parts, per API the address and the
//! authentication ([`ApiSettings`], [`AuthMethod`]), and the token settings.
//! How these values are worked out from variables and builder methods is
//! `resolve.rs`'s business; this file only says what they are.

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use super::env::var;
use crate::auth::{ClientCredentials, Clock};
use crate::error::quote;
use crate::retry::RetryPolicy;
use crate::tls::TlsSettings;
use crate::urls::{self, Api};
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

/// A checked, complete configuration: what [`Config::resolve`](crate::Config::resolve) returns.
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
    /// `<default>`); `None` after [`Config::no_default_tenant`](crate::Config::no_default_tenant).
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
/// the `token_*` methods and [`clock`](crate::Config::clock) of [`Config`](crate::Config).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TokenSettings {
    /// How long before expiry a token is refreshed in the background.
    pub refresh_margin: Duration,
    /// How long a refused token request, or an API's refusal of a fresh
    /// token or of a fresh login's cookie, is remembered.
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

impl ResolvedConfig {
    /// A client builder with this configuration's timeouts, TLS material
    /// and proxy policy applied: the starting point for a client of your
    /// own that should behave like the crate's. The crate's own clients are
    /// built from the same settings (`src/http_client.rs` says what each
    /// adds on top). Fails with [`Error::Tls`] naming the file when the
    /// TLS material cannot be used.
    pub fn http_client_builder(&self) -> Result<reqwest::ClientBuilder> {
        crate::http_client::configured(self)
    }
}
