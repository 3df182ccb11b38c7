//! The environment variables the configuration reads, a snapshot of their
//! values, and the parsers for their non-string values.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use crate::error::quote;
use crate::{Error, Result};

/// Every variable name used here, as constants so that a typo is a compile error.
pub(crate) mod var {
    #![allow(missing_docs)]
    pub const CAMUNDA_CLIENT_ID: &str = "CAMUNDA_CLIENT_ID";
    pub const CAMUNDA_CLIENT_SECRET: &str = "CAMUNDA_CLIENT_SECRET";
    pub const ZEEBE_CLIENT_ID: &str = "ZEEBE_CLIENT_ID";
    pub const ZEEBE_CLIENT_SECRET: &str = "ZEEBE_CLIENT_SECRET";
    pub const CAMUNDA_OAUTH_URL: &str = "CAMUNDA_OAUTH_URL";
    pub const ZEEBE_AUTHORIZATION_SERVER_URL: &str = "ZEEBE_AUTHORIZATION_SERVER_URL";
    pub const CAMUNDA_ZEEBE_OAUTH_AUDIENCE: &str = "CAMUNDA_ZEEBE_OAUTH_AUDIENCE";
    pub const ZEEBE_TOKEN_AUDIENCE: &str = "ZEEBE_TOKEN_AUDIENCE";
    pub const CAMUNDA_OPERATE_OAUTH_AUDIENCE: &str = "CAMUNDA_OPERATE_OAUTH_AUDIENCE";
    pub const CAMUNDA_CONSOLE_OAUTH_AUDIENCE: &str = "CAMUNDA_CONSOLE_OAUTH_AUDIENCE";
    pub const CAMUNDA_TOKEN_SCOPE: &str = "CAMUNDA_TOKEN_SCOPE";
    pub const CAMUNDA_OAUTH_BODY_FORMAT: &str = "CAMUNDA_OAUTH_BODY_FORMAT";
    pub const CAMUNDA_CONSOLE_CLIENT_ID: &str = "CAMUNDA_CONSOLE_CLIENT_ID";
    pub const CAMUNDA_CONSOLE_CLIENT_SECRET: &str = "CAMUNDA_CONSOLE_CLIENT_SECRET";
    pub const CAMUNDA_CONSOLE_BASE_URL: &str = "CAMUNDA_CONSOLE_BASE_URL";
    pub const ZEEBE_REST_ADDRESS: &str = "ZEEBE_REST_ADDRESS";
    pub const CAMUNDA_REST_ADDRESS: &str = "CAMUNDA_REST_ADDRESS";
    pub const CAMUNDA_REST_ADDRESS_EXACT: &str = "CAMUNDA_REST_ADDRESS_EXACT";
    pub const CAMUNDA_TOKEN_AUDIENCE: &str = "CAMUNDA_TOKEN_AUDIENCE";
    pub const CAMUNDA_OAUTH_SCOPE: &str = "CAMUNDA_OAUTH_SCOPE";
    pub const CAMUNDA_DEFAULT_TENANT_ID: &str = "CAMUNDA_DEFAULT_TENANT_ID";
    pub const CAMUNDA_TENANT_ID: &str = "CAMUNDA_TENANT_ID";
    pub const CAMUNDA_OPERATE_BASE_URL: &str = "CAMUNDA_OPERATE_BASE_URL";
    pub const CAMUNDA_CLUSTER_ID: &str = "CAMUNDA_CLUSTER_ID";
    pub const CAMUNDA_CLUSTER_REGION: &str = "CAMUNDA_CLUSTER_REGION";
    pub const CAMUNDA_AUTH_STRATEGY: &str = "CAMUNDA_AUTH_STRATEGY";
    pub const CAMUNDA_BASIC_AUTH_USERNAME: &str = "CAMUNDA_BASIC_AUTH_USERNAME";
    pub const CAMUNDA_BASIC_AUTH_PASSWORD: &str = "CAMUNDA_BASIC_AUTH_PASSWORD";
    pub const CAMUNDA_OAUTH_TOKEN: &str = "CAMUNDA_OAUTH_TOKEN";
    pub const CAMUNDA_COOKIE_AUTH_URL: &str = "CAMUNDA_COOKIE_AUTH_URL";
    pub const CAMUNDA_COOKIE_AUTH_USERNAME: &str = "CAMUNDA_COOKIE_AUTH_USERNAME";
    pub const CAMUNDA_COOKIE_AUTH_PASSWORD: &str = "CAMUNDA_COOKIE_AUTH_PASSWORD";
    pub const CAMUNDA_TOKEN_CACHE_DIR: &str = "CAMUNDA_TOKEN_CACHE_DIR";
    pub const CAMUNDA_TOKEN_DISK_CACHE_DISABLE: &str = "CAMUNDA_TOKEN_DISK_CACHE_DISABLE";
    pub const CAMUNDA_CUSTOM_ROOT_CERT_PATH: &str = "CAMUNDA_CUSTOM_ROOT_CERT_PATH";
    pub const CAMUNDA_CUSTOM_CERT_CHAIN_PATH: &str = "CAMUNDA_CUSTOM_CERT_CHAIN_PATH";
    pub const CAMUNDA_CUSTOM_PRIVATE_KEY_PATH: &str = "CAMUNDA_CUSTOM_PRIVATE_KEY_PATH";
    pub const CAMUNDA_ALLOW_INSECURE_HTTP: &str = "CAMUNDA_ALLOW_INSECURE_HTTP";
    pub const CAMUNDA_CONNECT_TIMEOUT_MS: &str = "CAMUNDA_CONNECT_TIMEOUT_MS";
    pub const CAMUNDA_REQUEST_TIMEOUT_MS: &str = "CAMUNDA_REQUEST_TIMEOUT_MS";
    pub const CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS: &str = "CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS";
    pub const CAMUNDA_SDK_HTTP_RETRY_BASE_DELAY_MS: &str = "CAMUNDA_SDK_HTTP_RETRY_BASE_DELAY_MS";
    pub const CAMUNDA_SDK_HTTP_RETRY_MAX_DELAY_MS: &str = "CAMUNDA_SDK_HTTP_RETRY_MAX_DELAY_MS";
    pub const CAMUNDA_SDK_HTTP_RETRY_MAX_ELAPSED_MS: &str = "CAMUNDA_SDK_HTTP_RETRY_MAX_ELAPSED_MS";
    pub const CAMUNDA_OAUTH_TOKEN_REFRESH_THRESHOLD_MS: &str =
        "CAMUNDA_OAUTH_TOKEN_REFRESH_THRESHOLD_MS";
    /// Not a Camunda variable: where the default token cache directory lives.
    pub const HOME: &str = "HOME";
    /// `HOME`'s counterpart on Windows.
    pub const USERPROFILE: &str = "USERPROFILE";
}

/// All variables [`Snapshot::capture`] reads.
pub(crate) const ALL: &[&str] = &[
    var::CAMUNDA_CLIENT_ID,
    var::CAMUNDA_CLIENT_SECRET,
    var::ZEEBE_CLIENT_ID,
    var::ZEEBE_CLIENT_SECRET,
    var::CAMUNDA_OAUTH_URL,
    var::ZEEBE_AUTHORIZATION_SERVER_URL,
    var::CAMUNDA_ZEEBE_OAUTH_AUDIENCE,
    var::ZEEBE_TOKEN_AUDIENCE,
    var::CAMUNDA_OPERATE_OAUTH_AUDIENCE,
    var::CAMUNDA_CONSOLE_OAUTH_AUDIENCE,
    var::CAMUNDA_TOKEN_SCOPE,
    var::CAMUNDA_OAUTH_BODY_FORMAT,
    var::CAMUNDA_CONSOLE_CLIENT_ID,
    var::CAMUNDA_CONSOLE_CLIENT_SECRET,
    var::CAMUNDA_CONSOLE_BASE_URL,
    var::ZEEBE_REST_ADDRESS,
    var::CAMUNDA_REST_ADDRESS,
    var::CAMUNDA_REST_ADDRESS_EXACT,
    var::CAMUNDA_TOKEN_AUDIENCE,
    var::CAMUNDA_OAUTH_SCOPE,
    var::CAMUNDA_DEFAULT_TENANT_ID,
    var::CAMUNDA_TENANT_ID,
    var::CAMUNDA_OPERATE_BASE_URL,
    var::CAMUNDA_CLUSTER_ID,
    var::CAMUNDA_CLUSTER_REGION,
    var::CAMUNDA_AUTH_STRATEGY,
    var::CAMUNDA_BASIC_AUTH_USERNAME,
    var::CAMUNDA_BASIC_AUTH_PASSWORD,
    var::CAMUNDA_OAUTH_TOKEN,
    var::CAMUNDA_COOKIE_AUTH_URL,
    var::CAMUNDA_COOKIE_AUTH_USERNAME,
    var::CAMUNDA_COOKIE_AUTH_PASSWORD,
    var::CAMUNDA_TOKEN_CACHE_DIR,
    var::CAMUNDA_TOKEN_DISK_CACHE_DISABLE,
    var::CAMUNDA_CUSTOM_ROOT_CERT_PATH,
    var::CAMUNDA_CUSTOM_CERT_CHAIN_PATH,
    var::CAMUNDA_CUSTOM_PRIVATE_KEY_PATH,
    var::CAMUNDA_ALLOW_INSECURE_HTTP,
    var::CAMUNDA_CONNECT_TIMEOUT_MS,
    var::CAMUNDA_REQUEST_TIMEOUT_MS,
    var::CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS,
    var::CAMUNDA_SDK_HTTP_RETRY_BASE_DELAY_MS,
    var::CAMUNDA_SDK_HTTP_RETRY_MAX_DELAY_MS,
    var::CAMUNDA_SDK_HTTP_RETRY_MAX_ELAPSED_MS,
    var::CAMUNDA_OAUTH_TOKEN_REFRESH_THRESHOLD_MS,
    var::HOME,
    var::USERPROFILE,
];

/// Variables whose values are secrets: never printed.
const SECRETS: &[&str] = &[
    var::CAMUNDA_CLIENT_SECRET,
    var::ZEEBE_CLIENT_SECRET,
    var::CAMUNDA_CONSOLE_CLIENT_SECRET,
    var::CAMUNDA_BASIC_AUTH_PASSWORD,
    var::CAMUNDA_OAUTH_TOKEN,
    var::CAMUNDA_COOKIE_AUTH_PASSWORD,
];

/// Variables whose values are URLs: printed without user-info, query or
/// fragment, which may carry credentials.
const URLS: &[&str] = &[
    var::CAMUNDA_OAUTH_URL,
    var::ZEEBE_AUTHORIZATION_SERVER_URL,
    var::CAMUNDA_CONSOLE_BASE_URL,
    var::ZEEBE_REST_ADDRESS,
    var::CAMUNDA_OPERATE_BASE_URL,
    var::CAMUNDA_COOKIE_AUTH_URL,
];

/// The values of [`ALL`] at the time of capture. Unset and blank (empty or
/// whitespace-only) variables are absent; other values are trimmed.
#[derive(Clone, Default)]
pub(crate) struct Snapshot {
    values: BTreeMap<&'static str, String>,
}

impl Snapshot {
    /// Reads every known variable through `lookup`.
    pub(crate) fn capture(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let values = ALL
            .iter()
            .filter_map(|&name| {
                let value = lookup(name)?;
                let value = value.trim();
                (!value.is_empty()).then(|| (name, value.to_owned()))
            })
            .collect();
        Self { values }
    }

    /// The value of a variable, if set.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// The first of `names` that is set, with its name.
    pub(crate) fn first(&self, names: &[&'static str]) -> Option<(&'static str, &str)> {
        names
            .iter()
            .find_map(|&name| self.get(name).map(|value| (name, value)))
    }

    /// Whether any of `names` is set.
    pub(crate) fn any(&self, names: &[&str]) -> bool {
        names.iter().any(|name| self.values.contains_key(name))
    }
}

impl fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in &self.values {
            if SECRETS.contains(name) {
                map.entry(name, &"[censored]");
            } else if URLS.contains(name) {
                map.entry(name, &crate::redact::RedactedUrlText(value));
            } else {
                map.entry(name, value);
            }
        }
        map.finish()
    }
}

fn invalid(setting: &str, value: &str, reason: &str) -> Error {
    Error::InvalidValue {
        setting: setting.to_owned(),
        value: quote(value),
        reason: reason.to_owned(),
    }
}

/// `true`/`false`, also `1`/`0`, `yes`/`no`, `on`/`off`, in any case.
pub(crate) fn parse_bool(setting: &str, raw: &str) -> Result<bool> {
    match raw.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(invalid(setting, raw, "expected true or false")),
    }
}

/// A positive whole number of milliseconds.
pub(crate) fn parse_millis(setting: &str, raw: &str) -> Result<Duration> {
    match raw.parse::<u64>() {
        Ok(0) => Err(invalid(setting, raw, "must be greater than zero")),
        Ok(ms) => Ok(Duration::from_millis(ms)),
        Err(_) => Err(invalid(
            setting,
            raw,
            "expected a whole number of milliseconds",
        )),
    }
}

/// A whole number of milliseconds, zero allowed.
pub(crate) fn parse_millis_or_zero(setting: &str, raw: &str) -> Result<Duration> {
    raw.parse::<u64>()
        .map(Duration::from_millis)
        .map_err(|_| invalid(setting, raw, "expected a whole number of milliseconds"))
}

/// A positive whole number.
pub(crate) fn parse_count(setting: &str, raw: &str) -> Result<u32> {
    match raw.parse::<u32>() {
        Ok(0) => Err(invalid(setting, raw, "must be at least 1")),
        Ok(n) => Ok(n),
        Err(_) => Err(invalid(setting, raw, "expected a positive whole number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_values_are_unset_and_values_trimmed() {
        let s = Snapshot::capture(|name| match name {
            "ZEEBE_CLIENT_ID" => Some("  id ".into()),
            "ZEEBE_CLIENT_SECRET" => Some("   ".into()),
            "UNRELATED" => Some("x".into()),
            _ => None,
        });
        assert_eq!(s.get("ZEEBE_CLIENT_ID"), Some("id"));
        assert_eq!(s.get("ZEEBE_CLIENT_SECRET"), None);
        assert_eq!(s.get("UNRELATED"), None);
    }

    #[test]
    fn debug_censors_secrets() {
        let s = Snapshot::capture(|name| Some(format!("value-of-{name}")));
        let shown = format!("{s:?}");
        for secret in SECRETS {
            // quoted: one name may be a prefix of another
            assert!(
                !shown.contains(&format!("\"value-of-{secret}\"")),
                "{shown}"
            );
        }
        assert!(shown.contains("value-of-ZEEBE_CLIENT_ID"));
    }

    #[test]
    fn every_variable_is_documented() {
        let rustdoc = include_str!("mod.rs");
        let page = include_str!("../../docs/env-vars.md");
        for name in ALL {
            if [var::HOME, var::USERPROFILE].contains(name) {
                continue;
            }
            let quoted = format!("`{name}`");
            assert!(
                rustdoc.contains(&quoted),
                "{name} missing from Config's table"
            );
            assert!(
                page.contains(&quoted),
                "{name} missing from docs/env-vars.md"
            );
        }
    }

    #[test]
    fn scalar_parsers() {
        assert!(parse_bool("X", "TRUE").unwrap());
        assert!(!parse_bool("X", "0").unwrap());
        assert!(parse_bool("X", "maybe").is_err());
        assert_eq!(
            parse_millis("X", "250").unwrap(),
            Duration::from_millis(250)
        );
        assert!(parse_millis("X", "0").is_err());
        assert!(parse_millis("X", "-1").is_err());
        assert!(parse_millis("X", "1.5").is_err());
        assert_eq!(parse_millis_or_zero("X", "0").unwrap(), Duration::ZERO);
        assert!(parse_millis_or_zero("X", "-1").is_err());
        assert_eq!(parse_count("X", "3").unwrap(), 3);
        assert!(parse_count("X", "0").is_err());
    }
}
