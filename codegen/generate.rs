//! Running progenitor on a normalized spec and writing the formatted code.

use std::panic::{AssertUnwindSafe, catch_unwind};

use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use serde_json::Value;

use crate::enums::{self, EnumDef};
use crate::keys::{self, KeyDef};
use crate::normalize::Report;

/// Generates the formatted Rust module for `api` from a normalized spec.
///
/// `enum_defs` are written into the module's `types` and replace typify's
/// closed enums; the generated module must live at `crate::<api>`. Returns
/// the code and the report of the post-processing steps applied to it.
pub fn generate(
    api: &str,
    spec: Value,
    enum_defs: &[EnumDef],
    key_defs: &[KeyDef],
) -> Result<(String, Vec<Report>), String> {
    let has_secrets = spec
        .pointer(&format!(
            "/components/schemas/{}",
            crate::secrets::SECRET_SCHEMA
        ))
        .is_some();
    let facts = crate::facts::collect(api, &spec);
    let servers = crate::servers::collect(&spec).map_err(|e| format!("{api}: {e}"))?;
    let optional_bodies = crate::optional_body::collect(&spec);
    let item_facts = crate::docs::collect(&spec);
    let former_names = crate::names::aliases(&spec);
    let secrets = crate::error_type::secret_paths(&spec);
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
            crate::secrets::SECRET_SCHEMA,
            "crate::Secret",
            std::iter::empty(),
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
    let aliases: syn::File =
        syn::parse_str(&crate::names::render_aliases(&former_names, &existing))
            .map_err(|e| format!("{api}: rendered aliases do not parse: {e}"))?;
    types.1.extend(aliases.items);
    // A key type checks its values against the contract's pattern with
    // regress at run time; a pattern regress cannot compile fails here, at
    // generation, instead of leaving the key unchecked.
    for def in key_defs {
        if let Some(pattern) = &def.pattern {
            regress::Regex::new(pattern).map_err(|e| {
                format!(
                    "{api}: the pattern of {} ({pattern:?}) does not compile: {e}",
                    def.name
                )
            })?;
        }
    }
    if !key_defs.is_empty() {
        let keys: syn::File = syn::parse_str(&keys::render(api, key_defs))
            .map_err(|e| format!("{api}: rendered key types do not parse: {e}"))?;
        file.items.extend(keys.items);
    }
    let reports = vec![
        Report {
            name: "text_doc_examples",
            why: "progenitor's ```ignore usage examples are illustrations, not doctests: they become ```text",
            changes: text_doc_examples(&mut file.items),
        },
        Report {
            name: "no_api_version_header",
            why: "progenitor sends the contract's info.version as `api-version`, which Camunda's servers do not read: the header is not built (it cost a header map per request)",
            changes: no_api_version_header(&mut file.items),
        },
        Report {
            name: "no_empty_header_map",
            why: "an operation without header parameters builds no empty header map for reqwest to merge into the request's and drop (codegen/headers.rs)",
            changes: crate::headers::no_empty_header_map(&mut file),
        },
        Report {
            name: "url_from_parsed_base",
            why: "request URLs are built from the client's base URL parsed once (Inner::endpoint, src/call/url.rs) instead of a formatted string reqwest parses whole, host included, for every request (codegen/url.rs)",
            changes: crate::url::url_from_parsed_base(&mut file),
        },
        Report {
            name: "operation_servers",
            why: "an operation the contract serves on a server of its own (path- or operation-level `servers`) builds its URL on the client's base with the segments that differ replaced: the /cluster/v2/* operations drop the base's /v2 (codegen/servers.rs)",
            changes: crate::servers::operation_servers(&mut file, &servers),
        },
        Report {
            name: "decode_moves_headers",
            why: "answers are decoded by crate::call::decode::from_response, which takes the response's headers instead of copying them (progenitor's from_response copies the header map on every answer; codegen/decode.rs)",
            changes: crate::decode::decode_moves_headers(&mut file),
        },
        Report {
            name: "scoped_exchange",
            why: "each operation's request and raw result live in blocks that end before the next await, so the call's future keeps no room for them (an async fn keeps every borrowed local to the end of its scope; codegen/scope.rs)",
            changes: crate::scope::scoped_exchange(&mut file),
        },
        Report {
            name: "document_operations",
            why: "each method's rustdoc gets the contract's facts (version, consistency, codes, permissions, reference)",
            changes: crate::facts::document_operations(api, &mut file.items, &facts),
        },
        Report {
            name: "own_error_type",
            why: "every send() returns crate::ApiError (typed auth errors, server messages, redacted bodies; codegen/error_type.rs)",
            changes: crate::error_type::own_error_type_file(api, &mut file, &secrets)?,
        },
        Report {
            name: "request_builders_only",
            why: "typify's struct builders are kept for request bodies and the branches of union bodies; nested and received types are built with struct literals (codegen/builders.rs)",
            changes: crate::builders::request_builders_only(&mut file),
        },
        Report {
            name: "document_items",
            why: "every public item without rustdoc gets one from the contract's facts: members (JSON name, required, constraints, version), types (operations using them), builders, setters, parameters, union branches (codegen/docs.rs)",
            changes: crate::docs::document_items(&mut file, &item_facts),
        },
        Report {
            name: "optional_bodies",
            why: "a request body the contract does not require is an Option in the operation's builder: unset, `{}` is sent as Camunda's TypeScript client does; body_map starts from the builder's default (codegen/optional_body.rs)",
            changes: crate::optional_body::optional_bodies(&mut file, &optional_bodies)
                .map_err(|e| format!("{api}: {e}"))?,
        },
        Report {
            name: "absent_nullable_is_none",
            why: "a member required and nullable decodes as None when an answer leaves it out (servers and proxies drop nulls), not only when it is null; requests still send it (codegen/absent.rs)",
            changes: crate::absent::absent_nullable_is_none(&mut file),
        },
        Report {
            name: "setter_errors_say_why",
            why: "an operation builder's setter keeps the conversion's error (a key's reason, the pattern it missed) and names the type as a user writes it, not as spaced tokens (codegen/setter_errors.rs)",
            changes: crate::setter_errors::setter_errors_say_why(&mut file),
        },
    ];
    Ok((prettyplease::unparse(&file), reports))
}

/// Post-processing step `no_api_version_header`: in every function of the
/// generated code (recursively through modules and impl blocks), the
/// statement `header_map.append(HeaderName::from_static("api-version"), …)`
/// is removed, and the `HeaderMap::with_capacity(n)` that precedes it gets
/// `n - 1` (0 allocates nothing). Returns one line per function changed.
///
/// Why: progenitor adds the header to every request; Camunda's servers
/// ignore it, and building, merging and (in the hooks) removing it again
/// was a measurable share of the client's cost per request.
fn no_api_version_header(items: &mut [syn::Item]) -> Vec<String> {
    let mut changes = Vec::new();
    for item in items {
        match item {
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = m.content.as_mut() {
                    changes.extend(no_api_version_header(inner));
                }
            }
            syn::Item::Impl(i) => {
                let owner = match &*i.self_ty {
                    syn::Type::Path(p) => p
                        .path
                        .segments
                        .last()
                        .map(|s| s.ident.to_string())
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                for inner in &mut i.items {
                    if let syn::ImplItem::Fn(f) = inner
                        && drop_api_version(&mut f.block.stmts)
                    {
                        changes.push(format!("{owner}::{}", f.sig.ident));
                    }
                }
            }
            syn::Item::Fn(f) => {
                let changed = drop_api_version(&mut f.block.stmts);
                changes.extend(changed.then(|| f.sig.ident.to_string()));
            }
            _ => {}
        }
    }
    changes
}

/// Removes the `api-version` append from `stmts` and shrinks the header
/// map's capacity; whether it was there.
fn drop_api_version(stmts: &mut Vec<syn::Stmt>) -> bool {
    let before = stmts.len();
    stmts.retain(|stmt| !is_api_version_append(stmt));
    if stmts.len() == before {
        return false;
    }
    for stmt in stmts.iter_mut() {
        let syn::Stmt::Local(local) = stmt else {
            continue;
        };
        let Some(init) = local.init.as_mut() else {
            continue;
        };
        let syn::Expr::Call(call) = &mut *init.expr else {
            continue;
        };
        if !crate::headers::is_header_map_with_capacity(&call.func) {
            continue;
        }
        if let Some(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(n),
            ..
        })) = call.args.first_mut()
            && let Ok(value) = n.base10_parse::<usize>()
        {
            let left = value.saturating_sub(1);
            *n = syn::LitInt::new(&format!("{left}usize"), n.span());
            if left == 0 {
                // nothing is appended any more: the map stays empty
                local.attrs.push(syn::parse_quote!(#[allow(unused_mut)]));
            }
        }
    }
    true
}

/// `header_map.append(<…>::from_static("api-version"), …);`
fn is_api_version_append(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = stmt else {
        return false;
    };
    if call.method != "append" {
        return false;
    }
    let receiver_is_header_map = matches!(&*call.receiver, syn::Expr::Path(p)
        if p.path.is_ident("header_map"));
    let names_api_version = matches!(call.args.first(), Some(syn::Expr::Call(name))
        if matches!(name.args.first(), Some(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }))
            if s.value() == "api-version"));
    receiver_is_header_map && names_api_version
}

/// The fence progenitor opens its usage examples with.
const IGNORE_FENCE: &str = "```ignore";
/// The fence they get instead.
const TEXT_FENCE: &str = "```text";

/// Post-processing step `text_doc_examples`: in every doc comment of the
/// generated items (recursively: modules, impl blocks and their methods),
/// a code block opened with ```` ```ignore ```` is opened with
/// ```` ```text ```` instead. Returns one line per rewritten doc comment.
///
/// Why: progenitor documents each client method with a usage snippet in an
/// `ignore` block (it cannot know the crate's name, so the snippet cannot be
/// compiled). rustdoc still collects such blocks as doctests and
/// `cargo test` lists every one as "ignored", which hides real ignored
/// tests among dozens of illustrations. A `text` block renders the same
/// snippet and is not a doctest.
fn text_doc_examples(items: &mut [syn::Item]) -> Vec<String> {
    let mut changes = Vec::new();
    for item in items {
        match item {
            syn::Item::Mod(m) => {
                let name = m.ident.to_string();
                retext_attrs(&mut m.attrs, &name, &mut changes);
                if let Some((_, inner)) = m.content.as_mut() {
                    changes.extend(text_doc_examples(inner));
                }
            }
            syn::Item::Impl(i) => {
                for inner in &mut i.items {
                    if let syn::ImplItem::Fn(f) = inner {
                        let name = f.sig.ident.to_string();
                        retext_attrs(&mut f.attrs, &name, &mut changes);
                    }
                }
            }
            syn::Item::Fn(f) => {
                let name = f.sig.ident.to_string();
                retext_attrs(&mut f.attrs, &name, &mut changes);
            }
            syn::Item::Struct(s) => {
                let name = s.ident.to_string();
                retext_attrs(&mut s.attrs, &name, &mut changes);
            }
            syn::Item::Enum(e) => {
                let name = e.ident.to_string();
                retext_attrs(&mut e.attrs, &name, &mut changes);
            }
            syn::Item::Trait(t) => {
                let name = t.ident.to_string();
                retext_attrs(&mut t.attrs, &name, &mut changes);
                for inner in &mut t.items {
                    if let syn::TraitItem::Fn(f) = inner {
                        let name = format!("{}::{}", t.ident, f.sig.ident);
                        retext_attrs(&mut f.attrs, &name, &mut changes);
                    }
                }
            }
            _ => {}
        }
    }
    changes
}

/// Rewrites the `ignore` fences of the `#[doc = "…"]` attributes of `name`.
fn retext_attrs(attrs: &mut [syn::Attribute], name: &str, changes: &mut Vec<String>) {
    for attr in attrs {
        if !attr.path().is_ident("doc") {
            continue;
        }
        let syn::Meta::NameValue(nv) = &mut attr.meta else {
            continue;
        };
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) = &mut nv.value
        else {
            continue;
        };
        let old = text.value();
        let mut count = 0;
        let new: Vec<&str> = old
            .split('\n')
            .map(|line| {
                if line.trim() == IGNORE_FENCE {
                    count += 1;
                    TEXT_FENCE
                } else {
                    line
                }
            })
            .collect();
        if count > 0 {
            *text = syn::LitStr::new(&new.join("\n"), text.span());
            changes.push(format!(
                "{name}: {count} example block(s) ```ignore -> ```text"
            ));
        }
    }
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
