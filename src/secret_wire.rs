//! [`Secret`] on the wire: serialized as the plain string it wraps.
//!
//! The generated clients use `Secret` for sensitive fields (see
//! `codegen/secrets.rs`), so request bodies must carry the real value and
//! responses must decode into a `Secret` — while `Debug` keeps printing
//! `[censored]`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Secret;

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
