//! Nullability declared on a component instead of where it is used.

use serde_json::{Value, json};

use crate::walk::esc;

/// Step `nullable_components`: `nullable: true` is removed from every
/// component schema and moved to the places that reference the component
/// as a property or an array item (`allOf: [$ref]` with `nullable: true`,
/// since siblings of a bare `$ref` are ignored in OpenAPI 3.0).
///
/// Why: typify turns a nullable component into a newtype around an
/// `Option` (`struct Changeset(Option<ChangesetInner>)`), which every user
/// must wrap and unwrap. Moved to the use site, the field is an
/// `Option<Changeset>` like any optional field, and the component is a
/// plain struct. A request body that references a nullable component is
/// left as a plain `$ref`: an absent body is expressed by
/// `requestBody.required`, not by `null`.
pub fn nullable_components(spec: &mut Value) -> Vec<String> {
    let mut changes = Vec::new();
    let mut nullable: Vec<String> = Vec::new();
    if let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in schemas.iter_mut() {
            if let Some(obj) = schema.as_object_mut()
                && obj.get("nullable") == Some(&Value::Bool(true))
            {
                obj.remove("nullable");
                nullable.push(format!("#/components/schemas/{name}"));
                changes.push(format!(
                    "/components/schemas/{}: nullable moved to its uses",
                    esc(name)
                ));
            }
        }
    }
    if nullable.is_empty() {
        return changes;
    }
    let mut uses = 0;
    wrap_uses(spec, &nullable, &mut uses);
    if uses > 0 {
        changes.push(format!(
            "{uses} property or item reference(s) made nullable"
        ));
    }
    changes
}

/// Rewrites property and item references to `targets` as nullable.
fn wrap_uses(value: &mut Value, targets: &[String], uses: &mut usize) {
    match value {
        Value::Object(obj) => {
            for (key, child) in obj.iter_mut() {
                match key.as_str() {
                    "properties" => {
                        if let Some(props) = child.as_object_mut() {
                            for prop in props.values_mut() {
                                wrap_one(prop, targets, uses);
                                wrap_uses(prop, targets, uses);
                            }
                        }
                    }
                    "items" => {
                        wrap_one(child, targets, uses);
                        wrap_uses(child, targets, uses);
                    }
                    _ => wrap_uses(child, targets, uses),
                }
            }
        }
        Value::Array(list) => {
            for child in list {
                wrap_uses(child, targets, uses);
            }
        }
        _ => {}
    }
}

fn wrap_one(schema: &mut Value, targets: &[String], uses: &mut usize) {
    let Some(target) = schema.get("$ref").and_then(Value::as_str) else {
        return;
    };
    if targets.iter().any(|t| t == target) {
        *schema = json!({ "allOf": [{ "$ref": target }], "nullable": true });
        *uses += 1;
    }
}
