//! One type for every free-form object member: `crate::Variables`.
//!
//! The contracts declare process variables, custom headers, custom
//! properties and the like as objects without members
//! (`type: object`, `additionalProperties: true`), each under a name of its
//! own (`JobCompletionRequestVariables`, `MessagePublicationRequestVariables`,
//! `DocumentMetadataCustomProperties`, …), and typify made a newtype of each.
//! A user then needed a different wrapper per operation, none of which took a
//! `serde_json::Value`, and could not pass the variables of one call to
//! another. Two steps:
//! - [`shared_variables`] (contract): every such member references one
//!   component, [`VARIABLES_SCHEMA`], which the build replaces with the
//!   hand-written `crate::Variables` (src/variables.rs: from a `Value`
//!   object, a `Map` or any `Serialize` value; back into any `Deserialize`
//!   type). The components it replaces keep their names as deprecated
//!   aliases (the `x-camunda8-former-names` of codegen/names.rs), and the
//!   `types` module re-exports `Variables` so the aliases resolve.
//! - `variables_setters` (post-processing, codegen/post/variables_setters.rs):
//!   the builder setter of an optional such member takes
//!   `crate::IntoVariables` (a `json!({…})`, a `Map`, `Variables`,
//!   `Option<Variables>`) instead of `TryInto<Option<Variables>>`, which no
//!   `Value` or `Map` can satisfy.
//!
//! The wire does not change: `Variables` is the object itself.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::contract::type_names::FORMER_NAMES;
use crate::walk::{esc, visit_schemas};
use crate::words::pascal;

/// The component every free-form member refers to; replaced by
/// `crate::Variables`.
pub const VARIABLES_SCHEMA: &str = "Variables";

/// The Rust type the component is replaced with.
pub const VARIABLES_TYPE: &str = "crate::Variables";

fn reference(name: &str) -> String {
    format!("#/components/schemas/{name}")
}

/// Whether `schema` is a free-form object: `type: object` with no members
/// and any values (`additionalProperties` absent, `true` or `{}`), and
/// nothing else that shapes it (no composition, enum or reference).
pub fn is_free_form(schema: &Value) -> bool {
    let Some(obj) = schema.as_object() else {
        return false;
    };
    let any_values = match obj.get("additionalProperties") {
        None | Some(Value::Bool(true)) => true,
        Some(Value::Object(inner)) => inner.is_empty(),
        Some(_) => false,
    };
    obj.get("type").and_then(Value::as_str) == Some("object")
        && any_values
        && [
            "properties",
            "allOf",
            "oneOf",
            "anyOf",
            "$ref",
            "enum",
            "items",
            "discriminator",
        ]
        .iter()
        .all(|k| !obj.contains_key(*k))
}

/// The component a member schema references: `$ref`, or the
/// `allOf: [$ref]` that `nullable_components` writes for a nullable use.
fn member_target(prop: &Value) -> Option<&str> {
    let r = match prop.get("allOf").and_then(Value::as_array) {
        Some(parts) if parts.len() == 1 => parts[0].get("$ref"),
        _ => prop.get("$ref"),
    };
    r.and_then(Value::as_str)?
        .strip_prefix("#/components/schemas/")
}

/// Every `$ref` to a component schema in `value`, counted by name.
fn count_refs(value: &Value, out: &mut BTreeMap<String, usize>) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                *out.entry(name.to_string()).or_default() += 1;
            }
            map.values().for_each(|v| count_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| count_refs(v, out)),
        _ => {}
    }
}

/// Step `shared_variables`: every free-form object member (see
/// [`is_free_form`]) references [`VARIABLES_SCHEMA`].
///
/// - A free-form component referenced only by members is removed; its
///   references point at [`VARIABLES_SCHEMA`] and its Rust name becomes a
///   former name (a deprecated alias). A free-form component that is also a
///   request or response body on its own (an empty body the contract
///   closed) stays.
/// - An inline free-form member schema becomes a reference (wrapped in
///   `allOf` with `nullable: true` when it was nullable; `deprecated` kept).
/// - [`VARIABLES_SCHEMA`] is added when something references it; an API
///   whose contract already has a free-form component of that name (Zeebe's
///   `Variables`) keeps it. If the name is taken by another kind of schema,
///   nothing changes.
///
/// Runs after `nullable_components`, so nullability already sits at the
/// uses.
pub fn shared_variables(spec: &mut Value) -> Vec<String> {
    let Some(schemas) = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    if schemas
        .get(VARIABLES_SCHEMA)
        .is_some_and(|s| !is_free_form(s))
    {
        return Vec::new();
    }
    let mut all_refs = BTreeMap::new();
    count_refs(spec, &mut all_refs);
    let mut member_refs: BTreeMap<String, usize> = BTreeMap::new();
    visit_schemas(spec, &mut |schema, _, _| {
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for prop in props.values() {
                if let Some(target) = member_target(prop) {
                    *member_refs.entry(target.to_string()).or_default() += 1;
                }
            }
        }
    });
    let Some(schemas) = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    let shared: Vec<String> = schemas
        .iter()
        .filter(|(name, schema)| {
            name.as_str() != VARIABLES_SCHEMA
                && is_free_form(schema)
                && member_refs.get(*name).copied().unwrap_or(0) > 0
                && member_refs.get(*name) == all_refs.get(*name)
        })
        .map(|(name, _)| name.clone())
        .collect();

    let mut changes = Vec::new();
    let mut formers: Vec<String> = Vec::new();
    for name in &shared {
        let Some(removed) = spec
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
            .and_then(|m| m.remove(name))
        else {
            continue;
        };
        formers.push(pascal(name));
        if let Some(list) = removed.get(FORMER_NAMES).and_then(Value::as_array) {
            formers.extend(list.iter().filter_map(Value::as_str).map(str::to_string));
        }
        let n = crate::walk::rename_refs(spec, &reference(name), &reference(VARIABLES_SCHEMA));
        changes.push(format!(
            "/components/schemas/{}: {n} member reference(s) -> {VARIABLES_SCHEMA}",
            esc(name)
        ));
    }

    visit_schemas(spec, &mut |schema, ptr, _| {
        let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
            return;
        };
        for (member, prop) in props.iter_mut() {
            if !is_free_form(prop) {
                continue;
            }
            let nullable = prop.get("nullable") == Some(&Value::Bool(true));
            let deprecated = prop.get("deprecated").cloned();
            let mut replacement = if nullable {
                json!({ "allOf": [{ "$ref": reference(VARIABLES_SCHEMA) }], "nullable": true })
            } else {
                json!({ "$ref": reference(VARIABLES_SCHEMA) })
            };
            if let (Some(d), Some(obj)) = (deprecated, replacement.as_object_mut()) {
                obj.insert("deprecated".into(), d);
            }
            *prop = replacement;
            changes.push(format!(
                "{ptr}/properties/{}: inline -> {VARIABLES_SCHEMA}",
                esc(member)
            ));
        }
    });

    if changes.is_empty() {
        return changes;
    }
    if let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        let target = schemas
            .entry(VARIABLES_SCHEMA)
            .or_insert_with(|| json!({ "type": "object", "additionalProperties": true }));
        if !formers.is_empty()
            && let Some(obj) = target.as_object_mut()
        {
            let list = obj
                .entry(FORMER_NAMES)
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Some(list) = list.as_array_mut() {
                for former in formers {
                    if !list.iter().any(|v| v.as_str() == Some(&former)) {
                        list.push(Value::String(former));
                    }
                }
            }
        }
    }
    changes
}

/// Whether the generated spec has the shared component (so the build
/// replaces it and the `types` module re-exports the type).
pub fn has_variables(spec: &Value) -> bool {
    spec.pointer(&format!("/components/schemas/{VARIABLES_SCHEMA}"))
        .is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_form_members_share_one_component_and_bodies_stay() {
        let mut spec = json!({
            "paths": {"/list": {"post": {"operationId": "list",
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ListRequest"}}}}}}},
            "components": {"schemas": {
                "ListRequest": {"type": "object"},
                "JobCompletionRequestVariables": {"type": "object", "additionalProperties": true},
                "JobSearchResultCustomHeaders": {"type": "object", "additionalProperties": {"type": "string"}},
                "JobCompletionRequest": {"type": "object", "properties": {
                    "variables": {"allOf": [{"$ref": "#/components/schemas/JobCompletionRequestVariables"}], "nullable": true},
                    "headers": {"$ref": "#/components/schemas/JobSearchResultCustomHeaders"}
                }},
                "Other": {"type": "object", "properties": {
                    "vars": {"$ref": "#/components/schemas/JobCompletionRequestVariables"},
                    "value": {"type": "object"},
                    "old": {"type": "object", "additionalProperties": {}, "nullable": true, "deprecated": true},
                    "list": {"type": "array", "items": {"type": "object"}}
                }}
            }}
        });
        let changes = shared_variables(&mut spec);
        assert_eq!(changes.len(), 3, "{changes:?}");
        let at = |p: &str| spec.pointer(p).cloned();
        assert_eq!(
            at("/components/schemas/JobCompletionRequest/properties/variables"),
            Some(json!({"allOf": [{"$ref": "#/components/schemas/Variables"}], "nullable": true}))
        );
        assert_eq!(
            at("/components/schemas/Other/properties/vars"),
            Some(json!({"$ref": "#/components/schemas/Variables"}))
        );
        assert_eq!(
            at("/components/schemas/Other/properties/value"),
            Some(json!({"$ref": "#/components/schemas/Variables"}))
        );
        assert_eq!(
            at("/components/schemas/Other/properties/old"),
            Some(
                json!({"allOf": [{"$ref": "#/components/schemas/Variables"}], "nullable": true, "deprecated": true})
            )
        );
        // array items, string maps and a body of its own are not members
        assert_eq!(
            at("/components/schemas/Other/properties/list/items"),
            Some(json!({"type": "object"}))
        );
        assert!(at("/components/schemas/JobSearchResultCustomHeaders").is_some());
        assert!(at("/components/schemas/ListRequest").is_some());
        assert!(at("/components/schemas/JobCompletionRequestVariables").is_none());
        let aliases = crate::contract::type_names::aliases(&spec);
        assert_eq!(
            aliases,
            vec![(
                "JobCompletionRequestVariables".to_string(),
                "Variables".to_string()
            )]
        );
        assert!(has_variables(&spec));
        // idempotent
        assert!(shared_variables(&mut spec).is_empty());
    }

    #[test]
    fn an_existing_free_form_variables_component_is_kept_and_another_kind_is_left_alone() {
        let mut zeebe = json!({"components": {"schemas": {
            "Variables": {"type": "object", "additionalProperties": true},
            "Completion": {"type": "object", "properties": {
                "variables": {"type": "object", "additionalProperties": true, "nullable": true}}}
        }}});
        assert_eq!(shared_variables(&mut zeebe).len(), 1);
        assert_eq!(
            zeebe.pointer("/components/schemas/Variables"),
            Some(&json!({"type": "object", "additionalProperties": true}))
        );
        let mut taken = json!({"components": {"schemas": {
            "Variables": {"type": "object", "properties": {"a": {"type": "string"}}},
            "Completion": {"type": "object", "properties": {"variables": {"type": "object"}}}
        }}});
        let before = taken.clone();
        assert!(shared_variables(&mut taken).is_empty());
        assert_eq!(taken, before);
    }
}
