//! Errata: corrections of mistakes in Camunda's published specs.
//!
//! Each erratum is one function with the evidence for it. They are applied
//! to the spec before the contract steps of [`STEPS`](super::STEPS) (see
//! [`normalize`](super::normalize)). The crate's tests that run a mock
//! server on the corrected published spec use them too, through this
//! package as a dev-dependency (`camunda8_codegen::contract::errata`).
//!
//! An erratum that finds nothing to change reports nothing; it never fails,
//! so a later spec version that fixed the mistake passes through untouched.

use serde_json::{Value, json};

/// One erratum: a name and the function applying it.
pub type Erratum = (&'static str, fn(&mut Value) -> Vec<String>);

/// The errata of one API (`"admin"`, `"zeebe"`, `"operate"`).
pub fn errata_for(api: &str) -> &'static [Erratum] {
    match api {
        "operate" => &[
            (
                "operate_parent_process_instance_key",
                operate_parent_process_instance_key,
            ),
            ("operate_sort_values_any_json", operate_sort_values_any_json),
        ],
        "zeebe" => &[(
            "zeebe_changeset_dates_clearable",
            zeebe_changeset_dates_clearable,
        )],
        "admin" => &[("admin_activity_csv_is_text", admin_activity_csv_is_text)],
        "orchestration" => &[(
            "orchestration_problem_members_optional",
            orchestration_problem_members_optional,
        )],
        _ => &[],
    }
}

/// Applies every erratum of `api` to `spec`; returns one line per change,
/// prefixed with the erratum's name.
pub fn apply_errata(api: &str, spec: &mut Value) -> Vec<String> {
    let mut out = Vec::new();
    for (name, fix) in errata_for(api) {
        for change in fix(spec) {
            out.push(format!("{name}: {change}"));
        }
    }
    out
}

/// `ProcessInstance.parentProcessInstanceKey` is declared as a `$ref` to the
/// whole `ProcessInstance` object.
///
/// Evidence: the field's name and its siblings (`key`, `parentKey`,
/// `processDefinitionKey`, all `integer`/`int64`) show it holds the key of
/// the parent instance, and Operate returns a number there. As published,
/// any response carrying the field fails to decode, and the type is
/// recursive. Correction: `integer`, `int64`.
pub fn operate_parent_process_instance_key(spec: &mut Value) -> Vec<String> {
    let ptr = "/components/schemas/ProcessInstance/properties/parentProcessInstanceKey";
    match spec.pointer_mut(ptr) {
        Some(prop) if prop.get("$ref").is_some() => {
            let was = prop["$ref"].as_str().unwrap_or("").to_string();
            *prop = json!({"type": "integer", "format": "int64"});
            vec![format!("{ptr}: $ref {was} -> integer/int64")]
        }
        _ => Vec::new(),
    }
}

/// Every `sortValues` (results) and `searchAfter` (queries) array declares
/// its items as `type: object`.
///
/// Evidence: Operate's documentation shows a search response with
/// `"sortValues": [123456]`, and the spec's own request examples page with
/// `"searchAfter": ["bigVarProcess", 6755399441055870]` — the items are the
/// sort-field values of the last hit (numbers, strings), echoed back
/// verbatim for the next page. Typed as objects, every non-empty page fails
/// to decode. Correction: items are any JSON value (`{}`).
pub fn operate_sort_values_any_json(spec: &mut Value) -> Vec<String> {
    let mut out = Vec::new();
    let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return out;
    };
    for (name, schema) in schemas.iter_mut() {
        for prop in ["sortValues", "searchAfter"] {
            let Some(items) = schema.pointer_mut(&format!("/properties/{prop}/items")) else {
                continue;
            };
            if items.get("type").and_then(Value::as_str) == Some("object") {
                *items = json!({});
                out.push(format!(
                    "/components/schemas/{name}/properties/{prop}/items: object -> any JSON value"
                ));
            }
        }
    }
    out
}

/// `Changeset.dueDate` and `Changeset.followUpDate` (the user-task update
/// request) are declared `format: date-time`, yet the same schema states
/// that an empty string clears the date — and an empty string is not a
/// date-time.
///
/// Evidence: the published description of both fields and of `Changeset`
/// itself (clearing is done with an empty string, `null` keeps the value).
/// With the format, the generated field is a `DateTime` and a client could
/// never clear a date; a validating mock rejects the empty string.
/// Correction: plain `string` (an RFC 3339 timestamp, or `""` to clear).
pub fn zeebe_changeset_dates_clearable(spec: &mut Value) -> Vec<String> {
    let mut out = Vec::new();
    for field in ["dueDate", "followUpDate"] {
        let ptr = format!("/components/schemas/Changeset/properties/{field}");
        if let Some(prop) = spec.pointer_mut(&ptr).and_then(Value::as_object_mut)
            && prop.get("format").and_then(Value::as_str) == Some("date-time")
        {
            prop.remove("format");
            out.push(format!("{ptr}: date-time -> string (\"\" clears the date)"));
        }
    }
    out
}

/// `GET /activity/csv` (operationId `GetCsv`) declares its 200 body as
/// `application/json` holding one JSON string.
///
/// Evidence: the path ends in `csv`, the operationId says CSV, and the
/// published description of the 200 response states that the operation
/// returns the activity events as CSV; its sibling `GET /activity/json`
/// describes the same events as JSON and declares them as a JSON array of
/// `AuditDto`. A CSV export is a text document (rows separated by newlines),
/// not a JSON string literal in quotes: decoding it as JSON fails on the
/// first byte. Correction: the body is `text/csv` (a string schema), which
/// the generated client returns unparsed as a byte stream; the hand-written
/// `admin::Client::activity_csv` (src/admin/csv.rs) reads it as text.
pub fn admin_activity_csv_is_text(spec: &mut Value) -> Vec<String> {
    let ptr = "/paths/~1activity~1csv/get/responses/200/content";
    let Some(content) = spec.pointer_mut(ptr).and_then(Value::as_object_mut) else {
        return Vec::new();
    };
    let is_json_string = content
        .get("application/json")
        .and_then(|media| media.pointer("/schema/type"))
        .and_then(Value::as_str)
        == Some("string");
    if !is_json_string || content.len() != 1 {
        return Vec::new();
    }
    content.remove("application/json");
    content.insert(
        "text/csv".to_string(),
        json!({"schema": {"type": "string"}}),
    );
    vec![format!("{ptr}: application/json string -> text/csv")]
}

/// `ProblemDetail` (the error body of every v2 operation) lists all five
/// RFC 9457 members (`type`, `title`, `status`, `detail`, `instance`) as
/// `required`.
///
/// Evidence: RFC 9457 section 3.1 makes every member optional ("consumers
/// MUST NOT assume" any is present; `type` defaults to `about:blank`).
/// Error bodies from proxies and load balancers in front of a cluster, and
/// the minimal body `src/call/error_body.rs` supplies for an empty error response,
/// carry only some of them; as published, such an error could not be
/// decoded and the caller would get a decoding error instead of the
/// server's status and message. Correction: no member is required.
pub fn orchestration_problem_members_optional(spec: &mut Value) -> Vec<String> {
    let ptr = "/components/schemas/ProblemDetail";
    let Some(schema) = spec.pointer_mut(ptr).and_then(Value::as_object_mut) else {
        return Vec::new();
    };
    match schema.remove("required") {
        Some(Value::Array(list)) if !list.is_empty() => {
            vec![format!("{ptr}/required: {} member(s) -> none", list.len())]
        }
        Some(other) => {
            schema.insert("required".to_string(), other);
            Vec::new()
        }
        None => Vec::new(),
    }
}
