//! Forward-compatible string enums.
//!
//! typify turns a string enum into a closed Rust enum: one value a newer
//! Camunda release adds (a new incident type, a new cluster status) makes
//! the whole response undecodable. Instead, every string enum becomes a
//! named component ([`hoist_inline_enums`]) and, for each, the build writes
//! a Rust enum with the known values plus `Unknown(String)` ([`render`]),
//! which progenitor uses in place of its own (`with_replacement`). Known
//! values stay typed; an unknown one is kept verbatim and serializes back
//! unchanged.

use serde_json::{Value, json};

use crate::contract::schemas::{string_enum, unique_name};
use crate::walk::visit_schemas;
use crate::words::pascal;

/// Step `hoist_inline_enums`: moves every inline string enum to
/// `components/schemas` under the name typify would have given it
/// (`<Parent><Prop>`, `<Parent><Prop>Item`, …) and references it.
///
/// Why: type replacement works on named components only. A `nullable`
/// inline enum is referenced as `allOf: [$ref]` with `nullable: true`
/// (siblings of a bare `$ref` are ignored in OpenAPI 3.0).
pub fn hoist_inline_enums(spec: &mut Value) -> Vec<String> {
    let mut changes = Vec::new();
    let mut hoisted: Vec<(String, Value)> = Vec::new();
    let mut taken = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    visit_schemas(spec, &mut |schema, ptr, hint| {
        let is_component = ptr
            .strip_prefix("/components/schemas/")
            .is_some_and(|rest| !rest.contains('/'));
        if is_component || string_enum(schema).is_none() {
            return;
        }
        let name = unique_name(&taken, &pascal(hint));
        taken.insert(name.clone(), Value::Null);
        let target = format!("#/components/schemas/{name}");
        let mut moved = std::mem::take(schema);
        let nullable = moved
            .as_object_mut()
            .and_then(|o| o.remove("nullable"))
            .is_some_and(|v| v == Value::Bool(true));
        *schema = if nullable {
            json!({ "allOf": [{ "$ref": target }], "nullable": true })
        } else {
            json!({ "$ref": target })
        };
        changes.push(format!("{ptr} -> {name}"));
        hoisted.push((name, moved));
    });
    if !hoisted.is_empty()
        && let Some(schemas) = spec
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
    {
        for (name, schema) in hoisted {
            schemas.insert(name, schema);
        }
    }
    changes
}

/// A string enum component and the Rust enum written for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumDef {
    /// Component name in the spec (and the key of typify's replacement).
    pub name: String,
    /// Rust type name.
    pub rust: String,
    /// Known wire values, in spec order, with their variant names.
    pub variants: Vec<(String, String)>,
}

/// Every string-enum component of `spec` (after [`hoist_inline_enums`]).
pub fn collect(spec: &Value) -> Vec<EnumDef> {
    let Some(schemas) = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    schemas
        .iter()
        .filter_map(|(name, schema)| {
            let values = string_enum(schema)?;
            Some(EnumDef {
                name: name.clone(),
                rust: pascal(name),
                variants: variant_names(&values),
            })
        })
        .collect()
}

/// Variant names for wire values: PascalCase words; `Value<N>` when a value
/// has no letters or digits; a clash with the catch-all `Unknown` or with an
/// earlier variant gets a `Value` suffix (e.g. Operate's `UNKNOWN` incident
/// type becomes `UnknownValue`).
fn variant_names(values: &[String]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let mut name = pascal(value);
        if name.is_empty() {
            name = format!("Value{i}");
        }
        if name.starts_with(|c: char| c.is_ascii_digit()) {
            name = format!("V{name}");
        }
        while name == "Unknown" || out.iter().any(|(_, n)| *n == name) {
            name.push_str("Value");
        }
        out.push((value.clone(), name));
    }
    out
}

/// Rust source of the enums, for the generated module's `types`.
pub fn render(defs: &[EnumDef]) -> String {
    let mut s = String::new();
    for def in defs {
        render_one(def, &mut s);
    }
    s
}

fn render_one(def: &EnumDef, s: &mut String) {
    let EnumDef {
        name,
        rust,
        variants,
    } = def;
    let lit = |v: &str| format!("{v:?}");
    s.push_str(&format!(
        "/// Values of `{name}`. Values this client does not know yet decode as\n\
         /// [`{rust}::Unknown`], so a newer server cannot break decoding.\n\
         #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]\n\
         pub enum {rust} {{\n"
    ));
    for (value, variant) in variants {
        s.push_str(&format!(
            "    /// `{}`\n    {variant},\n",
            value.replace('`', "'")
        ));
    }
    s.push_str(
        "    /// A value not known when this client was generated (kept verbatim).\n    Unknown(::std::string::String),\n}\n",
    );
    let arms_to: String = variants
        .iter()
        .map(|(v, n)| format!("Self::{n} => {},", lit(v)))
        .collect();
    let arms_from: String = variants
        .iter()
        .map(|(v, n)| format!("{} => Self::{n},", lit(v)))
        .collect();
    s.push_str(&format!(
        r#"impl {rust} {{
    /// The wire value.
    pub fn as_str(&self) -> &str {{
        match self {{ {arms_to} Self::Unknown(other) => other.as_str(), }}
    }}
    /// Whether this is a value the client was not generated with.
    pub fn is_unknown(&self) -> bool {{
        matches!(self, Self::Unknown(_))
    }}
}}
impl ::std::convert::From<&str> for {rust} {{
    fn from(value: &str) -> Self {{
        match value {{ {arms_from} other => Self::Unknown(other.to_string()), }}
    }}
}}
impl ::std::convert::From<::std::string::String> for {rust} {{
    fn from(value: ::std::string::String) -> Self {{
        Self::from(value.as_str())
    }}
}}
impl ::std::str::FromStr for {rust} {{
    type Err = ::std::convert::Infallible;
    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {{
        Ok(Self::from(value))
    }}
}}
impl ::std::fmt::Display for {rust} {{
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {{
        f.write_str(self.as_str())
    }}
}}
impl ::serde::Serialize for {rust} {{
    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {{
        serializer.serialize_str(self.as_str())
    }}
}}
impl<'de> ::serde::Deserialize<'de> for {rust} {{
    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {{
        let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
        Ok(Self::from(value))
    }}
}}
"#
    ));
}
