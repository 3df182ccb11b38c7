//! Type names a user can guess: steps that rename or hoist schemas before
//! typify names them, and the deprecated aliases that keep former names
//! compiling.
//!
//! typify names a component after the component and an inline schema after
//! where it sits (`IpAllowListBodyIpallowlistItem`), and the contracts'
//! own names are sometimes those of the server's classes (`PostMemberBody`
//! for the body of `UpdateMembers`, `Error` for a problem body). The steps:
//! - [`request_type_names`]: a component named `…Body` that serves as one
//!   operation's request body and nothing else is named after the
//!   operation: `<Operation>Request` (`UpdateMembersRequest`);
//! - [`array_item_names`]: the inline item schema (object or enum) of an
//!   array member of a component becomes a component named after the
//!   component and the member in the singular (`ClusterClientPermission`,
//!   `ClusterIpAllowlistEntry`); identical item schemas share one type;
//! - [`problem_type_names`]: the problem body named `Error` is
//!   `ProblemDetail`, as in the other APIs;
//! - [`filter_types`]: a search's `filter` that reuses a result type
//!   (Operate: `QueryProcessInstance.filter: ProcessInstance`) gets a type of
//!   its own, `<Result>Filter`, with every member optional.
//!
//! A renamed or hoisted type records the names typify gave it before, in
//! the extension [`FORMER_NAMES`]; generation adds a deprecated alias for
//! each, so code written against an earlier version still compiles (with a
//! warning naming the new type).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use crate::contract::schemas::unique_name;
use crate::walk::visit_operations;
use crate::words::{pascal, words};

/// The extension on a component listing the Rust names it had before.
pub const FORMER_NAMES: &str = "x-camunda8-former-names";

/// Lower-case compounds in member names that the word splitter cannot
/// see, and their words.
const COMPOUNDS: [(&str, &str); 2] = [
    ("ipallowlist", "IpAllowlist"),
    ("ipwhitelist", "IpWhitelist"),
];

fn schemas(spec: &Value) -> Map<String, Value> {
    spec.pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

fn schemas_mut(spec: &mut Value) -> Option<&mut Map<String, Value>> {
    spec.pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
}

fn reference(name: &str) -> String {
    format!("#/components/schemas/{name}")
}

/// Every `$ref` in `value`, counted.
fn count_refs(value: &Value, out: &mut BTreeMap<String, usize>) {
    match value {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                *out.entry(r.to_string()).or_default() += 1;
            }
            map.values().for_each(|v| count_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| count_refs(v, out)),
        _ => {}
    }
}

/// Adds `former` to the former names of component `name`.
fn remember(schema: &mut Value, former: &str) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    let list = obj
        .entry(FORMER_NAMES)
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Some(list) = list.as_array_mut()
        && !list.iter().any(|v| v.as_str() == Some(former))
    {
        list.push(Value::String(former.to_string()));
    }
}

/// Renames component `old` to `new` (references follow) and records the
/// Rust name it had.
fn rename(spec: &mut Value, old: &str, new: &str) {
    let Some(map) = schemas_mut(spec) else {
        return;
    };
    let Some(mut schema) = map.remove(old) else {
        return;
    };
    remember(&mut schema, &pascal(old));
    map.insert(new.to_string(), schema);
    crate::walk::rename_refs(spec, &reference(old), &reference(new));
}

/// Step `request_type_names` (see the module docs).
pub fn request_type_names(spec: &mut Value) -> Vec<String> {
    let mut refs = BTreeMap::new();
    count_refs(spec, &mut refs);
    let mut bodies: Vec<(String, String)> = Vec::new(); // (component, operation)
    visit_operations(spec, &mut |op, _, _, _| {
        let Some(id) = op.get("operationId").and_then(Value::as_str) else {
            return;
        };
        if let Some(name) = op
            .pointer("/requestBody/content/application~1json/schema/$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
        {
            bodies.push((name.to_string(), pascal(id)));
        }
    });
    let mut changes = Vec::new();
    for (component, operation) in bodies {
        if !component.ends_with("Body") || refs.get(&reference(&component)) != Some(&1) {
            continue;
        }
        let taken = schemas(spec);
        let new = unique_name(&taken, &format!("{operation}Request"));
        rename(spec, &component, &new);
        changes.push(format!(
            "{component}: the body of {operation} only -> {new}"
        ));
    }
    changes
}

/// The singular of a member name in PascalCase, for the type of its items.
fn item_name(member: &str) -> String {
    let lower = member.to_ascii_lowercase();
    if let Some((_, words)) = COMPOUNDS.iter().find(|(c, _)| *c == lower) {
        return format!("{words}Entry");
    }
    let mut parts: Vec<String> = words(member).iter().map(|w| pascal(w)).collect();
    let Some(last) = parts.pop() else {
        return "Entry".into();
    };
    let singular = if let Some(stem) = last.strip_suffix("ies") {
        format!("{stem}y")
    } else if last.ends_with("ss") || last.ends_with("us") || !last.ends_with('s') || last.len() < 3
    {
        format!("{last}Entry")
    } else {
        last[..last.len() - 1].to_string()
    };
    parts.push(singular);
    parts.concat()
}

/// Whether typify makes a type of this inline schema (an object with
/// members, or a string enum).
fn makes_type(schema: &Value) -> bool {
    schema.get("$ref").is_none()
        && (schema.get("properties").is_some() || schema.get("enum").is_some())
}

/// Step `array_item_names` (see the module docs). Repeats until no
/// component has an inline item schema left, so nested arrays are named
/// too (`ParametersRegion` → `ParametersRegionBackup`).
pub fn array_item_names(spec: &mut Value) -> Vec<String> {
    let mut changes = Vec::new();
    for _ in 0..8 {
        let mut found: Vec<(String, String)> = Vec::new(); // (component, member)
        for (name, schema) in schemas(spec) {
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                for (member, prop) in props {
                    let is_array = prop.get("type").and_then(Value::as_str) == Some("array");
                    if is_array && prop.get("items").is_some_and(makes_type) {
                        found.push((name.clone(), member.clone()));
                    }
                }
            }
        }
        if found.is_empty() {
            break;
        }
        for (component, member) in found {
            let Some(map) = schemas_mut(spec) else {
                return changes;
            };
            let Some(items) = map
                .get_mut(&component)
                .and_then(|c| c.pointer_mut(&format!("/properties/{member}/items")))
            else {
                continue;
            };
            let moved = std::mem::replace(items, Value::Null);
            // What typify called it: after the component's former name.
            let parent_former = map
                .get(&component)
                .and_then(|c| c.get(FORMER_NAMES))
                .and_then(Value::as_array)
                .and_then(|l| l.first())
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| pascal(&component));
            let former = format!("{parent_former}{}Item", pascal(&member));
            let identical = map
                .iter()
                .find(|(_, s)| strip_former(s) == moved)
                .map(|(n, _)| n.clone());
            let target = match identical {
                Some(existing) => existing,
                None => {
                    let new = unique_name(
                        map,
                        &format!("{}{}", pascal(&component), item_name(&member)),
                    );
                    map.insert(new.clone(), moved);
                    new
                }
            };
            if let Some(schema) = map.get_mut(&target) {
                remember(schema, &former);
            }
            if let Some(items) = map
                .get_mut(&component)
                .and_then(|c| c.pointer_mut(&format!("/properties/{member}/items")))
            {
                *items = json!({ "$ref": reference(&target) });
            }
            changes.push(format!("{component}.{member}[]: {former} -> {target}"));
        }
    }
    changes
}

/// Step `shared_enums`: string enums with the same values are one type.
///
/// Why: the Orchestration Cluster API repeats each enum inline wherever it
/// is used (a result member, a filter's exact match, the `$eq`/`$neq`/`$in`
/// members of an advanced filter), and each copy became a type of its own:
/// 238 enums for 100 value sets, so an `AuditLogActorTypeEnum` read from a
/// result could not be compared with the `AdvancedActorTypeFilterEq` a
/// filter wanted, and the copies were about 12,000 lines to compile. The
/// type kept is the contract's `…Enum` component when there is one, else
/// the shortest name outside the advanced filters; the others become its
/// deprecated aliases.
pub fn shared_enums(spec: &mut Value) -> Vec<String> {
    let mut groups: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
    for (name, schema) in schemas(spec) {
        if let Some(mut values) = crate::contract::schemas::string_enum(&schema) {
            values.sort();
            groups.entry(values).or_default().push(name);
        }
    }
    let mut changes = Vec::new();
    for (_, mut names) in groups {
        if names.len() < 2 {
            continue;
        }
        names.sort_by_key(|n| {
            (
                !n.ends_with("Enum"),
                n.starts_with("Advanced") || n.contains("Filter"),
                n.len(),
                n.clone(),
            )
        });
        let keep = names[0].clone();
        for other in &names[1..] {
            let Some(map) = schemas_mut(spec) else {
                return changes;
            };
            let Some(removed) = map.remove(other) else {
                continue;
            };
            let mut formers = vec![pascal(other)];
            if let Some(list) = removed.get(FORMER_NAMES).and_then(Value::as_array) {
                formers.extend(list.iter().filter_map(Value::as_str).map(str::to_string));
            }
            if let Some(kept) = map.get_mut(&keep) {
                for former in &formers {
                    remember(kept, former);
                }
            }
            crate::walk::rename_refs(spec, &reference(other), &reference(&keep));
            changes.push(format!("{other} -> {keep}"));
        }
    }
    changes
}

/// The `oneOf`/`anyOf` of a schema, canonically, if it has one.
fn union_key(schema: &Value) -> Option<String> {
    let obj = schema.as_object()?;
    let mut key = Map::new();
    for k in ["oneOf", "anyOf"] {
        if let Some(v) = obj.get(k) {
            key.insert(k.to_string(), v.clone());
        }
    }
    (!key.is_empty()).then(|| Value::Object(key).to_string())
}

/// Step `shared_unions`: a member whose schema is an inline `oneOf`/`anyOf`
/// identical to a component's references that component.
///
/// Why: the Orchestration Cluster API's bundled file repeats its filter
/// unions inline in every filter (`StringFilterProperty`, an exact string or
/// an advanced string filter, 240 times; 669 inline unions of 59 shapes, 57
/// of them components), and typify made a distinct type of each copy:
/// `ProcessInstanceSearchQueryFilterProcessDefinitionId`,
/// `JobFilterWorker`, … — hundreds of identical enums with their
/// conversions and untagged decoders, a value of one not accepted where
/// another was expected, and about a sixth of the crate's compile time.
/// Members keep their `deprecated` flag; the copy's former name (component
/// + member) stays a deprecated alias.
pub fn shared_unions(spec: &mut Value) -> Vec<String> {
    let map = schemas(spec);
    let mut components: BTreeMap<String, String> = BTreeMap::new();
    for (name, schema) in &map {
        if schema.get("properties").is_none()
            && let Some(key) = union_key(schema)
        {
            components.entry(key).or_insert_with(|| name.clone());
        }
    }
    if components.is_empty() {
        return Vec::new();
    }
    let mut changes = Vec::new();
    let mut formers: Vec<(String, String)> = Vec::new(); // (component, former)
    let Some(all) = schemas_mut(spec) else {
        return changes;
    };
    for (name, schema) in all.iter_mut() {
        replace_unions(
            schema,
            &components,
            &pascal(name),
            true,
            &mut |target, former, here| {
                changes.push(format!("{name}{here} -> {target}"));
                if let Some(former) = former {
                    formers.push((target.to_string(), former));
                }
            },
        );
    }
    for (target, former) in formers {
        if let Some(schema) = all.get_mut(&target) {
            remember(schema, &former);
        }
    }
    changes
}

/// Replaces the member schemas under `schema` that equal a component's
/// union; `top`: members of the component itself (their typify name is
/// known: component + member).
fn replace_unions(
    schema: &mut Value,
    components: &BTreeMap<String, String>,
    owner: &str,
    top: bool,
    found: &mut dyn FnMut(&str, Option<String>, String),
) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
        for (member, prop) in props.iter_mut() {
            if let Some(target) = union_key(prop).and_then(|k| components.get(&k)) {
                let mut replacement = Map::new();
                replacement.insert("$ref".into(), Value::String(reference(target)));
                if let Some(d) = prop.get("deprecated") {
                    replacement.insert("deprecated".into(), d.clone());
                }
                *prop = Value::Object(replacement);
                let former = top.then(|| format!("{owner}{}", pascal(member)));
                found(target, former, format!(".{member}"));
            } else {
                replace_unions(prop, components, owner, false, found);
            }
        }
    }
    for key in ["allOf", "items", "additionalProperties"] {
        match obj.get_mut(key) {
            Some(Value::Array(parts)) => {
                for part in parts {
                    replace_unions(part, components, owner, top && key == "allOf", found);
                }
            }
            Some(v @ Value::Object(_)) => replace_unions(v, components, owner, false, found),
            _ => {}
        }
    }
}

/// A schema without the former-names extension (to compare item schemas).
fn strip_former(schema: &Value) -> Value {
    let mut copy = schema.clone();
    if let Some(obj) = copy.as_object_mut() {
        obj.remove(FORMER_NAMES);
    }
    copy
}

/// Step `problem_type_names` (see the module docs).
pub fn problem_type_names(spec: &mut Value) -> Vec<String> {
    let map = schemas(spec);
    if !map.contains_key("Error") {
        return Vec::new();
    }
    let new = unique_name(&map, "ProblemDetail");
    rename(spec, "Error", &new);
    vec![format!("Error: the problem body -> {new}")]
}

/// Step `filter_types` (see the module docs).
pub fn filter_types(spec: &mut Value) -> Vec<String> {
    let map = schemas(spec);
    let mut targets: BTreeSet<String> = BTreeSet::new();
    for schema in map.values() {
        if let Some(target) = schema
            .pointer("/properties/filter/$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
        {
            targets.insert(target.to_string());
        }
    }
    let mut refs = BTreeMap::new();
    count_refs(spec, &mut refs);
    let mut changes = Vec::new();
    for target in targets {
        let filters = map
            .values()
            .filter(|s| {
                s.pointer("/properties/filter/$ref").and_then(Value::as_str)
                    == Some(reference(&target).as_str())
            })
            .count();
        // Only a type that is also something else (a result) is split.
        if refs.get(&reference(&target)).copied().unwrap_or(0) <= filters {
            continue;
        }
        let Some(mut filter) = map.get(&target).cloned() else {
            continue;
        };
        if let Some(obj) = filter.as_object_mut() {
            obj.remove("required");
            obj.remove(FORMER_NAMES);
        }
        let Some(all) = schemas_mut(spec) else {
            break;
        };
        let new = unique_name(all, &format!("{}Filter", pascal(&target)));
        all.insert(new.clone(), filter);
        for schema in all.values_mut() {
            if let Some(r) = schema.pointer_mut("/properties/filter/$ref")
                && r.as_str() == Some(reference(&target).as_str())
            {
                *r = Value::String(reference(&new));
            }
        }
        changes.push(format!(
            "{target}: used as a search filter too -> {new} for filters"
        ));
    }
    changes
}

/// `(former, current)` Rust names from the components' extension, for the
/// deprecated aliases.
pub fn aliases(spec: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, schema) in schemas(spec) {
        if let Some(list) = schema.get(FORMER_NAMES).and_then(Value::as_array) {
            for former in list.iter().filter_map(Value::as_str) {
                if former != pascal(&name) {
                    out.push((former.to_string(), pascal(&name)));
                }
            }
        }
    }
    out
}

/// The deprecated aliases as Rust items for the `types` module, skipping
/// any former name that is still a type's name.
pub fn render_aliases(aliases: &[(String, String)], existing: &BTreeSet<String>) -> String {
    let mut out = String::new();
    for (former, current) in aliases {
        if existing.contains(former) {
            continue;
        }
        out.push_str(&format!(
            "/// Former name of [`{current}`].\n\
             #[deprecated(note = \"renamed to `{current}`\")]\n\
             pub type {former} = {current};\n"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Value {
        json!({
            "paths": {
                "/members": {"post": {"operationId": "UpdateMembers",
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/PostMemberBody"}}}},
                    "responses": {"400": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}},
                "/items/search": {"post": {"operationId": "searchItems",
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/QueryItem"}}}},
                    "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}}}}}
            },
            "components": {"schemas": {
                "PostMemberBody": {"type": "object", "properties": {
                    "permissions": {"type": "array", "items": {"type": "string", "enum": ["A", "B"]}},
                    "ipallowlist": {"type": "array", "items": {"type": "object", "properties": {"ip": {"type": "string"}}}}
                }},
                "Client": {"type": "object", "properties": {
                    "permissions": {"type": "array", "items": {"type": "string", "enum": ["A", "B"]}},
                    "regions": {"type": "array", "items": {"type": "object", "properties": {
                        "backups": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}}}}}
                }},
                "Error": {"type": "object", "properties": {"message": {"type": "string"}}},
                "QueryItem": {"type": "object", "properties": {"filter": {"$ref": "#/components/schemas/Item"}}},
                "Item": {"type": "object", "required": ["key"], "properties": {"key": {"type": "string"}}}
            }}
        })
    }

    #[test]
    fn bodies_items_problems_and_filters_get_guessable_names() {
        let mut spec = spec();
        assert_eq!(request_type_names(&mut spec).len(), 1);
        array_item_names(&mut spec);
        assert_eq!(problem_type_names(&mut spec).len(), 1);
        assert_eq!(filter_types(&mut spec).len(), 1);
        let names: BTreeSet<String> = schemas(&spec).keys().cloned().collect();
        for expected in [
            "UpdateMembersRequest",
            "ClientPermission",
            "ClientRegion",
            "ClientRegionBackup",
            "UpdateMembersRequestIpAllowlistEntry",
            "ProblemDetail",
            "ItemFilter",
        ] {
            assert!(
                names.contains(expected),
                "{expected} missing from {names:?}"
            );
        }
        assert!(!names.contains("PostMemberBody") && !names.contains("Error"));
        // identical item enums share one type
        assert!(
            !names.contains("UpdateMembersRequestPermission"),
            "{names:?}"
        );
        assert_eq!(
            spec.pointer(
                "/components/schemas/UpdateMembersRequest/properties/permissions/items/$ref"
            ),
            Some(&json!("#/components/schemas/ClientPermission"))
        );
        // the filter is a copy without required members; the result keeps them
        assert!(
            spec.pointer("/components/schemas/ItemFilter/required")
                .is_none()
        );
        assert!(spec.pointer("/components/schemas/Item/required").is_some());
        assert_eq!(
            spec.pointer(
                "/paths/~1members/post/responses/400/content/application~1json/schema/$ref"
            ),
            Some(&json!("#/components/schemas/ProblemDetail"))
        );
        let aliases = aliases(&spec);
        for (former, current) in [
            ("PostMemberBody", "UpdateMembersRequest"),
            ("PostMemberBodyPermissionsItem", "ClientPermission"),
            ("ClientPermissionsItem", "ClientPermission"),
            ("ClientRegionsItem", "ClientRegion"),
            ("Error", "ProblemDetail"),
        ] {
            assert!(
                aliases.contains(&(former.to_string(), current.to_string())),
                "{former} -> {current} missing from {aliases:?}"
            );
        }
        let rendered = render_aliases(&aliases, &BTreeSet::new());
        assert!(rendered.contains("pub type PostMemberBody = UpdateMembersRequest;"));
    }

    #[test]
    fn identical_enums_are_one_type() {
        let mut spec = json!({"components": {"schemas": {
            "ActorTypeEnum": {"type": "string", "enum": ["USER", "CLIENT"]},
            "AdvancedActorTypeFilterEq": {"type": "string", "enum": ["CLIENT", "USER"]},
            "AuditLogResultActorType": {"type": "string", "enum": ["USER", "CLIENT"]},
            "Other": {"type": "string", "enum": ["USER"]},
            "Filter": {"type": "object", "properties": {
                "eq": {"$ref": "#/components/schemas/AdvancedActorTypeFilterEq"}}}
        }}});
        let changes = shared_enums(&mut spec);
        assert_eq!(changes.len(), 2, "{changes:?}");
        let names: BTreeSet<String> = schemas(&spec).keys().cloned().collect();
        assert!(names.contains("ActorTypeEnum") && names.contains("Other"));
        assert!(!names.contains("AdvancedActorTypeFilterEq"));
        assert_eq!(
            spec.pointer("/components/schemas/Filter/properties/eq/$ref"),
            Some(&json!("#/components/schemas/ActorTypeEnum"))
        );
        let aliases = aliases(&spec);
        assert!(aliases.contains(&(
            "AdvancedActorTypeFilterEq".to_string(),
            "ActorTypeEnum".to_string()
        )));
    }

    #[test]
    fn inline_unions_equal_to_a_component_reference_it() {
        let union = json!({"oneOf": [
            {"$ref": "#/components/schemas/Exact"},
            {"$ref": "#/components/schemas/Advanced"}]});
        let mut spec = json!({"components": {"schemas": {
            "StringFilterProperty": union.clone(),
            "Exact": {"type": "string"},
            "Advanced": {"type": "object", "properties": {"$eq": {"type": "string"}}},
            "JobFilter": {"type": "object", "properties": {
                "worker": union.clone(),
                "old": {"deprecated": true, "oneOf": union["oneOf"].clone()},
                "other": {"oneOf": [{"type": "string"}, {"type": "integer"}]}
            }},
            "Query": {"allOf": [{"type": "object", "properties": {"w": union.clone()}}]}
        }}});
        let changes = shared_unions(&mut spec);
        assert_eq!(changes.len(), 3, "{changes:?}");
        assert_eq!(
            spec.pointer("/components/schemas/JobFilter/properties/worker"),
            Some(&json!({"$ref": "#/components/schemas/StringFilterProperty"}))
        );
        assert_eq!(
            spec.pointer("/components/schemas/JobFilter/properties/old"),
            Some(&json!({"$ref": "#/components/schemas/StringFilterProperty", "deprecated": true}))
        );
        assert!(
            spec.pointer("/components/schemas/JobFilter/properties/other/oneOf")
                .is_some()
        );
        assert_eq!(
            spec.pointer("/components/schemas/Query/allOf/0/properties/w/$ref"),
            Some(&json!("#/components/schemas/StringFilterProperty"))
        );
        let aliases = aliases(&spec);
        assert!(aliases.contains(&("JobFilterWorker".into(), "StringFilterProperty".into())));
        assert!(aliases.contains(&("QueryW".into(), "StringFilterProperty".into())));
    }

    #[test]
    fn singulars() {
        assert_eq!(item_name("permissions"), "Permission");
        assert_eq!(item_name("allowedGenerations"), "AllowedGeneration");
        assert_eq!(item_name("policies"), "Policy");
        assert_eq!(item_name("ipallowlist"), "IpAllowlistEntry");
        assert_eq!(item_name("status"), "StatusEntry");
    }
}
