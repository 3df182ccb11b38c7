//! Post-processing step `filters_from_values`: a search filter's property
//! (`StringFilterProperty`, `DateTimeFilterProperty`,
//! `ProcessInstanceKeyFilterProperty`, …) is an untagged union of an exact
//! value and an object of operators. typify names the branches after their
//! types, so the exact branch of every string filter is `NameExactMatch`
//! (the property that first used it), of every date filter
//! `CreationDateExactMatch`, and building one took
//! `StringFilterProperty::from(NameExactMatch("x".into()))`.
//!
//! For every such union (two branches, the second one of operators: an
//! `Advanced…Filter`, or `BasicStringFilter`) the
//! step
//! * renames the branches `Exact` and `Advanced`; the old names stay as
//!   deprecated associated constants, so `StringFilterProperty::NameExactMatch(v)`
//!   still builds a value (a `match` on the old names does not compile:
//!   enum variants have no aliases);
//! * adds a `From` for every plain value the exact branch's type converts
//!   from with `From` (a `&str` or `String` for text and for keys that take
//!   any text, an `i64` for numeric keys, an `i32` for versions, a
//!   `DateTime<Utc>` for dates, a `&str` for enums), and a `TryFrom` for
//!   every one it converts from with `TryFrom` (a key's text, checked by its
//!   rules; a date's text).

use std::collections::BTreeMap;

use syn::visit_mut::VisitMut;

use crate::items::Owner;

/// A conversion into a type: `From` or `TryFrom`, from a type.
struct Conversion {
    fallible: bool,
    from: syn::Type,
}

/// Applies the step to `file`; one line per union changed.
pub fn filters_from_values(file: &mut syn::File) -> Vec<String> {
    let conversions = conversions(&file.items, "");
    let Some(types) = file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut(),
        _ => None,
    }) else {
        return Vec::new();
    };
    let mut renames: Vec<(String, [(String, &'static str); 2])> = Vec::new();
    let mut added: Vec<syn::Item> = Vec::new();
    let mut changes = Vec::new();
    for item in types.1.iter_mut() {
        let syn::Item::Enum(e) = item else {
            continue;
        };
        let name = e.ident.to_string();
        if !name.ends_with("FilterProperty") || e.variants.len() != 2 {
            continue;
        }
        let branch = |v: &syn::Variant| match &v.fields {
            syn::Fields::Unnamed(f) if f.unnamed.len() == 1 => Some(f.unnamed[0].ty.clone()),
            _ => None,
        };
        let (Some(exact), Some(advanced)) = (branch(&e.variants[0]), branch(&e.variants[1])) else {
            continue;
        };
        // The operators' branch: `Advanced…Filter`, or `BasicStringFilter`.
        if !crate::items::last_ident(&advanced)
            .is_some_and(|a| a.starts_with("Advanced") || a.ends_with("Filter"))
        {
            continue;
        }
        let old = [
            e.variants[0].ident.to_string(),
            e.variants[1].ident.to_string(),
        ];
        let exact_name = crate::items::last_ident(&exact).unwrap_or_default();
        let advanced_name = crate::items::last_ident(&advanced).unwrap_or_default();
        let exact_doc = format!(
            "An exact value (a `{exact_name}`): matches where the property equals it. Built with `From` from the plain value (`\"x\".into()`)."
        );
        let advanced_doc = format!(
            "Operators (an `{advanced_name}`: `$eq`, `$in`, `$exists`, …), combined with AND."
        );
        for (variant, (new, doc)) in e
            .variants
            .iter_mut()
            .zip([("Exact", exact_doc), ("Advanced", advanced_doc)])
        {
            variant.ident = syn::Ident::new(new, variant.ident.span());
            variant.attrs.retain(|a| !a.path().is_ident("doc"));
            variant.attrs.push(syn::parse_quote!(#[doc = #doc]));
        }
        let ident = e.ident.clone();
        let exact_ident = syn::Ident::new(&old[0], ident.span());
        let advanced_ident = syn::Ident::new(&old[1], ident.span());
        let note_exact = format!("renamed `{name}::Exact`");
        let note_advanced = format!("renamed `{name}::Advanced`");
        let doc_exact = format!(
            "The `Exact` branch under its former name: `{name}::{}(v)` builds `{name}::Exact(v)`.",
            old[0]
        );
        let doc_advanced = format!(
            "The `Advanced` branch under its former name: `{name}::{}(v)` builds `{name}::Advanced(v)`.",
            old[1]
        );
        added.push(syn::parse_quote! {
            #[allow(non_upper_case_globals)]
            impl #ident {
                #[doc = #doc_exact]
                #[deprecated(note = #note_exact)]
                pub const #exact_ident: fn(#exact) -> Self = Self::Exact;
                #[doc = #doc_advanced]
                #[deprecated(note = #note_advanced)]
                pub const #advanced_ident: fn(#advanced) -> Self = Self::Advanced;
            }
        });
        let key = owner_of(&exact);
        let mut plain = Vec::new();
        let found: Vec<&Conversion> = conversions.get(&key).into_iter().flatten().collect();
        let from_text = |t: &str| found.iter().any(|c| compact(&c.from) == t);
        // A text newtype (`NameExactMatch`) converts from `String` only:
        // the property also takes a `&str` and a `&String`.
        if from_text("String") && !from_text("&str") {
            for borrowed in [
                quote::quote!(&'a str),
                quote::quote!(&'a ::std::string::String),
            ] {
                added.push(syn::parse_quote! {
                    impl<'a> ::std::convert::From<#borrowed> for #ident {
                        fn from(value: #borrowed) -> Self {
                            Self::Exact(<#exact as ::std::convert::From<::std::string::String>>::from(value.to_string()))
                        }
                    }
                });
            }
            plain.push("From<&str>, From<&String> (through String)".to_string());
        }
        for conversion in found {
            let from = &conversion.from;
            let shown = compact(from);
            let (generics, from) = with_named_lifetime(from);
            if conversion.fallible {
                added.push(syn::parse_quote! {
                    impl #generics ::std::convert::TryFrom<#from> for #ident {
                        type Error = <#exact as ::std::convert::TryFrom<#from>>::Error;
                        fn try_from(value: #from) -> ::std::result::Result<Self, Self::Error> {
                            <#exact as ::std::convert::TryFrom<#from>>::try_from(value).map(Self::Exact)
                        }
                    }
                });
                plain.push(format!("TryFrom<{shown}>"));
            } else {
                added.push(syn::parse_quote! {
                    impl #generics ::std::convert::From<#from> for #ident {
                        fn from(value: #from) -> Self {
                            Self::Exact(<#exact as ::std::convert::From<#from>>::from(value))
                        }
                    }
                });
                plain.push(format!("From<{shown}>"));
            }
        }
        changes.push(format!(
            "{name}: {} -> Exact, {} -> Advanced; {}",
            old[0],
            old[1],
            if plain.is_empty() {
                "no plain value".to_string()
            } else {
                plain.join(", ")
            }
        ));
        renames.push((
            name,
            [(old[0].clone(), "Exact"), (old[1].clone(), "Advanced")],
        ));
    }
    let mut rename = Rename {
        renames: renames
            .into_iter()
            .map(|(name, pairs)| (name, pairs.map(|(old, new)| (old, new.to_string()))))
            .collect(),
        owner: Owner::default(),
    };
    rename.visit_file_mut(file);
    if let Some(types) = file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut(),
        _ => None,
    }) {
        types.1.extend(added);
    }
    changes
}

/// `(module, type)` a branch type is defined in: `crate::api::keys::K` →
/// `("keys", "K")`; a bare name is a sibling in `types`.
fn owner_of(ty: &syn::Type) -> (String, String) {
    let syn::Type::Path(p) = ty else {
        return (String::new(), String::new());
    };
    let segments: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    match segments.as_slice() {
        [one] => ("types".to_string(), one.clone()),
        [.., module, last] => (module.clone(), last.clone()),
        [] => (String::new(), String::new()),
    }
}

/// The `From`/`TryFrom` impls of the file, by the `(module, type)` they
/// convert into, keeping only those from a type nameable anywhere (a
/// primitive, `str`, `String`, an absolute path).
fn conversions(items: &[syn::Item], module: &str) -> BTreeMap<(String, String), Vec<Conversion>> {
    let mut out: BTreeMap<(String, String), Vec<Conversion>> = BTreeMap::new();
    for item in items {
        match item {
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    for (k, v) in conversions(inner, &m.ident.to_string()) {
                        out.entry(k).or_default().extend(v);
                    }
                }
            }
            syn::Item::Impl(i) => {
                let Some((trait_path, _)) = &i.trait_ else {
                    continue;
                };
                let Some(last) = trait_path.segments.last() else {
                    continue;
                };
                let fallible = match last.ident.to_string().as_str() {
                    "From" => false,
                    "TryFrom" => true,
                    _ => continue,
                };
                let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                    continue;
                };
                let Some(syn::GenericArgument::Type(from)) = args.args.first() else {
                    continue;
                };
                if !i.generics.params.is_empty() || !nameable_anywhere(from) {
                    continue;
                }
                let Some(owner) = crate::items::last_ident(&i.self_ty) else {
                    continue;
                };
                out.entry((module.to_string(), owner))
                    .or_default()
                    .push(Conversion {
                        fallible,
                        from: from.clone(),
                    });
            }
            _ => {}
        }
    }
    out
}

/// Whether `ty` means the same in every module of the file.
fn nameable_anywhere(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Reference(r) => nameable_anywhere(&r.elem),
        syn::Type::Path(p) if p.qself.is_none() => {
            if p.path.leading_colon.is_some() {
                return true;
            }
            let text = compact(ty);
            matches!(
                text.as_str(),
                "str"
                    | "String"
                    | "bool"
                    | "i8"
                    | "i16"
                    | "i32"
                    | "i64"
                    | "u8"
                    | "u16"
                    | "u32"
                    | "u64"
                    | "f32"
                    | "f64"
            )
        }
        _ => false,
    }
}

/// A reference type without a lifetime gets `'a` (an associated type may
/// not elide one), with the generics declaring it.
fn with_named_lifetime(ty: &syn::Type) -> (syn::Generics, syn::Type) {
    match ty {
        syn::Type::Reference(r) if r.lifetime.is_none() => {
            let mut r = r.clone();
            r.lifetime = Some(syn::parse_quote!('a));
            (syn::parse_quote!(<'a>), syn::Type::Reference(r))
        }
        other => (syn::Generics::default(), other.clone()),
    }
}

/// A type as a user names it (`DateTime<Utc>`, `JobKey`).
fn compact(ty: &syn::Type) -> String {
    crate::items::user_type(&crate::items::compact(ty))
}

/// Renames `Self::Old` inside the union's own impls and `Union::Old`
/// anywhere.
struct Rename {
    renames: BTreeMap<String, [(String, String); 2]>,
    owner: Owner,
}

impl Rename {
    fn new_name(&self, owner: &str, old: &syn::Ident) -> Option<syn::Ident> {
        let pairs = self.renames.get(owner)?;
        pairs
            .iter()
            .find(|(o, _)| old == o)
            .map(|(_, n)| syn::Ident::new(n, old.span()))
    }
}

impl VisitMut for Rename {
    fn visit_item_impl_mut(&mut self, block: &mut syn::ItemImpl) {
        Owner::visit_impl(self, block, |v| &mut v.owner);
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        syn::visit_mut::visit_path_mut(self, path);
        let n = path.segments.len();
        if n < 2 {
            return;
        }
        let parent = path.segments[n - 2].ident.to_string();
        let owner = if parent == "Self" {
            match self.owner.name() {
                Some(o) => o.to_string(),
                None => return,
            }
        } else {
            parent
        };
        let old = path.segments[n - 1].ident.clone();
        if let Some(new) = self.new_name(&owner, &old) {
            path.segments[n - 1].ident = new;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branches_are_renamed_and_plain_values_convert() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub enum StringFilterProperty {
                    ///old
                    NameExactMatch(NameExactMatch),
                    AdvancedStringFilter(AdvancedStringFilter),
                }
                impl ::std::convert::From<NameExactMatch> for StringFilterProperty {
                    fn from(value: NameExactMatch) -> Self {
                        Self::NameExactMatch(value)
                    }
                }
                pub struct NameExactMatch(pub ::std::string::String);
                impl ::std::convert::From<::std::string::String> for NameExactMatch {
                    fn from(value: ::std::string::String) -> Self { Self(value) }
                }
                pub enum KeyFilterProperty {
                    ProcessInstanceKey(crate::orchestration::keys::ProcessInstanceKey),
                    AdvancedKeyFilter(AdvancedKeyFilter),
                }
            }
            pub mod keys {
                impl ::std::convert::TryFrom<&str> for ProcessInstanceKey {
                    type Error = InvalidKey;
                    fn try_from(value: &str) -> Result<Self, InvalidKey> { todo!() }
                }
                impl ::std::convert::From<i64> for ProcessInstanceKey {
                    fn from(value: i64) -> Self { todo!() }
                }
                impl ::std::convert::From<&ProcessInstanceKey> for ProcessInstanceKey {
                    fn from(value: &ProcessInstanceKey) -> Self { todo!() }
                }
            }
        };
        let changes = filters_from_values(&mut file);
        assert_eq!(
            changes,
            [
                "StringFilterProperty: NameExactMatch -> Exact, AdvancedStringFilter -> Advanced; From<&str>, From<&String> (through String), From<String>",
                "KeyFilterProperty: ProcessInstanceKey -> Exact, AdvancedKeyFilter -> Advanced; TryFrom<&str>, From<i64>",
            ]
        );
        let code = prettyplease::unparse(&file);
        assert!(code.contains("Exact(NameExactMatch)"), "{code}");
        assert!(code.contains("Self::Exact(value)"), "{code}");
        assert!(
            code.contains("pub const NameExactMatch: fn(NameExactMatch) -> Self = Self::Exact;"),
            "{code}"
        );
        assert!(
            code.contains("impl<'a> ::std::convert::TryFrom<&'a str> for KeyFilterProperty"),
            "{code}"
        );
        assert!(
            !code.contains("From<&ProcessInstanceKey> for KeyFilterProperty"),
            "{code}"
        );
        assert!(
            code.contains("impl<'a> ::std::convert::From<&'a str> for StringFilterProperty"),
            "{code}"
        );
    }
}
