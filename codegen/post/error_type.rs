//! Post-processing step `own_error_type`: every request builder's `send()`
//! returns the crate's [`ApiError`](../src/api_error.rs) instead of
//! progenitor's `Error<E>`.
//!
//! Why: progenitor's error cannot carry the typed authentication error (its
//! hooks may only fail with `Custom(String)`), drops the body of error
//! responses the contract declares without a type (the Administration API's
//! messages), knows neither the request's URL after a retry nor the attempt
//! count, and prints undecodable bodies whole, secrets included.
//!
//! How: in each builder (`impl` block with an `async fn send(self) ->
//! Result<ResponseValue<T>, Error<E>>`), progenitor's `send` is renamed to a
//! private `send_raw`, and a new public `send` with the same documentation
//! runs it inside `crate::call::run`, which maps the error with what the
//! phases recorded (`src/call/record.rs`, `src/call/error.rs`). The new `send` also passes the places
//! where the operation's contract holds secret values (fields that the step
//! `secret_fields` made `SecretString`, in any response of the operation),
//! so that a body kept in an error is redacted there even where the key
//! does not name a secret (a map of connector secrets).
//!
//! The operation of a builder is found from progenitor's doc line "Sends a
//! `METHOD` request to `/path`"; a `send` whose operation or signature is
//! not recognised fails the build rather than keep progenitor's error.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::contract::secrets::SECRET_SCHEMA;
use crate::walk::resolve;

/// Secret locations per operation, keyed by (upper-case method, path).
pub type SecretPaths = BTreeMap<(String, String), Vec<String>>;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The secret locations in the responses of every operation of `spec` (a
/// normalized spec, after `secret_fields`): JSON-pointer-like patterns with
/// `*` for any array index or map key, `""` for the whole body.
pub fn secret_paths(spec: &Value) -> SecretPaths {
    let mut all = SecretPaths::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return all;
    };
    for (path, item) in paths {
        for method in METHODS {
            let Some(responses) = item
                .pointer(&format!("/{method}/responses"))
                .and_then(Value::as_object)
            else {
                continue;
            };
            let mut found = BTreeSet::new();
            for response in responses.values() {
                let response = resolve(spec, response);
                let Some(content) = response.get("content").and_then(Value::as_object) else {
                    continue;
                };
                for media in content.values() {
                    if let Some(schema) = media.get("schema") {
                        collect(spec, schema, String::new(), &mut Vec::new(), &mut found);
                    }
                }
            }
            if !found.is_empty() {
                all.insert(
                    (method.to_uppercase(), path.clone()),
                    found.into_iter().collect(),
                );
            }
        }
    }
    all
}

fn collect(
    spec: &Value,
    schema: &Value,
    at: String,
    refs: &mut Vec<String>,
    found: &mut BTreeSet<String>,
) {
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        if target.rsplit('/').next() == Some(SECRET_SCHEMA) {
            found.insert(at);
            return;
        }
        if refs.iter().any(|r| r == target) {
            return;
        }
        let Some(resolved) = target.strip_prefix('#').and_then(|p| spec.pointer(p)) else {
            return;
        };
        refs.push(target.to_string());
        collect(spec, resolved, at, refs, found);
        refs.pop();
        return;
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for branch in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            collect(spec, branch, at.clone(), refs, found);
        }
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            let escaped = name.replace('~', "~0").replace('/', "~1");
            collect(spec, prop, format!("{at}/{escaped}"), refs, found);
        }
    }
    if let Some(items) = schema.get("items") {
        collect(spec, items, format!("{at}/*"), refs, found);
    }
    if let Some(values) = schema.get("additionalProperties").filter(|v| v.is_object()) {
        collect(spec, values, format!("{at}/*"), refs, found);
    }
}

/// Applies the step to a generated file: every `send`, and progenitor's
/// `Error` no longer re-exported (it stays imported privately for
/// `send_raw`), so that the module offers one error type. Returns one line
/// per change.
pub fn own_error_type_file(
    api: &str,
    file: &mut syn::File,
    secrets: &SecretPaths,
) -> Result<Vec<String>, String> {
    let mut changes = own_error_type(api, &mut file.items, secrets)?;
    let mut private = false;
    for item in &mut file.items {
        let syn::Item::Use(import) = item else {
            continue;
        };
        if !matches!(import.vis, syn::Visibility::Public(_)) {
            continue;
        }
        let syn::UseTree::Path(root) = &mut import.tree else {
            continue;
        };
        if root.ident != "progenitor_client" {
            continue;
        }
        let syn::UseTree::Group(group) = &mut *root.tree else {
            continue;
        };
        let before = group.items.len();
        group.items = group
            .items
            .iter()
            .filter(|t| !matches!(t, syn::UseTree::Name(n) if n.ident == "Error"))
            .cloned()
            .collect();
        private |= group.items.len() != before;
    }
    if private {
        let import: syn::Item = syn::parse_str("use progenitor_client::Error;")
            .map_err(|e| format!("{api}: private import does not parse: {e}"))?;
        file.items.push(import);
        changes.push("pub use progenitor_client::Error -> private use (send_raw only)".into());
    }
    Ok(changes)
}

/// Applies the step to the generated items; returns one line per `send`.
fn own_error_type(
    api: &str,
    items: &mut [syn::Item],
    secrets: &SecretPaths,
) -> Result<Vec<String>, String> {
    let mut changes = Vec::new();
    for item in items {
        match item {
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = m.content.as_mut() {
                    changes.extend(own_error_type(api, inner, secrets)?);
                }
            }
            syn::Item::Impl(block) => {
                let builder = crate::items::last_ident(&block.self_ty).unwrap_or_default();
                let mut added = Vec::new();
                for inner in &mut block.items {
                    let syn::ImplItem::Fn(send) = inner else {
                        continue;
                    };
                    if send.sig.ident != "send" || send.sig.asyncness.is_none() {
                        continue;
                    }
                    let (wrapper, change) = wrap(api, &builder, send, secrets)?;
                    added.push(syn::ImplItem::Fn(wrapper));
                    changes.push(change);
                }
                block.items.extend(added);
            }
            _ => {}
        }
    }
    Ok(changes)
}

/// Renames `send` to a private `send_raw` and returns the new `send`.
fn wrap(
    api: &str,
    builder: &str,
    send: &mut syn::ImplItemFn,
    secrets: &SecretPaths,
) -> Result<(syn::ImplItemFn, String), String> {
    let here = format!("{api}: {builder}::send");
    let (method, path) = operation(&send.attrs)
        .ok_or_else(|| format!("{here}: no \"Sends a `METHOD` request to `/path`\" doc line"))?;
    let paths = secrets
        .get(&(method.clone(), path.clone()))
        .cloned()
        .unwrap_or_default();
    let mut wrapper = send.clone();
    // Not an `async fn`: the call's future is `call::run`'s itself, not one
    // more layer around it that would store the builder and move the
    // answer once more.
    wrapper.sig.asyncness = None;
    let syn::ReturnType::Type(arrow, result) = own_output(&send.sig.output)
        .ok_or_else(|| format!("{here}: return type is not Result<ResponseValue<T>, Error<E>>"))?
    else {
        return Err(format!("{here}: no return type"));
    };
    wrapper.sig.output = syn::ReturnType::Type(
        arrow,
        Box::new(syn::parse_quote!(impl ::std::future::Future<Output = #result>)),
    );
    let list: Vec<String> = paths.iter().map(|p| format!("{p:?}")).collect();
    wrapper.block = syn::parse_str(&format!(
        "{{ crate::call::run(&[{}], self.send_raw()) }}",
        list.join(", ")
    ))
    .map_err(|e| format!("{here}: wrapper body does not parse: {e}"))?;
    send.sig.ident = syn::Ident::new("send_raw", send.sig.ident.span());
    send.vis = syn::Visibility::Inherited;
    send.attrs.retain(|a| !a.path().is_ident("doc"));
    let shown = if paths.is_empty() {
        String::new()
    } else {
        format!("; secret values at {}", paths.join(", "))
    };
    Ok((
        wrapper,
        format!("{builder}::send ({method} {path}) -> crate::ApiError{shown}"),
    ))
}

/// `Result<ResponseValue<T>, crate::ApiError<E>>` from progenitor's
/// `Result<ResponseValue<T>, Error<E>>`.
fn own_output(output: &syn::ReturnType) -> Option<syn::ReturnType> {
    let syn::ReturnType::Type(arrow, ty) = output else {
        return None;
    };
    let mut ty = (**ty).clone();
    let syn::Type::Path(result) = &mut ty else {
        return None;
    };
    let last = result.path.segments.last_mut()?;
    if last.ident != "Result" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &mut last.arguments else {
        return None;
    };
    let mut types = args.args.iter_mut().filter_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    });
    let ok = types.next()?;
    if !matches!(ok, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "ResponseValue"))
    {
        return None;
    }
    let syn::Type::Path(error) = types.next()? else {
        return None;
    };
    let old = error.path.segments.last()?;
    if old.ident != "Error" {
        return None;
    }
    let mut own: syn::Path = syn::parse_str("crate::ApiError").ok()?;
    own.segments.last_mut()?.arguments = old.arguments.clone();
    error.path = own;
    Some(syn::ReturnType::Type(*arrow, Box::new(ty)))
}

/// (METHOD, path) from "Sends a `METHOD` request to `/path`".
fn operation(attrs: &[syn::Attribute]) -> Option<(String, String)> {
    attrs.iter().find_map(|attr| {
        let syn::Meta::NameValue(nv) = &attr.meta else {
            return None;
        };
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) = &nv.value
        else {
            return None;
        };
        let text = text.value();
        let rest = text.trim().strip_prefix("Sends a `")?;
        let (method, rest) = rest.split_once("` request to `")?;
        let (path, _) = rest.split_once('`')?;
        Some((method.to_uppercase(), path.to_string()))
    })
}
