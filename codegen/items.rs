//! Reading the generated syntax tree: the name a type expression ends in,
//! which types of a module each struct or enum mentions, the operation a
//! generated `send_raw` sends, and the methods of `Client`. Shared by the
//! post-processing steps that need them (`codegen/post/`: `builders.rs`,
//! `docs.rs`, `facts.rs`, `optional_body.rs`, `servers.rs`).

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

/// The operation id of a generated `send_raw`:
/// `OperationInfo { operation_id: "…" }` in its body.
pub fn operation_id(block: &syn::Block) -> Option<String> {
    struct Find(Option<String>);
    impl<'ast> syn::visit::Visit<'ast> for Find {
        fn visit_expr_struct(&mut self, s: &'ast syn::ExprStruct) {
            if s.path.is_ident("OperationInfo") {
                for field in &s.fields {
                    if let syn::Member::Named(name) = &field.member
                        && name == "operation_id"
                        && let syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(id),
                            ..
                        }) = &field.expr
                    {
                        self.0 = Some(id.value());
                    }
                }
            }
            syn::visit::visit_expr_struct(self, s);
        }
    }
    let mut find = Find(None);
    syn::visit::Visit::visit_block(&mut find, block);
    find.0
}

/// The methods of the generated `Client` (its inherent `impl` blocks among
/// `items`; trait impls are skipped), one per operation progenitor
/// generated, for the steps that add to their rustdoc.
pub fn client_methods(items: &mut [syn::Item]) -> impl Iterator<Item = &mut syn::ImplItemFn> {
    items
        .iter_mut()
        .filter_map(|item| match item {
            syn::Item::Impl(block)
                if block.trait_.is_none()
                    && matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident("Client")) =>
            {
                Some(block)
            }
            _ => None,
        })
        .flat_map(|block| block.items.iter_mut())
        .filter_map(|inner| match inner {
            syn::ImplItem::Fn(f) => Some(f),
            _ => None,
        })
}

/// The tokens of a type, bound or item as text without spaces, for
/// comparing (`::std::string::String`, `T:crate::IntoVariables`).
pub fn compact(tokens: &impl ToTokens) -> String {
    tokens
        .to_token_stream()
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// A type path as tokens (`crate :: orchestration :: keys :: JobKey`,
/// `:: chrono :: DateTime < :: chrono :: offset :: Utc >`) as a user
/// names it: no spaces, each path reduced to its last segment
/// (`JobKey`, `DateTime<Utc>`).
pub fn user_type(ty: &str) -> String {
    let compact: String = ty.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = String::new();
    let mut segment = String::new();
    let mut chars = compact.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ':' && chars.peek() == Some(&':') {
            chars.next();
            segment.clear();
        } else if c.is_alphanumeric() || c == '_' {
            segment.push(c);
        } else {
            out.push_str(&segment);
            segment.clear();
            out.push(c);
        }
    }
    out.push_str(&segment);
    out
}
