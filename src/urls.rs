//! SaaS addresses: a cluster's coordinates ([`Region`], [`ClusterId`]),
//! validated so that no input can change the host or the path, and the
//! addresses Camunda SaaS serves each API at for them.
//!
//! The rest of what `camunda8::urls` offers is re-exported from where it is
//! defined: what any configured address must be to be accepted (the https
//! policy of [`parse_checked`]) and the base URL a generated client is built
//! with from it ([`api_base`]), both with the configuration; and
//! [`redact`], with the crate's other redactions.

use std::fmt;

use url::Url;

use crate::error::quote;
use crate::{Error, Result};

pub use crate::config::address::{Api, api_base, exact, is_loopback, parse_checked, root};

/// The SaaS Administration ("Console") API address, used when no other is set.
pub const DEFAULT_ADMIN_URL: &str = "https://api.cloud.camunda.io";

/// The longest region name accepted (a DNS label is at most 63 bytes).
const MAX_REGION_LEN: usize = 63;

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

/// The URL as text without user-info, query or fragment: safe to show.
///
/// Kept here so `camunda8::urls::redact` goes on compiling; the one URL
/// redaction lives with the other redactions (`src/redact.rs`).
pub use crate::redact::redact_url as redact;
