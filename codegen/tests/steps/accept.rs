//! The post-processing step `accept_success_media_types`
//! (codegen/post/accept.rs): which operations ask for their success answer's
//! media types, read from small specs and from the committed contracts, and
//! how the request code progenitor writes gets the header.

use camunda8_codegen::contract;
use camunda8_codegen::post::accept::{self, Accepts};
use serde_json::{Value, json};

fn answers(responses: Value) -> Value {
    json!({"get": {"operationId": "op", "responses": responses}})
}

fn accepts_of(responses: Value) -> Option<String> {
    let spec = json!({"paths": {"/x": answers(responses)}, "components": {"responses": {
        "Bytes": {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
    }}});
    accept::collect(&spec).remove("op")
}

#[test]
fn only_non_json_success_answers_ask_for_their_types() {
    let text = |media: &str| json!({"content": {media: {"schema": {"type": "string"}}}});
    let problem = json!({"content": {"application/json": {"schema": {"type": "object"}}}});
    // The success type, not the errors'.
    assert_eq!(
        accepts_of(json!({"200": text("text/xml"), "404": problem})),
        Some("text/xml".into())
    );
    // Through a component response.
    assert_eq!(
        accepts_of(json!({"200": {"$ref": "#/components/responses/Bytes"}})),
        Some("application/octet-stream".into())
    );
    // Several types, in the contract's order, each once.
    assert_eq!(
        accepts_of(json!({
            "200": {"content": {"text/csv": {}, "text/plain": {}}},
            "206": text("text/csv")
        })),
        Some("text/csv, text/plain".into())
    );
    // JSON answers keep progenitor's Accept; so does an operation with a
    // JSON success type beside another (progenitor decodes the JSON).
    assert_eq!(accepts_of(json!({"200": problem})), None);
    assert_eq!(
        accepts_of(json!({"200": text("application/problem+json")})),
        None
    );
    assert_eq!(
        accepts_of(json!({"200": {"content": {"application/json": {}, "text/xml": {}}}})),
        None
    );
    // No success body: nothing to ask for.
    assert_eq!(
        accepts_of(json!({"204": {"description": "done"}, "400": text("text/plain")})),
        None
    );
}

/// progenitor's request code for a GET, with or without its JSON Accept.
fn progenitor_like(operation_id: &str, accept: bool) -> String {
    let header = if accept {
        ".header(::reqwest::header::ACCEPT, ::reqwest::header::HeaderValue::from_static(\"application/json\"))"
    } else {
        ""
    };
    format!(
        r#"
        pub mod builder {{
            impl<'a> GetThing<'a> {{
                pub async fn send(self) -> Result<ResponseValue<ByteStream>, Error<()>> {{
                    let Self {{ client }} = self;
                    let url = format!("{{}}/thing", client.baseurl);
                    let info = OperationInfo {{ operation_id: "{operation_id}" }};
                    let mut request = client.client.get(url){header}.query(&[("a", "b")]).build()?;
                    client.exec(request, &info).await
                }}
            }}
        }}
        "#
    )
}

fn flat(file: &syn::File) -> String {
    let code = prettyplease::unparse(file);
    code.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_request_asks_for_the_contracts_types_where_progenitor_asks_for_none() {
    let accepts: Accepts = [
        ("get_thing".to_string(), "text/xml, text/plain".to_string()),
        ("by_hand".to_string(), "text/csv".to_string()),
    ]
    .into_iter()
    .collect();
    let mut file: syn::File = syn::parse_str(&progenitor_like("get_thing", false)).unwrap();
    let changes = accept::accept_success_media_types(&mut file, &accepts).unwrap();
    assert_eq!(
        changes,
        [
            "by_hand: no generated request code (hand-written; it must ask for text/csv itself)",
            "get_thing: Accept: text/xml, text/plain",
        ]
    );
    // Right after the method, where progenitor puts its own Accept.
    let expected = "let mut request = client .client .get(url) .header( ::reqwest::header::ACCEPT, ::reqwest::header::HeaderValue::from_static(\"text/xml, text/plain\"), ) .query(&[(\"a\", \"b\")]) .build()?;";
    assert!(flat(&file).contains(expected), "{}", flat(&file));

    // An operation the step does not list is left as it is.
    let mut other: syn::File = syn::parse_str(&progenitor_like("get_other", true)).unwrap();
    let before = flat(&other);
    let changes = accept::accept_success_media_types(&mut other, &Accepts::new()).unwrap();
    assert!(changes.is_empty(), "{changes:?}");
    assert_eq!(flat(&other), before);
}

#[test]
fn a_request_that_already_asks_fails_generation() {
    let accepts: Accepts = [("get_thing".to_string(), "text/xml".to_string())]
        .into_iter()
        .collect();
    let mut file: syn::File = syn::parse_str(&progenitor_like("get_thing", true)).unwrap();
    let error = accept::accept_success_media_types(&mut file, &accepts).unwrap_err();
    assert!(
        error.contains("get_thing") && error.contains("already sends an Accept"),
        "{error}"
    );
}

fn normalized(api: &str) -> Value {
    let path = camunda8_codegen::crate_root().join(format!("openapi/{api}.json"));
    let mut spec = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    contract::normalize(api, &mut spec);
    spec
}

/// What each API's non-JSON operations ask for (the generated headers list
/// the same under `accept_success_media_types`).
#[test]
fn the_contracts_non_json_answers() {
    let expected: [(&str, &[(&str, &str)]); 4] = [
        ("admin", &[("get_csv", "text/csv")]),
        ("zeebe", &[]),
        (
            "operate",
            &[
                ("get_decision_requirements_xml", "text/xml"),
                ("get_process_definition_xml", "text/xml"),
            ],
        ),
        (
            "orchestration",
            &[
                ("get_decision_definition_xml", "text/xml"),
                ("get_decision_requirements_xml", "text/xml"),
                ("get_document", "application/octet-stream"),
                ("get_process_definition_xml", "text/xml"),
                ("get_resource_content_binary", "application/octet-stream"),
            ],
        ),
    ];
    for (api, operations) in expected {
        let found = accept::collect(&normalized(api));
        let expected: Accepts = operations
            .iter()
            .map(|(op, accept)| (op.to_string(), accept.to_string()))
            .collect();
        assert_eq!(found, expected, "{api}");
    }
}
