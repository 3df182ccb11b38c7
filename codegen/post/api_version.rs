//! Post-processing step `no_api_version_header`: the `api-version` header
//! progenitor builds for every request is not built.

/// Post-processing step `no_api_version_header`: in every function of the
/// generated code (recursively through modules and impl blocks), the
/// statement `header_map.append(HeaderName::from_static("api-version"), …)`
/// is removed, and the `HeaderMap::with_capacity(n)` that precedes it gets
/// `n - 1` (0 allocates nothing). Returns one line per function changed.
///
/// Why: progenitor adds the header to every request; Camunda's servers
/// ignore it, and building, merging and (in the hooks) removing it again
/// was a measurable share of the client's cost per request.
pub fn no_api_version_header(items: &mut [syn::Item]) -> Vec<String> {
    let mut changes = Vec::new();
    for item in items {
        match item {
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = m.content.as_mut() {
                    changes.extend(no_api_version_header(inner));
                }
            }
            syn::Item::Impl(i) => {
                let owner = crate::items::last_ident(&i.self_ty).unwrap_or_default();
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
        if !super::headers::is_header_map_with_capacity(&call.func) {
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
