//! Identifiers that come back on nearly every activated job, checked once
//! per thread rather than once per job.
//!
//! The generated key types check their text when decoded. For
//! [`TenantId`] and [`ProcessDefinitionId`] the check is a regular
//! expression, which costs about 2,000 instructions per value, on every
//! job. A worker sees the same one or two values over and over (its
//! tenant, the process its job type belongs to). The check depends only on
//! the text. So a value whose text equals the last value accepted on this
//! thread would pass it again, and the decoder hands out a copy of that
//! value instead of checking. Any other text is checked as before, and a
//! text that fails is rejected with the key type's own error.

use std::cell::RefCell;
use std::thread::LocalKey;

use serde::{Deserialize, Deserializer};

use crate::orchestration::keys::{InvalidKey, ProcessDefinitionId, TenantId};

/// A key type whose last accepted value a thread remembers.
trait Remembered: Clone + 'static {
    /// This thread's last accepted value.
    fn last() -> &'static LocalKey<RefCell<Option<Self>>>;
    /// The value's text.
    fn text(&self) -> &str;
    /// The key type's own check.
    fn check(text: String) -> Result<Self, InvalidKey>;
}

macro_rules! remembered {
    ($key:ty) => {
        impl Remembered for $key {
            fn last() -> &'static LocalKey<RefCell<Option<Self>>> {
                thread_local! {
                    static LAST: RefCell<Option<$key>> = const { RefCell::new(None) };
                }
                &LAST
            }
            fn text(&self) -> &str {
                self.as_str()
            }
            fn check(text: String) -> Result<Self, InvalidKey> {
                <$key>::new(text)
            }
        }
    };
}

remembered!(TenantId);
remembered!(ProcessDefinitionId);

/// An optional key (absent or `null`: `None`), checked unless its text is
/// the last one accepted on this thread.
fn decode<'de, D, K>(deserializer: D) -> Result<Option<K>, D::Error>
where
    D: Deserializer<'de>,
    K: Remembered,
{
    let Some(text) = Option::<String>::deserialize(deserializer)? else {
        return Ok(None);
    };
    let known = K::last()
        .try_with(|last| {
            last.try_borrow()
                .ok()
                .and_then(|last| last.as_ref().filter(|k| k.text() == text).cloned())
        })
        .ok()
        .flatten();
    if let Some(key) = known {
        return Ok(Some(key));
    }
    let key = K::check(text).map_err(serde::de::Error::custom)?;
    let _ = K::last().try_with(|last| {
        if let Ok(mut last) = last.try_borrow_mut() {
            *last = Some(key.clone());
        }
    });
    Ok(Some(key))
}

/// `deserialize_with` for an optional [`TenantId`].
pub(crate) fn tenant_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<TenantId>, D::Error> {
    decode(d)
}

/// `deserialize_with` for an optional [`ProcessDefinitionId`].
pub(crate) fn process_definition_id<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<ProcessDefinitionId>, D::Error> {
    decode(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Job {
        #[serde(default, deserialize_with = "tenant_id")]
        tenant: Option<TenantId>,
        #[serde(default, deserialize_with = "process_definition_id")]
        process: Option<ProcessDefinitionId>,
    }

    fn job(json: &str) -> Result<Job, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn a_repeated_value_decodes_to_the_same_key_and_another_is_still_checked() {
        for _ in 0..3 {
            let j = job(r#"{"tenant": "<default>", "process": "order-process"}"#).unwrap();
            assert_eq!(j.tenant.unwrap().as_str(), "<default>");
            assert_eq!(j.process.unwrap().as_str(), "order-process");
        }
        // After a valid value, an invalid one is rejected with the key
        // type's own message, and the remembered value is unchanged.
        let expected = TenantId::new("no spaces allowed").unwrap_err().to_string();
        let error = job(r#"{"tenant": "no spaces allowed"}"#).unwrap_err();
        assert!(error.to_string().contains(&expected), "{error}");
        let j = job(r#"{"tenant": "<default>"}"#).unwrap();
        assert_eq!(j.tenant.unwrap().as_str(), "<default>");
        // A new valid value replaces the remembered one.
        let j = job(r#"{"tenant": "tenant-b"}"#).unwrap();
        assert_eq!(j.tenant.unwrap().as_str(), "tenant-b");
    }

    #[test]
    fn absent_and_null_are_none() {
        let j = job("{}").unwrap();
        assert!(j.tenant.is_none() && j.process.is_none());
        let j = job(r#"{"tenant": null, "process": null}"#).unwrap();
        assert!(j.tenant.is_none() && j.process.is_none());
    }
}
