//! Post-processing step `setter_errors_say_why`: progenitor's operation
//! builder setters drop the conversion's error
//! (`.map_err(|_| "conversion to `crate :: orchestration :: keys ::
//! ProcessInstanceKey` for process_instance_key failed".to_string())`), so a
//! user who passes `"abc"` as a key learns neither what was wrong nor which
//! rule it broke, and reads the type as spaced tokens. The step keeps the
//! error and prints the type as a user names it:
//! "process_instance_key: conversion to `ProcessInstanceKey` failed: invalid
//! ProcessInstanceKey: not a decimal number (got \"abc\")".
//!
//! The setter's bound gains `V::Error: std::fmt::Display` (typify's body
//! member setters already have it). Every conversion into the types these
//! setters take has a displayable error: a key's `InvalidKey`, typify's
//! `ConversionError`, `TryFromIntError`, and `Infallible` for the `From`
//! conversions (strings, numbers, dates, JSON values, `Option`s).

use syn::visit_mut::VisitMut;

use crate::items::Owner;

/// Rewrites every such setter in `file`; one line per setter changed.
pub fn setter_errors_say_why(file: &mut syn::File) -> Vec<String> {
    let mut visitor = Setters::default();
    visitor.visit_file_mut(file);
    visitor.changes
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
        let mut rewrite = Rewrite::default();
        rewrite.visit_block_mut(&mut f.block);
        if rewrite.count == 0 {
            return;
        }
        // The value's type parameter (`V`) is the setter's only one.
        let Some(param) = f.sig.generics.type_params().next().map(|p| p.ident.clone()) else {
            return;
        };
        f.sig
            .generics
            .make_where_clause()
            .predicates
            .push(syn::parse_quote!(#param::Error: ::std::fmt::Display));
        self.changes
            .push(format!("{}::{}", self.owner, f.sig.ident));
    }
}

#[derive(Default)]
struct Rewrite {
    count: usize,
}

impl VisitMut for Rewrite {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        syn::visit_mut::visit_expr_method_call_mut(self, call);
        if call.method != "map_err" || call.args.len() != 1 {
            return;
        }
        let Some(syn::Expr::Closure(closure)) = call.args.first_mut() else {
            return;
        };
        if closure.inputs.len() != 1 || !matches!(closure.inputs.first(), Some(syn::Pat::Wild(_))) {
            return;
        }
        let Some(message) = conversion_message(&closure.body) else {
            return;
        };
        let Some((ty, name)) = parse_message(&message) else {
            return;
        };
        let text = format!("{name}: conversion to `{ty}` failed: {{e}}");
        if let Some(arg) = call.args.first_mut() {
            *arg = syn::parse_quote!(|e| format!(#text));
        }
        self.count += 1;
    }
}

/// The literal of `"conversion to … failed".to_string()` (possibly in a block).
fn conversion_message(body: &syn::Expr) -> Option<String> {
    let expr = match body {
        syn::Expr::Block(b) if b.block.stmts.len() == 1 => match &b.block.stmts[0] {
            syn::Stmt::Expr(e, None) => e,
            _ => return None,
        },
        e => e,
    };
    let syn::Expr::MethodCall(to_string) = expr else {
        return None;
    };
    if to_string.method != "to_string" {
        return None;
    }
    let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(s),
        ..
    }) = &*to_string.receiver
    else {
        return None;
    };
    let value = s.value();
    value.starts_with("conversion to `").then_some(value)
}

/// `conversion to `T` for name failed` → (T as a user writes it, name).
fn parse_message(message: &str) -> Option<(String, String)> {
    let rest = message.strip_prefix("conversion to `")?;
    let (ty, rest) = rest.split_once("` for ")?;
    let name = rest.strip_suffix(" failed")?;
    Some((crate::items::user_type(ty), name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_named_as_users_write_them() {
        assert_eq!(
            crate::items::user_type("crate :: orchestration :: keys :: ProcessInstanceKey"),
            "ProcessInstanceKey"
        );
        assert_eq!(
            crate::items::user_type(":: chrono :: DateTime < :: chrono :: offset :: Utc >"),
            "DateTime<Utc>"
        );
        assert_eq!(
            crate::items::user_type(":: std :: string :: String"),
            "String"
        );
        assert_eq!(crate::items::user_type("bool"), "bool");
    }

    #[test]
    fn setter_keeps_the_error_and_gets_a_display_bound() {
        let mut file: syn::File = syn::parse_quote! {
            impl<'a> GetJob<'a> {
                pub fn job_key<V>(mut self, value: V) -> Self
                where
                    V: std::convert::TryInto<crate::orchestration::keys::JobKey>,
                {
                    self.job_key = value.try_into().map_err(|_| {
                        "conversion to `crate :: orchestration :: keys :: JobKey` for job_key failed".to_string()
                    });
                    self
                }
            }
        };
        let changes = setter_errors_say_why(&mut file);
        assert_eq!(changes, ["GetJob::job_key"]);
        let code = prettyplease::unparse(&file);
        assert!(code.contains("V::Error: ::std::fmt::Display"), "{code}");
        assert!(
            code.contains(r#"format!("job_key: conversion to `JobKey` failed: {e}")"#),
            "{code}"
        );
        assert!(!code.contains("|_|"), "{code}");
    }
}
