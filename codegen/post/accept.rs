//! Post-processing step `accept_success_media_types`: an operation whose
//! success answer is not JSON asks for the media type(s) its contract
//! declares for that answer.
//!
//! progenitor writes `Accept: application/json` into the request of an
//! operation whose success body is JSON, and no `Accept` at all into one
//! whose success body is anything else: the document download
//! (`getDocument`, `application/octet-stream`), a resource's binary content
//! (`getResourceContentBinary`), the BPMN and DMN XML (`text/xml`), the
//! Administration API's activity CSV (`text/csv`, from an erratum). reqwest
//! then sends its default `*/*`, which tells a server that negotiates on
//! `Accept` (Camunda's gateway is Spring) nothing about what the client can
//! read, and lets it pick any representation it produces. The step gives
//! such a request the header progenitor gives a JSON one, with the
//! contract's media types instead: the ones listed under the operation's
//! success responses in the normalized contract, in the contract's order,
//! joined by `, ` when there are several.
//!
//! An operation with a JSON success body is left as progenitor writes it,
//! and so is one without any success body (its Accept is whatever
//! progenitor sends). Success means what it means to the contract step
//! `single_success_kind` (codegen/contract/media.rs), which leaves one kind
//! of success answer per operation: the 204 "no XML" of
//! `getProcessDefinitionXML`, declared `text/plain` without a body, is
//! dropped there, so that request asks for `text/xml` alone.
//!
//! The request builder gets the header right after the HTTP method, where
//! progenitor puts its own `Accept` (`client.client.get(url).header(…)`).
//! A request that already has an `Accept`, or whose builder is not found
//! once, fails generation with the operation named, rather than sending two
//! headers or none.

use std::collections::BTreeMap;

use serde_json::Value;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;

/// Per operation (method name, as in `OperationInfo::operation_id`), the
/// `Accept` its request sends instead of none.
pub type Accepts = BTreeMap<String, String>;

/// The operations of the normalized `spec` whose success answers are not
/// JSON, with the media types those answers declare (`text/xml`,
/// `application/octet-stream`; several joined by `, `).
pub fn collect(spec: &Value) -> Accepts {
    let mut out = Accepts::new();
    let mut walked = spec.clone();
    crate::walk::visit_operations(&mut walked, &mut |op, _, _, _| {
        let Some(id) = op.get("operationId").and_then(Value::as_str) else {
            return;
        };
        let Some(responses) = op.get("responses").and_then(Value::as_object) else {
            return;
        };
        let mut types: Vec<&str> = Vec::new();
        for (code, response) in responses {
            if !crate::contract::media::is_success(code) {
                continue;
            }
            let response = crate::walk::resolve(spec, response);
            let Some(content) = response.get("content").and_then(Value::as_object) else {
                continue;
            };
            for media in content.keys() {
                if !types.contains(&media.as_str()) {
                    types.push(media);
                }
            }
        }
        if types.is_empty()
            || types
                .iter()
                .any(|t| crate::contract::media::is_json_like(t))
        {
            return;
        }
        out.insert(crate::words::snake(id), types.join(", "));
    });
    out
}

/// Whether `expr` is `client.client`, the reqwest client a generated
/// request is built on.
fn is_http_client(expr: &syn::Expr) -> bool {
    matches!(expr, syn::Expr::Field(f)
        if matches!(&f.member, syn::Member::Named(n) if n == "client")
            && matches!(&*f.base, syn::Expr::Path(p) if p.path.is_ident("client")))
}

/// The HTTP methods of reqwest's `Client` progenitor starts a request with.
const METHODS: [&str; 6] = ["get", "post", "put", "patch", "delete", "head"];

/// Adds `.header(ACCEPT, …)` after `client.client.<method>(url)`.
struct AddAccept<'a> {
    accept: &'a str,
    added: usize,
}

impl VisitMut for AddAccept<'_> {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let syn::Expr::MethodCall(call) = expr else {
            return;
        };
        let method = call.method.to_string();
        if !METHODS.contains(&method.as_str()) || !is_http_client(&call.receiver) {
            return;
        }
        let accept = syn::LitStr::new(self.accept, proc_macro2::Span::call_site());
        let started = expr.clone();
        *expr = syn::parse_quote! {
            #started.header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static(#accept),
            )
        };
        self.added += 1;
    }
}

/// Whether `block` names `ACCEPT` anywhere (progenitor's own header).
fn sends_accept(block: &syn::Block) -> bool {
    struct Find(bool);
    impl<'ast> Visit<'ast> for Find {
        fn visit_path(&mut self, path: &'ast syn::Path) {
            if path.segments.last().is_some_and(|s| s.ident == "ACCEPT") {
                self.0 = true;
            }
            syn::visit::visit_path(self, path);
        }
    }
    let mut find = Find(false);
    find.visit_block(block);
    find.0
}

/// Post-processing step `accept_success_media_types` (see the module
/// docs): every operation of `accepts` with generated request code asks for
/// its media types. One line per operation; an operation of `accepts`
/// without generated request code (a hand-written one) is reported as
/// such.
pub fn accept_success_media_types(
    file: &mut syn::File,
    accepts: &Accepts,
) -> Result<Vec<String>, String> {
    struct Operations<'a> {
        accepts: &'a Accepts,
        done: BTreeMap<String, usize>,
        error: Option<String>,
    }
    impl VisitMut for Operations<'_> {
        fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
            let Some(id) = crate::items::operation_id(&f.block) else {
                return;
            };
            let Some(accept) = self.accepts.get(&id) else {
                return;
            };
            if sends_accept(&f.block) {
                self.error.get_or_insert(format!(
                    "{id}: the request already sends an Accept; its success answer ({accept}) \
                     is not JSON: check the contract and progenitor's output"
                ));
                return;
            }
            let mut add = AddAccept { accept, added: 0 };
            add.visit_block_mut(&mut f.block);
            *self.done.entry(id).or_default() += add.added;
        }
    }
    let mut operations = Operations {
        accepts,
        done: BTreeMap::new(),
        error: None,
    };
    operations.visit_file_mut(file);
    if let Some(error) = operations.error {
        return Err(error);
    }
    let mut report = Vec::new();
    for (id, accept) in accepts {
        match operations.done.get(id) {
            Some(1) => report.push(format!("{id}: Accept: {accept}")),
            Some(n) => {
                return Err(format!(
                    "{id}: {n} request builders found (expected 1): check the generated code"
                ));
            }
            None => report.push(format!(
                "{id}: no generated request code (hand-written; it must ask for {accept} itself)"
            )),
        }
    }
    Ok(report)
}
