//! Running progenitor on a normalized spec and writing the formatted code,
//! with the header that lists what every step changed.

use std::panic::{AssertUnwindSafe, catch_unwind};

use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use serde_json::Value;

use crate::contract::enums::{self, EnumDef};
use crate::contract::keys::{self, KeyDef};

/// Generates the formatted Rust module for `api` from a normalized spec.
///
/// `enum_defs` are written into the module's `types` and replace typify's
/// closed enums; the generated module must live at `crate::<api>`. Returns
/// the code and the report of the post-processing steps (`codegen/post/`)
/// applied to it.
pub fn generate(
    api: &str,
    spec: Value,
    enum_defs: &[EnumDef],
    key_defs: &[KeyDef],
) -> Result<(String, Vec<Report>), String> {
    let has_secrets = spec
        .pointer(&format!(
            "/components/schemas/{}",
            crate::contract::secrets::SECRET_SCHEMA
        ))
        .is_some();
    let has_variables = crate::contract::variables::has_variables(&spec);
    let inputs = crate::post::Inputs::collect(api, &spec)?;
    let former_names = crate::contract::type_names::aliases(&spec);
    let spec: openapiv3::OpenAPI = serde_json::from_value(spec)
        .map_err(|e| format!("{api}: the normalized spec is not OpenAPI 3.0: {e}"))?;
    let inner: proc_macro2::TokenStream = "crate::hooks::Inner"
        .parse()
        .map_err(|e| format!("inner type: {e}"))?;
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_inner_type(inner)
        .with_hooks(HooksMode::Expected);
    for def in enum_defs {
        settings.with_replacement(
            &def.rust,
            format!("crate::{api}::types::{}", def.rust),
            [TypeImpl::FromStr, TypeImpl::Display].into_iter(),
        );
    }
    for def in key_defs {
        settings.with_replacement(
            &def.name,
            format!("crate::{api}::keys::{}", def.name),
            [TypeImpl::FromStr, TypeImpl::Display].into_iter(),
        );
    }
    if has_secrets {
        settings.with_replacement(
            crate::contract::secrets::SECRET_SCHEMA,
            "crate::Secret",
            std::iter::empty(),
        );
    }
    if has_variables {
        settings.with_replacement(
            crate::contract::variables::VARIABLES_SCHEMA,
            crate::contract::variables::VARIABLES_TYPE,
            [TypeImpl::Default].into_iter(),
        );
    }
    let tokens = catch_unwind(AssertUnwindSafe(|| {
        Generator::new(&settings).generate_tokens(&spec)
    }))
    .map_err(|panic| {
        let msg = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        format!("{api}: progenitor panicked: {msg}")
    })?
    .map_err(|e| format!("{api}: progenitor failed: {e}"))?;
    let mut file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("{api}: generated tokens do not parse: {e}"))?;
    let extra: syn::File = syn::parse_str(&enums::render(enum_defs))
        .map_err(|e| format!("{api}: rendered enums do not parse: {e}"))?;
    let types = file
        .items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut(),
            _ => None,
        })
        .ok_or_else(|| format!("{api}: generated code has no `types` module"))?;
    types.1.extend(extra.items);
    let existing: std::collections::BTreeSet<String> = types
        .1
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            syn::Item::Type(t) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect();
    let aliases: syn::File = syn::parse_str(&crate::contract::type_names::render_aliases(
        &former_names,
        &existing,
    ))
    .map_err(|e| format!("{api}: rendered aliases do not parse: {e}"))?;
    types.1.extend(aliases.items);
    if has_variables {
        types.1.push(crate::post::variables_setters::reexport());
    }
    if !key_defs.is_empty() {
        let keys: syn::File = syn::parse_str(&keys::render(api, key_defs))
            .map_err(|e| format!("{api}: rendered key types do not parse: {e}"))?;
        file.items.extend(keys.items);
    }
    let reports = crate::post::post_process(&mut file, &inputs)?;
    Ok((prettyplease::unparse(&file), reports))
}

/// What one step (contract or post-processing) changed.
pub struct Report {
    /// The step's name.
    pub name: &'static str,
    /// The step's one-line reason.
    pub why: &'static str,
    /// One line per change (JSON pointer or item, and what happened).
    pub changes: Vec<String>,
}

/// The comment heading a generated file: source and every step's changes.
///
/// `fingerprints`: the lines tying the file to its contract and generator
/// (see `fingerprint.rs`); the crate's build script reads them.
pub fn header(api: &str, source: &str, fingerprints: &str, reports: &[Report]) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "// @generated by camunda8-codegen (codegen/) from {source} — do not edit.\n\
         {fingerprints}\
         // Client for the `{api}` API: progenitor 0.15 (builder interface, merged tags, hooks),\n\
         // after these normalization steps and, last, post-processing of the code (codegen/):\n"
    ));
    for report in reports {
        s.push_str(&format!(
            "//\n// {} — {}: {} change(s)\n",
            report.name,
            report.why,
            report.changes.len()
        ));
        for change in &report.changes {
            s.push_str(&format!("//   {change}\n"));
        }
    }
    s.push('\n');
    s
}
