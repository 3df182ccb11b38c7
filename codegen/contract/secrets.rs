//! Sensitive strings in generated types.
//!
//! typify derives `Debug` on every generated type, so a response holding a
//! client secret (the Administration API's `CreatedClusterClient`) or a
//! password would print it in any `{:?}` log line. The crate's rule is that
//! secrets are never printed: such fields become [`SECRET_SCHEMA`], which the
//! build replaces with `crate::Secret` (prints `[censored]`, value reachable
//! through `Secret::expose`, serialized verbatim on the wire).

use serde_json::{Value, json};

use crate::walk::visit_schemas;
use crate::words::words;

/// The component every sensitive string refers to; replaced by `crate::Secret`.
pub const SECRET_SCHEMA: &str = "SecretString";

/// Whether a property name denotes a secret value: its last word is
/// `secret`, `password` or `token` (`clientSecret`, `password`), or it is
/// `secretValue`. Names such as `secretName` are not secret.
pub fn is_secret_name(name: &str) -> bool {
    let w: Vec<String> = words(name).iter().map(|w| w.to_lowercase()).collect();
    matches!(
        w.last().map(String::as_str),
        Some("secret" | "password" | "token")
    ) || w == ["secret", "value"]
}

/// Whether `schema` is a plain string (no enum, format or reference).
fn plain_string(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("string")
        && ["enum", "format", "$ref", "pattern"]
            .iter()
            .all(|k| schema.get(k).is_none())
}

fn reference(nullable: bool) -> Value {
    let target = format!("#/components/schemas/{SECRET_SCHEMA}");
    if nullable {
        json!({ "allOf": [{ "$ref": target }], "nullable": true })
    } else {
        json!({ "$ref": target })
    }
}

/// Step `secret_fields`: plain-string properties with a secret name, and
/// the string values of a map named `…Secrets`, refer to [`SECRET_SCHEMA`].
pub fn secret_fields(spec: &mut Value) -> Vec<String> {
    let mut changes = Vec::new();
    visit_schemas(spec, &mut |schema, ptr, hint| {
        if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
            for (name, prop) in props.iter_mut() {
                if is_secret_name(name) && plain_string(prop) {
                    let nullable = prop.get("nullable") == Some(&Value::Bool(true));
                    *prop = reference(nullable);
                    changes.push(format!("{ptr}/properties/{name} -> {SECRET_SCHEMA}"));
                }
            }
        }
        let secrets_map = words(hint)
            .last()
            .is_some_and(|w| w.eq_ignore_ascii_case("secrets"));
        if secrets_map
            && let Some(values) = schema.get_mut("additionalProperties")
            && plain_string(values)
        {
            *values = reference(false);
            changes.push(format!("{ptr}/additionalProperties -> {SECRET_SCHEMA}"));
        }
    });
    if !changes.is_empty()
        && let Some(schemas) = spec
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
    {
        schemas.insert(SECRET_SCHEMA.to_string(), json!({"type": "string"}));
    }
    changes
}
