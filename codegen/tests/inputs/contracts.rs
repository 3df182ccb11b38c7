//! The committed contracts (openapi/*.json) are exactly what the importer
//! makes of Camunda's published specs, and the importer loses no wire element.
//!
//! Updating to a new Camunda release: put the new published files in the
//! reference folder and run `cargo codegen import` (or
//! `CAMUNDA8_BLESS=1 cargo test -p camunda8-codegen --test inputs`) — the
//! contracts are rewritten; review the diff, then `cargo codegen generate`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use camunda8_codegen::commands::{self, imported};
use camunda8_codegen::{APIS, crate_root, import, source};
use serde_json::Value;

fn manifest() -> PathBuf {
    crate_root()
}

/// The reference folder, or `None` (with a notice) when it is absent outside CI.
fn reference_dir() -> Option<PathBuf> {
    let dir = commands::default_reference_dir();
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "published specs not found at {} (set CAMUNDA8_REFERENCE_OPENAPI); required in CI",
        dir.display()
    );
    eprintln!(
        "NOTICE: published specs not found at {}; set CAMUNDA8_REFERENCE_OPENAPI to check the contracts",
        dir.display()
    );
    None
}

/// The published spec of `api` in `dir`, parsed.
fn published(dir: &std::path::Path, api: &str) -> Value {
    let path = source::find(dir, api).unwrap_or_else(|e| panic!("{e}"));
    source::parse(&path).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn committed_contracts_match_the_importer() {
    let Some(dir) = reference_dir() else { return };
    let bless = std::env::var_os("CAMUNDA8_BLESS").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for output in imported(&manifest(), &dir).unwrap() {
        if output.is_current() {
            continue;
        }
        if bless {
            output.write().unwrap();
            eprintln!("blessed {}", output.path.display());
        } else {
            stale.push(output.path);
        }
    }
    assert!(
        stale.is_empty(),
        "contracts differ from the importer's output: {stale:?}; run `cargo codegen import`"
    );
}

/// Wire elements: operations, parameters, response codes and media types,
/// request media types, component names, schema properties, enum values,
/// `required` entries, security schemes, servers — as a set of strings.
fn wire_elements(spec: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    // The info block's contact and license are documentation by design.
    let mut spec = spec.clone();
    if let Some(info) = spec.get_mut("info").and_then(Value::as_object_mut) {
        info.remove("contact");
        info.remove("license");
    }
    walk(&spec, "", false, &mut out);
    out
}

/// Whether the member `key` of an object (itself not a name) is a map from
/// names to objects.
fn holds_names(key: &str, ptr: &str) -> bool {
    matches!(
        key,
        "properties" | "paths" | "responses" | "content" | "schemas" | "securitySchemes"
    ) || (key == "variables" && ptr.contains("/servers/"))
}

fn walk(value: &Value, ptr: &str, is_name_map: bool, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(obj) => {
            for (key, child) in obj {
                let here = format!("{ptr}/{}", key.replace('~', "~0").replace('/', "~1"));
                let is_name = is_name_map;
                // Prose subtrees hold examples, not wire elements.
                if !is_name && matches!(key.as_str(), "example" | "examples" | "externalDocs") {
                    continue;
                }
                if is_name
                    || matches!(
                        key.as_str(),
                        "type"
                            | "format"
                            | "nullable"
                            | "$ref"
                            | "name"
                            | "in"
                            | "url"
                            | "operationId"
                    )
                {
                    out.insert(here.clone());
                }
                if matches!(
                    key.as_str(),
                    "type" | "format" | "$ref" | "name" | "in" | "url"
                ) && child.is_string()
                {
                    out.insert(format!("{here}={child}"));
                }
                if !is_name && matches!(key.as_str(), "enum" | "required") {
                    for (i, item) in child.as_array().into_iter().flatten().enumerate() {
                        out.insert(format!("{here}/{i}={item}"));
                    }
                }
                walk(child, &here, !is_name && holds_names(key, &here), out);
            }
        }
        Value::Array(list) => {
            for (i, child) in list.iter().enumerate() {
                walk(child, &format!("{ptr}/{i}"), false, out);
            }
        }
        _ => {}
    }
}

#[test]
fn importer_keeps_every_wire_element() {
    let Some(dir) = reference_dir() else { return };
    for source in APIS {
        let spec = published(&dir, source);
        let before = wire_elements(&spec);
        let after = wire_elements(&import::import(&spec));
        let lost: Vec<_> = before.difference(&after).collect();
        assert!(
            lost.is_empty(),
            "{source}: importer dropped wire elements: {lost:#?}"
        );
        assert!(
            before.len() > 50,
            "{source}: suspiciously few wire elements"
        );
    }
}

/// Any prose key left outside a name map (a property or schema *named*
/// `description` is data). Response descriptions are kept empty because
/// OpenAPI 3.0 requires the field.
fn prose_left(value: &Value, ptr: &str, name_map: bool, out: &mut Vec<String>) {
    match value {
        Value::Object(obj) => {
            for (key, child) in obj {
                let here = format!("{ptr}/{key}");
                let allowed = name_map
                    || (key == "title" && ptr == "/info")
                    || (key == "description" && child.as_str() == Some(""));
                let prose = import::PROSE_KEYS.contains(&key.as_str()) && !allowed;
                if prose {
                    out.push(here.clone());
                }
                if name_map || !matches!(key.as_str(), "enum" | "required" | "default") {
                    prose_left(child, &here, !name_map && holds_names(key, &here), out);
                }
            }
        }
        Value::Array(list) => {
            for (i, child) in list.iter().enumerate() {
                prose_left(child, &format!("{ptr}/{i}"), false, out);
            }
        }
        _ => {}
    }
}

#[test]
fn committed_contracts_hold_no_prose() {
    for api in APIS {
        let contract = format!("{api}.json");
        let path = manifest().join("openapi").join(&contract);
        let spec: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let mut left = Vec::new();
        prose_left(&spec, "", false, &mut left);
        assert!(left.is_empty(), "{contract}: prose left: {left:#?}");
        // The contract is still a valid OpenAPI 3.0 document.
        assert!(spec["info"]["title"].is_string() && spec["info"]["version"].is_string());
    }
}

#[test]
fn importer_is_schema_aware() {
    let spec: Value = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1", "description": "prose", "license": {"name": "L"}},
        "externalDocs": {"url": "https://example.invalid"},
        "tags": [{"name": "A", "description": "prose"}],
        "paths": {"/x": {"get": {
            "summary": "prose", "description": "prose", "operationId": "getX",
            "parameters": [{"name": "description", "in": "query", "description": "prose",
                            "schema": {"type": "string", "example": "e"}}],
            "responses": {"200": {"description": "prose", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/title"},
                "examples": {"a": {"value": 1}}}}}}
        }}},
        "components": {"schemas": {
            "title": {"title": "T", "description": "prose", "type": "object",
                "required": ["description", "example"],
                "properties": {
                    "description": {"type": "string", "description": "prose"},
                    "example": {"type": "string", "enum": ["description", "title"]},
                    "title": {"type": "integer", "example": 3}
                }}
        }, "examples": {"e": {"value": 1}}}
    });
    let out = import::import(&spec);
    let expected: Value = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "tags": [{"name": "A"}],
        "paths": {"/x": {"get": {
            "operationId": "getX",
            "parameters": [{"name": "description", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/title"}}}}}
        }}},
        "components": {"schemas": {
            "title": {"type": "object",
                "required": ["description", "example"],
                "properties": {
                    "description": {"type": "string"},
                    "example": {"type": "string", "enum": ["description", "title"]},
                    "title": {"type": "integer"}
                }}
        }}
    });
    assert_eq!(out, expected);
    // Deterministic text: sorted keys, trailing newline, idempotent.
    let text = import::to_contract_text(&out);
    assert!(text.ends_with("}\n"));
    assert_eq!(import::import(&out), out);
    assert!(text.find("\"components\"").unwrap() < text.find("\"info\"").unwrap());
}
