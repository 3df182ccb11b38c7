//! Post-processing step `optional_setters_take_str`: typify's builder
//! setter of an optional text or key member takes
//! `T: TryInto<Option<String>>` (or `Option<SomeKey>`), which a `&str`
//! does not satisfy (there is no `From<&str>` for `Option<String>`), so
//! `.correlation_key("A-1")` failed to compile while a required member's
//! setter took it. The setter takes `T: crate::IntoOptional<M>` instead
//! (src/optional.rs): `Some`/`None` and the member's value as before, plus
//! `&str`, `String` and `&String`. For a key member the step also emits the
//! key's own `IntoOptional` impls (the key itself, and its text, checked by
//! the key's `TryFrom<&str>`).

use std::collections::BTreeMap;

use syn::visit_mut::VisitMut;

use crate::items::Owner;

/// Rewrites every such setter of `file`; one line per setter changed, and
/// one per key type given `IntoOptional` impls.
pub fn optional_setters_take_str(file: &mut syn::File) -> Vec<String> {
    let mut visitor = Setters::default();
    visitor.visit_file_mut(file);
    let mut changes = visitor.changes;
    for (name, ty) in &visitor.keys {
        let impls: syn::File = syn::parse_quote! {
            impl crate::IntoOptional<#ty> for #ty {
                type Error = ::std::convert::Infallible;
                fn into_optional(self) -> ::std::result::Result<::std::option::Option<#ty>, Self::Error> {
                    Ok(Some(self))
                }
            }
            // a key that takes any text converts infallibly; one shape for all keys
            #[allow(clippy::unnecessary_fallible_conversions)]
            impl<'a> crate::IntoOptional<#ty> for &'a str {
                type Error = <#ty as ::std::convert::TryFrom<&'a str>>::Error;
                fn into_optional(self) -> ::std::result::Result<::std::option::Option<#ty>, Self::Error> {
                    <#ty as ::std::convert::TryFrom<&'a str>>::try_from(self).map(Some)
                }
            }
            // a key that takes any text converts infallibly; one shape for all keys
            #[allow(clippy::unnecessary_fallible_conversions)]
            impl crate::IntoOptional<#ty> for ::std::string::String {
                type Error = <#ty as ::std::convert::TryFrom<::std::string::String>>::Error;
                fn into_optional(self) -> ::std::result::Result<::std::option::Option<#ty>, Self::Error> {
                    <#ty as ::std::convert::TryFrom<::std::string::String>>::try_from(self).map(Some)
                }
            }
            // a key that takes any text converts infallibly; one shape for all keys
            #[allow(clippy::unnecessary_fallible_conversions)]
            impl<'a> crate::IntoOptional<#ty> for &'a ::std::string::String {
                type Error = <#ty as ::std::convert::TryFrom<&'a ::std::string::String>>::Error;
                fn into_optional(self) -> ::std::result::Result<::std::option::Option<#ty>, Self::Error> {
                    <#ty as ::std::convert::TryFrom<&'a ::std::string::String>>::try_from(self).map(Some)
                }
            }
        };
        file.items.extend(impls.items);
        changes.push(format!(
            "{name}: IntoOptional from itself, &str, String, &String"
        ));
    }
    changes
}

#[derive(Default)]
struct Setters {
    owner: Owner,
    changes: Vec<String>,
    /// Key types of rewritten setters, by name.
    keys: BTreeMap<String, syn::Type>,
}

/// The member type `M` of a bound `TryInto<Option<M>>`, if `M` is text or
/// a key (`crate::<api>::keys::K`).
fn optional_member(bound: &syn::TypeParamBound) -> Option<syn::Type> {
    let syn::TypeParamBound::Trait(t) = bound else {
        return None;
    };
    let last = t.path.segments.last()?;
    if last.ident != "TryInto" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let Some(syn::GenericArgument::Type(syn::Type::Path(option))) = args.args.first() else {
        return None;
    };
    let option_last = option.path.segments.last()?;
    if option_last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(inner) = &option_last.arguments else {
        return None;
    };
    let Some(syn::GenericArgument::Type(member)) = inner.args.first() else {
        return None;
    };
    let text = crate::items::compact(member);
    let is_text = text == "::std::string::String" || text == "String";
    let is_key = text.starts_with("crate::") && text.contains("::keys::");
    (is_text || is_key).then(|| member.clone())
}

impl VisitMut for Setters {
    fn visit_item_impl_mut(&mut self, block: &mut syn::ItemImpl) {
        Owner::visit_impl(self, block, |v| &mut v.owner);
    }

    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        let Some(clause) = f.sig.generics.where_clause.as_mut() else {
            return;
        };
        let mut member = None;
        for predicate in clause.predicates.iter_mut() {
            let syn::WherePredicate::Type(p) = predicate else {
                continue;
            };
            let Some(found) = p.bounds.first().and_then(optional_member) else {
                continue;
            };
            if p.bounds.len() != 1 {
                continue;
            }
            p.bounds = syn::parse_quote!(crate::IntoOptional<#found>);
            member = Some(found);
            break;
        }
        let Some(member) = member else {
            return;
        };
        let mut rewrite = TryIntoCall::default();
        rewrite.visit_block_mut(&mut f.block);
        if let Some(key) = crate::items::last_ident(&member)
            && key != "String"
        {
            self.keys.insert(key, member);
        }
        self.changes.push(format!(
            "{}::{} ({} conversion(s))",
            self.owner, f.sig.ident, rewrite.count
        ));
    }
}

/// Replaces `value.try_into()` with `crate::IntoOptional::into_optional(value)`.
#[derive(Default)]
struct TryIntoCall {
    count: usize,
}

impl VisitMut for TryIntoCall {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let syn::Expr::MethodCall(call) = expr else {
            return;
        };
        if call.method != "try_into" || !call.args.is_empty() {
            return;
        }
        let receiver = call.receiver.clone();
        *expr = syn::parse_quote!(crate::IntoOptional::into_optional(#receiver));
        self.count += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_text_and_key_setters_take_into_optional() {
        let mut file: syn::File = syn::parse_quote! {
            impl MessagePublicationRequest {
                pub fn correlation_key<T>(mut self, value: T) -> Self
                where
                    T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                    T::Error: ::std::fmt::Display,
                {
                    self.correlation_key = value.try_into().map_err(|e| format!("{e}"));
                    self
                }
                pub fn tenant_id<T>(mut self, value: T) -> Self
                where
                    T: ::std::convert::TryInto<::std::option::Option<crate::orchestration::keys::TenantId>>,
                    T::Error: ::std::fmt::Display,
                {
                    self.tenant_id = value.try_into().map_err(|e| format!("{e}"));
                    self
                }
                pub fn time_to_live<T>(mut self, value: T) -> Self
                where
                    T: ::std::convert::TryInto<::std::option::Option<i64>>,
                    T::Error: ::std::fmt::Display,
                {
                    self.time_to_live = value.try_into().map_err(|e| format!("{e}"));
                    self
                }
            }
        };
        let changes = optional_setters_take_str(&mut file);
        assert_eq!(
            changes,
            [
                "MessagePublicationRequest::correlation_key (1 conversion(s))",
                "MessagePublicationRequest::tenant_id (1 conversion(s))",
                "TenantId: IntoOptional from itself, &str, String, &String",
            ]
        );
        let code = prettyplease::unparse(&file);
        assert!(
            code.contains("T: crate::IntoOptional<::std::string::String>"),
            "{code}"
        );
        assert!(
            code.contains("crate::IntoOptional::into_optional(value)"),
            "{code}"
        );
        assert!(
            code.contains("TryInto<::std::option::Option<i64>>"),
            "{code}"
        );
        assert!(
            code.contains(
                "impl<'a> crate::IntoOptional<crate::orchestration::keys::TenantId> for &'a str"
            ),
            "{code}"
        );
    }
}
