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
/// stay closed (no `Unknown` catch-all, see `codegen/contract/enums.rs`), or every
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

/// The `required` members of an object branch (after one `$ref`), if it is
/// an object schema.
fn required_members<'a>(spec: &'a Value, branch: &'a Value) -> Option<Vec<&'a str>> {
    let schema = resolve(spec, branch);
    if schema.get("type").and_then(Value::as_str) != Some("object") {
        return None;
    }
    Some(
        schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default(),
    )
}

/// Step `specific_branches_first`: in a `oneOf`/`anyOf` of object schemas,
/// a branch whose required members include all of an earlier branch's (and
/// more) is moved before that branch.
///
/// Why: typify makes an untagged enum, and serde takes the first variant
/// that decodes, ignoring members it does not know. With the published
/// order, `ProcessInstanceCreationInstruction` (`ById` before
/// `ByVersionTag`) decodes `{"processDefinitionId": …,
/// "processDefinitionVersionTag": …}` as `ById` and drops the version tag:
/// the instance would start on the latest version instead of the tagged
/// one. Trying the more specific branch first decodes each body into the
/// branch that describes all of it; OpenAPI gives the order no meaning.
pub fn specific_branches_first(spec: &mut Value) -> Vec<String> {
    let snapshot = spec.clone();
    let mut changes = Vec::new();
    reorder(spec, &snapshot, "", &mut changes);
    changes
}

fn reorder(value: &mut Value, spec: &Value, ptr: &str, changes: &mut Vec<String>) {
    match value {
        Value::Object(obj) => {
            for key in ["oneOf", "anyOf"] {
                let Some(branches) = obj.get_mut(key).and_then(Value::as_array_mut) else {
                    continue;
                };
                let before: Vec<Value> = branches.clone();
                // Move a later branch before the first earlier one whose
                // required members it strictly includes, until none is left.
                for _ in 0..branches.len() * branches.len() {
                    let sets: Vec<Option<Vec<String>>> = branches
                        .iter()
                        .map(|b| {
                            required_members(spec, b)
                                .map(|r| r.into_iter().map(str::to_string).collect())
                        })
                        .collect();
                    let mut moved = None;
                    'find: for later in 1..sets.len() {
                        for earlier in 0..later {
                            if let (Some(wide), Some(narrow)) = (&sets[later], &sets[earlier])
                                && wide.len() > narrow.len()
                                && narrow.iter().all(|m| wide.contains(m))
                            {
                                moved = Some((later, earlier));
                                break 'find;
                            }
                        }
                    }
                    let Some((later, earlier)) = moved else { break };
                    let branch = branches.remove(later);
                    branches.insert(earlier, branch);
                }
                if *branches != before {
                    let name = |b: &Value| {
                        b.get("$ref")
                            .and_then(Value::as_str)
                            .and_then(|r| r.rsplit('/').next())
                            .unwrap_or("(inline)")
                            .to_string()
                    };
                    let order: Vec<String> = branches.iter().map(name).collect();
                    changes.push(format!("{ptr}/{key}: order {}", order.join(", ")));
                }
            }
            for (key, child) in obj.iter_mut() {
                reorder(child, spec, &format!("{ptr}/{}", esc(key)), changes);
            }
        }
        Value::Array(list) => {
            for (i, child) in list.iter_mut().enumerate() {
                reorder(child, spec, &format!("{ptr}/{i}"), changes);
            }
        }
        _ => {}
    }
}

/// Step `closed_optional_branches`: in a `oneOf`/`anyOf` of two or more
/// object components none of which requires a member, each component is
/// closed (`additionalProperties: false`).
///
/// Why: such branches can only be told apart by which members are present,
/// but serde's untagged decoding ignores unknown members, so the first
/// branch takes every body. Camunda's search `page` (`LimitPagination`,
/// `OffsetPagination`, `CursorForwardPagination`,
/// `CursorBackwardPagination`) decoded every page as `LimitPagination`,
/// dropping `from`, `after` and `before`. Closed, each body lands in the
/// first branch that has all its members. These components describe
/// request options, so closing them does not reject members a newer server
/// adds to responses (the reason for `open_objects`).
pub fn closed_optional_branches(spec: &mut Value) -> Vec<String> {
    let snapshot = spec.clone();
    let mut targets: Vec<String> = Vec::new();
    collect_optional_branches(&snapshot, &snapshot, &mut targets);
    targets.sort();
    targets.dedup();
    let mut changes = Vec::new();
    for target in targets {
        if let Some(obj) = spec.pointer_mut(&target).and_then(Value::as_object_mut)
            && obj.get("additionalProperties") != Some(&Value::Bool(false))
        {
            obj.insert("additionalProperties".into(), Value::Bool(false));
            // Tells `open_objects` (on a second pass) to leave it closed.
            obj.insert("x-camunda8-closed".into(), Value::Bool(true));
            changes.push(format!("{target}: closed"));
        }
    }
    changes
}

fn collect_optional_branches(value: &Value, spec: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(obj) => {
            for key in ["oneOf", "anyOf"] {
                let Some(branches) = obj.get(key).and_then(Value::as_array) else {
                    continue;
                };
                let refs: Vec<&str> = branches
                    .iter()
                    .filter_map(|b| b.get("$ref").and_then(Value::as_str))
                    .collect();
                let all_optional_objects = refs.len() >= 2
                    && refs.len() == branches.len()
                    && branches.iter().all(|b| {
                        required_members(spec, b).is_some_and(|required| required.is_empty())
                    });
                if all_optional_objects {
                    out.extend(
                        refs.iter()
                            .filter_map(|r| r.strip_prefix('#'))
                            .map(str::to_string),
                    );
                }
            }
            for child in obj.values() {
                collect_optional_branches(child, spec, out);
            }
        }
        Value::Array(list) => {
            for child in list {
                collect_optional_branches(child, spec, out);
            }
        }
        _ => {}
    }
}
