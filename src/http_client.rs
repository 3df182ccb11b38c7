//! Every HTTP client this crate builds, built here and only here, from the
//! resolved configuration. There are two kinds:
//!
//! * the **API client** ([`api_client`]): one per [`Camunda`](crate::Camunda),
//!   its connection pool shared by every API; the configured connect and
//!   request timeouts; reqwest's own resending off (the call resends a
//!   refused request itself, from the template it keeps anyway, instead of
//!   reqwest copying every request for the purpose: `src/refused.rs`);
//! * the **auth client** ([`auth_client`], [`token_client`]): token requests
//!   and cookie logins. It never follows a redirect (a token request carries
//!   the client secret in its body and must not be replayed to wherever a
//!   307/308 points; a redirected login would lose its `Set-Cookie`), and has
//!   the token layer's own timeouts.
//!
//! Both get the same proxy policy ([`proxy_settings`]) and the same custom
//! TLS material ([`apply_tls`]: extra roots, client identity; loaded and
//! checked by [`crate::tls`]). HTTP/2 (the `http2` feature, negotiated by
//! ALPN over TLS) and the connection pool (idle connections kept 90 s, no
//! limit per host) are reqwest's defaults, deliberately: a user who wants
//! other values hands over a client of their own
//! ([`Camunda::with_http_client`](crate::Camunda::with_http_client)).
//!
//! The `User-Agent` ([`USER_AGENT`]) is not a setting of the client: the
//! call pipeline puts it on each request sent through the crate's own API
//! client (`src/hooks/sending.rs` says why), and not on requests sent
//! through a user's client, whose headers are theirs.

use std::time::Duration;

use crate::config::ResolvedConfig;
use crate::tls::{TlsSettings, tls_error};
#[cfg(any(feature = "rustls", feature = "native-tls"))]
use crate::tls::{load_identity, load_root_certificates};
use crate::{Error, Result};

/// The `User-Agent` of requests sent through a client this crate built.
pub(crate) const USER_AGENT: &str = concat!("camunda8-rust/", env!("CARGO_PKG_VERSION"));

/// The API client of a configuration: its timeouts, TLS material and proxy
/// policy ([`configured`]), without reqwest's own resending.
pub(crate) fn api_client(config: &ResolvedConfig) -> Result<reqwest::Client> {
    build(configured(config)?.retry(crate::call::classify::reqwest_retry_off()))
}

/// The auth client of a configuration: its TLS material and proxy policy,
/// the token timeouts of its [`TokenSettings`](crate::TokenSettings), no
/// redirects ([`token_client`]).
pub(crate) fn auth_client(config: &ResolvedConfig) -> Result<reqwest::Client> {
    let builder = apply_tls(proxy_settings(reqwest::Client::builder()), &config.tls)?;
    token_client(
        builder,
        config.tokens.connect_timeout,
        config.tokens.request_timeout,
    )
}

/// A builder with a configuration's proxy policy, API timeouts and TLS
/// material: what [`ResolvedConfig::http_client_builder`] returns, and the
/// start of [`api_client`].
pub(crate) fn configured(config: &ResolvedConfig) -> Result<reqwest::ClientBuilder> {
    let builder = proxy_settings(reqwest::Client::builder())
        .connect_timeout(config.connect_timeout)
        .timeout(config.request_timeout);
    apply_tls(builder, &config.tls)
}

/// Adds what every token client needs to `builder`: no redirects (a token
/// request carries the client secret and must not be replayed to another
/// host) and connect/total timeouts; then builds it. Also what
/// [`TokenCache::default_http_client`](crate::auth::TokenCache::default_http_client)
/// and the token cache's own default client are built with.
pub(crate) fn token_client(
    builder: reqwest::ClientBuilder,
    connect_timeout: Duration,
    timeout: Duration,
) -> Result<reqwest::Client> {
    build(
        builder
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(connect_timeout)
            .timeout(timeout),
    )
}

fn build(builder: reqwest::ClientBuilder) -> Result<reqwest::Client> {
    builder.build().map_err(|e| Error::HttpClient {
        reason: e.to_string(),
    })
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

/// Adds the configured root certificates (to the built-in ones) and client
/// identity to a client builder; used for API and token clients alike. With
/// empty settings the builder is returned unchanged.
pub fn apply_tls(
    builder: reqwest::ClientBuilder,
    settings: &TlsSettings,
) -> Result<reqwest::ClientBuilder> {
    let identity = match (&settings.cert_chain_path, &settings.private_key_path) {
        (Some(chain), Some(key)) => Some((chain, key)),
        (Some(chain), None) => {
            return Err(tls_error(
                chain,
                "a client certificate chain needs its private key (CAMUNDA_CUSTOM_PRIVATE_KEY_PATH)",
            ));
        }
        (None, Some(key)) => {
            return Err(tls_error(
                key,
                "a private key needs its certificate chain (CAMUNDA_CUSTOM_CERT_CHAIN_PATH)",
            ));
        }
        (None, None) => None,
    };
    #[cfg(any(feature = "rustls", feature = "native-tls"))]
    {
        let mut builder = builder;
        if let Some(path) = &settings.root_cert_path {
            builder = builder.tls_certs_merge(load_root_certificates(path)?);
        }
        if let Some((chain, key)) = identity {
            builder = builder.identity(load_identity(chain, key)?);
        }
        Ok(builder)
    }
    #[cfg(not(any(feature = "rustls", feature = "native-tls")))]
    {
        let first = settings
            .root_cert_path
            .as_ref()
            .or(identity.map(|(c, _)| c));
        match first {
            Some(path) => Err(tls_error(
                path,
                "this build has no TLS backend (enable the `rustls` or `native-tls` feature)",
            )),
            None => Ok(builder),
        }
    }
}
