//! Normalization steps about media types and response kinds.
//!
//! progenitor types only an exact `application/json` body; it allows one
//! media type per request body; and all success responses of an operation
//! (and, separately, all error responses) must share one "kind" (one body
//! type, or no body) — otherwise the build panics
//! (`response_types.len() <= 1`).

use serde_json::{Map, Value};

use crate::walk::{esc, visit_operations};

/// Whether a media type is JSON under another name: `application/problem+json`
/// and any other `+json` suffix.
pub fn is_json_like(media: &str) -> bool {
    let base = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    base == "application/json" || base.ends_with("+json")
}

/// Step `json_media_types`: `application/problem+json`, other `+json` types
/// and `*/*` with a schema become `application/json`.
///
/// Why: progenitor hands any body that is not exactly `application/json`
/// back as raw bytes, so RFC 7807 problem bodies (Zeebe, Operate) and
/// Operate's `*/*` responses would be untyped. The server still answers with
/// its own content type; the generated code decodes the body as JSON
/// whatever the header says. When an operation already lists
/// `application/json`, the renamed duplicate is dropped.
pub fn json_media_types(spec: &mut Value) -> Vec<String> {
    let mut changes = Vec::new();
    visit_operations(spec, &mut |op, ptr, _, _| {
        if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
            for (code, response) in responses.iter_mut() {
                let here = format!("{ptr}/responses/{code}");
                rename_content(response, &here, &mut changes);
            }
        }
        if let Some(body) = op.get_mut("requestBody") {
            rename_content(body, &format!("{ptr}/requestBody"), &mut changes);
        }
    });
    if let Some(responses) = spec
        .pointer_mut("/components/responses")
        .and_then(Value::as_object_mut)
    {
        for (name, response) in responses.iter_mut() {
            let here = format!("/components/responses/{}", esc(name));
            rename_content(response, &here, &mut changes);
        }
    }
    changes
}

fn rename_content(holder: &mut Value, ptr: &str, changes: &mut Vec<String>) {
    let Some(content) = holder.get_mut("content").and_then(Value::as_object_mut) else {
        return;
    };
    let keys: Vec<String> = content.keys().cloned().collect();
    for key in keys {
        let lower = key.to_ascii_lowercase();
        let convert = lower != "application/json"
            && (is_json_like(&lower) || (lower == "*/*" && content[&key].get("schema").is_some()));
        if !convert {
            continue;
        }
        if let Some(media) = content.remove(&key) {
            if content.contains_key("application/json") {
                changes.push(format!(
                    "{ptr}/content/{}: dropped, application/json present",
                    esc(&key)
                ));
            } else {
                content.insert("application/json".to_string(), media);
                changes.push(format!("{ptr}/content/{}: -> application/json", esc(&key)));
            }
        }
    }
}

/// Step `single_request_media_type`: a request body listing several media
/// types keeps only `application/json` (or, failing that, its first one).
///
/// Why: progenitor can send one representation per operation and panics
/// (`todo!`) on more. JSON is what every Camunda endpoint accepts.
pub fn single_request_media_type(spec: &mut Value) -> Vec<String> {
    let mut changes = Vec::new();
    visit_operations(spec, &mut |op, ptr, _, _| {
        let Some(content) = op
            .pointer_mut("/requestBody/content")
            .and_then(Value::as_object_mut)
        else {
            return;
        };
        if content.len() <= 1 {
            return;
        }
        let keep = if content.contains_key("application/json") {
            "application/json".to_string()
        } else {
            content.keys().next().cloned().unwrap_or_default()
        };
        let dropped: Vec<String> = content.keys().filter(|k| **k != keep).cloned().collect();
        for key in &dropped {
            content.remove(key);
        }
        changes.push(format!(
            "{ptr}/requestBody: kept {keep}, dropped {}",
            dropped.join(", ")
        ));
    });
    changes
}

/// The kind of a response: its JSON schema (serialized), or `None` when it
/// has no body, or a non-JSON media type.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Empty,
    Json(String),
    Other(String),
}

fn kind(response: &Value) -> Kind {
    match response.get("content").and_then(Value::as_object) {
        None => Kind::Empty,
        Some(content) if content.is_empty() => Kind::Empty,
        Some(content) => match content.get("application/json") {
            Some(media) => Kind::Json(
                media
                    .get("schema")
                    .map(|s| s.to_string())
                    .unwrap_or_default(),
            ),
            None => Kind::Other(content.keys().cloned().collect::<Vec<_>>().join(",")),
        },
    }
}

/// Whether a response code is a success (what `single_success_kind` keeps
/// one kind of; also read by the post step `accept_success_media_types`).
pub fn is_success(code: &str) -> bool {
    code.starts_with('2') || code.starts_with('1') || code.starts_with('3')
}

/// Step `typed_bodiless_errors`: in an operation whose error responses mix
/// a JSON body and no body (Zeebe 8.6: 400/409 with a problem body, 404
/// without), the bodiless error responses get the operation's error schema.
///
/// Why: progenitor panics on mixed kinds. Dropping the 404 would turn it
/// into `Error::UnexpectedResponse`; giving it the problem schema makes it
/// `Error::ErrorResponse(ResponseValue<ProblemDetail>)` with status 404 —
/// typed and matchable like the others.
///
/// Contract with the call pipeline (`src/call/error_body.rs`): a server that sends an
/// error status with an empty body would fail JSON decoding, so the hook
/// fills in an RFC 7807 body (`{"status":404,"title":"Not Found"}`: the
/// status and its canonical reason) before the generated code decodes it.
///
/// Only applies when all JSON error responses share one schema; a
/// `$ref`-ed response object (`components/responses`) is resolved first.
pub fn typed_bodiless_errors(spec: &mut Value) -> Vec<String> {
    let snapshot = spec.clone();
    let mut changes = Vec::new();
    visit_operations(spec, &mut |op, ptr, _, _| {
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            return;
        };
        let mut json_schema: Option<Value> = None;
        let mut schemas = std::collections::BTreeSet::new();
        let mut empties = Vec::new();
        for (code, response) in responses.iter() {
            if is_success(code) {
                continue;
            }
            let resolved = crate::walk::resolve(&snapshot, response);
            match kind(resolved) {
                Kind::Json(s) => {
                    schemas.insert(s);
                    json_schema = resolved
                        .pointer("/content/application~1json/schema")
                        .cloned();
                }
                Kind::Empty => empties.push(code.clone()),
                Kind::Other(_) => {}
            }
        }
        let Some(schema) = json_schema else {
            return;
        };
        if schemas.len() != 1 || empties.is_empty() {
            return;
        }
        for code in empties {
            let mut content = Map::new();
            content.insert(
                "application/json".to_string(),
                serde_json::json!({ "schema": schema }),
            );
            let mut response = Map::new();
            response.insert("description".to_string(), Value::String(String::new()));
            response.insert("content".to_string(), Value::Object(content));
            responses.insert(code.clone(), Value::Object(response));
            changes.push(format!("{ptr}/responses/{code}: no body -> error schema"));
        }
    });
    changes
}

/// Step `single_success_kind`: when an operation's success responses mix a
/// JSON body and no body (e.g. JSON 200 + empty 204), or several JSON
/// schemas, only the responses of the first JSON kind are kept.
///
/// Why: progenitor panics on mixed success kinds. The dropped codes are not
/// lost at run time: progenitor returns them as
/// `Error::UnexpectedResponse(reqwest::Response)` — with a *success* status
/// — so a caller (or the hand-written layer) can recognise and map them.
/// None of the three 8.6 specs needs this; the step guards newer ones.
pub fn single_success_kind(spec: &mut Value) -> Vec<String> {
    let snapshot = spec.clone();
    let mut changes = Vec::new();
    visit_operations(spec, &mut |op, ptr, _, _| {
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            return;
        };
        let kinds: Vec<(String, Kind)> = responses
            .iter()
            .filter(|(code, _)| is_success(code))
            .map(|(code, r)| (code.clone(), kind(crate::walk::resolve(&snapshot, r))))
            .collect();
        let mut distinct: Vec<&Kind> = kinds.iter().map(|(_, k)| k).collect();
        distinct.sort();
        distinct.dedup();
        if distinct.len() <= 1 {
            return;
        }
        let keep = kinds
            .iter()
            .map(|(_, k)| k)
            .find(|k| matches!(k, Kind::Json(_)))
            .unwrap_or(&kinds[0].1)
            .clone();
        for (code, k) in &kinds {
            if *k != keep {
                responses.remove(code);
                changes.push(format!(
                    "{ptr}/responses/{code}: dropped (arrives as Error::UnexpectedResponse)"
                ));
            }
        }
    });
    changes
}

/// Step `union_error_schemas`: when an operation's error responses carry
/// several JSON schemas (after `json_media_types`), each error response gets
/// one schema: a `oneOf` of the distinct schemas, the one with the most
/// `required` properties first.
///
/// Why: progenitor panics on mixed error kinds, and keeping one schema would
/// make the others undecodable. An untagged union decodes whichever body
/// the server sent (Camunda's v2 `takeRuntimeBackupAsClusterAdmin` answers
/// some errors with a per-tenant result and others with a problem
/// document). Runs before `typed_bodiless_errors`, which then gives
/// bodiless errors the same union.
pub fn union_error_schemas(spec: &mut Value) -> Vec<String> {
    let snapshot = spec.clone();
    let mut changes = Vec::new();
    visit_operations(spec, &mut |op, ptr, _, _| {
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            return;
        };
        let mut distinct: Vec<Value> = Vec::new();
        for (code, response) in responses.iter() {
            if is_success(code) {
                continue;
            }
            let resolved = crate::walk::resolve(&snapshot, response);
            if let Some(schema) = resolved.pointer("/content/application~1json/schema")
                && !distinct.contains(schema)
            {
                distinct.push(schema.clone());
            }
        }
        if distinct.len() < 2 {
            return;
        }
        let required = |schema: &Value| {
            crate::walk::resolve(&snapshot, schema)
                .get("required")
                .and_then(Value::as_array)
                .map_or(0, Vec::len)
        };
        distinct.sort_by_key(|schema| std::cmp::Reverse(required(schema)));
        let union = serde_json::json!({ "oneOf": distinct });
        for (code, response) in responses.iter_mut() {
            if is_success(code) {
                continue;
            }
            let resolved = crate::walk::resolve(&snapshot, response);
            if resolved
                .pointer("/content/application~1json/schema")
                .is_none()
            {
                continue;
            }
            let mut content = Map::new();
            content.insert(
                "application/json".to_string(),
                serde_json::json!({ "schema": union.clone() }),
            );
            let mut replaced = Map::new();
            replaced.insert("description".to_string(), Value::String(String::new()));
            replaced.insert("content".to_string(), Value::Object(content));
            *response = Value::Object(replaced);
            changes.push(format!(
                "{ptr}/responses/{code}: error body -> oneOf of {} schemas",
                distinct.len()
            ));
        }
    });
    changes
}
