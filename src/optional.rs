//! What a builder setter of an optional member accepts.
//!
//! typify's setters of an optional member take any `T: TryInto<Option<M>>`:
//! `Some(value)`, `None`, or the member's value itself, but not a `&str`
//! for a `String` member (there is no `From<&str>` for `Option<String>`),
//! so `.correlation_key("A-1")` did not compile while the required
//! members' setters took it. The generator (step `optional_setters_take_str`,
//! codegen/post/optional_setters.rs) makes those setters take [`IntoOptional`]
//! instead, which keeps every value they took and adds the plain ones:
//! `&str`, `String` and `&String` for a text member, and for a key member
//! the key itself or its text (checked by the key's own rules).

use std::convert::Infallible;

/// A value for the setter of an optional member of type `T`: `Some(v)`,
/// `None`, or a plain value (`"A-1"`, `String`, a key, a key's text).
///
/// ```
/// # #[cfg(feature = "orchestration")] {
/// use camunda8::orchestration::types::MessagePublicationRequest;
///
/// let message = MessagePublicationRequest::builder()
///     .name("order-paid")
///     .correlation_key("A-1") // was `.correlation_key("A-1".to_string())`
///     .message_id(None);      // `None` and `Some(String)` still work
/// let message: MessagePublicationRequest = message.try_into().expect("valid");
/// assert_eq!(message.correlation_key.as_deref(), Some("A-1"));
/// # }
/// ```
pub trait IntoOptional<T> {
    /// Why the value is not a `T` (a key's rule it broke); [`Infallible`]
    /// for values that always convert.
    type Error: std::fmt::Display;

    /// The member's value: `None` leaves the member out of the request.
    fn into_optional(self) -> Result<Option<T>, Self::Error>;
}

impl<T> IntoOptional<T> for Option<T> {
    type Error = Infallible;

    fn into_optional(self) -> Result<Option<T>, Infallible> {
        Ok(self)
    }
}

impl IntoOptional<String> for String {
    type Error = Infallible;

    fn into_optional(self) -> Result<Option<String>, Infallible> {
        Ok(Some(self))
    }
}

impl IntoOptional<String> for &str {
    type Error = Infallible;

    fn into_optional(self) -> Result<Option<String>, Infallible> {
        Ok(Some(self.to_string()))
    }
}

impl IntoOptional<String> for &String {
    type Error = Infallible;

    fn into_optional(self) -> Result<Option<String>, Infallible> {
        Ok(Some(self.clone()))
    }
}
