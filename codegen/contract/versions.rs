//! Members a newer Camunda release added to a schema.
//!
//! The v2 contract describes the newest release (8.10) while the same
//! client talks to 8.8 and 8.9 clusters too. It lists, per schema, the
//! release that added each member (`x-properties-added-in-version`), and
//! marks many of the newer ones `required`: an 8.8 cluster's job activation
//! answer, which has no `priority`, `jobLeaseToken` or `physicalTenantId`,
//! would not decode.

use serde_json::Value;

use crate::walk::visit_schemas;

/// The oldest release the generated clients serve: members added after it
/// may be missing.
pub const OLDEST_SERVED: (u32, u32) = (8, 8);

/// `"8.10"` as `(8, 10)`.
fn release(text: &str) -> Option<(u32, u32)> {
    let mut parts = text.split('.');
    let major = parts.next()?.trim().parse().ok()?;
    let minor = parts.next()?.trim().parse().ok()?;
    Some((major, minor))
}

/// Step `newer_members_optional`: a member listed in a schema's
/// `x-properties-added-in-version` with a release after
/// [`OLDEST_SERVED`] is removed from the schema's `required` list.
///
/// Why: the generated type then holds it as an `Option`, so answers from
/// every served release decode; on the newest release it is filled as
/// before. Members of 8.8 and earlier stay required, and so do a
/// discriminator tag and every member of a component that is a branch of
/// a `oneOf`/`anyOf` (the required members are what selects the branch:
/// `ProcessInstanceCreationInstructionByVersionTag` must keep requiring its
/// version tag).
pub fn newer_members_optional(spec: &mut Value) -> Vec<String> {
    let mut branches = Vec::new();
    union_branches(spec, &mut branches);
    let mut changes = Vec::new();
    visit_schemas(spec, &mut |schema, ptr, _| {
        // A union's branches are told apart by their required members.
        if branches.iter().any(|b| b == ptr) {
            return;
        }
        let Some(obj) = schema.as_object_mut() else {
            return;
        };
        let newer: Vec<String> = obj
            .get("x-properties-added-in-version")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|entry| {
                        let name = entry.get("propertyName")?.as_str()?;
                        let added = entry
                            .get("addedInVersion")
                            .or_else(|| entry.get("addedInVersionOverride"))?
                            .as_str()?;
                        (release(added)? > OLDEST_SERVED).then(|| name.to_string())
                    })
                    .collect()
            })
            .unwrap_or_default();
        // A discriminator tag (codegen/contract/unions.rs) stays required: it is
        // what tells the union's variants apart.
        let newer: Vec<String> = newer
            .into_iter()
            .filter(|name| {
                obj.get("properties")
                    .and_then(|p| p.get(name))
                    .is_none_or(|p| p.get("x-camunda8-tag").is_none())
            })
            .collect();
        if newer.is_empty() {
            return;
        }
        let Some(required) = obj.get_mut("required").and_then(Value::as_array_mut) else {
            return;
        };
        let before = required.len();
        required.retain(|member| {
            !member
                .as_str()
                .is_some_and(|m| newer.iter().any(|n| n == m))
        });
        let removed = before - required.len();
        if removed > 0 {
            changes.push(format!("{ptr}: {removed} newer member(s) optional"));
        }
        if required.is_empty() {
            obj.remove("required");
        }
    });
    changes
}

/// Pointers of the components referenced as branches of any `oneOf` or
/// `anyOf`.
fn union_branches(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(obj) => {
            for key in ["oneOf", "anyOf"] {
                for branch in obj.get(key).and_then(Value::as_array).into_iter().flatten() {
                    if let Some(target) = branch.get("$ref").and_then(Value::as_str)
                        && let Some(ptr) = target.strip_prefix('#')
                    {
                        out.push(ptr.to_string());
                    }
                }
            }
            for child in obj.values() {
                union_branches(child, out);
            }
        }
        Value::Array(list) => {
            for child in list {
                union_branches(child, out);
            }
        }
        _ => {}
    }
}
