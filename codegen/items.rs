//! Reading the generated syntax tree: the name a type expression ends in,
//! which types of a module each struct or enum mentions, the operation a
//! generated `send_raw` sends, the methods of `Client`, and the type whose
//! `impl` block a visitor is in ([`Owner`]). Shared by the post-processing
//! steps that need them (`codegen/post/`: `builders.rs`, `docs.rs`,
//! `facts.rs`, `optional_body.rs`, `servers.rs`, `accept.rs`, and the
//! setter and filter steps).

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

/// The type whose `impl` block a `syn::visit_mut::VisitMut` visitor is in:
/// the owner of the methods and paths it meets there (`Builder::member`
/// in a step's report, `Self::Branch` read as `Union::Branch`).
///
/// A visitor keeps one as a field and calls [`Owner::visit_impl`] from its
/// `visit_item_impl_mut`, which sets it for the block's content and puts
/// back the one before (an `impl` inside a function body inside another
/// `impl` has its own owner, and the outer one holds again after it).
/// Outside any `impl` block, and in one for a type that is not a path,
/// there is no owner; it then shows as an empty name.
#[derive(Debug, Default)]
pub struct Owner(Option<String>);

impl Owner {
    /// The owner's name (the last segment of the block's type,
    /// [`last_ident`]), if there is one.
    pub fn name(&self) -> Option<&str> {
        self.0.as_deref()
    }

    /// Visits `block` with `visitor`, whose owner (`owner(visitor)`) names
    /// the block's type meanwhile. Call it from `visit_item_impl_mut`:
    /// `Owner::visit_impl(self, block, |v| &mut v.owner)`.
    pub fn visit_impl<V: syn::visit_mut::VisitMut>(
        visitor: &mut V,
        block: &mut syn::ItemImpl,
        owner: fn(&mut V) -> &mut Owner,
    ) {
        let before = std::mem::replace(owner(visitor), Owner(last_ident(&block.self_ty)));
        syn::visit_mut::visit_item_impl_mut(visitor, block);
        *owner(visitor) = before;
    }
}

impl std::fmt::Display for Owner {
    /// The name, or nothing without an owner.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name().unwrap_or_default())
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

#[cfg(test)]
mod tests {
    use super::Owner;
    use syn::visit_mut::VisitMut;

    /// Records the owner of every method it meets.
    #[derive(Default)]
    struct Methods {
        owner: Owner,
        seen: Vec<String>,
    }

    impl VisitMut for Methods {
        fn visit_item_impl_mut(&mut self, block: &mut syn::ItemImpl) {
            Owner::visit_impl(self, block, |v| &mut v.owner);
        }

        fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
            self.seen.push(format!("{}::{}", self.owner, f.sig.ident));
            syn::visit_mut::visit_impl_item_fn_mut(self, f);
        }

        fn visit_item_fn_mut(&mut self, f: &mut syn::ItemFn) {
            self.seen.push(format!("[{}] {}", self.owner, f.sig.ident));
            syn::visit_mut::visit_item_fn_mut(self, f);
        }
    }

    #[test]
    fn the_owner_is_the_innermost_impl_and_comes_back_after_it() {
        let mut file: syn::File = syn::parse_quote! {
            fn free() {}
            impl super::builder::Outer<'_> {
                fn first(&self) {
                    impl Inner {
                        fn nested(&self) {}
                    }
                }
                fn second(&self) {}
            }
            impl<T> Trait for (T, T) {
                fn tuple(&self) {}
            }
        };
        let mut methods = Methods::default();
        methods.visit_file_mut(&mut file);
        assert_eq!(
            methods.seen,
            [
                "[] free",
                "Outer::first",
                "Inner::nested",
                "Outer::second",
                "::tuple"
            ]
        );
        assert_eq!(methods.owner.name(), None);
    }
}
