//! A configured address: what it must be to be accepted (the https policy
//! of [`parse_checked`]) and the base URL a generated client is built with
//! from it ([`api_base`], the single place where that happens), per
//! [`Api`]. Reached by users as `camunda8::urls::…`.

use std::fmt;
use std::net::IpAddr;

use url::Url;

use crate::error::quote;
use crate::redact::{redact_url, redact_userinfo_text};
use crate::{Error, Result};

/// The HTTP APIs this crate talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Api {
    /// The SaaS Administration ("Console") API.
    Admin,
    /// The Zeebe REST API (8.6, `/v1`).
    Zeebe,
    /// The Operate REST API (8.6, `/v1`).
    Operate,
    /// The Orchestration Cluster API (`/v2`, Camunda 8.8 to 8.10).
    Orchestration,
}

impl Api {
    /// The path the generated client expects after the address: the Zeebe
    /// contract's operation paths omit the `/v1` its server URL carries, so the
    /// base must end in `/v1`; Operate's operation paths already begin with
    /// `/v1`; the Orchestration Cluster API's paths omit their `/v2`, like
    /// Zeebe's; the Administration API has no version segment.
    pub fn path_prefix(self) -> &'static str {
        match self {
            Api::Zeebe => "/v1",
            Api::Orchestration => "/v2",
            Api::Operate | Api::Admin => "",
        }
    }
}

impl fmt::Display for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Api::Admin => "admin",
            Api::Zeebe => "zeebe",
            Api::Operate => "operate",
            Api::Orchestration => "orchestration",
        })
    }
}

/// The base URL a generated client for `api` is built with, from any address
/// a user may supply: trailing slashes are dropped, a trailing `/v1` or
/// `/v2` segment (with or without a slash) is removed, and then the API's
/// own prefix ([`Api::path_prefix`]) is appended. So `https://h/c`,
/// `https://h/c/`, `https://h/c/v1` and `https://h/c/v1/` all give
/// `https://h/c/v1` for Zeebe, `https://h/c/v2` for the Orchestration
/// Cluster API and `https://h/c` for Operate. The result never ends in `/`.
pub fn api_base(api: Api, url: &Url) -> String {
    let mut text = root(url);
    text.push_str(api.path_prefix());
    text
}

/// The address without query, fragment, trailing slashes or a trailing
/// `/v1` or `/v2` segment: what [`api_base`] appends an API's prefix to, and
/// where a self-managed component serves `/api/login`.
pub fn root(url: &Url) -> String {
    let path = url.path().trim_end_matches('/');
    // Work on the path only: a host could be called `v1` too.
    let path = path
        .strip_suffix("/v1")
        .or_else(|| path.strip_suffix("/v2"))
        .unwrap_or(path);
    with_path(url, path)
}

/// The address as given, without query, fragment or trailing slashes: the
/// base of an API reached through a gateway that maps its own path
/// (`CAMUNDA_REST_ADDRESS_EXACT=true`).
pub fn exact(url: &Url) -> String {
    with_path(url, url.path())
}

fn with_path(url: &Url, path: &str) -> String {
    let mut base = url.clone();
    base.set_query(None);
    base.set_fragment(None);
    base.set_path(path.trim_end_matches('/'));
    let mut text = base.as_str().to_owned();
    while text.ends_with('/') {
        text.pop();
    }
    text
}

/// Parses and checks a URL given for `setting` (a variable name or builder
/// method): absolute `http`/`https` with a host, no user-info, query or
/// fragment, and plain `http` only as the https policy allows.
///
/// # The https policy
///
/// Every URL this crate sends credentials or API calls to must use `https`,
/// with two exceptions:
///
/// * loopback hosts (`localhost`, `*.localhost`, `127.0.0.0/8`, `::1`,
///   see [`is_loopback`]) may use plain `http` without any opt-in: traffic
///   never leaves the machine, and this is how a local self-managed
///   installation is usually reached;
/// * any other host may use plain `http` only after the explicit opt-in
///   (`CAMUNDA_ALLOW_INSECURE_HTTP=true` or
///   [`Config::allow_insecure_http`](crate::Config::allow_insecure_http)).
///
/// Other schemes are refused. URLs carrying credentials (`user:pass@host`),
/// a query or a fragment are refused too, and the refused value is quoted
/// without its user-info part.
pub fn parse_checked(setting: &str, raw: &str, allow_insecure_http: bool) -> Result<Url> {
    let invalid = |value: String, reason: &str| Error::InvalidValue {
        setting: setting.to_owned(),
        value,
        reason: reason.to_owned(),
    };
    let trimmed = raw.trim();
    let url = Url::parse(trimmed)
        .map_err(|e| invalid(quote(&redact_userinfo_text(trimmed)), &e.to_string()))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            quote(&redact_url(&url)),
            "credentials must not be embedded in a URL; use the dedicated settings",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(
            quote(&redact_url(&url)),
            "a base URL cannot carry a query or a fragment",
        ));
    }
    match url.scheme() {
        "https" => {}
        "http" => {
            if !allow_insecure_http && !is_loopback(&url) {
                return Err(Error::InsecureUrl {
                    setting: setting.to_owned(),
                    url: quote(&redact_url(&url)),
                });
            }
        }
        other => {
            return Err(invalid(
                quote(&redact_url(&url)),
                &format!("scheme {other:?} is not supported (use https)"),
            ));
        }
    }
    if url.host().is_none() {
        return Err(invalid(quote(&redact_url(&url)), "the URL has no host"));
    }
    Ok(url)
}

/// Whether the URL's host is the local machine: `localhost`, a name under
/// `.localhost`, an address in `127.0.0.0/8`, or `::1`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for u in [
            "http://localhost:8080",
            "http://127.0.0.1",
            "http://127.1.2.3",
            "http://[::1]:80",
            "http://operate.localhost",
        ] {
            assert!(is_loopback(&Url::parse(u).unwrap()), "{u}");
        }
        for u in [
            "http://example.com",
            "http://10.0.0.1",
            "http://localhost.evil.com",
        ] {
            assert!(!is_loopback(&Url::parse(u).unwrap()), "{u}");
        }
    }
}
