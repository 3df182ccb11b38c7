//! A string that must never be printed: client secrets, tokens, passwords, cookies.
//!
//! On the wire a [`Secret`] is the plain string it wraps: the generated
//! clients use `Secret` for sensitive fields (see `codegen/contract/secrets.rs`), so
//! request bodies must carry the real value and responses must decode into a
//! `Secret`, while `Debug` and `Display` keep printing `[censored]`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A sensitive string (client secret, access token, password, session cookie).
///
/// `Debug` and `Display` print `[censored]`; the value is reachable only through
/// [`Secret::expose`], so it cannot end up in a log line or an error by accident.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    /// Wraps a sensitive value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself. Call this only where the value leaves the process
    /// (a request header or body, the token cache file).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the value is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[censored]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[censored]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::from)
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn never_printed() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "[censored]");
        assert_eq!(format!("{s}"), "[censored]");
        assert_eq!(s.expose(), "hunter2");
    }
}
