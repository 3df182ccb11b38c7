//! Post-processing step `absent_nullable_is_none`: a member the contract
//! declares required and nullable decodes as `None` when the JSON leaves it
//! out, not only when it is `null`.
//!
//! typify writes such a member as
//!
//! ```text
//! #[serde(rename = "decisionDefinition", deserialize_with = "::std::option::Option::deserialize")]
//! pub decision_definition: Option<DeploymentMetadataResultDecisionDefinition>,
//! ```
//!
//! The `deserialize_with` makes serde demand the member (a field with its
//! own deserializer gets no implicit default), so an answer without it
//! fails with `missing field decisionDefinition`. Servers and proxies that
//! drop `null` members exist, and Camunda's TypeScript client declares these
//! members optional; `null` and absent mean the same to a reader. The
//! attribute becomes `default` instead: absent and `null` both decode as
//! `None`. Serialization is untouched: such a member has no
//! `skip_serializing_if`, so a request body still sends it (as `null` when
//! `None`), which is what the contract requires of a request.

use quote::ToTokens as _;
use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;

/// The deserializer typify gives required nullable members.
const OPTION_DESERIALIZE: &str = "::std::option::Option::deserialize";

/// What the rewrite found: per type, the JSON members now defaulted.
#[derive(Default)]
struct Rewrite {
    changed: Vec<(String, Vec<String>)>,
}

impl VisitMut for Rewrite {
    fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
        let mut members = Vec::new();
        for field in item.fields.iter_mut() {
            if let Some(wire) = default_absent(field) {
                members.push(wire);
            }
        }
        if !members.is_empty() {
            self.changed.push((item.ident.to_string(), members));
        }
        syn::visit_mut::visit_item_struct_mut(self, item);
    }
}

/// Replaces the field's `deserialize_with = "::std::option::Option::deserialize"`
/// by `default` and notes it in the field's rustdoc; the field's JSON name
/// when it did.
fn default_absent(field: &mut syn::Field) -> Option<String> {
    let mut changed = false;
    let mut wire = None;
    for attr in &mut field.attrs {
        if !attr.path().is_ident("serde") {
            continue;
        }
        let Ok(metas) =
            attr.parse_args_with(Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        let mut kept: Punctuated<syn::Meta, syn::Token![,]> = Punctuated::new();
        let mut here = false;
        for meta in metas {
            if let syn::Meta::NameValue(nv) = &meta {
                if nv.path.is_ident("deserialize_with") && is_option_deserialize(&nv.value) {
                    here = true;
                    kept.push(syn::parse_quote!(default));
                    continue;
                }
                if nv.path.is_ident("rename")
                    && let syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) = &nv.value
                {
                    wire = Some(s.value());
                }
            }
            kept.push(meta);
        }
        if here {
            *attr = syn::parse_quote!(#[serde(#kept)]);
            changed = true;
        }
    }
    if !changed {
        return None;
    }
    field.attrs.push(syn::parse_quote!(
        #[doc = "\n\nDecoded as `None` when the answer leaves the member out, as when it is `null` (step `absent_nullable_is_none`)."]
    ));
    wire.or_else(|| {
        field
            .ident
            .as_ref()
            .map(|i| i.to_token_stream().to_string())
    })
}

fn is_option_deserialize(value: &syn::Expr) -> bool {
    matches!(value, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. })
        if s.value() == OPTION_DESERIALIZE)
}

/// Rewrites every required nullable member in `file`; one report line per
/// type, naming its members.
pub(crate) fn absent_nullable_is_none(file: &mut syn::File) -> Vec<String> {
    let mut rewrite = Rewrite::default();
    rewrite.visit_file_mut(file);
    rewrite
        .changed
        .into_iter()
        .map(|(ty, members)| format!("{ty}: {}", members.join(", ")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_required_nullable_member_gets_a_default_and_nothing_else_changes() {
        let mut file: syn::File = syn::parse_quote! {
            mod types {
                pub struct DeploymentMetadataResult {
                    #[serde(rename = "decisionDefinition", deserialize_with = "::std::option::Option::deserialize")]
                    pub decision_definition: ::std::option::Option<Definition>,
                    #[serde(deserialize_with = "::std::option::Option::deserialize")]
                    pub form: ::std::option::Option<Form>,
                    #[serde(rename = "other", default, skip_serializing_if = "::std::option::Option::is_none")]
                    pub other: ::std::option::Option<Form>,
                    #[serde(deserialize_with = "crate::own::deserialize")]
                    pub own: Own,
                }
            }
        };
        let report = absent_nullable_is_none(&mut file);
        assert_eq!(
            report,
            vec!["DeploymentMetadataResult: decisionDefinition, form"]
        );
        let text = prettyplease::unparse(&file);
        assert!(
            text.contains("#[serde(rename = \"decisionDefinition\", default)]"),
            "{text}"
        );
        assert!(text.contains("#[serde(default)]\n"), "{text}");
        assert!(!text.contains(OPTION_DESERIALIZE), "{text}");
        assert!(
            text.contains("deserialize_with = \"crate::own::deserialize\""),
            "{text}"
        );
        assert_eq!(text.matches("step `absent_nullable_is_none`").count(), 2);
        // Idempotent: a second run finds nothing.
        assert!(absent_nullable_is_none(&mut file).is_empty());
    }
}
