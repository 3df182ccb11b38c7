//! Base URLs: SaaS cluster coordinates ([`Region`], [`ClusterId`]), the SaaS
//! address patterns, URL validation (https policy, no embedded credentials)
//! and [`api_base`], the single place where a user-supplied address becomes
//! the base URL a generated client is built with.
//!
//! # The https policy
//!
//! Every URL this crate sends credentials or API calls to must use `https`,
//! with two exceptions:
//!
//! * loopback hosts (`localhost`, `*.localhost`, `127.0.0.0/8`, `::1`) may use
//!   plain `http` without any opt-in: traffic never leaves the machine, and
//!   this is how a local self-managed installation is usually reached;
//! * any other host may use plain `http` only after the explicit opt-in
//!   (`CAMUNDA_ALLOW_INSECURE_HTTP=true` or
//!   [`Config::allow_insecure_http`](crate::Config::allow_insecure_http)).
//!
//! Other schemes are refused. URLs carrying credentials (`user:pass@host`),
//! a query or a fragment are refused too, and the refused value is quoted
//! without its user-info part.

use std::fmt;
use std::net::IpAddr;

use url::Url;

use crate::redact::{redact_url, redact_userinfo_text};
use crate::{Error, Result};

/// The SaaS Administration ("Console") API address, used when no other is set.
pub const DEFAULT_ADMIN_URL: &str = "https://api.cloud.camunda.io";

/// The longest region name accepted (a DNS label is at most 63 bytes).
const MAX_REGION_LEN: usize = 63;

/// How much of a refused value an error quotes.
const MAX_QUOTED: usize = 80;

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

/// A SaaS region such as `bru-2` or `us-east-1`, validated so that it can only
/// ever become one DNS label: 1 to 63 characters, lowercase ASCII letters,
/// digits and `-`, neither starting nor ending with `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Region(String);

impl Region {
    /// Validates a region name. Uppercase is refused rather than folded, so
    /// that a typo is reported instead of silently accepted.
    pub fn new(value: &str) -> Result<Self> {
        let refuse = |reason: &str| Error::InvalidValue {
            setting: "CAMUNDA_CLUSTER_REGION".to_owned(),
            value: quote(value),
            reason: reason.to_owned(),
        };
        if value.is_empty() {
            return Err(refuse("a region cannot be empty"));
        }
        if value.len() > MAX_REGION_LEN {
            return Err(refuse("a region is at most 63 characters long"));
        }
        if let Some(bad) = value
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(refuse(&format!(
                "character {bad:?} is not allowed (only a-z, 0-9 and '-')"
            )));
        }
        if value.starts_with('-') || value.ends_with('-') {
            return Err(refuse("a region cannot start or end with '-'"));
        }
        Ok(Self(value.to_owned()))
    }

    /// The region name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Region {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::new(s)
    }
}

/// A SaaS cluster id: a UUID. Any letter case is accepted; the value is kept
/// in the canonical lowercase, hyphenated form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClusterId(uuid::Uuid);

impl ClusterId {
    /// Validates a cluster id (the 36-character hyphenated UUID form).
    pub fn new(value: &str) -> Result<Self> {
        let refuse = |reason: &str| Error::InvalidValue {
            setting: "CAMUNDA_CLUSTER_ID".to_owned(),
            value: quote(value),
            reason: reason.to_owned(),
        };
        // Only the plain hyphenated form: `uuid` would also accept braces and
        // `urn:uuid:` prefixes, which no Camunda tool prints.
        let shaped = value.len() == 36
            && value.char_indices().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => c == '-',
                _ => c.is_ascii_hexdigit(),
            });
        if !shaped {
            return Err(refuse(
                "a cluster id is a UUID such as 123e4567-e89b-12d3-a456-426614174000",
            ));
        }
        uuid::Uuid::try_parse(value)
            .map(Self)
            .map_err(|_| refuse("not a valid UUID"))
    }

    /// The id as a UUID.
    pub fn as_uuid(&self) -> uuid::Uuid {
        self.0
    }
}

impl fmt::Display for ClusterId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

impl std::str::FromStr for ClusterId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::new(s)
    }
}

/// The SaaS Zeebe REST address of a cluster: `https://{region}.zeebe.camunda.io/{cluster}`.
pub fn saas_zeebe_url(region: &Region, cluster: &ClusterId) -> Result<Url> {
    saas_url(region, "zeebe", cluster)
}

/// The SaaS Orchestration Cluster API address of a cluster: the Zeebe
/// gateway, `https://{region}.zeebe.camunda.io/{cluster}` (the client adds
/// `/v2`).
pub fn saas_orchestration_url(region: &Region, cluster: &ClusterId) -> Result<Url> {
    saas_url(region, "zeebe", cluster)
}

/// The SaaS Operate address of a cluster: `https://{region}.operate.camunda.io/{cluster}`.
pub fn saas_operate_url(region: &Region, cluster: &ClusterId) -> Result<Url> {
    saas_url(region, "operate", cluster)
}

/// The default Administration API address, [`DEFAULT_ADMIN_URL`].
pub fn default_admin_url() -> Url {
    constant_url(DEFAULT_ADMIN_URL)
}

fn saas_url(region: &Region, component: &str, cluster: &ClusterId) -> Result<Url> {
    // Both parts are validated ([a-z0-9-] and a canonical UUID), so the host
    // is always `{label}.{component}.camunda.io` and the path one segment.
    let raw = format!("https://{region}.{component}.camunda.io/{cluster}");
    Url::parse(&raw).map_err(|e| Error::InvalidValue {
        setting: "CAMUNDA_CLUSTER_REGION".to_owned(),
        value: region.to_string(),
        reason: format!("does not make a valid {component} address: {e}"),
    })
}

fn constant_url(text: &'static str) -> Url {
    #[allow(clippy::expect_used)]
    Url::parse(text).expect("a constant URL of this module is valid")
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
/// fragment, and plain `http` only as the [module's policy](self) allows.
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

/// The URL as text without user-info, query or fragment: safe to show.
///
/// Kept here so `camunda8::urls::redact` goes on compiling; the one URL
/// redaction lives with the other redactions (`src/redact.rs`).
pub use crate::redact::redact_url as redact;

/// Cuts a value for quoting in an error.
pub(crate) fn quote(value: &str) -> String {
    if value.chars().count() <= MAX_QUOTED {
        value.to_owned()
    } else {
        let mut cut: String = value.chars().take(MAX_QUOTED).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_cuts_long_values() {
        let long = "x".repeat(200);
        assert_eq!(quote(&long).chars().count(), MAX_QUOTED + 1);
    }

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
