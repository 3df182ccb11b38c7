//! Post-processing step `document_items`: every public generated item gets
//! rustdoc, written from the contract's facts and in the project's words.
//!
//! The contracts carry no prose (Camunda's descriptions are not ours to
//! copy), so typify and progenitor leave most fields, setters, union
//! branches and builders undocumented. This step fills exactly the items
//! that have no doc yet:
//! - a member of a request or response type: its JSON name, whether it is
//!   required, and what the contract constrains (format, pattern, length,
//!   range, values, default, nullability, the Camunda version that added
//!   it, deprecation);
//! - a type: which operations send or return it (components only);
//! - a type's builder, its setters and `X::builder()`;
//! - an operation builder's `new`, parameter setters (with the parameter's
//!   place and constraints), `body` and `body_map` (the way to fill a
//!   request body without spelling out every optional member);
//! - a branch of a union: which form of the value it holds.
//!
//! With it, the generated modules compile under `#![deny(missing_docs)]`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::walk::resolve;
use crate::words::{pascal, snake};

/// What the contract says about the members of each component and the
/// parameters and bodies of each operation.
#[derive(Default)]
pub struct Facts {
    /// component type name → JSON member → doc sentence.
    members: BTreeMap<String, BTreeMap<String, String>>,
    /// component type name → operations that send / return it.
    uses: BTreeMap<String, Vec<String>>,
    /// operation builder name → parameter method name → doc sentence.
    params: BTreeMap<String, BTreeMap<String, String>>,
}

/// Collects the facts from the normalized spec.
pub fn collect(spec: &Value) -> Facts {
    let mut facts = Facts::default();
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (name, schema) in &schemas {
        let mut members = BTreeMap::new();
        collect_members(spec, schema, &mut members, 0);
        facts.members.insert(pascal(name), members);
    }
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return facts;
    };
    for item in paths.values() {
        let Some(item) = item.as_object() else {
            continue;
        };
        let shared: Vec<Value> = item
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (method, op) in item {
            if !matches!(
                method.as_str(),
                "get" | "put" | "post" | "delete" | "patch" | "head" | "options"
            ) {
                continue;
            }
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let method_name = snake(id);
            let mut params = BTreeMap::new();
            let own = op
                .get("parameters")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for p in shared.iter().chain(own.iter()) {
                let p = resolve(spec, p);
                let Some(wire) = p.get("name").and_then(Value::as_str) else {
                    continue;
                };
                let place = p.get("in").and_then(Value::as_str).unwrap_or("request");
                let required = p.get("required").and_then(Value::as_bool) == Some(true);
                let schema = p
                    .get("schema")
                    .map(|s| resolve(spec, s))
                    .unwrap_or(&Value::Null);
                let mut text = format!(
                    "Sets the `{wire}` {place} parameter ({}).",
                    if required { "required" } else { "optional" }
                );
                let constraints = constraints(schema);
                if !constraints.is_empty() {
                    text.push_str(&format!(" {constraints}"));
                }
                params.insert(snake(wire), text);
            }
            facts.params.insert(pascal(&method_name), params);
            let link = format!("[`Client::{method_name}`](super::Client::{method_name})");
            let mut uses = vec![(
                component_at(op, "/requestBody/content/application~1json/schema/$ref"),
                "sent",
            )];
            if let Some(responses) = op.get("responses").and_then(Value::as_object) {
                uses.extend(
                    responses
                        .iter()
                        .filter(|(code, _)| code.starts_with('2'))
                        .map(|(_, r)| {
                            (
                                component_at(r, "/content/application~1json/schema/$ref"),
                                "returned",
                            )
                        }),
                );
            }
            for (component, how) in uses {
                if let Some(component) = component {
                    facts
                        .uses
                        .entry(pascal(component))
                        .or_default()
                        .push(format!("{how} by {link}"));
                }
            }
        }
    }
    facts
}

/// The component a `$ref` at `pointer` under `value` names.
fn component_at<'a>(value: &'a Value, pointer: &str) -> Option<&'a str> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
}

/// The members of `schema` (its `properties` and those of its `allOf`
/// parts) with a doc sentence each.
fn collect_members(spec: &Value, schema: &Value, out: &mut BTreeMap<String, String>, depth: usize) {
    if depth > 8 {
        return;
    }
    let schema = resolve(spec, schema);
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        for part in parts {
            collect_members(spec, part, out, depth + 1);
        }
    }
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let added: BTreeMap<&str, &str> = schema
        .get("x-properties-added-in-version")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|e| {
                    let name = e.get("propertyName")?.as_str()?;
                    let version = e
                        .get("addedInVersion")
                        .or_else(|| e.get("addedInVersionOverride"))?
                        .as_str()?;
                    Some((name, version))
                })
                .collect()
        })
        .unwrap_or_default();
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (wire, prop) in props {
        let mut text = format!(
            "JSON member `{wire}` ({}).",
            if required.contains(&wire.as_str()) {
                "required"
            } else {
                "optional"
            }
        );
        let c = constraints(resolve(spec, prop));
        if !c.is_empty() {
            text.push_str(&format!(" {c}"));
        }
        if let Some(version) = added.get(wire.as_str()) {
            text.push_str(&format!(" Added in Camunda {version}."));
        }
        out.insert(wire.clone(), text);
    }
}

/// The constraints a schema states, as one or more sentences.
fn constraints(schema: &Value) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(format) = schema.get("format").and_then(Value::as_str) {
        parts.push(format!("format `{format}`"));
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        parts.push(format!("pattern `{}`", pattern.replace('`', "'")));
    }
    let bound = |low: &str, high: &str, what: &str| -> Option<String> {
        let lo = schema.get(low).filter(|v| !v.is_null());
        let hi = schema.get(high).filter(|v| !v.is_null());
        match (lo, hi) {
            (Some(lo), Some(hi)) => Some(format!("{what} {lo} to {hi}")),
            (Some(lo), None) => Some(format!("{what} at least {lo}")),
            (None, Some(hi)) => Some(format!("{what} at most {hi}")),
            (None, None) => None,
        }
    };
    parts.extend(bound("minLength", "maxLength", "length"));
    parts.extend(bound("minimum", "maximum", "value"));
    parts.extend(bound("minItems", "maxItems", "items"));
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let shown: Vec<String> = values
            .iter()
            .take(12)
            .map(|v| match v.as_str() {
                Some(s) => format!("`{s}`"),
                None => format!("`{v}`"),
            })
            .collect();
        let more = values.len().saturating_sub(shown.len());
        let tail = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        parts.push(format!("values {}{tail}", shown.join(", ")));
    }
    if let Some(default) = schema.get("default") {
        parts.push(format!("default `{default}`"));
    }
    if schema.get("nullable").and_then(Value::as_bool) == Some(true) {
        parts.push("may be `null`".into());
    }
    let mut text = String::new();
    if !parts.is_empty() {
        let mut joined = parts.join("; ");
        if let Some(first) = joined.get(..1) {
            joined = first.to_uppercase() + &joined[1..];
        }
        text = format!("{joined}.");
    }
    if schema.get("deprecated").and_then(Value::as_bool) == Some(true) {
        text.push_str(if text.is_empty() {
            "Deprecated by the contract."
        } else {
            " Deprecated by the contract."
        });
    }
    text
}

fn has_doc(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("doc"))
}

fn add_doc(attrs: &mut Vec<syn::Attribute>, text: &str) {
    attrs.push(syn::parse_quote!(#[doc = #text]));
}

/// The JSON name of a field: its `#[serde(rename = "…")]`, else its name.
fn wire_name(field: &syn::Field) -> String {
    for attr in &field.attrs {
        if !attr.path().is_ident("serde") {
            continue;
        }
        let mut found = None;
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                found = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
        if let Some(name) = found {
            return name;
        }
    }
    field
        .ident
        .as_ref()
        .map(|i| i.to_string().trim_start_matches("r#").to_string())
        .unwrap_or_default()
}

/// Post-processing step `document_items` (see the module docs). Returns
/// one line per kind of item with the number documented.
pub fn document_items(file: &mut syn::File, facts: &Facts) -> Vec<String> {
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for item in &mut file.items {
        let syn::Item::Mod(m) = item else {
            continue;
        };
        let Some((_, inner)) = m.content.as_mut() else {
            continue;
        };
        if m.ident == "types" {
            document_types(inner, facts, &mut counts);
        } else if m.ident == "builder" {
            document_operation_builders(inner, facts, &mut counts);
        }
    }
    counts
        .into_iter()
        .map(|(kind, n)| format!("{kind}: {n} documented"))
        .collect()
}

fn document_types(
    items: &mut [syn::Item],
    facts: &Facts,
    counts: &mut BTreeMap<&'static str, usize>,
) {
    let used_in = containers(items);
    for item in items {
        match item {
            syn::Item::Struct(s) => {
                let name = s.ident.to_string();
                if let Some(uses) = facts.uses.get(&name) {
                    let text = format!("\n\nIn the API: {}.", uses.join("; "));
                    add_doc(&mut s.attrs, &text);
                    *counts.entry("type uses").or_default() += 1;
                } else if let Some(text) = used_in_text(used_in.get(&name)) {
                    add_doc(&mut s.attrs, &text);
                    *counts.entry("type uses").or_default() += 1;
                }
                if !has_doc(&s.attrs) {
                    add_doc(&mut s.attrs, &format!("The `{name}` type of the contract."));
                    *counts.entry("types").or_default() += 1;
                }
                let members = facts.members.get(&name);
                for field in s.fields.iter_mut() {
                    if has_doc(&field.attrs) || !matches!(field.vis, syn::Visibility::Public(_)) {
                        continue;
                    }
                    let wire = wire_name(field);
                    let text = members
                        .and_then(|m| m.get(&wire))
                        .cloned()
                        .unwrap_or_else(|| format!("JSON member `{wire}`."));
                    add_doc(&mut field.attrs, &text);
                    *counts.entry("members").or_default() += 1;
                }
            }
            syn::Item::Enum(e) => {
                if !has_doc(&e.attrs) {
                    add_doc(
                        &mut e.attrs,
                        &format!("The `{}` type of the contract.", e.ident),
                    );
                    *counts.entry("types").or_default() += 1;
                }
                let owner = e.ident.to_string();
                let text = facts
                    .uses
                    .get(&owner)
                    .map(|uses| format!("\n\nIn the API: {}.", uses.join("; ")))
                    .or_else(|| used_in_text(used_in.get(&owner)));
                if let Some(text) = text {
                    add_doc(&mut e.attrs, &text);
                    *counts.entry("type uses").or_default() += 1;
                }
                for variant in e.variants.iter_mut() {
                    for field in variant.fields.iter_mut() {
                        if field.ident.is_some() && !has_doc(&field.attrs) {
                            let text = format!("JSON member `{}`.", wire_name(field));
                            add_doc(&mut field.attrs, &text);
                            *counts.entry("members").or_default() += 1;
                        }
                    }
                    if has_doc(&variant.attrs) {
                        continue;
                    }
                    let text = match &variant.fields {
                        syn::Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                            format!("The `{}` branch of a `{owner}`.", variant.ident)
                        }
                        _ => format!("`{}`.", variant.ident),
                    };
                    add_doc(&mut variant.attrs, &text);
                    *counts.entry("union branches and variants").or_default() += 1;
                }
            }
            syn::Item::Impl(block) if block.trait_.is_none() => {
                let owner = crate::items::last_ident(&block.self_ty).unwrap_or_default();
                for inner in &mut block.items {
                    let syn::ImplItem::Fn(f) = inner else {
                        continue;
                    };
                    if has_doc(&f.attrs) || !matches!(f.vis, syn::Visibility::Public(_)) {
                        continue;
                    }
                    let text = if f.sig.ident == "builder" {
                        format!(
                            "A builder for a `{owner}`, every member unset: set members with \
                             its methods, then convert with `try_into()` (an unset required \
                             member is an error then)."
                        )
                    } else {
                        format!("`{owner}::{}`.", f.sig.ident)
                    };
                    add_doc(&mut f.attrs, &text);
                    *counts.entry("associated functions").or_default() += 1;
                }
            }
            syn::Item::Mod(m) if m.ident == "builder" => {
                if let Some((_, inner)) = m.content.as_mut() {
                    document_type_builders(inner, counts);
                }
            }
            _ => {}
        }
    }
}

/// For each struct and enum of `types`, the structs and enums whose
/// members or branches name it.
fn containers(items: &[syn::Item]) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (owner, used) in crate::items::mentions(items) {
        for name in used {
            out.entry(name).or_default().insert(owner.clone());
        }
    }
    out
}

/// "Used in [`A`], [`B`] …" (at most eight named).
fn used_in_text(owners: Option<&BTreeSet<String>>) -> Option<String> {
    let owners = owners.filter(|o| !o.is_empty())?;
    let shown: Vec<String> = owners.iter().take(8).map(|o| format!("[`{o}`]")).collect();
    let more = owners.len().saturating_sub(shown.len());
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    Some(format!("\n\nUsed in {}{tail}.", shown.join(", ")))
}

fn document_type_builders(items: &mut [syn::Item], counts: &mut BTreeMap<&'static str, usize>) {
    for item in items {
        match item {
            syn::Item::Struct(s) if !has_doc(&s.attrs) => {
                let name = s.ident.to_string();
                add_doc(
                    &mut s.attrs,
                    &format!(
                        "Builder of a [`{name}`](super::{name}): from \
                         [`{name}::builder()`](super::{name}::builder) or `Default`, a setter per \
                         member, then `try_into()`."
                    ),
                );
                *counts.entry("type builders").or_default() += 1;
            }
            syn::Item::Impl(block) if block.trait_.is_none() => {
                let owner = crate::items::last_ident(&block.self_ty).unwrap_or_default();
                for inner in &mut block.items {
                    let syn::ImplItem::Fn(f) = inner else {
                        continue;
                    };
                    if has_doc(&f.attrs) || !matches!(f.vis, syn::Visibility::Public(_)) {
                        continue;
                    }
                    let member = f.sig.ident.to_string();
                    let member = member.trim_start_matches("r#");
                    add_doc(
                        &mut f.attrs,
                        &format!(
                            "Sets [`{member}`](super::{owner}::{member}) (any value that \
                             converts into the member's type)."
                        ),
                    );
                    *counts.entry("type builder setters").or_default() += 1;
                }
            }
            _ => {}
        }
    }
}

fn document_operation_builders(
    items: &mut [syn::Item],
    facts: &Facts,
    counts: &mut BTreeMap<&'static str, usize>,
) {
    for item in items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        if block.trait_.is_some() {
            continue;
        }
        let owner = crate::items::last_ident(&block.self_ty).unwrap_or_default();
        let params = facts.params.get(&owner);
        for inner in &mut block.items {
            let syn::ImplItem::Fn(f) = inner else {
                continue;
            };
            if has_doc(&f.attrs) || !matches!(f.vis, syn::Visibility::Public(_)) {
                continue;
            }
            let name = f.sig.ident.to_string();
            let text = match name.as_str() {
                "new" => format!(
                    "A `{owner}` request for `client`, nothing set yet (the client's method \
                     of the same name does this)."
                ),
                "body" => "Sets the whole request body: a value of the body type, or its \
                           builder. To set only some members, use `body_map`."
                    .to_string(),
                "body_map" => "Changes the request body through its builder, e.g. \
                               `.body_map(|b| b.member(value))`: members not set keep their \
                               defaults (optional ones stay unset)."
                    .to_string(),
                other => params
                    .and_then(|p| p.get(other.trim_start_matches("r#")))
                    .cloned()
                    .unwrap_or_else(|| format!("Sets `{other}`.")),
            };
            add_doc(&mut f.attrs, &text);
            *counts.entry("operation builder methods").or_default() += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn members_get_their_constraints_and_everything_gets_a_doc() {
        let spec = serde_json::json!({
            "paths": {"/things/search": {"post": {
                "operationId": "searchThings",
                "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}}],
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ThingQuery"}}}},
                "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ThingResult"}}}}}
            }}},
            "components": {"schemas": {
                "ThingQuery": {"type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 10},
                    "state": {"type": "string", "enum": ["A", "B"], "default": "A"}
                }, "x-properties-added-in-version": [{"propertyName": "state", "addedInVersion": "8.9"}]},
                "ThingResult": {"type": "object", "properties": {"items": {"type": "array"}}}
            }}
        });
        let facts = collect(&spec);
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct ThingQuery {
                    pub name: String,
                    #[serde(default, rename = "state")]
                    pub state_value: Option<String>,
                }
                /// Already documented.
                pub struct ThingResult { pub items: Vec<i64> }
                pub enum Either { A(ThingQuery), B(Nested) }
                pub struct Nested { pub x: i64 }
                impl ThingQuery { pub fn builder() -> builder::ThingQuery { todo!() } }
                pub mod builder {
                    pub struct ThingQuery { name: Result<String, String> }
                    impl ThingQuery { pub fn name<T>(self, value: T) -> Self { self } }
                }
            }
            pub mod builder {
                pub struct SearchThings<'a> { client: &'a super::Client }
                impl<'a> SearchThings<'a> {
                    pub fn new(client: &'a super::Client) -> Self { todo!() }
                    pub fn limit<V>(self, value: V) -> Self { self }
                    pub fn body_map<F>(self, f: F) -> Self { self }
                }
            }
        };
        let changes = document_items(&mut file, &facts);
        assert!(!changes.is_empty());
        let text = file.to_token_stream().to_string();
        for expected in [
            "JSON member `name` (required). Pattern `^[a-z]+$`; length at most 10.",
            "JSON member `state` (optional). Values `A`, `B`; default `\\\"A\\\"`. Added in Camunda 8.9.",
            "sent by [`Client::search_things`](super::Client::search_things)",
            "returned by [`Client::search_things`]",
            "Already documented.",
            "Used in [`Either`].",
            "The `A` branch of a `Either`.",
            "A builder for a `ThingQuery`",
            "Builder of a [`ThingQuery`](super::ThingQuery)",
            "Sets [`name`](super::ThingQuery::name)",
            "Sets the `limit` query parameter (optional). Value 1 to 100.",
            "Changes the request body through its builder",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in {text}");
        }
    }
}
