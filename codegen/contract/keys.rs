//! Typed keys and ids: one Rust newtype per custom string format.
//!
//! Camunda's v2 spec marks its identifiers with custom string formats
//! (`format: ProcessInstanceKey`, `format: JobKey`, `format: TenantId`, …),
//! declared once as a component of the same name and repeated inline on
//! most properties. The step [`semantic_keys`] points every such string at
//! the component named after its format, and [`render`] writes a newtype
//! for each component, which progenitor uses in place of `String`
//! (`with_replacement`). A format added in a later spec gets its type with
//! no hand edit. A `JobKey` can then not be passed where a
//! `ProcessInstanceKey` is expected, and a key returned by one call is
//! accepted by the next as it is.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::walk::{esc, visit_schemas};
use crate::words::pascal;

/// Formats with a standard meaning (OpenAPI, JSON Schema, or common
/// practice); they keep their usual mapping.
const STANDARD: [&str; 19] = [
    "date-time",
    "date",
    "time",
    "duration",
    "uuid",
    "int32",
    "int64",
    "float",
    "double",
    "byte",
    "binary",
    "password",
    "email",
    "uri",
    "uri-reference",
    "hostname",
    "ipv4",
    "ipv6",
    "base64",
];

/// One key type: its component name and the constraints it checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyDef {
    /// Component (and Rust type) name, e.g. `ProcessInstanceKey`.
    pub name: String,
    /// The format as the spec spells it (`BatchOperationKey | uuid`).
    pub format: String,
    /// `pattern`, when the spec gives one.
    pub pattern: Option<String>,
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
}

/// The type name a custom `format` stands for, or `None` for a standard
/// format or one that does not name a type (`string<Tag>[]`).
///
/// `BatchOperationKey | uuid` (a key that may also be a UUID) names
/// `BatchOperationKey`.
pub fn key_name(format: &str) -> Option<String> {
    let first = format.split('|').next().unwrap_or("").trim();
    if STANDARD.contains(&first) || first.is_empty() {
        return None;
    }
    if !first.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    if !first.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    Some(pascal(first))
}

/// Whether `schema` is a string that a key type stands for: `type: string`
/// (or no type), a key format, no `enum`.
fn key_format(schema: &Value) -> Option<(String, String)> {
    let obj = schema.as_object()?;
    if obj.contains_key("enum") || obj.contains_key("$ref") {
        return None;
    }
    match obj.get("type").and_then(Value::as_str) {
        Some("string") | None => {}
        _ => return None,
    }
    let format = obj.get("format")?.as_str()?;
    Some((key_name(format)?, format.to_string()))
}

/// The constraints of a key schema (what the component keeps).
fn constraints(schema: &Value, format: &str) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), json!("string"));
    out.insert("format".into(), json!(format));
    for key in ["pattern", "minLength", "maxLength"] {
        if let Some(v) = schema.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    Value::Object(out)
}

/// Step `semantic_keys`: every string schema with a custom format `F`
/// becomes a reference to the component `F` (created from the first use if
/// the spec has none), keeping `nullable` at the use site; each such
/// component is reduced to its wire constraints (type, format, pattern,
/// length). The components are the key types ([`collect`]).
///
/// Why: progenitor can replace a named component with our own type, not an
/// inline schema; the inline copies are the same identifier and must have
/// the same type. A use whose pattern differs from the component's is
/// reported (the component's constraints are checked).
pub fn semantic_keys(spec: &mut Value) -> Vec<String> {
    let mut changes = Vec::new();
    // Components first: they define each type's constraints.
    let mut defs: BTreeMap<String, Value> = BTreeMap::new();
    if let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in schemas.iter_mut() {
            if let Some((key, format)) = key_format(schema)
                && key == pascal(name)
            {
                let reduced = constraints(schema, &format);
                if *schema != reduced {
                    *schema = reduced.clone();
                }
                defs.insert(name.clone(), reduced);
            }
        }
    }
    // Components that repeat a key's format under another name
    // (`ProcessInstanceKeyExactMatch`) are aliases of the key type.
    let aliases: Vec<(String, String)> = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| {
            schemas
                .iter()
                .filter_map(|(name, schema)| {
                    let (key, _) = key_format(schema)?;
                    (key != pascal(name) && defs.contains_key(&key)).then(|| (name.clone(), key))
                })
                .collect()
        })
        .unwrap_or_default();
    for (alias, key) in &aliases {
        let from = format!("#/components/schemas/{alias}");
        let to = format!("#/components/schemas/{key}");
        let n = crate::walk::rename_refs(spec, &from, &to);
        if let Some(schemas) = spec
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
        {
            schemas.remove(alias);
        }
        changes.push(format!(
            "/components/schemas/{}: alias of {key}, removed; {n} reference(s) now point at {key}",
            esc(alias)
        ));
    }
    let mut created: BTreeMap<String, Value> = BTreeMap::new();
    let mut rewritten = 0usize;
    visit_schemas(spec, &mut |schema, ptr, _| {
        let is_component = ptr
            .strip_prefix("/components/schemas/")
            .is_some_and(|rest| !rest.contains('/'));
        if is_component {
            return;
        }
        let Some((key, format)) = key_format(schema) else {
            return;
        };
        let own = constraints(schema, &format);
        match defs.get(&key).or_else(|| created.get(&key)) {
            Some(def) => {
                if def.get("pattern") != own.get("pattern") {
                    changes.push(format!(
                        "{ptr}: pattern {} differs from {key}'s; {key}'s is checked",
                        own.get("pattern").map_or("(none)".into(), Value::to_string)
                    ));
                }
            }
            None => {
                created.insert(key.clone(), own);
            }
        }
        let target = format!("#/components/schemas/{key}");
        let nullable = schema.get("nullable") == Some(&Value::Bool(true));
        *schema = if nullable {
            json!({ "allOf": [{ "$ref": target }], "nullable": true })
        } else {
            json!({ "$ref": target })
        };
        rewritten += 1;
    });
    if let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in &created {
            changes.push(format!("/components/schemas/{}: created", esc(name)));
            schemas.insert(name.clone(), schema.clone());
        }
    }
    if rewritten > 0 {
        changes.push(format!(
            "{rewritten} inline identifier(s) now reference their key type"
        ));
    }
    changes
}

/// The key types of a normalized spec: its components that are strings
/// with a custom format naming them.
pub fn collect(spec: &Value) -> Vec<KeyDef> {
    let Some(schemas) = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    schemas
        .iter()
        .filter_map(|(name, schema)| {
            let (key, format) = key_format(schema)?;
            (key == pascal(name)).then(|| KeyDef {
                name: key,
                format,
                pattern: schema
                    .get("pattern")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                min_length: schema.get("minLength").and_then(Value::as_u64),
                max_length: schema.get("maxLength").and_then(Value::as_u64),
            })
        })
        .collect()
}

/// The pattern of Camunda's numeric keys, checked without a regex.
const NUMERIC: &str = "^-?[0-9]+$";

/// Rust source of the `keys` module: one newtype per key type, plus the
/// shared error type.
pub fn render(api: &str, defs: &[KeyDef]) -> String {
    let mut s = String::new();
    s.push_str(
        r#"/// Typed keys and ids of this API, one type per identifier format of the
/// contract. Each holds the identifier as the server sends it (a string),
/// is checked against the contract's pattern and length when built or
/// decoded, and cannot be mixed up with another kind of identifier.
pub mod keys {
    /// An identifier that does not match its type's constraints.
    #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
    #[error("invalid {kind}: {reason} (got {shown})")]
    pub struct InvalidKey {
        /// The key type, e.g. `ProcessInstanceKey`.
        pub kind: &'static str,
        /// What is wrong.
        pub reason: &'static str,
        /// The rejected value, shortened to 64 characters.
        pub shown: ::std::string::String,
    }

    fn invalid(kind: &'static str, reason: &'static str, value: &str) -> InvalidKey {
        let mut shown: ::std::string::String = value.chars().take(64).collect();
        if value.chars().nth(64).is_some() {
            shown.push('…');
        }
        InvalidKey { kind, reason, shown: format!("{shown:?}") }
    }

    fn numeric(value: &str) -> bool {
        let digits = value.strip_prefix('-').unwrap_or(value);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    }
"#,
    );
    for def in defs {
        render_one(api, def, &mut s);
    }
    s.push_str("}\n");
    s
}

fn render_one(api: &str, def: &KeyDef, s: &mut String) {
    let KeyDef {
        name,
        format,
        pattern,
        min_length,
        max_length,
    } = def;
    let mut checks = String::new();
    let mut rules = Vec::new();
    if let Some(min) = min_length {
        checks.push_str(&format!(
            "if value.chars().count() < {min} {{ return Err(invalid({name:?}, \"shorter than {min} characters\", &value)); }}\n"
        ));
        rules.push(format!("at least {min} characters"));
    }
    if let Some(max) = max_length {
        checks.push_str(&format!(
            "if value.chars().count() > {max} {{ return Err(invalid({name:?}, \"longer than {max} characters\", &value)); }}\n"
        ));
        rules.push(format!("at most {max} characters"));
    }
    let numeric = pattern.as_deref() == Some(NUMERIC);
    match pattern.as_deref() {
        Some(NUMERIC) => {
            checks.push_str(&format!(
                "if !numeric(&value) {{ return Err(invalid({name:?}, \"not a decimal number\", &value)); }}\n"
            ));
            rules.push("a decimal number".to_string());
        }
        // Checked with regex-lite where it agrees with ECMAScript on the
        // pattern (codegen/post/patterns.rs); otherwise only the server
        // checks it.
        Some(p) if crate::post::patterns::unsupported(p).is_some() => {
            rules.push(format!(
                "the pattern `{}` (checked by the server only)",
                p.replace('`', "'")
            ));
        }
        Some(p) => {
            checks.push_str(&format!(
                "static PATTERN: ::std::sync::LazyLock<Option<regex_lite::Regex>> = ::std::sync::LazyLock::new(|| regex_lite::Regex::new({p:?}).ok());\n\
                 if let Some(re) = PATTERN.as_ref() && re.find(&value).is_none() {{ return Err(invalid({name:?}, \"does not match the pattern\", &value)); }}\n"
            ));
            rules.push(format!("matching `{}`", p.replace('`', "'")));
        }
        None => {}
    }
    let rules = if rules.is_empty() {
        "any string".to_string()
    } else {
        rules.join(", ")
    };
    let from_int = if numeric {
        format!(
            "impl ::std::convert::From<i64> for {name} {{\n\
             fn from(value: i64) -> Self {{ Self(value.to_string()) }}\n}}\n"
        )
    } else {
        String::new()
    };
    // A key whose contract accepts any string is built with `From` (no
    // `Result` to unwrap); `TryFrom`, which the builders' setters use, then
    // comes with `Infallible` from the standard library's blanket impl.
    let conversions = if checks.is_empty() {
        format!(
            r#"impl ::std::convert::From<::std::string::String> for {name} {{
        fn from(value: ::std::string::String) -> Self {{
            Self(value)
        }}
    }}

    impl ::std::convert::From<&str> for {name} {{
        fn from(value: &str) -> Self {{
            Self(value.to_string())
        }}
    }}

    impl ::std::convert::From<&::std::string::String> for {name} {{
        fn from(value: &::std::string::String) -> Self {{
            Self(value.clone())
        }}
    }}
"#
        )
    } else {
        format!(
            r#"    impl ::std::convert::TryFrom<::std::string::String> for {name} {{
        type Error = InvalidKey;
        fn try_from(value: ::std::string::String) -> Result<Self, InvalidKey> {{
            Self::new(value)
        }}
    }}

    impl ::std::convert::TryFrom<&str> for {name} {{
        type Error = InvalidKey;
        fn try_from(value: &str) -> Result<Self, InvalidKey> {{
            Self::new(value)
        }}
    }}

    impl ::std::convert::TryFrom<&::std::string::String> for {name} {{
        type Error = InvalidKey;
        fn try_from(value: &::std::string::String) -> Result<Self, InvalidKey> {{
            Self::new(value.as_str())
        }}
    }}
"#
        )
    };
    s.push_str(&format!(
        r#"
    /// An identifier of format `{format}` in the `{api}` contract: {rules}.
    ///
    /// Serializes as a plain JSON string. Build one with
    /// [`new`](Self::new), `parse()`{numeric_note}, or take it from a
    /// response.
    #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
    #[serde(transparent)]
    pub struct {name}(::std::string::String);

    impl {name} {{
        /// Checks `value` against this type's constraints.
        pub fn new(value: impl Into<::std::string::String>) -> Result<Self, InvalidKey> {{
            let value = value.into();
            {checks}
            Ok(Self(value))
        }}
        /// The identifier as sent on the wire.
        pub fn as_str(&self) -> &str {{
            &self.0
        }}
        /// The identifier as an owned string.
        pub fn into_string(self) -> ::std::string::String {{
            self.0
        }}
    }}

    impl ::std::fmt::Display for {name} {{
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {{
            f.write_str(&self.0)
        }}
    }}

    impl ::std::str::FromStr for {name} {{
        type Err = InvalidKey;
        fn from_str(value: &str) -> Result<Self, InvalidKey> {{
            Self::new(value)
        }}
    }}

    {conversions}
    impl ::std::convert::From<&{name}> for {name} {{
        fn from(value: &{name}) -> Self {{
            value.clone()
        }}
    }}

    impl ::std::convert::From<{name}> for ::std::string::String {{
        fn from(value: {name}) -> Self {{
            value.0
        }}
    }}

    impl ::std::convert::AsRef<str> for {name} {{
        fn as_ref(&self) -> &str {{
            &self.0
        }}
    }}

    impl ::std::borrow::Borrow<str> for {name} {{
        fn borrow(&self) -> &str {{
            &self.0
        }}
    }}

    {from_int}

    impl<'de> serde::Deserialize<'de> for {name} {{
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {{
            let value = <::std::string::String as serde::Deserialize>::deserialize(deserializer)?;
            Self::new(value).map_err(serde::de::Error::custom)
        }}
    }}
"#,
        numeric_note = if numeric {
            ", `From<i64>`"
        } else if checks.is_empty() {
            ", `From<&str>`, `From<String>`"
        } else {
            ""
        },
    ));
}
