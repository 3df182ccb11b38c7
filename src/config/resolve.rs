//! [`Config::resolve`]: checking the settings and inferring what was left
//! unsaid, per API. The steps are the functions [`Config::resolve`] calls
//! in order (the order decides which problem is reported when there are
//! several); authentication is worked out in `credentials.rs`, and the
//! result's types are in `resolved.rs`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use super::credentials::TokenEndpoint;
use super::env::{self, var};
use super::{
    ApiSettings, Config, DEFAULT_CONNECT_TIMEOUT, DEFAULT_OAUTH_URL, DEFAULT_REQUEST_TIMEOUT,
    DEFAULT_TENANT_ID, ResolvedConfig, TokenSettings,
};
use crate::auth::{
    Clock, DEFAULT_FAILURE_MEMORY, DEFAULT_MIN_LIFETIME, DEFAULT_REFRESH_BUFFER, SystemClock,
    TokenBodyFormat,
};
use crate::call::retry::RetryPolicy;
use crate::error::quote;
use crate::tls::TlsSettings;
use crate::urls::{self, Api, ClusterId, Region};
use crate::{Error, Result};

/// The cluster's addresses, configured or derived from region and cluster
/// id (`None`: neither).
pub(super) struct Addresses {
    pub(super) zeebe: Option<Url>,
    pub(super) operate: Option<Url>,
    pub(super) orchestration: Option<Url>,
    /// `CAMUNDA_REST_ADDRESS_EXACT`: the Orchestration Cluster API address
    /// is used without adding `/v2`.
    pub(super) orchestration_exact: bool,
}

/// The system clock, one object for all configurations (so that two
/// resolutions of the same configuration compare equal).
fn system_clock() -> Arc<dyn Clock> {
    static SYSTEM: std::sync::LazyLock<Arc<dyn Clock>> =
        std::sync::LazyLock::new(|| Arc::new(SystemClock));
    Arc::clone(&SYSTEM)
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
        let token_endpoint = self.token_endpoint(allow_insecure_http)?;
        let addresses = self.cluster_addresses(allow_insecure_http)?;
        let default_tenant_id = self.resolved_default_tenant()?;
        let admin_url = self.admin_url(allow_insecure_http)?;
        let admin_auth = self.admin_auth(&token_endpoint)?;
        let auth_strategy = self.strategy()?;
        let cluster_auth = self.cluster_auth(
            auth_strategy,
            &token_endpoint,
            &addresses,
            allow_insecure_http,
        )?;
        let (connect_timeout, request_timeout) = self.timeouts()?;
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
                base_url: addresses.zeebe,
                auth: cluster_auth.zeebe,
                exact: false,
            },
            operate: ApiSettings {
                api: Api::Operate,
                base_url: addresses.operate,
                auth: cluster_auth.operate,
                exact: false,
            },
            orchestration: ApiSettings {
                api: Api::Orchestration,
                base_url: addresses.orchestration,
                auth: cluster_auth.orchestration,
                exact: addresses.orchestration_exact,
            },
            default_tenant_id,
            auth_strategy,
            token_cache_dir: self.resolved_token_cache_dir()?,
            allow_insecure_http,
            connect_timeout,
            request_timeout,
            retry: self.retry()?,
            tls: self.tls()?,
            tokens,
        })
    }

    /// The token endpoint of every API and the encoding of its requests.
    fn token_endpoint(&self, allow_insecure_http: bool) -> Result<TokenEndpoint> {
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
        Ok(TokenEndpoint {
            token_url,
            body_format,
        })
    }

    /// Zeebe's, Operate's and the Orchestration Cluster API's addresses:
    /// each as configured, else the SaaS address of the region and cluster
    /// id, else none.
    fn cluster_addresses(&self, allow_insecure_http: bool) -> Result<Addresses> {
        let cluster = self.resolved_cluster()?;
        let address = |builder: Option<&str>,
                       builder_name: &'static str,
                       vars: &[&'static str],
                       saas: fn(&Region, &ClusterId) -> Result<Url>|
         -> Result<Option<Url>> {
            match self.pick(builder, builder_name, vars) {
                Some((raw, source)) => {
                    Ok(Some(urls::parse_checked(source, raw, allow_insecure_http)?))
                }
                None => cluster
                    .as_ref()
                    .map(|(region, id)| saas(region, id))
                    .transpose(),
            }
        };
        let zeebe = address(
            self.set.zeebe_url.as_deref(),
            "Config::zeebe_url",
            &[var::ZEEBE_REST_ADDRESS],
            urls::saas_zeebe_url,
        )?;
        let operate = address(
            self.set.operate_url.as_deref(),
            "Config::operate_url",
            &[var::CAMUNDA_OPERATE_BASE_URL],
            urls::saas_operate_url,
        )?;
        let orchestration = address(
            self.set.orchestration_url.as_deref(),
            "Config::orchestration_url",
            &[var::CAMUNDA_REST_ADDRESS, var::ZEEBE_REST_ADDRESS],
            urls::saas_orchestration_url,
        )?;
        let orchestration_exact = self.flag(
            self.set.orchestration_exact,
            var::CAMUNDA_REST_ADDRESS_EXACT,
            false,
        )?;
        Ok(Addresses {
            zeebe,
            operate,
            orchestration,
            orchestration_exact,
        })
    }

    /// The tenant filled into commands that take one: the configured one
    /// (checked), else `<default>`; none after
    /// [`no_default_tenant`](Self::no_default_tenant).
    fn resolved_default_tenant(&self) -> Result<Option<String>> {
        Ok(match &self.set.default_tenant_id {
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
        })
    }

    /// The Administration API's address: as configured, else SaaS's.
    fn admin_url(&self, allow_insecure_http: bool) -> Result<Url> {
        match self.pick(
            self.set.console_url.as_deref(),
            "Config::console_url",
            &[var::CAMUNDA_CONSOLE_BASE_URL],
        ) {
            Some((raw, source)) => urls::parse_checked(source, raw, allow_insecure_http),
            None => Ok(urls::default_admin_url()),
        }
    }

    /// The connect and request timeouts of API calls.
    fn timeouts(&self) -> Result<(Duration, Duration)> {
        let connect = self.duration(
            self.set.connect_timeout,
            "Config::connect_timeout",
            var::CAMUNDA_CONNECT_TIMEOUT_MS,
            DEFAULT_CONNECT_TIMEOUT,
        )?;
        let request = self.duration(
            self.set.request_timeout,
            "Config::request_timeout",
            var::CAMUNDA_REQUEST_TIMEOUT_MS,
            DEFAULT_REQUEST_TIMEOUT,
        )?;
        Ok((connect, request))
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
    pub(super) fn pick<'a>(
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
    pub(super) fn text(
        &self,
        builder: Option<&str>,
        vars: &[&'static str],
        default: &str,
    ) -> String {
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
