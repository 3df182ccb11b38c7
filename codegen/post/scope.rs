//! Post-processing step `scoped_exchange`: in every operation's request
//! code, the request and the raw result live in blocks that end before the
//! next `.await`, so the call's future does not keep room for them.
//!
//! progenitor writes
//!
//! ```text
//! let mut request = client.client.get(url)/* … */.build()?;
//! let info = OperationInfo { operation_id: "…" };
//! client.pre(&mut request, &info).await?;
//! let result = client.exec(request, &info).await;
//! client.post(&result, &info).await?;
//! let response = result?;
//! ```
//!
//! which becomes
//!
//! ```text
//! let info = OperationInfo { operation_id: "…" };
//! let response = {
//!     let result = {
//!         let mut request = client.client.get(url)/* … */.build()?;
//!         client.pre(&mut request, &info).await?;
//!         client.exec(request, &info)
//!     }
//!     .await;
//!     client.post(&result, &info).await?;
//!     result?
//! };
//! ```
//!
//! Why: an `async fn` keeps a slot in its future for every local that was
//! borrowed, from its first borrow to the end of its scope, even after it
//! was moved away. `request` (264 bytes, borrowed by `pre`) and `result`
//! (borrowed by `post`) thus sat beside the request's future and beside
//! the decoding of the answer: a topology call's future was 1,080 bytes,
//! 840 with this step (bench build), and larger futures cost time in
//! copies and cache misses on every call. The same statements run in the
//! same order.

use quote::{ToTokens as _, quote};
use syn::visit_mut::VisitMut;

/// The statements between the request's and `info`'s and the end, as
/// progenitor writes them (compared as tokens).
const TAIL: [&str; 4] = [
    "client.pre(&mut request, &info).await?;",
    "let result = client.exec(request, &info).await;",
    "client.post(&result, &info).await?;",
    "let response = result?;",
];

struct Rewrite {
    tail: Vec<String>,
    changed: usize,
}

fn tokens(stmt: &syn::Stmt) -> String {
    stmt.to_token_stream().to_string()
}

fn binds(stmt: &syn::Stmt, name: &str) -> bool {
    let syn::Stmt::Local(local) = stmt else {
        return false;
    };
    matches!(&local.pat, syn::Pat::Ident(p) if p.ident == name && p.subpat.is_none())
}

impl Rewrite {
    /// Where the six statements start in `stmts`, if they are there.
    fn find(&self, stmts: &[syn::Stmt]) -> Option<usize> {
        stmts.windows(6).position(|w| {
            binds(&w[0], "request")
                && binds(&w[1], "info")
                && w[2..].iter().zip(&self.tail).all(|(s, t)| tokens(s) == *t)
        })
    }
}

impl VisitMut for Rewrite {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        syn::visit_mut::visit_block_mut(self, block);
        let Some(at) = self.find(&block.stmts) else {
            return;
        };
        let request = &block.stmts[at];
        let info = &block.stmts[at + 1];
        let scoped = quote! {
            #info
            let response = {
                let result = {
                    #request
                    client.pre(&mut request, &info).await?;
                    client.exec(request, &info)
                }
                .await;
                client.post(&result, &info).await?;
                result?
            };
        };
        let Ok(scoped) = syn::parse2::<syn::Block>(quote!({ #scoped })) else {
            return;
        };
        block.stmts.splice(at..at + 6, scoped.stmts);
        self.changed += 1;
    }
}

/// Rewrites every operation in `file`; one report line with the count, and
/// one more if some `client.exec` call was left as progenitor wrote it.
pub(crate) fn scoped_exchange(file: &mut syn::File) -> Vec<String> {
    let tail = TAIL
        .iter()
        .filter_map(|s| syn::parse_str::<syn::Stmt>(s).ok())
        .map(|s| tokens(&s))
        .collect::<Vec<_>>();
    if tail.len() != TAIL.len() {
        return vec!["the statement pattern does not parse: nothing rewritten".into()];
    }
    let mut rewrite = Rewrite { tail, changed: 0 };
    rewrite.visit_file_mut(file);
    let left = file
        .to_token_stream()
        .to_string()
        .matches(&rewrite.tail[1])
        .count();
    let mut report = Vec::new();
    if rewrite.changed > 0 {
        report.push(format!(
            "{} operations: request and result scoped to blocks",
            rewrite.changed
        ));
    }
    if left > 0 {
        report.push(format!("{left} exec calls left as progenitor wrote them"));
    }
    report
}

#[cfg(test)]
mod tests {
    use super::scoped_exchange;

    fn rewritten(code: &str) -> (String, Vec<String>) {
        let mut file: syn::File = syn::parse_str(code).unwrap();
        let report = scoped_exchange(&mut file);
        (prettyplease::unparse(&file), report)
    }

    const PROGENITOR: &str = r#"
        impl X {
            async fn send(self) -> Result<ResponseValue<T>, Error<E>> {
                let Self { client } = self;
                let url = client.inner.endpoint(&client.baseurl, &["/topology"]).map_err(Error::InvalidRequest)?;
                #[allow(unused_mut)]
                let mut request = client.client.get(url).build()?;
                let info = OperationInfo { operation_id: "get_topology" };
                client.pre(&mut request, &info).await?;
                let result = client.exec(request, &info).await;
                client.post(&result, &info).await?;
                let response = result?;
                match response.status().as_u16() {
                    200u16 => crate::call::decode::from_response(response).await,
                    _ => Err(Error::UnexpectedResponse(response)),
                }
            }
        }
    "#;

    #[test]
    fn request_and_result_end_before_the_next_await() {
        let (code, report) = rewritten(PROGENITOR);
        assert_eq!(
            report,
            ["1 operations: request and result scoped to blocks"]
        );
        let expected: syn::File = syn::parse_str(
            r#"
            impl X {
                async fn send(self) -> Result<ResponseValue<T>, Error<E>> {
                    let Self { client } = self;
                    let url = client.inner.endpoint(&client.baseurl, &["/topology"]).map_err(Error::InvalidRequest)?;
                    let info = OperationInfo { operation_id: "get_topology" };
                    let response = {
                        let result = {
                            #[allow(unused_mut)]
                            let mut request = client.client.get(url).build()?;
                            client.pre(&mut request, &info).await?;
                            client.exec(request, &info)
                        }
                        .await;
                        client.post(&result, &info).await?;
                        result?
                    };
                    match response.status().as_u16() {
                        200u16 => crate::call::decode::from_response(response).await,
                        _ => Err(Error::UnexpectedResponse(response)),
                    }
                }
            }
            "#,
        )
        .unwrap();
        assert_eq!(code, prettyplease::unparse(&expected));
    }

    #[test]
    fn other_shapes_are_left_and_reported() {
        let changed = PROGENITOR.replace(
            "client.post(&result, &info).await?;",
            "client.post(&result, &info).await.ok();",
        );
        let (code, report) = rewritten(&changed);
        assert_eq!(report, ["1 exec calls left as progenitor wrote them"]);
        assert!(code.contains("let result = client.exec(request, &info).await;"));
    }

    #[test]
    fn a_file_without_operations_has_no_report() {
        let (_, report) = rewritten("fn f() { let request = 1; }");
        assert!(report.is_empty());
    }
}
