//! `generated/<api>.rs` is the committed output of `camunda8-codegen`
//! (codegen/), which the build compiles as it is when its fingerprints
//! match; when they do not, the build generates anew. This test fails when
//! the code the build compiled differs from the committed copy, so a change
//! to a contract or to the generator shows up in review.
//! `CAMUNDA8_BLESS=1 cargo test -p camunda8-codegen` rewrites the copies
//! (codegen/tests/drift.rs holds the generator's own drift test).

use std::path::PathBuf;

/// Folder the build generated from when `CAMUNDA8_OPENAPI_DIR` was set
/// (empty for the committed contracts).
const GENERATED_FROM: &str = env!("CAMUNDA8_GENERATED_FROM");

fn check(api: &str, built: &str) {
    if !GENERATED_FROM.is_empty() {
        eprintln!(
            "NOTICE: this build generated `{api}` from CAMUNDA8_OPENAPI_DIR={GENERATED_FROM}, \
             not from openapi/; generated/{api}.rs is not compared"
        );
        return;
    }
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("generated")
        .join(format!("{api}.rs"));
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed == built {
        return;
    }
    panic!(
        "{} differs from the build's output; review and run CAMUNDA8_BLESS=1 cargo test -p camunda8-codegen",
        path.display()
    );
}

#[cfg(feature = "admin")]
#[test]
fn admin_is_committed() {
    check("admin", include_str!(concat!(env!("OUT_DIR"), "/admin.rs")));
}

#[cfg(feature = "zeebe")]
#[test]
fn zeebe_is_committed() {
    check("zeebe", include_str!(concat!(env!("OUT_DIR"), "/zeebe.rs")));
}

#[cfg(feature = "operate")]
#[test]
fn operate_is_committed() {
    check(
        "operate",
        include_str!(concat!(env!("OUT_DIR"), "/operate.rs")),
    );
}

#[cfg(feature = "orchestration")]
#[test]
fn orchestration_is_committed() {
    check(
        "orchestration",
        include_str!(concat!(env!("OUT_DIR"), "/orchestration.rs")),
    );
}

/// The code the build compiled, per enabled API.
#[allow(clippy::vec_init_then_push)] // which entries exist depends on features
fn built() -> Vec<(&'static str, &'static str)> {
    let mut built: Vec<(&str, &str)> = Vec::new();
    #[cfg(feature = "admin")]
    built.push(("admin", include_str!(concat!(env!("OUT_DIR"), "/admin.rs"))));
    #[cfg(feature = "zeebe")]
    built.push(("zeebe", include_str!(concat!(env!("OUT_DIR"), "/zeebe.rs"))));
    #[cfg(feature = "operate")]
    built.push((
        "operate",
        include_str!(concat!(env!("OUT_DIR"), "/operate.rs")),
    ));
    #[cfg(feature = "orchestration")]
    built.push((
        "orchestration",
        include_str!(concat!(env!("OUT_DIR"), "/orchestration.rs")),
    ));
    built
}

/// progenitor's usage examples are `text` blocks, not ignored doctests, and
/// the header names the post-processing step.
#[test]
fn examples_are_text_not_ignored_doctests() {
    let built = built();
    for (api, code) in built {
        let (header, body) = code.split_once("\n\n").unwrap();
        assert!(
            header.contains("// text_doc_examples — "),
            "{api}: header does not list text_doc_examples"
        );
        assert!(
            !body.lines().any(|l| l.trim() == "```ignore"),
            "{api}: an ```ignore block is left"
        );
        assert!(
            body.lines().any(|l| l.trim() == "```text"),
            "{api}: no usage example at all"
        );
    }
}

/// Every request builder's public `send()` returns the crate's `ApiError`
/// (step `own_error_type`), progenitor's `send` is private, and progenitor's
/// error is not re-exported; the header names the step.
#[test]
fn every_send_returns_the_crates_error() {
    let built = built();
    for (api, code) in built {
        let (header, body) = code.split_once("\n\n").unwrap();
        assert!(
            header.contains("// own_error_type — "),
            "{api}: header does not list own_error_type"
        );
        let public = body.matches("pub fn send(").count();
        let raw = body.matches("async fn send_raw(").count();
        assert!(public > 0, "{api}: no send()");
        assert_eq!(public, raw, "{api}: a send() without its send_raw()");
        assert_eq!(
            body.matches("crate::call::run(").count(),
            public,
            "{api}: a send() that does not go through crate::call::run"
        );
        assert!(
            !body.contains("pub async fn send_raw("),
            "{api}: send_raw is public"
        );
        let exported = body
            .lines()
            .find(|l| l.starts_with("pub use progenitor_client::"))
            .unwrap_or_default();
        assert!(
            !exported.contains(" Error,") && !exported.contains(" Error}"),
            "{api}: progenitor's Error is re-exported: {exported}"
        );
    }
}

/// Every public method of every generated `Client` carries the facts block
/// of step `document_operations` (version, consistency, body, returns,
/// codes, permissions, reference, as far as the contract states them).
#[test]
fn every_client_method_has_its_facts_block() {
    let built = built();
    for (api, code) in built {
        let file = syn::parse_file(code).unwrap();
        let mut methods = 0;
        for item in &file.items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            let is_client =
                matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"));
            if !is_client || block.trait_.is_some() {
                continue;
            }
            for inner in &block.items {
                let syn::ImplItem::Fn(f) = inner else {
                    continue;
                };
                if !matches!(f.vis, syn::Visibility::Public(_))
                    || f.sig.ident == "new"
                    || f.sig.ident == "new_with_client"
                    // a deprecated alias of a renamed operation
                    // (step names_users_guess) points to the new name
                    || f.attrs.iter().any(|a| a.path().is_ident("deprecated"))
                {
                    continue;
                }
                let doc: String = f
                    .attrs
                    .iter()
                    .filter_map(|a| match &a.meta {
                        syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                            syn::Expr::Lit(syn::ExprLit {
                                lit: syn::Lit::Str(s),
                                ..
                            }) => Some(s.value()),
                            _ => None,
                        },
                        _ => None,
                    })
                    .collect();
                methods += 1;
                assert!(
                    doc.contains("# Facts from the contract")
                        && doc.contains("- Success: ")
                        && doc.contains("- Reference"),
                    "{api}: Client::{} has no facts block",
                    f.sig.ident
                );
            }
        }
        assert!(methods > 0, "{api}: no Client methods found");
    }
}
