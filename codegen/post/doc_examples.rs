//! Post-processing step `text_doc_examples`: progenitor's usage examples
//! are `text` blocks, not ignored doctests.

/// The fence progenitor opens its usage examples with.
const IGNORE_FENCE: &str = "```ignore";
/// The fence they get instead.
const TEXT_FENCE: &str = "```text";

/// Post-processing step `text_doc_examples`: in every doc comment of the
/// generated items (recursively: modules, impl blocks and their methods),
/// a code block opened with ```` ```ignore ```` is opened with
/// ```` ```text ```` instead. Returns one line per rewritten doc comment.
///
/// Why: progenitor documents each client method with a usage snippet in an
/// `ignore` block (it cannot know the crate's name, so the snippet cannot be
/// compiled). rustdoc still collects such blocks as doctests and
/// `cargo test` lists every one as "ignored", which hides real ignored
/// tests among dozens of illustrations. A `text` block renders the same
/// snippet and is not a doctest.
pub fn text_doc_examples(items: &mut [syn::Item]) -> Vec<String> {
    let mut changes = Vec::new();
    for item in items {
        match item {
            syn::Item::Mod(m) => {
                let name = m.ident.to_string();
                retext_attrs(&mut m.attrs, &name, &mut changes);
                if let Some((_, inner)) = m.content.as_mut() {
                    changes.extend(text_doc_examples(inner));
                }
            }
            syn::Item::Impl(i) => {
                for inner in &mut i.items {
                    if let syn::ImplItem::Fn(f) = inner {
                        let name = f.sig.ident.to_string();
                        retext_attrs(&mut f.attrs, &name, &mut changes);
                    }
                }
            }
            syn::Item::Fn(f) => {
                let name = f.sig.ident.to_string();
                retext_attrs(&mut f.attrs, &name, &mut changes);
            }
            syn::Item::Struct(s) => {
                let name = s.ident.to_string();
                retext_attrs(&mut s.attrs, &name, &mut changes);
            }
            syn::Item::Enum(e) => {
                let name = e.ident.to_string();
                retext_attrs(&mut e.attrs, &name, &mut changes);
            }
            syn::Item::Trait(t) => {
                let name = t.ident.to_string();
                retext_attrs(&mut t.attrs, &name, &mut changes);
                for inner in &mut t.items {
                    if let syn::TraitItem::Fn(f) = inner {
                        let name = format!("{}::{}", t.ident, f.sig.ident);
                        retext_attrs(&mut f.attrs, &name, &mut changes);
                    }
                }
            }
            _ => {}
        }
    }
    changes
}

/// Rewrites the `ignore` fences of the `#[doc = "…"]` attributes of `name`.
fn retext_attrs(attrs: &mut [syn::Attribute], name: &str, changes: &mut Vec<String>) {
    for attr in attrs {
        if !attr.path().is_ident("doc") {
            continue;
        }
        let syn::Meta::NameValue(nv) = &mut attr.meta else {
            continue;
        };
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) = &mut nv.value
        else {
            continue;
        };
        let old = text.value();
        let mut count = 0;
        let new: Vec<&str> = old
            .split('\n')
            .map(|line| {
                if line.trim() == IGNORE_FENCE {
                    count += 1;
                    TEXT_FENCE
                } else {
                    line
                }
            })
            .collect();
        if count > 0 {
            *text = syn::LitStr::new(&new.join("\n"), text.span());
            changes.push(format!(
                "{name}: {count} example block(s) ```ignore -> ```text"
            ));
        }
    }
}
