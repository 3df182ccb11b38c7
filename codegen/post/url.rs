//! Post-processing step `url_from_parsed_base`: the request URL of every
//! operation is built from the client's base URL parsed once, instead of a
//! formatted string that reqwest parses whole for every request.
//!
//! progenitor writes
//!
//! ```text
//! let url = format!("{}/jobs/{}/completion", client.baseurl, encode_path(&key.to_string()),);
//! ```
//!
//! which becomes
//!
//! ```text
//! let url = client.inner.endpoint(&client.baseurl, &["/jobs/", &encode_path(&key.to_string()), "/completion"])
//!     .map_err(Error::InvalidRequest)?;
//! ```
//!
//! and a path without parameters, whose URL is the same on every call,
//! keeps it in a static after its first use:
//!
//! ```text
//! let url = {
//!     static PATH: crate::call::url::FixedPath = crate::call::url::FixedPath::new("/topology");
//!     client.inner.fixed_endpoint(&client.baseurl, &PATH).map_err(Error::InvalidRequest)?
//! };
//! ```
//!
//! `Inner::endpoint` and `Inner::fixed_endpoint` (`src/call/url.rs`) give
//! the same URL; a URL that does not parse is progenitor's `InvalidRequest`
//! error instead of reqwest's builder error. Only a `format!` whose template has nothing but
//! `{}` placeholders, whose first argument is `client.baseurl` and whose
//! other arguments are `encode_path(..)` calls is rewritten; any other is
//! left as it is and named in the report.

use proc_macro2::Span;
use quote::ToTokens as _;
use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;

struct Rewrite {
    changed: usize,
    /// Of which paths without parameters (URL kept in a static).
    fixed: usize,
    left: Vec<String>,
}

impl VisitMut for Rewrite {
    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        let is_url = matches!(&local.pat, syn::Pat::Ident(p) if p.ident == "url");
        if let (true, Some(init)) = (is_url, local.init.as_mut())
            && let syn::Expr::Macro(mac) = &*init.expr
            && mac.mac.path.is_ident("format")
        {
            match rewrite(&mac.mac) {
                Some(expr) => {
                    self.fixed += usize::from(matches!(expr, syn::Expr::Block(_)));
                    *init.expr = expr;
                    self.changed += 1;
                }
                None => self.left.push(mac.mac.tokens.to_string()),
            }
        }
        syn::visit_mut::visit_local_mut(self, local);
    }
}

/// The endpoint call for one `format!`, if it has the expected shape.
fn rewrite(mac: &syn::Macro) -> Option<syn::Expr> {
    let args = mac
        .parse_body_with(Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated)
        .ok()?;
    let mut args = args.into_iter();
    let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(template),
        ..
    }) = args.next()?
    else {
        return None;
    };
    let base = args.next()?;
    if base.to_token_stream().to_string() != "client . baseurl" {
        return None;
    }
    let params: Vec<syn::Expr> = args.collect();
    if !params.iter().all(is_encode_path_call) {
        return None;
    }
    let template = template.value();
    let pieces: Vec<&str> = template.split("{}").collect();
    // The base first, then one parameter between each two pieces.
    let literal_ok = pieces.iter().all(|p| !p.contains(['{', '}']));
    if !literal_ok || pieces.len() != params.len() + 2 || !pieces[0].is_empty() {
        return None;
    }
    if params.is_empty() {
        let path = syn::LitStr::new(pieces[1], Span::call_site());
        return Some(syn::parse_quote! {
            {
                static PATH: crate::call::url::FixedPath = crate::call::url::FixedPath::new(#path);
                client
                    .inner
                    .fixed_endpoint(&client.baseurl, &PATH)
                    .map_err(Error::InvalidRequest)?
            }
        });
    }
    let mut parts: Vec<syn::Expr> = Vec::new();
    let mut params = params.into_iter();
    for (i, piece) in pieces.iter().enumerate().skip(1) {
        if !piece.is_empty() {
            let lit = syn::LitStr::new(piece, Span::call_site());
            parts.push(syn::parse_quote!(#lit));
        }
        if i + 1 < pieces.len() {
            let param = params.next()?;
            parts.push(syn::parse_quote!(&#param));
        }
    }
    Some(syn::parse_quote! {
        client
            .inner
            .endpoint(&client.baseurl, &[#(#parts),*])
            .map_err(Error::InvalidRequest)?
    })
}

fn is_encode_path_call(expr: &syn::Expr) -> bool {
    matches!(expr, syn::Expr::Call(call)
        if matches!(&*call.func, syn::Expr::Path(p) if p.path.is_ident("encode_path")))
}

/// Rewrites every request URL in `file`; report lines: the count, and each
/// `format!` left as it was.
pub(crate) fn url_from_parsed_base(file: &mut syn::File) -> Vec<String> {
    let mut rewrite = Rewrite {
        changed: 0,
        fixed: 0,
        left: Vec::new(),
    };
    rewrite.visit_file_mut(file);
    let mut report = Vec::new();
    if rewrite.changed > 0 {
        report.push(format!(
            "{} request URLs built by Inner::endpoint ({} fixed paths kept after their first use)",
            rewrite.changed, rewrite.fixed
        ));
    }
    report.extend(
        rewrite
            .left
            .into_iter()
            .map(|tokens| format!("left as format!: {tokens}")),
    );
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(file: &mut syn::File) -> (Vec<String>, String) {
        let report = url_from_parsed_base(file);
        (report, prettyplease::unparse(file))
    }

    #[test]
    fn a_path_with_parameters_becomes_an_endpoint_call() {
        let mut file: syn::File = syn::parse_quote! {
            async fn send_raw() {
                let url = format!(
                    "{}/jobs/{}/completion", client.baseurl, encode_path(&job_key.to_string()),
                );
                let other = format!("{}", x);
            }
        };
        let (report, text) = rewritten(&mut file);
        assert_eq!(
            report,
            vec![
                "1 request URLs built by Inner::endpoint (0 fixed paths kept after their first use)"
            ]
        );
        let expected = "let url = client\n        .inner\n        .endpoint(\n            &client.baseurl,\n            &[\"/jobs/\", &encode_path(&job_key.to_string()), \"/completion\"],\n        )\n        .map_err(Error::InvalidRequest)?;";
        assert!(text.contains(expected), "{text}");
        assert!(text.contains("let other = format!"), "{text}");
    }

    #[test]
    fn a_fixed_path_and_adjacent_parameters_keep_their_order() {
        let mut file: syn::File = syn::parse_quote! {
            async fn send_raw() {
                let url = format!("{}/topology", client.baseurl,);
                let url = format!("{}/a/{}{}", client.baseurl, encode_path(&a), encode_path(&b));
            }
        };
        let (report, text) = rewritten(&mut file);
        assert_eq!(
            report,
            vec![
                "2 request URLs built by Inner::endpoint (1 fixed paths kept after their first use)"
            ]
        );
        let fixed = "static PATH: crate::call::url::FixedPath = crate::call::url::FixedPath::new(\n            \"/topology\",\n        );\n        client\n            .inner\n            .fixed_endpoint(&client.baseurl, &PATH)\n            .map_err(Error::InvalidRequest)?";
        assert!(text.contains(fixed), "{text}");
        assert!(
            text.contains("&[\"/a/\", &encode_path(&a), &encode_path(&b)]"),
            "{text}"
        );
    }

    #[test]
    fn an_unexpected_shape_is_left_and_reported() {
        let mut file: syn::File = syn::parse_quote! {
            async fn send_raw() {
                let url = format!("{}/jobs/{:?}", client.baseurl, key);
                let url = format!("{}/jobs/{}", other.baseurl, encode_path(&k));
                let url = format!("{}/jobs/{}", client.baseurl, k.to_string());
            }
        };
        let (report, text) = rewritten(&mut file);
        assert_eq!(report.len(), 3, "{report:?}");
        assert!(report.iter().all(|l| l.starts_with("left as format!")));
        assert_eq!(text.matches("format!").count(), 3);
    }
}
