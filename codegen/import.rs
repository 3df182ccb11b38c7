//! Importer: turns a spec as Camunda publishes it into our committed contract.
//!
//! The contract keeps every element that decides what goes over the wire
//! (servers, paths, methods, parameters, request bodies, response codes and
//! media types, schemas with their property names, types, formats, enum
//! values, `required`, `nullable`, defaults, security schemes) and drops the
//! prose around it (`description`, `summary`, `title`, `example`,
//! `examples`, `externalDocs`, the info block's contact and license, tag
//! texts). Prose is Camunda's text; the contract is what our clients are
//! generated from, so it stays small, reviewable and free of copied text.
//!
//! The walk knows where it is: inside `properties`, under
//! `components/schemas`, in `enum`, `required` or `default`, names are data
//! and are never treated as prose — a property called `description` stays.
//!
//! The output is deterministic: keys sorted, two-space indentation, trailing
//! newline ([`to_contract_text`]).

use serde_json::{Map, Value};

/// Keys that carry prose wherever an OpenAPI object (not a name map) is walked.
pub const PROSE_KEYS: [&str; 6] = [
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "externalDocs",
];

/// Returns the contract for a published spec.
pub fn import(spec: &Value) -> Value {
    let Some(root) = spec.as_object() else {
        return spec.clone();
    };
    let mut out = Map::new();
    for (key, value) in root {
        match key.as_str() {
            "info" => {
                out.insert(key.clone(), info(value));
            }
            "tags" => {
                out.insert(key.clone(), tags(value));
            }
            "paths" => {
                out.insert(key.clone(), name_map(value, structural));
            }
            "components" => {
                out.insert(key.clone(), components(value));
            }
            "security" => {
                out.insert(key.clone(), value.clone());
            }
            k if PROSE_KEYS.contains(&k) => {}
            _ => {
                out.insert(key.clone(), structural(value));
            }
        }
    }
    Value::Object(out)
}

/// `info`: the API's name and version are kept (the version is sent as a
/// header by the generated client); contact, license and descriptions go.
fn info(value: &Value) -> Value {
    let mut out = Map::new();
    if let Some(obj) = value.as_object() {
        for key in ["title", "version"] {
            if let Some(v) = obj.get(key) {
                out.insert(key.to_string(), v.clone());
            }
        }
    }
    Value::Object(out)
}

/// Top-level `tags`: only the names remain.
fn tags(value: &Value) -> Value {
    match value.as_array() {
        Some(list) => Value::Array(
            list.iter()
                .map(|tag| {
                    let mut out = Map::new();
                    if let Some(name) = tag.get("name") {
                        out.insert("name".to_string(), name.clone());
                    }
                    Value::Object(out)
                })
                .collect(),
        ),
        None => value.clone(),
    }
}

/// `components`: every member is a map from a name to an object; `schemas`
/// hold schemas, `examples` are prose and dropped.
fn components(value: &Value) -> Value {
    let Some(obj) = value.as_object() else {
        return value.clone();
    };
    let mut out = Map::new();
    for (kind, members) in obj {
        match kind.as_str() {
            "schemas" => {
                out.insert(kind.clone(), name_map(members, schema));
            }
            "examples" => {}
            "responses" => {
                out.insert(kind.clone(), name_map(members, response));
            }
            _ => {
                out.insert(kind.clone(), name_map(members, structural));
            }
        }
    }
    Value::Object(out)
}

/// A map whose keys are names (paths, codes, media types, component names):
/// keys are kept, each value goes through `each`.
fn name_map(value: &Value, each: fn(&Value) -> Value) -> Value {
    match value.as_object() {
        Some(obj) => Value::Object(obj.iter().map(|(k, v)| (k.clone(), each(v))).collect()),
        None => value.clone(),
    }
}

/// An OpenAPI object that is not a schema (operation, parameter, response,
/// media type, server, security scheme, …).
fn structural(value: &Value) -> Value {
    match value {
        Value::Object(obj) => {
            let mut out = Map::new();
            for (key, child) in obj {
                let kept = match key.as_str() {
                    k if PROSE_KEYS.contains(&k) => continue,
                    "schema" => schema(child),
                    "responses" => name_map(child, response),
                    "content" | "headers" | "encoding" | "variables" | "links" | "callbacks" => {
                        name_map(child, structural)
                    }
                    "security" | "tags" | "enum" | "required" | "default" => child.clone(),
                    _ => structural(child),
                };
                out.insert(key.clone(), kept);
            }
            Value::Object(out)
        }
        Value::Array(list) => Value::Array(list.iter().map(structural).collect()),
        other => other.clone(),
    }
}

/// A response object. OpenAPI 3.0 requires its `description`; the prose is
/// replaced by an empty string so the contract stays a valid document.
fn response(value: &Value) -> Value {
    let mut out = structural(value);
    if let Some(obj) = out.as_object_mut()
        && !obj.contains_key("$ref")
    {
        obj.insert("description".to_string(), Value::String(String::new()));
    }
    out
}

/// A schema: prose keys go; property names, enum values, `required`,
/// defaults and discriminators are data and kept verbatim.
pub fn schema(value: &Value) -> Value {
    let Some(obj) = value.as_object() else {
        return value.clone();
    };
    let mut out = Map::new();
    for (key, child) in obj {
        let kept = match key.as_str() {
            k if PROSE_KEYS.contains(&k) => continue,
            "properties" => name_map(child, schema),
            "items" | "not" => schema(child),
            "additionalProperties" if child.is_object() => schema(child),
            "allOf" | "anyOf" | "oneOf" => match child.as_array() {
                Some(list) => Value::Array(list.iter().map(schema).collect()),
                None => child.clone(),
            },
            _ => child.clone(),
        };
        out.insert(key.clone(), kept);
    }
    Value::Object(out)
}

/// Rebuilds `value` with every object's keys in sorted order (independent
/// of whether serde_json preserves insertion order).
pub fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(obj) => {
            let mut keys: Vec<&String> = obj.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for key in keys {
                out.insert(key.clone(), sorted(&obj[key.as_str()]));
            }
            Value::Object(out)
        }
        Value::Array(list) => Value::Array(list.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// The committed text of a contract: sorted keys, pretty, trailing newline.
pub fn to_contract_text(contract: &Value) -> String {
    let mut text = serde_json::to_string_pretty(&sorted(contract)).unwrap_or_default();
    text.push('\n');
    text
}
