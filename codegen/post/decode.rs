//! Post-processing step `decode_moves_headers`: every
//! `ResponseValue::from_response(response)` in the generated code becomes
//! `crate::call::decode::from_response(response)`.
//!
//! Why: progenitor's runtime copies the response's header map before it
//! reads the body (`response.headers().clone()`: two allocations and a
//! reference-count increment per header, on every answer decoded). The
//! crate's own function (`src/call/decode.rs`) takes the headers out of the
//! response instead, which it owns, and otherwise does the same: read the
//! body, decode it with serde_json, keep the bytes in
//! `InvalidResponsePayload` when they do not decode.

use syn::visit_mut::VisitMut;

/// The call progenitor writes, as path segments.
const PROGENITOR: [&str; 2] = ["ResponseValue", "from_response"];

/// The crate's replacement.
const OWN: &str = "crate::call::decode::from_response";

struct Rewrite {
    changed: usize,
}

impl VisitMut for Rewrite {
    fn visit_expr_path_mut(&mut self, expr: &mut syn::ExprPath) {
        let names: Vec<String> = expr
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        let is_progenitors = expr.qself.is_none()
            && names.len() == PROGENITOR.len()
            && names.iter().zip(PROGENITOR).all(|(a, b)| a == b)
            && expr.path.segments.iter().all(|s| s.arguments.is_none());
        if is_progenitors && let Ok(own) = syn::parse_str::<syn::Path>(OWN) {
            expr.path = own;
            self.changed += 1;
        }
        syn::visit_mut::visit_expr_path_mut(self, expr);
    }
}

/// Rewrites every call in `file`; one report line with the count.
pub(crate) fn decode_moves_headers(file: &mut syn::File) -> Vec<String> {
    let mut rewrite = Rewrite { changed: 0 };
    rewrite.visit_file_mut(file);
    if rewrite.changed == 0 {
        Vec::new()
    } else {
        vec![format!(
            "{} calls of ResponseValue::from_response -> {OWN}",
            rewrite.changed
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_progenitors_decode_call_is_rewritten() {
        let mut file: syn::File = syn::parse_quote! {
            async fn send() {
                match status {
                    200u16 => ResponseValue::from_response(response).await,
                    400u16 => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)),
                    204u16 => Ok(ResponseValue::empty(response)),
                    _ => other::from_response(response).await,
                }
            }
        };
        let report = decode_moves_headers(&mut file);
        assert_eq!(
            report,
            vec![format!("2 calls of ResponseValue::from_response -> {OWN}")]
        );
        let text = prettyplease::unparse(&file);
        assert_eq!(
            text.matches("crate::call::decode::from_response(response)")
                .count(),
            2
        );
        assert!(text.contains("ResponseValue::empty(response)"));
        assert!(text.contains("other::from_response(response)"));
        assert!(!text.contains("ResponseValue::from_response"));
    }
}
