//! Post-processing step `unions_from_branch_builders`: a union body
//! (`ProcessInstanceCreationInstruction`: by id, by key or by version tag;
//! `DecisionEvaluationInstruction`: by id or by key) is built from one of
//! its branches, and a branch with required members is built with its
//! builder, which typify converts into the branch with `try_into()`, not
//! into the union. Starting an instance took
//! `ProcessInstanceCreationInstruction::Id(builder.try_into()?)`.
//!
//! For every union of the `types` module whose branches have builders, the
//! step adds `TryFrom<builder::Branch>` (the branch's own conversion error:
//! a required member left unset) and a `From<Branch>` where typify did not
//! write one. The operation builder's `body(…)` takes anything that
//! converts into the body, so a branch's builder goes straight in:
//! `.body(ProcessInstanceCreationInstructionById::builder().process_definition_id("order"))`.

use std::collections::{BTreeMap, BTreeSet};

/// Applies the step to `file`; one line per conversion added.
pub fn unions_from_branch_builders(file: &mut syn::File) -> Vec<String> {
    let Some(types) = file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut(),
        _ => None,
    }) else {
        return Vec::new();
    };
    let builders: BTreeSet<String> = types
        .1
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "builder" => m.content.as_ref(),
            _ => None,
        })
        .map(|(_, items)| {
            items
                .iter()
                .filter_map(|item| match item {
                    syn::Item::Struct(s) => Some(s.ident.to_string()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    // `From<X> for Union` impls typify wrote.
    let mut existing: BTreeSet<(String, String)> = BTreeSet::new();
    for item in &types.1 {
        if let syn::Item::Impl(i) = item
            && let Some((path, _)) = &i.trait_
            && let Some(last) = path.segments.last()
            && last.ident == "From"
            && let syn::PathArguments::AngleBracketed(args) = &last.arguments
            && let Some(syn::GenericArgument::Type(from)) = args.args.first()
            && let (Some(from), Some(owner)) = (
                crate::items::last_ident(from),
                crate::items::last_ident(&i.self_ty),
            )
        {
            existing.insert((owner, from));
        }
    }
    let mut added: Vec<syn::Item> = Vec::new();
    let mut changes = Vec::new();
    for item in &types.1 {
        let syn::Item::Enum(e) = item else {
            continue;
        };
        // Branch type name → variant, for branches named by a bare type.
        let mut branches: BTreeMap<String, Vec<syn::Ident>> = BTreeMap::new();
        for variant in &e.variants {
            if let syn::Fields::Unnamed(f) = &variant.fields
                && f.unnamed.len() == 1
                && let syn::Type::Path(p) = &f.unnamed[0].ty
                && p.path.segments.len() == 1
                && p.path.leading_colon.is_none()
            {
                branches
                    .entry(p.path.segments[0].ident.to_string())
                    .or_default()
                    .push(variant.ident.clone());
            }
        }
        let union = &e.ident;
        for (branch, variants) in &branches {
            // A type in two branches converts into neither unambiguously.
            let [variant] = variants.as_slice() else {
                continue;
            };
            if !builders.contains(branch) {
                continue;
            }
            let ty = syn::Ident::new(branch, union.span());
            if !existing.contains(&(union.to_string(), branch.clone())) {
                added.push(syn::parse_quote! {
                    impl ::std::convert::From<#ty> for #union {
                        fn from(value: #ty) -> Self {
                            Self::#variant(value)
                        }
                    }
                });
                changes.push(format!("{union}: From<{branch}>"));
            }
            added.push(syn::parse_quote! {
                impl ::std::convert::TryFrom<builder::#ty> for #union {
                    type Error = error::ConversionError;
                    fn try_from(value: builder::#ty) -> ::std::result::Result<Self, error::ConversionError> {
                        Ok(Self::#variant(#ty::try_from(value)?))
                    }
                }
            });
            changes.push(format!("{union}: TryFrom<builder::{branch}>"));
        }
    }
    types.1.extend(added);
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_union_converts_from_its_branches_builders() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub enum Instruction {
                    Id(ById),
                    Key(ByKey),
                    Other(::serde_json::Value),
                }
                impl ::std::convert::From<ById> for Instruction {
                    fn from(value: ById) -> Self { Self::Id(value) }
                }
                pub mod builder {
                    pub struct ById {}
                    pub struct ByKey {}
                }
            }
        };
        let changes = unions_from_branch_builders(&mut file);
        assert_eq!(
            changes,
            [
                "Instruction: TryFrom<builder::ById>",
                "Instruction: From<ByKey>",
                "Instruction: TryFrom<builder::ByKey>",
            ]
        );
        let code = prettyplease::unparse(&file);
        assert!(
            code.contains("impl ::std::convert::TryFrom<builder::ByKey> for Instruction"),
            "{code}"
        );
        assert!(
            code.contains("Ok(Self::Key(ByKey::try_from(value)?))"),
            "{code}"
        );
    }
}
