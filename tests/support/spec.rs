//! The contracts as the tests read them, and the specs Prism serves.
//!
//! `contract` is the committed contract (`openapi/<api>.json`), read
//! through the generator's own `source` module so the tests see what the
//! build sees. `served_spec` is what a Prism mock server is given: Camunda's
//! published spec when it is available, else the contract, with the
//! project's errata and the Prism adaptations applied (`adapt_for_prism`).
//!
//! The published specs are looked up in `$CAMUNDA8_REFERENCE_OPENAPI`, else
//! in `../shared/reference/openapi` next to the repository (files
//! `admin-api.json`, `zeebe-8.6.yaml`, `operate-8.6.yaml`,
//! `orchestration-cluster-v2.yaml`).
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use camunda8_codegen::contract::errata;
use camunda8_codegen::source;
use camunda8_codegen::walk;
use serde_json::{Value, json};

/// The committed contract of `api` (`openapi/<api>.json`), as the
/// generator reads it.
pub fn contract(api: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("openapi/{api}.json"));
    source::parse(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// The committed contract of `api` with the project's errata applied: what
/// the generated client is built from, without any Prism adaptation.
pub fn contract_with_errata(api: &str) -> Value {
    let mut spec = contract(api);
    errata::apply_errata(api, &mut spec);
    spec
}

/// The spec Prism serves for the Orchestration Cluster API (published file
/// `orchestration-cluster-v2.yaml`); see `served_spec`.
pub fn served_orchestration_spec() -> Value {
    served_spec("orchestration", "orchestration-cluster-v2.yaml")
}

/// The spec Prism serves for `api`: the published file when present (a
/// folder named by `CAMUNDA8_REFERENCE_OPENAPI` must hold it), else the
/// contract; errata and the Prism adaptations applied either way. Says
/// which one on stdout.
pub fn served_spec(api: &str, published_file: &str) -> Value {
    let (dir, explicit) =
        match std::env::var_os("CAMUNDA8_REFERENCE_OPENAPI").filter(|v| !v.is_empty()) {
            Some(dir) => (PathBuf::from(dir), true),
            None => (
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/openapi"),
                false,
            ),
        };
    let published = dir.join(published_file);
    let (mut spec, origin) = if published.is_file() {
        let spec = source::parse(&published).unwrap_or_else(|e| panic!("{e}"));
        (spec, format!("published spec {}", published.display()))
    } else {
        assert!(
            !explicit,
            "CAMUNDA8_REFERENCE_OPENAPI is set but {} does not exist",
            published.display()
        );
        (
            contract(api),
            format!(
                "committed contract openapi/{api}.json (no published spec at {})",
                published.display()
            ),
        )
    };
    let changes = errata::apply_errata(api, &mut spec);
    let adapted = adapt_for_prism(&mut spec);
    println!(
        "{api}: Prism serves the {origin}, {} erratum change(s) and {} Prism adaptation(s) applied",
        changes.len(),
        adapted.len()
    );
    for change in changes.iter().chain(&adapted) {
        println!("  {change}");
    }
    spec
}

/// Works around what Prism cannot serve or check as written; none of it
/// changes which requests or responses the spec allows. Each change is
/// returned (and printed with the errata by `served_spec`). Each step finds
/// nothing to change in a spec without the construct it adapts (today 1-3
/// change only the Orchestration API, 4 only Operate).
///
/// 1. String-only `oneOf`: a few identifiers may be of several kinds,
///    written as a `oneOf` of string schemas with the same pattern
///    (`ResourceKey`: a process definition, decision requirements, form or
///    decision definition key; `ScopeKey`: a process or element instance
///    key). Every decimal key matches all branches, and JSON Schema's
///    `oneOf` demands exactly one, so Prism rejects every such value
///    ("must match exactly one schema in oneOf"), including its own mocks.
///    Camunda takes any of those keys and the client sends a plain string
///    (codegen step `string_only_one_of`). Here the `oneOf` becomes an
///    `anyOf` of the same branches.
///    The same holds for the `page` of every search request: a `oneOf` of
///    `LimitPagination`, `OffsetPagination`, `CursorForwardPagination` and
///    `CursorBackwardPagination`, objects without required members or
///    `additionalProperties: false`, so every page object (`{"limit": 20}`,
///    `{"from": 40, "limit": 20}`) matches several branches and Prism
///    rejects every search that pages. A `oneOf` of such open objects
///    becomes an `anyOf` as well.
/// 2. Multipart bodies: Prism 5.14 hands a repeated part (`resources`,
///    `files`) to its validator as one string, not an array, and a JSON part
///    (`metadata`) as a string, not an object, so it rejects every valid
///    upload. Here such a property also accepts the single item, and a JSON
///    part also a string. The parts themselves are checked by the
///    in-process server tests in tests/contracts/prism_orchestration.rs.
/// 3. Key examples: Prism's static mocks write `"string"` for a string
///    without an `example`, ignoring its `pattern`, and then reject their
///    own response (e.g. `deploymentKey`, `userTask.userTaskKey`; in the
///    committed contract, which keeps no examples, also
///    `decisionEvaluationInstanceKey`). Here a key schema (a decimal number,
///    or two joined by `-`) without an example gets one.
/// 4. `*/*` success bodies: a success response documented with the media
///    range `*/*` (Operate's `GET /v1/process-instances/{key}/sequence-flows`,
///    a JSON array) means "any media type", so `Accept: application/json` —
///    what the client sends, and what Operate answers — satisfies it.
///    Prism 5.14 only matches `*/*` literally: it answers that `Accept` with
///    406, and `Accept: */*` with a 500 ("cannot serialise complex objects
///    as text"). Here such a success body is declared as `application/json`
///    instead (schema unchanged), so Prism can mock it.
pub fn adapt_for_prism(spec: &mut Value) -> Vec<String> {
    let snapshot = spec.clone();
    let mut out = Vec::new();
    any_of_overlapping(spec, &snapshot, "", &mut out);
    multipart_parts(spec, &mut out);
    key_examples(spec, "", &mut out);
    json_for_any_media(spec, &mut out);
    out
}

/// The schema `branch` stands for (one `$ref` followed).
fn deref<'a>(spec: &'a Value, branch: &'a Value) -> &'a Value {
    branch
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|p| spec.pointer(p))
        .unwrap_or(branch)
}

/// Step 1 of `adapt_for_prism`.
fn any_of_overlapping(value: &mut Value, spec: &Value, ptr: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            let all_strings = map
                .get("oneOf")
                .and_then(Value::as_array)
                .is_some_and(|branches| {
                    !branches.is_empty()
                        && (branches.iter().all(|b| {
                            let b = deref(spec, b);
                            b.get("type").and_then(Value::as_str) == Some("string")
                                && b.get("enum").is_none()
                        }) || branches.iter().all(|b| {
                            let b = deref(spec, b);
                            b.get("type").and_then(Value::as_str) == Some("object")
                                && b.get("required").is_none()
                                && b.get("additionalProperties") != Some(&json!(false))
                        }))
                });
            if all_strings && let Some(branches) = map.remove("oneOf") {
                map.insert("anyOf".to_string(), branches);
                out.push(format!("prism: {ptr}: overlapping oneOf -> anyOf"));
            }
            for (key, child) in map.iter_mut() {
                let key = key.replace('~', "~0").replace('/', "~1");
                any_of_overlapping(child, spec, &format!("{ptr}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                any_of_overlapping(child, spec, &format!("{ptr}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Step 2 of `adapt_for_prism`.
fn multipart_parts(spec: &mut Value, out: &mut Vec<String>) {
    let snapshot = spec.clone();
    let Some(paths) = snapshot.get("paths").and_then(Value::as_object) else {
        return;
    };
    let mut schemas = BTreeSet::new();
    for item in paths.values().filter_map(Value::as_object) {
        for op in item.values() {
            if let Some(schema) = op.pointer("/requestBody/content/multipart~1form-data/schema") {
                match schema.get("$ref").and_then(Value::as_str) {
                    Some(r) => {
                        schemas.insert(r.trim_start_matches('#').to_string());
                    }
                    None => panic!("inline multipart schema: adapt it here"),
                }
            }
        }
    }
    for ptr in schemas {
        let Some(props) = spec
            .pointer_mut(&format!("{ptr}/properties"))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        for (name, prop) in props.iter_mut() {
            let resolved = deref(&snapshot, prop).clone();
            let is_type = |t: &str| resolved.get("type").and_then(Value::as_str) == Some(t);
            if is_type("array") && resolved.pointer("/items/format") == Some(&json!("binary")) {
                let item = resolved["items"].clone();
                *prop = json!({"anyOf": [resolved, item]});
                out.push(format!(
                    "prism: {ptr}/properties/{name}: one part or several"
                ));
            } else if is_type("object") || is_type("array") {
                // (`metadataList`, a JSON array, is one part too.)
                *prop = json!({"anyOf": [resolved, {"type": "string"}]});
                out.push(format!("prism: {ptr}/properties/{name}: JSON part as text"));
            }
        }
    }
}

/// Step 3 of `adapt_for_prism`.
fn key_examples(value: &mut Value, ptr: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            let example = match map.get("pattern").and_then(Value::as_str) {
                Some("^-?[0-9]+$") => Some("2251799813690746"),
                Some("^[0-9]+-[0-9]+$") => Some("2251799813690802-1"),
                _ => None,
            };
            if let Some(example) = example
                && map.get("type").and_then(Value::as_str) == Some("string")
                && !map.contains_key("example")
                && !map.contains_key("examples")
            {
                map.insert("example".to_string(), json!(example));
                out.push(format!("prism: {ptr}: example key added"));
            }
            for (key, child) in map.iter_mut() {
                let key = key.replace('~', "~0").replace('/', "~1");
                key_examples(child, &format!("{ptr}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                key_examples(child, &format!("{ptr}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Step 4 of `adapt_for_prism`.
fn json_for_any_media(spec: &mut Value, out: &mut Vec<String>) {
    walk::visit_operations(spec, &mut |op, _, method, path| {
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            return;
        };
        for (code, response) in responses.iter_mut() {
            if !code.starts_with('2') {
                continue;
            }
            let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) else {
                continue;
            };
            if content.contains_key("application/json") {
                continue;
            }
            if let Some(media) = content.remove("*/*") {
                content.insert("application/json".to_string(), media);
                out.push(format!(
                    "prism: {method} {path} {code}: */* -> application/json"
                ));
            }
        }
    });
}
