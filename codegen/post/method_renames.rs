//! Post-processing step `names_users_guess`: a few operations keep the
//! contract's operationId as a name a user does not search for: "set
//! variables" is `create_element_instance_variables` (a `PUT` that sets
//! them), `search_mapping_rule` is the one singular search among plural
//! ones, `get_process_instance_statistics` returns the statistics of the
//! instance's elements, and `get_resource_content` (a JSON map, deprecated
//! by Camunda) sits beside `get_resource_content_binary` (the bytes). The
//! step renames them from one table, `RENAMES` (codegen/post/renames.rs): the `Client` method, its
//! builder type (`builder::SetVariables`) and the docs that name them. The
//! old names stay as `#[deprecated]` aliases (a method calling the new one,
//! a type alias), so code written against them still compiles and is told
//! the new name.
//!
//! The same step says in the rustdoc of every method whose answer is bytes
//! (a `ByteStream`: documents, resource contents, XML, CSV) how to read it.

use super::renames::RENAMES;

/// The doc paragraph of a method whose answer is a `ByteStream`.
const READING_BYTES: &str = "\n\n# Reading the answer\n\n\
The answer is bytes, not JSON. With [`RawBody`](crate::RawBody) in scope, \
`send().await?.bytes().await?` reads it whole and `.text().await?` as UTF-8 text \
(XML, CSV). For a large document, stream it instead: `send().await?.into_inner()` \
is a `progenitor_client::ByteStream`, a `Stream` of [`bytes::Bytes`](crate::bytes::Bytes) \
chunks to read with `futures::StreamExt::next` and write to a file as they come.";

/// `snake_case` → `CamelCase`, as progenitor names an operation's builder.
fn camel(snake: &str) -> String {
    snake
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Replaces `old` with `new` in `text` where `old` is a whole identifier.
fn replace_word(text: &str, old: &str, new: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    while let Some(at) = rest.find(old) {
        let prefix = &rest[..at];
        let before = prefix
            .chars()
            .next_back()
            .or_else(|| out.chars().next_back());
        let after = rest[at + old.len()..].chars().next();
        out.push_str(prefix);
        let whole = !before.is_some_and(is_ident) && !after.is_some_and(is_ident);
        out.push_str(if whole { new } else { old });
        rest = &rest[at + old.len()..];
    }
    out.push_str(rest);
    out
}

/// Applies the step to the generated client of `api`; one line per rename
/// and per byte-returning method documented.
pub fn names_users_guess(api: &str, file: &mut syn::File) -> Vec<String> {
    let mut changes = Vec::new();
    let renames: Vec<(String, String, String, String)> = RENAMES
        .iter()
        .filter(|(a, ..)| *a == api)
        .map(|(_, old, new, _)| (old.to_string(), new.to_string(), camel(old), camel(new)))
        .collect();
    // Methods of `impl Client` that exist, so a renamed operation the
    // contract dropped is skipped instead of aliased to nothing.
    let methods: Vec<String> = client_impls(file)
        .flat_map(|block| {
            block.items.iter().filter_map(|i| match i {
                syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                _ => None,
            })
        })
        .collect();
    let renames: Vec<_> = renames
        .into_iter()
        .filter(|(old, ..)| methods.contains(old))
        .collect();
    for (old, new, old_type, new_type) in &renames {
        rename_in_items(&mut file.items, old, new, old_type, new_type, false);
        let why = RENAMES
            .iter()
            .find(|(a, o, ..)| *a == api && o == old)
            .map(|r| r.3)
            .unwrap_or_default();
        let old_fn = syn::Ident::new(old, proc_macro2::Span::call_site());
        let new_fn = syn::Ident::new(new, proc_macro2::Span::call_site());
        let old_ty = syn::Ident::new(old_type, proc_macro2::Span::call_site());
        let new_ty = syn::Ident::new(new_type, proc_macro2::Span::call_site());
        let method_doc = format!("Former name of [`Client::{new}`] (renamed: {why}).");
        let method_note = format!("renamed `{new}`: {why}");
        let type_doc = format!(
            "Former name of [`{new_type}`], the builder of [`Client::{new}`](super::Client::{new})."
        );
        let type_note = format!("renamed `{new_type}`");
        if let Some(block) = client_impl(file, new) {
            block.items.push(syn::parse_quote! {
                #[doc = #method_doc]
                #[deprecated(note = #method_note)]
                pub fn #old_fn(&self) -> builder::#new_ty<'_> {
                    self.#new_fn()
                }
            });
        }
        if let Some(items) = root_module(file, "builder") {
            items.push(syn::parse_quote! {
                #[doc = #type_doc]
                #[deprecated(note = #type_note)]
                pub type #old_ty<'a> = #new_ty<'a>;
            });
        }
        changes.push(format!(
            "Client::{old} -> {new}, builder::{old_type} -> {new_type} (old names deprecated aliases)"
        ));
    }
    let byte_builders = byte_builders(file);
    for block in client_impls(file) {
        for item in &mut block.items {
            let syn::ImplItem::Fn(f) = item else {
                continue;
            };
            if f.attrs.iter().any(|a| a.path().is_ident("deprecated")) {
                continue;
            }
            let syn::ReturnType::Type(_, ty) = &f.sig.output else {
                continue;
            };
            let Some(builder) = crate::items::last_ident(ty) else {
                continue;
            };
            if !byte_builders.contains(&builder) {
                continue;
            }
            f.attrs.push(syn::parse_quote!(#[doc = #READING_BYTES]));
            changes.push(format!("Client::{}: how to read the bytes", f.sig.ident));
        }
    }
    changes
}

/// The root inherent `impl Client` blocks (progenitor writes two: `new`
/// and friends, then the operations).
fn client_impls(file: &mut syn::File) -> impl Iterator<Item = &mut syn::ItemImpl> {
    file.items.iter_mut().filter_map(|item| match item {
        syn::Item::Impl(i)
            if i.trait_.is_none()
                && crate::items::last_ident(&i.self_ty).as_deref() == Some("Client") =>
        {
            Some(i)
        }
        _ => None,
    })
}

/// The root `impl Client` block that defines the method `name`.
fn client_impl<'f>(file: &'f mut syn::File, name: &str) -> Option<&'f mut syn::ItemImpl> {
    client_impls(file).find(|block| {
        block
            .items
            .iter()
            .any(|i| matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == name))
    })
}

/// The items of a root module.
fn root_module<'f>(file: &'f mut syn::File, name: &str) -> Option<&'f mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_mut().map(|c| &mut c.1),
        _ => None,
    })
}

/// Builders (root `builder` module) whose `send_raw` answers a `ByteStream`.
fn byte_builders(file: &mut syn::File) -> Vec<String> {
    use quote::ToTokens;
    let Some(items) = root_module(file, "builder") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items.iter() {
        let syn::Item::Impl(i) = item else {
            continue;
        };
        if i.trait_.is_some() {
            continue;
        }
        let answers_bytes = i.items.iter().any(|inner| {
            let syn::ImplItem::Fn(f) = inner else {
                return false;
            };
            if f.sig.ident != "send_raw" {
                return false;
            }
            let syn::ReturnType::Type(_, ty) = &f.sig.output else {
                return false;
            };
            let text: String = ty
                .to_token_stream()
                .to_string()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            text.contains("ResponseValue<ByteStream>")
        });
        if answers_bytes && let Some(name) = crate::items::last_ident(&i.self_ty) {
            out.push(name);
        }
    }
    out
}

/// Renames, among `items` (recursively): the method `old` of `impl Client`,
/// the builder type `old_type` (its definition and impls in the root
/// `builder` module, and `builder::OldType` paths elsewhere outside
/// `types`), and both names in doc comments.
fn rename_in_items(
    items: &mut [syn::Item],
    old: &str,
    new: &str,
    old_type: &str,
    new_type: &str,
    in_builder: bool,
) {
    use syn::visit_mut::VisitMut;
    struct Visitor<'r> {
        old: &'r str,
        new: &'r str,
        old_type: &'r str,
        new_type: &'r str,
        in_builder: bool,
        in_types: bool,
    }
    impl VisitMut for Visitor<'_> {
        fn visit_item_mod_mut(&mut self, m: &mut syn::ItemMod) {
            let before = (self.in_builder, self.in_types);
            self.in_types |= m.ident == "types";
            self.in_builder = m.ident == "builder" && !self.in_types;
            syn::visit_mut::visit_item_mod_mut(self, m);
            (self.in_builder, self.in_types) = before;
        }
        fn visit_item_struct_mut(&mut self, s: &mut syn::ItemStruct) {
            if self.in_builder && s.ident == self.old_type {
                s.ident = syn::Ident::new(self.new_type, s.ident.span());
            }
            syn::visit_mut::visit_item_struct_mut(self, s);
        }
        fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
            if !self.in_builder && !self.in_types && f.sig.ident == self.old {
                f.sig.ident = syn::Ident::new(self.new, f.sig.ident.span());
            }
            syn::visit_mut::visit_impl_item_fn_mut(self, f);
        }
        fn visit_path_mut(&mut self, path: &mut syn::Path) {
            let n = path.segments.len();
            if self.in_types {
                return;
            }
            for i in 0..n {
                let after_builder = i > 0 && path.segments[i - 1].ident == "builder";
                let renamed = after_builder || (i == 0 && self.in_builder);
                if renamed && path.segments[i].ident == self.old_type {
                    path.segments[i].ident =
                        syn::Ident::new(self.new_type, path.segments[i].ident.span());
                }
            }
            syn::visit_mut::visit_path_mut(self, path);
        }
        fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
            if !attr.path().is_ident("doc") {
                return;
            }
            let syn::Meta::NameValue(nv) = &mut attr.meta else {
                return;
            };
            let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) = &mut nv.value
            else {
                return;
            };
            let value = text.value();
            let changed = replace_word(
                &replace_word(&value, self.old, self.new),
                self.old_type,
                self.new_type,
            );
            if changed != value {
                *text = syn::LitStr::new(&changed, text.span());
            }
        }
    }
    let mut visitor = Visitor {
        old,
        new,
        old_type,
        new_type,
        in_builder,
        in_types: false,
    };
    for item in items {
        visitor.visit_item_mut(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_only() {
        assert_eq!(
            replace_word(
                "[`Client::search_mapping_rule`] and search_mapping_rules_for_group",
                "search_mapping_rule",
                "search_mapping_rules"
            ),
            "[`Client::search_mapping_rules`] and search_mapping_rules_for_group"
        );
        assert_eq!(
            camel("create_element_instance_variables"),
            "CreateElementInstanceVariables"
        );
    }

    #[test]
    fn a_renamed_operation_keeps_its_old_names_as_deprecated_aliases() {
        let mut file: syn::File = syn::parse_quote! {
            impl Client {
                ///Sends a `PUT` request; `client.create_element_instance_variables()`
                pub fn create_element_instance_variables(&self) -> builder::CreateElementInstanceVariables<'_> {
                    builder::CreateElementInstanceVariables::new(self)
                }
                pub fn get_document(&self) -> builder::GetDocument<'_> {
                    builder::GetDocument::new(self)
                }
            }
            pub mod builder {
                pub struct CreateElementInstanceVariables<'a> { client: &'a super::Client }
                impl<'a> CreateElementInstanceVariables<'a> {
                    pub fn new(client: &'a super::Client) -> Self { Self { client } }
                }
                pub struct GetDocument<'a> { client: &'a super::Client }
                impl<'a> GetDocument<'a> {
                    async fn send_raw(self) -> Result<ResponseValue<ByteStream>, Error<()>> { todo!() }
                }
            }
        };
        let changes = names_users_guess("orchestration", &mut file);
        assert_eq!(
            changes,
            [
                "Client::create_element_instance_variables -> set_variables, builder::CreateElementInstanceVariables -> SetVariables (old names deprecated aliases)",
                "Client::get_document: how to read the bytes",
            ]
        );
        let code = prettyplease::unparse(&file);
        assert!(
            code.contains("pub fn set_variables(&self) -> builder::SetVariables<'_>"),
            "{code}"
        );
        assert!(code.contains("builder::SetVariables::new(self)"), "{code}");
        assert!(code.contains("pub struct SetVariables<'a>"), "{code}");
        assert!(code.contains("impl<'a> SetVariables<'a>"), "{code}");
        assert!(code.contains("client.set_variables()"), "{code}");
        assert!(
            code.contains("pub type CreateElementInstanceVariables<'a> = SetVariables<'a>;"),
            "{code}"
        );
        assert!(
            code.contains(
                "pub fn create_element_instance_variables(&self) -> builder::SetVariables<'_>"
            ),
            "{code}"
        );
        assert!(code.contains("# Reading the answer"), "{code}");
    }
}
