//! [`Variables`]: the one type of every free-form JSON object member of
//! every API (process variables, custom headers, custom properties, tool
//! call arguments, cluster variable values).
//!
//! The contracts declare each such member as an object without members
//! (`additionalProperties: true`), and each became a wrapper of its own
//! (`JobCompletionRequestVariables`, `MessagePublicationRequestVariables`,
//! `DocumentMetadataCustomProperties`, …) that accepted none of the others
//! nor a `serde_json::Value`. The generator's step `shared_variables`
//! (codegen/contract/variables.rs) points them all at this type; the former names are
//! deprecated aliases of it.

use std::ops::{Deref, DerefMut};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A JSON object of named values: what every free-form object member of the
/// generated types holds (process variables, custom headers, custom
/// properties, …).
///
/// Built from a `serde_json::Value` holding an object (`try_from`), a
/// `serde_json::Map` (`from`), or any `Serialize` value that serializes to an
/// object ([`from_serialize`](Self::from_serialize)); read back into any
/// `Deserialize` type with [`to`](Self::to). It dereferences to the map
/// (`get`, `insert`, `len`, `iter`, …). On the wire it is the object itself.
///
/// ```
/// use camunda8::Variables;
/// use serde::{Deserialize, Serialize};
/// use serde_json::json;
///
/// #[derive(Serialize, Deserialize, Debug, PartialEq)]
/// struct Order {
///     id: String,
///     amount: f64,
/// }
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let from_json = Variables::try_from(json!({ "id": "A-1", "amount": 12.5 }))?;
/// let order = Order { id: "A-1".into(), amount: 12.5 };
/// let from_struct = Variables::from_serialize(&order)?;
/// assert_eq!(from_json, from_struct);
/// assert_eq!(from_json.get("id"), Some(&json!("A-1")));
/// assert_eq!(from_json.to::<Order>()?, order);
/// assert!(Variables::try_from(json!([1, 2])).is_err());
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Variables(Map<String, Value>);

/// Why a value is not [`Variables`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VariablesError {
    /// The value is JSON, but not an object.
    #[error("variables must be a JSON object, not {found}")]
    NotAnObject {
        /// What it is instead: `null`, `a boolean`, `a number`, `a string`
        /// or `an array`.
        found: &'static str,
    },
    /// The value could not be serialized to JSON (a map with non-string
    /// keys, a failing `Serialize` implementation).
    #[error("variables could not be serialized to JSON: {0}")]
    Serialize(#[source] serde_json::Error),
}

/// The kind of a JSON value, as the error names it.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Variables {
    /// No variables.
    pub fn new() -> Self {
        Self::default()
    }

    /// The variables `value` serializes to: a struct, a map, a
    /// `serde_json::Value` object, a `json!({…})`. Fails with
    /// [`VariablesError::NotAnObject`] when it serializes to something else
    /// (a number, a string, an array, null), and
    /// [`VariablesError::Serialize`] when it cannot be serialized.
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Result<Self, VariablesError> {
        let value = serde_json::to_value(value).map_err(VariablesError::Serialize)?;
        Self::try_from(value)
    }

    /// The variables decoded into `T` (a struct with the names it needs,
    /// a `HashMap`, a `serde_json::Value`, …).
    pub fn to<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(&self.0)
    }

    /// One variable decoded into `T`; `None` when there is none of that
    /// name.
    pub fn get_as<T: DeserializeOwned>(&self, name: &str) -> Option<Result<T, serde_json::Error>> {
        self.0.get(name).map(T::deserialize)
    }

    /// The same variables with `name` set to `value`.
    pub fn with(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.0.insert(name.into(), value.into());
        self
    }

    /// The JSON object.
    pub fn into_map(self) -> Map<String, Value> {
        self.0
    }

    /// The variables as a `serde_json::Value` object.
    pub fn into_value(self) -> Value {
        Value::Object(self.0)
    }
}

impl Deref for Variables {
    type Target = Map<String, Value>;
    fn deref(&self) -> &Map<String, Value> {
        &self.0
    }
}

impl DerefMut for Variables {
    fn deref_mut(&mut self) -> &mut Map<String, Value> {
        &mut self.0
    }
}

impl From<Map<String, Value>> for Variables {
    fn from(map: Map<String, Value>) -> Self {
        Self(map)
    }
}

impl From<Variables> for Map<String, Value> {
    fn from(variables: Variables) -> Self {
        variables.0
    }
}

impl From<Variables> for Value {
    fn from(variables: Variables) -> Self {
        Value::Object(variables.0)
    }
}

impl TryFrom<Value> for Variables {
    type Error = VariablesError;
    /// The object `value` holds; anything else is
    /// [`VariablesError::NotAnObject`].
    fn try_from(value: Value) -> Result<Self, VariablesError> {
        match value {
            Value::Object(map) => Ok(Self(map)),
            other => Err(VariablesError::NotAnObject {
                found: kind(&other),
            }),
        }
    }
}

impl TryFrom<&Value> for Variables {
    type Error = VariablesError;
    fn try_from(value: &Value) -> Result<Self, VariablesError> {
        match value {
            Value::Object(map) => Ok(Self(map.clone())),
            other => Err(VariablesError::NotAnObject { found: kind(other) }),
        }
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for Variables {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Self(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

impl<K: Into<String>, V: Into<Value>> Extend<(K, V)> for Variables {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        self.0
            .extend(iter.into_iter().map(|(k, v)| (k.into(), v.into())));
    }
}

impl IntoIterator for Variables {
    type Item = (String, Value);
    type IntoIter = serde_json::map::IntoIter;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Variables {
    type Item = (&'a String, &'a Value);
    type IntoIter = serde_json::map::Iter<'a>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// What the builder setter of an optional free-form member accepts
/// (`.variables(…)` on `JobCompletionRequest::builder()`, …): [`Variables`],
/// a `serde_json::Map`, a `serde_json::Value` holding an object (a
/// `json!({…})`), or an `Option<Variables>` (`None` leaves the member
/// unset). For a struct, pass [`Variables::from_serialize`]'s result.
///
/// Why a trait of its own: the setters of optional members took
/// `TryInto<Option<…>>`, and `Option<Variables>` cannot convert from a
/// `Value` or a `Map` (neither type is this crate's). A value that is not an
/// object fails when the body is built (`try_into()`, or the request's
/// `send()`), with [`VariablesError`]'s message.
pub trait IntoVariables {
    /// The member's value; `None` leaves it unset.
    fn into_variables(self) -> Result<Option<Variables>, VariablesError>;
}

impl IntoVariables for Variables {
    fn into_variables(self) -> Result<Option<Variables>, VariablesError> {
        Ok(Some(self))
    }
}

impl IntoVariables for Option<Variables> {
    fn into_variables(self) -> Result<Option<Variables>, VariablesError> {
        Ok(self)
    }
}

impl IntoVariables for Map<String, Value> {
    fn into_variables(self) -> Result<Option<Variables>, VariablesError> {
        Ok(Some(Variables(self)))
    }
}

impl IntoVariables for Value {
    fn into_variables(self) -> Result<Option<Variables>, VariablesError> {
        Variables::try_from(self).map(Some)
    }
}

impl IntoVariables for &Value {
    fn into_variables(self) -> Result<Option<Variables>, VariablesError> {
        Variables::try_from(self).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Order {
        id: String,
        amount: i64,
    }

    #[test]
    fn every_form_gives_the_same_object_and_the_wire_is_the_object() {
        let map: Map<String, Value> = json!({"id": "A", "amount": 3})
            .as_object()
            .cloned()
            .unwrap_or_default();
        let forms = [
            Variables::try_from(json!({"id": "A", "amount": 3})).ok(),
            Some(Variables::from(map.clone())),
            Variables::from_serialize(&Order {
                id: "A".into(),
                amount: 3,
            })
            .ok(),
            Some(Variables::new().with("id", "A").with("amount", 3)),
            Some(
                [("id", json!("A")), ("amount", json!(3))]
                    .into_iter()
                    .collect(),
            ),
        ];
        for form in forms {
            let form = form.expect("every form converts");
            assert_eq!(*form, map);
            assert_eq!(
                serde_json::to_string(&form).ok(),
                serde_json::to_string(&map).ok()
            );
            assert_eq!(
                form.to::<Order>().ok(),
                Some(Order {
                    id: "A".into(),
                    amount: 3
                })
            );
        }
        let decoded: Variables = serde_json::from_str(r#"{"a":[1]}"#).unwrap_or_default();
        assert_eq!(decoded.get("a"), Some(&json!([1])));
        assert_eq!(
            decoded.get_as::<Vec<i32>>("a").and_then(Result::ok),
            Some(vec![1])
        );
    }

    #[test]
    fn a_value_that_is_not_an_object_is_refused_with_what_it_is() {
        for (value, found) in [
            (json!(null), "null"),
            (json!(true), "a boolean"),
            (json!(1), "a number"),
            (json!("x"), "a string"),
            (json!([1]), "an array"),
        ] {
            let error = Variables::try_from(value.clone())
                .err()
                .map(|e| e.to_string());
            assert_eq!(
                error.as_deref(),
                Some(format!("variables must be a JSON object, not {found}").as_str())
            );
            assert!(Variables::from_serialize(&value).is_err());
            assert!(value.into_variables().is_err());
        }
        assert!(Variables::from_serialize(&vec![1, 2]).is_err());
        let keys: std::collections::HashMap<(i32, i32), i32> = [((1, 2), 3)].into();
        assert!(matches!(
            Variables::from_serialize(&keys),
            Err(VariablesError::Serialize(_))
        ));
        assert_eq!(None::<Variables>.into_variables().ok(), Some(None));
    }
}
