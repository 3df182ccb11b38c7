//! Authentication, as [`Config::resolve`] works it out: the strategy for
//! the cluster's APIs (chosen, or inferred from which credentials are set),
//! the credential pairs (both halves or neither), and from them the
//! [`AuthMethod`] of each API.

use url::Url;

use super::env::var;
use super::resolve::Addresses;
use super::{
    AuthMethod, AuthStrategy, Config, DEFAULT_CONSOLE_AUDIENCE, DEFAULT_OPERATE_AUDIENCE,
    DEFAULT_ZEEBE_AUDIENCE,
};
use crate::auth::{ClientCredentials, TokenBodyFormat};
use crate::error::quote;
use crate::urls;
use crate::{Error, Result, Secret};

/// Where OAuth tokens come from, for every API: the token endpoint and the
/// encoding of its requests' bodies.
pub(super) struct TokenEndpoint {
    pub(super) token_url: Url,
    pub(super) body_format: TokenBodyFormat,
}

impl TokenEndpoint {
    /// OAuth with these client credentials for this audience.
    fn method(
        &self,
        client_id: String,
        client_secret: Secret,
        audience: String,
        scope: Option<String>,
    ) -> AuthMethod {
        AuthMethod::OAuth(ClientCredentials {
            token_url: self.token_url.clone(),
            client_id,
            client_secret,
            audience,
            scope,
            body_format: self.body_format,
        })
    }
}

/// The authentication of the cluster's three APIs (`None`: not configured,
/// e.g. a cookie login with no address to derive its endpoint from).
pub(super) struct ClusterAuth {
    pub(super) zeebe: Option<AuthMethod>,
    pub(super) operate: Option<AuthMethod>,
    pub(super) orchestration: Option<AuthMethod>,
}

impl ClusterAuth {
    /// The same method for all three.
    fn same(method: AuthMethod) -> Self {
        Self {
            zeebe: Some(method.clone()),
            operate: Some(method.clone()),
            orchestration: Some(method),
        }
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
    /// The Administration API's authentication: OAuth with the console
    /// credentials, or none configured without them.
    pub(super) fn admin_auth(&self, endpoint: &TokenEndpoint) -> Result<Option<AuthMethod>> {
        let console = match &self.set.console_credentials {
            Some((id, secret)) => Some((id.clone(), secret.clone())),
            None => self.pair(&CONSOLE_FAMILY)?,
        };
        let audience = self.text(
            self.set.console_audience.as_deref(),
            &[var::CAMUNDA_CONSOLE_OAUTH_AUDIENCE],
            DEFAULT_CONSOLE_AUDIENCE,
        );
        Ok(console.map(|(id, secret)| endpoint.method(id, secret, audience, None)))
    }

    /// The authentication of Zeebe, Operate and the Orchestration Cluster
    /// API under `strategy`.
    pub(super) fn cluster_auth(
        &self,
        strategy: AuthStrategy,
        endpoint: &TokenEndpoint,
        addresses: &Addresses,
        allow_insecure_http: bool,
    ) -> Result<ClusterAuth> {
        Ok(match strategy {
            AuthStrategy::OAuth => self.oauth_methods(endpoint)?,
            AuthStrategy::Basic => ClusterAuth::same(self.basic_method()?),
            AuthStrategy::Bearer => ClusterAuth::same(self.bearer_method()?),
            AuthStrategy::Cookie => self.cookie_methods(addresses, allow_insecure_http)?,
            AuthStrategy::None => ClusterAuth::same(AuthMethod::None),
        })
    }

    /// OAuth: the cluster client credentials, with Zeebe's audience for
    /// Zeebe and the Orchestration Cluster API and Operate's for Operate.
    fn oauth_methods(&self, endpoint: &TokenEndpoint) -> Result<ClusterAuth> {
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
        // The Orchestration Cluster API is served by the Zeebe gateway: same
        // audience, so one token serves both.
        let cluster_token =
            endpoint.method(id.clone(), secret.clone(), zeebe_audience, scope.clone());
        Ok(ClusterAuth {
            zeebe: Some(cluster_token.clone()),
            operate: Some(endpoint.method(id, secret, operate_audience, scope)),
            orchestration: Some(cluster_token),
        })
    }

    /// HTTP Basic: the builder's user and password, else both variables.
    fn basic_method(&self) -> Result<AuthMethod> {
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
        Ok(AuthMethod::Basic { username, password })
    }

    /// A fixed bearer token: the builder's, else `CAMUNDA_OAUTH_TOKEN`.
    fn bearer_method(&self) -> Result<AuthMethod> {
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
        Ok(AuthMethod::Bearer(token))
    }

    /// Cookie login: the user and password, and per API the login endpoint
    /// (the one configured, else `/api/login` under the API's address; an
    /// API without either has no authentication configured).
    fn cookie_methods(
        &self,
        addresses: &Addresses,
        allow_insecure_http: bool,
    ) -> Result<ClusterAuth> {
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
            Some((raw, source)) => Some(urls::parse_checked(source, raw, allow_insecure_http)?),
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
        Ok(ClusterAuth {
            zeebe: method_for(&addresses.zeebe)?,
            operate: method_for(&addresses.operate)?,
            orchestration: method_for(&addresses.orchestration)?,
        })
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
    pub(super) fn strategy(&self) -> Result<AuthStrategy> {
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
