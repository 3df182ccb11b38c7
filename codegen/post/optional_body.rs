//! Post-processing step `optional_bodies`: an operation whose request body
//! the contract does not require can be sent without the caller setting
//! one.
//!
//! progenitor treats every request body as required. A body typed
//! `serde_json::Value` (no builder) starts as the error "body was not
//! initialized", so `cancel_batch_operation().batch_operation_key(k).send()`
//! failed before sending anything, though the contract allows the call
//! without a body. A body with a builder starts from the builder's default,
//! so the call sent `{}`, or failed at send time ("no value supplied for
//! …") when the body type has required members (`createGroup`).
//!
//! For each operation whose `requestBody` is not `required: true`, the
//! operation builder's `body` field becomes `Option<Result<T, String>>`:
//!
//! - `new()` leaves it `None`;
//! - `.body(value)` sets it, as before;
//! - `.body_map(f)` applies `f` to the body set so far, or to the body
//!   builder's default when none is (so `body_map` works as before);
//! - `send()` converts a body that is set, as before, and builds the
//!   request with `crate::call::body::optional_json`, which adds the JSON body
//!   when there is one and the empty object `{}` when there is none (what
//!   Camunda's TypeScript client sends; the contract allows it, and no
//!   body at all).
//!
//! A required body is left as progenitor writes it.

use std::collections::BTreeSet;

use serde_json::Value;
use syn::visit_mut::VisitMut;

/// The method names of the operations with a request body that is not
/// required, from the normalized spec.
pub fn collect(spec: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut spec = spec.clone();
    crate::walk::visit_operations(&mut spec, &mut |op, _, _, _| {
        let Some(body) = op.get("requestBody") else {
            return;
        };
        let required = body.get("required").and_then(Value::as_bool) == Some(true);
        if let (false, Some(id)) = (required, op.get("operationId").and_then(Value::as_str)) {
            out.insert(crate::words::snake(id));
        }
    });
    out
}

/// The rustdoc added to the `body` setter of an optional body.
const BODY_DOC: &str = "\n\nThe contract makes this body optional: without `.body(…)` or `.body_map(…)`, the request carries the empty JSON object `{}` (step `optional_bodies`).";

/// The name of the type an impl block is for.
fn self_name(block: &syn::ItemImpl) -> Option<String> {
    match &*block.self_ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn is_body_path(expr: &syn::Expr) -> bool {
    matches!(expr, syn::Expr::Path(p) if p.path.is_ident("body"))
}

/// `self.body` as an assignment target.
fn is_self_body(expr: &syn::Expr) -> bool {
    matches!(expr, syn::Expr::Field(f)
        if matches!(&f.member, syn::Member::Named(n) if n == "body")
            && matches!(&*f.base, syn::Expr::Path(p) if p.path.is_ident("self")))
}

/// The rewrites of one operation builder's impl block, counted by kind.
#[derive(Default)]
struct InImpl {
    /// `body: …` in `new()`.
    init: usize,
    /// `self.body = …` in `body()` and `body_map()`.
    set: usize,
    /// `let body = …` in `send_raw()`.
    convert: usize,
    /// `.json(&body)` in `send_raw()`.
    json: usize,
}

impl InImpl {
    fn rewrite(&mut self, f: &mut syn::ImplItemFn) {
        let name = f.sig.ident.to_string();
        match name.as_str() {
            "new" => self.visit_block_mut(&mut f.block),
            "body" => {
                self.visit_block_mut(&mut f.block);
                f.attrs.push(syn::parse_quote!(#[doc = #BODY_DOC]));
            }
            "body_map" | "send_raw" => self.visit_block_mut(&mut f.block),
            _ => {}
        }
    }
}

impl VisitMut for InImpl {
    fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
        // `Self { …, body: <initial> }` in new()
        if matches!(&field.member, syn::Member::Named(n) if n == "body") {
            field.expr = syn::parse_quote!(::std::option::Option::None);
            self.init += 1;
            return;
        }
        syn::visit_mut::visit_field_value_mut(self, field);
    }

    fn visit_expr_assign_mut(&mut self, assign: &mut syn::ExprAssign) {
        if is_self_body(&assign.left) {
            let right = &assign.right;
            let is_map = matches!(&**right, syn::Expr::MethodCall(m)
                if m.method == "map" && is_self_body(&m.receiver));
            assign.right = if is_map {
                // body_map: from the body set so far, or the builder's default
                syn::parse_quote!(::std::option::Option::Some(
                    self.body
                        .unwrap_or_else(|| ::std::result::Result::Ok(
                            ::std::default::Default::default()
                        ))
                        .map(f)
                ))
            } else {
                syn::parse_quote!(::std::option::Option::Some(#right))
            };
            self.set += 1;
            return;
        }
        syn::visit_mut::visit_expr_assign_mut(self, assign);
    }

    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        let is_body = matches!(&local.pat, syn::Pat::Ident(p) if p.ident == "body");
        if let (true, Some(init)) = (is_body, local.init.as_mut()) {
            let convert = &init.expr;
            init.expr = syn::parse_quote! {
                match body {
                    ::std::option::Option::Some(body) => ::std::option::Option::Some(#convert),
                    ::std::option::Option::None => ::std::option::Option::None,
                }
            };
            self.convert += 1;
            return;
        }
        syn::visit_mut::visit_local_mut(self, local);
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        if let syn::Expr::MethodCall(call) = expr
            && call.method == "json"
            && call.args.len() == 1
            && matches!(call.args.first(), Some(syn::Expr::Reference(r)) if is_body_path(&r.expr))
        {
            let receiver = &call.receiver;
            *expr = syn::parse_quote!(crate::call::body::optional_json(#receiver, body.as_ref()));
            self.json += 1;
        }
    }
}

/// Post-processing step `optional_bodies` (see the module docs). Report:
/// one line per operation made optional, and each operation of `optional`
/// without generated request code (hand-written ones); an error when an
/// operation builder does not have the expected shape.
pub(crate) fn optional_bodies(
    file: &mut syn::File,
    optional: &BTreeSet<String>,
) -> Result<Vec<String>, String> {
    let mut report = Vec::new();
    let mut seen = BTreeSet::new();
    for item in &mut file.items {
        let syn::Item::Mod(m) = item else {
            continue;
        };
        if m.ident != "builder" {
            continue;
        }
        let Some((_, items)) = m.content.as_mut() else {
            continue;
        };
        // Which builders, by type name, belong to an optional body.
        let mut builders = BTreeSet::new();
        for item in items.iter_mut() {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            let id = block.items.iter().find_map(|i| match i {
                syn::ImplItem::Fn(f) if f.sig.ident == "send_raw" => {
                    crate::items::operation_id(&f.block)
                }
                _ => None,
            });
            let (Some(id), Some(name)) = (id, self_name(block)) else {
                continue;
            };
            if !optional.contains(&id) {
                continue;
            }
            let mut counts = InImpl::default();
            for inner in &mut block.items {
                if let syn::ImplItem::Fn(f) = inner {
                    counts.rewrite(f);
                }
            }
            if counts.init != 1 || counts.set == 0 || counts.convert != 1 || counts.json != 1 {
                return Err(format!(
                    "optional_bodies: the builder of {id} does not have the expected shape \
                     (body initialized {}, set {}, converted {}, sent {} time(s))",
                    counts.init, counts.set, counts.convert, counts.json
                ));
            }
            builders.insert(name);
            report.push(format!("{id}: sent without a body when none is set"));
            seen.insert(id);
        }
        for item in items.iter_mut() {
            let syn::Item::Struct(s) = item else {
                continue;
            };
            if !builders.contains(&s.ident.to_string()) {
                continue;
            }
            for field in s.fields.iter_mut() {
                if field.ident.as_ref().is_some_and(|i| i == "body") {
                    let ty = &field.ty;
                    field.ty = syn::parse_quote!(::std::option::Option<#ty>);
                }
            }
        }
    }
    report.extend(
        optional
            .iter()
            .filter(|id| !seen.contains(*id))
            .map(|id| format!("{id}: no generated request code (hand-written)")),
    );
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operations_whose_body_is_not_required_are_collected() {
        let spec = json!({"paths": {
            "/a": { "post": { "operationId": "searchThings", "requestBody": {} } },
            "/b": { "post": { "operationId": "createThing", "requestBody": { "required": true } } },
            "/c": { "post": { "operationId": "cancelThing", "requestBody": { "required": false } } },
            "/d": { "get": { "operationId": "getThing" } }
        }});
        let found: Vec<String> = collect(&spec).into_iter().collect();
        assert_eq!(found, vec!["cancel_thing", "search_things"]);
    }

    fn builders() -> syn::File {
        syn::parse_quote! {
            pub mod builder {
                pub struct CreateGroup<'a> {
                    client: &'a super::Client,
                    body: Result<types::builder::GroupCreateRequest, String>,
                }
                impl<'a> CreateGroup<'a> {
                    pub fn new(client: &'a super::Client) -> Self {
                        Self { client: client, body: Ok(::std::default::Default::default()) }
                    }
                    pub fn body<V>(mut self, value: V) -> Self {
                        self.body = value.try_into().map(From::from).map_err(|s| format!("{}", s));
                        self
                    }
                    pub fn body_map<F>(mut self, f: F) -> Self {
                        self.body = self.body.map(f);
                        self
                    }
                    async fn send_raw(self) -> Result<(), Error<()>> {
                        let Self { client, body } = self;
                        let body = body
                            .and_then(|v| types::GroupCreateRequest::try_from(v).map_err(|e| e.to_string()))
                            .map_err(Error::InvalidRequest)?;
                        let info = OperationInfo { operation_id: "create_group" };
                        let request = client.client.post(url).header(ACCEPT, json).json(&body).build()?;
                    }
                }
                pub struct CreateUser<'a> {
                    client: &'a super::Client,
                    body: Result<types::builder::UserRequest, String>,
                }
                impl<'a> CreateUser<'a> {
                    pub fn new(client: &'a super::Client) -> Self {
                        Self { client: client, body: Ok(::std::default::Default::default()) }
                    }
                    async fn send_raw(self) -> Result<(), Error<()>> {
                        let Self { client, body } = self;
                        let body = body.map_err(Error::InvalidRequest)?;
                        let info = OperationInfo { operation_id: "create_user" };
                        let request = client.client.post(url).json(&body).build()?;
                    }
                }
            }
        }
    }

    #[test]
    fn an_optional_body_is_an_option_sent_only_when_set() {
        let mut file = builders();
        let optional: BTreeSet<String> = ["create_group", "create_document_link"]
            .into_iter()
            .map(String::from)
            .collect();
        let report = optional_bodies(&mut file, &optional).expect("rewrites");
        assert_eq!(
            report,
            vec![
                "create_group: sent without a body when none is set",
                "create_document_link: no generated request code (hand-written)",
            ]
        );
        // (without the trailing commas prettyplease puts in broken lines)
        let text = prettyplease::unparse(&file)
            .replace(char::is_whitespace, "")
            .replace(",)", ")")
            .replace(",}", "}");
        for expected in [
            "body:::std::option::Option<Result<types::builder::GroupCreateRequest,String>>",
            "Self{client:client,body:::std::option::Option::None}",
            "self.body=::std::option::Option::Some(value.try_into()",
            "self.body=::std::option::Option::Some(self.body.unwrap_or_else(||::std::result::Result::Ok(::std::default::Default::default())).map(f))",
            "letbody=matchbody{::std::option::Option::Some(body)=>{::std::option::Option::Some(body.and_then(",
            "crate::call::body::optional_json(client.client.post(url).header(ACCEPT,json),body.as_ref())",
            "step`optional_bodies`",
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
        // A required body is left as it was.
        assert!(
            text.contains("body:Result<types::builder::UserRequest,String>"),
            "{text}"
        );
        assert!(
            text.contains("client.client.post(url).json(&body).build()"),
            "{text}"
        );
    }

    #[test]
    fn a_builder_of_an_unexpected_shape_fails_generation() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> CancelThing<'a> {
                    async fn send_raw(self) {
                        let info = OperationInfo { operation_id: "cancel_thing" };
                        let request = client.client.post(url).json(&body).build()?;
                    }
                }
            }
        };
        let optional: BTreeSet<String> = ["cancel_thing".to_string()].into_iter().collect();
        let error = optional_bodies(&mut file, &optional).expect_err("unexpected shape");
        assert!(error.contains("cancel_thing"), "{error}");
    }
}
