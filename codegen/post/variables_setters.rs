//! Post-processing for the shared `crate::Variables` (the contract step is
//! `shared_variables`, codegen/variables.rs): the `types` module re-exports
//! the type, and the builder setter of an optional free-form member takes
//! `crate::IntoVariables`.
//!
//! Why the setters: typify's setter of an optional member takes
//! `TryInto<Option<crate::Variables>>`, and `Option<Variables>` cannot
//! convert from a `serde_json::Value` or a `Map` (no crate may add that
//! conversion: neither `Option`, `Value` nor `Map` is its own). So
//! `.variables(json!({…}))` did not compile where a required member's
//! setter (`TryInto<Variables>`) took it.

use syn::visit_mut::VisitMut;

use crate::contract::variables::VARIABLES_TYPE;
use crate::items::Owner;

/// The re-export added to the `types` module: the deprecated aliases name
/// `Variables`, and `types::Variables` keeps naming the type in an API
/// that had a component of that name (Zeebe).
pub fn reexport() -> syn::Item {
    syn::parse_quote! {
        /// The type of every free-form object member (variables, custom
        /// headers, custom properties): [`crate::Variables`].
        pub use crate::Variables;
    }
}

/// The doc text typify's setters (and `document_items`) give, replaced.
const CONVERTS: &str = "(any value that converts into the member's type)";

/// Post-processing step `variables_setters` (see the module docs): in the
/// `types::builder` module, a setter bound by
/// `T: TryInto<Option<crate::Variables>>` is bound by
/// `T: crate::IntoVariables` and converts with `into_variables`; its error
/// message is unchanged. One line per setter.
pub fn variables_setters(file: &mut syn::File) -> Vec<String> {
    let mut setters = Setters::default();
    setters.visit_file_mut(file);
    setters.changes
}

#[derive(Default)]
struct Setters {
    owner: Owner,
    changes: Vec<String>,
}

impl VisitMut for Setters {
    fn visit_item_impl_mut(&mut self, block: &mut syn::ItemImpl) {
        Owner::visit_impl(self, block, |v| &mut v.owner);
    }

    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        let wanted = format!("::std::convert::TryInto<::std::option::Option<{VARIABLES_TYPE}>>");
        let Some(param) = f.sig.generics.type_params().next().map(|p| p.ident.clone()) else {
            return;
        };
        let Some(clause) = f.sig.generics.where_clause.as_mut() else {
            return;
        };
        let bound_here = clause.predicates.iter().any(|p| match p {
            syn::WherePredicate::Type(t) => {
                param == crate::items::compact(&t.bounded_ty)
                    && t.bounds.iter().any(|b| crate::items::compact(b) == wanted)
            }
            _ => false,
        });
        if !bound_here {
            return;
        }
        let mut calls = TryInto::default();
        calls.visit_block_mut(&mut f.block);
        if calls.count != 1 {
            return;
        }
        clause.predicates = syn::parse_quote!(#param: crate::IntoVariables);
        for attr in &mut f.attrs {
            if let syn::Meta::NameValue(nv) = &mut attr.meta
                && nv.path.is_ident("doc")
                && let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) = &mut nv.value
                && text.value().contains(CONVERTS)
            {
                let new = text.value().replace(
                    CONVERTS,
                    "(a `json!({…})` object, a `serde_json::Map`, [`Variables`](crate::Variables) or an `Option` of it, see [`IntoVariables`](crate::IntoVariables); a struct through [`Variables::from_serialize`](crate::Variables::from_serialize))",
                );
                *text = syn::LitStr::new(&new, text.span());
            }
        }
        self.changes
            .push(format!("{}::{}", self.owner, f.sig.ident));
    }
}

/// Rewrites `value.try_into()` into
/// `crate::IntoVariables::into_variables(value)`.
#[derive(Default)]
struct TryInto {
    count: usize,
}

impl VisitMut for TryInto {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::MethodCall(call) = expr
            && call.method == "try_into"
            && call.args.is_empty()
            && matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident("value"))
        {
            *expr = syn::parse_quote!(crate::IntoVariables::into_variables(value));
            self.count += 1;
            return;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_setters_take_into_variables() {
        let mut file: syn::File = syn::parse_quote! {
            mod builder {
                impl Completion {
                    ///Sets it (any value that converts into the member's type).
                    pub fn variables<T>(mut self, value: T) -> Self
                    where
                        T: ::std::convert::TryInto<::std::option::Option<crate::Variables>>,
                        T::Error: ::std::fmt::Display,
                    {
                        self.variables = value
                            .try_into()
                            .map_err(|e| format!("error converting supplied value for variables: {e}"));
                        self
                    }
                    pub fn value<T>(mut self, value: T) -> Self
                    where
                        T: ::std::convert::TryInto<crate::Variables>,
                        T::Error: ::std::fmt::Display,
                    {
                        self.value = value.try_into().map_err(|e| format!("{e}"));
                        self
                    }
                }
            }
        };
        assert_eq!(variables_setters(&mut file), vec!["Completion::variables"]);
        let text = crate::items::compact(&file);
        assert!(text.contains("whereT:crate::IntoVariables{"), "{text}");
        assert!(text.contains("crate::IntoVariables::into_variables(value).map_err"));
        assert!(text.contains("T:::std::convert::TryInto<crate::Variables>"));
        assert!(text.contains("see[`IntoVariables`]"));
        assert!(variables_setters(&mut file).is_empty());
    }
}
