//! Normalization steps that repair schemas typify cannot turn into Rust, or
//! would turn into fragile Rust.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::walk::{esc, rename_refs, resolve, visit_schema, visit_schemas};
use crate::words::pascal;

/// Step `strip_titles`: removes `title` from every schema.
///
/// Why: typify names a type after its `title`; published specs repeat a
/// component's name as the title of inline copies, which yields duplicate
/// type definitions (typify issue 1011). Titles are prose; our contracts
/// have none, Camunda's published files do.
pub fn strip_titles(spec: &mut Value) -> Vec<String> {
    let mut changes = Vec::new();
    visit_schemas(spec, &mut |schema, ptr, _| {
        if let Some(obj) = schema.as_object_mut()
            && obj.remove("title").is_some()
        {
            changes.push(format!("{ptr}/title"));
        }
    });
    changes
}

/// Step `open_objects`: removes `additionalProperties: false`.
///
/// Why: typify turns it into `#[serde(deny_unknown_fields)]`, so a field
/// added by a newer server would make a whole response undecodable; combined
/// with `allOf` it can even make a type impossible to decode. Our clients
/// must keep working against newer Camunda releases.
pub fn open_objects(spec: &mut Value) -> Vec<String> {
    let mut changes = Vec::new();
    visit_schemas(spec, &mut |schema, ptr, _| {
        if let Some(obj) = schema.as_object_mut()
            && obj.get("additionalProperties") == Some(&Value::Bool(false))
            // Closed on purpose by `closed_optional_branches` (codegen/contract/unions.rs).
            && !obj.contains_key("x-camunda8-closed")
        {
            obj.remove("additionalProperties");
            changes.push(format!("{ptr}/additionalProperties"));
        }
    });
    changes
}

/// Step `scalar_formats_only`: removes `format` from schemas whose type is
/// `array` or `object`.
///
/// Why: typify panics ("invalid (or unexpected) schema") on a format it
/// cannot attach to a non-scalar (Camunda's v2 spec has
/// `format: string<Tag>[]` on an array). A format only refines scalars.
pub fn scalar_formats_only(spec: &mut Value) -> Vec<String> {
    let mut changes = Vec::new();
    visit_schemas(spec, &mut |schema, ptr, _| {
        if let Some(obj) = schema.as_object_mut() {
            let non_scalar = matches!(
                obj.get("type").and_then(Value::as_str),
                Some("array") | Some("object")
            );
            if non_scalar && obj.remove("format").is_some() {
                changes.push(format!("{ptr}/format"));
            }
        }
    });
    changes
}

/// Step `typed_defaults`: removes a `default` whose JSON type does not match
/// the schema's `type`.
///
/// Why: typify panics ("The default value could not be rendered for this
/// type") — e.g. a string property with `default: -1` in Camunda's 8.6 REST
/// spec. A default is documentation for the client; dropping it changes
/// nothing on the wire.
pub fn typed_defaults(spec: &mut Value) -> Vec<String> {
    let mut changes = Vec::new();
    visit_schemas(spec, &mut |schema, ptr, _| {
        let Some(obj) = schema.as_object_mut() else {
            return;
        };
        let (Some(ty), Some(default)) =
            (obj.get("type").and_then(Value::as_str), obj.get("default"))
        else {
            return;
        };
        let ok = match ty {
            "string" => default.is_string(),
            "integer" => default.is_i64() || default.is_u64(),
            "number" => default.is_number(),
            "boolean" => default.is_boolean(),
            "array" => default.is_array(),
            "object" => default.is_object(),
            _ => true,
        };
        if !ok {
            changes.push(format!("{ptr}/default ({default} is not a {ty})"));
            obj.remove("default");
        }
    });
    changes
}

/// Whether `name` is usable as a Rust identifier as is.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A component name not yet taken, starting from `base`.
pub fn unique_name(taken: &Map<String, Value>, base: &str) -> String {
    if !taken.contains_key(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|candidate| !taken.contains_key(candidate))
        .unwrap_or_else(|| base.to_string())
}

/// Step `identifier_schema_names`: renames component schemas whose names
/// are not identifiers (`OrganizationRole.ADMIN`, `Record_string.never_`)
/// to their PascalCase words (`OrganizationRoleAdmin`,
/// `RecordStringNever`), rewriting every `$ref` to them.
///
/// Why: typify sanitizes such names on its own, but the result is not
/// predictable for later steps (type replacements are keyed by name) and can
/// collide; renaming once, consistently, keeps names and references aligned.
pub fn identifier_schema_names(spec: &mut Value) -> Vec<String> {
    let mut changes = Vec::new();
    let names: Vec<String> = match spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        Some(schemas) => schemas
            .keys()
            .filter(|n| !is_identifier(n))
            .cloned()
            .collect(),
        None => return changes,
    };
    for old in names {
        let Some(schemas) = spec
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
        else {
            break;
        };
        let new = unique_name(schemas, &pascal(&old));
        let Some(schema) = schemas.remove(&old) else {
            continue;
        };
        schemas.insert(new.clone(), schema);
        let from = format!("#/components/schemas/{}", esc(&old));
        let to = format!("#/components/schemas/{new}");
        let refs = rename_refs(spec, &from, &to);
        changes.push(format!("{old} -> {new} ({refs} $refs)"));
    }
    changes
}

/// The values of a string enum schema (`type: string` or untyped, every
/// value a string), if `schema` is one.
pub fn string_enum(schema: &Value) -> Option<Vec<String>> {
    let obj = schema.as_object()?;
    // A discriminator tag (`x-camunda8-tag`, see codegen/contract/unions.rs) stays a
    // closed inline enum: with a catch-all, every union variant would match.
    if obj.contains_key("x-camunda8-tag") {
        return None;
    }
    let values = obj.get("enum")?.as_array()?;
    let ty = obj.get("type").and_then(Value::as_str);
    if !(ty.is_none() || ty == Some("string")) {
        return None;
    }
    values
        .iter()
        .map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// Step `merge_string_enum_unions`: an `anyOf`/`oneOf` whose every branch
/// is a string enum (inline or by `$ref`) becomes one string enum holding
/// all the values.
///
/// Why: the Administration API composes `AssignableOrganizationRoleType`
/// from single-value enums. typify makes an untagged enum of them; with
/// forward-compatible enums (an `Unknown` catch-all each) the first branch
/// would accept every string. One enum of all values decodes exactly.
pub fn merge_string_enum_unions(spec: &mut Value) -> Vec<String> {
    let snapshot = spec.clone();
    let mut changes = Vec::new();
    visit_schemas(spec, &mut |schema, ptr, _| {
        let Some(obj) = schema.as_object_mut() else {
            return;
        };
        for key in ["anyOf", "oneOf"] {
            let Some(branches) = obj.get(key).and_then(Value::as_array) else {
                continue;
            };
            let mut values: Vec<String> = Vec::new();
            let mut all_enums = !branches.is_empty();
            for branch in branches {
                match string_enum(resolve(&snapshot, branch)) {
                    Some(vs) => {
                        for v in vs {
                            if !values.contains(&v) {
                                values.push(v);
                            }
                        }
                    }
                    None => all_enums = false,
                }
            }
            if !all_enums {
                continue;
            }
            obj.remove(key);
            obj.insert("type".to_string(), json!("string"));
            obj.insert("enum".to_string(), json!(values));
            changes.push(format!(
                "{ptr}/{key}: {} branches -> enum of {} values",
                branches_len(&snapshot, ptr, key),
                values.len()
            ));
        }
    });
    changes
}

fn branches_len(spec: &Value, ptr: &str, key: &str) -> usize {
    spec.pointer(&format!("{ptr}/{key}"))
        .and_then(Value::as_array)
        .map_or(0, Vec::len)
}

/// Whether typify would emit a named type for this inline schema.
fn makes_type(schema: &Value) -> bool {
    let Some(obj) = schema.as_object() else {
        return false;
    };
    !obj.contains_key("$ref")
        && (obj.contains_key("properties")
            || obj.contains_key("enum")
            || obj.contains_key("oneOf")
            || obj.contains_key("anyOf"))
}

/// Step `hoist_colliding_inline_schemas`: an inline schema whose derived
/// type name (`<Parent><Prop>`, typify's PascalCase) equals a component's
/// name is moved to `components/schemas` under `<name>Details` (or a
/// numbered variant) and referenced from where it was.
///
/// Why: typify would emit two types of the same name (Administration API:
/// the inline object `Cluster.status` vs the enum component
/// `ClusterStatus`), which does not compile.
pub fn hoist_colliding_inline_schemas(spec: &mut Value) -> Vec<String> {
    let mut changes = Vec::new();
    let Some(names) = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|s| s.keys().map(|k| pascal(k)).collect::<BTreeSet<String>>())
    else {
        return changes;
    };
    let Some(mut schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
        .map(std::mem::take)
    else {
        return changes;
    };
    let mut hoisted: Vec<(String, Value)> = Vec::new();
    let mut taken = schemas.clone();
    for (name, schema) in schemas.iter_mut() {
        let root = format!("/components/schemas/{}", esc(name));
        visit_schema(schema, &root, &pascal(name), &mut |inner, ptr, hint| {
            if ptr == root || !makes_type(inner) || !names.contains(hint) {
                return;
            }
            let new = unique_name(&taken, &format!("{hint}Details"));
            taken.insert(new.clone(), Value::Null);
            let moved = std::mem::replace(
                inner,
                json!({ "$ref": format!("#/components/schemas/{new}") }),
            );
            changes.push(format!("{ptr}: inline type named {hint} collides -> {new}"));
            hoisted.push((new, moved));
        });
    }
    for (name, schema) in hoisted {
        schemas.insert(name, schema);
    }
    if let Some(slot) = spec.pointer_mut("/components/schemas") {
        *slot = Value::Object(schemas);
    }
    changes
}

/// Whether typify would emit a named type for an operation's inline body
/// schema: like [`makes_type`], and also an `allOf` composition.
fn body_makes_type(schema: &Value) -> bool {
    makes_type(schema) || schema.get("allOf").is_some_and(|v| !v.is_null())
}

/// Step `hoist_colliding_operation_bodies`: an inline JSON request or
/// response body whose progenitor-derived type name (`<OperationId>Body`,
/// `<OperationId>Response`, PascalCase) equals a component's name is moved
/// to `components/schemas` under `<OperationId>RequestBody` /
/// `<OperationId>ResponseBody` (or a numbered variant) and referenced from
/// the operation.
///
/// Why: typify keys types by name; given a body named like an existing
/// component it hands back the component and silently drops the inline
/// schema. Administration API: `POST /clusters` (operationId
/// `CreateCluster`) extends the component `CreateClusterBody` with
/// `identityBackendChecksEnabled` via `allOf`, and without this step the
/// generated `create_cluster().body(..)` took the component, so that field
/// could not be sent.
pub fn hoist_colliding_operation_bodies(spec: &mut Value) -> Vec<String> {
    let mut changes = Vec::new();
    let Some(components) = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return changes;
    };
    let component_names: BTreeSet<String> = components.keys().map(|k| pascal(k)).collect();
    // Names a hoisted schema must not take: components, and every type name
    // progenitor derives from an operationId.
    let mut taken = components.clone();
    crate::walk::visit_operations(spec, &mut |op, _, _, _| {
        if let Some(id) = op.get("operationId").and_then(Value::as_str) {
            for suffix in ["Body", "Response"] {
                taken.insert(format!("{}{suffix}", pascal(id)), Value::Null);
            }
        }
    });
    let mut hoisted: Vec<(String, Value)> = Vec::new();
    crate::walk::visit_operations(spec, &mut |op, ptr, _, _| {
        let Some(id) = op.get("operationId").and_then(Value::as_str).map(pascal) else {
            return;
        };
        let mut hoist =
            |schema: Option<&mut Value>, here: String, derived: String, base: String| {
                let Some(schema) = schema else { return };
                if !body_makes_type(schema) || !component_names.contains(&derived) {
                    return;
                }
                let new = unique_name(&taken, &base);
                taken.insert(new.clone(), Value::Null);
                let moved = std::mem::replace(
                    schema,
                    json!({ "$ref": format!("#/components/schemas/{new}") }),
                );
                changes.push(format!(
                    "{here}: inline body type named {derived} collides with a component -> {new}"
                ));
                hoisted.push((new, moved));
            };
        hoist(
            op.pointer_mut("/requestBody/content/application~1json/schema"),
            format!("{ptr}/requestBody"),
            format!("{id}Body"),
            format!("{id}RequestBody"),
        );
        if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
            for (code, response) in responses.iter_mut() {
                hoist(
                    response.pointer_mut("/content/application~1json/schema"),
                    format!("{ptr}/responses/{code}"),
                    format!("{id}Response"),
                    format!("{id}ResponseBody"),
                );
            }
        }
    });
    if let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in hoisted {
            schemas.insert(name, schema);
        }
    }
    changes
}
