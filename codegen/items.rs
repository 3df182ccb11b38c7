//! Reading the generated syntax tree: the name a type expression ends in,
//! and which types of a module each struct or enum mentions. Shared by the
//! post-processing steps that need them (`builders.rs`, `docs.rs`).

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

/// The last path segment of a type (`super::X<'a>` → `X`), if it is a path.
pub fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// For each struct and enum among `items`, the other structs and enums of
/// `items` its members or variants name (an over-approximation: any
/// identifier equal to a type's name counts).
pub fn mentions(items: &[syn::Item]) -> BTreeMap<String, BTreeSet<String>> {
    let mut defs: Vec<(String, TokenStream)> = Vec::new();
    for item in items {
        match item {
            syn::Item::Struct(s) => defs.push((s.ident.to_string(), s.fields.to_token_stream())),
            syn::Item::Enum(e) => defs.push((e.ident.to_string(), e.variants.to_token_stream())),
            _ => {}
        }
    }
    let names: BTreeSet<String> = defs.iter().map(|(n, _)| n.clone()).collect();
    defs.into_iter()
        .map(|(owner, tokens)| {
            let mut used = BTreeSet::new();
            let mut stack: Vec<TokenTree> = tokens.into_iter().collect();
            while let Some(tree) = stack.pop() {
                match tree {
                    TokenTree::Group(g) => stack.extend(g.stream()),
                    TokenTree::Ident(i) => {
                        let name = i.to_string();
                        if name != owner && names.contains(&name) {
                            used.insert(name);
                        }
                    }
                    _ => {}
                }
            }
            (owner, used)
        })
        .collect()
}
