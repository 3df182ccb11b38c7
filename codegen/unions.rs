//! `oneOf` unions that typify would get wrong.
//!
//! * Discriminated unions ([`discriminated_unions`]): typify ignores
//!   `discriminator` (typify issue 498) and makes an untagged enum that
//!   takes the first variant whose fields fit, which is often the wrong one
//!   (Camunda's wait-state details all have a plain string `waitStateType`).
//! * String-only unions ([`string_only_one_of`]): a `oneOf` whose branches
//!   are all plain strings gives an enum that cannot be decoded.

use serde_json::{Map, Value, json};

use crate::walk::{esc, resolve};

/// Marks a single-value tag enum made by [`discriminated_unions`]: it must
/// stay closed (no `Unknown` catch-all, see `codegen/enums.rs`), or every
/// variant of the union would accept every tag.
pub const TAG_MARK: &str = "x-camunda8-tag";

/// Step `discriminated_unions`: for each schema with a `discriminator` and a
/// `oneOf` of `$ref`s, every mapped variant's discriminator property
/// becomes a required string enum of the value(s) mapped to it (marked
/// [`TAG_MARK`], so it stays closed), and the union gains a last branch, a
/// plain object, for tags this client does not know.
///
/// Why: the untagged enum typify makes then decodes each variant exactly:
/// only the variant whose tag matches accepts a body, and a body with a tag
/// added by a newer server lands in the catch-all branch instead of failing
/// (or, worse, being taken for another variant). The `discriminator` is
/// removed afterwards: it has been expressed in the schemas. Variants
/// without a mapping get their own schema name as tag (OpenAPI's default).
pub fn discriminated_unions(spec: &mut Value) -> Vec<String> {
    let mut changes = Vec::new();
    // (variant component, property, values)
    let mut tags: Vec<(String, String, Vec<String>)> = Vec::new();
    let mut unions: Vec<String> = Vec::new();
    collect(spec, "", &mut tags, &mut unions);
    for (variant, property, values) in &tags {
        let ptr = format!("/components/schemas/{}", esc(variant));
        let Some(schema) = spec.pointer_mut(&ptr).and_then(Value::as_object_mut) else {
            continue;
        };
        let already = schema
            .get("properties")
            .and_then(|p| p.get(property))
            .is_some_and(|p| p.get(TAG_MARK).is_some());
        if already {
            continue;
        }
        let props = schema
            .entry("properties")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(props) = props.as_object_mut() {
            props.insert(
                property.clone(),
                json!({ "type": "string", "enum": values, TAG_MARK: true }),
            );
        }
        let required = schema
            .entry("required")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Some(list) = required.as_array_mut()
            && !list.iter().any(|v| v.as_str() == Some(property))
        {
            list.push(Value::String(property.clone()));
        }
        // A nullable variant would let `null` match it; the union's use site
        // carries nullability instead.
        schema.remove("nullable");
        changes.push(format!("{ptr}/properties/{property}: tag {values:?}"));
    }
    for ptr in unions {
        let Some(union) = spec.pointer_mut(&ptr).and_then(Value::as_object_mut) else {
            continue;
        };
        union.remove("discriminator");
        if let Some(branches) = union.get_mut("oneOf").and_then(Value::as_array_mut) {
            branches.push(json!({ "type": "object" }));
        }
        changes.push(format!(
            "{ptr}: discriminator expressed in the variants; catch-all branch for unknown tags"
        ));
    }
    changes
}

/// Finds every discriminated `oneOf` (pointer into `unions`) and the tags of
/// its variants.
fn collect(
    value: &Value,
    ptr: &str,
    tags: &mut Vec<(String, String, Vec<String>)>,
    unions: &mut Vec<String>,
) {
    match value {
        Value::Object(obj) => {
            if let (Some(disc), Some(branches)) = (
                obj.get("discriminator"),
                obj.get("oneOf").and_then(Value::as_array),
            ) && let Some(property) = disc.get("propertyName").and_then(Value::as_str)
            {
                let mapping = disc.get("mapping").and_then(Value::as_object);
                for branch in branches {
                    let Some(target) = branch.get("$ref").and_then(Value::as_str) else {
                        continue;
                    };
                    let Some(name) = target.strip_prefix("#/components/schemas/") else {
                        continue;
                    };
                    let mut values: Vec<String> = mapping
                        .map(|m| {
                            m.iter()
                                .filter(|(_, v)| v.as_str() == Some(target))
                                .map(|(k, _)| k.clone())
                                .collect()
                        })
                        .unwrap_or_default();
                    if values.is_empty() {
                        values.push(name.to_string());
                    }
                    values.sort();
                    match tags.iter_mut().find(|(v, p, _)| v == name && p == property) {
                        Some((_, _, existing)) => {
                            for v in values {
                                if !existing.contains(&v) {
                                    existing.push(v);
                                }
                            }
                        }
                        None => tags.push((name.to_string(), property.to_string(), values)),
                    }
                }
                unions.push(ptr.to_string());
            }
            for (key, child) in obj {
                collect(child, &format!("{ptr}/{}", esc(key)), tags, unions);
            }
        }
        Value::Array(list) => {
            for (i, child) in list.iter().enumerate() {
                collect(child, &format!("{ptr}/{i}"), tags, unions);
            }
        }
        _ => {}
    }
}

/// Whether `schema` (resolved in `spec`) is a plain string: `type: string`
/// without `enum`.
fn plain_string(spec: &Value, schema: &Value) -> bool {
    let schema = resolve(spec, schema);
    schema.get("type").and_then(Value::as_str) == Some("string") && schema.get("enum").is_none()
}

/// Step `string_only_one_of`: a `oneOf` whose branches are all plain strings
/// (inline or by `$ref`) is replaced by `type: string`, keeping the
/// schema's own `format`, `pattern` and length bounds (or, without a
/// format of its own, the branches' common format).
///
/// Why: typify makes an enum with no usable variant for such a union (it
/// cannot decode, and breaks where used as a path parameter). On the wire
/// the value is a string either way. Camunda uses this for keys that may be
/// one of several kinds (`ResourceKey`: a process definition, decision or
/// form key), which the `semantic_keys` step then types by their format.
pub fn string_only_one_of(spec: &mut Value) -> Vec<String> {
    let snapshot = spec.clone();
    let mut changes = Vec::new();
    rewrite(spec, &snapshot, "", &mut changes);
    changes
}

fn rewrite(value: &mut Value, spec: &Value, ptr: &str, changes: &mut Vec<String>) {
    match value {
        Value::Object(obj) => {
            let collapsible = obj
                .get("oneOf")
                .and_then(Value::as_array)
                .is_some_and(|branches| {
                    !branches.is_empty() && branches.iter().all(|b| plain_string(spec, b))
                });
            if collapsible {
                let branches = obj
                    .remove("oneOf")
                    .and_then(|v| v.as_array().cloned())
                    .unwrap_or_default();
                obj.insert("type".into(), Value::String("string".into()));
                if !obj.contains_key("format") {
                    let formats: Vec<Option<&str>> = branches
                        .iter()
                        .map(|b| resolve(spec, b).get("format").and_then(Value::as_str))
                        .collect();
                    if let Some(Some(first)) = formats.first()
                        && formats.iter().all(|f| *f == Some(*first))
                    {
                        obj.insert("format".into(), Value::String(first.to_string()));
                    }
                }
                changes.push(format!(
                    "{ptr}: oneOf of {} strings -> string",
                    branches.len()
                ));
            }
            for (key, child) in obj.iter_mut() {
                rewrite(child, spec, &format!("{ptr}/{}", esc(key)), changes);
            }
        }
        Value::Array(list) => {
            for (i, child) in list.iter_mut().enumerate() {
                rewrite(child, spec, &format!("{ptr}/{i}"), changes);
            }
        }
        _ => {}
    }
}
