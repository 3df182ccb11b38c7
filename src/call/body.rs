//! Phase 1, the body: what the generated code sends for an operation whose
//! contract does not require a request body and was given none.

/// `request` with `body` as its JSON body when there is one, else with the
/// empty object `{}`: the generated code of an operation whose request body
/// the contract does not require calls this where progenitor wrote
/// `.json(&body)` (step `optional_bodies` in codegen/post/optional_body.rs).
///
/// Why `{}` rather than no body, though the contract allows both: it is
/// what Camunda's TypeScript client sends for these operations when given
/// no body (tests/contracts/wire_diff/), so it is the form Camunda's gateways are
/// known to accept; a request without a body and `Content-Type` depends on
/// how the gateway's framework matches a missing `Content-Type`.
#[cfg_attr(
    not(any(feature = "orchestration", feature = "zeebe", feature = "operate")),
    allow(dead_code)
)] // the Administration API has no optional request body
pub(crate) fn optional_json<T: serde::Serialize + ?Sized>(
    request: reqwest::RequestBuilder,
    body: Option<&T>,
) -> reqwest::RequestBuilder {
    match body {
        Some(body) => request.json(body),
        None => request
            .header(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/json"),
            )
            .body("{}"),
    }
}
