//! Post-processing step `request_builders_only`: typify writes a builder
//! (`types::builder::X`, with `X::builder()`) for every struct; only the
//! builders of request bodies are kept.
//!
//! Why: a builder is about as much code as its type (a struct of
//! `Result<field, String>`, a setter per field, two conversions, `Default`)
//! and typify writes one per struct: 605 in the Orchestration Cluster API,
//! 40 % of its generated lines, compiled by every user of the crate. What a
//! builder is for is a request body with many optional members: the
//! operation builders' `body_map(|b| b.member(value))` uses it. So the
//! builders kept are those of the request bodies and of the branches of a
//! body that is a union (`ProcessInstanceCreationInstructionById`). A
//! nested type (a search filter, an instruction inside a body) is built
//! with a struct literal, `..Default::default()` when all its members are
//! optional; a response is decoded, never built.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

/// Removes the builders of types no request reaches from `file` (the whole
/// generated module: `types`, `types::builder` and the operation builders
/// in the top-level `builder` module). Returns one line per builder
/// removed.
pub fn request_builders_only(file: &mut syn::File) -> Vec<String> {
    let roots = request_roots(&file.items);
    let Some(types) = module_mut(&mut file.items, "types") else {
        return Vec::new();
    };
    let graph = type_graph(types);
    let mut reachable: BTreeSet<String> = BTreeSet::new();
    let mut stack: Vec<String> = roots
        .into_iter()
        .filter(|r| graph.contains_key(r))
        .collect();
    while let Some(name) = stack.pop() {
        if reachable.insert(name.clone())
            && let Some(next) = graph.get(&name)
        {
            stack.extend(next.iter().filter(|n| !reachable.contains(*n)).cloned());
        }
    }
    let mut removed: BTreeSet<String> = BTreeSet::new();
    if let Some(builders) = module_mut(types, "builder") {
        builders.retain(|item| match owner(item) {
            Some(name) if !reachable.contains(&name) => {
                removed.insert(name);
                false
            }
            _ => true,
        });
    }
    // `X::builder()` of a removed builder goes too (and its impl block when
    // that was all it held).
    types.retain_mut(|item| {
        let syn::Item::Impl(block) = item else {
            return true;
        };
        if block.trait_.is_some() {
            return true;
        }
        let Some(name) = crate::items::last_ident(&block.self_ty) else {
            return true;
        };
        if !removed.contains(&name) {
            return true;
        }
        block
            .items
            .retain(|inner| !matches!(inner, syn::ImplItem::Fn(f) if f.sig.ident == "builder"));
        !block.items.is_empty()
    });
    removed
        .into_iter()
        .map(|name| format!("types::builder::{name}: not a request body"))
        .collect()
}

/// The type names a request starts from: the `types::…` named in the
/// fields of the operation builders (body builders and parameters).
fn request_roots(items: &[syn::Item]) -> BTreeSet<String> {
    let mut roots = BTreeSet::new();
    let Some(builders) = module(items, "builder") else {
        return roots;
    };
    for item in builders {
        if let syn::Item::Struct(s) = item {
            for field in &s.fields {
                collect_after_types(field.ty.to_token_stream(), &mut roots);
            }
        }
    }
    roots
}

/// Every identifier that follows `types ::` (and `builder ::` after it) in
/// `tokens`.
fn collect_after_types(tokens: TokenStream, out: &mut BTreeSet<String>) {
    let flat: Vec<TokenTree> = flatten(tokens);
    for (i, tree) in flat.iter().enumerate() {
        let TokenTree::Ident(ident) = tree else {
            continue;
        };
        if ident != "types" {
            continue;
        }
        // types : : [builder : :] Name
        let mut j = i + 1;
        let skip_path = |j: &mut usize| {
            matches!(flat.get(*j), Some(TokenTree::Punct(p)) if p.as_char() == ':')
                && matches!(flat.get(*j + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':')
                && {
                    *j += 2;
                    true
                }
        };
        if !skip_path(&mut j) {
            continue;
        }
        if matches!(flat.get(j), Some(TokenTree::Ident(b)) if b == "builder") {
            j += 1;
            if !skip_path(&mut j) {
                continue;
            }
        }
        if let Some(TokenTree::Ident(name)) = flat.get(j) {
            out.insert(name.to_string());
        }
    }
}

/// The tokens of `tokens` with groups opened, in order.
fn flatten(tokens: TokenStream) -> Vec<TokenTree> {
    let mut out = Vec::new();
    for tree in tokens {
        match tree {
            TokenTree::Group(g) => out.extend(flatten(g.stream())),
            other => out.push(other),
        }
    }
    out
}

/// For each enum (union) of `types`, the other types of `types` its
/// variants name; a struct has no edges (its members' builders are not
/// kept). An over-approximation is harmless: it only keeps a builder.
fn type_graph(types: &[syn::Item]) -> BTreeMap<String, BTreeSet<String>> {
    let enums: BTreeSet<String> = types
        .iter()
        .filter_map(|item| match item {
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            _ => None,
        })
        .collect();
    let mut graph = crate::items::mentions(types);
    for (name, used) in graph.iter_mut() {
        if !enums.contains(name) {
            used.clear();
        }
    }
    graph
}

/// The type a builder-module item belongs to: the struct's name, or the
/// last segment of an impl's self type.
fn owner(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Impl(i) => crate::items::last_ident(&i.self_ty),
        _ => None,
    }
}

fn module<'a>(items: &'a [syn::Item], name: &str) -> Option<&'a Vec<syn::Item>> {
    items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, c)| c),
        _ => None,
    })
}

fn module_mut<'a>(items: &'a mut [syn::Item], name: &str) -> Option<&'a mut Vec<syn::Item>> {
    items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, c)| c),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_bodies_and_union_branches_and_drops_the_rest() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Query { pub filter: Filter }
                pub struct Filter { pub state: ::std::option::Option<String> }
                pub enum Choice { A(Inner), B(Other) }
                pub struct Inner { pub x: i64 }
                pub struct Other { pub nested: Filter }
                pub struct Result { pub items: Vec<Item> }
                pub struct Item { pub key: String }
                impl Query { pub fn builder() -> builder::Query { Default::default() } }
                impl Result { pub fn builder() -> builder::Result { Default::default() } }
                impl Item { pub fn builder() -> builder::Item { Default::default() } pub fn other(&self) {} }
                pub mod builder {
                    pub struct Query { filter: Result<super::Filter, String> }
                    impl Default for Query { fn default() -> Self { todo!() } }
                    pub struct Filter {}
                    pub struct Inner {}
                    impl ::std::convert::TryFrom<Inner> for super::Inner {}
                    pub struct Other {}
                    pub struct Result {}
                    impl ::std::convert::From<super::Result> for Result {}
                    pub struct Item {}
                }
            }
            pub mod builder {
                pub struct SearchThings<'a> {
                    client: &'a super::Client,
                    body: Result<types::builder::Query, String>,
                }
                pub struct Choose<'a> {
                    client: &'a super::Client,
                    body: Result<types::Choice, String>,
                }
            }
        };
        let changes = request_builders_only(&mut file);
        assert_eq!(
            changes,
            vec![
                "types::builder::Filter: not a request body",
                "types::builder::Item: not a request body",
                "types::builder::Result: not a request body",
            ]
        );
        let text = file.to_token_stream().to_string();
        assert!(text.contains("impl Default for Query"), "{text}");
        assert!(text.contains("for super :: Inner"), "{text}");
        assert!(text.contains("pub struct Other"), "{text}");
        assert!(!text.contains("for Result"), "{text}");
        assert!(!text.contains("builder :: Result"), "{text}");
        assert!(!text.contains("builder :: Item"), "{text}");
        assert!(text.contains("pub fn other"), "{text}");
        assert!(text.contains("builder :: Query"), "{text}");
    }
}
