//! Post-processing step `no_empty_header_map`: an operation without header
//! parameters builds no header map.
//!
//! progenitor writes, for every operation,
//!
//! ```text
//! let mut header_map = ::reqwest::header::HeaderMap::with_capacity(0usize);
//! // (one append per header parameter)
//! let mut request = client.client.get(url)/* … */.headers(header_map).build()?;
//! ```
//!
//! Once `no_api_version_header` has dropped the `api-version` append, an
//! operation without header parameters (all of Camunda's, today) appends
//! nothing, and the empty map is still built, handed to reqwest's
//! `RequestBuilder::headers`, merged into the request's map and dropped:
//! about 200 instructions a request for nothing. The step removes the map
//! and the `.headers(header_map)` call when that call is the map's only
//! use; a map that something appends to is left as it is.

use syn::visit::Visit;
use syn::visit_mut::VisitMut;

/// Whether `stmt` is `let mut header_map = …HeaderMap::with_capacity(0usize);`.
fn is_empty_map(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Local(local) = stmt else {
        return false;
    };
    let binds = matches!(&local.pat, syn::Pat::Ident(p) if p.ident == "header_map");
    let Some(init) = &local.init else {
        return false;
    };
    let syn::Expr::Call(call) = &*init.expr else {
        return false;
    };
    let with_capacity = is_header_map_with_capacity(&call.func);
    let zero = matches!(call.args.first(), Some(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(n), .. }))
        if n.base10_parse::<usize>().ok() == Some(0));
    binds && with_capacity && zero && call.args.len() == 1
}

/// Whether `func` is `…HeaderMap::with_capacity` (also used by the step
/// `no_api_version_header`, which shrinks that capacity).
pub(crate) fn is_header_map_with_capacity(func: &syn::Expr) -> bool {
    matches!(func, syn::Expr::Path(p)
        if p.path.segments.iter().rev().nth(1).is_some_and(|s| s.ident == "HeaderMap")
            && p.path.segments.last().is_some_and(|s| s.ident == "with_capacity"))
}

fn is_header_map(expr: &syn::Expr) -> bool {
    matches!(expr, syn::Expr::Path(p) if p.path.is_ident("header_map"))
}

/// Counts the mentions of `header_map`.
struct Mentions(usize);

impl<'a> Visit<'a> for Mentions {
    fn visit_expr(&mut self, expr: &'a syn::Expr) {
        if is_header_map(expr) {
            self.0 += 1;
        }
        syn::visit::visit_expr(self, expr);
    }
}

fn mentions(stmts: &[syn::Stmt]) -> usize {
    let mut count = Mentions(0);
    for stmt in stmts {
        count.visit_stmt(stmt);
    }
    count.0
}

/// Replaces `receiver.headers(header_map)` by `receiver`.
struct DropMerge;

impl VisitMut for DropMerge {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::MethodCall(call) = expr
            && call.method == "headers"
            && call.args.len() == 1
            && call.args.first().is_some_and(is_header_map)
        {
            let receiver = (*call.receiver).clone();
            *expr = receiver;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

struct Rewrite {
    changed: usize,
    left: usize,
}

impl VisitMut for Rewrite {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        syn::visit_mut::visit_block_mut(self, block);
        let Some(at) = block.stmts.iter().position(is_empty_map) else {
            return;
        };
        let mut rest = block.stmts[at + 1..].to_vec();
        if mentions(&rest) != 1 {
            self.left += 1;
            return;
        }
        for stmt in &mut rest {
            DropMerge.visit_stmt_mut(stmt);
        }
        if mentions(&rest) != 0 {
            self.left += 1;
            return;
        }
        block.stmts.truncate(at);
        block.stmts.extend(rest);
        self.changed += 1;
    }
}

/// Rewrites every operation in `file`; report lines: the count, and the
/// count of header maps left because something else uses them.
pub(crate) fn no_empty_header_map(file: &mut syn::File) -> Vec<String> {
    let mut rewrite = Rewrite {
        changed: 0,
        left: 0,
    };
    rewrite.visit_file_mut(file);
    let mut report = Vec::new();
    if rewrite.changed > 0 {
        report.push(format!(
            "{} operations: no empty header map built and merged",
            rewrite.changed
        ));
    }
    if rewrite.left > 0 {
        report.push(format!(
            "{} empty header maps left: used otherwise than by .headers()",
            rewrite.left
        ));
    }
    report
}

#[cfg(test)]
mod tests {
    use super::no_empty_header_map;

    fn rewritten(file: &mut syn::File) -> (Vec<String>, String) {
        let report = no_empty_header_map(file);
        (report, prettyplease::unparse(file))
    }

    #[test]
    fn an_empty_map_only_merged_is_not_built() {
        let mut file: syn::File = syn::parse_quote! {
            async fn send_raw() {
                let url = client.inner.endpoint(&client.baseurl, &["/topology"])?;
                #[allow(unused_mut)]
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(0usize);
                let mut request = client
                    .client
                    .get(url)
                    .header(::reqwest::header::ACCEPT, ::reqwest::header::HeaderValue::from_static("application/json"))
                    .headers(header_map)
                    .build()?;
            }
        };
        let (report, text) = rewritten(&mut file);
        assert_eq!(
            report,
            ["1 operations: no empty header map built and merged"]
        );
        assert!(!text.contains("header_map"), "{text}");
        assert!(!text.contains(".headers("), "{text}");
        assert!(text.contains("::reqwest::header::ACCEPT,"), "{text}");
        assert!(text.contains(".build()?"), "{text}");
    }

    #[test]
    fn a_map_with_headers_or_another_use_is_left() {
        let mut file: syn::File = syn::parse_quote! {
            async fn with_parameter() {
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                header_map.append("x-id", HeaderValue::try_from(id)?);
                let mut request = client.client.get(url).headers(header_map).build()?;
            }
            async fn used_twice() {
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(0usize);
                log(&header_map);
                let mut request = client.client.get(url).headers(header_map).build()?;
            }
        };
        let before = prettyplease::unparse(&file);
        let (report, text) = rewritten(&mut file);
        assert_eq!(
            report,
            ["1 empty header maps left: used otherwise than by .headers()"]
        );
        assert_eq!(text, before);
    }
}
