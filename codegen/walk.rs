//! Visiting every schema of an OpenAPI document held as `serde_json::Value`.
//!
//! Each schema is reported with its JSON pointer (for change reports) and a
//! type-name hint: the name typify would derive for it (`<Parent><Prop>`,
//! `<Parent>Item` for array items, `<Operation>Body` for a request body, …).

use serde_json::Value;

use crate::words::pascal;

/// HTTP methods that may appear as keys of an OpenAPI path item.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Escapes one JSON-pointer segment (RFC 6901).
pub fn esc(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Calls `f(schema, pointer, hint)` on every schema of `spec`, children
/// before their parent.
pub fn visit_schemas(spec: &mut Value, f: &mut dyn FnMut(&mut Value, &str, &str)) {
    if let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in schemas.iter_mut() {
            let ptr = format!("/components/schemas/{}", esc(name));
            visit_schema(schema, &ptr, &pascal(name), f);
        }
    }
    for kind in ["parameters", "responses", "requestBodies", "headers"] {
        let ptr = format!("/components/{kind}");
        if let Some(items) = spec.pointer_mut(&ptr).and_then(Value::as_object_mut) {
            for (name, item) in items.iter_mut() {
                let here = format!("{ptr}/{}", esc(name));
                visit_holder(item, &here, &pascal(name), f);
            }
        }
    }
    let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let path_ptr = format!("/paths/{}", esc(path));
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (key, op) in item.iter_mut() {
            let op_ptr = format!("{path_ptr}/{key}");
            if key == "parameters" {
                visit_parameters(op, &op_ptr, &pascal(path), f);
                continue;
            }
            if !METHODS.contains(&key.as_str()) {
                continue;
            }
            let op_name = op
                .get("operationId")
                .and_then(Value::as_str)
                .map(pascal)
                .unwrap_or_else(|| pascal(&format!("{key} {path}")));
            if let Some(params) = op.get_mut("parameters") {
                visit_parameters(params, &format!("{op_ptr}/parameters"), &op_name, f);
            }
            if let Some(body) = op.get_mut("requestBody") {
                visit_holder(
                    body,
                    &format!("{op_ptr}/requestBody"),
                    &format!("{op_name}Body"),
                    f,
                );
            }
            if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
                for (code, response) in responses.iter_mut() {
                    let ptr = format!("{op_ptr}/responses/{code}");
                    visit_holder(response, &ptr, &format!("{op_name}Response"), f);
                }
            }
        }
    }
}

/// A parameter list: each parameter's schema is named `<Op><Param>`.
fn visit_parameters(
    params: &mut Value,
    ptr: &str,
    op_name: &str,
    f: &mut dyn FnMut(&mut Value, &str, &str),
) {
    if let Some(list) = params.as_array_mut() {
        for (i, param) in list.iter_mut().enumerate() {
            let name = param.get("name").and_then(Value::as_str).unwrap_or("");
            let hint = format!("{op_name}{}", pascal(name));
            visit_holder(param, &format!("{ptr}/{i}"), &hint, f);
        }
    }
}

/// An object holding a `schema` directly (parameter, header) or under
/// `content.<media type>.schema` (request body, response).
fn visit_holder(
    holder: &mut Value,
    ptr: &str,
    hint: &str,
    f: &mut dyn FnMut(&mut Value, &str, &str),
) {
    if let Some(schema) = holder.get_mut("schema") {
        visit_schema(schema, &format!("{ptr}/schema"), hint, f);
    }
    if let Some(content) = holder.get_mut("content").and_then(Value::as_object_mut) {
        for (media, media_obj) in content.iter_mut() {
            if let Some(schema) = media_obj.get_mut("schema") {
                let here = format!("{ptr}/content/{}/schema", esc(media));
                visit_schema(schema, &here, hint, f);
            }
        }
    }
}

/// One schema and, first, all schemas nested in it.
pub fn visit_schema(
    schema: &mut Value,
    ptr: &str,
    hint: &str,
    f: &mut dyn FnMut(&mut Value, &str, &str),
) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, prop) in props.iter_mut() {
            let here = format!("{ptr}/properties/{}", esc(name));
            visit_schema(prop, &here, &format!("{hint}{}", pascal(name)), f);
        }
    }
    if let Some(items) = obj.get_mut("items") {
        visit_schema(items, &format!("{ptr}/items"), &format!("{hint}Item"), f);
    }
    if let Some(extra) = obj.get_mut("additionalProperties")
        && extra.is_object()
    {
        let here = format!("{ptr}/additionalProperties");
        visit_schema(extra, &here, &format!("{hint}Value"), f);
    }
    if let Some(not) = obj.get_mut("not") {
        visit_schema(not, &format!("{ptr}/not"), &format!("{hint}Not"), f);
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(list) = obj.get_mut(key).and_then(Value::as_array_mut) {
            for (i, sub) in list.iter_mut().enumerate() {
                let here = format!("{ptr}/{key}/{i}");
                visit_schema(sub, &here, &format!("{hint}Subtype{i}"), f);
            }
        }
    }
    f(schema, ptr, hint);
}

/// Calls `f(operation, pointer, method, path)` on every operation.
pub fn visit_operations(spec: &mut Value, f: &mut dyn FnMut(&mut Value, &str, &str, &str)) {
    let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            if METHODS.contains(&method.as_str()) {
                let ptr = format!("/paths/{}/{method}", esc(path));
                f(op, &ptr, method, path);
            }
        }
    }
}

/// Rewrites every `$ref` (and discriminator mapping) equal to `from` into `to`;
/// returns how many were rewritten.
pub fn rename_refs(value: &mut Value, from: &str, to: &str) -> usize {
    match value {
        Value::Object(map) => {
            let mut n = 0;
            for (key, child) in map.iter_mut() {
                if key == "$ref" && child.as_str() == Some(from) {
                    *child = Value::String(to.to_string());
                    n += 1;
                } else if key == "mapping" {
                    if let Some(m) = child.as_object_mut() {
                        for v in m.values_mut() {
                            if v.as_str() == Some(from) {
                                *v = Value::String(to.to_string());
                                n += 1;
                            }
                        }
                    }
                } else {
                    n += rename_refs(child, from, to);
                }
            }
            n
        }
        Value::Array(list) => list.iter_mut().map(|v| rename_refs(v, from, to)).sum(),
        _ => 0,
    }
}

/// Follows a local `$ref` (`#/components/schemas/X`) to the referenced value.
pub fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    let mut current = value;
    for _ in 0..16 {
        match current.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix('#').and_then(|p| spec.pointer(p)) {
                Some(target) => current = target,
                None => return current,
            },
            None => return current,
        }
    }
    current
}
